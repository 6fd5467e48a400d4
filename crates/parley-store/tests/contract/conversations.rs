//! Conversations: one direct conversation per pair, groups and their
//! members, the list by last activity, peers, read markers that only move
//! forward, and unread counts.

use crate::support::{Backend, at, fresh_store, send, user};
use parley_core::page::Cursor;
use parley_core::{ConversationId, ConversationKind};

pub async fn open_direct_reuses_the_pair(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let carol = user(&db, "carol").await;
    let (first, created) = db.open_direct(alice, bob, at(1)).await.expect("open");
    assert!(created);
    assert_eq!(first.kind, ConversationKind::Direct);
    assert_eq!((first.last_seq, first.created_at), (0, at(1).as_millis()));
    let (again, created) = db
        .open_direct(bob, alice, at(2))
        .await
        .expect("open reversed");
    assert!(
        !created,
        "the pair's conversation is reused, either way round"
    );
    assert_eq!(again.id, first.id);
    let (other, created) = db
        .open_direct(alice, carol, at(3))
        .await
        .expect("open another");
    assert!(created);
    assert_ne!(other.id, first.id);
    let members = db.members_of(&[first.id]).await.expect("members");
    let mut ids: Vec<_> = members.iter().map(|m| m.user_id).collect();
    ids.sort();
    let mut expected = vec![alice, bob];
    expected.sort();
    assert_eq!(ids, expected);
    assert!(db.is_member(first.id, alice).await.expect("member"));
    assert!(!db.is_member(first.id, carol).await.expect("not member"));
    assert_eq!(db.count("SELECT COUNT(*) FROM conversations").await, 2);
}

pub async fn groups_and_their_members(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let carol = user(&db, "carol").await;
    let dave = user(&db, "dave").await;
    let group = db
        .create_conversation(
            ConversationKind::Group,
            Some("team"),
            &[alice, bob, alice],
            at(1),
        )
        .await
        .expect("create group");
    assert_eq!(group.kind, ConversationKind::Group);
    assert_eq!(group.title.as_deref(), Some("team"));
    let found = db
        .conversation(group.id)
        .await
        .expect("look up")
        .expect("exists");
    assert_eq!((found.id, found.kind), (group.id, ConversationKind::Group));
    assert_eq!(
        db.members_of(&[group.id]).await.expect("members").len(),
        2,
        "duplicates ignored"
    );
    let support = db
        .create_conversation(ConversationKind::Support, None, &[carol], at(1))
        .await
        .expect("support conversation");
    assert_eq!(support.kind, ConversationKind::Support);

    send(&db, group.id, alice, "one").await;
    send(&db, group.id, bob, "two").await;
    assert!(db.add_member(group.id, carol, at(5)).await.expect("add"));
    assert!(
        !db.add_member(group.id, carol, at(6))
            .await
            .expect("add again")
    );
    assert!(
        !db.add_member(ConversationId::new(), dave, at(6))
            .await
            .expect("unknown conv")
    );
    let members = db
        .members_of(&[group.id, support.id])
        .await
        .expect("members");
    let joined = members
        .iter()
        .find(|m| m.user_id == carol && m.conversation_id == group.id);
    assert_eq!(
        joined.map(|m| m.last_read_seq),
        Some(2),
        "a newcomer starts with history read"
    );
    assert_eq!(members.len(), 4);

    assert!(db.remove_member(group.id, bob).await.expect("remove"));
    assert!(!db.remove_member(group.id, bob).await.expect("remove again"));
    assert!(!db.is_member(group.id, bob).await.expect("gone"));
    assert!(
        db.conversation(ConversationId::new())
            .await
            .expect("unknown")
            .is_none()
    );
    assert!(db.members_of(&[]).await.expect("none").is_empty());
}

pub async fn pages_by_activity_and_peers(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let carol = user(&db, "carol").await;
    let loner = user(&db, "loner").await;
    let (ab, _) = db.open_direct(alice, bob, at(1)).await.expect("ab");
    let (ac, _) = db.open_direct(alice, carol, at(2)).await.expect("ac");
    let g = db
        .create_conversation(
            ConversationKind::Group,
            Some("g"),
            &[alice, bob, carol],
            at(3),
        )
        .await
        .expect("g");
    // A message moves a conversation to the top.
    let mut m = crate::support::new_message(ab.id, bob, "hi");
    m.created_at = at(10);
    db.send_message(&m).await.expect("send");

    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = db.conversations_page(alice, cursor, 1).await.expect("page");
        assert!(page.len() <= 2);
        seen.push(page[0].id);
        if page.len() < 2 {
            break;
        }
        cursor = Some(Cursor {
            at: page[0].last_activity_at,
            id: page[0].id.0,
        });
    }
    assert_eq!(seen, vec![ab.id, g.id, ac.id], "most recently active first");
    let mut ids = db.conversation_ids_of(bob).await.expect("ids");
    ids.sort();
    let mut expected = vec![ab.id, g.id];
    expected.sort();
    assert_eq!(ids, expected);

    let mut peers = db.conversation_peers(alice).await.expect("peers");
    peers.sort();
    let mut expected = vec![bob, carol];
    expected.sort();
    assert_eq!(peers, expected, "each peer once, never oneself");
    assert!(
        db.conversation_peers(loner)
            .await
            .expect("peers")
            .is_empty()
    );
    assert!(
        db.conversations_page(loner, None, 5)
            .await
            .expect("page")
            .is_empty()
    );
}

pub async fn read_markers_move_forward_and_unread_counts(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let carol = user(&db, "carol").await;
    let (ab, _) = db.open_direct(alice, bob, at(1)).await.expect("ab");
    let (ac, _) = db.open_direct(alice, carol, at(1)).await.expect("ac");
    for text in ["1", "2", "3"] {
        send(&db, ab.id, bob, text).await;
    }
    let mine = send(&db, ab.id, alice, "4").await;
    let deleted = send(&db, ab.id, bob, "5").await;
    db.delete_message(deleted.id, at(2)).await.expect("delete");
    send(&db, ac.id, carol, "x").await;

    // bob's three live messages after alice's marker (0); her own and the
    // deleted one do not count.
    let mut counts = db
        .unread_counts(alice, &[ab.id, ac.id])
        .await
        .expect("counts");
    counts.sort();
    let mut expected = vec![(ab.id, 0), (ac.id, 1)];
    // Sending moved alice's marker to her own message (seq 4).
    expected.sort();
    assert_eq!(counts, expected);
    assert_eq!(
        db.unread_counts(bob, &[ab.id]).await.expect("bob"),
        vec![(ab.id, 0)],
        "bob sent the last one"
    );
    assert_eq!(mine.seq, 4);

    assert_eq!(
        db.mark_read(ab.id, bob, 2).await.expect("forward"),
        None,
        "bob read to 5 by sending"
    );
    assert_eq!(
        db.mark_read(ac.id, alice, 1).await.expect("forward"),
        Some(1)
    );
    assert_eq!(
        db.mark_read(ac.id, alice, 1).await.expect("same"),
        None,
        "never the same twice"
    );
    send(&db, ac.id, carol, "y").await;
    send(&db, ac.id, carol, "z").await;
    assert_eq!(
        db.mark_read(ac.id, alice, 0).await.expect("back"),
        None,
        "never backwards"
    );
    assert_eq!(
        db.mark_read(ac.id, alice, 99).await.expect("past"),
        Some(3),
        "capped at last"
    );
    assert_eq!(db.mark_read(ac.id, alice, 99).await.expect("again"), None);
    assert_eq!(db.mark_read(ac.id, bob, 1).await.expect("non-member"), None);
    assert_eq!(
        db.unread_counts(alice, &[ac.id]).await.expect("counts"),
        vec![(ac.id, 0)]
    );
    assert!(db.unread_counts(alice, &[]).await.expect("none").is_empty());
}
