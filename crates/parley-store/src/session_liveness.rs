//! Which sessions are still live, asked for many at once. The realtime
//! gateway's sweeper holds the session ids of every connected socket and
//! periodically disconnects the sockets whose session was revoked or expired
//! by some path that could not disconnect them itself (expiry, another node,
//! a direct database change).

use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::{SessionId, Timestamp};
use sqlx::QueryBuilder;

/// Ids per query: far below SQLite's bind limit (999 on old builds, 32766
/// now) and PostgreSQL's 65535, while still one round trip per 500 sessions.
const IDS_PER_QUERY: usize = 500;

impl Store {
    /// The subset of `ids` that is neither revoked nor expired at `now`, in
    /// no particular order. Unknown ids (sessions purged or never created)
    /// are simply absent, i.e. not live.
    pub async fn live_sessions(
        &self,
        ids: &[SessionId],
        now: Timestamp,
    ) -> Result<Vec<SessionId>, StoreError> {
        let mut live = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            // Same text on both dialects: QueryBuilder writes `?` or `$n`.
            let found = with_pool!(self, read, |pool| {
                let mut query = QueryBuilder::new(
                    "SELECT id FROM sessions WHERE revoked_at IS NULL AND expires_at > ",
                );
                query.push_bind(now.as_millis());
                query.push(" AND id IN (");
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(id.0);
                }
                list.push_unseparated(")");
                query
                    .build_query_scalar::<uuid::Uuid>()
                    .fetch_all(pool)
                    .await
            })?;
            live.extend(found.into_iter().map(SessionId));
        }
        Ok(live)
    }
}
