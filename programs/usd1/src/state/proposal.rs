use crate::{
    constants::*,
    state::{Config, RateLimit, Role, UpdateConfigParams},
};
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
    /// Set or remove `minter`'s rate limit (a loosening the master minter may not make alone).
    /// The bucket keeps what it holds, within the new capacity; it never refills.
    SetRateLimit { minter: Pubkey, rate_limit: Option<RateLimit> },
    /// Change limits and timings, loosening included (the admin alone may only tighten).
    UpdateConfig { change: UpdateConfigParams },
    /// Lawful order: take `amount` base units from the token accounts of denylisted `owner`
    /// and send them to `destination` or burn them. `order_hash` is sha256 of the order's reference.
    Seize { owner: Pubkey, amount: u64, destination: SeizureDestination, order_hash: [u8; 32] },
    /// v3, council recovery: give `role` (any single-key role, or `admin`) to `key`, replacing
    /// its holder; role hygiene applies at execution.
    SetRole { role: Role, key: Pubkey },
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
    /// Council members who voted against; the proposal is rejected once they exceed
    /// members - threshold (the approvals can then never reach the threshold).
    #[max_len(MAX_COUNCIL_MEMBERS)]
    pub rejections: Vec<Pubkey>,
    /// The council epoch the proposal was created under.
    pub council_epoch: u64,
    pub created_at: i64,
    pub expires_at: i64,
    /// When the approvals first reached the threshold; the timelock runs from here.
    pub threshold_reached_at: Option<i64>,
    /// The config's timelock when proposed: execution waits this long after the threshold
    /// is reached, whatever the config says later (SPEC 4, v2).
    pub timelock_secs: u64,
}

impl Proposal {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// The minter this proposal changes (allowance or rate limit), if any: it needs the
    /// Minter account at execution, and that minter may not approve it.
    pub fn allowance_minter(&self) -> Option<Pubkey> {
        match self.kind {
            ProposalKind::SetAllowance { minter, .. } | ProposalKind::SetRateLimit { minter, .. } => Some(minter),
            ProposalKind::SetCouncil { .. }
            | ProposalKind::UpdateConfig { .. }
            | ProposalKind::Seize { .. }
            | ProposalKind::SetRole { .. } => None,
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

    /// Earliest execution time (the timelock snapshot after the threshold), once reached.
    pub fn executable_at(&self) -> Option<i64> {
        let timelock = i64::try_from(self.timelock_secs).unwrap_or(i64::MAX);
        self.threshold_reached_at.map(|reached| reached.saturating_add(timelock))
    }

    /// Rejected once the rejections exceed members - threshold: the remaining members could
    /// no longer reach the threshold.
    pub fn is_rejected(&self, config: &Config) -> bool {
        let can_lose = config.council.len().saturating_sub(usize::from(config.council_threshold));
        self.rejections.len() > can_lose
    }

    /// Whether `member` already voted either way.
    pub fn has_voted(&self, member: &Pubkey) -> bool {
        self.approvals.contains(member) || self.rejections.contains(member)
    }
}
