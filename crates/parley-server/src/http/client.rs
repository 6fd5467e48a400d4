//! Who is calling, as extractors: the client's IP address (the TCP peer, or
//! the address a trusted proxy reports in `X-Forwarded-For`, see
//! [`crate::client_ip`]) and, for a sign-in, its device and address.

use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    pub fn of(
        parts_headers: &http::HeaderMap,
        extensions: &http::Extensions,
        state: &AppState,
    ) -> Self {
        // Without connection info (only in-process tests), act as loopback.
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0.ip());
        Self(state.config.trusted_proxies.client_ip(peer, parts_headers))
    }
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::of(&parts.headers, &parts.extensions, state))
    }
}

/// The device (User-Agent, at most 512 characters) and address a sign-in
/// comes from, as its session records them.
#[derive(Debug, Clone)]
pub struct SignInOrigin(pub parley_store::SessionOrigin);

impl FromRequestParts<AppState> for SignInOrigin {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user_agent = parts
            .headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.trim().chars().take(512).collect::<String>())
            .filter(|ua| !ua.is_empty());
        let ip = ClientIp::of(&parts.headers, &parts.extensions, state).0;
        Ok(Self(parley_store::SessionOrigin {
            user_agent,
            ip: Some(ip.to_string()),
        }))
    }
}
