//! Pagination: page sizes and opaque keyset cursors. A cursor names the last
//! item of the previous page (its UUIDv7 id, plus a timestamp where a list is
//! ordered by something other than id), so new items arriving between page
//! loads never shift a page: no duplicates, no skips, and no OFFSET scans.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

/// `?limit=`: default 20, 1..=100.
pub fn parse_limit(raw: Option<u32>) -> Result<u32, String> {
    match raw {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(format!("must be between 1 and {MAX_LIMIT}")),
    }
}

/// A position in a list: the last item's id, and its sort time when the list
/// is not ordered by id alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub at: i64,
    pub id: Uuid,
}

impl Cursor {
    pub fn after_id(id: Uuid) -> Self {
        Self { at: 0, id }
    }

    pub fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(24);
        bytes.extend_from_slice(&self.at.to_be_bytes());
        bytes.extend_from_slice(self.id.as_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    pub fn decode(raw: &str) -> Result<Self, String> {
        let invalid = || "is not a valid cursor".to_owned();
        let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).map_err(|_| invalid())?;
        if bytes.len() != 24 {
            return Err(invalid());
        }
        let (at, id) = bytes.split_at(8);
        let at = i64::from_be_bytes(at.try_into().map_err(|_| invalid())?);
        let id = Uuid::from_slice(id).map_err(|_| invalid())?;
        Ok(Self { at, id })
    }
}

/// One page of a list and where the next one starts.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<Cursor>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` fetched rows: the extra row only
    /// proves there is a next page, and is dropped.
    pub fn from_overfetch(mut rows: Vec<T>, limit: u32, cursor_of: impl Fn(&T) -> Cursor) -> Self {
        let limit = limit as usize;
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if more {
            rows.last().map(cursor_of)
        } else {
            None
        };
        Self {
            items: rows,
            next_cursor,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip_and_garbage() {
        let c = Cursor {
            at: 1_700_000_000_000,
            id: Uuid::now_v7(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Ok(c));
        assert!(Cursor::decode("nope").is_err());
        assert!(Cursor::decode("").is_err());
        assert!(Cursor::decode(&URL_SAFE_NO_PAD.encode([0u8; 23])).is_err());
    }

    #[test]
    fn limits() {
        assert_eq!(parse_limit(None), Ok(20));
        assert_eq!(parse_limit(Some(100)), Ok(100));
        assert!(parse_limit(Some(0)).is_err());
        assert!(parse_limit(Some(101)).is_err());
    }

    #[test]
    fn overfetch_sets_next_cursor_only_when_more() {
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let page = Page::from_overfetch(ids.clone(), 2, |id| Cursor::after_id(*id));
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.next_cursor, Some(Cursor::after_id(ids[1])));
        let last = Page::from_overfetch(ids[..2].to_vec(), 2, |id| Cursor::after_id(*id));
        assert_eq!(last.next_cursor, None);
    }
}
