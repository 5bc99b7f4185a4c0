use crate::{constants::*, error::Usd1Error, events::AdminTransferred, state::Config, utils::require_can_be_admin};
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    /// The pending admin.
    pub new_admin: Signer<'info>,
    /// The USD1 mint (Token-2022); the Config's seed.
    /// CHECK: the Config's mint; its key is the Config's seed, so clients derive every other account from it.
    #[account(address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's Config.
    #[account(mut, seeds = [CONFIG_SEED, mint.key().as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The new admin's Minter PDA (must not exist: the admin holds no minter role).
    /// CHECK: the new admin's Minter PDA (an active minter may not become admin).
    #[account(seeds = [MINTER_SEED, config.key().as_ref(), new_admin.key().as_ref()], bump)]
    pub new_admin_minter_account: UncheckedAccount<'info>,
    /// The new admin's DenylistEntry PDA (must not exist: a denylisted key gets no role).
    /// CHECK: the new admin's DenylistEntry PDA (exists only while denylisted).
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), new_admin.key().as_ref()], bump)]
    pub new_admin_denylist_entry: UncheckedAccount<'info>,
}

impl AcceptAdmin<'_> {
    pub fn validate(&self) -> Result<()> {
        let pending = self.config.pending_admin.ok_or(Usd1Error::NoPendingAdmin)?;
        require_keys_eq!(pending, self.new_admin.key(), Usd1Error::Unauthorized);
        // A role, a council seat or a minter may have been given to this key after the handover started.
        require_can_be_admin(&self.config, &pending, &self.new_admin_minter_account, &self.new_admin_denylist_entry)
    }
}

/// Pending admin: completes the handover; the signer becomes admin.
pub fn handler(ctx: Context<AcceptAdmin>) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let previous_admin = config.admin;
    config.admin = ctx.accounts.new_admin.key();
    config.pending_admin = None;
    let seq = config.next_event_seq()?;
    let (mint, new_admin) = (config.mint, config.admin);
    emit_cpi!(AdminTransferred { mint, seq, previous_admin, new_admin });
    Ok(())
}
