//! Encoding decoded pixels. Every stored file, original or thumbnail, is
//! written here from pixels: nothing of the uploaded file's bytes survives
//! (no EXIF, GPS, comments, trailing data or anything a polyglot hides).
//! JPEG through libjpeg-turbo, PNG and lossless WebP through `image`.

use crate::media::format::ImageFormat;
use crate::media::limits::ImageError;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageEncoder};
use turbojpeg::{Compressor, PixelFormat, Subsamp};

/// Quality of re-encoded originals: visually lossless for photos.
pub const ORIGINAL_JPEG_QUALITY: i32 = 90;
/// Quality of thumbnails and avatars.
pub const THUMBNAIL_JPEG_QUALITY: i32 = 80;

/// Encodes `image` as `format` (GIF goes through `media::gif` instead).
pub fn encode(
    image: &DynamicImage,
    format: ImageFormat,
    quality: i32,
) -> Result<Vec<u8>, ImageError> {
    match format {
        ImageFormat::Jpeg => encode_jpeg(image, quality),
        ImageFormat::Png => encode_png(image),
        ImageFormat::WebP => encode_webp(image),
        ImageFormat::Gif => Err(ImageError::Encode(
            "GIF is re-encoded frame by frame, not from one image".into(),
        )),
    }
}

pub fn encode_jpeg(image: &DynamicImage, quality: i32) -> Result<Vec<u8>, ImageError> {
    let mut compressor = Compressor::new().map_err(ImageError::encode)?;
    compressor
        .set_quality(quality)
        .map_err(ImageError::encode)?;
    let (w, h) = (image.width() as usize, image.height() as usize);
    let encoded = match image {
        DynamicImage::ImageLuma8(gray) => {
            compressor
                .set_subsamp(Subsamp::Gray)
                .map_err(ImageError::encode)?;
            compressor.compress_to_vec(turbojpeg::Image {
                pixels: gray.as_raw().as_slice(),
                width: w,
                pitch: w,
                height: h,
                format: PixelFormat::GRAY,
            })
        }
        other => {
            compressor
                .set_subsamp(Subsamp::Sub2x2)
                .map_err(ImageError::encode)?;
            let owned;
            let rgb = match other {
                DynamicImage::ImageRgb8(rgb) => rgb,
                _ => {
                    owned = other.to_rgb8();
                    &owned
                }
            };
            compressor.compress_to_vec(turbojpeg::Image {
                pixels: rgb.as_raw().as_slice(),
                width: w,
                pitch: w * 3,
                height: h,
                format: PixelFormat::RGB,
            })
        }
    };
    encoded.map_err(ImageError::encode)
}

pub fn encode_png(image: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(
            image.as_bytes(),
            image.width(),
            image.height(),
            image.color().into(),
        )
        .map_err(ImageError::encode)?;
    Ok(out)
}

/// Lossless: `image` has no lossy WebP encoder, and a WebP stays a WebP.
pub fn encode_webp(image: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    WebPEncoder::new_lossless(&mut out)
        .encode(
            image.as_bytes(),
            image.width(),
            image.height(),
            image.color().into(),
        )
        .map_err(ImageError::encode)?;
    Ok(out)
}
