//! Property tests: random sequences of operations, legal and illegal, run on the
//! embedded ledger beside a plain Rust model of what should happen. Every step's
//! outcome (success, or the exact error) must match the model's prediction, and
//! every SPEC section 7 invariant (v2) is checked after every step.
//!
//! The model covers what a hostile holder can do around the program too: transfers
//! between associated and non-associated accounts, delegate transfers, owner changes
//! (Token-2022 SetAuthority), direct burns, deposits into the Escrow; and the
//! council's seizures.
//!
//! `USD1_PROPTEST_CASES` (default 64) and `USD1_PROPTEST_STEPS` (default 40) set
//! the size. A failure is shrunk to a minimal sequence.
use crate::harness::*;
use proptest::prelude::*;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use std::collections::BTreeMap;
use usd1_client::{
    instructions::{self, ExecuteAccounts, SeizureAccounts},
    pda, reference_hash, token,
    transfer::{transfer_checked_between, TransferEnd},
    PauseScope, ProposalKind, RedemptionStatus, Role, SeizureDestination, SupplyCapUpdate, UpdateConfigParams,
};

const HOLDERS: usize = 4; // alice, bob, carol, and the burner (who can hold tokens too)
const BURNER: usize = 3;
/// Non-associated token accounts, first owned by holders 0 and 1. Side 0 has ImmutableOwner
/// (it receives, its owner never changes); side 1 does not (its owner changes, and the
/// program never lets it receive: `OwnerNotImmutable`).
const SIDES: usize = 2;
const MUTABLE_SIDE: usize = HOLDERS + 1;
/// Who can be denylisted: the holders, then council member c1 and the minter (role holders
/// lose their powers while listed).
const PARTIES: usize = HOLDERS + 2;
const PARTY_COUNCIL_MEMBER: usize = HOLDERS;
const PARTY_MINTER: usize = HOLDERS + 1;
/// The council of the property fixture: 3 members, threshold 2; rejected at 2 votes against.
const MEMBERS: usize = 3;
const THRESHOLD: usize = 2;
/// The supply cap the fixture starts with, in tokens.
const INITIAL_CAP_TOKENS: u64 = 10_000;
/// Token accounts: the holders' associated accounts (index = holder), then the side accounts.
const ACCOUNTS: usize = HOLDERS + SIDES;

#[derive(Debug, Clone)]
enum Step {
    Mint { holder: usize, tokens: u64, reference: u8 },
    Transfer { from: usize, to: usize, percent: u64 },
    /// Holder `from`'s delegate ((from + 1) % HOLDERS, approved at setup) sends to holder (from + 2) % HOLDERS.
    DelegateTransfer { from: usize, percent: u64 },
    RequestRedemption { holder: usize, percent: u64, reference: u8 },
    CompleteRedemption { holder: usize, reference: u8 },
    RejectRedemption { holder: usize, reference: u8 },
    Burn { percent: u64 },
    /// The account's owner burns directly through Token-2022.
    TokenBurn { account: usize, percent: u64 },
    /// Holder sends tokens to the Escrow outside any request.
    EscrowDeposit { holder: usize, percent: u64 },
    SweepEscrow { to: usize },
    /// The side account's owner tries to hand it to `new_owner` (SetAuthority, no hook).
    SetAccountOwner { side: usize, new_owner: usize },
    /// Council proposes and approves, then anyone executes, a seizure of `percent` of the
    /// holder's tokens (at least one base unit) to `to`'s associated account or burned.
    Seize { holder: usize, percent: u64, to: Option<usize> },
    Pause(PauseScope),
    Unpause(PauseScope),
    DenylistAdd(usize),
    DenylistRemove(usize),
    /// Council member c0 proposes, c2 approves, a stranger executes: allowance + tokens.
    RaiseAllowance { tokens: u64 },
    /// Council member `member` proposes.
    Propose { member: usize, choice: Choice },
    /// Council member `member` votes on the `slot`-th proposal created (mod their count).
    Vote { member: usize, slot: usize, approve: bool },
    /// A stranger executes the `slot`-th proposal.
    Execute { slot: usize },
    /// Council member `member` cancels the `slot`-th proposal.
    Cancel { member: usize, slot: usize },
    /// The admin alone sets the supply cap (a raise is a loosening: `CouncilRequired`).
    AdminSetCap { tokens: u64 },
    DecreaseAllowance { tokens: u64 },
    Warp { secs: i64 },
    /// v3: the onboarder (the denylister's key) onboards / offboards a holder.
    Onboard(usize),
    Offboard(usize),
    /// v3: the admin turns `onboarding_required` on (tightening; off is the council's `Choice::Onboarding`).
    RequireOnboarding,
}

/// What a `Propose` step asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    /// SetAllowance to the current allowance plus `tokens`.
    Allowance { tokens: u64 },
    /// UpdateConfig setting the supply cap to `tokens` (a loosening when higher).
    Cap { tokens: u64 },
    /// A `Seize` step's proposal (proposed, approved and executed or withdrawn in that step).
    Seizure,
    /// v3 council recovery: `set_role` of the attester to one of two spare keys (`key` 0 or 1).
    Attester { key: usize },
    /// v3: an `update_config` proposal turning `onboarding_required` off.
    OnboardingOff,
}

fn choice() -> impl Strategy<Value = Choice> {
    prop_oneof![
        (1u64..=200).prop_map(|tokens| Choice::Allowance { tokens }),
        (50u64..=20_000).prop_map(|tokens| Choice::Cap { tokens }),
        (0usize..2).prop_map(|key| Choice::Attester { key }),
        Just(Choice::OnboardingOff),
    ]
}

fn scope() -> impl Strategy<Value = PauseScope> {
    prop_oneof![Just(PauseScope::Mint), Just(PauseScope::Redeem), Just(PauseScope::Transfers), Just(PauseScope::All)]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..HOLDERS, 1u64..=60, 0u8..10).prop_map(|(holder, tokens, reference)| Step::Mint { holder, tokens, reference }),
        4 => (0..ACCOUNTS, 0..ACCOUNTS, 0u64..=100).prop_map(|(from, to, percent)| Step::Transfer { from, to, percent }),
        2 => (0..HOLDERS, 0u64..=100).prop_map(|(from, percent)| Step::DelegateTransfer { from, percent }),
        4 => (0..HOLDERS, 0u64..=100, 0u8..8).prop_map(|(holder, percent, reference)| Step::RequestRedemption { holder, percent, reference }),
        2 => (0..HOLDERS, 0u8..8).prop_map(|(holder, reference)| Step::CompleteRedemption { holder, reference }),
        2 => (0..HOLDERS, 0u8..8).prop_map(|(holder, reference)| Step::RejectRedemption { holder, reference }),
        1 => (0u64..=100).prop_map(|percent| Step::Burn { percent }),
        1 => (0..ACCOUNTS, 0u64..=100).prop_map(|(account, percent)| Step::TokenBurn { account, percent }),
        1 => (0..HOLDERS, 0u64..=100).prop_map(|(holder, percent)| Step::EscrowDeposit { holder, percent }),
        1 => (0..HOLDERS).prop_map(|to| Step::SweepEscrow { to }),
        1 => (0..SIDES, 0..HOLDERS).prop_map(|(side, new_owner)| Step::SetAccountOwner { side, new_owner }),
        1 => (0..HOLDERS, 0u64..=100, proptest::option::of(0..HOLDERS)).prop_map(|(holder, percent, to)| Step::Seize { holder, percent, to }),
        2 => scope().prop_map(Step::Pause),
        3 => scope().prop_map(Step::Unpause),
        2 => (0..PARTIES).prop_map(Step::DenylistAdd),
        2 => (0..PARTIES).prop_map(Step::DenylistRemove),
        1 => (1u64..=200).prop_map(|tokens| Step::RaiseAllowance { tokens }),
        2 => (0..MEMBERS, choice()).prop_map(|(member, choice)| Step::Propose { member, choice }),
        3 => (0..MEMBERS, 0usize..6, any::<bool>()).prop_map(|(member, slot, approve)| Step::Vote { member, slot, approve }),
        2 => (0usize..6).prop_map(|slot| Step::Execute { slot }),
        1 => (0..MEMBERS, 0usize..6).prop_map(|(member, slot)| Step::Cancel { member, slot }),
        1 => (50u64..=20_000).prop_map(|tokens| Step::AdminSetCap { tokens }),
        1 => (1u64..=100).prop_map(|tokens| Step::DecreaseAllowance { tokens }),
        1 => (1i64..=100_000).prop_map(|secs| Step::Warp { secs }),
        2 => (0..HOLDERS).prop_map(Step::Onboard),
        1 => (0..HOLDERS).prop_map(Step::Offboard),
        1 => Just(Step::RequireOnboarding),
    ]
}

/// Token-2022's own refusals, checked before it calls the hook. Where both apply, the
/// model accepts either (their order inside Token-2022 is not part of our contract).
const FROZEN: &str = "Token2022:AccountFrozen";
const PAUSED: &str = "Token2022:MintPaused";
const FROZEN_OR_PAUSED: &str = "Token2022:AccountFrozen|Token2022:MintPaused";
const IMMUTABLE: &str = "Token2022:ImmutableOwner";
const FROZEN_OR_IMMUTABLE: &str = "Token2022:AccountFrozen|Token2022:ImmutableOwner";

/// What the chain should hold.
#[derive(Debug, Clone)]
struct Model {
    balances: [u64; ACCOUNTS],
    owners: [usize; ACCOUNTS],
    frozen: [bool; ACCOUNTS],
    total_minted: u64,
    total_burned: u64,
    /// Burned by holders directly through Token-2022 (SPEC 9 `unattributed_burned`).
    unattributed: u64,
    /// Escrow tokens beyond the open requests (outside deposits not yet swept).
    escrow_excess: u64,
    allowance: u64,
    granted: u64,
    lifetime_minted: u64,
    mint_references: BTreeMap<u8, u64>,
    /// Redemption requests by (holder, ticket): a ticket is bound to its holder.
    requests: BTreeMap<(usize, u8), (u64, RedemptionStatus)>,
    denylisted: [bool; PARTIES],
    /// The supply cap in base units.
    supply_cap: u64,
    /// Every proposal created, by id order.
    proposals: Vec<ModelProposal>,
    mint_paused: bool,
    redeem_paused: bool,
    transfers_paused: bool,
    event_seq: u64,
    /// v3: which holders have an Onboarded account, and whether mints need one.
    onboarded: [bool; HOLDERS],
    onboarding_required: bool,
    /// v3: the attester after council `set_role` proposals: None (the initial key) or a spare key's index.
    attester: Option<usize>,
}

impl Default for Model {
    fn default() -> Model {
        let mut owners = [0; ACCOUNTS];
        for (index, owner) in owners.iter_mut().enumerate() {
            *owner = if index < HOLDERS { index } else { index - HOLDERS };
        }
        Model {
            balances: [0; ACCOUNTS],
            owners,
            frozen: [false; ACCOUNTS],
            total_minted: 0,
            total_burned: 0,
            unattributed: 0,
            escrow_excess: 0,
            allowance: 0,
            granted: 0,
            lifetime_minted: 0,
            mint_references: BTreeMap::new(),
            requests: BTreeMap::new(),
            denylisted: [false; PARTIES],
            supply_cap: INITIAL_CAP_TOKENS * ONE_TOKEN,
            proposals: Vec::new(),
            mint_paused: false,
            redeem_paused: false,
            transfers_paused: false,
            event_seq: 0,
            onboarded: [false; HOLDERS],
            onboarding_required: false,
            attester: None,
        }
    }
}

/// A proposal as the model sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ModelProposal {
    proposer: usize,
    /// The allowance (base units) or the supply cap (base units) it sets.
    choice: Choice,
    amount: u64,
    approvals: Vec<usize>,
    rejections: Vec<usize>,
    /// Not yet executed or cancelled (its account exists).
    open: bool,
}

impl ModelProposal {
    fn rejected(&self) -> bool {
        self.rejections.len() > MEMBERS - THRESHOLD
    }
}

/// A transfer's destination differs from its source (Token-2022 completes a self-transfer
/// without the hook; `denylist::a_denylisted_owners_self_transfer_moves_nothing` covers it).
fn transfer_destination(from: usize, to: usize) -> usize {
    if from == to { (to + 1) % ACCOUNTS } else { to }
}

/// Events a step emits besides its last instruction's: a seizure's proposal and approval,
/// and, when the seizure fails, the proposer withdrawing it (v3: none when the owner is not
/// listed, whose seizure cannot even be proposed). `before` is the model before the step.
fn setup_events(step: &Step, before: &Model, failed: bool) -> u64 {
    match step {
        Step::Seize { holder, .. } if before.denylisted[*holder] => 2 + u64::from(failed),
        _ => 0,
    }
}

impl Model {
    /// Council member `member` (0..MEMBERS) is denylisted; only c1 can be, as a party.
    fn member_denylisted(&self, member: usize) -> bool {
        member == 1 && self.denylisted[PARTY_COUNCIL_MEMBER]
    }

    /// The proposal index a step's `slot` names: `None` before any proposal exists.
    fn slot(&self, slot: usize) -> Option<usize> {
        (!self.proposals.is_empty()).then(|| slot % self.proposals.len())
    }

    /// The open proposal a slot names, or the error a closed or missing one gives.
    fn open_proposal(&mut self, slot: usize) -> Result<&mut ModelProposal, &'static str> {
        let index = self.slot(slot).ok_or("Anchor:AccountNotInitialized")?;
        let proposal = &mut self.proposals[index];
        if !proposal.open {
            return Err("Anchor:AccountNotInitialized");
        }
        Ok(proposal)
    }

    fn supply(&self) -> u64 {
        self.total_minted - self.total_burned - self.unattributed
    }

    fn open_requests(&self) -> u64 {
        self.requests.values().filter(|(_, status)| *status == RedemptionStatus::Pending).map(|(amount, _)| amount).sum()
    }

    fn fully_paused(&self) -> bool {
        self.mint_paused && self.redeem_paused && self.transfers_paused
    }

    fn set_paused(&mut self, scope: PauseScope, paused: bool) {
        match scope {
            PauseScope::Mint => self.mint_paused = paused,
            PauseScope::Redeem => self.redeem_paused = paused,
            PauseScope::Transfers => self.transfers_paused = paused,
            PauseScope::All => (self.mint_paused, self.redeem_paused, self.transfers_paused) = (paused, paused, paused),
        }
    }

    /// Token-2022's checks on a transfer or burn touching `accounts`.
    fn token_gate(&self, accounts: &[usize]) -> Result<(), &'static str> {
        let frozen = accounts.iter().any(|account| self.frozen[*account]);
        match (frozen, self.fully_paused()) {
            (true, true) => Err(FROZEN_OR_PAUSED),
            (true, false) => Err(FROZEN),
            (false, true) => Err(PAUSED),
            (false, false) => Ok(()),
        }
    }

    /// The hook's checks on a holder transfer (`destination`: a model account, or None for the Escrow).
    fn hook(&self, source_owner: usize, destination: Option<usize>, authority: usize) -> Result<(), &'static str> {
        if self.transfers_paused {
            return Err("TransfersPaused");
        }
        if destination == Some(MUTABLE_SIDE) {
            return Err("OwnerNotImmutable");
        }
        let destination_owner = destination.map(|account| self.owners[account]);
        let destination_listed = destination_owner.is_some_and(|owner| self.denylisted[owner]);
        if self.denylisted[source_owner] || destination_listed || self.denylisted[authority] {
            return Err("Denylisted");
        }
        Ok(())
    }

    /// The holder's funded accounts in the order a seizure debits them: associated first.
    fn seizable(&self, holder: usize) -> Vec<usize> {
        (0..ACCOUNTS).filter(|account| self.owners[*account] == holder && self.balances[*account] > 0).collect()
    }

    fn seizure_amount(&self, holder: usize, percent: u64) -> u64 {
        let total: u64 = self.seizable(holder).iter().map(|account| self.balances[*account]).sum();
        (total * percent / 100).max(1)
    }

    /// Predict a step: Ok(events of its last instruction) after applying it, or the exact
    /// error (state unchanged apart from `setup_events`).
    fn apply(&mut self, step: &Step) -> Result<u64, &'static str> {
        match *step {
            Step::Mint { holder, tokens, reference } => {
                let amount = tokens * ONE_TOKEN;
                if self.mint_paused {
                    return Err("MintingPaused");
                }
                if self.denylisted[PARTY_MINTER] {
                    return Err("Denylisted");
                }
                if amount > self.allowance {
                    return Err("AllowanceExceeded");
                }
                if self.supply() + amount > self.supply_cap {
                    return Err("SupplyCapExceeded");
                }
                if self.denylisted[holder] {
                    return Err("Denylisted");
                }
                if self.onboarding_required && !self.onboarded[holder] {
                    return Err("NotOnboarded");
                }
                if self.mint_references.contains_key(&reference) {
                    return Err("DuplicateReference");
                }
                self.token_gate(&[holder])?;
                self.allowance -= amount;
                self.lifetime_minted += amount;
                self.total_minted += amount;
                self.balances[holder] += amount;
                self.mint_references.insert(reference, amount);
                Ok(1)
            }
            Step::Transfer { from, to, percent } => {
                let to = transfer_destination(from, to);
                let amount = self.balances[from] * percent / 100;
                self.token_gate(&[from, to])?;
                self.hook(self.owners[from], Some(to), self.owners[from])?;
                self.balances[from] -= amount;
                self.balances[to] += amount;
                Ok(0)
            }
            Step::DelegateTransfer { from, percent } => {
                let (delegate, to) = ((from + 1) % HOLDERS, (from + 2) % HOLDERS);
                let amount = self.balances[from] * percent / 100;
                self.token_gate(&[from, to])?;
                self.hook(from, Some(to), delegate)?;
                self.balances[from] -= amount;
                self.balances[to] += amount;
                Ok(0)
            }
            Step::RequestRedemption { holder, percent, reference } => {
                let amount = self.balances[holder] * percent / 100;
                if self.redeem_paused {
                    return Err("RedemptionsPaused");
                }
                if amount == 0 {
                    return Err("InvalidAmount");
                }
                if self.denylisted[holder] {
                    return Err("Denylisted");
                }
                if self.requests.contains_key(&(holder, reference)) {
                    return Err("DuplicateReference");
                }
                // The program's own escrow transfer: no hook, so no `transfers` pause.
                self.token_gate(&[holder])?;
                self.balances[holder] -= amount;
                self.requests.insert((holder, reference), (amount, RedemptionStatus::Pending));
                Ok(1)
            }
            Step::CompleteRedemption { holder, reference } => {
                let Some((amount, status)) = self.requests.get(&(holder, reference)).copied() else { return Err("Anchor:AccountNotInitialized") };
                if self.redeem_paused {
                    return Err("RedemptionsPaused");
                }
                if status != RedemptionStatus::Pending {
                    return Err("RedemptionNotPending");
                }
                self.total_burned += amount;
                self.requests.get_mut(&(holder, reference)).expect("present").1 = RedemptionStatus::Completed;
                Ok(1)
            }
            Step::RejectRedemption { holder, reference } => {
                let Some((amount, status)) = self.requests.get(&(holder, reference)).copied() else { return Err("Anchor:AccountNotInitialized") };
                if self.redeem_paused {
                    return Err("RedemptionsPaused");
                }
                if status != RedemptionStatus::Pending {
                    return Err("RedemptionNotPending");
                }
                if self.denylisted[holder] {
                    return Err("Denylisted");
                }
                self.token_gate(&[holder])?;
                self.balances[holder] += amount;
                self.requests.get_mut(&(holder, reference)).expect("present").1 = RedemptionStatus::Rejected;
                Ok(1)
            }
            Step::Burn { percent } => {
                let amount = self.balances[BURNER] * percent / 100;
                if self.redeem_paused {
                    return Err("RedemptionsPaused");
                }
                if amount == 0 {
                    return Err("InvalidAmount");
                }
                self.token_gate(&[BURNER])?;
                self.balances[BURNER] -= amount;
                self.total_burned += amount;
                Ok(1)
            }
            Step::TokenBurn { account, percent } => {
                let amount = self.balances[account] * percent / 100;
                if amount == 0 {
                    return Ok(0); // nothing sent
                }
                self.token_gate(&[account])?;
                self.balances[account] -= amount;
                self.unattributed += amount;
                Ok(0)
            }
            Step::EscrowDeposit { holder, percent } => {
                let amount = self.balances[holder] * percent / 100;
                self.token_gate(&[holder])?;
                self.hook(holder, None, holder)?;
                self.balances[holder] -= amount;
                self.escrow_excess += amount;
                Ok(0)
            }
            Step::SweepEscrow { to } => {
                if self.redeem_paused {
                    return Err("RedemptionsPaused");
                }
                if self.denylisted[to] {
                    return Err("Denylisted");
                }
                if self.escrow_excess == 0 {
                    return Err("NothingToSweep");
                }
                self.token_gate(&[to])?;
                self.balances[to] += self.escrow_excess;
                self.escrow_excess = 0;
                Ok(1)
            }
            Step::SetAccountOwner { side, new_owner } => {
                let account = HOLDERS + side;
                if account != MUTABLE_SIDE {
                    return Err(if self.frozen[account] { FROZEN_OR_IMMUTABLE } else { IMMUTABLE });
                }
                if self.frozen[account] {
                    return Err(FROZEN);
                }
                self.owners[account] = new_owner;
                Ok(0)
            }
            Step::Seize { holder, percent, to } => {
                let amount = self.seizure_amount(holder, percent);
                // v3: only a listed owner's seizure can be proposed.
                if !self.denylisted[holder] {
                    return Err("NotDenylisted");
                }
                // Proposed by c0, approved by c2; closed in this step whatever happens.
                self.proposals.push(ModelProposal {
                    proposer: 0,
                    choice: Choice::Seizure,
                    amount,
                    approvals: vec![0, 2],
                    rejections: vec![],
                    open: false,
                });
                if to.is_some_and(|to| self.denylisted[to]) {
                    return Err("Denylisted");
                }
                let sources = self.seizable(holder);
                let total: u64 = sources.iter().map(|account| self.balances[*account]).sum();
                if total > 0 && self.fully_paused() {
                    return Err(PAUSED);
                }
                if amount > total {
                    return Err("SeizureExceedsBalance");
                }
                let mut left = amount;
                for account in sources {
                    if left == 0 {
                        break;
                    }
                    let take = left.min(self.balances[account]);
                    self.balances[account] -= take;
                    self.frozen[account] = true;
                    left -= take;
                }
                match to {
                    Some(to) => self.balances[to] += amount,
                    None => self.total_burned += amount,
                }
                Ok(2)
            }
            Step::Pause(scope) => {
                self.set_paused(scope, true);
                Ok(1)
            }
            Step::Unpause(scope) => {
                self.set_paused(scope, false);
                Ok(1)
            }
            Step::DenylistAdd(holder) => {
                // v3: a council member is removed by the council before it can be listed.
                if holder == PARTY_COUNCIL_MEMBER {
                    return Err("CouncilRequired");
                }
                if self.denylisted[holder] {
                    return Err("Denylisted");
                }
                self.denylisted[holder] = true;
                for account in 0..ACCOUNTS {
                    if self.owners[account] == holder {
                        self.frozen[account] = true;
                    }
                }
                Ok(1)
            }
            Step::DenylistRemove(holder) => {
                if !self.denylisted[holder] {
                    return Err("NotDenylisted");
                }
                self.denylisted[holder] = false;
                for account in 0..ACCOUNTS {
                    if self.owners[account] == holder {
                        self.frozen[account] = false;
                    }
                }
                Ok(1)
            }
            Step::RaiseAllowance { tokens } => {
                let amount = self.allowance + tokens * ONE_TOKEN;
                self.proposals.push(ModelProposal {
                    proposer: 0,
                    choice: Choice::Allowance { tokens },
                    amount,
                    approvals: vec![0, 2],
                    rejections: vec![],
                    open: false,
                });
                self.granted += amount - self.allowance;
                self.allowance = amount;
                Ok(3)
            }
            Step::Propose { member, choice } => {
                if self.member_denylisted(member) {
                    return Err("Denylisted");
                }
                let amount = match choice {
                    Choice::Allowance { tokens } => self.allowance + tokens * ONE_TOKEN,
                    Choice::Cap { tokens } => tokens * ONE_TOKEN,
                    Choice::Attester { .. } | Choice::OnboardingOff => 0,
                    Choice::Seizure => unreachable!("`Propose` steps never choose a seizure"),
                };
                self.proposals.push(ModelProposal { proposer: member, choice, amount, approvals: vec![member], rejections: vec![], open: true });
                Ok(1)
            }
            Step::Vote { member, slot, approve } => {
                let denylisted = self.member_denylisted(member);
                let proposal = self.open_proposal(slot)?;
                if proposal.rejected() {
                    return Err("ProposalRejected");
                }
                if approve {
                    if proposal.approvals.contains(&member) {
                        return Err("AlreadyApproved");
                    }
                    if proposal.rejections.contains(&member) {
                        return Err("AlreadyVoted");
                    }
                    if denylisted {
                        return Err("Denylisted");
                    }
                    proposal.approvals.push(member);
                } else {
                    if proposal.approvals.contains(&member) || proposal.rejections.contains(&member) {
                        return Err("AlreadyVoted");
                    }
                    proposal.rejections.push(member);
                }
                Ok(1)
            }
            Step::Execute { slot } => {
                let proposal = self.open_proposal(slot)?.clone();
                if proposal.rejected() {
                    return Err("ProposalRejected");
                }
                if proposal.approvals.len() < THRESHOLD {
                    return Err("ThresholdNotMet");
                }
                let index = self.slot(slot).expect("open");
                self.proposals[index].open = false;
                match proposal.choice {
                    Choice::Allowance { .. } => {
                        self.granted += proposal.amount.saturating_sub(self.allowance);
                        self.allowance = proposal.amount;
                        Ok(1)
                    }
                    Choice::Cap { .. } => {
                        self.supply_cap = proposal.amount;
                        Ok(2)
                    }
                    Choice::Attester { key } => {
                        self.attester = Some(key);
                        Ok(2)
                    }
                    Choice::OnboardingOff => {
                        self.onboarding_required = false;
                        Ok(2)
                    }
                    Choice::Seizure => unreachable!("seizure proposals close in their own step"),
                }
            }
            Step::Cancel { member, slot } => {
                let proposal = self.open_proposal(slot)?;
                if !proposal.rejected() && proposal.proposer != member {
                    return Err("Unauthorized");
                }
                proposal.open = false;
                Ok(1)
            }
            Step::AdminSetCap { tokens } => {
                let cap = tokens * ONE_TOKEN;
                if cap > self.supply_cap {
                    return Err("CouncilRequired");
                }
                self.supply_cap = cap;
                Ok(1)
            }
            Step::DecreaseAllowance { tokens } => {
                self.allowance = self.allowance.saturating_sub(tokens * ONE_TOKEN);
                Ok(1)
            }
            Step::Warp { .. } => Ok(0),
            Step::Onboard(holder) => {
                if self.denylisted[holder] {
                    return Err("Denylisted");
                }
                if self.onboarded[holder] {
                    return Err("AlreadyOnboarded");
                }
                self.onboarded[holder] = true;
                Ok(1)
            }
            Step::Offboard(holder) => {
                if !self.onboarded[holder] {
                    return Err("NotOnboarded");
                }
                self.onboarded[holder] = false;
                Ok(1)
            }
            Step::RequireOnboarding => {
                self.onboarding_required = true;
                Ok(1)
            }
        }
    }
}

struct World {
    fixture: Fixture,
    minter: Keypair,
    /// v3: the keys `Choice::Attester` proposals give the attester role to.
    spare_attesters: [Keypair; 2],
    holders: Vec<Keypair>,
    /// Every token account the model knows, by index.
    accounts: [Pubkey; ACCOUNTS],
}

impl World {
    async fn new() -> World {
        // Proposals never expire within a sequence (warps add up to far less than a year).
        let mut fixture = Fixture::with_params(|params| {
            params.supply_cap = Some(INITIAL_CAP_TOKENS * ONE_TOKEN);
            params.proposal_ttl_secs = usd1::constants::MAX_PROPOSAL_TTL_SECS;
        })
        .await;
        let mint = fixture.mint_key();
        let minter = fixture.new_minter(0).await;
        let mut holders: Vec<Keypair> = (0..BURNER).map(|_| fixture.new_identity()).collect();
        holders.push(fixture.burner.insecure_clone());
        let mut accounts = [Pubkey::default(); ACCOUNTS];
        for (index, holder) in holders.iter().enumerate() {
            accounts[index] = fixture.create_token_account(&holder.pubkey()).await;
        }
        accounts[HOLDERS] = fixture.create_named_token_account(&holders[0].pubkey()).await;
        accounts[MUTABLE_SIDE] = fixture.create_mutable_owner_token_account(&holders[1].pubkey()).await;
        // Each holder lets the next one spend from its associated account, without limit.
        for (index, holder) in holders.iter().enumerate() {
            let delegate = holders[(index + 1) % HOLDERS].pubkey();
            let approve = token::approve_delegate(&accounts[index], &mint, &holder.pubkey(), &delegate, u64::MAX, DECIMALS);
            fixture.ledger.expect_ok_all(&[approve], &[holder]).await;
        }
        World { fixture, minter, spare_attesters: [Keypair::new(), Keypair::new()], holders, accounts }
    }

    /// The key of a denylistable party.
    fn party_key(&self, party: usize) -> Pubkey {
        match party {
            PARTY_COUNCIL_MEMBER => self.fixture.council[1].pubkey(),
            PARTY_MINTER => self.minter.pubkey(),
            holder => self.holders[holder].pubkey(),
        }
    }

    /// Proposer and (for an allowance) minter of proposal `id` as the chain has it; a closed
    /// or missing proposal still gets an instruction, which the program refuses.
    async fn proposal_parties(&mut self, id: u64) -> (Pubkey, Option<Pubkey>) {
        let mint = self.fixture.mint_key();
        match self.fixture.ledger.proposal(&mint, id).await.unwrap() {
            Some(proposal) => (proposal.proposer, proposal.allowance_minter()),
            None => (self.fixture.stranger.pubkey(), None),
        }
    }

    /// The current owner of a model account, read from the chain.
    async fn owner_of(&mut self, account: usize) -> usize {
        let owner = self.fixture.ledger.token_account(&self.accounts[account]).await.unwrap().expect("account").owner;
        self.holders.iter().position(|holder| holder.pubkey() == owner).expect("owned by a holder")
    }

    /// The holder's token accounts as the chain lists them (associated first).
    async fn accounts_of(&mut self, holder: usize, funded_only: bool) -> Vec<Pubkey> {
        let mut found = Vec::new();
        for account in 0..ACCOUNTS {
            let info = self.fixture.ledger.token_account(&self.accounts[account]).await.unwrap().expect("account");
            if info.owner == self.holders[holder].pubkey() && (!funded_only || info.amount > 0) {
                found.push(self.accounts[account]);
            }
        }
        found
    }

    fn end(&self, account: usize, owner: usize) -> TransferEnd {
        TransferEnd { account: self.accounts[account], owner: self.holders[owner].pubkey() }
    }

    /// Run a step on the ledger: Ok(events of its last instruction) or the error name.
    async fn run(&mut self, step: &Step, model_before: &Model) -> Result<u64, String> {
        let mint = self.fixture.mint_key();
        let key = |world: &World, index: usize| world.holders[index].pubkey();
        let (instruction, signer): (solana_instruction::Instruction, Keypair) = match *step {
            Step::Mint { holder, tokens, reference } => {
                (self.fixture.mint_instruction(&self.minter, &key(self, holder), tokens * ONE_TOKEN, &format!("wire-{reference}")), self.minter.insecure_clone())
            }
            Step::Transfer { from, to, percent } => {
                let to = transfer_destination(from, to);
                let amount = model_before.balances[from] * percent / 100;
                let (from_owner, to_owner) = (self.owner_of(from).await, self.owner_of(to).await);
                let instruction = transfer_checked_between(&mint, self.end(from, from_owner), self.end(to, to_owner), &key(self, from_owner), amount, DECIMALS);
                (instruction, self.holders[from_owner].insecure_clone())
            }
            Step::DelegateTransfer { from, percent } => {
                let (delegate, to) = ((from + 1) % HOLDERS, (from + 2) % HOLDERS);
                let amount = model_before.balances[from] * percent / 100;
                let instruction = transfer_checked_between(&mint, self.end(from, from), self.end(to, to), &key(self, delegate), amount, DECIMALS);
                (instruction, self.holders[delegate].insecure_clone())
            }
            Step::RequestRedemption { holder, percent, reference } => {
                let amount = model_before.balances[holder] * percent / 100;
                let hash = reference_hash(&format!("ticket-{reference}"));
                (instructions::request_redemption(&key(self, holder), &mint, amount, hash), self.holders[holder].insecure_clone())
            }
            Step::CompleteRedemption { holder, reference } => {
                let holder = key(self, holder);
                (self.fixture.complete_instruction(&holder, &format!("ticket-{reference}")), self.fixture.burner.insecure_clone())
            }
            Step::RejectRedemption { holder: index, reference } => {
                let hash = reference_hash(&format!("ticket-{reference}"));
                let holder = key(self, index);
                let burner = self.fixture.burner.insecure_clone();
                (instructions::reject_redemption(&burner.pubkey(), &mint, &holder, hash, [0; 32]), burner)
            }
            Step::Burn { percent } => {
                let amount = model_before.balances[BURNER] * percent / 100;
                (instructions::burn(&self.fixture.burner.pubkey(), &mint, amount), self.fixture.burner.insecure_clone())
            }
            Step::TokenBurn { account, percent } => {
                let amount = model_before.balances[account] * percent / 100;
                if amount == 0 {
                    return Ok(0);
                }
                let owner = self.owner_of(account).await;
                (token::burn_direct(&self.accounts[account], &mint, &key(self, owner), amount, DECIMALS), self.holders[owner].insecure_clone())
            }
            Step::EscrowDeposit { holder, percent } => {
                let amount = model_before.balances[holder] * percent / 100;
                let config = pda::config_address(&mint);
                let escrow = TransferEnd { account: pda::escrow_address(&config), owner: config };
                (transfer_checked_between(&mint, self.end(holder, holder), escrow, &key(self, holder), amount, DECIMALS), self.holders[holder].insecure_clone())
            }
            Step::SweepEscrow { to } => {
                let burner = self.fixture.burner.insecure_clone();
                (instructions::sweep_escrow(&burner.pubkey(), &mint, &self.accounts[to], &key(self, to)), burner)
            }
            Step::SetAccountOwner { side, new_owner } => {
                let account = HOLDERS + side;
                let owner = self.owner_of(account).await;
                let instruction = token::set_account_owner(&self.accounts[account], &key(self, owner), &key(self, new_owner));
                (instruction, self.holders[owner].insecure_clone())
            }
            Step::Seize { holder, percent, to } => {
                let amount = model_before.seizure_amount(holder, percent);
                let destination = match to {
                    Some(to) => SeizureDestination::TokenAccount { address: self.accounts[to] },
                    None => SeizureDestination::Burn,
                };
                let kind = ProposalKind::Seize { owner: key(self, holder), amount, destination, order_hash: [9; 32] };
                let id = model_before.proposals.len() as u64;
                let [c0, c2] = [0, 2].map(|member| self.fixture.council[member].insecure_clone());
                if !model_before.denylisted[holder] {
                    return match self.fixture.ledger.send(&[instructions::propose(&c0.pubkey(), &mint, id, kind)], &[&c0]).await {
                        Ok(executed) => Ok(executed.events.len() as u64),
                        Err(failure) => Err(failure.name().to_string()),
                    };
                }
                self.fixture.ledger.expect_ok_all(&[instructions::propose(&c0.pubkey(), &mint, id, kind)], &[&c0]).await;
                self.fixture.ledger.expect_ok_all(&[instructions::approve(&c2.pubkey(), &mint, id)], &[&c2]).await;
                let seizure = SeizureAccounts {
                    owner: key(self, holder),
                    source_accounts: self.accounts_of(holder, true).await,
                    destination: to.map(|to| (self.accounts[to], key(self, to))),
                };
                let extra = ExecuteAccounts { seizure: Some(seizure), ..Default::default() };
                let stranger = self.fixture.stranger.insecure_clone();
                let proposer = self.fixture.council[0].pubkey();
                (instructions::execute_with_accounts(&stranger.pubkey(), &mint, id, &proposer, &extra), stranger)
            }
            Step::Pause(scope) => (instructions::pause(&self.fixture.pauser.pubkey(), &mint, scope), self.fixture.pauser.insecure_clone()),
            Step::Unpause(scope) => (instructions::unpause(&self.fixture.pauser.pubkey(), &mint, scope), self.fixture.pauser.insecure_clone()),
            Step::DenylistAdd(party) => {
                let accounts = if party < HOLDERS { self.accounts_of(party, false).await } else { vec![] };
                let denylister = self.fixture.denylister.insecure_clone();
                (instructions::denylist_add(&denylister.pubkey(), &mint, &self.party_key(party), [0; 32], &accounts), denylister)
            }
            Step::DenylistRemove(party) => {
                let accounts = if party < HOLDERS { self.accounts_of(party, false).await } else { vec![] };
                let denylister = self.fixture.denylister.insecure_clone();
                (instructions::denylist_remove(&denylister.pubkey(), &mint, &self.party_key(party), &accounts), denylister)
            }
            Step::RaiseAllowance { tokens } => {
                // c0 proposes and c2 approves (c1 may be denylisted), a stranger executes.
                let minter = self.minter.pubkey();
                let kind = ProposalKind::SetAllowance { minter, amount: model_before.allowance + tokens * ONE_TOKEN };
                let id = model_before.proposals.len() as u64;
                let [c0, c2] = [0, 2].map(|member| self.fixture.council[member].insecure_clone());
                let stranger = self.fixture.stranger.insecure_clone();
                for (instruction, signer) in [
                    (instructions::propose(&c0.pubkey(), &mint, id, kind), &c0),
                    (instructions::approve(&c2.pubkey(), &mint, id), &c2),
                    (instructions::execute(&stranger.pubkey(), &mint, id, &c0.pubkey(), Some(&minter)), &stranger),
                ] {
                    self.fixture.ledger.expect_ok_all(&[instruction], &[signer]).await;
                }
                return Ok(3);
            }
            Step::Propose { member, choice } => {
                let kind = match choice {
                    Choice::Allowance { tokens } => {
                        ProposalKind::SetAllowance { minter: self.minter.pubkey(), amount: model_before.allowance + tokens * ONE_TOKEN }
                    }
                    Choice::Cap { tokens } => ProposalKind::UpdateConfig {
                        change: UpdateConfigParams { supply_cap: SupplyCapUpdate::Set { cap: tokens * ONE_TOKEN }, ..Default::default() },
                    },
                    Choice::Attester { key } => ProposalKind::SetRole { role: Role::Attester, key: self.spare_attesters[key].pubkey() },
                    Choice::OnboardingOff => {
                        ProposalKind::UpdateConfig { change: UpdateConfigParams { onboarding_required: Some(false), ..Default::default() } }
                    }
                    Choice::Seizure => unreachable!("`Propose` steps never choose a seizure"),
                };
                let proposer = self.fixture.council[member].insecure_clone();
                let id = model_before.proposals.len() as u64;
                (instructions::propose(&proposer.pubkey(), &mint, id, kind), proposer)
            }
            Step::Vote { member, slot, approve } => {
                let id = model_before.slot(slot).unwrap_or(0) as u64;
                let voter = self.fixture.council[member].insecure_clone();
                let instruction = if approve {
                    instructions::approve(&voter.pubkey(), &mint, id)
                } else {
                    instructions::reject(&voter.pubkey(), &mint, id)
                };
                (instruction, voter)
            }
            Step::Execute { slot } => {
                let id = model_before.slot(slot).unwrap_or(0) as u64;
                let (proposer, minter) = self.proposal_parties(id).await;
                let stranger = self.fixture.stranger.insecure_clone();
                (instructions::execute(&stranger.pubkey(), &mint, id, &proposer, minter.as_ref()), stranger)
            }
            Step::Cancel { member, slot } => {
                let id = model_before.slot(slot).unwrap_or(0) as u64;
                let (proposer, _) = self.proposal_parties(id).await;
                let canceller = self.fixture.council[member].insecure_clone();
                (instructions::cancel(&canceller.pubkey(), &mint, id, &proposer), canceller)
            }
            Step::AdminSetCap { tokens } => {
                let admin = self.fixture.admin.insecure_clone();
                let change = UpdateConfigParams { supply_cap: SupplyCapUpdate::Set { cap: tokens * ONE_TOKEN }, ..Default::default() };
                (instructions::update_config(&admin.pubkey(), &mint, change), admin)
            }
            Step::DecreaseAllowance { tokens } => (
                instructions::decrease_allowance(&self.fixture.master_minter.pubkey(), &mint, &self.minter.pubkey(), tokens * ONE_TOKEN),
                self.fixture.master_minter.insecure_clone(),
            ),
            Step::Warp { secs } => {
                self.fixture.ledger.warp_secs(secs).await.unwrap();
                return Ok(0);
            }
            Step::Onboard(holder) => {
                let onboarder = self.fixture.denylister.insecure_clone();
                (instructions::onboard(&onboarder.pubkey(), &mint, &key(self, holder), reference_hash("kyc")), onboarder)
            }
            Step::Offboard(holder) => {
                let onboarder = self.fixture.denylister.insecure_clone();
                (instructions::offboard(&onboarder.pubkey(), &mint, &key(self, holder)), onboarder)
            }
            Step::RequireOnboarding => {
                let change = UpdateConfigParams { onboarding_required: Some(true), ..Default::default() };
                (instructions::update_config(&self.fixture.admin.pubkey(), &mint, change), self.fixture.admin.insecure_clone())
            }
        };
        let first_seq = model_before.event_seq + setup_events(step, model_before, false) + 1;
        match self.fixture.ledger.send(&[instruction], &[&signer]).await {
            Err(failure) if matches!(step, Step::Seize { .. }) => {
                // The refused seizure's proposal is withdrawn by its proposer.
                let id = model_before.proposals.len() as u64;
                let c0 = self.fixture.council[0].insecure_clone();
                let Step::Seize { holder, .. } = *step else { unreachable!() };
                let owner = key(self, holder);
                let cancel = instructions::cancel_proposal(&c0.pubkey(), &mint, id, &c0.pubkey(), Some(&owner));
                self.fixture.ledger.expect_ok_all(&[cancel], &[&c0]).await;
                Err(failure.name().to_string())
            }
            Ok(executed) => {
                // Invariant 8: the step's events carry consecutive seqs.
                for (offset, event) in executed.events.iter().enumerate() {
                    assert_eq!(event.seq(), first_seq + offset as u64, "event seq out of order");
                }
                Ok(executed.events.len() as u64)
            }
            Err(failure) => Err(failure.name().to_string()),
        }
    }

    /// SPEC section 7 (v2), every invariant, against the model and the chain. `before` is
    /// the model before the step, for invariant 6's "nothing left a denylisted owner".
    async fn check(&mut self, model: &Model, before: &Model, step: &Step) {
        let mint = self.fixture.mint_key();
        let config = self.fixture.config().await;
        // 9 (v3). While onboarding is required, a mint that happened reached an onboarded owner
        // (its Onboarded account is on chain now: no step both mints and offboards).
        let config_key = usd1_client::pda::config_address(&mint);
        if let Step::Mint { holder, .. } = *step {
            if before.onboarding_required && model.total_minted > before.total_minted {
                let onboarded = self.fixture.ledger.account(&usd1_client::pda::onboarded_address(&config_key, &self.holders[holder].pubkey())).await.unwrap();
                assert!(onboarded.is_some_and(|account| account.owner == usd1_client::PROGRAM_ID), "invariant 9: minted to an owner not onboarded");
            }
        }
        assert_eq!(config.onboarding_required, model.onboarding_required, "onboarding_required");
        for holder in 0..HOLDERS {
            let onboarded = self.fixture.ledger.account(&usd1_client::pda::onboarded_address(&config_key, &self.holders[holder].pubkey())).await.unwrap();
            assert_eq!(onboarded.is_some(), model.onboarded[holder], "Onboarded account of holder {holder}");
        }
        // 4 / 9 (v3). A role changes only through an executed council proposal.
        let attester = match model.attester {
            Some(index) => self.spare_attesters[index].pubkey(),
            None => self.fixture.attester.pubkey(),
        };
        assert_eq!(config.attester, attester, "invariant 4: the attester changed outside an executed set_role proposal");
        let supply = self.fixture.ledger.mint_info(&mint).await.unwrap().supply;
        // 1. supply <= minted - burned; the difference is exactly the holders' direct burns.
        let net = config.total_minted - config.total_burned;
        assert!(supply <= net, "invariant 1: supply {supply} > minted - burned {net}");
        assert_eq!(net - supply, model.unattributed, "invariant 1: unattributed burns");
        assert_eq!((config.total_minted, config.total_burned, supply), (model.total_minted, model.total_burned, model.supply()));
        // 2. each reference minted at most once; each redemption processed at most once
        for reference in 0u8..10 {
            let receipt = self.fixture.ledger.mint_receipt(&mint, &reference_hash(&format!("wire-{reference}"))).await.unwrap();
            assert_eq!(receipt.map(|receipt| receipt.amount), model.mint_references.get(&reference).copied(), "invariant 2 (mint {reference})");
        }
        for holder in 0..HOLDERS {
            for reference in 0u8..8 {
                let hash = reference_hash(&format!("ticket-{reference}"));
                let request = self.fixture.ledger.redemption_request(&mint, &self.holders[holder].pubkey(), &hash).await.unwrap();
                assert_eq!(
                    request.map(|request| (request.amount, request.status)),
                    model.requests.get(&(holder, reference)).copied(),
                    "invariant 2 (redemption {reference} of holder {holder})"
                );
            }
        }
        // 3. lifetime minted <= granted; allowance never underflows (it is what the model says)
        let minter = self.fixture.ledger.minter(&mint, &self.minter.pubkey()).await.unwrap().unwrap();
        assert!(minter.lifetime_minted <= minter.total_granted && minter.allowance + minter.lifetime_minted <= minter.total_granted, "invariant 3");
        assert_eq!((minter.allowance, minter.lifetime_minted), (model.allowance, model.lifetime_minted));
        // 4. allowance rises only through executed proposals: granted is exactly what the council executed
        assert_eq!(minter.total_granted, model.granted, "invariant 4");
        // 5 and 6: every account's balance, owner and frozen state is what the model says
        for account in 0..ACCOUNTS {
            let info = self.fixture.ledger.token_account(&self.accounts[account]).await.unwrap().expect("account");
            assert_eq!(info.amount, model.balances[account], "invariants 5/6: balance of account {account}");
            assert_eq!(info.owner, self.holders[model.owners[account]].pubkey(), "owner of account {account}");
            assert_eq!(info.frozen, model.frozen[account], "frozen state of account {account}");
        }
        // 6, directly: no token reached or left a denylisted owner's account, except by a
        // seizure (or, out of an unfrozen account gifted to it, by the owner's own burn).
        for account in 0..ACCOUNTS {
            let owner = model.owners[account];
            let listed_throughout = before.denylisted[before.owners[account]] && model.denylisted[owner] && before.owners[account] == owner;
            let allowed = matches!(step, Step::Seize { .. }) || (matches!(step, Step::TokenBurn { account: burned, .. } if *burned == account) && !before.frozen[account]);
            if listed_throughout && !allowed {
                assert_eq!(model.balances[account], before.balances[account], "invariant 6: account {account} of a denylisted owner moved");
            }
        }
        // The registry the hook reads is exactly the denylisted holders, sorted, and every
        // listed holder has its DenylistEntry record.
        let registry_address = pda::denylist_registry_address(&pda::config_address(&mint));
        let registry = self.fixture.ledger.account(&registry_address).await.unwrap().expect("registry");
        let listed = usd1_client::accounts::decode_denylist_registry(&registry.data).unwrap().wallets;
        let mut expected: Vec<Pubkey> = (0..PARTIES).filter(|party| model.denylisted[*party]).map(|party| self.party_key(party)).collect();
        expected.sort();
        assert_eq!(listed, expected, "invariant 6: the hook's registry is the denylist");
        for party in 0..PARTIES {
            let entry = self.fixture.ledger.denylist_entry(&mint, &self.party_key(party)).await.unwrap();
            assert_eq!(entry.is_some(), model.denylisted[party], "DenylistEntry of party {party}");
        }
        // 4 (v2): allowance increases and loosened limits only through executed proposals with
        // >= threshold approvals: the cap is exactly what the admin tightened or the council
        // executed, and every open proposal holds exactly the model's votes.
        assert_eq!(config.supply_cap, Some(model.supply_cap), "invariant 4: supply cap");
        assert_eq!(config.next_proposal_id, model.proposals.len() as u64);
        for (id, expected) in model.proposals.iter().enumerate() {
            let proposal = self.fixture.ledger.proposal(&mint, id as u64).await.unwrap();
            assert_eq!(proposal.is_some(), expected.open, "proposal {id} open");
            if let Some(proposal) = proposal {
                let keys = |members: &[usize]| members.iter().map(|member| self.fixture.council[*member].pubkey()).collect::<Vec<_>>();
                assert_eq!((proposal.approvals, proposal.rejections), (keys(&expected.approvals), keys(&expected.rejections)), "votes on {id}");
            }
        }
        assert_eq!((config.mint_paused, config.redeem_paused, config.transfers_paused), (model.mint_paused, model.redeem_paused, model.transfers_paused));
        assert_eq!(self.fixture.ledger.mint_info(&mint).await.unwrap().paused, model.fully_paused(), "Token-2022 Pausable only under all");
        // 7. Escrow balance == open requests + excess
        let escrow = self.fixture.ledger.escrow_balance(&mint).await.unwrap();
        assert_eq!(escrow, model.open_requests() + model.escrow_excess, "invariant 7");
        assert_eq!(config.escrowed, model.open_requests());
        // 8. event_seq counts every event
        assert_eq!(config.event_seq, model.event_seq, "invariant 8");
    }
}

async fn run_sequence(steps: Vec<Step>) {
    let mut world = World::new().await;
    let mut model = Model { event_seq: world.fixture.config().await.event_seq, ..Model::default() };
    for (index, step) in steps.iter().enumerate() {
        let before = model.clone();
        let predicted = model.apply(step);
        let actual = world.run(step, &before).await;
        match (&predicted, &actual) {
            (Ok(events), Ok(emitted)) => assert_eq!(events, emitted, "step {index} {step:?}: event count"),
            (Err(expected), Err(name)) => {
                assert!(expected.split('|').any(|expected| expected == name), "step {index} {step:?}: wrong error: model {expected}, ledger {name}")
            }
            _ => panic!("step {index} {step:?}: model says {predicted:?}, ledger says {actual:?}"),
        }
        model.event_seq += setup_events(step, &before, predicted.is_err()) + predicted.unwrap_or(0);
        world.check(&model, &before, step).await;
    }
}

fn cases() -> u32 {
    std::env::var("USD1_PROPTEST_CASES").ok().and_then(|text| text.parse().ok()).unwrap_or(64)
}

fn steps() -> usize {
    std::env::var("USD1_PROPTEST_STEPS").ok().and_then(|text| text.parse().ok()).unwrap_or(40)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, max_shrink_iters: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_keep_every_invariant(steps in proptest::collection::vec(step(), 1..=steps())) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(run_sequence(steps));
    }
}

/// A fixed sequence through the trickiest interleavings, so the property's
/// machinery is exercised even with `USD1_PROPTEST_CASES=0`.
#[tokio::test]
async fn a_fixed_sequence_through_pauses_denylists_redemptions_and_seizures() {
    use Step::*;
    run_sequence(vec![
        RaiseAllowance { tokens: 100 },
        Mint { holder: 0, tokens: 40, reference: 1 },
        Transfer { from: 0, to: 4, percent: 25 },
        DelegateTransfer { from: 0, percent: 10 },
        EscrowDeposit { holder: 1, percent: 0 },
        Mint { holder: 1, tokens: 30, reference: 1 },
        RequestRedemption { holder: 0, percent: 50, reference: 2 },
        DenylistAdd(0),
        RejectRedemption { holder: 0, reference: 2 },
        Pause(PauseScope::Transfers),
        CompleteRedemption { holder: 0, reference: 2 },
        Unpause(PauseScope::All),
        DenylistRemove(0),
        RejectRedemption { holder: 0, reference: 2 },
        Transfer { from: 0, to: 3, percent: 25 },
        Burn { percent: 100 },
        Pause(PauseScope::Mint),
        Mint { holder: 2, tokens: 1, reference: 3 },
        DecreaseAllowance { tokens: 1_000 },
        Unpause(PauseScope::Mint),
        Mint { holder: 2, tokens: 1, reference: 3 },
        Warp { secs: 3_600 },
        CompleteRedemption { holder: 0, reference: 7 },
        // A hostile holder around the program, and the council's answer.
        EscrowDeposit { holder: 2, percent: 50 },
        TokenBurn { account: 2, percent: 10 },
        SweepEscrow { to: 1 },
        DenylistAdd(0),
        SetAccountOwner { side: 0, new_owner: 2 },
        DelegateTransfer { from: 3, percent: 50 },
        Seize { holder: 0, percent: 50, to: Some(1) },
        Seize { holder: 0, percent: 100, to: None },
        Seize { holder: 1, percent: 10, to: None },
        SetAccountOwner { side: 1, new_owner: 0 },
        Transfer { from: 5, to: 1, percent: 100 },
        Pause(PauseScope::All),
        TokenBurn { account: 1, percent: 50 },
        Unpause(PauseScope::Transfers),
        DenylistRemove(0),
        // Governance: a loosening the admin cannot make, vetoed by the council, then passed.
        Unpause(PauseScope::All),
        AdminSetCap { tokens: 30_000 },
        AdminSetCap { tokens: 5_000 },
        Propose { member: 1, choice: Choice::Cap { tokens: 20_000 } },
        Cancel { member: 0, slot: 4 },
        Vote { member: 0, slot: 4, approve: false },
        Vote { member: 2, slot: 4, approve: false },
        Execute { slot: 4 },
        Vote { member: 0, slot: 4, approve: true },
        Cancel { member: 2, slot: 4 },
        Propose { member: 2, choice: Choice::Cap { tokens: 20_000 } },
        Execute { slot: 5 },
        Vote { member: 2, slot: 5, approve: true },
        Vote { member: 1, slot: 5, approve: true },
        Execute { slot: 5 },
        // v3: a council member cannot be listed (CouncilRequired); a listed minter loses its power.
        DenylistAdd(PARTY_COUNCIL_MEMBER),
        Propose { member: 1, choice: Choice::Allowance { tokens: 5 } },
        Propose { member: 0, choice: Choice::Allowance { tokens: 5 } },
        Vote { member: 1, slot: 6, approve: true },
        Vote { member: 1, slot: 6, approve: false },
        DenylistAdd(PARTY_MINTER),
        Mint { holder: 2, tokens: 1, reference: 9 },
        DenylistRemove(PARTY_MINTER),
        Mint { holder: 2, tokens: 1, reference: 9 },
        // v3: two keys turn (onboarding), and council recovery of a role.
        Onboard(1),
        RequireOnboarding,
        Mint { holder: 2, tokens: 1, reference: 8 },
        Mint { holder: 1, tokens: 1, reference: 8 },
        DenylistAdd(2),
        Onboard(2),
        DenylistRemove(2),
        Onboard(2),
        Offboard(1),
        Mint { holder: 1, tokens: 1, reference: 7 },
        Propose { member: 0, choice: Choice::Attester { key: 1 } },
        Vote { member: 2, slot: 7, approve: true },
        Execute { slot: 7 },
        Propose { member: 1, choice: Choice::OnboardingOff },
        Vote { member: 0, slot: 8, approve: true },
        Execute { slot: 8 },
        Mint { holder: 1, tokens: 1, reference: 7 },
    ])
    .await;
}
