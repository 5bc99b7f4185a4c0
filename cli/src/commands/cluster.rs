//! The endpoint and its funds: `localnet`, `airdrop`, `warp`, `create-nonce-account`, `send-signed`.
use crate::{
    context::*,
    signing, GlobalArgs,
};
use anyhow::anyhow;
use serde_json::json;
use solana_signer::Signer;
use std::{
    path::Path,
    process::ExitCode,
};
use usd1_client::amount::format_amount;

/// `usd1 send-signed`: send a transaction signed elsewhere and report it.
pub(crate) async fn send_signed(global: &GlobalArgs, text: &str) -> anyhow::Result<ExitCode> {
    let transaction = signing::decode_transaction(text)?;
    send_and_report(global, transaction, json!({}), describe_sent).await
}


/// `usd1 warp SECS`: move the clock of an embedded ledger or `usd1 localnet` forward.
pub(crate) async fn warp(global: &GlobalArgs, secs: u64) -> anyhow::Result<ExitCode> {
    refuse_offline_flags(global, "warp")?;
    let secs = i64::try_from(secs).map_err(|_| anyhow!("warp {secs}: too far"))?;
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let before = chain.unix_timestamp().await?;
    chain.warp(secs).await?;
    let after = chain.unix_timestamp().await?;
    chain.save().await?;
    let value = json!({"warped_secs": secs, "clock_before": crate::people::iso_time(before), "clock": crate::people::iso_time(after), "unix_timestamp": after});
    print_value(global.output, &value, || format!("clock moved {secs} s: {} -> {}", crate::people::iso_time(before), crate::people::iso_time(after)));
    Ok(ExitCode::SUCCESS)
}

/// `usd1 airdrop`: SOL to a key from localnet's or a test cluster's faucet, or the embedded ledger.
pub(crate) async fn airdrop(global: &GlobalArgs, to: Option<&str>, sol: u64) -> anyhow::Result<ExitCode> {
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

/// `usd1 create-nonce-account`: a durable nonce account for offline signing (the signer pays and holds it).
pub(crate) async fn create_nonce_account(global: &GlobalArgs, nonce_path: &Path) -> anyhow::Result<ExitCode> {
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

/// `usd1 localnet`: serve until Ctrl-C (or SIGTERM), then save the ledger file.
pub(crate) async fn serve_localnet(global: &GlobalArgs, port: u16) -> anyhow::Result<ExitCode> {
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
