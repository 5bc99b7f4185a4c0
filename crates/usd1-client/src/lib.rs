//! Client for the USD1 program: everything the CLI, the drills and integrators need.
//!
//! - [`pda`]: every program address, derived from the mint.
//! - [`instructions`]: one builder per program instruction.
//! - [`accounts`]: decoders for the program's accounts and the mint.
//! - [`events`]: decoding `emit_cpi!` events from a transaction's inner instructions.
//! - [`errors`]: program and Token-2022 error codes to their stable names.
//! - [`amount`]: decimal token amounts to base units and back.
//! - [`transfer`]: a Token-2022 transfer of this mint with the hook's extra accounts.
//! - [`token`]: plain Token-2022 actions a holder can take without the program.
//! - [`verify`]: the deployment check of SPEC 14 (`usd1 verify`) over fetched accounts.
//! - [`compute_budget`]: each instruction's compute-unit limit, measured on the `.so`, and the priority fee.
//!
//! ```
//! use usd1_client::{pda, reference_hash};
//! use solana_pubkey::Pubkey;
//!
//! let mint = Pubkey::new_unique();
//! let config = pda::config_address(&mint);
//! assert_eq!(pda::config_address(&mint), config);
//! assert_ne!(reference_hash("wire-1"), reference_hash("wire-2"));
//! ```

pub mod accounts;
pub mod amount;
pub mod compute_budget;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod pda;
pub mod token;
pub mod transfer;
pub mod verify;

pub use usd1::{
    self as program,
    instructions::{InitializeParams, UpdateMetadataParams},
    state::{
        Config, DenylistEntry, DenylistRegistry, MintReceipt, Minter, OnboardedWallet, PauseScope, Proposal, ProposalKind, RateLimit, RedemptionRequest,
        RedemptionStatus, Role, SeizureDestination, SupplyCapUpdate, UpdateConfigParams,
    },
    ID as PROGRAM_ID,
};

use sha2::{Digest, Sha256};

/// The Token-2022 program id.
pub const TOKEN_2022_PROGRAM_ID: solana_pubkey::Pubkey = spl_token_2022_interface::ID;

/// `reference_hash` of SPEC section 2: sha256 of the off-chain reference string
/// (bank wire id, redemption ticket id). Only the hash goes on chain.
pub fn reference_hash(reference: &str) -> [u8; 32] {
    Sha256::digest(reference.as_bytes()).into()
}
