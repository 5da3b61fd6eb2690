//! The crate's error type: one enum, a stable `code()` per case (`history.not_found`,
//! `register.pattern`, ...) that the CLI's `--json` and the desktop map to messages in the user's
//! language. Paths are fields, so a message can name the file to look at.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot open the history database {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("cannot prepare the folder or file of the history database {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "the history database {path} was written by a newer Katib (schema {found}, this one knows up to {supported}); update Katib"
    )]
    TooNew { path: PathBuf, found: u32, supported: u32 },
    #[error(
        "the history database {path} cannot use a write-ahead log (journal mode stayed {mode}); keep Katib's data dir on a local disk"
    )]
    NoWal { path: PathBuf, mode: String },
    #[error("updating the history database to schema {version} failed: {source}")]
    Migration { version: u32, source: rusqlite::Error },
    #[error(
        "the history database is busy (another Katib is writing to it) and stayed so for {waited_ms} ms; try again"
    )]
    Busy { waited_ms: u64 },
    #[error("no run {id} in the history")]
    NotFound { id: String },
    #[error("run {id} is still in progress; stop it first")]
    Running { id: String },
    #[error("the history database is damaged at run {id} ({field}): {reason}")]
    Corrupt { id: String, field: &'static str, reason: String },
    #[error("history database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("register pattern {pattern:?}: {reason}")]
    RegisterPattern { pattern: String, reason: String },
    #[error(
        "register number {number} already exists: the pattern {pattern:?} gives the same number twice (add {{service}} or {{year}} to it)"
    )]
    RegisterDuplicate { number: String, pattern: String },
    #[error("no register entry {number}")]
    RegisterNotFound { number: String },
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("cannot write the register workbook {path}: {reason}")]
    Xlsx { path: PathBuf, reason: String },
}

impl Error {
    /// Stable machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Open { .. } => "history.open",
            Error::Io { .. } => "history.io",
            Error::TooNew { .. } => "history.too_new",
            Error::NoWal { .. } => "history.no_wal",
            Error::Migration { .. } => "history.migration",
            Error::Busy { .. } => "history.busy",
            Error::NotFound { .. } => "history.not_found",
            Error::Running { .. } => "history.running",
            Error::Corrupt { .. } => "history.corrupt",
            Error::Sqlite(_) => "history.sqlite",
            Error::RegisterPattern { .. } => "register.pattern",
            Error::RegisterDuplicate { .. } => "register.duplicate",
            Error::RegisterNotFound { .. } => "register.not_found",
            Error::Empty { .. } => "history.empty_value",
            Error::Xlsx { .. } => "register.xlsx",
        }
    }
}

/// How long a writer waits for another process's transaction before giving up (`Busy`).
pub(crate) const BUSY_TIMEOUT_MS: u64 = 10_000;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                Error::Busy { waited_ms: BUSY_TIMEOUT_MS }
            }
            _ => Error::Sqlite(e),
        }
    }
}
