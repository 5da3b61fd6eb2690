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

const BODY_FR: &str = "Monsieur le Directeur,\n\nJ'ai l'honneur de vous transmettre, ci-joint, le dossier technique n° 587/DT/2026 relatif à l'éclairage public de la rue Al Mansour Eddahbi, établi par la Division technique de la Commune.\n\nLes travaux sont prévus du **7 au 11 décembre 2026**.\n\nVeuillez agréer, Monsieur le Directeur, l'expression de ma haute considération.";

const BODY_AR: &str = "سلام تام بوجود مولانا الإمام المؤيد بالله، وبعد،\n\nفجوابا على طلبكم المتعلق بالموضوع أعلاه، يشرفني أن أخبركم بأن ملفكم رقم 1587/DU/2026 قد حظي برأي موافق من لدن اللجنة المختصة، وأن مبلغ 120 000 درهم قد رصد لأشغال الربط بالشبكة.\n\nوالسلام.";

/// The sender, and the same authority signing: a letter never comes from one office and is
/// signed by another (a delegation says on whose behalf).
const PRESIDENT: &str = "Le Président du Conseil de la Commune d'Oujda";
const PRESIDENT_AR: &str = "رئيس مجلس جماعة وجدة";

fn letter_fr() -> LetterParts {
    LetterParts {
        ville: Some("Oujda".into()),
        date: Some("2026-11-23".into()),
        reference: Some("1234/DAG/2026".into()),
        their_ref: Some("Votre lettre n° 3310/DREE/2026 du 2 novembre 2026".into()),
        expediteur: Some(PRESIDENT.into()),
        destinataire: Some("Monsieur le Directeur régional de l'Équipement et de l'Eau\nOujda".into()),
        objet: Some("Éclairage public de la rue Al Mansour Eddahbi".into()),
        pieces_jointes: Some("- Plan de situation\n- Devis estimatif des travaux".into()),
        signataire: Some(PRESIDENT.into()),
        copies: Some("Monsieur le Wali de la Région de l'Oriental, Gouverneur de la Préfecture d'Oujda-Angad".into()),
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
        objet: Some("ملف رخصة الربط بالشبكة رقم 1587/DU/2026".into()),
        pieces_jointes: None,
        signataire: Some(PRESIDENT_AR.into()),
        copies: Some("السيد والي جهة الشرق عامل عمالة وجدة أنجاد".into()),
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
        PRESIDENT,
        "à",
        "Monsieur le Directeur régional de l'Équipement et de l'Eau",
        "Oujda",
        "Objet : Éclairage public de la rue Al Mansour Eddahbi",
        "Réf. : Votre lettre n° 3310/DREE/2026 du 2 novembre 2026",
        "P.J. : 2",
        "- Plan de situation",
        "- Devis estimatif des travaux",
        "Monsieur le Directeur,",
        "Les travaux sont prévus du 7 au 11 décembre 2026.",
        PRESIDENT,
        "Mohammed Benali",
        "Copie à :",
        "- Monsieur le Wali de la Région de l'Oriental, Gouverneur de la Préfecture d'Oujda-Angad",
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
            &["Royaume du Maroc", "N° 1234/DAG/2026", "Oujda, le 23 novembre 2026", "Objet :", "P.J. : 2", "- Plan de situation", "Monsieur le Directeur,", "J'ai l'honneur", "dossier technique n° 587/DT/2026", PRESIDENT, "Mohammed Benali", "Copie à :"],
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
    for e in ["رقم: 2811/2026", "وجدة في 23 نونبر 2026", "12 جمادى الآخرة 1448 هـ", "الموضوع: ملف رخصة الربط بالشبكة رقم 1587/DU/2026", "والسلام.", "رئيس مجلس جماعة وجدة", "محمد بنعلي", "نسخة إلى:", "- السيد والي جهة الشرق عامل عمالة وجدة أنجاد"] {
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
    assert!(xml.contains("\u{200E}1587/DU/2026"));

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
            &["المملكة المغربية", "رقم", "2811/2026", "وجدة في 23 نونبر 2026", "السيدة فاطمة الزهراء العلوي", "الموضوع", "سلام تام بوجود مولانا الإمام المؤيد بالله", "يشرفني أن أخبركم بأن ملفكم رقم", "1587/DU/2026", "قد حظي برأي موافق", "120 000 درهم", "والسلام.", "رئيس مجلس جماعة وجدة", "محمد بنعلي", "نسخة إلى"],
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
    lh.signature_name = Some("Karim Alaoui".into());
    let body = "Monsieur le Directeur,\n\nJ'ai l'honneur de vous informer que les travaux débuteront le **23 novembre 2026**.\n\n- Tronçon A : rue Al Mansour Eddahbi ;\n- Tronçon B : boulevard Mohammed V.\n\n| Lot | Montant |\n|---|---:|\n| Câbles | 120 000 |\n\nVeuillez agréer, Monsieur le Directeur, l'expression de ma haute considération.";
    let doc = ExportDoc {
        letter: Some(letter_delegation_fr()),
        letterhead: Some(lh),
        run_id: Some("run-2026-11-23-0042".into()),
        audit: Some(audit()),
        ..ExportDoc::new(body, Lang::Fr, OutputKind::Letter)
    };
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
            "N° 2794/DGS/2026",
            "Oujda, le 23 novembre 2026",
            "Monsieur le Directeur régional de l'Équipement et de l'EauOujda",
            "S/C de Monsieur le Wali de la Région de l'Oriental, Gouverneur de la Préfecture d'Oujda-Angad",
            "Objet : Réfection de la chaussée du boulevard Allal Al Fassi",
            "Réf. : Votre lettre n° 3310/DREE/2026 du 2 novembre 2026",
            "P.J. : 2- Plan de situation du tronçon- Devis estimatif des travaux",
            "Monsieur le Directeur,",
            "J'ai l'honneur de vous informer que les travaux débuteront le 23 novembre 2026.",
            "Tronçon A : rue Al Mansour Eddahbi ;",
            "Câbles",
            "120 000",
            "Veuillez agréer",
            DELEGATION,
            DGS,
            "Karim Alaoui",
            "Copie à :- Monsieur le Chef de la Division technique- Monsieur le Pacha de la ville d'Oujda",
            "Relu et validé",
            "run-2026-11-23-0042",
        ],
    );
    // The annex starts a page and ends the body, before its section settings.
    let annex = xml.find("Relu et validé").unwrap();
    assert!(xml[..annex].contains("<w:br w:type=\"page\"/>") && xml[annex..].contains("<w:sectPr"));
    // The run's id in new custom properties, declared in the package.
    let names = |p: &Path| zip::ZipArchive::new(std::fs::File::open(p).unwrap()).unwrap().file_names().map(str::to_string).collect::<Vec<_>>();
    assert!(!names(&template).iter().any(|n| n == "docProps/custom.xml"), "the letterhead had none");
    let props = docx_part(&out, "docProps/custom.xml");
    assert!(props.contains("name=\"katib_run\"") && props.contains("run-2026-11-23-0042"), "{props}");
    assert!(docx_part(&out, "_rels/.rels").contains("Target=\"docProps/custom.xml\""));
    assert!(docx_part(&out, "[Content_Types].xml").contains("PartName=\"/docProps/custom.xml\""));
    // Body paragraphs take the {{corps}} paragraph's style.
    assert!(paras.iter().filter(|p| p.text.starts_with("J'ai l'honneur") || p.text.starts_with("Veuillez")).all(|p| p.style.as_deref() == Some("Corps")));
    // The split placeholder went into its first run, which kept its own properties.
    assert!(xml.contains("Réfection de la chaussée du boulevard Allal Al Fassi</w:t>"));
    // Header, footer, styles and logo: header and styles byte for byte, footer filled.
    let original = |name: &str| docx_part(&template, name);
    assert_eq!(docx_part(&out, "word/header1.xml"), original("word/header1.xml"));
    assert_eq!(docx_part(&out, "word/styles.xml"), original("word/styles.xml"));
    let footer = docx_part(&out, "word/footer1.xml");
    assert!(footer.contains("Réf. 2794/DGS/2026") && !footer.contains("{{"), "{footer}");
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
    // Parts a letter does not have leave no line behind: no bare "P.J. :", no empty paragraph
    // where the S/C line, the delegation or the copies would go.
    let sparse = sb.out("sans-parties.docx");
    let parts = LetterParts { pieces_jointes: None, copies: None, sous_couvert: None, delegation: None, ..letter_fr() };
    let doc = ExportDoc { letter: Some(parts), ..ExportDoc::new(BODY_FR, Lang::Fr, OutputKind::Letter) };
    export::fill_letterhead(&template, &doc, &sparse, false).unwrap();
    let t = docx_text(&sparse);
    assert!(!t.contains("P.J.") && !t.contains("Copie à") && !t.contains("S/C"), "{t}");
    let paras = docx_paragraphs(&sparse);
    let f = paras.iter().position(|p| p.text == PRESIDENT).expect("the signatory's function");
    let before = paras[..f].iter().rposition(|p| !p.text.trim().is_empty()).unwrap();
    assert!(paras[before].text.starts_with("Veuillez agréer"), "{:?}", paras[before]);
    assert_eq!(f - before - 1, 1, "the letterhead's own blank line only, none for the absent delegation");
    let objet = paras.iter().position(|p| p.text.starts_with("Objet :")).unwrap();
    let addressee = paras.iter().position(|p| p.text.starts_with("Monsieur le Directeur régional")).unwrap();
    assert_eq!(objet - addressee - 1, 1, "the letterhead's own blank line only, none for the absent S/C line");
}

fn read_filled_letterhead(text: &str) {
    assert_in_order(text, &["ROYAUME DU MAROC", "N° 2794/DGS/2026", "S/C de Monsieur le Wali", "Objet : Réfection de la chaussée", "P.J. : 2", "- Plan de situation du tronçon", "Monsieur le Directeur,", "Tronçon A", DELEGATION, DGS, "Karim Alaoui", "Hôtel de Ville"]);
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
/// for all the PDFs (letters, notes, acts in both languages, reports, the filled letterhead, the
/// workbook), one for the CSV. `KATIB_WRITE_RENDERS=1` also refreshes docs/renders/*.png.
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
        (make_letter_delegation(&dir, Lang::Fr), "lettre-delegation-fr", read_letter_delegation_fr),
        (make_letter_delegation(&dir, Lang::Ar), "lettre-delegation-ar", read_letter_delegation_ar),
        (make_note(&dir, Lang::Fr), "note-fr", read_note_fr),
        (make_note(&dir, Lang::Ar), "note-ar", read_note_ar),
        (make_arrete(&dir, Lang::Fr), "arrete-fr", read_arrete_fr),
        (make_arrete(&dir, Lang::Ar), "arrete-ar", read_arrete_ar),
        (make_pv(&dir, Lang::Fr), "pv-fr", read_pv_fr),
        (make_pv(&dir, Lang::Ar), "pv-ar", read_pv_ar),
        (make_attestation(&dir, Lang::Fr), "attestation-fr", read_attestation_fr),
        (make_attestation(&dir, Lang::Ar), "attestation-ar", read_attestation_ar),
        (make_mission(&dir, Lang::Fr), "ordre-mission-fr", read_mission_fr),
        (make_mission(&dir, Lang::Ar), "ordre-mission-ar", read_mission_ar),
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

// ---------------------------------------------------------------------------------------------
// Every output kind, French and Arabic: letters with a delegation, S/C and P.J., notes, acts.

const DGS: &str = "Le Directeur Général des Services";
const DGS_AR: &str = "المدير العام للمصالح";
const DELEGATION: &str = "Pour le Président et par délégation";
const DELEGATION_AR: &str = "عن الرئيس وبتفويض منه";

fn with_letterhead(name: Option<&str>) -> Letterhead {
    let mut lh = letterhead(true);
    lh.signature_name = name.map(str::to_string);
    lh
}

/// A letter from the President to an external service, through the Wali, signed by the DGS by
/// delegation, with two enclosures and a copy.
fn letter_delegation_fr() -> LetterParts {
    LetterParts {
        ville: Some("Oujda".into()),
        date: Some("2026-11-23".into()),
        reference: Some("2794/DGS/2026".into()),
        their_ref: Some("Votre lettre n° 3310/DREE/2026 du 2 novembre 2026".into()),
        expediteur: Some(PRESIDENT.into()),
        destinataire: Some("Monsieur le Directeur régional de l'Équipement et de l'Eau\nOujda".into()),
        sous_couvert: Some("Monsieur le Wali de la Région de l'Oriental, Gouverneur de la Préfecture d'Oujda-Angad".into()),
        objet: Some("Réfection de la chaussée du boulevard Allal Al Fassi".into()),
        pieces_jointes: Some("- Plan de situation du tronçon\n- Devis estimatif des travaux".into()),
        delegation: Some(DELEGATION.into()),
        signataire: Some(DGS.into()),
        signataire_nom: Some("Karim Alaoui".into()),
        copies: Some("- Monsieur le Chef de la Division technique\n- Monsieur le Pacha de la ville d'Oujda".into()),
        ..Default::default()
    }
}

const BODY_DELEGATION_FR: &str = "Monsieur le Directeur régional,\n\nEn réponse à votre lettre citée en référence, j'ai l'honneur de vous transmettre le plan de situation et le devis estimatif des travaux de réfection de la chaussée du boulevard Allal Al Fassi, entre le carrefour de la rue Ibn Khaldoun et le rond-point de la Gare.\n\nCes travaux, estimés à 4 860 000 DH, sont inscrits au budget d'équipement de 2027. Je vous saurais gré de bien vouloir faire connaître vos observations sur le tracé des réseaux d'assainissement avant le 15 décembre 2026.\n\nVeuillez agréer, Monsieur le Directeur régional, l'expression de ma haute considération.";

fn letter_delegation_ar() -> LetterParts {
    LetterParts {
        ville: Some("وجدة".into()),
        date: Some("2026-11-23".into()),
        reference: Some("2794/2026".into()),
        their_ref: Some("رسالتكم رقم 3310/2026 بتاريخ 2 نونبر 2026".into()),
        expediteur: Some(PRESIDENT_AR.into()),
        destinataire: Some("السيد المدير الجهوي للتجهيز والماء\nبوجدة".into()),
        sous_couvert: Some("السيد والي جهة الشرق عامل عمالة وجدة أنجاد".into()),
        objet: Some("إصلاح قارعة شارع علال الفاسي".into()),
        pieces_jointes: Some("- تصميم موقعي للمقطع\n- الكشف التقديري للأشغال".into()),
        delegation: Some(DELEGATION_AR.into()),
        signataire: Some(DGS_AR.into()),
        signataire_nom: Some("كريم العلوي".into()),
        copies: Some("- السيد رئيس القسم التقني\n- السيد باشا مدينة وجدة".into()),
        ..Default::default()
    }
}

const BODY_DELEGATION_AR: &str = "سلام تام بوجود مولانا الإمام المؤيد بالله، وبعد،\n\nفجوابا على رسالتكم المشار إليها في المرجع أعلاه، يشرفني أن أوافيكم رفقته بالتصميم الموقعي والكشف التقديري لأشغال إصلاح قارعة شارع علال الفاسي.\n\nوقد أدرجت هذه الأشغال، المقدرة كلفتها بمبلغ 4 860 000 درهم، في ميزانية التجهيز لسنة 2027. لذا، أرجو منكم موافاتي بملاحظاتكم بشأن مسار شبكات التطهير قبل 15 دجنبر 2026.\n\nوتقبلوا فائق التقدير والاحترام.";

fn make_letter_delegation(dir: &Path, lang: Lang) -> PathBuf {
    let (name, parts, body) = match lang {
        Lang::Ar => ("lettre-delegation-ar.docx", letter_delegation_ar(), BODY_DELEGATION_AR),
        _ => ("lettre-delegation-fr.docx", letter_delegation_fr(), BODY_DELEGATION_FR),
    };
    let out = dir.join(name);
    let nom = parts.signataire_nom.clone();
    let doc = ExportDoc { letter: Some(parts), letterhead: Some(with_letterhead(nom.as_deref())), run_id: Some("run-2026-11-23-0042".into()), ..ExportDoc::new(body, lang, OutputKind::Letter) };
    export::write(&out, &doc, false).unwrap();
    out
}

fn note_fr() -> LetterParts {
    LetterParts {
        ville: Some("Oujda".into()),
        date: Some("2026-11-23".into()),
        reference: Some("1041/DAF/2026".into()),
        expediteur: Some("Le Chef de la Division des affaires financières".into()),
        destinataire: Some(format!("Monsieur le {}", "Président du Conseil de la Commune d'Oujda")),
        objet: Some("Projet de convention pour la tranche 4 de conversion de l'éclairage public à la technologie LED".into()),
        their_ref: Some("Votre note n° 977/DGS/2026 du 2 novembre 2026".into()),
        pieces_jointes: Some("- Projet de convention\n- Audit énergétique préliminaire de l'AMEE".into()),
        signataire: Some("Le Chef de la Division des affaires financières".into()),
        signataire_nom: Some("Naima Berrahou".into()),
        copies: Some("Monsieur le Directeur Général des Services".into()),
        ..Default::default()
    }
}

const BODY_NOTE_FR: &str = "## Contexte\n\nLe programme d'action de la Commune 2022-2027 prévoit la conversion de l'éclairage public à la technologie LED. Au 31 octobre 2026, 27 900 des 46 800 points lumineux du réseau sont équipés.\n\n## Coût et financement\n\nLe coût de la tranche 4 est estimé à 22 500 000 DH, partagé à parts égales entre la Région de l'Oriental et la Commune.\n\n## Décision sollicitée\n\nJ'ai l'honneur de proposer l'inscription du projet de convention à l'ordre du jour de la prochaine session du Conseil.";

fn note_ar() -> LetterParts {
    LetterParts {
        ville: Some("وجدة".into()),
        date: Some("2026-11-23".into()),
        reference: Some("1041/2026".into()),
        expediteur: Some("رئيس قسم الشؤون المالية".into()),
        destinataire: Some("السيد رئيس مجلس جماعة وجدة".into()),
        objet: Some("مشروع اتفاقية الشطر الرابع لتحويل الإنارة العمومية إلى تقنية LED".into()),
        their_ref: Some("مذكرتكم رقم 977/2026 بتاريخ 2 نونبر 2026".into()),
        pieces_jointes: Some("- مشروع الاتفاقية\n- الافتحاص الطاقي الأولي".into()),
        signataire: Some("رئيس قسم الشؤون المالية".into()),
        signataire_nom: Some("نعيمة برحو".into()),
        copies: Some("السيد المدير العام للمصالح".into()),
        ..Default::default()
    }
}

const BODY_NOTE_AR: &str = "## السياق\n\nينص برنامج عمل الجماعة 2022-2027 على تحويل الإنارة العمومية إلى تقنية LED. وإلى غاية 31 أكتوبر 2026، جهزت 27 900 نقطة ضوئية من أصل 46 800.\n\n## الكلفة والتمويل\n\nتقدر كلفة الشطر الرابع بمبلغ 22 500 000 درهم، تتقاسمها جهة الشرق والجماعة مناصفة.\n\n## القرار المطلوب\n\nيشرفني أن أقترح إدراج مشروع الاتفاقية في جدول أعمال الدورة المقبلة للمجلس.";

fn make_note(dir: &Path, lang: Lang) -> PathBuf {
    let (name, parts, body) = match lang {
        Lang::Ar => ("note-ar.docx", note_ar(), BODY_NOTE_AR),
        _ => ("note-fr.docx", note_fr(), BODY_NOTE_FR),
    };
    let out = dir.join(name);
    let nom = parts.signataire_nom.clone();
    let doc = ExportDoc { letter: Some(parts), letterhead: Some(with_letterhead(nom.as_deref())), ..ExportDoc::new(body, lang, OutputKind::Note) };
    export::write(&out, &doc, false).unwrap();
    out
}

const BODY_ARRETE_FR: &str = "Le Président du Conseil de la Commune d'Oujda,\n\nVu le dahir n° 1-15-85 du 20 ramadan 1436 (7 juillet 2015) portant promulgation de la loi organique n° 113-14 relative aux communes, notamment son article 100 ;\n\nVu le dahir n° 1-10-07 du 26 safar 1431 (11 février 2010) portant promulgation de la loi n° 52-05 portant code de la route ;\n\nConsidérant la nécessité d'assurer la sécurité des usagers et du personnel de chantier pendant les travaux,\n\nArrête :\n\n**Article premier :** Du lundi 7 décembre 2026 au dimanche 27 décembre 2026 inclus, la circulation est interdite sur le tronçon du boulevard Allal Al Fassi compris entre la rue Ibn Khaldoun et le rond-point de la Gare.\n\n**Article 2 :** L'accès des riverains et des véhicules de secours est maintenu en permanence.\n\n**Article 3 :** Le Directeur Général des Services et le Chef de la Division technique sont chargés, chacun en ce qui le concerne, de l'exécution du présent arrêté.";

const BODY_ARRETE_AR: &str = "إن رئيس مجلس جماعة وجدة،\n\nبناء على الظهير الشريف رقم 1.15.85 الصادر في 20 من رمضان 1436 (7 يوليوز 2015) بتنفيذ القانون التنظيمي رقم 113.14 المتعلق بالجماعات؛\n\nواعتبارا لضرورة توحيد دراسة طلبات الاحتلال المؤقت للملك العمومي الجماعي؛\n\nيقرر ما يلي:\n\n**المادة الأولى:** تحدث لجنة تقنية مختلطة تكلف بدراسة طلبات الاحتلال المؤقت للملك العمومي الجماعي وإبداء الرأي فيها.\n\n**المادة 2:** تجتمع اللجنة مرة في الشهر على الأقل بدعوة من رئيسها.\n\n**المادة 3:** يعهد إلى السيد المدير العام للمصالح بتنفيذ هذا القرار.";

fn make_arrete(dir: &Path, lang: Lang) -> PathBuf {
    let out = dir.join(if lang == Lang::Ar { "arrete-ar.docx" } else { "arrete-fr.docx" });
    let parts = match lang {
        Lang::Ar => LetterParts {
            ville: Some("وجدة".into()),
            date: Some("2026-10-14".into()),
            titre: Some("قرار رقم 38/2026 بإحداث لجنة تقنية مختلطة لدراسة طلبات الاحتلال المؤقت للملك العمومي الجماعي".into()),
            signataire: Some(PRESIDENT_AR.into()),
            signataire_nom: Some("محمد بنعلي".into()),
            copies: Some("- السيد والي جهة الشرق عامل عمالة وجدة أنجاد\n- السيد باشا مدينة وجدة".into()),
            ..Default::default()
        },
        _ => LetterParts {
            ville: Some("Oujda".into()),
            date: Some("2026-11-23".into()),
            titre: Some("Arrêté n° 61/2026 portant réglementation temporaire de la circulation sur le boulevard Allal Al Fassi pendant les travaux de réhabilitation".into()),
            signataire: Some(PRESIDENT.into()),
            signataire_nom: Some("Mohammed Benali".into()),
            copies: Some("- Monsieur le Wali de la Région de l'Oriental, Gouverneur de la Préfecture d'Oujda-Angad\n- Monsieur le Préfet de police d'Oujda".into()),
            ..Default::default()
        },
    };
    let nom = parts.signataire_nom.clone();
    let body = if lang == Lang::Ar { BODY_ARRETE_AR } else { BODY_ARRETE_FR };
    let doc = ExportDoc { letter: Some(parts), letterhead: Some(with_letterhead(nom.as_deref())), ..ExportDoc::new(body, lang, OutputKind::Act) };
    export::write(&out, &doc, false).unwrap();
    out
}

const BODY_PV_FR: &str = "Le mercredi 18 novembre 2026, à 10 h 05, la Commission d'examen des demandes de subvention présentées par les associations s'est réunie dans la salle des réunions de la Division des affaires sociales et culturelles, sur convocation n° 2761/DGS/2026 du 11 novembre 2026, sous la présidence de Mme Houda Benamar.\n\n## Ordre du jour\n\n1. Situation des crédits de subvention de l'exercice 2026\n2. Examen des demandes déposées\n\n## Décisions\n\nLa commission a émis, à l'unanimité, un avis favorable à l'octroi de subventions à onze associations, pour un montant total de 640 000 DH.\n\nL'ordre du jour étant épuisé, la séance a été levée à 12 h 40.";

const BODY_PV_AR: &str = "في يوم الخميس 22 أكتوبر 2026، على الساعة العاشرة صباحا، عقدت اللجنة التقنية المكلفة بدراسة طلبات الاحتلال المؤقت للملك العمومي الجماعي اجتماعا بمقر جماعة وجدة، برئاسة السيد مصطفى الإدريسي.\n\n## جدول الأعمال\n\n1. دراسة الطلبات المودعة خلال شهر شتنبر 2026؛\n2. ما يستجد من أمور.\n\n## المقررات\n\nأبدت اللجنة، بالإجماع، رأيا موافقا بشأن ثمانية طلبات.\n\nوبعد استنفاد نقط جدول الأعمال، رفعت الجلسة على الساعة الثانية عشرة والنصف زوالا.";

fn make_pv(dir: &Path, lang: Lang) -> PathBuf {
    let out = dir.join(if lang == Lang::Ar { "pv-ar.docx" } else { "pv-fr.docx" });
    let parts = match lang {
        Lang::Ar => LetterParts {
            ville: Some("وجدة".into()),
            date: Some("2026-10-22".into()),
            reference: Some("14/2026".into()),
            titre: Some("محضر اجتماع اللجنة التقنية المكلفة بدراسة طلبات الاحتلال المؤقت للملك العمومي الجماعي".into()),
            signatures: Some("رئيس اللجنة: مصطفى الإدريسي\nرئيس مصلحة الشرطة الإدارية: عبد الرحيم بوشيخي\nرئيسة مصلحة الممتلكات الجماعية: سعاد الطاهري\nكاتبة اللجنة: لبنى الشرقاوي".into()),
            copies: Some("السيد رئيس مجلس جماعة وجدة".into()),
            ..Default::default()
        },
        _ => LetterParts {
            ville: Some("Oujda".into()),
            date: Some("2026-11-19".into()),
            reference: Some("07/DASC/2026".into()),
            titre: Some("Procès-verbal de la réunion de la Commission d'examen des demandes de subvention du 18 novembre 2026".into()),
            signatures: Some("La Présidente de la commission : Houda Benamar\nLe Rapporteur : Rachid Zerrouki\nLa Secrétaire de séance : Imane Ouazzani".into()),
            copies: Some("- Monsieur le Président du Conseil de la Commune d'Oujda\n- Monsieur le Directeur Général des Services".into()),
            ..Default::default()
        },
    };
    let body = if lang == Lang::Ar { BODY_PV_AR } else { BODY_PV_FR };
    // No signatory of its own: the members sign; the configured name goes nowhere.
    let doc = ExportDoc { letter: Some(parts), letterhead: Some(with_letterhead(None)), ..ExportDoc::new(body, lang, OutputKind::Act) };
    export::write(&out, &doc, false).unwrap();
    out
}

const BODY_ATTESTATION_FR: &str = "# Attestation de travail\n\nLe Président du Conseil de la Commune d'Oujda atteste que Monsieur Karim EL HADDAOUI, Administrateur de deuxième grade, matricule n° 1187452, exerce ses fonctions au sein des services de la Commune d'Oujda depuis le 1er mars 2012 et qu'il occupe actuellement le poste de Chef du Service de la gestion du personnel à la Division des ressources humaines.\n\nLa présente attestation est délivrée à l'intéressé, sur sa demande, pour servir et valoir ce que de droit.";

const BODY_ATTESTATION_AR: &str = "# شهادة العمل\n\nيشهد رئيس مجلس جماعة وجدة أن السيدة نادية بنعيسى، متصرفة من الدرجة الأولى، رقم التأجير 0954318، اشتغلت بمصالح جماعة وجدة من 16 شتنبر 1991 إلى 31 دجنبر 2025، تاريخ إحالتها على التقاعد لبلوغ حد السن.\n\nوقد سلمت هذه الشهادة للمعنية بالأمر بطلب منها للإدلاء بها عند الحاجة.";

fn make_attestation(dir: &Path, lang: Lang) -> PathBuf {
    let out = dir.join(if lang == Lang::Ar { "attestation-ar.docx" } else { "attestation-fr.docx" });
    let parts = match lang {
        Lang::Ar => LetterParts {
            ville: Some("وجدة".into()),
            date: Some("2026-11-23".into()),
            reference: Some("رقم: 418/2026".into()),
            delegation: Some(DELEGATION_AR.into()),
            signataire: Some(DGS_AR.into()),
            signataire_nom: Some("كريم العلوي".into()),
            ..Default::default()
        },
        _ => LetterParts {
            ville: Some("Oujda".into()),
            date: Some("2026-11-23".into()),
            reference: Some("N° 412/DRH/2026".into()),
            delegation: Some(DELEGATION.into()),
            signataire: Some(DGS.into()),
            signataire_nom: Some("Karim Alaoui".into()),
            ..Default::default()
        },
    };
    let nom = parts.signataire_nom.clone();
    let body = if lang == Lang::Ar { BODY_ATTESTATION_AR } else { BODY_ATTESTATION_FR };
    let doc = ExportDoc { letter: Some(parts), letterhead: Some(with_letterhead(nom.as_deref())), ..ExportDoc::new(body, lang, OutputKind::Act) };
    export::write(&out, &doc, false).unwrap();
    out
}

const BODY_MISSION_FR: &str = "# Ordre de mission\n\nLe Président du Conseil de la Commune d'Oujda donne ordre à Monsieur Adil RAHMOUNI d'effectuer la mission définie ci-après.\n\n**Grade :** Administrateur de troisième grade\n\n**Fonction :** Chef du Service du bureau d'ordre et des archives\n\n**Destination :** Rabat (Direction générale des collectivités territoriales)\n\n**Objet de la mission :** Participation à la journée d'étude sur la dématérialisation des bureaux d'ordre\n\n**Date de départ :** lundi 16 novembre 2026\n\n**Date de retour :** mardi 17 novembre 2026\n\n**Moyen de transport :** train\n\n| Visa de l'administration d'accueil | Arrivée | Départ |\n| --- | --- | --- |\n| Date et heure | Le ........ à ........ | Le ........ à ........ |\n| Cachet et signature | | |";

const BODY_MISSION_AR: &str = "# أمر بمهمة\n\nيأمر رئيس مجلس جماعة وجدة السيدة سناء بلحاج بالقيام بالمهمة المبينة بعده.\n\n**الدرجة:** مهندسة دولة من الدرجة الأولى\n\n**المهمة:** رئيسة مصلحة الإنارة العمومية\n\n**الوجهة:** بركان\n\n**موضوع المهمة:** المشاركة في الورشة التكوينية حول تدبير الإنارة العمومية الموفرة للطاقة\n\n**تاريخ الذهاب:** الخميس 3 دجنبر 2026\n\n**تاريخ الإياب:** الجمعة 4 دجنبر 2026\n\n**وسيلة النقل:** سيارة المصلحة رقم 45812-ج\n\n| تأشيرة الإدارة المستقبلة | الوصول | المغادرة |\n| --- | --- | --- |\n| التاريخ والساعة | يوم ........ على الساعة ........ | يوم ........ على الساعة ........ |\n| الخاتم والتوقيع | | |";

fn make_mission(dir: &Path, lang: Lang) -> PathBuf {
    let out = dir.join(if lang == Lang::Ar { "ordre-mission-ar.docx" } else { "ordre-mission-fr.docx" });
    let parts = match lang {
        Lang::Ar => LetterParts {
            ville: Some("وجدة".into()),
            date: Some("2026-11-23".into()),
            reference: Some("رقم: 91/2026".into()),
            signataire: Some(PRESIDENT_AR.into()),
            signataire_nom: Some("محمد بنعلي".into()),
            ..Default::default()
        },
        _ => LetterParts {
            ville: Some("Oujda".into()),
            date: Some("2026-11-10".into()),
            reference: Some("N° 84/DGS/2026".into()),
            delegation: Some(DELEGATION.into()),
            signataire: Some(DGS.into()),
            signataire_nom: Some("Karim Alaoui".into()),
            ..Default::default()
        },
    };
    let nom = parts.signataire_nom.clone();
    let body = if lang == Lang::Ar { BODY_MISSION_AR } else { BODY_MISSION_FR };
    let doc = ExportDoc { letter: Some(parts), letterhead: Some(with_letterhead(nom.as_deref())), ..ExportDoc::new(body, lang, OutputKind::Act) };
    export::write(&out, &doc, false).unwrap();
    out
}

/// A paragraph as a reader sees it laid out: its text, whether it is centred, whether all its
/// text is bold, which top-level table holds it (counted from 0), and whether a page break
/// opens it.
#[derive(Debug, Default, Clone)]
struct Laid {
    text: String,
    centred: bool,
    bold: bool,
    table: Option<usize>,
    page_break: bool,
}

/// word/document.xml read with quick-xml (not katib-core), paragraph by paragraph.
fn laid_out(path: &Path) -> Vec<Laid> {
    use quick_xml::events::Event;
    let xml = docx_part(path, "word/document.xml");
    let mut r = quick_xml::Reader::from_str(&xml);
    let (mut out, mut cur) = (Vec::new(), None::<Laid>);
    let (mut depth, mut tables) = (0usize, 0usize);
    let (mut in_ppr, mut in_rpr, mut run_bold, mut in_t) = (false, false, false, false);
    let (mut texts_bold, mut texts_plain) = (0, 0);
    let val = |e: &quick_xml::events::BytesStart| e.attributes().flatten().find(|a| a.key.local_name().as_ref() == b"val").map(|a| String::from_utf8_lossy(&a.value).to_string());
    let typ = |e: &quick_xml::events::BytesStart| e.attributes().flatten().find(|a| a.key.local_name().as_ref() == b"type").map(|a| String::from_utf8_lossy(&a.value).to_string());
    loop {
        match r.read_event().expect("xml") {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"tbl" => {
                    depth += 1;
                }
                b"p" => {
                    cur = Some(Laid { table: (depth > 0).then_some(tables), ..Default::default() });
                    texts_bold = 0;
                    texts_plain = 0;
                }
                b"pPr" => in_ppr = true,
                b"r" => run_bold = false,
                b"rPr" if !in_ppr => in_rpr = true,
                b"b" if in_rpr => run_bold = val(&e).as_deref() != Some("false") && val(&e).as_deref() != Some("0"),
                b"jc" if in_ppr => {
                    if let Some(c) = cur.as_mut() {
                        c.centred = val(&e).as_deref() == Some("center");
                    }
                }
                b"br" if typ(&e).as_deref() == Some("page") => {
                    if let Some(c) = cur.as_mut() {
                        c.page_break = true;
                    }
                }
                b"t" => in_t = true,
                _ => {}
            },
            Event::Text(t) if in_t => {
                let t = t.unescape().expect("text");
                if let Some(c) = cur.as_mut() {
                    c.text.push_str(&t);
                }
                if !t.trim().is_empty() {
                    if run_bold {
                        texts_bold += 1
                    } else {
                        texts_plain += 1
                    }
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_t = false,
                b"pPr" => in_ppr = false,
                b"rPr" => in_rpr = false,
                b"tbl" => {
                    depth -= 1;
                    if depth == 0 {
                        tables += 1;
                    }
                }
                b"p" => {
                    if let Some(mut c) = cur.take() {
                        c.bold = texts_bold > 0 && texts_plain == 0;
                        c.text = strip_marks(&c.text);
                        out.push(c);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The position of the first paragraph after `from` whose text is `text`.
#[track_caller]
fn find_from(paras: &[Laid], from: usize, text: &str) -> usize {
    paras[from..].iter().position(|p| p.text == text).map(|i| from + i).unwrap_or_else(|| {
        let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).filter(|t| !t.is_empty()).collect();
        panic!("'{text}' not found after paragraph {from}: {texts:#?}")
    })
}

/// Asserts that paragraphs with exactly these texts come in this order; their positions.
#[track_caller]
fn in_reading_order(paras: &[Laid], texts: &[&str]) -> Vec<usize> {
    let mut at = 0;
    texts
        .iter()
        .map(|t| {
            let i = find_from(paras, at, t);
            at = i + 1;
            i
        })
        .collect()
}

/// The signature rule as a reader checks it: `name` is printed once, right under `function`
/// (nothing between them but empty paragraphs), and the delegation line, if any, right above.
#[track_caller]
fn signed_by(paras: &[Laid], delegation: Option<&str>, function: &str, name: Option<&str>) {
    let f = paras.iter().rposition(|p| p.text == function).unwrap_or_else(|| panic!("no function '{function}'"));
    assert!(paras[f].bold, "the function is bold: {:?}", paras[f]);
    if let Some(d) = delegation {
        let above = paras[..f].iter().rposition(|p| !p.text.trim().is_empty()).unwrap();
        assert_eq!(paras[above].text, d, "the delegation line is right above the function");
    }
    let next = paras[f + 1..].iter().position(|p| !p.text.trim().is_empty()).map(|i| f + 1 + i);
    match name {
        Some(n) => {
            assert_eq!(next.map(|i| paras[i].text.as_str()), Some(n), "the name right under its own function");
            assert_eq!(paras.iter().filter(|p| p.text == n).count(), 1, "the name once");
        }
        None => assert!(next.is_none_or(|i| !paras[i].text.contains("Benali") && !paras[i].text.contains("بنعلي")), "no name under {function}"),
    }
}

#[test]
fn letters_have_the_whole_frame_in_reading_order() {
    let sb = Sandbox::new();
    let fr = make_letter_delegation(&sb.path("out"), Lang::Fr);
    let p = laid_out(&fr);
    in_reading_order(
        &p,
        &[
            "Royaume du Maroc",
            "N° 2794/DGS/2026",
            "Oujda, le 23 novembre 2026",
            PRESIDENT,
            "à",
            "Monsieur le Directeur régional de l'Équipement et de l'Eau",
            "Oujda",
            "S/C de Monsieur le Wali de la Région de l'Oriental, Gouverneur de la Préfecture d'Oujda-Angad",
            "Objet : Réfection de la chaussée du boulevard Allal Al Fassi",
            "Réf. : Votre lettre n° 3310/DREE/2026 du 2 novembre 2026",
            "P.J. : 2",
            "- Plan de situation du tronçon",
            "- Devis estimatif des travaux",
            "Monsieur le Directeur régional,",
            "Veuillez agréer, Monsieur le Directeur régional, l'expression de ma haute considération.",
            DELEGATION,
            DGS,
            "Karim Alaoui",
            "Copie à :",
            "- Monsieur le Chef de la Division technique",
            "- Monsieur le Pacha de la ville d'Oujda",
        ],
    );
    signed_by(&p, Some(DELEGATION), DGS, Some("Karim Alaoui"));
    // Sender and addressee centred, the sender in bold; no salutation added by the frame.
    for t in [PRESIDENT, "à", "Monsieur le Directeur régional de l'Équipement et de l'Eau"] {
        assert!(p.iter().any(|x| x.text == t && x.centred), "'{t}' centred");
    }
    assert_eq!(p.iter().filter(|x| x.text.starts_with("Monsieur le Directeur régional,")).count(), 1);
    // The run's id in the custom document properties.
    let props = docx_part(&fr, "docProps/custom.xml");
    assert!(props.contains("name=\"katib_run\"") && props.contains("run-2026-11-23-0042"), "{props}");

    let ar = make_letter_delegation(&sb.path("out"), Lang::Ar);
    let p = laid_out(&ar);
    in_reading_order(
        &p,
        &[
            "المملكة المغربية",
            "رقم: 2794/2026",
            "وجدة في 23 نونبر 2026",
            PRESIDENT_AR,
            "إلى",
            "السيد المدير الجهوي للتجهيز والماء",
            "بوجدة",
            "عن طريق السيد والي جهة الشرق عامل عمالة وجدة أنجاد",
            "الموضوع: إصلاح قارعة شارع علال الفاسي",
            "المرجع: رسالتكم رقم 3310/2026 بتاريخ 2 نونبر 2026",
            "المرفقات: 2",
            "- تصميم موقعي للمقطع",
            "- الكشف التقديري للأشغال",
            "سلام تام بوجود مولانا الإمام المؤيد بالله، وبعد،",
            "وتقبلوا فائق التقدير والاحترام.",
            DELEGATION_AR,
            DGS_AR,
            "كريم العلوي",
            "نسخة إلى:",
            "- السيد رئيس القسم التقني",
        ],
    );
    signed_by(&p, Some(DELEGATION_AR), DGS_AR, Some("كريم العلوي"));
    assert!(docx_paragraphs(&ar).iter().filter(|x| !x.in_table && !x.text.is_empty()).all(|x| x.bidi), "right to left");
}

#[test]
fn notes_have_the_from_to_subject_block() {
    let sb = Sandbox::new();
    // (language, paragraphs in order, the block's last paragraph and the body's first among
    // them, the signatory's function and name)
    type Case<'a> = (Lang, Vec<&'a str>, usize, usize, &'a str, &'a str);
    let cases: [Case; 2] = [
        (
            Lang::Fr,
            vec![
                "N° 1041/DAF/2026",
                "Oujda, le 23 novembre 2026",
                "De :",
                "Le Chef de la Division des affaires financières",
                "À :",
                "Monsieur le Président du Conseil de la Commune d'Oujda",
                "Objet :",
                "Projet de convention pour la tranche 4 de conversion de l'éclairage public à la technologie LED",
                "Réf. :",
                "Votre note n° 977/DGS/2026 du 2 novembre 2026",
                "P.J. :",
                "2",
                "- Projet de convention",
                "- Audit énergétique préliminaire de l'AMEE",
                "Contexte",
                "J'ai l'honneur de proposer l'inscription du projet de convention à l'ordre du jour de la prochaine session du Conseil.",
                "Le Chef de la Division des affaires financières",
                "Naima Berrahou",
                "Copie à :",
                "- Monsieur le Directeur Général des Services",
            ],
            13,
            14,
            "Le Chef de la Division des affaires financières",
            "Naima Berrahou",
        ),
        (
            Lang::Ar,
            vec![
                "رقم: 1041/2026",
                "وجدة في 23 نونبر 2026",
                "من:",
                "رئيس قسم الشؤون المالية",
                "إلى:",
                "السيد رئيس مجلس جماعة وجدة",
                "الموضوع:",
                "مشروع اتفاقية الشطر الرابع لتحويل الإنارة العمومية إلى تقنية LED",
                "المرجع:",
                "مذكرتكم رقم 977/2026 بتاريخ 2 نونبر 2026",
                "المرفقات:",
                "2",
                "- مشروع الاتفاقية",
                "- الافتحاص الطاقي الأولي",
                "السياق",
                "يشرفني أن أقترح إدراج مشروع الاتفاقية في جدول أعمال الدورة المقبلة للمجلس.",
                "رئيس قسم الشؤون المالية",
                "نعيمة برحو",
                "نسخة إلى:",
                "- السيد المدير العام للمصالح",
            ],
            13,
            14,
            "رئيس قسم الشؤون المالية",
            "نعيمة برحو",
        ),
    ];
    for (lang, expected, block_end, body_start, func, name) in cases {
        let out = make_note(&sb.path("out"), lang);
        let p = laid_out(&out);
        let at = in_reading_order(&p, &expected);
        // The block is one table: labels and values side by side, row by row.
        let block = p[at[2]].table.expect("the De / À / Objet block is a table");
        assert!(at[2..=block_end].iter().all(|&i| p[i].table == Some(block)), "{:?}", &at[2..=block_end]);
        assert!(p[at[2]].bold && p[at[3]].bold && p[at[6]].bold, "labels and the sender in bold");
        assert!(p[at[body_start]].table.is_none());
        // The body follows as written: the frame adds no salutation.
        assert!(p[at[block_end] + 1..at[body_start]].iter().all(|x| x.text.trim().is_empty()), "nothing between the block and the body");
        signed_by(&p, None, func, Some(name));
    }
}

#[test]
fn acts_have_a_centred_title_fait_a_and_their_signatures() {
    let sb = Sandbox::new();
    let dir = sb.path("out");
    // Arrêté: the title centred in bold, "Arrête :" centred, "Fait à" above the signature,
    // ampliations after it.
    let p = laid_out(&make_arrete(&dir, Lang::Fr));
    let title = "Arrêté n° 61/2026 portant réglementation temporaire de la circulation sur le boulevard Allal Al Fassi pendant les travaux de réhabilitation";
    let at = in_reading_order(
        &p,
        &["Royaume du Maroc", title, "Le Président du Conseil de la Commune d'Oujda,", "Arrête :", "Fait à Oujda, le 23 novembre 2026", PRESIDENT, "Mohammed Benali", "Ampliations :", "- Monsieur le Préfet de police d'Oujda"],
    );
    assert!(p[at[1]].centred && p[at[1]].bold, "{:?}", p[at[1]]);
    assert!(p[at[3]].centred && p[at[3]].bold, "the operative word: {:?}", p[at[3]]);
    assert!(!p[at[2]].centred);
    assert!(!p.iter().any(|x| x.text.starts_with("N°")), "the title carries the number");
    assert!(!p.iter().any(|x| x.text.starts_with("Oujda, le")), "an act is dated where it is signed");
    signed_by(&p, None, PRESIDENT, Some("Mohammed Benali"));
    let p = laid_out(&make_arrete(&dir, Lang::Ar));
    let at = in_reading_order(&p, &["المملكة المغربية", "قرار رقم 38/2026 بإحداث لجنة تقنية مختلطة لدراسة طلبات الاحتلال المؤقت للملك العمومي الجماعي", "إن رئيس مجلس جماعة وجدة،", "يقرر ما يلي:", "وحرر بوجدة في 14 أكتوبر 2026", PRESIDENT_AR, "محمد بنعلي", "نسخة إلى:"]);
    assert!(p[at[1]].centred && p[at[1]].bold && p[at[3]].centred);

    // Procès-verbal: no signatory of its own, the members sign side by side, three columns.
    let pv = make_pv(&dir, Lang::Fr);
    let p = laid_out(&pv);
    let at = in_reading_order(
        &p,
        &["N° 07/DASC/2026", "Procès-verbal de la réunion de la Commission d'examen des demandes de subvention du 18 novembre 2026", "Fait à Oujda, le 19 novembre 2026", "La Présidente de la commission", "Le Rapporteur", "La Secrétaire de séance", "Houda Benamar", "Rachid Zerrouki", "Imane Ouazzani", "Copie à :"],
    );
    // Functions side by side in bold, their names in the row under them, column by column.
    let table = p[at[3]].table.expect("the signatures are a table");
    assert!(at[3..9].iter().all(|&i| p[i].table == Some(table) && p[i].centred));
    assert!(at[3..6].iter().all(|&i| p[i].bold) && at[6..9].iter().all(|&i| !p[i].bold), "functions in bold, names under them");
    let xml = docx_part(&pv, "word/document.xml");
    let grid = xml.rsplit("<w:tblGrid>").next().unwrap();
    assert_eq!(grid[..grid.find("</w:tblGrid>").unwrap()].matches("<w:gridCol").count(), 3, "three signatories, three columns");
    assert!(!docx_text(&pv).contains("Benali"), "the configured name goes under no member");
    let pv_ar = make_pv(&dir, Lang::Ar);
    let p = laid_out(&pv_ar);
    let at = in_reading_order(&p, &["رقم: 14/2026", "وحرر بوجدة في 22 أكتوبر 2026", "رئيس اللجنة", "رئيس مصلحة الشرطة الإدارية", "مصطفى الإدريسي", "عبد الرحيم بوشيخي", "كاتبة اللجنة", "لبنى الشرقاوي", "نسخة إلى:"]);
    assert!(p[at[2]].table.is_some() && p[at[2]].table == p[at[7]].table, "four signatories in one table");
    let xml = docx_part(&pv_ar, "word/document.xml");
    let grid = xml.rsplit("<w:tblGrid>").next().unwrap();
    assert_eq!(grid[..grid.find("</w:tblGrid>").unwrap()].matches("<w:gridCol").count(), 2, "four signatories, two columns");

    // Attestation and ordre de mission: the body's opening heading is the centred title, once.
    for (out, title, fait, deleg, func, name) in [
        (make_attestation(&dir, Lang::Fr), "Attestation de travail", "Fait à Oujda, le 23 novembre 2026", Some(DELEGATION), DGS, "Karim Alaoui"),
        (make_attestation(&dir, Lang::Ar), "شهادة العمل", "وحرر بوجدة في 23 نونبر 2026", Some(DELEGATION_AR), DGS_AR, "كريم العلوي"),
        (make_mission(&dir, Lang::Fr), "Ordre de mission", "Fait à Oujda, le 10 novembre 2026", Some(DELEGATION), DGS, "Karim Alaoui"),
        (make_mission(&dir, Lang::Ar), "أمر بمهمة", "وحرر بوجدة في 23 نونبر 2026", None, PRESIDENT_AR, "محمد بنعلي"),
    ] {
        let p = laid_out(&out);
        let at = in_reading_order(&p, &[title, fait, func, name]);
        assert!(p[at[0]].centred && p[at[0]].bold, "{:?}", p[at[0]]);
        assert_eq!(p.iter().filter(|x| x.text == title).count(), 1, "the title once");
        assert!(docx_paragraphs(&out).iter().all(|x| x.style.as_deref() != Some("Heading1")), "the title is not a heading of the body");
        signed_by(&p, deleg, func, Some(name));
    }
}

fn audit() -> katib_core::export::AuditAnnex {
    katib_core::export::AuditAnnex {
        run_id: "run-2026-11-23-0042".into(),
        template: "Réponse à un citoyen (v2)".into(),
        profile: "souverain-dgct".into(),
        model: "llama3.1:70b".into(),
        data_class: "sovereign".into(),
        date: "2026-11-23".into(),
        masked: vec![("NOM".into(), 3), ("CIN".into(), 1), ("TEL".into(), 2)],
        approvals: vec![
            ("Karim Alaoui".into(), DGS.into(), "2026-11-24".into()),
            ("Mohammed Benali".into(), PRESIDENT.into(), "2026-11-25".into()),
        ],
    }
}

#[test]
fn the_audit_annex_is_the_last_page_in_the_documents_language() {
    let sb = Sandbox::new();
    for (lang, title, rows) in [
        (Lang::Fr, "Relu et validé", vec!["Exécution :", "run-2026-11-23-0042", "Modèle d'IA :", "llama3.1:70b", "Données personnelles pseudonymisées :", "Noms : 3 ; N° de CIN : 1 ; Téléphones : 2", "Relu et validé par", "Nom", "Fonction", "Date", "Karim Alaoui", DGS, "24/11/2026", "Mohammed Benali"]),
        (Lang::Ar, "تمت المراجعة والمصادقة", vec!["العملية:", "run-2026-11-23-0042", "المعطيات الشخصية المستعارة:", "الأسماء: 3؛ أرقام البطاقة الوطنية: 1؛ أرقام الهاتف: 2", "راجعها وصادق عليها", "الاسم", "الصفة", "التاريخ", "Karim Alaoui", "24/11/2026"]),
    ] {
        let out = sb.out(&format!("annexe-{}.docx", lang.code()));
        let (parts, body) = if lang == Lang::Ar { (letter_ar(), BODY_AR) } else { (letter_fr(), BODY_FR) };
        let doc = ExportDoc { letter: Some(parts), audit: Some(audit()), run_id: Some("run-2026-11-23-0042".into()), ..ExportDoc::new(body, lang, OutputKind::Letter) };
        export::write(&out, &doc, false).unwrap();
        let p = laid_out(&out);
        let br = p.iter().position(|x| x.page_break).expect("a page break before the annex");
        let mut expected = vec![title];
        expected.extend(rows);
        let at = in_reading_order(&p[br..], &expected);
        assert!(p[br + at[0]].centred && p[br + at[0]].bold);
        // The letter's own signature is before the annex.
        let sig = if lang == Lang::Ar { PRESIDENT_AR } else { PRESIDENT };
        assert!(p.iter().position(|x| x.text == sig).unwrap() < br);
        // Counts only: the annex names no masked value.
        let text = docx_text(&out);
        assert!(!text.contains("[NOM_1]"), "{text}");
        // The same in the .md export.
        let md = sb.out(&format!("annexe-{}.md", lang.code()));
        export::write(&md, &doc, false).unwrap();
        let md = std::fs::read_to_string(md).unwrap();
        assert!(md.contains(&format!("## {title}")) && md.contains("run-2026-11-23-0042") && md.contains("24/11/2026"), "{md}");
    }
}

// What a reader of the PDF finds, in reading order (pdftotext gives Arabic in logical order).

fn read_letter_delegation_fr(text: &str) {
    assert_in_order(
        text,
        &["Royaume du Maroc", "N° 2794/DGS/2026", "Oujda, le 23 novembre 2026", PRESIDENT, "à", "Monsieur le Directeur régional de l'Équipement et de l'Eau", "S/C de Monsieur le Wali", "Objet :", "Réf. :", "P.J. : 2", "- Plan de situation du tronçon", "- Devis estimatif", "Monsieur le Directeur régional,", DELEGATION, DGS, "Karim Alaoui", "Copie à :", "- Monsieur le Chef de la Division technique"],
    );
}

fn read_letter_delegation_ar(text: &str) {
    assert_words_in_order(
        text,
        &["المملكة المغربية", "رقم", "2794/2026", "وجدة في 23 نونبر 2026", PRESIDENT_AR, "إلى", "السيد المدير الجهوي للتجهيز والماء", "عن طريق السيد والي جهة الشرق", "الموضوع", "المرجع", "المرفقات", "2", "تصميم موقعي للمقطع", "سلام تام بوجود مولانا الإمام", "وتقبلوا فائق التقدير والاحترام", DELEGATION_AR, DGS_AR, "كريم العلوي", "نسخة إلى"],
    );
}

fn read_note_fr(text: &str) {
    assert_in_order(text, &["N° 1041/DAF/2026", "Oujda, le 23 novembre 2026", "De :", "Le Chef de la Division des affaires financières", "À :", "Monsieur le Président", "Objet :", "Projet de convention", "P.J. :", "Contexte", "Décision sollicitée", "Naima Berrahou", "Copie à :"]);
}

fn read_note_ar(text: &str) {
    // A range of years keeps its order in Arabic text ("2027-2022" would misquote the plan).
    assert_words_in_order(text, &["ينص برنامج", "2022-2027", "27 900", "46 800"]);
    assert_words_in_order(text, &["رقم", "1041/2026", "من", "رئيس قسم الشؤون المالية", "إلى", "السيد رئيس مجلس جماعة وجدة", "الموضوع", "المرفقات", "السياق", "القرار المطلوب", "نعيمة برحو", "نسخة إلى"]);
}

fn read_arrete_fr(text: &str) {
    assert_in_order(text, &["Royaume du Maroc", "Arrêté n° 61/2026 portant réglementation temporaire", "Vu le dahir", "Arrête :", "Article premier :", "Article 3 :", "Fait à Oujda, le 23 novembre 2026", PRESIDENT, "Mohammed Benali", "Ampliations :", "- Monsieur le Préfet de police d'Oujda"]);
}

fn read_arrete_ar(text: &str) {
    assert_words_in_order(text, &["المملكة المغربية", "قرار رقم", "38/2026", "بإحداث لجنة تقنية مختلطة", "إن رئيس مجلس جماعة وجدة", "يقرر ما يلي", "المادة الأولى", "المادة 3", "وحرر بوجدة في 14 أكتوبر 2026", PRESIDENT_AR, "محمد بنعلي", "نسخة إلى"]);
}

fn read_pv_fr(text: &str) {
    assert_in_order(text, &["N° 07/DASC/2026", "Procès-verbal de la réunion", "Ordre du jour", "la séance a été levée à 12 h 40", "Fait à Oujda, le 19 novembre 2026", "La Présidente de la commission"]);
    // Three signatories side by side: each function above its name, whatever order pdftotext
    // reads the columns in.
    for (f, n) in [("La Présidente de la commission", "Houda Benamar"), ("Le Rapporteur", "Rachid Zerrouki"), ("La Secrétaire de séance", "Imane Ouazzani")] {
        assert_in_order(text, &["Fait à Oujda", f, n]);
    }
    assert_in_order(text, &["Imane Ouazzani", "Copie à :"]);
}

fn read_pv_ar(text: &str) {
    assert_words_in_order(text, &["رقم", "14/2026", "محضر اجتماع اللجنة التقنية", "المقررات", "رفعت الجلسة", "وحرر بوجدة في 22 أكتوبر 2026"]);
    for (f, n) in [("رئيس اللجنة", "مصطفى الإدريسي"), ("كاتبة اللجنة", "لبنى الشرقاوي")] {
        assert_words_in_order(text, &["وحرر بوجدة", f, n]);
    }
}

fn read_attestation_fr(text: &str) {
    assert_in_order(text, &["N° 412/DRH/2026", "Attestation de travail", "atteste que Monsieur Karim EL HADDAOUI", "pour servir et valoir ce que de droit", "Fait à Oujda, le 23 novembre 2026", DELEGATION, DGS, "Karim Alaoui"]);
}

fn read_attestation_ar(text: &str) {
    assert_words_in_order(text, &["رقم", "418/2026", "شهادة العمل", "يشهد رئيس مجلس جماعة وجدة", "وقد سلمت هذه الشهادة", "وحرر بوجدة في 23 نونبر 2026", DELEGATION_AR, DGS_AR, "كريم العلوي"]);
}

fn read_mission_fr(text: &str) {
    assert_in_order(text, &["N° 84/DGS/2026", "Ordre de mission", "donne ordre à Monsieur Adil RAHMOUNI", "Destination :", "Visa de l'administration d'accueil", "Fait à Oujda, le 10 novembre 2026", DELEGATION, DGS, "Karim Alaoui"]);
}

fn read_mission_ar(text: &str) {
    assert_words_in_order(text, &["رقم", "91/2026", "أمر بمهمة", "يأمر رئيس مجلس جماعة وجدة", "الوجهة", "تأشيرة الإدارة المستقبلة", "وحرر بوجدة في 23 نونبر 2026", PRESIDENT_AR, "محمد بنعلي"]);
}

// ---------------------------------------------------------------------------------------------
// Every letter, note and act template's samples, exported by `katib run` as a user runs them.

/// The legacy single signatory (its name goes under its own function only) and a configured
/// DGS who signs by delegation.
const SIGNATORIES_TOML: &str = r#"
[letterhead]
signature_title = "Le Président du Conseil de la Commune d'Oujda"
signature_name = "Mohammed Benali"
signature_title_ar = "رئيس مجلس جماعة وجدة"
signature_name_ar = "محمد بنعلي"

[[signatories]]
id = "dgs"
function = "Le Directeur général des services"
function_ar = "المدير العام للمصالح"
name = "Karim Alaoui"
name_ar = "كريم العلوي"
delegation = "Pour le Président et par délégation"
delegation_ar = "عن الرئيس وبتفويض منه"
"#;

/// Compared as a reader compares: spaces collapsed, case ignored, direction marks dropped.
fn norm(s: &str) -> String {
    strip_marks(s).split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// A framed template as `katib templates show --json` describes it.
struct Framed {
    id: String,
    output: String,
    /// Part -> field.
    parts: serde_json::Map<String, serde_json::Value>,
    fields: Vec<serde_json::Value>,
    language_field: Option<String>,
    language: Option<String>,
}

fn framed_templates(sb: &Sandbox) -> Vec<Framed> {
    let list = json(&sb.run(&["templates", "list", "--json"]));
    list.as_array()
        .unwrap()
        .iter()
        .filter(|t| matches!(t["output"].as_str(), Some("letter" | "note" | "act")))
        .map(|t| {
            let id = t["id"].as_str().unwrap().to_string();
            let o = sb.run(&["templates", "show", &id, "--json"]);
            ok(&o);
            let d = json(&o);
            Framed {
                output: t["output"].as_str().unwrap().to_string(),
                parts: d["letter"].as_object().cloned().unwrap_or_default(),
                fields: d["fields"].as_array().cloned().unwrap_or_default(),
                language_field: d["languageField"].as_str().map(str::to_string),
                language: d["language"].as_str().map(str::to_string),
                id,
            }
        })
        .collect()
}

impl Framed {
    fn field(&self, name: &str) -> Option<&serde_json::Value> {
        self.fields.iter().find(|f| f["name"] == name)
    }

    /// A part's value in `values` (the sample's), or its field's default; None when empty.
    fn part(&self, part: &str, values: &serde_json::Value) -> Option<String> {
        let field = self.parts.get(part)?.as_str()?;
        let v = values[field].as_str().map(str::to_string).or_else(|| self.field(field).and_then(|f| f["default"].as_str().map(str::to_string)));
        v.filter(|v| !v.trim().is_empty())
    }

    fn part_type(&self, part: &str) -> Option<String> {
        let field = self.parts.get(part)?.as_str()?;
        self.field(field).and_then(|f| f["type"].as_str().map(str::to_string))
    }

    fn arabic(&self, values: &serde_json::Value) -> bool {
        match &self.language_field {
            Some(f) => values[f.as_str()].as_str().or_else(|| self.field(f).and_then(|x| x["default"].as_str())) == Some("ar"),
            None => self.language.as_deref() == Some("ar"),
        }
    }
}

/// Runs every sample of every letter, note and act template, with `config` as config.toml:
/// (template, sample id, values, the .docx's paragraphs).
fn export_framed_samples(sb: &Sandbox, templates: &[Framed]) -> Vec<(usize, String, serde_json::Value, Vec<String>)> {
    let samples = json(&sb.run(&["samples", "list", "--json"]));
    let mut out = Vec::new();
    for (t, tpl) in templates.iter().enumerate() {
        let mine: Vec<&serde_json::Value> = samples.as_array().unwrap().iter().filter(|s| s["template"] == tpl.id.as_str()).collect();
        assert!(!mine.is_empty(), "{}: a letter, note or act template needs at least one sample", tpl.id);
        for s in mine {
            let sid = s["id"].as_str().unwrap().to_string();
            let docx = sb.out(&format!("{sid}.docx"));
            let mut args = vec!["run", tpl.id.as_str(), "--sample"];
            if let Some(n) = s["name"].as_str() {
                args.push(n);
            }
            args.extend(["--out", docx.to_str().unwrap()]);
            let o = sb.run(&args);
            ok(&o);
            let paras = docx_paragraphs(&docx).into_iter().map(|p| strip_marks(&p.text)).filter(|t| !t.trim().is_empty()).collect();
            out.push((t, sid, s["values"].clone(), paras));
        }
    }
    out
}

/// For every letter, note and act template, each sample's .docx (practice mode, `katib run ID
/// --sample NAME --out X.docx`) holds the N°, the sender, the addressee and the Objet the sample
/// gives, the signatory's function, an act's "Fait à"; the configured names go under their own
/// function only, never under another one.
#[test]
fn every_framed_sample_exports_its_frame_and_the_right_name() {
    let sb = Sandbox::new();
    std::fs::write(sb.config().join("config.toml"), SIGNATORIES_TOML).unwrap();
    let templates = framed_templates(&sb);
    for kind in ["letter", "note", "act"] {
        assert!(templates.iter().any(|t| t.output == kind), "no {kind} template");
    }
    let (mut named, mut unnamed) = (0, 0);
    for (t, sid, values, paras) in export_framed_samples(&sb, &templates) {
        let tpl = &templates[t];
        let ar = tpl.arabic(&values);
        let text = norm(&paras.join("\n"));
        let has = |what: &str, v: &str| assert!(text.contains(&norm(v)), "{sid}: the {what} '{v}' is missing from:\n{}", paras.join("\n"));
        if let Some(r) = tpl.part("reference", &values) {
            let r = r.trim();
            let line = if !r.starts_with(|c: char| c.is_ascii_digit()) { r.to_string() } else if ar { format!("رقم: {r}") } else { format!("N° {r}") };
            has("N°", &line);
        }
        for part in ["expediteur", "destinataire", "objet"] {
            if tpl.part_type(part).as_deref() == Some("select") {
                continue; // printed as the option's label
            }
            if let Some(v) = tpl.part(part, &values) {
                v.lines().filter(|l| !l.trim().is_empty()).for_each(|l| has(part, l.trim()));
            }
        }
        let (legacy_title, legacy_name) = if ar { ("رئيس مجلس جماعة وجدة", "محمد بنعلي") } else { ("Le Président du Conseil de la Commune d'Oujda", "Mohammed Benali") };
        let (dgs_title, dgs_name) = if ar { ("المدير العام للمصالح", "كريم العلوي") } else { ("Le Directeur général des services", "Karim Alaoui") };
        let function = match tpl.part("signataire", &values) {
            Some(v) if v.trim() == "dgs" => dgs_title.to_string(),
            Some(v) => v,
            None => legacy_title.to_string(),
        };
        // Each signatory's function (a line "Function : Name" of several signatories too).
        for line in function.lines().filter(|l| !l.trim().is_empty()) {
            has("signatory's function", line.split(':').next().unwrap().trim());
        }
        if tpl.output == "act" && tpl.part("date", &values).is_some() {
            has("place and date of signature", if ar { "وحرر ب" } else { "Fait à" });
        }
        // The names: each right under its own function (or under that function's last line).
        for (title, name) in [(legacy_title, legacy_name), (dgs_title, dgs_name)] {
            for (i, p) in paras.iter().enumerate().filter(|(_, p)| norm(p) == norm(name)) {
                assert!(i > 0 && norm(&paras[i - 1]) == norm(title), "{sid}: '{name}' is printed under '{}', not under its own function '{title}'", paras[i.saturating_sub(1)]);
                let _ = p;
            }
        }
        let shown_legacy = function.lines().count() == 1 && norm(&function) == norm(legacy_title);
        let name_shown = paras.iter().any(|p| norm(p) == norm(legacy_name));
        assert_eq!(name_shown, shown_legacy, "{sid}: the configured name goes under '{legacy_title}' and only there (function: '{function}')");
        if shown_legacy {
            named += 1;
        } else {
            unnamed += 1;
        }
    }
    // Both sides of the rule were exercised.
    assert!(named > 0 && unnamed > 0, "{named} samples signed by the configured signatory, {unnamed} by another");
}

/// Refusal samples (reponse-citoyen, reponse-chikaya) export their grounds, and every letter
/// template declares its whole frame. It never passes without a refusal to read.
#[test]
fn refusals_state_their_grounds_and_letters_declare_their_whole_frame() {
    let sb = Sandbox::new();
    let templates = framed_templates(&sb);
    // Every letter template declares the frame of issue 9: N°, sender, addressee, Objet, signatory.
    for t in templates.iter().filter(|t| t.output == "letter") {
        for part in ["reference", "expediteur", "destinataire", "objet", "signataire"] {
            assert!(t.parts.contains_key(part), "{}: the letter frame has no '{part}' part", t.id);
        }
    }
    let exported = export_framed_samples(&sb, &templates);
    let mut refusals = 0;
    for (t, sid, values, paras) in &exported {
        if values["nature_reponse"].as_str() != Some("refus") {
            continue;
        }
        refusals += 1;
        let tpl = &templates[*t];
        // The grounds: the fields a refusal requires.
        let grounds: Vec<&str> = tpl
            .fields
            .iter()
            .filter(|f| f["requiredWhen"]["nature_reponse"].as_array().is_some_and(|v| v.iter().any(|x| x == "refus")))
            .filter_map(|f| values[f["name"].as_str().unwrap()].as_str())
            .collect();
        assert!(!grounds.is_empty(), "{sid}: a refusal sample gives its grounds");
        let text = norm(&paras.join(" "));
        // Each ground, reworded into sentences by the model, keeps its substance: most of its
        // significant words are in the letter.
        for ground in grounds.iter().flat_map(|g| g.lines()).map(|l| l.trim().trim_start_matches("- ")).filter(|l| !l.is_empty()) {
            let words: Vec<String> = ground.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 5).map(str::to_lowercase).collect();
            let found = words.iter().filter(|w| text.contains(w.as_str())).count();
            assert!(words.is_empty() || found * 10 >= words.len() * 6, "{sid}: the ground '{ground}' is not in the letter ({found} of {} words):\n{}", words.len(), paras.join("\n"));
        }
    }
    assert!(refusals > 0, "no sample has nature_reponse = \"refus\": the refusal answers are not there yet");
}

/// A letterhead for acts: the title, the body, "Fait à", the signatory and the members'
/// signatures as placeholders, and custom properties of its own.
fn act_letterhead(dir: &Path) -> PathBuf {
    use std::io::Write;
    let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    let para = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let body: String = ["{{reference}}", "{{titre}}", "{{corps}}", "{{fait_a}}", "{{delegation}}", "{{signataire}}", "{{signature_nom}}", "{{signatures}}", "{{copies}}"].iter().map(|t| para(t)).collect();
    let parts = [
        ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/docProps/custom.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.custom-properties+xml\"/></Types>".to_string()),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties\" Target=\"docProps/custom.xml\"/></Relationships>".to_string()),
        ("docProps/custom.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"2\" name=\"Service\"><vt:lpwstr>DRH</vt:lpwstr></property></Properties>".to_string()),
        ("word/document.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document {w}><w:body>{body}<w:sectPr/></w:body></w:document>")),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, xml) in parts {
        z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(xml.as_bytes()).unwrap();
    }
    let path = dir.join("entete-actes.docx");
    std::fs::write(&path, z.finish().unwrap().into_inner()).unwrap();
    path
}

#[test]
fn a_filled_letterhead_takes_an_acts_title_signatures_and_keeps_its_properties() {
    let sb = Sandbox::new();
    let template = act_letterhead(&sb.path("out"));
    // An attestation: its opening heading becomes {{titre}} and leaves the body.
    let parts = LetterParts {
        ville: Some("Oujda".into()),
        date: Some("2026-11-23".into()),
        reference: Some("N° 412/DRH/2026".into()),
        delegation: Some(DELEGATION.into()),
        signataire: Some(DGS.into()),
        signataire_nom: Some("Karim Alaoui".into()),
        ..Default::default()
    };
    let doc = ExportDoc { letter: Some(parts), run_id: Some("run-7".into()), ..ExportDoc::new(BODY_ATTESTATION_FR, Lang::Fr, OutputKind::Act) };
    let out = sb.out("attestation.docx");
    export::fill_letterhead(&template, &doc, &out, false).unwrap();
    let texts: Vec<String> = docx_paragraphs(&out).into_iter().map(|p| p.text).filter(|t| !t.is_empty()).collect();
    assert_eq!(texts.iter().filter(|t| *t == "Attestation de travail").count(), 1, "{texts:#?}");
    assert_eq!(
        texts.iter().map(String::as_str).filter(|t| !t.starts_with("Le Président du Conseil") && !t.starts_with("La présente")).collect::<Vec<_>>(),
        vec!["N° 412/DRH/2026", "Attestation de travail", "Fait à Oujda, le 23 novembre 2026", DELEGATION, DGS, "Karim Alaoui"],
        "absent signatures and copies leave no line"
    );
    // The letterhead's own property kept, ours added after it.
    let props = docx_part(&out, "docProps/custom.xml");
    assert!(props.contains("name=\"Service\"><vt:lpwstr>DRH</vt:lpwstr>") && props.contains("pid=\"3\" name=\"katib_run\"><vt:lpwstr>run-7</vt:lpwstr>"), "{props}");
    assert_eq!(docx_part(&out, "_rels/.rels").matches("custom-properties").count(), 1);

    // A procès-verbal: the members, one per line, in {{signatures}}; no name under nobody.
    let parts = LetterParts {
        ville: Some("وجدة".into()),
        date: Some("2026-10-22".into()),
        titre: Some("محضر اجتماع اللجنة التقنية".into()),
        signatures: Some("رئيس اللجنة: مصطفى الإدريسي\nكاتبة اللجنة: لبنى الشرقاوي".into()),
        copies: Some("السيد رئيس المجلس".into()),
        ..Default::default()
    };
    let doc = ExportDoc { letter: Some(parts), letterhead: Some(with_letterhead(None)), ..ExportDoc::new(BODY_PV_AR, Lang::Ar, OutputKind::Act) };
    let out = sb.out("pv.docx");
    export::fill_letterhead(&template, &doc, &out, false).unwrap();
    let paras = docx_paragraphs(&out);
    let texts: Vec<String> = paras.iter().map(|p| strip_marks(&p.text)).filter(|t| !t.is_empty()).collect();
    let at = |t: &str| texts.iter().position(|x| x == t).unwrap_or_else(|| panic!("'{t}' in {texts:#?}"));
    assert!(at("محضر اجتماع اللجنة التقنية") < at("وحرر بوجدة في 22 أكتوبر 2026"));
    assert!(at("وحرر بوجدة في 22 أكتوبر 2026") < at("رئيس اللجنة: مصطفى الإدريسيكاتبة اللجنة: لبنى الشرقاوي"));
    assert!(at("رئيس اللجنة: مصطفى الإدريسيكاتبة اللجنة: لبنى الشرقاوي") < at("نسخة إلى:- السيد رئيس المجلس"));
    assert!(!texts.iter().any(|t| t.contains("بنعلي")));
}
