use crate::{constants::*, error::Usd1Error, events::Burned, state::Config, utils::token_account_of_mint};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::{burn, Burn, Token2022},
    token_interface::Mint,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct BurnParams {
    /// Base units to burn.
    pub amount: u64,
}

#[event_cpi]
#[derive(Accounts)]
pub struct BurnTokens<'info> {
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
    /// A token account of this mint that the burner owns (never one it is only delegate of); the tokens burn from it.
    /// CHECK: read in the handler, after the role check, so that a caller without the role gets `Unauthorized`.
    #[account(mut)]
    pub burner_token: UncheckedAccount<'info>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
}

/// Burner: burns tokens from its own account (tokens sent to the issuer outside the redemption flow).
/// Refused while redemptions are paused, like every other redemption movement.
pub fn handler(ctx: Context<BurnTokens>, params: BurnParams) -> Result<()> {
    require!(!ctx.accounts.config.redeem_paused, Usd1Error::RedemptionsPaused);
    require!(params.amount > 0, Usd1Error::InvalidAmount);
    let source = ctx.accounts.burner_token.key();
    let view = token_account_of_mint(&ctx.accounts.burner_token.to_account_info(), &ctx.accounts.mint.key())?;
    require_keys_eq!(view.owner, ctx.accounts.burner.key(), Usd1Error::InvalidTokenAccount);
    burn(
        CpiContext::new(
            ctx.accounts.token_program.key(),
            Burn {
                mint: ctx.accounts.mint.to_account_info(),
                from: ctx.accounts.burner_token.to_account_info(),
                authority: ctx.accounts.burner.to_account_info(),
            },
        ),
        params.amount,
    )?;
    let supply = ctx.accounts.mint.supply.checked_sub(params.amount).ok_or(Usd1Error::MathOverflow)?;
    let config = &mut ctx.accounts.config;
    config.total_burned = config.total_burned.checked_add(params.amount).ok_or(Usd1Error::MathOverflow)?;
    let seq = config.next_event_seq()?;
    emit_cpi!(Burned { mint: config.mint, seq, burner: ctx.accounts.burner.key(), source, amount: params.amount, supply });
    Ok(())
}
