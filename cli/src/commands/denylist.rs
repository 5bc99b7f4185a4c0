//! `usd1 denylist sync`: apply a sanctions-list update as one reviewed batch (SPEC 12).
//!
//! The list is CSV `wallet,reason` (a header row allowed). Every row is checked first; any bad
//! row is reported with its line number and nothing is sent. The diff is taken against the
//! chain's denylist (the DenylistRegistry account, not a local cache): wallets listed but not on chain are
//! added (freezing every token account of the mint they hold), wallets on chain but not
//! listed are removed (thawing them), the rest are unchanged. Changes go out in transactions
//! packed up to the size limit; a transaction that fails is retried one change at a time so
//! that one bad wallet does not hold back the others. Because the diff is recomputed from the
//! chain on every run, a run that stopped halfway (crash, `--max-transactions`) is finished
//! by running it again, and a finished one sends nothing.
use crate::{
    chain::Chain,
    context::{load_keypair, mint_from_args, open_chain, print_value, require_chain, signer_path},
    ops::{follow_up, wallet_accounts, Actors, Op},
    GlobalArgs,
};
use anyhow::{bail, Context};
use serde_json::{json, Value};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
    process::ExitCode,
};
use usd1_client::{instructions, pda, reference_hash, DenylistRegistry};
use usd1_ledger::Failure;

/// Largest serialized transaction the network accepts.
const PACKET_BYTES: usize = 1232;
/// Changes per transaction at most: each freezes or thaws accounts (about 1,100 CU each) and
/// moves the registry, so a full packet of them stays far inside the compute limit.
const MAX_CHANGES_PER_TRANSACTION: usize = 8;

/// One row of the list.
#[derive(Debug, Clone)]
pub struct Listed {
    pub wallet: Pubkey,
    pub reason: String,
}

/// Parse the list; every bad row is an error naming its line (all of them, not just the first).
pub fn parse_list(text: &str) -> Result<Vec<Listed>, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    let mut first_line: BTreeMap<Pubkey, u64> = BTreeMap::new();
    // The line a record starts on, from its byte offset (the reader's own line count skips blank lines).
    // A record's position may be that of the blank lines skipped before it: step over them.
    // Records come in order, so lines are counted from the previous record on (linear time).
    let bytes = text.as_bytes();
    let mut counted = (0usize, 1u64);
    let mut line_at = |byte: u64| {
        let mut at = (byte as usize).min(bytes.len());
        while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
            at += 1;
        }
        let (from, line) = counted;
        let line = if at >= from { line + bytes[from..at].iter().filter(|&&b| b == b'\n').count() as u64 } else { bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1 };
        counted = (at, line);
        line
    };
    for (index, record) in reader.records().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map(|position| line_at(position.byte())).unwrap_or(index as u64 + 1);
                errors.push(format!("line {line}: {error}"));
                continue;
            }
        };
        let line = record.position().map(|position| line_at(position.byte())).unwrap_or(index as u64 + 1);
        if record.iter().all(str::is_empty) {
            continue;
        }
        if index == 0 && record.get(0).is_some_and(|field| field.eq_ignore_ascii_case("wallet")) {
            continue;
        }
        if record.len() != 2 {
            errors.push(format!("line {line}: expected 2 fields `wallet,reason`, found {}", record.len()));
            continue;
        }
        let (wallet_text, reason) = (&record[0], &record[1]);
        let Ok(wallet) = wallet_text.parse::<Pubkey>() else {
            errors.push(format!("line {line}: `{wallet_text}` is not a base58 wallet address"));
            continue;
        };
        if reason.is_empty() {
            errors.push(format!("line {line}: wallet {wallet} has no reason (the compliance case reference)"));
            continue;
        }
        if let Some(first) = first_line.insert(wallet, line) {
            errors.push(format!("line {line}: wallet {wallet} is already listed on line {first}"));
            continue;
        }
        rows.push(Listed { wallet, reason: reason.to_string() });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The wallets this mint's Config denylists now: the DenylistRegistry the transfer hook reads,
/// which `denylist_add` and `denylist_remove` keep equal to the DenylistEntry records in the
/// same instruction (the property tests check it after every step). One account read, no
/// per-entry address derivation.
pub async fn on_chain_denylist(chain: &mut Chain, mint: &Pubkey) -> anyhow::Result<BTreeSet<Pubkey>> {
    let registry = pda::denylist_registry_address(&pda::config_address(mint));
    let account = chain.account(&registry).await?.with_context(|| format!("mint {mint} has no denylist registry (not initialized?)"))?;
    let count = DenylistRegistry::count(&account.data).map_err(|error| anyhow::anyhow!("the denylist registry does not decode: {error}"))?;
    (0..count)
        .map(|index| {
            let at = DenylistRegistry::space(index);
            Pubkey::try_from(&account.data[at..at + 32]).context("registry entry")
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Add,
    Remove,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Remove => "remove",
        }
    }
}

struct Change {
    action: Action,
    wallet: Pubkey,
    instruction: Instruction,
}

/// Transactions packed from `changes` in order: each under the packet size and the change count.
fn pack(changes: Vec<Change>, payer: &Pubkey) -> Vec<Vec<Change>> {
    let mut batches: Vec<Vec<Change>> = Vec::new();
    for change in changes {
        let fits = batches.last().is_some_and(|batch| {
            batch.len() < MAX_CHANGES_PER_TRANSACTION && {
                let mut instructions: Vec<Instruction> = batch.iter().map(|change| change.instruction.clone()).collect();
                instructions.push(change.instruction.clone());
                transaction_size(&instructions, payer) <= PACKET_BYTES
            }
        });
        match batches.last_mut() {
            Some(batch) if fits => batch.push(change),
            _ => batches.push(vec![change]),
        }
    }
    batches
}

/// The size of the transaction `send` builds, with the compute-unit limit and a priority fee
/// counted whether or not one is asked for (packing stays the same either way).
fn transaction_size(instructions: &[Instruction], payer: &Pubkey) -> usize {
    let instructions = usd1_client::compute_budget::with_compute_budget(instructions, Some(0));
    let message = solana_message::Message::new(&instructions, Some(payer));
    let transaction = solana_transaction::Transaction::new_unsigned(message);
    bincode::serialize(&transaction).map(|bytes| bytes.len()).unwrap_or(usize::MAX)
}

/// Whether a refusal is the fee payer running out of SOL (for the fee, or for the rent of the
/// entries it creates): every later change would meet it too.
fn is_funds_failure(failure: &Failure) -> bool {
    matches!(failure.name(), "InsufficientFundsForFee" | "InsufficientFundsForRent" | "AccountNotFound" | "InvalidAccountForFee")
        || failure.logs().iter().any(|line| line.contains("insufficient lamports"))
}

async fn send(chain: &mut Chain, instructions: &[Instruction], payer: &Keypair, denylister: &Keypair, budget: crate::signing::ComputeBudget) -> Result<(), Failure> {
    let mut signers = vec![payer];
    if denylister.pubkey() != payer.pubkey() {
        signers.push(denylister);
    }
    // A listed wallet may have ground a key whose DenylistEntry address search runs long, to
    // outgrow the published limit: size it from a simulation then.
    let unit_limit = match budget.unit_limit {
        Some(limit) => Some(limit),
        None => chain.fitted_compute_limit(instructions, &payer.pubkey(), &signers).await,
    };
    let instructions = &crate::signing::ComputeBudget { unit_limit, ..budget }.apply(instructions)[..];
    let blockhash = chain.latest_blockhash().await.map_err(|error| Failure::Ledger(error.to_string()))?;
    let transaction = solana_transaction::Transaction::new_signed_with_payer(instructions, Some(&payer.pubkey()), &signers, blockhash);
    chain.send(transaction).await.map(|_| ())
}

pub struct SyncArgs<'a> {
    pub list: &'a Path,
    pub dry_run: bool,
    pub max_transactions: Option<usize>,
    /// Most wallets one run may remove (a truncated list must not unlist everyone).
    pub max_removals: usize,
    /// Remove on-chain entries the list does not name (otherwise they are only reported).
    pub remove_unlisted: bool,
}

/// `usd1 denylist sync`: the denylister (--keypair) applies the list; --fee-payer pays the fees.
pub async fn run_sync(global: &GlobalArgs, args: SyncArgs<'_>) -> anyhow::Result<ExitCode> {
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let mint = mint_from_args(global)?;
    let denylister = load_keypair(&signer_path(global)?)?;
    let payer = match &global.fee_payer {
        Some(path) => load_keypair(std::path::Path::new(path))?,
        None => denylister.insecure_clone(),
    };
    chain.ensure_funded(&payer.pubkey()).await?;
    sync(global, chain, &mint, &denylister, &payer, args).await
}

async fn sync(global: &GlobalArgs, chain: &mut Chain, mint: &Pubkey, denylister: &Keypair, payer: &Keypair, args: SyncArgs<'_>) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(args.list).with_context(|| format!("reading {}", args.list.display()))?;
    let rows = match parse_list(&text) {
        Ok(rows) => rows,
        Err(errors) => {
            let value = json!({"ok": false, "error": "InvalidList", "list": args.list.display().to_string(), "bad_rows": errors, "transactions_sent": 0});
            print_value(global.output, &value, || format!("error: {} has {} bad row(s); nothing was sent:\n  {}", args.list.display(), errors.len(), errors.join("\n  ")));
            return Ok(ExitCode::FAILURE);
        }
    };
    if rows.is_empty() {
        let value = json!({"ok": false, "error": "EmptyList", "list": args.list.display().to_string(), "transactions_sent": 0});
        print_value(global.output, &value, || format!("error: {} lists no wallet; a sync would unlist every wallet: nothing was sent", args.list.display()));
        return Ok(ExitCode::FAILURE);
    }
    let config = chain.config(mint).await?;
    if config.denylister != denylister.pubkey() {
        bail!("{} is not this mint's denylister ({}): sign with the denylister's key (--keypair)", denylister.pubkey(), config.denylister);
    }
    let on_chain = on_chain_denylist(chain, mint).await?;
    let listed: BTreeSet<Pubkey> = rows.iter().map(|row| row.wallet).collect();
    let to_add: Vec<&Listed> = rows.iter().filter(|row| !on_chain.contains(&row.wallet)).collect();
    let unlisted: Vec<Pubkey> = on_chain.iter().filter(|wallet| !listed.contains(wallet)).copied().collect();
    let (to_remove, kept_unlisted) = if args.remove_unlisted { (unlisted, Vec::new()) } else { (Vec::new(), unlisted) };
    let unchanged = rows.len() - to_add.len();
    if to_remove.len() > args.max_removals && !args.dry_run {
        let value = json!({"ok": false, "error": "TooManyRemovals", "removals": to_remove.len(), "max_removals": args.max_removals, "transactions_sent": 0});
        print_value(global.output, &value, || {
            format!(
                "error: this list would remove {} wallets from the denylist (more than --max-removals {}): check that the list is complete; to confirm, pass --max-removals {}. Nothing was sent.",
                to_remove.len(),
                args.max_removals,
                to_remove.len()
            )
        });
        return Ok(ExitCode::FAILURE);
    }

    // Each wallet's own accounts, asked of the cluster per wallet (getTokenAccountsByOwner
    // filtered by the mint): funded first, as many as one instruction takes; the rest are
    // frozen (or thawed) in follow-up transactions once the entry is written.
    let mut accounts_of: BTreeMap<Pubkey, Vec<Pubkey>> = BTreeMap::new();
    if !args.dry_run {
        for wallet in to_add.iter().map(|row| &row.wallet).chain(to_remove.iter()) {
            accounts_of.insert(*wallet, wallet_accounts(chain, wallet, mint).await?);
        }
    }
    let accounts = |wallet: &Pubkey| accounts_of.get(wallet).cloned().unwrap_or_default();
    let mut changes: Vec<Change> = to_add
        .iter()
        .map(|row| Change {
            action: Action::Add,
            wallet: row.wallet,
            instruction: instructions::denylist_add(&denylister.pubkey(), mint, &row.wallet, reference_hash(&row.reason), &accounts(&row.wallet)),
        })
        .collect();
    changes.extend(to_remove.iter().map(|wallet| Change {
        action: Action::Remove,
        wallet: *wallet,
        instruction: instructions::denylist_remove(&denylister.pubkey(), mint, wallet, &accounts(wallet)),
    }));

    let (mut added, mut removed, mut failed, mut deferred) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut transactions_sent = 0;
    let (mut frozen_later, mut thawed_later) = (0usize, 0usize);
    let mut out_of_funds: Option<String> = None;
    let mut cost_estimate = Value::Null;
    if args.dry_run {
        added = to_add.iter().map(|row| row.wallet).collect();
        removed = to_remove.clone();
        // What the run would cost: the fee payer a fee per transaction and signature; the
        // denylister (who pays for what `denylist_add` creates) each new entry's rent and the
        // registry's growth (32 bytes a wallet). Refunds of removed entries are not counted.
        let transactions = pack(changes, &payer.pubkey()).len() as u64;
        let signatures = if denylister.pubkey() == payer.pubkey() { 1 } else { 2 };
        let entry_rent = chain.rent_exempt_minimum(usd1::state::DenylistEntry::SPACE).await?;
        let registry = chain.account(&pda::denylist_registry_address(&pda::config_address(mint))).await?;
        let (registry_len, registry_lamports) = registry.map_or((0, 0), |account| (account.data.len(), account.lamports));
        let registry_after = registry_len + 32 * to_add.len();
        let registry_growth = chain.rent_exempt_minimum(registry_after).await?.saturating_sub(registry_lamports);
        let rent = entry_rent * to_add.len() as u64 + registry_growth;
        let fees = transactions * signatures * 5_000;
        let mut needs: Vec<(Pubkey, &str, u64)> = vec![(payer.pubkey(), "fee payer (fees)", fees)];
        if denylister.pubkey() == payer.pubkey() {
            needs[0] = (payer.pubkey(), "fee payer and denylister (fees and rent)", fees + rent);
        } else {
            needs.push((denylister.pubkey(), "denylister (rent of new entries)", rent));
        }
        let mut keys = Vec::new();
        for (key, role, needed) in needs {
            let balance = chain.account(&key).await?.map_or(0, |account| account.lamports);
            keys.push(json!({
                "key": key.to_string(), "pays": role,
                "lamports_needed": needed, "sol_needed": crate::chain::lamports_as_sol(needed),
                "lamports": balance, "sol": crate::chain::lamports_as_sol(balance), "enough": balance >= needed,
            }));
        }
        cost_estimate = json!({"transactions": transactions, "keys": keys, "enough": keys.iter().all(|key| key["enough"] == true)});
    } else {
        let batches = pack(changes, &payer.pubkey());
        let bar = crate::people::progress(batches.len() as u64, "denylist sync: transactions");
        for batch in batches {
            bar.inc(1);
            // Out of SOL: every later change would fail the same way; they wait for a re-run.
            if out_of_funds.is_some() {
                deferred.extend(batch.iter().map(|change| (change.action, change.wallet)));
                continue;
            }
            // Retries one change at a time count too: the limit is what this run may send.
            if args.max_transactions.is_some_and(|limit| transactions_sent + 1 > limit) {
                deferred.extend(batch.iter().map(|change| (change.action, change.wallet)));
                continue;
            }
            let instructions: Vec<Instruction> = batch.iter().map(|change| change.instruction.clone()).collect();
            if transaction_size(&instructions, &payer.pubkey()) > PACKET_BYTES {
                // One wallet with more token accounts than a transaction can carry.
                let change = &batch[0];
                failed.push(json!({"wallet": change.wallet.to_string(), "action": change.action.name(),
                    "error": "TooManyAccounts", "detail": "more token accounts than one transaction carries: freeze the rest with `usd1 freeze --account`"}));
                continue;
            }
            transactions_sent += 1;
            let outcome = send(chain, &instructions, payer, denylister, crate::signing::ComputeBudget::of(global)).await;
            let results: Vec<(&Change, Result<(), Failure>)> = match outcome {
                Ok(()) => batch.iter().map(|change| (change, Ok(()))).collect(),
                Err(failure) if is_funds_failure(&failure) => {
                    let mut balances = Vec::new();
                    for (who, key) in [("fee payer", payer.pubkey()), ("denylister", denylister.pubkey())] {
                        let lamports = chain.account(&key).await.ok().flatten().map_or(0, |account| account.lamports);
                        balances.push(format!("the {who} {key} has {lamports} lamports ({} SOL)", crate::chain::lamports_as_sol(lamports)));
                    }
                    let short = crate::hints::funds_hint(failure.logs()).map(|hint| format!("; {hint}")).unwrap_or_default();
                    out_of_funds = Some(format!(
                        "ran out of SOL ({}{short}): {}; fund them (`usd1 denylist sync --dry-run` says how much the rest needs) and run the same command again",
                        failure.name(),
                        balances.join(", ")
                    ));
                    deferred.extend(batch.iter().map(|change| (change.action, change.wallet)));
                    continue;
                }
                // Find which change failed: one transaction each.
                Err(_) if batch.len() > 1 => {
                    let mut results = Vec::new();
                    for change in &batch {
                        transactions_sent += 1;
                        results.push((change, send(chain, std::slice::from_ref(&change.instruction), payer, denylister, crate::signing::ComputeBudget::of(global)).await));
                    }
                    results
                }
                Err(failure) => vec![(&batch[0], Err(failure))],
            };
            for (change, result) in results {
                match (result, change.action) {
                    (Ok(()), Action::Add) => added.push(change.wallet),
                    (Ok(()), Action::Remove) => removed.push(change.wallet),
                    (Err(failure), action) => failed.push(json!({"wallet": change.wallet.to_string(), "action": action.name(), "error": failure.name(), "detail": failure.to_string()})),
                }
            }
        }
        bar.finish_and_clear();
        // The accounts past what one instruction takes: freeze them for each wallet added, thaw
        // them for each removed (read from the chain now, so a re-run does only what is left).
        let actors = Actors { signer: denylister.pubkey(), payer: payer.pubkey() };
        let follow_ops = added
            .iter()
            .map(|wallet| Op::DenylistAdd { wallet: *wallet, reason: String::new() })
            .chain(removed.iter().map(|wallet| Op::DenylistRemove { wallet: *wallet }))
            .collect::<Vec<_>>();
        for op in &follow_ops {
            for instructions in follow_up(op, &actors, mint, chain).await? {
                let count = instructions.len();
                transactions_sent += 1;
                match send(chain, &instructions, payer, denylister, crate::signing::ComputeBudget::of(global)).await {
                    Ok(()) if matches!(op, Op::DenylistAdd { .. }) => frozen_later += count,
                    Ok(()) => thawed_later += count,
                    Err(failure) => {
                        let wallet = match op {
                            Op::DenylistAdd { wallet, .. } | Op::DenylistRemove { wallet } => wallet.to_string(),
                            _ => String::new(),
                        };
                        failed.push(json!({"wallet": wallet, "action": if matches!(op, Op::DenylistAdd { .. }) { "freeze" } else { "thaw" },
                            "error": failure.name(), "detail": failure.to_string()}));
                        break;
                    }
                }
            }
        }
        chain.save().await?;
    }
    let ok = failed.is_empty() && deferred.is_empty() && out_of_funds.is_none();
    let keys = |wallets: &[Pubkey]| wallets.iter().map(Pubkey::to_string).collect::<Vec<_>>();
    let value = json!({
        "ok": ok,
        "dry_run": args.dry_run,
        "list_rows": rows.len(),
        "on_chain_before": on_chain.len(),
        "added": keys(&added),
        "removed": keys(&removed),
        "unchanged": unchanged,
        "listed_not_on_list": keys(&kept_unlisted),
        "frozen_in_follow_up": frozen_later,
        "thawed_in_follow_up": thawed_later,
        "failed": failed,
        "deferred": deferred.iter().map(|(action, wallet)| json!({"wallet": wallet.to_string(), "action": action.name()})).collect::<Vec<_>>(),
        "transactions_sent": transactions_sent,
        "stopped": out_of_funds,
        "cost_estimate": cost_estimate,
    });
    print_value(global.output, &value, || {
        let verb = if args.dry_run { "would add" } else { "added" };
        let mut text = format!(
            "{verb} {}, {} {}, unchanged {}, failed {}, deferred {} ({} transactions sent)",
            added.len(),
            if args.dry_run { "would remove" } else { "removed" },
            removed.len(),
            unchanged,
            failed.len(),
            deferred.len(),
            transactions_sent
        );
        if frozen_later + thawed_later > 0 {
            text.push_str(&format!("\n  froze {frozen_later} and thawed {thawed_later} more token account(s) in follow-up transactions"));
        }
        for wallet in &kept_unlisted {
            text.push_str(&format!("\n  listed on chain, not on the list: {wallet} (kept; --remove-unlisted removes such entries)"));
        }
        for failure in &failed {
            text.push_str(&format!("\n  failed: {} {} {}", failure["action"], failure["wallet"], failure["error"]));
        }
        if let Some(reason) = &out_of_funds {
            text.push_str(&format!("\n  stopped: {reason}"));
        } else if !deferred.is_empty() {
            text.push_str("\n  run the same command again to apply the deferred changes");
        }
        for key in cost_estimate["keys"].as_array().into_iter().flatten() {
            text.push_str(&format!(
                "\n  the {} {} needs about {} SOL over {} transaction(s); it has {} SOL{}",
                key["pays"].as_str().unwrap_or_default(),
                key["key"].as_str().unwrap_or_default(),
                key["sol_needed"].as_str().unwrap_or_default(),
                cost_estimate["transactions"],
                key["sol"].as_str().unwrap_or_default(),
                if key["enough"] == true { "" } else { ": fund it before the sync" }
            ));
        }
        text
    });
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_row_is_named_by_its_line() {
        let wallet = Pubkey::new_unique();
        let text = format!("wallet,reason\n{wallet},OFAC-1\nnot-a-key,OFAC-2\n{wallet},OFAC-3\n{},\n\n{},a,b\n", Pubkey::new_unique(), Pubkey::new_unique());
        let errors = parse_list(&text).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("line 3:") && errors[0].contains("not a base58"), "{errors:?}");
        assert!(errors[1].starts_with("line 4:") && errors[1].contains("already listed on line 2"), "{errors:?}");
        assert!(errors[2].starts_with("line 5:") && errors[2].contains("no reason"), "{errors:?}");
        assert!(errors[3].starts_with("line 7:") && errors[3].contains("expected 2 fields"), "{errors:?}");
        let rows = parse_list(&format!("{wallet}, OFAC-1 \n")).unwrap();
        assert_eq!((rows[0].wallet, rows[0].reason.as_str()), (wallet, "OFAC-1"));
    }
}
