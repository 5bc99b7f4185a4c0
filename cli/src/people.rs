//! What a person reads (SPEC 15): amounts in token units with the symbol, times in ISO 8601
//! UTC, lists as tables. JSON output keeps machine values beside them under explicit names
//! (`*_base_units`, `*_unix`).
use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};
use serde_json::{json, Map, Value};
use usd1_client::amount::{format_amount, format_token_amount, SYMBOL};

/// Fields that hold an amount in base units, in events, proposals and accounts.
const AMOUNT_FIELDS: &[&str] = &[
    "amount",
    "supply",
    "supply_cap",
    "total_minted",
    "total_burned",
    "unattributed_burned",
    "escrowed",
    "escrow_excess",
    "attested_reserves",
    "allowance",
    "forfeited_allowance",
    "decreased_by",
    "remaining",
    "remaining_allowance",
    "capacity",
    "refill_per_sec",
];

/// Fields that hold a unix time in seconds.
const TIME_FIELDS: &[&str] =
    &["expires_at", "as_of", "created_at", "executable_at", "requested_at", "settled_at", "minted_at", "added_at", "onboarded_at", "block_time", "deadline"];

/// How a mint's amounts read.
#[derive(Clone, Debug)]
pub struct Units {
    pub decimals: u8,
    pub symbol: String,
}

impl Units {
    pub fn new(decimals: u8) -> Units {
        Units { decimals, symbol: SYMBOL.to_string() }
    }

    /// `1,000,000 USD1`.
    pub fn tokens(&self, base_units: u64) -> String {
        format_token_amount(base_units, self.decimals, &self.symbol)
    }
}

/// `2026-12-06T05:11:07Z` (or the number itself when it is no time chrono can show).
pub fn iso_time(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).map(|time| time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).unwrap_or_else(|| unix.to_string())
}

fn is_amount(key: &str) -> bool {
    AMOUNT_FIELDS.contains(&key)
}

fn is_time(key: &str) -> bool {
    TIME_FIELDS.contains(&key)
}

/// `value` as a person reads it: amounts `1,000,000 USD1`, times ISO 8601 (recursively).
pub fn for_people(value: &Value, units: &Units) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, field)| {
                    let shown = match (field.as_u64(), field.as_i64()) {
                        (Some(base_units), _) if is_amount(key) => json!(units.tokens(base_units)),
                        (_, Some(unix)) if is_time(key) => json!(iso_time(unix)),
                        _ => for_people(field, units),
                    };
                    (key.clone(), shown)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|item| for_people(item, units)).collect()),
        other => other.clone(),
    }
}

/// `value` for JSON output: amounts as token-unit strings (`"1000000"`) with the base units
/// beside them as `<field>_base_units`, times as ISO 8601 with `<field>_unix` (recursively).
pub fn with_machine_values(value: &Value, decimals: u8) -> Value {
    match value {
        Value::Object(object) => {
            let mut out = Map::new();
            for (key, field) in object {
                match (field.as_u64(), field.as_i64()) {
                    (Some(base_units), _) if is_amount(key) => {
                        out.insert(key.clone(), json!(format_amount(base_units, decimals)));
                        out.insert(format!("{key}_base_units"), json!(base_units));
                    }
                    (_, Some(unix)) if is_time(key) => {
                        out.insert(key.clone(), json!(iso_time(unix)));
                        out.insert(format!("{key}_unix"), json!(unix));
                    }
                    _ => {
                        out.insert(key.clone(), with_machine_values(field, decimals));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|item| with_machine_values(item, decimals)).collect()),
        other => other.clone(),
    }
}

/// A JSON value on one line as a person reads it: `key=value` pairs, strings unquoted.
pub fn inline(value: &Value) -> String {
    match value {
        Value::Object(object) => object
            .iter()
            .map(|(key, field)| match field {
                Value::Object(_) => format!("{key}=({})", inline(field)),
                _ => format!("{key}={}", inline(field)),
            })
            .collect::<Vec<_>>()
            .join(" "),
        Value::Array(items) => format!("[{}]", items.iter().map(inline).collect::<Vec<_>>().join(", ")),
        Value::String(text) => text.clone(),
        Value::Null => "none".to_string(),
        other => other.to_string(),
    }
}

/// An event as one line: `#6 Minted amount=1 USD1 recipient=... ` (amounts in token units).
pub fn event_line(event: &Value, units: &Units) -> String {
    let mut fields = for_people(event, units);
    let (seq, name) = (event["seq"].clone(), event["event"].as_str().unwrap_or("?").to_string());
    if let Some(object) = fields.as_object_mut() {
        for key in ["seq", "event", "mint", "raw"] {
            object.remove(key);
        }
    }
    format!("#{seq} {name} {}", inline(&fields))
}

/// A progress bar on stderr for `total` steps of `what` (drawn only on a terminal, so logs and
/// tests see nothing; stdout stays the command's output).
pub fn progress(total: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta} left)") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

/// A table with a header row (box lines, no colour: logs and terminals alike).
pub fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_BORDERS_ONLY).set_header(header.to_vec());
    for row in rows {
        table.add_row(row);
    }
    table.to_string()
}

/// A duration as a person reads it: `7 days (604800 s)`, `90 s`.
pub fn duration(secs: u64) -> String {
    let (count, unit) = match secs {
        0 => return "0 s (none)".to_string(),
        secs if secs % 86_400 == 0 => (secs / 86_400, "day"),
        secs if secs % 3_600 == 0 => (secs / 3_600, "hour"),
        secs if secs % 60 == 0 && secs >= 600 => (secs / 60, "minute"),
        secs => return format!("{secs} s"),
    };
    format!("{count} {unit}{} ({secs} s)", if count == 1 { "" } else { "s" })
}

/// A two-column table of a JSON document's leaves (`roles.pauser`, `supply`, ...).
pub fn key_value_table(value: &Value) -> String {
    fn leaves(prefix: &str, value: &Value, rows: &mut Vec<Vec<String>>) {
        match value {
            Value::Object(object) => {
                for (key, field) in object {
                    let name = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                    leaves(&name, field, rows);
                }
            }
            Value::Array(items) if items.iter().all(|item| !item.is_object()) => rows.push(vec![prefix.to_string(), inline(value)]),
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    leaves(&format!("{prefix}[{index}]"), item, rows);
                }
            }
            Value::Number(number) if prefix.ends_with("_secs") => rows.push(vec![prefix.to_string(), duration(number.as_u64().unwrap_or_default())]),
            other => rows.push(vec![prefix.to_string(), inline(other)]),
        }
    }
    let mut rows = Vec::new();
    leaves("", value, &mut rows);
    table(&["field", "value"], rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_read_tokens_and_dates_and_machines_keep_base_units() {
        let units = Units::new(6);
        let kind = json!({"set_allowance": {"minter": "M", "amount": 1_000_000_000_000u64}, "expires_at": 1_796_000_000});
        assert_eq!(for_people(&kind, &units), json!({"set_allowance": {"minter": "M", "amount": "1,000,000 USD1"}, "expires_at": "2026-11-30T00:53:20Z"}));
        assert_eq!(
            with_machine_values(&kind, 6),
            json!({"set_allowance": {"minter": "M", "amount": "1000000", "amount_base_units": 1_000_000_000_000u64}, "expires_at": "2026-11-30T00:53:20Z", "expires_at_unix": 1_796_000_000})
        );
        let event = json!({"event": "Minted", "seq": 6, "mint": "X", "amount": 2_500_000_000u64, "recipient": "R", "reference_hash": "ab"});
        assert_eq!(event_line(&event, &units), "#6 Minted amount=2,500 USD1 recipient=R reference_hash=ab");
        assert_eq!((duration(604_800), duration(3_600), duration(90), duration(0)), ("7 days (604800 s)".into(), "1 hour (3600 s)".into(), "90 s".into(), "0 s (none)".into()));
    }
}
