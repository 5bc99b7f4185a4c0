use crate::{
    constants::*,
    error::Usd1Error,
    events::ProposalExecuted,
    instructions::approve::ProposalIdParams,
    state::{Config, Minter, Proposal, ProposalKind},
    utils::now,
};
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: ProposalIdParams)]
pub struct Execute<'info> {
    /// Anyone may send an approved, timelocked proposal.
    pub executor: Signer<'info>,
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
    /// For `SetAllowance`: the minter whose allowance is set.
    #[account(mut)]
    pub minter_account: Option<Box<Account<'info, Minter>>>,
}

impl Execute<'_> {
    /// Terminal conditions first (stale, expired), then those that time cures.
    pub fn validate(&self) -> Result<()> {
        let (config, proposal) = (&self.config, &self.proposal);
        let now = now()?;
        require!(!proposal.is_stale(config), Usd1Error::ProposalStale);
        require!(!proposal.is_expired(now), Usd1Error::ProposalExpired);
        require!(
            proposal.approvals.len() >= usize::from(config.council_threshold),
            Usd1Error::ThresholdNotMet
        );
        let executable_at = proposal.executable_at(config.timelock_secs).ok_or(Usd1Error::ThresholdNotMet)?;
        require!(now >= executable_at, Usd1Error::TimelockActive);
        Ok(())
    }
}

/// Anyone: applies a proposal with enough current-council approvals after its timelock, then closes it.
pub fn handler(ctx: Context<Execute>, params: ProposalIdParams) -> Result<()> {
    let kind = ctx.accounts.proposal.kind.clone();
    match &kind {
        ProposalKind::SetAllowance { minter, amount } => {
            let config_key = ctx.accounts.config.key();
            let generation = ctx.accounts.proposal.minter_generation;
            let minter_account = ctx.accounts.minter_account.as_mut().ok_or(Usd1Error::ProposalMinterMismatch)?;
            require!(
                minter_account.minter == *minter && minter_account.config == config_key,
                Usd1Error::ProposalMinterMismatch
            );
            // Removed (and perhaps configured again) since the proposal: the council approved
            // an allowance for a minter that no longer exists in that form.
            require!(
                minter_account.active && minter_account.generation == generation,
                Usd1Error::ProposalStale
            );
            minter_account.set_allowance(*amount)?;
        }
        ProposalKind::SetCouncil { members, threshold } => {
            let config = &mut ctx.accounts.config;
            config.council = members.clone();
            config.council_threshold = *threshold;
            config.council_epoch = config.council_epoch.checked_add(1).ok_or(Usd1Error::MathOverflow)?;
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
    Ok(())
}
