use crate::{
    constants::*,
    error::Usd1Error,
    events::Denylisted,
    state::{Config, DenylistEntry},
    utils::{create_pda_account, now, write_account},
};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct DenylistAddParams {
    pub wallet: Pubkey,
    /// sha256 of the compliance case reference.
    pub reason_hash: [u8; 32],
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: DenylistAddParams)]
pub struct DenylistAdd<'info> {
    /// Pays the entry's rent and gets it back on removal.
    #[account(mut)]
    pub denylister: Signer<'info>,
    #[account(
        mut,
        seeds = [CONFIG_SEED, config.mint.as_ref()],
        bump = config.bump,
        has_one = denylister @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: created here; its existence is the denylisting. The seeds pin its address.
    #[account(mut, seeds = [DENYLIST_SEED, config.key().as_ref(), params.wallet.as_ref()], bump)]
    pub denylist_entry: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl DenylistAdd<'_> {
    pub fn validate(&self, params: &DenylistAddParams) -> Result<()> {
        // The Config owns the Escrow: denylisting it would strand every pending redemption.
        require_keys_neq!(params.wallet, self.config.key(), Usd1Error::ProtectedAccount);
        require!(self.denylist_entry.data_is_empty(), Usd1Error::Denylisted);
        Ok(())
    }
}

/// Denylister: blocks a wallet from sending, receiving, being minted to or redeeming.
pub fn handler(ctx: Context<DenylistAdd>, params: DenylistAddParams) -> Result<()> {
    let config_key = ctx.accounts.config.key();
    let bump = ctx.bumps.denylist_entry;
    let seeds: &[&[u8]] = &[DENYLIST_SEED, config_key.as_ref(), params.wallet.as_ref(), &[bump]];
    let info = ctx.accounts.denylist_entry.to_account_info();
    create_pda_account(
        &ctx.accounts.denylister.to_account_info(),
        &info,
        &ctx.accounts.system_program.to_account_info(),
        &crate::ID,
        DenylistEntry::SPACE,
        seeds,
    )?;
    let by = ctx.accounts.denylister.key();
    write_account(
        &info,
        &DenylistEntry { bump, wallet: params.wallet, reason_hash: params.reason_hash, added_at: now()?, added_by: by },
    )?;

    let config = &mut ctx.accounts.config;
    let seq = config.next_event_seq()?;
    emit_cpi!(Denylisted { mint: config.mint, seq, wallet: params.wallet, reason_hash: params.reason_hash, by });
    Ok(())
}
