use crate::{
    constants::*,
    error::Usd1Error,
    events::EscrowSwept,
    state::Config,
    utils::{escrow_transfer, is_denylisted, token_account_of_mint},
};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::Token2022,
    token_interface::{Mint, TokenAccount},
};

#[event_cpi]
#[derive(Accounts)]
pub struct SweepEscrow<'info> {
    /// The burner.
    pub burner: Signer<'info>,
    /// The mint's Config (Escrow authority; open requests).
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = burner @ Usd1Error::Unauthorized,
        has_one = mint @ Usd1Error::InvalidMint
    )]
    pub config: Box<Account<'info, Config>>,
    /// The Config's mint.
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The Escrow.
    #[account(mut, seeds = [ESCROW_SEED, config.key().as_ref()], bump = config.escrow_bump)]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The wallet that owns `to` (v3: named so that its DenylistEntry derives from a key the caller knows).
    /// CHECK: only its key is used; `to`'s constraint ties it to that account's owner.
    pub to_owner: UncheckedAccount<'info>,
    /// Receives the excess: a token account of this mint owned by `to_owner`, not by the Config.
    #[account(
        mut,
        token::mint = mint,
        token::token_program = token_program,
        constraint = to.owner == to_owner.key() @ Usd1Error::InvalidTokenAccount
    )]
    pub to: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The DenylistEntry PDA `["denylist", config, to_owner]` (exists only while denylisted).
    /// CHECK: the DenylistEntry PDA of `to`'s owner (exists only while denylisted); the seeds pin its address.
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), to_owner.key().as_ref()], bump)]
    pub to_denylist_entry: UncheckedAccount<'info>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
}

/// Burner: moves every Escrow token beyond the open redemption requests (outside deposits) to `to`.
pub fn handler(ctx: Context<SweepEscrow>) -> Result<()> {
    let config = &ctx.accounts.config;
    require!(!config.redeem_paused, Usd1Error::RedemptionsPaused);
    require_keys_neq!(ctx.accounts.to.owner, config.key(), Usd1Error::InvalidRecipient);
    token_account_of_mint(&ctx.accounts.to.to_account_info(), &ctx.accounts.mint.key())?.require_can_receive(&config.key())?;
    require!(!is_denylisted(&ctx.accounts.to_denylist_entry), Usd1Error::Denylisted);
    let excess = ctx.accounts.escrow.amount.saturating_sub(config.escrowed);
    require!(excess > 0, Usd1Error::NothingToSweep);

    let seeds = config.signer_seeds();
    escrow_transfer(
        &ctx.accounts.token_program.to_account_info(),
        &ctx.accounts.mint.to_account_info(),
        &ctx.accounts.escrow.to_account_info(),
        &ctx.accounts.to.to_account_info(),
        &config.to_account_info(),
        &config.to_account_info(),
        &seeds,
        excess,
        config.decimals,
    )?;

    let to = ctx.accounts.to.key();
    let config = &mut ctx.accounts.config;
    let seq = config.next_event_seq()?;
    emit_cpi!(EscrowSwept {
        mint: config.mint,
        seq,
        burner: ctx.accounts.burner.key(),
        to,
        amount: excess,
        escrowed: config.escrowed,
    });
    Ok(())
}
