// Live: @solana/web3.js and Anchor against `usd1 localnet` (the Rust side's embedded ledger
// served as JSON-RPC). A drill populates it through `usd1 drill run --url`; this test reads the
// program's accounts and every transaction's events back, and sends a transaction of its own.
// It needs the `usd1` binary (`cargo build -p usd1-cli`, or USD1_BIN); `.ci/run` sets
// USD1_REQUIRE_LOCALNET=1 so that a missing binary fails instead of skipping. With
// USD1_CLUSTER_URL (scripts/validator-e2e.sh: agave's solana-test-validator with the .so
// deployed) the same tests run against that cluster instead of a localnet of their own; the
// forced reconnect, which needs the endpoint restarted, is left out there.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import {
  ComputeBudgetProgram,
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SystemProgram,
  Transaction,
  TransactionMessage,
  VersionedTransaction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import { TOKEN_2022_PROGRAM_ID } from "@solana/spl-token";
import {
  associatedTokenAddress,
  configAddress,
  decodeTransactionEvents,
  denylistAddress,
  findSeqGaps,
  subscribeEvents,
  transferCheckedInstruction,
  transferCheckedResolved,
  usd1Program,
  verifyDeployment,
  type Usd1Event,
} from "../src/index.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const binary = process.env.USD1_BIN ?? join(root, "target/debug/usd1");
const available = existsSync(binary);
if (!available && process.env.USD1_REQUIRE_LOCALNET) throw new Error(`usd1 binary not found at ${binary}: build it with cargo build -p usd1-cli`);

const externalCluster = process.env.USD1_CLUSTER_URL || undefined;
let localnet: ChildProcess | undefined;
let url = "";
let record: any[] = [];
const directory = mkdtempSync(join(tmpdir(), "usd1-live-"));
const ledger = join(directory, "localnet.ledger");

/** `usd1 localnet` on `port` (0: any free one) with the test's ledger file; its banner. */
async function startLocalnet(port: number): Promise<{ url: string; websocket_url: string }> {
  localnet = spawn(binary, ["--output", "json", "--ledger", ledger, "localnet", "--port", String(port)], { stdio: ["ignore", "pipe", "ignore"] });
  const banner = await new Promise<string>((resolve, reject) => {
    createInterface({ input: localnet!.stdout! }).once("line", resolve);
    localnet!.once("exit", (code) => reject(new Error(`localnet exited with ${code}`)));
  });
  return JSON.parse(banner);
}

/** SIGTERM (the ledger file is saved) and wait for the process to end. */
async function stopLocalnet() {
  const running = localnet!;
  const exited = new Promise((resolve) => running.once("exit", resolve));
  running.kill("SIGTERM");
  await exited;
}

before(async () => {
  if (!available) return;
  if (externalCluster) {
    url = externalCluster;
  } else {
    const banner = await startLocalnet(0);
    url = banner.url;
    assert.equal(new URL(banner.websocket_url).port, String(Number(new URL(url).port) + 1), "the websocket at the RPC port plus one, where web3.js looks");
  }
  const recordFile = join(directory, "record.jsonl");
  const drill = spawnSync(binary, ["drill", "run", join(root, "tests/drills/lawful_order_seizure.json"), "--url", url, "--record", recordFile], { encoding: "utf8" });
  assert.equal(drill.status, 0, drill.stdout + drill.stderr);
  record = readFileSync(recordFile, "utf8").trim().split("\n").map((line) => JSON.parse(line));
});

after(() => {
  localnet?.kill("SIGTERM");
});

/** The mint's denylist entries (a validator the e2e script shares holds other tests' mints too). */
async function denylistEntriesOf(connection: Connection, mint: PublicKey) {
  const config = configAddress(mint);
  const entries = await usd1Program(connection).account.denylistEntry.all();
  return entries.filter((entry) => entry.publicKey.equals(denylistAddress(config, entry.account.wallet)));
}

/** The signature's status once confirmed (a validator answers "processed" first). */
async function waitFor(connection: Connection, signature: string) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const { value } = await connection.getSignatureStatuses([signature]);
    if (value[0]?.confirmationStatus === "confirmed" || value[0]?.confirmationStatus === "finalized") return value[0];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${signature} was not confirmed`);
}

test("web3.js and Anchor read the program's accounts and every event from localnet", { skip: !available && "no usd1 binary" }, async () => {
  const connection = new Connection(url, "confirmed");
  const program = usd1Program(connection);
  const mint = new PublicKey(record[0].events[0].mint);
  const config = await program.account.config.fetch(configAddress(mint));
  assert.ok(config.mint.equals(mint));

  // Every transaction touching the Config, newest first, paged; its events from the inner instructions.
  const signatures = [];
  let before: string | undefined;
  for (;;) {
    const page = await connection.getSignaturesForAddress(configAddress(mint), { before, limit: 5 });
    signatures.push(...page);
    if (page.length < 5) break;
    before = page[page.length - 1].signature;
  }
  const events: Usd1Event[] = [];
  for (const { signature } of signatures.reverse()) {
    const transaction = await connection.getTransaction(signature, { maxSupportedTransactionVersion: 0, commitment: "confirmed" });
    assert.ok(transaction, signature);
    events.push(...decodeTransactionEvents(transaction));
  }
  assert.deepEqual(findSeqGaps(events), [], "no event missed");
  assert.equal(events.at(-1)!.seq.toString(), config.eventSeq.toString());
  // The same bytes the drill recorded through the Rust client.
  const recorded = record.flatMap((line) => line.events);
  assert.deepEqual(
    events.map((event) => [event.name, event.raw.toString("base64")]),
    recorded.map((event) => [event.event, event.raw]),
  );
  assert.ok(events.some((event) => event.name === "Seized"));

  // Program accounts by type (getProgramAccounts with a discriminator memcmp) and token accounts (jsonParsed).
  const entries = await denylistEntriesOf(connection, mint);
  assert.ok(entries.length >= 1, "the drill denylists a wallet");
  const owner = entries[0].account.wallet;
  const tokenAccounts = await connection.getParsedTokenAccountsByOwner(owner, { mint });
  assert.ok(tokenAccounts.value.length >= 1);
  assert.equal(tokenAccounts.value[0].account.data.parsed.info.state, "frozen", "denylisting froze the wallet's account");
});

test("a transaction sent from web3.js runs, and its event comes back with the next seq", { skip: !available && "no usd1 binary" }, async () => {
  const connection = new Connection(url, "confirmed");
  const program = usd1Program(connection);
  const mint = new PublicKey(record[0].events[0].mint);
  const before = await program.account.config.fetch(configAddress(mint));
  const payer = Keypair.generate();
  await waitFor(connection, await connection.requestAirdrop(payer.publicKey, LAMPORTS_PER_SOL));
  const instruction = await program.methods.checkSupply().accountsPartial({ mint }).instruction();
  const { blockhash } = await connection.getLatestBlockhash();
  const transaction = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(instruction);
  transaction.sign(payer);
  const signature = await connection.sendRawTransaction(transaction.serialize());
  assert.equal((await waitFor(connection, signature)).err, null);
  const sent = await connection.getTransaction(signature, { maxSupportedTransactionVersion: 0, commitment: "confirmed" });
  const [event] = decodeTransactionEvents(sent!);
  assert.equal(event.name, "SupplyChecked");
  assert.equal(event.seq, BigInt(before.eventSeq.toString()) + 1n);

  // The hooked-transfer builders agree live, too.
  const holder = (await denylistEntriesOf(connection, mint))[0].account.wallet;
  const params = { mint, source: associatedTokenAddress(holder, mint), destination: associatedTokenAddress(payer.publicKey, mint), authority: holder, amount: 1n, decimals: 6 };
  const resolved = await transferCheckedResolved(connection, params);
  assert.deepEqual(resolved.keys, transferCheckedInstruction(params).keys);
});

test("every HTTP method localnet serves answers through web3.js in agave's shape", { skip: !available && "no usd1 binary" }, async () => {
  const connection = new Connection(url, "confirmed");
  const mint = new PublicKey(record[0].events[0].mint);
  const version = await connection.getVersion();
  assert.equal(version["solana-core"], "3.1.12");
  assert.equal(typeof version["feature-set"], "number", "agave's feature-set id, as web3.js validates it");
  const health = await (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth" }) })).json();
  assert.equal(health.result, "ok");
  assert.match(await connection.getGenesisHash(), /^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
  const slot = await connection.getSlot();
  assert.ok(slot > 0);
  assert.ok((await connection.getBlockHeight()) >= 0);
  assert.equal((await connection.getEpochInfo()).absoluteSlot, slot);
  assert.equal(typeof (await connection.getBlockTime(slot)), "number");
  const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash();
  assert.ok(lastValidBlockHeight > 0);
  assert.equal((await connection.isBlockhashValid(blockhash)).value, true);
  const payer = Keypair.generate();
  const airdrop = await connection.requestAirdrop(payer.publicKey, LAMPORTS_PER_SOL);
  await connection.confirmTransaction({ signature: airdrop, blockhash, lastValidBlockHeight }, "confirmed");
  assert.equal(await connection.getBalance(payer.publicKey), LAMPORTS_PER_SOL);
  assert.ok((await connection.getMinimumBalanceForRentExemption(165)) > 0);
  const message = new TransactionMessage({ payerKey: payer.publicKey, recentBlockhash: blockhash, instructions: [SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1_000_000 })] }).compileToLegacyMessage();
  assert.equal((await connection.getFeeForMessage(message)).value, 5000);
  const simulated = await connection.simulateTransaction(new VersionedTransaction(message));
  assert.equal(simulated.value.err, null);
  assert.ok(await connection.getAccountInfo(mint));
  const [mintInfo, missing] = await connection.getMultipleAccountsInfo([mint, Keypair.generate().publicKey]);
  assert.ok(mintInfo?.owner.equals(TOKEN_2022_PROGRAM_ID) && missing === null);
  assert.ok((await connection.getProgramAccounts(usd1Program(connection).programId)).length > 0);
  const holder = (await denylistEntriesOf(connection, mint))[0].account.wallet;
  assert.ok((await connection.getTokenAccountsByOwner(holder, { mint })).value.length >= 1);
  assert.ok((await connection.getParsedTokenAccountsByOwner(holder, { programId: TOKEN_2022_PROGRAM_ID })).value.length >= 1);
  const [latest] = await connection.getSignaturesForAddress(configAddress(mint), { limit: 1 });
  // localnet finalizes at once; a validator a few seconds after confirming.
  const finality = (await connection.getSignatureStatuses([latest.signature])).value[0]?.confirmationStatus ?? "";
  assert.ok((externalCluster ? ["confirmed", "finalized"] : ["finalized"]).includes(finality), finality);
  assert.ok(await connection.getTransaction(latest.signature, { maxSupportedTransactionVersion: 0 }));
});

test("sendAndConfirmTransaction confirms over localnet's websocket (signatureSubscribe) unchanged", { skip: !available && "no usd1 binary" }, async () => {
  const connection = new Connection(url, "confirmed");
  const payer = Keypair.generate();
  await waitFor(connection, await connection.requestAirdrop(payer.publicKey, LAMPORTS_PER_SOL));
  const mint = new PublicKey(record[0].events[0].mint);
  const instruction = await usd1Program(connection).methods.checkSupply().accountsPartial({ mint }).instruction();
  const signature = await sendAndConfirmTransaction(connection, new Transaction().add(instruction), [payer], { commitment: "confirmed" });
  const [event] = decodeTransactionEvents((await connection.getTransaction(signature, { maxSupportedTransactionVersion: 0, commitment: "confirmed" }))!);
  assert.equal(event.name, "SupplyChecked");
  // accountSubscribe and slotSubscribe answer with web3.js's shapes too.
  const seen = new Promise<{ lamports: number; slot: number }>((resolve) => {
    const id = connection.onAccountChange(payer.publicKey, (account, context) => {
      void connection.removeAccountChangeListener(id);
      resolve({ lamports: account.lamports, slot: context.slot });
    });
  });
  const slots = new Promise<number>((resolve) => {
    const id = connection.onSlotChange((info) => {
      void connection.removeSlotChangeListener(id);
      resolve(info.slot);
    });
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  await sendAndConfirmTransaction(connection, new Transaction().add(ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 1 }), instruction), [payer], { commitment: "confirmed" });
  const changed = await seen;
  assert.ok(changed.lamports < LAMPORTS_PER_SOL && changed.slot > 0);
  assert.ok((await slots) > 0);
});

test("verifyDeployment passes the drill's deployment item for item as usd1 verify does", { skip: !available && "no usd1 binary" }, async () => {
  const connection = new Connection(url, "confirmed");
  const mint = new PublicKey(record[0].events[0].mint);
  const report = await verifyDeployment(connection, mint);
  const cli = spawnSync(binary, ["--url", url, "--mint", mint.toBase58(), "--output", "json", "verify"], { encoding: "utf8" });
  const rust = JSON.parse(cli.stdout);
  assert.deepEqual(
    report.checks.map(({ item, ok, status }) => ({ item, ok, status })),
    rust.checks.map(({ item, ok, status }: any) => ({ item, ok, status })),
  );
  assert.equal(report.ok, rust.ok);
  assert.equal(cli.status, rust.ok ? 0 : 1);
  // A mint that is not a USD1 deployment fails by name.
  const other = await verifyDeployment(connection, Keypair.generate().publicKey);
  assert.equal(other.ok, false);
  assert.equal(other.checks.find((check) => check.item === "mint_account")?.status, "fail");
});

test("subscribeEvents delivers every event of 1,000 transactions in order, with no gap, across a forced reconnect", { skip: !available && "no usd1 binary", timeout: 180_000 }, async () => {
  let connection = new Connection(url, "confirmed");
  const mint = new PublicKey(record[0].events[0].mint);
  const program = usd1Program(connection);
  const start = BigInt((await program.account.config.fetch(configAddress(mint))).eventSeq.toString());
  const payer = Keypair.generate();
  await waitFor(connection, await connection.requestAirdrop(payer.publicKey, 10 * LAMPORTS_PER_SOL));
  const check = await program.methods.checkSupply().accountsPartial({ mint }).instruction();
  const send = async (from: number, count: number) => {
    for (let index = from; index < from + count; index++) {
      const { blockhash } = await connection.getLatestBlockhash();
      const transaction = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(ComputeBudgetProgram.setComputeUnitPrice({ microLamports: index + 1 }), check);
      transaction.sign(payer);
      await connection.sendRawTransaction(transaction.serialize());
    }
  };
  // Resume from a seq before the run: history first, then live.
  const fromSeq = start - 2n;
  const seqs: bigint[] = [];
  const total = start + 1000n;
  let reached: () => void;
  const done = new Promise<void>((resolve) => (reached = resolve));
  const subscription = await subscribeEvents(connection, mint, (event) => {
    seqs.push(event.seq);
    if (event.seq === total) reached();
  }, { fromSeq, resyncMs: 500 });
  await subscription.caughtUp;
  await send(0, 500);
  // The forced reconnect: the endpoint stops (the websocket drops) and comes back on the same
  // port. A validator started by the e2e script is not restarted from here.
  if (!externalCluster) {
    await stopLocalnet();
    const port = Number(new URL(url).port);
    const banner = await startLocalnet(port);
    assert.equal(banner.url, url);
    connection = new Connection(url, "confirmed");
  }
  await send(500, 500);
  await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`stopped at seq ${seqs.at(-1)} of ${total}`)), 120_000))]);
  await subscription.unsubscribe();
  const expected = Array.from({ length: Number(total - fromSeq) + 1 }, (_, index) => fromSeq + BigInt(index));
  assert.deepEqual(seqs, expected, "every event once, in order");
  assert.equal(subscription.nextSeq(), total + 1n);
});
