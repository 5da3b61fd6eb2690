//! The `run_edits` table: the user's edited answer, every saved version (an official may need
//! to show what the model wrote and what was changed before signing). A version is saved when
//! the user saves or exports, not on every keystroke (the window's autosave is the draft); saving
//! the same text twice adds nothing. Nothing is written with the history off.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::error::{Error, Result};
use crate::model::Edit;
use crate::runs::num_of;
use crate::search;
use crate::store::{from_ms, to_ms, History};

/// The latest saved text of run `num` and how many versions there are.
pub(crate) fn latest(conn: &Connection, num: i64) -> Result<(Option<String>, u32)> {
    let row: Option<(String, u32)> = conn
        .prepare_cached("SELECT text, version FROM run_edits WHERE num = ?1 ORDER BY version DESC LIMIT 1")?
        .query_row([num], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match row {
        Some((t, v)) => (Some(t), v),
        None => (None, 0),
    })
}

impl History {
    /// Saves the user's edited answer of run `id` as a new version (and reindexes the run).
    /// Returns the version number; the same text as the latest version returns that version.
    /// With no texts kept for this run (history off, or deleted) nothing is saved: `Ok(0)`.
    pub fn save_edit(&self, id: &str, text: &str) -> Result<u32> {
        let now = to_ms(self.now());
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let num = num_of(&tx, id)?;
        let has_texts: bool = tx.query_row("SELECT count(*) > 0 FROM run_texts WHERE num = ?1", [num], |r| r.get(0))?;
        if !has_texts {
            return Ok(0);
        }
        let (last, version) = latest(&tx, num)?;
        if last.as_deref() == Some(text) {
            return Ok(version);
        }
        tx.execute(
            "INSERT INTO run_edits (num, version, saved_at, text) VALUES (?1, ?2, ?3, ?4)",
            params![num, version + 1, now, text],
        )?;
        search::index_run(&tx, num)?;
        tx.commit()?;
        Ok(version + 1)
    }

    /// Every saved version of run `id`'s edited answer, oldest first.
    pub fn edits(&self, id: &str) -> Result<Vec<Edit>> {
        let conn = self.conn()?;
        let num = num_of(&conn, id)?;
        let mut st =
            conn.prepare_cached("SELECT version, saved_at, text FROM run_edits WHERE num = ?1 ORDER BY version")?;
        let rows =
            st.query_map([num], |r| Ok(Edit { version: r.get(0)?, saved_at: from_ms(r.get(1)?), text: r.get(2)? }))?;
        rows.collect::<rusqlite::Result<_>>().map_err(Error::from)
    }
}
