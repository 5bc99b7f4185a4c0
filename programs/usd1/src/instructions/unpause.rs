use crate::{events::Unpaused, instructions::pause::{set_pause, PauseParams, SetPause}};
use anchor_lang::prelude::*;

/// Pauser: resumes minting, redemptions, transfers or all three.
pub fn handler(mut ctx: Context<SetPause>, params: PauseParams) -> Result<()> {
    let seq = set_pause(&mut ctx, params.scope, false)?;
    let config = &ctx.accounts.config;
    emit_cpi!(Unpaused {
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
