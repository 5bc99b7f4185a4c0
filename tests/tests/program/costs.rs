//! What issuance costs: rent of the accounts it creates, transaction bytes and the
//! compute units of the BPF programs it invokes. Run with `--nocapture` to read them.
use crate::harness::*;
use solana_signer::Signer;
use usd1_client::{instructions, reference_hash, MintReceipt, Minter, Proposal};

/// The largest serialized transaction the network accepts.
const PACKET_DATA_SIZE: usize = 1232;

#[tokio::test]
async fn issuance_account_rent_and_mint_transaction_size() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let minter = fixture.new_minter(1_000 * ONE_TOKEN).await;
    let alice = fixture.new_identity().pubkey();
    fixture.create_token_account(&alice).await;

    let mut rent = Vec::new();
    for (name, space) in [("Minter", Minter::SPACE), ("Proposal", Proposal::SPACE), ("MintReceipt", MintReceipt::SPACE)] {
        let lamports = fixture.ledger.rent_exempt_minimum(space).await.unwrap();
        println!("rent: {name} {space} bytes = {lamports} lamports");
        rent.push((name, space, lamports));
    }
    // The receipt is paid once per mint, forever: keep it the smallest account.
    assert!(MintReceipt::SPACE < Minter::SPACE && MintReceipt::SPACE <= 100, "MintReceipt is {} bytes", MintReceipt::SPACE);

    let mint_instruction = instructions::mint(&minter.pubkey(), &minter.pubkey(), &mint, &alice, ONE_TOKEN, reference_hash("wire-1"), FAR_FUTURE);
    let executed = fixture
        .ledger
        .expect_ok_all(&[instructions::compute_unit_limit(100_000), mint_instruction], &[&minter])
        .await;
    println!(
        "mint transaction: {} bytes, {} accounts, {} signatures, {} compute units consumed by Token-2022 and the system program (USD1 itself runs natively and is not metered)",
        executed.size_bytes,
        executed.account_count,
        executed.signature_count,
        executed.units_consumed
    );
    assert!(executed.size_bytes <= PACKET_DATA_SIZE);
    assert!(executed.units_consumed > 0, "Token-2022's MintTo is metered");
    // The receipt's rent is what the payer actually paid.
    let receipt_address = usd1_client::pda::receipt_address(&usd1_client::pda::config_address(&mint), &reference_hash("wire-1"));
    let receipt = fixture.ledger.account(&receipt_address).await.unwrap().unwrap();
    assert_eq!(receipt.lamports, rent[2].2);
}

/// A holder-to-holder transfer of the USD1 mint (through the hook) against the
/// same transfer of a bare Token-2022 mint without extensions.
#[tokio::test]
async fn hook_transfer_against_a_bare_token_2022_transfer() {
    use solana_keypair::Keypair;
    use spl_token_2022_interface::{
        extension::ExtensionType, instruction as token_instruction, state::Mint as MintState, ID as TOKEN_2022,
    };

    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let (alice, bob) = (fixture.new_identity(), fixture.new_identity());
    fixture.fund_holder(&alice.pubkey(), 10 * ONE_TOKEN).await;
    fixture.create_token_account(&bob.pubkey()).await;
    let hooked = fixture.transfer(&alice, &bob.pubkey(), ONE_TOKEN).await.expect("hook transfer");

    // The bare alternative: a Token-2022 mint with no extensions, same holders.
    let bare_mint = Keypair::new();
    let authority = fixture.new_identity();
    let payer = fixture.ledger.payer().pubkey();
    let space = ExtensionType::try_calculate_account_len::<MintState>(&[]).unwrap();
    let lamports = fixture.ledger.rent_exempt_minimum(space).await.unwrap();
    let create = solana_system_interface::instruction::create_account(&payer, &bare_mint.pubkey(), lamports, space as u64, &TOKEN_2022);
    let initialize = token_instruction::initialize_mint2(&TOKEN_2022, &bare_mint.pubkey(), &authority.pubkey(), None, DECIMALS).unwrap();
    fixture.ledger.expect_ok_all(&[create, initialize], &[&bare_mint]).await;
    let mut token_accounts = Vec::new();
    for owner in [alice.pubkey(), bob.pubkey()] {
        let instruction = usd1_client::transfer::create_associated_token_account(&payer, &owner, &bare_mint.pubkey());
        fixture.ledger.expect_ok(instruction, &[]).await;
        token_accounts.push(usd1_client::pda::associated_token_address(&owner, &bare_mint.pubkey()));
    }
    let mint_to = token_instruction::mint_to(&TOKEN_2022, &bare_mint.pubkey(), &token_accounts[0], &authority.pubkey(), &[], 10 * ONE_TOKEN).unwrap();
    fixture.ledger.expect_ok(mint_to, &[&authority]).await;
    let transfer = token_instruction::transfer_checked(
        &TOKEN_2022,
        &token_accounts[0],
        &bare_mint.pubkey(),
        &token_accounts[1],
        &alice.pubkey(),
        &[],
        ONE_TOKEN,
        DECIMALS,
    )
    .unwrap();
    let bare = fixture.ledger.expect_ok_all(&[transfer], &[&alice]).await;

    println!(
        "transfer through the hook: {} bytes, {} accounts, {} Token-2022 compute units (the hook itself runs natively, unmetered)",
        hooked.size_bytes, hooked.account_count, hooked.units_consumed
    );
    println!("bare Token-2022 transfer:  {} bytes, {} accounts, {} compute units", bare.size_bytes, bare.account_count, bare.units_consumed);
    assert!(hooked.size_bytes > bare.size_bytes, "the hook's five extra accounts cost bytes");
    assert!(hooked.units_consumed > bare.units_consumed, "Token-2022 does more work for a hooked, pausable mint");
    assert!(hooked.size_bytes <= PACKET_DATA_SIZE);
    assert_eq!(fixture.ledger.balance(&bob.pubkey(), &mint).await.unwrap(), ONE_TOKEN);
}
