//! Program addresses (SPEC section 2). All hang off the mint.
//!
//! ```
//! # use solana_pubkey::Pubkey;
//! let mint = Pubkey::new_unique();
//! let config = usd1_client::pda::config_address(&mint);
//! let escrow = usd1_client::pda::escrow_address(&config);
//! assert_ne!(config, escrow);
//! ```
use solana_pubkey::Pubkey;
use usd1::{constants::*, ID};

pub fn config_address(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[CONFIG_SEED, mint.as_ref()], &ID).0
}

pub fn minter_address(config: &Pubkey, minter: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[MINTER_SEED, config.as_ref(), minter.as_ref()], &ID).0
}

pub fn proposal_address(config: &Pubkey, id: u64) -> Pubkey {
    Pubkey::find_program_address(&[PROPOSAL_SEED, config.as_ref(), &id.to_le_bytes()], &ID).0
}

pub fn receipt_address(config: &Pubkey, reference_hash: &[u8; 32]) -> Pubkey {
    Pubkey::find_program_address(&[RECEIPT_SEED, config.as_ref(), reference_hash], &ID).0
}

pub fn denylist_address(config: &Pubkey, wallet: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[DENYLIST_SEED, config.as_ref(), wallet.as_ref()], &ID).0
}

/// A redemption request: keyed by its holder and the ticket's reference hash.
pub fn redemption_address(config: &Pubkey, holder: &Pubkey, reference_hash: &[u8; 32]) -> Pubkey {
    Pubkey::find_program_address(&[REDEMPTION_SEED, config.as_ref(), holder.as_ref(), reference_hash], &ID).0
}

/// The sorted list of denylisted wallets the transfer hook reads.
/// `["onboarded", config, wallet]` (v3): exists while `wallet` is onboarded.
pub fn onboarded_address(config: &Pubkey, wallet: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[usd1::constants::ONBOARDED_SEED, config.as_ref(), wallet.as_ref()], &usd1::ID).0
}

pub fn denylist_registry_address(config: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[DENYLIST_REGISTRY_SEED, config.as_ref()], &ID).0
}

pub fn escrow_address(config: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[ESCROW_SEED, config.as_ref()], &ID).0
}

pub fn extra_account_metas_address(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[EXTRA_ACCOUNT_METAS_SEED, mint.as_ref()], &ID).0
}

/// The `emit_cpi!` event authority.
pub fn event_authority_address() -> Pubkey {
    Pubkey::find_program_address(&[b"__event_authority"], &ID).0
}

/// The holder's associated token account for this (Token-2022) mint.
pub fn associated_token_address(owner: &Pubkey, mint: &Pubkey) -> Pubkey {
    spl_associated_token_account_interface::address::get_associated_token_address_with_program_id(
        owner,
        mint,
        &spl_token_2022_interface::ID,
    )
}
