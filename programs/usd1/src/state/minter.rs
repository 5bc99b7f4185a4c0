use crate::error::Usd1Error;
use anchor_lang::prelude::*;

/// An optional token bucket: up to `capacity` base units at once, refilled at
/// `refill_per_sec` base units per second.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct RateLimit {
    /// Most base units the bucket holds (the largest burst).
    pub capacity: u64,
    /// Base units added to the bucket per second.
    pub refill_per_sec: u64,
}

/// One minter: its remaining allowance, lifetime totals and rate-limit bucket.
#[account]
#[derive(InitSpace, Debug)]
pub struct Minter {
    pub bump: u8,
    pub config: Pubkey,
    pub minter: Pubkey,
    pub active: bool,
    /// Bumped on every (re)configuration from inactive; a `set_allowance`
    /// proposal made for an earlier generation cannot be executed.
    pub generation: u32,
    /// Remaining allowance in base units.
    pub allowance: u64,
    /// Sum of every allowance increase ever granted (SPEC invariant 3:
    /// allowance + lifetime_minted <= total_granted).
    pub total_granted: u64,
    pub lifetime_minted: u64,
    pub rate_limit: Option<RateLimit>,
    /// Tokens in the bucket after the last refill, and when that was.
    pub bucket_tokens: u64,
    pub bucket_updated_at: i64,
}

impl Minter {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// The minter at `info`, which must exist and be active (`MinterNotActive` otherwise).
    pub fn load_active(info: &AccountInfo) -> Result<Minter> {
        match crate::utils::load_optional::<Minter>(info)? {
            Some(minter) if minter.active => Ok(minter),
            _ => err!(Usd1Error::MinterNotActive),
        }
    }

    /// Bring the bucket up to `now` at the current refill rate (no-op without a limit).
    pub fn refill_bucket(&mut self, now: i64) {
        if let Some(limit) = self.rate_limit {
            let elapsed = u64::try_from(now.saturating_sub(self.bucket_updated_at)).unwrap_or(0);
            let refill = elapsed.saturating_mul(limit.refill_per_sec);
            self.bucket_tokens = self.bucket_tokens.saturating_add(refill).min(limit.capacity);
        }
        self.bucket_updated_at = now;
    }

    /// Take `amount` from the refilled bucket, or fail with `RateLimited`.
    pub fn take_from_bucket(&mut self, amount: u64, now: i64) -> Result<()> {
        if self.rate_limit.is_none() {
            return Ok(());
        }
        self.refill_bucket(now);
        require!(amount <= self.bucket_tokens, Usd1Error::RateLimited);
        self.bucket_tokens -= amount;
        Ok(())
    }

    /// Replace the rate limit without refilling: the bucket first accrues at the old rate up
    /// to now, then keeps what it holds within the new capacity. A limit where there was none
    /// starts full (the minter was unlimited until now).
    pub fn change_rate_limit(&mut self, rate_limit: Option<RateLimit>, now: i64) {
        self.refill_bucket(now);
        if let Some(limit) = rate_limit {
            self.bucket_tokens = match self.rate_limit {
                Some(_) => self.bucket_tokens.min(limit.capacity),
                None => limit.capacity,
            };
        }
        self.rate_limit = rate_limit;
    }

    /// Whether `rate_limit` only tightens the current one: a limit where there was none, or a
    /// capacity and refill rate each no higher than now.
    pub fn rate_limit_only_tightens(&self, rate_limit: Option<RateLimit>) -> bool {
        match (self.rate_limit, rate_limit) {
            (_, None) => self.rate_limit.is_none(),
            (None, Some(_)) => true,
            (Some(current), Some(new)) => new.capacity <= current.capacity && new.refill_per_sec <= current.refill_per_sec,
        }
    }

    /// Set the remaining allowance, counting any increase as granted.
    pub fn set_allowance(&mut self, amount: u64) -> Result<()> {
        if amount > self.allowance {
            let increase = amount - self.allowance;
            self.total_granted = self.total_granted.checked_add(increase).ok_or(Usd1Error::MathOverflow)?;
        }
        self.allowance = amount;
        Ok(())
    }
}
