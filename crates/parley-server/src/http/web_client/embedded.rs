//! The web client carried by the binary: `web/dist` as it was when the
//! server was compiled (`build.rs` builds it first for release builds), so
//! `parley serve` needs no files beside it and works from any folder.
//!
//! Why rust-embed: it is the long-standing, widely used crate for this and
//! does one thing, a map from path to bytes + metadata (hash, modification
//! time, MIME type), leaving the HTTP rules to us. Those rules (which paths
//! are the client's, cache lifetimes, the JSON 404s, the 503 page) are
//! Parley's and already written in `web_client.rs` for the folder served by
//! `PARLEY_WEB_DIR`; serving both from one set of rules matters more than the
//! ready-made router memory-serve would bring.
//!
//! In release builds the files are compiled in. Debug builds (`cargo run`,
//! the tests) read the same folder from disk at run time instead, by its
//! absolute path, so a fresh clone builds without `web/dist` and a client
//! rebuilt during development is served without recompiling the server.

use super::{ASSETS, IMMUTABLE, REVALIDATE, not_built, with_cache};
use crate::error::ApiError;
use axum::body::Body;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use rust_embed::{EmbeddedFile, RustEmbed};
use std::borrow::Cow;
use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `web/dist`, relative to this crate's Cargo.toml. A missing folder (a
/// fresh clone where the client was never built) is an empty set: the
/// server then answers 503 at `/` saying how to build it.
#[derive(RustEmbed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct BuiltClient;

/// The folder `BuiltClient` names, for the start-up log.
const BUILT_FROM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/dist");

/// A set of client files looked up by path (`index.html`, `assets/x.js`):
/// the one built into the binary, or another `RustEmbed` set (the tests
/// embed a small fixture client).
#[derive(Clone, Copy)]
pub struct EmbeddedClient {
    get: fn(&str) -> Option<EmbeddedFile>,
    count: fn() -> usize,
    /// Where the files come from, for the start-up log.
    origin: &'static str,
}

impl std::fmt::Debug for EmbeddedClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedClient")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl EmbeddedClient {
    /// The client built into this binary (`web/dist` at compile time).
    pub fn built() -> Self {
        Self::of::<BuiltClient>(BUILT_FROM)
    }

    /// Any `RustEmbed` set; `origin` names it in logs.
    pub fn of<T: RustEmbed>(origin: &'static str) -> Self {
        Self {
            get: T::get,
            count: || T::iter().count(),
            origin,
        }
    }

    fn has_index(&self) -> bool {
        (self.get)("index.html").is_some()
    }

    pub(super) fn log_status(&self) {
        let from_disk = cfg!(debug_assertions);
        if self.has_index() {
            tracing::info!(
                files = (self.count)(),
                origin = self.origin,
                read_from_disk = from_disk,
                "serving the web client built into the binary"
            );
        } else {
            tracing::warn!(
                origin = self.origin,
                "this binary carries no web client (web/dist was not built when it was \
                 compiled): `/` answers 503; `make run` builds both, or build the client \
                 (`npm ci --prefix web && npm --prefix web run build`) and then the server, \
                 or set PARLEY_WEB_DIR to a built client"
            );
        }
    }

    /// Answers a GET/HEAD for a client path (the caller has already turned
    /// away the server's paths, other methods and `..` segments).
    pub(super) fn serve(&self, request: Request) -> Response {
        let path = request.uri().path();
        let is_asset = path.starts_with(ASSETS);
        // Checked per request like the folder's: cheap in release (a match
        // over static paths), and a debug build sees a client built meanwhile.
        if !is_asset && !self.has_index() {
            return not_built();
        }
        if path != "/" {
            // Vite's file names are ASCII, but a request may encode them.
            let decoded = percent_encoding::percent_decode_str(path).decode_utf8();
            let file = decoded
                .ok()
                .and_then(|name| (self.get)(name.trim_start_matches('/')));
            if let Some(file) = file {
                let cache = if is_asset { IMMUTABLE } else { REVALIDATE };
                return with_cache(respond(file, request.headers()), cache);
            }
            if is_asset {
                // A stale page asking for an asset of an older build: a clear
                // 404, not index.html parsed as JavaScript.
                return ApiError::NoRoute.into_response();
            }
        }
        match (self.get)("index.html") {
            Some(index) => with_cache(respond(index, request.headers()), REVALIDATE),
            None => not_built(),
        }
    }
}

/// A file with its type and validators (a strong `ETag` from its SHA-256,
/// and `Last-Modified`), or 304 when the request's validators still match.
/// HEAD gets the same headers; hyper drops the body.
fn respond(file: EmbeddedFile, request: &HeaderMap) -> Response {
    let etag = etag(&file.metadata.sha256_hash());
    let modified = file
        .metadata
        .last_modified()
        .map(|secs| UNIX_EPOCH + Duration::from_secs(secs));
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    if let Some(value) =
        modified.and_then(|t| HeaderValue::from_str(&httpdate::fmt_http_date(t)).ok())
    {
        headers.insert(header::LAST_MODIFIED, value);
    }
    if still_fresh(request, &etag, modified) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    if let Ok(value) = HeaderValue::from_str(file.metadata.mimetype()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    let body = match file.data {
        Cow::Borrowed(bytes) => Bytes::from_static(bytes),
        Cow::Owned(bytes) => Bytes::from(bytes),
    };
    (StatusCode::OK, headers, Body::from(body)).into_response()
}

fn etag(hash: &[u8; 32]) -> String {
    // 128 bits of the hash are plenty to tell two builds of a file apart.
    let mut tag = String::with_capacity(34);
    tag.push('"');
    for byte in &hash[..16] {
        let _ = write!(tag, "{byte:02x}");
    }
    tag.push('"');
    tag
}

/// RFC 9110 §13.2.2: `If-None-Match` decides when present; otherwise
/// `If-Modified-Since` (whole seconds, as HTTP dates have no more).
fn still_fresh(request: &HeaderMap, etag: &str, modified: Option<SystemTime>) -> bool {
    if let Some(tags) = request.get(header::IF_NONE_MATCH) {
        let Ok(tags) = tags.to_str() else {
            return false;
        };
        return tags
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag);
    }
    let since = request
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    match (since, modified) {
        (Some(since), Some(modified)) => modified <= since,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(name, HeaderValue::from_str(value).expect("header value"));
        map
    }

    #[test]
    fn etags_are_quoted_hex() {
        let tag = etag(&[0xab; 32]);
        assert_eq!(tag.len(), 34);
        assert!(tag.starts_with("\"abab") && tag.ends_with("ab\""), "{tag}");
    }

    #[test]
    fn validators_follow_rfc_9110() {
        let tag = "\"00ff\"";
        let modified = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let date = httpdate::fmt_http_date(modified);
        assert!(still_fresh(&headers(header::IF_NONE_MATCH, tag), tag, None));
        assert!(still_fresh(
            &headers(header::IF_NONE_MATCH, "\"x\", W/\"00ff\""),
            tag,
            None
        ));
        assert!(still_fresh(&headers(header::IF_NONE_MATCH, "*"), tag, None));
        assert!(!still_fresh(
            &headers(header::IF_NONE_MATCH, "\"x\""),
            tag,
            None
        ));
        assert!(still_fresh(
            &headers(header::IF_MODIFIED_SINCE, &date),
            tag,
            Some(modified)
        ));
        let earlier = httpdate::fmt_http_date(modified - Duration::from_secs(1));
        assert!(!still_fresh(
            &headers(header::IF_MODIFIED_SINCE, &earlier),
            tag,
            Some(modified)
        ));
        // An ETag that does not match wins over a date that would.
        let mut both = headers(header::IF_NONE_MATCH, "\"x\"");
        both.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_str(&date).expect("date"),
        );
        assert!(!still_fresh(&both, tag, Some(modified)));
        assert!(!still_fresh(&HeaderMap::new(), tag, Some(modified)));
    }
}
