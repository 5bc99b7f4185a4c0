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

/// The hook reads the Config in place (no Anchor deserialization): the offsets it reads must be
/// the Anchor struct's, whatever the lengths of the fields before them (an Option, a Vec).
#[tokio::test]
async fn the_hooks_in_place_reads_match_the_anchor_config_layout() {
    use usd1::instructions::transfer_hook_execute::config_layout;
    for council_size in [1usize, 10] {
        let mut fixture = Fixture::with_params(|params| {
            params.council = (0..council_size).map(|_| solana_pubkey::Pubkey::new_unique()).collect();
            params.threshold = 1;
        })
        .await;
        let mint = fixture.mint_key();
        let config_address = usd1_client::pda::config_address(&mint);
        let pauser = fixture.pauser.insecure_clone();
        let admin = fixture.admin.insecure_clone();
        // Each state: as initialized, with a pending admin (the Option grows), transfers paused.
        for step in 0..3 {
            match step {
                1 => {
                    fixture.ledger.expect_ok(instructions::transfer_admin(&admin.pubkey(), &mint, &solana_pubkey::Pubkey::new_unique()), &[&admin]).await;
                }
                2 => {
                    fixture.ledger.expect_ok(instructions::pause(&pauser.pubkey(), &mint, usd1_client::PauseScope::Transfers), &[&pauser]).await;
                }
                _ => {}
            }
            let data = fixture.ledger.account(&config_address).await.unwrap().unwrap().data;
            let decoded = fixture.config().await;
            assert_eq!(decoded.council.len(), council_size);
            assert_eq!(decoded.pending_admin.is_some(), step >= 1);
            assert_eq!(&data[config_layout::MINT..config_layout::MINT + 32], mint.as_ref());
            let offset = config_layout::transfers_paused_offset(&data).expect("offset");
            assert_eq!(data[offset] != 0, decoded.transfers_paused, "council {council_size}, step {step}");
            assert_eq!(decoded.transfers_paused, step == 2);
            // The byte is the flag itself: flipping it flips what Anchor decodes.
            let mut flipped = data.clone();
            flipped[offset] ^= 1;
            let redecoded = usd1_client::accounts::decode_config(&flipped).unwrap();
            assert_eq!(redecoded.transfers_paused, !decoded.transfers_paused);
            assert_eq!((redecoded.mint_paused, redecoded.redeem_paused), (decoded.mint_paused, decoded.redeem_paused));
        }
    }
}

/// Called directly (as anyone may), the hook refuses every substituted or missing account with
/// the refusal Anchor's account checks gave before it read them in place.
#[tokio::test]
async fn the_hooks_accounts_cannot_be_substituted_or_left_out() {
    use usd1_client::pda;
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let other = fixture.deploy_another().await.pubkey();
    let (config, other_config) = (pda::config_address(&mint), pda::config_address(&other));
    let (registry, other_registry) = (pda::denylist_registry_address(&config), pda::denylist_registry_address(&other_config));
    let alice = fixture.new_identity();
    let bob = fixture.new_identity();
    let source = fixture.fund_holder(&alice.pubkey(), ONE_TOKEN).await;
    let destination = fixture.create_token_account(&bob.pubkey()).await;
    let hook = instructions::transfer_hook_execute(&mint, &source, &destination, &alice.pubkey(), ONE_TOKEN);
    // Another deployment's Config or registry.
    fixture.ledger.expect_error(substitute(hook.clone(), &config, &other_config), &[], "Anchor:ConstraintSeeds").await;
    fixture.ledger.expect_error(substitute(hook.clone(), &registry, &other_registry), &[], "Anchor:ConstraintSeeds").await;
    // The program's accounts of the wrong kind, each in the other's place.
    fixture.ledger.expect_error(substitute(hook.clone(), &config, &registry), &[], "Anchor:AccountDiscriminatorMismatch").await;
    fixture.ledger.expect_error(substitute(hook.clone(), &registry, &config), &[], "Anchor:AccountDiscriminatorMismatch").await;
    // Accounts no program of ours owns.
    fixture.ledger.expect_error(substitute(hook.clone(), &config, &alice.pubkey()), &[], "Anchor:AccountOwnedByWrongProgram").await;
    fixture.ledger.expect_error(substitute(hook.clone(), &registry, &source), &[], "Anchor:AccountOwnedByWrongProgram").await;
    fixture.ledger.expect_error(substitute(hook.clone(), &source, &config), &[], "Anchor:AccountOwnedByWrongProgram").await;
    // A token account of the other mint, as source or destination.
    fixture.ledger.expect_ok(usd1_client::transfer::create_associated_token_account(&fixture.ledger.payer().pubkey(), &alice.pubkey(), &other), &[]).await;
    let foreign = pda::associated_token_address(&alice.pubkey(), &other);
    fixture.ledger.expect_error(substitute(hook.clone(), &source, &foreign), &[], "Anchor:ConstraintTokenMint").await;
    fixture.ledger.expect_error(substitute(hook.clone(), &destination, &foreign), &[], "Anchor:ConstraintTokenMint").await;
    // The other mint beside this Config.
    fixture.ledger.expect_error(substitute(hook.clone(), &mint, &other), &[], "Anchor:ConstraintSeeds").await;
    // Accounts left out, data cut short, or an instruction the program does not have.
    let mut short = hook.clone();
    short.accounts.truncate(6);
    fixture.ledger.expect_error(short, &[], "Anchor:AccountNotEnoughKeys").await;
    let mut cut = hook.clone();
    cut.data.truncate(12);
    fixture.ledger.expect_error(cut, &[], "Anchor:InstructionDidNotDeserialize").await;
    let mut unknown = hook.clone();
    unknown.data[0] ^= 0xff;
    fixture.ledger.expect_error(unknown, &[], "Anchor:InstructionFallbackNotFound").await;
    // And with every account right, outside a transfer: still refused.
    fixture.ledger.expect_error(hook, &[], "NotTransferring").await;
}

/// A transfer that leaves out the hook's extra accounts (only the hook program appended): the
/// hook is still called, with too few accounts, and the transfer is refused.
#[tokio::test]
async fn a_transfer_without_the_hooks_extra_accounts_is_refused() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let alice = fixture.new_identity();
    let bob = fixture.new_identity();
    fixture.fund_holder(&alice.pubkey(), 2 * ONE_TOKEN).await;
    fixture.create_token_account(&bob.pubkey()).await;
    let mut instruction = usd1_client::transfer::transfer_checked(&mint, &alice.pubkey(), &bob.pubkey(), ONE_TOKEN, DECIMALS);
    instruction.accounts.truncate(4);
    instruction.accounts.push(solana_instruction::AccountMeta::new_readonly(usd1_client::PROGRAM_ID, false));
    fixture.ledger.expect_error(instruction, &[&alice], "Anchor:AccountNotEnoughKeys").await;
    assert_eq!(fixture.ledger.balance(&alice.pubkey(), &mint).await.unwrap(), 2 * ONE_TOKEN);
}
