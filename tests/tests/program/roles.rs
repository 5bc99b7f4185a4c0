//! set_role: the admin assigns the single-key roles; nobody else can.
use crate::{event, harness::*};
use solana_signer::Signer;
use usd1_client::{instructions, PauseScope, Role};

const ROLES: [Role; 5] = [Role::MasterMinter, Role::Pauser, Role::Denylister, Role::Burner, Role::Attester];

#[tokio::test]
async fn admin_sets_every_role_with_an_event() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let mut expected_seq = fixture.config().await.event_seq;
    for role in ROLES {
        let previous = fixture.config().await.role_holder(role);
        let holder = fixture.new_identity().pubkey();
        let events = fixture.ledger.expect_ok(instructions::set_role(&fixture.admin.pubkey(), &mint, role, &holder), &[&fixture.admin]).await;
        expected_seq += 1;
        let updated = event!(events, RoleUpdated);
        assert_eq!((updated.seq, updated.role, updated.previous, updated.new), (expected_seq, role, previous, holder));
        assert_eq!(fixture.config().await.role_holder(role), holder);
    }
}

#[tokio::test]
async fn nobody_but_the_admin_sets_a_role() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let target = fixture.new_identity().pubkey();
    for role in ROLES {
        for signer in fixture.everyone_except(&[&fixture.admin]) {
            let instruction = instructions::set_role(&signer.pubkey(), &mint, role, &target);
            fixture.ledger.expect_error(instruction, &[&signer], "Unauthorized").await;
        }
    }
    assert_eq!(fixture.config().await.event_seq, 1, "no refused call changed state");
}

#[tokio::test]
async fn the_admin_cannot_give_itself_a_role() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let admin = fixture.admin.pubkey();
    for role in ROLES {
        fixture.ledger.expect_error(instructions::set_role(&admin, &mint, role, &admin), &[&fixture.admin], "RoleConflict").await;
        let unset = solana_pubkey::Pubkey::default();
        fixture.ledger.expect_error(instructions::set_role(&admin, &mint, role, &unset), &[&fixture.admin], "RoleConflict").await;
    }
}

#[tokio::test]
async fn a_replaced_pauser_loses_the_power_at_once() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let new_pauser = fixture.new_identity();
    fixture
        .ledger
        .expect_ok(instructions::set_role(&fixture.admin.pubkey(), &mint, Role::Pauser, &new_pauser.pubkey()), &[&fixture.admin])
        .await;
    fixture
        .ledger
        .expect_error(instructions::pause(&fixture.pauser.pubkey(), &mint, PauseScope::Mint), &[&fixture.pauser], "Unauthorized")
        .await;
    fixture.ledger.expect_ok(instructions::pause(&new_pauser.pubkey(), &mint, PauseScope::Mint), &[&new_pauser]).await;
}
