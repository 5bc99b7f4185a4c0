//! Two-step admin handover.
use crate::{event, harness::*};
use solana_signer::Signer;
use usd1_client::{instructions, Role};

#[tokio::test]
async fn handover_takes_two_steps_and_moves_every_admin_power() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let new_admin = fixture.new_identity();

    let events = fixture
        .ledger
        .expect_ok(instructions::transfer_admin(&fixture.admin.pubkey(), &mint, &new_admin.pubkey()), &[&fixture.admin])
        .await;
    let started = event!(events, AdminTransferStarted);
    assert_eq!((started.seq, started.admin, started.pending_admin), (2, fixture.admin.pubkey(), new_admin.pubkey()));
    let config = fixture.config().await;
    assert_eq!(config.admin, fixture.admin.pubkey(), "step one changes nothing but the pending key");
    assert_eq!(config.pending_admin, Some(new_admin.pubkey()));

    let events = fixture.ledger.expect_ok(instructions::accept_admin(&new_admin.pubkey(), &mint), &[&new_admin]).await;
    let transferred = event!(events, AdminTransferred);
    assert_eq!((transferred.seq, transferred.previous_admin, transferred.new_admin), (3, fixture.admin.pubkey(), new_admin.pubkey()));
    let config = fixture.config().await;
    assert_eq!((config.admin, config.pending_admin), (new_admin.pubkey(), None));

    // The old admin lost every admin power; the new one has them.
    let someone = fixture.new_identity();
    fixture
        .ledger
        .expect_error(instructions::set_role(&fixture.admin.pubkey(), &mint, Role::Pauser, &someone.pubkey()), &[&fixture.admin], "Unauthorized")
        .await;
    fixture
        .ledger
        .expect_ok(instructions::set_role(&new_admin.pubkey(), &mint, Role::Pauser, &someone.pubkey()), &[&new_admin])
        .await;
    // A second accept has nothing pending.
    fixture
        .ledger
        .expect_error(instructions::accept_admin(&new_admin.pubkey(), &mint), &[&new_admin], "NoPendingAdmin")
        .await;
}

#[tokio::test]
async fn accept_without_a_pending_admin_is_no_pending_admin() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    for signer in fixture.everyone() {
        let instruction = instructions::accept_admin(&signer.pubkey(), &mint);
        fixture.ledger.expect_error(instruction, &[&signer], "NoPendingAdmin").await;
    }
}

#[tokio::test]
async fn only_the_pending_admin_may_accept() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let new_admin = fixture.new_identity();
    fixture
        .ledger
        .expect_ok(instructions::transfer_admin(&fixture.admin.pubkey(), &mint, &new_admin.pubkey()), &[&fixture.admin])
        .await;
    for signer in fixture.everyone() {
        let instruction = instructions::accept_admin(&signer.pubkey(), &mint);
        fixture.ledger.expect_error(instruction, &[&signer], "Unauthorized").await;
    }
    assert_eq!(fixture.config().await.admin, fixture.admin.pubkey());
}

#[tokio::test]
async fn only_the_admin_may_start_a_handover() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let target = fixture.new_identity().pubkey();
    for signer in fixture.everyone_except(&[&fixture.admin]) {
        let instruction = instructions::transfer_admin(&signer.pubkey(), &mint, &target);
        fixture.ledger.expect_error(instruction, &[&signer], "Unauthorized").await;
    }
    assert_eq!(fixture.config().await.pending_admin, None);
}

#[tokio::test]
async fn a_handover_to_a_role_holder_or_to_itself_is_a_role_conflict() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let admin = fixture.admin.pubkey();
    for target in [fixture.pauser.pubkey(), fixture.burner.pubkey(), fixture.master_minter.pubkey(), admin, solana_pubkey::Pubkey::default()] {
        let instruction = instructions::transfer_admin(&admin, &mint, &target);
        fixture.ledger.expect_error(instruction, &[&fixture.admin], "RoleConflict").await;
    }
}

#[tokio::test]
async fn the_latest_handover_replaces_the_pending_key_and_roles_avoid_it() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let admin = fixture.admin.pubkey();
    let new_admin = fixture.new_identity();
    fixture.ledger.expect_ok(instructions::transfer_admin(&admin, &mint, &new_admin.pubkey()), &[&fixture.admin]).await;
    // set_role refuses the pending admin too, so it can only happen through an earlier role.
    fixture
        .ledger
        .expect_error(instructions::set_role(&admin, &mint, Role::Burner, &new_admin.pubkey()), &[&fixture.admin], "RoleConflict")
        .await;
    // A replaced pending key: the latest transfer_admin wins.
    let other = fixture.new_identity();
    fixture.ledger.expect_ok(instructions::transfer_admin(&admin, &mint, &other.pubkey()), &[&fixture.admin]).await;
    fixture.ledger.expect_error(instructions::accept_admin(&new_admin.pubkey(), &mint), &[&new_admin], "Unauthorized").await;
    // Now the first key can be given a role, and the second accepts.
    fixture.ledger.expect_ok(instructions::set_role(&admin, &mint, Role::Burner, &new_admin.pubkey()), &[&fixture.admin]).await;
    fixture.ledger.expect_ok(instructions::accept_admin(&other.pubkey(), &mint), &[&other]).await;
    assert_eq!(fixture.config().await.admin, other.pubkey());
}
