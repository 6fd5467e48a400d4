//! `parley-bench seed`: migrate, then [`Store::seed`]. Progress goes to
//! stderr, the final report to stdout as JSON.

use anyhow::Context;
use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};
use parley_store::seed::{DEFAULT_PASSWORD, DEFAULT_PASSWORD_HASH};
use parley_store::{SeedPlan, Store};

#[derive(Debug, clap::Args)]
pub struct SeedArgs {
    /// `sqlite://path` (created if missing) or `postgres://...`.
    #[arg(long, env = "PARLEY_DATABASE_URL")]
    database_url: String,
    #[arg(long, default_value_t = 10_000)]
    users: usize,
    #[arg(long, default_value_t = 200_000)]
    posts: usize,
    /// Follows per user.
    #[arg(long, default_value_t = 50)]
    follows: usize,
    /// Total likes (default: 2 per post).
    #[arg(long)]
    likes: Option<usize>,
    /// Total comments (default: 1 per 2 posts).
    #[arg(long)]
    comments: Option<usize>,
    /// RNG seed: the same seed gives the same social graph and texts.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Rows per transaction (default: the store's choice per backend).
    #[arg(long)]
    rows_per_transaction: Option<usize>,
    /// Password of every seeded account (hashed once).
    #[arg(long, default_value = DEFAULT_PASSWORD)]
    password: String,
}

/// Argon2id with the server's parameters, so sign-in costs what it costs
/// for real accounts.
fn hash(password: &str) -> anyhow::Result<String> {
    if password == DEFAULT_PASSWORD {
        return Ok(DEFAULT_PASSWORD_HASH.to_owned());
    }
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))
}

pub async fn run(args: SeedArgs) -> anyhow::Result<()> {
    let mut plan = SeedPlan::new(args.users, args.posts);
    plan.follows_per_user = args.follows;
    plan.rng_seed = args.seed;
    plan.password_hash = hash(&args.password)?;
    if let Some(likes) = args.likes {
        plan.likes = likes;
    }
    if let Some(comments) = args.comments {
        plan.comments = comments;
    }
    if let Some(rows) = args.rows_per_transaction {
        plan.rows_per_transaction = Some(rows);
    }
    let store = Store::connect(&args.database_url)
        .await
        .with_context(|| format!("connecting to {}", redact(&args.database_url)))?;
    store.migrate().await.context("migrating")?;
    let report = store
        .seed(&plan, |line| eprintln!("seed: {line}"))
        .await
        .context("seeding")?;
    store.close().await;
    println!(
        "{}",
        serde_json::json!({
            "users": report.users,
            "follows": report.follows,
            "posts": report.posts,
            "hashtags": report.hashtags,
            "likes": report.likes,
            "comments": report.comments,
            "seconds": (report.elapsed.as_secs_f64() * 10.0).round() / 10.0,
        })
    );
    Ok(())
}

/// The URL without its password, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(
            redact("postgres://me:secret@127.0.0.1/db"),
            "postgres://me@127.0.0.1/db"
        );
        assert_eq!(redact("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
    }
}
