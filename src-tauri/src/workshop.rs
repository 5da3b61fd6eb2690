//! The window's workshop commands ("Formation"): exercise packs (list, open, import, export,
//! validate, remove), the learner's name, an exercise's run and rubric, peer review (submissions,
//! reviews, the trainer's results), the trainer's packs in progress (new pack, exercises,
//! "Enregistrer pour l'entraînement"), and the template editor. Each command is a few lines over
//! katib-workshop; blocking work runs on the blocking pool ([`crate::commands::blocking`]).
//!
//! Native dialogs are opened from here, never by the window: tests skip them with
//! `KATIB_EXPORT_DIR` (saves go there) and `KATIB_PICK_DIR` (opens take the newest file of the
//! kind asked for there; a folder asked for is that folder).
//!
//! Deliberately not here: pack formats, rubric rules, peer-review files (all katib-workshop).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use katib_core::config::PRACTICE;
use katib_core::providers::{CancellationToken, Message};
use katib_core::run::{self, Inputs, Job, Run, Workbench};
use katib_core::Lang;
use katib_workshop::editor::{self, Editor};
use katib_workshop::exercise::{self, ExerciseView, FlagView};
use katib_workshop::fields::{self, FieldSpec};
use katib_workshop::pack::build::{self, ExerciseSpec, NewPack};
use katib_workshop::pack::library::{self, Opened};
use katib_workshop::pack::{record, Warning};
use katib_workshop::review::{self, results, Learner};
use katib_workshop::{RubricResult, WorkshopError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::commands::{blocking, note, outcome, run_generation, CmdError, Res, StreamEvent};
use crate::state::AppState;

impl From<WorkshopError> for CmdError {
    fn from(e: WorkshopError) -> Self {
        let field = match &e {
            WorkshopError::Core(c) => c.field().map(Into::into),
            _ => None,
        };
        CmdError { code: e.code().into(), message: e.to_string(), field }
    }
}

/// What the workshop commands keep between calls: packs opened (an exercise's rubric runs at
/// each edit), the run of an exercise (its sheet's figures, for the number check) and the
/// template editor's session (attached files read once).
#[derive(Default)]
pub struct WorkshopState {
    packs: Mutex<HashMap<String, Arc<Opened>>>,
    runs: Mutex<HashMap<(String, String), Arc<Run>>>,
    editor: Arc<Mutex<Option<Editor>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl WorkshopState {
    fn forget(&self) {
        lock(&self.packs).clear();
        lock(&self.runs).clear();
    }

    /// The pack `id` (imported or built-in), opened once.
    fn pack(&self, wb: &Workbench, id: &str) -> Result<Arc<Opened>, WorkshopError> {
        if let Some(p) = lock(&self.packs).get(id) {
            return Ok(p.clone());
        }
        let opened = Arc::new(library::open(wb, id)?);
        lock(&self.packs).insert(id.to_string(), opened.clone());
        Ok(opened)
    }
}

/// "ok, ..." or "error <code>: <message>", for the log.
fn told<T>(r: &Result<T, WorkshopError>, ok: impl FnOnce(&T) -> String) -> String {
    match r {
        Ok(v) => ok(v),
        Err(e) => format!("error {}: {e}", e.code()),
    }
}

fn lang(s: &str) -> Lang {
    Lang::parse(s).unwrap_or_default()
}

/// Loads the workbench afresh and joins the packs to it (after an import, a removal, a template
/// saved or reset): practice mode then replays what changed.
fn reload(state: &AppState, ws: &WorkshopState) -> Res<()> {
    state.change(|wb| -> Res<()> {
        let mut fresh = Workbench::load_from(wb.paths.clone())?;
        fresh.policy = wb.policy.clone();
        library::attach(&mut fresh);
        *wb = fresh;
        Ok(())
    })?;
    ws.forget();
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Dialogs

/// A file to open: `KATIB_PICK_DIR` (tests), else the native dialog. `ext` without the dot.
async fn pick_open<R: Runtime>(app: AppHandle<R>, ext: &'static str, label: &'static str) -> Res<Option<PathBuf>> {
    if let Some(dir) = std::env::var_os("KATIB_PICK_DIR") {
        let newest = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        return Ok(newest);
    }
    blocking(move || app.dialog().file().add_filter(label, &[ext]).blocking_pick_file().and_then(|p| p.into_path().ok())).await
}

/// A folder to open: `KATIB_PICK_DIR` (tests), else the native dialog.
async fn pick_folder<R: Runtime>(app: AppHandle<R>) -> Res<Option<PathBuf>> {
    if let Some(dir) = std::env::var_os("KATIB_PICK_DIR") {
        return Ok(Some(PathBuf::from(dir)));
    }
    blocking(move || app.dialog().file().blocking_pick_folder().and_then(|p| p.into_path().ok())).await
}

/// Where to save `name`: `KATIB_EXPORT_DIR` (tests), else the native save dialog (which asks
/// before replacing a file).
async fn pick_save<R: Runtime>(app: AppHandle<R>, name: String, ext: &'static str) -> Res<Option<PathBuf>> {
    if let Some(dir) = std::env::var_os("KATIB_EXPORT_DIR") {
        return Ok(Some(run::unique(PathBuf::from(dir).join(&name))));
    }
    blocking(move || app.dialog().file().set_file_name(&name).add_filter(ext, &[ext]).blocking_save_file().and_then(|p| p.into_path().ok())).await
}

// ---------------------------------------------------------------------------------------------
// Packs

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackRow {
    id: String,
    title: String,
    version: String,
    origin: katib_workshop::pack::Origin,
    path: PathBuf,
    exercises: usize,
    days: Vec<u32>,
    languages: Vec<Lang>,
}

/// The imported and built-in packs, in `lang`, with the problems of those that do not load.
#[tauri::command]
pub async fn pack_list(state: State<'_, AppState>, lang: String) -> Res<Value> {
    let wb = state.wb();
    let l = self::lang(&lang);
    let (packs, warnings) = blocking(move || library::all(&wb)).await?;
    let rows: Vec<PackRow> = packs
        .iter()
        .map(|p| {
            let i = library::PackInfo::of(p);
            PackRow { id: i.id, title: i.title.get(l).to_string(), version: i.version, origin: i.origin, path: i.path, exercises: i.exercises, days: i.days, languages: i.languages }
        })
        .collect();
    Ok(json!({ "packs": rows, "warnings": warnings }))
}

/// A pack as the Formation screen shows it: manifest, exercises (in `lang`), the learner's
/// variant of each.
#[tauri::command]
pub async fn pack_open(state: State<'_, AppState>, ws: State<'_, WorkshopState>, id: String, lang: String) -> Res<Value> {
    let wb = state.wb();
    let opened = ws.pack(&wb, &id)?;
    let l = self::lang(&lang);
    blocking(move || -> Res<Value> {
        let learner = review::whoami(&wb.paths)?;
        let name = learner.as_ref().map_or("", |x| x.name.as_str());
        let p = &opened.pack;
        let m = &p.manifest;
        let exercises: Vec<Value> = p
            .exercises
            .iter()
            .map(|ex| {
                let mut v = serde_json::to_value(ExerciseView::of(&wb, p, ex, l)).unwrap_or(Value::Null);
                v["variant"] = json!(exercise::variant_for(p, ex, name).map(|i| i + 1));
                v
            })
            .collect();
        Ok(json!({
            "id": m.id, "title": m.title.get(l), "version": m.version, "origin": p.origin, "path": p.dir,
            "description": m.description.as_ref().map(|d| d.get(l)),
            "objectives": m.objectives.iter().map(|o| o.get(l)).collect::<Vec<_>>(),
            "audience": m.audience.as_ref().map(|d| d.get(l)), "duration": m.duration.as_ref().map(|d| d.get(l)),
            "exercises": exercises, "learner": learner, "warnings": opened.warnings,
        }))
    })
    .await?
}

/// Imports the `.katib` (or pack folder) at `path`, chosen with [`pack_pick`] or dropped on the
/// window; never replaces the user's own templates unless `replace`.
#[tauri::command]
pub async fn pack_import(state: State<'_, AppState>, ws: State<'_, WorkshopState>, path: PathBuf, replace: bool) -> Res<library::ImportReport> {
    let wb = state.wb();
    let r = blocking(move || library::import(&wb, &path, replace)).await?;
    if let Ok(rep) = &r {
        note(&state, format!("pack import {}: ok, {} exercises, {} ms", rep.id, rep.exercises, rep.millis));
        reload(&state, &ws)?;
    }
    Ok(r?)
}

/// The `.katib` to import, from the open dialog (null: cancelled). The window then calls
/// [`pack_import`] with it, as it does with a file dropped on it: one path for both, and the
/// same file again (with `replace`) when the user agrees to replace their templates.
#[tauri::command]
pub async fn pack_pick<R: Runtime>(app: AppHandle<R>) -> Res<Option<PathBuf>> {
    pick_open(app, "katib", "Katib").await
}

/// The folder of pack `source`: one of the trainer's packs in progress (by id), else an
/// imported or built-in pack.
fn pack_dir(wb: &Workbench, ws: &WorkshopState, source: &str) -> Res<PathBuf> {
    let draft = build::drafts_dir(&wb.paths).join(source);
    if katib_workshop::pack::paths::is_plain(source) && !source.contains('/') && draft.join("pack.toml").is_file() {
        return Ok(draft);
    }
    Ok(ws.pack(wb, source)?.pack.dir.clone())
}

/// Checks then zips pack `source` (a pack in progress or a library pack) into a `.katib`
/// (save dialog). Null when cancelled.
#[tauri::command]
pub async fn pack_export<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, ws: State<'_, WorkshopState>, source: String) -> Res<Option<library::ExportReport>> {
    let wb = state.wb();
    let dir = pack_dir(&wb, &ws, &source)?;
    let Some(out) = pick_save(app, format!("{source}.katib"), "katib").await? else { return Ok(None) };
    let r = blocking(move || library::export(&wb, &dir, &out, true)).await?;
    note(&state, format!("pack export {source}: {}", told(&r, |x| format!("ok, {} files", x.files))));
    Ok(Some(r?))
}

#[derive(Serialize)]
pub struct Problem {
    code: &'static str,
    message: String,
    /// The file, relative to the pack folder when inside it.
    file: Option<String>,
    line: Option<usize>,
}

fn rel(dir: &Path, p: &Path) -> String {
    p.strip_prefix(dir).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

/// Checks pack `source` in full (a pack in progress or a library pack by id; null: a `.katib`
/// picked in the open dialog): every error and remark, with its file and line.
#[tauri::command]
pub async fn pack_validate<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, ws: State<'_, WorkshopState>, source: Option<String>) -> Res<Option<Value>> {
    let wb = state.wb();
    let path = match &source {
        Some(s) => pack_dir(&wb, &ws, s)?,
        None => match pick_open(app, "katib", "Katib").await? {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    blocking(move || {
        let (pack, report) = library::validate(&wb, &path);
        let base = pack.as_ref().map_or_else(|| path.clone(), |p| p.dir.clone());
        let errors: Vec<Problem> = report
            .errors
            .iter()
            .map(|e| {
                let loc = e.location();
                Problem { code: e.code(), message: e.to_string(), file: loc.map(|(p, _)| rel(&base, p)), line: loc.map(|(_, l)| l) }
            })
            .collect();
        let warnings: Vec<Problem> =
            report.warnings.iter().map(|w: &Warning| Problem { code: "pack.warning", message: w.message.clone(), file: Some(rel(&base, &w.path)), line: Some(w.line) }).collect();
        Some(json!({
            "ok": errors.is_empty(), "path": path, "errors": errors, "warnings": warnings,
            "pack": pack.map(|p| json!({"id": p.manifest.id, "title": p.manifest.title, "exercises": p.exercises.len()})),
        }))
    })
    .await
}

/// Removes an imported pack (its templates stay: they are the user's now).
#[tauri::command]
pub async fn pack_remove(state: State<'_, AppState>, ws: State<'_, WorkshopState>, id: String) -> Res<PathBuf> {
    let wb = state.wb();
    let removed = blocking(move || library::remove(&wb, &id)).await??;
    reload(&state, &ws)?;
    Ok(removed)
}

// ---------------------------------------------------------------------------------------------
// The learner

#[tauri::command]
pub async fn learner_get(state: State<'_, AppState>) -> Res<Option<Learner>> {
    let paths = state.wb().paths.clone();
    Ok(blocking(move || review::whoami(&paths)).await??)
}

/// Sets the learner's name and team for this computer (once: every submission and review
/// carries them, and the name chooses the practice variants).
#[tauri::command]
pub async fn learner_set(state: State<'_, AppState>, ws: State<'_, WorkshopState>, name: String, team: Option<String>) -> Res<Learner> {
    let paths = state.wb().paths.clone();
    let l = blocking(move || review::set_learner(&paths, &name, team.as_deref())).await??;
    lock(&ws.runs).clear();
    Ok(l)
}

// ---------------------------------------------------------------------------------------------
// An exercise

/// What "Commencer l'exercice" needs: the exercise (in `lang`), its inputs for the template
/// screen, the learner and the variant their name gets.
#[tauri::command]
pub async fn exercise_start(state: State<'_, AppState>, ws: State<'_, WorkshopState>, pack: String, exercise: String, lang: String) -> Res<Value> {
    let wb = state.wb();
    let opened = ws.pack(&wb, &pack)?;
    let l = self::lang(&lang);
    blocking(move || -> Res<Value> {
        let p = &opened.pack;
        let ex = p.exercise(&exercise)?;
        let learner = review::whoami(&wb.paths)?;
        let name = learner.as_ref().map_or("", |x| x.name.as_str());
        Ok(json!({
            "exercise": ExerciseView::of(&wb, p, ex, l), "inputs": ex.inputs, "learner": learner,
            "variant": exercise::variant_for(p, ex, name).map(|i| i + 1), "variants": ex.answers.len(),
        }))
    })
    .await?
}

#[derive(Serialize)]
pub struct Checked {
    rubric: RubricResult,
    /// Spreadsheet exercises: the numbers Katib's number check flags in this answer.
    flags: Vec<FlagView>,
}

/// The exercise's rubric on `answer` (after each generation or edit), with these self-check
/// items ticked, and the number check's flags.
#[tauri::command]
pub async fn exercise_check(state: State<'_, AppState>, ws: State<'_, WorkshopState>, pack: String, exercise: String, answer: String, ticked: Vec<String>) -> Res<Checked> {
    let wb = state.wb();
    let opened = ws.pack(&wb, &pack)?;
    let key = (pack.clone(), exercise.clone());
    let cached = lock(&ws.runs).get(&key).cloned();
    let (checked, run) = blocking(move || -> Res<(Checked, Arc<Run>)> {
        let p = &opened.pack;
        let ex = p.exercise(&exercise)?;
        let rubric = exercise::check(&wb, p, ex, &answer, &ticked)?;
        let run = match cached {
            Some(r) => r,
            None => {
                let learner = review::whoami(&wb.paths)?.map(|l| l.name).unwrap_or_default();
                Arc::new(library::workbench_for(&wb, p).start(&exercise::job(ex, Some(PRACTICE), &learner))?)
            }
        };
        Ok((Checked { rubric, flags: exercise::flags(&run, &answer) }, run))
    })
    .await??;
    lock(&ws.runs).insert(key, run);
    Ok(checked)
}

#[derive(Deserialize)]
pub struct ExerciseArg {
    pack: String,
    exercise: String,
}

/// `generate` with the workshop's two options: `messages`, the prompt as edited in "Voir le
/// prompt" for this one run (sent instead of the rendered one, pseudonymised as the route
/// requires), and `exercise`, the exercise being done (practice replays the variant of the
/// learner's name). Same events and result as `generate`.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn generate_with(
    state: State<'_, AppState>,
    template: String,
    inputs: Inputs,
    profile: Option<String>,
    unmasked_by: Option<String>,
    messages: Option<Vec<Message>>,
    exercise: Option<ExerciseArg>,
    on_event: Channel<StreamEvent>,
) -> Res<Value> {
    let seed = match &exercise {
        Some(_) => {
            let paths = state.wb().paths.clone();
            blocking(move || review::whoami(&paths)).await??.map(|l| l.name).unwrap_or_default()
        }
        None => String::new(),
    };
    let edited = messages.is_some();
    let job = Job { template: template.clone(), inputs, profile, unmasked: unmasked_by.map(|by| run::Confirmation { by }), seed, messages };
    let r = run_generation(&state, job, &on_event).await;
    let what = match &exercise {
        Some(e) => format!("exercise {}/{}", e.pack, e.exercise),
        None => template.clone(),
    };
    note(&state, format!("generate {what}{}: {}", if edited { " (edited prompt)" } else { "" }, outcome(&r, |v| format!("ok, {} with {}, {} ms", v["model"], v["profile"], v["elapsedMs"]))));
    r
}

// ---------------------------------------------------------------------------------------------
// Peer review

fn file_slug(s: &str) -> String {
    let s = build::slug(s);
    if s.is_empty() { "apprenant".into() } else { s }
}

/// Hands in `answer` for an exercise: a `.katib-rendu` (save dialog) with the inputs, prompt,
/// answer, edits (from `original`, the generated text), rubric and self-assessment.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn submission_export<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    ws: State<'_, WorkshopState>,
    pack: String,
    exercise: String,
    answer: String,
    original: Option<String>,
    ticked: Vec<String>,
) -> Res<Option<Value>> {
    let wb = state.wb();
    let learner = {
        let paths = wb.paths.clone();
        blocking(move || review::require_learner(&paths)).await??
    };
    let opened = ws.pack(&wb, &pack)?;
    let ex_id = opened.pack.exercise(&exercise)?.id.clone();
    let name = format!("{}-{}-{ex_id}.{}", file_slug(&learner.name), opened.pack.manifest.id, review::SUBMISSION_EXT);
    let Some(out) = pick_save(app, name, review::SUBMISSION_EXT).await? else { return Ok(None) };
    let sub = blocking(move || -> Res<_> {
        let ex = opened.pack.exercise(&exercise)?;
        Ok(review::submit(&wb, &opened.pack, ex, &learner, &answer, original, &ticked, &out, true).map(|s| (s, out))?)
    })
    .await??;
    note(&state, format!("submission {}/{}: ok", pack, ex_id));
    Ok(Some(json!({ "path": sub.1, "id": sub.0.id, "passed": sub.0.rubric.passed, "total": sub.0.rubric.total })))
}

/// Opens a peer's `.katib-rendu` (`path`, or the open dialog): the submission, with the rubric
/// run again on this computer when the pack is here.
#[tauri::command]
pub async fn submission_open<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, path: Option<PathBuf>) -> Res<Option<Value>> {
    let Some(path) = (match path {
        Some(p) => Some(p),
        None => pick_open(app, review::SUBMISSION_EXT, "Katib").await?,
    }) else {
        return Ok(None);
    };
    let wb = state.wb();
    let opened = blocking({
        let path = path.clone();
        move || review::open_submission(&wb, &path)
    })
    .await??;
    let mut v = serde_json::to_value(opened).map_err(|e| CmdError { code: "internal".into(), message: e.to_string(), field: None })?;
    v["path"] = json!(path);
    Ok(Some(v))
}

/// Writes this learner's review of the submission at `path` (score out of 20, comment, the
/// self-check items as the reviewer judges them) to a `.katib-avis` (save dialog).
#[tauri::command]
pub async fn review_write<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, path: PathBuf, score: u8, comment: String, ticked: Vec<String>) -> Res<Option<Value>> {
    let wb = state.wb();
    let (reviewer, author, ex) = {
        let (paths, path) = (wb.paths.clone(), path.clone());
        blocking(move || -> Res<_> {
            let s = review::read_submission(&path)?;
            Ok((review::require_learner(&paths)?, s.learner.name, s.exercise.id))
        })
        .await??
    };
    let name = format!("avis-{}-{}-{ex}.{}", file_slug(&reviewer.name), file_slug(&author), review::REVIEW_EXT);
    let Some(out) = pick_save(app, name, review::REVIEW_EXT).await? else { return Ok(None) };
    let r = blocking(move || -> Res<_> { Ok((review::write_review(&wb, &path, &reviewer, score, &comment, &ticked, &out, true)?, out)) }).await??;
    note(&state, format!("review of {}/{}: ok", r.0.pack.id, r.0.exercise.id));
    Ok(Some(json!({ "path": r.1, "review": r.0 })))
}

/// The author imports a review of their own work (`path`, or the open dialog).
#[tauri::command]
pub async fn review_import<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, path: Option<PathBuf>) -> Res<Option<Value>> {
    let Some(path) = (match path {
        Some(p) => Some(p),
        None => pick_open(app, review::REVIEW_EXT, "Katib").await?,
    }) else {
        return Ok(None);
    };
    let wb = state.wb();
    let (r, s) = blocking(move || review::import_review(&wb, &path)).await??;
    Ok(Some(json!({ "review": r, "submission": { "id": s.id, "exercise": s.exercise, "pack": s.pack } })))
}

/// The reviews this computer's learner received, oldest first.
#[tauri::command]
pub async fn review_list(state: State<'_, AppState>) -> Res<Vec<review::Review>> {
    let wb = state.wb();
    Ok(blocking(move || review::received(&wb)).await??)
}

/// The trainer gathers every submission and review under a folder (`dir`, or the folder
/// dialog): the results table.
#[tauri::command]
pub async fn results_gather<R: Runtime>(app: AppHandle<R>, dir: Option<PathBuf>) -> Res<Option<Value>> {
    let Some(dir) = (match dir {
        Some(d) => Some(d),
        None => pick_folder(app).await?,
    }) else {
        return Ok(None);
    };
    let r = blocking({
        let dir = dir.clone();
        move || results::gather(&dir)
    })
    .await??;
    let mut v = serde_json::to_value(r).map_err(|e| CmdError { code: "internal".into(), message: e.to_string(), field: None })?;
    v["dir"] = json!(dir);
    Ok(Some(v))
}

/// The results of the folder `dir` as an .xlsx workbook (save dialog), in `lang`.
#[tauri::command]
pub async fn results_export<R: Runtime>(app: AppHandle<R>, dir: PathBuf, lang: String) -> Res<Option<PathBuf>> {
    let l = self::lang(&lang);
    let name = if l == Lang::Ar { "نتائج-الورشة.xlsx" } else { "resultats-atelier.xlsx" };
    let Some(out) = pick_save(app, name.into(), "xlsx").await? else { return Ok(None) };
    blocking(move || -> Res<PathBuf> {
        let r = results::gather(&dir)?;
        results::write_xlsx(&r, &out, l, true)?;
        Ok(out)
    })
    .await?
    .map(Some)
}

// ---------------------------------------------------------------------------------------------
// The trainer's packs in progress

fn draft(wb: &Workbench, id: &str) -> Res<PathBuf> {
    let dir = build::drafts_dir(&wb.paths).join(id);
    if !katib_workshop::pack::paths::is_plain(id) || id.contains('/') || !dir.join("pack.toml").is_file() {
        return Err(WorkshopError::PackNotFound { name: id.into(), known: build::drafts(&build::drafts_dir(&wb.paths)).into_iter().map(|d| d.id).collect::<Vec<_>>().join(", ") }.into());
    }
    Ok(dir)
}

#[tauri::command]
pub async fn draft_list(state: State<'_, AppState>) -> Res<Vec<build::DraftInfo>> {
    let paths = state.wb().paths.clone();
    blocking(move || build::drafts(&build::drafts_dir(&paths))).await
}

/// A new pack from a title (and its objectives...), in the trainer's packs in progress.
#[tauri::command]
pub async fn draft_create(state: State<'_, AppState>, pack: NewPack) -> Res<build::DraftInfo> {
    let paths = state.wb().paths.clone();
    blocking(move || -> Res<_> {
        let root = build::drafts_dir(&paths);
        let dir = build::create(&root, &pack)?;
        Ok(build::drafts(&root).into_iter().find(|d| d.dir == dir).ok_or_else(|| WorkshopError::Usage("the new pack cannot be read back".into()))?)
    })
    .await?
}

/// Adds an exercise to pack in progress `id`: its template, inputs and files, instructions,
/// rubric and self-check items; refused with the line the pack's loader objects to.
#[tauri::command]
pub async fn draft_add_exercise(state: State<'_, AppState>, id: String, exercise: ExerciseSpec) -> Res<build::Added> {
    let wb = state.wb();
    let dir = draft(&wb, &id)?;
    Ok(blocking(move || build::add_exercise(&wb, &dir, &exercise)).await??)
}

#[derive(Clone, Serialize)]
#[serde(tag = "event", content = "data", rename_all = "lowercase")]
pub enum RecordEvent {
    /// One answer saved in the pack.
    Recorded(record::Recorded),
}

/// "Enregistrer pour l'entraînement": answers to pack `id`'s exercises (or one) from the endpoint
/// of `profile`, `variants` per exercise; each saved answer is sent on `on_event`. Stopped by
/// `cancelGeneration`.
#[tauri::command]
pub async fn pack_record(
    state: State<'_, AppState>,
    id: String,
    profile: String,
    variants: usize,
    exercise: Option<String>,
    on_event: Channel<RecordEvent>,
) -> Res<Vec<record::Recorded>> {
    let wb = state.wb();
    let dir = draft(&wb, &id)?;
    let (pack, key) = {
        let (wb, profile) = (wb.clone(), profile.clone());
        blocking(move || -> Res<_> {
            let (pack, _) = katib_workshop::pack::load::open(&dir, &wb, katib_workshop::pack::Origin::Folder, katib_workshop::pack::load::Mode::Lenient)?;
            Ok((pack, katib_core::secrets::find_key(&profile).key))
        })
        .await??
    };
    let opts = record::RecordOptions { profile: profile.clone(), variants: variants.clamp(1, 10), exercise };
    let token = CancellationToken::new();
    state.set_cancel(Some(token.clone()));
    let mut progress = |r: &record::Recorded| {
        let _ = on_event.send(RecordEvent::Recorded(r.clone()));
    };
    let r = record::record(&wb, &pack, &opts, key, &token, &mut progress).await;
    state.set_cancel(None);
    note(&state, format!("pack record {id} with {profile}: {}", told(&r, |v| format!("ok, {} answers", v.len()))));
    Ok(r?)
}

// ---------------------------------------------------------------------------------------------
// The template editor

/// The templates the editor can open, in `lang`: built-in, the user's own (`mine`: in the user's
/// templates folder) and whether it replaces a built-in one; the rest are the packs'.
#[tauri::command]
pub async fn editor_list(state: State<'_, AppState>, lang: String) -> Res<Value> {
    let wb = state.wb();
    let l = self::lang(&lang);
    blocking(move || {
        let builtin: Vec<String> = katib_core::templates::load_dir(&wb.resources.prompts_dir).map(|all| all.into_iter().map(|t| t.id).collect()).unwrap_or_default();
        let rows: Vec<Value> = wb
            .gallery(l)
            .into_iter()
            .map(|t| {
                let mine = editor::users_own(&wb, &t.id).is_some();
                json!({"id": t.id, "title": t.title, "category": t.category, "builtin": t.builtin, "mine": mine, "overridesBuiltin": mine && builtin.contains(&t.id)})
            })
            .collect();
        json!(rows)
    })
    .await
}

/// The text of template `id` (the file that is in use), and where it comes from.
#[tauri::command]
pub async fn editor_open(state: State<'_, AppState>, ws: State<'_, WorkshopState>, id: String) -> Res<Value> {
    let (wb, session) = (state.wb(), ws.editor.clone());
    blocking(move || -> Res<Value> {
        let t = wb.template(&id)?;
        let text = std::fs::read_to_string(&t.path).map_err(|e| WorkshopError::Io { path: t.path.clone(), source: e })?;
        // The session's editor, new for this template: it answers the sample question once.
        let ed = Editor::new(&wb);
        let has_sample = ed.sample_inputs(&id).is_some();
        *lock(&session) = Some(ed);
        let mine = editor::users_own(&wb, &id).is_some();
        Ok(json!({"id": t.id, "text": text, "path": t.path, "builtin": t.builtin, "mine": mine, "sample": has_sample}))
    })
    .await?
}

/// At each keystroke (one per animation frame): the tokens with their explanations, the first
/// error and its line, and the rendered prompt on `inputs` (null: the template's sample).
#[tauri::command]
/// `context`: the key of the body context the page holds (its JSON is then not sent again).
pub async fn editor_update(state: State<'_, AppState>, ws: State<'_, WorkshopState>, text: String, inputs: Option<Inputs>, context: Option<String>) -> Res<Value> {
    let (wb, session) = (state.wb(), ws.editor.clone());
    blocking(move || {
        let started = std::time::Instant::now();
        let analysis = editor::analyze(&text, Path::new("modele.md"));
        let mut guard = lock(&session);
        let ed = guard.get_or_insert_with(|| Editor::new(&wb));
        let inputs = inputs.or_else(|| analysis.id.as_deref().and_then(|id| ed.sample_inputs(id))).unwrap_or_default();
        let preview = ed.preview(&text, Path::new("modele.md"), &inputs, context.as_deref());
        let fields = fields::list(&text).ok();
        json!({"analysis": analysis, "preview": preview, "fields": fields, "micros": started.elapsed().as_micros() as u64})
    })
    .await
}

/// Field number `index` of `text` (null: a new field) set from the form; the new text.
#[tauri::command]
pub fn editor_set_field(text: String, index: Option<usize>, field: FieldSpec) -> Res<String> {
    Ok(fields::set(&text, index, &field)?)
}

#[tauri::command]
pub fn editor_remove_field(text: String, index: usize) -> Res<String> {
    Ok(fields::remove(&text, index)?)
}

/// Field number `from` of `text` moved to number `to` (in the new order); the new text.
#[tauri::command]
pub fn editor_move_field(text: String, from: usize, to: usize) -> Res<String> {
    Ok(fields::move_to(&text, from, to)?)
}

/// Saves `text` as a user template (replacing the user's own of that id only with
/// `overwrite`); the template list follows.
#[tauri::command]
pub async fn editor_save(state: State<'_, AppState>, ws: State<'_, WorkshopState>, text: String, overwrite: bool) -> Res<PathBuf> {
    let wb = state.wb();
    let path = blocking(move || editor::save(&wb, &text, overwrite)).await??;
    reload(&state, &ws)?;
    note(&state, format!("template saved: {}", path.display()));
    Ok(path)
}

/// A copy of template `id` under `new_id`, ready to edit (not saved yet).
#[tauri::command]
pub async fn editor_duplicate(state: State<'_, AppState>, id: String, new_id: String) -> Res<String> {
    let wb = state.wb();
    Ok(blocking(move || editor::duplicate(&wb, &id, &new_id)).await??)
}

/// Removes the user's template `id`: the built-in one of that id, if any, is back.
#[tauri::command]
pub async fn editor_reset(state: State<'_, AppState>, ws: State<'_, WorkshopState>, id: String) -> Res<Value> {
    let wb = state.wb();
    let (removed, builtin) = blocking(move || editor::reset(&wb, &id)).await??;
    reload(&state, &ws)?;
    Ok(json!({"removed": removed, "builtin": builtin}))
}
