//! denylist_add / denylist_remove / freeze / thaw, and the hook's refusal.
use crate::{event, harness::*};
use solana_signer::Signer;
use usd1_client::{instructions, pda};

#[tokio::test]
async fn a_denylisted_wallet_can_neither_send_nor_receive_until_removed() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let (alice, bob) = (fixture.new_identity(), fixture.new_identity());
    fixture.fund_holder(&alice.pubkey(), 10 * ONE_TOKEN).await;
    fixture.fund_holder(&bob.pubkey(), 10 * ONE_TOKEN).await;
    let denylister = fixture.denylister.insecure_clone();

    let instruction = instructions::denylist_add(&denylister.pubkey(), &mint, &bob.pubkey(), [5; 32], &[]);
    let events = fixture.ledger.expect_ok(instruction, &[&denylister]).await;
    let added = event!(events, Denylisted);
    assert_eq!((added.wallet, added.reason_hash, added.by), (bob.pubkey(), [5; 32], denylister.pubkey()));
    let entry = fixture.ledger.denylist_entry(&mint, &bob.pubkey()).await.unwrap().expect("entry");
    assert_eq!((entry.wallet, entry.added_by), (bob.pubkey(), denylister.pubkey()));

    // Destination denylisted, then source denylisted: the hook refuses both.
    assert_eq!(fixture.transfer(&alice, &bob.pubkey(), ONE_TOKEN).await.unwrap_err().name(), "Denylisted");
    assert_eq!(fixture.transfer(&bob, &alice.pubkey(), ONE_TOKEN).await.unwrap_err().name(), "Denylisted");
    // Minting to it is refused too.
    let minter = fixture.new_minter(10 * ONE_TOKEN).await;
    fixture.mint_error(&minter, &bob.pubkey(), ONE_TOKEN, "wire-x", "Denylisted").await;
    assert_eq!(fixture.ledger.balance(&bob.pubkey(), &mint).await.unwrap(), 10 * ONE_TOKEN);

    let instruction = instructions::denylist_remove(&denylister.pubkey(), &mint, &bob.pubkey(), &[]);
    let events = fixture.ledger.expect_ok(instruction, &[&denylister]).await;
    let removed = event!(events, Undenylisted);
    assert_eq!(removed.wallet, bob.pubkey());
    assert!(fixture.ledger.denylist_entry(&mint, &bob.pubkey()).await.unwrap().is_none());
    fixture.transfer(&alice, &bob.pubkey(), ONE_TOKEN).await.expect("clean again");
    fixture.transfer(&bob, &alice.pubkey(), 2 * ONE_TOKEN).await.expect("clean again");
    assert_eq!(fixture.ledger.balance(&bob.pubkey(), &mint).await.unwrap(), 9 * ONE_TOKEN);
}

#[tokio::test]
async fn only_the_denylister_manages_the_denylist_and_freezes() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let target = fixture.new_identity();
    let token_account = fixture.fund_holder(&target.pubkey(), ONE_TOKEN).await;
    let denylister = fixture.denylister.insecure_clone();
    for signer in fixture.everyone_except(&[&denylister]) {
        let key = signer.pubkey();
        fixture.ledger.expect_error(instructions::denylist_add(&key, &mint, &target.pubkey(), [0; 32], &[]), &[&signer], "Unauthorized").await;
        fixture.ledger.expect_error(instructions::freeze(&key, &mint, &token_account, &target.pubkey()), &[&signer], "Unauthorized").await;
    }
    // An entry alone (no accounts given), then the account frozen on its own.
    fixture.denylist_with(&target.pubkey(), &[]).await;
    fixture.ledger.expect_ok(instructions::freeze(&denylister.pubkey(), &mint, &token_account, &target.pubkey()), &[&denylister]).await;
    for signer in fixture.everyone_except(&[&denylister]) {
        let key = signer.pubkey();
        fixture.ledger.expect_error(instructions::denylist_remove(&key, &mint, &target.pubkey(), &[]), &[&signer], "Unauthorized").await;
        fixture.ledger.expect_error(instructions::thaw(&key, &mint, &token_account, &target.pubkey()), &[&signer], "Unauthorized").await;
    }
    assert!(fixture.ledger.denylist_entry(&mint, &target.pubkey()).await.unwrap().is_some());
    assert!(fixture.ledger.token_account(&token_account).await.unwrap().unwrap().frozen);
}

#[tokio::test]
async fn denylist_mistakes_are_named() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let denylister = fixture.denylister.insecure_clone();
    let wallet = fixture.new_identity().pubkey();
    fixture.ledger.expect_error(instructions::denylist_remove(&denylister.pubkey(), &mint, &wallet, &[]), &[&denylister], "NotDenylisted").await;
    fixture.denylist(&wallet).await;
    fixture.ledger.expect_error(instructions::denylist_add(&denylister.pubkey(), &mint, &wallet, [0; 32], &[]), &[&denylister], "Denylisted").await;
    // The Config owns the Escrow; denylisting or freezing them would strand pending redemptions.
    let config = pda::config_address(&mint);
    fixture.ledger.expect_error(instructions::denylist_add(&denylister.pubkey(), &mint, &config, [0; 32], &[]), &[&denylister], "ProtectedAccount").await;
    let escrow = pda::escrow_address(&config);
    fixture.ledger.expect_error(instructions::freeze(&denylister.pubkey(), &mint, &escrow, &config), &[&denylister], "ProtectedAccount").await;
}

#[tokio::test]
async fn a_frozen_account_is_stopped_by_token_2022_until_thawed() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let (alice, bob) = (fixture.new_identity(), fixture.new_identity());
    let alice_token = fixture.fund_holder(&alice.pubkey(), 10 * ONE_TOKEN).await;
    fixture.create_token_account(&bob.pubkey()).await;
    let denylister = fixture.denylister.insecure_clone();

    let events = fixture.ledger.expect_ok(instructions::freeze(&denylister.pubkey(), &mint, &alice_token, &alice.pubkey()), &[&denylister]).await;
    let frozen = event!(events, AccountFrozen);
    assert_eq!((frozen.token_account, frozen.owner), (alice_token, alice.pubkey()));
    assert_eq!(fixture.transfer(&alice, &bob.pubkey(), ONE_TOKEN).await.unwrap_err().name(), "Token2022:AccountFrozen");
    assert_eq!(fixture.request_redemption(&alice, ONE_TOKEN, "t-1").await.unwrap_err().name(), "Token2022:AccountFrozen");

    let events = fixture.ledger.expect_ok(instructions::thaw(&denylister.pubkey(), &mint, &alice_token, &alice.pubkey()), &[&denylister]).await;
    let thawed = event!(events, AccountThawed);
    assert_eq!(thawed.token_account, alice_token);
    fixture.transfer(&alice, &bob.pubkey(), ONE_TOKEN).await.expect("thawed");
    assert_eq!(fixture.ledger.balance(&bob.pubkey(), &mint).await.unwrap(), ONE_TOKEN);
}

#[tokio::test]
async fn no_token_reaches_or_leaves_a_denylisted_owner_through_any_path() {
    // Invariant 6, checked after every step of a mixed sequence.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let holders: Vec<_> = (0..3).map(|_| fixture.new_identity()).collect();
    for holder in &holders {
        fixture.fund_holder(&holder.pubkey(), 20 * ONE_TOKEN).await;
    }
    let minter = fixture.new_minter(100 * ONE_TOKEN).await;
    let denylister = fixture.denylister.insecure_clone();
    let mut denylisted = [false; 3];
    for step in 0..18usize {
        let (from, to) = (step % 3, (step + 1) % 3);
        if step % 4 == 0 {
            let wallet = holders[to].pubkey();
            let instruction = if denylisted[to] {
                instructions::denylist_remove(&denylister.pubkey(), &mint, &wallet, &[])
            } else {
                instructions::denylist_add(&denylister.pubkey(), &mint, &wallet, [0; 32], &[])
            };
            fixture.ledger.expect_ok(instruction, &[&denylister]).await;
            denylisted[to] = !denylisted[to];
        }
        let before: Vec<u64> = {
            let mut balances = Vec::new();
            for holder in &holders {
                balances.push(fixture.ledger.balance(&holder.pubkey(), &mint).await.unwrap());
            }
            balances
        };
        let transfer = fixture.transfer(&holders[from], &holders[to].pubkey(), ONE_TOKEN).await;
        let mint_result = fixture.ledger.send(&[fixture.mint_instruction(&minter, &holders[to].pubkey(), ONE_TOKEN, &format!("w{step}"))], &[&minter]).await;
        let redeem = fixture.request_redemption(&holders[from], ONE_TOKEN, &format!("r{step}")).await;
        let blocked_transfer = denylisted[from] || denylisted[to];
        assert_eq!(transfer.is_err(), blocked_transfer, "step {step} transfer");
        assert_eq!(mint_result.is_err(), denylisted[to], "step {step} mint");
        assert_eq!(redeem.is_err(), denylisted[from], "step {step} redemption");
        for (index, holder) in holders.iter().enumerate() {
            if denylisted[index] {
                let after = fixture.ledger.balance(&holder.pubkey(), &mint).await.unwrap();
                assert_eq!(after, before[index], "step {step}: a denylisted balance moved");
            }
        }
    }
}

#[tokio::test]
async fn a_denylisted_owners_self_transfer_moves_nothing() {
    // Found by the property tests: Token-2022 completes a transfer from an account to
    // itself without calling the hook. Nothing moves, so the denylist still holds; an
    // entry without frozen accounts (`&[]`) shows it, and a frozen account refuses outright.
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let mallory = fixture.new_identity();
    let mallory_token = fixture.fund_holder(&mallory.pubkey(), 10 * ONE_TOKEN).await;
    fixture.denylist_with(&mallory.pubkey(), &[]).await;
    fixture.transfer(&mallory, &mallory.pubkey(), 5 * ONE_TOKEN).await.expect("a self-transfer completes");
    let freeze = instructions::freeze(&fixture.denylister.pubkey(), &mint, &mallory_token, &mallory.pubkey());
    let denylister = fixture.denylister.insecure_clone();
    fixture.ledger.expect_ok(freeze, &[&denylister]).await;
    assert_eq!(fixture.transfer(&mallory, &mallory.pubkey(), 5 * ONE_TOKEN).await.unwrap_err().name(), "Token2022:AccountFrozen");
    assert_eq!(fixture.ledger.balance(&mallory.pubkey(), &mint).await.unwrap(), 10 * ONE_TOKEN);
    let bob = fixture.new_identity().pubkey();
    fixture.create_token_account(&bob).await;
    assert_eq!(fixture.transfer(&mallory, &bob, ONE_TOKEN).await.unwrap_err().name(), "Token2022:AccountFrozen");
}

#[tokio::test]
async fn denylisting_freezes_every_account_of_the_wallet_and_removal_thaws_them() {
    let mut fixture = Fixture::new().await;
    let mallory = fixture.new_identity();
    let associated = fixture.fund_holder(&mallory.pubkey(), 3 * ONE_TOKEN).await;
    let second = fixture.create_named_token_account(&mallory.pubkey()).await;
    let third = fixture.create_named_token_account(&mallory.pubkey()).await;
    // One already frozen on its own: left as is, not named again.
    let (mint, denylister) = (fixture.mint_key(), fixture.denylister.insecure_clone());
    fixture.ledger.expect_ok(instructions::freeze(&denylister.pubkey(), &mint, &third, &mallory.pubkey()), &[&denylister]).await;

    let events = fixture.denylist_with(&mallory.pubkey(), &[associated, second, third]).await;
    let added = event!(events, Denylisted);
    assert_eq!(added.frozen_accounts, vec![associated, second]);
    for account in [associated, second, third] {
        assert!(fixture.is_frozen(&account).await);
    }
    let events = fixture.undenylist_with(&mallory.pubkey(), &[associated, second, third]).await;
    let removed = event!(events, Undenylisted);
    assert_eq!(removed.thawed_accounts, vec![associated, second, third]);
    for account in [associated, second, third] {
        assert!(!fixture.is_frozen(&account).await);
    }
}

#[tokio::test]
async fn denylisting_refuses_accounts_that_are_not_the_wallets() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let (mallory, alice) = (fixture.new_identity(), fixture.new_identity());
    let mallory_token = fixture.fund_holder(&mallory.pubkey(), ONE_TOKEN).await;
    let alice_token = fixture.fund_holder(&alice.pubkey(), ONE_TOKEN).await;
    let denylister = fixture.denylister.insecure_clone();
    let add = |accounts: &[solana_pubkey::Pubkey]| instructions::denylist_add(&denylister.pubkey(), &mint, &mallory.pubkey(), [1; 32], accounts);
    // A clean holder's account slipped in would freeze an innocent.
    fixture.ledger.expect_error(add(&[mallory_token, alice_token]), &[&denylister], "InvalidTokenAccount").await;
    fixture.ledger.expect_error(add(&[mallory_token, mallory_token]), &[&denylister], "DuplicateAccount").await;
    // Not a token account at all (the wallet itself).
    fixture.ledger.expect_error(add(&[mallory.pubkey()]), &[&denylister], "InvalidTokenAccount").await;
    let too_many: Vec<_> = (0..=usd1::constants::MAX_WALLET_TOKEN_ACCOUNTS).map(|_| solana_pubkey::Pubkey::new_unique()).collect();
    fixture.ledger.expect_error(add(&too_many), &[&denylister], "TooManyAccounts").await;
    assert!(!fixture.is_frozen(&alice_token).await && !fixture.is_frozen(&mallory_token).await);
    assert!(fixture.ledger.denylist_entry(&mint, &mallory.pubkey()).await.unwrap().is_none(), "nothing half-applied");
}

#[tokio::test]
async fn freeze_and_thaw_take_any_token_account_of_the_mint() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let owner = fixture.new_identity();
    let named = fixture.create_named_token_account(&owner.pubkey()).await;
    let denylister = fixture.denylister.insecure_clone();
    let events = fixture.ledger.expect_ok(instructions::freeze(&denylister.pubkey(), &mint, &named, &owner.pubkey()), &[&denylister]).await;
    let frozen = event!(events, AccountFrozen);
    assert_eq!((frozen.token_account, frozen.owner), (named, owner.pubkey()));
    assert!(fixture.is_frozen(&named).await);
    let events = fixture.ledger.expect_ok(instructions::thaw(&denylister.pubkey(), &mint, &named, &owner.pubkey()), &[&denylister]).await;
    assert_eq!(event!(events, AccountThawed).token_account, named);
    assert!(!fixture.is_frozen(&named).await);
}

#[tokio::test]
async fn the_registry_the_hook_reads_mirrors_the_denylist_entries_in_order() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let registry_address = pda::denylist_registry_address(&pda::config_address(&mint));
    let wallets: Vec<solana_pubkey::Pubkey> = (0..12).map(|_| solana_pubkey::Pubkey::new_unique()).collect();
    for wallet in &wallets {
        fixture.denylist_with(wallet, &[]).await;
    }
    let read = |data: &[u8]| usd1_client::accounts::decode_denylist_registry(data).unwrap().wallets;
    let account = fixture.ledger.account(&registry_address).await.unwrap().unwrap();
    let mut expected = wallets.clone();
    expected.sort();
    assert_eq!(read(&account.data), expected);
    assert_eq!(account.data.len(), usd1::state::DenylistRegistry::space(12));
    let rent = fixture.ledger.rent_exempt_minimum(account.data.len()).await.unwrap();
    assert_eq!(account.lamports, rent, "the denylister paid exactly the rent");
    // Removing from the middle, the ends, then re-adding keeps it sorted and sized.
    for wallet in [expected[5], expected[0], expected[11]] {
        fixture.undenylist_with(&wallet, &[]).await;
    }
    fixture.denylist_with(&expected[0], &[]).await;
    let account = fixture.ledger.account(&registry_address).await.unwrap().unwrap();
    let remaining: Vec<_> = expected.iter().copied().filter(|wallet| *wallet != expected[5] && *wallet != expected[11]).collect();
    assert_eq!(read(&account.data), remaining);
    let rent = fixture.ledger.rent_exempt_minimum(usd1::state::DenylistRegistry::space(10)).await.unwrap();
    assert_eq!(account.lamports, rent, "freed rent went back");
    for wallet in &remaining {
        assert!(fixture.ledger.denylist_entry(&mint, wallet).await.unwrap().is_some());
    }
}
