//! Peer review: who the learner is ([`Learner`], set once in `learner.toml` in the config
//! folder), a submission ([`Submission`], a `.katib-rendu` file: inputs, rendered prompt,
//! answer, edits, rubric results, self-assessment), a peer's review of it ([`Review`], a
//! `.katib-avis` file), and the trainer's results table ([`results`]).
//!
//! Both files are JSON (UTF-8), so a trainer can open one in any editor; each names its format
//! and version, and a newer version is refused with "update Katib".

mod diff;
mod exchange;
pub mod results;

use std::path::{Path, PathBuf};

use katib_core::config::Paths;
use serde::{Deserialize, Serialize};

use crate::error::{Result, WorkshopError};

pub use diff::{edits, Edit};
pub use exchange::{
    import_review, open_submission, read_review, read_submission, received, submit, write_review, ExerciseRef, FileRef, OpenedSubmission, PackRef,
    PromptRef, Review, Submission, SubmittedInputs, REVIEW_EXT, SCORE_SCALE, SUBMISSION_EXT,
};

/// The learner at this computer, carried by every submission and review.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Learner {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
}

impl Learner {
    /// The same person: names compared without case or surrounding spaces.
    pub fn same(&self, other: &Learner) -> bool {
        self.name.trim().to_lowercase() == other.name.trim().to_lowercase()
    }
}

pub fn learner_file(paths: &Paths) -> PathBuf {
    paths.config_dir.join("learner.toml")
}

/// The learner set on this computer, if any.
pub fn whoami(paths: &Paths) -> Result<Option<Learner>> {
    let p = learner_file(paths);
    let text = match std::fs::read_to_string(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(WorkshopError::io(&p, e)),
    };
    let l: Learner = toml::from_str(&text).map_err(|e| WorkshopError::Invalid {
        path: p.clone(),
        line: e.span().map(|s| crate::text::line_of(&text, s.start)).unwrap_or(1),
        message: e.message().to_string(),
    })?;
    Ok(Some(l).filter(|l| !l.name.trim().is_empty()))
}

/// The learner set on this computer, or [`WorkshopError::NoLearner`].
pub fn require_learner(paths: &Paths) -> Result<Learner> {
    whoami(paths)?.ok_or(WorkshopError::NoLearner)
}

/// Sets the learner's name (and team) for this computer.
pub fn set_learner(paths: &Paths, name: &str, team: Option<&str>) -> Result<Learner> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 80 {
        return Err(WorkshopError::Usage("the name must be 1 to 80 characters".into()));
    }
    let l = Learner { name, team: team.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) };
    let p = learner_file(paths);
    std::fs::create_dir_all(&paths.config_dir).map_err(|e| WorkshopError::io(&paths.config_dir, e))?;
    let text = toml::to_string(&l).map_err(|e| WorkshopError::Usage(e.to_string()))?;
    katib_core::fsutil::write_atomic(&p, text.as_bytes(), true).map_err(|e| WorkshopError::io(&p, e))?;
    Ok(l)
}

/// Where this computer keeps its own submissions and the reviews it received.
pub fn workshop_dir(paths: &Paths) -> PathBuf {
    paths.data_dir.join("workshop")
}

pub(crate) fn write_new(path: &Path, bytes: &[u8], overwrite: bool) -> Result<()> {
    katib_core::fsutil::write_atomic(path, bytes, overwrite).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            WorkshopError::Exists { path: path.into() }
        } else {
            WorkshopError::io(path, e)
        }
    })
}
