//! check_supply and the event sequence.
use crate::{event, harness::*};
use solana_signer::Signer;
use usd1_client::{instructions, PauseScope, Role, UpdateConfigParams};

#[tokio::test]
async fn anyone_checks_supply_and_gets_an_event() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let stranger = fixture.new_identity();
    let events = fixture.ledger.expect_ok(instructions::check_supply(&mint), &[&stranger]).await;
    let checked = event!(events, SupplyChecked);
    assert_eq!((checked.seq, checked.supply, checked.total_minted, checked.total_burned, checked.matches), (2, 0, 0, 0, true));
}

#[tokio::test]
async fn supply_that_does_not_match_the_counters_is_reported() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    // Forge a supply the program did not mint (as if an authority had leaked).
    let mut account = fixture.ledger.account(&mint).await.unwrap().unwrap();
    // Mint layout: mint_authority option (0..36), supply (36..44).
    account.data[36..44].copy_from_slice(&7u64.to_le_bytes());
    fixture.ledger.set_account(&mint, &account.into());
    let events = fixture.ledger.expect_ok(instructions::check_supply(&mint), &[]).await;
    let checked = event!(events, SupplyChecked);
    assert_eq!((checked.supply, checked.matches), (7, false));
}

#[tokio::test]
async fn every_event_advances_seq_by_exactly_one() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let admin = fixture.admin.pubkey();
    let pauser = fixture.pauser.pubkey();
    let new_attester = fixture.new_identity().pubkey();
    let mut seqs: Vec<u64> = fixture.initialized.iter().map(|event| event.seq()).collect();
    let steps = [
        (instructions::pause(&pauser, &mint, PauseScope::All), &fixture.pauser),
        (instructions::unpause(&pauser, &mint, PauseScope::All), &fixture.pauser),
        (instructions::set_role(&admin, &mint, Role::Attester, &new_attester), &fixture.admin),
        (instructions::update_config(&admin, &mint, UpdateConfigParams { reserve_gate: Some(true), ..Default::default() }), &fixture.admin),
        (instructions::check_supply(&mint), &fixture.admin),
    ];
    for (instruction, signer) in steps {
        let events = fixture.ledger.expect_ok(instruction, &[signer]).await;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].mint(), mint);
        seqs.extend(events.iter().map(|event| event.seq()));
    }
    // A refused instruction emits nothing and leaves seq alone.
    fixture.ledger.expect_error(instructions::pause(&admin, &mint, PauseScope::All), &[&fixture.admin], "Unauthorized").await;
    assert_eq!(seqs, (1..=6).collect::<Vec<u64>>());
    assert_eq!(fixture.config().await.event_seq, 6);
}
