//! Media accessibility: an uploader describes an image (before or after
//! attaching it; someone else's is 404; too long or with control characters
//! is 422 and changes nothing), the description travels with the post and
//! the message, and a ready image carries a BlurHash of itself.

use crate::helpers::*;
use crate::media_support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    uploads_are_described_by_their_owner,
    a_ready_image_has_a_blurhash_that_decodes,
);

async fn describe(app: &TestApp, who: &Session, id: &str, text: &str) -> reqwest::Response {
    app.bearer_patch(
        &who.access_token,
        &format!("/api/v1/media/{id}"),
        &json!({"alt_text": text}),
    )
    .await
}

async fn uploads_are_described_by_their_owner(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let photo = upload(&app, &alice, jpeg(320, 240)).await;
    assert_eq!(photo["alt_text"], "");
    let id = photo["id"].as_str().expect("id").to_owned();

    let described = expect_json(
        describe(&app, &alice, &id, "  A red card on a white table  ").await,
        StatusCode::OK,
    )
    .await;
    assert_media_shape(&described);
    assert_eq!(described["alt_text"], "A red card on a white table");

    // Not bob's to describe; too long or with control characters is refused.
    assert_error(
        describe(&app, &bob, &id, "mine now").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_invalid(
        describe(&app, &alice, &id, &"x".repeat(1501)).await,
        "alt_text",
    )
    .await;
    assert_invalid(describe(&app, &alice, &id, "bell\u{7}").await, "alt_text").await;
    let unknown = describe(&app, &alice, "0190a5b4-0000-7000-8000-000000000000", "x").await;
    assert_error(unknown, StatusCode::NOT_FOUND, "not_found").await;
    let after = expect_json(get_media(&app, &alice, &id).await, StatusCode::OK).await;
    assert_eq!(
        after["alt_text"], "A red card on a white table",
        "nothing changed"
    );

    // It travels with the post, and can still be changed once attached.
    let post = expect_json(
        post_with_media(&app, &alice, &[&id]).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(post["media"][0]["alt_text"], "A red card on a white table");
    expect_json(
        describe(&app, &alice, &id, "A red card, face down").await,
        StatusCode::OK,
    )
    .await;
    let seen = expect_json(
        app.bearer_get(
            &bob.access_token,
            &format!("/api/v1/posts/{}", post["id"].as_str().expect("post id")),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["media"][0]["alt_text"], "A red card, face down");

    // And with a message.
    let shot = upload(&app, &alice, png(64, 64, false)).await;
    let shot_id = shot["id"].as_str().expect("id").to_owned();
    expect_json(
        describe(&app, &alice, &shot_id, "A screenshot").await,
        StatusCode::OK,
    )
    .await;
    let d = direct_conversation(&app, &alice, &bob).await;
    let sent = send_message(
        &app,
        &alice,
        &d,
        &json!({"text": "see", "media_ids": [shot_id]}),
    )
    .await;
    let message: Value = expect_json(sent, StatusCode::CREATED).await;
    assert_eq!(message["media"][0]["alt_text"], "A screenshot");
}

async fn a_ready_image_has_a_blurhash_that_decodes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let processing = upload(&app, &alice, jpeg(640, 480)).await;
    assert_eq!(
        processing["blurhash"],
        Value::Null,
        "none before the thumbnail"
    );
    let ready = wait_processed(&app, &alice, processing["id"].as_str().expect("id")).await;
    assert_eq!(ready["status"], "ready");
    let hash = ready["blurhash"].as_str().expect("a blurhash once ready");
    // 4×3 components: 1 size + 1 max + 4 DC + 2 × 11 AC characters.
    assert_eq!(hash.len(), 28, "{hash}");
    assert!(
        blurhash::decode(hash, 32, 24, 1.0).is_ok(),
        "{hash} must decode"
    );
}
