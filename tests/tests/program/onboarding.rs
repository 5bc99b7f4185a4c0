//! Onboarded recipients, "two keys turn" (issue 21, SPEC 3 and 4 v3): compliance (the onboarder)
//! says a wallet is eligible, the minter says the issuance is authorized. While
//! `onboarding_required` is on, a compromised minter key can mint only to onboarded wallets.
use crate::harness::*;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use usd1_client::{
    events::Usd1Event,
    instructions::{self, ExecuteAccounts},
    pda, reference_hash, ProposalKind, Role, UpdateConfigParams,
};

fn onboard(fixture: &Fixture, wallet: &Pubkey, reference: &str) -> solana_instruction::Instruction {
    // The onboarder defaults to the denylister's key.
    instructions::onboard(&fixture.denylister.pubkey(), &fixture.mint_key(), wallet, reference_hash(reference))
}

#[tokio::test]
async fn the_onboarder_defaults_to_the_denylister_and_only_it_onboards() {
    let mut fixture = Fixture::new().await;
    let config = fixture.config().await;
    assert_eq!((config.onboarder, config.onboarding_required), (fixture.denylister.pubkey(), false));
    let mint = fixture.mint_key();
    let alice = fixture.new_identity().pubkey();
    let denylister = fixture.denylister.insecure_clone();
    for signer in fixture.everyone_except(&[&denylister]) {
        let instruction = instructions::onboard(&signer.pubkey(), &mint, &alice, reference_hash("kyc-1"));
        fixture.ledger.expect_error(instruction, &[&signer], "Unauthorized").await;
        fixture.ledger.expect_error(instructions::offboard(&signer.pubkey(), &mint, &alice), &[&signer], "Unauthorized").await;
    }
    let events = fixture.ledger.expect_ok(onboard(&fixture, &alice, "kyc-1"), &[&denylister]).await;
    let [Usd1Event::Onboarded(onboarded)] = events.as_slice() else { panic!("expected Onboarded, got {events:?}") };
    assert_eq!((onboarded.wallet, onboarded.reference_hash, onboarded.by), (alice, reference_hash("kyc-1"), denylister.pubkey()));
    let record = fixture.ledger.account(&pda::onboarded_address(&pda::config_address(&mint), &alice)).await.unwrap().expect("Onboarded account");
    let record = usd1_client::accounts::decode_onboarded(&record.data).unwrap();
    assert_eq!((record.wallet, record.reference_hash), (alice, reference_hash("kyc-1")));
    fixture.ledger.expect_error(onboard(&fixture, &alice, "kyc-2"), &[&denylister], "AlreadyOnboarded").await;
    let events = fixture.ledger.expect_ok(instructions::offboard(&denylister.pubkey(), &mint, &alice), &[&denylister]).await;
    assert!(matches!(events.as_slice(), [Usd1Event::Offboarded(offboarded)] if offboarded.wallet == alice));
    fixture.ledger.expect_error(instructions::offboard(&denylister.pubkey(), &mint, &alice), &[&denylister], "NotOnboarded").await;
    // A separate onboarder, given by the admin.
    let (admin, onboarder) = (fixture.admin.insecure_clone(), fixture.new_identity());
    fixture.ledger.expect_ok(instructions::set_role(&admin.pubkey(), &mint, Role::Onboarder, &onboarder.pubkey()), &[&admin]).await;
    fixture.ledger.expect_error(onboard(&fixture, &alice, "kyc-3"), &[&denylister], "Unauthorized").await;
    let instruction = instructions::onboard(&onboarder.pubkey(), &mint, &alice, reference_hash("kyc-3"));
    fixture.ledger.expect_ok(instruction, &[&onboarder]).await;
}

#[tokio::test]
async fn a_denylisted_wallet_cannot_be_onboarded() {
    let mut fixture = Fixture::new().await;
    let mallory = fixture.new_identity().pubkey();
    fixture.denylist(&mallory).await;
    let denylister = fixture.denylister.insecure_clone();
    fixture.ledger.expect_error(onboard(&fixture, &mallory, "kyc-1"), &[&denylister], "Denylisted").await;
    let config = pda::config_address(&fixture.mint_key());
    fixture.ledger.expect_error(onboard(&fixture, &config, "kyc-1"), &[&denylister], "ProtectedAccount").await;
}

#[tokio::test]
async fn while_required_a_mint_reaches_only_onboarded_wallets() {
    let mut fixture = Fixture::with_params(|params| params.onboarding_required = true).await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(100 * ONE_TOKEN).await;
    let (alice, mallory) = (fixture.new_identity().pubkey(), fixture.new_identity().pubkey());
    for wallet in [alice, mallory] {
        fixture.create_token_account(&wallet).await;
    }
    // A compromised minter key sending to a wallet of its choice: refused.
    fixture.mint_error(&minter, &mallory, ONE_TOKEN, "wire-1", "NotOnboarded").await;
    let denylister = fixture.denylister.insecure_clone();
    fixture.ledger.expect_ok(onboard(&fixture, &alice, "kyc-alice"), &[&denylister]).await;
    fixture.mint_ok(&minter, &alice, ONE_TOKEN, "wire-1").await;
    // The denylist is checked first: a listed wallet is `Denylisted`, onboarded or not.
    fixture.denylist(&alice).await;
    fixture.mint_error(&minter, &alice, ONE_TOKEN, "wire-2", "Denylisted").await;
    // Offboarded: refused again.
    let bob = fixture.new_identity().pubkey();
    fixture.create_token_account(&bob).await;
    fixture.ledger.expect_ok(onboard(&fixture, &bob, "kyc-bob"), &[&denylister]).await;
    fixture.mint_ok(&minter, &bob, ONE_TOKEN, "wire-3").await;
    fixture.ledger.expect_ok(instructions::offboard(&denylister.pubkey(), &mint, &bob), &[&denylister]).await;
    fixture.mint_error(&minter, &bob, ONE_TOKEN, "wire-4", "NotOnboarded").await;
    // Someone else's Onboarded account in the recipient's slot: the seeds pin it to the owner.
    fixture.ledger.expect_ok(onboard(&fixture, &bob, "kyc-bob-2"), &[&denylister]).await;
    let config = pda::config_address(&mint);
    let spoofed = substitute(fixture.mint_instruction(&minter, &mallory, ONE_TOKEN, "wire-5"), &pda::onboarded_address(&config, &mallory), &pda::onboarded_address(&config, &bob));
    fixture.ledger.expect_error(spoofed, &[&minter], "Anchor:ConstraintSeeds").await;
    fixture.assert_issuance_invariants(&[minter.pubkey()]).await;
}

#[tokio::test]
async fn the_admin_turns_onboarding_on_and_only_the_council_turns_it_off() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let admin = fixture.admin.insecure_clone();
    let minter = fixture.new_minter(10 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    fixture.mint_ok(&minter, &alice, ONE_TOKEN, "wire-1").await;
    let on = UpdateConfigParams { onboarding_required: Some(true), ..Default::default() };
    let events = fixture.ledger.expect_ok(instructions::update_config(&admin.pubkey(), &mint, on), &[&admin]).await;
    assert!(matches!(events.as_slice(), [Usd1Event::ConfigUpdated(updated)] if updated.onboarding_required));
    fixture.mint_error(&minter, &alice, ONE_TOKEN, "wire-2", "NotOnboarded").await;
    let off = UpdateConfigParams { onboarding_required: Some(false), ..Default::default() };
    fixture.ledger.expect_error(instructions::update_config(&admin.pubkey(), &mint, off.clone()), &[&admin], "CouncilRequired").await;
    let kind = ProposalKind::UpdateConfig { change: off };
    let id = fixture.approved_proposal(kind.clone()).await;
    let c0 = fixture.council[0].insecure_clone();
    let execute = instructions::execute_with_accounts(&c0.pubkey(), &mint, id, &c0.pubkey(), &ExecuteAccounts::for_kind(&kind));
    fixture.ledger.expect_ok(execute, &[&c0]).await;
    assert!(!fixture.config().await.onboarding_required);
    fixture.mint_ok(&minter, &alice, ONE_TOKEN, "wire-2").await;
}
