//! State that must be one across nodes when Parley runs on many: who is
//! online ([`presence::SharedPresence`]) and who is typing
//! ([`typing::SharedTyping`]), kept in Redis when `PARLEY_REDIS_URL` is set.
//! (Rate-limit counters are shared by `ratelimit/`, Socket.IO fan-out by the
//! Redis adapter in `realtime/`.) With no Redis, the services keep the same
//! state in memory for their one node.
//!
//! Every call has a short timeout: Redis being away must slow nothing down.
//! A node then falls back to what it knows itself, and says so in the logs.

pub mod presence;
pub mod typing;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::time::Duration;

/// How long connecting may take.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long one command may take.
pub(crate) const OP_TIMEOUT: Duration = Duration::from_millis(500);

/// How Parley's Redis connections (shared state, rate limits) reconnect.
/// redis 0.32 hands `factor` to backon as the delay multiplier (default 100,
/// after a 1 s first delay), so the defaults back off for minutes before
/// reporting that Redis is unreachable. Capped: startup fails in a few
/// seconds, background reconnects retry briskly (calls meanwhile fail fast
/// after [`OP_TIMEOUT`]).
pub(crate) fn connection_config() -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_connection_timeout(CONNECT_TIMEOUT)
        .set_response_timeout(OP_TIMEOUT)
        .set_factor(2)
        .set_max_delay(500)
        .set_number_of_retries(2)
}

/// This process's name among the nodes: random per start, so a restarted
/// node is a new one and the old one's heartbeats simply stop.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NodeId(pub String);

impl NodeId {
    pub fn fresh() -> Self {
        Self(uuid::Uuid::now_v7().simple().to_string())
    }
}

/// A Redis connection for shared state (reconnects by itself).
#[derive(Clone)]
pub struct SharedRedis {
    conn: ConnectionManager,
    pub node: NodeId,
    /// `PARLEY_REDIS_PREFIX`: every key starts with it.
    prefix: String,
}

impl std::fmt::Debug for SharedRedis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedRedis")
            .field("node", &self.node)
            .finish_non_exhaustive()
    }
}

impl SharedRedis {
    pub async fn connect(url: &str, prefix: &str) -> redis::RedisResult<Self> {
        let client = redis::Client::open(url)?;
        let conn = ConnectionManager::new_with_config(client, connection_config()).await?;
        Ok(Self {
            conn,
            node: NodeId::fresh(),
            prefix: prefix.to_owned(),
        })
    }

    /// `{prefix}:{name}`.
    pub(crate) fn key(&self, name: &str) -> String {
        format!("{}:{name}", self.prefix)
    }

    pub(crate) fn conn(&self) -> ConnectionManager {
        self.conn.clone()
    }

    /// True if Redis answers a PING now (for `/readyz`).
    pub async fn ping(&self) -> bool {
        let mut conn = self.conn();
        let cmd = redis::cmd("PING");
        let ping = cmd.query_async::<String>(&mut conn);
        matches!(tokio::time::timeout(OP_TIMEOUT, ping).await, Ok(Ok(_)))
    }
}
