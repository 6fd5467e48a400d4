//! `parley-bench`: seeds a database with demo data and drives closed-loop
//! HTTP load at a Parley (or peer) server. `bench/run-social.sh` strings the
//! subcommands together into the social benchmark; `bench/media/run.sh`
//! uses `thumbs` (and `seed`, `tokens`, `load`) for the media benchmark.

mod client;
mod load;
mod seed;
mod thumbs;
mod tokens;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "parley-bench", version, about = "Parley benchmark tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate a database and fill it with users, follows, posts, likes and comments.
    Seed(seed::SeedArgs),
    /// Sign in seeded users and write their access tokens, one per line.
    Tokens(tokens::TokensArgs),
    /// Closed-loop HTTP load: each connection sends its next request as soon
    /// as the previous answer arrives. Prints one JSON object.
    Load(load::LoadArgs),
    /// The media benchmark's Rust side: a test photo, thumbnails per second
    /// in process, and a backlog of thumbnail jobs for a server.
    Thumbs(thumbs::ThumbsArgs),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Seed(args) => seed::run(args).await,
        Command::Tokens(args) => tokens::run(args).await,
        Command::Load(args) => load::run(args).await,
        Command::Thumbs(args) => thumbs::run(args).await,
    }
}
