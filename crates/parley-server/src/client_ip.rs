//! Works out the client's IP address, believing X-Forwarded-For only from trusted proxies.
//!
//! Anyone can send an X-Forwarded-For header, so honouring it blindly would let a client
//! pick the IP its rate limits are counted against. We only read it when the TCP peer
//! is a proxy we were told to trust, and then only as far back as the chain of trusted
//! proxies goes: the first untrusted hop from the right is the last address someone we
//! trust actually saw.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use http::HeaderMap;
use ipnet::IpNet;

/// Trusted proxies from PARLEY_TRUSTED_PROXIES: comma-separated IPs or CIDRs
/// ("10.0.0.1, 192.168.0.0/16, ::1").
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// Empty entries are ignored, so "" (or unset) means no trusted proxy.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let nets = s
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                let net = if entry.contains('/') {
                    entry.parse::<IpNet>().ok()
                } else {
                    entry.parse::<IpAddr>().ok().map(IpNet::from)
                };
                net.map(normalise_net).ok_or_else(|| {
                    format!(
                        "invalid trusted proxy {entry:?}: expected an IP address or CIDR \
                         such as 10.0.0.1, 192.168.0.0/16 or ::1"
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self(nets))
    }
}

impl TrustedProxies {
    pub fn none() -> Self {
        Self::default()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client IP: `peer` itself unless `peer` is a trusted proxy; then X-Forwarded-For
    /// (all header values, comma lists) walked from the right, skipping trusted proxies,
    /// gives the first untrusted address; if every entry is trusted, the leftmost. A
    /// malformed entry stops the walk at the last good hop, since nothing left of it can
    /// be vouched for.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = normalise(peer);
        if !self.trusts(client) {
            return client;
        }
        let mut entries: Vec<&str> = Vec::new();
        for value in headers.get_all("x-forwarded-for") {
            match value.to_str() {
                Ok(list) => entries.extend(list.split(',')),
                // Not visible ASCII: unusable, and so is everything before it.
                Err(_) => entries.clear(),
            }
        }
        for entry in entries.iter().rev() {
            let Some(hop) = parse_hop(entry) else { break };
            client = hop;
            if !self.trusts(hop) {
                break;
            }
        }
        client
    }
}

/// One X-Forwarded-For entry. Some proxies append a port ("1.2.3.4:5678",
/// "[2001:db8::1]:443"); anything else that isn't an address ("unknown", "") is `None`.
fn parse_hop(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    let ip = entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|sa| sa.ip()))
        .ok()?;
    Some(normalise(ip))
}

/// ::ffff:1.2.3.4 (what a dual-stack socket reports for IPv4 clients) → 1.2.3.4, so one
/// client has one identity for rate limits and trusted-proxy matching.
fn normalise(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// Peers are normalised, so an IPv4-mapped entry (::ffff:10.0.0.0/104) must become
/// the IPv4 network it denotes (10.0.0.0/8) to ever match.
fn normalise_net(net: IpNet) -> IpNet {
    match net {
        IpNet::V6(v6) => match (v6.addr().to_ipv4_mapped(), v6.prefix_len().checked_sub(96)) {
            (Some(v4), Some(len)) => IpNet::new(v4.into(), len).unwrap_or(net),
            _ => net,
        },
        IpNet::V4(_) => net,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn proxies(s: &str) -> TrustedProxies {
        s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", v.parse().expect("header value"));
        }
        headers
    }

    #[test]
    fn parses_lists() {
        assert!(proxies("").0.is_empty());
        assert!(proxies(" , ").0.is_empty());
        assert!(TrustedProxies::none().0.is_empty());
        let p = proxies("10.0.0.1, 192.168.0.0/16, ::1 ,::ffff:172.16.0.9, ::ffff:10.9.0.0/112");
        assert_eq!(p.0.len(), 5);
        assert!(p.trusts(ip("10.9.44.1")) && !p.trusts(ip("10.8.0.1")));
        assert!(p.trusts(ip("10.0.0.1")) && !p.trusts(ip("10.0.0.2")));
        assert!(p.trusts(ip("192.168.44.5")) && p.trusts(ip("::1")));
        assert!(p.trusts(ip("172.16.0.9")), "mapped entries are normalised");
    }

    #[test]
    fn rejects_bad_entries() {
        for bad in [
            "10.0.0.0/33",
            "10.0.0",
            "fe80::/129",
            "example.com",
            "10.0.0.1/",
            "1.2.3.4:80",
        ] {
            let err = bad.parse::<TrustedProxies>().expect_err(bad);
            assert!(err.contains(bad), "{err}");
        }
        assert!("10.0.0.1, nope".parse::<TrustedProxies>().is_err());
    }

    #[test]
    fn untrusted_peer_ignores_spoofed_header() {
        let headers = xff(&["6.6.6.6"]);
        assert_eq!(
            TrustedProxies::none().client_ip(ip("1.2.3.4"), &headers),
            ip("1.2.3.4")
        );
        let p = proxies("10.0.0.0/8");
        assert_eq!(p.client_ip(ip("1.2.3.4"), &headers), ip("1.2.3.4"));
    }

    #[test]
    fn trusted_peer_uses_header() {
        let p = proxies("10.0.0.1");
        assert_eq!(
            p.client_ip(ip("10.0.0.1"), &xff(&["203.0.113.7"])),
            ip("203.0.113.7")
        );
        assert_eq!(
            p.client_ip(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
        assert_eq!(
            p.client_ip(ip("10.0.0.1"), &xff(&["203.0.113.7:5555"])),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn walks_multi_hop_chains_from_the_right() {
        let p = proxies("10.0.0.0/8, 192.168.1.1");
        let peer = ip("10.0.0.1");
        // The client spoofed 6.6.6.6; our edge proxy appended the real address.
        let chain = xff(&["6.6.6.6, 198.51.100.2, 192.168.1.1", "10.1.2.3"]);
        assert_eq!(p.client_ip(peer, &chain), ip("198.51.100.2"));
        // Every hop trusted: the leftmost is the best we know.
        assert_eq!(
            p.client_ip(peer, &xff(&["10.9.9.9, 192.168.1.1"])),
            ip("10.9.9.9")
        );
    }

    #[test]
    fn garbage_stops_the_walk() {
        let p = proxies("10.0.0.0/8");
        let peer = ip("10.0.0.1");
        assert_eq!(p.client_ip(peer, &xff(&["unknown"])), peer);
        assert_eq!(
            p.client_ip(peer, &xff(&["1.1.1.1, garbage, 10.0.0.5"])),
            ip("10.0.0.5")
        );
        assert_eq!(
            p.client_ip(peer, &xff(&["1.1.1.1,,10.0.0.5"])),
            ip("10.0.0.5")
        );
        assert_eq!(p.client_ip(peer, &xff(&["1.1.1.1, 300.1.1.1"])), peer);
        let mut headers = xff(&["1.1.1.1"]);
        let non_ascii = http::HeaderValue::from_bytes(b"2.2.2.2\xff").expect("opaque value");
        headers.append("x-forwarded-for", non_ascii);
        assert_eq!(p.client_ip(peer, &headers), peer);
    }

    #[test]
    fn handles_ipv6_and_mapped_addresses() {
        let p = proxies("::1, fd00::/8");
        let chain = xff(&["2001:db8::7, fd00::2"]);
        assert_eq!(p.client_ip(ip("::1"), &chain), ip("2001:db8::7"));
        assert_eq!(
            p.client_ip(ip("::1"), &xff(&["[2001:db8::8]:443"])),
            ip("2001:db8::8")
        );
        assert_eq!(p.client_ip(ip("::ffff:1.2.3.4"), &chain), ip("1.2.3.4"));
        let p4 = proxies("10.0.0.1");
        let mapped = xff(&["::ffff:203.0.113.9"]);
        assert_eq!(
            p4.client_ip(ip("::ffff:10.0.0.1"), &mapped),
            ip("203.0.113.9")
        );
    }
}
