//! The `.katib` file: a pack folder zipped. Reading one is guarded: at most [`MAX_ENTRIES`]
//! entries, [`MAX_FILE`] bytes per file and [`MAX_TOTAL`] in all (counted while inflating, never
//! trusted from the headers), a compression ratio of at most [`MAX_RATIO`] for any file over
//! 1 MB (a zip bomb), plain relative names only (no `..`, absolute path, drive, backslash) and
//! no symbolic link. Writing is deterministic (sorted names, fixed dates) and atomic.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::paths;
use crate::error::{Result, WorkshopError};

pub const MAX_ENTRIES: usize = 5_000;
pub const MAX_FILE: u64 = 64 * 1024 * 1024;
pub const MAX_TOTAL: u64 = 256 * 1024 * 1024;
pub const MAX_RATIO: u64 = 100;

fn too_large(path: &Path, entry: &str, detail: String) -> WorkshopError {
    WorkshopError::TooLarge { path: path.into(), entry: entry.into(), detail }
}

/// Extracts the archive `file` into the empty folder `dest`, with the limits above. Returns the
/// pack's root inside `dest`: `dest` itself, or its only folder when the archive holds the
/// pack folder rather than its contents.
pub fn extract(file: &Path, dest: &Path) -> Result<PathBuf> {
    let bad = |detail: String| WorkshopError::BadArchive { path: file.into(), detail };
    let f = std::fs::File::open(file).map_err(|e| WorkshopError::io(file, e))?;
    let mut zip = zip::ZipArchive::new(f).map_err(|e| bad(e.to_string()))?;
    if zip.len() > MAX_ENTRIES {
        return Err(too_large(file, "the archive", format!("{} entries (at most {MAX_ENTRIES})", zip.len())));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| bad(e.to_string()))?;
        let name = entry.name().to_string();
        let rel = name.trim_end_matches('/');
        if !paths::is_plain(rel) {
            return Err(WorkshopError::PathEscapes { file: name, from: file.into(), line: 0 });
        }
        if entry.is_symlink() {
            return Err(WorkshopError::Symlink { path: file.join(&name) });
        }
        let target = dest.join(rel);
        if entry.is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| WorkshopError::io(&target, e))?;
            continue;
        }
        let size = entry.size();
        if size > MAX_FILE {
            return Err(too_large(file, &name, format!("{size} bytes once extracted (at most {MAX_FILE} per file)")));
        }
        if size > 1024 * 1024 && size / entry.compressed_size().max(1) > MAX_RATIO {
            return Err(too_large(file, &name, format!("compressed {} times (at most {MAX_RATIO}): a zip bomb", size / entry.compressed_size().max(1))));
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| WorkshopError::io(parent, e))?;
        }
        // create_new: two entries with one name are refused, not silently merged.
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(|e| if e.kind() == std::io::ErrorKind::AlreadyExists { bad(format!("'{name}' appears twice")) } else { WorkshopError::io(&target, e) })?;
        // Count what really comes out, whatever the header said.
        let mut limited = (&mut entry).take(MAX_FILE.min(size) + 1);
        let mut buf = [0u8; 64 * 1024];
        let mut written: u64 = 0;
        loop {
            let n = limited.read(&mut buf).map_err(|e| bad(format!("'{name}': {e}")))?;
            if n == 0 {
                break;
            }
            written += n as u64;
            total += n as u64;
            if written > size {
                return Err(too_large(file, &name, "more bytes than its header announces".into()));
            }
            if total > MAX_TOTAL {
                return Err(too_large(file, &name, format!("the pack exceeds {MAX_TOTAL} bytes once extracted")));
            }
            out.write_all(&buf[..n]).map_err(|e| WorkshopError::io(&target, e))?;
        }
    }
    if dest.join("pack.toml").is_file() {
        return Ok(dest.to_path_buf());
    }
    let dirs: Vec<PathBuf> = std::fs::read_dir(dest).map_err(|e| WorkshopError::io(dest, e))?.flatten().map(|e| e.path()).collect();
    match dirs.as_slice() {
        [only] if only.join("pack.toml").is_file() => Ok(only.clone()),
        _ => Err(bad("no pack.toml at its root: a .katib file is a pack folder zipped (`katib pack export` makes one)".into())),
    }
}

/// Zips the files `rels` of `dir` into `out` (atomically; an existing `out` is replaced only
/// with `overwrite`). Returns the archive's size in bytes.
pub fn write(dir: &Path, rels: &[String], out: &Path, overwrite: bool) -> Result<u64> {
    if !overwrite && out.exists() {
        return Err(WorkshopError::Exists { path: out.into() });
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let zerr = |e: zip::result::ZipError| WorkshopError::BadArchive { path: out.into(), detail: e.to_string() };
    for rel in rels {
        let p = dir.join(rel);
        let bytes = std::fs::read(&p).map_err(|e| WorkshopError::io(&p, e))?;
        zip.start_file(rel.as_str(), opts).map_err(zerr)?;
        zip.write_all(&bytes).map_err(|e| WorkshopError::io(out, e))?;
    }
    let bytes = zip.finish().map_err(zerr)?.into_inner();
    katib_core::fsutil::write_atomic(out, &bytes, overwrite).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            WorkshopError::Exists { path: out.into() }
        } else {
            WorkshopError::io(out, e)
        }
    })?;
    Ok(bytes.len() as u64)
}
