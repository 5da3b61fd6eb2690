//! The shipped templates: all valid, all with samples, all rendering on their samples, practice
//! mode recognising every sample by its replay key, and every saved answer checked against its
//! template's current version.

use std::collections::BTreeSet;

use katib_core::run::{self, Inputs, Job, ReplayKey, Route, Workbench};
use katib_core::templates::{self, Catalog, Category, Generate};

use crate::util::*;

fn workbench(sb: &Sandbox) -> Workbench {
    Workbench::load_from(katib_core::config::Paths { config_dir: sb.config(), data_dir: sb.path("data") }).unwrap()
}

#[test]
fn built_in_templates_are_valid_and_cover_the_brief() {
    let results = templates::validate_dir(&repo().join("prompts")).unwrap();
    for r in &results {
        if let Err(e) = r {
            panic!("{e}");
        }
    }
    let all: Vec<_> = results.into_iter().map(Result::unwrap).collect();
    assert!(all.len() >= 12, "{} templates", all.len());
    for (cat, min) in [(Category::Letter, 5), (Category::Spreadsheet, 3), (Category::Summary, 3)] {
        let n = all.iter().filter(|t| t.category == cat).count();
        assert!(n >= min, "{cat:?}: {n}");
    }
    for t in &all {
        assert!(t.unused_fields().is_empty(), "{}: unused fields {:?}", t.id, t.unused_fields());
        for l in [katib_core::Lang::Ar, katib_core::Lang::En] {
            assert_ne!(t.title.get(l), t.title.fr, "{}: title not translated", t.id);
        }
        if t.category == Category::Letter {
            assert!(!t.letter.is_empty(), "{}: a letter maps its fields to the letter layout", t.id);
            assert!(matches!(t.language, templates::LanguageSpec::Field(_)), "{}: letters can be written in Arabic", t.id);
        }
    }
}

#[test]
fn every_template_renders_on_its_samples_and_practice_knows_them() {
    let sb = Sandbox::new();
    let wb = workbench(&sb);
    let with_sample: BTreeSet<&str> = wb.samples.iter().map(|s| s.template.as_str()).collect();
    for t in wb.catalog.all() {
        assert!(with_sample.contains(t.id.as_str()), "{} has no sample", t.id);
    }
    let (replays, unplayable) = wb.replays();
    assert!(unplayable.is_empty(), "samples that cannot replay: {unplayable:?}");
    let mut keys = BTreeSet::new();
    for s in &wb.samples {
        let job = Job { template: s.template.clone(), inputs: Inputs::from_sample(s), profile: Some("practice".into()), ..Default::default() };
        let r = wb.start(&job).unwrap_or_else(|e| panic!("{}: {e}", s.id));
        let p = &r.prepared;
        assert!(!p.user.contains("{{") && !p.system.contains("{%"), "{}: unrendered markup", s.id);
        let tpl = wb.template(&s.template).unwrap();
        for (field, path) in &s.files {
            let name = path.file_name().unwrap().to_string_lossy();
            // A sheet template's prompt gets Katib's figures on the file, named in their first line.
            let seen = if tpl.sheet.is_some() { format!("« {name} »") } else { format!("Fichier : {name}") };
            assert!(p.user.contains(&seen), "{}: file field {field} reached the prompt", s.id);
        }
        assert!(keys.insert(r.key.clone()), "{}: two samples have the same replay key", s.id);
        if tpl.generate == Generate::Fixed {
            assert_eq!(r.route, Route::Fixed, "{}", s.id);
            assert!(!s.answer.exists(), "{}: a fixed template renders its answer; a saved one would never be used", s.id);
            continue;
        }
        assert!(s.answer.exists(), "{}: no saved answer", s.id);
        let rec = r.recording.as_ref().unwrap_or_else(|| panic!("{}: practice finds no recording", s.id));
        assert_eq!(rec.answer, s.answer, "{}", s.id);
        assert_eq!(p.today, run::SAMPLE_TODAY, "{}: a sample replays on its recorded day", s.id);
        assert_eq!(replays.find(&r.key).len(), 1, "{}", s.id);
        let answer = std::fs::read_to_string(&s.answer).unwrap();
        assert!(answer.split_whitespace().count() >= 80, "{}: answer too short", s.id);
        // Arabic samples render Arabic prompts and answers.
        if s.name.as_deref() == Some("ar") {
            assert_eq!(p.language, katib_core::Lang::Ar, "{}", s.id);
            assert!(answer.chars().filter(|c| ('\u{0600}'..='\u{06FF}').contains(c)).count() > 100, "{}", s.id);
        }
    }
}

/// Bumping a template's version (its prompt changed) unplugs its saved answers until they are
/// checked again and their `template_version` updated: this test is what fails.
#[test]
fn saved_answers_are_recorded_for_the_current_template_version() {
    let cat = Catalog::load(&repo().join("prompts"), None).unwrap();
    let samples = katib_core::samples::load_all(&samples_dir()).unwrap();
    for s in &samples {
        let t = cat.get(&s.template).unwrap();
        assert_eq!(s.template_version, Some(t.version), "{}: written for version {:?} of {} (now {}): check the answer again, then set template_version", s.id, s.template_version, t.id, t.version);
    }
    // And the mechanism: the same inputs under another version give another key.
    let mut t = cat.get("convocation").unwrap().clone();
    let s = samples.iter().find(|s| s.template == "convocation").unwrap();
    let r = run::resolve(&t, &Inputs::from_sample(s)).unwrap();
    let k1 = ReplayKey::of(&t, &r).unwrap();
    t.version += 1;
    assert_ne!(k1, ReplayKey::of(&t, &r).unwrap());
}

#[test]
fn required_fields_and_values_are_checked() {
    let cat = Catalog::load(&repo().join("prompts"), None).unwrap();
    let t = cat.get("reponse-citoyen").unwrap();
    let e = run::resolve(t, &Inputs::default()).unwrap_err();
    assert_eq!(e.code(), "template.missing_field");
    let s = katib_core::samples::find(&katib_core::samples::load_all(&samples_dir()).unwrap(), "reponse-citoyen", None).unwrap().clone();
    let mut i = Inputs::from_sample(&s);
    i.values.insert("langue".into(), "de".into());
    let e = run::resolve(t, &i).unwrap_err();
    assert!(e.to_string().contains("'de' is not one of: fr, ar"), "{e}");
    let date_field = t.fields.iter().find(|f| f.kind == templates::FieldType::Date).unwrap();
    let mut i = Inputs::from_sample(&s);
    i.values.insert(date_field.name.clone(), "31/02/2026".into());
    let e = run::resolve(t, &i).unwrap_err();
    assert!(e.to_string().contains("is not a date"), "{e}");
    i.values.insert(date_field.name.clone(), "16/11/2026".into());
    let r = run::resolve(t, &i).unwrap();
    assert_eq!(r.values[&date_field.name], "2026-11-16", "DD/MM/YYYY normalised");
}

/// The replay key is about the inputs, not about how they were typed: a form that sends every
/// field (defaults written out, "" for the empty ones, a date as DD/MM/YYYY) is still the
/// sample; a changed value is not, and then the run is dated today.
#[test]
fn a_sample_is_recognised_however_the_form_sends_it_and_only_then() {
    let sb = Sandbox::new();
    let wb = workbench(&sb);
    let s = katib_core::samples::find(&wb.samples, "reponse-citoyen", None).unwrap();
    let tpl = wb.template("reponse-citoyen").unwrap();
    let mut inputs = Inputs::from_sample(s);
    for f in &tpl.fields {
        if f.kind != templates::FieldType::File {
            inputs.values.entry(f.name.clone()).or_insert_with(|| f.default_text(katib_core::Lang::Fr).unwrap_or_default());
        }
    }
    if let Some(d) = inputs.values.get_mut("date") {
        let iso = d.clone();
        *d = format!("{}/{}/{}", &iso[8..10], &iso[5..7], &iso[..4]);
    }
    let job = |inputs: Inputs| Job { template: "reponse-citoyen".into(), inputs, profile: Some("practice".into()), ..Default::default() };
    let r = wb.start(&job(inputs.clone())).unwrap();
    assert!(r.recording.is_some(), "the form's way of sending the sample is still the sample");
    assert_eq!(r.prepared.today, run::SAMPLE_TODAY);
    inputs.values.insert("objet".into(), "Une autre demande".into());
    let r = wb.start(&job(inputs)).unwrap();
    assert!(r.recording.is_none());
    assert_eq!(r.prepared.today, run::today(), "a modified letter is dated today, not on the samples' day");
}

/// Every sample's rendered prompt, as practice mode renders it (the samples' recorded day), is
/// pinned by a snapshot in tests/snapshots/: a change to a template's prompt shows up here, in
/// review, and then its `version` must be bumped and its answers checked again.
#[test]
fn every_samples_prompt_is_pinned_by_a_snapshot() {
    let sb = Sandbox::new();
    let wb = workbench(&sb);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo().join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for s in &wb.samples {
            let job = Job { template: s.template.clone(), inputs: Inputs::from_sample(s), profile: Some("practice".into()), ..Default::default() };
            let r = wb.start(&job).unwrap_or_else(|e| panic!("{}: {e}", s.id));
            let text = r.request.messages.iter().map(|m| format!("===== {:?} =====\n{}\n", m.role, m.content)).collect::<String>();
            insta::assert_snapshot!(format!("prompt-{}", s.id), text);
        }
    });
}
