//! The History screen's commands: the runs recorded in the local history (list, search, one run
//! with everything about it, delete, purge, "relu et validé par", the audit sheet), the
//! outgoing-mail register, and the `[history]` settings. Each a few lines over `Workbench::history()` (katib-history).
//!
//! The history is opened on first use, never at start-up: the window starts as fast with 10,000
//! runs as with none. Every call reads or writes the SQLite file, so each runs on the blocking
//! pool. Re-exporting a run goes through `export_answer` (with the run's id), like any export.

use std::path::PathBuf;

use katib_core::config::HistorySettings;
use katib_history::{Approval, Edit, Filter, Hit, PurgeReport, RegisterEntry, RegisterFilter, RunRecord, RunSummary};
use serde::Serialize;
use serde_json::{json, Value};
use tauri::{AppHandle, Runtime, State};

use super::{blocking, note, outcome, save_path, CmdError, Res};
use crate::state::AppState;

#[tauri::command]
pub async fn history_list(state: State<'_, AppState>, filter: Filter) -> Res<Vec<RunSummary>> {
    let wb = state.wb();
    blocking(move || Ok(wb.history()?.list(&filter)?)).await?
}

/// Full-text search (French accents and Arabic letter forms folded by the history), best first,
/// with snippets.
#[tauri::command]
pub async fn history_search(state: State<'_, AppState>, query: String, filter: Filter) -> Res<Vec<Hit>> {
    let wb = state.wb();
    blocking(move || Ok(wb.history()?.search(&query, &filter)?)).await?
}

/// One run and every saved version of its edited answer.
#[derive(Serialize)]
pub struct RunDetail {
    pub run: RunRecord,
    pub edits: Vec<Edit>,
}

#[tauri::command]
pub async fn history_get(state: State<'_, AppState>, id: String) -> Res<RunDetail> {
    let wb = state.wb();
    blocking(move || -> Res<RunDetail> {
        let h = wb.history()?;
        Ok(RunDetail { run: h.get(&id)?, edits: h.edits(&id)? })
    })
    .await?
}

/// Deletes a run's texts; its metadata row stays as the audit record.
#[tauri::command]
pub async fn history_delete(state: State<'_, AppState>, id: String) -> Res<()> {
    let wb = state.wb();
    let r = blocking(move || Ok(wb.history()?.delete(&id)?)).await?;
    note(&state, format!("history delete: {}", outcome(&r, |_| "ok".into())));
    r
}

/// Purges the runs older than the retention (the policy's, else config.toml's).
#[tauri::command]
pub async fn history_purge(state: State<'_, AppState>) -> Res<PurgeReport> {
    let wb = state.wb();
    let days = wb.history_retention().ok_or_else(|| CmdError {
        code: "history.no_retention".into(),
        message: "no retention is set: set one in the settings ([history] retention_days)".into(),
        field: None,
    })?;
    let r = blocking(move || Ok(wb.history()?.purge(days)?)).await?;
    note(&state, format!("history purge ({days} days): {}", outcome(&r, |p| format!("ok, {} runs", p.runs))));
    r
}

/// "Relu et validé par": who reviewed the run's document.
#[tauri::command]
pub async fn history_approve(state: State<'_, AppState>, id: String, name: String, function: String) -> Res<Approval> {
    let wb = state.wb();
    blocking(move || Ok(wb.history()?.approve(&id, name.trim(), function.trim())?)).await?
}

/// The run's audit sheet ("Fiche d'audit"), a one-page .docx chosen in the save dialog: in the
/// run's document language, else `lang` (the window's, when the history kept only the run's
/// metadata). Null when the dialog was cancelled.
#[tauri::command]
pub async fn history_audit_sheet<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, id: String, lang: String) -> Res<Option<PathBuf>> {
    let wb = state.wb();
    let (sheet, run_lang) = {
        let (wb, id) = (wb.clone(), id.clone());
        blocking(move || wb.audit_sheet(&id)).await??
    };
    let lang = run_lang.unwrap_or_else(|| super::lang(&lang));
    let name = format!("{}-{id}.docx", if lang.is_rtl() { "بطاقة-التتبع" } else { "fiche-audit" });
    let Some(path) = save_path(app, name, "docx").await? else { return Ok(None) };
    // The save dialog already asked before replacing a file.
    let r = blocking(move || -> Res<PathBuf> {
        katib_core::export::write_audit_sheet(&path, &sheet, lang, true)?;
        Ok(path)
    })
    .await?;
    // The path may name a citizen ("fiche M. Alami.docx"): the log keeps the run's id only.
    note(&state, format!("audit sheet {id} ({}): {}", lang.code(), outcome(&r, |_| "ok".into())));
    r.map(Some)
}

#[tauri::command]
pub async fn register_list(state: State<'_, AppState>, year: Option<i32>) -> Res<Vec<RegisterEntry>> {
    let wb = state.wb();
    blocking(move || Ok(wb.history()?.register(&RegisterFilter { year, service: None })?)).await?
}

/// The register (one year, or all) to an .xlsx workbook chosen in the save dialog.
#[tauri::command]
pub async fn register_export<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, year: Option<i32>, lang: String) -> Res<Option<PathBuf>> {
    let wb = state.wb();
    let name = format!("registre-courrier-depart{}.xlsx", year.map(|y| format!("-{y}")).unwrap_or_default());
    let Some(path) = save_path(app, name, "xlsx").await? else { return Ok(None) };
    let lang = super::lang(&lang).code().to_string();
    let r = blocking(move || -> Res<PathBuf> {
        // The save dialog already asked before replacing a file.
        wb.history()?.export_register_xlsx(&path, &RegisterFilter { year, service: None }, &lang, true)?;
        Ok(path)
    })
    .await?;
    note(&state, format!("register export: {}", outcome(&r, |p| format!("ok, {}", p.display()))));
    r.map(Some)
}

/// `[history]` of config.toml, and what is in force (the policy may require the history, or fix
/// the retention: `appInfo().policy` says which).
#[tauri::command]
pub fn get_history_settings(state: State<'_, AppState>) -> Value {
    let wb = state.wb();
    let h = &wb.settings.history;
    json!({
        "enabled": h.enabled, "retentionDays": h.retention_days,
        "keepsTexts": wb.history_keeps_texts(), "retention": wb.history_retention(),
    })
}

/// Saves `[history]`; refused (`policy.denied`) when the machine's policy locks what changes.
#[tauri::command]
pub async fn save_history_settings(state: State<'_, AppState>, enabled: bool, retention_days: Option<u32>) -> Res<()> {
    let state = state.inner().clone();
    blocking(move || state.change(|wb| wb.save_history_settings(HistorySettings { enabled, retention_days }).map_err(CmdError::from))).await?
}
