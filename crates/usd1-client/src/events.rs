//! Decoding the program's `emit_cpi!` events.
//!
//! An event is a self-invocation of the program whose data is
//! `EVENT_IX_TAG_LE ‖ event discriminator ‖ borsh(event)`. Integrators find
//! them in a transaction's inner instructions; [`decode_event_data`] turns one
//! instruction's data into a [`Usd1Event`].
use anchor_lang::{event::EVENT_IX_TAG_LE, AnchorDeserialize, Discriminator};
use usd1::events::*;

macro_rules! usd1_events {
    ($($name:ident),* $(,)?) => {
        /// Every event the program emits.
        #[derive(Debug, Clone)]
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
            pub fn mint(&self) -> solana_pubkey::Pubkey {
                match self {
                    $(Usd1Event::$name(event) => event.mint,)*
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
    };
}

usd1_events!(
    Initialized,
    AdminTransferStarted,
    AdminTransferred,
    RoleUpdated,
    ConfigUpdated,
    MetadataUpdated,
    Paused,
    Unpaused,
    SupplyChecked,
    MinterConfigured,
    MinterRemoved,
    AllowanceDecreased,
    ProposalCreated,
    ProposalApproved,
    ProposalExecuted,
    ProposalCancelled,
    Minted,
    ReservesAttested,
    Burned,
    RedemptionRequested,
    RedemptionCompleted,
    RedemptionRejected,
    Denylisted,
    Undenylisted,
    AccountFrozen,
    AccountThawed,
);

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

/// Decode the events among a transaction's inner instructions, given each inner
/// instruction as (program id, data). Instructions of other programs are skipped.
pub fn decode_inner_instructions<'a>(
    instructions: impl IntoIterator<Item = (solana_pubkey::Pubkey, &'a [u8])>,
) -> Result<Vec<Usd1Event>, EventDecodeError> {
    instructions
        .into_iter()
        .filter(|(program_id, data)| *program_id == usd1::ID && data.starts_with(EVENT_IX_TAG_LE))
        .map(|(_, data)| decode_event_data(data))
        .collect()
}
