use crate::{
    constants::*,
    error::Usd1Error,
    events::ConfigUpdated,
    state::Config,
};
use anchor_lang::prelude::*;

pub use crate::state::{SupplyCapUpdate, UpdateConfigParams};

#[event_cpi]
#[derive(Accounts)]
pub struct UpdateConfig<'info> {
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
}

impl UpdateConfig<'_> {
    pub fn validate(&self, params: &UpdateConfigParams) -> Result<()> {
        params.validate(&self.config)?;
        // One key only lowers risk (SPEC 3): loosening is a council proposal.
        require!(params.only_tightens(&self.config), Usd1Error::CouncilRequired);
        Ok(())
    }
}

/// Admin: tightens the supply cap, timelock, proposal ttl, reserve gate or attestation max age.
pub fn handler(ctx: Context<UpdateConfig>, params: UpdateConfigParams) -> Result<()> {
    let config = &mut ctx.accounts.config;
    params.apply(config);
    let seq = config.next_event_seq()?;
    emit_cpi!(ConfigUpdated {
        mint: config.mint,
        seq,
        supply_cap: config.supply_cap,
        timelock_secs: config.timelock_secs,
        proposal_ttl_secs: config.proposal_ttl_secs,
        reserve_gate: config.reserve_gate,
        attestation_max_age_secs: config.attestation_max_age_secs,
        onboarding_required: config.onboarding_required,
    });
    Ok(())
}
