//! Every Solana attack class that applies, each with its exact refusal.
//! `docs/threat-model.md` maps each privileged power to these tests.
use crate::harness::*;
use solana_account::AccountSharedData;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use usd1_client::{instructions, pda, reference_hash, PauseScope, ProposalKind, Role};

#[tokio::test]
async fn a_missing_signature_is_refused() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    // The admin's key is named but the admin does not sign.
    let mut instruction = instructions::set_role(&fixture.admin.pubkey(), &mint, Role::Pauser, &Pubkey::new_unique());
    instruction.accounts[0].is_signer = false;
    fixture.ledger.expect_error(instruction, &[], "Anchor:AccountNotSigner").await;
    let minter = fixture.new_minter(10 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    let mut instruction = fixture.mint_instruction(&minter, &alice, ONE_TOKEN, "w");
    instruction.accounts[0].is_signer = false;
    // The minter still pays (second account) but does not sign as minter.
    instruction.accounts[1].pubkey = fixture.ledger.payer().pubkey();
    fixture.ledger.expect_error(instruction, &[], "Anchor:AccountNotSigner").await;
    assert_eq!(fixture.config().await.total_minted, 0);
}

#[tokio::test]
async fn another_deployments_accounts_are_refused() {
    let mut fixture = Fixture::new().await;
    let (mint, other) = (fixture.mint_key(), fixture.deploy_another().await.pubkey());
    let (config, other_config) = (pda::config_address(&mint), pda::config_address(&other));
    let minter = fixture.new_minter(100 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    let pauser = fixture.pauser.insecure_clone();

    // The other deployment's Config for this mint: its seeds are for another mint.
    let instruction = substitute(instructions::pause(&pauser.pubkey(), &mint, PauseScope::Mint), &config, &other_config);
    fixture.ledger.expect_error(instruction, &[&pauser], "InvalidMint").await;
    // This Config with the other mint: the mint is not this Config's.
    let instruction = substitute(instructions::pause(&pauser.pubkey(), &mint, PauseScope::Transfers), &mint, &other);
    fixture.ledger.expect_error(instruction, &[&pauser], "InvalidMint").await;
    // A council vote, which names no token account: the other mint beside this Config, or the
    // other Config beside this mint (every instruction derives its Config from the mint).
    let open = fixture.propose(0, usd1_client::ProposalKind::SetAllowance { minter: minter.pubkey(), amount: ONE_TOKEN }).await;
    let voter = fixture.council[1].insecure_clone();
    let vote = instructions::approve(&voter.pubkey(), &mint, open);
    fixture.ledger.expect_error(substitute(vote.clone(), &mint, &other), &[&voter], "InvalidMint").await;
    fixture.ledger.expect_error(substitute(vote, &config, &other_config), &[&voter], "InvalidMint").await;
    // Minting with this minter against the other Config and mint: no Minter there.
    let instruction = fixture.mint_instruction(&minter, &alice, ONE_TOKEN, "w1");
    let instruction = substitute(substitute(instruction, &config, &other_config), &mint, &other);
    fixture.ledger.expect_error(instruction, &[&minter], "Anchor:ConstraintSeeds").await;
    // A token account of the other mint as recipient.
    fixture.ledger.expect_ok(usd1_client::transfer::create_associated_token_account(&fixture.ledger.payer().pubkey(), &alice, &other), &[]).await;
    let foreign_account = pda::associated_token_address(&alice, &other);
    let instruction = substitute(fixture.mint_instruction(&minter, &alice, ONE_TOKEN, "w2"), &pda::associated_token_address(&alice, &mint), &foreign_account);
    fixture.ledger.expect_error(instruction, &[&minter], "Anchor:ConstraintTokenMint").await;
    // The other deployment's Escrow for a redemption.
    let holder = fixture.new_identity();
    fixture.fund_holder(&holder.pubkey(), 5 * ONE_TOKEN).await;
    let instruction = instructions::request_redemption(&holder.pubkey(), &mint, ONE_TOKEN, reference_hash("t"));
    let instruction = substitute(instruction, &pda::escrow_address(&config), &pda::escrow_address(&other_config));
    fixture.ledger.expect_error(instruction, &[&holder], "Anchor:ConstraintSeeds").await;
    assert_eq!(fixture.config().await.total_minted, 5 * ONE_TOKEN);
    assert_eq!(fixture.ledger.escrow_balance(&other).await.unwrap(), 0);
}

#[tokio::test]
async fn a_look_alike_mint_and_a_forged_config_are_refused() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let config = pda::config_address(&mint);
    // Forged state: a copy of the real Config held by an account the program does not own.
    let real = fixture.ledger.account(&config).await.unwrap().unwrap();
    let forged_key = Pubkey::new_unique();
    fixture.ledger.set_account(&forged_key, &AccountSharedData::from(solana_account::Account { owner: Pubkey::new_unique(), ..real }));
    let stranger = fixture.stranger.insecure_clone();
    let instruction = substitute(instructions::check_supply(&mint), &config, &forged_key);
    fixture.ledger.expect_error(instruction, &[&stranger], "Anchor:AccountOwnedByWrongProgram").await;
    // A look-alike mint (any other Token-2022 mint) in check_supply.
    let other = fixture.deploy_another().await.pubkey();
    let instruction = substitute(instructions::check_supply(&mint), &mint, &other);
    fixture.ledger.expect_error(instruction, &[&stranger], "InvalidMint").await;
}

#[tokio::test]
async fn a_fake_token_program_is_refused() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let pauser = fixture.pauser.insecure_clone();
    let fake = Pubkey::new_unique();
    let instruction = substitute(instructions::pause(&pauser.pubkey(), &mint, PauseScope::Transfers), &usd1_client::TOKEN_2022_PROGRAM_ID, &fake);
    fixture.ledger.expect_error(instruction, &[&pauser], "Anchor:InvalidProgramId").await;
    // The classic SPL Token program in Token-2022's place is refused too.
    let classic: Pubkey = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA".parse().unwrap();
    let minter = fixture.new_minter(ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    let instruction = substitute(fixture.mint_instruction(&minter, &alice, ONE_TOKEN, "w"), &usd1_client::TOKEN_2022_PROGRAM_ID, &classic);
    fixture.ledger.expect_error(instruction, &[&minter], "Anchor:InvalidProgramId").await;
    assert!(!fixture.config().await.transfers_paused);
}

#[tokio::test]
async fn a_non_canonical_bump_is_refused() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let config = pda::config_address(&mint);
    let minter = fixture.new_minter(10 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    // Find a valid off-curve address for the same receipt seeds with a lower bump.
    let hash = reference_hash("wire-x");
    let (canonical, canonical_bump) = Pubkey::find_program_address(&[b"receipt", config.as_ref(), &hash], &usd1_client::PROGRAM_ID);
    let other = (0..canonical_bump)
        .rev()
        .find_map(|bump| Pubkey::create_program_address(&[b"receipt", config.as_ref(), &hash, &[bump]], &usd1_client::PROGRAM_ID).ok())
        .expect("another bump gives an address");
    let instruction = substitute(fixture.mint_instruction(&minter, &alice, ONE_TOKEN, "wire-x"), &canonical, &other);
    fixture.ledger.expect_error(instruction, &[&minter], "Anchor:ConstraintSeeds").await;
    // A non-canonical Config address is refused the same way.
    let (_, config_bump) = Pubkey::find_program_address(&[b"config", mint.as_ref()], &usd1_client::PROGRAM_ID);
    if let Some(other_config) = (0..config_bump)
        .rev()
        .find_map(|bump| Pubkey::create_program_address(&[b"config", mint.as_ref(), &[bump]], &usd1_client::PROGRAM_ID).ok())
    {
        let stranger = fixture.stranger.insecure_clone();
        let instruction = substitute(instructions::check_supply(&mint), &config, &other_config);
        fixture.ledger.expect_error(instruction, &[&stranger], "Anchor:AccountNotInitialized").await;
    }
    assert!(fixture.ledger.mint_receipt(&mint, &hash).await.unwrap().is_none());
}

#[tokio::test]
async fn reinitialization_is_refused() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint.insecure_clone();
    // Even by a different would-be admin: the mint already exists.
    let usurper = fixture.new_identity();
    let params = default_params(&fixture.keys());
    fixture.ledger.expect_error(instructions::initialize(&usurper.pubkey(), &mint.pubkey(), params), &[&usurper, &mint], "AlreadyInitialized").await;
    assert_eq!(fixture.config().await.admin, fixture.admin.pubkey());
}

#[tokio::test]
async fn duplicate_mutable_accounts_are_refused() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let holder = fixture.new_identity();
    let holder_token = fixture.fund_holder(&holder.pubkey(), 10 * ONE_TOKEN).await;
    let escrow = pda::escrow_address(&pda::config_address(&mint));
    // The Escrow passed as the holder's source too: one account in two mutable slots.
    let instruction = substitute(instructions::request_redemption(&holder.pubkey(), &mint, ONE_TOKEN, reference_hash("t1")), &holder_token, &escrow);
    fixture.ledger.expect_error(instruction, &[&holder], "Anchor:ConstraintDuplicateMutableAccount").await;
    // Returning a request into the Escrow itself, or into another holder's account: the
    // receiving account is the holder's associated one, pinned by its seeds (v3).
    fixture.request_redemption(&holder, ONE_TOKEN, "t2").await.expect("request");
    let reject = fixture.reject_instruction(&holder.pubkey(), "t2").await;
    let burner = fixture.burner.insecure_clone();
    fixture.ledger.expect_error(substitute(reject, &holder_token, &escrow), &[&burner], "Anchor:ConstraintSeeds").await;
    let other_holder = fixture.new_identity();
    let other_token = fixture.fund_holder(&other_holder.pubkey(), ONE_TOKEN).await;
    let reject = fixture.reject_instruction(&holder.pubkey(), "t2").await;
    fixture.ledger.expect_error(substitute(reject, &holder_token, &other_token), &[&burner], "Anchor:ConstraintSeeds").await;
    // The burner burning from the Escrow as if it were its own account.
    let instruction = substitute(instructions::burn(&burner.pubkey(), &mint, ONE_TOKEN), &pda::associated_token_address(&burner.pubkey(), &mint), &escrow);
    fixture.ledger.expect_error(instruction, &[&burner], "InvalidTokenAccount").await;
    fixture.assert_redemption_invariants(&[ONE_TOKEN]).await;
}

#[tokio::test]
async fn a_closed_proposal_cannot_be_used_again() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(0).await;
    fixture.grant_allowance(&minter.pubkey(), 5 * ONE_TOKEN).await; // proposal 0, executed and closed
    let (c0, c1) = (fixture.council[0].insecure_clone(), fixture.council[1].insecure_clone());
    let execute = instructions::execute(&c1.pubkey(), &mint, 0, &c0.pubkey(), Some(&minter.pubkey()));
    fixture.ledger.expect_error(execute, &[&c1], "Anchor:AccountNotInitialized").await;
    fixture.ledger.expect_error(instructions::cancel(&c1.pubkey(), &mint, 0, &c0.pubkey()), &[&c1], "Anchor:AccountNotInitialized").await;
    // Recreating it by hand (forged data at the old address) does not pass the owner check.
    let address = pda::proposal_address(&pda::config_address(&mint), 0);
    fixture.ledger.set_account(&address, &AccountSharedData::new(10_000_000, 800, &Pubkey::new_unique()));
    fixture.ledger.expect_error(instructions::approve(&c1.pubkey(), &mint, 0), &[&c1], "Anchor:AccountOwnedByWrongProgram").await;
    // A new proposal gets a new id; old ids are never reused.
    let id = fixture.propose(0, ProposalKind::SetAllowance { minter: minter.pubkey(), amount: ONE_TOKEN }).await;
    assert_eq!(id, 1);
    assert_eq!(fixture.ledger.minter(&mint, &minter.pubkey()).await.unwrap().unwrap().allowance, 5 * ONE_TOKEN);
}

#[tokio::test]
async fn arithmetic_at_u64_limits_is_refused_or_saturates() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(u64::MAX).await;
    let second = fixture.new_minter(10).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    fixture.mint_ok(&minter, &alice, u64::MAX - 1, "huge").await;
    // Supply would overflow u64: refused before Token-2022 is reached.
    fixture.mint_error(&second, &alice, 2, "overflow", "SupplyCapExceeded").await;
    fixture.mint_ok(&second, &alice, 1, "last").await;
    assert_eq!(fixture.ledger.mint_info(&mint).await.unwrap().supply, u64::MAX);
    fixture.assert_issuance_invariants(&[minter.pubkey(), second.pubkey()]).await;
    // Decreasing by u64::MAX saturates at zero; a rate-limit refill over a huge warp saturates too.
    let master = fixture.master_minter.insecure_clone();
    fixture.ledger.expect_ok(instructions::decrease_allowance(&master.pubkey(), &mint, &minter.pubkey(), u64::MAX), &[&master]).await;
    let limited = fixture.new_identity();
    let limit = usd1_client::RateLimit { capacity: u64::MAX, refill_per_sec: u64::MAX };
    fixture.ledger.expect_ok(instructions::configure_minter(&master.pubkey(), &mint, &limited.pubkey(), Some(limit)), &[&master]).await;
    fixture.ledger.warp_secs(i64::MAX / 4).await.unwrap();
    // Allowance 0: the bucket's saturation is harmless and the allowance still binds
    // (a mint valid until the end of time, so expiry is not what refuses it).
    let after_warp = instructions::mint(&limited.pubkey(), &limited.pubkey(), &mint, &alice, 1, reference_hash("after-warp"), i64::MAX);
    fixture.ledger.expect_error(after_warp, &[&limited], "AllowanceExceeded").await;
    // A redemption of more than a holder has never reaches the escrow.
    let holder = fixture.new_identity();
    fixture.create_token_account(&holder.pubkey()).await;
    let failure = fixture.request_redemption(&holder, u64::MAX, "max").await.unwrap_err();
    assert_eq!(failure.name(), "Token2022:InsufficientFunds");
    fixture.assert_redemption_invariants(&[]).await;
}

// ---- Lawful-order and denylist-escape attacks (issue 10); each succeeded on the v1 mint. ----

/// Mallory's second (non-associated) token account with `amount` in it.
async fn funded_named_account(fixture: &mut Fixture, owner: &Keypair, amount: u64) -> Pubkey {
    let associated = fixture.fund_holder(&owner.pubkey(), amount).await;
    let named = fixture.create_named_token_account(&owner.pubkey()).await;
    let mint = fixture.mint_key();
    let to_named = usd1_client::transfer::transfer_checked_between(
        &mint,
        usd1_client::transfer::TransferEnd { account: associated, owner: owner.pubkey() },
        usd1_client::transfer::TransferEnd { account: named, owner: owner.pubkey() },
        &owner.pubkey(),
        amount,
        DECIMALS,
    );
    fixture.ledger.expect_ok_all(&[to_named], &[owner]).await;
    named
}

#[tokio::test]
async fn a_denylisted_wallet_cannot_hand_a_token_account_to_a_fresh_key() {
    // Attack 2a: SetAuthority(AccountOwner) runs no hook. Denylisting freezes every account
    // of the wallet, and a frozen account cannot change owner, even during `pause all`.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let mallory = fixture.new_identity();
    let named = funded_named_account(&mut fixture, &mallory, 10 * ONE_TOKEN).await;
    let associated = pda::associated_token_address(&mallory.pubkey(), &mint);
    let events = fixture.denylist_with(&mallory.pubkey(), &[associated, named]).await;
    let usd1_client::events::Usd1Event::Denylisted(denylisted) = &events[0] else { panic!("{events:?}") };
    assert_eq!(denylisted.frozen_accounts, vec![associated, named]);
    let fresh = fixture.new_identity();
    let hand_over = usd1_client::token::set_account_owner(&named, &mallory.pubkey(), &fresh.pubkey());
    fixture.ledger.expect_error(hand_over.clone(), &[&mallory], "Token2022:AccountFrozen").await;
    let pauser = fixture.pauser.insecure_clone();
    fixture.ledger.expect_ok(instructions::pause(&pauser.pubkey(), &mint, usd1_client::PauseScope::All), &[&pauser]).await;
    fixture.ledger.expect_error(hand_over, &[&mallory], "Token2022:AccountFrozen").await;
    assert_eq!(fixture.ledger.token_account(&named).await.unwrap().unwrap().owner, mallory.pubkey());
}

#[tokio::test]
async fn a_denylisted_delegate_cannot_spend_the_approvals_it_collected() {
    // Attack 2b: a phishing drainer holds approvals on clean holders' accounts.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let (victim, drainer, bob) = (fixture.new_identity(), fixture.new_identity(), fixture.new_identity());
    let victim_token = fixture.fund_holder(&victim.pubkey(), 10 * ONE_TOKEN).await;
    let bob_token = fixture.create_token_account(&bob.pubkey()).await;
    let approve = usd1_client::token::approve_delegate(&victim_token, &mint, &victim.pubkey(), &drainer.pubkey(), 10 * ONE_TOKEN, DECIMALS);
    fixture.ledger.expect_ok_all(&[approve], &[&victim]).await;
    let drain = |amount| {
        usd1_client::transfer::transfer_checked_between(
            &mint,
            usd1_client::transfer::TransferEnd { account: victim_token, owner: victim.pubkey() },
            usd1_client::transfer::TransferEnd { account: bob_token, owner: bob.pubkey() },
            &drainer.pubkey(),
            amount,
            DECIMALS,
        )
    };
    fixture.ledger.expect_ok_all(&[drain(ONE_TOKEN)], &[&drainer]).await;
    fixture.denylist(&drainer.pubkey()).await;
    fixture.ledger.expect_error(drain(ONE_TOKEN), &[&drainer], "Denylisted").await;
    assert_eq!(fixture.account_balance(&victim_token).await, 9 * ONE_TOKEN);
}

#[tokio::test]
async fn an_account_left_unfrozen_cannot_be_handed_over_or_emptied() {
    // Review finding: a wallet with more accounts than one denylisting freezes (or one that
    // opens an account while the listing is in flight) keeps an unfrozen, funded account.
    // Every account that can hold USD1 has ImmutableOwner, so it cannot change owner; the
    // hook refuses it as a source, whoever signs.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let (mallory, fresh, helper, bob) = (fixture.new_identity(), fixture.new_identity(), fixture.new_identity(), fixture.new_identity());
    let unfrozen = funded_named_account(&mut fixture, &mallory, 5 * ONE_TOKEN).await;
    fixture.denylist(&mallory.pubkey()).await; // freezes only the associated account
    assert!(!fixture.is_frozen(&unfrozen).await);
    let bob_token = fixture.create_token_account(&bob.pubkey()).await;
    let hand_over = usd1_client::token::set_account_owner(&unfrozen, &mallory.pubkey(), &fresh.pubkey());
    fixture.ledger.expect_error(hand_over, &[&mallory], "Token2022:ImmutableOwner").await;
    let out = |authority: &Pubkey| {
        usd1_client::transfer::transfer_checked_between(
            &mint,
            usd1_client::transfer::TransferEnd { account: unfrozen, owner: mallory.pubkey() },
            usd1_client::transfer::TransferEnd { account: bob_token, owner: bob.pubkey() },
            authority,
            ONE_TOKEN,
            DECIMALS,
        )
    };
    fixture.ledger.expect_error(out(&mallory.pubkey()), &[&mallory], "Denylisted").await;
    let approve = usd1_client::token::approve_delegate(&unfrozen, &mint, &mallory.pubkey(), &helper.pubkey(), 5 * ONE_TOKEN, DECIMALS);
    fixture.ledger.expect_ok_all(&[approve], &[&mallory]).await;
    fixture.ledger.expect_error(out(&helper.pubkey()), &[&helper], "Denylisted").await;
    // The denylister freezes it as any account, and cannot thaw it while the wallet is listed.
    let denylister = fixture.denylister.insecure_clone();
    fixture.ledger.expect_ok(instructions::freeze(&denylister.pubkey(), &mint, &unfrozen, &mallory.pubkey()), &[&denylister]).await;
    let thaw = instructions::thaw(&denylister.pubkey(), &mint, &unfrozen, &mallory.pubkey());
    fixture.ledger.expect_error(thaw, &[&denylister], "Denylisted").await;
    assert_eq!(fixture.account_balance(&unfrozen).await, 5 * ONE_TOKEN);
}

#[tokio::test]
async fn an_account_whose_owner_can_change_never_receives_usd1() {
    // The other half: a gift to a denylisted wallet by an owner change needs a funded account
    // without ImmutableOwner, and no path puts tokens into one.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let (giver, mallory) = (fixture.new_identity(), fixture.new_identity());
    let giver_token = fixture.fund_holder(&giver.pubkey(), 5 * ONE_TOKEN).await;
    let changeable = fixture.create_mutable_owner_token_account(&giver.pubkey()).await;
    let into = usd1_client::transfer::transfer_checked_between(
        &mint,
        usd1_client::transfer::TransferEnd { account: giver_token, owner: giver.pubkey() },
        usd1_client::transfer::TransferEnd { account: changeable, owner: giver.pubkey() },
        &giver.pubkey(),
        ONE_TOKEN,
        DECIMALS,
    );
    fixture.ledger.expect_error(into, &[&giver], "OwnerNotImmutable").await;
    let minter = fixture.treasury_minter.as_ref().map(Keypair::insecure_clone).unwrap();
    let mint_into = substitute(fixture.mint_instruction(&minter, &giver.pubkey(), ONE_TOKEN, "wire-changeable"), &giver_token, &changeable);
    fixture.ledger.expect_error(mint_into, &[&minter], "OwnerNotImmutable").await;
    fixture.denylist(&mallory.pubkey()).await;
    fixture.ledger.expect_ok_all(&[usd1_client::token::set_account_owner(&changeable, &giver.pubkey(), &mallory.pubkey())], &[&giver]).await;
    assert_eq!(fixture.account_balance(&changeable).await, 0, "what a denylisted wallet can be given holds nothing");
}

#[tokio::test]
async fn a_holders_direct_burn_is_reported_not_a_reconciliation_failure() {
    // Attack 3a: one base unit burned through Token-2022 used to make check_supply false forever.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let holder = fixture.new_identity();
    let holder_token = fixture.fund_holder(&holder.pubkey(), 10 * ONE_TOKEN).await;
    let burn = usd1_client::token::burn_direct(&holder_token, &mint, &holder.pubkey(), 1, DECIMALS);
    fixture.ledger.expect_ok_all(&[burn], &[&holder]).await;
    let events = fixture.ledger.expect_ok(instructions::check_supply(&mint), &[]).await;
    let usd1_client::events::Usd1Event::SupplyChecked(checked) = &events[0] else { panic!("{events:?}") };
    assert_eq!((checked.supply, checked.total_minted, checked.unattributed_burned, checked.matches), (10 * ONE_TOKEN - 1, 10 * ONE_TOKEN, 1, true));
}

#[tokio::test]
async fn an_outside_deposit_into_the_escrow_is_excess_and_only_the_burner_sweeps_it() {
    // Attack 3b: tokens sent to the Escrow broke invariant 7 and were stuck.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let config = pda::config_address(&mint);
    let escrow = pda::escrow_address(&config);
    let (holder, treasury) = (fixture.new_identity(), fixture.new_identity());
    let holder_token = fixture.fund_holder(&holder.pubkey(), 10 * ONE_TOKEN).await;
    fixture.request_redemption(&holder, 2 * ONE_TOKEN, "open").await.expect("request");
    let deposit = usd1_client::transfer::transfer_checked_between(
        &mint,
        usd1_client::transfer::TransferEnd { account: holder_token, owner: holder.pubkey() },
        usd1_client::transfer::TransferEnd { account: escrow, owner: config },
        &holder.pubkey(),
        3 * ONE_TOKEN,
        DECIMALS,
    );
    fixture.ledger.expect_ok_all(&[deposit], &[&holder]).await;
    let events = fixture.ledger.expect_ok(instructions::check_supply(&mint), &[]).await;
    let usd1_client::events::Usd1Event::SupplyChecked(checked) = &events[0] else { panic!("{events:?}") };
    assert_eq!((checked.escrowed, checked.escrow_excess), (2 * ONE_TOKEN, 3 * ONE_TOKEN));

    let treasury_token = fixture.create_token_account(&treasury.pubkey()).await;
    for signer in fixture.everyone_except(&[&fixture.burner]) {
        let sweep = instructions::sweep_escrow(&signer.pubkey(), &mint, &treasury_token, &treasury.pubkey());
        fixture.ledger.expect_error(sweep, &[&signer], "Unauthorized").await;
    }
    let burner = fixture.burner.insecure_clone();
    // Never back into a Config-owned account or to a denylisted owner.
    let to_escrow = instructions::sweep_escrow(&burner.pubkey(), &mint, &escrow, &config);
    fixture.ledger.expect_error(to_escrow, &[&burner], "Anchor:ConstraintDuplicateMutableAccount").await;
    let config_associated = fixture.create_token_account(&config).await;
    let to_config = instructions::sweep_escrow(&burner.pubkey(), &mint, &config_associated, &config);
    fixture.ledger.expect_error(to_config, &[&burner], "InvalidRecipient").await;
    let mallory = fixture.new_identity();
    let mallory_token = fixture.create_token_account(&mallory.pubkey()).await;
    fixture.denylist_with(&mallory.pubkey(), &[]).await;
    fixture.ledger.expect_error(instructions::sweep_escrow(&burner.pubkey(), &mint, &mallory_token, &mallory.pubkey()), &[&burner], "Denylisted").await;

    let events = fixture.ledger.expect_ok(instructions::sweep_escrow(&burner.pubkey(), &mint, &treasury_token, &treasury.pubkey()), &[&burner]).await;
    let usd1_client::events::Usd1Event::EscrowSwept(swept) = &events[0] else { panic!("{events:?}") };
    assert_eq!((swept.to, swept.amount, swept.escrowed), (treasury_token, 3 * ONE_TOKEN, 2 * ONE_TOKEN));
    assert_eq!(fixture.account_balance(&treasury_token).await, 3 * ONE_TOKEN);
    fixture.assert_redemption_invariants(&[2 * ONE_TOKEN]).await;
    fixture.ledger.expect_error(instructions::sweep_escrow(&burner.pubkey(), &mint, &treasury_token, &treasury.pubkey()), &[&burner], "NothingToSweep").await;
}

#[tokio::test]
async fn the_burner_burns_only_from_an_account_it_owns() {
    // Item 5: `burn` used to burn from any account where the burner was owner or delegate.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let holder = fixture.new_identity();
    let holder_token = fixture.fund_holder(&holder.pubkey(), 10 * ONE_TOKEN).await;
    let burner = fixture.burner.insecure_clone();
    let approve = usd1_client::token::approve_delegate(&holder_token, &mint, &holder.pubkey(), &burner.pubkey(), 10 * ONE_TOKEN, DECIMALS);
    fixture.ledger.expect_ok_all(&[approve], &[&holder]).await;
    let burn_theirs = instructions::burn_from(&burner.pubkey(), &mint, &holder_token, ONE_TOKEN);
    fixture.ledger.expect_error(burn_theirs, &[&burner], "InvalidTokenAccount").await;
    assert_eq!(fixture.account_balance(&holder_token).await, 10 * ONE_TOKEN);
}

#[tokio::test]
async fn a_prefunded_escrow_address_does_not_block_initialize() {
    // Item 5: lamports sent to the Escrow's address before `initialize` made it fail.
    let mut fixture = Fixture::uninitialized().await;
    let mint = fixture.mint_key();
    let escrow = pda::escrow_address(&pda::config_address(&mint));
    fixture.ledger.fund(&escrow, 1_000);
    let params = default_params(&fixture.keys());
    let (admin, mint_keypair) = (fixture.admin.insecure_clone(), fixture.mint.insecure_clone());
    fixture.ledger.expect_ok(instructions::initialize(&admin.pubkey(), &mint, params), &[&admin, &mint_keypair]).await;
    let escrow_account = fixture.ledger.token_account(&escrow).await.unwrap().expect("escrow is a token account");
    assert_eq!((escrow_account.mint, escrow_account.owner), (mint, pda::config_address(&mint)));
}

#[tokio::test]
async fn a_prefunded_mint_address_does_not_block_initialize() {
    // Issue 21: the mint's address is known before `initialize` (its keypair is generated first,
    // and a prepared transaction shows it); lamports sent there made CreateAccount fail.
    let mut fixture = Fixture::uninitialized().await;
    let mint = fixture.mint_key();
    fixture.ledger.fund(&mint, 5_000_000);
    let params = default_params(&fixture.keys());
    let (admin, mint_keypair) = (fixture.admin.insecure_clone(), fixture.mint.insecure_clone());
    fixture.ledger.expect_ok(instructions::initialize(&admin.pubkey(), &mint, params), &[&admin, &mint_keypair]).await;
    let info = fixture.ledger.mint_info(&mint).await.unwrap();
    assert_eq!(info.supply, 0);
    let account = fixture.ledger.account(&mint).await.unwrap().expect("the mint exists");
    assert_eq!(account.owner, usd1_client::TOKEN_2022_PROGRAM_ID);
    let rent = fixture.ledger.rent_exempt_minimum(account.data.len()).await.unwrap();
    assert!(account.lamports >= rent, "the mint stays rent-exempt");
}

/// v3: the wallet named beside a token account (`mint`'s `recipient`, `sweep_escrow`'s
/// `to_owner`, `freeze`/`thaw`'s `owner`) selects the DenylistEntry that is checked, so it must
/// be that account's owner: a clean wallet named beside a denylisted owner's account is refused.
#[tokio::test]
async fn a_clean_wallet_named_beside_a_denylisted_owners_account_is_refused() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(100 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;
    let mallory = fixture.new_identity();
    let mallory_token = fixture.fund_holder(&mallory.pubkey(), 5 * ONE_TOKEN).await;
    fixture.denylist(&mallory.pubkey()).await;
    assert!(fixture.is_frozen(&mallory_token).await);

    // A mint naming Alice as recipient, into Mallory's account.
    let instruction = substitute(fixture.mint_instruction(&minter, &alice, ONE_TOKEN, "w-evade"), &pda::associated_token_address(&alice, &mint), &mallory_token);
    fixture.ledger.expect_error(instruction, &[&minter], "InvalidTokenAccount").await;
    // A sweep to Mallory's account naming Alice as its owner.
    let burner = fixture.burner.insecure_clone();
    let instruction = instructions::sweep_escrow(&burner.pubkey(), &mint, &mallory_token, &alice);
    fixture.ledger.expect_error(instruction, &[&burner], "InvalidTokenAccount").await;
    // A thaw of Mallory's account naming Alice as its owner.
    let denylister = fixture.denylister.insecure_clone();
    let instruction = instructions::thaw(&denylister.pubkey(), &mint, &mallory_token, &alice);
    fixture.ledger.expect_error(instruction, &[&denylister], "InvalidTokenAccount").await;
    // Named correctly, the thaw is the listing's own refusal.
    let instruction = instructions::thaw(&denylister.pubkey(), &mint, &mallory_token, &mallory.pubkey());
    fixture.ledger.expect_error(instruction, &[&denylister], "Denylisted").await;

    assert!(fixture.is_frozen(&mallory_token).await);
    assert_eq!(fixture.account_balance(&mallory_token).await, 5 * ONE_TOKEN);
    assert_eq!(fixture.config().await.total_minted, 5 * ONE_TOKEN);
}
