//! Bad input: clear errors with stable codes, never a panic or a hang. Decompression bombs
//! (declared and forged sizes), corrupt and renamed files, truncated archives, the row limit,
//! the deadline, a panicking consumer; and the streaming of a LibreOffice-style .ods that ends
//! with a row repeated a million times.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::Duration;

use katib_sheet::{profile_file, read_rows, Cell, Limits, ProfileOptions, RowSink, SheetError};

use crate::util::fixture;

fn write_zip(path: &Path, parts: &[(&str, &[u8])]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in parts {
        z.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

const WORKBOOK: &str = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

/// A minimal .xlsx whose sheet XML is `sheet`.
fn xlsx(path: &Path, sheet: &[u8]) {
    write_zip(path, &[("xl/workbook.xml", WORKBOOK.as_bytes()), ("xl/_rels/workbook.xml.rels", RELS.as_bytes()), ("xl/worksheets/sheet1.xml", sheet)]);
}

fn code(r: Result<impl std::fmt::Debug, SheetError>) -> &'static str {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.code(),
    }
}

#[test]
fn a_decompression_bomb_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A 50 MB cell of one repeated letter compresses about a thousand times.
    let mut sheet = b"<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>".to_vec();
    sheet.resize(sheet.len() + (50 << 20), b'x');
    sheet.extend_from_slice(b"</t></is></c></row></sheetData></worksheet>");
    let path = dir.path().join("bomb.xlsx");
    xlsx(&path, &sheet);
    let e = profile_file(&path, &Default::default()).unwrap_err();
    assert_eq!(e.code(), "sheet.zip_bomb", "{e}");
    assert!(e.to_string().contains("bomb.xlsx"), "{e}");
}

#[test]
fn a_forged_size_field_does_not_get_past_the_counter() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheet = b"<worksheet><sheetData>".to_vec();
    for i in 1..=20_000 {
        sheet.extend_from_slice(format!("<row r=\"{i}\"><c r=\"A{i}\"><v>{i}</v></c></row>").as_bytes());
    }
    sheet.extend_from_slice(b"</sheetData></worksheet>");
    let path = dir.path().join("forged.xlsx");
    xlsx(&path, &sheet);
    // The archive declares the sheet's true size; the limits say only 100 KB may be unpacked.
    let limits = Limits { max_unzipped_bytes: 100 << 10, ..Limits::default() };
    let opts = ProfileOptions { limits, ..Default::default() };
    assert_eq!(code(profile_file(&path, &opts)), "sheet.zip_bomb");
    // Now forge the declared size (local header and central directory) to 1,000 bytes: the
    // declared checks pass, the counter on what is actually unpacked stops it.
    let mut bytes = std::fs::read(&path).unwrap();
    let name = b"xl/worksheets/sheet1.xml";
    let real = (sheet.len() as u32).to_le_bytes();
    let mut patched = 0;
    for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
        let (size_at, name_at) = if sig[2] == 3 { (22, 30) } else { (24, 46) };
        let mut i = 0;
        while let Some(p) = bytes[i..].windows(4).position(|w| w == sig) {
            let at = i + p;
            if bytes[at + name_at..].starts_with(name) && bytes[at + size_at..at + size_at + 4] == real {
                bytes[at + size_at..at + size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
                patched += 1;
            }
            i = at + 4;
        }
    }
    assert_eq!(patched, 2, "both size fields forged");
    std::fs::write(&path, &bytes).unwrap();
    let limits = Limits { max_unzipped_bytes: 100 << 10, max_ratio: 1000, ..Limits::default() };
    let opts = ProfileOptions { limits, ..Default::default() };
    let e = profile_file(&path, &opts).unwrap_err();
    assert!(matches!(e.code(), "sheet.zip_bomb" | "sheet.corrupt"), "{e}");
    assert_eq!(e.code(), "sheet.zip_bomb", "the counter, not the parser, stops it: {e}");
}

#[test]
fn a_forged_size_on_a_large_part_is_stopped_on_the_inflate_thread() {
    // Over 4 MB declared, the part is inflated on its own thread: the same counter applies.
    let dir = tempfile::tempdir().unwrap();
    let mut sheet = b"<worksheet><sheetData>".to_vec();
    let mut i = 0u32;
    while sheet.len() < 12 << 20 {
        i += 1;
        sheet.extend_from_slice(format!("<row r=\"{i}\"><c r=\"A{i}\"><v>{i}</v></c><c r=\"B{i}\" t=\"inlineStr\"><is><t>ligne {i}</t></is></c></row>").as_bytes());
    }
    sheet.extend_from_slice(b"</sheetData></worksheet>");
    let path = dir.path().join("forged-large.xlsx");
    xlsx(&path, &sheet);
    let mut bytes = std::fs::read(&path).unwrap();
    let real = (sheet.len() as u32).to_le_bytes();
    let forged = (5u32 << 20).to_le_bytes();
    let mut patched = 0;
    for (sig, size_at) in [(&b"PK\x03\x04"[..], 22), (&b"PK\x01\x02"[..], 24)] {
        let mut k = 0;
        while let Some(p) = bytes[k..].windows(4).position(|w| w == sig) {
            let at = k + p;
            if bytes[at + size_at..at + size_at + 4] == real {
                bytes[at + size_at..at + size_at + 4].copy_from_slice(&forged);
                patched += 1;
            }
            k = at + 4;
        }
    }
    assert_eq!(patched, 2);
    std::fs::write(&path, &bytes).unwrap();
    let limits = Limits { max_unzipped_bytes: 6 << 20, max_ratio: 1000, ..Limits::default() };
    let e = profile_file(&path, &ProfileOptions { limits, ..Default::default() }).unwrap_err();
    assert_eq!(e.code(), "sheet.zip_bomb", "{e}");
}

#[test]
fn corrupt_renamed_truncated_and_empty_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("random.xlsx"), b"this is not a workbook at all").unwrap();
    assert_eq!(code(profile_file(&p("random.xlsx"), &Default::default())), "sheet.corrupt");
    std::fs::copy(fixture("budget_oujda.xls"), p("renamed.xlsx")).unwrap();
    let e = profile_file(&p("renamed.xlsx"), &Default::default()).unwrap_err();
    assert_eq!(e.code(), "sheet.corrupt");
    assert!(e.to_string().contains("old binary Office file"), "{e}");
    std::fs::copy(fixture("budget_oujda_lo.xlsx"), p("renamed.xls")).unwrap();
    assert!(profile_file(&p("renamed.xls"), &Default::default()).unwrap_err().to_string().contains("rename it"));
    let full = std::fs::read(fixture("budget_oujda_lo.xlsx")).unwrap();
    for cut in [100, full.len() / 2, full.len() - 30] {
        std::fs::write(p("cut.xlsx"), &full[..cut]).unwrap();
        let e = profile_file(&p("cut.xlsx"), &Default::default()).unwrap_err();
        assert_eq!(e.code(), "sheet.corrupt", "cut at {cut}: {e}");
    }
    let ods = std::fs::read(fixture("budget_oujda.ods")).unwrap();
    std::fs::write(p("cut.ods"), &ods[..ods.len() / 2]).unwrap();
    assert_eq!(code(profile_file(&p("cut.ods"), &Default::default())), "sheet.corrupt");
    std::fs::write(p("empty.csv"), b"").unwrap();
    assert_eq!(code(profile_file(&p("empty.csv"), &Default::default())), "sheet.empty");
    std::fs::write(p("blank.csv"), b";;\n;;\n").unwrap();
    assert_eq!(code(profile_file(&p("blank.csv"), &Default::default())), "sheet.no_data");
    assert_eq!(code(profile_file(&p("missing.xlsx"), &Default::default())), "sheet.not_found");
    assert_eq!(code(profile_file(&p("notes.docx"), &Default::default())), "sheet.unsupported");
    let opts = ProfileOptions { sheet: Some("Recettes".into()), ..Default::default() };
    let e = profile_file(&fixture("budget_oujda.xlsx"), &opts).unwrap_err();
    assert_eq!(e.code(), "sheet.unknown_sheet");
    assert!(e.to_string().contains("Exécution 2026"), "{e}");
    let limits = Limits { max_file_bytes: 1000, ..Limits::default() };
    assert_eq!(code(profile_file(&fixture("budget_oujda.xlsx"), &ProfileOptions { limits, ..Default::default() })), "sheet.too_large");
}

#[test]
fn row_limit_and_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.csv");
    let mut text = String::from("n;montant\n");
    for i in 0..5000 {
        text.push_str(&format!("{i};{},50\n", i * 3));
    }
    std::fs::write(&path, text).unwrap();
    let limits = Limits { max_rows: 1000, ..Limits::default() };
    assert_eq!(code(profile_file(&path, &ProfileOptions { limits, ..Default::default() })), "sheet.too_many_rows");
    let limits = Limits { timeout: Some(Duration::ZERO), ..Limits::default() };
    assert_eq!(code(profile_file(&path, &ProfileOptions { limits, ..Default::default() })), "sheet.timeout");
}

struct Panics;
impl RowSink for Panics {
    fn start_sheet(&mut self, _: &str) -> bool {
        true
    }
    fn row(&mut self, _: u32, _: &[Cell<'_>]) -> ControlFlow<()> {
        panic!("a consumer bug")
    }
    fn end_sheet(&mut self) {}
}

#[test]
fn a_panic_becomes_an_error() {
    let e = read_rows(&fixture("budget_oujda.xlsx"), &Limits::default(), &mut Panics).unwrap_err();
    assert_eq!(e.code(), "sheet.crashed");
    assert!(e.to_string().contains("a consumer bug"));
}

/// Counts rows and remembers the last one's index and first cell.
#[derive(Default)]
struct Last {
    rows: u32,
    last: Option<(u32, String)>,
}
impl RowSink for Last {
    fn start_sheet(&mut self, _: &str) -> bool {
        true
    }
    fn row(&mut self, i: u32, cells: &[Cell<'_>]) -> ControlFlow<()> {
        self.rows += 1;
        let first = match cells.first() {
            Some(Cell::Text(t)) => t.to_string(),
            Some(Cell::Number(v, _)) => v.to_string(),
            other => format!("{other:?}"),
        };
        self.last = Some((i, first));
        ControlFlow::Continue(())
    }
    fn end_sheet(&mut self) {}
}

#[test]
fn repeated_empty_rows_and_columns_are_counted_not_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Feuille1">
<table:table-column table:number-columns-repeated="16384"/>
<table:table-row><table:table-cell office:value-type="string"><text:p>libellé</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>montant</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16382"/></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="12.5"><text:p>12,5</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16382"/></table:table-row>
<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>b</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
    let path = dir.path().join("repeated.ods");
    write_zip(&path, &[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", content.as_bytes())]);
    let started = std::time::Instant::now();
    let mut sink = Last::default();
    read_rows(&path, &Limits::default(), &mut sink).unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "no expansion of the repeats");
    assert_eq!(sink.rows, 3);
    assert_eq!(sink.last, Some((1_048_002, "b".to_string())));
    let p = profile_file(&path, &Default::default()).unwrap();
    assert_eq!(p.sheets[0].data_rows, 2);
    assert_eq!(p.sheets[0].columns.len(), 2);
    assert_eq!(p.sheets[0].columns[1].stats.as_ref().unwrap().sum, 19.5);
}
