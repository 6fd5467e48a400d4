//! Many nodes behaving as one (docs/api.md "Many nodes"): real `parley serve`
//! processes on loopback ports sharing one PostgreSQL database, one Redis (a
//! `redis-server` of the test's own, so it can be stopped) and one media store
//! (`s3s-fs`), driven by the official `socket.io-client`
//! (`tests/realtime/multinode_*.mjs`).
//!
//! - live: messages, typing, presence (tabs on both nodes) and posts cross
//!   nodes; a sign-out on one node disconnects the session's socket on the
//!   other; a rate limit hit on one node holds on the other; an upload made
//!   through one node is served by the other;
//! - Redis restarted mid-run: `/readyz` says so, the nodes keep acking,
//!   fan-out resumes by itself and `sync` covers the gap;
//! - a node SIGKILLed while a client sends: on the other node every acked
//!   message is there, gap-free, none twice, and the dead node's user goes
//!   offline once it misses its heartbeats.

use crate::chat_realtime::{history_at, signup_at};
use crate::chat_support::*;
use crate::helpers::*;
use crate::media_s3::{ACCESS_KEY, BUCKET, PREFIX, S3Server, SECRET_KEY, start_s3};
use crate::process_support::{PrivateRedis, ProcessDatabase, ServerProcess};
use crate::realtime_support::{Scenario, run_scenario};
use base64::Engine;
use reqwest::{Client, StatusCode};
use serde_json::json;
use std::collections::HashSet;
use tempfile::TempDir;

/// Several nodes and what they share; each node a process of its own.
struct Cluster {
    nodes: Vec<ServerProcess>,
    redis: PrivateRedis,
    _database: ProcessDatabase,
    _s3: S3Server,
    _data: Vec<TempDir>,
    _logs: TempDir,
    client: Client,
}

impl Cluster {
    /// `count` nodes on one database, one Redis and one bucket, with the same
    /// secrets, public URL and Redis prefix; sign-ups limited to `signups` per
    /// IP (shared across nodes, through Redis).
    async fn start(count: usize, signups: u32) -> Self {
        let database = ProcessDatabase::create().await;
        let redis = PrivateRedis::start();
        let s3 = start_s3();
        let secret = |byte: u8| base64::engine::general_purpose::STANDARD.encode([byte; 32]);
        let env: Vec<(&str, String)> = vec![
            ("PARLEY_DATABASE_URL", database.url.clone()),
            ("PARLEY_REDIS_URL", redis.url()),
            ("PARLEY_MEDIA_URL", format!("s3://{BUCKET}/{PREFIX}")),
            ("AWS_ENDPOINT_URL", s3.endpoint.clone()),
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY.into()),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY.into()),
            ("AWS_REGION", "us-east-1".into()),
            ("PARLEY_JWT_SECRET", secret(7)),
            ("PARLEY_COOKIE_SECRET", secret(9)),
            ("PARLEY_RATE_LIMITS", "on".into()),
            ("PARLEY_RATE_LIMIT_GLOBAL", "100000/60s".into()),
            ("PARLEY_RATE_LIMIT_MESSAGE", "100000/10s".into()),
            ("PARLEY_RATE_LIMIT_SIGNUP", format!("{signups}/3600s")),
        ];
        let logs = tempfile::Builder::new()
            .prefix("parley-cluster-logs-")
            .tempdir()
            .expect("a log folder");
        let mut nodes = Vec::new();
        let mut data = Vec::new();
        for i in 0..count {
            let dir = tempfile::Builder::new()
                .prefix("parley-node-")
                .tempdir()
                .expect("a data folder");
            let name = ["a", "b", "c"][i % 3];
            nodes.push(ServerProcess::start(dir.path(), logs.path(), name, &env).await);
            data.push(dir);
        }
        Self {
            nodes,
            redis,
            _database: database,
            _s3: s3,
            _data: data,
            _logs: logs,
            client: native_client(),
        }
    }

    fn base(&self, node: usize) -> String {
        self.nodes[node].base.clone()
    }

    async fn readyz(&self, node: usize) -> StatusCode {
        self.client
            .get(self.nodes[node].url("/readyz"))
            .send()
            .await
            .expect("GET /readyz")
            .status()
    }

    /// Every node's log, for a failure message.
    fn logs(&self) -> String {
        self.nodes
            .iter()
            .map(ServerProcess::log_text)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// alice signed up on node A, bob on node B, and their direct conversation
/// (started on A): what every scenario starts from.
struct Pair {
    a: String,
    b: String,
    alice: Session,
    bob: Session,
    d: String,
}

impl Pair {
    async fn sign_up(cluster: &Cluster) -> Self {
        let (a, b) = (cluster.base(0), cluster.base(1));
        let alice = signup_at(&cluster.client, &a, "alice").await;
        let bob = signup_at(&cluster.client, &b, "bob").await;
        let d = direct_at(&cluster.client, &a, &alice, &bob).await;
        Self {
            a,
            b,
            alice,
            bob,
            d,
        }
    }

    /// The scripts' common environment, plus `more`.
    fn env(&self, more: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
        let mut env = vec![
            ("A_URL", self.a.clone()),
            ("B_URL", self.b.clone()),
            ("D", self.d.clone()),
            ("ALICE_TOKEN", self.alice.access_token.clone()),
            ("ALICE_ID", self.alice.user_id().to_owned()),
            ("BOB_TOKEN", self.bob.access_token.clone()),
            ("BOB_ID", self.bob.user_id().to_owned()),
        ];
        env.extend(more);
        env
    }
}

/// A direct conversation of `a` and `b`, started on the node at `base`.
async fn direct_at(client: &Client, base: &str, a: &Session, b: &Session) -> String {
    let response = client
        .post(format!("{base}/api/v1/conversations"))
        .bearer_auth(&a.access_token)
        .json(&json!({"usernames": [b.user["username"]]}))
        .send()
        .await
        .expect("start a conversation");
    cid(&expect_json(response, StatusCode::CREATED).await)
}

/// Signs `username` in on `base` (a second session).
async fn signin_at(client: &Client, base: &str, username: &str) -> Session {
    let response = client
        .post(format!("{base}/api/v1/auth/signin"))
        .json(&json!({"login": username, "password": PASSWORD, "client": "native"}))
        .send()
        .await
        .expect("sign-in request");
    Session::from_json(&expect_json(response, StatusCode::OK).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_behave_as_one_server() {
    let cluster = Cluster::start(2, 3).await;
    let pair = Pair::sign_up(&cluster).await;
    let (a, b, client) = (&pair.a, &pair.b, &cluster.client);
    let (alice, bob) = (&pair.alice, &pair.bob);
    // The sign-up limit (3 per IP) is one budget over both nodes.
    let _carol = signup_at(client, a, "carol").await;
    let refused = client
        .post(format!("{b}/api/v1/auth/signup"))
        .json(&json!({"username": "dave", "email": email_for("dave"), "password": PASSWORD, "client": "native"}))
        .send()
        .await
        .expect("a fourth sign-up");
    assert_eq!(
        refused.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "three sign-ups on A and B use up the one limit\n{}",
        cluster.logs()
    );
    assert!(refused.headers().contains_key("retry-after"));

    // bob follows alice (on B).
    let followed = client
        .put(format!("{b}/api/v1/users/alice/follow"))
        .bearer_auth(&bob.access_token)
        .send()
        .await
        .expect("follow");
    assert_eq!(followed.status(), StatusCode::OK);
    let bob2 = signin_at(client, b, "bob").await;

    let host = TestApp::spawn(Backend::Sqlite).await;
    let env = pair.env(vec![("BOB2_TOKEN", bob2.access_token.clone())]);
    run_scenario(&host, "multinode_live.mjs", &env).await;
    let d = &pair.d;

    // What one node stored, the other serves: history and media.
    let seen_on_b = history_at(client, b, &bob.access_token, d).await;
    let seen_on_a = history_at(client, a, &alice.access_token, d).await;
    assert_eq!(seen_on_a, seen_on_b);
    assert_eq!(seen_on_a.len(), 2, "the two messages of the scenario");
    let upload = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(crate::media_support::png(40, 30, false))
            .file_name("x.png"),
    );
    let uploaded = client
        .post(format!("{a}/api/v1/media"))
        .bearer_auth(&alice.access_token)
        .multipart(upload)
        .send()
        .await
        .expect("upload on A");
    let media = expect_json(uploaded, StatusCode::CREATED).await;
    let url = media["url"].as_str().expect("url");
    let served = client
        .get(format!("{b}{url}"))
        .send()
        .await
        .expect("GET on B");
    assert_eq!(
        served.status(),
        StatusCode::OK,
        "B serves A's upload from the shared bucket"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fan_out_resumes_after_redis_restarts() {
    let mut cluster = Cluster::start(2, 100).await;
    let pair = Pair::sign_up(&cluster).await;
    let host = TestApp::spawn(Backend::Sqlite).await;
    let mut scenario = Scenario::start(&host, "multinode_redis_restart.mjs", &pair.env(Vec::new()));
    scenario.expect_line("READY").await;
    cluster.redis.stop();
    for node in 0..2 {
        assert_eq!(
            cluster.readyz(node).await,
            StatusCode::SERVICE_UNAVAILABLE,
            "/readyz is 503 while Redis is down"
        );
    }
    scenario.tell("DOWN");
    scenario.expect_line("SENT").await;
    cluster.redis.resume();
    // Ready again once the nodes reconnect (bounded: 30 s).
    for node in 0..2 {
        let mut ready = false;
        for _ in 0..300 {
            if cluster.readyz(node).await == StatusCode::OK {
                ready = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            ready,
            "node {node} ready again after Redis came back\n{}",
            cluster.logs()
        );
    }
    scenario.tell("UP");
    scenario.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_node_loses_no_acked_message() {
    let mut cluster = Cluster::start(2, 100).await;
    let pair = Pair::sign_up(&cluster).await;
    let result = ResultFile::create();
    let host = TestApp::spawn(Backend::Sqlite).await;
    let env = pair.env(vec![
        ("ACK_TARGET", "100".into()),
        ("IN_FLIGHT", "8".into()),
        result.env(),
    ]);
    let mut scenario = Scenario::start(&host, "multinode_failover.mjs", &env);
    scenario.expect_line("ACKED").await;
    cluster.nodes[0].kill();
    scenario.finish().await;

    // Checked once more from the outside, over REST on the surviving node.
    let outcome = result.json();
    let acked = outcome["acked"].as_array().expect("acked list");
    assert!(
        acked.len() >= 100,
        "at least the target was acked: {}",
        acked.len()
    );
    let stored = history_at(&cluster.client, &pair.b, &pair.bob.access_token, &pair.d).await;
    let ids: HashSet<&str> = stored.iter().filter_map(|m| m["id"].as_str()).collect();
    for ack in acked {
        let id = ack["id"].as_str().expect("acked id");
        assert!(ids.contains(id), "acked message {ack} is stored");
    }
    let seqs: Vec<i64> = stored.iter().filter_map(|m| m["seq"].as_i64()).collect();
    assert_eq!(
        seqs,
        (1..=i64::try_from(seqs.len()).unwrap_or(0)).collect::<Vec<_>>()
    );
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // A failed scenario panics before the test can say more: the nodes' logs help.
        if std::thread::panicking() {
            eprintln!("{}", self.logs());
        }
    }
}
