use crate::{
    constants::*,
    error::Usd1Error,
    events::Denylisted,
    state::{Config, DenylistEntry, DenylistRegistry},
    utils::{create_pda_account, grow_account, now, set_accounts_frozen, wallet_token_accounts, write_account},
};
use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct DenylistAddParams {
    /// The wallet to denylist.
    pub wallet: Pubkey,
    /// sha256 of the compliance case reference.
    pub reason_hash: [u8; 32],
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: DenylistAddParams)]
pub struct DenylistAdd<'info> {
    /// Pays the entry's rent and gets it back on removal.
    #[account(mut)]
    pub denylister: Signer<'info>,
    /// The USD1 mint (Token-2022); the Config's seed.
    /// CHECK: the Config's mint (address-checked); Token-2022 freezes its accounts.
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
    /// CHECK: created here; its existence is the denylisting. The seeds pin its address.
    #[account(mut, seeds = [DENYLIST_SEED, config.key().as_ref(), params.wallet.as_ref()], bump)]
    pub denylist_entry: UncheckedAccount<'info>,
    /// The DenylistRegistry `["denylist-registry", config]` the transfer hook reads.
    /// CHECK: the config's DenylistRegistry, which the hook reads (the seeds, with the bump stored in Config, pin it).
    #[account(mut, seeds = [DENYLIST_REGISTRY_SEED, config.key().as_ref()], bump = config.denylist_registry_bump)]
    pub denylist_registry: UncheckedAccount<'info>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
    /// The system program (creates accounts).
    pub system_program: Program<'info, System>,
    // Remaining accounts: every token account of this mint the wallet owns (writable); each is frozen.
}

impl DenylistAdd<'_> {
    pub fn validate(&self, params: &DenylistAddParams) -> Result<()> {
        // The Config owns the Escrow: denylisting it would strand every pending redemption.
        require_keys_neq!(params.wallet, self.config.key(), Usd1Error::ProtectedAccount);
        // v3: a council member is removed by the council (`set_council`) before it can be
        // listed; otherwise the denylister alone could silence enough members to stall it.
        require!(!self.config.is_council_member(&params.wallet), Usd1Error::CouncilRequired);
        require!(self.denylist_entry.data_is_empty(), Usd1Error::Denylisted);
        Ok(())
    }
}

/// Denylister: blocks a wallet from sending, receiving, being minted to or redeeming, and freezes
/// every token account of the mint it owns that is passed as a remaining account.
pub fn handler<'info>(ctx: Context<'info, DenylistAdd<'info>>, params: DenylistAddParams) -> Result<()> {
    let config_key = ctx.accounts.config.key();
    let bump = ctx.bumps.denylist_entry;
    let seeds: &[&[u8]] = &[DENYLIST_SEED, config_key.as_ref(), params.wallet.as_ref(), &[bump]];
    let info = ctx.accounts.denylist_entry.to_account_info();
    create_pda_account(
        &ctx.accounts.denylister.to_account_info(),
        &info,
        &ctx.accounts.system_program.to_account_info(),
        &crate::ID,
        DenylistEntry::SPACE,
        seeds,
    )?;
    let by = ctx.accounts.denylister.key();
    write_account(
        &info,
        &DenylistEntry { bump, wallet: params.wallet, reason_hash: params.reason_hash, added_at: now()?, added_by: by, open_seizures: 0 },
    )?;

    // The registry the hook reads: one wallet more, in order.
    let registry = ctx.accounts.denylist_registry.to_account_info();
    let new_len = DenylistRegistry::space(DenylistRegistry::count(&registry.try_borrow_data()?)? + 1);
    grow_account(&registry, &ctx.accounts.denylister.to_account_info(), &ctx.accounts.system_program.to_account_info(), new_len)?;
    require!(DenylistRegistry::insert(&mut registry.try_borrow_mut_data()?, &params.wallet)?, Usd1Error::Denylisted);

    // A frozen account cannot transfer, receive, approve, burn or change owner: handing a
    // non-associated account to a fresh key no longer escapes the denylist.
    let mint = ctx.accounts.config.mint;
    let accounts = wallet_token_accounts(ctx.remaining_accounts, &mint, &params.wallet)?;
    let seeds = ctx.accounts.config.signer_seeds();
    let (token_program, mint_info) = (ctx.accounts.token_program.to_account_info(), ctx.accounts.mint.to_account_info());
    let config_info = ctx.accounts.config.to_account_info();
    let frozen_accounts = set_accounts_frozen(&token_program, &mint_info, &config_info, &seeds, &accounts, true)?;

    let config = &mut ctx.accounts.config;
    let seq = config.next_event_seq()?;
    emit_cpi!(Denylisted { mint, seq, wallet: params.wallet, reason_hash: params.reason_hash, by, frozen_accounts });
    Ok(())
}
