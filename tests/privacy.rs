//! Personal data stays on this computer, end to end through `katib`: a loopback server records
//! every request it receives; runs full of names, CIN, phones, RIBs, e-mails and addresses (French
//! and Arabic; in form fields, a .docx and a .csv) go to a CLOUD profile: not one original value
//! reaches the server, and the answer, which echoes the placeholders split across chunks, comes
//! back restored on stdout and in the .docx. A local profile sends the text as it is. The history
//! keeps a killed run's partial answer; register numbers never repeat across processes.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use katib_core::export::{self, ExportDoc};
use katib_core::{Lang, OutputKind};
use katib_testserver::{Script, Server, Sse};
use serde_json::Value;

use crate::util::*;

/// Values that must never leave, and the texts that carry them.
const NAMES: &[&str] = &["Youssef Amrani", "Fatima Zahra El Idrissi", "Karim Benjelloun", "محمد العلوي", "خديجة بناني"];
const IDS: &[&str] = &["AB123456", "0612345678", "y.amrani@gmail.com", "011780000012345678901296", "ZT98765"];

fn consigne() -> String {
    "Répondre à M. Youssef Amrani (CIN n° AB123456, tél. 06 12 34 56 78, courriel y.amrani@gmail.com), \
     domicilié 27, rue Al Mansour Eddahbi, Hay Al Qods, Oujda, qui demande le remboursement d'un trop-perçu \
     sur son compte RIB 011 780 0000123456789012 96. Mme Fatima Zahra El Idrissi (CIN ZT98765) l'accompagnait. \
     كما تقدم السيد محمد العلوي والسيدة خديجة بناني بنفس الطلب."
        .into()
}

fn profiles(sb: &Sandbox, base_url: &str, class: &str) {
    std::fs::write(
        sb.config().join("profiles.toml"),
        format!("default = \"api\"\n[[profile]]\nname = \"api\"\nbase_url = \"{base_url}\"\nmodel = \"m\"\nretries = 0\ndata_class = \"{class}\"\n"),
    )
    .unwrap();
}

/// A .docx and a .csv that also hold personal data.
fn files(sb: &Sandbox) -> (std::path::PathBuf, std::path::PathBuf) {
    let docx = sb.path("in/dossier.docx");
    std::fs::create_dir_all(docx.parent().unwrap()).unwrap();
    let md = "# Dossier\n\nLe demandeur, M. Karim Benjelloun, joignable au 0661 22 33 44, a déposé sa demande le 3 novembre 2026.\n";
    export::write(&docx, &ExportDoc::new(md, Lang::Fr, OutputKind::Report), false).unwrap();
    let csv = sb.path("in/beneficiaires.csv");
    std::fs::write(&csv, "Nom;CIN;Téléphone;Montant (DH)\nYoussef Amrani;AB123456;0612345678;1 200\nخديجة بناني;ZT98765;0700112233;850\n").unwrap();
    (docx, csv)
}

fn run_args<'a>(docx: &'a Path, csv: &'a Path, consigne: &'a str) -> Vec<String> {
    vec![
        "run".into(),
        "demande-libre".into(),
        "--set".into(),
        format!("consigne={consigne}"),
        "--file".into(),
        format!("fichier_1={}", docx.display()),
        "--file".into(),
        format!("fichier_2={}", csv.display()),
        "--set".into(),
        "objet=Remboursement d'un trop-perçu".into(),
        "--set".into(),
        "destinataire=Monsieur Youssef Amrani\n27, rue Al Mansour Eddahbi\nOujda".into(),
        "--set".into(),
        "date=2026-11-23".into(),
        "--set".into(),
        "signataire=Le Président du Conseil de la Commune d'Oujda".into(),
    ]
}

/// Every form a value may be sent in (a phone with or without spaces).
fn leaks(body: &str) -> Vec<String> {
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    NAMES
        .iter()
        .chain(IDS)
        .chain(&["Amrani", "Benjelloun", "0661223344", "rue Al Mansour Eddahbi", "العلوي"])
        .filter(|v| body.contains(**v) || compact.contains(&v.replace(' ', "")))
        .map(|v| v.to_string())
        .collect()
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn a_cloud_endpoint_never_receives_a_personal_value_and_the_answer_comes_back_restored() {
    let sb = Sandbox::new();
    let (docx, csv) = files(&sb);
    let consigne = consigne();
    let server = Server::start(vec![]);
    profiles(&sb, &server.base_url(), "cloud");
    let args = run_args(&docx, &csv, &consigne);

    // What would leave: the placeholders, and each value kept here.
    let mut dry: Vec<String> = args.clone();
    dry.extend(["--dry-run".into(), "--json".into()]);
    let o = sb.katib().args(&dry).output().unwrap();
    ok(&o);
    let out = json(&o);
    assert_eq!(out["protection"]["mode"], "pseudonymised", "{out}");
    assert_eq!(out["dataClass"], "cloud");
    let sent = out["messages"].to_string();
    assert!(leaks(&sent).is_empty(), "values in the messages to send: {:?}", leaks(&sent));
    let masked = out["masked"].as_array().unwrap();
    let placeholder = |original: &str| -> String {
        masked
            .iter()
            .find(|m| m["original"].as_str().is_some_and(|o| o.contains(original)))
            .unwrap_or_else(|| panic!("'{original}' not masked: {masked:#?}"))["placeholder"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (nom, cin, tel) = (placeholder("Youssef Amrani"), placeholder("AB123456"), placeholder("06 12 34 56 78"));
    let nom_ar = placeholder("محمد العلوي");
    assert_eq!(placeholder("Amrani"), nom, "one placeholder for every spelling of a name");

    // The model echoes the placeholders; the stream splits them anywhere (inside the brackets,
    // with the case changed, after an Arabic prefix).
    let answer = format!("Monsieur,\n\nVotre demande ({nom}, CIN {cin}) est accordée ; nous vous appellerons au {tel}.\nوسلمت نسخة ل{nom_ar}.\n");
    let answer = answer.replacen(&cin, &cin.to_lowercase(), 1);
    let tokens: Vec<String> = answer.chars().collect::<Vec<_>>().chunks(3).map(|c| c.iter().collect()).collect();
    server.set_scripts(vec![Script::Sse(Sse::tokens(&tokens))]);
    let docx_out = sb.out("reponse.docx");
    let mut real = args.clone();
    real.extend(["--out".into(), docx_out.display().to_string()]);
    let o = sb.katib().args(&real).output().unwrap();
    ok(&o);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let body = &requests[0].body;
    assert!(leaks(body).is_empty(), "values reached the server: {:?}", leaks(body));
    assert!(body.contains(&nom) && body.contains(&cin), "the placeholders were sent");
    // Restored on stdout and in the document.
    let shown = stdout(&o);
    for v in ["Youssef Amrani", "AB123456", "06 12 34 56 78", "لمحمد العلوي"] {
        assert!(shown.contains(v), "'{v}' not restored on stdout:\n{shown}");
    }
    assert!(!shown.contains('['), "no placeholder left: {shown}");
    let text = docx_text(&docx_out);
    assert!(text.contains("Youssef Amrani") && text.contains("AB123456") && !text.contains("[NOM"), "{text}");
}

#[test]
fn a_local_endpoint_gets_the_text_as_it_is() {
    let sb = Sandbox::new();
    let (docx, csv) = files(&sb);
    let consigne = consigne();
    let server = Server::start(vec![Script::Sse(Sse::tokens(&["Monsieur, ", "bien reçu."]))]);
    profiles(&sb, &server.base_url(), "local");
    let o = sb.katib().args(run_args(&docx, &csv, &consigne)).output().unwrap();
    ok(&o);
    let body = &server.requests()[0].body;
    assert!(body.contains("Youssef Amrani") && body.contains("AB123456") && body.contains("Karim Benjelloun"), "local: nothing to mask");
}

#[test]
fn a_policy_forbids_sending_unmasked_and_the_cli_says_so() {
    let sb = Sandbox::new();
    let (docx, csv) = files(&sb);
    let consigne = consigne();
    let server = Server::start(vec![Script::Sse(Sse::tokens(&["x"]))]);
    profiles(&sb, &server.base_url(), "cloud");
    let policy = sb.path("policy.toml");
    std::fs::write(&policy, "force_pseudonymisation = true\n").unwrap();
    let mut args = run_args(&docx, &csv, &consigne);
    args.extend(["--send-unmasked".into(), "--yes".into()]);
    let o = sb.katib().env("KATIB_POLICY_FILE", &policy).args(&args).output().unwrap();
    assert_eq!(o.status.code(), Some(8), "{}", stderr(&o));
    assert!(stderr(&o).contains("policy") && stderr(&o).contains("pseudonymisation is forced"), "{}", stderr(&o));
    assert!(server.requests().is_empty(), "nothing sent");
    // Without the policy the override goes through, and the history records who confirmed it.
    let o = sb.katib().args(&args).output().unwrap();
    ok(&o);
    assert!(server.requests()[0].body.contains("Youssef Amrani"));
    let list = json(&sb.run(&["history", "list", "--json"]));
    let id = list[0]["id"].as_str().unwrap();
    let shown = json(&sb.run(&["history", "show", id, "--json"]));
    assert!(shown["summary"]["pseudonymisation_override"]["what"].as_str().unwrap().contains("unmasked"), "{shown}");
}

#[test]
fn a_run_killed_mid_stream_is_in_the_history_with_its_partial_answer() {
    let sb = Sandbox::new();
    let tokens: Vec<String> = (0..400).map(|i| format!("mot{i} ")).collect();
    let sse = Sse { delay: Duration::from_millis(15), irregular: false, ..Sse::tokens(&tokens) };
    let server = Server::start(vec![Script::Sse(sse)]);
    profiles(&sb, &server.base_url(), "local");
    let mut child = sb
        .katib()
        .args(["run", "demande-libre", "--set", "consigne=Rédiger une note.", "--set", "objet=Essai", "--set", "destinataire=Monsieur le Directeur", "--set", "date=2026-11-23", "--set", "signataire=Le Directeur"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed once the server has sent its 120th token, not after a sleep.
    let start = Instant::now();
    while server.requests().first().map_or(0, |r| r.tokens_sent) < 120 {
        assert!(start.elapsed() < Duration::from_secs(60), "the stream never reached 120 tokens");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let wb = katib_core::run::Workbench::load_from(katib_core::config::Paths { config_dir: sb.config(), data_dir: sb.path("data") }).unwrap();
    let h = wb.history().unwrap();
    assert_eq!(h.integrity_check().unwrap(), Ok(()));
    let runs = h.list(&Default::default()).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status.as_str(), "partial", "a dead process's run is closed as partial");
    let answer = h.get(&runs[0].id).unwrap().texts.unwrap().answer;
    assert!(answer.starts_with("mot0 mot1 "), "{answer}");
    assert!(!answer.contains("mot399"), "only what was received");
}

#[test]
fn final_letters_get_register_numbers_that_never_repeat_across_processes() {
    let sb = Sandbox::new();
    std::fs::write(sb.config().join("config.toml"), "[register]\npattern = \"{seq:04}/{service}/{year}\"\nservice = \"DRH\"\n").unwrap();
    let children: Vec<_> = (0..6)
        .map(|i| {
            let out = sb.out(&format!("attestation-{i}.docx"));
            let c = sb.katib().args(["run", "attestation", "--sample", "--set", "reference=", "--final", "--out", out.to_str().unwrap()]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
            (c, out)
        })
        .collect();
    let mut numbers = Vec::new();
    for (c, out) in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = docx_text(&out);
        let n = text.split_whitespace().find(|w| w.ends_with("/DRH/2026")).unwrap_or_else(|| panic!("no number in {text}")).to_string();
        numbers.push(n);
    }
    numbers.sort();
    let expected: Vec<String> = (1..=6).map(|i| format!("{i:04}/DRH/2026")).collect();
    assert_eq!(numbers, expected, "consecutive, none twice");
    let reg = json(&sb.run(&["register", "list", "--json"]));
    assert_eq!(reg.as_array().unwrap().len(), 6);
    assert!(reg.as_array().unwrap().iter().all(|e| e["file"].as_str().is_some_and(|f| f.ends_with(".docx"))), "{reg}");
}

/// False positives on the samples' own administrative text: what the masker would replace in
/// every sample's prompt, on a cloud profile, is never a date of a letter, an amount, an article
/// or law number, or a reference like 1234/DAG/2026.
#[test]
fn the_samples_administrative_text_is_not_mistaken_for_personal_data() {
    let sb = Sandbox::new();
    profiles(&sb, "https://api.example.org/v1", "cloud");
    let samples = json(&sb.run(&["samples", "list", "--json"]));
    let mut masked_total = 0;
    for s in samples.as_array().unwrap() {
        let mut args = vec!["run".to_string(), s["template"].as_str().unwrap().into(), "--sample".into()];
        if let Some(n) = s["name"].as_str() {
            args.push(n.into());
        }
        args.extend(["--profile".into(), "api".into(), "--dry-run".into(), "--json".into()]);
        let o = sb.katib().args(&args).output().unwrap();
        ok(&o);
        let out = json(&o);
        for m in out["masked"].as_array().into_iter().flatten() {
            masked_total += 1;
            let v = m["original"].as_str().unwrap();
            let digits = v.chars().filter(char::is_ascii_digit).count();
            let letters = v.chars().filter(|c| c.is_alphabetic()).count();
            assert!(!(v.contains('/') && digits >= 4 && letters <= 4), "{}: a reference masked: {v}", s["id"]);
            assert!(!v.to_lowercase().contains("article") && !v.contains("loi n") && !v.contains("DH") && !v.contains("درهم"), "{}: {v}", s["id"]);
            for month in ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre", "نونبر", "أكتوبر"] {
                assert!(!(v.contains(month) && m["kind"] != "date_naissance"), "{}: a date masked: {v} ({})", s["id"], m["kind"]);
            }
        }
    }
    eprintln!("{masked_total} values masked over the samples");
    assert!(masked_total > 0, "the samples hold names (citizens): some are masked");
}
