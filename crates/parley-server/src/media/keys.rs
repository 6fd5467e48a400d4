//! Storage keys. Every key is made here from 128 random bits, a fixed
//! suffix and the extension of the sniffed format, so no user input (file
//! name, declared type) ever reaches a path, and a key is unique forever,
//! which is what lets files be served as immutable. The same names are the
//! public URLs (`/media/<key>`); [`parse`] accepts exactly the shapes made
//! here and nothing else, so a crafted URL cannot reach any other path.

use crate::media::format::ImageFormat;
use rand::RngCore;

/// The keys of one upload: the re-encoded original and its thumbnail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadKeys {
    pub original: String,
    pub thumbnail: String,
}

/// The keys of one avatar: large (256 px) and small (64 px).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvatarKeys {
    pub large: String,
    pub small: String,
}

/// 32 lower-case hex digits from the OS-seeded CSPRNG: unguessable, so a
/// chat attachment's URL cannot be found by trying.
fn token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn upload(original: ImageFormat, thumbnail: ImageFormat) -> UploadKeys {
    let t = token();
    UploadKeys {
        original: format!("{t}.{}", original.extension()),
        thumbnail: format!("{t}-thumb.{}", thumbnail.extension()),
    }
}

pub fn avatar(format: ImageFormat) -> AvatarKeys {
    let t = token();
    let ext = format.extension();
    AvatarKeys {
        large: format!("{t}-256.{ext}"),
        small: format!("{t}-64.{ext}"),
    }
}

/// The format of a well-formed key, `None` for anything else:
/// `<32 hex>[-thumb|-256|-64].<jpg|png|gif|webp>`.
pub fn parse(key: &str) -> Option<ImageFormat> {
    let (stem, ext) = key.split_once('.')?;
    let format = ImageFormat::from_extension(ext)?;
    let token = ["-thumb", "-256", "-64"]
        .iter()
        .find_map(|suffix| stem.strip_suffix(suffix))
        .unwrap_or(stem);
    let hex = token.len() == 32
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    hex.then_some(format)
}

/// Where a key is served.
pub fn url(key: &str) -> String {
    format!("/media/{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_keys_parse_back_and_differ() {
        let a = upload(ImageFormat::Png, ImageFormat::Jpeg);
        let b = upload(ImageFormat::Png, ImageFormat::Jpeg);
        assert_ne!(a, b);
        assert_eq!(parse(&a.original), Some(ImageFormat::Png));
        assert_eq!(parse(&a.thumbnail), Some(ImageFormat::Jpeg));
        let avatar = avatar(ImageFormat::Jpeg);
        assert_eq!(parse(&avatar.large), Some(ImageFormat::Jpeg));
        assert_eq!(parse(&avatar.small), Some(ImageFormat::Jpeg));
        assert!(avatar.large.ends_with("-256.jpg") && avatar.small.ends_with("-64.jpg"));
    }

    #[test]
    fn anything_else_is_refused() {
        let token = "0123456789abcdef0123456789abcdef";
        for bad in [
            "".to_owned(),
            format!("{token}.svg"),
            format!("{token}.html"),
            format!("{token}.jpg.html"),
            format!("../{token}.jpg"),
            format!("{token}/../x.jpg"),
            format!("{}.jpg", token.to_uppercase()),
            format!("{token}0.jpg"),
            format!("{token}-big.jpg"),
            "passwd".to_owned(),
        ] {
            assert_eq!(parse(&bad), None, "{bad}");
        }
        assert_eq!(parse(&format!("{token}.webp")), Some(ImageFormat::WebP));
    }
}
