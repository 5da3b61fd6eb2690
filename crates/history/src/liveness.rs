//! Which process is still recording a run. Each opened [`History`](crate::History) holds an
//! exclusive lock on a small file named after a random token (`katib.sqlite3-owners/<token>`),
//! and stamps the runs it starts with that token. A run left `running` whose owner's file can be
//! locked by someone else (or is gone) belongs to a dead process (kill -9, crash, power cut): it
//! is closed as `partial` with the text of its last checkpoint. The OS releases the lock when the
//! process dies, however it dies, so no timeout guesses at liveness and a live CLI run is never
//! marked partial by the window opening meanwhile.
//!
//! In-memory databases have no owners folder: nobody else can see them.

use std::collections::hash_map::RandomState;
use std::fs::{File, OpenOptions, TryLockError};
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

/// This process's token and its locked file (released and removed on drop).
pub(crate) struct Owner {
    pub token: String,
    lock: Option<(File, PathBuf)>,
}

/// The owners folder of the database at `db`.
pub(crate) fn owners_dir(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push("-owners");
    db.with_file_name(name)
}

fn new_token() -> String {
    // RandomState is seeded from the OS's randomness per process; the pid and the time make two
    // tokens differ even if it were not.
    let mut h = RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    let a = h.finish();
    h.write_u64(a);
    format!("{:016x}{:016x}", a, h.finish())
}

impl Owner {
    /// A token for a database nobody else sees.
    pub fn private() -> Owner {
        Owner { token: new_token(), lock: None }
    }

    /// Registers this process as a possible recorder of the database at `db`. Never fails: if the
    /// lock file cannot be made (read-only folder), other processes take this one's runs for a
    /// dead process's; a run so closed as partial is corrected by its own `finish`.
    pub fn register(db: &Path) -> Owner {
        let token = new_token();
        let dir = owners_dir(db);
        let lock = create_private_dir(&dir).ok().and_then(|()| {
            let path = dir.join(&token);
            let f = OpenOptions::new().write(true).create_new(true).open(&path).ok()?;
            f.try_lock().ok()?;
            Some((f, path))
        });
        Owner { token, lock }
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        if let Some((f, path)) = self.lock.take() {
            drop(f); // closing releases the lock (needed before removing on Windows)
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Is the process that owns `token` alive? True only if its lock file exists and is locked.
pub(crate) fn is_alive(db: &Path, token: &str) -> bool {
    let path = owners_dir(db).join(token);
    let Ok(f) = OpenOptions::new().write(true).open(&path) else {
        return false;
    };
    match f.try_lock() {
        Ok(()) => {
            // We got it: the owner is dead. Remove its file so the folder does not grow.
            drop(f);
            let _ = std::fs::remove_file(&path);
            false
        }
        Err(TryLockError::WouldBlock) => true,
        // Locking unsupported here (some network file systems): assume alive rather than
        // close a run that may still be streaming; the next open on a local disk will tell.
        Err(TryLockError::Error(_)) => true,
    }
}

/// Removes the files of dead owners (processes that died without running anything to recover).
pub(crate) fn sweep(db: &Path, own: &str) {
    let Ok(entries) = std::fs::read_dir(owners_dir(db)) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(token) = name.to_str() else { continue };
        if token != own {
            is_alive(db, token);
        }
    }
}

/// Creates `dir` readable by its owner only (0700 on unix).
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_owner_is_seen_alive_and_a_dropped_one_dead() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("katib.sqlite3");
        let a = Owner::register(&db);
        assert!(is_alive(&db, &a.token));
        let token = a.token.clone();
        drop(a);
        assert!(!is_alive(&db, &token));
        assert!(!is_alive(&db, "0000"));
    }

    #[test]
    fn a_dead_owners_file_is_swept() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("katib.sqlite3");
        std::fs::create_dir_all(owners_dir(&db)).unwrap();
        // A file nobody locks: what a killed process leaves.
        std::fs::write(owners_dir(&db).join("deadbeef"), b"").unwrap();
        let me = Owner::register(&db);
        sweep(&db, &me.token);
        let left: Vec<_> = std::fs::read_dir(owners_dir(&db)).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, vec![std::ffi::OsString::from(&me.token)]);
    }
}
