//! Recording a run while its answer streams. The pipeline hands every received piece to
//! [`RunRecorder::push`]; the recorder keeps the whole answer in memory and writes what is new
//! as one small row (`run_chunks`) when the checkpoint policy says so, so a kill -9 loses at most
//! one interval of text and the cost stays a few microseconds per checkpoint, whatever the length
//! of the answer. [`RunRecorder::finish`] writes the status and the whole answer at once.
//!
//! With the history off the recorder writes no text at all: `push` only counts, `finish` writes
//! the metadata. The recorder has its own connection (for a file database), so a search in the
//! window never holds up a streaming run.
//!
//! Recording is the pipeline's servant: an error here is returned, and the caller decides (the
//! CLI and the window report it and go on streaming; the run's text is on screen anyway).

use std::time::Instant;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::model::{Outcome, Tokens};
use crate::runs;
use crate::store::{to_ms, History};

/// The run being recorded. Obtained from [`History::start_run`]; end it with [`finish`](Self::finish).
/// Dropped without `finish` (an early return), it records the run as partial
/// (`history.unfinished`) with the text received so far.
pub struct RunRecorder {
    history: History,
    own: Option<Connection>,
    num: i64,
    id: String,
    keep: bool,
    started_at: DateTime<Utc>,
    last_checkpoint: Instant,
    answer: String,
    flushed: usize,
    seq: i64,
    finished: bool,
}

impl std::fmt::Debug for RunRecorder {
    // The answer is a citizen's letter: it never goes into a debug print or a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunRecorder").field("id", &self.id).field("bytes", &self.answer.len()).finish()
    }
}

impl RunRecorder {
    pub(crate) fn new(history: History, num: i64, id: String, keep: bool, started_at: DateTime<Utc>) -> Result<RunRecorder> {
        let own = if keep { history.connect_again()? } else { None };
        Ok(RunRecorder {
            history,
            own,
            num,
            id,
            keep,
            started_at,
            last_checkpoint: Instant::now(),
            answer: String::new(),
            flushed: 0,
            seq: 0,
            finished: false,
        })
    }

    /// The run's id (`R2026-11-30-0007`), for the exported document's properties.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The answer received so far (empty with the history off).
    pub fn answer(&self) -> &str {
        &self.answer
    }

    /// How much of the answer (bytes) is written down: what a kill would keep.
    pub fn saved_len(&self) -> usize {
        self.flushed
    }

    fn with_conn<T>(&mut self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        match &mut self.own {
            Some(c) => f(c),
            None => f(&mut *self.history.conn()?),
        }
    }

    /// Adds a received piece of the answer; writes a checkpoint when one is due.
    pub fn push(&mut self, piece: &str) -> Result<()> {
        if !self.keep || piece.is_empty() {
            return Ok(());
        }
        self.answer.push_str(piece);
        let policy = self.history.inner.checkpoint;
        if self.answer.len() - self.flushed >= policy.max_bytes || self.last_checkpoint.elapsed() >= policy.interval {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Writes what was received since the last checkpoint now (e.g. before a long pause).
    pub fn checkpoint(&mut self) -> Result<()> {
        self.last_checkpoint = Instant::now();
        if !self.keep || self.flushed == self.answer.len() {
            return Ok(());
        }
        let at = to_ms(self.history.now());
        let (num, seq, from) = (self.num, self.seq, self.flushed);
        // Borrow juggling: the text is a slice of self.answer, the connection is in self.own.
        let answer = std::mem::take(&mut self.answer);
        let r = self.with_conn(|c| runs::append_chunk(c, num, seq, at, &answer[from..]));
        self.answer = answer;
        r?;
        self.seq += 1;
        self.flushed = self.answer.len();
        Ok(())
    }

    /// Ends the run: its outcome, token counts and (history on) whole answer.
    pub fn finish(mut self, outcome: Outcome, tokens: Tokens) -> Result<()> {
        self.finished = true;
        self.write_end(&outcome, tokens)
    }

    fn write_end(&mut self, outcome: &Outcome, tokens: Tokens) -> Result<()> {
        let now = to_ms(self.history.now());
        let duration = now - to_ms(self.started_at);
        let num = self.num;
        let answer = std::mem::take(&mut self.answer);
        let keep = self.keep;
        let r = self.with_conn(|c| runs::finish(c, num, outcome, tokens, now, duration, keep.then_some(answer.as_str())));
        self.answer = answer;
        r
    }
}

impl Drop for RunRecorder {
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.write_end(&Outcome::Partial { code: Some("history.unfinished".into()) }, Tokens::default());
        }
    }
}
