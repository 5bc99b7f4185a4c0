//! configure_minter, remove_minter, decrease_allowance: the master minter's powers.
use crate::{event, harness::*};
use solana_signer::Signer;
use usd1_client::{instructions, ProposalKind, RateLimit};

#[tokio::test]
async fn configure_creates_an_active_minter_at_allowance_zero() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_identity();
    let limit = RateLimit { capacity: 10 * ONE_TOKEN, refill_per_sec: ONE_TOKEN };
    let events = fixture
        .ledger
        .expect_ok(instructions::configure_minter(&fixture.master_minter.pubkey(), &mint, &minter.pubkey(), Some(limit)), &[&fixture.master_minter])
        .await;
    let configured = event!(events, MinterConfigured);
    assert_eq!((configured.seq, configured.minter, configured.allowance, configured.generation), (2, minter.pubkey(), 0, 1));
    assert_eq!(configured.rate_limit, Some(limit));
    let account = fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap();
    assert!(account.active);
    assert_eq!((account.allowance, account.bucket_tokens, account.total_granted), (0, 10 * ONE_TOKEN, 0));
    assert_eq!(fixture.config().await.active_minters, 1);
    // A new minter can mint nothing until the council grants an allowance.
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    fixture.mint_error(&minter, &alice, 1, "wire-1", "AllowanceExceeded").await;
}

#[tokio::test]
async fn only_the_master_minter_manages_minters() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(100 * ONE_TOKEN).await;
    let target = fixture.new_identity().pubkey();
    for signer in fixture.everyone_except(&[&fixture.master_minter]) {
        let key = signer.pubkey();
        fixture.ledger.expect_error(instructions::configure_minter(&key, &mint, &target, None), &[&signer], "Unauthorized").await;
        fixture.ledger.expect_error(instructions::remove_minter(&key, &mint, &minter.pubkey()), &[&signer], "Unauthorized").await;
        fixture
            .ledger
            .expect_error(instructions::decrease_allowance(&key, &mint, &minter.pubkey(), 1), &[&signer], "Unauthorized")
            .await;
    }
    // The minter itself cannot touch its own limits either.
    fixture
        .ledger
        .expect_error(instructions::decrease_allowance(&minter.pubkey(), &mint, &minter.pubkey(), 1), &[&minter], "Unauthorized")
        .await;
    assert_eq!(fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap().allowance, 100 * ONE_TOKEN);
}

#[tokio::test]
async fn configure_refuses_the_admin_key_and_an_empty_bucket() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let master = fixture.master_minter.pubkey();
    let admin = fixture.admin.pubkey();
    fixture.ledger.expect_error(instructions::configure_minter(&master, &mint, &admin, None), &[&fixture.master_minter], "RoleConflict").await;
    let target = fixture.new_identity().pubkey();
    let empty = RateLimit { capacity: 0, refill_per_sec: 1 };
    fixture
        .ledger
        .expect_error(instructions::configure_minter(&master, &mint, &target, Some(empty)), &[&fixture.master_minter], "InvalidConfig")
        .await;
}

#[tokio::test]
async fn decrease_saturates_at_zero_and_never_raises() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let master = fixture.master_minter.pubkey();
    let minter = fixture.new_minter(100 * ONE_TOKEN).await;
    let events = fixture
        .ledger
        .expect_ok(instructions::decrease_allowance(&master, &mint, &minter.pubkey(), 30 * ONE_TOKEN), &[&fixture.master_minter])
        .await;
    let decreased = event!(events, AllowanceDecreased);
    assert_eq!((decreased.decreased_by, decreased.remaining), (30 * ONE_TOKEN, 70 * ONE_TOKEN));
    let events = fixture
        .ledger
        .expect_ok(instructions::decrease_allowance(&master, &mint, &minter.pubkey(), u64::MAX), &[&fixture.master_minter])
        .await;
    let decreased = event!(events, AllowanceDecreased);
    assert_eq!((decreased.decreased_by, decreased.remaining), (70 * ONE_TOKEN, 0));
    fixture
        .ledger
        .expect_error(instructions::decrease_allowance(&master, &mint, &minter.pubkey(), 0), &[&fixture.master_minter], "InvalidAmount")
        .await;
    let unknown = fixture.new_identity().pubkey();
    fixture
        .ledger
        .expect_error(instructions::decrease_allowance(&master, &mint, &unknown, 1), &[&fixture.master_minter], "MinterNotActive")
        .await;
    let account = fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap();
    assert_eq!((account.allowance, account.total_granted), (0, 100 * ONE_TOKEN));
}

#[tokio::test]
async fn a_removed_minter_cannot_mint_and_comes_back_at_zero() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let master = fixture.master_minter.pubkey();
    let minter = fixture.new_minter(100 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    fixture.mint_ok(&minter, &alice, 10 * ONE_TOKEN, "wire-1").await;

    // A proposal to raise the allowance is open when the minter is removed.
    let id = fixture.propose(0, ProposalKind::SetAllowance { minter: minter.pubkey(), amount: 500 * ONE_TOKEN }).await;
    let approver = fixture.council[1].insecure_clone();
    fixture.ledger.expect_ok(instructions::approve(&approver.pubkey(), &mint, id), &[&approver]).await;

    let events = fixture.ledger.expect_ok(instructions::remove_minter(&master, &mint, &minter.pubkey()), &[&fixture.master_minter]).await;
    let removed = event!(events, MinterRemoved);
    assert_eq!(removed.forfeited_allowance, 90 * ONE_TOKEN);
    assert_eq!(fixture.config().await.active_minters, 0);
    fixture.mint_error(&minter, &alice, 1, "wire-2", "Unauthorized").await;
    fixture.ledger.expect_error(instructions::remove_minter(&master, &mint, &minter.pubkey()), &[&fixture.master_minter], "MinterNotActive").await;

    // Configured again: allowance 0, a new generation, and the old proposal is stale.
    fixture.configure_minter(&minter.pubkey()).await;
    let account = fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap();
    assert_eq!((account.active, account.allowance, account.generation, account.lifetime_minted), (true, 0, 2, 10 * ONE_TOKEN));
    let proposer = fixture.council[0].pubkey();
    fixture
        .ledger
        .expect_error(instructions::execute(&proposer, &mint, id, &proposer, Some(&minter.pubkey())), &[&fixture.council[0]], "ProposalStale")
        .await;
    fixture.mint_error(&minter, &alice, 1, "wire-2", "AllowanceExceeded").await;
    fixture.assert_issuance_invariants(&[minter.pubkey()]).await;
}

#[tokio::test]
async fn the_rate_limit_refills_over_time() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_identity();
    // 0.01 token per second: a second of wall-clock drift could never change an outcome.
    let limit = RateLimit { capacity: 10 * ONE_TOKEN, refill_per_sec: ONE_TOKEN / 100 };
    fixture
        .ledger
        .expect_ok(instructions::configure_minter(&fixture.master_minter.pubkey(), &mint, &minter.pubkey(), Some(limit)), &[&fixture.master_minter])
        .await;
    fixture.grant_allowance(&minter.pubkey(), 1_000 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;

    fixture.mint_ok(&minter, &alice, 8 * ONE_TOKEN, "wire-1").await;
    fixture.mint_error(&minter, &alice, 3 * ONE_TOKEN, "wire-2", "RateLimited").await;
    fixture.ledger.warp_secs(100).await.unwrap();
    fixture.mint_ok(&minter, &alice, 3 * ONE_TOKEN, "wire-2").await;
    fixture.ledger.warp_secs(3600).await.unwrap();
    // The bucket never holds more than its capacity.
    fixture.mint_error(&minter, &alice, 11 * ONE_TOKEN, "wire-3", "RateLimited").await;
    fixture.mint_ok(&minter, &alice, 10 * ONE_TOKEN, "wire-3").await;

    // Turning the limit off is a loosening: the master minter alone cannot (issue 11) ...
    fixture
        .ledger
        .expect_error(
            instructions::configure_minter(&fixture.master_minter.pubkey(), &mint, &minter.pubkey(), None),
            &[&fixture.master_minter],
            "CouncilRequired",
        )
        .await;
    // ... the council can; then the allowance alone governs.
    let kind = usd1_client::ProposalKind::SetRateLimit { minter: minter.pubkey(), rate_limit: None };
    let id = fixture.approved_proposal(kind).await;
    let stranger = fixture.stranger.insecure_clone();
    let execute = instructions::execute(&stranger.pubkey(), &mint, id, &fixture.council[0].pubkey(), Some(&minter.pubkey()));
    fixture.ledger.expect_ok(execute, &[&stranger]).await;
    fixture.mint_ok(&minter, &alice, 100 * ONE_TOKEN, "wire-4").await;
    assert_eq!(fixture.ledger.balance(&alice, &mint).await.unwrap(), 121 * ONE_TOKEN);
    fixture.assert_issuance_invariants(&[minter.pubkey()]).await;
}
