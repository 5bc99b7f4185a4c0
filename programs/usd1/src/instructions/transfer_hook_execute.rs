use crate::{
    constants::*,
    error::Usd1Error,
    state::{Config, DenylistRegistry},
    utils::token_account_of_mint,
};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::spl_token_2022::{
        extension::{transfer_hook::TransferHookAccount, BaseStateWithExtensions, StateWithExtensions},
        state::Account as TokenAccountState,
    },
    token_interface::{Mint, TokenAccount},
};
use spl_tlv_account_resolution::{account::ExtraAccountMeta, state::ExtraAccountMetaList};

/// The accounts Token-2022 appends to every transfer of this mint: the Config and the
/// DenylistRegistry, both by the fixed addresses written at initialize. Nothing is derived
/// from seeds, so a transfer costs Token-2022 no PDA bump searches for the hook.
pub fn hook_extra_account_metas(config: &Pubkey, denylist_registry: &Pubkey) -> Result<[ExtraAccountMeta; HOOK_EXTRA_ACCOUNT_COUNT]> {
    Ok([
        ExtraAccountMeta::new_with_pubkey(config, false, false)?,
        ExtraAccountMeta::new_with_pubkey(denylist_registry, false, false)?,
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
    /// The transfer authority: the source's owner or a delegate.
    /// CHECK: the transfer authority (the source owner or its delegate); Token-2022 checked its signature.
    pub authority: UncheckedAccount<'info>,
    /// The transfer hook's ExtraAccountMetaList `["extra-account-metas", mint]`.
    /// CHECK: this mint's account list; the seeds pin its address.
    #[account(seeds = [EXTRA_ACCOUNT_METAS_SEED, mint.key().as_ref()], bump)]
    pub extra_account_meta_list: UncheckedAccount<'info>,
    /// The mint's Config (pause flags).
    #[account(seeds = [CONFIG_SEED, mint.key().as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: the config's DenylistRegistry (the seeds, with the bump stored in Config, pin it);
    /// read in place by binary search.
    #[account(seeds = [DENYLIST_REGISTRY_SEED, config.key().as_ref()], bump = config.denylist_registry_bump)]
    pub denylist_registry: UncheckedAccount<'info>,
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
/// through; otherwise refuses holder transfers while `transfers` is paused, into an account whose
/// owner could change (no ImmutableOwner), and whose source owner, destination owner or transfer
/// authority is denylisted.
pub fn handler(ctx: Context<TransferHookExecute>, _amount: u64) -> Result<()> {
    let accounts = &ctx.accounts;
    if accounts.authority.key() == accounts.config.key() {
        return Ok(());
    }
    require!(!accounts.config.transfers_paused, Usd1Error::TransfersPaused);
    // Tokens only reach accounts whose owner can never change (or the Config's own, the Escrow).
    token_account_of_mint(&accounts.destination_token.to_account_info(), &accounts.mint.key())?
        .require_can_receive(&accounts.config.key())?;
    let registry = accounts.denylist_registry.try_borrow_data()?;
    for key in [&accounts.source_token.owner, &accounts.destination_token.owner, accounts.authority.key] {
        require!(!DenylistRegistry::contains(&registry, key)?, Usd1Error::Denylisted);
    }
    Ok(())
}
