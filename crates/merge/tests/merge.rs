//! katib-merge end to end, in process: real sheets (the fixtures written by openpyxl, see
//! tests/tools/make_merge_inputs.py, and sheets written here by rust_xlsxwriter), a real
//! workbench with its own config and data folders, a real SQLite history and register, letters
//! read back with zip and quick-xml, the tracking workbook with calamine, and for per-row merges
//! the loopback OpenAI-compatible server.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use katib_core::config::Paths;
use katib_core::providers::CancellationToken;
use katib_core::run::{export_doc, ExportOptions, Workbench};
use katib_merge::{journal::Journal, prepare, run, Event, MergeError, Mode, Options, Report, Request};
use katib_testserver::{Script, Server, Sse};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A workbench with its own folders: a letterhead with the demo logo, a register pattern, and
/// `profiles` as profiles.toml.
struct Bench {
    dir: tempfile::TempDir,
}

impl Bench {
    fn new(profiles: &str, hijri: bool) -> Bench {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::create_dir_all(&config).unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::copy(repo().join("tests/fixtures/logo.png"), config.join("logo.png")).unwrap();
        std::fs::write(
            config.join("config.toml"),
            format!(
                r#"
[letterhead]
fr = ["Royaume du Maroc", "Ministère de l'Intérieur", "Wilaya de la Région de l'Oriental", "Commune d'Oujda"]
ar = ["المملكة المغربية", "وزارة الداخلية", "ولاية جهة الشرق", "جماعة وجدة"]
logo = "logo.png"
hijri = {hijri}

[register]
pattern = "{{seq:04}}/DAG/{{year}}"
service = "DAG"
"#
            ),
        )
        .unwrap();
        if !profiles.is_empty() {
            std::fs::write(config.join("profiles.toml"), profiles).unwrap();
        }
        Bench { dir }
    }

    fn wb(&self) -> Workbench {
        let mut wb = Workbench::load_from(Paths { config_dir: self.dir.path().join("config"), data_dir: self.dir.path().join("data") }).unwrap();
        katib_merge::samples::attach(&mut wb);
        wb
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
}

/// A sheet written by rust_xlsxwriter: a header, then rows (an empty string is a blank cell).
fn sheet(path: &Path, header: &[&str], rows: &[Vec<String>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Membres").unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn convocation_fr() -> BTreeMap<String, String> {
    values(&[
        ("langue", "fr"),
        ("objet", "Convocation à la réunion de la Commission du budget, des finances et de la programmation"),
        ("date_reunion", "2026-12-01"),
        ("heure", "15 h 00"),
        ("lieu", "Salle des commissions, Hôtel de ville d'Oujda"),
        ("ordre_du_jour", "1. Projet de budget 2027\n2. Divers"),
        ("expediteur", "Le Président de la Commission du budget, des finances et de la programmation"),
        ("date", "2026-11-23"),
        ("signataire", "Le Président de la Commission du budget, des finances et de la programmation"),
        ("copies", "Monsieur le Président du Conseil de la Commune d'Oujda (pour information)"),
    ])
}

fn convocation_ar() -> BTreeMap<String, String> {
    values(&[
        ("langue", "ar"),
        ("objet", "استدعاء لحضور اجتماع لجنة الميزانية والشؤون المالية والبرمجة"),
        ("date_reunion", "2026-12-01"),
        ("heure", "الثالثة بعد الزوال"),
        ("lieu", "قاعة اللجان بمقر جماعة وجدة"),
        ("ordre_du_jour", "1. دراسة مشروع ميزانية 2027\n2. نقط مختلفة"),
        ("expediteur", "رئيس لجنة الميزانية والشؤون المالية والبرمجة"),
        ("date", "2026-11-23"),
        ("signataire", "رئيس لجنة الميزانية والشؤون المالية والبرمجة"),
    ])
}

const DRAFT_FR: &str = "{{appel}},\n\nJ'ai l'honneur de vous prier d'assister à la réunion de la Commission, le mardi 1er décembre 2026 à 15 h 00.\n\nL'ordre du jour comprend :\n\n1. le projet de budget 2027 ;\n2. divers.\n\nVotre indemnité de session s'élève à {{indemnite}} dirhams ({{nom}}).\n\n{{indemnite}}. Montant arrêté.\n\nVeuillez agréer, {{appel}}, l'expression de mes salutations distinguées.\n";
const DRAFT_AR: &str = "سلام تام بوجود مولانا الإمام المؤيد بالله، وبعد،\n\nفيشرفني أن أدعو {{appel}} {{nom}} لحضور اجتماع اللجنة يوم الثلاثاء فاتح دجنبر 2026.\n\nويتضمن جدول الأعمال النقط التالية:\n\n1. دراسة مشروع ميزانية 2027؛\n2. نقط مختلفة.\n\nوتبلغ تعويضاتكم {{indemnite}} درهم، المرجع {{nom}}.\n\nوالسلام.\n";

async fn go(wb: Workbench, merge: katib_merge::Merge, out: &Path, resume: bool) -> (Report, Vec<Event>) {
    let mut events = Vec::new();
    let opts = Options { out_dir: out.into(), resume, remember: false };
    let r = run(Arc::new(wb), Arc::new(merge), &opts, |e| events.push(e.clone()), CancellationToken::new()).await.unwrap();
    (r, events)
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn part(path: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The paragraphs' texts of a part, read with quick-xml.
fn texts(xml: &str) -> Vec<String> {
    use quick_xml::events::Event as X;
    let mut r = quick_xml::Reader::from_str(xml);
    let (mut out, mut cur, mut in_t) = (Vec::new(), String::new(), false);
    loop {
        match r.read_event().unwrap() {
            X::Start(e) if e.local_name().as_ref() == b"t" => in_t = true,
            X::End(e) if e.local_name().as_ref() == b"t" => in_t = false,
            X::End(e) if e.local_name().as_ref() == b"p" => out.push(std::mem::take(&mut cur)),
            X::Text(t) if in_t => cur.push_str(&t.unescape().unwrap()),
            X::Eof => break,
            _ => {}
        }
    }
    out
}

/// Every letter of a draft-mode merge is, part for part, the single export of its row.
fn assert_letters_are_single_exports(b: &Bench, req: &Request, out: &Path) {
    let wb = b.wb();
    let merge = prepare(&wb, req).unwrap();
    let st = Journal::load(out).unwrap().unwrap();
    let field = "numero";
    let run_id = merge.draft.as_ref().and_then(|d| d.run_id.clone());
    for (i, l) in merge.letters.iter().enumerate() {
        let mut r = l.resolved.clone();
        if let Some(n) = st.numbers.get(&l.row) {
            r.values.insert(field.into(), n.clone());
        }
        let body = merge.body(i, &r.values).unwrap();
        let opts = ExportOptions { model: None, today: katib_core::run::today(), no_prepared_with: true, toc: false, run_id: run_id.clone(), audit: None };
        let full = katib_core::export::render(&export_doc(&merge.template, &r, &body, &wb.settings, &opts), katib_core::export::Format::Docx).unwrap();
        let written = std::fs::read(out.join(&l.file)).unwrap();
        assert!(katib_merge::same_parts(&written, &full).unwrap(), "row {}: the letter differs from the single export of its row", l.row);
    }
}

fn value_rows() -> Vec<Vec<String>> {
    let rows: Vec<[&str; 5]> = vec![
        ["Monsieur", "M'hamed Aït-Ben Haddou", "Conseiller communal", "Monsieur le Conseiller", "1 224 600,50"],
        ["Madame", "Nadia El Idrissi", "Rapporteure de la Commission", "Madame la Rapporteure", "1200"],
        ["Monsieur", "Karim  Benjelloun", "Conseiller communal", "Monsieur le Conseiller", "12"],
        ["Monsieur", "Omar *Alami* #2", "Conseiller & \"membre\" <titulaire>", "Monsieur le Conseiller", "0123/DAG/2026"],
        ["Madame", "1234567890", "Conseillère communale", "Madame la Conseillère", "120 000"],
        ["Monsieur", "محمد بنعلي", "مستشار جماعي", "السيد المستشار", "2 400 000"],
        ["Monsieur", "Lot 12 حي السلام", "Conseiller communal", "Monsieur le Conseiller", "1.5"],
        ["Madame", "Salma Tazi.", "Conseillère communale", "Madame la Conseillère", "3000"],
        ["Monsieur", "Hamid Ouazzani", "Conseiller communal", "Monsieur le Conseiller", "4500"],
        ["Monsieur", "Abdelkader Berrada", "Conseiller communal", "Monsieur le Conseiller", "4 500"],
        ["Madame", "Khadija Alaoui", "Conseillère communale", "Madame la Conseillère", "2022-2027"],
    ];
    rows.into_iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect()
}

#[test]
fn exact_merge_letters_are_the_single_exports_in_french_and_arabic() {
    for (lang, common, draft) in [("fr", convocation_fr(), DRAFT_FR), ("ar", convocation_ar(), DRAFT_AR)] {
        let b = Bench::new("", lang == "ar");
        let rows = b.path("membres.xlsx");
        let mut data = value_rows();
        if lang == "ar" {
            // An Arabic letter: Arabic rows, and the Latin values that need care in it.
            data.extend([
                ["السيدة", "نادية الإدريسي", "مقررة اللجنة", "السيدة المقررة", "1 224 600,50"],
                ["السيد", "كريم بنجلون", "مستشار جماعي", "السيد المستشار", "0123/DAG/2026"],
                ["السيد", "Ahmed Alaoui", "مستشار جماعي", "السيد المستشار", "12 rue Oued Za"],
            ]
            .map(|r| r.iter().map(|s| s.to_string()).collect()));
        }
        sheet(&rows, &["Civilité", "Nom", "Qualité", "Appel", "Indemnité"], &data);
        let req = Request {
            template: "convocation".into(),
            rows: rows.clone(),
            map: values(&[("destinataire", "{Civilité} {Nom}\\n{Qualité}")]),
            values: common,
            mode: Mode::Draft,
            draft: Some(katib_merge::DraftSource::new(draft, "brouillon.md")),
            names: Some("{ligne}-{Nom}".into()),
            final_letters: true,
            ..Default::default()
        };
        let merge = prepare(&b.wb(), &req).unwrap();
        assert_eq!(merge.plan.ready, data.len());
        let out = b.path("lettres");
        let (report, _) = rt().block_on(go(b.wb(), merge, &out, false));
        assert_eq!((report.done, report.failed), (data.len(), 0), "{lang}");
        let stats = report.build.unwrap();
        // None of the documents the fast path built failed its check (values of many kinds: many
        // shapes here; the uniform sheets of the other tests use one).
        assert_eq!(stats.rejected, 0, "{lang}: {stats:?}");
        assert!(stats.stencils >= 1 && stats.filled >= 1, "{lang}: {stats:?}");
        assert_letters_are_single_exports(&b, &req, &out);
        // Register numbers: one each, consecutive.
        let st = Journal::load(&out).unwrap().unwrap();
        let numbers: Vec<&String> = st.numbers.values().collect();
        assert_eq!(numbers.len(), data.len());
        assert_eq!(numbers[0], "0001/DAG/2026");
        let mut sorted: Vec<String> = numbers.iter().map(|s| s.to_string()).collect();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), data.len());
    }
}

#[test]
fn the_windows_request_reads_from_json() {
    let r: Request = serde_json::from_str(
        r#"{"template":"convocation","rows":"membres.xlsx","mode":"per_row","map":{"destinataire":"{Civilité} {Nom}"},"values":{"langue":"fr"},"draft":{"text":"{{appel}},","path":"b.md"},"skip_incomplete":true}"#,
    )
    .unwrap();
    assert_eq!((r.mode, r.skip_incomplete, r.map.len(), r.draft.unwrap().path), (Mode::PerRow, true, 1, PathBuf::from("b.md")));
}

#[test]
fn bad_sheets_and_mappings_are_refused_before_anything_is_written() {
    let b = Bench::new("", false);
    let wb = b.wb();
    let base = |rows: PathBuf| Request {
        template: "convocation".into(),
        rows,
        map: values(&[("destinataire", "{Civilité} {Nom}\\n{Qualité}")]),
        values: convocation_fr(),
        mode: Mode::Draft,
        draft: Some(katib_merge::DraftSource::new(DRAFT_FR.replace("{{indemnite}}", "{{appel}}"), "brouillon.md")),
        ..Default::default()
    };
    let code = |r: Result<katib_merge::Merge, MergeError>| r.map(|_| ()).unwrap_err().code();
    assert_eq!(code(prepare(&wb, &base(fixture("vide.xlsx")))), "merge.empty_sheet");
    assert_eq!(code(prepare(&wb, &base(fixture("sans-entete.xlsx")))), "merge.no_header");
    let e = prepare(&wb, &base(fixture("doublons.xlsx"))).map(|_| ()).unwrap_err();
    assert_eq!(e.code(), "merge.duplicate_column");
    assert!(e.to_string().contains("columns B and C"), "{e}");
    // A cell in error is named, with its column; the other rows may go.
    let e = prepare(&wb, &Request { draft: Some(katib_merge::DraftSource::new(format!("{DRAFT_FR} {{{{indemnite}}}}"), "b.md")), ..base(fixture("erreurs.xlsx")) })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(e.code(), "merge.incomplete_rows");
    assert!(e.to_string().contains("F3") && e.to_string().contains("#DIV/0!") && e.to_string().contains("Indemnité"), "{e}");
    let ok = prepare(&wb, &Request { draft: Some(katib_merge::DraftSource::new(format!("{DRAFT_FR} {{{{indemnite}}}}"), "b.md")), skip_incomplete: true, ..base(fixture("erreurs.xlsx")) }).unwrap();
    assert_eq!((ok.plan.ready, ok.plan.incomplete.len(), ok.plan.incomplete[0].row), (2, 1, 3));
    // Required values empty on some rows: those rows are listed.
    let e = prepare(&wb, &base(fixture("incomplets.xlsx"))).map(|_| ()).unwrap_err();
    let MergeError::Incomplete { rows, .. } = &e else { panic!("{e}") };
    assert_eq!(rows.iter().map(|r| r.row).collect::<Vec<_>>(), vec![4, 5], "{e}");
    assert!(rows[0].problems[0].contains("Appel"), "{:?}", rows[0]);
    // A mapped column that is not there; a field the template does not have; a required field
    // nobody fills; a merge field the draft made up.
    let mut r = base(repo().join("samples/inputs/membres-commission-budget.xlsx"));
    r.map.insert("destinataire".into(), "Nom complet".into());
    let e = prepare(&wb, &r).map(|_| ()).unwrap_err();
    assert_eq!(e.code(), "merge.unknown_column");
    assert!(e.to_string().contains("Civilité, Prénom, Nom, Qualité, Appel"), "{e}");
    let mut r = base(repo().join("samples/inputs/membres-commission-budget.xlsx"));
    r.map.insert("adresse".into(), "Nom".into());
    assert_eq!(code(prepare(&wb, &r)), "merge.unknown_field");
    let mut r = base(repo().join("samples/inputs/membres-commission-budget.xlsx"));
    r.values.remove("signataire");
    assert_eq!(code(prepare(&wb, &r)), "merge.unmapped_field");
    let mut r = base(repo().join("samples/inputs/membres-commission-budget.xlsx"));
    r.draft = Some(katib_merge::DraftSource::new("{{appel}}, vous êtes convoqué, {{matricule}}.", "b.md"));
    let e = prepare(&wb, &r).map(|_| ()).unwrap_err();
    assert_eq!(e.code(), "merge.draft_placeholders");
    assert!(e.to_string().contains("{{matricule}}") && e.to_string().contains("{{appel}}"), "{e}");
    // Nothing was written anywhere.
    assert!(!b.path("lettres").exists());
}

#[test]
fn more_than_a_thousand_rows_per_row_need_a_confirmation() {
    let b = Bench::new("", false);
    let rows = b.path("grand.xlsx");
    let data: Vec<Vec<String>> = (0..1001).map(|i| vec!["Monsieur".into(), format!("Membre {i}"), "Conseiller communal".into(), "Monsieur le Conseiller".into()]).collect();
    sheet(&rows, &["Civilité", "Nom", "Qualité", "Appel"], &data);
    let req = Request {
        template: "convocation".into(),
        rows,
        map: values(&[("destinataire", "{Civilité} {Nom}\\n{Qualité}")]),
        values: convocation_fr(),
        mode: Mode::PerRow,
        profile: Some("practice".into()),
        ..Default::default()
    };
    let m = prepare(&b.wb(), &req).unwrap();
    assert!(m.plan.needs_confirmation);
    let e = m.plan.estimate.as_ref().unwrap();
    assert_eq!(e.requests, 1001);
    assert!(e.prompt_tokens > 1001 * 300, "{e:?}");
    let m = prepare(&b.wb(), &Request { mode: Mode::Draft, draft: Some(katib_merge::DraftSource::new("{{appel}},\n\nTexte.", "b.md")), ..req }).unwrap();
    assert!(!m.plan.needs_confirmation, "draft mode sends nothing per row");
}

#[test]
fn columns_map_by_label_across_accents_case_and_arabic_and_are_remembered() {
    let b = Bench::new("", false);
    let rows = b.path("demandes.xlsx");
    sheet(
        &rows,
        &["N° D'ENREGISTREMENT", "date de reception", "المرسل إليه", "Demande ou dossier reçu"],
        &[vec!["4712".into(), "12/11/2026".into(), "Monsieur le Président de l'Association Nour".into(), "Demande de subvention".into()]],
    );
    let common = values(&[
        ("langue", "fr"),
        ("objet", "Accusé de réception"),
        ("date", "2026-11-23"),
        ("signataire", "Le Chef de la Division des affaires sociales"),
    ]);
    let req = Request { template: "accuse-reception".into(), rows: rows.clone(), values: common.clone(), mode: Mode::PerRow, profile: Some("practice".into()), use_remembered: true, ..Default::default() };
    let wb = b.wb();
    let m = prepare(&wb, &req).unwrap();
    let got = m.mapping_text();
    assert_eq!(got.get("numero_enregistrement").map(String::as_str), Some("N° D'ENREGISTREMENT"));
    assert_eq!(got.get("date_reception").map(String::as_str), Some("date de reception"));
    assert_eq!(got.get("destinataire").map(String::as_str), Some("المرسل إليه"));
    assert_eq!(got.get("nature_demande").map(String::as_str), Some("Demande ou dossier reçu"));
    assert_eq!(m.letters[0].resolved.values.get("date_reception").map(String::as_str), Some("2026-11-12"));
    // Corrected by the user, remembered, and found again next time.
    let mut fixed = req.clone();
    fixed.map.insert("destinataire".into(), "{المرسل إليه}\\nOujda".into());
    let m = prepare(&wb, &fixed).unwrap();
    katib_merge::remember(&wb.paths.config_dir, "accuse-reception", &m.mapping_text()).unwrap();
    let again = prepare(&wb, &req).unwrap();
    let d = again.mapping.get("destinataire").unwrap();
    assert_eq!(d.origin, katib_merge::Origin::Remembered);
    assert_eq!(again.letters[0].resolved.values.get("destinataire").map(String::as_str), Some("Monsieur le Président de l'Association Nour\nOujda"));
}

#[test]
fn file_names_are_safe_unique_and_every_letter_opens() {
    let b = Bench::new("", false);
    let req = Request {
        template: "convocation".into(),
        rows: fixture("noms.xlsx"),
        map: values(&[("destinataire", "{Civilité} {Prénom} {Nom}\\n{Qualité}")]),
        values: convocation_fr(),
        mode: Mode::Draft,
        draft: Some(katib_merge::DraftSource::new("{{appel}},\n\nVous êtes convoqué.", "b.md")),
        names: Some("{Nom}".into()),
        ..Default::default()
    };
    let merge = prepare(&b.wb(), &req).unwrap();
    let names: Vec<String> = merge.letters.iter().map(|l| l.file.clone()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    assert_eq!(names[0], "CON_.docx");
    assert_eq!(names[1], "Ben_Ali_ _Lalla_ _Oujda__.docx");
    assert_eq!((names[2], names[3]), ("ALAMI.docx", "Alami (2).docx"));
    assert_eq!(names[4], "lpt1_.docx");
    assert!(names[5].chars().count() <= 105 && names[5].starts_with("Zahra Ait Oumghar"), "{}", names[5]);
    assert_eq!(names[6], "Saidi.docx");
    for n in &names {
        assert!(!n.contains(['<', '>', ':', '"', '/', '\\', '|', '?', '*']), "{n}");
        let stem = n.trim_end_matches(".docx");
        assert!(!stem.ends_with(['.', ' ']), "{n}");
    }
    let out = b.path("lettres");
    let (report, _) = rt().block_on(go(b.wb(), merge, &out, false));
    assert_eq!(report.done, 7);
    for n in names {
        assert!(katib_merge::journal::is_whole_docx(&out.join(n)), "{n}");
    }
}

#[test]
fn combined_document_one_section_per_letter_lists_restart_logo_shared() {
    let b = Bench::new("", false);
    let req = Request {
        template: "convocation".into(),
        rows: repo().join("samples/inputs/membres-commission-budget.xlsx"),
        map: values(&[("destinataire", "{Civilité} {Prénom} {Nom}\\n{Qualité}")]),
        values: convocation_fr(),
        mode: Mode::Draft,
        draft: Some(katib_merge::DraftSource::new(std::fs::read_to_string(repo().join("samples/practice/merge/convocation.commission.draft.md")).unwrap(), "b.md")),
        ..Default::default()
    };
    let merge = prepare(&b.wb(), &req).unwrap();
    let out = b.path("lettres");
    let (report, _) = rt().block_on(go(b.wb(), merge, &out, false));
    let stats = report.build.unwrap();
    // One layout per worker thread, each checked against one full export; every other letter
    // filled into it.
    assert!(stats.stencils >= 1 && stats.full == stats.stencils && stats.filled + stats.full == 7 && stats.rejected == 0, "{stats:?}");
    let combined = report.combined.unwrap();
    let doc = part(&combined, "word/document.xml");
    // One section per letter; every one but the last ends inside the letter's last paragraph.
    assert_eq!(doc.matches("<w:sectPr").count(), 7);
    let paras = texts(&doc);
    let names = ["Youssef Amrani", "Nadia El Idrissi", "Karim Benjelloun", "Salma Tazi", "Hamid Ouazzani", "Abdelkader Berrada", "Khadija Alaoui"];
    let mut at = 0;
    for n in names {
        let i = paras[at..].iter().position(|p| p.contains(n)).unwrap_or_else(|| panic!("{n} missing or out of order")) + at;
        at = i + 1;
    }
    // Each letter's numbered list is its own numbering instance, restarting at 1.
    let ids: std::collections::BTreeSet<String> = doc.match_indices("<w:numId w:val=\"").map(|(i, _)| doc[i + 16..].split('"').next().unwrap().to_string()).collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    let numbering = part(&combined, "word/numbering.xml");
    for id in &ids {
        let at = numbering.find(&format!("w:numId=\"{id}\"")).unwrap_or_else(|| panic!("num {id} not defined"));
        assert!(numbering[at..].split("</w:num>").next().unwrap().contains("startOverride"), "{id}");
    }
    // The logo: one image part, referenced by every letter's letterhead.
    let rels = part(&combined, "word/_rels/document.xml.rels");
    assert_eq!(rels.matches("relationships/image").count(), 1, "{rels}");
    assert_eq!(doc.matches("r:embed=").count(), 7);
    let drawing_ids: std::collections::BTreeSet<&str> = doc.match_indices("<wp:docPr id=\"").map(|(i, _)| doc[i + 14..].split('"').next().unwrap()).collect();
    assert_eq!(drawing_ids.len(), 7);
    // Every letter alone opens too.
    for f in std::fs::read_dir(&out).unwrap().flatten() {
        if f.path().extension().is_some_and(|e| e == "docx") {
            assert!(katib_merge::journal::is_whole_docx(&f.path()));
        }
    }
}

#[test]
fn tracking_workbook_reads_back_and_resume_redoes_only_lost_letters() {
    let b = Bench::new("", false);
    let req = Request {
        template: "convocation".into(),
        rows: fixture("incomplets.xlsx"),
        map: values(&[("destinataire", "{Civilité} {Prénom} {Nom}\\n{Qualité}")]),
        values: convocation_fr(),
        mode: Mode::Draft,
        draft: Some(katib_merge::DraftSource::new("{{appel}},\n\n{{nom}}, vous êtes convoqué.", "b.md")),
        skip_incomplete: true,
        final_letters: true,
        ..Default::default()
    };
    let out = b.path("lettres");
    let (report, _) = rt().block_on(go(b.wb(), prepare(&b.wb(), &req).unwrap(), &out, false));
    assert_eq!((report.done, report.skipped), (2, 2));
    use calamine::{Reader, Xlsx};
    let mut x: Xlsx<_> = calamine::open_workbook(&report.tracking).unwrap();
    let range = x.worksheet_range("Suivi").unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0][..4], ["Ligne", "Statut", "Fichier", "N°"].map(String::from));
    assert_eq!(rows.len(), 5);
    assert_eq!((rows[1][0].as_str(), rows[1][1].as_str()), ("2", "faite"));
    assert!(rows[1][2].ends_with(".docx") && out.join(&rows[1][2]).is_file());
    assert_eq!(rows[1][3], "0001/DAG/2026");
    assert_eq!((rows[3][0].as_str(), rows[3][1].as_str()), ("4", "écartée (incomplète)"));
    assert!(rows[3][7].contains("Appel"), "{:?}", rows[3]);
    // A second run of the same merge is refused; a changed one is not resumable.
    let again = rt().block_on(async {
        let opts = Options { out_dir: out.clone(), resume: false, remember: false };
        run(Arc::new(b.wb()), Arc::new(prepare(&b.wb(), &req).unwrap()), &opts, |_| {}, CancellationToken::new()).await
    });
    assert_eq!(again.unwrap_err().code(), "merge.already_started");
    let mut changed = req.clone();
    changed.values.insert("heure".into(), "16 h 00".into());
    let resumed = rt().block_on(async {
        let opts = Options { out_dir: out.clone(), resume: true, remember: false };
        run(Arc::new(b.wb()), Arc::new(prepare(&b.wb(), &changed).unwrap()), &opts, |_| {}, CancellationToken::new()).await
    });
    assert_eq!(resumed.unwrap_err().code(), "merge.journal_mismatch");
    // A letter deleted and one damaged: resuming redoes those two, with their numbers.
    let first = out.join(&rows[1][2]);
    let second = out.join(&rows[2][2]);
    std::fs::remove_file(&first).unwrap();
    std::fs::write(&second, b"PK\x03\x04 cut").unwrap();
    let (report, events) = rt().block_on(go(b.wb(), prepare(&b.wb(), &req).unwrap(), &out, true));
    assert!(matches!(events[0], Event::Started { pending: 2, done_before: 0, .. }), "{:?}", events[0]);
    assert_eq!(report.done, 2);
    assert!(katib_merge::journal::is_whole_docx(&first) && katib_merge::journal::is_whole_docx(&second));
    assert!(texts(&part(&first, "word/document.xml")).iter().any(|p| p.contains("0001/DAG/2026")), "the number is kept");
    let st = Journal::load(&out).unwrap().unwrap();
    assert_eq!(st.numbers.len(), 2, "no new number was allocated: {:?}", st.numbers);
    // Nothing to do: a resume sends nothing and rewrites the combined document.
    let (report, events) = rt().block_on(go(b.wb(), prepare(&b.wb(), &req).unwrap(), &out, true));
    assert!(matches!(events[0], Event::Started { pending: 0, done_before: 2, .. }));
    assert!(report.combined.is_some());
}

// ---- Per-row mode, against the loopback server ----

fn profiles(url: &str, extra: &str) -> String {
    format!("default = \"local\"\n[[profile]]\nname = \"local\"\nbase_url = \"{url}\"\nmodel = \"test-model\"\n{extra}\n")
}

fn answer(words: &str) -> Script {
    let mut s = Sse::tokens(&words.split_inclusive(' ').collect::<Vec<_>>());
    s.irregular = false;
    Script::Sse(s)
}

/// An answer that takes `ms` before its first word (a model thinking).
fn slow(words: &str, ms: u64) -> Script {
    let Script::Sse(mut s) = answer(words) else { unreachable!() };
    s.first_delay = Duration::from_millis(ms);
    Script::Sse(s)
}

fn per_row(rows: &Path) -> Request {
    Request {
        template: "convocation".into(),
        rows: rows.into(),
        map: values(&[("destinataire", "{Civilité} {Nom}\\n{Qualité}")]),
        values: convocation_fr(),
        mode: Mode::PerRow,
        ..Default::default()
    }
}

fn members(n: usize) -> Vec<Vec<String>> {
    (0..n).map(|i| vec!["Monsieur".into(), format!("Membre{i:02} Alaoui"), "Conseiller communal".into(), "Monsieur le Conseiller".into()]).collect()
}

#[test]
fn a_429_holds_the_whole_batch_and_a_failing_row_does_not_stop_the_others() {
    let server = Server::start(vec![
        Script::Status { code: 429, headers: vec![("Retry-After".into(), "1".into())], body: "{\"error\":{\"message\":\"slow down\"}}".into() },
        slow("Monsieur le Conseiller,\n\nVous êtes convoqué.\n\n1. budget ;\n2. divers.\n", 300),
    ]);
    server.route("Membre05", Script::Status { code: 400, headers: vec![], body: "{\"error\":{\"message\":\"contenu refusé\"}}".into() });
    let b = Bench::new(&profiles(&server.base_url(), "retries = 3\nconcurrency = 4"), false);
    let rows = b.path("membres.xlsx");
    sheet(&rows, &["Civilité", "Nom", "Qualité", "Appel"], &members(12));
    let merge = prepare(&b.wb(), &per_row(&rows)).unwrap();
    assert_eq!(merge.plan.concurrency, 4);
    let out = b.path("lettres");
    let (report, _) = rt().block_on(go(b.wb(), merge, &out, false));
    assert_eq!((report.done, report.failed), (11, 1));
    assert_eq!(report.failures[0].row, 7);
    assert_eq!(report.failures[0].error.as_ref().unwrap().code, "provider.rejected");
    assert!(report.combined.is_some(), "the letters written are combined");
    // After the 429's answer, nothing left the client for the Retry-After second, whatever row.
    let log = server.requests();
    let chat: Vec<_> = log.iter().filter(|r| r.path.ends_with("/chat/completions")).collect();
    let limited = chat.iter().find(|r| r.status == 429).unwrap();
    let t = limited.finished.unwrap();
    // (The first wave was sent together: its requests may reach the server a moment after.)
    let during: Vec<_> = chat.iter().filter(|r| r.received > t + Duration::from_millis(50) && r.received < t + Duration::from_millis(950)).map(|r| r.received).collect();
    assert!(during.is_empty(), "requests sent during the hold: {during:?} (429 answered at {t:?})");
    // The rows that were waiting left together when it ended.
    let released = chat.iter().filter(|r| r.received >= t + Duration::from_millis(950) && r.received < t + Duration::from_millis(1300)).count();
    assert!(released >= 3, "{released} requests right after the hold");
    // Every row reached the server once with success (the 429 one twice, the failing one once).
    for i in 0..12 {
        let n = chat.iter().filter(|r| r.body.contains(&format!("Membre{i:02} "))).count();
        assert!((1..=2).contains(&n), "row {i}: {n} requests");
    }
    assert_eq!(chat.len(), 13);
    // The tracking workbook says which one failed and why.
    use calamine::{Reader, Xlsx};
    let mut x: Xlsx<_> = calamine::open_workbook(&report.tracking).unwrap();
    let range = x.worksheet_range("Suivi").unwrap();
    let failed: Vec<Vec<String>> = range.rows().filter(|r| r[1] == "échec").map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0][0], "7");
    assert!(failed[0][7].contains("contenu refusé"), "{:?}", failed[0]);
}

#[test]
fn per_row_on_a_cloud_profile_pseudonymises_every_row_and_restores_the_letters() {
    let server = Server::start(vec![answer("Monsieur le Conseiller,\n\nVous êtes convoqué.\n")]);
    let b = Bench::new(&profiles(&server.base_url(), "data_class = \"cloud\""), false);
    let rows = b.path("membres.xlsx");
    let names = ["Youssef Amrani", "Nadia Idrissi", "Karim Benjelloun"];
    let data: Vec<Vec<String>> = names.iter().map(|n| vec!["Monsieur".into(), n.to_string(), "Conseiller communal".into(), "x".into()]).collect();
    sheet(&rows, &["Civilité", "Nom", "Qualité", "Appel"], &data);
    let merge = prepare(&b.wb(), &per_row(&rows)).unwrap();
    assert!(merge.plan.route.pseudonymised);
    // The preview shows what leaves: pseudonymised already.
    assert!(!merge.plan.preview[0].messages.iter().any(|m| m.content.contains("Amrani")));
    let out = b.path("lettres");
    let (report, _) = rt().block_on(go(b.wb(), merge, &out, false));
    assert_eq!(report.done, 3);
    for r in server.requests().iter().filter(|r| r.path.ends_with("/chat/completions")) {
        for n in names {
            for part in n.split(' ') {
                assert!(!r.body.contains(part), "'{part}' left this computer: {}", r.body);
            }
        }
    }
    // The letters carry the real names, in their frame.
    for (i, n) in names.iter().enumerate() {
        let file = out.join(format!("{}-Monsieur {n}.docx", i + 2));
        let paras = texts(&part(&file, "word/document.xml"));
        assert!(paras.iter().any(|p| p.contains(n)), "{n}: {paras:?}");
    }
}
