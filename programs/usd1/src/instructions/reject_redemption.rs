use crate::{
    constants::*,
    error::Usd1Error,
    events::RedemptionRejected,
    state::{Config, RedemptionRequest, RedemptionStatus},
    utils::{associated_token_address, escrow_transfer, is_denylisted, now, token_account_of_mint},
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
    pub burner: Signer<'info>,
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = burner @ Usd1Error::Unauthorized,
        has_one = mint @ Usd1Error::InvalidMint
    )]
    pub config: Box<Account<'info, Config>>,
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, seeds = [ESCROW_SEED, config.key().as_ref()], bump = config.escrow_bump)]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut,
        seeds = [REDEMPTION_SEED, config.key().as_ref(), params.holder.as_ref(), params.reference_hash.as_ref()],
        bump = request.bump
    )]
    pub request: Box<Account<'info, RedemptionRequest>>,
    /// CHECK: where the tokens go back: the request's source account while the holder still
    /// owns it, otherwise (closed or re-owned) the holder's associated token account. The
    /// handler checks that it is a token account of this mint owned by the holder.
    #[account(mut)]
    pub holder_token: UncheckedAccount<'info>,
    /// CHECK: the request's recorded source account (address-checked), read to decide whether
    /// the holder's associated account may receive instead: only when the source is gone or no
    /// longer the holder's.
    #[account(address = request.holder_token @ Usd1Error::InvalidTokenAccount)]
    pub recorded_source: UncheckedAccount<'info>,
    /// CHECK: the DenylistEntry PDA of the receiving account's owner, who must be the holder
    /// (exists only while denylisted).
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), request.holder.as_ref()], bump)]
    pub holder_denylist_entry: UncheckedAccount<'info>,
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
    let receiving = ctx.accounts.holder_token.key();
    let view = token_account_of_mint(&ctx.accounts.holder_token.to_account_info(), &ctx.accounts.mint.key())?;
    // The receiving account's current owner must be the holder: a re-owned source account
    // would hand the tokens to whoever owns it now.
    require_keys_eq!(view.owner, holder, Usd1Error::InvalidTokenAccount);
    view.require_can_receive(&ctx.accounts.config.key())?;
    if receiving != ctx.accounts.request.holder_token {
        let source_still_holders = token_account_of_mint(&ctx.accounts.recorded_source.to_account_info(), &ctx.accounts.mint.key())
            .is_ok_and(|source| source.owner == holder);
        require!(
            !source_still_holders && receiving == associated_token_address(&holder, &ctx.accounts.mint.key()),
            Usd1Error::InvalidTokenAccount
        );
    }
    require!(!is_denylisted(&ctx.accounts.holder_denylist_entry), Usd1Error::Denylisted);
    let amount = ctx.accounts.request.amount;

    let config = &ctx.accounts.config;
    let seeds = config.signer_seeds();
    escrow_transfer(
        &ctx.accounts.token_program.to_account_info(),
        &ctx.accounts.mint.to_account_info(),
        &ctx.accounts.escrow.to_account_info(),
        &ctx.accounts.holder_token.to_account_info(),
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
