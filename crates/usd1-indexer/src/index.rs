//! Indexing recorded transactions: idempotent (a re-run changes nothing),
//! resumable (a file is continued from the byte where the last run stopped), and
//! checked (every mint's `seq` must run 1, 2, 3... without holes).
use crate::{
    store::{EventFields, EventRow, Inserter, Store},
    IndexError,
};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;
use std::{
    fs::File,
    io::{BufRead, BufReader, Seek, SeekFrom},
    path::Path,
};

/// Lines per SQLite transaction: large enough to be fast, small enough that an
/// interrupted run loses little (the position is committed with each batch).
const BATCH_LINES: u64 = 50_000;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IndexSummary {
    pub transactions_read: u64,
    pub events_inserted: u64,
    pub events_already_indexed: u64,
    /// (mint, first missing seq, last missing seq)
    pub gaps: Vec<(String, u64, u64)>,
}

/// A recorded transaction, borrowing from its line; each event stays raw JSON so
/// it is stored as written, without being serialized again.
#[derive(serde::Deserialize)]
struct Record<'a> {
    #[serde(borrow)]
    signature: std::borrow::Cow<'a, str>,
    slot: u64,
    block_time: Option<i64>,
    #[serde(borrow)]
    events: Vec<&'a serde_json::value::RawValue>,
}

fn insert_record(inserter: &mut Inserter, cluster: &str, record: &Record, summary: &mut IndexSummary) -> Result<(), IndexError> {
    for (event_index, raw) in record.events.iter().enumerate() {
        let fields: EventFields = serde_json::from_str(raw.get()).map_err(|error| IndexError::Malformed(format!("event {event_index}: {error}")))?;
        let row = EventRow {
            cluster,
            signature: &record.signature,
            event_index: event_index as i64,
            slot: record.slot as i64,
            block_time: record.block_time,
            fields: &fields,
            body: raw.get(),
        };
        if inserter.insert(&row)? {
            summary.events_inserted += 1;
        } else {
            summary.events_already_indexed += 1;
        }
    }
    summary.transactions_read += 1;
    Ok(())
}

/// Index records produced elsewhere, in one transaction, with no cluster named.
pub fn index_records(store: &mut Store, records: impl IntoIterator<Item = Value>) -> Result<IndexSummary, IndexError> {
    index_cluster_records(store, "", records)
}

/// Index records read from the cluster whose genesis hash is `cluster`, in one transaction.
/// Deployments are keyed by (cluster, mint): the same mint address on two clusters is two deployments.
pub fn index_cluster_records(store: &mut Store, cluster: &str, records: impl IntoIterator<Item = Value>) -> Result<IndexSummary, IndexError> {
    let mut summary = IndexSummary::default();
    let transaction = store.connection.transaction()?;
    {
        let mut inserter = Inserter::new(&transaction)?;
        for record in records {
            let text = record.to_string();
            let record: Record = serde_json::from_str(&text).map_err(|error| IndexError::Malformed(format!("record: {error}")))?;
            insert_record(&mut inserter, cluster, &record, &mut summary)?;
        }
    }
    transaction.commit()?;
    summary.gaps = store.gaps()?;
    Ok(summary)
}

/// Index a JSONL record file, continuing from where the last run on this file
/// stopped. A malformed line aborts the run with its line number; the batch it is
/// in is not committed. An unterminated last line (a file still being written)
/// is left for the next run.
pub fn index_file(store: &mut Store, path: &Path, show_progress: bool) -> Result<IndexSummary, IndexError> {
    let canonical = path.canonicalize()?;
    let source = format!("file:{}", canonical.display());
    let mut file = File::open(&canonical)?;
    let length = file.metadata()?.len();
    let (mut position, mut line_number) = store.position(&source)?;
    if position > length {
        // The file was replaced by a shorter one: start over (inserts are idempotent).
        (position, line_number) = (0, 0);
    }
    file.seek(SeekFrom::Start(position))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let progress = if show_progress { ProgressBar::new(length) } else { ProgressBar::hidden() };
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {per_sec} eta {eta}").unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    progress.set_position(position);

    let mut summary = IndexSummary::default();
    let mut buffer = String::new();
    let mut finished = false;
    while !finished {
        let transaction = store.connection.transaction()?;
        {
            let mut inserter = Inserter::new(&transaction)?;
            let mut lines_in_batch = 0;
            while lines_in_batch < BATCH_LINES {
                buffer.clear();
                let read = reader.read_line(&mut buffer)?;
                if read == 0 || !buffer.ends_with('\n') {
                    finished = true;
                    break;
                }
                line_number += 1;
                lines_in_batch += 1;
                let text = buffer.trim();
                if !text.is_empty() {
                    let record: Record = serde_json::from_str(text)
                        .map_err(|error| IndexError::MalformedLine { line: line_number, reason: error.to_string() })?;
                    insert_record(&mut inserter, "", &record, &mut summary).map_err(|error| match error {
                        IndexError::Malformed(reason) => IndexError::MalformedLine { line: line_number, reason },
                        other => other,
                    })?;
                }
                position += read as u64;
            }
        }
        transaction.execute(
            "INSERT INTO sources (source, position, line) VALUES (?1, ?2, ?3)
             ON CONFLICT (source) DO UPDATE SET position = excluded.position, line = excluded.line",
            rusqlite::params![source, position as i64, line_number as i64],
        )?;
        transaction.commit()?;
        progress.set_position(position);
    }
    progress.finish_and_clear();
    summary.gaps = store.gaps()?;
    Ok(summary)
}
