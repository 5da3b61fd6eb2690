//! What the tests share: a temp dir with a history file in it, a clock the test moves, a run
//! template, and reading the database's files as bytes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use katib_history::*;

pub struct Db {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    /// Milliseconds since the epoch the history's clock reads; tests move it.
    pub now: Arc<AtomicI64>,
}

impl Db {
    pub fn new() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join(FILE_NAME);
        let now = Arc::new(AtomicI64::new(Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap().timestamp_millis()));
        Db { dir, path, now }
    }

    pub fn options(&self, keep_texts: bool) -> Options {
        let now = self.now.clone();
        Options {
            keep_texts,
            clock: Some(Arc::new(move || DateTime::from_timestamp_millis(now.load(Ordering::SeqCst)).unwrap())),
            ..Options::default()
        }
    }

    pub fn open(&self) -> History {
        History::open(&self.path, self.options(true)).unwrap()
    }

    pub fn advance_ms(&self, ms: i64) {
        self.now.fetch_add(ms, Ordering::SeqCst);
    }

    pub fn set(&self, t: DateTime<Utc>) {
        self.now.store(t.timestamp_millis(), Ordering::SeqCst);
    }

    /// The bytes of the database, its WAL and shared-memory files.
    pub fn bytes(&self) -> Vec<u8> {
        let mut all = Vec::new();
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.path.as_os_str().to_os_string();
            p.push(suffix);
            if let Ok(b) = std::fs::read(PathBuf::from(p)) {
                all.extend(b);
            }
        }
        all
    }
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    haystack.windows(n.len()).any(|w| w == n)
}

/// A citizen's letter run with everything filled.
pub fn letter_run(template: &str, objet: &str, addressee: &str) -> NewRun {
    NewRun {
        template_id: template.into(),
        template_title: "Réponse à un citoyen".into(),
        template_version: "3".into(),
        template_hash: "sha256:9f2c".into(),
        profile: "mistral".into(),
        model: "mistral-large-latest".into(),
        data_class: Some(DataClass::Cloud),
        lang: "fr".into(),
        objet: objet.into(),
        addressee: addressee.into(),
        form: [("objet".to_string(), objet.to_string()), ("destinataire".to_string(), addressee.to_string())].into(),
        inputs: vec![InputFile {
            field: "piece".into(),
            name: "demande.pdf".into(),
            sha256: "ab".repeat(32),
            bytes: 48213,
        }],
        messages: vec![
            SentMessage { role: "system".into(), content: "Garde les marqueurs tels quels.".into() },
            SentMessage { role: "user".into(), content: format!("Objet : {objet}. Destinataire : [NOM_1].") },
        ],
        replacements: vec![Replacement {
            placeholder: "[NOM_1]".into(),
            original: addressee.into(),
            kind: "NOM".into(),
        }],
        pseudonymisation_override: None,
    }
}

/// Records a whole run with `answer` streamed in pieces; returns its id.
pub fn record(h: &History, run: &NewRun, answer: &str) -> String {
    let mut rec = h.start_run(run).unwrap();
    for piece in answer.split_inclusive(' ') {
        rec.push(piece).unwrap();
    }
    let id = rec.id().to_string();
    rec.finish(Outcome::Done, Tokens { prompt: Some(900), completion: Some(250) }).unwrap();
    id
}

pub fn testhelper() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_katib-history-testhelper"))
}
