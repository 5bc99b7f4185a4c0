//! One builder per program instruction. Each takes the signer(s) and the mint
//! and derives every other account.
//!
//! ```
//! # use solana_pubkey::Pubkey;
//! use usd1_client::{instructions, PauseScope};
//! let (pauser, mint) = (Pubkey::new_unique(), Pubkey::new_unique());
//! let instruction = instructions::pause(&pauser, &mint, PauseScope::All);
//! assert_eq!(instruction.program_id, usd1_client::PROGRAM_ID);
//! assert!(instruction.accounts.iter().any(|meta| meta.pubkey == pauser && meta.is_signer));
//! ```
use crate::pda;
use anchor_lang::{InstructionData, ToAccountMetas};
use solana_instruction::{AccountMeta, Instruction};
use solana_pubkey::Pubkey;
use usd1::{accounts, instruction as data, instructions::*, state::*, ID};

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

fn token_program() -> Pubkey {
    spl_token_2022_interface::ID
}

fn system_program() -> Pubkey {
    solana_system_interface::program::ID
}

/// `initialize`: `admin` pays and becomes admin; `mint` must sign (a fresh keypair).
pub fn initialize(admin: &Pubkey, mint: &Pubkey, params: InitializeParams) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::Initialize {
            admin: *admin,
            config,
            mint: *mint,
            escrow: pda::escrow_address(&config),
            denylist_registry: pda::denylist_registry_address(&config),
            extra_account_meta_list: pda::extra_account_metas_address(mint),
            token_program: token_program(),
            system_program: system_program(),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::Initialize { params },
    )
}

/// `transfer_admin`: the admin names `new_admin` as pending admin.
pub fn transfer_admin(admin: &Pubkey, mint: &Pubkey, new_admin: &Pubkey) -> Instruction {
    build(
        accounts::TransferAdmin {
            mint: *mint,
            admin: *admin,
            config: pda::config_address(mint),
            new_admin_minter_account: pda::minter_address(&pda::config_address(mint), new_admin),
            new_admin_denylist_entry: pda::denylist_address(&pda::config_address(mint), new_admin),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::TransferAdmin { params: TransferAdminParams { new_admin: *new_admin } },
    )
}

/// `accept_admin`: the pending admin takes over.
pub fn accept_admin(new_admin: &Pubkey, mint: &Pubkey) -> Instruction {
    build(
        accounts::AcceptAdmin {
            mint: *mint,
            new_admin: *new_admin,
            config: pda::config_address(mint),
            new_admin_minter_account: pda::minter_address(&pda::config_address(mint), new_admin),
            new_admin_denylist_entry: pda::denylist_address(&pda::config_address(mint), new_admin),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::AcceptAdmin {},
    )
}

/// `set_role`: the admin gives `role` to `key`.
pub fn set_role(admin: &Pubkey, mint: &Pubkey, role: Role, key: &Pubkey) -> Instruction {
    build(
        accounts::SetRole {
            mint: *mint,
            admin: *admin,
            config: pda::config_address(mint),
            key_denylist_entry: pda::denylist_address(&pda::config_address(mint), key),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::SetRole { params: SetRoleParams { role, key: *key } },
    )
}

/// `update_config`: the admin changes limits and timings.
pub fn update_config(admin: &Pubkey, mint: &Pubkey, params: UpdateConfigParams) -> Instruction {
    build(
        accounts::UpdateConfig {
            mint: *mint,
            admin: *admin,
            config: pda::config_address(mint),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::UpdateConfig { params },
    )
}

/// `update_metadata`: the admin changes name, symbol or uri (and pays any extra rent).
pub fn update_metadata(admin: &Pubkey, mint: &Pubkey, params: UpdateMetadataParams) -> Instruction {
    build(
        accounts::UpdateMetadata {
            admin: *admin,
            config: pda::config_address(mint),
            mint: *mint,
            token_program: token_program(),
            system_program: system_program(),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::UpdateMetadata { params },
    )
}

fn set_pause_accounts(pauser: &Pubkey, mint: &Pubkey) -> accounts::SetPause {
    accounts::SetPause {
        pauser: *pauser,
        config: pda::config_address(mint),
        mint: *mint,
        token_program: token_program(),
        event_authority: pda::event_authority_address(),
        program: ID,
    }
}

/// `pause{scope}`: the pauser stops a scope.
pub fn pause(pauser: &Pubkey, mint: &Pubkey, scope: PauseScope) -> Instruction {
    build(set_pause_accounts(pauser, mint), data::Pause { params: PauseParams { scope } })
}

/// `unpause{scope}`: the pauser resumes a scope.
pub fn unpause(pauser: &Pubkey, mint: &Pubkey, scope: PauseScope) -> Instruction {
    build(set_pause_accounts(pauser, mint), data::Unpause { params: PauseParams { scope } })
}

/// `check_supply`: anyone records supply against the program's counters and the Escrow's excess.
pub fn check_supply(mint: &Pubkey) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::CheckSupply {
            config,
            mint: *mint,
            escrow: pda::escrow_address(&config),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::CheckSupply {},
    )
}

/// The transfer-hook `execute` entry, as Token-2022 calls it. Wallets never send
/// this themselves (the program refuses it outside a transfer); it exists for
/// tests and for tools that inspect the hook.
///
/// Built by hand, in the order and form the IDL gives: the program serves this entry outside
/// Anchor's dispatch (its fallback), so there is no generated accounts struct for it.
pub fn transfer_hook_execute(mint: &Pubkey, source: &Pubkey, destination: &Pubkey, authority: &Pubkey, amount: u64) -> Instruction {
    let config = pda::config_address(mint);
    let accounts = [*source, *mint, *destination, *authority, pda::extra_account_metas_address(mint), config, pda::denylist_registry_address(&config)];
    let mut data = usd1::constants::TRANSFER_HOOK_EXECUTE_DISCRIMINATOR.to_vec();
    data.extend_from_slice(&amount.to_le_bytes());
    Instruction { program_id: ID, accounts: accounts.iter().map(|key| AccountMeta::new_readonly(*key, false)).collect(), data }
}

/// `configure_minter`: the master minter adds `minter` (or changes its rate limit).
pub fn configure_minter(master_minter: &Pubkey, mint: &Pubkey, minter: &Pubkey, rate_limit: Option<RateLimit>) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::ConfigureMinter {
            mint: *mint,
            master_minter: *master_minter,
            config,
            minter_account: pda::minter_address(&config, minter),
            minter_denylist_entry: pda::denylist_address(&config, minter),
            system_program: system_program(),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::ConfigureMinter { params: ConfigureMinterParams { minter: *minter, rate_limit } },
    )
}

/// `remove_minter`: the master minter deactivates `minter`.
pub fn remove_minter(master_minter: &Pubkey, mint: &Pubkey, minter: &Pubkey) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::RemoveMinter {
            mint: *mint,
            master_minter: *master_minter,
            config,
            minter_account: pda::minter_address(&config, minter),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::RemoveMinter { params: RemoveMinterParams { minter: *minter } },
    )
}

/// `decrease_allowance`: the master minter lowers `minter`'s allowance by `amount` (saturating).
pub fn decrease_allowance(master_minter: &Pubkey, mint: &Pubkey, minter: &Pubkey, amount: u64) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::DecreaseAllowance {
            mint: *mint,
            master_minter: *master_minter,
            config,
            minter_account: pda::minter_address(&config, minter),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::DecreaseAllowance { params: DecreaseAllowanceParams { minter: *minter, amount } },
    )
}

/// `propose`: a council member opens proposal number `next_proposal_id` (read it from Config).
pub fn propose(proposer: &Pubkey, mint: &Pubkey, next_proposal_id: u64, kind: ProposalKind) -> Instruction {
    let config = pda::config_address(mint);
    let minter_account = match &kind {
        ProposalKind::SetAllowance { minter, .. } | ProposalKind::SetRateLimit { minter, .. } => {
            Some(pda::minter_address(&config, minter))
        }
        ProposalKind::SetCouncil { .. }
        | ProposalKind::UpdateConfig { .. }
        | ProposalKind::Seize { .. }
        | ProposalKind::SetRole { .. } => None,
    };
    let owner_denylist_entry = match &kind {
        ProposalKind::Seize { owner, .. } => Some(pda::denylist_address(&config, owner)),
        _ => None,
    };
    // The DenylistEntry PDAs of the keys a council or role change names, checked at propose.
    let named_keys: Vec<Pubkey> = match &kind {
        ProposalKind::SetCouncil { members, .. } => members.clone(),
        ProposalKind::SetRole { key, .. } => vec![*key],
        _ => vec![],
    };
    let mut instruction = build(
        accounts::Propose {
            mint: *mint,
            proposer: *proposer,
            config,
            proposal: pda::proposal_address(&config, next_proposal_id),
            proposer_denylist_entry: pda::denylist_address(&config, proposer),
            minter_account,
            owner_denylist_entry,
            system_program: system_program(),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::Propose { params: ProposeParams { kind } },
    );
    instruction
        .accounts
        .extend(named_keys.iter().map(|key| AccountMeta::new_readonly(pda::denylist_address(&config, key), false)));
    instruction
}

/// `approve`: a council member approves proposal `id`.
pub fn approve(approver: &Pubkey, mint: &Pubkey, id: u64) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::Approve {
            mint: *mint,
            approver: *approver,
            config,
            proposal: pda::proposal_address(&config, id),
            approver_denylist_entry: pda::denylist_address(&config, approver),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::Approve { params: ProposalIdParams { proposal: id } },
    )
}

/// `reject`: a council member votes against proposal `id`.
pub fn reject(voter: &Pubkey, mint: &Pubkey, id: u64) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::Reject {
            mint: *mint,
            voter: *voter,
            config,
            proposal: pda::proposal_address(&config, id),
            voter_denylist_entry: pda::denylist_address(&config, voter),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::Reject { params: ProposalIdParams { proposal: id } },
    )
}

/// What `execute` needs beyond the proposal, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecuteAccounts {
    /// `set_allowance` and `set_rate_limit`: the minter changed.
    pub allowance_minter: Option<Pubkey>,
    /// `set_role` of the admin: the new admin (its Minter PDA is passed: an active minter may not become admin).
    pub admin_candidate: Option<Pubkey>,
    /// `set_council`: the new members (their DenylistEntry PDAs are passed, writable, in order:
    /// a listing made after the proposal is lifted at execution).
    pub council_members: Vec<Pubkey>,
    /// `seize`: the owner's token accounts to debit, in order, and for a seizure to a
    /// token account, that account's owner.
    pub seizure: Option<SeizureAccounts>,
}

/// The accounts a seizure touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeizureAccounts {
    pub owner: Pubkey,
    /// Every token account of the mint the owner holds (the client lists them all).
    pub source_accounts: Vec<Pubkey>,
    /// The destination token account and its owner; `None` for a burn.
    pub destination: Option<(Pubkey, Pubkey)>,
}

impl ExecuteAccounts {
    /// What a proposal of `kind` needs, except a seizure's accounts (which are read from the
    /// chain: see [`SeizureAccounts`]).
    pub fn for_kind(kind: &ProposalKind) -> ExecuteAccounts {
        match kind {
            ProposalKind::SetAllowance { minter, .. } | ProposalKind::SetRateLimit { minter, .. } => {
                ExecuteAccounts { allowance_minter: Some(*minter), ..Default::default() }
            }
            ProposalKind::SetRole { role: Role::Admin, key } => ExecuteAccounts { admin_candidate: Some(*key), ..Default::default() },
            ProposalKind::SetCouncil { members, .. } => ExecuteAccounts { council_members: members.clone(), ..Default::default() },
            ProposalKind::UpdateConfig { .. }
            | ProposalKind::Seize { .. }
            | ProposalKind::SetRole { .. } => ExecuteAccounts::default(),
        }
    }
}

/// `execute`: anyone executes proposal `id`. `proposer` gets the rent back;
/// `allowance_minter` is the minter of a `set_allowance` or `set_rate_limit` proposal (None
/// for `update_config`; a council change or a seizure needs [`execute_with_accounts`]).
pub fn execute(executor: &Pubkey, mint: &Pubkey, id: u64, proposer: &Pubkey, allowance_minter: Option<&Pubkey>) -> Instruction {
    let extra = ExecuteAccounts { allowance_minter: allowance_minter.copied(), ..Default::default() };
    execute_with_accounts(executor, mint, id, proposer, &extra)
}

/// `execute` with every account any proposal kind needs (a seizure's sources and destination).
pub fn execute_with_accounts(executor: &Pubkey, mint: &Pubkey, id: u64, proposer: &Pubkey, extra: &ExecuteAccounts) -> Instruction {
    let config = pda::config_address(mint);
    let seizure = extra.seizure.as_ref();
    let destination = seizure.and_then(|seizure| seizure.destination);
    let mut instruction = build(
        accounts::Execute {
            executor: *executor,
            config,
            proposal: pda::proposal_address(&config, id),
            proposer: *proposer,
            minter_account: extra.allowance_minter.map(|minter| pda::minter_address(&config, &minter)),
            mint: *mint,
            owner_denylist_entry: seizure.map(|seizure| pda::denylist_address(&config, &seizure.owner)),
            destination_token: destination.map(|(account, _)| account),
            destination_denylist_entry: destination.map(|(_, owner)| pda::denylist_address(&config, &owner)),
            token_program: seizure.map(|_| token_program()),
            denylist_registry: pda::denylist_registry_address(&config),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::Execute { params: ProposalIdParams { proposal: id } },
    );
    if let Some(seizure) = seizure {
        instruction.accounts.extend(writable(&seizure.source_accounts));
    }
    instruction.accounts.extend(
        extra.admin_candidate.iter().map(|candidate| AccountMeta::new_readonly(pda::minter_address(&config, candidate), false)),
    );
    instruction.accounts.extend(extra.council_members.iter().map(|member| AccountMeta::new(pda::denylist_address(&config, member), false)));
    instruction
}

fn writable(accounts: &[Pubkey]) -> impl Iterator<Item = AccountMeta> + '_ {
    accounts.iter().map(|account| AccountMeta::new(*account, false))
}

/// `cancel`: a council member (anyone, once stale or expired) closes proposal `id`, which is
/// not a seizure (for a seizure, [`cancel_proposal`] passes the owner's DenylistEntry).
pub fn cancel(canceller: &Pubkey, mint: &Pubkey, id: u64, proposer: &Pubkey) -> Instruction {
    cancel_proposal(canceller, mint, id, proposer, None)
}

/// `cancel` of proposal `id` of any kind: `seizure_owner` is the owner a `seize` proposal names
/// (its DenylistEntry's count of open seizures drops), `None` for every other kind.
pub fn cancel_proposal(canceller: &Pubkey, mint: &Pubkey, id: u64, proposer: &Pubkey, seizure_owner: Option<&Pubkey>) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::Cancel {
            mint: *mint,
            canceller: *canceller,
            config,
            proposal: pda::proposal_address(&config, id),
            proposer: *proposer,
            canceller_denylist_entry: pda::denylist_address(&config, canceller),
            owner_denylist_entry: seizure_owner.map(|owner| pda::denylist_address(&config, owner)),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::Cancel { params: ProposalIdParams { proposal: id } },
    )
}

/// `mint`: `minter` mints `amount` base units to `recipient`'s associated token account
/// against `reference_hash` (see [`crate::reference_hash`]), refused after unix time
/// `valid_until`. `payer` pays the receipt.
pub fn mint(
    minter: &Pubkey,
    payer: &Pubkey,
    mint: &Pubkey,
    recipient: &Pubkey,
    amount: u64,
    reference_hash: [u8; 32],
    valid_until: i64,
) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::MintTokens {
            minter: *minter,
            payer: *payer,
            config,
            minter_account: pda::minter_address(&config, minter),
            mint: *mint,
            recipient: *recipient,
            recipient_token: pda::associated_token_address(recipient, mint),
            minter_denylist_entry: pda::denylist_address(&config, minter),
            recipient_denylist_entry: pda::denylist_address(&config, recipient),
            recipient_onboarded: pda::onboarded_address(&config, recipient),
            receipt: pda::receipt_address(&config, &reference_hash),
            token_program: token_program(),
            system_program: system_program(),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::Mint { params: MintParams { amount, reference_hash, valid_until } },
    )
}

/// `mint` as one transaction's instructions: the recipient's associated token account created if
/// missing (idempotent, paid by `payer`), then the mint. Every account derives from keys the
/// caller knows, so a first mint to a new holder can be prepared and signed offline.
pub fn mint_instructions(
    payer: &Pubkey,
    minter: &Pubkey,
    mint: &Pubkey,
    recipient: &Pubkey,
    amount: u64,
    reference_hash: [u8; 32],
    valid_until: i64,
) -> Vec<Instruction> {
    vec![
        crate::transfer::create_associated_token_account(payer, recipient, mint),
        self::mint(minter, payer, mint, recipient, amount, reference_hash, valid_until),
    ]
}

/// `sweep_escrow` to `to`'s associated token account, created first if missing (idempotent, paid by `payer`).
pub fn sweep_escrow_instructions(payer: &Pubkey, burner: &Pubkey, mint: &Pubkey, to: &Pubkey) -> Vec<Instruction> {
    vec![
        crate::transfer::create_associated_token_account(payer, to, mint),
        sweep_escrow(burner, mint, &pda::associated_token_address(to, mint), to),
    ]
}

/// `attest_reserves`: the attester publishes `amount` base units of reserves as of `as_of`.
pub fn attest_reserves(attester: &Pubkey, mint: &Pubkey, amount: u64, report_hash: [u8; 32], as_of: i64) -> Instruction {
    build(
        accounts::AttestReserves {
            attester: *attester,
            config: pda::config_address(mint),
            mint: *mint,
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::AttestReserves { params: AttestReservesParams { amount, report_hash, as_of } },
    )
}

/// A compute-budget instruction capping the transaction at `units` compute units
/// (operators add it so a mint's fee and limits are predictable).
pub fn compute_unit_limit(units: u32) -> Instruction {
    solana_compute_budget_interface::ComputeBudgetInstruction::set_compute_unit_limit(units)
}

/// `request_redemption`: `holder` moves `amount` from its associated token account to the Escrow.
pub fn request_redemption(holder: &Pubkey, mint: &Pubkey, amount: u64, reference_hash: [u8; 32]) -> Instruction {
    request_redemption_from(holder, mint, &pda::associated_token_address(holder, mint), amount, reference_hash)
}

/// `request_redemption` from a named token account `holder_token` the holder owns.
pub fn request_redemption_from(holder: &Pubkey, mint: &Pubkey, holder_token: &Pubkey, amount: u64, reference_hash: [u8; 32]) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::RequestRedemption {
            holder: *holder,
            config,
            mint: *mint,
            holder_token: *holder_token,
            escrow: pda::escrow_address(&config),
            holder_denylist_entry: pda::denylist_address(&config, holder),
            request: pda::redemption_address(&config, holder, &reference_hash),
            token_program: token_program(),
            system_program: system_program(),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::RequestRedemption { params: RequestRedemptionParams { amount, reference_hash } },
    )
}

/// `complete_redemption`: the burner burns the escrowed tokens of `holder`'s request `reference_hash`.
pub fn complete_redemption(
    burner: &Pubkey,
    mint: &Pubkey,
    holder: &Pubkey,
    reference_hash: [u8; 32],
    payout_reference_hash: [u8; 32],
) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::CompleteRedemption {
            burner: *burner,
            config,
            mint: *mint,
            escrow: pda::escrow_address(&config),
            request: pda::redemption_address(&config, holder, &reference_hash),
            token_program: token_program(),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::CompleteRedemption { params: CompleteRedemptionParams { holder: *holder, reference_hash, payout_reference_hash } },
    )
}

/// `reject_redemption`: the burner returns `holder`'s escrowed tokens to `holder`'s associated
/// token account, which must exist: [`reject_redemption_instructions`] creates it first.
pub fn reject_redemption(
    burner: &Pubkey,
    mint: &Pubkey,
    holder: &Pubkey,
    reference_hash: [u8; 32],
    reason_hash: [u8; 32],
) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::RejectRedemption {
            burner: *burner,
            config,
            mint: *mint,
            escrow: pda::escrow_address(&config),
            request: pda::redemption_address(&config, holder, &reference_hash),
            holder_associated_token: pda::associated_token_address(holder, mint),
            holder_denylist_entry: pda::denylist_address(&config, holder),
            token_program: token_program(),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::RejectRedemption { params: RejectRedemptionParams { holder: *holder, reference_hash, reason_hash } },
    )
}

/// `reject_redemption` as one transaction's instructions: the holder's associated token account
/// created if missing (idempotent, paid by `payer`), then the rejection. Nothing the holder does
/// to that account (closing it) or to the request's source blocks it.
pub fn reject_redemption_instructions(
    payer: &Pubkey,
    burner: &Pubkey,
    mint: &Pubkey,
    holder: &Pubkey,
    reference_hash: [u8; 32],
    reason_hash: [u8; 32],
) -> Vec<Instruction> {
    vec![
        crate::transfer::create_associated_token_account(payer, holder, mint),
        reject_redemption(burner, mint, holder, reference_hash, reason_hash),
    ]
}

/// `onboard` (v3): the onboarder onboards `wallet` against `reference_hash` (sha256 of the KYC case reference).
pub fn onboard(onboarder: &Pubkey, mint: &Pubkey, wallet: &Pubkey, reference_hash: [u8; 32]) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::Onboard {
            onboarder: *onboarder,
            mint: *mint,
            config,
            onboarded: pda::onboarded_address(&config, wallet),
            wallet_denylist_entry: pda::denylist_address(&config, wallet),
            system_program: system_program(),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::Onboard { params: OnboardParams { wallet: *wallet, reference_hash } },
    )
}

/// `offboard` (v3): the onboarder offboards `wallet` (its Onboarded account is closed, rent to the onboarder).
pub fn offboard(onboarder: &Pubkey, mint: &Pubkey, wallet: &Pubkey) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::Offboard {
            onboarder: *onboarder,
            mint: *mint,
            config,
            onboarded: pda::onboarded_address(&config, wallet),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::Offboard { params: OffboardParams { wallet: *wallet } },
    )
}

/// `burn`: the burner burns `amount` from its associated token account.
pub fn burn(burner: &Pubkey, mint: &Pubkey, amount: u64) -> Instruction {
    burn_from(burner, mint, &pda::associated_token_address(burner, mint), amount)
}

/// `burn` from a named token account the burner owns.
pub fn burn_from(burner: &Pubkey, mint: &Pubkey, burner_token: &Pubkey, amount: u64) -> Instruction {
    build(
        accounts::BurnTokens {
            burner: *burner,
            config: pda::config_address(mint),
            mint: *mint,
            burner_token: *burner_token,
            token_program: token_program(),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::Burn { params: BurnParams { amount } },
    )
}

/// `denylist_add`: the denylister blocks `wallet` and freezes `token_accounts`, which
/// should be every token account of the mint the wallet owns (list them from the chain).
pub fn denylist_add(
    denylister: &Pubkey,
    mint: &Pubkey,
    wallet: &Pubkey,
    reason_hash: [u8; 32],
    token_accounts: &[Pubkey],
) -> Instruction {
    let config = pda::config_address(mint);
    let mut instruction = build(
        accounts::DenylistAdd {
            denylister: *denylister,
            config,
            denylist_entry: pda::denylist_address(&config, wallet),
            denylist_registry: pda::denylist_registry_address(&config),
            mint: *mint,
            token_program: token_program(),
            system_program: system_program(),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::DenylistAdd { params: DenylistAddParams { wallet: *wallet, reason_hash } },
    );
    instruction.accounts.extend(writable(token_accounts));
    instruction
}

/// `denylist_remove`: the denylister unblocks `wallet` and thaws those of
/// `token_accounts` (the wallet's token accounts of the mint) that are frozen.
pub fn denylist_remove(denylister: &Pubkey, mint: &Pubkey, wallet: &Pubkey, token_accounts: &[Pubkey]) -> Instruction {
    let config = pda::config_address(mint);
    let mut instruction = build(
        accounts::DenylistRemove {
            denylister: *denylister,
            config,
            denylist_entry: pda::denylist_address(&config, wallet),
            denylist_registry: pda::denylist_registry_address(&config),
            mint: *mint,
            token_program: token_program(),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::DenylistRemove { params: DenylistRemoveParams { wallet: *wallet } },
    );
    instruction.accounts.extend(writable(token_accounts));
    instruction
}

/// `sweep_escrow`: the burner moves the Escrow's excess to `to` (a token account owned by `to_owner`).
pub fn sweep_escrow(burner: &Pubkey, mint: &Pubkey, to: &Pubkey, to_owner: &Pubkey) -> Instruction {
    let config = pda::config_address(mint);
    build(
        accounts::SweepEscrow {
            burner: *burner,
            config,
            mint: *mint,
            escrow: pda::escrow_address(&config),
            to_owner: *to_owner,
            to: *to,
            to_denylist_entry: pda::denylist_address(&config, to_owner),
            token_program: token_program(),
            event_authority: pda::event_authority_address(),
            program: ID,
        },
        data::SweepEscrow {},
    )
}

fn set_frozen_accounts(denylister: &Pubkey, mint: &Pubkey, token_account: &Pubkey, owner: &Pubkey) -> accounts::SetFrozen {
    let config = pda::config_address(mint);
    accounts::SetFrozen {
        denylister: *denylister,
        config,
        mint: *mint,
        owner: *owner,
        token_account: *token_account,
        owner_denylist_entry: pda::denylist_address(&config, owner),
        token_program: token_program(),
        event_authority: pda::event_authority_address(),
        program: ID,
    }
}

/// `freeze`: the denylister freezes `token_account`, owned by `owner`.
pub fn freeze(denylister: &Pubkey, mint: &Pubkey, token_account: &Pubkey, owner: &Pubkey) -> Instruction {
    build(set_frozen_accounts(denylister, mint, token_account, owner), data::Freeze {})
}

/// `thaw`: the denylister thaws `token_account`, owned by `owner` (refused while `owner` is denylisted).
pub fn thaw(denylister: &Pubkey, mint: &Pubkey, token_account: &Pubkey, owner: &Pubkey) -> Instruction {
    build(set_frozen_accounts(denylister, mint, token_account, owner), data::Thaw {})
}

/// The upgradeable loader's `SetAuthority` for the USD1 program (not an instruction of the
/// program itself): `current_authority` signs and hands the upgrade authority to
/// `new_authority` (the council's Squads vault, which cannot sign here), or with `None` makes
/// the program immutable for good. Runbook step 4 (migrations/README.md).
pub fn set_program_upgrade_authority(current_authority: &Pubkey, new_authority: Option<&Pubkey>) -> Instruction {
    solana_loader_v3_interface::instruction::set_upgrade_authority(&ID, current_authority, new_authority)
}
