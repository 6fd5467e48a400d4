//! Connecting, migrating, pinging and closing.

use crate::support::{
    Backend, T0, at, expiring_at, fresh_store, new_user, postgres_url, token, user,
};
use parley_store::{Store, StoreError};

/// Needs no database: the scheme is refused before anything is opened.
#[tokio::test]
async fn unsupported_url_scheme_is_an_error() {
    for url in [
        "mysql://root@127.0.0.1/parley",
        "parley.db",
        "http://example.com/db",
        "",
    ] {
        match Store::connect(url).await {
            Err(StoreError::Config(why)) => assert!(why.contains("unsupported"), "{url:?}: {why}"),
            other => {
                panic!("connect({url:?}) should fail with an unsupported scheme, got {other:?}")
            }
        }
    }
}

/// Needs no database: the schema name is checked before connecting, since it
/// is spliced into SQL.
#[tokio::test]
async fn invalid_postgres_schema_name_is_rejected() {
    for schema in ["t; DROP TABLE users", "a-b", "\"quoted\"", "sp ace"] {
        let got =
            Store::connect_postgres_schema("postgres://postgres@127.0.0.1:1/none", schema).await;
        assert!(
            matches!(got, Err(StoreError::Config(_))),
            "schema {schema:?} was accepted: {got:?}"
        );
    }
}

pub async fn fresh_store_is_migrated_and_answers(backend: Backend) {
    let db = fresh_store(backend).await;
    assert_eq!(db.backend(), backend.store_backend());
    db.ping().await.expect("ping a fresh store");
    // Migrated, and empty.
    assert_eq!(db.count("SELECT COUNT(*) FROM users").await, 0);
    assert_eq!(db.count("SELECT COUNT(*) FROM sessions").await, 0);
    assert_eq!(db.count("SELECT COUNT(*) FROM refresh_tokens").await, 0);
    assert!(
        db.user_by_login("nobody")
            .await
            .expect("query a fresh store")
            .is_none()
    );

    if backend == Backend::Postgres {
        // The plain URL (no per-test schema) connects too, as the server does.
        let plain = Store::connect(&postgres_url())
            .await
            .expect("connect with the plain PostgreSQL URL");
        assert_eq!(plain.backend(), parley_store::Backend::Postgres);
        plain.ping().await.expect("ping the plain PostgreSQL store");
        plain.close().await;
    }
    db.close().await;
}

pub async fn migrating_twice_is_a_no_op(backend: Backend) {
    let db = fresh_store(backend).await;
    let applied = db.count("SELECT COUNT(*) FROM _sqlx_migrations").await;
    assert!(applied >= 1, "the first migrate() recorded no migration");
    let alice = user(&db, "alice").await;

    db.migrate()
        .await
        .expect("second migrate() on the same store");
    // As after a restart: a new store on the same database migrates again.
    let reopened = db.reopen().await;
    reopened
        .migrate()
        .await
        .expect("migrate() from a reopened store");

    assert_eq!(
        db.count("SELECT COUNT(*) FROM _sqlx_migrations").await,
        applied
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM users").await, 1);
    let found = reopened
        .user_by_id(alice)
        .await
        .expect("look up")
        .expect("alice survives re-migration");
    assert_eq!(found.username, "alice");
    reopened.close().await;
}

pub async fn closed_store_is_unavailable(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    db.close().await;

    let read = db.user_by_id(alice).await;
    assert!(
        matches!(read, Err(StoreError::Unavailable(_))),
        "read after close: {read:?}"
    );
    let write = db.create_user(&new_user("bob")).await;
    assert!(
        matches!(write, Err(StoreError::Unavailable(_))),
        "write after close: {write:?}"
    );
    let ping = db.ping().await;
    assert!(
        matches!(ping, Err(StoreError::Unavailable(_))),
        "ping after close: {ping:?}"
    );
    let rotate = db
        .rotate_refresh_token(&token("a"), &token("b"), T0, expiring_at(at(1)))
        .await;
    assert!(
        matches!(rotate, Err(StoreError::Unavailable(_))),
        "rotate after close: {rotate:?}"
    );

    // What was committed before close() is durable.
    let reopened = db.reopen().await;
    assert!(
        reopened
            .user_by_id(alice)
            .await
            .expect("look up after reopen")
            .is_some()
    );
    reopened.close().await;
}

/// A failed statement is a `Database` error whose source is the sqlx error,
/// and converting it into the domain error keeps that chain (the store error
/// is boxed whole), so the logs can print every cause.
pub async fn database_errors_keep_their_cause(backend: Backend) {
    let db = fresh_store(backend).await;
    // A session for a user that does not exist breaks a foreign key.
    let orphan = crate::support::new_session(parley_core::UserId::new(), "orphan", false);
    let err = db
        .create_session(&orphan)
        .await
        .expect_err("a session of an unknown user violates the foreign key");
    let StoreError::Database(cause) = &err else {
        panic!("expected StoreError::Database, got {err:?}");
    };
    assert!(
        cause.as_database_error().is_some(),
        "the source is the driver's database error: {cause:?}"
    );
    assert!(
        std::error::Error::source(&err).is_some_and(|s| s.is::<sqlx::Error>()),
        "StoreError::source() is the sqlx error"
    );

    let domain = parley_core::Error::from(err);
    let parley_core::Error::Internal(boxed) = &domain else {
        panic!("a database failure is internal, got {domain:?}");
    };
    assert!(boxed.is::<StoreError>(), "the store error is boxed whole");
    let mut chain = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(&domain);
    while let Some(e) = next {
        chain.push(e.to_string());
        next = e.source();
    }
    assert!(
        chain.len() >= 3,
        "domain error -> store error -> sqlx error (-> driver), got {chain:?}"
    );
    assert!(
        chain
            .iter()
            .any(|m| m.to_lowercase().contains("foreign key")),
        "the driver's message survives in the chain: {chain:?}"
    );

    // The two errors a caller acts on map to their own domain variants.
    assert!(matches!(
        parley_core::Error::from(StoreError::Conflict(parley_core::ErrorCode::UsernameTaken)),
        parley_core::Error::Refused(parley_core::ErrorCode::UsernameTaken)
    ));
    assert!(matches!(
        parley_core::Error::from(StoreError::MediaUnavailable),
        parley_core::Error::Refused(parley_core::ErrorCode::MediaAlreadyAttached)
    ));
    db.close().await;
}
