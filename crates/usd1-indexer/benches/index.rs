//! Indexing and reconciliation throughput on synthetic events.
//!
//!     cargo bench -p usd1-indexer            # 1,000,000 events
//!     USD1_BENCH_EVENTS=200000 cargo bench -p usd1-indexer
//!
//! Events are built as the program's own event types and written with the
//! client's JSON encoder, in the record format `usd1 drill run --record` writes.
use serde_json::json;
use solana_pubkey::Pubkey;
use std::{
    io::{BufWriter, Write},
    time::Instant,
};
use usd1::events::{Burned, Minted, RedemptionCompleted, ReservesAttested};
use usd1_client::events::Usd1Event;
use usd1_indexer::{index_file, reconcile, Store};

/// Peak resident memory of this process so far (Linux), in MiB.
fn peak_memory_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| status.lines().find(|line| line.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|line| line.split_whitespace().nth(1).and_then(|kib| kib.parse::<f64>().ok()))
        .map(|kib| kib / 1024.0)
        .unwrap_or(f64::NAN)
}

fn main() {
    let count: u64 = std::env::var("USD1_BENCH_EVENTS").ok().and_then(|text| text.parse().ok()).unwrap_or(1_000_000);
    let directory = tempfile::tempdir().expect("temporary directory");
    let records = directory.path().join("events.jsonl");
    let database = directory.path().join("index.sqlite");
    let mint = Pubkey::new_unique();
    let (minter, holder) = (Pubkey::new_unique(), Pubkey::new_unique());

    let started = Instant::now();
    let mut writer = BufWriter::new(std::fs::File::create(&records).expect("create"));
    let mut supply: u64 = 0;
    for seq in 1..=count {
        let event = match seq % 10 {
            // Seven mints in ten events keep supply growing, so burns never underflow it.
            0 => {
                let amount = (seq % 7 + 1) * 1_000_000;
                supply -= amount;
                Usd1Event::Burned(Burned { mint, seq, burner: holder, source: holder, amount, supply })
            }
            5 => Usd1Event::ReservesAttested(ReservesAttested { mint, seq, attester: holder, amount: u64::MAX / 4, report_hash: [7; 32], as_of: seq as i64, supply }),
            9 => {
                let amount = 500_000;
                supply -= amount;
                Usd1Event::RedemptionCompleted(RedemptionCompleted {
                    mint, seq, holder, amount, reference_hash: [1; 32], payout_reference_hash: [2; 32], supply, escrowed: 0,
                })
            }
            _ => {
                let amount = (seq % 13 + 1) * 2_000_000;
                supply += amount;
                Usd1Event::Minted(Minted { mint, seq, minter, recipient: holder, amount, reference_hash: [(seq % 251) as u8; 32], supply, remaining_allowance: u64::MAX / 2 })
            }
        };
        let signature = bs58::encode([&seq.to_le_bytes()[..], &[3u8; 56][..]].concat()).into_string();
        let record = json!({"signature": signature, "slot": seq, "block_time": 1_790_000_000 + seq as i64, "events": [event.to_json()]});
        writeln!(writer, "{record}").expect("write");
    }
    writer.flush().expect("flush");
    drop(writer);
    let generation = started.elapsed();
    let bytes = std::fs::metadata(&records).map(|metadata| metadata.len()).unwrap_or(0);

    let mut store = Store::open(&database).expect("open store");
    let started = Instant::now();
    let summary = index_file(&mut store, &records, false).expect("index");
    let indexing = started.elapsed();
    assert_eq!(summary.events_inserted, count);
    assert!(summary.gaps.is_empty());
    let memory_after_index = peak_memory_mib();

    let started = Instant::now();
    let again = index_file(&mut store, &records, false).expect("re-index");
    let resume = started.elapsed();
    assert_eq!(again.events_inserted, 0, "a resumed run over an indexed file adds nothing");

    let reserves_file = directory.path().join("reserves.csv");
    std::fs::write(&reserves_file, "as_of,amount\n2026-11-21,99999999999\n").expect("reserves");
    let reserves = reconcile::read_reserves(&reserves_file, 6).expect("reserves");
    let started = Instant::now();
    let result = reconcile::reconcile(&store, &mint.to_string(), None, &reserves).expect("reconcile");
    let reconciling = started.elapsed();
    assert!(result.events_agree_with_chain(), "{result:?}");

    let rate = count as f64 / indexing.as_secs_f64();
    println!("| measure | value |");
    println!("|---|---|");
    println!("| events | {count} ({:.0} MiB of JSONL, generated in {:.2} s) |", bytes as f64 / 1_048_576.0, generation.as_secs_f64());
    println!("| index (cold, one process) | {:.2} s = {:.0} events/s |", indexing.as_secs_f64(), rate);
    println!("| index again (resume: nothing new) | {:.3} s |", resume.as_secs_f64());
    println!("| reconcile over all events | {:.3} s |", reconciling.as_secs_f64());
    println!("| peak resident memory after indexing | {memory_after_index:.0} MiB |");
    println!("| database size | {:.0} MiB |", std::fs::metadata(&database).map(|m| m.len()).unwrap_or(0) as f64 / 1_048_576.0);
}
