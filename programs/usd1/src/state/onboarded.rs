use anchor_lang::prelude::*;

/// v3: the `Onboarded` PDA of SPEC 2 (named apart from the `Onboarded` event): a wallet compliance has onboarded (KYC done, wallet screened). While the Config's
/// `onboarding_required` is on, `mint` reaches only owners that have one. The onboarder
/// creates it with `onboard` and closes it with `offboard`.
#[account]
#[derive(InitSpace, Debug)]
pub struct OnboardedWallet {
    pub bump: u8,
    pub wallet: Pubkey,
    /// sha256 of the onboarding case reference (KYC file id).
    pub reference_hash: [u8; 32],
    pub onboarded_at: i64,
    pub onboarded_by: Pubkey,
}

impl OnboardedWallet {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;
}
