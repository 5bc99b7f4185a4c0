//! One module per instruction. Every module's items are re-exported because
//! Anchor's `#[program]` expects the Accounts structs (and their generated client
//! modules) at the crate root; the per-module `handler` names overlap on purpose
//! and are always called by path.
#![allow(ambiguous_glob_reexports)]

pub mod accept_admin;
pub mod approve;
pub mod attest_reserves;
pub mod burn;
pub mod cancel;
pub mod check_supply;
pub mod complete_redemption;
pub mod configure_minter;
pub mod decrease_allowance;
pub mod denylist_add;
pub mod denylist_remove;
pub mod execute;
pub mod freeze;
pub mod initialize;
pub mod mint;
pub mod offboard;
pub mod onboard;
pub mod pause;
pub mod propose;
pub mod reject;
pub mod reject_redemption;
pub mod remove_minter;
pub mod request_redemption;
pub mod set_role;
pub mod sweep_escrow;
pub mod thaw;
pub mod transfer_admin;
pub mod transfer_hook_execute;
pub mod unpause;
pub mod update_config;
pub mod update_metadata;

pub use accept_admin::*;
pub use approve::*;
pub use attest_reserves::*;
pub use burn::*;
pub use cancel::*;
pub use check_supply::*;
pub use complete_redemption::*;
pub use configure_minter::*;
pub use decrease_allowance::*;
pub use denylist_add::*;
pub use denylist_remove::*;
pub use execute::*;
pub use freeze::*;
pub use initialize::*;
pub use mint::*;
pub use offboard::*;
pub use onboard::*;
pub use pause::*;
pub use propose::*;
pub use reject::*;
pub use reject_redemption::*;
pub use remove_minter::*;
pub use request_redemption::*;
pub use set_role::*;
pub use sweep_escrow::*;
pub use transfer_admin::*;
pub use transfer_hook_execute::*;
pub use update_config::*;
pub use update_metadata::*;
