//! The four image formats Parley accepts, and telling them apart by their
//! first bytes. The file name and the declared `Content-Type` of an upload
//! are never consulted: a client can claim anything, the bytes cannot.

/// Bytes of an upload needed to recognise every accepted format (WebP's
/// `RIFF....WEBP` is the longest signature).
pub const SNIFF_LEN: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Gif,
    WebP,
}

impl ImageFormat {
    /// Recognises a format from the start of a file; `None` for anything else
    /// (SVG, HTML, text, other image formats...).
    pub fn sniff(head: &[u8]) -> Option<Self> {
        if infer::image::is_jpeg(head) {
            Some(Self::Jpeg)
        } else if infer::image::is_png(head) {
            Some(Self::Png)
        } else if infer::image::is_gif(head) {
            Some(Self::Gif)
        } else if head.starts_with(b"RIFF") && infer::image::is_webp(head) {
            Some(Self::WebP)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::WebP => "image/webp",
        }
    }

    /// The extension of stored keys, which is how a served file gets its type back.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Gif => "gif",
            Self::WebP => "webp",
        }
    }

    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext {
            "jpg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            "gif" => Some(Self::Gif),
            "webp" => Some(Self::WebP),
            _ => None,
        }
    }

    pub fn from_content_type(content_type: &str) -> Option<Self> {
        [Self::Jpeg, Self::Png, Self::Gif, Self::WebP]
            .into_iter()
            .find(|f| f.content_type() == content_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_four_formats_and_nothing_else() {
        let cases: [(&[u8], Option<ImageFormat>); 8] = [
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF\0", Some(ImageFormat::Jpeg)),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Some(ImageFormat::Png)),
            (b"GIF89a\x01\0\x01\0", Some(ImageFormat::Gif)),
            (b"RIFF\x24\0\0\0WEBPVP8 ", Some(ImageFormat::WebP)),
            (b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>", None),
            (b"<?xml version=\"1.0\"?><svg/>", None),
            (b"hello, I am a .png", None),
            (b"", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(ImageFormat::sniff(bytes), expected, "{bytes:?}");
        }
    }

    #[test]
    fn extensions_round_trip() {
        for f in [
            ImageFormat::Jpeg,
            ImageFormat::Png,
            ImageFormat::Gif,
            ImageFormat::WebP,
        ] {
            assert_eq!(ImageFormat::from_extension(f.extension()), Some(f));
            assert_eq!(ImageFormat::from_content_type(f.content_type()), Some(f));
        }
        assert_eq!(ImageFormat::from_extension("svg"), None);
    }
}
