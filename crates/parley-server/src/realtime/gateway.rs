//! The Socket.IO gateway: the socketioxide instance (with Parley's limits),
//! the default namespace's connect handler behind the authentication
//! middleware, and the rooms every socket joins (its user's, its session's,
//! and one per conversation its user belongs to).
//!
//! Handlers are generic over socketioxide's adapter, and [`namespace_handler`]
//! only builds the handler: with the local adapter `io.ns` returns `()`, with
//! the Redis adapter a future to await. Either way the same handler is used.

use crate::config::Config;
use crate::realtime::redis_driver::ReconnectingDriver;
use crate::realtime::socketio::CONNECTED_SOCKETS;
use crate::realtime::{auth, events};
use crate::services::presence;
use crate::state::AppState;
use parley_core::{SessionId, UserId};
use socketioxide::adapter::{Adapter, LocalAdapter};
use socketioxide::extract::{SocketRef, TryData};
use socketioxide::handler::ConnectHandler;
use socketioxide::layer::SocketIoLayer;
use socketioxide::socket::DisconnectReason;
use socketioxide::{ParserConfig, SocketIo};
use socketioxide_redis::drivers::redis::redis_client as redis_v1;
use socketioxide_redis::{CustomRedisAdapter, RedisAdapterConfig, RedisAdapterCtr};

/// The adapter of a node among many: socketioxide's Redis adapter, over a
/// driver that reconnects (see [`crate::realtime::redis_driver`]).
pub type SharedAdapter = CustomRedisAdapter<socketioxide::adapter::Emitter, ReconnectingDriver>;

/// Per-websocket read buffer. socketioxide's default (4 KiB) already is the
/// small end; it is set here so a dependency upgrade cannot silently bring back
/// tungstenite's eager 128 KiB per idle connection.
const WS_READ_BUFFER: usize = 4 * 1024;

/// Who a connected socket belongs to; stored in the socket's extensions by
/// the authentication middleware, read by the sweeper and event handlers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocketSession {
    pub user_id: UserId,
    pub session_id: SessionId,
}

/// The socketioxide builder with Parley's limits applied to both
/// transports: one websocket message (and each of its frames), one polling
/// body, and reassembled binary attachments are all capped at
/// `max_socket_message` (socketioxide's websocket defaults are 64 MiB per
/// message and 16 MiB per frame). A client that exceeds it is disconnected.
fn builder(config: &Config) -> socketioxide::SocketIoBuilder {
    let max = config.max_socket_message;
    SocketIo::builder()
        .max_payload(u64::try_from(max).unwrap_or(u64::MAX))
        .ws_max_message_size(max)
        .ws_max_frame_size(max)
        .ws_read_buffer_size(WS_READ_BUFFER)
        .with_parser(ParserConfig::common().max_incoming_binary_buf_size(max))
}

/// One node on its own: the in-process adapter.
pub fn build_local(config: &Config) -> (SocketIoLayer, SocketIo) {
    builder(config).build_layer()
}

/// Socket.IO over socketioxide's Redis adapter: every emit, join, leave and
/// disconnect reaches the sockets of every node. The adapter speaks RESP3,
/// so it needs Redis 7 or newer (an older server fails here, at start).
pub async fn build_redis(
    config: &Config,
    url: &str,
) -> anyhow::Result<(SocketIoLayer<SharedAdapter>, SocketIo<SharedAdapter>)> {
    use anyhow::Context;
    let client = redis_v1::Client::open(resp3(url)).context("parsing PARLEY_REDIS_URL")?;
    let adapter_config =
        RedisAdapterConfig::new().with_prefix(format!("{}:socket.io", config.redis_prefix));
    let driver = ReconnectingDriver::connect(client)
        .await
        .context("connecting the Socket.IO Redis adapter (it needs Redis 7 or newer: RESP3)")?;
    let adapter = RedisAdapterCtr::new_with_driver(driver, adapter_config);
    Ok(builder(config)
        .with_adapter::<SharedAdapter>(adapter)
        .build_layer())
}

/// The URL with `protocol=resp3`, which the adapter's pub/sub needs.
fn resp3(url: &str) -> String {
    if url.contains("protocol=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&protocol=resp3")
    } else {
        format!("{url}?protocol=resp3")
    }
}

/// Registers the default namespace on the single-node (local adapter) instance.
pub fn register_local(io: &SocketIo<LocalAdapter>, state: AppState) {
    io.ns("/", namespace_handler::<LocalAdapter>(state));
}

/// Registers the default namespace on the Redis-adapter instance (which
/// subscribes to the namespace's channels first).
pub async fn register_redis(io: &SocketIo<SharedAdapter>, state: AppState) -> anyhow::Result<()> {
    use anyhow::Context;
    io.ns("/", namespace_handler::<SharedAdapter>(state))
        .await
        .context("registering the Socket.IO namespace on the Redis adapter")
}

/// The default namespace's connect handler, behind the authentication
/// middleware: a refused handshake never reaches [`on_connect`].
pub fn namespace_handler<A: Adapter>(state: AppState) -> impl ConnectHandler<A, (SocketRef<A>,)> {
    let state_for_connect = state.clone();
    let authenticate =
        move |socket: SocketRef<A>, TryData(payload): TryData<auth::HandshakeAuth>| {
            let state = state.clone();
            // A malformed `auth` object counts as none (the cookie may still do).
            async move {
                auth::admit(&state, &socket, payload.ok()).await?;
                // Handlers are in place before the client is told it is
                // connected: socketioxide runs an async connect handler only
                // after sending CONNECT, and drops events that arrive before
                // their handler exists (a `sync` sent on `connect` would be lost).
                events::register(&socket, &state);
                Ok::<(), auth::Refused>(())
            }
        };
    let connected = move |socket: SocketRef<A>| on_connect(socket, state_for_connect.clone());
    connected.with(authenticate)
}

/// A socket passed authentication and is connected (its rooms were joined
/// by the middleware, before the client learned it is connected, so an event
/// emitted right after the client's `connect` already reaches it).
async fn on_connect<A: Adapter>(socket: SocketRef<A>, state: AppState) {
    metrics::gauge!(CONNECTED_SOCKETS).increment(1.0);
    let Some(session) = socket.extensions.get::<SocketSession>() else {
        return;
    };
    let on_close = state.clone();
    socket.on_disconnect(move |socket: SocketRef<A>, reason: DisconnectReason| {
        let state = on_close.clone();
        async move {
            metrics::gauge!(CONNECTED_SOCKETS).decrement(1.0);
            tracing::debug!(sid = %socket.id, ?reason, user = %session.user_id, "socket disconnected");
            let gone = presence::socket_disconnected(&state, session.user_id).await;
            state.finish(gone).await;
        }
    });
    tracing::debug!(sid = %socket.id, transport = ?socket.transport_type(), user = %session.user_id, "socket connected");
    let came = presence::socket_connected(&state, session.user_id).await;
    state.finish(came).await;
}
