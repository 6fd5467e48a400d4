//! `parley-bench load`: a closed-loop load generator. Each of N keep-alive
//! connections sends a request, waits for the whole answer, and sends the
//! next, for a warm-up and then a measured window. Only 2xx answers inside
//! the window count as requests; everything else is an error, reported
//! apart. Latencies go into an HDR histogram (microsecond resolution), so
//! p99 is exact to 3 significant digits rather than an average of averages.

use crate::client::{Connection, Target};
use anyhow::{Context, bail};
use hdrhistogram::Histogram;
use http::Method;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Largest latency the histogram tracks (longer ones are clamped to it).
const MAX_LATENCY_US: u64 = 60_000_000;
/// Pause before reconnecting after a failed connect, so a dead server is
/// not hammered in a tight loop.
const RECONNECT_PAUSE: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// `GET /api/v1/timeline?limit=20`: the signed-in user's home feed.
    Timeline,
    /// `POST /api/v1/posts` with a short text and one hashtag.
    CreatePost,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Self::Timeline => "timeline",
            Self::CreatePost => "create-post",
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    /// The server's origin.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    #[arg(long, value_enum)]
    scenario: Scenario,
    /// Concurrent keep-alive connections, each looping requests.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Measured window, e.g. `20s`, `1500ms`, `2m`.
    #[arg(long, default_value = "20s", value_parser = parse_duration)]
    duration: Duration,
    /// Unmeasured load before the window (JIT, caches, pools).
    #[arg(long, default_value = "0s", value_parser = parse_duration)]
    warmup: Duration,
    /// Access tokens, one per line; requests rotate through them.
    #[arg(long)]
    tokens_file: PathBuf,
    /// A request taking longer than this is an error.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    timeout: Duration,
    #[arg(long)]
    allow_remote: bool,
}

/// `20s`, `1500ms`, `2m` or a bare number of seconds.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map_or((s, "s"), |at| s.split_at(at));
    let value: f64 = number
        .parse()
        .map_err(|_| format!("bad duration {s:?}: use e.g. 20s, 500ms, 2m"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        _ => return Err(format!("bad duration unit in {s:?}: use ms, s or m")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("bad duration {s:?}: {e}"))
}

/// What one connection saw inside the measured window.
struct Tally {
    latencies: Histogram<u64>,
    ok: u64,
    /// Non-2xx answers by status code.
    statuses: BTreeMap<u16, u64>,
    /// Connect failures, resets, timeouts.
    transport: u64,
}

impl Tally {
    fn new() -> anyhow::Result<Self> {
        Ok(Self {
            latencies: Histogram::new_with_bounds(1, MAX_LATENCY_US, 3)?,
            ok: 0,
            statuses: BTreeMap::new(),
            transport: 0,
        })
    }

    fn merge(&mut self, other: &Self) -> anyhow::Result<()> {
        self.latencies.add(&other.latencies)?;
        self.ok += other.ok;
        for (status, n) in &other.statuses {
            *self.statuses.entry(*status).or_default() += n;
        }
        self.transport += other.transport;
        Ok(())
    }
}

/// Shared, read-only settings of one run.
struct Plan {
    target: Target,
    scenario: Scenario,
    tokens: Vec<String>,
    connections: usize,
    measure_from: Instant,
    end: Instant,
    timeout: Duration,
}

impl Plan {
    fn request(
        &self,
        conn: usize,
        i: usize,
    ) -> anyhow::Result<http::Request<http_body_util::Full<hyper::body::Bytes>>> {
        // Consecutive requests of one connection use different users, and
        // connections start at different users.
        let token = &self.tokens[(conn + i * self.connections) % self.tokens.len()];
        match self.scenario {
            Scenario::Timeline => {
                self.target
                    .request(Method::GET, "/api/v1/timeline?limit=20", Some(token), None)
            }
            Scenario::CreatePost => {
                let text = format!(
                    "bench post #tag{} from connection {conn}, request {i}: the quick brown fox",
                    i % 100
                );
                let body = serde_json::to_vec(&serde_json::json!({ "text": text }))?;
                self.target
                    .request(Method::POST, "/api/v1/posts", Some(token), Some(body))
            }
        }
    }
}

/// One connection's loop, until the window ends.
async fn drive(plan: Arc<Plan>, conn_index: usize) -> anyhow::Result<Tally> {
    let mut tally = Tally::new()?;
    let mut conn: Option<Connection> = None;
    let mut i = 0;
    while Instant::now() < plan.end {
        let mut connection = match conn.take() {
            Some(c) => c,
            None => match tokio::time::timeout_at(plan.end, Connection::open(&plan.target)).await {
                Ok(Ok(c)) => c,
                Ok(Err(_)) => {
                    if Instant::now() >= plan.measure_from {
                        tally.transport += 1;
                    }
                    tokio::time::sleep(RECONNECT_PAUSE).await;
                    continue;
                }
                Err(_) => break,
            },
        };
        let request = plan.request(conn_index, i)?;
        i += 1;
        let started = Instant::now();
        let outcome = tokio::time::timeout(plan.timeout, connection.send(request)).await;
        let finished = Instant::now();
        let in_window = started >= plan.measure_from;
        match outcome {
            Ok(Ok((status, _body))) => {
                conn = Some(connection);
                if !in_window || finished > plan.end {
                    continue;
                }
                if status.is_success() {
                    let micros = u64::try_from(finished.duration_since(started).as_micros())
                        .unwrap_or(u64::MAX);
                    tally.latencies.saturating_record(micros.max(1));
                    tally.ok += 1;
                } else {
                    *tally.statuses.entry(status.as_u16()).or_default() += 1;
                }
            }
            // The connection is broken or stuck: drop it and open another.
            Ok(Err(_)) | Err(_) => {
                if in_window {
                    tally.transport += 1;
                }
            }
        }
    }
    Ok(tally)
}

fn read_tokens(path: &PathBuf) -> anyhow::Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let tokens: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if tokens.is_empty() {
        bail!("{} holds no tokens", path.display());
    }
    Ok(tokens)
}

fn ms(micros: u64) -> f64 {
    // Two decimals: 10 µs resolution is plenty for a report.
    (micros as f64 / 10.0).round() / 100.0
}

pub async fn run(args: LoadArgs) -> anyhow::Result<()> {
    println!("{}", measure(&args).await?);
    Ok(())
}

/// Runs the load described by `args` and returns the report.
async fn measure(args: &LoadArgs) -> anyhow::Result<serde_json::Value> {
    if args.connections == 0 || args.duration.is_zero() {
        bail!("need at least one connection and a non-zero duration");
    }
    let now = Instant::now();
    let plan = Arc::new(Plan {
        target: Target::parse(&args.url, args.allow_remote)?,
        scenario: args.scenario,
        tokens: read_tokens(&args.tokens_file)?,
        connections: args.connections,
        measure_from: now + args.warmup,
        end: now + args.warmup + args.duration,
        timeout: args.timeout,
    });
    let workers: Vec<_> = (0..args.connections)
        .map(|c| tokio::spawn(drive(Arc::clone(&plan), c)))
        .collect();
    let mut total = Tally::new()?;
    for worker in workers {
        total.merge(&worker.await.context("a load worker panicked")??)?;
    }
    let non_2xx: u64 = total.statuses.values().sum();
    let seconds = args.duration.as_secs_f64();
    let h = &total.latencies;
    Ok(serde_json::json!({
        "scenario": args.scenario.name(),
        "url": &args.url,
        "connections": args.connections,
        "duration_s": seconds,
        "requests": total.ok,
        "errors": non_2xx + total.transport,
        "rps": (total.ok as f64 / seconds * 10.0).round() / 10.0,
        "p50_ms": ms(h.value_at_quantile(0.50)),
        "p90_ms": ms(h.value_at_quantile(0.90)),
        "p99_ms": ms(h.value_at_quantile(0.99)),
        "max_ms": ms(h.max()),
        "error_statuses": total.statuses,
        "transport_errors": total.transport,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("20s"), Ok(Duration::from_secs(20)));
        assert_eq!(parse_duration("1500ms"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("0.5s"), Ok(Duration::from_millis(500)));
        assert!(parse_duration("20h").is_err());
        assert!(parse_duration("fast").is_err());
    }

    /// A tiny keep-alive HTTP/1.1 server: 201 for `Bearer good` on POST,
    /// 200 on GET, 401 for any other token. Returns its origin.
    async fn fake_server() -> String {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut stream = BufReader::new(stream);
                    loop {
                        let (mut good, mut post, mut length) = (false, false, 0usize);
                        let mut line = String::new();
                        loop {
                            line.clear();
                            if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
                                return;
                            }
                            let lower = line.to_ascii_lowercase();
                            post |= lower.starts_with("post ");
                            good |= lower.trim() == "authorization: bearer good";
                            if let Some(n) = lower.strip_prefix("content-length:") {
                                length = n.trim().parse().unwrap_or(0);
                            }
                            if line == "\r\n" {
                                break;
                            }
                        }
                        let mut body = vec![0u8; length];
                        if stream.read_exact(&mut body).await.is_err() {
                            return;
                        }
                        let status = match (good, post) {
                            (false, _) => "401 Unauthorized",
                            (true, true) if body.starts_with(b"{\"text\":\"bench post #tag") => {
                                "201 Created"
                            }
                            (true, true) => "422 Unprocessable Entity",
                            (true, false) => "200 OK",
                        };
                        let answer = format!("HTTP/1.1 {status}\r\ncontent-length: 2\r\n\r\n{{}}");
                        if stream.get_mut().write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        format!("http://{addr}")
    }

    #[tokio::test]
    async fn counts_2xx_as_requests_and_the_rest_as_errors() {
        let url = fake_server().await;
        let dir = tempfile::tempdir().expect("tempdir");
        let tokens_file = dir.path().join("tokens.txt");
        std::fs::write(&tokens_file, "good\nbad\n").expect("tokens");
        for scenario in [Scenario::Timeline, Scenario::CreatePost] {
            let args = LoadArgs {
                url: url.clone(),
                scenario,
                connections: 2,
                duration: Duration::from_millis(400),
                warmup: Duration::from_millis(100),
                tokens_file: tokens_file.clone(),
                timeout: Duration::from_secs(2),
                allow_remote: false,
            };
            let report = measure(&args).await.expect("load runs");
            let ok = report["requests"].as_u64().expect("requests");
            let errors = report["errors"].as_u64().expect("errors");
            assert!(ok > 10, "{report}");
            // Tokens alternate, so about half the requests are refused.
            assert_eq!(
                report["error_statuses"]["401"].as_u64(),
                Some(errors),
                "{report}"
            );
            assert!(ok.abs_diff(errors) <= 4, "{report}");
            assert_eq!(report["transport_errors"], 0);
            assert!(
                report["p99_ms"].as_f64().expect("p99") >= report["p50_ms"].as_f64().expect("p50")
            );
        }
    }

    #[tokio::test]
    async fn a_dead_server_is_all_transport_errors() {
        // Bind and drop: nothing listens on this port any more.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let dir = tempfile::tempdir().expect("tempdir");
        let tokens_file = dir.path().join("tokens.txt");
        std::fs::write(&tokens_file, "good\n").expect("tokens");
        let args = LoadArgs {
            url: format!("http://127.0.0.1:{port}"),
            scenario: Scenario::Timeline,
            connections: 1,
            duration: Duration::from_millis(200),
            warmup: Duration::ZERO,
            tokens_file,
            timeout: Duration::from_secs(1),
            allow_remote: false,
        };
        let report = measure(&args).await.expect("load runs");
        assert_eq!(report["requests"], 0);
        assert!(
            report["transport_errors"].as_u64().expect("count") > 0,
            "{report}"
        );
    }

    #[test]
    fn milliseconds_are_rounded_to_two_decimals() {
        assert!((ms(1_234) - 1.23).abs() < 1e-9);
        assert!((ms(15) - 0.02).abs() < 1e-9);
    }
}
