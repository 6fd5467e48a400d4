//! Uploads that are accepted: `POST /api/v1/media` answers 201 `processing`
//! before the thumbnail exists, the thumbnail appears in the background
//! (fits 200×200, aspect kept, never upscaled), the files are served with
//! the sniffed type and the protective headers, the stored original is a
//! re-encoding (no EXIF, no GPS, rotated upright), and pending jobs survive
//! a restart.

use crate::helpers::*;
use crate::media_support::*;
use reqwest::StatusCode;

both_backends!(
    upload_is_processing_then_ready_with_a_real_thumbnail,
    files_are_served_with_their_type_and_protective_headers,
    thumbnails_keep_the_aspect_ratio_and_never_upscale,
    every_format_is_accepted_by_its_bytes_and_keeps_it,
    exif_and_gps_are_gone_and_the_orientation_is_applied,
    a_polyglot_gif_is_stored_re_encoded_no_longer_html,
    pending_thumbnails_survive_a_restart,
    a_job_left_running_by_a_stopped_server_is_taken_back,
    a_thumbnail_that_cannot_be_made_fails_with_a_reason,
    uploads_are_private_to_their_owner,
);

async fn upload_is_processing_then_ready_with_a_real_thumbnail(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let media = upload(&app, &alice, jpeg(1200, 600)).await;
    assert_eq!(media["content_type"], "image/jpeg");
    assert_eq!(
        (media["width"].as_i64(), media["height"].as_i64()),
        (Some(1200), Some(600))
    );
    let id = media["id"].as_str().expect("id");

    let ready = wait_processed(&app, &alice, id).await;
    assert_eq!(ready["status"], "ready", "{ready}");
    assert_eq!(ready["id"], media["id"]);
    assert_eq!(
        ready["url"], media["url"],
        "the original stays where it was"
    );
    let thumbnail_url = ready["thumbnail_url"]
        .as_str()
        .expect("a thumbnail once ready");
    assert_eq!(
        ready["preview_url"], thumbnail_url,
        "the preview is the thumbnail once ready"
    );
    assert_ne!(thumbnail_url, ready["url"]);

    let thumbnail = fetch_file(&app, thumbnail_url, "image/jpeg").await;
    assert_eq!(dimensions(&thumbnail), (200, 100));
    let original = fetch_file(&app, ready["url"].as_str().expect("url"), "image/jpeg").await;
    assert_eq!(dimensions(&original), (1200, 600));
    assert_eq!(
        i64::try_from(original.len()).expect("size"),
        ready["size_bytes"].as_i64().expect("size_bytes"),
        "size_bytes is the stored original's size"
    );
}

async fn files_are_served_with_their_type_and_protective_headers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let media = upload_ready(&app, &alice, png(300, 300, true)).await;
    // Whatever the client claimed, the type is the sniffed one.
    fetch_file(&app, media["url"].as_str().expect("url"), "image/png").await;
    let thumbnail = fetch_file(
        &app,
        media["thumbnail_url"].as_str().expect("thumbnail"),
        "image/png",
    )
    .await;
    assert_eq!(dimensions(&thumbnail), (200, 200));
    let thumb = image::load_from_memory(&thumbnail).expect("decodes");
    assert!(
        thumb.color().has_alpha(),
        "transparency survives in the thumbnail"
    );

    // A HEAD has the same headers; unknown or malformed keys are 404.
    let head = app
        .client()
        .head(app.url(media["url"].as_str().expect("url")))
        .send()
        .await
        .expect("HEAD");
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["x-content-type-options"], "nosniff");
    for bad in [
        "/media/0123456789abcdef0123456789abcdef.jpg",
        "/media/..%2Fparley.db",
        "/media/parley.db",
        "/media/keys",
        "/media/0123456789abcdef0123456789abcdef.html",
    ] {
        let (status, _, _) = fetch(&app, bad).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
    }
}

async fn thumbnails_keep_the_aspect_ratio_and_never_upscale(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    for (width, height, expected) in [
        (600, 1800, (67, 200)),
        (4000, 3000, (200, 150)),
        (120, 80, (120, 80)),
        (200, 40, (200, 40)),
    ] {
        let media = upload_ready(&app, &alice, jpeg(width, height)).await;
        let thumbnail = fetch_file(
            &app,
            media["thumbnail_url"].as_str().expect("thumbnail"),
            "image/jpeg",
        )
        .await;
        assert_eq!(dimensions(&thumbnail), expected, "{width}×{height}");
    }
}

async fn every_format_is_accepted_by_its_bytes_and_keeps_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let mut webp = Vec::new();
    image::DynamicImage::ImageRgb8(rgb_card(64, 48))
        .write_to(
            &mut std::io::Cursor::new(&mut webp),
            image::ImageFormat::WebP,
        )
        .expect("encode a WebP");
    for (bytes, name, claimed, expected, size) in [
        (
            jpeg(64, 48),
            "photo.png",
            "image/png",
            "image/jpeg",
            (64, 48),
        ),
        (
            png(64, 48, false),
            "drawing.gif",
            "image/gif",
            "image/png",
            (64, 48),
        ),
        (
            gif(64, 48, 3),
            "anim.jpg",
            "text/plain",
            "image/gif",
            (64, 48),
        ),
        (
            webp,
            "pic",
            "application/octet-stream",
            "image/webp",
            (64, 48),
        ),
    ] {
        let response =
            upload_form(&app, Some(&alice.access_token), form(bytes, name, claimed)).await;
        let media = expect_json(response, StatusCode::CREATED).await;
        assert_eq!(media["content_type"], expected, "{name}: {media}");
        let media = wait_processed(&app, &alice, media["id"].as_str().expect("id")).await;
        assert_eq!(media["status"], "ready", "{media}");
        let original = fetch_file(&app, media["url"].as_str().expect("url"), expected).await;
        assert_eq!(dimensions(&original), size, "{name}");
    }
    // An animated GIF stays animated.
    let media = upload_ready(&app, &alice, gif(32, 32, 5)).await;
    let stored = fetch_file(&app, media["url"].as_str().expect("url"), "image/gif").await;
    let frames = image::AnimationDecoder::into_frames(
        image::codecs::gif::GifDecoder::new(std::io::Cursor::new(stored)).expect("a GIF"),
    )
    .count();
    assert_eq!(frames, 5, "every frame is kept");
}

async fn exif_and_gps_are_gone_and_the_orientation_is_applied(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    // Orientation 6: the camera was turned, the viewer rotates 90° clockwise.
    let photo = jpeg_with_exif(&jpeg(400, 200), 6);
    assert!(contains(&photo, EXIF_SECRET.as_bytes()) && contains(&photo, b"Exif\0\0"));
    let media = upload_ready(&app, &alice, photo).await;
    assert_eq!(
        (media["width"].as_i64(), media["height"].as_i64()),
        (Some(200), Some(400)),
        "stored upright: {media}"
    );
    let url = media["url"].as_str().expect("url");
    for stored in [
        fetch_file(&app, url, "image/jpeg").await,
        stored_file(&app, url),
    ] {
        assert!(
            !contains(&stored, b"Exif"),
            "no EXIF block in the stored original"
        );
        assert!(
            !contains(&stored, EXIF_SECRET.as_bytes()),
            "no EXIF text survives"
        );
        assert!(!contains(&stored, &[0xFF, 0xE1]), "no APP1 segment at all");
        assert_eq!(dimensions(&stored), (200, 400));
    }
    let thumbnail = fetch_file(
        &app,
        media["thumbnail_url"].as_str().expect("thumbnail"),
        "image/jpeg",
    )
    .await;
    assert_eq!(dimensions(&thumbnail), (100, 200));
}

async fn a_polyglot_gif_is_stored_re_encoded_no_longer_html(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let polyglot = gif_html_polyglot();
    assert!(contains(&polyglot, b"<script>"));
    let response = upload_form(
        &app,
        Some(&alice.access_token),
        form(polyglot, "page.html", "text/html"),
    )
    .await;
    let media = expect_json(response, StatusCode::CREATED).await;
    assert_eq!(media["content_type"], "image/gif", "{media}");
    let url = media["url"].as_str().expect("url");
    let served = fetch_file(&app, url, "image/gif").await;
    for stored in [&served, &stored_file(&app, url)] {
        assert!(!contains(stored, b"<script"), "the script is gone");
        assert!(!contains(stored, b"<html"), "no HTML left");
        assert_eq!(stored.last(), Some(&0x3B), "nothing after the GIF trailer");
        assert_eq!(dimensions(stored), (4, 4), "still the same image");
    }
}

async fn pending_thumbnails_survive_a_restart(backend: Backend) {
    // No worker on the first run: the job must wait in the database.
    let mut app = TestApp::spawn_with(backend, |c| c.media.workers = 0).await;
    let alice = app.signup("alice").await;
    let media = upload(&app, &alice, jpeg(800, 800)).await;
    let id = media["id"].as_str().expect("id").to_owned();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let still = expect_json(get_media(&app, &alice, &id).await, StatusCode::OK).await;
    assert_eq!(still["status"], "processing");

    app.config.media.workers = 1;
    app.restart().await;
    let alice = app.signin("alice", PASSWORD).await;
    let ready = wait_processed(&app, &alice, &id).await;
    assert_eq!(ready["status"], "ready", "{ready}");
    let thumbnail = fetch_file(
        &app,
        ready["thumbnail_url"].as_str().expect("thumbnail"),
        "image/jpeg",
    )
    .await;
    assert_eq!(dimensions(&thumbnail), (200, 200));
}

async fn a_job_left_running_by_a_stopped_server_is_taken_back(backend: Backend) {
    let mut app = TestApp::spawn_with(backend, |c| c.media.workers = 0).await;
    let alice = app.signup("alice").await;
    let media = upload(&app, &alice, jpeg(300, 300)).await;
    // As if a worker had claimed the job and the process then died.
    let claimed = app
        .state
        .store
        .claim_media_job(parley_core::Timestamp::now())
        .await
        .expect("claim")
        .expect("the upload's job");
    assert_eq!(
        claimed.media_id.to_string(),
        media["id"].as_str().expect("id")
    );
    app.config.media.workers = 1;
    app.restart().await;
    let alice = app.signin("alice", PASSWORD).await;
    let ready = wait_processed(&app, &alice, media["id"].as_str().expect("id")).await;
    assert_eq!(ready["status"], "ready", "{ready}");
}

async fn a_thumbnail_that_cannot_be_made_fails_with_a_reason(backend: Backend) {
    let mut app = TestApp::spawn_with(backend, |c| c.media.workers = 0).await;
    let alice = app.signup("alice").await;
    let media = upload(&app, &alice, jpeg(300, 300)).await;
    // The stored original is damaged before the worker gets to it.
    let url = media["url"].as_str().expect("url");
    let path = media_dir(&app).join(url.trim_start_matches("/media/"));
    std::fs::write(&path, b"this is not an image any more").expect("damage the file");
    app.config.media.workers = 1;
    app.restart().await;
    let alice = app.signin("alice", PASSWORD).await;
    let failed = wait_processed(&app, &alice, media["id"].as_str().expect("id")).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert!(
        failed["failure_reason"]
            .as_str()
            .is_some_and(|r| !r.is_empty()),
        "a failed media says why: {failed}"
    );
    assert!(failed["thumbnail_url"].is_null(), "{failed}");
    assert_eq!(failed["preview_url"], failed["url"], "{failed}");
    // The server is fine: the next upload gets its thumbnail.
    upload_ready(&app, &alice, jpeg(50, 50)).await;
}

async fn uploads_are_private_to_their_owner(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let media = upload(&app, &alice, jpeg(40, 40)).await;
    let id = media["id"].as_str().expect("id");
    assert_error(
        get_media(&app, &bob, id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.get(&format!("/api/v1/media/{id}")).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        get_media(&app, &alice, "not-an-id").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        get_media(&app, &alice, &uuid::Uuid::now_v7().to_string()).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
