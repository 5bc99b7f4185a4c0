//! Reconciliation: on-chain supply, supply derived from events, and the latest
//! reserve amount from the issuer's reserve ledger.
use crate::{IndexError, Store};
use chrono::{DateTime, NaiveDate};
use rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};
use std::path::Path;
use usd1_client::amount::{format_amount, format_token_amount, parse_amount, SYMBOL};

/// One row of the reserve ledger (`as_of,amount[,source]` or `date,amount,source`, amount in dollars).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReserveEntry {
    pub as_of: String,
    /// Unix seconds of `as_of` (a date means its start, UTC).
    pub as_of_secs: i64,
    /// Base units of the token (1 token = 1 dollar).
    pub amount: u64,
    /// Where the figure comes from (a bank statement, a custodian's report); '' when not given.
    pub source: String,
    /// The row's date when `as_of` is a date (YYYY-MM-DD), not a time: a date is a calendar
    /// day wherever the reader is, so the report compares it with its days' dates.
    pub date: Option<NaiveDate>,
}

fn parse_as_of(text: &str) -> Option<i64> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return date.and_hms_opt(0, 0, 0).map(|time| time.and_utc().timestamp());
    }
    DateTime::parse_from_rfc3339(text).ok().map(|time| time.timestamp())
}

/// Read the reserve ledger. A bad row is an error naming its line; nothing is read past it.
pub fn read_reserves(path: &Path, decimals: u8) -> Result<Vec<ReserveEntry>, IndexError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_path(path).map_err(|error| IndexError::Malformed(format!("{}: {error}", path.display())))?;
    let headers = reader.headers().map_err(|error| IndexError::Malformed(format!("{}: {error}", path.display())))?.clone();
    let header: Vec<&str> = headers.iter().collect();
    let columns = match header.as_slice() {
        ["as_of", "amount"] => 2,
        ["as_of" | "date", "amount", "source"] => 3,
        _ => {
            return Err(IndexError::MalformedLine {
                line: 1,
                reason: format!("the header must be `as_of,amount` or `date,amount,source`, found `{}`", header.join(",")),
            })
        }
    };
    let mut entries = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 2;
        let record = record.map_err(|error| IndexError::MalformedLine { line, reason: error.to_string() })?;
        if record.len() != columns {
            return Err(IndexError::MalformedLine { line, reason: format!("expected {columns} fields, found {}", record.len()) });
        }
        let as_of = record[0].to_string();
        let as_of_secs = parse_as_of(&as_of)
            .ok_or_else(|| IndexError::MalformedLine { line, reason: format!("as_of `{as_of}` is not a date (YYYY-MM-DD) or RFC 3339 time") })?;
        let amount = parse_amount(&record[1], decimals).map_err(|error| IndexError::MalformedLine { line, reason: format!("amount: {error}") })?;
        let source = if columns == 3 { record[2].to_string() } else { String::new() };
        let date = NaiveDate::parse_from_str(&as_of, "%Y-%m-%d").ok();
        entries.push(ReserveEntry { as_of, as_of_secs, amount, source, date });
    }
    if entries.is_empty() {
        return Err(IndexError::Malformed(format!("{}: no reserve rows", path.display())));
    }
    Ok(entries)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciliation {
    pub mint: String,
    pub decimals: u8,
    pub chain_supply: u64,
    /// Where `chain_supply` came from: `chain`, `event #SEQ`, or `derived`.
    pub chain_supply_source: String,
    pub total_minted: u64,
    pub total_burned: u64,
    pub derived_supply: i128,
    pub reserves: u64,
    pub reserves_as_of: String,
    /// Redemption requests still pending (tokens escrowed, dollars owed): a liability line.
    pub pending_redemptions: u64,
    pub pending_redemption_amount: u64,
}

impl Reconciliation {
    /// On-chain supply may be lower than the events say (a holder burned directly through
    /// Token-2022: SPEC 9 "unattributed"), never higher (tokens that appeared outside the program).
    pub fn events_agree_with_chain(&self) -> bool {
        i128::from(self.chain_supply) <= self.derived_supply
    }

    /// Tokens burned outside the program: events' supply minus on-chain supply. Reported, not a failure.
    pub fn unattributed_burned(&self) -> u64 {
        u64::try_from(self.derived_supply - i128::from(self.chain_supply)).unwrap_or(0)
    }

    pub fn covered_by_reserves(&self) -> bool {
        self.chain_supply <= self.reserves
    }

    pub fn ok(&self) -> bool {
        self.events_agree_with_chain() && self.covered_by_reserves()
    }

    /// The events' supply in token units (it can be negative only in a corrupt index).
    fn derived_tokens(&self) -> String {
        let magnitude = u64::try_from(self.derived_supply.unsigned_abs()).unwrap_or(u64::MAX);
        let sign = if self.derived_supply < 0 { "-" } else { "" };
        format!("{sign}{}", format_amount(magnitude, self.decimals))
    }

    /// Amounts in token units (decimal strings), each with its base units beside it as
    /// `*_base_units`.
    pub fn to_json(&self) -> Value {
        let format = |units: u64| format_amount(units, self.decimals);
        json!({
            "mint": self.mint,
            "decimals": self.decimals,
            "chain_supply": format(self.chain_supply),
            "chain_supply_base_units": self.chain_supply,
            "chain_supply_source": self.chain_supply_source,
            "total_minted": format(self.total_minted),
            "total_minted_base_units": self.total_minted,
            "total_burned": format(self.total_burned),
            "total_burned_base_units": self.total_burned,
            "derived_supply": self.derived_tokens(),
            "derived_supply_base_units": self.derived_supply.to_string(),
            "unattributed_burned": format(self.unattributed_burned()),
            "unattributed_burned_base_units": self.unattributed_burned(),
            "reserves": format(self.reserves),
            "reserves_base_units": self.reserves,
            "reserves_as_of": self.reserves_as_of,
            "pending_redemptions": {
                "count": self.pending_redemptions,
                "amount": format(self.pending_redemption_amount),
                "amount_base_units": self.pending_redemption_amount,
            },
            "events_agree_with_chain": self.events_agree_with_chain(),
            "covered_by_reserves": self.covered_by_reserves(),
            "ok": self.ok(),
        })
    }

    pub fn table(&self) -> String {
        let format = |units: u64| format_token_amount(units, self.decimals, SYMBOL);
        let derived = format!("{} {SYMBOL}", self.derived_tokens());
        let mut lines = vec![
            format!("mint                {}", self.mint),
            format!("supply (on chain)   {} [{}]", format(self.chain_supply), self.chain_supply_source),
            format!("minted (events)     {}", format(self.total_minted)),
            format!("burned (events)     {}", format(self.total_burned)),
            format!("supply (events)     {derived}"),
            format!("burned outside      {} (holders' direct Token-2022 burns; reported, not a failure)", format(self.unattributed_burned())),
            format!("reserves            {} as of {}", format(self.reserves), self.reserves_as_of),
            format!(
                "pending redemptions {} in {} request(s) (escrowed tokens owed in dollars: a liability)",
                format(self.pending_redemption_amount),
                self.pending_redemptions
            ),
        ];
        lines.push(format!(
            "result              {}",
            match (self.events_agree_with_chain(), self.covered_by_reserves()) {
                (true, true) => "OK".to_string(),
                (false, true) => "FAIL: on-chain supply exceeds what the events minted".to_string(),
                (true, false) => "FAIL: supply exceeds reserves".to_string(),
                (false, false) => "FAIL: supply exceeds reserves, and events differ from chain".to_string(),
            }
        ));
        lines.join("\n")
    }
}

/// The mint's decimals as its `Initialized` event says (6 if it is not indexed).
pub fn decimals_of(store: &Store, mint: &str) -> Result<u8, IndexError> {
    let body: Option<String> = store
        .connection
        .query_row("SELECT body FROM events WHERE mint = ?1 AND name = 'Initialized' LIMIT 1", [mint], |row| row.get(0))
        .optional()?;
    Ok(body
        .and_then(|body| serde_json::from_str::<Value>(&body).ok())
        .and_then(|event| event.get("decimals").and_then(Value::as_u64))
        .map(|decimals| decimals as u8)
        .unwrap_or(6))
}

/// Compare supplies and reserves. `chain_supply` is read from a cluster by the
/// caller; offline, the supply reported by the latest event that carries one is used.
pub fn reconcile(store: &Store, mint: &str, chain_supply: Option<u64>, reserves: &[ReserveEntry]) -> Result<Reconciliation, IndexError> {
    let (minted, burned): (i64, i64) = store.connection.query_row(
        "SELECT COALESCE(SUM(CASE WHEN name = 'Minted' THEN amount END), 0),
                COALESCE(SUM(CASE WHEN name IN ('Burned', 'RedemptionCompleted')
                                    OR (name = 'Seized' AND json_extract(body, '$.destination') = 'burn') THEN amount END), 0)
         FROM events WHERE mint = ?1",
        [mint],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let (total_minted, total_burned) = (minted as u64, burned as u64);
    let derived_supply = i128::from(total_minted) - i128::from(total_burned);
    let (chain_supply, chain_supply_source) = match chain_supply {
        Some(supply) => (supply, "chain".to_string()),
        None => {
            let latest: Option<(i64, i64)> = store
                .connection
                .query_row(
                    "SELECT seq, supply FROM events WHERE mint = ?1 AND supply IS NOT NULL ORDER BY cluster DESC, seq DESC LIMIT 1",
                    [mint],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            match latest {
                Some((seq, supply)) => (supply as u64, format!("event #{seq}")),
                None => (u64::try_from(derived_supply.max(0)).unwrap_or(0), "derived".to_string()),
            }
        }
    };
    let latest = reserves.iter().max_by_key(|entry| entry.as_of_secs).ok_or_else(|| IndexError::Malformed("no reserve rows".into()))?;
    let pending: Vec<_> = crate::redemptions::redemptions(store)?.into_iter().filter(|request| request.mint == mint && request.status == "pending").collect();
    Ok(Reconciliation {
        mint: mint.to_string(),
        decimals: decimals_of(store, mint)?,
        chain_supply,
        chain_supply_source,
        total_minted,
        total_burned,
        derived_supply,
        reserves: latest.amount,
        reserves_as_of: latest.as_of.clone(),
        pending_redemptions: pending.len() as u64,
        pending_redemption_amount: pending.iter().map(|request| request.amount).sum(),
    })
}

/// Keep the result: an audit trail of every reconciliation run.
pub fn record(store: &Store, result: &Reconciliation, checked_at: i64) -> Result<(), IndexError> {
    store.connection.execute(
        "INSERT INTO reconciliations (mint, checked_at, chain_supply, derived_supply, reserves, reserves_as_of, ok) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            result.mint,
            checked_at,
            result.chain_supply as i64,
            i64::try_from(result.derived_supply).unwrap_or(i64::MIN),
            result.reserves as i64,
            result.reserves_as_of,
            result.ok()
        ],
    )?;
    Ok(())
}
