//! request_redemption / complete_redemption / reject_redemption / burn: escrow, then burn or return.
use crate::{event, harness::*};
use solana_keypair::Keypair;
use solana_signer::Signer;
use usd1_client::{instructions, reference_hash, PauseScope, RedemptionStatus};

/// A deployment with a holder owning 100 tokens.
async fn with_holder() -> (Fixture, Keypair) {
    let mut fixture = Fixture::new().await;
    let holder = fixture.new_identity();
    fixture.fund_holder(&holder.pubkey(), 100 * ONE_TOKEN).await;
    (fixture, holder)
}

#[tokio::test]
async fn a_redemption_escrows_then_burns() {
    let (mut fixture, holder) = with_holder().await;
    let mint = fixture.mint_key();
    let executed = fixture.request_redemption(&holder, 40 * ONE_TOKEN, "ticket-1").await.expect("request");
    let requested = event!(executed.events, RedemptionRequested);
    assert_eq!((requested.holder, requested.amount, requested.escrowed), (holder.pubkey(), 40 * ONE_TOKEN, 40 * ONE_TOKEN));
    assert_eq!(requested.reference_hash, reference_hash("ticket-1"));
    assert_eq!(fixture.ledger.balance(&holder.pubkey(), &mint).await.unwrap(), 60 * ONE_TOKEN);
    let request = fixture.ledger.redemption_request(&mint, &holder.pubkey(), &reference_hash("ticket-1")).await.unwrap().unwrap();
    assert_eq!((request.holder, request.amount, request.status), (holder.pubkey(), 40 * ONE_TOKEN, RedemptionStatus::Pending));
    fixture.assert_redemption_invariants(&[40 * ONE_TOKEN]).await;

    let burner = fixture.burner.insecure_clone();
    let events = fixture.ledger.expect_ok(fixture.complete_instruction(&holder.pubkey(), "ticket-1"), &[&burner]).await;
    let completed = event!(events, RedemptionCompleted);
    assert_eq!((completed.amount, completed.supply, completed.escrowed), (40 * ONE_TOKEN, 60 * ONE_TOKEN, 0));
    assert_eq!(completed.payout_reference_hash, reference_hash("payout"));
    let request = fixture.ledger.redemption_request(&mint, &holder.pubkey(), &reference_hash("ticket-1")).await.unwrap().unwrap();
    assert_eq!((request.status, request.settlement_hash), (RedemptionStatus::Completed, reference_hash("payout")));
    assert_eq!(fixture.ledger.mint_info(&mint).await.unwrap().supply, 60 * ONE_TOKEN);
    assert_eq!(fixture.config().await.total_burned, 40 * ONE_TOKEN);
    fixture.assert_redemption_invariants(&[]).await;

    // Settled once: neither settlement can run again, and the reference cannot be reused.
    fixture.ledger.expect_error(fixture.complete_instruction(&holder.pubkey(), "ticket-1"), &[&burner], "RedemptionNotPending").await;
    let reject = fixture.reject_instruction(&holder.pubkey(), "ticket-1").await;
    fixture.ledger.expect_error(reject, &[&burner], "RedemptionNotPending").await;
    let failure = fixture.request_redemption(&holder, ONE_TOKEN, "ticket-1").await.expect_err("reused reference");
    assert_eq!(failure.name(), "DuplicateReference");
}

#[tokio::test]
async fn a_rejected_redemption_returns_the_tokens() {
    let (mut fixture, holder) = with_holder().await;
    let mint = fixture.mint_key();
    fixture.request_redemption(&holder, 25 * ONE_TOKEN, "ticket-1").await.expect("request");
    let burner = fixture.burner.insecure_clone();
    let reject = fixture.reject_instruction(&holder.pubkey(), "ticket-1").await;
    let events = fixture.ledger.expect_ok(reject.clone(), &[&burner]).await;
    let rejected = event!(events, RedemptionRejected);
    assert_eq!((rejected.holder, rejected.amount, rejected.escrowed), (holder.pubkey(), 25 * ONE_TOKEN, 0));
    assert_eq!(fixture.ledger.balance(&holder.pubkey(), &mint).await.unwrap(), 100 * ONE_TOKEN);
    let request = fixture.ledger.redemption_request(&mint, &holder.pubkey(), &reference_hash("ticket-1")).await.unwrap().unwrap();
    assert_eq!(request.status, RedemptionStatus::Rejected);
    fixture.assert_redemption_invariants(&[]).await;
    fixture.ledger.expect_error(reject, &[&burner], "RedemptionNotPending").await;
    fixture.ledger.expect_error(fixture.complete_instruction(&holder.pubkey(), "ticket-1"), &[&burner], "RedemptionNotPending").await;
    assert_eq!(fixture.config().await.total_burned, 0);
}

#[tokio::test]
async fn request_refusals_in_order() {
    let (mut fixture, holder) = with_holder().await;
    let mint = fixture.mint_key();
    let pauser = fixture.pauser.insecure_clone();
    fixture.request_redemption(&holder, ONE_TOKEN, "used").await.expect("request");

    fixture.ledger.expect_ok(instructions::pause(&pauser.pubkey(), &mint, PauseScope::Redeem), &[&pauser]).await;
    assert_eq!(fixture.request_redemption(&holder, 0, "used").await.unwrap_err().name(), "RedemptionsPaused");
    fixture.ledger.expect_ok(instructions::unpause(&pauser.pubkey(), &mint, PauseScope::Redeem), &[&pauser]).await;
    assert_eq!(fixture.request_redemption(&holder, 0, "used").await.unwrap_err().name(), "InvalidAmount");
    assert_eq!(fixture.request_redemption(&holder, ONE_TOKEN, "used").await.unwrap_err().name(), "DuplicateReference");
    // More than the holder has: Token-2022 refuses, and no request is left behind.
    assert_eq!(fixture.request_redemption(&holder, 1_000 * ONE_TOKEN, "big").await.unwrap_err().name(), "Token2022:InsufficientFunds");
    assert!(fixture.ledger.redemption_request(&mint, &holder.pubkey(), &reference_hash("big")).await.unwrap().is_none());
    // A transfers pause does not stop redemption (SPEC 9); a frozen source account does.
    fixture.ledger.expect_ok(instructions::pause(&pauser.pubkey(), &mint, PauseScope::Transfers), &[&pauser]).await;
    fixture.request_redemption(&holder, ONE_TOKEN, "during-transfers-pause").await.expect("redemption goes on");
    fixture.ledger.expect_ok(instructions::unpause(&pauser.pubkey(), &mint, PauseScope::Transfers), &[&pauser]).await;
    fixture.denylist(&holder.pubkey()).await;
    assert_eq!(fixture.request_redemption(&holder, ONE_TOKEN, "fresh").await.unwrap_err().name(), "Denylisted");
    fixture.assert_redemption_invariants(&[ONE_TOKEN, ONE_TOKEN]).await;
}

#[tokio::test]
async fn only_the_burner_settles_and_not_while_redemptions_are_paused() {
    let (mut fixture, holder) = with_holder().await;
    let mint = fixture.mint_key();
    fixture.request_redemption(&holder, ONE_TOKEN, "ticket-1").await.expect("request");
    let hash = reference_hash("ticket-1");
    for signer in fixture.everyone_except(&[&fixture.burner]) {
        let key = signer.pubkey();
        let complete = instructions::complete_redemption(&key, &mint, &holder.pubkey(), hash, [0; 32]);
        fixture.ledger.expect_error(complete, &[&signer], "Unauthorized").await;
        let reject = instructions::reject_redemption(&key, &mint, &holder.pubkey(), hash, [0; 32]);
        fixture.ledger.expect_error(reject, &[&signer], "Unauthorized").await;
    }
    let (pauser, burner) = (fixture.pauser.insecure_clone(), fixture.burner.insecure_clone());
    fixture.ledger.expect_ok(instructions::pause(&pauser.pubkey(), &mint, PauseScope::Redeem), &[&pauser]).await;
    fixture.ledger.expect_error(fixture.complete_instruction(&holder.pubkey(), "ticket-1"), &[&burner], "RedemptionsPaused").await;
    let reject = fixture.reject_instruction(&holder.pubkey(), "ticket-1").await;
    fixture.ledger.expect_error(reject, &[&burner], "RedemptionsPaused").await;
    fixture.assert_redemption_invariants(&[ONE_TOKEN]).await;
    fixture.ledger.expect_ok(instructions::unpause(&pauser.pubkey(), &mint, PauseScope::Redeem), &[&pauser]).await;
    fixture.ledger.expect_ok(fixture.complete_instruction(&holder.pubkey(), "ticket-1"), &[&burner]).await;
    fixture.assert_redemption_invariants(&[]).await;
}

#[tokio::test]
async fn a_holder_denylisted_after_requesting_loses_nothing() {
    let (mut fixture, holder) = with_holder().await;
    let mint = fixture.mint_key();
    let (burner, denylister) = (fixture.burner.insecure_clone(), fixture.denylister.insecure_clone());
    fixture.request_redemption(&holder, 30 * ONE_TOKEN, "ticket-1").await.expect("request");
    fixture.denylist(&holder.pubkey()).await;

    // Returning tokens to a denylisted wallet is refused; they stay escrowed, the request stays pending.
    let reject = fixture.reject_instruction(&holder.pubkey(), "ticket-1").await;
    fixture.ledger.expect_error(reject.clone(), &[&burner], "Denylisted").await;
    let request = fixture.ledger.redemption_request(&mint, &holder.pubkey(), &reference_hash("ticket-1")).await.unwrap().unwrap();
    assert_eq!(request.status, RedemptionStatus::Pending);
    fixture.assert_redemption_invariants(&[30 * ONE_TOKEN]).await;

    // Once the case is cleared (the account thawed), the rejection goes through and the tokens come back.
    let holder_token = usd1_client::pda::associated_token_address(&holder.pubkey(), &mint);
    let instruction = instructions::denylist_remove(&denylister.pubkey(), &mint, &holder.pubkey(), &[holder_token]);
    fixture.ledger.expect_ok(instruction, &[&denylister]).await;
    fixture.ledger.expect_ok(reject, &[&burner]).await;
    assert_eq!(fixture.ledger.balance(&holder.pubkey(), &mint).await.unwrap(), 100 * ONE_TOKEN);
    fixture.assert_redemption_invariants(&[]).await;
}

#[tokio::test]
async fn the_burner_burns_its_own_balance() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let burner = fixture.burner.insecure_clone();
    fixture.fund_holder(&burner.pubkey(), 10 * ONE_TOKEN).await;
    let events = fixture.ledger.expect_ok(instructions::burn(&burner.pubkey(), &mint, 4 * ONE_TOKEN), &[&burner]).await;
    let burned = event!(events, Burned);
    assert_eq!((burned.burner, burned.amount, burned.supply), (burner.pubkey(), 4 * ONE_TOKEN, 6 * ONE_TOKEN));
    assert_eq!(fixture.config().await.total_burned, 4 * ONE_TOKEN);
    fixture.assert_redemption_invariants(&[]).await;

    fixture.ledger.expect_error(instructions::burn(&burner.pubkey(), &mint, 0), &[&burner], "InvalidAmount").await;
    fixture.ledger.expect_error(instructions::burn(&burner.pubkey(), &mint, 7 * ONE_TOKEN), &[&burner], "Token2022:InsufficientFunds").await;
    let holder = fixture.new_identity();
    fixture.fund_holder(&holder.pubkey(), ONE_TOKEN).await;
    for signer in fixture.everyone_except(&[&burner]).into_iter().chain([holder]) {
        let instruction = instructions::burn(&signer.pubkey(), &mint, 1);
        // Every other role fails the role check; the holder too (it holds tokens but not the role).
        fixture.ledger.expect_error(instruction, &[&signer], "Unauthorized").await;
    }
    let pauser = fixture.pauser.insecure_clone();
    fixture.ledger.expect_ok(instructions::pause(&pauser.pubkey(), &mint, PauseScope::Redeem), &[&pauser]).await;
    fixture.ledger.expect_error(instructions::burn(&burner.pubkey(), &mint, 1), &[&burner], "RedemptionsPaused").await;
    fixture.assert_redemption_invariants(&[]).await;
}

#[tokio::test]
async fn many_redemptions_keep_invariants_one_five_six_and_seven() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let holders: Vec<Keypair> = (0..3).map(|_| fixture.new_identity()).collect();
    for holder in &holders {
        fixture.fund_holder(&holder.pubkey(), 100 * ONE_TOKEN).await;
    }
    let (burner, pauser) = (fixture.burner.insecure_clone(), fixture.pauser.insecure_clone());
    let mut pending: Vec<(solana_pubkey::Pubkey, String, u64)> = Vec::new();
    for step in 0..30usize {
        let holder = &holders[step % 3];
        match step % 5 {
            0 | 1 | 2 => {
                let reference = format!("ticket-{step}");
                let amount = (step as u64 + 1) * ONE_TOKEN / 2;
                fixture.request_redemption(holder, amount, &reference).await.expect("request");
                pending.push((holder.pubkey(), reference, amount));
            }
            3 => {
                if let Some((owner, reference, _)) = pending.first().cloned() {
                    fixture.ledger.expect_ok(fixture.complete_instruction(&owner, &reference), &[&burner]).await;
                    pending.remove(0);
                }
            }
            _ => {
                if let Some((owner, reference, _)) = pending.last().cloned() {
                    // While paused, nothing moves (invariant 5), and nothing is half-applied.
                    fixture.ledger.expect_ok(instructions::pause(&pauser.pubkey(), &mint, PauseScope::Redeem), &[&pauser]).await;
                    let reject = fixture.reject_instruction(&owner, &reference).await;
                    fixture.ledger.expect_error(reject.clone(), &[&burner], "RedemptionsPaused").await;
                    fixture.ledger.expect_ok(instructions::unpause(&pauser.pubkey(), &mint, PauseScope::Redeem), &[&pauser]).await;
                    fixture.ledger.expect_ok(reject, &[&burner]).await;
                    pending.pop();
                }
            }
        }
        let amounts: Vec<u64> = pending.iter().map(|(_, _, amount)| *amount).collect();
        fixture.assert_redemption_invariants(&amounts).await;
    }
    assert!(!pending.is_empty());
}

#[tokio::test]
async fn a_rejection_always_goes_to_the_holders_associated_account() {
    // v3 (issue 21): nothing the holder does to the request's source (or to its associated
    // account) can make its request impossible to reject, which would leave `complete` (burn and
    // pay) as the only way out.
    let (mut fixture, holder) = with_holder().await;
    let mint = fixture.mint_key();
    let burner = fixture.burner.insecure_clone();
    let holder_associated = usd1_client::pda::associated_token_address(&holder.pubkey(), &mint);
    let named = fixture.create_named_token_account(&holder.pubkey()).await;
    let to_named = usd1_client::transfer::transfer_checked_between(
        &mint,
        usd1_client::transfer::TransferEnd { account: holder_associated, owner: holder.pubkey() },
        usd1_client::transfer::TransferEnd { account: named, owner: holder.pubkey() },
        &holder.pubkey(),
        4 * ONE_TOKEN,
        DECIMALS,
    );
    fixture.ledger.expect_ok_all(&[to_named], &[&holder]).await;
    let mut request = instructions::request_redemption(&holder.pubkey(), &mint, 4 * ONE_TOKEN, reference_hash("from-named"));
    request = substitute(request, &holder_associated, &named);
    fixture.ledger.expect_ok_all(&[request], &[&holder]).await;
    // The holder turns on MemoTransfer on its associated account (an escrow transfer back would
    // need a memo): the tokens still come back, minted after the Escrow's burn.
    let token = spl_token_2022_interface::ID;
    let reallocate = spl_token_2022_interface::instruction::reallocate(
        &token,
        &holder_associated,
        &holder.pubkey(),
        &holder.pubkey(),
        &[],
        &[spl_token_2022_interface::extension::ExtensionType::MemoTransfer],
    )
    .unwrap();
    let memos = spl_token_2022_interface::extension::memo_transfer::instruction::enable_required_transfer_memos(&token, &holder_associated, &holder.pubkey(), &[]).unwrap();
    fixture.ledger.expect_ok_all(&[reallocate, memos], &[&holder]).await;
    let hash = reference_hash("from-named");
    let reject = instructions::reject_redemption(&burner.pubkey(), &mint, &holder.pubkey(), hash, [0; 32]);
    // No other account takes the associated account's place.
    let stranger_account = fixture.fund_holder(&fixture.stranger.pubkey(), ONE_TOKEN).await;
    fixture.ledger.expect_error(substitute(reject.clone(), &holder_associated, &stranger_account), &[&burner], "Anchor:ConstraintSeeds").await;
    fixture.ledger.expect_error(substitute(reject.clone(), &holder_associated, &named), &[&burner], "Anchor:ConstraintSeeds").await;
    let (before, supply_before) = (fixture.account_balance(&holder_associated).await, fixture.ledger.mint_info(&mint).await.unwrap().supply);
    fixture.ledger.expect_ok(reject, &[&burner]).await;
    assert_eq!(fixture.account_balance(&holder_associated).await, before + 4 * ONE_TOKEN);
    assert_eq!(fixture.account_balance(&named).await, 0);
    assert_eq!(fixture.ledger.mint_info(&mint).await.unwrap().supply, supply_before, "a rejection leaves supply where it was");
    fixture.assert_redemption_invariants(&[]).await;

    // The holder empties and closes its associated account after requesting: the client
    // re-creates it in the rejection's own transaction.
    let balance = fixture.account_balance(&holder_associated).await;
    fixture.request_redemption(&holder, balance, "everything").await.expect("request");
    let close = spl_token_2022_interface::instruction::close_account(&token, &holder_associated, &holder.pubkey(), &holder.pubkey(), &[]).unwrap();
    fixture.ledger.expect_ok_all(&[close], &[&holder]).await;
    let bare = instructions::reject_redemption(&burner.pubkey(), &mint, &holder.pubkey(), reference_hash("everything"), [0; 32]);
    fixture.ledger.expect_error(bare, &[&burner], "InvalidTokenAccount").await;
    let with_account = instructions::reject_redemption_instructions(&burner.pubkey(), &burner.pubkey(), &mint, &holder.pubkey(), reference_hash("everything"), [0; 32]);
    fixture.ledger.expect_ok_all(&with_account, &[&burner]).await;
    assert_eq!(fixture.account_balance(&holder_associated).await, balance);
}
