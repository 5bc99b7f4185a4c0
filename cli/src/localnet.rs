//! `usd1 localnet`: the embedded ledger (the program natively, Token-2022, ATA and memo as
//! their real BPF builds) served as Solana JSON-RPC over HTTP on 127.0.0.1 (SPEC section 11).
//!
//! JSON-RPC framing, batches, parse errors, unknown methods and body limits are jsonrpsee's;
//! every response body is one of the canonical Solana RPC types (`solana-rpc-client-api`,
//! `solana-transaction-status`, `solana-account-decoder`). One request changes the ledger at a
//! time; reads and writes are serialized by one lock, so concurrent clients are safe.
//!
//! Beyond Solana's methods, one clearly namespaced cheat code for rehearsals:
//! `usd1Localnet_warp [secs]` moves the clock forward and returns the new clock.
#[path = "localnet_pubsub.rs"]
mod pubsub;

use crate::chain::Chain;
use usd1_ledger::ProgramBuild;
use anyhow::{anyhow, Context};
use base64::Engine;
use jsonrpsee::{
    server::{Server, ServerConfig, ServerHandle},
    types::{ErrorObjectOwned, Params},
    Extensions, RpcModule,
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::{json, Value};
use solana_account::Account;
use solana_account_decoder::{
    encode_ui_account,
    parse_account_data::{AccountAdditionalDataV3, SplTokenAdditionalDataV2},
};
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_hash::Hash;
use solana_message::Message;
use solana_pubkey::Pubkey;
use solana_rpc_client_api::{
    config::{
        RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSendTransactionConfig, RpcSignatureStatusConfig,
        RpcSignaturesForAddressConfig, RpcSimulateTransactionConfig, RpcTokenAccountsFilter, RpcTransactionConfig,
    },
    filter::RpcFilterType,
    response::{
        OptionalContext, Response, RpcBlockhash, RpcConfirmedTransactionStatusWithSignature, RpcKeyedAccount, RpcResponseContext,
        RpcSimulateTransactionResult, RpcVersionInfo,
    },
};
use solana_signature::Signature;
use solana_sanitize::Sanitize;
use solana_transaction::{versioned::VersionedTransaction, Transaction};
use solana_transaction_error::TransactionError;
use solana_transaction_status::{
    map_inner_instructions, ConfirmedTransactionWithStatusMeta, TransactionConfirmationStatus, TransactionStatus,
    TransactionStatusMeta, TransactionWithStatusMeta, UiTransactionEncoding, VersionedTransactionWithStatusMeta,
};
use std::{net::SocketAddr, sync::Arc};
use tokio::sync::Mutex;

/// Largest request body served (Solana's RPC accepts 50 KiB).
pub const MAX_REQUEST_BYTES: u32 = 50 * 1024;
/// The cheat code that moves the clock (SPEC 8's `warp` over `--url`).
pub const WARP_METHOD: &str = "usd1Localnet_warp";
/// Lamports one `requestAirdrop` may ask for.
const MAX_AIRDROP_LAMPORTS: u64 = 1_000_000 * 1_000_000_000;

/// Solana's JSON-RPC error codes.
mod code {
    pub const INVALID_REQUEST: i32 = -32600;
    pub const INVALID_PARAMS: i32 = -32602;
    pub const INTERNAL: i32 = -32603;
    pub const SEND_TRANSACTION_PREFLIGHT_FAILURE: i32 = -32002;
    pub const TRANSACTION_SIGNATURE_VERIFICATION_FAILURE: i32 = -32003;
    pub const UNSUPPORTED_TRANSACTION_VERSION: i32 = -32015;
}

fn invalid_params(message: impl std::fmt::Display) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(code::INVALID_PARAMS, format!("Invalid params: {message}"), None::<()>)
}

fn internal(error: impl std::fmt::Display) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(code::INTERNAL, format!("Internal error: {error}"), None::<()>)
}

type RpcResult<T> = Result<T, ErrorObjectOwned>;

/// One transaction the endpoint executed, with what `getTransaction` reports of it.
#[derive(Serialize, Deserialize, Clone)]
struct HistoryEntry {
    signature: String,
    slot: u64,
    block_time: i64,
    /// bincode of the transaction, base64.
    transaction: String,
    /// The message's account keys (what `getSignaturesForAddress` matches), base58.
    account_keys: Vec<String>,
    status: Result<(), TransactionError>,
    fee: u64,
    pre_balances: Vec<u64>,
    post_balances: Vec<u64>,
    logs: Vec<String>,
    /// The runtime's inner instructions per top-level instruction (bincode, base64).
    inner_instructions: String,
    units_consumed: u64,
}

impl HistoryEntry {
    fn decode_transaction(&self) -> RpcResult<Transaction> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(&self.transaction).map_err(internal)?;
        bincode::deserialize(&bytes).map_err(internal)
    }

    fn status(&self) -> TransactionStatus {
        TransactionStatus {
            slot: self.slot,
            confirmations: None,
            status: self.status.clone(),
            err: self.status.clone().err(),
            confirmation_status: Some(TransactionConfirmationStatus::Finalized),
        }
    }
}

/// The served ledger. Airdrop signatures are confirmed like transactions but have no body.
struct Localnet {
    chain: Chain,
    history: Vec<HistoryEntry>,
    /// Position in `history` by signature.
    by_signature: std::collections::HashMap<String, usize>,
    /// Airdrops answered: signature, slot, and the refusal agave's faucet transfer would meet.
    airdrops: Vec<(Signature, u64, Option<TransactionError>)>,
    /// Announces each commit to the websocket's subscriptions.
    notifier: pubsub::Notifier,
}

type Shared = Arc<Mutex<Localnet>>;

impl Localnet {
    fn ledger(&mut self) -> &mut usd1_ledger::Ledger {
        match &mut self.chain {
            Chain::Embedded(embedded) => &mut embedded.ledger,
            Chain::Rpc(_) => unreachable!("localnet serves an embedded ledger"),
        }
    }

    fn embedded(&mut self) -> &mut crate::chain::Embedded {
        match &mut self.chain {
            Chain::Embedded(embedded) => embedded,
            Chain::Rpc(_) => unreachable!("localnet serves an embedded ledger"),
        }
    }

    /// Where and how a signature landed (a transaction or an airdrop), if it did.
    fn signature_status(&self, signature: &str) -> Option<(u64, Option<TransactionError>)> {
        if let Some(&position) = self.by_signature.get(signature) {
            let entry = &self.history[position];
            return Some((entry.slot, entry.status.clone().err()));
        }
        let wanted: Signature = signature.parse().ok()?;
        self.airdrops.iter().find(|(airdrop, _, _)| *airdrop == wanted).map(|(_, slot, error)| (*slot, error.clone()))
    }

    /// Tell the websocket's subscriptions about a commit (no subscriber is no error).
    fn announce(&self, committed: pubsub::Committed) {
        let _ = self.notifier.send(Arc::new(committed));
    }

    async fn context(&mut self) -> RpcResult<RpcResponseContext> {
        Ok(RpcResponseContext { slot: self.ledger().slot().await.map_err(internal)?, api_version: None })
    }

    async fn respond<T>(&mut self, value: T) -> RpcResult<Response<T>> {
        Ok(Response { context: self.context().await?, value })
    }

    async fn account(&mut self, key: &Pubkey) -> RpcResult<Option<Account>> {
        Ok(self.ledger().account(key).await.map_err(internal)?.filter(|account| account.lamports > 0))
    }

    /// Persist accounts, clock and history when a state file was given.
    async fn save(&mut self) -> RpcResult<()> {
        if !self.embedded().has_state_file() {
            return Ok(());
        }
        // Only the entries not yet handed over: the store appends them.
        let kept = self.embedded().rpc_history.len();
        let new = self.history[kept.min(self.history.len())..].iter().map(|entry| serde_json::to_value(entry).map_err(internal)).collect::<RpcResult<Vec<_>>>()?;
        self.embedded().rpc_history.extend(new);
        self.chain.save().await.map_err(internal)
    }

    /// What `jsonParsed` needs to show a token account's amounts: its mint's decimals.
    async fn additional_data(&mut self, account: &Account) -> Option<AccountAdditionalDataV3> {
        let token_program = account.owner == spl_token_2022_interface::ID || account.owner == spl_token_interface_id();
        if !token_program || account.data.len() < 165 || account.data.len() == 82 {
            return None;
        }
        let mint = Pubkey::try_from(&account.data[..32]).ok()?;
        let mint_account = self.account(&mint).await.ok()??;
        let decimals = *mint_account.data.get(44)?;
        Some(AccountAdditionalDataV3 {
            spl_token_additional_data: Some(SplTokenAdditionalDataV2 { decimals, ..Default::default() }),
        })
    }

    async fn encode(&mut self, key: &Pubkey, account: &Account, config: &RpcAccountInfoConfig) -> solana_account_decoder_client_types::UiAccount {
        let encoding = config.encoding.unwrap_or(UiAccountEncoding::Binary);
        let additional = match encoding {
            UiAccountEncoding::JsonParsed => self.additional_data(account).await,
            _ => None,
        };
        encode_ui_account(key, account, encoding, additional, config.data_slice)
    }

    /// Every account the ledger knows that `program` owns and `filters` allow.
    async fn scan(&mut self, program: &Pubkey, filters: &[RpcFilterType]) -> RpcResult<Vec<(Pubkey, Account)>> {
        let keys: Vec<Pubkey> = self.embedded().known().iter().copied().collect();
        let mut found = Vec::new();
        for key in keys {
            let Some(account) = self.account(&key).await? else { continue };
            if account.owner != *program || !filters.iter().all(|filter| allows(filter, &account.data)) {
                continue;
            }
            found.push((key, account));
        }
        Ok(found)
    }

    /// Execute a signed transaction the way a validator's `sendTransaction` does: preflight
    /// (unless skipped), commit, and keep the status meta for `getTransaction`.
    async fn send(&mut self, transaction: Transaction, skip_preflight: bool) -> RpcResult<String> {
        transaction.sanitize().map_err(|error| invalid_params(format!("invalid transaction: {error}")))?;
        transaction.verify().map_err(|error| {
            ErrorObjectOwned::owned(code::TRANSACTION_SIGNATURE_VERIFICATION_FAILURE, format!("Transaction signature verification failure: {error}"), None::<()>)
        })?;
        let signature = transaction.signatures[0];
        if self.by_signature.contains_key(&signature.to_string()) {
            return Err(preflight_failure(&TransactionError::AlreadyProcessed, vec![], 0));
        }
        let keys = transaction.message.account_keys.clone();
        let simulation = self.simulate(&transaction).await?;
        if !skip_preflight {
            if let Err(error) = &simulation.result {
                return Err(preflight_failure(error, simulation.logs.clone(), simulation.units_consumed));
            }
        }
        let fee = self.ledger().fee_for_message(transaction.message.clone()).await.map_err(internal)?.unwrap_or(0);
        let pre_balances = self.balances(&keys).await?;
        let encoded = base64::engine::general_purpose::STANDARD.encode(bincode::serialize(&transaction).map_err(internal)?);
        let status = self.ledger().commit_raw(transaction).await.map_err(internal)?;
        let post_balances = self.balances(&keys).await?;
        if let Err(error) = &status {
            // A failure the bank committed charged the fee payer (and is recorded, as a validator
            // records it); one refused before execution (stale blockhash, duplicate, unfunded
            // payer) charged nothing and is not recorded either.
            if post_balances.first() == pre_balances.first() {
                return Err(preflight_failure(error, simulation.logs, 0));
            }
        }
        self.embedded().touch(keys.iter().copied());
        let slot = self.ledger().slot().await.map_err(internal)?;
        let block_time = self.ledger().clock().await.map_err(internal)?.unix_timestamp;
        let inner = bincode::serialize(&simulation.inner_instructions).map_err(internal)?;
        self.by_signature.insert(signature.to_string(), self.history.len());
        let committed = pubsub::Committed { signature: signature.to_string(), slot, err: status.clone().err(), logs: simulation.logs.clone(), account_keys: keys.clone() };
        self.history.push(HistoryEntry {
            signature: signature.to_string(),
            slot,
            block_time,
            transaction: encoded,
            account_keys: keys.iter().map(Pubkey::to_string).collect(),
            status,
            fee,
            pre_balances,
            post_balances,
            logs: simulation.logs,
            inner_instructions: base64::engine::general_purpose::STANDARD.encode(inner),
            units_consumed: simulation.units_consumed,
        });
        // On disk before anyone hears of it: a subscriber told "confirmed" can count on it
        // surviving a restart (a failed write stays pending and is retried by the next one).
        self.save().await?;
        self.announce(committed);
        Ok(signature.to_string())
    }

    async fn balances(&mut self, keys: &[Pubkey]) -> RpcResult<Vec<u64>> {
        let mut balances = Vec::with_capacity(keys.len());
        for key in keys {
            balances.push(self.account(key).await?.map(|account| account.lamports).unwrap_or(0));
        }
        Ok(balances)
    }

    /// Simulate, reading a durable-nonce transaction's effects under the current blockhash
    /// (the bank's simulation does not accept a nonce value as its blockhash).
    async fn simulate(&mut self, transaction: &Transaction) -> RpcResult<usd1_ledger::Simulation> {
        let simulation = self.ledger().simulate_details(transaction).await.map_err(internal)?;
        if simulation.result == Err(TransactionError::BlockhashNotFound) && self.nonce_matches(transaction).await? {
            let mut copy = transaction.clone();
            copy.message.recent_blockhash = self.ledger().latest_blockhash().await.map_err(internal)?;
            return self.ledger().simulate_details(&copy).await.map_err(internal);
        }
        Ok(simulation)
    }
}

impl Localnet {
    /// Whether `transaction` is a durable-nonce transaction whose nonce account still holds the
    /// value it was signed under (a used nonce is `BlockhashNotFound`, as on a cluster).
    async fn nonce_matches(&mut self, transaction: &Transaction) -> RpcResult<bool> {
        if !is_durable_nonce(transaction) {
            return Ok(false);
        }
        let message = &transaction.message;
        let Some(nonce_key) = message.instructions[0].accounts.first().and_then(|index| message.account_keys.get(usize::from(*index))) else {
            return Ok(false);
        };
        let Some(account) = self.account(nonce_key).await? else { return Ok(false) };
        let Ok(versions) = bincode::deserialize::<solana_nonce::versions::Versions>(&account.data) else { return Ok(false) };
        Ok(matches!(versions.state(), solana_nonce::state::State::Initialized(data) if data.blockhash() == message.recent_blockhash))
    }
}

fn spl_token_interface_id() -> Pubkey {
    solana_pubkey::pubkey!("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
}

fn is_durable_nonce(transaction: &Transaction) -> bool {
    let message = &transaction.message;
    message.instructions.first().is_some_and(|instruction| {
        message.account_keys.get(usize::from(instruction.program_id_index)) == Some(&solana_sdk_ids::system_program::ID)
            && instruction.data.first() == Some(&4)
    })
}

fn allows(filter: &RpcFilterType, data: &[u8]) -> bool {
    match filter {
        RpcFilterType::DataSize(size) => data.len() as u64 == *size,
        RpcFilterType::Memcmp(memcmp) => memcmp.bytes_match(data),
        RpcFilterType::TokenAccountState => data.len() >= 165 && data.len() != 82,
    }
}

/// A simulation as `simulateTransaction` (and a failed preflight's error data) reports it.
fn simulation_result(
    err: Option<TransactionError>,
    logs: Vec<String>,
    units_consumed: u64,
    inner_instructions: Option<Vec<solana_transaction_status::UiInnerInstructions>>,
    replacement_blockhash: Option<RpcBlockhash>,
) -> RpcSimulateTransactionResult {
    RpcSimulateTransactionResult {
        err: err.map(Into::into),
        logs: Some(logs),
        accounts: None,
        units_consumed: Some(units_consumed),
        loaded_accounts_data_size: None,
        return_data: None,
        inner_instructions,
        replacement_blockhash,
        fee: None,
        pre_balances: None,
        post_balances: None,
        pre_token_balances: None,
        post_token_balances: None,
        loaded_addresses: None,
    }
}

fn preflight_failure(error: &TransactionError, logs: Vec<String>, units_consumed: u64) -> ErrorObjectOwned {
    let result = simulation_result(Some(error.clone()), logs, units_consumed, None, None);
    ErrorObjectOwned::owned(code::SEND_TRANSACTION_PREFLIGHT_FAILURE, format!("Transaction simulation failed: {error}"), Some(result))
}

/// Positional params (absent params are an empty list).
fn positional(params: &Params<'static>) -> RpcResult<Vec<Value>> {
    match params.as_str() {
        None => Ok(vec![]),
        Some(text) => match serde_json::from_str::<Value>(text).map_err(invalid_params)? {
            Value::Array(values) => Ok(values),
            Value::Null => Ok(vec![]),
            _ => Err(invalid_params("expected an array of positional parameters")),
        },
    }
}

fn required<T: DeserializeOwned>(values: &[Value], index: usize, what: &str) -> RpcResult<T> {
    let value = values.get(index).ok_or_else(|| invalid_params(format!("missing {what}")))?;
    serde_json::from_value(value.clone()).map_err(|error| invalid_params(format!("{what}: {error}")))
}

fn optional<T: DeserializeOwned + Default>(values: &[Value], index: usize, what: &str) -> RpcResult<T> {
    match values.get(index) {
        None | Some(Value::Null) => Ok(T::default()),
        Some(value) => serde_json::from_value(value.clone()).map_err(|error| invalid_params(format!("{what}: {error}"))),
    }
}

fn pubkey(values: &[Value], index: usize, what: &str) -> RpcResult<Pubkey> {
    let text: String = required(values, index, what)?;
    text.parse().map_err(|_| invalid_params(format!("{what}: {text} is not a base58 public key")))
}

fn signature(text: &str) -> RpcResult<Signature> {
    text.parse().map_err(|_| invalid_params(format!("{text} is not a base58 signature")))
}

/// A wire transaction in base58 (Solana's default) or base64.
fn decode_transaction(values: &[Value], encoding: Option<UiTransactionEncoding>) -> RpcResult<Transaction> {
    let text: String = required(values, 0, "transaction")?;
    let bytes = match encoding.unwrap_or(UiTransactionEncoding::Base58) {
        UiTransactionEncoding::Base58 => bs58::decode(&text).into_vec().map_err(|error| invalid_params(format!("invalid base58: {error}")))?,
        UiTransactionEncoding::Base64 => {
            base64::engine::general_purpose::STANDARD.decode(&text).map_err(|error| invalid_params(format!("invalid base64: {error}")))?
        }
        other => return Err(invalid_params(format!("unsupported encoding: {other:?}; use base58 or base64"))),
    };
    let versioned: VersionedTransaction = bincode::deserialize(&bytes).map_err(|error| invalid_params(format!("failed to deserialize transaction: {error}")))?;
    versioned.into_legacy_transaction().ok_or_else(|| {
        ErrorObjectOwned::owned(code::UNSUPPORTED_TRANSACTION_VERSION, "usd1 localnet executes legacy transactions only", None::<()>)
    })
}

macro_rules! method {
    ($module:expr, $name:literal, |$values:ident, $state:ident| $body:expr) => {
        $module
            .register_async_method($name, |params: Params<'static>, shared: Arc<Shared>, _: Extensions| async move {
                let $values = positional(&params)?;
                #[allow(unused_mut)]
                let mut $state = shared.lock().await;
                let result: RpcResult<Value> = async { Ok(serde_json::to_value($body).map_err(internal)?) }.await;
                result
            })
            .expect("each method is registered once");
    };
}

/// A signature of its own for the `number`th airdrop (to `key`, `lamports` in it), unique per
/// request, so clients can confirm it as they confirm a transaction.
fn airdrop_signature(key: &Pubkey, number: u64, lamports: u64) -> Signature {
    let mut bytes = [0u8; 64];
    bytes[..32].copy_from_slice(key.as_ref());
    bytes[32..40].copy_from_slice(&number.to_le_bytes());
    bytes[40..48].copy_from_slice(&lamports.to_le_bytes());
    Signature::from(bytes)
}

fn module(shared: Shared) -> RpcModule<Shared> {
    let mut module = RpcModule::new(shared);
    pubsub::register(&mut module);
    method!(module, "getHealth", |_values, _state| "ok");
    // As agave 3.1.12 answers: its version and the first four bytes of its feature set's id.
    method!(module, "getVersion", |_values, _state| RpcVersionInfo {
        solana_core: "3.1.12".into(),
        feature_set: Some(u32::from_le_bytes(agave_feature_set::ID.as_ref()[..4].try_into().expect("a hash has 32 bytes"))),
    });
    method!(module, "getGenesisHash", |_values, state| state.embedded().genesis_hash.to_string());
    method!(module, "getSlot", |_values, state| state.ledger().slot().await.map_err(internal)?);
    method!(module, "getBlockHeight", |_values, state| state.ledger().block_height().await.map_err(internal)?);
    method!(module, "getEpochInfo", |_values, state| {
        let slot = state.ledger().slot().await.map_err(internal)?;
        let block_height = state.ledger().block_height().await.map_err(internal)?;
        let clock = state.ledger().clock().await.map_err(internal)?;
        solana_epoch_info::EpochInfo { epoch: clock.epoch, slot_index: slot, slots_in_epoch: 432_000, absolute_slot: slot, block_height, transaction_count: Some(state.history.len() as u64) }
    });
    method!(module, "getBlockTime", |values, state| {
        let slot: u64 = required(&values, 0, "slot")?;
        let current = state.ledger().slot().await.map_err(internal)?;
        if slot > current {
            return Err(ErrorObjectOwned::owned(-32004, format!("Block not available for slot {slot}"), None::<()>));
        }
        // The newest transaction at or before `slot` dates it; the clock dates the current slot.
        match state.history.iter().rev().find(|entry| entry.slot == slot) {
            Some(entry) if slot < current => entry.block_time,
            _ => state.ledger().clock().await.map_err(internal)?.unix_timestamp,
        }
    });
    method!(module, "getLatestBlockhash", |_values, state| {
        let (blockhash, last_valid_block_height) = state.ledger().latest_blockhash_with_height().await.map_err(internal)?;
        state.respond(RpcBlockhash { blockhash: blockhash.to_string(), last_valid_block_height }).await?
    });
    method!(module, "isBlockhashValid", |values, state| {
        let text: String = required(&values, 0, "blockhash")?;
        let blockhash: Hash = text.parse().map_err(|_| invalid_params(format!("{text} is not a blockhash")))?;
        let probe = Message::new_with_blockhash(&[], Some(&Pubkey::new_unique()), &blockhash);
        let valid = state.ledger().fee_for_message(probe).await.map_err(internal)?.is_some();
        state.respond(valid).await?
    });
    method!(module, "getFeeForMessage", |values, state| {
        let text: String = required(&values, 0, "message")?;
        let bytes = base64::engine::general_purpose::STANDARD.decode(&text).map_err(|error| invalid_params(format!("invalid base64: {error}")))?;
        let message: solana_message::VersionedMessage = bincode::deserialize(&bytes).map_err(|error| invalid_params(format!("failed to deserialize message: {error}")))?;
        let solana_message::VersionedMessage::Legacy(message) = message else {
            return Err(ErrorObjectOwned::owned(code::UNSUPPORTED_TRANSACTION_VERSION, "usd1 localnet executes legacy transactions only", None::<()>));
        };
        let fee = state.ledger().fee_for_message(message).await.map_err(internal)?;
        state.respond(fee).await?
    });
    method!(module, "getMinimumBalanceForRentExemption", |values, state| {
        let size: usize = required(&values, 0, "data length")?;
        // agave answers a length above the 10 MiB account limit with a bare "Invalid request".
        if size > 10 * 1024 * 1024 {
            return Err(ErrorObjectOwned::owned(code::INVALID_REQUEST, "Invalid request", None::<()>));
        }
        state.ledger().rent_exempt_minimum(size).await.map_err(internal)?
    });
    method!(module, "getBalance", |values, state| {
        let key = pubkey(&values, 0, "address")?;
        let lamports = state.account(&key).await?.map(|account| account.lamports).unwrap_or(0);
        state.respond(lamports).await?
    });
    method!(module, "getAccountInfo", |values, state| {
        let key = pubkey(&values, 0, "address")?;
        let config: RpcAccountInfoConfig = optional(&values, 1, "config")?;
        let account = match state.account(&key).await? {
            Some(account) => Some(state.encode(&key, &account, &config).await),
            None => None,
        };
        state.respond(account).await?
    });
    method!(module, "getMultipleAccounts", |values, state| {
        let keys: Vec<String> = required(&values, 0, "addresses")?;
        if keys.len() > 100 {
            return Err(invalid_params("too many addresses: at most 100"));
        }
        let config: RpcAccountInfoConfig = optional(&values, 1, "config")?;
        let mut accounts = Vec::with_capacity(keys.len());
        for text in keys {
            let key: Pubkey = text.parse().map_err(|_| invalid_params(format!("{text} is not a base58 public key")))?;
            accounts.push(match state.account(&key).await? {
                Some(account) => Some(state.encode(&key, &account, &config).await),
                None => None,
            });
        }
        state.respond(accounts).await?
    });
    method!(module, "getProgramAccounts", |values, state| {
        let program = pubkey(&values, 0, "program id")?;
        let config: RpcProgramAccountsConfig = optional(&values, 1, "config")?;
        let filters = config.filters.unwrap_or_default();
        for filter in &filters {
            filter.verify().map_err(|error| invalid_params(format!("filter: {error}")))?;
        }
        let mut keyed = Vec::new();
        for (key, account) in state.scan(&program, &filters).await? {
            keyed.push(RpcKeyedAccount { pubkey: key.to_string(), account: state.encode(&key, &account, &config.account_config).await });
        }
        match config.with_context {
            Some(true) => OptionalContext::Context(state.respond(keyed).await?),
            _ => OptionalContext::NoContext(keyed),
        }
    });
    method!(module, "getTokenAccountsByOwner", |values, state| {
        let owner = pubkey(&values, 0, "owner")?;
        let filter: RpcTokenAccountsFilter = required(&values, 1, "mint or programId filter")?;
        let config: RpcAccountInfoConfig = optional(&values, 2, "config")?;
        let (program, mint) = match filter {
            RpcTokenAccountsFilter::Mint(text) => {
                let mint: Pubkey = text.parse().map_err(|_| invalid_params(format!("{text} is not a base58 public key")))?;
                let mint_owner = state.account(&mint).await?.map(|account| account.owner).ok_or_else(|| invalid_params("Invalid param: could not find mint"))?;
                (mint_owner, Some(mint))
            }
            RpcTokenAccountsFilter::ProgramId(text) => (text.parse().map_err(|_| invalid_params(format!("{text} is not a base58 public key")))?, None),
        };
        let mut filters = vec![RpcFilterType::Memcmp(solana_rpc_client_api::filter::Memcmp::new_raw_bytes(32, owner.to_bytes().to_vec())), RpcFilterType::TokenAccountState];
        if let Some(mint) = mint {
            filters.push(RpcFilterType::Memcmp(solana_rpc_client_api::filter::Memcmp::new_raw_bytes(0, mint.to_bytes().to_vec())));
        }
        let mut keyed = Vec::new();
        for (key, account) in state.scan(&program, &filters).await? {
            keyed.push(RpcKeyedAccount { pubkey: key.to_string(), account: state.encode(&key, &account, &config).await });
        }
        state.respond(keyed).await?
    });
    method!(module, "requestAirdrop", |values, state| {
        let key = pubkey(&values, 0, "address")?;
        let lamports: u64 = required(&values, 1, "lamports")?;
        if lamports == 0 || lamports > MAX_AIRDROP_LAMPORTS {
            return Err(invalid_params(format!("lamports must be between 1 and {MAX_AIRDROP_LAMPORTS}")));
        }
        // As agave's faucet transfer: a new account below the rent-exempt minimum is refused
        // (the airdrop's signature comes back and its status says InsufficientFundsForRent).
        let existing = state.account(&key).await?;
        let minimum = state.ledger().rent_exempt_minimum(existing.as_ref().map_or(0, |account| account.data.len())).await.map_err(internal)?;
        let after = existing.as_ref().map_or(0, |account| account.lamports).saturating_add(lamports);
        let refusal = (after < minimum).then_some(TransactionError::InsufficientFundsForRent { account_index: 1 });
        if refusal.is_some() {
            let slot = state.ledger().slot().await.map_err(internal)?;
            let signature = airdrop_signature(&key, state.airdrops.len() as u64 + 1, lamports);
            state.airdrops.push((signature, slot, refusal.clone()));
            state.announce(pubsub::Committed { signature: signature.to_string(), slot, err: refusal, logs: vec![], account_keys: vec![key] });
            return Ok(Value::String(signature.to_string()));
        }
        // Lamports are added; an existing account keeps its owner and data, as on a cluster.
        let total = match existing {
            Some(account) => {
                let total = account.lamports.checked_add(lamports).ok_or_else(|| invalid_params("balance would overflow"))?;
                let mut funded = solana_account::AccountSharedData::from(account);
                solana_account::WritableAccount::set_lamports(&mut funded, total);
                state.ledger().set_account(&key, &funded);
                total
            }
            None => {
                state.ledger().fund(&key, lamports);
                lamports
            }
        };
        state.embedded().touch([key]);
        let slot = state.ledger().slot().await.map_err(internal)?;
        let signature = airdrop_signature(&key, state.airdrops.len() as u64 + 1, total);
        state.airdrops.push((signature, slot, None));
        state.save().await?;
        state.announce(pubsub::Committed { signature: signature.to_string(), slot, err: None, logs: vec![], account_keys: vec![key] });
        signature.to_string()
    });
    method!(module, "sendTransaction", |values, state| {
        let config: RpcSendTransactionConfig = optional(&values, 1, "config")?;
        let transaction = decode_transaction(&values, config.encoding)?;
        state.send(transaction, config.skip_preflight).await?
    });
    method!(module, "simulateTransaction", |values, state| {
        let config: RpcSimulateTransactionConfig = optional(&values, 1, "config")?;
        let mut transaction = decode_transaction(&values, config.encoding)?;
        let mut replacement = None;
        if config.replace_recent_blockhash {
            let (blockhash, last_valid_block_height) = state.ledger().latest_blockhash_with_height().await.map_err(internal)?;
            transaction.message.recent_blockhash = blockhash;
            replacement = Some(RpcBlockhash { blockhash: blockhash.to_string(), last_valid_block_height });
        }
        if config.sig_verify {
            transaction.verify().map_err(|error| {
                ErrorObjectOwned::owned(code::TRANSACTION_SIGNATURE_VERIFICATION_FAILURE, format!("Transaction signature verification failure: {error}"), None::<()>)
            })?;
        }
        let simulation = state.simulate(&transaction).await?;
        let inner_instructions = config.inner_instructions.then(|| {
            map_inner_instructions(simulation.inner_instructions.clone())
                .filter(|list| !list.instructions.is_empty())
                .map(Into::into)
                .collect()
        });
        let result = simulation_result(simulation.result.clone().err(), simulation.logs, simulation.units_consumed, inner_instructions, replacement);
        state.respond(result).await?
    });
    method!(module, "getSignatureStatuses", |values, state| {
        let signatures: Vec<String> = required(&values, 0, "signatures")?;
        if signatures.len() > 256 {
            return Err(invalid_params("too many signatures: at most 256"));
        }
        let _config: Option<RpcSignatureStatusConfig> = optional(&values, 1, "config")?;
        let mut statuses = Vec::with_capacity(signatures.len());
        for text in &signatures {
            let wanted = signature(text)?;
            let status = match state.by_signature.get(text) {
                Some(&position) => Some(state.history[position].status()),
                None => state.airdrops.iter().find(|(airdrop, _, _)| *airdrop == wanted).map(|(_, slot, error)| TransactionStatus {
                    slot: *slot,
                    confirmations: None,
                    status: error.clone().map_or(Ok(()), Err),
                    err: error.clone(),
                    confirmation_status: Some(TransactionConfirmationStatus::Finalized),
                }),
            };
            statuses.push(status);
        }
        state.respond(statuses).await?
    });
    method!(module, "getTransaction", |values, state| {
        let text: String = required(&values, 0, "signature")?;
        signature(&text)?;
        let config: RpcTransactionConfig = match values.get(1) {
            Some(Value::String(encoding)) => RpcTransactionConfig {
                encoding: Some(serde_json::from_value(json!(encoding)).map_err(|error| invalid_params(format!("encoding: {error}")))?),
                ..Default::default()
            },
            _ => optional(&values, 1, "config")?,
        };
        match state.by_signature.get(&text).map(|&position| state.history[position].clone()) {
            None => Value::Null,
            Some(entry) => {
                let transaction = entry.decode_transaction()?;
                let bytes = base64::engine::general_purpose::STANDARD.decode(&entry.inner_instructions).map_err(internal)?;
                let inner: solana_message::inner_instruction::InnerInstructionsList = bincode::deserialize(&bytes).map_err(internal)?;
                let meta = TransactionStatusMeta {
                    status: entry.status.clone(),
                    fee: entry.fee,
                    pre_balances: entry.pre_balances.clone(),
                    post_balances: entry.post_balances.clone(),
                    inner_instructions: Some(map_inner_instructions(inner).filter(|list| !list.instructions.is_empty()).collect()),
                    log_messages: Some(entry.logs.clone()),
                    pre_token_balances: None,
                    post_token_balances: None,
                    rewards: None,
                    loaded_addresses: Default::default(),
                    return_data: None,
                    compute_units_consumed: Some(entry.units_consumed),
                    cost_units: None,
                };
                let confirmed = ConfirmedTransactionWithStatusMeta {
                    slot: entry.slot,
                    tx_with_meta: TransactionWithStatusMeta::Complete(VersionedTransactionWithStatusMeta { transaction: VersionedTransaction::from(transaction), meta }),
                    block_time: Some(entry.block_time),
                };
                let encoded = confirmed
                    .encode(config.encoding.unwrap_or(UiTransactionEncoding::Json), config.max_supported_transaction_version)
                    .map_err(|error| invalid_params(error.to_string()))?;
                serde_json::to_value(encoded).map_err(internal)?
            }
        }
    });
    method!(module, "getSignaturesForAddress", |values, state| {
        let address = pubkey(&values, 0, "address")?.to_string();
        let config: RpcSignaturesForAddressConfig = optional(&values, 1, "config")?;
        let limit = config.limit.unwrap_or(1_000);
        if limit == 0 || limit > 1_000 {
            return Err(invalid_params("limit must be 1..=1000"));
        }
        let before = config.before.as_deref().map(signature).transpose()?.map(|signature| signature.to_string());
        let until = config.until.as_deref().map(signature).transpose()?.map(|signature| signature.to_string());
        let mut found = Vec::new();
        // Newest first: from before `before` (exclusive) down to `until` (exclusive).
        let mut started = before.is_none();
        for entry in state.history.iter().rev() {
            if !started {
                started = Some(&entry.signature) == before.as_ref();
                continue;
            }
            if Some(&entry.signature) == until.as_ref() || found.len() == limit {
                break;
            }
            if entry.account_keys.contains(&address) {
                found.push(RpcConfirmedTransactionStatusWithSignature {
                    signature: entry.signature.clone(),
                    slot: entry.slot,
                    err: entry.status.clone().err().map(Into::into),
                    memo: None,
                    block_time: Some(entry.block_time),
                    confirmation_status: Some(TransactionConfirmationStatus::Finalized),
                });
            }
        }
        found
    });
    method!(module, "usd1Localnet_warp", |values, state| {
        let secs: i64 = required(&values, 0, "seconds")?;
        if secs < 0 {
            return Err(invalid_params("the clock only moves forward"));
        }
        let clock = state.ledger().warp_secs(secs).await.map_err(internal)?;
        state.save().await?;
        json!({"unix_timestamp": clock.unix_timestamp, "slot": clock.slot, "epoch": clock.epoch})
    });
    module
}

async fn bind(port: u16) -> std::io::Result<Server> {
    let config = ServerConfig::builder().max_request_body_size(MAX_REQUEST_BYTES).max_response_body_size(64 * 1024 * 1024).build();
    Server::builder().set_config(config).build(SocketAddr::from(([127, 0, 0, 1], port))).await
}

/// A running endpoint.
pub struct Running {
    pub address: SocketAddr,
    /// The websocket's own port (the RPC port plus one); the RPC port serves it too.
    pub websocket_address: SocketAddr,
    handle: ServerHandle,
    websocket_handle: ServerHandle,
    shared: Shared,
}

impl Running {
    /// Stop serving and write the ledger's state file one last time.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.handle.stop().map_err(|error| anyhow!("stopping the server: {error}"))?;
        self.websocket_handle.stop().map_err(|error| anyhow!("stopping the websocket: {error}"))?;
        self.handle.stopped().await;
        self.websocket_handle.stopped().await;
        self.shared.lock().await.save().await.map_err(|error| anyhow!("saving the ledger: {}", error.message()))?;
        Ok(())
    }
}

/// Start serving `ledger_file`'s ledger (a fresh one without) on 127.0.0.1:`port` (0: any free port).
pub async fn start(port: u16, ledger_file: Option<crate::chain::LedgerFile>, program_build: &ProgramBuild) -> anyhow::Result<Running> {
    let mut chain = Chain::embedded(ledger_file, program_build).await?;
    let history = match &mut chain {
        Chain::Embedded(embedded) => embedded
            .rpc_history
            .iter()
            .map(|value| serde_json::from_value(value.clone()))
            .collect::<Result<Vec<HistoryEntry>, _>>()
            .context("the ledger file's RPC history is not valid")?,
        Chain::Rpc(_) => unreachable!(),
    };
    let by_signature = history.iter().enumerate().map(|(position, entry)| (entry.signature.clone(), position)).collect();
    let notifier = pubsub::notifier();
    let shared: Shared = Arc::new(Mutex::new(Localnet { chain, history, by_signature, airdrops: vec![], notifier }));
    // HTTP and the websocket on the port, and the websocket again on the port plus one, where
    // web3.js and the Solana CLI look for it (agave's 8899 and 8900). With port 0, a free pair.
    let mut attempts = 0;
    let (server, websocket) = loop {
        attempts += 1;
        let server = bind(port).await.with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
        let address = server.local_addr()?;
        let websocket_port = address.port().checked_add(1).ok_or_else(|| anyhow!("no port after {}", address.port()))?;
        match bind(websocket_port).await {
            Ok(websocket) => break (server, websocket),
            Err(_) if port == 0 && attempts < 50 => continue,
            Err(error) => {
                return Err(anyhow!(error)).with_context(|| {
                    format!("cannot listen on 127.0.0.1:{websocket_port} (the websocket, which clients expect at the RPC port plus one)")
                })
            }
        }
    };
    let address = server.local_addr()?;
    let websocket_address = websocket.local_addr()?;
    let handle = server.start(module(shared.clone()));
    let websocket_handle = websocket.start(module(shared.clone()));
    Ok(Running { address, websocket_address, handle, websocket_handle, shared })
}
