//! Re-encoding a GIF, animation kept. Each frame is decoded to its palette
//! indices and written again by the `gif` encoder: colours and timing are
//! unchanged (no re-quantisation, so it is fast and lossless), while
//! comments, application and plain-text extensions and anything after the
//! trailer — where GIF/HTML and GIF/JS polyglots put their payload — are
//! dropped. One frame is in memory at a time; frame sizes and the sum of
//! their areas are bounded by [`ImageLimits`].

use crate::media::limits::{ImageError, ImageLimits};
use ::gif::{ColorOutput, DecodeOptions, Encoder, Frame, MemoryLimit};
use std::borrow::Cow;
use std::num::NonZeroU64;

/// More frames than this is not an animation anyone needs to share.
const MAX_FRAMES: usize = 2_000;

/// A re-encoded GIF.
#[derive(Debug)]
pub struct ReencodedGif {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Whether any frame has a transparent colour.
    pub transparent: bool,
}

pub fn reencode(data: &[u8], limits: &ImageLimits) -> Result<ReencodedGif, ImageError> {
    let mut options = DecodeOptions::new();
    options.set_color_output(ColorOutput::Indexed);
    // One byte per pixel in indexed mode: the per-frame pixel limit in bytes.
    if let Some(bytes) = NonZeroU64::new(limits.max_pixels) {
        options.set_memory_limit(MemoryLimit::Bytes(bytes));
    }
    let mut decoder = options.read_info(data).map_err(ImageError::invalid)?;
    let (width, height) = (decoder.width(), decoder.height());
    limits.check(u64::from(width), u64::from(height))?;
    let global_palette = decoder.global_palette().unwrap_or_default().to_vec();
    let repeat = decoder.repeat();
    let mut out = Vec::new();
    let mut encoder =
        Encoder::new(&mut out, width, height, &global_palette).map_err(ImageError::encode)?;
    encoder.set_repeat(repeat).map_err(ImageError::encode)?;
    let (mut frames, mut area, mut transparent) = (0usize, 0u64, false);
    while let Some(info) = decoder.next_frame_info().map_err(ImageError::invalid)? {
        let (w, h) = (u64::from(info.width), u64::from(info.height));
        limits.check(w, h)?;
        frames += 1;
        area = area.saturating_add(w * h);
        if frames > MAX_FRAMES || area > limits.max_animation_pixels {
            return Err(ImageError::TooLarge(format!(
                "the animation is too long: at most {MAX_FRAMES} frames and {} megapixels in all",
                limits.max_animation_pixels / 1_000_000
            )));
        }
        let meta = Frame {
            buffer: Cow::Borrowed(&[]),
            ..info.clone()
        };
        let mut pixels = vec![0u8; decoder.buffer_size()];
        decoder
            .read_into_buffer(&mut pixels)
            .map_err(ImageError::invalid)?;
        transparent |= meta.transparent.is_some();
        let frame = Frame {
            buffer: Cow::Owned(pixels),
            // `read_into_buffer` de-interlaced the rows.
            interlaced: false,
            ..meta
        };
        encoder.write_frame(&frame).map_err(ImageError::encode)?;
    }
    if frames == 0 {
        return Err(ImageError::Invalid("the GIF has no frames".into()));
    }
    // Writes the trailer; nothing the upload had after its own is copied.
    encoder.into_inner().map_err(ImageError::encode)?;
    Ok(ReencodedGif {
        bytes: out,
        width: u32::from(width),
        height: u32::from(height),
        transparent,
    })
}
