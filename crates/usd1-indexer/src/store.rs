//! The SQLite event store: one row per event, keyed by (signature, index), with
//! typed columns for what reconciliation and monitoring query.
use crate::IndexError;
use rusqlite::{params, Connection, OptionalExtension};
use std::{borrow::Cow, path::Path};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    signature TEXT NOT NULL,
    event_index INTEGER NOT NULL,
    signature_key INTEGER NOT NULL,
    cluster TEXT NOT NULL DEFAULT '',
    slot INTEGER NOT NULL,
    block_time INTEGER,
    mint TEXT NOT NULL,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    amount INTEGER,
    reference_hash TEXT,
    actor TEXT,
    subject TEXT,
    supply INTEGER,
    body TEXT NOT NULL
);
-- Events are keyed by (signature, index). The key is indexed through a 64-bit
-- digest of the signature: an index of 88-character keys inserted in random order
-- halves indexing speed once it outgrows the page cache. A digest match with a
-- different full signature is reported as a conflict, never taken as a duplicate.
CREATE UNIQUE INDEX IF NOT EXISTS events_by_signature ON events (signature_key, event_index);
CREATE TABLE IF NOT EXISTS sources (
    source TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    line INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cursors (
    source TEXT PRIMARY KEY,
    signature TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reconciliations (
    id INTEGER PRIMARY KEY,
    mint TEXT NOT NULL,
    checked_at INTEGER NOT NULL,
    chain_supply INTEGER NOT NULL,
    derived_supply INTEGER NOT NULL,
    reserves INTEGER NOT NULL,
    reserves_as_of TEXT NOT NULL,
    ok INTEGER NOT NULL
);
";

/// The fields of an event the typed columns hold. `actor` is who acted and
/// `subject` what was acted on: each is the first of its candidate fields, in
/// the order below, that the event has.
#[derive(serde::Deserialize)]
pub struct EventFields<'a> {
    #[serde(borrow)]
    pub mint: Cow<'a, str>,
    #[serde(borrow)]
    pub event: Cow<'a, str>,
    pub seq: u64,
    pub amount: Option<u64>,
    pub supply: Option<u64>,
    #[serde(borrow)]
    pub reference_hash: Option<Cow<'a, str>>,
    // actor candidates
    #[serde(borrow)]
    admin: Option<Cow<'a, str>>,
    #[serde(borrow)]
    minter: Option<Cow<'a, str>>,
    #[serde(borrow)]
    burner: Option<Cow<'a, str>>,
    #[serde(borrow)]
    holder: Option<Cow<'a, str>>,
    #[serde(borrow)]
    approver: Option<Cow<'a, str>>,
    #[serde(borrow)]
    proposer: Option<Cow<'a, str>>,
    #[serde(borrow)]
    executor: Option<Cow<'a, str>>,
    #[serde(borrow)]
    attester: Option<Cow<'a, str>>,
    #[serde(borrow)]
    cancelled_by: Option<Cow<'a, str>>,
    #[serde(borrow)]
    by: Option<Cow<'a, str>>,
    #[serde(borrow)]
    previous_admin: Option<Cow<'a, str>>,
    // subject candidates
    #[serde(borrow)]
    recipient: Option<Cow<'a, str>>,
    #[serde(borrow)]
    wallet: Option<Cow<'a, str>>,
    #[serde(borrow)]
    token_account: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pending_admin: Option<Cow<'a, str>>,
    #[serde(borrow)]
    new_admin: Option<Cow<'a, str>>,
    #[serde(borrow)]
    new: Option<Cow<'a, str>>,
}

impl EventFields<'_> {
    pub fn actor(&self) -> Option<&str> {
        [&self.admin, &self.minter, &self.burner, &self.holder, &self.approver, &self.proposer, &self.executor, &self.attester, &self.cancelled_by, &self.by, &self.previous_admin]
            .into_iter()
            .find_map(|field| field.as_deref())
    }

    pub fn subject(&self) -> Option<&str> {
        [&self.recipient, &self.wallet, &self.token_account, &self.pending_admin, &self.new_admin, &self.new].into_iter().find_map(|field| field.as_deref())
    }
}

pub struct Store {
    pub(crate) connection: Connection,
}

/// One event row, extracted from a recorded transaction.
pub struct EventRow<'a> {
    /// The genesis hash of the cluster the event was read from ('' when unknown: a record file).
    pub cluster: &'a str,
    pub signature: &'a str,
    pub event_index: i64,
    pub slot: i64,
    pub block_time: Option<i64>,
    pub fields: &'a EventFields<'a>,
    /// The event's JSON as recorded.
    pub body: &'a str,
}

/// SQLite integers are signed: refuse (rather than wrap) anything above i64::MAX.
fn integer(value: Option<u64>, field: &str) -> Result<Option<i64>, IndexError> {
    value
        .map(|unsigned| i64::try_from(unsigned).map_err(|_| IndexError::Malformed(format!("`{field}` {unsigned} exceeds the store's range"))))
        .transpose()
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, IndexError> {
        let connection = Connection::open(path)?;
        // WAL keeps readers (monitor, reconcile) working while an index runs; NORMAL
        // sync is durable at each commit in WAL mode, and every batch is one commit.
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        // A fixed 128 MiB page cache holds both indexes of a million-event store.
        connection.pragma_update(None, "cache_size", -131_072)?;
        connection.execute_batch(SCHEMA)?;
        migrate_to_clusters(&connection)?;
        Ok(Store { connection })
    }

    /// Where a source was last indexed up to: (byte offset, lines read).
    pub fn position(&self, source: &str) -> Result<(u64, u64), IndexError> {
        let position: Option<(i64, i64)> = self
            .connection
            .query_row("SELECT position, line FROM sources WHERE source = ?1", [source], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let (offset, line) = position.unwrap_or((0, 0));
        Ok((offset.max(0) as u64, line.max(0) as u64))
    }

    /// The newest transaction indexed from a chain source.
    pub fn cursor(&self, source: &str) -> Result<Option<String>, IndexError> {
        Ok(self.connection.query_row("SELECT signature FROM cursors WHERE source = ?1", [source], |row| row.get(0)).optional()?)
    }

    pub fn set_cursor(&self, source: &str, signature: &str) -> Result<(), IndexError> {
        self.connection.execute(
            "INSERT INTO cursors (source, signature) VALUES (?1, ?2) ON CONFLICT (source) DO UPDATE SET signature = excluded.signature",
            params![source, signature],
        )?;
        Ok(())
    }

    pub fn event_count(&self) -> Result<u64, IndexError> {
        Ok(self.connection.query_row("SELECT COUNT(*) FROM events", [], |row| row.get::<_, i64>(0))? as u64)
    }

    /// The mints present in the store.
    pub fn mints(&self) -> Result<Vec<String>, IndexError> {
        let mut statement = self.connection.prepare("SELECT DISTINCT mint FROM events ORDER BY mint")?;
        let mints = statement.query_map([], |row| row.get(0))?.collect::<Result<Vec<String>, _>>()?;
        Ok(mints)
    }

    /// The (cluster, mint) pairs present in the store: its deployments.
    pub fn deployments(&self) -> Result<Vec<(String, String)>, IndexError> {
        let mut statement = self.connection.prepare("SELECT DISTINCT cluster, mint FROM events ORDER BY cluster, mint")?;
        let pairs = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<Vec<(String, String)>, _>>()?;
        Ok(pairs)
    }

    /// The clusters a mint's events were indexed from ('' for record files).
    pub fn clusters_of(&self, mint: &str) -> Result<Vec<String>, IndexError> {
        let mut statement = self.connection.prepare("SELECT DISTINCT cluster FROM events WHERE mint = ?1 ORDER BY cluster")?;
        let clusters = statement.query_map([mint], |row| row.get(0))?.collect::<Result<Vec<String>, _>>()?;
        Ok(clusters)
    }

    /// Give a mint's events indexed from record files (cluster unknown) a cluster: for stores
    /// indexed from that chain before deployments were keyed by cluster. Returns how many.
    pub fn adopt_unnamed_cluster(&self, mint: &str, cluster: &str) -> Result<u64, IndexError> {
        Ok(self.connection.execute("UPDATE events SET cluster = ?2 WHERE mint = ?1 AND cluster = ''", params![mint, cluster])? as u64)
    }

    /// The highest seq indexed for a deployment (0 when none).
    pub fn last_seq(&self, cluster: &str, mint: &str) -> Result<u64, IndexError> {
        let seq: i64 = self.connection.query_row("SELECT COALESCE(MAX(seq), 0) FROM events WHERE cluster = ?1 AND mint = ?2", params![cluster, mint], |row| row.get(0))?;
        Ok(seq.max(0) as u64)
    }

    /// Ranges of `seq` missing per mint: (mint, first missing, last missing).
    pub fn gaps(&self) -> Result<Vec<(String, u64, u64)>, IndexError> {
        let mut statement = self.connection.prepare(
            "SELECT mint, prev + 1, seq - 1 FROM (
                 SELECT mint, seq, LAG(seq) OVER (PARTITION BY mint, cluster ORDER BY seq) AS prev FROM events
             ) WHERE prev IS NOT NULL AND seq > prev + 1
             UNION ALL
             SELECT mint, 1, MIN(seq) - 1 FROM events GROUP BY mint, cluster HAVING MIN(seq) > 1
             ORDER BY 1, 2",
        )?;
        let gaps = statement
            .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)? as u64, row.get::<_, i64>(2)? as u64)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(gaps)
    }
}

/// Stores made before deployments were keyed by cluster have no `cluster` column and
/// a unique (mint, seq) index: add the column (their events' cluster is unknown: '')
/// and key `seq` by (mint, cluster, seq). Idempotent.
fn migrate_to_clusters(connection: &Connection) -> Result<(), IndexError> {
    let has_cluster: bool = connection.query_row("SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'cluster'", [], |row| row.get::<_, i64>(0))? > 0;
    if !has_cluster {
        connection.execute_batch("ALTER TABLE events ADD COLUMN cluster TEXT NOT NULL DEFAULT ''")?;
    }
    // Mint first: reconciliation and monitoring look a mint up without its cluster.
    connection.execute_batch(
        "DROP INDEX IF EXISTS events_by_seq;
         DROP INDEX IF EXISTS events_by_cluster_seq;
         CREATE UNIQUE INDEX IF NOT EXISTS events_by_mint_cluster_seq ON events (mint, cluster, seq);",
    )?;
    Ok(())
}

/// A prepared insert inside one SQLite transaction.
pub struct Inserter<'a> {
    statement: rusqlite::Statement<'a>,
    adopt_cluster: rusqlite::Statement<'a>,
    existing: rusqlite::Statement<'a>,
    same_key: rusqlite::Statement<'a>,
}

/// The 64-bit digest the (signature, index) key is indexed by.
fn signature_key(signature: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(signature.as_bytes());
    i64::from_le_bytes(digest[..8].try_into().expect("8 bytes"))
}

impl<'a> Inserter<'a> {
    pub fn new(transaction: &'a rusqlite::Transaction<'a>) -> Result<Inserter<'a>, IndexError> {
        Ok(Inserter {
            statement: transaction.prepare(
                "INSERT INTO events (signature, event_index, signature_key, slot, block_time, mint, seq, name, amount, reference_hash, actor, subject, supply, body, cluster)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                 ON CONFLICT (signature_key, event_index) DO NOTHING",
            )?,
            adopt_cluster: transaction.prepare(
                "UPDATE events SET cluster = ?3 WHERE signature_key = ?1 AND event_index = ?2 AND cluster = '' AND ?3 != ''",
            )?,
            existing: transaction.prepare("SELECT signature FROM events WHERE cluster = ?1 AND mint = ?2 AND seq = ?3")?,
            same_key: transaction.prepare("SELECT signature, cluster, body FROM events WHERE signature_key = ?1 AND event_index = ?2")?,
        })
    }

    /// Insert one event; true when it was new. The same (signature, index) again is
    /// a no-op; the same (mint, seq) from another transaction is an error.
    pub fn insert(&mut self, row: &EventRow) -> Result<bool, IndexError> {
        let fields = row.fields;
        let (mint, name) = (fields.mint.as_ref(), fields.event.as_ref());
        let seq = integer(Some(fields.seq), "seq")?.unwrap_or_default();
        let key = signature_key(row.signature);
        let result = self.statement.execute(params![
            row.signature,
            row.event_index,
            key,
            row.slot,
            row.block_time,
            mint,
            seq,
            name,
            integer(fields.amount, "amount")?,
            fields.reference_hash.as_deref(),
            fields.actor(),
            fields.subject(),
            integer(fields.supply, "supply")?,
            row.body,
            row.cluster,
        ]);
        match result {
            Ok(1) => Ok(true),
            Ok(_) => {
                // Already there: it must be this very signature, not a digest collision.
                let (stored, stored_cluster, stored_body): (String, String, String) =
                    self.same_key.query_row(params![key, row.event_index], |found| Ok((found.get(0)?, found.get(1)?, found.get(2)?)))?;
                if stored == row.signature {
                    if stored_cluster.is_empty() && !row.cluster.is_empty() {
                        // The same transaction read again, now from a named cluster: the event indexed
                        // from a record file (cluster unknown) takes that cluster, but only if the file
                        // said what the chain says.
                        if stored_body != row.body {
                            return Err(IndexError::Malformed(format!(
                                "event {} of transaction {} differs between the record file indexed earlier and cluster {}: the file is not that chain's",
                                row.event_index, row.signature, row.cluster
                            )));
                        }
                        self.adopt_cluster.execute(params![key, row.event_index, row.cluster])?;
                    }
                    Ok(false)
                } else {
                    Err(IndexError::Conflict { mint: mint.to_string(), seq: seq as u64, first: stored, second: row.signature.to_string() })
                }
            }
            Err(rusqlite::Error::SqliteFailure(error, _)) if error.code == rusqlite::ErrorCode::ConstraintViolation => {
                let other: String = self.existing.query_row(params![row.cluster, mint, seq], |found| found.get(0))?;
                Err(IndexError::Conflict { mint: mint.to_string(), seq: seq as u64, first: other, second: row.signature.to_string() })
            }
            Err(error) => Err(error.into()),
        }
    }
}
