//! propose / approve / execute / cancel: M-of-N council governance of allowances and the council.
use crate::{event, harness::*};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use usd1_client::{instructions, ProposalKind, UpdateConfigParams};

fn set_allowance(minter: &Keypair, amount: u64) -> ProposalKind {
    ProposalKind::SetAllowance { minter: minter.pubkey(), amount }
}

#[tokio::test]
async fn an_allowance_rises_only_through_an_executed_proposal() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(0).await;
    let (c0, c1, stranger) = (fixture.council[0].insecure_clone(), fixture.council[1].insecure_clone(), fixture.stranger.insecure_clone());

    let events = fixture
        .ledger
        .expect_ok(instructions::propose(&c0.pubkey(), &mint, 0, set_allowance(&minter, 500 * ONE_TOKEN)), &[&c0])
        .await;
    let created = event!(events, ProposalCreated);
    assert_eq!((created.id, created.proposer, created.approvals, created.threshold, created.council_epoch), (0, c0.pubkey(), 1, 2, 0));
    let proposal = fixture.ledger.proposal(&mint, 0).await.unwrap().expect("open proposal");
    assert_eq!(proposal.approvals, vec![c0.pubkey()]);
    assert_eq!(fixture.config().await.next_proposal_id, 1);

    // One approval (the proposer's) is below the threshold of 2.
    fixture
        .ledger
        .expect_error(instructions::execute(&stranger.pubkey(), &mint, 0, &c0.pubkey(), Some(&minter.pubkey())), &[&stranger], "ThresholdNotMet")
        .await;
    assert_eq!(fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap().allowance, 0);

    let events = fixture.ledger.expect_ok(instructions::approve(&c1.pubkey(), &mint, 0), &[&c1]).await;
    let approved = event!(events, ProposalApproved);
    assert_eq!((approved.approver, approved.approvals), (c1.pubkey(), 2));
    assert!(approved.executable_at.is_some());

    let proposer_before = fixture.ledger.account(&c0.pubkey()).await.unwrap().unwrap().lamports;
    let events = fixture
        .ledger
        .expect_ok(instructions::execute(&stranger.pubkey(), &mint, 0, &c0.pubkey(), Some(&minter.pubkey())), &[&stranger])
        .await;
    let executed = event!(events, ProposalExecuted);
    assert_eq!((executed.id, executed.executor, executed.kind.clone()), (0, stranger.pubkey(), set_allowance(&minter, 500 * ONE_TOKEN)));
    let account = fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap();
    assert_eq!((account.allowance, account.total_granted), (500 * ONE_TOKEN, 500 * ONE_TOKEN));
    // The proposal is closed and its rent went back to the proposer.
    assert!(fixture.ledger.proposal(&mint, 0).await.unwrap().is_none());
    let proposer_after = fixture.ledger.account(&c0.pubkey()).await.unwrap().unwrap().lamports;
    assert!(proposer_after > proposer_before);
    // A closed proposal cannot be executed or approved again.
    fixture
        .ledger
        .expect_error(instructions::execute(&stranger.pubkey(), &mint, 0, &c0.pubkey(), Some(&minter.pubkey())), &[&stranger], "Anchor:AccountNotInitialized")
        .await;
    fixture.ledger.expect_error(instructions::approve(&c1.pubkey(), &mint, 0), &[&c1], "Anchor:AccountNotInitialized").await;
    // Ids count up.
    let next = fixture.propose(1, set_allowance(&minter, ONE_TOKEN)).await;
    assert_eq!(next, 1);
}

#[tokio::test]
async fn only_distinct_current_council_members_approve() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(0).await;
    let id = fixture.propose(0, set_allowance(&minter, ONE_TOKEN)).await;
    let c0 = fixture.council[0].insecure_clone();
    fixture.ledger.expect_error(instructions::approve(&c0.pubkey(), &mint, id), &[&c0], "AlreadyApproved").await;
    for signer in [fixture.admin.insecure_clone(), fixture.master_minter.insecure_clone(), fixture.stranger.insecure_clone(), minter.insecure_clone()] {
        fixture.ledger.expect_error(instructions::approve(&signer.pubkey(), &mint, id), &[&signer], "NotCouncilMember").await;
        let kind = set_allowance(&minter, ONE_TOKEN);
        fixture.ledger.expect_error(instructions::propose(&signer.pubkey(), &mint, 1, kind), &[&signer], "NotCouncilMember").await;
    }
    assert_eq!(fixture.ledger.proposal(&mint, id).await.unwrap().unwrap().approvals.len(), 1);
}

#[tokio::test]
async fn a_minter_on_the_council_never_approves_its_own_allowance() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    // Council member c2 is also a minter.
    let c2 = fixture.council[2].insecure_clone();
    fixture.configure_minter(&c2.pubkey()).await;
    let kind = ProposalKind::SetAllowance { minter: c2.pubkey(), amount: ONE_TOKEN };
    fixture.ledger.expect_error(instructions::propose(&c2.pubkey(), &mint, 0, kind.clone()), &[&c2], "SelfApproval").await;
    let id = fixture.propose(0, kind).await;
    fixture.ledger.expect_error(instructions::approve(&c2.pubkey(), &mint, id), &[&c2], "SelfApproval").await;
    // Another member's approval does it.
    let c1 = fixture.council[1].insecure_clone();
    fixture.ledger.expect_ok(instructions::approve(&c1.pubkey(), &mint, id), &[&c1]).await;
    let c0 = fixture.council[0].pubkey();
    fixture.ledger.expect_ok(instructions::execute(&c1.pubkey(), &mint, id, &c0, Some(&c2.pubkey())), &[&c1]).await;
    assert_eq!(fixture.ledger.minter(&mint, &c2.pubkey()).await.unwrap().unwrap().allowance, ONE_TOKEN);
}

#[tokio::test]
async fn the_timelock_runs_from_the_threshold_and_expiry_ends_a_proposal() {
    let mut fixture = Fixture::with_params(|params| {
        params.timelock_secs = 3600;
        // v3: the timelock (up to the 7000 s raise below) plus at least a day to approve.
        params.proposal_ttl_secs = 7000 + usd1::constants::MIN_APPROVAL_WINDOW_SECS;
    })
    .await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(0).await;
    let (c0, c1) = (fixture.council[0].insecure_clone(), fixture.council[1].insecure_clone());
    let execute = |id| instructions::execute(&c1.pubkey(), &mint, id, &c0.pubkey(), Some(&minter.pubkey()));

    let id = fixture.propose(0, set_allowance(&minter, ONE_TOKEN)).await;
    fixture.ledger.warp_secs(1800).await.unwrap();
    fixture.ledger.expect_ok(instructions::approve(&c1.pubkey(), &mint, id), &[&c1]).await;
    // 1800 s after creation the threshold is reached; the timelock starts now.
    fixture.ledger.warp_secs(1800).await.unwrap();
    fixture.ledger.expect_error(execute(id), &[&c1], "TimelockActive").await;
    // The timelock is the proposal's own snapshot (issue 11): lowering it needs the council,
    // and the admin raising it (a tightening) neither delays nor kills an open proposal.
    let lower = UpdateConfigParams { timelock_secs: Some(0), ..Default::default() };
    fixture.ledger.expect_error(instructions::update_config(&fixture.admin.pubkey(), &mint, lower), &[&fixture.admin], "CouncilRequired").await;
    let raise = UpdateConfigParams { timelock_secs: Some(7000), ..Default::default() };
    fixture.ledger.expect_ok(instructions::update_config(&fixture.admin.pubkey(), &mint, raise), &[&fixture.admin]).await;
    fixture.ledger.expect_error(execute(id), &[&c1], "TimelockActive").await;
    fixture.ledger.warp_secs(1800).await.unwrap();
    fixture.ledger.expect_ok(execute(id), &[&c1]).await;

    // An expired proposal can be neither approved nor executed; anyone may clean it up.
    let id = fixture.propose(0, set_allowance(&minter, 2 * ONE_TOKEN)).await;
    fixture.ledger.warp_secs(7000 + usd1::constants::MIN_APPROVAL_WINDOW_SECS as i64).await.unwrap();
    fixture.ledger.expect_error(instructions::approve(&c1.pubkey(), &mint, id), &[&c1], "ProposalExpired").await;
    fixture.ledger.expect_error(execute(id), &[&c1], "ProposalExpired").await;
    let stranger = fixture.stranger.insecure_clone();
    let events = fixture.ledger.expect_ok(instructions::cancel(&stranger.pubkey(), &mint, id, &c0.pubkey()), &[&stranger]).await;
    let cancelled = event!(events, ProposalCancelled);
    assert_eq!((cancelled.id, cancelled.cancelled_by), (id, stranger.pubkey()));
    assert_eq!(fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap().allowance, ONE_TOKEN);
}

#[tokio::test]
async fn a_council_change_makes_open_proposals_stale() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(0).await;
    let (c0, c1, c2) = (fixture.council[0].insecure_clone(), fixture.council[1].insecure_clone(), fixture.council[2].insecure_clone());
    let newcomer = fixture.new_identity();

    let open = fixture.propose(0, set_allowance(&minter, ONE_TOKEN)).await;
    fixture.ledger.expect_ok(instructions::approve(&c1.pubkey(), &mint, open), &[&c1]).await;

    let members = vec![c0.pubkey(), c1.pubkey(), newcomer.pubkey()];
    let change = fixture.propose(1, ProposalKind::SetCouncil { members: members.clone(), threshold: 3 }).await;
    fixture.ledger.expect_ok(instructions::approve(&c2.pubkey(), &mint, change), &[&c2]).await;
    let extra = usd1_client::instructions::ExecuteAccounts::for_kind(&ProposalKind::SetCouncil { members: members.clone(), threshold: 3 });
    let events = fixture.ledger.expect_ok(instructions::execute_with_accounts(&c2.pubkey(), &mint, change, &c1.pubkey(), &extra), &[&c2]).await;
    let executed = event!(events, ProposalExecuted);
    assert_eq!(executed.council_epoch, 1);
    let config = fixture.config().await;
    assert_eq!((config.council.clone(), config.council_threshold, config.council_epoch), (members, 3, 1));

    // The fully approved allowance proposal is stale now.
    let execute_open = instructions::execute(&c0.pubkey(), &mint, open, &c0.pubkey(), Some(&minter.pubkey()));
    fixture.ledger.expect_error(execute_open, &[&c0], "ProposalStale").await;
    fixture.ledger.expect_error(instructions::approve(&newcomer.pubkey(), &mint, open), &[&newcomer], "ProposalStale").await;
    assert_eq!(fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap().allowance, 0);

    // The removed member is out; the newcomer is in; the threshold is 3.
    fixture.ledger.expect_error(instructions::propose(&c2.pubkey(), &mint, 2, set_allowance(&minter, 1)), &[&c2], "NotCouncilMember").await;
    let id = fixture.propose(0, set_allowance(&minter, 7)).await;
    fixture.ledger.expect_ok(instructions::approve(&newcomer.pubkey(), &mint, id), &[&newcomer]).await;
    let execute_new = instructions::execute(&c0.pubkey(), &mint, id, &c0.pubkey(), Some(&minter.pubkey()));
    fixture.ledger.expect_error(execute_new.clone(), &[&c0], "ThresholdNotMet").await;
    fixture.ledger.expect_ok(instructions::approve(&c1.pubkey(), &mint, id), &[&c1]).await;
    fixture.ledger.expect_ok(execute_new, &[&c0]).await;
    assert_eq!(fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap().allowance, 7);
}

#[tokio::test]
async fn invalid_councils_and_inactive_minters_cannot_be_proposed() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let c0 = fixture.council[0].insecure_clone();
    let a = Pubkey::new_unique();
    let cases = [
        (vec![a], 0u8),
        (vec![a], 2),
        (vec![], 1),
        (vec![a, a], 1),
        ((0..11).map(|_| Pubkey::new_unique()).collect::<Vec<_>>(), 1),
    ];
    for (members, threshold) in cases {
        let kind = ProposalKind::SetCouncil { members, threshold };
        fixture.ledger.expect_error(instructions::propose(&c0.pubkey(), &mint, 0, kind), &[&c0], "InvalidThreshold").await;
    }
    let never_configured = fixture.new_identity();
    let kind = ProposalKind::SetAllowance { minter: never_configured.pubkey(), amount: 1 };
    fixture.ledger.expect_error(instructions::propose(&c0.pubkey(), &mint, 0, kind), &[&c0], "MinterNotActive").await;
    assert_eq!(fixture.config().await.next_proposal_id, 0);
}

#[tokio::test]
async fn only_its_proposer_cancels_a_live_proposal() {
    // Issue 11: any single member could cancel any live proposal (M-of-N became N-of-N).
    // Now a live proposal is its proposer's to withdraw; others vote against it instead.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(0).await;
    let id = fixture.propose(0, set_allowance(&minter, ONE_TOKEN)).await;
    let c0 = fixture.council[0].insecure_clone();
    let everyone_else = fixture.everyone_except(&[&c0]);
    for signer in everyone_else.iter().chain([&minter]) {
        fixture.ledger.expect_error(instructions::cancel(&signer.pubkey(), &mint, id, &c0.pubkey()), &[signer], "Unauthorized").await;
    }
    // The rent goes to the proposer, not to whoever names another account.
    fixture.ledger.expect_error(instructions::cancel(&c0.pubkey(), &mint, id, &fixture.council[2].pubkey()), &[&c0], "Unauthorized").await;
    fixture.ledger.expect_ok(instructions::cancel(&c0.pubkey(), &mint, id, &c0.pubkey()), &[&c0]).await;
    assert!(fixture.ledger.proposal(&mint, id).await.unwrap().is_none());
}
