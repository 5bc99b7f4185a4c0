//! Building, signing and (optionally offline) completing transactions.
//!
//! The flow issuer staff use across machines: the same command is run on each
//! machine with the same arguments and the same `--blockhash` (a durable nonce's
//! value, via `--nonce`), so every machine builds the identical message. Each
//! machine signs with the keys it holds (`--sign-only` prints its signatures);
//! the last one adds the others with `--signer PUBKEY=SIGNATURE` and sends.
use anyhow::{anyhow, bail, Context};
use base64::Engine;
use serde_json::{json, Value};
use solana_hash::Hash;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::Message;
use solana_pubkey::Pubkey;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;
use std::str::FromStr;

/// Parse `PUBKEY=SIGNATURE`.
pub fn parse_signer(text: &str) -> anyhow::Result<(Pubkey, Signature)> {
    let (pubkey, signature) = text
        .split_once('=')
        .ok_or_else(|| anyhow!("--signer `{text}`: expected PUBKEY=SIGNATURE"))?;
    let pubkey = Pubkey::from_str(pubkey).map_err(|_| anyhow!("--signer: `{pubkey}` is not a public key"))?;
    let signature = Signature::from_str(signature).map_err(|_| anyhow!("--signer: `{signature}` is not a signature"))?;
    Ok((pubkey, signature))
}

/// What a transaction pays for compute: the priority fee (`--with-compute-unit-price`) and, when
/// not the published one, the limit (`--compute-unit-limit`, or sized from a simulation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ComputeBudget {
    /// Micro-lamports per unit.
    pub unit_price: Option<u64>,
    /// None: `usd1_client::compute_budget::transaction_units` of the instructions.
    pub unit_limit: Option<u32>,
}

impl ComputeBudget {
    pub fn of(global: &crate::GlobalArgs) -> ComputeBudget {
        ComputeBudget { unit_price: global.with_compute_unit_price, unit_limit: global.compute_unit_limit }
    }

    /// `instructions` followed by the compute-budget instructions.
    pub fn apply(&self, instructions: &[Instruction]) -> Vec<Instruction> {
        use usd1_client::compute_budget::{transaction_units, with_compute_unit_limit};
        with_compute_unit_limit(instructions, self.unit_limit.unwrap_or_else(|| transaction_units(instructions)), self.unit_price)
    }
}

/// The durable nonce account a transaction advances (its first instruction is the system
/// program's `AdvanceNonceAccount`, as every durable-nonce transaction's must be).
pub fn durable_nonce_of(transaction: &solana_transaction::Transaction) -> Option<Pubkey> {
    let message = &transaction.message;
    let first = message.instructions.first()?;
    let program = message.account_keys.get(usize::from(first.program_id_index))?;
    // AdvanceNonceAccount is the system instruction with index 4 (a u32, little endian).
    if *program != solana_sdk_ids::system_program::ID || first.data.get(..4) != Some(&[4, 0, 0, 0][..]) {
        return None;
    }
    message.account_keys.get(usize::from(*first.accounts.first()?)).copied()
}

/// The message for `instructions`, with `AdvanceNonceAccount` first when a nonce is used, and
/// last a compute-unit limit (sized from the program's measured costs unless `budget` names
/// one) and, with a price, a priority fee.
pub fn build_message(instructions: &[Instruction], payer: &Pubkey, nonce: Option<(&Pubkey, &Pubkey)>, blockhash: Hash, budget: ComputeBudget) -> Message {
    let mut all = Vec::with_capacity(instructions.len() + 3);
    if let Some((nonce_account, authority)) = nonce {
        all.push(solana_system_interface::instruction::advance_nonce_account(nonce_account, authority));
    }
    all.extend_from_slice(instructions);
    let all = budget.apply(&all);
    let mut message = Message::new(&all, Some(payer));
    message.recent_blockhash = blockhash;
    message
}

/// Sign with every key at hand that the message needs, then add signatures
/// collected elsewhere (each verified against the message).
pub fn sign(message: Message, keypairs: &[&Keypair], collected: &[(Pubkey, Signature)]) -> anyhow::Result<Transaction> {
    let mut transaction = Transaction::new_unsigned(message);
    let required = required_signers(&transaction);
    let mut usable: Vec<&Keypair> = Vec::new();
    for keypair in keypairs {
        let key = keypair.pubkey();
        if required.contains(&key) && !usable.iter().any(|existing| existing.pubkey() == key) {
            usable.push(keypair);
        }
    }
    let blockhash = transaction.message.recent_blockhash;
    transaction.try_partial_sign(&usable, blockhash).context("signing")?;
    let message_bytes = transaction.message_data();
    for (pubkey, signature) in collected {
        let position = required
            .iter()
            .position(|key| key == pubkey)
            .ok_or_else(|| anyhow!("--signer {pubkey}: this transaction needs no signature from that key"))?;
        if !signature.verify(pubkey.as_ref(), &message_bytes) {
            bail!("--signer {pubkey}: the signature does not match this message (same arguments, --blockhash and --with-compute-unit-price on every machine?)");
        }
        transaction.signatures[position] = *signature;
    }
    Ok(transaction)
}

pub fn required_signers(transaction: &Transaction) -> Vec<Pubkey> {
    let count = usize::from(transaction.message.header.num_required_signatures);
    transaction.message.account_keys[..count].to_vec()
}

/// The signers whose signature is still missing.
pub fn absent_signers(transaction: &Transaction) -> Vec<Pubkey> {
    required_signers(transaction)
        .into_iter()
        .zip(transaction.signatures.iter())
        .filter(|(_, signature)| **signature == Signature::default())
        .map(|(key, _)| key)
        .collect()
}

/// What `--sign-only` prints.
pub fn sign_only_report(transaction: &Transaction) -> Value {
    let engine = base64::engine::general_purpose::STANDARD;
    let signed: Vec<Value> = required_signers(transaction)
        .into_iter()
        .zip(transaction.signatures.iter())
        .filter(|(_, signature)| **signature != Signature::default())
        .map(|(key, signature)| json!({"pubkey": key.to_string(), "signature": signature.to_string(), "signer": format!("{key}={signature}")}))
        .collect();
    let absent: Vec<String> = absent_signers(transaction).iter().map(Pubkey::to_string).collect();
    let complete = absent.is_empty();
    // What every other machine passes to build the same message (--compute-unit-limit,
    // --with-compute-unit-price), so that a CLI with another limit table still agrees.
    let (mut unit_limit, mut unit_price) = (Value::Null, Value::Null);
    let message = &transaction.message;
    for instruction in &message.instructions {
        if message.account_keys.get(usize::from(instruction.program_id_index)) != Some(&solana_sdk_ids::compute_budget::ID) {
            continue;
        }
        match instruction.data.split_first() {
            Some((2, units)) if units.len() == 4 => unit_limit = json!(u32::from_le_bytes(units.try_into().expect("4 bytes"))),
            Some((3, price)) if price.len() == 8 => unit_price = json!(u64::from_le_bytes(price.try_into().expect("8 bytes"))),
            _ => {}
        }
    }
    json!({
        "blockhash": transaction.message.recent_blockhash.to_string(),
        "compute_unit_limit": unit_limit,
        "compute_unit_price": unit_price,
        "message": engine.encode(transaction.message_data()),
        "signers": signed,
        "absent": absent,
        "transaction": if complete {
            Value::String(engine.encode(bincode::serialize(transaction).expect("in-memory serialization")))
        } else {
            Value::Null
        },
    })
}

/// Decode a base64 transaction (from `--sign-only` output) and check it is fully signed.
pub fn decode_transaction(text: &str) -> anyhow::Result<Transaction> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(text.trim()).context("the transaction is not base64")?;
    let transaction: Transaction = bincode::deserialize(&bytes).context("not a serialized transaction")?;
    let absent = absent_signers(&transaction);
    if !absent.is_empty() {
        bail!("the transaction still lacks signatures from {}", absent.iter().map(Pubkey::to_string).collect::<Vec<_>>().join(", "));
    }
    transaction.verify().context("a signature does not match the message")?;
    Ok(transaction)
}
