use crate::{event, harness::*};
use solana_signer::Signer;
use solana_pubkey::Pubkey;
use usd1_client::{instructions, pda, InitializeParams};

#[tokio::test]
async fn initialize_sets_up_mint_config_escrow_and_hook() {
    let mut fixture = Fixture::new().await;
    let mint = fixture.mint_key();
    let config_address = pda::config_address(&mint);

    let initialized = event!(fixture.initialized, Initialized);
    assert_eq!(initialized.seq, 1);
    assert_eq!(initialized.mint, mint);
    assert_eq!(initialized.admin, fixture.admin.pubkey());
    assert_eq!(initialized.threshold, 2);
    assert_eq!(initialized.council, fixture.keys().council);
    assert_eq!(initialized.pauser, fixture.pauser.pubkey());

    let config = fixture.config().await;
    assert_eq!(config.admin, fixture.admin.pubkey());
    assert_eq!(config.mint, mint);
    assert_eq!(config.decimals, DECIMALS);
    assert_eq!(config.council, fixture.keys().council);
    assert_eq!(config.council_threshold, 2);
    assert_eq!(config.council_epoch, 0);
    assert_eq!(config.event_seq, 1);
    assert_eq!(config.pending_admin, None);
    assert!(!config.mint_paused && !config.redeem_paused && !config.transfers_paused);
    assert_eq!((config.total_minted, config.total_burned, config.escrowed), (0, 0, 0));

    // Every authority of the mint is the Config PDA, read back from chain state.
    let mint_info = fixture.ledger.mint_info(&mint).await.unwrap();
    assert_eq!(mint_info.decimals, DECIMALS);
    assert_eq!(mint_info.supply, 0);
    assert_eq!(mint_info.mint_authority, Some(config_address));
    assert_eq!(mint_info.freeze_authority, Some(config_address));
    assert_eq!(mint_info.pause_authority, Some(config_address));
    assert!(!mint_info.paused);
    assert_eq!(mint_info.transfer_hook_authority, Some(config_address));
    assert_eq!(mint_info.transfer_hook_program, Some(usd1_client::PROGRAM_ID));
    assert_eq!(mint_info.metadata_pointer_authority, Some(config_address));
    assert_eq!(mint_info.metadata_address, Some(mint));
    assert_eq!(mint_info.metadata_update_authority, Some(config_address));
    assert_eq!((mint_info.name.as_str(), mint_info.symbol.as_str()), ("USD1", "USD1"));
    assert_eq!(mint_info.uri, "https://example.com/usd1.json");
    // v2, final: the permanent delegate (seizure) is the Config; new accounts start initialized.
    assert_eq!(mint_info.permanent_delegate, Some(config_address));
    assert_eq!(mint_info.default_account_frozen, Some(false));
    let raw = fixture.ledger.account(&mint).await.unwrap().unwrap();
    let state = spl_token_2022_interface::extension::StateWithExtensions::<spl_token_2022_interface::state::Mint>::unpack(&raw.data).unwrap();
    use spl_token_2022_interface::extension::{BaseStateWithExtensions, ExtensionType};
    let mut extensions = state.get_extension_types().unwrap();
    extensions.sort_by_key(|extension| *extension as u16);
    let mut expected = vec![
        ExtensionType::MetadataPointer,
        ExtensionType::TokenMetadata,
        ExtensionType::Pausable,
        ExtensionType::TransferHook,
        ExtensionType::PermanentDelegate,
        ExtensionType::DefaultAccountState,
    ];
    expected.sort_by_key(|extension| *extension as u16);
    assert_eq!(extensions, expected);

    // The Escrow is a token account of this mint owned by Config, empty.
    let escrow = fixture.ledger.token_account(&pda::escrow_address(&config_address)).await.unwrap().expect("escrow exists");
    assert_eq!((escrow.mint, escrow.owner, escrow.amount), (mint, config_address, 0));

    // The hook's account list exists, owned by the program: Config and the DenylistRegistry,
    // both by fixed address (no derivation on a transfer). The registry starts empty.
    let list = fixture.ledger.account(&pda::extra_account_metas_address(&mint)).await.unwrap().expect("list exists");
    assert_eq!(list.owner, usd1_client::PROGRAM_ID);
    let registry_address = pda::denylist_registry_address(&config_address);
    let metas = usd1::instructions::hook_extra_account_metas(&config_address, &registry_address).unwrap();
    let mut expected_list = vec![0u8; list.data.len()];
    spl_tlv_account_resolution::state::ExtraAccountMetaList::init::<spl_transfer_hook_interface::instruction::ExecuteInstruction>(
        &mut expected_list,
        &metas,
    )
    .unwrap();
    assert_eq!(list.data, expected_list);
    assert_eq!(metas[0].address_config, config_address.to_bytes(), "Config by fixed address");
    assert_eq!(metas[1].address_config, registry_address.to_bytes(), "DenylistRegistry by fixed address");
    let registry = fixture.ledger.account(&registry_address).await.unwrap().expect("registry exists");
    let registry = usd1_client::accounts::decode_denylist_registry(&registry.data).unwrap();
    assert_eq!((registry.config, registry.wallets.len()), (config_address, 0));
}

async fn expect_initialize_error(adjust: impl FnOnce(&mut InitializeParams, Pubkey), name: &str) {
    let mut fixture = Fixture::uninitialized().await;
    let mut params = default_params(&fixture.keys());
    adjust(&mut params, fixture.admin.pubkey());
    let instruction = instructions::initialize(&fixture.admin.pubkey(), &fixture.mint.pubkey(), params);
    fixture.ledger.expect_error(instruction, &[&fixture.admin, &fixture.mint], name).await;
}

#[tokio::test]
async fn initialize_rejects_bad_councils() {
    expect_initialize_error(|params, _| params.threshold = 0, "InvalidThreshold").await;
    expect_initialize_error(|params, _| params.threshold = 4, "InvalidThreshold").await;
    expect_initialize_error(|params, _| params.council.clear(), "InvalidThreshold").await;
    expect_initialize_error(|params, _| params.council[2] = params.council[0], "InvalidThreshold").await;
    expect_initialize_error(|params, _| params.council[1] = Pubkey::default(), "InvalidThreshold").await;
    expect_initialize_error(
        |params, _| {
            params.council = (0..11).map(|_| Pubkey::new_unique()).collect();
            params.threshold = 6;
        },
        "InvalidThreshold",
    )
    .await;
}

#[tokio::test]
async fn initialize_rejects_role_conflicts() {
    // No single-key role may be held by the admin (the admin may not pause, burn, ...) or be unset.
    expect_initialize_error(|params, admin| params.pauser = admin, "RoleConflict").await;
    expect_initialize_error(|params, admin| params.master_minter = admin, "RoleConflict").await;
    expect_initialize_error(|params, admin| params.burner = admin, "RoleConflict").await;
    expect_initialize_error(|params, admin| params.denylister = admin, "RoleConflict").await;
    expect_initialize_error(|params, admin| params.attester = admin, "RoleConflict").await;
    expect_initialize_error(|params, _| params.attester = Pubkey::default(), "RoleConflict").await;
}

#[tokio::test]
async fn initialize_rejects_bad_values() {
    expect_initialize_error(|params, _| params.decimals = 10, "InvalidConfig").await;
    expect_initialize_error(|params, _| params.supply_cap = Some(0), "InvalidConfig").await;
    expect_initialize_error(|params, _| params.proposal_ttl_secs = 0, "InvalidConfig").await;
    expect_initialize_error(
        |params, _| {
            params.timelock_secs = 3600;
            params.proposal_ttl_secs = 3600;
        },
        "InvalidConfig",
    )
    .await;
    expect_initialize_error(|params, _| params.timelock_secs = 31 * 24 * 3600, "InvalidConfig").await;
    expect_initialize_error(|params, _| params.attestation_max_age_secs = 0, "InvalidConfig").await;
    expect_initialize_error(|params, _| params.name = String::new(), "InvalidMetadata").await;
    expect_initialize_error(|params, _| params.symbol = "TOOLONGSYMBOL".into(), "InvalidMetadata").await;
    expect_initialize_error(|params, _| params.uri = "u".repeat(201), "InvalidMetadata").await;
}

#[tokio::test]
async fn initialize_twice_for_one_mint_is_refused() {
    let mut fixture = Fixture::new().await;
    let params = default_params(&fixture.keys());
    let instruction = instructions::initialize(&fixture.admin.pubkey(), &fixture.mint.pubkey(), params);
    fixture.ledger.expect_error(instruction, &[&fixture.admin, &fixture.mint], "AlreadyInitialized").await;
    assert_eq!(fixture.config().await.event_seq, 1, "nothing changed");
}

#[tokio::test]
async fn a_custom_decimals_and_cap_deployment() {
    let mut fixture = Fixture::with_params(|params| {
        params.decimals = 2;
        params.supply_cap = Some(1_000_000);
        params.council.truncate(1);
        params.threshold = 1;
    })
    .await;
    let config = fixture.config().await;
    assert_eq!((config.decimals, config.supply_cap, config.council.len()), (2, Some(1_000_000), 1));
    let mint = fixture.mint_key();
    assert_eq!(fixture.ledger.mint_info(&mint).await.unwrap().decimals, 2);
}
