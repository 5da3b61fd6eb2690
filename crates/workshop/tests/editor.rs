//! The template editor's backend on real templates: tokens with their lines and explanations,
//! errors with their line while typing, the live preview following the text, and saving,
//! duplicating and resetting user templates in a fresh profile.

mod common;

use std::path::Path;

use common::*;
use katib_workshop::editor::{self, Editor, Refers, TokenKind};

fn workshop_template() -> String {
    std::fs::read_to_string(ia_starter().join("templates/atelier-accuse-reception.md")).unwrap()
}

#[test]
fn tokens_name_their_field_and_explain_themselves_in_french_and_arabic() {
    let text = workshop_template();
    let a = editor::analyze(&text, Path::new("atelier.md"));
    assert!(a.ok, "{:?}", a.error);
    assert_eq!(a.id.as_deref(), Some("atelier-accuse-reception"));
    // {{ dossier }}: a variable, the value typed in the field « Nature du dossier ».
    let dossier = a.tokens.iter().find(|t| t.kind == TokenKind::Variable && t.text.contains("dossier")).unwrap();
    assert_eq!(dossier.explain.fr, "une variable : la valeur saisie dans le champ « Nature du dossier »");
    assert_eq!(dossier.explain.ar.as_deref(), Some("متغير: القيمة المدخلة في خانة «نوع الملف»"));
    assert!(matches!(&dossier.names[0].refers, Refers::Field { field, .. } if field == "dossier"));
    let line = text.lines().nth(dossier.line - 1).unwrap();
    assert_eq!(line[..line.find("{{ dossier }}").unwrap()].chars().count() + 1, dossier.column, "the column counts characters");
    assert_eq!(&text[dossier.start..dossier.end], "{{ dossier }}");
    // A select field reads as a choice.
    let langue_if = a.tokens.iter().find(|t| t.kind == TokenKind::If && t.text.contains("langue")).unwrap();
    assert!(langue_if.explain.fr.starts_with("une condition : le texte qui suit n'est écrit que si « langue == \"ar\" » est vrai"), "{}", langue_if.explain.fr);
    assert!(langue_if.explain.fr.contains("« Langue de la lettre »"), "{}", langue_if.explain.fr);
    // Every {% if %} is paired with its {% endif %}, in both directions.
    for t in a.tokens.iter().filter(|t| matches!(t.kind, TokenKind::If | TokenKind::For)) {
        let close = t.pair_line.unwrap_or_else(|| panic!("{} line {} unpaired", t.text, t.line));
        let end = a.tokens.iter().find(|e| matches!(e.kind, TokenKind::EndIf | TokenKind::EndFor) && e.line == close).unwrap();
        assert_eq!(end.pair_line, Some(t.line));
    }
    // The loop: its variable and loop.index are the loop's, "pieces" is a field.
    let for_t = a.tokens.iter().find(|t| t.kind == TokenKind::For).unwrap();
    assert!(for_t.explain.fr.starts_with("une boucle"), "{}", for_t.explain.fr);
    assert!(matches!(&for_t.names[0].refers, Refers::Field { field, .. } if field == "pieces"));
    let piece = a.tokens.iter().find(|t| t.kind == TokenKind::Variable && t.text == "{{ piece }}").unwrap();
    assert_eq!(piece.names[0].refers, Refers::LoopVar);
    assert!(piece.explain.fr.starts_with("la variable de la boucle"), "{}", piece.explain.fr);
    let index = a.tokens.iter().find(|t| t.text.contains("loop.index")).unwrap();
    assert_eq!(index.names[0].refers, Refers::LoopVar);
    // Comments and the system prompt's tokens are there too.
    assert!(a.tokens.iter().any(|t| t.kind == TokenKind::Comment));
    assert!(a.tokens.iter().any(|t| t.part == "system"));
    // UTF-16 offsets for the window (the text has Arabic before many tokens).
    let last = a.tokens.last().unwrap();
    assert_eq!(text[..last.start].encode_utf16().count(), last.start16);
}

#[test]
fn errors_come_with_their_line_and_tokens_survive_them() {
    let text = workshop_template();
    // An unknown variable in the body.
    let bad = text.replacen("- Délai de traitement : {{ delai }} jours", "- Délai de traitement : {{ delais }} jours", 1);
    let a = editor::analyze(&bad, Path::new("atelier.md"));
    assert!(!a.ok);
    let e = a.error.unwrap();
    assert_eq!(e.line, bad.lines().position(|l| l.contains("{{ delais }}")).unwrap() + 1);
    assert!(e.message.contains("delais"), "{}", e.message);
    let t = a.tokens.iter().find(|t| t.text == "{{ delais }}").unwrap();
    assert_eq!(t.names[0].refers, Refers::Unknown);
    assert!(t.explain.fr.contains("n'est ni un champ du formulaire"), "{}", t.explain.fr);
    // A syntax error: an {% if %} never closed. The fields are still known from the front matter.
    let broken = text.replacen("{%- endif %}\n", "\n", 1);
    let a = editor::analyze(&broken, Path::new("atelier.md"));
    assert!(!a.ok && a.error.as_ref().unwrap().line > 70, "{:?}", a.error);
    assert!(a.fields.iter().any(|f| f.name == "dossier"));
    assert!(a.tokens.iter().any(|t| t.kind == TokenKind::Variable && t.names.first().is_some_and(|n| matches!(n.refers, Refers::Field { .. }))));
    // The comments of the front matter are not template text.
    assert!(a.tokens.iter().all(|t| t.text != "{{ }}"), "TOML comments are not tokens");
    // The front matter broken: the error's line is the TOML's.
    let a = editor::analyze(&text.replacen("version = 1", "version = ", 1), Path::new("atelier.md"));
    assert_eq!(a.error.unwrap().line, text.lines().position(|l| l.starts_with("version")).unwrap() + 1);
}

#[test]
fn the_preview_follows_the_text_and_the_form() {
    let p = Profile::new();
    let wb = p.wb();
    let mut ed = Editor::new(&wb);
    // A built-in template on its sample, with its attached file read once.
    let tpl = wb.template("reponse-citoyen").unwrap().clone();
    let text = std::fs::read_to_string(&tpl.path).unwrap();
    let inputs = ed.sample_inputs("reponse-citoyen").unwrap();
    let first = ed.preview(&text, &tpl.path, &inputs, None);
    assert!(first.ok, "{:?}", first.error);
    assert!(first.user.contains("Al Mansour Eddahbi") && first.user.contains("éclairage public"));
    // Typing changes the preview.
    let typed = text.replacen("## Éléments de réponse arrêtés par l'administration", "## Éléments de réponse arrêtés par l'administration (objet : {{ objet }})", 1);
    let second = ed.preview(&typed, &tpl.path, &inputs, None);
    assert!(second.ok, "{:?}", second.error);
    assert!(second.user.contains("(objet : Réponse à votre réclamation relative à l'éclairage public"), "{}", second.user);
    // A syntax error shows its line, as one types.
    let broken = typed.replacen("{{ objet }})", "{{ objet )", 1);
    let third = ed.preview(&broken, &tpl.path, &inputs, None);
    assert!(!third.ok);
    assert_eq!(third.error.unwrap().line, broken.lines().position(|l| l.contains("{{ objet )")).unwrap() + 1);
    // An empty form: required fields render empty and are listed.
    let empty = ed.preview(&text, &tpl.path, &Default::default(), None);
    assert!(empty.ok, "{:?}", empty.error);
    assert!(empty.missing.contains(&"elements".to_string()) && empty.missing.contains(&"objet".to_string()), "{:?}", empty.missing);
}

#[test]
fn save_duplicate_and_reset_user_templates() {
    let p = Profile::new();
    let wb = p.wb();
    // Duplicate a built-in one under a new id: a valid template, version 1, marked as a copy.
    let copy = editor::duplicate(&wb, "convocation", "convocation-commission").unwrap();
    assert!(copy.contains("id = \"convocation-commission\"") && copy.contains("version = 1") && copy.contains("Copie de : "));
    assert!(editor::duplicate(&wb, "convocation", "note-service").is_err(), "the id is taken");
    let saved = editor::save(&wb, &copy, false).unwrap();
    assert_eq!(saved, p.path("config/templates/convocation-commission.md"));
    let wb = p.wb();
    let t = wb.template("convocation-commission").unwrap();
    assert!(!t.builtin);
    // Saving again over one's own template needs overwrite; a broken template is never saved.
    assert_eq!(editor::save(&wb, &copy, false).unwrap_err().code(), "output.exists");
    editor::save(&wb, &copy.replace("Copie de : ", "Commission : "), true).unwrap();
    let e = editor::save(&wb, &copy.replacen("{{ objet }}", "{{ objet }", 1), true).unwrap_err();
    assert_eq!(e.code(), "template.invalid");
    assert!(e.location().is_some_and(|(_, l)| l > 1), "{e}");
    // Override a built-in one, then reset: the built-in comes back.
    let builtin = std::fs::read_to_string(&wb.template("note-service").unwrap().path).unwrap();
    editor::save(&wb, &builtin.replacen("version = 1", "version = 2", 1), false).unwrap();
    let wb = p.wb();
    assert!(!wb.template("note-service").unwrap().builtin);
    let (removed, back) = editor::reset(&wb, "note-service").unwrap();
    assert!(back && removed.ends_with("note-service.md"));
    assert!(p.wb().template("note-service").unwrap().builtin);
    assert!(editor::reset(&p.wb(), "note-service").is_err(), "nothing of the user's to reset");
    let (_, back) = editor::reset(&p.wb(), "convocation-commission").unwrap();
    assert!(!back);
    assert!(p.wb().template("convocation-commission").is_err());
}

/// The window's workbench has the packs' templates joined: they are not the user's. Resetting one
/// would delete the pack's file (the built-in pack's, among the app's own files); saving one
/// writes the user's own copy, the pack's file left as it was.
#[test]
fn a_packs_template_is_never_the_users_to_reset_or_save_over() {
    let p = Profile::new();
    let resources = p.path("resources");
    copy_dir(&ia_starter(), &resources.join("packs/ia-starter"));
    let mut wb = p.wb();
    wb.resources.prompts_dir = resources.join("prompts");
    katib_workshop::attach(&mut wb);
    let id = "atelier-accuse-reception";
    let packs_file = resources.join("packs/ia-starter/templates").join(format!("{id}.md"));
    assert_eq!(wb.template(id).unwrap().path, packs_file, "the pack's template is in the catalog");
    let original = std::fs::read_to_string(&packs_file).unwrap();

    let e = editor::reset(&wb, id).unwrap_err();
    assert!(e.to_string().contains("not one of your templates"), "{e}");
    assert!(packs_file.exists(), "reset deleted the pack's template");

    let mine = original.replacen("version = ", "version = 1", 1);
    let saved = editor::save(&wb, &mine, false).unwrap();
    assert_eq!(saved, p.path("config/templates").join(format!("{id}.md")));
    assert_eq!(std::fs::read_to_string(&packs_file).unwrap(), original, "save wrote over the pack's template");
    assert_eq!(std::fs::read_to_string(&saved).unwrap(), mine);
}

/// A pack's template has no sample in `samples/`: the editor previews it on the inputs of the
/// first exercise that uses it, as the learner will see it.
#[test]
fn a_packs_template_is_previewed_on_its_first_exercise() {
    let p = Profile::new();
    let mut wb = p.wb();
    katib_workshop::attach(&mut wb);
    let id = "atelier-accuse-reception";
    let ed = Editor::new(&wb);
    let inputs = ed.sample_inputs(id).expect("the first exercise's inputs");
    let exercise = std::fs::read_to_string(ia_starter().join("exercises/01-variables.toml")).unwrap();
    let dossier = &inputs.values["dossier"];
    assert!(exercise.contains(&format!("dossier = \"{dossier}\"")), "{dossier}");
    let tpl = wb.template(id).unwrap();
    let text = std::fs::read_to_string(&tpl.path).unwrap();
    let mut ed = ed;
    let preview = ed.preview(&text, &tpl.path, &inputs, None);
    assert!(preview.ok && preview.missing.is_empty(), "{:?}", preview.missing);
    assert!(preview.user.contains(&format!("Nature du dossier : {dossier}")), "{}", preview.user);
}

/// The preview is the prompt a run would send: for every built-in template on its sample, the
/// editor's (the body rendered from its context, as the page does too) equals the core's
/// `prepare`.
#[test]
fn the_preview_is_the_prompt_a_run_sends() {
    let p = Profile::new();
    let wb = p.wb();
    let mut ed = Editor::new(&wb);
    let limits = wb.limits();
    let day = katib_core::run::today();
    let ctx = katib_core::run::Context { limits: &limits, today: &day, settings: &wb.settings };
    let mut n = 0;
    for s in wb.samples.iter().filter(|s| s.name.is_none()) {
        let tpl = wb.template(&s.template).unwrap();
        let text = std::fs::read_to_string(&tpl.path).unwrap();
        let inputs = ed.sample_inputs(&tpl.id).unwrap();
        let preview = ed.preview(&text, &tpl.path, &inputs, None);
        assert!(preview.ok && preview.context.is_some(), "{}: {:?}", tpl.id, preview.error);
        let run = katib_core::run::prepare(tpl, &inputs, &ctx).unwrap_or_else(|e| panic!("{}: {e}", tpl.id));
        assert_eq!((preview.system.as_str(), preview.user.as_str()), (run.system.as_str(), run.user.as_str()), "{}", tpl.id);
        n += 1;
    }
    assert!(n >= 20, "{n} templates with a sample");
}
