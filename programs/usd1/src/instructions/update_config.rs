use crate::{
    constants::*,
    error::Usd1Error,
    events::ConfigUpdated,
    state::{validate_timing, Config},
};
use anchor_lang::prelude::*;

/// Each field left `None` keeps its value. `supply_cap: Some(None)` removes the cap.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, Default)]
pub struct UpdateConfigParams {
    pub supply_cap: Option<Option<u64>>,
    pub timelock_secs: Option<u64>,
    pub proposal_ttl_secs: Option<u64>,
    pub reserve_gate: Option<bool>,
    pub attestation_max_age_secs: Option<u64>,
}

impl UpdateConfigParams {
    fn is_empty(&self) -> bool {
        self.supply_cap.is_none()
            && self.timelock_secs.is_none()
            && self.proposal_ttl_secs.is_none()
            && self.reserve_gate.is_none()
            && self.attestation_max_age_secs.is_none()
    }
}

#[event_cpi]
#[derive(Accounts)]
pub struct UpdateConfig<'info> {
    pub admin: Signer<'info>,
    #[account(
        mut,
        seeds = [CONFIG_SEED, config.mint.as_ref()],
        bump = config.bump,
        has_one = admin @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
}

impl UpdateConfig<'_> {
    pub fn validate(&self, params: &UpdateConfigParams) -> Result<()> {
        require!(!params.is_empty(), Usd1Error::NothingToUpdate);
        require!(params.supply_cap != Some(Some(0)), Usd1Error::InvalidConfig);
        let config = &self.config;
        validate_timing(
            params.timelock_secs.unwrap_or(config.timelock_secs),
            params.proposal_ttl_secs.unwrap_or(config.proposal_ttl_secs),
            params.attestation_max_age_secs.unwrap_or(config.attestation_max_age_secs),
        )
    }
}

/// Admin: changes supply cap, timelock, proposal ttl, reserve gate or attestation max age.
pub fn handler(ctx: Context<UpdateConfig>, params: UpdateConfigParams) -> Result<()> {
    let config = &mut ctx.accounts.config;
    if let Some(supply_cap) = params.supply_cap {
        config.supply_cap = supply_cap;
    }
    if let Some(timelock_secs) = params.timelock_secs {
        config.timelock_secs = timelock_secs;
    }
    if let Some(proposal_ttl_secs) = params.proposal_ttl_secs {
        config.proposal_ttl_secs = proposal_ttl_secs;
    }
    if let Some(reserve_gate) = params.reserve_gate {
        config.reserve_gate = reserve_gate;
    }
    if let Some(attestation_max_age_secs) = params.attestation_max_age_secs {
        config.attestation_max_age_secs = attestation_max_age_secs;
    }
    let seq = config.next_event_seq()?;
    emit_cpi!(ConfigUpdated {
        mint: config.mint,
        seq,
        supply_cap: config.supply_cap,
        timelock_secs: config.timelock_secs,
        proposal_ttl_secs: config.proposal_ttl_secs,
        reserve_gate: config.reserve_gate,
        attestation_max_age_secs: config.attestation_max_age_secs,
    });
    Ok(())
}
