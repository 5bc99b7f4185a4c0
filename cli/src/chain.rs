//! Where transactions go: the embedded ledger (optionally kept in a ledger file, the
//! operator store of `ledger_store.rs`, so that separate processes share one ledger) or a
//! cluster over RPC.
use anyhow::{anyhow, bail, Context};
use serde_json::Value;
use solana_account::{Account, AccountSharedData};
use solana_commitment_config::CommitmentConfig;
use solana_hash::Hash;
use solana_pubkey::Pubkey;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::config::RpcTransactionConfig;
use solana_transaction::Transaction;
use solana_transaction_status_client_types::{option_serializer::OptionSerializer, UiInstruction, UiTransactionEncoding};
use std::{
    collections::BTreeSet,
    path::PathBuf,
};
use usd1_client::{
    accounts::{decode_config, decode_proposal, decode_redemption_request, decode_token_account, MintInfo, TokenAccountInfo},
    events::{decode_inner_instructions, Usd1Event},
    pda, Config, Proposal, RedemptionRequest,
};
use usd1_ledger::{Failure, Ledger, ProgramBuild, ResumePoint, DEFAULT_FUNDING_LAMPORTS};

use crate::ledger_store::{Changes, LedgerStore, StoredAccount};

/// An executed transaction as the CLI reports and records it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub signature: String,
    pub slot: u64,
    pub block_time: Option<i64>,
    pub events: Vec<Usd1Event>,
}

impl Sent {
    /// The `--record` line: the shape `usd1 index` reads; each event also carries `raw`, its
    /// instruction data in base64.
    pub fn record(&self) -> Value {
        serde_json::json!({
            "signature": self.signature,
            "slot": self.slot,
            "block_time": self.block_time,
            "events": self.events.iter().map(Usd1Event::to_json_with_raw).collect::<Vec<_>>(),
        })
    }
}

/// Where an embedded ledger is kept (`--ledger`): its file, and how the command opens it.
#[derive(Clone, Debug)]
pub struct LedgerFile {
    pub path: PathBuf,
    /// Whether a missing file may be created (commands that start a ledger); otherwise a
    /// missing file is refused, naming the path.
    pub create: bool,
    /// Whether this process serves the file until stopped (`usd1 localnet`): other writers are
    /// refused at once instead of waiting.
    pub serving: bool,
}

pub struct Embedded {
    pub(crate) ledger: Ledger,
    /// The operator store it is kept in (`--ledger`), locked for this process.
    store: Option<LedgerStore>,
    /// Every account a transaction or funding touched: what account scans (program
    /// accounts, token accounts by owner) cover.
    known: BTreeSet<Pubkey>,
    /// Accounts touched since the last write to the store.
    dirty: BTreeSet<Pubkey>,
    transactions: Vec<Value>,
    /// `usd1 localnet`'s transaction history, kept across restarts.
    pub(crate) rpc_history: Vec<Value>,
    /// This ledger's cluster identity: the first start's genesis hash, kept in the state file.
    pub(crate) genesis_hash: Hash,
}

impl Embedded {
    /// Whether the program's own log lines already reach this process's stderr: the native
    /// program prints them; from a `.so` they are only in the transaction's logs.
    pub fn program_prints_its_logs(&self) -> bool {
        !self.ledger.program_build().is_sbf()
    }

    /// Whether this ledger is kept in a ledger file (`--ledger`).
    pub fn has_state_file(&self) -> bool {
        self.store.is_some()
    }

    /// Every account a transaction or funding touched.
    pub fn known(&self) -> &BTreeSet<Pubkey> {
        &self.known
    }

    /// Note accounts a transaction or funding may have changed (written at the next save).
    pub fn touch(&mut self, keys: impl IntoIterator<Item = Pubkey>) {
        for key in keys {
            self.known.insert(key);
            self.dirty.insert(key);
        }
    }

    /// Write what changed since the last write (the touched accounts, the clock, new
    /// transaction records) to the store as one SQLite transaction; nothing without a store.
    pub async fn persist(&mut self) -> anyhow::Result<()> {
        let Some(store) = self.store.as_mut() else { return Ok(()) };
        let point = self.ledger.resume_point().await?;
        let unix_timestamp = self.ledger.clock().await?.unix_timestamp;
        let mut accounts = Vec::new();
        // The touched set is cleared only once the write committed: a failed write leaves it
        // for the next one (the transaction's record and its accounts are written together).
        for key in self.dirty.iter().copied() {
            // Programs, sysvars and the instructions sysvar come with every fresh ledger: store only state.
            if key == solana_sdk_ids::sysvar::instructions::ID {
                continue;
            }
            let account = self.ledger.account(&key).await?;
            let stored = match account {
                Some(account) if account.executable || account.owner == solana_sdk_ids::sysvar::ID => continue,
                Some(account) if account.lamports > 0 => Some(StoredAccount {
                    address: key.to_string(),
                    lamports: account.lamports,
                    owner: account.owner.to_string(),
                    executable: account.executable,
                    data: account.data,
                }),
                _ => None,
            };
            accounts.push((key.to_string(), stored));
        }
        let (saved_transactions, saved_rpc_history) = store.saved_counts();
        store.save(Changes {
            unix_timestamp,
            slot: point.slot,
            tick_counter: point.tick_counter,
            genesis_hash: self.genesis_hash.to_string(),
            accounts,
            new_transactions: &self.transactions[saved_transactions.min(self.transactions.len())..],
            new_rpc_history: &self.rpc_history[saved_rpc_history.min(self.rpc_history.len())..],
        })?;
        self.dirty.clear();
        Ok(())
    }
}

pub enum Chain {
    Embedded(Box<Embedded>),
    Rpc(RpcClient),
}

/// The RPC URL for a moniker (`localhost`, `devnet`, `testnet`, `mainnet-beta`) or a URL.
pub fn resolve_url(url: &str) -> String {
    match url {
        "localhost" | "l" => "http://127.0.0.1:8899".into(),
        "devnet" | "d" => "https://api.devnet.solana.com".into(),
        "testnet" | "t" => "https://api.testnet.solana.com".into(),
        "mainnet-beta" | "m" => "https://api.mainnet-beta.solana.com".into(),
        other => other.into(),
    }
}

/// The commitment history is read at: the client's, but `confirmed` at least (a node keeps no
/// `processed` history: getSignaturesForAddress and getTransaction refuse it).
pub fn history_commitment(client: &RpcClient) -> CommitmentConfig {
    if client.commitment().is_at_least_confirmed() {
        client.commitment()
    } else {
        CommitmentConfig::confirmed()
    }
}

/// A URL as it may be shown: no query string, no user or password (an API key must not reach
/// logs or reports).
pub fn redact_url(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_once('/').map(|(host, path)| (host, format!("/{path}"))).unwrap_or((rest, String::new()));
            let host = host.rsplit_once('@').map(|(_, host)| host).unwrap_or(host);
            format!("{scheme}://{host}{path}")
        }
        None => url.to_string(),
    }
}

/// Lamports as SOL for a person: `2039280` -> `0.00203928`.
pub fn lamports_as_sol(lamports: u64) -> String {
    usd1_client::amount::format_amount(lamports, 9)
}

/// `--url` as clap reads it: a moniker or an http(s) URL, anything else refused by name
/// (a typo such as `devnt` would otherwise reach the HTTP client as a URL it cannot build).
pub fn parse_cluster_url(text: &str) -> Result<String, String> {
    let resolved = resolve_url(text);
    let parsed = url_scheme_and_host(&resolved);
    match parsed {
        Some(_) => Ok(resolved),
        None => Err(format!(
            "unknown cluster `{text}`: give localhost, devnet, testnet or mainnet-beta (l, d, t, m), or a URL such as http://127.0.0.1:8899"
        )),
    }
}

/// The scheme and host of an http(s) URL, if it is one.
fn url_scheme_and_host(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    (!host.is_empty() && !host.contains(char::is_whitespace)).then_some((scheme, host))
}

impl Chain {
    /// A fresh embedded ledger running `program_build`, or the one kept in `ledger_file` (see
    /// [`LedgerStore::open`]: locked for this process, created only when allowed).
    pub async fn embedded(ledger_file: Option<LedgerFile>, program_build: &ProgramBuild) -> anyhow::Result<Chain> {
        // The lock first: nothing is read that another writer could still change.
        let opened = ledger_file.as_ref().map(|file| LedgerStore::open(&file.path, file.create, file.serving)).transpose()?;
        let ledger = Ledger::try_start(program_build.clone()).await?;
        let genesis_hash = ledger.genesis_hash();
        let mut embedded =
            Embedded { ledger, store: None, known: BTreeSet::new(), dirty: BTreeSet::new(), transactions: vec![], rpc_history: vec![], genesis_hash };
        let mut record_genesis = false;
        if let Some((store, state)) = opened {
            let path = ledger_file.as_ref().map(|file| file.path.display().to_string()).unwrap_or_default();
            for stored in state.accounts {
                let key: Pubkey = stored.address.parse().map_err(|_| anyhow!("ledger {path}: bad key {}", stored.address))?;
                let owner: Pubkey = stored.owner.parse().map_err(|_| anyhow!("ledger {path}: bad owner of {key}"))?;
                let account = Account { lamports: stored.lamports, data: stored.data, owner, executable: stored.executable, rent_epoch: u64::MAX };
                embedded.ledger.set_account(&key, &AccountSharedData::from(account));
                embedded.known.insert(key);
            }
            embedded.ledger.resume_after(&ResumePoint { slot: state.slot, tick_counter: state.tick_counter }).await?;
            let now = embedded.ledger.clock().await?.unix_timestamp;
            if state.unix_timestamp > now {
                embedded.ledger.warp_secs(state.unix_timestamp - now).await?;
            }
            embedded.transactions = state.transactions;
            embedded.rpc_history = state.rpc_history;
            match state.genesis_hash.filter(|stored| !stored.is_empty()) {
                Some(stored) => embedded.genesis_hash = stored.parse().map_err(|_| anyhow!("ledger {path}: bad genesis hash {stored}"))?,
                // A new ledger, or one from before the genesis hash was kept: this start's
                // becomes the ledger's for good, written now (read-only commands write nothing else).
                None => record_genesis = true,
            }
            embedded.store = Some(store);
        }
        let mut chain = Chain::Embedded(Box::new(embedded));
        if record_genesis {
            chain.save().await?;
        }
        Ok(chain)
    }

    /// Whether the program's log lines already reach stderr (see [`Embedded::program_prints_its_logs`]).
    pub fn program_prints_its_logs(&self) -> bool {
        matches!(self, Chain::Embedded(embedded) if embedded.program_prints_its_logs())
    }

    pub fn rpc(url: &str) -> Chain {
        Chain::rpc_at(url, CommitmentConfig::confirmed())
    }

    /// A cluster read and confirmed at `commitment` (`--commitment`; history is read at
    /// `confirmed` at least, the lowest level it is kept at).
    pub fn rpc_at(url: &str, commitment: CommitmentConfig) -> Chain {
        Chain::Rpc(RpcClient::new_with_commitment(resolve_url(url), commitment))
    }

    /// A cluster that answers: one `getVersion` first, so that an endpoint nobody serves is
    /// said plainly once ("connection refused ... is it running?") instead of surfacing as
    /// a missing account on the first read.
    pub async fn connect(url: &str, commitment: CommitmentConfig) -> anyhow::Result<Chain> {
        let chain = Chain::rpc_at(url, commitment);
        if let Chain::Rpc(client) = &chain {
            if let Err(error) = client.get_version().await {
                // Without the query string or credentials: an API key must not reach logs.
                let url = redact_url(&client.url());
                let text = error.to_string();
                let reason = if text.contains("dns error") || text.contains("failed to lookup address") {
                    "its host name does not resolve: check --url".to_string()
                } else if text.contains("Connection refused") || text.contains("tcp connect error") || text.contains("error sending request") {
                    "nothing answers there (connection refused or unreachable): is the validator or `usd1 localnet` running, and is --url (or the Solana CLI config's json_rpc_url) the right one?".to_string()
                } else {
                    format!("it did not answer getVersion as a Solana JSON-RPC endpoint does: {text}")
                };
                bail!("cannot reach the cluster at {url}: {reason}");
            }
        }
        Ok(chain)
    }

    /// Write what changed on the embedded ledger to its ledger file (no-op otherwise).
    pub async fn save(&mut self) -> anyhow::Result<()> {
        match self {
            Chain::Embedded(embedded) => embedded.persist().await,
            Chain::Rpc(_) => Ok(()),
        }
    }

    /// Whether this chain executed the transaction `signature` (searching its whole history).
    pub async fn has_transaction(&mut self, signature: &str) -> anyhow::Result<bool> {
        Ok(self.landed(signature).await?.is_some())
    }

    /// Whether `signature` landed, and if so its error (`Some(None)`: it succeeded). The
    /// embedded ledger records successful transactions only.
    pub async fn landed(&mut self, signature: &str) -> anyhow::Result<Option<Option<String>>> {
        match self {
            Chain::Embedded(embedded) => Ok(embedded.transactions.iter().any(|record| record["signature"] == signature).then_some(None)),
            Chain::Rpc(client) => {
                let parsed: solana_signature::Signature = signature.parse().map_err(|_| anyhow!("bad signature {signature}"))?;
                let statuses = client.get_signature_statuses_with_history(&[parsed]).await?;
                Ok(statuses.value.into_iter().next().flatten().map(|status| status.err.map(|error| error.to_string())))
            }
        }
    }

    /// The cluster's genesis hash: what tells two clusters apart (a deployment is a cluster and a mint).
    pub async fn genesis_hash(&mut self) -> anyhow::Result<Hash> {
        match self {
            Chain::Embedded(embedded) => Ok(embedded.genesis_hash),
            Chain::Rpc(client) => Ok(client.get_genesis_hash().await?),
        }
    }

    pub async fn latest_blockhash(&mut self) -> anyhow::Result<Hash> {
        match self {
            Chain::Embedded(embedded) => Ok(embedded.ledger.latest_blockhash().await?),
            Chain::Rpc(client) => Ok(client.get_latest_blockhash().await?),
        }
    }

    /// A blockhash different from the last one (to send an identical transaction again).
    pub async fn refresh_blockhash(&mut self) -> anyhow::Result<Hash> {
        match self {
            Chain::Embedded(embedded) => Ok(embedded.ledger.refresh_blockhash().await?),
            Chain::Rpc(client) => Ok(client.get_new_latest_blockhash(&client.get_latest_blockhash().await?).await?),
        }
    }

    /// Lamports an account of `data_len` bytes needs to be rent-exempt.
    pub async fn rent_exempt_minimum(&mut self, data_len: usize) -> anyhow::Result<u64> {
        match self {
            Chain::Embedded(embedded) => Ok(embedded.ledger.rent_exempt_minimum(data_len).await?),
            Chain::Rpc(client) => Ok(client.get_minimum_balance_for_rent_exemption(data_len).await?),
        }
    }

    pub async fn account(&mut self, key: &Pubkey) -> anyhow::Result<Option<Account>> {
        match self {
            Chain::Embedded(embedded) => Ok(embedded.ledger.account(key).await?),
            Chain::Rpc(client) => Ok(client.get_account_with_commitment(key, client.commitment()).await?.value),
        }
    }

    /// On a cluster, refuse before sending when the fee payer cannot pay `transaction`'s fee,
    /// saying how many lamports it has and needs (the embedded ledger funds its payers).
    pub async fn check_fee_payer(&mut self, transaction: &Transaction) -> anyhow::Result<()> {
        let Chain::Rpc(client) = self else { return Ok(()) };
        let Some(payer) = transaction.message.account_keys.first() else { return Ok(()) };
        // At confirmed whatever --commitment says: a fresh airdrop is not refused for ~13 s at finalized.
        let balance = client.get_balance_with_commitment(payer, CommitmentConfig::confirmed()).await?.value;
        // The cluster's own fee for this message (signatures and priority fee); 5,000 lamports
        // per signature when it cannot say (a durable-nonce message's blockhash is no recent one).
        let fee = match client.get_fee_for_message(&transaction.message).await {
            Ok(fee) => fee,
            Err(_) => 5_000 * u64::from(transaction.message.header.num_required_signatures),
        };
        if balance < fee {
            bail!(
                "fee payer {payer} has {} lamports ({} SOL) and this transaction's fee is {fee} lamports ({} SOL): fund it (`usd1 airdrop --to {payer}` on localnet, a local validator or devnet; a SOL transfer elsewhere), or name another with --fee-payer",
                balance,
                lamports_as_sol(balance),
                lamports_as_sol(fee)
            );
        }
        Ok(())
    }

    /// Make sure `key` can pay fees: the embedded ledger funds it; on a cluster it must already be funded.
    pub async fn ensure_funded(&mut self, key: &Pubkey) -> anyhow::Result<()> {
        match self {
            Chain::Embedded(embedded) => {
                let lamports = embedded.ledger.account(key).await?.map(|account| account.lamports).unwrap_or(0);
                if lamports < DEFAULT_FUNDING_LAMPORTS / 10 {
                    embedded.ledger.fund(key, DEFAULT_FUNDING_LAMPORTS);
                    embedded.touch([*key]);
                }
                Ok(())
            }
            Chain::Rpc(_) => Ok(()),
        }
    }

    /// Fund a drill identity: set on the embedded ledger, airdropped on a cluster that allows it.
    pub async fn airdrop(&mut self, key: &Pubkey) -> anyhow::Result<()> {
        match self {
            Chain::Embedded(_) => self.ensure_funded(key).await,
            Chain::Rpc(_) => self.airdrop_lamports(key, 2_000_000_000).await,
        }
    }

    /// Fund several drill identities at once: on a cluster every airdrop is requested first,
    /// then all are awaited together (a validator confirms each a slot or two later).
    pub async fn airdrop_all(&mut self, keys: &[Pubkey]) -> anyhow::Result<()> {
        let Chain::Rpc(client) = self else {
            for key in keys {
                self.airdrop(key).await?;
            }
            return Ok(());
        };
        let mut pending = Vec::with_capacity(keys.len());
        for key in keys {
            pending.push(client.request_airdrop(key, 2_000_000_000).await.context("airdrop (the cluster must allow airdrops for drills)")?);
        }
        for _ in 0..120 {
            let statuses = client.get_signature_statuses(&pending).await?.value;
            let mut waiting = Vec::new();
            for (signature, status) in pending.iter().zip(statuses) {
                match status {
                    Some(status) if status.satisfies_commitment(client.commitment()) => {
                        if let Some(error) = status.err {
                            bail!("airdrop {signature} failed: {error}");
                        }
                    }
                    _ => waiting.push(*signature),
                }
            }
            if waiting.is_empty() {
                return Ok(());
            }
            pending = waiting;
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        bail!("{} airdrops were not confirmed in 24 s", pending.len())
    }

    /// `lamports` to `key`: added on the embedded ledger, from the cluster's faucet otherwise
    /// (confirmed before it returns).
    pub async fn airdrop_lamports(&mut self, key: &Pubkey, lamports: u64) -> anyhow::Result<()> {
        match self {
            Chain::Embedded(embedded) => {
                let existing = embedded.ledger.account(key).await?;
                if let Some(account) = existing.as_ref().filter(|account| !account.data.is_empty() || account.owner != solana_sdk_ids::system_program::ID) {
                    bail!("{key} is an account of program {} with data: an embedded ledger's airdrop funds wallets only", account.owner);
                }
                let balance = existing.map_or(0, |account| account.lamports);
                embedded.ledger.fund(key, balance.saturating_add(lamports));
                embedded.touch([*key]);
                Ok(())
            }
            Chain::Rpc(client) => {
                let signature = client.request_airdrop(key, lamports).await.context("airdrop (the cluster must allow airdrops: a local validator, localnet or devnet)")?;
                for _ in 0..60 {
                    if client.confirm_transaction(&signature).await? {
                        return Ok(());
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
                bail!("airdrop to {key} was not confirmed")
            }
        }
    }

    /// Advance the clock (embedded ledger only).
    pub async fn warp(&mut self, secs: i64) -> anyhow::Result<()> {
        match self {
            Chain::Embedded(embedded) => {
                embedded.ledger.warp_secs(secs).await?;
                Ok(())
            }
            Chain::Rpc(client) => {
                // `usd1 localnet` moves its clock on request; a real cluster has no such method.
                let request = solana_rpc_client_api::request::RpcRequest::Custom { method: crate::localnet::WARP_METHOD };
                match client.send::<Value>(request, serde_json::json!([secs])).await {
                    Ok(_) => Ok(()),
                    Err(error) if error.to_string().contains("Method not found") => {
                        bail!("warp needs the embedded ledger or a `usd1 localnet` endpoint: this cluster's clock cannot be moved")
                    }
                    Err(error) => Err(error).context("warp"),
                }
            }
        }
    }

    pub async fn unix_timestamp(&mut self) -> anyhow::Result<i64> {
        match self {
            Chain::Embedded(embedded) => Ok(embedded.ledger.clock().await?.unix_timestamp),
            Chain::Rpc(client) => {
                let slot = client.get_slot().await?;
                Ok(client.get_block_time(slot).await?)
            }
        }
    }

    /// Submit a signed transaction; on success its decoded events.
    pub async fn send(&mut self, transaction: Transaction) -> Result<Sent, Failure> {
        match self {
            Chain::Embedded(embedded) => {
                embedded.touch(transaction.message.account_keys.iter().copied());
                let executed = embedded.ledger.send_transaction(transaction).await?;
                let block_time = embedded.ledger.clock().await.ok().map(|clock| clock.unix_timestamp);
                let sent = Sent { signature: executed.signature.to_string(), slot: executed.slot, block_time, events: executed.events };
                embedded.transactions.push(sent.record());
                // One store write per ledger transaction: what the CLI reports as done is kept.
                embedded.persist().await.map_err(|error| Failure::Ledger(format!("the transaction executed but writing the ledger file failed: {error:#}")))?;
                Ok(sent)
            }
            Chain::Rpc(client) => rpc_send(client, transaction).await,
        }
    }

    /// Simulate without committing: the events it would emit, or why it would fail.
    pub async fn simulate(&mut self, transaction: Transaction) -> Result<Sent, Failure> {
        match self {
            Chain::Embedded(embedded) => {
                let executed = embedded.ledger.simulate(&transaction).await?;
                Ok(Sent { signature: executed.signature.to_string(), slot: executed.slot, block_time: None, events: executed.events })
            }
            Chain::Rpc(client) => {
                let response = client.simulate_transaction(&transaction).await.map_err(failure_from_rpc)?;
                let logs = response.value.logs.unwrap_or_default();
                if let Some(error) = response.value.err {
                    return Err(Failure::from_transaction_error(error.into(), logs));
                }
                Ok(Sent { signature: transaction.signatures[0].to_string(), slot: response.context.slot, block_time: None, events: vec![] })
            }
        }
    }

    /// The compute units a transaction uses, from a simulation (its error when it would fail).
    pub async fn simulated_units(&mut self, transaction: Transaction) -> Result<u64, Failure> {
        match self {
            Chain::Embedded(embedded) => Ok(embedded.ledger.simulate(&transaction).await?.units_consumed),
            Chain::Rpc(client) => {
                let response = client.simulate_transaction(&transaction).await.map_err(failure_from_rpc)?;
                let logs = response.value.logs.unwrap_or_default();
                if let Some(error) = response.value.err {
                    return Err(Failure::from_transaction_error(error.into(), logs));
                }
                Ok(response.value.units_consumed.unwrap_or(0))
            }
        }
    }

    /// A compute-unit limit for `instructions` when the published one
    /// (`usd1_client::compute_budget::transaction_units`) would be tight: what a simulation at the
    /// runtime's ceiling used, plus the published margin. A key whose address search runs long
    /// (which a hostile wallet can grind for) needs more than the measured worst case. None when
    /// the published limit has its margin, or the simulation could not run (the send reports why).
    pub async fn fitted_compute_limit(&mut self, instructions: &[solana_instruction::Instruction], payer: &Pubkey, keypairs: &[&solana_keypair::Keypair]) -> Option<u32> {
        use usd1_client::compute_budget::{transaction_units, with_compute_unit_limit, MAX_TRANSACTION_UNITS};
        let published = transaction_units(instructions);
        let blockhash = self.latest_blockhash().await.ok()?;
        let probe = with_compute_unit_limit(instructions, MAX_TRANSACTION_UNITS, None);
        let mut message = solana_message::Message::new(&probe, Some(payer));
        message.recent_blockhash = blockhash;
        let transaction = crate::signing::sign(message, keypairs, &[]).ok()?;
        let used = u32::try_from(self.simulated_units(transaction).await.ok()?).ok()?;
        fitted_limit(published, used)
    }

    /// Simulate a durable-nonce transaction. The embedded bank's simulation takes no nonce
    /// value for a blockhash, so there a copy under the current blockhash is simulated (the
    /// caller checks the nonce itself); a cluster simulates it as it is.
    pub async fn simulate_durable(&mut self, transaction: Transaction) -> Result<Sent, Failure> {
        match self {
            Chain::Embedded(embedded) => {
                let mut copy = transaction;
                copy.message.recent_blockhash = embedded.ledger.latest_blockhash().await?;
                let executed = embedded.ledger.simulate(&copy).await?;
                Ok(Sent { signature: executed.signature.to_string(), slot: executed.slot, block_time: None, events: executed.events })
            }
            Chain::Rpc(_) => self.simulate(transaction).await,
        }
    }

    /// Every transaction this embedded ledger executed (its state file keeps them), or,
    /// on a cluster, the transactions touching this mint's Config, oldest first,
    /// newer than `until` (a signature already indexed), paged `page_size` at a time;
    /// with the number of signature pages read.
    pub async fn recorded_transactions(&mut self, mint: &Pubkey, until: Option<&str>, page_size: usize) -> anyhow::Result<(Vec<Value>, usize)> {
        match self {
            Chain::Embedded(embedded) => Ok((embedded.transactions.clone(), 0)),
            Chain::Rpc(client) => {
                use solana_rpc_client::rpc_client::GetConfirmedSignaturesForAddress2Config;
                let config = pda::config_address(mint);
                let until = until.map(|text| text.parse()).transpose().map_err(|_| anyhow!("bad cursor signature"))?;
                let mut signatures = Vec::new();
                let mut before = None;
                let mut pages = 0;
                loop {
                    pages += 1;
                    let page = client
                        .get_signatures_for_address_with_config(
                            &config,
                            GetConfirmedSignaturesForAddress2Config { before, until, limit: Some(page_size), commitment: Some(history_commitment(client)) },
                        )
                        .await?;
                    let full = page.len() == page_size;
                    before = match page.last() {
                        Some(last) => Some(last.signature.parse().map_err(|_| anyhow!("bad signature {}", last.signature))?),
                        None => None,
                    };
                    signatures.extend(page);
                    if !full {
                        break;
                    }
                }
                signatures.reverse();
                signatures.retain(|status| status.err.is_none());
                let bar = crate::people::progress(signatures.len() as u64, "reading transactions");
                let mut records = Vec::new();
                for status in signatures {
                    let signature = status.signature.parse().map_err(|_| anyhow!("bad signature {}", status.signature))?;
                    records.push(rpc_fetch(client, &signature).await?.record());
                    bar.inc(1);
                }
                bar.finish_and_clear();
                Ok((records, pages))
            }
        }
    }

    /// One transaction on a cluster as a record (`signature`, `slot`, `block_time`, decoded `events`).
    pub async fn transaction_record(&mut self, signature: &str) -> anyhow::Result<Value> {
        let parsed = signature.parse().map_err(|_| anyhow!("bad signature {signature}"))?;
        match self {
            Chain::Embedded(_) => bail!("the embedded ledger keeps its transactions in its state file; read them with recorded_transactions"),
            Chain::Rpc(client) => Ok(rpc_fetch(client, &parsed).await?.record()),
        }
    }

    /// The cluster's JSON-RPC URL (`None` for the embedded ledger).
    pub fn rpc_url(&self) -> Option<String> {
        match self {
            Chain::Embedded(_) => None,
            Chain::Rpc(client) => Some(client.url()),
        }
    }

    /// The program's accounts (the embedded ledger knows every account it touched).
    pub async fn program_accounts(&mut self) -> anyhow::Result<Vec<(Pubkey, Account)>> {
        match self {
            Chain::Embedded(embedded) => {
                let mut accounts = Vec::new();
                for key in embedded.known.clone() {
                    if let Some(account) = embedded.ledger.account(&key).await? {
                        if account.owner == usd1_client::PROGRAM_ID && !account.data.is_empty() {
                            accounts.push((key, account));
                        }
                    }
                }
                Ok(accounts)
            }
            Chain::Rpc(client) => Ok(client.get_program_accounts(&usd1_client::PROGRAM_ID).await?),
        }
    }

    pub async fn config(&mut self, mint: &Pubkey) -> anyhow::Result<Config> {
        let address = pda::config_address(mint);
        let at = match self {
            Chain::Rpc(client) if client.commitment().is_finalized() => " at commitment finalized (not initialized, or not finalized yet: finalized lags confirmed by about 13 s)",
            _ => " (not initialized?)",
        };
        let account = self.account(&address).await?.with_context(|| format!("mint {mint} has no USD1 config{at}"))?;
        Ok(decode_config(&account.data)?)
    }

    pub async fn mint_info(&mut self, mint: &Pubkey) -> anyhow::Result<MintInfo> {
        let account = self.account(mint).await?.with_context(|| format!("mint {mint} does not exist"))?;
        Ok(usd1_client::accounts::decode_mint(&account.data)?)
    }

    pub async fn proposal(&mut self, mint: &Pubkey, id: u64) -> anyhow::Result<Option<Proposal>> {
        let address = pda::proposal_address(&pda::config_address(mint), id);
        match self.account(&address).await? {
            Some(account) if !account.data.is_empty() => Ok(Some(decode_proposal(&account.data)?)),
            _ => Ok(None),
        }
    }

    pub async fn redemption_request(&mut self, mint: &Pubkey, holder: &Pubkey, reference_hash: &[u8; 32]) -> anyhow::Result<Option<RedemptionRequest>> {
        let address = pda::redemption_address(&pda::config_address(mint), holder, reference_hash);
        match self.account(&address).await? {
            Some(account) if !account.data.is_empty() => Ok(Some(decode_redemption_request(&account.data)?)),
            _ => Ok(None),
        }
    }

    /// `owner`'s balance in its associated token account.
    pub async fn escrow_balance(&mut self, mint: &Pubkey) -> anyhow::Result<u64> {
        let address = pda::escrow_address(&pda::config_address(mint));
        match self.account(&address).await? {
            Some(account) => Ok(decode_token_account(&account.data)?.amount),
            None => Ok(0),
        }
    }

    /// Every token account of `mint` owned by `owner`, associated or not, with its state.
    /// The associated account comes first, the others in address order.
    pub async fn token_accounts(&mut self, owner: &Pubkey, mint: &Pubkey) -> anyhow::Result<Vec<(Pubkey, TokenAccountInfo)>> {
        let mut found = self.scan_token_accounts(mint, owner).await?;
        usd1_client::accounts::order_wallet_accounts(owner, mint, &mut found);
        Ok(found)
    }

    /// `owner`'s token accounts of `mint`: the embedded ledger scans every account it knows; a
    /// cluster is asked with `getTokenAccountsByOwner` filtered by the mint.
    async fn scan_token_accounts(&mut self, mint: &Pubkey, owner: &Pubkey) -> anyhow::Result<Vec<(Pubkey, TokenAccountInfo)>> {
        let mut found = Vec::new();
        let wanted = |info: &TokenAccountInfo| info.mint == *mint && info.owner == *owner;
        match self {
            Chain::Embedded(embedded) => {
                for key in embedded.known.clone() {
                    if let Some(account) = embedded.ledger.account(&key).await? {
                        if account.owner != usd1_client::TOKEN_2022_PROGRAM_ID {
                            continue;
                        }
                        if let Ok(info) = decode_token_account(&account.data) {
                            if wanted(&info) {
                                found.push((key, info));
                            }
                        }
                    }
                }
            }
            Chain::Rpc(client) => {
                // One wallet's accounts: the cluster's per-owner index (getTokenAccountsByOwner,
                // filtered by the mint), never a scan of every account of the mint.
                use solana_rpc_client_api::{request::RpcRequest, response::{Response, RpcKeyedAccount}};
                let params = serde_json::json!([owner.to_string(), {"mint": mint.to_string()}, {"encoding": "base64", "commitment": "confirmed"}]);
                let response: Response<Vec<RpcKeyedAccount>> = client.send(RpcRequest::GetTokenAccountsByOwner, params).await?;
                for keyed in response.value {
                    let Ok(key) = keyed.pubkey.parse::<Pubkey>() else { continue };
                    let Some(data) = keyed.account.data.decode() else { continue };
                    if let Ok(info) = decode_token_account(&data) {
                        if wanted(&info) {
                            found.push((key, info));
                        }
                    }
                }
            }
        }
        Ok(found)
    }

    /// A token account's state, if `key` holds one.
    pub async fn token_account(&mut self, key: &Pubkey) -> anyhow::Result<Option<TokenAccountInfo>> {
        Ok(match self.account(key).await? {
            Some(account) if account.owner == usd1_client::TOKEN_2022_PROGRAM_ID => decode_token_account(&account.data).ok(),
            _ => None,
        })
    }

    /// The stored durable nonce of a nonce account (the blockhash a nonce transaction uses).
    pub async fn nonce_blockhash(&mut self, nonce_account: &Pubkey) -> anyhow::Result<Hash> {
        let account = self.account(nonce_account).await?.with_context(|| format!("nonce account {nonce_account} does not exist"))?;
        let versions: solana_nonce::versions::Versions =
            bincode::deserialize(&account.data).context("not a nonce account")?;
        match versions.state() {
            solana_nonce::state::State::Initialized(data) => Ok(data.blockhash()),
            solana_nonce::state::State::Uninitialized => bail!("nonce account {nonce_account} is not initialized"),
        }
    }
}

fn failure_from_rpc(error: solana_rpc_client_api::client_error::Error) -> Failure {
    use solana_rpc_client_api::{client_error::ErrorKind, request::RpcError, request::RpcResponseErrorData};
    let logs = match error.kind() {
        ErrorKind::RpcError(RpcError::RpcResponseError { data: RpcResponseErrorData::SendTransactionPreflightFailure(result), .. }) => {
            result.logs.clone().unwrap_or_default()
        }
        _ => vec![],
    };
    match error.get_transaction_error() {
        Some(transaction_error) => Failure::from_transaction_error(transaction_error, logs),
        None => Failure::Ledger(error.to_string()),
    }
}

async fn rpc_send(client: &RpcClient, transaction: Transaction) -> Result<Sent, Failure> {
    // Confirmed at least, whatever --commitment says: the transaction is read back from history,
    // which a node keeps from `confirmed` on (at `processed` the read would miss it and a sent
    // transaction would be reported as failed).
    let signature = client
        .send_and_confirm_transaction_with_spinner_and_commitment(&transaction, history_commitment(client))
        .await
        .map_err(failure_from_rpc)?;
    rpc_fetch(client, &signature).await.map_err(|error| Failure::Ledger(format!("sent {signature}, but reading it back failed: {error}")))
}

/// The limit to ask for when `used` units (simulated) would leave the `published` limit without
/// its margin: `used` with the margin; None when the published limit keeps it.
pub fn fitted_limit(published: u32, used: u32) -> Option<u32> {
    let needed = usd1_client::compute_budget::with_margin(used);
    (needed > published).then_some(needed)
}

#[cfg(test)]
mod tests {
    use super::fitted_limit;
    use usd1_client::compute_budget::{with_margin, MAX_TRANSACTION_UNITS};

    #[test]
    fn a_simulation_raises_a_tight_limit_and_leaves_a_roomy_one() {
        // The published pause limit covers a pause that used its measured units.
        let published = with_margin(14_000) + 9_000;
        assert_eq!(fitted_limit(published, 14_000), None);
        // A key whose address search ran 30 steps long (45,000 more units) gets its own margin.
        assert_eq!(fitted_limit(published, 59_000), Some(with_margin(59_000)));
        assert!(with_margin(59_000) > 59_000 + 30_000);
        // Never past the runtime's ceiling.
        assert_eq!(fitted_limit(published, 1_390_000), Some(MAX_TRANSACTION_UNITS));
    }
}

/// Read a confirmed transaction and decode its events from the inner instructions.
async fn rpc_fetch(client: &RpcClient, signature: &solana_signature::Signature) -> anyhow::Result<Sent> {
    let config = RpcTransactionConfig {
        encoding: Some(UiTransactionEncoding::Base64),
        commitment: Some(history_commitment(client)),
        max_supported_transaction_version: Some(0),
    };
    let confirmed = client.get_transaction_with_config(signature, config).await?;
    let transaction = confirmed.transaction.transaction.decode().context("undecodable transaction")?;
    let keys = transaction.message.static_account_keys().to_vec();
    let mut inner = Vec::new();
    if let Some(meta) = &confirmed.transaction.meta {
        if let Some(err) = &meta.err {
            bail!("transaction {signature} failed: {err:?}");
        }
        if let OptionSerializer::Some(lists) = &meta.inner_instructions {
            for instruction in lists.iter().flat_map(|list| list.instructions.iter()) {
                if let UiInstruction::Compiled(compiled) = instruction {
                    let program_id = *keys.get(usize::from(compiled.program_id_index)).context("bad program index")?;
                    let data = bs58::decode(&compiled.data).into_vec().context("bad instruction data")?;
                    inner.push((program_id, data));
                }
            }
        }
    }
    let events = decode_inner_instructions(inner.iter().map(|(program_id, data)| (*program_id, data.as_slice())))?;
    Ok(Sent { signature: signature.to_string(), slot: confirmed.slot, block_time: confirmed.block_time, events })
}
