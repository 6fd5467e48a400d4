//! Chat messages: gap-free `seq` under concurrent senders, idempotent
//! retries by `client_id`, media attached in the send's transaction (a failed
//! attach stores nothing and uses no seq), history, edits and deletions.

use crate::support::{Backend, at, fresh_store, new_message, send, upload, user};
use parley_core::{ConversationKind, MessageId};
use parley_store::StoreError;
use parley_store::messages::SendOutcome;
use tokio::task::JoinSet;

pub async fn seq_is_gap_free_under_concurrent_sends(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let (conv, _) = db.open_direct(alice, bob, at(0)).await.expect("open");
    let mut sends = JoinSet::new();
    for i in 0..20 {
        let store = db.store.clone();
        let sender = if i % 2 == 0 { alice } else { bob };
        sends.spawn(async move {
            store
                .send_message(&new_message(conv.id, sender, &format!("m{i}")))
                .await
        });
    }
    let mut seqs = Vec::new();
    while let Some(joined) = sends.join_next().await {
        match joined
            .expect("the send task ran")
            .expect("the send succeeded")
        {
            SendOutcome::Stored(m) => seqs.push(m.seq),
            SendOutcome::Duplicate(m) => panic!("no client ids, yet a duplicate: {m:?}"),
        }
    }
    seqs.sort_unstable();
    assert_eq!(
        seqs,
        (1..=20).collect::<Vec<i64>>(),
        "every seq once, no gaps"
    );
    let conv = db
        .conversation(conv.id)
        .await
        .expect("look up")
        .expect("exists");
    assert_eq!(conv.last_seq, 20);
}

pub async fn client_id_retry_returns_the_same_message(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let (conv, _) = db.open_direct(alice, bob, at(0)).await.expect("open");
    let mut first = new_message(conv.id, alice, "hello");
    first.client_id = Some("c-1".into());
    let SendOutcome::Stored(stored) = db.send_message(&first).await.expect("send") else {
        panic!("the first send is stored");
    };
    assert_eq!(
        (stored.id, stored.seq, stored.sender_id),
        (first.id, 1, Some(alice))
    );
    assert_eq!(stored.client_id.as_deref(), Some("c-1"));
    assert_eq!(stored.sender_username.as_deref(), Some("alice"));

    // A retry (new message id, same client id) is the first message; an
    // upload named by the retry is not attached.
    let media = upload(&db, alice).await;
    let mut retry = new_message(conv.id, alice, "hello again");
    retry.client_id = Some("c-1".into());
    retry.media = vec![media];
    match db.send_message(&retry).await.expect("retry") {
        SendOutcome::Duplicate(m) => {
            assert_eq!((m.id, m.seq, m.text.as_str()), (first.id, 1, "hello"))
        }
        SendOutcome::Stored(m) => panic!("a retry was stored twice: {m:?}"),
    }
    assert!(
        !db.media_by_id(media)
            .await
            .expect("media")
            .expect("exists")
            .is_attached()
    );
    // The same client id from another sender is another message.
    let mut bobs = new_message(conv.id, bob, "hi");
    bobs.client_id = Some("c-1".into());
    assert!(
        matches!(db.send_message(&bobs).await.expect("send"), SendOutcome::Stored(m) if m.seq == 2)
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM messages").await, 2);
    assert_eq!(
        db.conversation(conv.id)
            .await
            .expect("c")
            .expect("exists")
            .last_seq,
        2
    );
}

pub async fn media_is_attached_with_the_message_or_nothing_is_stored(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let (conv, _) = db.open_direct(alice, bob, at(0)).await.expect("open");
    let (m1, m2) = (upload(&db, alice).await, upload(&db, alice).await);
    let bobs = upload(&db, bob).await;

    let mut bad = new_message(conv.id, alice, "with bob's upload");
    bad.client_id = Some("bad".into());
    bad.media = vec![m1, bobs];
    let got = db.send_message(&bad).await;
    assert!(matches!(got, Err(StoreError::MediaUnavailable)), "{got:?}");
    assert!(db.message_by_id(bad.id).await.expect("look up").is_none());
    assert_eq!(
        db.conversation(conv.id)
            .await
            .expect("c")
            .expect("exists")
            .last_seq,
        0,
        "no seq used"
    );
    assert!(
        !db.media_by_id(m1)
            .await
            .expect("m1")
            .expect("exists")
            .is_attached()
    );
    let marker = db.members_of(&[conv.id]).await.expect("members");
    assert!(
        marker.iter().all(|m| m.last_read_seq == 0),
        "no read marker moved"
    );

    let mut good = new_message(conv.id, alice, "with pictures");
    good.media = vec![m2, m1];
    let SendOutcome::Stored(stored) = db.send_message(&good).await.expect("send") else {
        panic!("stored");
    };
    assert_eq!(stored.seq, 1, "the failed send left no gap");
    let media = db.media_of_messages(&[good.id]).await.expect("media");
    let order: Vec<_> = media
        .iter()
        .map(|m| (m.id, m.position, m.message_id))
        .collect();
    assert_eq!(order, vec![(m2, 0, Some(good.id)), (m1, 1, Some(good.id))]);

    // The same uploads cannot be attached twice.
    let mut twice = new_message(conv.id, alice, "again");
    twice.media = vec![m1];
    assert!(matches!(
        db.send_message(&twice).await,
        Err(StoreError::MediaUnavailable)
    ));
    assert_eq!(
        db.conversation(conv.id)
            .await
            .expect("c")
            .expect("exists")
            .last_seq,
        1
    );
}

pub async fn history_after_and_before(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let (conv, _) = db.open_direct(alice, bob, at(0)).await.expect("open");
    let other = db
        .create_conversation(ConversationKind::Group, Some("g"), &[alice], at(0))
        .await
        .expect("group");
    let mut ids = Vec::new();
    for i in 1..=5 {
        ids.push(send(&db, conv.id, alice, &format!("m{i}")).await.id);
    }
    let other_last = send(&db, other.id, alice, "elsewhere").await;
    let seqs = |rows: Vec<parley_store::messages::MessageRecord>| {
        rows.into_iter().map(|m| m.seq).collect::<Vec<_>>()
    };
    assert_eq!(
        seqs(db.messages_after(conv.id, 0, 2).await.expect("after")),
        [1, 2, 3]
    );
    assert_eq!(
        seqs(db.messages_after(conv.id, 3, 10).await.expect("after")),
        [4, 5]
    );
    assert!(
        db.messages_after(conv.id, 5, 10)
            .await
            .expect("after")
            .is_empty()
    );
    assert_eq!(
        seqs(db.messages_before(conv.id, 5, 2).await.expect("before")),
        [4, 3, 2]
    );
    assert_eq!(
        seqs(db.messages_before(conv.id, 2, 10).await.expect("before")),
        [1]
    );
    let mut last: Vec<_> = db
        .last_messages(&[conv.id, other.id])
        .await
        .expect("last")
        .into_iter()
        .map(|m| m.id)
        .collect();
    last.sort();
    let mut expected = vec![ids[4], other_last.id];
    expected.sort();
    assert_eq!(last, expected);
    assert!(db.last_messages(&[]).await.expect("none").is_empty());
}

pub async fn edit_delete_and_erase(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let (conv, _) = db.open_direct(alice, bob, at(0)).await.expect("open");
    let a1 = send(&db, conv.id, alice, "a1").await;
    let a2 = send(&db, conv.id, alice, "a2").await;
    let b1 = send(&db, conv.id, bob, "b1").await;

    assert!(
        db.edit_message(a1.id, "a1 edited", at(5))
            .await
            .expect("edit")
    );
    let edited = db
        .message_by_id(a1.id)
        .await
        .expect("look up")
        .expect("exists");
    assert_eq!(
        (edited.text.as_str(), edited.edited_at),
        ("a1 edited", Some(at(5).as_millis()))
    );
    assert!(db.delete_message(a1.id, at(6)).await.expect("delete"));
    let deleted = db
        .message_by_id(a1.id)
        .await
        .expect("look up")
        .expect("kept in place");
    assert_eq!(
        (deleted.text.as_str(), deleted.deleted_at, deleted.seq),
        ("", Some(at(6).as_millis()), 1)
    );
    assert!(
        !db.edit_message(a1.id, "resurrect", at(7))
            .await
            .expect("edit deleted")
    );
    assert!(!db.delete_message(a1.id, at(7)).await.expect("delete twice"));
    assert!(
        !db.edit_message(MessageId::new(), "x", at(7))
            .await
            .expect("edit unknown")
    );
    assert!(
        !db.delete_message(MessageId::new(), at(7))
            .await
            .expect("delete unknown")
    );

    assert_eq!(
        db.erase_messages_of(alice, at(8)).await.expect("erase"),
        1,
        "only a2 was live"
    );
    let a2 = db
        .message_by_id(a2.id)
        .await
        .expect("look up")
        .expect("kept");
    assert_eq!(
        (a2.text.as_str(), a2.deleted_at),
        ("", Some(at(8).as_millis()))
    );
    let b1 = db
        .message_by_id(b1.id)
        .await
        .expect("look up")
        .expect("kept");
    assert_eq!(
        (b1.text.as_str(), b1.deleted_at),
        ("b1", None),
        "others' messages untouched"
    );
    assert_eq!(
        db.erase_messages_of(alice, at(9))
            .await
            .expect("erase again"),
        0
    );
}
