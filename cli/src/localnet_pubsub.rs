//! `usd1 localnet`'s Solana PubSub websocket: `signatureSubscribe`, `logsSubscribe`,
//! `accountSubscribe` and `slotSubscribe` with their `*Unsubscribe`, notifications shaped by
//! the canonical types (`solana-rpc-client-api`), so that `@solana/web3.js`'s
//! `sendAndConfirmTransaction` and `onLogs` and `solana-pubsub-client` work unchanged.
//!
//! Every transaction the endpoint commits (and every airdrop) is announced once on a broadcast
//! channel; each subscription filters it. A subscription opened after its signature landed is
//! answered from the endpoint's history at once (the channel is joined before the history is
//! read, so nothing lands unseen in between). A subscriber too slow for the channel (more than
//! [`CHANNEL_CAPACITY`] commits behind) is re-synchronised from history for signatures; logs and
//! account subscriptions are closed with an error, as a validator drops a lagging client.
use super::{invalid_params, optional, positional, pubkey, signature, RpcResult, Shared};
use jsonrpsee::{
    core::SubscriptionResult, types::Params, Extensions, PendingSubscriptionSink, RpcModule, SubscriptionMessage, SubscriptionSink,
};
use serde::Serialize;
use solana_pubkey::Pubkey;
use solana_rpc_client_api::{
    config::{RpcAccountInfoConfig, RpcSignatureSubscribeConfig, RpcTransactionLogsConfig, RpcTransactionLogsFilter},
    response::{ProcessedSignatureResult, Response, RpcLogsResponse, RpcResponseContext, RpcSignatureResult, SlotInfo},
};
use solana_transaction_error::TransactionError;
use std::sync::Arc;
use tokio::sync::broadcast::{self, error::RecvError};

/// Commits a subscriber may fall behind before it is re-synchronised or dropped.
pub const CHANNEL_CAPACITY: usize = 4_096;

/// What every subscription learns of one committed transaction or airdrop.
#[derive(Debug, Clone)]
pub struct Committed {
    pub signature: String,
    pub slot: u64,
    pub err: Option<TransactionError>,
    pub logs: Vec<String>,
    /// The message's account keys (an airdrop: its recipient).
    pub account_keys: Vec<Pubkey>,
}

pub type Notifier = broadcast::Sender<Arc<Committed>>;

pub fn notifier() -> Notifier {
    broadcast::channel(CHANNEL_CAPACITY).0
}

fn context(slot: u64) -> RpcResponseContext {
    RpcResponseContext { slot, api_version: None }
}

async fn send_json(sink: &SubscriptionSink, value: &impl Serialize) -> SubscriptionResult {
    sink.send(SubscriptionMessage::from(serde_json::value::to_raw_value(value)?)).await?;
    Ok(())
}

/// Parse the params or refuse the subscription with Solana's `Invalid params` error.
async fn accept<T>(pending: PendingSubscriptionSink, parsed: RpcResult<T>) -> Option<(SubscriptionSink, T)> {
    match parsed {
        Ok(value) => pending.accept().await.ok().map(|sink| (sink, value)),
        Err(error) => {
            pending.reject(error).await;
            None
        }
    }
}

/// The next commit, or `None` when the client went away (or unsubscribed) or the server stops.
async fn next(sink: &SubscriptionSink, receiver: &mut broadcast::Receiver<Arc<Committed>>) -> Option<Result<Arc<Committed>, u64>> {
    tokio::select! {
        _ = sink.closed() => None,
        received = receiver.recv() => match received {
            Ok(committed) => Some(Ok(committed)),
            Err(RecvError::Lagged(missed)) => Some(Err(missed)),
            Err(RecvError::Closed) => None,
        },
    }
}

pub fn register(module: &mut RpcModule<Shared>) {
    module
        .register_subscription("signatureSubscribe", "signatureNotification", "signatureUnsubscribe", signature_subscription)
        .expect("registered once");
    module.register_subscription("logsSubscribe", "logsNotification", "logsUnsubscribe", logs_subscription).expect("registered once");
    module
        .register_subscription("accountSubscribe", "accountNotification", "accountUnsubscribe", account_subscription)
        .expect("registered once");
    module.register_subscription("slotSubscribe", "slotNotification", "slotUnsubscribe", slot_subscription).expect("registered once");
}

/// One notification when the signature's transaction is processed (at once if it already
/// was), then the subscription ends, as a validator's does.
async fn signature_subscription(params: Params<'static>, pending: PendingSubscriptionSink, shared: Arc<Shared>, _: Extensions) -> SubscriptionResult {
    let parsed = positional(&params).and_then(|values| {
        let text: String = super::required(&values, 0, "signature")?;
        signature(&text)?;
        let _config: Option<RpcSignatureSubscribeConfig> = optional(&values, 1, "config")?;
        Ok(text)
    });
    let Some((sink, wanted)) = accept(pending, parsed).await else { return Ok(()) };
    loop {
        let (mut receiver, landed) = {
            let state = shared.lock().await;
            (state.notifier.subscribe(), state.signature_status(&wanted))
        };
        let landed = match landed {
            Some(landed) => Some(landed),
            None => loop {
                match next(&sink, &mut receiver).await {
                    None => return Ok(()),
                    Some(Ok(committed)) if committed.signature == wanted => break Some((committed.slot, committed.err.clone())),
                    Some(Ok(_)) => continue,
                    // Fell behind: read the history again.
                    Some(Err(_)) => break None,
                }
            },
        };
        if let Some((slot, err)) = landed {
            let value = RpcSignatureResult::ProcessedSignature(ProcessedSignatureResult { err: err.map(Into::into) });
            return send_json(&sink, &Response { context: context(slot), value }).await;
        }
    }
}

/// Each committed transaction that mentions the address (or every one, for `all`): its
/// signature, error and log lines.
async fn logs_subscription(params: Params<'static>, pending: PendingSubscriptionSink, shared: Arc<Shared>, _: Extensions) -> SubscriptionResult {
    let parsed = positional(&params).and_then(|values| {
        let filter: RpcTransactionLogsFilter = super::required(&values, 0, "filter")?;
        let _config: Option<RpcTransactionLogsConfig> = optional(&values, 1, "config")?;
        match filter {
            RpcTransactionLogsFilter::All | RpcTransactionLogsFilter::AllWithVotes => Ok(None),
            RpcTransactionLogsFilter::Mentions(keys) if keys.len() == 1 => {
                Ok(Some(keys[0].parse::<Pubkey>().map_err(|_| invalid_params(format!("invalid mention: {}", keys[0])))?))
            }
            // Agave's limit, with its message.
            RpcTransactionLogsFilter::Mentions(_) => Err(invalid_params("Invalid Request: Only 1 address supported")),
        }
    });
    let Some((sink, mention)) = accept(pending, parsed).await else { return Ok(()) };
    let mut receiver = shared.lock().await.notifier.subscribe();
    loop {
        match next(&sink, &mut receiver).await {
            None => return Ok(()),
            Some(Err(missed)) => return Err(format!("this subscriber fell {missed} transactions behind; resubscribe and read the gap from history").into()),
            Some(Ok(committed)) => {
                if mention.is_some_and(|key| !committed.account_keys.contains(&key)) {
                    continue;
                }
                let value = RpcLogsResponse { signature: committed.signature.clone(), err: committed.err.clone().map(Into::into), logs: committed.logs.clone() };
                send_json(&sink, &Response { context: context(committed.slot), value }).await?;
            }
        }
    }
}

/// The account after each committed transaction that names it, encoded as the config asks.
async fn account_subscription(params: Params<'static>, pending: PendingSubscriptionSink, shared: Arc<Shared>, _: Extensions) -> SubscriptionResult {
    let parsed = positional(&params).and_then(|values| {
        let key = pubkey(&values, 0, "account")?;
        let config: Option<RpcAccountInfoConfig> = optional(&values, 1, "config")?;
        Ok((key, config.unwrap_or_default()))
    });
    let Some((sink, (key, config))) = accept(pending, parsed).await else { return Ok(()) };
    let mut receiver = shared.lock().await.notifier.subscribe();
    loop {
        match next(&sink, &mut receiver).await {
            None => return Ok(()),
            Some(Err(missed)) => return Err(format!("this subscriber fell {missed} transactions behind; resubscribe").into()),
            Some(Ok(committed)) if committed.account_keys.contains(&key) => {
                let value = {
                    let mut state = shared.lock().await;
                    // A closed account reads as an empty system account, as a validator sends it.
                    let account = state.account(&key).await.map_err(|error| error.message().to_string())?.unwrap_or_default();
                    state.encode(&key, &account, &config).await
                };
                send_json(&sink, &Response { context: context(committed.slot), value }).await?;
            }
            Some(Ok(_)) => {}
        }
    }
}

/// The slot of each commit (the ledger's slot moves as transactions land).
async fn slot_subscription(params: Params<'static>, pending: PendingSubscriptionSink, shared: Arc<Shared>, _: Extensions) -> SubscriptionResult {
    let Some((sink, ())) = accept(pending, positional(&params).map(|_| ())).await else { return Ok(()) };
    let mut receiver = shared.lock().await.notifier.subscribe();
    let mut last = None;
    loop {
        match next(&sink, &mut receiver).await {
            None => return Ok(()),
            Some(Err(_)) => continue,
            Some(Ok(committed)) => {
                if last == Some(committed.slot) {
                    continue;
                }
                last = Some(committed.slot);
                let slot = committed.slot;
                send_json(&sink, &SlotInfo { slot, parent: slot.saturating_sub(1), root: slot }).await?;
            }
        }
    }
}
