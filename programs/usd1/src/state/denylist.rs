use anchor_lang::prelude::*;

/// A denylisted wallet. The entry's existence is the denylist: the transfer hook,
/// `mint` and `request_redemption` refuse any movement to or from its owner.
#[account]
#[derive(InitSpace, Debug)]
pub struct DenylistEntry {
    pub bump: u8,
    pub wallet: Pubkey,
    /// sha256 of the compliance case reference.
    pub reason_hash: [u8; 32],
    pub added_at: i64,
    pub added_by: Pubkey,
    /// v3: open seize proposals naming this wallet; while any is open the wallet cannot be
    /// unlisted (`SeizurePending`), so an approved seizure cannot be dodged.
    pub open_seizures: u32,
}

impl DenylistEntry {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;
}

/// Every denylisted wallet of one config, sorted by key: what the transfer hook reads.
/// The DenylistEntry PDAs are the records (reason, time, who); this list mirrors them,
/// kept in step by `denylist_add` and `denylist_remove` in the same instruction. Its
/// borsh layout (`bump`, `config`, `wallets` as u32 length + keys) is read and written in
/// place, so the list can grow to thousands of wallets without deserializing it.
#[account]
#[derive(Debug)]
pub struct DenylistRegistry {
    pub bump: u8,
    pub config: Pubkey,
    /// Denylisted wallets, ascending.
    pub wallets: Vec<Pubkey>,
}

impl DenylistRegistry {
    /// Discriminator, bump, config, vector length.
    pub const HEADER_LEN: usize = 8 + 1 + 32 + 4;
    const LENGTH_OFFSET: usize = 8 + 1 + 32;

    /// The size of a registry holding `count` wallets.
    pub fn space(count: usize) -> usize {
        Self::HEADER_LEN + count * 32
    }

    /// How many wallets an account's data holds (checked against its length).
    pub fn count(data: &[u8]) -> Result<usize> {
        let length = data
            .get(Self::LENGTH_OFFSET..Self::HEADER_LEN)
            .and_then(|bytes| <[u8; 4]>::try_from(bytes).ok())
            .map(u32::from_le_bytes)
            .ok_or(crate::error::Usd1Error::AccountMismatch)? as usize;
        require!(data.len() >= Self::space(length), crate::error::Usd1Error::AccountMismatch);
        Ok(length)
    }

    /// Where `wallet` is (Ok) or would go (Err) in the sorted list: a binary search over the
    /// raw bytes, reading nothing but the keys it compares.
    pub fn position(data: &[u8], wallet: &Pubkey) -> Result<core::result::Result<usize, usize>> {
        let (mut low, mut high) = (0usize, Self::count(data)?);
        let target = wallet.as_ref();
        while low < high {
            let middle = low + (high - low) / 2;
            let at = Self::space(middle);
            match data[at..at + 32].cmp(target) {
                core::cmp::Ordering::Less => low = middle + 1,
                core::cmp::Ordering::Greater => high = middle,
                core::cmp::Ordering::Equal => return Ok(Ok(middle)),
            }
        }
        Ok(Err(low))
    }

    /// Whether `wallet` is listed.
    pub fn contains(data: &[u8], wallet: &Pubkey) -> Result<bool> {
        Ok(Self::position(data, wallet)?.is_ok())
    }

    /// Insert `wallet` into the account's list (which must already have room for one more:
    /// the caller resizes first). Returns false when it was already listed.
    pub fn insert(data: &mut [u8], wallet: &Pubkey) -> Result<bool> {
        let count = Self::count(data)?;
        require!(data.len() >= Self::space(count + 1), crate::error::Usd1Error::AccountMismatch);
        let Err(index) = Self::position(data, wallet)? else { return Ok(false) };
        let at = Self::space(index);
        let end = Self::space(count);
        data.copy_within(at..end, at + 32);
        data[at..at + 32].copy_from_slice(wallet.as_ref());
        data[Self::LENGTH_OFFSET..Self::HEADER_LEN].copy_from_slice(&(count as u32 + 1).to_le_bytes());
        Ok(true)
    }

    /// Remove `wallet` from the account's list (the caller shrinks the account after).
    /// Returns false when it was not listed.
    pub fn remove(data: &mut [u8], wallet: &Pubkey) -> Result<bool> {
        let count = Self::count(data)?;
        let Ok(index) = Self::position(data, wallet)? else { return Ok(false) };
        let at = Self::space(index);
        data.copy_within(at + 32..Self::space(count), at);
        data[Self::LENGTH_OFFSET..Self::HEADER_LEN].copy_from_slice(&(count as u32 - 1).to_le_bytes());
        Ok(true)
    }
}
