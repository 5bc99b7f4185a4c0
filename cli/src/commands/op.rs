//! `usd1 <op>`: the SPEC's instructions, planned, signed (here, offline or with collected
//! signatures) and sent, with their follow-up transactions, and each outcome reported.
use crate::{
    chain::{Chain, Sent},
    context::*,
    hints,
    ops::{plan, Actors, Op, OpSpec},
    signing, GlobalArgs,
};
use anyhow::{anyhow, bail, Context};
use serde_json::{json, Value};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use std::process::ExitCode;
use usd1_client::{
    amount::format_amount,
    pda, reference_hash,
};

/// `usd1 <op>`: plan the op, sign it (or prepare it offline), send it and report its outcome.
pub(crate) async fn run_op(global: &GlobalArgs, spec: OpSpec) -> anyhow::Result<ExitCode> {
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
pub(crate) struct FollowUp {
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
pub(crate) async fn run_follow_ups(
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
pub(crate) async fn report_outcome(
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
            let facts = match hints::funds_hint(failure.logs()) {
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
pub(crate) fn signing_role(op: &Op) -> Option<&'static str> {
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
pub(crate) async fn failure_facts(op: &Op, name: &str, mint: &Pubkey, chain: &mut Chain) -> Option<String> {
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
