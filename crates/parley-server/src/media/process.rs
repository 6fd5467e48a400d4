//! What happens to the bytes of an upload before anything is stored: the
//! format is sniffed, the dimensions checked, the image decoded and turned
//! upright, and a new file encoded from its pixels in the same format. Also
//! decides the thumbnail's format (PNG when transparency must survive,
//! JPEG otherwise), so that its key is known from the start.

use crate::media::decode::{decode_upright, has_transparency};
use crate::media::encode::{self, ORIGINAL_JPEG_QUALITY};
use crate::media::format::ImageFormat;
use crate::media::gif;
use crate::media::limits::{ImageError, ImageLimits};

/// A re-encoded upload, ready to store.
#[derive(Debug)]
pub struct ProcessedUpload {
    pub format: ImageFormat,
    pub bytes: Vec<u8>,
    /// Upright dimensions (after EXIF orientation).
    pub width: u32,
    pub height: u32,
    pub thumbnail_format: ImageFormat,
}

pub fn process_upload(data: &[u8], limits: &ImageLimits) -> Result<ProcessedUpload, ImageError> {
    let format = ImageFormat::sniff(data).ok_or(ImageError::Unsupported)?;
    if format == ImageFormat::Gif {
        let gif = gif::reencode(data, limits)?;
        return Ok(ProcessedUpload {
            format,
            bytes: gif.bytes,
            width: gif.width,
            height: gif.height,
            thumbnail_format: thumbnail_format(gif.transparent),
        });
    }
    let image = decode_upright(data, format, limits)?;
    let transparent = has_transparency(&image);
    Ok(ProcessedUpload {
        format,
        bytes: encode::encode(&image, format, ORIGINAL_JPEG_QUALITY)?,
        width: image.width(),
        height: image.height(),
        thumbnail_format: thumbnail_format(transparent),
    })
}

fn thumbnail_format(transparent: bool) -> ImageFormat {
    if transparent {
        ImageFormat::Png
    } else {
        ImageFormat::Jpeg
    }
}
