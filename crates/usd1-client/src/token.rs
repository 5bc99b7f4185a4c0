//! Plain Token-2022 instructions on a USD1 mint that do not go through the program:
//! what holders (and attackers) can do on their own, for drills, tests and tools.
//! None of them runs the transfer hook (Token-2022 calls it only for transfers).
//!
//! ```
//! # use solana_pubkey::Pubkey;
//! use usd1_client::token;
//! let (payer, account, owner, mint) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
//! let instructions = token::create_token_account(&payer, &account, &owner, &mint, 2_000_000);
//! assert_eq!(instructions.len(), 3); // create the account, ImmutableOwner, InitializeAccount3
//! assert!(token::token_account_len() > 165); // the base account plus the hook and pausable extensions
//! ```
use solana_instruction::Instruction;
use solana_pubkey::Pubkey;
use spl_token_2022_interface::{
    extension::ExtensionType,
    instruction::{self as token_instruction, AuthorityType},
    state::Account as TokenAccountState,
    ID as TOKEN_2022,
};

const EXPECT: &str = "Token-2022 instruction builders only fail for a wrong token program id, and this one is Token-2022";

/// Size of a token account of a USD1 mint (with the account extensions its mint requires),
/// with or without ImmutableOwner.
pub fn token_account_len_with(immutable_owner: bool) -> usize {
    let mut account_extensions = ExtensionType::get_required_init_account_extensions(&[
        ExtensionType::TransferHook,
        ExtensionType::Pausable,
    ]);
    if immutable_owner {
        account_extensions.push(ExtensionType::ImmutableOwner);
    }
    ExtensionType::try_calculate_account_len::<TokenAccountState>(&account_extensions).expect(EXPECT)
}

/// Size of a non-associated token account as [`create_token_account`] makes it (ImmutableOwner).
pub fn token_account_len() -> usize {
    token_account_len_with(true)
}

/// A non-associated token account of `mint` at `account` (a fresh keypair that signs),
/// owned by `owner`, with ImmutableOwner: USD1 only reaches accounts whose owner can never
/// change (associated accounts always have it). `lamports` is its rent-exempt minimum for
/// [`token_account_len`].
pub fn create_token_account(payer: &Pubkey, account: &Pubkey, owner: &Pubkey, mint: &Pubkey, lamports: u64) -> Vec<Instruction> {
    vec![
        solana_system_interface::instruction::create_account(payer, account, lamports, token_account_len() as u64, &TOKEN_2022),
        token_instruction::initialize_immutable_owner(&TOKEN_2022, account).expect(EXPECT),
        token_instruction::initialize_account3(&TOKEN_2022, account, mint, owner).expect(EXPECT),
    ]
}

/// A token account whose owner CAN change (no ImmutableOwner): the program refuses to send
/// it tokens (`OwnerNotImmutable`). For rehearsing that refusal; `lamports` for
/// `token_account_len_with(false)`.
pub fn create_token_account_with_mutable_owner(payer: &Pubkey, account: &Pubkey, owner: &Pubkey, mint: &Pubkey, lamports: u64) -> Vec<Instruction> {
    vec![
        solana_system_interface::instruction::create_account(payer, account, lamports, token_account_len_with(false) as u64, &TOKEN_2022),
        token_instruction::initialize_account3(&TOKEN_2022, account, mint, owner).expect(EXPECT),
    ]
}

/// `SetAuthority(AccountOwner)`: `current_owner` hands `account` to `new_owner`.
pub fn set_account_owner(account: &Pubkey, current_owner: &Pubkey, new_owner: &Pubkey) -> Instruction {
    token_instruction::set_authority(&TOKEN_2022, account, Some(new_owner), AuthorityType::AccountOwner, current_owner, &[])
        .expect(EXPECT)
}

/// `ApproveChecked`: `owner` lets `delegate` move up to `amount` base units from `account`.
pub fn approve_delegate(account: &Pubkey, mint: &Pubkey, owner: &Pubkey, delegate: &Pubkey, amount: u64, decimals: u8) -> Instruction {
    token_instruction::approve_checked(&TOKEN_2022, account, mint, delegate, owner, &[], amount, decimals).expect(EXPECT)
}

/// `BurnChecked` signed by the holder itself, bypassing the program (an "unattributed" burn).
pub fn burn_direct(account: &Pubkey, mint: &Pubkey, holder: &Pubkey, amount: u64, decimals: u8) -> Instruction {
    token_instruction::burn_checked(&TOKEN_2022, account, mint, holder, &[], amount, decimals).expect(EXPECT)
}
