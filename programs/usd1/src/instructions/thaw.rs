use crate::{
    events::AccountThawed,
    instructions::freeze::{set_frozen, FrozenChange, SetFrozen},
};
use anchor_lang::prelude::*;

/// Denylister: thaws a frozen token account of this mint, unless its owner is denylisted
/// (that wallet's accounts thaw with `denylist_remove`).
pub fn handler(mut ctx: Context<SetFrozen>) -> Result<()> {
    require!(!crate::utils::is_denylisted(&ctx.accounts.owner_denylist_entry), crate::error::Usd1Error::Denylisted);
    let FrozenChange { token_account, owner, by, seq } = set_frozen(&mut ctx, false)?;
    let mint = ctx.accounts.config.mint;
    emit_cpi!(AccountThawed { mint, seq, token_account, owner, by });
    Ok(())
}
