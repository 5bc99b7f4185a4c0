use crate::{
    constants::*,
    error::Usd1Error,
    events::RoleUpdated,
    state::{Config, Role},
    utils::is_denylisted,
};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct SetRoleParams {
    /// The single-key role assigned (`admin` is refused: `CouncilRequired`).
    pub role: Role,
    /// Its new holder: not the admin, not the pending admin, not denylisted.
    pub key: Pubkey,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: SetRoleParams)]
pub struct SetRole<'info> {
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
    /// The key's DenylistEntry PDA (exists only while denylisted).
    /// CHECK: the new holder's DenylistEntry PDA (exists only while denylisted).
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), params.key.as_ref()], bump)]
    pub key_denylist_entry: UncheckedAccount<'info>,
}

impl SetRole<'_> {
    pub fn validate(&self, params: &SetRoleParams) -> Result<()> {
        // The admin hands over with `transfer_admin` / `accept_admin`; only the council replaces it.
        require!(params.role != Role::Admin, Usd1Error::CouncilRequired);
        let key = params.key;
        let config = &self.config;
        require!(
            key != Pubkey::default()
                && key != config.admin
                && config.pending_admin != Some(key),
            Usd1Error::RoleConflict
        );
        require!(!is_denylisted(&self.key_denylist_entry), Usd1Error::Denylisted);
        Ok(())
    }
}

/// Admin: assigns a single-key role (master_minter, pauser, denylister, burner, attester, onboarder).
pub fn handler(ctx: Context<SetRole>, params: SetRoleParams) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let previous = config.role_holder(params.role);
    config.set_role_holder(params.role, params.key);
    let seq = config.next_event_seq()?;
    let mint = config.mint;
    emit_cpi!(RoleUpdated { mint, seq, role: params.role, previous, new: params.key });
    Ok(())
}
