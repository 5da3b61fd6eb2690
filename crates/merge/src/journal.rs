//! The journal of a merge: one JSON object per line, appended beside the letters
//! ([`FILE_NAME`]), so a merge stopped by Ctrl-C, a crash, a kill -9 or a power cut resumes
//! where it was. The first line says which merge it is (template and its hash, the sheet's
//! hash, the mapping, the draft's hash, the mode); then a line per event: a register number
//! given to a row (written before the letter that carries it, so a number is never given twice),
//! a letter written (after the file is in place), a row that failed.
//!
//! A row is done when its line is in the journal AND its file is still there and opens as a
//! .docx ([`Journal::load`] checks): a resumed merge never sends a done row again, and redoes a
//! row whose letter went missing. Lines are flushed to disk (`fdatasync`) when asked: after every
//! row of a merge that sends requests, in groups for an exact merge (whose rows are redone
//! locally at no cost if a power cut loses the last ones). A torn last line (the process died
//! while writing it) is ignored; a damaged line elsewhere is an error.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{MergeError, Result};

/// The journal's file name, in the output folder.
pub const FILE_NAME: &str = "publipostage.journal.jsonl";

/// What identifies a merge: resuming with anything else changed is refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub version: u32,
    pub template: String,
    pub template_version: u32,
    pub template_hash: String,
    /// SHA-256 of the sheet file's bytes.
    pub sheet_hash: String,
    pub sheet: String,
    /// Field -> source as written.
    pub mapping: BTreeMap<String, String>,
    /// The fields given for every letter.
    pub values: BTreeMap<String, String>,
    /// `draft` or `per_row`.
    pub mode: String,
    /// SHA-256 of the approved draft (draft mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft_hash: Option<String>,
    pub names: String,
    pub started: String,
}

/// One line of the journal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Entry {
    Start(Header),
    /// A register number was allocated to this row's letter.
    Numbered { row: u32, number: String },
    /// The row's letter is written.
    Done {
        row: u32,
        file: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prompt_tokens: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answer_tokens: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        run: Option<String>,
    },
    /// The row failed (it is tried again on resume).
    Failed { row: u32, code: String, message: String },
}

/// A row's letter, as the journal records it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DoneRow {
    pub file: String,
    pub prompt_tokens: Option<u64>,
    pub answer_tokens: Option<u64>,
    pub run: Option<String>,
}

/// What a journal says about a merge.
#[derive(Clone, Debug, Default)]
pub struct State {
    pub header: Option<Header>,
    pub done: BTreeMap<u32, DoneRow>,
    pub numbers: BTreeMap<u32, String>,
    pub failed: BTreeMap<u32, (String, String)>,
    /// Rows the journal says are done but whose letter is missing or unreadable: redone.
    pub lost: Vec<u32>,
}

/// A folder's merge as the window's "Reprendre" shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub template: String,
    pub mode: String,
    pub started: String,
    /// Letters written and still there.
    pub done: usize,
    /// Rows whose last attempt failed: (row, code, message).
    pub failed: Vec<(u32, String, String)>,
    /// Rows journaled as done whose letter is missing or damaged (redone on resume).
    pub lost: Vec<u32>,
}

/// The merge journaled in `dir`, if any.
pub fn summary(dir: &Path) -> Result<Option<Summary>> {
    Ok(Journal::load(dir)?.map(|st| {
        let h = st.header.clone().unwrap_or_else(|| Header {
            version: 0,
            template: String::new(),
            template_version: 0,
            template_hash: String::new(),
            sheet_hash: String::new(),
            sheet: String::new(),
            mapping: BTreeMap::new(),
            values: BTreeMap::new(),
            mode: String::new(),
            draft_hash: None,
            names: String::new(),
            started: String::new(),
        });
        Summary {
            template: h.template,
            mode: h.mode,
            started: h.started,
            done: st.done.len(),
            failed: st.failed.into_iter().map(|(r, (c, m))| (r, c, m)).collect(),
            lost: st.lost,
        }
    }))
}

/// An open journal, appending.
pub struct Journal {
    path: PathBuf,
    file: std::fs::File,
}

impl Journal {
    pub fn path_in(dir: &Path) -> PathBuf {
        dir.join(FILE_NAME)
    }

    /// Reads the journal of `dir` and checks the letters it lists (None: there is none).
    pub fn load(dir: &Path) -> Result<Option<State>> {
        let path = Journal::path_in(dir);
        let f = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(MergeError::io(&path, e)),
        };
        let lines: Vec<String> = std::io::BufReader::new(f).lines().collect::<std::io::Result<_>>().map_err(|e| MergeError::io(&path, e))?;
        let mut st = State::default();
        let last = lines.iter().rposition(|l| !l.trim().is_empty());
        for (i, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let entry: Entry = match serde_json::from_str(line) {
                Ok(e) => e,
                // The process died while writing its last line: that event did not happen.
                Err(_) if Some(i) == last => break,
                Err(e) => return Err(MergeError::JournalDamaged { path: path.clone(), line: i + 1, detail: e.to_string() }),
            };
            match entry {
                Entry::Start(h) => {
                    if st.header.is_some() {
                        return Err(MergeError::JournalDamaged { path: path.clone(), line: i + 1, detail: "a second start line".into() });
                    }
                    st.header = Some(h);
                }
                Entry::Numbered { row, number } => {
                    st.numbers.insert(row, number);
                }
                Entry::Done { row, file, prompt_tokens, answer_tokens, run } => {
                    st.failed.remove(&row);
                    st.done.insert(row, DoneRow { file, prompt_tokens, answer_tokens, run });
                }
                Entry::Failed { row, code, message } => {
                    if !st.done.contains_key(&row) {
                        st.failed.insert(row, (code, message));
                    }
                }
            }
        }
        if st.header.is_none() {
            return Err(MergeError::JournalDamaged { path, line: 1, detail: "no start line".into() });
        }
        // A done row counts only while its letter is there and whole.
        let lost: Vec<u32> = st.done.iter().filter(|(_, d)| !is_whole_docx(&dir.join(&d.file))).map(|(r, _)| *r).collect();
        for r in &lost {
            st.done.remove(r);
        }
        st.lost = lost;
        Ok(Some(st))
    }

    /// Creates the journal of a new merge in `dir` with its start line, on disk.
    pub fn create(dir: &Path, header: Header) -> Result<Journal> {
        let path = Journal::path_in(dir);
        let file = std::fs::OpenOptions::new().create_new(true).append(true).open(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => MergeError::AlreadyStarted { dir: dir.into() },
            _ => MergeError::io(&path, e),
        })?;
        lock(&file, dir)?;
        let mut j = Journal { path, file };
        j.append(&Entry::Start(header), true)?;
        // The folder entry of a new file is made durable too.
        sync_dir(dir);
        Ok(j)
    }

    /// Opens the journal of `dir` to go on appending. A torn last line (the process died while
    /// writing it) is cut off first: it was never an event, and the next line must start clean.
    pub fn reopen(dir: &Path) -> Result<Journal> {
        let path = Journal::path_in(dir);
        let bytes = std::fs::read(&path).map_err(|e| MergeError::io(&path, e))?;
        let file = std::fs::OpenOptions::new().append(true).open(&path).map_err(|e| MergeError::io(&path, e))?;
        lock(&file, dir)?;
        // What a process killed mid-write left behind (a temporary letter or combined document).
        if let Ok(rd) = std::fs::read_dir(dir) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if name.starts_with(".katib-") && name.ends_with(".tmp") {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        if bytes.last().is_some_and(|b| *b != b'\n') {
            let keep = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            file.set_len(keep as u64).map_err(|e| MergeError::io(&path, e))?;
            file.sync_data().map_err(|e| MergeError::io(&path, e))?;
        }
        Ok(Journal { path, file })
    }

    /// Appends `entry` as one line; `sync`: and makes it durable before returning.
    pub fn append(&mut self, entry: &Entry, sync: bool) -> Result<()> {
        let mut line = serde_json::to_string(entry).map_err(|e| MergeError::io(&self.path, e))?;
        line.push('\n');
        // One write call per line: a concurrent reader or a crash sees whole lines or a torn last one.
        self.file.write_all(line.as_bytes()).map_err(|e| MergeError::io(&self.path, e))?;
        if sync {
            self.sync()?;
        }
        Ok(())
    }

    /// Makes every line written so far durable.
    pub fn sync(&mut self) -> Result<()> {
        self.file.sync_data().map_err(|e| MergeError::io(&self.path, e))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Holds the journal for this process: a second `katib merge` (or the window) working in the
/// same folder at the same time is refused. The OS releases the lock when the process ends,
/// however it ends.
fn lock(file: &std::fs::File, dir: &Path) -> Result<()> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(MergeError::Busy { dir: dir.into() }),
        Err(std::fs::TryLockError::Error(e)) => Err(MergeError::io(dir, e)),
    }
}

/// Whether `path` is a .docx that opens: its zip directory reads and it has a document part.
pub fn is_whole_docx(path: &Path) -> bool {
    let Ok(f) = std::fs::File::open(path) else { return false };
    match zip::ZipArchive::new(std::io::BufReader::new(f)) {
        Ok(z) => z.index_for_name("word/document.xml").is_some(),
        Err(_) => false,
    }
}

/// Makes a folder's entries (new files, renames) durable, where the system allows it.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            version: 1,
            template: "convocation".into(),
            template_version: 2,
            template_hash: "h".into(),
            sheet_hash: "s".into(),
            sheet: "Membres".into(),
            mapping: BTreeMap::new(),
            values: BTreeMap::new(),
            mode: "per_row".into(),
            draft_hash: None,
            names: "{ligne}".into(),
            started: "2026-11-23T10:00:00Z".into(),
        }
    }

    #[test]
    fn a_torn_last_line_is_ignored_and_missing_letters_are_redone() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = Journal::create(dir.path(), header()).unwrap();
        assert!(matches!(Journal::create(dir.path(), header()), Err(MergeError::AlreadyStarted { .. })));
        j.append(&Entry::Numbered { row: 2, number: "0001/DAG/2026".into() }, true).unwrap();
        j.append(&Entry::Done { row: 2, file: "a.docx".into(), prompt_tokens: Some(10), answer_tokens: Some(5), run: None }, true).unwrap();
        j.append(&Entry::Failed { row: 3, code: "provider.rejected".into(), message: "non".into() }, true).unwrap();
        // a.docx is not there: row 2 is not done.
        let st = Journal::load(dir.path()).unwrap().unwrap();
        assert!(st.done.is_empty());
        assert_eq!(st.lost, vec![2]);
        assert_eq!(st.numbers.get(&2).map(String::as_str), Some("0001/DAG/2026"));
        assert!(st.failed.contains_key(&3));
        // Another process working in the same folder is refused while this one holds it.
        assert!(matches!(Journal::reopen(dir.path()), Err(MergeError::Busy { .. })));
        drop(j);
        // A torn line at the end (kill -9 mid-write) is not an event; the next append starts a line.
        let p = Journal::path_in(dir.path());
        let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
        f.write_all(b"{\"event\":\"done\",\"row\":4,\"fi").unwrap();
        drop(f);
        let st = Journal::load(dir.path()).unwrap().unwrap();
        assert!(!st.done.contains_key(&4));
        let mut j = Journal::reopen(dir.path()).unwrap();
        j.append(&Entry::Failed { row: 5, code: "x".into(), message: "y".into() }, true).unwrap();
        let st = Journal::load(dir.path()).unwrap().unwrap();
        assert!(st.failed.contains_key(&5));
        // A damaged line in the middle is an error.
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replacen("\"numbered\"", "\"numb", 1)).unwrap();
        assert!(matches!(Journal::load(dir.path()), Err(MergeError::JournalDamaged { line: 2, .. })));
    }
}
