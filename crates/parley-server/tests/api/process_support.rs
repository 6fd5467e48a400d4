//! Parley as separate processes, for the tests that need the real binary:
//! killed with SIGKILL (crash safety), or several nodes sharing one database,
//! one Redis and one media store. [`ServerProcess`] runs `parley serve` on a
//! free loopback port with a clean environment; [`ProcessDatabase`] is a
//! PostgreSQL database of its own (the binary takes a URL, not a schema);
//! [`PrivateRedis`] is a `redis-server` of the test's own, which it may stop
//! and start again.

use crate::helpers::*;
use reqwest::StatusCode;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The public URL every process uses: tokens name it as their issuer, so it
/// must be the same across restarts and across nodes.
pub const PUBLIC_URL: &str = "http://parley-process.test";

/// How long the binary may take to answer `/readyz` after starting.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// `parley serve` as a separate process.
pub struct ServerProcess {
    child: Child,
    pub base: String,
    log: std::path::PathBuf,
}

impl ServerProcess {
    /// Starts `parley serve --addr 127.0.0.1:<free port> --data-dir <data>`
    /// with rate limits off and `env` on top (`PARLEY_DATABASE_URL`, ...),
    /// and waits until it is ready. Its output goes to `<logs>/<name>.log`.
    pub async fn start(data: &Path, logs: &Path, name: &str, env: &[(&str, String)]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("find a free port")
            .port();
        let log = logs.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).expect("create the server log");
        let err = out.try_clone().expect("clone the log handle");
        let mut command = Command::new(env!("CARGO_BIN_EXE_parley"));
        command
            .arg("serve")
            .arg("--addr")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(data)
            // No parley.toml or .env of the developer's, no PARLEY_* of theirs.
            .current_dir(data)
            .env_clear()
            // Tokens name the public URL as their issuer; it defaults to
            // http://<addr>, which changes with the port after a restart.
            .env("PARLEY_PUBLIC_URL", PUBLIC_URL)
            .env("PARLEY_RATE_LIMITS", "off")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err));
        command.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
        let child = command.spawn().expect("start the parley binary");
        let mut server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        server.wait_ready().await;
        server
    }

    pub async fn wait_ready(&mut self) {
        let client = native_client();
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "parley exited ({status}) while starting\n{}",
                    self.log_text()
                );
            }
            let ready = client
                .get(format!("{}/readyz", self.base))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status() == StatusCode::OK);
            if ready {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "parley was not ready within {STARTUP_TIMEOUT:?}\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGKILL (what `Child::kill` sends on Unix): no shutdown code runs.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL the server");
        let status = self.child.wait().expect("reap the server");
        assert!(
            !status.success(),
            "a killed server does not exit cleanly: {status}"
        );
    }

    pub fn log_text(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let start = text.len().saturating_sub(8_000);
        let start = (start..text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        format!("--- {} (tail) ---\n{}", self.log.display(), &text[start..])
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A PostgreSQL database of its own for the binary (it takes a URL, not a
/// schema), dropped at the end, even if the test fails.
pub struct ProcessDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl ProcessDatabase {
    pub async fn create() -> Self {
        use sqlx::{Connection, Executor};
        let admin_url = postgres_url();
        let name = format!("parley_proc_{}", uuid::Uuid::now_v7().simple());
        let mut conn = sqlx::PgConnection::connect(&admin_url)
            .await
            .expect("connect to the test PostgreSQL server");
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("create a database for the process test");
        conn.close().await.expect("close the admin connection");
        let url = with_database(&admin_url, &name);
        Self {
            admin_url,
            name,
            url,
        }
    }
}

/// `url` with its database name replaced by `name` (query kept).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let (scheme, rest) = base.split_once("://").expect("a postgres:// URL");
    let authority = rest.split('/').next().unwrap_or(rest);
    let mut out = format!("{scheme}://{authority}/{name}");
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

impl Drop for ProcessDatabase {
    fn drop(&mut self) {
        let (url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop cannot await: a thread with a runtime of its own, as in helpers.
        let cleanup = std::thread::spawn(move || -> Result<(), String> {
            use sqlx::{Connection, Executor};
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&url).await?;
                conn.execute(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .await?;
                conn.close().await
            })
            .map_err(|e: sqlx::Error| e.to_string())
        });
        match cleanup.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("process test: could not drop its database: {e}"),
            Err(_) => eprintln!("process test: the database cleanup thread panicked"),
        }
    }
}

/// A free loopback port (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A `redis-server` of the test's own on a free loopback port, without
/// persistence; stopped (its own process only) when dropped.
pub struct PrivateRedis {
    child: Option<Child>,
    pub port: u16,
}

impl PrivateRedis {
    pub fn start() -> Self {
        let mut redis = Self {
            child: None,
            port: free_port(),
        };
        redis.resume();
        redis
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Kills the server (as a crash would).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port, empty, and waits for it.
    pub fn resume(&mut self) {
        let binary =
            std::env::var("PARLEY_TEST_REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
        let child = Command::new(&binary)
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "starting {binary}: {e}. The many-node tests run a Redis 7 server of their \
                     own: install it (Debian: apt-get install -y redis-server) or point \
                     PARLEY_TEST_REDIS_SERVER at redis-server."
                )
            });
        self.child = Some(child);
        let started = Instant::now();
        loop {
            if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.port)) {
                use std::io::{Read, Write};
                let mut reply = [0u8; 7];
                if stream.write_all(b"PING\r\n").is_ok()
                    && stream.read_exact(&mut reply).is_ok()
                    && &reply == b"+PONG\r\n"
                {
                    return;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "redis-server did not answer on port {} within 15 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.stop();
    }
}
