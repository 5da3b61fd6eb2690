//! The window's commands: each a few lines over katib-core (see docs/desktop-api.md).
//!
//! Errors cross to the UI as `{code, message}` ([`CmdError`]); the UI shows its own translated
//! text for the code. Keychain calls run on a plain thread (they block), dialogs too.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use katib_core::config::{LetterheadSettings, Profile, Profiles, PRACTICE, PRESETS};
use katib_core::providers::{complete_cancellable, CancellationToken};
use katib_core::run::{self, Inputs, Workbench};
use katib_core::secrets::{self, ApiKey};
use katib_core::session::{self, Draft};
use katib_core::templates::{FileKind, LanguageSpec};
use katib_core::{applog, export, samples, Lang};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

/// What the window shares: the loaded workbench, and the running generation's cancel token.
pub struct AppState {
    pub wb: Mutex<Workbench>,
    pub cancel: Mutex<Option<CancellationToken>>,
}

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
    katib_core::error::KeyError
);

/// Notes an event in the app's log (`<data dir>/katib.log`: metadata only, see core `applog`).
fn note(state: &AppState, event: impl AsRef<str>) {
    let log = applog::Log::new(&state.wb.lock().expect("state").paths);
    log.write(event.as_ref());
}

/// "ok, ..." or "error <code>: <message>", for the log.
fn outcome<T>(r: &Res<T>, ok: impl FnOnce(&T) -> String) -> String {
    match r {
        Ok(v) => ok(v),
        Err(e) => format!("error {}: {}", e.code, e.message),
    }
}

fn internal(message: impl ToString) -> CmdError {
    CmdError { code: "internal".into(), message: message.to_string(), field: None }
}

type Res<T> = Result<T, CmdError>;

fn lang(s: &str) -> Lang {
    Lang::parse(s).unwrap_or_default()
}

/// Runs blocking work (keychain, dialogs) on its own OS thread, outside any async runtime.
async fn off_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Res<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.await.map_err(|_| internal("a background task failed"))
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Value {
    let wb = state.wb.lock().expect("state");
    let profile = wb.profiles.default.clone();
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "language": session::load_prefs(&wb.paths).language,
        "profile": profile,
        "practice": profile.is_none(),
        "configDir": wb.paths.config_dir,
    })
}

#[tauri::command]
pub fn set_language(state: State<'_, AppState>, lang: String) -> Res<()> {
    let wb = state.wb.lock().expect("state");
    let mut prefs = session::load_prefs(&wb.paths);
    prefs.language = self::lang(&lang);
    Ok(session::save_prefs(&wb.paths, &prefs)?)
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
pub fn list_templates(state: State<'_, AppState>, lang: Option<String>) -> Value {
    let wb = state.wb.lock().expect("state");
    let l = match lang {
        Some(lang) => self::lang(&lang),
        None => session::load_prefs(&wb.paths).language,
    };
    wb.catalog
        .all()
        .iter()
        .map(|t| {
            json!({
                "id": t.id, "category": t.category, "categoryLabel": t.category.label(l),
                "title": t.title.get(l), "description": t.description.get(l),
                "output": t.output, "export": t.export,
            })
        })
        .collect()
}

#[tauri::command]
pub fn get_template(state: State<'_, AppState>, id: String, lang: String) -> Res<Value> {
    let l = self::lang(&lang);
    let wb = state.wb.lock().expect("state");
    let t = wb.catalog.get(&id)?;
    let fields: Vec<Value> = t
        .fields
        .iter()
        .map(|f| {
            json!({
                "name": f.name, "type": f.kind, "required": f.required,
                "label": f.label.get(l), "help": f.help.as_ref().map(|h| h.get(l)),
                "default": f.default_text(),
                "options": f.options.iter().map(|o| json!({"value": o.value(), "label": o.label(l)})).collect::<Vec<_>>(),
                "accept": f.accept,
            })
        })
        .collect();
    let samples: Vec<Value> = wb
        .samples
        .iter()
        .filter(|s| s.template == t.id)
        .map(|s| json!({"name": s.name, "title": s.title.as_ref().map(|x| x.get(l))}))
        .collect();
    Ok(json!({
        "id": t.id, "category": t.category, "title": t.title.get(l), "description": t.description.get(l),
        "output": t.output, "export": t.export,
        "languageField": match &t.language { LanguageSpec::Field(f) => Some(f.clone()), LanguageSpec::Fixed(_) => None },
        "fields": fields, "samples": samples,
    }))
}

#[tauri::command]
pub fn load_sample(state: State<'_, AppState>, template: String, name: Option<String>) -> Res<Inputs> {
    let wb = state.wb.lock().expect("state");
    let s = samples::find(&wb.samples, &template, name.as_deref())?;
    Ok(Inputs::from_sample(s))
}

#[tauri::command]
pub async fn render_prompt(state: State<'_, AppState>, template: String, inputs: Inputs) -> Res<Value> {
    let wb = state.wb.lock().expect("state");
    let t = wb.catalog.get(&template)?;
    let p = run::prepare(t, &inputs, &wb.limits(), &wb.today_for(&template, &inputs))?;
    Ok(json!({"system": p.system, "user": p.user, "language": p.language}))
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
    on_event: Channel<StreamEvent>,
) -> Res<Value> {
    let r = run_generation(&state, &template, &inputs, profile.as_deref(), &on_event).await;
    note(&state, format!("generate {template}: {}", outcome(&r, |v| format!("ok, {} with {}, {} ms, {} characters", v["model"], v["profile"], v["elapsedMs"], v["text"].as_str().map_or(0, |t| t.chars().count())))));
    r
}

async fn run_generation(
    state: &AppState,
    template: &str,
    inputs: &Inputs,
    profile: Option<&str>,
    on_event: &Channel<StreamEvent>,
) -> Res<Value> {
    let (req, endpoint) = {
        let wb = state.wb.lock().expect("state");
        let t = wb.catalog.get(template)?;
        let p = run::prepare(t, inputs, &wb.limits(), &wb.today_for(template, inputs))?;
        (p.request(), wb.profiles.choose(profile)?.cloned())
    };
    let chosen = match endpoint {
        None => state.wb.lock().expect("state").provider(Some(PRACTICE))?,
        Some(p) => {
            // The keychain blocks: read it off the async runtime, with no lock held.
            let name = p.name.clone();
            let found = off_thread(move || secrets::find_key(&name)).await?;
            state.wb.lock().expect("state").endpoint_with_key(p, found)?
        }
    };
    if let Some(n) = &chosen.notice {
        let _ = on_event.send(StreamEvent::Notice(n.clone()));
    }
    let token = CancellationToken::new();
    *state.cancel.lock().expect("state") = Some(token.clone());
    let started = Instant::now();
    let mut sink = |t: &str| {
        let _ = on_event.send(StreamEvent::Delta { text: t.to_string() });
    };
    let r = complete_cancellable(chosen.provider.as_ref(), &req, &mut sink, &token).await;
    *state.cancel.lock().expect("state") = None;
    let c = r?;
    Ok(json!({
        "text": c.text, "finishReason": c.finish_reason,
        "usage": c.usage.map(|u| json!({"promptTokens": u.prompt_tokens, "completionTokens": u.completion_tokens})),
        "elapsedMs": started.elapsed().as_millis() as u64,
        "model": chosen.provider.model(), "profile": chosen.provider.name(),
    }))
}

#[tauri::command]
pub fn cancel_generation(state: State<'_, AppState>) {
    if let Some(t) = state.cancel.lock().expect("state").take() {
        t.cancel();
    }
}

#[tauri::command]
pub async fn pick_file<R: Runtime>(app: AppHandle<R>, accept: Vec<FileKind>) -> Res<Option<PathBuf>> {
    let mut exts: Vec<&str> = Vec::new();
    if accept.contains(&FileKind::Sheet) {
        exts.extend(["xlsx", "xls", "ods", "csv"]);
    }
    if accept.contains(&FileKind::Document) {
        exts.extend(["docx", "pdf", "txt", "md"]);
    }
    let exts: Vec<String> = exts.into_iter().map(String::from).collect();
    off_thread(move || {
        let refs: Vec<&str> = exts.iter().map(String::as_str).collect();
        app.dialog().file().add_filter("Documents", &refs).blocking_pick_file().and_then(|p| p.into_path().ok())
    })
    .await
}

#[tauri::command]
pub async fn export_answer<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    template: String,
    inputs: Inputs,
    markdown: String,
    format: String,
    model: Option<String>,
) -> Res<Option<PathBuf>> {
    let r = run_export(app, &state, &template, &inputs, &markdown, &format, model).await;
    note(&state, format!("export {template} .{format}: {}", outcome(&r, |p| p.as_ref().map_or("cancelled".into(), |p| format!("ok, {}", p.display())))));
    r
}

async fn run_export<R: Runtime>(
    app: AppHandle<R>,
    state: &AppState,
    template: &str,
    inputs: &Inputs,
    markdown: &str,
    format: &str,
    model: Option<String>,
) -> Res<Option<PathBuf>> {
    let ext = match format {
        "docx" | "xlsx" | "md" | "txt" => format.to_string(),
        other => return Err(internal(format!("unknown export format {other}"))),
    };
    let (tpl, prepared, settings) = {
        let wb = state.wb.lock().expect("state");
        let t = wb.catalog.get(template)?.clone();
        let p = run::prepare(&t, inputs, &wb.limits(), &wb.today_for(template, inputs))?;
        (t, p, wb.settings.clone())
    };
    let name = format!("{}-{}.{ext}", tpl.id, run::today());
    // Tests set KATIB_EXPORT_DIR: no native dialog, which WebDriver cannot drive.
    let path = match std::env::var_os("KATIB_EXPORT_DIR") {
        Some(dir) => Some(unique(PathBuf::from(dir).join(&name))),
        None => {
            let filter_ext = ext.clone();
            off_thread(move || {
                app.dialog()
                    .file()
                    .set_file_name(&name)
                    .add_filter(filter_ext.to_uppercase(), &[filter_ext.as_str()])
                    .blocking_save_file()
                    .and_then(|p| p.into_path().ok())
            })
            .await?
        }
    };
    let Some(path) = path else { return Ok(None) };
    // The save dialog already asked before replacing a file.
    let opts = run::ExportOptions { model, today: run::today(), ..Default::default() };
    let wb = state.wb.lock().expect("state");
    let doc = wb.export_doc(&tpl, &prepared, markdown, &opts);
    export::write_into(&path, &doc, run::letterhead_for(&tpl, &settings, None, &path).as_deref(), true)?;
    Ok(Some(path))
}

/// `name.docx`, else `name (2).docx`, ...
fn unique(path: PathBuf) -> PathBuf {
    if !path.exists() {
        return path;
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let ext = path.extension().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    (2..).map(|i| path.with_file_name(format!("{stem} ({i}).{ext}"))).find(|p| !p.exists()).expect("a free name")
}

/// The letterhead and signature settings (`[letterhead]` in config.toml).
#[tauri::command]
pub fn get_letterhead(state: State<'_, AppState>) -> LetterheadSettings {
    state.wb.lock().expect("state").settings.letterhead.clone()
}

/// Checks the logo and the Word letterhead, then saves: a bad file is refused, nothing written.
#[tauri::command]
pub fn save_letterhead(state: State<'_, AppState>, letterhead: LetterheadSettings) -> Res<()> {
    if let Some(logo) = &letterhead.logo {
        export::check_logo(logo)?;
    }
    if let Some(docx) = &letterhead.docx {
        export::check_letterhead(docx)?;
    }
    let mut wb = state.wb.lock().expect("state");
    let mut settings = wb.settings.clone();
    settings.letterhead = letterhead;
    settings.save(&wb.paths)?;
    wb.settings = settings;
    Ok(())
}

/// Native open dialog for the letterhead settings: `"logo"` (PNG, JPEG) or `"docx"` (Word).
#[tauri::command]
pub async fn pick_letterhead_file<R: Runtime>(app: AppHandle<R>, kind: String) -> Res<Option<PathBuf>> {
    let exts: &'static [&'static str] = if kind == "logo" { &["png", "jpg", "jpeg"] } else { &["docx"] };
    off_thread(move || app.dialog().file().add_filter("Fichiers", exts).blocking_pick_file().and_then(|p| p.into_path().ok())).await
}

#[tauri::command]
pub fn open_path<R: Runtime>(app: AppHandle<R>, path: PathBuf) -> Res<()> {
    app.opener().open_path(path.to_string_lossy(), None::<&str>).map_err(internal)
}

#[tauri::command]
pub fn list_profiles(state: State<'_, AppState>) -> Value {
    let wb = state.wb.lock().expect("state");
    json!({
        "default": wb.profiles.default,
        "profiles": wb.profiles.profiles.iter().map(|p| json!({
            "name": p.name, "baseUrl": p.base_url, "model": p.model, "preset": p.preset, "temperature": p.temperature,
        })).collect::<Vec<_>>(),
        "presets": PRESETS.iter().map(|p| json!({
            "id": p.id, "name": p.name, "baseUrl": p.base_url, "modelHint": p.model_hint, "needsKey": p.needs_key,
        })).collect::<Vec<_>>(),
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
}

fn with_profiles(state: &State<'_, AppState>, f: impl FnOnce(&mut Profiles) -> Res<()>) -> Res<()> {
    let mut wb = state.wb.lock().expect("state");
    let mut ps = Profiles::load(&wb.paths)?;
    f(&mut ps)?;
    ps.save(&wb.paths)?;
    wb.profiles = ps;
    Ok(())
}

#[tauri::command]
pub fn save_profile(state: State<'_, AppState>, profile: ProfileIn, make_default: bool) -> Res<()> {
    let paths = state.wb.lock().expect("state").paths.clone();
    with_profiles(&state, |ps| {
        // Editing keeps the advanced options (timeouts, headers) set from the CLI.
        let mut p = ps.get(&profile.name).cloned().unwrap_or_else(|_| Profile::new(&profile.name, "", ""));
        p.base_url = profile.base_url.trim().trim_end_matches('/').to_string();
        p.model = profile.model.trim().to_string();
        p.preset = profile.preset;
        p.temperature = profile.temperature;
        let _ = ps.remove(&profile.name);
        ps.add(p, &paths)?;
        if make_default {
            ps.default = Some(profile.name.clone());
        }
        Ok(())
    })
}

#[tauri::command]
pub fn delete_profile(state: State<'_, AppState>, name: String) -> Res<()> {
    with_profiles(&state, |ps| ps.remove(&name).map(|_| ()).map_err(Into::into))
}

#[tauri::command]
pub fn set_default_profile(state: State<'_, AppState>, name: String) -> Res<()> {
    with_profiles(&state, |ps| {
        if name == PRACTICE {
            ps.default = None;
        } else {
            ps.get(&name)?;
            ps.default = Some(name.clone());
        }
        Ok(())
    })
}

#[tauri::command]
pub async fn set_key(profile: String, key: String) -> Res<()> {
    off_thread(move || secrets::set_key(&profile, &ApiKey::new(key))).await??;
    Ok(())
}

#[tauri::command]
pub async fn delete_key(profile: String) -> Res<()> {
    off_thread(move || secrets::delete_key(&profile)).await??;
    Ok(())
}

#[tauri::command]
pub async fn key_status(profile: String) -> Res<Value> {
    let found = off_thread(move || secrets::find_key(&profile)).await?;
    Ok(json!({"stored": found.source == Some(secrets::KeySource::Keychain), "notice": found.notice}))
}

#[tauri::command]
pub async fn test_connection(state: State<'_, AppState>, profile: String) -> Res<Value> {
    let r = check_connection(&state, &profile).await;
    note(&state, format!("test connection {profile}: {}", outcome(&r, |v| format!("ok, {} models, {} served: {}", v["models"].as_array().map_or(0, Vec::len), v["model"], v["modelServed"]))));
    r
}

async fn check_connection(state: &AppState, profile: &str) -> Res<Value> {
    let p = state.wb.lock().expect("state").profiles.get(profile)?.clone();
    let name = p.name.clone();
    let found = off_thread(move || secrets::find_key(&name)).await?;
    let chosen = state.wb.lock().expect("state").endpoint_with_key(p, found)?;
    let models = chosen.provider.list_models().await?;
    let model = chosen.provider.model().to_string();
    Ok(json!({"modelServed": models.contains(&model), "models": models, "model": model}))
}

#[tauri::command]
pub fn save_draft(state: State<'_, AppState>, draft: Draft) -> Res<()> {
    let wb = state.wb.lock().expect("state");
    Ok(session::save_draft(&wb.paths, &draft)?)
}

#[tauri::command]
pub fn load_draft(state: State<'_, AppState>) -> Option<Draft> {
    let wb = state.wb.lock().expect("state");
    session::load_draft(&wb.paths)
}
