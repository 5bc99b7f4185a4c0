use crate::{
    constants::*,
    error::Usd1Error,
    events::RedemptionRequested,
    state::{Config, RedemptionRequest, RedemptionStatus},
    utils::{create_pda_account, escrow_transfer, is_denylisted, now, write_account},
};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::Token2022,
    token_interface::{Mint, TokenAccount},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct RequestRedemptionParams {
    /// Base units to redeem (moved to the Escrow).
    pub amount: u64,
    /// sha256 of the redemption ticket id.
    pub reference_hash: [u8; 32],
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: RequestRedemptionParams)]
pub struct RequestRedemption<'info> {
    /// The holder; pays the request's rent (the request is kept forever).
    #[account(mut)]
    pub holder: Signer<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = mint @ Usd1Error::InvalidMint
    )]
    pub config: Box<Account<'info, Config>>,
    /// The USD1 mint (Token-2022), the Config's `mint`.
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The holder's token account the tokens leave (its associated account unless another is named).
    #[account(mut, token::mint = mint, token::authority = holder, token::token_program = token_program)]
    pub holder_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The Escrow: the Config-owned token account `["escrow", config]` holding tokens awaiting redemption.
    #[account(mut, seeds = [ESCROW_SEED, config.key().as_ref()], bump = config.escrow_bump)]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The holder's DenylistEntry PDA (exists only while denylisted).
    /// CHECK: the holder's DenylistEntry PDA (exists only while denylisted).
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), holder.key().as_ref()], bump)]
    pub holder_denylist_entry: UncheckedAccount<'info>,
    /// The new RedemptionRequest `["redemption", config, holder, reference_hash]`.
    /// CHECK: created here; its existence means the reference was used. The seeds pin its address.
    #[account(mut, seeds = [REDEMPTION_SEED, config.key().as_ref(), holder.key().as_ref(), params.reference_hash.as_ref()], bump)]
    pub request: UncheckedAccount<'info>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
    /// The system program (creates accounts).
    pub system_program: Program<'info, System>,
}

/// Any holder not denylisted: moves `amount` to the Escrow and records a pending request.
pub fn handler(ctx: Context<RequestRedemption>, params: RequestRedemptionParams) -> Result<()> {
    let amount = params.amount;
    require!(!ctx.accounts.config.redeem_paused, Usd1Error::RedemptionsPaused);
    require!(amount > 0, Usd1Error::InvalidAmount);
    require!(!is_denylisted(&ctx.accounts.holder_denylist_entry), Usd1Error::Denylisted);
    let request_info = ctx.accounts.request.to_account_info();
    require!(request_info.data_is_empty(), Usd1Error::DuplicateReference);

    let config_key = ctx.accounts.config.key();
    let bump = ctx.bumps.request;
    let holder_key = ctx.accounts.holder.key();
    let request_seeds: &[&[u8]] = &[REDEMPTION_SEED, config_key.as_ref(), holder_key.as_ref(), &params.reference_hash, &[bump]];
    create_pda_account(
        &ctx.accounts.holder.to_account_info(),
        &request_info,
        &ctx.accounts.system_program.to_account_info(),
        &crate::ID,
        RedemptionRequest::SPACE,
        request_seeds,
    )?;
    let holder = ctx.accounts.holder.key();
    write_account(
        &request_info,
        &RedemptionRequest {
            bump,
            holder,
            holder_token: ctx.accounts.holder_token.key(),
            amount,
            requested_at: now()?,
            status: RedemptionStatus::Pending,
            settled_at: 0,
            settlement_hash: [0; 32],
        },
    )?;

    let config = &ctx.accounts.config;
    let seeds = config.signer_seeds();
    escrow_transfer(
        &ctx.accounts.token_program.to_account_info(),
        &ctx.accounts.mint.to_account_info(),
        &ctx.accounts.holder_token.to_account_info(),
        &ctx.accounts.escrow.to_account_info(),
        &ctx.accounts.holder.to_account_info(),
        &config.to_account_info(),
        &seeds,
        amount,
        config.decimals,
    )?;

    let config = &mut ctx.accounts.config;
    config.escrowed = config.escrowed.checked_add(amount).ok_or(Usd1Error::MathOverflow)?;
    config.pending_redemptions = config.pending_redemptions.checked_add(1).ok_or(Usd1Error::MathOverflow)?;
    let seq = config.next_event_seq()?;
    emit_cpi!(RedemptionRequested {
        mint: config.mint,
        seq,
        holder,
        amount,
        reference_hash: params.reference_hash,
        escrowed: config.escrowed,
    });
    Ok(())
}
