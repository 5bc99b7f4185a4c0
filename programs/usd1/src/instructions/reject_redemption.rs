use crate::{
    constants::*,
    error::Usd1Error,
    events::RedemptionRejected,
    state::{Config, RedemptionRequest, RedemptionStatus},
    utils::{escrow_transfer, is_denylisted, now, token_account_of_mint},
};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::Token2022,
    token_interface::{Mint, TokenAccount},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct RejectRedemptionParams {
    /// The holder who requested the redemption (the request is keyed by holder and reference).
    pub holder: Pubkey,
    /// sha256 of the redemption ticket id.
    pub reference_hash: [u8; 32],
    /// sha256 of the rejection reason.
    pub reason_hash: [u8; 32],
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: RejectRedemptionParams)]
pub struct RejectRedemption<'info> {
    /// The burner role key.
    pub burner: Signer<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = burner @ Usd1Error::Unauthorized,
        has_one = mint @ Usd1Error::InvalidMint
    )]
    pub config: Box<Account<'info, Config>>,
    /// The USD1 mint (Token-2022), the Config's `mint`.
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The Escrow: the Config-owned token account `["escrow", config]` holding tokens awaiting redemption.
    #[account(mut, seeds = [ESCROW_SEED, config.key().as_ref()], bump = config.escrow_bump)]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The pending request (keyed by holder and reference).
    #[account(
        mut,
        seeds = [REDEMPTION_SEED, config.key().as_ref(), params.holder.as_ref(), params.reference_hash.as_ref()],
        bump = request.bump,
        has_one = holder_token @ Usd1Error::InvalidTokenAccount
    )]
    pub request: Box<Account<'info, RedemptionRequest>>,
    /// CHECK: the request's source account (has_one on the request): receives the tokens back
    /// while it still exists and the holder still owns it.
    #[account(mut)]
    pub holder_token: UncheckedAccount<'info>,
    /// CHECK: the holder's associated token account (its address is derived here): receives
    /// the tokens instead when the source account is gone or no longer the holder's. It may be
    /// the source itself, and need not exist otherwise.
    #[account(
        mut,
        seeds = [request.holder.as_ref(), token_program.key().as_ref(), mint.key().as_ref()],
        seeds::program = ASSOCIATED_TOKEN_PROGRAM_ID,
        bump
    )]
    pub holder_associated_token: UncheckedAccount<'info>,
    /// CHECK: the DenylistEntry PDA of the receiving account's owner, who must be the holder
    /// (exists only while denylisted).
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), request.holder.as_ref()], bump)]
    pub holder_denylist_entry: UncheckedAccount<'info>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
}

/// Burner: returns a pending request's escrowed tokens to the holder: to the source account
/// while the holder still owns it, otherwise to the holder's associated token account.
///
/// A holder denylisted since the request cannot receive tokens: the rejection is
/// refused with `Denylisted`, the tokens stay escrowed and the request stays
/// pending, so nothing is lost. The burner can reject again once the wallet is
/// removed from the denylist, or complete the request if the case so decides.
pub fn handler(ctx: Context<RejectRedemption>, params: RejectRedemptionParams) -> Result<()> {
    require!(!ctx.accounts.config.redeem_paused, Usd1Error::RedemptionsPaused);
    require!(ctx.accounts.request.status == RedemptionStatus::Pending, Usd1Error::RedemptionNotPending);
    let holder = ctx.accounts.request.holder;
    // Back to the source while the holder still owns it; otherwise (closed or re-owned) to the
    // holder's associated account. Either way the receiving owner must be the holder: a
    // re-owned source would hand the tokens to whoever owns it now.
    let mint_key = ctx.accounts.mint.key();
    let source_still_holders =
        token_account_of_mint(&ctx.accounts.holder_token.to_account_info(), &mint_key).is_ok_and(|source| source.owner == holder);
    let receiving = if source_still_holders { &ctx.accounts.holder_token } else { &ctx.accounts.holder_associated_token };
    let receiving = receiving.to_account_info();
    let view = token_account_of_mint(&receiving, &mint_key)?;
    require_keys_eq!(view.owner, holder, Usd1Error::InvalidTokenAccount);
    view.require_can_receive(&ctx.accounts.config.key())?;
    require!(!is_denylisted(&ctx.accounts.holder_denylist_entry), Usd1Error::Denylisted);
    let amount = ctx.accounts.request.amount;

    let config = &ctx.accounts.config;
    let seeds = config.signer_seeds();
    escrow_transfer(
        &ctx.accounts.token_program.to_account_info(),
        &ctx.accounts.mint.to_account_info(),
        &ctx.accounts.escrow.to_account_info(),
        &receiving,
        &config.to_account_info(),
        &config.to_account_info(),
        &seeds,
        amount,
        config.decimals,
    )?;

    let request = &mut ctx.accounts.request;
    request.status = RedemptionStatus::Rejected;
    request.settled_at = now()?;
    request.settlement_hash = params.reason_hash;

    let config = &mut ctx.accounts.config;
    config.escrowed = config.escrowed.checked_sub(amount).ok_or(Usd1Error::MathOverflow)?;
    config.pending_redemptions = config.pending_redemptions.checked_sub(1).ok_or(Usd1Error::MathOverflow)?;
    let seq = config.next_event_seq()?;
    emit_cpi!(RedemptionRejected {
        mint: config.mint,
        seq,
        holder,
        amount,
        reference_hash: params.reference_hash,
        reason_hash: params.reason_hash,
        escrowed: config.escrowed,
    });
    Ok(())
}
