use crate::{
    constants::*,
    error::Usd1Error,
    events::MinterRemoved,
    state::{Config, Minter},
    utils::write_account,
};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct RemoveMinterParams {
    /// The minter to deactivate (its remaining allowance is forfeited).
    pub minter: Pubkey,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: RemoveMinterParams)]
pub struct RemoveMinter<'info> {
    /// The master minter role key.
    pub master_minter: Signer<'info>,
    /// The USD1 mint (Token-2022); the Config's seed.
    /// CHECK: the Config's mint; its key is the Config's seed, so clients derive every other account from it.
    #[account(address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = master_minter @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
    /// The minter's Minter account `["minter", config, minter]`.
    /// CHECK: loaded in the handler (a missing minter is `MinterNotActive`); the seeds pin its address.
    #[account(mut, seeds = [MINTER_SEED, config.key().as_ref(), params.minter.as_ref()], bump)]
    pub minter_account: UncheckedAccount<'info>,
}

/// Master minter: deactivates a minter and zeroes its allowance (the account stays, for its history).
pub fn handler(ctx: Context<RemoveMinter>, params: RemoveMinterParams) -> Result<()> {
    let mut minter = Minter::load_active(&ctx.accounts.minter_account)?;
    let forfeited_allowance = minter.allowance;
    minter.active = false;
    minter.allowance = 0;
    write_account(&ctx.accounts.minter_account.to_account_info(), &minter)?;

    let config = &mut ctx.accounts.config;
    config.active_minters = config.active_minters.checked_sub(1).ok_or(Usd1Error::MathOverflow)?;
    let seq = config.next_event_seq()?;
    emit_cpi!(MinterRemoved { mint: config.mint, seq, minter: params.minter, forfeited_allowance });
    Ok(())
}
