//! The deployment check of SPEC section 14 (`usd1 verify`): what an exchange, an integrator or
//! an auditor confirms before listing the token, from the accounts a cluster holds.
//!
//! The checks are pure: the caller fetches [`DeploymentAccounts`] (the CLI over RPC or the
//! embedded ledger, the TypeScript package's `verifyDeployment` over a web3.js connection) and
//! [`verify`] returns the checklist. Both print the same JSON: `{ok, mint, program_id, checks:
//! [{item, ok, status, detail}]}`; `ok` is false when any item's status is `fail`.
//!
//! ```
//! use usd1_client::verify::{verify, DeploymentAccounts, Expectations, Status};
//! use solana_pubkey::Pubkey;
//! let report = verify(&Pubkey::new_unique(), &DeploymentAccounts::default(), &Expectations::default());
//! assert!(!report.ok);
//! assert_eq!(report.check("mint_account").unwrap().status, Status::Fail);
//! ```
use crate::{accounts, amount::format_amount, pda, Config, TOKEN_2022_PROGRAM_ID};
use serde::Serialize;
use sha2::{Digest, Sha256};
use solana_pubkey::Pubkey;
use spl_token_2022_interface::{
    extension::{BaseStateWithExtensions, ExtensionType, StateWithExtensions},
    state::{Account as TokenAccountState, AccountState, Mint as MintState},
};

/// The upgradeable loader's account header sizes (bincode of `UpgradeableLoaderState`):
/// `Program { programdata_address }` is a u32 tag and a key; `ProgramData { slot,
/// upgrade_authority_address }` is a u32 tag, a u64 and an `Option<Pubkey>` (1 + 32 bytes),
/// followed by the ELF.
const UPGRADEABLE_PROGRAM_TAG: u32 = 2;
const UPGRADEABLE_PROGRAM_DATA_TAG: u32 = 3;
pub const PROGRAM_DATA_HEADER_LEN: usize = 4 + 8 + 1 + 32;

/// An account as a cluster returns it (only what the checks read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountData {
    pub owner: Pubkey,
    pub executable: bool,
    pub data: Vec<u8>,
}

/// The accounts a deployment check reads; `None` where the cluster has no account.
#[derive(Debug, Clone, Default)]
pub struct DeploymentAccounts {
    /// The program account at the program id.
    pub program: Option<AccountData>,
    /// The upgradeable loader's ProgramData account ([`program_data_address`] of the program account).
    pub program_data: Option<AccountData>,
    pub mint: Option<AccountData>,
    pub config: Option<AccountData>,
    pub extra_account_metas: Option<AccountData>,
    pub denylist_registry: Option<AccountData>,
    pub escrow: Option<AccountData>,
}

/// Whom the program's upgrade authority should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedUpgradeAuthority {
    /// The program is immutable (no upgrade authority).
    Immutable,
    /// This key (the council's Squads vault).
    Key(Pubkey),
}

impl std::str::FromStr for ExpectedUpgradeAuthority {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "none" | "immutable" => Ok(ExpectedUpgradeAuthority::Immutable),
            key => key
                .parse()
                .map(ExpectedUpgradeAuthority::Key)
                .map_err(|_| format!("`{key}` is neither a base58 key nor `none`")),
        }
    }
}

/// What the caller brings to compare with.
#[derive(Debug, Clone, Default)]
pub struct Expectations {
    /// The local build of the program (`target/deploy/usd1.so`): its bytes must be the deployed ones.
    pub program_so: Option<Vec<u8>>,
    /// The upgrade authority the project announced.
    pub upgrade_authority: Option<ExpectedUpgradeAuthority>,
}

/// One item's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Checked and as it must be.
    Pass,
    /// Checked and not as it must be: the deployment is not the one the project describes.
    Fail,
    /// Reported for a person to read (nothing to compare it with).
    Info,
    /// Not checked, with the reason (nothing to compare with was given).
    Skip,
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// A stable name (`mint_authority`, `hook_account_list`, ...).
    pub item: &'static str,
    /// False only for `fail`.
    pub ok: bool,
    pub status: Status,
    /// What was found, in words (token units, keys in base58).
    pub detail: String,
}

/// The checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// True when no item failed.
    pub ok: bool,
    pub mint: String,
    pub program_id: String,
    pub checks: Vec<Check>,
}

impl Report {
    /// The item named `item`.
    pub fn check(&self, item: &str) -> Option<&Check> {
        self.checks.iter().find(|check| check.item == item)
    }

    /// The names of the items that failed.
    pub fn failed(&self) -> Vec<&'static str> {
        self.checks.iter().filter(|check| !check.ok).map(|check| check.item).collect()
    }
}

/// The ProgramData address an upgradeable program account points at (`None` for another loader).
pub fn program_data_address(program: &AccountData) -> Option<Pubkey> {
    if program.owner != solana_sdk_ids::bpf_loader_upgradeable::ID || program.data.len() < 36 {
        return None;
    }
    let tag = u32::from_le_bytes(program.data[..4].try_into().ok()?);
    (tag == UPGRADEABLE_PROGRAM_TAG).then(|| Pubkey::new_from_array(program.data[4..36].try_into().expect("32 bytes")))
}

/// The upgrade authority a ProgramData account names: `Some(None)` for an immutable program,
/// `None` when the bytes are not a ProgramData account.
pub fn program_upgrade_authority(program_data: &[u8]) -> Option<Option<Pubkey>> {
    if program_data.len() < PROGRAM_DATA_HEADER_LEN || u32::from_le_bytes(program_data[..4].try_into().ok()?) != UPGRADEABLE_PROGRAM_DATA_TAG {
        return None;
    }
    Some(match program_data[12] {
        0 => None,
        _ => Some(Pubkey::new_from_array(program_data[13..45].try_into().ok()?)),
    })
}

/// sha256 of a program's bytes as `solana-verify` hashes them: trailing zero bytes (the
/// ProgramData account's padding) left out.
pub fn program_hash(elf: &[u8]) -> String {
    let end = elf.iter().rposition(|byte| *byte != 0).map_or(0, |last| last + 1);
    Sha256::digest(&elf[..end]).iter().map(|byte| format!("{byte:02x}")).collect()
}

struct Checklist(Vec<Check>);

impl Checklist {
    fn add(&mut self, item: &'static str, status: Status, detail: impl Into<String>) {
        self.0.push(Check { item, ok: status != Status::Fail, status, detail: detail.into() });
    }

    fn expect_key(&mut self, item: &'static str, what: &str, actual: Option<Pubkey>, expected: &Pubkey, expected_name: &str) {
        match actual {
            Some(key) if key == *expected => self.add(item, Status::Pass, format!("{what} is the {expected_name} {key}")),
            Some(key) => self.add(item, Status::Fail, format!("{what} is {key}, not the {expected_name} {expected}")),
            None => self.add(item, Status::Fail, format!("{what} is not set (the {expected_name} {expected} must hold it)")),
        }
    }
}

fn key_list(keys: &[Pubkey]) -> String {
    keys.iter().map(Pubkey::to_string).collect::<Vec<_>>().join(", ")
}

fn duration(secs: u64) -> String {
    match secs {
        0 => "none".into(),
        secs if secs % 86_400 == 0 => format!("{} day(s)", secs / 86_400),
        secs if secs % 3_600 == 0 => format!("{} hour(s)", secs / 3_600),
        secs => format!("{secs} seconds"),
    }
}

/// The deployment check of SPEC 14 over `accounts` (fetched for `mint`).
pub fn verify(mint: &Pubkey, accounts: &DeploymentAccounts, expect: &Expectations) -> Report {
    let mut checks = Checklist(Vec::new());
    check_program(&mut checks, accounts, expect);
    let config_address = pda::config_address(mint);
    let mint_info = check_mint(&mut checks, mint, &config_address, accounts);
    check_hook_account_list(&mut checks, mint, &config_address, accounts);
    check_config(&mut checks, mint, &config_address, mint_info.as_ref(), accounts);
    let ok = checks.0.iter().all(|check| check.ok);
    Report { ok, mint: mint.to_string(), program_id: crate::PROGRAM_ID.to_string(), checks: checks.0 }
}

fn check_program(checks: &mut Checklist, accounts: &DeploymentAccounts, expect: &Expectations) {
    let Some(program) = &accounts.program else {
        checks.add("program_account", Status::Fail, format!("no account at the program id {}", crate::PROGRAM_ID));
        checks.add("program_hash", Status::Fail, "no program to hash");
        checks.add("upgrade_authority", Status::Fail, "no program");
        return;
    };
    // The program's bytes and its upgrade authority, by loader.
    let (elf, authority): (Option<&[u8]>, Option<Option<Pubkey>>) = if program.owner == solana_sdk_ids::bpf_loader_upgradeable::ID {
        match (program_data_address(program), &accounts.program_data) {
            (Some(_), Some(data))
                if data.data.len() >= PROGRAM_DATA_HEADER_LEN
                    && u32::from_le_bytes(data.data[..4].try_into().expect("4 bytes")) == UPGRADEABLE_PROGRAM_DATA_TAG =>
            {
                (Some(&data.data[PROGRAM_DATA_HEADER_LEN..]), program_upgrade_authority(&data.data))
            }
            _ => {
                checks.add("program_account", Status::Fail, "an upgradeable program whose ProgramData account is missing or malformed");
                checks.add("program_hash", Status::Fail, "no program bytes");
                checks.add("upgrade_authority", Status::Fail, "no ProgramData account");
                return;
            }
        }
    } else if program.owner == solana_sdk_ids::bpf_loader::ID || program.owner == solana_sdk_ids::bpf_loader_deprecated::ID {
        // The non-upgradeable loaders: the account holds the ELF and no one can change it.
        (Some(&program.data[..]), Some(None))
    } else {
        (None, None)
    };
    match (elf, program.executable) {
        (Some(_), true) => checks.add("program_account", Status::Pass, format!("an executable program owned by {}", program.owner)),
        (None, true) if program.owner == solana_sdk_ids::native_loader::ID => {
            checks.add("program_account", Status::Info, "a native builtin (a test ledger running the program compiled in, not a deployed .so)")
        }
        _ => checks.add("program_account", Status::Fail, format!("not an executable SBF program (owner {}, executable {})", program.owner, program.executable)),
    }
    match (elf, &expect.program_so) {
        (Some(elf), Some(local)) => {
            let (deployed, built) = (program_hash(elf), program_hash(local));
            if deployed == built {
                checks.add("program_hash", Status::Pass, format!("sha256 {deployed}, the local build's"));
            } else {
                checks.add("program_hash", Status::Fail, format!("sha256 {deployed} deployed, {built} built locally: the bytes differ"));
            }
        }
        (Some(elf), None) => checks.add("program_hash", Status::Skip, format!("sha256 {} deployed; no local build given (--program-so) to compare", program_hash(elf))),
        (None, Some(_)) => checks.add("program_hash", Status::Fail, "the deployed program has no bytes to compare with the local build"),
        (None, None) => checks.add("program_hash", Status::Skip, "no program bytes on this ledger and no local build given"),
    }
    match (authority, expect.upgrade_authority) {
        (None, _) => checks.add("upgrade_authority", Status::Skip, "not an upgradeable or deployed program"),
        (Some(actual), Some(expected)) => {
            let wanted = match expected {
                ExpectedUpgradeAuthority::Immutable => None,
                ExpectedUpgradeAuthority::Key(key) => Some(key),
            };
            let describe = |authority: Option<Pubkey>| authority.map_or("none (immutable)".to_string(), |key| key.to_string());
            if actual == wanted {
                checks.add("upgrade_authority", Status::Pass, format!("{}, as expected", describe(actual)));
            } else {
                checks.add("upgrade_authority", Status::Fail, format!("{}, expected {}", describe(actual), describe(wanted)));
            }
        }
        (Some(None), None) => checks.add("upgrade_authority", Status::Pass, "none: the program is immutable"),
        (Some(Some(key)), None) => checks.add(
            "upgrade_authority",
            Status::Info,
            format!("{key} can replace the program: confirm it is the council's vault (--expect-upgrade-authority {key})"),
        ),
    }
}

/// The mint's checks; returns the decoded mint (decimals and supply for the Config's checks).
fn check_mint(checks: &mut Checklist, mint: &Pubkey, config: &Pubkey, accounts: &DeploymentAccounts) -> Option<accounts::MintInfo> {
    let Some(account) = &accounts.mint else {
        checks.add("mint_account", Status::Fail, format!("no account at {mint}"));
        return None;
    };
    if account.owner != TOKEN_2022_PROGRAM_ID {
        checks.add("mint_account", Status::Fail, format!("owned by {}, not Token-2022", account.owner));
        return None;
    }
    let (Ok(info), Ok(state)) = (accounts::decode_mint(&account.data), StateWithExtensions::<MintState>::unpack(&account.data)) else {
        checks.add("mint_account", Status::Fail, "not a Token-2022 mint");
        return None;
    };
    checks.add("mint_account", Status::Pass, format!("a Token-2022 mint, {} decimals, supply {} {}", info.decimals, format_amount(info.supply, info.decimals), info.symbol));

    let mut expected: Vec<ExtensionType> = usd1::instructions::MINT_EXTENSIONS.to_vec();
    expected.push(ExtensionType::TokenMetadata);
    let found = state.get_extension_types().unwrap_or_default();
    let missing: Vec<String> = expected.iter().filter(|extension| !found.contains(extension)).map(|extension| format!("{extension:?}")).collect();
    let extra: Vec<String> = found.iter().filter(|extension| !expected.contains(extension)).map(|extension| format!("{extension:?}")).collect();
    let names = |list: &[ExtensionType]| list.iter().map(|extension| format!("{extension:?}")).collect::<Vec<_>>().join(", ");
    if missing.is_empty() && extra.is_empty() {
        checks.add("mint_extensions", Status::Pass, names(&found));
    } else {
        let mut problems = Vec::new();
        if !missing.is_empty() {
            problems.push(format!("missing {}", missing.join(", ")));
        }
        if !extra.is_empty() {
            problems.push(format!("not in SPEC 2: {}", extra.join(", ")));
        }
        checks.add("mint_extensions", Status::Fail, format!("{} (found: {})", problems.join("; "), names(&found)));
    }

    checks.expect_key("mint_authority", "the mint authority", Option::from(state.base.mint_authority), config, "Config");
    checks.expect_key("freeze_authority", "the freeze authority", Option::from(state.base.freeze_authority), config, "Config");
    checks.expect_key("pause_authority", "the pause authority", info.pause_authority, config, "Config");
    checks.expect_key("transfer_hook_authority", "the transfer-hook authority", info.transfer_hook_authority, config, "Config");
    checks.expect_key("metadata_pointer_authority", "the metadata-pointer authority", info.metadata_pointer_authority, config, "Config");
    checks.expect_key("metadata_update_authority", "the metadata update authority", info.metadata_update_authority, config, "Config");
    checks.expect_key("permanent_delegate", "the permanent delegate", info.permanent_delegate, config, "Config");
    checks.expect_key("transfer_hook_program", "the transfer hook program", info.transfer_hook_program, &crate::PROGRAM_ID, "USD1 program");
    checks.expect_key("metadata_address", "the metadata pointer", info.metadata_address, mint, "mint itself");
    match info.default_account_frozen {
        Some(false) => checks.add("default_account_state", Status::Pass, "new token accounts start initialized (not frozen)"),
        Some(true) => checks.add("default_account_state", Status::Fail, "new token accounts start frozen"),
        None => checks.add("default_account_state", Status::Fail, "no DefaultAccountState extension"),
    }
    Some(info)
}

/// The transfer hook's ExtraAccountMetaList this program writes at `initialize`, byte for byte.
pub fn expected_extra_account_metas(config: &Pubkey) -> Vec<u8> {
    let registry = pda::denylist_registry_address(config);
    let metas = usd1::instructions::hook_extra_account_metas(config, &registry).expect("fixed-address metas always build");
    let mut data = vec![0u8; usd1::instructions::extra_account_metas_len()];
    spl_tlv_account_resolution::state::ExtraAccountMetaList::init::<spl_transfer_hook_interface::instruction::ExecuteInstruction>(&mut data, &metas)
        .expect("the account is sized for these metas");
    data
}

fn check_hook_account_list(checks: &mut Checklist, mint: &Pubkey, config: &Pubkey, accounts: &DeploymentAccounts) {
    let address = pda::extra_account_metas_address(mint);
    match &accounts.extra_account_metas {
        None => checks.add("hook_account_list", Status::Fail, format!("no ExtraAccountMetaList at {address}: every transfer would fail")),
        Some(account) if account.owner != crate::PROGRAM_ID => {
            checks.add("hook_account_list", Status::Fail, format!("{address} is owned by {}, not the USD1 program", account.owner))
        }
        Some(account) if account.data != expected_extra_account_metas(config) => checks.add(
            "hook_account_list",
            Status::Fail,
            format!("{address} differs from the list the program writes (the Config {config} and its DenylistRegistry)"),
        ),
        Some(_) => checks.add("hook_account_list", Status::Pass, format!("the Config {config} and its DenylistRegistry {}", pda::denylist_registry_address(config))),
    }
}

fn check_config(checks: &mut Checklist, mint: &Pubkey, address: &Pubkey, mint_info: Option<&accounts::MintInfo>, accounts: &DeploymentAccounts) {
    // The Config's amounts in the mint's decimals (6, USD1's, when the mint did not decode).
    let decimals = mint_info.map_or(6, |info| info.decimals);
    let config: Config = match &accounts.config {
        None => {
            checks.add("config", Status::Fail, format!("no USD1 Config at {address}: this mint is not a USD1 deployment"));
            return;
        }
        Some(account) if account.owner != crate::PROGRAM_ID => {
            checks.add("config", Status::Fail, format!("{address} is owned by {}, not the USD1 program", account.owner));
            return;
        }
        Some(account) => match accounts::decode_config(&account.data) {
            Ok(config) if config.mint == *mint => config,
            Ok(config) => {
                checks.add("config", Status::Fail, format!("the Config at {address} names the mint {}", config.mint));
                return;
            }
            Err(error) => {
                checks.add("config", Status::Fail, error.to_string());
                return;
            }
        },
    };
    checks.add("config", Status::Pass, format!("the USD1 Config {address}, event seq {}", config.event_seq));

    // The program's own accounts the hook and redemptions need.
    let registry = pda::denylist_registry_address(address);
    let listed = accounts
        .denylist_registry
        .as_ref()
        .filter(|account| account.owner == crate::PROGRAM_ID)
        .and_then(|account| accounts::decode_denylist_registry(&account.data).ok())
        .map(|decoded| decoded.wallets.len());
    match listed {
        Some(listed) => checks.add("denylist_registry", Status::Pass, format!("{registry}, {listed} wallet(s) listed")),
        None => checks.add("denylist_registry", Status::Fail, format!("no USD1 DenylistRegistry at {registry}")),
    }
    let escrow = pda::escrow_address(address);
    let escrow_state = accounts
        .escrow
        .as_ref()
        .filter(|account| account.owner == TOKEN_2022_PROGRAM_ID)
        .and_then(|account| StateWithExtensions::<TokenAccountState>::unpack(&account.data).ok().map(|state| state.base));
    match escrow_state {
        Some(state) if state.owner == *address && state.mint == *mint && state.state == AccountState::Initialized => {
            checks.add("escrow", Status::Pass, format!("{escrow}, owned by the Config, holding {} tokens", format_amount(state.amount, decimals)))
        }
        Some(state) if state.state == AccountState::Frozen => checks.add("escrow", Status::Fail, format!("{escrow} is frozen")),
        _ => checks.add("escrow", Status::Fail, format!("no Escrow token account of this mint owned by the Config at {escrow}")),
    }

    // Roles: each on its own key, none vacated, none on the council (the onboarder may share the
    // denylister's key, its default at initialize).
    let roles = crate::accounts::role_holders(&config);
    let mut problems = Vec::new();
    for (index, (name, key)) in roles.iter().enumerate() {
        if *key == Pubkey::default() {
            problems.push(format!("{name} is vacant"));
            continue;
        }
        if config.council.contains(key) {
            problems.push(format!("{name} {key} is also a council member"));
        }
        for (other, other_key) in &roles[..index] {
            let allowed = (*name, *other) == ("onboarder", "denylister");
            if other_key == key && !allowed {
                problems.push(format!("{name} and {other} share the key {key}"));
            }
        }
    }
    let listing = roles.iter().map(|(name, key)| format!("{name} {key}")).collect::<Vec<_>>().join("; ");
    if let Some(pending) = config.pending_admin {
        problems.push(format!("an admin handover to {pending} is pending"));
    }
    if problems.is_empty() {
        checks.add("roles", Status::Pass, listing);
    } else {
        checks.add("roles", Status::Fail, format!("{} ({listing})", problems.join("; ")));
    }

    let members = config.council.len();
    let threshold = usize::from(config.council_threshold);
    let mut distinct = config.council.clone();
    distinct.sort();
    distinct.dedup();
    let council = format!("{threshold} of {members}: {}", key_list(&config.council));
    if threshold < 2 {
        checks.add("council", Status::Fail, format!("{council}: one key alone can act for the council"));
    } else if threshold > members || distinct.len() != members {
        checks.add("council", Status::Fail, format!("{council}: the threshold cannot be met by distinct members"));
    } else if threshold == members {
        checks.add("council", Status::Fail, format!("{council}: every member must approve, so one lost key stalls the council"));
    } else {
        checks.add("council", Status::Pass, council);
    }
    checks.add(
        "timelock",
        Status::Info,
        format!("approved proposals wait {}; proposals expire after {}", duration(config.timelock_secs), duration(config.proposal_ttl_secs)),
    );
    let cap = config.supply_cap.map_or("no supply cap".to_string(), |cap| format!("supply cap {} tokens", format_amount(cap, decimals)));
    let gate = if config.reserve_gate {
        format!("reserve gate on (attestations older than {} refused)", duration(config.attestation_max_age_secs))
    } else {
        "reserve gate off".to_string()
    };
    let onboarding = if config.onboarding_required { "onboarding required" } else { "onboarding not required" };
    checks.add("limits", Status::Info, format!("{cap}; {gate}; {onboarding}; {} active minter(s)", config.active_minters));
    let paused: Vec<&str> = [("mint", config.mint_paused), ("redeem", config.redeem_paused), ("transfers", config.transfers_paused)]
        .iter()
        .filter(|(_, paused)| *paused)
        .map(|(scope, _)| *scope)
        .collect();
    if paused.is_empty() {
        checks.add("pause_flags", Status::Pass, "nothing paused");
    } else {
        checks.add("pause_flags", Status::Fail, format!("paused: {}", paused.join(", ")));
    }
    // Supply against the Config's counters, as `check_supply` judges it: at most minted - burned
    // (holders may burn their own tokens outside the program; nothing may appear from outside it).
    if let Some(info) = mint_info {
        let tokens = |base_units: u64| format_amount(base_units, decimals);
        let counted = format!("minted {} - burned {} tokens", tokens(config.total_minted), tokens(config.total_burned));
        match config.total_minted.checked_sub(config.total_burned) {
            Some(net) if info.supply <= net => {
                let outside = net - info.supply;
                let note = if outside > 0 { format!("; {} burned by holders outside the program", tokens(outside)) } else { String::new() };
                checks.add("supply", Status::Pass, format!("supply {} tokens, {counted}{note}", tokens(info.supply)))
            }
            _ => checks.add("supply", Status::Fail, format!("supply {} tokens exceeds {counted}", tokens(info.supply))),
        }
    }
}
