//! Posts: creation with hashtags, media and notifications in one transaction
//! (and nothing at all when an upload is unavailable), edits, deletion with
//! its counters, the four feeds with keyset paging, likes and tag search.

use crate::support::{
    Backend, TestDb, at, fresh_store, new_comment, new_post, notification, post, upload, user,
};
use parley_core::{MediaId, NotificationKind, PostId, UserId};
use parley_store::StoreError;
use parley_store::posts::Feed;

pub async fn create_post_stores_hashtags_media_and_notifications(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let (first, second) = (upload(&db, alice).await, upload(&db, alice).await);
    let mut new = new_post(alice, "hello @bob #rust #sql", &["rust", "sql"], 5);
    new.media = vec![second, first];
    let mention = notification(bob, alice, NotificationKind::Mention, Some(new.id), None);
    new.notifications = vec![mention.clone()];

    let created = db.create_post(&new).await.expect("create the post");
    assert_eq!(created.id, new.id);
    assert_eq!(created.author_id, alice);
    assert_eq!(created.author_username, "alice");
    assert_eq!(created.text, new.text);
    assert_eq!((created.like_count, created.comment_count), (0, 0));
    assert_eq!(created.created_at, at(5).as_millis());
    assert_eq!(created.edited_at, None);

    let found = db
        .post_by_id(new.id)
        .await
        .expect("post_by_id")
        .expect("stored");
    assert_eq!(
        (found.id, found.author_id, found.text),
        (new.id, alice, new.text.clone())
    );
    assert_eq!(
        db.hashtags_of(&[new.id]).await.expect("hashtags_of"),
        vec![(new.id, "rust".to_owned()), (new.id, "sql".to_owned())]
    );
    let media = db.media_of_posts(&[new.id]).await.expect("media_of_posts");
    let order: Vec<_> = media.iter().map(|m| (m.id, m.position)).collect();
    assert_eq!(
        order,
        vec![(second, 0), (first, 1)],
        "attached in the order named"
    );
    assert!(
        media
            .iter()
            .all(|m| m.post_id == Some(new.id) && m.is_attached())
    );
    assert_eq!(db.counters(alice).await.0, 1, "posts_count counts the post");

    let inbox = db
        .notifications_page(bob, None, 10)
        .await
        .expect("bob's notifications");
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].id, mention.id);
    assert_eq!(inbox[0].kind, NotificationKind::Mention);
    assert_eq!(inbox[0].actor_id, alice);
    assert_eq!(inbox[0].post_id, Some(new.id));
    assert!(
        db.notifications_page(alice, None, 10)
            .await
            .expect("page")
            .is_empty()
    );
}

/// Rows of posts, hashtags and notifications, and `author`'s posts_count.
async fn snapshot(db: &TestDb, author: UserId) -> (i64, i64, i64, i64) {
    (
        db.count("SELECT COUNT(*) FROM posts").await,
        db.count("SELECT COUNT(*) FROM post_hashtags").await,
        db.count("SELECT COUNT(*) FROM notifications").await,
        db.counters(author).await.0,
    )
}

pub async fn create_post_with_unavailable_media_stores_nothing(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let mine = upload(&db, alice).await;
    let bobs = upload(&db, bob).await;
    // An upload already attached to an earlier post.
    let used = upload(&db, alice).await;
    let mut earlier = new_post(alice, "earlier", &[], 0);
    earlier.media = vec![used];
    db.create_post(&earlier).await.expect("earlier post");
    let before = snapshot(&db, alice).await;

    let unknown = MediaId::new();
    for (case, media) in [
        ("another user's upload", vec![mine, bobs]),
        ("an upload already attached", vec![mine, used]),
        ("an upload that does not exist", vec![mine, unknown]),
        ("the same upload twice", vec![mine, mine]),
    ] {
        let mut new = new_post(alice, "with #tags", &["tags"], 10);
        new.media = media;
        new.notifications = vec![notification(
            bob,
            alice,
            NotificationKind::Mention,
            Some(new.id),
            None,
        )];
        let got = db.create_post(&new).await;
        assert!(
            matches!(got, Err(StoreError::MediaUnavailable)),
            "{case}: {got:?}"
        );
        assert!(
            db.post_by_id(new.id).await.expect("look up").is_none(),
            "{case}: no post"
        );
        assert_eq!(
            snapshot(&db, alice).await,
            before,
            "{case}: nothing stored, nothing counted"
        );
        let mine_now = db.media_by_id(mine).await.expect("media").expect("exists");
        assert!(
            !mine_now.is_attached(),
            "{case}: the good upload is left unattached"
        );
    }
    // The upload is still usable afterwards.
    let mut ok = new_post(alice, "finally", &[], 20);
    ok.media = vec![mine];
    db.create_post(&ok).await.expect("the upload is still free");
}

pub async fn update_post_replaces_text_and_tags_and_notifies_once(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let id = post(&db, alice, "old #one #two", &["one", "two"]).await;
    let mention = notification(bob, alice, NotificationKind::Mention, Some(id), None);
    let updated = db
        .update_post(
            id,
            "new #two #three",
            &["three".into(), "two".into()],
            at(60),
            std::slice::from_ref(&mention),
        )
        .await
        .expect("update the post");
    assert!(updated);
    let found = db.post_by_id(id).await.expect("look up").expect("exists");
    assert_eq!(found.text, "new #two #three");
    assert_eq!(found.edited_at, Some(at(60).as_millis()));
    assert_eq!(
        db.hashtags_of(&[id]).await.expect("tags"),
        vec![(id, "three".to_owned()), (id, "two".to_owned())]
    );
    let inbox = db.notifications_page(bob, None, 10).await.expect("page");
    assert_eq!(
        inbox.iter().map(|n| n.id).collect::<Vec<_>>(),
        vec![mention.id]
    );

    // Without tags, the post's tags go.
    assert!(
        db.update_post(id, "plain", &[], at(70), &[])
            .await
            .expect("update")
    );
    assert!(db.hashtags_of(&[id]).await.expect("tags").is_empty());

    // An unknown post: nothing changes, nobody is notified.
    let ghost = PostId::new();
    let stray = notification(bob, alice, NotificationKind::Mention, None, None);
    assert!(
        !db.update_post(ghost, "x", &["x".into()], at(80), &[stray])
            .await
            .expect("update")
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM notifications").await, 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM post_hashtags").await, 0);
}

pub async fn delete_post_uncounts_and_cascades(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let keep = post(&db, alice, "kept #tag", &["tag"]).await;
    let media = upload(&db, alice).await;
    let mut new = new_post(alice, "doomed #tag", &["tag"], 1);
    new.media = vec![media];
    new.notifications = vec![notification(
        bob,
        alice,
        NotificationKind::Mention,
        Some(new.id),
        None,
    )];
    db.create_post(&new).await.expect("create");
    let like = notification(alice, bob, NotificationKind::Like, Some(new.id), None);
    db.like_post(new.id, bob, at(2), Some(&like))
        .await
        .expect("like");
    db.create_comment(&new_comment(new.id, None, bob, "hi"))
        .await
        .expect("comment")
        .expect("ok");
    assert_eq!(db.counters(alice).await.0, 2);

    assert!(db.delete_post(new.id).await.expect("delete"));
    assert!(db.post_by_id(new.id).await.expect("look up").is_none());
    assert_eq!(db.counters(alice).await.0, 1, "posts_count uncounted");
    assert_eq!(
        db.count("SELECT COUNT(*) FROM post_hashtags").await,
        1,
        "only the kept post's tag"
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM post_likes").await, 0);
    assert_eq!(db.count("SELECT COUNT(*) FROM comments").await, 0);
    assert_eq!(db.count("SELECT COUNT(*) FROM notifications").await, 0);
    let released = db
        .media_by_id(media)
        .await
        .expect("media")
        .expect("row stays until collected");
    assert_eq!(
        released.post_id, None,
        "the attachment is released (garbage)"
    );
    assert!(released.is_attached());

    assert!(
        !db.delete_post(new.id).await.expect("delete twice"),
        "second delete is false"
    );
    assert_eq!(
        db.counters(alice).await.0,
        1,
        "a second delete uncounts nothing"
    );
    assert!(db.post_by_id(keep).await.expect("look up").is_some());
}

/// A post made by the feed test: id, author, tags.
type Made = (PostId, UserId, Vec<&'static str>);

/// Collects a whole feed page by page (`limit` per page) through the keyset.
async fn walk(db: &TestDb, feed: &Feed, limit: u32) -> Vec<PostId> {
    let mut all = Vec::new();
    let mut before = None;
    loop {
        let page = db
            .feed_page(feed, None, before, limit)
            .await
            .expect("feed page");
        assert!(
            page.len() <= limit as usize,
            "a page holds at most `limit` posts"
        );
        let Some(last) = page.last() else { break };
        before = Some(last.id);
        all.extend(page.iter().map(|p| p.id));
    }
    all
}

pub async fn feeds_list_the_right_posts_newest_first(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let carol = user(&db, "carol").await;
    db.follow(alice, bob, at(0), None)
        .await
        .expect("alice follows bob");
    // Created in this order, so ids (UUIDv7) increase in it.
    let mut made = Vec::new();
    for (i, (author, tags)) in [
        (alice, vec!["rust"]),
        (bob, vec!["rust", "sql"]),
        (carol, vec!["rust"]),
        (bob, vec![]),
        (alice, vec!["sql"]),
        (carol, vec![]),
        (bob, vec!["rust"]),
    ]
    .into_iter()
    .enumerate()
    {
        let id = post(&db, author, &format!("post {i}"), &tags).await;
        made.push((id, author, tags));
    }
    let newest_first = |keep: &dyn Fn(&Made) -> bool| {
        made.iter()
            .rev()
            .filter(|p| keep(p))
            .map(|p| p.0)
            .collect::<Vec<_>>()
    };
    let home = newest_first(&|p| p.1 == alice || p.1 == bob);
    let bobs = newest_first(&|p| p.1 == bob);
    let everyone = newest_first(&|_| true);
    let rust = newest_first(&|p| p.2.contains(&"rust"));
    for limit in [1, 2, 3, 100] {
        assert_eq!(
            walk(&db, &Feed::Home(alice), limit).await,
            home,
            "home, limit {limit}"
        );
        assert_eq!(
            walk(&db, &Feed::Author(bob), limit).await,
            bobs,
            "author, limit {limit}"
        );
        assert_eq!(
            walk(&db, &Feed::Everyone, limit).await,
            everyone,
            "everyone, limit {limit}"
        );
        assert_eq!(
            walk(&db, &Feed::Tag("rust".into()), limit).await,
            rust,
            "tag, limit {limit}"
        );
    }
    assert_eq!(
        walk(&db, &Feed::Home(carol), 10).await,
        newest_first(&|p| p.1 == carol),
        "carol follows nobody: her own posts only"
    );
    assert!(walk(&db, &Feed::Tag("nope".into()), 10).await.is_empty());
    let page = db
        .feed_page(&Feed::Everyone, None, None, 2)
        .await
        .expect("page");
    assert_eq!(page[0].author_username, "bob", "rows carry their author");
}

pub async fn likes_are_idempotent_and_counted(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let id = post(&db, alice, "like me", &[]).await;
    let other = post(&db, alice, "not me", &[]).await;
    let note = notification(alice, bob, NotificationKind::Like, Some(id), None);

    assert_eq!(
        db.like_post(id, bob, at(1), Some(&note))
            .await
            .expect("like"),
        Some(true)
    );
    // A second like changes nothing and notifies nobody (a fresh id would
    // otherwise be inserted).
    let again = notification(alice, bob, NotificationKind::Like, Some(id), None);
    assert_eq!(
        db.like_post(id, bob, at(2), Some(&again))
            .await
            .expect("like"),
        Some(false)
    );
    assert_eq!(
        db.like_post(id, alice, at(3), None)
            .await
            .expect("self like"),
        Some(true)
    );
    let found = db.post_by_id(id).await.expect("look up").expect("exists");
    assert_eq!(found.like_count, 2);
    let inbox = db.notifications_page(alice, None, 10).await.expect("page");
    assert_eq!(
        inbox.iter().map(|n| n.id).collect::<Vec<_>>(),
        vec![note.id]
    );
    assert_eq!(
        db.liked_among(bob, &[id, other])
            .await
            .expect("liked_among"),
        vec![id]
    );
    assert!(db.liked_among(bob, &[]).await.expect("empty").is_empty());

    assert_eq!(db.unlike_post(id, bob).await.expect("unlike"), Some(true));
    assert_eq!(
        db.unlike_post(id, bob).await.expect("unlike twice"),
        Some(false)
    );
    assert_eq!(
        db.post_by_id(id)
            .await
            .expect("look up")
            .expect("exists")
            .like_count,
        1
    );
    assert!(
        db.liked_among(bob, &[id])
            .await
            .expect("liked_among")
            .is_empty()
    );

    let ghost = PostId::new();
    let stray = notification(alice, bob, NotificationKind::Like, None, None);
    assert_eq!(
        db.like_post(ghost, bob, at(4), Some(&stray))
            .await
            .expect("like"),
        None
    );
    assert_eq!(db.unlike_post(ghost, bob).await.expect("unlike"), None);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM notifications").await,
        1,
        "no stray notification"
    );
}

pub async fn search_tags_by_prefix_most_used_first(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    post(&db, alice, "a", &["rust", "rustacean"]).await;
    post(&db, alice, "b", &["rust", "ruby"]).await;
    post(&db, alice, "c", &["rust", "r_x"]).await;
    post(&db, alice, "d", &["rxy"]).await;
    assert_eq!(
        db.search_tags("ru", 10).await.expect("search"),
        vec![
            ("rust".to_owned(), 3),
            ("ruby".to_owned(), 1),
            ("rustacean".to_owned(), 1)
        ]
    );
    assert_eq!(
        db.search_tags("ru", 1).await.expect("search").len(),
        1,
        "limit"
    );
    // LIKE wildcards in the prefix match literally.
    assert_eq!(
        db.search_tags("r_", 10).await.expect("search"),
        vec![("r_x".to_owned(), 1)]
    );
    assert!(db.search_tags("%", 10).await.expect("search").is_empty());
    assert!(db.search_tags("zz", 10).await.expect("search").is_empty());
}
