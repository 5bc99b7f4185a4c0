pub mod config;
pub mod minter;
pub mod proposal;
pub mod receipt;

pub use config::*;
pub use minter::*;
pub use proposal::*;
pub use receipt::*;
