use crate::{constants::*, error::Usd1Error, events::AccountFrozen, state::Config};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::{freeze_account, thaw_account, FreezeAccount, ThawAccount, Token2022},
    token_interface::{Mint, TokenAccount},
};

/// Accounts shared by `freeze` and `thaw`.
#[event_cpi]
#[derive(Accounts)]
pub struct SetFrozen<'info> {
    /// The denylister role key.
    pub denylister: Signer<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = denylister @ Usd1Error::Unauthorized,
        has_one = mint @ Usd1Error::InvalidMint
    )]
    pub config: Box<Account<'info, Config>>,
    /// The USD1 mint (Token-2022), the Config's `mint`.
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The wallet that owns `token_account` (v3: named so that its DenylistEntry derives from a key the caller knows).
    /// CHECK: only its key is used; `token_account`'s constraint ties it to that account's owner.
    pub owner: UncheckedAccount<'info>,
    /// Any token account of this mint (not only associated ones), owned by `owner`.
    #[account(
        mut,
        token::mint = mint,
        token::token_program = token_program,
        constraint = token_account.owner == owner.key() @ Usd1Error::InvalidTokenAccount
    )]
    pub token_account: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The owner's DenylistEntry PDA `["denylist", config, owner]` (exists only while denylisted):
    /// `thaw` refuses while it exists; `denylist_remove` thaws.
    /// CHECK: the owner's DenylistEntry PDA (exists only while denylisted); the seeds pin its address.
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), owner.key().as_ref()], bump)]
    pub owner_denylist_entry: UncheckedAccount<'info>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
}

impl SetFrozen<'_> {
    pub fn validate(&self) -> Result<()> {
        // A frozen Escrow would strand every pending redemption.
        let escrow = Pubkey::create_program_address(
            &[ESCROW_SEED, self.config.key().as_ref(), &[self.config.escrow_bump]],
            &crate::ID,
        )
        .map_err(|_| Usd1Error::ProtectedAccount)?;
        require_keys_neq!(self.token_account.key(), escrow, Usd1Error::ProtectedAccount);
        Ok(())
    }
}

/// What `freeze` and `thaw` report: the account, its owner, who acted and the event's seq.
pub(crate) struct FrozenChange {
    pub token_account: Pubkey,
    pub owner: Pubkey,
    pub by: Pubkey,
    pub seq: u64,
}

/// Freeze or thaw through the mint's freeze authority (the Config), then advance `seq`.
pub(crate) fn set_frozen(ctx: &mut Context<SetFrozen>, frozen: bool) -> Result<FrozenChange> {
    let accounts = &ctx.accounts;
    let config = &accounts.config;
    let seeds = config.signer_seeds();
    let signer: &[&[&[u8]]] = &[&seeds];
    let token_program_id = accounts.token_program.key();
    let (account, mint, authority) =
        (accounts.token_account.to_account_info(), accounts.mint.to_account_info(), config.to_account_info());
    if frozen {
        freeze_account(CpiContext::new_with_signer(token_program_id, FreezeAccount { account, mint, authority }, signer))?;
    } else {
        thaw_account(CpiContext::new_with_signer(token_program_id, ThawAccount { account, mint, authority }, signer))?;
    }
    let (token_account, owner, by) = (accounts.token_account.key(), accounts.token_account.owner, accounts.denylister.key());
    let seq = ctx.accounts.config.next_event_seq()?;
    Ok(FrozenChange { token_account, owner, by, seq })
}

/// Denylister: freezes a token account of this mint (Token-2022 freeze authority = Config).
pub fn handler(mut ctx: Context<SetFrozen>) -> Result<()> {
    let FrozenChange { token_account, owner, by, seq } = set_frozen(&mut ctx, true)?;
    let mint = ctx.accounts.config.mint;
    emit_cpi!(AccountFrozen { mint, seq, token_account, owner, by });
    Ok(())
}
