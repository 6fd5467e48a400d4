//! The `parley` command: `serve` runs the server, `migrate` applies database
//! migrations and exits, `seed` fills a demo database, `admin grant|revoke`
//! sets who may moderate. Settings come from flags, `PARLEY_*` variables
//! (`.env` is loaded first), then `parley.toml`.

use clap::{Parser, Subcommand};
use parley_server::config::{Config, Overrides};
use parley_server::{Application, app, telemetry};

#[derive(Debug, Parser)]
#[command(
    name = "parley",
    version,
    about = "Parley: social network and real-time chat server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server (REST API, realtime gateway, background jobs).
    Serve(Overrides),
    /// Apply database migrations and exit.
    Migrate(Overrides),
    /// Fill the database with demo data: users user1..userN (password
    /// `parley-seed-password`), a follow graph, posts with hashtags, likes and comments.
    Seed(SeedArgs),
    /// Manage who may moderate: `parley admin grant USERNAME` makes an
    /// account an admin, `revoke` makes it an ordinary user again (both
    /// recorded in the audit log, with no actor).
    Admin(AdminArgs),
}

#[derive(Debug, clap::Args)]
struct AdminArgs {
    #[command(subcommand)]
    action: AdminAction,
}

#[derive(Debug, Subcommand)]
enum AdminAction {
    /// Give USERNAME the admin role.
    Grant(RoleArgs),
    /// Take the admin role from USERNAME.
    Revoke(RoleArgs),
}

#[derive(Debug, clap::Args)]
struct RoleArgs {
    #[command(flatten)]
    overrides: Overrides,
    /// The account's username.
    username: String,
}

#[derive(Debug, clap::Args)]
struct SeedArgs {
    #[command(flatten)]
    overrides: Overrides,
    /// How many users.
    #[arg(long, default_value_t = 1000)]
    users: usize,
    /// How many posts.
    #[arg(long, default_value_t = 20_000)]
    posts: usize,
    /// How many others each user follows.
    #[arg(long, default_value_t = 50)]
    follows: usize,
    /// RNG seed: the same seed gives the same data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // A missing .env is normal; a malformed one is worth knowing about.
    if let Err(e) = dotenvy::dotenv()
        && !e.not_found()
    {
        eprintln!("warning: ignoring .env: {e}");
    }
    telemetry::init();
    match Cli::parse().command {
        Command::Serve(overrides) => {
            let app = Application::build(Config::resolve(overrides)?).await?;
            app.run(app::shutdown_signal()).await
        }
        Command::Seed(args) => {
            let config = Config::resolve(args.overrides)?;
            let store = app::open_store(&config).await?;
            let plan = parley_store::SeedPlan {
                follows_per_user: args.follows,
                rng_seed: args.seed,
                ..parley_store::SeedPlan::new(args.users, args.posts)
            };
            let report = store.seed(&plan, |line| tracing::info!("{line}")).await;
            store.close().await;
            let report = report?;
            tracing::info!(
                users = report.users,
                posts = report.posts,
                follows = report.follows,
                likes = report.likes,
                comments = report.comments,
                elapsed_ms = report.elapsed.as_millis(),
                "seeded; every account's password is {}",
                parley_store::seed::DEFAULT_PASSWORD
            );
            Ok(())
        }
        Command::Admin(args) => {
            let (args, admin) = match args.action {
                AdminAction::Grant(args) => (args, true),
                AdminAction::Revoke(args) => (args, false),
            };
            let config = Config::resolve(args.overrides)?;
            let store = app::open_store(&config).await?;
            let changed = parley_server::services::moderation::set_role_from_cli(
                &store,
                &args.username,
                admin,
            )
            .await;
            store.close().await;
            let role = if admin { "admin" } else { "user" };
            match changed {
                Ok(true) => tracing::info!(username = %args.username, role, "role changed"),
                Ok(false) => {
                    tracing::info!(username = %args.username, role, "role unchanged: it was so already")
                }
                Err(parley_core::Error::NotFound) => {
                    anyhow::bail!("no account is named {:?}", args.username)
                }
                Err(e) => return Err(anyhow::anyhow!(e)),
            }
            Ok(())
        }
        Command::Migrate(overrides) => {
            let config = Config::resolve(overrides)?;
            let store = app::open_store(&config).await?;
            store.close().await;
            tracing::info!("migrations applied");
            Ok(())
        }
    }
}
