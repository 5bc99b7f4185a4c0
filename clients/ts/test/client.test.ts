// The TypeScript client against what the Rust side produced (test/fixtures/rust.json, from
// scripts/ts-fixtures.sh): every instruction an integrator or ops tool builds, built here
// with only the mint, the signers and the arguments, must equal the Rust client's bytes;
// every account type and every event must decode to the Rust decoder's values.
import { test } from "node:test";
import assert from "node:assert/strict";
import anchor from "@coral-xyz/anchor";

const { BN } = anchor;
import { ComputeBudgetProgram, Keypair, PublicKey, type TransactionInstruction, type TransactionResponse } from "@solana/web3.js";
import {
  IDL,
  USD1_PROGRAM_ID,
  associatedTokenAddress,
  cancelInstruction,
  configAddress,
  decodeEventData,
  denylistAddress,
  decodeTransactionEvents,
  denylistAddInstruction,
  denylistRemoveInstruction,
  executeInstruction,
  findSeqGaps,
  mintAddresses,
  ASSOCIATED_TOKEN_PROGRAM_ID,
  listingAccounts,
  onboardedAddress,
  mintInstruction,
  mintInstructions,
  minterAddress,
  seizureSourceAccounts,
  sweepEscrowInstructions,
  walletTokenAccounts,
  proposeInstruction,
  referenceHash,
  transferCheckedInstruction,
  transferCheckedResolved,
  usd1Program,
  type Usd1Program,
} from "../src/index.js";
import * as computeBudget from "../src/computeBudget.js";
import { fixtureConnection, fixtureProvider, fixtures, key, rustJson } from "./helpers.js";

const program: Usd1Program = usd1Program(fixtureProvider());
const mint = key("mint");
const { open_proposal, next_proposal, far_future, one_token } = fixtures.constants;
const u64 = (value: number | bigint) => new BN(value.toString());
const hash = (text: string) => [...referenceHash(text)];
/** Alice sends one token to Bob, both from their associated accounts (the Rust `transfer` case). */
const aliceToBob = {
  mint,
  source: associatedTokenAddress(key("alice"), mint),
  destination: associatedTokenAddress(key("bob"), mint),
  authority: key("alice"),
  amount: one_token,
  decimals: 6,
};
const unchangedConfig = {
  supplyCap: { unchanged: {} },
  timelockSecs: null,
  proposalTtlSecs: null,
  reserveGate: null,
  attestationMaxAgeSecs: null,
  onboardingRequired: null,
};

/** Each case: what an integrator writes, with nothing derived by hand. */
const cases: Record<string, () => Promise<TransactionInstruction>> = {
  initialize: () =>
    program.methods
      .initialize({
        decimals: 6,
        name: "USD1",
        symbol: "USD1",
        uri: "https://example.com/usd1.json",
        council: [key("c0"), key("c1"), key("c2")],
        threshold: 2,
        masterMinter: key("master_minter"),
        pauser: key("pauser"),
        denylister: key("denylister"),
        burner: key("burner"),
        attester: key("attester"),
        supplyCap: null,
        timelockSecs: u64(0),
        proposalTtlSecs: u64(7 * 24 * 3600),
        reserveGate: false,
        attestationMaxAgeSecs: u64(24 * 3600),
        onboarder: null,
        onboardingRequired: false,
      })
      .accountsPartial({ admin: key("admin"), mint: key("new_mint") })
      .instruction(),
  transfer_admin: () => program.methods.transferAdmin({ newAdmin: key("new_admin") }).accountsPartial({ admin: key("admin"), mint }).instruction(),
  accept_admin: () => program.methods.acceptAdmin().accountsPartial({ newAdmin: key("new_admin"), mint }).instruction(),
  set_role: () => program.methods.setRole({ role: { pauser: {} }, key: key("new_pauser") }).accountsPartial({ admin: key("admin"), mint }).instruction(),
  update_config: () =>
    program.methods
      .updateConfig({ ...unchangedConfig, supplyCap: { set: { cap: u64(1000 * one_token) } }, timelockSecs: u64(3600) })
      .accountsPartial({ admin: key("admin"), mint })
      .instruction(),
  update_config_remove_cap: () =>
    program.methods.updateConfig({ ...unchangedConfig, supplyCap: { remove: {} } }).accountsPartial({ admin: key("admin"), mint }).instruction(),
  update_metadata: () =>
    program.methods.updateMetadata({ name: "USD One", symbol: null, uri: null }).accountsPartial({ admin: key("admin"), mint }).instruction(),
  pause: () => program.methods.pause({ scope: { all: {} } }).accountsPartial({ pauser: key("pauser"), mint }).instruction(),
  unpause: () => program.methods.unpause({ scope: { mint: {} } }).accountsPartial({ pauser: key("pauser"), mint }).instruction(),
  configure_minter: () =>
    program.methods
      .configureMinter({ minter: key("new_minter"), rateLimit: { capacity: u64(500 * one_token), refillPerSec: u64(1000) } })
      .accountsPartial({ masterMinter: key("master_minter"), mint })
      .instruction(),
  remove_minter: () => program.methods.removeMinter({ minter: key("minter") }).accountsPartial({ masterMinter: key("master_minter"), mint }).instruction(),
  decrease_allowance: () =>
    program.methods.decreaseAllowance({ minter: key("minter"), amount: u64(5 * one_token) }).accountsPartial({ masterMinter: key("master_minter"), mint }).instruction(),
  propose_set_allowance: () =>
    proposeInstruction(program, { proposer: key("c0"), mint, kind: { setAllowance: { minter: key("minter"), amount: u64(2000 * one_token) } } }),
  propose_seize: () =>
    proposeInstruction(program, {
      proposer: key("c0"),
      mint,
      kind: { seize: { owner: key("mallory"), amount: u64(one_token), destination: { burn: {} }, orderHash: hash("order-1") } },
    }),
  propose_set_council: () =>
    proposeInstruction(program, { proposer: key("c0"), mint, kind: { setCouncil: { members: [key("c0"), key("c1"), key("c2")], threshold: 2 } } }),
  propose_set_role: () => proposeInstruction(program, { proposer: key("c0"), mint, kind: { setRole: { role: { admin: {} }, key: key("new_admin") } } }),
  // The fixture's open proposal is an allowance; the admin change is built from its kind as `executeInstruction` does.
  execute_set_role_admin: () =>
    program.methods
      .execute({ proposal: u64(open_proposal) })
      .accountsPartial({ executor: key("c2"), mint, minterAccount: null, ownerDenylistEntry: null, destinationToken: null, destinationDenylistEntry: null, tokenProgram: null })
      .remainingAccounts([{ pubkey: minterAddress(configAddress(mint), key("new_admin")), isSigner: false, isWritable: false }])
      .instruction(),
  approve: () => program.methods.approve({ proposal: u64(open_proposal) }).accountsPartial({ approver: key("c1"), mint }).instruction(),
  reject: () => program.methods.reject({ proposal: u64(open_proposal) }).accountsPartial({ voter: key("c2"), mint }).instruction(),
  execute: () => executeInstruction(program, { executor: key("c2"), mint, proposal: open_proposal }),
  cancel: () => cancelInstruction(program, { canceller: key("c0"), mint, proposal: open_proposal }),
  cancel_seize: () =>
    program.methods
      .cancel({ proposal: u64(open_proposal) })
      .accountsPartial({ canceller: key("c0"), mint, ownerDenylistEntry: denylistAddress(configAddress(mint), key("mallory")) })
      .instruction(),
  onboard: () =>
    program.methods.onboard({ wallet: key("alice"), referenceHash: hash("kyc-1") }).accountsPartial({ onboarder: key("denylister"), mint }).instruction(),
  offboard: () => program.methods.offboard({ wallet: key("alice") }).accountsPartial({ onboarder: key("denylister"), mint }).instruction(),
  mint: () => mintInstruction(program, { minter: key("minter"), mint, recipient: key("alice"), amount: one_token, reference: "wire-ts-1", validUntil: far_future }),
  attest_reserves: () =>
    program.methods
      .attestReserves({ amount: u64(100 * one_token), reportHash: hash("report-1"), asOf: u64(1_700_000_000) })
      .accountsPartial({ attester: key("attester"), mint })
      .instruction(),
  request_redemption: () =>
    program.methods
      .requestRedemption({ amount: u64(one_token), referenceHash: hash("ticket-ts-1") })
      .accountsPartial({ holder: key("alice"), mint, holderToken: associatedTokenAddress(key("alice"), mint) })
      .instruction(),
  complete_redemption: () =>
    program.methods
      .completeRedemption({ holder: key("alice"), referenceHash: hash("ticket-1"), payoutReferenceHash: hash("payout-1") })
      .accountsPartial({ burner: key("burner"), mint })
      .instruction(),
  reject_redemption: () =>
    program.methods
      .rejectRedemption({ holder: key("alice"), referenceHash: hash("ticket-1"), reasonHash: hash("reason-1") })
      .accountsPartial({ burner: key("burner"), mint })
      .instruction(),
  burn: () =>
    program.methods
      .burn({ amount: u64(one_token) })
      .accountsPartial({ burner: key("burner"), mint, burnerToken: associatedTokenAddress(key("burner"), mint) })
      .instruction(),
  sweep_escrow: () =>
    program.methods.sweepEscrow().accountsPartial({ burner: key("burner"), mint, toOwner: key("bob"), to: associatedTokenAddress(key("bob"), mint) }).instruction(),
  denylist_add: () => denylistAddInstruction(program, { denylister: key("denylister"), mint, wallet: key("bob"), reason: "case-1" }),
  denylist_remove: () => denylistRemoveInstruction(program, { denylister: key("denylister"), mint, wallet: key("mallory") }),
  freeze: () =>
    program.methods.freeze().accountsPartial({ denylister: key("denylister"), mint, owner: key("bob"), tokenAccount: associatedTokenAddress(key("bob"), mint) }).instruction(),
  thaw: () =>
    program.methods.thaw().accountsPartial({ denylister: key("denylister"), mint, owner: key("mallory"), tokenAccount: associatedTokenAddress(key("mallory"), mint) }).instruction(),
  check_supply: () => program.methods.checkSupply().accountsPartial({ mint }).instruction(),
  transfer: async () => transferCheckedInstruction(aliceToBob),
};

/** A connection that fails any request: what an offline signer's machine has. */
const offline = usd1Program({
  connection: new Proxy({} as any, {
    get: (_target, name) => (name === "rpcEndpoint" ? "offline://" : name === "commitment" ? "confirmed" : () => Promise.reject(new Error(`offline: ${String(name)} called`))),
  }),
} as any);

function plain(instruction: TransactionInstruction) {
  return {
    program_id: instruction.programId.toBase58(),
    keys: instruction.keys.map((meta) => ({ pubkey: meta.pubkey.toBase58(), is_signer: meta.isSigner, is_writable: meta.isWritable })),
    data: instruction.data.toString("base64"),
  };
}

/** A doc that reads as whole sentences: a capital or a code span first, a full stop or closing bracket last. */
function wholeSentences(docs: string[] | undefined): boolean {
  const text = (docs ?? []).join(" ").trim();
  return /^[A-Z`]/.test(text) && /[.)]$/.test(text);
}

test("the IDL is the committed one and every account and argument has a doc of whole sentences", () => {
  assert.equal(USD1_PROGRAM_ID.toBase58(), fixtures.program_id);
  const fragments: string[] = [];
  for (const instruction of IDL.instructions) {
    for (const item of [...(instruction.accounts as { name: string; docs?: string[] }[]), ...(instruction.args as { name: string; docs?: string[] }[])]) {
      if (!wholeSentences(item.docs)) fragments.push(`${instruction.name}.${item.name}: ${JSON.stringify(item.docs ?? [])}`);
    }
  }
  assert.deepEqual(fragments, []);
  const names = IDL.accounts.map((account) => account.name).sort();
  assert.deepEqual(names, ["Config", "DenylistEntry", "DenylistRegistry", "MintReceipt", "Minter", "Proposal", "RedemptionRequest"]);
});

test("every instruction case of the Rust client has a TypeScript case", () => {
  assert.deepEqual(Object.keys(cases).sort(), fixtures.instructions.map((instruction) => instruction.name).sort());
});

for (const expected of fixtures.instructions) {
  test(`builds ${expected.name} as the Rust client does, from the mint, signers and arguments`, async () => {
    const built = await cases[expected.name]();
    assert.deepEqual(plain(built), { program_id: expected.program_id, keys: expected.keys, data: expected.data });
    // The same compute-unit limit as the Rust client gives it.
    assert.equal(computeBudget.transactionUnits([built]), expected.compute_units, `${expected.name}: compute-unit limit`);
  });
}

test("the compute-unit table is the Rust client's, figure for figure, and covers every IDL instruction", () => {
  const rust = fixtures.compute_budget;
  assert.equal(computeBudget.MAX_TRANSACTION_UNITS, rust.max_transaction_units);
  assert.equal(computeBudget.DEFAULT_INSTRUCTION_UNITS, rust.default_instruction_units);
  assert.equal(computeBudget.MARGIN_PERCENT, rust.margin_percent);
  assert.equal(computeBudget.MARGIN_UNITS, rust.margin_units);
  assert.equal(computeBudget.BUILTIN_INSTRUCTION_UNITS, rust.builtin_instruction_units);
  assert.deepEqual(computeBudget.MEASURED, rust.measured);
  assert.deepEqual(computeBudget.HOOKED_TRANSFER, rust.hooked_transfer);
  assert.deepEqual(computeBudget.CREATE_ASSOCIATED_ACCOUNT, rust.create_associated_account);
  const callable = (IDL.instructions as unknown as { name: string }[]).map((instruction) => instruction.name).filter((name) => name !== "transfer_hook_execute");
  assert.deepEqual(Object.keys(computeBudget.MEASURED).sort(), callable.sort());
});

test("withComputeBudget appends the limit and the priority fee, and keeps a budget the caller chose", async () => {
  const pause = await cases["pause"]();
  const [first, limit, price] = computeBudget.withComputeBudget([pause], { microLamports: 5_000 });
  assert.equal(first, pause);
  assert.ok(limit.programId.equals(ComputeBudgetProgram.programId) && price.programId.equals(ComputeBudgetProgram.programId));
  assert.deepEqual([...limit.data], [...ComputeBudgetProgram.setComputeUnitLimit({ units: computeBudget.transactionUnits([pause]) }).data]);
  assert.deepEqual([...price.data], [...ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 5_000 }).data]);
  assert.equal(computeBudget.withComputeBudget([pause]).length, 2);
  const chosen = ComputeBudgetProgram.setComputeUnitLimit({ units: 1 });
  assert.deepEqual(computeBudget.withComputeBudget([chosen, pause], { microLamports: 9 }), [chosen, pause]);
});

test("spl-token's generic hook resolution finds the same accounts as the offline transfer builder", async () => {
  const resolved = await transferCheckedResolved(fixtureConnection(), aliceToBob);
  assert.deepEqual(plain(resolved), plain(transferCheckedInstruction(aliceToBob)));
});

test("decodes every account type the program writes as the Rust client does", async () => {
  const types = new Set<string>();
  for (const expected of fixtures.decoded_accounts) {
    const name = (expected.type[0].toLowerCase() + expected.type.slice(1)) as keyof typeof program.account;
    const decoded = (await program.account[name].fetch(new PublicKey(expected.address))) as Record<string, unknown>;
    const json = rustJson(decoded) as Record<string, unknown>;
    for (const [field, value] of Object.entries(expected)) {
      if (field === "type" || field === "address") continue;
      const actual = field === "approvals" ? (decoded.approvals as unknown[]).length : json[field];
      assert.deepEqual(actual, value, `${expected.type}.${field}`);
    }
    types.add(expected.type);
  }
  assert.deepEqual([...types].sort(), ["Config", "DenylistEntry", "DenylistRegistry", "MintReceipt", "Minter", "Proposal", "RedemptionRequest"]);
});

test("decodes every event of real transactions, with seq, as the Rust decoder does", () => {
  const seen = new Set<string>();
  const all = [];
  for (const transaction of fixtures.transactions) {
    const response = {
      slot: transaction.slot,
      transaction: { signatures: transaction.transaction.signatures, message: { accountKeys: transaction.transaction.message.accountKeys.map((k: string) => new PublicKey(k)) } },
      meta: transaction.meta,
    } as unknown as TransactionResponse;
    const events = decodeTransactionEvents(response);
    assert.equal(events.length, transaction.events.length, transaction.label);
    events.forEach((event, index) => {
      const expected = transaction.events[index];
      assert.equal(event.raw.toString("base64"), expected.raw);
      assert.equal(event.seq, BigInt(expected.seq));
      assert.deepEqual({ event: event.name, ...(rustJson(event.data) as object), raw: expected.raw }, expected, transaction.label);
      seen.add(event.name);
    });
    all.push(...events);
  }
  for (const name of ["Initialized", "MinterConfigured", "ProposalCreated", "ProposalApproved", "ProposalExecuted", "Minted", "RedemptionRequested", "Denylisted", "Paused", "Unpaused", "SupplyChecked"]) {
    if (name !== "Initialized") assert.ok(seen.has(name), `no ${name} in the fixtures`);
  }
  // The fixture's transactions start after initialize (seq 1) and miss nothing after it.
  assert.deepEqual(findSeqGaps(all, 1n), []);
});

test("gap detection names each missing run of seq", () => {
  const events = [1n, 2n, 5n, 6n, 9n].map((seq) => ({ seq }));
  assert.deepEqual(findSeqGaps(events), [
    { from: 3n, to: 4n },
    { from: 7n, to: 8n },
  ]);
  assert.deepEqual(findSeqGaps(events, 6n), [{ from: 7n, to: 8n }]);
  assert.deepEqual(findSeqGaps([], 3n), []);
});

test("event decoding refuses what is not a USD1 event", () => {
  assert.equal(decodeEventData(Buffer.from("not an event")), null);
  const tagged = Buffer.concat([Buffer.from([0xe4, 0x45, 0xa5, 0x2e, 0x51, 0xcb, 0x9a, 0x1d]), Buffer.alloc(16, 7)]);
  assert.throws(() => decodeEventData(tagged), /unknown USD1 event/);
});

test("PDA helpers agree with the addresses in the Rust instructions", () => {
  const addresses = mintAddresses(mint);
  const check = fixtures.instructions.find((instruction) => instruction.name === "check_supply")!;
  assert.ok(check.keys.some((meta) => meta.pubkey === addresses.config.toBase58()));
  assert.equal(check.keys[0].pubkey, mint.toBase58(), "the mint comes first: every other account derives from it");
  assert.ok(check.keys.some((meta) => meta.pubkey === addresses.escrow.toBase58()));
  assert.ok(configAddress(Keypair.generate().publicKey) instanceof PublicKey);
});

test("a first mint to a holder with no account builds from the IDL alone, offline, as the Rust client builds it", async () => {
  const newHolder = Keypair.generate().publicKey;
  const args = { minter: key("minter"), mint, recipient: newHolder, amount: one_token, reference: "wire-new-holder", validUntil: far_future };
  // program.methods with only the mint, the signers, the recipient's key and the arguments: nothing fetched.
  const built = await offline.methods
    .mint({ amount: u64(one_token), referenceHash: hash("wire-new-holder"), validUntil: u64(far_future) })
    .accounts({ minter: key("minter"), payer: key("minter"), mint, recipient: newHolder, recipientToken: associatedTokenAddress(newHolder, mint) })
    .instruction();
  const config = configAddress(mint);
  const keys = Object.fromEntries((IDL.instructions.find((instruction) => instruction.name === "mint")!.accounts as { name: string }[]).map((account, index) => [account.name, built.keys[index].pubkey.toBase58()]));
  assert.equal(keys.recipient_denylist_entry, denylistAddress(config, newHolder).toBase58());
  assert.equal(keys.recipient_onboarded, onboardedAddress(config, newHolder).toBase58());
  assert.equal(keys.minter_account, minterAddress(config, key("minter")).toBase58());
  assert.deepEqual(plain(built), plain(await mintInstruction(offline, args)));
  // With the account creation first: one transaction a wallet can sign offline.
  const [create, minted] = await mintInstructions(offline, args);
  assert.ok(create.programId.equals(ASSOCIATED_TOKEN_PROGRAM_ID));
  assert.equal(create.data[0], 1, "CreateIdempotent: the same message whether or not the account exists");
  assert.deepEqual(plain(minted), plain(built));
  // The Rust case, rebuilt for its own recipient, matches byte for byte.
  const rust = fixtures.instructions.find((instruction) => instruction.name === "mint")!;
  assert.deepEqual(plain(await mintInstruction(offline, { ...args, recipient: key("alice"), reference: "wire-ts-1" })), { program_id: rust.program_id, keys: rust.keys, data: rust.data });
});

test("a sweep to a holder with no account builds offline", async () => {
  const newHolder = Keypair.generate().publicKey;
  const [create, sweep] = await sweepEscrowInstructions(offline, { burner: key("burner"), mint, to: newHolder });
  assert.ok(create.programId.equals(ASSOCIATED_TOKEN_PROGRAM_ID));
  assert.ok(sweep.keys.some((meta) => meta.pubkey.equals(denylistAddress(configAddress(mint), newHolder))));
  assert.ok(sweep.keys.some((meta) => meta.pubkey.equals(associatedTokenAddress(newHolder, mint))));
});

test("a wallet's token accounts are ordered and filtered exactly as the Rust client orders them", async () => {
  const expected = fixtures.wallet_accounts;
  const owner = new PublicKey(expected.owner);
  const all = await walletTokenAccounts(program, mint, owner);
  assert.equal(all[0].address.toBase58(), associatedTokenAddress(owner, mint).toBase58(), "the associated account first");
  assert.deepEqual((await listingAccounts(program, mint, owner)).map((address) => address.toBase58()), expected.listing);
  assert.deepEqual((await seizureSourceAccounts(program, mint, owner)).map((address) => address.toBase58()), expected.seizure_sources);
  // The fixture's keys were picked so that text order differs from byte order.
  const rest = all.slice(1).map((account) => account.address.toBase58());
  assert.notDeepEqual([...rest].sort(), rest, "base58 text order would differ from the Rust order");
});
