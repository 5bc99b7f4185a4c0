use crate::{
    constants::*,
    error::Usd1Error,
    events::Minted,
    state::{Config, MintReceipt, Minter},
    utils::{create_pda_account, is_denylisted, load_optional, program_account_exists, token_account_of_mint, write_account},
};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::{mint_to, MintTo, Token2022},
    token_interface::{Mint, TokenAccount},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct MintParams {
    /// Base units.
    pub amount: u64,
    /// sha256 of the off-chain deposit reference (bank wire id); the reference itself never goes on chain.
    pub reference_hash: [u8; 32],
    /// Unix time after which this mint is refused (`MintExpired`): a signed transaction,
    /// durable nonce or not, cannot be sent later than this.
    pub valid_until: i64,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: MintParams)]
pub struct MintTokens<'info> {
    /// An active, not denylisted minter (its Minter account holds its allowance).
    pub minter: Signer<'info>,
    /// Pays the receipt's rent (may be the minter itself).
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = mint @ Usd1Error::InvalidMint
    )]
    pub config: Box<Account<'info, Config>>,
    /// The minter's Minter account `["minter", config, minter]`.
    /// CHECK: loaded in the handler so that a signer with no Minter account is `Unauthorized`.
    #[account(mut, seeds = [MINTER_SEED, config.key().as_ref(), minter.key().as_ref()], bump)]
    pub minter_account: UncheckedAccount<'info>,
    /// The USD1 mint (Token-2022), the Config's `mint`.
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The recipient wallet: the owner of `recipient_token` (v3: named so that every PDA below
    /// derives from keys the caller knows, even before the token account exists).
    /// CHECK: only its key is used; `recipient_token`'s constraint ties it to that account's owner.
    pub recipient: UncheckedAccount<'info>,
    /// The recipient's token account of the mint (an account whose owner cannot change), owned by `recipient`.
    #[account(
        mut,
        token::mint = mint,
        token::token_program = token_program,
        constraint = recipient_token.owner == recipient.key() @ Usd1Error::InvalidTokenAccount
    )]
    pub recipient_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The minter's DenylistEntry PDA (exists only while denylisted).
    /// CHECK: the minter's DenylistEntry PDA (exists only while denylisted): a denylisted minter cannot mint.
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), minter.key().as_ref()], bump)]
    pub minter_denylist_entry: UncheckedAccount<'info>,
    /// The recipient's DenylistEntry PDA `["denylist", config, recipient]` (exists only while denylisted).
    /// CHECK: the recipient's DenylistEntry PDA (exists only while denylisted); the seeds pin its address.
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), recipient.key().as_ref()], bump)]
    pub recipient_denylist_entry: UncheckedAccount<'info>,
    /// The recipient's Onboarded PDA `["onboarded", config, recipient]` (v3; read while onboarding is required).
    /// CHECK: the recipient's Onboarded PDA (exists only while onboarded); the seeds pin its address.
    #[account(seeds = [ONBOARDED_SEED, config.key().as_ref(), recipient.key().as_ref()], bump)]
    pub recipient_onboarded: UncheckedAccount<'info>,
    /// The MintReceipt `["receipt", config, reference_hash]`, created here (an existing one is `DuplicateReference`).
    /// CHECK: the MintReceipt of this reference, created here; its existence means the reference was used.
    #[account(mut, seeds = [RECEIPT_SEED, config.key().as_ref(), params.reference_hash.as_ref()], bump)]
    pub receipt: UncheckedAccount<'info>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
    /// The system program (creates accounts).
    pub system_program: Program<'info, System>,
}

/// Minter: mints `amount` to a recipient against a deposit reference, within allowance, rate, cap and reserves.
///
/// Checks, in SPEC order: mint scope not paused; signer is an active, not denylisted minter;
/// amount > 0; not past `valid_until`; amount <= allowance; rate limit; supply cap; reserve gate; recipient not the Escrow
/// or another Config-owned account, and its owner immutable (ImmutableOwner); recipient owner
/// not denylisted; v3: recipient owner onboarded while onboarding is required; reference never used.
pub fn handler(ctx: Context<MintTokens>, params: MintParams) -> Result<()> {
    let clock = Clock::get()?;
    let amount = params.amount;
    let config = &ctx.accounts.config;
    require!(!config.mint_paused, Usd1Error::MintingPaused);

    let minter_info = ctx.accounts.minter_account.to_account_info();
    let mut minter = match load_optional::<Minter>(&minter_info)? {
        Some(minter) if minter.active => minter,
        _ => return err!(Usd1Error::Unauthorized),
    };
    require!(!is_denylisted(&ctx.accounts.minter_denylist_entry), Usd1Error::Denylisted);
    require!(amount > 0, Usd1Error::InvalidAmount);
    require!(clock.unix_timestamp <= params.valid_until, Usd1Error::MintExpired);
    require!(amount <= minter.allowance, Usd1Error::AllowanceExceeded);
    minter.take_from_bucket(amount, clock.unix_timestamp)?;

    let new_supply = ctx.accounts.mint.supply.checked_add(amount).ok_or(Usd1Error::SupplyCapExceeded)?;
    if let Some(cap) = config.supply_cap {
        require!(new_supply <= cap, Usd1Error::SupplyCapExceeded);
    }
    if config.reserve_gate {
        let age = clock.unix_timestamp.saturating_sub(config.attestation_as_of);
        let max_age = i64::try_from(config.attestation_max_age_secs).unwrap_or(i64::MAX);
        require!(config.attestation_as_of > 0 && age <= max_age, Usd1Error::AttestationStale);
        require!(new_supply <= config.attested_reserves, Usd1Error::ReserveExceeded);
    }
    // The Escrow and any other account the Config owns: tokens minted there would be stuck
    // outside every redemption request (SPEC invariant 7).
    require_keys_neq!(ctx.accounts.recipient_token.owner, config.key(), Usd1Error::InvalidRecipient);
    token_account_of_mint(&ctx.accounts.recipient_token.to_account_info(), &ctx.accounts.mint.key())?
        .require_can_receive(&config.key())?;
    require!(!is_denylisted(&ctx.accounts.recipient_denylist_entry), Usd1Error::Denylisted);
    require!(
        !config.onboarding_required || program_account_exists(&ctx.accounts.recipient_onboarded),
        Usd1Error::NotOnboarded
    );
    let receipt_info = ctx.accounts.receipt.to_account_info();
    require!(receipt_info.data_is_empty(), Usd1Error::DuplicateReference);

    // Effects: allowance and counters, receipt, then the Token-2022 MintTo.
    minter.allowance -= amount;
    minter.lifetime_minted = minter.lifetime_minted.checked_add(amount).ok_or(Usd1Error::MathOverflow)?;
    write_account(&minter_info, &minter)?;

    let recipient = ctx.accounts.recipient_token.owner;
    let config_key = config.key();
    let receipt_seeds: &[&[u8]] = &[RECEIPT_SEED, config_key.as_ref(), &params.reference_hash, &[ctx.bumps.receipt]];
    create_pda_account(
        &ctx.accounts.payer.to_account_info(),
        &receipt_info,
        &ctx.accounts.system_program.to_account_info(),
        &crate::ID,
        MintReceipt::SPACE,
        receipt_seeds,
    )?;
    write_account(
        &receipt_info,
        &MintReceipt {
            bump: ctx.bumps.receipt,
            minter: minter.minter,
            recipient,
            amount,
            slot: clock.slot,
            minted_at: clock.unix_timestamp,
        },
    )?;

    let seeds = config.signer_seeds();
    mint_to(
        CpiContext::new_with_signer(
            ctx.accounts.token_program.key(),
            MintTo {
                mint: ctx.accounts.mint.to_account_info(),
                to: ctx.accounts.recipient_token.to_account_info(),
                authority: config.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
    )?;

    let config = &mut ctx.accounts.config;
    config.total_minted = config.total_minted.checked_add(amount).ok_or(Usd1Error::MathOverflow)?;
    let seq = config.next_event_seq()?;
    emit_cpi!(Minted {
        mint: config.mint,
        seq,
        minter: minter.minter,
        recipient,
        amount,
        reference_hash: params.reference_hash,
        supply: new_supply,
        remaining_allowance: minter.allowance,
    });
    Ok(())
}
