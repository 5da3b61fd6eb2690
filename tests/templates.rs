//! The shipped templates: all valid, all with samples, all rendering on their samples, and
//! practice mode recognising every sample.

use std::collections::BTreeSet;

use katib_core::run::{self, Inputs};
use katib_core::templates::{self, Catalog, Category};

use crate::util::*;

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
    for (cat, min) in [(Category::Letter, 5), (Category::Spreadsheet, 3), (Category::Summary, 4)] {
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
    let cat = Catalog::load(&repo().join("prompts"), None).unwrap();
    let samples = katib_core::samples::load_all(&samples_dir()).unwrap();
    let with_sample: BTreeSet<&str> = samples.iter().map(|s| s.template.as_str()).collect();
    for t in cat.all() {
        assert!(with_sample.contains(t.id.as_str()), "{} has no sample", t.id);
    }
    let limits = katib_core::documents::Limits::default();
    let mut fingerprints = BTreeSet::new();
    for s in &samples {
        let t = cat.get(&s.template).unwrap();
        let p = run::prepare(t, &Inputs::from_sample(s), &limits, run::SAMPLE_TODAY).unwrap_or_else(|e| panic!("{}: {e}", s.id));
        assert!(!p.user.contains("{{") && !p.system.contains("{%"), "{}: unrendered markup", s.id);
        for (field, path) in &s.files {
            let name = path.file_name().unwrap().to_string_lossy();
            assert!(p.user.contains(&format!("Fichier : {name}")), "{}: file field {field} reached the prompt", s.id);
        }
        assert!(s.answer.exists(), "{}: no saved answer", s.id);
        let answer = std::fs::read_to_string(&s.answer).unwrap();
        assert!(answer.split_whitespace().count() >= 80, "{}: answer too short", s.id);
        assert!(fingerprints.insert(katib_core::providers::fingerprint(&p.messages())), "{}: two samples render the same prompt", s.id);
        // Arabic samples render Arabic prompts and answers.
        if s.name.as_deref() == Some("ar") {
            assert_eq!(p.language, katib_core::Lang::Ar, "{}", s.id);
            assert!(answer.chars().filter(|c| ('\u{0600}'..='\u{06FF}').contains(c)).count() > 100, "{}", s.id);
        }
    }
}

#[test]
fn required_fields_and_values_are_checked() {
    let cat = Catalog::load(&repo().join("prompts"), None).unwrap();
    let t = cat.get("reponse-citoyen").unwrap();
    let limits = katib_core::documents::Limits::default();
    let e = run::prepare(t, &Inputs::default(), &limits, "2026-11-23").unwrap_err();
    assert_eq!(e.code(), "template.missing_field");
    let s = katib_core::samples::find(&katib_core::samples::load_all(&samples_dir()).unwrap(), "reponse-citoyen", None).unwrap().clone();
    let mut i = Inputs::from_sample(&s);
    i.values.insert("langue".into(), "de".into());
    let e = run::prepare(t, &i, &limits, "2026-11-23").unwrap_err();
    assert!(e.to_string().contains("'de' is not one of: fr, ar"), "{e}");
    let date_field = t.fields.iter().find(|f| f.kind == templates::FieldType::Date).unwrap();
    let mut i = Inputs::from_sample(&s);
    i.values.insert(date_field.name.clone(), "31/02/2026".into());
    let e = run::prepare(t, &i, &limits, "2026-11-23").unwrap_err();
    assert!(e.to_string().contains("is not a date"), "{e}");
    i.values.insert(date_field.name.clone(), "16/11/2026".into());
    let p = run::prepare(t, &i, &limits, "2026-11-23").unwrap();
    assert_eq!(p.values[&date_field.name], "2026-11-16", "DD/MM/YYYY normalised");
}

#[test]
fn a_sample_renders_on_the_samples_day_whatever_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let wb = katib_core::run::Workbench::load_from(katib_core::config::Paths {
        config_dir: dir.path().join("c"),
        data_dir: dir.path().join("d"),
    })
    .unwrap();
    let s = katib_core::samples::find(&wb.samples, "synthese-suivi", None).unwrap();
    let mut inputs = Inputs::from_sample(s);
    assert_eq!(wb.today_for("synthese-suivi", &inputs), run::SAMPLE_TODAY);
    // A form sends "" for fields the sample leaves out: still the sample.
    inputs.values.insert("inexistant_mais_vide".into(), "  ".into());
    assert_eq!(wb.today_for("synthese-suivi", &inputs), run::SAMPLE_TODAY);
    inputs.values.insert("autre".into(), "valeur".into());
    assert_eq!(wb.today_for("synthese-suivi", &inputs), run::today());
}
