//! Whole `katib` runs, as a user types them: practice mode with no configuration at all, a
//! profile pointing at a loopback server, the key never written anywhere, errors and exit codes.

use std::io::Write;
use std::process::Stdio;

use katib_testserver::{Script, Server, Sse};
use serde_json::Value;

use crate::util::*;

fn json_out(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn practice_mode_with_no_configuration_gives_a_good_docx() {
    let sb = Sandbox::new();
    let out = sb.out("reponse.docx");
    let o = sb.run(&["run", "reponse-citoyen", "--sample", "--out", out.to_str().unwrap()]);
    ok(&o);
    let answer = std::fs::read_to_string(samples_dir().join("practice/reponse-citoyen.answer.md")).unwrap();
    assert_eq!(stdout(&o).trim(), answer.trim(), "the saved answer streams to stdout");
    let text = docx_text(&out);
    for line in expected_lines(&answer) {
        assert!(text.contains(&line), "missing from the .docx: {line}");
    }
    // The letter frame comes from the sample's fields.
    let sample = std::fs::read_to_string(samples_dir().join("practice/reponse-citoyen.toml")).unwrap();
    let sample: toml::Value = toml::from_str(&sample).unwrap();
    let objet = sample["values"]["objet"].as_str().unwrap();
    assert!(text.contains(&format!("Objet : {objet}")), "{text}");
    assert!(text.contains("Oujda, le "), "place and date line: {text}");
    // Nothing was written outside the sandbox's out folder, and no config was needed
    // (besides the run's record in the local history, in the data folder).
    let written: Vec<_> = sb.all_files().into_iter().map(|(p, _)| p).filter(|p| !p.starts_with(sb.path("data").join("katib.sqlite3"))).collect();
    assert_eq!(written, vec![out]);
    let history = katib_core::run::Workbench::load_from(katib_core::config::Paths { config_dir: sb.config(), data_dir: sb.path("data") }).unwrap();
    let runs = history.history().unwrap().list(&Default::default()).unwrap();
    assert_eq!(runs.len(), 1, "the run is in the history");
    assert_eq!((runs[0].template_id.as_str(), runs[0].profile.as_str()), ("reponse-citoyen", "practice"));
}

#[test]
fn every_sample_replays_and_exports() {
    let sb = Sandbox::new();
    let o = sb.run(&["samples", "list", "--json"]);
    ok(&o);
    let samples = json_out(&o);
    let samples = samples.as_array().unwrap();
    assert!(samples.len() >= 12, "{} samples", samples.len());
    // Invisible direction marks the Arabic export puts before Latin-led numbers.
    let unmarked = |t: &str| t.chars().filter(|c| !matches!(c, '\u{200E}' | '\u{200F}')).collect::<String>();
    for s in samples {
        let template = s["template"].as_str().unwrap();
        let id = s["id"].as_str().unwrap();
        let mut args = vec!["run", template, "--sample"];
        if let Some(n) = s["name"].as_str() {
            args.push(n);
        }
        let out = sb.out(&format!("{id}.docx"));
        args.extend(["--out", out.to_str().unwrap()]);
        let o = sb.run(&args);
        ok(&o);
        let text = unmarked(&docx_text(&out));
        // What was streamed is what was exported: the saved answer, or a fixed template's wording.
        let answer = match std::fs::read_to_string(samples_dir().join(format!("practice/{id}.answer.md"))) {
            Ok(a) => a,
            Err(_) => stdout(&o),
        };
        assert!(!answer.trim().is_empty(), "{id}: nothing streamed");
        for line in expected_lines(&answer).iter().take(3) {
            assert!(text.contains(&unmarked(line)), "{id}: missing from the .docx: {line}");
        }
    }
}

#[test]
fn practice_mode_refuses_other_inputs() {
    let sb = Sandbox::new();
    let o = sb.run(&["run", "reponse-citoyen", "--sample", "--set", "objet=Une autre demande"]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("practice mode") && err.contains("katib profiles add"), "{err}");
    assert!(stdout(&o).trim().is_empty(), "no saved answer is passed off as generated");
    assert_eq!(err.lines().count(), 1, "one line per error: {err}");
}

#[test]
fn dry_run_prints_the_messages_and_sends_nothing() {
    let sb = Sandbox::new();
    let server = Server::start(vec![Script::Sse(Sse::tokens(&["x"]))]);
    ok(&sb.run(&["profiles", "add", "local", "--base-url", &server.base_url(), "--model", "test-model"]));
    let o = sb.run(&["run", "analyse-budget", "--sample", "--dry-run", "--json"]);
    ok(&o);
    let v = json_out(&o);
    let msgs = v["messages"].as_array().unwrap();
    assert_eq!(msgs[0]["role"], "system");
    let user = msgs[1]["content"].as_str().unwrap();
    // The sheet reaches the prompt as Katib's figures on every row, not as its rows.
    assert!(user.contains("Chiffres calculés par Katib sur toutes les lignes du fichier « tableau-budget-2026.xlsx »"), "{user}");
    assert!(server.requests().is_empty());
}

#[test]
fn profile_on_loopback_server_streams_and_exports() {
    let sb = Sandbox::new();
    let tokens = ["Monsieur,", "\n\nJ'ai l'honneur de vous informer", " que votre demande est acceptée.", "\n\n1. Premier point", "\n2. Second point"];
    let server = Server::start(vec![Script::Sse(Sse::tokens(&tokens))]);
    ok(&sb.run(&["profiles", "add", "local", "--base-url", &server.base_url(), "--model", "test-model", "--temperature", "0.3"]));
    let dry = sb.run(&["run", "reponse-citoyen", "--sample", "--dry-run", "--json"]);
    ok(&dry);
    let out = sb.out("lettre.docx");
    let o = sb.run(&["run", "reponse-citoyen", "--sample", "--out", out.to_str().unwrap()]);
    ok(&o);
    assert_eq!(stdout(&o).trim(), tokens.concat().trim());
    let req = &server.requests()[0];
    let body = req.json();
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["messages"], json_out(&dry)["messages"], "exactly what --dry-run showed was sent");
    let paras = docx_paragraphs(&out);
    let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
    assert!(texts.contains(&"J'ai l'honneur de vous informer que votre demande est acceptée."), "{texts:?}");
    let items: Vec<_> = paras.iter().filter(|p| p.num_id.is_some()).map(|p| p.text.as_str()).collect();
    assert_eq!(items, vec!["Premier point", "Second point"]);
}

#[test]
fn api_key_is_never_written_anywhere() {
    let sb = Sandbox::new();
    let secret = "sk-katib-7f3a9c1e-DO-NOT-LEAK";
    let server = Server::start(vec![Script::Sse(Sse::tokens(&["Bonjour", " Madame."]))]);
    ok(&sb.run(&["profiles", "add", "local", "--base-url", &server.base_url(), "--model", "test-model", "--header", "X-Org=oujda"]));
    let mut outputs = Vec::new();
    for args in [
        vec!["run", "reponse-citoyen", "--sample", "--out", "OUT/a.docx"],
        vec!["run", "reponse-citoyen", "--sample", "--out", "OUT/a.md", "--json"],
        vec!["run", "reponse-citoyen", "--sample", "--dry-run"],
        vec!["profiles", "test", "local", "--json"],
        vec!["profiles", "list", "--json"],
    ] {
        let args: Vec<String> = args.iter().map(|a| a.replace("OUT", sb.path("out").to_str().unwrap())).collect();
        let o = sb.katib().args(&args).env("KATIB_API_KEY", secret).output().unwrap();
        ok(&o);
        outputs.push(o);
    }
    // The key did reach the server...
    let auth: Vec<_> = server.requests().iter().map(|r| r.header("authorization").map(String::from)).collect();
    assert!(auth.iter().all(|a| a.as_deref() == Some(&format!("Bearer {secret}"))), "{auth:?}");
    assert_eq!(auth.len(), 3);
    // ...and nowhere else: not in any file the runs wrote, not on stdout or stderr.
    let files = sb.all_files();
    assert!(files.len() >= 3, "{:?}", files.iter().map(|f| &f.0).collect::<Vec<_>>());
    for (path, bytes) in files {
        let hay = String::from_utf8_lossy(&bytes);
        assert!(!hay.contains(secret), "{} contains the key", path.display());
        if path.extension().is_some_and(|e| e == "docx") {
            for part in ["word/document.xml", "docProps/core.xml", "docProps/custom.xml"] {
                let xml = docx_part(&path, part);
                assert!(!xml.contains(secret), "{part} of {} contains the key", path.display());
            }
        }
    }
    for o in outputs {
        assert!(!stdout(&o).contains(secret) && !stderr(&o).contains(secret));
    }
}

#[test]
fn existing_output_is_not_overwritten_and_nothing_is_sent() {
    let sb = Sandbox::new();
    let server = Server::start(vec![Script::Sse(Sse::tokens(&["x"]))]);
    ok(&sb.run(&["profiles", "add", "local", "--base-url", &server.base_url(), "--model", "test-model"]));
    let out = sb.out("existe.docx");
    std::fs::write(&out, b"original").unwrap();
    let o = sb.run(&["run", "reponse-citoyen", "--sample", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(7));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&out).unwrap(), b"original");
    assert!(server.requests().is_empty(), "checked before generating");
    let o = sb.run(&["run", "reponse-citoyen", "--sample", "--out", out.to_str().unwrap(), "--force"]);
    ok(&o);
    assert!(docx_text(&out).contains("x"));
}

#[test]
fn provider_errors_exit_5_with_json_codes() {
    let sb = Sandbox::new();
    let server = Server::start(vec![Script::Status { code: 401, headers: vec![], body: "{}".into() }]);
    ok(&sb.run(&["profiles", "add", "local", "--base-url", &server.base_url(), "--model", "test-model"]));
    let o = sb.run(&["run", "reponse-citoyen", "--sample", "--json"]);
    assert_eq!(o.status.code(), Some(5));
    let err: Value = serde_json::from_str(stderr(&o).trim().lines().last().unwrap()).expect("a JSON line on stderr");
    assert_eq!(err["error"]["code"], "provider.auth");
    assert!(err["error"]["message"].as_str().unwrap().contains("katib key set local"));
    let o = sb.run(&["run", "reponse-citoyen", "--sample"]);
    assert_eq!(o.status.code(), Some(5));
    assert!(stderr(&o).starts_with("katib: error: "), "{}", stderr(&o));
}

#[test]
fn cut_stream_keeps_the_partial_answer_beside_the_output() {
    let sb = Sandbox::new();
    let mut sse = Sse::tokens(&["Monsieur,", " j'ai", " l'honneur", " de"]);
    sse.cut_after = Some(3);
    let server = Server::start(vec![Script::Sse(sse)]);
    ok(&sb.run(&["profiles", "add", "local", "--base-url", &server.base_url(), "--model", "test-model"]));
    let out = sb.out("lettre.docx");
    let o = sb.run(&["run", "reponse-citoyen", "--sample", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(5));
    assert!(stderr(&o).contains("PARTIAL"), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "Monsieur, j'ai l'honneur");
    assert!(!out.exists(), "no half letter under the final name");
    let kept = std::fs::read_to_string(sb.out("lettre.partiel.md")).unwrap();
    assert_eq!(kept, "Monsieur, j'ai l'honneur");
}

#[test]
fn templates_list_json_describes_fields() {
    let sb = Sandbox::new();
    let o = sb.run(&["templates", "list", "--json"]);
    ok(&o);
    let v = json_out(&o);
    let all = v.as_array().unwrap();
    assert!(all.len() >= 12, "{} templates", all.len());
    let cats: std::collections::BTreeSet<&str> = all.iter().map(|t| t["category"].as_str().unwrap()).collect();
    assert_eq!(cats.into_iter().collect::<Vec<_>>(), vec!["act", "letter", "note", "spreadsheet", "summary"]);
    let budget = all.iter().find(|t| t["id"] == "analyse-budget").unwrap();
    let file = budget["fields"].as_array().unwrap().iter().find(|f| f["type"] == "file").unwrap();
    assert_eq!(file["accept"], serde_json::json!(["sheet"]));
    // The one list of extensions, as the form and the file picker use it.
    assert_eq!(file["extensions"], serde_json::json!(["xlsx", "xlsm", "xls", "ods", "csv", "tsv"]));
    // Arabic titles exist for every letter template.
    let o = sb.run(&["templates", "list", "--json", "--lang", "ar"]);
    let ar = json_out(&o);
    for t in ar.as_array().unwrap().iter().filter(|t| t["category"] == "letter") {
        let title = t["title"].as_str().unwrap();
        assert!(title.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "{title}");
    }
}

#[test]
fn validate_reports_file_and_line_and_user_templates_override() {
    let sb = Sandbox::new();
    let ok_dir = sb.path("mes-modeles");
    std::fs::create_dir_all(&ok_dir).unwrap();
    let src = std::fs::read_to_string(repo().join("prompts/reponse-citoyen.md")).unwrap();
    let mine = src.replacen("fr = \"Réponse à un citoyen\"", "fr = \"Réponse à un citoyen (version du service)\"", 1);
    assert_ne!(mine, src, "the title line to replace exists");
    std::fs::write(ok_dir.join("reponse-citoyen.md"), &mine).unwrap();
    ok(&sb.run(&["templates", "validate", ok_dir.to_str().unwrap()]));
    std::fs::write(sb.config().join("config.toml"), format!("templates_dir = {:?}\n", ok_dir.to_str().unwrap())).unwrap();
    let o = sb.run(&["templates", "list"]);
    ok(&o);
    assert!(stdout(&o).contains("Réponse à un citoyen (version du service)  [user]"), "{}", stdout(&o));

    let bad = sb.path("casse");
    std::fs::create_dir_all(&bad).unwrap();
    let broken = src.replacen("{{", "{{ champ_inexistant }} {{", 1);
    std::fs::write(bad.join("casse.md"), &broken).unwrap();
    let line = broken.lines().position(|l| l.contains("champ_inexistant")).unwrap() + 1;
    let o = sb.run(&["templates", "validate", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    let expect = format!("casse.md:{line}: undefined variable 'champ_inexistant'");
    assert!(stdout(&o).contains(&expect), "want {expect}\n{}", stdout(&o));
}

/// The template editor's file operations, headless: a copy of a built-in template in the user's
/// folder, a file saved as one of the user's (checked first, replaced only with --force), a reset
/// that brings the built-in back; a workshop pack's template is never the user's to reset.
#[test]
fn templates_copy_save_and_reset_work_on_the_users_folder_only() {
    let sb = Sandbox::new();
    let mine = sb.config().join("templates");
    let o = sb.run(&["templates", "copy", "convocation", "convocation-commission", "--json"]);
    ok(&o);
    let copy = mine.join("convocation-commission.md");
    assert_eq!(json_out(&o)["path"].as_str(), Some(copy.to_str().unwrap()));
    let text = std::fs::read_to_string(&copy).unwrap();
    assert!(text.contains("id = \"convocation-commission\"") && text.contains("Copie de : "), "{text}");
    let o = sb.run(&["templates", "list"]);
    assert!(stdout(&o).contains("convocation-commission") && stdout(&o).contains("[user]"), "{}", stdout(&o));
    let o = sb.run(&["templates", "copy", "convocation", "note-service"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("a template 'note-service' exists already"), "{}", stderr(&o));

    // Save an edited file: refused over the user's own without --force, then replaced.
    let edited = sb.path("commission.md");
    std::fs::write(&edited, text.replace("Copie de : ", "Commission : ")).unwrap();
    let o = sb.run(&["templates", "save", edited.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    ok(&sb.run(&["templates", "save", edited.to_str().unwrap(), "--force"]));
    assert!(std::fs::read_to_string(&copy).unwrap().contains("Commission : "));
    // A broken file is never saved; the error names the file given and its line.
    let broken = text.replacen("{{ objet }}", "{{ objet }", 1);
    assert_ne!(broken, text);
    std::fs::write(&edited, &broken).unwrap();
    let o = sb.run(&["templates", "save", edited.to_str().unwrap(), "--force"]);
    assert_eq!(o.status.code(), Some(3));
    let line = broken.lines().position(|l| l.contains("{{ objet }") && !l.contains("{{ objet }}")).unwrap() + 1;
    assert!(stderr(&o).contains(&format!("commission.md:{line}")), "want line {line}: {}", stderr(&o));
    assert!(std::fs::read_to_string(&copy).unwrap().contains("Commission : "), "the saved template is untouched");
    // No such file; a file far too large to be a template: each named, nothing saved.
    let missing = sb.path("absent.md");
    let o = sb.run(&["templates", "save", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("cannot read") && stderr(&o).contains("absent.md"), "{}", stderr(&o));
    let huge = sb.path("enorme.md");
    std::fs::write(&huge, vec![b'x'; 2 << 20]).unwrap();
    let o = sb.run(&["templates", "save", huge.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("enorme.md") && stderr(&o).contains("too large for a template"), "{}", stderr(&o));

    // One's own version of a built-in template, then reset: the built-in is back.
    let builtin = std::fs::read_to_string(repo().join("prompts/note-service.md")).unwrap();
    let own = sb.path("note-service.md");
    let bumped: String = builtin.lines().map(|l| if l.starts_with("version = ") { "version = 99\n".to_string() } else { format!("{l}\n") }).collect();
    assert!(bumped.contains("version = 99"));
    std::fs::write(&own, bumped).unwrap();
    ok(&sb.run(&["templates", "save", own.to_str().unwrap()]));
    let shown = json_out(&sb.run(&["templates", "show", "note-service", "--json"]));
    assert_eq!(shown["path"].as_str(), Some(mine.join("note-service.md").to_str().unwrap()));
    let o = sb.run(&["templates", "reset", "note-service", "--json"]);
    ok(&o);
    assert_eq!(json_out(&o)["builtin"], true);
    let shown = json_out(&sb.run(&["templates", "show", "note-service", "--json"]));
    assert_eq!(shown["path"].as_str(), Some(repo().join("prompts/note-service.md").to_str().unwrap()));
    let o = sb.run(&["templates", "reset", "note-service"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not one of your templates"), "{}", stderr(&o));

    // The built-in workshop pack's template (on a copy of the app's files): not the user's.
    let res = sb.path("resources");
    for d in ["prompts", "samples", "packs"] {
        copy_tree(&repo().join(d), &res.join(d));
    }
    let packs_file = res.join("packs/ia-starter/templates/atelier-accuse-reception.md");
    let o = sb.katib().env("KATIB_RESOURCES_DIR", &res).args(["templates", "reset", "atelier-accuse-reception"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(packs_file.exists(), "reset removed the pack's template");
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn bad_input_file_exit_4_names_the_file() {
    let sb = Sandbox::new();
    let fake = sb.path("budget.xlsx");
    std::fs::write(&fake, "ceci n'est pas un classeur").unwrap();
    let o = sb.run(&["run", "analyse-budget", "--file", &format!("tableau={}", fake.display()), "--dry-run"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("budget.xlsx") && stderr(&o).contains("not a valid Excel .xlsx"), "{}", stderr(&o));
    let o = sb.run(&["run", "analyse-budget", "--set", "inconnu=1", "--dry-run"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("no field 'inconnu'"), "{}", stderr(&o));
    let o = sb.run(&["run", "analyse-budget", "--dry-run"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("missing required field"), "{}", stderr(&o));
}

#[test]
fn profiles_test_lists_models_and_presets_fill_in() {
    let sb = Sandbox::new();
    let server = Server::start(vec![]);
    ok(&sb.run(&["profiles", "add", "local", "--base-url", &server.base_url(), "--model", "test-model"]));
    let o = sb.run(&["profiles", "test", "local"]);
    ok(&o);
    assert!(stdout(&o).contains("2 model(s): other-model, test-model"), "{}", stdout(&o));
    ok(&sb.run(&["profiles", "add", "maison", "--preset", "ollama"]));
    let v = json_out(&sb.run(&["profiles", "list", "--json"]));
    let ollama = v["profiles"].as_array().unwrap().iter().find(|p| p["name"] == "maison").unwrap().clone();
    assert_eq!(ollama["base_url"], "http://localhost:11434/v1");
    assert_eq!(v["default"], "local", "the first profile added becomes the default");
    let o = sb.run(&["profiles", "add", "x", "--base-url", "localhost:1234", "--model", "m"]);
    assert_eq!(o.status.code(), Some(8));
    assert!(stderr(&o).contains("http://"), "{}", stderr(&o));
}

#[test]
fn key_set_reads_stdin_and_refuses_without_keychain() {
    // Without a reachable Secret Service (the normal case in this test), the key is refused
    // with a pointer to KATIB_API_KEY, and never lands in a file.
    let sb = Sandbox::new();
    ok(&sb.run(&["profiles", "add", "local", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"]));
    let mut child = sb
        .katib()
        .args(["key", "set", "local"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/katib-no-bus")
        .stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"sk-never-in-a-file\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(8), "{}", stderr(&o));
    assert!(stderr(&o).contains("KATIB_API_KEY"), "{}", stderr(&o));
    for (p, b) in sb.all_files() {
        assert!(!String::from_utf8_lossy(&b).contains("sk-never-in-a-file"), "{}", p.display());
    }
}
