use crate::{
    constants::*,
    error::Usd1Error,
    events::ProposalApproved,
    state::{Config, Proposal},
    utils::{is_denylisted, now},
};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct ProposalIdParams {
    /// The proposal's id (its PDA seed).
    pub proposal: u64,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: ProposalIdParams)]
pub struct Approve<'info> {
    /// A current council member, not denylisted, who has not voted on this proposal.
    pub approver: Signer<'info>,
    /// The USD1 mint (Token-2022); the Config's seed.
    /// CHECK: the Config's mint; its key is the Config's seed, so clients derive every other account from it.
    #[account(address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's Config (council, threshold).
    #[account(mut, seeds = [CONFIG_SEED, mint.key().as_ref()], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The proposal voted on.
    #[account(
        mut,
        seeds = [PROPOSAL_SEED, config.key().as_ref(), &params.proposal.to_le_bytes()],
        bump = proposal.bump
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    /// The approver's DenylistEntry PDA (exists only while denylisted).
    /// CHECK: the approver's DenylistEntry PDA (exists only while denylisted).
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), approver.key().as_ref()], bump)]
    pub approver_denylist_entry: UncheckedAccount<'info>,
}

impl Approve<'_> {
    /// Terminal conditions first (stale, expired, rejected), then the voter's own.
    pub fn validate(&self) -> Result<()> {
        let approver = self.approver.key();
        let (config, proposal) = (&self.config, &self.proposal);
        require!(config.is_council_member(&approver), Usd1Error::NotCouncilMember);
        require!(!proposal.is_stale(config), Usd1Error::ProposalStale);
        require!(!proposal.is_expired(now()?), Usd1Error::ProposalExpired);
        require!(!proposal.is_rejected(config), Usd1Error::ProposalRejected);
        require!(!proposal.approvals.contains(&approver), Usd1Error::AlreadyApproved);
        require!(!proposal.rejections.contains(&approver), Usd1Error::AlreadyVoted);
        require!(proposal.allowance_minter() != Some(approver), Usd1Error::SelfApproval);
        require!(!is_denylisted(&self.approver_denylist_entry), Usd1Error::Denylisted);
        Ok(())
    }
}

/// Council member: approves an open proposal (once; never its own allowance).
pub fn handler(ctx: Context<Approve>, params: ProposalIdParams) -> Result<()> {
    let approver = ctx.accounts.approver.key();
    let threshold = ctx.accounts.config.council_threshold;
    let proposal = &mut ctx.accounts.proposal;
    proposal.add_approval(approver, threshold, now()?);
    let approvals = proposal.approvals.len() as u8;
    let executable_at = proposal.executable_at();

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
