//! The attestation report (SPEC 16): end-of-day supply per deployment and in total against
//! reserves, the day's flows, redemptions and their ages, the period's findings, and charts.
//!
//! Days: every calendar day from `from` to `to` (or Monday to Friday only). A day closes at its
//! cutoff (`--cutoff HH:MM` in `--tz`, or midnight at the day's end) and covers the events
//! with a block time at or after the previous day's cutoff and before its own: the days'
//! windows are consecutive, so a weekend's events fall on the Monday of a business-day report.
//! The supply at a cutoff is the one the latest event before it reports (Minted, Burned,
//! RedemptionCompleted, Seized, ReservesAttested, SupplyChecked carry it).
use crate::{
    monitor::{evaluate, Rule},
    reconcile::{decimals_of, ReserveEntry},
    IndexError, Store,
};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use rusqlite::params;
use serde::Serialize;
use serde_json::{json, Value};
use std::{
    collections::{BTreeMap, HashMap},
    path::{Path, PathBuf},
};
use usd1_client::amount::format_amount;

/// A deployment: one mint on one cluster, as the report names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    pub name: String,
    /// The cluster's genesis hash ('' for events indexed from a record file).
    pub cluster: String,
    pub mint: String,
    pub freshness: Freshness,
}

/// Whether a deployment's index holds every event its chain has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// The index's last seq equals the chain's `event_seq`.
    Current { chain_seq: u64 },
    /// The chain has events the index does not.
    Behind { indexed_seq: u64, chain_seq: u64 },
    /// The index has events the chain does not: another chain under the same genesis, or a reset.
    Ahead { indexed_seq: u64, chain_seq: u64 },
    /// No chain was named for this deployment: the index is reported as it is.
    NotChecked,
    /// The chain could not be read.
    Unreachable(String),
}

impl Freshness {
    fn to_json(&self) -> Value {
        match self {
            Freshness::Current { chain_seq } => json!({"status": "current", "chain_event_seq": chain_seq}),
            Freshness::Behind { indexed_seq, chain_seq } => {
                json!({"status": "behind", "indexed_seq": indexed_seq, "chain_event_seq": chain_seq, "behind_by": chain_seq - indexed_seq})
            }
            Freshness::Ahead { indexed_seq, chain_seq } => json!({"status": "ahead of its chain", "indexed_seq": indexed_seq, "chain_event_seq": chain_seq}),
            Freshness::NotChecked => json!({"status": "not checked (no chain named)"}),
            Freshness::Unreachable(reason) => json!({"status": "unreachable", "reason": reason}),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub business_days_only: bool,
    /// The time of day a day closes at, in `tz`; None: midnight at the day's end.
    pub cutoff: Option<NaiveTime>,
    pub tz: Tz,
    /// Business days a redemption may stay pending (regulators speak of two).
    pub redemption_deadline_business_days: u32,
    /// Monitoring rules whose alerts in the period the summary lists.
    pub rules: Vec<Rule>,
    /// A reserves figure older than this many days at a day's close is stale (a finding).
    pub max_reserves_age_days: u32,
    /// The instant the report is made: days closing after it are still open.
    pub now: i64,
}

/// The longest period a report covers (ten years of days).
pub const MAX_PERIOD_DAYS: i64 = 3_660;

/// Reserves figures older than this at a day's close are stale unless told otherwise.
pub const DEFAULT_MAX_RESERVES_AGE_DAYS: u32 = 7;

/// The rules a report evaluates when none are given: each needs no threshold.
pub fn default_rules() -> Vec<Rule> {
    vec![Rule::GovernanceChange {}, Rule::PauseChange {}, Rule::DenylistChange {}]
}

/// One day of the report: its date and the instant (unix seconds) it closes at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub opens_at: i64,
    pub closes_at: i64,
}

fn is_business_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn cutoff_instant(date: NaiveDate, cutoff: Option<NaiveTime>, tz: Tz) -> i64 {
    let local = match cutoff {
        // 00:00 is the day's end, not its start (a day closing as it opens would be empty).
        Some(time) if time != NaiveTime::MIN => date.and_time(time),
        _ => date.succ_opt().unwrap_or(date).and_time(NaiveTime::MIN),
    };
    // A cutoff inside a daylight-saving gap does not exist locally: the day closes when the gap
    // ends, the first local time that exists after it (gaps are whole quarter hours).
    (0..=16)
        .find_map(|quarter| tz.from_local_datetime(&(local + chrono::Duration::minutes(15 * quarter))).earliest())
        .map(|time| time.timestamp())
        .unwrap_or_else(|| local.and_utc().timestamp())
}

/// The report's days, each with its window [opens_at, closes_at).
pub fn days(options: &ReportOptions) -> Vec<Day> {
    let included = |date: NaiveDate| !options.business_days_only || is_business_day(date);
    let mut days = Vec::new();
    let mut date = options.from;
    while date <= options.to {
        if included(date) {
            let mut previous = date.pred_opt().unwrap_or(date);
            while !included(previous) {
                previous = previous.pred_opt().unwrap_or(previous);
            }
            days.push(Day {
                date,
                opens_at: cutoff_instant(previous, options.cutoff, options.tz),
                closes_at: cutoff_instant(date, options.cutoff, options.tz),
            });
        }
        let Some(next) = date.succ_opt() else { break };
        date = next;
    }
    days
}

/// Business days between two instants, as deadlines count them (Monday to Friday, UTC): the
/// largest n such that `n` business days after `from`, at the same time of day, is at or before `to`.
pub fn business_days_between(from: i64, to: i64) -> u32 {
    let (Some(start), Some(end)) = (DateTime::from_timestamp(from, 0), DateTime::from_timestamp(to, 0)) else { return 0 };
    if end <= start {
        return 0;
    }
    let (start_date, end_date) = (start.date_naive(), end.date_naive());
    // Weekdays in (start_date, end_date).
    let mut count = weekdays_in(start_date, end_date);
    if end_date > start_date && is_business_day(end_date) && end.time() >= start.time() {
        count += 1;
    }
    count
}

/// Monday-to-Friday dates strictly between `after` and `before`.
fn weekdays_in(after: NaiveDate, before: NaiveDate) -> u32 {
    let span = (before - after).num_days() - 1;
    if span <= 0 {
        return 0;
    }
    let (weeks, rest) = (span / 7, span % 7);
    let mut count = weeks * 5;
    let mut date = after;
    for _ in 0..rest {
        date = date.succ_opt().unwrap_or(date);
        if is_business_day(date) {
            count += 1;
        }
    }
    count as u32
}

/// One event as the report reads it.
struct ReportEvent {
    seq: u64,
    block_time: Option<i64>,
    name: String,
    amount: u64,
    supply: Option<u64>,
    actor: Option<String>,
    reference_hash: Option<String>,
    /// From the event's JSON, by kind: a seizure's destination, a redemption's holder, an
    /// attestation's `as_of`.
    detail: Option<String>,
}

fn load_events(store: &Store, deployment: &Deployment, until: i64) -> Result<Vec<ReportEvent>, IndexError> {
    let mut statement = store.connection.prepare(
        "SELECT seq, block_time, name, amount, supply,
                CASE WHEN name = 'Minted' THEN actor END,
                CASE WHEN name LIKE 'Redemption%' THEN reference_hash END,
                CASE WHEN name = 'Seized' THEN json_extract(body, '$.destination')
                     WHEN name LIKE 'Redemption%' THEN json_extract(body, '$.holder')
                     WHEN name = 'ReservesAttested' THEN CAST(json_extract(body, '$.as_of') AS TEXT) END
         FROM events WHERE cluster = ?1 AND mint = ?2 AND (block_time IS NULL OR block_time < ?3) ORDER BY seq",
    )?;
    let rows = statement.query_map(params![deployment.cluster, deployment.mint, until], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, Option<i64>>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, Option<i64>>(3)?,
            row.get::<_, Option<i64>>(4)?,
            row.get::<_, Option<String>>(5)?,
            row.get::<_, Option<String>>(6)?,
            row.get::<_, Option<String>>(7)?,
        ))
    })?;
    let mut events = Vec::new();
    for row in rows {
        let (seq, block_time, name, amount, supply, actor, reference_hash, detail) = row?;
        events.push(ReportEvent {
            seq: seq as u64,
            block_time,
            name,
            amount: amount.unwrap_or(0).max(0) as u64,
            supply: supply.map(|supply| supply.max(0) as u64),
            actor,
            reference_hash,
            detail,
        });
    }
    Ok(events)
}

/// How an event changes the supply, as the program reports it (None: it does not).
fn supply_delta(event: &ReportEvent) -> Option<i128> {
    let amount = i128::from(event.amount);
    match event.name.as_str() {
        "Minted" => Some(amount),
        "Burned" | "RedemptionCompleted" => Some(-amount),
        "Seized" if seized_to_burn(event) => Some(-amount),
        _ => None,
    }
}

fn seized_to_burn(event: &ReportEvent) -> bool {
    event.detail.as_deref() == Some("burn")
}

/// A deployment's figures for one day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayFlows {
    pub supply_at_close: u64,
    pub mints: u64,
    pub minted: u64,
    pub largest_mint: u64,
    pub burns: u64,
    pub burned: u64,
    pub redemptions_completed: u64,
    pub redeemed: u64,
    pub seizures: u64,
    pub seized: u64,
    pub seized_burned: u64,
    pub unattributed_burned: u64,
    /// Supply that appeared outside the program's events (never expected).
    pub unexplained_increase: u64,
    pub minted_by_minter: BTreeMap<String, (u64, u64)>,
    // Redemptions.
    pub redemptions_opened: u64,
    pub redemptions_opened_amount: u64,
    pub redemptions_rejected: u64,
    pub pending_at_close: u64,
    pub pending_amount_at_close: u64,
    pub oldest_pending_business_days: Option<u32>,
    pub past_deadline: u64,
    pub past_deadline_amount: u64,
}

/// One redemption request over the report's horizon.
#[derive(Debug, Clone)]
struct Request {
    amount: u64,
    requested_at: i64,
    settled_at: Option<i64>,
}

/// A deployment's report.
#[derive(Debug, Clone)]
pub struct DeploymentReport {
    pub deployment: Deployment,
    pub decimals: u8,
    pub supply_at_start: u64,
    pub days: Vec<DayFlows>,
    pub events_in_period: u64,
    pub undated_events: u64,
    /// Supply-changing events that did not carry the supply after them.
    pub events_without_supply: u64,
    pub last_indexed_seq: u64,
    pub seq_gaps: Vec<(u64, u64)>,
    /// On-chain reserve attestations in the period: (seq, as_of, amount).
    pub attestations: Vec<(u64, i64, u64)>,
    /// Redemption ages at the period's end: settled in the period (business days to settle)
    /// and still pending (business days open).
    pub settled_ages: Vec<u32>,
    pub pending_ages: Vec<u32>,
}

fn deployment_report(store: &Store, deployment: &Deployment, days: &[Day], deadline_days: u32) -> Result<DeploymentReport, IndexError> {
    let (period_start, period_end) = (days[0].opens_at, days[days.len() - 1].closes_at);
    let events = load_events(store, deployment, period_end)?;
    let decimals = decimals_of(store, &deployment.mint)?;
    let last_indexed_seq = store.last_seq(&deployment.cluster, &deployment.mint)?;
    let seq_gaps = seq_gaps(store, deployment)?;
    let mut report = DeploymentReport {
        deployment: deployment.clone(),
        decimals,
        supply_at_start: 0,
        days: vec![DayFlows::default(); days.len()],
        events_in_period: 0,
        undated_events: 0,
        events_without_supply: 0,
        last_indexed_seq,
        seq_gaps,
        attestations: vec![],
        settled_ages: vec![],
        pending_ages: vec![],
    };
    // The day an instant falls in (None: before the period).
    let day_of = |time: i64| -> Option<usize> {
        if time < period_start {
            return None;
        }
        Some(days.partition_point(|day| day.closes_at <= time).min(days.len() - 1))
    };
    let mut supply: u64 = 0;
    let mut requests: HashMap<(String, String), Request> = HashMap::new();
    let mut all_requests: Vec<(String, String)> = Vec::new();
    let mut touched = vec![false; days.len()];
    for event in &events {
        let Some(time) = event.block_time else {
            report.undated_events += 1;
            continue;
        };
        let day = day_of(time);
        // Supply: compare what the program reports with what its events explain.
        if event.supply.is_none() {
            if let Some(delta) = supply_delta(event) {
                // An event that changes supply always reports it; without it, apply the change and say so.
                supply = u64::try_from(i128::from(supply) + delta).unwrap_or(0);
                report.events_without_supply += 1;
            }
        }
        if let Some(reported) = event.supply {
            let expected = i128::from(supply) + supply_delta(event).unwrap_or(0);
            let reported_wide = i128::from(reported);
            if let Some(day) = day {
                let flows = &mut report.days[day];
                if expected > reported_wide {
                    flows.unattributed_burned += (expected - reported_wide) as u64;
                } else if expected < reported_wide {
                    flows.unexplained_increase += (reported_wide - expected) as u64;
                }
            }
            supply = reported;
        }
        match day {
            None => report.supply_at_start = supply,
            Some(day) => {
                report.events_in_period += 1;
                let flows = &mut report.days[day];
                match event.name.as_str() {
                    "Minted" => {
                        flows.mints += 1;
                        flows.minted += event.amount;
                        flows.largest_mint = flows.largest_mint.max(event.amount);
                        let entry = flows.minted_by_minter.entry(event.actor.clone().unwrap_or_default()).or_default();
                        entry.0 += 1;
                        entry.1 += event.amount;
                    }
                    "Burned" => {
                        flows.burns += 1;
                        flows.burned += event.amount;
                    }
                    "RedemptionCompleted" => {
                        flows.redemptions_completed += 1;
                        flows.redeemed += event.amount;
                    }
                    "Seized" => {
                        flows.seizures += 1;
                        flows.seized += event.amount;
                        if seized_to_burn(event) {
                            flows.seized_burned += event.amount;
                        }
                    }
                    "RedemptionRequested" => {
                        flows.redemptions_opened += 1;
                        flows.redemptions_opened_amount += event.amount;
                    }
                    "RedemptionRejected" => flows.redemptions_rejected += 1,
                    "ReservesAttested" => {
                        let as_of = event.detail.as_deref().and_then(|text| text.parse().ok()).unwrap_or(time);
                        report.attestations.push((event.seq, as_of, event.amount));
                    }
                    _ => {}
                }
            }
        }
        if event.name.starts_with("Redemption") {
            let holder = event.detail.clone().unwrap_or_default();
            let key = (holder, event.reference_hash.clone().unwrap_or_default());
            if event.name == "RedemptionRequested" {
                // A key is requested once (the program refuses a pending duplicate); a repeat in the
                // index replaces the request rather than counting it twice.
                if requests.insert(key.clone(), Request { amount: event.amount, requested_at: time, settled_at: None }).is_none() {
                    all_requests.push(key);
                }
            } else if let Some(request) = requests.get_mut(&key) {
                if request.settled_at.is_none() {
                    request.settled_at = Some(time);
                }
            }
        }
        // Supply at each day's close: the running value after the day's last event.
        if let Some(day) = day {
            report.days[day].supply_at_close = supply;
            touched[day] = true;
        }
    }
    // Days without events carry the previous close.
    let mut carried = report.supply_at_start;
    for (flows, touched) in report.days.iter_mut().zip(&touched) {
        if !touched {
            flows.supply_at_close = carried;
        }
        carried = flows.supply_at_close;
    }
    // Redemptions pending at each close, and ages at the period's end.
    for key in &all_requests {
        let request = &requests[key];
        let first_close = days.partition_point(|day| day.closes_at <= request.requested_at);
        for (index, day) in days.iter().enumerate().skip(first_close) {
            if request.settled_at.is_some_and(|settled| settled < day.closes_at) {
                break;
            }
            let flows = &mut report.days[index];
            let age = business_days_between(request.requested_at, day.closes_at);
            flows.pending_at_close += 1;
            flows.pending_amount_at_close += request.amount;
            flows.oldest_pending_business_days = Some(flows.oldest_pending_business_days.unwrap_or(0).max(age));
            if age >= deadline_days && business_days_past_deadline(request.requested_at, day.closes_at, deadline_days) {
                flows.past_deadline += 1;
                flows.past_deadline_amount += request.amount;
            }
        }
        match request.settled_at {
            Some(settled) if settled >= period_start && settled < period_end => report.settled_ages.push(business_days_between(request.requested_at, settled)),
            Some(_) => {}
            None => report.pending_ages.push(business_days_between(request.requested_at, period_end)),
        }
    }
    Ok(report)
}

/// Whether a request made at `requested_at` is past its deadline at `at` (strictly after it,
/// as `usd1 redemptions --overdue` judges).
fn business_days_past_deadline(requested_at: i64, at: i64, deadline_days: u32) -> bool {
    at > crate::redemptions::deadline(requested_at, crate::redemptions::OverdueLimit::BusinessDays(deadline_days))
}

fn seq_gaps(store: &Store, deployment: &Deployment) -> Result<Vec<(u64, u64)>, IndexError> {
    let mut statement = store.connection.prepare(
        "SELECT prev + 1, seq - 1 FROM (
             SELECT seq, LAG(seq) OVER (ORDER BY seq) AS prev FROM events WHERE cluster = ?1 AND mint = ?2
         ) WHERE prev IS NOT NULL AND seq > prev + 1
         UNION ALL
         SELECT 1, MIN(seq) - 1 FROM events WHERE cluster = ?1 AND mint = ?2 HAVING MIN(seq) > 1
         ORDER BY 1",
    )?;
    let gaps = statement
        .query_map(params![deployment.cluster, deployment.mint], |row| Ok((row.get::<_, i64>(0)? as u64, row.get::<_, i64>(1)? as u64)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(gaps)
}

/// The reserves figure a day is judged against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservesFigure {
    pub amount: u64,
    /// Days between the figure's date and the day it judges.
    pub age_days: i64,
    /// The figure's date (`as_of` of the file's row, or of the attestation).
    pub as_of: String,
    pub source: String,
}

/// The whole report, computed; [`Report::write`] puts it on disk.
#[derive(Debug, Clone)]
pub struct Report {
    pub options: ReportOptions,
    pub days: Vec<Day>,
    pub decimals: u8,
    pub deployments: Vec<DeploymentReport>,
    /// Per day: the figure in force at its close (None: the file has none yet and no attestation was made).
    pub reserves: Vec<Option<ReservesFigure>>,
    pub alerts: Vec<Value>,
    /// `usd1 reconcile` runs recorded in the period for these mints: (mint, checked_at, chain supply, reserves, ok).
    pub reconciliations: Vec<(String, i64, u64, u64, bool)>,
    /// On-chain attestations below the reserves file's figure for their date:
    /// (deployment, seq, as_of, attested amount, file amount, file row's as_of).
    pub attestation_mismatches: Vec<(String, u64, i64, u64, u64, String)>,
}

/// Compute the report. Refuses an empty period, deployments of different decimals, and a
/// period that ends before any deployment's first event.
pub fn build(store: &Store, deployments: &[Deployment], reserves: &[ReserveEntry], options: &ReportOptions) -> Result<Report, IndexError> {
    if options.from > options.to {
        return Err(IndexError::Malformed(format!("the period is empty: --from {} is after --to {}", options.from, options.to)));
    }
    if (options.to - options.from).num_days() >= MAX_PERIOD_DAYS {
        return Err(IndexError::Malformed(format!("the period {} to {} is longer than {MAX_PERIOD_DAYS} days: report it in parts", options.from, options.to)));
    }
    let days = days(options);
    if days.is_empty() {
        return Err(IndexError::Malformed(format!("the period {} to {} has no business days: nothing to report", options.from, options.to)));
    }
    if deployments.is_empty() {
        return Err(IndexError::Malformed("no deployment to report: the index holds no events (run `usd1 index`) and none was named".into()));
    }
    let mut reports = Vec::new();
    for deployment in deployments {
        reports.push(deployment_report(store, deployment, &days, options.redemption_deadline_business_days)?);
    }
    let decimals = reports[0].decimals;
    if let Some(other) = reports.iter().find(|report| report.decimals != decimals) {
        return Err(IndexError::Malformed(format!(
            "deployments have different decimals ({} has {decimals}, {} has {}): the report sums in one unit",
            reports[0].deployment.name, other.deployment.name, other.decimals
        )));
    }
    let period_end = days[days.len() - 1].closes_at;
    let any_event_before_end: bool = reports.iter().any(|report| report.supply_at_start > 0 || report.events_in_period > 0);
    if !any_event_before_end {
        let mut first_seen = Vec::new();
        for report in &reports {
            let first: Option<i64> = store.connection.query_row(
                "SELECT MIN(block_time) FROM events WHERE cluster = ?1 AND mint = ?2",
                params![report.deployment.cluster, report.deployment.mint],
                |row| row.get(0),
            )?;
            first_seen.push(match first.and_then(|time| DateTime::from_timestamp(time, 0)) {
                Some(time) => format!("{}: first event {}", report.deployment.name, time.format("%Y-%m-%d %H:%M UTC")),
                None => format!("{}: no events indexed", report.deployment.name),
            });
        }
        return Err(IndexError::Malformed(format!(
            "no deployment has an event before the period's end ({}): nothing to report ({})",
            DateTime::from_timestamp(period_end, 0).map(|time| time.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default(),
            first_seen.join("; ")
        )));
    }
    // Reserves: the file's latest row dated on or before the day (a dated row is a calendar day
    // wherever the report's time zone is; a timed row counts from its instant); before the
    // file's first row, the newest on-chain attestation made before the day's close.
    let mut file_rows: Vec<&ReserveEntry> = reserves.iter().collect();
    file_rows.sort_by_key(|entry| entry.as_of_secs);
    let file_figure_at = |date: NaiveDate, instant: i64| -> Option<&ReserveEntry> {
        file_rows.iter().rev().copied().find(|entry| match entry.date {
            Some(row_date) => row_date <= date,
            None => entry.as_of_secs < instant,
        })
    };
    let attestations = all_attestations(store, deployments, period_end)?;
    let reserve_days = days
        .iter()
        .map(|day| {
            let from_file = file_figure_at(day.date, day.closes_at).map(|entry| ReservesFigure {
                amount: entry.amount,
                as_of: entry.as_of.clone(),
                source: if entry.source.is_empty() { "reserves file".into() } else { entry.source.clone() },
                age_days: match entry.date {
                    Some(row_date) => (day.date - row_date).num_days(),
                    None => (day.closes_at - entry.as_of_secs) / 86_400,
                },
            });
            from_file.or_else(|| {
                attestations.iter().rev().find(|attestation| attestation.block_time < day.closes_at).map(|attestation| ReservesFigure {
                    amount: attestation.amount,
                    as_of: date_text(attestation.as_of),
                    source: format!("on-chain attestation ({} seq {})", attestation.deployment, attestation.seq),
                    age_days: (day.closes_at - attestation.as_of) / 86_400,
                })
            })
        })
        .collect();
    // An on-chain attestation below the bank's figure for its date: the issuer told the chain less
    // than its statements say (or the file is wrong); either way an accountant asks.
    let mut attestation_mismatches = Vec::new();
    for attestation in attestations.iter().filter(|attestation| attestation.block_time >= days[0].opens_at) {
        let as_of_date = DateTime::from_timestamp(attestation.as_of, 0).map(|time| time.with_timezone(&options.tz).date_naive());
        if let Some(entry) = as_of_date.and_then(|date| file_figure_at(date, attestation.as_of + 1)) {
            if attestation.amount < entry.amount {
                attestation_mismatches.push((attestation.deployment.clone(), attestation.seq, attestation.as_of, attestation.amount, entry.amount, entry.as_of.clone()));
            }
        }
    }
    let mut alerts = Vec::new();
    let period_start = days[0].opens_at;
    if !options.rules.is_empty() {
        evaluate(store, &options.rules, |alert| {
            let in_period = alert["block_time"].as_i64().is_some_and(|time| time >= period_start && time < period_end);
            let ours = deployments.iter().any(|deployment| alert["mint"] == deployment.mint.as_str() && alert["cluster"] == deployment.cluster.as_str());
            if in_period && ours {
                alerts.push(alert);
            }
        })?;
    }
    let mut reconciliations = Vec::new();
    {
        let mut statement = store.connection.prepare(
            "SELECT mint, checked_at, chain_supply, reserves, ok FROM reconciliations WHERE checked_at >= ?1 AND checked_at < ?2 ORDER BY checked_at, id",
        )?;
        let rows = statement.query_map(params![period_start, period_end], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?, row.get::<_, i64>(2)?.max(0) as u64, row.get::<_, i64>(3)?.max(0) as u64, row.get::<_, bool>(4)?))
        })?;
        for row in rows {
            let row = row?;
            if deployments.iter().any(|deployment| deployment.mint == row.0) {
                reconciliations.push(row);
            }
        }
    }
    Ok(Report { options: options.clone(), days, decimals, deployments: reports, reserves: reserve_days, alerts, reconciliations, attestation_mismatches })
}

struct Attestation {
    deployment: String,
    seq: u64,
    block_time: i64,
    as_of: i64,
    amount: u64,
}

fn all_attestations(store: &Store, deployments: &[Deployment], until: i64) -> Result<Vec<Attestation>, IndexError> {
    let mut attestations = Vec::new();
    for deployment in deployments {
        let mut statement = store.connection.prepare(
            "SELECT seq, block_time, amount, json_extract(body, '$.as_of') FROM events
             WHERE cluster = ?1 AND mint = ?2 AND name = 'ReservesAttested' AND block_time < ?3",
        )?;
        let rows = statement.query_map(params![deployment.cluster, deployment.mint, until], |row| {
            Ok(Attestation {
                deployment: deployment.name.clone(),
                seq: row.get::<_, i64>(0)? as u64,
                block_time: row.get(1)?,
                amount: row.get::<_, Option<i64>>(2)?.unwrap_or(0).max(0) as u64,
                as_of: row.get::<_, Option<i64>>(3)?.unwrap_or(0),
            })
        })?;
        for row in rows {
            attestations.push(row?);
        }
    }
    attestations.sort_by_key(|attestation| (attestation.block_time, attestation.seq));
    Ok(attestations)
}

fn date_text(unix: i64) -> String {
    DateTime::from_timestamp(unix, 0).map(|time| time.format("%Y-%m-%d").to_string()).unwrap_or_else(|| unix.to_string())
}

fn time_text(unix: i64) -> String {
    DateTime::from_timestamp(unix, 0).map(|time| time.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_else(|| unix.to_string())
}

/// Reserves over supply, to four decimals, floored (exact integer arithmetic).
pub fn coverage_ratio(reserves: u64, supply: u64) -> Option<String> {
    if supply == 0 {
        return None;
    }
    let scaled = u128::from(reserves) * 10_000 / u128::from(supply);
    Some(format!("{}.{:04}", scaled / 10_000, scaled % 10_000))
}

#[derive(Serialize)]
struct SupplyRow<'a> {
    date: String,
    cutoff_utc: String,
    /// Whether the day had closed when the report was made (an open day's figures may change).
    closed: bool,
    deployment: &'a str,
    cluster: &'a str,
    mint: &'a str,
    supply: String,
    reserves: String,
    reserves_as_of: String,
    reserves_source: String,
    coverage_ratio: String,
    status: &'static str,
}

#[derive(Serialize)]
struct FlowRow<'a> {
    date: String,
    deployment: &'a str,
    mints: u64,
    minted: String,
    largest_mint: String,
    minters: usize,
    burns: u64,
    burned: String,
    redemptions_completed: u64,
    redeemed: String,
    seizures: u64,
    seized: String,
    seized_burned: String,
    unattributed_burned: String,
    supply_change: String,
}

#[derive(Serialize)]
struct MinterRow<'a> {
    date: String,
    deployment: &'a str,
    minter: &'a str,
    mints: u64,
    minted: String,
}

#[derive(Serialize)]
struct RedemptionRow<'a> {
    date: String,
    deployment: &'a str,
    opened: u64,
    opened_amount: String,
    completed: u64,
    rejected: u64,
    pending_at_close: u64,
    pending_amount_at_close: String,
    oldest_pending_business_days: String,
    past_deadline: u64,
    past_deadline_amount: String,
}

/// The name the total rows carry.
pub const TOTAL: &str = "TOTAL";

/// Redemption age buckets, in whole business days: 0, 1, 2 to 4, 5 and more.
pub const AGE_BUCKETS: [&str; 4] = ["under 1 business day", "1 business day", "2 to 4 business days", "5 or more business days"];

pub fn age_bucket(age: u32) -> usize {
    match age {
        0 => 0,
        1 => 1,
        2..=4 => 2,
        _ => 3,
    }
}

impl Report {
    fn amount(&self, units: u64) -> String {
        format_amount(units, self.decimals)
    }

    fn signed_amount(&self, change: i128) -> String {
        let magnitude = self.amount(change.unsigned_abs().min(u128::from(u64::MAX)) as u64);
        if change < 0 {
            format!("-{magnitude}")
        } else {
            magnitude
        }
    }

    /// Total supply at each day's close.
    pub fn total_supply(&self) -> Vec<u64> {
        (0..self.days.len()).map(|index| self.deployments.iter().map(|report| report.days[index].supply_at_close).sum()).collect()
    }

    /// Per day: `OK`, `SHORT` (reserves below total supply), `NO_RESERVES_FIGURE`, or
    /// `STALE_RESERVES_FIGURE` (the latest figure is older than `max_reserves_age_days`).
    pub fn day_status(&self) -> Vec<&'static str> {
        self.total_supply()
            .iter()
            .zip(&self.reserves)
            .map(|(supply, reserves)| match reserves {
                None if *supply == 0 => "OK",
                None => "NO_RESERVES_FIGURE",
                Some(figure) if figure.amount < *supply => "SHORT",
                Some(figure) if figure.age_days > i64::from(self.options.max_reserves_age_days) && *supply > 0 => "STALE_RESERVES_FIGURE",
                Some(_) => "OK",
            })
            .collect()
    }

    /// What breaks the attestation: a day short of reserves or without a figure, an index that
    /// misses events or lags its chain, supply the events do not explain, redemptions past their
    /// deadline, a failed reconcile. The CLI exits 1 when there is any. Monitoring alerts are
    /// listed beside them (`alerts`), not counted: a pause or a governance change is an event to
    /// account for, not a failure of coverage.
    pub fn findings(&self) -> Vec<String> {
        let mut findings = Vec::new();
        for (index, (status, supply)) in self.day_status().into_iter().zip(self.total_supply()).enumerate() {
            let day = &self.days[index];
            match status {
                "SHORT" => findings.push(format!(
                    "{}: reserves {} below total supply {}",
                    day.date,
                    self.amount(self.reserves[index].as_ref().map(|figure| figure.amount).unwrap_or(0)),
                    self.amount(supply)
                )),
                "NO_RESERVES_FIGURE" => findings.push(format!("{}: no reserves figure for a supply of {}", day.date, self.amount(supply))),
                "STALE_RESERVES_FIGURE" => findings.push(format!(
                    "{}: the latest reserves figure ({}) is {} days old (more than {})",
                    day.date,
                    self.reserves[index].as_ref().map(|figure| figure.as_of.as_str()).unwrap_or_default(),
                    self.reserves[index].as_ref().map(|figure| figure.age_days).unwrap_or_default(),
                    self.options.max_reserves_age_days
                )),
                _ => {}
            }
        }
        for report in &self.deployments {
            let name = &report.deployment.name;
            for (first, last) in &report.seq_gaps {
                findings.push(if first == last {
                    format!("{name}: the index is missing event seq {first}")
                } else {
                    format!("{name}: the index is missing event seq {first} to {last}")
                });
            }
            match &report.deployment.freshness {
                Freshness::Behind { indexed_seq, chain_seq } => {
                    findings.push(format!("{name}: the index is behind its chain by {} events (indexed to seq {indexed_seq}, chain at {chain_seq}): its figures are incomplete", chain_seq - indexed_seq))
                }
                Freshness::Unreachable(reason) => findings.push(format!("{name}: its chain could not be read ({reason}): its figures are the index's, unchecked")),
                Freshness::Ahead { indexed_seq, chain_seq } => findings.push(format!(
                    "{name}: the index holds events up to seq {indexed_seq} but the chain is at {chain_seq}: the index is not this chain's"
                )),
                _ => {}
            }
            if report.events_without_supply > 0 {
                findings.push(format!("{name}: {} supply-changing events carry no supply figure (their amounts were applied)", report.events_without_supply));
            }
            if report.supply_at_start == 0 && report.events_in_period == 0 {
                findings.push(format!("{name}: the index holds no event of this deployment before the period's end"));
            }
            if report.undated_events > 0 {
                findings.push(format!("{name}: {} events have no block time and are left out of the days", report.undated_events));
            }
            let mut late_closes = self.days.iter().zip(&report.days).filter(|(_, flows)| flows.past_deadline > 0);
            if let Some((first, _)) = late_closes.next() {
                let closes = 1 + late_closes.count();
                let at_end = &report.days[self.days.len() - 1];
                findings.push(format!(
                    "{name}: redemption requests past the {}-business-day deadline at {closes} day close(s) from {} on ({} request(s), {} at the period's end)",
                    self.options.redemption_deadline_business_days,
                    first.date,
                    at_end.past_deadline,
                    self.amount(at_end.past_deadline_amount)
                ));
            }
            for (day, flows) in self.days.iter().zip(&report.days) {
                if flows.unexplained_increase > 0 {
                    findings.push(format!("{name} {}: supply rose by {} more than the events minted", day.date, self.amount(flows.unexplained_increase)));
                }
            }
        }
        // One finding per deployment: the first such attestation, and how many there are.
        for report in &self.deployments {
            let name = &report.deployment.name;
            let mut mismatches = self.attestation_mismatches.iter().filter(|mismatch| mismatch.0 == *name);
            if let Some((_, seq, as_of, attested, file_amount, file_as_of)) = mismatches.next() {
                let more = mismatches.count();
                findings.push(format!(
                    "{name}: the on-chain attestation seq {seq} (as of {}) says {}, below the reserves file's {} (as of {file_as_of}){}",
                    date_text(*as_of),
                    self.amount(*attested),
                    self.amount(*file_amount),
                    if more > 0 { format!("; {more} later attestation(s) too (summary.json lists them)") } else { String::new() }
                ));
            }
        }
        for (mint, checked_at, chain_supply, reserves, ok) in &self.reconciliations {
            if !ok {
                findings.push(format!("reconcile of {mint} at {} failed (supply {}, reserves {})", time_text(*checked_at), self.amount(*chain_supply), self.amount(*reserves)));
            }
        }
        findings
    }

    /// Write the CSVs, the summaries and the charts into `directory` (created if missing).
    /// Returns the files written.
    pub fn write(&self, directory: &Path) -> Result<Vec<PathBuf>, IndexError> {
        std::fs::create_dir_all(directory)?;
        let mut written = Vec::new();
        let csv_error = |error: csv::Error| IndexError::Malformed(format!("writing CSV: {error}"));
        let total_supply = self.total_supply();
        let status = self.day_status();

        let path = directory.join("supply_eod.csv");
        let mut writer = csv::Writer::from_path(&path).map_err(csv_error)?;
        for (index, day) in self.days.iter().enumerate() {
            for report in &self.deployments {
                writer
                    .serialize(SupplyRow {
                        date: day.date.to_string(),
                        cutoff_utc: time_text(day.closes_at),
                        closed: day.closes_at <= self.options.now,
                        deployment: &report.deployment.name,
                        cluster: &report.deployment.cluster,
                        mint: &report.deployment.mint,
                        supply: self.amount(report.days[index].supply_at_close),
                        reserves: String::new(),
                        reserves_as_of: String::new(),
                        reserves_source: String::new(),
                        coverage_ratio: String::new(),
                        status: "",
                    })
                    .map_err(csv_error)?;
            }
            let figure = self.reserves[index].as_ref();
            writer
                .serialize(SupplyRow {
                    date: day.date.to_string(),
                    cutoff_utc: time_text(day.closes_at),
                    closed: day.closes_at <= self.options.now,
                    deployment: TOTAL,
                    cluster: "",
                    mint: "",
                    supply: self.amount(total_supply[index]),
                    reserves: figure.map(|figure| self.amount(figure.amount)).unwrap_or_default(),
                    reserves_as_of: figure.map(|figure| figure.as_of.clone()).unwrap_or_default(),
                    reserves_source: figure.map(|figure| figure.source.clone()).unwrap_or_default(),
                    coverage_ratio: figure.and_then(|figure| coverage_ratio(figure.amount, total_supply[index])).unwrap_or_default(),
                    status: status[index],
                })
                .map_err(csv_error)?;
        }
        writer.flush()?;
        written.push(path);

        let path = directory.join("flows.csv");
        let mut writer = csv::Writer::from_path(&path).map_err(csv_error)?;
        for (index, day) in self.days.iter().enumerate() {
            let mut total = DayFlows::default();
            let mut minters: BTreeMap<&str, ()> = BTreeMap::new();
            let previous_close = |report: &DeploymentReport| if index == 0 { report.supply_at_start } else { report.days[index - 1].supply_at_close };
            let mut total_change: i128 = 0;
            for report in &self.deployments {
                let flows = &report.days[index];
                let change = i128::from(flows.supply_at_close) - i128::from(previous_close(report));
                total_change += change;
                writer.serialize(self.flow_row(day, &report.deployment.name, flows, flows.minted_by_minter.len(), change)).map_err(csv_error)?;
                add_flows(&mut total, flows);
                for minter in flows.minted_by_minter.keys() {
                    minters.insert(minter, ());
                }
            }
            writer.serialize(self.flow_row(day, TOTAL, &total, minters.len(), total_change)).map_err(csv_error)?;
        }
        writer.flush()?;
        written.push(path);

        let path = directory.join("mints_by_minter.csv");
        let mut writer = csv::Writer::from_path(&path).map_err(csv_error)?;
        for (index, day) in self.days.iter().enumerate() {
            for report in &self.deployments {
                for (minter, (mints, minted)) in &report.days[index].minted_by_minter {
                    writer
                        .serialize(MinterRow { date: day.date.to_string(), deployment: &report.deployment.name, minter, mints: *mints, minted: self.amount(*minted) })
                        .map_err(csv_error)?;
                }
            }
        }
        writer.flush()?;
        written.push(path);

        let path = directory.join("redemptions.csv");
        let mut writer = csv::Writer::from_path(&path).map_err(csv_error)?;
        for (index, day) in self.days.iter().enumerate() {
            let mut total = DayFlows::default();
            for report in &self.deployments {
                let flows = &report.days[index];
                writer.serialize(self.redemption_row(day, &report.deployment.name, flows)).map_err(csv_error)?;
                add_flows(&mut total, flows);
            }
            writer.serialize(self.redemption_row(day, TOTAL, &total)).map_err(csv_error)?;
        }
        writer.flush()?;
        written.push(path);

        let summary = self.summary();
        let path = directory.join("summary.json");
        std::fs::write(&path, serde_json::to_string_pretty(&summary).map_err(|error| IndexError::Malformed(error.to_string()))? + "\n")?;
        written.push(path);
        let path = directory.join("summary.txt");
        std::fs::write(&path, self.summary_text())?;
        written.push(path);

        written.extend(crate::charts::write_charts(self, directory)?);
        Ok(written)
    }

    fn flow_row<'a>(&self, day: &Day, deployment: &'a str, flows: &DayFlows, minters: usize, change: i128) -> FlowRow<'a> {
        FlowRow {
            date: day.date.to_string(),
            deployment,
            mints: flows.mints,
            minted: self.amount(flows.minted),
            largest_mint: self.amount(flows.largest_mint),
            minters,
            burns: flows.burns,
            burned: self.amount(flows.burned),
            redemptions_completed: flows.redemptions_completed,
            redeemed: self.amount(flows.redeemed),
            seizures: flows.seizures,
            seized: self.amount(flows.seized),
            seized_burned: self.amount(flows.seized_burned),
            unattributed_burned: self.amount(flows.unattributed_burned),
            supply_change: self.signed_amount(change),
        }
    }

    fn redemption_row<'a>(&self, day: &Day, deployment: &'a str, flows: &DayFlows) -> RedemptionRow<'a> {
        RedemptionRow {
            date: day.date.to_string(),
            deployment,
            opened: flows.redemptions_opened,
            opened_amount: self.amount(flows.redemptions_opened_amount),
            completed: flows.redemptions_completed,
            rejected: flows.redemptions_rejected,
            pending_at_close: flows.pending_at_close,
            pending_amount_at_close: self.amount(flows.pending_amount_at_close),
            oldest_pending_business_days: flows.oldest_pending_business_days.map(|days| days.to_string()).unwrap_or_default(),
            past_deadline: flows.past_deadline,
            past_deadline_amount: self.amount(flows.past_deadline_amount),
        }
    }

    /// The worst coverage day: the lowest reserves-to-supply ratio among days with a figure and a supply.
    pub fn worst_coverage_day(&self) -> Option<(usize, String)> {
        let total = self.total_supply();
        (0..self.days.len())
            .filter_map(|index| {
                let figure = self.reserves[index].as_ref()?;
                (total[index] > 0).then(|| (index, u128::from(figure.amount) * 1_000_000_000 / u128::from(total[index])))
            })
            .min_by_key(|(index, ratio)| (*ratio, *index))
            .and_then(|(index, _)| Some((index, coverage_ratio(self.reserves[index].as_ref()?.amount, total[index])?)))
    }

    pub fn summary(&self) -> Value {
        let total = self.total_supply();
        let last = self.days.len() - 1;
        let status = self.day_status();
        let sum = |field: fn(&DayFlows) -> u64| -> u64 { self.deployments.iter().flat_map(|report| report.days.iter().map(field)).sum() };
        let deployments: Vec<Value> = self
            .deployments
            .iter()
            .map(|report| {
                let own = |field: fn(&DayFlows) -> u64| -> String { self.amount(report.days.iter().map(field).sum()) };
                json!({
                    "name": report.deployment.name,
                    "cluster": report.deployment.cluster,
                    "mint": report.deployment.mint,
                    "index": report.deployment.freshness.to_json(),
                    "last_indexed_seq": report.last_indexed_seq,
                    "seq_gaps": report.seq_gaps.iter().map(|(first, last)| json!({"first_missing": first, "last_missing": last})).collect::<Vec<_>>(),
                    "events_in_period": report.events_in_period,
                    "undated_events": report.undated_events,
                    "supply_at_start": self.amount(report.supply_at_start),
                    "supply_at_end": self.amount(report.days[last].supply_at_close),
                    "minted": own(|flows| flows.minted),
                    "burned": own(|flows| flows.burned),
                    "redeemed": own(|flows| flows.redeemed),
                    "seized": own(|flows| flows.seized),
                    "seized_burned": own(|flows| flows.seized_burned),
                    "unattributed_burned": own(|flows| flows.unattributed_burned),
                    "reserve_attestations": report.attestations.iter().map(|(seq, as_of, amount)| json!({"seq": seq, "as_of": date_text(*as_of), "amount": self.amount(*amount)})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let worst = self.worst_coverage_day().map(|(index, ratio)| {
            json!({
                "date": self.days[index].date.to_string(),
                "supply": self.amount(total[index]),
                "reserves": self.reserves[index].as_ref().map(|figure| self.amount(figure.amount)),
                "coverage_ratio": ratio,
            })
        });
        let days_with = |wanted: &str| -> Vec<String> { self.days.iter().zip(&status).filter(|(_, status)| **status == wanted).map(|(day, _)| day.date.to_string()).collect() };
        let mut settled_buckets = [0u64; 4];
        let mut pending_buckets = [0u64; 4];
        for report in &self.deployments {
            report.settled_ages.iter().for_each(|age| settled_buckets[age_bucket(*age)] += 1);
            report.pending_ages.iter().for_each(|age| pending_buckets[age_bucket(*age)] += 1);
        }
        let findings = self.findings();
        json!({
            "period": {
                "from": self.options.from.to_string(),
                "to": self.options.to.to_string(),
                "days": self.days.len(),
                "business_days_only": self.options.business_days_only,
                "cutoff": self.options.cutoff.map(|time| time.format("%H:%M").to_string()).unwrap_or_else(|| "end of day".into()),
                "time_zone": self.options.tz.name(),
                "first_window_opens": time_text(self.days[0].opens_at),
                "last_window_closes": time_text(self.days[last].closes_at),
            },
            "deployments": deployments,
            "total": {
                "supply_at_start": self.amount(self.deployments.iter().map(|report| report.supply_at_start).sum()),
                "supply_at_end": self.amount(total[last]),
                "minted": self.amount(sum(|flows| flows.minted)),
                "burned": self.amount(sum(|flows| flows.burned)),
                "redeemed": self.amount(sum(|flows| flows.redeemed)),
                "seized": self.amount(sum(|flows| flows.seized)),
                "seized_burned": self.amount(sum(|flows| flows.seized_burned)),
                "unattributed_burned": self.amount(sum(|flows| flows.unattributed_burned)),
                "mints": sum(|flows| flows.mints),
                "largest_mint": self.amount(self.deployments.iter().flat_map(|report| report.days.iter().map(|flows| flows.largest_mint)).max().unwrap_or(0)),
            },
            "coverage": {
                "worst_day": worst,
                "short_days": days_with("SHORT"),
                "days_without_reserves_figure": days_with("NO_RESERVES_FIGURE"),
                "days_with_stale_reserves_figure": days_with("STALE_RESERVES_FIGURE"),
                "max_reserves_age_days": self.options.max_reserves_age_days,
            },
            "open_days": self.days.iter().filter(|day| day.closes_at > self.options.now).map(|day| day.date.to_string()).collect::<Vec<_>>(),
            "made_at": time_text(self.options.now),
            "redemptions": {
                "deadline_business_days": self.options.redemption_deadline_business_days,
                "opened": sum(|flows| flows.redemptions_opened),
                "completed": sum(|flows| flows.redemptions_completed),
                "rejected": sum(|flows| flows.redemptions_rejected),
                "pending_at_end": self.deployments.iter().map(|report| report.days[last].pending_at_close).sum::<u64>(),
                "past_deadline_at_end": self.deployments.iter().map(|report| report.days[last].past_deadline).sum::<u64>(),
                "age_buckets_business_days": AGE_BUCKETS.iter().enumerate().map(|(index, bucket)| json!({"bucket": bucket, "settled_in_period": settled_buckets[index], "pending_at_end": pending_buckets[index]})).collect::<Vec<_>>(),
            },
            "attestations_below_reserves_file": self.attestation_mismatches.iter().map(|(deployment, seq, as_of, attested, file_amount, file_as_of)| json!({
                "deployment": deployment, "seq": seq, "as_of": date_text(*as_of), "attested": self.amount(*attested),
                "reserves_file": self.amount(*file_amount), "reserves_file_as_of": file_as_of,
            })).collect::<Vec<_>>(),
            "alerts": self.alerts,
            "reconciliations": self.reconciliations.iter().map(|(mint, checked_at, chain_supply, reserves, ok)| json!({
                "mint": mint, "checked_at": time_text(*checked_at), "chain_supply": self.amount(*chain_supply), "reserves": self.amount(*reserves), "ok": ok,
            })).collect::<Vec<_>>(),
            "findings": findings,
            "ok": findings.is_empty(),
        })
    }

    pub fn summary_text(&self) -> String {
        let summary = self.summary();
        let period = &summary["period"];
        let mut lines = vec![
            format!(
                "USD1 attestation report, {} to {} ({} {}days, cutoff {} {})",
                period["from"].as_str().unwrap_or_default(),
                period["to"].as_str().unwrap_or_default(),
                period["days"],
                if self.options.business_days_only { "business " } else { "" },
                period["cutoff"].as_str().unwrap_or_default(),
                period["time_zone"].as_str().unwrap_or_default()
            ),
            String::new(),
        ];
        for deployment in summary["deployments"].as_array().into_iter().flatten() {
            lines.push(format!(
                "{:<16} supply {} -> {}   minted {}   burned {}   redeemed {}   seized (burned) {}   burned outside the program {}   index: {}",
                deployment["name"].as_str().unwrap_or_default(),
                deployment["supply_at_start"].as_str().unwrap_or_default(),
                deployment["supply_at_end"].as_str().unwrap_or_default(),
                deployment["minted"].as_str().unwrap_or_default(),
                deployment["burned"].as_str().unwrap_or_default(),
                deployment["redeemed"].as_str().unwrap_or_default(),
                deployment["seized_burned"].as_str().unwrap_or_default(),
                deployment["unattributed_burned"].as_str().unwrap_or_default(),
                deployment["index"]["status"].as_str().unwrap_or_default(),
            ));
        }
        let total = &summary["total"];
        lines.push(format!(
            "{:<16} supply {} -> {}   minted {}   burned {}   redeemed {}",
            TOTAL,
            total["supply_at_start"].as_str().unwrap_or_default(),
            total["supply_at_end"].as_str().unwrap_or_default(),
            total["minted"].as_str().unwrap_or_default(),
            total["burned"].as_str().unwrap_or_default(),
            total["redeemed"].as_str().unwrap_or_default(),
        ));
        lines.push(String::new());
        match &summary["coverage"]["worst_day"] {
            Value::Null => lines.push("worst coverage day: none (no day had both a supply and a reserves figure)".into()),
            worst => lines.push(format!(
                "worst coverage day: {} (reserves {} for a supply of {}: ratio {})",
                worst["date"].as_str().unwrap_or_default(),
                worst["reserves"].as_str().unwrap_or_default(),
                worst["supply"].as_str().unwrap_or_default(),
                worst["coverage_ratio"].as_str().unwrap_or_default()
            )),
        }
        let redemptions = &summary["redemptions"];
        lines.push(format!(
            "redemptions: {} opened, {} completed, {} rejected; {} pending at the end, {} of them past the {}-business-day deadline",
            redemptions["opened"], redemptions["completed"], redemptions["rejected"], redemptions["pending_at_end"], redemptions["past_deadline_at_end"], redemptions["deadline_business_days"]
        ));
        let open: Vec<String> = self.days.iter().filter(|day| day.closes_at > self.options.now).map(|day| day.date.to_string()).collect();
        if !open.is_empty() {
            lines.push(format!("not yet closed when this report was made ({}): {} (their figures may still change)", time_text(self.options.now), open.join(", ")));
        }
        let unchecked: Vec<&str> =
            self.deployments.iter().filter(|report| report.deployment.freshness == Freshness::NotChecked).map(|report| report.deployment.name.as_str()).collect();
        if !unchecked.is_empty() {
            lines.push(format!("not checked against a chain (no URL named): {} (events missing at the index's end would not show)", unchecked.join(", ")));
        }
        lines.push(format!(
            "monitoring alerts in the period: {}{}",
            self.alerts.len(),
            if self.alerts.is_empty() { String::new() } else { format!(" ({})", alert_counts(&self.alerts)) }
        ));
        lines.push(String::new());
        let findings = self.findings();
        if findings.is_empty() {
            lines.push("findings: none".into());
        } else {
            lines.push(format!("findings ({}):", findings.len()));
            lines.extend(findings.iter().map(|finding| format!("  - {finding}")));
        }
        lines.join("\n") + "\n"
    }
}

/// "2 pause_change, 1 denylist_change".
fn alert_counts(alerts: &[Value]) -> String {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for alert in alerts {
        *counts.entry(alert["rule"].as_str().unwrap_or("unknown")).or_default() += 1;
    }
    counts.iter().map(|(rule, count)| format!("{count} {rule}")).collect::<Vec<_>>().join(", ")
}

fn add_flows(total: &mut DayFlows, flows: &DayFlows) {
    total.supply_at_close += flows.supply_at_close;
    total.mints += flows.mints;
    total.minted += flows.minted;
    total.largest_mint = total.largest_mint.max(flows.largest_mint);
    total.burns += flows.burns;
    total.burned += flows.burned;
    total.redemptions_completed += flows.redemptions_completed;
    total.redeemed += flows.redeemed;
    total.seizures += flows.seizures;
    total.seized += flows.seized;
    total.seized_burned += flows.seized_burned;
    total.unattributed_burned += flows.unattributed_burned;
    total.unexplained_increase += flows.unexplained_increase;
    total.redemptions_opened += flows.redemptions_opened;
    total.redemptions_opened_amount += flows.redemptions_opened_amount;
    total.redemptions_rejected += flows.redemptions_rejected;
    total.pending_at_close += flows.pending_at_close;
    total.pending_amount_at_close += flows.pending_amount_at_close;
    total.oldest_pending_business_days = match (total.oldest_pending_business_days, flows.oldest_pending_business_days) {
        (Some(left), Some(right)) => Some(left.max(right)),
        (left, right) => left.or(right),
    };
    total.past_deadline += flows.past_deadline;
    total.past_deadline_amount += flows.past_deadline_amount;
}

/// Parse `HH:MM`.
pub fn parse_cutoff(text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| format!("cutoff `{text}` is not a time of day HH:MM (e.g. 17:00)"))
}

/// Parse an IANA time zone name (`America/New_York`, `UTC`).
pub fn parse_tz(text: &str) -> Result<Tz, String> {
    text.parse::<Tz>().map_err(|_| format!("`{text}` is not an IANA time zone (e.g. America/New_York, UTC)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_days_between_counts_as_deadlines_do() {
        use crate::redemptions::{deadline, OverdueLimit};
        // From Thursday 2026-11-26 12:00 UTC, every hour for three weeks.
        let thursday = 1_795_694_400;
        for hours in 0..(21 * 24) {
            let to = thursday + hours * 3_600 + 1_800;
            let age = business_days_between(thursday, to);
            assert!(deadline(thursday, OverdueLimit::BusinessDays(age)) <= to, "at +{hours}h age {age}");
            assert!(deadline(thursday, OverdueLimit::BusinessDays(age + 1)) > to, "at +{hours}h age {age}");
        }
    }

    #[test]
    fn coverage_ratio_is_floored_to_four_decimals() {
        assert_eq!(coverage_ratio(1_000_000, 0), None);
        assert_eq!(coverage_ratio(2, 3).as_deref(), Some("0.6666"));
        assert_eq!(coverage_ratio(u64::MAX, 1).as_deref(), Some(format!("{}.0000", u64::MAX)).as_deref());
    }

    #[test]
    fn business_day_windows_fold_weekends_into_monday() {
        let options = ReportOptions {
            from: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(), // Friday
            to: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),   // Monday
            business_days_only: true,
            cutoff: Some(NaiveTime::from_hms_opt(17, 0, 0).unwrap()),
            tz: "America/New_York".parse().unwrap(),
            redemption_deadline_business_days: 2,
            rules: vec![],
            max_reserves_age_days: DEFAULT_MAX_RESERVES_AGE_DAYS,
            now: i64::MAX,
        };
        let days = days(&options);
        assert_eq!(days.len(), 2);
        // Friday 17:00 EST = 22:00 UTC; the Monday window opens there.
        assert_eq!(time_text(days[0].closes_at), "2026-11-27T22:00:00Z");
        assert_eq!(time_text(days[0].opens_at), "2026-11-26T22:00:00Z");
        assert_eq!(days[1].opens_at, days[0].closes_at);
        assert_eq!(time_text(days[1].closes_at), "2026-11-30T22:00:00Z");
    }
}
