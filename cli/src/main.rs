//! `usd1`: the issuer operations CLI.
//!
//! Every SPEC op is a subcommand with the same names as the drill format; issuer
//! staff sign with their own keys (`--keypair`), offline if need be
//! (`--sign-only`, `--nonce`, `--signer`, `send-signed`).
mod chain;
mod commands;
mod context;
mod demo;
mod drill;
mod follow;
mod hints;
mod ledger_store;
mod localnet;
mod ops;
mod output;
mod people;
mod signing;

use clap::{Args, Parser, Subcommand, ValueEnum};
use solana_hash::Hash;
use solana_pubkey::Pubkey;
use std::{path::PathBuf, process::ExitCode};

#[derive(Parser)]
#[command(name = "usd1", version, about = "USD1 issuer operations: every SPEC op, read commands, drills and the demo")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// `--commitment`, as the Solana CLI names the levels.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Commitment {
    Processed,
    Confirmed,
    Finalized,
}

impl Commitment {
    pub fn config(self) -> solana_commitment_config::CommitmentConfig {
        use solana_commitment_config::CommitmentConfig;
        match self {
            Commitment::Processed => CommitmentConfig::processed(),
            Commitment::Confirmed => CommitmentConfig::confirmed(),
            Commitment::Finalized => CommitmentConfig::finalized(),
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Cluster: localhost, devnet, testnet, mainnet-beta or a URL [default: the Solana CLI config's, else localhost]
    #[arg(long, short = 'u', global = true, value_parser = chain::parse_cluster_url)]
    pub url: Option<String>,
    /// How settled what a cluster reports must be: reads and send confirmations at this level
    /// (history at `confirmed` at least). `finalized` waits ~13 s per transaction on a live cluster.
    #[arg(long, global = true, value_enum, default_value_t = Commitment::Confirmed)]
    pub commitment: Commitment,
    /// Use an embedded ledger kept in this file (SQLite, one writer at a time) instead of a
    /// cluster. Only `initialize`, `drill run` and `localnet` create a missing one.
    #[arg(long, global = true, conflicts_with = "url")]
    pub ledger: Option<PathBuf>,
    /// Whether this command may create a missing --ledger file (set from the command, not a flag).
    #[arg(skip)]
    pub ledger_may_create: bool,
    /// The signer's keypair file [default: the Solana CLI config's keypair]
    #[arg(long, short = 'k', global = true)]
    pub keypair: Option<PathBuf>,
    /// The fee payer's keypair file [default: --keypair]
    #[arg(long, global = true)]
    pub fee_payer: Option<PathBuf>,
    /// The USD1 program id (this build targets one program id; see migrations/README.md)
    #[arg(long, global = true)]
    pub program_id: Option<Pubkey>,
    /// The mint (a public key or its keypair file) [default: USD1_MINT, else `usd1 config set --mint`]
    #[arg(long, global = true)]
    pub mint: Option<String>,
    /// For `initialize`: the new mint's keypair file (created if missing)
    #[arg(long, global = true)]
    pub mint_keypair: Option<PathBuf>,
    #[arg(long, global = true, value_enum, default_value = "text")]
    pub output: OutputFormat,
    /// Simulate and report, without sending.
    #[arg(long, global = true)]
    pub simulate: bool,
    /// Sign with the keys at hand and print the message and signatures instead of sending.
    #[arg(long, global = true)]
    pub sign_only: bool,
    /// Use this blockhash (with --sign-only on an offline machine, or a nonce's value).
    #[arg(long, global = true)]
    pub blockhash: Option<Hash>,
    /// Use this durable nonce account (prepends AdvanceNonceAccount).
    #[arg(long, global = true)]
    pub nonce: Option<Pubkey>,
    /// The nonce authority's keypair file [default: --keypair]
    #[arg(long, global = true)]
    pub nonce_authority: Option<PathBuf>,
    /// A signature collected elsewhere: PUBKEY=SIGNATURE (repeatable).
    #[arg(long = "signer", global = true, value_name = "PUBKEY=SIGNATURE")]
    pub signers: Vec<String>,
    /// The mint's decimals, for preparing amounts offline [default: read from the chain]
    #[arg(long, global = true)]
    pub decimals: Option<u8>,
    /// Embedded ledgers (demo, drill run, localnet, --ledger) run this built usd1.so in the SBF VM
    /// [default: $USD1_PROGRAM_SO, else ./target/deploy/usd1.so when built from the current sources,
    /// else the native program]
    #[arg(long, global = true, value_name = "FILE")]
    pub program_so: Option<PathBuf>,
    /// Priority fee in micro-lamports per compute unit (a SetComputeUnitPrice instruction; every
    /// transaction also carries a compute-unit limit sized from the program's measured costs).
    #[arg(long, global = true, value_name = "MICRO_LAMPORTS")]
    pub with_compute_unit_price: Option<u64>,
    /// Compute-unit limit for the transaction instead of the one sized from the program's measured
    /// costs (at most 1,400,000); for an offline signature whose published limit proved too small.
    #[arg(long, global = true, value_name = "UNITS", value_parser = clap::value_parser!(u32).range(1..=1_400_000))]
    pub compute_unit_limit: Option<u32>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    #[command(flatten)]
    Op(ops::OpSpec),
    /// Roles, pause scopes, supply, counters, council and the reserve attestation.
    Status,
    /// The deployment check (SPEC 14) integrators run before listing: the program's bytes against
    /// --program-so and its upgrade authority, the mint's extensions and authorities, the hook's
    /// account list, the Config's roles, council, limits and pause flags. Exit 1 on any failure.
    Verify {
        /// The upgrade authority the project announced: the council vault's key, or `none` for an immutable program.
        #[arg(long, value_name = "KEY|none")]
        expect_upgrade_authority: Option<usd1_client::verify::ExpectedUpgradeAuthority>,
    },
    /// Hand the deployed program's upgrade authority to the council's vault, or make the program
    /// immutable (`none`, irreversible). Signed by the current upgrade authority (--keypair).
    SetUpgradeAuthority {
        /// The new upgrade authority (the council's Squads vault: it need not sign), or `none`.
        #[arg(long, value_name = "KEY|none")]
        new_upgrade_authority: usd1_client::verify::ExpectedUpgradeAuthority,
        /// Required with `none`: no one can ever upgrade or fix the program afterwards.
        #[arg(long)]
        irreversible: bool,
    },
    /// Every minter with its allowance, lifetime minted and rate limit.
    Minters,
    /// Open proposals with their approvals and timing.
    Proposals,
    /// The events of this mint's transactions, in seq order (one JSON line each with --output json).
    Events {
        /// Keep following: new events as they land (websocket logsSubscribe on the Config), any
        /// gap read from history first, reconnecting when the socket drops. Needs --url.
        #[arg(long)]
        follow: bool,
        /// Start at this event seq (resume after the last one a consumer kept).
        #[arg(long, value_name = "SEQ", default_value_t = 1)]
        from_seq: u64,
        /// With --follow: stop once this seq has been delivered.
        #[arg(long, value_name = "SEQ", requires = "follow")]
        until_seq: Option<u64>,
    },
    /// Index events into SQLite: from a record file (`drill run --record`), or this mint's transactions on the chain.
    Index {
        #[arg(long)]
        db: PathBuf,
        /// A JSONL record file; without it, read the chain (--url or --ledger, and --mint).
        #[arg(long)]
        from_file: Option<PathBuf>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
        /// From a cluster: signatures per `getSignaturesForAddress` page (1..=1000).
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u16).range(1..=1000))]
        page_size: u16,
    },
    /// Compare on-chain supply, event-derived supply and the reserve ledger (CSV `as_of,amount` or `date,amount,source`).
    Reconcile {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        reserves: PathBuf,
    },
    /// The monthly attestation report (SPEC 16): end-of-day supply per deployment and in total
    /// against reserves, daily flows and redemptions (CSV), a summary with the period's findings,
    /// and charts (PNG and SVG), written into --out. Exit 1 when there is any finding.
    Report {
        /// The event index (`usd1 index`); deployments named with a URL are indexed into it first.
        #[arg(long)]
        db: PathBuf,
        /// The reserve ledger: CSV `date,amount,source` (or `as_of,amount`), amounts in dollars.
        #[arg(long)]
        reserves: PathBuf,
        /// First day (YYYY-MM-DD); default: the first day of last month.
        #[arg(long)]
        from: Option<String>,
        /// Last day (YYYY-MM-DD), included; default: the last day of last month.
        #[arg(long)]
        to: Option<String>,
        /// The directory the files are written into (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// A deployment: NAME=URL,MINT (indexed from that cluster and checked against its chain)
        /// or NAME=MINT (as the index holds it). Repeat for several; default: every mint in the index.
        #[arg(long = "deployment")]
        deployments: Vec<String>,
        /// A TOML file of deployments: `[[deployment]]` tables with `name`, `mint` and optionally `url`.
        #[arg(long)]
        deployments_file: Option<PathBuf>,
        /// Monday to Friday only (weekend events count on the Monday).
        #[arg(long)]
        business_days_only: bool,
        /// The time a day closes at (HH:MM in --tz); default: midnight at the day's end.
        #[arg(long)]
        cutoff: Option<String>,
        /// The IANA time zone of the days and the cutoff.
        #[arg(long, default_value = "UTC")]
        tz: String,
        /// Business days a redemption may stay pending before the report flags it.
        #[arg(long, default_value_t = 2)]
        redemption_deadline_business_days: u32,
        /// A reserves figure older than this many days at a day's close is stale (a finding).
        #[arg(long, default_value_t = 7)]
        max_reserves_age_days: u32,
        /// Monitoring rules (TOML, as `usd1 monitor`); default: governance, pause and denylist changes.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Evaluate monitoring rules (TOML) over indexed events; one JSON line per alert.
    Monitor {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        rules: PathBuf,
    },
    /// Run drill files (SPEC section 8).
    #[command(subcommand)]
    Drill(DrillCommand),
    /// The full lifecycle on an embedded ledger, step by step.
    Demo,
    /// Redemption requests with holder, amount, age and status (from the chain, or an index with --db).
    Redemptions {
        /// Only the pending ones.
        #[arg(long)]
        pending: bool,
        /// Only pending requests older than this: 3600, 90m, 48h, 2d, or 2bd (business days, Monday to Friday).
        #[arg(long)]
        overdue: Option<String>,
        /// Read an index (`usd1 index`) instead of the chain.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Pre-signed incident transactions: pause everything, remove each minter.
    #[command(subcommand)]
    EmergencyKit(EmergencyKitCommand),
    /// Denylist maintenance from a sanctions list.
    #[command(subcommand)]
    Denylist(DenylistCommand),
    /// Serve the embedded ledger as a Solana JSON-RPC endpoint on 127.0.0.1 (Ctrl-C stops it;
    /// with --ledger its state survives a restart). Prints the URL, the program id and how to fund a key.
    Localnet {
        /// The port to listen on (0: any free port; the URL printed says which).
        #[arg(long, default_value_t = 8899)]
        port: u16,
    },
    /// Submit a transaction signed elsewhere (the `transaction` of --sign-only output, base64).
    SendSigned {
        #[arg(long)]
        transaction: String,
    },
    /// Create a durable nonce account (authority: --nonce-authority or --keypair).
    CreateNonceAccount {
        /// The new nonce account's keypair file (created if missing).
        #[arg(long)]
        nonce_keypair: PathBuf,
    },
    /// Fund a key with SOL from the cluster's faucet (a local validator, `usd1 localnet`, devnet)
    /// or, on an embedded ledger, directly; waits until the airdrop is confirmed.
    Airdrop {
        /// The key to fund: a public key or a keypair file [default: --keypair].
        #[arg(long, value_name = "KEY|FILE")]
        to: Option<String>,
        /// How much, in SOL.
        #[arg(long, default_value_t = 10)]
        sol: u64,
    },
    /// Move the clock forward SECS seconds (an embedded ledger or `usd1 localnet` only: a real
    /// cluster's clock cannot be moved), for rehearsing timelocks and deadlines.
    Warp {
        /// Seconds to move forward.
        secs: u64,
    },
    /// A wallet's SOL and, with --mint, its tokens of the mint in each of its token accounts.
    Balance {
        /// The wallet: a public key or a keypair file [default: --keypair].
        #[arg(long, value_name = "KEY|FILE")]
        owner: Option<String>,
    },
    /// The deployment's addresses (program, mint, Config, Escrow, denylist registry, hook
    /// account list) and every role holder and council member, each with its SOL balance: who
    /// can pay fees before anyone needs to sign.
    Accounts,
    /// Write a new keypair file and print its public key.
    Keygen {
        #[arg(long)]
        outfile: PathBuf,
    },
    /// The default mint, kept beside the Solana CLI config (`usd1.toml`): used when neither
    /// --mint nor USD1_MINT names one.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Show the mint commands use and where it comes from (--mint, USD1_MINT or the file).
    Get,
    /// Keep a default mint (a public key or the mint's keypair file; only its key is kept).
    Set {
        #[arg(long, value_name = "KEY|FILE")]
        mint: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum EmergencyKitCommand {
    /// Sign `pause{all}` and `remove_minter` of every active minter now, each under its own
    /// durable nonce (the fee payer, --fee-payer or --keypair, is nonce authority), into DIR.
    Prepare {
        #[arg(long)]
        out: PathBuf,
        /// The pauser: a keypair file, or its public key to sign elsewhere.
        #[arg(long)]
        pauser: PathBuf,
        /// The master minter: a keypair file, or its public key to sign elsewhere.
        #[arg(long)]
        master_minter: PathBuf,
    },
    /// Say of each prepared transaction whether it would still succeed.
    Check { dir: PathBuf },
    /// Send one prepared transaction (--signer PUBKEY=SIGNATURE adds a signature collected elsewhere).
    Fire { file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum DenylistCommand {
    /// Make the on-chain denylist equal a CSV list `wallet,reason` (--keypair: the denylister):
    /// adds (freezing the wallets' token accounts) and removes in packed transactions; safe to
    /// run again after a failure, and a finished sync sends nothing.
    Sync {
        /// CSV `wallet,reason`, a header row allowed.
        #[arg(long)]
        list: PathBuf,
        /// Report what would change; send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Send at most this many transactions now (a change window); run again for the rest.
        #[arg(long)]
        max_transactions: Option<usize>,
        /// Refuse (sending nothing) when the list would remove more wallets than this: a
        /// truncated list must not unlist everyone.
        #[arg(long, default_value_t = 100)]
        max_removals: usize,
        /// Also remove the on-chain entries the list does not name. Without it they are only
        /// reported ("listed on chain, not on the list"): hand-made entries (court freezes, theft
        /// cases) stay.
        #[arg(long)]
        remove_unlisted: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum DrillCommand {
    /// Run a drill: one JSON line per step, then `N passed, N failed`.
    Run {
        file: PathBuf,
        /// Write one JSON line per executed transaction (signature, slot, block time, events).
        #[arg(long)]
        record: Option<PathBuf>,
    },
}

/// Whether the command line asks for JSON output (read before clap has parsed it, for its errors).
fn json_requested() -> bool {
    let arguments: Vec<String> = std::env::args().collect();
    arguments.windows(2).any(|pair| pair[0] == "--output" && pair[1] == "json") || arguments.iter().any(|argument| argument == "--output=json")
}

/// A failure's stable name for JSON output: what the CLI refused before any transaction.
fn error_name(message: &str) -> &'static str {
    const NAMES: &[(&str, &str)] = &[
        ("ledger in use by", "LedgerInUse"),
        ("no ledger at", "LedgerNotFound"),
        ("cannot reach the cluster", "ClusterUnreachable"),
        ("fee payer ", "FeePayerUnfunded"),
        ("no mint given", "MintNotGiven"),
        ("the Solana CLI config", "SolanaConfigUnreadable"),
        ("cannot read keypair", "KeypairUnreadable"),
    ];
    NAMES.iter().find(|(prefix, _)| message.starts_with(prefix)).map_or("Error", |(_, name)| name)
}

/// One JSON shape for every failure under `--output json` (the same fields a refused
/// transaction prints): `{"ok": false, "error": NAME, "hint": ..., "detail": ...}` on stdout.
fn print_json_error(name: &str, hint: &str, detail: &str) {
    output::write_line(format_args!("{}", serde_json::json!({"ok": false, "error": name, "hint": hint, "detail": detail})));
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if error.use_stderr() && json_requested() => {
            // An argument error: exit 2 as clap's, as JSON on stdout too.
            let text = error.render().to_string();
            let first = text.lines().next().unwrap_or_default().trim_start_matches("error: ").to_string();
            print_json_error("UsageError", &first, &text);
            eprint!("{text}");
            return ExitCode::from(2);
        }
        Err(error) => error.exit(),
    };
    let output_format = cli.global.output;
    // Program logs (the program runs in this process on an embedded ledger) go to stderr;
    // stdout carries only the CLI's own output.
    if let Err(error) = output::separate_program_logs() {
        eprintln!("error: cannot separate program logs from stdout: {error}");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => code,
        Err(error) => {
            if output_format == OutputFormat::Json {
                print_json_error(error_name(&error.to_string()), &error.to_string(), &format!("{error:#}"));
            }
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
