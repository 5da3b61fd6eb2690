//! End to end in the real window: the desktop app built from src-tauri, driven through
//! tauri-driver + WebKitWebDriver under Xvfb (tests/run.sh sets that up). Each scenario starts the
//! app afresh with its own config, data and export folders.
//!
//! They need a display and the drivers: `#[ignore]`d under a plain `cargo test` (which says so),
//! run by tests/run.sh, and a failure when the window cannot be driven.

mod webdriver;
mod workshop;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use katib_testserver::{Script, Server, Sse};
use serde_json::json;
use webdriver::App;

/// One window at a time: WebKitWebDriver sessions and Xvfb are shared.
static SERIAL: Mutex<()> = Mutex::new(());

fn guard() -> std::sync::MutexGuard<'static, ()> {
    let g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    if let Err(why) = webdriver::available() {
        panic!("the window cannot be driven: {why}. Run the end-to-end tests through tests/run.sh");
    }
    g
}

const SECS: Duration = Duration::from_secs(30);

fn sandbox() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("katib-e2e-").tempdir().unwrap()
}

/// Where screenshots go: `KATIB_SCREENSHOTS` (the docs folder when refreshing them), else the
/// sandbox.
fn shot(app: &App, name: &str) {
    // Let transitions (a panel's arrow) settle, and no passing toast hide the screen.
    app.js("const t = document.querySelector('#toast'); if (t) t.classList.remove('show'); return true");
    std::thread::sleep(Duration::from_millis(400));
    let dir = std::env::var_os("KATIB_SCREENSHOTS").map(PathBuf::from).unwrap_or_else(|| app.dirs.join("shots"));
    app.screenshot(&dir.join(format!("{name}.png")));
}

fn profile_on(dirs: &Path, base_url: &str) {
    let cfg = dirs.join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("profiles.toml"),
        format!("default = \"local\"\n[[profile]]\nname = \"local\"\nbase_url = \"{base_url}\"\nmodel = \"test-model\"\nretries = 0\n"),
    )
    .unwrap();
}

/// Waits (bounded) until `path` holds `needle`: autosaves and settings reach the disk shortly
/// after the UI's action.
fn wait_file_contains(path: &Path, needle: &str) {
    let start = std::time::Instant::now();
    while !std::fs::read_to_string(path).unwrap_or_default().contains(needle) {
        assert!(start.elapsed() < SECS, "{} never held {needle:?}: {:?}", path.display(), std::fs::read_to_string(path));
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn open_template(app: &App, id: &str) {
    app.click(&format!(".template-card[data-id=\"{id}\"]"));
    app.wait_for("#template-form", SECS);
}

fn field_value(app: &App, name: &str) -> String {
    app.js(&format!("return document.querySelector('[name=\"{name}\"]').value")).as_str().unwrap_or("").to_string()
}

fn docx_text(path: &Path) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    // Paragraph text: the w:t contents, a newline per paragraph.
    let mut out = String::new();
    for para in xml.split("</w:p>") {
        for piece in para.split("<w:t").skip(1) {
            if let Some(start) = piece.find('>') {
                if let Some(end) = piece.find("</w:t>") {
                    out.push_str(&piece[start + 1..end].replace("&apos;", "'").replace("&amp;", "&"));
                }
            }
        }
        out.push('\n');
    }
    out
}

/// The workbench is read on its own thread while the window starts: a broken config.toml still
/// ends the app with the file's name and line on stderr and the configuration's exit code, as
/// the CLI does, not with a window that waits forever.
#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn a_broken_config_stops_the_app_with_its_file_and_line() {
    let _g = guard();
    let dirs = sandbox();
    let cfg = dirs.path().join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("config.toml"), "language = \"fr\"\nretention_days = = 3\n").unwrap();
    let mut child = std::process::Command::new(webdriver::app_binary())
        .env("KATIB_CONFIG_DIR", &cfg)
        .env("KATIB_DATA_DIR", dirs.path().join("data"))
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > SECS {
            let _ = child.kill();
            panic!("the app did not stop on a broken config.toml");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(8), "the configuration's exit code: {err}");
    assert!(err.starts_with("katib: error: ") && err.contains("config.toml") && err.contains('2'), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn a_letter_from_sample_to_docx_in_practice_mode() {
    let _g = guard();
    let dirs = sandbox();
    let app = App::start(dirs.path(), &[]);
    app.wait_js("return document.querySelector('#mode-badge').textContent.includes('entraînement')", SECS);
    shot(&app, "fr-accueil");
    open_template(&app, "reponse-citoyen");
    app.click("#load-sample");
    app.wait_js("return document.querySelector('[name=\"objet\"]').value.length > 0", SECS);
    app.click("#prompt-panel summary, #prompt-panel button, #prompt-panel");
    app.wait_js("return document.querySelector('#prompt-user') && document.querySelector('#prompt-user').textContent.includes('Fichier : lettre-citoyen-eclairage.txt')", SECS);
    shot(&app, "fr-modele");
    app.click("#generate");
    let answer = std::fs::read_to_string(repo().join("samples/practice/reponse-citoyen.answer.md")).unwrap();
    let last_words: String = answer.trim().chars().rev().take(30).collect::<String>().chars().rev().collect();
    app.wait_js(&format!("return document.querySelector('#answer-preview').textContent.includes({})", json!(last_words)), Duration::from_secs(60));
    shot(&app, "fr-reponse");
    app.click("#export-docx");
    app.wait_js("return document.querySelector('#export-result') && document.querySelector('#export-result').textContent.includes('.docx')", SECS);
    let exported: Vec<_> = std::fs::read_dir(dirs.path().join("exports")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(exported.len(), 1, "{exported:?}");
    let text = docx_text(&exported[0]);
    assert!(text.contains("Objet : "), "{text}");
    for line in answer.lines().map(str::trim).filter(|l| l.len() > 20).take(4) {
        assert!(text.contains(line), "'{line}' not in the exported letter");
    }
    // The app's log (data dir) has the start, the generation and the export; no content.
    let log = std::fs::read_to_string(dirs.path().join("data/katib.log")).expect("katib.log");
    assert!(log.contains("start katib-desktop") && log.contains(": practice mode"), "{log}");
    assert!(log.contains("generate reponse-citoyen: ok,") && log.contains("export reponse-citoyen .docx: ok,"), "{log}");
    assert!(!log.contains(&last_words), "the answer is not logged: {log}");
    app.click("#settings");
    app.wait_for("#profile-form", SECS);
    // A template with fixed wording is filled, not generated: no model involved.
    app.click("#nav-home");
    app.wait_js("return document.querySelector('.template-card[data-id=\"attestation\"] .card-fixed') !== null", SECS);
    open_template(&app, "attestation");
    assert_eq!(app.text("#generate"), "Remplir");
    app.click("#load-sample");
    app.wait_js("return !document.querySelector('#generate').disabled && document.querySelectorAll('.field.invalid').length === 0", SECS);
    app.click("#prompt-panel summary");
    app.wait_js("const r = document.querySelector('#outgoing-route'); return r && r.textContent.includes('aucun modèle')", SECS);
    app.click("#generate");
    app.wait_js("return (document.querySelector('#gen-stats').textContent || '').includes('sans modèle')", SECS);
    assert!(!app.text("#answer-preview").trim().is_empty());
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn arabic_mirrors_the_whole_layout() {
    let _g = guard();
    let dirs = sandbox();
    let app = App::start(dirs.path(), &[]);
    let before = app.js("return document.querySelector('#mode-badge').getBoundingClientRect().left").as_f64().unwrap();
    app.click("#lang-ar");
    app.wait_js("return document.documentElement.dir === 'rtl' && document.documentElement.lang === 'ar'", SECS);
    let after = app.js("return document.querySelector('#mode-badge').getBoundingClientRect().left").as_f64().unwrap();
    assert!((before - after).abs() > 200.0, "the header mirrors: badge x {before} -> {after}");
    assert_eq!(app.js("return getComputedStyle(document.body).direction"), json!("rtl"));
    let card = app.text(".template-card[data-id=\"reponse-citoyen\"]");
    assert!(card.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "cards in Arabic: {card}");
    shot(&app, "ar-accueil");
    open_template(&app, "reponse-citoyen");
    app.click("#load-sample");
    app.wait_js("return document.querySelector('[name=\"objet\"]').value.length > 0", SECS);
    shot(&app, "ar-modele");
    app.click("#generate");
    app.wait_js("return document.querySelector('#answer-preview').textContent.includes('والسلام')", Duration::from_secs(60));
    assert_eq!(app.js("return getComputedStyle(document.querySelector('#answer-preview')).direction"), json!("rtl"));
    shot(&app, "ar-reponse");
    app.click("#settings");
    app.wait_for("#profile-form", SECS);
    // Remembered: a new start comes back in Arabic.
    drop(app);
    let app = App::start(dirs.path(), &[]);
    app.wait_js("return document.documentElement.dir === 'rtl'", SECS);
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn hostile_answer_executes_and_loads_nothing() {
    let _g = guard();
    let dirs = sandbox();
    let tracker = Server::start(vec![]);
    let hostile = format!(
        "# Réponse\n\n<script>window.__pwned = 1</script>\n\n<img src=x onerror=\"window.__pwned = 2\">\n\n[cliquez ici](javascript:window.__pwned=3)\n\n![suivi]({}/track.png)\n\n<a href=\"javascript:window.__pwned=4\">lien</a> <iframe src=\"{}/frame\"></iframe>\n\nTexte normal **gras**.\n",
        tracker.base_url(),
        tracker.base_url()
    );
    let server = Server::start(vec![Script::Sse(Sse::tokens(&[hostile.as_str()]))]);
    profile_on(dirs.path(), &server.base_url());
    let app = App::start(dirs.path(), &[]);
    open_template(&app, "reponse-citoyen");
    app.click("#load-sample");
    app.wait_js("return document.querySelector('[name=\"objet\"]').value.length > 0", SECS);
    app.click("#generate");
    app.wait_js("return document.querySelector('#answer-preview').textContent.includes('Texte normal')", SECS);
    // Try to trigger anything that might have been planted.
    app.js("document.querySelectorAll('#answer-preview a').forEach(a => a.click()); return true");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(app.js("return window.__pwned === undefined"), json!(true), "something executed");
    let bad = app.js(
        "const p = document.querySelector('#answer-preview');
         return [p.querySelectorAll('script,iframe,img,object,embed').length,
                 [...p.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
                 [...p.querySelectorAll('a')].filter(a => !/^(https?:|mailto:)/.test(a.getAttribute('href') || 'https:')).length]",
    );
    assert_eq!(bad, json!([0, 0, 0]), "dangerous elements in the preview");
    assert!(tracker.requests().is_empty(), "a remote load happened: {:?}", tracker.requests().iter().map(|r| &r.path).collect::<Vec<_>>());
    shot(&app, "fr-contenu-hostile");
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn failing_endpoint_shows_the_message_and_keeps_the_form() {
    let _g = guard();
    let dirs = sandbox();
    // The server echoes the key it was sent, as some do: the log must not keep it.
    let key = "sk-e2e-7f3a9c1d5b2e8f4a6c0d";
    let body = format!("{{\"error\":{{\"message\":\"Incorrect API key provided: {key}\"}}}}");
    let server = Server::start(vec![Script::Status { code: 401, headers: vec![], body }]);
    profile_on(dirs.path(), &server.base_url());
    let app = App::start(dirs.path(), &[("KATIB_API_KEY", key.to_string())]);
    open_template(&app, "reponse-citoyen");
    app.click("#load-sample");
    app.wait_js("return document.querySelector('[name=\"objet\"]').value.length > 0", SECS);
    app.clear("[name=\"objet\"]");
    app.type_into("[name=\"objet\"]", "Objet modifié à la main");
    app.click("#generate");
    app.wait_js("const e = document.querySelector('#error'); return e && e.offsetParent !== null && e.textContent.length > 10", SECS);
    let msg = app.text("#error");
    assert!(msg.to_lowercase().contains("clé") || msg.contains("API"), "a human message about the key: {msg}");
    assert_eq!(field_value(&app, "objet"), "Objet modifié à la main", "the form is intact");
    // Nor does the window show the echoed key, technical details included (hidden or not).
    let shown = app.js(&format!("return document.body.textContent.includes('{key}')"));
    assert_eq!(shown, json!(false), "the key echoed by the server is masked on screen");
    shot(&app, "fr-erreur");
    // The autosave reaches the disk before the window closes.
    let draft = dirs.path().join("data/draft.json");
    app.wait_js("return true", SECS);
    wait_file_contains(&draft, "Objet modifié à la main");
    drop(app);
    // Now nothing listens at all.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    profile_on(dirs.path(), &format!("http://127.0.0.1:{port}/v1"));
    let app = App::start(dirs.path(), &[]);
    // The draft brought the template and the edited field back.
    app.wait_for("#template-form", SECS);
    assert_eq!(field_value(&app, "objet"), "Objet modifié à la main");
    app.click("#generate");
    app.wait_js("const e = document.querySelector('#error'); return e && e.offsetParent !== null && e.textContent.length > 10", SECS);
    let msg = app.text("#error");
    assert!(msg.contains(&port.to_string()) || msg.to_lowercase().contains("connect") || msg.contains("serveur"), "{msg}");
    assert_eq!(field_value(&app, "objet"), "Objet modifié à la main");
    // Both failures are in the app's log, with their codes, for whoever helps the user.
    let log = std::fs::read_to_string(dirs.path().join("data/katib.log")).expect("katib.log");
    assert!(log.contains("generate reponse-citoyen: error provider.auth:"), "{log}");
    assert!(!log.contains(key) && log.contains("[masked]"), "the echoed key is masked: {log}");
    assert!(log.contains("generate reponse-citoyen: error provider.connect:"), "{log}");
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn killed_mid_edit_the_draft_comes_back() {
    let _g = guard();
    let dirs = sandbox();
    let app = App::start(dirs.path(), &[]);
    open_template(&app, "convocation");
    app.click("#load-sample");
    app.wait_js("return document.querySelector('[name=\"objet\"]').value.length > 0", SECS);
    app.clear("[name=\"objet\"]");
    app.type_into("[name=\"objet\"]", "Réunion de coordination — brouillon non enregistré");
    // Autosave is debounced; wait for it to reach the disk, then kill without warning.
    let draft = dirs.path().join("data/draft.json");
    wait_file_contains(&draft, "brouillon non enregistré");
    app.kill_app();
    let app = App::start(dirs.path(), &[]);
    app.wait_for("#template-form", SECS);
    assert_eq!(field_value(&app, "objet"), "Réunion de coordination — brouillon non enregistré");
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn tables_to_xlsx_and_letterhead_settings() {
    let _g = guard();
    let dirs = sandbox();
    let app = App::start(dirs.path(), &[]);
    open_template(&app, "analyse-budget");
    app.click("#load-sample");
    app.wait_js("return document.querySelector('#generate') && !document.querySelector('#generate').disabled", SECS);
    app.wait_js("return document.querySelector('[name=\"tableau\"]').value.includes('tableau-budget-2026.xlsx')", SECS);
    app.click("#generate");
    app.wait_js("return document.querySelector('#export-xlsx') && !document.querySelector('#export-xlsx').disabled", Duration::from_secs(60));
    app.click("#export-xlsx");
    app.wait_js("return document.querySelector('#export-result') && document.querySelector('#export-result').textContent.includes('.xlsx')", SECS);
    let xlsx: Vec<_> = std::fs::read_dir(dirs.path().join("exports")).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "xlsx")).collect();
    assert_eq!(xlsx.len(), 1);
    let mut z = zip::ZipArchive::new(std::fs::File::open(&xlsx[0]).unwrap()).unwrap();
    assert!(z.by_name("xl/workbook.xml").is_ok(), "a real workbook");

    // Letterhead settings reach config.toml through core.
    app.click("#settings");
    app.wait_for("#letterhead-form", SECS);
    app.type_into("#lh-fr", "Royaume du Maroc\nCommune d'Oujda");
    app.type_into("#lh-signature-title", "Le Président du Conseil Communal");
    // Below the fold: scrolled into view and clicked from the page.
    app.js("document.querySelector('#save-letterhead').scrollIntoView(); document.querySelector('#save-letterhead').click(); return true");
    let cfg = dirs.path().join("config/config.toml");
    wait_file_contains(&cfg, "Commune d'Oujda");
    let saved = std::fs::read_to_string(&cfg).unwrap();
    assert!(saved.contains("[letterhead]") && saved.contains("Le Président du Conseil Communal"), "{saved}");
    // A logo that is not an image is refused, nothing written.
    let fake = dirs.path().join("logo.png");
    std::fs::write(&fake, b"not a png").unwrap();
    std::fs::write(&cfg, saved.replace("[letterhead]", &format!("[letterhead]\nlogo = {:?}", fake.to_str().unwrap()))).unwrap();
    drop(app);
    let app = App::start(dirs.path(), &[]);
    app.click("#settings");
    app.wait_for("#letterhead-form", SECS);
    app.wait_js("return document.querySelector('#lh-fr').value.includes('Oujda')", SECS);
    app.js("document.querySelector('#save-letterhead').scrollIntoView(); document.querySelector('#save-letterhead').click(); return true");
    app.wait_js("const e = document.querySelector('#error'); return e && e.offsetParent !== null && e.textContent.includes('logo.png')", SECS);
}

/// A profile on `base_url` with a data class, and signatories in config.toml.
fn setup(dirs: &Path, base_url: Option<&str>, data_class: &str) {
    let cfg = dirs.join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    if let Some(url) = base_url {
        std::fs::write(
            cfg.join("profiles.toml"),
            format!("default = \"service\"\n[[profile]]\nname = \"service\"\nbase_url = \"{url}\"\nmodel = \"test-model\"\nretries = 0\ndata_class = \"{data_class}\"\n"),
        )
        .unwrap();
    }
    std::fs::write(
        cfg.join("config.toml"),
        r#"[letterhead]
fr = ["Royaume du Maroc", "Ministère de l'Intérieur", "Commune d'Oujda"]
ar = ["المملكة المغربية", "وزارة الداخلية", "جماعة وجدة"]
signature_title = "Le Président du Conseil de la Commune d'Oujda"
signature_name = "Mohammed Benali"

[[signatories]]
id = "president"
function = "Le Président du Conseil de la Commune d'Oujda"
function_ar = "رئيس مجلس جماعة وجدة"
name = "Mohammed Benali"
name_ar = "محمد بنعلي"

[[signatories]]
id = "dgs"
function = "Le Directeur Général des Services"
function_ar = "المدير العام للمصالح"
name = "Karim Alaoui"
name_ar = "كريم العلوي"
delegation = "Pour le Président et par délégation"
delegation_ar = "عن الرئيس وبتفويض منه"
"#,
    )
    .unwrap();
}

fn visible(app: &App, css: &str) -> bool {
    app.js(&format!("const e = document.querySelector({}); return !!e && e.offsetParent !== null", json!(css))) == json!(true)
}

fn exported(dirs: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dirs.join("exports")).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == ext)).collect();
    v.sort();
    v
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn a_letter_with_a_configured_signatory_and_the_refusal_grounds_it_requires() {
    let _g = guard();
    let dirs = sandbox();
    let server = Server::start(vec![Script::Sse(Sse::tokens(&["Monsieur,\n\n", "J'ai le regret de vous informer ", "que votre demande ne peut être satisfaite.\n\n", "Veuillez agréer, Monsieur, l'expression de mes salutations distinguées."]))]);
    setup(dirs.path(), Some(&server.base_url()), "local");
    let app = App::start(dirs.path(), &[]);
    open_template(&app, "reponse-citoyen");
    // The signatory is a choice among the configured ones, or a function typed.
    let options = app.js("return [...document.querySelectorAll('#field-signataire option')].map(o => [o.value, o.textContent])");
    assert_eq!(options[1], json!(["president", "Le Président du Conseil de la Commune d'Oujda"]), "{options}");
    assert_eq!(options[2], json!(["dgs", "Le Directeur Général des Services"]), "{options}");
    assert_eq!(options[3][1], json!("Autre fonction (à saisir)"), "{options}");
    assert!(!visible(&app, "#field-signataire-other"), "the typed function appears only when asked for");
    // A default that depends on the letter's language follows it while the user has not changed it.
    assert_eq!(field_value(&app, "ville"), "Oujda");
    app.select("#field-langue", "ar");
    assert_eq!(field_value(&app, "ville"), "وجدة");
    app.select("#field-langue", "fr");
    assert_eq!(field_value(&app, "ville"), "Oujda");
    // The refusal's grounds appear, and become required, only for a refusal.
    app.click("#load-sample");
    app.wait_js("return document.querySelector('[name=\"objet\"]').value.length > 0", SECS);
    assert!(!visible(&app, ".field[data-field=\"motifs\"]"), "no grounds for a favourable answer");
    assert!(visible(&app, "#field-signataire-other"), "the sample's typed function is kept as typed");
    assert_eq!(field_value(&app, "signataire-other"), "Le Président du Conseil de la Commune d'Oujda");
    app.select("#field-nature_reponse", "refus");
    assert!(visible(&app, ".field[data-field=\"motifs\"]"), "grounds shown for a refusal");
    assert!(visible(&app, ".field[data-field=\"motifs\"] .req"), "and required");
    assert!(visible(&app, ".field[data-field=\"base_legale\"]"));
    app.select("#field-signataire", "dgs");
    assert!(!visible(&app, "#field-signataire-other"));
    app.clear("[name=\"elements\"]");
    app.type_into("[name=\"elements\"]", "Demande d'occupation du domaine public refusée.");
    app.click("#generate");
    app.wait_js("return document.querySelector('.field[data-field=\"motifs\"]').classList.contains('invalid')", SECS);
    assert!(server.requests().iter().all(|r| !r.path.contains("chat")), "nothing sent while the grounds are missing");
    app.type_into("[name=\"motifs\"]", "Le trottoir concerné est réservé à la circulation des piétons (arrêté n° 37/2026).");
    app.click("#generate");
    app.wait_js("return document.querySelector('#answer-preview').textContent.includes('salutations distinguées')", SECS);
    let sent = server.wait_for(1, SECS);
    let body = sent.iter().find(|r| r.path.ends_with("/chat/completions")).expect("a chat request").body.clone();
    assert!(body.contains("réservé à la circulation des piétons"), "the grounds reach the prompt");
    app.click("#export-docx");
    app.wait_js("return document.querySelector('#export-result') && document.querySelector('#export-result').textContent.includes('.docx')", SECS);
    let text = docx_text(&exported(dirs.path(), "docx")[0]);
    assert!(text.contains("Le Directeur Général des Services") && text.contains("Karim Alaoui"), "{text}");
    assert!(text.contains("Pour le Président et par délégation"), "the configured delegation: {text}");
    assert!(!text.contains("Mohammed Benali"), "never the President's name under the DGS: {text}");
    let top = |css: &str| app.js(&format!("const f = document.querySelector('#form-column'); f.scrollTop += document.querySelector({}).getBoundingClientRect().top - f.getBoundingClientRect().top - 8; return true", json!(css)));
    top(".field[data-field=\"elements\"]");
    shot(&app, "fr-formulaire-motifs");
    top(".field[data-field=\"date\"]");
    shot(&app, "fr-formulaire-signataire");
    // The same form in Arabic: mirrored, labels in Arabic, the signatories' Arabic functions.
    app.click("#lang-ar");
    app.wait_js("return document.documentElement.dir === 'rtl' && [...document.querySelectorAll('#field-signataire option')].some(o => o.textContent === 'المدير العام للمصالح')", SECS);
    assert_eq!(app.js("return document.querySelector('#field-signataire').value"), json!("dgs"), "the choice survives the language switch");
    // An Arabic letter, for the Arabic screenshots: its sample, a refusal, its grounds.
    app.select("#sample-select", "ar");
    app.click("#load-sample");
    app.wait_js("return document.querySelector('#field-langue').value === 'ar'", SECS);
    app.select("#field-nature_reponse", "refus");
    app.type_into("[name=\"motifs\"]", "الرصيف المعني مخصص لمرور الراجلين بمقتضى القرار رقم 37/2026، ولا يجوز احتلاله لأغراض تجارية.");
    app.select("#field-signataire", "dgs");
    top(".field[data-field=\"elements\"]");
    shot(&app, "ar-formulaire-motifs");
    top(".field[data-field=\"date\"]");
    shot(&app, "ar-formulaire-signataire");
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn a_date_is_typed_and_shown_dd_mm_yyyy_under_an_english_locale() {
    let _g = guard();
    let dirs = sandbox();
    let english = [("LANG", "en_US.UTF-8".to_string()), ("LC_ALL", "en_US.UTF-8".to_string()), ("LANGUAGE", "en_US".to_string())];
    let app = App::start(dirs.path(), &english);
    let nav = app.js("return navigator.language");
    assert!(nav.as_str().is_some_and(|l| l.starts_with("en")), "the window runs under an English locale: navigator.language = {nav}");
    open_template(&app, "reponse-citoyen");
    app.click("#load-sample");
    app.wait_js("return document.querySelector('[name=\"objet\"]').value.length > 0", SECS);
    // The sample's 2026-11-16 is shown the French and Arabic way, whatever the locale.
    assert_eq!(field_value(&app, "date"), "16/11/2026");
    // Typed digit by digit, the slashes come by themselves; shown as typed.
    app.clear("#field-date");
    app.type_into("#field-date", "16112026");
    assert_eq!(field_value(&app, "date"), "16/11/2026");
    app.clear("#field-date");
    app.type_into("#field-date", "31/02/2026");
    app.click("#generate");
    app.wait_js("const e = document.querySelector('#field-date-error'); return e && !e.hidden && e.textContent.includes('date')", SECS);
    // The calendar writes dd/mm/yyyy too.
    app.click(".field[data-field=\"date\"] .date-pick");
    app.click(".cal-pop .cal-day:nth-of-type(1)");
    let picked = field_value(&app, "date");
    assert!(picked.len() == 10 && picked.starts_with("01/") && &picked[5..6] == "/", "{picked}");
    app.clear("#field-date");
    app.type_into("#field-date", "16/11/2026");
    assert_eq!(field_value(&app, "date"), "16/11/2026");
    // Sent as typed, normalised by core: the practice answer of the sample still replays (its
    // key holds the date as 2026-11-16), and the letter is dated 16 November.
    app.click("#generate");
    app.wait_js("return document.querySelector('#answer-preview').textContent.includes('Monsieur') && !document.querySelector('#export-docx').disabled", Duration::from_secs(60));
    assert!(!visible(&app, "#field-date-error"));
    let stats = app.js("return document.querySelector('#gen-stats').textContent");
    assert!(stats.as_str().is_some_and(|s| s.contains("practice")), "the practice answer replayed to its end: {stats}");
    app.click("#export-docx");
    app.wait_js("return document.querySelector('#export-result') && document.querySelector('#export-result').textContent.includes('.docx')", SECS);
    let text = docx_text(&exported(dirs.path(), "docx")[0]);
    assert!(text.contains("16 novembre 2026"), "{text}");
    assert_eq!(field_value(&app, "date"), "16/11/2026", "still shown as typed");
}

/// Reads the replacements table of the "what leaves" panel: (placeholder, value).
fn replacements(app: &App) -> Vec<(String, String)> {
    let rows = app.js("return [...document.querySelectorAll('#masked-table tbody tr')].map(r => [r.cells[0].textContent, r.cells[2].textContent])");
    rows.as_array().unwrap().iter().map(|r| (r[0].as_str().unwrap().to_string(), r[1].as_str().unwrap().to_string())).collect()
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn a_cloud_run_sends_placeholders_restores_the_answer_and_is_in_the_history() {
    let _g = guard();
    let dirs = sandbox();
    let server = Server::start(vec![]);
    setup(dirs.path(), Some(&server.base_url()), "cloud");
    let app = App::start(dirs.path(), &[("KATIB_API_KEY", "sk-e2e-cloud".to_string())]);
    open_template(&app, "reponse-citoyen");
    let letter = "Je soussigné M. Youssef Amrani, titulaire de la CIN AB123456, téléphone 0661 23 45 67, \
                  courriel y.amrani@exemple.ma, demeurant Hay Al Qods, rue Al Mansour Eddahbi, n° 27, \
                  signale que l'éclairage public de ma rue est hors service depuis le 3 octobre 2026.";
    let originals = ["Youssef Amrani", "AB123456", "0661 23 45 67", "y.amrani@exemple.ma"];
    app.type_into("[name=\"lettre_texte\"]", letter);
    app.type_into("[name=\"elements\"]", "Réclamation fondée ; travaux de remise en service du 23 au 27 novembre 2026.");
    app.type_into("[name=\"objet\"]", "Réponse à votre réclamation relative à l'éclairage public");
    app.type_into("[name=\"destinataire\"]", "Monsieur Youssef Amrani\nHay Al Qods, rue Al Mansour Eddahbi, n° 27\n60000 Oujda");
    app.type_into("#field-date", "16/11/2026");
    app.select("#field-signataire", "president");
    // What leaves: placeholders, never the values; the values only in the local table.
    app.click("#prompt-panel summary");
    app.wait_js("return document.querySelectorAll('#masked-table tbody tr').length >= 4", SECS);
    let user = app.text("#prompt-user");
    for o in originals {
        assert!(!user.contains(o), "'{o}' in the message that leaves: {user}");
    }
    let table = replacements(&app);
    let ph = |value: &str| table.iter().find(|(_, v)| v.contains(value)).map(|(p, _)| p.clone()).unwrap_or_else(|| panic!("{value} not replaced: {table:?}"));
    let (nom, cin, tel) = (ph("Youssef Amrani"), ph("AB123456"), ph("0661"));
    assert!(user.contains(&nom) && user.contains(&cin), "{user}");
    assert!(app.text("#outgoing-route").contains("cloud"), "the route and data class are said");
    assert!(visible(&app, "#unmask-open"), "sending unmasked is offered, behind a confirmation");
    app.js("const f = document.querySelector('#form-column'); f.scrollTop += document.querySelector('#prompt-panel').getBoundingClientRect().top - f.getBoundingClientRect().top - 8; return true");
    shot(&app, "fr-ce-qui-quitte");
    // The confirmation asks for a name and a tick before its button works; cancelled here.
    app.click("#unmask-open");
    app.wait_for("#unmask-dialog[open]", SECS);
    assert_eq!(app.js("return document.querySelector('#unmask-confirm').disabled"), json!(true));
    app.type_into("#unmask-name", "Samira Idrissi");
    assert_eq!(app.js("return document.querySelector('#unmask-confirm').disabled"), json!(true), "the box must be ticked too");
    app.click("#unmask-dismiss");
    // The model answers with the placeholders, split across chunks, and invents one.
    let split = |p: &str| (p[..3].to_string(), p[3..].to_string());
    let (n1, n2) = split(&nom);
    let (c1, c2) = split(&cin);
    let tokens = vec![
        "Monsieur ".to_string(), n1, format!("{n2},\n\nEn réponse à votre réclamation (CIN "), c1, format!("{c2}), j'ai l'honneur "),
        format!("de vous informer que les travaux seront exécutés du 23 au 27 novembre 2026. Le service vous contactera au {tel}.\n\n"),
        "Copie est adressée à [NOM_9].\n\nVeuillez agréer, Monsieur, l'expression de mes salutations distinguées.".to_string(),
    ];
    server.set_scripts(vec![Script::Sse(Sse::tokens(&tokens))]);
    app.click("#generate");
    app.wait_js("return document.querySelector('#answer-preview').textContent.includes('salutations distinguées')", SECS);
    let preview = app.text("#answer-preview");
    assert!(preview.contains("Monsieur Youssef Amrani,") && preview.contains("CIN AB123456") && preview.contains("0661 23 45 67"), "restored: {preview}");
    for p in [&nom, &cin, &tel] {
        assert!(!preview.contains(p.as_str()), "{p} left in the answer: {preview}");
    }
    assert_eq!(app.js("return [...document.querySelectorAll('#answer-preview mark.invented')].map(m => m.textContent)"), json!(["[NOM_9]"]), "the invented one is flagged");
    assert!(app.text("#restore-note").contains("[NOM_9]"));
    shot(&app, "fr-reponse-restauree");
    // Not one original value reached the server.
    let requests = server.wait_for(1, SECS);
    for r in &requests {
        for o in originals {
            assert!(!r.body.contains(o), "'{o}' reached the server: {}", r.body);
        }
    }
    assert!(requests.iter().any(|r| r.body.contains(&nom)), "the placeholders did");
    app.click("#export-docx");
    app.wait_js("return document.querySelector('#export-result') && document.querySelector('#export-result').textContent.includes('.docx')", SECS);
    let text = docx_text(&exported(dirs.path(), "docx")[0]);
    assert!(text.contains("Monsieur Youssef Amrani,") && text.contains("CIN AB123456") && !text.contains(&nom), "the .docx is restored: {text}");

    // The History lists the run; search finds it; its detail shows what left.
    app.click("#nav-history");
    app.wait_js("return document.querySelectorAll('#history-list .history-item').length === 1", SECS);
    app.wait_js("return document.querySelector('#history-detail-title') !== null", SECS);
    app.click("#history-outgoing summary");
    app.wait_js("return document.querySelector('#history-outgoing .outgoing-table') !== null", SECS);
    let past = app.text("#history-outgoing");
    assert!(past.contains(&nom) && past.contains("Youssef Amrani"), "placeholders sent and their values, kept here: {past}");
    shot(&app, "fr-historique");
    app.type_into("#history-search", "eclairage amrani");
    app.wait_js("return document.querySelector('#history-list .hi-snippet mark') !== null", SECS);
    app.clear("#history-search");
    app.type_into("#history-search", "nulle-part");
    app.wait_js("return document.querySelectorAll('#history-list .history-item').length === 0", SECS);
    app.clear("#history-search");
    app.type_into("#history-search", "Amrani");
    app.wait_js("return document.querySelectorAll('#history-list .history-item').length === 1", SECS);
    // Reopened in the template screen with its form and answer, then exported as the final
    // version: the letter had no N°, the register gives it one.
    app.click("#history-reopen");
    app.wait_js("return !document.querySelector('#template-view').hidden && document.querySelector('#answer-editor').value.includes('Youssef Amrani')", SECS);
    assert_eq!(field_value(&app, "objet"), "Réponse à votre réclamation relative à l'éclairage public");
    assert_eq!(field_value(&app, "date"), "16/11/2026");
    assert_eq!(app.js("return document.querySelector('#field-signataire').value"), json!("president"));
    app.click("#export-final");
    app.wait_js("return document.querySelector('#export-number') !== null", SECS);
    assert!(app.text("#export-number").contains("0001/DAG/2026"), "{}", app.text("#export-number"));
    assert_eq!(field_value(&app, "numero"), "0001/DAG/2026", "the number is the letter's now");
    let last = exported(dirs.path(), "docx");
    let final_text = docx_text(last.iter().max_by_key(|p| std::fs::metadata(p).unwrap().modified().unwrap()).unwrap());
    assert!(final_text.contains("0001/DAG/2026"), "{final_text}");
    app.click("#nav-history");
    app.click("#history-tab-register");
    app.wait_js("return document.querySelector('#register-table') && document.querySelector('#register-table').textContent.includes('0001/DAG/2026')", SECS);
    // In Arabic: the same screens mirrored.
    app.click("#history-tab-runs");
    app.wait_js("return document.querySelector('#history-detail-title') !== null", SECS);
    app.click("#lang-ar");
    app.wait_js("return document.documentElement.dir === 'rtl' && document.querySelector('#history-view .page-title').textContent === 'السجل'", SECS);
    app.js("document.querySelector('#history-outgoing').open = true; return true");
    shot(&app, "ar-historique");
    app.click("#nav-home");
    app.click("#resume-draft");
    app.wait_js("return !document.querySelector('#template-view').hidden", SECS);
    app.wait_js("return document.querySelectorAll('#masked-table tbody tr').length >= 4", SECS);
    app.js("const f = document.querySelector('#form-column'); f.scrollTop += document.querySelector('#prompt-panel').getBoundingClientRect().top - f.getBoundingClientRect().top - 8; return true");
    shot(&app, "ar-ce-qui-quitte");
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn settings_edit_signatories_and_data_classes_and_show_the_policy_locks() {
    let _g = guard();
    let dirs = sandbox();
    setup(dirs.path(), Some("https://llm.exemple.ma/v1"), "sovereign");
    let policy = dirs.path().join("policy.toml");
    std::fs::write(&policy, "force_pseudonymisation = true\nallowed_data_classes = [\"local\", \"sovereign\"]\nhistory_required = true\n").unwrap();
    let app = App::start(dirs.path(), &[("KATIB_POLICY_FILE", policy.display().to_string())]);
    app.click("#settings");
    app.wait_for("#profile-form", SECS);
    app.wait_js("return document.querySelectorAll('#signatory-list .sig-item').length === 2", SECS);
    // The policy is named and what it locks is locked.
    app.wait_js("const b = document.querySelector('#policy-banner'); return b && !b.hidden", SECS);
    assert!(app.text("#policy-banner").contains("policy.toml"));
    assert_eq!(app.js("const c = document.querySelector('#history-enabled'); return [c.checked, c.disabled]"), json!([true, true]));
    assert!(app.text("#profile-service").contains("souverain"), "{}", app.text("#profile-service"));
    app.click("#profile-service [data-action=\"edit\"]");
    app.wait_js("return document.querySelector('#profile-data-class').value === 'sovereign'", SECS);
    assert_eq!(app.js("const c = document.querySelector('#profile-pseudonymise'); return [c.checked, c.disabled]"), json!([true, true]), "pseudonymisation forced");
    assert_eq!(app.js("return document.querySelector('#profile-data-class option[value=\"cloud\"]').disabled"), json!(true), "cloud not allowed");
    shot(&app, "fr-parametres");
    // A third signatory, saved to config.toml through core.
    app.click("#add-signatory");
    app.type_into("#sig-3-id", "chef-dt");
    app.type_into("#sig-3-function", "Le Chef de la Division technique");
    app.type_into("#sig-3-function-ar", "رئيس القسم التقني");
    app.type_into("#sig-3-name", "Nadia Berrada");
    app.js("document.querySelector('#save-signatories').scrollIntoView({block: 'center'}); document.querySelector('#save-signatories').click(); return true");
    let cfg = dirs.path().join("config/config.toml");
    wait_file_contains(&cfg, "Le Chef de la Division technique");
    assert!(std::fs::read_to_string(&cfg).unwrap().contains("id = \"chef-dt\""));
    // A duplicate id is refused in place, nothing written.
    app.click("#add-signatory");
    app.type_into("#sig-4-id", "dgs");
    app.type_into("#sig-4-function", "Doublon");
    app.js("document.querySelector('#save-signatories').click(); return true");
    app.wait_js("return document.querySelector('.sig-item[data-n=\"4\"]').classList.contains('invalid')", SECS);
    assert!(!std::fs::read_to_string(&cfg).unwrap().contains("Doublon"));
    app.js("document.querySelector('.sig-item[data-n=\"4\"] .sig-remove').click(); document.querySelector('#signatories-section').scrollIntoView(); return true");
    shot(&app, "fr-parametres-signataires");
    // The new signatory is offered by the letters' forms.
    app.click("#nav-home");
    open_template(&app, "reponse-citoyen");
    app.wait_js("return [...document.querySelectorAll('#field-signataire option')].some(o => o.value === 'chef-dt')", SECS);
    // Arabic settings.
    app.click("#lang-ar");
    app.click("#settings");
    app.wait_js("return document.documentElement.dir === 'rtl' && document.querySelector('#profile-form') !== null", SECS);
    app.js("document.querySelector('#main').scrollTop = 0; document.querySelector('#settings-view').scrollTop = 0; return true");
    shot(&app, "ar-parametres");
    app.js("document.querySelector('#signatories-section').scrollIntoView(); return true");
    shot(&app, "ar-parametres-signataires");
}

/// The window's "Publipostage" on the convocation sample, offline (practice mode): the sample's
/// sheet and mapping, the draft written (replayed) then approved, the output folder (KATIB_PICK_DIR:
/// no dialog), Start, the per-row table to the end; the letters and publipostage.docx are on disk
/// and read back. The CLI equivalent is `katib merge convocation --sample commission`.
#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn mail_merge_draft_mode_to_the_end() {
    let _g = guard();
    let dirs = sandbox();
    let out = dirs.path().join("lettres");
    let app = App::start(dirs.path(), &[("KATIB_PICK_DIR", out.display().to_string())]);
    open_template(&app, "convocation");
    app.click("#open-merge");
    app.wait_for("#merge-sample option[value=\"commission\"]", SECS);
    app.js("document.querySelector('#merge-sample').value = 'commission'");
    app.click("#merge-use-sample");
    // The plan: the mapping (the sample's composed addressee), the first letter's preview.
    app.wait_js("return document.querySelectorAll('#merge-map-body tr').length > 3 && document.querySelector('#merge-previews details')", SECS);
    let addressee = app.js("return document.querySelector('.merge-source[data-field=\"destinataire\"]').value");
    // A line break in a composed source is written `\n`, as on the command line.
    assert_eq!(addressee, json!("{Civilité} {Prénom} {Nom}\\n{Qualité}"));
    let info = app.text("#merge-sheet-info");
    assert!(info.contains("lettres prêtes"), "{info}");
    assert!(app.js("return document.querySelector('#merge-start').disabled").as_bool().unwrap(), "Start waits for the approved draft");
    shot(&app, "fr-publipostage");

    app.click("#merge-write-draft");
    app.wait_js("return !document.querySelector('#merge-approve').hidden && !document.querySelector('#merge-approve').disabled && document.querySelector('#merge-draft').value.includes('{{')", Duration::from_secs(60));
    app.click("#merge-approve");
    app.wait_js("return !document.querySelector('#merge-approved').hidden", SECS);
    // The previews are now the first letters, filled from the sheet.
    let first = app.js("return document.querySelector('#merge-previews details pre').textContent");
    assert!(!first.as_str().unwrap().contains("{{"), "{first}");
    app.click("#merge-pick-folder");
    app.wait_js(&format!("return document.querySelector('#merge-out-dir').textContent === {}", json!(out.display().to_string())), SECS);
    app.click("#merge-start");
    app.wait_js("return !document.querySelector('#merge-result').hidden", Duration::from_secs(120));
    let ready = app.js("return document.querySelectorAll('#merge-rows-body tr').length").as_u64().unwrap();
    assert!(ready >= 2, "{ready} rows in the status table");
    let done = app.js("return document.querySelectorAll('#merge-rows-body tr[data-status=\"done\"]').length").as_u64().unwrap();
    assert_eq!(done, ready, "every row done: {}", app.text("#merge-rows"));
    let rows: Vec<u64> = serde_json::from_value(app.js("return [...document.querySelectorAll('#merge-rows-body tr')].map((tr) => Number(tr.dataset.row))")).unwrap();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "the table keeps the sheet's order: {rows:?}");
    assert!(app.text("#merge-result").contains("lettre"), "{}", app.text("#merge-result"));
    assert!(!app.js("return document.querySelector('#merge-open-combined').hidden").as_bool().unwrap());
    app.js("document.querySelector('#merge-run-card').scrollIntoView()");
    shot(&app, "fr-publipostage-fin");

    // On disk: a letter per row (the table's file names), and the combined document.
    let combined = out.join("publipostage.docx");
    assert!(combined.is_file(), "{}", combined.display());
    let all = docx_text(&combined);
    let files: Vec<String> = serde_json::from_value(app.js("return [...document.querySelectorAll('#merge-rows-body tr td:nth-child(3)')].map((td) => td.textContent)")).unwrap();
    assert_eq!(files.len() as u64, ready);
    for f in &files {
        let text = docx_text(&out.join(f));
        assert!(text.contains("Objet : Convocation") && !text.contains("{{"), "{f}: {text}");
        let name_line = text.lines().find(|l| l.starts_with("Monsieur") || l.starts_with("Madame")).unwrap_or_else(|| panic!("{f}: no addressee line: {text}"));
        assert!(all.contains(name_line), "{f}'s addressee ({name_line}) is in the combined document");
    }
    assert!(out.join("publipostage-suivi.xlsx").is_file());

    // In Arabic the screen mirrors; the folder now holds a finished merge, not one to resume.
    app.click("#lang-ar");
    app.wait_js("return document.documentElement.dir === 'rtl' && document.querySelector('#merge-start').textContent.includes('إطلاق')", SECS);
    assert!(app.js("return document.querySelector('#merge-resume').hidden").as_bool().unwrap());
    app.js("document.querySelector('#merge-view').scrollTop = 0");
    shot(&app, "ar-publipostage");
}
