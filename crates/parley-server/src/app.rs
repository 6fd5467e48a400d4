//! Building and running the server: open the store and apply migrations,
//! load keys, assemble routes and middleware, serve until a shutdown signal,
//! then let in-flight requests finish and close the database cleanly.

use crate::auth::csrf::CsrfKey;
use crate::auth::passwords::Passwords;
use crate::auth::tokens::TokenIssuer;
use crate::config::Config;
use crate::delivery::Delivery;
use crate::keys::Keys;
use crate::middleware::{metrics, origin, rate_limit, security_headers};
use crate::ratelimit::RateLimiter;
use crate::realtime;
use crate::realtime::socketio::{LocalSockets, SocketIoPublisher};
use crate::services::presence::Presence;
use crate::services::typing::Typing;
use crate::shared::SharedRedis;
use crate::shared::presence::SharedPresence;
use crate::shared::typing::SharedTyping;
use crate::state::AppState;
use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use http::{HeaderName, Method, header};
use parley_core::Timestamp;
use parley_store::Store;
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::layer::SocketIoLayer;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What the state is made of besides the transport, gathered before the
/// Socket.IO instance (whose adapter type depends on the configuration).
struct Parts {
    store: Store,
    passwords: Passwords,
    tokens: Arc<TokenIssuer>,
    csrf: CsrfKey,
    limiter: RateLimiter,
    presence: Presence,
    typing: Typing,
    shared: Option<SharedRedis>,
    media: crate::media::Media,
    open: crate::open::OpenApi,
    oauth: crate::state::OAuth,
    mailer: crate::mail::Mailer,
}

impl Parts {
    /// The state, delivering through `io`, and this node's sockets.
    fn assemble<A: Adapter>(
        self,
        config: Config,
        io: SocketIo<A>,
    ) -> (AppState, Arc<dyn LocalSockets>) {
        let publisher = SocketIoPublisher::new(io);
        let state = AppState {
            config: Arc::new(config),
            delivery: Delivery::new(publisher.clone(), self.store.clone()),
            store: self.store,
            passwords: self.passwords,
            tokens: self.tokens,
            csrf: self.csrf,
            limiter: self.limiter,
            metrics: metrics::recorder(),
            presence: self.presence,
            typing: self.typing,
            shared: self.shared,
            media: self.media,
            open: self.open,
            oauth: self.oauth,
            mailer: self.mailer,
        };
        (state, publisher)
    }
}

/// A built server, bound to its port, not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    /// This node's sockets, for the session sweeper and shutdown.
    sockets: Arc<dyn LocalSockets>,
}

/// Opens the configured database and brings its schema up to date.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating data folder {}", config.data_dir.display()))?;
    }
    let store = match &config.database_schema {
        Some(schema) => Store::connect_postgres_schema(&config.database_url, schema).await,
        None => Store::connect(&config.database_url).await,
    }
    .context("connecting to the database")?;
    store.migrate().await.context("applying migrations")?;
    Ok(store)
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let store = open_store(&config).await?;
        // Once per database (then one query): the posts and messages stored
        // before the search index existed, or by `parley seed`, get their terms.
        let indexed = store
            .search_backfill()
            .await
            .context("indexing existing posts and messages for search")?;
        if indexed > 0 {
            tracing::info!(indexed, "search index: existing posts and messages indexed");
        }
        crate::http::web_client::log_status(&config);
        let keys = Keys::load_or_generate(
            &config.data_dir,
            config.jwt_secret.as_deref(),
            config.cookie_secret.as_deref(),
        )?;
        let limiter = match (&config.redis_url, config.rate_limits.enabled) {
            (_, false) => RateLimiter::disabled(),
            (Some(url), true) => RateLimiter::redis(url, &config.redis_prefix)
                .await
                .context("connecting to Redis")?,
            (None, true) => RateLimiter::in_memory(),
        };
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let shared = match &config.redis_url {
            Some(url) => Some(
                SharedRedis::connect(url, &config.redis_prefix)
                    .await
                    .context("connecting to Redis for shared presence and typing")?,
            ),
            None => None,
        };
        let (presence, typing) = match &shared {
            Some(redis) => (
                Presence::shared(SharedPresence::new(redis.clone())),
                Typing::shared(SharedTyping::new(redis.clone())),
            ),
            None => (Presence::default(), Typing::default()),
        };
        let parts = Parts {
            tokens: Arc::new(TokenIssuer::new(
                &keys.jwt,
                &config.public_url,
                config.access_token_ttl,
            )),
            csrf: CsrfKey::derive(&keys.cookie),
            passwords: Passwords::new(cores)?,
            limiter,
            presence,
            typing,
            open: crate::open::OpenApi::new(
                crate::open::tokens::OpenTokens::new(&keys.jwt, &config.public_url),
                crate::open::secrets::SecretHasher::derive(&keys.cookie),
                crate::open::registry::Registry::new(store.clone(), shared.clone()),
            ),
            oauth: crate::state::OAuth {
                providers: crate::oauth::Providers::new(
                    &config.oauth_providers,
                    &config.public_url,
                )
                .context("setting up the OAuth providers")?,
                flows: crate::oauth::flow::FlowSealer::new(&keys.cookie, config.is_https()),
            },
            mailer: crate::mail::Mailer::new(config.smtp_url.as_deref(), &config.mail_from)?,
            shared,
            media: crate::media::Media::open(&config.media).context("opening media storage")?,
            store,
        };
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("binding {}", config.addr))?;
        // One node alone: the in-process adapter. Many: the Redis adapter,
        // so every emit, join and disconnect reaches every node.
        let (state, router, sockets) = match config.redis_url.clone() {
            None => {
                let (layer, io) = realtime::gateway::build_local(&config);
                let (state, publisher) = parts.assemble(config, io.clone());
                realtime::gateway::register_local(&io, state.clone());
                (state.clone(), router(state, layer), publisher)
            }
            Some(url) => {
                let (layer, io) = realtime::gateway::build_redis(&config, &url).await?;
                let (state, publisher) = parts.assemble(config, io.clone());
                realtime::gateway::register_redis(&io, state.clone()).await?;
                (state.clone(), router(state, layer), publisher)
            }
        };
        Ok(Self {
            listener,
            router,
            state,
            sockets,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or(self.state.config.addr)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves; then waits for in-flight requests and
    /// closes the database (checkpointing SQLite's WAL).
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Self {
            listener,
            router,
            state,
            sockets,
        } = self;
        let purge = tokio::spawn(purge_sessions_periodically(state.store.clone()));
        let sweeper = tokio::spawn(realtime::sweeper::sweep_periodically(
            sockets.clone(),
            state.store.clone(),
            state.config.realtime_sweep_interval,
        ));
        let heartbeat = tokio::spawn(crate::services::presence::heartbeat_periodically(
            state.clone(),
        ));
        let mut media_tasks = crate::jobs::thumbnails::start(&state).await;
        media_tasks.push(tokio::spawn(crate::jobs::sweeper::sweep_periodically(
            state.clone(),
        )));
        // Sockets are closed as soon as shutdown starts: waiting long-polls
        // then return at once instead of holding the graceful shutdown for
        // up to a ping interval, and the namespace handlers (which hold the
        // state) are released.
        let shutdown = async move {
            shutdown.await;
            sockets.close().await;
        };
        tracing::info!(addr = %listener.local_addr()?, public_url = %state.config.public_url, "parley is serving");
        let served = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        purge.abort();
        sweeper.abort();
        heartbeat.abort();
        crate::services::presence::leave(&state).await;
        // A thumbnail cut short stays `running` and is re-queued at the next start.
        media_tasks.iter().for_each(tokio::task::JoinHandle::abort);
        state.store.close().await;
        tracing::info!("parley stopped; database closed");
        served.context("serving HTTP")
    }
}

/// Routes wrapped in the middleware every request passes through, outermost first:
/// panics become 500s, a request id is assigned and echoed, the request is
/// traced and measured, security headers and CORS are applied (`/open/` has
/// its own, per registered domain, outside the configured-origin CORS of the
/// rest), the global rate limit and the origin checks run, bodies are size-limited, and `/socket.io`
/// goes to the Socket.IO gateway (`sockets`).
///
/// The gateway sits inside the Origin checks (socketioxide has none of its
/// own). A request timeout, if one is ever added, belongs on the API routes
/// only, inside the gateway layer: long-polling holds requests ~25 s.
pub fn router<A: Adapter>(state: AppState, sockets: SocketIoLayer<A>) -> Router {
    let security = security_headers::headers(state.config.is_https());
    crate::http::routes(state.clone())
        .layer(DefaultBodyLimit::max(state.config.max_json_body))
        .layer(sockets)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            realtime::origin::check_handshake_origin,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), origin::check_origin))
        .layer(axum::middleware::from_fn_with_state(state.clone(), rate_limit::global))
        .layer(cors(&state.config))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::open::cors::open_cors))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(axum::middleware::from_fn(move |req, next| security_headers::add(security.clone(), req, next)))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &http::Request<_>| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(crate::error::ApiError::Domain(
                parley_core::Error::internal("handler panicked"),
            ))
        }))
        .with_state(state)
}

/// CORS for the configured browser origins only, with credentials.
fn cors(config: &Config) -> CorsLayer {
    let origins = config.allowed_origins.iter().filter_map(|o| o.parse().ok());
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("x-csrf-token"),
        ])
        .expose_headers([
            header::RETRY_AFTER,
            REQUEST_ID,
            HeaderName::from_static("ratelimit-limit"),
            HeaderName::from_static("ratelimit-remaining"),
            HeaderName::from_static("ratelimit-reset"),
        ])
        .max_age(Duration::from_secs(600))
}

/// Hourly, forget sessions that ended more than a week ago.
async fn purge_sessions_periodically(store: Store) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let cutoff = Timestamp::now().plus(Duration::ZERO).as_millis() - 7 * 24 * 3600 * 1000;
        match store.purge_sessions_ended_before(Timestamp(cutoff)).await {
            Ok(n) if n > 0 => tracing::info!(purged = n, "purged ended sessions"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "purging sessions failed"),
        }
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
