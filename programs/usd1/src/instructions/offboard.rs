use crate::{
    constants::*,
    error::Usd1Error,
    events::Offboarded,
    state::Config,
    utils::{close_account, program_account_exists},
};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct OffboardParams {
    /// The wallet mints may no longer reach while onboarding is required.
    pub wallet: Pubkey,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: OffboardParams)]
pub struct Offboard<'info> {
    /// The onboarder role key; receives the Onboarded account's rent.
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
    /// The wallet's Onboarded account `["onboarded", config, wallet]`, closed here.
    /// CHECK: closed here when it exists (a missing one is `NotOnboarded`); the seeds pin its address.
    #[account(mut, seeds = [ONBOARDED_SEED, config.key().as_ref(), params.wallet.as_ref()], bump)]
    pub onboarded: UncheckedAccount<'info>,
}

impl Offboard<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(program_account_exists(&self.onboarded), Usd1Error::NotOnboarded);
        Ok(())
    }
}

/// Onboarder: closes `wallet`'s Onboarded account; mints no longer reach it while onboarding is required.
pub fn handler(ctx: Context<Offboard>, params: OffboardParams) -> Result<()> {
    close_account(&ctx.accounts.onboarded.to_account_info(), &ctx.accounts.onboarder.to_account_info())?;
    let by = ctx.accounts.onboarder.key();
    let config = &mut ctx.accounts.config;
    let seq = config.next_event_seq()?;
    emit_cpi!(Offboarded { mint: config.mint, seq, wallet: params.wallet, by });
    Ok(())
}
