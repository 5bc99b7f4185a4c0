//! Lawful-order seizure (SPEC 4, issue 10): a council `seize` proposal moves a denylisted
//! owner's tokens to a clean account or burns them, and nothing else can.
use crate::harness::*;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use usd1_client::{
    events::Usd1Event,
    instructions::{self, ExecuteAccounts, SeizureAccounts},
    pda, ProposalKind, SeizureDestination,
};

/// Mallory holds 10 in her associated account and 5 in a second account, both frozen by the denylisting.
struct Case {
    fixture: Fixture,
    mallory: Keypair,
    mallory_associated: Pubkey,
    mallory_second: Pubkey,
}

async fn denylisted_mallory() -> Case {
    let mut fixture = Fixture::new().await;
    let mallory = fixture.new_identity();
    let mallory_associated = fixture.fund_holder(&mallory.pubkey(), 10 * ONE_TOKEN).await;
    let mallory_second = fixture.create_named_token_account(&mallory.pubkey()).await;
    let minter = fixture.treasury_minter.as_ref().map(Keypair::insecure_clone).unwrap();
    // Mint to the second account directly: the client's mint builder targets associated accounts.
    let instruction = fixture.mint_instruction(&minter, &mallory.pubkey(), 5 * ONE_TOKEN, "wire-second");
    let instruction = substitute(instruction, &mallory_associated, &mallory_second);
    fixture.ledger.expect_ok(instruction, &[&minter]).await;
    fixture.denylist_with(&mallory.pubkey(), &[mallory_associated, mallory_second]).await;
    Case { fixture, mallory, mallory_associated, mallory_second }
}

fn seize_kind(owner: &Pubkey, amount: u64, destination: SeizureDestination) -> ProposalKind {
    ProposalKind::Seize { owner: *owner, amount, destination, order_hash: usd1_client::reference_hash("order-1") }
}

fn execute_seizure(fixture: &Fixture, id: u64, seizure: SeizureAccounts) -> solana_instruction::Instruction {
    let extra = ExecuteAccounts { seizure: Some(seizure), ..Default::default() };
    instructions::execute_with_accounts(&fixture.stranger.pubkey(), &fixture.mint_key(), id, &fixture.council[0].pubkey(), &extra)
}

#[tokio::test]
async fn a_seizure_to_a_clean_account_moves_exactly_the_amount_and_leaves_supply_and_counters_alone() {
    let Case { mut fixture, mallory, mallory_associated, mallory_second } = denylisted_mallory().await;
    let mint = fixture.mint_key();
    let treasury = fixture.new_identity();
    let treasury_token = fixture.create_token_account(&treasury.pubkey()).await;
    let before = fixture.config().await;
    let supply_before = fixture.ledger.mint_info(&mint).await.unwrap().supply;

    let destination = SeizureDestination::TokenAccount { address: treasury_token };
    let id = fixture.approved_proposal(seize_kind(&mallory.pubkey(), 12 * ONE_TOKEN, destination)).await;
    let seizure = SeizureAccounts {
        owner: mallory.pubkey(),
        source_accounts: vec![mallory_associated, mallory_second],
        destination: Some((treasury_token, treasury.pubkey())),
    };
    let stranger = fixture.stranger.insecure_clone();
    let events = fixture.ledger.expect_ok(execute_seizure(&fixture, id, seizure), &[&stranger]).await;

    let names: Vec<&str> = events.iter().map(Usd1Event::name).collect();
    assert_eq!(names, ["ProposalExecuted", "Seized"]);
    assert_eq!(events[1].seq(), events[0].seq() + 1);
    let Usd1Event::Seized(seized) = &events[1] else { unreachable!() };
    assert_eq!((seized.owner, seized.amount, seized.destination, seized.proposal), (mallory.pubkey(), 12 * ONE_TOKEN, destination, id));
    assert_eq!(seized.from_accounts, vec![mallory_associated, mallory_second]);
    assert_eq!(seized.order_hash, usd1_client::reference_hash("order-1"));
    assert_eq!(seized.supply, supply_before);

    assert_eq!(fixture.account_balance(&mallory_associated).await, 0);
    assert_eq!(fixture.account_balance(&mallory_second).await, 3 * ONE_TOKEN);
    assert_eq!(fixture.account_balance(&treasury_token).await, 12 * ONE_TOKEN);
    assert!(fixture.is_frozen(&mallory_associated).await && fixture.is_frozen(&mallory_second).await, "sources stay frozen");
    let after = fixture.config().await;
    assert_eq!((after.total_minted, after.total_burned), (before.total_minted, before.total_burned));
    assert_eq!(fixture.ledger.mint_info(&mint).await.unwrap().supply, supply_before);
    let events = fixture.ledger.expect_ok(instructions::check_supply(&mint), &[]).await;
    let Usd1Event::SupplyChecked(checked) = &events[0] else { unreachable!() };
    assert!(checked.matches && checked.unattributed_burned == 0);
}

#[tokio::test]
async fn a_burn_seizure_lowers_supply_and_counts_as_burned() {
    let Case { mut fixture, mallory, mallory_associated, mallory_second } = denylisted_mallory().await;
    let mint = fixture.mint_key();
    let id = fixture.approved_proposal(seize_kind(&mallory.pubkey(), 15 * ONE_TOKEN, SeizureDestination::Burn)).await;
    let seizure = SeizureAccounts { owner: mallory.pubkey(), source_accounts: vec![mallory_second, mallory_associated], destination: None };
    let stranger = fixture.stranger.insecure_clone();
    let events = fixture.ledger.expect_ok(execute_seizure(&fixture, id, seizure), &[&stranger]).await;
    let Usd1Event::Seized(seized) = &events[1] else { panic!("{events:?}") };
    assert_eq!(seized.from_accounts, vec![mallory_second, mallory_associated], "debited in the order given");
    assert_eq!(seized.supply, 0);
    assert_eq!(fixture.ledger.mint_info(&mint).await.unwrap().supply, 0);
    let config = fixture.config().await;
    assert_eq!((config.total_minted, config.total_burned), (15 * ONE_TOKEN, 15 * ONE_TOKEN));
}

#[tokio::test]
async fn an_open_seizure_keeps_its_owner_denylisted() {
    // v3 (issue 21): the denylister alone could veto an approved seizure by unlisting the owner,
    // who then moves the funds. While any seize proposal naming the wallet is open, it stays listed.
    let Case { mut fixture, mallory, mallory_associated, mallory_second } = denylisted_mallory().await;
    let mint = fixture.mint_key();
    let denylister = fixture.denylister.insecure_clone();
    let accounts = [mallory_associated, mallory_second];
    let unlist = instructions::denylist_remove(&denylister.pubkey(), &mint, &mallory.pubkey(), &accounts);
    let first = fixture.approved_proposal(seize_kind(&mallory.pubkey(), ONE_TOKEN, SeizureDestination::Burn)).await;
    let second = fixture.propose(0, seize_kind(&mallory.pubkey(), 2 * ONE_TOKEN, SeizureDestination::Burn)).await;
    fixture.ledger.expect_error(unlist.clone(), &[&denylister], "SeizurePending").await;
    // Executing one leaves the other open.
    let stranger = fixture.stranger.insecure_clone();
    let seizure = SeizureAccounts { owner: mallory.pubkey(), source_accounts: vec![mallory_associated], destination: None };
    fixture.ledger.expect_ok(execute_seizure(&fixture, first, seizure), &[&stranger]).await;
    fixture.ledger.expect_error(unlist.clone(), &[&denylister], "SeizurePending").await;
    // Cancelling a seizure needs its owner's entry (its count drops); then the wallet can be unlisted.
    let c0 = fixture.council[0].insecure_clone();
    let bare = instructions::cancel(&c0.pubkey(), &mint, second, &c0.pubkey());
    fixture.ledger.expect_error(bare, &[&c0], "MissingAccount").await;
    let cancel = instructions::cancel_proposal(&c0.pubkey(), &mint, second, &c0.pubkey(), Some(&mallory.pubkey()));
    fixture.ledger.expect_ok(cancel, &[&c0]).await;
    fixture.ledger.expect_ok(unlist, &[&denylister]).await;
    assert_eq!(fixture.account_balance(&mallory_associated).await, 9 * ONE_TOKEN);
    // A seizure is proposed against a listed owner only (list first: one key, which freezes).
    let next = fixture.config().await.next_proposal_id;
    let propose = instructions::propose(&c0.pubkey(), &mint, next, seize_kind(&mallory.pubkey(), ONE_TOKEN, SeizureDestination::Burn));
    fixture.ledger.expect_error(propose, &[&c0], "NotDenylisted").await;
}

#[tokio::test]
async fn a_seizure_never_reaches_the_escrow_or_a_denylisted_owner() {
    let Case { mut fixture, mallory, mallory_associated, .. } = denylisted_mallory().await;
    let mint = fixture.mint_key();
    let escrow = pda::escrow_address(&pda::config_address(&mint));
    // The Escrow is refused at proposal time.
    let proposer = fixture.council[0].insecure_clone();
    let next = fixture.config().await.next_proposal_id;
    let kind = seize_kind(&mallory.pubkey(), ONE_TOKEN, SeizureDestination::TokenAccount { address: escrow });
    fixture.ledger.expect_error(instructions::propose(&proposer.pubkey(), &mint, next, kind), &[&proposer], "InvalidRecipient").await;
    let kind = seize_kind(&mallory.pubkey(), 0, SeizureDestination::Burn);
    fixture.ledger.expect_error(instructions::propose(&proposer.pubkey(), &mint, next, kind), &[&proposer], "InvalidAmount").await;

    // A destination whose owner is denylisted by execution time is refused then.
    let accomplice = fixture.new_identity();
    let accomplice_token = fixture.create_token_account(&accomplice.pubkey()).await;
    let destination = SeizureDestination::TokenAccount { address: accomplice_token };
    let id = fixture.approved_proposal(seize_kind(&mallory.pubkey(), ONE_TOKEN, destination)).await;
    fixture.denylist(&accomplice.pubkey()).await;
    let seizure = SeizureAccounts {
        owner: mallory.pubkey(),
        source_accounts: vec![mallory_associated],
        destination: Some((accomplice_token, accomplice.pubkey())),
    };
    let stranger = fixture.stranger.insecure_clone();
    fixture.ledger.expect_error(execute_seizure(&fixture, id, seizure), &[&stranger], "Denylisted").await;
    assert_eq!(fixture.account_balance(&mallory_associated).await, 10 * ONE_TOKEN);
}

#[tokio::test]
async fn a_seizure_larger_than_the_accounts_given_changes_nothing() {
    let Case { mut fixture, mallory, mallory_associated, mallory_second } = denylisted_mallory().await;
    let id = fixture.approved_proposal(seize_kind(&mallory.pubkey(), 12 * ONE_TOKEN, SeizureDestination::Burn)).await;
    let stranger = fixture.stranger.insecure_clone();
    let only_first = SeizureAccounts { owner: mallory.pubkey(), source_accounts: vec![mallory_associated], destination: None };
    fixture.ledger.expect_error(execute_seizure(&fixture, id, only_first), &[&stranger], "SeizureExceedsBalance").await;
    assert_eq!(fixture.account_balance(&mallory_associated).await, 10 * ONE_TOKEN);
    assert!(fixture.is_frozen(&mallory_associated).await);
    let twice = SeizureAccounts { owner: mallory.pubkey(), source_accounts: vec![mallory_associated, mallory_associated], destination: None };
    fixture.ledger.expect_error(execute_seizure(&fixture, id, twice), &[&stranger], "DuplicateAccount").await;
    let both = SeizureAccounts { owner: mallory.pubkey(), source_accounts: vec![mallory_associated, mallory_second], destination: None };
    fixture.ledger.expect_ok(execute_seizure(&fixture, id, both), &[&stranger]).await;
}

#[tokio::test]
async fn a_seizure_cannot_be_pointed_at_someone_else() {
    let Case { mut fixture, mallory, mallory_associated, .. } = denylisted_mallory().await;
    let mint = fixture.mint_key();
    let alice = fixture.new_identity();
    let alice_token = fixture.fund_holder(&alice.pubkey(), 4 * ONE_TOKEN).await;
    let id = fixture.approved_proposal(seize_kind(&mallory.pubkey(), ONE_TOKEN, SeizureDestination::Burn)).await;
    let stranger = fixture.stranger.insecure_clone();
    // A clean holder's account among the sources.
    let wrong_source = SeizureAccounts { owner: mallory.pubkey(), source_accounts: vec![alice_token], destination: None };
    fixture.ledger.expect_error(execute_seizure(&fixture, id, wrong_source), &[&stranger], "InvalidTokenAccount").await;
    // Mallory's denylist entry passed as the entry of a proposal about Alice: the entry's address
    // is derived (checked when proposed, and again at execution).
    let proposer = fixture.council[0].insecure_clone();
    let next = fixture.config().await.next_proposal_id;
    let about_alice = instructions::propose(&proposer.pubkey(), &mint, next, seize_kind(&alice.pubkey(), ONE_TOKEN, SeizureDestination::Burn));
    let config = pda::config_address(&mint);
    let alice_entry = pda::denylist_address(&config, &alice.pubkey());
    let mallory_entry = pda::denylist_address(&config, &mallory.pubkey());
    fixture.ledger.expect_error(substitute(about_alice.clone(), &alice_entry, &mallory_entry), &[&proposer], "AccountMismatch").await;
    fixture.ledger.expect_error(about_alice, &[&proposer], "NotDenylisted").await;
    let accomplice = fixture.new_identity();
    fixture.denylist(&accomplice.pubkey()).await;
    let accomplice_entry = pda::denylist_address(&config, &accomplice.pubkey());
    let honest = SeizureAccounts { owner: mallory.pubkey(), source_accounts: vec![mallory_associated], destination: None };
    let spoofed = substitute(execute_seizure(&fixture, id, honest), &mallory_entry, &accomplice_entry);
    fixture.ledger.expect_error(spoofed, &[&stranger], "AccountMismatch").await;
    assert_eq!(fixture.account_balance(&alice_token).await, 4 * ONE_TOKEN);
    assert_eq!(fixture.account_balance(&mallory_associated).await, 10 * ONE_TOKEN);
}

#[tokio::test]
async fn a_seizure_needs_the_council_threshold() {
    let Case { mut fixture, mallory, mallory_associated, .. } = denylisted_mallory().await;
    let id = fixture.propose(0, seize_kind(&mallory.pubkey(), ONE_TOKEN, SeizureDestination::Burn)).await;
    let stranger = fixture.stranger.insecure_clone();
    let seizure = SeizureAccounts { owner: mallory.pubkey(), source_accounts: vec![mallory_associated], destination: None };
    fixture.ledger.expect_error(execute_seizure(&fixture, id, seizure), &[&stranger], "ThresholdNotMet").await;
    // A stranger cannot even propose one.
    let mint = fixture.mint_key();
    let next = fixture.config().await.next_proposal_id;
    let kind = seize_kind(&mallory.pubkey(), ONE_TOKEN, SeizureDestination::Burn);
    fixture.ledger.expect_error(instructions::propose(&stranger.pubkey(), &mint, next, kind), &[&stranger], "NotCouncilMember").await;
}

/// A hostile holder spreads a denylisted balance over the most token accounts a wallet may
/// have (anyone can open accounts for any owner). One execution still takes it all, burning
/// from each and re-freezing each, in one transaction under the packet size. On the `.so` this
/// ran out of SBF's 32 KiB heap (a fresh CPI instruction per thaw, burn and freeze) until the
/// seizure reused one instruction per action.
#[tokio::test]
async fn a_seizure_takes_a_balance_spread_over_the_most_accounts_a_wallet_may_have() {
    let Case { mut fixture, mallory, mallory_associated, mallory_second } = denylisted_mallory().await;
    let minter = fixture.treasury_minter.as_ref().map(Keypair::insecure_clone).unwrap();
    let mut sources = vec![mallory_associated, mallory_second];
    // Unlist to fund the extra accounts, then list again freezing all sixteen.
    fixture.undenylist_with(&mallory.pubkey(), &sources).await;
    while sources.len() < usd1::constants::MAX_WALLET_TOKEN_ACCOUNTS {
        let account = fixture.create_named_token_account(&mallory.pubkey()).await;
        let reference = format!("spread-{}", sources.len());
        let instruction = substitute(fixture.mint_instruction(&minter, &mallory.pubkey(), ONE_TOKEN, &reference), &mallory_associated, &account);
        fixture.ledger.expect_ok(instruction, &[&minter]).await;
        sources.push(account);
    }
    fixture.denylist_with(&mallory.pubkey(), &sources).await;
    let total = 10 * ONE_TOKEN + 5 * ONE_TOKEN + 14 * ONE_TOKEN;
    let supply_before = fixture.ledger.mint_info(&fixture.mint_key()).await.unwrap().supply;
    let id = fixture.approved_proposal(seize_kind(&mallory.pubkey(), total, SeizureDestination::Burn)).await;
    let stranger = fixture.stranger.insecure_clone();
    let seizure = SeizureAccounts { owner: mallory.pubkey(), source_accounts: sources.clone(), destination: None };
    let executed = fixture.ledger.expect_ok_all(&[execute_seizure(&fixture, id, seizure)], &[&stranger]).await;
    assert!(executed.size_bytes <= 1232, "{} bytes", executed.size_bytes);
    let Some(Usd1Event::Seized(seized)) = executed.events.iter().find(|event| event.name() == "Seized") else { panic!("no Seized event") };
    assert_eq!((seized.amount, seized.from_accounts.len()), (total, sources.len()));
    for account in &sources {
        assert_eq!(fixture.account_balance(account).await, 0);
        assert!(fixture.is_frozen(account).await, "every source is frozen again");
    }
    assert_eq!(fixture.ledger.mint_info(&fixture.mint_key()).await.unwrap().supply, supply_before - total);
}
