use crate::{constants::*, error::Usd1Error, state::Config, utils::is_denylisted};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::spl_token_2022::{
        extension::{transfer_hook::TransferHookAccount, BaseStateWithExtensions, StateWithExtensions},
        state::Account as TokenAccountState,
    },
    token_interface::{Mint, TokenAccount},
};
use spl_tlv_account_resolution::{account::ExtraAccountMeta, seeds::Seed, state::ExtraAccountMetaList};

/// Account indexes in the transfer-hook `execute` instruction (interface order, then our extras).
const SOURCE_TOKEN_INDEX: u8 = 0;
const DESTINATION_TOKEN_INDEX: u8 = 2;
const AUTHORITY_INDEX: u8 = 3;
const CONFIG_INDEX: u8 = 5;

/// The accounts Token-2022 appends to every transfer of this mint, in order:
/// Config (its fixed address, written at initialize, so no derivation on each transfer),
/// then the DenylistEntry PDAs `["denylist", config, key]` of the source token account's
/// owner and the destination's (read from their data at offset 32) and of the transfer
/// authority (the owner or a delegate, account 3).
pub fn hook_extra_account_metas(config: &Pubkey) -> Result<[ExtraAccountMeta; HOOK_EXTRA_ACCOUNT_COUNT]> {
    let owner_of = |account_index: u8| Seed::AccountData {
        account_index,
        data_index: TOKEN_ACCOUNT_OWNER_OFFSET,
        length: 32,
    };
    let denylist_entry_of = |key: Seed| {
        ExtraAccountMeta::new_with_seeds(
            &[Seed::Literal { bytes: DENYLIST_SEED.to_vec() }, Seed::AccountKey { index: CONFIG_INDEX }, key],
            false,
            false,
        )
    };
    Ok([
        ExtraAccountMeta::new_with_pubkey(config, false, false)?,
        denylist_entry_of(owner_of(SOURCE_TOKEN_INDEX))?,
        denylist_entry_of(owner_of(DESTINATION_TOKEN_INDEX))?,
        denylist_entry_of(Seed::AccountKey { index: AUTHORITY_INDEX })?,
    ])
}

/// Size of the ExtraAccountMetaList account.
pub fn extra_account_metas_len() -> usize {
    ExtraAccountMetaList::size_of(HOOK_EXTRA_ACCOUNT_COUNT).unwrap_or(usize::MAX)
}

/// The transfer-hook interface's `execute` accounts, followed by the extras listed above.
#[derive(Accounts)]
pub struct TransferHookExecute<'info> {
    /// The token account tokens leave.
    #[account(token::mint = mint)]
    pub source_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The USD1 mint.
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The token account tokens reach.
    #[account(token::mint = mint)]
    pub destination_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: the transfer authority (the source owner or its delegate); Token-2022 checked its signature.
    pub authority: UncheckedAccount<'info>,
    /// CHECK: this mint's account list; the seeds pin its address.
    #[account(seeds = [EXTRA_ACCOUNT_METAS_SEED, mint.key().as_ref()], bump)]
    pub extra_account_meta_list: UncheckedAccount<'info>,
    /// The mint's Config (pause flags).
    #[account(seeds = [CONFIG_SEED, mint.key().as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: the source owner's DenylistEntry PDA; it exists only while the owner is denylisted.
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), source_token.owner.as_ref()], bump)]
    pub source_denylist_entry: UncheckedAccount<'info>,
    /// CHECK: the destination owner's DenylistEntry PDA; it exists only while the owner is denylisted.
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), destination_token.owner.as_ref()], bump)]
    pub destination_denylist_entry: UncheckedAccount<'info>,
    /// CHECK: the transfer authority's DenylistEntry PDA; it exists only while the authority is denylisted.
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), authority.key().as_ref()], bump)]
    pub authority_denylist_entry: UncheckedAccount<'info>,
}

impl TransferHookExecute<'_> {
    /// Only Token-2022, in the middle of a transfer of this mint, may call the hook.
    pub fn validate(&self) -> Result<()> {
        let source = self.source_token.to_account_info();
        let data = source.try_borrow_data()?;
        let state = StateWithExtensions::<TokenAccountState>::unpack(&data)?;
        let transferring = state
            .get_extension::<TransferHookAccount>()
            .map(|extension| bool::from(extension.transferring))
            .unwrap_or(false);
        require!(transferring, Usd1Error::NotTransferring);
        Ok(())
    }
}

/// Token-2022 (on every transfer of this mint): lets the Config's own permanent-delegate moves
/// through; otherwise refuses holder transfers while `transfers` is paused, and any transfer whose
/// source owner, destination owner or transfer authority is denylisted.
pub fn handler(ctx: Context<TransferHookExecute>, _amount: u64) -> Result<()> {
    let accounts = &ctx.accounts;
    if accounts.authority.key() == accounts.config.key() {
        return Ok(());
    }
    require!(!accounts.config.transfers_paused, Usd1Error::TransfersPaused);
    require!(
        !is_denylisted(&accounts.source_denylist_entry)
            && !is_denylisted(&accounts.destination_denylist_entry)
            && !is_denylisted(&accounts.authority_denylist_entry),
        Usd1Error::Denylisted
    );
    Ok(())
}
