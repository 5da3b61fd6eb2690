//! Schema migrations, embedded in the binary and run when the database is opened. The schema's
//! version is SQLite's `user_version`; each migration runs in its own `BEGIN IMMEDIATE`
//! transaction that re-reads the version first, so two processes opening an old file at once
//! migrate it once. A file from a newer Katib is refused rather than damaged.
//!
//! A shipped migration is never edited: a change of schema is a new file. The tests open a
//! version-1 file (`tests/fixtures/schema-v1.sql`, as version 1 wrote it) and migrate it.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// (version, SQL), in order.
const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../migrations/0001_runs.sql")),
    (2, include_str!("../migrations/0002_approvals_register_drafts.sql")),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Brings `conn` to [`SCHEMA_VERSION`]. `path` names the file in errors.
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let current = version(conn)?;
    if current > SCHEMA_VERSION {
        return Err(Error::TooNew { path: path.to_path_buf(), found: current, supported: SCHEMA_VERSION });
    }
    for &(v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while this one waited for the write lock.
        if version(&tx)? >= v {
            continue;
        }
        tx.execute_batch(sql).map_err(|source| Error::Migration { version: v, source })?;
        tx.pragma_update(None, "user_version", v).map_err(|source| Error::Migration { version: v, source })?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_database_gets_every_migration_once() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c, Path::new(":memory:")).unwrap();
        assert_eq!(version(&c).unwrap(), SCHEMA_VERSION);
        // Running again is a no-op (no "table already exists").
        migrate(&mut c, Path::new(":memory:")).unwrap();
        let n: u32 = c
            .query_row("SELECT count(*) FROM sqlite_schema WHERE name IN ('runs', 'register', 'drafts')", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 3);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        let e = migrate(&mut c, Path::new("x.sqlite3")).unwrap_err();
        assert_eq!(e.code(), "history.too_new");
        assert!(e.to_string().contains("x.sqlite3"), "{e}");
    }
}
