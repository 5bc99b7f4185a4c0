//! Stress: many mints and redemptions through the embedded ledger, then a full
//! check of supply, receipts and escrow. `USD1_STRESS_COUNT` sets the count
//! (default 10,000 mints and 10,000 redemptions); the wall time is printed.
use crate::harness::*;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::time::Instant;
use usd1_client::{instructions, reference_hash, RedemptionStatus};

#[tokio::test]
async fn ten_thousand_mints_and_ten_thousand_redemptions() {
    let count: u64 = std::env::var("USD1_STRESS_COUNT").ok().and_then(|text| text.parse().ok()).unwrap_or(10_000);
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(count * 10 * ONE_TOKEN).await;
    let burner = fixture.burner.insecure_clone();
    let holders: Vec<Keypair> = (0..8).map(|_| fixture.new_identity()).collect();
    for holder in &holders {
        fixture.create_token_account(&holder.pubkey()).await;
    }

    let started = Instant::now();
    for index in 0..count {
        let holder = &holders[(index % 8) as usize];
        let instruction = instructions::mint(&minter.pubkey(), &minter.pubkey(), &mint, &holder.pubkey(), 2 * ONE_TOKEN, reference_hash(&format!("wire-{index}")), FAR_FUTURE);
        fixture.ledger.send_unobserved(&[instruction], &[&minter]).await.unwrap_or_else(|failure| panic!("mint {index}: {failure}"));
    }
    let minting = started.elapsed();

    // Every redemption is requested; every other one is completed (burned), the rest stay pending.
    let started = Instant::now();
    let mut pending = 0u64;
    for index in 0..count {
        let holder = &holders[(index % 8) as usize];
        let hash = reference_hash(&format!("ticket-{index}"));
        let request = instructions::request_redemption(&holder.pubkey(), &mint, ONE_TOKEN, hash);
        fixture.ledger.send_unobserved(&[request], &[holder]).await.unwrap_or_else(|failure| panic!("request {index}: {failure}"));
        if index % 2 == 0 {
            let complete = instructions::complete_redemption(&burner.pubkey(), &mint, &holder.pubkey(), hash, reference_hash("payout"));
            fixture.ledger.send_unobserved(&[complete], &[&burner]).await.unwrap_or_else(|failure| panic!("complete {index}: {failure}"));
        } else {
            pending += ONE_TOKEN;
        }
    }
    let redeeming = started.elapsed();

    let completed = count.div_ceil(2);
    let config = fixture.config().await;
    let supply = fixture.ledger.mint_info(&mint).await.unwrap().supply;
    assert_eq!(config.total_minted, count * 2 * ONE_TOKEN);
    assert_eq!(config.total_burned, completed * ONE_TOKEN);
    assert_eq!(supply, config.total_minted - config.total_burned, "invariant 1");
    assert_eq!(fixture.ledger.escrow_balance(&mint).await.unwrap(), pending, "invariant 7");
    assert_eq!((config.escrowed, config.pending_redemptions), (pending, count - completed));
    let holder_total: u64 = {
        let mut total = 0;
        for holder in &holders {
            total += fixture.ledger.balance(&holder.pubkey(), &mint).await.unwrap();
        }
        total
    };
    assert_eq!(holder_total + pending, supply);
    // Spot-check receipts and requests across the range (every one exists exactly once by construction of the PDAs).
    for index in (0..count).step_by((count / 50).max(1) as usize) {
        let receipt = fixture.ledger.mint_receipt(&mint, &reference_hash(&format!("wire-{index}"))).await.unwrap().expect("receipt");
        assert_eq!(receipt.amount, 2 * ONE_TOKEN);
        let holder = holders[(index % 8) as usize].pubkey();
        let request = fixture.ledger.redemption_request(&mint, &holder, &reference_hash(&format!("ticket-{index}"))).await.unwrap().expect("request");
        let expected = if index % 2 == 0 { RedemptionStatus::Completed } else { RedemptionStatus::Pending };
        assert_eq!(request.status, expected);
    }
    // A reference reused at the end is still refused.
    fixture.mint_error(&minter, &holders[0].pubkey(), ONE_TOKEN, "wire-0", "DuplicateReference").await;
    println!(
        "stress: {count} mints in {:.1} s ({:.0}/s); {count} redemption requests + {completed} completions in {:.1} s ({:.0} tx/s)",
        minting.as_secs_f64(),
        count as f64 / minting.as_secs_f64(),
        redeeming.as_secs_f64(),
        (count + completed) as f64 / redeeming.as_secs_f64()
    );
}
