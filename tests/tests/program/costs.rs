//! What issuance costs: rent of the accounts it creates, transaction bytes and the
//! compute units of the BPF programs it invokes. Run with `--nocapture` to read them.
use crate::harness::*;
use solana_signer::Signer;
use usd1_client::{instructions, reference_hash, MintReceipt, Minter, Proposal};

/// The largest serialized transaction the network accepts.
const PACKET_DATA_SIZE: usize = 1232;

#[tokio::test]
async fn issuance_account_rent_and_mint_transaction_size() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(1_000 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;

    let mut rent = Vec::new();
    for (name, space) in [("Minter", Minter::SPACE), ("Proposal", Proposal::SPACE), ("MintReceipt", MintReceipt::SPACE)] {
        let lamports = fixture.ledger.rent_exempt_minimum(space).await.unwrap();
        println!("rent: {name} {space} bytes = {lamports} lamports");
        rent.push((name, space, lamports));
    }
    // The receipt is paid once per mint, forever: keep it the smallest account.
    assert!(MintReceipt::SPACE < Minter::SPACE && MintReceipt::SPACE <= 100, "MintReceipt is {} bytes", MintReceipt::SPACE);

    let mint_instruction = instructions::mint(&minter.pubkey(), &minter.pubkey(), &mint, &alice, ONE_TOKEN, reference_hash("wire-1"), FAR_FUTURE);
    let executed = fixture
        .ledger
        .expect_ok_all(&[instructions::compute_unit_limit(100_000), mint_instruction], &[&minter])
        .await;
    println!(
        "mint transaction: {} bytes, {} accounts, {} signatures, {} compute units consumed by Token-2022 and the system program (USD1 itself runs natively and is not metered)",
        executed.size_bytes,
        executed.account_count,
        executed.signature_count,
        executed.units_consumed
    );
    assert!(executed.size_bytes <= PACKET_DATA_SIZE);
    assert!(executed.units_consumed > 0, "Token-2022's MintTo is metered");
    // The receipt's rent is what the payer actually paid.
    let receipt_address = usd1_client::pda::receipt_address(&usd1_client::pda::config_address(&mint), &reference_hash("wire-1"));
    let receipt = fixture.ledger.account(&receipt_address).await.unwrap().unwrap();
    assert_eq!(receipt.lamports, rent[2].2);
}

/// A holder-to-holder transfer of the USD1 mint (through the hook) against the
/// same transfer of a bare Token-2022 mint without extensions.
#[tokio::test]
async fn hook_transfer_against_a_bare_token_2022_transfer() {
    use solana_keypair::Keypair;
    use spl_token_2022_interface::{
        extension::ExtensionType, instruction as token_instruction, state::Mint as MintState, ID as TOKEN_2022,
    };

    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let (alice, bob) = (fixture.new_identity(), fixture.new_identity());
    fixture.fund_holder(&alice.pubkey(), 10 * ONE_TOKEN).await;
    fixture.create_token_account(&bob.pubkey()).await;
    let hooked = fixture.transfer(&alice, &bob.pubkey(), ONE_TOKEN).await.expect("hook transfer");

    // The bare alternative: a Token-2022 mint with no extensions, same holders.
    let bare_mint = Keypair::new();
    let authority = fixture.new_identity();
    let payer = fixture.ledger.payer().pubkey();
    let space = ExtensionType::try_calculate_account_len::<MintState>(&[]).unwrap();
    let lamports = fixture.ledger.rent_exempt_minimum(space).await.unwrap();
    let create = solana_system_interface::instruction::create_account(&payer, &bare_mint.pubkey(), lamports, space as u64, &TOKEN_2022);
    let initialize = token_instruction::initialize_mint2(&TOKEN_2022, &bare_mint.pubkey(), &authority.pubkey(), None, DECIMALS).unwrap();
    fixture.ledger.expect_ok_all(&[create, initialize], &[&bare_mint]).await;
    let mut token_accounts = Vec::new();
    for owner in [alice.pubkey(), bob.pubkey()] {
        let instruction = usd1_client::transfer::create_associated_token_account(&payer, &owner, &bare_mint.pubkey());
        fixture.ledger.expect_ok(instruction, &[]).await;
        token_accounts.push(usd1_client::pda::associated_token_address(&owner, &bare_mint.pubkey()));
    }
    let mint_to = token_instruction::mint_to(&TOKEN_2022, &bare_mint.pubkey(), &token_accounts[0], &authority.pubkey(), &[], 10 * ONE_TOKEN).unwrap();
    fixture.ledger.expect_ok(mint_to, &[&authority]).await;
    let transfer = token_instruction::transfer_checked(
        &TOKEN_2022,
        &token_accounts[0],
        &bare_mint.pubkey(),
        &token_accounts[1],
        &alice.pubkey(),
        &[],
        ONE_TOKEN,
        DECIMALS,
    )
    .unwrap();
    let bare = fixture.ledger.expect_ok_all(&[transfer], &[&alice]).await;

    println!(
        "transfer through the hook: {} bytes, {} accounts, {} Token-2022 compute units (the hook itself runs natively, unmetered)",
        hooked.size_bytes, hooked.account_count, hooked.units_consumed
    );
    println!("bare Token-2022 transfer:  {} bytes, {} accounts, {} compute units", bare.size_bytes, bare.account_count, bare.units_consumed);
    assert!(hooked.size_bytes > bare.size_bytes, "the hook's five extra accounts cost bytes");
    assert!(hooked.units_consumed > bare.units_consumed, "Token-2022 does more work for a hooked, pausable mint");
    assert!(hooked.size_bytes <= PACKET_DATA_SIZE);
    assert_eq!(fixture.ledger.balance(&bob.pubkey(), &mint).await.unwrap(), ONE_TOKEN);
}

/// Send `instruction` alone and check it against the client's published limit for it
/// (`usd1_client::compute_budget`). On the `.so` (`USD1_SBF_OUT_DIR`) the figure is the whole
/// transaction's, USD1 included; natively only the BPF programs USD1 calls are metered. The
/// `compute:` lines (with `--nocapture`) are BENCHMARKS.md's worst-case table.
async fn within_limit(fixture: &mut Fixture, case: &str, instruction: solana_instruction::Instruction, signers: &[&solana_keypair::Keypair]) -> u64 {
    let limit = usd1_client::compute_budget::transaction_units(std::slice::from_ref(&instruction));
    let executed = fixture
        .ledger
        .send(&[instruction], signers)
        .await
        .unwrap_or_else(|failure| panic!("{case}: {failure} (limit {limit})\n{:#?}", failure.logs()));
    println!("compute: {case} | {} | {limit} | {}", executed.units_consumed, executed.size_bytes);
    assert!(executed.units_consumed <= u64::from(limit), "{case}: {} units, over the published limit {limit}", executed.units_consumed);
    assert!(executed.size_bytes <= PACKET_DATA_SIZE, "{case}: {} bytes with its compute budget", executed.size_bytes);
    executed.units_consumed
}

/// Propose `kind` (c0) and approve it up to a threshold of six (c1..c5), measuring the proposal and the last vote.
async fn approved_by_six(fixture: &mut Fixture, kind: usd1_client::ProposalKind, label: &str) -> u64 {
    let id = fixture.config().await.next_proposal_id;
    let mint = fixture.mint_key();
    let council: Vec<solana_keypair::Keypair> = fixture.council.iter().map(|member| member.insecure_clone()).collect();
    within_limit(fixture, &format!("propose ({label})"), instructions::propose(&council[0].pubkey(), &mint, id, kind), &[&council[0]]).await;
    for member in &council[1..5] {
        fixture.ledger.expect_ok(instructions::approve(&member.pubkey(), &mint, id), &[member]).await;
    }
    within_limit(fixture, "approve (the sixth vote of ten)", instructions::approve(&council[5].pubkey(), &mint, id), &[&council[5]]).await;
    id
}

/// Every instruction in its most expensive shape (the most accounts it accepts, the longest
/// metadata, the largest council) stays within the compute-unit limit the clients publish, in a
/// transaction that carries that limit (the harness adds it, as the CLI does), under the packet size.
#[tokio::test]
async fn every_instruction_in_its_worst_case_stays_within_its_published_compute_limit() {
    use solana_keypair::Keypair;
    use solana_pubkey::Pubkey;
    use usd1::constants::{MAX_COUNCIL_MEMBERS, MAX_NAME_LEN, MAX_SYMBOL_LEN, MAX_URI_LEN, MAX_WALLET_TOKEN_ACCOUNTS};
    use usd1_client::{
        instructions::{ExecuteAccounts, SeizureAccounts},
        InitializeParams, PauseScope, ProposalKind, RateLimit, Role, SeizureDestination, SupplyCapUpdate, UpdateConfigParams, UpdateMetadataParams,
    };

    // initialize with the largest council. (The longest metadata as well would not fit a
    // packet: 1,410 bytes. update_metadata below sets it.)
    let mut fixture = Fixture::uninitialized().await;
    let council: Vec<Keypair> = (0..MAX_COUNCIL_MEMBERS).map(|_| fixture.new_identity()).collect();
    let mut params: InitializeParams = default_params(&fixture.keys());
    params.council = council.iter().map(Keypair::pubkey).collect();
    params.threshold = 6;
    params.reserve_gate = true;
    let (admin, mint_keypair) = (fixture.admin.insecure_clone(), fixture.mint.insecure_clone());
    let initialize = instructions::initialize(&admin.pubkey(), &mint_keypair.pubkey(), params);
    within_limit(&mut fixture, "initialize (10 council members, reserve gate)", initialize, &[&admin, &mint_keypair]).await;
    fixture.council = council;
    let mint = fixture.mint_key();
    let [master, pauser, denylister, burner, attester, stranger] =
        [&fixture.master_minter, &fixture.pauser, &fixture.denylister, &fixture.burner, &fixture.attester, &fixture.stranger].map(Keypair::insecure_clone);
    let now = fixture.ledger.clock().await.unwrap().unix_timestamp;
    let attest = instructions::attest_reserves(&attester.pubkey(), &mint, 1_000_000_000 * ONE_TOKEN, [7; 32], now);
    within_limit(&mut fixture, "attest_reserves", attest, &[&attester]).await;
    let metadata = UpdateMetadataParams { name: Some("M".repeat(MAX_NAME_LEN)), symbol: Some("Y".repeat(MAX_SYMBOL_LEN)), uri: Some("v".repeat(MAX_URI_LEN)) };
    within_limit(&mut fixture, "update_metadata (every field, longest)", instructions::update_metadata(&admin.pubkey(), &mint, metadata), &[&admin]).await;
    // Every field the admin may tighten alone (a timelock would hold up the proposals below).
    let change = UpdateConfigParams {
        supply_cap: SupplyCapUpdate::Set { cap: u64::MAX / 2 },
        proposal_ttl_secs: Some(86_400),
        reserve_gate: Some(true),
        attestation_max_age_secs: Some(3_600),
        ..Default::default()
    };
    within_limit(&mut fixture, "update_config (every field but the timelock)", instructions::update_config(&admin.pubkey(), &mint, change), &[&admin]).await;

    // A minter with a rate limit, its allowance raised by six of ten.
    let minter = fixture.new_identity();
    let limited = Some(RateLimit { capacity: 1_000_000 * ONE_TOKEN, refill_per_sec: ONE_TOKEN });
    within_limit(&mut fixture, "configure_minter (with a rate limit)", instructions::configure_minter(&master.pubkey(), &mint, &minter.pubkey(), limited), &[&master]).await;
    let id = approved_by_six(&mut fixture, ProposalKind::SetAllowance { minter: minter.pubkey(), amount: 1_000_000 * ONE_TOKEN }, "set_allowance").await;
    let execute = instructions::execute(&stranger.pubkey(), &mint, id, &fixture.council[0].pubkey(), Some(&minter.pubkey()));
    within_limit(&mut fixture, "execute (set_allowance)", execute, &[&stranger]).await;

    // mint through the rate limit and the reserve gate, creating the receipt.
    let alice = fixture.new_identity();
    fixture.create_token_account(&alice.pubkey()).await;
    let mint_instruction = fixture.mint_instruction(&minter, &alice.pubkey(), 100 * ONE_TOKEN, "wire-worst");
    within_limit(&mut fixture, "mint (rate limit, reserve gate)", mint_instruction, &[&minter]).await;
    // v3: onboarding (the mint with the requirement on is measured in its own test below).
    let onboarder = fixture.denylister.insecure_clone();
    let onboard = instructions::onboard(&onboarder.pubkey(), &mint, &alice.pubkey(), usd1_client::reference_hash("kyc-alice"));
    within_limit(&mut fixture, "onboard", onboard, &[&onboarder]).await;
    within_limit(&mut fixture, "decrease_allowance", instructions::decrease_allowance(&master.pubkey(), &mint, &minter.pubkey(), ONE_TOKEN), &[&master]).await;

    // The holder side: a hooked transfer, a redemption completed and one rejected, a burn.
    let bob = fixture.new_identity();
    let payer = fixture.ledger.payer().pubkey();
    let create = usd1_client::transfer::create_associated_token_account(&payer, &bob.pubkey(), &mint);
    within_limit(&mut fixture, "create associated token account", create, &[]).await;
    let bob_token = usd1_client::pda::associated_token_address(&bob.pubkey(), &mint);
    let transfer = usd1_client::transfer::transfer_checked(&mint, &alice.pubkey(), &bob.pubkey(), ONE_TOKEN, DECIMALS);
    within_limit(&mut fixture, "transfer_checked through the hook", transfer, &[&alice]).await;
    let request = instructions::request_redemption(&alice.pubkey(), &mint, 5 * ONE_TOKEN, usd1_client::reference_hash("redeem-1"));
    within_limit(&mut fixture, "request_redemption", request, &[&alice]).await;
    let complete = fixture.complete_instruction(&alice.pubkey(), "redeem-1");
    within_limit(&mut fixture, "complete_redemption", complete, &[&burner]).await;
    fixture.request_redemption(&alice, 5 * ONE_TOKEN, "redeem-2").await.unwrap();
    let reject = fixture.reject_instruction(&alice.pubkey(), "redeem-2").await;
    within_limit(&mut fixture, "reject_redemption", reject, &[&burner]).await;
    fixture.create_token_account(&burner.pubkey()).await;
    fixture.transfer(&alice, &burner.pubkey(), 5 * ONE_TOKEN).await.unwrap();
    within_limit(&mut fixture, "burn", instructions::burn(&burner.pubkey(), &mint, ONE_TOKEN), &[&burner]).await;
    // Tokens sent straight to the Escrow, swept to Bob.
    let escrow = usd1_client::pda::escrow_address(&usd1_client::pda::config_address(&mint));
    let alice_token = usd1_client::pda::associated_token_address(&alice.pubkey(), &mint);
    let deposit = usd1_client::transfer::transfer_checked_between(
        &mint,
        usd1_client::transfer::TransferEnd { account: alice_token, owner: alice.pubkey() },
        usd1_client::transfer::TransferEnd { account: escrow, owner: usd1_client::pda::config_address(&mint) },
        &alice.pubkey(),
        ONE_TOKEN,
        DECIMALS,
    );
    fixture.ledger.expect_ok(deposit, &[&alice]).await;
    within_limit(&mut fixture, "sweep_escrow", instructions::sweep_escrow(&burner.pubkey(), &mint, &bob_token, &bob.pubkey()), &[&burner]).await;
    within_limit(&mut fixture, "freeze", instructions::freeze(&denylister.pubkey(), &mint, &bob_token, &bob.pubkey()), &[&denylister]).await;
    within_limit(&mut fixture, "thaw", instructions::thaw(&denylister.pubkey(), &mint, &bob_token, &bob.pubkey()), &[&denylister]).await;
    within_limit(&mut fixture, "check_supply", instructions::check_supply(&mint), &[]).await;

    // Mallory with the most token accounts a wallet may have, all funded: denylisting freezes
    // them all, a seizure debits them all, and unlisting thaws them all.
    let mallory = fixture.new_identity();
    let mut mallory_accounts = vec![fixture.create_token_account(&mallory.pubkey()).await];
    for _ in 1..MAX_WALLET_TOKEN_ACCOUNTS {
        mallory_accounts.push(fixture.create_named_token_account(&mallory.pubkey()).await);
    }
    for (index, account) in mallory_accounts.iter().enumerate() {
        let instruction = substitute(fixture.mint_instruction(&minter, &mallory.pubkey(), ONE_TOKEN, &format!("mallory-{index}")), &mallory_accounts[0], account);
        fixture.ledger.expect_ok(instruction, &[&minter]).await;
    }
    let add = instructions::denylist_add(&denylister.pubkey(), &mint, &mallory.pubkey(), [9; 32], &mallory_accounts);
    within_limit(&mut fixture, "denylist_add (freezes 16 token accounts)", add, &[&denylister]).await;
    let treasury = fixture.new_identity();
    let treasury_token = fixture.create_token_account(&treasury.pubkey()).await;
    let seize = ProposalKind::Seize {
        owner: mallory.pubkey(),
        amount: MAX_WALLET_TOKEN_ACCOUNTS as u64 * ONE_TOKEN,
        destination: SeizureDestination::TokenAccount { address: treasury_token },
        order_hash: [4; 32],
    };
    let id = approved_by_six(&mut fixture, seize, "seize").await;
    let seizure = ExecuteAccounts {
        seizure: Some(SeizureAccounts { owner: mallory.pubkey(), source_accounts: mallory_accounts.clone(), destination: Some((treasury_token, treasury.pubkey())) }),
        ..Default::default()
    };
    let execute = instructions::execute_with_accounts(&stranger.pubkey(), &mint, id, &fixture.council[0].pubkey(), &seizure);
    within_limit(&mut fixture, "execute (seize from 16 token accounts)", execute, &[&stranger]).await;
    assert_eq!(fixture.account_balance(&treasury_token).await, MAX_WALLET_TOKEN_ACCOUNTS as u64 * ONE_TOKEN);
    let remove = instructions::denylist_remove(&denylister.pubkey(), &mint, &mallory.pubkey(), &mallory_accounts);
    within_limit(&mut fixture, "denylist_remove (thaws 16 token accounts)", remove, &[&denylister]).await;

    // A proposal voted down and one cancelled.
    let council: Vec<Keypair> = fixture.council.iter().map(Keypair::insecure_clone).collect();
    let kind = ProposalKind::SetAllowance { minter: minter.pubkey(), amount: ONE_TOKEN };
    let id = fixture.config().await.next_proposal_id;
    fixture.ledger.expect_ok(instructions::propose(&council[0].pubkey(), &mint, id, kind.clone()), &[&council[0]]).await;
    within_limit(&mut fixture, "reject", instructions::reject(&council[1].pubkey(), &mint, id), &[&council[1]]).await;
    within_limit(&mut fixture, "cancel", instructions::cancel(&council[0].pubkey(), &mint, id, &council[0].pubkey()), &[&council[0]]).await;

    // Roles: pause and unpause everything, replace the pauser, remove the minter, hand the admin over.
    within_limit(&mut fixture, "pause{all}", instructions::pause(&pauser.pubkey(), &mint, PauseScope::All), &[&pauser]).await;
    within_limit(&mut fixture, "unpause{all}", instructions::unpause(&pauser.pubkey(), &mint, PauseScope::All), &[&pauser]).await;
    let new_pauser = fixture.new_identity();
    within_limit(&mut fixture, "set_role", instructions::set_role(&admin.pubkey(), &mint, Role::Pauser, &new_pauser.pubkey()), &[&admin]).await;
    within_limit(&mut fixture, "remove_minter", instructions::remove_minter(&master.pubkey(), &mint, &minter.pubkey()), &[&master]).await;
    let new_admin = fixture.new_identity();
    within_limit(&mut fixture, "transfer_admin", instructions::transfer_admin(&admin.pubkey(), &mint, &new_admin.pubkey()), &[&admin]).await;
    within_limit(&mut fixture, "accept_admin", instructions::accept_admin(&new_admin.pubkey(), &mint), &[&new_admin]).await;

    // Last, a new council of ten (each member's denylist entry checked when proposed), executed
    // with six approvals each looked up in the denylist registry.
    let members: Vec<Pubkey> = (0..MAX_COUNCIL_MEMBERS).map(|_| Pubkey::new_unique()).collect();
    let id = approved_by_six(&mut fixture, ProposalKind::SetCouncil { members: members.clone(), threshold: 6 }, "set_council of ten").await;
    let extra = ExecuteAccounts::for_kind(&ProposalKind::SetCouncil { members: members.clone(), threshold: 6 });
    let execute = instructions::execute_with_accounts(&stranger.pubkey(), &mint, id, &fixture.council[0].pubkey(), &extra);
    within_limit(&mut fixture, "execute (set_council of ten)", execute, &[&stranger]).await;

    // v3: an offboarding.
    let onboarder = fixture.denylister.insecure_clone();
    let first_holder = fixture.new_identity().pubkey();
    fixture.ledger.expect_ok(instructions::onboard(&onboarder.pubkey(), &mint, &first_holder, [1; 32]), &[&onboarder]).await;
    within_limit(&mut fixture, "offboard", instructions::offboard(&onboarder.pubkey(), &mint, &first_holder), &[&onboarder]).await;
}


/// v3: what the onboarding check adds to a mint: the same mint to the same kind of recipient,
/// with `onboarding_required` off and on (BENCHMARKS, "mint with the onboarding check").
#[tokio::test]
async fn a_mint_with_onboarding_required_stays_within_its_published_limit() {
    let mut units = Vec::new();
    for required in [false, true] {
        let mut fixture = Fixture::with_params(|params| params.onboarding_required = required).await;
        let mint = fixture.mint_key();
        let minter = fixture.new_minter(1_000 * ONE_TOKEN).await;
        let alice = fixture.new_identity();
        fixture.create_token_account(&alice.pubkey()).await;
        let onboarder = fixture.denylister.insecure_clone();
        fixture.ledger.expect_ok(instructions::onboard(&onboarder.pubkey(), &mint, &alice.pubkey(), [1; 32]), &[&onboarder]).await;
        let mint_instruction = fixture.mint_instruction(&minter, &alice.pubkey(), 100 * ONE_TOKEN, "wire-1");
        let label = if required { "mint (onboarding required)" } else { "mint (onboarding not required)" };
        units.push(within_limit(&mut fixture, label, mint_instruction, &[&minter]).await);
    }
    // Both pay the Onboarded account's address check (its bump is searched, so the figure moves
    // with the recipient's key); the requirement itself adds only the owner and length test.
    println!("compute: onboarding check | {} vs {} (not required vs required)", units[0], units[1]);
}
