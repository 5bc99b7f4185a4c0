// Compute-unit limits per instruction: the Rust client's `compute_budget` module, figure for figure
// (the fixtures test checks both give every instruction case the same limit). Each figure is the
// largest total measured for the instruction on the program's `.so` in the SBF VM (BENCHMARKS.md),
// padded by MARGIN_PERCENT and MARGIN_UNITS. A priority fee is paid per unit requested, so a
// transaction that asks for what it needs pays a small, predictable fee.
import { ComputeBudgetProgram, PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { ASSOCIATED_TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID } from "@solana/spl-token";
import { USD1_PROGRAM_ID } from "./pda.js";
import { IDL } from "./usd1.js";

/** The runtime's ceiling for one transaction. */
export const MAX_TRANSACTION_UNITS = 1_400_000;
/** The runtime's default per instruction: used for a program this table does not know. */
export const DEFAULT_INSTRUCTION_UNITS = 200_000;
export const MARGIN_PERCENT = 25;
export const MARGIN_UNITS = 30_000;
/** A builtin instruction (system program, compute budget). */
export const BUILTIN_INSTRUCTION_UNITS = 3_000;

/** One instruction's measured cost: `base` with its fixed accounts, plus `perExtraAccount` past `fixedAccounts`. */
export interface MeasuredCost {
  base: number;
  fixedAccounts: number;
  perExtraAccount: number;
}

const cost = (base: number, fixedAccounts = 0, perExtraAccount = 0): MeasuredCost => ({ base, fixedAccounts, perExtraAccount });

/** By the IDL's instruction name (SPEC names). */
export const MEASURED: Record<string, MeasuredCost> = {
  initialize: cost(76_000),
  transfer_admin: cost(36_000),
  accept_admin: cost(36_000),
  set_role: cost(19_000),
  update_config: cost(11_000),
  update_metadata: cost(41_000),
  pause: cost(14_000),
  unpause: cost(14_000),
  configure_minter: cost(26_000),
  remove_minter: cost(19_000),
  decrease_allowance: cost(19_000),
  propose: cost(35_000, 10, 4_000),
  approve: cost(24_000),
  reject: cost(15_000),
  execute: cost(30_000, 13, 10_500),
  cancel: cost(14_000),
  mint: cost(49_000),
  request_redemption: cost(46_000),
  complete_redemption: cost(23_000),
  reject_redemption: cost(47_000),
  burn: cost(17_000),
  sweep_escrow: cost(43_000),
  denylist_add: cost(22_000, 9, 4_600),
  denylist_remove: cost(18_000, 8, 4_200),
  freeze: cost(26_000),
  thaw: cost(26_000),
  attest_reserves: cost(12_000),
  check_supply: cost(13_000),
  onboard: cost(25_000),
  offboard: cost(15_000),
};
/** A Token-2022 TransferChecked of the USD1 mint, through the hook. */
export const HOOKED_TRANSFER = cost(38_000);
/** Creating an associated token account of the USD1 mint. */
export const CREATE_ASSOCIATED_ACCOUNT = cost(26_000);

/** `units` plus the margins, rounded up to a thousand, at most the transaction ceiling. */
export function withMargin(units: number): number {
  const padded = Math.floor((units * (100 + MARGIN_PERCENT)) / 100) + MARGIN_UNITS;
  return Math.min(Math.ceil(padded / 1_000) * 1_000, MAX_TRANSACTION_UNITS);
}

/** The IDL name of a USD1 instruction, from its discriminator (undefined for another program's). */
export function usd1InstructionName(instruction: TransactionInstruction): string | undefined {
  if (!instruction.programId.equals(USD1_PROGRAM_ID) || instruction.data.length < 8) return undefined;
  const head = instruction.data.subarray(0, 8);
  // The IDL value holds the JSON's snake_case names (its TypeScript type is Anchor's camelCase view).
  const instructions = IDL.instructions as unknown as { name: string; discriminator: number[] }[];
  return instructions.find((candidate) => Buffer.from(candidate.discriminator).equals(head))?.name;
}

const COMPUTE_BUDGET_PROGRAM_ID: PublicKey = ComputeBudgetProgram.programId;

/** The limit for one instruction: its measured worst case with margin, a builtin's cost, or the runtime default. */
export function instructionUnits(instruction: TransactionInstruction): number {
  const measured = (found: MeasuredCost) =>
    withMargin(found.base + found.perExtraAccount * Math.max(0, instruction.keys.length - found.fixedAccounts));
  const name = usd1InstructionName(instruction);
  if (name !== undefined && MEASURED[name]) return measured(MEASURED[name]);
  const program = instruction.programId;
  if (program.equals(SystemProgram.programId) || program.equals(COMPUTE_BUDGET_PROGRAM_ID)) return BUILTIN_INSTRUCTION_UNITS;
  if (program.equals(TOKEN_2022_PROGRAM_ID) && instruction.data[0] === 12) return measured(HOOKED_TRANSFER);
  if (program.equals(ASSOCIATED_TOKEN_PROGRAM_ID)) return measured(CREATE_ASSOCIATED_ACCOUNT);
  return DEFAULT_INSTRUCTION_UNITS;
}

/** The limit for a transaction of `instructions`, with room for the two compute-budget instructions. */
export function transactionUnits(instructions: TransactionInstruction[]): number {
  const sum = instructions.reduce((total, instruction) => total + instructionUnits(instruction), 2 * BUILTIN_INSTRUCTION_UNITS);
  return Math.min(sum, MAX_TRANSACTION_UNITS);
}

/**
 * `instructions` followed by a compute-unit limit and, with `microLamports` (per unit), a priority
 * fee: last, so error indexes stay the caller's and a nonce advance stays first. Instructions that
 * already carry a compute-budget instruction are returned as they are.
 */
export function withComputeBudget(instructions: TransactionInstruction[], options: { microLamports?: number | bigint } = {}): TransactionInstruction[] {
  if (instructions.some((instruction) => instruction.programId.equals(COMPUTE_BUDGET_PROGRAM_ID))) return [...instructions];
  const all = [...instructions, ComputeBudgetProgram.setComputeUnitLimit({ units: transactionUnits(instructions) })];
  if (options.microLamports !== undefined) all.push(ComputeBudgetProgram.setComputeUnitPrice({ microLamports: options.microLamports }));
  return all;
}
