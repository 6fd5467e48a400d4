//! The per-action rate limits that belong to a use-case rather than to the
//! HTTP edge (docs/api.md "Rate limits"): messages per user, REST and
//! Socket.IO alike, so both transports share one budget. (Uploads are HTTP
//! only and limited in `http/media.rs`, which also writes the headers.) A
//! refusal is [`Error::RateLimited`], which REST renders as 429 with the
//! limit's headers and Socket.IO as an ack with `retry_after`.

use crate::state::AppState;
use parley_core::{Error, Result, UserId};

/// An action whose rate is limited per user.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    /// Sending a chat message.
    SendMessage,
    /// Reporting a post, comment, message or account.
    Report,
}

/// Counts one `action` by `user`; refuses it when over the limit.
pub async fn charge(state: &AppState, action: Action, user: UserId) -> Result<()> {
    let limits = &state.config.rate_limits;
    if !limits.enabled {
        return Ok(());
    }
    let (key, limit) = match action {
        Action::SendMessage => (format!("message:user:{user}"), limits.message),
        Action::Report => (format!("report:user:{user}"), limits.report),
    };
    let decision = state.limiter.hit(&key, limit).await;
    if decision.allowed {
        Ok(())
    } else {
        Err(Error::RateLimited {
            retry_after_secs: decision.reset_after_secs,
            limit: decision.limit,
        })
    }
}
