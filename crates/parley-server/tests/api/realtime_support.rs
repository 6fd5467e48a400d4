//! Running the Node scenario scripts of `tests/realtime/` (the official
//! `socket.io-client`) against a [`TestApp`]: the Rust test prepares users and
//! tokens over HTTP, starts `node tests/realtime/<script>` with them in its
//! environment, and, for scenarios that need the server to act at a given
//! moment, reads the script's protocol lines (`READY`, ...) from its stdout
//! and answers on its stdin. A failing script fails the test with its whole
//! stdout and stderr.
//!
//! `PARLEY_TEST_NODE_LOG=1` prints a script's stderr when it succeeds too.
//!
//! Node and the npm packages are prerequisites: `make test` installs them
//! (`npm ci --prefix tests/realtime`); a missing one is a loud failure, never
//! a skipped test.

use crate::helpers::TestApp;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// How long a script may take from start to exit.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(90);
/// How long a script may take to print the next protocol line.
const LINE_TIMEOUT: Duration = Duration::from_secs(45);

/// `tests/realtime/` at the repository root.
pub fn scripts_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/realtime")
}

/// Panics with instructions unless `node` runs and the npm packages are installed.
fn check_prerequisites() {
    let node = Command::new("node").arg("--version").output();
    match node {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "`node --version` failed ({}): the realtime tests need Node.js 20+ on PATH",
            out.status
        ),
        Err(e) => panic!(
            "cannot run `node` ({e}): the realtime tests need Node.js 20+ on PATH \
             (Debian/Ubuntu: apt-get install nodejs npm)"
        ),
    }
    let client = scripts_dir().join("node_modules/socket.io-client/package.json");
    assert!(
        client.is_file(),
        "{} is missing: install the realtime test dependencies with \
         `npm ci --prefix tests/realtime` (make test does it)",
        client.display()
    );
}

/// A running scenario script.
pub struct Scenario {
    script: String,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::UnboundedReceiver<String>,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Scenario {
    /// Starts `node tests/realtime/<script>` with `PARLEY_URL` pointing at
    /// `app` and `env` added.
    pub fn start(app: &TestApp, script: &str, env: &[(&str, String)]) -> Self {
        check_prerequisites();
        let dir = scripts_dir();
        let mut command = Command::new("node");
        command
            .arg(dir.join(script))
            .current_dir(&dir)
            .env("PARLEY_URL", &app.base)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start node {script}: {e}"));
        let stdin = child.stdin.take();
        let stdout_pipe = child.stdout.take().expect("piped stdout");
        let stderr_pipe = child.stderr.take().expect("piped stderr");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, lines) = mpsc::unbounded_channel();
        // Plain threads: the pipes are blocking std handles.
        let log = stdout.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout_pipe).lines().map_while(Result::ok) {
                push_line(&log, &line);
                let _ = tx.send(line);
            }
        });
        let log = stderr.clone();
        std::thread::spawn(move || {
            let mut pipe = stderr_pipe;
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut shared) = log.lock() {
                    shared.push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }
        });
        Self {
            script: script.to_owned(),
            child,
            stdin,
            lines,
            stdout,
            stderr,
        }
    }

    /// Waits until the script prints `word` on a line of its own.
    pub async fn expect_line(&mut self, word: &str) {
        let deadline = Instant::now() + LINE_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.lines.recv()).await {
                Ok(Some(line)) if line.trim() == word => return,
                Ok(Some(_)) => continue,
                Ok(None) => {
                    // stdout closed: the script exited; its status says why.
                    let status = self.wait_briefly();
                    self.fail(&format!("exited ({status}) before printing {word:?}"));
                }
                Err(_) => self.fail(&format!("printed no {word:?} within {LINE_TIMEOUT:?}")),
            }
        }
    }

    /// Writes `word` on a line of the script's stdin.
    pub fn tell(&mut self, word: &str) {
        let written = self
            .stdin
            .as_mut()
            .map(|stdin| writeln!(stdin, "{word}").and_then(|()| stdin.flush()));
        if !matches!(written, Some(Ok(()))) {
            self.fail(&format!(
                "could not write {word:?} to its stdin: {written:?}"
            ));
        }
    }

    /// Waits for the script to exit and asserts it succeeded.
    pub async fn finish(mut self) {
        let deadline = Instant::now() + SCRIPT_TIMEOUT;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) if status.success() => {
                    if std::env::var_os("PARLEY_TEST_NODE_LOG").is_some() {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        let stderr = self.stderr.lock().map(|s| s.clone()).unwrap_or_default();
                        eprintln!("--- tests/realtime/{} stderr ---\n{stderr}", self.script);
                    }
                    return;
                }
                Ok(Some(status)) => {
                    // Let the reader threads catch the last output.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    self.fail(&format!("failed ({status})"));
                }
                Ok(None) if Instant::now() >= deadline => {
                    self.fail(&format!("did not finish within {SCRIPT_TIMEOUT:?}"))
                }
                Ok(None) => tokio::time::sleep(Duration::from_millis(25)).await,
                Err(e) => self.fail(&format!("could not be waited for: {e}")),
            }
        }
    }

    fn wait_briefly(&mut self) -> String {
        for _ in 0..40 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.to_string();
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        "still running".to_owned()
    }

    fn fail(&mut self, what: &str) -> ! {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::thread::sleep(Duration::from_millis(100));
        let stdout = self.stdout.lock().map(|s| s.clone()).unwrap_or_default();
        let stderr = self.stderr.lock().map(|s| s.clone()).unwrap_or_default();
        panic!(
            "realtime scenario tests/realtime/{} {what}\n--- node stdout ---\n{stdout}\n--- node stderr ---\n{stderr}",
            self.script
        );
    }
}

impl Drop for Scenario {
    /// A test that panicked mid-scenario must not leave node running.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn push_line(log: &Mutex<String>, line: &str) {
    if let Ok(mut log) = log.lock() {
        log.push_str(line);
        log.push('\n');
    }
}

/// Runs a scenario that needs nothing from the server mid-way, to its end.
pub async fn run_scenario(app: &TestApp, script: &str, env: &[(&str, String)]) {
    Scenario::start(app, script, env).finish().await;
}

/// The value of `name{labels}` in the Prometheus text of `GET /metrics`
/// (0 when the series is absent).
pub async fn metric(app: &TestApp, series: &str) -> f64 {
    let text = app
        .get("/metrics")
        .await
        .text()
        .await
        .expect("read /metrics");
    text.lines()
        .filter_map(|line| line.strip_prefix(series))
        .filter_map(|rest| rest.strip_prefix(' '))
        .filter_map(|value| value.trim().parse::<f64>().ok())
        .next()
        .unwrap_or(0.0)
}
