//! Account decoders: the program's accounts (discriminator-checked) and the
//! Token-2022 mint and token accounts with the extensions USD1 uses.
use anchor_lang::AccountDeserialize;
use solana_program_error::ProgramError;
use solana_pubkey::Pubkey;
use spl_token_2022_interface::{
    extension::{
        default_account_state::DefaultAccountState, metadata_pointer::MetadataPointer, pausable::PausableConfig,
        permanent_delegate::PermanentDelegate, transfer_hook::TransferHook, BaseStateWithExtensions, StateWithExtensions,
    },
    state::{Account as TokenAccountState, AccountState, Mint as MintState},
};
use usd1::state::{Config, DenylistEntry, DenylistRegistry, MintReceipt, Minter, Proposal, RedemptionRequest};

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("account data is not a USD1 {kind}: {reason}")]
    Program { kind: &'static str, reason: String },
    #[error("account data is not a Token-2022 {kind}: {reason}")]
    Token { kind: &'static str, reason: String },
}

fn decode_program_account<T: AccountDeserialize>(kind: &'static str, data: &[u8]) -> Result<T, DecodeError> {
    let mut slice = data;
    T::try_deserialize(&mut slice).map_err(|error| DecodeError::Program { kind, reason: error.to_string() })
}

pub fn decode_config(data: &[u8]) -> Result<Config, DecodeError> {
    decode_program_account("Config", data)
}

pub fn decode_minter(data: &[u8]) -> Result<Minter, DecodeError> {
    decode_program_account("Minter", data)
}

pub fn decode_proposal(data: &[u8]) -> Result<Proposal, DecodeError> {
    decode_program_account("Proposal", data)
}

pub fn decode_denylist_entry(data: &[u8]) -> Result<DenylistEntry, DecodeError> {
    decode_program_account("DenylistEntry", data)
}

/// v3: a wallet's `Onboarded` account (`["onboarded", config, wallet]`).
pub fn decode_onboarded(data: &[u8]) -> Result<crate::OnboardedWallet, DecodeError> {
    decode_program_account("OnboardedWallet", data)
}

/// The sorted list of denylisted wallets the hook reads.
pub fn decode_denylist_registry(data: &[u8]) -> Result<DenylistRegistry, DecodeError> {
    decode_program_account("DenylistRegistry", data)
}

pub fn decode_redemption_request(data: &[u8]) -> Result<RedemptionRequest, DecodeError> {
    decode_program_account("RedemptionRequest", data)
}

pub fn decode_mint_receipt(data: &[u8]) -> Result<MintReceipt, DecodeError> {
    decode_program_account("MintReceipt", data)
}

/// What integrators check about a USD1 mint: supply, authorities, pause state, hook and metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MintInfo {
    pub supply: u64,
    pub decimals: u8,
    pub mint_authority: Option<Pubkey>,
    pub freeze_authority: Option<Pubkey>,
    pub pause_authority: Option<Pubkey>,
    pub paused: bool,
    pub transfer_hook_authority: Option<Pubkey>,
    pub transfer_hook_program: Option<Pubkey>,
    pub metadata_pointer_authority: Option<Pubkey>,
    pub metadata_address: Option<Pubkey>,
    pub name: String,
    pub symbol: String,
    pub uri: String,
    pub metadata_update_authority: Option<Pubkey>,
    /// The PermanentDelegate extension's delegate (the Config on a USD1 mint).
    pub permanent_delegate: Option<Pubkey>,
    /// The DefaultAccountState extension's state for new token accounts (`Some(false)`:
    /// initialized, `Some(true)`: frozen); `None` without the extension.
    pub default_account_frozen: Option<bool>,
}

fn token_error(kind: &'static str) -> impl Fn(ProgramError) -> DecodeError {
    move |error| DecodeError::Token { kind, reason: error.to_string() }
}

pub fn decode_mint(data: &[u8]) -> Result<MintInfo, DecodeError> {
    let state = StateWithExtensions::<MintState>::unpack(data).map_err(token_error("mint"))?;
    let base = state.base;
    let pausable = state.get_extension::<PausableConfig>().ok();
    let hook = state.get_extension::<TransferHook>().ok();
    let pointer = state.get_extension::<MetadataPointer>().ok();
    let permanent_delegate = state.get_extension::<PermanentDelegate>().ok().and_then(|p| Option::<Pubkey>::from(p.delegate));
    let default_account_frozen =
        state.get_extension::<DefaultAccountState>().ok().map(|d| d.state == AccountState::Frozen as u8);
    let metadata = state
        .get_variable_len_extension::<spl_token_metadata_interface::state::TokenMetadata>()
        .ok();
    Ok(MintInfo {
        supply: base.supply,
        decimals: base.decimals,
        mint_authority: base.mint_authority.into(),
        freeze_authority: base.freeze_authority.into(),
        pause_authority: pausable.and_then(|p| Option::<Pubkey>::from(p.authority)),
        paused: pausable.map(|p| bool::from(p.paused)).unwrap_or(false),
        transfer_hook_authority: hook.and_then(|h| Option::<Pubkey>::from(h.authority)),
        transfer_hook_program: hook.and_then(|h| Option::<Pubkey>::from(h.program_id)),
        metadata_pointer_authority: pointer.and_then(|p| Option::<Pubkey>::from(p.authority)),
        metadata_address: pointer.and_then(|p| Option::<Pubkey>::from(p.metadata_address)),
        name: metadata.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
        symbol: metadata.as_ref().map(|m| m.symbol.clone()).unwrap_or_default(),
        uri: metadata.as_ref().map(|m| m.uri.clone()).unwrap_or_default(),
        metadata_update_authority: metadata.and_then(|m| Option::<Pubkey>::from(m.update_authority)),
        permanent_delegate,
        default_account_frozen,
    })
}

/// A holder's token account: the fields the CLI and drills read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenAccountInfo {
    pub mint: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub frozen: bool,
}

pub fn decode_token_account(data: &[u8]) -> Result<TokenAccountInfo, DecodeError> {
    let state = StateWithExtensions::<TokenAccountState>::unpack(data).map_err(token_error("token account"))?;
    Ok(TokenAccountInfo {
        mint: state.base.mint,
        owner: state.base.owner,
        amount: state.base.amount,
        frozen: state.base.state == AccountState::Frozen,
    })
}

/// A wallet's token accounts of a mint in the order every USD1 client passes them: the
/// associated account first, then by key bytes. The TypeScript package orders the same way
/// (`walletTokenAccounts`), checked against the Rust fixtures.
pub fn order_wallet_accounts(owner: &Pubkey, mint: &Pubkey, accounts: &mut [(Pubkey, TokenAccountInfo)]) {
    let associated = crate::pda::associated_token_address(owner, mint);
    accounts.sort_by_key(|(key, _)| (*key != associated, *key));
}

/// The accounts a `denylist_add` or `denylist_remove` passes (at most
/// `MAX_WALLET_TOKEN_ACCOUNTS`): funded accounts first, so that a wallet with many empty
/// accounts cannot keep its tokens out of the listing; the rest are left for follow-up
/// `freeze` / `thaw` calls. Within each group, [`order_wallet_accounts`]'s order.
pub fn listing_accounts(owner: &Pubkey, mint: &Pubkey, mut accounts: Vec<(Pubkey, TokenAccountInfo)>) -> Vec<Pubkey> {
    order_wallet_accounts(owner, mint, &mut accounts);
    // Stable: the associated-first, key order stays within each group.
    accounts.sort_by_key(|(_, info)| info.amount == 0);
    accounts.into_iter().take(usd1::constants::MAX_WALLET_TOKEN_ACCOUNTS).map(|(key, _)| key).collect()
}

/// The accounts a seizure debits (at most `MAX_WALLET_TOKEN_ACCOUNTS`): funded accounts only,
/// in [`order_wallet_accounts`]'s order.
pub fn seizure_source_accounts(owner: &Pubkey, mint: &Pubkey, mut accounts: Vec<(Pubkey, TokenAccountInfo)>) -> Vec<Pubkey> {
    accounts.retain(|(_, info)| info.amount > 0);
    order_wallet_accounts(owner, mint, &mut accounts);
    accounts.into_iter().take(usd1::constants::MAX_WALLET_TOKEN_ACCOUNTS).map(|(key, _)| key).collect()
}

/// The Config's single-key roles with their SPEC names, admin first (the onboarder may share
/// the denylister's key, its default at initialize).
pub fn role_holders(config: &crate::Config) -> [(&'static str, Pubkey); 7] {
    [
        ("admin", config.admin),
        ("master_minter", config.master_minter),
        ("pauser", config.pauser),
        ("denylister", config.denylister),
        ("burner", config.burner),
        ("attester", config.attester),
        ("onboarder", config.onboarder),
    ]
}
