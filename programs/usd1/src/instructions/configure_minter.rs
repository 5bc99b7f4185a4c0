use crate::{
    constants::*,
    error::Usd1Error,
    events::MinterConfigured,
    state::{Config, Minter, RateLimit},
    utils::{create_pda_account, is_denylisted, load_optional, now, write_account},
};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct ConfigureMinterParams {
    /// The minter's key (its Minter account is created on first use).
    pub minter: Pubkey,
    /// The rate limit (`None`: none). For an active minter only a tightening is accepted.
    pub rate_limit: Option<RateLimit>,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(params: ConfigureMinterParams)]
pub struct ConfigureMinter<'info> {
    /// Pays the Minter account's rent on first configuration.
    #[account(mut)]
    pub master_minter: Signer<'info>,
    /// The USD1 mint (Token-2022); the Config's seed.
    /// CHECK: the Config's mint; its key is the Config's seed, so clients derive every other account from it.
    #[account(address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = master_minter @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
    /// The minter's Minter account `["minter", config, minter]`.
    /// CHECK: created on first configuration, loaded otherwise; the seeds pin its address.
    #[account(mut, seeds = [MINTER_SEED, config.key().as_ref(), params.minter.as_ref()], bump)]
    pub minter_account: UncheckedAccount<'info>,
    /// The minter's DenylistEntry PDA (exists only while denylisted).
    /// CHECK: the minter key's DenylistEntry PDA (exists only while denylisted).
    #[account(seeds = [DENYLIST_SEED, config.key().as_ref(), params.minter.as_ref()], bump)]
    pub minter_denylist_entry: UncheckedAccount<'info>,
    /// The system program (creates accounts).
    pub system_program: Program<'info, System>,
}

impl ConfigureMinter<'_> {
    pub fn validate(&self, params: &ConfigureMinterParams) -> Result<()> {
        // The admin may not mint; an unset key could never sign.
        let config = &self.config;
        require!(
            params.minter != Pubkey::default()
                && params.minter != config.admin
                && config.pending_admin != Some(params.minter),
            Usd1Error::RoleConflict
        );
        require!(!is_denylisted(&self.minter_denylist_entry), Usd1Error::Denylisted);
        if let Some(limit) = params.rate_limit {
            require!(limit.capacity > 0, Usd1Error::InvalidConfig);
        }
        Ok(())
    }
}

/// Master minter: adds a minter (allowance 0) or tightens an active minter's rate limit.
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
        // One key only tightens: removing or raising a limit is a council `set_rate_limit`.
        require!(minter.rate_limit_only_tightens(params.rate_limit), Usd1Error::CouncilRequired);
    } else {
        // A new (or removed) minter starts over at allowance 0 under a new generation.
        minter.active = true;
        minter.generation = minter.generation.checked_add(1).ok_or(Usd1Error::MathOverflow)?;
        minter.allowance = 0;
        minter.rate_limit = None;
        minter.bucket_tokens = 0;
        minter.bucket_updated_at = now;
        config.active_minters = config.active_minters.checked_add(1).ok_or(Usd1Error::MathOverflow)?;
    }
    // Never a refill: the bucket keeps what it holds within the new capacity.
    minter.change_rate_limit(params.rate_limit, now);

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
