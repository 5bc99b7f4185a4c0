//! update_config: limits and timings, admin only.
use crate::{event, harness::*};
use solana_signer::Signer;
use usd1_client::{instructions, UpdateConfigParams};

#[tokio::test]
async fn admin_updates_each_field_and_an_event_reports_the_result() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let params = UpdateConfigParams {
        supply_cap: Some(Some(5_000 * ONE_TOKEN)),
        timelock_secs: Some(3600),
        proposal_ttl_secs: Some(2 * 24 * 3600),
        reserve_gate: Some(true),
        attestation_max_age_secs: Some(600),
    };
    let events = fixture.ledger.expect_ok(instructions::update_config(&fixture.admin.pubkey(), &mint, params), &[&fixture.admin]).await;
    let updated = event!(events, ConfigUpdated);
    assert_eq!(updated.seq, 2);
    assert_eq!(updated.supply_cap, Some(5_000 * ONE_TOKEN));
    assert_eq!((updated.timelock_secs, updated.proposal_ttl_secs, updated.reserve_gate, updated.attestation_max_age_secs), (3600, 2 * 24 * 3600, true, 600));
    let config = fixture.config().await;
    assert_eq!((config.supply_cap, config.timelock_secs, config.reserve_gate), (Some(5_000 * ONE_TOKEN), 3600, true));

    // A partial update keeps the other fields; Some(None) removes the cap.
    let params = UpdateConfigParams { supply_cap: Some(None), ..Default::default() };
    fixture.ledger.expect_ok(instructions::update_config(&fixture.admin.pubkey(), &mint, params), &[&fixture.admin]).await;
    let config = fixture.config().await;
    assert_eq!((config.supply_cap, config.timelock_secs, config.attestation_max_age_secs), (None, 3600, 600));
}

#[tokio::test]
async fn nobody_but_the_admin_updates_config() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    for signer in fixture.everyone_except(&[&fixture.admin]) {
        let params = UpdateConfigParams { supply_cap: Some(Some(1)), ..Default::default() };
        fixture.ledger.expect_error(instructions::update_config(&signer.pubkey(), &mint, params), &[&signer], "Unauthorized").await;
    }
    assert_eq!(fixture.config().await.supply_cap, None);
}

#[tokio::test]
async fn out_of_range_and_empty_updates_are_refused() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let admin = fixture.admin.pubkey();
    let cases = [
        (UpdateConfigParams::default(), "NothingToUpdate"),
        (UpdateConfigParams { supply_cap: Some(Some(0)), ..Default::default() }, "InvalidConfig"),
        (UpdateConfigParams { timelock_secs: Some(31 * 24 * 3600), ..Default::default() }, "InvalidConfig"),
        // The default ttl is 7 days: a timelock of 7 days would let proposals expire before they can run.
        (UpdateConfigParams { timelock_secs: Some(7 * 24 * 3600), ..Default::default() }, "InvalidConfig"),
        (UpdateConfigParams { proposal_ttl_secs: Some(0), ..Default::default() }, "InvalidConfig"),
        (UpdateConfigParams { attestation_max_age_secs: Some(0), ..Default::default() }, "InvalidConfig"),
    ];
    for (params, name) in cases {
        fixture.ledger.expect_error(instructions::update_config(&admin, &mint, params), &[&fixture.admin], name).await;
    }
    assert_eq!(fixture.config().await.event_seq, 1);
}
