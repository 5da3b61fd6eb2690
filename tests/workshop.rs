//! Workshop mode through the `katib` command, as a trainer and learners type it: the IA Starter
//! pack exported, imported into a fresh profile and run offline with no key; rubric checks and
//! their exit codes; bad packs named by file and line; templates never replaced without
//! --replace; peer review between two sandboxes; recording from a loopback server.

use std::path::Path;

use calamine::{open_workbook, Reader, Xlsx};
use katib_testserver::{Script, Server, Sse};
use serde_json::Value;

use crate::util::*;

fn json_out(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn ia_starter() -> String {
    repo().join("packs/ia-starter").to_string_lossy().to_string()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The answers of exercise `n` of the IA Starter pack, as a replay gives them: as saved, with
/// Katib's tables in place of their anchors when the template computes figures from a sheet
/// (profiled here, independently of the run, as tests/figures.rs does).
fn saved_answers(n: usize) -> Vec<String> {
    let pack = repo().join("packs/ia-starter");
    let mut files: Vec<_> = std::fs::read_dir(pack.join("exercises")).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    let ex: toml::Value = toml::from_str(&std::fs::read_to_string(&files[n - 1]).unwrap()).unwrap();
    let sb = Sandbox::new();
    let wb = katib_core::run::Workbench::load_from(katib_core::config::Paths { config_dir: sb.config(), data_dir: sb.path("data") }).unwrap();
    let tables = match wb.template(ex["template"].as_str().unwrap()).ok().and_then(|t| t.sheet.clone()) {
        Some(spec) => {
            let sheet = ex["files"].as_table().and_then(|f| f.values().next()).map(|v| pack.join(v.as_str().unwrap())).expect("a sheet exercise has its sheet");
            let p = katib_core::run::profile(&sheet, &spec, &Default::default(), &wb.limits()).unwrap();
            let lang = if ex["values"].get("langue").and_then(|l| l.as_str()) == Some("ar") { katib_core::Lang::Ar } else { katib_core::Lang::Fr };
            katib_core::run::computed_tables(&p, lang)
        }
        None => Vec::new(),
    };
    ex["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let filled = katib_sheet::fill_anchors(&std::fs::read_to_string(pack.join(a["file"].as_str().unwrap())).unwrap(), &tables);
            assert!(filled.unknown.is_empty(), "exercise {n}: anchors with no table: {:?}", filled.unknown);
            filled.text
        })
        .collect()
}

#[test]
fn ia_starter_exports_imports_and_runs_offline_with_no_key() {
    let trainer = Sandbox::new();
    let file = trainer.out("ia-starter.katib");
    ok(&trainer.run(&["pack", "validate", &ia_starter()]));
    ok(&trainer.run(&["pack", "export", &ia_starter(), "--out", s(&file)]));
    let again = trainer.run(&["pack", "export", &ia_starter(), "--out", s(&file)]);
    assert_eq!(again.status.code(), Some(7), "an existing file needs --force: {}", stderr(&again));
    ok(&trainer.run(&["pack", "validate", s(&file)]));

    let learner = Sandbox::new();
    let o = learner.run(&["pack", "import", s(&file), "--json"]);
    ok(&o);
    let r = json_out(&o);
    assert_eq!(r["id"], "ia-starter");
    assert!(r["exercises"].as_u64().unwrap() >= 12);
    let list = json_out(&learner.run(&["pack", "list", "--json"]));
    let packs = list["packs"].as_array().unwrap();
    assert_eq!(packs.len(), 1, "the imported copy stands for the built-in one: {packs:?}");
    assert_eq!(packs[0]["origin"], "imported");
    ok(&learner.run(&["review", "whoami", "--set", "Salma Kerroumi", "--team", "Équipe 3"]));
    let exercises = json_out(&learner.run(&["exercise", "list", "--pack", "ia-starter", "--json"]));
    let exercises = exercises.as_array().unwrap();
    for e in exercises {
        let n = e["number"].as_u64().unwrap() as usize;
        let out = learner.out(&format!("reponse-{n}.md"));
        let o = learner.run(&["exercise", "run", "--pack", "ia-starter", "--exercise", &n.to_string(), "--out", s(&out)]);
        ok(&o);
        assert!(stderr(&o).contains("practice mode: saved answer"), "{}", stderr(&o));
        let answers = saved_answers(n);
        let got = stdout(&o);
        assert!(answers.iter().any(|a| a.trim() == got.trim()), "exercise {n}: the replay is one of its saved answers");
        assert_eq!(std::fs::read_to_string(&out).unwrap().trim(), got.trim());
        // The check's exit code says whether this variant is the sound one (11: a rubric check
        // failed; 10 is kept for bad pack and review files).
        let c = learner.run(&["exercise", "check", s(&out), "--pack", "ia-starter", "--exercise", &n.to_string(), "--json"]);
        let res = json_out(&c);
        assert_eq!(c.status.code(), Some(if res["ok"].as_bool().unwrap() { 0 } else { 11 }), "{}", stderr(&c));
    }
    // Katib's number check under the replayed answer: this learner gets the flawed variant of
    // exercises 7 and 8, whose figures Katib did not compute are named (and only those).
    for (n, figures) in [(7, vec!["37 480 000", "98,6 %"]), (8, vec!["8 427 500"])] {
        let o = learner.run(&["exercise", "run", "--pack", "ia-starter", "--exercise", &n.to_string(), "--json"]);
        ok(&o);
        assert!(stderr(&o).contains("saved answer 2 of 2"), "exercise {n}: {}", stderr(&o));
        let v = json_out(&o);
        let flagged: Vec<&str> = v["flags"].as_array().unwrap().iter().map(|f| f["text"].as_str().unwrap()).collect();
        assert_eq!(flagged, figures, "exercise {n}");
        for f in &figures {
            assert!(stderr(&o).contains(&format!("« {f} »: chiffre absent des calculs de Katib")), "exercise {n}: {}", stderr(&o));
        }
    }
    // `katib run` replays a pack's answer too, for the exercise's inputs (here exercise 8).
    let ex8: toml::Value = toml::from_str(&std::fs::read_to_string(repo().join("packs/ia-starter/exercises/08-formule.toml")).unwrap()).unwrap();
    let demande = ex8["values"]["demande"].as_str().unwrap();
    let tableau = repo().join("packs/ia-starter/files/tableau-budget-2026.xlsx");
    let o = learner.run(&["run", "aide-formule", "--set", "mode=ecrire", "--set", &format!("demande={demande}"), "--file", &format!("tableau={}", s(&tableau))]);
    ok(&o);
    assert!(saved_answers(8).iter().any(|a| a.trim() == stdout(&o).trim()), "{}", stdout(&o));
    // Nothing was written outside the sandbox's data, config and out folders.
    for (p, _) in learner.all_files() {
        let rel = p.strip_prefix(learner.dir.path()).unwrap();
        assert!(["data", "config", "out"].iter().any(|d| rel.starts_with(d)), "{}", rel.display());
    }
}

#[test]
fn exercise_check_explains_each_check_and_fails_with_exit_11() {
    let sb = Sandbox::new();
    let sound = repo().join("packs/ia-starter/answers/j2-reponse-citoyen.a.md");
    let flawed = repo().join("packs/ia-starter/answers/j2-reponse-citoyen.c.md");
    let o = sb.run(&["exercise", "check", s(&sound), "--pack", &ia_starter(), "--exercise", "4", "--self-check", "1,2"]);
    ok(&o);
    assert!(stdout(&o).contains("8/8 checks passed") && stdout(&o).contains("[x]"), "{}", stdout(&o));
    let o = sb.run(&["exercise", "check", s(&flawed), "--pack", &ia_starter(), "--exercise", "j2-reponse-citoyen", "--lang", "ar"]);
    assert_eq!(o.status.code(), Some(11), "{}", stderr(&o));
    // The French reference isolated in the Arabic sentence (U+2068 ... U+2069), so that it reads
    // in its own direction.
    assert!(stdout(&o).contains("FAIL المراجع القانونية") && stdout(&o).contains("«\u{2068}article 12\u{2069}»"), "{}", stdout(&o));
    let o = sb.run(&["exercise", "check", s(&flawed), "--pack", &ia_starter(), "--exercise", "4", "--json"]);
    assert_eq!(o.status.code(), Some(11));
    let r = json_out(&o);
    let refs = r["checks"].as_array().unwrap().iter().find(|c| c["type"] == "references").unwrap();
    assert_eq!(refs["ok"], false);
    assert_eq!(refs["findings"][0]["text"], "article 12");
    let err: Value = serde_json::from_str(stderr(&o).trim()).unwrap();
    assert_eq!(err["error"]["code"], "rubric.failed");
    let o = sb.run(&["exercise", "check", s(&sound), "--pack", &ia_starter(), "--exercise", "99"]);
    assert_eq!(o.status.code(), Some(10));
    assert!(stderr(&o).contains("no exercise '99'"), "{}", stderr(&o));
}

#[test]
fn a_bad_pack_is_named_by_file_and_line() {
    let sb = Sandbox::new();
    let dir = sb.path("atelier");
    ok(&sb.run(&["pack", "new", s(&dir)]));
    ok(&sb.run(&["pack", "validate", s(&dir)]));
    let ex = dir.join("exercises/01-reponse.toml");
    let text = std::fs::read_to_string(&ex).unwrap().replacen("type = \"closing\"", "type = \"politesse\"", 1);
    std::fs::write(&ex, &text).unwrap();
    let line = text.lines().position(|l| l.contains("type = \"politesse\"")).unwrap() + 1;
    let o = sb.run(&["pack", "validate", s(&dir)]);
    assert_eq!(o.status.code(), Some(10), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(&format!("01-reponse.toml:{}: rubric: unknown check type 'politesse'", line - 1)) || out.contains(&format!("01-reponse.toml:{line}: rubric: unknown check type 'politesse'")), "{out}");
    let o = sb.run(&["pack", "validate", s(&dir), "--json"]);
    let v = json_out(&o);
    assert_eq!(v["ok"], false);
    assert_eq!(v["errors"][0]["code"], "rubric.invalid");
    assert!(v["errors"][0]["file"].as_str().unwrap().ends_with("01-reponse.toml"));
    // Export refuses an invalid pack; `pack new` refuses a folder that is not empty.
    assert_eq!(sb.run(&["pack", "export", s(&dir), "--out", s(&sb.out("x.katib"))]).status.code(), Some(10));
    assert!(!sb.out("x.katib").exists());
    assert_eq!(sb.run(&["pack", "new", s(&dir)]).status.code(), Some(7));
}

#[test]
fn import_asks_before_replacing_the_users_template() {
    let sb = Sandbox::new();
    let mine = sb.config().join("templates");
    std::fs::create_dir_all(&mine).unwrap();
    let pack_tpl = std::fs::read_to_string(repo().join("packs/ia-starter/templates/atelier-accuse-reception.md")).unwrap();
    std::fs::write(mine.join("a-moi.md"), pack_tpl.replace("Accusé de réception d'un dossier (atelier)", "Mon accusé")).unwrap();
    let o = sb.run(&["pack", "import", &ia_starter()]);
    assert_eq!(o.status.code(), Some(10));
    let err = stderr(&o);
    assert!(err.contains("a-moi.md") && err.contains("--replace") && err.contains("Nothing was changed"), "{err}");
    assert!(std::fs::read_to_string(mine.join("a-moi.md")).unwrap().contains("Mon accusé"));
    let o = sb.run(&["pack", "import", &ia_starter(), "--replace"]);
    ok(&o);
    assert!(stdout(&o).contains("template replaced (--replace)"), "{}", stdout(&o));
    assert!(!std::fs::read_to_string(mine.join("a-moi.md")).unwrap().contains("Mon accusé"));
    // Removing the import leaves the built-in pack, and the installed template stays the user's.
    ok(&sb.run(&["pack", "remove", "ia-starter"]));
    let list = json_out(&sb.run(&["pack", "list", "--json"]));
    assert_eq!(list["packs"][0]["origin"], "builtin");
    assert!(mine.join("a-moi.md").is_file());
    assert_eq!(sb.run(&["pack", "remove", "ia-starter"]).status.code(), Some(10));
}

#[test]
fn peer_review_between_two_computers_ends_in_the_trainers_workbook() {
    let amina = Sandbox::new();
    let youssef = Sandbox::new();
    for (sb, name, team) in [(&amina, "Amina El Idrissi", "Équipe 2"), (&youssef, "Youssef Amrani", "Équipe 1")] {
        ok(&sb.run(&["pack", "import", &ia_starter()]));
        let o = sb.run(&["review", "whoami"]);
        assert_eq!(o.status.code(), Some(8), "no name yet: {}", stderr(&o));
        ok(&sb.run(&["review", "whoami", "--set", name, "--team", team]));
        assert_eq!(stdout(&sb.run(&["review", "whoami"])).trim(), format!("{name} ({team})"));
    }
    // Amina runs the team exercise, edits the answer and hands it in.
    let answer = amina.out("lettre.md");
    ok(&amina.run(&["exercise", "run", "--pack", "ia-starter", "--exercise", "14", "--out", s(&answer)]));
    let text = std::fs::read_to_string(&answer).unwrap().replace("Cher Monsieur,", "Monsieur le Gérant,").replace("Cordialement.", "Veuillez agréer, Monsieur le Gérant, l'expression de mes salutations distinguées.");
    std::fs::write(&answer, &text).unwrap();
    let rendu = amina.out("amina.katib-rendu");
    let o = amina.run(&["review", "submit", "--pack", "ia-starter", "--exercise", "14", "--answer", s(&answer), "--self-check", "1,2", "--out", s(&rendu), "--json"]);
    ok(&o);
    let sub = json_out(&o);
    // The file travels (USB key, shared folder) to Youssef's computer.
    let received = youssef.out("amina.katib-rendu");
    std::fs::copy(&rendu, &received).unwrap();
    let o = youssef.run(&["review", "open", s(&received)]);
    ok(&o);
    assert!(stdout(&o).contains("Amina El Idrissi (Équipe 2)") && stdout(&o).contains("boulevard Zerktouni"), "{}", stdout(&o));
    let avis = youssef.out("avis.katib-avis");
    ok(&youssef.run(&["review", "write", s(&received), "--score", "17", "--comment", "Lettre claire ; vérifier le délai avec le formulaire.", "--self-check", "2", "--out", s(&avis)]));
    let o = youssef.run(&["review", "write", s(&received), "--score", "25", "--comment", "x", "--out", s(&youssef.out("b.katib-avis"))]);
    assert_ne!(o.status.code(), Some(0));
    // Back to Amina.
    let back = amina.out("avis.katib-avis");
    std::fs::copy(&avis, &back).unwrap();
    ok(&amina.run(&["review", "import", s(&back)]));
    let list = json_out(&amina.run(&["review", "list", "--json"]));
    assert_eq!(list[0]["score"], 17);
    assert_eq!(list[0]["reviewer"]["name"], "Youssef Amrani");
    // The trainer gathers the room.
    let trainer = Sandbox::new();
    let room = trainer.path("salle");
    std::fs::create_dir_all(&room).unwrap();
    std::fs::copy(&rendu, room.join("amina.katib-rendu")).unwrap();
    std::fs::copy(&avis, room.join("avis.katib-avis")).unwrap();
    let xlsx = trainer.out("resultats.xlsx");
    let o = trainer.run(&["review", "results", s(&room), "--out", s(&xlsx)]);
    ok(&o);
    assert!(stdout(&o).contains("1 learner(s), 1 submission(s), 1 review(s)"), "{}", stdout(&o));
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let rows: Vec<Vec<String>> = book.worksheet_range("Rendus").unwrap().rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[1][0], "Amina El Idrissi");
    assert_eq!(rows[1][2], "14");
    assert_eq!(rows[1][4], sub["rubric"]["passed"].to_string());
    assert_eq!(rows[1][9], "17");
}

#[test]
fn pack_record_saves_a_loopback_endpoints_answers_into_the_pack() {
    let sb = Sandbox::new();
    let server = Server::start(vec![Script::Sse(Sse::tokens(&["Madame,\n\n", "Les 4 lampadaires seront réparés ", "le 10 mars 2027.\n\n", "Veuillez agréer, Madame, l'expression de mes salutations distinguées."]))]);
    ok(&sb.run(&["profiles", "add", "local", "--base-url", &server.base_url(), "--model", "test-model"]));
    let dir = sb.path("atelier");
    ok(&sb.run(&["pack", "new", s(&dir)]));
    let o = sb.run(&["pack", "record", s(&dir), "--profile", "local", "--variants", "2", "--json"]);
    ok(&o);
    let rec = json_out(&o);
    assert_eq!(rec.as_array().unwrap().len(), 2);
    assert_eq!(rec[0]["model"], "test-model");
    assert_eq!(server.requests().iter().filter(|r| r.path.ends_with("/chat/completions")).count(), 2);
    let v = json_out(&sb.run(&["pack", "validate", s(&dir), "--json"]));
    assert_eq!(v["ok"], true, "{v}");
    // Recording into practice mode is refused.
    let o = sb.run(&["pack", "record", s(&dir), "--profile", "practice"]);
    assert_ne!(o.status.code(), Some(0));
}
