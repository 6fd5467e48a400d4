//! The `parley` command: `serve` runs the server, `migrate` applies database
//! migrations and exits. Settings come from flags, `PARLEY_*` variables
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
        Command::Migrate(overrides) => {
            let config = Config::resolve(overrides)?;
            let store = app::open_store(&config).await?;
            store.close().await;
            tracing::info!("migrations applied");
            Ok(())
        }
    }
}
