use crate::{
    constants::*,
    error::Usd1Error,
    events::ProposalRejected,
    instructions::approve::ProposalIdParams,
    state::{Config, Proposal},
    utils::{is_denylisted, now},
};
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: ProposalIdParams)]
pub struct Reject<'info> {
    /// A current council member, not denylisted, who has not voted on this proposal.
    pub voter: Signer<'info>,
    /// The USD1 mint (Token-2022); the Config's seed.
    /// CHECK: the Config's mint; its key is the Config's seed, so clients derive every other account from it.
    #[account(address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's Config (council, threshold).
    #[account(mut, seeds = [CONFIG_SEED, mint.key().as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The proposal voted against.
    #[account(
        mut,
        seeds = [PROPOSAL_SEED, config.key().as_ref(), &params.proposal.to_le_bytes()],
        bump = proposal.bump
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    /// The voter's DenylistEntry PDA (exists only while denylisted: a denylisted member cannot vote).
    /// CHECK: the voter's DenylistEntry PDA (exists only while denylisted).
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), voter.key().as_ref()], bump)]
    pub voter_denylist_entry: UncheckedAccount<'info>,
}

impl Reject<'_> {
    pub fn validate(&self) -> Result<()> {
        let voter = self.voter.key();
        let (config, proposal) = (&self.config, &self.proposal);
        require!(config.is_council_member(&voter), Usd1Error::NotCouncilMember);
        require!(!proposal.is_stale(config), Usd1Error::ProposalStale);
        require!(!proposal.is_expired(now()?), Usd1Error::ProposalExpired);
        require!(!proposal.is_rejected(config), Usd1Error::ProposalRejected);
        require!(!proposal.has_voted(&voter), Usd1Error::AlreadyVoted);
        require!(!is_denylisted(&self.voter_denylist_entry), Usd1Error::Denylisted);
        Ok(())
    }
}

/// Council member: votes against an open proposal (once). Once the votes against exceed
/// members - threshold the proposal is rejected: it can no longer be approved or executed,
/// and anyone may cancel it.
pub fn handler(ctx: Context<Reject>, params: ProposalIdParams) -> Result<()> {
    let voter = ctx.accounts.voter.key();
    let proposal = &mut ctx.accounts.proposal;
    proposal.rejections.push(voter);
    let rejections = proposal.rejections.len() as u8;
    let rejected = proposal.is_rejected(&ctx.accounts.config);

    let config = &mut ctx.accounts.config;
    let seq = config.next_event_seq()?;
    emit_cpi!(ProposalRejected { mint: config.mint, seq, id: params.proposal, voter, rejections, rejected });
    Ok(())
}
