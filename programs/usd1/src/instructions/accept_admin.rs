use crate::{constants::*, error::Usd1Error, events::AdminTransferred, state::Config};
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    pub new_admin: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED, config.mint.as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
}

impl AcceptAdmin<'_> {
    pub fn validate(&self) -> Result<()> {
        let pending = self.config.pending_admin.ok_or(Usd1Error::NoPendingAdmin)?;
        require_keys_eq!(pending, self.new_admin.key(), Usd1Error::Unauthorized);
        // A role may have been given to this key after the handover started.
        require!(!self.config.holds_any_role(&pending), Usd1Error::RoleConflict);
        Ok(())
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
