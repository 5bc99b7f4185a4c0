use crate::{constants::*, error::Usd1Error, events::AdminTransferStarted, state::Config, utils::require_can_be_admin};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct TransferAdminParams {
    /// The key that may accept: holds no role, sits on no council, is no minter, not denylisted.
    pub new_admin: Pubkey,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: TransferAdminParams)]
pub struct TransferAdmin<'info> {
    /// The admin.
    pub admin: Signer<'info>,
    /// The USD1 mint (Token-2022); the Config's seed.
    /// CHECK: the Config's mint; its key is the Config's seed, so clients derive every other account from it.
    #[account(address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = admin @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
    /// The new admin's Minter PDA (must not exist: the admin holds no minter role).
    /// CHECK: the candidate's Minter PDA (an active minter may not become admin).
    #[account(seeds = [MINTER_SEED, config.key().as_ref(), params.new_admin.as_ref()], bump)]
    pub new_admin_minter_account: UncheckedAccount<'info>,
    /// The new admin's DenylistEntry PDA (must not exist: a denylisted key gets no role).
    /// CHECK: the candidate's DenylistEntry PDA (exists only while denylisted).
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), params.new_admin.as_ref()], bump)]
    pub new_admin_denylist_entry: UncheckedAccount<'info>,
}

impl TransferAdmin<'_> {
    pub fn validate(&self, params: &TransferAdminParams) -> Result<()> {
        let new_admin = params.new_admin;
        require!(new_admin != self.config.admin, Usd1Error::RoleConflict);
        require_can_be_admin(&self.config, &new_admin, &self.new_admin_minter_account, &self.new_admin_denylist_entry)
    }
}

/// Admin: names a pending admin (step one of two); a later call replaces the pending key.
pub fn handler(ctx: Context<TransferAdmin>, params: TransferAdminParams) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.pending_admin = Some(params.new_admin);
    let seq = config.next_event_seq()?;
    let (mint, admin) = (config.mint, config.admin);
    emit_cpi!(AdminTransferStarted { mint, seq, admin, pending_admin: params.new_admin });
    Ok(())
}
