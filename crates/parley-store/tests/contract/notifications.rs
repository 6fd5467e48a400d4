//! Notifications: written by the actions that cause them, listed newest
//! first, counted while unread, marked read (some or all, only the
//! recipient's), and read back by id in one query for publishing.

use crate::support::{Backend, at, fresh_store, notification, post, user};
use parley_core::{NotificationId, NotificationKind, UserId};

pub async fn page_unread_count_and_mark_read(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let carol = user(&db, "carol").await;
    // Three notifications for alice, caused by three actions (ids increase).
    let follow = notification(alice, bob, NotificationKind::Follow, None, None);
    db.follow(bob, alice, at(1), Some(&follow))
        .await
        .expect("follow");
    let id = post(&db, alice, "p", &[]).await;
    let like = notification(alice, carol, NotificationKind::Like, Some(id), None);
    db.like_post(id, carol, at(2), Some(&like))
        .await
        .expect("like");
    let mut new = crate::support::new_comment(id, None, bob, "c");
    let on_comment = notification(
        alice,
        bob,
        NotificationKind::Comment,
        Some(id),
        Some(new.id),
    );
    new.notifications = vec![on_comment.clone()];
    db.create_comment(&new)
        .await
        .expect("comment")
        .expect("accepted");
    // One for bob, which alice's calls must never touch.
    let bobs = notification(bob, alice, NotificationKind::Follow, None, None);
    db.follow(alice, bob, at(3), Some(&bobs))
        .await
        .expect("follow back");

    let page = db.notifications_page(alice, None, 2).await.expect("page");
    let ids: Vec<_> = page.iter().map(|n| n.id).collect();
    assert_eq!(
        ids,
        vec![on_comment.id, like.id, follow.id],
        "newest first, limit + 1"
    );
    assert_eq!(page[1].actor_username, "carol");
    assert_eq!(page[1].kind, NotificationKind::Like);
    assert!(page.iter().all(|n| n.read_at.is_none()));
    let older = db
        .notifications_page(alice, Some(like.id), 2)
        .await
        .expect("older");
    assert_eq!(
        older.iter().map(|n| n.id).collect::<Vec<_>>(),
        vec![follow.id]
    );
    assert_eq!(db.unread_notifications(alice).await.expect("unread"), 3);

    assert_eq!(
        db.mark_notifications_read(alice, Some(&[]), at(9))
            .await
            .expect("none"),
        0
    );
    // Someone else's id is not the caller's to mark.
    let marked = db
        .mark_notifications_read(alice, Some(&[like.id, bobs.id]), at(10))
        .await
        .expect("mark some");
    assert_eq!(marked, 1);
    assert_eq!(db.unread_notifications(alice).await.expect("unread"), 2);
    assert_eq!(db.unread_notifications(bob).await.expect("bob unread"), 1);
    let again = db
        .mark_notifications_read(alice, Some(&[like.id]), at(11))
        .await
        .expect("again");
    assert_eq!(again, 0, "already read");
    assert_eq!(
        db.mark_notifications_read(alice, None, at(12))
            .await
            .expect("all"),
        2
    );
    assert_eq!(db.unread_notifications(alice).await.expect("unread"), 0);
    let page = db.notifications_page(alice, None, 10).await.expect("page");
    let read: Vec<_> = page.iter().map(|n| (n.id, n.read_at)).collect();
    assert_eq!(
        read,
        vec![
            (on_comment.id, Some(at(12).as_millis())),
            (like.id, Some(at(10).as_millis())),
            (follow.id, Some(at(12).as_millis())),
        ]
    );
    assert_eq!(db.unread_notifications(bob).await.expect("bob unread"), 1);
}

pub async fn notifications_by_ids_is_one_query(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let mut wanted = Vec::new();
    let mut actors = Vec::new();
    for i in 0..4 {
        let fan = user(&db, &format!("fan{i}")).await;
        let note = notification(alice, fan, NotificationKind::Follow, None, None);
        db.follow(fan, alice, at(i), Some(&note))
            .await
            .expect("follow");
        wanted.push(note.id);
        actors.push(fan);
    }
    let unknown = NotificationId::new();
    let asked = [wanted[2], unknown, wanted[0], wanted[3]];
    let before = db.operation_count();
    let found = db.notifications_by_ids(&asked).await.expect("by ids");
    assert_eq!(
        db.operation_count() - before,
        1,
        "one query for any number of ids"
    );
    let got: Vec<(NotificationId, UserId, String)> = found
        .into_iter()
        .map(|n| (n.id, n.actor_id, n.actor_username))
        .collect();
    assert_eq!(
        got,
        vec![
            (wanted[0], actors[0], "fan0".to_owned()),
            (wanted[2], actors[2], "fan2".to_owned()),
            (wanted[3], actors[3], "fan3".to_owned()),
        ],
        "existing ones, oldest first, with their actors; unknown ids absent"
    );
    let before = db.operation_count();
    assert!(
        db.notifications_by_ids(&[])
            .await
            .expect("empty")
            .is_empty()
    );
    assert_eq!(db.operation_count(), before, "no query for no ids");
}
