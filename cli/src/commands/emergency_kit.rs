//! `usd1 emergency-kit`: transactions signed in advance so that an incident responder acts in
//! seconds without gathering keys (SPEC 12).
//!
//! `prepare` writes, for the pauser's `pause{all}` and the master minter's `remove_minter` of
//! every active minter, one durable-nonce transaction each (its own nonce account, the fee
//! payer as nonce authority, signed by the role key and the fee payer) and a manifest. A role
//! given as a public key instead of a keypair file is left unsigned: its holder signs the same
//! message elsewhere with the sign-only flow (`--nonce` of that file, `--sign-only`), and
//! `fire --signer PUBKEY=SIGNATURE` adds it. `check` simulates each file and says whether it
//! would still succeed (nonce used, minter gone, role rotated); `fire` sends one.
use crate::{
    chain::Chain,
    context::{mint_from_args, open_chain, print_value, require_chain, send_and_report, signer_path, SignerSource},
    hints, signing, GlobalArgs,
};
use anchor_lang::Discriminator;
use anyhow::{anyhow, bail, Context};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::json;
use solana_hash::Hash;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_sanitize::Sanitize;
use solana_transaction::Transaction;
use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};
use usd1_client::{accounts::decode_minter, instructions, pda, Minter, PauseScope};

/// One prepared transaction, as written to its file.
#[derive(Serialize, Deserialize, Clone)]
pub struct KitEntry {
    /// What it does, for the responder.
    pub what: String,
    /// The CLI op it carries.
    pub op: String,
    /// The role key that signs it.
    pub role_key: String,
    pub fee_payer: String,
    pub nonce_account: String,
    pub nonce_authority: String,
    /// The nonce value the transaction was signed under (its blockhash).
    pub nonce_value: String,
    /// The priority fee it was signed with (micro-lamports per compute unit; fixed once signed).
    #[serde(default)]
    pub compute_unit_price: u64,
    /// The compute-unit limit it was signed with.
    #[serde(default)]
    pub compute_unit_limit: u32,
    pub created_at: i64,
    /// Signers whose signature is still to be collected (`fire --signer`).
    pub absent: Vec<String>,
    /// The transaction, bincode and base64 (signatures that are present included).
    pub transaction: String,
}

#[derive(Serialize, Deserialize)]
pub struct Manifest {
    pub mint: String,
    pub program_id: String,
    pub created_at: i64,
    /// File names in the kit's directory.
    pub files: Vec<String>,
}

fn decode(entry: &KitEntry) -> anyhow::Result<Transaction> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(&entry.transaction).context("the kit's transaction is not base64")?;
    let transaction: Transaction = bincode::deserialize(&bytes).context("the kit's transaction does not decode")?;
    transaction.sanitize().context("the kit's transaction is malformed")?;
    Ok(transaction)
}

/// What a kit transaction really does, read from its signed message (not from the file's
/// description): `pause --scope all` or `remove-minter --minter KEY` after the nonce advance.
fn signed_action(transaction: &Transaction) -> anyhow::Result<String> {
    use anchor_lang::AnchorDeserialize;
    let message = &transaction.message;
    let program = |instruction: &solana_message::compiled_instruction::CompiledInstruction| message.account_keys.get(usize::from(instruction.program_id_index)).copied();
    let not_a_kit = || anyhow!("not an emergency-kit transaction: expected a nonce advance and one USD1 instruction (compute-budget instructions aside)");
    let Some((advance, rest)) = message.instructions.split_first() else { return Err(not_a_kit()) };
    // The compute-unit limit and priority fee the kit was signed with ride beside the action.
    let actions: Vec<_> = rest.iter().filter(|instruction| program(instruction) != Some(solana_sdk_ids::compute_budget::ID)).collect();
    let [action] = actions.as_slice() else { return Err(not_a_kit()) };
    if program(advance) != Some(solana_sdk_ids::system_program::ID) || advance.data.first() != Some(&4) || program(action) != Some(usd1_client::PROGRAM_ID) {
        return Err(not_a_kit());
    }
    let (discriminator, mut body) = action.data.split_at(8.min(action.data.len()));
    if discriminator == usd1::instruction::Pause::DISCRIMINATOR {
        let pause = usd1::instruction::Pause::deserialize(&mut body).context("pause arguments")?;
        let scope = usd1_client::events::ToJson::to_json(&pause.params.scope);
        Ok(format!("pause --scope {}", scope.as_str().unwrap_or_default()))
    } else if discriminator == usd1::instruction::RemoveMinter::DISCRIMINATOR {
        let remove = usd1::instruction::RemoveMinter::deserialize(&mut body).context("remove_minter arguments")?;
        Ok(format!("remove-minter --minter {}", remove.params.minter))
    } else {
        bail!("not an emergency-kit transaction: its USD1 instruction is neither pause nor remove_minter")
    }
}

/// Whether every signature present in the file matches its message (absent ones are zero).
fn present_signatures_verify(transaction: &Transaction) -> bool {
    let message = transaction.message_data();
    signing::required_signers(transaction)
        .iter()
        .zip(&transaction.signatures)
        .all(|(key, signature)| *signature == solana_signature::Signature::default() || signature.verify(key.as_ref(), &message))
}

fn read_entry(path: &Path) -> anyhow::Result<KitEntry> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not an emergency-kit file", path.display()))
}

async fn create_nonce(chain: &mut Chain, payer: &Keypair) -> anyhow::Result<Pubkey> {
    let nonce = Keypair::new();
    let lamports = chain.rent_exempt_minimum(solana_nonce::state::State::size()).await?;
    let create = solana_system_interface::instruction::create_nonce_account(&payer.pubkey(), &nonce.pubkey(), &payer.pubkey(), lamports);
    let blockhash = chain.latest_blockhash().await?;
    let transaction = Transaction::new_signed_with_payer(&create, Some(&payer.pubkey()), &[payer, &nonce], blockhash);
    chain.send(transaction).await.map_err(|failure| anyhow!("creating a nonce account: {failure}"))?;
    Ok(nonce.pubkey())
}

/// The priority fee a kit is signed with when `--with-compute-unit-price` is not given: a kit is
/// fired when the cluster may be busiest and cannot be re-priced once signed. One lamport per
/// unit: about 0.00006 SOL for a pause under its limit.
pub const DEFAULT_KIT_UNIT_PRICE: u64 = 1_000_000;

/// Sign `instruction` under a fresh nonce account; the role key signs if it is at hand.
#[allow(clippy::too_many_arguments)]
async fn prepare_one(
    chain: &mut Chain,
    payer: &Keypair,
    role: &SignerSource,
    instruction: Instruction,
    what: String,
    op: &str,
    now: i64,
    (unit_price, unit_limit): (u64, Option<u32>),
) -> anyhow::Result<KitEntry> {
    let nonce = create_nonce(chain, payer).await?;
    let nonce_value: Hash = chain.nonce_blockhash(&nonce).await?;
    // An explicit limit, recorded in the file: a role key signing elsewhere passes the same
    // --compute-unit-limit and --with-compute-unit-price, whatever its CLI's published table says.
    let compute_unit_limit = unit_limit.unwrap_or_else(|| {
        usd1_client::compute_budget::transaction_units(&[
            solana_system_interface::instruction::advance_nonce_account(&nonce, &payer.pubkey()),
            instruction.clone(),
        ])
    });
    let budget = signing::ComputeBudget { unit_price: Some(unit_price), unit_limit: Some(compute_unit_limit) };
    let message = signing::build_message(&[instruction], &payer.pubkey(), Some((&nonce, &payer.pubkey())), nonce_value, budget);
    let keypairs: Vec<&Keypair> = [Some(payer), role.keypair()].into_iter().flatten().collect();
    let transaction = signing::sign(message, &keypairs, &[])?;
    Ok(KitEntry {
        what,
        op: op.into(),
        role_key: role.pubkey().to_string(),
        fee_payer: payer.pubkey().to_string(),
        nonce_account: nonce.to_string(),
        nonce_authority: payer.pubkey().to_string(),
        nonce_value: nonce_value.to_string(),
        compute_unit_price: unit_price,
        compute_unit_limit,
        created_at: now,
        absent: signing::absent_signers(&transaction).iter().map(Pubkey::to_string).collect(),
        transaction: base64::engine::general_purpose::STANDARD.encode(bincode::serialize(&transaction)?),
    })
}

/// `usd1 emergency-kit prepare`: pre-sign the pause and every minter's removal on durable nonces.
pub async fn prepare(global: &GlobalArgs, out: &Path, pauser: &Path, master_minter: &Path) -> anyhow::Result<ExitCode> {
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let mint = mint_from_args(global)?;
    let payer_path = global.fee_payer.clone().map(Ok).unwrap_or_else(|| signer_path(global))?;
    let payer = crate::context::load_keypair(&payer_path)?;
    chain.ensure_funded(&payer.pubkey()).await?;
    let (pauser, master_minter) = (SignerSource::from_arg(pauser)?, SignerSource::from_arg(master_minter)?);
    let unit_price = global.with_compute_unit_price.unwrap_or(DEFAULT_KIT_UNIT_PRICE);
    let config = chain.config(&mint).await?;
    for (role, name, expected) in [(&pauser, "pauser", config.pauser), (&master_minter, "master minter", config.master_minter)] {
        if role.pubkey() != expected {
            bail!("{} is not this mint's {name} ({expected})", role.pubkey());
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let now = chain.unix_timestamp().await?;
    let mut files = Vec::new();
    let mut write = |name: String, entry: &KitEntry| -> anyhow::Result<()> {
        write_private(&out.join(&name), &(serde_json::to_string_pretty(entry)? + "\n")).with_context(|| format!("writing {name}"))?;
        files.push(name);
        Ok(())
    };
    let pause = instructions::pause(&pauser.pubkey(), &mint, PauseScope::All);
    let entry = prepare_one(chain, &payer, &pauser, pause, "pause everything (mint, redeem, transfers; Token-2022 Pausable)".into(), "pause --scope all", now, (unit_price, global.compute_unit_limit)).await?;
    write("pause-all.json".into(), &entry)?;
    let minters = active_minters(chain, &mint).await?;
    let bar = crate::people::progress(minters.len() as u64, "emergency kit: minter removals");
    for minter in &minters {
        bar.inc(1);
        let remove = instructions::remove_minter(&master_minter.pubkey(), &mint, &minter.minter);
        let what = format!("remove minter {} (its remaining allowance is forfeited)", minter.minter);
        let entry = prepare_one(chain, &payer, &master_minter, remove, what, &format!("remove-minter --minter {}", minter.minter), now, (unit_price, global.compute_unit_limit)).await?;
        write(format!("remove-minter-{}.json", minter.minter), &entry)?;
    }
    bar.finish_and_clear();
    let manifest = Manifest { mint: mint.to_string(), program_id: usd1_client::PROGRAM_ID.to_string(), created_at: now, files: files.clone() };
    write_private(&out.join("manifest.json"), &(serde_json::to_string_pretty(&manifest)? + "\n")).context("writing manifest.json")?;
    chain.save().await?;
    let absent: Vec<String> = files.iter().filter_map(|name| read_entry(&out.join(name)).ok()).flat_map(|entry| entry.absent).collect();
    let value = json!({"ok": true, "directory": out.display().to_string(), "files": files, "minters": minters.len(), "awaiting_signatures_from": absent});
    print_value(global.output, &value, || {
        let mut text = format!("emergency kit in {}: {} transaction(s) (pause all, remove {} minter(s))", out.display(), files.len(), minters.len());
        if !absent.is_empty() {
            text.push_str(&format!(
                "\n  still to be signed by the role key elsewhere: the same op with --sign-only, the file's nonce_value as --blockhash, and the file's compute_unit_price and compute_unit_limit as --with-compute-unit-price and --compute-unit-limit; then `fire --signer`"
            ));
        }
        text
    });
    Ok(ExitCode::SUCCESS)
}

/// The mint's active minters, by key.
async fn active_minters(chain: &mut Chain, mint: &Pubkey) -> anyhow::Result<Vec<Minter>> {
    let config_key = pda::config_address(mint);
    let mut minters: Vec<Minter> = Vec::new();
    for (_, account) in chain.program_accounts().await? {
        if account.data.starts_with(Minter::DISCRIMINATOR) {
            let minter = decode_minter(&account.data)?;
            if minter.config == config_key && minter.active {
                minters.push(minter);
            }
        }
    }
    minters.sort_by_key(|minter| minter.minter);
    Ok(minters)
}

/// Whether one kit transaction would still succeed, and if not, why.
async fn check_one(chain: &mut Chain, entry: &KitEntry) -> anyhow::Result<(bool, String)> {
    let transaction = decode(entry)?;
    if !present_signatures_verify(&transaction) {
        return Ok((false, "SignatureMismatch".into()));
    }
    if signed_action(&transaction).ok().as_deref() != Some(entry.op.as_str()) {
        return Ok((false, "DescriptionMismatch".into()));
    }
    let nonce: Pubkey = entry.nonce_account.parse()?;
    let current = match chain.account(&nonce).await? {
        Some(_) => chain.nonce_blockhash(&nonce).await?,
        None => return Ok((false, "NonceAccountMissing".into())),
    };
    if current != transaction.message.recent_blockhash {
        return Ok((false, "NonceAdvanced".into()));
    }
    match chain.simulate_durable(transaction).await {
        Ok(_) => Ok((true, if entry.absent.is_empty() { "ok".into() } else { format!("ok once signed by {}", entry.absent.join(", ")) })),
        Err(failure) => Ok((false, failure.name().to_string())),
    }
}

/// `usd1 emergency-kit check`: whether each kit file would still succeed, file by file.
pub async fn check(global: &GlobalArgs, directory: &Path) -> anyhow::Result<ExitCode> {
    let manifest: Manifest = serde_json::from_str(&std::fs::read_to_string(directory.join("manifest.json")).context("reading the kit's manifest.json")?)
        .context("manifest.json is not an emergency-kit manifest")?;
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let mut results = Vec::new();
    for name in &manifest.files {
        let entry = read_entry(&directory.join(name))?;
        let (ok, reason) = check_one(chain, &entry).await?;
        results.push(json!({"file": name, "what": entry.what, "would_succeed": ok, "reason": reason, "hint": (!ok).then(|| hints::hint(&reason))}));
    }
    // A kit that cannot remove a minter added since it was prepared is not ready.
    let mint: Pubkey = manifest.mint.parse().context("manifest.json: mint")?;
    for minter in active_minters(chain, &mint).await? {
        let name = format!("remove-minter-{}.json", minter.minter);
        if !manifest.files.contains(&name) {
            results.push(json!({"file": name, "what": format!("remove minter {}", minter.minter), "would_succeed": false,
                "reason": "MISSING", "hint": "this active minter has no pre-signed removal: prepare a new kit (usd1 emergency-kit prepare)"}));
        }
    }
    let all_ok = results.iter().all(|result| result["would_succeed"] == true);
    let value = json!({"ok": all_ok, "mint": manifest.mint, "results": results});
    print_value(global.output, &value, || {
        results
            .iter()
            .map(|result| {
                let mark = match (result["would_succeed"] == true, result["reason"].as_str()) {
                    (true, _) => "ready  ",
                    (false, Some("MISSING")) => "MISSING",
                    (false, _) => "STALE  ",
                };
                format!("{mark} {:<60} {}", result["file"].as_str().unwrap_or_default(), result["reason"].as_str().unwrap_or_default())
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(if all_ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `usd1 emergency-kit fire`: send one kit file, after checking it does what it says.
pub async fn fire(global: &GlobalArgs, file: &PathBuf) -> anyhow::Result<ExitCode> {
    let entry = read_entry(file)?;
    let transaction = decode(&entry)?;
    // The responder is told what the signed message does, whatever the file says of itself.
    let action = signed_action(&transaction)?;
    if action != entry.op {
        bail!("{} describes itself as `{}` but its signed transaction does `{action}`: do not fire it; prepare the kit again", file.display(), entry.op);
    }
    let collected = global.signers.iter().map(|text| signing::parse_signer(text)).collect::<anyhow::Result<Vec<_>>>()?;
    let transaction = if collected.is_empty() {
        transaction
    } else {
        let signatures = transaction.signatures.clone();
        let mut completed = signing::sign(transaction.message.clone(), &[], &collected)?;
        for (slot, signature) in completed.signatures.iter_mut().zip(signatures) {
            if *slot == solana_signature::Signature::default() {
                *slot = signature;
            }
        }
        completed
    };
    let absent = signing::absent_signers(&transaction);
    if !absent.is_empty() {
        bail!(
            "{} still lacks the signature of {}: sign it where that key lives and pass --signer PUBKEY=SIGNATURE",
            file.display(),
            absent.iter().map(Pubkey::to_string).collect::<Vec<_>>().join(", ")
        );
    }
    transaction.verify().context("a signature does not match the kit's transaction")?;
    // `action` is read from the signed message; `what` is the file's own words for it.
    let extra = json!({"what": entry.what, "action": action});
    send_and_report(global, transaction, extra, |sent, _| format!("fired: {action} ({} event(s), signature {})", sent.events.len(), sent.signature)).await
}

/// Write a kit file readable by its owner only (0600): a signed pause or removal can be fired
/// by whoever reads it.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    // An older file keeps its mode on open: narrow it too.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    file.write_all(text.as_bytes())
}
