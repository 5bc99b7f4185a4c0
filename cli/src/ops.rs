//! The SPEC section 8 operations, shared by CLI subcommands and drill steps.
//!
//! [`OpSpec`] is what a person writes: names (a drill identity, a base58 key or a
//! keypair file) and decimal amounts. It is both the clap subcommand set and the
//! serde schema of a drill step's `args`, so the two cannot drift apart.
//! [`OpSpec::resolve`] turns names into keys and amounts into base units;
//! [`plan`] turns the resolved [`Op`] into instructions.
use crate::chain::Chain;
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use serde::Deserialize;
use solana_instruction::Instruction;
use solana_pubkey::Pubkey;
use usd1_client::{
    amount::parse_amount,
    instructions::{self, ExecuteAccounts, SeizureAccounts},
    pda, reference_hash, token,
    transfer::{self, TransferEnd},
    InitializeParams, PauseScope, ProposalKind, RateLimit, Role, SeizureDestination, SupplyCapUpdate,
    UpdateConfigParams, UpdateMetadataParams,
};

/// Turns a name into a key. Drills create (and fund) an identity per name; the CLI
/// reads a base58 key or a keypair file.
pub trait Resolver {
    fn key(&mut self, name: &str) -> anyhow::Result<Pubkey>;

    /// The key of a new account to be created under `name` (it signs its creation).
    /// Drills make an unfunded keypair; the CLI reads a keypair file like any name.
    fn new_account(&mut self, name: &str) -> anyhow::Result<Pubkey> {
        self.key(name)
    }
}

/// The name `transfer --to` takes for the Escrow (an outside deposit).
pub const ESCROW_NAME: &str = "escrow";

#[derive(Subcommand, Deserialize, Debug, Clone, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum OpSpec {
    /// Create the mint, Config, Escrow and hook list; the signer becomes admin.
    Initialize(InitializeArgs),
    /// Admin: name a pending admin.
    TransferAdmin(TransferAdminArgs),
    /// Pending admin: take over.
    AcceptAdmin(NoArgs),
    /// Admin: give a single-key role to a key.
    SetRole(SetRoleArgs),
    /// Admin: tighten supply cap, timelock, proposal ttl, reserve gate, attestation max age (loosening: `propose update-config`).
    UpdateConfig(UpdateConfigArgs),
    /// Admin: change name, symbol or uri.
    UpdateMetadata(UpdateMetadataArgs),
    /// Pauser: pause a scope (mint, redeem, transfers, all).
    Pause(ScopeArgs),
    /// Pauser: unpause a scope.
    Unpause(ScopeArgs),
    /// Master minter: add a minter or change its rate limit.
    ConfigureMinter(ConfigureMinterArgs),
    /// Master minter: remove a minter.
    RemoveMinter(MinterArgs),
    /// Master minter: lower a minter's allowance (saturating at 0).
    DecreaseAllowance(DecreaseAllowanceArgs),
    /// Council member: propose an allowance or a council change.
    #[command(subcommand)]
    Propose(ProposeArgs),
    /// Council member: approve a proposal.
    Approve(ProposalArgs),
    /// Council member: vote against a proposal.
    Reject(ProposalArgs),
    /// Anyone: execute an approved proposal after its timelock.
    Execute(ProposalArgs),
    /// Proposer: withdraw a proposal (anyone once stale, expired or rejected).
    Cancel(ProposalArgs),
    /// Minter: mint against a deposit reference.
    Mint(MintArgs),
    /// Burner: burn from its own balance.
    Burn(AmountArgs),
    /// Burner: move the Escrow's tokens beyond the open requests to a holder's associated account.
    SweepEscrow(SweepEscrowArgs),
    /// Holder: move tokens to the Escrow for redemption.
    RequestRedemption(RequestRedemptionArgs),
    /// Burner: burn a pending redemption after paying out.
    CompleteRedemption(CompleteRedemptionArgs),
    /// Burner: return a pending redemption to its holder.
    RejectRedemption(RejectRedemptionArgs),
    /// Denylister: denylist a wallet and freeze every token account it holds.
    DenylistAdd(DenylistAddArgs),
    /// Denylister: lift a wallet's denylisting and thaw its token accounts.
    DenylistRemove(WalletArgs),
    /// Denylister: freeze a token account (an owner's associated one, or any by `--account`).
    Freeze(FreezeArgs),
    /// Denylister: thaw a token account (an owner's associated one, or any by `--account`).
    Thaw(FreezeArgs),
    /// Attester: publish reserves (as of the ledger clock unless given).
    AttestReserves(AttestReservesArgs),
    /// Anyone: compare supply with minted - burned (emits SupplyChecked).
    CheckSupply(NoArgs),
    /// Onboarder: onboard a wallet (mints may reach it while onboarding is required).
    Onboard(OnboardArgs),
    /// Onboarder: offboard a wallet.
    Offboard(WalletArgs),
    /// Holder: a Token-2022 transfer through the hook.
    Transfer(TransferArgs),
    /// Holder: create a non-associated token account of the mint (Token-2022, no program).
    TokenAccount(TokenAccountArgs),
    /// Owner: hand a token account to another owner (Token-2022 SetAuthority; no hook runs).
    SetAccountOwner(SetAccountOwnerArgs),
    /// Owner: approve a delegate on a token account (Token-2022 ApproveChecked).
    ApproveDelegate(ApproveDelegateArgs),
    /// Holder: burn directly through Token-2022, bypassing the program (an unattributed burn).
    TokenBurn(TokenBurnArgs),
}

#[derive(Args, Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct InitializeArgs {
    /// Council members (names or keys).
    #[arg(long, value_delimiter = ',', required = true)]
    pub council: Vec<String>,
    #[arg(long)]
    pub threshold: u8,
    #[arg(long)]
    pub master_minter: String,
    #[arg(long)]
    pub pauser: String,
    #[arg(long)]
    pub denylister: String,
    #[arg(long)]
    pub burner: String,
    #[arg(long)]
    pub attester: String,
    /// v3: the onboarder role key (default: the denylister's key).
    #[arg(long)]
    #[serde(default)]
    pub onboarder: Option<String>,
    /// v3: mints reach only onboarded wallets from the start (default off; `update-config` turns it on later).
    #[arg(long, default_value_t = false)]
    #[serde(default)]
    pub onboarding_required: bool,
    #[arg(long, default_value = "USD1")]
    #[serde(default = "default_name")]
    pub name: String,
    #[arg(long, default_value = "USD1")]
    #[serde(default = "default_name")]
    pub symbol: String,
    #[arg(long, default_value = "")]
    #[serde(default)]
    pub uri: String,
    #[arg(long, default_value_t = 6)]
    #[serde(default = "default_decimals")]
    pub decimals: u8,
    /// Token amount, or none.
    #[arg(long)]
    #[serde(default)]
    pub supply_cap: Option<String>,
    #[arg(long, default_value_t = 0)]
    #[serde(default)]
    pub timelock_secs: u64,
    #[arg(long, default_value_t = 604_800)]
    #[serde(default = "default_ttl")]
    pub proposal_ttl_secs: u64,
    #[arg(long, default_value_t = false)]
    #[serde(default)]
    pub reserve_gate: bool,
    #[arg(long, default_value_t = 86_400)]
    #[serde(default = "default_attestation_age")]
    pub attestation_max_age_secs: u64,
}

fn default_name() -> String {
    "USD1".into()
}
fn default_decimals() -> u8 {
    6
}
fn default_ttl() -> u64 {
    604_800
}
fn default_attestation_age() -> u64 {
    86_400
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct TransferAdminArgs {
    #[arg(long)]
    pub new_admin: String,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct SetRoleArgs {
    /// master_minter, pauser, denylister, burner, attester or onboarder (`admin` only in a council proposal).
    #[arg(long)]
    pub role: String,
    #[arg(long)]
    pub key: String,
}

#[derive(Args, Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateConfigArgs {
    /// Token amount, or `none` to remove the cap.
    #[arg(long)]
    #[serde(default)]
    pub supply_cap: Option<String>,
    #[arg(long)]
    #[serde(default)]
    pub timelock_secs: Option<u64>,
    #[arg(long)]
    #[serde(default)]
    pub proposal_ttl_secs: Option<u64>,
    #[arg(long)]
    #[serde(default)]
    pub reserve_gate: Option<bool>,
    #[arg(long)]
    #[serde(default)]
    pub attestation_max_age_secs: Option<u64>,
    /// v3: on (the admin may) or off (the council only).
    #[arg(long)]
    #[serde(default)]
    pub onboarding_required: Option<bool>,
}

#[derive(Args, Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateMetadataArgs {
    #[arg(long)]
    #[serde(default)]
    pub name: Option<String>,
    #[arg(long)]
    #[serde(default)]
    pub symbol: Option<String>,
    #[arg(long)]
    #[serde(default)]
    pub uri: Option<String>,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ScopeArgs {
    /// mint, redeem, transfers or all.
    #[arg(long)]
    pub scope: String,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RateLimitArgs {
    /// Tokens the bucket holds at most.
    #[arg(long = "rate-limit-capacity", required = false)]
    pub capacity: String,
    /// Tokens added per second.
    #[arg(long = "rate-limit-refill-per-sec", required = false)]
    pub refill_per_sec: String,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ConfigureMinterArgs {
    #[arg(long)]
    pub minter: String,
    #[command(flatten)]
    #[serde(default)]
    pub rate_limit: Option<RateLimitArgs>,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct MinterArgs {
    #[arg(long)]
    pub minter: String,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct DecreaseAllowanceArgs {
    #[arg(long)]
    pub minter: String,
    #[arg(long)]
    pub amount: String,
}

#[derive(Subcommand, Deserialize, Debug, Clone)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ProposeArgs {
    /// Set a minter's remaining allowance.
    SetAllowance {
        #[arg(long)]
        minter: String,
        #[arg(long)]
        amount: String,
    },
    /// Replace the council.
    SetCouncil {
        #[arg(long, value_delimiter = ',', required = true)]
        members: Vec<String>,
        #[arg(long)]
        threshold: u8,
    },
    /// Set or remove a minter's rate limit (loosening needs the council).
    SetRateLimit {
        #[arg(long)]
        minter: String,
        /// Omit both flags to remove the limit.
        #[command(flatten)]
        #[serde(default)]
        rate_limit: Option<RateLimitArgs>,
    },
    /// Change limits and timings, loosening included.
    UpdateConfig(UpdateConfigArgs),
    /// Lawful order: seize a denylisted owner's tokens to a holder's associated account, or burn them.
    Seize {
        /// The denylisted owner.
        #[arg(long)]
        owner: String,
        #[arg(long)]
        amount: String,
        /// Whose associated token account receives, or `burn`.
        #[arg(long)]
        to: String,
        /// The order's reference (court order id); only its sha256 goes on chain.
        #[arg(long)]
        order: String,
    },
    /// Council recovery: give any single-key role, or the admin, to a key.
    SetRole {
        /// master_minter, pauser, denylister, burner, attester, onboarder or admin.
        #[arg(long)]
        role: String,
        #[arg(long)]
        key: String,
    },
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ProposalArgs {
    /// The proposal id.
    #[arg(long)]
    pub proposal: u64,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct MintArgs {
    #[arg(long)]
    pub to: String,
    #[arg(long)]
    pub amount: String,
    /// The deposit reference (bank wire id); only its sha256 goes on chain.
    #[arg(long)]
    pub reference: String,
    /// Seconds from now (the chain's clock; the local clock offline) after which the signed
    /// mint is refused (`MintExpired`); default 3600. Negative rehearses an expired mint.
    #[arg(long = "valid-for", allow_negative_numbers = true)]
    #[serde(default, rename = "valid_for_secs")]
    pub valid_for: Option<i64>,
    /// An absolute unix time instead (the same on every machine of an offline signing).
    #[arg(long, conflicts_with = "valid_for")]
    #[serde(default)]
    pub valid_until: Option<i64>,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct AmountArgs {
    #[arg(long)]
    pub amount: String,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RequestRedemptionArgs {
    #[arg(long)]
    pub amount: String,
    /// The redemption ticket id.
    #[arg(long)]
    pub reference: String,
    /// A named token account of the holder instead of its associated one.
    #[arg(long)]
    #[serde(default)]
    pub account: Option<String>,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct CompleteRedemptionArgs {
    /// The holder who requested it.
    #[arg(long)]
    pub holder: String,
    #[arg(long)]
    pub reference: String,
    #[arg(long)]
    pub payout_reference: String,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RejectRedemptionArgs {
    /// The holder who requested it.
    #[arg(long)]
    pub holder: String,
    #[arg(long)]
    pub reference: String,
    #[arg(long)]
    pub reason: String,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct DenylistAddArgs {
    #[arg(long)]
    pub wallet: String,
    #[arg(long)]
    pub reason: String,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct WalletArgs {
    #[arg(long)]
    pub wallet: String,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct FreezeArgs {
    /// The owner: alone, its associated token account; with `account`, that account's owner
    /// (otherwise read from the chain).
    #[arg(long, required_unless_present = "account")]
    #[serde(default)]
    pub owner: Option<String>,
    /// Any token account of the mint (a key, or a drill's named account).
    #[arg(long)]
    #[serde(default)]
    pub account: Option<String>,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct SweepEscrowArgs {
    /// Whose associated token account receives the excess.
    #[arg(long)]
    pub to: String,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct TokenAccountArgs {
    #[arg(long)]
    pub owner: String,
    /// The new account: a drill name, or on the CLI a keypair file (`usd1 keygen`).
    #[arg(long)]
    pub name: String,
    /// Without ImmutableOwner: its owner can change, so USD1 never reaches it (for rehearsals).
    #[arg(long, default_value_t = false)]
    #[serde(default)]
    pub mutable_owner: bool,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct SetAccountOwnerArgs {
    /// The token account (a key or a drill's named account); its current owner signs.
    #[arg(long)]
    pub account: String,
    #[arg(long)]
    pub new_owner: String,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ApproveDelegateArgs {
    /// The owner (signs).
    #[arg(long)]
    pub owner: String,
    #[arg(long)]
    pub delegate: String,
    #[arg(long)]
    pub amount: String,
    /// A named token account instead of the owner's associated one.
    #[arg(long)]
    #[serde(default)]
    pub account: Option<String>,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct TokenBurnArgs {
    /// The holder (signs).
    #[arg(long)]
    pub holder: String,
    #[arg(long)]
    pub amount: String,
    /// A named token account instead of the holder's associated one.
    #[arg(long)]
    #[serde(default)]
    pub account: Option<String>,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct AttestReservesArgs {
    #[arg(long)]
    pub amount: String,
    /// The attestation report (its sha256 goes on chain).
    #[arg(long)]
    #[serde(default)]
    pub report: Option<String>,
    /// Unix seconds; default: the ledger clock.
    #[arg(long)]
    #[serde(default)]
    pub as_of: Option<i64>,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct TransferArgs {
    /// The sending holder (the source account's owner); default: the signer.
    #[arg(long)]
    #[serde(default)]
    pub from: Option<String>,
    /// The receiving holder, or `escrow` (an outside deposit into the Escrow).
    #[arg(long)]
    pub to: String,
    #[arg(long)]
    pub amount: String,
    /// A delegate that signs instead of the owner.
    #[arg(long)]
    #[serde(default)]
    pub authority: Option<String>,
    /// A named source token account instead of `from`'s associated one.
    #[arg(long)]
    #[serde(default)]
    pub from_account: Option<String>,
    /// A named destination token account instead of `to`'s associated one.
    #[arg(long)]
    #[serde(default)]
    pub to_account: Option<String>,
}

#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct OnboardArgs {
    #[arg(long)]
    pub wallet: String,
    /// The onboarding case reference (KYC file id); only its sha256 goes on chain.
    #[arg(long)]
    pub reference: String,
}

/// An operation with keys and base units.
#[derive(Debug, Clone)]
pub enum Op {
    Initialize(Box<InitializeParams>),
    TransferAdmin { new_admin: Pubkey },
    AcceptAdmin,
    SetRole { role: Role, key: Pubkey },
    UpdateConfig(UpdateConfigParams),
    UpdateMetadata(UpdateMetadataParams),
    Pause(PauseScope),
    Unpause(PauseScope),
    ConfigureMinter { minter: Pubkey, rate_limit: Option<RateLimit> },
    RemoveMinter { minter: Pubkey },
    DecreaseAllowance { minter: Pubkey, amount: u64 },
    Propose(ProposalKind),
    Approve { id: u64 },
    Reject { id: u64 },
    Execute { id: u64 },
    Cancel { id: u64 },
    Mint { to: Pubkey, amount: u64, reference: String, validity: Validity },
    Burn { amount: u64 },
    SweepEscrow { to: Pubkey },
    RequestRedemption { amount: u64, reference: String, account: Option<Pubkey> },
    CompleteRedemption { holder: Pubkey, reference: String, payout_reference: String },
    RejectRedemption { holder: Pubkey, reference: String, reason: String },
    DenylistAdd { wallet: Pubkey, reason: String },
    DenylistRemove { wallet: Pubkey },
    Freeze(FreezeTarget),
    Thaw(FreezeTarget),
    AttestReserves { amount: u64, report: String, as_of: Option<i64> },
    CheckSupply,
    Onboard { wallet: Pubkey, reference: String },
    Offboard { wallet: Pubkey },
    Transfer {
        from: Option<Pubkey>,
        /// `None`: the Escrow.
        to: Option<Pubkey>,
        amount: u64,
        authority: Option<Pubkey>,
        from_account: Option<Pubkey>,
        to_account: Option<Pubkey>,
    },
    TokenAccount { owner: Pubkey, account: Pubkey, mutable_owner: bool },
    SetAccountOwner { account: Pubkey, new_owner: Pubkey },
    ApproveDelegate { owner: Pubkey, delegate: Pubkey, amount: u64, account: AccountChoice },
    TokenBurn { holder: Pubkey, amount: u64, account: AccountChoice },
}

/// Until when a signed mint may execute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// Seconds from the clock at planning time.
    For(i64),
    /// An absolute unix time.
    Until(i64),
}

/// The default validity of a mint (SPEC 8: `valid_for_secs` 3600).
pub const DEFAULT_MINT_VALID_FOR_SECS: i64 = 3_600;

/// The token account `freeze`/`thaw` act on, and its owner when known without the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FreezeTarget {
    pub account: AccountChoice,
    pub owner: Option<Pubkey>,
}

/// A token account named directly, or an owner's associated one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChoice {
    Associated(Pubkey),
    Named(Pubkey),
}

impl AccountChoice {
    fn new(owner: Pubkey, account: Option<Pubkey>) -> AccountChoice {
        account.map(AccountChoice::Named).unwrap_or(AccountChoice::Associated(owner))
    }

    pub fn address(&self, mint: &Pubkey) -> Pubkey {
        match self {
            AccountChoice::Associated(owner) => pda::associated_token_address(owner, mint),
            AccountChoice::Named(account) => *account,
        }
    }
}

pub fn parse_scope(scope: &str) -> anyhow::Result<PauseScope> {
    Ok(match scope {
        "mint" => PauseScope::Mint,
        "redeem" => PauseScope::Redeem,
        "transfers" => PauseScope::Transfers,
        "all" => PauseScope::All,
        other => bail!("unknown scope `{other}`: expected mint, redeem, transfers or all"),
    })
}

pub fn parse_role(role: &str) -> anyhow::Result<Role> {
    Ok(match role {
        "master_minter" => Role::MasterMinter,
        "pauser" => Role::Pauser,
        "denylister" => Role::Denylister,
        "burner" => Role::Burner,
        "attester" => Role::Attester,
        "onboarder" => Role::Onboarder,
        "admin" => Role::Admin,
        other => bail!("unknown role `{other}`: expected master_minter, pauser, denylister, burner, attester, onboarder or admin"),
    })
}

fn amount(field: &str, text: &str, decimals: u8) -> anyhow::Result<u64> {
    parse_amount(text, decimals).map_err(|error| anyhow!("`{field}`: {error}"))
}

fn supply_cap_update(text: Option<&String>, decimals: u8) -> anyhow::Result<SupplyCapUpdate> {
    match text.map(String::as_str) {
        None => Ok(SupplyCapUpdate::Unchanged),
        Some("none") => Ok(SupplyCapUpdate::Remove),
        Some(text) => Ok(SupplyCapUpdate::Set { cap: amount("supply_cap", text, decimals)? }),
    }
}

fn config_change(args: &UpdateConfigArgs, decimals: u8) -> anyhow::Result<UpdateConfigParams> {
    Ok(UpdateConfigParams {
        supply_cap: supply_cap_update(args.supply_cap.as_ref(), decimals)?,
        timelock_secs: args.timelock_secs,
        proposal_ttl_secs: args.proposal_ttl_secs,
        reserve_gate: args.reserve_gate,
        attestation_max_age_secs: args.attestation_max_age_secs,
        onboarding_required: args.onboarding_required,
    })
}

fn rate_limit(args: Option<&RateLimitArgs>, decimals: u8) -> anyhow::Result<Option<RateLimit>> {
    args.map(|limit| {
        Ok(RateLimit {
            capacity: amount("rate_limit.capacity", &limit.capacity, decimals)?,
            refill_per_sec: amount("rate_limit.refill_per_sec", &limit.refill_per_sec, decimals)?,
        })
    })
    .transpose()
}

impl OpSpec {
    /// The SPEC name of the op (`request_redemption`), the same name serde reads from a drill.
    pub fn name(&self) -> &'static str {
        self.into()
    }

    /// Checks that need no chain: scope and role names, amount syntax (at the
    /// largest decimals a mint may have). Drills run this on every step before any runs.
    pub fn check_syntax(&self) -> anyhow::Result<()> {
        let mut names = |_: &str| Ok(Pubkey::default());
        self.resolve_with(&mut names, usd1::constants::MAX_DECIMALS).map(|_| ())
    }

    /// Resolve names and amounts (`decimals` of the mint; `initialize` uses its own).
    pub fn resolve(&self, resolver: &mut dyn Resolver, decimals: u8) -> anyhow::Result<Op> {
        if let OpSpec::TokenAccount(args) = self {
            let (owner, account) = (resolver.key(&args.owner)?, resolver.new_account(&args.name)?);
            return Ok(Op::TokenAccount { owner, account, mutable_owner: args.mutable_owner });
        }
        let mut names = |name: &str| resolver.key(name);
        self.resolve_with(&mut names, decimals)
    }

    fn resolve_with(&self, key: &mut dyn FnMut(&str) -> anyhow::Result<Pubkey>, decimals: u8) -> anyhow::Result<Op> {
        Ok(match self {
            OpSpec::Initialize(args) => {
                let decimals = args.decimals;
                let council = args.council.iter().map(|name| key(name)).collect::<anyhow::Result<Vec<_>>>()?;
                Op::Initialize(Box::new(InitializeParams {
                    decimals,
                    name: args.name.clone(),
                    symbol: args.symbol.clone(),
                    uri: args.uri.clone(),
                    council,
                    threshold: args.threshold,
                    master_minter: key(&args.master_minter)?,
                    pauser: key(&args.pauser)?,
                    denylister: key(&args.denylister)?,
                    burner: key(&args.burner)?,
                    attester: key(&args.attester)?,
                    supply_cap: match supply_cap_update(args.supply_cap.as_ref(), decimals)? {
                        SupplyCapUpdate::Set { cap } => Some(cap),
                        SupplyCapUpdate::Unchanged | SupplyCapUpdate::Remove => None,
                    },
                    timelock_secs: args.timelock_secs,
                    proposal_ttl_secs: args.proposal_ttl_secs,
                    reserve_gate: args.reserve_gate,
                    attestation_max_age_secs: args.attestation_max_age_secs,
                    onboarder: args.onboarder.as_deref().map(|name| key(name)).transpose()?,
                    onboarding_required: args.onboarding_required,
                }))
            }
            OpSpec::TransferAdmin(args) => Op::TransferAdmin { new_admin: key(&args.new_admin)? },
            OpSpec::AcceptAdmin(_) => Op::AcceptAdmin,
            OpSpec::SetRole(args) => Op::SetRole { role: parse_role(&args.role)?, key: key(&args.key)? },
            OpSpec::UpdateConfig(args) => Op::UpdateConfig(config_change(args, decimals)?),
            OpSpec::UpdateMetadata(args) => Op::UpdateMetadata(UpdateMetadataParams {
                name: args.name.clone(),
                symbol: args.symbol.clone(),
                uri: args.uri.clone(),
            }),
            OpSpec::Pause(args) => Op::Pause(parse_scope(&args.scope)?),
            OpSpec::Unpause(args) => Op::Unpause(parse_scope(&args.scope)?),
            OpSpec::ConfigureMinter(args) => {
                Op::ConfigureMinter { minter: key(&args.minter)?, rate_limit: rate_limit(args.rate_limit.as_ref(), decimals)? }
            }
            OpSpec::RemoveMinter(args) => Op::RemoveMinter { minter: key(&args.minter)? },
            OpSpec::DecreaseAllowance(args) => {
                Op::DecreaseAllowance { minter: key(&args.minter)?, amount: amount("amount", &args.amount, decimals)? }
            }
            OpSpec::Propose(ProposeArgs::SetAllowance { minter, amount: text }) => {
                Op::Propose(ProposalKind::SetAllowance { minter: key(minter)?, amount: amount("amount", text, decimals)? })
            }
            OpSpec::Propose(ProposeArgs::SetCouncil { members, threshold }) => Op::Propose(ProposalKind::SetCouncil {
                members: members.iter().map(|name| key(name)).collect::<anyhow::Result<Vec<_>>>()?,
                threshold: *threshold,
            }),
            OpSpec::Propose(ProposeArgs::SetRateLimit { minter, rate_limit: limit }) => Op::Propose(ProposalKind::SetRateLimit {
                minter: key(minter)?,
                rate_limit: rate_limit(limit.as_ref(), decimals)?,
            }),
            OpSpec::Propose(ProposeArgs::UpdateConfig(args)) => {
                Op::Propose(ProposalKind::UpdateConfig { change: config_change(args, decimals)? })
            }
            OpSpec::Propose(ProposeArgs::Seize { owner, amount: text, to, order }) => {
                // The mint is not known here; `plan` turns the receiving holder into its associated account.
                let destination = match to.as_str() {
                    "burn" => SeizureDestination::Burn,
                    name => SeizureDestination::TokenAccount { address: key(name)? },
                };
                Op::Propose(ProposalKind::Seize {
                    owner: key(owner)?,
                    amount: amount("amount", text, decimals)?,
                    destination,
                    order_hash: reference_hash(order),
                })
            }
            OpSpec::Propose(ProposeArgs::SetRole { role, key: holder }) => {
                Op::Propose(ProposalKind::SetRole { role: parse_role(role)?, key: key(holder)? })
            }
            OpSpec::Approve(args) => Op::Approve { id: args.proposal },
            OpSpec::Reject(args) => Op::Reject { id: args.proposal },
            OpSpec::Execute(args) => Op::Execute { id: args.proposal },
            OpSpec::Cancel(args) => Op::Cancel { id: args.proposal },
            OpSpec::Mint(args) => Op::Mint {
                to: key(&args.to)?,
                amount: amount("amount", &args.amount, decimals)?,
                reference: args.reference.clone(),
                validity: match (args.valid_for, args.valid_until) {
                    (_, Some(until)) => Validity::Until(until),
                    (secs, None) => Validity::For(secs.unwrap_or(DEFAULT_MINT_VALID_FOR_SECS)),
                },
            },
            OpSpec::Burn(args) => Op::Burn { amount: amount("amount", &args.amount, decimals)? },
            OpSpec::SweepEscrow(args) => Op::SweepEscrow { to: key(&args.to)? },
            OpSpec::RequestRedemption(args) => Op::RequestRedemption {
                amount: amount("amount", &args.amount, decimals)?,
                reference: args.reference.clone(),
                account: args.account.as_deref().map(|name| key(name)).transpose()?,
            },
            OpSpec::CompleteRedemption(args) => Op::CompleteRedemption {
                holder: key(&args.holder)?,
                reference: args.reference.clone(),
                payout_reference: args.payout_reference.clone(),
            },
            OpSpec::RejectRedemption(args) => Op::RejectRedemption {
                holder: key(&args.holder)?,
                reference: args.reference.clone(),
                reason: args.reason.clone(),
            },
            OpSpec::DenylistAdd(args) => Op::DenylistAdd { wallet: key(&args.wallet)?, reason: args.reason.clone() },
            OpSpec::DenylistRemove(args) => Op::DenylistRemove { wallet: key(&args.wallet)? },
            OpSpec::Freeze(args) => Op::Freeze(freeze_target(args, key)?),
            OpSpec::Thaw(args) => Op::Thaw(freeze_target(args, key)?),
            OpSpec::AttestReserves(args) => Op::AttestReserves {
                amount: amount("amount", &args.amount, decimals)?,
                report: args.report.clone().unwrap_or_default(),
                as_of: args.as_of,
            },
            OpSpec::CheckSupply(_) => Op::CheckSupply,
            OpSpec::Onboard(args) => Op::Onboard { wallet: key(&args.wallet)?, reference: args.reference.clone() },
            OpSpec::Offboard(args) => Op::Offboard { wallet: key(&args.wallet)? },
            OpSpec::Transfer(args) => Op::Transfer {
                from: args.from.as_deref().map(|name| key(name)).transpose()?,
                to: if args.to == ESCROW_NAME { None } else { Some(key(&args.to)?) },
                amount: amount("amount", &args.amount, decimals)?,
                authority: args.authority.as_deref().map(|name| key(name)).transpose()?,
                from_account: args.from_account.as_deref().map(|name| key(name)).transpose()?,
                to_account: args.to_account.as_deref().map(|name| key(name)).transpose()?,
            },
            // `resolve` creates the new account's key; this is the syntax check's path.
            OpSpec::TokenAccount(args) => {
                Op::TokenAccount { owner: key(&args.owner)?, account: key(&args.name)?, mutable_owner: args.mutable_owner }
            }
            OpSpec::SetAccountOwner(args) => {
                Op::SetAccountOwner { account: key(&args.account)?, new_owner: key(&args.new_owner)? }
            }
            OpSpec::ApproveDelegate(args) => {
                let owner = key(&args.owner)?;
                Op::ApproveDelegate {
                    owner,
                    delegate: key(&args.delegate)?,
                    amount: amount("amount", &args.amount, decimals)?,
                    account: AccountChoice::new(owner, args.account.as_deref().map(|name| key(name)).transpose()?),
                }
            }
            OpSpec::TokenBurn(args) => {
                let holder = key(&args.holder)?;
                Op::TokenBurn {
                    holder,
                    amount: amount("amount", &args.amount, decimals)?,
                    account: AccountChoice::new(holder, args.account.as_deref().map(|name| key(name)).transpose()?),
                }
            }
        })
    }
}

fn freeze_target(args: &FreezeArgs, key: &mut dyn FnMut(&str) -> anyhow::Result<Pubkey>) -> anyhow::Result<FreezeTarget> {
    let owner = args.owner.as_deref().map(|name| key(name)).transpose()?;
    match (owner, &args.account) {
        (Some(owner), None) => Ok(FreezeTarget { account: AccountChoice::Associated(owner), owner: Some(owner) }),
        (owner, Some(account)) => Ok(FreezeTarget { account: AccountChoice::Named(key(account)?), owner }),
        (None, None) => bail!("give `owner` (its associated account) or `account`"),
    }
}

/// Who acts: the signer of the op and the fee payer (who also pays rent where the
/// program lets a separate payer do so).
pub struct Actors {
    pub signer: Pubkey,
    pub payer: Pubkey,
}

/// The instructions for `op` on `mint`. Reads the chain where an op needs state
/// (next proposal id, a proposal's proposer, a redemption's holder); `chain` is
/// `None` when preparing offline, and then only ops that need no reads work.
pub async fn plan(op: &Op, actors: &Actors, mint: &Pubkey, decimals: u8, chain: Option<&mut Chain>) -> anyhow::Result<Vec<Instruction>> {
    let signer = &actors.signer;
    let offline = || anyhow!("this op reads the chain; it cannot be prepared offline");
    Ok(match op {
        Op::Initialize(params) => vec![instructions::initialize(signer, mint, params.as_ref().clone())],
        Op::TransferAdmin { new_admin } => vec![instructions::transfer_admin(signer, mint, new_admin)],
        Op::AcceptAdmin => vec![instructions::accept_admin(signer, mint)],
        Op::SetRole { role, key } => vec![instructions::set_role(signer, mint, *role, key)],
        Op::UpdateConfig(params) => vec![instructions::update_config(signer, mint, params.clone())],
        Op::UpdateMetadata(params) => vec![instructions::update_metadata(signer, mint, params.clone())],
        Op::Pause(scope) => vec![instructions::pause(signer, mint, *scope)],
        Op::Unpause(scope) => vec![instructions::unpause(signer, mint, *scope)],
        Op::ConfigureMinter { minter, rate_limit } => vec![instructions::configure_minter(signer, mint, minter, *rate_limit)],
        Op::RemoveMinter { minter } => vec![instructions::remove_minter(signer, mint, minter)],
        Op::DecreaseAllowance { minter, amount } => vec![instructions::decrease_allowance(signer, mint, minter, *amount)],
        Op::Propose(kind) => {
            let chain = chain.ok_or_else(offline)?;
            let next_id = chain.config(mint).await?.next_proposal_id;
            let mut planned = Vec::new();
            let kind = match kind {
                // A seizure names the receiving holder; the proposal carries its associated
                // account, created now (idempotent) so that execution finds it.
                ProposalKind::Seize { owner, amount, destination: SeizureDestination::TokenAccount { address: holder }, order_hash } => {
                    planned.push(transfer::create_associated_token_account(&actors.payer, holder, mint));
                    ProposalKind::Seize {
                        owner: *owner,
                        amount: *amount,
                        destination: SeizureDestination::TokenAccount { address: pda::associated_token_address(holder, mint) },
                        order_hash: *order_hash,
                    }
                }
                other => other.clone(),
            };
            planned.push(instructions::propose(signer, mint, next_id, kind));
            planned
        }
        Op::Approve { id } => vec![instructions::approve(signer, mint, *id)],
        Op::Reject { id } => vec![instructions::reject(signer, mint, *id)],
        Op::Execute { id } | Op::Cancel { id } => {
            // A proposal that is not open (never created, executed or cancelled) still gets
            // an instruction, so that the program's own refusal is what the operator sees.
            let chain = chain.ok_or_else(offline)?;
            let proposal = chain.proposal(mint, *id).await?;
            let proposer = proposal.as_ref().map(|proposal| proposal.proposer).unwrap_or(*signer);
            match op {
                Op::Execute { .. } => {
                    let mut extra = proposal.as_ref().map(|proposal| ExecuteAccounts::for_kind(&proposal.kind)).unwrap_or_default();
                    if let Some(ProposalKind::Seize { owner, destination, .. }) = proposal.as_ref().map(|proposal| &proposal.kind) {
                        extra.seizure = Some(seizure_accounts(chain, mint, owner, destination).await?);
                    }
                    vec![instructions::execute_with_accounts(signer, mint, *id, &proposer, &extra)]
                }
                _ => {
                    let seizure_owner = match proposal.as_ref().map(|proposal| &proposal.kind) {
                        Some(ProposalKind::Seize { owner, .. }) => Some(*owner),
                        _ => None,
                    };
                    vec![instructions::cancel_proposal(signer, mint, *id, &proposer, seizure_owner.as_ref())]
                }
            }
        }
        Op::Mint { to, amount, reference, validity } => {
            let valid_until = match validity {
                Validity::Until(until) => *until,
                // The chain's clock when online (a drill's warps included); the local clock offline.
                Validity::For(secs) => {
                    let now = match chain {
                        Some(chain) => chain.unix_timestamp().await?,
                        None => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64,
                    };
                    now.saturating_add(*secs)
                }
            };
            // The account creation is idempotent: the same message whether or not the account
            // exists, so it can be prepared offline.
            instructions::mint_instructions(&actors.payer, signer, mint, to, *amount, reference_hash(reference), valid_until)
        }
        Op::Burn { amount } => vec![instructions::burn(signer, mint, *amount)],
        Op::SweepEscrow { to } => instructions::sweep_escrow_instructions(&actors.payer, signer, mint, to),
        Op::RequestRedemption { amount, reference, account } => {
            let source = AccountChoice::new(*signer, *account).address(mint);
            vec![instructions::request_redemption_from(signer, mint, &source, *amount, reference_hash(reference))]
        }
        Op::CompleteRedemption { holder, reference, payout_reference } => vec![instructions::complete_redemption(
            signer,
            mint,
            holder,
            reference_hash(reference),
            reference_hash(payout_reference),
        )],
        // v3: the tokens always go back to the holder's associated account, created first if missing.
        Op::RejectRedemption { holder, reference, reason } => instructions::reject_redemption_instructions(
            &actors.payer,
            signer,
            mint,
            holder,
            reference_hash(reference),
            reference_hash(reason),
        ),
        Op::DenylistAdd { wallet, reason } => {
            // Every token account of the wallet, not only the associated one. Offline, none can
            // be listed: the entry alone already blocks transfers; freeze the accounts after.
            let accounts = match chain {
                Some(chain) => wallet_accounts(chain, wallet, mint).await?,
                None => vec![],
            };
            vec![instructions::denylist_add(signer, mint, wallet, reference_hash(reason), &accounts)]
        }
        Op::DenylistRemove { wallet } => {
            let accounts = match chain {
                Some(chain) => wallet_accounts(chain, wallet, mint).await?,
                None => vec![],
            };
            vec![instructions::denylist_remove(signer, mint, wallet, &accounts)]
        }
        Op::Freeze(target) | Op::Thaw(target) => {
            let address = target.account.address(mint);
            let owner = match target.owner {
                Some(owner) => owner,
                // A missing account still gets an instruction, so the program's refusal is what the operator sees.
                None => chain.ok_or_else(offline)?.token_account(&address).await?.map(|account| account.owner).unwrap_or_default(),
            };
            match op {
                Op::Freeze(_) => vec![instructions::freeze(signer, mint, &address, &owner)],
                _ => vec![instructions::thaw(signer, mint, &address, &owner)],
            }
        }
        Op::AttestReserves { amount, report, as_of } => {
            let as_of = match as_of {
                Some(as_of) => *as_of,
                None => chain.ok_or_else(offline)?.unix_timestamp().await?,
            };
            vec![instructions::attest_reserves(signer, mint, *amount, reference_hash(report), as_of)]
        }
        Op::CheckSupply => vec![instructions::check_supply(mint)],
        Op::Onboard { wallet, reference } => vec![instructions::onboard(signer, mint, wallet, reference_hash(reference))],
        Op::Offboard { wallet } => vec![instructions::offboard(signer, mint, wallet)],
        Op::Transfer { from, to, amount, authority, from_account, to_account } => {
            let from = from.unwrap_or(*signer);
            let source = TransferEnd { account: AccountChoice::new(from, *from_account).address(mint), owner: from };
            let mut planned = Vec::new();
            let destination = match (to, to_account) {
                (None, _) => {
                    let config = pda::config_address(mint);
                    TransferEnd { account: pda::escrow_address(&config), owner: config }
                }
                (Some(to), Some(account)) => TransferEnd { account: *account, owner: *to },
                (Some(to), None) => {
                    planned.push(transfer::create_associated_token_account(&actors.payer, to, mint));
                    TransferEnd { account: pda::associated_token_address(to, mint), owner: *to }
                }
            };
            let authority = authority.unwrap_or(from);
            planned.push(transfer::transfer_checked_between(mint, source, destination, &authority, *amount, decimals));
            planned
        }
        Op::TokenAccount { owner, account, mutable_owner } => {
            let lamports = chain.ok_or_else(offline)?.rent_exempt_minimum(token::token_account_len_with(!mutable_owner)).await?;
            if *mutable_owner {
                token::create_token_account_with_mutable_owner(&actors.payer, account, owner, mint, lamports)
            } else {
                token::create_token_account(&actors.payer, account, owner, mint, lamports)
            }
        }
        Op::SetAccountOwner { account, new_owner } => vec![token::set_account_owner(account, signer, new_owner)],
        Op::ApproveDelegate { owner, delegate, amount, account } => {
            vec![token::approve_delegate(&account.address(mint), mint, owner, delegate, *amount, decimals)]
        }
        Op::TokenBurn { holder, amount, account } => {
            vec![token::burn_direct(&account.address(mint), mint, holder, *amount, decimals)]
        }
    })
}

/// The wallet's token accounts of the mint, as many as one instruction takes: funded ones
/// first (associated first among them), then the empty ones. Anyone can open token accounts
/// for any owner, so a wallet may hold more than one instruction takes: `denylist_add` then
/// records the entry with these and [`follow_up`] freezes the rest.
pub async fn wallet_accounts(chain: &mut Chain, wallet: &Pubkey, mint: &Pubkey) -> anyhow::Result<Vec<Pubkey>> {
    Ok(usd1_client::accounts::listing_accounts(wallet, mint, chain.token_accounts(wallet, mint).await?))
}

/// Token accounts one follow-up `freeze` / `thaw` transaction takes.
pub const FREEZES_PER_TRANSACTION: usize = 6;

/// What an op leaves for further transactions once it has landed, read from the chain as it is
/// then (so a re-run after a failure does only what is left): after `denylist_add`, `freeze` for
/// each of the wallet's token accounts not yet frozen; after `denylist_remove`, `thaw` for each
/// still frozen. Each inner list is one transaction.
pub async fn follow_up(op: &Op, actors: &Actors, mint: &Pubkey, chain: &mut Chain) -> anyhow::Result<Vec<Vec<Instruction>>> {
    let (wallet, freezing) = match op {
        Op::DenylistAdd { wallet, .. } => (wallet, true),
        Op::DenylistRemove { wallet } => (wallet, false),
        _ => return Ok(vec![]),
    };
    let left: Vec<Pubkey> = chain
        .token_accounts(wallet, mint)
        .await?
        .into_iter()
        .filter(|(_, info)| info.frozen != freezing)
        .map(|(key, _)| key)
        .collect();
    Ok(left
        .chunks(FREEZES_PER_TRANSACTION)
        .map(|chunk| {
            chunk
                .iter()
                .map(|account| {
                    if freezing {
                        instructions::freeze(&actors.signer, mint, account, wallet)
                    } else {
                        instructions::thaw(&actors.signer, mint, account, wallet)
                    }
                })
                .collect()
        })
        .collect())
}

/// What executing a seizure touches: the owner's funded token accounts (associated first) and
/// the destination with its current owner.
async fn seizure_accounts(chain: &mut Chain, mint: &Pubkey, owner: &Pubkey, destination: &SeizureDestination) -> anyhow::Result<SeizureAccounts> {
    let sources = usd1_client::accounts::seizure_source_accounts(owner, mint, chain.token_accounts(owner, mint).await?);
    let destination = match destination {
        SeizureDestination::Burn => None,
        SeizureDestination::TokenAccount { address } => {
            // A missing account still gets an instruction, so the program's refusal is what the operator sees.
            let owner = chain.token_account(address).await?.map(|account| account.owner).unwrap_or_default();
            Some((*address, owner))
        }
    };
    Ok(SeizureAccounts { owner: *owner, source_accounts: sources, destination })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_drill_format_names() {
        for (name, args) in [
            ("request_redemption", serde_json::json!({"amount": "1", "reference": "t"})),
            ("check_supply", serde_json::json!({})),
            ("denylist_add", serde_json::json!({"wallet": "w", "reason": "r"})),
            ("propose", serde_json::json!({"set_council": {"members": ["a"], "threshold": 1}})),
        ] {
            let spec: OpSpec = serde_json::from_value(serde_json::json!({ name: args })).unwrap();
            assert_eq!(spec.name(), name);
        }
    }
}
