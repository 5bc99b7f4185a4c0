//! Test harness: a fresh embedded ledger with one USD1 deployment and named
//! identities, plus send-and-expect-ok / send-and-expect-error and event checks.
#![allow(dead_code)]

use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use usd1_client::{events::Usd1Event, instructions, transfer, Config, InitializeParams};
use usd1_ledger::{Executed, Ledger, DEFAULT_FUNDING_LAMPORTS};

pub const DECIMALS: u8 = 6;
pub const ONE_TOKEN: u64 = 1_000_000;
/// A `valid_until` no test reaches (the ledger's clock starts near the present).
pub const FAR_FUTURE: i64 = 4_102_444_800; // 2100-01-01

/// Everyone a deployment involves. `stranger` holds no role at all.
pub struct Fixture {
    pub ledger: Ledger,
    pub mint: Keypair,
    pub admin: Keypair,
    pub council: Vec<Keypair>,
    pub master_minter: Keypair,
    pub pauser: Keypair,
    pub denylister: Keypair,
    pub burner: Keypair,
    pub attester: Keypair,
    pub stranger: Keypair,
    /// Events of the `initialize` transaction.
    pub initialized: Vec<Usd1Event>,
    /// The minter `fund_holder` uses, created on first use.
    pub treasury_minter: Option<Keypair>,
    wire_counter: u64,
}

pub fn default_params(fixture_keys: &FixtureKeys) -> InitializeParams {
    InitializeParams {
        decimals: DECIMALS,
        name: "USD1".into(),
        symbol: "USD1".into(),
        uri: "https://example.com/usd1.json".into(),
        council: fixture_keys.council.clone(),
        threshold: 2,
        master_minter: fixture_keys.master_minter,
        pauser: fixture_keys.pauser,
        denylister: fixture_keys.denylister,
        burner: fixture_keys.burner,
        attester: fixture_keys.attester,
        supply_cap: None,
        timelock_secs: 0,
        proposal_ttl_secs: 7 * 24 * 3600,
        reserve_gate: false,
        attestation_max_age_secs: 24 * 3600,
        onboarder: None,
        onboarding_required: false,
    }
}

/// The public keys `default_params` needs.
pub struct FixtureKeys {
    pub council: Vec<Pubkey>,
    pub master_minter: Pubkey,
    pub pauser: Pubkey,
    pub denylister: Pubkey,
    pub burner: Pubkey,
    pub attester: Pubkey,
}

impl Fixture {
    /// A deployment with the default parameters.
    pub async fn new() -> Self {
        Self::with_params(|_| {}).await
    }

    /// A deployment whose parameters `adjust` may change before `initialize`.
    pub async fn with_params(adjust: impl FnOnce(&mut InitializeParams)) -> Self {
        let mut fixture = Self::uninitialized().await;
        let mut params = default_params(&fixture.keys());
        adjust(&mut params);
        let instruction = instructions::initialize(&fixture.admin.pubkey(), &fixture.mint.pubkey(), params);
        let executed = fixture
            .ledger
            .send(&[instruction], &[&fixture.admin, &fixture.mint])
            .await
            .unwrap_or_else(|failure| panic!("initialize failed: {failure}\n{:#?}", failure.logs()));
        fixture.initialized = executed.events;
        fixture
    }

    /// Funded identities on a fresh ledger, before `initialize`.
    pub async fn uninitialized() -> Self {
        let mut ledger = Ledger::start().await;
        // As the CLI sends them: on the .so, every instruction of every test runs under the
        // compute-unit limit the client publishes for it.
        ledger.set_compute_budget(true);
        let fixture = Fixture {
            ledger,
            mint: Keypair::new(),
            admin: Keypair::new(),
            council: (0..3).map(|_| Keypair::new()).collect(),
            master_minter: Keypair::new(),
            pauser: Keypair::new(),
            denylister: Keypair::new(),
            burner: Keypair::new(),
            attester: Keypair::new(),
            stranger: Keypair::new(),
            initialized: vec![],
            treasury_minter: None,
            wire_counter: 0,
        };
        let keys: Vec<Pubkey> = fixture.everyone().iter().map(|keypair| keypair.pubkey()).collect();
        let mut fixture = fixture;
        for key in keys {
            fixture.ledger.fund(&key, DEFAULT_FUNDING_LAMPORTS);
        }
        fixture
    }

    pub fn keys(&self) -> FixtureKeys {
        FixtureKeys {
            council: self.council.iter().map(Keypair::pubkey).collect(),
            master_minter: self.master_minter.pubkey(),
            pauser: self.pauser.pubkey(),
            denylister: self.denylister.pubkey(),
            burner: self.burner.pubkey(),
            attester: self.attester.pubkey(),
        }
    }

    pub fn mint_key(&self) -> Pubkey {
        self.mint.pubkey()
    }

    /// Every identity with a name, for "everyone else is refused" loops.
    /// (Owned copies, so a loop over them can still use the ledger mutably.)
    pub fn everyone(&self) -> Vec<Keypair> {
        let mut all = vec![&self.admin, &self.master_minter, &self.pauser, &self.denylister, &self.burner, &self.attester, &self.stranger];
        all.extend(self.council.iter());
        all.into_iter().map(Keypair::insecure_clone).collect()
    }

    /// Every identity except the given ones.
    pub fn everyone_except(&self, allowed: &[&Keypair]) -> Vec<Keypair> {
        self.everyone()
            .into_iter()
            .filter(|keypair| !allowed.iter().any(|other| other.pubkey() == keypair.pubkey()))
            .collect()
    }

    pub async fn config(&mut self) -> Config {
        let mint = self.mint_key();
        self.ledger.config(&mint).await.expect("config")
    }

    /// A new funded identity.
    pub fn new_identity(&mut self) -> Keypair {
        let keypair = Keypair::new();
        self.ledger.fund(&keypair.pubkey(), DEFAULT_FUNDING_LAMPORTS);
        keypair
    }

    /// Create `owner`'s associated token account for the mint.
    pub async fn create_token_account(&mut self, owner: &Pubkey) -> Pubkey {
        let payer = self.ledger.payer().pubkey();
        let mint = self.mint_key();
        let instruction = transfer::create_associated_token_account(&payer, owner, &mint);
        self.ledger.expect_ok(instruction, &[]).await;
        usd1_client::pda::associated_token_address(owner, &mint)
    }
}

/// Send-and-expect helpers on the ledger.
#[allow(async_fn_in_trait)]
pub trait Expect {
    /// Send one instruction; panic with the logs unless it succeeds; return its events.
    async fn expect_ok(&mut self, instruction: Instruction, signers: &[&Keypair]) -> Vec<Usd1Event>;
    /// Send one instruction; panic unless it fails with exactly `name`.
    async fn expect_error(&mut self, instruction: Instruction, signers: &[&Keypair], name: &str);
    /// Send several instructions in one transaction; panic unless it succeeds.
    async fn expect_ok_all(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> Executed;
}

impl Expect for Ledger {
    async fn expect_ok(&mut self, instruction: Instruction, signers: &[&Keypair]) -> Vec<Usd1Event> {
        self.expect_ok_all(&[instruction], signers).await.events
    }

    async fn expect_error(&mut self, instruction: Instruction, signers: &[&Keypair], name: &str) {
        match self.send(&[instruction], signers).await {
            Ok(executed) => panic!("expected {name}, but the transaction succeeded with events {:?}", executed.events),
            Err(failure) => assert_eq!(failure.name(), name, "wrong error: {failure}\nlogs: {:#?}", failure.logs()),
        }
    }

    async fn expect_ok_all(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> Executed {
        self.send(instructions, signers)
            .await
            .unwrap_or_else(|failure| panic!("expected success, got {failure}\nlogs: {:#?}", failure.logs()))
    }
}

/// The one event of a transaction, which must have the given name.
pub fn single_event<'a>(events: &'a [Usd1Event], name: &str) -> &'a Usd1Event {
    assert_eq!(events.len(), 1, "expected exactly one event, got {events:?}");
    assert_eq!(events[0].name(), name, "wrong event: {:?}", events[0]);
    &events[0]
}

/// Unwrap a specific event variant: `event!(events, Paused)`.
#[macro_export]
macro_rules! event {
    ($events:expr, $name:ident) => {
        match $crate::harness::single_event(&$events, stringify!($name)) {
            usd1_client::events::Usd1Event::$name(event) => event.clone(),
            _ => unreachable!(),
        }
    };
}

impl Fixture {
    /// Issue `amount` to `owner` through a real `mint` by the fixture's treasury minter
    /// (configured with a large allowance on first use); creates the token account.
    pub async fn fund_holder(&mut self, owner: &Pubkey, amount: u64) -> Pubkey {
        let address = self.create_token_account(owner).await;
        if self.treasury_minter.is_none() {
            let minter = self.new_minter(1_000_000_000 * ONE_TOKEN).await;
            self.treasury_minter = Some(minter);
        }
        let minter = self.treasury_minter.as_ref().map(Keypair::insecure_clone).expect("treasury minter");
        self.wire_counter += 1;
        let reference = format!("treasury-wire-{}", self.wire_counter);
        self.mint_ok(&minter, owner, amount, &reference).await;
        address
    }

    /// A holder-to-holder Token-2022 transfer through the hook.
    pub async fn transfer(&mut self, from: &Keypair, to: &Pubkey, amount: u64) -> Result<usd1_ledger::Executed, usd1_ledger::Failure> {
        let mint = self.mint_key();
        let instruction = transfer::transfer_checked(&mint, &from.pubkey(), to, amount, DECIMALS);
        self.ledger.send(&[instruction], &[from]).await
    }
}

/// Issuance helpers.
impl Fixture {
    /// The master minter configures `minter` (no rate limit).
    pub async fn configure_minter(&mut self, minter: &Pubkey) {
        let instruction = instructions::configure_minter(&self.master_minter.pubkey(), &self.mint_key(), minter, None);
        self.ledger.expect_ok(instruction, &[&self.master_minter]).await;
    }

    /// Council member `proposer_index` proposes `kind`; returns the proposal id.
    pub async fn propose(&mut self, proposer_index: usize, kind: usd1_client::ProposalKind) -> u64 {
        let id = self.config().await.next_proposal_id;
        let proposer = self.council[proposer_index].insecure_clone();
        let instruction = instructions::propose(&proposer.pubkey(), &self.mint_key(), id, kind);
        self.ledger.expect_ok(instruction, &[&proposer]).await;
        id
    }

    /// Set `minter`'s allowance through the council: c0 proposes, c1 approves, anyone executes.
    pub async fn grant_allowance(&mut self, minter: &Pubkey, amount: u64) {
        let id = self.propose(0, usd1_client::ProposalKind::SetAllowance { minter: *minter, amount }).await;
        let approver = self.council[1].insecure_clone();
        self.ledger.expect_ok(instructions::approve(&approver.pubkey(), &self.mint_key(), id), &[&approver]).await;
        let proposer = self.council[0].pubkey();
        let instruction = instructions::execute(&self.stranger.pubkey(), &self.mint_key(), id, &proposer, Some(minter));
        self.ledger.expect_ok(instruction, &[&self.stranger]).await;
    }

    /// A configured minter with `allowance`.
    pub async fn new_minter(&mut self, allowance: u64) -> Keypair {
        let minter = self.new_identity();
        self.configure_minter(&minter.pubkey()).await;
        if allowance > 0 {
            self.grant_allowance(&minter.pubkey(), allowance).await;
        }
        minter
    }

    /// The `mint` instruction from `minter` to `recipient` (whose token account must exist),
    /// valid for a year of ledger time (expiry has its own tests).
    pub fn mint_instruction(&self, minter: &Keypair, recipient: &Pubkey, amount: u64, reference: &str) -> Instruction {
        let reference_hash = usd1_client::reference_hash(reference);
        instructions::mint(&minter.pubkey(), &minter.pubkey(), &self.mint_key(), recipient, amount, reference_hash, FAR_FUTURE)
    }

    /// Mint and expect success; returns the events.
    pub async fn mint_ok(&mut self, minter: &Keypair, recipient: &Pubkey, amount: u64, reference: &str) -> Vec<Usd1Event> {
        let instruction = self.mint_instruction(minter, recipient, amount, reference);
        self.ledger.expect_ok(instruction, &[minter]).await
    }

    /// Mint and expect the error `name`.
    pub async fn mint_error(&mut self, minter: &Keypair, recipient: &Pubkey, amount: u64, reference: &str, name: &str) {
        let instruction = self.mint_instruction(minter, recipient, amount, reference);
        self.ledger.expect_error(instruction, &[minter], name).await;
    }

    /// SPEC invariants 1-4 that can be read from chain state: supply == minted - burned,
    /// and for each minter allowance + lifetime minted <= total granted.
    pub async fn assert_issuance_invariants(&mut self, minters: &[Pubkey]) {
        let mint = self.mint_key();
        let config = self.config().await;
        let supply = self.ledger.mint_info(&mint).await.unwrap().supply;
        assert_eq!(Some(supply), config.total_minted.checked_sub(config.total_burned), "invariant 1: supply == minted - burned");
        let mut lifetime_sum = 0u64;
        for minter in minters {
            let account = self.ledger.minter(&mint, minter).await.unwrap().expect("minter account");
            assert!(
                account.allowance.checked_add(account.lifetime_minted).unwrap() <= account.total_granted,
                "invariant 3: allowance + lifetime minted <= granted for {minter}: {account:?}"
            );
            lifetime_sum += account.lifetime_minted;
        }
        assert_eq!(lifetime_sum, config.total_minted, "every minted token is attributed to a minter");
    }
}

/// Redemption and compliance helpers.
impl Fixture {
    /// `holder` requests redemption of `amount` under `reference`.
    pub async fn request_redemption(&mut self, holder: &Keypair, amount: u64, reference: &str) -> Result<usd1_ledger::Executed, usd1_ledger::Failure> {
        let instruction = instructions::request_redemption(&holder.pubkey(), &self.mint_key(), amount, usd1_client::reference_hash(reference));
        self.ledger.send(&[instruction], &[holder]).await
    }

    /// The burner's `reject_redemption` of `holder`'s request `reference`, returning to the recorded token account.
    pub async fn reject_instruction(&mut self, holder: &Pubkey, reference: &str) -> Instruction {
        let mint = self.mint_key();
        let hash = usd1_client::reference_hash(reference);
        let request = self.ledger.redemption_request(&mint, holder, &hash).await.unwrap().expect("request exists");
        instructions::reject_redemption(&self.burner.pubkey(), &mint, &request.holder, hash, usd1_client::reference_hash("reason"))
    }

    /// The burner's `complete_redemption` of `holder`'s request `reference`.
    pub fn complete_instruction(&self, holder: &Pubkey, reference: &str) -> Instruction {
        let hash = usd1_client::reference_hash(reference);
        instructions::complete_redemption(&self.burner.pubkey(), &self.mint_key(), holder, hash, usd1_client::reference_hash("payout"))
    }

    /// The denylister denylists `wallet`, freezing its associated token account if it has one.
    pub async fn denylist(&mut self, wallet: &Pubkey) -> Vec<Usd1Event> {
        let accounts = self.existing_associated_account(wallet).await;
        self.denylist_with(wallet, &accounts).await
    }

    /// The denylister denylists `wallet`, freezing `accounts`.
    pub async fn denylist_with(&mut self, wallet: &Pubkey, accounts: &[Pubkey]) -> Vec<Usd1Event> {
        let instruction = instructions::denylist_add(&self.denylister.pubkey(), &self.mint_key(), wallet, [1; 32], accounts);
        self.ledger.expect_ok(instruction, &[&self.denylister]).await
    }

    /// The denylister lifts `wallet`'s denylisting, thawing `accounts`.
    pub async fn undenylist_with(&mut self, wallet: &Pubkey, accounts: &[Pubkey]) -> Vec<Usd1Event> {
        let instruction = instructions::denylist_remove(&self.denylister.pubkey(), &self.mint_key(), wallet, accounts);
        self.ledger.expect_ok(instruction, &[&self.denylister]).await
    }

    /// `wallet`'s associated token account, as a list of zero or one (whether it exists).
    pub async fn existing_associated_account(&mut self, wallet: &Pubkey) -> Vec<Pubkey> {
        let address = usd1_client::pda::associated_token_address(wallet, &self.mint_key());
        match self.ledger.account(&address).await.unwrap() {
            Some(_) => vec![address],
            None => vec![],
        }
    }

    /// A non-associated token account of the mint owned by `owner` (a fresh keypair's address).
    pub async fn create_named_token_account(&mut self, owner: &Pubkey) -> Pubkey {
        let account = Keypair::new();
        let payer = self.ledger.payer().pubkey();
        let lamports = self.ledger.rent_exempt_minimum(usd1_client::token::token_account_len()).await.unwrap();
        let instructions = usd1_client::token::create_token_account(&payer, &account.pubkey(), owner, &self.mint_key(), lamports);
        self.ledger.expect_ok_all(&instructions, &[&account]).await;
        account.pubkey()
    }

    /// A token account of the mint owned by `owner` WITHOUT ImmutableOwner: its owner can
    /// change, so the program never lets it receive tokens.
    pub async fn create_mutable_owner_token_account(&mut self, owner: &Pubkey) -> Pubkey {
        let account = Keypair::new();
        let payer = self.ledger.payer().pubkey();
        let lamports = self.ledger.rent_exempt_minimum(usd1_client::token::token_account_len_with(false)).await.unwrap();
        let instructions =
            usd1_client::token::create_token_account_with_mutable_owner(&payer, &account.pubkey(), owner, &self.mint_key(), lamports);
        self.ledger.expect_ok_all(&instructions, &[&account]).await;
        account.pubkey()
    }

    /// Whether the token account at `address` is frozen.
    pub async fn is_frozen(&mut self, address: &Pubkey) -> bool {
        self.ledger.token_account(address).await.unwrap().expect("token account exists").frozen
    }

    /// The balance of the token account at `address` (0 when it does not exist).
    pub async fn account_balance(&mut self, address: &Pubkey) -> u64 {
        self.ledger.token_account(address).await.unwrap().map(|account| account.amount).unwrap_or(0)
    }

    /// Propose `kind` (c0), approve (c1) and return the id, ready to execute.
    pub async fn approved_proposal(&mut self, kind: usd1_client::ProposalKind) -> u64 {
        let id = self.propose(0, kind).await;
        let approver = self.council[1].insecure_clone();
        self.ledger.expect_ok(instructions::approve(&approver.pubkey(), &self.mint_key(), id), &[&approver]).await;
        id
    }

    /// SPEC invariants 1 and 7 with no outside burns or deposits: supply == minted - burned,
    /// and the Escrow holds exactly the pending requests (`pending` is the test's own model).
    pub async fn assert_redemption_invariants(&mut self, pending: &[u64]) {
        let mint = self.mint_key();
        let config = self.config().await;
        let supply = self.ledger.mint_info(&mint).await.unwrap().supply;
        assert_eq!(Some(supply), config.total_minted.checked_sub(config.total_burned), "invariant 1");
        let escrow = self.ledger.escrow_balance(&mint).await.unwrap();
        let expected: u64 = pending.iter().sum();
        assert_eq!(escrow, expected, "invariant 7: escrow == sum of open requests");
        assert_eq!(config.escrowed, expected);
        assert_eq!(config.pending_redemptions, pending.len() as u64);
        // The hook is always on between instructions.
        assert_eq!(self.ledger.mint_info(&mint).await.unwrap().transfer_hook_program, Some(usd1_client::PROGRAM_ID));
    }
}

/// Adversarial helpers.
impl Fixture {
    /// A second USD1 deployment on the same ledger, with the same role keys and its
    /// own mint: the source of look-alike Configs, Minters, Escrows and token accounts.
    pub async fn deploy_another(&mut self) -> Keypair {
        let mint = Keypair::new();
        let params = default_params(&self.keys());
        let instruction = instructions::initialize(&self.admin.pubkey(), &mint.pubkey(), params);
        self.ledger.expect_ok(instruction, &[&self.admin, &mint]).await;
        mint
    }
}

/// Replace every occurrence of account `from` in an instruction with `to`.
pub fn substitute(mut instruction: Instruction, from: &Pubkey, to: &Pubkey) -> Instruction {
    for meta in instruction.accounts.iter_mut().filter(|meta| meta.pubkey == *from) {
        meta.pubkey = *to;
    }
    instruction
}
