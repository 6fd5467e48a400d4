//! The client's IP address as an extractor: the TCP peer, or the address a
//! trusted proxy reports in `X-Forwarded-For` (see [`crate::client_ip`]).

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
