//! Transaction costs of every USD1 operation beside the bare alternatives, written
//! into BENCHMARKS.md between the `costs` markers.
//!
//!     cargo run -p usd1-tests --example benchmarks
//!
//! Runs every operation twice on the same keys: natively, where the program is not
//! metered (the figure counts the BPF programs it invokes: Token-2022, ATA, system), and on
//! the built `usd1.so` (`target/deploy/usd1.so`, or `USD1_PROGRAM_SO` / `USD1_SBF_OUT_DIR`),
//! where it is. The difference is the program's own compute units.
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_program_pack::Pack;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use std::collections::HashSet;
use usd1_client::{
    instructions::{self, ExecuteAccounts, SeizureAccounts},
    pda, reference_hash,
    transfer::{self, TransferEnd},
    InitializeParams, PauseScope, ProposalKind, Role, SeizureDestination, UpdateConfigParams,
};
use usd1_ledger::{Ledger, ProgramBuild, DEFAULT_FUNDING_LAMPORTS};

const ONE: u64 = 1_000_000;

struct Row {
    operation: String,
    bytes: usize,
    accounts: usize,
    signatures: usize,
    rent: u64,
    units: u64,
}

struct Bench {
    ledger: Ledger,
    rows: Vec<Row>,
    /// Keys come from fixed seeds, so the table is the same on every run: Token-2022's
    /// PDA bump searches (for the hook's account list) cost a key-dependent number of
    /// units. `--example hook_costs` shows the spread over many keys.
    next_seed: u8,
}

fn seeded(seed: u8) -> Keypair {
    let mut secret = [0u8; 32];
    secret[..3].copy_from_slice(&[0x62, 0x65, seed]);
    Keypair::new_from_array(secret)
}

impl Bench {
    async fn measure(&mut self, operation: &str, instructions: &[Instruction], signers: &[&Keypair]) {
        let keys: HashSet<Pubkey> = instructions.iter().flat_map(|instruction| instruction.accounts.iter().map(|meta| meta.pubkey)).collect();
        let mut absent = Vec::new();
        for key in &keys {
            if self.ledger.account(key).await.unwrap().is_none() {
                absent.push(*key);
            }
        }
        let executed = self.ledger.send(instructions, signers).await.unwrap_or_else(|failure| panic!("{operation}: {failure}"));
        let mut rent = 0;
        for key in absent {
            rent += self.ledger.account(&key).await.unwrap().map(|account| account.lamports).unwrap_or(0);
        }
        self.rows.push(Row {
            operation: operation.to_string(),
            bytes: executed.size_bytes,
            accounts: executed.account_count,
            signatures: executed.signature_count,
            rent,
            units: executed.units_consumed,
        });
    }

    fn next_keypair(&mut self) -> Keypair {
        self.next_seed += 1;
        seeded(self.next_seed)
    }

    fn funded(&mut self) -> Keypair {
        let keypair = self.next_keypair();
        self.ledger.fund(&keypair.pubkey(), DEFAULT_FUNDING_LAMPORTS);
        keypair
    }
}

/// The whole sequence on one ledger running `build`; rows in the table's order (ours, then the bare ones).
async fn measure_all(build: ProgramBuild) -> (Vec<Row>, usize) {
    let mut bench = Bench { ledger: Ledger::try_start(build).await.expect("start the ledger"), rows: vec![], next_seed: 100 };
    let [admin, c0, c1, c2, master, pauser, denylister, burner, attester, minter, alice, bob] = std::array::from_fn(|index| seeded(index as u8));
    for key in [&admin, &c0, &c1, &c2, &master, &pauser, &denylister, &burner, &attester, &minter, &alice, &bob] {
        bench.ledger.fund(&key.pubkey(), DEFAULT_FUNDING_LAMPORTS);
    }
    let mint_keypair = seeded(50);
    let mint = mint_keypair.pubkey();
    let params = InitializeParams {
        decimals: 6,
        name: "USD1".into(),
        symbol: "USD1".into(),
        uri: "https://example.com/usd1.json".into(),
        council: vec![c0.pubkey(), c1.pubkey(), c2.pubkey()],
        threshold: 2,
        master_minter: master.pubkey(),
        pauser: pauser.pubkey(),
        denylister: denylister.pubkey(),
        burner: burner.pubkey(),
        attester: attester.pubkey(),
        supply_cap: None,
        timelock_secs: 0,
        proposal_ttl_secs: 7 * 86_400,
        reserve_gate: false,
        attestation_max_age_secs: 86_400,
        onboarder: None,
        onboarding_required: false,
    };
    bench.measure("initialize (mint + 6 extensions, Config, Escrow, hook list)", &[instructions::initialize(&admin.pubkey(), &mint, params)], &[&admin, &mint_keypair]).await;
    bench.measure("configure_minter", &[instructions::configure_minter(&master.pubkey(), &mint, &minter.pubkey(), None)], &[&master]).await;
    let kind = ProposalKind::SetAllowance { minter: minter.pubkey(), amount: 1_000_000 * ONE };
    bench.measure("propose (set_allowance)", &[instructions::propose(&c0.pubkey(), &mint, 0, kind)], &[&c0]).await;
    bench.measure("approve", &[instructions::approve(&c1.pubkey(), &mint, 0)], &[&c1]).await;
    bench.measure("execute (closes the proposal)", &[instructions::execute(&c2.pubkey(), &mint, 0, &c0.pubkey(), Some(&minter.pubkey()))], &[&c2]).await;
    for holder in [&alice, &bob, &burner] {
        let payer = bench.ledger.payer().pubkey();
        bench.ledger.send(&[transfer::create_associated_token_account(&payer, &holder.pubkey(), &mint)], &[]).await.unwrap();
    }
    let mint_instruction = instructions::mint(&minter.pubkey(), &minter.pubkey(), &mint, &alice.pubkey(), 100 * ONE, reference_hash("wire-1"), i64::MAX);
    bench.measure("mint (+ compute budget instruction; creates the receipt)", &[instructions::compute_unit_limit(100_000), mint_instruction], &[&minter]).await;
    bench.measure("onboard (creates the Onboarded account)", &[instructions::onboard(&denylister.pubkey(), &mint, &alice.pubkey(), [4; 32])], &[&denylister]).await;
    let required = UpdateConfigParams { onboarding_required: Some(true), ..Default::default() };
    bench.ledger.send(&[instructions::update_config(&admin.pubkey(), &mint, required)], &[&admin]).await.unwrap();
    let onboarded_mint = instructions::mint(&minter.pubkey(), &minter.pubkey(), &mint, &alice.pubkey(), 100 * ONE, reference_hash("wire-2"), i64::MAX);
    bench.measure("mint with onboarding required (+ compute budget instruction)", &[instructions::compute_unit_limit(100_000), onboarded_mint], &[&minter]).await;
    bench.measure("transfer through the hook", &[transfer::transfer_checked(&mint, &alice.pubkey(), &bob.pubkey(), 10 * ONE, 6)], &[&alice]).await;
    bench.measure("request_redemption (escrow transfer; creates the request)", &[instructions::request_redemption(&alice.pubkey(), &mint, 5 * ONE, reference_hash("t1"))], &[&alice]).await;
    bench.measure("complete_redemption (burn from escrow)", &[instructions::complete_redemption(&burner.pubkey(), &mint, &alice.pubkey(), reference_hash("t1"), [0; 32])], &[&burner]).await;
    bench.ledger.send(&[instructions::request_redemption(&alice.pubkey(), &mint, 5 * ONE, reference_hash("t2"))], &[&alice]).await.unwrap();
    let alice_token = pda::associated_token_address(&alice.pubkey(), &mint);
    bench.measure("reject_redemption (escrow burn, mint back)", &[instructions::reject_redemption(&burner.pubkey(), &mint, &alice.pubkey(), reference_hash("t2"), [0; 32])], &[&burner]).await;
    bench.ledger.send(&[transfer::transfer_checked(&mint, &alice.pubkey(), &burner.pubkey(), 5 * ONE, 6)], &[&alice]).await.unwrap();
    bench.measure("burn", &[instructions::burn(&burner.pubkey(), &mint, 5 * ONE)], &[&burner]).await;
    let wallet = Pubkey::new_unique();
    bench.measure("denylist_add (creates the entry; no token account)", &[instructions::denylist_add(&denylister.pubkey(), &mint, &wallet, [1; 32], &[])], &[&denylister]).await;
    bench.measure("denylist_remove (closes it)", &[instructions::denylist_remove(&denylister.pubkey(), &mint, &wallet, &[])], &[&denylister]).await;
    let bob_token = pda::associated_token_address(&bob.pubkey(), &mint);
    bench.measure("denylist_add (freezes one token account)", &[instructions::denylist_add(&denylister.pubkey(), &mint, &bob.pubkey(), [1; 32], &[bob_token])], &[&denylister]).await;
    let seize = ProposalKind::Seize { owner: bob.pubkey(), amount: ONE, destination: SeizureDestination::TokenAccount { address: alice_token }, order_hash: [3; 32] };
    bench.ledger.send(&[instructions::propose(&c0.pubkey(), &mint, 1, seize)], &[&c0]).await.unwrap();
    bench.ledger.send(&[instructions::approve(&c1.pubkey(), &mint, 1)], &[&c1]).await.unwrap();
    let seizure = ExecuteAccounts {
        seizure: Some(SeizureAccounts { owner: bob.pubkey(), source_accounts: vec![bob_token], destination: Some((alice_token, alice.pubkey())) }),
        ..Default::default()
    };
    bench.measure("execute seize (thaw, burn, re-freeze, mint to destination)", &[instructions::execute_with_accounts(&c2.pubkey(), &mint, 1, &c0.pubkey(), &seizure)], &[&c2]).await;
    bench.measure("denylist_remove (thaws one token account)", &[instructions::denylist_remove(&denylister.pubkey(), &mint, &bob.pubkey(), &[bob_token])], &[&denylister]).await;
    let escrow = pda::escrow_address(&pda::config_address(&mint));
    let deposit = transfer::transfer_checked_between(&mint, TransferEnd { account: alice_token, owner: alice.pubkey() }, TransferEnd { account: escrow, owner: pda::config_address(&mint) }, &alice.pubkey(), ONE, 6);
    bench.ledger.send(&[deposit], &[&alice]).await.unwrap();
    bench.measure("sweep_escrow (escrow transfer out)", &[instructions::sweep_escrow(&burner.pubkey(), &mint, &bob_token, &bob.pubkey())], &[&burner]).await;
    bench.measure("freeze", &[instructions::freeze(&denylister.pubkey(), &mint, &alice_token, &alice.pubkey())], &[&denylister]).await;
    bench.measure("thaw", &[instructions::thaw(&denylister.pubkey(), &mint, &alice_token, &alice.pubkey())], &[&denylister]).await;
    bench.measure("pause{all} (flags + Token-2022 Pausable)", &[instructions::pause(&pauser.pubkey(), &mint, PauseScope::All)], &[&pauser]).await;
    bench.measure("unpause{all}", &[instructions::unpause(&pauser.pubkey(), &mint, PauseScope::All)], &[&pauser]).await;
    bench.measure("pause{transfers} (program flag; the hook refuses)", &[instructions::pause(&pauser.pubkey(), &mint, PauseScope::Transfers)], &[&pauser]).await;
    bench.ledger.send(&[instructions::unpause(&pauser.pubkey(), &mint, PauseScope::Transfers)], &[&pauser]).await.unwrap();
    bench.measure("pause{mint} (program flag only)", &[instructions::pause(&pauser.pubkey(), &mint, PauseScope::Mint)], &[&pauser]).await;
    let now = bench.ledger.clock().await.unwrap().unix_timestamp;
    bench.measure("attest_reserves", &[instructions::attest_reserves(&attester.pubkey(), &mint, 1_000 * ONE, [2; 32], now)], &[&attester]).await;
    bench.measure("check_supply", &[instructions::check_supply(&mint)], &[]).await;
    let new_pauser = bench.funded();
    bench.measure("set_role", &[instructions::set_role(&admin.pubkey(), &mint, Role::Pauser, &new_pauser.pubkey())], &[&admin]).await;
    bench.measure("update_config", &[instructions::update_config(&admin.pubkey(), &mint, UpdateConfigParams { timelock_secs: Some(60), ..Default::default() })], &[&admin]).await;

    // The bare alternatives: a Token-2022 mint without extensions, minted by an SPL multisig.
    let ours = bench.rows.len();
    for (required, signers_total) in [(2u8, 3usize), (3, 5)] {
        let members: Vec<Keypair> = (0..signers_total).map(|_| bench.funded()).collect();
        let multisig = bench.next_keypair();
        let bare = bench.next_keypair();
        let payer = bench.ledger.payer().pubkey();
        let token = spl_token_2022_interface::ID;
        let multisig_space = spl_token_2022_interface::state::Multisig::LEN;
        let mint_space = spl_token_2022_interface::extension::ExtensionType::try_calculate_account_len::<spl_token_2022_interface::state::Mint>(&[]).unwrap();
        let mut setup = vec![
            solana_system_interface::instruction::create_account(&payer, &multisig.pubkey(), bench.ledger.rent_exempt_minimum(multisig_space).await.unwrap(), multisig_space as u64, &token),
            solana_system_interface::instruction::create_account(&payer, &bare.pubkey(), bench.ledger.rent_exempt_minimum(mint_space).await.unwrap(), mint_space as u64, &token),
        ];
        let member_pubkeys: Vec<Pubkey> = members.iter().map(Keypair::pubkey).collect();
        let member_keys: Vec<&Pubkey> = member_pubkeys.iter().collect();
        setup.push(spl_token_2022_interface::instruction::initialize_multisig2(&token, &multisig.pubkey(), &member_keys, required).unwrap());
        setup.push(spl_token_2022_interface::instruction::initialize_mint2(&token, &bare.pubkey(), &multisig.pubkey(), None, 6).unwrap());
        setup.push(transfer::create_associated_token_account(&payer, &alice.pubkey(), &bare.pubkey()));
        bench.ledger.send(&setup, &[&multisig, &bare]).await.unwrap();
        let signing: Vec<&Keypair> = members.iter().take(usize::from(required)).collect();
        let signer_keys: Vec<&Pubkey> = member_keys.iter().take(usize::from(required)).copied().collect();
        let destination = pda::associated_token_address(&alice.pubkey(), &bare.pubkey());
        let mint_to = spl_token_2022_interface::instruction::mint_to(&token, &bare.pubkey(), &destination, &multisig.pubkey(), &signer_keys, 100 * ONE).unwrap();
        bench.measure(&format!("bare: Token-2022 MintTo by a {required}-of-{signers_total} SPL multisig"), &[mint_to], &signing).await;
        if required == 2 {
            let bob_bare = transfer::create_associated_token_account(&payer, &bob.pubkey(), &bare.pubkey());
            bench.ledger.send(&[bob_bare], &[]).await.unwrap();
            let plain = spl_token_2022_interface::instruction::transfer_checked(
                &token, &destination, &bare.pubkey(), &pda::associated_token_address(&bob.pubkey(), &bare.pubkey()), &alice.pubkey(), &[], ONE, 6,
            )
            .unwrap();
            bench.measure("bare: transfer of a mint without the hook", &[plain], &[&alice]).await;
        }
    }

    (bench.rows, ours)
}

#[tokio::main]
async fn main() {
    // Natively, only the BPF programs USD1 calls are metered; on the .so every program is. The
    // two runs use the same keys from fixed seeds, so their difference is USD1's own units.
    let (native, ours) = measure_all(ProgramBuild::Native).await;
    let sbf_build = match ProgramBuild::from_env() {
        ProgramBuild::Native => {
            let built = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/deploy/usd1.so");
            built.canonicalize().ok().map(ProgramBuild::Sbf)
        }
        build => Some(build),
    };
    let sbf = match &sbf_build {
        Some(build) => {
            eprintln!("benchmarks: program {}", build.describe());
            Some(measure_all(build.clone()).await.0)
        }
        None => {
            eprintln!("benchmarks: no usd1.so (scripts/build-sbf.sh builds it): the native column only");
            None
        }
    };
    let so_line = match &sbf_build {
        Some(ProgramBuild::Sbf(path)) => {
            let bytes = std::fs::read(path).expect("read the .so");
            use sha2::Digest;
            let hash: String = sha2::Sha256::digest(&bytes).iter().take(8).map(|byte| format!("{byte:02x}")).collect();
            format!("the `.so` ({} bytes, sha256 {hash}...) built by `scripts/build-sbf.sh`", bytes.len())
        }
        _ => "no `.so` (build one with `scripts/build-sbf.sh` to fill the SBF columns)".into(),
    };
    let mut table = format!(
        "Measured by `cargo run -p usd1-tests --example benchmarks` on keys from fixed seeds (reproducible; see\nthe hook's spread over keys below), natively and on {so_line}.\nRent is what the accounts the operation creates hold (lamports). \"CU native\" counts only the BPF programs\nUSD1 calls (Token-2022, ATA, system); \"CU on .so\" is the transaction's total with USD1 itself metered in the\nSBF VM; \"USD1's own\" is their difference.\n\n| operation | bytes | accounts | signatures | rent created | CU native | CU on .so | USD1's own |\n|---|---|---|---|---|---|---|---|\n"
    );
    for (index, row) in native.iter().enumerate() {
        if index == ours {
            table.push_str("| **bare alternatives** | | | | | | | |\n");
        }
        let (total, own) = match sbf.as_ref().map(|rows| &rows[index]) {
            Some(sbf_row) => {
                assert_eq!(sbf_row.operation, row.operation);
                (sbf_row.units.to_string(), sbf_row.units.saturating_sub(row.units).to_string())
            }
            None => ("-".into(), "-".into()),
        };
        table.push_str(&format!("| {} | {} | {} | {} | {} | {} | {total} | {own} |\n", row.operation, row.bytes, row.accounts, row.signatures, row.rent, row.units));
    }
    print!("{table}");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../BENCHMARKS.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let (begin, end) = ("<!-- costs:begin -->", "<!-- costs:end -->");
    let updated = match (current.find(begin), current.find(end)) {
        (Some(start), Some(stop)) => format!("{}{begin}\n{table}{}", &current[..start], &current[stop..]),
        _ => format!("{current}\n## Transaction costs\n\n{begin}\n{table}{end}\n"),
    };
    std::fs::write(&path, updated).expect("write BENCHMARKS.md");
}
