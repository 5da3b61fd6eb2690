//! Paths inside a pack: a path a pack file names must stay in the pack folder (no `..`, no
//! absolute path, no drive letter, no backslash), and a pack holds no symbolic link.

use std::path::{Component, Path, PathBuf};

use crate::error::{Result, WorkshopError};

/// Whether `rel` (a path as a pack file or a zip entry writes it) is a plain relative path.
pub fn is_plain(rel: &str) -> bool {
    if rel.is_empty() || rel.contains('\\') || rel.contains('\0') || rel.starts_with('/') {
        return false;
    }
    // "C:foo" and "C:/foo" are drive paths on Windows.
    let b = rel.as_bytes();
    if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
        return false;
    }
    Path::new(rel).components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// The file `rel` names inside `pack_dir`, checked: it stays inside, exists, and is an ordinary
/// file (not a symbolic link). `from` and `line` say where it is named, for the error.
pub fn resolve(pack_dir: &Path, rel: &str, from: &Path, line: usize) -> Result<PathBuf> {
    if !is_plain(rel) {
        return Err(WorkshopError::PathEscapes { file: rel.into(), from: from.into(), line });
    }
    let path = pack_dir.join(rel);
    let meta = std::fs::symlink_metadata(&path)
        .map_err(|_| WorkshopError::MissingFile { file: rel.into(), path: path.clone(), from: from.into(), line })?;
    if meta.file_type().is_symlink() {
        return Err(WorkshopError::Symlink { path });
    }
    if !meta.is_file() {
        return Err(WorkshopError::MissingFile { file: rel.into(), path, from: from.into(), line });
    }
    // A folder on the way may itself be a link: the real path must stay in the pack.
    let real = path.canonicalize().map_err(|e| WorkshopError::io(&path, e))?;
    let root = pack_dir.canonicalize().map_err(|e| WorkshopError::io(pack_dir, e))?;
    if !real.starts_with(&root) {
        return Err(WorkshopError::PathEscapes { file: rel.into(), from: from.into(), line });
    }
    Ok(path)
}

/// Every ordinary file under `dir` (relative paths with `/`, sorted), refusing symbolic links.
/// Hidden files and folders (`.git`, `.DS_Store`) are left out.
pub fn walk(dir: &Path) -> Result<Vec<String>> {
    fn go(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
        let rd = std::fs::read_dir(dir).map_err(|e| WorkshopError::io(dir, e))?;
        for e in rd {
            let e = e.map_err(|e| WorkshopError::io(dir, e))?;
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with('.') {
                continue;
            }
            let p = e.path();
            let ft = e.file_type().map_err(|e| WorkshopError::io(&p, e))?;
            if ft.is_symlink() {
                return Err(WorkshopError::Symlink { path: p });
            }
            if ft.is_dir() {
                go(root, &p, out)?;
            } else if ft.is_file() {
                let rel = p.strip_prefix(root).unwrap_or(&p);
                out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    go(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_only() {
        for ok in ["files/a.txt", "a.md", "./files/x.xlsx"] {
            assert!(is_plain(ok), "{ok}");
        }
        for bad in ["../a", "files/../../a", "/etc/passwd", "C:/x", "c:x", "files\\a", "", "a\0b"] {
            assert!(!is_plain(bad), "{bad}");
        }
    }
}
