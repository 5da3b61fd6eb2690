//! The window's commands: each a few lines over katib-core (see docs/desktop-api.md); the
//! history's and the register's are in [`history`].
//!
//! Errors cross to the UI as `{code, message, field?}` ([`CmdError`]); the UI shows its own
//! translated text for the code. Work that blocks (reading the attached files, the keychain,
//! dialogs, writing documents and settings) runs on the blocking pool, never on the async
//! runtime and never under a lock (see [`crate::state`]).

use std::path::PathBuf;

use katib_core::config::{LetterheadSettings, Profile, Profiles, Signatory, PRACTICE, PRESETS};
use katib_core::providers::CancellationToken;
use katib_core::run::{self, Confirmation, ExportOptions, Inputs, Job, Route, TemplateSummary, TemplateView};
use katib_core::secrets::{self, ApiKey};
use katib_core::session::{self, Draft};
use katib_core::{applog, export, samples, FileKind, Lang};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::state::AppState;

pub mod history;
pub mod merge;

/// An error as the UI receives it: `{code, message}`, plus `field` when it is about a form field.
#[derive(Debug, Serialize, PartialEq)]
pub struct CmdError {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl From<katib_core::Error> for CmdError {
    fn from(e: katib_core::Error) -> Self {
        CmdError { code: e.code().into(), message: e.to_string(), field: e.field().map(Into::into) }
    }
}

macro_rules! from_core {
    ($($t:ty),*) => {$(
        impl From<$t> for CmdError {
            fn from(e: $t) -> Self {
                katib_core::Error::from(e).into()
            }
        }
    )*};
}
from_core!(
    katib_core::error::TemplateError,
    katib_core::error::ConfigError,
    katib_core::error::ProviderError,
    katib_core::error::ExportError,
    katib_core::error::KeyError,
    katib_history::Error
);

pub(crate) fn internal(message: impl ToString) -> CmdError {
    CmdError { code: "internal".into(), message: message.to_string(), field: None }
}

pub(crate) type Res<T> = Result<T, CmdError>;

/// Notes an event in the app's log (`<data dir>/katib.log`: metadata only, see core `applog`).
pub(crate) fn note(state: &AppState, event: impl AsRef<str>) {
    applog::Log::new(&state.wb().paths).write(event.as_ref());
}

/// "ok, ..." or "error <code>: <message>", for the log.
pub(crate) fn outcome<T>(r: &Res<T>, ok: impl FnOnce(&T) -> String) -> String {
    match r {
        Ok(v) => ok(v),
        Err(e) => format!("error {}: {}", e.code, e.message),
    }
}

pub(crate) fn lang(s: &str) -> Lang {
    Lang::parse(s).unwrap_or_default()
}

/// Runs blocking work (files, keychain, dialogs) on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Res<T> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| internal(format!("a background task failed: {e}")))
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Res<Value> {
    let wb = state.wb();
    let profile = wb.profiles.default.clone();
    Ok(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "language": session::load_prefs(&wb.paths).language,
        "profile": profile,
        "practice": profile.is_none(),
        "configDir": wb.paths.config_dir,
        "policy": policy_view(&wb.policy),
    }))
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, lang: String) -> Res<()> {
    let paths = state.wb().paths.clone();
    blocking(move || {
        let mut prefs = session::load_prefs(&paths);
        prefs.language = self::lang(&lang);
        session::save_prefs(&paths, &prefs)
    })
    .await??;
    Ok(())
}

/// The UI calls this once its first screen is painted. For the start-up benchmark
/// (tests/bench/desktop.py) the time is written to `$KATIB_READY_FILE` when that is set.
#[tauri::command]
pub fn app_ready() {
    if let Some(path) = std::env::var_os("KATIB_READY_FILE") {
        let ns = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let _ = std::fs::write(path, ns.to_string());
    }
}

/// The gallery in `lang`, or in the saved language when `lang` is null (the window's first call,
/// made before it knows the language).
#[tauri::command]
pub async fn list_templates(state: State<'_, AppState>, lang: Option<String>) -> Res<Vec<TemplateSummary>> {
    let wb = state.wb();
    let l = lang.map_or_else(|| session::load_prefs(&wb.paths).language, |l| self::lang(&l));
    Ok(wb.gallery(l))
}

#[tauri::command]
pub fn get_template(state: State<'_, AppState>, id: String, lang: String) -> Res<TemplateView> {
    let wb = state.wb();
    Ok(wb.view(wb.template(&id)?, self::lang(&lang), false))
}

#[tauri::command]
pub fn load_sample(state: State<'_, AppState>, template: String, name: Option<String>) -> Res<Inputs> {
    let wb = state.wb();
    Ok(Inputs::from_sample(samples::find(&wb.samples, &template, name.as_deref())?))
}

/// The prompt the run would send (`profile`: null = the default), files read off the runtime.
#[tauri::command]
pub async fn render_prompt(
    state: State<'_, AppState>,
    template: String,
    inputs: Inputs,
    profile: Option<String>,
    unmasked_by: Option<String>,
) -> Res<Value> {
    let wb = state.wb();
    let job = Job { template, inputs, profile, unmasked: unmasked_by.map(|by| Confirmation { by }), ..Default::default() };
    let run = blocking(move || wb.start(&job)).await??;
    Ok(json!({
        "system": run.prepared.system, "user": run.prepared.user, "language": run.prepared.language,
        "outgoing": run.outgoing(),
    }))
}

#[derive(Clone, Serialize)]
#[serde(tag = "event", content = "data", rename_all = "lowercase")]
pub enum StreamEvent {
    Delta { text: String },
    /// `{code, message}`: the UI shows its own text for `code`, `message` as the detail.
    Notice(secrets::Notice),
}

#[tauri::command]
pub async fn generate(
    state: State<'_, AppState>,
    template: String,
    inputs: Inputs,
    profile: Option<String>,
    unmasked_by: Option<String>,
    on_event: Channel<StreamEvent>,
) -> Res<Value> {
    let job = Job { template: template.clone(), inputs, profile, unmasked: unmasked_by.map(|by| Confirmation { by }), ..Default::default() };
    let r = run_generation(&state, job, &on_event).await;
    note(&state, format!("generate {template}: {}", outcome(&r, |v| format!("ok, {} with {}, {} ms, {} characters", v["model"], v["profile"], v["elapsedMs"], v["text"].as_str().map_or(0, |t| t.chars().count())))));
    r
}

pub(crate) async fn run_generation(state: &AppState, job: Job, on_event: &Channel<StreamEvent>) -> Res<Value> {
    let wb = state.wb();
    let (run, found) = blocking({
        let wb = wb.clone();
        move || -> Res<_> {
            let run = wb.start(&job)?;
            let found = match &run.route {
                Route::Endpoint(p) => Some(secrets::find_key(&p.name)),
                _ => None,
            };
            Ok((run, found))
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
    state.set_cancel(Some(token.clone()));
    let mut sink = |t: &str| {
        let _ = on_event.send(StreamEvent::Delta { text: t.to_string() });
    };
    let g = wb.generate(&run, &conn, Vec::new(), &mut sink, &token).await;
    state.set_cancel(None);
    if let Some(n) = g.notice {
        let _ = on_event.send(StreamEvent::Notice(secrets::Notice { code: "history.unavailable", message: n }));
    }
    let run_id = g.run_id;
    let a = g.result.map_err(katib_core::Error::from)?;
    Ok(json!({
        "text": a.text, "finishReason": a.finish_reason,
        "usage": a.usage.map(|u| json!({"promptTokens": u.prompt_tokens, "completionTokens": u.completion_tokens})),
        "elapsedMs": a.elapsed_ms, "model": a.model, "profile": a.profile, "runId": run_id,
        "restore": a.restore.map(|r| json!({"restored": r.restored, "respelled": r.respelled, "dropped": r.dropped, "invented": r.invented})),
    }))
}

#[tauri::command]
pub fn cancel_generation(state: State<'_, AppState>) {
    state.cancel();
}

#[tauri::command]
pub async fn pick_file<R: Runtime>(app: AppHandle<R>, accept: Vec<FileKind>) -> Res<Option<PathBuf>> {
    let exts: Vec<&'static str> = accept.iter().flat_map(|k| k.extensions().iter().copied()).collect();
    blocking(move || app.dialog().file().add_filter("Documents", &exts).blocking_pick_file().and_then(|p| p.into_path().ok())).await
}

#[tauri::command]
#[allow(clippy::too_many_arguments)] // the window's arguments, one per choice
pub async fn export_answer<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    template: String,
    inputs: Inputs,
    markdown: String,
    format: String,
    model: Option<String>,
    run_id: Option<String>,
    final_version: Option<bool>,
    audit: Option<bool>,
) -> Res<Option<Exported>> {
    let opts = ExportOptions { model, today: run::today(), run_id, ..Default::default() };
    let flags = ExportFlags { numbered: final_version.unwrap_or(false) && format == "docx", audit: audit.unwrap_or(false) };
    let r = run_export(app, &state, &template, inputs, markdown, &format, opts, flags).await;
    note(&state, format!("export {template} .{format}: {}", outcome(&r, |e| e.as_ref().map_or("cancelled".into(), |e| format!("ok, {}", e.path.display())))));
    r
}

/// A written document, and the register number a final letter was given (if any).
#[derive(Serialize)]
pub struct Exported {
    pub path: PathBuf,
    pub number: Option<String>,
}

/// What an export adds: a register number for a final letter with no N°, the audit page.
struct ExportFlags {
    numbered: bool,
    audit: bool,
}

/// Where to write a file named `name`: the native save dialog, or `$KATIB_EXPORT_DIR` (tests:
/// WebDriver cannot drive a native dialog). None: the user cancelled.
pub(crate) async fn save_path<R: Runtime>(app: AppHandle<R>, name: String, ext: &str) -> Res<Option<PathBuf>> {
    if let Some(dir) = std::env::var_os("KATIB_EXPORT_DIR") {
        return Ok(Some(run::unique(PathBuf::from(dir).join(&name))));
    }
    let ext = ext.to_string();
    blocking(move || {
        app.dialog()
            .file()
            .set_file_name(&name)
            .add_filter(ext.to_uppercase(), &[ext.as_str()])
            .blocking_save_file()
            .and_then(|p| p.into_path().ok())
    })
    .await
}

#[allow(clippy::too_many_arguments)]
async fn run_export<R: Runtime>(
    app: AppHandle<R>,
    state: &AppState,
    template: &str,
    inputs: Inputs,
    markdown: String,
    format: &str,
    mut opts: ExportOptions,
    flags: ExportFlags,
) -> Res<Option<Exported>> {
    let wb = state.wb();
    let tpl = wb.template(template)?.clone();
    export::format_of(std::path::Path::new(&format!("x.{format}")))?;
    // An export needs the values only: a run reopened from the history has no files.
    let mut resolved = run::resolve_values(&tpl, &inputs)?;
    let Some(path) = save_path(app, run::file_name(&tpl, format, &run::today()), format).await? else { return Ok(None) };
    // The save dialog already asked before replacing a file.
    blocking(move || -> Res<Exported> {
        if flags.audit {
            let id = opts.run_id.as_deref().ok_or_else(|| internal("the audit page needs the run's history id"))?;
            opts.audit = Some(wb.audit_annex(id)?);
        }
        let number = if flags.numbered { wb.number_if_missing(&tpl, &mut resolved, opts.run_id.as_deref())? } else { None };
        let lh = wb.letterhead_for(&tpl, None, &path);
        wb.export(&tpl, &resolved, &markdown, &path, lh.as_deref(), &opts, true)?;
        if let Some(id) = &opts.run_id {
            wb.record_export(id, &markdown, &path)?;
        }
        if let Some(n) = &number {
            wb.register_file(n, &path)?;
        }
        Ok(Exported { path, number })
    })
    .await?
    .map(Some)
}

/// The letterhead and signature settings (`[letterhead]` in config.toml).
#[tauri::command]
pub fn get_letterhead(state: State<'_, AppState>) -> LetterheadSettings {
    state.wb().settings.letterhead.clone()
}

/// Checks the logo and the Word letterhead, then saves: a bad file is refused, nothing written.
#[tauri::command]
pub async fn save_letterhead(state: State<'_, AppState>, letterhead: LetterheadSettings) -> Res<()> {
    let state = state.inner().clone();
    blocking(move || -> Res<()> {
        if let Some(logo) = &letterhead.logo {
            export::check_logo(logo)?;
        }
        if let Some(docx) = &letterhead.docx {
            export::check_letterhead(docx)?;
        }
        state.change(|wb| -> Res<()> {
            let mut settings = wb.settings.clone();
            settings.letterhead = letterhead;
            settings.save(&wb.paths)?;
            wb.settings = settings;
            Ok(())
        })
    })
    .await?
}

/// The signatories letters may pick (`[[signatories]]` in config.toml).
#[tauri::command]
pub fn get_signatories(state: State<'_, AppState>) -> Vec<Signatory> {
    state.wb().settings.signatories.clone()
}

/// Replaces the signatories (checked: ids unique and well formed, a function each), then saves.
#[tauri::command]
pub async fn save_signatories(state: State<'_, AppState>, signatories: Vec<Signatory>) -> Res<()> {
    let state = state.inner().clone();
    blocking(move || {
        state.change(|wb| -> Res<()> {
            let mut settings = wb.settings.clone();
            settings.signatories = signatories;
            settings.save(&wb.paths)?;
            wb.settings = settings;
            Ok(())
        })
    })
    .await?
}

/// Native open dialog for the letterhead settings: `"logo"` (PNG, JPEG) or `"docx"` (Word).
#[tauri::command]
pub async fn pick_letterhead_file<R: Runtime>(app: AppHandle<R>, kind: String) -> Res<Option<PathBuf>> {
    let exts: &'static [&'static str] = if kind == "logo" { &["png", "jpg", "jpeg"] } else { &["docx"] };
    blocking(move || app.dialog().file().add_filter("Fichiers", exts).blocking_pick_file().and_then(|p| p.into_path().ok())).await
}

#[tauri::command]
pub fn open_path<R: Runtime>(app: AppHandle<R>, path: PathBuf) -> Res<()> {
    app.opener().open_path(path.to_string_lossy(), None::<&str>).map_err(internal)
}

#[tauri::command]
pub fn list_profiles(state: State<'_, AppState>) -> Value {
    let wb = state.wb();
    json!({
        "default": wb.profiles.default,
        "profiles": wb.profiles.profiles.iter().map(|p| json!({
            "name": p.name, "baseUrl": p.base_url, "model": p.model, "preset": p.preset, "temperature": p.temperature,
            "dataClass": p.data_class(), "dataClassSet": p.data_class.is_some(), "pseudonymise": p.pseudonymise,
        })).collect::<Vec<_>>(),
        "presets": PRESETS.iter().map(|p| json!({
            "id": p.id, "name": p.name, "baseUrl": p.base_url, "modelHint": p.model_hint, "needsKey": p.needs_key,
            "dataClass": p.data_class,
        })).collect::<Vec<_>>(),
        "policy": policy_view(&wb.policy),
    })
}

/// What the machine's policy locks, for the window to show as locked.
fn policy_view(p: &katib_core::config::Policy) -> Value {
    json!({
        "path": p.path, "forcePseudonymisation": p.force_pseudonymisation,
        "allowedDataClasses": p.allowed_data_classes, "allowedProfiles": p.allowed_profiles,
        "historyRequired": p.history_required, "historyRetentionDays": p.history_retention_days,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileIn {
    name: String,
    base_url: String,
    model: String,
    preset: Option<String>,
    temperature: Option<f32>,
    #[serde(default)]
    data_class: Option<katib_core::DataClass>,
    #[serde(default)]
    pseudonymise: Option<bool>,
}

/// Loads profiles.toml afresh, applies `f`, saves, and swaps the result in (on the blocking
/// pool).
async fn with_profiles(
    state: &AppState,
    f: impl FnOnce(&mut Profiles, &katib_core::config::Paths) -> Res<()> + Send + 'static,
) -> Res<()> {
    let state = state.clone();
    blocking(move || {
        state.change(|wb| {
            let mut ps = Profiles::load(&wb.paths)?;
            f(&mut ps, &wb.paths)?;
            ps.save(&wb.paths)?;
            wb.profiles = ps;
            Ok(())
        })
    })
    .await?
}

#[tauri::command]
pub async fn save_profile(state: State<'_, AppState>, profile: ProfileIn, make_default: bool) -> Res<()> {
    let policy = state.wb().policy.clone();
    with_profiles(&state, move |ps, paths| {
        // Editing keeps the advanced options (timeouts, headers) set from the CLI.
        let mut p = ps.get(&profile.name).cloned().unwrap_or_else(|_| Profile::new(&profile.name, "", ""));
        p.base_url = profile.base_url.trim().trim_end_matches('/').to_string();
        p.model = profile.model.trim().to_string();
        p.preset = profile.preset;
        p.temperature = profile.temperature;
        p.data_class = profile.data_class;
        p.pseudonymise = profile.pseudonymise;
        // What the machine's policy locks is refused here too, not only greyed out in the window.
        policy.check_profile_settings(&p)?;
        let _ = ps.remove(&profile.name);
        ps.add(p, paths)?;
        if make_default {
            ps.default = Some(profile.name.clone());
        }
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn delete_profile(state: State<'_, AppState>, name: String) -> Res<()> {
    with_profiles(&state, move |ps, _| ps.remove(&name).map(|_| ()).map_err(Into::into)).await
}

#[tauri::command]
pub async fn set_default_profile(state: State<'_, AppState>, name: String) -> Res<()> {
    let policy = state.wb().policy.clone();
    with_profiles(&state, move |ps, _| {
        if name == PRACTICE {
            ps.default = None;
        } else {
            let p = ps.get(&name)?;
            policy.check_profile(&p.name, p.data_class())?;
            ps.default = Some(name.clone());
        }
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn set_key(profile: String, key: String) -> Res<()> {
    blocking(move || secrets::set_key(&profile, &ApiKey::new(key))).await??;
    Ok(())
}

#[tauri::command]
pub async fn delete_key(profile: String) -> Res<()> {
    blocking(move || secrets::delete_key(&profile)).await??;
    Ok(())
}

#[tauri::command]
pub async fn key_status(profile: String) -> Res<Value> {
    let found = blocking(move || secrets::find_key(&profile)).await?;
    Ok(json!({"stored": found.source == Some(secrets::KeySource::Keychain), "notice": found.notice}))
}

#[tauri::command]
pub async fn test_connection(state: State<'_, AppState>, profile: String) -> Res<Value> {
    let r = check_connection(&state, &profile).await;
    note(&state, format!("test connection {profile}: {}", outcome(&r, |v| format!("ok, {} models, {} served: {}", v["models"].as_array().map_or(0, Vec::len), v["model"], v["modelServed"]))));
    r
}

async fn check_connection(state: &AppState, profile: &str) -> Res<Value> {
    let wb = state.wb();
    let p = wb.profiles.get(profile)?.clone();
    let name = p.name.clone();
    let found = blocking(move || secrets::find_key(&name)).await?;
    let conn = wb.connect_with_key(p, found)?;
    let models = conn.provider.list_models().await?;
    let model = conn.provider.model().to_string();
    Ok(json!({"modelServed": models.contains(&model), "models": models, "model": model}))
}

#[tauri::command]
pub async fn save_draft(state: State<'_, AppState>, draft: Draft) -> Res<()> {
    let paths = state.wb().paths.clone();
    blocking(move || session::save_draft(&paths, &draft)).await??;
    Ok(())
}

#[tauri::command]
pub async fn load_draft(state: State<'_, AppState>) -> Res<Option<Draft>> {
    let paths = state.wb().paths.clone();
    blocking(move || session::load_draft(&paths)).await
}
