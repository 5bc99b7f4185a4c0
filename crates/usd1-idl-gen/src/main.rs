//! Prints `idl/usd1.json` to stdout. Used by `scripts/idl.sh`.
//!
//! Anchor's IDL builder compiles the program's tests with the `idl-build`
//! feature and reads the pieces they print; no `anchor` CLI or SBF toolchain
//! is needed.
use anyhow::Context;
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let program_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../programs/usd1");
    // The builder prepends `+$RUSTUP_TOOLCHAIN` to its cargo call when the variable is
    // set (as it is under `cargo run`), which this toolchain does not accept.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    // It also sets RUSTFLAGS; a separate target directory keeps the main build's cache intact.
    if std::env::var_os("CARGO_TARGET_DIR").is_none() {
        let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/idl");
        std::env::set_var("CARGO_TARGET_DIR", target);
    }
    let idl = anchor_lang_idl::build::IdlBuilder::new()
        .program_path(program_path.canonicalize().context("programs/usd1 not found")?)
        .build()
        .context("building the IDL failed (run with ANCHOR_LOG=1 for the compiler output)")?;
    println!("{}", serde_json::to_string_pretty(&idl)?);
    Ok(())
}
