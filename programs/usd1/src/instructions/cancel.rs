use crate::{
    constants::*,
    error::Usd1Error,
    events::ProposalCancelled,
    instructions::approve::ProposalIdParams,
    state::{Config, Proposal},
    utils::now,
};
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: ProposalIdParams)]
pub struct Cancel<'info> {
    pub canceller: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED, config.mint.as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    #[account(
        mut,
        seeds = [PROPOSAL_SEED, config.key().as_ref(), &params.proposal.to_le_bytes()],
        bump = proposal.bump,
        close = proposer
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    /// CHECK: receives the proposal's rent; must be its proposer.
    #[account(mut, address = proposal.proposer @ Usd1Error::Unauthorized)]
    pub proposer: UncheckedAccount<'info>,
}

impl Cancel<'_> {
    /// Any current council member may cancel; anyone may clean up a stale or expired proposal.
    pub fn validate(&self) -> Result<()> {
        let (config, proposal) = (&self.config, &self.proposal);
        let dead = proposal.is_stale(config) || proposal.is_expired(now()?);
        require!(dead || config.is_council_member(&self.canceller.key()), Usd1Error::NotCouncilMember);
        Ok(())
    }
}

/// Council member (anyone, once stale or expired): closes a proposal unexecuted; rent goes to the proposer.
pub fn handler(ctx: Context<Cancel>, params: ProposalIdParams) -> Result<()> {
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
