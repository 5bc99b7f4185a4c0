use crate::{
    constants::*,
    error::Usd1Error,
    events::MinterConfigured,
    state::{Config, Minter, RateLimit},
    utils::{create_pda_account, load_optional, now, write_account},
};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct ConfigureMinterParams {
    pub minter: Pubkey,
    /// `None` turns the rate limit off.
    pub rate_limit: Option<RateLimit>,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: ConfigureMinterParams)]
pub struct ConfigureMinter<'info> {
    /// Pays the Minter account's rent on first configuration.
    #[account(mut)]
    pub master_minter: Signer<'info>,
    #[account(
        mut,
        seeds = [CONFIG_SEED, config.mint.as_ref()],
        bump = config.bump,
        has_one = master_minter @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: created on first configuration, loaded otherwise; the seeds pin its address.
    #[account(mut, seeds = [MINTER_SEED, config.key().as_ref(), params.minter.as_ref()], bump)]
    pub minter_account: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl ConfigureMinter<'_> {
    pub fn validate(&self, params: &ConfigureMinterParams) -> Result<()> {
        // The admin may not mint; an unset key could never sign.
        require!(
            params.minter != Pubkey::default() && params.minter != self.config.admin,
            Usd1Error::RoleConflict
        );
        if let Some(limit) = params.rate_limit {
            require!(limit.capacity > 0, Usd1Error::InvalidConfig);
        }
        Ok(())
    }
}

/// Master minter: adds a minter (allowance 0) or changes an active minter's rate limit.
/// A removed minter configured again starts over at allowance 0 with a new generation.
pub fn handler(ctx: Context<ConfigureMinter>, params: ConfigureMinterParams) -> Result<()> {
    let now = now()?;
    let info = ctx.accounts.minter_account.to_account_info();
    let existing = load_optional::<Minter>(&info)?;
    let is_new = existing.is_none();
    let mut minter = match existing {
        Some(minter) => minter,
        None => Minter {
            bump: ctx.bumps.minter_account,
            config: ctx.accounts.config.key(),
            minter: params.minter,
            active: false,
            generation: 0,
            allowance: 0,
            total_granted: 0,
            lifetime_minted: 0,
            rate_limit: None,
            bucket_tokens: 0,
            bucket_updated_at: now,
        },
    };

    let config = &mut ctx.accounts.config;
    if minter.active {
        // A rate-limit change keeps what is left in the bucket, within the new capacity.
        minter.refill_bucket(now);
    } else {
        minter.active = true;
        minter.generation = minter.generation.checked_add(1).ok_or(Usd1Error::MathOverflow)?;
        minter.allowance = 0;
        minter.rate_limit = None;
        minter.bucket_updated_at = now;
        config.active_minters = config.active_minters.checked_add(1).ok_or(Usd1Error::MathOverflow)?;
    }
    // A newly limited minter starts with a full bucket; a changed limit keeps what
    // is left, within the new capacity.
    if let Some(limit) = params.rate_limit {
        minter.bucket_tokens = match minter.rate_limit {
            Some(_) => minter.bucket_tokens.min(limit.capacity),
            None => limit.capacity,
        };
    }
    minter.rate_limit = params.rate_limit;

    if is_new {
        let config_key = config.key();
        let seeds: &[&[u8]] = &[MINTER_SEED, config_key.as_ref(), params.minter.as_ref(), &[minter.bump]];
        create_pda_account(
            &ctx.accounts.master_minter.to_account_info(),
            &info,
            &ctx.accounts.system_program.to_account_info(),
            &crate::ID,
            Minter::SPACE,
            seeds,
        )?;
    }
    write_account(&info, &minter)?;

    let seq = config.next_event_seq()?;
    emit_cpi!(MinterConfigured {
        mint: config.mint,
        seq,
        minter: params.minter,
        rate_limit: minter.rate_limit,
        allowance: minter.allowance,
        generation: minter.generation,
    });
    Ok(())
}
