//! Uploads that are refused, each with its documented status: too big (413,
//! decided from `Content-Length` before the body is read, or while
//! streaming), not an image by its bytes (415: text named `.png`, SVG),
//! undecodable (422: truncated JPEG), a decompression bomb (422), signed
//! out (401), over the upload rate limit (429). None of them stores
//! anything, and the server stays healthy.

use crate::helpers::*;
use crate::media_support::*;
use futures::stream;
use reqwest::StatusCode;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

both_backends!(
    each_bad_upload_gets_its_status_and_stores_nothing,
    an_oversized_body_is_refused_before_it_is_read,
    a_streamed_body_is_cut_off_at_the_limit,
    the_upload_rate_limit_applies_per_user,
    a_form_without_a_file_or_not_multipart_is_refused,
);

/// The server answers and still takes a good upload.
async fn assert_healthy(app: &TestApp, who: &Session) {
    expect_status(app.get("/healthz").await, StatusCode::OK).await;
    expect_status(app.get("/readyz").await, StatusCode::OK).await;
    let media = upload_ready(app, who, jpeg(32, 32)).await;
    let stored = stored_files(app);
    assert_eq!(stored.len(), 2, "original and thumbnail: {stored:?}");
    // Leave no trace for the next check.
    let _ = media;
}

/// `len` bytes that start like a JPEG (so only their size is wrong).
fn jpeg_looking(len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    bytes[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    bytes
}

async fn each_bad_upload_gets_its_status_and_stores_nothing(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.media.max_upload_bytes = 256 * 1024).await;
    let alice = app.signup("alice").await;
    let mut truncated = jpeg(300, 200);
    truncated.truncate(truncated.len() / 2);
    let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#;
    const UNSUPPORTED: (StatusCode, &str) =
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    const INVALID: (StatusCode, &str) = (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    const TOO_LARGE: (StatusCode, &str) = (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    // (what, file, its name, its declared type, expected status and code)
    let cases = [
        (
            "text named .png",
            b"just some text, honestly".to_vec(),
            "notes.png",
            "image/png",
            UNSUPPORTED,
        ),
        (
            "SVG",
            svg.to_vec(),
            "logo.svg",
            "image/svg+xml",
            UNSUPPORTED,
        ),
        (
            "HTML named .jpg",
            b"<html><script>alert(1)</script></html>".to_vec(),
            "a.jpg",
            "image/jpeg",
            UNSUPPORTED,
        ),
        (
            "empty file",
            Vec::new(),
            "empty.png",
            "image/png",
            UNSUPPORTED,
        ),
        (
            "truncated JPEG",
            truncated,
            "cut.jpg",
            "image/jpeg",
            INVALID,
        ),
        (
            "30000×30000 PNG bomb",
            png_bomb(30_000, 30_000),
            "bomb.png",
            "image/png",
            INVALID,
        ),
        (
            "PNG header only",
            png_bomb(100, 100)[..40].to_vec(),
            "head.png",
            "image/png",
            INVALID,
        ),
        (
            "too big",
            jpeg_looking(300 * 1024),
            "big.jpg",
            "image/jpeg",
            TOO_LARGE,
        ),
    ];
    for (what, bytes, name, claimed, (status, code)) in cases {
        let response =
            upload_form(&app, Some(&alice.access_token), form(bytes, name, claimed)).await;
        let body = assert_error(response, status, code).await;
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            assert!(
                body["error"]["fields"]["file"].is_string(),
                "{what}: {body}"
            );
        }
        assert_eq!(
            stored_files(&app),
            Vec::<String>::new(),
            "{what} stored nothing"
        );
    }
    let bomb = png_bomb(30_000, 30_000);
    assert!(
        bomb.len() < 8 * 1024,
        "the bomb is a few KB: {}",
        bomb.len()
    );

    // Signed out: 401, whatever the body.
    let response = upload_form(&app, None, form(jpeg(10, 10), "a.jpg", "image/jpeg")).await;
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(stored_files(&app), Vec::<String>::new());

    assert_healthy(&app, &alice).await;
}

async fn an_oversized_body_is_refused_before_it_is_read(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    // Declare 100 MB, send only the headers: the answer must come anyway.
    let mut socket = std::net::TcpStream::connect(app.addr).expect("connect");
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let request = format!(
        "POST /api/v1/media HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: 100000000\r\n\r\n",
        app.addr, alice.access_token
    );
    let started = Instant::now();
    socket.write_all(request.as_bytes()).expect("send headers");
    let mut answer = [0u8; 512];
    let n = socket.read(&mut answer).expect("an answer without a body");
    let head = String::from_utf8_lossy(&answer[..n]);
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(started.elapsed() < Duration::from_secs(5));

    // Default limit: 5 MiB. A real 6 MiB upload is refused too.
    let response = app
        .client()
        .post(app.url("/api/v1/media"))
        .bearer_auth(&alice.access_token)
        .multipart(form(jpeg_looking(6 * 1024 * 1024), "big.jpg", "image/jpeg"))
        .send()
        .await;
    match response {
        Ok(response) => {
            assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        }
        // The answer came before the body was sent, and the server closed
        // the connection under a client still writing: also a refusal.
        Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
    }
    assert_eq!(stored_files(&app), Vec::<String>::new());
    assert_healthy(&app, &alice).await;
}

async fn a_streamed_body_is_cut_off_at_the_limit(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.media.max_upload_bytes = 100 * 1024).await;
    let alice = app.signup("alice").await;
    // Chunked (no Content-Length): a JPEG-looking file that never ends.
    let head = b"--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\
                 Content-Type: image/jpeg\r\n\r\n\xFF\xD8\xFF\xE0"
        .to_vec();
    let chunks = std::iter::once(head).chain(std::iter::repeat_n(vec![0u8; 16 * 1024], 64));
    let body = reqwest::Body::wrap_stream(stream::iter(chunks.map(Ok::<_, std::io::Error>)));
    let response = app
        .client()
        .post(app.url("/api/v1/media"))
        .bearer_auth(&alice.access_token)
        .header("content-type", "multipart/form-data; boundary=XYZ")
        .body(body)
        .send()
        .await;
    match response {
        Ok(response) => {
            assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        }
        // The server may close the connection while the client still sends.
        Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
    }
    assert_eq!(stored_files(&app), Vec::<String>::new());
    assert_healthy(&app, &alice).await;
}

async fn the_upload_rate_limit_applies_per_user(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.rate_limits.upload = limit(3)).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    for n in 0..3 {
        let response = upload_raw(&app, &alice.access_token, jpeg(16, 16)).await;
        assert_eq!(response.headers()["ratelimit-limit"], "3");
        assert_eq!(
            response.headers()["ratelimit-remaining"],
            (2 - n).to_string()
        );
        expect_json(response, StatusCode::CREATED).await;
    }
    let response = upload_raw(&app, &alice.access_token, jpeg(16, 16)).await;
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(response.headers()["ratelimit-remaining"], "0");
    assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Per user: Bob is not affected.
    expect_json(
        upload_raw(&app, &bob.access_token, jpeg(16, 16)).await,
        StatusCode::CREATED,
    )
    .await;
}

async fn a_form_without_a_file_or_not_multipart_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let other_field = reqwest::multipart::Form::new().text("description", "no file here");
    let response = upload_form(&app, Some(&alice.access_token), other_field).await;
    let body = assert_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(body["error"]["fields"]["file"].is_string(), "{body}");
    let response = app
        .client()
        .post(app.url("/api/v1/media"))
        .bearer_auth(&alice.access_token)
        .header("content-type", "image/jpeg")
        .body(jpeg(10, 10))
        .send()
        .await
        .expect("raw upload");
    assert_error(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    assert_eq!(stored_files(&app), Vec::<String>::new());
}
