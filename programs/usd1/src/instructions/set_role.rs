use crate::{
    constants::*,
    error::Usd1Error,
    events::RoleUpdated,
    state::{Config, Role},
};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct SetRoleParams {
    pub role: Role,
    pub key: Pubkey,
}

#[event_cpi]
#[derive(Accounts)]
pub struct SetRole<'info> {
    pub admin: Signer<'info>,
    #[account(
        mut,
        seeds = [CONFIG_SEED, config.mint.as_ref()],
        bump = config.bump,
        has_one = admin @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
}

impl SetRole<'_> {
    pub fn validate(&self, params: &SetRoleParams) -> Result<()> {
        let key = params.key;
        let config = &self.config;
        require!(
            key != Pubkey::default()
                && key != config.admin
                && config.pending_admin != Some(key),
            Usd1Error::RoleConflict
        );
        Ok(())
    }
}

/// Admin: assigns a single-key role (master_minter, pauser, denylister, burner, attester).
pub fn handler(ctx: Context<SetRole>, params: SetRoleParams) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let previous = config.role_holder(params.role);
    config.set_role_holder(params.role, params.key);
    let seq = config.next_event_seq()?;
    let mint = config.mint;
    emit_cpi!(RoleUpdated { mint, seq, role: params.role, previous, new: params.key });
    Ok(())
}
