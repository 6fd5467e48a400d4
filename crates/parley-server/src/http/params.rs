//! Query-string and path parameters in docs/api.md's error shape: a bad query
//! parameter is 422 naming it; an id that is not a UUID names nothing that
//! exists, so it is 404.

use crate::error::ApiError;
use axum::extract::FromRequestParts;
use http::request::Parts;
use parley_core::Error;
use parley_core::page::{Cursor, parse_limit};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;
use uuid::Uuid;

/// Like axum's `Query`, rejecting with a 422 that names the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| Self(q.0))
            .map_err(|e| {
                let text = e.body_text();
                let why = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text)
                    .to_owned();
                ApiError::validation("query", why)
            })
    }
}

/// Like axum's `Path`; a segment that cannot be decoded (bad UTF-8, wrong
/// type) names nothing that exists, so it is 404 in our error shape.
#[derive(Debug, Clone)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Self(p.0))
            .map_err(|_| ApiError::Domain(Error::NotFound))
    }
}

/// `?limit=&cursor=` of every list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1–100 (default 20).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageParams {
    pub fn limit(&self) -> Result<u32, ApiError> {
        parse_limit(self.limit).map_err(|why| ApiError::validation("limit", why))
    }

    pub fn cursor(&self) -> Result<Option<Cursor>, ApiError> {
        self.cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(|c| Cursor::decode(c).map_err(|why| ApiError::validation("cursor", why)))
            .transpose()
    }
}

/// Parses an id from the path; anything that is not a UUID cannot exist.
pub fn id<T: From<Uuid>>(raw: &str) -> Result<T, ApiError> {
    Uuid::parse_str(raw)
        .map(T::from)
        .map_err(|_| ApiError::Domain(Error::NotFound))
}
