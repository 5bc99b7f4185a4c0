// The IDL-typed Anchor program. `program.methods.<instruction>(args).accounts({ mint, <signers> })`
// resolves every other account (PDAs from the mint and signers, relations from fetched
// accounts); `program.account.<type>.fetch(address)` decodes every account type the program
// writes (config, minter, proposal, mintReceipt, denylistEntry, denylistRegistry,
// redemptionRequest).
import anchor, { type Provider } from "@coral-xyz/anchor";

const { AnchorProvider, Program } = anchor;
import { Connection, type PublicKey } from "@solana/web3.js";
import { IDL, type Usd1 } from "./usd1.js";

export type { Usd1 };
export type Usd1Program = anchor.Program<Usd1>;

/**
 * The USD1 program over a connection or a full Anchor provider. A bare connection is enough
 * to read accounts, decode events and build instructions; sending needs a provider with a wallet.
 */
export function usd1Program(connectionOrProvider: Connection | Provider): Usd1Program {
  const provider: Provider =
    connectionOrProvider instanceof Connection ? { connection: connectionOrProvider } : connectionOrProvider;
  return new Program<Usd1>(IDL, provider);
}

/** A program for decoding only (no network is contacted until a fetch is made). */
export function offlineProgram(): Usd1Program {
  return usd1Program(new Connection("http://127.0.0.1:8899", "confirmed"));
}

export { AnchorProvider };
export type { PublicKey };
