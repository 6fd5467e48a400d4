//! Test databases and fixtures shared by every contract test.
//!
//! [`fresh_store`] hands out a migrated [`Store`] on an empty database: a new
//! SQLite file in a temporary directory, or a new schema on the PostgreSQL
//! server named by `PARLEY_TEST_POSTGRES_URL`. A missing URL is a panic, never
//! a skip: the PostgreSQL half of the suite must run wherever the suite runs.

use parley_core::{
    CommentId, ConversationId, MediaId, MessageId, NotificationId, NotificationKind, PostId,
    SessionId, Timestamp, UserId,
};
use parley_store::comments::NewComment;
use parley_store::media::NewMedia;
use parley_store::messages::{MessageRecord, NewMessage, SendOutcome};
use parley_store::notifications::NewNotification;
use parley_store::posts::NewPost;
use parley_store::{NewSession, NewUser, RotationExpiry, Store};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::SqliteConnection;
use sqlx::{Connection, Executor};
use std::str::FromStr;
use tempfile::TempDir;
use uuid::Uuid;

/// Which database a contract test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The store's own name for this backend.
    pub fn store_backend(self) -> parley_store::Backend {
        match self {
            Self::Sqlite => parley_store::Backend::Sqlite,
            Self::Postgres => parley_store::Backend::Postgres,
        }
    }
}

const POSTGRES_URL_VAR: &str = "PARLEY_TEST_POSTGRES_URL";

/// The PostgreSQL server the tests use. Unset is a loud failure, in CI and
/// locally alike: a silently skipped half of the suite proves nothing.
pub fn postgres_url() -> String {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
            if ci {
                panic!(
                    "{POSTGRES_URL_VAR} is not set and CI=true: the PostgreSQL store contract tests \
                     must run in CI, never be skipped. Point {POSTGRES_URL_VAR} at a PostgreSQL \
                     server (e.g. postgres://postgres@127.0.0.1:5432/parley_test) or run `make test`."
                );
            }
            panic!(
                "{POSTGRES_URL_VAR} is not set: the store contract tests run on SQLite AND PostgreSQL. \
                 Run `make test` (it recreates the test database and sets the variable), or create a \
                 database and export {POSTGRES_URL_VAR}=postgres://postgres@127.0.0.1:5432/parley_test \
                 before `cargo test -p parley-store`."
            );
        }
    }
}

/// Where a test database lives, so it can be reopened by a second store or
/// inspected with raw SQL behind the store's back.
enum Location {
    Sqlite { url: String, _dir: TempDir },
    Postgres { url: String, schema: String },
}

/// A migrated store on its own empty database; derefs to the [`Store`].
/// Dropping it removes the database (the PostgreSQL schema is kept when the
/// test panicked, so it can be inspected; its name is printed).
pub struct TestDb {
    pub store: Store,
    location: Location,
}

impl std::ops::Deref for TestDb {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

/// A new, empty, migrated database on `backend`.
pub async fn fresh_store(backend: Backend) -> TestDb {
    let db = match backend {
        Backend::Sqlite => {
            let dir = tempfile::Builder::new()
                .prefix("parley-store-contract-")
                .tempdir()
                .expect("create a temporary directory for the SQLite test database");
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            let store = Store::connect(&url)
                .await
                .unwrap_or_else(|e| panic!("open the SQLite test database {url}: {e}"));
            TestDb {
                store,
                location: Location::Sqlite { url, _dir: dir },
            }
        }
        Backend::Postgres => {
            let url = postgres_url();
            let schema = format!("t_{}", Uuid::now_v7().simple());
            let store = Store::connect_postgres_schema(&url, &schema).await.unwrap_or_else(|e| {
                panic!(
                    "connect to PostgreSQL at {url} ({POSTGRES_URL_VAR}) in schema {schema}: {e}. \
                     Is the server running and does the database exist? `make test` prepares both."
                )
            });
            TestDb {
                store,
                location: Location::Postgres { url, schema },
            }
        }
    };
    assert_eq!(
        db.store.backend(),
        backend.store_backend(),
        "the store reports the wrong backend"
    );
    db.store
        .migrate()
        .await
        .expect("migrate the fresh test database");
    db
}

impl TestDb {
    /// A second, independent store on the same database (as after a restart).
    pub async fn reopen(&self) -> Store {
        match &self.location {
            Location::Sqlite { url, .. } => Store::connect(url)
                .await
                .expect("reopen the SQLite database"),
            Location::Postgres { url, schema } => Store::connect_postgres_schema(url, schema)
                .await
                .expect("reopen the PostgreSQL schema"),
        }
    }

    /// Runs a query returning one integer on a raw connection of its own:
    /// checks what the store wrote without going through the store.
    pub async fn count(&self, sql: &'static str) -> i64 {
        match &self.location {
            Location::Sqlite { url, .. } => {
                let mut conn = SqliteConnection::connect(url)
                    .await
                    .expect("raw SQLite connection");
                let n: i64 = sqlx::query_scalar(sql)
                    .fetch_one(&mut conn)
                    .await
                    .expect(sql);
                conn.close().await.expect("close the raw SQLite connection");
                n
            }
            Location::Postgres { url, schema } => {
                let mut conn = raw_postgres(url, Some(schema)).await;
                let n: i64 = sqlx::query_scalar(sql)
                    .fetch_one(&mut conn)
                    .await
                    .expect(sql);
                conn.close()
                    .await
                    .expect("close the raw PostgreSQL connection");
                n
            }
        }
    }
}

impl TestDb {
    /// A raw connection to this SQLite database (panics on PostgreSQL).
    pub async fn sqlite_connection(&self) -> SqliteConnection {
        match &self.location {
            Location::Sqlite { url, .. } => SqliteConnection::connect(url)
                .await
                .expect("raw SQLite connection"),
            Location::Postgres { .. } => panic!("not a SQLite test database"),
        }
    }

    /// A raw connection into this PostgreSQL schema, and the schema's name
    /// (panics on SQLite).
    pub async fn postgres_connection(&self) -> (PgConnection, String) {
        match &self.location {
            Location::Postgres { url, schema } => {
                (raw_postgres(url, Some(schema)).await, schema.clone())
            }
            Location::Sqlite { .. } => panic!("not a PostgreSQL test database"),
        }
    }
}

async fn raw_postgres(url: &str, schema: Option<&str>) -> PgConnection {
    let mut opts = PgConnectOptions::from_str(url).expect("parse the PostgreSQL test URL");
    if let Some(schema) = schema {
        opts = opts.options([("search_path", schema)]);
    }
    PgConnection::connect_with(&opts)
        .await
        .expect("raw PostgreSQL connection")
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Location::Postgres { url, schema } = &self.location else {
            return; // the TempDir removes the SQLite files
        };
        if std::thread::panicking() {
            eprintln!(
                "store contract: test failed; keeping PostgreSQL schema {schema} for inspection"
            );
            return;
        }
        // Drop is synchronous and may run inside the test's runtime, so the
        // schema is dropped from a thread with a runtime of its own. While this
        // thread waits for it, the test's runtime cannot finish returning the
        // store's connections to its pool, and one may still be idle in a
        // transaction (sqlx rolls a dropped transaction back on that return),
        // holding locks DROP SCHEMA would wait for. The test is over, so the
        // backends holding locks in its schema are ended first. Best effort: a
        // leftover schema is harmless (`make test` recreates the database),
        // so failures are only reported.
        let (url, schema) = (url.clone(), schema.clone());
        let cleanup = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(async {
                let mut conn = PgConnection::connect(&url).await?;
                conn.execute("SET lock_timeout = '10s'").await?;
                sqlx::query(
                    "SELECT pg_terminate_backend(pid) FROM (SELECT DISTINCT l.pid FROM pg_locks l \
                     JOIN pg_class c ON c.oid = l.relation \
                     JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE n.nspname = $1 AND l.pid <> pg_backend_pid()) AS holders",
                )
                .bind(&schema)
                .execute(&mut conn)
                .await?;
                conn.execute(sqlx::AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS {schema} CASCADE"
                )))
                .await?;
                conn.close().await
            })
            .map_err(|e: sqlx::Error| e.to_string())
        });
        match cleanup.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("store contract: could not drop test schema: {e}"),
            Err(_) => eprintln!("store contract: the schema cleanup thread panicked"),
        }
    }
}

/// A fixed instant (with a non-zero millisecond part) all fixtures count from,
/// so every test is deterministic.
pub const T0: Timestamp = Timestamp(1_750_000_000_123);

/// `T0` moved by `ms` milliseconds (negative = earlier).
pub fn at(ms: i64) -> Timestamp {
    Timestamp::from_millis(T0.as_millis() + ms)
}

/// A rotation expiry that does not depend on the session's remember flag.
pub fn expiring_at(t: Timestamp) -> RotationExpiry {
    RotationExpiry {
        short: t,
        remembered: t,
    }
}

pub const HOUR: i64 = 3_600_000;
pub const DAY: i64 = 24 * HOUR;

/// A valid, normalised new user named `name` (lower-case), email `name@example.com`.
pub fn new_user(name: &str) -> NewUser {
    NewUser {
        id: UserId::new(),
        username: name.to_owned(),
        email: Some(format!("{name}@example.com")),
        password_hash: Some(format!("$argon2id$v=19$hash-of-{name}")),
        display_name: format!("{name} display"),
        created_at: T0,
    }
}

/// A stand-in for the SHA-256 of a refresh token: `label` padded to 32 bytes
/// with a trailing 0xff, so it is not valid UTF-8 text (hashes are binary).
pub fn token(label: &str) -> Vec<u8> {
    assert!(label.len() < 32, "token labels are at most 31 bytes");
    let mut bytes = [0u8; 32];
    bytes[..label.len()].copy_from_slice(label.as_bytes());
    bytes[31] = 0xff;
    bytes.to_vec()
}

/// A session for `user` created at `T0`, live for a day, whose first refresh
/// token is `token(label)`.
pub fn new_session(user: UserId, label: &str, remember: bool) -> NewSession {
    NewSession {
        id: SessionId::new(),
        user_id: user,
        remember,
        signed_in_with: "password".to_owned(),
        origin: Default::default(),
        created_at: T0,
        expires_at: at(DAY),
        token_hash: token(label),
    }
}

/// Creates `name` and returns its id.
pub async fn user(store: &Store, name: &str) -> UserId {
    let new = new_user(name);
    store.create_user(&new).await.expect("create the test user");
    new.id
}

/// Creates a session (see [`new_session`]) and returns its id.
pub async fn session(store: &Store, user: UserId, label: &str, remember: bool) -> SessionId {
    let new = new_session(user, label, remember);
    store
        .create_session(&new)
        .await
        .expect("create the test session");
    new.id
}

/// A post by `author` at `T0 + ms` with `tags`, no media, no notifications.
pub fn new_post(author: UserId, text: &str, tags: &[&str], ms: i64) -> NewPost {
    NewPost {
        id: PostId::new(),
        author_id: author,
        text: text.to_owned(),
        hashtags: tags.iter().map(|t| (*t).to_owned()).collect(),
        media: Vec::new(),
        notifications: Vec::new(),
        created_at: at(ms),
    }
}

/// Creates a post (see [`new_post`]) and returns its id.
pub async fn post(store: &Store, author: UserId, text: &str, tags: &[&str]) -> PostId {
    let new = new_post(author, text, tags, 0);
    store.create_post(&new).await.expect("create the test post");
    new.id
}

/// A notification for `recipient` caused by `actor`.
pub fn notification(
    recipient: UserId,
    actor: UserId,
    kind: NotificationKind,
    post: Option<PostId>,
    comment: Option<CommentId>,
) -> NewNotification {
    NewNotification {
        id: NotificationId::new(),
        recipient_id: recipient,
        kind,
        actor_id: actor,
        post_id: post,
        comment_id: comment,
        created_at: T0,
    }
}

/// An upload of `owner` created at `T0 + ms`, with object keys named after its id.
pub fn new_media(owner: UserId, ms: i64) -> NewMedia {
    let id = MediaId::new();
    NewMedia {
        id,
        owner_id: owner,
        content_type: "image/jpeg".to_owned(),
        original_key: format!("media/{id}/original.jpg"),
        thumbnail_key: format!("media/{id}/thumb.jpg"),
        width: 640,
        height: 480,
        size_bytes: 12_345,
        created_at: at(ms),
    }
}

/// Stores an upload of `owner` (see [`new_media`]) and returns its id.
pub async fn upload(store: &Store, owner: UserId) -> MediaId {
    let new = new_media(owner, 0);
    store
        .create_media(&new)
        .await
        .expect("create the test media");
    new.id
}

/// A comment on `post` (a reply when `parent` is set), no notifications.
pub fn new_comment(
    post: PostId,
    parent: Option<CommentId>,
    author: UserId,
    text: &str,
) -> NewComment {
    NewComment {
        id: CommentId::new(),
        post_id: post,
        parent_id: parent,
        author_id: author,
        text: text.to_owned(),
        notifications: Vec::new(),
        created_at: T0,
    }
}

/// Creates a comment (see [`new_comment`]) and returns its id.
pub async fn comment(
    store: &Store,
    post: PostId,
    parent: Option<CommentId>,
    author: UserId,
) -> CommentId {
    let new = new_comment(post, parent, author, "a comment");
    store
        .create_comment(&new)
        .await
        .expect("create the test comment")
        .expect("the test comment is accepted");
    new.id
}

/// A message from `sender` in `conversation`, no client id, no media.
pub fn new_message(conversation: ConversationId, sender: UserId, text: &str) -> NewMessage {
    NewMessage {
        id: MessageId::new(),
        conversation_id: conversation,
        sender_id: sender,
        text: text.to_owned(),
        client_id: None,
        media: Vec::new(),
        created_at: T0,
    }
}

/// Sends a message (see [`new_message`]) and returns the stored record.
pub async fn send(
    store: &Store,
    conversation: ConversationId,
    sender: UserId,
    text: &str,
) -> MessageRecord {
    match store
        .send_message(&new_message(conversation, sender, text))
        .await
        .expect("send the test message")
    {
        SendOutcome::Stored(m) => m,
        SendOutcome::Duplicate(m) => panic!("a fresh message was a duplicate: {m:?}"),
    }
}

impl TestDb {
    /// `posts_count`, `followers_count` and `following_count` of `user`.
    pub async fn counters(&self, user: UserId) -> (i64, i64, i64) {
        let u = self
            .user_by_id(user)
            .await
            .expect("look the user up")
            .expect("the user exists");
        (u.posts_count, u.followers_count, u.following_count)
    }
}
