use crate::{constants::*, error::Usd1Error, events::AdminTransferStarted, state::Config};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct TransferAdminParams {
    pub new_admin: Pubkey,
}

#[event_cpi]
#[derive(Accounts)]
pub struct TransferAdmin<'info> {
    pub admin: Signer<'info>,
    #[account(
        mut,
        seeds = [CONFIG_SEED, config.mint.as_ref()],
        bump = config.bump,
        has_one = admin @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
}

impl TransferAdmin<'_> {
    pub fn validate(&self, params: &TransferAdminParams) -> Result<()> {
        let new_admin = params.new_admin;
        require!(
            new_admin != Pubkey::default()
                && new_admin != self.config.admin
                && !self.config.holds_any_role(&new_admin),
            Usd1Error::RoleConflict
        );
        Ok(())
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
