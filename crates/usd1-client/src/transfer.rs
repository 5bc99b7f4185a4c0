//! A Token-2022 `transfer_checked` of a USD1 mint, with the accounts the
//! transfer hook needs appended (the same ones the mint's ExtraAccountMetaList
//! lists: the Config and the DenylistRegistry, both by fixed address, then the
//! hook program and the list itself).
//!
//! ```
//! # use solana_pubkey::Pubkey;
//! use usd1_client::transfer::{hook_extra_accounts, transfer_checked};
//! let (mint, from, to) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
//! let instruction = transfer_checked(&mint, &from, &to, 1_000_000, 6);
//! // source, mint, destination, owner, then the hook's accounts
//! assert_eq!(instruction.accounts.len(), 4 + hook_extra_accounts(&mint).len());
//! ```
use crate::pda;
use solana_instruction::{AccountMeta, Instruction};
use solana_pubkey::Pubkey;

/// The accounts Token-2022 must be given for the hook, in the order the mint's
/// ExtraAccountMetaList lists them, then the hook program and the list. They depend
/// only on the mint: the same for every transfer.
pub fn hook_extra_accounts(mint: &Pubkey) -> Vec<AccountMeta> {
    let config = pda::config_address(mint);
    vec![
        AccountMeta::new_readonly(config, false),
        AccountMeta::new_readonly(pda::denylist_registry_address(&config), false),
        AccountMeta::new_readonly(usd1::ID, false),
        AccountMeta::new_readonly(pda::extra_account_metas_address(mint), false),
    ]
}

/// Transfer `amount` base units between two owners' associated token accounts.
/// `source_owner` signs.
pub fn transfer_checked(
    mint: &Pubkey,
    source_owner: &Pubkey,
    destination_owner: &Pubkey,
    amount: u64,
    decimals: u8,
) -> Instruction {
    let source = pda::associated_token_address(source_owner, mint);
    let destination = pda::associated_token_address(destination_owner, mint);
    transfer_checked_between(
        mint,
        TransferEnd { account: source, owner: *source_owner },
        TransferEnd { account: destination, owner: *destination_owner },
        source_owner,
        amount,
        decimals,
    )
}

/// One side of a transfer: a token account and its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferEnd {
    pub account: Pubkey,
    pub owner: Pubkey,
}

/// Transfer between explicit token accounts, signed by `authority` (the source owner or a delegate).
pub fn transfer_checked_between(
    mint: &Pubkey,
    source: TransferEnd,
    destination: TransferEnd,
    authority: &Pubkey,
    amount: u64,
    decimals: u8,
) -> Instruction {
    let mut instruction = spl_token_2022_interface::instruction::transfer_checked(
        &spl_token_2022_interface::ID,
        &source.account,
        mint,
        &destination.account,
        authority,
        &[],
        amount,
        decimals,
    )
    .expect("transfer_checked only fails for a wrong token program id, and this one is Token-2022");
    instruction.accounts.extend(hook_extra_accounts(mint));
    instruction
}

/// Create `owner`'s associated token account for the mint (idempotent), paid by `payer`.
pub fn create_associated_token_account(payer: &Pubkey, owner: &Pubkey, mint: &Pubkey) -> Instruction {
    spl_associated_token_account_interface::instruction::create_associated_token_account_idempotent(
        payer,
        owner,
        mint,
        &spl_token_2022_interface::ID,
    )
}
