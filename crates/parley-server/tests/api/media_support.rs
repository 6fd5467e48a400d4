//! Helpers for the media tests: images made on the spot (JPEG with EXIF and
//! GPS, PNG, GIF, a decompression bomb, a GIF/HTML polyglot), uploads as a
//! native client would send them (multipart field `file`), waiting for a
//! thumbnail, fetching served files, and looking at the media folder (the
//! one place a test looks behind the API: to prove files are, or are not,
//! stored).

use crate::helpers::*;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, RgbImage, RgbaImage};
use reqwest::header::HeaderMap;
use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long a thumbnail (or a file deletion) may take before a test fails.
pub const PATIENCE: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------

/// A colourful RGB test card (gradients, so it compresses like a photo).
pub fn rgb_card(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let r = (x * 255 / width.max(1)) as u8;
        let g = (y * 255 / height.max(1)) as u8;
        image::Rgb([r, g, ((x ^ y) & 0xFF) as u8])
    })
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(
            rgb_card(width, height).as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .expect("encode a JPEG");
    out
}

/// A PNG; with `transparent`, its left half is see-through.
pub fn png(width: u32, height: u32, transparent: bool) -> Vec<u8> {
    let card = rgb_card(width, height);
    let rgba = RgbaImage::from_fn(width, height, |x, y| {
        let [r, g, b] = card.get_pixel(x, y).0;
        let a = if transparent && x < width / 2 { 0 } else { 255 };
        image::Rgba([r, g, b, a])
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            rgba.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgba8,
        )
        .expect("encode a PNG");
    out
}

/// A small animated GIF (`frames` frames).
pub fn gif(width: u16, height: u16, frames: u16) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let palette = [0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255];
        let mut encoder =
            gif::Encoder::new(&mut out, width, height, &palette).expect("GIF encoder");
        encoder
            .set_repeat(gif::Repeat::Infinite)
            .expect("GIF repeat");
        for n in 0..frames {
            let pixels: Vec<u8> = (0..usize::from(width) * usize::from(height))
                .map(|i| ((i + usize::from(n)) % 3) as u8)
                .collect();
            let frame = gif::Frame {
                width,
                height,
                delay: 10,
                buffer: std::borrow::Cow::Owned(pixels),
                ..gif::Frame::default()
            };
            encoder.write_frame(&frame).expect("GIF frame");
        }
    }
    out
}

/// A GIF/HTML polyglot: a valid GIF whose comment extension and trailing
/// bytes are an HTML page with a script. Browsers that sniff would run it.
pub fn gif_html_polyglot() -> Vec<u8> {
    let html = b"<html><body><script>alert(document.cookie)</script></body></html>";
    let clean = gif(4, 4, 1);
    // Header (6) + logical screen descriptor (7) + global palette (4 colours × 3).
    let after_palette = 6 + 7 + 12;
    let mut out = clean[..after_palette].to_vec();
    out.extend_from_slice(&[0x21, 0xFE]); // comment extension
    for chunk in html.chunks(255) {
        out.push(u8::try_from(chunk.len()).expect("sub-block"));
        out.extend_from_slice(chunk);
    }
    out.push(0);
    out.extend_from_slice(&clean[after_palette..]);
    out.extend_from_slice(html); // after the trailer, too
    out
}

/// `jpeg` with an APP1 EXIF segment right after SOI: IFD0 with Orientation =
/// `orientation`, an ImageDescription marker and a GPS IFD (latitude and
/// longitude of somewhere specific).
pub fn jpeg_with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let tiff = exif_tiff(orientation);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec(); // SOI
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(
        &u16::try_from(app1.len() + 2)
            .expect("EXIF fits a segment")
            .to_be_bytes(),
    );
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// Text an EXIF block carries that must not survive storage.
pub const EXIF_SECRET: &str = "PARLEY-SECRET-LOCATION";

fn exif_tiff(orientation: u16) -> Vec<u8> {
    // Little-endian TIFF: header, IFD0 (3 entries), GPS IFD (4 entries), data.
    let description = format!("{EXIF_SECRET}\0");
    let ifd0_at = 8u32;
    let ifd0_len = 2 + 3 * 12 + 4;
    let gps_at = ifd0_at + ifd0_len;
    let gps_len = 2 + 4 * 12 + 4;
    let data_at = gps_at + gps_len;
    let desc_at = data_at;
    let lat_at = desc_at + u32::try_from(description.len()).expect("short");
    let lon_at = lat_at + 24;
    let mut t = b"II*\0".to_vec();
    t.extend_from_slice(&ifd0_at.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    t.extend_from_slice(&3u16.to_le_bytes());
    let desc_len = u32::try_from(description.len()).expect("short");
    entry(&mut t, 0x010E, 2, desc_len, desc_at.to_le_bytes()); // ImageDescription
    let o = orientation.to_le_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]); // Orientation
    entry(&mut t, 0x8825, 4, 1, gps_at.to_le_bytes()); // GPS IFD pointer
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0"); // GPSLatitudeRef
    entry(&mut t, 0x0002, 5, 3, lat_at.to_le_bytes()); // GPSLatitude
    entry(&mut t, 0x0003, 2, 2, *b"E\0\0\0"); // GPSLongitudeRef
    entry(&mut t, 0x0004, 5, 3, lon_at.to_le_bytes()); // GPSLongitude
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(description.as_bytes());
    for (deg, min, sec) in [(37u32, 33u32, 5u32), (126, 58, 41)] {
        for v in [deg, min, sec] {
            t.extend_from_slice(&v.to_le_bytes());
            t.extend_from_slice(&1u32.to_le_bytes());
        }
    }
    t
}

/// A PNG that declares `width`×`height` pixels but holds only a few KB: a
/// decompression bomb. Its chunks are well-formed (valid CRCs).
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey, no interlace
    // A zlib stream of stored blocks holding the first rows (all zero).
    let rows = vec![0u8; 4096];
    let mut idat = vec![0x78, 0x01];
    idat.push(1); // final stored block
    let len = u16::try_from(rows.len()).expect("block");
    idat.extend_from_slice(&len.to_le_bytes());
    idat.extend_from_slice(&(!len).to_le_bytes());
    idat.extend_from_slice(&rows);
    idat.extend_from_slice(&adler32(&rows).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(&b"IHDR"[..], ihdr), (b"IDAT", idat), (b"IEND", Vec::new())] {
        out.extend_from_slice(&u32::try_from(data.len()).expect("chunk").to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(&data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// Width and height of an encoded image, decoded by an independent decoder.
pub fn dimensions(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(bytes).expect("a decodable image");
    (image.width(), image.height())
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/// A multipart form with `bytes` as field `file` (named and typed as the
/// client says, which the server must ignore).
pub fn form(bytes: Vec<u8>, file_name: &str, declared_type: &str) -> Form {
    let part = Part::bytes(bytes)
        .file_name(file_name.to_owned())
        .mime_str(declared_type)
        .expect("a MIME type");
    Form::new().part("file", part)
}

/// `POST /api/v1/media` with `form`, as `token`'s owner (or signed out).
pub async fn upload_form(app: &TestApp, token: Option<&str>, form: Form) -> Response {
    let mut request = app.client().post(app.url("/api/v1/media")).multipart(form);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("upload request")
}

/// Uploads `bytes` (as `image.bin`, `application/octet-stream`).
pub async fn upload_raw(app: &TestApp, token: &str, bytes: Vec<u8>) -> Response {
    upload_form(
        app,
        Some(token),
        form(bytes, "image.bin", "application/octet-stream"),
    )
    .await
}

/// Uploads `bytes`; asserts 201, `processing` and the `Media` shape.
pub async fn upload(app: &TestApp, who: &Session, bytes: Vec<u8>) -> Value {
    let media = expect_json(
        upload_raw(app, &who.access_token, bytes).await,
        StatusCode::CREATED,
    )
    .await;
    assert_media_shape(&media);
    assert_eq!(media["status"], "processing", "{media}");
    assert!(media["thumbnail_url"].is_null(), "{media}");
    assert_eq!(media["preview_url"], media["url"], "{media}");
    media
}

/// `GET /api/v1/media/{id}`.
pub async fn get_media(app: &TestApp, who: &Session, id: &str) -> Response {
    app.bearer_get(&who.access_token, &format!("/api/v1/media/{id}"))
        .await
}

/// Polls the media until it is no longer `processing`; returns it.
pub async fn wait_processed(app: &TestApp, who: &Session, id: &str) -> Value {
    let started = Instant::now();
    loop {
        let media = expect_json(get_media(app, who, id).await, StatusCode::OK).await;
        assert_media_shape(&media);
        if media["status"] != "processing" {
            return media;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "media {id} still processing after {PATIENCE:?}: {media}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Uploads and waits for the thumbnail; asserts `ready`.
pub async fn upload_ready(app: &TestApp, who: &Session, bytes: Vec<u8>) -> Value {
    let media = upload(app, who, bytes).await;
    let media = wait_processed(app, who, media["id"].as_str().expect("id")).await;
    assert_eq!(media["status"], "ready", "{media}");
    media
}

/// docs/api.md's `Media` = `{id, content_type, width, height, size_bytes, status,
/// url, thumbnail_url|null, preview_url}`.
pub fn assert_media_shape(media: &Value) {
    assert!(media["id"].is_string(), "Media.id: {media}");
    let content_type = media["content_type"].as_str().unwrap_or_default();
    assert!(
        ["image/jpeg", "image/png", "image/gif", "image/webp"].contains(&content_type),
        "Media.content_type: {media}"
    );
    for key in ["width", "height", "size_bytes"] {
        assert!(
            media[key].as_i64().is_some_and(|n| n > 0),
            "Media.{key}: {media}"
        );
    }
    assert!(
        ["processing", "ready", "failed"].contains(&media["status"].as_str().unwrap_or_default()),
        "Media.status: {media}"
    );
    for key in ["url", "preview_url"] {
        assert!(
            media[key]
                .as_str()
                .is_some_and(|u| u.starts_with("/media/")),
            "Media.{key}: {media}"
        );
    }
    assert!(
        media["thumbnail_url"].is_null()
            || media["thumbnail_url"]
                .as_str()
                .is_some_and(|u| u.starts_with("/media/")),
        "Media.thumbnail_url: {media}"
    );
}

/// `GET url` (a served file); returns status, headers and body.
pub async fn fetch(app: &TestApp, url: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let response = app.get(url).await;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("read the file").to_vec();
    (status, headers, body)
}

/// Fetches a served file; asserts 200 and the headers every media file has.
pub async fn fetch_file(app: &TestApp, url: &str, content_type: &str) -> Vec<u8> {
    let (status, headers, body) = fetch(app, url).await;
    assert_eq!(status, StatusCode::OK, "{url}");
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), content_type, "{url}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{url}");
    let csp = header("content-security-policy");
    assert!(
        csp.contains("default-src 'none'") && csp.contains("sandbox"),
        "{url}: CSP {csp:?}"
    );
    let cache = header("cache-control");
    assert!(
        cache.contains("immutable") && cache.contains("max-age=31536000"),
        "{url}: Cache-Control {cache:?}"
    );
    assert_eq!(header("content-length"), body.len().to_string(), "{url}");
    body
}

/// `POST /api/v1/posts` with text and media ids.
pub async fn post_with_media(app: &TestApp, who: &Session, media_ids: &[&str]) -> Response {
    app.bearer_post(
        &who.access_token,
        "/api/v1/posts",
        &json!({"text": "look at this", "media_ids": media_ids}),
    )
    .await
}

/// A direct conversation between `a` and `b`; returns its id.
pub async fn direct_conversation(app: &TestApp, a: &Session, b: &Session) -> String {
    let conversation = app
        .bearer_post(
            &a.access_token,
            "/api/v1/conversations",
            &json!({"usernames": [b.username()]}),
        )
        .await;
    let conversation = body_json(conversation).await;
    conversation["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a conversation: {conversation}"))
        .to_owned()
}

/// `POST /api/v1/conversations/{id}/messages`.
pub async fn send_message(
    app: &TestApp,
    who: &Session,
    conversation: &str,
    body: &Value,
) -> Response {
    app.bearer_post(
        &who.access_token,
        &format!("/api/v1/conversations/{conversation}/messages"),
        body,
    )
    .await
}

// ---------------------------------------------------------------------------
// Behind the API: the media folder
// ---------------------------------------------------------------------------

/// The local media folder of a test server.
pub fn media_dir(app: &TestApp) -> PathBuf {
    app.data_path().join("media")
}

/// Names of the files in the media folder (none if it does not exist).
pub fn stored_files(app: &TestApp) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(media_dir(app))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The file a `/media/<key>` URL serves, as stored.
pub fn stored_file(app: &TestApp, url: &str) -> Vec<u8> {
    let key = url.strip_prefix("/media/").expect("a media URL");
    std::fs::read(media_dir(app).join(key)).expect("the stored file")
}

/// Waits until none of `urls` is stored nor served any more.
pub async fn wait_gone(app: &TestApp, urls: &[String]) {
    let started = Instant::now();
    for url in urls {
        let key = url.strip_prefix("/media/").expect("a media URL");
        while media_dir(app).join(key).exists() {
            assert!(
                started.elapsed() < PATIENCE,
                "{url} still stored after {PATIENCE:?}; files: {:?}",
                stored_files(app)
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let (status, _, _) = fetch(app, url).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{url} still served");
    }
}

/// The URLs of a ready media: original and thumbnail.
pub fn urls_of(media: &Value) -> Vec<String> {
    ["url", "thumbnail_url"]
        .iter()
        .filter_map(|k| media[*k].as_str().map(str::to_owned))
        .collect()
}
