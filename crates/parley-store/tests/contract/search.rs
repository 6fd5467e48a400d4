//! Full-text search in the store: prefix and Korean bigram matching with AND,
//! newest first with keyset paging, re-indexing on edit, and the one-off
//! backfill (idempotent, recorded so a second run does nothing).

use crate::support::{Backend, fresh_store, new_post, user};
use parley_core::search::Query;
use parley_core::{PostId, Timestamp};

fn terms(q: &str) -> Vec<String> {
    Query::parse(q).map(|q| q.terms).unwrap_or_default()
}

pub async fn posts_are_found_by_prefix_korean_and_all_words(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let a = new_post(alice, "Hello world", &[], 1);
    let b = new_post(alice, "서울에서 hello", &[], 2);
    db.create_post(&a).await.expect("a");
    db.create_post(&b).await.expect("b");
    let ids = |rows: Vec<parley_store::posts::PostRecord>| {
        rows.into_iter().map(|r| r.id).collect::<Vec<PostId>>()
    };
    assert_eq!(
        ids(db
            .search_posts(&terms("hel"), None, None, 10)
            .await
            .expect("search")),
        [b.id, a.id]
    );
    assert_eq!(
        ids(db
            .search_posts(&terms("서울 hello"), None, None, 10)
            .await
            .expect("search")),
        [b.id]
    );
    assert_eq!(
        ids(db
            .search_posts(&terms("hel"), None, Some(b.id), 10)
            .await
            .expect("page")),
        [a.id]
    );
    assert!(
        db.search_posts(&[], None, None, 10)
            .await
            .expect("no terms")
            .is_empty()
    );

    db.update_post(a.id, "goodbye", &[], Timestamp(3), &[])
        .await
        .expect("edit");
    assert_eq!(
        ids(db
            .search_posts(&terms("hello"), None, None, 10)
            .await
            .expect("search")),
        [b.id]
    );
    assert_eq!(
        ids(db
            .search_posts(&terms("good"), None, None, 10)
            .await
            .expect("search")),
        [a.id]
    );

    // The backfill runs when asked (the server asks at start-up), once.
    assert_eq!(db.search_backfill().await.expect("backfill"), 2);
    assert_eq!(
        db.search_backfill().await.expect("again"),
        0,
        "recorded as done"
    );
    db.reset_search_backfill().await.expect("reset");
    assert_eq!(db.search_backfill().await.expect("after reset"), 2);
    assert_eq!(
        ids(db
            .search_posts(&terms("good"), None, None, 10)
            .await
            .expect("search")),
        [a.id]
    );
    db.delete_post(a.id).await.expect("delete");
    assert!(
        db.search_posts(&terms("good"), None, None, 10)
            .await
            .expect("search")
            .is_empty()
    );
}
