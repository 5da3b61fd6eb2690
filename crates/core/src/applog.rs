//! The desktop app's log: one line per event worth knowing when something went wrong (start,
//! generation, export, connection test), in `<data dir>/katib.log`, for whoever helps the user.
//! Metadata only: never a prompt, an answer, a file's content or a key; and since a server may
//! echo what it was sent in an error message, long token-like words are masked anyway.
//! Rotated at 1 MB (one older file kept, `katib.log.1`). Best effort: a log that cannot be
//! written never stops the app.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Paths;

const MAX_BYTES: u64 = 1 << 20;

pub struct Log {
    path: PathBuf,
}

impl Log {
    pub fn new(paths: &Paths) -> Log {
        Log { path: paths.data_dir.join("katib.log") }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `<local time> <event>` (one line; secrets masked).
    pub fn write(&self, event: &str) {
        let _ = self.try_write(event);
    }

    fn try_write(&self, event: &str) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        if std::fs::metadata(&self.path).map(|m| m.len() >= MAX_BYTES).unwrap_or(false) {
            std::fs::rename(&self.path, self.path.with_extension("log.1"))?;
        }
        let line = format!("{} {}\n", chrono::Local::now().format("%Y-%m-%d %H:%M:%S"), redact(event));
        // One write of one line in append mode: lines from two windows never interleave.
        std::fs::OpenOptions::new().create(true).append(true).open(&self.path)?.write_all(line.as_bytes())
    }
}

/// One line, with every word that could be a key masked: a word (letters, digits, `-`, `_`) with
/// a run of 16 or more letters and digits mixed, as API keys and tokens have. Paths, URLs, file
/// names and messages keep their words.
pub fn redact(s: &str) -> String {
    let flat: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut out = String::with_capacity(flat.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let keyish = word.split(['-', '_']).any(|run| {
            run.len() >= 16 && run.chars().any(|c| c.is_ascii_digit()) && run.chars().any(|c| c.is_ascii_alphabetic())
        });
        out.push_str(if keyish { "[masked]" } else { word });
        word.clear();
    };
    for c in flat.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_masked_and_words_kept() {
        let s = redact("provider.auth: 401 from http://127.0.0.1:9/v1 (key sk-proj-AbC123dEf456GhI789jKl)\nnext");
        assert_eq!(s, "provider.auth: 401 from http://127.0.0.1:9/v1 (key [masked]) next");
        // Long plain words and file names survive.
        let s = redact("/home/agent/Documents/demande-de-pieces-complementaires-2026-11-23.docx");
        assert!(s.contains("demande-de-pieces-complementaires-2026-11-23"), "{s}");
    }

    #[test]
    fn lines_append_and_rotate() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths { config_dir: dir.path().join("c"), data_dir: dir.path().join("d") };
        let log = Log::new(&paths);
        log.write("start");
        log.write("generate convocation: ok");
        let text = std::fs::read_to_string(log.path()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[1].ends_with(" generate convocation: ok") && lines[1].len() == 20 + 24, "{text}");
        std::fs::write(log.path(), vec![b'x'; MAX_BYTES as usize]).unwrap();
        log.write("after rotation");
        assert!(std::fs::read_to_string(log.path()).unwrap().ends_with(" after rotation\n"));
        assert_eq!(std::fs::metadata(log.path().with_extension("log.1")).unwrap().len(), MAX_BYTES);
    }
}
