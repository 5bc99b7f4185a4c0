//! Mints per second through `usd1 localnet` (JSON-RPC over HTTP, `solana-rpc-client`) beside
//! the same mints on the in-process ledger, and the indexer's paging rate through localnet
//! (`getSignaturesForAddress` pages of 1,000 + one `getTransaction` per signature). With
//! `USD1_CLUSTER_URL` (agave's `solana-test-validator`, as `scripts/validator-e2e.sh` starts
//! it) the same client runs the same mints against that cluster too.
//!
//!     cargo build -p usd1-cli && cargo run -p usd1-tests --example localnet_throughput [MINTS]
//!
//! Two ways to send over RPC: one at a time (`send_and_confirm_transaction`, what the CLI does:
//! latency-bound on a validator, which confirms a slot or two later) and pipelined (every
//! transaction sent, then their statuses polled in batches of 256 until all are confirmed).
//! A benchmark, not a test: it prints a Markdown table for BENCHMARKS.md.
//!
//!     cargo run -p usd1-tests --example localnet_throughput -- ledger-latency [MINTS]
//!
//! measures instead the per-mint latency of `usd1 localnet --ledger FILE` (the operator store,
//! written on every transaction) over MINTS one-at-a-time mints, per window of a tenth of them.
use solana_commitment_config::CommitmentConfig;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_rpc_client::{nonblocking::rpc_client::RpcClient, rpc_client::GetConfirmedSignaturesForAddress2Config};
use solana_rpc_client_api::config::RpcTransactionConfig;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_status_client_types::UiTransactionEncoding;
use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::Instant,
};
use usd1_client::{instructions, pda, reference_hash, transfer, InitializeParams, ProposalKind};
use usd1_ledger::{Ledger, DEFAULT_FUNDING_LAMPORTS};

const ONE: u64 = 1_000_000;

/// The identities of one deployment.
struct Keys {
    admin: Keypair,
    council: [Keypair; 3],
    master: Keypair,
    minter: Keypair,
    mint: Keypair,
    alice: Keypair,
}

impl Keys {
    fn new() -> Keys {
        Keys { admin: Keypair::new(), council: std::array::from_fn(|_| Keypair::new()), master: Keypair::new(), minter: Keypair::new(), mint: Keypair::new(), alice: Keypair::new() }
    }

    fn funded(&self) -> Vec<Pubkey> {
        let mut keys = vec![self.admin.pubkey(), self.master.pubkey(), self.minter.pubkey(), self.alice.pubkey()];
        keys.extend(self.council.iter().map(Keypair::pubkey));
        keys
    }

    /// Initialize, a minter with an allowance, Alice's token account: (instructions, signers) per transaction.
    fn setup(&self) -> Vec<(Vec<Instruction>, Vec<&Keypair>)> {
        let mint = self.mint.pubkey();
        let [c0, c1, c2] = &self.council;
        let params = InitializeParams {
            decimals: 6,
            name: "USD1".into(),
            symbol: "USD1".into(),
            uri: "https://example.com/usd1.json".into(),
            council: self.council.iter().map(Keypair::pubkey).collect(),
            threshold: 2,
            master_minter: self.master.pubkey(),
            pauser: Keypair::new().pubkey(),
            denylister: Keypair::new().pubkey(),
            burner: Keypair::new().pubkey(),
            attester: Keypair::new().pubkey(),
            supply_cap: None,
            timelock_secs: 0,
            proposal_ttl_secs: 86_400,
            reserve_gate: false,
            attestation_max_age_secs: 86_400,
            onboarder: None,
            onboarding_required: false,
        };
        let kind = ProposalKind::SetAllowance { minter: self.minter.pubkey(), amount: 1_000_000_000 * ONE };
        vec![
            (vec![instructions::initialize(&self.admin.pubkey(), &mint, params)], vec![&self.admin, &self.mint]),
            (vec![instructions::configure_minter(&self.master.pubkey(), &mint, &self.minter.pubkey(), None)], vec![&self.master]),
            (vec![instructions::propose(&c0.pubkey(), &mint, 0, kind)], vec![c0]),
            (vec![instructions::approve(&c1.pubkey(), &mint, 0)], vec![c1]),
            (vec![instructions::execute(&c2.pubkey(), &mint, 0, &c0.pubkey(), Some(&self.minter.pubkey()))], vec![c2]),
            (vec![transfer::create_associated_token_account(&self.alice.pubkey(), &self.alice.pubkey(), &mint)], vec![&self.alice]),
        ]
    }

    fn mint_instruction(&self, index: usize) -> Instruction {
        instructions::mint(&self.minter.pubkey(), &self.minter.pubkey(), &self.mint.pubkey(), &self.alice.pubkey(), ONE, reference_hash(&format!("wire-{index}")), i64::MAX)
    }
}

async fn in_process(mints: usize) -> f64 {
    let mut ledger = Ledger::start().await;
    let keys = Keys::new();
    for key in keys.funded() {
        ledger.fund(&key, DEFAULT_FUNDING_LAMPORTS);
    }
    for (instructions, signers) in keys.setup() {
        ledger.send(&instructions, &signers).await.expect("setup");
    }
    let start = Instant::now();
    for index in 0..mints {
        ledger.send(&[keys.mint_instruction(index)], &[&keys.minter]).await.expect("mint");
    }
    mints as f64 / start.elapsed().as_secs_f64()
}

async fn send(client: &RpcClient, payer: &Keypair, instructions: &[Instruction], signers: &[&Keypair]) {
    let blockhash = client.get_latest_blockhash().await.expect("blockhash");
    let mut all: Vec<&Keypair> = vec![payer];
    all.extend(signers.iter().copied().filter(|signer| signer.pubkey() != payer.pubkey()));
    let transaction = Transaction::new_signed_with_payer(instructions, Some(&payer.pubkey()), &all, blockhash);
    client.send_and_confirm_transaction(&transaction).await.expect("send");
}

/// Send every transaction, then poll their statuses until all are confirmed; mints per second.
async fn pipelined(client: &RpcClient, payer: &Keypair, keys: &Keys, first: usize, mints: usize) -> f64 {
    let start = Instant::now();
    let mut pending = Vec::with_capacity(mints);
    let mut blockhash = client.get_latest_blockhash().await.expect("blockhash");
    for index in first..first + mints {
        if (index - first) % 200 == 199 {
            blockhash = client.get_latest_blockhash().await.expect("blockhash");
        }
        let transaction = Transaction::new_signed_with_payer(&[keys.mint_instruction(index)], Some(&payer.pubkey()), &[payer, &keys.minter], blockhash);
        pending.push(client.send_transaction(&transaction).await.expect("send"));
    }
    while !pending.is_empty() {
        let mut still = Vec::new();
        for batch in pending.chunks(256) {
            let statuses = client.get_signature_statuses(batch).await.expect("statuses").value;
            for (signature, status) in batch.iter().zip(statuses) {
                match status {
                    Some(status) if status.satisfies_commitment(CommitmentConfig::confirmed()) => {
                        assert!(status.err.is_none(), "mint {signature} failed: {:?}", status.err)
                    }
                    _ => still.push(*signature),
                }
            }
        }
        pending = still;
        if !pending.is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    mints as f64 / start.elapsed().as_secs_f64()
}

/// One deployment through `url`: (one at a time over `sequential` mints, pipelined over
/// `mints`, indexer paging per second, transactions paged).
async fn through_rpc(url: String, sequential: usize, mints: usize) -> (f64, f64, f64, usize) {
    let client = RpcClient::new_with_commitment(url, CommitmentConfig::confirmed());
    let keys = Keys::new();
    let payer = Keypair::new();
    for key in keys.funded().into_iter().chain([payer.pubkey()]) {
        let signature = client.request_airdrop(&key, 100 * DEFAULT_FUNDING_LAMPORTS / 100).await.expect("airdrop");
        while !client.confirm_transaction(&signature).await.unwrap() {}
    }
    for (instructions, signers) in keys.setup() {
        send(&client, &payer, &instructions, &signers).await;
    }
    let start = Instant::now();
    for index in 0..sequential {
        send(&client, &payer, &[keys.mint_instruction(index)], &[&keys.minter]).await;
    }
    let one_at_a_time = sequential as f64 / start.elapsed().as_secs_f64();
    let pipelined = pipelined(&client, &payer, &keys, sequential, mints).await;

    // The indexer's path: page the Config's signatures, fetch each transaction.
    let config = pda::config_address(&keys.mint.pubkey());
    let start = Instant::now();
    let (mut before, mut fetched) = (None, 0usize);
    loop {
        let page = client
            .get_signatures_for_address_with_config(&config, GetConfirmedSignaturesForAddress2Config { before, until: None, limit: Some(1_000), commitment: Some(CommitmentConfig::confirmed()) })
            .await
            .expect("signatures");
        for status in &page {
            let config = RpcTransactionConfig { encoding: Some(UiTransactionEncoding::Base64), commitment: Some(CommitmentConfig::confirmed()), max_supported_transaction_version: Some(0) };
            client.get_transaction_with_config(&status.signature.parse().unwrap(), config).await.expect("transaction");
            fetched += 1;
        }
        if page.len() < 1_000 {
            break;
        }
        before = page.last().map(|status| status.signature.parse().unwrap());
    }
    let paging = fetched as f64 / start.elapsed().as_secs_f64();
    (one_at_a_time, pipelined, paging, fetched)
}

/// `usd1 localnet` on `binary`, with `extra` arguments: (the child, its URL).
fn start_localnet(binary: &std::path::Path, extra: &[&str]) -> (std::process::Child, String) {
    let mut localnet = Command::new(binary).args(extra).args(["--output", "json", "localnet", "--port", "0"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("start localnet");
    let mut banner = String::new();
    BufReader::new(localnet.stdout.take().unwrap()).read_line(&mut banner).unwrap();
    let url = serde_json::from_str::<serde_json::Value>(&banner).unwrap()["url"].as_str().unwrap().to_string();
    (localnet, url)
}

/// Per-mint latency through `usd1 localnet --ledger FILE`, one mint at a time, by window.
async fn ledger_latency(binary: &std::path::Path, mints: usize) {
    let directory = tempfile::tempdir().unwrap();
    let ledger = directory.path().join("latency.ledger");
    let (mut localnet, url) = start_localnet(binary, &["--ledger", ledger.to_str().unwrap()]);
    let client = RpcClient::new_with_commitment(url, CommitmentConfig::confirmed());
    let keys = Keys::new();
    let payer = Keypair::new();
    for key in keys.funded().into_iter().chain([payer.pubkey()]) {
        let signature = client.request_airdrop(&key, DEFAULT_FUNDING_LAMPORTS).await.expect("airdrop");
        while !client.confirm_transaction(&signature).await.unwrap() {}
    }
    for (instructions, signers) in keys.setup() {
        send(&client, &payer, &instructions, &signers).await;
    }
    let window = (mints / 10).max(1);
    println!("| mints | median ms | p99 ms | ledger file MB after |");
    println!("|---|---|---|---|");
    let mut latencies = Vec::with_capacity(window);
    for index in 0..mints {
        let start = Instant::now();
        send(&client, &payer, &[keys.mint_instruction(index)], &[&keys.minter]).await;
        latencies.push(start.elapsed().as_secs_f64() * 1_000.0);
        if latencies.len() == window || index + 1 == mints {
            latencies.sort_by(f64::total_cmp);
            let median = latencies[latencies.len() / 2];
            let p99 = latencies[(latencies.len() * 99 / 100).min(latencies.len() - 1)];
            let size: u64 = ["", "-wal"].iter().filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", ledger.display())).ok()).map(|metadata| metadata.len()).sum();
            println!("| {}-{} | {median:.1} | {p99:.1} | {:.1} |", index + 2 - latencies.len(), index + 1, size as f64 / 1e6);
            latencies.clear();
        }
    }
    let _ = localnet.kill();
}

#[tokio::main]
async fn main() {
    let binary = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/usd1");
    assert!(binary.exists(), "build the CLI first: cargo build -p usd1-cli");
    if std::env::args().nth(1).as_deref() == Some("ledger-latency") {
        let mints: usize = std::env::args().nth(2).and_then(|text| text.parse().ok()).unwrap_or(20_000);
        return ledger_latency(&binary, mints).await;
    }
    let mints: usize = std::env::args().nth(1).and_then(|text| text.parse().ok()).unwrap_or(500);
    let (mut localnet, url) = start_localnet(&binary, &[]);
    let through_localnet = through_rpc(url, mints, mints).await;
    let _ = localnet.kill();
    // A validator confirms each transaction a slot or two later: one at a time is latency-bound,
    // so fewer of those.
    let agave = match std::env::var("USD1_CLUSTER_URL").ok().filter(|url| !url.is_empty()) {
        Some(url) => Some(through_rpc(url, mints.min(100), mints).await),
        None => None,
    };

    let local = in_process(mints).await;
    println!("| path | one at a time: mints | per second | pipelined: mints | per second | indexer paging per second |");
    println!("|---|---|---|---|---|---|");
    println!("| in-process ledger (`Ledger::send`: simulate + commit) | {mints} | {local:.0} | | | |");
    let (sequential, pipelined, paging, fetched) = through_localnet;
    println!("| `usd1 localnet` (HTTP) | {mints} | {sequential:.0} | {mints} | {pipelined:.0} | {paging:.0} ({fetched} transactions) |");
    if let Some((sequential, pipelined, paging, fetched)) = agave {
        println!("| agave `solana-test-validator` 3.1.12 (HTTP) | {} | {sequential:.1} | {mints} | {pipelined:.0} | {paging:.0} ({fetched} transactions) |", mints.min(100));
    }
}
