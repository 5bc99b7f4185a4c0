//! The embedded ledger: an in-process bank (solana-program-test) running USD1 as
//! a native builtin beside the real Token-2022, associated-token-account and memo
//! programs that program-test bundles as BPF.
//!
//! Native execution has two consequences every user of this crate should know:
//! our program's `msg!`/`emit!` never reach the logs (events are read from the
//! `emit_cpi!` inner instructions of a simulation), and our own compute units are
//! not metered (only the BPF programs' are). With a built `usd1.so`
//! ([`ProgramBuild::Sbf`]: `USD1_PROGRAM_SO` or `USD1_SBF_OUT_DIR`) the program runs in
//! the SBF VM instead: metered, with SBF's stack and heap limits, logs in the transaction.
use solana_account::{Account, AccountSharedData};
use solana_clock::Clock;
use solana_hash::Hash;
use solana_instruction::{error::InstructionError, Instruction};
use solana_keypair::Keypair;
use solana_message::Message;
use solana_program_test::{processor, ProgramTest, ProgramTestContext};
use solana_pubkey::Pubkey;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use std::{collections::HashSet, path::PathBuf};
use usd1_client::{
    accounts::{
        decode_config, decode_denylist_entry, decode_mint, decode_mint_receipt, decode_minter, decode_proposal,
        decode_redemption_request, decode_token_account, MintInfo, TokenAccountInfo,
    },
    errors::{custom_error_name, failing_program_from_logs},
    events::{decode_inner_instructions, Usd1Event},
    pda, Config, DenylistEntry, MintReceipt, Minter, Proposal, RedemptionRequest,
};

mod builtin {
    //! The one place where the program-test shim meets Anchor's entrypoint.
    use anchor_lang::solana_program::{account_info::AccountInfo, entrypoint::ProgramResult};
    use solana_pubkey::Pubkey;

    /// Anchor's generated `entry` ties the slice and the `AccountInfo`s to one
    /// `'info` lifetime, which program-test's `ProcessInstruction` signature does
    /// not promise. The accounts live for the whole call, so unifying the two
    /// lifetimes for its duration is sound (and, unlike leaking, costs no memory
    /// per instruction).
    pub fn process_instruction(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
        let accounts: &[AccountInfo] = unsafe { std::mem::transmute(accounts) };
        usd1::entry(program_id, accounts, data)
    }
}

/// Lamports given to every identity the ledger funds.
pub const DEFAULT_FUNDING_LAMPORTS: u64 = 100_000_000_000;

/// One inner instruction, resolved against the transaction's account keys.
#[derive(Debug, Clone)]
pub struct InnerInstruction {
    pub program_id: Pubkey,
    pub data: Vec<u8>,
    pub stack_height: u8,
}

/// A transaction that succeeded.
#[derive(Debug, Clone)]
pub struct Executed {
    pub signature: Signature,
    pub events: Vec<Usd1Event>,
    pub logs: Vec<String>,
    /// Compute units consumed: of every program when the program runs as SBF; natively, of the
    /// BPF programs it invokes (Token-2022, ATA) only.
    pub units_consumed: u64,
    pub inner_instructions: Vec<Vec<InnerInstruction>>,
    /// The same inner instructions as the runtime reports them (account indexes included),
    /// per top-level instruction: what an RPC `getTransaction` meta carries.
    pub compiled_inner_instructions: Vec<Vec<solana_message::inner_instruction::InnerInstruction>>,
    /// Serialized transaction size in bytes (the wire limit is 1232).
    pub size_bytes: usize,
    /// Distinct accounts the transaction's message references.
    pub account_count: usize,
    /// Signatures the transaction carries.
    pub signature_count: usize,
    pub slot: u64,
}

/// A simulation's outcome as the runtime reports it.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub result: Result<(), TransactionError>,
    pub logs: Vec<String>,
    pub units_consumed: u64,
    pub inner_instructions: solana_message::inner_instruction::InnerInstructionsList,
}

/// Why a transaction did not execute.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Failure {
    /// A custom error: the SPEC name (`DuplicateReference`), `Token2022:<variant>` or `Anchor:<name>`.
    #[error("{name} (custom error {code} from {program:?}, instruction {instruction_index})")]
    Program { name: String, code: u32, program: Option<Pubkey>, instruction_index: u8, logs: Vec<String> },
    /// Any other runtime refusal (missing signature, reentrancy, account in use...).
    #[error("{name}")]
    Runtime { name: String, logs: Vec<String> },
    /// The transaction could not be signed with the keys given.
    #[error("signing failed: {0}")]
    Signing(String),
    /// The bank did not answer.
    #[error("ledger error: {0}")]
    Ledger(String),
}

impl Failure {
    /// The stable name to match on.
    pub fn name(&self) -> &str {
        match self {
            Failure::Program { name, .. } | Failure::Runtime { name, .. } => name,
            Failure::Signing(_) => "Signing",
            Failure::Ledger(_) => "Ledger",
        }
    }

    pub fn logs(&self) -> &[String] {
        match self {
            Failure::Program { logs, .. } | Failure::Runtime { logs, .. } => logs,
            _ => &[],
        }
    }

    /// Name a runtime `TransactionError`, attributing a custom error to the program that raised it (from `logs`).
    pub fn from_transaction_error(error: TransactionError, logs: Vec<String>) -> Self {
        match error {
            TransactionError::InstructionError(instruction_index, InstructionError::Custom(code)) => {
                let program = failing_program_from_logs(&logs);
                Failure::Program {
                    name: custom_error_name(program.as_ref(), code),
                    code,
                    program,
                    instruction_index,
                    logs,
                }
            }
            // A program that ran out of the transaction's compute-unit limit fails to complete;
            // the runtime's log says why, and the name says what to do about it.
            TransactionError::InstructionError(_, InstructionError::ProgramFailedToComplete)
                if logs.iter().any(|line| line.contains("exceeded CUs meter")) =>
            {
                Failure::Runtime { name: "ComputationalBudgetExceeded".into(), logs }
            }
            TransactionError::InstructionError(_, instruction_error) => {
                Failure::Runtime { name: format!("{instruction_error:?}"), logs }
            }
            other => Failure::Runtime { name: format!("{other:?}"), logs },
        }
    }
}

fn ledger_error(error: impl std::fmt::Display) -> Failure {
    Failure::Ledger(error.to_string())
}

/// A saved ledger's position: its slot and program-test's tick-hash counter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResumePoint {
    pub slot: u64,
    pub tick_counter: u64,
}

/// Take the next value of the counter program-test's ticks use for their hashes.
fn next_tick_counter() -> u64 {
    let bytes = Hash::new_unique().to_bytes();
    u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"))
}

/// Which build of the program the ledger runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgramBuild {
    /// The program compiled into this process, called natively by program-test: its own
    /// compute units are not metered and SBF's stack and heap limits do not apply.
    Native,
    /// A built shared object (`target/deploy/usd1.so`) run in the SBF VM through the BPF loader.
    Sbf(PathBuf),
}

impl ProgramBuild {
    /// What the environment asks for: `USD1_PROGRAM_SO` (a `.so` file), else `USD1_SBF_OUT_DIR`
    /// (a folder holding `usd1.so`, as `cargo build-sbf --sbf-out-dir` writes it), else native.
    pub fn from_env() -> ProgramBuild {
        if let Some(file) = std::env::var_os("USD1_PROGRAM_SO").filter(|value| !value.is_empty()) {
            return ProgramBuild::Sbf(PathBuf::from(file));
        }
        if let Some(directory) = std::env::var_os("USD1_SBF_OUT_DIR").filter(|value| !value.is_empty()) {
            return ProgramBuild::Sbf(PathBuf::from(directory).join("usd1.so"));
        }
        ProgramBuild::Native
    }

    /// Whether the program's own compute units are metered (only in the SBF VM).
    pub fn is_sbf(&self) -> bool {
        matches!(self, ProgramBuild::Sbf(_))
    }

    /// One line for people: which build runs, and for a `.so` its path and sha256.
    pub fn describe(&self) -> String {
        match self {
            ProgramBuild::Native => "native (compiled into this binary; its own compute units are not metered)".into(),
            ProgramBuild::Sbf(path) => match std::fs::read(path) {
                Ok(bytes) => format!("SBF {} (sha256 {}, {} bytes)", path.display(), sha256_hex(&bytes), bytes.len()),
                Err(error) => format!("SBF {} (unreadable: {error})", path.display()),
            },
        }
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The embedded ledger.
pub struct Ledger {
    context: ProgramTestContext,
    sent: HashSet<Signature>,
    program_build: ProgramBuild,
    compute_budget: bool,
}

impl Ledger {
    /// Start a fresh bank with USD1 and the bundled SPL programs; the program build is the
    /// environment's ([`ProgramBuild::from_env`]): native unless a `.so` is named.
    pub async fn start() -> Self {
        Self::try_start(ProgramBuild::from_env()).await.unwrap_or_else(|failure| panic!("{failure}"))
    }

    /// Start a fresh bank running `program_build`. A `.so` that cannot be read or is not an
    /// SBF ELF is refused here, by name, rather than failing every later transaction.
    pub async fn try_start(program_build: ProgramBuild) -> Result<Self, Failure> {
        // program-test installs a logger that prints every instruction at debug level
        // unless RUST_LOG says otherwise; keep the output readable by default.
        if std::env::var_os("RUST_LOG").is_none() {
            std::env::set_var("RUST_LOG", "error");
        }
        let mut program_test = ProgramTest::default();
        match &program_build {
            // The real usd1.so in the SBF VM: the program's own compute units are metered and
            // SBF's 4 KiB frames and 32 KiB heap apply. Loaded as program-test loads a program
            // found under SBF_OUT_DIR (BPF loader, executable account at the program id).
            ProgramBuild::Sbf(path) => {
                let elf = std::fs::read(path)
                    .map_err(|error| Failure::Ledger(format!("cannot read the program's .so {}: {error}", path.display())))?;
                if !elf.starts_with(b"\x7fELF") {
                    return Err(Failure::Ledger(format!("{} is not an ELF shared object (build it with scripts/build-sbf.sh)", path.display())));
                }
                program_test.add_account(
                    usd1::ID,
                    Account {
                        lamports: solana_rent::Rent::default().minimum_balance(elf.len()).max(1),
                        data: elf,
                        owner: solana_sdk_ids::bpf_loader::ID,
                        executable: true,
                        rent_epoch: 0,
                    },
                );
            }
            ProgramBuild::Native => {
                program_test.prefer_bpf(false);
                program_test.add_program("usd1", usd1::ID, processor!(builtin::process_instruction));
            }
        }
        let context = program_test.start_with_context().await;
        Ok(Ledger { context, sent: HashSet::new(), program_build, compute_budget: false })
    }

    /// Give every transaction this ledger signs the client's compute-unit limit
    /// ([`usd1_client::compute_budget::with_compute_budget`]), as the CLI does: on the `.so`, an
    /// instruction that outgrows its published limit then fails with `ComputationalBudgetExceeded`.
    pub fn set_compute_budget(&mut self, enabled: bool) {
        self.compute_budget = enabled;
    }

    /// Which build of the program this ledger runs.
    pub fn program_build(&self) -> &ProgramBuild {
        &self.program_build
    }

    /// The bank's current blockhash. Blockhashes expire after 150 slots, and
    /// program-test's slots pass in milliseconds, so this is asked for per transaction.
    pub async fn latest_blockhash(&mut self) -> Result<Hash, Failure> {
        self.context.banks_client.get_latest_blockhash().await.map_err(ledger_error)
    }

    /// Wait for a blockhash different from the current one (so an identical
    /// transaction can be sent again as a new one). Slots pass every few
    /// milliseconds in program-test; five seconds without one is an error.
    pub async fn refresh_blockhash(&mut self) -> Result<Hash, Failure> {
        let current = self.latest_blockhash().await?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while std::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            let next = self.latest_blockhash().await?;
            if next != current {
                return Ok(next);
            }
        }
        Err(ledger_error("the ledger produced no new blockhash in 5 s"))
    }

    /// The current slot.
    pub async fn slot(&mut self) -> Result<u64, Failure> {
        self.context.banks_client.get_root_slot().await.map_err(ledger_error)
    }

    /// Where this ledger is: saved with its accounts, so that a ledger restored in
    /// another process can continue after it (see [`Ledger::resume_after`]).
    pub async fn resume_point(&mut self) -> Result<ResumePoint, Failure> {
        Ok(ResumePoint { slot: self.slot().await?, tick_counter: next_tick_counter() })
    }

    /// Continue after a saved [`ResumePoint`]. Every fresh bank starts from the same
    /// genesis, and program-test's ticks take their hashes from a process-local
    /// counter, so each new process would otherwise replay the same blockhashes; a
    /// durable nonce stored by an earlier process would then look current. Moving the
    /// counter and the slot past the saved ones gives this process blockhashes of its own.
    pub async fn resume_after(&mut self, point: &ResumePoint) -> Result<(), Failure> {
        while next_tick_counter() <= point.tick_counter {}
        let slot = self.slot().await?.max(point.slot) + 1;
        self.context.warp_to_slot(slot).map_err(|error| ledger_error(format!("{error:?}")))?;
        self.refresh_blockhash().await?;
        Ok(())
    }

    /// The fee payer every transaction uses.
    pub fn payer(&self) -> &Keypair {
        &self.context.payer
    }

    /// Give `key` `lamports` as a plain system account.
    pub fn fund(&mut self, key: &Pubkey, lamports: u64) {
        let account = AccountSharedData::new(lamports, 0, &solana_sdk_ids::system_program::ID);
        self.context.set_account(key, &account);
    }

    /// Build and sign a transaction paid by the ledger's payer. Keys not needed by
    /// the message are ignored, so callers can pass a superset of signers.
    pub fn transaction(&self, instructions: &[Instruction], signers: &[&Keypair], blockhash: Hash) -> Result<Transaction, Failure> {
        let payer = &self.context.payer;
        let budgeted;
        let instructions = if self.compute_budget {
            budgeted = usd1_client::compute_budget::with_compute_budget(instructions, None);
            &budgeted[..]
        } else {
            instructions
        };
        let message = Message::new(instructions, Some(&payer.pubkey()));
        let required: Vec<Pubkey> = message.account_keys[..usize::from(message.header.num_required_signatures)].to_vec();
        let mut keys: Vec<&Keypair> = vec![payer];
        for signer in signers {
            let key = signer.pubkey();
            if required.contains(&key) && !keys.iter().any(|existing| existing.pubkey() == key) {
                keys.push(signer);
            }
        }
        let mut transaction = Transaction::new_unsigned(message);
        transaction.try_sign(&keys, blockhash).map_err(|error| Failure::Signing(error.to_string()))?;
        Ok(transaction)
    }

    /// Sign and execute, returning the decoded events; on failure, the error's stable name.
    pub async fn send(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> Result<Executed, Failure> {
        let blockhash = self.latest_blockhash().await?;
        let mut transaction = self.transaction(instructions, signers, blockhash)?;
        if self.sent.contains(&transaction.signatures[0]) {
            // The same instructions and signers under the same blockhash would be a duplicate.
            let blockhash = self.refresh_blockhash().await?;
            transaction = self.transaction(instructions, signers, blockhash)?;
        }
        self.send_transaction(transaction).await
    }

    /// Execute an already signed transaction (simulated first to collect events).
    pub async fn send_transaction(&mut self, transaction: Transaction) -> Result<Executed, Failure> {
        let mut executed = match self.simulate(&transaction).await {
            // A durable-nonce transaction carries the nonce's value, not a recent blockhash,
            // which simulation does not accept. Its events are read from a copy under the
            // current blockhash; the real transaction below is checked in full.
            Err(Failure::Runtime { name, .. }) if name == "BlockhashNotFound" => {
                let mut copy = transaction.clone();
                copy.message.recent_blockhash = self.latest_blockhash().await?;
                self.simulate(&copy).await?
            }
            other => other?,
        };
        executed.signature = transaction.signatures[0];
        self.sent.insert(transaction.signatures[0]);
        self.commit(transaction).await?;
        Ok(executed)
    }

    /// Commit a signed transaction. Straight to the bank: unlike `process_transaction`,
    /// this path accepts durable nonces.
    async fn commit(&mut self, transaction: Transaction) -> Result<(), Failure> {
        let processed = self
            .context
            .banks_client
            .process_transaction_with_metadata(transaction)
            .await
            .map_err(ledger_error)?;
        processed.result.map_err(|error| {
            Failure::from_transaction_error(error, processed.metadata.map(|metadata| metadata.log_messages).unwrap_or_default())
        })
    }

    /// Sign and commit without the simulation that collects events: for bulk runs
    /// (stress tests) where only the resulting state is checked.
    pub async fn send_unobserved(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> Result<(), Failure> {
        let blockhash = self.latest_blockhash().await?;
        let transaction = self.transaction(instructions, signers, blockhash)?;
        self.commit(transaction).await
    }

    /// Simulate without committing: the events it would emit, or why it would fail.
    pub async fn simulate(&mut self, transaction: &Transaction) -> Result<Executed, Failure> {
        let simulation = self
            .context
            .banks_client
            .simulate_transaction(transaction.clone())
            .await
            .map_err(ledger_error)?;
        let details = simulation
            .simulation_details
            .ok_or_else(|| Failure::Ledger("simulation returned no details".into()))?;
        match simulation.result {
            Some(Ok(())) => {}
            Some(Err(error)) => return Err(Failure::from_transaction_error(error, details.logs)),
            None => return Err(Failure::Ledger("simulation returned no result".into())),
        }
        let keys = &transaction.message.account_keys;
        let compiled_inner_instructions = details.inner_instructions.unwrap_or_default();
        let inner_instructions: Vec<Vec<InnerInstruction>> = compiled_inner_instructions
            .clone()
            .into_iter()
            .map(|list| {
                list.into_iter()
                    .map(|inner| InnerInstruction {
                        program_id: keys[usize::from(inner.instruction.program_id_index)],
                        data: inner.instruction.data,
                        stack_height: inner.stack_height,
                    })
                    .collect()
            })
            .collect();
        let events = decode_inner_instructions(
            inner_instructions.iter().flatten().map(|inner| (inner.program_id, inner.data.as_slice())),
        )
        .map_err(ledger_error)?;
        let slot = self.context.banks_client.get_root_slot().await.map_err(ledger_error)?;
        Ok(Executed {
            signature: transaction.signatures[0],
            events,
            logs: details.logs,
            units_consumed: details.units_consumed,
            inner_instructions,
            compiled_inner_instructions,
            size_bytes: bincode::serialize(transaction).map(|bytes| bytes.len()).unwrap_or(0),
            account_count: keys.len(),
            signature_count: transaction.signatures.len(),
            slot,
        })
    }

    /// The latest blockhash and the last block height at which it is valid.
    pub async fn latest_blockhash_with_height(&mut self) -> Result<(Hash, u64), Failure> {
        self.context
            .banks_client
            .get_latest_blockhash_with_commitment(solana_commitment_config::CommitmentLevel::Confirmed)
            .await
            .map_err(ledger_error)?
            .ok_or_else(|| Failure::Ledger("the bank has no blockhash".into()))
    }

    /// The current block height.
    pub async fn block_height(&mut self) -> Result<u64, Failure> {
        self.context.banks_client.get_root_block_height().await.map_err(ledger_error)
    }

    /// The fee the bank charges for `message`, or None when its blockhash is no longer valid.
    pub async fn fee_for_message(&mut self, message: Message) -> Result<Option<u64>, Failure> {
        self.context.banks_client.get_fee_for_message(message).await.map_err(ledger_error)
    }

    /// Commit a signed transaction as it is, without simulating it first: the runtime's own
    /// outcome (`Err` only when the bank could not be asked).
    pub async fn commit_raw(&mut self, transaction: Transaction) -> Result<Result<(), TransactionError>, Failure> {
        self.sent.insert(transaction.signatures[0]);
        let processed = self.context.banks_client.process_transaction_with_metadata(transaction).await.map_err(ledger_error)?;
        Ok(processed.result)
    }

    /// Simulate and return the runtime's outcome as it is (error, logs, units, inner
    /// instructions with their account indexes): what an RPC `simulateTransaction` reports.
    pub async fn simulate_details(&mut self, transaction: &Transaction) -> Result<Simulation, Failure> {
        let simulation = self.context.banks_client.simulate_transaction(transaction.clone()).await.map_err(ledger_error)?;
        let details = simulation.simulation_details.ok_or_else(|| Failure::Ledger("simulation returned no details".into()))?;
        Ok(Simulation {
            result: simulation.result.ok_or_else(|| Failure::Ledger("simulation returned no result".into()))?,
            logs: details.logs,
            units_consumed: details.units_consumed,
            inner_instructions: details.inner_instructions.unwrap_or_default(),
        })
    }

    /// The hash of the ledger's genesis configuration.
    pub fn genesis_hash(&self) -> Hash {
        self.context.genesis_config().hash()
    }

    /// Move the clock forward by `secs` seconds (timelocks, expiries, attestation age, rate limits).
    pub async fn warp_secs(&mut self, secs: i64) -> Result<Clock, Failure> {
        let mut clock: Clock = self.context.banks_client.get_sysvar().await.map_err(ledger_error)?;
        clock.unix_timestamp = clock.unix_timestamp.checked_add(secs).ok_or_else(|| ledger_error("clock overflow"))?;
        self.context.set_sysvar(&clock);
        Ok(clock)
    }

    pub async fn clock(&mut self) -> Result<Clock, Failure> {
        self.context.banks_client.get_sysvar().await.map_err(ledger_error)
    }

    pub async fn account(&mut self, key: &Pubkey) -> Result<Option<Account>, Failure> {
        self.context.banks_client.get_account(*key).await.map_err(ledger_error)
    }

    /// Overwrite an account (adversarial tests: forged state).
    pub fn set_account(&mut self, key: &Pubkey, account: &AccountSharedData) {
        self.context.set_account(key, account);
    }

    pub async fn rent_exempt_minimum(&mut self, data_len: usize) -> Result<u64, Failure> {
        let rent = self.context.banks_client.get_rent().await.map_err(ledger_error)?;
        Ok(rent.minimum_balance(data_len))
    }

    async fn require_account(&mut self, key: &Pubkey, what: &str) -> Result<Account, Failure> {
        self.account(key).await?.ok_or_else(|| Failure::Ledger(format!("{what} {key} does not exist")))
    }

    pub async fn config(&mut self, mint: &Pubkey) -> Result<Config, Failure> {
        let account = self.require_account(&pda::config_address(mint), "config").await?;
        decode_config(&account.data).map_err(ledger_error)
    }

    /// The Minter account of `minter` (None if it was never configured).
    pub async fn minter(&mut self, mint: &Pubkey, minter: &Pubkey) -> Result<Option<Minter>, Failure> {
        let address = pda::minter_address(&pda::config_address(mint), minter);
        self.decode_optional(&address, decode_minter).await
    }

    /// Proposal `id` (None once executed or cancelled, or if it never existed).
    pub async fn proposal(&mut self, mint: &Pubkey, id: u64) -> Result<Option<Proposal>, Failure> {
        let address = pda::proposal_address(&pda::config_address(mint), id);
        self.decode_optional(&address, decode_proposal).await
    }

    /// The receipt of a deposit reference (None if it was never minted).
    pub async fn mint_receipt(&mut self, mint: &Pubkey, reference_hash: &[u8; 32]) -> Result<Option<MintReceipt>, Failure> {
        let address = pda::receipt_address(&pda::config_address(mint), reference_hash);
        self.decode_optional(&address, decode_mint_receipt).await
    }

    /// The redemption request of a reference (None if it was never requested).
    pub async fn redemption_request(&mut self, mint: &Pubkey, holder: &Pubkey, reference_hash: &[u8; 32]) -> Result<Option<RedemptionRequest>, Failure> {
        let address = pda::redemption_address(&pda::config_address(mint), holder, reference_hash);
        self.decode_optional(&address, decode_redemption_request).await
    }

    /// The denylist entry of `wallet` (None when it is not denylisted).
    pub async fn denylist_entry(&mut self, mint: &Pubkey, wallet: &Pubkey) -> Result<Option<DenylistEntry>, Failure> {
        let address = pda::denylist_address(&pda::config_address(mint), wallet);
        self.decode_optional(&address, decode_denylist_entry).await
    }

    /// The Escrow's balance.
    pub async fn escrow_balance(&mut self, mint: &Pubkey) -> Result<u64, Failure> {
        let address = pda::escrow_address(&pda::config_address(mint));
        Ok(self.token_account(&address).await?.map(|account| account.amount).unwrap_or(0))
    }

    async fn decode_optional<T, E: std::fmt::Display>(
        &mut self,
        address: &Pubkey,
        decode: impl Fn(&[u8]) -> Result<T, E>,
    ) -> Result<Option<T>, Failure> {
        match self.account(address).await? {
            Some(account) if !account.data.is_empty() => decode(&account.data).map(Some).map_err(ledger_error),
            _ => Ok(None),
        }
    }

    pub async fn mint_info(&mut self, mint: &Pubkey) -> Result<MintInfo, Failure> {
        let account = self.require_account(mint, "mint").await?;
        decode_mint(&account.data).map_err(ledger_error)
    }

    pub async fn token_account(&mut self, key: &Pubkey) -> Result<Option<TokenAccountInfo>, Failure> {
        match self.account(key).await? {
            Some(account) => decode_token_account(&account.data).map(Some).map_err(ledger_error),
            None => Ok(None),
        }
    }

    /// `owner`'s balance in its associated token account (0 when it has none).
    pub async fn balance(&mut self, owner: &Pubkey, mint: &Pubkey) -> Result<u64, Failure> {
        let address = pda::associated_token_address(owner, mint);
        Ok(self.token_account(&address).await?.map(|account| account.amount).unwrap_or(0))
    }
}
