//! The `drafts` table: the desktop's autosaved form and answer, one per template, so switching
//! templates keeps each one's work and a killed window loses nothing. The content is the
//! window's own JSON, stored as it is. Drafts are work in progress, not history: they are kept
//! with the history off too, and the window deletes one when its run is done with.

use rusqlite::{params, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::Draft;
use crate::store::{from_ms, to_ms, History};

impl History {
    /// Saves (replaces) the draft of `template_id`.
    pub fn save_draft(&self, template_id: &str, data: &str) -> Result<()> {
        if template_id.trim().is_empty() {
            return Err(Error::Empty { field: "template_id" });
        }
        let now = to_ms(self.now());
        self.conn()?
            .prepare_cached(
                "INSERT INTO drafts (template_id, updated_at, data) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (template_id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data",
            )?
            .execute(params![template_id, now, data])?;
        Ok(())
    }

    /// The draft of `template_id`, if any.
    pub fn draft(&self, template_id: &str) -> Result<Option<Draft>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached("SELECT template_id, updated_at, data FROM drafts WHERE template_id = ?1")?;
        Ok(st
            .query_row([template_id], |r| {
                Ok(Draft { template_id: r.get(0)?, updated_at: from_ms(r.get(1)?), data: r.get(2)? })
            })
            .optional()?)
    }

    /// The most recently saved draft (what the window reopens at start).
    pub fn last_draft(&self) -> Result<Option<Draft>> {
        let conn = self.conn()?;
        let mut st =
            conn.prepare_cached("SELECT template_id, updated_at, data FROM drafts ORDER BY updated_at DESC LIMIT 1")?;
        Ok(st
            .query_row([], |r| Ok(Draft { template_id: r.get(0)?, updated_at: from_ms(r.get(1)?), data: r.get(2)? }))
            .optional()?)
    }

    /// Deletes the draft of `template_id` (true if there was one).
    pub fn delete_draft(&self, template_id: &str) -> Result<bool> {
        Ok(self.conn()?.execute("DELETE FROM drafts WHERE template_id = ?1", [template_id])? == 1)
    }
}
