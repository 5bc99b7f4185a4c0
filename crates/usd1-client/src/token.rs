//! Plain Token-2022 instructions on a USD1 mint that do not go through the program:
//! what holders (and attackers) can do on their own, for drills, tests and tools.
//! None of them runs the transfer hook (Token-2022 calls it only for transfers).
//!
//! ```
//! # use solana_pubkey::Pubkey;
//! use usd1_client::token;
//! let (payer, account, owner, mint) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
//! let instructions = token::create_token_account(&payer, &account, &owner, &mint, 2_000_000);
//! assert_eq!(instructions.len(), 2); // create the account, then InitializeAccount3
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

/// Size of a token account of a USD1 mint (with the account extensions its mint requires).
pub fn token_account_len() -> usize {
    let account_extensions = ExtensionType::get_required_init_account_extensions(&[
        ExtensionType::TransferHook,
        ExtensionType::Pausable,
    ]);
    ExtensionType::try_calculate_account_len::<TokenAccountState>(&account_extensions).expect(EXPECT)
}

/// A non-associated token account of `mint` at `account` (a fresh keypair that signs),
/// owned by `owner`; `lamports` is its rent-exempt minimum for [`token_account_len`].
pub fn create_token_account(payer: &Pubkey, account: &Pubkey, owner: &Pubkey, mint: &Pubkey, lamports: u64) -> Vec<Instruction> {
    vec![
        solana_system_interface::instruction::create_account(payer, account, lamports, token_account_len() as u64, &TOKEN_2022),
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
