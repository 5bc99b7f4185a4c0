use anchor_lang::prelude::*;

/// The permanent proof that one deposit reference was minted once. Kept small:
/// every mint pays its rent forever. The reference hash is the PDA seed, so it
/// is not stored again.
#[account]
#[derive(InitSpace, Debug)]
pub struct MintReceipt {
    pub bump: u8,
    pub minter: Pubkey,
    pub recipient: Pubkey,
    pub amount: u64,
    pub slot: u64,
    pub minted_at: i64,
}

impl MintReceipt {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;
}
