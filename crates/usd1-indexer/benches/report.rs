//! The attestation report over a year of events.
//!
//!     cargo bench -p usd1-indexer --bench report            # 1,000,000 events over 2025
//!     USD1_BENCH_EVENTS=200000 cargo bench -p usd1-indexer --bench report
//!
//! Events (mints, burns, redemption requests and completions, attestations) are spread evenly
//! over the year, written in the record format and indexed first (not timed here: see the
//! `index` bench); the timed part is `report::build` and `Report::write` (CSVs, summaries,
//! six charts) for the whole year, every calendar day.
use chrono::NaiveDate;
use serde_json::json;
use solana_pubkey::Pubkey;
use std::{
    io::{BufWriter, Write},
    time::Instant,
};
use usd1::events::{Burned, Initialized, Minted, RedemptionCompleted, RedemptionRequested, ReservesAttested};
use usd1_client::events::Usd1Event;
use usd1_indexer::{
    index_file,
    reconcile::ReserveEntry,
    report::{self, Deployment, Freshness, ReportOptions},
    Store,
};

const JANUARY_1_2025: i64 = 1_735_689_600;
/// The reserves both the file and the on-chain attestations state (a billion dollars).
const RESERVES: u64 = 1_000_000_000 * 1_000_000;
const YEAR_SECS: i64 = 365 * 86_400;

fn main() {
    let count: u64 = std::env::var("USD1_BENCH_EVENTS").ok().and_then(|text| text.parse().ok()).unwrap_or(1_000_000);
    let directory = tempfile::tempdir().expect("temporary directory");
    let records = directory.path().join("events.jsonl");
    let database = directory.path().join("index.sqlite");
    let mint = Pubkey::new_unique();
    let (minter, holder) = (Pubkey::new_unique(), Pubkey::new_unique());
    let mut writer = BufWriter::new(std::fs::File::create(&records).expect("create"));
    let mut supply: u64 = 0;
    for seq in 1..=count {
        let time = JANUARY_1_2025 + (seq as i64 * YEAR_SECS) / (count as i64 + 1);
        let reference = {
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&(seq / 10).to_le_bytes());
            bytes
        };
        let event = match seq % 10 {
            _ if seq == 1 => Usd1Event::Initialized(Initialized {
                mint, seq, admin: holder, decimals: 6, council: vec![holder], threshold: 1, master_minter: holder, pauser: holder, denylister: holder, burner: holder, attester: holder, onboarder: holder, onboarding_required: false,
            }),
            0 => {
                let amount = (seq % 7 + 1) * 1_000_000;
                supply -= amount;
                Usd1Event::Burned(Burned { mint, seq, burner: holder, source: holder, amount, supply })
            }
            5 => Usd1Event::ReservesAttested(ReservesAttested { mint, seq, attester: holder, amount: RESERVES, report_hash: [7; 32], as_of: time, supply }),
            8 => Usd1Event::RedemptionRequested(RedemptionRequested { mint, seq, holder, amount: 500_000, reference_hash: reference, escrowed: 500_000 }),
            9 => {
                let amount = 500_000;
                supply -= amount;
                Usd1Event::RedemptionCompleted(RedemptionCompleted { mint, seq, holder, amount, reference_hash: reference, payout_reference_hash: [2; 32], supply, escrowed: 0 })
            }
            _ => {
                let amount = (seq % 13 + 1) * 2_000_000;
                supply += amount;
                Usd1Event::Minted(Minted { mint, seq, minter, recipient: holder, amount, reference_hash: [(seq % 251) as u8; 32], supply, remaining_allowance: u64::MAX / 2 })
            }
        };
        let signature = bs58::encode([&seq.to_le_bytes()[..], &[5u8; 56][..]].concat()).into_string();
        writeln!(writer, "{}", json!({"signature": signature, "slot": seq, "block_time": time, "events": [event.to_json()]})).expect("write");
    }
    writer.flush().expect("flush");
    drop(writer);
    let mut store = Store::open(&database).expect("open store");
    let started = Instant::now();
    index_file(&mut store, &records, false).expect("index");
    let indexing = started.elapsed();

    let deployments = [Deployment { name: "mainnet".into(), cluster: String::new(), mint: mint.to_string(), freshness: Freshness::NotChecked }];
    let reserves: Vec<ReserveEntry> = (0..365)
        .map(|day| {
            let date = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date") + chrono::Duration::days(day);
            ReserveEntry { as_of: date.to_string(), as_of_secs: JANUARY_1_2025 + day * 86_400, amount: RESERVES, source: "bank".into(), date: Some(date) }
        })
        .collect();
    let options = ReportOptions {
        from: NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"),
        to: NaiveDate::from_ymd_opt(2025, 12, 31).expect("date"),
        business_days_only: false,
        cutoff: None,
        tz: chrono_tz::UTC,
        redemption_deadline_business_days: 2,
        rules: report::default_rules(),
        max_reserves_age_days: report::DEFAULT_MAX_RESERVES_AGE_DAYS,
        now: i64::MAX,
    };
    let started = Instant::now();
    let built = report::build(&store, &deployments, &reserves, &options).expect("report");
    let building = started.elapsed();
    let out = directory.path().join("report");
    let started = Instant::now();
    let files = built.write(&out).expect("write");
    let writing = started.elapsed();
    let events_in_period = built.deployments[0].events_in_period;
    assert_eq!(events_in_period, count, "every event is in the year");
    let findings = built.findings();
    assert!(findings.is_empty(), "{} findings, the first: {:?}", findings.len(), findings.first());

    println!("| measure | value |");
    println!("|---|---|");
    println!("| events over 2025 | {count} (indexed in {:.1} s, not part of the report) |", indexing.as_secs_f64());
    println!("| report::build (365 days: supply, flows, redemptions, findings) | {:.2} s |", building.as_secs_f64());
    println!("| Report::write ({} files: 4 CSVs, 2 summaries, 3 charts as PNG and SVG) | {:.2} s |", files.len(), writing.as_secs_f64());
    println!("| total | {:.2} s |", (building + writing).as_secs_f64());
}
