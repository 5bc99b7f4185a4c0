//! update_metadata: the token's name, symbol and uri in Token-2022 metadata.
use crate::{event, harness::*};
use solana_signer::Signer;
use usd1_client::{instructions, UpdateMetadataParams};

#[tokio::test]
async fn admin_updates_metadata_and_pays_for_a_longer_uri() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let long_uri = format!("https://example.com/{}", "a".repeat(150));
    let params = UpdateMetadataParams { name: Some("USD One".into()), symbol: None, uri: Some(long_uri.clone()) };
    let admin_before = fixture.ledger.account(&fixture.admin.pubkey()).await.unwrap().unwrap().lamports;
    let events = fixture.ledger.expect_ok(instructions::update_metadata(&fixture.admin.pubkey(), &mint, params), &[&fixture.admin]).await;
    let updated = event!(events, MetadataUpdated);
    assert_eq!((updated.seq, updated.name.as_str(), updated.symbol.as_str(), updated.uri.as_str()), (2, "USD One", "USD1", long_uri.as_str()));

    let info = fixture.ledger.mint_info(&mint).await.unwrap();
    assert_eq!((info.name.as_str(), info.symbol.as_str(), info.uri.as_str()), ("USD One", "USD1", long_uri.as_str()));
    // The mint stays rent-exempt at its new size, topped up by the admin.
    let mint_account = fixture.ledger.account(&mint).await.unwrap().unwrap();
    let minimum = fixture.ledger.rent_exempt_minimum(mint_account.data.len()).await.unwrap();
    assert!(mint_account.lamports >= minimum);
    let admin_after = fixture.ledger.account(&fixture.admin.pubkey()).await.unwrap().unwrap().lamports;
    assert!(admin_after < admin_before, "the admin paid the extra rent");
}

#[tokio::test]
async fn nobody_but_the_admin_updates_metadata() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    for signer in fixture.everyone_except(&[&fixture.admin]) {
        let params = UpdateMetadataParams { symbol: Some("EVIL".into()), ..Default::default() };
        fixture.ledger.expect_error(instructions::update_metadata(&signer.pubkey(), &mint, params), &[&signer], "Unauthorized").await;
    }
    assert_eq!(fixture.ledger.mint_info(&mint).await.unwrap().symbol, "USD1");
}

#[tokio::test]
async fn bad_metadata_is_refused() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let admin = fixture.admin.pubkey();
    let cases = [
        (UpdateMetadataParams::default(), "NothingToUpdate"),
        (UpdateMetadataParams { name: Some(String::new()), ..Default::default() }, "InvalidMetadata"),
        (UpdateMetadataParams { name: Some("n".repeat(33)), ..Default::default() }, "InvalidMetadata"),
        (UpdateMetadataParams { symbol: Some("S".repeat(11)), ..Default::default() }, "InvalidMetadata"),
        (UpdateMetadataParams { uri: Some("u".repeat(201)), ..Default::default() }, "InvalidMetadata"),
    ];
    for (params, name) in cases {
        fixture.ledger.expect_error(instructions::update_metadata(&admin, &mint, params), &[&fixture.admin], name).await;
    }
}
