//! The JSON shapes of api.md (`User`, `Me`, `UserSummary`, `Session`), built
//! from store records. Field names here are the public contract.

use parley_core::Timestamp;
use parley_store::UserRecord;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A user's public profile. Never carries the email.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub bio: String,
    pub status_message: String,
    pub avatar_url: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    pub followers_count: i64,
    pub following_count: i64,
    pub posts_count: i64,
    pub online: bool,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_seen_at: Option<Timestamp>,
    /// Present when the viewer is signed in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub followed_by_me: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follows_me: Option<bool>,
}

/// The signed-in user's own profile: `User` plus the email.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    #[serde(flatten)]
    pub user: User,
    pub email: String,
}

/// A new or refreshed session. `refresh_token` is present only for native
/// clients; browsers get it as an HttpOnly cookie.
#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    pub user: Me,
    pub access_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub csrf_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// The current session, for a page reload: no tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub user: Me,
    pub csrf_token: String,
}

impl User {
    pub fn from_record(r: &UserRecord) -> Self {
        Self {
            id: r.id,
            username: r.username.clone(),
            display_name: r.display_name.clone(),
            bio: r.bio.clone(),
            status_message: r.status_message.clone(),
            // Avatars arrive with the media feature; until one is set there is none.
            avatar_url: r.avatar_key.as_ref().map(|k| format!("/media/{k}")),
            created_at: Timestamp(r.created_at),
            followers_count: 0,
            following_count: 0,
            posts_count: 0,
            online: false,
            last_seen_at: r.last_seen_at.map(Timestamp),
            followed_by_me: None,
            follows_me: None,
        }
    }
}

impl Me {
    pub fn from_record(r: &UserRecord) -> Self {
        Self {
            user: User::from_record(r),
            email: r.email.clone(),
        }
    }
}
