//! Exercise packs: what a trainer builds once and copies to thirty laptops. A pack is a folder
//! (or the same folder zipped as one `.katib` file):
//!
//! ```text
//! pack.toml            the manifest: id, title, objectives, audience, duration, languages...
//! guide.md             the trainer guide (guide.ar.md: its Arabic version, optional)
//! exercises/*.toml     one exercise per file, in file-name order: instructions FR/AR, the
//!                      template, its inputs, the saved answers (variants, some flawed), a rubric
//! templates/*.md       templates the pack carries (the usual template format)
//! files/, answers/     input files and saved answers (any layout: exercises name them)
//! ```
//!
//! The format is documented for trainers in `docs/packs.md`.
//!
//! - [`load`]: reading and checking a pack, errors naming the file and line;
//! - [`archive`]: the `.katib` zip, read with limits (entries, sizes, ratio, paths);
//! - [`library`]: packs imported into the user's data folder, the built-in ones, importing
//!   (never replacing the user's own templates without asking), exporting, and joining their
//!   templates and saved answers to a [`Workbench`] for practice mode;
//! - [`record`]: "Enregistrer pour l'entraînement": the answers of a real endpoint, saved with
//!   their replay key and date;
//! - [`scaffold`]: `katib pack new`, a commented pack to start from;
//! - [`build`]: a pack built in the window, a title then one exercise at a time.

pub mod archive;
pub mod build;
pub mod library;
pub mod load;
pub mod paths;
pub mod record;
pub mod scaffold;

use std::path::PathBuf;

use katib_core::run::{Inputs, ReplayKey};
use katib_core::templates::Template;
use katib_core::{Lang, Localized};
use serde::Serialize;

use crate::rubric::Rubric;

/// The pack format this Katib reads and writes (`format = 1` in pack.toml).
pub const FORMAT: u32 = 1;

/// pack.toml, checked.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    pub format: u32,
    pub id: String,
    /// The pack's own version ("1.0"), shown to users.
    pub version: String,
    /// The oldest Katib that can use the pack ("0.1.0").
    pub requires: Option<String>,
    pub title: Localized,
    pub description: Option<Localized>,
    pub objectives: Vec<Localized>,
    pub audience: Option<Localized>,
    pub duration: Option<Localized>,
    pub languages: Vec<Lang>,
    pub authors: Vec<String>,
    /// The trainer guide, relative to the pack folder.
    pub guide: Option<String>,
    pub guide_ar: Option<String>,
}

/// A saved answer of an exercise: it replays in practice mode for the exercise's inputs.
#[derive(Clone, Debug, Serialize)]
pub struct SavedAnswer {
    /// Absolute path of the Markdown file.
    pub file: PathBuf,
    /// As the exercise names it ("answers/j2-a.md").
    pub rel: String,
    /// `YYYY-MM-DD`: the answer replays with this date.
    pub date: String,
    /// The template version it was written or recorded for.
    pub template_version: u32,
    /// The replay key stored when recorded.
    pub key: Option<String>,
    /// What is deliberately wrong in it, for the trainer (absent: a sound answer).
    pub flaw: Option<Localized>,
    /// The model it was recorded from ("recorded" answers).
    pub model: Option<String>,
    /// Line of its `[[answers]]` entry in the exercise file.
    pub line: usize,
}

/// One exercise, checked.
#[derive(Clone, Debug, Serialize)]
pub struct Exercise {
    /// 1-based position in the pack.
    pub number: usize,
    pub id: String,
    /// The exercise file.
    pub file: PathBuf,
    pub day: Option<u32>,
    /// A team exercise: its answers go to peer review.
    pub team: bool,
    pub title: Localized,
    pub instructions: Localized,
    /// Notes for the trainer only.
    pub notes: Option<Localized>,
    pub template: String,
    pub template_version: u32,
    /// The language the answer must be in.
    pub language: Lang,
    /// The inputs, with absolute file paths.
    pub inputs: Inputs,
    /// The practice replay key of these inputs.
    pub key: ReplayKey,
    pub answers: Vec<SavedAnswer>,
    pub rubric: Rubric,
}

/// Where a pack was found.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Shipped with Katib (`packs/`).
    Builtin,
    /// Imported into the user's data folder.
    Imported,
    /// A folder the trainer works on.
    Folder,
}

/// A pack, loaded and checked.
#[derive(Clone, Debug)]
pub struct Pack {
    pub dir: PathBuf,
    pub origin: Origin,
    pub manifest: Manifest,
    pub exercises: Vec<Exercise>,
    /// The templates the pack carries.
    pub templates: Vec<Template>,
}

impl Pack {
    /// Exercise `wanted`: its number (1-based) or its id.
    pub fn exercise(&self, wanted: &str) -> crate::Result<&Exercise> {
        let w = wanted.trim();
        let found = match w.parse::<usize>() {
            Ok(n) => self.exercises.iter().find(|e| e.number == n),
            Err(_) => self.exercises.iter().find(|e| e.id == w),
        };
        found.ok_or_else(|| crate::WorkshopError::ExerciseNotFound {
            pack: self.manifest.id.clone(),
            wanted: w.to_string(),
            known: self.exercises.iter().map(|e| format!("{} ({})", e.number, e.id)).collect::<Vec<_>>().join(", "),
        })
    }
}

/// A problem that does not stop the pack from working.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Warning {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
    }
}
