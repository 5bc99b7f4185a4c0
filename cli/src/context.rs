//! What every command shares: the chain, signers and mint from the global arguments, and
//! how output is printed. Command modules import this, never each other.
use crate::output::outln;
use crate::{
    chain::{Chain, Sent},
    hints,
    ops::Resolver,
    signing, GlobalArgs, OutputFormat,
};
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
use usd1_ledger::ProgramBuild;

/// The Solana CLI config, when there is one; one that exists but cannot be read is an error
/// naming it (its URL and keypair would otherwise be silently replaced by defaults).
pub(crate) fn solana_config() -> anyhow::Result<Option<solana_cli_config::Config>> {
    let Some(path) = solana_cli_config::CONFIG_FILE.as_ref() else { return Ok(None) };
    if !Path::new(path).exists() {
        return Ok(None);
    }
    solana_cli_config::Config::load(path)
        .map(Some)
        .map_err(|error| anyhow!("the Solana CLI config {path} cannot be read ({error}): fix it (`solana config set ...` rewrites it), or pass --url and --keypair"))
}

/// Where `target/deploy/usd1.so` is looked for when neither `--program-so` nor the environment names one.
pub(crate) const DEFAULT_PROGRAM_SO: &str = "target/deploy/usd1.so";

/// The program build an embedded ledger runs, and why (for `announce_program_build`).
pub(crate) fn choose_program_build(global: &GlobalArgs) -> anyhow::Result<(ProgramBuild, String)> {
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
pub(crate) fn newest_source_after(built: &Path) -> Option<PathBuf> {
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

/// The chain, or a refusal naming why a command needs one when it was opened offline.
pub(crate) fn require_chain(chain: &mut Option<Chain>) -> anyhow::Result<&mut Chain> {
    chain.as_mut().ok_or_else(|| anyhow!("this needs the chain; offline (--sign-only --blockhash) only prepares and signs"))
}

/// A keypair from a signer source as the Solana CLI reads one (solana-clap-utils): a keypair
/// file (or `file://PATH`), `prompt://` or `ASK` (a seed phrase and passphrase typed on the
/// terminal), `stdin://` or `-` (a keypair file's JSON on standard input). A `usb://` device is
/// refused with the route that works for it; any failure names the source.
pub fn load_keypair(path: &Path) -> anyhow::Result<Keypair> {
    let source = path.to_string_lossy();
    if source.starts_with("usb://") {
        bail!(
            "cannot sign with {source} here: this usd1 signs with keypairs; sign on the machine that holds the device (`usd1 ... --sign-only`, or `solana` with the same message) and pass its signature here with --signer PUBKEY=SIGNATURE"
        );
    }
    let is_uri = source.contains("://") || matches!(source.as_ref(), "ASK" | "-");
    if !is_uri {
        return read_keypair_file(path).map_err(|error| anyhow!("cannot read keypair {}: {error}", path.display()));
    }
    // Read once per process: the same source may name several roles of one command (signer,
    // nonce authority, fee payer), and stdin or a typed seed phrase cannot be read twice.
    static READ: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<String, Keypair>>> = std::sync::OnceLock::new();
    let read = READ.get_or_init(Default::default);
    if let Some(keypair) = read.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(source.as_ref()) {
        return Ok(keypair.insecure_clone());
    }
    // The parser reads one flag from clap 2's matches (skip seed phrase validation): none here.
    let matches = clap2::App::new("usd1").get_matches_from(["usd1"]);
    let keypair = solana_clap_utils::keypair::keypair_from_path(&matches, &source, "keypair", false).map_err(|error| {
        let prompted = source.starts_with("prompt:") || source == "ASK";
        if prompted && error.to_string().contains("os error 6") {
            anyhow!("cannot read keypair {source}: no terminal to type the seed phrase on (run it in a terminal, or use a keypair file)")
        } else {
            anyhow!("cannot read keypair {source}: {error}")
        }
    })?;
    read.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(source.to_string(), keypair.insecure_clone());
    Ok(keypair)
}

/// A keypair file, created when missing (never overwritten).
pub(crate) fn load_or_create_keypair(path: &Path) -> anyhow::Result<Keypair> {
    if path.exists() {
        // Never overwritten: the file may hold a role's only key.
        return load_keypair(path);
    }
    let keypair = Keypair::new();
    write_keypair_file(&keypair, path).map_err(|error| anyhow!("cannot write keypair {}: {error}", path.display()))?;
    Ok(keypair)
}

/// The signer's keypair file: --keypair, else the Solana CLI config's.
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
pub(crate) struct CliResolver {
    pub(crate) keypairs: Vec<Keypair>,
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
pub(crate) fn usd1_config_path() -> Option<PathBuf> {
    let solana = solana_cli_config::CONFIG_FILE.as_ref()?;
    Some(Path::new(solana).with_file_name("usd1.toml"))
}

/// The default mint and where it came from, when --mint is not given.
pub(crate) fn default_mint() -> anyhow::Result<Option<(String, String)>> {
    if let Some(mint) = std::env::var("USD1_MINT").ok().filter(|mint| !mint.is_empty()) {
        return Ok(Some((mint, "USD1_MINT".into())));
    }
    let Some(path) = usd1_config_path().filter(|path| path.exists()) else { return Ok(None) };
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let table: toml::Table = text.parse().map_err(|error| anyhow!("{} is not valid TOML ({error}): fix it or set it again with `usd1 config set --mint`", path.display()))?;
    Ok(table.get("mint").and_then(|mint| mint.as_str()).map(|mint| (mint.to_string(), path.display().to_string())))
}

/// The mint: --mint (a key or a keypair file), else USD1_MINT, else `usd1 config set --mint`.
pub fn mint_from_args(global: &GlobalArgs) -> anyhow::Result<Pubkey> {
    // Resolved only by commands that need a mint: a broken `usd1.toml` stops none of the others.
    let text = match &global.mint {
        Some(text) => text.clone(),
        None => default_mint()?
            .map(|(mint, _)| mint)
            .ok_or_else(|| anyhow!("no mint given: pass --mint (the mint's public key or keypair file), set USD1_MINT, or keep one with `usd1 config set --mint KEY`"))?,
    };
    CliResolver::default().key(&text)
}

/// Print a command's result: the JSON document, or `text` for a person.
pub fn print_value(format: OutputFormat, value: &Value, text: impl FnOnce() -> String) {
    match format {
        OutputFormat::Json => outln!("{value}"),
        OutputFormat::Text => outln!("{}", text()),
    }
}

/// A sent transaction as a person reads it: its signature, then each event on one line with
/// amounts in token units (`units`: the mint's decimals; base units, said so, without them).
pub(crate) fn describe_sent(sent: &Sent, units: Option<&crate::people::Units>) -> String {
    let mut lines = vec![format!("signature {} (slot{})", sent.signature, sent.block_time.map(|time| format!(" {}, {}", sent.slot, crate::people::iso_time(time))).unwrap_or_else(|| format!(" {}", sent.slot)))];
    for event in &sent.events {
        match units {
            Some(units) => lines.push(format!("  event {}", crate::people::event_line(&event.to_json(), units))),
            None => lines.push(format!("  event #{} {} (amounts in base units): {}", event.seq(), event.name(), crate::people::inline(&event.to_json()))),
        }
    }
    lines.join("\n")
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
            let landed = if stale { chain.landed(&signature).await.unwrap_or(None) } else { None };
            let hint = if let Some(Some(error)) = &landed {
                format!("this exact transaction was sent before (signature {signature}) and FAILED then ({error}): its nonce is spent and nothing it does is in effect; do what it was for another way, and prepare a new kit (usd1 emergency-kit prepare)")
            } else if landed.is_some() {
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
pub(crate) fn wallet_arg(global: &GlobalArgs, text: Option<&str>) -> anyhow::Result<Pubkey> {
    Ok(match text {
        Some(text) => match Pubkey::from_str(text) {
            Ok(key) => key,
            Err(_) => load_keypair(Path::new(text))?.pubkey(),
        },
        None => load_keypair(&signer_path(global)?)?.pubkey(),
    })
}
