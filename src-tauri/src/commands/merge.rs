//! The window's mail-merge ("Publipostage") commands, each a few lines over katib-merge: the
//! samples, the plan (mapping, rows left out, previews, estimate), the draft (streamed), the run
//! (its events streamed for the progress bar and the per-row table), Stop, the folder's journal
//! (for "Reprendre"), the remembered mapping and the output folder's dialog.
//!
//! Not here: any rule of the merge (katib-merge owns them all). The plan is not kept between
//! calls: `merge_start` checks the request again, so what runs is what the sheet holds now.
//! Errors cross as `{code, message}` with `MergeError::code()` (`merge.no_header`...).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use katib_core::providers::CancellationToken;
use katib_core::run::Route;
use katib_core::secrets;
use katib_merge::{journal, samples, Event, MergeError, MergeSample, Options, Plan, Report, Request};
use serde_json::{json, Value};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use super::{blocking, note, outcome, CmdError, Res, StreamEvent};
use crate::state::AppState;

impl From<MergeError> for CmdError {
    fn from(e: MergeError) -> Self {
        match e {
            // The core's errors keep their field (a form field the UI can name).
            MergeError::Core(c) => c.into(),
            e => CmdError { code: e.code().into(), message: e.to_string(), field: None },
        }
    }
}

/// The workbench, with the merge samples' saved answers added the first time (practice mode
/// replays them). They are read from a snapshot, off any lock, then swapped in.
async fn workbench(state: &AppState) -> Res<Arc<katib_core::run::Workbench>> {
    if state.take_merge_samples_todo() {
        let wb = state.wb();
        let recs = blocking(move || samples::load_all(&wb.resources.samples_dir).map(|all| samples::recordings(&wb, &all).0)).await?;
        let recs = recs.inspect_err(|_| state.merge_samples_failed())?;
        state.change(|wb| -> Res<()> {
            wb.add_recordings(recs);
            Ok(())
        })?;
    }
    Ok(state.wb())
}

/// The mail-merge samples of `template` (practice mode replays them offline).
#[tauri::command]
pub async fn merge_samples(state: State<'_, AppState>, template: String) -> Res<Vec<MergeSample>> {
    let wb = state.wb();
    let all = blocking(move || samples::load_all(&wb.resources.samples_dir)).await??;
    Ok(all.into_iter().filter(|s| s.template == template).collect())
}

/// The request a sample makes (its sheet, mapping, values; practice mode; its saved draft).
#[tauri::command]
pub async fn merge_sample_request(state: State<'_, AppState>, template: String, name: String) -> Res<Request> {
    let wb = state.wb();
    blocking(move || -> Res<Request> {
        let all = samples::load_all(&wb.resources.samples_dir)?;
        let mut req = samples::find(&all, &template, Some(&name))?.request()?;
        // The window has the model write the draft (replayed in practice mode), then shows it.
        req.draft = None;
        Ok(req)
    })
    .await?
}

/// Checks the merge and shows it: mapping, rows left out, the first three letters, the estimate.
#[tauri::command]
pub async fn merge_plan(state: State<'_, AppState>, request: Request) -> Res<Plan> {
    let wb = workbench(&state).await?;
    Ok(blocking(move || katib_merge::prepare(&wb, &request)).await??.plan)
}

/// Draft mode: the model writes the letter once with merge fields, streamed to `on_event`.
/// Resolves `{text, runId, check}`: the draft as saved (first line naming the run) and, when the
/// model used merge fields the sheet does not have, the error to show (`check`: `{code, message}`).
#[tauri::command]
pub async fn merge_draft(state: State<'_, AppState>, request: Request, on_event: Channel<StreamEvent>) -> Res<Value> {
    let template = request.template.clone();
    let r = write_draft(&state, request, &on_event).await;
    note(&state, format!("merge draft {template}: {}", outcome(&r, |v| format!("ok, {} characters", v["text"].as_str().map_or(0, |t| t.chars().count())))));
    r
}

async fn write_draft(state: &AppState, mut request: Request, on_event: &Channel<StreamEvent>) -> Res<Value> {
    let wb = workbench(state).await?;
    request.draft = None;
    let (merge, run, found) = blocking({
        let wb = wb.clone();
        move || -> Res<_> {
            let merge = katib_merge::check(&wb, &request)?;
            let run = merge.draft_run(&wb)?;
            let found = match &run.route {
                Route::Endpoint(p) => Some(secrets::find_key(&p.name)),
                _ => None,
            };
            Ok((merge, run, found))
        }
    })
    .await??;
    let conn = match found {
        Some(found) => wb.connect_run_with_key(&run, found)?,
        None => wb.connect_run(&run)?,
    };
    if let Some(n) = &conn.notice {
        let _ = on_event.send(StreamEvent::Notice(n.clone()));
    }
    let token = CancellationToken::new();
    if !state.start_merge(token.clone()) {
        return Err(busy());
    }
    let mut sink = |t: &str| {
        let _ = on_event.send(StreamEvent::Delta { text: t.to_string() });
    };
    let g = wb.generate(&run, &conn, Vec::new(), &mut sink, &token).await;
    state.end_merge();
    let answer = g.result.map_err(katib_core::Error::from)?;
    let text = katib_merge::saved_text(&answer.text, g.run_id.as_deref());
    let check = katib_merge::Draft::parse(&text, &merge.fields, &merge.template, std::path::Path::new("brouillon.md")).err().map(CmdError::from);
    Ok(json!({ "text": text, "runId": g.run_id, "check": check }))
}

fn busy() -> CmdError {
    CmdError { code: "merge.running".into(), message: "a mail-merge is already running in this window".into(), field: None }
}

/// Runs the merge into `out_dir` (`resume`: only the rows its journal says are not done).
/// `confirmed`: the user confirmed more than 1,000 requests. Events go to `on_event`
/// (`started`, `row`, `waiting`, `writing`); resolves the [`Report`].
#[tauri::command]
pub async fn merge_start(
    state: State<'_, AppState>,
    request: Request,
    out_dir: PathBuf,
    resume: bool,
    confirmed: bool,
    on_event: Channel<Event>,
) -> Res<Report> {
    let template = request.template.clone();
    let r = start(&state, request, out_dir, resume, confirmed, &on_event).await;
    note(&state, format!("merge {template}: {}", outcome(&r, |r| format!("ok, {} of {} letters, {} failed, cancelled: {}", r.done, r.letters, r.failed, r.cancelled))));
    r
}

async fn start(state: &AppState, request: Request, out_dir: PathBuf, resume: bool, confirmed: bool, on_event: &Channel<Event>) -> Res<Report> {
    let wb = workbench(state).await?;
    let merge = blocking({
        let wb = wb.clone();
        move || katib_merge::check(&wb, &request)
    })
    .await??;
    if merge.plan.needs_confirmation && !confirmed {
        return Err(MergeError::ConfirmRows { rows: merge.plan.ready, limit: katib_merge::CONFIRM_ABOVE }.into());
    }
    let token = CancellationToken::new();
    if !state.start_merge(token.clone()) {
        return Err(busy());
    }
    // The window's merges are remembered like the CLI's, except a sample's (practice).
    let remember = merge.request.profile.as_deref() != Some(katib_core::config::PRACTICE);
    let opts = Options { out_dir, resume, remember };
    let r = katib_merge::run(wb, Arc::new(merge), &opts, |e| {
        let _ = on_event.send(e.clone());
    }, token)
    .await;
    state.end_merge();
    Ok(r?)
}

/// Stops the running merge or draft: rows in flight finish or are dropped; the journal keeps
/// what is done ("Reprendre" goes on from there).
#[tauri::command]
pub fn merge_stop(state: State<'_, AppState>) {
    state.stop_merge();
}

/// The merge journaled in `out_dir` (null when none): for "Reprendre".
#[tauri::command]
pub async fn merge_status(out_dir: PathBuf) -> Res<Option<journal::Summary>> {
    Ok(blocking(move || journal::summary(&out_dir)).await??)
}

/// Remembers the mapping (field -> column or pattern) for `template`'s next merge.
#[tauri::command]
pub async fn merge_remember(state: State<'_, AppState>, template: String, map: BTreeMap<String, String>) -> Res<()> {
    let config = state.wb().paths.config_dir.clone();
    Ok(blocking(move || katib_merge::remember(&config, &template, &map)).await??)
}

/// Native folder dialog for the letters: a folder or null. With `KATIB_PICK_DIR` set (tests), no
/// dialog: that folder.
#[tauri::command]
pub async fn merge_pick_folder<R: Runtime>(app: AppHandle<R>) -> Res<Option<PathBuf>> {
    if let Some(dir) = std::env::var_os("KATIB_PICK_DIR") {
        return Ok(Some(PathBuf::from(dir)));
    }
    blocking(move || app.dialog().file().blocking_pick_folder().and_then(|p| p.into_path().ok())).await
}
