//! `/api/v1/posts`: writing, reading, editing and deleting posts, the text
//! rules (1–500 characters after trimming, counted as characters), who may
//! change a post, and hashtag extraction.

use crate::helpers::*;
use crate::social_support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

both_backends!(
    creating_a_post_returns_the_whole_post,
    text_rules_are_422_and_store_nothing,
    text_length_counts_characters_not_bytes,
    writing_needs_sign_in,
    unknown_and_malformed_post_ids_are_404,
    the_author_edits_a_post_and_its_hashtags_follow,
    an_invalid_edit_is_422_and_changes_nothing,
    another_user_cannot_edit_or_delete_a_post,
    deleting_a_post_is_204_then_404_and_uncounts_it,
    hashtags_are_lower_cased_unique_and_start_at_a_word_boundary,
);

async fn creating_a_post_returns_the_whole_post(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    assert_eq!(posts_count(&app, "alice").await, 0);

    let response = post_raw(&app, &alice.access_token, "  \n Hello #Rust world \t ").await;
    let post = expect_json(response, StatusCode::CREATED).await;
    assert_post_shape(&post);
    let id = id_of(&post);
    assert!(
        uuid::Uuid::parse_str(&id).is_ok(),
        "Post.id is a UUID: {post}"
    );
    assert_summary_of(&post["author"], &alice);
    assert_eq!(post["author"]["display_name"], "alice", "{post}");
    assert!(post["author"]["avatar_url"].is_null(), "{post}");
    assert_eq!(post["text"], "Hello #Rust world", "text is trimmed");
    assert_eq!(post["hashtags"], json!(["rust"]));
    assert_eq!(post["media"], json!([]));
    assert_eq!(post["like_count"], 0);
    assert_eq!(post["comment_count"], 0);
    assert_eq!(post["liked_by_me"], false);
    assert_recent(&post["created_at"]);
    assert_eq!(post.get("edited_at"), Some(&Value::Null), "{post}");

    // Reading it back, signed in or out, gives the same post.
    for viewer in [Some(&alice), None] {
        let read = get_post(&app, viewer, &id).await;
        assert_eq!(read, post, "GET returns what POST returned");
    }
    assert_eq!(posts_count(&app, "alice").await, 1, "counted on the author");

    // A second post gets a different id and is counted too.
    let second = create_post(&app, &alice, "second").await;
    assert_ne!(id_of(&second), id);
    assert_eq!(second["hashtags"], json!([]));
    assert_eq!(posts_count(&app, "alice").await, 2);
}

async fn text_rules_are_422_and_store_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let token = &alice.access_token;

    let too_long = "a".repeat(501);
    let too_long_korean = "가".repeat(501);
    for text in [
        "",
        " ",
        "  \n\t  ",
        too_long.as_str(),
        too_long_korean.as_str(),
    ] {
        assert_invalid(post_raw(&app, token, text).await, "text").await;
    }
    // Not a string, or no text at all: also 422 naming the field.
    for body in [json!({}), json!({"text": 42}), json!({"text": null})] {
        assert_invalid(app.bearer_post(token, "/api/v1/posts", &body).await, "text").await;
    }

    assert_eq!(posts_count(&app, "alice").await, 0, "nothing was counted");
    assert!(feed_ids(&app, None, "/api/v1/posts").await.is_empty());
    assert!(
        feed_ids(&app, Some(&alice), "/api/v1/timeline")
            .await
            .is_empty()
    );
}

async fn text_length_counts_characters_not_bytes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;

    // 500 Korean characters are 1500 bytes: still within the 500-character limit.
    let korean = "가".repeat(500);
    let post = create_post(&app, &alice, &korean).await;
    assert_eq!(post["text"], korean.as_str());
    assert_eq!(
        post["text"].as_str().expect("text").chars().count(),
        500,
        "stored whole"
    );

    // 500 Latin characters too, and the limit applies after trimming.
    let latin = "b".repeat(500);
    let padded = format!("   {latin}\n  ");
    let post = create_post(&app, &alice, &padded).await;
    assert_eq!(post["text"], latin.as_str());

    // One more character is too many, whatever the script.
    assert_invalid(
        post_raw(&app, &alice.access_token, &format!("{korean}가")).await,
        "text",
    )
    .await;
    assert_eq!(posts_count(&app, "alice").await, 2);
    assert_eq!(feed_ids(&app, None, "/api/v1/posts").await.len(), 2);
}

async fn writing_needs_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let post = create_post(&app, &alice, "mine #tag").await;
    let id = id_of(&post);

    let anonymous = app
        .post_json("/api/v1/posts", &json!({"text": "who am I"}))
        .await;
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await;
    for (method, path) in [
        (Method::PATCH, format!("/api/v1/posts/{id}")),
        (Method::DELETE, format!("/api/v1/posts/{id}")),
    ] {
        let response = app
            .client()
            .request(method, app.url(&path))
            .json(&json!({"text": "hijacked"}))
            .send()
            .await
            .expect("anonymous request");
        assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    // A bad token is 401 too, not a signed-out view.
    assert_error(
        post_raw(&app, "not-a-token", "forged").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;

    assert_eq!(get_post(&app, None, &id).await, post, "unchanged");
    assert_eq!(feed_ids(&app, None, "/api/v1/posts").await, vec![id]);
    assert_eq!(posts_count(&app, "alice").await, 1);
}

async fn unknown_and_malformed_post_ids_are_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let token = &alice.access_token;
    let unknown = unknown_id();

    for id in [unknown.as_str(), "not-a-uuid", "12345"] {
        assert_no_post(&app, id).await;
        let path = format!("/api/v1/posts/{id}");
        assert_error(
            app.bearer_get(token, &path).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_error(
            app.bearer_patch(token, &path, &json!({"text": "edit"}))
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_error(
            app.bearer_delete(token, &path, None).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    assert_eq!(posts_count(&app, "alice").await, 0);
}

async fn the_author_edits_a_post_and_its_hashtags_follow(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let post = create_post(&app, &alice, "first draft #Old #kept").await;
    let id = id_of(&post);
    like(&app, &bob, &id).await;
    assert_eq!(
        feed_ids(&app, None, "/api/v1/tags/old/posts").await,
        [id.as_str()]
    );

    let edited = expect_json(
        app.bearer_patch(
            &alice.access_token,
            &format!("/api/v1/posts/{id}"),
            &json!({"text": "  second draft #Fresh #kept  "}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_post_shape(&edited);
    assert_eq!(edited["id"], id.as_str());
    assert_eq!(edited["text"], "second draft #Fresh #kept", "trimmed");
    assert_eq!(sorted_tags(&edited), sorted(&["fresh", "kept"]));
    assert_eq!(
        edited["created_at"], post["created_at"],
        "created_at unchanged"
    );
    assert_eq!(edited["like_count"], 1, "likes survive an edit");
    assert_summary_of(&edited["author"], &alice);
    let edited_at = edited["edited_at"]
        .as_str()
        .unwrap_or_else(|| panic!("edited_at is set by an edit: {edited}"));
    assert_recent(&edited["edited_at"]);
    assert!(
        rfc3339_millis(edited_at)
            >= rfc3339_millis(post["created_at"].as_str().expect("created_at")),
        "edited after created: {edited}"
    );

    assert_eq!(
        get_post(&app, Some(&alice), &id).await,
        edited,
        "the edit is stored"
    );
    // Tag feeds follow the new text.
    assert!(
        feed_ids(&app, None, "/api/v1/tags/old/posts")
            .await
            .is_empty(),
        "the old tag no longer lists the post"
    );
    assert_eq!(
        feed_ids(&app, None, "/api/v1/tags/fresh/posts").await,
        [id.as_str()]
    );
    assert_eq!(
        feed_ids(&app, None, "/api/v1/tags/kept/posts").await,
        [id.as_str()]
    );
    assert_eq!(posts_count(&app, "alice").await, 1, "an edit is not a post");

    // Editing to text without tags clears them.
    let plain = expect_json(
        app.bearer_patch(
            &alice.access_token,
            &format!("/api/v1/posts/{id}"),
            &json!({"text": "no tags now"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(plain["hashtags"], json!([]));
    assert!(
        feed_ids(&app, None, "/api/v1/tags/kept/posts")
            .await
            .is_empty()
    );
}

async fn an_invalid_edit_is_422_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let post = create_post(&app, &alice, "original #tag").await;
    let id = id_of(&post);
    let path = format!("/api/v1/posts/{id}");

    let too_long = "가".repeat(501);
    for text in ["", "   ", too_long.as_str()] {
        assert_invalid(
            app.bearer_patch(&alice.access_token, &path, &json!({"text": text}))
                .await,
            "text",
        )
        .await;
    }
    assert_invalid(
        app.bearer_patch(&alice.access_token, &path, &json!({}))
            .await,
        "text",
    )
    .await;

    let after = get_post(&app, Some(&alice), &id).await;
    assert_eq!(after, post, "nothing changed, edited_at still null");
    assert_eq!(
        feed_ids(&app, None, "/api/v1/tags/tag/posts").await,
        [id.as_str()]
    );
}

async fn another_user_cannot_edit_or_delete_a_post(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let post = create_post(&app, &alice, "alice's words #mine").await;
    let id = id_of(&post);
    let path = format!("/api/v1/posts/{id}");

    let edit = app
        .bearer_patch(
            &bob.access_token,
            &path,
            &json!({"text": "bob was here #bob"}),
        )
        .await;
    assert_error_shape(&expect_json(edit, StatusCode::FORBIDDEN).await);
    let delete = app.bearer_delete(&bob.access_token, &path, None).await;
    assert_error_shape(&expect_json(delete, StatusCode::FORBIDDEN).await);

    assert_eq!(get_post(&app, Some(&alice), &id).await, post, "unchanged");
    assert_eq!(
        feed_ids(&app, None, "/api/v1/tags/mine/posts").await,
        [id.as_str()]
    );
    assert!(
        feed_ids(&app, None, "/api/v1/tags/bob/posts")
            .await
            .is_empty()
    );
    assert_eq!(posts_count(&app, "alice").await, 1);
    assert_eq!(posts_count(&app, "bob").await, 0);
}

async fn deleting_a_post_is_204_then_404_and_uncounts_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let keep = create_post(&app, &alice, "keep me #both").await;
    let gone = create_post(&app, &alice, "delete me #both #gone").await;
    let (keep_id, gone_id) = (id_of(&keep), id_of(&gone));
    like(&app, &bob, &gone_id).await;
    let bobs_comment = comment(&app, &bob, &gone_id, "nice", None).await;
    assert_eq!(posts_count(&app, "alice").await, 2);

    let path = format!("/api/v1/posts/{gone_id}");
    expect_status(
        app.bearer_delete(&alice.access_token, &path, None).await,
        StatusCode::NO_CONTENT,
    )
    .await;

    assert_no_post(&app, &gone_id).await;
    assert_eq!(posts_count(&app, "alice").await, 1, "uncounted");
    assert_eq!(
        get_post(&app, None, &keep_id).await,
        keep,
        "the other stays"
    );
    for feed in [
        "/api/v1/posts",
        "/api/v1/posts?author=alice",
        "/api/v1/tags/both/posts",
    ] {
        assert_eq!(
            feed_ids(&app, None, feed).await,
            [keep_id.as_str()],
            "{feed}"
        );
    }
    assert!(
        feed_ids(&app, None, "/api/v1/tags/gone/posts")
            .await
            .is_empty()
    );
    assert_eq!(
        feed_ids(&app, Some(&alice), "/api/v1/timeline").await,
        [keep_id.as_str()]
    );
    // Its comments went with it.
    assert_error(
        app.get(&format!("/api/v1/posts/{gone_id}/comments")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.get(&format!(
            "/api/v1/comments/{}/replies",
            id_of(&bobs_comment)
        ))
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // A second delete, an edit or a like of the deleted post: 404, counters untouched.
    assert_error(
        app.bearer_delete(&alice.access_token, &path, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.bearer_patch(&alice.access_token, &path, &json!({"text": "back?"}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        like_raw(&app, &bob.access_token, &gone_id, true).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(posts_count(&app, "alice").await, 1, "not uncounted twice");
}

async fn hashtags_are_lower_cased_unique_and_start_at_a_word_boundary(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let post = create_post(
        &app,
        &alice,
        "#Rust #rust #안녕 #under_score1 punctuation#no #end.",
    )
    .await;
    let expected = sorted(&["rust", "안녕", "under_score1", "end"]);
    assert_eq!(
        sorted_tags(&post),
        expected,
        "lower-cased, unique, `#` inside a word is not a tag: {post}"
    );
    let id = id_of(&post);
    assert_eq!(sorted_tags(&get_post(&app, None, &id).await), expected);

    // Each tag finds the post; the would-be tags do not exist.
    for tag in ["rust", "RUST", "안녕", "under_score1", "end"] {
        let path = format!("/api/v1/tags/{}/posts", enc(tag));
        assert_eq!(feed_ids(&app, None, &path).await, [id.as_str()], "{tag}");
    }
    for not_a_tag in ["no", "end."] {
        let path = format!("/api/v1/tags/{}/posts", enc(not_a_tag));
        let response = app.get(&path).await;
        if response.status() == StatusCode::OK {
            let (items, _) = page_of(&body_json(response).await);
            assert!(items.is_empty(), "{not_a_tag} is not a tag: {items:?}");
        } else {
            assert_invalid(response, "tag").await;
        }
    }

    // More shapes: digits-only is a number, `##` and a lone `#` are nothing,
    // and tags in other scripts keep their letters.
    let more = create_post(&app, &alice, "#1 ## # (#Paren) #東京 #ÉTÉ #a-b").await;
    assert_eq!(
        sorted_tags(&more),
        sorted(&["paren", "東京", "été", "a"]),
        "{more}"
    );
}
