use crate::{
    constants::*,
    error::Usd1Error,
    events::Initialized,
    instructions::transfer_hook_execute::{extra_account_metas_len, hook_extra_account_metas},
    state::*,
    utils::{create_account_topped_up, create_pda_account, write_account},
};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::{
        initialize_account3, initialize_mint2,
        spl_token_2022::{
            extension::ExtensionType,
            state::{Account as TokenAccountState, Mint as MintState},
        },
        InitializeAccount3, InitializeMint2, Token2022,
    },
    token_interface::{
        default_account_state_initialize, metadata_pointer_initialize, pausable_initialize,
        permanent_delegate_initialize, token_metadata_initialize, transfer_hook_initialize,
        DefaultAccountStateInitialize, MetadataPointerInitialize, PausableInitialize,
        PermanentDelegateInitialize, TokenMetadataInitialize, TransferHookInitialize,
    },
};
use anchor_spl::token_2022::spl_token_2022::state::AccountState;
use spl_pod::optional_keys::OptionalNonZeroPubkey;
use spl_tlv_account_resolution::state::ExtraAccountMetaList;
use spl_token_metadata_interface::state::TokenMetadata;
use spl_transfer_hook_interface::instruction::ExecuteInstruction;

/// The extensions every USD1 mint carries (SPEC section 2, final): they cannot be added
/// after initialization. TokenMetadata lives in the mint too, appended by its own instruction.
pub const MINT_EXTENSIONS: [ExtensionType; 5] = [
    ExtensionType::MetadataPointer,
    ExtensionType::Pausable,
    ExtensionType::TransferHook,
    ExtensionType::PermanentDelegate,
    ExtensionType::DefaultAccountState,
];

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitializeParams {
    /// Decimals of the mint (6 for dollars in micro-units).
    pub decimals: u8,
    /// Token name (TokenMetadata).
    pub name: String,
    /// Token symbol (TokenMetadata).
    pub symbol: String,
    /// Metadata uri (TokenMetadata).
    pub uri: String,
    /// The council's keys (1..=10, distinct, none the admin's).
    pub council: Vec<Pubkey>,
    /// Approvals a proposal needs (1..=council size).
    pub threshold: u8,
    /// The master minter role key.
    pub master_minter: Pubkey,
    /// The pauser role key.
    pub pauser: Pubkey,
    /// The denylister role key.
    pub denylister: Pubkey,
    /// The burner role key.
    pub burner: Pubkey,
    /// The attester role key.
    pub attester: Pubkey,
    /// Most base units in circulation, or null for no cap.
    pub supply_cap: Option<u64>,
    /// Seconds between a proposal reaching its threshold and its execution.
    pub timelock_secs: u64,
    /// Seconds a proposal lives before it expires.
    pub proposal_ttl_secs: u64,
    /// Whether `mint` requires a fresh reserve attestation covering the new supply.
    pub reserve_gate: bool,
    /// Oldest reserve attestation the reserve gate accepts, in seconds.
    pub attestation_max_age_secs: u64,
    /// v3: the onboarder role key; null gives the role to the denylister's key.
    pub onboarder: Option<Pubkey>,
    /// v3: whether `mint` reaches only onboarded wallets from the start.
    pub onboarding_required: bool,
}

impl InitializeParams {
    /// The onboarder: the one given, or the denylister's key.
    pub fn onboarder(&self) -> Pubkey {
        self.onboarder.unwrap_or(self.denylister)
    }

    fn roles(&self) -> [Pubkey; 6] {
        [self.master_minter, self.pauser, self.denylister, self.burner, self.attester, self.onboarder()]
    }
}

#[event_cpi]
#[derive(Accounts)]
pub struct Initialize<'info> {
    /// Pays for every account and becomes the admin.
    #[account(mut)]
    pub admin: Signer<'info>,

    /// A fresh keypair; the Token-2022 mint is created at this address.
    #[account(mut)]
    pub mint: Signer<'info>,

    /// The mint's Config `["config", mint]`, created here (a second `initialize` is `AlreadyInitialized`).
    /// CHECK: created by the handler, so that a second `initialize` is a named refusal; the seeds pin its address.
    #[account(mut, seeds = [CONFIG_SEED, mint.key().as_ref()], bump)]
    pub config: UncheckedAccount<'info>,

    /// The Escrow token account `["escrow", config]`, created here.
    /// CHECK: created here as a Token-2022 account owned by Config; the seeds pin its address.
    #[account(mut, seeds = [ESCROW_SEED, config.key().as_ref()], bump)]
    pub escrow: UncheckedAccount<'info>,

    /// The DenylistRegistry `["denylist-registry", config]` the transfer hook reads.
    /// CHECK: the sorted list of denylisted wallets the hook reads, created (empty) here; the seeds pin its address.
    #[account(mut, seeds = [DENYLIST_REGISTRY_SEED, config.key().as_ref()], bump)]
    pub denylist_registry: UncheckedAccount<'info>,

    /// The transfer hook's ExtraAccountMetaList `["extra-account-metas", mint]`.
    /// CHECK: the transfer-hook account list, created and written here; the seeds pin its address.
    #[account(mut, seeds = [EXTRA_ACCOUNT_METAS_SEED, mint.key().as_ref()], bump)]
    pub extra_account_meta_list: UncheckedAccount<'info>,

    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
    /// The system program (creates accounts).
    pub system_program: Program<'info, System>,
}

impl Initialize<'_> {
    pub fn validate(&self, params: &InitializeParams) -> Result<()> {
        require!(
            self.mint.data_is_empty()
            && self.config.data_is_empty()
            && self.extra_account_meta_list.data_is_empty()
            && self.denylist_registry.data_is_empty(),
            Usd1Error::AlreadyInitialized
        );
        validate_council(&params.council, params.threshold)?;
        let admin = self.admin.key();
        // Role hygiene: the admin never sits on the council.
        require!(!params.council.contains(&admin), Usd1Error::RoleConflict);
        for role in params.roles() {
            require!(role != Pubkey::default() && role != admin, Usd1Error::RoleConflict);
        }
        require!(params.decimals <= MAX_DECIMALS, Usd1Error::InvalidConfig);
        require!(params.supply_cap != Some(0), Usd1Error::InvalidConfig);
        validate_timing(params.timelock_secs, params.proposal_ttl_secs, params.attestation_max_age_secs)?;
        validate_metadata(&params.name, &params.symbol, &params.uri)
    }
}

/// Anyone (the signer becomes admin): creates the mint with all extensions, Config, Escrow and the hook's account list.
pub fn handler(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
    let config_key = ctx.accounts.config.key();
    let mint_key = ctx.accounts.mint.key();
    let config_bump = ctx.bumps.config;
    let escrow_bump = ctx.bumps.escrow;
    let config_seeds: &[&[u8]] = &[CONFIG_SEED, mint_key.as_ref(), &[config_bump]];
    let accounts = InitializeInfos {
        admin: ctx.accounts.admin.to_account_info(),
        mint: ctx.accounts.mint.to_account_info(),
        config: ctx.accounts.config.to_account_info(),
        token_program: ctx.accounts.token_program.to_account_info(),
        system_program: ctx.accounts.system_program.to_account_info(),
    };
    create_pda_account(&accounts.admin, &accounts.config, &accounts.system_program, &crate::ID, Config::SPACE, config_seeds)?;

    // 1. The mint account, 2. its extensions, then the mint itself and its metadata
    //    (each CPI sequence in its own small, non-inlined frame).
    create_mint_account(&accounts, &params)?;
    initialize_mint_extensions(&accounts.token_program, &accounts.mint, &config_key)?;
    initialize_mint_itself(&accounts.token_program, &accounts.mint, &config_key, params.decimals)?;
    initialize_metadata(&accounts, config_seeds, &params)?;

    // 3. The Escrow: a token account of this mint at a PDA, owned by Config.
    let escrow_seeds: &[&[u8]] = &[ESCROW_SEED, config_key.as_ref(), &[escrow_bump]];
    create_escrow(&accounts, &ctx.accounts.escrow.to_account_info(), escrow_seeds)?;

    // 4. The denylist registry, then the accounts the transfer hook resolves on every transfer.
    let registry_bump = ctx.bumps.denylist_registry;
    let registry_info = ctx.accounts.denylist_registry.to_account_info();
    let registry_seeds: &[&[u8]] = &[DENYLIST_REGISTRY_SEED, config_key.as_ref(), &[registry_bump]];
    create_pda_account(&accounts.admin, &registry_info, &accounts.system_program, &crate::ID, DenylistRegistry::space(0), registry_seeds)?;
    write_account(&registry_info, &DenylistRegistry { bump: registry_bump, config: config_key, wallets: vec![] })?;
    let list_seeds: &[&[u8]] = &[EXTRA_ACCOUNT_METAS_SEED, mint_key.as_ref(), &[ctx.bumps.extra_account_meta_list]];
    create_hook_account_list(&accounts, &ctx.accounts.extra_account_meta_list.to_account_info(), &registry_info.key(), list_seeds)?;

    // 5. Config.
    let mut config = Box::new(Config {
        bump: config_bump,
        escrow_bump,
        denylist_registry_bump: registry_bump,
        mint: mint_key,
        decimals: params.decimals,
        admin: ctx.accounts.admin.key(),
        pending_admin: None,
        master_minter: params.master_minter,
        pauser: params.pauser,
        denylister: params.denylister,
        burner: params.burner,
        attester: params.attester,
        council: params.council.clone(),
        council_threshold: params.threshold,
        council_epoch: 0,
        mint_paused: false,
        redeem_paused: false,
        transfers_paused: false,
        supply_cap: params.supply_cap,
        timelock_secs: params.timelock_secs,
        proposal_ttl_secs: params.proposal_ttl_secs,
        reserve_gate: params.reserve_gate,
        attestation_max_age_secs: params.attestation_max_age_secs,
        attested_reserves: 0,
        attestation_report_hash: [0; 32],
        attestation_as_of: 0,
        total_minted: 0,
        total_burned: 0,
        escrowed: 0,
        pending_redemptions: 0,
        next_proposal_id: 0,
        active_minters: 0,
        event_seq: 0,
        onboarder: params.onboarder(),
        onboarding_required: params.onboarding_required,
        reserved: [0; 30],
    });
    let seq = config.next_event_seq()?;
    let onboarder = params.onboarder();
    write_account(&ctx.accounts.config.to_account_info(), config.as_ref())?;
    let admin = config.admin;
    emit_cpi!(Initialized {
        mint: mint_key,
        seq,
        admin,
        decimals: params.decimals,
        council: params.council,
        threshold: params.threshold,
        master_minter: params.master_minter,
        pauser: params.pauser,
        denylister: params.denylister,
        burner: params.burner,
        attester: params.attester,
        onboarder,
        onboarding_required: params.onboarding_required,
    });
    Ok(())
}

/// MetadataPointer, Pausable, TransferHook (this program), PermanentDelegate and
/// DefaultAccountState (`Initialized`); every authority is the Config.
#[inline(never)]
fn initialize_mint_extensions<'info>(
    token_program: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    config: &Pubkey,
) -> Result<()> {
    let token_program_id = token_program.key();
    metadata_pointer_initialize(
        CpiContext::new(
            token_program_id,
            MetadataPointerInitialize { token_program_id: token_program.clone(), mint: mint.clone() },
        ),
        Some(*config),
        Some(mint.key()),
    )?;
    pausable_initialize(
        CpiContext::new(
            token_program_id,
            PausableInitialize { token_program_id: token_program.clone(), mint: mint.clone() },
        ),
        *config,
    )?;
    transfer_hook_initialize(
        CpiContext::new(
            token_program_id,
            TransferHookInitialize { token_program_id: token_program.clone(), mint: mint.clone() },
        ),
        Some(*config),
        Some(crate::ID),
    )?;
    permanent_delegate_initialize(
        CpiContext::new(
            token_program_id,
            PermanentDelegateInitialize { token_program_id: token_program.clone(), mint: mint.clone() },
        ),
        config,
    )?;
    default_account_state_initialize(
        CpiContext::new(
            token_program_id,
            DefaultAccountStateInitialize { token_program_id: token_program.clone(), mint: mint.clone() },
        ),
        &AccountState::Initialized,
    )
}

/// `InitializeMint2` with the Config as mint and freeze authority.
#[inline(never)]
fn initialize_mint_itself<'info>(
    token_program: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    config: &Pubkey,
    decimals: u8,
) -> Result<()> {
    initialize_mint2(
        CpiContext::new(token_program.key(), InitializeMint2 { mint: mint.clone() }),
        decimals,
        config,
        Some(config),
    )
}

/// The accounts `initialize`'s helpers share.
struct InitializeInfos<'info> {
    admin: AccountInfo<'info>,
    mint: AccountInfo<'info>,
    config: AccountInfo<'info>,
    token_program: AccountInfo<'info>,
    system_program: AccountInfo<'info>,
}

/// The mint account: space for the fixed extensions, lamports also for the metadata
/// that Token-2022 appends when the metadata is initialized.
#[inline(never)]
fn create_mint_account(accounts: &InitializeInfos, params: &InitializeParams) -> Result<()> {
    let metadata = Box::new(TokenMetadata {
        update_authority: OptionalNonZeroPubkey::try_from(Some(accounts.config.key()))?,
        mint: accounts.mint.key(),
        name: params.name.clone(),
        symbol: params.symbol.clone(),
        uri: params.uri.clone(),
        additional_metadata: vec![],
    });
    let mint_space = ExtensionType::try_calculate_account_len::<MintState>(&MINT_EXTENSIONS)?;
    let mint_lamports = Rent::get()?
        .minimum_balance(mint_space.checked_add(metadata.tlv_size_of()?).ok_or(Usd1Error::MathOverflow)?);
    // Through the top-up path: lamports sent to the mint's address beforehand (anyone can)
    // would make a plain CreateAccount fail. The mint keypair signs the transaction itself.
    create_account_topped_up(
        &accounts.admin,
        &accounts.mint,
        &accounts.system_program,
        &accounts.token_program.key(),
        mint_space,
        mint_lamports,
        &[],
    )
}

/// TokenMetadata in the mint, update authority the Config.
#[inline(never)]
fn initialize_metadata(accounts: &InitializeInfos, config_seeds: &[&[u8]], params: &InitializeParams) -> Result<()> {
    token_metadata_initialize(
        CpiContext::new_with_signer(
            accounts.token_program.key(),
            TokenMetadataInitialize {
                program_id: accounts.token_program.clone(),
                metadata: accounts.mint.clone(),
                update_authority: accounts.config.clone(),
                mint_authority: accounts.config.clone(),
                mint: accounts.mint.clone(),
            },
            &[config_seeds],
        ),
        params.name.clone(),
        params.symbol.clone(),
        params.uri.clone(),
    )
}

/// The Escrow token account. Created with `create_pda_account`, which tops up,
/// allocates and assigns when an attacker pre-funded the Escrow's address.
#[inline(never)]
fn create_escrow<'info>(accounts: &InitializeInfos<'info>, escrow: &AccountInfo<'info>, escrow_seeds: &[&[u8]]) -> Result<()> {
    let account_extensions = ExtensionType::get_required_init_account_extensions(&MINT_EXTENSIONS);
    let escrow_space = ExtensionType::try_calculate_account_len::<TokenAccountState>(&account_extensions)?;
    create_pda_account(
        &accounts.admin,
        escrow,
        &accounts.system_program,
        &accounts.token_program.key(),
        escrow_space,
        escrow_seeds,
    )?;
    initialize_account3(CpiContext::new(
        accounts.token_program.key(),
        InitializeAccount3 { account: escrow.clone(), mint: accounts.mint.clone(), authority: accounts.config.clone() },
    ))
}

/// The ExtraAccountMetaList Token-2022 reads on every transfer of this mint.
#[inline(never)]
fn create_hook_account_list<'info>(
    accounts: &InitializeInfos<'info>,
    list: &AccountInfo<'info>,
    registry: &Pubkey,
    list_seeds: &[&[u8]],
) -> Result<()> {
    create_pda_account(&accounts.admin, list, &accounts.system_program, &crate::ID, extra_account_metas_len(), list_seeds)?;
    ExtraAccountMetaList::init::<ExecuteInstruction>(
        &mut list.try_borrow_mut_data()?,
        &hook_extra_account_metas(&accounts.config.key(), registry)?,
    )?;
    Ok(())
}
