use crate::{
    constants::*,
    error::Usd1Error,
    events::Undenylisted,
    state::{Config, DenylistEntry},
    utils::{lift_denylisting, load_optional, set_accounts_frozen, wallet_token_accounts},
};
use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct DenylistRemoveParams {
    /// The wallet whose denylisting is lifted.
    pub wallet: Pubkey,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: DenylistRemoveParams)]
pub struct DenylistRemove<'info> {
    /// Receives the entry's rent.
    #[account(mut)]
    pub denylister: Signer<'info>,
    /// The USD1 mint (Token-2022); the Config's seed.
    /// CHECK: the Config's mint (address-checked); Token-2022 thaws its accounts.
    #[account(address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = denylister @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
    /// The wallet's DenylistEntry `["denylist", config, wallet]`.
    /// CHECK: closed here when it exists (a missing entry is `NotDenylisted`); the seeds pin its address.
    #[account(mut, seeds = [DENYLIST_SEED, config.key().as_ref(), params.wallet.as_ref()], bump)]
    pub denylist_entry: UncheckedAccount<'info>,
    /// The DenylistRegistry `["denylist-registry", config]` the transfer hook reads.
    /// CHECK: the config's DenylistRegistry, which the hook reads (the seeds, with the bump stored in Config, pin it).
    #[account(mut, seeds = [DENYLIST_REGISTRY_SEED, config.key().as_ref()], bump = config.denylist_registry_bump)]
    pub denylist_registry: UncheckedAccount<'info>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
    // Remaining accounts: the wallet's token accounts of this mint (writable); the frozen ones are thawed.
}

/// Denylister: lifts a wallet's denylisting (closes its entry) and thaws the frozen token
/// accounts of the mint it owns that are passed as remaining accounts. Refused (`SeizurePending`)
/// while an open seize proposal names the wallet.
pub fn handler<'info>(ctx: Context<'info, DenylistRemove<'info>>, params: DenylistRemoveParams) -> Result<()> {
    let entry = ctx.accounts.denylist_entry.to_account_info();
    let Some(record) = load_optional::<DenylistEntry>(&entry)? else { return err!(Usd1Error::NotDenylisted) };
    // v3: an approved seizure cannot be dodged by unlisting its owner.
    require!(record.open_seizures == 0, Usd1Error::SeizurePending);
    // The entry closed and the registry the hook reads one wallet shorter; the rent goes to the denylister.
    let registry = ctx.accounts.denylist_registry.to_account_info();
    lift_denylisting(&entry, &registry, &ctx.accounts.denylister.to_account_info(), &params.wallet)?;

    let mint = ctx.accounts.config.mint;
    let accounts = wallet_token_accounts(ctx.remaining_accounts, &mint, &params.wallet)?;
    let seeds = ctx.accounts.config.signer_seeds();
    let (token_program, mint_info) = (ctx.accounts.token_program.to_account_info(), ctx.accounts.mint.to_account_info());
    let config_info = ctx.accounts.config.to_account_info();
    let thawed_accounts = set_accounts_frozen(&token_program, &mint_info, &config_info, &seeds, &accounts, false)?;

    let config = &mut ctx.accounts.config;
    let seq = config.next_event_seq()?;
    let by = ctx.accounts.denylister.key();
    emit_cpi!(Undenylisted { mint, seq, wallet: params.wallet, by, thawed_accounts });
    Ok(())
}
