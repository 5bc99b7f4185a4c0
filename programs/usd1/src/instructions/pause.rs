use crate::{
    constants::*,
    error::Usd1Error,
    events::Paused,
    state::{Config, PauseScope},
};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::Token2022,
    token_interface::{pausable_pause, pausable_resume, PausableToggle},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct PauseParams {
    /// mint, redeem, transfers or all.
    pub scope: PauseScope,
}

/// Accounts shared by `pause` and `unpause`.
#[event_cpi]
#[derive(Accounts)]
pub struct SetPause<'info> {
    /// The pauser role key.
    pub pauser: Signer<'info>,
    /// The USD1 mint (Token-2022); the Config's seed.
    /// CHECK: the Config's mint (address-checked); Token-2022 validates its Pausable extension.
    #[account(mut, address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = pauser @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
}

/// Sets the scope's flags; sets or lifts Token-2022 Pausable only when "every scope paused" changes.
/// Idempotent on purpose: "pause all" during an incident must never fail because one scope was already paused.
pub(crate) fn set_pause(ctx: &mut Context<SetPause>, scope: PauseScope, paused: bool) -> Result<u64> {
    let fully_paused_changed = ctx.accounts.config.apply_pause(scope, paused);
    if fully_paused_changed {
        let config = &ctx.accounts.config;
        let seeds = config.signer_seeds();
        let signer_seeds: &[&[&[u8]]] = &[&seeds];
        let cpi = CpiContext::new_with_signer(
            ctx.accounts.token_program.key(),
            PausableToggle {
                token_program_id: ctx.accounts.token_program.to_account_info(),
                mint: ctx.accounts.mint.to_account_info(),
                authority: config.to_account_info(),
            },
            signer_seeds,
        );
        if config.fully_paused() {
            pausable_pause(cpi)?;
        } else {
            pausable_resume(cpi)?;
        }
    }
    ctx.accounts.config.next_event_seq()
}

/// Pauser: stops minting, redemptions, holder transfers (the hook) or all three (also Token-2022 Pausable).
pub fn handler(mut ctx: Context<SetPause>, params: PauseParams) -> Result<()> {
    let seq = set_pause(&mut ctx, params.scope, true)?;
    let config = &ctx.accounts.config;
    emit_cpi!(Paused {
        mint: config.mint,
        seq,
        scope: params.scope,
        by: ctx.accounts.pauser.key(),
        mint_paused: config.mint_paused,
        redeem_paused: config.redeem_paused,
        transfers_paused: config.transfers_paused,
    });
    Ok(())
}
