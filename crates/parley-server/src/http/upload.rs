//! Reading an uploaded file from a `multipart/form-data` body, streamed and
//! bounded. A declared `Content-Length` over the limit is refused (413)
//! before a byte of the body is read; otherwise the body is read chunk by
//! chunk and refused as soon as the file passes the limit. The file's first
//! bytes are sniffed as soon as they arrive, so anything that is not a JPEG,
//! PNG, GIF or WebP is refused (415) without reading the rest. Only the
//! `file` field matters; its file name and declared type are ignored.

use crate::error::ApiError;
use crate::media::format::{ImageFormat, SNIFF_LEN};
use crate::state::AppState;
use axum::extract::Request;
use multer::{Constraints, Multipart, SizeLimit};
use parley_core::Error;

/// The field that carries the file.
pub const FILE_FIELD: &str = "file";
/// Room for the multipart framing and a few small fields beside the file.
const FRAMING_ALLOWANCE: u64 = 64 * 1024;
/// What a 415 tells the client it should have sent.
pub const ACCEPTED_TYPES: &str =
    "image/jpeg, image/png, image/gif or image/webp (multipart field `file`)";

fn too_large() -> ApiError {
    ApiError::PayloadTooLarge
}

fn malformed(why: impl std::fmt::Display) -> ApiError {
    ApiError::Domain(Error::validation(
        FILE_FIELD,
        format!("the multipart body could not be read: {why}"),
    ))
}

fn from_multer(e: multer::Error) -> ApiError {
    match e {
        multer::Error::FieldSizeExceeded { .. } | multer::Error::StreamSizeExceeded { .. } => {
            too_large()
        }
        other => malformed(other),
    }
}

/// The bytes of the upload's `file` field, which start like an image.
pub async fn read_file(state: &AppState, request: Request) -> Result<Vec<u8>, ApiError> {
    let max = state.media.config().max_upload_bytes;
    let headers = request.headers();
    let content_type = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| ApiError::UnsupportedMediaType("multipart/form-data"))?;
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > max.saturating_add(FRAMING_ALLOWANCE)) {
        return Err(too_large());
    }
    let limits = SizeLimit::new()
        .whole_stream(max.saturating_add(FRAMING_ALLOWANCE))
        .per_field(max);
    let mut multipart = Multipart::with_constraints(
        request.into_body().into_data_stream(),
        boundary,
        Constraints::new().size_limit(limits),
    );
    while let Some(mut field) = multipart.next_field().await.map_err(from_multer)? {
        if field.name() != Some(FILE_FIELD) {
            continue; // skipped (and still counted against the body limit)
        }
        let mut data = Vec::new();
        let mut sniffed = false;
        while let Some(chunk) = field.chunk().await.map_err(from_multer)? {
            data.extend_from_slice(&chunk);
            if !sniffed && data.len() >= SNIFF_LEN {
                check_format(&data)?;
                sniffed = true;
            }
        }
        if !sniffed {
            check_format(&data)?;
        }
        return Ok(data);
    }
    Err(ApiError::Domain(Error::validation(
        FILE_FIELD,
        "is required",
    )))
}

fn check_format(head: &[u8]) -> Result<(), ApiError> {
    ImageFormat::sniff(head)
        .map(|_| ())
        .ok_or(ApiError::UnsupportedMediaType(ACCEPTED_TYPES))
}
