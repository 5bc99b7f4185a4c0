//! USD1 off-chain controls: an event index in SQLite, reconciliation of supply
//! against the reserve ledger, and monitoring rules over indexed events.
//!
//! Input is the record format of `usd1 drill run --record` (one JSON object per
//! transaction: `signature`, `slot`, `block_time`, `events`), read from a file or
//! produced from a cluster by the CLI. Everything streams: memory stays flat
//! whatever the size of the input.
pub mod index;
pub mod monitor;
pub mod reconcile;
pub mod redemptions;
pub mod report;
pub mod charts;
pub mod store;

pub use index::{index_cluster_records, index_file, index_records, IndexSummary};
pub use store::Store;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Malformed(String),
    #[error("line {line}: {reason}")]
    MalformedLine { line: u64, reason: String },
    #[error("seq {seq} of mint {mint} appears in two transactions ({first} and {second})")]
    Conflict { mint: String, seq: u64, first: String, second: String },
}
