//! Operational endpoints: `/healthz` (the process answers), `/readyz` (the
//! database and, when configured, Redis answer, else 503) and `/metrics` (Prometheus text).

use crate::protocol::errors::ErrorBody;
use crate::state::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use http::StatusCode;
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` when a dependency is down.
    status: &'static str,
    /// The database backend in use (`/readyz` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<&'static str>,
    /// `ok` or `unavailable`, when Redis is configured (`/readyz` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    redis: Option<&'static str>,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
async fn healthz() -> axum::Json<Health> {
    axum::Json(Health {
        status: "ok",
        database: None,
        redis: None,
    })
}

/// The database and, when configured, Redis are reachable (503 otherwise).
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, body = Health), (status = 503, description = "The database or Redis is unreachable", body = Health)))]
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let database = match state.store.backend() {
        parley_store::Backend::Sqlite => "sqlite",
        parley_store::Backend::Postgres => "postgres",
    };
    let db_ok = match tokio::time::timeout(Duration::from_secs(2), state.store.ping()).await {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: the database is unreachable");
            false
        }
        Err(_) => {
            tracing::warn!("readiness: the database ping timed out");
            false
        }
    };
    let redis = match &state.shared {
        None => None,
        Some(redis) => {
            let up = redis.ping().await;
            if !up {
                tracing::warn!("readiness: Redis is unreachable");
            }
            Some(if up { "ok" } else { "unavailable" })
        }
    };
    let ready = db_ok && redis != Some("unavailable");
    let body = Health {
        status: if ready { "ok" } else { "unavailable" },
        database: Some(database),
        redis,
    };
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(body))
}

/// Prometheus metrics: request counts and latencies by route, and more.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain", body = String),
              (status = 429, body = ErrorBody)))]
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(http::header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
