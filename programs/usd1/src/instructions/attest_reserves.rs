use crate::{constants::*, error::Usd1Error, events::ReservesAttested, state::Config, utils::now};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::Mint;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct AttestReservesParams {
    /// Reserves in base units of the token (1 token = 1 dollar).
    pub amount: u64,
    /// sha256 of the attestation report.
    pub report_hash: [u8; 32],
    /// When the reserves were measured (unix seconds); not in the future, not older than the last one.
    pub as_of: i64,
}

#[event_cpi]
#[derive(Accounts)]
pub struct AttestReserves<'info> {
    /// The attester role key.
    pub attester: Signer<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = attester @ Usd1Error::Unauthorized,
        has_one = mint @ Usd1Error::InvalidMint
    )]
    pub config: Box<Account<'info, Config>>,
    /// The USD1 mint (Token-2022), the Config's `mint`.
    pub mint: Box<InterfaceAccount<'info, Mint>>,
}

impl AttestReserves<'_> {
    pub fn validate(&self, params: &AttestReservesParams) -> Result<()> {
        require!(params.amount > 0, Usd1Error::InvalidAmount);
        require!(
            params.as_of > 0 && params.as_of <= now()? && params.as_of >= self.config.attestation_as_of,
            Usd1Error::InvalidAttestation
        );
        Ok(())
    }
}

/// Attester: publishes the reserve amount backing the token, as of a time; the reserve gate reads it.
pub fn handler(ctx: Context<AttestReserves>, params: AttestReservesParams) -> Result<()> {
    let supply = ctx.accounts.mint.supply;
    let config = &mut ctx.accounts.config;
    config.attested_reserves = params.amount;
    config.attestation_report_hash = params.report_hash;
    config.attestation_as_of = params.as_of;
    let seq = config.next_event_seq()?;
    emit_cpi!(ReservesAttested {
        mint: config.mint,
        seq,
        attester: ctx.accounts.attester.key(),
        amount: params.amount,
        report_hash: params.report_hash,
        as_of: params.as_of,
        supply,
    });
    Ok(())
}
