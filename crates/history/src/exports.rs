//! The `run_exports` table: each document written from a run (format, path, time), so a run
//! shows where its letter went. Export paths may name a citizen ("Réponse M. Alami.docx"):
//! nothing is written with the history off.

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::model::ExportRecord;
use crate::runs::num_of;
use crate::store::{from_ms, to_ms, History};

pub(crate) fn of_run(conn: &Connection, num: i64) -> Result<Vec<ExportRecord>> {
    let mut st = conn.prepare_cached("SELECT at, format, path FROM run_exports WHERE num = ?1 ORDER BY at, rowid")?;
    let rows =
        st.query_map([num], |r| Ok(ExportRecord { at: from_ms(r.get(0)?), format: r.get(1)?, path: r.get(2)? }))?;
    rows.collect::<rusqlite::Result<_>>().map_err(Error::from)
}

impl History {
    /// Records that run `id` was exported to `path` as `format` (`docx`, `xlsx`, `md`, `txt`).
    /// Returns false (and records nothing) when the run keeps no texts.
    pub fn record_export(&self, id: &str, path: &str, format: &str) -> Result<bool> {
        let now = to_ms(self.now());
        let conn = self.conn()?;
        let num = num_of(&conn, id)?;
        let n = conn.execute(
            "INSERT INTO run_exports (num, at, format, path) SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM run_texts WHERE num = ?1)",
            params![num, now, format, path],
        )?;
        Ok(n == 1)
    }
}
