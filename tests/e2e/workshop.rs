//! The workshop in the real window: the IA Starter pack opened, an exercise done offline
//! (practice replays the variant of the learner's name), its rubric after the generation and
//! after an edit, the Word export and the hand-in; the template editor (a variable typed changes
//! the preview, a syntax error shows its line); the same exercise screen in Arabic.

use std::time::Duration;

use super::{docx_text, guard, repo, sandbox, shot, App, SECS};

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
/// joined the History's header; every other screen's screenshot works. Not understood yet: the
/// test checks the behaviour, and the screenshots are taken by hand until then.
fn ws_shot(app: &App, name: &str) {
    if std::env::var_os("KATIB_WORKSHOP_SHOTS").is_some() {
        shot(app, name);
    }
}
