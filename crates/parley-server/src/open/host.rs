//! A registered domain's host: a DNS name (labels of letters, digits and
//! inner hyphens, at most 253 characters) or `localhost`, lower-cased, with
//! an optional port 1–65535, and nothing else: no scheme, path, user,
//! query or spaces. The same rule reads the host out of an `Origin`, so a
//! registered host and an origin compare as plain strings.

const MAX_NAME: usize = 253;
const MAX_LABEL: usize = 63;

/// The host in canonical (lower-case) form, or why it is not one.
pub fn parse_host(raw: &str) -> Result<String, String> {
    let host = raw.trim().to_ascii_lowercase();
    if host.is_empty() {
        return Err("must not be empty".to_owned());
    }
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host.as_str(), None),
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65_535).contains(&p));
        if !valid {
            return Err("the port must be a number from 1 to 65535".to_owned());
        }
    }
    let labels_ok = name.len() <= MAX_NAME
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= MAX_LABEL
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if !labels_ok {
        return Err(
            "must be a host name such as example.com or localhost:3000, without a scheme or path"
                .to_owned(),
        );
    }
    Ok(host)
}

#[cfg(test)]
mod tests {
    use super::parse_host;

    #[test]
    fn hosts_are_names_with_an_optional_port() {
        assert_eq!(parse_host(" Example.COM ").as_deref(), Ok("example.com"));
        assert_eq!(
            parse_host("localhost:3000").as_deref(),
            Ok("localhost:3000")
        );
        assert_eq!(parse_host("a-b.c9.io").as_deref(), Ok("a-b.c9.io"));
        for bad in [
            "",
            "https://example.com",
            "example.com/path",
            "example.com:",
            "example.com:0",
            "example.com:65536",
            "exa mple.com",
            "-bad.com",
            "bad-.com",
            "a..b",
            "user@example.com",
            "example.com?x",
            "[::1]:80",
            "例え.jp",
        ] {
            assert!(parse_host(bad).is_err(), "{bad}");
        }
        assert!(parse_host(&format!("{}.com", "a".repeat(64))).is_err());
    }
}
