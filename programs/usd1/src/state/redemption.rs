use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum RedemptionStatus {
    /// Tokens are in the Escrow, waiting for the burner.
    Pending,
    /// The issuer paid out and burned the escrowed tokens.
    Completed,
    /// The tokens went back to the holder.
    Rejected,
}

/// One redemption, kept after it is settled so its reference is never processed twice.
#[account]
#[derive(InitSpace, Debug)]
pub struct RedemptionRequest {
    pub bump: u8,
    pub holder: Pubkey,
    /// The holder's token account the tokens came from (and go back to on rejection).
    pub holder_token: Pubkey,
    pub amount: u64,
    pub requested_at: i64,
    pub status: RedemptionStatus,
    pub settled_at: i64,
    /// sha256 of the payout reference (completed) or of the rejection reason (rejected).
    pub settlement_hash: [u8; 32],
}

impl RedemptionRequest {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;
}
