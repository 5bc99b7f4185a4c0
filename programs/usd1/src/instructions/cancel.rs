use crate::{
    constants::*,
    error::Usd1Error,
    events::ProposalCancelled,
    instructions::approve::ProposalIdParams,
    state::{Config, Proposal, ProposalKind},
    utils::{count_open_seizure, denylist_entry_address, is_denylisted, now},
};
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: ProposalIdParams)]
pub struct Cancel<'info> {
    /// The proposer (a live proposal), or anyone (a stale, expired or rejected one).
    pub canceller: Signer<'info>,
    /// The USD1 mint (Token-2022); the Config's seed.
    /// CHECK: the Config's mint; its key is the Config's seed, so clients derive every other account from it.
    #[account(address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(mut, seeds = [CONFIG_SEED, mint.key().as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The proposal `["proposal", config, id]`.
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
    /// The canceller's DenylistEntry PDA (exists only while denylisted: a denylisted key cannot cancel).
    /// CHECK: the canceller's DenylistEntry PDA (exists only while denylisted).
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), canceller.key().as_ref()], bump)]
    pub canceller_denylist_entry: UncheckedAccount<'info>,
    /// For a `seize` proposal: the owner's DenylistEntry, whose count of open seizures drops by one.
    /// CHECK: for `Seize`: the owner's DenylistEntry PDA (address checked in the handler).
    #[account(mut)]
    pub owner_denylist_entry: Option<UncheckedAccount<'info>>,
}

impl Cancel<'_> {
    /// A live proposal is its proposer's to withdraw (a single other member cannot veto:
    /// that takes reject votes); anyone may clean up a stale, expired or rejected one.
    pub fn validate(&self) -> Result<()> {
        require!(!is_denylisted(&self.canceller_denylist_entry), Usd1Error::Denylisted);
        let (config, proposal) = (&self.config, &self.proposal);
        let dead = proposal.is_stale(config) || proposal.is_expired(now()?) || proposal.is_rejected(config);
        require!(dead || self.canceller.key() == proposal.proposer, Usd1Error::Unauthorized);
        Ok(())
    }
}

/// Proposer (anyone, once stale, expired or rejected): closes a proposal unexecuted; rent goes to the proposer.
pub fn handler(ctx: Context<Cancel>, params: ProposalIdParams) -> Result<()> {
    if let ProposalKind::Seize { owner, .. } = ctx.accounts.proposal.kind {
        let entry = ctx.accounts.owner_denylist_entry.as_ref().ok_or(Usd1Error::MissingAccount)?;
        require_keys_eq!(entry.key(), denylist_entry_address(&ctx.accounts.config.key(), &owner), Usd1Error::AccountMismatch);
        count_open_seizure(entry, false)?;
    }
    let config = &mut ctx.accounts.config;
    let seq = config.next_event_seq()?;
    emit_cpi!(ProposalCancelled {
        mint: config.mint,
        seq,
        id: params.proposal,
        cancelled_by: ctx.accounts.canceller.key(),
    });
    Ok(())
}
