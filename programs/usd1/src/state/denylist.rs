use anchor_lang::prelude::*;

/// A denylisted wallet. The entry's existence is the denylist: the transfer hook,
/// `mint` and `request_redemption` refuse any movement to or from its owner.
#[account]
#[derive(InitSpace, Debug)]
pub struct DenylistEntry {
    pub bump: u8,
    pub wallet: Pubkey,
    /// sha256 of the compliance case reference.
    pub reason_hash: [u8; 32],
    pub added_at: i64,
    pub added_by: Pubkey,
}

impl DenylistEntry {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;
}
