//! The workshop in the real window: the IA Starter pack opened, an exercise done offline
//! (practice replays the variant of the learner's name), its rubric after the generation and
//! after an edit, the Word export and the hand-in; the template editor (a variable typed changes
//! the preview, a syntax error shows its line); the same exercise screen in Arabic. The editor's
//! form for a template's fields and its preview on values typed; a prompt edited for one run and
//! the two answers side by side.

use std::time::Duration;

use katib_testserver::{Script, Server, Sse};

use super::{docx_text, guard, profile_on, repo, sandbox, App, SECS};

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
    ws_shot(&app, "fr-formation");

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
    ws_shot(&app, "fr-exercice");

    // The template editor: a variable typed shows in the preview, a syntax error its line.
    app.click("#nav-editor");
    app.wait_js("const t = document.querySelector('#ed-text'); return t && t.value.length > 100 && document.querySelector('#ed-preview-user').textContent.length > 50", SECS);
    app.js("const s = document.querySelector('#ed-template'); s.value = 'reponse-citoyen'; s.dispatchEvent(new Event('change')); return true");
    app.wait_js("return document.querySelector('#ed-text').value.includes('id = \"reponse-citoyen\"') && document.querySelector('#ed-preview-user').textContent.length > 50", SECS);
    app.js("const a = document.querySelector('#ed-text'); a.focus(); a.setSelectionRange(a.value.length, a.value.length); return true");
    app.type_into("#ed-text", "\nOBJET-VERIFIE: {{ objet }}");
    let objet = app.wait_js("const m = document.querySelector('#ed-preview-user').textContent.match(/OBJET-VERIFIE: (.+)/); return m && !m[1].includes('{') && m[1].length > 10 ? m[1] : ''", SECS);
    assert!(objet.as_str().unwrap().starts_with("Réponse à votre réclamation"), "the sample's objet is written into the preview: {objet}");
    app.type_into("#ed-text", "\n{% if %}");
    let lines = app.js("return document.querySelector('#ed-text').value.split('\\n').length").as_u64().unwrap();
    let line = app.wait_js("const e = document.querySelector('#ed-error'); return e && !e.hidden ? e.dataset.line : ''", SECS);
    assert_eq!(line.as_str().unwrap(), lines.to_string(), "the error names the line typed: {}", app.text("#ed-error"));
    // The caret on the variable explains it.
    app.js("const a = document.querySelector('#ed-text'); const i = a.value.lastIndexOf('{{ objet }}') + 3; a.focus(); a.setSelectionRange(i, i); a.dispatchEvent(new KeyboardEvent('keyup')); return true");
    app.wait_js("return document.querySelector('#ed-explain').textContent.includes('objet')", SECS);
    ws_shot(&app, "fr-editeur");

    // The same exercise screen in Arabic, right to left.
    app.click("#lang-ar");
    app.wait_js("return document.documentElement.dir === 'rtl'", SECS);
    assert!(app.js("return document.documentElement.scrollWidth").as_u64() <= app.js("return window.innerWidth").as_u64(), "the Arabic header fits");
    // The screen comes back where the learner left it: the exercise, now in Arabic.
    app.click("#nav-workshop");
    app.wait_js("return document.querySelector('#ws-back-pack') && document.querySelector('#ws-back-pack').textContent.includes('برنامج')", SECS);
    app.wait_js("const s = document.querySelector('#ws-score'); return s && s.textContent.includes('من أصل')", SECS);
    app.js("document.querySelector('#ws-back-pack').click(); return true");
    app.click(".ws-start[data-exercise=\"j2-demande-pieces-ar\"]");
    app.wait_js("const p = document.querySelector('#ws-prompt-user'); return p && p.value.length > 200", SECS);
    let (answer, variant) = generate(&app);
    let saved = saved_answers("05-demande-pieces-ar.toml");
    assert_eq!(answer.trim(), saved[variant - 1].trim());
    assert!(app.text("#ws-score").contains("من أصل"), "the rubric speaks Arabic: {}", app.text("#ws-score"));
    app.js("document.querySelector('#ws-rubric').scrollIntoView(); return true");
    ws_shot(&app, "ar-exercice");
}

/// The workshop screens' screenshots (docs/screenshots), only when asked (`KATIB_WORKSHOP_SHOTS=1`
/// with `KATIB_SCREENSHOTS`): WebKitWebDriver's screenshot command has hung on the Formation
/// screen (no reply, 0 % CPU, requestAnimationFrame still firing) since the workshop screens
/// joined the History's header; every other screen's screenshot works. Not understood yet: these
/// are taken from the X display instead (ImageMagick's `import` of the root window, which the
/// window fills under the test's Xvfb).
fn ws_shot(app: &App, name: &str) {
    if std::env::var_os("KATIB_WORKSHOP_SHOTS").is_none() {
        return;
    }
    app.js("const t = document.querySelector('#toast'); if (t) t.classList.remove('show'); return true");
    std::thread::sleep(Duration::from_millis(600));
    let dir = std::env::var_os("KATIB_SCREENSHOTS").map(std::path::PathBuf::from).unwrap_or_else(|| app.dirs.join("shots"));
    std::fs::create_dir_all(&dir).unwrap();
    let display = std::env::var("DISPLAY").expect("DISPLAY is set for the window");
    let out = dir.join(format!("{name}.png"));
    let st = std::process::Command::new("import").args(["-display", &display, "-window", "root"]).arg(&out).status().expect("ImageMagick's import (apt-get install imagemagick)");
    assert!(st.success(), "import {}: {st}", out.display());
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
    ws_shot(&app, "fr-editeur-champs");

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

    // The same form in Arabic, right to left.
    app.click(".edf-item[data-name=\"objet\"] .edf-pick");
    app.click("#lang-ar");
    app.wait_js("return document.documentElement.dir === 'rtl' && document.querySelector('#ed-tab-fields').textContent.includes('خانات')", SECS);
    assert!(app.js("return document.documentElement.scrollWidth").as_u64() <= app.js("return window.innerWidth").as_u64(), "the Arabic editor fits the window's width");
    ws_shot(&app, "ar-editeur-champs");
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
    ws_shot(&app, "fr-comparaison");

    // Reset: the original prompt is back, the comparison gone.
    app.click("#ws-compare-reset");
    app.wait_js("return document.querySelector('#ws-compare').hidden", SECS);
    let prompt = app.js("return document.querySelector('#ws-prompt-user').value").as_str().unwrap().to_string();
    assert_eq!(prompt, original, "the prompt is the template's again");
    assert!(app.js("return document.querySelector('#ws-prompt-edited').hidden && document.querySelector('#ws-prompt-user').readOnly").as_bool().unwrap());
}
