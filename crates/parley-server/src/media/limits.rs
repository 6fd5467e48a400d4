//! How big an image may be once decoded, and the errors of image work.
//! Dimensions are checked from the header, before any pixel buffer exists,
//! so a small file that declares a huge canvas (a "decompression bomb") is
//! refused without allocating it; decoders also get an allocation cap for
//! whatever the header does not tell.

/// Limits on decoded images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLimits {
    pub max_width: u32,
    pub max_height: u32,
    /// Width × height of one image (or one GIF frame).
    pub max_pixels: u64,
    /// Sum of the frame areas of an animated GIF: bounds the time its
    /// re-encoding takes.
    pub max_animation_pixels: u64,
    /// Most bytes a decoder may allocate.
    pub max_alloc: u64,
}

impl Default for ImageLimits {
    fn default() -> Self {
        Self {
            max_width: 16_384,
            max_height: 16_384,
            max_pixels: 40_000_000,
            max_animation_pixels: 100_000_000,
            max_alloc: 512 * 1024 * 1024,
        }
    }
}

impl ImageLimits {
    /// Refuses dimensions over the limits (or empty ones).
    pub fn check(&self, width: u64, height: u64) -> Result<(), ImageError> {
        if width == 0 || height == 0 {
            return Err(ImageError::Invalid("the image has no pixels".into()));
        }
        if width > u64::from(self.max_width)
            || height > u64::from(self.max_height)
            || width.saturating_mul(height) > self.max_pixels
        {
            return Err(ImageError::TooLarge(format!(
                "the image is {width}×{height} pixels; at most {}×{} and {} megapixels are accepted",
                self.max_width,
                self.max_height,
                self.max_pixels / 1_000_000
            )));
        }
        Ok(())
    }

    /// The same limits in the `image` crate's terms.
    pub fn for_image_crate(&self) -> image::Limits {
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(self.max_width);
        limits.max_image_height = Some(self.max_height);
        limits.max_alloc = Some(self.max_alloc);
        limits
    }
}

/// Why an image was refused or could not be processed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// Not JPEG, PNG, GIF or WebP (415).
    #[error("not a JPEG, PNG, GIF or WebP image")]
    Unsupported,
    /// Decodes to more pixels than the limits allow (422).
    #[error("{0}")]
    TooLarge(String),
    /// Truncated, corrupt, or otherwise undecodable (422).
    #[error("{0}")]
    Invalid(String),
    /// A failure of ours while encoding (500).
    #[error("{0}")]
    Encode(String),
}

impl ImageError {
    pub fn invalid(e: impl std::fmt::Display) -> Self {
        Self::Invalid(format!("the image could not be decoded: {e}"))
    }

    pub fn encode(e: impl std::fmt::Display) -> Self {
        Self::Encode(format!("encoding failed: {e}"))
    }

    /// Maps an `image` crate decoding error: its limit errors are "too large".
    pub fn from_image(e: image::ImageError) -> Self {
        match e {
            image::ImageError::Limits(l) => Self::TooLarge(format!("the image is too large: {l}")),
            other => Self::invalid(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions_are_checked() {
        let limits = ImageLimits::default();
        assert!(limits.check(4000, 3000).is_ok());
        assert!(matches!(
            limits.check(30_000, 30_000),
            Err(ImageError::TooLarge(_))
        ));
        assert!(matches!(
            limits.check(16_385, 1),
            Err(ImageError::TooLarge(_))
        ));
        assert!(matches!(
            limits.check(8000, 8000),
            Err(ImageError::TooLarge(_))
        ));
        assert!(matches!(limits.check(0, 10), Err(ImageError::Invalid(_))));
    }
}
