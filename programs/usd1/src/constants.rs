//! Seeds and limits. Every PDA seed the program, client and hook resolution use lives here.

/// `["config", mint]`: one Config per mint.
pub const CONFIG_SEED: &[u8] = b"config";
/// `["minter", config, minter_key]`.
pub const MINTER_SEED: &[u8] = b"minter";
/// `["proposal", config, id_u64_le]`.
pub const PROPOSAL_SEED: &[u8] = b"proposal";
/// `["receipt", config, reference_hash]`.
pub const RECEIPT_SEED: &[u8] = b"receipt";
/// `["denylist", config, wallet]`.
pub const DENYLIST_SEED: &[u8] = b"denylist";
/// `["redemption", config, holder, reference_hash]`: a ticket is bound to its holder.
pub const REDEMPTION_SEED: &[u8] = b"redemption";
/// `["denylist-registry", config]`: every denylisted wallet of this config, sorted, at one
/// fixed address the transfer hook reads (no per-wallet derivation on each transfer).
pub const DENYLIST_REGISTRY_SEED: &[u8] = b"denylist-registry";
/// `["escrow", config]`: the token account holding tokens awaiting redemption.
pub const ESCROW_SEED: &[u8] = b"escrow";
/// `["extra-account-metas", mint]`: fixed by the transfer-hook interface.
pub const EXTRA_ACCOUNT_METAS_SEED: &[u8] = b"extra-account-metas";
/// v3: `["onboarded", config, wallet]`: the wallet may be minted to while onboarding is required.
pub const ONBOARDED_SEED: &[u8] = b"onboarded";

/// Largest council the program accepts (SPEC section 3: 1..=10 keys).
pub const MAX_COUNCIL_MEMBERS: usize = 10;
/// Token metadata limits: generous for a ticker, small enough to keep the mint cheap.
pub const MAX_NAME_LEN: usize = 32;
pub const MAX_SYMBOL_LEN: usize = 10;
pub const MAX_URI_LEN: usize = 200;
/// Largest number of decimals the mint may have.
pub const MAX_DECIMALS: u8 = 9;
/// A timelock longer than 30 days is almost certainly a typo in seconds.
pub const MAX_TIMELOCK_SECS: u64 = 30 * 24 * 60 * 60;
/// A proposal may live at most one year.
pub const MAX_PROPOSAL_TTL_SECS: u64 = 365 * 24 * 60 * 60;
/// v3: the least time a proposal leaves the council to reach its threshold:
/// `timelock_secs + MIN_APPROVAL_WINDOW_SECS <= proposal_ttl_secs` always (one day).
pub const MIN_APPROVAL_WINDOW_SECS: u64 = 24 * 60 * 60;

/// Extra accounts the transfer hook needs: Config and the DenylistRegistry, both at fixed
/// addresses written at initialize, so Token-2022 derives nothing for them on a transfer.
pub const HOOK_EXTRA_ACCOUNT_COUNT: usize = 2;
/// Most token accounts one `denylist_add`, `denylist_remove` or seizure takes (remaining accounts);
/// a transaction's size limits it to about this anyway. A wallet with more is frozen in further `freeze` calls.
pub const MAX_WALLET_TOKEN_ACCOUNTS: usize = 16;

/// The associated token account program (its addresses are where wallets keep their tokens).
pub const ASSOCIATED_TOKEN_PROGRAM_ID: anchor_lang::prelude::Pubkey =
    anchor_lang::pubkey!("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");

/// The SPL transfer-hook interface's `Execute` discriminator: what Token-2022 sends the hook.
pub const TRANSFER_HOOK_EXECUTE_DISCRIMINATOR: &[u8] = <spl_transfer_hook_interface::instruction::ExecuteInstruction as spl_discriminator::SplDiscriminate>::SPL_DISCRIMINATOR_SLICE;
