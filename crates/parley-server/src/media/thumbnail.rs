//! Thumbnails (fit in 200×200, aspect kept, never upscaled) and avatars
//! (square centre crops, 256 and 64 px). A JPEG thumbnail is decoded at the
//! smallest DCT scale that still covers the target (a 12-megapixel photo is
//! decoded at 1/8, i.e. 500×375), so the cost is mostly entropy decoding;
//! the rest is one small Lanczos3 resize and a tiny encode.

use crate::media::decode::{self, decode_upright, has_transparency, without_alpha};
use crate::media::encode::{self, THUMBNAIL_JPEG_QUALITY};
use crate::media::format::ImageFormat;
use crate::media::limits::{ImageError, ImageLimits};
use crate::media::resize::{fit_within, resize};
use image::DynamicImage;

/// The box a thumbnail fits in.
pub const THUMBNAIL_BOX: u32 = 200;
/// Avatar sizes: large (profiles) and small (next to content).
pub const AVATAR_LARGE: u32 = 256;
pub const AVATAR_SMALL: u32 = 64;

/// An encoded thumbnail.
#[derive(Debug)]
pub struct Thumbnail {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// The image's BlurHash (4×3 components), a placeholder while it loads.
    pub blurhash: Option<String>,
}

/// Makes the thumbnail of a stored original (already upright and
/// re-encoded by us) as `output` (JPEG, or PNG to keep transparency).
pub fn make_thumbnail(
    original: &[u8],
    output: ImageFormat,
    limits: &ImageLimits,
) -> Result<Thumbnail, ImageError> {
    let format = ImageFormat::sniff(original).ok_or(ImageError::Unsupported)?;
    let image = match format {
        ImageFormat::Jpeg => {
            // The header first, to know the target, then decode just big enough.
            let header = turbojpeg::read_header(original).map_err(ImageError::invalid)?;
            let (w, h) = (dimension(header.width)?, dimension(header.height)?);
            let target = fit_within(w, h, THUMBNAIL_BOX);
            decode::decode_jpeg(original, limits, Some(target))?
        }
        other => decode_upright(original, other, limits)?,
    };
    let (width, height) = fit_within(image.width(), image.height(), THUMBNAIL_BOX);
    let small = if (width, height) == (image.width(), image.height()) {
        image
    } else {
        resize(&image, width, height, false)?
    };
    // From the small image: the hash only keeps a few colours anyway.
    let rgba = small.to_rgba8();
    let blurhash = blurhash::encode(4, 3, width, height, rgba.as_raw()).ok();
    Ok(Thumbnail {
        bytes: encode_small(small, output)?,
        width,
        height,
        blurhash,
    })
}

/// A new avatar: the (large, small) encodings and their format.
#[derive(Debug)]
pub struct Avatar {
    pub format: ImageFormat,
    pub large: Vec<u8>,
    pub small: Vec<u8>,
}

/// Decodes an uploaded image (any accepted format, EXIF orientation applied)
/// and makes its square avatars; small images are scaled up to the sizes,
/// so every avatar is exactly 256 and 64 px.
pub fn make_avatar(upload: &[u8], limits: &ImageLimits) -> Result<Avatar, ImageError> {
    let format = ImageFormat::sniff(upload).ok_or(ImageError::Unsupported)?;
    let image = decode_upright(upload, format, limits)?;
    let output = if has_transparency(&image) {
        ImageFormat::Png
    } else {
        ImageFormat::Jpeg
    };
    let square = |side| resize(&image, side, side, true);
    Ok(Avatar {
        format: output,
        large: encode_small(square(AVATAR_LARGE)?, output)?,
        small: encode_small(square(AVATAR_SMALL)?, output)?,
    })
}

fn encode_small(image: DynamicImage, format: ImageFormat) -> Result<Vec<u8>, ImageError> {
    match format {
        ImageFormat::Png => encode::encode_png(&image),
        _ => encode::encode_jpeg(&without_alpha(image), THUMBNAIL_JPEG_QUALITY),
    }
}

fn dimension(n: usize) -> Result<u32, ImageError> {
    u32::try_from(n).map_err(|_| ImageError::TooLarge("the image is too large".into()))
}
