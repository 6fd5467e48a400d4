//! `parley-bench tokens`: signs in `user1..userN` as native clients and
//! writes their access tokens to a file, one per line, for `load` to rotate
//! through. Sign-in is Argon2-bound (~20 ms of CPU each), so it is done once,
//! before the measured run, never inside it.

use crate::client::{Connection, Target};
use anyhow::{Context, bail};
use http::Method;
use std::path::PathBuf;
use std::time::Duration;

/// One sign-in may queue behind others on the server's hashing semaphore.
const SIGNIN_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, clap::Args)]
pub struct TokensArgs {
    /// The server's origin.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Sign in user1..userCOUNT.
    #[arg(long, default_value_t = 64)]
    count: usize,
    #[arg(long, default_value = parley_store::seed::DEFAULT_PASSWORD)]
    password: String,
    /// Where to write the tokens.
    #[arg(long, default_value = "tokens.txt")]
    out: PathBuf,
    #[arg(long)]
    allow_remote: bool,
}

pub async fn run(args: TokensArgs) -> anyhow::Result<()> {
    let target = Target::parse(&args.url, args.allow_remote)?;
    let mut conn = Connection::open(&target).await?;
    let mut tokens = Vec::with_capacity(args.count);
    for k in 1..=args.count {
        let body = serde_json::to_vec(&serde_json::json!({
            "login": format!("user{k}"),
            "password": args.password,
            "client": "native",
        }))?;
        let request = target.request(Method::POST, "/api/v1/auth/signin", None, Some(body))?;
        let (status, body) = tokio::time::timeout(SIGNIN_TIMEOUT, conn.send(request))
            .await
            .with_context(|| format!("signing in user{k} timed out"))??;
        if !status.is_success() {
            bail!(
                "signing in user{k} failed: {status} {}",
                String::from_utf8_lossy(&body)
            );
        }
        let session: serde_json::Value =
            serde_json::from_slice(&body).context("sign-in answer is not JSON")?;
        let token = session["access_token"]
            .as_str()
            .context("sign-in answer has no access_token")?;
        tokens.push(token.to_owned());
    }
    let mut file = tokens.join("\n");
    file.push('\n');
    std::fs::write(&args.out, file).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!("tokens: wrote {} to {}", tokens.len(), args.out.display());
    Ok(())
}
