use crate::{
    constants::*,
    error::Usd1Error,
    state::{Config, DenylistRegistry},
};
use anchor_lang::{error::ErrorCode as AnchorErrorCode, prelude::*, Discriminator};
use anchor_spl::{
    token_2022::spl_token_2022::{
        extension::{immutable_owner::ImmutableOwner, transfer_hook::TransferHookAccount, BaseStateWithExtensions, PodStateWithExtensions},
        pod::PodAccount,
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
    /// The Config's DenylistRegistry `["denylist-registry", config]`: the sorted denylisted wallets, read in place by binary search.
    /// CHECK: the seeds, with the bump stored in the Config, pin its address.
    #[account(seeds = [DENYLIST_REGISTRY_SEED, config.key().as_ref()], bump = config.denylist_registry_bump)]
    pub denylist_registry: UncheckedAccount<'info>,
}

// The Anchor instruction's checks and handler: compiled for the IDL build only, where Anchor
// dispatches the Execute discriminator to them; the program itself serves it in `execute` below.
#[cfg(feature = "idl-build")]
impl TransferHookExecute<'_> {
    /// Only Token-2022, in the middle of a transfer of this mint, may call the hook.
    pub fn validate(&self) -> Result<()> {
        use anchor_spl::token_2022::spl_token_2022::{extension::StateWithExtensions, state::Account as TokenAccountState};
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

/// The Config's fields the hook reads, at their offsets in the account's data (Borsh, after
/// the 8-byte discriminator). `pending_admin` (an Option) and `council` (a Vec) come before the
/// pause flags, so those are found by reading the two lengths; the layout test in
/// `tests/program/transfer_hook.rs` checks every offset against the Anchor struct.
pub mod config_layout {
    /// `Config.mint`: after the discriminator and three bumps.
    pub const MINT: usize = 8 + 3;
    /// `Config.pending_admin`'s Option tag: after mint, decimals and admin.
    pub const PENDING_ADMIN_TAG: usize = MINT + 32 + 1 + 32;
    /// The five single-key roles between `pending_admin` and `council`.
    pub const ROLES_LEN: usize = 5 * 32;

    /// Offset of `transfers_paused` in `data` (None if the data is too short or malformed).
    pub fn transfers_paused_offset(data: &[u8]) -> Option<usize> {
        let pending_admin_len = match *data.get(PENDING_ADMIN_TAG)? {
            0 => 1,
            1 => 1 + 32,
            _ => return None,
        };
        let council_len_at = PENDING_ADMIN_TAG + pending_admin_len + ROLES_LEN;
        let council_count = u32::from_le_bytes(data.get(council_len_at..council_len_at + 4)?.try_into().ok()?) as usize;
        // council, threshold (u8), epoch (u64), mint_paused, redeem_paused, then transfers_paused.
        let offset = council_len_at.checked_add(4)?.checked_add(council_count.checked_mul(32)?)? + 1 + 8 + 2;
        (offset < data.len()).then_some(offset)
    }
}

/// `DenylistRegistry.config`: after the discriminator and the bump.
const REGISTRY_CONFIG: usize = 8 + 1;

/// The transfer-hook `Execute` as the program serves it (from its Anchor fallback, before any
/// account deserialization): the same checks and refusals as [`TransferHookExecute`] and
/// [`handler`], read in place. Account identity without PDA derivation: an account this
/// program owns with the Config discriminator and this mint in `Config.mint` is this mint's
/// Config (initialize creates the only one, at its PDA); likewise the registry names its Config.
/// The ExtraAccountMetaList is not read: the hook changes nothing, and inside a transfer
/// Token-2022 itself resolved the accounts from that list.
pub fn execute(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> Result<()> {
    let [source, mint, destination, authority, _extra_account_meta_list, config, denylist_registry, ..] = accounts else {
        return Err(AnchorErrorCode::AccountNotEnoughKeys.into());
    };
    // `amount` (u64) after the 8-byte discriminator.
    require!(data.len() >= 16, AnchorErrorCode::InstructionDidNotDeserialize);

    // The Config: owned by this program, a Config, of this mint.
    require!(same_bytes(config.owner.as_ref(), program_id.as_ref()), AnchorErrorCode::AccountOwnedByWrongProgram);
    let config_data = config.try_borrow_data()?;
    require!(config_data.get(..8).is_some_and(|found| same_bytes(found, Config::DISCRIMINATOR)), AnchorErrorCode::AccountDiscriminatorMismatch);
    require!(config_data.get(config_layout::MINT..config_layout::MINT + 32).is_some_and(|found| same_bytes(found, mint.key.as_ref())), AnchorErrorCode::ConstraintSeeds);
    // The registry: owned by this program, a DenylistRegistry, of this Config.
    require!(same_bytes(denylist_registry.owner.as_ref(), program_id.as_ref()), AnchorErrorCode::AccountOwnedByWrongProgram);
    let registry = denylist_registry.try_borrow_data()?;
    require!(registry.get(..8).is_some_and(|found| same_bytes(found, DenylistRegistry::DISCRIMINATOR)), AnchorErrorCode::AccountDiscriminatorMismatch);
    require!(registry.get(REGISTRY_CONFIG..REGISTRY_CONFIG + 32).is_some_and(|found| same_bytes(found, config.key.as_ref())), AnchorErrorCode::ConstraintSeeds);
    // Both token accounts belong to Token-2022 and are of this mint (the mint itself is pinned by
    // `Config.mint`, which initialize set to a Token-2022 mint).
    let source_data = source.try_borrow_data()?;
    let source_state = token_account_of(source, &source_data, mint.key)?;
    let destination_data = destination.try_borrow_data()?;
    let destination_state = token_account_of(destination, &destination_data, mint.key)?;
    // Only Token-2022, in the middle of a transfer of this mint, may call the hook.
    let transferring = source_state.get_extension::<TransferHookAccount>().map(|extension| bool::from(extension.transferring)).unwrap_or(false);
    require!(transferring, Usd1Error::NotTransferring);

    if same_bytes(authority.key.as_ref(), config.key.as_ref()) {
        return Ok(());
    }
    let paused_at = config_layout::transfers_paused_offset(&config_data).ok_or(AnchorErrorCode::AccountDidNotDeserialize)?;
    require!(config_data[paused_at] == 0, Usd1Error::TransfersPaused);
    // Tokens only reach accounts whose owner can never change (or the Config's own, the Escrow).
    let destination_owner = destination_state.base.owner;
    require!(same_bytes(destination_owner.as_ref(), config.key.as_ref()) || destination_state.get_extension::<ImmutableOwner>().is_ok(), Usd1Error::OwnerNotImmutable);
    for key in [&source_state.base.owner, &destination_owner, authority.key] {
        require!(!DenylistRegistry::contains(&registry, key)?, Usd1Error::Denylisted);
    }
    Ok(())
}

/// A Token-2022 account of `mint`, read in place (the refusals Anchor's `InterfaceAccount` and
/// `token::mint` constraint give).
fn token_account_of<'data>(info: &AccountInfo, data: &'data [u8], mint: &Pubkey) -> Result<PodStateWithExtensions<'data, PodAccount>> {
    require!(same_bytes(info.owner.as_ref(), anchor_spl::token_2022::ID.as_ref()), AnchorErrorCode::AccountOwnedByWrongProgram);
    let state = PodStateWithExtensions::<PodAccount>::unpack(data).map_err(|_| error!(AnchorErrorCode::AccountDidNotDeserialize))?;
    require!(same_bytes(state.base.mint.as_ref(), mint.as_ref()), AnchorErrorCode::ConstraintTokenMint);
    Ok(state)
}

/// Byte equality in 8-byte words, inline. On SBF, `==` on keys and slices calls the memcmp
/// syscall (a base cost per call); the hook compares a dozen keys on every transfer, and this
/// took its own cost from 2,965 units to 2,814 (BENCHMARKS).
#[inline(always)]
fn same_bytes(left: &[u8], right: &[u8]) -> bool {
    if left.len() != right.len() {
        return false;
    }
    let mut difference = 0u64;
    let (left_words, left_rest) = left.split_at(left.len() / 8 * 8);
    let (right_words, right_rest) = right.split_at(right.len() / 8 * 8);
    for (left_word, right_word) in left_words.chunks_exact(8).zip(right_words.chunks_exact(8)) {
        // `chunks_exact(8)` only yields 8 bytes; should that ever change, refuse (never equal).
        let (Ok(left_word), Ok(right_word)) = (<[u8; 8]>::try_from(left_word), <[u8; 8]>::try_from(right_word)) else { return false };
        difference |= u64::from_le_bytes(left_word) ^ u64::from_le_bytes(right_word);
    }
    for (left_byte, right_byte) in left_rest.iter().zip(right_rest) {
        difference |= u64::from(left_byte ^ right_byte);
    }
    difference == 0
}

/// Token-2022 (on every transfer of this mint): lets the Config's own permanent-delegate moves
/// through; otherwise refuses holder transfers while `transfers` is paused, into an account whose
/// owner could change (no ImmutableOwner), and whose source owner, destination owner or transfer
/// authority is denylisted.
#[cfg(feature = "idl-build")]
pub fn handler(ctx: Context<TransferHookExecute>, _amount: u64) -> Result<()> {
    use crate::utils::token_account_of_mint;
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

#[cfg(test)]
mod tests {
    use super::same_bytes;

    #[test]
    fn same_bytes_is_byte_equality_for_every_length_and_position() {
        for length in 0..=40usize {
            let left: Vec<u8> = (0..length).map(|index| index as u8 ^ 0x5a).collect();
            assert!(same_bytes(&left, &left.clone()), "length {length}");
            for position in 0..length {
                let mut right = left.clone();
                right[position] ^= 1;
                assert!(!same_bytes(&left, &right), "length {length}, byte {position}");
            }
            assert!(!same_bytes(&left, &[left.as_slice(), &[0]].concat()), "length {length} against {}", length + 1);
        }
    }
}
