//! Events (SPEC section 5). Each is emitted with `emit_cpi!` and carries the
//! mint it concerns and `seq`, the config's event counter after this event.
use crate::state::{PauseScope, ProposalKind, RateLimit, Role, SeizureDestination};
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
    /// v3.
    pub onboarder: Pubkey,
    /// v3.
    pub onboarding_required: bool,
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
    /// v3.
    pub onboarding_required: bool,
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
    /// The mint's supply (Token-2022).
    pub supply: u64,
    pub total_minted: u64,
    pub total_burned: u64,
    /// total_minted - total_burned - supply: tokens holders burned directly through Token-2022.
    pub unattributed_burned: u64,
    /// Sum of the open redemption requests.
    pub escrowed: u64,
    /// Escrow balance beyond the open requests (outside deposits, until swept).
    pub escrow_excess: u64,
    pub attested_reserves: u64,
    /// supply <= total_minted - total_burned: tokens may vanish outside the program, never appear.
    pub matches: bool,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinterConfigured {
    pub mint: Pubkey,
    pub seq: u64,
    pub minter: Pubkey,
    pub rate_limit: Option<RateLimit>,
    pub allowance: u64,
    pub generation: u32,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinterRemoved {
    pub mint: Pubkey,
    pub seq: u64,
    pub minter: Pubkey,
    /// Allowance the minter had left, now zero.
    pub forfeited_allowance: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowanceDecreased {
    pub mint: Pubkey,
    pub seq: u64,
    pub minter: Pubkey,
    pub decreased_by: u64,
    pub remaining: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalCreated {
    pub mint: Pubkey,
    pub seq: u64,
    pub id: u64,
    pub proposer: Pubkey,
    pub kind: ProposalKind,
    pub council_epoch: u64,
    pub expires_at: i64,
    pub approvals: u8,
    pub threshold: u8,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalApproved {
    pub mint: Pubkey,
    pub seq: u64,
    pub id: u64,
    pub approver: Pubkey,
    pub approvals: u8,
    pub threshold: u8,
    /// Earliest execution time, once the threshold is reached.
    pub executable_at: Option<i64>,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalRejected {
    pub mint: Pubkey,
    pub seq: u64,
    pub id: u64,
    /// The council member who voted against.
    pub voter: Pubkey,
    /// Votes against so far.
    pub rejections: u8,
    /// Whether the proposal is now rejected (rejections exceed members - threshold).
    pub rejected: bool,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalExecuted {
    pub mint: Pubkey,
    pub seq: u64,
    pub id: u64,
    pub executor: Pubkey,
    pub kind: ProposalKind,
    /// For `SetCouncil`: the new council epoch; otherwise the unchanged one.
    pub council_epoch: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalCancelled {
    pub mint: Pubkey,
    pub seq: u64,
    pub id: u64,
    pub cancelled_by: Pubkey,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minted {
    pub mint: Pubkey,
    pub seq: u64,
    pub minter: Pubkey,
    pub recipient: Pubkey,
    pub amount: u64,
    pub reference_hash: [u8; 32],
    pub supply: u64,
    pub remaining_allowance: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservesAttested {
    pub mint: Pubkey,
    pub seq: u64,
    pub attester: Pubkey,
    pub amount: u64,
    pub report_hash: [u8; 32],
    pub as_of: i64,
    pub supply: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Burned {
    pub mint: Pubkey,
    pub seq: u64,
    pub burner: Pubkey,
    /// The burner's token account the tokens were burned from.
    pub source: Pubkey,
    pub amount: u64,
    pub supply: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedemptionRequested {
    pub mint: Pubkey,
    pub seq: u64,
    pub holder: Pubkey,
    pub amount: u64,
    pub reference_hash: [u8; 32],
    /// Escrow balance after the request (== sum of pending requests).
    pub escrowed: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedemptionCompleted {
    pub mint: Pubkey,
    pub seq: u64,
    pub holder: Pubkey,
    pub amount: u64,
    pub reference_hash: [u8; 32],
    pub payout_reference_hash: [u8; 32],
    pub supply: u64,
    pub escrowed: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedemptionRejected {
    pub mint: Pubkey,
    pub seq: u64,
    pub holder: Pubkey,
    pub amount: u64,
    pub reference_hash: [u8; 32],
    pub reason_hash: [u8; 32],
    pub escrowed: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denylisted {
    pub mint: Pubkey,
    pub seq: u64,
    pub wallet: Pubkey,
    pub reason_hash: [u8; 32],
    pub by: Pubkey,
    /// The wallet's token accounts this instruction froze.
    pub frozen_accounts: Vec<Pubkey>,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undenylisted {
    pub mint: Pubkey,
    pub seq: u64,
    pub wallet: Pubkey,
    pub by: Pubkey,
    /// The wallet's token accounts this instruction thawed.
    pub thawed_accounts: Vec<Pubkey>,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFrozen {
    pub mint: Pubkey,
    pub seq: u64,
    pub token_account: Pubkey,
    pub owner: Pubkey,
    pub by: Pubkey,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountThawed {
    pub mint: Pubkey,
    pub seq: u64,
    pub token_account: Pubkey,
    pub owner: Pubkey,
    pub by: Pubkey,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscrowSwept {
    pub mint: Pubkey,
    pub seq: u64,
    pub burner: Pubkey,
    /// The token account that received the excess.
    pub to: Pubkey,
    pub amount: u64,
    /// Open requests after the sweep (unchanged); the Escrow now holds exactly this.
    pub escrowed: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seized {
    pub mint: Pubkey,
    pub seq: u64,
    /// The executed proposal.
    pub proposal: u64,
    /// sha256 of the lawful order's reference.
    pub order_hash: [u8; 32],
    /// The denylisted owner the tokens were taken from.
    pub owner: Pubkey,
    /// The owner's token accounts debited (left frozen).
    pub from_accounts: Vec<Pubkey>,
    pub destination: SeizureDestination,
    pub amount: u64,
    /// The mint's supply afterwards (lower by `amount` for a burn, unchanged otherwise).
    pub supply: u64,
}

/// v3: `onboard`: the wallet may be minted to while onboarding is required.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Onboarded {
    pub mint: Pubkey,
    pub seq: u64,
    pub wallet: Pubkey,
    pub reference_hash: [u8; 32],
    pub by: Pubkey,
}

/// v3: `offboard`: the wallet's `Onboarded` account is closed.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offboarded {
    pub mint: Pubkey,
    pub seq: u64,
    pub wallet: Pubkey,
    pub by: Pubkey,
}
