//! Handshake authentication for the Socket.IO gateway. A client proves who it
//! is with `auth: {token: <access token>}` (native apps, scripts) or with the
//! browser's HttpOnly access-token cookie; the token must verify and its
//! session must still be live, exactly as for a REST request.
//!
//! A refusal becomes a CONNECT_ERROR packet. socket.io-client shows it as a
//! `connect_error` whose `err.message` is the code (`unauthorized`) and whose
//! `err.data` is `{"code": "unauthorized"}` (docs/api.md). socketioxide only sends
//! `{"message": <Display of the error>}`; the `data` object comes from Parley's
//! patch of its parser (vendor/socketioxide-parser-common/PARLEY_PATCH.md),
//! which is why [`Refused`] displays as a bare snake_case code.

use crate::auth::cookies::{self, ACCESS_COOKIE};
use crate::delivery::{Room, rooms};
use crate::realtime::gateway::SocketSession;
use crate::state::AppState;
use parley_core::Timestamp;
use serde::Deserialize;
use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;

/// The `auth` object of a Socket.IO handshake. Unknown keys are ignored
/// (clients add their own, e.g. a client version).
#[derive(Debug, Default, Deserialize)]
pub struct HandshakeAuth {
    #[serde(default)]
    pub token: Option<String>,
}

/// A refused handshake; displays as its public error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused(pub &'static str);

impl Refused {
    /// Missing, malformed, forged or expired token, or an ended session.
    pub const UNAUTHORIZED: Self = Self("unauthorized");
    /// The database could not say whether the session is live; worth retrying.
    pub const UNAVAILABLE: Self = Self("unavailable");
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Refused {}

/// The access token a handshake presents: `auth.token` when given (an
/// explicit credential wins over an ambient one), else the access cookie.
/// Blank values count as absent.
pub fn presented_token(auth: Option<&HandshakeAuth>, headers: &http::HeaderMap) -> Option<String> {
    let explicit = auth
        .and_then(|a| a.token.as_deref())
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match explicit {
        Some(token) => Some(token.to_owned()),
        None => cookies::read(headers, ACCESS_COOKIE).filter(|t| !t.trim().is_empty()),
    }
}

/// The connect middleware's work: authenticate, then record who the socket
/// is and put it in its user's and session's rooms, in the room of every
/// conversation its user belongs to and of every organization they are an
/// agent of.
///
/// The rooms are joined here rather than in the connect handler because the
/// handler runs only after the client was told it is connected; joined here,
/// no event emitted after the client's `connect` can miss the socket. If the
/// connection still fails, socketioxide removes the socket from its rooms.
/// The user's room is joined before the conversations are read, so a
/// conversation created meanwhile is not missed: either the read sees it, or
/// its `join_conversation` (after its commit) finds the socket in the user's room.
pub async fn admit<A: Adapter>(
    state: &AppState,
    socket: &SocketRef<A>,
    auth: Option<HandshakeAuth>,
) -> Result<(), Refused> {
    let token =
        presented_token(auth.as_ref(), &socket.req_parts().headers).ok_or(Refused::UNAUTHORIZED)?;
    let session = authenticate(state, &token).await?;
    socket.extensions.insert(session);
    socket.join(rooms::names([
        Room::User(session.user_id),
        Room::Session(session.session_id),
    ]));
    let conversations = state
        .store
        .conversation_ids_of(session.user_id)
        .await
        .map_err(|e| {
            // Connected without its conversations, the client would silently
            // miss messages; refused, it retries.
            tracing::warn!(error = %e, "socket handshake: listing conversations failed");
            Refused::UNAVAILABLE
        })?;
    // Likewise the organizations it is an agent of: their queue and
    // support conversations reach it through the agents' room.
    let orgs = state
        .store
        .orgs_of_agent(session.user_id)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "socket handshake: listing organizations failed");
            Refused::UNAVAILABLE
        })?;
    socket.join(rooms::names(
        conversations
            .into_iter()
            .map(Room::Conversation)
            .chain(orgs.into_iter().map(|(org, _)| Room::OrgAgents(org))),
    ));
    Ok(())
}

/// Verifies the token and that its session is live at this moment.
pub async fn authenticate(state: &AppState, token: &str) -> Result<SocketSession, Refused> {
    let claims = state
        .tokens
        .verify(token)
        .map_err(|_| Refused::UNAUTHORIZED)?;
    let live_user = state
        .store
        .active_session_user(claims.session_id, Timestamp::now())
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "socket handshake: session lookup failed");
            Refused::UNAVAILABLE
        })?;
    if live_user != Some(claims.user_id) {
        return Err(Refused::UNAUTHORIZED);
    }
    Ok(SocketSession {
        user_id: claims.user_id,
        session_id: claims.session_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use http::header::COOKIE;

    fn auth(token: &str) -> HandshakeAuth {
        HandshakeAuth {
            token: Some(token.to_owned()),
        }
    }

    fn cookie_headers(value: &'static str) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        h.insert(COOKIE, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn auth_token_is_used() {
        let none = http::HeaderMap::new();
        assert_eq!(
            presented_token(Some(&auth("abc")), &none).as_deref(),
            Some("abc")
        );
        assert_eq!(
            presented_token(Some(&auth("  abc \n")), &none).as_deref(),
            Some("abc")
        );
    }

    #[test]
    fn cookie_is_the_fallback() {
        let h = cookie_headers("theme=dark; parley_access=from-cookie");
        assert_eq!(presented_token(None, &h).as_deref(), Some("from-cookie"));
        assert_eq!(
            presented_token(Some(&HandshakeAuth::default()), &h).as_deref(),
            Some("from-cookie")
        );
        assert_eq!(
            presented_token(Some(&auth("   ")), &h).as_deref(),
            Some("from-cookie"),
            "a blank token is no token"
        );
    }

    #[test]
    fn explicit_token_wins_over_cookie() {
        let h = cookie_headers("parley_access=from-cookie");
        assert_eq!(
            presented_token(Some(&auth("explicit")), &h).as_deref(),
            Some("explicit")
        );
    }

    #[test]
    fn nothing_presented() {
        assert_eq!(presented_token(None, &http::HeaderMap::new()), None);
        assert_eq!(
            presented_token(None, &cookie_headers("parley_refresh=r; other=1")),
            None,
            "the refresh cookie is not an access token"
        );
        assert_eq!(
            presented_token(None, &cookie_headers("parley_access=")),
            None
        );
    }

    #[test]
    fn handshake_auth_shapes() {
        let parsed: HandshakeAuth =
            serde_json::from_str(r#"{"token":"t","client":"web"}"#).expect("parses");
        assert_eq!(parsed.token.as_deref(), Some("t"));
        let empty: HandshakeAuth = serde_json::from_str("{}").expect("parses");
        assert_eq!(empty.token, None);
        assert!(serde_json::from_str::<HandshakeAuth>(r#"{"token":42}"#).is_err());
    }

    #[test]
    fn refusal_displays_as_its_code() {
        // The vendored parser patch turns a bare code into `data.code`.
        assert_eq!(Refused::UNAUTHORIZED.to_string(), "unauthorized");
        assert_eq!(Refused::UNAVAILABLE.to_string(), "unavailable");
    }
}
