//! For `usd1-idl-gen` only: the account types the program creates by hand rather than
//! through `Account<T>` (so that a reused reference is `DuplicateReference` and a missing
//! denylist entry means "not listed"), which Anchor's IDL builder therefore leaves out.
//! `cargo test __anchor_private_print_idl_written_accounts --features idl-build` prints
//! each one's IDL account and type; the generator adds them to `idl/usd1.json`.
use crate::state::{DenylistEntry, DenylistRegistry, MintReceipt};
use anchor_lang::{
    idl::{build::IdlBuild, serde_json, types::IdlAccount},
    Discriminator,
};

fn print<T: IdlBuild + Discriminator>() {
    let mut ty = T::create_type().expect("an #[account] type has an IDL type");
    // The builder shortens module paths itself; these types reference no other defined type.
    ty.name = ty.name.rsplit("::").next().unwrap_or_default().to_string();
    let mut nested = std::collections::BTreeMap::new();
    T::insert_types(&mut nested);
    assert!(nested.is_empty(), "{} references other types: extend usd1-idl-gen", ty.name);
    let account = IdlAccount { name: ty.name.clone(), discriminator: T::DISCRIMINATOR.to_vec() };
    println!("--- USD1 IDL written account ---");
    println!("{}", serde_json::json!({ "account": account, "types": [ty] }));
    println!("--- USD1 IDL end written account ---");
}

#[test]
fn __anchor_private_print_idl_written_accounts() {
    print::<MintReceipt>();
    print::<DenylistEntry>();
    print::<DenylistRegistry>();
}
