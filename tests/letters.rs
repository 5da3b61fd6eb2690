//! Documents ready to sign, verified as a reader would: each kind (French letter, Arabic letter,
//! bilingual letterhead, report with tables, the administration's own letterhead filled in,
//! .xlsx of the answer's tables) is re-read by an independent reader (zip + quick-xml, calamine)
//! with its text compared, converted by LibreOffice headless (to PDF, or to CSV), and the PDF's
//! text read by pdftotext, Arabic words in their reading order included. Bad letterheads and
//! logos are clear errors that leave nothing behind.
//!
//! `KATIB_WRITE_RENDERS=1 cargo test --test tests letters::` also refreshes docs/renders/*.png.

use std::path::{Path, PathBuf};

use katib_core::export::{self, ExportDoc, ExportError, LetterParts, Letterhead};
use katib_core::OutputKind;
use katib_core::Lang;

use crate::util::*;

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

fn letterhead(logo: bool) -> Letterhead {
    Letterhead {
        fr: vec![
            "Royaume du Maroc".into(),
            "Ministère de l'Intérieur".into(),
            "Wilaya de la Région de l'Oriental".into(),
            "Préfecture d'Oujda-Angad".into(),
            "Commune d'Oujda".into(),
        ],
        ar: vec!["المملكة المغربية".into(), "وزارة الداخلية".into(), "ولاية جهة الشرق".into(), "عمالة وجدة أنجاد".into(), "جماعة وجدة".into()],
        logo: logo.then(|| fixture("logo.png")),
        signature_name: None,
        hijri: false,
    }
}

const BODY_FR: &str = "Monsieur le Directeur,\n\nJ'ai l'honneur de vous transmettre le dossier n° 1234/DAG/2026 relatif à l'éclairage public de la rue Al Mansour Eddahbi.\n\nLes travaux sont prévus du **23 au 27 novembre 2026**.\n\nVeuillez agréer, Monsieur le Directeur, l'expression de ma haute considération.";

const BODY_AR: &str = "سلام تام بوجود مولانا الإمام المؤيد بالله، وبعد،\n\nفجوابا على رسالتكم المشار إليها في المرجع أعلاه، يشرفني أن أخبركم بأن ملفكم رقم 1234/DAG/2026 قد حظي برأي موافق، وأن مبلغ 120 000 درهم قد رصد للأشغال.\n\nوالسلام.";

fn letter_fr() -> LetterParts {
    LetterParts {
        ville: Some("Oujda".into()),
        date: Some("2026-11-23".into()),
        reference: Some("1234/DAG/2026".into()),
        their_ref: Some("Votre lettre du 2 novembre 2026".into()),
        expediteur: Some("Le Président du Conseil de la Commune d'Oujda".into()),
        destinataire: Some("Monsieur le Directeur régional de l'Équipement\nOujda".into()),
        objet: Some("Éclairage public de la rue Al Mansour Eddahbi".into()),
        pieces_jointes: Some("2 (plans et devis)".into()),
        signataire: Some("Le Président du Conseil Communal".into()),
        copies: Some("Monsieur le Wali de la Région de l'Oriental".into()),
        ..Default::default()
    }
}

fn letter_ar() -> LetterParts {
    LetterParts {
        ville: Some("وجدة".into()),
        date: Some("2026-11-23".into()),
        reference: Some("2811/2026".into()),
        their_ref: None,
        expediteur: None,
        destinataire: Some("السيدة فاطمة الزهراء العلوي\nحي الأندلس، وجدة".into()),
        objet: Some("ملف رخصة البناء رقم 2026/1587".into()),
        pieces_jointes: None,
        signataire: Some("رئيس مجلس جماعة وجدة".into()),
        copies: Some("السيد والي جهة الشرق".into()),
        ..Default::default()
    }
}

fn non_empty(paras: &[DocxPara]) -> Vec<&DocxPara> {
    paras.iter().filter(|p| !p.text.trim().is_empty()).collect()
}

fn strip_marks(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '\u{200E}' | '\u{200F}')).collect()
}

fn make_french_letter(dir: &Path) -> PathBuf {
    let out = dir.join("lettre-fr.docx");
    let mut lh = letterhead(true);
    lh.signature_name = Some("Mohammed Benali".into());
    let doc = ExportDoc { letter: Some(letter_fr()), letterhead: Some(lh), ..ExportDoc::new(BODY_FR, Lang::Fr, OutputKind::Letter) };
    export::write(&out, &doc, false).unwrap();
    out
}

#[test]
fn french_letter_with_letterhead_logo_and_signature() {
    let sb = Sandbox::new();
    let out = make_french_letter(&sb.path("out"));

    let paras = docx_paragraphs(&out);
    let texts: Vec<String> = non_empty(&paras).iter().map(|p| strip_marks(&p.text)).collect();
    let expected = [
        "Royaume du Maroc",
        "Commune d'Oujda",
        "المملكة المغربية",
        "جماعة وجدة",
        "N° 1234/DAG/2026",
        "Oujda, le 23 novembre 2026",
        "Le Président du Conseil de la Commune d'Oujda",
        "à",
        "Monsieur le Directeur régional de l'Équipement",
        "Oujda",
        "Objet : Éclairage public de la rue Al Mansour Eddahbi",
        "Réf. : Votre lettre du 2 novembre 2026",
        "P.J. : 2 (plans et devis)",
        "Monsieur le Directeur,",
        "Les travaux sont prévus du 23 au 27 novembre 2026.",
        "Le Président du Conseil Communal",
        "Mohammed Benali",
        "Copie à :",
        "Monsieur le Wali de la Région de l'Oriental",
    ];
    let mut at = 0;
    for e in expected {
        let i = texts[at..].iter().position(|t| t == e).unwrap_or_else(|| panic!("'{e}' not after paragraph {at}: {texts:#?}"));
        at += i + 1;
    }
    // The letterhead is a borderless table: its lines are in a table, the body is not.
    assert!(paras.iter().any(|p| p.in_table && p.text == "Royaume du Maroc"));
    assert!(paras.iter().any(|p| p.in_table && p.text == "المملكة المغربية" && p.bidi), "Arabic lines are right-to-left");
    assert!(!paras.iter().any(|p| p.in_table && p.text.starts_with("Monsieur")));
    // The logo is embedded as a picture.
    let xml = docx_part(&out, "word/document.xml");
    assert!(xml.contains("<w:drawing>") && xml.contains("r:embed="), "logo drawing");
    let zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    assert!(zip.file_names().any(|n| n.starts_with("word/media/")), "logo in the package");
    // The body is justified; the signature at the end of the line.
    assert!(xml.contains("<w:jc w:val=\"both\" />"));
}

fn read_french_letter(text: &str) {
    {
        assert_in_order(
            text,
            &["Royaume du Maroc", "N° 1234/DAG/2026", "Oujda, le 23 novembre 2026", "Objet :", "Monsieur le Directeur,", "J'ai l'honneur", "dossier n° 1234/DAG/2026", "Le Président du Conseil Communal", "Mohammed Benali", "Copie à :"],
        );
        assert_words_in_order(text, &["المملكة المغربية", "وزارة الداخلية", "جماعة وجدة"]);
    }
}

fn make_arabic_letter(dir: &Path) -> PathBuf {
    let out = dir.join("lettre-ar.docx");
    let mut lh = letterhead(true);
    lh.signature_name = Some("محمد بنعلي".into());
    lh.hijri = true;
    let doc = ExportDoc { letter: Some(letter_ar()), letterhead: Some(lh), ..ExportDoc::new(BODY_AR, Lang::Ar, OutputKind::Letter) };
    export::write(&out, &doc, false).unwrap();
    out
}

const REPORT_AR: &str = "# تقرير تنفيذ الميزانية\n\n## الاعتمادات\n\n| البند | الاعتمادات (درهم) | نسبة الالتزام |\n|---|---:|---:|\n| الوقود والزيوت | 1 200 000 | 95 % |\n| الإنارة العمومية | 2 400 000 | 41 % |\n\nيتعلق الأمر بالملف رقم 1234/DAG/2026.\n";

fn make_arabic_report(dir: &Path) -> PathBuf {
    let report = dir.join("rapport-ar.docx");
    export::write(&report, &ExportDoc::new(REPORT_AR, Lang::Ar, OutputKind::Report), false).unwrap();
    report
}

#[test]
fn arabic_letter_is_right_to_left_in_runs_tables_and_numbers() {
    let sb = Sandbox::new();
    let out = make_arabic_letter(&sb.path("out"));

    let paras = docx_paragraphs(&out);
    let texts: Vec<String> = non_empty(&paras).iter().map(|p| strip_marks(&p.text)).collect();
    for e in ["رقم 2811/2026", "وجدة في 23 نونبر 2026", "12 جمادى الآخرة 1448 هـ", "الموضوع : ملف رخصة البناء رقم 2026/1587", "والسلام.", "رئيس مجلس جماعة وجدة", "محمد بنعلي", "نسخة إلى :"] {
        assert!(texts.iter().any(|t| t == e), "'{e}' missing: {texts:#?}");
    }
    assert!(non_empty(&paras).iter().filter(|p| !p.in_table).all(|p| p.bidi), "every paragraph outside the letterhead is right-to-left");
    let xml = docx_part(&out, "word/document.xml");
    // Runs with Arabic text are right-to-left with the Moroccan Arabic language; tables too.
    assert!(xml.matches("<w:rtl />").count() >= 10, "rtl runs");
    assert!(xml.contains("<w:lang w:bidi=\"ar-MA\" />"));
    assert!(xml.contains("<w:bidiVisual />"), "right-to-left letterhead table");
    let styles = docx_part(&out, "word/styles.xml");
    assert!(styles.contains("<w:szCs w:val=\"26\" />") && styles.contains("w:cs=\"Arial\""), "complex-script size and font");
    assert!(styles.contains("w:bidi=\"ar-MA\""));
    // A reference mixing digits and Latin letters keeps its order (a left-to-right mark leads it).
    assert!(xml.contains("\u{200E}1234/DAG/2026"));

    // An Arabic report: right-to-left table with its header repeated, Arabic page numbers.
    let report = make_arabic_report(&sb.path("out"));
    let xml = docx_part(&report, "word/document.xml");
    assert!(xml.contains("<w:bidiVisual />") && xml.contains("<w:tblHeader />"));
}

fn read_arabic_letter(text: &str) {
    {
        // pdftotext gives Arabic in reading (logical) order: words in the order they were written.
        assert_words_in_order(
            text,
            &["المملكة المغربية", "رقم 2811/2026", "وجدة في 23 نونبر 2026", "السيدة فاطمة الزهراء العلوي", "الموضوع", "سلام تام بوجود مولانا الإمام المؤيد بالله", "يشرفني أن أخبركم بأن ملفكم رقم", "1234/DAG/2026", "قد حظي برأي موافق", "120 000 درهم", "والسلام.", "رئيس مجلس جماعة وجدة", "محمد بنعلي"],
        );
    }
}

fn read_arabic_report(text: &str) {
    assert_words_in_order(text, &["تقرير تنفيذ الميزانية", "الاعتمادات", "البند", "الوقود والزيوت", "الإنارة العمومية", "يتعلق الأمر بالملف رقم", "1234/DAG/2026"]);
    assert!(reading_form(text).contains(&reading_form("1 200 000")) && reading_form(text).contains(&reading_form("صفحة 1 من 1")), "{text}");
}

fn make_bilingual_letter(dir: &Path) -> PathBuf {
    let out = dir.join("lettre-bilingue.docx");
    let doc = ExportDoc { letter: Some(letter_fr()), letterhead: Some(letterhead(false)), ..ExportDoc::new(BODY_FR, Lang::Fr, OutputKind::Letter) };
    export::write(&out, &doc, false).unwrap();
    out
}

#[test]
fn bilingual_letterhead_on_a_french_letter() {
    let sb = Sandbox::new();
    let out = make_bilingual_letter(&sb.path("out"));
    let paras = docx_paragraphs(&out);
    let cells: Vec<&DocxPara> = paras.iter().filter(|p| p.in_table).collect();
    // French column first (left), then the Arabic one (right, right-to-left), no table direction.
    assert_eq!(cells.first().map(|p| p.text.as_str()), Some("Royaume du Maroc"));
    assert_eq!(cells.last().map(|p| p.text.as_str()), Some("جماعة وجدة"));
    assert!(cells.iter().filter(|p| p.text.starts_with("ال") || p.text.starts_with("و") || p.text.starts_with("ع") || p.text.starts_with("ج")).all(|p| p.bidi));
    assert!(cells.iter().filter(|p| p.text.is_ascii()).all(|p| !p.bidi));
    let xml = docx_part(&out, "word/document.xml");
    assert!(!xml.contains("<w:bidiVisual />"), "a French letter's table is left-to-right");
    // Only the Arabic runs are right-to-left.
    let rtl_runs = xml.matches("<w:rtl />").count();
    assert_eq!(rtl_runs, 5, "one per Arabic letterhead line");
}

fn read_bilingual_letter(text: &str) {
    assert_in_order(text, &["Royaume du Maroc", "Ministère de l'Intérieur"]);
    assert_words_in_order(text, &["المملكة المغربية", "وزارة الداخلية", "ولاية جهة الشرق", "عمالة وجدة أنجاد", "جماعة وجدة"]);
    assert_in_order(text, &["Objet :", "J'ai l'honneur de vous transmettre"]);
}

const REPORT: &str = "# Exécution du budget 2026\n\n## Synthèse\n\nLe budget est exécuté à **62 %**.\n\n## Dépenses par rubrique\n\n| Rubrique | Crédits (MAD) | Engagé | Taux | Date de révision |\n|---|---:|---:|---:|---|\n| Carburants et lubrifiants pour le parc automobile communal | 1 200 000,50 | 1 140 000 | 95 % | 15/10/2026 |\n| Éclairage public | 2 400 000 | 984 000 | 41 % | 2026-09-30 |\n| Eau | 585 000 | 532 350 | 91 % | 01/10/2026 |\n\n## Marchés\n\n| N° | Objet | Montant |\n|---|---|---:|\n| 12/2026 | Entretien des espaces verts | 350 000 |\n| 13/2026 | Réfection de voirie | 1 750 000 |\n\nConclusion : suivre les rubriques à risque.\n";

fn report_doc() -> ExportDoc<'static> {
    let line = export::prepared_with_line("Analyse d'un tableau budgétaire", Some("llama3.1"), "2026-11-23", Lang::Fr);
    ExportDoc { title: Some("Analyse".into()), toc: true, prepared_with: Some(line), ..ExportDoc::new(REPORT, Lang::Fr, OutputKind::Report) }
}

fn make_report(dir: &Path) -> PathBuf {
    let out = dir.join("rapport.docx");
    export::write(&out, &report_doc(), false).unwrap();
    out
}

#[test]
fn report_with_tables_toc_page_numbers_and_prepared_with_line() {
    let sb = Sandbox::new();
    let line = export::prepared_with_line("Analyse d'un tableau budgétaire", Some("llama3.1"), "2026-11-23", Lang::Fr);
    assert_eq!(line, "Préparé avec Katib : modèle « Analyse d'un tableau budgétaire », IA llama3.1, le 23 novembre 2026");
    let doc = report_doc();
    let out = make_report(&sb.path("out"));

    let xml = docx_part(&out, "word/document.xml");
    // Two data tables, each with its header row repeated on every page.
    assert_eq!(xml.matches("<w:tblHeader />").count(), 2);
    // Columns as wide as their content: the long "Rubrique" column is the widest.
    let first = &xml[xml.find("<w:tblGrid>").unwrap()..xml.find("</w:tblGrid>").unwrap()];
    let widths: Vec<usize> = first.split("w:w=\"").skip(1).map(|s| s[..s.find('"').unwrap()].parse().unwrap()).collect();
    assert_eq!(widths.len(), 5);
    assert!(widths[0] > 2 * widths[3], "proportional widths: {widths:?}");
    assert!(xml.contains("<w:tblBorders>"));
    // Table of contents field with the headings as its current result.
    assert!(xml.contains("TOC \\o \"1-3\""), "TOC field");
    assert!(docx_part(&out, "word/settings.xml").contains("updateFields"));
    let paras = docx_paragraphs(&out);
    let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).filter(|t| !t.is_empty()).collect();
    assert_eq!(&texts[..5], &["Exécution du budget 2026", "Table des matières", "Synthèse", "Dépenses par rubrique", "Marchés"]);
    assert_eq!(texts.last(), Some(&line.as_str()), "the prepared-with line is last");
    // Page numbers in the footer.
    let footer = docx_part(&out, "word/footer1.xml");
    assert!(footer.contains("PAGE") && footer.contains("NUMPAGES"), "{footer}");

    // Switched off: no such line.
    let off = sb.out("rapport-sans.docx");
    export::write(&off, &ExportDoc { prepared_with: None, ..doc }, false).unwrap();
    assert!(!docx_text(&off).contains("Préparé avec"));
}

fn read_report(text: &str) {
    assert_in_order(text, &["Exécution du budget 2026", "Table des matières", "Synthèse", "Dépenses par rubrique", "Marchés", "Synthèse", "62 %"]);
    // pdftotext reads a table column by column or row by row depending on the layout, and a
    // long cell wraps: each cell's words are there, in order.
    for cell in ["Crédits (MAD)", "1 200 000,50", "1 140 000", "95 %", "15/10/2026", "Entretien des espaces verts", "1 750 000"] {
        assert_words_in_order(text, &[cell]);
    }
    assert_words_in_order(text, &["Rubrique", "Carburants et lubrifiants pour le parc automobile communal", "Éclairage public", "Eau"]);
    assert!(text.contains("Page 1 / 1"), "page number in the footer: {text}");
    assert!(text.contains("Préparé avec Katib"));
}

/// The user's letterhead filled: every placeholder replaced (one of them split over three runs),
/// and everything else in the file untouched.
fn make_filled_letterhead(dir: &Path) -> PathBuf {
    let out = dir.join("lettre-entete.docx");
    let mut lh = letterhead(false);
    lh.signature_name = Some("Mohammed Benali".into());
    let body = "Monsieur le Directeur,\n\nJ'ai l'honneur de vous informer que les travaux débuteront le **23 novembre 2026**.\n\n- Tronçon A : rue Al Mansour Eddahbi ;\n- Tronçon B : boulevard Mohammed V.\n\n| Lot | Montant |\n|---|---:|\n| Câbles | 120 000 |\n\nVeuillez agréer, Monsieur le Directeur, l'expression de ma haute considération.";
    let doc = ExportDoc { letter: Some(letter_fr()), letterhead: Some(lh), ..ExportDoc::new(body, Lang::Fr, OutputKind::Letter) };
    export::fill_letterhead(&fixture("entete-commune.docx"), &doc, &out, false).unwrap();
    out
}

#[test]
fn user_letterhead_is_filled_keeping_its_styles_header_footer_and_logo() {
    let sb = Sandbox::new();
    let template = fixture("entete-commune.docx");
    let out = make_filled_letterhead(&sb.path("out"));

    let xml = docx_part(&out, "word/document.xml");
    assert!(!xml.contains("{{") && !xml.contains("}}"), "no placeholder left: {xml}");
    let paras = docx_paragraphs(&out);
    let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).filter(|t| !t.is_empty()).collect();
    assert_in_order(
        &texts.join("\n"),
        &[
            "N° 1234/DAG/2026",
            "Oujda, le 23 novembre 2026",
            "Monsieur le Directeur régional de l'ÉquipementOujda",
            "Objet : Éclairage public de la rue Al Mansour Eddahbi",
            "Réf. : Votre lettre du 2 novembre 2026",
            "Monsieur le Directeur,",
            "J'ai l'honneur de vous informer que les travaux débuteront le 23 novembre 2026.",
            "Tronçon A : rue Al Mansour Eddahbi ;",
            "Câbles",
            "120 000",
            "Veuillez agréer",
            "Le Président du Conseil Communal",
            "Mohammed Benali",
        ],
    );
    // Body paragraphs take the {{corps}} paragraph's style.
    assert!(paras.iter().filter(|p| p.text.starts_with("J'ai l'honneur") || p.text.starts_with("Veuillez")).all(|p| p.style.as_deref() == Some("Corps")));
    // The split placeholder went into its first run, which kept its own properties.
    assert!(xml.contains("Éclairage public de la rue Al Mansour Eddahbi</w:t>"));
    // Header, footer, styles and logo: header and styles byte for byte, footer filled.
    let original = |name: &str| docx_part(&template, name);
    assert_eq!(docx_part(&out, "word/header1.xml"), original("word/header1.xml"));
    assert_eq!(docx_part(&out, "word/styles.xml"), original("word/styles.xml"));
    let footer = docx_part(&out, "word/footer1.xml");
    assert!(footer.contains("Réf. 1234/DAG/2026") && !footer.contains("{{"), "{footer}");
    let bytes = |p: &Path, name: &str| {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::fs::File::open(p).unwrap()).unwrap();
        let mut v = Vec::new();
        z.by_name(name).unwrap().read_to_end(&mut v).unwrap();
        v
    };
    assert_eq!(bytes(&out, "word/media/logo.png"), bytes(&template, "word/media/logo.png"));

    // The CLI does the same from a run.
    let cli_out = sb.out("cli.docx");
    let o = sb.run(&["run", "reponse-citoyen", "--sample", "--out", cli_out.to_str().unwrap(), "--letterhead", template.to_str().unwrap()]);
    ok(&o);
    let t = docx_text(&cli_out);
    assert!(t.contains("Objet : Réponse à votre réclamation") && t.contains("Veuillez agréer"), "{t}");
}

fn read_filled_letterhead(text: &str) {
    assert_in_order(text, &["ROYAUME DU MAROC", "N° 1234/DAG/2026", "Objet : Éclairage public", "Monsieur le Directeur,", "Tronçon A", "Le Président du Conseil Communal", "Hôtel de Ville"]);
    assert_words_in_order(text, &["المملكة المغربية", "وزارة الداخلية"]);
}

#[test]
fn bad_letterheads_and_logos_are_clear_errors_and_write_nothing() {
    let sb = Sandbox::new();
    let dir = sb.path("in");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let doc = ExportDoc { letter: Some(letter_fr()), ..ExportDoc::new(BODY_FR, Lang::Fr, OutputKind::Letter) };
    // A .docx without placeholders: one of Katib's own letters.
    let plain = sb.out("plain.docx");
    export::write(&plain, &doc, false).unwrap();
    let cases: Vec<(PathBuf, &str)> = vec![
        (write("abime.docx", b"PK\x03\x04 not really a zip, cut short"), "damaged"),
        (write("texte.docx", "Ceci n'est pas un document Word.".as_bytes()), "not a Word .docx file"),
        (fixture("protege.docx"), "password-protected"),
        (plain.clone(), "no placeholder"),
    ];
    for (path, says) in cases {
        let out = sb.out("rempli.docx");
        let err = export::fill_letterhead(&path, &doc, &out, false).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, ExportError::Letterhead { .. }), "{msg}");
        assert!(msg.contains(says), "'{says}' not in: {msg}");
        assert!(msg.contains(path.file_name().unwrap().to_str().unwrap()), "the message names the file: {msg}");
        assert!(!out.exists(), "nothing written for {}", path.display());
    }
    // Placeholders, but none for the body.
    let no_body = write("sans-corps.docx", &{
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        use std::io::Write;
        z.write_all(b"<w:document><w:body><w:p><w:r><w:t>{{objet}}</w:t></w:r></w:p></w:body></w:document>").unwrap();
        z.finish().unwrap().into_inner()
    });
    let err = export::fill_letterhead(&no_body, &doc, &sb.out("x.docx"), false).unwrap_err().to_string();
    assert!(err.contains("{{corps}}"), "{err}");

    // Logos: not an image; too large.
    let not_image = write("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>");
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(3 * 1024 * 1024, 0);
    let too_big = write("enorme.png", &big);
    let damaged = write("abime.jpg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1]);
    for (logo, says) in [(not_image, "not a PNG or JPEG"), (too_big, "at most 2 MB"), (damaged, "damaged")] {
        let mut lh = letterhead(false);
        lh.logo = Some(logo.clone());
        let d = ExportDoc { letterhead: Some(lh), ..doc.clone() };
        let out = sb.out("avec-logo.docx");
        let err = export::write(&out, &d, false).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, ExportError::Logo { .. }) && msg.contains(says) && msg.contains(logo.file_name().unwrap().to_str().unwrap()), "{msg}");
        assert!(!out.exists());
    }
    // Only the inputs are in the sandbox's out folder: no temp file left behind.
    let left: Vec<String> = std::fs::read_dir(sb.path("out")).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    assert_eq!(left, vec!["plain.docx".to_string()]);

    // The CLI: a clear one-line error, exit 7, and the right usage errors.
    let o = sb.run(&["run", "reponse-citoyen", "--sample", "--out", sb.out("c.docx").to_str().unwrap(), "--letterhead", plain.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(stderr(&o).contains("no placeholder") && !sb.out("c.docx").exists());
    assert!(stdout(&o).is_empty(), "checked before anything is sent");
    let o = sb.run(&["run", "reponse-citoyen", "--sample", "--out", sb.out("c.md").to_str().unwrap(), "--letterhead", plain.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(stderr(&o).contains("must be a .docx"), "{}", stderr(&o));
}

fn make_tables_xlsx(dir: &Path) -> PathBuf {
    let out = dir.join("tableaux.xlsx");
    export::write(&out, &ExportDoc::new(REPORT, Lang::Fr, OutputKind::Report), false).unwrap();
    out
}

#[test]
fn tables_to_xlsx_with_numbers_dates_and_direction() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let sb = Sandbox::new();
    let out = make_tables_xlsx(&sb.path("out"));

    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Dépenses par rubrique".to_string(), "Marchés".to_string()]);
    let r = wb.worksheet_range("Dépenses par rubrique").unwrap();
    assert_eq!(r.get((0, 0)), Some(&Data::String("Rubrique".into())));
    assert_eq!(r.get((1, 1)), Some(&Data::Float(1_200_000.5)));
    assert_eq!(r.get((2, 1)), Some(&Data::Float(2_400_000.0)));
    assert_eq!(r.get((1, 3)), Some(&Data::Float(0.95)));
    match r.get((1, 4)) {
        Some(Data::DateTime(d)) => {
            let (y, m, dd, ..) = d.to_ymd_hms_milli();
            assert_eq!((y, m, dd), (2026, 10, 15))
        },
        other => panic!("a date: {other:?}"),
    }
    match r.get((2, 4)) {
        Some(Data::DateTime(d)) => {
            let (y, m, dd, ..) = d.to_ymd_hms_milli();
            assert_eq!((y, m, dd), (2026, 9, 30))
        },
        other => panic!("a date: {other:?}"),
    }
    let m = wb.worksheet_range("Marchés").unwrap();
    assert_eq!(m.get((1, 0)), Some(&Data::String("12/2026".into())), "a reference stays text");
    assert_eq!(m.get((2, 2)), Some(&Data::Float(1_750_000.0)));
    // Bold header, frozen, filtered.
    let sheet = docx_part(&out, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<pane ") && sheet.contains("<autoFilter"), "{sheet}");
    assert!(docx_part(&out, "xl/styles.xml").contains("<b/>"));

    // Arabic: a right-to-left sheet.
    let ar = sb.out("ar.xlsx");
    export::write(&ar, &ExportDoc::new("| البند | المبلغ |\n|---|---|\n| الوقود | 120 000 |\n", Lang::Ar, OutputKind::Report), false).unwrap();
    assert!(docx_part(&ar, "xl/worksheets/sheet1.xml").contains("rightToLeft=\"1\""));
    let mut wb: Xlsx<_> = open_workbook(&ar).unwrap();
    assert_eq!(wb.sheet_names(), vec!["جدول 1".to_string()]);
    assert_eq!(wb.worksheet_range("جدول 1").unwrap().get((1, 1)), Some(&Data::Float(120_000.0)));

    // No table: a clear error, nothing written; the CLI says so with exit 7.
    let none = sb.out("rien.xlsx");
    let err = export::write(&none, &ExportDoc::new("Monsieur,\n\nPas de tableau.", Lang::Fr, OutputKind::Letter), false).unwrap_err();
    assert!(matches!(err, ExportError::NoTable), "{err}");
    assert!(!none.exists());
    let o = sb.run(&["run", "reponse-citoyen", "--sample", "--out", sb.out("l.docx").to_str().unwrap(), "--xlsx", none.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(stderr(&o).contains("no table"), "{}", stderr(&o));
    assert!(!none.exists());
    // With a table, from a run.
    let x = sb.out("budget.xlsx");
    ok(&sb.run(&["run", "analyse-budget", "--sample", "--out", sb.out("b.docx").to_str().unwrap(), "--xlsx", x.to_str().unwrap()]));
    let mut wb: Xlsx<_> = open_workbook(&x).unwrap();
    assert!(!wb.sheet_names().is_empty());
    let first = wb.sheet_names()[0].clone();
    assert!(wb.worksheet_range(&first).unwrap().rows().skip(1).any(|r| r.iter().any(|c| matches!(c, Data::Float(_)))));
}

/// The CLI takes the letterhead, logo and signatory from config.toml, and the "prepared with"
/// line follows the setting and the flag.
#[test]
fn cli_uses_the_letterhead_settings_and_the_prepared_with_switches() {
    let sb = Sandbox::new();
    std::fs::copy(fixture("logo.png"), sb.config().join("embleme.png")).unwrap();
    std::fs::write(
        sb.config().join("config.toml"),
        "[letterhead]\nfr = [\"Royaume du Maroc\", \"Commune d'Oujda\"]\nar = [\"المملكة المغربية\", \"جماعة وجدة\"]\nlogo = \"embleme.png\"\nsignature_title = \"Le Président du Conseil de la Commune d'Oujda\"\nsignature_name = \"Mohammed Benali\"\n",
    )
    .unwrap();
    let letter = sb.out("lettre.docx");
    ok(&sb.run(&["run", "reponse-citoyen", "--sample", "--out", letter.to_str().unwrap()]));
    let t = docx_text(&letter);
    assert_in_order(&t, &["Royaume du Maroc", "Commune d'Oujda", "المملكة المغربية", "Objet", "Veuillez agréer", "Mohammed Benali"]);
    assert!(docx_part(&letter, "word/document.xml").contains("<w:drawing>"), "logo from the settings");
    assert!(!t.contains("Préparé avec"), "letters carry no prepared-with line");
    // The name goes under its own function only, never under another signatory's.
    let wb = katib_core::run::Workbench::load_from(katib_core::config::Paths { config_dir: sb.config(), data_dir: sb.path("data") }).unwrap();
    let tpl = wb.template("reponse-citoyen").unwrap();
    let mut inputs = katib_core::run::Inputs::from_sample(katib_core::samples::find(&wb.samples, "reponse-citoyen", None).unwrap());
    inputs.values.insert("signataire".into(), "Le Directeur Général des Services".into());
    let resolved = katib_core::run::resolve(tpl, &inputs).unwrap();
    let dgs = sb.out("lettre-dgs.docx");
    wb.export(tpl, &resolved, "Monsieur,\n\nTexte.", &dgs, None, &Default::default(), false).unwrap();
    let t = docx_text(&dgs);
    assert!(t.contains("Le Directeur Général des Services") && !t.contains("Mohammed Benali"), "{t}");

    // Reports: the line by default, with the template and the model; off with the flag.
    let report = sb.out("rapport.docx");
    ok(&sb.run(&["run", "analyse-budget", "--sample", "--out", report.to_str().unwrap(), "--toc"]));
    let t = docx_text(&report);
    assert!(t.contains("Préparé avec Katib : modèle « ") && t.contains("le 23 novembre 2026"), "{t}");
    assert!(t.contains("Table des matières"));
    let quiet = sb.out("rapport-sans.docx");
    ok(&sb.run(&["run", "analyse-budget", "--sample", "--out", quiet.to_str().unwrap(), "--no-prepared-with"]));
    assert!(!docx_text(&quiet).contains("Préparé avec"));
    // And off in the settings.
    let mut cfg = std::fs::read_to_string(sb.config().join("config.toml")).unwrap();
    cfg.insert_str(0, "prepared_with = false\n");
    std::fs::write(sb.config().join("config.toml"), cfg).unwrap();
    let off = sb.out("rapport-off.docx");
    ok(&sb.run(&["run", "analyse-budget", "--sample", "--out", off.to_str().unwrap()]));
    assert!(!docx_text(&off).contains("Préparé avec"));

    // A logo that is not an image: a one-line error naming it, exit 7, no letter.
    std::fs::write(sb.config().join("embleme.png"), b"GIF89a not a png").unwrap();
    let bad = sb.out("mauvais-logo.docx");
    let o = sb.run(&["run", "reponse-citoyen", "--sample", "--out", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(stderr(&o).contains("embleme.png") && stderr(&o).contains("not a PNG or JPEG"), "{}", stderr(&o));
    assert!(!bad.exists());
    assert!(stdout(&o).is_empty(), "checked before anything is sent: {}", stdout(&o));
}

fn read_tables_csv(csv: &str) {
    let t = csv.replace('"', "");
    let mut lines = t.lines();
    assert_eq!(lines.next(), Some("Rubrique,Crédits (MAD),Engagé,Taux,Date de révision"));
    let row = lines.next().unwrap();
    assert!(row.starts_with("Carburants et lubrifiants pour le parc automobile communal,"), "{row}");
    assert!(row.contains("95%") || row.contains("95 %"), "{row}");
    assert!(row.contains("15/10/2026"), "{row}");
}

fn read_tables_pdf(text: &str) {
    // Numbers show with the reader's locale separators (LibreOffice here: en-US).
    assert_words_in_order(text, &["Rubrique", "Carburants et lubrifiants", "Éclairage public", "Eau"]);
    let t = reading_form(text);
    assert!(t.contains("1,200,000.50") || t.contains("1200000,50"), "{text}");
    assert!(t.contains("95%") && t.contains("15/10/2026"), "{text}");
}

/// Every kind of document as LibreOffice lays it out, read back by pdftotext: one soffice call
/// for all the PDFs, one for the CSV. `KATIB_WRITE_RENDERS=1` also refreshes docs/renders/*.png.
#[test]
#[ignore = "needs LibreOffice (Writer, Calc) and pdftotext: tests/run.sh installs them"]
fn every_kind_reads_right_in_libreoffice() {
    let sb = Sandbox::new();
    let dir = sb.path("out");
    type Reader = fn(&str);
    let kinds: Vec<(PathBuf, &str, Reader)> = vec![
        (make_french_letter(&dir), "lettre-fr", read_french_letter),
        (make_arabic_letter(&dir), "lettre-ar", read_arabic_letter),
        (make_arabic_report(&dir), "rapport-ar", read_arabic_report),
        (make_bilingual_letter(&dir), "lettre-bilingue", read_bilingual_letter),
        (make_report(&dir), "rapport", read_report),
        (make_filled_letterhead(&dir), "lettre-entete", read_filled_letterhead),
        (make_tables_xlsx(&dir), "tableaux-xlsx", read_tables_pdf),
    ];
    let files: Vec<&Path> = kinds.iter().map(|k| k.0.as_path()).collect();
    let pdfs = libreoffice_batch(&files, "pdf", &sb.path("pdf"));
    for ((_, name, read), pdf) in kinds.iter().zip(&pdfs) {
        render_first_page(pdf, name);
        read(&pdf_text(pdf));
    }
    let csv = libreoffice_batch(&[kinds[6].0.as_path()], "csv:Text - txt - csv (StarCalc):44,34,76,1", &sb.path("csv"));
    read_tables_csv(&std::fs::read_to_string(&csv[0]).unwrap());
}
