// Live events: every USD1 event of a mint, in `seq` order, as it lands, with no gap.
//
// History first (from `fromSeq`), then web3.js's websocket `logsSubscribe` on the Config: each
// notified transaction is fetched and decoded. An event whose seq is past the next expected one
// means something was missed (a socket that dropped and reconnected, a lost notification): the
// gap is read from history (getSignaturesForAddress after the last delivered transaction) before
// anything later is delivered, and an event already delivered is skipped. web3.js reconnects a
// dropped socket and re-subscribes by itself; `resyncMs` reads history on a timer as well, so a
// gap is filled even when nothing new lands after a reconnect.
import type { Commitment, Connection, Logs, PublicKey } from "@solana/web3.js";
import { decodeTransactionEvents, type Usd1Event } from "./events.js";
import { configAddress } from "./pda.js";

export interface SubscribeEventsOptions {
  /** The first seq to deliver (resume after the last one kept); 1 by default. */
  fromSeq?: bigint | number;
  /** "confirmed" by default (the commitment the history and the notifications are read at). */
  commitment?: Commitment;
  /** Read history on this interval too (ms), to close a gap left by a reconnect; 0 turns it off. 5,000 by default. */
  resyncMs?: number;
  /** Called with an error the subscription met (a fetch that failed); the subscription goes on. */
  onError?: (error: unknown) => void;
}

export interface EventSubscription {
  /** Stop: no further handler calls. */
  unsubscribe(): Promise<void>;
  /** The next seq the handler will receive. */
  nextSeq(): bigint;
  /** Resolves once the history before the subscription has been delivered. */
  caughtUp: Promise<void>;
}

/**
 * Follow `mint`'s events: `handler` receives each one once, in seq order, starting at `fromSeq`.
 * Handlers run one at a time (an async handler is awaited before the next event).
 */
export async function subscribeEvents(
  connection: Connection,
  mint: PublicKey,
  handler: (event: Usd1Event, signature: string) => void | Promise<void>,
  options: SubscribeEventsOptions = {},
): Promise<EventSubscription> {
  const commitment = options.commitment ?? "confirmed";
  const config = configAddress(mint);
  const finality = commitment === "processed" ? "confirmed" : (commitment as "confirmed" | "finalized");
  let next = BigInt(options.fromSeq ?? 1);
  if (next < 1n) next = 1n;
  let cursor: string | undefined;
  let stopped = false;
  // One task at a time: history reads and notifications are handled in arrival order.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (task: () => Promise<void>) => {
    queue = queue.then(task).catch((error) => options.onError?.(error));
    return queue;
  };

  /** Deliver a transaction's events of this mint; false at a gap (an event past the next seq). */
  async function deliver(events: Usd1Event[], signature: string): Promise<boolean> {
    for (const event of events) {
      if ((event.data as { mint?: PublicKey }).mint && !(event.data as { mint: PublicKey }).mint.equals(mint)) continue;
      if (event.seq < next) continue;
      if (event.seq > next) return false;
      if (stopped) return true;
      await handler(event, signature);
      next = event.seq + 1n;
    }
    cursor = signature;
    return true;
  }

  async function fetchEvents(signature: string): Promise<Usd1Event[] | null> {
    const transaction = await connection.getTransaction(signature, { commitment: finality, maxSupportedTransactionVersion: 0 });
    if (!transaction) return null;
    if (transaction.meta?.err) return [];
    return decodeTransactionEvents(transaction);
  }

  /** Every transaction on the Config after the cursor, oldest first, delivered. */
  async function catchUp(): Promise<void> {
    const signatures: { signature: string; err: unknown }[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await connection.getSignaturesForAddress(config, { before, until: cursor, limit: 1000 }, finality);
      signatures.push(...page);
      if (page.length < 1000) break;
      before = page[page.length - 1].signature;
    }
    for (const { signature, err } of signatures.reverse()) {
      if (stopped) return;
      if (err) continue;
      const events = await fetchEvents(signature);
      if (events === null) throw new Error(`transaction ${signature} is listed for the Config but cannot be fetched`);
      if (!(await deliver(events, signature))) {
        throw new Error(`event seq ${next} is missing from ${mint.toBase58()}'s history`);
      }
    }
  }

  const onLogs = (logs: Logs) => {
    if (logs.err) return;
    enqueue(async () => {
      if (stopped) return;
      const events = await fetchEvents(logs.signature);
      if (events === null || !(await deliver(events, logs.signature))) await catchUp();
    });
  };

  const caughtUp = enqueue(catchUp);
  const listener = connection.onLogs(config, onLogs, commitment);
  // What landed between the history read and the subscription.
  enqueue(catchUp);
  const timer = options.resyncMs === 0 ? undefined : setInterval(() => enqueue(catchUp), options.resyncMs ?? 5_000);
  timer?.unref?.();

  return {
    async unsubscribe() {
      stopped = true;
      if (timer) clearInterval(timer);
      await connection.removeOnLogsListener(listener);
      await queue;
    },
    nextSeq: () => next,
    caughtUp,
  };
}
