// Test helpers: the Rust-produced fixtures, a Connection that answers from them, and the
// conversion of Anchor's decoded values to the Rust client's JSON conventions.
import { readFileSync } from "node:fs";
import anchor, { type Provider } from "@coral-xyz/anchor";

const { BN } = anchor;
import { PublicKey, type AccountInfo, type Connection } from "@solana/web3.js";

export interface FixtureInstruction {
  name: string;
  program_id: string;
  keys: { pubkey: string; is_signer: boolean; is_writable: boolean }[];
  data: string;
  /** The Rust client's compute-unit limit for a transaction of this one instruction. */
  compute_units: number;
}

export interface FixtureCost {
  base: number;
  fixedAccounts: number;
  perExtraAccount: number;
}

export interface Fixtures {
  program_id: string;
  keys: Record<string, string>;
  constants: { open_proposal: number; next_proposal: number; far_future: number; one_token: number };
  instructions: FixtureInstruction[];
  compute_budget: {
    max_transaction_units: number;
    default_instruction_units: number;
    margin_percent: number;
    margin_units: number;
    builtin_instruction_units: number;
    measured: Record<string, FixtureCost>;
    hooked_transfer: FixtureCost;
    create_associated_account: FixtureCost;
  };
  accounts: Record<string, { lamports: number; owner: string; executable: boolean; data: string }>;
  decoded_accounts: ({ type: string; address: string } & Record<string, unknown>)[];
  /** A wallet with several accounts, as the Rust client orders them for a listing and a seizure. */
  wallet_accounts: { owner: string; listing: string[]; seizure_sources: string[] };
  transactions: { label: string; slot: number; transaction: any; meta: any; events: Record<string, any>[] }[];
}

export const fixtures: Fixtures = JSON.parse(readFileSync(new URL("./fixtures/rust.json", import.meta.url), "utf8"));
export const key = (name: string) => new PublicKey(fixtures.keys[name] ?? fail(`no fixture key ${name}`));

function fail(message: string): never {
  throw new Error(message);
}

function accountInfo(address: PublicKey): AccountInfo<Buffer> | null {
  const account = fixtures.accounts[address.toBase58()];
  if (!account) return null;
  return { lamports: account.lamports, owner: new PublicKey(account.owner), executable: account.executable, data: Buffer.from(account.data, "base64"), rentEpoch: 0 };
}

/** The subset of Connection that Anchor's resolver and spl-token's hook resolution call, answered from the fixtures. */
export function fixtureConnection(): Connection {
  const context = { slot: 1 };
  const fake = {
    rpcEndpoint: "fixtures://rust.json",
    commitment: "confirmed",
    getAccountInfo: async (address: PublicKey) => accountInfo(address),
    getAccountInfoAndContext: async (address: PublicKey) => ({ context, value: accountInfo(address) }),
    getMultipleAccountsInfo: async (addresses: PublicKey[]) => addresses.map(accountInfo),
    getMultipleAccountsInfoAndContext: async (addresses: PublicKey[]) => ({ context, value: addresses.map(accountInfo) }),
    getTokenAccountsByOwner: async (owner: PublicKey, filter: { mint: PublicKey }) => ({
      context,
      value: Object.keys(fixtures.accounts)
        .map((address) => new PublicKey(address))
        .map((pubkey) => ({ pubkey, account: accountInfo(pubkey)! }))
        .filter(({ account }) => account.owner.toBase58() === "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb" && account.data.length >= 165)
        .filter(({ account }) => new PublicKey(account.data.subarray(0, 32)).equals(filter.mint) && new PublicKey(account.data.subarray(32, 64)).equals(owner)),
    }),
  };
  return fake as unknown as Connection;
}

export const fixtureProvider = (): Provider => ({ connection: fixtureConnection() });

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * Anchor's decoded value in the Rust client's JSON form: keys base58, 32-byte hashes hex,
 * u64/i64 numbers, field names and enum variants snake_case.
 */
export function rustJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof PublicKey) return value.toBase58();
  if (BN.isBN(value)) return Number((value as InstanceType<typeof BN>).toString());
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) {
    if (value.length === 32 && value.every((item) => typeof item === "number")) return Buffer.from(value).toString("hex");
    return value.map(rustJson);
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    // A unit enum variant: `{ transfers: {} }` -> "transfers".
    if (entries.length === 1 && typeof entries[0][1] === "object" && entries[0][1] !== null && Object.keys(entries[0][1] as object).length === 0 && !(entries[0][1] instanceof PublicKey)) {
      return snake(entries[0][0]);
    }
    return Object.fromEntries(entries.map(([name, inner]) => [snake(name), rustJson(inner)]));
  }
  return value;
}
