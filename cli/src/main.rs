//! `usd1`: the issuer operations CLI.
mod demo;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "usd1", version, about = "USD1 issuer operations")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the full lifecycle on an embedded ledger and print each step with its event.
    Demo,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    match cli.command {
        Command::Demo => runtime.block_on(demo::run()),
    }
}
