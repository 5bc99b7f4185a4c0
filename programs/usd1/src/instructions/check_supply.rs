use crate::{constants::*, error::Usd1Error, events::SupplyChecked, state::Config};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::Mint;

#[event_cpi]
#[derive(Accounts)]
pub struct CheckSupply<'info> {
    #[account(mut, seeds = [CONFIG_SEED, config.mint.as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    #[account(address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
}

/// Anyone: compares on-chain supply with total_minted - total_burned and records the result as an event.
pub fn handler(ctx: Context<CheckSupply>) -> Result<()> {
    let supply = ctx.accounts.mint.supply;
    let config = &mut ctx.accounts.config;
    let matches = config.total_minted.checked_sub(config.total_burned) == Some(supply);
    let seq = config.next_event_seq()?;
    emit_cpi!(SupplyChecked {
        mint: config.mint,
        seq,
        supply,
        total_minted: config.total_minted,
        total_burned: config.total_burned,
        escrowed: config.escrowed,
        attested_reserves: config.attested_reserves,
        matches,
    });
    Ok(())
}
