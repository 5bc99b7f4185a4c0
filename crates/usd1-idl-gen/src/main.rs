//! Prints `idl/usd1.json` to stdout. Used by `scripts/idl.sh`.
//!
//! Anchor's IDL builder compiles the program's tests with the `idl-build`
//! feature and reads the pieces they print; no `anchor` CLI or SBF toolchain
//! is needed. Three things Anchor cannot infer are added here, so that the
//! Anchor TypeScript client decodes and resolves everything (SPEC section 10):
//! - the account types the program writes by hand (MintReceipt, DenylistEntry,
//!   DenylistRegistry: created without `Account<T>` so that a reused reference is
//!   `DuplicateReference`), printed by the program's
//!   `__anchor_private_print_idl_written_accounts` test;
//! - `account: "TokenAccount"` on seeds that read a token account's field
//!   (`recipient_token.owner`), which Anchor leaves untyped for an unchecked account
//!   and its TypeScript resolver then cannot follow;
//! - the seeds, address and doc lines of the two accounts `#[event_cpi]` appends;
//! - no relation from the mint to the Config derived from it (which cannot be followed);
//! - the seed `params.key`, which Anchor writes as `params`.
use anyhow::{bail, Context};
use anchor_lang_idl::types::{
    Idl, IdlAccount, IdlDefinedFields, IdlInstruction, IdlInstructionAccountItem, IdlPda, IdlSeed, IdlSeedAccount, IdlSeedArg, IdlSeedConst, IdlType,
    IdlTypeDef, IdlTypeDefTy,
};
use std::{path::PathBuf, process::Command};

const WRITTEN_ACCOUNTS_TEST: &str = "__anchor_private_print_idl_written_accounts";
const BEGIN: &str = "--- USD1 IDL written account ---";
const END: &str = "--- USD1 IDL end written account ---";

fn main() -> anyhow::Result<()> {
    let program_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../programs/usd1").canonicalize().context("programs/usd1 not found")?;
    // The builder prepends `+$RUSTUP_TOOLCHAIN` to its cargo call when the variable is
    // set (as it is under `cargo run`), which this toolchain does not accept.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    // It also sets RUSTFLAGS; a separate target directory keeps the main build's cache intact.
    if std::env::var_os("CARGO_TARGET_DIR").is_none() {
        let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/idl");
        std::env::set_var("CARGO_TARGET_DIR", target);
    }
    let idl = anchor_lang_idl::build::IdlBuilder::new()
        .program_path(program_path.clone())
        .build()
        .context("building the IDL failed (run with ANCHOR_LOG=1 for the compiler output)")?;
    let mut idl = idl;
    add_written_accounts(&mut idl, written_accounts(&program_path)?);
    let program_id = idl.address.clone();
    let structs_with_key: Vec<String> = idl
        .types
        .iter()
        .filter(|ty| matches!(&ty.ty, IdlTypeDefTy::Struct { fields: Some(IdlDefinedFields::Named(fields)) } if fields.iter().any(|field| field.name == "key")))
        .map(|ty| ty.name.clone())
        .collect();
    for instruction in &mut idl.instructions {
        complete_accounts(&mut instruction.accounts, &program_id);
        drop_circular_relations(&mut instruction.accounts);
        restore_key_field_seeds(instruction, &structs_with_key);
        document_arguments(instruction)?;
    }
    println!("{}", serde_json::to_string_pretty(&idl)?);
    Ok(())
}

/// Runs the program's written-accounts test with the builder's own flags (so the compiled
/// test binary is reused) and returns what it printed: `{name, discriminator, types}` each.
fn written_accounts(program_path: &PathBuf) -> anyhow::Result<Vec<WrittenAccount>> {
    let output = Command::new("cargo")
        .args(["test", WRITTEN_ACCOUNTS_TEST, "--features", "idl-build", "--", "--show-output", "--quiet"])
        .env("ANCHOR_IDL_BUILD_NO_DOCS", "FALSE")
        .env("ANCHOR_IDL_BUILD_RESOLUTION", "TRUE")
        .env("ANCHOR_IDL_BUILD_SKIP_LINT", "FALSE")
        .env("ANCHOR_IDL_BUILD_PROGRAM_PATH", program_path)
        .env("RUSTFLAGS", "-A warnings")
        .current_dir(program_path)
        .output()
        .context("running cargo for the written account types")?;
    if !output.status.success() {
        bail!("the written-accounts test failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut accounts = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in stdout.lines() {
        match (line, current.as_mut()) {
            (BEGIN, _) => current = Some(Vec::new()),
            (END, Some(lines)) => {
                accounts.push(serde_json::from_str(&lines.join("\n")).context("a written account did not parse")?);
                current = None;
            }
            (_, Some(lines)) => lines.push(line),
            _ => {}
        }
    }
    if accounts.is_empty() {
        bail!("the written-accounts test printed nothing");
    }
    Ok(accounts)
}

/// What the program's written-accounts test prints for each account type.
#[derive(serde::Deserialize)]
struct WrittenAccount {
    account: IdlAccount,
    types: Vec<IdlTypeDef>,
}

fn add_written_accounts(idl: &mut Idl, written: Vec<WrittenAccount>) {
    for WrittenAccount { account, types } in written {
        if !idl.accounts.iter().any(|existing| existing.name == account.name) {
            idl.accounts.push(account);
        }
        for ty in types {
            if !idl.types.iter().any(|existing| existing.name == ty.name) {
                idl.types.push(ty);
            }
        }
    }
    // Anchor's own order: by name.
    idl.accounts.sort_by(|a, b| a.name.cmp(&b.name));
    idl.types.sort_by(|a, b| a.name.cmp(&b.name));
}

/// Types the seeds that read a token account's field (`recipient_token.owner`) and documents
/// the two accounts `#[event_cpi]` appends.
fn complete_accounts(items: &mut [IdlInstructionAccountItem], program_id: &str) {
    for item in items {
        let account = match item {
            IdlInstructionAccountItem::Single(account) => account,
            IdlInstructionAccountItem::Composite(composite) => {
                complete_accounts(&mut composite.accounts, program_id);
                continue;
            }
        };
        for seed in account.pda.iter_mut().flat_map(|pda| pda.seeds.iter_mut()) {
            if let IdlSeed::Account(IdlSeedAccount { path, account: ty @ None }) = seed {
                if path.ends_with(".owner") {
                    *ty = Some("TokenAccount".into());
                }
            }
        }
        match account.name.as_str() {
            "event_authority" if account.pda.is_none() => {
                account.docs = vec!["Anchor's event authority PDA (`[\"__event_authority\"]`): signs the program's emit_cpi! self-invocation.".into()];
                account.pda = Some(IdlPda { seeds: vec![IdlSeed::Const(IdlSeedConst { value: b"__event_authority".to_vec() })], program: None });
            }
            "program" if account.address.is_none() => {
                account.docs = vec!["This program: emit_cpi! invokes it with the event as its data.".into()];
                account.address = Some(program_id.to_string());
            }
            _ => {}
        }
    }
}

/// Rust has no doc comments on a function's parameters, so Anchor leaves every argument
/// undocumented: a `params` struct is described by its type (whose fields carry their doc
/// lines); the hook's `amount` is described here. An argument neither covers is an error.
fn document_arguments(instruction: &mut IdlInstruction) -> anyhow::Result<()> {
    for arg in instruction.args.iter_mut().filter(|arg| arg.docs.is_empty()) {
        arg.docs = match (instruction.name.as_str(), arg.name.as_str(), &arg.ty) {
            (_, "params", IdlType::Defined { name, .. }) => {
                vec![format!("The instruction's parameters: the type `{name}`, whose fields are each documented.")]
            }
            ("transfer_hook_execute", "amount", _) => {
                vec!["The base units Token-2022 is transferring (the hook decides by address and pause flag, never by amount).".into()]
            }
            (instruction_name, arg_name, _) => bail!("{instruction_name}.{arg_name} has no doc line: document it in crates/usd1-idl-gen"),
        };
    }
    Ok(())
}

/// Anchor reads a seed `params.key` as the `.key()` of `params` and writes the path
/// `params`; where the argument is a struct with a field `key`, the seed is that field.
fn restore_key_field_seeds(instruction: &mut IdlInstruction, structs_with_key: &[String]) {
    let key_args: Vec<String> = instruction
        .args
        .iter()
        .filter(|arg| matches!(&arg.ty, IdlType::Defined { name, .. } if structs_with_key.contains(name)))
        .map(|arg| arg.name.clone())
        .collect();
    for item in &mut instruction.accounts {
        let IdlInstructionAccountItem::Single(account) = item else { continue };
        for seed in account.pda.iter_mut().flat_map(|pda| pda.seeds.iter_mut()) {
            if let IdlSeed::Arg(IdlSeedArg { path }) = seed {
                if key_args.contains(path) {
                    path.push_str(".key");
                }
            }
        }
    }
}

/// A relation that points at an account derived from this one (the mint of a Config whose
/// seed is the mint) cannot be followed: drop it, so the caller passes the account.
fn drop_circular_relations(items: &mut [IdlInstructionAccountItem]) {
    let derived_from: Vec<(String, Vec<String>)> = items
        .iter()
        .filter_map(|item| match item {
            IdlInstructionAccountItem::Single(account) => Some((
                account.name.clone(),
                account
                    .pda
                    .iter()
                    .flat_map(|pda| pda.seeds.iter())
                    .filter_map(|seed| match seed {
                        IdlSeed::Account(IdlSeedAccount { path, .. }) => Some(path.clone()),
                        _ => None,
                    })
                    .collect(),
            )),
            IdlInstructionAccountItem::Composite(_) => None,
        })
        .collect();
    for item in items {
        if let IdlInstructionAccountItem::Single(account) = item {
            let name = account.name.clone();
            account.relations.retain(|related| {
                !derived_from.iter().any(|(other, seeds)| other == related && seeds.iter().any(|seed| *seed == name))
            });
        }
    }
}
