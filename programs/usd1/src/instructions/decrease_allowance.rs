use crate::{
    constants::*,
    error::Usd1Error,
    events::AllowanceDecreased,
    state::{Config, Minter},
    utils::write_account,
};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct DecreaseAllowanceParams {
    /// The minter whose remaining allowance is lowered.
    pub minter: Pubkey,
    /// Base units to remove from the remaining allowance (saturating at 0).
    pub amount: u64,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: DecreaseAllowanceParams)]
pub struct DecreaseAllowance<'info> {
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

/// Master minter: lowers a minter's remaining allowance by `amount`, saturating at 0 (never raises it).
pub fn handler(ctx: Context<DecreaseAllowance>, params: DecreaseAllowanceParams) -> Result<()> {
    require!(params.amount > 0, Usd1Error::InvalidAmount);
    let mut minter = Minter::load_active(&ctx.accounts.minter_account)?;
    let before = minter.allowance;
    minter.allowance = before.saturating_sub(params.amount);
    write_account(&ctx.accounts.minter_account.to_account_info(), &minter)?;

    let config = &mut ctx.accounts.config;
    let seq = config.next_event_seq()?;
    emit_cpi!(AllowanceDecreased {
        mint: config.mint,
        seq,
        minter: params.minter,
        decreased_by: before - minter.allowance,
        remaining: minter.allowance,
    });
    Ok(())
}
