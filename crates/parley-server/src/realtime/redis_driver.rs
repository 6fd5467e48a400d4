//! The pub/sub driver under socketioxide's Redis adapter. The crate's own
//! driver holds one `MultiplexedConnection`, which never reconnects: after a
//! Redis restart a node would stay cut off from the others until it
//! restarted itself. This one is the same driver over redis-rs's
//! `ConnectionManager`, which reconnects by itself and, with automatic
//! resubscription, subscribes to the adapter's channels again, so fan-out
//! resumes on its own when Redis is back (docs/api.md "Many nodes").
//!
//! Two more differences, both for a Redis outage:
//! - a connection that only listens never notices that it broke, so a
//!   keep-alive PING every [`KEEPALIVE`] makes the manager reconnect (and
//!   resubscribe) within about a second of Redis coming back;
//! - a failed publish is logged and counted, not returned: the adapter sends
//!   to the other nodes *before* its own sockets and gives up on an error, so
//!   passing the error up would cut this node's own clients off too. Other
//!   nodes' clients miss the event and catch up with `sync`.

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands, FromRedisValue, PushInfo, PushKind};
use redis_pubsub as redis;
use socketioxide_redis::drivers::{ChanItem, Driver, MessageStream};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::mpsc;

/// Channel name → where its messages go.
type Handlers = Arc<RwLock<HashMap<String, mpsc::Sender<ChanItem>>>>;

#[derive(Clone)]
pub struct ReconnectingDriver {
    conn: ConnectionManager,
    handlers: Handlers,
}

impl ReconnectingDriver {
    pub async fn connect(client: redis::Client) -> redis::RedisResult<Self> {
        let handlers: Handlers = Arc::default();
        let sink = handlers.clone();
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_max_delay(Duration::from_millis(500))
            .set_push_sender(move |msg: PushInfo| {
                deliver(msg, &sink);
                Ok::<(), std::convert::Infallible>(())
            })
            .set_automatic_resubscription();
        let conn = ConnectionManager::new_with_config(client, config).await?;
        tokio::spawn(keep_alive(conn.clone()));
        Ok(Self { conn, handlers })
    }
}

/// How often the pub/sub connection is probed.
const KEEPALIVE: Duration = Duration::from_secs(1);

/// Metric: events that could not be sent to the other nodes.
pub const PUBLISH_FAILURES_TOTAL: &str = "realtime_redis_publish_failures_total";

/// PINGs forever (until the runtime stops), so a broken connection is found
/// and replaced even when this node publishes nothing.
async fn keep_alive(mut conn: ConnectionManager) {
    let mut tick = tokio::time::interval(KEEPALIVE);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = redis::cmd("PING")
            .query_async::<redis::Value>(&mut conn)
            .await
        {
            tracing::debug!(error = %e, "Redis adapter keep-alive failed; reconnecting");
        }
    }
}

/// Hands one pushed pub/sub message to its channel's stream.
fn deliver(msg: PushInfo, handlers: &Handlers) {
    if !matches!(msg.kind, PushKind::Message | PushKind::SMessage) {
        return;
    }
    let mut data = msg.data.into_iter();
    let (Some(channel), Some(payload)) = (data.next(), data.next()) else {
        return;
    };
    let (Ok(channel), Ok(payload)) = (
        String::from_redis_value(channel),
        Vec::<u8>::from_redis_value(payload),
    ) else {
        tracing::warn!("unreadable message from the Redis adapter's channels");
        return;
    };
    let Ok(handlers) = handlers.read() else {
        return;
    };
    if let Some(tx) = handlers.get(&channel)
        && let Err(e) = tx.try_send((channel, payload))
    {
        tracing::warn!(error = %e, "Redis adapter channel full: a message between nodes was dropped");
    }
}

/// The driver's error: redis-rs's, as the trait wants an `Error` type.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct DriverError(#[from] redis::RedisError);

impl Driver for ReconnectingDriver {
    type Error = DriverError;

    async fn publish(&self, chan: String, val: Vec<u8>) -> Result<(), Self::Error> {
        if let Err(e) = self
            .conn
            .clone()
            .publish::<_, _, redis::Value>(&chan, val)
            .await
        {
            // See the module docs: this node's own sockets still get the event.
            tracing::warn!(error = %e, "Redis is unavailable: an event did not reach the other nodes");
            metrics::counter!(PUBLISH_FAILURES_TOTAL).increment(1);
        }
        Ok(())
    }

    async fn subscribe(
        &self,
        chan: String,
        size: usize,
    ) -> Result<MessageStream<ChanItem>, Self::Error> {
        let (tx, rx) = mpsc::channel(size);
        if let Ok(mut handlers) = self.handlers.write() {
            handlers.insert(chan.clone(), tx);
        }
        self.conn.clone().subscribe(chan.as_str()).await?;
        Ok(MessageStream::new(rx))
    }

    async fn unsubscribe(&self, chan: String) -> Result<(), Self::Error> {
        if let Ok(mut handlers) = self.handlers.write() {
            handlers.remove(&chan);
        }
        self.conn.clone().unsubscribe(chan).await?;
        Ok(())
    }

    async fn num_serv(&self, chan: &str) -> Result<u16, Self::Error> {
        let mut conn = self.conn.clone();
        let (_, count): (String, u16) = redis::cmd("PUBSUB")
            .arg("NUMSUB")
            .arg(chan)
            .query_async(&mut conn)
            .await?;
        Ok(count)
    }
}
