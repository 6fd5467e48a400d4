//! User accounts: creation and its two uniqueness rules, lookups, profile and
//! password changes, deletion.

use crate::support::{
    Backend, DAY, T0, at, expiring_at, fresh_store, new_user, session, token, user,
};
use parley_core::{Timestamp, UserId};
use parley_store::{ProfileChanges, RefreshOutcome, StoreError, UserRecord};
use std::collections::HashSet;
use tokio::task::JoinSet;
use uuid::Uuid;

fn assert_same_user(found: Option<UserRecord>, expected: UserId, how: &str) {
    let found = found.unwrap_or_else(|| panic!("{how}: no user found"));
    assert_eq!(found.user_id(), expected, "{how}: found the wrong user");
}

pub async fn creates_and_finds(backend: Backend) {
    let db = fresh_store(backend).await;
    let new = new_user("alice");
    let created = db.create_user(&new).await.expect("create alice");
    assert_eq!(created.user_id(), new.id);
    assert_eq!(created.username, "alice");
    assert_eq!(created.email.as_deref(), Some("alice@example.com"));
    assert_eq!(created.password_hash, new.password_hash);
    assert_eq!(created.display_name, new.display_name);
    assert_eq!(created.bio, "");
    assert_eq!(created.status_message, "");
    assert_eq!(created.avatar_key, None);
    assert_eq!(created.created_at, T0.as_millis());
    assert_eq!(created.updated_at, T0.as_millis());
    assert_eq!(created.last_seen_at, None);
    // A second user, so a lookup that returns "some row" cannot pass.
    let bob = user(&db, "bob").await;

    let by_id = db.user_by_id(new.id).await.expect("user_by_id");
    assert_same_user(by_id.clone(), new.id, "user_by_id");
    let by_id = by_id.expect("checked above");
    assert_eq!(
        (
            by_id.username,
            by_id.email,
            by_id.password_hash,
            by_id.display_name
        ),
        (
            created.username,
            created.email,
            created.password_hash,
            created.display_name
        ),
        "user_by_id returns the stored fields"
    );
    assert_same_user(
        db.user_by_id(bob).await.expect("user_by_id"),
        bob,
        "user_by_id(bob)",
    );
    assert_same_user(
        db.user_by_username("alice").await.expect("by username"),
        new.id,
        "user_by_username",
    );
    assert_same_user(
        db.user_by_username("bob").await.expect("by username"),
        bob,
        "user_by_username(bob)",
    );

    for login in [
        "alice",
        "alice@example.com",
        "ALICE",
        "Alice@Example.COM",
        "  alice  ",
    ] {
        let found = db.user_by_login(login).await.expect("user_by_login");
        assert_same_user(found, new.id, &format!("user_by_login({login:?})"));
    }
    assert_same_user(
        db.user_by_login("BOB@example.com").await.expect("by login"),
        bob,
        "login bob",
    );

    assert!(
        db.user_by_id(UserId::new())
            .await
            .expect("user_by_id")
            .is_none()
    );
    assert!(
        db.user_by_username("carol")
            .await
            .expect("by username")
            .is_none()
    );
    assert!(
        db.user_by_login("carol@example.com")
            .await
            .expect("by login")
            .is_none()
    );
    assert!(db.user_by_login("").await.expect("by login").is_none());
}

pub async fn ids_and_timestamps_round_trip(backend: Backend) {
    let db = fresh_store(backend).await;
    // Bytes at both ends of the range, and every nibble, catch an id stored as
    // text, truncated or byte-swapped.
    let ids = [
        Uuid::from_bytes([
            0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe, 0x70, 0x00, 0x80, 0x00, 0xde, 0xad, 0xbe, 0xef,
            0x00, 0xff,
        ]),
        Uuid::from_u128(0x0123_4567_89ab_7def_8123_4567_89ab_cdef),
        Uuid::now_v7(),
    ];
    // Milliseconds that do not fit in 32 bits (and one far in the future).
    let times = [T0.as_millis(), 4_102_444_800_999, 1];
    for (i, (id, ms)) in ids.into_iter().zip(times).enumerate() {
        let mut new = new_user(&format!("user{i}"));
        new.id = UserId(id);
        new.created_at = Timestamp::from_millis(ms);
        let created = db.create_user(&new).await.expect("create");
        assert_eq!(created.id, UserId(id), "create_user returns the id given");
        let found = db
            .user_by_username(&new.username)
            .await
            .expect("look up")
            .expect("found");
        assert_eq!(found.id, UserId(id), "the id round-trips unchanged");
        assert_eq!(found.id.0.as_bytes(), id.as_bytes());
        assert_eq!(found.user_id(), UserId(id));
        assert_eq!(
            found.created_at, ms,
            "created_at round-trips to the millisecond"
        );
        assert_eq!(found.updated_at, ms);

        let seen = ms + 1_234_567_891;
        db.set_last_seen(UserId(id), Timestamp::from_millis(seen))
            .await
            .expect("set_last_seen");
        let found = db
            .user_by_id(UserId(id))
            .await
            .expect("look up")
            .expect("found");
        assert_eq!(
            found.last_seen_at,
            Some(seen),
            "last_seen_at round-trips to the millisecond"
        );
    }
}

pub async fn duplicate_username_is_a_conflict(backend: Backend) {
    let db = fresh_store(backend).await;
    let first = new_user("alice");
    db.create_user(&first).await.expect("create alice");

    let mut dup = new_user("alice");
    dup.email = Some("other@example.com".to_owned());
    dup.password_hash = Some("other-hash".to_owned());
    match db.create_user(&dup).await {
        Err(StoreError::Conflict(code)) => assert_eq!(code, parley_core::ErrorCode::UsernameTaken),
        other => panic!("a taken username must be Conflict(username_taken), got {other:?}"),
    }
    assert_nothing_changed(&db, &first, &dup).await;
    assert!(
        db.user_by_login("other@example.com")
            .await
            .expect("by login")
            .is_none()
    );
}

pub async fn duplicate_email_is_a_conflict(backend: Backend) {
    let db = fresh_store(backend).await;
    let first = new_user("alice");
    db.create_user(&first).await.expect("create alice");

    let mut dup = new_user("alicia");
    dup.email = first.email.clone();
    dup.password_hash = Some("other-hash".to_owned());
    match db.create_user(&dup).await {
        Err(StoreError::Conflict(code)) => assert_eq!(code, parley_core::ErrorCode::EmailTaken),
        other => panic!("a taken email must be Conflict(email_taken), got {other:?}"),
    }
    assert_nothing_changed(&db, &first, &dup).await;
    assert!(
        db.user_by_username("alicia")
            .await
            .expect("by username")
            .is_none()
    );
    assert!(
        db.user_by_login("alicia")
            .await
            .expect("by login")
            .is_none()
    );
}

/// After a refused duplicate: one row, the first user's, unchanged.
async fn assert_nothing_changed(
    db: &crate::support::TestDb,
    first: &parley_store::NewUser,
    dup: &parley_store::NewUser,
) {
    assert_eq!(
        db.count("SELECT COUNT(*) FROM users").await,
        1,
        "the refused user left a row"
    );
    assert!(
        db.user_by_id(dup.id).await.expect("look up").is_none(),
        "the refused user exists"
    );
    let kept = db
        .user_by_id(first.id)
        .await
        .expect("look up")
        .expect("the first user survives");
    assert_eq!(kept.username, first.username);
    assert_eq!(kept.email, first.email);
    assert_eq!(kept.password_hash, first.password_hash);
    assert_eq!(kept.display_name, first.display_name);
    assert_eq!(kept.updated_at, first.created_at.as_millis());
    let by_login = db
        .user_by_login(first.email.as_deref().unwrap_or_default())
        .await
        .expect("by login")
        .expect("found by email");
    assert_eq!(by_login.user_id(), first.id);
}

pub async fn update_profile_is_partial(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;

    let changes = ProfileChanges {
        display_name: Some("Alice A.".into()),
        ..ProfileChanges::default()
    };
    let updated = db
        .update_profile(alice, &changes, at(1_000))
        .await
        .expect("update")
        .expect("alice exists");
    assert_eq!(updated.display_name, "Alice A.");
    assert_eq!(updated.bio, "", "None leaves bio alone");
    assert_eq!(
        updated.status_message, "",
        "None leaves status_message alone"
    );
    assert_eq!(updated.updated_at, at(1_000).as_millis());
    assert_eq!(
        updated.created_at,
        T0.as_millis(),
        "created_at never changes"
    );

    let changes = ProfileChanges {
        display_name: None,
        bio: Some("Hello, I'm Alice ✨".into()),
        status_message: Some("away".into()),
    };
    db.update_profile(alice, &changes, at(2_000))
        .await
        .expect("update")
        .expect("alice exists");
    let stored = db
        .user_by_id(alice)
        .await
        .expect("look up")
        .expect("alice exists");
    assert_eq!(
        stored.display_name, "Alice A.",
        "None leaves display_name alone"
    );
    assert_eq!(stored.bio, "Hello, I'm Alice ✨");
    assert_eq!(stored.status_message, "away");
    assert_eq!(stored.updated_at, at(2_000).as_millis());

    // Some("") clears a field: it is a value, not "no change".
    let clear = ProfileChanges {
        status_message: Some(String::new()),
        ..ProfileChanges::default()
    };
    let cleared = db
        .update_profile(alice, &clear, at(3_000))
        .await
        .expect("update")
        .expect("alice exists");
    assert_eq!(cleared.status_message, "");
    assert_eq!(cleared.bio, "Hello, I'm Alice ✨");

    // Nobody else changed; an unknown user is None.
    let other = db
        .user_by_id(bob)
        .await
        .expect("look up")
        .expect("bob exists");
    assert_eq!(
        (other.display_name.as_str(), other.bio.as_str()),
        ("bob display", "")
    );
    assert_eq!(other.updated_at, T0.as_millis());
    let nobody = db
        .update_profile(UserId::new(), &changes, at(4_000))
        .await
        .expect("update unknown");
    assert!(nobody.is_none());
}

pub async fn set_password_hash_replaces_the_hash(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;

    db.set_password_hash(alice, "$argon2id$v=19$new", at(5_000))
        .await
        .expect("set_password_hash");
    let stored = db
        .user_by_id(alice)
        .await
        .expect("look up")
        .expect("alice exists");
    assert_eq!(stored.password_hash.as_deref(), Some("$argon2id$v=19$new"));
    assert_eq!(stored.updated_at, at(5_000).as_millis());
    let other = db
        .user_by_id(bob)
        .await
        .expect("look up")
        .expect("bob exists");
    assert_eq!(
        other.password_hash,
        new_user("bob").password_hash,
        "only alice's hash changes"
    );
}

pub async fn set_last_seen_records_the_time(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;

    db.set_last_seen(alice, at(7_000))
        .await
        .expect("set_last_seen");
    let stored = db
        .user_by_id(alice)
        .await
        .expect("look up")
        .expect("alice exists");
    assert_eq!(stored.last_seen_at, Some(at(7_000).as_millis()));
    // Being seen is not a profile change.
    assert_eq!(stored.updated_at, T0.as_millis());
    db.set_last_seen(alice, at(9_000))
        .await
        .expect("set_last_seen again");
    let stored = db
        .user_by_id(alice)
        .await
        .expect("look up")
        .expect("alice exists");
    assert_eq!(stored.last_seen_at, Some(at(9_000).as_millis()));
    let other = db
        .user_by_id(bob)
        .await
        .expect("look up")
        .expect("bob exists");
    assert_eq!(other.last_seen_at, None, "only alice was seen");
}

pub async fn delete_user_cascades_to_sessions(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let s1 = session(&db, alice, "alice-1", true).await;
    let s2 = session(&db, alice, "alice-2", false).await;
    // A rotated family leaves a used token behind: it must go too.
    let rotated = db
        .rotate_refresh_token(
            &token("alice-2"),
            &token("alice-2b"),
            at(1),
            expiring_at(at(DAY)),
        )
        .await;
    assert!(
        matches!(rotated, Ok(RefreshOutcome::Rotated { .. })),
        "{rotated:?}"
    );
    let kept = session(&db, bob, "bob-1", true).await;

    assert!(db.delete_user(alice).await.expect("delete alice"));
    assert!(db.user_by_id(alice).await.expect("look up").is_none());
    assert!(db.user_by_login("alice").await.expect("look up").is_none());
    for s in [s1, s2] {
        assert_eq!(
            db.active_session_user(s, at(2))
                .await
                .expect("active_session_user"),
            None
        );
    }
    for t in ["alice-1", "alice-2", "alice-2b"] {
        let got = db
            .rotate_refresh_token(&token(t), &token("x"), at(3), expiring_at(at(DAY)))
            .await;
        assert_eq!(
            got.expect("rotate"),
            RefreshOutcome::Invalid,
            "token {t} outlived its user"
        );
    }
    assert_eq!(
        db.count("SELECT COUNT(*) FROM sessions").await,
        1,
        "alice's sessions were not deleted"
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM refresh_tokens").await,
        1,
        "alice's tokens were not deleted"
    );

    // Bob is untouched; deleting again finds nothing.
    assert_eq!(
        db.active_session_user(kept, at(2)).await.expect("active"),
        Some(bob)
    );
    assert!(db.user_by_id(bob).await.expect("look up").is_some());
    assert!(!db.delete_user(alice).await.expect("delete alice again"));
    // The username and email are free again.
    db.create_user(&new_user("alice"))
        .await
        .expect("re-create alice after deletion");
}

pub async fn delete_unknown_user_is_false(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    assert!(!db.delete_user(UserId::new()).await.expect("delete unknown"));
    assert!(
        db.user_by_id(alice).await.expect("look up").is_some(),
        "deleting nobody removed alice"
    );
}

/// Many sign-ups at once: SQLite's single writer must queue them, never fail
/// one with SQLITE_BUSY ("database is locked").
pub async fn concurrent_signups_all_succeed(backend: Backend) {
    let db = fresh_store(backend).await;
    let mut tasks = JoinSet::new();
    for i in 0..16 {
        let store = db.store.clone();
        tasks.spawn(async move {
            let new = new_user(&format!("user{i:02}"));
            let created = store.create_user(&new).await;
            // Read while others write.
            let found = store
                .user_by_login(new.email.as_deref().unwrap_or_default())
                .await;
            (new.id, created, found)
        });
    }
    let mut ids = HashSet::new();
    while let Some(joined) = tasks.join_next().await {
        let (id, created, found) = joined.expect("sign-up task panicked");
        let created = created.unwrap_or_else(|e| panic!("a concurrent sign-up failed: {e:?}"));
        assert_eq!(created.user_id(), id);
        let found = found.unwrap_or_else(|e| panic!("a concurrent lookup failed: {e:?}"));
        assert_eq!(found.map(|u| u.user_id()), Some(id));
        ids.insert(id);
    }
    assert_eq!(ids.len(), 16);
    assert_eq!(db.count("SELECT COUNT(*) FROM users").await, 16);
}

/// Racing sign-ups for one username: the unique constraint decides, so
/// exactly one wins and every other gets the conflict (not an internal error).
pub async fn concurrent_duplicate_signups_have_one_winner(backend: Backend) {
    let db = fresh_store(backend).await;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(8));
    let mut tasks = JoinSet::new();
    for i in 0..8 {
        let (store, barrier) = (db.store.clone(), barrier.clone());
        tasks.spawn(async move {
            let mut new = new_user("alice");
            new.email = Some(format!("alice{i}@example.com"));
            barrier.wait().await;
            store.create_user(&new).await.map(|u| u.user_id())
        });
    }
    let (mut won, mut conflicts) = (0, 0);
    while let Some(joined) = tasks.join_next().await {
        match joined.expect("sign-up task panicked") {
            Ok(_) => won += 1,
            Err(StoreError::Conflict(parley_core::ErrorCode::UsernameTaken)) => conflicts += 1,
            Err(e) => panic!("a losing sign-up must be Conflict(username_taken), got {e:?}"),
        }
    }
    assert_eq!((won, conflicts), (1, 7));
    assert_eq!(db.count("SELECT COUNT(*) FROM users").await, 1);
}
