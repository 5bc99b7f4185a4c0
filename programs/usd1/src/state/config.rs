use crate::{constants::*, error::Usd1Error};
use anchor_lang::prelude::*;

/// The roles one key holds (SPEC section 3). The admin assigns the single-key roles with
/// `set_role`; the council can replace any of them, and the admin, with a `set_role` proposal.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum Role {
    MasterMinter,
    Pauser,
    Denylister,
    Burner,
    Attester,
    /// v3: onboards and offboards the wallets mints may reach.
    Onboarder,
    /// v3: the admin itself; only a council `set_role` proposal names it (the admin hands
    /// over with `transfer_admin` / `accept_admin`).
    Admin,
}

impl Role {
    /// The roles a single key holds beside the admin (what `set_role` assigns and role hygiene checks).
    pub const SINGLE_KEY: [Role; 6] =
        [Role::MasterMinter, Role::Pauser, Role::Denylister, Role::Burner, Role::Attester, Role::Onboarder];
}

/// What a pause or unpause acts on (SPEC section 9).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum PauseScope {
    /// `mint` stops minting.
    Mint,
    /// `redeem` stops redemption requests, settlements, burns and sweeps.
    Redeem,
    /// `transfers` stops holder transfers only (the hook refuses them); minting and redemption go on.
    Transfers,
    /// All three; while all three are paused the Token-2022 Pausable extension is also set,
    /// which additionally stops holders' direct burns.
    All,
}

/// Everything privileged about one mint: roles, council, pause flags, limits,
/// reserve attestation and the counters that make supply reconcilable.
#[account]
#[derive(InitSpace, Debug)]
pub struct Config {
    pub bump: u8,
    pub escrow_bump: u8,
    /// Bump of the DenylistRegistry PDA.
    pub denylist_registry_bump: u8,
    pub mint: Pubkey,
    pub decimals: u8,

    pub admin: Pubkey,
    pub pending_admin: Option<Pubkey>,
    pub master_minter: Pubkey,
    pub pauser: Pubkey,
    pub denylister: Pubkey,
    pub burner: Pubkey,
    pub attester: Pubkey,

    #[max_len(MAX_COUNCIL_MEMBERS)]
    pub council: Vec<Pubkey>,
    pub council_threshold: u8,
    /// Bumped on every council change; proposals created under an older epoch are stale.
    pub council_epoch: u64,

    pub mint_paused: bool,
    pub redeem_paused: bool,
    pub transfers_paused: bool,

    pub supply_cap: Option<u64>,
    pub timelock_secs: u64,
    pub proposal_ttl_secs: u64,
    pub reserve_gate: bool,
    pub attestation_max_age_secs: u64,

    pub attested_reserves: u64,
    pub attestation_report_hash: [u8; 32],
    pub attestation_as_of: i64,

    pub total_minted: u64,
    pub total_burned: u64,
    /// Sum of the amounts of pending redemption requests; the Escrow balance beyond it is `escrow_excess`.
    pub escrowed: u64,
    pub pending_redemptions: u64,
    pub next_proposal_id: u64,
    pub active_minters: u32,
    /// The `seq` of the last event emitted for this config.
    pub event_seq: u64,
    /// v3: onboards and offboards the wallets mints may reach.
    pub onboarder: Pubkey,
    /// v3: while on, `mint` refuses a recipient owner without an `Onboarded` account.
    pub onboarding_required: bool,
    /// Room for fields added by later versions without a migration.
    pub reserved: [u8; 30],
}

impl Config {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// Signer seeds of this PDA, for CPIs where the Config signs as an authority.
    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        [CONFIG_SEED, self.mint.as_ref(), core::slice::from_ref(&self.bump)]
    }

    /// Advance `event_seq` and return the value the next event carries.
    pub fn next_event_seq(&mut self) -> Result<u64> {
        self.event_seq = self.event_seq.checked_add(1).ok_or(Usd1Error::MathOverflow)?;
        Ok(self.event_seq)
    }

    pub fn is_council_member(&self, key: &Pubkey) -> bool {
        self.council.contains(key)
    }

    pub fn role_holder(&self, role: Role) -> Pubkey {
        match role {
            Role::MasterMinter => self.master_minter,
            Role::Pauser => self.pauser,
            Role::Denylister => self.denylister,
            Role::Burner => self.burner,
            Role::Attester => self.attester,
            Role::Onboarder => self.onboarder,
            Role::Admin => self.admin,
        }
    }

    pub fn set_role_holder(&mut self, role: Role, key: Pubkey) {
        match role {
            Role::MasterMinter => self.master_minter = key,
            Role::Pauser => self.pauser = key,
            Role::Denylister => self.denylister = key,
            Role::Burner => self.burner = key,
            Role::Attester => self.attester = key,
            Role::Onboarder => self.onboarder = key,
            Role::Admin => self.admin = key,
        }
    }

    /// True when `key` holds any single-key operational role.
    pub fn holds_any_role(&self, key: &Pubkey) -> bool {
        Role::SINGLE_KEY
            .iter()
            .any(|role| self.role_holder(*role) == *key)
    }

    /// True while every scope is paused: then the Token-2022 Pausable extension is set too.
    pub fn fully_paused(&self) -> bool {
        self.mint_paused && self.redeem_paused && self.transfers_paused
    }

    /// Apply a scope to the pause flags; returns whether "fully paused" (and so the
    /// Token-2022 Pausable extension) changed.
    pub fn apply_pause(&mut self, scope: PauseScope, paused: bool) -> bool {
        let fully_paused_before = self.fully_paused();
        match scope {
            PauseScope::Mint => self.mint_paused = paused,
            PauseScope::Redeem => self.redeem_paused = paused,
            PauseScope::Transfers => self.transfers_paused = paused,
            PauseScope::All => {
                self.mint_paused = paused;
                self.redeem_paused = paused;
                self.transfers_paused = paused;
            }
        }
        fully_paused_before != self.fully_paused()
    }
}

/// Council rules shared by `initialize` and the `set_council` proposal:
/// 1 <= threshold <= members <= 10, no duplicate or default keys.
pub fn validate_council(members: &[Pubkey], threshold: u8) -> Result<()> {
    require!(
        !members.is_empty() && members.len() <= MAX_COUNCIL_MEMBERS,
        Usd1Error::InvalidThreshold
    );
    require!(
        threshold >= 1 && usize::from(threshold) <= members.len(),
        Usd1Error::InvalidThreshold
    );
    for (index, member) in members.iter().enumerate() {
        require!(*member != Pubkey::default(), Usd1Error::InvalidThreshold);
        require!(!members[..index].contains(member), Usd1Error::InvalidThreshold);
    }
    Ok(())
}

/// Timelock, proposal lifetime and attestation age must be usable values. v3: a proposal
/// leaves the council at least `MIN_APPROVAL_WINDOW_SECS` to reach its threshold
/// (`timelock_secs + MIN_APPROVAL_WINDOW_SECS <= proposal_ttl_secs`), so no timing change can
/// make every later proposal, the council's undo included, expire before it can be executed.
pub fn validate_timing(timelock_secs: u64, proposal_ttl_secs: u64, attestation_max_age_secs: u64) -> Result<()> {
    require!(timelock_secs <= MAX_TIMELOCK_SECS, Usd1Error::InvalidConfig);
    let shortest_lifetime = timelock_secs.checked_add(MIN_APPROVAL_WINDOW_SECS).ok_or(Usd1Error::InvalidConfig)?;
    require!(
        proposal_ttl_secs >= shortest_lifetime && proposal_ttl_secs <= MAX_PROPOSAL_TTL_SECS,
        Usd1Error::InvalidConfig
    );
    require!(attestation_max_age_secs > 0, Usd1Error::InvalidConfig);
    Ok(())
}

/// Metadata strings: non-empty and within the limits in constants.
pub fn validate_metadata(name: &str, symbol: &str, uri: &str) -> Result<()> {
    require!(!name.is_empty() && name.len() <= MAX_NAME_LEN, Usd1Error::InvalidMetadata);
    require!(!symbol.is_empty() && symbol.len() <= MAX_SYMBOL_LEN, Usd1Error::InvalidMetadata);
    require!(uri.len() <= MAX_URI_LEN, Usd1Error::InvalidMetadata);
    Ok(())
}

/// A change to the supply cap, as `update_config` and the council's `update_config` proposal
/// take it (an explicit enum rather than `Option<Option<u64>>`, so every client can say
/// "remove the cap").
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace, Default)]
pub enum SupplyCapUpdate {
    /// Leave the cap as it is.
    #[default]
    Unchanged,
    /// Set the cap to `cap` base units (> 0).
    Set { cap: u64 },
    /// No cap.
    Remove,
}

/// Limits and timings to change; each field left `Unchanged`/`None` keeps its value.
/// The admin's `update_config` accepts only changes that tighten (`CouncilRequired`
/// otherwise); a council `update_config` proposal may loosen.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, Default, PartialEq, Eq, InitSpace)]
pub struct UpdateConfigParams {
    /// New supply cap, or none, or unchanged.
    pub supply_cap: SupplyCapUpdate,
    /// New proposal timelock in seconds (applies to proposals created afterwards).
    pub timelock_secs: Option<u64>,
    /// New proposal lifetime in seconds.
    pub proposal_ttl_secs: Option<u64>,
    /// Turn the reserve gate on or off.
    pub reserve_gate: Option<bool>,
    /// New maximum age of a reserve attestation, in seconds.
    pub attestation_max_age_secs: Option<u64>,
    /// v3: turn the onboarding requirement on (the admin may) or off (the council only).
    pub onboarding_required: Option<bool>,
}

impl UpdateConfigParams {
    pub fn is_empty(&self) -> bool {
        self.supply_cap == SupplyCapUpdate::Unchanged
            && self.timelock_secs.is_none()
            && self.proposal_ttl_secs.is_none()
            && self.reserve_gate.is_none()
            && self.attestation_max_age_secs.is_none()
            && self.onboarding_required.is_none()
    }

    /// Whether every field only lowers risk against `config`: a lower or new cap, a longer
    /// timelock, a shorter proposal lifetime, the reserve gate on, a shorter attestation age,
    /// onboarding required.
    pub fn only_tightens(&self, config: &Config) -> bool {
        let cap = match (self.supply_cap, config.supply_cap) {
            (SupplyCapUpdate::Unchanged, _) | (SupplyCapUpdate::Set { .. }, None) | (SupplyCapUpdate::Remove, None) => true,
            (SupplyCapUpdate::Set { cap }, Some(current)) => cap <= current,
            (SupplyCapUpdate::Remove, Some(_)) => false,
        };
        cap && self.timelock_secs.map_or(true, |secs| secs >= config.timelock_secs)
            && self.proposal_ttl_secs.map_or(true, |secs| secs <= config.proposal_ttl_secs)
            && self.reserve_gate.map_or(true, |gate| gate || !config.reserve_gate)
            && self.attestation_max_age_secs.map_or(true, |secs| secs <= config.attestation_max_age_secs)
            && self.onboarding_required.map_or(true, |required| required || !config.onboarding_required)
    }

    /// Check the values (`NothingToUpdate`, `InvalidConfig`) against `config` as it would become.
    pub fn validate(&self, config: &Config) -> Result<()> {
        require!(!self.is_empty(), Usd1Error::NothingToUpdate);
        require!(self.supply_cap != SupplyCapUpdate::Set { cap: 0 }, Usd1Error::InvalidConfig);
        validate_timing(
            self.timelock_secs.unwrap_or(config.timelock_secs),
            self.proposal_ttl_secs.unwrap_or(config.proposal_ttl_secs),
            self.attestation_max_age_secs.unwrap_or(config.attestation_max_age_secs),
        )
    }

    /// Apply to `config`.
    pub fn apply(&self, config: &mut Config) {
        match self.supply_cap {
            SupplyCapUpdate::Unchanged => {}
            SupplyCapUpdate::Set { cap } => config.supply_cap = Some(cap),
            SupplyCapUpdate::Remove => config.supply_cap = None,
        }
        if let Some(secs) = self.timelock_secs {
            config.timelock_secs = secs;
        }
        if let Some(secs) = self.proposal_ttl_secs {
            config.proposal_ttl_secs = secs;
        }
        if let Some(gate) = self.reserve_gate {
            config.reserve_gate = gate;
        }
        if let Some(secs) = self.attestation_max_age_secs {
            config.attestation_max_age_secs = secs;
        }
        if let Some(required) = self.onboarding_required {
            config.onboarding_required = required;
        }
    }
}
