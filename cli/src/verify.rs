//! `usd1 verify` (SPEC 14): the deployment check an exchange, integrator or auditor runs
//! before listing the token. The accounts are fetched here; the checks are the client
//! crate's ([`usd1_client::verify`]), shared in shape with the TypeScript package's
//! `verifyDeployment`.
use crate::{
    chain::Chain,
    commands::{mint_from_args, open_chain, print_value, require_chain},
    GlobalArgs,
};
use anyhow::Context;
use solana_pubkey::Pubkey;
use std::process::ExitCode;
use usd1_client::{
    pda,
    verify::{program_data_address, verify, AccountData, DeploymentAccounts, ExpectedUpgradeAuthority, Expectations, Status},
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
