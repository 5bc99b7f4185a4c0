//! The attestation report over a generated month: three deployments (two of them the same
//! mint address on different clusters), thousands of events, a day with reserves short, an
//! event missing from the index, an outside burn, a seizure and a redemption left pending.
//! Expected rows come from the generator's own bookkeeping, not from the report's code.
use chrono::{NaiveDate, NaiveTime};
use serde_json::{json, Value};
use solana_pubkey::Pubkey;
use usd1::{
    events::{Burned, Minted, RedemptionCompleted, RedemptionRequested, ReservesAttested, Seized},
    state::SeizureDestination,
};
use usd1_client::{amount::format_amount, events::Usd1Event};
use usd1_indexer::{
    charts::CHART_SIZE,
    index_cluster_records,
    reconcile::ReserveEntry,
    report::{self, Deployment, Freshness, ReportOptions},
    IndexError, Store,
};

const TOKEN: u64 = 1_000_000;
const NOVEMBER_1: i64 = 1_793_491_200; // 2026-11-01T00:00:00Z
const DAY: i64 = 86_400;
const DAYS: usize = 30;

/// What the generator knows about one deployment on one day.
#[derive(Default, Clone, Debug)]
struct Expected {
    supply_at_close: u64,
    mints: u64,
    minted: u64,
    largest_mint: u64,
    burned: u64,
    redeemed: u64,
    seized_burned: u64,
    unattributed: u64,
}

struct Generated {
    deployments: Vec<Deployment>,
    expected: Vec<Vec<Expected>>,
    supply_at_start: Vec<u64>,
    dropped_seq: u64,
    stuck_request_day: usize,
}

struct Writer {
    cluster: &'static str,
    seq: u64,
    supply: u64,
    records: Vec<Value>,
    dropped: Option<u64>,
}

impl Writer {
    fn emit(&mut self, time: i64, build: impl FnOnce(u64, u64) -> Usd1Event) {
        self.seq += 1;
        let event = build(self.seq, self.supply);
        if self.dropped == Some(self.seq) {
            return;
        }
        self.records.push(json!({
            "signature": format!("{}-{}", self.cluster, self.seq),
            "slot": self.seq,
            "block_time": time,
            "events": [event.to_json()],
        }));
    }
}

fn generate(store: &mut Store) -> Generated {
    let shared_mint = Pubkey::new_from_array([11; 32]);
    let other_mint = Pubkey::new_from_array([22; 32]);
    let plan = [("alpha", "GenesisAlpha", shared_mint), ("beta", "GenesisBeta", other_mint), ("gamma", "GenesisGamma", shared_mint)];
    let (minter_one, minter_two, holder, attester) = (Pubkey::new_from_array([1; 32]), Pubkey::new_from_array([2; 32]), Pubkey::new_from_array([3; 32]), Pubkey::new_from_array([4; 32]));
    let mut generated = Generated { deployments: vec![], expected: vec![], supply_at_start: vec![], dropped_seq: 0, stuck_request_day: 10 };
    for (number, (name, cluster, mint)) in plan.into_iter().enumerate() {
        let mut writer = Writer { cluster, seq: 0, supply: 0, records: vec![], dropped: None };
        // October 31st: the opening supply.
        let opening = (1_000_000 + number as u64 * 250_000) * TOKEN;
        writer.supply += opening;
        writer.emit(NOVEMBER_1 - 3_600, |seq, supply| {
            Usd1Event::Minted(Minted { mint, seq, minter: minter_one, recipient: holder, amount: opening, reference_hash: [0; 32], supply, remaining_allowance: 0 })
        });
        generated.supply_at_start.push(writer.supply);
        let mut days = vec![Expected::default(); DAYS];
        let mut open_requests: Vec<([u8; 32], u64)> = Vec::new();
        for (day, expected) in days.iter_mut().enumerate() {
            let start = NOVEMBER_1 + day as i64 * DAY;
            let mut time = start + 60;
            let mut next = || {
                time += 900;
                time
            };
            // Yesterday's redemption requests complete first (beta's request of day 10 never does).
            for (reference, amount) in std::mem::take(&mut open_requests) {
                if name == "beta" && reference[0] == generated.stuck_request_day as u8 && reference[1] == 0 {
                    open_requests.push((reference, amount));
                    continue;
                }
                writer.supply -= amount;
                expected.redeemed += amount;
                writer.emit(next(), |seq, supply| {
                    Usd1Event::RedemptionCompleted(RedemptionCompleted { mint, seq, holder, amount, reference_hash: reference, payout_reference_hash: [9; 32], supply, escrowed: 0 })
                });
            }
            let mints = 20 + (day + number) % 5;
            for index in 0..mints {
                let amount = (1_000 + ((day * 37 + index * 11 + number * 101) % 5_000) as u64) * TOKEN;
                writer.supply += amount;
                let mut unattributed = 0;
                // Gamma, day 20: a holder burned 777 tokens directly through Token-2022 before this mint.
                if name == "gamma" && day == 20 && index == 5 {
                    unattributed = 777 * TOKEN;
                    writer.supply -= unattributed;
                }
                expected.mints += 1;
                expected.minted += amount;
                expected.largest_mint = expected.largest_mint.max(amount);
                expected.unattributed += unattributed;
                let minter = if index % 3 == 0 { minter_two } else { minter_one };
                writer.emit(next(), |seq, supply| {
                    Usd1Event::Minted(Minted { mint, seq, minter, recipient: holder, amount, reference_hash: [index as u8; 32], supply, remaining_allowance: 0 })
                });
            }
            for _ in 0..3 {
                let amount = 500 * TOKEN;
                writer.supply -= amount;
                expected.burned += amount;
                writer.emit(next(), |seq, supply| Usd1Event::Burned(Burned { mint, seq, burner: attester, source: holder, amount, supply }));
            }
            for request in 0..2u8 {
                let amount = (100 + u64::from(request) * 50) * TOKEN;
                let reference = [day as u8, request, number as u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
                open_requests.push((reference, amount));
                writer.emit(next(), |seq, _| Usd1Event::RedemptionRequested(RedemptionRequested { mint, seq, holder, amount, reference_hash: reference, escrowed: 0 }));
            }
            if name == "alpha" && day == 14 {
                let amount = 2_000 * TOKEN;
                writer.supply -= amount;
                expected.seized_burned += amount;
                writer.emit(next(), |seq, supply| {
                    Usd1Event::Seized(Seized { mint, seq, proposal: 1, order_hash: [5; 32], owner: holder, from_accounts: vec![holder], destination: SeizureDestination::Burn, amount, supply })
                });
            }
            if name == "beta" && day == 4 {
                // This attestation is left out of the index: a hole in beta's seq.
                writer.dropped = Some(writer.seq + 1);
                generated.dropped_seq = writer.seq + 1;
                writer.emit(next(), |seq, supply| {
                    Usd1Event::ReservesAttested(ReservesAttested { mint, seq, attester, amount: 1, report_hash: [6; 32], as_of: start, supply })
                });
            }
            expected.supply_at_close = writer.supply;
        }
        index_cluster_records(store, cluster, writer.records).expect("index");
        generated.deployments.push(Deployment { name: name.into(), cluster: cluster.into(), mint: mint.to_string(), freshness: Freshness::NotChecked });
        generated.expected.push(days);
    }
    generated
}

fn november(business_days_only: bool) -> ReportOptions {
    ReportOptions {
        from: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        business_days_only,
        cutoff: None,
        tz: chrono_tz::UTC,
        redemption_deadline_business_days: 2,
        rules: report::default_rules(),
        max_reserves_age_days: report::DEFAULT_MAX_RESERVES_AGE_DAYS,
        now: NOVEMBER_1 + 60 * DAY,
    }
}

const SHORT_DAY: usize = 16; // 2026-11-17

/// The bank's figures: the total supply at each close plus 10,000, one token short on the 17th.
fn reserves(generated: &Generated) -> Vec<ReserveEntry> {
    (0..DAYS)
        .map(|day| {
            let total: u64 = generated.expected.iter().map(|days| days[day].supply_at_close).sum();
            let amount = if day == SHORT_DAY { total - TOKEN } else { total + 10_000 * TOKEN };
            let date = NaiveDate::from_ymd_opt(2026, 11, day as u32 + 1).unwrap();
            ReserveEntry { as_of: date.to_string(), as_of_secs: NOVEMBER_1 + day as i64 * DAY, amount, source: format!("bank statement {date}"), date: Some(date) }
        })
        .collect()
}

fn amount(units: u64) -> String {
    format_amount(units, 6)
}

#[test]
fn a_generated_month_gives_the_exact_rows_the_generator_expects() {
    let directory = tempfile::tempdir().unwrap();
    let mut store = Store::open(&directory.path().join("index.sqlite")).unwrap();
    let generated = generate(&mut store);
    assert!(store.event_count().unwrap() > 2_500, "thousands of events: {}", store.event_count().unwrap());
    let reserves = reserves(&generated);
    let built = report::build(&store, &generated.deployments, &reserves, &november(false)).unwrap();
    let out = directory.path().join("report");
    let files = built.write(&out).unwrap();
    assert_eq!(files.len(), 6 + 6, "{files:?}");

    // supply_eod.csv: every row, from the generator's bookkeeping.
    let mut expected = vec!["date,cutoff_utc,closed,deployment,cluster,mint,supply,reserves,reserves_as_of,reserves_source,coverage_ratio,status".to_string()];
    for day in 0..DAYS {
        let date = NaiveDate::from_ymd_opt(2026, 11, day as u32 + 1).unwrap();
        let cutoff = (date + chrono::Duration::days(1)).format("%Y-%m-%dT00:00:00Z");
        let mut total = 0;
        for (number, deployment) in generated.deployments.iter().enumerate() {
            let supply = generated.expected[number][day].supply_at_close;
            total += supply;
            expected.push(format!("{date},{cutoff},true,{},{},{},{},,,,,", deployment.name, deployment.cluster, deployment.mint, amount(supply)));
        }
        let reserve = reserves[day].amount;
        let ratio = u128::from(reserve) * 10_000 / u128::from(total);
        let status = if day == SHORT_DAY { "SHORT" } else { "OK" };
        expected.push(format!("{date},{cutoff},true,TOTAL,,,{},{},{date},bank statement {date},{}.{:04},{status}", amount(total), amount(reserve), ratio / 10_000, ratio % 10_000));
    }
    let written = std::fs::read_to_string(out.join("supply_eod.csv")).unwrap();
    assert_eq!(written.lines().collect::<Vec<_>>(), expected);
    // Alpha and gamma share a mint address on different clusters: two deployments, two supplies.
    assert_ne!(generated.expected[0][0].supply_at_close, generated.expected[2][0].supply_at_close);

    // flows.csv: every deployment's row, and the totals add up.
    let flows = std::fs::read_to_string(out.join("flows.csv")).unwrap();
    let mut rows = flows.lines();
    assert_eq!(
        rows.next().unwrap(),
        "date,deployment,mints,minted,largest_mint,minters,burns,burned,redemptions_completed,redeemed,seizures,seized,seized_burned,unattributed_burned,supply_change"
    );
    for day in 0..DAYS {
        let date = NaiveDate::from_ymd_opt(2026, 11, day as u32 + 1).unwrap();
        let mut total = Expected::default();
        let mut total_change: i128 = 0;
        for (number, deployment) in generated.deployments.iter().enumerate() {
            let today = &generated.expected[number][day];
            let previous = if day == 0 { generated.supply_at_start[number] } else { generated.expected[number][day - 1].supply_at_close };
            let change = i128::from(today.supply_at_close) - i128::from(previous);
            // The supply change is what the flows explain, the outside burn included.
            assert_eq!(change, i128::from(today.minted) - i128::from(today.burned + today.redeemed + today.seized_burned + today.unattributed));
            total_change += change;
            let completed = if day == 0 { 0 } else if deployment.name == "beta" && day == generated.stuck_request_day + 1 { 1 } else { 2 };
            let signed = |change: i128| if change < 0 { format!("-{}", amount(change.unsigned_abs() as u64)) } else { amount(change as u64) };
            assert_eq!(
                rows.next().unwrap(),
                format!(
                    "{date},{},{},{},{},2,3,{},{completed},{},{},{},{},{},{}",
                    deployment.name,
                    today.mints,
                    amount(today.minted),
                    amount(today.largest_mint),
                    amount(today.burned),
                    amount(today.redeemed),
                    u64::from(today.seized_burned > 0),
                    amount(today.seized_burned),
                    amount(today.seized_burned),
                    amount(today.unattributed),
                    signed(change)
                )
            );
            total.minted += today.minted;
            total.unattributed += today.unattributed;
        }
        let total_row = rows.next().unwrap();
        assert!(total_row.starts_with(&format!("{date},TOTAL,")), "{total_row}");
        let fields: Vec<&str> = total_row.split(',').collect();
        assert_eq!(fields[3], amount(total.minted));
        assert_eq!(fields[13], amount(total.unattributed));
        let signed_total = if total_change < 0 { format!("-{}", amount(total_change.unsigned_abs() as u64)) } else { amount(total_change as u64) };
        assert_eq!(fields[14], signed_total);
    }
    assert_eq!(rows.next(), None);

    // redemptions.csv: beta's request of day 10 stays pending and passes its deadline.
    let redemptions = std::fs::read_to_string(out.join("redemptions.csv")).unwrap();
    let beta_row = |date: &str| redemptions.lines().find(|line| line.starts_with(&format!("{date},beta,"))).unwrap().to_string();
    // Opened on the 11th (a Wednesday); pending at every close from then on.
    assert_eq!(beta_row("2026-11-11"), "2026-11-11,beta,2,250,2,0,2,250,0,0,0");
    assert_eq!(beta_row("2026-11-12"), "2026-11-12,beta,2,250,1,0,3,350,1,0,0");
    // Its deadline is Friday the 13th at the request's time of day: Friday's close (midnight) is
    // past it; Thursday's close is not.
    let friday = beta_row("2026-11-13");
    assert!(friday.ends_with(",2,1,100"), "{friday}");
    let last = beta_row("2026-11-30");
    assert!(last.ends_with(",1,100"), "{last}");

    // The summary: the short day, the hole in beta's seq, the outside burn, the pending request.
    let summary = built.summary();
    assert_eq!(summary["coverage"]["short_days"], json!(["2026-11-17"]));
    assert_eq!(summary["coverage"]["worst_day"]["date"], "2026-11-17");
    assert_eq!(summary["deployments"][1]["seq_gaps"], json!([{"first_missing": generated.dropped_seq, "last_missing": generated.dropped_seq}]));
    assert_eq!(summary["deployments"][2]["unattributed_burned"], "777");
    assert_eq!(summary["deployments"][0]["seized_burned"], "2000");
    // Each deployment's two requests of the 30th, and beta's request of the 11th.
    assert_eq!(summary["redemptions"]["pending_at_end"], 2 * 3 + 1);
    let findings = built.findings();
    assert!(findings.iter().any(|finding| finding.starts_with("2026-11-17: reserves") && finding.contains("below total supply")), "{findings:?}");
    assert!(findings.contains(&format!("beta: the index is missing event seq {}", generated.dropped_seq)), "{findings:?}");
    assert!(
        findings.contains(&"beta: redemption requests past the 2-business-day deadline at 18 day close(s) from 2026-11-13 on (1 request(s), 100 at the period's end)".to_string()),
        "{findings:?}"
    );
    assert_eq!(findings.len(), 3, "{findings:?}");
    assert!(findings.iter().all(|finding| !finding.starts_with("alpha") && !finding.starts_with("gamma")), "{findings:?}");
    assert_eq!(summary["ok"], false);
    let text = std::fs::read_to_string(out.join("summary.txt")).unwrap();
    assert!(text.contains("worst coverage day: 2026-11-17"), "{text}");

    // A deployment whose index lags its chain, or whose chain is out of reach, is named.
    let mut lagging = generated.deployments.clone();
    lagging[2].freshness = Freshness::Behind { indexed_seq: 900, chain_seq: 905 };
    lagging[0].freshness = Freshness::Unreachable("connection refused".into());
    let built = report::build(&store, &lagging, &reserves, &november(false)).unwrap();
    let findings = built.findings();
    assert!(findings.contains(&"gamma: the index is behind its chain by 5 events (indexed to seq 900, chain at 905): its figures are incomplete".to_string()), "{findings:?}");
    assert!(findings.contains(&"alpha: its chain could not be read (connection refused): its figures are the index's, unchecked".to_string()), "{findings:?}");
    assert_eq!(built.summary()["deployments"][2]["index"], json!({"status": "behind", "indexed_seq": 900, "chain_event_seq": 905, "behind_by": 5}));
}

#[test]
fn charts_are_valid_png_and_svg_of_the_published_size() {
    let directory = tempfile::tempdir().unwrap();
    let mut store = Store::open(&directory.path().join("index.sqlite")).unwrap();
    let generated = generate(&mut store);
    let built = report::build(&store, &generated.deployments, &reserves(&generated), &november(true)).unwrap();
    let out = directory.path().join("report");
    built.write(&out).unwrap();
    for chart in ["supply_vs_reserves", "daily_flows", "redemption_ages"] {
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(out.join(format!("{chart}.png"))).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), CHART_SIZE, "{chart}");
        let mut pixels = vec![0; reader.output_buffer_size()];
        reader.next_frame(&mut pixels).unwrap();
        // Not a blank canvas: some pixels are neither white nor one flat color.
        let distinct: std::collections::BTreeSet<&[u8]> = pixels.chunks(3).collect();
        assert!(distinct.len() > 10, "{chart}: {} colors", distinct.len());

        let text = std::fs::read_to_string(out.join(format!("{chart}.svg"))).unwrap();
        let document = roxmltree::Document::parse(&text).unwrap_or_else(|error| panic!("{chart}.svg: {error}"));
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("width"), Some(CHART_SIZE.0.to_string().as_str()));
        assert!(document.descendants().any(|node| node.has_tag_name("text") && node.text().is_some_and(|text| !text.trim().is_empty())), "{chart}.svg has labels");
    }
    // Business days only: 21 weekdays in November 2026; weekend flows land on Mondays.
    assert_eq!(built.days.len(), 21);
    let minted_in_month: u64 = generated.expected.iter().flatten().map(|day| day.minted).sum();
    let reported: u64 = built.deployments.iter().flat_map(|deployment| deployment.days.iter().map(|day| day.minted)).sum();
    // November 1st is a Sunday: Monday the 2nd's window opens at Friday October 30th's close, so
    // it also holds the opening mints of October 31st; every token minted is in some business day.
    let openings: u64 = generated.supply_at_start.iter().sum();
    assert_eq!(reported, minted_in_month + openings);
}

#[test]
fn an_empty_period_or_a_period_before_any_event_is_refused_by_name() {
    let directory = tempfile::tempdir().unwrap();
    let mut store = Store::open(&directory.path().join("index.sqlite")).unwrap();
    let generated = generate(&mut store);
    let reserves = reserves(&generated);
    let mut options = november(false);
    options.from = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    options.to = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    match report::build(&store, &generated.deployments, &reserves, &options) {
        Err(IndexError::Malformed(message)) => {
            assert!(message.starts_with("no deployment has an event before the period's end (2026-10-01 00:00 UTC): nothing to report"), "{message}");
            assert!(message.contains("alpha: first event 2026-10-31 23:00 UTC"), "{message}");
        }
        other => panic!("expected a refusal, got {:?}", other.map(|report| report.days.len())),
    }
    options.from = NaiveDate::from_ymd_opt(2026, 11, 7).unwrap(); // Saturday
    options.to = NaiveDate::from_ymd_opt(2026, 11, 8).unwrap(); // Sunday
    options.business_days_only = true;
    match report::build(&store, &generated.deployments, &reserves, &options) {
        Err(IndexError::Malformed(message)) => assert_eq!(message, "the period 2026-11-07 to 2026-11-08 has no business days: nothing to report"),
        other => panic!("expected a refusal, got {:?}", other.map(|report| report.days.len())),
    }
    options.to = NaiveDate::from_ymd_opt(2026, 11, 6).unwrap();
    match report::build(&store, &generated.deployments, &reserves, &options) {
        Err(IndexError::Malformed(message)) => assert_eq!(message, "the period is empty: --from 2026-11-07 is after --to 2026-11-06"),
        other => panic!("expected a refusal, got {:?}", other.map(|report| report.days.len())),
    }
}

#[test]
fn a_cutoff_in_new_york_moves_late_events_to_the_next_day() {
    let directory = tempfile::tempdir().unwrap();
    let mut store = Store::open(&directory.path().join("index.sqlite")).unwrap();
    let generated = generate(&mut store);
    let mut options = november(false);
    options.cutoff = Some(NaiveTime::from_hms_opt(17, 0, 0).unwrap());
    options.tz = "America/New_York".parse().unwrap();
    let built = report::build(&store, &generated.deployments, &reserves(&generated), &options).unwrap();
    // November 2nd closes at 17:00 EST = 22:00 UTC.
    assert_eq!(built.days[1].closes_at, NOVEMBER_1 + DAY + 22 * 3_600);
    // Every event lands in exactly one day: the month's mints after Oct 31 17:00 EDT (21:00 UTC).
    let reported: u64 = built.deployments.iter().flat_map(|deployment| deployment.days.iter().map(|day| day.mints)).sum();
    let generated_mints: u64 = generated.expected.iter().flatten().map(|day| day.mints).sum();
    // The opening mint at Oct 31 23:00 UTC is after Oct 31's 21:00 UTC close: it counts on Nov 1.
    assert_eq!(reported, generated_mints + 3);
}

/// A small store for one deployment: (unix time, event) pairs, in seq order.
fn small_store(directory: &std::path::Path, events: &[(i64, Usd1Event)]) -> (Store, Vec<Deployment>) {
    let mut store = Store::open(&directory.join("small.sqlite")).unwrap();
    let records: Vec<Value> = events
        .iter()
        .enumerate()
        .map(|(index, (time, event))| json!({"signature": format!("small-{index}"), "slot": index, "block_time": time, "events": [event.to_json()]}))
        .collect();
    index_cluster_records(&mut store, "GenesisSmall", records).unwrap();
    let mint = events[0].1.to_json()["mint"].as_str().unwrap().to_string();
    (store, vec![Deployment { name: "small".into(), cluster: "GenesisSmall".into(), mint, freshness: Freshness::NotChecked }])
}

fn minted(seq: u64, amount: u64, supply: u64) -> Usd1Event {
    let mint = Pubkey::new_from_array([33; 32]);
    Usd1Event::Minted(Minted { mint, seq, minter: mint, recipient: mint, amount: amount * TOKEN, reference_hash: [seq as u8; 32], supply: supply * TOKEN, remaining_allowance: 0 })
}

fn dated_row(date: &str, amount: u64) -> ReserveEntry {
    let parsed = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    ReserveEntry { as_of: date.into(), as_of_secs: parsed.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp(), amount: amount * TOKEN, source: String::new(), date: Some(parsed) }
}

/// A row dated the 17th is the 17th's figure in New York too: it does not judge the 16th, whose
/// close (midnight in New York, 05:00 UTC on the 17th) comes after the 17th began in UTC.
#[test]
fn a_dated_reserves_row_judges_its_own_calendar_day_in_the_report_time_zone() {
    let directory = tempfile::tempdir().unwrap();
    let nov_16_noon = NOVEMBER_1 + 15 * DAY + 12 * 3_600;
    let nov_16_evening_new_york = NOVEMBER_1 + 16 * DAY + 2 * 3_600; // 21:00 EST on the 16th
    let (store, deployments) = small_store(directory.path(), &[(nov_16_noon, minted(1, 100, 100)), (nov_16_evening_new_york, minted(2, 50, 150))]);
    let mut options = november(false);
    options.from = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    options.to = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
    options.tz = "America/New_York".parse().unwrap();
    let reserves = [dated_row("2026-11-16", 120), dated_row("2026-11-17", 1_000)];
    let built = report::build(&store, &deployments, &reserves, &options).unwrap();
    assert_eq!(built.total_supply(), [150 * TOKEN, 150 * TOKEN]);
    assert_eq!(built.day_status(), ["SHORT", "OK"]);
    assert_eq!(built.reserves[0].as_ref().unwrap().as_of, "2026-11-16");
}

#[test]
fn a_stale_reserves_figure_and_an_attestation_below_the_bank_figure_are_findings() {
    let directory = tempfile::tempdir().unwrap();
    let mint = Pubkey::new_from_array([33; 32]);
    let attested = Usd1Event::ReservesAttested(ReservesAttested { mint, seq: 2, attester: mint, amount: 90 * TOKEN, report_hash: [0; 32], as_of: NOVEMBER_1 + 2 * DAY, supply: 10 * TOKEN });
    let (store, deployments) = small_store(directory.path(), &[(NOVEMBER_1 + 3_600, minted(1, 10, 10)), (NOVEMBER_1 + 2 * DAY + 3_600, attested)]);
    let mut options = november(false);
    options.to = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap();
    let built = report::build(&store, &deployments, &[dated_row("2026-11-01", 100)], &options).unwrap();
    // Seven days old is still fresh (the 8th); the 9th and 10th are judged by a stale figure.
    let status = built.day_status();
    assert_eq!(status[7], "OK");
    assert_eq!(&status[8..], ["STALE_RESERVES_FIGURE", "STALE_RESERVES_FIGURE"]);
    let findings = built.findings();
    assert!(findings.contains(&"2026-11-09: the latest reserves figure (2026-11-01) is 8 days old (more than 7)".to_string()), "{findings:?}");
    assert!(
        findings.contains(&"small: the on-chain attestation seq 2 (as of 2026-11-03) says 90, below the reserves file's 100 (as of 2026-11-01)".to_string()),
        "{findings:?}"
    );
}

#[test]
fn midnight_cutoffs_and_daylight_saving_gaps_close_each_day_once() {
    let mut options = november(false);
    let end_of_day = report::days(&options);
    options.cutoff = Some(NaiveTime::MIN);
    assert_eq!(report::days(&options), end_of_day, "--cutoff 00:00 is the day's end");
    // Santiago springs forward at midnight on 2026-09-06 (00:00 -> 01:00): September 5th closes
    // at 01:00 local (UTC-3), the same instant its midnight would have been at UTC-4.
    options.tz = "America/Santiago".parse().unwrap();
    options.cutoff = None;
    options.from = NaiveDate::from_ymd_opt(2026, 9, 5).unwrap();
    options.to = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
    let days = report::days(&options);
    let utc = |time: i64| chrono::DateTime::from_timestamp(time, 0).unwrap().format("%Y-%m-%dT%H:%MZ").to_string();
    assert_eq!(utc(days[0].closes_at), "2026-09-06T04:00Z");
    assert_eq!(days[1].opens_at, days[0].closes_at);
    assert_eq!(utc(days[1].closes_at), "2026-09-07T03:00Z");
}
