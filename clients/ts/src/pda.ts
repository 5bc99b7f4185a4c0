// Every address the program derives, from the mint and the keys involved: the same seeds
// as programs/usd1/src/constants.rs (and the Rust client's `pda` module).
import { createHash } from "node:crypto";
import { PublicKey } from "@solana/web3.js";
import { ASSOCIATED_TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { IDL } from "./usd1.js";

/** The USD1 program id (the IDL's address). */
export const USD1_PROGRAM_ID = new PublicKey(IDL.address);
export { TOKEN_2022_PROGRAM_ID, ASSOCIATED_TOKEN_PROGRAM_ID };

const text = (seed: string) => Buffer.from(seed, "utf8");
const find = (seeds: Buffer[], programId = USD1_PROGRAM_ID) => PublicKey.findProgramAddressSync(seeds, programId)[0];

/** sha256 of an off-chain reference (bank wire id, redemption ticket, court order, reason): what goes on chain. */
export function referenceHash(reference: string): Buffer {
  return createHash("sha256").update(reference, "utf8").digest();
}

/** Little-endian u64, as proposal ids appear in seeds. */
function u64le(value: number | bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(value));
  return buffer;
}

/** `["config", mint]`: the mint's Config, which holds every authority over it. */
export const configAddress = (mint: PublicKey) => find([text("config"), mint.toBuffer()]);
/** `["minter", config, minter]`. */
export const minterAddress = (config: PublicKey, minter: PublicKey) => find([text("minter"), config.toBuffer(), minter.toBuffer()]);
/** `["proposal", config, id as u64 LE]`. */
export const proposalAddress = (config: PublicKey, id: number | bigint) => find([text("proposal"), config.toBuffer(), u64le(id)]);
/** `["receipt", config, reference_hash]`: exists once a deposit reference has minted. */
export const receiptAddress = (config: PublicKey, referenceHash: Uint8Array) =>
  find([text("receipt"), config.toBuffer(), Buffer.from(referenceHash)]);
/** `["denylist", config, wallet]`: exists while the wallet is denylisted. */
export const denylistAddress = (config: PublicKey, wallet: PublicKey) => find([text("denylist"), config.toBuffer(), wallet.toBuffer()]);
/** `["denylist-registry", config]`: the sorted list the transfer hook reads. */
/** v3: `["onboarded", config, wallet]`, which exists while `wallet` is onboarded. */
export const onboardedAddress = (config: PublicKey, wallet: PublicKey) => find([text("onboarded"), config.toBuffer(), wallet.toBuffer()]);

export const denylistRegistryAddress = (config: PublicKey) => find([text("denylist-registry"), config.toBuffer()]);
/** `["redemption", config, holder, reference_hash]`: a holder's redemption request. */
export const redemptionAddress = (config: PublicKey, holder: PublicKey, referenceHash: Uint8Array) =>
  find([text("redemption"), config.toBuffer(), holder.toBuffer(), Buffer.from(referenceHash)]);
/** `["escrow", config]`: the Config-owned token account holding tokens awaiting redemption. */
export const escrowAddress = (config: PublicKey) => find([text("escrow"), config.toBuffer()]);
/** `["extra-account-metas", mint]`: the transfer-hook interface's account list. */
export const extraAccountMetaListAddress = (mint: PublicKey) => find([text("extra-account-metas"), mint.toBuffer()]);
/** `["__event_authority"]`: the signer of the program's `emit_cpi!` self-invocations. */
export const eventAuthorityAddress = () => find([text("__event_authority")]);
/** A wallet's associated token account of a USD1 mint (Token-2022). */
export const associatedTokenAddress = (owner: PublicKey, mint: PublicKey) =>
  getAssociatedTokenAddressSync(mint, owner, true, TOKEN_2022_PROGRAM_ID, ASSOCIATED_TOKEN_PROGRAM_ID);

/** Every address of one deployment (one mint), derived once. */
export function mintAddresses(mint: PublicKey) {
  const config = configAddress(mint);
  return {
    mint,
    config,
    escrow: escrowAddress(config),
    denylistRegistry: denylistRegistryAddress(config),
    extraAccountMetaList: extraAccountMetaListAddress(mint),
    eventAuthority: eventAuthorityAddress(),
  };
}
