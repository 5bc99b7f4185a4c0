//! Subcommand execution.
use crate::output::outln;
use crate::{
    chain::{Chain, Sent},
    demo, drill, hints, offchain,
    ops::{plan, Actors, Op, OpSpec, Resolver},
    signing, Cli, Command, DenylistCommand, DrillCommand, EmergencyKitCommand, GlobalArgs, OutputFormat,
};
use anchor_lang::Discriminator;
use anyhow::{anyhow, bail, Context};
use serde_json::{json, Value};
use solana_keypair::{read_keypair_file, write_keypair_file, Keypair};
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use std::{
    path::{Path, PathBuf},
    process::ExitCode,
    str::FromStr,
};
use usd1_client::{
    accounts::{decode_minter, decode_proposal},
    amount::format_amount,
    events::ToJson,
    pda, reference_hash, Config, Minter, Proposal,
};
use usd1_ledger::ProgramBuild;

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut global = cli.global;
    // The default mint (SPEC 15): --mint, else USD1_MINT, else the `usd1 config set` file.
    if global.mint.is_none() && !matches!(cli.command, Command::Config(_)) {
        global.mint = default_mint()?.map(|(mint, _)| mint);
    }
    // Commands that start a ledger (SPEC 15: initialize and localnet; a drill's steps start with
    // initialize); any other refuses a --ledger path with nothing there (a typo).
    global.ledger_may_create = matches!(cli.command, Command::Op(crate::ops::OpSpec::Initialize(_)) | Command::Drill(_) | Command::Localnet { .. });
    if let Some(program_id) = global.program_id {
        if program_id != usd1_client::PROGRAM_ID {
            bail!(
                "this build of usd1 targets program {}; a deployment under {program_id} needs the client rebuilt with that id (see migrations/README.md)",
                usd1_client::PROGRAM_ID
            );
        }
    }
    match cli.command {
        Command::Op(spec) => run_op(&global, spec).await,
        Command::Status => status(&global).await,
        Command::Verify { expect_upgrade_authority } => crate::verify::run(&global, expect_upgrade_authority).await,
        Command::SetUpgradeAuthority { new_upgrade_authority, irreversible } => {
            crate::verify::set_upgrade_authority(&global, new_upgrade_authority, irreversible).await
        }
        Command::Minters => minters(&global).await,
        Command::Proposals => proposals(&global).await,
        Command::Events { follow, from_seq, until_seq } => events(&global, follow, from_seq, until_seq).await,
        Command::Index { db, from_file, quiet, page_size } => offchain::index(&global, &db, from_file.as_deref(), quiet, usize::from(page_size)).await,
        Command::Reconcile { db, reserves } => offchain::reconcile(&global, &db, &reserves).await,
        Command::Monitor { db, rules } => offchain::monitor(&db, &rules),
        Command::Report {
            db,
            reserves,
            from,
            to,
            out,
            deployments,
            deployments_file,
            business_days_only,
            cutoff,
            tz,
            redemption_deadline_business_days,
            max_reserves_age_days,
            rules,
        } => {
            let request = offchain::ReportRequest {
                db: &db,
                reserves: &reserves,
                from: from.as_deref(),
                to: to.as_deref(),
                out: &out,
                deployments: &deployments,
                deployments_file: deployments_file.as_deref(),
                business_days_only,
                cutoff: cutoff.as_deref(),
                tz: &tz,
                redemption_deadline_business_days,
                max_reserves_age_days,
                rules: rules.as_deref(),
            };
            offchain::report(&global, request).await
        }
        Command::Drill(DrillCommand::Run { file, record }) => drill::run_file(&global, &file, record.as_deref()).await,
        Command::Demo => demo::run(&announce_program_build(&global)?).await,
        Command::Localnet { port } => serve_localnet(&global, port).await,
        Command::EmergencyKit(EmergencyKitCommand::Prepare { out, pauser, master_minter }) => {
            crate::emergency_kit::prepare(&global, &out, &pauser, &master_minter).await
        }
        Command::EmergencyKit(EmergencyKitCommand::Check { dir }) => crate::emergency_kit::check(&global, &dir).await,
        Command::EmergencyKit(EmergencyKitCommand::Fire { file }) => crate::emergency_kit::fire(&global, &file).await,
        Command::Redemptions { pending, overdue, db } => offchain::redemptions(&global, db.as_deref(), pending, overdue.as_deref()).await,
        Command::Denylist(DenylistCommand::Sync { list, dry_run, max_transactions, max_removals, remove_unlisted }) => {
            let mut chain = open_chain(&global, false).await?;
            let chain = require_chain(&mut chain)?;
            let mint = mint_from_args(&global)?;
            let denylister = load_keypair(&signer_path(&global)?)?;
            let payer = match &global.fee_payer {
                Some(path) => load_keypair(Path::new(path))?,
                None => denylister.insecure_clone(),
            };
            chain.ensure_funded(&payer.pubkey()).await?;
            let args = crate::denylist_sync::SyncArgs { list: &list, dry_run, max_transactions, max_removals, remove_unlisted };
            crate::denylist_sync::sync(&global, chain, &mint, &denylister, &payer, args).await
        }
        Command::SendSigned { transaction } => send_signed(&global, &transaction).await,
        Command::CreateNonceAccount { nonce_keypair } => create_nonce_account(&global, &nonce_keypair).await,
        Command::Airdrop { to, sol } => airdrop(&global, to.as_deref(), sol).await,
        Command::Warp { secs } => warp(&global, secs).await,
        Command::Balance { owner } => balance(&global, owner.as_deref()).await,
        Command::Config(command) => usd1_config(&global, command),
        Command::Accounts => accounts(&global).await,
        Command::Keygen { outfile } => {
            if outfile.exists() {
                eprintln!("usd1: {} exists: its keypair is kept and its public key printed (nothing was generated or overwritten)", outfile.display());
            }
            let keypair = load_or_create_keypair(&outfile)?;
            outln!("{}", keypair.pubkey());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The Solana CLI config file, when present.
/// The Solana CLI config, when there is one; one that exists but cannot be read is an error
/// naming it (its URL and keypair would otherwise be silently replaced by defaults).
fn solana_config() -> anyhow::Result<Option<solana_cli_config::Config>> {
    let Some(path) = solana_cli_config::CONFIG_FILE.as_ref() else { return Ok(None) };
    if !Path::new(path).exists() {
        return Ok(None);
    }
    solana_cli_config::Config::load(path)
        .map(Some)
        .map_err(|error| anyhow!("the Solana CLI config {path} cannot be read ({error}): fix it (`solana config set ...` rewrites it), or pass --url and --keypair"))
}

/// Where `target/deploy/usd1.so` is looked for when neither `--program-so` nor the environment names one.
const DEFAULT_PROGRAM_SO: &str = "target/deploy/usd1.so";

/// The program build an embedded ledger runs, and why (for `announce_program_build`).
fn choose_program_build(global: &GlobalArgs) -> anyhow::Result<(ProgramBuild, String)> {
    if let Some(path) = &global.program_so {
        if !path.is_file() {
            bail!("--program-so {}: no such file (build it with scripts/build-sbf.sh)", path.display());
        }
        return Ok((ProgramBuild::Sbf(path.clone()), "--program-so".into()));
    }
    match ProgramBuild::from_env() {
        ProgramBuild::Sbf(path) if !path.is_file() => {
            bail!("USD1_PROGRAM_SO / USD1_SBF_OUT_DIR name {}, which does not exist (build it with scripts/build-sbf.sh)", path.display())
        }
        build @ ProgramBuild::Sbf(_) => return Ok((build, "USD1_PROGRAM_SO / USD1_SBF_OUT_DIR".into())),
        ProgramBuild::Native => {}
    }
    let built = Path::new(DEFAULT_PROGRAM_SO);
    if !built.is_file() {
        return Ok((ProgramBuild::Native, format!("no {DEFAULT_PROGRAM_SO} here; scripts/build-sbf.sh builds it")));
    }
    // Run from the repository: a .so older than the program's sources is not what this binary
    // was built from; run the native build rather than a stale one, and say so.
    if let Some(newer) = newest_source_after(built) {
        return Ok((ProgramBuild::Native, format!("{DEFAULT_PROGRAM_SO} is older than {} (rebuild with scripts/build-sbf.sh, or pass --program-so)", newer.display())));
    }
    Ok((ProgramBuild::Sbf(built.to_path_buf()), format!("found {DEFAULT_PROGRAM_SO}")))
}

/// A program source file (under `programs/usd1/`, `Cargo.lock`, or the workspace `Cargo.toml`
/// whose release profile shapes the `.so`) modified after `built`, if any.
fn newest_source_after(built: &Path) -> Option<PathBuf> {
    let built_at = std::fs::metadata(built).and_then(|metadata| metadata.modified()).ok()?;
    let mut pending = vec![PathBuf::from("programs/usd1"), PathBuf::from("Cargo.lock"), PathBuf::from("Cargo.toml")];
    while let Some(path) = pending.pop() {
        let Ok(metadata) = std::fs::metadata(&path) else { continue };
        if metadata.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                pending.extend(entries.flatten().map(|entry| entry.path()));
            }
        } else if metadata.modified().map(|modified| modified > built_at).unwrap_or(false) {
            return Some(path);
        }
    }
    None
}

/// The program build for an embedded ledger (`--program-so`, `USD1_PROGRAM_SO`, a current
/// `target/deploy/usd1.so`, else native).
pub(crate) fn program_build(global: &GlobalArgs) -> anyhow::Result<ProgramBuild> {
    Ok(choose_program_build(global)?.0)
}

/// [`program_build`], saying on stderr which build runs and why (stdout stays the command's own output).
pub(crate) fn announce_program_build(global: &GlobalArgs) -> anyhow::Result<ProgramBuild> {
    let (build, reason) = choose_program_build(global)?;
    eprintln!("usd1: program {} [{reason}]", build.describe());
    Ok(build)
}

/// How this command opens its --ledger `path` (see [`crate::chain::LedgerFile`]).
pub(crate) fn ledger_file(global: &GlobalArgs, path: &std::path::Path) -> crate::chain::LedgerFile {
    crate::chain::LedgerFile { path: path.to_path_buf(), create: global.ledger_may_create, serving: false }
}

/// The chain to talk to; `None` when preparing offline (`--sign-only` with `--blockhash`).
pub(crate) async fn open_chain(global: &GlobalArgs, allow_offline: bool) -> anyhow::Result<Option<Chain>> {
    if let Some(path) = &global.ledger {
        return Ok(Some(Chain::embedded(Some(ledger_file(global, path)), &program_build(global)?).await?));
    }
    if allow_offline && global.sign_only && global.blockhash.is_some() {
        return Ok(None);
    }
    let url = match &global.url {
        Some(url) => url.clone(),
        None => match solana_config()? {
            Some(config) => crate::chain::parse_cluster_url(&config.json_rpc_url).map_err(|error| anyhow!("the Solana CLI config's json_rpc_url: {error}"))?,
            None => "localhost".into(),
        },
    };
    Ok(Some(Chain::connect(&url, global.commitment.config()).await?))
}

pub(crate) fn require_chain(chain: &mut Option<Chain>) -> anyhow::Result<&mut Chain> {
    chain.as_mut().ok_or_else(|| anyhow!("this needs the chain; offline (--sign-only --blockhash) only prepares and signs"))
}

pub fn load_keypair(path: &Path) -> anyhow::Result<Keypair> {
    read_keypair_file(path).map_err(|error| anyhow!("cannot read keypair {}: {error}", path.display()))
}

fn load_or_create_keypair(path: &Path) -> anyhow::Result<Keypair> {
    if path.exists() {
        // Never overwritten: the file may hold a role's only key.
        return load_keypair(path);
    }
    let keypair = Keypair::new();
    write_keypair_file(&keypair, path).map_err(|error| anyhow!("cannot write keypair {}: {error}", path.display()))?;
    Ok(keypair)
}

pub(crate) fn signer_path(global: &GlobalArgs) -> anyhow::Result<PathBuf> {
    if let Some(path) = &global.keypair {
        return Ok(path.clone());
    }
    solana_config()?
        .map(|config| PathBuf::from(config.keypair_path))
        .ok_or_else(|| anyhow!("no --keypair given and no Solana CLI config keypair"))
}

/// A signer given as a keypair file, or as a bare public key whose signature is
/// collected on another machine (`--sign-only` there, `--signer` here).
pub(crate) enum SignerSource {
    Keypair(Keypair),
    Absent(Pubkey),
}

impl SignerSource {
    pub(crate) fn from_arg(path: &Path) -> anyhow::Result<SignerSource> {
        if !path.exists() {
            if let Ok(key) = Pubkey::from_str(&path.to_string_lossy()) {
                return Ok(SignerSource::Absent(key));
            }
        }
        Ok(SignerSource::Keypair(load_keypair(path)?))
    }

    pub(crate) fn pubkey(&self) -> Pubkey {
        match self {
            SignerSource::Keypair(keypair) => keypair.pubkey(),
            SignerSource::Absent(key) => *key,
        }
    }

    pub(crate) fn keypair(&self) -> Option<&Keypair> {
        match self {
            SignerSource::Keypair(keypair) => Some(keypair),
            SignerSource::Absent(_) => None,
        }
    }
}

/// Names on the command line: a base58 public key, or a keypair file (whose key is
/// then also available to sign, e.g. `transfer --from holder.json`).
#[derive(Default)]
struct CliResolver {
    keypairs: Vec<Keypair>,
}

impl Resolver for CliResolver {
    fn key(&mut self, name: &str) -> anyhow::Result<Pubkey> {
        if let Ok(key) = Pubkey::from_str(name) {
            return Ok(key);
        }
        let path = Path::new(name);
        if path.exists() {
            let keypair = load_keypair(path)?;
            let key = keypair.pubkey();
            self.keypairs.push(keypair);
            return Ok(key);
        }
        bail!("`{name}` is neither a public key nor a keypair file")
    }
}

/// The mint from `--mint` (a key or keypair file).
/// Where `usd1 config set --mint` keeps the default mint: `usd1.toml` beside the Solana CLI config.
fn usd1_config_path() -> Option<PathBuf> {
    let solana = solana_cli_config::CONFIG_FILE.as_ref()?;
    Some(Path::new(solana).with_file_name("usd1.toml"))
}

/// The default mint and where it came from, when --mint is not given.
fn default_mint() -> anyhow::Result<Option<(String, String)>> {
    if let Some(mint) = std::env::var("USD1_MINT").ok().filter(|mint| !mint.is_empty()) {
        return Ok(Some((mint, "USD1_MINT".into())));
    }
    let Some(path) = usd1_config_path().filter(|path| path.exists()) else { return Ok(None) };
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let table: toml::Table = text.parse().map_err(|error| anyhow!("{} is not valid TOML ({error}): fix it or set it again with `usd1 config set --mint`", path.display()))?;
    Ok(table.get("mint").and_then(|mint| mint.as_str()).map(|mint| (mint.to_string(), path.display().to_string())))
}

/// `usd1 config get|set`.
fn usd1_config(global: &GlobalArgs, command: crate::ConfigCommand) -> anyhow::Result<ExitCode> {
    let path = usd1_config_path().ok_or_else(|| anyhow!("no home directory for the Solana CLI config"))?;
    match command {
        crate::ConfigCommand::Set { mint } => {
            let key = CliResolver::default().key(&mint)?;
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            std::fs::write(&path, format!("# usd1's defaults (usd1 config set)\nmint = \"{key}\"\n")).with_context(|| format!("writing {}", path.display()))?;
            let value = json!({"mint": key.to_string(), "file": path.display().to_string()});
            print_value(global.output, &value, || format!("default mint {key} (kept in {}); --mint or USD1_MINT still take precedence", path.display()));
        }
        crate::ConfigCommand::Get => {
            let (mint, source) = match &global.mint {
                Some(mint) => (Some(mint.clone()), "--mint".to_string()),
                None => match default_mint()? {
                    Some((mint, source)) => (Some(mint), source),
                    None => (None, "none".to_string()),
                },
            };
            let value = json!({"mint": mint, "source": source, "file": path.display().to_string()});
            print_value(global.output, &value, || match &mint {
                Some(mint) => format!("mint {mint} (from {source})"),
                None => format!("no default mint: pass --mint, set USD1_MINT, or `usd1 config set --mint KEY` (kept in {})", path.display()),
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn mint_from_args(global: &GlobalArgs) -> anyhow::Result<Pubkey> {
    let text = global
        .mint
        .as_deref()
        .ok_or_else(|| anyhow!("no mint given: pass --mint (the mint's public key or keypair file), set USD1_MINT, or keep one with `usd1 config set --mint KEY`"))?;
    CliResolver::default().key(text)
}

pub fn print_value(format: OutputFormat, value: &Value, text: impl FnOnce() -> String) {
    match format {
        OutputFormat::Json => outln!("{value}"),
        OutputFormat::Text => outln!("{}", text()),
    }
}

/// A sent transaction as a person reads it: its signature, then each event on one line with
/// amounts in token units (`units`: the mint's decimals; base units, said so, without them).
fn describe_sent(sent: &Sent, units: Option<&crate::people::Units>) -> String {
    let mut lines = vec![format!("signature {} (slot{})", sent.signature, sent.block_time.map(|time| format!(" {}, {}", sent.slot, crate::people::iso_time(time))).unwrap_or_else(|| format!(" {}", sent.slot)))];
    for event in &sent.events {
        match units {
            Some(units) => lines.push(format!("  event {}", crate::people::event_line(&event.to_json(), units))),
            None => lines.push(format!("  event #{} {} (amounts in base units): {}", event.seq(), event.name(), crate::people::inline(&event.to_json()))),
        }
    }
    lines.join("\n")
}

async fn run_op(global: &GlobalArgs, spec: OpSpec) -> anyhow::Result<ExitCode> {
    let mut chain = open_chain(global, true).await?;
    let signer = SignerSource::from_arg(&signer_path(global)?)?;
    let payer = match &global.fee_payer {
        Some(path) => SignerSource::from_arg(path)?,
        None => SignerSource::from_arg(&signer_path(global)?)?,
    };
    let mut extra_keypairs: Vec<Keypair> = Vec::new();
    let (mint, decimals) = match &spec {
        OpSpec::Initialize(args) => {
            let path = global.mint_keypair.as_ref().ok_or_else(|| anyhow!("initialize needs --mint-keypair FILE (created if missing)"))?;
            let mint_keypair = load_or_create_keypair(path)?;
            let mint = mint_keypair.pubkey();
            extra_keypairs.push(mint_keypair);
            (mint, args.decimals)
        }
        _ => {
            let mint = mint_from_args(global)?;
            let decimals = match (global.decimals, chain.as_mut()) {
                (Some(decimals), _) => decimals,
                (None, Some(chain)) => chain.config(&mint).await?.decimals,
                (None, None) => bail!("offline preparation needs --decimals to read amounts"),
            };
            (mint, decimals)
        }
    };
    let mut resolver = CliResolver::default();
    let op = spec.resolve(&mut resolver, decimals).with_context(|| format!("{}", spec.name()))?;
    extra_keypairs.append(&mut resolver.keypairs);
    let actors = Actors { signer: signer.pubkey(), payer: payer.pubkey() };
    if let Op::Initialize(params) = &op {
        if !params.onboarding_required {
            eprintln!(
                "warning: onboarding is not required: mints may reach any wallet that is not denylisted. \
                 Pass --onboarding-required, or turn it on later with `usd1 update-config --onboarding-required true` (the admin may; only the council turns it off)."
            );
        }
    }
    let instructions = plan(&op, &actors, &mint, decimals, chain.as_mut()).await?;

    let nonce_authority = match &global.nonce_authority {
        Some(path) => SignerSource::from_arg(path)?,
        None => SignerSource::from_arg(&signer_path(global)?)?,
    };
    let blockhash = match (global.blockhash, global.nonce) {
        (Some(blockhash), _) => blockhash,
        (None, Some(nonce)) => require_chain(&mut chain)?.nonce_blockhash(&nonce).await?,
        (None, None) => require_chain(&mut chain)?.latest_blockhash().await?,
    };
    let nonce_authority_key = nonce_authority.pubkey();
    let nonce = global.nonce.as_ref().map(|account| (account, &nonce_authority_key));
    let collected = global.signers.iter().map(|text| signing::parse_signer(text)).collect::<anyhow::Result<Vec<_>>>()?;
    let mut keypairs: Vec<&Keypair> = [&signer, &payer, &nonce_authority].iter().filter_map(|source| source.keypair()).collect();
    keypairs.extend(extra_keypairs.iter());
    let mut budget = signing::ComputeBudget::of(global);
    // Online, signing here alone: size the limit from a simulation when the published one is tight.
    // (Offline or with signatures collected elsewhere, every machine must build the same message:
    // the published limit, or --compute-unit-limit.)
    if budget.unit_limit.is_none() && !global.sign_only && collected.is_empty() && global.nonce.is_none() && global.blockhash.is_none() {
        if let Some(chain) = chain.as_mut() {
            budget.unit_limit = chain.fitted_compute_limit(&instructions, &payer.pubkey(), &keypairs).await;
        }
    }
    let message = signing::build_message(&instructions, &payer.pubkey(), nonce, blockhash, budget);
    let transaction = signing::sign(message, &keypairs, &collected)?;

    if global.sign_only {
        let report = signing::sign_only_report(&transaction);
        print_value(global.output, &report, || serde_json::to_string_pretty(&report).unwrap_or_default());
        return Ok(ExitCode::SUCCESS);
    }
    let absent = signing::absent_signers(&transaction);
    if !absent.is_empty() {
        bail!(
            "missing signatures from {}: sign with --sign-only on the machines holding those keys and pass --signer PUBKEY=SIGNATURE",
            absent.iter().map(Pubkey::to_string).collect::<Vec<_>>().join(", ")
        );
    }
    let chain = require_chain(&mut chain)?;
    chain.ensure_funded(&payer.pubkey()).await?;
    chain.ensure_funded(&signer.pubkey()).await?;
    if global.simulate {
        let outcome = chain.simulate(transaction).await;
        chain.save().await?;
        return report_outcome(global, &op, &mint, decimals, chain, outcome, "simulated", vec![]).await;
    }
    chain.check_fee_payer(&transaction).await?;
    let outcome = chain.send(transaction).await;
    chain.save().await?;
    // A wallet with more token accounts than one instruction takes: the rest are frozen (or
    // thawed) in further transactions. Also after `Denylisted` (the entry already exists), so
    // that re-running an interrupted `denylist-add` finishes the freezing.
    let landed = match &outcome {
        Ok(_) => true,
        Err(failure) => matches!(op, Op::DenylistAdd { .. }) && failure.name() == "Denylisted",
    };
    let follow_ups = if landed && !global.sign_only && collected.is_empty() {
        run_follow_ups(global, &op, &actors, &mint, chain, &keypairs).await?
    } else {
        vec![]
    };
    report_outcome(global, &op, &mint, decimals, chain, outcome, "sent", follow_ups).await
}

/// One follow-up transaction of an op (see [`crate::ops::follow_up`]).
struct FollowUp {
    accounts: Vec<Pubkey>,
    outcome: Result<Sent, String>,
}

impl FollowUp {
    fn to_json(&self) -> Value {
        match &self.outcome {
            Ok(sent) => json!({"ok": true, "signature": sent.signature, "accounts": self.accounts.iter().map(Pubkey::to_string).collect::<Vec<_>>()}),
            Err(error) => json!({"ok": false, "error": error, "accounts": self.accounts.iter().map(Pubkey::to_string).collect::<Vec<_>>()}),
        }
    }
}

/// Send an op's follow-up transactions, in order, stopping at the first refusal (a re-run picks up what is left).
async fn run_follow_ups(
    global: &GlobalArgs,
    op: &Op,
    actors: &Actors,
    mint: &Pubkey,
    chain: &mut Chain,
    keypairs: &[&Keypair],
) -> anyhow::Result<Vec<FollowUp>> {
    let mut done = Vec::new();
    for instructions in crate::ops::follow_up(op, actors, mint, chain).await? {
        let accounts: Vec<Pubkey> = instructions.iter().filter_map(|instruction| instruction.accounts.get(3).map(|meta| meta.pubkey)).collect();
        let blockhash = chain.latest_blockhash().await?;
        let message = signing::build_message(&instructions, &actors.payer, None, blockhash, signing::ComputeBudget::of(global));
        let transaction = signing::sign(message, keypairs, &[])?;
        let outcome = chain.send(transaction).await.map_err(|failure| failure.name().to_string());
        chain.save().await?;
        let failed = outcome.is_err();
        done.push(FollowUp { accounts, outcome });
        if failed {
            break;
        }
    }
    Ok(done)
}

/// Print a transaction's outcome. A mint whose reference was already used is
/// reported as done when the existing receipt is this very mint (a retry after an
/// unknown outcome); otherwise the error and what to do.
#[allow(clippy::too_many_arguments)]
async fn report_outcome(
    global: &GlobalArgs,
    op: &Op,
    mint: &Pubkey,
    decimals: u8,
    chain: &mut Chain,
    outcome: Result<Sent, usd1_ledger::Failure>,
    verb: &str,
    follow_ups: Vec<FollowUp>,
) -> anyhow::Result<ExitCode> {
    let follow_ups_failed = follow_ups.iter().any(|follow_up| follow_up.outcome.is_err());
    let describe_follow_ups = |lines: &mut Vec<String>| {
        for follow_up in &follow_ups {
            let verb = if matches!(op, Op::DenylistRemove { .. }) { "thawed" } else { "frozen" };
            match &follow_up.outcome {
                Ok(sent) => lines.push(format!("  {verb} {} more token account(s) in {}", follow_up.accounts.len(), sent.signature)),
                Err(error) => lines.push(format!(
                    "  error: {error} while {} {} more token account(s): run the same command again to finish",
                    if verb == "thawed" { "thawing" } else { "freezing" },
                    follow_up.accounts.len()
                )),
            }
        }
    };
    match outcome {
        Ok(sent) => {
            let mut record = sent.record();
            record["ok"] = json!(!follow_ups_failed);
            record["outcome"] = json!(verb);
            if !follow_ups.is_empty() {
                record["follow_up"] = json!(follow_ups.iter().map(FollowUp::to_json).collect::<Vec<_>>());
            }
            print_value(global.output, &record, || {
                // A simulation looks like a send in every other line: say so first (SPEC 15).
                let mut lines = if verb == "simulated" { vec!["SIMULATED (not sent)".to_string()] } else { vec![] };
                lines.push(describe_sent(&sent, Some(&crate::people::Units::new(decimals))));
                describe_follow_ups(&mut lines);
                lines.join("\n")
            });
            Ok(if follow_ups_failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Err(failure) if !follow_ups.is_empty() => {
            // `denylist-add` of a wallet already listed: what was left to freeze is now frozen.
            let value = json!({"ok": !follow_ups_failed, "outcome": "already_denylisted", "follow_up": follow_ups.iter().map(FollowUp::to_json).collect::<Vec<_>>()});
            print_value(global.output, &value, || {
                let mut lines = vec![format!("already denylisted ({}); the wallet's remaining token accounts:", failure.name())];
                describe_follow_ups(&mut lines);
                lines.join("\n")
            });
            Ok(if follow_ups_failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Err(failure) => {
            if let (Op::Mint { to, amount, reference, .. }, "DuplicateReference") = (op, failure.name()) {
                let config = pda::config_address(mint);
                let address = pda::receipt_address(&config, &reference_hash(reference));
                if let Some(account) = chain.account(&address).await? {
                    let receipt = usd1_client::accounts::decode_mint_receipt(&account.data)?;
                    let units = crate::people::Units::new(decimals);
                    let existing = json!({
                        "recipient": receipt.recipient.to_string(),
                        "amount": format_amount(receipt.amount, decimals),
                        "amount_base_units": receipt.amount,
                        "minter": receipt.minter.to_string(),
                        "slot": receipt.slot,
                        "minted_at": crate::people::iso_time(receipt.minted_at),
                    });
                    if receipt.recipient == *to && receipt.amount == *amount {
                        let value = json!({"ok": true, "outcome": "already_minted", "reference": reference, "slot": receipt.slot, "minter": receipt.minter.to_string(), "receipt": existing});
                        print_value(global.output, &value, || {
                            format!(
                                "already minted: reference `{reference}` minted {} to this recipient at slot {} ({}) (nothing done)",
                                units.tokens(receipt.amount),
                                receipt.slot,
                                existing["minted_at"].as_str().unwrap_or_default()
                            )
                        });
                        return Ok(ExitCode::SUCCESS);
                    }
                    // Another mint holds this reference: say which, so the operator can tell a
                    // typo from a second wire with the same reference.
                    let hint = format!(
                        "reference `{reference}` was already used: {} to {} by minter {} at slot {} ({}); a new deposit needs its own bank reference",
                        units.tokens(receipt.amount),
                        receipt.recipient,
                        receipt.minter,
                        receipt.slot,
                        existing["minted_at"].as_str().unwrap_or_default()
                    );
                    let value = json!({"ok": false, "error": "DuplicateReference", "hint": hint, "existing_receipt": existing, "detail": failure.to_string()});
                    print_value(global.output, &value, || format!("error: DuplicateReference\n  {hint}"));
                    return Ok(ExitCode::FAILURE);
                }
            }
            // The refusal's log lines on stderr, where the native program prints its own.
            if !chain.program_prints_its_logs() {
                for line in failure.logs() {
                    eprintln!("{line}");
                }
            }
            let name = failure.name().to_string();
            let facts = match funds_hint(failure.logs()) {
                Some(hint) => Some(hint),
                None => failure_facts(op, &name, mint, chain).await,
            };
            let hint = facts.unwrap_or_else(|| hints::hint(&name).to_string());
            let value = json!({"ok": false, "error": name, "hint": hint, "detail": failure.to_string()});
            print_value(global.output, &value, || format!("error: {name}\n  {hint}\n  ({failure})"));
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The role whose holder signs `op`, by its SPEC name (`None`: anyone, the council, a holder).
fn signing_role(op: &Op) -> Option<&'static str> {
    Some(match op {
        Op::TransferAdmin { .. } | Op::SetRole { .. } | Op::UpdateConfig(_) | Op::UpdateMetadata(_) => "admin",
        Op::AcceptAdmin => "pending_admin",
        Op::Pause(_) | Op::Unpause(_) => "pauser",
        Op::ConfigureMinter { .. } | Op::RemoveMinter { .. } | Op::DecreaseAllowance { .. } => "master_minter",
        Op::Burn { .. } | Op::SweepEscrow { .. } | Op::CompleteRedemption { .. } | Op::RejectRedemption { .. } => "burner",
        Op::DenylistAdd { .. } | Op::DenylistRemove { .. } | Op::Freeze(_) | Op::Thaw(_) => "denylister",
        Op::AttestReserves { .. } => "attester",
        Op::Onboard { .. } | Op::Offboard { .. } => "onboarder",
        _ => return None,
    })
}

/// What the chain says about a refusal beyond its name: who holds the role that signs
/// (`Unauthorized`), or that a transfer's wallet is denylisted (its accounts are frozen
/// while it is listed: thawing is refused, so "thaw it" would mislead).
async fn failure_facts(op: &Op, name: &str, mint: &Pubkey, chain: &mut Chain) -> Option<String> {
    let config = chain.config(mint).await.ok()?;
    match name {
        "Unauthorized" => {
            if let Op::Mint { .. } = op {
                return Some("the signer is no active minter of this mint: the master minter runs `configure-minter --minter KEY`, then the council grants an allowance (see `usd1 minters`)".to_string());
            }
            let role = signing_role(op)?;
            let holder = match role {
                "pending_admin" => config.pending_admin.map_or_else(|| "nobody (no handover pending)".to_string(), |key| key.to_string()),
                role => usd1_client::accounts::role_holders(&config).iter().find(|(name, _)| *name == role).map(|(_, key)| key.to_string())?,
            };
            Some(format!("this is signed by the {role}, held by {holder} (see `usd1 accounts`); sign with that key (--keypair), or the admin reassigns the role with `set-role`"))
        }
        "Token2022:AccountFrozen" => {
            let Op::Transfer { from, to, .. } = op else { return None };
            let config_address = pda::config_address(mint);
            for (side, wallet) in [("recipient", to), ("sender", from)] {
                let Some(wallet) = wallet else { continue };
                if chain.account(&pda::denylist_address(&config_address, wallet)).await.ok()?.is_some() {
                    return Some(format!(
                        "the {side} {wallet} is denylisted: its token accounts stay frozen while it is listed and nothing moves to or from it; the denylister reviews the case (`denylist-remove` after it clears)"
                    ));
                }
            }
            None
        }
        _ => None,
    }
}

/// When the system program refused a transfer for lack of lamports (the rent of an account
/// the transaction creates), the lamports there and needed, from its log line
/// `Transfer: insufficient lamports HAVE, need NEED`.
pub(crate) fn funds_hint(logs: &[String]) -> Option<String> {
    let line = logs.iter().find(|line| line.contains("insufficient lamports"))?;
    let tail = line.split("insufficient lamports").nth(1)?;
    let numbers: Vec<u64> = tail.split(|c: char| !c.is_ascii_digit()).filter_map(|part| part.parse().ok()).collect();
    let [have, need] = numbers[..] else { return None };
    Some(format!(
        "the fee payer is short of SOL for the rent of an account this transaction creates: it has {have} lamports ({} SOL) and needs {need} ({} SOL); fund it and run the same command again",
        crate::chain::lamports_as_sol(have),
        crate::chain::lamports_as_sol(need)
    ))
}

async fn send_signed(global: &GlobalArgs, text: &str) -> anyhow::Result<ExitCode> {
    let transaction = signing::decode_transaction(text)?;
    send_and_report(global, transaction, json!({}), describe_sent).await
}

/// Send a completed transaction and print its outcome: the record (events) with `extra`'s
/// fields, or the refusal's SPEC name and what to do. Saves an embedded ledger either way.
pub(crate) async fn send_and_report(
    global: &GlobalArgs,
    transaction: solana_transaction::Transaction,
    extra: Value,
    describe: impl FnOnce(&Sent, Option<&crate::people::Units>) -> String,
) -> anyhow::Result<ExitCode> {
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let signature = transaction.signatures.first().map(ToString::to_string).unwrap_or_default();
    let uses_nonce = signing::durable_nonce_of(&transaction).is_some();
    let outcome = chain.send(transaction).await;
    chain.save().await?;
    let with_extra = |mut value: Value| {
        if let (Some(object), Some(fields)) = (value.as_object_mut(), extra.as_object()) {
            object.extend(fields.clone());
        }
        value
    };
    match outcome {
        Ok(sent) => {
            let mut record = sent.record();
            record["ok"] = json!(true);
            // The mint's decimals, from the first event's mint, for the text lines.
            let mint = sent.events.first().and_then(|event| event.to_json()["mint"].as_str().and_then(|text| text.parse::<Pubkey>().ok()));
            let units = match mint {
                Some(mint) => chain.mint_info(&mint).await.ok().map(|info| crate::people::Units::new(info.decimals)),
                None => None,
            };
            print_value(global.output, &with_extra(record), || describe(&sent, units.as_ref()));
            Ok(ExitCode::SUCCESS)
        }
        Err(failure) => {
            let name = failure.name().to_string();
            // A transaction sent twice (a kit file fired again, a send-signed repeated): say
            // that it already landed, or that its nonce moved on, rather than a blockhash error.
            let stale = matches!(name.as_str(), "BlockhashNotFound" | "AlreadyProcessed");
            let hint = if stale && chain.has_transaction(&signature).await.unwrap_or(false) {
                format!("this exact transaction already landed (signature {signature}): it was sent before and nothing was done now; a kit file is used once: prepare a new kit (usd1 emergency-kit prepare)")
            } else if stale && uses_nonce {
                "its durable nonce has moved on (the kit file was used or replaced since it was signed): it can never be sent; prepare a new kit (usd1 emergency-kit prepare)".to_string()
            } else {
                hints::hint(&name).to_string()
            };
            let value = with_extra(json!({"ok": false, "error": name, "hint": hint, "detail": failure.to_string()}));
            print_value(global.output, &value, || format!("error: {name}\n  {hint}\n  ({failure})"));
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Commands that sign and send at once, outside the op flow: `--simulate`, `--sign-only` and the
/// durable-nonce flags would be silently ignored, so they are refused by name.
pub(crate) fn refuse_offline_flags(global: &GlobalArgs, command: &str) -> anyhow::Result<()> {
    let given: Vec<&str> = [
        (global.simulate, "--simulate"),
        (global.sign_only, "--sign-only"),
        (global.nonce.is_some(), "--nonce"),
        (global.blockhash.is_some(), "--blockhash"),
        (!global.signers.is_empty(), "--signer"),
    ]
    .into_iter()
    .filter_map(|(set, flag)| set.then_some(flag))
    .collect();
    if !given.is_empty() {
        bail!("`usd1 {command}` signs and sends at once; it does not take {}", given.join(", "));
    }
    Ok(())
}

/// A wallet named as a public key or a keypair file, else the signer's (--keypair).
fn wallet_arg(global: &GlobalArgs, text: Option<&str>) -> anyhow::Result<Pubkey> {
    Ok(match text {
        Some(text) => match Pubkey::from_str(text) {
            Ok(key) => key,
            Err(_) => load_keypair(Path::new(text))?.pubkey(),
        },
        None => load_keypair(&signer_path(global)?)?.pubkey(),
    })
}

/// An ISO 8601 UTC time for a person to read.
fn iso_time(unix_timestamp: i64) -> String {
    chrono::DateTime::from_timestamp(unix_timestamp, 0).map_or_else(|| unix_timestamp.to_string(), |time| time.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

async fn warp(global: &GlobalArgs, secs: u64) -> anyhow::Result<ExitCode> {
    refuse_offline_flags(global, "warp")?;
    let secs = i64::try_from(secs).map_err(|_| anyhow!("warp {secs}: too far"))?;
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let before = chain.unix_timestamp().await?;
    chain.warp(secs).await?;
    let after = chain.unix_timestamp().await?;
    chain.save().await?;
    let value = json!({"warped_secs": secs, "clock_before": iso_time(before), "clock": iso_time(after), "unix_timestamp": after});
    print_value(global.output, &value, || format!("clock moved {secs} s: {} -> {}", iso_time(before), iso_time(after)));
    Ok(ExitCode::SUCCESS)
}

async fn balance(global: &GlobalArgs, owner: Option<&str>) -> anyhow::Result<ExitCode> {
    let owner = wallet_arg(global, owner)?;
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let lamports = chain.account(&owner).await?.map_or(0, |account| account.lamports);
    let mut value = json!({"owner": owner.to_string(), "sol": format_amount(lamports, 9), "sol_base_units": lamports});
    let mut text = format!("{owner}: {} SOL", format_amount(lamports, 9));
    if global.mint.is_some() {
        let mint = mint_from_args(global)?;
        let decimals = chain.mint_info(&mint).await?.decimals;
        let accounts = chain.token_accounts(&owner, &mint).await?;
        let total: u64 = accounts.iter().map(|(_, account)| account.amount).sum();
        value["usd1"] = json!(format_amount(total, decimals));
        value["usd1_base_units"] = json!(total);
        value["token_accounts"] = json!(accounts
            .iter()
            .map(|(address, account)| json!({"address": address.to_string(), "usd1": format_amount(account.amount, decimals), "usd1_base_units": account.amount, "frozen": account.frozen}))
            .collect::<Vec<_>>());
        text.push_str(&format!(", {} USD1 in {} token account(s)", format_amount(total, decimals), accounts.len()));
        for (address, account) in &accounts {
            text.push_str(&format!("\n  {address}  {} USD1{}", format_amount(account.amount, decimals), if account.frozen { "  (frozen)" } else { "" }));
        }
    }
    print_value(global.output, &value, || text);
    Ok(ExitCode::SUCCESS)
}

/// `usd1 accounts`: the deployment's addresses and the keys that sign for it, with SOL.
async fn accounts(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let mint = mint_from_args(global)?;
    let config_address = pda::config_address(&mint);
    let config = chain.config(&mint).await?;
    let mut named: Vec<(String, Pubkey)> = vec![
        ("program".into(), usd1_client::PROGRAM_ID),
        ("mint".into(), mint),
        ("config".into(), config_address),
        ("escrow".into(), pda::escrow_address(&config_address)),
        ("denylist_registry".into(), pda::denylist_registry_address(&config_address)),
        ("hook_account_list".into(), pda::extra_account_metas_address(&mint)),
    ];
    for (role, key) in usd1_client::accounts::role_holders(&config) {
        named.push((role.into(), key));
        if role == "admin" {
            if let Some(pending) = config.pending_admin {
                named.push(("pending_admin".into(), pending));
            }
        }
    }
    for (index, member) in config.council.iter().enumerate() {
        named.push((format!("council[{index}]"), *member));
    }
    let mut rows = Vec::new();
    for (what, address) in named {
        let account = chain.account(&address).await?;
        let lamports = account.as_ref().map_or(0, |account| account.lamports);
        rows.push(json!({
            "what": what,
            "address": address.to_string(),
            "exists": account.is_some(),
            "owner": account.as_ref().map(|account| account.owner.to_string()),
            "sol": crate::chain::lamports_as_sol(lamports),
            "sol_base_units": lamports,
        }));
    }
    let value = Value::Array(rows);
    print_value(global.output, &value, || {
        let rows = value
            .as_array()
            .into_iter()
            .flatten()
            .map(|row| {
                vec![
                    row["what"].as_str().unwrap_or_default().to_string(),
                    row["address"].as_str().unwrap_or_default().to_string(),
                    if row["exists"] == true { format!("{} SOL", row["sol"].as_str().unwrap_or_default()) } else { "not on chain (0 SOL)".to_string() },
                ]
            })
            .collect();
        crate::people::table(&["what", "address", "balance"], rows)
    });
    Ok(ExitCode::SUCCESS)
}

async fn airdrop(global: &GlobalArgs, to: Option<&str>, sol: u64) -> anyhow::Result<ExitCode> {
    refuse_offline_flags(global, "airdrop")?;
    let key = wallet_arg(global, to)?;
    let lamports = sol.checked_mul(1_000_000_000).ok_or_else(|| anyhow!("--sol {sol}: too many SOL"))?;
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    chain.airdrop_lamports(&key, lamports).await?;
    let balance = chain.account(&key).await?.map_or(0, |account| account.lamports);
    chain.save().await?;
    let value = json!({"to": key.to_string(), "sol": sol, "balance_sol": format_amount(balance, 9)});
    print_value(global.output, &value, || format!("airdropped {sol} SOL to {key}: balance {} SOL", format_amount(balance, 9)));
    Ok(ExitCode::SUCCESS)
}

async fn create_nonce_account(global: &GlobalArgs, nonce_path: &Path) -> anyhow::Result<ExitCode> {
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let signer = load_keypair(&signer_path(global)?)?;
    let authority = match &global.nonce_authority {
        Some(path) => load_keypair(path)?.pubkey(),
        None => signer.pubkey(),
    };
    let nonce = load_or_create_keypair(nonce_path)?;
    chain.ensure_funded(&signer.pubkey()).await?;
    let lamports = chain.rent_exempt_minimum(solana_nonce::state::State::size()).await?;
    let instructions = solana_system_interface::instruction::create_nonce_account(&signer.pubkey(), &nonce.pubkey(), &authority, lamports);
    let blockhash = chain.latest_blockhash().await?;
    let message = signing::build_message(&instructions, &signer.pubkey(), None, blockhash, signing::ComputeBudget::of(global));
    let transaction = signing::sign(message, &[&signer, &nonce], &[])?;
    let outcome = chain.send(transaction).await;
    chain.save().await?;
    match outcome {
        Ok(_) => {
            let value = json!({"nonce_account": nonce.pubkey().to_string(), "authority": authority.to_string()});
            print_value(global.output, &value, || format!("nonce account {} (authority {authority})", nonce.pubkey()));
            Ok(ExitCode::SUCCESS)
        }
        Err(failure) => {
            eprintln!("error: {failure}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn config_json(config: &Config, supply: u64, escrow_balance: u64) -> Value {
    let decimals = config.decimals;
    let net_minted = config.total_minted.saturating_sub(config.total_burned);
    json!({
        "mint": config.mint.to_json(),
        "decimals": decimals,
        "admin": config.admin.to_json(),
        "pending_admin": config.pending_admin.to_json(),
        "roles": {
            "master_minter": config.master_minter.to_json(),
            "pauser": config.pauser.to_json(),
            "denylister": config.denylister.to_json(),
            "burner": config.burner.to_json(),
            "attester": config.attester.to_json(),
            "onboarder": config.onboarder.to_json(),
        },
        "onboarding_required": config.onboarding_required,
        "council": {"members": config.council.to_json(), "threshold": config.council_threshold, "epoch": config.council_epoch},
        "paused": {"mint": config.mint_paused, "redeem": config.redeem_paused, "transfers": config.transfers_paused},
        "supply": format_amount(supply, decimals),
        "supply_base_units": supply,
        "total_minted": format_amount(config.total_minted, decimals),
        "total_burned": format_amount(config.total_burned, decimals),
        "escrowed": format_amount(config.escrowed, decimals),
        "escrow_balance": format_amount(escrow_balance, decimals),
        "escrow_excess": format_amount(escrow_balance.saturating_sub(config.escrowed), decimals),
        "unattributed_burned": format_amount(net_minted.saturating_sub(supply), decimals),
        "pending_redemptions": config.pending_redemptions,
        "supply_cap": config.supply_cap.map(|cap| format_amount(cap, decimals)),
        "timelock_secs": config.timelock_secs,
        "proposal_ttl_secs": config.proposal_ttl_secs,
        "reserve_gate": config.reserve_gate,
        "attestation": {
            "reserves": format_amount(config.attested_reserves, decimals),
            "as_of": (config.attestation_as_of != 0).then(|| crate::people::iso_time(config.attestation_as_of)),
            "as_of_unix": config.attestation_as_of,
            "report_hash": config.attestation_report_hash.to_json(),
            "max_age_secs": config.attestation_max_age_secs,
        },
        "active_minters": config.active_minters,
        "next_proposal_id": config.next_proposal_id,
        "event_seq": config.event_seq,
        // SPEC 9: tokens may vanish outside the program (holders' direct burns), never appear.
        "supply_matches_counters": config.total_minted >= config.total_burned && supply <= net_minted,
    })
}

async fn status(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let mint = mint_from_args(global)?;
    let config = chain.config(&mint).await?;
    let info = chain.mint_info(&mint).await?;
    let escrow_balance = chain.escrow_balance(&mint).await?;
    let value = config_json(&config, info.supply, escrow_balance);
    print_value(global.output, &value, || {
        // For people: amounts with the symbol, and no base-unit or unix duplicates.
        let units = crate::people::Units { decimals: config.decimals, symbol: if info.symbol.is_empty() { usd1_client::amount::SYMBOL.to_string() } else { info.symbol.clone() } };
        let mut shown = value.clone();
        let with_symbol = |field: &mut Value| {
            if let Some(base_units) = field.as_str().and_then(|text| usd1_client::amount::parse_amount(text, config.decimals).ok()) {
                *field = json!(units.tokens(base_units));
            }
        };
        for key in ["supply", "total_minted", "total_burned", "escrowed", "escrow_balance", "escrow_excess", "unattributed_burned", "supply_cap"] {
            with_symbol(&mut shown[key]);
        }
        with_symbol(&mut shown["attestation"]["reserves"]);
        if let Some(object) = shown.as_object_mut() {
            object.remove("supply_base_units");
        }
        if let Some(attestation) = shown["attestation"].as_object_mut() {
            attestation.remove("as_of_unix");
        }
        crate::people::key_value_table(&shown)
    });
    Ok(ExitCode::SUCCESS)
}

/// The program accounts of type `T` that belong to this mint's Config.
async fn accounts_of<T>(
    chain: &mut Chain,
    mint: &Pubkey,
    discriminator: &[u8],
    decode: impl Fn(&[u8]) -> anyhow::Result<T>,
    config_of: impl Fn(&T) -> Pubkey,
) -> anyhow::Result<Vec<(Pubkey, T)>> {
    let config = pda::config_address(mint);
    let mut found = Vec::new();
    for (key, account) in chain.program_accounts().await? {
        if account.data.starts_with(discriminator) {
            let decoded = decode(&account.data)?;
            if config_of(&decoded) == config {
                found.push((key, decoded));
            }
        }
    }
    Ok(found)
}

async fn minters(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let mint = mint_from_args(global)?;
    let decimals = chain.config(&mint).await?.decimals;
    let units = crate::people::Units::new(decimals);
    let list = accounts_of(chain, &mint, Minter::DISCRIMINATOR, |data| Ok(decode_minter(data)?), |minter: &Minter| minter.config).await?;
    let raw: Vec<Value> = list
        .iter()
        .map(|(_, minter)| {
            json!({
                "minter": minter.minter.to_string(),
                "active": minter.active,
                "allowance": minter.allowance,
                "lifetime_minted": minter.lifetime_minted,
                "total_granted": minter.total_granted,
                "rate_limit": minter.rate_limit.map(|limit| json!({"capacity": limit.capacity, "refill_per_sec": limit.refill_per_sec})),
                "generation": minter.generation,
            })
        })
        .collect();
    let machine_fields = |minter: &Value| {
        // `lifetime_minted` and `total_granted` are amounts too (named for the minter, not the event).
        let mut shown = crate::people::with_machine_values(minter, decimals);
        for key in ["lifetime_minted", "total_granted"] {
            let base_units = minter[key].as_u64().unwrap_or_default();
            shown[key] = json!(format_amount(base_units, decimals));
            shown[format!("{key}_base_units")] = json!(base_units);
        }
        shown
    };
    let value = Value::Array(raw.iter().map(machine_fields).collect());
    print_value(global.output, &value, || {
        if raw.is_empty() {
            return "no minters".to_string();
        }
        let rows = raw
            .iter()
            .map(|minter| {
                let amount = |key: &str| units.tokens(minter[key].as_u64().unwrap_or_default());
                let rate_limit = match minter["rate_limit"].as_object() {
                    Some(limit) => format!(
                        "{} bucket, {} per second",
                        units.tokens(limit["capacity"].as_u64().unwrap_or_default()),
                        units.tokens(limit["refill_per_sec"].as_u64().unwrap_or_default())
                    ),
                    None => "none".to_string(),
                };
                vec![
                    minter["minter"].as_str().unwrap_or_default().to_string(),
                    if minter["active"] == true { "yes" } else { "no" }.to_string(),
                    amount("allowance"),
                    amount("lifetime_minted"),
                    amount("total_granted"),
                    rate_limit,
                ]
            })
            .collect();
        crate::people::table(&["minter", "active", "allowance", "minted (lifetime)", "granted (lifetime)", "rate limit"], rows)
    });
    Ok(ExitCode::SUCCESS)
}

/// What a proposal waits for, as a person reads it.
fn proposal_state(proposal: &Proposal, config: &Config, now: i64) -> &'static str {
    if proposal.is_rejected(config) {
        "rejected"
    } else if proposal.is_stale(config) {
        "stale (the council changed)"
    } else if now >= proposal.expires_at {
        "expired"
    } else {
        match proposal.executable_at() {
            None => "needs approvals",
            Some(executable_at) if now < executable_at => "in timelock",
            Some(_) => "ready to execute",
        }
    }
}

async fn proposals(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let mint = mint_from_args(global)?;
    let config = chain.config(&mint).await?;
    let now = chain.unix_timestamp().await?;
    let units = crate::people::Units::new(config.decimals);
    let mut list =
        accounts_of(chain, &mint, Proposal::DISCRIMINATOR, |data| Ok(decode_proposal(data)?), |proposal: &Proposal| proposal.config).await?;
    list.sort_by_key(|(_, proposal)| proposal.id);
    // The program's values (base units, unix seconds), then shown for machines and for people.
    let raw: Vec<Value> = list
        .iter()
        .map(|(_, proposal)| {
            json!({
                "id": proposal.id,
                "proposer": proposal.proposer.to_string(),
                "kind": proposal.kind.to_json(),
                "approvals": proposal.approvals.to_json(),
                "rejections": proposal.rejections.to_json(),
                "threshold": config.council_threshold,
                "stale": proposal.is_stale(&config),
                "rejected": proposal.is_rejected(&config),
                "state": proposal_state(proposal, &config, now),
                "created_at": proposal.created_at,
                "expires_at": proposal.expires_at,
                "timelock_secs": proposal.timelock_secs,
                "executable_at": proposal.executable_at(),
            })
        })
        .collect();
    let value = crate::people::with_machine_values(&Value::Array(raw.clone()), config.decimals);
    print_value(global.output, &value, || {
        if raw.is_empty() {
            return "no open proposals".to_string();
        }
        let rows = raw
            .iter()
            .map(|proposal| {
                let shown = crate::people::for_people(proposal, &units);
                vec![
                    shown["id"].to_string(),
                    crate::people::inline(&shown["kind"]),
                    format!("{} of {}", proposal["approvals"].as_array().map_or(0, Vec::len), proposal["threshold"]),
                    shown["state"].as_str().unwrap_or_default().to_string(),
                    shown["created_at"].as_str().unwrap_or_default().to_string(),
                    shown["executable_at"].as_str().unwrap_or("once approved").to_string(),
                    shown["expires_at"].as_str().unwrap_or_default().to_string(),
                ]
            })
            .collect();
        crate::people::table(&["id", "proposal", "approvals", "state", "created (UTC)", "executable from", "expires"], rows)
    });
    Ok(ExitCode::SUCCESS)
}

async fn events(global: &GlobalArgs, follow: bool, from_seq: u64, until_seq: Option<u64>) -> anyhow::Result<ExitCode> {
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let mint = mint_from_args(global)?;
    if follow {
        crate::follow::follow(chain, &mint, from_seq, until_seq, global.output).await?;
        return Ok(ExitCode::SUCCESS);
    }
    let mint_text = mint.to_string();
    let units = crate::people::Units::new(chain.config(&mint).await?.decimals);
    for record in chain.recorded_transactions(&mint, None, 1_000).await?.0 {
        for event in record["events"].as_array().into_iter().flatten() {
            if event["mint"] == json!(mint_text) && event["seq"].as_u64().is_some_and(|seq| seq >= from_seq) {
                crate::follow::print_event(global.output, event, &units);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `usd1 localnet`: serve until Ctrl-C (or SIGTERM), then save the ledger file.
async fn serve_localnet(global: &GlobalArgs, port: u16) -> anyhow::Result<ExitCode> {
    let build = announce_program_build(global)?;
    let ledger_file = global.ledger.as_ref().map(|path| crate::chain::LedgerFile { path: path.clone(), create: true, serving: true });
    // The handlers first: a SIGTERM right after the banner (a script or test stopping it at
    // once) must still stop it cleanly and write the ledger, not kill it mid-write.
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut interrupt = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    let running = crate::localnet::start(port, ledger_file, &build).await?;
    let url = format!("http://{}", running.address);
    let websocket_url = format!("ws://{}", running.websocket_address);
    let value = json!({
        "url": url,
        "websocket_url": websocket_url,
        "program_id": usd1_client::PROGRAM_ID.to_string(),
        "program_build": build.describe(),
        "ledger": global.ledger.as_ref().map(|path| path.display().to_string()),
        "fund": format!("usd1 --url {url} airdrop --to <PUBKEY|KEYPAIR_FILE> --sol 10  (requestAirdrop over JSON-RPC; `solana airdrop` works too)"),
        "warp": format!("{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{}\",\"params\":[SECONDS]}}", crate::localnet::WARP_METHOD),
    });
    print_value(global.output, &value, || {
        format!(
            "usd1 localnet listening on {url} (websocket {websocket_url})\nprogram id {}\nfund a key: usd1 --url {url} airdrop --to <PUBKEY|KEYPAIR_FILE> --sol 10\nmove the clock: {} [seconds]\nCtrl-C stops it{}",
            usd1_client::PROGRAM_ID,
            crate::localnet::WARP_METHOD,
            global.ledger.as_ref().map(|path| format!("; the ledger is saved to {}", path.display())).unwrap_or_default()
        )
    });
    tokio::select! {
        _ = interrupt.recv() => {}
        _ = terminate.recv() => {}
    }
    running.stop().await?;
    eprintln!("usd1 localnet stopped");
    Ok(ExitCode::SUCCESS)
}
