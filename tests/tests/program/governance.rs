//! Governance without single-key loopholes (issue 11, SPEC 3 and 4 v2): reject votes,
//! proposer-only cancel, one vote per member, role hygiene at every entry point,
//! denylisted role holders, council-only loosening, mint expiry, redemption tickets
//! bound to their holder. Each test shows a loophole of the v1 program refused.
use crate::{event, harness::*};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use usd1_client::{
    instructions::{self, ExecuteAccounts},
    reference_hash, ProposalKind, RateLimit, Role,
};

fn set_allowance(minter: &Keypair, amount: u64) -> ProposalKind {
    ProposalKind::SetAllowance { minter: minter.pubkey(), amount }
}

#[tokio::test]
async fn one_member_can_neither_cancel_nor_veto_a_majority() {
    // 2 of 3: one member against is not enough (members - threshold = 1).
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(0).await;
    let id = fixture.approved_proposal(set_allowance(&minter, ONE_TOKEN)).await;
    let (c0, c2) = (fixture.council[0].pubkey(), fixture.council[2].insecure_clone());
    fixture.ledger.expect_error(instructions::cancel(&c2.pubkey(), &mint, id, &c0), &[&c2], "Unauthorized").await;
    let events = fixture.ledger.expect_ok(instructions::reject(&c2.pubkey(), &mint, id), &[&c2]).await;
    let rejected = event!(events, ProposalRejected);
    assert_eq!((rejected.id, rejected.voter, rejected.rejections, rejected.rejected), (id, c2.pubkey(), 1, false));
    let stranger = fixture.stranger.insecure_clone();
    fixture.ledger.expect_ok(instructions::execute(&stranger.pubkey(), &mint, id, &c0, Some(&minter.pubkey())), &[&stranger]).await;
    assert_eq!(fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap().allowance, ONE_TOKEN);
}

#[tokio::test]
async fn enough_reject_votes_reject_a_proposal_for_good() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(0).await;
    let id = fixture.propose(0, set_allowance(&minter, ONE_TOKEN)).await;
    let [c0, c1, c2] = [0, 1, 2].map(|index| fixture.council[index].insecure_clone());
    fixture.ledger.expect_ok(instructions::reject(&c1.pubkey(), &mint, id), &[&c1]).await;
    let events = fixture.ledger.expect_ok(instructions::reject(&c2.pubkey(), &mint, id), &[&c2]).await;
    let rejected = event!(events, ProposalRejected);
    assert_eq!((rejected.rejections, rejected.rejected), (2, true));
    // Checked before votes, threshold and timelock.
    fixture.ledger.expect_error(instructions::approve(&c0.pubkey(), &mint, id), &[&c0], "ProposalRejected").await;
    fixture.ledger.expect_error(instructions::reject(&c0.pubkey(), &mint, id), &[&c0], "ProposalRejected").await;
    let stranger = fixture.stranger.insecure_clone();
    let execute = instructions::execute(&stranger.pubkey(), &mint, id, &c0.pubkey(), Some(&minter.pubkey()));
    fixture.ledger.expect_error(execute, &[&stranger], "ProposalRejected").await;
    // Anyone may clean up a rejected proposal; the rent goes back to its proposer.
    let events = fixture.ledger.expect_ok(instructions::cancel(&stranger.pubkey(), &mint, id, &c0.pubkey()), &[&stranger]).await;
    assert_eq!(event!(events, ProposalCancelled).cancelled_by, stranger.pubkey());
    assert_eq!(fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap().allowance, 0);
}

#[tokio::test]
async fn a_member_votes_once() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(0).await;
    let id = fixture.propose(0, set_allowance(&minter, ONE_TOKEN)).await;
    let [c0, c1] = [0, 1].map(|index| fixture.council[index].insecure_clone());
    // The proposer's approval counts: a second approval, or a change of mind, is refused.
    fixture.ledger.expect_error(instructions::approve(&c0.pubkey(), &mint, id), &[&c0], "AlreadyApproved").await;
    fixture.ledger.expect_error(instructions::reject(&c0.pubkey(), &mint, id), &[&c0], "AlreadyVoted").await;
    fixture.ledger.expect_ok(instructions::reject(&c1.pubkey(), &mint, id), &[&c1]).await;
    fixture.ledger.expect_error(instructions::reject(&c1.pubkey(), &mint, id), &[&c1], "AlreadyVoted").await;
    fixture.ledger.expect_error(instructions::approve(&c1.pubkey(), &mint, id), &[&c1], "AlreadyVoted").await;
    let stranger = fixture.stranger.insecure_clone();
    fixture.ledger.expect_error(instructions::reject(&stranger.pubkey(), &mint, id), &[&stranger], "NotCouncilMember").await;
    let proposal = fixture.ledger.proposal(&mint, id).await.unwrap().unwrap();
    assert_eq!((proposal.approvals, proposal.rejections), (vec![c0.pubkey()], vec![c1.pubkey()]));
}

#[tokio::test]
async fn a_compromised_member_cannot_block_its_own_removal() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let [c0, c1, compromised] = [0, 1, 2].map(|index| fixture.council[index].insecure_clone());
    let replacement = fixture.new_identity();
    let kind = ProposalKind::SetCouncil { members: vec![c0.pubkey(), c1.pubkey(), replacement.pubkey()], threshold: 2 };
    let id = fixture.approved_proposal(kind).await;
    fixture.ledger.expect_error(instructions::cancel(&compromised.pubkey(), &mint, id, &c0.pubkey()), &[&compromised], "Unauthorized").await;
    fixture.ledger.expect_ok(instructions::reject(&compromised.pubkey(), &mint, id), &[&compromised]).await;
    let extra = ExecuteAccounts::for_kind(&ProposalKind::SetCouncil { members: vec![c0.pubkey(), c1.pubkey(), replacement.pubkey()], threshold: 2 });
    fixture.ledger.expect_ok(instructions::execute_with_accounts(&c1.pubkey(), &mint, id, &c0.pubkey(), &extra), &[&c1]).await;
    assert!(!fixture.config().await.council.contains(&compromised.pubkey()));
}

#[tokio::test]
async fn the_admin_never_sits_on_the_council_or_mints() {
    // initialize
    let mut fixture = Fixture::uninitialized().await;
    let mut params = default_params(&fixture.keys());
    params.council[0] = fixture.admin.pubkey();
    let (admin, mint_keypair) = (fixture.admin.insecure_clone(), fixture.mint.insecure_clone());
    let instruction = instructions::initialize(&admin.pubkey(), &mint_keypair.pubkey(), params);
    fixture.ledger.expect_error(instruction, &[&admin, &mint_keypair], "RoleConflict").await;

    // a council change naming the admin, refused at proposal time
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let c0 = fixture.council[0].insecure_clone();
    let admin = fixture.admin.insecure_clone();
    let next = fixture.config().await.next_proposal_id;
    let with_admin = ProposalKind::SetCouncil { members: vec![c0.pubkey(), admin.pubkey()], threshold: 1 };
    fixture.ledger.expect_error(instructions::propose(&c0.pubkey(), &mint, next, with_admin), &[&c0], "RoleConflict").await;

    // ... and at execution, when the key has meanwhile been named pending admin
    let candidate = fixture.new_identity();
    let kind = ProposalKind::SetCouncil { members: vec![c0.pubkey(), candidate.pubkey()], threshold: 1 };
    let extra = ExecuteAccounts::for_kind(&kind);
    let id = fixture.approved_proposal(kind).await;
    fixture.ledger.expect_ok(instructions::transfer_admin(&admin.pubkey(), &mint, &candidate.pubkey()), &[&admin]).await;
    fixture.ledger.expect_error(instructions::execute_with_accounts(&c0.pubkey(), &mint, id, &c0.pubkey(), &extra), &[&c0], "RoleConflict").await;

    // the handover never goes to a council member, an active minter or a denylisted key
    let member = fixture.council[1].pubkey();
    fixture.ledger.expect_error(instructions::transfer_admin(&admin.pubkey(), &mint, &member), &[&admin], "RoleConflict").await;
    let minter = fixture.new_minter(0).await;
    fixture.ledger.expect_error(instructions::transfer_admin(&admin.pubkey(), &mint, &minter.pubkey()), &[&admin], "RoleConflict").await;
    let listed = fixture.new_identity();
    fixture.denylist(&listed.pubkey()).await;
    fixture.ledger.expect_error(instructions::transfer_admin(&admin.pubkey(), &mint, &listed.pubkey()), &[&admin], "Denylisted").await;
    // ... and a pending admin is given no minter or single-key role meanwhile (accept_admin
    // checks all of it again, in case a role reached it some other way)
    let master = fixture.master_minter.insecure_clone();
    let configure = instructions::configure_minter(&master.pubkey(), &mint, &candidate.pubkey(), None);
    fixture.ledger.expect_error(configure, &[&master], "RoleConflict").await;
    let set_role = instructions::set_role(&admin.pubkey(), &mint, Role::Pauser, &candidate.pubkey());
    fixture.ledger.expect_error(set_role, &[&admin], "RoleConflict").await;
    assert_eq!(fixture.config().await.admin, admin.pubkey());
    fixture.ledger.expect_ok(instructions::accept_admin(&candidate.pubkey(), &mint), &[&candidate]).await;
    assert_eq!(fixture.config().await.admin, candidate.pubkey());
}

#[tokio::test]
async fn denylisted_keys_lose_their_powers_and_get_no_role() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    let minter = fixture.new_minter(100 * ONE_TOKEN).await;
    let target = fixture.new_minter(0).await;
    let open = fixture.propose(0, set_allowance(&target, ONE_TOKEN)).await;
    fixture.denylist(&minter.pubkey()).await;
    fixture.mint_error(&minter, &alice, ONE_TOKEN, "wire-1", "Denylisted").await;
    // A member seated while listed (the listing came after the council decided) can neither
    // propose nor vote (v3: council members themselves cannot be listed).
    let (listed_member, _) = crate::council_recovery::seat_a_denylisted_member(&mut fixture).await;
    let next = fixture.config().await.next_proposal_id;
    let propose = instructions::propose(&listed_member.pubkey(), &mint, next, set_allowance(&target, ONE_TOKEN));
    fixture.ledger.expect_error(propose, &[&listed_member], "Denylisted").await;
    let _ = open;
    let open = fixture.propose(0, set_allowance(&target, ONE_TOKEN)).await;
    fixture.ledger.expect_error(instructions::approve(&listed_member.pubkey(), &mint, open), &[&listed_member], "Denylisted").await;
    // No role for a denylisted key.
    let (admin, master) = (fixture.admin.insecure_clone(), fixture.master_minter.insecure_clone());
    let listed = fixture.new_identity();
    fixture.denylist(&listed.pubkey()).await;
    fixture.ledger.expect_error(instructions::set_role(&admin.pubkey(), &mint, Role::Pauser, &listed.pubkey()), &[&admin], "Denylisted").await;
    fixture.ledger.expect_error(instructions::configure_minter(&master.pubkey(), &mint, &listed.pubkey(), None), &[&master], "Denylisted").await;
}

#[tokio::test]
async fn a_zero_allowance_proposal_is_invalid() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(0).await;
    let c0 = fixture.council[0].insecure_clone();
    let next = fixture.config().await.next_proposal_id;
    let propose = instructions::propose(&c0.pubkey(), &mint, next, set_allowance(&minter, 0));
    fixture.ledger.expect_error(propose, &[&c0], "InvalidAmount").await;
}

#[tokio::test]
async fn the_master_minter_only_tightens_a_rate_limit_and_never_refills_a_bucket() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let master = fixture.master_minter.insecure_clone();
    let minter = fixture.new_identity();
    let limit = |capacity: u64, refill_per_sec: u64| Some(RateLimit { capacity: capacity * ONE_TOKEN, refill_per_sec });
    let configure = |rate_limit| instructions::configure_minter(&master.pubkey(), &mint, &minter.pubkey(), rate_limit);
    fixture.ledger.expect_ok(configure(limit(10, 1)), &[&master]).await;
    fixture.grant_allowance(&minter.pubkey(), 1_000 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    fixture.mint_ok(&minter, &alice, 8 * ONE_TOKEN, "wire-1").await;
    // Loosening alone: higher capacity, faster refill, no limit. The v1 refill trick
    // (limit off, then on again) needs the first step, which is refused.
    for loosening in [limit(20, 1), limit(10, 2), None] {
        fixture.ledger.expect_error(configure(loosening), &[&master], "CouncilRequired").await;
    }
    // Tightening keeps the bucket's 2 tokens (within the new capacity), never refills it.
    fixture.ledger.expect_ok(configure(limit(5, 1)), &[&master]).await;
    let bucket = fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap().bucket_tokens;
    assert!(bucket < 3 * ONE_TOKEN, "bucket {bucket}");
    // The council loosens; still no refill.
    let kind = ProposalKind::SetRateLimit { minter: minter.pubkey(), rate_limit: limit(50, 1) };
    let id = fixture.approved_proposal(kind).await;
    let stranger = fixture.stranger.insecure_clone();
    let execute = instructions::execute(&stranger.pubkey(), &mint, id, &fixture.council[0].pubkey(), Some(&minter.pubkey()));
    fixture.ledger.expect_ok(execute, &[&stranger]).await;
    fixture.mint_error(&minter, &alice, 5 * ONE_TOKEN, "wire-2", "RateLimited").await;
    // A minter cannot approve a change to its own limit.
    let kind = ProposalKind::SetRateLimit { minter: fixture.council[2].pubkey(), rate_limit: None };
    let next = fixture.config().await.next_proposal_id;
    let c2 = fixture.council[2].insecure_clone();
    fixture.ledger.expect_error(instructions::propose(&c2.pubkey(), &mint, next, kind), &[&c2], "SelfApproval").await;
}

#[tokio::test]
async fn a_signed_mint_expires() {
    // A durable-nonce mint never expires on its own: `valid_until` bounds a stolen one.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(100 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    let now = fixture.ledger.clock().await.unwrap().unix_timestamp;
    let signed = |amount: u64, reference: &str, valid_until: i64| {
        instructions::mint(&minter.pubkey(), &minter.pubkey(), &mint, &alice, amount, reference_hash(reference), valid_until)
    };
    fixture.ledger.expect_error(signed(ONE_TOKEN, "wire-late", now - 1), &[&minter], "MintExpired").await;
    // In SPEC order: after the amount, before the allowance.
    fixture.ledger.expect_error(signed(0, "wire-late", now - 1), &[&minter], "InvalidAmount").await;
    fixture.ledger.expect_error(signed(1_000 * ONE_TOKEN, "wire-late", now - 1), &[&minter], "MintExpired").await;
    let later = signed(ONE_TOKEN, "wire-2", now + 60);
    fixture.ledger.warp_secs(61).await.unwrap();
    fixture.ledger.expect_error(later, &[&minter], "MintExpired").await;
    assert!(fixture.ledger.mint_receipt(&mint, &reference_hash("wire-2")).await.unwrap().is_none());
    let now = fixture.ledger.clock().await.unwrap().unix_timestamp;
    fixture.ledger.expect_ok(signed(ONE_TOKEN, "wire-2", now + 60), &[&minter]).await;
}

#[tokio::test]
async fn a_redemption_ticket_is_bound_to_its_holder() {
    // v1: whoever learned a ticket id took it first with one base unit; the real holder then
    // got `DuplicateReference`. Requests are keyed by (holder, reference) now.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let (alice, mallory) = (fixture.new_identity(), fixture.new_identity());
    fixture.fund_holder(&alice.pubkey(), 10 * ONE_TOKEN).await;
    fixture.fund_holder(&mallory.pubkey(), ONE_TOKEN).await;
    fixture.request_redemption(&mallory, 1, "ticket-alice-1").await.expect("mallory's own request");
    fixture.request_redemption(&alice, 5 * ONE_TOKEN, "ticket-alice-1").await.expect("alice's ticket is hers");
    let burner = fixture.burner.insecure_clone();
    let events = fixture.ledger.expect_ok(fixture.complete_instruction(&alice.pubkey(), "ticket-alice-1"), &[&burner]).await;
    let completed = event!(events, RedemptionCompleted);
    assert_eq!((completed.holder, completed.amount), (alice.pubkey(), 5 * ONE_TOKEN));
    // Settling names the holder: the other holder's request is untouched.
    let hash = reference_hash("ticket-alice-1");
    let mallory_request = fixture.ledger.redemption_request(&mint, &mallory.pubkey(), &hash).await.unwrap().unwrap();
    assert_eq!((mallory_request.amount, mallory_request.status), (1, usd1_client::RedemptionStatus::Pending));
    let unknown: Pubkey = fixture.stranger.pubkey();
    let missing = instructions::complete_redemption(&burner.pubkey(), &mint, &unknown, hash, [0; 32]);
    fixture.ledger.expect_error(missing, &[&burner], "Anchor:AccountNotInitialized").await;
    fixture.assert_redemption_invariants(&[1]).await;
}

#[tokio::test]
async fn a_denylisted_key_gets_no_council_seat() {
    // v3: checked when the council change is proposed (where the council decides), against each
    // member's DenylistEntry, whose address is derived; a listing made while the proposal is
    // open does not veto it (council_recovery.rs).
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let [c0, c1] = [0, 1].map(|index| fixture.council[index].insecure_clone());
    let newcomer = fixture.new_identity();
    fixture.denylist(&newcomer.pubkey()).await;
    let kind = ProposalKind::SetCouncil { members: vec![c0.pubkey(), c1.pubkey(), newcomer.pubkey()], threshold: 2 };
    let next = fixture.config().await.next_proposal_id;
    let propose = instructions::propose(&c0.pubkey(), &mint, next, kind.clone());
    fixture.ledger.expect_error(propose.clone(), &[&c0], "Denylisted").await;
    // Leaving out the entries, or passing someone else's, is refused too.
    let mut bare = propose.clone();
    bare.accounts.truncate(bare.accounts.len() - 3);
    fixture.ledger.expect_error(bare, &[&c0], "MissingAccount").await;
    let config = usd1_client::pda::config_address(&mint);
    let newcomer_entry = usd1_client::pda::denylist_address(&config, &newcomer.pubkey());
    let swapped = substitute(propose.clone(), &newcomer_entry, &usd1_client::pda::denylist_address(&config, &c0.pubkey()));
    fixture.ledger.expect_error(swapped, &[&c0], "AccountMismatch").await;
    let denylister = fixture.denylister.insecure_clone();
    let undenylist = instructions::denylist_remove(&denylister.pubkey(), &mint, &newcomer.pubkey(), &[]);
    fixture.ledger.expect_ok(undenylist, &[&denylister]).await;
    fixture.ledger.expect_ok(propose, &[&c0]).await;
    fixture.ledger.expect_ok(instructions::approve(&c1.pubkey(), &mint, next), &[&c1]).await;
    fixture.ledger.expect_ok(instructions::execute_with_accounts(&c0.pubkey(), &mint, next, &c0.pubkey(), &ExecuteAccounts::for_kind(&kind)), &[&c0]).await;
    assert!(fixture.config().await.council.contains(&newcomer.pubkey()));
}
