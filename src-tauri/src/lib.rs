//! katib-desktop: the Tauri 2 shell of Katib's workbench window.
//!
//! Thin by design: state (the loaded [`Workbench`]), the commands in [`commands`] (each a few
//! lines over katib-core), and window plumbing (single instance, files dropped on the window).
//! No parsing, no business rules, no file formats here.

pub mod commands;

use std::sync::Mutex;

use katib_core::run::Workbench;
use serde_json::json;
use tauri::{DragDropEvent, Emitter, Manager, WindowEvent};

use commands::AppState;

/// Adds the state and every command to `base`; `run` and the tests (on the mock runtime)
/// share it.
pub fn builder<R: tauri::Runtime>(base: tauri::Builder<R>, wb: Workbench) -> tauri::Builder<R> {
    base.manage(AppState { wb: Mutex::new(wb), cancel: Mutex::new(None) })
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
        ])
}

pub fn run() {
    let wb = match Workbench::load() {
        Ok(wb) => wb,
        Err(e) => {
            // Nothing to show a window with: say why on stderr and stop.
            eprintln!("katib: error: {e}");
            std::process::exit(e.exit_code());
        }
    };
    let mode = wb.profiles.default.as_deref().map_or("practice mode".to_string(), |p| format!("profile {p}"));
    let log = katib_core::applog::Log::new(&wb.paths);
    builder(tauri::Builder::default(), wb)
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        // After the plugins: a second launch has already handed over to the first and exited.
        .setup(move |_| {
            log.write(&format!("start katib-desktop {}: {mode}", env!("CARGO_PKG_VERSION")));
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

/// The command layer without a window: tauri's mock runtime, the app's real configuration and
/// capabilities (so the permissions are exercised too), commands invoked as the UI invokes them.
#[cfg(test)]
mod tests {
    use katib_core::config::Paths;
    use serde_json::{json, Value};
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
    use tauri::webview::InvokeRequest;
    use tauri::WebviewWindow;

    fn app(dir: &std::path::Path) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
        let paths = Paths { config_dir: dir.join("config"), data_dir: dir.join("data") };
        let wb = katib_core::run::Workbench::load_from(paths).expect("workbench");
        // The real handler and state, on the mock runtime.
        let app = super::builder(mock_builder(), wb).build(tauri::generate_context!()).expect("app");
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

    #[test]
    fn the_window_may_call_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = app(dir.path());
        for cmd in ["plugin:fs|read_text_file", "plugin:shell|execute", "plugin:http|fetch", "plugin:dialog|open"] {
            let r = invoke(&w, cmd, json!({"path": "/etc/passwd"}));
            assert!(r.is_err(), "{cmd} must be refused: {r:?}");
        }
    }
}
