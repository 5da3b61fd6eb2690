//! Recording a run while its answer streams. The pipeline hands every received piece to
//! [`RunRecorder::push`]; the recorder keeps the whole answer in memory and writes what is new
//! as one small row (`run_chunks`) when the checkpoint policy says so, so a kill -9 loses at most
//! one interval of text and the cost stays a few microseconds per checkpoint, whatever the length
//! of the answer. [`RunRecorder::finish`] writes the status and the whole answer at once.
//!
//! With the history off the recorder writes no text at all: `push` does nothing, `finish` writes
//! the metadata. The recorder has its own connection (for a file database), so a search in the
//! window never holds up a streaming run, and that connection never folds the WAL back into the
//! database (`wal_autocheckpoint=0`): that copy ends with an fsync (about 20 ms on a slow disk)
//! and is left to the shared connection's next write, or to closing, never to a run.
//!
//! Recording is the pipeline's servant: an error here is returned, and the caller decides (the
//! CLI and the window report it and go on streaming; the run's text is on screen anyway).

use std::time::Instant;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::model::{NewRun, Outcome, Tokens};
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
    /// Opens the recorder's connection and writes the start of the run on it.
    pub(crate) fn start(history: History, run: &NewRun, keep: bool, started_at: DateTime<Utc>) -> Result<RunRecorder> {
        let own = history.connect_for_recorder()?;
        let mut rec = RunRecorder {
            history,
            own,
            num: 0,
            id: String::new(),
            keep,
            started_at,
            last_checkpoint: Instant::now(),
            answer: String::new(),
            flushed: 0,
            seq: 0,
            // Nothing to close until the row exists.
            finished: true,
        };
        let token = rec.history.inner.owner.token.clone();
        let (num, id) = rec.with_conn(|c| runs::insert(c, run, started_at, keep, &token))?;
        rec.num = num;
        rec.id = id;
        rec.finished = false;
        Ok(rec)
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
        let r =
            self.with_conn(|c| runs::finish(c, num, outcome, tokens, now, duration, keep.then_some(answer.as_str())));
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::model::{DataClass, Filter, NewRun, Outcome, Status, Tokens};
    use crate::store::{CheckpointPolicy, History, Options};

    fn run() -> NewRun {
        NewRun { template_id: "note-service".into(), data_class: Some(DataClass::Local), ..Default::default() }
    }

    #[test]
    fn checkpoints_follow_the_policy_in_memory() {
        let h = History::open_in_memory(Options {
            checkpoint: CheckpointPolicy { interval: Duration::from_secs(3600), max_bytes: 10 },
            ..Options::default()
        })
        .unwrap();
        let mut rec = h.start_run(&run()).unwrap();
        rec.push("12345").unwrap();
        assert_eq!(rec.saved_len(), 0);
        assert_eq!(h.get(rec.id()).unwrap().texts.unwrap().answer, "");
        rec.push("67890").unwrap();
        assert_eq!(rec.saved_len(), 10);
        rec.push("ab").unwrap();
        assert_eq!(h.get(rec.id()).unwrap().texts.unwrap().answer, "1234567890");
        assert_eq!(h.get(rec.id()).unwrap().summary.status, Status::Running);
        // In memory nobody else can own a run: recovery leaves it alone.
        assert_eq!(h.recover().unwrap(), 0);
        let id = rec.id().to_string();
        rec.finish(Outcome::Done, Tokens::default()).unwrap();
        let r = h.get(&id).unwrap();
        assert_eq!((r.summary.status, r.texts.unwrap().answer.as_str()), (Status::Done, "1234567890ab"));
        assert_eq!(h.search("1234567890ab", &Filter::default()).unwrap().len(), 1);
    }

    #[test]
    fn an_interval_elapsed_writes_a_checkpoint() {
        let h = History::open_in_memory(Options {
            checkpoint: CheckpointPolicy { interval: Duration::from_millis(1), max_bytes: usize::MAX },
            ..Options::default()
        })
        .unwrap();
        let mut rec = h.start_run(&run()).unwrap();
        rec.push("a").unwrap();
        std::thread::sleep(Duration::from_millis(5));
        rec.push("b").unwrap();
        assert_eq!(rec.saved_len(), 2);
    }

    #[test]
    fn the_recorder_never_prints_the_answer() {
        let h = History::open_in_memory(Options::default()).unwrap();
        let mut rec = h.start_run(&run()).unwrap();
        rec.push("Monsieur Alaoui, CIN AB123456").unwrap();
        let dbg = format!("{rec:?}");
        assert!(!dbg.contains("Alaoui") && dbg.contains(rec.id()), "{dbg}");
    }
}
