//! Events (SPEC section 5). Each is emitted with `emit_cpi!` and carries the
//! mint it concerns and `seq`, the config's event counter after this event.
use crate::state::{PauseScope, Role};
use anchor_lang::prelude::*;

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Initialized {
    pub mint: Pubkey,
    pub seq: u64,
    pub admin: Pubkey,
    pub decimals: u8,
    pub council: Vec<Pubkey>,
    pub threshold: u8,
    pub master_minter: Pubkey,
    pub pauser: Pubkey,
    pub denylister: Pubkey,
    pub burner: Pubkey,
    pub attester: Pubkey,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminTransferStarted {
    pub mint: Pubkey,
    pub seq: u64,
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminTransferred {
    pub mint: Pubkey,
    pub seq: u64,
    pub previous_admin: Pubkey,
    pub new_admin: Pubkey,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleUpdated {
    pub mint: Pubkey,
    pub seq: u64,
    pub role: Role,
    pub previous: Pubkey,
    pub new: Pubkey,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigUpdated {
    pub mint: Pubkey,
    pub seq: u64,
    pub supply_cap: Option<u64>,
    pub timelock_secs: u64,
    pub proposal_ttl_secs: u64,
    pub reserve_gate: bool,
    pub attestation_max_age_secs: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataUpdated {
    pub mint: Pubkey,
    pub seq: u64,
    pub name: String,
    pub symbol: String,
    pub uri: String,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paused {
    pub mint: Pubkey,
    pub seq: u64,
    pub scope: PauseScope,
    pub by: Pubkey,
    pub mint_paused: bool,
    pub redeem_paused: bool,
    pub transfers_paused: bool,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpaused {
    pub mint: Pubkey,
    pub seq: u64,
    pub scope: PauseScope,
    pub by: Pubkey,
    pub mint_paused: bool,
    pub redeem_paused: bool,
    pub transfers_paused: bool,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplyChecked {
    pub mint: Pubkey,
    pub seq: u64,
    pub supply: u64,
    pub total_minted: u64,
    pub total_burned: u64,
    pub escrowed: u64,
    pub attested_reserves: u64,
    pub matches: bool,
}
