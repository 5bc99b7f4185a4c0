// Events: the program emits each one with `emit_cpi!`, a self-invocation whose instruction
// data is EVENT_IX_TAG ‖ event discriminator ‖ borsh(event). They are inner instructions of
// the transaction, never log lines, so Anchor's EventParser/addEventListener (which read
// `Program data:` logs) see nothing: decode them from the transaction's inner instructions.
import type { IdlEvents } from "@coral-xyz/anchor";
import anchor from "@coral-xyz/anchor";
import {
  PublicKey,
  type ParsedTransactionWithMeta,
  type TransactionResponse,
  type VersionedTransactionResponse,
} from "@solana/web3.js";
import { USD1_PROGRAM_ID } from "./pda.js";
import { offlineProgram, type Usd1Program } from "./program.js";
import type { Usd1 } from "./usd1.js";

/** Anchor's event-instruction tag: the first 8 bytes of sha256("anchor:event"), little-endian. */
export const EVENT_IX_TAG = Buffer.from([0xe4, 0x45, 0xa5, 0x2e, 0x51, 0xcb, 0x9a, 0x1d]);

type EventMap = IdlEvents<Usd1>;
/**
 * One decoded event: its SPEC name (`Minted`, `SupplyChecked`, ...), its fields (camelCase, u64
 * as BN, keys as PublicKey), its `seq`, and the instruction data it was decoded from.
 */
export type Usd1Event = {
  [Name in keyof EventMap & string]: { name: Capitalize<Name>; data: EventMap[Name]; seq: bigint; raw: Buffer };
}[keyof EventMap & string];

let decoder: Usd1Program | undefined;

/**
 * Decode one inner instruction's data. Returns null for data that is not an event of this
 * program (no event tag); throws on a tagged payload that does not decode (an unknown or
 * malformed event: the IDL is older than the program).
 */
export function decodeEventData(data: Uint8Array, program: Usd1Program = (decoder ??= offlineProgram())): Usd1Event | null {
  const raw = Buffer.from(data);
  if (raw.length < 16 || !raw.subarray(0, 8).equals(EVENT_IX_TAG)) return null;
  const event = program.coder.events.decode(raw.subarray(8).toString("base64"));
  if (!event) throw new Error(`unknown USD1 event discriminator ${raw.subarray(8, 16).toString("hex")}`);
  const fields = event.data as { seq: { toString(): string } };
  // Anchor names events in camelCase (`supplyChecked`); the SPEC name is PascalCase.
  const name = event.name.charAt(0).toUpperCase() + event.name.slice(1);
  return { name, data: event.data, seq: BigInt(fields.seq.toString()), raw } as Usd1Event;
}

/** Inner instruction as (program id, data): the common shape of every transaction encoding. */
interface RawInstruction {
  programId: PublicKey;
  data: Buffer;
}

function innerInstructions(
  transaction: TransactionResponse | VersionedTransactionResponse | ParsedTransactionWithMeta,
): RawInstruction[] {
  const meta = transaction.meta;
  if (!meta?.innerInstructions) return [];
  const message = transaction.transaction.message as any;
  let keys: PublicKey[] | undefined;
  const out: RawInstruction[] = [];
  for (const group of [...meta.innerInstructions].sort((a, b) => a.index - b.index)) {
    for (const instruction of group.instructions as any[]) {
      if ("programIdIndex" in instruction) {
        if (!keys) {
          if (typeof message.getAccountKeys === "function") {
            const loaded = (meta as any).loadedAddresses;
            keys = message.getAccountKeys(loaded ? { accountKeysFromLookups: loaded } : undefined).keySegments().flat();
          } else {
            keys = (message.accountKeys as any[]).map((key) => new PublicKey(key.pubkey ?? key));
          }
        }
        out.push({ programId: keys![instruction.programIdIndex], data: Buffer.from(anchor.utils.bytes.bs58.decode(instruction.data)) });
      } else if ("data" in instruction && "programId" in instruction) {
        out.push({ programId: instruction.programId, data: Buffer.from(anchor.utils.bytes.bs58.decode(instruction.data)) });
      }
    }
  }
  return out;
}

/**
 * Every USD1 event of a transaction (as `getTransaction` returns it, legacy, versioned or
 * jsonParsed), in emission order. Inner instructions of other programs are skipped.
 */
export function decodeTransactionEvents(
  transaction: TransactionResponse | VersionedTransactionResponse | ParsedTransactionWithMeta,
  programId: PublicKey = USD1_PROGRAM_ID,
): Usd1Event[] {
  return innerInstructions(transaction)
    .filter((instruction) => instruction.programId.equals(programId))
    .map((instruction) => decodeEventData(instruction.data))
    .filter((event): event is Usd1Event => event !== null);
}

/** A run of missing sequence numbers, inclusive. */
export interface SeqGap {
  from: bigint;
  to: bigint;
}

/**
 * Gap detection: `seq` is Config.event_seq, +1 per event per mint, from 1. Given the events an
 * indexer has (any order) and the last seq it had before them (0 for none), returns the missing
 * runs. An empty list proves nothing was missed up to the highest seq seen.
 */
export function findSeqGaps(events: Iterable<{ seq: bigint }>, lastSeenSeq: bigint = 0n): SeqGap[] {
  const seqs = [...new Set([...events].map((event) => event.seq))].filter((seq) => seq > lastSeenSeq).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const gaps: SeqGap[] = [];
  let expected = lastSeenSeq + 1n;
  for (const seq of seqs) {
    if (seq > expected) gaps.push({ from: expected, to: seq - 1n });
    expected = seq + 1n;
  }
  return gaps;
}
