//! Running a checked merge into an output folder: the letters, the journal that makes it
//! resumable, the combined document and the tracking workbook.
//!
//! - Draft mode ("one draft, exact merge"): no request at all; every row is filled into the
//!   approved draft on worker threads (see [`crate::stencil`]), each letter written to a
//!   temporary file renamed into place, then journaled. Journal lines are made durable in groups:
//!   a letter lost by a power cut is found missing at resume and filled again, at no cost.
//! - Per-row mode: one request per row through the same pipeline as a single letter
//!   (`Workbench::start`, which pseudonymises each row when the profile requires it, then
//!   `Workbench::generate`, which records the run in the history), at most `concurrency` at
//!   once; all rows share one provider, so a 429 holds the whole batch back for its Retry-After
//!   and the row is sent again; a row that fails is recorded and the others go on; Stop
//!   (cancelling the token) drops the requests in flight at once. A letter is written (and made
//!   durable) before its journal line, and its journal line before the row counts as done: a
//!   done row is never sent again.
//! - With `final`, a letter with no N° gets the next register number, journaled before the
//!   letter that carries it: all of them in one allocation in draft mode; in per-row mode each
//!   when its answer has arrived, so a row that fails or is never sent takes no number.
//!
//! Progress goes to the caller as [`Event`]s.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use katib_core::providers::{BoxFuture, CancellationToken, ChatRequest, Completion, Provider, ProviderError, Sink as ProviderSink};
use katib_core::run::{Connection, ExportOptions, Route, Workbench};
use katib_core::templates::Part;
use serde::Serialize;
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};

use crate::error::{MergeError, Result};
use crate::journal::{self, Entry, Header, Journal};
use crate::plan::{Merge, Mode, COMBINED, TRACKING};
use crate::stencil::{Letters, Stats};
use crate::tracking::{self, Line, Status};

/// How to run a merge.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Where the letters, the combined document, the tracking workbook and the journal go.
    pub out_dir: PathBuf,
    /// Go on with the merge journaled in `out_dir` (only the rows not done).
    pub resume: bool,
    /// Remember the mapping for the template (the next merge starts from it).
    pub remember: bool,
}

/// An error as the front ends show it.
#[derive(Clone, Debug, Serialize)]
pub struct Failure {
    pub code: String,
    pub message: String,
}

/// What became of one row.
#[derive(Clone, Debug, Serialize)]
pub struct RowEvent {
    pub row: u32,
    pub status: Status,
    pub file: Option<String>,
    pub number: Option<String>,
    pub prompt_tokens: Option<u64>,
    pub answer_tokens: Option<u64>,
    pub run: Option<String>,
    pub error: Option<Failure>,
    /// What to check in this letter (placeholders the model invented, an answer cut short).
    pub note: Option<String>,
}

/// Progress of a merge.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// `pending` rows to do now, of `total` letters; `done_before` were done by an earlier run.
    Started { total: usize, pending: usize, done_before: usize, concurrency: usize },
    Row(RowEvent),
    /// The endpoint asked to slow down (HTTP 429): the batch waits, then sends `row` again.
    Waiting { row: u32, attempt: u32 },
    /// Writing the combined document or the tracking workbook.
    Writing { file: String },
}

/// The outcome of a run.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub out_dir: PathBuf,
    pub mode: Mode,
    pub letters: usize,
    pub done: usize,
    /// Done by this run (the others by an earlier one).
    pub done_now: usize,
    pub failed: usize,
    pub skipped: usize,
    pub pending: usize,
    pub cancelled: bool,
    pub combined: Option<PathBuf>,
    pub tracking: PathBuf,
    pub journal: PathBuf,
    pub prompt_tokens: u64,
    pub answer_tokens: u64,
    pub elapsed_ms: u64,
    /// Draft mode: how the letters were built.
    pub build: Option<Stats>,
    /// The rows that failed, with their errors.
    pub failures: Vec<RowEvent>,
}

/// Rows that got a 429 are sent again this many times before they count as failed.
const RATE_LIMIT_ATTEMPTS: u32 = 5;
/// Journal lines of an exact merge are made durable at least this often.
const SYNC_EVERY: Duration = Duration::from_millis(500);

fn header(m: &Merge) -> Header {
    Header {
        version: 1,
        template: m.template.id.clone(),
        template_version: m.template.version,
        template_hash: m.template.hash.clone(),
        sheet_hash: m.sheet_hash.clone(),
        sheet: m.table.sheet.clone(),
        mapping: m.mapping_text(),
        values: m.request.values.clone(),
        mode: m.request.mode.as_str().into(),
        draft_hash: m.draft.as_ref().map(|d| d.hash.clone()),
        names: m.names.source().into(),
        started: chrono::Utc::now().to_rfc3339(),
    }
}

/// What differs between the journal's merge and this one, if anything.
fn mismatch(a: &Header, b: &Header) -> Option<&'static str> {
    if a.template != b.template || a.template_hash != b.template_hash {
        Some("the template")
    } else if a.sheet_hash != b.sheet_hash || a.sheet != b.sheet {
        Some("the sheet")
    } else if a.mapping != b.mapping {
        Some("the mapping of columns")
    } else if a.values != b.values {
        Some("a value given for every letter (--set)")
    } else if a.mode != b.mode {
        Some("the mode")
    } else if a.draft_hash != b.draft_hash {
        Some("the draft")
    } else if a.names != b.names {
        Some("the file name pattern")
    } else {
        None
    }
}

fn failure(e: &MergeError) -> Failure {
    Failure { code: e.code().into(), message: e.to_string() }
}

/// Runs `merge` into `opts.out_dir`; see the module doc. `on_event` is called on the caller's
/// task for every event.
pub async fn run(wb: Arc<Workbench>, merge: Arc<Merge>, opts: &Options, mut on_event: impl FnMut(&Event), cancel: CancellationToken) -> Result<Report> {
    let started = Instant::now();
    let dir = opts.out_dir.clone();
    if merge.request.mode == Mode::Draft && merge.draft.is_none() {
        return Err(MergeError::DraftNeeded);
    }
    std::fs::create_dir_all(&dir).map_err(|e| MergeError::io(&dir, e))?;
    // The Word letterhead and the logo are checked before anything is written.
    let probe = dir.join("lettre.docx");
    let letterhead = wb.check_outputs(&merge.template, Some(&probe), None, merge.request.letterhead.as_deref(), true)?;
    let head = header(&merge);
    let (journal, state) = if opts.resume {
        let st = Journal::load(&dir)?.ok_or_else(|| MergeError::NothingToResume { dir: dir.clone(), journal: Journal::path_in(&dir) })?;
        if let Some(what) = st.header.as_ref().and_then(|h| mismatch(h, &head)) {
            return Err(MergeError::JournalMismatch { path: Journal::path_in(&dir), what: what.into() });
        }
        (Journal::reopen(&dir)?, st)
    } else {
        if Journal::path_in(&dir).exists() {
            return Err(MergeError::AlreadyStarted { dir });
        }
        let mut taken = merge.letters.iter().map(|l| dir.join(&l.file)).chain([dir.join(COMBINED), dir.join(TRACKING)]).filter(|p| p.exists());
        if let Some(first) = taken.next() {
            return Err(MergeError::OutputExists { path: first, more: taken.count() });
        }
        (Journal::create(&dir, head)?, journal::State::default())
    };
    if opts.remember {
        // A convenience: failing to remember never stops a merge.
        let _ = crate::mapping::remember(&wb.paths.config_dir, &merge.template.id, &merge.mapping_text());
    }
    let pending: Vec<usize> = (0..merge.letters.len()).filter(|&i| !state.done.contains_key(&merge.letters[i].row)).collect();
    let done_before = merge.letters.len() - pending.len();
    on_event(&Event::Started { total: merge.letters.len(), pending: pending.len(), done_before, concurrency: merge.plan.concurrency });
    let journal = Arc::new(Mutex::new(journal));
    let (tx, mut rx) = unbounded_channel::<Event>();
    let work = {
        let (wb, merge, dir, journal, cancel) = (wb.clone(), merge.clone(), dir.clone(), journal.clone(), cancel.clone());
        let numbers = state.numbers.clone();
        async move {
            match merge.request.mode {
                Mode::Draft => tokio::task::spawn_blocking(move || exact(&wb, &merge, &dir, pending, numbers, &journal, letterhead, &tx, &cancel))
                    .await
                    .map_err(|e| MergeError::Docx(format!("the letters' worker stopped: {e}")))?,
                Mode::PerRow => per_row(wb, merge, dir, pending, numbers, journal, letterhead, tx, cancel).await,
            }
        }
    };
    // The combined document is built while the letters are written, in row order, each letter
    // added once it and every row before it have settled (written or failed).
    let (feed, settled) = std::sync::mpsc::channel::<(u32, Option<String>)>();
    let combiner = {
        let order: Vec<(u32, Option<String>)> = merge.letters.iter().map(|l| (l.row, state.done.get(&l.row).map(|d| d.file.clone()))).collect();
        let (dir, target) = (dir.clone(), dir.join(COMBINED));
        std::thread::spawn(move || combine_in_order(&target, &dir, order, settled))
    };
    let mut rows: BTreeMap<u32, RowEvent> = BTreeMap::new();
    let drain = async {
        while let Some(ev) = rx.recv().await {
            if let Event::Row(r) = &ev {
                rows.insert(r.row, r.clone());
                let _ = feed.send((r.row, r.file.clone().filter(|_| r.status == Status::Done)));
            }
            on_event(&ev);
        }
        drop(feed);
    };
    let (result, ()) = tokio::join!(work, drain);
    let build = result?;
    let combined_doc = combiner.join().map_err(|_| MergeError::Docx("the combined document's writer stopped".into()))?;
    // What the journal says now (letters checked on disk), for the workbook and the report.
    let st = Journal::load(&dir)?.unwrap_or_default();
    let mut lines = Vec::new();
    let mut failures = Vec::new();
    let (mut prompt_tokens, mut answer_tokens) = (0, 0);
    let mut skipped_rows = merge.skipped.iter().map(|p| (p.row, p)).collect::<BTreeMap<_, _>>();
    for l in &merge.letters {
        let line = if let Some(d) = st.done.get(&l.row) {
            prompt_tokens += d.prompt_tokens.unwrap_or(0);
            answer_tokens += d.answer_tokens.unwrap_or(0);
            Line {
                row: l.row,
                status: Status::Done,
                file: Some(d.file.clone()),
                number: st.numbers.get(&l.row).cloned(),
                prompt_tokens: d.prompt_tokens,
                answer_tokens: d.answer_tokens,
                run: d.run.clone(),
                note: rows.get(&l.row).and_then(|r| r.note.clone()),
            }
        } else if let Some((code, message)) = st.failed.get(&l.row) {
            let ev = rows.get(&l.row).cloned().unwrap_or(RowEvent {
                row: l.row,
                status: Status::Failed,
                file: None,
                number: None,
                prompt_tokens: None,
                answer_tokens: None,
                run: None,
                error: Some(Failure { code: code.clone(), message: message.clone() }),
                note: None,
            });
            failures.push(ev);
            Line { row: l.row, status: Status::Failed, file: None, number: st.numbers.get(&l.row).cloned(), prompt_tokens: None, answer_tokens: None, run: None, note: Some(format!("{code}: {message}")) }
        } else {
            Line { row: l.row, status: Status::Pending, file: None, number: st.numbers.get(&l.row).cloned(), prompt_tokens: None, answer_tokens: None, run: None, note: None }
        };
        lines.push((l.row, line));
        skipped_rows.remove(&l.row);
    }
    for (row, p) in skipped_rows {
        lines.push((row, Line { row, status: Status::Skipped, file: None, number: None, prompt_tokens: None, answer_tokens: None, run: None, note: Some(p.problems.join(" ; ")) }));
    }
    lines.sort_by_key(|(r, _)| *r);
    let lines: Vec<Line> = lines.into_iter().map(|(_, l)| l).collect();
    let count = |s: Status| lines.iter().filter(|l| l.status == s).count();
    let (done, failed, pending) = (count(Status::Done), count(Status::Failed), count(Status::Pending));
    let tracking_path = dir.join(TRACKING);
    on_event(&Event::Writing { file: TRACKING.into() });
    tracking::write(&tracking_path, &lines, merge.language)?;
    let mut combined = None;
    // Only a complete merge gets its combined document (a stopped one's is dropped unfinished).
    if pending == 0 && done > 0 && !cancel.is_cancelled() {
        if let Some(doc) = combined_doc? {
            on_event(&Event::Writing { file: COMBINED.into() });
            let path = dir.join(COMBINED);
            doc.finish()?;
            if let Some(id) = merge.draft.as_ref().and_then(|d| d.run_id.as_deref()) {
                // The approved draft is the run's final text; the combined document its export.
                let _ = wb.record_export(id, &merge.draft.as_ref().map(|d| d.text.clone()).unwrap_or_default(), &path);
            }
            combined = Some(path);
        }
    }
    let done_now = done.saturating_sub(done_before.min(done));
    Ok(Report {
        out_dir: dir.clone(),
        mode: merge.request.mode,
        letters: merge.letters.len(),
        done,
        done_now,
        failed,
        skipped: merge.skipped.len(),
        pending,
        cancelled: cancel.is_cancelled(),
        combined,
        tracking: tracking_path,
        journal: Journal::path_in(&dir),
        prompt_tokens,
        answer_tokens,
        elapsed_ms: started.elapsed().as_millis() as u64,
        build,
        failures,
    })
}

/// Builds the combined document at `target` as letters settle: `order` lists every letter's row
/// in order with its file when it was done before this run; `settled` brings the others as
/// they are written (with their file) or fail (without). Returns the document, unfinished (the
/// caller finishes it when the merge is complete, or drops it), or None when no letter is done.
fn combine_in_order(
    target: &Path,
    dir: &Path,
    order: Vec<(u32, Option<String>)>,
    settled: std::sync::mpsc::Receiver<(u32, Option<String>)>,
) -> Result<Option<crate::combine::Combined>> {
    let read = |f: &str| std::fs::read(dir.join(f)).map_err(|e| MergeError::io(dir.join(f), e));
    let mut known: BTreeMap<u32, Option<String>> = BTreeMap::new();
    let mut doc: Option<crate::combine::Combined> = None;
    for (row, before) in order {
        let file = match before {
            Some(f) => Some(f),
            None => loop {
                if let Some(f) = known.remove(&row) {
                    break f;
                }
                match settled.recv() {
                    Ok((r, f)) => {
                        known.insert(r, f);
                    }
                    // The run ended (stopped, or an error): the rest will not come.
                    Err(_) => return Ok(doc),
                }
            },
        };
        let Some(f) = file else { continue };
        let bytes = read(&f)?;
        match doc.as_mut() {
            Some(d) => d.push(&bytes)?,
            None => doc = Some(crate::combine::Combined::create(target, &bytes)?),
        }
    }
    Ok(doc)
}

/// Writes the combined document of `files` (in order) to `path`.
pub fn combine_files(path: &Path, files: &[PathBuf]) -> Result<usize> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| MergeError::io(p, e));
    let Some(first) = files.first() else { return Ok(0) };
    let mut c = crate::combine::Combined::create(path, &read(first)?)?;
    for f in &files[1..] {
        c.push(&read(f)?)?;
    }
    c.finish()
}

/// Writes `bytes` to `path` through a temporary file renamed into place (not fsynced: the
/// journal's check at resume finds a letter a power cut lost).
fn write_letter(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(".katib-").suffix(".tmp").tempfile_in(dir).map_err(|e| MergeError::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| MergeError::io(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path).map_err(|e| MergeError::io(path, e.error))?;
    Ok(())
}

fn lock(j: &Mutex<Journal>) -> std::sync::MutexGuard<'_, Journal> {
    j.lock().unwrap_or_else(|e| e.into_inner())
}

/// The N° field of the template, if it has one.
fn number_field(m: &Merge) -> Option<String> {
    m.template.part_field(Part::Reference).map(str::to_string)
}

/// Draft mode: see the module doc. Returns how the letters were built.
#[allow(clippy::too_many_arguments)]
fn exact(
    wb: &Workbench,
    m: &Merge,
    dir: &Path,
    pending: Vec<usize>,
    mut numbers: BTreeMap<u32, String>,
    journal: &Mutex<Journal>,
    letterhead: Option<PathBuf>,
    tx: &UnboundedSender<Event>,
    cancel: &CancellationToken,
) -> Result<Option<Stats>> {
    let run_id = m.draft.as_ref().and_then(|d| d.run_id.clone());
    let field = number_field(m);
    // Final letters: one allocation for every letter still without a number, journaled first.
    if m.request.final_letters {
        if let Some(f) = &field {
            let need: Vec<usize> = pending
                .iter()
                .copied()
                .filter(|&i| !numbers.contains_key(&m.letters[i].row) && m.letters[i].resolved.values.get(f).is_none_or(|v| v.trim().is_empty()))
                .collect();
            if !need.is_empty() {
                let mut resolved: Vec<_> = need.iter().map(|&i| m.letters[i].resolved.clone()).collect();
                let files: Vec<PathBuf> = need.iter().map(|&i| dir.join(&m.letters[i].file)).collect();
                let got = wb.number_batch(&m.template, &mut resolved, &files, run_id.as_deref())?;
                let mut j = lock(journal);
                for (&i, n) in need.iter().zip(got) {
                    if let Some(n) = n {
                        j.append(&Entry::Numbered { row: m.letters[i].row, number: n.clone() }, false)?;
                        numbers.insert(m.letters[i].row, n);
                    }
                }
                j.sync()?;
            }
        }
    }
    let opts = ExportOptions { model: None, today: katib_core::run::today(), no_prepared_with: true, toc: false, run_id: run_id.clone(), audit: None };
    let values_of = |i: usize| {
        let mut v = m.letters[i].resolved.values.clone();
        if let (Some(f), Some(n)) = (&field, numbers.get(&m.letters[i].row)) {
            v.insert(f.clone(), n.clone());
        }
        v
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
    let (done_tx, done_rx) = std::sync::mpsc::channel::<(usize, std::result::Result<(), MergeError>)>();
    let stats = Mutex::new(Stats::default());
    std::thread::scope(|s| -> Result<()> {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let (next, stats, pending, letterhead, opts, values_of) = (&next, &stats, &pending, &letterhead, &opts, &values_of);
            s.spawn(move || {
                let mut letters = Letters::new(wb, m, opts.clone());
                loop {
                    if cancel.is_cancelled() {
                        break;
                    }
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&i) = pending.get(k) else { break };
                    let values = values_of(i);
                    let path = dir.join(&m.letters[i].file);
                    let r = match letterhead {
                        Some(lh) => {
                            let r = katib_core::run::Resolved { values, ..m.letters[i].resolved.clone() };
                            let body = m.body(i, &r.values).unwrap_or_default();
                            wb.export(&m.template, &r, &body, &path, Some(lh), opts, true).map_err(MergeError::from)
                        }
                        None => letters.letter(i, &values).and_then(|bytes| write_letter(&path, &bytes)),
                    };
                    if done_tx.send((i, r)).is_err() {
                        break;
                    }
                }
                let mut st = stats.lock().unwrap_or_else(|e| e.into_inner());
                st.stencils += letters.stats.stencils;
                st.filled += letters.stats.filled;
                st.full += letters.stats.full;
                st.rejected += letters.stats.rejected;
            });
        }
        drop(done_tx);
        let mut last_sync = Instant::now();
        let mut unsynced = 0usize;
        for (i, r) in done_rx {
            let l = &m.letters[i];
            let mut j = lock(journal);
            let ev = match r {
                Ok(()) => {
                    j.append(&Entry::Done { row: l.row, file: l.file.clone(), prompt_tokens: None, answer_tokens: None, run: run_id.clone() }, false)?;
                    RowEvent { row: l.row, status: Status::Done, file: Some(l.file.clone()), number: numbers.get(&l.row).cloned(), prompt_tokens: None, answer_tokens: None, run: run_id.clone(), error: None, note: None }
                }
                Err(e) => {
                    j.append(&Entry::Failed { row: l.row, code: e.code().into(), message: e.to_string() }, false)?;
                    RowEvent { row: l.row, status: Status::Failed, file: None, number: None, prompt_tokens: None, answer_tokens: None, run: None, error: Some(failure(&e)), note: None }
                }
            };
            unsynced += 1;
            if unsynced >= 256 || last_sync.elapsed() >= SYNC_EVERY {
                j.sync()?;
                unsynced = 0;
                last_sync = Instant::now();
            }
            drop(j);
            let _ = tx.send(Event::Row(ev));
        }
        Ok(())
    })?;
    lock(journal).sync()?;
    journal::sync_dir(dir);
    Ok(Some(stats.into_inner().unwrap_or_else(|e| e.into_inner())))
}

/// A provider that lets at most as many requests leave as its gate has places: a row holds a
/// place only while its request is in flight (from the moment it is sent until its stream
/// ends), not while its prompt is rendered, its run recorded in the history or its letter
/// written. The gate is FIFO: rows go in order.
struct Gated {
    inner: Box<dyn Provider>,
    gate: Arc<tokio::sync::Semaphore>,
}

impl Provider for Gated {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn model(&self) -> &str {
        self.inner.model()
    }

    fn complete<'a>(&'a self, req: &'a ChatRequest, sink: ProviderSink<'a>) -> BoxFuture<'a, std::result::Result<Completion, ProviderError>> {
        Box::pin(async move {
            let _place = self.gate.acquire().await.map_err(|_| ProviderError::Cancelled)?;
            self.inner.complete(req, sink).await
        })
    }

    fn list_models(&self) -> BoxFuture<'_, std::result::Result<Vec<String>, ProviderError>> {
        self.inner.list_models()
    }
}

fn gated(conn: Connection, gate: &Arc<tokio::sync::Semaphore>) -> Connection {
    Connection { provider: Box::new(Gated { inner: conn.provider, gate: gate.clone() }), key_source: conn.key_source, notice: conn.notice }
}

/// What one row of a per-row merge came to.
enum Outcome {
    Row(RowEvent),
    /// Stopped before it was done (Stop): still pending.
    Stopped,
}

/// Per-row mode: see the module doc.
#[allow(clippy::too_many_arguments)]
async fn per_row(
    wb: Arc<Workbench>,
    m: Arc<Merge>,
    dir: PathBuf,
    pending: Vec<usize>,
    numbers: BTreeMap<u32, String>,
    journal: Arc<Mutex<Journal>>,
    letterhead: Option<PathBuf>,
    tx: UnboundedSender<Event>,
    cancel: CancellationToken,
) -> Result<Option<Stats>> {
    // One provider for the whole batch (one keychain look-up, one connection pool, one hold
    // on 429); practice mode replays each row's own saved answer.
    let route = wb.route(&m.template, m.request.profile.as_deref())?;
    let concurrency = m.plan.concurrency.max(1);
    // `concurrency` bounds the requests in flight, not the rows being prepared or written.
    let gate = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let shared: Option<Arc<Connection>> = match route {
        Route::Endpoint(_) => {
            let (w, p) = (wb.clone(), m.request.profile.clone());
            let conn = tokio::task::spawn_blocking(move || w.connect_profile(p.as_deref()))
                .await
                .map_err(|e| MergeError::Docx(format!("connecting: {e}")))??;
            Some(Arc::new(gated(conn, &gate)))
        }
        _ => None,
    };
    let numbers = Arc::new(numbers);
    let letterhead = Arc::new(letterhead);
    // More rows in hand than places at the gate: the next rows are ready when a place frees.
    let tasks = futures_util::stream::iter(pending.into_iter().map(|i| {
        let (wb, m, dir, journal, tx, cancel, shared, numbers, letterhead, gate) =
            (wb.clone(), m.clone(), dir.clone(), journal.clone(), tx.clone(), cancel.clone(), shared.clone(), numbers.clone(), letterhead.clone(), gate.clone());
        async move { one_row(wb, m, i, dir, journal, tx, cancel, shared, numbers, letterhead, gate).await }
    }))
    .buffer_unordered(concurrency * 4);
    futures_util::pin_mut!(tasks);
    while let Some(outcome) = tasks.next().await {
        if let Outcome::Row(ev) = outcome {
            let _ = tx.send(Event::Row(ev));
        }
    }
    Ok(None)
}

#[allow(clippy::too_many_arguments)]
async fn one_row(
    wb: Arc<Workbench>,
    m: Arc<Merge>,
    i: usize,
    dir: PathBuf,
    journal: Arc<Mutex<Journal>>,
    tx: UnboundedSender<Event>,
    cancel: CancellationToken,
    shared: Option<Arc<Connection>>,
    numbers: Arc<BTreeMap<u32, String>>,
    letterhead: Arc<Option<PathBuf>>,
    gate: Arc<tokio::sync::Semaphore>,
) -> Outcome {
    let row = m.letters[i].row;
    if cancel.is_cancelled() {
        return Outcome::Stopped;
    }
    let failed = |e: MergeError| {
        let _ = lock(&journal).append(&Entry::Failed { row, code: e.code().into(), message: e.to_string() }, false);
        Outcome::Row(RowEvent { row, status: Status::Failed, file: None, number: None, prompt_tokens: None, answer_tokens: None, run: None, error: Some(failure(&e)), note: None })
    };
    let run = match wb.start(&m.job(i)) {
        Ok(r) => r,
        Err(e) => return failed(e.into()),
    };
    let conn = match &shared {
        Some(c) => c.clone(),
        None => match wb.connect_run(&run) {
            Ok(c) => Arc::new(gated(c, &gate)),
            Err(e) => return failed(e.into()),
        },
    };
    let mut attempt = 0;
    let (answer, run_id) = loop {
        let mut sink = |_: &str| {};
        let g = wb.generate(&run, &conn, Vec::new(), &mut sink, &cancel).await;
        match g.result {
            Ok(a) => break (a, g.run_id),
            Err(stop) => match stop.error {
                katib_core::Error::Provider(ProviderError::Cancelled) => return Outcome::Stopped,
                katib_core::Error::Provider(ProviderError::RateLimited { .. }) if attempt + 1 < RATE_LIMIT_ATTEMPTS && !cancel.is_cancelled() => {
                    attempt += 1;
                    let _ = tx.send(Event::Waiting { row, attempt });
                }
                e => return failed(e.into()),
            },
        }
    };
    let mut notes = Vec::new();
    if let Some(r) = answer.restore.as_ref().filter(|r| !r.invented.is_empty()) {
        notes.push(format!("placeholders never sent, left as written: {}", r.invented.join(", ")));
    }
    if answer.finish_reason.as_deref() == Some("length") {
        notes.push("the answer reached the profile's max_tokens limit and may be cut short".into());
    }
    let note = (!notes.is_empty()).then(|| notes.join("; "));
    let usage = answer.usage;
    let file = m.letters[i].file.clone();
    let written = {
        let (wb, m, journal, run_id) = (wb.clone(), m.clone(), journal.clone(), run_id.clone());
        let path = dir.join(&file);
        tokio::task::spawn_blocking(move || -> Result<Option<String>> {
            let mut resolved = run.prepared.resolved();
            let field = number_field(&m);
            let mut number = None;
            if let Some(f) = &field {
                if let Some(n) = numbers.get(&row) {
                    resolved.values.insert(f.clone(), n.clone());
                    number = Some(n.clone());
                } else if m.request.final_letters && resolved.values.get(f).is_none_or(|v| v.trim().is_empty()) {
                    let mut one = [resolved.clone()];
                    if let Some(n) = wb.number_batch(&m.template, &mut one, std::slice::from_ref(&path), run_id.as_deref())?.pop().flatten() {
                        lock(&journal).append(&Entry::Numbered { row, number: n.clone() }, true)?;
                        resolved.values.insert(f.clone(), n.clone());
                        number = Some(n);
                    }
                }
            }
            let opts = ExportOptions { model: Some(answer.model.clone()).filter(|s| !s.is_empty()), today: run.prepared.today.clone(), no_prepared_with: false, toc: false, run_id: run_id.clone(), audit: None };
            wb.export(&m.template, &resolved, &answer.text, &path, letterhead.as_deref(), &opts, true)?;
            if let Some(id) = &run_id {
                // The letter is the answer as recorded: only the export is added (no edit to
                // compare), and a history that fails to take it does not fail the letter.
                if let Ok(h) = wb.history() {
                    let _ = h.record_export(id, &path.display().to_string(), "docx");
                }
            }
            lock(&journal).append(
                &Entry::Done {
                    row,
                    file: path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default(),
                    prompt_tokens: usage.map(|u| u.prompt_tokens),
                    answer_tokens: usage.map(|u| u.completion_tokens),
                    run: run_id.clone(),
                },
                true,
            )?;
            Ok(number)
        })
        .await
        .map_err(|e| MergeError::Docx(format!("writing the letter stopped: {e}")))
        .and_then(|r| r)
    };
    match written {
        Ok(number) => Outcome::Row(RowEvent {
            row,
            status: Status::Done,
            file: Some(file),
            number,
            prompt_tokens: usage.map(|u| u.prompt_tokens),
            answer_tokens: usage.map(|u| u.completion_tokens),
            run: run_id,
            error: None,
            note,
        }),
        Err(e) => failed(e),
    }
}
