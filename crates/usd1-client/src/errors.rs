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
use anchor_lang::error::ErrorCode as AnchorErrorCode;
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
        (TransfersPaused, "TransfersPaused"),
        (InvalidRecipient, "InvalidRecipient"),
        (SeizureExceedsBalance, "SeizureExceedsBalance"),
        (DuplicateAccount, "DuplicateAccount"),
        (TooManyAccounts, "TooManyAccounts"),
        (NothingToSweep, "NothingToSweep"),
        (MissingAccount, "MissingAccount"),
        (AccountMismatch, "AccountMismatch"),
        (OwnerNotImmutable, "OwnerNotImmutable"),
        (AlreadyVoted, "AlreadyVoted"),
        (ProposalRejected, "ProposalRejected"),
        (CouncilRequired, "CouncilRequired"),
        (MintExpired, "MintExpired"),
        (SeizurePending, "SeizurePending"),
        (NotOnboarded, "NotOnboarded"),
        (AlreadyOnboarded, "AlreadyOnboarded"),
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
        | NotDenylisted | ProtectedAccount | TransfersPaused | InvalidRecipient | SeizureExceedsBalance
        | DuplicateAccount | TooManyAccounts | NothingToSweep | MissingAccount | AccountMismatch | OwnerNotImmutable | AlreadyVoted | ProposalRejected
        | CouncilRequired | MintExpired | SeizurePending | NotOnboarded | AlreadyOnboarded => {}
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

/// Anchor's framework errors (anchor-lang 1.2.2 `ErrorCode`), every variant; codes come
/// from the enum itself (`u32::from`), so this list cannot drift from the numbers.
const ANCHOR_ERRORS: &[(AnchorErrorCode, &str)] = {
    use AnchorErrorCode::*;
    &[
        (InstructionMissing, "InstructionMissing"),
        (InstructionFallbackNotFound, "InstructionFallbackNotFound"),
        (InstructionDidNotDeserialize, "InstructionDidNotDeserialize"),
        (InstructionDidNotSerialize, "InstructionDidNotSerialize"),
        (IdlInstructionStub, "IdlInstructionStub"),
        (IdlInstructionInvalidProgram, "IdlInstructionInvalidProgram"),
        (IdlAccountNotEmpty, "IdlAccountNotEmpty"),
        (EventInstructionStub, "EventInstructionStub"),
        (ConstraintMut, "ConstraintMut"),
        (ConstraintHasOne, "ConstraintHasOne"),
        (ConstraintSigner, "ConstraintSigner"),
        (ConstraintRaw, "ConstraintRaw"),
        (ConstraintOwner, "ConstraintOwner"),
        (ConstraintRentExempt, "ConstraintRentExempt"),
        (ConstraintSeeds, "ConstraintSeeds"),
        (ConstraintExecutable, "ConstraintExecutable"),
        (ConstraintState, "ConstraintState"),
        (ConstraintAssociated, "ConstraintAssociated"),
        (ConstraintAssociatedInit, "ConstraintAssociatedInit"),
        (ConstraintClose, "ConstraintClose"),
        (ConstraintAddress, "ConstraintAddress"),
        (ConstraintZero, "ConstraintZero"),
        (ConstraintTokenMint, "ConstraintTokenMint"),
        (ConstraintTokenOwner, "ConstraintTokenOwner"),
        (ConstraintMintMintAuthority, "ConstraintMintMintAuthority"),
        (ConstraintMintFreezeAuthority, "ConstraintMintFreezeAuthority"),
        (ConstraintMintDecimals, "ConstraintMintDecimals"),
        (ConstraintSpace, "ConstraintSpace"),
        (ConstraintAccountIsNone, "ConstraintAccountIsNone"),
        (ConstraintTokenTokenProgram, "ConstraintTokenTokenProgram"),
        (ConstraintMintTokenProgram, "ConstraintMintTokenProgram"),
        (ConstraintAssociatedTokenTokenProgram, "ConstraintAssociatedTokenTokenProgram"),
        (ConstraintMintGroupPointerExtension, "ConstraintMintGroupPointerExtension"),
        (ConstraintMintGroupPointerExtensionAuthority, "ConstraintMintGroupPointerExtensionAuthority"),
        (ConstraintMintGroupPointerExtensionGroupAddress, "ConstraintMintGroupPointerExtensionGroupAddress"),
        (ConstraintMintGroupMemberPointerExtension, "ConstraintMintGroupMemberPointerExtension"),
        (ConstraintMintGroupMemberPointerExtensionAuthority, "ConstraintMintGroupMemberPointerExtensionAuthority"),
        (ConstraintMintGroupMemberPointerExtensionMemberAddress, "ConstraintMintGroupMemberPointerExtensionMemberAddress"),
        (ConstraintMintMetadataPointerExtension, "ConstraintMintMetadataPointerExtension"),
        (ConstraintMintMetadataPointerExtensionAuthority, "ConstraintMintMetadataPointerExtensionAuthority"),
        (ConstraintMintMetadataPointerExtensionMetadataAddress, "ConstraintMintMetadataPointerExtensionMetadataAddress"),
        (ConstraintMintCloseAuthorityExtension, "ConstraintMintCloseAuthorityExtension"),
        (ConstraintMintCloseAuthorityExtensionAuthority, "ConstraintMintCloseAuthorityExtensionAuthority"),
        (ConstraintMintPermanentDelegateExtension, "ConstraintMintPermanentDelegateExtension"),
        (ConstraintMintPermanentDelegateExtensionDelegate, "ConstraintMintPermanentDelegateExtensionDelegate"),
        (ConstraintMintTransferHookExtension, "ConstraintMintTransferHookExtension"),
        (ConstraintMintTransferHookExtensionAuthority, "ConstraintMintTransferHookExtensionAuthority"),
        (ConstraintMintTransferHookExtensionProgramId, "ConstraintMintTransferHookExtensionProgramId"),
        (ConstraintDuplicateMutableAccount, "ConstraintDuplicateMutableAccount"),
        (AccountAlreadyMigrated, "AccountAlreadyMigrated"),
        (AccountNotMigrated, "AccountNotMigrated"),
        (ConstraintMintPausableExtension, "ConstraintMintPausableExtension"),
        (ConstraintMintPausableAuthority, "ConstraintMintPausableAuthority"),
        (RequireViolated, "RequireViolated"),
        (RequireEqViolated, "RequireEqViolated"),
        (RequireKeysEqViolated, "RequireKeysEqViolated"),
        (RequireNeqViolated, "RequireNeqViolated"),
        (RequireKeysNeqViolated, "RequireKeysNeqViolated"),
        (RequireGtViolated, "RequireGtViolated"),
        (RequireGteViolated, "RequireGteViolated"),
        (AccountDiscriminatorAlreadySet, "AccountDiscriminatorAlreadySet"),
        (AccountDiscriminatorNotFound, "AccountDiscriminatorNotFound"),
        (AccountDiscriminatorMismatch, "AccountDiscriminatorMismatch"),
        (AccountDidNotDeserialize, "AccountDidNotDeserialize"),
        (AccountDidNotSerialize, "AccountDidNotSerialize"),
        (AccountNotEnoughKeys, "AccountNotEnoughKeys"),
        (AccountNotMutable, "AccountNotMutable"),
        (AccountOwnedByWrongProgram, "AccountOwnedByWrongProgram"),
        (InvalidProgramId, "InvalidProgramId"),
        (InvalidProgramExecutable, "InvalidProgramExecutable"),
        (AccountNotSigner, "AccountNotSigner"),
        (AccountNotSystemOwned, "AccountNotSystemOwned"),
        (AccountNotInitialized, "AccountNotInitialized"),
        (AccountNotProgramData, "AccountNotProgramData"),
        (AccountNotAssociatedTokenAccount, "AccountNotAssociatedTokenAccount"),
        (AccountSysvarMismatch, "AccountSysvarMismatch"),
        (AccountReallocExceedsLimit, "AccountReallocExceedsLimit"),
        (AccountDuplicateReallocs, "AccountDuplicateReallocs"),
        (DeclaredProgramIdMismatch, "DeclaredProgramIdMismatch"),
        (TryingToInitPayerAsProgramAccount, "TryingToInitPayerAsProgramAccount"),
        (InvalidNumericConversion, "InvalidNumericConversion"),
        (Deprecated, "Deprecated"),
    ]
};

fn anchor_error_name(code: u32) -> Option<&'static str> {
    ANCHOR_ERRORS.iter().find(|(error, _)| u32::from(*error) == code).map(|(_, name)| *name)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_raising_program() {
        let usd1 = usd1::ID;
        assert_eq!(custom_error_name(Some(&usd1), 6009), "DuplicateReference");
        assert_eq!(custom_error_name(Some(&usd1), 2040), "Anchor:ConstraintDuplicateMutableAccount");
        assert_eq!(custom_error_name(Some(&usd1), 3010), "Anchor:AccountNotSigner");
        assert_eq!(custom_error_name(Some(&usd1), 3014), "Anchor:AccountNotAssociatedTokenAccount");
        assert_eq!(custom_error_name(Some(&spl_token_2022_interface::ID), 17), "Token2022:AccountFrozen");
        assert_eq!(custom_error_name(Some(&solana_sdk_ids::system_program::ID), 0), "System:AccountAlreadyInUse");
        let other = Pubkey::new_unique();
        assert_eq!(custom_error_name(Some(&other), 3), format!("Custom:{other}:3"));
        assert_eq!(program_error_names().count(), PROGRAM_ERRORS.len());
    }

    #[test]
    fn the_failing_program_is_the_innermost_failure() {
        let logs = vec![
            "Program A invoke [1]".to_string(),
            format!("Program {} failed: custom program error: 0x11", spl_token_2022_interface::ID),
            format!("Program {} failed: custom program error: 0x11", usd1::ID),
        ];
        assert_eq!(failing_program_from_logs(&logs), Some(spl_token_2022_interface::ID));
    }
}
