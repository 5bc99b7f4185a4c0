//! Read commands: `status`, `minters`, `proposals`, `events`, `balance`, `accounts`.
use crate::{
    chain::Chain,
    context::*, GlobalArgs,
};
use anchor_lang::Discriminator;
use serde_json::{json, Value};
use solana_pubkey::Pubkey;
use std::process::ExitCode;
use usd1_client::{
    accounts::{decode_minter, decode_proposal},
    amount::format_amount,
    events::ToJson,
    pda, Config, Minter, Proposal,
};

/// `usd1 balance`: a wallet's SOL and, with a mint, its tokens per token account.
pub(crate) async fn balance(global: &GlobalArgs, owner: Option<&str>) -> anyhow::Result<ExitCode> {
    let owner = wallet_arg(global, owner)?;
    let mut chain = open_chain(global, false).await?;
    let chain = require_chain(&mut chain)?;
    let lamports = chain.account(&owner).await?.map_or(0, |account| account.lamports);
    let mut value = json!({"owner": owner.to_string(), "sol": format_amount(lamports, 9), "sol_base_units": lamports});
    let mut text = format!("{owner}: {} SOL", format_amount(lamports, 9));
    // --mint, else the default mint when one is kept (a default that is no mint on this
    // cluster only leaves the tokens out, said so; an explicit --mint must exist).
    let mint = match &global.mint {
        Some(_) => Some((mint_from_args(global)?, true)),
        None => default_mint().ok().flatten().and_then(|(text, _)| text.parse::<Pubkey>().ok()).map(|mint| (mint, false)),
    };
    let mint = match mint {
        Some((mint, explicit)) => match chain.mint_info(&mint).await {
            Ok(info) => Some((mint, info.decimals)),
            Err(error) if explicit => return Err(error),
            Err(_) => {
                text.push_str(&format!(" (the default mint {mint} is not on this cluster: no tokens shown)"));
                None
            }
        },
        None => None,
    };
    if let Some((mint, decimals)) = mint {
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
pub(crate) async fn accounts(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
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

/// The Config as `status` shows it (amounts in token units).
pub(crate) fn config_json(config: &Config, supply: u64, escrow_balance: u64) -> Value {
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

/// `usd1 status`: roles, pause scopes, supply, counters, council and attestation.
pub(crate) async fn status(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
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
pub(crate) async fn accounts_of<T>(
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

/// `usd1 minters`: every minter with its allowance, lifetime minted and rate limit.
pub(crate) async fn minters(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
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
pub(crate) fn proposal_state(proposal: &Proposal, config: &Config, now: i64) -> &'static str {
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

/// `usd1 proposals`: open proposals with approvals, state and dates.
pub(crate) async fn proposals(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
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

/// `usd1 events`: the mint's events in seq order (or followed live).
pub(crate) async fn events(global: &GlobalArgs, follow: bool, from_seq: u64, until_seq: Option<u64>) -> anyhow::Result<ExitCode> {
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
