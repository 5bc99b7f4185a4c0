use crate::{
    constants::*,
    error::Usd1Error,
    events::RedemptionRejected,
    state::{Config, RedemptionRequest, RedemptionStatus},
    utils::{is_denylisted, now, token_account_of_mint, ConfigTokenActions},
};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::{mint_to, MintTo, Token2022},
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
        bump = request.bump
    )]
    pub request: Box<Account<'info, RedemptionRequest>>,
    /// The holder's associated token account, which receives the tokens back (v3: always; the
    /// client creates it idempotently in the same transaction).
    /// CHECK: the holder's associated token account; the seeds pin its address, the handler reads it as the holder's.
    #[account(
        mut,
        seeds = [params.holder.as_ref(), token_program.key().as_ref(), mint.key().as_ref()],
        seeds::program = ASSOCIATED_TOKEN_PROGRAM_ID,
        bump
    )]
    pub holder_associated_token: UncheckedAccount<'info>,
    /// The holder's DenylistEntry PDA `["denylist", config, holder]` (exists only while denylisted: the rejection then waits).
    /// CHECK: the holder's DenylistEntry PDA; the seeds pin its address.
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), params.holder.as_ref()], bump)]
    pub holder_denylist_entry: UncheckedAccount<'info>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
}

/// Burner: returns a pending request's escrowed tokens to the holder's associated token account.
///
/// v3: always that account, never the request's source: a holder could otherwise make its own
/// request impossible to reject (close the source and re-create it without ImmutableOwner, or
/// turn on MemoTransfer there). The tokens are burned from the Escrow and minted to the
/// associated account (the Config is the Escrow's owner and the mint authority), so no
/// transfer runs: no memo requirement, no hook. Supply ends where it was.
///
/// A holder denylisted since the request cannot receive tokens: the rejection is
/// refused with `Denylisted`, the tokens stay escrowed and the request stays
/// pending, so nothing is lost. The burner can reject again once the wallet is
/// removed from the denylist, or complete the request if the case so decides.
pub fn handler(ctx: Context<RejectRedemption>, params: RejectRedemptionParams) -> Result<()> {
    require!(!ctx.accounts.config.redeem_paused, Usd1Error::RedemptionsPaused);
    require!(ctx.accounts.request.status == RedemptionStatus::Pending, Usd1Error::RedemptionNotPending);
    let holder = ctx.accounts.request.holder;
    let mint_key = ctx.accounts.mint.key();
    let receiving = ctx.accounts.holder_associated_token.to_account_info();
    let view = token_account_of_mint(&receiving, &mint_key)?;
    require_keys_eq!(view.owner, holder, Usd1Error::InvalidTokenAccount);
    view.require_can_receive(&ctx.accounts.config.key())?;
    require!(!is_denylisted(&ctx.accounts.holder_denylist_entry), Usd1Error::Denylisted);
    let amount = ctx.accounts.request.amount;

    let config = &ctx.accounts.config;
    let seeds = config.signer_seeds();
    let signer: &[&[&[u8]]] = &[&seeds];
    let (token_program, mint_info, config_info) =
        (ctx.accounts.token_program.to_account_info(), ctx.accounts.mint.to_account_info(), config.to_account_info());
    ConfigTokenActions::new(&token_program, &mint_info, &config_info, signer)?
        .burn(&ctx.accounts.escrow.to_account_info(), amount)?;
    mint_to(
        CpiContext::new_with_signer(
            token_program.key(),
            MintTo { mint: mint_info, to: receiving, authority: config_info },
            signer,
        ),
        amount,
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
