//! katib-desktop: the Tauri 2 shell of Katib's workbench window.
//!
//! Thin by design: state (the loaded [`Workbench`]), the commands in [`commands`] (each a few
//! lines over katib-core, or over katib-merge for the mail-merge), and window plumbing (single
//! instance, files dropped on the window, the history's retention applied once the window is up).
//! No parsing, no business rules, no file formats here.

pub mod commands;
pub mod state;
pub mod workshop;

use katib_core::run::Workbench;
use serde_json::json;
use tauri::{DragDropEvent, Emitter, Manager, WindowEvent};

use state::AppState;

/// Adds the state and every command to `base`; `run` and the tests (on the mock runtime)
/// share it.
pub fn builder<R: tauri::Runtime>(base: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    base.manage(state)
        .manage(workshop::WorkshopState::default())
        .invoke_handler(tauri::generate_handler![
            commands::app_ready,
            commands::app_info,
            commands::set_language,
            commands::list_templates,
            commands::get_template,
            commands::load_sample,
            commands::render_prompt,
            commands::generate,
            commands::cancel_generation,
            commands::pick_file,
            commands::export_answer,
            commands::open_path,
            commands::get_letterhead,
            commands::save_letterhead,
            commands::pick_letterhead_file,
            commands::get_signatories,
            commands::save_signatories,
            commands::list_profiles,
            commands::save_profile,
            commands::delete_profile,
            commands::set_default_profile,
            commands::set_key,
            commands::delete_key,
            commands::key_status,
            commands::test_connection,
            commands::save_draft,
            commands::load_draft,
            commands::history::history_list,
            commands::history::history_search,
            commands::history::history_get,
            commands::history::history_delete,
            commands::history::history_purge,
            commands::history::history_approve,
            commands::history::history_audit_sheet,
            commands::history::register_list,
            commands::history::register_export,
            commands::history::get_history_settings,
            commands::history::save_history_settings,
            // Workshop ("Formation"): packs, exercises, peer review, the trainer's packs, the template editor.
            workshop::pack_list,
            workshop::pack_open,
            workshop::pack_import,
            workshop::pack_pick,
            workshop::pack_export,
            workshop::pack_validate,
            workshop::pack_remove,
            workshop::learner_get,
            workshop::learner_set,
            workshop::exercise_start,
            workshop::exercise_check,
            workshop::generate_with,
            workshop::submission_export,
            workshop::submission_open,
            workshop::review_write,
            workshop::review_import,
            workshop::review_list,
            workshop::results_gather,
            workshop::results_export,
            workshop::draft_list,
            workshop::draft_create,
            workshop::draft_add_exercise,
            workshop::pack_record,
            workshop::editor_list,
            workshop::editor_open,
            workshop::editor_update,
            workshop::editor_set_field,
            workshop::editor_remove_field,
            workshop::editor_move_field,
            workshop::editor_save,
            workshop::editor_duplicate,
            workshop::editor_reset,
            commands::merge::merge_samples,
            commands::merge::merge_sample_request,
            commands::merge::merge_plan,
            commands::merge::merge_draft,
            commands::merge::merge_start,
            commands::merge::merge_stop,
            commands::merge::merge_status,
            commands::merge::merge_remember,
            commands::merge::merge_pick_folder,
        ])
}

pub fn run() {
    // The workbench (settings, profiles, templates checked one by one, samples, packs) is read on
    // its own thread while the window and its WebKit processes start: the first command waits
    // for it, if it has to.
    let (started, start_log) = std::sync::mpsc::channel::<String>();
    let loading = std::thread::spawn(move || {
        let mut wb = match Workbench::load() {
            Ok(wb) => wb,
            Err(e) => {
                // Nothing to show a window with: say why on stderr and stop.
                eprintln!("katib: error: {e}");
                exit_now(e.exit_code());
            }
        };
        // The packs' templates and saved answers join the workbench: their exercises replay offline.
        let packs = katib_workshop::attach(&mut wb);
        let mode = wb.profiles.default.as_deref().map_or("practice mode".to_string(), |p| format!("profile {p}"));
        let _ = started.send(format!("start katib-desktop {}: {mode}", env!("CARGO_PKG_VERSION")));
        let _ = started.send(format!("packs: {} ({} saved answers){}", packs.packs.join(", "), packs.recordings, if packs.warnings.is_empty() { String::new() } else { format!(", {} warnings", packs.warnings.len()) }));
        wb
    });
    builder(tauri::Builder::default(), AppState::loading(loading))
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        // After the plugins: a second launch has already handed over to the first and exited.
        .setup(move |app| {
            let state = app.state::<AppState>().inner().clone();
            std::thread::spawn(move || {
                // Logged here, not by the loading thread: a second launch hands over before this.
                let log = katib_core::applog::Log::new(&state.wb().paths);
                for line in start_log.iter() {
                    log.write(&line);
                }
                purge_when_idle(&state);
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, position }) = event {
                let scale = window.scale_factor().unwrap_or(1.0);
                let _ = window.emit(
                    "file-dropped",
                    json!({"paths": paths, "x": position.x / scale, "y": position.y / scale}),
                );
            }
        })
        .run(tauri::generate_context!())
        .expect("error while running Katib");
}

/// Ends the process from a thread other than the window's. `std::process::exit` runs the C
/// exit handlers (GTK's and WebKit's among them) while the window's thread may be initialising
/// them: the process then died of a signal instead of exiting with `code` (seen on a fresh
/// Debian 12). `_exit` ends it at once; stderr is unbuffered.
pub(crate) fn exit_now(code: i32) -> ! {
    #[cfg(unix)]
    // SAFETY: `_exit` takes an int and never returns; nothing is left to flush.
    unsafe {
        libc::_exit(code)
    }
    #[cfg(not(unix))]
    std::process::exit(code)
}

/// How long after start the retention purge waits: it rewrites the full-text index (seconds
/// with a large history) and must not compete with the window's first paint for the CPU.
const PURGE_DELAY: std::time::Duration = std::time::Duration::from_secs(20);

/// Applies the history's retention (the policy's, else config.toml's) once the window is up, on
/// its own thread: the history is not even opened at start.
fn purge_when_idle(state: &AppState) {
    if state.wb().history_retention().is_none() {
        return;
    }
    std::thread::sleep(PURGE_DELAY);
    let wb = state.wb();
    let Some(days) = wb.history_retention() else { return };
    let outcome = match wb.history().and_then(|h| Ok(h.purge(days)?)) {
        Ok(r) => format!("ok, {} runs", r.runs),
        Err(e) => format!("error {}: {e}", e.code()),
    };
    katib_core::applog::Log::new(&wb.paths).write(&format!("history purge at start ({days} days): {outcome}"));
}

/// The command layer without a window: tauri's mock runtime, the app's real configuration and
/// capabilities (so the permissions are exercised too), commands invoked as the UI invokes them.
#[cfg(test)]
mod tests {
    use katib_core::config::Paths;
    use serde_json::{json, Value};
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
    use tauri::webview::InvokeRequest;
    use tauri::{Manager, WebviewWindow};

    fn app(dir: &std::path::Path) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
        let paths = Paths { config_dir: dir.join("config"), data_dir: dir.join("data") };
        let wb = katib_core::run::Workbench::load_from(paths).expect("workbench");
        // The real handler and state, on the mock runtime.
        let app = super::builder(mock_builder(), super::AppState::new(wb)).build(tauri::generate_context!()).expect("app");
        let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
        (app, w)
    }

    fn invoke(w: &WebviewWindow<MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
        get_ipc_response(
            w,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(body),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }

    #[test]
    fn commands_as_the_ui_calls_them() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = app(dir.path());
        let list = invoke(&w, "list_templates", json!({"lang": "fr"})).unwrap();
        let list = list.as_array().unwrap();
        assert!(list.len() >= 12);
        assert!(list.iter().any(|t| t["id"] == "reponse-citoyen" && t["categoryLabel"] == "Courriers"));
        let t = invoke(&w, "get_template", json!({"id": "reponse-citoyen", "lang": "ar"})).unwrap();
        assert_eq!(t["languageField"], "langue");
        assert!(t["samples"].as_array().unwrap().len() >= 2);
        let inputs = invoke(&w, "load_sample", json!({"template": "reponse-citoyen", "name": null})).unwrap();
        let p = invoke(&w, "render_prompt", json!({"template": "reponse-citoyen", "inputs": inputs})).unwrap();
        assert!(p["user"].as_str().unwrap().contains("Fichier : lettre-citoyen-eclairage.txt"));

        // Errors cross as {code, message, field?}: this JSON is what the UI maps to its messages
        // (and the field it marks).
        let err = invoke(&w, "render_prompt", json!({"template": "reponse-citoyen", "inputs": {"values": {}, "files": {}}})).unwrap_err();
        assert_eq!(err["code"], "template.missing_field");
        assert!(err["message"].as_str().unwrap().starts_with("missing required field '"), "{err}");
        let field = err["field"].as_str().expect("the field is named");
        assert!(t["fields"].as_array().unwrap().iter().any(|f| f["name"] == field && f["required"] == true), "{err}");
        let err = invoke(&w, "get_template", json!({"id": "nope", "lang": "fr"})).unwrap_err();
        assert_eq!(err["code"], "template.not_found");
        assert_eq!(err.as_object().unwrap().len(), 2, "no field key when no field is involved: {err}");

        // Drafts and profiles persist in the given folders.
        let draft = json!({"template": "convocation", "values": {"objet": "Réunion"}, "files": {}, "answer": "Madame,"});
        invoke(&w, "save_draft", json!({"draft": draft})).unwrap();
        assert_eq!(invoke(&w, "load_draft", json!({})).unwrap(), draft);
        invoke(&w, "save_profile", json!({"profile": {"name": "local", "baseUrl": "http://127.0.0.1:9/v1/", "model": "m", "preset": null, "temperature": 0.2}, "makeDefault": true})).unwrap();
        let ps = invoke(&w, "list_profiles", json!({})).unwrap();
        assert_eq!(ps["default"], "local");
        assert_eq!(ps["profiles"][0]["baseUrl"], "http://127.0.0.1:9/v1");
        assert!(std::fs::read_to_string(dir.path().join("config/profiles.toml")).unwrap().contains("name = \"local\""));
        assert_eq!(invoke(&w, "app_info", json!({})).unwrap()["practice"], false);
        invoke(&w, "set_default_profile", json!({"name": "practice"})).unwrap();
        assert_eq!(invoke(&w, "app_info", json!({})).unwrap()["practice"], true);
        invoke(&w, "set_language", json!({"lang": "ar"})).unwrap();
        assert_eq!(invoke(&w, "app_info", json!({})).unwrap()["language"], "ar");
        // The first call of the window, before it knows the language: the saved one.
        let list = invoke(&w, "list_templates", json!({"lang": null})).unwrap();
        assert!(list.as_array().unwrap().iter().any(|t| t["categoryLabel"] == "المراسلات"), "{list}");
    }

    /// The app's plugins registered as the app registers them: what refuses the window's calls
    /// below is the capability's ACL, not a missing plugin.
    fn app_with_plugins(dir: &std::path::Path) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
        let paths = Paths { config_dir: dir.join("config"), data_dir: dir.join("data") };
        let wb = katib_core::run::Workbench::load_from(paths).expect("workbench");
        let app = super::builder(mock_builder(), super::AppState::new(wb))
            .plugin(tauri_plugin_dialog::init())
            .plugin(tauri_plugin_opener::init())
            .build(tauri::generate_context!())
            .expect("app");
        let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
        (app, w)
    }

    #[test]
    fn the_window_may_call_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = app_with_plugins(dir.path());
        // Katib's own commands pass the ACL.
        assert!(invoke(&w, "app_info", json!({})).is_ok());
        // The plugins are there, but the window may not call them directly: dialogs and "open"
        // go through Katib's own commands, which check their arguments.
        for (cmd, args) in [
            ("plugin:dialog|open", json!({"options": {}})),
            ("plugin:dialog|save", json!({"options": {}})),
            ("plugin:opener|open_path", json!({"path": "/etc/passwd"})),
            ("plugin:opener|open_url", json!({"url": "https://example.org"})),
        ] {
            let err = invoke(&w, cmd, args).expect_err(cmd);
            let msg = err.as_str().map(str::to_string).unwrap_or_else(|| err.to_string());
            assert!(msg.contains("not allowed"), "{cmd}: refused by the ACL, not for another reason: {msg}");
        }
        // Plugins the app does not ship are not there at all.
        for cmd in ["plugin:fs|read_text_file", "plugin:shell|execute", "plugin:http|fetch"] {
            assert!(invoke(&w, cmd, json!({"path": "/etc/passwd"})).is_err(), "{cmd}");
        }
    }

    fn docx_text(path: &std::path::Path) -> String {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut xml = String::new();
        z.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
        xml.split("<w:t").skip(1).filter_map(|p| Some(&p[p.find('>')? + 1..p.find("</w:t>")?])).collect::<Vec<_>>().join(" ")
    }

    /// A run recorded as the window records it (core's generate, practice mode), then every
    /// command of the History screen and the register as the UI calls them, and the locks of the
    /// machine's policy refused by the shell.
    #[test]
    fn history_register_and_policy_commands() {
        let dir = tempfile::tempdir().unwrap();
        let exports = dir.path().join("exports");
        std::fs::create_dir_all(&exports).unwrap();
        // The only test of this binary that exports: no native dialog.
        std::env::set_var("KATIB_EXPORT_DIR", &exports);
        std::env::set_var("KATIB_PRACTICE_PACE_MS", "0");
        let (app, w) = app(dir.path());
        let state = app.state::<super::AppState>().inner().clone();
        let wb = state.wb();
        let inputs = invoke(&w, "load_sample", json!({"template": "reponse-citoyen", "name": null})).unwrap();
        let job = katib_core::run::Job { template: "reponse-citoyen".into(), inputs: serde_json::from_value(inputs.clone()).unwrap(), ..Default::default() };
        let run = wb.start(&job).unwrap();
        let conn = wb.connect_run(&run).unwrap();
        let mut sink = |_: &str| {};
        let g = tauri::async_runtime::block_on(wb.generate(&run, &conn, Vec::new(), &mut sink, &Default::default()));
        let answer = g.result.expect("practice answer").text;
        let id = g.run_id.expect("recorded");

        let list = invoke(&w, "history_list", json!({"filter": {}})).unwrap();
        assert_eq!(list[0]["id"], id.as_str(), "{list}");
        assert_eq!(list[0]["template_id"], "reponse-citoyen");
        let hits = invoke(&w, "history_search", json!({"query": "eclairage", "filter": {"status": "done"}})).unwrap();
        assert_eq!(hits[0]["run"]["id"], id.as_str(), "accents folded: {hits}");
        assert!(hits[0]["snippet"].as_array().unwrap().iter().any(|p| p["hit"] == true), "{hits}");
        assert_eq!(invoke(&w, "history_search", json!({"query": "eclairage", "filter": {"template": "convocation"}})).unwrap(), json!([]));
        let detail = invoke(&w, "history_get", json!({"id": id})).unwrap();
        let form = &detail["run"]["texts"]["form"];
        assert_eq!(form["objet"], inputs["values"]["objet"], "{detail}");
        assert_eq!(detail["run"]["texts"]["answer"], answer.as_str());
        assert_eq!(detail["edits"], json!([]));

        // Reviewed, then exported again from the history as final: the letter has no N°, so the
        // register numbers it, and the audit page names the reviewer.
        let a = invoke(&w, "history_approve", json!({"id": id, "name": "Karim Alaoui", "function": "Directeur général des services"})).unwrap();
        assert_eq!(a["name"], "Karim Alaoui");
        let mut values = form.clone();
        values.as_object_mut().unwrap().remove("numero");
        let edited = format!("{answer}\n\nTexte relu.");
        let exported = invoke(&w, "export_answer", json!({"template": "reponse-citoyen", "inputs": {"values": values, "files": {}}, "markdown": edited,
            "format": "docx", "model": null, "runId": id, "finalVersion": true, "audit": true})).unwrap();
        let path = exported["path"].clone();
        let text = docx_text(std::path::Path::new(path.as_str().unwrap()));
        let reg = invoke(&w, "register_list", json!({"year": null})).unwrap();
        let number = reg[0]["number"].as_str().unwrap().to_string();
        assert_eq!(number, "0001/DAG/2026", "the first number of the letter's year: {reg}");
        assert_eq!(exported["number"], number.as_str(), "the window learns the number it gave");
        assert_eq!(reg[0]["file"], path, "the register points at the written letter");
        assert_eq!(reg[0]["run_id"], id.as_str());
        assert!(text.contains(&number), "the N° is in the letter: {number}");
        assert!(text.contains("Relu et validé par") && text.contains("Karim Alaoui") && text.contains(&id), "the audit page: {text}");
        let detail = invoke(&w, "history_get", json!({"id": id})).unwrap();
        assert_eq!(detail["run"]["exports"][0]["path"], path);
        assert_eq!(detail["run"]["register_numbers"], json!([number]));
        assert!(detail["edits"][0]["text"].as_str().unwrap().ends_with("Texte relu."), "the export saved the edit: {detail}");
        // Exported once more: a letter numbered already keeps its number.
        values.as_object_mut().unwrap().insert("numero".into(), json!(number));
        let again = invoke(&w, "export_answer", json!({"template": "reponse-citoyen", "inputs": {"values": values, "files": {}}, "markdown": edited,
            "format": "docx", "model": null, "runId": id, "finalVersion": true, "audit": false})).unwrap();
        assert!(again["number"].is_null(), "{again}");
        assert_eq!(invoke(&w, "register_list", json!({"year": null})).unwrap().as_array().unwrap().len(), 1);
        let xlsx = invoke(&w, "register_export", json!({"year": null, "lang": "ar"})).unwrap();
        let mut z = zip::ZipArchive::new(std::fs::File::open(xlsx.as_str().unwrap()).unwrap()).unwrap();
        assert!(z.by_name("xl/workbook.xml").is_ok());

        // The audit sheet, in the run's language (French) whatever the window's: the exports and
        // the reviewer; never the answer.
        let sheet = invoke(&w, "history_audit_sheet", json!({"id": id, "lang": "ar"})).unwrap();
        let sheet = std::path::Path::new(sheet.as_str().unwrap()).to_path_buf();
        assert!(sheet.file_name().unwrap().to_string_lossy().starts_with("fiche-audit-"), "{}", sheet.display());
        let text = docx_text(&sheet);
        assert!(text.starts_with("Fiche d") && text.contains(&id) && text.contains("Karim Alaoui") && text.contains(path.as_str().unwrap()), "{text}");
        assert!(text.contains("complet (textes conservés") && !text.contains("Texte relu"), "{text}");

        // No retention set: purging says so; deleting keeps the audit row only.
        assert_eq!(invoke(&w, "history_purge", json!({})).unwrap_err()["code"], "history.no_retention");
        invoke(&w, "history_delete", json!({"id": id})).unwrap();
        let detail = invoke(&w, "history_get", json!({"id": id})).unwrap();
        assert!(detail["run"]["texts"].is_null() && detail["run"]["summary"]["has_texts"] == false, "{detail}");
        // Its sheet now: metadata only, in the window's language (the run's is gone with its texts).
        let sheet = invoke(&w, "history_audit_sheet", json!({"id": id, "lang": "ar"})).unwrap();
        let text = docx_text(std::path::Path::new(sheet.as_str().unwrap()));
        assert!(text.starts_with("بطاقة تتبع الوثيقة") && text.contains("بيان يقتصر على المعطيات الوصفية") && text.contains("Karim Alaoui"), "{text}");
        assert!(!text.contains(path.as_str().unwrap()), "no export path once the texts are deleted: {text}");
        invoke(&w, "save_history_settings", json!({"enabled": true, "retentionDays": 365})).unwrap();
        assert_eq!(invoke(&w, "get_history_settings", json!({})).unwrap()["retention"], 365);
        assert_eq!(invoke(&w, "history_purge", json!({})).unwrap()["runs"], 0);

        // The machine's policy: what it locks is refused by the shell, whatever the window shows.
        let dir2 = tempfile::tempdir().unwrap();
        let paths = Paths { config_dir: dir2.path().join("config"), data_dir: dir2.path().join("data") };
        let mut wb = katib_core::run::Workbench::load_from(paths).expect("workbench");
        wb.policy = katib_core::config::Policy {
            force_pseudonymisation: true,
            allowed_data_classes: vec![katib_core::DataClass::Local, katib_core::DataClass::Sovereign],
            history_required: true,
            history_retention_days: Some(90),
            path: Some("/etc/katib/policy.toml".into()),
            ..Default::default()
        };
        let app = super::builder(mock_builder(), super::AppState::new(wb)).build(tauri::generate_context!()).expect("app");
        let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
        let denied = |r: Result<Value, Value>| {
            let e = r.expect_err("refused");
            assert_eq!(e["code"], "policy.denied", "{e}");
            e["message"].as_str().unwrap().to_string()
        };
        let m = denied(invoke(&w, "save_history_settings", json!({"enabled": false, "retentionDays": 90})));
        assert!(m.contains("may not be turned off") && m.contains("/etc/katib/policy.toml"), "{m}");
        denied(invoke(&w, "save_history_settings", json!({"enabled": true, "retentionDays": 30})));
        invoke(&w, "save_history_settings", json!({"enabled": true, "retentionDays": 90})).unwrap();
        let profile = |class: &str, pseudo: Value| json!({"profile": {"name": "p", "baseUrl": "https://llm.example.ma/v1", "model": "m", "preset": null,
            "temperature": null, "dataClass": class, "pseudonymise": pseudo}, "makeDefault": false});
        denied(invoke(&w, "save_profile", profile("cloud", Value::Null)));
        denied(invoke(&w, "save_profile", profile("sovereign", json!(false))));
        invoke(&w, "save_profile", profile("sovereign", json!(true))).unwrap();
        // Sending unmasked for one run is refused with the policy's reason, whatever the window sends.
        let inputs = invoke(&w, "load_sample", json!({"template": "reponse-citoyen", "name": null})).unwrap();
        let m = denied(invoke(&w, "render_prompt", json!({"template": "reponse-citoyen", "inputs": inputs, "profile": "p", "unmaskedBy": "Samira Idrissi"})));
        assert!(m.contains("pseudonymisation is forced"), "{m}");
        let p = invoke(&w, "render_prompt", json!({"template": "reponse-citoyen", "inputs": inputs, "profile": "p", "unmaskedBy": null})).unwrap();
        assert_eq!(p["outgoing"]["protection"]["mode"], "pseudonymised");
        assert_eq!(p["outgoing"]["dataClass"], "sovereign");
        assert_eq!(invoke(&w, "list_profiles", json!({})).unwrap()["policy"]["forcePseudonymisation"], true);
        let info = invoke(&w, "app_info", json!({})).unwrap();
        assert_eq!(info["policy"]["allowedDataClasses"], json!(["local", "sovereign"]));
    }

    /// The error JSON the UI maps to its messages, pinned (tests/snapshots at the repository root).
    #[test]
    fn error_json_is_pinned() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = app(dir.path());
        let cases = [
            ("missing-field", "render_prompt", json!({"template": "reponse-citoyen", "inputs": {"values": {}, "files": {}}, "profile": "practice"})),
            ("not-found", "get_template", json!({"id": "nope", "lang": "fr"})),
            ("bad-value", "render_prompt", json!({"template": "convocation", "inputs": {"values": {"langue": "de"}, "files": {}}, "profile": "practice"})),
        ];
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| {
            for (name, cmd, args) in cases {
                let err = invoke(&w, cmd, args).unwrap_err();
                insta::assert_snapshot!(format!("ui-error-{name}"), serde_json::to_string_pretty(&err).unwrap());
            }
        });
    }

    /// The mail-merge commands as the merge screen calls them, on the convocation sample in
    /// practice mode: plan, draft (replayed), approved draft, run into a folder, the folder's
    /// journal; and the errors the screen maps to its messages.
    #[test]
    fn mail_merge_from_sample_to_letters() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = app(dir.path());
        let samples = invoke(&w, "merge_samples", json!({"template": "convocation"})).unwrap();
        assert!(samples.as_array().unwrap().iter().any(|s| s["name"] == "commission"), "{samples}");
        assert_eq!(invoke(&w, "merge_samples", json!({"template": "analyse-budget"})).unwrap(), json!([]));
        let mut req = invoke(&w, "merge_sample_request", json!({"template": "convocation", "name": "commission"})).unwrap();
        assert_eq!(req["profile"], "practice");
        assert_eq!(req["draft"], Value::Null, "the window has the draft written, then shown");

        let plan = invoke(&w, "merge_plan", json!({"request": req})).unwrap();
        let ready = plan["ready"].as_u64().unwrap();
        assert!(ready >= 2, "{plan}");
        assert_eq!(plan["mode"], "draft");
        assert_eq!(plan["route"]["kind"], "practice");
        // Draft mode without a draft: the preview is the draft request, and its saved answer.
        assert_eq!(plan["preview"][0]["row"], 0);
        assert!(plan["preview"][0]["answer"].as_str().is_some_and(|a| a.contains("{{")), "{}", plan["preview"][0]);
        assert!(plan["fields"].as_array().unwrap().iter().any(|f| f["source"].is_string()), "{plan}");

        // Starting before the draft is approved is refused, nothing written.
        let out = dir.path().join("lettres");
        let err = invoke(&w, "merge_start", json!({"request": req, "outDir": out, "resume": false, "confirmed": false, "onEvent": "__CHANNEL__:1"})).unwrap_err();
        assert_eq!(err["code"], "merge.draft_needed", "{err}");
        assert!(!out.join("publipostage.docx").exists());

        let draft = invoke(&w, "merge_draft", json!({"request": req, "onEvent": "__CHANNEL__:2"})).unwrap();
        let text = draft["text"].as_str().unwrap();
        assert!(text.contains("{{"), "{text}");
        assert_eq!(draft["check"], Value::Null, "the sample's draft uses only the sheet's merge fields: {draft}");
        req["draft"] = json!({"text": text, "path": "brouillon.md"});
        let plan = invoke(&w, "merge_plan", json!({"request": req})).unwrap();
        // With the draft approved, the previews are the first letters, filled from the sheet.
        let first = plan["preview"][0]["answer"].as_str().unwrap();
        assert!(plan["preview"][0]["row"].as_u64().unwrap() > 0 && !first.contains("{{"), "{first}");

        let report = invoke(&w, "merge_start", json!({"request": req, "outDir": out, "resume": false, "confirmed": false, "onEvent": "__CHANNEL__:3"})).unwrap();
        assert_eq!(report["done"].as_u64(), Some(ready), "{report}");
        assert_eq!(report["failed"], 0);
        assert_eq!(report["cancelled"], false);
        let combined = report["combined"].as_str().expect("the combined document");
        assert!(std::path::Path::new(combined).is_file());
        let letters = std::fs::read_dir(&out).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".docx")).count();
        assert_eq!(letters as u64, ready + 1, "one .docx per row, and publipostage.docx");
        let status = invoke(&w, "merge_status", json!({"outDir": out})).unwrap();
        assert_eq!(status["template"], "convocation");
        assert_eq!(status["done"].as_u64(), Some(ready));
        assert_eq!(invoke(&w, "merge_status", json!({"outDir": dir.path()})).unwrap(), Value::Null);
        // Merging again into the same folder without "Reprendre" is refused.
        let err = invoke(&w, "merge_start", json!({"request": req, "outDir": out, "resume": false, "confirmed": false, "onEvent": "__CHANNEL__:4"})).unwrap_err();
        assert!(err["code"].as_str().unwrap().starts_with("merge."), "{err}");

        // The mapping is remembered per template.
        invoke(&w, "merge_remember", json!({"template": "convocation", "map": {"destinataire": "{Nom}"}})).unwrap();
        let saved = std::fs::read_to_string(dir.path().join("config/merge/convocation.json")).unwrap();
        assert!(saved.contains("destinataire") && saved.contains("{Nom}"), "{saved}");

        // Bad input: errors cross as {code, message}.
        let mut bad = req.clone();
        bad["rows"] = json!(dir.path().join("absent.xlsx"));
        let err = invoke(&w, "merge_plan", json!({"request": bad})).unwrap_err();
        assert!(err["code"].as_str().unwrap().contains('.') && err["message"].as_str().unwrap().contains("absent.xlsx"), "{err}");
        let err = invoke(&w, "merge_plan", json!({"request": {"template": "analyse-budget", "rows": bad["rows"]}})).unwrap_err();
        assert_eq!(err["code"], "merge.not_a_letter", "{err}");
    }

    #[test]
    fn a_panic_under_the_state_lock_does_not_wedge_later_commands() {
        let dir = tempfile::tempdir().unwrap();
        let (app, w) = app(dir.path());
        let state = app.state::<super::AppState>().inner().clone();
        // Poison the state's lock the way a panicking command would.
        let poisoner = state.clone();
        let r = std::thread::spawn(move || {
            let _held = poisoner.slot().write().unwrap();
            panic!("a command failed while holding the state");
        })
        .join();
        assert!(r.is_err(), "the thread panicked");
        assert!(state.slot().is_poisoned());
        // Every kind of command still works: reads, settings changes, generation preparation.
        let list = invoke(&w, "list_templates", json!({"lang": "fr"})).unwrap();
        assert!(list.as_array().unwrap().len() >= 12);
        invoke(&w, "save_profile", json!({"profile": {"name": "local", "baseUrl": "http://127.0.0.1:9/v1", "model": "m", "preset": null, "temperature": null}, "makeDefault": true})).unwrap();
        assert_eq!(invoke(&w, "list_profiles", json!({})).unwrap()["default"], "local");
        let inputs = invoke(&w, "load_sample", json!({"template": "convocation", "name": null})).unwrap();
        let p = invoke(&w, "render_prompt", json!({"template": "convocation", "inputs": inputs, "profile": "practice"})).unwrap();
        assert!(!p["user"].as_str().unwrap().is_empty());
    }
}
