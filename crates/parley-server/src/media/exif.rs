//! The EXIF orientation of a JPEG. Cameras store photos sideways and say so
//! in EXIF; since the stored original is re-encoded without EXIF (GPS and
//! all), the rotation is applied to the pixels instead. Only the marker
//! segments before the image data are walked, each bounded by its length.

use image::metadata::Orientation;

const SOI: [u8; 2] = [0xFF, 0xD8];
const APP1: u8 = 0xE1;
const SOS: u8 = 0xDA;
const EXIF_HEADER: &[u8] = b"Exif\0\0";

/// The orientation the JPEG's EXIF asks for (none when absent or unreadable).
pub fn jpeg_orientation(jpeg: &[u8]) -> Orientation {
    exif_block(jpeg)
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms)
}

/// The TIFF structure inside the first `APP1 Exif` segment.
fn exif_block(jpeg: &[u8]) -> Option<&[u8]> {
    let mut rest = jpeg.strip_prefix(&SOI)?;
    loop {
        // Fill bytes (0xFF) may pad a marker.
        let start = rest.iter().position(|&b| b != 0xFF)?;
        if start == 0 {
            return None; // not at a marker: malformed, let the decoder judge
        }
        let marker = *rest.get(start)?;
        rest = rest.get(start + 1..)?;
        // Markers without a length: TEM and RST0-7.
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            continue;
        }
        if marker == SOS {
            return None; // image data: no more metadata segments
        }
        let len = usize::from(u16::from_be_bytes([*rest.first()?, *rest.get(1)?]));
        let payload = rest.get(2..len)?;
        if marker == APP1
            && let Some(tiff) = payload.strip_prefix(EXIF_HEADER)
        {
            return Some(tiff);
        }
        rest = rest.get(len..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG prefix with an APP0 and an APP1 Exif segment holding one IFD
    /// entry: Orientation = `value` (little-endian TIFF).
    fn jpeg_with_orientation(value: u16) -> Vec<u8> {
        let mut tiff = b"II*\0".to_vec();
        tiff.extend_from_slice(&8u32.to_le_bytes()); // IFD0 at offset 8
        tiff.extend_from_slice(&1u16.to_le_bytes()); // one entry
        tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
        tiff.extend_from_slice(&3u16.to_le_bytes()); // SHORT
        tiff.extend_from_slice(&1u32.to_le_bytes()); // count
        tiff.extend_from_slice(&value.to_le_bytes());
        tiff.extend_from_slice(&[0, 0]);
        tiff.extend_from_slice(&0u32.to_le_bytes()); // no next IFD
        let mut app1 = EXIF_HEADER.to_vec();
        app1.extend_from_slice(&tiff);
        let mut jpeg = SOI.to_vec();
        jpeg.extend_from_slice(&[0xFF, 0xE0, 0, 4, 0xAA, 0xBB]); // a tiny APP0
        jpeg.extend_from_slice(&[0xFF, APP1]);
        let len = u16::try_from(app1.len() + 2).expect("small");
        jpeg.extend_from_slice(&len.to_be_bytes());
        jpeg.extend_from_slice(&app1);
        jpeg.extend_from_slice(&[0xFF, SOS, 0, 2]);
        jpeg
    }

    #[test]
    fn reads_the_orientation() {
        assert_eq!(
            jpeg_orientation(&jpeg_with_orientation(6)),
            Orientation::Rotate90
        );
        assert_eq!(
            jpeg_orientation(&jpeg_with_orientation(3)),
            Orientation::Rotate180
        );
        assert_eq!(
            jpeg_orientation(&jpeg_with_orientation(1)),
            Orientation::NoTransforms
        );
    }

    #[test]
    fn tolerates_garbage() {
        for bad in [
            &b""[..],
            b"\xFF\xD8",
            b"\xFF\xD8\xFF\xE1\xFF\xFF",
            b"\xFF\xD8\xFF\xE1\x00\x01",
            b"\xFF\xD8\x00\x00",
            b"not a jpeg",
        ] {
            assert_eq!(jpeg_orientation(bad), Orientation::NoTransforms);
        }
        let mut cut = jpeg_with_orientation(6);
        cut.truncate(20);
        assert_eq!(jpeg_orientation(&cut), Orientation::NoTransforms);
    }
}
