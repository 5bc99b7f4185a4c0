//! mint: idempotent issuance per deposit reference, within every limit, checks in SPEC order.
use crate::{event, harness::*};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use usd1_client::{instructions, pda, reference_hash, PauseScope, ProposalKind, UpdateConfigParams};

/// A deployment with one minter (allowance 1,000) and a recipient with a token account.
async fn ready() -> (Fixture, Keypair, Pubkey) {
    let mut fixture = Fixture::new().await;
    let minter = fixture.new_minter(1_000 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    (fixture, minter, alice)
}

#[tokio::test]
async fn a_mint_moves_allowance_counters_receipt_and_supply_together() {
    let (mut fixture, minter, alice) = ready().await;
    let mint = fixture.mint_key();
    let seq_before = fixture.config().await.event_seq;
    let events = fixture.mint_ok(&minter, &alice, 250_500_000, "wire-1").await;
    let minted = event!(events, Minted);
    assert_eq!(minted.seq, seq_before + 1);
    assert_eq!((minted.minter, minted.recipient, minted.amount), (minter.pubkey(), alice, 250_500_000));
    assert_eq!(minted.reference_hash, reference_hash("wire-1"));
    assert_eq!((minted.supply, minted.remaining_allowance), (250_500_000, 749_500_000));

    assert_eq!(fixture.ledger.balance(&alice, &mint).await.unwrap(), 250_500_000);
    assert_eq!(fixture.ledger.mint_info(&mint).await.unwrap().supply, 250_500_000);
    let account = fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap();
    assert_eq!((account.allowance, account.lifetime_minted), (749_500_000, 250_500_000));
    assert_eq!(fixture.config().await.total_minted, 250_500_000);
    let receipt = fixture.ledger.mint_receipt(&mint, &reference_hash("wire-1")).await.unwrap().expect("receipt");
    assert_eq!((receipt.minter, receipt.recipient, receipt.amount), (minter.pubkey(), alice, 250_500_000));
    fixture.assert_issuance_invariants(&[minter.pubkey()]).await;
}

#[tokio::test]
async fn a_reference_mints_once_whatever_else_changes() {
    let (mut fixture, minter, alice) = ready().await;
    let mint = fixture.mint_key();
    fixture.mint_ok(&minter, &alice, 10 * ONE_TOKEN, "wire-1").await;
    // Same reference: refused whatever the amount, recipient or minter.
    fixture.mint_error(&minter, &alice, 10 * ONE_TOKEN, "wire-1", "DuplicateReference").await;
    fixture.mint_error(&minter, &alice, 1, "wire-1", "DuplicateReference").await;
    let bob = fixture.new_identity().pubkey();
    fixture.create_token_account(&bob).await;
    fixture.mint_error(&minter, &bob, 1, "wire-1", "DuplicateReference").await;
    let second_minter = fixture.new_minter(5 * ONE_TOKEN).await;
    fixture.mint_error(&second_minter, &alice, 1, "wire-1", "DuplicateReference").await;
    // Nothing moved.
    assert_eq!(fixture.ledger.balance(&alice, &mint).await.unwrap(), 10 * ONE_TOKEN);
    assert_eq!(fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap().allowance, 990 * ONE_TOKEN);
    // Someone pre-funding the receipt address does not stop a new reference from minting.
    let receipt = pda::receipt_address(&pda::config_address(&mint), &reference_hash("wire-2"));
    fixture.ledger.fund(&receipt, 1);
    fixture.mint_ok(&minter, &alice, ONE_TOKEN, "wire-2").await;
    fixture.mint_error(&minter, &alice, ONE_TOKEN, "wire-2", "DuplicateReference").await;
    fixture.assert_issuance_invariants(&[minter.pubkey(), second_minter.pubkey()]).await;
}

#[tokio::test]
async fn mint_checks_run_in_spec_order() {
    let (mut fixture, minter, alice) = ready().await;
    let mint = fixture.mint_key();
    let pauser = fixture.pauser.insecure_clone();
    let stranger = fixture.stranger.insecure_clone();
    fixture.mint_ok(&minter, &alice, ONE_TOKEN, "used").await;
    fixture.denylist(&alice).await;
    let params = UpdateConfigParams { supply_cap: usd1_client::SupplyCapUpdate::Set { cap: 500 * ONE_TOKEN }, reserve_gate: Some(true), ..Default::default() };
    fixture.ledger.expect_ok(instructions::update_config(&fixture.admin.pubkey(), &mint, params), &[&fixture.admin]).await;

    // Everything is wrong at once; each fix reveals the next check.
    fixture.ledger.expect_ok(instructions::pause(&pauser.pubkey(), &mint, PauseScope::Mint), &[&pauser]).await;
    fixture.mint_error(&stranger, &alice, 0, "used", "MintingPaused").await;
    fixture.mint_error(&minter, &alice, 0, "used", "MintingPaused").await;
    fixture.ledger.expect_ok(instructions::unpause(&pauser.pubkey(), &mint, PauseScope::Mint), &[&pauser]).await;
    fixture.mint_error(&stranger, &alice, 0, "used", "Unauthorized").await;
    fixture.mint_error(&minter, &alice, 0, "used", "InvalidAmount").await;
    fixture.mint_error(&minter, &alice, 2_000 * ONE_TOKEN, "used", "AllowanceExceeded").await;
    fixture.mint_error(&minter, &alice, 600 * ONE_TOKEN, "used", "SupplyCapExceeded").await;
    fixture.mint_error(&minter, &alice, 100 * ONE_TOKEN, "used", "AttestationStale").await;
    let now = fixture.ledger.clock().await.unwrap().unix_timestamp;
    let attester = fixture.attester.insecure_clone();
    fixture.ledger.expect_ok(instructions::attest_reserves(&attester.pubkey(), &mint, 50 * ONE_TOKEN, [7; 32], now), &[&attester]).await;
    fixture.mint_error(&minter, &alice, 100 * ONE_TOKEN, "used", "ReserveExceeded").await;
    fixture.mint_error(&minter, &alice, 10 * ONE_TOKEN, "used", "Denylisted").await;
    let bob = fixture.new_identity().pubkey();
    fixture.create_token_account(&bob).await;
    fixture.mint_error(&minter, &bob, 10 * ONE_TOKEN, "used", "DuplicateReference").await;
    fixture.mint_ok(&minter, &bob, 10 * ONE_TOKEN, "fresh").await;
    fixture.assert_issuance_invariants(&[minter.pubkey()]).await;
}

#[tokio::test]
async fn the_supply_cap_counts_every_minters_issuance() {
    let mut fixture = Fixture::with_params(|params| params.supply_cap = Some(100 * ONE_TOKEN)).await;
    let first = fixture.new_minter(80 * ONE_TOKEN).await;
    let second = fixture.new_minter(80 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    fixture.mint_ok(&first, &alice, 60 * ONE_TOKEN, "a").await;
    fixture.mint_error(&second, &alice, 41 * ONE_TOKEN, "b", "SupplyCapExceeded").await;
    fixture.mint_ok(&second, &alice, 40 * ONE_TOKEN, "b").await;
    fixture.mint_error(&first, &alice, 1, "c", "SupplyCapExceeded").await;
    fixture.assert_issuance_invariants(&[first.pubkey(), second.pubkey()]).await;
}

#[tokio::test]
async fn a_token_level_refusal_leaves_nothing_half_done() {
    // The program's checks pass; Token-2022 refuses the MintTo (the recipient account is
    // frozen). Receipt, allowance and counters must all roll back with it.
    let (mut fixture, minter, alice) = ready().await;
    let mint = fixture.mint_key();
    let denylister = fixture.denylister.insecure_clone();
    let alice_token = usd1_client::pda::associated_token_address(&alice, &mint);
    fixture.ledger.expect_ok(instructions::freeze(&denylister.pubkey(), &mint, &alice_token, &alice), &[&denylister]).await;
    fixture.mint_error(&minter, &alice, ONE_TOKEN, "wire-1", "Token2022:AccountFrozen").await;
    assert_eq!(fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap().allowance, 1_000 * ONE_TOKEN);
    assert!(fixture.ledger.mint_receipt(&mint, &reference_hash("wire-1")).await.unwrap().is_none());
    assert_eq!(fixture.config().await.total_minted, 0);
    // The same reference works once the account is thawed: a failed attempt is safe to retry.
    fixture.ledger.expect_ok(instructions::thaw(&denylister.pubkey(), &mint, &alice_token, &alice), &[&denylister]).await;
    fixture.mint_ok(&minter, &alice, ONE_TOKEN, "wire-1").await;
}

#[tokio::test]
async fn minting_into_the_escrow_or_a_config_owned_account_is_refused() {
    // Issue 10, item 3: a minter could mint into the Escrow, breaking invariant 7.
    let (mut fixture, minter, _alice) = ready().await;
    let mint = fixture.mint_key();
    let config = usd1_client::pda::config_address(&mint);
    let escrow = usd1_client::pda::escrow_address(&config);
    let instruction = fixture.mint_instruction(&minter, &config, ONE_TOKEN, "wire-escrow");
    let instruction = substitute(instruction, &usd1_client::pda::associated_token_address(&config, &mint), &escrow);
    fixture.ledger.expect_error(instruction, &[&minter], "InvalidRecipient").await;
    // The Config's own associated account, created by anyone, is Config-owned too.
    fixture.create_token_account(&config).await;
    fixture.mint_error(&minter, &config, ONE_TOKEN, "wire-config", "InvalidRecipient").await;
    assert_eq!(fixture.ledger.escrow_balance(&mint).await.unwrap(), 0);
}

#[tokio::test]
async fn a_scripted_sequence_keeps_invariants_one_to_four_after_every_step() {
    let (mut fixture, first, alice) = ready().await;
    let mint = fixture.mint_key();
    let second = fixture.new_minter(0).await;
    let minters = [first.pubkey(), second.pubkey()];
    let master = fixture.master_minter.insecure_clone();
    let mut granted = [1_000 * ONE_TOKEN, 0];
    let mut references_used = Vec::new();

    for step in 0..24u64 {
        let reference = format!("wire-{}", step % 9);
        match step % 6 {
            0 | 1 | 3 => {
                let minter = if step % 2 == 0 { &first } else { &second };
                let amount = (step + 1) * 7 * ONE_TOKEN;
                let allowance = fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap().allowance;
                let instruction = fixture.mint_instruction(minter, &alice, amount, &reference);
                let result = fixture.ledger.send(&[instruction], &[minter]).await;
                let expected = if amount > allowance {
                    Some("AllowanceExceeded")
                } else if references_used.contains(&reference) {
                    Some("DuplicateReference")
                } else {
                    None
                };
                match (expected, result) {
                    (None, Ok(_)) => references_used.push(reference),
                    (Some(name), Err(failure)) => assert_eq!(failure.name(), name, "step {step}"),
                    (expected, outcome) => panic!("step {step}: expected {expected:?}, got {outcome:?}"),
                }
            }
            2 => {
                fixture.grant_allowance(&second.pubkey(), 40 * ONE_TOKEN).await;
                granted[1] += 40 * ONE_TOKEN;
            }
            4 => {
                fixture.ledger.expect_ok(instructions::decrease_allowance(&master.pubkey(), &mint, &first.pubkey(), 5 * ONE_TOKEN), &[&master]).await;
            }
            _ => {
                // An unapproved proposal never changes an allowance (invariant 4).
                let before = fixture.ledger.minter(&mint, &second.pubkey()).await.unwrap().unwrap().allowance;
                fixture.propose(0, ProposalKind::SetAllowance { minter: second.pubkey(), amount: 10_000 * ONE_TOKEN }).await;
                assert_eq!(fixture.ledger.minter(&mint, &second.pubkey()).await.unwrap().unwrap().allowance, before);
            }
        }
        fixture.assert_issuance_invariants(&minters).await;
        // Invariant 2: every used reference has exactly one receipt.
        for used in &references_used {
            assert!(fixture.ledger.mint_receipt(&mint, &reference_hash(used)).await.unwrap().is_some());
        }
        let second_account = fixture.ledger.minter(&mint, &second.pubkey()).await.unwrap().unwrap();
        assert!(second_account.total_granted <= granted[1], "invariant 4: only executed proposals grant");
    }
    assert!(!references_used.is_empty());
}
