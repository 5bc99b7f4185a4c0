use crate::{
    constants::*,
    error::Usd1Error,
    events::MetadataUpdated,
    state::{validate_metadata, Config},
};
use anchor_lang::{
    prelude::*,
    system_program::{transfer, Transfer},
};
use anchor_spl::{
    token_2022::{
        spl_token_2022::{
            extension::{BaseStateWithExtensions, StateWithExtensions},
            state::Mint as MintState,
        },
        Token2022,
    },
    token_interface::{token_metadata_update_field, TokenMetadataUpdateField},
};
use spl_token_metadata_interface::state::{Field, TokenMetadata};

/// Each field left `None` keeps its value.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, Default)]
pub struct UpdateMetadataParams {
    /// New token name, or null to keep it.
    pub name: Option<String>,
    /// New symbol, or null to keep it.
    pub symbol: Option<String>,
    /// New metadata uri, or null to keep it.
    pub uri: Option<String>,
}

#[event_cpi]
#[derive(Accounts)]
pub struct UpdateMetadata<'info> {
    /// Pays for any extra rent the longer metadata needs.
    #[account(mut)]
    pub admin: Signer<'info>,
    /// The USD1 mint (Token-2022); the Config's seed.
    /// CHECK: the Config's mint (address-checked); Token-2022 validates it as the metadata account.
    #[account(mut, address = config.mint @ Usd1Error::InvalidMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's Config (roles, limits, counters): PDA `["config", mint]`.
    #[account(
        mut,
        seeds = [CONFIG_SEED, mint.key().as_ref()],
        bump = config.bump,
        has_one = admin @ Usd1Error::Unauthorized
    )]
    pub config: Box<Account<'info, Config>>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
    /// The system program (creates accounts).
    pub system_program: Program<'info, System>,
}

fn read_metadata(mint: &AccountInfo) -> Result<TokenMetadata> {
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<MintState>::unpack(&data)?;
    Ok(state.get_variable_len_extension::<TokenMetadata>()?)
}

/// Admin: changes the token's name, symbol or uri in the mint's TokenMetadata.
pub fn handler(ctx: Context<UpdateMetadata>, params: UpdateMetadataParams) -> Result<()> {
    require!(
        params.name.is_some() || params.symbol.is_some() || params.uri.is_some(),
        Usd1Error::NothingToUpdate
    );
    let mint_info = ctx.accounts.mint.to_account_info();
    let current = read_metadata(&mint_info)?;
    let mut updated = current.clone();
    if let Some(name) = &params.name {
        updated.name = name.clone();
    }
    if let Some(symbol) = &params.symbol {
        updated.symbol = symbol.clone();
    }
    if let Some(uri) = &params.uri {
        updated.uri = uri.clone();
    }
    validate_metadata(&updated.name, &updated.symbol, &updated.uri)?;

    // Token-2022 reallocates the mint but needs the rent for the new size already there.
    let new_len = mint_info
        .data_len()
        .checked_sub(current.tlv_size_of()?)
        .and_then(|len| len.checked_add(updated.tlv_size_of().ok()?))
        .ok_or(Usd1Error::MathOverflow)?;
    let required = Rent::get()?.minimum_balance(new_len);
    let shortfall = required.saturating_sub(mint_info.lamports());
    if shortfall > 0 {
        transfer(
            CpiContext::new(
                ctx.accounts.system_program.key(),
                Transfer { from: ctx.accounts.admin.to_account_info(), to: mint_info.clone() },
            ),
            shortfall,
        )?;
    }

    let config = &ctx.accounts.config;
    let seeds = config.signer_seeds();
    let token_program_id = ctx.accounts.token_program.key();
    let fields = [
        (Field::Name, params.name),
        (Field::Symbol, params.symbol),
        (Field::Uri, params.uri),
    ];
    for (field, value) in fields {
        if let Some(value) = value {
            token_metadata_update_field(
                CpiContext::new_with_signer(
                    token_program_id,
                    TokenMetadataUpdateField {
                        program_id: ctx.accounts.token_program.to_account_info(),
                        metadata: mint_info.clone(),
                        update_authority: config.to_account_info(),
                    },
                    &[&seeds],
                ),
                field,
                value,
            )?;
        }
    }

    let config = &mut ctx.accounts.config;
    let seq = config.next_event_seq()?;
    emit_cpi!(MetadataUpdated {
        mint: config.mint,
        seq,
        name: updated.name,
        symbol: updated.symbol,
        uri: updated.uri,
    });
    Ok(())
}
