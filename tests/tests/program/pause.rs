//! pause / unpause by scope (SPEC 9): `transfers` is the hook's; only `all` sets Token-2022 Pausable.
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
        let fully_paused = flags == (true, true, true);
        assert_eq!(fixture.ledger.mint_info(&mint).await.unwrap().paused, fully_paused, "Token-2022 Pausable only for all");

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
    assert!(!fixture.ledger.mint_info(&mint).await.unwrap().paused, "no longer every scope: Token-2022 Pausable lifted");
    // Pausing mint again makes it every scope: Pausable is set again.
    fixture.ledger.expect_ok(instructions::pause(&pauser, &mint, PauseScope::Mint), &[&fixture.pauser]).await;
    assert!(fixture.ledger.mint_info(&mint).await.unwrap().paused);
    fixture.ledger.expect_ok(instructions::unpause(&pauser, &mint, PauseScope::Mint), &[&fixture.pauser]).await;
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
    assert_eq!(failure.name(), "TransfersPaused");
    assert_eq!(fixture.ledger.balance(&alice.pubkey(), &mint).await.unwrap(), 10 * ONE_TOKEN);

    // Pausing only minting does not stop holders.
    fixture.ledger.expect_ok(instructions::unpause(&fixture.pauser.pubkey(), &mint, PauseScope::Transfers), &[&fixture.pauser]).await;
    fixture.ledger.expect_ok(instructions::pause(&fixture.pauser.pubkey(), &mint, PauseScope::Mint), &[&fixture.pauser]).await;
    fixture.transfer(&alice, &bob.pubkey(), ONE_TOKEN).await.expect("transfer after unpause");
    assert_eq!(fixture.ledger.balance(&alice.pubkey(), &mint).await.unwrap(), 9 * ONE_TOKEN);
    assert_eq!(fixture.ledger.balance(&bob.pubkey(), &mint).await.unwrap(), ONE_TOKEN);
}

#[tokio::test]
async fn a_transfers_pause_lets_minting_and_redemption_go_on() {
    // Issue 10, item 4: `transfers` used to set Token-2022 Pausable, which also stopped the
    // program's own MintTo and burns. Now only holder transfers stop.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let alice = fixture.new_identity();
    fixture.fund_holder(&alice.pubkey(), 10 * ONE_TOKEN).await;
    let minter = fixture.treasury_minter.as_ref().map(solana_keypair::Keypair::insecure_clone).unwrap();
    fixture.ledger.expect_ok(instructions::pause(&fixture.pauser.pubkey(), &mint, PauseScope::Transfers), &[&fixture.pauser]).await;
    assert!(!fixture.ledger.mint_info(&mint).await.unwrap().paused);
    fixture.mint_ok(&minter, &alice.pubkey(), ONE_TOKEN, "wire-during-transfers-pause").await;
    fixture.request_redemption(&alice, 2 * ONE_TOKEN, "ticket-during-pause").await.expect("redemption goes on");
    let complete = fixture.complete_instruction(&alice.pubkey(), "ticket-during-pause");
    let burner = fixture.burner.insecure_clone();
    fixture.ledger.expect_ok(complete, &[&burner]).await;
    assert_eq!(fixture.ledger.balance(&alice.pubkey(), &mint).await.unwrap(), 9 * ONE_TOKEN);
    assert_eq!(fixture.ledger.mint_info(&mint).await.unwrap().supply, 9 * ONE_TOKEN);
}

#[tokio::test]
async fn pause_all_also_stops_a_holders_direct_burn_and_a_delegates_transfer() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let (alice, bob, spender) = (fixture.new_identity(), fixture.new_identity(), fixture.new_identity());
    let alice_token = fixture.fund_holder(&alice.pubkey(), 10 * ONE_TOKEN).await;
    let bob_token = fixture.create_token_account(&bob.pubkey()).await;
    let approve = usd1_client::token::approve_delegate(&alice_token, &mint, &alice.pubkey(), &spender.pubkey(), 5 * ONE_TOKEN, DECIMALS);
    fixture.ledger.expect_ok_all(&[approve], &[&alice]).await;
    fixture.ledger.expect_ok(instructions::pause(&fixture.pauser.pubkey(), &mint, PauseScope::All), &[&fixture.pauser]).await;

    let burn = usd1_client::token::burn_direct(&alice_token, &mint, &alice.pubkey(), ONE_TOKEN, DECIMALS);
    fixture.ledger.expect_error(burn, &[&alice], "Token2022:MintPaused").await;
    let delegated = usd1_client::transfer::transfer_checked_between(
        &mint,
        usd1_client::transfer::TransferEnd { account: alice_token, owner: alice.pubkey() },
        usd1_client::transfer::TransferEnd { account: bob_token, owner: bob.pubkey() },
        &spender.pubkey(),
        ONE_TOKEN,
        DECIMALS,
    );
    fixture.ledger.expect_error(delegated.clone(), &[&spender], "Token2022:MintPaused").await;
    // Under `transfers` alone the hook refuses the delegate too.
    fixture.ledger.expect_ok(instructions::unpause(&fixture.pauser.pubkey(), &mint, PauseScope::Mint), &[&fixture.pauser]).await;
    fixture.ledger.expect_error(delegated, &[&spender], "TransfersPaused").await;
    assert_eq!(fixture.account_balance(&alice_token).await, 10 * ONE_TOKEN);
}
