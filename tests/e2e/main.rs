//! End to end in the real window: the desktop app built from src-tauri, driven through
//! tauri-driver + WebKitWebDriver under Xvfb (tests/run.sh sets that up). Each scenario starts the
//! app afresh with its own config, data and export folders.
//!
//! They need a display and the drivers: `#[ignore]`d under a plain `cargo test` (which says so),
//! run by tests/run.sh, and a failure when the window cannot be driven.

mod webdriver;

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
    shot(&app, "fr-parametres");
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
    shot(&app, "ar-parametres");
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
