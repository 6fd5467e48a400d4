//! Which sessions are live, asked for many at once (the realtime sweeper).

use crate::support::{Backend, DAY, at, fresh_store, session, user};
use parley_core::SessionId;

pub async fn live_sessions_filters_revoked_expired_and_unknown(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let live = session(&db, alice, "live", false).await;
    let revoked = session(&db, alice, "revoked", false).await;
    let other = session(&db, alice, "other", true).await;
    db.revoke_session(revoked, at(1)).await.expect("revoke");
    let unknown = SessionId::new();

    let mut found = db
        .live_sessions(&[live, revoked, unknown, other], at(2))
        .await
        .expect("live");
    found.sort();
    let mut expected = vec![live, other];
    expected.sort();
    assert_eq!(found, expected);
    // Sessions expire a day after T0.
    assert!(
        db.live_sessions(&[live, other], at(DAY))
            .await
            .expect("expired")
            .is_empty()
    );
    assert!(db.live_sessions(&[], at(2)).await.expect("none").is_empty());

    // More ids than one query takes (500): chunked, nothing lost.
    let mut many: Vec<SessionId> = (0..1200).map(|_| SessionId::new()).collect();
    many.insert(700, live);
    many.push(other);
    let mut found = db.live_sessions(&many, at(2)).await.expect("many");
    found.sort();
    assert_eq!(found, expected);
}
