use crate::{
    constants::*,
    error::Usd1Error,
    events::Undenylisted,
    state::Config,
    utils::{close_account, is_denylisted},
};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct DenylistRemoveParams {
    pub wallet: Pubkey,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: DenylistRemoveParams)]
pub struct DenylistRemove<'info> {
    /// Receives the entry's rent.
    #[account(mut)]
    pub denylister: Signer<'info>,
    #[account(
        mut,
        seeds = [CONFIG_SEED, config.mint.as_ref()],
        bump = config.bump,
        has_one = denylister @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: closed here when it exists (a missing entry is `NotDenylisted`); the seeds pin its address.
    #[account(mut, seeds = [DENYLIST_SEED, config.key().as_ref(), params.wallet.as_ref()], bump)]
    pub denylist_entry: UncheckedAccount<'info>,
}

/// Denylister: lifts a wallet's denylisting (closes its entry).
pub fn handler(ctx: Context<DenylistRemove>, params: DenylistRemoveParams) -> Result<()> {
    let entry = ctx.accounts.denylist_entry.to_account_info();
    require!(is_denylisted(&entry), Usd1Error::NotDenylisted);
    // Close: the rent goes to the denylister; the account is emptied and handed back to the system program.
    close_account(&entry, &ctx.accounts.denylister.to_account_info())?;

    let config = &mut ctx.accounts.config;
    let seq = config.next_event_seq()?;
    emit_cpi!(Undenylisted { mint: config.mint, seq, wallet: params.wallet, by: ctx.accounts.denylister.key() });
    Ok(())
}
