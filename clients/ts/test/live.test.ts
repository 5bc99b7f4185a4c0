// Live: @solana/web3.js and Anchor against `usd1 localnet` (the Rust side's embedded ledger
// served as JSON-RPC). A drill populates it through `usd1 drill run --url`; this test reads the
// program's accounts and every transaction's events back, and sends a transaction of its own.
// It needs the `usd1` binary (`cargo build -p usd1-cli`, or USD1_BIN); `.ci/run` sets
// USD1_REQUIRE_LOCALNET=1 so that a missing binary fails instead of skipping.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { Connection, Keypair, LAMPORTS_PER_SOL, PublicKey, Transaction } from "@solana/web3.js";
import {
  associatedTokenAddress,
  configAddress,
  decodeTransactionEvents,
  findSeqGaps,
  transferCheckedInstruction,
  transferCheckedResolved,
  usd1Program,
  type Usd1Event,
} from "../src/index.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const binary = process.env.USD1_BIN ?? join(root, "target/debug/usd1");
const available = existsSync(binary);
if (!available && process.env.USD1_REQUIRE_LOCALNET) throw new Error(`usd1 binary not found at ${binary}: build it with cargo build -p usd1-cli`);

let localnet: ChildProcess | undefined;
let url = "";
let record: any[] = [];

before(async () => {
  if (!available) return;
  localnet = spawn(binary, ["--output", "json", "localnet", "--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
  const banner = await new Promise<string>((resolve, reject) => {
    createInterface({ input: localnet!.stdout! }).once("line", resolve);
    localnet!.once("exit", (code) => reject(new Error(`localnet exited with ${code}`)));
  });
  url = JSON.parse(banner).url;
  const recordFile = join(mkdtempSync(join(tmpdir(), "usd1-live-")), "record.jsonl");
  const drill = spawnSync(binary, ["drill", "run", join(root, "tests/drills/lawful_order_seizure.json"), "--url", url, "--record", recordFile], { encoding: "utf8" });
  assert.equal(drill.status, 0, drill.stdout + drill.stderr);
  record = readFileSync(recordFile, "utf8").trim().split("\n").map((line) => JSON.parse(line));
});

after(() => {
  localnet?.kill("SIGTERM");
});

async function waitFor(connection: Connection, signature: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { value } = await connection.getSignatureStatuses([signature]);
    if (value[0]?.confirmationStatus) return value[0];
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
  const entries = await program.account.denylistEntry.all();
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
  const holder = (await program.account.denylistEntry.all())[0].account.wallet;
  const params = { mint, source: associatedTokenAddress(holder, mint), destination: associatedTokenAddress(payer.publicKey, mint), authority: holder, amount: 1n, decimals: 6 };
  const resolved = await transferCheckedResolved(connection, params);
  assert.deepEqual(resolved.keys, transferCheckedInstruction(params).keys);
});
