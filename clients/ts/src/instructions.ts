// Builders for the instructions whose accounts depend on more than the mint, the signers and
// the arguments: a proposal's kind, a wallet's token accounts. Everything else is
// `program.methods.<name>(args).accountsPartial({ mint, <signers> }).instruction()`, which resolves
// every PDA and relation from the IDL (fetching the Config, a proposal, a request or a token
// account where a seed or relation reads one).
import anchor from "@coral-xyz/anchor";

const { BN } = anchor;
import { TOKEN_2022_PROGRAM_ID } from "@solana/spl-token";
import { PublicKey, type AccountMeta, type TransactionInstruction } from "@solana/web3.js";
import {
  USD1_PROGRAM_ID,
  associatedTokenAddress,
  configAddress,
  denylistAddress,
  minterAddress,
  proposalAddress,
  referenceHash,
} from "./pda.js";
import type { Usd1Program } from "./program.js";

type MethodArgs<Name extends keyof Usd1Program["methods"]> = Parameters<Usd1Program["methods"][Name]>;
/** A proposal kind as the IDL types it (`{ setAllowance: { minter, amount } }`, ...). */
export type ProposalKind = MethodArgs<"propose">[0]["kind"];

/** Keys of every token account of `mint` that `owner` holds (read with getTokenAccountsByOwner). */
export async function walletTokenAccounts(program: Usd1Program, mint: PublicKey, owner: PublicKey): Promise<PublicKey[]> {
  const { value } = await program.provider.connection.getTokenAccountsByOwner(owner, { mint }, "confirmed");
  return value.map((account) => account.pubkey).sort((a, b) => a.toBase58().localeCompare(b.toBase58()));
}

const writable = (pubkey: PublicKey): AccountMeta => ({ pubkey, isSigner: false, isWritable: true });
const readonly = (pubkey: PublicKey): AccountMeta => ({ pubkey, isSigner: false, isWritable: false });

function kindMinter(kind: ProposalKind): PublicKey | null {
  const anyKind = kind as any;
  return anyKind.setAllowance?.minter ?? anyKind.setRateLimit?.minter ?? null;
}

/**
 * `propose`: a council member proposes `kind`. Added by kind: the minter's account (allowance,
 * rate limit), the owner's denylist entry (seizure: the owner must be listed), and the denylist
 * entries of the keys a council or role change names (checked when proposed).
 */
export function proposeInstruction(program: Usd1Program, args: { proposer: PublicKey; mint: PublicKey; kind: ProposalKind }): Promise<TransactionInstruction> {
  const config = configAddress(args.mint);
  const minter = kindMinter(args.kind);
  const kind = args.kind as any;
  const named: PublicKey[] = kind.setCouncil ? kind.setCouncil.members : kind.setRole ? [kind.setRole.key] : [];
  return program.methods
    .propose({ kind: args.kind })
    .accountsPartial({
      proposer: args.proposer,
      mint: args.mint,
      minterAccount: minter ? minterAddress(config, minter) : null,
      ownerDenylistEntry: kind.seize ? denylistAddress(config, kind.seize.owner) : null,
    })
    .remainingAccounts(named.map((key) => readonly(denylistAddress(config, key))))
    .instruction();
}

/** `cancel`: closes proposal `proposal` (a seizure's owner entry is added from the proposal). */
export async function cancelInstruction(program: Usd1Program, args: { canceller: PublicKey; mint: PublicKey; proposal: number | bigint }): Promise<TransactionInstruction> {
  const config = configAddress(args.mint);
  const proposal = await program.account.proposal.fetch(proposalAddress(config, args.proposal));
  const seize = (proposal.kind as any).seize;
  return program.methods
    .cancel({ proposal: new BN(args.proposal.toString()) })
    .accountsPartial({ canceller: args.canceller, mint: args.mint, ownerDenylistEntry: seize ? denylistAddress(config, seize.owner) : null })
    .instruction();
}

/**
 * `execute`: anyone sends an approved proposal. The accounts its kind needs are read from the
 * proposal: the minter's account, a new admin's Minter account, each new council member's
 * denylist entry (a listing made after the proposal is lifted), or for a seizure the owner's
 * funded token accounts, the destination and their denylist entries.
 */
export async function executeInstruction(program: Usd1Program, args: { executor: PublicKey; mint: PublicKey; proposal: number | bigint }): Promise<TransactionInstruction> {
  const config = configAddress(args.mint);
  const proposal = await program.account.proposal.fetch(proposalAddress(config, args.proposal));
  const kind = proposal.kind as any;
  const minter = kindMinter(kind);
  const partial: Record<string, PublicKey | null> = {
    minterAccount: minter ? minterAddress(config, minter) : null,
    ownerDenylistEntry: null,
    destinationToken: null,
    destinationDenylistEntry: null,
    tokenProgram: null,
  };
  let remaining: AccountMeta[] = [];
  if (kind.setCouncil) {
    remaining = (kind.setCouncil.members as PublicKey[]).map((member) => writable(denylistAddress(config, member)));
  } else if (kind.setRole?.role?.admin) {
    remaining = [readonly(minterAddress(config, kind.setRole.key as PublicKey))];
  } else if (kind.seize) {
    const { owner, destination } = kind.seize as { owner: PublicKey; destination: any };
    partial.ownerDenylistEntry = denylistAddress(config, owner);
    partial.tokenProgram = TOKEN_2022_PROGRAM_ID;
    if (destination.tokenAccount) {
      const address: PublicKey = destination.tokenAccount.address;
      const info = await program.provider.connection.getAccountInfo(address, "confirmed");
      if (!info) throw new Error(`seizure destination ${address.toBase58()} does not exist`);
      partial.destinationToken = address;
      partial.destinationDenylistEntry = denylistAddress(config, new PublicKey(info.data.subarray(32, 64)));
    }
    remaining = (await walletTokenAccounts(program, args.mint, owner)).map(writable);
  }
  return program.methods
    .execute({ proposal: new BN(args.proposal.toString()) })
    .accountsPartial({ executor: args.executor, mint: args.mint, ...partial })
    .remainingAccounts(remaining)
    .instruction();
}

/** `mint`: a minter mints to `recipient`'s associated token account against a deposit reference. */
export function mintInstruction(
  program: Usd1Program,
  args: { minter: PublicKey; payer?: PublicKey; mint: PublicKey; recipient: PublicKey; amount: bigint | number; reference: string | Uint8Array; validUntil: bigint | number },
): Promise<TransactionInstruction> {
  const hash = typeof args.reference === "string" ? referenceHash(args.reference) : Buffer.from(args.reference);
  return program.methods
    .mint({ amount: new BN(args.amount.toString()), referenceHash: [...hash], validUntil: new BN(args.validUntil.toString()) })
    .accountsPartial({ minter: args.minter, payer: args.payer ?? args.minter, mint: args.mint, recipientToken: associatedTokenAddress(args.recipient, args.mint) })
    .instruction();
}

/** `denylist_add`: lists `wallet` and freezes every token account of the mint it holds. */
export async function denylistAddInstruction(
  program: Usd1Program,
  args: { denylister: PublicKey; mint: PublicKey; wallet: PublicKey; reason: string | Uint8Array; tokenAccounts?: PublicKey[] },
): Promise<TransactionInstruction> {
  const reason = typeof args.reason === "string" ? referenceHash(args.reason) : Buffer.from(args.reason);
  const accounts = args.tokenAccounts ?? (await walletTokenAccounts(program, args.mint, args.wallet));
  return program.methods
    .denylistAdd({ wallet: args.wallet, reasonHash: [...reason] })
    .accountsPartial({ denylister: args.denylister, mint: args.mint })
    .remainingAccounts(accounts.map(writable))
    .instruction();
}

/** `denylist_remove`: lifts `wallet`'s listing and thaws the token accounts it holds. */
export async function denylistRemoveInstruction(
  program: Usd1Program,
  args: { denylister: PublicKey; mint: PublicKey; wallet: PublicKey; tokenAccounts?: PublicKey[] },
): Promise<TransactionInstruction> {
  const accounts = args.tokenAccounts ?? (await walletTokenAccounts(program, args.mint, args.wallet));
  return program.methods
    .denylistRemove({ wallet: args.wallet })
    .accountsPartial({ denylister: args.denylister, mint: args.mint })
    .remainingAccounts(accounts.map(writable))
    .instruction();
}

export { USD1_PROGRAM_ID };
