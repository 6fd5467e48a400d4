//! The seed on both backends: every counter equals the count of the facts it
//! counts, ids are UUIDv7 in time order, and the same seed gives the same rows.
//! PostgreSQL needs `PARLEY_TEST_POSTGRES_URL`; unset is a failure, not a skip.

use super::*;
use argon2::{Argon2, PasswordHash, PasswordVerifier};
use sqlx::Connection;

/// A small world with every feature present: replies, shared tags, skew.
fn plan() -> SeedPlan {
    SeedPlan {
        follows_per_user: 8,
        likes: 1_500,
        comments: 400,
        rng_seed: 7,
        end_at: Timestamp::from_millis(1_750_000_000_000),
        span: Duration::from_secs(7 * 24 * 3600),
        // Small transactions so the chunking is exercised too.
        rows_per_transaction: Some(97),
        ..SeedPlan::new(40, 600)
    }
}

/// A migrated SQLite store in a temporary directory.
async fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("seed.db").display());
    let store = Store::connect(&url).await.expect("open SQLite");
    store.migrate().await.expect("migrate SQLite");
    (store, dir)
}

fn postgres_url() -> String {
    std::env::var("PARLEY_TEST_POSTGRES_URL").expect(
        "PARLEY_TEST_POSTGRES_URL must point at a PostgreSQL server \
         (e.g. postgres://postgres@127.0.0.1:5432/parley_test): the seed tests run on both backends",
    )
}

/// A migrated store in a fresh schema; returns the schema to drop.
async fn postgres() -> (Store, String) {
    let schema = format!("t_{}", Uuid::now_v7().simple());
    let store = Store::connect_postgres_schema(&postgres_url(), &schema)
        .await
        .expect("connect to PostgreSQL");
    store.migrate().await.expect("migrate PostgreSQL");
    (store, schema)
}

async fn drop_schema(store: Store, schema: &str) {
    store.close().await;
    let mut conn = sqlx::PgConnection::connect(&postgres_url())
        .await
        .expect("admin connection");
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&mut conn)
        .await
        .expect("drop the test schema");
}

async fn scalar(store: &Store, sql: &'static str) -> i64 {
    with_pool!(store, read, |pool| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .expect(sql))
}

/// Seeds `plan()` and checks everything that can be checked with SQL.
async fn seeds_exact_counters(store: &Store) {
    let report = store.seed(&plan(), |_| {}).await.expect("seed");
    assert_eq!(report.users, 40);
    assert_eq!(report.posts, 600);
    assert_eq!(report.follows, 40 * 8);
    assert_eq!(report.likes, 1_500);
    assert_eq!(report.comments, 400);

    let rows = [
        (
            "users",
            scalar(store, "SELECT COUNT(*) FROM users").await,
            report.users,
        ),
        (
            "follows",
            scalar(store, "SELECT COUNT(*) FROM follows").await,
            report.follows,
        ),
        (
            "posts",
            scalar(store, "SELECT COUNT(*) FROM posts").await,
            report.posts,
        ),
        (
            "tags",
            scalar(store, "SELECT COUNT(*) FROM post_hashtags").await,
            report.hashtags,
        ),
        (
            "likes",
            scalar(store, "SELECT COUNT(*) FROM post_likes").await,
            report.likes,
        ),
        (
            "comments",
            scalar(store, "SELECT COUNT(*) FROM comments").await,
            report.comments,
        ),
    ];
    for (table, stored, reported) in rows {
        assert_eq!(
            stored,
            i64::try_from(reported).expect("small"),
            "{table} rows"
        );
    }

    let wrong_users = scalar(
        store,
        "SELECT COUNT(*) FROM users u WHERE \
         u.followers_count <> (SELECT COUNT(*) FROM follows f WHERE f.followee_id = u.id) \
         OR u.following_count <> (SELECT COUNT(*) FROM follows f WHERE f.follower_id = u.id) \
         OR u.posts_count <> (SELECT COUNT(*) FROM posts p WHERE p.author_id = u.id)",
    )
    .await;
    assert_eq!(wrong_users, 0, "users with a wrong counter");
    let wrong_posts = scalar(
        store,
        "SELECT COUNT(*) FROM posts p WHERE \
         p.like_count <> (SELECT COUNT(*) FROM post_likes l WHERE l.post_id = p.id) \
         OR p.comment_count <> (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id)",
    )
    .await;
    assert_eq!(wrong_posts, 0, "posts with a wrong counter");
    let wrong_comments = scalar(
        store,
        "SELECT COUNT(*) FROM comments c WHERE \
         c.reply_count <> (SELECT COUNT(*) FROM comments r WHERE r.parent_id = c.id)",
    )
    .await;
    assert_eq!(wrong_comments, 0, "comments with a wrong reply_count");

    // Some of each thing the demo should show.
    let replies = scalar(
        store,
        "SELECT COUNT(*) FROM comments WHERE parent_id IS NOT NULL",
    )
    .await;
    assert!(replies > 25, "only {replies} replies");
    assert!(
        scalar(
            store,
            "SELECT COUNT(*) FROM post_hashtags WHERE tag = '안녕'"
        )
        .await
            > 0
    );
    assert_eq!(
        scalar(
            store,
            "SELECT COUNT(*) FROM follows WHERE follower_id = followee_id"
        )
        .await,
        0,
        "nobody follows themselves"
    );
    // Replies are newer than their parents, so `ORDER BY id` threads read in order.
    assert_eq!(
        scalar(
            store,
            "SELECT COUNT(*) FROM comments r JOIN comments p ON p.id = r.parent_id \
             WHERE r.id <= p.id OR r.created_at <= p.created_at OR r.post_id <> p.post_id"
        )
        .await,
        0
    );
    // Every tag is in its post's text.
    let tagged: Vec<(String, String)> = with_pool!(store, read, |pool| sqlx::query_as(
        "SELECT t.tag, p.text FROM post_hashtags t JOIN posts p ON p.id = t.post_id"
    )
    .fetch_all(pool)
    .await
    .expect("tags with texts"));
    for (tag, text) in &tagged {
        assert!(
            text.contains(&format!("#{tag}")),
            "#{tag} missing from {text:?}"
        );
    }

    // Post ids are UUIDv7 stamped with created_at, and id order is time order.
    let posts: Vec<(Uuid, i64)> = with_pool!(store, read, |pool| sqlx::query_as(
        "SELECT id, created_at FROM posts ORDER BY id"
    )
    .fetch_all(pool)
    .await
    .expect("posts"));
    for pair in posts.windows(2) {
        assert!(pair[0].1 < pair[1].1, "id order is not time order");
    }
    for (id, created_at) in &posts {
        assert_eq!(id.get_version_num(), 7);
        let (secs, nanos) = id.get_timestamp().expect("v7 timestamp").to_unix();
        let ms = i64::try_from(secs * 1000).expect("ms") + i64::from(nanos / 1_000_000);
        assert_eq!(ms, *created_at);
    }
    assert!(posts.iter().all(|(_, at)| *at < 1_750_000_000_000));

    // The accounts work with the default password.
    let user = store
        .user_by_login("user17@example.com")
        .await
        .expect("lookup")
        .expect("user17 exists");
    assert_eq!(user.username, "user17");
    assert_eq!(user.password_hash.as_deref(), Some(DEFAULT_PASSWORD_HASH));

    // Seeding twice is refused before anything is written.
    assert!(matches!(
        store.seed(&plan(), |_| {}).await,
        Err(StoreError::Conflict(parley_core::ErrorCode::AlreadySeeded))
    ));
    assert_eq!(scalar(store, "SELECT COUNT(*) FROM users").await, 40);
}

#[tokio::test]
async fn sqlite_seed_has_exact_counters() {
    let (store, _dir) = sqlite().await;
    seeds_exact_counters(&store).await;
    store.close().await;
}

#[tokio::test]
async fn postgres_seed_has_exact_counters() {
    let (store, schema) = postgres().await;
    seeds_exact_counters(&store).await;
    drop_schema(store, &schema).await;
}

/// More follows and likes asked for than exist: everything possible, once.
async fn dense_plan_saturates(store: &Store) {
    let plan = SeedPlan {
        follows_per_user: 100,
        likes: 1_000,
        comments: 30,
        rows_per_transaction: Some(7),
        ..SeedPlan::new(6, 20)
    };
    let report = store.seed(&plan, |_| {}).await.expect("seed");
    assert_eq!(report.follows, 6 * 5);
    assert_eq!(report.likes, 6 * 20);
    assert_eq!(scalar(store, "SELECT COUNT(*) FROM post_likes").await, 120);
    assert_eq!(
        scalar(
            store,
            "SELECT COUNT(*) FROM users WHERE followers_count <> 5 OR following_count <> 5"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn sqlite_dense_plan_saturates() {
    let (store, _dir) = sqlite().await;
    dense_plan_saturates(&store).await;
    store.close().await;
}

#[tokio::test]
async fn postgres_dense_plan_saturates() {
    let (store, schema) = postgres().await;
    dense_plan_saturates(&store).await;
    drop_schema(store, &schema).await;
}

#[tokio::test]
async fn empty_plan_inserts_nothing() {
    let (store, _dir) = sqlite().await;
    let report = store
        .seed(&SeedPlan::new(0, 0), |_| {})
        .await
        .expect("seed");
    assert_eq!((report.users, report.posts, report.likes), (0, 0, 0));
    assert!(store.seed(&SeedPlan::new(0, 5), |_| {}).await.is_err());
    store.close().await;
}

#[test]
fn same_seed_same_rows_other_seed_other_rows() {
    let a = SeedData::generate(&plan());
    let b = SeedData::generate(&plan());
    let c = SeedData::generate(&SeedPlan {
        rng_seed: 8,
        ..plan()
    });
    let ids = |d: &SeedData| d.posts.iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(
        a.comments.iter().map(|c| c.id).collect::<Vec<_>>(),
        b.comments.iter().map(|c| c.id).collect::<Vec<_>>()
    );
    assert_ne!(ids(&a), ids(&c));
}

#[test]
fn follow_graph_is_skewed() {
    let data = SeedData::generate(&SeedPlan::new(2_000, 0));
    let mut followers: Vec<i64> = data.users.iter().map(|u| u.followers).collect();
    followers.sort_unstable_by(|a, b| b.cmp(a));
    let top_tenth: i64 = followers[..200].iter().sum();
    let all: i64 = followers.iter().sum();
    assert!(
        top_tenth * 10 > all * 3,
        "the top 10% should have well over 30% of follows ({top_tenth} of {all})"
    );
}

#[test]
fn default_hash_is_the_default_password() {
    let hash = PasswordHash::new(DEFAULT_PASSWORD_HASH).expect("a PHC string");
    assert_eq!(hash.algorithm.as_str(), "argon2id");
    Argon2::default()
        .verify_password(DEFAULT_PASSWORD.as_bytes(), &hash)
        .expect("DEFAULT_PASSWORD_HASH verifies DEFAULT_PASSWORD");
}
