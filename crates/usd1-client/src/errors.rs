//! Error codes to stable names (SPEC section 6).
//!
//! Program errors keep their SPEC names (`DuplicateReference`); errors raised by
//! Token-2022 itself read `Token2022:<variant>` (`Token2022:MintPaused`); Anchor's
//! framework errors read `Anchor:<name>`.
//!
//! ```
//! use usd1_client::errors::{program_error_code, program_error_name};
//! let code = program_error_code("DuplicateReference").unwrap();
//! assert!(code >= 6000);
//! assert_eq!(program_error_name(code), Some("DuplicateReference"));
//! ```
use solana_pubkey::Pubkey;
use usd1::error::Usd1Error;

/// Every program error, in code order. The match below fails to compile when a
/// variant is added to the program but not here.
const PROGRAM_ERRORS: &[(Usd1Error, &str)] = {
    use Usd1Error::*;
    &[
        (Unauthorized, "Unauthorized"),
        (MintingPaused, "MintingPaused"),
        (RedemptionsPaused, "RedemptionsPaused"),
        (InvalidAmount, "InvalidAmount"),
        (AllowanceExceeded, "AllowanceExceeded"),
        (RateLimited, "RateLimited"),
        (SupplyCapExceeded, "SupplyCapExceeded"),
        (ReserveExceeded, "ReserveExceeded"),
        (AttestationStale, "AttestationStale"),
        (DuplicateReference, "DuplicateReference"),
        (Denylisted, "Denylisted"),
        (NotCouncilMember, "NotCouncilMember"),
        (AlreadyApproved, "AlreadyApproved"),
        (SelfApproval, "SelfApproval"),
        (ThresholdNotMet, "ThresholdNotMet"),
        (TimelockActive, "TimelockActive"),
        (ProposalExpired, "ProposalExpired"),
        (ProposalStale, "ProposalStale"),
        (InvalidThreshold, "InvalidThreshold"),
        (NoPendingAdmin, "NoPendingAdmin"),
        (RedemptionNotPending, "RedemptionNotPending"),
        (InvalidConfig, "InvalidConfig"),
        (InvalidMetadata, "InvalidMetadata"),
        (RoleConflict, "RoleConflict"),
        (MathOverflow, "MathOverflow"),
        (InvalidMint, "InvalidMint"),
        (InvalidTokenAccount, "InvalidTokenAccount"),
        (NotTransferring, "NotTransferring"),
        (NothingToUpdate, "NothingToUpdate"),
        (AlreadyInitialized, "AlreadyInitialized"),
        (MinterNotActive, "MinterNotActive"),
        (InvalidAttestation, "InvalidAttestation"),
        (ProposalMinterMismatch, "ProposalMinterMismatch"),
        (NotDenylisted, "NotDenylisted"),
        (ProtectedAccount, "ProtectedAccount"),
    ]
};

#[allow(dead_code)]
fn every_variant_is_listed(error: Usd1Error) {
    use Usd1Error::*;
    match error {
        Unauthorized | MintingPaused | RedemptionsPaused | InvalidAmount | AllowanceExceeded
        | RateLimited | SupplyCapExceeded | ReserveExceeded | AttestationStale
        | DuplicateReference | Denylisted | NotCouncilMember | AlreadyApproved | SelfApproval
        | ThresholdNotMet | TimelockActive | ProposalExpired | ProposalStale | InvalidThreshold
        | NoPendingAdmin | RedemptionNotPending | InvalidConfig | InvalidMetadata | RoleConflict
        | MathOverflow | InvalidMint | InvalidTokenAccount | NotTransferring | NothingToUpdate
        | AlreadyInitialized | MinterNotActive | InvalidAttestation | ProposalMinterMismatch
        | NotDenylisted | ProtectedAccount => {}
    }
}

fn code_of(error: Usd1Error) -> u32 {
    u32::from(error)
}

/// The SPEC name of a program error code.
pub fn program_error_name(code: u32) -> Option<&'static str> {
    PROGRAM_ERRORS.iter().find(|(error, _)| code_of(*error) == code).map(|(_, name)| *name)
}

/// The code of a program error name.
pub fn program_error_code(name: &str) -> Option<u32> {
    PROGRAM_ERRORS.iter().find(|(_, listed)| *listed == name).map(|(error, _)| code_of(*error))
}

/// All program error names, in code order.
pub fn program_error_names() -> impl Iterator<Item = &'static str> {
    PROGRAM_ERRORS.iter().map(|(_, name)| *name)
}

/// Names of the Anchor framework errors this program can return (codes 100..6000).
fn anchor_error_name(code: u32) -> Option<&'static str> {
    Some(match code {
        100 => "InstructionMissing",
        101 => "InstructionFallbackNotFound",
        102 => "InstructionDidNotDeserialize",
        2000 => "ConstraintMut",
        2001 => "ConstraintHasOne",
        2002 => "ConstraintSigner",
        2003 => "ConstraintRaw",
        2004 => "ConstraintOwner",
        2006 => "ConstraintSeeds",
        2011 => "ConstraintMintMintAuthority",
        2012 => "ConstraintAddress",
        2014 => "ConstraintTokenMint",
        2015 => "ConstraintTokenOwner",
        3001 => "AccountDiscriminatorNotFound",
        3002 => "AccountDiscriminatorMismatch",
        3003 => "AccountDidNotDeserialize",
        3005 => "AccountNotEnoughKeys",
        3006 => "AccountNotMutable",
        3007 => "AccountOwnedByWrongProgram",
        3008 => "InvalidProgramId",
        3009 => "InvalidProgramExecutable",
        3010 => "AccountNotSigner",
        3011 => "AccountNotSystemOwned",
        3012 => "AccountNotInitialized",
        3014 => "AccountNotProgramData",
        3017 => "AccountReallocExceedsLimit",
        _ => return None,
    })
}

fn token_2022_error_name(code: u32) -> Option<String> {
    let error: spl_token_2022_interface::error::TokenError = num_traits::FromPrimitive::from_u32(code)?;
    Some(format!("{error:?}"))
}

/// The system program's errors (solana-system-interface `SystemError`, in code order).
fn system_error_name(code: u32) -> Option<&'static str> {
    const NAMES: [&str; 9] = [
        "AccountAlreadyInUse",
        "ResultWithNegativeLamports",
        "InvalidProgramId",
        "InvalidAccountDataLength",
        "MaxSeedLengthExceeded",
        "AddressWithSeedMismatch",
        "NonceNoRecentBlockhashes",
        "NonceBlockhashNotExpired",
        "NonceUnexpectedBlockhashValue",
    ];
    NAMES.get(usize::try_from(code).ok()?).copied()
}

/// Name a custom error `code` raised by `program`: `DuplicateReference`,
/// `Token2022:MintPaused`, `System:AccountAlreadyInUse`, `Anchor:ConstraintSeeds`,
/// or `Custom:<program>:<code>`.
pub fn custom_error_name(program: Option<&Pubkey>, code: u32) -> String {
    let token_2022 = spl_token_2022_interface::ID;
    match program {
        Some(program) if *program == solana_sdk_ids::system_program::ID => system_error_name(code)
            .map(|name| format!("System:{name}"))
            .unwrap_or_else(|| format!("System:{code}")),
        Some(program) if *program == token_2022 => token_2022_error_name(code)
            .map(|name| format!("Token2022:{name}"))
            .unwrap_or_else(|| format!("Token2022:{code}")),
        Some(program) if *program != usd1::ID => format!("Custom:{program}:{code}"),
        _ => {
            if let Some(name) = program_error_name(code) {
                name.to_string()
            } else if let Some(name) = anchor_error_name(code) {
                format!("Anchor:{name}")
            } else {
                format!("Custom:{code}")
            }
        }
    }
}

/// The program whose custom error failed the transaction, read from the runtime's
/// log lines. The innermost failure is logged first, so the first match is the origin.
pub fn failing_program_from_logs(logs: &[String]) -> Option<Pubkey> {
    logs.iter().find_map(|line| {
        let rest = line.strip_prefix("Program ")?;
        let (program, tail) = rest.split_once(' ')?;
        if tail.starts_with("failed:") {
            program.parse().ok()
        } else {
            None
        }
    })
}
