//! Packs end to end with real folders, zips and a real HTTP server: the built-in IA Starter pack
//! (valid, complete, every answer behaving as documented), export and import into a fresh
//! profile then offline replay, bad packs refused with their file and line, the user's templates
//! never replaced without asking, and recording from a loopback endpoint.

mod common;

use std::io::Write;
use std::path::Path;

use common::*;
use katib_core::providers::CancellationToken;
use katib_core::run::{Route, Workbench};
use katib_workshop::exercise;
use katib_workshop::pack::library::{self, workbench_for};
use katib_workshop::pack::load::{self, Mode};
use katib_workshop::pack::{archive, record, Origin};
use katib_workshop::WorkshopError;

#[test]
fn ia_starter_is_complete_valid_and_every_answer_behaves_as_documented() {
    let p = Profile::new();
    let wb = p.wb();
    let (pack, report) = load::validate(&ia_starter(), &wb);
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let pack = pack.unwrap();
    assert!(pack.exercises.len() >= 12, "{} exercises", pack.exercises.len());
    let days: std::collections::BTreeSet<u32> = pack.exercises.iter().filter_map(|e| e.day).collect();
    assert_eq!(days.into_iter().collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    assert!(pack.exercises.iter().filter(|e| e.team).count() >= 2, "team exercises");
    assert!(pack.templates.iter().any(|t| t.id == "atelier-accuse-reception"));
    let (mut sound, mut flawed) = (0, 0);
    for ex in &pack.exercises {
        for l in [katib_core::Lang::Fr, katib_core::Lang::Ar] {
            assert!(ex.instructions.get(l).trim().len() > 200, "{}: instructions in {l:?}", ex.id);
            assert!(ex.title.ar.is_some(), "{}: Arabic title", ex.id);
        }
        assert!(ex.answers.len() >= 2, "{}: variants", ex.id);
        assert!(!ex.rubric.checks.is_empty() && !ex.rubric.self_check.is_empty(), "{}: rubric", ex.id);
        for a in &ex.answers {
            let text = std::fs::read_to_string(&a.file).unwrap();
            let r = exercise::check(&wb, &pack, ex, &text, &[]).unwrap();
            match &a.flaw {
                None => {
                    sound += 1;
                    assert!(r.ok, "{} {}: a sound answer fails {:?}", ex.id, a.rel, r.checks.iter().filter(|c| !c.ok).map(|c| &c.detail.fr).collect::<Vec<_>>());
                }
                Some(f) => {
                    flawed += 1;
                    assert!(f.ar.is_some(), "{} {}: flaw in Arabic too", ex.id, a.rel);
                    // Every flaw of this pack is one the rubric catches.
                    assert!(!r.ok, "{} {}: flaw not caught: {}", ex.id, a.rel, f.fr);
                }
            }
        }
    }
    assert!(sound >= 14 && flawed >= 12, "{sound} sound, {flawed} flawed");
    // The kinds of flaw the programme asks for are all there, and documented in the guide.
    let guide = std::fs::read_to_string(ia_starter().join("guide.md")).unwrap();
    for kind in ["article de loi inventé", "mauvais délai", "chiffre absent du tableau", "registre familier", "darija", "données personnelles", "date d'effet fausse"] {
        assert!(guide.to_lowercase().contains(kind), "the guide documents: {kind}");
    }
    for ex in &pack.exercises {
        for a in ex.answers.iter().filter(|a| a.flaw.is_some()) {
            let stem = a.rel.trim_start_matches("answers/").trim_end_matches(".md");
            let letter = stem.rsplit('.').next().unwrap();
            assert!(guide.contains(&format!("| {} |", ex.number)) && guide.contains(&format!("{letter} :")), "{}: the guide describes variant {letter}", ex.id);
        }
    }
}

/// The spreadsheet exercises, answer by answer, against Katib's number check as a run makes it:
/// a sound answer writes only figures Katib computed (and places only tables it has); a flawed
/// answer documented as flagged is flagged, on the figures its flaw names and on no other.
#[test]
fn ia_starter_sheet_answers_meet_katibs_number_check_as_documented() {
    let p = Profile::new();
    let wb = p.wb();
    let (pack, report) = load::validate(&ia_starter(), &wb);
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let pack = pack.unwrap();
    // The pack's own templates join for its runs.
    let wb = workbench_for(&wb, &pack);
    let mut checked = Vec::new();
    for ex in &pack.exercises {
        let run = wb.start(&exercise::job(ex, None, "")).expect("start");
        let Some(figures) = run.figures.as_ref() else { continue };
        let tables = katib_core::run::computed_tables(figures, run.prepared.language);
        for a in &ex.answers {
            let saved = std::fs::read_to_string(&a.file).unwrap();
            let filled = katib_sheet::fill_anchors(&saved, &tables);
            assert!(!filled.inserted.is_empty(), "{} {}: places none of Katib's tables", ex.id, a.rel);
            assert!(filled.unknown.is_empty(), "{} {}: anchors with no table: {:?}", ex.id, a.rel, filled.unknown);
            let flags: Vec<String> = katib_core::run::check_figures(&filled.text, figures, run.prepared.language, &run.prepared.values).into_iter().map(|f| f.text).collect();
            match &a.flaw {
                None => assert!(flags.is_empty(), "{} {}: figures Katib did not compute: {flags:?}", ex.id, a.rel),
                Some(f) if f.fr.contains("chiffre absent des calculs de Katib") => {
                    assert!(!flags.is_empty(), "{} {}: documented as flagged, flagged nothing", ex.id, a.rel);
                    for t in &flags {
                        assert!(f.fr.contains(t.as_str()), "{} {}: « {t} » flagged but not the documented flaw: {}", ex.id, a.rel, f.fr);
                    }
                }
                Some(_) => {}
            }
            checked.push(format!("{} {}", ex.id, a.rel));
        }
    }
    for id in ["j3-budget-division-technique", "j3-formule"] {
        assert!(checked.iter().filter(|c| c.starts_with(&format!("{id} "))).count() >= 2, "{id} not checked: {checked:?}");
    }
}

/// One practice run of an exercise.
struct Replayed {
    text: String,
    date: String,
    route: Route,
    played: Option<std::path::PathBuf>,
    /// Sheet templates: Katib's tables, which fill the answer's anchors.
    tables: Vec<katib_sheet::ComputedTable>,
}

/// Runs exercise `ex` in practice mode for `learner`.
fn practice(wb: &Workbench, ex: &katib_workshop::Exercise, learner: &str) -> Replayed {
    std::env::set_var("KATIB_PRACTICE_PACE_MS", "0");
    let run = wb.start(&exercise::job(ex, None, learner)).expect("start");
    let conn = wb.connect_run(&run).expect("connect");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut sink = |_: &str| {};
    let answer = rt.block_on(run.stream(&conn, Vec::new(), &mut sink, &CancellationToken::new())).map_err(|i| i.error).expect("stream");
    let tables = run.figures.as_ref().map(|p| katib_core::run::computed_tables(p, run.prepared.language)).unwrap_or_default();
    Replayed { text: answer.text, date: run.prepared.today.clone(), route: run.route.clone(), played: run.recording.as_ref().map(|r| r.answer.clone()), tables }
}

#[test]
fn exported_pack_imports_into_a_fresh_profile_and_replays_offline_with_the_recorded_date() {
    let trainer = Profile::new();
    let out = trainer.out("ia-starter.katib");
    let r = library::export(&trainer.wb(), &ia_starter(), &out, false).unwrap();
    assert!(r.files > 40 && r.bytes > 10_000, "{r:?}");
    // Deterministic: the same pack gives the same bytes.
    let again = trainer.out("again.katib");
    library::export(&trainer.wb(), &ia_starter(), &again, false).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());
    // An existing output is not replaced without being asked.
    assert!(matches!(library::export(&trainer.wb(), &ia_starter(), &out, false), Err(WorkshopError::Exists { .. })));

    let learner = Profile::new();
    let report = library::import(&learner.wb(), &out, false).unwrap();
    assert_eq!(report.id, "ia-starter");
    assert!(report.templates_installed.iter().any(|p| p.ends_with("atelier-accuse-reception.md")), "{report:?}");
    assert!(learner.path("data/packs/ia-starter/pack.toml").is_file());
    // No network, no key: the default route is practice, and every exercise replays the variant
    // its learner gets, dated with the recorded date whatever today is.
    let mut wb = learner.wb();
    assert!(wb.catalog.get("atelier-accuse-reception").is_ok_and(|t| !t.builtin), "the pack's template joined the user's");
    let attached = library::attach(&mut wb);
    assert!(attached.packs.contains(&"ia-starter".to_string()) && attached.recordings >= 32, "{attached:?}");
    let opened = library::open(&wb, "ia-starter").unwrap();
    assert_eq!(opened.pack.origin, Origin::Imported);
    for ex in &opened.pack.exercises {
        for name in ["Amina El Idrissi", "Youssef Amrani", ""] {
            let i = exercise::variant_for(&opened.pack, ex, name).unwrap();
            let r = practice(&wb, ex, name);
            assert_eq!(r.route, Route::Practice);
            assert_eq!(r.played.as_deref(), Some(ex.answers[i].file.as_path()), "{} for {name:?}", ex.id);
            // The saved answer as written, with Katib's tables where a sheet answer anchors them.
            let saved = std::fs::read_to_string(&ex.answers[i].file).unwrap();
            let expected = katib_sheet::fill_anchors(&saved, &r.tables);
            assert!(expected.unknown.is_empty(), "{}: anchors with no table: {:?}", ex.id, expected.unknown);
            assert_eq!(r.text.trim(), expected.text.trim(), "{}", ex.id);
            assert_eq!(r.date, ex.answers[i].date, "{}: the recorded date is pinned", ex.id);
        }
        assert_eq!(exercise::variant_for(&opened.pack, ex, ""), Some(0), "no name: the first variant");
    }
    // Names spread over the variants.
    let ex = opened.pack.exercise("j5-verifier").unwrap();
    let got: std::collections::BTreeSet<usize> =
        ["Amina", "Youssef", "Karim", "Salma", "Hamza", "Nadia", "Omar", "Fatima", "Rachid", "Khadija", "Mehdi", "Laila", "Said", "Zineb", "Anas", "Houda"].iter().filter_map(|n| exercise::variant_for(&opened.pack, ex, n)).collect();
    assert_eq!(got.len(), 3, "{got:?}");
    // Another input is no longer the exercise's: practice says it has no saved answer.
    let mut job = exercise::job(ex, None, "Amina");
    job.inputs.values.insert("date_effet".into(), "2026-12-12".into());
    let run = wb.start(&job).unwrap();
    assert!(run.recording.is_none());

    // Re-importing the same pack replaces the earlier import and leaves the templates alone.
    let again = library::import(&learner.wb(), &out, false).unwrap();
    assert_eq!(again.replaced_pack.as_deref(), Some("1.1"));
    assert!(again.templates_installed.is_empty() && again.templates_replaced.is_empty());
}

#[test]
fn the_builtin_pack_works_without_import_and_its_template_joins_for_runs() {
    let p = Profile::new();
    let mut wb = p.wb();
    assert!(wb.catalog.get("atelier-accuse-reception").is_err());
    library::attach(&mut wb);
    assert!(wb.catalog.get("atelier-accuse-reception").is_ok(), "attach adds the built-in pack's template");
    let opened = library::open(&wb, "ia-starter").unwrap();
    assert_eq!(opened.pack.origin, Origin::Builtin);
    let ex = opened.pack.exercise("1").unwrap();
    let r = practice(&wb, ex, "Salma");
    assert!(r.text.contains("5120"), "{}", r.text);
    assert_eq!(r.date, "2026-11-16");
}

fn errors_of(dir: &Path, wb: &Workbench) -> Vec<WorkshopError> {
    load::validate(dir, wb).1.errors
}

#[test]
fn bad_packs_get_errors_naming_the_file_and_line() {
    let p = Profile::new();
    let wb = p.wb();
    let base = p.path("base");
    starter(&base);
    assert!(errors_of(&base, &wb).is_empty());
    let ex = "exercises/01-reponse.toml";
    let cases: Vec<(&str, &str, &str, &str, &str)> = vec![
        // (file, from, to, expected code, expected words)
        (ex, "file = \"answers/01-reponse.a.md\"", "file = \"answers/absente.md\"", "pack.missing_file", "answers/absente.md"),
        (ex, "lettre = \"files/lettre.txt\"", "lettre = \"../../etc/passwd\"", "pack.path_escapes", "outside the pack"),
        (ex, "lettre = \"files/lettre.txt\"", "lettre = \"/etc/passwd\"", "pack.path_escapes", "outside the pack"),
        (ex, "template = \"reponse-citoyen\"", "template = \"modele-inconnu\"", "pack.unknown_template", "modele-inconnu"),
        (ex, "type = \"closing\"", "type = \"politesse\"", "rubric.invalid", "unknown check type 'politesse'"),
        (ex, "min = 60", "min = 600", "rubric.invalid", "min (600) is larger than max (300)"),
        (ex, "addressee = \"citizen\"", "addressee = \"ministre\"", "rubric.invalid", "addressee 'ministre'"),
        (ex, "type = \"register\"", "type = \"register\"\nmin = 3", "rubric.invalid", "'min' is not a parameter of a 'register' check"),
        (ex, "date = \"2027-03-05\"\nsignataire", "date = \"05/13/2027\"\nsignataire", "pack.invalid", "is not a date"),
        (ex, "objet = ", "sujet = \"x\"\nobjet = ", "pack.invalid", "has no field 'sujet'"),
        (ex, "template_version = 2", "template_version = 7", "pack.invalid", "version 7"),
        (ex, "id = \"reponse-eclairage\"", "id = \"Réponse éclairage\"", "pack.invalid", "must use a-z"),
        ("pack.toml", "languages = [\"fr\", \"ar\"]", "languages = [\"fr\", \"tamazight\"]", "pack.invalid", "tamazight"),
        ("pack.toml", "title = {", "titre = {", "pack.invalid", "unknown field `titre`"),
    ];
    for (file, from, to, code, words) in cases {
        let dir = p.path(&format!("case-{}", code.replace('.', "-") + &words.len().to_string()));
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(&base, &dir);
        edit(&dir, file, from, to);
        let errs = errors_of(&dir, &wb);
        let e = errs.first().unwrap_or_else(|| panic!("{from} -> {to}: no error"));
        let msg = e.to_string();
        assert_eq!(e.code(), code, "{from} -> {to}: {msg}");
        assert!(msg.contains(words), "{from} -> {to}: {msg}");
        let (path, line) = e.location().unwrap_or_else(|| panic!("{msg}: no location"));
        assert!(path.ends_with(file), "{msg}");
        let first_line = to.lines().next().unwrap();
        let expected = line_of(&dir.join(file), first_line);
        // The line is the edited one, or the line of the table it belongs to.
        assert!(line >= 1 && line <= expected, "{msg}: line {line}, edited line {expected}");
        if !matches!(code, "pack.invalid" if words.contains("no field") || words.contains("not a date")) {
            assert!(line + 6 >= expected, "{msg}: line {line} far from {expected}");
        }
    }
}

#[test]
fn symlinks_and_newer_packs_are_refused() {
    let p = Profile::new();
    let wb = p.wb();
    // A symbolic link anywhere in the pack.
    #[cfg(unix)]
    {
        let dir = p.path("lien");
        starter(&dir);
        std::os::unix::fs::symlink("/etc/hostname", dir.join("files/secret.txt")).unwrap();
        let e = errors_of(&dir, &wb).remove(0);
        assert_eq!(e.code(), "pack.symlink", "{e}");
        // Import refuses it too, and leaves nothing behind.
        assert!(library::import(&wb, &dir, false).is_err());
        assert!(!p.path("data/packs/essai").exists());
    }
    // A pack for a newer format, or a newer Katib.
    for (from, to, words) in [("format = 1", "format = 2\nnouveau_champ = true", "pack format 2"), ("# requires = \"0.1.0\"", "requires = \"99.0\"", "Katib 99.0")] {
        let dir = p.path(&format!("futur-{}", words.len()));
        starter(&dir);
        edit(&dir, "pack.toml", from, to);
        let e = errors_of(&dir, &wb).remove(0);
        assert_eq!(e.code(), "pack.too_new", "{e}");
        assert!(e.to_string().contains(words) && e.to_string().contains("Update Katib"), "{e}");
    }
}

fn zip_with(path: &Path, entries: &[(&str, &[u8])], symlink: Option<(&str, &str)>) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    if let Some((name, target)) = symlink {
        z.add_symlink(name, target, opts).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn hostile_archives_are_refused_before_anything_is_written_outside() {
    let p = Profile::new();
    let manifest = std::fs::read(ia_starter().join("pack.toml")).unwrap();
    // (name, entries, a symbolic link entry, expected code)
    type Case<'a> = (&'a str, Vec<(&'a str, Vec<u8>)>, Option<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        ("evasion", vec![("pack.toml", manifest.clone()), ("../../evil.txt", b"x".to_vec())], None, "pack.path_escapes"),
        ("absolu", vec![("pack.toml", manifest.clone()), ("/tmp/evil.txt", b"x".to_vec())], None, "pack.path_escapes"),
        ("lien", vec![("pack.toml", manifest.clone())], Some(("files/lien", "/etc/passwd")), "pack.symlink"),
        // 8 MB of zeros compress about a thousand times: a zip bomb.
        ("bombe", vec![("pack.toml", manifest.clone()), ("files/zeros.bin", vec![0u8; 8 * 1024 * 1024])], None, "pack.too_large"),
        ("vide", vec![("lisez-moi.txt", b"rien".to_vec())], None, "pack.bad_archive"),
    ];
    for (name, entries, link, code) in cases {
        let file = p.path(&format!("{name}.katib"));
        let refs: Vec<(&str, &[u8])> = entries.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        zip_with(&file, &refs, link);
        let e = library::import(&p.wb(), &file, false).unwrap_err();
        assert_eq!(e.code(), code, "{name}: {e}");
        assert!(e.to_string().contains(&file.display().to_string()), "{name}: names the file: {e}");
        assert!(!p.path("evil.txt").exists() && !Path::new("/tmp/evil.txt").exists());
        // The import left nothing in the data folder but its (empty) packs folder.
        let left: Vec<_> = std::fs::read_dir(p.path("data/packs")).unwrap().flatten().map(|e| e.file_name()).collect();
        assert!(left.is_empty(), "{name}: {left:?}");
    }
    // Not a zip at all.
    let junk = p.path("junk.katib");
    std::fs::write(&junk, b"ceci n'est pas une archive").unwrap();
    assert_eq!(library::import(&p.wb(), &junk, false).unwrap_err().code(), "pack.bad_archive");
    // The header lies about the size: the extractor counts what really comes out.
    let dest = p.path("x");
    std::fs::create_dir_all(&dest).unwrap();
    assert!(archive::extract(&junk, &dest).is_err());
}

#[test]
fn importing_never_replaces_the_users_own_template_without_asking() {
    let p = Profile::new();
    // The user already has their own "atelier-accuse-reception", different from the pack's.
    let mine_dir = p.path("config/templates");
    std::fs::create_dir_all(&mine_dir).unwrap();
    let pack_tpl = std::fs::read_to_string(ia_starter().join("templates/atelier-accuse-reception.md")).unwrap();
    let mine = pack_tpl.replace("version = 1", "version = 3");
    std::fs::write(mine_dir.join("mon-accuse.md"), &mine).unwrap();
    let wb = p.wb();
    assert!(wb.catalog.get("atelier-accuse-reception").is_ok_and(|t| t.version == 3));
    let e = library::import(&wb, &ia_starter(), false).unwrap_err();
    assert_eq!(e.code(), "pack.would_replace");
    let msg = e.to_string();
    assert!(msg.contains("atelier-accuse-reception") && msg.contains("mon-accuse.md") && msg.contains("--replace"), "{msg}");
    // Nothing changed.
    assert_eq!(std::fs::read_to_string(mine_dir.join("mon-accuse.md")).unwrap(), mine);
    assert!(!p.path("data/packs/ia-starter").exists());
    assert_eq!(std::fs::read_dir(&mine_dir).unwrap().count(), 1);
    // Asked: the user's file is replaced in place (no second file with the same id).
    let r = library::import(&wb, &ia_starter(), true).unwrap();
    assert_eq!(r.templates_replaced, vec![mine_dir.join("mon-accuse.md")]);
    assert_eq!(std::fs::read_to_string(mine_dir.join("mon-accuse.md")).unwrap(), pack_tpl);
    assert_eq!(std::fs::read_dir(&mine_dir).unwrap().count(), 1);
    assert!(p.wb().catalog.get("atelier-accuse-reception").is_ok_and(|t| t.version == 1));
    // A pack template may not take a built-in template's id.
    let dir = p.path("ombre");
    starter(&dir);
    std::fs::write(dir.join("templates/convocation.md"), std::fs::read_to_string(common::repo().join("prompts/convocation.md")).unwrap()).unwrap();
    let e = errors_of(&dir, &p.wb()).remove(0);
    assert_eq!(e.code(), "pack.shadows_builtin", "{e}");
}

#[test]
fn recording_from_a_loopback_endpoint_saves_answers_that_replay_offline() {
    use katib_testserver::{Script, Server, Sse};
    let server = Server::start(vec![
        Script::Sse(Sse::tokens(&["Madame,\n\n", "Votre réclamation ", "est fondée : les 4 lampadaires ", "seront réparés le 10 mars 2027.\n\n", "Veuillez agréer, Madame, l'expression de mes salutations distinguées."])),
        Script::Sse(Sse::tokens(&["Madame,\n\nRéparation ", "le 10 mars 2027 de 4 lampadaires.\n\nVeuillez agréer, Madame, l'expression de mes salutations distinguées."])),
    ]);
    let trainer = Profile::new();
    std::fs::write(
        trainer.path("config/profiles.toml"),
        format!("[[profile]]\nname = \"local\"\nbase_url = \"{}\"\nmodel = \"test-model\"\n", server.base_url()),
    )
    .unwrap();
    let dir = trainer.path("atelier");
    starter(&dir);
    let wb = trainer.wb();
    let (pack, _) = load::open(&dir, &wb, Origin::Folder, Mode::Strict).unwrap();
    let opts = record::RecordOptions { profile: "local".into(), variants: 2, exercise: None };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut seen = Vec::new();
    let done = rt.block_on(record::record(&wb, &pack, &opts, None, &CancellationToken::new(), &mut |r| seen.push(r.file.clone()))).unwrap();
    assert_eq!(done.len(), 2);
    assert_eq!(seen.len(), 2);
    let today = katib_core::run::today();
    // The server received the exercise's rendered prompt.
    let reqs = server.wait_for(2, std::time::Duration::from_secs(5));
    let body = reqs.iter().find(|r| r.path.ends_with("/chat/completions")).unwrap().json();
    assert!(body.to_string().contains("Réparation programmée le 10 mars 2027"), "{body}");
    // Saved in the pack, appended to the exercise file with key and date, comments kept.
    let ex_file = std::fs::read_to_string(dir.join("exercises/01-reponse.toml")).unwrap();
    assert!(ex_file.starts_with("# Un exercice"), "comments kept");
    assert_eq!(ex_file.matches("source = \"recorded\"").count(), 2);
    assert!(ex_file.contains(&format!("date = \"{today}\"")));
    assert!(ex_file.contains(&format!("key = \"{}\"", pack.exercises[0].key.0)));
    assert!(std::fs::read_to_string(&done[0].file).unwrap().contains("4 lampadaires"));
    // The pack still validates, and offline the recordings replay with the recording date.
    let (pack, report) = load::validate(&dir, &wb);
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let pack = pack.unwrap();
    let ex = &pack.exercises[0];
    assert_eq!(ex.answers.len(), 4);
    let w = workbench_for(&wb, &pack);
    let name = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].iter().find(|n| exercise::variant_for(&pack, ex, n).is_some_and(|i| i >= 2)).unwrap();
    let r = practice(&w, ex, name);
    assert_eq!(r.route, Route::Practice, "the default profile is still practice");
    assert_eq!(r.date, today);
    assert!(r.text.contains("10 mars 2027"), "{}", r.text);
    // Practice is not an endpoint: recording refuses it.
    let opts = record::RecordOptions { profile: "practice".into(), variants: 1, exercise: None };
    let e = rt.block_on(record::record(&wb, &pack, &opts, None, &CancellationToken::new(), &mut |_| {})).unwrap_err();
    assert!(e.to_string().contains("needs an endpoint"), "{e}");
}
