use crate::{
    constants::*,
    error::Usd1Error,
    events::ProposalApproved,
    state::{Config, Proposal},
    utils::now,
};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct ProposalIdParams {
    pub proposal: u64,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: ProposalIdParams)]
pub struct Approve<'info> {
    pub approver: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED, config.mint.as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    #[account(
        mut,
        seeds = [PROPOSAL_SEED, config.key().as_ref(), &params.proposal.to_le_bytes()],
        bump = proposal.bump
    )]
    pub proposal: Box<Account<'info, Proposal>>,
}

impl Approve<'_> {
    pub fn validate(&self) -> Result<()> {
        let approver = self.approver.key();
        let (config, proposal) = (&self.config, &self.proposal);
        require!(config.is_council_member(&approver), Usd1Error::NotCouncilMember);
        require!(!proposal.is_stale(config), Usd1Error::ProposalStale);
        require!(!proposal.is_expired(now()?), Usd1Error::ProposalExpired);
        require!(!proposal.approvals.contains(&approver), Usd1Error::AlreadyApproved);
        require!(proposal.allowance_minter() != Some(approver), Usd1Error::SelfApproval);
        Ok(())
    }
}

/// Council member: approves an open proposal (once; never its own allowance).
pub fn handler(ctx: Context<Approve>, params: ProposalIdParams) -> Result<()> {
    let approver = ctx.accounts.approver.key();
    let threshold = ctx.accounts.config.council_threshold;
    let timelock = ctx.accounts.config.timelock_secs;
    let proposal = &mut ctx.accounts.proposal;
    proposal.add_approval(approver, threshold, now()?);
    let approvals = proposal.approvals.len() as u8;
    let executable_at = proposal.executable_at(timelock);

    let config = &mut ctx.accounts.config;
    let seq = config.next_event_seq()?;
    emit_cpi!(ProposalApproved {
        mint: config.mint,
        seq,
        id: params.proposal,
        approver,
        approvals,
        threshold,
        executable_at,
    });
    Ok(())
}
