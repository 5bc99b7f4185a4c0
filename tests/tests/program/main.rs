//! USD1 program tests on the embedded ledger: one module per capability.
mod harness;

mod admin;
mod adversarial;
mod config;
mod governance;
mod costs;
mod council_recovery;
mod denylist;
mod initialize;
mod integrator_fixtures;
mod metadata;
mod mint;
mod minters;
mod onboarding;
mod pause;
mod properties;
mod proposals;
mod redemption;
mod reserves;
mod roles;
mod seizure;
mod stress;
mod supply;
mod transfer_hook;
