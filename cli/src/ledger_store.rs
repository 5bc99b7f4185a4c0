//! The operator store (SPEC 15): an embedded ledger kept in one SQLite file (`--ledger`).
//!
//! One writer at a time: a process that opens the file holds an exclusive lock on
//! `<file>.lock` (released by the kernel when the process ends, however it ends) from before it
//! reads the ledger until it exits, so two commands never execute against the same state and
//! overwrite each other's transactions. A second process waits for the lock (up to
//! `USD1_LEDGER_WAIT_SECS`, 30 by default) and otherwise stops with "ledger in use by PID N";
//! it does not wait for a `usd1 localnet` serving the file, which holds it until stopped.
//!
//! Each ledger transaction is written as one SQLite transaction (WAL mode, synchronous
//! commits): the accounts it changed, the clock, and its record appended. Nothing is rewritten
//! that did not change, so a write costs the same at the first and the 20,000th transaction.
//! A JSON state file from before the store is migrated on first open (the original is kept
//! beside it); any other file is refused.
use anyhow::{anyhow, bail, Context};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What the `meta` table's `format` row says for this layout.
const FORMAT: &str = "usd1-ledger-sqlite-1";

/// How long a writer waits for another one by default (seconds).
const DEFAULT_WAIT_SECS: u64 = 30;

/// The first bytes of every SQLite database file.
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

/// One account as stored.
pub struct StoredAccount {
    pub address: String,
    pub lamports: u64,
    pub owner: String,
    pub executable: bool,
    pub data: Vec<u8>,
}

/// Everything a ledger file holds, as read when it is opened.
#[derive(Default)]
pub struct StoredLedger {
    pub unix_timestamp: i64,
    pub slot: u64,
    pub tick_counter: u64,
    pub genesis_hash: Option<String>,
    pub accounts: Vec<StoredAccount>,
    pub transactions: Vec<Value>,
    pub rpc_history: Vec<Value>,
}

/// The changes one write commits together.
pub struct Changes<'a> {
    pub unix_timestamp: i64,
    pub slot: u64,
    pub tick_counter: u64,
    pub genesis_hash: String,
    /// Accounts to write; `None` for one that no longer exists (closed, or drained to zero).
    pub accounts: Vec<(String, Option<StoredAccount>)>,
    pub new_transactions: &'a [Value],
    pub new_rpc_history: &'a [Value],
}

/// Who holds a ledger's lock (written into the lock file by the holder).
#[derive(serde::Serialize, serde::Deserialize)]
struct Holder {
    pid: u32,
    command: String,
    /// Whether the holder keeps the file until stopped (`usd1 localnet`).
    serving: bool,
    since: String,
}

/// An open ledger file, locked for this process.
pub struct LedgerStore {
    path: PathBuf,
    /// Behind a mutex only so that a store can sit in state shared across threads (localnet's).
    connection: std::sync::Mutex<Connection>,
    /// Held for the life of the store: the lock is the open file's.
    _lock: File,
    /// Rows already in each append-only table.
    saved_transactions: usize,
    saved_rpc_history: usize,
}

/// The lock file beside a ledger file: beside the file itself, wherever the path (a symlink, a
/// relative path) leads, so two names for one ledger take one lock.
pub fn lock_path(path: &Path) -> PathBuf {
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| {
        // Not there yet: its directory resolved, its name as given.
        let parent = path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let parent = std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
        parent.join(path.file_name().unwrap_or_default())
    });
    let mut name = real.into_os_string();
    name.push(".lock");
    PathBuf::from(name)
}

fn wait_limit() -> Duration {
    let secs = std::env::var("USD1_LEDGER_WAIT_SECS").ok().and_then(|text| text.parse().ok()).unwrap_or(DEFAULT_WAIT_SECS);
    Duration::from_secs(secs)
}

fn read_holder(lock: &mut File) -> Option<Holder> {
    let mut text = String::new();
    lock.rewind().ok()?;
    lock.read_to_string(&mut text).ok()?;
    serde_json::from_str(&text).ok()
}

/// Take `path`'s writer lock, waiting for another writer (not for a server) up to the limit.
fn acquire(path: &Path, serving: bool) -> anyhow::Result<File> {
    let lock_file = lock_path(path);
    let mut lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_file)
        .with_context(|| format!("opening the ledger's lock file {}", lock_file.display()))?;
    let limit = wait_limit();
    let started = Instant::now();
    loop {
        match lock.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = read_holder(&mut lock);
                let holder_serves = holder.as_ref().is_some_and(|holder| holder.serving);
                if holder_serves || started.elapsed() >= limit {
                    let who = match &holder {
                        Some(holder) => format!("PID {} (`{}`, since {})", holder.pid, holder.command, holder.since),
                        None => "another process".to_string(),
                    };
                    let advice = if holder_serves {
                        "send to the endpoint it serves with --url instead, or stop it first".to_string()
                    } else {
                        format!("waited {} s; run the command again once it has finished (USD1_LEDGER_WAIT_SECS sets the wait)", started.elapsed().as_secs())
                    };
                    bail!("ledger in use by {who}: {} has one writer at a time; {advice}", path.display());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::Error(error)) => return Err(error).with_context(|| format!("locking {}", lock_file.display())),
        }
    }
    let holder = Holder {
        pid: std::process::id(),
        command: std::env::args().map(|argument| argument.rsplit('/').next().unwrap_or_default().to_string()).take(1).chain(std::env::args().skip(1)).collect::<Vec<_>>().join(" "),
        serving,
        since: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    lock.set_len(0)?;
    lock.rewind()?;
    lock.write_all(serde_json::to_string(&holder)?.as_bytes())?;
    lock.flush()?;
    Ok(lock)
}

/// What kind of file `path` is.
enum Found {
    Missing,
    Sqlite,
    JsonStateFile,
}

fn inspect(path: &Path) -> anyhow::Result<Found> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Missing),
        Err(error) => return Err(error).with_context(|| format!("opening ledger {}", path.display())),
    };
    let mut head = [0u8; 16];
    let read = file.read(&mut head).with_context(|| format!("reading ledger {}", path.display()))?;
    if read == 0 {
        // An empty file (made by `touch` or a temporary-file helper): a new ledger.
        return Ok(Found::Missing);
    }
    if read == SQLITE_HEADER.len() && head == SQLITE_HEADER {
        return Ok(Found::Sqlite);
    }
    if head[..read].iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{') {
        return Ok(Found::JsonStateFile);
    }
    bail!("{} is not a usd1 ledger (neither its SQLite store nor an older JSON state file): check the --ledger path", path.display())
}

fn connect(path: &Path) -> anyhow::Result<Connection> {
    let connection = Connection::open(path).with_context(|| format!("opening ledger {}", path.display()))?;
    connection.busy_timeout(Duration::from_secs(10))?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.execute_batch(
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS accounts (address TEXT PRIMARY KEY, lamports INTEGER NOT NULL, owner TEXT NOT NULL, executable INTEGER NOT NULL, data BLOB NOT NULL);
         CREATE TABLE IF NOT EXISTS transactions (position INTEGER PRIMARY KEY, signature TEXT, record TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS rpc_history (position INTEGER PRIMARY KEY, signature TEXT, entry TEXT NOT NULL);",
    )?;
    let format: Option<String> = connection.query_row("SELECT value FROM meta WHERE key = 'format'", [], |row| row.get(0)).optional()?;
    match format.as_deref() {
        Some(FORMAT) => {}
        None => {
            connection.execute("INSERT INTO meta (key, value) VALUES ('format', ?1)", [FORMAT])?;
        }
        Some(other) => bail!("ledger {} has layout {other}; this usd1 reads {FORMAT}", path.display()),
    }
    Ok(connection)
}

fn to_sql_integer(value: u64, what: &str) -> anyhow::Result<i64> {
    i64::try_from(value).map_err(|_| anyhow!("{what} {value} does not fit the ledger store"))
}

impl LedgerStore {
    /// Open (and lock) the ledger at `path`. A missing file is created only when `create` is
    /// set; otherwise it is refused, naming the path. `serving` marks the holder as a server
    /// (`usd1 localnet`), which other writers do not wait for.
    pub fn open(path: &Path, create: bool, serving: bool) -> anyhow::Result<(LedgerStore, StoredLedger)> {
        let missing = || {
            anyhow!(
                "no ledger at {}: check the path, or start one there (`usd1 --ledger {} initialize ...` or `usd1 localnet --ledger {}`)",
                path.display(),
                path.display(),
                path.display()
            )
        };
        // Refused before anything (even the lock file) is made beside a mistyped path.
        if !create && matches!(inspect(path)?, Found::Missing) {
            return Err(missing());
        }
        let lock = acquire(path, serving)?;
        match inspect(path)? {
            Found::Missing if !create => return Err(missing()),
            Found::JsonStateFile => migrate_json(path)?,
            Found::Missing | Found::Sqlite => {}
        }
        let connection = connect(path)?;
        let mut store = LedgerStore { path: path.to_path_buf(), connection: std::sync::Mutex::new(connection), _lock: lock, saved_transactions: 0, saved_rpc_history: 0 };
        let stored = store.load(serving)?;
        store.saved_transactions = stored.transactions.len();
        // Only a server reads its RPC history back (the largest table: every transaction with its
        // status meta); a command appends nothing to it.
        let rpc_history_rows: i64 = store.connection().query_row("SELECT COUNT(*) FROM rpc_history", [], |row| row.get(0))?;
        store.saved_rpc_history = rpc_history_rows as usize;
        Ok((store, stored))
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.connection.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn meta(&self, key: &str) -> anyhow::Result<Option<String>> {
        Ok(self.connection().query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| row.get(0)).optional()?)
    }

    fn meta_number<T: std::str::FromStr>(&self, key: &str) -> anyhow::Result<Option<T>> {
        self.meta(key)?
            .map(|text| text.parse().map_err(|_| anyhow!("ledger {}: meta {key} = {text} is not a number", self.path.display())))
            .transpose()
    }

    fn load(&self, with_rpc_history: bool) -> anyhow::Result<StoredLedger> {
        let mut stored = StoredLedger {
            unix_timestamp: self.meta_number("unix_timestamp")?.unwrap_or_default(),
            slot: self.meta_number("slot")?.unwrap_or_default(),
            tick_counter: self.meta_number("tick_counter")?.unwrap_or_default(),
            genesis_hash: self.meta("genesis_hash")?,
            ..Default::default()
        };
        let connection = self.connection();
        let mut statement = connection.prepare("SELECT address, lamports, owner, executable, data FROM accounts ORDER BY address")?;
        let rows = statement.query_map([], |row| {
            Ok(StoredAccount {
                address: row.get(0)?,
                lamports: row.get::<_, i64>(1)? as u64,
                owner: row.get(2)?,
                executable: row.get(3)?,
                data: row.get(4)?,
            })
        })?;
        for row in rows {
            stored.accounts.push(row?);
        }
        let mut tables = vec![("transactions", "record", &mut stored.transactions)];
        if with_rpc_history {
            tables.push(("rpc_history", "entry", &mut stored.rpc_history));
        }
        for (table, column, into) in tables {
            let mut statement = connection.prepare(&format!("SELECT {column} FROM {table} ORDER BY position"))?;
            let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
            for row in rows {
                let text = row?;
                into.push(serde_json::from_str(&text).with_context(|| format!("ledger {}: a {table} row is not valid JSON", self.path.display()))?);
            }
        }
        Ok(stored)
    }

    /// How many transactions and RPC history entries are already stored.
    pub fn saved_counts(&self) -> (usize, usize) {
        (self.saved_transactions, self.saved_rpc_history)
    }

    /// Commit `changes` as one SQLite transaction.
    pub fn save(&mut self, changes: Changes<'_>) -> anyhow::Result<()> {
        let mut connection = self.connection.lock().map_err(|_| anyhow!("ledger {}: a write panicked earlier", self.path.display()))?;
        let transaction = connection.transaction()?;
        {
            let mut meta = transaction.prepare_cached("INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")?;
            meta.execute(params!["unix_timestamp", changes.unix_timestamp.to_string()])?;
            meta.execute(params!["slot", changes.slot.to_string()])?;
            meta.execute(params!["tick_counter", changes.tick_counter.to_string()])?;
            meta.execute(params!["genesis_hash", changes.genesis_hash])?;
            let mut upsert = transaction.prepare_cached(
                "INSERT INTO accounts (address, lamports, owner, executable, data) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(address) DO UPDATE SET lamports = excluded.lamports, owner = excluded.owner, executable = excluded.executable, data = excluded.data",
            )?;
            let mut delete = transaction.prepare_cached("DELETE FROM accounts WHERE address = ?1")?;
            for (address, account) in &changes.accounts {
                match account {
                    Some(account) => {
                        upsert.execute(params![address, to_sql_integer(account.lamports, "lamports")?, account.owner, account.executable, account.data])?;
                    }
                    None => {
                        delete.execute([address])?;
                    }
                }
            }
            let mut insert = transaction.prepare_cached("INSERT INTO transactions (position, signature, record) VALUES (?1, ?2, ?3)")?;
            for (offset, record) in changes.new_transactions.iter().enumerate() {
                insert.execute(params![(self.saved_transactions + offset) as i64, record["signature"].as_str(), record.to_string()])?;
            }
            let mut insert = transaction.prepare_cached("INSERT INTO rpc_history (position, signature, entry) VALUES (?1, ?2, ?3)")?;
            for (offset, entry) in changes.new_rpc_history.iter().enumerate() {
                insert.execute(params![(self.saved_rpc_history + offset) as i64, entry["signature"].as_str(), entry.to_string()])?;
            }
        }
        transaction.commit().with_context(|| format!("writing ledger {}", self.path.display()))?;
        drop(connection);
        self.saved_transactions += changes.new_transactions.len();
        self.saved_rpc_history += changes.new_rpc_history.len();
        Ok(())
    }
}

/// The JSON state file of earlier releases.
#[derive(serde::Deserialize)]
struct JsonStateFile {
    unix_timestamp: i64,
    slot: u64,
    tick_counter: u64,
    accounts: std::collections::BTreeMap<String, JsonAccount>,
    transactions: Vec<Value>,
    #[serde(default)]
    rpc_history: Vec<Value>,
    #[serde(default)]
    genesis_hash: Option<String>,
}

#[derive(serde::Deserialize)]
struct JsonAccount {
    lamports: u64,
    owner: String,
    executable: bool,
    data: String,
}

/// Rewrite an older JSON state file as the SQLite store (under the lock): the store is built
/// beside it and moved into place; the JSON original is kept as `<file>.json-before-sqlite`.
fn migrate_json(path: &Path) -> anyhow::Result<()> {
    use base64::Engine;
    let text = std::fs::read_to_string(path).with_context(|| format!("reading ledger state {}", path.display()))?;
    let state: JsonStateFile = serde_json::from_str(&text)
        .with_context(|| format!("{} looks like an older JSON ledger state file but cannot be read as one: nothing was changed", path.display()))?;
    let mut building = path.as_os_str().to_owned();
    building.push(".migrating");
    let building = PathBuf::from(building);
    let _ = std::fs::remove_file(&building);
    {
        let connection = connect(&building)?;
        let mut store = LedgerStore { path: building.clone(), connection: std::sync::Mutex::new(connection), _lock: File::open(lock_path(path))?, saved_transactions: 0, saved_rpc_history: 0 };
        let mut accounts = Vec::new();
        for (address, account) in state.accounts {
            let data = base64::engine::general_purpose::STANDARD.decode(&account.data).with_context(|| format!("ledger state: bad data of {address}"))?;
            accounts.push((address.clone(), Some(StoredAccount { address, lamports: account.lamports, owner: account.owner, executable: account.executable, data })));
        }
        store.save(Changes {
            unix_timestamp: state.unix_timestamp,
            slot: state.slot,
            tick_counter: state.tick_counter,
            genesis_hash: state.genesis_hash.unwrap_or_default(),
            accounts,
            new_transactions: &state.transactions,
            new_rpc_history: &state.rpc_history,
        })?;
        store.connection().pragma_update(None, "journal_mode", "DELETE")?;
    }
    let mut kept = path.as_os_str().to_owned();
    kept.push(".json-before-sqlite");
    let kept = PathBuf::from(kept);
    // A copy first, then one atomic rename over the path: a crash at any point leaves the path
    // holding either the JSON original (migrated again next time) or the finished store.
    std::fs::copy(path, &kept).with_context(|| format!("keeping the JSON original as {}", kept.display()))?;
    std::fs::rename(&building, path).with_context(|| format!("moving the migrated ledger into {}", path.display()))?;
    eprintln!("usd1: migrated ledger {} from the JSON state file to the SQLite store (the original is kept as {})", path.display(), kept.display());
    Ok(())
}
