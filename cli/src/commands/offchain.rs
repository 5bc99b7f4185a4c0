//! `usd1 index`, `usd1 reconcile`, `usd1 monitor`: the issuer's off-chain controls.
use crate::output::outln;
use crate::{
    chain::Chain,
    context::{mint_from_args, print_value},
    GlobalArgs, OutputFormat,
};
use anyhow::{bail, Context};
use serde_json::json;
use std::{io::IsTerminal, path::Path, process::ExitCode};
use usd1_indexer::{
    index_cluster_records, index_file, index_records,
    monitor::{evaluate, parse_rules},
    reconcile::{self, decimals_of, read_reserves},
    report,
    IndexSummary, Store,
};

/// The chain, only when one is named explicitly (these commands also work offline).
async fn explicit_chain(global: &GlobalArgs) -> anyhow::Result<Option<Chain>> {
    Ok(match (&global.ledger, &global.url) {
        (Some(path), _) => Some(Chain::embedded(Some(crate::context::ledger_file(global, path)), &crate::context::program_build(global)?).await?),
        (None, Some(url)) => Some(Chain::connect(url, global.commitment.config()).await?),
        (None, None) => None,
    })
}

/// The mint an index command is about: `--mint`, or the only mint the index holds. It must be
/// one deployment: these commands read a mint's events without telling clusters apart.
fn indexed_mint(global: &GlobalArgs, store: &Store, db: &Path) -> anyhow::Result<String> {
    let mint = match &global.mint {
        Some(_) => mint_from_args(global)?.to_string(),
        None => match store.mints()?.as_slice() {
            [only] => only.clone(),
            [] => bail!("{} holds no events: run `usd1 index` first", db.display()),
            many => bail!("{} holds several mints; name one with --mint ({})", db.display(), many.join(", ")),
        },
    };
    let clusters = store.clusters_of(&mint)?;
    if clusters.len() > 1 {
        bail!(
            "{} holds mint {mint} from {} clusters (genesis {}): this command reads one deployment; use `usd1 report --deployment`, or one index per cluster",
            db.display(),
            clusters.len(),
            cluster_names(&clusters)
        );
    }
    Ok(mint)
}

/// Where indexing a mint from `chain` resumes: its cursor for (cluster, mint). A store indexed
/// before deployments were keyed by cluster has a cursor per mint and events without a cluster:
/// when this chain executed that cursor's transaction, those events are this chain's; they take
/// its cluster and the cursor carries over (no re-read of the whole history).
async fn chain_cursor(store: &Store, chain: &mut Chain, cluster: &str, mint: &solana_pubkey::Pubkey) -> anyhow::Result<(String, Option<String>)> {
    let source = format!("chain:{cluster}:{mint}");
    if let Some(cursor) = store.cursor(&source)? {
        return Ok((source, Some(cursor)));
    }
    let legacy = format!("chain:{mint}");
    if let Some(cursor) = store.cursor(&legacy)? {
        if chain.has_transaction(&cursor).await? {
            store.adopt_unnamed_cluster(&mint.to_string(), cluster)?;
            store.set_cursor(&source, &cursor)?;
            return Ok((source, Some(cursor)));
        }
    }
    Ok((source, None))
}

/// Clusters as a message names them ('' is a record file's: cluster unknown).
fn cluster_names(clusters: &[String]) -> String {
    clusters.iter().map(|cluster| if cluster.is_empty() { "unknown (a record file)" } else { cluster.as_str() }).collect::<Vec<_>>().join(", ")
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

/// `usd1 index`: read the mint's events (a cluster, a ledger or a record file) into the SQLite index.
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
            // Resume after the newest transaction indexed from this chain for this mint; events
            // are keyed by the cluster's genesis hash and the mint (a deployment).
            let cluster = chain.genesis_hash().await?.to_string();
            let (source, cursor) = chain_cursor(&store, &mut chain, &cluster, &mint).await?;
            let (records, pages) = chain.recorded_transactions(&mint, cursor.as_deref(), page_size).await?;
            signature_pages = pages;
            let newest = records.last().and_then(|record| record["signature"].as_str()).map(str::to_string);
            let summary = index_cluster_records(&mut store, &cluster, records)?;
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

/// `usd1 reconcile`: supply on chain, from the events and against the reserves; the index's freshness first.
pub async fn reconcile(global: &GlobalArgs, db: &Path, reserves_path: &Path) -> anyhow::Result<ExitCode> {
    let store = Store::open(db).with_context(|| format!("opening {}", db.display()))?;
    let mint = indexed_mint(global, &store, db)?;
    let decimals = decimals_of(&store, &mint)?;
    let reserves = read_reserves(reserves_path, decimals).with_context(|| format!("{}", reserves_path.display()))?;
    let chain_supply = match explicit_chain(global).await? {
        Some(mut chain) => {
            let mint_key: solana_pubkey::Pubkey = mint.parse()?;
            // The index's events of this chain: keyed by its genesis hash when indexed from a
            // chain, or '' when indexed from a record file (cluster unknown).
            let genesis = chain.genesis_hash().await?.to_string();
            let clusters = store.clusters_of(&mint)?;
            let cluster = if clusters.contains(&genesis) {
                genesis
            } else if clusters.iter().any(String::is_empty) {
                String::new()
            } else {
                bail!("{} holds mint {mint} from cluster {}, not from this chain (genesis {genesis}): index it from this chain first", db.display(), cluster_names(&clusters));
            };
            let index_seq = store.last_seq(&cluster, &mint)?;
            // Freshness first: an index that lags the chain would read as minted supply the
            // events do not explain, the worst alarm, when it only needs `usd1 index`. The seq
            // and the supply are read as one snapshot: the seq again after the supply, and
            // again if a transaction landed in between.
            let mut snapshot = None;
            for _ in 0..5 {
                let chain_seq = chain.config(&mint_key).await?.event_seq;
                let supply = chain.mint_info(&mint_key).await?.supply;
                if chain.config(&mint_key).await?.event_seq == chain_seq {
                    snapshot = Some((chain_seq, supply));
                    break;
                }
            }
            let Some((chain_seq, supply)) = snapshot else {
                bail!("the mint's events keep moving (five reads in a row): reconcile when issuance is quiet");
            };
            if index_seq > chain_seq {
                bail!("{} holds events of mint {mint} up to seq {index_seq}, but this chain's Config is at seq {chain_seq}: the index is of another (or a reset) chain", db.display());
            }
            if index_seq < chain_seq {
                let behind = chain_seq - index_seq;
                let value = json!({
                    "ok": false,
                    "status": "index_behind",
                    "mint": mint,
                    "index_seq": index_seq,
                    "chain_event_seq": chain_seq,
                    "events_behind": behind,
                    "hint": format!("run usd1 index --db {} first; nothing was reconciled", db.display()),
                });
                print_value(global.output, &value, || {
                    format!(
                        "index is behind by {behind} events (index at seq {index_seq}, chain at seq {chain_seq}): run usd1 index --db {} first; nothing was reconciled",
                        db.display()
                    )
                });
                return Ok(ExitCode::FAILURE);
            }
            Some(supply)
        }
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

/// `usd1 monitor`: evaluate the rules over the index and print one JSON alert per line.
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

/// `usd1 report`'s arguments.
pub struct ReportRequest<'a> {
    pub db: &'a Path,
    pub reserves: &'a Path,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub out: &'a Path,
    pub deployments: &'a [String],
    pub deployments_file: Option<&'a Path>,
    pub business_days_only: bool,
    pub cutoff: Option<&'a str>,
    pub tz: &'a str,
    pub redemption_deadline_business_days: u32,
    pub max_reserves_age_days: u32,
    pub rules: Option<&'a Path>,
}

/// A deployment as named on the command line or in a deployments file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedDeployment {
    pub name: String,
    pub url: Option<String>,
    pub mint: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DeploymentsFile {
    deployment: Vec<NamedDeployment>,
}

/// `NAME=URL,MINT` or `NAME=MINT`.
pub fn parse_deployment(text: &str) -> anyhow::Result<NamedDeployment> {
    let usage = || anyhow::anyhow!("--deployment `{text}`: expected NAME=URL,MINT or NAME=MINT");
    let (name, rest) = text.split_once('=').ok_or_else(usage)?;
    let (url, mint) = match rest.rsplit_once(',') {
        Some((url, mint)) => (Some(url.trim().to_string()), mint.trim()),
        None => (None, rest.trim()),
    };
    let name = name.trim();
    if name.is_empty() || mint.is_empty() || url.as_deref() == Some("") {
        return Err(usage());
    }
    mint.parse::<solana_pubkey::Pubkey>().map_err(|_| anyhow::anyhow!("--deployment `{text}`: `{mint}` is not a mint address"))?;
    Ok(NamedDeployment { name: name.to_string(), url, mint: mint.to_string() })
}

fn parse_date(text: &str, flag: &str) -> anyhow::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| anyhow::anyhow!("{flag} `{text}` is not a date (YYYY-MM-DD)"))
}

/// The first and last day of the month before today's (UTC).
fn last_month() -> (chrono::NaiveDate, chrono::NaiveDate) {
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    let first_of_this_month = today.with_day(1).unwrap_or(today);
    let last = first_of_this_month.pred_opt().unwrap_or(first_of_this_month);
    (last.with_day(1).unwrap_or(last), last)
}


/// Index a named deployment from its cluster and say whether the index is complete.
async fn index_deployment(store: &mut Store, named: &NamedDeployment, url: &str) -> anyhow::Result<report::Deployment> {
    let mut chain = Chain::rpc(url);
    let mint: solana_pubkey::Pubkey = named.mint.parse()?;
    let shown = crate::chain::redact_url(url);
    let cluster = chain.genesis_hash().await.with_context(|| format!("deployment {}: reading {shown}", named.name))?.to_string();
    let (source, cursor) = chain_cursor(store, &mut chain, &cluster, &mint).await.with_context(|| format!("deployment {}: reading {shown}", named.name))?;
    let (records, _) = chain.recorded_transactions(&mint, cursor.as_deref(), 1_000).await.with_context(|| format!("deployment {}: reading {shown}", named.name))?;
    let newest = records.last().and_then(|record| record["signature"].as_str()).map(str::to_string);
    index_cluster_records(store, &cluster, records)?;
    if let Some(newest) = newest {
        store.set_cursor(&source, &newest)?;
    }
    let chain_seq = chain.config(&mint).await.with_context(|| format!("deployment {}: reading {shown}", named.name))?.event_seq;
    let indexed_seq = store.last_seq(&cluster, &named.mint)?;
    let freshness = match indexed_seq.cmp(&chain_seq) {
        std::cmp::Ordering::Equal => report::Freshness::Current { chain_seq },
        std::cmp::Ordering::Less => report::Freshness::Behind { indexed_seq, chain_seq },
        std::cmp::Ordering::Greater => report::Freshness::Ahead { indexed_seq, chain_seq },
    };
    Ok(report::Deployment { name: named.name.clone(), cluster, mint: named.mint.clone(), freshness })
}

/// The index's deployment of a mint named without a URL: it must be held under one cluster only.
fn indexed_deployment(store: &Store, named: &NamedDeployment, freshness: report::Freshness, db: &Path) -> anyhow::Result<report::Deployment> {
    let clusters: Vec<String> = store.deployments()?.into_iter().filter(|(_, mint)| *mint == named.mint).map(|(cluster, _)| cluster).collect();
    match clusters.as_slice() {
        [cluster] => Ok(report::Deployment { name: named.name.clone(), cluster: cluster.clone(), mint: named.mint.clone(), freshness }),
        [] => bail!("deployment {}: {} holds no events of mint {} (run `usd1 index`, or name its cluster: {}=URL,{})", named.name, db.display(), named.mint, named.name, named.mint),
        many => bail!(
            "deployment {}: {} holds mint {} from {} clusters (genesis {}): name its cluster with {}=URL,{}",
            named.name,
            db.display(),
            named.mint,
            many.len(),
            cluster_names(many),
            named.name,
            named.mint
        ),
    }
}

/// `usd1 report`: the monthly attestation report over the index and the reserve ledger.
pub async fn report(global: &GlobalArgs, request: ReportRequest<'_>) -> anyhow::Result<ExitCode> {
    use usd1_indexer::monitor::parse_rules;
    // Check every argument before touching the index or a chain.
    let (default_from, default_to) = last_month();
    let from = request.from.map(|text| parse_date(text, "--from")).transpose()?.unwrap_or(default_from);
    let to = request.to.map(|text| parse_date(text, "--to")).transpose()?.unwrap_or(default_to);
    if from > to {
        bail!("the period is empty: --from {from} is after --to {to}");
    }
    let cutoff = request.cutoff.map(report::parse_cutoff).transpose().map_err(|error| anyhow::anyhow!("--cutoff: {error}"))?;
    let tz = report::parse_tz(request.tz).map_err(|error| anyhow::anyhow!("--tz: {error}"))?;
    let rules = match request.rules {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            parse_rules(&text).with_context(|| format!("{}", path.display()))?
        }
        None => report::default_rules(),
    };
    let mut named: Vec<NamedDeployment> = request.deployments.iter().map(|text| parse_deployment(text)).collect::<anyhow::Result<_>>()?;
    if let Some(path) = request.deployments_file {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let file: DeploymentsFile = toml::from_str(&text).with_context(|| format!("{}: expected [[deployment]] tables with name, mint and optionally url", path.display()))?;
        named.extend(file.deployment);
    }
    for (index, deployment) in named.iter().enumerate() {
        if named[..index].iter().any(|other| other.name == deployment.name) {
            bail!("deployment name `{}` is given twice", deployment.name);
        }
    }
    if !request.reserves.is_file() {
        bail!("--reserves {}: no such file", request.reserves.display());
    }
    if !request.db.exists() && named.iter().all(|deployment| deployment.url.is_none()) {
        bail!("{} does not exist: run `usd1 index --db {}` first, or name a deployment with its URL", request.db.display(), request.db.display());
    }

    let mut store = Store::open(request.db).with_context(|| format!("opening {}", request.db.display()))?;
    let mut deployments = Vec::new();
    // Chains first: indexing one may give events of a record file their cluster, which the
    // deployments named without a URL must then see.
    let (with_url, without_url): (Vec<&NamedDeployment>, Vec<&NamedDeployment>) = named.iter().partition(|deployment| deployment.url.is_some());
    let mut resolved_in_order = Vec::new();
    for deployment in &with_url {
        let url = deployment.url.as_deref().unwrap_or_default();
        let resolved = match index_deployment(&mut store, deployment, url).await {
            Ok(resolved) => resolved,
            // The chain is out of reach: report what the index holds, named as unchecked.
            Err(error) => indexed_deployment(&store, deployment, report::Freshness::Unreachable(format!("{error:#}")), request.db).with_context(|| format!("{error:#}"))?,
        };
        resolved_in_order.push((deployment.name.clone(), resolved));
    }
    for deployment in &without_url {
        resolved_in_order.push((deployment.name.clone(), indexed_deployment(&store, deployment, report::Freshness::NotChecked, request.db)?));
    }
    // Back in the order given.
    resolved_in_order.sort_by_key(|(name, _)| named.iter().position(|deployment| deployment.name == *name));
    for (_, resolved) in resolved_in_order {
        let deployment = &resolved;
        if deployments.iter().any(|other: &report::Deployment| other.cluster == deployment.cluster && other.mint == deployment.mint) {
            bail!("deployment {} is named twice (the same cluster and mint)", deployment.name);
        }
        deployments.push(resolved);
    }
    if named.is_empty() {
        for (cluster, mint) in store.deployments()? {
            let short = |text: &str| text.chars().take(8).collect::<String>();
            let name = if cluster.is_empty() { short(&mint) } else { format!("{}@{}", short(&mint), short(&cluster)) };
            let name = if deployments.iter().any(|other: &report::Deployment| other.name == name) { format!("{mint}@{cluster}") } else { name };
            deployments.push(report::Deployment { name, cluster, mint, freshness: report::Freshness::NotChecked });
        }
        if deployments.is_empty() {
            bail!("{} holds no events: run `usd1 index` first, or name a deployment with --deployment NAME=URL,MINT", request.db.display());
        }
    }
    let decimals = decimals_of(&store, &deployments[0].mint)?;
    let reserves = read_reserves(request.reserves, decimals).with_context(|| format!("{}", request.reserves.display()))?;
    let options = report::ReportOptions {
        from,
        to,
        business_days_only: request.business_days_only,
        cutoff,
        tz,
        redemption_deadline_business_days: request.redemption_deadline_business_days,
        rules,
        max_reserves_age_days: request.max_reserves_age_days,
        now: chrono::Utc::now().timestamp(),
    };
    let built = report::build(&store, &deployments, &reserves, &options)?;
    let files = built.write(request.out).with_context(|| format!("writing the report into {}", request.out.display()))?;
    let findings = built.findings();
    let mut summary = built.summary();
    summary["files"] = json!(files.iter().map(|path| path.display().to_string()).collect::<Vec<_>>());
    print_value(global.output, &summary, || {
        let mut text = built.summary_text();
        text.push_str(&format!("\nwritten into {}:\n", request.out.display()));
        for path in &files {
            text.push_str(&format!("  {}\n", path.file_name().map(|name| name.to_string_lossy().to_string()).unwrap_or_default()));
        }
        text.trim_end().to_string()
    });
    Ok(if findings.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployments_parse_with_urls_that_carry_equals_signs_and_commas() {
        let mint = "So11111111111111111111111111111111111111112";
        let parsed = parse_deployment(&format!("main=https://rpc.example.com/?api-key=a,b,{mint}")).unwrap();
        assert_eq!(parsed, NamedDeployment { name: "main".into(), url: Some("https://rpc.example.com/?api-key=a,b".into()), mint: mint.into() });
        assert_eq!(parse_deployment(&format!("archive={mint}")).unwrap(), NamedDeployment { name: "archive".into(), url: None, mint: mint.into() });
        for bad in ["no-equals", "=mint", &format!("name=,{mint}"), "name=http://x,not-a-mint"] {
            assert!(parse_deployment(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_deployment("name=http://x,not-a-mint").unwrap_err().to_string(), "--deployment `name=http://x,not-a-mint`: `not-a-mint` is not a mint address");
    }

    #[test]
    fn urls_lose_their_keys_before_they_are_shown() {
        assert_eq!(crate::chain::redact_url("https://user:secret@rpc.example.com/v1/?api-key=abc#frag"), "https://rpc.example.com/v1/");
        assert_eq!(crate::chain::redact_url("https://mainnet.helius-rpc.com/?api-key=abc"), "https://mainnet.helius-rpc.com/");
        assert_eq!(crate::chain::redact_url("http://127.0.0.1:8899"), "http://127.0.0.1:8899");
    }
}
