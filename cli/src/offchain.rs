//! `usd1 index`, `usd1 reconcile`, `usd1 monitor`: the issuer's off-chain controls.
use crate::output::outln;
use crate::{
    chain::Chain,
    commands::{mint_from_args, print_value},
    GlobalArgs, OutputFormat,
};
use anyhow::{bail, Context};
use serde_json::json;
use std::{io::IsTerminal, path::Path, process::ExitCode};
use usd1_indexer::{
    index_file, index_records,
    monitor::{evaluate, parse_rules},
    reconcile::{self, decimals_of, read_reserves},
    IndexSummary, Store,
};

/// The chain, only when one is named explicitly (these commands also work offline).
async fn explicit_chain(global: &GlobalArgs) -> anyhow::Result<Option<Chain>> {
    Ok(match (&global.ledger, &global.url) {
        (Some(path), _) => Some(Chain::embedded(Some(path.clone()), &crate::commands::program_build(global)?).await?),
        (None, Some(url)) => Some(Chain::rpc(url)),
        (None, None) => None,
    })
}

/// The mint an index command is about: `--mint`, or the only mint the index holds.
fn indexed_mint(global: &GlobalArgs, store: &Store, db: &Path) -> anyhow::Result<String> {
    Ok(match &global.mint {
        Some(_) => mint_from_args(global)?.to_string(),
        None => match store.mints()?.as_slice() {
            [only] => only.clone(),
            [] => bail!("{} holds no events: run `usd1 index` first", db.display()),
            many => bail!("{} holds several mints; name one with --mint ({})", db.display(), many.join(", ")),
        },
    })
}

fn report_gaps(summary: &IndexSummary) -> bool {
    for (mint, first, last) in &summary.gaps {
        if first == last {
            eprintln!("gap: mint {mint} is missing event seq {first}");
        } else {
            eprintln!("gap: mint {mint} is missing event seq {first}..={last}");
        }
    }
    !summary.gaps.is_empty()
}

pub async fn index(global: &GlobalArgs, db: &Path, from_file: Option<&Path>, quiet: bool, page_size: usize) -> anyhow::Result<ExitCode> {
    let mut store = Store::open(db).with_context(|| format!("opening {}", db.display()))?;
    let mut signature_pages = 0;
    let summary = match from_file {
        Some(path) => {
            let progress = !quiet && std::io::stderr().is_terminal();
            index_file(&mut store, path, progress).with_context(|| format!("indexing {}", path.display()))?
        }
        None => {
            let Some(mut chain) = explicit_chain(global).await? else {
                bail!("index needs --from-file FILE, or a chain (--url or --ledger) and --mint");
            };
            let mint = mint_from_args(global)?;
            // Resume after the newest transaction indexed from this chain for this mint.
            let source = format!("chain:{mint}");
            let cursor = store.cursor(&source)?;
            let (records, pages) = chain.recorded_transactions(&mint, cursor.as_deref(), page_size).await?;
            signature_pages = pages;
            let newest = records.last().and_then(|record| record["signature"].as_str()).map(str::to_string);
            let summary = index_records(&mut store, records)?;
            if let Some(newest) = newest {
                store.set_cursor(&source, &newest)?;
            }
            summary
        }
    };
    let value = json!({
        "transactions_read": summary.transactions_read,
        "signature_pages": signature_pages,
        "events_inserted": summary.events_inserted,
        "events_already_indexed": summary.events_already_indexed,
        "events_in_store": store.event_count()?,
        "gaps": summary.gaps.iter().map(|(mint, first, last)| json!({"mint": mint, "first_missing": first, "last_missing": last})).collect::<Vec<_>>(),
    });
    print_value(global.output, &value, || {
        format!(
            "read {} transactions: {} new events, {} already indexed; {} events in {}",
            summary.transactions_read,
            summary.events_inserted,
            summary.events_already_indexed,
            value["events_in_store"],
            db.display()
        )
    });
    Ok(if report_gaps(&summary) { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

pub async fn reconcile(global: &GlobalArgs, db: &Path, reserves_path: &Path) -> anyhow::Result<ExitCode> {
    let store = Store::open(db).with_context(|| format!("opening {}", db.display()))?;
    let mint = indexed_mint(global, &store, db)?;
    let decimals = decimals_of(&store, &mint)?;
    let reserves = read_reserves(reserves_path, decimals).with_context(|| format!("{}", reserves_path.display()))?;
    let chain_supply = match explicit_chain(global).await? {
        Some(mut chain) => Some(chain.mint_info(&mint.parse()?).await?.supply),
        None => None,
    };
    let result = reconcile::reconcile(&store, &mint, chain_supply, &reserves)?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|elapsed| elapsed.as_secs() as i64).unwrap_or(0);
    reconcile::record(&store, &result, now)?;
    match global.output {
        OutputFormat::Json => outln!("{}", result.to_json()),
        OutputFormat::Text => outln!("{}", result.table()),
    }
    Ok(if result.ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

pub fn monitor(db: &Path, rules_path: &Path) -> anyhow::Result<ExitCode> {
    let store = Store::open(db).with_context(|| format!("opening {}", db.display()))?;
    let text = std::fs::read_to_string(rules_path).with_context(|| format!("reading {}", rules_path.display()))?;
    let rules = parse_rules(&text).with_context(|| format!("{}", rules_path.display()))?;
    let fired = evaluate(&store, &rules, |alert| outln!("{alert}"))?;
    eprintln!("{fired} alerts");
    Ok(if fired == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `usd1 redemptions`: every redemption request of the mint with its age and status, from the
/// chain (the mint's transactions, then each request's account for its current status) or
/// from an index (`--db`). `--overdue` keeps the pending ones past that deadline.
pub async fn redemptions(global: &GlobalArgs, db: Option<&Path>, pending_only: bool, overdue: Option<&str>) -> anyhow::Result<ExitCode> {
    use usd1_indexer::redemptions::{self, deadline, OverdueLimit};
    let limit: Option<OverdueLimit> = overdue.map(str::parse).transpose().map_err(|error: String| anyhow::anyhow!("--overdue: {error}"))?;
    let (store, mint, now, mut chain) = match db {
        Some(db) => {
            let store = Store::open(db).with_context(|| format!("opening {}", db.display()))?;
            let mint = indexed_mint(global, &store, db)?;
            let now = redemptions::now(&store)?;
            (store, mint, now, None)
        }
        None => {
            let Some(mut chain) = explicit_chain(global).await? else {
                bail!("redemptions needs a chain (--url or --ledger) and --mint, or an index (--db)");
            };
            let mint = mint_from_args(global)?;
            let mut store = Store::open(Path::new(":memory:"))?;
            let (records, _) = chain.recorded_transactions(&mint, None, 1_000).await?;
            index_records(&mut store, records)?;
            let now = chain.unix_timestamp().await?;
            (store, mint.to_string(), now, Some(chain))
        }
    };
    let decimals = decimals_of(&store, &mint)?;
    let mut requests: Vec<_> = redemptions::redemptions(&store)?.into_iter().filter(|request| request.mint == mint).collect();
    // On the chain, each request's own account is the authority on its status.
    if let Some(chain) = chain.as_mut() {
        let mint_key: solana_pubkey::Pubkey = mint.parse()?;
        for request in &mut requests {
            let holder: solana_pubkey::Pubkey = request.holder.parse()?;
            let hash: [u8; 32] = hex_to_hash(&request.reference_hash)?;
            if let Some(account) = chain.redemption_request(&mint_key, &holder, &hash).await? {
                request.status = match account.status {
                    usd1_client::RedemptionStatus::Pending => "pending",
                    usd1_client::RedemptionStatus::Completed => "completed",
                    usd1_client::RedemptionStatus::Rejected => "rejected",
                };
                request.requested_at = Some(account.requested_at);
                request.settled_at = (account.status != usd1_client::RedemptionStatus::Pending).then_some(account.settled_at);
            }
        }
    }
    let mut rows = Vec::new();
    for request in &requests {
        let due = match (limit, request.requested_at) {
            (Some(limit), Some(at)) => Some(deadline(at, limit)),
            _ => None,
        };
        let pending = request.status == "pending";
        if (pending_only || limit.is_some()) && !pending {
            continue;
        }
        if limit.is_some() && !due.is_some_and(|due| now > due) {
            continue;
        }
        rows.push(json!({
            "holder": request.holder,
            "reference_hash": request.reference_hash,
            "amount": usd1_client::amount::format_amount(request.amount, decimals),
            "status": request.status,
            "requested_at": request.requested_at,
            "age_secs": request.requested_at.map(|at| now - at),
            "settled_at": request.settled_at,
            "deadline": due,
            "overdue_by_secs": due.filter(|due| pending && now > *due).map(|due| now - due),
            "seq": request.seq,
        }));
    }
    let value = json!(rows);
    print_value(global.output, &value, || {
        let mut lines = vec![format!("{:<44} {:>14} {:>10} {:>9}  ticket", "holder", "amount", "status", "age")];
        for row in &rows {
            let age = row["age_secs"].as_i64().map(|secs| format!("{}h{:02}m", secs / 3600, (secs % 3600) / 60)).unwrap_or_default();
            lines.push(format!(
                "{:<44} {:>14} {:>10} {:>9}  {}{}",
                row["holder"].as_str().unwrap_or_default(),
                row["amount"].as_str().unwrap_or_default(),
                row["status"].as_str().unwrap_or_default(),
                age,
                &row["reference_hash"].as_str().unwrap_or_default()[..12.min(row["reference_hash"].as_str().unwrap_or_default().len())],
                row["overdue_by_secs"].as_i64().map(|secs| format!("  OVERDUE by {}h", secs / 3600)).unwrap_or_default()
            ));
        }
        lines.join("\n")
    });
    Ok(ExitCode::SUCCESS)
}

fn hex_to_hash(text: &str) -> anyhow::Result<[u8; 32]> {
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|index| text.get(index..index + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
        .collect::<Option<_>>()
        .ok_or_else(|| anyhow::anyhow!("`{text}` is not a hex hash"))?;
    bytes.try_into().map_err(|_| anyhow::anyhow!("`{text}` is not 32 bytes"))
}
