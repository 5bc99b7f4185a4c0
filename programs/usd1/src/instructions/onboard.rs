use crate::{
    constants::*,
    error::Usd1Error,
    events::Onboarded,
    state::{Config, OnboardedWallet},
    utils::{create_pda_account, is_denylisted, now, program_account_exists, write_account},
};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct OnboardParams {
    /// The wallet mints may reach once onboarding is required (a token account's owner).
    pub wallet: Pubkey,
    /// sha256 of the onboarding case reference (KYC file id); the reference itself never goes on chain.
    pub reference_hash: [u8; 32],
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: OnboardParams)]
pub struct Onboard<'info> {
    /// The onboarder role key; pays the Onboarded account's rent and gets it back at `offboard`.
    #[account(mut)]
    pub onboarder: Signer<'info>,
    /// The USD1 mint (Token-2022); the Config's seed.
    /// CHECK: the Config's mint; its key is the Config's seed, so clients derive every other account from it.
    #[account(address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = onboarder @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
    /// The wallet's Onboarded account `["onboarded", config, wallet]`, created here.
    /// CHECK: created here (an existing one is `AlreadyOnboarded`); the seeds pin its address.
    #[account(mut, seeds = [ONBOARDED_SEED, config.key().as_ref(), params.wallet.as_ref()], bump)]
    pub onboarded: UncheckedAccount<'info>,
    /// The wallet's DenylistEntry PDA (exists only while denylisted: a denylisted wallet cannot be onboarded).
    /// CHECK: the wallet's DenylistEntry PDA (exists only while denylisted).
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), params.wallet.as_ref()], bump)]
    pub wallet_denylist_entry: UncheckedAccount<'info>,
    /// The system program (creates accounts).
    pub system_program: Program<'info, System>,
}

impl Onboard<'_> {
    pub fn validate(&self, params: &OnboardParams) -> Result<()> {
        // The Escrow's owner is never a mint's recipient (`InvalidRecipient` at mint anyway).
        require_keys_neq!(params.wallet, self.config.key(), Usd1Error::ProtectedAccount);
        require!(params.wallet != Pubkey::default(), Usd1Error::InvalidRecipient);
        require!(!is_denylisted(&self.wallet_denylist_entry), Usd1Error::Denylisted);
        require!(!program_account_exists(&self.onboarded), Usd1Error::AlreadyOnboarded);
        Ok(())
    }
}

/// Onboarder: records that compliance cleared `wallet`, so mints may reach it while onboarding is required.
pub fn handler(ctx: Context<Onboard>, params: OnboardParams) -> Result<()> {
    let config_key = ctx.accounts.config.key();
    let bump = ctx.bumps.onboarded;
    let seeds: &[&[u8]] = &[ONBOARDED_SEED, config_key.as_ref(), params.wallet.as_ref(), &[bump]];
    let info = ctx.accounts.onboarded.to_account_info();
    create_pda_account(
        &ctx.accounts.onboarder.to_account_info(),
        &info,
        &ctx.accounts.system_program.to_account_info(),
        &crate::ID,
        OnboardedWallet::SPACE,
        seeds,
    )?;
    let by = ctx.accounts.onboarder.key();
    write_account(
        &info,
        &OnboardedWallet { bump, wallet: params.wallet, reference_hash: params.reference_hash, onboarded_at: now()?, onboarded_by: by },
    )?;
    let config = &mut ctx.accounts.config;
    let seq = config.next_event_seq()?;
    emit_cpi!(Onboarded { mint: config.mint, seq, wallet: params.wallet, reference_hash: params.reference_hash, by });
    Ok(())
}
