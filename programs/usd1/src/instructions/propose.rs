use crate::{
    constants::*,
    error::Usd1Error,
    events::ProposalCreated,
    state::{validate_council, Config, Minter, Proposal, ProposalKind, Role, SeizureDestination},
    utils::{
        count_open_seizure, create_pda_account, denylist_entry_address, is_denylisted, load_optional, minter_address, now,
        require_none_denylisted, write_account,
    },
};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct ProposeParams {
    /// What the proposal does when executed.
    pub kind: ProposalKind,
}

#[event_cpi]
#[derive(Accounts)]
pub struct Propose<'info> {
    /// A council member; pays the proposal's rent and gets it back when it closes.
    #[account(mut)]
    pub proposer: Signer<'info>,
    /// The USD1 mint (Token-2022); the Config's seed.
    /// CHECK: the Config's mint; its key is the Config's seed, so clients derive every other account from it.
    #[account(address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(mut, seeds = [CONFIG_SEED, mint.key().as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The new proposal `["proposal", config, next_proposal_id]`.
    /// CHECK: created here at the next proposal id; the seeds pin its address.
    #[account(
        mut,
        seeds = [PROPOSAL_SEED, config.key().as_ref(), &config.next_proposal_id.to_le_bytes()],
        bump
    )]
    pub proposal: UncheckedAccount<'info>,
    /// The proposer's DenylistEntry PDA (exists only while denylisted).
    /// CHECK: the proposer's DenylistEntry PDA (exists only while denylisted).
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), proposer.key().as_ref()], bump)]
    pub proposer_denylist_entry: UncheckedAccount<'info>,
    /// The minter's Minter account `["minter", config, minter]`.
    /// CHECK: for `SetAllowance` and `SetRateLimit`, the minter's account (must be active); checked in `validate`.
    pub minter_account: Option<UncheckedAccount<'info>>,
    /// For `seize`: the owner's DenylistEntry (the owner must be denylisted); its count of open
    /// seizures rises by one, which keeps the owner listed until the proposal closes.
    /// CHECK: for `Seize`: the owner's DenylistEntry PDA (address checked in the handler).
    #[account(mut)]
    pub owner_denylist_entry: Option<UncheckedAccount<'info>>,
    /// The system program (creates accounts).
    pub system_program: Program<'info, System>,
    // Remaining accounts: for `SetCouncil`, each new member's DenylistEntry PDA, in order; for
    // `SetRole`, the key's DenylistEntry PDA. A denylisted key is given no seat and no role.
}

impl Propose<'_> {
    /// The active minter's generation, which a proposal about it is bound to. The proposer's
    /// approval counts, so a minter may not propose a change to itself.
    fn minter_generation(&self, minter: &Pubkey) -> Result<u32> {
        require_keys_neq!(*minter, self.proposer.key(), Usd1Error::SelfApproval);
        let account = self.minter_account.as_ref().ok_or(Usd1Error::ProposalMinterMismatch)?;
        let expected = minter_address(&self.config.key(), minter);
        require_keys_eq!(account.key(), expected, Usd1Error::ProposalMinterMismatch);
        match load_optional::<Minter>(&account.to_account_info())? {
            Some(minter) if minter.active => Ok(minter.generation),
            _ => err!(Usd1Error::MinterNotActive),
        }
    }

    /// Returns the minter generation the proposal is bound to (0 for other kinds).
    /// `denylist_entries` are the remaining accounts (the DenylistEntry PDAs of the keys a
    /// council change or a role change names).
    pub fn validate(&self, params: &ProposeParams, denylist_entries: &[AccountInfo]) -> Result<u32> {
        let config = &self.config;
        let proposer = self.proposer.key();
        require!(config.is_council_member(&proposer), Usd1Error::NotCouncilMember);
        require!(!is_denylisted(&self.proposer_denylist_entry), Usd1Error::Denylisted);
        match &params.kind {
            ProposalKind::SetAllowance { minter, amount } => {
                // Lowering is the master minter's `decrease_allowance`; zero is never a grant.
                require!(*amount > 0, Usd1Error::InvalidAmount);
                self.minter_generation(minter)
            }
            ProposalKind::SetRateLimit { minter, rate_limit } => {
                if let Some(limit) = rate_limit {
                    require!(limit.capacity > 0, Usd1Error::InvalidConfig);
                }
                self.minter_generation(minter)
            }
            ProposalKind::UpdateConfig { change } => {
                // Checked again at execution against the config as it is then.
                change.validate(config)?;
                Ok(0)
            }
            ProposalKind::SetCouncil { members, threshold } => {
                validate_council(members, *threshold)?;
                require!(!members.contains(&config.admin), Usd1Error::RoleConflict);
                // v3: checked here, where the council decides, and not again at execution: a
                // listing made while the proposal is open cannot veto an approved council change.
                require_none_denylisted(&config.key(), members, denylist_entries)?;
                Ok(0)
            }
            ProposalKind::SetRole { role, key } => {
                require!(*key != Pubkey::default(), Usd1Error::RoleConflict);
                if *role != Role::Admin {
                    require!(*key != config.admin && config.pending_admin != Some(*key), Usd1Error::RoleConflict);
                }
                // As for a council change: checked when proposed, so the denylister cannot
                // veto its own replacement by listing the new key.
                require_none_denylisted(&config.key(), core::slice::from_ref(key), denylist_entries)?;
                Ok(0)
            }
            ProposalKind::Seize { owner, amount, destination, .. } => {
                // v3: the owner is denylisted first (one key, which freezes its accounts); the
                // proposal then keeps it listed until executed or cancelled (`SeizurePending`).
                require!(*amount > 0, Usd1Error::InvalidAmount);
                require_keys_neq!(*owner, config.key(), Usd1Error::ProtectedAccount);
                if let SeizureDestination::TokenAccount { address } = destination {
                    let escrow = Pubkey::create_program_address(
                        &[ESCROW_SEED, config.key().as_ref(), &[config.escrow_bump]],
                        &crate::ID,
                    )
                    .map_err(|_| Usd1Error::InvalidRecipient)?;
                    require_keys_neq!(*address, escrow, Usd1Error::InvalidRecipient);
                }
                Ok(0)
            }
        }
    }
}

/// Council member: opens a proposal (allowance, council change, rate limit, config loosening,
/// seizure or role change); the proposer's approval counts.
pub fn handler(ctx: Context<Propose>, params: ProposeParams) -> Result<()> {
    let minter_generation = ctx.accounts.validate(&params, ctx.remaining_accounts)?;
    if let ProposalKind::Seize { owner, .. } = &params.kind {
        let entry = ctx.accounts.owner_denylist_entry.as_ref().ok_or(Usd1Error::MissingAccount)?;
        require_keys_eq!(entry.key(), denylist_entry_address(&ctx.accounts.config.key(), owner), Usd1Error::AccountMismatch);
        count_open_seizure(entry, true)?;
    }
    let now = now()?;
    let config = &mut ctx.accounts.config;
    let id = config.next_proposal_id;
    let expires_at = now
        .checked_add(i64::try_from(config.proposal_ttl_secs).map_err(|_| Usd1Error::MathOverflow)?)
        .ok_or(Usd1Error::MathOverflow)?;
    let proposer = ctx.accounts.proposer.key();
    let mut proposal = Box::new(Proposal {
        bump: ctx.bumps.proposal,
        config: config.key(),
        id,
        proposer,
        kind: params.kind,
        minter_generation,
        approvals: Vec::with_capacity(MAX_COUNCIL_MEMBERS),
        rejections: Vec::new(),
        council_epoch: config.council_epoch,
        created_at: now,
        expires_at,
        threshold_reached_at: None,
        timelock_secs: config.timelock_secs,
    });
    proposal.add_approval(proposer, config.council_threshold, now);

    let config_key = config.key();
    let id_bytes = id.to_le_bytes();
    let seeds: &[&[u8]] = &[PROPOSAL_SEED, config_key.as_ref(), &id_bytes, &[proposal.bump]];
    let info = ctx.accounts.proposal.to_account_info();
    create_pda_account(
        &ctx.accounts.proposer.to_account_info(),
        &info,
        &ctx.accounts.system_program.to_account_info(),
        &crate::ID,
        Proposal::SPACE,
        seeds,
    )?;
    write_account(&info, proposal.as_ref())?;

    config.next_proposal_id = id.checked_add(1).ok_or(Usd1Error::MathOverflow)?;
    let seq = config.next_event_seq()?;
    emit_cpi!(ProposalCreated {
        mint: config.mint,
        seq,
        id,
        proposer,
        kind: proposal.kind.clone(),
        council_epoch: proposal.council_epoch,
        expires_at,
        approvals: proposal.approvals.len() as u8,
        threshold: config.council_threshold,
    });
    Ok(())
}
