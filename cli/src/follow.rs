//! `usd1 events --follow`: every event of the mint in `seq` order, as it lands, with no gap.
//!
//! History first (from `--from-seq`), then a websocket `logsSubscribe` on the Config: each
//! notified transaction is fetched and its events decoded. An event whose `seq` is past the
//! next one expected means something was missed (a dropped socket, a notification lost): the
//! gap is read from history (`getSignaturesForAddress` after the last delivered transaction)
//! before anything later is delivered. An event already delivered is skipped, so a replay
//! after a reconnect delivers nothing twice. A dropped socket is reconnected with backoff,
//! and history is read again after each (re)subscription, and whenever the socket has been
//! quiet for `RESYNC_INTERVAL`: a validator may drop notifications under load (its queue is
//! bounded), and history may list a transaction a moment after its notification, so the
//! last events of a burst are never left waiting for a notification that will not come.
use crate::{
    chain::Chain,
    output::outln,
    people::{event_line, Units},
    OutputFormat,
};
use anyhow::{anyhow, bail};
use futures_util::StreamExt;
use serde_json::Value;
use solana_commitment_config::CommitmentConfig;
use solana_pubkey::Pubkey;
use solana_pubsub_client::nonblocking::pubsub_client::PubsubClient;
use solana_rpc_client_api::config::{RpcTransactionLogsConfig, RpcTransactionLogsFilter};
use std::time::Duration;

/// Longest wait between reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// History is read again after this long without a notification (as the TypeScript client's
/// `resyncMs`).
const RESYNC_INTERVAL: Duration = Duration::from_secs(5);

/// Where the follower stands: the next `seq` to deliver and the last transaction delivered from.
pub struct Cursor {
    pub next_seq: u64,
    pub last_signature: Option<String>,
    /// How the mint's amounts read in text output.
    pub units: Units,
}

/// Print one event: the program's event as one JSON line (base units and unix seconds, as the
/// IDL and `--record` have them), or as text a line a person reads (`#6 Minted amount=2,500 USD1 ...`).
pub fn print_event(format: OutputFormat, event: &Value, units: &Units) {
    match format {
        OutputFormat::Json => outln!("{event}"),
        OutputFormat::Text => outln!("{}", event_line(event, units)),
    }
}

/// What delivering one transaction's events found.
enum Delivered {
    /// Every event was delivered or had been already.
    Done,
    /// An event's seq is past the next expected: the events between are missing.
    Gap { expected: u64, found: u64 },
}

/// Deliver a transaction's events of `mint` in order, skipping those already delivered.
fn deliver(record: &Value, mint: &str, cursor: &mut Cursor, format: OutputFormat) -> Delivered {
    for event in record["events"].as_array().into_iter().flatten().filter(|event| event["mint"] == mint) {
        let Some(seq) = event["seq"].as_u64() else { continue };
        if seq < cursor.next_seq {
            continue;
        }
        if seq > cursor.next_seq {
            return Delivered::Gap { expected: cursor.next_seq, found: seq };
        }
        print_event(format, event, &cursor.units);
        cursor.next_seq = seq + 1;
    }
    if let Some(signature) = record["signature"].as_str() {
        cursor.last_signature = Some(signature.to_string());
    }
    Delivered::Done
}

/// Why following stopped or paused.
enum Interrupted {
    /// The cluster could not be read (a restart, a dropped connection): retry.
    Unreachable(anyhow::Error),
    /// History itself lacks an event seq (the Config's counter never skips): stop.
    Incomplete(String),
}

/// Read history after the cursor's transaction and deliver it.
async fn catch_up(chain: &mut Chain, mint: &Pubkey, cursor: &mut Cursor, format: OutputFormat) -> Result<(), Interrupted> {
    let mint_text = mint.to_string();
    let (records, _) = chain.recorded_transactions(mint, cursor.last_signature.as_deref(), 1_000).await.map_err(Interrupted::Unreachable)?;
    for record in &records {
        if let Delivered::Gap { expected, found } = deliver(record, &mint_text, cursor, format) {
            return Err(Interrupted::Incomplete(format!(
                "event seq {expected} is missing from this mint's history (the next one found is {found}): the cluster's history is incomplete"
            )));
        }
    }
    Ok(())
}

/// Deliver what the websocket announces until it closes (or `done`).
async fn follow_socket(
    chain: &mut Chain,
    client: &PubsubClient,
    mint: &Pubkey,
    cursor: &mut Cursor,
    format: OutputFormat,
    done: impl Fn(&Cursor) -> bool,
) -> Result<(), Interrupted> {
    let config = usd1_client::pda::config_address(mint);
    let mint_text = mint.to_string();
    let filter = RpcTransactionLogsFilter::Mentions(vec![config.to_string()]);
    let logs_config = RpcTransactionLogsConfig { commitment: Some(CommitmentConfig::confirmed()) };
    let (mut notifications, _unsubscribe) = client.logs_subscribe(filter, logs_config).await.map_err(|error| Interrupted::Unreachable(error.into()))?;
    // What landed while (re)connecting.
    catch_up(chain, mint, cursor, format).await?;
    while !done(cursor) {
        let notification = match tokio::time::timeout(RESYNC_INTERVAL, notifications.next()).await {
            Err(_quiet) => {
                catch_up(chain, mint, cursor, format).await?;
                continue;
            }
            Ok(None) => break,
            Ok(Some(notification)) => notification,
        };
        if notification.value.err.is_some() {
            continue;
        }
        let record = chain.transaction_record(&notification.value.signature).await.map_err(Interrupted::Unreachable)?;
        if let Delivered::Gap { .. } = deliver(&record, &mint_text, cursor, format) {
            catch_up(chain, mint, cursor, format).await?;
        }
    }
    Ok(())
}

/// Follow the mint's events until the process is stopped (or, with `until_seq`, until that
/// seq has been delivered).
pub async fn follow(chain: &mut Chain, mint: &Pubkey, from_seq: u64, until_seq: Option<u64>, format: OutputFormat) -> anyhow::Result<()> {
    let url = chain.rpc_url().ok_or_else(|| anyhow!("--follow needs a cluster (--url): an embedded ledger's events do not arrive while it is closed"))?;
    let websocket = solana_cli_config::Config::compute_websocket_url(&url);
    let units = Units::new(chain.config(mint).await?.decimals);
    let mut cursor = Cursor { next_seq: from_seq.max(1), last_signature: None, units };
    let done = |cursor: &Cursor| until_seq.is_some_and(|last| cursor.next_seq > last);
    let mut backoff = Duration::from_millis(100);
    while !done(&cursor) {
        let outcome = match PubsubClient::new(&websocket).await {
            Ok(client) => {
                let outcome = follow_socket(chain, &client, mint, &mut cursor, format, done).await;
                if outcome.is_ok() {
                    backoff = Duration::from_millis(100);
                }
                outcome
            }
            Err(error) => Err(Interrupted::Unreachable(error.into())),
        };
        match outcome {
            Err(Interrupted::Incomplete(reason)) => bail!(reason),
            Err(Interrupted::Unreachable(error)) => {
                eprintln!("{websocket}: {error:#}; retrying in {} ms (next seq {})", backoff.as_millis(), cursor.next_seq);
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            Ok(()) if !done(&cursor) => eprintln!("{websocket} closed; reconnecting (next seq {})", cursor.next_seq),
            Ok(()) => {}
        }
    }
    Ok(())
}
