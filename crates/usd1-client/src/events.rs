//! Decoding the program's `emit_cpi!` events.
//!
//! An event is a self-invocation of the program whose data is
//! `EVENT_IX_TAG_LE ‖ event discriminator ‖ borsh(event)`. Integrators find
//! them in a transaction's inner instructions; [`decode_event_data`] turns one
//! instruction's data into a [`Usd1Event`].
//!
//! ```
//! use anchor_lang::event::EVENT_IX_TAG_LE;
//! use solana_pubkey::Pubkey;
//! use usd1_client::events::{decode_event_data, decode_log_line, Usd1Event};
//! use usd1::events::Burned;
//!
//! let event = Usd1Event::Burned(Burned { mint: Pubkey::new_unique(), seq: 7, burner: Pubkey::new_unique(), source: Pubkey::new_unique(), amount: 5, supply: 95 });
//! // What the program's self-invocation carries:
//! let data = [EVENT_IX_TAG_LE, event.encode().as_slice()].concat();
//! let decoded = decode_event_data(&data).unwrap();
//! assert_eq!(decoded, event);
//! assert_eq!((decoded.name(), decoded.seq()), ("Burned", 7));
//! assert_eq!(decoded.to_json()["amount"], 5);
//!
//! // The fallback for `Program data:` log lines.
//! use base64::Engine;
//! let line = format!("Program data: {}", base64::engine::general_purpose::STANDARD.encode(event.encode()));
//! assert_eq!(decode_log_line(&line).unwrap().unwrap(), event);
//! assert!(decode_log_line("Program log: hello").is_none());
//! ```
use anchor_lang::{event::EVENT_IX_TAG_LE, AnchorDeserialize, Discriminator};
use base64::Engine;
use serde_json::{json, Value};
use solana_pubkey::Pubkey;
use usd1::{
    events::*,
    state::{PauseScope, ProposalKind, RateLimit, Role, SeizureDestination, SupplyCapUpdate, UpdateConfigParams},
};

/// JSON form of an event field: keys in base58, hashes in hex, enums in snake_case.
pub trait ToJson {
    fn to_json(&self) -> Value;
}

impl ToJson for Pubkey {
    fn to_json(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl ToJson for [u8; 32] {
    fn to_json(&self) -> Value {
        Value::String(self.iter().map(|byte| format!("{byte:02x}")).collect())
    }
}

macro_rules! plain_json {
    ($($type:ty),*) => {
        $(impl ToJson for $type {
            fn to_json(&self) -> Value {
                json!(self)
            }
        })*
    };
}
plain_json!(u8, u32, u64, i64, bool, String);

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map(ToJson::to_json).unwrap_or(Value::Null)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl ToJson for Role {
    fn to_json(&self) -> Value {
        json!(match self {
            Role::MasterMinter => "master_minter",
            Role::Pauser => "pauser",
            Role::Denylister => "denylister",
            Role::Burner => "burner",
            Role::Attester => "attester",
            Role::Onboarder => "onboarder",
            Role::Admin => "admin",
        })
    }
}

impl ToJson for PauseScope {
    fn to_json(&self) -> Value {
        json!(match self {
            PauseScope::Mint => "mint",
            PauseScope::Redeem => "redeem",
            PauseScope::Transfers => "transfers",
            PauseScope::All => "all",
        })
    }
}

impl ToJson for RateLimit {
    fn to_json(&self) -> Value {
        json!({"capacity": self.capacity, "refill_per_sec": self.refill_per_sec})
    }
}

impl ToJson for ProposalKind {
    fn to_json(&self) -> Value {
        match self {
            ProposalKind::SetAllowance { minter, amount } => {
                json!({"set_allowance": {"minter": minter.to_json(), "amount": amount}})
            }
            ProposalKind::SetCouncil { members, threshold } => {
                json!({"set_council": {"members": members.to_json(), "threshold": threshold}})
            }
            ProposalKind::SetRateLimit { minter, rate_limit } => {
                json!({"set_rate_limit": {"minter": minter.to_json(), "rate_limit": rate_limit.to_json()}})
            }
            ProposalKind::UpdateConfig { change } => json!({"update_config": change.to_json()}),
            ProposalKind::Seize { owner, amount, destination, order_hash } => json!({"seize": {
                "owner": owner.to_json(),
                "amount": amount,
                "to": destination.to_json(),
                "order_hash": order_hash.to_json(),
            }}),
            ProposalKind::SetRole { role, key } => json!({"set_role": {"role": role.to_json(), "key": key.to_json()}}),
        }
    }
}

impl ToJson for UpdateConfigParams {
    /// Only the fields that change; `supply_cap` as a number or `"none"`.
    fn to_json(&self) -> Value {
        let mut object = serde_json::Map::new();
        match self.supply_cap {
            SupplyCapUpdate::Unchanged => {}
            SupplyCapUpdate::Set { cap } => {
                object.insert("supply_cap".into(), json!(cap));
            }
            SupplyCapUpdate::Remove => {
                object.insert("supply_cap".into(), json!("none"));
            }
        }
        for (name, value) in [
            ("timelock_secs", self.timelock_secs.map(|secs| json!(secs))),
            ("proposal_ttl_secs", self.proposal_ttl_secs.map(|secs| json!(secs))),
            ("reserve_gate", self.reserve_gate.map(|gate| json!(gate))),
            ("attestation_max_age_secs", self.attestation_max_age_secs.map(|secs| json!(secs))),
            ("onboarding_required", self.onboarding_required.map(|required| json!(required))),
        ] {
            if let Some(value) = value {
                object.insert(name.into(), value);
            }
        }
        Value::Object(object)
    }
}

impl ToJson for SeizureDestination {
    /// A token account's address, or `"burn"`.
    fn to_json(&self) -> Value {
        match self {
            SeizureDestination::TokenAccount { address } => address.to_json(),
            SeizureDestination::Burn => json!("burn"),
        }
    }
}

macro_rules! usd1_events {
    ($($name:ident { $($field:ident),* $(,)? }),* $(,)?) => {
        /// Every event the program emits.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Usd1Event {
            $($name($name),)*
        }

        impl Usd1Event {
            /// The SPEC name of the event.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Usd1Event::$name(_) => stringify!($name),)*
                }
            }

            /// The event's `seq` (Config.event_seq after the event).
            pub fn seq(&self) -> u64 {
                match self {
                    $(Usd1Event::$name(event) => event.seq,)*
                }
            }

            /// The mint the event concerns.
            pub fn mint(&self) -> Pubkey {
                match self {
                    $(Usd1Event::$name(event) => event.mint,)*
                }
            }

            /// `{"event": NAME, "mint": .., "seq": .., <fields>}`.
            pub fn to_json(&self) -> Value {
                match self {
                    $(Usd1Event::$name(event) => {
                        let mut object = serde_json::Map::new();
                        object.insert("event".into(), json!(stringify!($name)));
                        object.insert("mint".into(), event.mint.to_json());
                        object.insert("seq".into(), json!(event.seq));
                        $(object.insert(stringify!($field).into(), event.$field.to_json());)*
                        Value::Object(object)
                    })*
                }
            }

            /// The borsh encoding the program emitted (discriminator first), as in `emit_cpi!`
            /// after its tag; used to build synthetic event streams.
            pub fn encode(&self) -> Vec<u8> {
                match self {
                    $(Usd1Event::$name(event) => {
                        let mut data = $name::DISCRIMINATOR.to_vec();
                        anchor_lang::AnchorSerialize::serialize(event, &mut data).expect("in-memory serialization");
                        data
                    })*
                }
            }

            fn decode(discriminator: &[u8], mut body: &[u8]) -> Option<Result<Self, std::io::Error>> {
                $(
                    if discriminator == $name::DISCRIMINATOR {
                        return Some($name::deserialize(&mut body).map(Usd1Event::$name));
                    }
                )*
                None
            }
        }

        /// All event names, for validating drill assertions.
        pub const EVENT_NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}

usd1_events!(
    Initialized { admin, decimals, council, threshold, master_minter, pauser, denylister, burner, attester, onboarder, onboarding_required },
    AdminTransferStarted { admin, pending_admin },
    AdminTransferred { previous_admin, new_admin },
    RoleUpdated { role, previous, new },
    ConfigUpdated { supply_cap, timelock_secs, proposal_ttl_secs, reserve_gate, attestation_max_age_secs, onboarding_required },
    MetadataUpdated { name, symbol, uri },
    Paused { scope, by, mint_paused, redeem_paused, transfers_paused },
    Unpaused { scope, by, mint_paused, redeem_paused, transfers_paused },
    SupplyChecked { supply, total_minted, total_burned, unattributed_burned, escrowed, escrow_excess, attested_reserves, matches },
    MinterConfigured { minter, rate_limit, allowance, generation },
    MinterRemoved { minter, forfeited_allowance },
    AllowanceDecreased { minter, decreased_by, remaining },
    ProposalCreated { id, proposer, kind, council_epoch, expires_at, approvals, threshold },
    ProposalApproved { id, approver, approvals, threshold, executable_at },
    ProposalRejected { id, voter, rejections, rejected },
    ProposalExecuted { id, executor, kind, council_epoch },
    ProposalCancelled { id, cancelled_by },
    Minted { minter, recipient, amount, reference_hash, supply, remaining_allowance },
    ReservesAttested { attester, amount, report_hash, as_of, supply },
    Burned { burner, source, amount, supply },
    RedemptionRequested { holder, amount, reference_hash, escrowed },
    RedemptionCompleted { holder, amount, reference_hash, payout_reference_hash, supply, escrowed },
    RedemptionRejected { holder, amount, reference_hash, reason_hash, escrowed },
    Denylisted { wallet, reason_hash, by, frozen_accounts },
    Undenylisted { wallet, by, thawed_accounts },
    AccountFrozen { token_account, owner, by },
    AccountThawed { token_account, owner, by },
    EscrowSwept { burner, to, amount, escrowed },
    Seized { proposal, order_hash, owner, from_accounts, destination, amount, supply },
    Onboarded { wallet, reference_hash, by },
    Offboarded { wallet, by },
);

impl Usd1Event {
    /// The event's instruction data as the program emits it: `EVENT_IX_TAG_LE ‖ discriminator ‖
    /// borsh(event)` (borsh is canonical, so this is byte for byte what the transaction carried).
    pub fn instruction_data(&self) -> Vec<u8> {
        [EVENT_IX_TAG_LE, self.encode().as_slice()].concat()
    }

    /// [`Usd1Event::to_json`] plus `raw`: the instruction data in base64, for integrators to
    /// test their own decoders against (what `drill run --record` keeps).
    pub fn to_json_with_raw(&self) -> Value {
        let mut value = self.to_json();
        value["raw"] = json!(base64::engine::general_purpose::STANDARD.encode(self.instruction_data()));
        value
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EventDecodeError {
    #[error("instruction data is not an emit_cpi! event (missing event tag)")]
    NotAnEvent,
    #[error("unknown event discriminator {0:?}")]
    UnknownEvent(Vec<u8>),
    #[error("event {name} did not decode: {reason}")]
    Malformed { name: String, reason: String },
}

/// Decode one `emit_cpi!` instruction's data.
pub fn decode_event_data(data: &[u8]) -> Result<Usd1Event, EventDecodeError> {
    let rest = data.strip_prefix(EVENT_IX_TAG_LE).ok_or(EventDecodeError::NotAnEvent)?;
    if rest.len() < 8 {
        return Err(EventDecodeError::NotAnEvent);
    }
    let (discriminator, body) = rest.split_at(8);
    match Usd1Event::decode(discriminator, body) {
        Some(Ok(event)) => Ok(event),
        Some(Err(error)) => Err(EventDecodeError::Malformed {
            name: format!("{discriminator:?}"),
            reason: error.to_string(),
        }),
        None => Err(EventDecodeError::UnknownEvent(discriminator.to_vec())),
    }
}

/// Fallback for logs: decode a `Program data: <base64>` line (what `emit!` writes;
/// `emit_cpi!` events are not in logs, but other tools may re-log them this way).
pub fn decode_log_line(line: &str) -> Option<Result<Usd1Event, EventDecodeError>> {
    let encoded = line.strip_prefix("Program data: ")?;
    let data = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    if data.len() < 8 {
        return None;
    }
    let (discriminator, body) = data.split_at(8);
    Usd1Event::decode(discriminator, body).map(|decoded| {
        decoded.map_err(|error| EventDecodeError::Malformed { name: format!("{discriminator:?}"), reason: error.to_string() })
    })
}

/// Decode the events among a transaction's inner instructions, given each inner
/// instruction as (program id, data). Instructions of other programs are skipped.
pub fn decode_inner_instructions<'a>(
    instructions: impl IntoIterator<Item = (Pubkey, &'a [u8])>,
) -> Result<Vec<Usd1Event>, EventDecodeError> {
    instructions
        .into_iter()
        .filter(|(program_id, data)| *program_id == usd1::ID && data.starts_with(EVENT_IX_TAG_LE))
        .map(|(_, data)| decode_event_data(data))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_refused_with_a_reason() {
        assert_eq!(decode_event_data(b"short"), Err(EventDecodeError::NotAnEvent));
        let unknown = [EVENT_IX_TAG_LE, &[9u8; 8][..], &[0u8; 4][..]].concat();
        assert!(matches!(decode_event_data(&unknown), Err(EventDecodeError::UnknownEvent(_))));
        let truncated = [EVENT_IX_TAG_LE, Minted::DISCRIMINATOR, &[1u8; 3][..]].concat();
        assert!(matches!(decode_event_data(&truncated), Err(EventDecodeError::Malformed { .. })));
    }

    #[test]
    fn every_event_name_is_listed_once() {
        let mut names = EVENT_NAMES.to_vec();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), EVENT_NAMES.len());
        assert_eq!(EVENT_NAMES.len(), 31, "SPEC v3 section 5 names 31 events (v2: 29, v3: Onboarded, Offboarded)");
    }
}
