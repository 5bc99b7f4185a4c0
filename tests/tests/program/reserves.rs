//! attest_reserves and the reserve gate.
use crate::{event, harness::*};
use solana_signer::Signer;
use usd1_client::{instructions, UpdateConfigParams};

#[tokio::test]
async fn the_attester_publishes_reserves_and_nobody_else_can() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let attester = fixture.attester.insecure_clone();
    let now = fixture.ledger.clock().await.unwrap().unix_timestamp;
    let events = fixture.ledger.expect_ok(instructions::attest_reserves(&attester.pubkey(), &mint, 1_000 * ONE_TOKEN, [9; 32], now), &[&attester]).await;
    let attested = event!(events, ReservesAttested);
    assert_eq!((attested.amount, attested.report_hash, attested.as_of, attested.supply), (1_000 * ONE_TOKEN, [9; 32], now, 0));
    let config = fixture.config().await;
    assert_eq!((config.attested_reserves, config.attestation_as_of), (1_000 * ONE_TOKEN, now));

    for signer in fixture.everyone_except(&[&attester]) {
        let instruction = instructions::attest_reserves(&signer.pubkey(), &mint, 1, [0; 32], now);
        fixture.ledger.expect_error(instruction, &[&signer], "Unauthorized").await;
    }
    let cases = [(now + 60, 5, "InvalidAttestation"), (now - 60, 5, "InvalidAttestation"), (0, 5, "InvalidAttestation"), (now, 0, "InvalidAmount")];
    for (as_of, amount, name) in cases {
        let instruction = instructions::attest_reserves(&attester.pubkey(), &mint, amount, [0; 32], as_of);
        fixture.ledger.expect_error(instruction, &[&attester], name).await;
    }
    assert_eq!(fixture.config().await.attested_reserves, 1_000 * ONE_TOKEN);
}

#[tokio::test]
async fn the_gate_holds_supply_under_fresh_reserves() {
    let mut fixture = Fixture::with_params(|params| {
        params.reserve_gate = true;
        params.attestation_max_age_secs = 3600;
    })
    .await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(1_000 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    let attester = fixture.attester.insecure_clone();

    fixture.mint_error(&minter, &alice, ONE_TOKEN, "w1", "AttestationStale").await;
    let now = fixture.ledger.clock().await.unwrap().unix_timestamp;
    fixture.ledger.expect_ok(instructions::attest_reserves(&attester.pubkey(), &mint, 100 * ONE_TOKEN, [1; 32], now), &[&attester]).await;
    fixture.mint_ok(&minter, &alice, 60 * ONE_TOKEN, "w1").await;
    fixture.mint_error(&minter, &alice, 41 * ONE_TOKEN, "w2", "ReserveExceeded").await;
    fixture.mint_ok(&minter, &alice, 40 * ONE_TOKEN, "w2").await;

    fixture.ledger.warp_secs(3601).await.unwrap();
    let later = fixture.ledger.clock().await.unwrap().unix_timestamp;
    fixture.ledger.expect_ok(instructions::attest_reserves(&attester.pubkey(), &mint, 150 * ONE_TOKEN, [2; 32], later - 3601), &[&attester]).await;
    fixture.mint_error(&minter, &alice, ONE_TOKEN, "w3", "AttestationStale").await;
    fixture.ledger.expect_ok(instructions::attest_reserves(&attester.pubkey(), &mint, 150 * ONE_TOKEN, [3; 32], later), &[&attester]).await;
    fixture.mint_ok(&minter, &alice, 50 * ONE_TOKEN, "w3").await;

    // Turning the gate off loosens: not the admin's call alone (issue 11) but the council's,
    // and then only the other limits apply.
    let params = UpdateConfigParams { reserve_gate: Some(false), ..Default::default() };
    fixture.ledger.expect_error(instructions::update_config(&fixture.admin.pubkey(), &mint, params.clone()), &[&fixture.admin], "CouncilRequired").await;
    let id = fixture.approved_proposal(usd1_client::ProposalKind::UpdateConfig { change: params }).await;
    let stranger = fixture.stranger.insecure_clone();
    let events = fixture.ledger.expect_ok(instructions::execute(&stranger.pubkey(), &mint, id, &fixture.council[0].pubkey(), None), &[&stranger]).await;
    let names: Vec<&str> = events.iter().map(|event| event.name()).collect();
    assert_eq!(names, ["ProposalExecuted", "ConfigUpdated"]);
    assert!(!fixture.config().await.reserve_gate);
    fixture.mint_ok(&minter, &alice, 10 * ONE_TOKEN, "w4").await;
    fixture.assert_issuance_invariants(&[minter.pubkey()]).await;
}
