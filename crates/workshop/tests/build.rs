//! A pack built the way the window builds it: a title, then an exercise from a template with the
//! form's inputs, a file, a rubric and self-check items; answers recorded from a loopback
//! endpoint; validated, exported, imported into a fresh profile and replayed offline. Bad
//! exercises are refused with their line and leave nothing behind.

mod common;

use std::collections::BTreeMap;

use common::*;
use katib_core::providers::CancellationToken;
use katib_core::run::Route;
use katib_core::{Lang, Localized};
use katib_workshop::pack::build::{self, CheckSpec, ExerciseSpec, NewPack};
use katib_workshop::pack::{library, load, record, Origin};
use katib_workshop::{exercise, WorkshopError};

fn loc(fr: &str, ar: &str) -> Localized {
    Localized { fr: fr.into(), ar: Some(ar.into()), en: None }
}

fn check(kind: &str) -> CheckSpec {
    CheckSpec { kind: kind.into(), ..Default::default() }
}

/// The exercise a trainer makes from "reponse-citoyen" with the form filled in.
fn spec() -> ExerciseSpec {
    let mut values = BTreeMap::new();
    for (k, v) in [
        ("langue", "fr"),
        ("nature_reponse", "favorable"),
        ("objet", "Réponse à votre réclamation relative à la collecte des déchets du quartier Al Qods"),
        ("destinataire", "Monsieur Rachid Tazi, quartier Al Qods, Oujda"),
        ("expediteur", "Le Président du Conseil de la Commune d'Oujda"),
        ("elements", "- Collecte rétablie le 12 avril 2027.\n- Passage quotidien à 6 h 00.\n- Remercier le citoyen."),
        ("date", "2027-04-14"),
        ("signataire", "Le Président du Conseil de la Commune d'Oujda"),
    ] {
        values.insert(k.to_string(), v.to_string());
    }
    let mut facts = check("facts");
    facts.facts = Some(vec![vec!["12 avril 2027".into()], vec!["6 h 00".into(), "6h00".into()]]);
    let mut closing = check("closing");
    closing.addressee = Some("citizen".into());
    let mut length = check("length");
    (length.min, length.max) = (Some(30), Some(300));
    let mut language = check("language");
    language.lang = Some("fr".into());
    ExerciseSpec {
        id: String::new(),
        day: Some(2),
        team: false,
        title: loc("Réponse sur la collecte des déchets", "الجواب بشأن جمع النفايات"),
        instructions: loc("Générez la réponse, vérifiez les dates et l'heure, puis corrigez.", "ولدوا الجواب، وتحققوا من التواريخ والساعة، ثم صححوا."),
        notes: None,
        template: "reponse-citoyen".into(),
        language: Some(Lang::Fr),
        values,
        files: [("lettre".to_string(), repo().join("packs/ia-starter/files/reclamation-collecte-dechets.txt"))].into(),
        checks: vec![closing, facts, length, check("register"), language],
        self_check: vec![loc("J'ai vérifié la date et l'heure de passage.", "تحققت من تاريخ وساعة المرور.")],
    }
}

#[test]
fn a_pack_built_step_by_step_records_validates_exports_and_replays_offline() {
    use katib_testserver::{Script, Server, Sse};
    let server = Server::start(vec![Script::Sse(Sse::tokens(&[
        "Monsieur,\n\nEn réponse à votre réclamation, j'ai l'honneur de vous informer que la collecte ",
        "des déchets du quartier Al Qods a été rétablie le 12 avril 2027, avec un passage quotidien à 6 h 00.\n\n",
        "Je vous remercie de votre signalement.\n\nVeuillez agréer, Monsieur, l'expression de mes salutations distinguées.",
    ]))]);
    let trainer = Profile::new();
    std::fs::write(trainer.path("config/profiles.toml"), format!("[[profile]]\nname = \"local\"\nbase_url = \"{}\"\nmodel = \"test-model\"\n", server.base_url())).unwrap();
    let wb = trainer.wb();
    let root = build::drafts_dir(&wb.paths);
    let dir = build::create(&root, &NewPack { title: loc("Atelier : courrier à l'usager", "ورشة: مراسلة المرتفق"), authors: vec!["Formateur".into()], ..Default::default() }).unwrap();
    assert_eq!(dir, root.join("atelier-courrier-a-l-usager"));
    assert!(matches!(build::create(&root, &NewPack { title: Localized::new("Atelier : courrier à l'usager"), ..Default::default() }), Err(WorkshopError::Exists { .. })));
    // A new pack has no exercise yet: listed, and validation says what is missing.
    let drafts = build::drafts(&root);
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].title.ar.as_deref(), Some("ورشة: مراسلة المرتفق"));
    assert!(drafts[0].exercises.is_empty());
    let (_, report) = library::validate(&wb, &dir);
    assert!(report.errors.iter().any(|e| e.to_string().contains("no exercise")), "{:?}", report.errors);

    let added = build::add_exercise(&wb, &dir, &spec()).unwrap();
    assert_eq!(added.id, "reponse-sur-la-collecte-des-dechets");
    assert!(added.file.ends_with("exercises/01-reponse-sur-la-collecte-des-dechets.toml"));
    assert_eq!(added.files, ["files/reclamation-collecte-dechets.txt"]);
    assert!(added.warnings.iter().any(|w| w.message.contains("no saved answer")), "{:?}", added.warnings);
    let text = std::fs::read_to_string(&added.file).unwrap();
    assert!(text.contains("elements = \"\"\"\n- Collecte rétablie"), "a multi-line value stays readable: {text}");
    // The same exercise id twice is refused.
    let e = build::add_exercise(&wb, &dir, &spec()).unwrap_err();
    assert!(e.to_string().contains("already"), "{e}");

    // "Enregistrer pour l'entraînement", then the pack is complete and valid.
    let (pack, _) = load::open(&dir, &wb, Origin::Folder, load::Mode::Lenient).unwrap();
    let opts = record::RecordOptions { profile: "local".into(), variants: 1, exercise: None };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let done = rt.block_on(record::record(&wb, &pack, &opts, None, &CancellationToken::new(), &mut |_| {})).unwrap();
    assert_eq!(done.len(), 1);
    let (pack, report) = library::validate(&wb, &dir);
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let pack = pack.unwrap();
    let ex = &pack.exercises[0];
    assert_eq!((ex.answers.len(), ex.rubric.checks.len(), ex.rubric.self_check.len()), (1, 5, 1));
    let out = trainer.out("atelier.katib");
    library::export(&wb, &dir, &out, false).unwrap();

    // A learner's laptop: import, then the exercise replays offline and passes its rubric.
    std::env::set_var("KATIB_PRACTICE_PACE_MS", "0");
    let learner = Profile::new();
    library::import(&learner.wb(), &out, false).unwrap();
    let mut lw = learner.wb();
    library::attach(&mut lw);
    let opened = library::open(&lw, "atelier-courrier-a-l-usager").unwrap();
    let ex = &opened.pack.exercises[0];
    let run = lw.start(&exercise::job(ex, None, "Salma Idrissi")).unwrap();
    assert_eq!(run.route, Route::Practice);
    let conn = lw.connect_run(&run).unwrap();
    let mut sink = |_: &str| {};
    let answer = rt.block_on(run.stream(&conn, Vec::new(), &mut sink, &CancellationToken::new())).map_err(|i| i.error).unwrap();
    assert!(answer.text.contains("rétablie le 12 avril 2027"), "{}", answer.text);
    let r = exercise::check(&lw, &opened.pack, ex, &answer.text, &["1".into()]).unwrap();
    assert!(r.ok, "{:#?}", r.checks.iter().filter(|c| !c.ok).collect::<Vec<_>>());
    assert!(r.self_check[0].ticked);
}

#[test]
fn a_bad_exercise_is_refused_with_its_line_and_nothing_is_kept() {
    let p = Profile::new();
    let wb = p.wb();
    let dir = build::create(&build::drafts_dir(&wb.paths), &NewPack { title: Localized::new("Essai"), ..Default::default() }).unwrap();
    // A length check whose minimum is above its maximum.
    let mut s = spec();
    let mut bad = check("length");
    (bad.min, bad.max) = (Some(300), Some(30));
    s.checks = vec![bad];
    let e = build::add_exercise(&wb, &dir, &s).unwrap_err();
    let (file, line) = e.location().expect("file and line");
    assert!(file.ends_with("exercises/01-reponse-sur-la-collecte-des-dechets.toml"));
    let written = build::ExerciseSpec { ..spec() };
    assert!(line > 10, "{e}: the line of the [[checks]] entry");
    assert!(!file.exists(), "the refused exercise is removed");
    // An input the template does not have.
    let mut s = written;
    s.values.insert("couleur".into(), "bleu".into());
    let e = build::add_exercise(&wb, &dir, &s).unwrap_err();
    assert!(e.to_string().contains("couleur"), "{e}");
    assert!(build::drafts(&build::drafts_dir(&wb.paths))[0].exercises.is_empty());
    // An unknown template names the ones there are.
    let mut s = spec();
    s.template = "inconnu".into();
    assert!(build::add_exercise(&wb, &dir, &s).unwrap_err().to_string().contains("inconnu"));
}

#[test]
fn a_users_template_travels_with_the_pack() {
    let p = Profile::new();
    let wb = p.wb();
    // The user's own template (a copy of a built-in under a new id), saved in their folder.
    let copy = katib_workshop::editor::duplicate(&wb, "reponse-citoyen", "reponse-citoyen-oujda").unwrap();
    katib_workshop::editor::save(&wb, &copy, false).unwrap();
    let wb = p.wb();
    let dir = build::create(&build::drafts_dir(&wb.paths), &NewPack { title: Localized::new("Essai"), ..Default::default() }).unwrap();
    let mut s = spec();
    s.template = "reponse-citoyen-oujda".into();
    let added = build::add_exercise(&wb, &dir, &s).unwrap();
    assert_eq!(added.template_copied.as_deref(), Some(dir.join("templates/reponse-citoyen-oujda.md").as_path()));
    // On a laptop without that template, the pack still loads: it carries it.
    let other = Profile::new();
    let (pack, _) = load::open(&dir, &other.wb(), Origin::Folder, load::Mode::Lenient).unwrap();
    assert_eq!(pack.templates[0].id, "reponse-citoyen-oujda");
    // The user's version of a built-in cannot travel under the built-in's id.
    let mine = std::fs::read_to_string(wb.template("reponse-citoyen").unwrap().path.clone()).unwrap();
    katib_workshop::editor::save(&wb, &mine.replacen("version = ", "# ma version\nversion = ", 1), false).unwrap();
    let wb = p.wb();
    let mut s = spec();
    s.id = "autre".into();
    let e = build::add_exercise(&wb, &dir, &s).unwrap_err();
    assert!(e.to_string().contains("Duplicate it under a new id"), "{e}");
}

#[test]
fn a_new_pack_keeps_the_version_and_languages_the_trainer_chose() {
    let p = Profile::new();
    let wb = p.wb();
    let root = build::drafts_dir(&wb.paths);
    let trilingual = NewPack { title: loc("Atelier trilingue", "ورشة بثلاث لغات"), version: "2.1".into(), languages: vec![Lang::En, Lang::Fr], ..Default::default() };
    // A pack without exercises does not load yet: its manifest is read as the loader will.
    let manifest = |dir: &std::path::Path| -> (String, Vec<String>) {
        let v: toml::Table = toml::from_str(&std::fs::read_to_string(dir.join("pack.toml")).unwrap()).unwrap();
        (v["version"].as_str().unwrap().to_string(), v["languages"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect())
    };
    let dir = build::create(&root, &trilingual).unwrap();
    // French first whatever the order given, Arabic left out when not asked for.
    assert_eq!(manifest(&dir), ("2.1".to_string(), vec!["fr".to_string(), "en".to_string()]));
    // Not asked: French, and Arabic when the title has it.
    let dir = build::create(&root, &NewPack { title: loc("Atelier bilingue", "ورشة بلغتين"), ..Default::default() }).unwrap();
    assert_eq!(manifest(&dir), ("1.0".to_string(), vec!["fr".to_string(), "ar".to_string()]));
    // Once it has an exercise, the loader reads the same.
    build::add_exercise(&wb, &dir, &spec()).unwrap();
    let (pack, _) = load::open(&dir, &wb, Origin::Folder, load::Mode::Lenient).unwrap();
    assert_eq!((pack.manifest.version.as_str(), pack.manifest.languages.as_slice()), ("1.0", [Lang::Fr, Lang::Ar].as_slice()));
    // A version that is not numbers is refused before anything is written.
    let e = build::create(&root, &NewPack { title: Localized::new("Atelier daté"), version: "v2 beta".into(), ..Default::default() }).unwrap_err();
    assert!(e.to_string().contains("v2 beta"), "{e}");
    assert!(!root.join("atelier-date").exists());
}
