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
    let system_program_id = system_program.key();
    let current = target.lamports();
    if current == 0 {
        return create_account(
            CpiContext::new_with_signer(
                system_program_id,
                CreateAccount { from: payer.clone(), to: target.clone() },
                &[signer_seeds],
            ),
            rent_exempt,
            space as u64,
            owner,
        );
    }
    let shortfall = rent_exempt.saturating_sub(current);
    if shortfall > 0 {
        transfer(
            CpiContext::new(system_program_id, Transfer { from: payer.clone(), to: target.clone() }),
            shortfall,
        )?;
    }
    allocate(
        CpiContext::new_with_signer(system_program_id, Allocate { account_to_allocate: target.clone() }, &[signer_seeds]),
        space as u64,
    )?;
    assign(
        CpiContext::new_with_signer(system_program_id, Assign { account_to_assign: target.clone() }, &[signer_seeds]),
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
    entry.owner == &crate::ID && !entry.data_is_empty()
}

/// The current unix time from the Clock sysvar.
pub fn now() -> Result<i64> {
    Ok(Clock::get()?.unix_timestamp)
}
