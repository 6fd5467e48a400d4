//! The social graph: idempotent follows with exact counters (and one
//! notification per new follow), the follower/following pages, the
//! relationship of two users, and user search.

use crate::support::{Backend, at, fresh_store, notification, user};
use parley_core::NotificationKind;
use parley_core::page::Cursor;
use parley_store::follows::{FollowSide, Relationship};

pub async fn follow_is_idempotent_counted_and_notified_once(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let note = notification(bob, alice, NotificationKind::Follow, None, None);
    assert!(
        db.follow(alice, bob, at(1), Some(&note))
            .await
            .expect("follow")
    );
    let again = notification(bob, alice, NotificationKind::Follow, None, None);
    assert!(
        !db.follow(alice, bob, at(2), Some(&again))
            .await
            .expect("follow again")
    );
    assert_eq!(db.counters(alice).await, (0, 0, 1), "alice follows one");
    assert_eq!(db.counters(bob).await, (0, 1, 0), "bob has one follower");
    let inbox = db.notifications_page(bob, None, 10).await.expect("page");
    assert_eq!(
        inbox.iter().map(|n| n.id).collect::<Vec<_>>(),
        vec![note.id]
    );
    assert_eq!(inbox[0].kind, NotificationKind::Follow);
    assert_eq!(db.follower_ids(bob).await.expect("followers"), vec![alice]);

    assert!(db.unfollow(alice, bob).await.expect("unfollow"));
    assert!(!db.unfollow(alice, bob).await.expect("unfollow again"));
    assert_eq!(db.counters(alice).await, (0, 0, 0));
    assert_eq!(db.counters(bob).await, (0, 0, 0));
    assert!(db.follower_ids(bob).await.expect("followers").is_empty());
    // Following again counts again (and notifies again).
    assert!(db.follow(alice, bob, at(3), None).await.expect("refollow"));
    assert_eq!(db.counters(bob).await, (0, 1, 0));
}

pub async fn follow_pages_and_relationship(backend: Backend) {
    let db = fresh_store(backend).await;
    let star = user(&db, "star").await;
    let mut fans = Vec::new();
    for i in 0..5 {
        let fan = user(&db, &format!("fan{i}")).await;
        // Two follows share a timestamp: the id breaks the tie.
        let when = if i == 3 { at(2) } else { at(i) };
        db.follow(fan, star, when, None).await.expect("follow");
        fans.push((fan, when.as_millis()));
    }
    db.follow(star, fans[0].0, at(10), None)
        .await
        .expect("star follows back");
    let mut expected = fans.clone();
    expected.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));

    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = db
            .follow_page(star, FollowSide::Followers, cursor, 2)
            .await
            .expect("followers page");
        assert!(page.len() <= 3, "limit + 1 rows");
        let more = page.len() > 2;
        for row in page.iter().take(2) {
            seen.push((row.id, row.since));
        }
        if !more {
            break;
        }
        let last = &page[1];
        cursor = Some(Cursor {
            at: last.since,
            id: last.id.0,
        });
    }
    assert_eq!(seen, expected, "every follower once, most recent first");

    let following = db
        .follow_page(star, FollowSide::Following, None, 10)
        .await
        .expect("following page");
    assert_eq!(
        following.iter().map(|u| u.id).collect::<Vec<_>>(),
        vec![fans[0].0]
    );
    assert_eq!(following[0].username, "fan0");
    assert_eq!(db.counters(star).await, (0, 5, 1));

    assert_eq!(
        db.relationship(star, fans[0].0).await.expect("rel"),
        Relationship {
            followed_by_me: true,
            follows_me: true,
            ..Relationship::default()
        }
    );
    assert_eq!(
        db.relationship(star, fans[1].0).await.expect("rel"),
        Relationship {
            followed_by_me: false,
            follows_me: true,
            ..Relationship::default()
        }
    );
    assert_eq!(
        db.relationship(fans[1].0, star).await.expect("rel"),
        Relationship {
            followed_by_me: true,
            follows_me: false,
            ..Relationship::default()
        }
    );
    assert_eq!(
        db.relationship(fans[1].0, fans[2].0).await.expect("rel"),
        Relationship::default()
    );
}

pub async fn search_users_by_prefix(backend: Backend) {
    let db = fresh_store(backend).await;
    for name in ["anna", "annie", "bob", "an_x"] {
        user(&db, name).await;
    }
    // Display names are "<name> display"; make one match by display name only.
    let zed = user(&db, "zed").await;
    db.update_profile(
        zed,
        &parley_store::ProfileChanges {
            display_name: Some("Ánnabel".into()),
            ..Default::default()
        },
        at(1),
    )
    .await
    .expect("rename");

    let names = |rows: Vec<parley_store::follows::UserSummaryRecord>| {
        rows.into_iter().map(|r| r.username).collect::<Vec<_>>()
    };
    assert_eq!(
        names(
            db.search_users("ANN", None, None, 10)
                .await
                .expect("search")
        ),
        ["anna", "annie"]
    );
    assert_eq!(
        names(db.search_users("án", None, None, 10).await.expect("search")),
        ["zed"]
    );
    // `_` is literal, not a wildcard: "an_" matches an_x only.
    assert_eq!(
        names(
            db.search_users("an_", None, None, 10)
                .await
                .expect("search")
        ),
        ["an_x"]
    );
    // Paging by username, `limit + 1` rows.
    // (Prefixes without punctuation: PostgreSQL orders by its collation.)
    let first = db.search_users("ann", None, None, 1).await.expect("search");
    assert_eq!(names(first), ["anna", "annie"]);
    assert_eq!(
        names(
            db.search_users("ann", None, Some("anna"), 5)
                .await
                .expect("search")
        ),
        ["annie"]
    );
    assert!(
        db.search_users("nobody", None, None, 5)
            .await
            .expect("search")
            .is_empty()
    );
}
