//! The workshop in the real window: the IA Starter pack opened, an exercise done offline
//! (practice replays the variant of the learner's name), its rubric after the generation and
//! after an edit, the Word export and the hand-in; the template editor (a variable typed changes
//! the preview, a syntax error shows its line); the same exercise screen in Arabic. A trainer's
//! pack built in the window (draft, exercise with its rubric, answers recorded from a loopback
//! endpoint, check, export), then imported by a fresh profile through the drop path and replayed
//! offline. And peer review across three computers (three sandboxes): a learner hands in an
//! exercise, a second reviews it, the first imports the review, the trainer gathers the room's
//! files into the results table and its .xlsx. The editor's form for a template's fields and its
//! preview on values typed; a prompt edited for one run and the two answers side by side.

use std::path::{Path, PathBuf};
use std::time::Duration;

use calamine::{open_workbook, Data, Reader, Xlsx};
use katib_testserver::{Script, Server, Sse};
use serde_json::json;

use super::{docx_text, exported, guard, profile_on, repo, sandbox, setup, App, SECS};

const PACK: &str = "ia-starter";

/// The saved answers of an exercise file, in their order (the variant numbers).
fn saved_answers(exercise_file: &str) -> Vec<String> {
    let dir = repo().join("packs").join(PACK);
    let ex: toml::Value = toml::from_str(&std::fs::read_to_string(dir.join("exercises").join(exercise_file)).unwrap()).unwrap();
    ex["answers"].as_array().unwrap().iter().map(|a| std::fs::read_to_string(dir.join(a["file"].as_str().unwrap())).unwrap()).collect()
}

fn checks_in(exercise_file: &str) -> usize {
    let path = repo().join("packs").join(PACK).join("exercises").join(exercise_file);
    let ex: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    ex["checks"].as_array().map_or(0, Vec::len)
}

fn start_exercise(app: &App, id: &str) {
    app.click(&format!(".ws-pack-card[data-id=\"{PACK}\"]"));
    app.click(&format!(".ws-start[data-exercise=\"{id}\"]"));
    app.wait_js("const p = document.querySelector('#ws-prompt-user'); return p && p.value.length > 200", SECS);
}

/// Generates (practice) and waits for the rubric; returns the answer shown and the variant.
fn generate(app: &App) -> (String, usize) {
    app.click("#ws-generate");
    app.wait_js("return !!document.querySelector('#ws-score') && !document.querySelector('#ws-generate').hidden", Duration::from_secs(60));
    let answer = app.js("return document.querySelector('#ws-answer').value").as_str().unwrap().to_string();
    let variant = app.js("const v = document.querySelector('#ws-variant'); return v ? v.dataset.i18nArgs : ''").as_str().unwrap_or("").to_string();
    let n: serde_json::Value = serde_json::from_str(&variant).expect("the variant the learner's name gets is shown");
    (answer, n["n"].as_u64().unwrap() as usize)
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn a_workshop_exercise_offline_with_its_rubric_then_the_template_editor() {
    let _g = guard();
    let dirs = sandbox();
    let app = App::start(dirs.path(), &[]);
    // The header's buttons work once the window has started (main.js's boot).
    app.wait_js("return document.body.classList.contains('ready')", SECS);
    app.click("#nav-workshop");
    app.wait_for(&format!(".ws-pack-card[data-id=\"{PACK}\"]"), SECS);
    // The header holds its five screens and the language switch within the window's width.
    let (scroll, width) = (app.js("return document.documentElement.scrollWidth"), app.js("return window.innerWidth"));
    assert!(scroll.as_u64() <= width.as_u64(), "the window scrolls sideways: {scroll} > {width}");

    // The learner's name, once: it picks the practice variant and goes with the hand-in.
    app.type_into("#ws-learner-name", "Salma Idrissi");
    app.type_into("#ws-learner-team", "Équipe 2");
    app.click("#ws-learner-save");
    app.wait_js("return document.querySelector('.ws-learner-label').textContent.includes('Salma Idrissi')", SECS);
    x_shot(&app, "fr-formation");

    let file = "04-reponse-citoyen.toml";
    start_exercise(&app, "j2-reponse-citoyen");
    assert!(app.text("#ws-values").contains("Al Farabi"), "the exercise's values are shown");
    let prompt = app.js("return document.querySelector('#ws-prompt-user').value").as_str().unwrap().to_string();
    assert!(prompt.contains("660 litres"), "the prompt is rendered from the exercise's values: {prompt}");

    let (answer, variant) = generate(&app);
    let saved = saved_answers(file);
    assert!((1..=saved.len()).contains(&variant), "variant {variant} of {}", saved.len());
    assert_eq!(answer.trim(), saved[variant - 1].trim(), "practice replays the saved answer of the variant shown");

    // The rubric: every check of the exercise, each passed or failed, the score over them.
    let total = checks_in(file);
    assert_eq!(app.js("return document.querySelectorAll('.ws-check').length").as_u64().unwrap() as usize, total);
    let failed = app.js("return document.querySelectorAll('.ws-check.fail').length").as_u64().unwrap() as usize;
    let flawed = variant == 3; // answers/j2-reponse-citoyen.c.md carries the invented reference
    assert_eq!(failed > 0, flawed, "variant {variant}: {failed} checks failed");
    assert!(!app.text("#ws-rubric").contains("null"), "no placeholder text in the rubric: {}", app.text("#ws-rubric"));
    let score = app.text("#ws-score");
    assert!(score.contains(&format!("{} vérifications réussies sur {total}", total - failed)), "{score}");

    // An edit is checked again: exclamation marks break the register of an official letter.
    app.js("const a = document.querySelector('#ws-answer'); a.focus(); a.setSelectionRange(a.value.length, a.value.length); return true");
    app.type_into("#ws-answer", "\n\nNous restons à votre entière disposition !!!");
    app.wait_js(&format!("return document.querySelectorAll('.ws-check.fail').length > {failed}"), SECS);
    // A self-check item ticked stays ticked in the rubric that comes back.
    app.click(".ws-self-item input");
    app.wait_js("const c = document.querySelector('.ws-self-item input'); return c && c.checked", SECS);

    // Values -> prompt -> answer -> document: the Word letter holds the edited answer.
    app.click("#ws-export-docx");
    app.wait_js("return !document.querySelector('#ws-export-result').hidden && document.querySelector('#ws-export-result').textContent.includes('.docx')", SECS);
    let exports = || -> Vec<std::path::PathBuf> { std::fs::read_dir(dirs.path().join("exports")).unwrap().flatten().map(|e| e.path()).collect() };
    let docx = exports().into_iter().find(|p| p.extension().is_some_and(|e| e == "docx")).expect("a .docx");
    let text = docx_text(&docx);
    assert!(text.contains("Nous restons à votre entière disposition !!!"), "{text}");
    // The hand-in: a .katib-rendu carrying the learner and the rubric.
    app.click("#ws-submit");
    let start = std::time::Instant::now();
    let rendu = loop {
        if let Some(p) = exports().into_iter().find(|p| p.extension().is_some_and(|e| e == "katib-rendu")) {
            break p;
        }
        assert!(start.elapsed() < SECS, "no .katib-rendu in {:?}", exports());
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(rendu.file_name().unwrap().to_string_lossy().starts_with("salma-idrissi-ia-starter-j2-reponse-citoyen"), "{rendu:?}");
    app.js("document.querySelector('#ws-rubric').scrollIntoView(); return true");
    x_shot(&app, "fr-exercice");

    // The template editor: a variable typed shows in the preview, a syntax error its line.
    app.click("#nav-editor");
    app.wait_js("const t = document.querySelector('#ed-text'); return t && t.value.length > 100 && document.querySelector('#ed-preview-user').textContent.length > 50", SECS);
    app.js("const s = document.querySelector('#ed-template'); s.value = 'reponse-citoyen'; s.dispatchEvent(new Event('change')); return true");
    app.wait_js("return document.querySelector('#ed-text').value.includes('id = \"reponse-citoyen\"') && document.querySelector('#ed-preview-user').textContent.length > 50", SECS);
    // The page previews the body itself once its module is loaded and the shell has sent the
    // context (however late the module comes); a user's first keystroke is well after that.
    app.wait_js("return document.querySelector('#editor-view').dataset.inPage === 'ready'", SECS);
    app.js("const a = document.querySelector('#ed-text'); a.focus(); a.setSelectionRange(a.value.length, a.value.length); return true");
    app.type_into("#ed-text", "\nOBJET-VERIFIE: {{ objet }}");
    let objet = app.wait_js("const m = document.querySelector('#ed-preview-user').textContent.match(/OBJET-VERIFIE: (.+)/); return m && !m[1].includes('{') && m[1].length > 10 ? m[1] : ''", SECS);
    assert!(objet.as_str().unwrap().starts_with("Réponse à votre réclamation"), "the sample's objet is written into the preview: {objet}");
    app.type_into("#ed-text", "\n{% if %}");
    let lines = app.js("return document.querySelector('#ed-text').value.split('\\n').length").as_u64().unwrap();
    let line = app.wait_js("const e = document.querySelector('#ed-error'); return e && !e.hidden ? e.dataset.line : ''", SECS);
    assert_eq!(line.as_str().unwrap(), lines.to_string(), "the error names the line typed: {}", app.text("#ed-error"));
    // Each keystroke in the body was previewed in the page first (katib-render compiled to
    // WebAssembly), and the shell's answer for the same text said the same thing every time.
    app.wait_js("return document.querySelector('#editor-view').dataset.updated && !document.querySelector('#ed-error').hidden", SECS);
    let quick: u64 = app.js("return document.querySelector('#editor-view').dataset.quick || '0'").as_str().unwrap().parse().unwrap();
    assert!(quick >= 20, "the page previewed {quick} of the 35 keystrokes itself");
    assert_eq!(app.js("return document.querySelector('#editor-view').dataset.quickDiffers || ''").as_str(), Some(""), "the in-page preview and the shell's differ (see the console)");
    // The caret on the variable explains it.
    app.js("const a = document.querySelector('#ed-text'); const i = a.value.lastIndexOf('{{ objet }}') + 3; a.focus(); a.setSelectionRange(i, i); a.dispatchEvent(new KeyboardEvent('keyup')); return true");
    app.wait_js("return document.querySelector('#ed-explain').textContent.includes('objet')", SECS);
    x_shot(&app, "fr-editeur");

    // The same exercise screen in Arabic, right to left.
    app.click("#lang-ar");
    app.wait_js("return document.documentElement.dir === 'rtl'", SECS);
    assert!(app.js("return document.documentElement.scrollWidth").as_u64() <= app.js("return window.innerWidth").as_u64(), "the Arabic header fits");
    // The screen comes back where the learner left it: the exercise, now in Arabic.
    app.click("#nav-workshop");
    app.wait_js("return document.querySelector('#ws-back-pack') && document.querySelector('#ws-back-pack').textContent.includes('برنامج')", SECS);
    app.wait_js("const s = document.querySelector('#ws-score'); return s && s.textContent.includes('من أصل')", SECS);
    app.js("document.querySelector('#ws-back-pack').click(); return true");
    app.wait_for(".ws-start[data-exercise=\"j2-demande-pieces-ar\"]", SECS);
    app.js("for (const e of document.querySelectorAll('#main, .screen')) e.scrollTop = 0; return true");
    x_shot(&app, "ar-formation");
    app.click(".ws-start[data-exercise=\"j2-demande-pieces-ar\"]");
    app.wait_js("const p = document.querySelector('#ws-prompt-user'); return p && p.value.length > 200", SECS);
    let (answer, variant) = generate(&app);
    let saved = saved_answers("05-demande-pieces-ar.toml");
    assert_eq!(answer.trim(), saved[variant - 1].trim());
    assert!(app.text("#ws-score").contains("من أصل"), "the rubric speaks Arabic: {}", app.text("#ws-score"));
    app.js("document.querySelector('#ws-rubric').scrollIntoView(); return true");
    x_shot(&app, "ar-exercice");
}

/// Sets a form control's value as typing does (an `input` event follows).
fn set_value(app: &App, css: &str, value: &str) {
    app.wait_for(css, SECS);
    app.js(&format!("const e = document.querySelector({}); e.value = {}; e.dispatchEvent(new Event('input', {{bubbles: true}})); return true", json!(css), json!(value)));
}

fn draft_dir(dirs: &Path, id: &str) -> PathBuf {
    dirs.join("data/workshop/drafts").join(id)
}

const ANSWER: [&str; 3] = [
    "Monsieur,\n\nEn réponse à votre réclamation relative à l'éclairage public, j'ai l'honneur de vous informer ",
    "que les lampadaires de la rue Al Farabi seront remplacés le 12 avril 2027 par les services techniques de la Commune.\n\n",
    "Je vous remercie de votre signalement.\n\nVeuillez agréer, Monsieur, l'expression de mes salutations distinguées.",
];

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn a_trainer_builds_a_pack_in_the_window_and_a_fresh_profile_imports_it_by_drop_and_replays_it_offline() {
    let _g = guard();
    let server = Server::start(vec![Script::Sse(Sse::tokens(&ANSWER))]);
    let trainer = sandbox();
    setup(trainer.path(), Some(&server.base_url()), "local");
    let app = App::start(trainer.path(), &[]);
    app.wait_js("return document.body.classList.contains('ready')", SECS);
    app.click("#nav-workshop");
    app.click("#ws-builder");
    app.wait_for("#wsb-new-form", SECS);

    // 1. A new pack: its manifest as the trainer typed it.
    set_value(&app, "#wsb-title-fr", "Atelier : réponses aux réclamations");
    set_value(&app, "#wsb-title-ar", "ورشة: الرد على الشكايات");
    set_value(&app, "#wsb-objectives-fr", "Rédiger une réponse à un citoyen\nVérifier les dates annoncées");
    set_value(&app, "#wsb-objectives-ar", "تحرير جواب لمواطن\nالتحقق من التواريخ المعلنة");
    set_value(&app, "#wsb-audience-fr", "Agents du bureau d'ordre");
    set_value(&app, "#wsb-duration-fr", "Une demi-journée");
    app.clear("#wsb-version");
    app.type_into("#wsb-version", "1.2");
    app.click("#wsb-lang-en");
    app.click("#wsb-create");
    let id = "atelier-reponses-aux-reclamations";
    app.wait_for(&format!("#wsb-draft[data-id=\"{id}\"]"), SECS);
    let dir = draft_dir(trainer.path(), id);
    let manifest = std::fs::read_to_string(dir.join("pack.toml")).expect("the pack's manifest is written");
    for needed in ["version = \"1.2\"", "languages = [\"fr\", \"ar\", \"en\"]", "ar = \"تحرير جواب لمواطن\"", "Une demi-journée"] {
        assert!(manifest.contains(needed), "{needed} not in {manifest}");
    }

    // A pack without an exercise is not valid: the problem is shown with its file and line.
    app.click("#wsb-validate");
    app.wait_for("#wsb-validation-head[data-ok=\"false\"]", SECS);
    let problem = app.js("const p = document.querySelector('.wsb-problem.error'); return [p.dataset.file, p.dataset.line, p.textContent]");
    assert_eq!((problem[0].as_str(), problem[1].as_str()), (Some("exercises"), Some("1")), "{problem}");
    assert!(problem[2].as_str().unwrap().contains("no exercise"), "{problem}");

    // 2. An exercise on a built-in template, its values from the template's sample.
    app.click("#wsb-add");
    app.select("#wsb-ex-template", "reponse-citoyen");
    app.wait_js("const b = document.querySelector('#wsb-ex-sample'); return b && !b.disabled && document.querySelector('#wsb-ex-values [data-field=\"objet\"]')", SECS);
    app.click("#wsb-ex-sample");
    app.wait_js("const o = document.querySelector('#wsb-ex-values [data-field=\"objet\"]'); return o && o.value.length > 10", SECS);
    // One value typed over the sample's: the exercise's own inputs. (With the sample's inputs
    // unchanged, the built-in sample's saved answer shares the replay key with the recording:
    // see the report of this change.)
    set_value(&app, "#wsb-ex-values [data-field=\"objet\"]", "Réponse à votre réclamation relative à l'éclairage public de la rue Al Farabi");
    set_value(&app, "#wsb-ex-title-fr", "Réponse sur l'éclairage public");
    set_value(&app, "#wsb-ex-title-ar", "الجواب بشأن الإنارة العمومية");
    set_value(&app, "#wsb-ex-instr-fr", "Générez la réponse, puis vérifiez la date annoncée et la formule de politesse.");
    set_value(&app, "#wsb-ex-instr-ar", "ولدوا الجواب، ثم تحققوا من التاريخ المعلن ومن عبارة الختام.");
    set_value(&app, "#wsb-ex-self-fr", "J'ai vérifié la date annoncée.");
    set_value(&app, "#wsb-ex-self-ar", "تحققت من التاريخ المعلن.");
    // The rubric, first written wrong: a length whose minimum is above its maximum.
    app.select("#wsb-ex-check-type", "length");
    app.click("#wsb-ex-check-add");
    set_value(&app, ".wsb-check[data-type=\"length\"] .wsb-min", "400");
    set_value(&app, ".wsb-check[data-type=\"length\"] .wsb-max", "20");
    app.click("#wsb-ex-save");
    let refusal = app.wait_js("const e = document.querySelector('#wsb-ex-error'); return e && !e.hidden ? e.textContent : ''", SECS);
    let refusal = refusal.as_str().unwrap();
    assert!(refusal.contains("exercises/01-") && refusal.contains(".toml:"), "the refusal names the file and line: {refusal}");
    assert!(std::fs::read_dir(dir.join("exercises")).unwrap().next().is_none(), "nothing of the refused exercise is kept");
    // Corrected, with three more checks.
    set_value(&app, ".wsb-check[data-type=\"length\"] .wsb-min", "20");
    set_value(&app, ".wsb-check[data-type=\"length\"] .wsb-max", "400");
    for kind in ["closing", "register", "facts"] {
        app.select("#wsb-ex-check-type", kind);
        app.click("#wsb-ex-check-add");
    }
    set_value(&app, ".wsb-check[data-type=\"facts\"] .wsb-facts", "12 avril 2027\nAl Farabi | Al-Farabi");
    app.js("document.querySelector('#wsb-ex-checks').scrollIntoView({block: 'start'}); return true");
    x_shot(&app, "fr-atelier-exercice");
    app.click("#wsb-ex-save");
    app.wait_js("return document.querySelectorAll('#wsb-exercises li').length === 1", SECS);
    let files: Vec<PathBuf> = std::fs::read_dir(dir.join("exercises")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let ex: toml::Value = toml::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert_eq!(ex["instructions"]["ar"].as_str(), Some("ولدوا الجواب، ثم تحققوا من التاريخ المعلن ومن عبارة الختام."));
    assert_eq!(ex["template"].as_str(), Some("reponse-citoyen"));
    assert_eq!(ex["values"]["objet"].as_str(), Some("Réponse à votre réclamation relative à l'éclairage public de la rue Al Farabi"), "the value typed over the sample's is kept");
    assert!(ex["files"].as_table().is_some_and(|f| !f.is_empty()), "the sample's file is an input of the exercise: {ex}");
    let kinds: Vec<&str> = ex["checks"].as_array().unwrap().iter().map(|c| c["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["length", "closing", "register", "facts"]);
    assert_eq!(ex["checks"][3]["facts"].to_string(), r#"["12 avril 2027", ["Al Farabi", "Al-Farabi"]]"#);
    assert_eq!(ex["self_check"][0]["ar"].as_str(), Some("تحققت من التاريخ المعلن."));
    let exercise_id = ex["id"].as_str().unwrap().to_string();

    // 3. "Enregistrer pour l'entraînement": the loopback endpoint's answer saved in the pack.
    app.wait_js("const b = document.querySelector('#wsb-record'); return b && !b.disabled && document.querySelector('#wsb-profile').value === 'service'", SECS);
    app.click("#wsb-record");
    app.wait_for("#wsb-record-status[data-state=\"done\"]", Duration::from_secs(60));
    assert_eq!(server.requests().len(), 1, "one answer asked of the endpoint");
    assert_eq!(app.js("return document.querySelectorAll('#wsb-record-log .wsb-recorded').length"), json!(1));
    assert_eq!(app.js("return document.querySelector('#wsb-exercises .chip[data-answers]').dataset.answers"), json!("1"), "the exercise now has its answer");
    let sent = ANSWER.concat();
    let saved: Vec<PathBuf> = std::fs::read_dir(dir.join("answers")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert_eq!(std::fs::read_to_string(&saved[0]).unwrap().trim(), sent.trim(), "the recorded answer is what the endpoint sent");

    // 4. Checked, then exported as a .katib (the save dialog goes to KATIB_EXPORT_DIR in tests).
    app.click("#wsb-validate");
    app.wait_for("#wsb-validation-head[data-ok=\"true\"]", SECS);
    app.click("#wsb-export");
    app.wait_for("#wsb-exported", SECS);
    let katib = exported(trainer.path(), "katib");
    assert_eq!(katib.len(), 1, "{katib:?}");
    let names: Vec<String> = zip::ZipArchive::new(std::fs::File::open(&katib[0]).unwrap()).unwrap().file_names().map(str::to_string).collect();
    for needed in ["pack.toml", "guide.md"] {
        assert!(names.iter().any(|n| n.ends_with(needed)), "{needed} not in {names:?}");
    }
    assert!(names.iter().any(|n| n.contains("answers/") && n.ends_with(".md")), "the recorded answer travels: {names:?}");
    app.js("document.querySelector('#wsb-back').scrollIntoView({block: 'start'}); return true");
    x_shot(&app, "fr-atelier-creation");
    // The same screen in Arabic: labels translated, what was typed kept.
    app.click("#lang-ar");
    app.wait_js("return document.documentElement.dir === 'rtl' && document.querySelector('#wsb-validate').textContent.includes('فحص')", SECS);
    x_shot(&app, "ar-atelier-creation");
    app.click("#wsb-add");
    app.select("#wsb-ex-template", "reponse-citoyen");
    app.wait_js("const b = document.querySelector('#wsb-ex-sample'); return b && !b.disabled", SECS);
    app.click("#wsb-ex-sample");
    app.wait_js("const o = document.querySelector('#wsb-ex-values [data-field=\"objet\"]'); return o && o.value.length > 10", SECS);
    set_value(&app, "#wsb-ex-title-ar", "الجواب بشأن الإنارة العمومية");
    set_value(&app, "#wsb-ex-instr-ar", "ولدوا الجواب، ثم تحققوا من التاريخ المعلن ومن عبارة الختام.");
    app.select("#wsb-ex-check-type", "closing");
    app.click("#wsb-ex-check-add");
    app.js("document.querySelector('#wsb-ex-form').scrollIntoView(); return true");
    x_shot(&app, "ar-atelier-exercice");
    assert_eq!(app.js("return getComputedStyle(document.querySelector('#wsb-ex-instr-ar')).direction"), json!("rtl"));
    assert_eq!(app.js("return getComputedStyle(document.querySelector('#wsb-ex-instr-fr')).direction"), json!("ltr"), "French stays left to right in the Arabic UI");
    drop(app);

    // 5. A learner's laptop: no endpoint, nothing but the .katib, handed to the page's drop
    // handler, the function the shell's `file-dropped` event calls (the drop from the desktop
    // itself: a_pack_dropped_on_the_window_from_the_desktop_is_imported).
    let learner = sandbox();
    let app = App::start(learner.path(), &[]);
    app.wait_js("return document.body.classList.contains('ready')", SECS);
    app.click("#nav-workshop");
    app.wait_for(".ws-pack-card[data-id=\"ia-starter\"]", SECS);
    assert!(app.find(&format!(".ws-pack-card[data-id=\"{id}\"]")).is_none());
    app.js(&format!("import('./js/main.js').then((m) => m.onFileDropped({{ paths: [{}], x: 200, y: 200 }})); return true", json!(katib[0])));
    app.wait_for(&format!(".ws-pack-card.ws-pack-new[data-id=\"{id}\"]"), SECS);
    assert!(app.text("#ws-import-report").contains("Atelier importé"), "{}", app.text("#ws-import-report"));
    assert!(learner.path().join("data/packs").join(id).join("pack.toml").is_file(), "the pack is in the learner's imported packs");
    app.click(&format!(".ws-pack-card[data-id=\"{id}\"]"));
    app.click(&format!(".ws-start[data-exercise=\"{exercise_id}\"]"));
    app.wait_js("const p = document.querySelector('#ws-prompt-user'); return p && p.value.length > 200", SECS);
    app.click("#ws-generate");
    app.wait_js("return !!document.querySelector('#ws-score') && !document.querySelector('#ws-generate').hidden", Duration::from_secs(60));
    let replayed = app.js("return document.querySelector('#ws-answer').value").as_str().unwrap().to_string();
    assert_eq!(replayed.trim(), sent.trim(), "offline, the recorded answer replays");
    assert_eq!(server.requests().len(), 1, "the learner's run never reached the endpoint");
    assert_eq!(app.js("return document.querySelectorAll('.ws-check').length"), json!(4));
    assert_eq!(app.js("return document.querySelectorAll('.ws-check.fail').length"), json!(0), "{}", app.text("#ws-rubric"));
}

/// The files of `ext` in `dir`, waiting (bounded) for the first one to appear.
fn wait_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let start = std::time::Instant::now();
    loop {
        let found: Vec<PathBuf> = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == ext)).collect();
        if !found.is_empty() {
            return found;
        }
        assert!(start.elapsed() < SECS, "no .{ext} in {}", dir.display());
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The whole X display as the user sees it, with ImageMagick's `import`: WebKitWebDriver's own
/// screenshot command hangs on the Formation screen (no reply, 0 % CPU, requestAnimationFrame
/// still firing; every other screen's works), not understood. Only when `KATIB_SCREENSHOTS`
/// names the folder; then a missing `import` is a failure.
fn x_shot(app: &App, name: &str) {
    let Some(dir) = std::env::var_os("KATIB_SCREENSHOTS") else { return };
    app.js("const t = document.querySelector('#toast'); if (t) t.classList.remove('show'); return true");
    std::thread::sleep(Duration::from_millis(600));
    let display = std::env::var("DISPLAY").expect("DISPLAY");
    // The root window shows whatever is on this display: another program's window on it (another
    // test run given the same display number) would be in the picture instead of ours.
    let tree = std::process::Command::new("xwininfo").args(["-display", &display, "-root", "-children"]).output().expect("xwininfo (x11-utils)");
    let windows = String::from_utf8_lossy(&tree.stdout).lines().filter(|l| l.contains("\"Katib — كاتب\"")).count();
    assert_eq!(windows, 1, "{name}: one Katib window on {display}, not {windows}: another program uses this display, pick another one");
    let out = Path::new(&dir).join(format!("{name}.png"));
    let st = std::process::Command::new("import").args(["-display", &display, "-window", "root"]).arg(&out).status().expect("ImageMagick's import");
    assert!(st.success(), "import {}", out.display());
}

fn set_learner(app: &App, name: &str, team: &str) {
    app.wait_js("return document.body.classList.contains('ready')", SECS);
    app.click("#nav-workshop");
    app.wait_for(&format!(".ws-pack-card[data-id=\"{PACK}\"]"), SECS);
    app.type_into("#ws-learner-name", name);
    app.type_into("#ws-learner-team", team);
    app.click("#ws-learner-save");
    app.wait_js(&format!("return document.querySelector('.ws-learner-label').textContent.includes({})", serde_json::json!(name)), SECS);
}

/// Ticks (or unticks) the checkbox `css` as a user does, once the rubric has settled: each tick
/// runs the rubric again, which draws its boxes anew (a box found before may be gone by the
/// click), so the click is given again until the box shows the state.
fn set_box(app: &App, css: &str, on: bool) {
    let q = serde_json::json!(css);
    let start = std::time::Instant::now();
    while app.js(&format!("const c = document.querySelector({q}); return !!c && c.checked")) != serde_json::json!(on) {
        assert!(start.elapsed() < SECS, "{css} never became {on}");
        app.js(&format!("const c = document.querySelector({q}); if (c && c.checked !== {on}) c.click(); return true"));
        std::thread::sleep(Duration::from_millis(400));
    }
}

fn cell(c: Option<&Data>) -> String {
    match c {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => format!("{f}"),
        Some(Data::Int(i)) => format!("{i}"),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other}"),
    }
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn peer_review_between_two_learners_then_the_trainers_results_table() {
    let _g = guard();
    let (a, b, trainer) = (sandbox(), sandbox(), sandbox());
    let file = "04-reponse-citoyen.toml";
    let exercise = "j2-reponse-citoyen";

    // Learner A, offline: the exercise of the built-in pack, two self-check items ticked, handed in.
    let (answer, passed, total, items) = {
        let app = App::start(a.path(), &[]);
        set_learner(&app, "Salma Idrissi", "Équipe 2");
        start_exercise(&app, exercise);
        let (answer, _) = generate(&app);
        let items = app.js("return document.querySelectorAll('#ws-rubric .ws-self-item input').length").as_u64().unwrap();
        assert!(items >= 2, "the exercise has self-check items: {items}");
        for i in 1..=2 {
            set_box(&app, &format!("#ws-rubric .ws-self-item:nth-child({i}) input"), true);
        }
        let total = checks_in(file);
        let failed = app.js("return document.querySelectorAll('#ws-rubric .ws-check.fail').length").as_u64().unwrap() as usize;
        app.click("#ws-submit");
        wait_files(&a.path().join("exports"), "katib-rendu");
        (answer, total - failed, total, items)
    };
    let rendu = wait_files(&a.path().join("exports"), "katib-rendu").remove(0);

    // Learner B, a fresh profile on another computer: opens A's submission (the open dialog takes
    // the newest .katib-rendu of KATIB_PICK_DIR), reviews it with a score, a comment, ticked items.
    let comment = "Lettre claire et courtoise ; la référence à la réclamation du citoyen mérite d'être précisée.";
    {
        let app = App::start(b.path(), &[("KATIB_PICK_DIR", a.path().join("exports").display().to_string())]);
        set_learner(&app, "Youssef Tazi", "Équipe 3");
        app.click("#ws-open-submission");
        app.wait_for("#ws-review-answer", SECS);
        assert!(app.text("#ws-body .page-title").contains("Salma Idrissi"), "{}", app.text("#ws-body .page-title"));
        let first_line = answer.lines().map(str::trim).find(|l| l.len() > 30).unwrap().replace("**", "");
        assert!(app.text("#ws-review-answer").contains(&first_line), "A's answer is shown: {}", app.text("#ws-review-answer"));
        // The same rubric, run again on this computer.
        assert_eq!(app.js("return document.querySelectorAll('#ws-review-rubric .ws-check').length").as_u64().unwrap() as usize, total);
        app.clear("#ws-review-score");
        app.type_into("#ws-review-score", "16");
        app.type_into("#ws-review-comment", comment);
        // The reviewer unticks A's second item (not convinced) and keeps the first.
        set_box(&app, "#ws-review-rubric .ws-self-item:nth-child(2) input", false);
        x_shot(&app, "fr-relecture");
        // The review screen in Arabic: the review being written survives the change of language.
        app.click("#lang-ar");
        app.wait_js("return document.documentElement.dir === 'rtl' && document.querySelector('#ws-body .page-title').textContent.includes('عمل')", SECS);
        assert_eq!(app.js("return document.querySelector('#ws-review-score').value"), serde_json::json!("16"));
        assert_eq!(app.js("return document.querySelector('#ws-review-comment').value"), serde_json::json!(comment));
        assert_eq!(app.js("return [...document.querySelectorAll('#ws-review-rubric .ws-self-item input')].slice(0, 2).map((c) => c.checked)"), serde_json::json!([true, false]));
        x_shot(&app, "ar-relecture");
        app.click("#ws-review-write");
        wait_files(&b.path().join("exports"), "katib-avis");
    }
    let avis = wait_files(&b.path().join("exports"), "katib-avis").remove(0);
    let review: serde_json::Value = serde_json::from_slice(&std::fs::read(&avis).unwrap()).expect("a .katib-avis is JSON");
    assert_eq!(review["score"], 16, "{review}");
    assert_eq!(review["reviewer"]["name"], "Youssef Tazi");
    assert_eq!(review["comment"], comment);
    let ticked: Vec<bool> = review["self_check"].as_array().unwrap().iter().map(|x| x["ticked"].as_bool().unwrap()).collect();
    assert_eq!(ticked[..2], [true, false], "the reviewer kept A's first item and unticked the second: {review}");

    // A imports the review and sees it.
    {
        let app = App::start(a.path(), &[("KATIB_PICK_DIR", b.path().join("exports").display().to_string())]);
        app.wait_js("return document.body.classList.contains('ready')", SECS);
        app.click("#nav-workshop");
        app.click("#ws-import-review");
        app.wait_for("#ws-received", SECS);
        let received = app.text("#ws-received");
        assert!(received.contains("Youssef Tazi") && received.contains("16 / 20") && received.contains("référence à la réclamation"), "{received}");
    }

    // The trainer gathers the room's files in one folder: the results table, then its workbook.
    let room = trainer.path().join("salle");
    std::fs::create_dir_all(&room).unwrap();
    for f in [&rendu, &avis] {
        std::fs::copy(f, room.join(f.file_name().unwrap())).unwrap();
    }
    let app = App::start(trainer.path(), &[("KATIB_PICK_DIR", room.display().to_string())]);
    app.wait_js("return document.body.classList.contains('ready')", SECS);
    app.click("#nav-workshop");
    app.click("#ws-results");
    app.wait_for("#ws-results-table", SECS);
    let table = app.text("#ws-results-table");
    assert!(table.contains("Salma Idrissi (Équipe 2)"), "{table}");
    assert!(table.contains(&format!("{passed}/{total} · pairs 16/20")), "rubric and peer score: {table}");
    x_shot(&app, "fr-resultats");
    app.click("#ws-results-export");
    let xlsx = wait_files(&trainer.path().join("exports"), "xlsx").remove(0);
    std::thread::sleep(Duration::from_millis(300));
    let mut book: Xlsx<_> = open_workbook(&xlsx).expect("the results workbook");
    let rendus = book.worksheet_range("Rendus").expect("sheet Rendus");
    let rows: Vec<Vec<String>> = rendus.rows().map(|r| r.iter().map(|c| cell(Some(c))).collect()).collect();
    assert_eq!(rows[0][..6], ["Apprenant", "Équipe", "Exercice", "Titre", "Critères réussis", "Critères"].map(String::from), "{rows:?}");
    assert_eq!(rows.len(), 2, "one submission: {rows:?}");
    let r = &rows[1];
    assert_eq!((r[0].as_str(), r[1].as_str()), ("Salma Idrissi", "Équipe 2"), "{r:?}");
    assert!(!r[3].is_empty(), "the exercise's title: {r:?}");
    assert_eq!((r[4].clone(), r[5].clone()), (passed.to_string(), total.to_string()), "rubric result: {r:?}");
    assert_eq!(r[7], format!("2/{items}"), "A's self-assessment, two items ticked: {r:?}");
    assert_eq!((r[9].as_str(), r[10].as_str()), ("16", "1"), "peer mean and reviews: {r:?}");
    let avis_sheet = book.worksheet_range("Avis").expect("sheet Avis");
    let rv: Vec<Vec<String>> = avis_sheet.rows().map(|r| r.iter().map(|c| cell(Some(c))).collect()).collect();
    assert_eq!(rv.len(), 2, "{rv:?}");
    assert_eq!((rv[1][0].as_str(), rv[1][2].as_str(), rv[1][3].as_str()), ("Salma Idrissi", "Youssef Tazi", "16"), "{rv:?}");
    assert_eq!(rv[1][4], comment, "{rv:?}");
    // The results in Arabic.
    app.click("#lang-ar");
    app.wait_js("return document.documentElement.dir === 'rtl' && document.querySelector('#ws-body .page-title').textContent.includes('نتائج')", SECS);
    x_shot(&app, "ar-resultats");
}
/// Opens the template editor on template `id`, its text loaded and its preview rendered.
fn open_editor(app: &App, id: &str) {
    app.click("#nav-editor");
    app.wait_js("const t = document.querySelector('#ed-text'); return t && t.value.length > 100 && document.querySelector('#ed-preview-user').textContent.length > 50", SECS);
    app.js(&format!("const s = document.querySelector('#ed-template'); s.value = '{id}'; s.dispatchEvent(new Event('change')); return true"));
    app.wait_js(&format!("return document.querySelector('#ed-text').value.includes('id = \"{id}\"') && document.querySelector('#ed-preview-user').textContent.length > 50"), SECS);
}

fn editor_text(app: &App) -> String {
    app.js("return document.querySelector('#ed-text').value").as_str().unwrap().to_string()
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn the_editor_s_field_form_rewrites_the_text_and_the_preview_follows_the_form() {
    let _g = guard();
    let dirs = sandbox();
    let app = App::start(dirs.path(), &[]);
    app.wait_js("return document.body.classList.contains('ready')", SECS);
    // A workshop pack's template is the pack's: named so, saved as one's own copy, never reset.
    open_editor(&app, "atelier-accuse-reception");
    let option = app.js("const s = document.querySelector('#ed-template'); return s.options[s.selectedIndex].textContent");
    assert!(option.as_str().unwrap().ends_with("· atelier"), "{option}");
    assert!(app.text("#ed-status").starts_with("Modèle d’un atelier (atelier-accuse-reception.md)"), "{}", app.text("#ed-status"));
    assert_eq!(app.js("return document.querySelector('#ed-reset').hidden"), serde_json::json!(true), "no reset for a pack's template");
    // Its preview is on the first exercise's inputs (it has no sample of its own).
    app.wait_js("return document.querySelector('#ed-preview-user').textContent.includes('Nature du dossier : Demande d\\'autorisation d\\'exploitation d\\'une épicerie')", SECS);
    open_editor(&app, "reponse-citoyen");
    let sample_preview = app.text("#ed-preview-user");
    assert!(sample_preview.contains("Réponse à votre réclamation"), "the preview starts on the sample: {sample_preview}");

    // The fields as a form: the field « objet » edited through it.
    app.click("#ed-tab-fields");
    app.click(".edf-item[data-name=\"objet\"] .edf-pick");
    app.wait_for("#edf-label-fr", SECS);
    assert_eq!(app.js("return document.querySelector('#edf-name').value"), serde_json::json!("objet"));
    let before = editor_text(&app);
    app.clear("#edf-label-fr");
    app.type_into("#edf-label-fr", "Objet de la réclamation traitée");
    app.clear("#edf-label-ar");
    app.type_into("#edf-label-ar", "موضوع الشكاية المعالجة");
    let text = app.wait_js("const v = document.querySelector('#ed-text').value; return v.includes('موضوع الشكاية المعالجة') ? v : ''", SECS);
    let text = text.as_str().unwrap();
    let entry = text.split("[[fields]]").find(|e| e.contains("name = \"objet\"")).expect("the objet entry");
    assert!(entry.contains("fr = \"Objet de la réclamation traitée\"") && entry.contains("ar = \"موضوع الشكاية المعالجة\""), "the label is rewritten in the objet entry: {entry}");
    // Only that entry changed: the body is as it was.
    let body = |t: &str| t.rsplit("\n+++\n").next().unwrap().to_string();
    assert_eq!(body(text), body(&before), "the template's body is untouched");
    // The analysis follows the new text: the variable's explanation names the new label.
    app.wait_js("return [...document.querySelectorAll('.ed-token')].some(b => b.title.includes('« Objet de la réclamation traitée »'))", SECS);
    // A bad name is refused in the user's language, and the text stays as it was.
    let good = editor_text(&app);
    app.clear("#edf-name");
    app.type_into("#edf-name", "Objet du courrier");
    app.wait_js("const e = document.querySelector('#edf-error'); return e && !e.hidden && e.textContent.includes('Nom de variable invalide')", SECS);
    assert_eq!(editor_text(&app), good, "a refused change leaves the text alone");
    app.clear("#edf-name");
    app.type_into("#edf-name", "objet");
    app.wait_js("return document.querySelector('#edf-error').hidden", SECS);
    x_shot(&app, "fr-editeur-champs");

    // The preview on the current form: the field's new label, a value typed shows in the prompt.
    app.click("#ed-on-form");
    app.wait_for("#ed-in-objet", SECS);
    assert_eq!(app.text("label[for=\"ed-in-objet\"]"), "Objet de la réclamation traitée", "the preview's form follows the field form");
    app.type_into("#ed-in-objet", "Rétablissement de l'éclairage public, rue Ibn Sina");
    let preview = app.wait_js("const p = document.querySelector('#ed-preview-user').textContent; return p.includes(\"Rétablissement de l'éclairage public, rue Ibn Sina\") ? p : ''", SECS);
    assert!(!preview.as_str().unwrap().contains("Réponse à votre réclamation"), "the sample's objet is gone from the preview on the form");
    // Back on the sample: the sample's value again.
    app.click("#ed-on-sample");
    app.wait_js("return document.querySelector('#ed-preview-user').textContent.includes('Réponse à votre réclamation')", SECS);

    // A field added, then removed (the removal asks twice, in place).
    let fields_before = editor_text(&app).matches("[[fields]]").count();
    app.click("#edf-add");
    app.wait_js(&format!("return document.querySelector('#ed-text').value.split('[[fields]]').length - 1 === {}", fields_before + 1), SECS);
    let added = app.js("return document.querySelector('#edf-name').value").as_str().unwrap().to_string();
    assert!(added.starts_with("champ_") && editor_text(&app).contains(&format!("name = \"{added}\"")), "{added}");
    let remove = format!(".edf-item[data-name=\"{added}\"] .edf-remove");
    app.js(&format!("document.querySelector({}).scrollIntoView({{block: 'nearest'}}); return true", serde_json::json!(remove)));
    app.click(&remove);
    assert!(editor_text(&app).contains(&format!("name = \"{added}\"")), "one click only asks");
    app.click(&remove);
    app.wait_js(&format!("return !document.querySelector('#ed-text').value.includes('name = \"{added}\"')"), SECS);
    assert_eq!(editor_text(&app).matches("[[fields]]").count(), fields_before);
    // The list follows the text it came from.
    app.wait_js(&format!("return !document.querySelector('.edf-item[data-name=\"{added}\"]')"), SECS);

    // A field moved down: its whole entry changes place in the text, the body and the other
    // entries stay as written, the selection goes with it, and the preview still renders.
    let names = |t: &str| -> Vec<String> {
        let fm = t.rsplit_once("\n+++\n").unwrap().0;
        fm.split("[[fields]]").skip(1).map(|e| e.lines().find_map(|l| l.strip_prefix("name = \"")).expect("a name").trim_end_matches('"').to_string()).collect()
    };
    let entries = |t: &str| -> Vec<String> {
        let fm = t.rsplit_once("\n+++\n").unwrap().0;
        let mut e: Vec<String> = fm.split("[[fields]]").skip(1).map(|e| e.trim().to_string()).collect();
        e.sort();
        e
    };
    app.click(".edf-item[data-name=\"objet\"] .edf-pick");
    app.wait_js("return document.querySelector('#edf-name') && document.querySelector('#edf-name').value === 'objet'", SECS);
    let before = editor_text(&app);
    let order = names(&before);
    let at = order.iter().position(|n| n == "objet").expect("objet is a field");
    assert!(at + 1 < order.len(), "objet is not the last field: {order:?}");
    assert_eq!(app.js("const b = [...document.querySelectorAll('.edf-item')]; return [b[0].querySelector('.edf-up').disabled, b[0].querySelector('.edf-down').disabled, b.at(-1).querySelector('.edf-down').disabled, b.at(-1).querySelector('.edf-up').disabled]"), serde_json::json!([true, false, true, false]), "no move past the ends");
    assert_eq!(app.js("return document.querySelector('.edf-item[data-name=\"objet\"] .edf-down').getAttribute('aria-label')"), serde_json::json!("Descendre ce champ"));
    let shown = app.js("return document.querySelector('#ed-text').closest('[data-updated]').dataset.updated");
    assert!(shown.is_string(), "the editor has shown an analysis: {shown}");
    let down = ".edf-item[data-name=\"objet\"] .edf-down";
    app.js(&format!("document.querySelector({}).scrollIntoView({{block: 'nearest'}}); return true", serde_json::json!(down)));
    app.click(down);
    let text = app.wait_js(&format!("const v = document.querySelector('#ed-text').value; return v !== {} ? v : ''", serde_json::json!(before)), SECS);
    let text = text.as_str().unwrap();
    let mut want = order.clone();
    want.swap(at, at + 1);
    assert_eq!(names(text), want, "objet went one place down in the [[fields]] entries");
    assert_eq!(entries(text), entries(&before), "every entry is as written, only its place changed");
    assert_eq!(body(text), body(&before), "the template's body is untouched");
    assert_eq!(text[..text.find("[[fields]]").unwrap()], before[..before.find("[[fields]]").unwrap()], "the settings before the fields are untouched");
    app.wait_js(&format!("const s = [...document.querySelectorAll('.edf-item')]; return s.findIndex(i => i.classList.contains('selected')) === {} && s[{}].dataset.name === 'objet' && document.querySelector('#edf-name').value === 'objet'", at + 1, at + 1), SECS);
    // The analysis of the new text: the preview's form in the new order, the preview rendered.
    app.wait_js(&format!("return document.querySelector('#ed-text').closest('[data-updated]').dataset.updated !== {}", serde_json::json!(shown)), SECS);
    let inputs: Vec<String> = serde_json::from_value(app.js("return [...document.querySelectorAll('#ed-inputs [data-name]')].map(e => e.dataset.name)")).unwrap();
    assert_eq!(inputs, want.iter().filter(|n| inputs.contains(n)).cloned().collect::<Vec<_>>(), "the preview's form follows the new order");
    assert!(inputs.contains(&"objet".to_string()));
    assert!(app.js("return document.querySelector('#ed-error').hidden") == serde_json::json!(true), "the moved template has no error");
    let preview = app.text("#ed-preview-user");
    assert!(preview.contains("Réponse à votre réclamation"), "the preview renders on the sample after the move: {preview}");

    // The same form in Arabic, right to left.
    app.click(".edf-item[data-name=\"objet\"] .edf-pick");
    app.click("#lang-ar");
    app.wait_js("return document.documentElement.dir === 'rtl' && document.querySelector('#ed-tab-fields').textContent.includes('خانات')", SECS);
    assert!(app.js("return document.documentElement.scrollWidth").as_u64() <= app.js("return window.innerWidth").as_u64(), "the Arabic editor fits the window's width");
    x_shot(&app, "ar-editeur-champs");
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: tests/run.sh sets them up"]
fn a_prompt_edited_for_one_run_gives_two_answers_side_by_side_then_the_original_comes_back() {
    let _g = guard();
    let dirs = sandbox();
    let first = "Madame,\n\nPREMIERE-REPONSE : nous accusons réception de votre réclamation relative à l'éclairage public.";
    let second = "Madame,\n\nSECONDE-REPONSE : en réponse à votre réclamation, les services communaux interviendront sous huitaine.";
    let server = Server::start(vec![Script::Sse(Sse::tokens(&[first])), Script::Sse(Sse::tokens(&[second]))]);
    profile_on(dirs.path(), &server.base_url());
    let app = App::start(dirs.path(), &[]);
    app.wait_js("return document.body.classList.contains('ready')", SECS);
    app.click("#nav-workshop");
    app.wait_for(&format!(".ws-pack-card[data-id=\"{PACK}\"]"), SECS);
    start_exercise(&app, "j2-reponse-citoyen");
    let original = app.js("return document.querySelector('#ws-prompt-user').value").as_str().unwrap().to_string();

    app.click("#ws-generate");
    app.wait_js("return document.querySelector('#ws-answer').value.includes('PREMIERE-REPONSE') && !document.querySelector('#ws-generate').hidden", SECS);
    assert!(app.js("return document.querySelector('#ws-compare').hidden").as_bool().unwrap(), "one answer: nothing to compare yet");

    // The prompt edited for this run only.
    app.click("#ws-prompt-edit");
    app.js("const a = document.querySelector('#ws-prompt-user'); a.focus(); a.setSelectionRange(a.value.length, a.value.length); return true");
    app.type_into("#ws-prompt-user", "\nCONSIGNE-AJOUTEE : annoncez un délai d'intervention précis.");
    app.wait_js("return !document.querySelector('#ws-prompt-edited').hidden", SECS);
    app.click("#ws-generate");
    app.wait_js("return document.querySelector('#ws-answer').value.includes('SECONDE-REPONSE') && !document.querySelector('#ws-generate').hidden", SECS);

    // What was sent: the original prompt, then the edited one.
    let sent = server.wait_for(2, SECS);
    let user_of = |i: usize| sent[i].json()["messages"].as_array().unwrap().iter().find(|m| m["role"] == "user").unwrap()["content"].as_str().unwrap().to_string();
    assert!(!user_of(0).contains("CONSIGNE-AJOUTEE") && user_of(1).contains("CONSIGNE-AJOUTEE"), "the second request carries the edited prompt");

    // Side by side: before (original prompt) and after (edited prompt), each with its prompt.
    app.wait_js("return !document.querySelector('#ws-compare').hidden", SECS);
    let before = app.text("#ws-compare-before .cmp-answer");
    let after = app.text("#ws-compare-after .cmp-answer");
    assert!(before.contains("PREMIERE-REPONSE") && !before.contains("SECONDE-REPONSE"), "before: {before}");
    assert!(after.contains("SECONDE-REPONSE") && !after.contains("PREMIERE-REPONSE"), "after: {after}");
    let prompt_of = |side: &str| app.js(&format!("return document.querySelector('#ws-compare-{side} .cmp-prompt-text').textContent")).as_str().unwrap().to_string();
    assert_eq!(prompt_of("before").trim(), original.trim(), "the answer before comes from the original prompt");
    assert!(prompt_of("after").contains("CONSIGNE-AJOUTEE"), "the answer after comes from the edited prompt");
    assert!(app.text("#ws-compare-before .cmp-head").contains("prompt d’origine") && app.text("#ws-compare-after .cmp-head").contains("prompt modifié"));
    app.js("document.querySelector('#ws-compare').scrollIntoView(); return true");
    x_shot(&app, "fr-comparaison");
    // The same comparison in Arabic, right to left (the French answers keep their own direction).
    app.click("#lang-ar");
    app.wait_js("return document.documentElement.dir === 'rtl' && document.querySelector('#ws-compare-after .cmp-head').textContent.includes('الموجه المعدل')", SECS);
    assert_eq!(app.js("return getComputedStyle(document.querySelector('#ws-compare-after .cmp-answer')).direction"), json!("ltr"), "a French answer reads left to right");
    assert!(app.js("return document.documentElement.scrollWidth").as_u64() <= app.js("return window.innerWidth").as_u64(), "the Arabic comparison fits the window's width");
    app.js("document.querySelector('#ws-compare').scrollIntoView(); return true");
    x_shot(&app, "ar-comparaison");
    app.click("#lang-fr");
    app.wait_js("return document.documentElement.dir === 'ltr'", SECS);

    // Reset: the original prompt is back, the comparison gone.
    app.click("#ws-compare-reset");
    app.wait_js("return document.querySelector('#ws-compare').hidden", SECS);
    let prompt = app.js("return document.querySelector('#ws-prompt-user').value").as_str().unwrap().to_string();
    assert_eq!(prompt, original, "the prompt is the template's again");
    assert!(app.js("return document.querySelector('#ws-prompt-edited').hidden && document.querySelector('#ws-prompt-user').readOnly").as_bool().unwrap());
}

/// A pack dropped on the window from the desktop, on the home screen: the real XDND protocol
/// from a GTK drag source the X server's XTEST drives (tests/tools/xdnd_drop.py), so the shell's
/// own drop event fires; it takes the file to the Formation screen, which imports it.
#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver, python3-gi with GTK 3 and libXtst: tests/run.sh sets them up"]
fn a_pack_dropped_on_the_window_from_the_desktop_is_imported() {
    let _g = guard();
    let dirs = sandbox();
    // The trainer's side: a starter pack, exported as one .katib file.
    let trainer = dirs.path().join("formateur");
    let wb = katib_core::run::Workbench::load_from(katib_core::config::Paths { config_dir: trainer.join("config"), data_dir: trainer.join("data") }).unwrap();
    let src = trainer.join("depot-plainte");
    katib_workshop::pack::scaffold::scaffold(&src, "depot-plainte").unwrap();
    let file = dirs.path().join("depot-plainte.katib");
    katib_workshop::pack::library::export(&wb, &src, &file, false).unwrap();

    let app = App::start(dirs.path(), &[]);
    app.wait_js("return document.body.classList.contains('ready') && !document.querySelector('#home').hidden", SECS);
    let python = if Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
    let out = std::process::Command::new(python)
        .arg(repo().join("tests/tools/xdnd_drop.py"))
        .args(["640", "400"])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("python3 is needed to drop a file on the window: {e}"));
    assert!(out.status.success(), "the drop on the window: {}", String::from_utf8_lossy(&out.stderr));
    app.wait_for(".ws-pack-card.ws-pack-new[data-id=\"depot-plainte\"]", SECS);
    assert!(app.text("#ws-import-report").contains("Atelier importé : Mon atelier (1 exercice)"), "{}", app.text("#ws-import-report"));
    assert_eq!(app.text(".ws-pack-card[data-id=\"depot-plainte\"] .ws-meta"), "1 exercice1 jourImportéversion 1.0", "one exercise, one day: singular");
    assert!(dirs.path().join("data/packs/depot-plainte/pack.toml").is_file(), "the pack is in the user's imported packs");
}
