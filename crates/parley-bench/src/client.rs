//! A bare HTTP/1.1 keep-alive connection (hyper's client `conn` API): one TCP
//! connection, requests sent one after another. A pooled client would hide
//! how many connections are open and add bookkeeping to every request; the
//! load generator wants exactly N connections and as little client-side CPU
//! as possible, since it shares the machine with the server under test.

use anyhow::{Context, bail};
use http::{HeaderValue, Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use std::net::IpAddr;
use tokio::net::TcpStream;

/// Where requests go: `http://host:port` (no TLS; benchmarks run locally).
#[derive(Debug, Clone)]
pub struct Target {
    host: String,
    port: u16,
    /// `host:port`, the `Host` header.
    authority: HeaderValue,
}

impl Target {
    /// Parses `http://host[:port][/]`. Refuses anything but a loopback host
    /// unless `allow_remote`: a load generator pointed at the wrong machine
    /// by a typo is a denial-of-service attack.
    pub fn parse(url: &str, allow_remote: bool) -> anyhow::Result<Self> {
        let Some(rest) = url.strip_prefix("http://") else {
            bail!("only http:// URLs are supported, got {url:?}");
        };
        let authority = rest.trim_end_matches('/');
        if authority.contains('/') {
            bail!("give the server's origin only (http://host:port), got {url:?}");
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (
                h,
                p.parse().with_context(|| format!("bad port in {url:?}"))?,
            ),
            _ => (authority, 80),
        };
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let loopback =
            host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if !loopback && !allow_remote {
            bail!(
                "refusing to load a non-loopback host {host:?} (pass --allow-remote if you mean it)"
            );
        }
        Ok(Self {
            host,
            port,
            authority: HeaderValue::from_str(authority).context("bad host")?,
        })
    }

    /// A request with `Host` set and, if given, a bearer token and a JSON body.
    pub fn request(
        &self,
        method: Method,
        path_and_query: &str,
        bearer: Option<&str>,
        json: Option<Vec<u8>>,
    ) -> anyhow::Result<Request<Full<Bytes>>> {
        let mut builder = Request::builder()
            .method(method)
            .uri(path_and_query)
            .header(header::HOST, self.authority.clone());
        if let Some(token) = bearer {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match json {
            Some(bytes) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Full::new(Bytes::from(bytes))
            }
            None => Full::new(Bytes::new()),
        };
        Ok(builder.body(body)?)
    }
}

/// One open keep-alive connection.
pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
}

impl Connection {
    pub async fn open(target: &Target) -> anyhow::Result<Self> {
        let stream = TcpStream::connect((target.host.as_str(), target.port))
            .await
            .with_context(|| format!("connecting to {}:{}", target.host, target.port))?;
        // Requests are small and latency is what is measured: no Nagle delay.
        stream.set_nodelay(true)?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
        // The connection future drives the socket; it ends when the sender is
        // dropped or the server closes. Its error, if any, surfaces through
        // the next `send`.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(Self { sender })
    }

    /// Sends `request` and reads the whole response body.
    pub async fn send(
        &mut self,
        request: Request<Full<Bytes>>,
    ) -> anyhow::Result<(StatusCode, Bytes)> {
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        Ok((status, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_loopback_origins() {
        let t = Target::parse("http://127.0.0.1:8080/", false).expect("loopback");
        assert_eq!((t.host.as_str(), t.port), ("127.0.0.1", 8080));
        assert_eq!(t.authority, "127.0.0.1:8080");
        let t = Target::parse("http://localhost", false).expect("localhost");
        assert_eq!(t.port, 80);
        let t = Target::parse("http://[::1]:3000", false).expect("ipv6 loopback");
        assert_eq!((t.host.as_str(), t.port), ("::1", 3000));
    }

    #[test]
    fn refuses_remote_hosts_paths_and_tls() {
        assert!(Target::parse("http://example.com:80", false).is_err());
        assert!(Target::parse("http://10.0.0.1:80", false).is_err());
        assert!(Target::parse("http://10.0.0.1:80", true).is_ok());
        assert!(Target::parse("https://127.0.0.1", false).is_err());
        assert!(Target::parse("http://127.0.0.1:8080/api", false).is_err());
        assert!(Target::parse("http://127.0.0.1:notaport", false).is_err());
    }
}
