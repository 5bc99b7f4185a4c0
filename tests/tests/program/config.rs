//! update_config: limits and timings, admin only, tightening only (loosening is the council's).
use crate::{event, harness::*};
use solana_signer::Signer;
use usd1_client::{instructions, SupplyCapUpdate, UpdateConfigParams};

#[tokio::test]
async fn admin_updates_each_field_and_an_event_reports_the_result() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let params = UpdateConfigParams {
        supply_cap: SupplyCapUpdate::Set { cap: 5_000 * ONE_TOKEN },
        timelock_secs: Some(3600),
        proposal_ttl_secs: Some(2 * 24 * 3600),
        reserve_gate: Some(true),
        attestation_max_age_secs: Some(600),
        onboarding_required: Some(true),
    };
    let events = fixture.ledger.expect_ok(instructions::update_config(&fixture.admin.pubkey(), &mint, params), &[&fixture.admin]).await;
    let updated = event!(events, ConfigUpdated);
    assert_eq!(updated.seq, 2);
    assert_eq!(updated.supply_cap, Some(5_000 * ONE_TOKEN));
    assert_eq!((updated.timelock_secs, updated.proposal_ttl_secs, updated.reserve_gate, updated.attestation_max_age_secs), (3600, 2 * 24 * 3600, true, 600));
    let config = fixture.config().await;
    assert_eq!((config.supply_cap, config.timelock_secs, config.reserve_gate), (Some(5_000 * ONE_TOKEN), 3600, true));

    // A partial update keeps the other fields.
    let params = UpdateConfigParams { supply_cap: SupplyCapUpdate::Set { cap: 4_000 * ONE_TOKEN }, ..Default::default() };
    fixture.ledger.expect_ok(instructions::update_config(&fixture.admin.pubkey(), &mint, params), &[&fixture.admin]).await;
    let config = fixture.config().await;
    assert_eq!((config.supply_cap, config.timelock_secs, config.attestation_max_age_secs), (Some(4_000 * ONE_TOKEN), 3600, 600));
}

#[tokio::test]
async fn nobody_but_the_admin_updates_config() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    for signer in fixture.everyone_except(&[&fixture.admin]) {
        let params = UpdateConfigParams { supply_cap: SupplyCapUpdate::Set { cap: 1 }, ..Default::default() };
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
        (UpdateConfigParams { supply_cap: SupplyCapUpdate::Set { cap: 0 }, ..Default::default() }, "InvalidConfig"),
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

#[tokio::test]
async fn the_admin_alone_never_loosens_a_limit() {
    // Issue 11: one key removed the cap, lowered the timelock, switched the reserve gate off
    // or raised the attestation age. Each is `CouncilRequired` now; tightening still works.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let admin = fixture.admin.insecure_clone();
    let tighten = UpdateConfigParams {
        supply_cap: SupplyCapUpdate::Set { cap: 1_000 * ONE_TOKEN },
        timelock_secs: Some(600),
        reserve_gate: Some(true),
        attestation_max_age_secs: Some(3_600),
        proposal_ttl_secs: Some(3 * 24 * 3600),
        onboarding_required: None,
    };
    fixture.ledger.expect_ok(instructions::update_config(&admin.pubkey(), &mint, tighten), &[&admin]).await;
    let loosenings = [
        UpdateConfigParams { supply_cap: SupplyCapUpdate::Remove, ..Default::default() },
        UpdateConfigParams { supply_cap: SupplyCapUpdate::Set { cap: 1_000 * ONE_TOKEN + 1 }, ..Default::default() },
        UpdateConfigParams { timelock_secs: Some(599), ..Default::default() },
        UpdateConfigParams { reserve_gate: Some(false), ..Default::default() },
        UpdateConfigParams { attestation_max_age_secs: Some(3_601), ..Default::default() },
        UpdateConfigParams { proposal_ttl_secs: Some(3 * 24 * 3600 + 1), ..Default::default() },
        // One loosening field spoils a tightening change.
        UpdateConfigParams { timelock_secs: Some(700), reserve_gate: Some(false), ..Default::default() },
    ];
    for change in loosenings {
        fixture.ledger.expect_error(instructions::update_config(&admin.pubkey(), &mint, change.clone()), &[&admin], "CouncilRequired").await;
    }
    let config = fixture.config().await;
    assert_eq!((config.supply_cap, config.timelock_secs, config.reserve_gate), (Some(1_000 * ONE_TOKEN), 600, true));
    // Equal values are not loosening.
    let same = UpdateConfigParams { timelock_secs: Some(600), reserve_gate: Some(true), ..Default::default() };
    fixture.ledger.expect_ok(instructions::update_config(&admin.pubkey(), &mint, same), &[&admin]).await;
}
