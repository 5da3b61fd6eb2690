//! `katib merge` end to end: the binary against the loopback server, killed with SIGKILL at a
//! precise request (the server's hook, not a sleep) and resumed; failed rows, exit codes and
//! messages; the samples in practice mode; the combined document printed by LibreOffice
//! (ignored without it). Sheets here are written by rust_xlsxwriter (an independent writer:
//! Katib reads them with its own streaming reader); the samples' by openpyxl.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Stdio;

use katib_testserver::{Script, Server, Sse};
use serde_json::Value;

use crate::util::{docx_part, docx_text, ok, stderr, stdout, Sandbox};

fn sheet(path: &Path, rows: usize) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Civilité", "Nom", "Qualité", "Appel"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 0..rows {
        let row = r as u32 + 1;
        ws.write_string(row, 0, "Monsieur").unwrap();
        ws.write_string(row, 1, format!("Membre{r:02} Alaoui")).unwrap();
        ws.write_string(row, 2, "Conseiller communal").unwrap();
        ws.write_string(row, 3, "Monsieur le Conseiller").unwrap();
    }
    wb.save(path).unwrap();
}

/// The common arguments of a per-row convocation merge of `rows`.
fn merge_args(rows: &Path, out: &Path) -> Vec<String> {
    merge_in(rows, out, "per-row", "local")
}

fn merge_in(rows: &Path, out: &Path, mode: &str, profile: &str) -> Vec<String> {
    let mut a: Vec<String> = vec![
        "merge".into(),
        "convocation".into(),
        "--rows".into(),
        rows.display().to_string(),
        "--map".into(),
        "destinataire={Civilité} {Nom}\\n{Qualité}".into(),
        "--out-dir".into(),
        out.display().to_string(),
        "--mode".into(),
        mode.into(),
        "--profile".into(),
        profile.into(),
    ];
    for (k, v) in [
        ("langue", "fr"),
        ("objet", "Convocation à la réunion de la Commission du budget"),
        ("date_reunion", "01/12/2026"),
        ("heure", "15 h 00"),
        ("lieu", "Salle des commissions, Hôtel de ville d'Oujda"),
        ("ordre_du_jour", "1. Projet de budget 2027\n2. Divers"),
        ("date", "23/11/2026"),
        ("signataire", "Le Président de la Commission du budget"),
    ] {
        a.push("--set".into());
        a.push(format!("{k}={v}"));
    }
    a
}

fn answer(ms: u64) -> Script {
    let words = "Monsieur le Conseiller,\n\nJ'ai l'honneur de vous prier de bien vouloir assister à la réunion.\n\nVeuillez agréer, Monsieur le Conseiller, l'expression de mes salutations distinguées.\n";
    let mut s = Sse::tokens(&words.split_inclusive(' ').collect::<Vec<_>>());
    s.irregular = false;
    s.first_delay = std::time::Duration::from_millis(ms);
    Script::Sse(s)
}

fn journal(out: &Path) -> Vec<Value> {
    std::fs::read_to_string(out.join("publipostage.journal.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[test]
fn killed_mid_merge_and_resumed_each_done_row_is_sent_once_and_the_others_once() {
    let sb = Sandbox::new();
    let server = Server::start(vec![answer(150)]);
    ok(&sb.run(&["profiles", "add", "local", "--base-url", &server.base_url(), "--model", "test-model"]));
    let rows = sb.path("membres.xlsx");
    sheet(&rows, 20);
    let out = sb.out("lettres");
    let mut args = merge_args(&rows, &out);
    args.extend(["--concurrency".into(), "3".into()]);
    let child = sb.katib().args(&args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("katib merge");
    let pid = child.id();
    // SIGKILL the moment the server has answered its 8th request: some rows are done, some in
    // flight, some not started.
    server.when_answered(8, move || {
        let _ = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status();
    });
    let o = child.wait_with_output().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(o.status.signal(), Some(9), "killed by the hook: {}", stderr(&o));
    // The resume's requests are those received after it starts (a request the killed process
    // had sent may still be logged a moment after its death).
    let resume_started = server.elapsed();
    let done: BTreeSet<u64> = journal(&out).iter().filter(|e| e["event"] == "done").filter_map(|e| e["row"].as_u64()).collect();
    assert!(!done.is_empty() && done.len() < 20, "{done:?}");
    // Resumed: only the rows not done go.
    let mut resume = merge_args(&rows, &out);
    resume.push("--resume".into());
    let o = sb.run(&resume.iter().map(String::as_str).collect::<Vec<_>>());
    ok(&o);
    assert!(stderr(&o).contains(&format!("resuming: {} of 20 letters already written", done.len())), "{}", stderr(&o));
    let log = server.requests();
    for r in 0..20u64 {
        let name = format!("Membre{r:02} ");
        let all = log.iter().filter(|q| q.body.contains(&name)).count();
        let after = log.iter().filter(|q| q.received >= resume_started && q.body.contains(&name)).count();
        let row = r + 2;
        if done.contains(&row) {
            assert_eq!((all, after), (1, 0), "row {row} was done before the kill: sent once, never again");
        } else {
            assert_eq!(after, 1, "row {row} was not done: sent once by the resume");
        }
    }
    // Every letter is there once, whole, with its addressee; the journal has one "done" a row.
    let entries = journal(&out);
    let mut per_row: BTreeMap<u64, usize> = BTreeMap::new();
    for e in entries.iter().filter(|e| e["event"] == "done") {
        *per_row.entry(e["row"].as_u64().unwrap()).or_default() += 1;
        let file = out.join(e["file"].as_str().unwrap());
        let text = docx_text(&file);
        let r = e["row"].as_u64().unwrap() - 2;
        assert!(text.contains(&format!("Membre{r:02} Alaoui")), "{}", file.display());
    }
    assert_eq!(per_row.len(), 20);
    assert!(per_row.values().all(|n| *n == 1), "{per_row:?}");
    assert!(out.join("publipostage.docx").is_file());
}

#[test]
fn ctrl_c_stops_at_once_keeps_what_is_done_and_resume_finishes() {
    let sb = Sandbox::new();
    let server = Server::start(vec![answer(200)]);
    ok(&sb.run(&["profiles", "add", "local", "--base-url", &server.base_url(), "--model", "test-model"]));
    let rows = sb.path("membres.xlsx");
    sheet(&rows, 12);
    let out = sb.out("lettres");
    let mut args = merge_args(&rows, &out);
    args.extend(["--concurrency".into(), "2".into()]);
    let child = sb.katib().args(&args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("katib merge");
    let pid = child.id();
    server.when_answered(4, move || {
        let _ = std::process::Command::new("kill").args(["-INT", &pid.to_string()]).status();
    });
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(stderr(&o).contains("add --resume to finish"), "{}", stderr(&o));
    let done = journal(&out).iter().filter(|e| e["event"] == "done").count();
    assert!((2..12).contains(&done), "{done} done");
    assert!(!out.join("publipostage.docx").exists(), "no combined document while letters are missing");
    assert!(out.join("publipostage-suivi.xlsx").is_file());
    let mut resume = args.clone();
    resume.push("--resume".into());
    let o = sb.run(&resume.iter().map(String::as_str).collect::<Vec<_>>());
    ok(&o);
    assert_eq!(journal(&out).iter().filter(|e| e["event"] == "done").count(), 12);
    assert!(out.join("publipostage.docx").is_file());
}

#[test]
fn a_failing_row_gives_exit_12_the_others_are_written_and_json_reports_it() {
    let sb = Sandbox::new();
    let server = Server::start(vec![answer(0)]);
    server.route("Membre03 ", Script::Status { code: 400, headers: vec![], body: "{\"error\":{\"message\":\"contenu refusé\"}}".into() });
    ok(&sb.run(&["profiles", "add", "local", "--base-url", &server.base_url(), "--model", "test-model"]));
    let rows = sb.path("membres.xlsx");
    sheet(&rows, 6);
    let out = sb.out("lettres");
    let mut args = merge_args(&rows, &out);
    args.push("--json".into());
    let o = sb.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(12), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["report"]["done"], 5);
    assert_eq!(report["report"]["failed"], 1);
    assert_eq!(report["report"]["failures"][0]["row"], 5);
    // One JSON object per event on stderr, then the error.
    let events: Vec<Value> = stderr(&o).lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(events.iter().any(|e| e["event"] == "started"));
    assert_eq!(events.iter().filter(|e| e["event"] == "row").count(), 6);
    assert_eq!(events.last().unwrap()["error"]["code"], "merge.rows_failed");
    // Plain lines without --json (stderr is not a terminal here: no progress bar).
    let out2 = sb.out("lettres2");
    let o = sb.run(&merge_args(&rows, &out2).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(12));
    let err = stderr(&o);
    assert!(err.contains("katib: row 5 failed:") && err.contains("contenu refusé"), "{err}");
    assert!(err.contains("katib: row 2: 2-Monsieur Membre00 Alaoui.docx"), "{err}");
    assert!(err.contains("--resume sends them again"), "{err}");
}

#[test]
fn bad_input_is_refused_with_a_clear_message_and_nothing_written() {
    let sb = Sandbox::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/merge/tests/fixtures");
    let out = sb.out("lettres");
    let mut args = merge_in(&fixtures.join("incomplets.xlsx"), &out, "draft", "practice");
    args[5] = "destinataire={Civilité} {Prénom} {Nom}\\n{Qualité}".into();
    args.extend(["--draft".into(), sb.path("b.md").display().to_string()]);
    std::fs::write(sb.path("b.md"), "{{appel}},\n\n{{nom}}, vous êtes convoqué.\n").unwrap();
    let o = sb.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("2 of 4 rows cannot become letters") && err.contains("row 4:") && err.contains("row 5:") && err.contains("--skip-incomplete"), "{err}");
    assert!(!out.exists(), "nothing written");
    // With --skip-incomplete the others go, and the left-out rows are in the tracking workbook.
    args.push("--skip-incomplete".into());
    let o = sb.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    ok(&o);
    assert!(out.join("publipostage-suivi.xlsx").is_file());
    // More than 1,000 requests need --yes (no terminal to ask on).
    let big = sb.path("grand.xlsx");
    sheet(&big, 1001);
    let o = sb.run(&merge_in(&big, &sb.out("grand"), "per-row", "practice").iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("1001 rows, one request each") && stderr(&o).contains("--yes"), "{}", stderr(&o));
    assert!(!sb.out("grand").exists());
}

#[test]
fn samples_replay_offline_draft_then_merge_and_per_row() {
    let sb = Sandbox::new();
    let draft = sb.out("brouillon.md");
    // The plan alone, as JSON: the mapping and the draft request.
    let o = sb.run(&["merge", "convocation", "--sample", "commission", "--preview", "--json"]);
    ok(&o);
    let plan: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(plan["plan"]["ready"], 7);
    assert_eq!(plan["plan"]["header_row"], 3);
    let names: Vec<&str> = plan["plan"]["merge_fields"].as_array().unwrap().iter().filter_map(|f| f["name"].as_str()).collect();
    assert!(names.contains(&"destinataire") && names.contains(&"appel"), "{names:?}");
    // Draft mode: the model's draft (replayed), then the merge with it.
    ok(&sb.run(&["merge", "convocation", "--sample", "commission", "--draft-out", draft.to_str().unwrap()]));
    let text = std::fs::read_to_string(&draft).unwrap();
    assert!(text.starts_with("<!-- katib: brouillon de publipostage, exécution R") && text.contains("{{appel}}"), "{text}");
    let out = sb.out("convocations");
    let o = sb.run(&["merge", "convocation", "--sample", "commission", "--draft", draft.to_str().unwrap(), "--out-dir", out.to_str().unwrap(), "--final"]);
    ok(&o);
    let letter = out.join("04-Amrani.docx");
    let t = docx_text(&letter);
    assert!(t.contains("Monsieur le Vice-président,") && t.contains("Monsieur Youssef Amrani") && t.contains("N° 0001/DAG/2026"), "{t}");
    assert!(!t.contains("{{"), "every merge field is filled: {t}");
    let combined = docx_part(&out.join("publipostage.docx"), "word/document.xml");
    assert_eq!(combined.matches("<w:sectPr").count(), 7, "one section (one new page) per letter");
    // Per-row mode: one saved answer per row.
    let out = sb.out("accuses");
    let o = sb.run(&["merge", "accuse-reception", "--sample", "subventions", "--mode", "per-row", "--out-dir", out.to_str().unwrap()]);
    ok(&o);
    let t = docx_text(&out.join("4718-Association Al Amal des femmes artisanes.docx"));
    assert!(t.contains("Madame la Présidente de l'Association Al Amal des femmes artisanes") && t.contains("sous le n° 4718"), "{t}");
}

/// Pages of a PDF, by pdfinfo (poppler).
fn pages(pdf: &Path) -> u32 {
    let o = std::process::Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils) is needed by this test");
    String::from_utf8_lossy(&o.stdout).lines().find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap())).expect("a page count")
}

#[test]
#[ignore = "needs LibreOffice and poppler-utils"]
fn combined_document_prints_each_letter_from_a_new_page() {
    let sb = Sandbox::new();
    let draft = sb.path("brouillon.md");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/practice/merge/convocation.commission.draft.md"), &draft).unwrap();
    let out = sb.out("convocations");
    ok(&sb.run(&["merge", "convocation", "--sample", "commission", "--draft", draft.to_str().unwrap(), "--out-dir", out.to_str().unwrap()]));
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&out).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "docx")).collect();
    files.sort();
    let refs: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let pdfs = crate::util::libreoffice_batch(&refs, "pdf", &sb.path("pdf"));
    let (mut combined, mut letters) = (0, 0);
    for (f, pdf) in files.iter().zip(&pdfs) {
        if f.file_name().unwrap() == "publipostage.docx" {
            combined = pages(pdf);
        } else {
            letters += pages(pdf);
        }
    }
    assert_eq!(letters, 7, "each letter is one page");
    assert_eq!(combined, letters, "the combined document starts every letter on a new page");
}
