//! Monitoring rules over indexed events. Rules come from TOML:
//!
//! ```toml
//! [[rules]]
//! kind = "single_mint_above"        # one mint larger than `amount` (tokens)
//! amount = "1000000"
//!
//! [[rules]]
//! kind = "minted_in_window_above"   # more than `amount` minted within `window_secs`
//! window_secs = 3600
//! amount = "5000000"
//!
//! [[rules]]
//! kind = "governance_change"        # admin handover, role change, config change, council change, loosening, seizure
//!
//! [[rules]]
//! kind = "pause_change"             # any pause or unpause
//!
//! [[rules]]
//! kind = "denylist_change"          # any denylist addition or removal
//!
//! [[rules]]
//! kind = "mint_without_attestation" # a mint with no reserve attestation in the `hours` before it
//! hours = 24
//!
//! [[rules]]
//! kind = "redemption_overdue"       # a request still pending past its deadline:
//! business_days = 2                 # ... `business_days` (Monday to Friday) or `limit_secs`
//! ```
use crate::{
    reconcile::decimals_of,
    redemptions::{self, overdue, redemptions, OverdueLimit},
    IndexError, Store,
};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use usd1_client::amount::{format_token_amount, parse_amount, SYMBOL};

/// A span of time as a person reads it, never rounded down to nothing: `2 d 3 h`, `24 h 59 min`, `45 s`.
fn span(secs: i64) -> String {
    let secs = secs.max(0);
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{secs} s"),
        (0, 0, minutes) => format!("{minutes} min"),
        (0, hours, minutes) => format!("{hours} h {minutes} min"),
        (days, hours, _) => format!("{days} d {hours} h"),
    }
}

/// A unix time as ISO 8601 UTC (what a person reading an alert sees).
fn iso_time(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).map(|time| time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).unwrap_or_else(|| unix.to_string())
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    SingleMintAbove { amount: String },
    MintedInWindowAbove { window_secs: u64, amount: String },
    // Empty braces (not unit variants) so that unknown keys are refused for these too.
    GovernanceChange {},
    PauseChange {},
    DenylistChange {},
    MintWithoutAttestation { hours: u64 },
    RedemptionOverdue { limit_secs: Option<u64>, business_days: Option<u32> },
}

impl Rule {
    fn name(&self) -> &'static str {
        match self {
            Rule::SingleMintAbove { .. } => "single_mint_above",
            Rule::MintedInWindowAbove { .. } => "minted_in_window_above",
            Rule::GovernanceChange {} => "governance_change",
            Rule::PauseChange {} => "pause_change",
            Rule::DenylistChange {} => "denylist_change",
            Rule::MintWithoutAttestation { .. } => "mint_without_attestation",
            Rule::RedemptionOverdue { .. } => "redemption_overdue",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rules: Vec<Rule>,
}

/// Parse and check a rules file (amounts are checked against the largest decimals a mint may have).
pub fn parse_rules(text: &str) -> Result<Vec<Rule>, IndexError> {
    let file: RuleFile = toml::from_str(text).map_err(|error| IndexError::Malformed(format!("rules: {error}")))?;
    for (index, rule) in file.rules.iter().enumerate() {
        if let Rule::RedemptionOverdue { limit_secs, business_days } = rule {
            if limit_secs.is_some() == business_days.is_some() {
                return Err(IndexError::Malformed(format!("rule {index} (redemption_overdue): give exactly one of limit_secs, business_days")));
            }
        }
        let amount = match rule {
            Rule::SingleMintAbove { amount } | Rule::MintedInWindowAbove { amount, .. } => Some(amount),
            _ => None,
        };
        if let Some(amount) = amount {
            parse_amount(amount, 9).map_err(|error| IndexError::Malformed(format!("rule {index} ({}): amount: {error}", rule.name())))?;
        }
    }
    Ok(file.rules)
}

const GOVERNANCE_EVENTS: &[&str] = &["AdminTransferStarted", "AdminTransferred", "RoleUpdated", "ConfigUpdated"];

/// Evaluate `rules` over every indexed event, in (mint, seq) order, calling
/// `alert` for each alert. Returns how many fired.
pub fn evaluate(store: &Store, rules: &[Rule], mut alert: impl FnMut(Value)) -> Result<u64, IndexError> {
    let mut decimals: HashMap<String, u8> = HashMap::new();
    for mint in store.mints()? {
        decimals.insert(mint.clone(), decimals_of(store, &mint)?);
    }
    let threshold = |amount: &str, mint: &str| parse_amount(amount, decimals.get(mint).copied().unwrap_or(6)).unwrap_or(u64::MAX);

    let mut statement = store
        .connection
        .prepare("SELECT mint, seq, signature, block_time, name, amount, CASE WHEN name = 'ProposalExecuted' THEN body END, cluster FROM events ORDER BY mint, cluster, seq")?;
    let mut rows = statement.query([])?;
    let mut fired = 0u64;
    // Rolling state is per deployment (cluster, mint): one chain's attestation does not cover another's mints.
    let mut current = (String::from("\u{0}"), String::new());
    let mut window: VecDeque<(i64, u64)> = VecDeque::new();
    let mut window_total: u128 = 0;
    let mut last_attestation: Option<i64> = None;
    while let Some(row) = rows.next()? {
        let mint: String = row.get(0)?;
        let seq: i64 = row.get(1)?;
        let signature: String = row.get(2)?;
        let block_time: Option<i64> = row.get(3)?;
        let name: String = row.get(4)?;
        let amount: Option<i64> = row.get(5)?;
        let cluster: String = row.get(7)?;
        if (&cluster, &mint) != (&current.0, &current.1) {
            current = (cluster.clone(), mint.clone());
            window.clear();
            window_total = 0;
            last_attestation = None;
        }
        let time = block_time.unwrap_or(0);
        let amount = amount.unwrap_or(0).max(0) as u64;
        let mint_decimals = decimals.get(&mint).copied().unwrap_or(6);
        let tokens = |base_units: u128| format_token_amount(u64::try_from(base_units).unwrap_or(u64::MAX), mint_decimals, SYMBOL);
        let limit_tokens = |limit: &str| tokens(u128::from(threshold(limit, &mint)));
        let mut raise = |rule: &Rule, detail: String| {
            fired += 1;
            alert(json!({
                "rule": rule.name(), "cluster": cluster, "mint": mint, "seq": seq, "signature": signature,
                "time": block_time.map(iso_time), "block_time": block_time, "event": name, "detail": detail,
            }));
        };
        if name == "ReservesAttested" {
            last_attestation = Some(time);
        }
        if name == "Minted" {
            window.push_back((time, amount));
            window_total += u128::from(amount);
        }
        for rule in rules {
            match rule {
                Rule::SingleMintAbove { amount: limit } if name == "Minted" && amount > threshold(limit, &mint) => {
                    raise(rule, format!("minted {} in one mint (limit {})", tokens(u128::from(amount)), limit_tokens(limit)));
                }
                Rule::MintedInWindowAbove { window_secs, amount: limit } if name == "Minted" => {
                    let start = time.saturating_sub(i64::try_from(*window_secs).unwrap_or(i64::MAX));
                    while let Some((oldest, oldest_amount)) = window.front().copied() {
                        if oldest > start {
                            break;
                        }
                        window.pop_front();
                        window_total -= u128::from(oldest_amount);
                    }
                    if window_total > u128::from(threshold(limit, &mint)) {
                        raise(rule, format!("{} minted within {window_secs} s (limit {})", tokens(window_total), limit_tokens(limit)));
                    }
                }
                Rule::GovernanceChange {} => {
                    // Council changes, loosened limits and seizures: every kind but an allowance.
                    // Only a ProposalExecuted's body is read (the query leaves the others out).
                    let body = row.get::<_, Option<String>>(6)?.unwrap_or_default();
                    let council_change = name == "ProposalExecuted"
                        && ["\"set_council\"", "\"update_config\"", "\"set_rate_limit\"", "\"seize\""].iter().any(|kind| body.contains(kind));
                    if GOVERNANCE_EVENTS.contains(&name.as_str()) || council_change {
                        raise(rule, format!("{name}"));
                    }
                }
                Rule::PauseChange {} if name == "Paused" || name == "Unpaused" => raise(rule, name.clone()),
                Rule::DenylistChange {} if name == "Denylisted" || name == "Undenylisted" => raise(rule, name.clone()),
                Rule::MintWithoutAttestation { hours } if name == "Minted" => {
                    let max_age = i64::try_from(hours.saturating_mul(3600)).unwrap_or(i64::MAX);
                    match last_attestation {
                        Some(attested) if time.saturating_sub(attested) <= max_age => {}
                        Some(attested) => raise(rule, format!("last attestation at {}, {} before this mint (limit {hours} h)", iso_time(attested), span(time - attested))),
                        None => raise(rule, "no reserve attestation before this mint".into()),
                    }
                }
                _ => {}
            }
        }
    }
    drop(rows);
    // Deadlines are judged now, over the requests still pending.
    let requests = redemptions(store)?;
    let now = redemptions::now(store)?;
    for rule in rules {
        let Rule::RedemptionOverdue { limit_secs, business_days } = rule else { continue };
        let limit = match (limit_secs, business_days) {
            (Some(secs), _) => OverdueLimit::Secs(*secs),
            (None, Some(days)) => OverdueLimit::BusinessDays(*days),
            (None, None) => continue,
        };
        for (request, past) in overdue(&requests, limit, now) {
            fired += 1;
            let request_decimals = decimals.get(&request.mint).copied().unwrap_or(6);
            alert(json!({
                "rule": rule.name(), "cluster": request.cluster, "mint": request.mint, "seq": request.seq, "signature": request.signature,
                "time": request.requested_at.map(iso_time), "block_time": request.requested_at, "event": "RedemptionRequested",
                "detail": format!(
                    "holder {} ticket {} ({}) requested {}, pending {} past its deadline",
                    request.holder,
                    request.reference_hash,
                    format_token_amount(request.amount, request_decimals, SYMBOL),
                    request.requested_at.map(iso_time).unwrap_or_else(|| "at an unknown time".to_string()),
                    span(past as i64)
                ),
            }));
        }
    }
    Ok(fired)
}
