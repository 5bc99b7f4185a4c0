//! The commands, one module per group (as cargo's `src/bin/cargo/commands/`): this module
//! dispatches; each group module imports the shared `context`, never another command module.
mod cluster;
mod config;
mod denylist;
mod emergency_kit;
mod offchain;
mod op;
mod read;
mod verify;

use crate::output::outln;
use crate::context::*;
use anyhow::bail;
use solana_signer::Signer;
use std::process::ExitCode;
use crate::{demo, drill, Cli, Command, DenylistCommand, DrillCommand, EmergencyKitCommand};

/// Run one command line: the default mint and ledger rules first, then the command.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut global = cli.global;
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
        Command::Op(spec) => op::run_op(&global, spec).await,
        Command::Status => read::status(&global).await,
        Command::Verify { expect_upgrade_authority } => verify::run(&global, expect_upgrade_authority).await,
        Command::SetUpgradeAuthority { new_upgrade_authority, irreversible } => {
            verify::set_upgrade_authority(&global, new_upgrade_authority, irreversible).await
        }
        Command::Minters => read::minters(&global).await,
        Command::Proposals => read::proposals(&global).await,
        Command::Events { follow, from_seq, until_seq } => read::events(&global, follow, from_seq, until_seq).await,
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
        Command::Localnet { port } => cluster::serve_localnet(&global, port).await,
        Command::EmergencyKit(EmergencyKitCommand::Prepare { out, pauser, master_minter }) => {
            emergency_kit::prepare(&global, &out, &pauser, &master_minter).await
        }
        Command::EmergencyKit(EmergencyKitCommand::Check { dir }) => emergency_kit::check(&global, &dir).await,
        Command::EmergencyKit(EmergencyKitCommand::Fire { file }) => emergency_kit::fire(&global, &file).await,
        Command::Redemptions { pending, overdue, db } => offchain::redemptions(&global, db.as_deref(), pending, overdue.as_deref()).await,
        Command::Denylist(DenylistCommand::Sync { list, dry_run, max_transactions, max_removals, remove_unlisted }) => {
            let args = denylist::SyncArgs { list: &list, dry_run, max_transactions, max_removals, remove_unlisted };
            denylist::run_sync(&global, args).await
        }
        Command::SendSigned { transaction } => cluster::send_signed(&global, &transaction).await,
        Command::CreateNonceAccount { nonce_keypair } => cluster::create_nonce_account(&global, &nonce_keypair).await,
        Command::Airdrop { to, sol } => cluster::airdrop(&global, to.as_deref(), sol).await,
        Command::Warp { secs } => cluster::warp(&global, secs).await,
        Command::Balance { owner } => read::balance(&global, owner.as_deref()).await,
        Command::Config(command) => config::usd1_config(&global, command),
        Command::Accounts => read::accounts(&global).await,
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
