use crate::{constants::*, state::Config};
use anchor_lang::prelude::*;

/// Where seized tokens go.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum SeizureDestination {
    /// A token account of this mint whose owner is not denylisted and which the Config does not own.
    TokenAccount { address: Pubkey },
    /// The seized tokens are burned.
    Burn,
}

/// What a proposal does when executed. Each raises issuance capacity, changes who
/// may, or moves a holder's tokens without the holder, so each needs M council
/// approvals and the timelock.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq, InitSpace)]
pub enum ProposalKind {
    /// Set `minter`'s remaining allowance to `amount` base units.
    SetAllowance { minter: Pubkey, amount: u64 },
    /// Replace the council and its threshold (bumps the council epoch).
    SetCouncil {
        #[max_len(MAX_COUNCIL_MEMBERS)]
        members: Vec<Pubkey>,
        threshold: u8,
    },
    /// Lawful order: take `amount` base units from the token accounts of denylisted `owner`
    /// and send them to `destination` or burn them. `order_hash` is sha256 of the order's reference.
    Seize { owner: Pubkey, amount: u64, destination: SeizureDestination, order_hash: [u8; 32] },
}

#[account]
#[derive(InitSpace, Debug)]
pub struct Proposal {
    pub bump: u8,
    pub config: Pubkey,
    pub id: u64,
    /// Receives the rent back when the proposal is executed or cancelled.
    pub proposer: Pubkey,
    pub kind: ProposalKind,
    /// For `SetAllowance`: the minter's generation when proposed.
    pub minter_generation: u32,
    #[max_len(MAX_COUNCIL_MEMBERS)]
    pub approvals: Vec<Pubkey>,
    /// The council epoch the proposal was created under.
    pub council_epoch: u64,
    pub created_at: i64,
    pub expires_at: i64,
    /// When the approvals first reached the threshold; the timelock runs from here.
    pub threshold_reached_at: Option<i64>,
    /// The config's timelock when proposed. Execution waits for the larger of this
    /// and the current timelock: lowering it never speeds up an open proposal.
    pub timelock_secs: u64,
}

impl Proposal {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// The minter whose allowance this proposal sets, if any.
    pub fn allowance_minter(&self) -> Option<Pubkey> {
        match self.kind {
            ProposalKind::SetAllowance { minter, .. } => Some(minter),
            ProposalKind::SetCouncil { .. } | ProposalKind::Seize { .. } => None,
        }
    }

    pub fn is_stale(&self, config: &Config) -> bool {
        self.council_epoch != config.council_epoch
    }

    pub fn is_expired(&self, now: i64) -> bool {
        now >= self.expires_at
    }

    /// Record an approval; starts the timelock when the threshold is first reached.
    pub fn add_approval(&mut self, approver: Pubkey, threshold: u8, now: i64) {
        self.approvals.push(approver);
        if self.threshold_reached_at.is_none() && self.approvals.len() >= usize::from(threshold) {
            self.threshold_reached_at = Some(now);
        }
    }

    /// Earliest execution time under `current_timelock_secs`, once the threshold is reached.
    pub fn executable_at(&self, current_timelock_secs: u64) -> Option<i64> {
        let timelock = self.timelock_secs.max(current_timelock_secs);
        let timelock = i64::try_from(timelock).unwrap_or(i64::MAX);
        self.threshold_reached_at.map(|reached| reached.saturating_add(timelock))
    }
}
