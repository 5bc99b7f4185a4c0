//! pause / unpause by scope; `transfers` drives the Token-2022 Pausable extension.
use crate::{event, harness::*};
use solana_signer::Signer;
use usd1_client::{instructions, PauseScope};

#[tokio::test]
async fn each_scope_sets_its_flags_and_all_sets_every_one() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let pauser = fixture.pauser.pubkey();
    let cases = [
        (PauseScope::Mint, (true, false, false)),
        (PauseScope::Redeem, (false, true, false)),
        (PauseScope::Transfers, (false, false, true)),
        (PauseScope::All, (true, true, true)),
    ];
    for (scope, flags) in cases {
        let events = fixture.ledger.expect_ok(instructions::pause(&pauser, &mint, scope), &[&fixture.pauser]).await;
        let paused = event!(events, Paused);
        assert_eq!((paused.scope, paused.by), (scope, pauser));
        assert_eq!((paused.mint_paused, paused.redeem_paused, paused.transfers_paused), flags);
        let config = fixture.config().await;
        assert_eq!((config.mint_paused, config.redeem_paused, config.transfers_paused), flags);
        assert_eq!(fixture.ledger.mint_info(&mint).await.unwrap().paused, flags.2, "Token-2022 follows the transfers scope");

        let events = fixture.ledger.expect_ok(instructions::unpause(&pauser, &mint, scope), &[&fixture.pauser]).await;
        let unpaused = event!(events, Unpaused);
        assert_eq!((unpaused.mint_paused, unpaused.redeem_paused, unpaused.transfers_paused), (false, false, false));
        assert!(!fixture.ledger.mint_info(&mint).await.unwrap().paused);
    }
    assert_eq!(fixture.config().await.event_seq, 1 + 8);
}

#[tokio::test]
async fn pause_is_idempotent_and_scopes_combine() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let pauser = fixture.pauser.pubkey();
    fixture.ledger.expect_ok(instructions::pause(&pauser, &mint, PauseScope::Transfers), &[&fixture.pauser]).await;
    // Pausing again (or pausing all while one scope is paused) never fails during an incident.
    fixture.ledger.expect_ok(instructions::pause(&pauser, &mint, PauseScope::Transfers), &[&fixture.pauser]).await;
    fixture.ledger.expect_ok(instructions::pause(&pauser, &mint, PauseScope::All), &[&fixture.pauser]).await;
    // Unpausing only mint leaves redeem and transfers paused.
    let events = fixture.ledger.expect_ok(instructions::unpause(&pauser, &mint, PauseScope::Mint), &[&fixture.pauser]).await;
    let unpaused = event!(events, Unpaused);
    assert_eq!((unpaused.mint_paused, unpaused.redeem_paused, unpaused.transfers_paused), (false, true, true));
    assert!(fixture.ledger.mint_info(&mint).await.unwrap().paused);
    // Unpausing an unpaused scope is also fine.
    fixture.ledger.expect_ok(instructions::unpause(&pauser, &mint, PauseScope::Mint), &[&fixture.pauser]).await;
}

#[tokio::test]
async fn nobody_but_the_pauser_pauses_or_unpauses_not_even_the_admin() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    for scope in [PauseScope::Mint, PauseScope::Redeem, PauseScope::Transfers, PauseScope::All] {
        for signer in fixture.everyone_except(&[&fixture.pauser]) {
            fixture.ledger.expect_error(instructions::pause(&signer.pubkey(), &mint, scope), &[&signer], "Unauthorized").await;
        }
    }
    fixture.ledger.expect_ok(instructions::pause(&fixture.pauser.pubkey(), &mint, PauseScope::All), &[&fixture.pauser]).await;
    for signer in fixture.everyone_except(&[&fixture.pauser]) {
        fixture.ledger.expect_error(instructions::unpause(&signer.pubkey(), &mint, PauseScope::All), &[&signer], "Unauthorized").await;
    }
    let config = fixture.config().await;
    assert!(config.mint_paused && config.redeem_paused && config.transfers_paused);
}

#[tokio::test]
async fn a_transfer_fails_while_transfers_are_paused_and_works_after_unpause() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let alice = fixture.new_identity();
    let bob = fixture.new_identity();
    fixture.fund_holder(&alice.pubkey(), 10 * ONE_TOKEN).await;
    fixture.create_token_account(&bob.pubkey()).await;

    fixture.ledger.expect_ok(instructions::pause(&fixture.pauser.pubkey(), &mint, PauseScope::Transfers), &[&fixture.pauser]).await;
    let failure = fixture.transfer(&alice, &bob.pubkey(), ONE_TOKEN).await.expect_err("paused");
    assert_eq!(failure.name(), "Token2022:MintPaused");
    assert_eq!(fixture.ledger.balance(&alice.pubkey(), &mint).await.unwrap(), 10 * ONE_TOKEN);

    // Pausing only minting does not stop holders.
    fixture.ledger.expect_ok(instructions::unpause(&fixture.pauser.pubkey(), &mint, PauseScope::Transfers), &[&fixture.pauser]).await;
    fixture.ledger.expect_ok(instructions::pause(&fixture.pauser.pubkey(), &mint, PauseScope::Mint), &[&fixture.pauser]).await;
    fixture.transfer(&alice, &bob.pubkey(), ONE_TOKEN).await.expect("transfer after unpause");
    assert_eq!(fixture.ledger.balance(&alice.pubkey(), &mint).await.unwrap(), 9 * ONE_TOKEN);
    assert_eq!(fixture.ledger.balance(&bob.pubkey(), &mint).await.unwrap(), ONE_TOKEN);
}
