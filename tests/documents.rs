//! Reading inputs: every format from samples/, and every kind of bad input gets its clear error
//! naming the file, never a panic or a hang.

use std::path::Path;
use std::time::{Duration, Instant};

use katib_core::documents::{self, Content, DocumentError, Limits};

use crate::util::*;

fn read(rel: &str) -> Content {
    let p = samples_dir().join(rel);
    documents::read(&p, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn sheets(c: Content) -> Vec<documents::Table> {
    match c {
        Content::Sheets { sheets } => sheets,
        other => panic!("not a sheet: {other:?}"),
    }
}

fn text(c: Content) -> String {
    match c {
        Content::Document { text } => text,
        other => panic!("not a document: {other:?}"),
    }
}

#[test]
fn xlsx_with_formulas_and_dates() {
    let s = sheets(read("inputs/tableau-budget-2026.xlsx"));
    let t = &s[0];
    assert!(t.header.iter().any(|h| h.starts_with("Crédits ouverts")), "{:?}", t.header);
    assert!(t.rows.len() >= 30);
    // Date cells come out as ISO dates, formula cells with their computed values.
    let date_col = t.header.iter().position(|h| h.starts_with("Date")).expect("a date column");
    assert!(t.rows.iter().all(|r| r[date_col].is_empty() || (r[date_col].len() == 10 && r[date_col].as_bytes()[4] == b'-')), "{:?}", t.rows[0]);
    let rate = t.header.iter().position(|h| h.starts_with("Taux d'engagement")).expect("a formula column");
    assert!(t.rows.iter().filter(|r| !r[rate].is_empty()).all(|r| r[rate].parse::<f64>().is_ok()), "formula values present");
}

#[test]
fn ods_with_arabic_cells() {
    let s = sheets(read("inputs/tableau-suivi-demandes.ods"));
    let all: String = s.iter().flat_map(|t| t.rows.iter().flatten()).cloned().collect();
    assert!(all.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "Arabic text read from the .ods");
    assert!(s[0].rows.len() >= 10);
}

#[test]
fn csv_semicolon_windows_1252() {
    let raw = std::fs::read(samples_dir().join("inputs/tableau-marches.csv")).unwrap();
    assert!(std::str::from_utf8(&raw).is_err(), "the sample really is Windows-1252");
    let s = sheets(read("inputs/tableau-marches.csv"));
    let t = &s[0];
    assert!(t.header.len() >= 5, "split on ';': {:?}", t.header);
    assert!(t.header.iter().any(|h| h.contains("é")), "accents decoded: {:?}", t.header);
}

#[test]
fn csv_variants_comma_tab_bom_1256() {
    let sb = Sandbox::new();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("virgule.csv", "Nom,Montant,Ville\n\"Benali, Ahmed\",1200,Oujda\n".as_bytes().to_vec()),
        ("tab.csv", "Nom\tMontant\nBenali\t1200\n".as_bytes().to_vec()),
        ("bom.csv", [&[0xEF, 0xBB, 0xBF][..], "Nom;Dépense\nÉlectricité;12\n".as_bytes()].concat()),
        ("arabe.csv", encoding_rs::WINDOWS_1256.encode("الاسم;المبلغ\nبنعلي;1200\n").0.into_owned()),
    ];
    for (name, bytes) in cases {
        let p = sb.path(name);
        std::fs::write(&p, &bytes).unwrap();
        let t = &sheets(documents::read(&p, &Limits::default()).unwrap())[0];
        match name {
            "virgule.csv" => assert_eq!(t.rows[0], vec!["Benali, Ahmed", "1200", "Oujda"]),
            "tab.csv" => assert_eq!(t.header, vec!["Nom", "Montant"]),
            "bom.csv" => assert_eq!(t.header, vec!["Nom", "Dépense"], "BOM stripped"),
            _ => assert_eq!(t.header, vec!["الاسم", "المبلغ"]),
        }
    }
}

#[test]
fn docx_keeps_headings_lists_and_tables() {
    let t = text(read("inputs/pv-reunion-conseil.docx"));
    assert!(t.lines().any(|l| l.starts_with("# ") || l.starts_with("## ")), "headings: {t}");
    assert!(t.lines().any(|l| l.starts_with("- ")), "bullets: {t}");
    assert!(t.lines().any(|l| l.starts_with("1. ")), "numbered list: {t}");
    assert!(t.lines().any(|l| l.starts_with("| --- |")), "table: {t}");
}

#[test]
fn pdf_text() {
    let t = text(read("inputs/rapport-activite-2025.pdf"));
    assert!(t.split_whitespace().count() > 300, "{} words", t.split_whitespace().count());
    assert!(t.contains("Oujda"));
}

#[test]
fn txt_utf8_arabic() {
    let t = text(read("inputs/courrier-citoyenne-permis-construire-ar.txt"));
    assert!(t.contains("وجدة"), "{t}");
}

#[test]
fn sheet_extract_never_truncates_silently() {
    let sb = Sandbox::new();
    let p = sb.path("grand.csv");
    let mut s = String::from("N;Libellé;Montant\n");
    for i in 0..5000 {
        s.push_str(&format!("{i};Dépense de fonctionnement n° {i};{}\n", i * 10));
    }
    std::fs::write(&p, s).unwrap();
    let c = documents::read(&p, &Limits::default()).unwrap();
    let e = documents::extract(&p, &c, 8000);
    assert!(e.chars().count() <= 8000);
    let shown = e.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| N |") && !l.starts_with("| ---")).count();
    assert!(shown > 50);
    assert!(e.ends_with(&format!("[{} lignes sur 5000 omises pour tenir dans la limite ; seules les {shown} premières sont montrées.]", 5000 - shown)), "{}", &e[e.len() - 200..]);
}

fn expect_err(path: &Path, limits: &Limits) -> DocumentError {
    let start = Instant::now();
    let r = documents::read(path, limits);
    assert!(start.elapsed() < Duration::from_secs(20));
    let e = r.expect_err("should fail");
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    assert!(e.to_string().contains(&name), "the error names the file: {e}");
    e
}

#[test]
fn bad_inputs_get_clear_errors() {
    let sb = Sandbox::new();
    let lim = Limits::default();
    let write = |name: &str, bytes: &[u8]| {
        let p = sb.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    // Empty.
    assert_eq!(expect_err(&write("vide.xlsx", b""), &lim).code(), "document.empty");
    // Wrong format behind the extension.
    assert_eq!(expect_err(&write("texte.xlsx", b"Nom;Montant\n"), &lim).code(), "document.corrupt");
    assert_eq!(expect_err(&write("texte.docx", b"bonjour"), &lim).code(), "document.corrupt");
    assert_eq!(expect_err(&write("image.pdf", b"\x89PNG\r\n\x1a\n...."), &lim).code(), "document.corrupt");
    let xlsx = std::fs::read(samples_dir().join("inputs/tableau-budget-2026.xlsx")).unwrap();
    assert_eq!(expect_err(&write("classeur.csv", &xlsx), &lim).code(), "document.corrupt");
    assert_eq!(expect_err(&write("classeur.xls", &xlsx), &lim).code(), "document.corrupt");
    // Truncated (corrupt) zip containers.
    assert_eq!(expect_err(&write("tronque.xlsx", &xlsx[..xlsx.len() / 2]), &lim).code(), "document.corrupt");
    let docx = std::fs::read(samples_dir().join("inputs/pv-reunion-conseil.docx")).unwrap();
    assert_eq!(expect_err(&write("tronque.docx", &docx[..docx.len() / 3]), &lim).code(), "document.corrupt");
    let pdf = std::fs::read(samples_dir().join("inputs/rapport-activite-2025.pdf")).unwrap();
    let e = expect_err(&write("tronque.pdf", &pdf[..pdf.len() / 4]), &lim);
    assert!(matches!(e.code(), "document.corrupt" | "document.no_text"), "{e}");
    // A zip that is not a Word document.
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zw.start_file("hello.txt", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut zw, b"hi").unwrap();
    let z = zw.finish().unwrap().into_inner();
    let e = expect_err(&write("pas-word.docx", &z), &lim);
    assert!(e.to_string().contains("word/document.xml"), "{e}");
    // Password-protected Office files (encrypted with msoffcrypto-tool).
    for f in ["protege.xlsx", "protege.docx"] {
        let e = expect_err(&repo().join("tests/fixtures").join(f), &lim);
        assert_eq!(e.code(), "document.encrypted", "{e}");
        assert!(e.to_string().contains("password"), "{e}");
    }
    // Over the size limit.
    let small = Limits { max_bytes: 1024, ..Limits::default() };
    let e = expect_err(&samples_dir().join("inputs/tableau-budget-2026.xlsx"), &small);
    assert_eq!(e.code(), "document.too_large");
    assert!(e.to_string().contains("max_file_mb"), "{e}");
    // Missing, unsupported.
    assert_eq!(expect_err(&sb.path("absent.pdf"), &lim).code(), "document.not_found");
    assert_eq!(expect_err(&write("photo.jpg", b"\xff\xd8\xff"), &lim).code(), "document.unsupported");
    // Whitespace-only text.
    assert_eq!(expect_err(&write("blanc.txt", b"  \n\n "), &lim).code(), "document.no_text");
}

#[test]
fn zip_bomb_docx_is_refused_not_inflated() {
    let sb = Sandbox::new();
    let p = sb.path("bombe.docx");
    let mut zw = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zw.start_file("word/document.xml", opts).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..80 {
        std::io::Write::write_all(&mut zw, &zeros).unwrap();
    }
    zw.finish().unwrap();
    assert!(std::fs::metadata(&p).unwrap().len() < 1 << 20, "small on disk");
    let e = expect_err(&p, &Limits::default());
    assert_eq!(e.code(), "document.corrupt");
    assert!(e.to_string().contains("inflates"), "{e}");
}
