//! What to do about an error, by its stable name.

pub fn hint(name: &str) -> &'static str {
    match name {
        "ComputationalBudgetExceeded" => "the transaction ran out of its compute-unit limit and changed nothing: send it again with a higher --compute-unit-limit (at most 1400000), the same on every machine that signs it",
        "NonceAdvanced" => "this kit transaction's nonce was used or replaced: it can never be sent; prepare the kit again",
        "DescriptionMismatch" => "this kit file's description does not match what its signed transaction does (edited or swapped): do not fire it; prepare the kit again",
        "SignatureMismatch" => "a signature in this kit file does not match its transaction (corrupted or edited): prepare the kit again",
        "NonceAccountMissing" => "this kit transaction's nonce account is gone: prepare the kit again",
        "Unauthorized" => "sign with the key that holds the role (see `usd1 status`); a minter also needs `configure_minter`",
        "MintingPaused" => "minting is paused: the pauser must `unpause --scope mint` first",
        "RedemptionsPaused" => "redemptions are paused: the pauser must `unpause --scope redeem` first",
        "InvalidAmount" => "amounts must be greater than zero",
        "AllowanceExceeded" => "the minter's allowance is too low: the council raises it with `propose set-allowance`",
        "RateLimited" => "the minter's rate limit is spent: wait for it to refill or split the mint",
        "SupplyCapExceeded" => "the supply cap would be passed: the admin may raise it with `update-config --supply-cap`",
        "ReserveExceeded" => "supply would exceed attested reserves: the attester must publish a new attestation first",
        "AttestationStale" => "the reserve attestation is too old: the attester must `attest-reserves` again",
        "DuplicateReference" => "this reference was already used: the deposit was minted (or the ticket processed) before; do not retry under a new reference",
        "Denylisted" => "a wallet involved is denylisted: the denylister must review it before anything moves",
        "NotCouncilMember" => "only current council members may do this (see `usd1 status`)",
        "AlreadyApproved" => "this council member already approved the proposal",
        "AlreadyVoted" => "this council member already voted on the proposal (each member votes once, for or against)",
        "ProposalRejected" => "the council voted this proposal down: anyone may `cancel` it; propose again if the case changes",
        "CouncilRequired" => "one key may only tighten: loosening goes through `propose update-config` or `propose set-rate-limit`",
        "MintExpired" => "the signed mint's valid_until passed: prepare and sign it again (`--valid-for` / `--valid-until`)",
        "SelfApproval" => "a minter never approves its own allowance: another council member must",
        "ThresholdNotMet" => "the proposal needs more council approvals",
        "TimelockActive" => "the timelock has not elapsed: see `usd1 proposals` for when it can execute",
        "ProposalExpired" => "the proposal expired: cancel it and propose again",
        "ProposalStale" => "the council or the minter changed since the proposal: cancel it and propose again",
        "InvalidThreshold" => "the council needs 1 <= threshold <= members <= 10 and no duplicate members",
        "NoPendingAdmin" => "no handover is pending: the admin starts one with `transfer-admin`",
        "RedemptionNotPending" => "this redemption was already completed or rejected",
        "RoleConflict" => "the admin may hold no other role, council seat or minter; role keys must be set and distinct from the admin (and pending admin)",
        "MinterNotActive" => "the minter is not configured (or was removed): `configure-minter` first",
        "NotDenylisted" => "the wallet is not denylisted",
        "ProtectedAccount" => "the program's own Config and Escrow cannot be denylisted or frozen",
        "AlreadyInitialized" => "this mint is already initialized: use a fresh --mint-keypair",
        "TransfersPaused" => "holder transfers are paused: the pauser must `unpause --scope transfers`",
        "InvalidRecipient" => "the Escrow and other Config-owned accounts never receive mints or seizures: name a holder's account",
        "SeizureExceedsBalance" => "the owner's token accounts hold less than the seizure amount: check `usd1 status` and propose the amount they hold",
        "DuplicateAccount" => "the same token account was listed twice",
        "TooManyAccounts" => "too many token accounts for one instruction: freeze the rest with `freeze --account`",
        "NothingToSweep" => "the Escrow holds only open redemption requests: nothing to sweep",
        "MissingAccount" => "an account this proposal kind needs was not passed: execute it with the usd1 CLI or client, which add them",
        "AccountMismatch" => "an account passed is not the one derived for it: rebuild the transaction with the client",
        "OwnerNotImmutable" => "USD1 only reaches token accounts whose owner can never change: use an associated account, or create one with ImmutableOwner (`usd1 token-account`)",
        "InvalidTokenAccount" => "the token account is not of this mint or not owned by the expected wallet",
        "Token2022:MintPaused" => "everything is paused (pause all sets Token-2022 Pausable): the pauser must `unpause --scope all`",
        "Token2022:AccountFrozen" => "the token account is frozen: the denylister must `thaw` it",
        "Token2022:InsufficientFunds" => "the balance is too low for this amount",
        "Anchor:AccountNotInitialized" => "an account does not exist: a proposal already executed or cancelled, an unknown id or reference",
        _ => "see the SPEC's error list and `usd1 status`",
    }
}

/// When the system program refused a transfer for lack of lamports (the rent of an account
/// the transaction creates), the lamports there and needed, from its log line
/// `Transfer: insufficient lamports HAVE, need NEED`.
pub fn funds_hint(logs: &[String]) -> Option<String> {
    let line = logs.iter().find(|line| line.contains("insufficient lamports"))?;
    let tail = line.split("insufficient lamports").nth(1)?;
    let numbers: Vec<u64> = tail.split(|c: char| !c.is_ascii_digit()).filter_map(|part| part.parse().ok()).collect();
    let [have, need] = numbers[..] else { return None };
    Some(format!(
        "short of SOL for the rent of an account this transaction creates: the key paying it (the fee payer, or the role's signer for the program's own accounts: `usd1 accounts` shows each one's SOL) has {have} lamports ({} SOL) and needs {need} ({} SOL); fund it and run the same command again",
        crate::chain::lamports_as_sol(have),
        crate::chain::lamports_as_sol(need)
    ))
}
