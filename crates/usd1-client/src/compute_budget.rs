//! Compute-unit limits: what each instruction may consume, from the program's own costs measured
//! on the `.so` in the SBF VM (BENCHMARKS.md, "Compute-unit limits"), with margin.
//!
//! A transaction without a limit is given 200,000 units per instruction, and a priority fee is paid
//! per unit *requested*: asking for what an instruction needs makes the fee of an urgent
//! transaction (an emergency pause on a busy cluster) small and predictable, and a block packer
//! schedules a small request sooner. Every figure below is the largest total measured for that
//! instruction on the `.so` (worst case: the most accounts it accepts, the longest strings, the
//! fullest lists), plus [`MARGIN_PERCENT`] and a fixed [`MARGIN_UNITS`] for what varies with keys
//! (bump searches of program addresses cost about 1,500 units per step, and Token-2022's search
//! for the hook's account list makes one transfer differ from another). The SBF test suite runs
//! every instruction under these limits (`tests/tests/program/costs.rs`), so a change to the program
//! that outgrows one fails there before a client meets it.
//!
//! ```
//! # use solana_pubkey::Pubkey;
//! use usd1_client::{compute_budget, instructions, PauseScope};
//! let (pauser, mint) = (Pubkey::new_unique(), Pubkey::new_unique());
//! let pause = instructions::pause(&pauser, &mint, PauseScope::All);
//! let transaction = compute_budget::with_compute_budget(&[pause], Some(50_000));
//! // The pause itself, then the limit and the priority fee (so error indexes stay those of the caller's instructions).
//! assert_eq!(transaction.len(), 3);
//! // Far below the 200,000 units the runtime would reserve for it by default.
//! assert!(compute_budget::transaction_units(&transaction[..1]) < compute_budget::DEFAULT_INSTRUCTION_UNITS / 3);
//! ```
use anchor_lang::Discriminator;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_instruction::Instruction;
use usd1::instruction as program_instruction;

/// The runtime's ceiling for one transaction.
pub const MAX_TRANSACTION_UNITS: u32 = 1_400_000;
/// What the runtime gives an instruction when the transaction names no limit: the figure used
/// for an instruction of a program this table does not know.
pub const DEFAULT_INSTRUCTION_UNITS: u32 = 200_000;
/// Relative margin over the largest measured figure.
pub const MARGIN_PERCENT: u32 = 25;
/// Fixed margin over the largest measured figure: twenty more steps of the key-dependent bump
/// searches (1,500 units each) than the worst key measured. A hostile party who grinds a key
/// past that (a wallet whose DenylistEntry address takes a longer search) is met by the CLI,
/// which sizes the limit from a simulation when the published one would not do.
pub const MARGIN_UNITS: u32 = 30_000;
/// A builtin instruction (system program: nonce advance, account creation; compute budget).
pub const BUILTIN_INSTRUCTION_UNITS: u32 = 3_000;

/// One instruction's measured cost on the `.so`: `base` for the instruction with its fixed
/// accounts, `per_extra_account` for each account past `fixed_accounts` (token accounts a
/// denylist change freezes or thaws, a seizure's source accounts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasuredCost {
    /// The SPEC name of the instruction.
    pub name: &'static str,
    /// Largest total measured with the fixed accounts only (USD1 and every program it calls).
    pub base: u32,
    /// Accounts the instruction always takes (the ones its builder passes without extras).
    pub fixed_accounts: usize,
    /// Measured units per account past `fixed_accounts`.
    pub per_extra_account: u32,
}

const fn cost(name: &'static str, base: u32, fixed_accounts: usize, per_extra_account: u32) -> MeasuredCost {
    MeasuredCost { name, base, fixed_accounts, per_extra_account }
}

/// The largest totals measured on the `.so` (`cargo test -p usd1-tests --test program costs::
/// -- --nocapture` with `USD1_SBF_OUT_DIR`, worst cases; see BENCHMARKS.md).
pub const MEASURED: &[(&[u8], MeasuredCost)] = &[
    (program_instruction::Initialize::DISCRIMINATOR, cost("initialize", 76_000, 0, 0)),
    (program_instruction::TransferAdmin::DISCRIMINATOR, cost("transfer_admin", 36_000, 0, 0)),
    (program_instruction::AcceptAdmin::DISCRIMINATOR, cost("accept_admin", 36_000, 0, 0)),
    (program_instruction::SetRole::DISCRIMINATOR, cost("set_role", 19_000, 0, 0)),
    (program_instruction::UpdateConfig::DISCRIMINATOR, cost("update_config", 11_000, 0, 0)),
    (program_instruction::UpdateMetadata::DISCRIMINATOR, cost("update_metadata", 41_000, 0, 0)),
    (program_instruction::Pause::DISCRIMINATOR, cost("pause", 14_000, 0, 0)),
    (program_instruction::Unpause::DISCRIMINATOR, cost("unpause", 14_000, 0, 0)),
    (program_instruction::ConfigureMinter::DISCRIMINATOR, cost("configure_minter", 26_000, 0, 0)),
    (program_instruction::RemoveMinter::DISCRIMINATOR, cost("remove_minter", 19_000, 0, 0)),
    (program_instruction::DecreaseAllowance::DISCRIMINATOR, cost("decrease_allowance", 19_000, 0, 0)),
    (program_instruction::Propose::DISCRIMINATOR, cost("propose", 35_000, 10, 4_000)),
    (program_instruction::Approve::DISCRIMINATOR, cost("approve", 24_000, 0, 0)),
    (program_instruction::Reject::DISCRIMINATOR, cost("reject", 15_000, 0, 0)),
    (program_instruction::Execute::DISCRIMINATOR, cost("execute", 30_000, 13, 10_500)),
    (program_instruction::Cancel::DISCRIMINATOR, cost("cancel", 14_000, 0, 0)),
    (program_instruction::Mint::DISCRIMINATOR, cost("mint", 49_000, 0, 0)),
    (program_instruction::RequestRedemption::DISCRIMINATOR, cost("request_redemption", 46_000, 0, 0)),
    (program_instruction::CompleteRedemption::DISCRIMINATOR, cost("complete_redemption", 23_000, 0, 0)),
    (program_instruction::RejectRedemption::DISCRIMINATOR, cost("reject_redemption", 47_000, 0, 0)),
    (program_instruction::Burn::DISCRIMINATOR, cost("burn", 17_000, 0, 0)),
    (program_instruction::SweepEscrow::DISCRIMINATOR, cost("sweep_escrow", 43_000, 0, 0)),
    (program_instruction::DenylistAdd::DISCRIMINATOR, cost("denylist_add", 22_000, 9, 4_600)),
    (program_instruction::DenylistRemove::DISCRIMINATOR, cost("denylist_remove", 18_000, 8, 4_200)),
    (program_instruction::Freeze::DISCRIMINATOR, cost("freeze", 26_000, 0, 0)),
    (program_instruction::Thaw::DISCRIMINATOR, cost("thaw", 26_000, 0, 0)),
    (program_instruction::AttestReserves::DISCRIMINATOR, cost("attest_reserves", 12_000, 0, 0)),
    (program_instruction::CheckSupply::DISCRIMINATOR, cost("check_supply", 13_000, 0, 0)),
    (program_instruction::Onboard::DISCRIMINATOR, cost("onboard", 25_000, 0, 0)),
    (program_instruction::Offboard::DISCRIMINATOR, cost("offboard", 15_000, 0, 0)),
];

/// A Token-2022 `TransferChecked` of the USD1 mint: Token-2022 with its search for the hook's
/// account list (the worst key measured) and the hook.
pub const HOOKED_TRANSFER: MeasuredCost = cost("transfer_checked (through the hook)", 38_000, 0, 0);
/// Creating an associated token account (idempotent) of the USD1 mint: ImmutableOwner and the
/// DefaultAccountState extension's freeze included.
pub const CREATE_ASSOCIATED_ACCOUNT: MeasuredCost = cost("create associated token account", 26_000, 0, 0);

/// `units` plus the margins, rounded up to a thousand.
pub const fn with_margin(units: u32) -> u32 {
    let padded = units as u64 * (100 + MARGIN_PERCENT as u64) / 100 + MARGIN_UNITS as u64;
    let rounded = padded.div_ceil(1_000) * 1_000;
    if rounded > MAX_TRANSACTION_UNITS as u64 {
        MAX_TRANSACTION_UNITS
    } else {
        rounded as u32
    }
}

/// The measured cost of a USD1 instruction (None for another program's, or unknown data).
pub fn measured_cost(instruction: &Instruction) -> Option<MeasuredCost> {
    if instruction.program_id != usd1::ID || instruction.data.len() < 8 {
        return None;
    }
    MEASURED.iter().find(|(discriminator, _)| instruction.data.starts_with(discriminator)).map(|(_, cost)| *cost)
}

/// The limit for one instruction: its measured worst case with margin; a builtin's fixed cost; the
/// runtime's default for what this table does not know.
pub fn instruction_units(instruction: &Instruction) -> u32 {
    let measured = |cost: MeasuredCost| {
        let extra = instruction.accounts.len().saturating_sub(cost.fixed_accounts) as u32;
        with_margin(cost.base.saturating_add(cost.per_extra_account.saturating_mul(extra)))
    };
    if let Some(cost) = measured_cost(instruction) {
        return measured(cost);
    }
    let program = instruction.program_id;
    if program == solana_sdk_ids::system_program::ID || program == solana_sdk_ids::compute_budget::ID {
        BUILTIN_INSTRUCTION_UNITS
    } else if program == spl_token_2022_interface::ID && instruction.data.first() == Some(&12) {
        // TransferChecked (tag 12): through the hook when the mint is USD1's.
        measured(HOOKED_TRANSFER)
    } else if program == spl_associated_token_account_interface::program::ID {
        measured(CREATE_ASSOCIATED_ACCOUNT)
    } else {
        DEFAULT_INSTRUCTION_UNITS
    }
}

/// The limit for a transaction of `instructions` (their sum, at most the runtime's ceiling), with
/// room for the two compute-budget instructions [`with_compute_budget`] adds.
pub fn transaction_units(instructions: &[Instruction]) -> u32 {
    let sum: u64 = instructions.iter().map(|instruction| u64::from(instruction_units(instruction))).sum::<u64>()
        + 2 * u64::from(BUILTIN_INSTRUCTION_UNITS);
    sum.min(u64::from(MAX_TRANSACTION_UNITS)) as u32
}

/// `instructions` followed by a compute-unit limit sized by [`transaction_units`] and, with
/// `unit_price` (micro-lamports per unit, the Solana CLI's `--with-compute-unit-price`), a
/// priority fee. They go last so that an error's instruction index stays the caller's (a nonce
/// advance must stay first). Instructions that already carry a compute-budget instruction are
/// returned as they are: the caller chose.
pub fn with_compute_budget(instructions: &[Instruction], unit_price: Option<u64>) -> Vec<Instruction> {
    with_compute_unit_limit(instructions, transaction_units(instructions), unit_price)
}

/// [`with_compute_budget`] with a limit of the caller's (`units`, at most the runtime's ceiling).
pub fn with_compute_unit_limit(instructions: &[Instruction], units: u32, unit_price: Option<u64>) -> Vec<Instruction> {
    let mut all = instructions.to_vec();
    if instructions.iter().any(|instruction| instruction.program_id == solana_sdk_ids::compute_budget::ID) {
        return all;
    }
    all.push(ComputeBudgetInstruction::set_compute_unit_limit(units.min(MAX_TRANSACTION_UNITS)));
    if let Some(price) = unit_price {
        all.push(ComputeBudgetInstruction::set_compute_unit_price(price));
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_pubkey::Pubkey;

    #[test]
    fn every_program_instruction_has_a_measured_cost() {
        // The IDL's instruction list (minus the hook, which Token-2022 calls) against the table.
        let names: Vec<&str> = MEASURED.iter().map(|(_, cost)| cost.name).collect();
        for name in [
            "initialize", "transfer_admin", "accept_admin", "set_role", "update_config", "update_metadata", "pause", "unpause",
            "configure_minter", "remove_minter", "decrease_allowance", "propose", "approve", "reject", "execute", "cancel", "mint",
            "request_redemption", "complete_redemption", "reject_redemption", "burn", "sweep_escrow", "denylist_add",
            "denylist_remove", "freeze", "thaw", "attest_reserves", "check_supply", "onboard", "offboard",
        ] {
            assert!(names.contains(&name), "{name} has no measured cost");
        }
        let mut discriminators: Vec<&[u8]> = MEASURED.iter().map(|(discriminator, _)| *discriminator).collect();
        discriminators.sort();
        discriminators.dedup();
        assert_eq!(discriminators.len(), MEASURED.len(), "two entries share a discriminator");
    }

    #[test]
    fn fixed_accounts_are_what_the_builders_pass_without_extras() {
        let (signer, mint, wallet) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let fixed = |name: &str| MEASURED.iter().find(|(_, cost)| cost.name == name).map(|(_, cost)| cost.fixed_accounts).unwrap();
        let execute = crate::instructions::execute(&signer, &mint, 0, &signer, None);
        assert_eq!(fixed("execute"), execute.accounts.len());
        let propose = crate::instructions::propose(&signer, &mint, 0, crate::ProposalKind::SetAllowance { minter: wallet, amount: 1 });
        assert_eq!(fixed("propose"), propose.accounts.len());
        assert_eq!(fixed("denylist_add"), crate::instructions::denylist_add(&signer, &mint, &wallet, [0; 32], &[]).accounts.len());
        assert_eq!(fixed("denylist_remove"), crate::instructions::denylist_remove(&signer, &mint, &wallet, &[]).accounts.len());
    }

    #[test]
    fn margin_rounds_up_and_never_passes_the_ceiling() {
        assert_eq!(with_margin(0), MARGIN_UNITS);
        assert!(with_margin(10_000) >= 10_000 * (100 + MARGIN_PERCENT) / 100 + MARGIN_UNITS);
        assert_eq!(with_margin(10_000) % 1_000, 0);
        assert_eq!(with_margin(u32::MAX), MAX_TRANSACTION_UNITS);
    }

    #[test]
    fn extra_accounts_raise_the_limit_and_unknown_programs_get_the_default() {
        let (denylister, mint, wallet) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let none = crate::instructions::denylist_add(&denylister, &mint, &wallet, [0; 32], &[]);
        let sixteen: Vec<Pubkey> = (0..16).map(|_| Pubkey::new_unique()).collect();
        let many = crate::instructions::denylist_add(&denylister, &mint, &wallet, [0; 32], &sixteen);
        assert!(instruction_units(&many) > instruction_units(&none));
        let unknown = Instruction { program_id: Pubkey::new_unique(), accounts: vec![], data: vec![1] };
        assert_eq!(instruction_units(&unknown), DEFAULT_INSTRUCTION_UNITS);
    }

    #[test]
    fn a_chosen_budget_is_kept_and_ours_goes_last() {
        let (pauser, mint) = (Pubkey::new_unique(), Pubkey::new_unique());
        let pause = crate::instructions::pause(&pauser, &mint, crate::PauseScope::All);
        let chosen = ComputeBudgetInstruction::set_compute_unit_limit(1);
        assert_eq!(with_compute_budget(&[chosen.clone(), pause.clone()], Some(5)), vec![chosen, pause.clone()]);
        let built = with_compute_budget(&[pause.clone()], None);
        assert_eq!(built[0], pause);
        assert_eq!(built[1], ComputeBudgetInstruction::set_compute_unit_limit(transaction_units(&[pause])));
        assert_eq!(built.len(), 2);
    }
}
