use crate::{constants::*, error::Usd1Error, events::SupplyChecked, state::Config};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount};

#[event_cpi]
#[derive(Accounts)]
pub struct CheckSupply<'info> {
    /// The Config's mint (its supply).
    #[account(address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The mint's Config (counters; records the check's event seq).
    #[account(mut, seeds = [CONFIG_SEED, mint.key().as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The Escrow (its balance against the open requests).
    #[account(seeds = [ESCROW_SEED, config.key().as_ref()], bump = config.escrow_bump)]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,
}

/// What the counters say about supply and the Escrow (SPEC section 9).
pub struct SupplyReport {
    pub unattributed_burned: u64,
    pub escrow_excess: u64,
    pub matches: bool,
}

impl SupplyReport {
    /// `matches` when supply <= total_minted - total_burned: tokens can disappear outside
    /// the program (a holder's direct burn), never appear.
    pub fn new(config: &Config, supply: u64, escrow_balance: u64) -> SupplyReport {
        let net_minted = config.total_minted.saturating_sub(config.total_burned);
        SupplyReport {
            unattributed_burned: net_minted.saturating_sub(supply),
            escrow_excess: escrow_balance.saturating_sub(config.escrowed),
            matches: config.total_minted >= config.total_burned && supply <= net_minted,
        }
    }
}

/// Anyone: reports supply against total_minted - total_burned, unattributed burns and the
/// Escrow's excess as a `SupplyChecked` event.
pub fn handler(ctx: Context<CheckSupply>) -> Result<()> {
    let supply = ctx.accounts.mint.supply;
    let escrow_balance = ctx.accounts.escrow.amount;
    let config = &mut ctx.accounts.config;
    let report = SupplyReport::new(config, supply, escrow_balance);
    let seq = config.next_event_seq()?;
    emit_cpi!(SupplyChecked {
        mint: config.mint,
        seq,
        supply,
        total_minted: config.total_minted,
        total_burned: config.total_burned,
        unattributed_burned: report.unattributed_burned,
        escrowed: config.escrowed,
        escrow_excess: report.escrow_excess,
        attested_reserves: config.attested_reserves,
        matches: report.matches,
    });
    Ok(())
}
