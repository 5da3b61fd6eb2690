//! Mail-merge samples, for practice mode and workshops: `samples/practice/merge/<template>.<name>.toml`
//! names a sheet of `samples/inputs`, the mapping of its columns, the values common to every
//! letter and the mode; beside it, the saved answers practice mode replays:
//! `<template>.<name>.draft.md` (draft mode: the model's draft, with its merge fields) or
//! `<template>.<name>.ligne-<N>.md` (per-row mode: the answer for row N of the sheet).
//!
//! A saved answer replays for the run whose inputs are the sample's, as any sample's does: its key
//! is the template and that run's resolved inputs (the draft request's, or the row's), computed
//! here from the sample and added to the workbench's recordings. Samples are data; this module
//! only reads them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use katib_core::run::{resolve, Recording, ReplayKey, Workbench, SAMPLE_TODAY};
use katib_core::Localized;
use serde::{Deserialize, Serialize};

use crate::error::{MergeError, Result};
use crate::plan::{self, Mode, Request};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleFile {
    template: String,
    template_version: u32,
    #[serde(default)]
    title: Option<Localized>,
    /// The sheet, relative to the samples folder.
    rows: PathBuf,
    #[serde(default)]
    sheet: Option<String>,
    mode: String,
    #[serde(default)]
    names: Option<String>,
    #[serde(default)]
    map: BTreeMap<String, String>,
    #[serde(default)]
    values: BTreeMap<String, toml::Value>,
}

/// A mail-merge sample.
#[derive(Clone, Debug, Serialize)]
pub struct MergeSample {
    /// `convocation.commission`.
    pub id: String,
    pub template: String,
    pub template_version: u32,
    /// `commission`.
    pub name: String,
    pub title: Option<Localized>,
    pub rows: PathBuf,
    pub sheet: Option<String>,
    pub mode: Mode,
    pub names: Option<String>,
    pub map: BTreeMap<String, String>,
    pub values: BTreeMap<String, String>,
    /// Draft mode: the saved draft.
    pub draft: Option<PathBuf>,
    pub path: PathBuf,
}

impl MergeSample {
    /// The request this sample makes (practice mode, its saved draft when it has one).
    pub fn request(&self) -> Result<Request> {
        let draft = match &self.draft {
            Some(p) if self.mode == Mode::Draft => Some(crate::plan::DraftSource::new(std::fs::read_to_string(p).map_err(|e| MergeError::io(p, e))?, p.clone())),
            _ => None,
        };
        Ok(Request {
            template: self.template.clone(),
            rows: self.rows.clone(),
            sheet: self.sheet.clone(),
            map: self.map.clone(),
            values: self.values.clone(),
            mode: self.mode,
            draft,
            names: self.names.clone(),
            profile: Some(katib_core::config::PRACTICE.into()),
            ..Default::default()
        })
    }

    /// The saved answer of sheet row `row` (per-row mode).
    pub fn row_answer(&self, row: u32) -> PathBuf {
        self.path.with_file_name(format!("{}.ligne-{row}.md", self.id))
    }
}

/// The folder of merge samples.
pub fn dir(samples_dir: &Path) -> PathBuf {
    samples_dir.join("practice").join("merge")
}

/// Every merge sample, sorted by id (none when the folder is absent).
pub fn load_all(samples_dir: &Path) -> Result<Vec<MergeSample>> {
    let dir = dir(samples_dir);
    let Ok(rd) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect();
    paths.sort();
    paths.iter().map(|p| load(samples_dir, p)).collect()
}

fn load(samples_dir: &Path, path: &Path) -> Result<MergeSample> {
    let bad = |reason: String| MergeError::BadSample { path: path.into(), reason };
    let text = std::fs::read_to_string(path).map_err(|e| MergeError::io(path, e))?;
    let f: SampleFile = toml::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let id = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let name = match id.split_once('.') {
        Some((t, n)) if t == f.template && !n.is_empty() => n.to_string(),
        _ => return Err(bad(format!("the file name should be '{}.NAME.toml'", f.template))),
    };
    let mode = Mode::parse(&f.mode).ok_or_else(|| bad(format!("mode '{}': use draft or per-row", f.mode)))?;
    let values = f
        .values
        .into_iter()
        .map(|(k, v)| (k, katib_core::samples::value_text(v)))
        .collect();
    let draft = path.with_file_name(format!("{id}.draft.md"));
    Ok(MergeSample {
        template: f.template,
        template_version: f.template_version,
        name,
        title: f.title,
        rows: samples_dir.join(f.rows),
        sheet: f.sheet,
        mode,
        names: f.names,
        map: f.map,
        values,
        draft: draft.is_file().then_some(draft),
        path: path.into(),
        id,
    })
}

/// The merge sample of `template` called `name` (None: its only one).
pub fn find<'a>(all: &'a [MergeSample], template: &str, name: Option<&str>) -> Result<&'a MergeSample> {
    let mine: Vec<&MergeSample> = all.iter().filter(|s| s.template == template).collect();
    let found = match name {
        Some(n) => mine.iter().find(|s| s.name == n).copied(),
        None if mine.len() == 1 => Some(mine[0]),
        None => None,
    };
    found.ok_or_else(|| MergeError::UnknownSample {
        template: template.into(),
        name: name.unwrap_or("(default)").into(),
        known: mine.iter().map(|s| s.name.clone()).collect(),
    })
}

/// The recordings of every merge sample: the draft request of a draft-mode sample, each row of a
/// per-row sample that has its saved answer. Samples recorded for another version of their
/// template, or that no longer check, are returned as problems (they replay nothing).
pub fn recordings(wb: &Workbench, all: &[MergeSample]) -> (Vec<(ReplayKey, Recording)>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for s in all {
        let Ok(tpl) = wb.template(&s.template) else {
            problems.push(format!("{}: no template '{}'", s.id, s.template));
            continue;
        };
        if tpl.version != s.template_version {
            problems.push(format!("{}: recorded for version {} of '{}', which is now version {}", s.id, s.template_version, s.template, tpl.version));
            continue;
        }
        let merge = match s.request().and_then(|mut r| {
            // The draft request's key does not depend on the draft: check without it.
            r.draft = None;
            plan::check(wb, &r)
        }) {
            Ok(m) => m,
            Err(e) => {
                problems.push(format!("{}: {e}", s.id));
                continue;
            }
        };
        let rec = |answer: PathBuf, what: String| Recording { answer, date: SAMPLE_TODAY.into(), source: format!("merge:{}:{what}", s.id), variant: false };
        match s.mode {
            Mode::Draft => {
                let Some(draft) = &s.draft else { continue };
                let key = merge.draft_job().and_then(|job| Ok(resolve(tpl, &job.inputs)?)).and_then(|r| Ok(ReplayKey::of(tpl, &r).map_err(katib_core::Error::from)?));
                match key {
                    Ok(k) => out.push((k, rec(draft.clone(), "draft".into()))),
                    Err(e) => problems.push(format!("{}: {e}", s.id)),
                }
            }
            Mode::PerRow => {
                for l in &merge.letters {
                    let answer = s.row_answer(l.row);
                    if !answer.is_file() {
                        continue;
                    }
                    match ReplayKey::of(tpl, &l.resolved) {
                        Ok(k) => out.push((k, rec(answer, format!("ligne {}", l.row)))),
                        Err(e) => problems.push(format!("{} row {}: {e}", s.id, l.row)),
                    }
                }
            }
        }
    }
    (out, problems)
}

/// Adds the merge samples' recordings to `wb` (practice mode replays them). Returns the samples
/// and what could not be added.
pub fn attach(wb: &mut Workbench) -> (Vec<MergeSample>, Vec<String>) {
    let all = match load_all(&wb.resources.samples_dir) {
        Ok(a) => a,
        Err(e) => return (Vec::new(), vec![e.to_string()]),
    };
    let (recs, problems) = recordings(wb, &all);
    wb.add_recordings(recs);
    (all, problems)
}
