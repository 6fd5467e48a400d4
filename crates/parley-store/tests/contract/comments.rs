//! Threaded comments: replies to any depth, the reply and comment counters,
//! deleting a sub-thread, rejections that store nothing, and notifications
//! stored only with the comment they announce.

use crate::support::{Backend, comment, fresh_store, new_comment, notification, post, user};
use parley_core::{CommentId, NotificationKind, PostId};
use parley_store::comments::CommentRejection;

pub async fn threads_and_reply_counts(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let id = post(&db, alice, "discuss", &[]).await;
    let c1 = comment(&db, id, None, bob).await;
    let c2 = comment(&db, id, None, alice).await;
    let r1 = comment(&db, id, Some(c1), alice).await;
    let r2 = comment(&db, id, Some(c1), bob).await;
    let r11 = comment(&db, id, Some(r1), bob).await;

    assert_eq!(
        db.post_by_id(id)
            .await
            .expect("post")
            .expect("exists")
            .comment_count,
        5
    );
    let reply_count = |c: CommentId| {
        let db = &db;
        async move {
            db.comment_by_id(c)
                .await
                .expect("comment")
                .expect("exists")
                .reply_count
        }
    };
    assert_eq!(reply_count(c1).await, 2);
    assert_eq!(reply_count(r1).await, 1);
    assert_eq!(reply_count(c2).await, 0);
    let found = db
        .comment_by_id(r11)
        .await
        .expect("comment")
        .expect("exists");
    assert_eq!(
        (found.post_id, found.parent_id, found.author_id),
        (id, Some(r1), bob)
    );
    assert_eq!(found.author_username, "bob");

    // Pages fetch `limit + 1` rows, oldest first.
    let top = db.top_comments_page(id, None, None, 1).await.expect("top");
    assert_eq!(top.iter().map(|c| c.id).collect::<Vec<_>>(), vec![c1, c2]);
    let rest = db
        .top_comments_page(id, None, Some(c1), 1)
        .await
        .expect("top after c1");
    assert_eq!(rest.iter().map(|c| c.id).collect::<Vec<_>>(), vec![c2]);
    let replies = db.replies_page(c1, None, None, 10).await.expect("replies");
    assert_eq!(
        replies.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![r1, r2]
    );
    let after = db
        .replies_page(c1, None, Some(r1), 10)
        .await
        .expect("replies after r1");
    assert_eq!(after.iter().map(|c| c.id).collect::<Vec<_>>(), vec![r2]);
    assert!(
        db.replies_page(r11, None, None, 10)
            .await
            .expect("leaf")
            .is_empty()
    );
    assert!(
        db.comment_by_id(CommentId::new())
            .await
            .expect("unknown")
            .is_none()
    );
}

pub async fn comment_notifications_are_stored_with_the_comment(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let id = post(&db, alice, "p", &[]).await;
    let mut new = new_comment(id, None, bob, "nice");
    let note = notification(
        alice,
        bob,
        NotificationKind::Comment,
        Some(id),
        Some(new.id),
    );
    new.notifications = vec![note.clone()];
    db.create_comment(&new)
        .await
        .expect("create")
        .expect("accepted");
    let inbox = db.notifications_page(alice, None, 10).await.expect("page");
    assert_eq!(inbox.len(), 1);
    assert_eq!(
        (inbox[0].id, inbox[0].kind),
        (note.id, NotificationKind::Comment)
    );
    assert_eq!(
        (inbox[0].post_id, inbox[0].comment_id),
        (Some(id), Some(new.id))
    );

    // The notification goes with its comment.
    db.delete_comment(new.id)
        .await
        .expect("delete")
        .expect("existed");
    assert_eq!(db.count("SELECT COUNT(*) FROM notifications").await, 0);
}

pub async fn rejected_comments_store_nothing(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let id = post(&db, alice, "p", &[]).await;
    let other = post(&db, alice, "q", &[]).await;
    let elsewhere = comment(&db, other, None, bob).await;
    let before_comments = db.count("SELECT COUNT(*) FROM comments").await;

    for (case, post_id, parent, expected) in [
        (
            "unknown post",
            PostId::new(),
            None,
            CommentRejection::PostMissing,
        ),
        (
            "unknown parent",
            id,
            Some(CommentId::new()),
            CommentRejection::ParentMissing,
        ),
        (
            "parent on another post",
            id,
            Some(elsewhere),
            CommentRejection::ParentMissing,
        ),
    ] {
        let mut new = new_comment(post_id, parent, bob, "x");
        new.notifications = vec![notification(
            alice,
            bob,
            NotificationKind::Reply,
            None,
            None,
        )];
        let got = db.create_comment(&new).await.expect("no store error");
        assert_eq!(got, Err(expected), "{case}");
        assert!(
            db.comment_by_id(new.id).await.expect("look up").is_none(),
            "{case}"
        );
        assert_eq!(
            db.count("SELECT COUNT(*) FROM comments").await,
            before_comments,
            "{case}"
        );
        assert_eq!(
            db.count("SELECT COUNT(*) FROM notifications").await,
            0,
            "{case}"
        );
    }
    assert_eq!(
        db.post_by_id(id)
            .await
            .expect("post")
            .expect("exists")
            .comment_count,
        0
    );
    assert_eq!(
        db.comment_by_id(elsewhere)
            .await
            .expect("c")
            .expect("exists")
            .reply_count,
        0
    );
}

pub async fn delete_removes_the_sub_thread_and_fixes_counters(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let id = post(&db, alice, "p", &[]).await;
    let c1 = comment(&db, id, None, alice).await;
    let c2 = comment(&db, id, None, alice).await;
    let r1 = comment(&db, id, Some(c1), alice).await;
    let r11 = comment(&db, id, Some(r1), alice).await;
    let r12 = comment(&db, id, Some(r1), alice).await;
    let r2 = comment(&db, id, Some(c1), alice).await;

    let deleted = db
        .delete_comment(r1)
        .await
        .expect("delete r1")
        .expect("existed");
    assert_eq!(
        (deleted.post_id, deleted.removed),
        (id, 3),
        "r1 and its two replies"
    );
    for gone in [r1, r11, r12] {
        assert!(db.comment_by_id(gone).await.expect("look up").is_none());
    }
    assert_eq!(
        db.comment_by_id(c1)
            .await
            .expect("c1")
            .expect("kept")
            .reply_count,
        1
    );
    assert_eq!(
        db.post_by_id(id)
            .await
            .expect("post")
            .expect("exists")
            .comment_count,
        3
    );

    let deleted = db
        .delete_comment(c1)
        .await
        .expect("delete c1")
        .expect("existed");
    assert_eq!(deleted.removed, 2, "c1 and r2");
    assert!(db.comment_by_id(r2).await.expect("look up").is_none());
    assert_eq!(
        db.post_by_id(id)
            .await
            .expect("post")
            .expect("exists")
            .comment_count,
        1
    );
    assert!(db.comment_by_id(c2).await.expect("c2").is_some());

    assert!(db.delete_comment(c1).await.expect("delete again").is_none());
    assert!(
        db.delete_comment(CommentId::new())
            .await
            .expect("unknown")
            .is_none()
    );
    assert_eq!(
        db.post_by_id(id)
            .await
            .expect("post")
            .expect("exists")
            .comment_count,
        1
    );
}
