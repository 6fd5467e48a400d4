//! Sessions and refresh-token rotation: each session is a token family; a used
//! token presented again revokes the family.

use crate::support::{
    Backend, DAY, HOUR, T0, at, expiring_at, fresh_store, new_session, session, token, user,
};
use parley_core::{SessionId, Timestamp, UserId};
use parley_store::{RefreshOutcome, RotationExpiry, Store};
use std::sync::Arc;
use tokio::sync::Barrier;
use tokio::task::JoinSet;

/// Presents `old` and asks for `new`, valid for a day from `now`, or for two
/// days if the session was signed in with "remember me".
async fn rotate(store: &Store, old: &str, new: &str, now: Timestamp) -> RefreshOutcome {
    let expires = RotationExpiry {
        short: Timestamp::from_millis(now.as_millis() + DAY),
        remembered: Timestamp::from_millis(now.as_millis() + 2 * DAY),
    };
    store
        .rotate_refresh_token(&token(old), &token(new), now, expires)
        .await
        .unwrap_or_else(|e| panic!("rotate {old} -> {new}: {e:?}"))
}

async fn active(store: &Store, id: SessionId, now: Timestamp) -> Option<UserId> {
    store
        .active_session_user(id, now)
        .await
        .expect("active_session_user")
}

pub async fn created_session_is_active_until_it_expires(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let s = session(&db, alice, "a1", true).await;
    let other = session(&db, bob, "b1", false).await;

    assert_eq!(active(&db, s, T0).await, Some(alice));
    assert_eq!(
        active(&db, other, T0).await,
        Some(bob),
        "each session names its own user"
    );
    assert_eq!(
        active(&db, s, at(DAY - 1)).await,
        Some(alice),
        "live until the last millisecond"
    );
    assert_eq!(active(&db, s, at(DAY)).await, None, "expired at expires_at");
    assert_eq!(active(&db, s, at(2 * DAY)).await, None);
    assert_eq!(
        active(&db, SessionId::new(), T0).await,
        None,
        "unknown session"
    );

    // The id given is the id stored: rotation reports it back.
    let got = rotate(&db, "a1", "a2", at(1)).await;
    assert_eq!(
        got,
        RefreshOutcome::Rotated {
            session_id: s,
            user_id: alice,
            remember: true
        }
    );
}

pub async fn rotation_issues_the_next_token(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let remembered = session(&db, alice, "r1", true).await;
    let brief = session(&db, alice, "n1", false).await;

    let got = rotate(&db, "r1", "r2", at(HOUR)).await;
    assert_eq!(
        got,
        RefreshOutcome::Rotated {
            session_id: remembered,
            user_id: alice,
            remember: true
        }
    );
    let got = rotate(&db, "n1", "n2", at(HOUR)).await;
    assert_eq!(
        got,
        RefreshOutcome::Rotated {
            session_id: brief,
            user_id: alice,
            remember: false
        }
    );

    // The new token works in turn, and rotation extends the session: it was
    // created to end at T0 + 1 day; now it ends two days ("remember me") or
    // one day after the last refresh.
    let got = rotate(&db, "r2", "r3", at(2 * HOUR)).await;
    assert_eq!(
        got,
        RefreshOutcome::Rotated {
            session_id: remembered,
            user_id: alice,
            remember: true
        }
    );
    assert_eq!(
        active(&db, remembered, at(2 * DAY + HOUR)).await,
        Some(alice),
        "rotation extends a remembered session by `remembered`"
    );
    assert_eq!(
        active(&db, remembered, at(2 * DAY + 2 * HOUR)).await,
        None,
        "until the new expiry only"
    );
    assert_eq!(
        active(&db, brief, at(DAY + HOUR - 1)).await,
        Some(alice),
        "rotation extends a brief session by `short`"
    );
    assert_eq!(
        active(&db, brief, at(DAY + HOUR)).await,
        None,
        "and no further"
    );

    // The newest token expires with its session: valid up to the last
    // millisecond, invalid from its expiry on.
    let got = rotate(&db, "r3", "r4", at(2 * DAY + 2 * HOUR - 1)).await;
    assert!(
        matches!(got, RefreshOutcome::Rotated { .. }),
        "r3 just before expiry: {got:?}"
    );
    assert_eq!(
        rotate(&db, "n2", "n3", at(DAY + HOUR)).await,
        RefreshOutcome::Invalid,
        "n2 at expiry"
    );
}

pub async fn reuse_revokes_the_family(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let s = session(&db, alice, "f1", true).await;
    let other = session(&db, alice, "o1", false).await;

    assert!(matches!(
        rotate(&db, "f1", "f2", at(1)).await,
        RefreshOutcome::Rotated { .. }
    ));
    // The used token again: theft or replay. The whole family dies...
    assert_eq!(
        rotate(&db, "f1", "f3", at(2)).await,
        RefreshOutcome::Reused {
            session_id: s,
            user_id: alice
        }
    );
    // ...including the legitimate newest token,
    assert_eq!(
        rotate(&db, "f2", "f4", at(3)).await,
        RefreshOutcome::Invalid,
        "newest token after reuse"
    );
    // the reuse attempt was not issued a token,
    assert_eq!(
        rotate(&db, "f3", "f5", at(4)).await,
        RefreshOutcome::Invalid,
        "token requested by the reuse"
    );
    // presenting the stolen token again is just invalid,
    assert_eq!(
        rotate(&db, "f1", "f6", at(5)).await,
        RefreshOutcome::Invalid,
        "reused token after revocation"
    );
    // and the session is over.
    assert_eq!(
        active(&db, s, at(6)).await,
        None,
        "the family's session is revoked"
    );

    // Another session of the same user is a different family.
    assert_eq!(active(&db, other, at(6)).await, Some(alice));
    let got = rotate(&db, "o1", "o2", at(7)).await;
    assert_eq!(
        got,
        RefreshOutcome::Rotated {
            session_id: other,
            user_id: alice,
            remember: false
        }
    );
}

pub async fn unknown_token_is_invalid(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let s = session(&db, alice, "k1", true).await;

    assert_eq!(
        rotate(&db, "never-issued", "x1", at(1)).await,
        RefreshOutcome::Invalid
    );
    let empty = db
        .rotate_refresh_token(&[], &token("x2"), at(1), expiring_at(at(DAY)))
        .await
        .expect("rotate");
    assert_eq!(empty, RefreshOutcome::Invalid);
    // No token was issued for it, and the real family is unharmed.
    assert_eq!(
        rotate(&db, "x1", "x3", at(2)).await,
        RefreshOutcome::Invalid
    );
    assert_eq!(active(&db, s, at(2)).await, Some(alice));
    assert!(matches!(
        rotate(&db, "k1", "k2", at(3)).await,
        RefreshOutcome::Rotated { .. }
    ));
}

pub async fn expired_token_is_invalid(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;

    let mut past = new_session(alice, "past", true);
    past.created_at = at(-2 * DAY);
    past.expires_at = at(-DAY);
    db.create_session(&past)
        .await
        .expect("create an expired session");
    assert_eq!(
        rotate(&db, "past", "p2", T0).await,
        RefreshOutcome::Invalid,
        "expired a day ago"
    );

    let mut edge = new_session(alice, "edge", true);
    edge.expires_at = at(10);
    db.create_session(&edge).await.expect("create a session");
    assert_eq!(
        rotate(&db, "edge", "e2", at(10)).await,
        RefreshOutcome::Invalid,
        "at expires_at exactly"
    );
    assert_eq!(
        rotate(&db, "edge", "e3", at(11)).await,
        RefreshOutcome::Invalid,
        "after expires_at"
    );
    // An expired token is not "used": it was refused, not consumed, and the
    // refusal revoked nothing. Nothing was issued either.
    assert_eq!(
        rotate(&db, "e2", "e4", at(5)).await,
        RefreshOutcome::Invalid
    );
    let got = rotate(&db, "edge", "e5", at(9)).await;
    assert!(
        matches!(got, RefreshOutcome::Rotated { .. }),
        "still live a millisecond before expiry: {got:?}"
    );
}

pub async fn revoke_session_is_idempotent(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let s = session(&db, alice, "v1", true).await;
    let rotated = session(&db, alice, "w1", true).await;
    let kept = session(&db, alice, "k1", true).await;
    assert!(matches!(
        rotate(&db, "w1", "w2", at(1)).await,
        RefreshOutcome::Rotated { .. }
    ));

    assert!(
        db.revoke_session(s, at(10)).await.expect("revoke"),
        "a live session is revoked"
    );
    assert!(
        !db.revoke_session(s, at(11)).await.expect("revoke again"),
        "already revoked"
    );
    assert!(db.revoke_session(rotated, at(10)).await.expect("revoke"));
    assert!(
        !db.revoke_session(SessionId::new(), at(10))
            .await
            .expect("revoke unknown")
    );

    assert_eq!(active(&db, s, at(12)).await, None);
    assert_eq!(active(&db, rotated, at(12)).await, None);
    assert_eq!(
        rotate(&db, "v1", "v2", at(12)).await,
        RefreshOutcome::Invalid,
        "token of a revoked session"
    );
    assert_eq!(
        rotate(&db, "w2", "w3", at(12)).await,
        RefreshOutcome::Invalid,
        "newest token of a revoked session"
    );
    // Revoking one session leaves the others.
    assert_eq!(active(&db, kept, at(12)).await, Some(alice));
    assert!(matches!(
        rotate(&db, "k1", "k2", at(13)).await,
        RefreshOutcome::Rotated { .. }
    ));
}

pub async fn revoke_other_sessions_keeps_the_named_one(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let s1 = session(&db, alice, "s1", true).await;
    let keep = session(&db, alice, "s2", true).await;
    let s3 = session(&db, alice, "s3", false).await;
    let already = session(&db, alice, "s4", true).await;
    let bobs = session(&db, bob, "b1", true).await;
    assert!(db.revoke_session(already, at(1)).await.expect("revoke"));

    let mut revoked = db
        .revoke_other_sessions(alice, Some(keep), at(2))
        .await
        .expect("revoke others");
    revoked.sort();
    let mut expected = vec![s1, s3];
    expected.sort();
    assert_eq!(
        revoked, expected,
        "the live sessions other than the kept one, and only those"
    );

    assert_eq!(
        active(&db, keep, at(3)).await,
        Some(alice),
        "the kept session lives"
    );
    assert_eq!(active(&db, s1, at(3)).await, None);
    assert_eq!(active(&db, s3, at(3)).await, None);
    assert_eq!(
        active(&db, bobs, at(3)).await,
        Some(bob),
        "other users are untouched"
    );
    assert_eq!(
        rotate(&db, "s1", "s1b", at(3)).await,
        RefreshOutcome::Invalid
    );
    assert_eq!(
        rotate(&db, "s3", "s3b", at(3)).await,
        RefreshOutcome::Invalid
    );
    assert!(matches!(
        rotate(&db, "s2", "s2b", at(3)).await,
        RefreshOutcome::Rotated { .. }
    ));

    // Again: nothing left to revoke but the kept one.
    assert!(
        db.revoke_other_sessions(alice, Some(keep), at(4))
            .await
            .expect("revoke others")
            .is_empty()
    );
    // Without a session to keep, every live one goes.
    assert_eq!(
        db.revoke_other_sessions(alice, None, at(5))
            .await
            .expect("revoke all"),
        vec![keep]
    );
    assert_eq!(active(&db, keep, at(6)).await, None);
    assert_eq!(active(&db, bobs, at(6)).await, Some(bob));
    // A user without sessions, or unknown: nothing.
    assert!(
        db.revoke_other_sessions(UserId::new(), None, at(7))
            .await
            .expect("revoke none")
            .is_empty()
    );
}

pub async fn purge_removes_only_ended_sessions(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let cutoff = at(10 * DAY);

    let with_expiry = |label: &str, user: UserId, expires: i64| {
        let mut new = new_session(user, label, true);
        new.expires_at = at(expires);
        new
    };
    let live = with_expiry("live", alice, 20 * DAY);
    let expired_long_ago = with_expiry("old-exp", alice, 5 * DAY);
    let revoked_long_ago = with_expiry("old-rev", alice, 20 * DAY);
    let revoked_recently = with_expiry("new-rev", alice, 20 * DAY);
    let expires_at_cutoff = with_expiry("cut-exp", alice, 10 * DAY);
    let bobs = with_expiry("bob", bob, 20 * DAY);
    for s in [
        &live,
        &expired_long_ago,
        &revoked_long_ago,
        &revoked_recently,
        &expires_at_cutoff,
        &bobs,
    ] {
        db.create_session(s).await.expect("create session");
    }
    // The live session has rotated: both of its tokens must survive.
    let got = db
        .rotate_refresh_token(
            &token("live"),
            &token("live-2"),
            at(HOUR),
            expiring_at(at(20 * DAY)),
        )
        .await;
    assert!(matches!(got, Ok(RefreshOutcome::Rotated { .. })), "{got:?}");
    assert!(
        db.revoke_session(revoked_long_ago.id, at(2 * DAY))
            .await
            .expect("revoke")
    );
    assert!(
        db.revoke_session(revoked_recently.id, at(11 * DAY))
            .await
            .expect("revoke")
    );

    assert_eq!(
        db.purge_sessions_ended_before(cutoff).await.expect("purge"),
        2,
        "two sessions ended before"
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM sessions").await, 4);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM refresh_tokens").await,
        5,
        "purged sessions keep no tokens"
    );
    assert_eq!(
        active(&db, live.id, at(9 * DAY)).await,
        Some(alice),
        "the live session survives"
    );
    assert_eq!(active(&db, bobs.id, at(9 * DAY)).await, Some(bob));
    assert!(matches!(
        rotate(&db, "live-2", "live-3", at(9 * DAY)).await,
        RefreshOutcome::Rotated { .. }
    ));
    assert_eq!(
        active(&db, expired_long_ago.id, at(HOUR)).await,
        None,
        "purged"
    );
    // Gone entirely: revoking it no longer finds it.
    assert!(
        !db.revoke_session(expired_long_ago.id, at(11 * DAY))
            .await
            .expect("revoke purged")
    );

    assert_eq!(
        db.purge_sessions_ended_before(cutoff)
            .await
            .expect("purge again"),
        0
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM users").await,
        2,
        "purging sessions deletes no user"
    );
}

/// Eight refreshes with one token at the same time (a replayed request, or a
/// thief racing the owner): exactly one rotates; the others count as reuse
/// (or find the family already revoked), and the family ends revoked.
pub async fn concurrent_rotation_has_one_winner(backend: Backend) {
    const RACERS: usize = 8;
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;

    for round in 0..4 {
        let old = format!("race{round}");
        let s = session(&db, alice, &old, true).await;
        let barrier = Arc::new(Barrier::new(RACERS));
        let mut tasks = JoinSet::new();
        for i in 0..RACERS {
            let (store, barrier, old) = (db.store.clone(), barrier.clone(), old.clone());
            tasks.spawn(async move {
                let new = format!("race{round}-new{i}");
                barrier.wait().await;
                let got = store
                    .rotate_refresh_token(
                        &token(&old),
                        &token(&new),
                        at(HOUR),
                        expiring_at(at(DAY)),
                    )
                    .await;
                (new, got)
            });
        }
        let (mut winners, mut reused, mut invalid) = (Vec::new(), 0, 0);
        while let Some(joined) = tasks.join_next().await {
            let (new, got) = joined.expect("rotation task panicked");
            match got
                .unwrap_or_else(|e| panic!("round {round}: a concurrent rotation failed: {e:?}"))
            {
                RefreshOutcome::Rotated {
                    session_id,
                    user_id,
                    remember,
                } => {
                    assert_eq!((session_id, user_id, remember), (s, alice, true));
                    winners.push(new);
                }
                RefreshOutcome::Reused {
                    session_id,
                    user_id,
                } => {
                    assert_eq!((session_id, user_id), (s, alice));
                    reused += 1;
                }
                RefreshOutcome::Invalid => invalid += 1,
            }
        }
        assert_eq!(
            winners.len(),
            1,
            "round {round}: exactly one rotation wins, got {winners:?}"
        );
        // The first loser to run after the winner finds the family live, so
        // at least one reuse is detected; later ones may find it revoked.
        assert!(
            reused >= 1,
            "round {round}: no reuse detected ({invalid} invalid)"
        );
        assert_eq!(reused + invalid, RACERS - 1);

        assert_eq!(
            active(&db, s, at(HOUR + 1)).await,
            None,
            "round {round}: the family ends revoked"
        );
        for i in 0..RACERS {
            let new = format!("race{round}-new{i}");
            assert_eq!(
                rotate(&db, &new, "after", at(HOUR + 2)).await,
                RefreshOutcome::Invalid,
                "{new}"
            );
        }
    }
    // One old and one new token per round: the losers' tokens were never stored.
    assert_eq!(db.count("SELECT COUNT(*) FROM refresh_tokens").await, 4 * 2);
}

/// Refreshes of different sessions at once do not interfere: all rotate.
pub async fn concurrent_rotations_of_different_sessions_all_succeed(backend: Backend) {
    const SESSIONS: usize = 8;
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let mut ids = Vec::new();
    for i in 0..SESSIONS {
        ids.push(session(&db, alice, &format!("many{i}"), i % 2 == 0).await);
    }
    let barrier = Arc::new(Barrier::new(SESSIONS));
    let mut tasks = JoinSet::new();
    for (i, &id) in ids.iter().enumerate() {
        let (store, barrier) = (db.store.clone(), barrier.clone());
        tasks.spawn(async move {
            barrier.wait().await;
            let got = store
                .rotate_refresh_token(
                    &token(&format!("many{i}")),
                    &token(&format!("many{i}-2")),
                    at(HOUR),
                    RotationExpiry {
                        short: at(DAY),
                        remembered: at(2 * DAY),
                    },
                )
                .await;
            (i, id, got)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let (i, id, got) = joined.expect("rotation task panicked");
        let got =
            got.unwrap_or_else(|e| panic!("session {i}: a concurrent rotation failed: {e:?}"));
        assert_eq!(
            got,
            RefreshOutcome::Rotated {
                session_id: id,
                user_id: alice,
                remember: i % 2 == 0
            }
        );
    }
    for (i, &id) in ids.iter().enumerate() {
        assert_eq!(
            active(&db, id, at(HOUR + 1)).await,
            Some(alice),
            "session {i} stays live"
        );
        // Each got the expiry for its own kind.
        let expected = (i % 2 == 0).then_some(alice);
        assert_eq!(active(&db, id, at(DAY + 1)).await, expected, "session {i}");
    }
}
