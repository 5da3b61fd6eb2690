//! Opening the database: the file created readable by its owner only, WAL, the connection
//! settings, the migrations, and the recovery of runs a dead process left `running`. Owns the
//! shared connection and the options ([`Options`]); the tables' queries live in their modules.
//!
//! Connection settings, and why:
//! - `journal_mode=WAL`: the window reads (lists, searches) while a run is being recorded.
//! - `synchronous=NORMAL`: a commit is a write to the WAL, no fsync, so checkpoints cost
//!   microseconds; a killed process loses nothing committed (the OS has the pages); a power cut
//!   may lose the last commits but never corrupts the file.
//! - `busy_timeout`: the window and the CLI writing at the same moment wait for each other.
//! - `foreign_keys=ON`: deleting a run deletes its texts, edits, exports and approvals.
//! - `secure_delete=ON`: deleted texts are overwritten in the file, not left in free pages.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::{Error, Result, BUSY_TIMEOUT_MS};
use crate::liveness::{self, Owner};
use crate::migrate;

/// The database's file name in Katib's data dir.
pub const FILE_NAME: &str = "katib.sqlite3";

/// When a streamed answer is written down: after `interval` since the last checkpoint, or as soon
/// as `max_bytes` are waiting, whichever comes first (checked on each received piece).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckpointPolicy {
    pub interval: Duration,
    pub max_bytes: usize,
}

impl Default for CheckpointPolicy {
    /// Half a second or 8 KB: a kill loses at most that much of an answer, and a minute of
    /// streaming costs about 120 small inserts.
    fn default() -> Self {
        CheckpointPolicy { interval: Duration::from_millis(500), max_bytes: 8 * 1024 }
    }
}

/// The source of "now" (the system clock; tests and the benchmark's generator give their own).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// How the history is opened.
#[derive(Clone)]
pub struct Options {
    /// History on: keep the texts of runs. Off: only the metadata of each run (the audit record).
    pub keep_texts: bool,
    pub checkpoint: CheckpointPolicy,
    /// `None`: the system clock.
    pub clock: Option<Clock>,
}

impl Default for Options {
    fn default() -> Self {
        Options { keep_texts: true, checkpoint: CheckpointPolicy::default(), clock: None }
    }
}

pub(crate) struct Inner {
    conn: Mutex<Connection>,
    /// None for an in-memory database.
    pub path: Option<PathBuf>,
    pub keep_texts: AtomicBool,
    pub checkpoint: CheckpointPolicy,
    clock: Option<Clock>,
    pub owner: Owner,
}

/// Katib's history: one SQLite file. Cheap to clone (shared); safe to use from several threads.
#[derive(Clone)]
pub struct History {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History").field("path", &self.inner.path).field("keep_texts", &self.keeps_texts()).finish()
    }
}

/// Applies the per-connection settings.
pub(crate) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_millis(BUSY_TIMEOUT_MS))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(())
}

/// Runs `f` again while SQLite says the database is busy or locked, up to the busy timeout.
fn when_not_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let start = std::time::Instant::now();
    loop {
        match f() {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                    && start.elapsed() < Duration::from_millis(BUSY_TIMEOUT_MS) =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// Makes sure the file exists with owner-only permissions before SQLite opens it (SQLite then
/// gives its -wal and -shm files the same permissions), and tightens an existing file's.
fn prepare_file(path: &Path) -> Result<()> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            liveness::create_private_dir(dir).map_err(io)?;
        }
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    match o.open(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io(e)),
    }
    #[cfg(unix)]
    for suffix in ["", "-wal", "-shm"] {
        use std::os::unix::fs::PermissionsExt;
        let mut p = path.as_os_str().to_os_string();
        p.push(suffix);
        let p = PathBuf::from(p);
        if let Ok(meta) = std::fs::metadata(&p) {
            if meta.permissions().mode() & 0o077 != 0 {
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
            }
        }
    }
    Ok(())
}

impl History {
    /// Opens (creating if needed) the history at `path`, usually `<data dir>/katib.sqlite3`:
    /// migrates it, and closes as `partial` the runs that a dead process left running.
    pub fn open(path: impl AsRef<Path>, options: Options) -> Result<History> {
        let path = path.as_ref();
        prepare_file(path)?;
        let open_err = |source| Error::Open { path: path.to_path_buf(), source };
        let mut conn = Connection::open(path).map_err(open_err)?;
        configure(&conn).map_err(open_err)?;
        // journal_mode answers with the mode it is in; WAL is remembered by the file. Switching
        // needs the file to itself, and SQLite may answer "locked" at once, without its busy
        // handler, while another process is creating or switching the same file (seen with two
        // processes opening a new history at the same moment): wait for it, as busy_timeout would.
        let mode: String =
            when_not_busy(|| conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))).map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::NoWal { path: path.to_path_buf(), mode });
        }
        migrate::migrate(&mut conn, path)?;
        let owner = Owner::register(path);
        liveness::sweep(path, &owner.token);
        let h = History::from_parts(conn, Some(path.to_path_buf()), options, owner);
        h.recover()?;
        Ok(h)
    }

    /// A history in memory (tests, and a front end that must not write anything).
    pub fn open_in_memory(options: Options) -> Result<History> {
        let path = Path::new(":memory:");
        let open_err = |source| Error::Open { path: path.to_path_buf(), source };
        let mut conn = Connection::open_in_memory().map_err(open_err)?;
        configure(&conn).map_err(open_err)?;
        migrate::migrate(&mut conn, path)?;
        Ok(History::from_parts(conn, None, options, Owner::private()))
    }

    fn from_parts(conn: Connection, path: Option<PathBuf>, options: Options, owner: Owner) -> History {
        History {
            inner: Arc::new(Inner {
                conn: Mutex::new(conn),
                path,
                keep_texts: AtomicBool::new(options.keep_texts),
                checkpoint: options.checkpoint,
                clock: options.clock,
                owner,
            }),
        }
    }

    /// The database file (None in memory).
    pub fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }

    /// Whether runs started from now on keep their texts.
    pub fn keeps_texts(&self) -> bool {
        self.inner.keep_texts.load(Ordering::Relaxed)
    }

    /// Turns the history on or off for runs started from now on (the setting changed).
    pub fn set_keep_texts(&self, on: bool) {
        self.inner.keep_texts.store(on, Ordering::Relaxed);
    }

    /// Runs `PRAGMA integrity_check`; `Ok(())` when it answers "ok", else the problems it lists.
    pub fn integrity_check(&self) -> Result<Result<(), Vec<String>>> {
        let conn = self.conn()?;
        let mut st = conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(if rows == ["ok"] { Ok(()) } else { Err(rows) })
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        match &self.inner.clock {
            Some(c) => c(),
            None => Utc::now(),
        }
    }

    pub(crate) fn conn(&self) -> Result<MutexGuard<'_, Connection>> {
        // A panic while holding the lock leaves the connection usable (SQLite rolls back an
        // unfinished transaction when the next one begins), so a poisoned lock is taken over.
        Ok(self.inner.conn.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// A connection of its own for a recorder (so a long search in the window never holds up a
    /// streaming run), which never runs the WAL checkpoint itself. None in memory.
    pub(crate) fn connect_for_recorder(&self) -> Result<Option<Connection>> {
        let Some(path) = &self.inner.path else { return Ok(None) };
        let open_err = |source| Error::Open { path: path.clone(), source };
        let conn = Connection::open(path).map_err(open_err)?;
        configure(&conn).map_err(open_err)?;
        conn.pragma_update(None, "wal_autocheckpoint", 0).map_err(open_err)?;
        Ok(Some(conn))
    }

    /// Writes the WAL back into the database file and truncates it, so deleted text does not
    /// linger in the log (after a delete or a purge).
    pub(crate) fn truncate_wal(conn: &Connection) -> Result<()> {
        // Fails harmlessly (busy) if another process is reading: its WAL then ends at its next
        // checkpoint.
        let _: rusqlite::Result<(i64, i64, i64)> =
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)));
        Ok(())
    }
}

/// Milliseconds since the epoch, as stored.
pub(crate) fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
