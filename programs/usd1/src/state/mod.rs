pub mod config;
pub mod denylist;
pub mod minter;
pub mod onboarded;
pub mod proposal;
pub mod receipt;
pub mod redemption;

pub use config::*;
pub use denylist::*;
pub use minter::*;
pub use onboarded::*;
pub use proposal::*;
pub use receipt::*;
pub use redemption::*;
