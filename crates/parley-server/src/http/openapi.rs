//! The OpenAPI 3.1 document, generated from the routes themselves
//! (utoipa-axum registers each path with its handler, so the spec cannot
//! drift from the router). Responses every route can give — malformed or
//! oversized bodies, CSRF/origin refusals, rate limiting, internal errors,
//! an unreachable database — are added to each operation here, once.

use crate::protocol::errors::ErrorBody;
use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::{Content, OpenApi as OpenApiDoc, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Parley API", description = "Social network and real-time chat. See docs/api.md for the contract."),
    components(schemas(ErrorBody)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "auth", description = "Accounts and sessions"),
        (name = "users", description = "Profiles, follows and search"),
        (name = "posts", description = "Posts, likes, feeds and hashtags"),
        (name = "comments", description = "Threaded comments"),
        (name = "search", description = "Full-text search of posts and of my conversations' messages"),
        (name = "notifications", description = "Follows, likes, comments, replies and mentions of me"),
        (name = "chat", description = "Conversations and messages (also over Socket.IO)"),
        (name = "media", description = "Image uploads, their thumbnails, and the files themselves"),
        (name = "support", description = "The support desk: organizations, their agents and FAQ"),
        (name = "developer", description = "The developer portal: sites registered for the Open API"),
        (name = "moderation", description = "Reports, and the admins' queue, suspensions and audit log"),
        (name = "open", description = "The Open API for registered sites (`open_api_token`)"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

/// The two ways to authenticate: a user's session (`Authorization: Bearer`
/// access token, or the browser's HttpOnly cookie with `X-CSRF-Token`) on
/// `/api/v1`, and a registered site's token from `POST /open/v1/token` on
/// the `/open/v1` data endpoints.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut OpenApiDoc) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        let jwt = |description: &str| {
            let mut http = Http::new(HttpAuthScheme::Bearer);
            http.bearer_format = Some("JWT".to_owned());
            http.description = Some(description.to_owned());
            SecurityScheme::Http(http)
        };
        components.add_security_scheme(
            "session",
            jwt("A user's access token (POST /api/v1/auth/signin); browsers use the HttpOnly cookie instead, with X-CSRF-Token on unsafe requests."),
        );
        components.add_security_scheme(
            "open_api_token",
            jwt("A registered site's token from POST /open/v1/token (at most 30 minutes; it names the domain and its tier)."),
        );
    }
}

/// Adds the responses every route can give to each operation of `doc`.
pub fn add_common_responses(doc: &mut OpenApiDoc) {
    CommonResponses.modify(doc);
}

struct CommonResponses;

fn error_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
        )
        .build()
}

fn add_if_missing(op: &mut Operation, status: &str, description: &str) {
    op.responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| error_response(description).into());
}

impl Modify for CommonResponses {
    fn modify(&self, doc: &mut OpenApiDoc) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let operational = matches!(path.as_str(), "/healthz" | "/readyz" | "/metrics");
            for (method, op) in item.operations_mut() {
                let unsafe_method = !matches!(
                    method,
                    HttpMethod::Get | HttpMethod::Head | HttpMethod::Options
                );
                if unsafe_method {
                    add_if_missing(op, "400", "`malformed_json`: the body is not valid JSON");
                    add_if_missing(
                        op,
                        "403",
                        "`origin_not_allowed` (browser request from a foreign origin) or `csrf_failed`",
                    );
                    add_if_missing(op, "413", "`payload_too_large`");
                    add_if_missing(op, "415", "`unsupported_media_type`: send application/json");
                    add_if_missing(op, "422", "`validation_failed`, with `fields`");
                }
                if !operational {
                    add_if_missing(
                        op,
                        "429",
                        "`rate_limited`, with Retry-After and RateLimit-* headers",
                    );
                    add_if_missing(op, "500", "`internal_error` (no internals are disclosed)");
                    add_if_missing(op, "503", "`unavailable`: the database cannot be reached");
                }
            }
        }
    }
}

/// Small helper so the modifier can walk each operation of a path item.
trait OperationsMut {
    fn operations_mut(&mut self) -> Vec<(HttpMethod, &mut Operation)>;
}

impl OperationsMut for utoipa::openapi::PathItem {
    fn operations_mut(&mut self) -> Vec<(HttpMethod, &mut Operation)> {
        [
            (HttpMethod::Get, self.get.as_mut()),
            (HttpMethod::Put, self.put.as_mut()),
            (HttpMethod::Post, self.post.as_mut()),
            (HttpMethod::Delete, self.delete.as_mut()),
            (HttpMethod::Patch, self.patch.as_mut()),
            (HttpMethod::Head, self.head.as_mut()),
            (HttpMethod::Options, self.options.as_mut()),
        ]
        .into_iter()
        .filter_map(|(m, op)| op.map(|op| (m, op)))
        .collect()
    }
}
