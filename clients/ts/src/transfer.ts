// A hooked transfer: Token-2022 `TransferChecked` of a USD1 mint must carry the accounts the
// transfer hook needs, or Token-2022 refuses it. This is the step wallets and SDKs fail on.
import {
  TOKEN_2022_PROGRAM_ID,
  createTransferCheckedInstruction,
  createTransferCheckedWithTransferHookInstruction,
} from "@solana/spl-token";
import type { AccountMeta, Commitment, Connection, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { USD1_PROGRAM_ID, configAddress, denylistRegistryAddress, extraAccountMetaListAddress } from "./pda.js";

/**
 * The accounts Token-2022 needs for the hook, in the order the mint's ExtraAccountMetaList
 * lists them (the Config, the DenylistRegistry), then the hook program and the list itself.
 * They depend only on the mint, so an offline signer can add them without reading the chain.
 */
export function hookExtraAccounts(mint: PublicKey): AccountMeta[] {
  const config = configAddress(mint);
  return [config, denylistRegistryAddress(config), USD1_PROGRAM_ID, extraAccountMetaListAddress(mint)].map((pubkey) => ({
    pubkey,
    isSigner: false,
    isWritable: false,
  }));
}

export interface TransferParams {
  mint: PublicKey;
  /** The source token account. */
  source: PublicKey;
  /** The destination token account. */
  destination: PublicKey;
  /** Who signs: the source's owner, or a delegate. */
  authority: PublicKey;
  /** Base units. */
  amount: bigint | number;
  /** The mint's decimals (6 unless the deployment chose otherwise). */
  decimals: number;
}

/** TransferChecked with the hook's accounts, built offline (no chain read). */
export function transferCheckedInstruction(params: TransferParams): TransactionInstruction {
  const instruction = createTransferCheckedInstruction(
    params.source,
    params.mint,
    params.destination,
    params.authority,
    BigInt(params.amount),
    params.decimals,
    [],
    TOKEN_2022_PROGRAM_ID,
  );
  instruction.keys.push(...hookExtraAccounts(params.mint));
  return instruction;
}

/**
 * TransferChecked with the hook's accounts resolved from the chain by `@solana/spl-token`
 * (it reads the mint's hook program and ExtraAccountMetaList): the generic path any
 * Token-2022 wallet uses, and the same instruction as `transferCheckedInstruction`.
 */
export function transferCheckedResolved(connection: Connection, params: TransferParams, commitment?: Commitment): Promise<TransactionInstruction> {
  return createTransferCheckedWithTransferHookInstruction(
    connection,
    params.source,
    params.mint,
    params.destination,
    params.authority,
    BigInt(params.amount),
    params.decimals,
    [],
    commitment,
    TOKEN_2022_PROGRAM_ID,
  );
}
