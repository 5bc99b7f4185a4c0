//! `usd1 verify` (SPEC 14): the deployment check an exchange, integrator or auditor runs
//! before listing the token. The accounts are fetched here; the checks are the client
//! crate's ([`usd1_client::verify`]), shared in shape with the TypeScript package's
//! `verifyDeployment`.
use crate::{
    chain::Chain,
    context::{load_keypair, mint_from_args, open_chain, print_value, require_chain, signer_path},
    signing, GlobalArgs,
};
use anyhow::{bail, Context};
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use std::process::ExitCode;
use usd1_client::{
    pda,
    verify::{program_data_address, program_upgrade_authority, verify, AccountData, DeploymentAccounts, ExpectedUpgradeAuthority, Expectations, Status},
};

async fn fetch(chain: &mut Chain, key: &Pubkey) -> anyhow::Result<Option<AccountData>> {
    Ok(chain.account(key).await?.map(|account| AccountData { owner: account.owner, executable: account.executable, data: account.data }))
}

/// Every account the check reads, for `mint`.
pub async fn deployment_accounts(chain: &mut Chain, mint: &Pubkey) -> anyhow::Result<DeploymentAccounts> {
    let config = pda::config_address(mint);
    let program = fetch(chain, &usd1_client::PROGRAM_ID).await?;
    let program_data = match program.as_ref().and_then(program_data_address) {
        Some(address) => fetch(chain, &address).await?,
        None => None,
    };
    Ok(DeploymentAccounts {
        program,
        program_data,
        mint: fetch(chain, mint).await?,
        config: fetch(chain, &config).await?,
        extra_account_metas: fetch(chain, &pda::extra_account_metas_address(mint)).await?,
        denylist_registry: fetch(chain, &pda::denylist_registry_address(&config)).await?,
        escrow: fetch(chain, &pda::escrow_address(&config)).await?,
    })
}

/// `usd1 verify`: the deployment check (SPEC 14); exit 1 on any failed item.
pub async fn run(global: &GlobalArgs, expect_upgrade_authority: Option<ExpectedUpgradeAuthority>) -> anyhow::Result<ExitCode> {
    let program_so = match &global.program_so {
        Some(path) => Some(std::fs::read(path).with_context(|| format!("cannot read the local build {}", path.display()))?),
        None => None,
    };
    let mint = mint_from_args(global)?;
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let accounts = deployment_accounts(chain, &mint).await?;
    let report = verify(&mint, &accounts, &Expectations { program_so, upgrade_authority: expect_upgrade_authority });
    let value = serde_json::to_value(&report)?;
    print_value(global.output, &value, || {
        let mut lines = vec![format!("USD1 deployment check: mint {} (program {})", report.mint, report.program_id)];
        for check in &report.checks {
            let mark = match check.status {
                Status::Pass => "PASS",
                Status::Fail => "FAIL",
                Status::Info => "INFO",
                Status::Skip => "SKIP",
            };
            lines.push(format!("  {mark}  {:<27} {}", check.item, check.detail));
        }
        let failed = report.failed();
        lines.push(if failed.is_empty() {
            "OK: every item passed".to_string()
        } else {
            format!("FAILED: {}", failed.join(", "))
        });
        lines.join("\n")
    });
    Ok(if report.ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `usd1 set-upgrade-authority`: the deploy runbook's hand-over (migrations/README.md step 4).
/// Refuses, before signing, a program that is not upgradeable, already immutable, or whose
/// authority is not the signer, and a new authority that cannot be a council vault; reads the
/// authority back after sending and says what it was and is.
pub async fn set_upgrade_authority(global: &GlobalArgs, new_authority: ExpectedUpgradeAuthority, irreversible: bool) -> anyhow::Result<ExitCode> {
    crate::context::refuse_offline_flags(global, "set-upgrade-authority")?;
    let new_key = match new_authority {
        ExpectedUpgradeAuthority::Key(key) => Some(key),
        ExpectedUpgradeAuthority::Immutable if irreversible => None,
        ExpectedUpgradeAuthority::Immutable => {
            bail!("--new-upgrade-authority none makes the program immutable for good (no upgrade, no fix): add --irreversible to confirm")
        }
    };
    let signer = load_keypair(&signer_path(global)?)?;
    let payer = match &global.fee_payer {
        Some(path) => load_keypair(path)?,
        None => signer.insecure_clone(),
    };
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let program = fetch(chain, &usd1_client::PROGRAM_ID).await?;
    let Some(program_data) = program.as_ref().and_then(program_data_address) else {
        bail!("program {} is not deployed with the upgradeable loader on this cluster: it has no upgrade authority to hand over", usd1_client::PROGRAM_ID);
    };
    let current = match fetch(chain, &program_data).await?.and_then(|account| program_upgrade_authority(&account.data)) {
        Some(Some(current)) => current,
        Some(None) => bail!("program {} is already immutable: no one can change its upgrade authority", usd1_client::PROGRAM_ID),
        None => bail!("program {}'s ProgramData account {program_data} is missing or malformed", usd1_client::PROGRAM_ID),
    };
    if current != signer.pubkey() {
        bail!("the upgrade authority of program {} is {current}, not the signer {} (--keypair)", usd1_client::PROGRAM_ID, signer.pubkey());
    }
    if let Some(key) = new_key {
        // The loader's SetAuthority does not ask the new authority to sign (a Squads vault
        // cannot), so a wrong key would be for good: refuse the ones that cannot be a vault.
        if key == current {
            bail!("{key} already is the upgrade authority");
        }
        if key == Pubkey::default() || key == usd1_client::PROGRAM_ID || key == program_data || key == solana_sdk_ids::bpf_loader_upgradeable::ID {
            bail!("{key} cannot hold the upgrade authority (the system program, the program, its ProgramData or the loader)");
        }
        if let Some(account) = fetch(chain, &key).await?.filter(|account| !account.data.is_empty() || account.owner != solana_sdk_ids::system_program::ID) {
            bail!(
                "{key} is an account of program {} with {} bytes of data, not a vault (a Squads vault is an address with no data): is it the multisig account instead of its vault?",
                account.owner,
                account.data.len()
            );
        }
    }
    chain.ensure_funded(&payer.pubkey()).await?;
    let instruction = usd1_client::instructions::set_program_upgrade_authority(&current, new_key.as_ref());
    let blockhash = chain.latest_blockhash().await?;
    let message = signing::build_message(&[instruction], &payer.pubkey(), None, blockhash, signing::ComputeBudget::of(global));
    let transaction = signing::sign(message, &[&payer, &signer], &[])?;
    let sent = chain
        .send(transaction)
        .await
        .map_err(|failure| anyhow::anyhow!("the hand-over was refused or its outcome is unknown ({failure}): `usd1 verify` shows who holds the upgrade authority now"))?;
    chain.save().await?;
    // What the loader now says, not what was asked.
    let now = fetch(chain, &program_data).await?.and_then(|account| program_upgrade_authority(&account.data));
    if now != Some(new_key) {
        bail!("the hand-over was sent ({}) but the ProgramData names {:?}: check with `usd1 verify`", sent.signature, now.flatten());
    }
    let describe = |key: Option<Pubkey>| key.map_or("none (immutable)".to_string(), |key| key.to_string());
    let value = serde_json::json!({
        "program_id": usd1_client::PROGRAM_ID.to_string(),
        "previous_upgrade_authority": current.to_string(),
        "upgrade_authority": new_key.map(|key| key.to_string()),
        "signature": sent.signature,
    });
    print_value(global.output, &value, || {
        format!("program {}: upgrade authority {current} -> {} (signature {})", usd1_client::PROGRAM_ID, describe(new_key), sent.signature)
    });
    Ok(ExitCode::SUCCESS)
}
