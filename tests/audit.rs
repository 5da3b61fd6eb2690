//! The audit sheet of a run, through `katib history audit RUN --out F.docx [--lang fr|ar]`: a
//! run recorded against a loopback cloud endpoint (files attached, personal data pseudonymised),
//! exported and approved twice; its sheet read back with an independent reader (zip + quick-xml)
//! and every field checked against the run's record and the files' own SHA-256; never a personal
//! value, a prompt or the answer in it. Then the metadata-only sheet of a run made with the
//! history off and an unmasked sending confirmed. And the two sheets as LibreOffice prints them.

use std::path::Path;

use chrono::{DateTime, Local, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::util::*;

const CONSIGNE: &str = "Répondre à M. Youssef Amrani (CIN n° AB123456, tél. 06 12 34 56 78), domicilié 27, rue Al Mansour Eddahbi, Oujda, qui demande une attestation de résidence.";
/// What must never be in a sheet: personal values of the run, its prompt and its answer.
const NEVER: &[&str] = &["Youssef Amrani", "Amrani", "AB123456", "06 12 34 56 78", "0612345678", "Mansour Eddahbi", "Karim Benjelloun", "attestation de résidence", "Votre demande est accordée"];

fn profiles(sb: &Sandbox, base_url: &str) {
    std::fs::write(
        sb.config().join("profiles.toml"),
        format!("default = \"api\"\n[[profile]]\nname = \"api\"\nbase_url = \"{base_url}\"\nmodel = \"modele-test\"\nretries = 0\ndata_class = \"cloud\"\n"),
    )
    .unwrap();
}

/// A run of `demande-libre` with a .csv attached (one more personal value in it).
fn run(sb: &Sandbox, extra: &[&str]) -> std::process::Output {
    let csv = sb.path("in/beneficiaires.csv");
    std::fs::create_dir_all(csv.parent().unwrap()).unwrap();
    std::fs::write(&csv, "Nom;CIN;Montant (DH)\nKarim Benjelloun;AB123456;1 200\n").unwrap();
    let mut args: Vec<String> = ["run", "demande-libre", "--set"].map(String::from).to_vec();
    args.push(format!("consigne={CONSIGNE}"));
    args.extend(["--file".into(), format!("fichier_1={}", csv.display())]);
    for s in ["objet=Demande d'attestation", "destinataire=Monsieur le Directeur", "date=2026-11-23", "signataire=Le Directeur"] {
        args.extend(["--set".into(), s.into()]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    sb.katib().args(&args).output().unwrap()
}

fn json(o: &std::process::Output) -> Value {
    ok(o);
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn local(t: &Value) -> String {
    let t: DateTime<Utc> = t.as_str().unwrap().parse().unwrap();
    t.with_timezone(&Local).format("%d/%m/%Y %H:%M").to_string()
}

fn sha256(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The sheet's cells in order: each label is followed by its value.
struct Sheet {
    paras: Vec<DocxPara>,
    all: String,
}

impl Sheet {
    fn read(path: &Path) -> Sheet {
        let paras: Vec<DocxPara> = docx_paragraphs(path).into_iter().filter(|p| !p.text.trim().is_empty()).collect();
        let all = paras.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n");
        Sheet { paras, all }
    }
    /// The value in the cell after label `label` (given without its colon).
    #[track_caller]
    fn field(&self, label: &str) -> String {
        let i = self
            .paras
            .iter()
            .position(|p| p.in_table && p.text.trim_end_matches([' ', ':', '\u{a0}']) == label)
            .unwrap_or_else(|| panic!("no field '{label}' in:\n{}", self.all));
        self.paras[i + 1].text.clone()
    }
    /// The `n` rows of 3 cells under the table header `header`.
    #[track_caller]
    fn rows_under(&self, header: [&str; 3], n: usize) -> Vec<[String; 3]> {
        let i = (0..self.paras.len().saturating_sub(2))
            .find(|&i| (0..3).all(|c| self.paras[i + c].in_table && self.paras[i + c].text == header[c]))
            .unwrap_or_else(|| panic!("no table {header:?} in:\n{}", self.all));
        (0..n).map(|r| [0, 1, 2].map(|c| self.paras[i + 3 + r * 3 + c].text.clone())).collect()
    }
}

#[test]
fn the_audit_sheet_of_a_recorded_run_holds_every_field_and_no_personal_data() {
    let sb = Sandbox::new();
    let server = katib_testserver::Server::start(vec![katib_testserver::Script::Sse(katib_testserver::Sse::tokens(&["Monsieur,\n\n", "Votre demande est accordée.\n"]))]);
    profiles(&sb, &server.base_url());
    let letter = sb.out("reponse.docx");
    ok(&run(&sb, &["--out", letter.to_str().unwrap()]));
    let id = json(&sb.run(&["history", "list", "--json"]))[0]["id"].as_str().unwrap().to_string();
    ok(&sb.run(&["history", "approve", &id, "--by", "Nadia Berrada", "--function", "Chef de la Division des Affaires Générales"]));
    ok(&sb.run(&["history", "approve", &id, "--by", "Youssef El Idrissi", "--function", "Directeur Général des Services"]));
    let rec = json(&sb.run(&["history", "show", &id, "--json"]));
    let s = &rec["summary"];
    assert!(s["masked"]["nom"].as_u64().unwrap_or(0) >= 1 && s["masked"]["cin"].as_u64().unwrap_or(0) >= 1, "pseudonymised: {s}");

    let out = sb.out("fiche-audit.docx");
    let o = sb.run(&["history", "audit", &id, "--out", out.to_str().unwrap()]);
    ok(&o);
    assert!(stderr(&o).contains("audit sheet") && stderr(&o).contains(", fr)"), "the run's language, French: {}", stderr(&o));
    let sheet = Sheet::read(&out);
    assert_eq!(sheet.paras[0].text, "Fiche d'audit");
    assert_eq!(sheet.paras[1].text, format!("Exécution {id}"));
    assert_eq!(sheet.field("N° d'exécution"), id);
    assert_eq!(sheet.field("Statut"), "terminée");
    assert_eq!(sheet.field("Début"), local(&s["started_at"]));
    assert_eq!(sheet.field("Fin"), local(&s["finished_at"]));
    let ms = s["duration_ms"].as_u64().unwrap();
    let duration = if ms < 100 { "moins de 0,1 s".to_string() } else { format!("{:.1} s", ms as f64 / 1000.0).replace('.', ",") };
    assert_eq!(sheet.field("Durée"), duration);
    assert_eq!(sheet.field("Modèle de document"), format!("{} (demande-libre)", s["template_title"].as_str().unwrap()));
    assert_eq!(sheet.field("Version du modèle"), s["template_version"].as_str().unwrap());
    let hash = s["template_hash"].as_str().unwrap();
    assert!(hash.len() >= 16, "{hash}");
    assert_eq!(sheet.field("Empreinte du modèle (SHA-256)"), hash);
    assert_eq!(sheet.field("Profil"), "api");
    assert_eq!(sheet.field("Modèle d'IA"), "modele-test");
    assert_eq!(sheet.field("Traitement des données"), "cloud (hors de l'administration)");
    let pseudo = sheet.field("Pseudonymisation");
    assert!(pseudo.starts_with("appliquée : "), "{pseudo}");
    assert!(pseudo.contains(&format!("Noms : {}", s["masked"]["nom"])) && pseudo.contains(&format!("N° de CIN : {}", s["masked"]["cin"])), "{pseudo}");
    assert_eq!(sheet.field("Dérogation"), "aucune");
    assert_eq!(sheet.field("Contenu de l'historique"), "complet (textes conservés sur cet ordinateur)");
    assert!(!sheet.all.contains("métadonnées seulement"), "{}", sheet.all);
    // The attached file, its hash computed here from the file itself.
    let csv = sb.path("in/beneficiaires.csv");
    let size = std::fs::metadata(&csv).unwrap().len();
    assert_eq!(sheet.rows_under(["Fichier", "Empreinte SHA-256", "Taille"], 1), vec![["beneficiaires.csv".to_string(), sha256(&csv), format!("{size} o")]]);
    // The export: when, format, where.
    let export = &rec["exports"][0];
    assert_eq!(sheet.rows_under(["Date", "Format", "Fichier"], 1)[0], [local(&export["at"]), ".docx".to_string(), letter.display().to_string()]);
    // Relu et validé par: both, in order, dated today.
    let today = Local::now().format("%d/%m/%Y").to_string();
    assert_eq!(
        sheet.rows_under(["Nom", "Fonction", "Date"], 2),
        vec![
            ["Nadia Berrada".to_string(), "Chef de la Division des Affaires Générales".to_string(), today.clone()],
            ["Youssef El Idrissi".to_string(), "Directeur Général des Services".to_string(), today.clone()],
        ]
    );
    assert!(sheet.all.contains("ni les textes envoyés, ni la réponse, ni les données personnelles remplacées"), "{}", sheet.all);
    for v in NEVER {
        assert!(!sheet.all.contains(v), "'{v}' is in the sheet:\n{}", sheet.all);
    }
    assert!(docx_part(&out, "docProps/custom.xml").contains(&id), "the run's id in the document properties");
    // Never replaced without --force.
    let o = sb.run(&["history", "audit", &id, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));

    // In Arabic: right to left, the same facts.
    let ar = sb.out("fiche-audit-ar.docx");
    ok(&sb.run(&["history", "audit", &id, "--out", ar.to_str().unwrap(), "--lang", "ar"]));
    let sheet = Sheet::read(&ar);
    assert_eq!(sheet.paras[0].text, "بطاقة تتبع الوثيقة");
    // Arabic paragraphs right to left; hashes, formats and paths left to right (a path's leading
    // "/" stays in front).
    let arabic = |t: &str| t.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
    assert!(sheet.paras.iter().filter(|p| arabic(&p.text)).all(|p| p.bidi), "Arabic paragraphs right to left");
    for technical in [hash.to_string(), letter.display().to_string(), ".docx".into()] {
        let p = sheet.paras.iter().find(|p| p.text == technical).unwrap_or_else(|| panic!("no cell '{technical}' in:\n{}", sheet.all));
        assert!(!p.bidi, "'{technical}' left to right");
    }
    assert!(docx_part(&ar, "word/document.xml").contains("<w:bidiVisual"), "tables right to left");
    // Latin runs inside Arabic lines are isolated by direction marks: compare without them.
    let bare = |s: String| s.chars().filter(|c| !matches!(c, '\u{200e}' | '\u{200f}' | '\u{2066}'..='\u{2069}')).collect::<String>();
    assert_eq!(bare(sheet.field("رقم العملية")), id);
    assert_eq!(bare(sheet.field("الحالة")), "منجزة");
    assert_eq!(bare(sheet.field("بصمة النموذج (SHA-256)")), hash);
    assert_eq!(bare(sheet.field("معالجة المعطيات")), "سحابية (خارج الإدارة)");
    assert!(bare(sheet.field("استبدال المعطيات الشخصية برموز")).starts_with("مطبق: "));
    assert_eq!(bare(sheet.field("الاستثناء")), "لا يوجد");
    assert_eq!(bare(sheet.rows_under(["الاسم", "الصفة", "التاريخ"], 2)[1][0].clone()), "Youssef El Idrissi");
    assert_eq!(bare(sheet.rows_under(["الملف", "البصمة SHA-256", "الحجم"], 1)[0][1].clone()), sha256(&csv));
    for v in NEVER {
        assert!(!sheet.all.contains(v), "'{v}' is in the Arabic sheet");
    }
    // A run that does not exist, a format that is not .docx: clear errors.
    let o = sb.run(&["history", "audit", "R1999-01-01-0001", "--out", sb.out("x.docx").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(9), "{}", stderr(&o));
    let o = sb.run(&["history", "audit", &id, "--out", sb.out("x.md").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(stderr(&o).contains("x.md"), "{}", stderr(&o));
}

#[test]
fn with_the_history_off_the_sheet_is_metadata_only_and_says_so() {
    let sb = Sandbox::new();
    std::fs::write(sb.config().join("config.toml"), "[history]\nenabled = false\n").unwrap();
    let server = katib_testserver::Server::start(vec![katib_testserver::Script::Sse(katib_testserver::Sse::tokens(&["Monsieur,\n\n", "Votre demande est accordée.\n"]))]);
    profiles(&sb, &server.base_url());
    let letter = sb.out("reponse.docx");
    ok(&run(&sb, &["--out", letter.to_str().unwrap(), "--send-unmasked", "--yes"]));
    assert!(server.requests()[0].body.contains("Youssef Amrani"), "sent unmasked, as confirmed");
    let id = json(&sb.run(&["history", "list", "--json"]))[0]["id"].as_str().unwrap().to_string();
    ok(&sb.run(&["history", "approve", &id, "--by", "Nadia Berrada", "--function", "Chef de division"]));
    let rec = json(&sb.run(&["history", "show", &id, "--json"]));
    assert!(rec["texts"].is_null(), "no texts kept: {rec}");
    let ov = &rec["summary"]["pseudonymisation_override"];
    let by = ov["confirmed_by"].as_str().unwrap();

    let out = sb.out("fiche.docx");
    let o = sb.run(&["history", "audit", &id, "--out", out.to_str().unwrap()]);
    ok(&o);
    assert!(stderr(&o).contains(", fr)"), "French when the run's language is not kept: {}", stderr(&o));
    let sheet = Sheet::read(&out);
    assert!(sheet.paras[2].text.starts_with("Relevé de métadonnées seulement : l'historique n'a pas conservé les textes"), "said under the title:\n{}", sheet.all);
    assert_eq!(sheet.field("Contenu de l'historique"), "métadonnées seulement");
    assert_eq!(sheet.field("N° d'exécution"), id);
    assert_eq!(sheet.field("Statut"), "terminée");
    assert_eq!(sheet.field("Empreinte du modèle (SHA-256)"), rec["summary"]["template_hash"].as_str().unwrap());
    assert_eq!(sheet.field("Traitement des données"), "cloud (hors de l'administration)");
    assert_eq!(sheet.field("Pseudonymisation"), "non appliquée : envoi non masqué confirmé (voir la dérogation)");
    assert_eq!(sheet.field("Dérogation"), format!("envoi des données personnelles non masquées vers le profil « api », confirmé par {by} le {}", local(&ov["at"])));
    // Files and exports are not known (their names may name a citizen); the approval is.
    assert!(sheet.all.contains("Fichiers joints\nNon connus : métadonnées seulement."), "{}", sheet.all);
    assert!(sheet.all.contains("Exportations\nNon connues : métadonnées seulement."), "{}", sheet.all);
    assert!(!sheet.all.contains("beneficiaires.csv") && !sheet.all.contains("reponse.docx"), "{}", sheet.all);
    assert_eq!(sheet.rows_under(["Nom", "Fonction", "Date"], 1)[0][..2], ["Nadia Berrada".to_string(), "Chef de division".to_string()]);
    for v in NEVER {
        assert!(!sheet.all.contains(v), "'{v}' is in the sheet:\n{}", sheet.all);
    }
}

/// The sheets as LibreOffice lays them out: each on one page, the Arabic one right to left
/// (looked at in docs/renders/fiche-audit-*.png, made by `KATIB_RENDERS=docs/renders`).
#[test]
#[ignore = "needs LibreOffice (soffice) and poppler-utils (pdftotext, pdftoppm)"]
fn the_audit_sheets_print_on_one_page() {
    let sb = Sandbox::new();
    let server = katib_testserver::Server::start(vec![katib_testserver::Script::Sse(katib_testserver::Sse::tokens(&["Monsieur,\n\n", "Votre demande est accordée.\n"]))]);
    profiles(&sb, &server.base_url());
    let letter = sb.out("reponse.docx");
    ok(&run(&sb, &["--out", letter.to_str().unwrap()]));
    let id = json(&sb.run(&["history", "list", "--json"]))[0]["id"].as_str().unwrap().to_string();
    ok(&sb.run(&["history", "approve", &id, "--by", "Nadia Berrada", "--function", "Chef de la Division des Affaires Générales"]));
    ok(&sb.run(&["history", "approve", &id, "--by", "يوسف الإدريسي", "--function", "المدير العام للمصالح"]));
    let (fr, ar) = (sb.out("fiche-audit-fr.docx"), sb.out("fiche-audit-ar.docx"));
    ok(&sb.run(&["history", "audit", &id, "--out", fr.to_str().unwrap()]));
    ok(&sb.run(&["history", "audit", &id, "--out", ar.to_str().unwrap(), "--lang", "ar"]));
    let pdfs = libreoffice_batch(&[&fr, &ar], "pdf", &sb.path("pdf"));
    if let Some(dir) = std::env::var_os("KATIB_RENDERS") {
        for pdf in &pdfs {
            let stem = pdf.file_stem().unwrap().to_string_lossy().to_string();
            let st = std::process::Command::new("pdftoppm").args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]).arg(pdf).arg(Path::new(&dir).join(&stem)).status().expect("pdftoppm");
            assert!(st.success());
        }
    }
    for pdf in &pdfs {
        let info = std::process::Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils)");
        let info = String::from_utf8_lossy(&info.stdout).to_string();
        let pages = info.lines().find_map(|l| l.strip_prefix("Pages:")).map(|n| n.trim().to_string());
        assert_eq!(pages.as_deref(), Some("1"), "{} on one page: {info}", pdf.display());
    }
    assert!(pdf_text(&pdfs[0]).contains("Relu et validé par"));
    assert!(pdf_text(&pdfs[1]).contains("راجعها وصادق عليها"));
}
