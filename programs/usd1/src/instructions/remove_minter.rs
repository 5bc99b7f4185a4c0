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
    pub minter: Pubkey,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: RemoveMinterParams)]
pub struct RemoveMinter<'info> {
    pub master_minter: Signer<'info>,
    #[account(
        mut,
        seeds = [CONFIG_SEED, config.mint.as_ref()],
        bump = config.bump,
        has_one = master_minter @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
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
