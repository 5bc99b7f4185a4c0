//! The transfer hook: every transfer of the mint passes through the program.
use crate::harness::*;
use solana_signer::Signer;
use usd1_client::instructions;

#[tokio::test]
async fn a_transfer_between_clean_holders_passes_the_hook() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let alice = fixture.new_identity();
    let bob = fixture.new_identity();
    fixture.fund_holder(&alice.pubkey(), 5 * ONE_TOKEN).await;
    fixture.create_token_account(&bob.pubkey()).await;
    let executed = fixture.transfer(&alice, &bob.pubkey(), 2 * ONE_TOKEN).await.expect("transfer");
    // Token-2022 invoked the hook: our program appears as an inner instruction.
    let hook_calls = executed.inner_instructions.iter().flatten().filter(|inner| inner.program_id == usd1_client::PROGRAM_ID).count();
    assert_eq!(hook_calls, 1);
    assert!(executed.events.is_empty(), "the hook changes no state and emits no event");
    assert_eq!(fixture.ledger.balance(&alice.pubkey(), &mint).await.unwrap(), 3 * ONE_TOKEN);
    assert_eq!(fixture.ledger.balance(&bob.pubkey(), &mint).await.unwrap(), 2 * ONE_TOKEN);
}

#[tokio::test]
async fn the_hook_refuses_a_call_outside_a_transfer() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let alice = fixture.new_identity();
    let bob = fixture.new_identity();
    let source = fixture.fund_holder(&alice.pubkey(), ONE_TOKEN).await;
    let destination = fixture.create_token_account(&bob.pubkey()).await;
    let instruction = instructions::transfer_hook_execute(&mint, &source, &destination, &alice.pubkey(), ONE_TOKEN);
    fixture.ledger.expect_error(instruction, &[&alice], "NotTransferring").await;
}
