//! Helpers shared by instructions.
use anchor_lang::{
    prelude::*,
    system_program::{allocate, assign, create_account, transfer, Allocate, Assign, CreateAccount, Transfer},
};

/// Create a rent-exempt account of `space` bytes owned by `owner` at a PDA of
/// this program (`signer_seeds`), paid by `payer`.
///
/// An attacker can send lamports to a PDA address before it exists, which makes
/// a plain `create_account` fail; like Anchor's `init`, this tops up, allocates
/// and assigns in that case instead.
pub fn create_pda_account<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    owner: &Pubkey,
    space: usize,
    signer_seeds: &[&[u8]],
) -> Result<()> {
    let rent_exempt = Rent::get()?.minimum_balance(space);
    create_account_topped_up(payer, target, system_program, owner, space, rent_exempt, &[signer_seeds])
}

/// Create an account of `space` bytes holding at least `lamports`, owned by `owner`, whether or
/// not someone sent lamports to its address first: create it when it holds none, otherwise
/// top up, allocate and assign. `signers` are the PDA seeds that sign for `target` (empty
/// when `target` signs the transaction itself, as a fresh mint keypair does).
pub fn create_account_topped_up<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    owner: &Pubkey,
    space: usize,
    lamports: u64,
    signers: &[&[&[u8]]],
) -> Result<()> {
    let system_program_id = system_program.key();
    let current = target.lamports();
    if current == 0 {
        return create_account(
            CpiContext::new_with_signer(
                system_program_id,
                CreateAccount { from: payer.clone(), to: target.clone() },
                signers,
            ),
            lamports,
            space as u64,
            owner,
        );
    }
    let shortfall = lamports.saturating_sub(current);
    if shortfall > 0 {
        transfer(
            CpiContext::new(system_program_id, Transfer { from: payer.clone(), to: target.clone() }),
            shortfall,
        )?;
    }
    allocate(
        CpiContext::new_with_signer(system_program_id, Allocate { account_to_allocate: target.clone() }, signers),
        space as u64,
    )?;
    assign(
        CpiContext::new_with_signer(system_program_id, Assign { account_to_assign: target.clone() }, signers),
        owner,
    )
}

/// Write a program account (discriminator + borsh) into a freshly created account.
pub fn write_account<T: AccountSerialize>(target: &AccountInfo, value: &T) -> Result<()> {
    let mut data = target.try_borrow_mut_data()?;
    let mut writer: &mut [u8] = &mut data;
    value.try_serialize(&mut writer)
}

/// Read a program account that may not exist yet: `None` when the address holds
/// no data of this program (never created, or closed).
pub fn load_optional<T: AccountDeserialize>(info: &AccountInfo) -> Result<Option<T>> {
    if info.owner != &crate::ID || info.data_is_empty() {
        return Ok(None);
    }
    let data = info.try_borrow_data()?;
    T::try_deserialize(&mut &data[..]).map(Some)
}

/// A wallet is denylisted while its DenylistEntry PDA exists. Callers pin the
/// address with seeds; this checks that the account is a live program account.
pub fn is_denylisted(entry: &AccountInfo) -> bool {
    program_account_exists(entry)
}

/// Whether `account` is a live account of this program (created and not closed). Callers pin
/// the address with seeds, so existence is what a marker PDA (DenylistEntry, Onboarded) says.
pub fn program_account_exists(account: &AccountInfo) -> bool {
    account.owner == &crate::ID && !account.data_is_empty()
}

/// The current unix time from the Clock sysvar.
pub fn now() -> Result<i64> {
    Ok(Clock::get()?.unix_timestamp)
}

/// Move `amount` into or out of the Escrow with a real Token-2022 `transfer_checked`.
///
/// This program is the mint's transfer hook, and the runtime forbids re-entering a
/// program from a program it called (USD1 -> Token-2022 -> USD1 fails with
/// `ReentrancyNotAllowed`). So for the duration of this transfer the Config, which
/// is the hook authority, switches the hook off, and switches it back on right
/// after, inside the same instruction. Callers apply the hook's denylist checks
/// themselves before calling this.
#[allow(clippy::too_many_arguments)]
pub fn escrow_transfer<'info>(
    token_program: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    from: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    config: &AccountInfo<'info>,
    config_seeds: &[&[u8]],
    amount: u64,
    decimals: u8,
) -> Result<()> {
    use anchor_spl::{
        token_2022::{transfer_checked, TransferChecked},
        token_interface::{transfer_hook_update, TransferHookUpdate},
    };
    let token_program_id = token_program.key();
    let signer: &[&[&[u8]]] = &[config_seeds];
    let set_hook = |program_id: Option<Pubkey>| {
        transfer_hook_update(
            CpiContext::new_with_signer(
                token_program_id,
                TransferHookUpdate {
                    token_program_id: token_program.clone(),
                    mint: mint.clone(),
                    authority: config.clone(),
                },
                signer,
            ),
            program_id,
        )
    };
    set_hook(None)?;
    transfer_checked(
        CpiContext::new_with_signer(
            token_program_id,
            TransferChecked { from: from.clone(), mint: mint.clone(), to: to.clone(), authority: authority.clone() },
            signer,
        ),
        amount,
        decimals,
    )?;
    set_hook(Some(crate::ID))
}

/// Close a program account: its lamports go to `destination`, its data is
/// emptied and it is handed back to the system program (as Anchor's `close`).
pub fn close_account<'info>(account: &AccountInfo<'info>, destination: &AccountInfo<'info>) -> Result<()> {
    move_lamports(account, destination, account.lamports())?;
    account.assign(&anchor_lang::system_program::ID);
    account.resize(0)?;
    Ok(())
}

/// The parts of a Token-2022 token account of `mint` the program decides on.
pub struct TokenAccountView {
    pub owner: Pubkey,
    pub amount: u64,
    pub frozen: bool,
    /// The account has Token-2022's ImmutableOwner extension (every associated account does).
    pub immutable_owner: bool,
}

impl TokenAccountView {
    /// Whether this account may receive tokens: its owner can never change (ImmutableOwner),
    /// or it is the Config's own (the Escrow). A funded account whose owner could change would
    /// let a denylisted wallet hand it to a fresh key with SetAuthority, which runs no hook.
    pub fn require_can_receive(&self, config: &Pubkey) -> Result<()> {
        require!(self.immutable_owner || self.owner == *config, crate::error::Usd1Error::OwnerNotImmutable);
        Ok(())
    }
}

/// Read `info` as a Token-2022 token account of `mint` (`InvalidTokenAccount` otherwise).
pub fn token_account_of_mint(info: &AccountInfo, mint: &Pubkey) -> Result<TokenAccountView> {
    use anchor_spl::token_2022::spl_token_2022::{
        extension::{immutable_owner::ImmutableOwner, BaseStateWithExtensions, StateWithExtensions},
        state::{Account as TokenAccountState, AccountState},
    };
    require_keys_eq!(*info.owner, anchor_spl::token_2022::ID, crate::error::Usd1Error::InvalidTokenAccount);
    let data = info.try_borrow_data()?;
    let state = StateWithExtensions::<TokenAccountState>::unpack(&data)
        .map_err(|_| error!(crate::error::Usd1Error::InvalidTokenAccount))?;
    require_keys_eq!(state.base.mint, *mint, crate::error::Usd1Error::InvalidTokenAccount);
    Ok(TokenAccountView {
        owner: state.base.owner,
        amount: state.base.amount,
        frozen: state.base.state == AccountState::Frozen,
        immutable_owner: state.get_extension::<ImmutableOwner>().is_ok(),
    })
}

/// Token-2022 `FreezeAccount`, `ThawAccount` and `Burn` signed by the Config (the mint's freeze
/// authority and permanent delegate), applied to one account after another. Each instruction is
/// built once and re-pointed per account: SBF's heap is 32 KiB and never freed, and a fresh
/// instruction per call (Anchor's CPI helpers build one, and the CPI copies it) for each of a
/// wallet's 16 accounts, three calls each in a seizure, ran out of it on the `.so`.
pub struct ConfigTokenActions<'a, 'info> {
    mint: AccountInfo<'info>,
    config: AccountInfo<'info>,
    signer: &'a [&'a [&'a [u8]]],
    freeze: anchor_lang::solana_program::instruction::Instruction,
    thaw: anchor_lang::solana_program::instruction::Instruction,
    burn: anchor_lang::solana_program::instruction::Instruction,
}

impl<'a, 'info> ConfigTokenActions<'a, 'info> {
    /// `signer` is the Config's seeds (`[&config.signer_seeds()]`).
    #[inline(never)]
    pub fn new(token_program: &AccountInfo<'info>, mint: &AccountInfo<'info>, config: &AccountInfo<'info>, signer: &'a [&'a [&'a [u8]]]) -> Result<Self> {
        use anchor_spl::token_2022::spl_token_2022::instruction::{burn, freeze_account, thaw_account};
        let (program, mint_key, config_key) = (token_program.key, mint.key, config.key);
        Ok(ConfigTokenActions {
            mint: mint.clone(),
            config: config.clone(),
            signer,
            freeze: freeze_account(program, mint_key, mint_key, config_key, &[])?,
            thaw: thaw_account(program, mint_key, mint_key, config_key, &[])?,
            burn: burn(program, mint_key, mint_key, config_key, &[], 0)?,
        })
    }

    /// Freeze (`true`) or thaw `account`.
    #[inline(never)]
    pub fn set_frozen(&mut self, account: &AccountInfo<'info>, frozen: bool) -> Result<()> {
        let instruction = if frozen { &mut self.freeze } else { &mut self.thaw };
        instruction.accounts[0].pubkey = *account.key;
        anchor_lang::solana_program::program::invoke_signed(instruction, &[account.clone(), self.mint.clone(), self.config.clone()], self.signer)?;
        Ok(())
    }

    /// Burn `amount` from `account` (the Config is the mint's permanent delegate).
    #[inline(never)]
    pub fn burn(&mut self, account: &AccountInfo<'info>, amount: u64) -> Result<()> {
        // Token-2022 `Burn`: tag 8, then the amount (u64, little-endian).
        self.burn.accounts[0].pubkey = *account.key;
        self.burn.data[1..9].copy_from_slice(&amount.to_le_bytes());
        anchor_lang::solana_program::program::invoke_signed(&self.burn, &[account.clone(), self.mint.clone(), self.config.clone()], self.signer)?;
        Ok(())
    }
}

/// The token accounts of `mint` owned by `wallet` among `candidates` (remaining accounts),
/// checked: Token-2022 accounts of this mint, owned by the wallet, each given once, at most
/// [`crate::constants::MAX_WALLET_TOKEN_ACCOUNTS`].
pub fn wallet_token_accounts<'info>(
    candidates: &[AccountInfo<'info>],
    mint: &Pubkey,
    wallet: &Pubkey,
) -> Result<Vec<(AccountInfo<'info>, TokenAccountView)>> {
    use crate::error::Usd1Error;
    require!(candidates.len() <= crate::constants::MAX_WALLET_TOKEN_ACCOUNTS, Usd1Error::TooManyAccounts);
    let mut accounts: Vec<(AccountInfo<'info>, TokenAccountView)> = Vec::with_capacity(candidates.len());
    for info in candidates {
        require!(!accounts.iter().any(|(seen, _)| seen.key == info.key), Usd1Error::DuplicateAccount);
        let view = token_account_of_mint(info, mint)?;
        require_keys_eq!(view.owner, *wallet, Usd1Error::InvalidTokenAccount);
        accounts.push((info.clone(), view));
    }
    Ok(accounts)
}

/// Grow a program account to `new_len` bytes, `payer` topping up its rent first.
pub fn grow_account<'info>(
    account: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    new_len: usize,
) -> Result<()> {
    let needed = Rent::get()?.minimum_balance(new_len).saturating_sub(account.lamports());
    if needed > 0 {
        transfer(CpiContext::new(system_program.key(), Transfer { from: payer.clone(), to: account.clone() }), needed)?;
    }
    account.resize(new_len)?;
    Ok(())
}

/// Shrink a program account to `new_len` bytes; the rent it no longer needs goes to `receiver`.
pub fn shrink_account<'info>(account: &AccountInfo<'info>, receiver: &AccountInfo<'info>, new_len: usize) -> Result<()> {
    account.resize(new_len)?;
    let excess = account.lamports().saturating_sub(Rent::get()?.minimum_balance(new_len));
    move_lamports(account, receiver, excess)
}

/// Move `amount` lamports out of an account this program owns.
fn move_lamports(from: &AccountInfo, to: &AccountInfo, amount: u64) -> Result<()> {
    let debited = from.lamports().checked_sub(amount).ok_or(crate::error::Usd1Error::MathOverflow)?;
    let credited = to.lamports().checked_add(amount).ok_or(crate::error::Usd1Error::MathOverflow)?;
    **from.try_borrow_mut_lamports()? = debited;
    **to.try_borrow_mut_lamports()? = credited;
    Ok(())
}

/// Freeze (or thaw) those of a wallet's token accounts that are not already so, signed by
/// the Config as freeze authority; returns the accounts changed, in the order given.
pub fn set_accounts_frozen<'info>(
    token_program: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    config: &AccountInfo<'info>,
    config_seeds: &[&[u8]],
    accounts: &[(AccountInfo<'info>, TokenAccountView)],
    frozen: bool,
) -> Result<Vec<Pubkey>> {
    let signer: &[&[&[u8]]] = &[config_seeds];
    let mut actions = ConfigTokenActions::new(token_program, mint, config, signer)?;
    let mut changed = Vec::with_capacity(accounts.len());
    for (account, view) in accounts {
        if view.frozen != frozen {
            actions.set_frozen(account, frozen)?;
            changed.push(account.key());
        }
    }
    Ok(changed)
}

/// Role hygiene for an admin candidate (SPEC 3, v2): it may hold no single-key role, sit on
/// no council and be no active minter (`RoleConflict`), and may not be denylisted.
/// `minter_account` is the candidate's Minter PDA, `denylist_entry` its DenylistEntry PDA.
pub fn require_can_be_admin(
    config: &crate::state::Config,
    candidate: &Pubkey,
    minter_account: &AccountInfo,
    denylist_entry: &AccountInfo,
) -> Result<()> {
    use crate::error::Usd1Error;
    let active_minter = load_optional::<crate::state::Minter>(minter_account)?.is_some_and(|minter| minter.active);
    require!(
        *candidate != Pubkey::default()
            && !config.holds_any_role(candidate)
            && !config.is_council_member(candidate)
            && !active_minter,
        Usd1Error::RoleConflict
    );
    require!(!is_denylisted(denylist_entry), Usd1Error::Denylisted);
    Ok(())
}

/// The Minter PDA of `minter` under `config`.
pub fn minter_address(config: &Pubkey, minter: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[crate::constants::MINTER_SEED, config.as_ref(), minter.as_ref()], &crate::ID).0
}

/// The DenylistEntry PDA of `wallet` under `config`.
pub fn denylist_entry_address(config: &Pubkey, wallet: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[crate::constants::DENYLIST_SEED, config.as_ref(), wallet.as_ref()], &crate::ID).0
}

/// None of `keys` is denylisted: `entries` are their DenylistEntry PDAs, in order, each
/// address-checked (`MissingAccount`, `AccountMismatch`, `Denylisted`).
#[inline(never)]
pub fn require_none_denylisted(config: &Pubkey, keys: &[Pubkey], entries: &[AccountInfo]) -> Result<()> {
    use crate::error::Usd1Error;
    require!(entries.len() >= keys.len(), Usd1Error::MissingAccount);
    for (key, entry) in keys.iter().zip(entries) {
        require_keys_eq!(entry.key(), denylist_entry_address(config, key), Usd1Error::AccountMismatch);
        require!(!is_denylisted(entry), Usd1Error::Denylisted);
    }
    Ok(())
}

/// Move the count of open seize proposals on a wallet's DenylistEntry (`entry`, already
/// address-checked) by one: up when a seize proposal opens, down when it is executed or
/// cancelled. `NotDenylisted` when the wallet is not listed.
#[inline(never)]
pub fn count_open_seizure(entry: &AccountInfo, opened: bool) -> Result<()> {
    use crate::{error::Usd1Error, state::DenylistEntry};
    let mut record = load_optional::<DenylistEntry>(entry)?.ok_or(Usd1Error::NotDenylisted)?;
    record.open_seizures = if opened { record.open_seizures.checked_add(1) } else { record.open_seizures.checked_sub(1) }
        .ok_or(Usd1Error::MathOverflow)?;
    write_account(entry, &record)
}

/// Lift `wallet`'s denylisting: close its DenylistEntry (`entry`, address-checked by the caller;
/// rent to `receiver`) and take it out of the registry the hook reads (the freed rent too).
/// `denylist_remove` and a council change's late-listed newcomers share it.
pub fn lift_denylisting<'info>(entry: &AccountInfo<'info>, registry: &AccountInfo<'info>, receiver: &AccountInfo<'info>, wallet: &Pubkey) -> Result<()> {
    use crate::{error::Usd1Error, state::DenylistRegistry};
    close_account(entry, receiver)?;
    require!(DenylistRegistry::remove(&mut registry.try_borrow_mut_data()?, wallet)?, Usd1Error::NotDenylisted);
    let new_len = DenylistRegistry::space(DenylistRegistry::count(&registry.try_borrow_data()?)?);
    shrink_account(registry, receiver, new_len)
}
