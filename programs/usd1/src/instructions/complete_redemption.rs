use crate::{
    constants::*,
    error::Usd1Error,
    events::RedemptionCompleted,
    state::{Config, RedemptionRequest, RedemptionStatus},
    utils::now,
};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::{burn, Burn, Token2022},
    token_interface::{Mint, TokenAccount},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct CompleteRedemptionParams {
    /// The holder who requested the redemption (the request is keyed by holder and reference).
    pub holder: Pubkey,
    /// sha256 of the redemption ticket id.
    pub reference_hash: [u8; 32],
    /// sha256 of the outgoing payment reference (the wire that paid the holder).
    pub payout_reference_hash: [u8; 32],
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: CompleteRedemptionParams)]
pub struct CompleteRedemption<'info> {
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
    /// The redemption request `["redemption", config, holder, reference_hash]`.
    #[account(
        mut,
        seeds = [REDEMPTION_SEED, config.key().as_ref(), params.holder.as_ref(), params.reference_hash.as_ref()],
        bump = request.bump
    )]
    pub request: Box<Account<'info, RedemptionRequest>>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
}

/// Burner: after paying the holder off-chain, burns the escrowed tokens of a pending request.
pub fn handler(ctx: Context<CompleteRedemption>, params: CompleteRedemptionParams) -> Result<()> {
    require!(!ctx.accounts.config.redeem_paused, Usd1Error::RedemptionsPaused);
    require!(ctx.accounts.request.status == RedemptionStatus::Pending, Usd1Error::RedemptionNotPending);
    let amount = ctx.accounts.request.amount;

    let config = &ctx.accounts.config;
    let seeds = config.signer_seeds();
    burn(
        CpiContext::new_with_signer(
            ctx.accounts.token_program.key(),
            Burn {
                mint: ctx.accounts.mint.to_account_info(),
                from: ctx.accounts.escrow.to_account_info(),
                authority: config.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
    )?;

    let request = &mut ctx.accounts.request;
    request.status = RedemptionStatus::Completed;
    request.settled_at = now()?;
    request.settlement_hash = params.payout_reference_hash;
    let holder = request.holder;
    let supply = ctx.accounts.mint.supply.checked_sub(amount).ok_or(Usd1Error::MathOverflow)?;

    let config = &mut ctx.accounts.config;
    config.total_burned = config.total_burned.checked_add(amount).ok_or(Usd1Error::MathOverflow)?;
    config.escrowed = config.escrowed.checked_sub(amount).ok_or(Usd1Error::MathOverflow)?;
    config.pending_redemptions = config.pending_redemptions.checked_sub(1).ok_or(Usd1Error::MathOverflow)?;
    let seq = config.next_event_seq()?;
    emit_cpi!(RedemptionCompleted {
        mint: config.mint,
        seq,
        holder,
        amount,
        reference_hash: params.reference_hash,
        payout_reference_hash: params.payout_reference_hash,
        supply,
        escrowed: config.escrowed,
    });
    Ok(())
}
