//! Exported files read back by an independent reader (zip + quick-xml here, and LibreOffice
//! in an ignored test that tests/run.sh runs), the text compared, numbered lists restarting, Arabic paragraphs right-to-left.

use katib_core::export::{self, ExportDoc, LetterParts};
use katib_core::OutputKind;
use katib_core::Lang;

use crate::util::*;

const REPORT: &str = "# Rapport d'exécution\n\nLe budget est **exécuté à 62 %** et les dépenses *restent maîtrisées*.\n\n## Constats\n\n1. Premier constat\n2. Deuxième constat\n3. Troisième constat\n\nUn paragraphe entre deux listes.\n\n1. Nouvelle liste, point un\n2. Nouvelle liste, point deux\n\n- Puce A\n- Puce B\n  - Sous-puce B1\n\n| Rubrique | Crédits (MAD) | Taux |\n|---|---:|---:|\n| Carburant | 120 000 | 85 % |\n| Éclairage public | 2 400 000 | 41 % |\n\nConclusion.\n";

fn report(md: &str) -> ExportDoc<'_> {
    ExportDoc { title: Some("Analyse".into()), ..ExportDoc::new(md, Lang::Fr, OutputKind::Report) }
}

#[test]
fn markdown_becomes_a_real_word_document() {
    let sb = Sandbox::new();
    let out = sb.out("rapport.docx");
    export::write(&out, &report(REPORT), false).unwrap();
    let paras = docx_paragraphs(&out);
    let find = |t: &str| paras.iter().find(|p| p.text == t).unwrap_or_else(|| panic!("no paragraph '{t}' in {paras:#?}"));
    assert_eq!(find("Rapport d'exécution").style.as_deref(), Some("Heading1"));
    assert_eq!(find("Constats").style.as_deref(), Some("Heading2"));
    assert!(find("Le budget est exécuté à 62 % et les dépenses restent maîtrisées.").num_id.is_none());
    // Two numbered lists: two numbering instances, each restarting at 1.
    let first = find("Premier constat").num_id.clone().unwrap();
    assert_eq!(find("Troisième constat").num_id.as_deref(), Some(first.as_str()));
    let second = find("Nouvelle liste, point un").num_id.clone().unwrap();
    assert_ne!(first, second, "the second list has its own numbering");
    let numbering = docx_part(&out, "word/numbering.xml");
    for id in [&first, &second] {
        let at = numbering.find(&format!("w:numId=\"{id}\"")).unwrap_or_else(|| panic!("num {id}: {numbering}"));
        let end = numbering[at..].find("</w:num>").unwrap() + at;
        assert!(numbering[at..end].contains("<w:startOverride w:val=\"1\""), "num {id} restarts at 1: {}", &numbering[at..end]);
    }
    let bullet = find("Puce A").num_id.clone().unwrap();
    assert!(find("Sous-puce B1").num_id.is_some());
    assert_ne!(bullet, first);
    // Table cells are in a table, in order.
    let cells: Vec<&str> = paras.iter().filter(|p| p.in_table).map(|p| p.text.as_str()).collect();
    assert_eq!(cells, vec!["Rubrique", "Crédits (MAD)", "Taux", "Carburant", "120 000", "85 %", "Éclairage public", "2 400 000", "41 %"]);
    // Bold and italic runs, A4 page, a font with Arabic coverage by default.
    let doc = docx_part(&out, "word/document.xml");
    assert!(doc.contains("<w:b />") || doc.contains("<w:b/>"), "bold run");
    assert!(doc.contains("<w:i />") || doc.contains("<w:i/>"), "italic run");
    assert!(doc.contains("w:w=\"11906\"") && doc.contains("w:h=\"16838\""), "A4");
    let styles = docx_part(&out, "word/styles.xml");
    assert!(styles.contains("w:cs=\"Arial\""), "complex-script font set");

}

/// LibreOffice opens it and finds the same text, in the same order, numbering restarted.
#[test]
#[ignore = "needs LibreOffice: tests/run.sh installs it"]
fn libreoffice_reads_the_report_with_its_lists() {
    let sb = Sandbox::new();
    let out = sb.out("rapport.docx");
    export::write(&out, &report(REPORT), false).unwrap();
    let txt = libreoffice_batch(&[out.as_path()], "txt:Text (encoded):UTF8", &sb.path("lo")).remove(0);
    let t = std::fs::read_to_string(txt).unwrap();
    let mut at = 0;
    for piece in ["Rapport d'exécution", "exécuté à 62 %", "Premier constat", "Troisième constat", "Nouvelle liste, point deux", "Puce B", "Éclairage public", "Conclusion."] {
        let i = t[at..].find(piece).unwrap_or_else(|| panic!("'{piece}' not after byte {at} in LibreOffice's text:\n{t}"));
        at += i;
    }
    // LibreOffice renders the restarted numbering: "1." appears before both lists' first items.
    assert!(t.contains("1.\tNouvelle liste, point un") || t.contains("1. Nouvelle liste, point un"), "{t}");
}

#[test]
fn arabic_letter_is_right_to_left_with_its_frame() {
    let sb = Sandbox::new();
    let out = sb.out("رسالة.docx");
    let body = "سلام تام بوجود مولانا الإمام المؤيد بالله، وبعد،\n\nيشرفني أن أخبركم بأن طلبكم رقم 2417/2026 قد قُبل.\n\nوالسلام.";
    let letter = LetterParts {
        ville: Some("وجدة".into()),
        date: Some("2026-11-23".into()),
        reference: Some("2811/2026".into()),
        destinataire: Some("السيد محمد بنعلي\nحي القدس، وجدة".into()),
        objet: Some("طلب رخصة البناء".into()),
        signataire: Some("رئيس المجلس الجماعي".into()),
        ..Default::default()
    };
    let doc = ExportDoc { letter: Some(letter), ..ExportDoc::new(body, Lang::Ar, OutputKind::Letter) };
    export::write(&out, &doc, false).unwrap();
    let paras = docx_paragraphs(&out);
    let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).filter(|t| !t.is_empty()).collect();
    assert_eq!(
        texts,
        vec![
            "رقم: 2811/2026",
            "وجدة في 23 نونبر 2026",
            "السيد محمد بنعلي",
            "حي القدس، وجدة",
            "الموضوع: طلب رخصة البناء",
            "سلام تام بوجود مولانا الإمام المؤيد بالله، وبعد،",
            "يشرفني أن أخبركم بأن طلبكم رقم 2417/2026 قد قُبل.",
            "والسلام.",
            "رئيس المجلس الجماعي",
        ]
    );
    assert!(paras.iter().filter(|p| !p.text.is_empty()).all(|p| p.bidi), "every paragraph is right-to-left");
}

#[test]
fn md_and_txt_exports() {
    let sb = Sandbox::new();
    let letter = LetterParts { objet: Some("Éclairage public".into()), signataire: Some("Le Président".into()), date: Some("2026-11-23".into()), ville: Some("Oujda".into()), ..Default::default() };
    let doc = ExportDoc { letter: Some(letter), ..ExportDoc::new("Monsieur,\n\n1. un\n2. deux\n", Lang::Fr, OutputKind::Letter) };
    export::write(&sb.out("l.md"), &doc, false).unwrap();
    export::write(&sb.out("l.txt"), &doc, false).unwrap();
    let md = std::fs::read_to_string(sb.out("l.md")).unwrap();
    assert_eq!(md, "Oujda, le 23 novembre 2026\n\n**Objet :** Éclairage public\n\nMonsieur,\n\n1. un\n2. deux\n\nLe Président\n");
    let txt = std::fs::read_to_string(sb.out("l.txt")).unwrap();
    assert_eq!(txt, "Oujda, le 23 novembre 2026\n\nObjet : Éclairage public\n\nMonsieur,\n\n1. un\n2. deux\n\nLe Président\n");
}

/// The .md and .txt exports carry each kind's frame in the Word layout's order and words.
#[test]
fn md_and_txt_frames_of_notes_and_acts() {
    let sb = Sandbox::new();
    let note = LetterParts {
        reference: Some("1041/DAF/2026".into()),
        ville: Some("Oujda".into()),
        date: Some("2026-11-23".into()),
        expediteur: Some("Le Chef de la Division des affaires financières".into()),
        destinataire: Some("Monsieur le Président du Conseil".into()),
        objet: Some("Projet de convention".into()),
        pieces_jointes: Some("- Projet de convention\n- Audit".into()),
        signataire: Some("Le Chef de la Division des affaires financières".into()),
        signataire_nom: Some("Naima Berrahou".into()),
        ..Default::default()
    };
    let doc = ExportDoc { letter: Some(note), ..ExportDoc::new("## Contexte\n\nTexte.", Lang::Fr, OutputKind::Note) };
    export::write(&sb.out("note.txt"), &doc, false).unwrap();
    assert_eq!(
        std::fs::read_to_string(sb.out("note.txt")).unwrap(),
        "N° 1041/DAF/2026\n\nOujda, le 23 novembre 2026\n\nDe : Le Chef de la Division des affaires financières\nÀ : Monsieur le Président du Conseil\n\nObjet : Projet de convention\n\nP.J. : 2\n- Projet de convention\n- Audit\n\nContexte\n\nTexte.\n\nLe Chef de la Division des affaires financières\nNaima Berrahou\n"
    );
    let act = LetterParts {
        ville: Some("وجدة".into()),
        date: Some("2026-10-22".into()),
        reference: Some("14/2026".into()),
        titre: Some("محضر اجتماع اللجنة التقنية".into()),
        signatures: Some("رئيس اللجنة: مصطفى الإدريسي\nكاتبة اللجنة: لبنى الشرقاوي".into()),
        copies: Some("السيد رئيس المجلس".into()),
        ..Default::default()
    };
    let doc = ExportDoc { letter: Some(act), ..ExportDoc::new("انعقد الاجتماع.", Lang::Ar, OutputKind::Act) };
    export::write(&sb.out("pv.md"), &doc, false).unwrap();
    assert_eq!(
        std::fs::read_to_string(sb.out("pv.md")).unwrap(),
        "رقم: 14/2026\n\n**محضر اجتماع اللجنة التقنية**\n\nانعقد الاجتماع.\n\nوحرر بوجدة في 22 أكتوبر 2026\n\nرئيس اللجنة: مصطفى الإدريسي\nكاتبة اللجنة: لبنى الشرقاوي\n\n**نسخة إلى:**\n- السيد رئيس المجلس\n"
    );
}
