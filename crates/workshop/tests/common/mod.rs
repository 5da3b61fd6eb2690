//! Test helpers: a fresh profile per test (its own config and data folders), the repository's
//! folders, and small pack-building helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use katib_core::config::Paths;
use katib_core::run::Workbench;

pub struct Profile {
    pub dir: tempfile::TempDir,
}

impl Profile {
    pub fn new() -> Profile {
        let dir = tempfile::Builder::new().prefix("katib-ws-").tempdir().expect("tempdir");
        for d in ["config", "data", "out"] {
            std::fs::create_dir_all(dir.path().join(d)).expect("mkdir");
        }
        Profile { dir }
    }

    pub fn paths(&self) -> Paths {
        Paths { config_dir: self.dir.path().join("config"), data_dir: self.dir.path().join("data") }
    }

    pub fn wb(&self) -> Workbench {
        Workbench::load_from(self.paths()).expect("workbench")
    }

    pub fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join("out").join(name)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repo")
}

pub fn ia_starter() -> PathBuf {
    repo().join("packs/ia-starter")
}

/// Copies the folder `from` into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}

/// A starter pack (`katib pack new`) in `dir`.
pub fn starter(dir: &Path) {
    katib_workshop::pack::scaffold::scaffold(dir, "essai").expect("scaffold");
}

/// Replaces `from` by `to` in the file `rel` of `dir` (once; panics when absent).
pub fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let p = dir.join(rel);
    let s = std::fs::read_to_string(&p).unwrap();
    assert!(s.contains(from), "{from:?} not in {}", p.display());
    std::fs::write(&p, s.replacen(from, to, 1)).unwrap();
}

/// The 1-based line of the first line containing `needle` in the file.
pub fn line_of(path: &Path, needle: &str) -> usize {
    std::fs::read_to_string(path).unwrap().lines().position(|l| l.contains(needle)).expect("needle") + 1
}
