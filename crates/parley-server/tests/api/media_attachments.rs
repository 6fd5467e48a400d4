//! Attaching uploads to posts and chat messages (at most 4, only your own,
//! each once), `Post.media` and `Message.media` (in order, a page hydrated
//! in a fixed number of queries), files deleted with their post, message or
//! account, uploads never attached removed after the orphan limit, and
//! avatars (square 256 and 64 px crops, the old one removed).

use crate::helpers::*;
use crate::media_support::*;
use crate::social_support::{create_post, follow, page};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

both_backends!(
    a_post_carries_its_media_in_order,
    attachment_rules_are_enforced,
    messages_carry_media_over_rest,
    a_feed_page_with_media_costs_the_same_whatever_its_size,
    deleting_a_post_deletes_its_files,
    deleting_a_message_deletes_its_files,
    deleting_the_account_deletes_all_its_files,
    uploads_never_attached_are_removed_after_the_orphan_limit,
    avatars_are_square_crops_and_replace_the_old_one,
    org_avatars_are_set_by_owners_and_outlive_the_uploader,
);

fn refs(ids: &[String]) -> Vec<&str> {
    ids.iter().map(String::as_str).collect()
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

async fn a_post_carries_its_media_in_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    follow(&app, &bob, "alice").await;
    let first = upload_ready(&app, &alice, jpeg(300, 100)).await;
    let second = upload(&app, &alice, png(50, 50, false)).await;
    let response = post_with_media(&app, &alice, &[&id(&second), &id(&first)]).await;
    let post = expect_json(response, StatusCode::CREATED).await;
    let media = post["media"].as_array().expect("Post.media");
    assert_eq!(
        media.iter().map(id).collect::<Vec<_>>(),
        [id(&second), id(&first)],
        "in the order given"
    );
    for m in media {
        assert_media_shape(m);
    }
    assert_eq!(media[1]["preview_url"], first["thumbnail_url"]);
    // Every reader sees them: the post, the author's feed, a follower's timeline.
    for (who, path) in [
        (None, format!("/api/v1/posts/{}", id(&post))),
        (None, "/api/v1/posts?author=alice".to_owned()),
        (Some(&bob), "/api/v1/timeline".to_owned()),
    ] {
        let token = who.map(|s| s.access_token.as_str());
        let body = if path.contains('?') || path.ends_with("timeline") {
            page(&app, token, &path).await.0[0].clone()
        } else {
            expect_json(app.get(&path).await, StatusCode::OK).await
        };
        assert_eq!(
            body["media"].as_array().map(Vec::len),
            Some(2),
            "{path}: {body}"
        );
    }
    // A post without media still has an empty list.
    let plain = create_post(&app, &alice, "no pictures").await;
    assert_eq!(plain["media"], json!([]));
}

async fn attachment_rules_are_enforced(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let mut mine = Vec::new();
    for _ in 0..5 {
        mine.push(id(&upload(&app, &alice, jpeg(20, 20)).await));
    }
    let bobs = id(&upload(&app, &bob, jpeg(20, 20)).await);

    // More than four: 422 naming media_ids.
    let response = post_with_media(&app, &alice, &refs(&mine)).await;
    assert_invalid(response, "media_ids").await;
    // Someone else's: 403. Unknown or not an id: 404.
    assert_error(
        post_with_media(&app, &alice, &[&mine[0], &bobs]).await,
        StatusCode::FORBIDDEN,
        "not_media_owner",
    )
    .await;
    let unknown = uuid::Uuid::now_v7().to_string();
    for bad in [unknown.as_str(), "not-an-id"] {
        assert_error(
            post_with_media(&app, &alice, &[&mine[0], bad]).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    // The same one twice: 422.
    assert_invalid(
        post_with_media(&app, &alice, &[&mine[0], &mine[0]]).await,
        "media_ids",
    )
    .await;
    // None of the refused posts exists, and nothing got attached.
    let (posts, _) = page(&app, None, "/api/v1/posts?author=alice").await;
    assert!(posts.is_empty(), "{posts:?}");

    // Four is fine; attached ones cannot be attached again, to a post or a message.
    let post = expect_json(
        post_with_media(&app, &alice, &refs(&mine[..4])).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(post["media"].as_array().map(Vec::len), Some(4));
    assert_error(
        post_with_media(&app, &alice, &[&mine[1]]).await,
        StatusCode::FORBIDDEN,
        "media_already_attached",
    )
    .await;
    let conversation = direct_conversation(&app, &alice, &bob).await;
    let response = send_message(
        &app,
        &alice,
        &conversation,
        &json!({"text": "again", "media_ids": [mine[2]]}),
    )
    .await;
    assert_error(response, StatusCode::FORBIDDEN, "media_already_attached").await;
    // Editing a post keeps its media.
    let edited = expect_json(
        app.bearer_patch(
            &alice.access_token,
            &format!("/api/v1/posts/{}", id(&post)),
            &json!({"text": "edited"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(edited["media"].as_array().map(Vec::len), Some(4));
}

async fn messages_carry_media_over_rest(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let conversation = direct_conversation(&app, &alice, &bob).await;
    let picture = upload(&app, &alice, jpeg(640, 480)).await;
    let body = json!({"text": "here", "client_id": "c-1", "media_ids": [id(&picture)]});
    let message = expect_json(
        send_message(&app, &alice, &conversation, &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(message["media"][0]["id"], picture["id"], "{message}");
    assert_media_shape(&message["media"][0]);
    // A retry with the same client_id and media is the same message (200).
    let again = expect_json(
        send_message(&app, &alice, &conversation, &body).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again["id"], message["id"]);
    assert_eq!(again["media"][0]["id"], picture["id"]);
    // Bob reads it with its media, in the history and as the last message.
    let history = expect_json(
        app.bearer_get(
            &bob.access_token,
            &format!("/api/v1/conversations/{conversation}/messages"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        history["items"][0]["media"][0]["id"], picture["id"],
        "{history}"
    );
    let listed = expect_json(
        app.bearer_get(&bob.access_token, "/api/v1/conversations")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        listed["items"][0]["last_message"]["media"][0]["id"], picture["id"],
        "{listed}"
    );
    // Bob cannot attach Alice's upload; nobody can attach five.
    let theirs = upload(&app, &alice, jpeg(10, 10)).await;
    let response = send_message(
        &app,
        &bob,
        &conversation,
        &json!({"text": "mine now", "media_ids": [id(&theirs)]}),
    )
    .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_media_owner").await;
    let five: Vec<String> = (0..5).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let response = send_message(
        &app,
        &alice,
        &conversation,
        &json!({"text": "x", "media_ids": five}),
    )
    .await;
    assert_invalid(response, "media_ids").await;
}

async fn a_feed_page_with_media_costs_the_same_whatever_its_size(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    for n in 0..12 {
        // Ready first: no thumbnail job may run while queries are counted.
        let a = id(&upload_ready(&app, &alice, jpeg(16, 16)).await);
        let b = id(&upload_ready(&app, &alice, jpeg(16, 16)).await);
        let ids: Vec<&str> = if n % 2 == 0 { vec![&a, &b] } else { vec![&a] };
        expect_json(
            post_with_media(&app, &alice, &ids).await,
            StatusCode::CREATED,
        )
        .await;
    }
    let mut costs = Vec::new();
    for limit in [2, 12] {
        let path = format!("/api/v1/posts?limit={limit}");
        let mut best = u64::MAX;
        for _ in 0..3 {
            let before = app.state.store.operation_count();
            let (items, _) = page(&app, Some(&alice.access_token), &path).await;
            best = best.min(app.state.store.operation_count() - before);
            assert_eq!(items.len(), limit);
            assert!(
                items
                    .iter()
                    .all(|p| !p["media"].as_array().expect("media").is_empty())
            );
        }
        costs.push(best);
    }
    assert_eq!(
        costs[0], costs[1],
        "media are hydrated in one query per page, not per post"
    );
}

async fn deleting_a_post_deletes_its_files(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let kept = upload_ready(&app, &alice, jpeg(64, 64)).await;
    let picture = upload_ready(&app, &alice, jpeg(64, 64)).await;
    let post = expect_json(
        post_with_media(&app, &alice, &[&id(&picture)]).await,
        StatusCode::CREATED,
    )
    .await;
    expect_status(
        app.bearer_delete(
            &alice.access_token,
            &format!("/api/v1/posts/{}", id(&post)),
            None,
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    wait_gone(&app, &urls_of(&picture)).await;
    assert_error(
        get_media(&app, &alice, &id(&picture)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Other uploads are untouched.
    for url in urls_of(&kept) {
        fetch_file(&app, &url, "image/jpeg").await;
    }
}

async fn deleting_a_message_deletes_its_files(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let conversation = direct_conversation(&app, &alice, &bob).await;
    let picture = upload_ready(&app, &alice, jpeg(64, 64)).await;
    let message = expect_json(
        send_message(
            &app,
            &alice,
            &conversation,
            &json!({"text": "pic", "media_ids": [id(&picture)]}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    expect_status(
        app.bearer_delete(
            &alice.access_token,
            &format!("/api/v1/messages/{}", id(&message)),
            None,
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    wait_gone(&app, &urls_of(&picture)).await;
    let history = expect_json(
        app.bearer_get(
            &bob.access_token,
            &format!("/api/v1/conversations/{conversation}/messages"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(history["items"][0]["deleted"], true);
    assert_eq!(history["items"][0]["media"], json!([]), "{history}");
}

async fn deleting_the_account_deletes_all_its_files(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let bobs = upload_ready(&app, &bob, jpeg(30, 30)).await;
    let attached = upload_ready(&app, &alice, jpeg(30, 30)).await;
    let loose = upload_ready(&app, &alice, png(30, 30, true)).await;
    expect_json(
        post_with_media(&app, &alice, &[&id(&attached)]).await,
        StatusCode::CREATED,
    )
    .await;
    let me = set_avatar(&app, &alice, jpeg(300, 300)).await;
    let avatar = me["avatar_url"].as_str().expect("avatar").to_owned();
    expect_status(
        app.bearer_delete(
            &alice.access_token,
            "/api/v1/users/me",
            Some(&json!({"password": PASSWORD})),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let mut gone = urls_of(&attached);
    gone.extend(urls_of(&loose));
    gone.push(avatar.clone());
    gone.push(avatar.replace("-256.", "-64."));
    wait_gone(&app, &gone).await;
    assert_eq!(stored_files(&app).len(), 2, "only Bob's files are left");
    fetch_file(&app, bobs["url"].as_str().expect("url"), "image/jpeg").await;
}

async fn uploads_never_attached_are_removed_after_the_orphan_limit(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.media.orphan_ttl = Duration::from_secs(2);
        c.media.sweep_interval = Duration::from_millis(200);
    })
    .await;
    let alice = app.signup("alice").await;
    let orphan = upload_ready(&app, &alice, jpeg(40, 40)).await;
    let used = upload_ready(&app, &alice, jpeg(40, 40)).await;
    expect_json(
        post_with_media(&app, &alice, &[&id(&used)]).await,
        StatusCode::CREATED,
    )
    .await;
    wait_gone(&app, &urls_of(&orphan)).await;
    assert_error(
        get_media(&app, &alice, &id(&orphan)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // The attached one stays.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for url in urls_of(&used) {
        fetch_file(&app, &url, "image/jpeg").await;
    }
}

async fn set_avatar(app: &TestApp, who: &Session, bytes: Vec<u8>) -> Value {
    let response = app
        .client()
        .put(app.url("/api/v1/users/me/avatar"))
        .bearer_auth(&who.access_token)
        .multipart(form(bytes, "me.jpg", "image/jpeg"))
        .send()
        .await
        .expect("avatar upload");
    expect_json(response, StatusCode::OK).await
}

async fn avatars_are_square_crops_and_replace_the_old_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.signup("alice").await;
    let me = set_avatar(&app, &alice, jpeg(600, 300)).await;
    assert_eq!(me["username"], "alice");
    assert!(me["email"].is_string(), "a Me: {me}");
    let large = me["avatar_url"].as_str().expect("avatar_url").to_owned();
    assert!(
        large.starts_with("/media/") && large.contains("-256."),
        "{large}"
    );
    let small = large.replace("-256.", "-64.");
    assert_eq!(
        dimensions(&fetch_file(&app, &large, "image/jpeg").await),
        (256, 256)
    );
    assert_eq!(
        dimensions(&fetch_file(&app, &small, "image/jpeg").await),
        (64, 64)
    );
    // Everyone sees it: the profile and next to her posts.
    assert_eq!(app.user("alice").await["avatar_url"], large.as_str());
    let post = create_post(&app, &alice, "with a face").await;
    assert_eq!(post["author"]["avatar_url"], large.as_str());

    // A transparent PNG avatar stays a PNG; the old files go.
    let me = set_avatar(&app, &alice, png(100, 120, true)).await;
    let newer = me["avatar_url"].as_str().expect("avatar_url").to_owned();
    assert_ne!(newer, large);
    assert!(newer.ends_with(".png"), "{newer}");
    assert_eq!(
        dimensions(&fetch_file(&app, &newer, "image/png").await),
        (256, 256)
    );
    wait_gone(&app, &[large, small]).await;

    // Bad avatars are refused like bad uploads; signed out is 401.
    let response = app
        .client()
        .put(app.url("/api/v1/users/me/avatar"))
        .bearer_auth(&alice.access_token)
        .multipart(form(b"<svg/>".to_vec(), "a.svg", "image/svg+xml"))
        .send()
        .await
        .expect("avatar upload");
    assert_error(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let response = app
        .client()
        .put(app.url("/api/v1/users/me/avatar"))
        .multipart(form(jpeg(10, 10), "a.jpg", "image/jpeg"))
        .send()
        .await
        .expect("avatar upload");
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Removing it.
    let me = expect_json(
        app.bearer_delete(&alice.access_token, "/api/v1/users/me/avatar", None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(me["avatar_url"].is_null(), "{me}");
    wait_gone(&app, &[newer.clone(), newer.replace("-256.", "-64.")]).await;
    assert_eq!(stored_files(&app), Vec::<String>::new());
}

async fn put_org_avatar(
    app: &TestApp,
    who: &Session,
    slug: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    app.client()
        .put(app.url(&format!("/api/v1/orgs/{slug}/avatar")))
        .bearer_auth(&who.access_token)
        .multipart(form(bytes, "logo.png", "image/png"))
        .send()
        .await
        .expect("org avatar upload")
}

async fn org_avatars_are_set_by_owners_and_outlive_the_uploader(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.signup("owner").await;
    let cofounder = app.signup("cofounder").await;
    let agent = app.signup("agent").await;
    let stranger = app.signup("stranger").await;
    expect_status(
        app.bearer_post(
            &owner.access_token,
            "/api/v1/orgs",
            &json!({"slug": "acme", "name": "Acme"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    for (who, role) in [(&cofounder, "owner"), (&agent, "agent")] {
        expect_status(
            app.bearer_post(
                &owner.access_token,
                "/api/v1/orgs/acme/agents",
                &json!({"username": who.username(), "role": role}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
    }
    for who in [&agent, &stranger] {
        assert_error(
            put_org_avatar(&app, who, "acme", png(80, 80, false)).await,
            StatusCode::FORBIDDEN,
            "not_org_owner",
        )
        .await;
    }
    assert_error(
        put_org_avatar(&app, &owner, "nope", png(80, 80, false)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        stored_files(&app),
        Vec::<String>::new(),
        "refusals store nothing"
    );

    let org = expect_json(
        put_org_avatar(&app, &cofounder, "acme", png(300, 100, false)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(org["slug"], "acme");
    assert_eq!(org["my_role"], "owner");
    let first = org["avatar_url"].as_str().expect("avatar_url").to_owned();
    assert_eq!(
        dimensions(&fetch_file(&app, &first, "image/jpeg").await),
        (256, 256)
    );
    assert_eq!(
        app.get("/api/v1/orgs/acme")
            .await
            .json::<Value>()
            .await
            .expect("json")["avatar_url"],
        first.as_str()
    );

    // Replaced by the other owner: the first one's files go.
    let org = expect_json(
        put_org_avatar(&app, &owner, "acme", jpeg(90, 90)).await,
        StatusCode::OK,
    )
    .await;
    let second = org["avatar_url"].as_str().expect("avatar_url").to_owned();
    assert_ne!(second, first);
    wait_gone(&app, &[first.clone(), first.replace("-256.", "-64.")]).await;

    // The uploader leaving Parley does not take the organization's avatar.
    expect_status(
        app.bearer_delete(
            &owner.access_token,
            "/api/v1/users/me",
            Some(&json!({"password": PASSWORD})),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    fetch_file(&app, &second, "image/jpeg").await;

    assert_error(
        app.bearer_delete(&agent.access_token, "/api/v1/orgs/acme/avatar", None)
            .await,
        StatusCode::FORBIDDEN,
        "not_org_owner",
    )
    .await;
    let cleared = expect_json(
        app.bearer_delete(&cofounder.access_token, "/api/v1/orgs/acme/avatar", None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(cleared["avatar_url"].is_null(), "{cleared}");
    wait_gone(&app, &[second.clone(), second.replace("-256.", "-64.")]).await;
}
