//! Index, reconcile and monitor on record files built from the program's own event types.
use serde_json::json;
use solana_pubkey::Pubkey;
use std::{io::Write, path::Path};
use usd1::{
    events::{AdminTransferStarted, Burned, Denylisted, Initialized, Minted, Paused, ProposalExecuted, ReservesAttested, SupplyChecked},
    state::{PauseScope, ProposalKind},
};
use usd1_client::events::Usd1Event;
use usd1_indexer::{
    index_file,
    monitor::{evaluate, parse_rules, Rule},
    reconcile::{read_reserves, reconcile},
    IndexError, Store,
};

const T0: i64 = 1_790_000_000;

struct Scenario {
    mint: Pubkey,
    minter: Pubkey,
    seq: u64,
    supply: u64,
    lines: Vec<String>,
}

impl Scenario {
    fn new() -> Scenario {
        let mut scenario = Scenario { mint: Pubkey::new_unique(), minter: Pubkey::new_unique(), seq: 0, supply: 0, lines: vec![] };
        let (mint, admin) = (scenario.mint, Pubkey::new_unique());
        scenario.push(T0, |seq| {
            Usd1Event::Initialized(Initialized {
                mint, seq, admin, decimals: 6, council: vec![admin], threshold: 1, master_minter: admin, pauser: admin, denylister: admin, burner: admin, attester: admin, onboarder: admin, onboarding_required: false,
            })
        });
        scenario
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn push(&mut self, time: i64, make: impl FnOnce(u64) -> Usd1Event) {
        let seq = self.next_seq();
        let event = make(seq);
        let signature = format!("sig-{}-{seq}", self.mint);
        self.lines.push(json!({"signature": signature, "slot": seq, "block_time": time, "events": [event.to_json()]}).to_string());
    }

    fn mint_tokens(&mut self, time: i64, amount: u64) {
        self.supply += amount;
        let (mint, minter, supply) = (self.mint, self.minter, self.supply);
        self.push(time, |seq| {
            Usd1Event::Minted(Minted { mint, seq, minter, recipient: minter, amount, reference_hash: [seq as u8; 32], supply, remaining_allowance: 0 })
        });
    }

    fn burn(&mut self, time: i64, amount: u64) {
        self.supply -= amount;
        let (mint, supply) = (self.mint, self.supply);
        self.push(time, |seq| Usd1Event::Burned(Burned { mint, seq, burner: Pubkey::new_unique(), source: Pubkey::new_unique(), amount, supply }));
    }

    fn attest(&mut self, time: i64, amount: u64) {
        let (mint, supply) = (self.mint, self.supply);
        self.push(time, |seq| Usd1Event::ReservesAttested(ReservesAttested { mint, seq, attester: Pubkey::new_unique(), amount, report_hash: [0; 32], as_of: time, supply }));
    }

    fn write(&self, path: &Path) {
        std::fs::write(path, self.lines.iter().map(|line| format!("{line}\n")).collect::<String>()).unwrap();
    }
}

const TOKEN: u64 = 1_000_000;

#[test]
fn indexing_twice_changes_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let mut scenario = Scenario::new();
    for step in 0..20 {
        scenario.mint_tokens(T0 + step, (step as u64 + 1) * TOKEN);
    }
    let file = directory.path().join("record.jsonl");
    scenario.write(&file);
    let mut store = Store::open(&directory.path().join("db.sqlite")).unwrap();
    let first = index_file(&mut store, &file, false).unwrap();
    assert_eq!((first.transactions_read, first.events_inserted, first.events_already_indexed), (21, 21, 0));
    assert!(first.gaps.is_empty());
    // A second run over the same file resumes at its end: nothing read, nothing added.
    let second = index_file(&mut store, &file, false).unwrap();
    assert_eq!((second.transactions_read, second.events_inserted), (0, 0));
    // A copy of the file (another source) is read in full, and every event is already there.
    let copy = directory.path().join("copy.jsonl");
    std::fs::copy(&file, &copy).unwrap();
    let third = index_file(&mut store, &copy, false).unwrap();
    assert_eq!((third.transactions_read, third.events_inserted, third.events_already_indexed), (21, 0, 21));
    assert_eq!(store.event_count().unwrap(), 21);
}

#[test]
fn a_growing_file_is_resumed_and_a_partial_line_waits() {
    let directory = tempfile::tempdir().unwrap();
    let mut scenario = Scenario::new();
    scenario.mint_tokens(T0, TOKEN);
    let file = directory.path().join("record.jsonl");
    scenario.write(&file);
    let mut store = Store::open(&directory.path().join("db.sqlite")).unwrap();
    assert_eq!(index_file(&mut store, &file, false).unwrap().events_inserted, 2);

    scenario.mint_tokens(T0 + 1, TOKEN);
    scenario.mint_tokens(T0 + 2, TOKEN);
    let mut text = scenario.lines.iter().map(|line| format!("{line}\n")).collect::<String>();
    // The writer is in the middle of the last line.
    let cut = text.len() - 20;
    text.truncate(cut);
    std::fs::write(&file, &text).unwrap();
    let summary = index_file(&mut store, &file, false).unwrap();
    assert_eq!((summary.transactions_read, summary.events_inserted), (1, 1), "only the complete new line");
    scenario.write(&file);
    let summary = index_file(&mut store, &file, false).unwrap();
    assert_eq!((summary.transactions_read, summary.events_inserted), (1, 1));
    assert_eq!(store.event_count().unwrap(), 4);
}

#[test]
fn a_removed_event_is_reported_as_a_gap() {
    let directory = tempfile::tempdir().unwrap();
    let mut scenario = Scenario::new();
    for step in 0..10 {
        scenario.mint_tokens(T0 + step, TOKEN);
    }
    scenario.lines.remove(4); // seq 5
    scenario.lines.remove(4); // seq 6
    scenario.lines.remove(0); // seq 1
    let file = directory.path().join("record.jsonl");
    scenario.write(&file);
    let mut store = Store::open(&directory.path().join("db.sqlite")).unwrap();
    let summary = index_file(&mut store, &file, false).unwrap();
    let mint = scenario.mint.to_string();
    assert_eq!(summary.gaps, vec![(mint.clone(), 1, 1), (mint, 5, 6)]);
}

#[test]
fn the_same_seq_from_two_transactions_is_a_conflict_and_nothing_is_written() {
    let directory = tempfile::tempdir().unwrap();
    let mut scenario = Scenario::new();
    scenario.mint_tokens(T0, TOKEN);
    let forged = scenario.lines[1].replace("sig-", "forged-");
    scenario.lines.push(forged);
    let file = directory.path().join("record.jsonl");
    scenario.write(&file);
    let mut store = Store::open(&directory.path().join("db.sqlite")).unwrap();
    match index_file(&mut store, &file, false) {
        Err(IndexError::Conflict { seq, .. }) => assert_eq!(seq, 2),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(store.event_count().unwrap(), 0, "the batch was rolled back");
}

#[test]
fn a_malformed_line_names_its_number_and_writes_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let mut scenario = Scenario::new();
    scenario.mint_tokens(T0, TOKEN);
    scenario.lines.push("{\"signature\": \"x\", \"slot\": 9}".into());
    let file = directory.path().join("record.jsonl");
    scenario.write(&file);
    let mut store = Store::open(&directory.path().join("db.sqlite")).unwrap();
    match index_file(&mut store, &file, false) {
        Err(IndexError::MalformedLine { line, reason }) => {
            assert_eq!(line, 3);
            assert!(reason.contains("events"), "{reason}");
        }
        other => panic!("expected a malformed line, got {other:?}"),
    }
    assert_eq!(store.event_count().unwrap(), 0);
    std::fs::write(&file, "not json\n").unwrap();
    assert!(matches!(index_file(&mut store, &file, false), Err(IndexError::MalformedLine { line: 1, .. })));
}

fn reserves_file(directory: &Path, text: &str) -> std::path::PathBuf {
    let path = directory.join("reserves.csv");
    std::fs::File::create(&path).unwrap().write_all(text.as_bytes()).unwrap();
    path
}

#[test]
fn reconciliation_passes_with_enough_reserves_and_fails_when_short_or_inconsistent() {
    let directory = tempfile::tempdir().unwrap();
    let mut scenario = Scenario::new();
    scenario.mint_tokens(T0, 700 * TOKEN);
    scenario.burn(T0 + 1, 200 * TOKEN);
    scenario.mint_tokens(T0 + 2, 50 * TOKEN);
    let file = directory.path().join("record.jsonl");
    scenario.write(&file);
    let mut store = Store::open(&directory.path().join("db.sqlite")).unwrap();
    index_file(&mut store, &file, false).unwrap();
    let mint = scenario.mint.to_string();

    let reserves = read_reserves(&reserves_file(directory.path(), "as_of,amount\n2026-11-01,100\n2026-11-20,550\n2026-11-10,9999\n"), 6).unwrap();
    let result = reconcile(&store, &mint, None, &reserves).unwrap();
    assert_eq!((result.total_minted, result.total_burned, result.derived_supply), (750 * TOKEN, 200 * TOKEN, 550 * 1_000_000));
    assert_eq!((result.chain_supply, result.chain_supply_source.as_str()), (550 * TOKEN, "event #4"));
    assert_eq!((result.reserves, result.reserves_as_of.as_str()), (550 * TOKEN, "2026-11-20"), "the latest row counts, not the largest");
    assert!(result.ok(), "{}", result.table());

    let short = read_reserves(&reserves_file(directory.path(), "as_of,amount\n2026-11-21T09:00:00Z,549.999999\n"), 6).unwrap();
    let result = reconcile(&store, &mint, None, &short).unwrap();
    assert!(!result.covered_by_reserves() && result.events_agree_with_chain());
    assert!(result.table().contains("FAIL: supply exceeds reserves"));

    // The chain says otherwise than the events: a missed or forged event.
    let result = reconcile(&store, &mint, Some(551 * TOKEN), &reserves).unwrap();
    assert!(!result.events_agree_with_chain());
    assert_eq!(result.to_json()["ok"], false);
}

#[test]
fn a_bad_reserve_row_is_refused_with_its_line_number() {
    let directory = tempfile::tempdir().unwrap();
    let cases = [
        ("date,amount\n2026-11-01,1\n", 1, "header"),
        ("date,amount,source\n2026-11-01,1\n", 2, "expected 3 fields"),
        ("as_of,amount\n2026-11-01,1\n2026-13-01,5\n", 3, "not a date"),
        ("as_of,amount\n2026-11-01,1.0000001\n", 2, "decimals"),
        ("as_of,amount\n2026-11-01,-4\n", 2, "negative"),
        ("as_of,amount\n2026-11-01,1,extra\n", 2, "fields"),
    ];
    for (text, expected_line, reason) in cases {
        match read_reserves(&reserves_file(directory.path(), text), 6) {
            Err(IndexError::MalformedLine { line, reason: message }) => {
                assert_eq!(line, expected_line, "{text}");
                assert!(message.contains(reason), "{text}: {message}");
            }
            other => panic!("{text}: expected a line error, got {other:?}"),
        }
    }
    assert!(read_reserves(&reserves_file(directory.path(), "as_of,amount\n"), 6).is_err());
    // Dated rows with their source (the attestation report's form).
    let entries = read_reserves(&reserves_file(directory.path(), "date,amount,source\n2026-11-02,1500.5,bank statement 11/02\n"), 6).unwrap();
    assert_eq!((entries[0].amount, entries[0].source.as_str(), entries[0].as_of.as_str()), (1_500_500_000, "bank statement 11/02", "2026-11-02"));
}

/// Deployments are (cluster, mint): the same mint address on two clusters keeps two seq
/// sequences; an event first indexed from a file learns its cluster when read from a chain;
/// a store made before clusters is migrated in place.
#[test]
fn the_same_mint_on_two_clusters_is_two_deployments_and_old_stores_are_migrated() {
    use usd1_indexer::index_cluster_records;
    let directory = tempfile::tempdir().unwrap();
    let mut scenario = Scenario::new();
    scenario.mint_tokens(T0 + 10, 5 * TOKEN);
    let records: Vec<serde_json::Value> = scenario.lines.iter().map(|line| serde_json::from_str(line).unwrap()).collect();
    let mut store = Store::open(&directory.path().join("index.sqlite")).unwrap();
    index_cluster_records(&mut store, "devnet-genesis", records.clone()).unwrap();
    // Same mint, same seqs, other transactions, other cluster: no conflict, no gap.
    let other_cluster: Vec<serde_json::Value> = records
        .iter()
        .map(|record| {
            let mut record = record.clone();
            record["signature"] = json!(format!("{}-mainnet", record["signature"].as_str().unwrap()));
            record
        })
        .collect();
    let summary = index_cluster_records(&mut store, "mainnet-genesis", other_cluster.clone()).unwrap();
    assert_eq!((summary.events_inserted, summary.gaps.len()), (2, 0));
    let mint = scenario.mint.to_string();
    assert_eq!(store.deployments().unwrap(), vec![("devnet-genesis".to_string(), mint.clone()), ("mainnet-genesis".to_string(), mint.clone())]);
    // The same seq twice on one cluster is still a conflict.
    let mut clash = other_cluster[1].clone();
    clash["signature"] = json!("another-transaction");
    assert!(matches!(index_cluster_records(&mut store, "mainnet-genesis", [clash]), Err(IndexError::Conflict { seq: 2, .. })));

    // A record file first (cluster unknown), then the chain: the events take the cluster.
    let file = directory.path().join("record.jsonl");
    scenario.write(&file);
    let mut fresh = Store::open(&directory.path().join("fresh.sqlite")).unwrap();
    index_file(&mut fresh, &file, false).unwrap();
    assert_eq!(fresh.deployments().unwrap(), vec![(String::new(), mint.clone())]);
    let again = index_cluster_records(&mut fresh, "devnet-genesis", records).unwrap();
    assert_eq!((again.events_inserted, again.events_already_indexed), (0, 2));
    assert_eq!(fresh.deployments().unwrap(), vec![("devnet-genesis".to_string(), mint.clone())]);

    // A store of the previous schema: no cluster column, seq unique per mint.
    let old = directory.path().join("old.sqlite");
    {
        let connection = rusqlite::Connection::open(&old).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE events (signature TEXT NOT NULL, event_index INTEGER NOT NULL, signature_key INTEGER NOT NULL, slot INTEGER NOT NULL,
                     block_time INTEGER, mint TEXT NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL, amount INTEGER, reference_hash TEXT,
                     actor TEXT, subject TEXT, supply INTEGER, body TEXT NOT NULL);
                 CREATE UNIQUE INDEX events_by_signature ON events (signature_key, event_index);
                 CREATE UNIQUE INDEX events_by_seq ON events (mint, seq);
                 INSERT INTO events VALUES ('old-1', 0, 1, 1, 1790000000, 'OldMint', 1, 'Minted', 5, NULL, NULL, NULL, 5, '{}');",
            )
            .unwrap();
    }
    let mut migrated = Store::open(&old).unwrap();
    assert_eq!(migrated.deployments().unwrap(), vec![(String::new(), "OldMint".to_string())]);
    assert_eq!(migrated.last_seq("", "OldMint").unwrap(), 1);
    // Opening it again is a no-op, and the new key accepts the same mint on a named cluster.
    drop(migrated);
    migrated = Store::open(&old).unwrap();
    let same_mint_elsewhere = json!({"signature": "new-1", "slot": 1, "block_time": T0, "events": [{"mint": "OldMint", "event": "Minted", "seq": 1, "amount": 5, "supply": 5}]});
    assert_eq!(index_cluster_records(&mut migrated, "mainnet-genesis", [same_mint_elsewhere]).unwrap().events_inserted, 1);
    assert_eq!(migrated.clusters_of("OldMint").unwrap(), ["", "mainnet-genesis"]);

    // A record file that disagrees with the chain about an event does not become that chain's.
    let mut lying = Scenario::new();
    lying.mint_tokens(T0 + 10, 5 * TOKEN);
    let lying_file = directory.path().join("lying.jsonl");
    lying.write(&lying_file);
    let mut checked = Store::open(&directory.path().join("checked.sqlite")).unwrap();
    index_file(&mut checked, &lying_file, false).unwrap();
    let mut chain_says: Vec<serde_json::Value> = lying.lines.iter().map(|line| serde_json::from_str(line).unwrap()).collect();
    chain_says[1]["events"][0]["amount"] = json!(6 * TOKEN);
    match index_cluster_records(&mut checked, "devnet-genesis", chain_says) {
        Err(IndexError::Malformed(message)) => assert!(message.contains("differs between the record file indexed earlier and cluster devnet-genesis"), "{message}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(checked.deployments().unwrap(), vec![(String::new(), lying.mint.to_string())], "nothing adopted");
}

/// Monitoring state is per deployment: an attestation on one cluster does not cover a mint of
/// the same mint address on another.
#[test]
fn monitor_rules_keep_their_state_per_cluster() {
    use usd1_indexer::index_cluster_records;
    let directory = tempfile::tempdir().unwrap();
    let mut attested = Scenario::new();
    attested.attest(T0 + 5, 100 * TOKEN);
    let mut store = Store::open(&directory.path().join("index.sqlite")).unwrap();
    let records = |scenario: &Scenario, suffix: &str| -> Vec<serde_json::Value> {
        scenario
            .lines
            .iter()
            .map(|line| {
                let mut record: serde_json::Value = serde_json::from_str(line).unwrap();
                record["signature"] = json!(format!("{}-{suffix}", record["signature"].as_str().unwrap()));
                record
            })
            .collect()
    };
    index_cluster_records(&mut store, "cluster-a", records(&attested, "a")).unwrap();
    // Cluster B: the same mint address, no attestation, then a mint.
    let mut unattested = Scenario { mint: attested.mint, minter: attested.minter, seq: 0, supply: 0, lines: vec![] };
    unattested.lines.push(attested.lines[0].clone());
    unattested.seq = 1;
    unattested.mint_tokens(T0 + 10, TOKEN);
    index_cluster_records(&mut store, "cluster-b", records(&unattested, "b")).unwrap();
    let mut alerts = vec![];
    evaluate(&store, &[Rule::MintWithoutAttestation { hours: 24 }], |alert| alerts.push(alert)).unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!((alerts[0]["cluster"].as_str(), alerts[0]["detail"].as_str()), (Some("cluster-b"), Some("no reserve attestation before this mint")));
}

#[test]
fn each_monitor_rule_fires_on_its_events_only() {
    let directory = tempfile::tempdir().unwrap();
    let mut scenario = Scenario::new();
    let mint = scenario.mint;
    scenario.attest(T0, 1_000 * TOKEN); // seq 2
    scenario.mint_tokens(T0 + 10, 100 * TOKEN); // 3: fine
    scenario.mint_tokens(T0 + 20, 600 * TOKEN); // 4: single mint above 500
    scenario.mint_tokens(T0 + 30, 300 * TOKEN); // 5: window (1000 s) now holds 1000 > 900
    scenario.mint_tokens(T0 + 5_000, 10 * TOKEN); // 6: window reset; attestation 4990 s old (> 1 h)
    scenario.push(T0 + 5_001, |seq| Usd1Event::Paused(Paused { mint, seq, scope: PauseScope::Mint, by: mint, mint_paused: true, redeem_paused: false, transfers_paused: false })); // 7
    scenario.push(T0 + 5_002, |seq| Usd1Event::Denylisted(Denylisted { mint, seq, wallet: mint, reason_hash: [0; 32], by: mint, frozen_accounts: vec![] })); // 8
    scenario.push(T0 + 5_003, |seq| Usd1Event::AdminTransferStarted(AdminTransferStarted { mint, seq, admin: mint, pending_admin: mint })); // 9
    scenario.push(T0 + 5_004, |seq| Usd1Event::ProposalExecuted(ProposalExecuted { mint, seq, id: 0, executor: mint, kind: ProposalKind::SetCouncil { members: vec![mint], threshold: 1 }, council_epoch: 1 })); // 10
    scenario.push(T0 + 5_005, |seq| Usd1Event::ProposalExecuted(ProposalExecuted { mint, seq, id: 1, executor: mint, kind: ProposalKind::SetAllowance { minter: mint, amount: 1 }, council_epoch: 1 })); // 11: not governance
    scenario.push(T0 + 5_006, |seq| Usd1Event::SupplyChecked(SupplyChecked { mint, seq, supply: 0, total_minted: 0, total_burned: 0, unattributed_burned: 0, escrowed: 0, escrow_excess: 0, attested_reserves: 0, matches: true })); // 12
    let file = directory.path().join("record.jsonl");
    scenario.write(&file);
    let mut store = Store::open(&directory.path().join("db.sqlite")).unwrap();
    index_file(&mut store, &file, false).unwrap();

    let rules = parse_rules(
        r#"
        [[rules]]
        kind = "single_mint_above"
        amount = "500"
        [[rules]]
        kind = "minted_in_window_above"
        window_secs = 1000
        amount = "900"
        [[rules]]
        kind = "governance_change"
        [[rules]]
        kind = "pause_change"
        [[rules]]
        kind = "denylist_change"
        [[rules]]
        kind = "mint_without_attestation"
        hours = 1
    "#,
    )
    .unwrap();
    let fired_on = |rule: &Rule| {
        let mut seqs = Vec::new();
        evaluate(&store, std::slice::from_ref(rule), |alert| seqs.push(alert["seq"].as_u64().unwrap())).unwrap();
        seqs
    };
    assert_eq!(fired_on(&rules[0]), vec![4]);
    assert_eq!(fired_on(&rules[1]), vec![5]);
    assert_eq!(fired_on(&rules[2]), vec![9, 10]);
    assert_eq!(fired_on(&rules[3]), vec![7]);
    assert_eq!(fired_on(&rules[4]), vec![8]);
    assert_eq!(fired_on(&rules[5]), vec![6]);
    let total = evaluate(&store, &rules, |_| {}).unwrap();
    assert_eq!(total, 7);
    // What the person on call reads: token units with the symbol and ISO 8601 UTC times.
    let mut alerts = Vec::new();
    evaluate(&store, &rules[..2], |alert| alerts.push(alert)).unwrap();
    assert_eq!(alerts[0]["detail"], "minted 600 USD1 in one mint (limit 500 USD1)", "{}", alerts[0]);
    assert_eq!(alerts[1]["detail"], "1,000 USD1 minted within 1000 s (limit 900 USD1)", "{}", alerts[1]);
    let time = alerts[0]["time"].as_str().unwrap();
    assert!(time.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(time).unwrap().timestamp() == alerts[0]["block_time"].as_i64().unwrap(), "{}", alerts[0]);

    assert!(parse_rules("[[rules]]\nkind = \"mint_above\"\n").is_err());
    assert!(parse_rules("[[rules]]\nkind = \"single_mint_above\"\namount = \"1.0000000001\"\n").is_err());
    assert!(parse_rules("[[rules]]\nkind = \"pause_change\"\nextra = 1\n").is_err());
}
