//! Bulk demo and benchmark data: [`Store::seed`] fills an empty database with
//! users `user1..userN`, a skewed follow graph, posts with hashtags spread over
//! time, likes and threaded comments, with every denormalised counter exact.
//!
//! It bypasses the per-row store methods on purpose: those take one
//! transaction per fact (as the API must), which at a million rows would take
//! many minutes. Instead the whole data set is generated in memory from one
//! seeded RNG (so a seed always gives the same rows), its counters tallied
//! there, and it is written with batched multi-row `INSERT`s.

mod generate;
mod insert;
#[cfg(test)]
mod tests;
mod vocabulary;

use crate::pool::{Db, with_pool};
use crate::{Backend, Store, StoreError};
use generate::{CommentRow, FollowRow, LikeRow, PostRow, SeedData, TagRow, UserRow};
use insert::{Batch, insert_rows};
use parley_core::Timestamp;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The password of every seeded account unless the plan says otherwise.
pub const DEFAULT_PASSWORD: &str = "parley-seed-password";

/// Argon2id (m = 19 MiB, t = 2, p = 1, the server's parameters) of
/// [`DEFAULT_PASSWORD`]. Precomputed because hashing once per user would cost
/// ~20 ms each: minutes for 10k users.
pub const DEFAULT_PASSWORD_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$cGFybGV5LXNlZWQtc2FsdA$hOVPf0aePFjqW7K5bWCLNdX0hnJNl64bsf9d37gBEdA";

/// SQLite writes every page a transaction touched to the WAL at commit, and
/// rows landing all over a secondary index touch a page each: the fewer the
/// commits, the fewer times a hot page is written. 50k rows per transaction
/// seeds twice as fast as 5k; the writer is ours alone while seeding anyway.
pub const SQLITE_ROWS_PER_TRANSACTION: usize = 50_000;
/// PostgreSQL gains nothing from bigger transactions (it is CPU-bound on
/// parsing and index maintenance) and a few thousand rows keep each short.
pub const POSTGRES_ROWS_PER_TRANSACTION: usize = 5_000;

/// SQLite's default `SQLITE_MAX_VARIABLE_NUMBER` since 3.32.
const SQLITE_MAX_BINDS: usize = 32_766;
/// PostgreSQL's wire protocol counts binds in an `i16`-sized field.
const POSTGRES_MAX_BINDS: usize = 65_535;

/// What to seed. [`SeedPlan::new`] gives sensible defaults for the rest;
/// change fields directly (`SeedPlan { follows_per_user: 10, ..SeedPlan::new(100, 1_000) }`).
#[derive(Debug, Clone)]
pub struct SeedPlan {
    /// Accounts `user1..userN`, emails `userK@example.com`.
    pub users: usize,
    pub posts: usize,
    /// Each user follows this many distinct others (capped at `users - 1`),
    /// picked with a power-law-ish skew so a few accounts have most followers.
    pub follows_per_user: usize,
    /// Total likes (distinct user/post pairs, capped at `users * posts`).
    pub likes: usize,
    /// Total comments; about 30% are replies to an earlier comment.
    pub comments: usize,
    /// One precomputed Argon2id hash shared by every account.
    pub password_hash: String,
    /// Seeds the RNG: the same plan (with a fixed `end_at`) gives the same rows.
    pub rng_seed: u64,
    /// The newest post is just before this instant; defaults to now, so the
    /// demo data looks fresh. Fix it for byte-identical runs.
    pub end_at: Timestamp,
    /// Posts are spread over this span before `end_at` (widened to at least
    /// one millisecond per post: each post has its own millisecond).
    pub span: Duration,
    /// Rows per transaction; `None` picks per backend (see
    /// [`SQLITE_ROWS_PER_TRANSACTION`]).
    pub rows_per_transaction: Option<usize>,
}

impl SeedPlan {
    /// `users` accounts and `posts` posts with 50 follows per user, two likes
    /// and half a comment per post on average, the password
    /// [`DEFAULT_PASSWORD`], RNG seed 42 and posts over the last 90 days.
    pub fn new(users: usize, posts: usize) -> Self {
        Self {
            users,
            posts,
            follows_per_user: 50,
            likes: posts.saturating_mul(2),
            comments: posts / 2,
            password_hash: DEFAULT_PASSWORD_HASH.to_owned(),
            rng_seed: 42,
            end_at: Timestamp::now(),
            span: Duration::from_secs(90 * 24 * 3600),
            rows_per_transaction: None,
        }
    }
}

/// What [`Store::seed`] inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    pub users: usize,
    pub follows: usize,
    pub posts: usize,
    pub hashtags: usize,
    pub likes: usize,
    pub comments: usize,
    pub elapsed: Duration,
}

impl Store {
    /// Inserts the world described by `plan` into an already migrated
    /// database with no seeded users yet (`user1` existing is a `Conflict`
    /// `already_seeded`). `progress` receives one-line status messages.
    pub async fn seed(
        &self,
        plan: &SeedPlan,
        progress: impl Fn(&str),
    ) -> Result<SeedReport, StoreError> {
        let started = Instant::now();
        check(plan)?;
        if plan.users > 0 && self.user_by_username("user1").await?.is_some() {
            return Err(StoreError::Conflict(parley_core::ErrorCode::AlreadySeeded));
        }
        progress(&format!(
            "generating {} users, {} posts (seed {})",
            plan.users, plan.posts, plan.rng_seed
        ));
        let owned = plan.clone();
        // Generating 200k posts is a second of pure CPU: keep it off the runtime.
        let data = tokio::task::spawn_blocking(move || SeedData::generate(&owned))
            .await
            .map_err(|_| StoreError::Invariant("the seed generator panicked"))?;
        let (max_binds, default_rows) = match self.backend() {
            Backend::Sqlite => (SQLITE_MAX_BINDS, SQLITE_ROWS_PER_TRANSACTION),
            Backend::Postgres => (POSTGRES_MAX_BINDS, POSTGRES_ROWS_PER_TRANSACTION),
        };
        let rows_per_transaction = plan.rows_per_transaction.unwrap_or(default_rows).max(1);
        self.sqlite_seed_cache(true).await?;
        let inserted = self
            .insert(plan, &data, (max_binds, rows_per_transaction), &progress)
            .await;
        // Back to the normal cache even when the insert failed half-way.
        self.sqlite_seed_cache(false).await?;
        inserted?;
        // The rows went in without their search terms: the next start indexes them.
        self.reset_search_backfill().await?;
        let report = SeedReport {
            users: data.users.len(),
            follows: data.follows.len(),
            posts: data.posts.len(),
            hashtags: data.tags.len(),
            likes: data.likes.len(),
            comments: data.comments.len(),
            elapsed: started.elapsed(),
        };
        progress(&format!("done in {:.1}s", report.elapsed.as_secs_f64()));
        Ok(report)
    }

    /// On SQLite, gives the writer connection a big page cache while seeding
    /// (or puts the default back). The secondary indexes (followers of each
    /// user, likes of each user) receive rows all over their key space; with
    /// the default 2 MiB cache nearly every row is a page read and write, and
    /// seeding slows to a crawl as the tables outgrow it.
    async fn sqlite_seed_cache(&self, big: bool) -> Result<(), StoreError> {
        if let Db::Sqlite { write, .. } = &self.db {
            let pragma = if big {
                "PRAGMA cache_size = -262144"
            } else {
                "PRAGMA cache_size = -2000"
            };
            sqlx::query(pragma).execute(write).await?;
        }
        Ok(())
    }

    /// Writes `data` table by table, parents before children.
    async fn insert(
        &self,
        plan: &SeedPlan,
        data: &SeedData,
        (max_binds, rows_per_transaction): (usize, usize),
        progress: &dyn Fn(&str),
    ) -> Result<(), StoreError> {
        let batch = |table, head, columns| Batch {
            table,
            head,
            columns,
            rows_per_transaction,
            max_binds,
        };
        let users = &data.users;
        let user_id = |i: u32| users[i as usize].id;
        let post_id = |i: u32| data.posts[i as usize].id;
        // PostgreSQL spends its time parsing and indexing server-side, one
        // core per connection, so tables that do not depend on each other go
        // in at once. SQLite has one writer: interleaving would only make the
        // tables' pages fight over its cache.
        let parallel = self.backend() == Backend::Postgres;
        with_pool!(self, write, |pool| {
            async {
                insert_rows(
                    pool,
                    batch("users", USERS, 11),
                    users,
                    progress,
                    |mut row, u: &UserRow| {
                        row.push_bind(u.id)
                            .push_bind(u.username.as_str())
                            .push_bind(u.email.as_str())
                            .push_bind(plan.password_hash.as_str())
                            .push_bind(u.display_name.as_str())
                            .push_bind(u.display_name.to_lowercase())
                            .push_bind(u.created_at)
                            .push_bind(u.created_at)
                            .push_bind(u.followers)
                            .push_bind(u.following)
                            .push_bind(u.posts);
                    },
                )
                .await?;
                let follows = insert_rows(
                    pool,
                    batch("follows", FOLLOWS, 3),
                    &data.follows,
                    progress,
                    |mut row, f: &FollowRow| {
                        row.push_bind(user_id(f.follower))
                            .push_bind(user_id(f.followee))
                            .push_bind(f.created_at);
                    },
                );
                let posts = insert_rows(
                    pool,
                    batch("posts", POSTS, 6),
                    &data.posts,
                    progress,
                    |mut row, p: &PostRow| {
                        row.push_bind(p.id)
                            .push_bind(user_id(p.author))
                            .push_bind(p.text.as_str())
                            .push_bind(p.likes)
                            .push_bind(p.comments)
                            .push_bind(p.created_at);
                    },
                );
                both(parallel, follows, posts).await?;
                let tags = insert_rows(
                    pool,
                    batch("post_hashtags", TAGS, 2),
                    &data.tags,
                    progress,
                    |mut row, t: &TagRow| {
                        row.push_bind(post_id(t.post)).push_bind(t.tag);
                    },
                );
                let likes = insert_rows(
                    pool,
                    batch("post_likes", LIKES, 3),
                    &data.likes,
                    progress,
                    |mut row, l: &LikeRow| {
                        row.push_bind(post_id(l.post))
                            .push_bind(user_id(l.user))
                            .push_bind(l.created_at);
                    },
                );
                let comments = insert_rows(
                    pool,
                    batch("comments", COMMENTS, 7),
                    &data.comments,
                    progress,
                    |mut row, c: &CommentRow| {
                        let parent: Option<Uuid> = c.parent.map(|i| data.comments[i as usize].id);
                        row.push_bind(c.id)
                            .push_bind(post_id(c.post))
                            .push_bind(parent)
                            .push_bind(user_id(c.author))
                            .push_bind(c.text.as_str())
                            .push_bind(c.replies)
                            .push_bind(c.created_at);
                    },
                );
                both(parallel, both(parallel, tags, likes), comments).await?;
                // The planner's statistics still describe empty tables; a
                // server started right after the seed would plan with them.
                progress("analyzing");
                sqlx::query("ANALYZE").execute(pool).await?;
                Ok::<(), sqlx::Error>(())
            }
            .await
        })?;
        Ok(())
    }
}

/// Runs `a` and `b` concurrently when `parallel`, else one after the other.
async fn both<E>(
    parallel: bool,
    a: impl Future<Output = Result<(), E>>,
    b: impl Future<Output = Result<(), E>>,
) -> Result<(), E> {
    if parallel {
        futures::try_join!(a, b)?;
    } else {
        a.await?;
        b.await?;
    }
    Ok(())
}

const USERS: &str = "INSERT INTO users (id, username, email, password_hash, display_name, \
    display_name_key, created_at, updated_at, followers_count, following_count, posts_count) ";
const FOLLOWS: &str = "INSERT INTO follows (follower_id, followee_id, created_at) ";
const POSTS: &str =
    "INSERT INTO posts (id, author_id, text, like_count, comment_count, created_at) ";
const TAGS: &str = "INSERT INTO post_hashtags (post_id, tag) ";
const LIKES: &str = "INSERT INTO post_likes (post_id, user_id, created_at) ";
const COMMENTS: &str = "INSERT INTO comments (id, post_id, parent_id, author_id, text, \
    reply_count, created_at) ";

/// Refuses plans the generator cannot honour: rows are indexed by `u32`.
fn check(plan: &SeedPlan) -> Result<(), StoreError> {
    let limit = u32::MAX as usize;
    if plan.users > limit || plan.posts > limit || plan.comments > limit {
        return Err(StoreError::Config("seed plan too large".into()));
    }
    if plan.users == 0 && plan.posts > 0 {
        return Err(StoreError::Config("posts need at least one user".into()));
    }
    Ok(())
}
