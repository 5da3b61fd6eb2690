//! The `approvals` table, "relu et validé par": who reviewed a run's document, in which
//! function, when. Several reviewers may follow one another (chef de service, then directeur).
//! Metadata, kept with the history off too; [`History::annex`] gathers what the annex page of an
//! exported document prints (the writer of that page is in the export code).

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::model::{Annex, Approval};
use crate::register;
use crate::runs::{num_of, summary_from_row, SUMMARY_COLS};
use crate::store::{from_ms, to_ms, History};

pub(crate) fn of_run(conn: &Connection, num: i64) -> Result<Vec<Approval>> {
    let mut st = conn.prepare_cached("SELECT name, function, at FROM approvals WHERE num = ?1 ORDER BY at, rowid")?;
    let rows =
        st.query_map([num], |r| Ok(Approval { name: r.get(0)?, function: r.get(1)?, at: from_ms(r.get(2)?) }))?;
    rows.collect::<rusqlite::Result<_>>().map_err(Error::from)
}

impl History {
    /// Records that `name`, `function`, reviewed and approved run `id` now.
    pub fn approve(&self, id: &str, name: &str, function: &str) -> Result<Approval> {
        let (name, function) = (name.trim(), function.trim());
        if name.is_empty() {
            return Err(Error::Empty { field: "name" });
        }
        if function.is_empty() {
            return Err(Error::Empty { field: "function" });
        }
        let at = self.now();
        let conn = self.conn()?;
        let num = num_of(&conn, id)?;
        conn.execute(
            "INSERT INTO approvals (num, at, name, function) VALUES (?1, ?2, ?3, ?4)",
            params![num, to_ms(at), name, function],
        )?;
        Ok(Approval { name: name.to_string(), function: function.to_string(), at })
    }

    /// What the annex page of run `id`'s document shows: the run's metadata, the counts of
    /// masked values by kind (never the values), any override, the approvals, register numbers.
    pub fn annex(&self, id: &str) -> Result<Annex> {
        let conn = self.conn()?;
        let num = num_of(&conn, id)?;
        let (_, s) = conn.query_row(
            &format!("SELECT {SUMMARY_COLS} FROM runs r LEFT JOIN run_texts t ON t.num = r.num WHERE r.num = ?1"),
            [num],
            summary_from_row,
        )?;
        Ok(Annex {
            run_id: s.id,
            template_id: s.template_id,
            template_title: s.template_title,
            template_version: s.template_version,
            template_hash: s.template_hash,
            profile: s.profile,
            model: s.model,
            data_class: s.data_class,
            status: s.status,
            started_at: s.started_at,
            finished_at: s.finished_at,
            masked_total: s.masked.values().sum(),
            masked: s.masked,
            pseudonymisation_override: s.pseudonymisation_override,
            approvals: of_run(&conn, num)?,
            register_numbers: register::numbers_of_run(&conn, id)?,
        })
    }
}
