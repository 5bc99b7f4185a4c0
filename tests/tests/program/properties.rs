//! Property tests: random sequences of operations, legal and illegal, run on the
//! embedded ledger beside a plain Rust model of what should happen. Every step's
//! outcome (success, or the exact error) must match the model's prediction, and
//! every SPEC section 7 invariant is checked after every step.
//!
//! `USD1_PROPTEST_CASES` (default 64) and `USD1_PROPTEST_STEPS` (default 40) set
//! the size. A failure is shrunk to a minimal sequence.
use crate::harness::*;
use proptest::prelude::*;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::BTreeMap;
use usd1_client::{instructions, pda, reference_hash, PauseScope, RedemptionStatus};

const HOLDERS: usize = 4; // alice, bob, carol, and the burner (who can hold tokens too)
const BURNER: usize = 3;

#[derive(Debug, Clone)]
enum Step {
    Mint { holder: usize, tokens: u64, reference: u8 },
    Transfer { from: usize, to: usize, percent: u64 },
    RequestRedemption { holder: usize, percent: u64, reference: u8 },
    CompleteRedemption { reference: u8 },
    RejectRedemption { reference: u8 },
    Burn { percent: u64 },
    Pause(PauseScope),
    Unpause(PauseScope),
    DenylistAdd(usize),
    DenylistRemove(usize),
    RaiseAllowance { tokens: u64 },
    DecreaseAllowance { tokens: u64 },
    Warp { secs: i64 },
}

fn scope() -> impl Strategy<Value = PauseScope> {
    prop_oneof![Just(PauseScope::Mint), Just(PauseScope::Redeem), Just(PauseScope::Transfers), Just(PauseScope::All)]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..HOLDERS, 1u64..=60, 0u8..10).prop_map(|(holder, tokens, reference)| Step::Mint { holder, tokens, reference }),
        4 => (0..HOLDERS, 0..HOLDERS, 0u64..=100).prop_map(|(from, to, percent)| Step::Transfer { from, to, percent }),
        4 => (0..HOLDERS, 0u64..=100, 0u8..8).prop_map(|(holder, percent, reference)| Step::RequestRedemption { holder, percent, reference }),
        2 => (0u8..8).prop_map(|reference| Step::CompleteRedemption { reference }),
        2 => (0u8..8).prop_map(|reference| Step::RejectRedemption { reference }),
        1 => (0u64..=100).prop_map(|percent| Step::Burn { percent }),
        2 => scope().prop_map(Step::Pause),
        3 => scope().prop_map(Step::Unpause),
        1 => (0..HOLDERS).prop_map(Step::DenylistAdd),
        2 => (0..HOLDERS).prop_map(Step::DenylistRemove),
        1 => (1u64..=200).prop_map(|tokens| Step::RaiseAllowance { tokens }),
        1 => (1u64..=100).prop_map(|tokens| Step::DecreaseAllowance { tokens }),
        1 => (1i64..=100_000).prop_map(|secs| Step::Warp { secs }),
    ]
}

/// What the chain should hold.
#[derive(Debug, Default, Clone)]
struct Model {
    balances: [u64; HOLDERS],
    total_minted: u64,
    total_burned: u64,
    allowance: u64,
    granted: u64,
    lifetime_minted: u64,
    mint_references: BTreeMap<u8, u64>,
    requests: BTreeMap<u8, (usize, u64, RedemptionStatus)>,
    denylisted: [bool; HOLDERS],
    mint_paused: bool,
    redeem_paused: bool,
    transfers_paused: bool,
    event_seq: u64,
}

impl Model {
    fn supply(&self) -> u64 {
        self.total_minted - self.total_burned
    }

    fn escrow(&self) -> u64 {
        self.requests.values().filter(|(_, _, status)| *status == RedemptionStatus::Pending).map(|(_, amount, _)| amount).sum()
    }

    fn set_paused(&mut self, scope: PauseScope, paused: bool) {
        match scope {
            PauseScope::Mint => self.mint_paused = paused,
            PauseScope::Redeem => self.redeem_paused = paused,
            PauseScope::Transfers => self.transfers_paused = paused,
            PauseScope::All => (self.mint_paused, self.redeem_paused, self.transfers_paused) = (paused, paused, paused),
        }
    }

    /// Predict a step: Ok(number of events) after applying it, or the exact error (state unchanged).
    fn apply(&mut self, step: &Step) -> Result<u64, &'static str> {
        match *step {
            Step::Mint { holder, tokens, reference } => {
                let amount = tokens * ONE_TOKEN;
                if self.mint_paused {
                    return Err("MintingPaused");
                }
                if amount > self.allowance {
                    return Err("AllowanceExceeded");
                }
                if self.denylisted[holder] {
                    return Err("Denylisted");
                }
                if self.mint_references.contains_key(&reference) {
                    return Err("DuplicateReference");
                }
                if self.transfers_paused {
                    return Err("Token2022:MintPaused");
                }
                self.allowance -= amount;
                self.lifetime_minted += amount;
                self.total_minted += amount;
                self.balances[holder] += amount;
                self.mint_references.insert(reference, amount);
                Ok(1)
            }
            Step::Transfer { from, to, percent } => {
                let amount = self.balances[from] * percent / 100;
                if self.transfers_paused {
                    return Err("Token2022:MintPaused");
                }
                // Token-2022 completes a self-transfer without calling the hook: nothing
                // moves, so no token reaches or leaves a denylisted owner (invariant 6 holds).
                if from != to && (self.denylisted[from] || self.denylisted[to]) {
                    return Err("Denylisted");
                }
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
                if self.requests.contains_key(&reference) {
                    return Err("DuplicateReference");
                }
                if self.transfers_paused {
                    return Err("Token2022:MintPaused");
                }
                self.balances[holder] -= amount;
                self.requests.insert(reference, (holder, amount, RedemptionStatus::Pending));
                Ok(1)
            }
            Step::CompleteRedemption { reference } => {
                let Some((_, amount, status)) = self.requests.get(&reference).copied() else { return Err("Anchor:AccountNotInitialized") };
                if self.redeem_paused {
                    return Err("RedemptionsPaused");
                }
                if status != RedemptionStatus::Pending {
                    return Err("RedemptionNotPending");
                }
                if self.transfers_paused {
                    return Err("Token2022:MintPaused");
                }
                self.total_burned += amount;
                self.requests.get_mut(&reference).expect("present").2 = RedemptionStatus::Completed;
                Ok(1)
            }
            Step::RejectRedemption { reference } => {
                let Some((holder, amount, status)) = self.requests.get(&reference).copied() else { return Err("Anchor:AccountNotInitialized") };
                if self.redeem_paused {
                    return Err("RedemptionsPaused");
                }
                if status != RedemptionStatus::Pending {
                    return Err("RedemptionNotPending");
                }
                if self.denylisted[holder] {
                    return Err("Denylisted");
                }
                if self.transfers_paused {
                    return Err("Token2022:MintPaused");
                }
                self.balances[holder] += amount;
                self.requests.get_mut(&reference).expect("present").2 = RedemptionStatus::Rejected;
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
                if self.transfers_paused {
                    return Err("Token2022:MintPaused");
                }
                self.balances[BURNER] -= amount;
                self.total_burned += amount;
                Ok(1)
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
                if self.denylisted[holder] {
                    return Err("Denylisted");
                }
                self.denylisted[holder] = true;
                Ok(1)
            }
            Step::DenylistRemove(holder) => {
                if !self.denylisted[holder] {
                    return Err("NotDenylisted");
                }
                self.denylisted[holder] = false;
                Ok(1)
            }
            Step::RaiseAllowance { tokens } => {
                self.allowance += tokens * ONE_TOKEN;
                self.granted += tokens * ONE_TOKEN;
                Ok(3)
            }
            Step::DecreaseAllowance { tokens } => {
                self.allowance = self.allowance.saturating_sub(tokens * ONE_TOKEN);
                Ok(1)
            }
            Step::Warp { .. } => Ok(0),
        }
    }
}

struct World {
    fixture: Fixture,
    minter: Keypair,
    holders: Vec<Keypair>,
}

impl World {
    async fn new() -> World {
        let mut fixture = Fixture::new().await;
        let minter = fixture.new_minter(0).await;
        let mut holders: Vec<Keypair> = (0..BURNER).map(|_| fixture.new_identity()).collect();
        holders.push(fixture.burner.insecure_clone());
        for holder in &holders {
            fixture.create_token_account(&holder.pubkey()).await;
        }
        World { fixture, minter, holders }
    }

    /// Run a step on the ledger: Ok(events emitted) or the error name.
    async fn run(&mut self, step: &Step, model_before: &Model) -> Result<u64, String> {
        let fixture = &mut self.fixture;
        let mint = fixture.mint_key();
        let key = |index: usize| self.holders[index].pubkey();
        let (instruction, signer): (solana_instruction::Instruction, Keypair) = match *step {
            Step::Mint { holder, tokens, reference } => {
                (fixture.mint_instruction(&self.minter, &key(holder), tokens * ONE_TOKEN, &format!("wire-{reference}")), self.minter.insecure_clone())
            }
            Step::Transfer { from, to, percent } => {
                let amount = model_before.balances[from] * percent / 100;
                (usd1_client::transfer::transfer_checked(&mint, &key(from), &key(to), amount, DECIMALS), self.holders[from].insecure_clone())
            }
            Step::RequestRedemption { holder, percent, reference } => {
                let amount = model_before.balances[holder] * percent / 100;
                let hash = reference_hash(&format!("ticket-{reference}"));
                (instructions::request_redemption(&key(holder), &mint, amount, hash), self.holders[holder].insecure_clone())
            }
            Step::CompleteRedemption { reference } => (fixture.complete_instruction(&format!("ticket-{reference}")), fixture.burner.insecure_clone()),
            Step::RejectRedemption { reference } => {
                let hash = reference_hash(&format!("ticket-{reference}"));
                let (holder, holder_token) = match fixture.ledger.redemption_request(&mint, &hash).await.unwrap() {
                    Some(request) => (request.holder, request.holder_token),
                    None => (key(0), pda::associated_token_address(&key(0), &mint)),
                };
                let burner = fixture.burner.insecure_clone();
                (instructions::reject_redemption(&burner.pubkey(), &mint, &holder, &holder_token, hash, [0; 32]), burner)
            }
            Step::Burn { percent } => {
                let amount = model_before.balances[BURNER] * percent / 100;
                (instructions::burn(&fixture.burner.pubkey(), &mint, amount), fixture.burner.insecure_clone())
            }
            Step::Pause(scope) => (instructions::pause(&fixture.pauser.pubkey(), &mint, scope), fixture.pauser.insecure_clone()),
            Step::Unpause(scope) => (instructions::unpause(&fixture.pauser.pubkey(), &mint, scope), fixture.pauser.insecure_clone()),
            Step::DenylistAdd(holder) => {
                (instructions::denylist_add(&fixture.denylister.pubkey(), &mint, &key(holder), [0; 32], &[pda::associated_token_address(&key(holder), &mint)]), fixture.denylister.insecure_clone())
            }
            Step::DenylistRemove(holder) => {
                (instructions::denylist_remove(&fixture.denylister.pubkey(), &mint, &key(holder), &[pda::associated_token_address(&key(holder), &mint)]), fixture.denylister.insecure_clone())
            }
            Step::RaiseAllowance { tokens } => {
                let current = fixture.ledger.minter(&mint, &self.minter.pubkey()).await.unwrap().unwrap().allowance;
                fixture.grant_allowance(&self.minter.pubkey(), current + tokens * ONE_TOKEN).await;
                return Ok(3);
            }
            Step::DecreaseAllowance { tokens } => (
                instructions::decrease_allowance(&fixture.master_minter.pubkey(), &mint, &self.minter.pubkey(), tokens * ONE_TOKEN),
                fixture.master_minter.insecure_clone(),
            ),
            Step::Warp { secs } => {
                fixture.ledger.warp_secs(secs).await.unwrap();
                return Ok(0);
            }
        };
        match fixture.ledger.send(&[instruction], &[&signer]).await {
            Ok(executed) => {
                // Invariant 8: the step's events carry consecutive seqs.
                for (offset, event) in executed.events.iter().enumerate() {
                    assert_eq!(event.seq(), model_before.event_seq + 1 + offset as u64, "event seq out of order");
                }
                Ok(executed.events.len() as u64)
            }
            Err(failure) => Err(failure.name().to_string()),
        }
    }

    /// SPEC section 7, every invariant, against the model and the chain.
    async fn check(&mut self, model: &Model) {
        let fixture = &mut self.fixture;
        let mint = fixture.mint_key();
        let config = fixture.config().await;
        let supply = fixture.ledger.mint_info(&mint).await.unwrap().supply;
        // 1. supply == minted - burned
        assert_eq!(supply, config.total_minted - config.total_burned, "invariant 1");
        assert_eq!((config.total_minted, config.total_burned, supply), (model.total_minted, model.total_burned, model.supply()));
        // 2. each reference minted at most once; each redemption processed at most once
        for reference in 0u8..10 {
            let receipt = fixture.ledger.mint_receipt(&mint, &reference_hash(&format!("wire-{reference}"))).await.unwrap();
            assert_eq!(receipt.map(|receipt| receipt.amount), model.mint_references.get(&reference).copied(), "invariant 2 (mint {reference})");
        }
        for reference in 0u8..8 {
            let request = fixture.ledger.redemption_request(&mint, &reference_hash(&format!("ticket-{reference}"))).await.unwrap();
            assert_eq!(
                request.map(|request| (request.amount, request.status)),
                model.requests.get(&reference).map(|(_, amount, status)| (*amount, *status)),
                "invariant 2 (redemption {reference})"
            );
        }
        // 3. lifetime minted <= granted; allowance never underflows (it is what the model says)
        let minter = fixture.ledger.minter(&mint, &self.minter.pubkey()).await.unwrap().unwrap();
        assert!(minter.lifetime_minted <= minter.total_granted && minter.allowance + minter.lifetime_minted <= minter.total_granted, "invariant 3");
        assert_eq!((minter.allowance, minter.lifetime_minted), (model.allowance, model.lifetime_minted));
        // 4. allowance rises only through executed proposals: granted is exactly what the council executed
        assert_eq!(minter.total_granted, model.granted, "invariant 4");
        // 5 and 6: nothing moved that the model did not move (paused scopes, denylisted owners)
        for (index, holder) in self.holders.iter().enumerate() {
            assert_eq!(fixture.ledger.balance(&holder.pubkey(), &mint).await.unwrap(), model.balances[index], "invariants 5/6: balance of holder {index}");
        }
        assert_eq!((config.mint_paused, config.redeem_paused, config.transfers_paused), (model.mint_paused, model.redeem_paused, model.transfers_paused));
        // 7. escrow == open requests
        assert_eq!(fixture.ledger.escrow_balance(&mint).await.unwrap(), model.escrow(), "invariant 7");
        assert_eq!(config.escrowed, model.escrow());
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
            (Err(expected), Err(name)) => assert_eq!(expected, name, "step {index} {step:?}: wrong error"),
            _ => panic!("step {index} {step:?}: model says {predicted:?}, ledger says {actual:?}"),
        }
        if let Ok(events) = predicted {
            model.event_seq += events;
        }
        world.check(&model).await;
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
async fn a_fixed_sequence_through_pauses_denylists_and_redemptions() {
    use Step::*;
    run_sequence(vec![
        RaiseAllowance { tokens: 100 },
        Mint { holder: 0, tokens: 40, reference: 1 },
        Mint { holder: 1, tokens: 30, reference: 1 },
        RequestRedemption { holder: 0, percent: 50, reference: 2 },
        DenylistAdd(0),
        RejectRedemption { reference: 2 },
        Pause(PauseScope::Transfers),
        CompleteRedemption { reference: 2 },
        Unpause(PauseScope::All),
        DenylistRemove(0),
        RejectRedemption { reference: 2 },
        Transfer { from: 0, to: 3, percent: 25 },
        Burn { percent: 100 },
        Pause(PauseScope::Mint),
        Mint { holder: 2, tokens: 1, reference: 3 },
        DecreaseAllowance { tokens: 1_000 },
        Unpause(PauseScope::Mint),
        Mint { holder: 2, tokens: 1, reference: 3 },
        Warp { secs: 3_600 },
        CompleteRedemption { reference: 7 },
    ])
    .await;
}
