//! The packs a user has: imported ones (`packs/<id>/` in the data folder) and built-in ones
//! (`packs/` beside `prompts/`). Importing, exporting, finding a pack by id or path, and joining
//! packs to a [`Workbench`] so that their templates and saved answers work in practice mode.
//!
//! Importing never replaces the user's own templates without being asked: a template the pack
//! carries that differs from the user's template of the same id stops the import (nothing is
//! changed) unless `replace` is given, and the report says what would be (or was) replaced.

use std::path::{Path, PathBuf};

use katib_core::run::{Recording, Workbench};
use katib_core::templates::{Catalog, Template};
use katib_core::Localized;
use serde::Serialize;

use super::load::{self, Mode};
use super::{archive, paths, Origin, Pack, Warning};
use crate::error::{Result, WorkshopError};

/// Where imported packs live: `<data dir>/packs`.
pub fn imported_dir(wb: &Workbench) -> PathBuf {
    wb.paths.data_dir.join("packs")
}

/// Where the built-in packs are: `packs/` beside the shipped `prompts/`.
pub fn builtin_dir(wb: &Workbench) -> Option<PathBuf> {
    wb.resources.prompts_dir.parent().map(|p| p.join("packs")).filter(|p| p.is_dir())
}

/// A pack in a listing.
#[derive(Clone, Debug, Serialize)]
pub struct PackInfo {
    pub id: String,
    pub title: Localized,
    pub version: String,
    pub origin: Origin,
    pub path: PathBuf,
    pub exercises: usize,
    pub days: Vec<u32>,
    pub languages: Vec<katib_core::Lang>,
}

impl PackInfo {
    pub fn of(p: &Pack) -> PackInfo {
        let mut days: Vec<u32> = p.exercises.iter().filter_map(|e| e.day).collect();
        days.sort_unstable();
        days.dedup();
        PackInfo {
            id: p.manifest.id.clone(),
            title: p.manifest.title.clone(),
            version: p.manifest.version.clone(),
            origin: p.origin,
            path: p.dir.clone(),
            exercises: p.exercises.len(),
            days,
            languages: p.manifest.languages.clone(),
        }
    }
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("pack.toml").is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    v.sort();
    v
}

/// Every pack available, imported ones first; a built-in pack imported under the same id is
/// listed once (the imported copy). Packs that fail to load are returned as warnings.
pub fn all(wb: &Workbench) -> (Vec<Pack>, Vec<Warning>) {
    let mut packs: Vec<Pack> = Vec::new();
    let mut warnings = Vec::new();
    let sources = subdirs(&imported_dir(wb)).into_iter().map(|d| (d, Origin::Imported)).chain(builtin_dir(wb).into_iter().flat_map(|b| subdirs(&b)).map(|d| (d, Origin::Builtin)));
    for (dir, origin) in sources {
        match load::open(&dir, wb, origin, Mode::Lenient) {
            Ok((p, w)) => {
                warnings.extend(w);
                if !packs.iter().any(|o| o.manifest.id == p.manifest.id) {
                    packs.push(p);
                }
            }
            Err(e) => warnings.push(Warning { path: dir.clone(), line: e.location().map_or(0, |l| l.1), message: e.to_string() }),
        }
    }
    (packs, warnings)
}

/// A pack opened for use, with the temporary folder a `.katib` file was extracted to.
pub struct Opened {
    pub pack: Pack,
    pub warnings: Vec<Warning>,
    _extracted: Option<tempfile::TempDir>,
}

/// The pack `name`: a folder, a `.katib` file, or the id of an imported or built-in pack.
pub fn open(wb: &Workbench, name: &str) -> Result<Opened> {
    let p = Path::new(name);
    if p.is_dir() {
        let (pack, warnings) = load::open(p, wb, Origin::Folder, Mode::Strict)?;
        return Ok(Opened { pack, warnings, _extracted: None });
    }
    if p.is_file() {
        let tmp = tempfile::Builder::new().prefix("katib-pack-").tempdir().map_err(|e| WorkshopError::io(std::env::temp_dir(), e))?;
        let root = archive::extract(p, tmp.path())?;
        let (pack, warnings) = load::open(&root, wb, Origin::Folder, Mode::Strict)?;
        return Ok(Opened { pack, warnings, _extracted: Some(tmp) });
    }
    let (packs, warnings) = all(wb);
    let known: Vec<String> = packs.iter().map(|p| p.manifest.id.clone()).collect();
    match packs.into_iter().find(|p| p.manifest.id == name) {
        Some(pack) => Ok(Opened { pack, warnings, _extracted: None }),
        None => Err(WorkshopError::PackNotFound { name: name.into(), known: if known.is_empty() { "(none)".into() } else { known.join(", ") } }),
    }
}

/// Checks the pack at `path` (a folder or a `.katib` file) in full, collecting every problem.
pub fn validate(wb: &Workbench, path: &Path) -> (Option<Pack>, load::Report) {
    if path.is_file() {
        let tmp = match tempfile::Builder::new().prefix("katib-pack-").tempdir() {
            Ok(t) => t,
            Err(e) => return (None, load::Report { errors: vec![WorkshopError::io(std::env::temp_dir(), e)], warnings: Vec::new() }),
        };
        return match archive::extract(path, tmp.path()) {
            Ok(root) => load::validate(&root, wb),
            Err(e) => (None, load::Report { errors: vec![e], warnings: Vec::new() }),
        };
    }
    load::validate(path, wb)
}

/// A Workbench for running `pack`'s exercises: the pack's templates win over any of the same
/// id, and its saved answers replay in practice mode.
pub fn workbench_for(wb: &Workbench, pack: &Pack) -> Workbench {
    let mut w = wb.clone();
    let mut all: Vec<Template> = pack.templates.clone();
    all.extend(wb.catalog.all().iter().filter(|t| !pack.templates.iter().any(|p| p.id == t.id)).cloned());
    w.catalog = Catalog::from_templates(all);
    w.add_recordings(recordings(pack));
    w
}

/// The practice recordings of a pack's saved answers, by replay key. The source names the
/// pack, the exercise and the variant: `ia-starter:j2-reponse:2`.
pub fn recordings(pack: &Pack) -> Vec<(katib_core::run::ReplayKey, Recording)> {
    pack.exercises
        .iter()
        .flat_map(|ex| {
            ex.answers.iter().enumerate().map(move |(i, a)| {
                (ex.key.clone(), Recording { answer: a.file.clone(), date: a.date.clone(), source: format!("{}:{}:{}", pack.manifest.id, ex.id, i + 1), variant: true })
            })
        })
        .collect()
}

/// What [`attach`] did.
#[derive(Debug, Default, Serialize)]
pub struct Attached {
    pub packs: Vec<String>,
    pub recordings: usize,
    pub warnings: Vec<Warning>,
}

/// Joins every available pack to `wb`: their templates that Katib does not have yet (the
/// built-in packs' when not imported), and their saved answers as practice recordings. After
/// this, `katib run` and the window replay a pack's answers for its exercises' inputs.
pub fn attach(wb: &mut Workbench) -> Attached {
    let (packs, warnings) = all(wb);
    let mut out = Attached { warnings, ..Default::default() };
    for p in &packs {
        wb.add_templates(p.templates.clone());
        let recs = recordings(p);
        out.recordings += recs.len();
        wb.add_recordings(recs);
        out.packs.push(p.manifest.id.clone());
    }
    out
}

/// What an import did.
#[derive(Debug, Serialize)]
pub struct ImportReport {
    pub id: String,
    pub title: Localized,
    pub version: String,
    pub path: PathBuf,
    pub exercises: usize,
    /// The version of the same pack it replaced, if any.
    pub replaced_pack: Option<String>,
    /// Templates written into the user's templates folder.
    pub templates_installed: Vec<PathBuf>,
    /// User templates replaced (only with `replace`).
    pub templates_replaced: Vec<PathBuf>,
    pub warnings: Vec<Warning>,
    pub millis: u64,
}

/// A template of the pack against the user's templates folder.
enum Install {
    /// Not there: write it to this path.
    New(PathBuf),
    /// The user's template of this id is the same text.
    Same,
    /// The user's own, different: replaced only when asked.
    Conflict(PathBuf),
}

fn plan(wb: &Workbench, user_dir: &Path, t: &Template) -> Install {
    let target = user_dir.join(format!("{}.md", t.id));
    if let Some(mine) = wb.catalog.all().iter().find(|o| !o.builtin && o.id == t.id) {
        return if mine.hash == t.hash { Install::Same } else { Install::Conflict(mine.path.clone()) };
    }
    if target.exists() {
        // A file of that name holding another template (or a broken one).
        return Install::Conflict(target);
    }
    Install::New(target)
}

/// Imports the pack `source` (a `.katib` file or a folder) into the data folder: it is checked
/// in full first (an invalid pack changes nothing), then copied, then its templates installed.
pub fn import(wb: &Workbench, source: &Path, replace: bool) -> Result<ImportReport> {
    let started = std::time::Instant::now();
    let root = imported_dir(wb);
    std::fs::create_dir_all(&root).map_err(|e| WorkshopError::io(&root, e))?;
    // Extract or copy into a temporary folder beside the final one (same disk: a rename ends it).
    let tmp = tempfile::Builder::new().prefix(".import-").tempdir_in(&root).map_err(|e| WorkshopError::io(&root, e))?;
    let staged = if source.is_dir() {
        let dest = tmp.path().join("pack");
        for rel in paths::walk(source)? {
            let from = source.join(&rel);
            let to = dest.join(&rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| WorkshopError::io(parent, e))?;
            }
            std::fs::copy(&from, &to).map_err(|e| WorkshopError::io(&from, e))?;
        }
        dest
    } else if source.is_file() {
        let dest = tmp.path().join("pack");
        std::fs::create_dir_all(&dest).map_err(|e| WorkshopError::io(&dest, e))?;
        archive::extract(source, &dest)?
    } else {
        return Err(WorkshopError::io(source, std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder")));
    };
    let (pack, warnings) = load::open(&staged, wb, Origin::Imported, Mode::Strict)?;
    let user_dir = wb.user_templates_dir();
    let mut installs = Vec::new();
    let mut conflicts = Vec::new();
    for t in &pack.templates {
        match plan(wb, &user_dir, t) {
            Install::New(p) => installs.push((t, p)),
            Install::Same => {}
            Install::Conflict(p) => conflicts.push((t, p)),
        }
    }
    if !conflicts.is_empty() && !replace {
        return Err(WorkshopError::WouldReplace {
            list: conflicts.iter().map(|(t, p)| format!("'{}' ({}) by the pack's version {}", t.id, p.display(), t.version)).collect(),
        });
    }
    // Put the pack in place; an earlier import of the same pack is replaced.
    let final_dir = root.join(&pack.manifest.id);
    let previous = if final_dir.join("pack.toml").is_file() {
        load::open(&final_dir, wb, Origin::Imported, Mode::Lenient).ok().map(|(p, _)| p.manifest.version)
    } else {
        None
    };
    let old = tmp.path().join("previous");
    if final_dir.exists() {
        std::fs::rename(&final_dir, &old).map_err(|e| WorkshopError::io(&final_dir, e))?;
    }
    if let Err(e) = std::fs::rename(&staged, &final_dir) {
        // Put the previous copy back: the user keeps what they had.
        if old.exists() {
            let _ = std::fs::rename(&old, &final_dir);
        }
        return Err(WorkshopError::io(&final_dir, e));
    }
    let mut installed = Vec::new();
    let mut replaced = Vec::new();
    let text_of = |t: &Template| -> Result<Vec<u8>> {
        let src = final_dir.join("templates").join(t.path.file_name().unwrap_or_default());
        std::fs::read(&src).map_err(|e| WorkshopError::io(&src, e))
    };
    if !installs.is_empty() || !conflicts.is_empty() {
        std::fs::create_dir_all(&user_dir).map_err(|e| WorkshopError::io(&user_dir, e))?;
    }
    for (t, p) in installs {
        katib_core::fsutil::write_atomic(&p, &text_of(t)?, false).map_err(|e| WorkshopError::io(&p, e))?;
        installed.push(p);
    }
    for (t, p) in conflicts {
        katib_core::fsutil::write_atomic(&p, &text_of(t)?, true).map_err(|e| WorkshopError::io(&p, e))?;
        replaced.push(p);
    }
    let (final_pack, _) = load::open(&final_dir, wb, Origin::Imported, Mode::Lenient)?;
    Ok(ImportReport {
        id: pack.manifest.id.clone(),
        title: pack.manifest.title.clone(),
        version: pack.manifest.version.clone(),
        path: final_pack.dir,
        exercises: pack.exercises.len(),
        replaced_pack: previous,
        templates_installed: installed,
        templates_replaced: replaced,
        warnings,
        millis: started.elapsed().as_millis() as u64,
    })
}

/// What an export wrote.
#[derive(Debug, Serialize)]
pub struct ExportReport {
    pub id: String,
    pub out: PathBuf,
    pub files: usize,
    pub bytes: u64,
    pub warnings: Vec<Warning>,
}

/// Checks the pack folder `dir` in full and zips it into `out` (a `.katib` file).
pub fn export(wb: &Workbench, dir: &Path, out: &Path, overwrite: bool) -> Result<ExportReport> {
    let (pack, warnings) = load::open(dir, wb, Origin::Folder, Mode::Strict)?;
    let rels = paths::walk(dir)?;
    let bytes = archive::write(dir, &rels, out, overwrite)?;
    Ok(ExportReport { id: pack.manifest.id, out: out.into(), files: rels.len(), bytes, warnings })
}

/// Removes an imported pack (its installed templates stay: they are the user's now).
pub fn remove(wb: &Workbench, id: &str) -> Result<PathBuf> {
    let dir = imported_dir(wb).join(id);
    if !paths::is_plain(id) || !dir.join("pack.toml").is_file() {
        let (packs, _) = all(wb);
        let known: Vec<String> = packs.iter().filter(|p| p.origin == Origin::Imported).map(|p| p.manifest.id.clone()).collect();
        return Err(WorkshopError::PackNotFound { name: id.into(), known: known.join(", ") });
    }
    std::fs::remove_dir_all(&dir).map_err(|e| WorkshopError::io(&dir, e))?;
    Ok(dir)
}
