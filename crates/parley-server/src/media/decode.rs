//! Decoding with limits. JPEG goes through libjpeg-turbo (fast, and able to
//! decode at 1/2, 1/4 or 1/8 scale inside the IDCT, which is what makes
//! thumbnails cheap); PNG, GIF (first frame) and WebP through the `image`
//! crate. Either way the header's dimensions are checked against
//! [`ImageLimits`] before a pixel buffer is allocated. Runs on blocking
//! threads only (see `media::Media::run_blocking`).

use crate::media::exif;
use crate::media::format::ImageFormat;
use crate::media::limits::{ImageError, ImageLimits};
use image::metadata::Orientation;
use image::{DynamicImage, GrayImage, ImageDecoder, RgbImage};
use std::io::Cursor;
use turbojpeg::{Colorspace, Decompressor, PixelFormat, ScalingFactor};

/// Progressive JPEGs may hold many scans, each a pass over the whole image;
/// more than this is an attack (libjpeg-turbo's own advice), not a photo.
const MAX_JPEG_SCANS: u32 = 500;

/// Decodes the whole image and turns it upright (EXIF orientation applied).
/// GIFs yield their first frame.
pub fn decode_upright(
    data: &[u8],
    format: ImageFormat,
    limits: &ImageLimits,
) -> Result<DynamicImage, ImageError> {
    let (mut image, orientation) = match format {
        ImageFormat::Jpeg => (
            decode_jpeg(data, limits, None)?,
            exif::jpeg_orientation(data),
        ),
        other => decode_with_image_crate(data, other, limits)?,
    };
    image.apply_orientation(orientation);
    Ok(to_8_bit(image))
}

/// Decodes a JPEG; with `at_least = Some((w, h))`, at the smallest DCT scale
/// (1/8, 1/4, ...) that still gives at least `w`×`h` pixels.
pub fn decode_jpeg(
    data: &[u8],
    limits: &ImageLimits,
    at_least: Option<(u32, u32)>,
) -> Result<DynamicImage, ImageError> {
    let mut decompressor = Decompressor::new().map_err(ImageError::invalid)?;
    decompressor
        .set_scan_limit(MAX_JPEG_SCANS)
        .map_err(ImageError::invalid)?;
    let header = decompressor
        .read_header(data)
        .map_err(ImageError::invalid)?;
    limits.check(as_u64(header.width), as_u64(header.height))?;
    let (format, channels) = match header.colorspace {
        Colorspace::Gray => (PixelFormat::GRAY, 1),
        Colorspace::CMYK | Colorspace::YCCK => {
            return Err(ImageError::Invalid(
                "CMYK JPEG images are not supported; save it as RGB".into(),
            ));
        }
        _ => (PixelFormat::RGB, 3),
    };
    let factor = match at_least {
        Some((w, h)) if !header.is_lossless => smallest_scale(header.width, header.height, w, h),
        _ => ScalingFactor::ONE,
    };
    decompressor
        .set_scaling_factor(factor)
        .map_err(ImageError::invalid)?;
    let scaled = header.scaled(factor);
    let pitch = scaled.width * channels;
    let mut pixels = vec![0u8; pitch * scaled.height];
    let image = turbojpeg::Image {
        pixels: pixels.as_mut_slice(),
        width: scaled.width,
        pitch,
        height: scaled.height,
        format,
    };
    // Truncated or corrupt data makes libjpeg-turbo warn, and TurboJPEG
    // reports warnings as errors: such a file is refused, not half-shown.
    decompressor
        .decompress(data, image)
        .map_err(ImageError::invalid)?;
    let (w, h) = (as_u32(scaled.width)?, as_u32(scaled.height)?);
    let image = if channels == 1 {
        GrayImage::from_raw(w, h, pixels).map(DynamicImage::ImageLuma8)
    } else {
        RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8)
    };
    image.ok_or_else(|| ImageError::Invalid("decoded buffer has the wrong size".into()))
}

/// The smallest scaling factor whose output still covers `want_w`×`want_h`.
fn smallest_scale(width: usize, height: usize, want_w: u32, want_h: u32) -> ScalingFactor {
    let (want_w, want_h) = (want_w as usize, want_h as usize);
    let mut best = ScalingFactor::ONE;
    for factor in Decompressor::supported_scaling_factors() {
        let covers = factor.scale(width) >= want_w && factor.scale(height) >= want_h;
        let smaller = factor.num() * best.denom() < best.num() * factor.denom();
        if covers && smaller {
            best = factor;
        }
    }
    best
}

/// PNG, GIF and WebP, with the limits given to the decoder itself and the
/// header's dimensions checked before any pixel is decoded.
fn decode_with_image_crate(
    data: &[u8],
    format: ImageFormat,
    limits: &ImageLimits,
) -> Result<(DynamicImage, Orientation), ImageError> {
    let format = match format {
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Gif => image::ImageFormat::Gif,
        ImageFormat::WebP => image::ImageFormat::WebP,
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
    };
    let mut reader = image::ImageReader::with_format(Cursor::new(data), format);
    reader.limits(limits.for_image_crate());
    let mut decoder = reader.into_decoder().map_err(ImageError::from_image)?;
    let (w, h) = decoder.dimensions();
    limits.check(u64::from(w), u64::from(h))?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(ImageError::from_image)?;
    Ok((image, orientation))
}

/// 8 bits per channel, the grey or colour, with or without alpha, that
/// every encoder here takes.
pub fn to_8_bit(image: DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageRgb8(_)
        | DynamicImage::ImageRgba8(_) => image,
        DynamicImage::ImageLuma16(_) => DynamicImage::ImageLuma8(image.to_luma8()),
        DynamicImage::ImageLumaA16(_) => DynamicImage::ImageLumaA8(image.to_luma_alpha8()),
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    }
}

/// Whether any pixel is not fully opaque (an alpha channel alone is not enough).
pub fn has_transparency(image: &DynamicImage) -> bool {
    match image {
        DynamicImage::ImageLumaA8(b) => b.pixels().any(|p| p.0[1] < u8::MAX),
        DynamicImage::ImageRgba8(b) => b.pixels().any(|p| p.0[3] < u8::MAX),
        other if other.color().has_alpha() => other.to_rgba8().pixels().any(|p| p.0[3] < u8::MAX),
        _ => false,
    }
}

/// Drops an alpha channel that is not used (so the image can become a JPEG).
pub fn without_alpha(image: DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageLumaA8(_) => DynamicImage::ImageLuma8(image.to_luma8()),
        DynamicImage::ImageRgba8(_) => DynamicImage::ImageRgb8(image.to_rgb8()),
        other => other,
    }
}

fn as_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn as_u32(n: usize) -> Result<u32, ImageError> {
    u32::try_from(n).map_err(|_| ImageError::TooLarge("the image is too large".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_smallest_covering_scale() {
        let pick = |w, h, tw, th| {
            let f = smallest_scale(w, h, tw, th);
            (f.num(), f.denom())
        };
        assert_eq!(pick(4000, 3000, 200, 150), (1, 8));
        assert_eq!(pick(1000, 800, 200, 160), (1, 4));
        assert_eq!(pick(300, 200, 200, 133), (3, 4));
        assert_eq!(pick(200, 100, 200, 100), (1, 1));
    }
}
