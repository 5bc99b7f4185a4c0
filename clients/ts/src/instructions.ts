// Builders for the instructions whose accounts depend on more than the mint, the signers and
// the arguments: a proposal's kind, a wallet's token accounts. Everything else is
// `program.methods.<name>(args).accountsPartial({ mint, <signers>, <wallets named> }).instruction()`,
// which resolves every PDA from the IDL: from the mint, the signers, the wallets the caller names
// (`recipient`, `toOwner`, `owner`) and the arguments. Only `propose` reads the chain (its id is
// the Config's next one); a relation to a signer is checked against the Config when it is fetched.
import anchor from "@coral-xyz/anchor";

const { BN } = anchor;
import { TOKEN_2022_PROGRAM_ID, createAssociatedTokenAccountIdempotentInstruction } from "@solana/spl-token";
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

/** Most token accounts one `denylist_add`, `denylist_remove` or seizure takes (the program's `MAX_WALLET_TOKEN_ACCOUNTS`). */
export const MAX_WALLET_TOKEN_ACCOUNTS = 16;

/** One of a wallet's token accounts of the mint, with its balance in base units. */
export interface WalletTokenAccount {
  address: PublicKey;
  amount: bigint;
}

/** Byte order of two keys (what the Rust client sorts by; base58 text order differs). */
export const compareKeyBytes = (a: PublicKey, b: PublicKey) => Buffer.compare(a.toBuffer(), b.toBuffer());

/**
 * Every token account of `mint` that `owner` holds (getTokenAccountsByOwner), in the order every
 * USD1 client passes them: the associated account first, then by key bytes (as the Rust
 * client's `order_wallet_accounts`).
 */
export async function walletTokenAccounts(program: Usd1Program, mint: PublicKey, owner: PublicKey): Promise<WalletTokenAccount[]> {
  const { value } = await program.provider.connection.getTokenAccountsByOwner(owner, { mint }, "confirmed");
  const associated = associatedTokenAddress(owner, mint);
  return value
    .filter(({ account }) => account.owner.equals(TOKEN_2022_PROGRAM_ID) && account.data.length >= 72)
    .map(({ pubkey, account }) => ({ address: pubkey, amount: Buffer.from(account.data).readBigUInt64LE(64) }))
    .sort((a, b) => Number(b.address.equals(associated)) - Number(a.address.equals(associated)) || compareKeyBytes(a.address, b.address));
}

/**
 * The accounts a listing (`denylist_add`, `denylist_remove`) passes, as the Rust client's
 * `listing_accounts`: funded ones first, then empty ones, each group in `walletTokenAccounts`
 * order, at most `MAX_WALLET_TOKEN_ACCOUNTS` (freeze or thaw the rest one by one).
 */
export async function listingAccounts(program: Usd1Program, mint: PublicKey, owner: PublicKey): Promise<PublicKey[]> {
  const accounts = await walletTokenAccounts(program, mint, owner);
  const funded = accounts.filter((account) => account.amount > 0n);
  const empty = accounts.filter((account) => account.amount === 0n);
  return [...funded, ...empty].slice(0, MAX_WALLET_TOKEN_ACCOUNTS).map((account) => account.address);
}

/** The accounts a seizure debits, as the Rust client's `seizure_source_accounts`: funded only, at most `MAX_WALLET_TOKEN_ACCOUNTS`. */
export async function seizureSourceAccounts(program: Usd1Program, mint: PublicKey, owner: PublicKey): Promise<PublicKey[]> {
  const accounts = await walletTokenAccounts(program, mint, owner);
  return accounts.filter((account) => account.amount > 0n).slice(0, MAX_WALLET_TOKEN_ACCOUNTS).map((account) => account.address);
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
    remaining = (await seizureSourceAccounts(program, args.mint, owner)).map(writable);
  }
  return program.methods
    .execute({ proposal: new BN(args.proposal.toString()) })
    .accountsPartial({ executor: args.executor, mint: args.mint, ...partial })
    .remainingAccounts(remaining)
    .instruction();
}

/** What `mintInstruction` and `mintInstructions` take. */
export interface MintArgs {
  minter: PublicKey;
  /** Pays the receipt's rent (and the associated account's, in `mintInstructions`); the minter by default. */
  payer?: PublicKey;
  mint: PublicKey;
  /** The recipient wallet; the tokens go to its associated token account. */
  recipient: PublicKey;
  /** Base units. */
  amount: bigint | number;
  /** The deposit reference (bank wire id), or its sha256. */
  reference: string | Uint8Array;
  /** Unix time after which the program refuses this mint (`MintExpired`). */
  validUntil: bigint | number;
}

/**
 * `mint`: a minter mints to `recipient`'s associated token account against a deposit reference.
 * Every account derives from the mint, the signers and the recipient's key: nothing is fetched,
 * so it builds offline and for a holder whose account does not exist yet.
 */
export function mintInstruction(program: Usd1Program, args: MintArgs): Promise<TransactionInstruction> {
  const hash = typeof args.reference === "string" ? referenceHash(args.reference) : Buffer.from(args.reference);
  return program.methods
    .mint({ amount: new BN(args.amount.toString()), referenceHash: [...hash], validUntil: new BN(args.validUntil.toString()) })
    .accountsPartial({
      minter: args.minter,
      payer: args.payer ?? args.minter,
      mint: args.mint,
      recipient: args.recipient,
      recipientToken: associatedTokenAddress(args.recipient, args.mint),
    })
    .instruction();
}

/** A first mint to a new holder in one transaction: its associated account created if missing (idempotent), then `mint`. */
export async function mintInstructions(program: Usd1Program, args: MintArgs): Promise<TransactionInstruction[]> {
  const payer = args.payer ?? args.minter;
  const create = createAssociatedTokenAccountIdempotentInstruction(payer, associatedTokenAddress(args.recipient, args.mint), args.recipient, args.mint, TOKEN_2022_PROGRAM_ID);
  return [create, await mintInstruction(program, args)];
}

/**
 * `sweep_escrow`: the burner moves the Escrow's excess to `to`'s associated account, created
 * first if missing (idempotent, paid by `payer`, the burner by default). Nothing is fetched.
 */
export async function sweepEscrowInstructions(program: Usd1Program, args: { burner: PublicKey; payer?: PublicKey; mint: PublicKey; to: PublicKey }): Promise<TransactionInstruction[]> {
  const account = associatedTokenAddress(args.to, args.mint);
  const create = createAssociatedTokenAccountIdempotentInstruction(args.payer ?? args.burner, account, args.to, args.mint, TOKEN_2022_PROGRAM_ID);
  const sweep = await program.methods.sweepEscrow().accountsPartial({ burner: args.burner, mint: args.mint, toOwner: args.to, to: account }).instruction();
  return [create, sweep];
}

/**
 * `denylist_add`: lists `wallet` and freezes the token accounts of the mint it holds that one
 * instruction takes (`listingAccounts`: funded first, at most 16); freeze any further ones with
 * `freeze` (the transfer hook refuses the wallet meanwhile, frozen or not).
 */
export async function denylistAddInstruction(
  program: Usd1Program,
  args: { denylister: PublicKey; mint: PublicKey; wallet: PublicKey; reason: string | Uint8Array; tokenAccounts?: PublicKey[] },
): Promise<TransactionInstruction> {
  const reason = typeof args.reason === "string" ? referenceHash(args.reason) : Buffer.from(args.reason);
  const accounts = args.tokenAccounts ?? (await listingAccounts(program, args.mint, args.wallet));
  return program.methods
    .denylistAdd({ wallet: args.wallet, reasonHash: [...reason] })
    .accountsPartial({ denylister: args.denylister, mint: args.mint })
    .remainingAccounts(accounts.map(writable))
    .instruction();
}

/** `denylist_remove`: lifts `wallet`'s listing and thaws the token accounts one instruction takes (`listingAccounts`); thaw any further ones with `thaw`. */
export async function denylistRemoveInstruction(
  program: Usd1Program,
  args: { denylister: PublicKey; mint: PublicKey; wallet: PublicKey; tokenAccounts?: PublicKey[] },
): Promise<TransactionInstruction> {
  const accounts = args.tokenAccounts ?? (await listingAccounts(program, args.mint, args.wallet));
  return program.methods
    .denylistRemove({ wallet: args.wallet })
    .accountsPartial({ denylister: args.denylister, mint: args.mint })
    .remainingAccounts(accounts.map(writable))
    .instruction();
}

export { USD1_PROGRAM_ID };
