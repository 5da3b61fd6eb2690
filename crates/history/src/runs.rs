//! The `runs`, `run_texts` and `run_chunks` tables: a run's metadata row (the audit record,
//! written whether the history is on or off), its texts (history on only), and the pieces of its
//! answer checkpointed while it streams. Starting, checkpointing and ending a run, recovering the
//! runs of a dead process, listing, showing, deleting and purging. The streaming side is
//! [`RunRecorder`](crate::RunRecorder); search is in `search`.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Local, Utc};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use crate::error::{Error, Result};
use crate::model::*;
use crate::recorder::RunRecorder;
use crate::store::{from_ms, to_ms, History};
use crate::{approvals, edits, exports, liveness, register, search};

/// The columns of a [`RunSummary`], from `runs r LEFT JOIN run_texts t`.
pub(crate) const SUMMARY_COLS: &str = "r.num, r.id, r.started_at, r.finished_at, r.template_id, r.template_title, \
     r.template_version, r.template_hash, r.profile, r.model, r.data_class, r.status, r.error_code, r.duration_ms, \
     r.prompt_tokens, r.completion_tokens, r.masked, r.override_by, r.override_what, r.override_at, t.num IS NOT NULL, \
     t.objet, (SELECT count(*) FROM approvals a WHERE a.num = r.num)";

fn bad_value(i: usize, what: &str, v: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, format!("unknown {what} {v:?}").into())
}

/// Reads [`SUMMARY_COLS`] (returns the row's `num` too).
pub(crate) fn summary_from_row(r: &Row) -> rusqlite::Result<(i64, RunSummary)> {
    let data_class: String = r.get(10)?;
    let status: String = r.get(11)?;
    let masked: String = r.get(16)?;
    let override_by: Option<String> = r.get(17)?;
    let summary = RunSummary {
        id: r.get(1)?,
        started_at: from_ms(r.get(2)?),
        finished_at: r.get::<_, Option<i64>>(3)?.map(from_ms),
        template_id: r.get(4)?,
        template_title: r.get(5)?,
        template_version: r.get(6)?,
        template_hash: r.get(7)?,
        profile: r.get(8)?,
        model: r.get(9)?,
        data_class: DataClass::parse(&data_class).ok_or_else(|| bad_value(10, "data class", data_class.clone()))?,
        status: Status::parse(&status).ok_or_else(|| bad_value(11, "status", status.clone()))?,
        error_code: r.get(12)?,
        duration_ms: r.get::<_, Option<i64>>(13)?.map(|d| d.max(0) as u64),
        tokens: Tokens { prompt: r.get(14)?, completion: r.get(15)? },
        masked: serde_json::from_str(&masked).unwrap_or_default(),
        pseudonymisation_override: match override_by {
            Some(by) => Some(PseudonymisationOverride {
                confirmed_by: by,
                what: r.get::<_, Option<String>>(18)?.unwrap_or_default(),
                at: from_ms(r.get::<_, Option<i64>>(19)?.unwrap_or_default()),
            }),
            None => None,
        },
        has_texts: r.get(20)?,
        objet: r.get(21)?,
        approvals: r.get(22)?,
    };
    Ok((r.get(0)?, summary))
}

/// The row number of run `id`.
pub(crate) fn num_of(conn: &Connection, id: &str) -> Result<i64> {
    conn.query_row("SELECT num FROM runs WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound { id: id.to_string() })
}

/// Counts of placeholders by kind (`[CIN_1]` is `CIN` when the kind is not given).
fn masked_counts(reps: &[Replacement]) -> BTreeMap<String, u32> {
    let mut m = BTreeMap::new();
    for r in reps {
        let kind = if r.kind.trim().is_empty() {
            let p = r.placeholder.trim_matches(|c| c == '[' || c == ']');
            p.rsplit_once('_').map_or(p, |(k, _)| k).to_string()
        } else {
            r.kind.trim().to_string()
        };
        *m.entry(kind).or_insert(0) += 1;
    }
    m
}

fn json<T: serde::Serialize>(v: &T) -> String {
    // Plain structs of strings and numbers: serialising cannot fail.
    serde_json::to_string(v).unwrap_or_default()
}

/// The next run id of the local day of `now`: `R2026-11-30-0007`. The counter lives apart from
/// the runs, so a purge never makes an id come back.
fn next_id(conn: &Connection, now: DateTime<Utc>) -> Result<String> {
    let day = now.with_timezone(&Local).format("%Y-%m-%d").to_string();
    let n: i64 = conn.query_row(
        "INSERT INTO counters (name, value) VALUES (?1, 1) \
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
        [format!("run:{day}")],
        |r| r.get(0),
    )?;
    Ok(format!("R{day}-{n:04}"))
}

/// Writes the start of a run: its metadata row and, with `keep`, its texts. Returns its row
/// number and id.
pub(crate) fn insert(
    conn: &mut Connection,
    run: &NewRun,
    now: DateTime<Utc>,
    keep: bool,
    owner: &str,
) -> Result<(i64, String)> {
    let data_class = run.data_class.ok_or(Error::Empty { field: "data_class" })?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let id = next_id(&tx, now)?;
    let ov = run.pseudonymisation_override.as_ref();
    tx.execute(
        "INSERT INTO runs (id, started_at, template_id, template_title, template_version, template_hash, \
         profile, model, data_class, status, masked, override_by, override_what, override_at, texts_kept, owner) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'running', ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            id,
            to_ms(now),
            run.template_id,
            run.template_title,
            run.template_version,
            run.template_hash,
            run.profile,
            run.model,
            data_class.as_str(),
            json(&masked_counts(&run.replacements)),
            ov.map(|o| &o.confirmed_by),
            ov.map(|o| &o.what),
            ov.map(|o| to_ms(o.at)),
            keep,
            owner,
        ],
    )?;
    let num = tx.last_insert_rowid();
    if keep {
        tx.execute(
            "INSERT INTO run_texts (num, lang, objet, addressee, form, inputs, messages, replacements) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                num,
                run.lang,
                run.objet,
                run.addressee,
                json(&run.form),
                json(&run.inputs),
                json(&run.messages),
                json(&run.replacements),
            ],
        )?;
    }
    tx.commit()?;
    Ok((num, id))
}

/// Closes a run whose process died: its checkpointed pieces become its answer, it is indexed,
/// and it is marked partial (`history.interrupted`) at the time of its last checkpoint.
fn close_orphan(conn: &mut Connection, num: i64) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let still: Option<i64> = tx
        .query_row("SELECT started_at FROM runs WHERE num = ?1 AND status = 'running'", [num], |r| r.get(0))
        .optional()?;
    let Some(started) = still else { return Ok(()) };
    let (text, last): (String, Option<i64>) = tx.query_row(
        "SELECT coalesce(group_concat(text, '' ORDER BY seq), ''), max(at) FROM run_chunks WHERE num = ?1",
        [num],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    tx.execute("UPDATE run_texts SET answer = answer || ?2 WHERE num = ?1", params![num, text])?;
    tx.execute("DELETE FROM run_chunks WHERE num = ?1", [num])?;
    let end = last.unwrap_or(started);
    tx.execute(
        "UPDATE runs SET status = 'partial', error_code = 'history.interrupted', finished_at = ?2, \
         duration_ms = ?2 - started_at, owner = NULL WHERE num = ?1",
        params![num, end],
    )?;
    search::index_run(&tx, num)?;
    tx.commit()?;
    Ok(())
}

/// Writes the end of a run: status, times, tokens; with texts, the whole answer (replacing the
/// checkpointed pieces) and its index entry.
pub(crate) fn finish(
    conn: &mut Connection,
    num: i64,
    outcome: &Outcome,
    tokens: Tokens,
    finished_at: i64,
    duration_ms: i64,
    answer: Option<&str>,
) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "UPDATE runs SET status = ?2, error_code = ?3, finished_at = ?4, duration_ms = ?5, \
         prompt_tokens = ?6, completion_tokens = ?7, owner = NULL WHERE num = ?1",
        params![
            num,
            outcome.status().as_str(),
            outcome.code(),
            finished_at,
            duration_ms,
            tokens.prompt,
            tokens.completion
        ],
    )?;
    if let Some(answer) = answer {
        tx.execute("UPDATE run_texts SET answer = ?2 WHERE num = ?1", params![num, answer])?;
        tx.execute("DELETE FROM run_chunks WHERE num = ?1", [num])?;
        search::index_run(&tx, num)?;
    }
    tx.commit()?;
    Ok(())
}

/// Appends a checkpointed piece of the answer.
pub(crate) fn append_chunk(conn: &Connection, num: i64, seq: i64, at: i64, text: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO run_chunks (num, seq, at, text) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![num, seq, at, text])?;
    Ok(())
}

/// Adds the filter's conditions (on `runs r`) to `conds` and their values to `vals`.
pub(crate) fn filter_sql(f: &Filter, conds: &mut Vec<&'static str>, vals: &mut Vec<Value>) {
    if let Some(t) = &f.template {
        conds.push("r.template_id = ?");
        vals.push(Value::Text(t.clone()));
    }
    if let Some(s) = f.status {
        conds.push("r.status = ?");
        vals.push(Value::Text(s.as_str().into()));
    }
    if let Some(p) = &f.profile {
        conds.push("r.profile = ?");
        vals.push(Value::Text(p.clone()));
    }
    if let Some(t) = f.from {
        conds.push("r.started_at >= ?");
        vals.push(Value::Integer(to_ms(t)));
    }
    if let Some(t) = f.to {
        conds.push("r.started_at < ?");
        vals.push(Value::Integer(to_ms(t)));
    }
}

/// The default and largest page of results.
pub(crate) fn page(f: &Filter) -> (i64, i64) {
    (i64::from(f.limit.unwrap_or(50).clamp(1, 1000)), i64::from(f.offset))
}

impl History {
    /// Records the start of a run and returns the recorder to feed its streamed answer to.
    /// With the history off, only the metadata row is written and the recorder keeps no text.
    pub fn start_run(&self, run: &NewRun) -> Result<RunRecorder> {
        if run.template_id.trim().is_empty() {
            return Err(Error::Empty { field: "template_id" });
        }
        if run.data_class.is_none() {
            return Err(Error::Empty { field: "data_class" });
        }
        RunRecorder::start(self.clone(), run, self.keeps_texts(), self.now())
    }

    /// Closes as `partial` the runs left `running` by processes that have died since (their
    /// answer up to the last checkpoint is kept). Done when the history is opened and before
    /// each listing; cheap when there is none. Returns how many were closed.
    pub fn recover(&self) -> Result<u32> {
        let Some(path) = self.inner.path.clone() else { return Ok(0) };
        let mut conn = self.conn()?;
        let running: Vec<(i64, Option<String>)> = {
            let mut st = conn.prepare_cached("SELECT num, owner FROM runs WHERE status = 'running'")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut closed = 0;
        for (num, owner) in running {
            let alive = match owner.as_deref() {
                Some(t) if t == self.inner.owner.token => true,
                Some(t) => liveness::is_alive(&path, t),
                None => false,
            };
            if !alive {
                close_orphan(&mut conn, num)?;
                closed += 1;
            }
        }
        Ok(closed)
    }

    /// Runs, newest first, with the filter's conditions.
    pub fn list(&self, filter: &Filter) -> Result<Vec<RunSummary>> {
        self.recover()?;
        let conn = self.conn()?;
        let mut conds = vec!["1"];
        let mut vals = Vec::new();
        filter_sql(filter, &mut conds, &mut vals);
        let (limit, offset) = page(filter);
        vals.push(Value::Integer(limit));
        vals.push(Value::Integer(offset));
        let sql = format!(
            "SELECT {SUMMARY_COLS} FROM runs r LEFT JOIN run_texts t ON t.num = r.num WHERE {} \
             ORDER BY r.started_at DESC, r.num DESC LIMIT ? OFFSET ?",
            conds.join(" AND ")
        );
        let mut st = conn.prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(vals), |r| Ok(summary_from_row(r)?.1))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Everything recorded about run `id`.
    pub fn get(&self, id: &str) -> Result<RunRecord> {
        let conn = self.conn()?;
        let (num, summary) = conn
            .query_row(
                &format!("SELECT {SUMMARY_COLS} FROM runs r LEFT JOIN run_texts t ON t.num = r.num WHERE r.id = ?1"),
                [id],
                summary_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound { id: id.to_string() })?;
        let texts = if summary.has_texts { Some(texts(&conn, num, id)?) } else { None };
        Ok(RunRecord {
            summary,
            texts,
            exports: exports::of_run(&conn, num)?,
            approvals: approvals::of_run(&conn, num)?,
            register_numbers: register::numbers_of_run(&conn, id)?,
        })
    }

    /// Deletes the texts of run `id` (form, files' names, messages, replacements, answer, edits,
    /// export paths) and its index entry, and wipes them from the file. Its metadata row stays as
    /// the audit record (no personal data in it) until the retention purges it.
    pub fn delete(&self, id: &str) -> Result<()> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let num = num_of(&tx, id)?;
        let status: String = tx.query_row("SELECT status FROM runs WHERE num = ?1", [num], |r| r.get(0))?;
        if status == Status::Running.as_str() {
            return Err(Error::Running { id: id.to_string() });
        }
        for table in ["run_texts", "run_chunks", "run_edits", "run_exports"] {
            tx.execute(&format!("DELETE FROM {table} WHERE num = ?1"), [num])?;
        }
        tx.commit()?;
        search::optimize(&conn)?;
        History::truncate_wal(&conn)?;
        Ok(())
    }

    /// Deletes every run (texts and metadata, approvals included) started more than
    /// `retention_days` days ago, except runs still in progress. The register is not touched.
    pub fn purge(&self, retention_days: u32) -> Result<PurgeReport> {
        let cutoff = self.now() - Duration::days(i64::from(retention_days));
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute("DELETE FROM runs WHERE started_at < ?1 AND status != 'running'", [to_ms(cutoff)])?;
        tx.commit()?;
        if n > 0 {
            search::optimize(&conn)?;
            History::truncate_wal(&conn)?;
        }
        Ok(PurgeReport { runs: n as u64 })
    }
}

/// The texts of run `num` (which has a `run_texts` row).
fn texts(conn: &Connection, num: i64, id: &str) -> Result<RunTexts> {
    let raw = conn.query_row(
        "SELECT lang, objet, addressee, form, inputs, messages, replacements, answer FROM run_texts WHERE num = ?1",
        [num],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        },
    )?;
    let corrupt = |field: &'static str| {
        let id = id.to_string();
        move |e: serde_json::Error| Error::Corrupt { id, field, reason: e.to_string() }
    };
    let mut answer = raw.7;
    // A run still streaming: its answer so far is in its checkpointed pieces.
    let pending: String = conn.query_row(
        "SELECT coalesce(group_concat(text, '' ORDER BY seq), '') FROM run_chunks WHERE num = ?1",
        [num],
        |r| r.get(0),
    )?;
    answer.push_str(&pending);
    let (edited, edit_versions) = edits::latest(conn, num)?;
    Ok(RunTexts {
        lang: raw.0,
        objet: raw.1,
        addressee: raw.2,
        form: serde_json::from_str(&raw.3).map_err(corrupt("form"))?,
        inputs: serde_json::from_str(&raw.4).map_err(corrupt("inputs"))?,
        messages: serde_json::from_str(&raw.5).map_err(corrupt("messages"))?,
        replacements: serde_json::from_str(&raw.6).map_err(corrupt("replacements"))?,
        answer,
        edited,
        edit_versions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_counts_use_the_kind_or_the_placeholder() {
        let r = |p: &str, k: &str| Replacement { placeholder: p.into(), original: "x".into(), kind: k.into() };
        let m = masked_counts(&[r("[CIN_1]", ""), r("[CIN_2]", ""), r("[NOM_1]", "NOM"), r("[DATE_NAISSANCE_1]", "")]);
        assert_eq!(m.get("CIN"), Some(&2));
        assert_eq!(m.get("NOM"), Some(&1));
        assert_eq!(m.get("DATE_NAISSANCE"), Some(&1));
    }
}
