//! Redemption requests and their deadlines: the redemption promise is a deadline (regulators
//! speak of two business days), kept visible before it is missed. Requests are read from the
//! indexed events (`RedemptionRequested`, then `RedemptionCompleted` or `RedemptionRejected`
//! for the same holder and reference).
use crate::{IndexError, Store};
use chrono::{DateTime, Datelike, Duration, Weekday};
use serde_json::Value;
use std::{collections::BTreeMap, str::FromStr};

/// One redemption request as the events tell it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redemption {
    /// The genesis hash of the cluster it was indexed from ('' for a record file).
    pub cluster: String,
    pub mint: String,
    pub holder: String,
    /// Hex sha256 of the redemption ticket id.
    pub reference_hash: String,
    /// Base units.
    pub amount: u64,
    /// Block time of the request (None when the source gave none).
    pub requested_at: Option<i64>,
    pub seq: u64,
    pub signature: String,
    /// `pending`, `completed` or `rejected`.
    pub status: &'static str,
    pub settled_at: Option<i64>,
}

/// Every redemption request of every indexed mint, in request order.
pub fn redemptions(store: &Store) -> Result<Vec<Redemption>, IndexError> {
    let mut statement = store.connection.prepare(
        "SELECT mint, seq, signature, block_time, name, amount, body, cluster FROM events
         WHERE name IN ('RedemptionRequested', 'RedemptionCompleted', 'RedemptionRejected') ORDER BY mint, cluster, seq",
    )?;
    let mut rows = statement.query([])?;
    let mut requests: Vec<Redemption> = Vec::new();
    let mut open: BTreeMap<(String, String, String, String), usize> = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let (mint, seq, signature, block_time, name): (String, i64, String, Option<i64>, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?);
        let amount: Option<i64> = row.get(5)?;
        let body: Value = serde_json::from_str(&row.get::<_, String>(6)?).map_err(|error| IndexError::Malformed(format!("event body: {error}")))?;
        let field = |name: &str| body[name].as_str().map(str::to_string).ok_or_else(|| IndexError::Malformed(format!("{name} missing in a redemption event")));
        let cluster: String = row.get(7)?;
        let key = (cluster.clone(), mint.clone(), field("holder")?, field("reference_hash")?);
        if name == "RedemptionRequested" {
            open.insert(key.clone(), requests.len());
            requests.push(Redemption {
                cluster,
                mint,
                holder: key.2,
                reference_hash: key.3,
                amount: amount.unwrap_or(0).max(0) as u64,
                requested_at: block_time,
                seq: seq as u64,
                signature,
                status: "pending",
                settled_at: None,
            });
        } else if let Some(index) = open.remove(&key) {
            requests[index].status = if name == "RedemptionCompleted" { "completed" } else { "rejected" };
            requests[index].settled_at = block_time;
        }
    }
    Ok(requests)
}

/// How long a request may stay pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverdueLimit {
    Secs(u64),
    /// Monday to Friday (UTC); the deadline is the same time of day that many business days later.
    BusinessDays(u32),
}

impl FromStr for OverdueLimit {
    type Err = String;

    /// `3600`, `90s`, `30m`, `48h`, `2d`, or `2bd` (business days).
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let number: u64 = number.parse().map_err(|_| format!("`{text}` is not a duration (e.g. 3600, 90s, 30m, 48h, 2d, 2bd)"))?;
        let secs = |factor: u64| number.checked_mul(factor).map(OverdueLimit::Secs).ok_or_else(|| format!("`{text}` is too long"));
        match unit {
            "" | "s" => secs(1),
            "m" => secs(60),
            "h" => secs(3_600),
            "d" => secs(86_400),
            "bd" if number <= 3_650 => Ok(OverdueLimit::BusinessDays(number as u32)),
            "bd" => Err(format!("`{text}` is too long (at most 3650 business days)")),
            other => Err(format!("`{other}` is not a duration unit (s, m, h, d, bd for business days)")),
        }
    }
}

/// When a request made at `requested_at` (unix seconds) becomes overdue.
pub fn deadline(requested_at: i64, limit: OverdueLimit) -> i64 {
    match limit {
        OverdueLimit::Secs(secs) => requested_at.saturating_add(i64::try_from(secs).unwrap_or(i64::MAX)),
        OverdueLimit::BusinessDays(days) => {
            let Some(mut at) = DateTime::from_timestamp(requested_at, 0) else { return i64::MAX };
            let mut left = days;
            while left > 0 {
                at += Duration::days(1);
                if !matches!(at.weekday(), Weekday::Sat | Weekday::Sun) {
                    left -= 1;
                }
            }
            at.timestamp()
        }
    }
}

/// Pending requests past their deadline at `now`, with how far past.
pub fn overdue(requests: &[Redemption], limit: OverdueLimit, now: i64) -> Vec<(&Redemption, i64)> {
    requests
        .iter()
        .filter(|request| request.status == "pending")
        .filter_map(|request| {
            let due = deadline(request.requested_at?, limit);
            (now > due).then_some((request, now - due))
        })
        .collect()
}

/// The clock a deadline is judged by: the wall clock, or the newest indexed block time if the
/// ledger runs ahead of it (a rehearsal that warped).
pub fn now(store: &Store) -> Result<i64, IndexError> {
    let newest: Option<i64> = store.connection.query_row("SELECT MAX(block_time) FROM events", [], |row| row.get(0))?;
    let wall = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|elapsed| elapsed.as_secs() as i64).unwrap_or(0);
    Ok(wall.max(newest.unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_business_day_deadlines() {
        assert_eq!("48h".parse(), Ok(OverdueLimit::Secs(172_800)));
        assert_eq!("2bd".parse(), Ok(OverdueLimit::BusinessDays(2)));
        assert_eq!("90".parse(), Ok(OverdueLimit::Secs(90)));
        assert!("2w".parse::<OverdueLimit>().unwrap_err().contains("not a duration unit"));
        assert!("soon".parse::<OverdueLimit>().unwrap_err().contains("not a duration"));
        // Thursday 2026-11-26 12:00 UTC + 2 business days = Monday 2026-11-30 12:00.
        let thursday = 1_795_694_400;
        assert_eq!(deadline(thursday, OverdueLimit::BusinessDays(2)), thursday + 4 * 86_400);
        // Friday + 1 business day = Monday.
        assert_eq!(deadline(thursday + 86_400, OverdueLimit::BusinessDays(1)), thursday + 4 * 86_400);
        // Monday + 2 business days = Wednesday.
        assert_eq!(deadline(thursday + 4 * 86_400, OverdueLimit::BusinessDays(2)), thursday + 6 * 86_400);
    }
}
