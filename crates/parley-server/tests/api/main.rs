//! Black-box tests of Parley's HTTP API (docs/api.md): each test starts the real
//! application on a random port with a database of its own, talks to it over
//! HTTP like a browser or a native client would, and runs on SQLite and on
//! PostgreSQL (see `helpers::both_backends!`).

// Helpers serve test files yet to come (posts, chat), so not all are used yet.
#[macro_use]
#[allow(dead_code)]
mod helpers;

mod csrf_origin;
mod platform;
mod rate_limits;
mod realtime;
mod realtime_support;
mod recovery;
mod refresh;
mod restart;
mod session;
mod sessions_list;
mod signin;
mod signout;
mod signup;
mod tokens;
mod users;
// The social network: posts, follows, likes, comments, feeds, notifications.
mod blocks;
mod comments;
mod feeds;
mod follows;
mod likes;
mod notifications;
mod posts;
mod search;
#[allow(dead_code)]
mod social_support;
// Chat: conversations and messages over REST, and live over Socket.IO.
mod account_deletion;
mod chat;
mod chat_realtime;
mod reactions;
// Reports and moderation.
mod moderation;
// Real `parley serve` processes: crash safety, many nodes.
#[allow(dead_code)]
mod chat_support;
mod multinode;
#[allow(dead_code)]
mod process_support;
// Media: uploads, thumbnails, serving, attachments, avatars, S3.
mod media;
mod media_accessibility;
mod media_attachments;
mod media_refusals;
mod media_s3;
#[allow(dead_code)]
mod media_support;
// The support desk: organizations, agents, FAQ, consultations (REST and live).
mod consultations;
mod consultations_realtime;
mod orgs;
// The Open API for registered sites and its developer portal.
mod open_api;
// The web client served at `/`.
mod web_client;
// Sign-in through OAuth / OpenID Connect providers, against a fake one.
mod oauth;
#[allow(dead_code)]
mod oauth_provider;
#[allow(dead_code)]
mod smtp_sink;
