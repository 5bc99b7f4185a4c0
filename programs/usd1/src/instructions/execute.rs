use crate::{
    constants::*,
    error::Usd1Error,
    events::{AdminTransferred, ConfigUpdated, ProposalExecuted, RoleUpdated, Seized, Undenylisted},
    instructions::approve::ProposalIdParams,
    state::{Config, DenylistEntry, DenylistRegistry, Minter, Proposal, ProposalKind, Role, SeizureDestination},
    utils::{
        count_open_seizure, denylist_entry_address, is_denylisted, lift_denylisting, load_optional, minter_address, now, token_account_of_mint,
        wallet_token_accounts, ConfigTokenActions,
    },
};
use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::{mint_to, MintTo, Token2022},
    token_interface::Mint,
};

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: ProposalIdParams)]
pub struct Execute<'info> {
    /// Anyone may send an approved, timelocked proposal.
    pub executor: Signer<'info>,
    /// The Config's mint (its key is the Config's seed); written by a seizure.
    #[account(mut, address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The mint's Config.
    #[account(mut, seeds = [CONFIG_SEED, mint.key().as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The proposal; closed here, its rent back to the proposer.
    #[account(
        mut,
        seeds = [PROPOSAL_SEED, config.key().as_ref(), &params.proposal.to_le_bytes()],
        bump = proposal.bump,
        has_one = proposer @ Usd1Error::Unauthorized,
        close = proposer
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    /// The proposal's proposer (its rent goes back to it).
    /// CHECK: the proposal's proposer (has_one on the proposal), who gets its rent back.
    #[account(mut)]
    pub proposer: UncheckedAccount<'info>,
    /// For `SetAllowance` and `SetRateLimit`: the minter changed.
    #[account(mut)]
    pub minter_account: Option<Box<Account<'info, Minter>>>,
    /// The owner's DenylistEntry PDA (exists only while denylisted); its count of open seizures drops by one.
    /// CHECK: for `Seize`: the owner's DenylistEntry PDA (address checked in the handler).
    #[account(mut)]
    pub owner_denylist_entry: Option<UncheckedAccount<'info>>,
    /// For a seizure to a token account: that account.
    /// CHECK: for `Seize` to a token account: that account (checked in the handler).
    #[account(mut)]
    pub destination_token: Option<UncheckedAccount<'info>>,
    /// The destination's DenylistEntry PDA (exists only while denylisted).
    /// CHECK: for `Seize` to a token account: its owner's DenylistEntry PDA (address checked in the handler).
    pub destination_denylist_entry: Option<UncheckedAccount<'info>>,
    /// For `Seize`: Token-2022.
    pub token_program: Option<Program<'info, Token2022>>,
    /// The DenylistRegistry `["denylist-registry", config]`: approvals count only from members not listed in it.
    /// CHECK: the config's DenylistRegistry (the seeds, with the bump stored in Config, pin it); a council change removes late-listed newcomers.
    #[account(mut, seeds = [DENYLIST_REGISTRY_SEED, config.key().as_ref()], bump = config.denylist_registry_bump)]
    pub denylist_registry: UncheckedAccount<'info>,
    // Remaining accounts: for `Seize`, the owner's token accounts of this mint (writable),
    // debited in the order given; for `SetRole` of the admin, the key's Minter PDA; for
    // `SetCouncil`, each new member's DenylistEntry PDA, in order (writable).
}

impl Execute<'_> {
    /// Terminal conditions first (stale, expired), then those that time cures.
    pub fn validate(&self) -> Result<()> {
        let (config, proposal) = (&self.config, &self.proposal);
        let now = now()?;
        require!(!proposal.is_stale(config), Usd1Error::ProposalStale);
        require!(!proposal.is_expired(now), Usd1Error::ProposalExpired);
        require!(!proposal.is_rejected(config), Usd1Error::ProposalRejected);
        // v3: an approval counts only while its member is not denylisted.
        let registry = self.denylist_registry.try_borrow_data()?;
        let mut counted = 0usize;
        for approver in &proposal.approvals {
            if !DenylistRegistry::contains(&registry, approver)? {
                counted += 1;
            }
        }
        require!(counted >= usize::from(config.council_threshold), Usd1Error::ThresholdNotMet);
        let executable_at = proposal.executable_at().ok_or(Usd1Error::ThresholdNotMet)?;
        require!(now >= executable_at, Usd1Error::TimelockActive);
        Ok(())
    }
}

/// Anyone: applies a proposal with enough current-council approvals after its timelock, then closes it.
pub fn handler<'info>(ctx: Context<'info, Execute<'info>>, params: ProposalIdParams) -> Result<()> {
    let kind = ctx.accounts.proposal.kind.clone();
    let mut seizure = None;
    let mut config_updated = false;
    let mut role_change = None;
    let mut unlisted: Vec<Pubkey> = Vec::new();
    if let Some(minter) = ctx.accounts.proposal.allowance_minter() {
        let config_key = ctx.accounts.config.key();
        let generation = ctx.accounts.proposal.minter_generation;
        let minter_account = ctx.accounts.minter_account.as_ref().ok_or(Usd1Error::ProposalMinterMismatch)?;
        require!(
            minter_account.minter == minter && minter_account.config == config_key,
            Usd1Error::ProposalMinterMismatch
        );
        // Removed (and perhaps configured again) since the proposal: the council approved
        // a change for a minter that no longer exists in that form.
        require!(minter_account.active && minter_account.generation == generation, Usd1Error::ProposalStale);
    }
    match &kind {
        ProposalKind::SetAllowance { amount, .. } => {
            let minter_account = ctx.accounts.minter_account.as_mut().ok_or(Usd1Error::ProposalMinterMismatch)?;
            minter_account.set_allowance(*amount)?;
        }
        ProposalKind::SetRateLimit { rate_limit, .. } => {
            let minter_account = ctx.accounts.minter_account.as_mut().ok_or(Usd1Error::ProposalMinterMismatch)?;
            minter_account.change_rate_limit(*rate_limit, now()?);
        }
        ProposalKind::UpdateConfig { change } => {
            let config = &mut ctx.accounts.config;
            change.validate(config)?;
            change.apply(config);
            config_updated = true;
        }
        ProposalKind::SetCouncil { members, threshold } => {
            // Whether a member is denylisted was checked at `propose` (SPEC 3, v3); a listing
            // made since, while the council's decision waited out its timelock, is lifted here.
            unlisted = unlist_late_listed_members(&ctx.accounts, ctx.remaining_accounts, members)?;
            let config = &mut ctx.accounts.config;
            // Role hygiene at execution: the admin (or a pending admin) never sits on the council.
            require!(
                !members.contains(&config.admin) && !config.pending_admin.is_some_and(|pending| members.contains(&pending)),
                Usd1Error::RoleConflict
            );
            config.council = members.clone();
            config.council_threshold = *threshold;
            config.council_epoch = config.council_epoch.checked_add(1).ok_or(Usd1Error::MathOverflow)?;
        }
        ProposalKind::SetRole { role, key } => {
            role_change = Some(set_role(&mut ctx.accounts.config, ctx.remaining_accounts, *role, *key)?);
        }
        ProposalKind::Seize { owner, amount, destination, order_hash } => {
            let (from_accounts, supply) = seize(&ctx.accounts, ctx.remaining_accounts, owner, *amount, destination)?;
            count_open_seizure(ctx.accounts.owner_denylist_entry.as_ref().ok_or(Usd1Error::MissingAccount)?, false)?;
            if *destination == SeizureDestination::Burn {
                let config = &mut ctx.accounts.config;
                config.total_burned = config.total_burned.checked_add(*amount).ok_or(Usd1Error::MathOverflow)?;
            }
            seizure = Some(Seized {
                mint: ctx.accounts.config.mint,
                seq: 0,
                proposal: params.proposal,
                order_hash: *order_hash,
                owner: *owner,
                from_accounts,
                destination: *destination,
                amount: *amount,
                supply,
            });
        }
    }

    let config = &mut ctx.accounts.config;
    let seq = config.next_event_seq()?;
    emit_cpi!(ProposalExecuted {
        mint: config.mint,
        seq,
        id: params.proposal,
        executor: ctx.accounts.executor.key(),
        kind,
        council_epoch: config.council_epoch,
    });
    if let Some(mut seized) = seizure {
        seized.seq = ctx.accounts.config.next_event_seq()?;
        emit_cpi!(seized);
    }
    if let Some((role, previous, new, vacated)) = role_change {
        let config = &mut ctx.accounts.config;
        let (mint, seq) = (config.mint, config.next_event_seq()?);
        if role == Role::Admin {
            emit_cpi!(AdminTransferred { mint, seq, previous_admin: previous, new_admin: new });
        } else {
            emit_cpi!(RoleUpdated { mint, seq, role, previous, new });
        }
        for vacated_role in vacated {
            let seq = ctx.accounts.config.next_event_seq()?;
            emit_cpi!(RoleUpdated { mint, seq, role: vacated_role, previous: new, new: Pubkey::default() });
        }
    }
    for wallet in unlisted {
        let config = &mut ctx.accounts.config;
        let (mint, seq) = (config.mint, config.next_event_seq()?);
        emit_cpi!(Undenylisted { mint, seq, wallet, by: ctx.accounts.executor.key(), thawed_accounts: vec![] });
    }
    if config_updated {
        let config = &mut ctx.accounts.config;
        let seq = config.next_event_seq()?;
        emit_cpi!(ConfigUpdated {
            mint: config.mint,
            seq,
            supply_cap: config.supply_cap,
            timelock_secs: config.timelock_secs,
            proposal_ttl_secs: config.proposal_ttl_secs,
            reserve_gate: config.reserve_gate,
            attestation_max_age_secs: config.attestation_max_age_secs,
            onboarding_required: config.onboarding_required,
        });
    }
    Ok(())
}

/// A lawful-order seizure. The program cannot CPI a hooked transfer of its own mint, and a
/// denylisted owner's accounts are frozen, so for each source account in turn: thaw it (if
/// frozen), burn what is taken as the mint's permanent delegate (the Config), freeze it again.
/// Then, for a destination, mint the same amount to it (MintTo runs no hook): supply and the
/// program's counters are unchanged by a seizure to a destination; a burn seizure adds to
/// `total_burned`. Nothing is half-applied: any refusal reverts the whole instruction.
/// Returns the debited accounts and the supply afterwards.
#[inline(never)]
fn seize<'info>(
    accounts: &Execute<'info>,
    remaining_accounts: &'info [AccountInfo<'info>],
    owner: &Pubkey,
    amount: u64,
    destination: &SeizureDestination,
) -> Result<(Vec<Pubkey>, u64)> {
    let config = &accounts.config;
    let config_key = config.key();
    let mint = &accounts.mint;
    let token_program = accounts.token_program.as_ref().ok_or(Usd1Error::MissingAccount)?.to_account_info();
    let owner_entry = accounts.owner_denylist_entry.as_ref().ok_or(Usd1Error::MissingAccount)?;
    require_keys_eq!(owner_entry.key(), denylist_entry_address(&config_key, owner), Usd1Error::AccountMismatch);
    require!(is_denylisted(owner_entry), Usd1Error::NotDenylisted);

    // The destination, checked before anything moves.
    let destination_info = match destination {
        SeizureDestination::Burn => None,
        SeizureDestination::TokenAccount { address } => {
            let info = accounts.destination_token.as_ref().ok_or(Usd1Error::MissingAccount)?;
            require_keys_eq!(info.key(), *address, Usd1Error::AccountMismatch);
            let view = token_account_of_mint(info, &mint.key())?;
            require_keys_neq!(view.owner, config_key, Usd1Error::InvalidRecipient);
            view.require_can_receive(&config_key)?;
            let entry = accounts.destination_denylist_entry.as_ref().ok_or(Usd1Error::MissingAccount)?;
            require_keys_eq!(entry.key(), denylist_entry_address(&config_key, &view.owner), Usd1Error::AccountMismatch);
            require!(!is_denylisted(entry), Usd1Error::Denylisted);
            Some(info.to_account_info())
        }
    };

    let seeds = config.signer_seeds();
    let signer: &[&[&[u8]]] = &[&seeds];
    let (mint_info, config_info) = (mint.to_account_info(), config.to_account_info());
    let sources = wallet_token_accounts(remaining_accounts, &mint.key(), owner)?;
    let mut actions = ConfigTokenActions::new(&token_program, &mint_info, &config_info, signer)?;
    let mut left = amount;
    let mut from_accounts = Vec::with_capacity(sources.len());
    for (account, view) in &sources {
        if left == 0 {
            break;
        }
        let take = left.min(view.amount);
        if take == 0 {
            continue;
        }
        if view.frozen {
            actions.set_frozen(account, false)?;
        }
        actions.burn(account, take)?;
        actions.set_frozen(account, true)?;
        left -= take;
        from_accounts.push(account.key());
    }
    require!(left == 0, Usd1Error::SeizureExceedsBalance);

    let mut supply = mint.supply.checked_sub(amount).ok_or(Usd1Error::MathOverflow)?;
    if let Some(to) = destination_info {
        mint_to(
            CpiContext::new_with_signer(
                token_program.key(),
                MintTo { mint: mint_info, to, authority: config_info },
                signer,
            ),
            amount,
        )?;
        supply = supply.checked_add(amount).ok_or(Usd1Error::MathOverflow)?;
    }
    Ok((from_accounts, supply))
}

/// Council recovery (SPEC 3, v3): gives `role` to `key`, with the role hygiene the admin's own
/// `set_role` and an admin handover apply. For the admin, `remaining_accounts[0]` is the key's
/// Minter PDA (an active minter may not become admin), and a pending handover is dropped. The
/// council's choice of admin wins over single-key roles the key was given meanwhile (an admin
/// about to be replaced could otherwise give the candidate a role, proposal after proposal):
/// they are vacated (the default key, which nobody signs for) for the new admin to reassign.
/// Returns (role, previous holder, new holder, roles vacated).
#[inline(never)]
fn set_role(config: &mut Account<Config>, remaining_accounts: &[AccountInfo], role: Role, key: Pubkey) -> Result<(Role, Pubkey, Pubkey, Vec<Role>)> {
    let mut vacated = Vec::new();
    if role == Role::Admin {
        let minter_account = remaining_accounts.first().ok_or(Usd1Error::MissingAccount)?;
        let expected = minter_address(&config.key(), &key);
        require_keys_eq!(minter_account.key(), expected, Usd1Error::AccountMismatch);
        let active_minter = load_optional::<Minter>(minter_account)?.is_some_and(|minter| minter.active);
        require!(key != Pubkey::default() && !config.is_council_member(&key) && !active_minter, Usd1Error::RoleConflict);
        for single in Role::SINGLE_KEY {
            if config.role_holder(single) == key {
                config.set_role_holder(single, Pubkey::default());
                vacated.push(single);
            }
        }
        config.pending_admin = None;
    } else {
        require!(key != Pubkey::default() && key != config.admin && config.pending_admin != Some(key), Usd1Error::RoleConflict);
    }
    let previous = config.role_holder(role);
    config.set_role_holder(role, key);
    Ok((role, previous, key, vacated))
}

/// A council change's new members listed after it was proposed (the denylister cannot list a
/// sitting member, but could list the newcomers while the approved change waits out its
/// timelock and so seat a council that cannot act): the council's decision wins, and their
/// listing is lifted: the entry closed (rent to the proposer), the registry entry removed. A
/// member whose entry counts open seizures stays listed. `entries` are the members' DenylistEntry
/// PDAs, in order (writable). Their token accounts stay frozen until the denylister thaws them.
/// Returns the wallets unlisted.
#[inline(never)]
fn unlist_late_listed_members<'info>(accounts: &Execute<'info>, entries: &'info [AccountInfo<'info>], members: &[Pubkey]) -> Result<Vec<Pubkey>> {
    require!(entries.len() >= members.len(), Usd1Error::MissingAccount);
    let config_key = accounts.config.key();
    let registry = accounts.denylist_registry.to_account_info();
    let proposer = accounts.proposer.to_account_info();
    let mut unlisted = Vec::new();
    for (member, entry) in members.iter().zip(entries) {
        require_keys_eq!(entry.key(), denylist_entry_address(&config_key, member), Usd1Error::AccountMismatch);
        let Some(record) = load_optional::<DenylistEntry>(entry)? else { continue };
        if record.open_seizures > 0 {
            continue;
        }
        lift_denylisting(entry, &registry, &proposer, member)?;
        unlisted.push(*member);
    }
    Ok(unlisted)
}
