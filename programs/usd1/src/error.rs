//! Stable error names (SPEC section 6). Codes start at 6000; append only, never reorder.
use anchor_lang::prelude::*;

#[error_code]
pub enum Usd1Error {
    #[msg("The signer does not hold the role this instruction needs")]
    Unauthorized,
    #[msg("Minting is paused")]
    MintingPaused,
    #[msg("Redemptions are paused")]
    RedemptionsPaused,
    #[msg("Amount must be greater than zero")]
    InvalidAmount,
    #[msg("Amount exceeds the minter's remaining allowance")]
    AllowanceExceeded,
    #[msg("Minter rate limit reached; wait for the bucket to refill")]
    RateLimited,
    #[msg("Mint would exceed the supply cap")]
    SupplyCapExceeded,
    #[msg("Supply after the mint would exceed the attested reserves")]
    ReserveExceeded,
    #[msg("The reserve attestation is older than its maximum age")]
    AttestationStale,
    #[msg("This reference was already used")]
    DuplicateReference,
    #[msg("The wallet is denylisted")]
    Denylisted,
    #[msg("The signer is not a member of the current council")]
    NotCouncilMember,
    #[msg("This council member already approved the proposal")]
    AlreadyApproved,
    #[msg("A minter cannot approve its own allowance")]
    SelfApproval,
    #[msg("The proposal does not have enough approvals")]
    ThresholdNotMet,
    #[msg("The proposal's timelock has not elapsed")]
    TimelockActive,
    #[msg("The proposal has expired")]
    ProposalExpired,
    #[msg("The council changed after this proposal was created")]
    ProposalStale,
    #[msg("Council threshold must satisfy 1 <= threshold <= members <= 10, without duplicate members")]
    InvalidThreshold,
    #[msg("No admin transfer is pending")]
    NoPendingAdmin,
    #[msg("The redemption request is not pending")]
    RedemptionNotPending,
    // ---- additions beyond SPEC section 6 (append only) ----
    #[msg("A configuration value is out of range")]
    InvalidConfig,
    #[msg("Token metadata field is empty or too long")]
    InvalidMetadata,
    #[msg("A role key must be set and must differ from the admin key")]
    RoleConflict,
    #[msg("Arithmetic overflow")]
    MathOverflow,
    #[msg("The mint account is not this config's mint")]
    InvalidMint,
    #[msg("The token account does not belong to this mint or owner")]
    InvalidTokenAccount,
    #[msg("The transfer hook was invoked outside a Token-2022 transfer")]
    NotTransferring,
    #[msg("Nothing to update: every field was empty")]
    NothingToUpdate,
    #[msg("This mint is already initialized; initialize needs a fresh mint keypair")]
    AlreadyInitialized,
    #[msg("The minter is not active (never configured, or removed)")]
    MinterNotActive,
    #[msg("Reserve attestation is in the future or older than the current one")]
    InvalidAttestation,
    #[msg("The proposal is not for this minter, or the minter account is missing")]
    ProposalMinterMismatch,
    #[msg("The wallet is not denylisted")]
    NotDenylisted,
    #[msg("The program's own accounts (Config, Escrow) cannot be denylisted or frozen")]
    ProtectedAccount,
    // ---- v2 (SPEC section 6; append only) ----
    #[msg("Holder transfers are paused")]
    TransfersPaused,
    #[msg("The recipient is the Escrow or another account the Config owns")]
    InvalidRecipient,
    #[msg("The owner's token accounts given hold less than the seizure amount")]
    SeizureExceedsBalance,
    #[msg("The same token account was given twice")]
    DuplicateAccount,
    #[msg("Too many token accounts for one instruction")]
    TooManyAccounts,
    #[msg("The Escrow holds nothing beyond its open redemption requests")]
    NothingToSweep,
    #[msg("An account this proposal kind needs was not given")]
    MissingAccount,
    #[msg("An account is not the one this instruction derives for it")]
    AccountMismatch,
    #[msg("A token account that receives USD1 must have the ImmutableOwner extension (associated accounts do)")]
    OwnerNotImmutable,
    // ---- v2 governance (SPEC section 6; append only) ----
    #[msg("This council member already voted on the proposal")]
    AlreadyVoted,
    #[msg("The council rejected this proposal")]
    ProposalRejected,
    #[msg("Loosening a limit needs a council proposal")]
    CouncilRequired,
    #[msg("The mint's valid_until has passed")]
    MintExpired,
    // ---- v3 (SPEC section 6; append only) ----
    #[msg("An open seize proposal names this wallet: it stays denylisted until the proposal is executed or cancelled")]
    SeizurePending,
    #[msg("Onboarding is required and the recipient's owner is not onboarded")]
    NotOnboarded,
    #[msg("The wallet is already onboarded")]
    AlreadyOnboarded,
}
