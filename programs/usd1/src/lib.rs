//! USD1: the program that holds every privileged power over a Token-2022 dollar mint.
//!
//! This file only dispatches; each instruction lives in `instructions/<name>.rs`
//! with its accounts, parameters, validation and handler.
#![allow(unexpected_cfgs)]
#![allow(clippy::result_large_err)]

pub mod constants;
pub mod error;
pub mod events;
pub mod instructions;
pub mod state;
pub mod utils;
#[cfg(all(test, feature = "idl-build"))]
mod idl_written_accounts;

use anchor_lang::prelude::*;
use instructions::*;
#[cfg(feature = "idl-build")]
use spl_transfer_hook_interface::instruction::ExecuteInstruction;
#[cfg(feature = "idl-build")]
use spl_discriminator::SplDiscriminate;

declare_id!("USD1mGxdwLdy3Rb2m1A4a1iS4XW6R5T7qE9pVJ9y1aQ");

// The `.security.txt` section explorers and `solana-verify` read from the deployed `.so`: who
// to tell about a vulnerability and under which policy. The issuer puts its real contacts and
// auditors here before a mainnet build (migrations/README.md, step 1); the hash changes with them.
#[cfg(not(feature = "no-entrypoint"))]
solana_security_txt::security_txt! {
    name: "USD1",
    project_url: "https://usd1.example",
    contacts: "email:security@usd1.example,link:https://usd1.example/security",
    policy: "https://usd1.example/security-policy (SECURITY.md in the source repository)",
    preferred_languages: "en",
    source_code: "https://usd1.example/source",
    source_release: concat!("v", env!("CARGO_PKG_VERSION")),
    auditors: "None yet: the issuer names its auditors here before a mainnet build"
}

#[program]
pub mod usd1 {
    use super::*;

    // ---- governance ----

    /// Anyone (the signer becomes admin): creates the mint with all extensions, Config, Escrow and the hook's account list.
    #[access_control(ctx.accounts.validate(&params))]
    pub fn initialize(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
        instructions::initialize::handler(ctx, params)
    }

    /// Admin: names a pending admin (step one of two).
    #[access_control(ctx.accounts.validate(&params))]
    pub fn transfer_admin(ctx: Context<TransferAdmin>, params: TransferAdminParams) -> Result<()> {
        instructions::transfer_admin::handler(ctx, params)
    }

    /// Pending admin: completes the handover and becomes admin.
    #[access_control(ctx.accounts.validate())]
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        instructions::accept_admin::handler(ctx)
    }

    /// Admin: assigns a single-key role.
    #[access_control(ctx.accounts.validate(&params))]
    pub fn set_role(ctx: Context<SetRole>, params: SetRoleParams) -> Result<()> {
        instructions::set_role::handler(ctx, params)
    }

    /// Admin: changes supply cap, timelock, proposal ttl, reserve gate or attestation max age.
    #[access_control(ctx.accounts.validate(&params))]
    pub fn update_config(ctx: Context<UpdateConfig>, params: UpdateConfigParams) -> Result<()> {
        instructions::update_config::handler(ctx, params)
    }

    /// Admin: changes the token's name, symbol or uri.
    pub fn update_metadata(ctx: Context<UpdateMetadata>, params: UpdateMetadataParams) -> Result<()> {
        instructions::update_metadata::handler(ctx, params)
    }

    // ---- emergency ----

    /// Pauser: pauses a scope (mint, redeem, transfers, all).
    pub fn pause(ctx: Context<SetPause>, params: PauseParams) -> Result<()> {
        instructions::pause::handler(ctx, params)
    }

    /// Pauser: unpauses a scope (mint, redeem, transfers, all).
    pub fn unpause(ctx: Context<SetPause>, params: PauseParams) -> Result<()> {
        instructions::unpause::handler(ctx, params)
    }

    // ---- issuance ----

    /// Master minter: adds a minter (allowance 0) or changes its rate limit.
    #[access_control(ctx.accounts.validate(&params))]
    pub fn configure_minter(ctx: Context<ConfigureMinter>, params: ConfigureMinterParams) -> Result<()> {
        instructions::configure_minter::handler(ctx, params)
    }

    /// Master minter: deactivates a minter and zeroes its allowance.
    pub fn remove_minter(ctx: Context<RemoveMinter>, params: RemoveMinterParams) -> Result<()> {
        instructions::remove_minter::handler(ctx, params)
    }

    /// Master minter: lowers a minter's allowance by `amount`, saturating at 0.
    pub fn decrease_allowance(ctx: Context<DecreaseAllowance>, params: DecreaseAllowanceParams) -> Result<()> {
        instructions::decrease_allowance::handler(ctx, params)
    }

    /// Council member: opens a proposal (set_allowance, set_council, set_rate_limit, update_config, seize or set_role).
    pub fn propose(ctx: Context<Propose>, params: ProposeParams) -> Result<()> {
        instructions::propose::handler(ctx, params)
    }

    /// Council member: approves an open proposal.
    #[access_control(ctx.accounts.validate())]
    pub fn approve(ctx: Context<Approve>, params: ProposalIdParams) -> Result<()> {
        instructions::approve::handler(ctx, params)
    }

    /// Council member: votes against an open proposal (once); enough votes reject it.
    #[access_control(ctx.accounts.validate())]
    pub fn reject(ctx: Context<Reject>, params: ProposalIdParams) -> Result<()> {
        instructions::reject::handler(ctx, params)
    }

    /// Anyone: executes an approved proposal after its timelock (a seizure moves a denylisted owner's tokens).
    #[access_control(ctx.accounts.validate())]
    pub fn execute<'info>(ctx: Context<'info, Execute<'info>>, params: ProposalIdParams) -> Result<()> {
        instructions::execute::handler(ctx, params)
    }

    /// Proposer (anyone once stale, expired or rejected): cancels a proposal.
    #[access_control(ctx.accounts.validate())]
    pub fn cancel(ctx: Context<Cancel>, params: ProposalIdParams) -> Result<()> {
        instructions::cancel::handler(ctx, params)
    }

    /// Minter: mints against a unique deposit reference within its allowance and every limit.
    pub fn mint(ctx: Context<MintTokens>, params: MintParams) -> Result<()> {
        instructions::mint::handler(ctx, params)
    }

    // ---- redemption ----

    /// Any holder not denylisted: moves tokens to the Escrow and records a pending request.
    pub fn request_redemption(ctx: Context<RequestRedemption>, params: RequestRedemptionParams) -> Result<()> {
        instructions::request_redemption::handler(ctx, params)
    }

    /// Burner: burns a pending request's escrowed tokens after the off-chain payout.
    pub fn complete_redemption(ctx: Context<CompleteRedemption>, params: CompleteRedemptionParams) -> Result<()> {
        instructions::complete_redemption::handler(ctx, params)
    }

    /// Burner: returns a pending request's escrowed tokens to the holder.
    pub fn reject_redemption(ctx: Context<RejectRedemption>, params: RejectRedemptionParams) -> Result<()> {
        instructions::reject_redemption::handler(ctx, params)
    }

    /// Burner: burns tokens from a token account it owns.
    pub fn burn(ctx: Context<BurnTokens>, params: BurnParams) -> Result<()> {
        instructions::burn::handler(ctx, params)
    }

    /// Burner: moves the Escrow's tokens beyond the open requests (outside deposits) to a token account.
    pub fn sweep_escrow(ctx: Context<SweepEscrow>) -> Result<()> {
        instructions::sweep_escrow::handler(ctx)
    }

    // ---- compliance ----

    /// Denylister: adds a wallet to the denylist and freezes its token accounts given as remaining accounts.
    #[access_control(ctx.accounts.validate(&params))]
    pub fn denylist_add<'info>(ctx: Context<'info, DenylistAdd<'info>>, params: DenylistAddParams) -> Result<()> {
        instructions::denylist_add::handler(ctx, params)
    }

    /// Denylister: removes a wallet from the denylist and thaws its frozen token accounts given as remaining accounts.
    pub fn denylist_remove<'info>(ctx: Context<'info, DenylistRemove<'info>>, params: DenylistRemoveParams) -> Result<()> {
        instructions::denylist_remove::handler(ctx, params)
    }

    /// Denylister: freezes any token account of the mint (not only associated ones).
    #[access_control(ctx.accounts.validate())]
    pub fn freeze(ctx: Context<SetFrozen>) -> Result<()> {
        instructions::freeze::handler(ctx)
    }

    /// Denylister: thaws any token account of the mint.
    #[access_control(ctx.accounts.validate())]
    pub fn thaw(ctx: Context<SetFrozen>) -> Result<()> {
        instructions::thaw::handler(ctx)
    }

    // ---- onboarding (v3) ----

    /// Onboarder: onboards a wallet (creates its Onboarded account) so mints may reach it while onboarding is required.
    #[access_control(ctx.accounts.validate(&params))]
    pub fn onboard(ctx: Context<Onboard>, params: OnboardParams) -> Result<()> {
        instructions::onboard::handler(ctx, params)
    }

    /// Onboarder: offboards a wallet (closes its Onboarded account); mints no longer reach it while onboarding is required.
    #[access_control(ctx.accounts.validate())]
    pub fn offboard(ctx: Context<Offboard>, params: OffboardParams) -> Result<()> {
        instructions::offboard::handler(ctx, params)
    }

    // ---- reserves and supply ----

    /// Attester: publishes a reserve attestation.
    #[access_control(ctx.accounts.validate(&params))]
    pub fn attest_reserves(ctx: Context<AttestReserves>, params: AttestReservesParams) -> Result<()> {
        instructions::attest_reserves::handler(ctx, params)
    }


    /// Anyone: reports supply against total_minted - total_burned, unattributed burns and Escrow excess (SupplyChecked).
    pub fn check_supply(ctx: Context<CheckSupply>) -> Result<()> {
        instructions::check_supply::handler(ctx)
    }

    // ---- transfer hook ----

    /// Token-2022 (on every transfer): refuses denylisted owners or authority and paused transfers.
    // In the IDL (its accounts and arguments for integrators); the program itself serves this
    // discriminator in `fallback`, without Anchor's account deserialization: every holder pays
    // for the hook on every transfer.
    #[cfg(feature = "idl-build")]
    #[access_control(ctx.accounts.validate())]
    #[instruction(discriminator = ExecuteInstruction::SPL_DISCRIMINATOR_SLICE)]
    pub fn transfer_hook_execute(ctx: Context<TransferHookExecute>, amount: u64) -> Result<()> {
        instructions::transfer_hook_execute::handler(ctx, amount)
    }

    /// Token-2022's transfer-hook `Execute`, read in place (`instructions::transfer_hook_execute::execute`);
    /// any other unknown instruction is refused as Anchor refuses it.
    pub fn fallback<'info>(program_id: &Pubkey, accounts: &'info [AccountInfo<'info>], data: &[u8]) -> Result<()> {
        if data.starts_with(constants::TRANSFER_HOOK_EXECUTE_DISCRIMINATOR) {
            return instructions::transfer_hook_execute::execute(program_id, accounts, data);
        }
        Err(anchor_lang::error::ErrorCode::InstructionFallbackNotFound.into())
    }
}
