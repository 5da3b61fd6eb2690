//! Submissions and reviews: writing them, reading them back (size-limited, format and version
//! checked), and the author importing the reviews of their own work.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use katib_core::run::{Route, Workbench};
use katib_core::Localized;
use serde::{Deserialize, Serialize};

use super::{workshop_dir, write_new, Learner};
use crate::error::{Result, WorkshopError};
use crate::exercise::{self, job};
use crate::pack::library::workbench_for;
use crate::pack::{Exercise, Pack};
use crate::rubric::{RubricResult, SelfCheckState};
use crate::text::sha256_hex;

pub const SUBMISSION_EXT: &str = "katib-rendu";
pub const REVIEW_EXT: &str = "katib-avis";
const VERSION: u32 = 1;
/// Peers score out of 20, as Moroccan schools and administrations do.
pub const SCORE_SCALE: u8 = 20;
/// A submission or a review is a few hundred KB at most; anything larger is not one.
const MAX_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PackRef {
    pub id: String,
    pub version: String,
    pub title: Localized,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ExerciseRef {
    pub id: String,
    pub number: usize,
    pub title: Localized,
    pub template: String,
    pub template_version: u32,
}

/// An attached file, by name and content hash (the peer has the same file in the pack).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct FileRef {
    pub name: String,
    pub sha256: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct SubmittedInputs {
    pub values: BTreeMap<String, String>,
    pub files: BTreeMap<String, FileRef>,
}

/// The prompt as rendered for the learner's run.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PromptRef {
    pub system: String,
    pub user: String,
    /// The run's date (`YYYY-MM-DD`).
    pub date: String,
}

/// A `.katib-rendu` file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Submission {
    pub format: String,
    pub version: u32,
    /// Identifies the submission (reviews name it).
    pub id: String,
    /// When it was made (local time, RFC 3339).
    pub created: String,
    pub learner: Learner,
    pub pack: PackRef,
    pub exercise: ExerciseRef,
    pub inputs: SubmittedInputs,
    pub prompt: PromptRef,
    /// The answer as generated (or replayed), before the learner's edits, when known.
    pub original: Option<String>,
    /// The answer the learner hands in.
    pub answer: String,
    pub edits: Vec<super::Edit>,
    pub rubric: RubricResult,
    pub self_check: Vec<SelfCheckState>,
}

/// A `.katib-avis` file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Review {
    pub format: String,
    pub version: u32,
    pub id: String,
    pub created: String,
    /// The submission reviewed.
    pub submission: String,
    pub author: Learner,
    pub reviewer: Learner,
    pub pack: PackRef,
    pub exercise: ExerciseRef,
    pub score: u8,
    pub scale: u8,
    pub comment: String,
    /// The self-check items as the reviewer judges them.
    pub self_check: Vec<SelfCheckState>,
    /// The rubric run again on the reviewer's computer.
    pub rubric: RubricResult,
}

fn now() -> String {
    chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

fn pack_ref(p: &Pack) -> PackRef {
    PackRef { id: p.manifest.id.clone(), version: p.manifest.version.clone(), title: p.manifest.title.clone() }
}

fn exercise_ref(e: &Exercise) -> ExerciseRef {
    ExerciseRef { id: e.id.clone(), number: e.number, title: e.title.clone(), template: e.template.clone(), template_version: e.template_version }
}

/// Makes a submission of `answer` for exercise `ex` by `learner`, with these self-check items
/// ticked, and writes it to `out` (and a copy in this computer's workshop folder, to match the
/// reviews that come back). `original` is the generated answer before editing; without it,
/// the saved answer practice mode gives this learner is taken, when there is one.
#[allow(clippy::too_many_arguments)]
pub fn submit(
    wb: &Workbench,
    pack: &Pack,
    ex: &Exercise,
    learner: &Learner,
    answer: &str,
    original: Option<String>,
    ticked: &[String],
    out: &Path,
    overwrite: bool,
) -> Result<Submission> {
    if answer.trim().is_empty() {
        return Err(WorkshopError::Usage("the answer is empty: nothing to hand in".into()));
    }
    if let Some(bad) = ticked.iter().find(|t| !ex.rubric.self_check.iter().any(|s| s.id == t.trim())) {
        let known: Vec<&str> = ex.rubric.self_check.iter().map(|s| s.id.as_str()).collect();
        return Err(WorkshopError::Usage(format!("no self-check item '{bad}' in this exercise (its items: {})", known.join(", "))));
    }
    // The prompt as the learner's run renders it (practice: with the date of their variant).
    let w = workbench_for(wb, pack);
    let run = w.start(&job(ex, Some(katib_core::config::PRACTICE), &learner.name))?;
    let original = match (original, &run.recording) {
        (Some(o), _) => Some(o),
        (None, Some(rec)) if run.route == Route::Practice => {
            Some(std::fs::read_to_string(&rec.answer).map_err(|e| WorkshopError::io(&rec.answer, e))?.trim().to_string())
        }
        _ => None,
    };
    let mut files = BTreeMap::new();
    for (k, p) in &ex.inputs.files {
        let bytes = std::fs::read(p).map_err(|e| WorkshopError::io(p, e))?;
        files.insert(k.clone(), FileRef { name: p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(), sha256: sha256_hex(&bytes) });
    }
    let rubric = exercise::check(wb, pack, ex, answer, ticked)?;
    let created = now();
    let id = sha256_hex(format!("{}\0{}\0{}\0{}\0{}", learner.name, pack.manifest.id, ex.id, created, answer).as_bytes())[..16].to_string();
    let sub = Submission {
        format: SUBMISSION_EXT.into(),
        version: VERSION,
        id,
        created,
        learner: learner.clone(),
        pack: pack_ref(pack),
        exercise: exercise_ref(ex),
        inputs: SubmittedInputs { values: run.prepared.values.clone(), files },
        prompt: PromptRef { system: run.prepared.system.clone(), user: run.prepared.user.clone(), date: run.prepared.today.clone() },
        edits: original.as_deref().map(|o| super::edits(o, answer)).unwrap_or_default(),
        original,
        answer: answer.to_string(),
        self_check: rubric.self_check.clone(),
        rubric,
    };
    let bytes = serde_json::to_vec_pretty(&sub).map_err(|e| WorkshopError::Usage(e.to_string()))?;
    write_new(out, &bytes, overwrite)?;
    let mine = workshop_dir(&wb.paths).join("submissions");
    std::fs::create_dir_all(&mine).map_err(|e| WorkshopError::io(&mine, e))?;
    write_new(&mine.join(format!("{}.{SUBMISSION_EXT}", sub.id)), &bytes, true)?;
    Ok(sub)
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path, format: &str) -> Result<T> {
    let bad = |message: String| WorkshopError::BadSubmission { path: path.into(), message };
    let meta = std::fs::metadata(path).map_err(|e| WorkshopError::io(path, e))?;
    if meta.len() > MAX_BYTES {
        return Err(bad(format!("{} bytes: too large for a {format} file", meta.len())));
    }
    let bytes = std::fs::read(path).map_err(|e| WorkshopError::io(path, e))?;
    let head: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| bad(format!("not a .{format} file (line {}: {e})", e.line())))?;
    if head.get("format").and_then(|f| f.as_str()) != Some(format) {
        return Err(bad(format!("not a .{format} file (its format is {})", head.get("format").map_or("missing".into(), |f| f.to_string()))));
    }
    let v = head.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    if v > u64::from(VERSION) {
        return Err(WorkshopError::TooNew { path: path.into(), needed: format!("{format} version {v}"), have: format!("version {} (reads {format} up to version {VERSION})", env!("CARGO_PKG_VERSION")) });
    }
    serde_json::from_value(head).map_err(|e| bad(format!("{e}")))
}

pub fn read_submission(path: &Path) -> Result<Submission> {
    read_json(path, SUBMISSION_EXT)
}

pub fn read_review(path: &Path) -> Result<Review> {
    read_json(path, REVIEW_EXT)
}

/// A submission opened by a peer, with the rubric run again on the peer's computer when the
/// peer has the pack (a hand-edited result would show here).
#[derive(Clone, Debug, Serialize)]
pub struct OpenedSubmission {
    pub submission: Submission,
    /// The exercise's instructions, when the pack is here.
    pub instructions: Option<Localized>,
    pub recheck: Option<RubricResult>,
    /// The recheck gives the same pass/fail as the submission says.
    pub consistent: Option<bool>,
}

/// Reads a submission and checks it again with the pack, if the peer has it.
pub fn open_submission(wb: &Workbench, path: &Path) -> Result<OpenedSubmission> {
    let submission = read_submission(path)?;
    let (packs, _) = crate::pack::library::all(wb);
    let found = packs.iter().find(|p| p.manifest.id == submission.pack.id).and_then(|p| p.exercise(&submission.exercise.id).ok().map(|e| (p, e)));
    let (instructions, recheck) = match found {
        Some((p, e)) => {
            let ticked: Vec<String> = submission.self_check.iter().filter(|s| s.ticked).map(|s| s.id.clone()).collect();
            (Some(e.instructions.clone()), Some(exercise::check(wb, p, e, &submission.answer, &ticked)?))
        }
        None => (None, None),
    };
    let consistent = recheck.as_ref().map(|r| {
        r.checks.len() == submission.rubric.checks.len() && r.checks.iter().zip(&submission.rubric.checks).all(|(a, b)| a.id == b.id && a.ok == b.ok)
    });
    Ok(OpenedSubmission { submission, instructions, recheck, consistent })
}

/// Writes `reviewer`'s review of the submission at `path`.
#[allow(clippy::too_many_arguments)]
pub fn write_review(
    wb: &Workbench,
    path: &Path,
    reviewer: &Learner,
    score: u8,
    comment: &str,
    ticked: &[String],
    out: &Path,
    overwrite: bool,
) -> Result<Review> {
    let opened = open_submission(wb, path)?;
    let sub = opened.submission;
    if reviewer.same(&sub.learner) {
        return Err(WorkshopError::Usage(format!("this is {}'s own submission: a review is by a peer", sub.learner.name)));
    }
    if score > SCORE_SCALE {
        return Err(WorkshopError::Usage(format!("the score is out of {SCORE_SCALE}: {score} is too high")));
    }
    if comment.trim().is_empty() {
        return Err(WorkshopError::Usage("write a comment: what is good, and what to change".into()));
    }
    if let Some(bad) = ticked.iter().find(|t| !sub.self_check.iter().any(|s| s.id == t.trim())) {
        return Err(WorkshopError::Usage(format!("no self-check item '{bad}' in this exercise")));
    }
    let created = now();
    let review = Review {
        format: REVIEW_EXT.into(),
        version: VERSION,
        id: sha256_hex(format!("{}\0{}\0{}\0{}", reviewer.name, sub.id, created, comment).as_bytes())[..16].to_string(),
        created,
        submission: sub.id.clone(),
        author: sub.learner.clone(),
        reviewer: reviewer.clone(),
        pack: sub.pack.clone(),
        exercise: sub.exercise.clone(),
        score,
        scale: SCORE_SCALE,
        comment: comment.trim().to_string(),
        self_check: sub.self_check.iter().map(|s| SelfCheckState { ticked: ticked.iter().any(|t| t.trim() == s.id), ..s.clone() }).collect(),
        rubric: opened.recheck.unwrap_or(sub.rubric),
    };
    let bytes = serde_json::to_vec_pretty(&review).map_err(|e| WorkshopError::Usage(e.to_string()))?;
    write_new(out, &bytes, overwrite)?;
    Ok(review)
}

/// The author imports a review of their work: it must be of a submission made on this
/// computer. It is kept in the workshop folder.
pub fn import_review(wb: &Workbench, path: &Path) -> Result<(Review, Submission)> {
    let review = read_review(path)?;
    let mine = workshop_dir(&wb.paths).join("submissions").join(format!("{}.{SUBMISSION_EXT}", review.submission));
    if !review.submission.chars().all(|c| c.is_ascii_hexdigit()) || !mine.is_file() {
        return Err(WorkshopError::BadSubmission {
            path: path.into(),
            message: format!("this review is of a submission by {} that was not made on this computer: give it to its author", review.author.name),
        });
    }
    let sub = read_submission(&mine)?;
    let dir = workshop_dir(&wb.paths).join("reviews");
    std::fs::create_dir_all(&dir).map_err(|e| WorkshopError::io(&dir, e))?;
    let bytes = serde_json::to_vec_pretty(&review).map_err(|e| WorkshopError::Usage(e.to_string()))?;
    write_new(&dir.join(format!("{}.{REVIEW_EXT}", review.id)), &bytes, true)?;
    Ok((review, sub))
}

/// The reviews this computer's learner received, oldest first.
pub fn received(wb: &Workbench) -> Result<Vec<Review>> {
    let dir = workshop_dir(&wb.paths).join("reviews");
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(&dir) else { return Ok(out) };
    let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == REVIEW_EXT)).collect();
    paths.sort();
    for p in paths {
        out.push(read_review(&p)?);
    }
    out.sort_by(|a, b| a.created.cmp(&b.created));
    Ok(out)
}
