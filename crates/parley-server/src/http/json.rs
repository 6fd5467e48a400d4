//! The JSON body extractor used by every handler. Unlike axum's own, its
//! rejections speak docs/api.md's error shape: a body that is not JSON is 400
//! `malformed_json`; JSON of the wrong shape (missing field, wrong type) is
//! 422 with the offending field named; a body over the limit is 413; a
//! missing or wrong `Content-Type` is 415.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

fn is_json_content_type(req: &Request) -> bool {
    req.headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
        .unwrap_or(false)
}

/// Reads the body, mapping an over-limit body to 413 in our error shape.
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::MalformedBody("the body could not be read".into())
        }
    })
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json_content_type(&req) {
            return Err(ApiError::UnsupportedMediaType("application/json"));
        }
        parse(&body_bytes(req, state).await?).map(Json)
    }
}

/// A JSON body that may be absent: an empty body is `None` (whatever its
/// content type, since a body-less `fetch` sends none); anything else must be
/// JSON, with the same rejections as [`Json`].
#[derive(Debug, Clone, Default)]
pub struct OptionalJson<T>(pub Option<T>);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = is_json_content_type(&req);
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(None));
        }
        if !json {
            return Err(ApiError::UnsupportedMediaType("application/json"));
        }
        parse(&bytes).map(|v| Self(Some(v)))
    }
}

/// Deserialises `bytes`, telling syntax errors (400) from shape errors (422).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Syntax first: a body that is not JSON at all is 400 even if its first
    // part would also have failed the shape check.
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(ApiError::MalformedBody(strip_position(&e.to_string())));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    // Trailing bytes after the JSON value are a syntax error, like in axum.
    if value.is_ok()
        && let Err(trailing) = de.end()
    {
        return Err(ApiError::MalformedBody(strip_position(
            &trailing.to_string(),
        )));
    }
    value.map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let message = inner.to_string();
                let field = field_name(&path, &message);
                ApiError::validation(&field, strip_position(&message))
            }
            _ => ApiError::MalformedBody(strip_position(&inner.to_string())),
        }
    })
}

/// The field a data error is about: its path, or for a missing field (whose
/// path is the parent) the name serde puts in backticks.
fn field_name(path: &str, message: &str) -> String {
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        return if path == "." {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        };
    }
    if path == "." {
        "body".to_owned()
    } else {
        path.to_owned()
    }
}

/// serde's " at line 1 column 7" suffix means nothing to an API client.
fn strip_position(message: &str) -> String {
    message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use parley_core::Error;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        username: String,
        age: Option<u32>,
    }

    fn fields(e: ApiError) -> Vec<(String, String)> {
        match e {
            ApiError::Domain(Error::Validation(f)) => {
                f.iter().map(|(a, b)| (a.clone(), b.clone())).collect()
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn syntax_is_400_shape_is_422() {
        assert!(matches!(
            parse::<Body>(b"{\"username\": "),
            Err(ApiError::MalformedBody(_))
        ));
        assert!(matches!(
            parse::<Body>(b"not json"),
            Err(ApiError::MalformedBody(_))
        ));
        assert!(matches!(
            parse::<Body>(b"{\"username\":\"a\"} trailing"),
            Err(ApiError::MalformedBody(_))
        ));
        let missing = fields(parse::<Body>(b"{}").expect_err("missing"));
        assert_eq!(
            missing[0],
            ("username".into(), "missing field `username`".into())
        );
        let wrong =
            fields(parse::<Body>(br#"{"username":"a","age":"x"}"#).expect_err("wrong type"));
        assert_eq!(wrong[0].0, "age");
        assert!(parse::<Body>(br#"{"username":"a"}"#).is_ok());
    }
}
