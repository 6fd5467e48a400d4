//! Resizing with `fast_image_resize` (SIMD convolution, Lanczos3 like
//! sharp's default). Alpha is premultiplied while resizing so transparent
//! pixels do not bleed their colour into the edges.

use crate::media::limits::ImageError;
use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, GrayAlphaImage, GrayImage, RgbImage, RgbaImage};

/// The size that fits `width`×`height` inside a `max`×`max` box keeping the
/// aspect ratio, never larger than the original (no upscaling), at least 1×1.
pub fn fit_within(width: u32, height: u32, max: u32) -> (u32, u32) {
    if width <= max && height <= max {
        return (width, height);
    }
    let (w, h) = (f64::from(width), f64::from(height));
    let scale = (f64::from(max) / w).min(f64::from(max) / h);
    let side = |v: f64| (v * scale).round().clamp(1.0, f64::from(max)) as u32;
    (side(w), side(h))
}

/// Resizes to exactly `width`×`height`; with `crop`, the source is first
/// centre-cropped to that aspect ratio (avatars), otherwise stretched.
pub fn resize(
    image: &DynamicImage,
    width: u32,
    height: u32,
    crop: bool,
) -> Result<DynamicImage, ImageError> {
    let pixel_type = match image {
        DynamicImage::ImageLuma8(_) => PixelType::U8,
        DynamicImage::ImageLumaA8(_) => PixelType::U8x2,
        DynamicImage::ImageRgb8(_) => PixelType::U8x3,
        DynamicImage::ImageRgba8(_) => PixelType::U8x4,
        other => {
            return resize(
                &crate::media::decode::to_8_bit(other.clone()),
                width,
                height,
                crop,
            );
        }
    };
    let source = ImageRef::new(image.width(), image.height(), image.as_bytes(), pixel_type)
        .map_err(ImageError::encode)?;
    let mut target = Image::new(width, height, pixel_type);
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    if crop {
        options = options.fit_into_destination(None);
    }
    Resizer::new()
        .resize(&source, &mut target, &options)
        .map_err(ImageError::encode)?;
    let pixels = target.into_vec();
    let resized = match pixel_type {
        PixelType::U8 => GrayImage::from_raw(width, height, pixels).map(DynamicImage::ImageLuma8),
        PixelType::U8x2 => {
            GrayAlphaImage::from_raw(width, height, pixels).map(DynamicImage::ImageLumaA8)
        }
        PixelType::U8x3 => RgbImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgb8),
        _ => RgbaImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgba8),
    };
    resized.ok_or_else(|| ImageError::Encode("resized buffer has the wrong size".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_keeping_the_aspect_ratio_without_upscaling() {
        assert_eq!(fit_within(4000, 3000, 200), (200, 150));
        assert_eq!(fit_within(3000, 4000, 200), (150, 200));
        assert_eq!(fit_within(1000, 1000, 200), (200, 200));
        assert_eq!(fit_within(120, 80, 200), (120, 80));
        assert_eq!(fit_within(200, 200, 200), (200, 200));
        assert_eq!(fit_within(10_000, 1, 200), (200, 1));
        assert_eq!(fit_within(201, 100, 200), (200, 100));
    }

    #[test]
    fn resizes_every_pixel_layout() {
        let images = [
            DynamicImage::ImageLuma8(GrayImage::new(40, 20)),
            DynamicImage::ImageLumaA8(GrayAlphaImage::new(40, 20)),
            DynamicImage::ImageRgb8(RgbImage::new(40, 20)),
            DynamicImage::ImageRgba8(RgbaImage::new(40, 20)),
        ];
        for image in images {
            let out = resize(&image, 10, 5, false).expect("resize");
            assert_eq!(
                (out.width(), out.height(), out.color()),
                (10, 5, image.color())
            );
            let square = resize(&image, 8, 8, true).expect("crop");
            assert_eq!((square.width(), square.height()), (8, 8));
        }
    }
}
