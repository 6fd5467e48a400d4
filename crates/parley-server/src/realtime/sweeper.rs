//! The session liveness sweep. Sign-out, password changes and account
//! deletion disconnect sockets at once, through the publisher; but a session
//! can also end with nobody there to do it: it expires, another node revokes
//! it while this node's sockets hold it, a refresh-token replay revokes it.
//! So every `realtime_sweep_interval` (30 s by default) this node asks the
//! store which of its sockets' sessions are still live, in one query per 500
//! sessions, and disconnects the sockets of the others.

use crate::realtime::socketio::LocalSockets;
use parley_core::{SessionId, Timestamp};
use parley_store::Store;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::MissedTickBehavior;

/// Sweeps forever, every `every`. Aborted at shutdown.
pub async fn sweep_periodically(sockets: Arc<dyn LocalSockets>, store: Store, every: Duration) {
    let mut tick = tokio::time::interval(every.max(Duration::from_millis(100)));
    // A slow database must not make sweeps pile up.
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    // The first tick completes at once; a fresh server has no sockets yet.
    tick.tick().await;
    loop {
        tick.tick().await;
        sweep_once(sockets.as_ref(), &store).await;
    }
}

/// One pass; returns how many sockets were disconnected.
pub async fn sweep_once(sockets: &dyn LocalSockets, store: &Store) -> usize {
    let sessions = sockets.local_sessions();
    if sessions.is_empty() {
        return 0;
    }
    let live = match store.live_sessions(&sessions, Timestamp::now()).await {
        Ok(live) => live,
        Err(e) => {
            // Not knowing is not proof of revocation: keep the sockets.
            tracing::warn!(error = %e, "session sweep: liveness query failed");
            return 0;
        }
    };
    let ended = ended_sessions(sessions, &live);
    if ended.is_empty() {
        return 0;
    }
    let disconnected = sockets.disconnect_local(&ended);
    tracing::info!(
        sessions = ended.len(),
        sockets = disconnected,
        "disconnected sockets of ended sessions"
    );
    disconnected
}

/// The sessions of `connected` that are not in `live`.
fn ended_sessions(connected: Vec<SessionId>, live: &[SessionId]) -> HashSet<SessionId> {
    let live: HashSet<&SessionId> = live.iter().collect();
    connected
        .into_iter()
        .filter(|s| !live.contains(s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ended_is_connected_minus_live() {
        let (a, b, c) = (SessionId::new(), SessionId::new(), SessionId::new());
        let ended = ended_sessions(vec![a, b, c], &[b]);
        assert_eq!(ended, HashSet::from([a, c]));
        assert!(ended_sessions(vec![a], &[a]).is_empty());
        assert!(ended_sessions(Vec::new(), &[a]).is_empty());
    }
}
