//! The two session cookies of browser mode. Both are HttpOnly (scripts never
//! read them) and `Secure` unless the public URL is plain http. The access
//! cookie goes with every same-site request (`SameSite=Lax`); the refresh
//! cookie only to `/api/v1/auth` and never cross-site (`SameSite=Strict`).

use cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use http::HeaderValue;
use std::time::Duration;

pub const ACCESS_COOKIE: &str = "parley_access";
pub const REFRESH_COOKIE: &str = "parley_refresh";
pub const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

fn max_age(d: Duration) -> CookieDuration {
    CookieDuration::seconds(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn header(c: Cookie<'_>) -> Option<HeaderValue> {
    HeaderValue::from_str(&c.to_string()).ok()
}

/// `Set-Cookie` for the access token, living as long as the token.
pub fn access(token: &str, ttl: Duration, secure: bool) -> Option<HeaderValue> {
    header(
        Cookie::build((ACCESS_COOKIE, token.to_owned()))
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .max_age(max_age(ttl))
            .build(),
    )
}

/// `Set-Cookie` for the refresh token. Without "remember me" it is a browser
/// session cookie (gone when the browser closes); with it, it persists.
pub fn refresh(token: &str, persist_for: Option<Duration>, secure: bool) -> Option<HeaderValue> {
    let mut c = Cookie::build((REFRESH_COOKIE, token.to_owned()))
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict);
    if let Some(ttl) = persist_for {
        c = c.max_age(max_age(ttl));
    }
    header(c.build())
}

/// `Set-Cookie` headers that delete both cookies.
pub fn clear(secure: bool) -> http::HeaderMap {
    [
        (ACCESS_COOKIE, "/", SameSite::Lax),
        (REFRESH_COOKIE, REFRESH_COOKIE_PATH, SameSite::Strict),
    ]
    .into_iter()
    .filter_map(|(name, path, same_site)| {
        header(
            Cookie::build((name, ""))
                .path(path)
                .http_only(true)
                .secure(secure)
                .same_site(same_site)
                .max_age(CookieDuration::ZERO)
                .build(),
        )
    })
    .map(|v| (http::header::SET_COOKIE, v))
    .collect()
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn read(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes() {
        let a = access("tok", Duration::from_secs(900), false).expect("header");
        let a = a.to_str().expect("ascii");
        assert!(a.contains("HttpOnly") && a.contains("SameSite=Lax") && a.contains("Path=/"));
        assert!(!a.contains("Secure"));
        let r = refresh("tok", None, true).expect("header");
        let r = r.to_str().expect("ascii");
        assert!(
            r.contains("SameSite=Strict")
                && r.contains("Path=/api/v1/auth")
                && r.contains("Secure")
        );
        assert!(!r.contains("Max-Age"));
        let cleared = clear(false);
        assert_eq!(cleared.len(), 2);
        assert!(
            cleared
                .values()
                .all(|h| h.to_str().is_ok_and(|s| s.contains("Max-Age=0")))
        );
    }

    #[test]
    fn reads_cookie_headers() {
        let mut h = http::HeaderMap::new();
        h.append(
            http::header::COOKIE,
            HeaderValue::from_static("a=1; parley_access=xyz"),
        );
        assert_eq!(read(&h, ACCESS_COOKIE).as_deref(), Some("xyz"));
        assert_eq!(read(&h, REFRESH_COOKIE), None);
    }
}
