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
        (Some(path), _) => Some(Chain::embedded(Some(path.clone())).await?),
        (None, Some(url)) => Some(Chain::rpc(url)),
        (None, None) => None,
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
    let mint = match &global.mint {
        Some(_) => mint_from_args(global)?.to_string(),
        None => match store.mints()?.as_slice() {
            [only] => only.clone(),
            [] => bail!("{} holds no events: run `usd1 index` first", db.display()),
            many => bail!("{} holds several mints; name one with --mint ({})", db.display(), many.join(", ")),
        },
    };
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
