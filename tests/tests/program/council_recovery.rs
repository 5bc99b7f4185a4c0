//! The council can always act and no single key stalls it (issue 21, SPEC 3 v3): `set_role`
//! proposals replace any role holder and the admin; the denylister can neither silence council
//! members nor veto its own replacement or an approved council change; a denylisted member's
//! votes do not count; no timing change leaves the council less than a day to approve.
use crate::harness::*;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use usd1_client::{
    instructions::{self, ExecuteAccounts},
    events::Usd1Event,
    ProposalKind, Role, UpdateConfigParams,
};

/// A council member seated while denylisted, by the one path left: the council proposed it
/// clean, it was listed while the proposal was open, and a seize proposal naming it keeps it
/// listed through the change's execution (which otherwise lifts such a listing).
/// Council: c0, c1, c2 and the returned member; threshold 2. Also returns the seize proposal's id
/// (stale after the change; cancelling it lets the member be unlisted).
pub async fn seat_a_denylisted_member(fixture: &mut Fixture) -> (Keypair, u64) {
    let mint = fixture.mint_key();
    let member = fixture.new_identity();
    let mut members: Vec<Pubkey> = fixture.council.iter().map(Signer::pubkey).collect();
    members.push(member.pubkey());
    let kind = ProposalKind::SetCouncil { members, threshold: 2 };
    let id = fixture.approved_proposal(kind.clone()).await;
    fixture.denylist(&member.pubkey()).await;
    let order = ProposalKind::Seize {
        owner: member.pubkey(),
        amount: 1,
        destination: usd1_client::SeizureDestination::Burn,
        order_hash: usd1_client::reference_hash("order"),
    };
    let order_id = fixture.propose(0, order).await;
    let c0 = fixture.council[0].insecure_clone();
    let execute = instructions::execute_with_accounts(&c0.pubkey(), &mint, id, &c0.pubkey(), &ExecuteAccounts::for_kind(&kind));
    fixture.ledger.expect_ok(execute, &[&c0]).await;
    assert!(fixture.config().await.council.contains(&member.pubkey()));
    (member, order_id)
}

/// Propose `kind` (c0), approve (c1), execute (c2); returns the execution's events.
async fn council_executes(fixture: &mut Fixture, kind: ProposalKind) -> Vec<Usd1Event> {
    let mint = fixture.mint_key();
    let id = fixture.approved_proposal(kind.clone()).await;
    let c2 = fixture.council[2].insecure_clone();
    let proposer = fixture.council[0].pubkey();
    let execute = instructions::execute_with_accounts(&c2.pubkey(), &mint, id, &proposer, &ExecuteAccounts::for_kind(&kind));
    fixture.ledger.expect_ok(execute, &[&c2]).await
}

#[tokio::test]
async fn the_council_replaces_every_single_key_role_and_the_admin() {
    let mut fixture = Fixture::new().await;
    for role in [Role::MasterMinter, Role::Pauser, Role::Denylister, Role::Burner, Role::Attester, Role::Onboarder] {
        let replacement = fixture.new_identity();
        let previous = fixture.config().await.role_holder(role);
        let events = council_executes(&mut fixture, ProposalKind::SetRole { role, key: replacement.pubkey() }).await;
        assert_eq!(events.iter().map(|event| event.name()).collect::<Vec<_>>(), ["ProposalExecuted", "RoleUpdated"]);
        let Usd1Event::RoleUpdated(updated) = &events[1] else { unreachable!() };
        assert_eq!((updated.role, updated.previous, updated.new), (role, previous, replacement.pubkey()));
        assert_eq!(fixture.config().await.role_holder(role), replacement.pubkey());
    }
    // A compromised admin, replaced without its cooperation; a handover it had started is dropped.
    let (admin, accomplice) = (fixture.admin.insecure_clone(), fixture.new_identity());
    let mint = fixture.mint_key();
    fixture.ledger.expect_ok(instructions::transfer_admin(&admin.pubkey(), &mint, &accomplice.pubkey()), &[&admin]).await;
    let new_admin = fixture.new_identity();
    let events = council_executes(&mut fixture, ProposalKind::SetRole { role: Role::Admin, key: new_admin.pubkey() }).await;
    let Some(Usd1Event::AdminTransferred(transferred)) = events.get(1) else { panic!("no AdminTransferred in {events:?}") };
    assert_eq!((transferred.previous_admin, transferred.new_admin), (admin.pubkey(), new_admin.pubkey()));
    let config = fixture.config().await;
    assert_eq!((config.admin, config.pending_admin), (new_admin.pubkey(), None));
    fixture.ledger.expect_error(instructions::accept_admin(&accomplice.pubkey(), &mint), &[&accomplice], "NoPendingAdmin").await;
    fixture.ledger.expect_error(instructions::set_role(&admin.pubkey(), &mint, Role::Pauser, &admin.pubkey()), &[&admin], "Unauthorized").await;
    fixture.ledger.expect_ok(instructions::set_role(&new_admin.pubkey(), &mint, Role::Pauser, &accomplice.pubkey()), &[&new_admin]).await;
}

#[tokio::test]
async fn role_hygiene_holds_for_council_role_changes() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let (admin, c0) = (fixture.admin.insecure_clone(), fixture.council[0].insecure_clone());
    let next = fixture.config().await.next_proposal_id;
    // The admin may not hold another role, even by the council's hand; nor the default key.
    for (role, key) in [(Role::Pauser, admin.pubkey()), (Role::Burner, Pubkey::default())] {
        let propose = instructions::propose(&c0.pubkey(), &mint, next, ProposalKind::SetRole { role, key });
        fixture.ledger.expect_error(propose, &[&c0], "RoleConflict").await;
    }
    // A council member or an active minter never becomes admin (checked at execution).
    let minter = fixture.new_minter(0).await;
    for candidate in [fixture.council[1].pubkey(), minter.pubkey()] {
        let kind = ProposalKind::SetRole { role: Role::Admin, key: candidate };
        let id = fixture.approved_proposal(kind.clone()).await;
        let execute = instructions::execute_with_accounts(&c0.pubkey(), &mint, id, &c0.pubkey(), &ExecuteAccounts::for_kind(&kind));
        fixture.ledger.expect_error(execute, &[&c0], "RoleConflict").await;
    }
    // The admin's own `set_role` never names the admin role: that is the handover or the council.
    let other = fixture.new_identity();
    fixture.ledger.expect_error(instructions::set_role(&admin.pubkey(), &mint, Role::Admin, &other.pubkey()), &[&admin], "CouncilRequired").await;
    // The admin candidate's Minter account must be the derived one.
    let kind = ProposalKind::SetRole { role: Role::Admin, key: other.pubkey() };
    let id = fixture.approved_proposal(kind.clone()).await;
    let bare = instructions::execute(&c0.pubkey(), &mint, id, &c0.pubkey(), None);
    fixture.ledger.expect_error(bare, &[&c0], "MissingAccount").await;
    let config = usd1_client::pda::config_address(&mint);
    let execute = instructions::execute_with_accounts(&c0.pubkey(), &mint, id, &c0.pubkey(), &ExecuteAccounts::for_kind(&kind));
    let swapped = substitute(execute.clone(), &usd1_client::pda::minter_address(&config, &other.pubkey()), &usd1_client::pda::minter_address(&config, &c0.pubkey()));
    fixture.ledger.expect_error(swapped, &[&c0], "AccountMismatch").await;
    fixture.ledger.expect_ok(execute, &[&c0]).await;
}

#[tokio::test]
async fn an_admin_about_to_be_replaced_cannot_block_it_by_giving_the_candidate_a_role() {
    // The review's attack: while the council's `set_role{admin, K}` waits, the admin makes K the
    // attester, so that K "holds a role" at execution; proposal after proposal. The council's
    // choice wins: K becomes admin and the role it was given is vacated for it to reassign.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let (admin, candidate, c0) = (fixture.admin.insecure_clone(), fixture.new_identity(), fixture.council[0].insecure_clone());
    let kind = ProposalKind::SetRole { role: Role::Admin, key: candidate.pubkey() };
    let id = fixture.approved_proposal(kind.clone()).await;
    fixture.ledger.expect_ok(instructions::set_role(&admin.pubkey(), &mint, Role::Attester, &candidate.pubkey()), &[&admin]).await;
    let execute = instructions::execute_with_accounts(&c0.pubkey(), &mint, id, &c0.pubkey(), &ExecuteAccounts::for_kind(&kind));
    let events = fixture.ledger.expect_ok(execute, &[&c0]).await;
    assert_eq!(events.iter().map(|event| event.name()).collect::<Vec<_>>(), ["ProposalExecuted", "AdminTransferred", "RoleUpdated"]);
    let Usd1Event::RoleUpdated(vacated) = &events[2] else { unreachable!() };
    assert_eq!((vacated.role, vacated.previous, vacated.new), (Role::Attester, candidate.pubkey(), Pubkey::default()));
    let config = fixture.config().await;
    assert_eq!((config.admin, config.attester), (candidate.pubkey(), Pubkey::default()));
    // Nobody signs for the vacated role until the new admin gives it out.
    let attester = fixture.new_identity();
    fixture.ledger.expect_ok(instructions::set_role(&candidate.pubkey(), &mint, Role::Attester, &attester.pubkey()), &[&candidate]).await;
    fixture.ledger.expect_error(instructions::set_role(&admin.pubkey(), &mint, Role::Attester, &admin.pubkey()), &[&admin], "Unauthorized").await;
}

#[tokio::test]
async fn the_denylister_cannot_list_a_council_member() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let denylister = fixture.denylister.insecure_clone();
    for member in fixture.council.iter().map(Signer::pubkey).collect::<Vec<_>>() {
        let add = instructions::denylist_add(&denylister.pubkey(), &mint, &member, [1; 32], &[]);
        fixture.ledger.expect_error(add, &[&denylister], "CouncilRequired").await;
    }
    // Once the council removes the member, it can be listed.
    let c2 = fixture.council[2].pubkey();
    let members = vec![fixture.council[0].pubkey(), fixture.council[1].pubkey()];
    council_executes(&mut fixture, ProposalKind::SetCouncil { members, threshold: 2 }).await;
    fixture.ledger.expect_ok(instructions::denylist_add(&denylister.pubkey(), &mint, &c2, [1; 32], &[]), &[&denylister]).await;
}

#[tokio::test]
async fn a_rogue_denylister_cannot_veto_its_replacement_or_a_council_change() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let [c0, c1] = [0, 1].map(|index| fixture.council[index].insecure_clone());
    // The council replaces the denylister; the rogue key lists the replacement while the proposal is open.
    let replacement = fixture.new_identity();
    let kind = ProposalKind::SetRole { role: Role::Denylister, key: replacement.pubkey() };
    let id = fixture.approved_proposal(kind.clone()).await;
    fixture.denylist(&replacement.pubkey()).await;
    let execute = instructions::execute_with_accounts(&c0.pubkey(), &mint, id, &c0.pubkey(), &ExecuteAccounts::for_kind(&kind));
    fixture.ledger.expect_ok(execute, &[&c0]).await;
    assert_eq!(fixture.config().await.denylister, replacement.pubkey());
    // The new denylister lifts the listing; the old key no longer can act.
    let rogue = fixture.denylister.insecure_clone();
    let remove = instructions::denylist_remove(&rogue.pubkey(), &mint, &replacement.pubkey(), &[]);
    fixture.ledger.expect_error(remove, &[&rogue], "Unauthorized").await;
    let remove = instructions::denylist_remove(&replacement.pubkey(), &mint, &replacement.pubkey(), &[]);
    fixture.ledger.expect_ok(remove, &[&replacement]).await;
    // A council change: a newcomer listed after the proposal still takes its seat.
    fixture.denylister = replacement;
    let newcomer = fixture.new_identity();
    let kind = ProposalKind::SetCouncil { members: vec![c0.pubkey(), c1.pubkey(), newcomer.pubkey()], threshold: 2 };
    let id = fixture.approved_proposal(kind.clone()).await;
    fixture.denylist(&newcomer.pubkey()).await;
    let execute = instructions::execute_with_accounts(&c0.pubkey(), &mint, id, &c0.pubkey(), &ExecuteAccounts::for_kind(&kind));
    let events = fixture.ledger.expect_ok(execute, &[&c0]).await;
    assert!(fixture.config().await.council.contains(&newcomer.pubkey()));
    // The late listing is lifted, so the new council can act (the review's paralysis attack).
    assert!(matches!(events.last(), Some(Usd1Event::Undenylisted(lifted)) if lifted.wallet == newcomer.pubkey()), "{events:?}");
    let config = usd1_client::pda::config_address(&mint);
    assert!(fixture.ledger.account(&usd1_client::pda::denylist_address(&config, &newcomer.pubkey())).await.unwrap().is_none());
    let minter = fixture.new_minter(0).await;
    let next = fixture.config().await.next_proposal_id;
    let propose = instructions::propose(&newcomer.pubkey(), &mint, next, ProposalKind::SetAllowance { minter: minter.pubkey(), amount: ONE_TOKEN });
    fixture.ledger.expect_ok(propose, &[&newcomer]).await;
    // Leaving out the members' entries, or passing another's, is refused.
    let newcomer2 = fixture.new_identity();
    let kind = ProposalKind::SetCouncil { members: vec![c0.pubkey(), c1.pubkey(), newcomer.pubkey(), newcomer2.pubkey()], threshold: 2 };
    let id = fixture.approved_proposal(kind.clone()).await;
    let bare = instructions::execute(&c0.pubkey(), &mint, id, &c0.pubkey(), None);
    fixture.ledger.expect_error(bare, &[&c0], "MissingAccount").await;
    let execute = instructions::execute_with_accounts(&c0.pubkey(), &mint, id, &c0.pubkey(), &ExecuteAccounts::for_kind(&kind));
    let swapped = substitute(execute.clone(), &usd1_client::pda::denylist_address(&config, &newcomer2.pubkey()), &usd1_client::pda::denylist_address(&config, &c0.pubkey()));
    fixture.ledger.expect_error(swapped, &[&c0], "AccountMismatch").await;
    fixture.ledger.expect_ok(execute, &[&c0]).await;
}

#[tokio::test]
async fn a_denylisted_member_cannot_vote_or_cancel_and_its_approvals_do_not_count() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let (listed, order_id) = seat_a_denylisted_member(&mut fixture).await;
    let minter = fixture.new_minter(0).await;
    let c0 = fixture.council[0].insecure_clone();
    let id = fixture.propose(0, ProposalKind::SetAllowance { minter: minter.pubkey(), amount: ONE_TOKEN }).await;
    for refused in [
        instructions::approve(&listed.pubkey(), &mint, id),
        instructions::reject(&listed.pubkey(), &mint, id),
        instructions::cancel(&listed.pubkey(), &mint, id, &c0.pubkey()),
    ] {
        fixture.ledger.expect_error(refused, &[&listed], "Denylisted").await;
    }
    // An approval given while clean stops counting once its member is listed. The rules leave no
    // path to that state (a member cannot be listed), so it is forged: the member is unlisted,
    // approves, and its key is written back into the registry the execution reads.
    let denylister = fixture.denylister.insecure_clone();
    let registry_address = usd1_client::pda::denylist_registry_address(&usd1_client::pda::config_address(&mint));
    let listed_registry = fixture.ledger.account(&registry_address).await.unwrap().unwrap();
    let cancel = instructions::cancel_proposal(&c0.pubkey(), &mint, order_id, &c0.pubkey(), Some(&listed.pubkey()));
    fixture.ledger.expect_ok(cancel, &[&c0]).await;
    fixture.ledger.expect_ok(instructions::denylist_remove(&denylister.pubkey(), &mint, &listed.pubkey(), &[]), &[&denylister]).await;
    fixture.ledger.expect_ok(instructions::approve(&listed.pubkey(), &mint, id), &[&listed]).await;
    fixture.ledger.set_account(&registry_address, &listed_registry.into());
    let execute = instructions::execute(&c0.pubkey(), &mint, id, &c0.pubkey(), Some(&minter.pubkey()));
    fixture.ledger.expect_error(execute.clone(), &[&c0], "ThresholdNotMet").await;
    // A clean member's approval makes up the threshold.
    let c1 = fixture.council[1].insecure_clone();
    fixture.ledger.expect_ok(instructions::approve(&c1.pubkey(), &mint, id), &[&c1]).await;
    fixture.ledger.expect_ok(execute, &[&c0]).await;
}

#[tokio::test]
async fn no_timing_leaves_the_council_less_than_a_day_to_approve() {
    // At initialize.
    let day = usd1::constants::MIN_APPROVAL_WINDOW_SECS;
    let fixture = Fixture::uninitialized().await;
    let mut params = default_params(&fixture.keys());
    params.timelock_secs = 3_600;
    params.proposal_ttl_secs = 3_600 + day - 1;
    let mut fixture = fixture;
    let initialize = instructions::initialize(&fixture.admin.pubkey(), &fixture.mint.pubkey(), params);
    let (admin, mint_keypair) = (fixture.admin.insecure_clone(), fixture.mint.insecure_clone());
    fixture.ledger.expect_error(initialize, &[&admin, &mint_keypair], "InvalidConfig").await;
    let mut fixture = Fixture::with_params(|params| {
        params.timelock_secs = 3_600;
        params.proposal_ttl_secs = 3_600 + day;
    })
    .await;
    let mint = fixture.mint_key();
    let admin = fixture.admin.insecure_clone();
    // The admin alone: a longer timelock is tightening, but not one that eats the approval window.
    for change in [
        UpdateConfigParams { timelock_secs: Some(3_601), ..Default::default() },
        UpdateConfigParams { proposal_ttl_secs: Some(3_600 + day - 1), ..Default::default() },
    ] {
        fixture.ledger.expect_error(instructions::update_config(&admin.pubkey(), &mint, change), &[&admin], "InvalidConfig").await;
    }
    // Nor through the council.
    let c0 = fixture.council[0].insecure_clone();
    let next = fixture.config().await.next_proposal_id;
    let change = UpdateConfigParams { timelock_secs: Some(2 * day), ..Default::default() };
    let propose = instructions::propose(&c0.pubkey(), &mint, next, ProposalKind::UpdateConfig { change });
    fixture.ledger.expect_error(propose, &[&c0], "InvalidConfig").await;
    // The boundary itself is allowed.
    let change = UpdateConfigParams { timelock_secs: Some(2 * day), proposal_ttl_secs: Some(3 * day), ..Default::default() };
    fixture.ledger.expect_ok(instructions::propose(&c0.pubkey(), &mint, next, ProposalKind::UpdateConfig { change }), &[&c0]).await;
}
