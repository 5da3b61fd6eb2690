//! The .xlsx annex: read back by calamine (the cached values are Katib's figures, the cells hold
//! formulas over the data copy), and recomputed by LibreOffice from the formulas alone (its
//! cached values zeroed first, so only a real recalculation gives the figures back).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};
use katib_sheet::{write_annex, Lang, Limits, Profile};

use crate::util::fixture;

fn annex(lang: Lang) -> (tempfile::TempDir, PathBuf, Profile) {
    annex_of(&fixture("budget_oujda.xlsx"), lang)
}

fn annex_of(source: &Path, lang: Lang) -> (tempfile::TempDir, PathBuf, Profile) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("annexe.xlsx");
    let opts = katib_sheet::ProfileOptions { spec: crate::util::budget_spec(), ..Default::default() };
    let p = katib_sheet::profile_file(source, &opts).unwrap();
    let summary = write_annex(source, &p, &out, lang, &Limits::default()).unwrap();
    assert!(summary.formulas > 100, "{summary:?}");
    (dir, out, p)
}

/// Every number of a worksheet, by (row, column).
fn numbers(path: &Path, sheet: &str) -> Vec<((u32, u32), f64)> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let mut out = Vec::new();
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let v = match cell {
                Data::Float(f) => *f,
                Data::Int(i) => *i as f64,
                _ => continue,
            };
            out.push(((r as u32, c as u32), v));
        }
    }
    out
}

fn row_of(path: &Path, sheet: &str, label: &str) -> Vec<Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .find(|r| r.first().is_some_and(|c| *c == label))
        .unwrap_or_else(|| panic!("no row '{label}' in {sheet}"))
        .to_vec()
}

fn float(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn the_annex_holds_formulas_with_katibs_values_cached() {
    let (_dir, out, p) = annex(Lang::Fr);
    let s = &p.sheets[0];
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Données", "Calculs"]);
    // The data copy: the header, then the 42 data rows (no total, no heading row).
    let data = wb.worksheet_range("Données").unwrap();
    assert_eq!(data.height(), 43);
    assert_eq!(data.get((0, 3)).map(|d| d.to_string()), Some("Crédits ouverts".into()));
    assert_eq!(data.get((0, 10)).map(|d| d.to_string()), Some("Taux d'engagement".into()), "the ratio's helper column");
    // The statistics: cached values are the profile's, and they are formulas.
    let credits = s.columns.iter().find(|c| c.header == "Crédits ouverts").unwrap().stats.clone().unwrap();
    let row = row_of(&out, "Calculs", "Crédits ouverts");
    assert_eq!(float(&row[1]), 42.0);
    assert_eq!((float(&row[2]), float(&row[3]), float(&row[4]), float(&row[5]), float(&row[6])), (credits.sum, credits.mean, credits.median, credits.min, credits.max));
    let formulas = wb.worksheet_formula("Calculs").unwrap();
    let all: Vec<String> = formulas.rows().flatten().filter(|f| !f.is_empty()).cloned().collect();
    for needle in ["SUM('Données'!$D$2:$D$43)", "AVERAGE(", "MEDIAN(", "COUNTIF(", "SUMIF(", "SUMPRODUCT(", "MIN(", "MAX("] {
        assert!(all.iter().any(|f| f.contains(needle)), "no {needle} among {:?}", &all[..all.len().min(8)]);
    }
    // Group totals, the ratio, the difference, the total check: every figure is there.
    let cached: Vec<f64> = numbers(&out, "Calculs").into_iter().map(|(_, v)| v).collect();
    let has = |v: f64| cached.iter().any(|x| (x - v).abs() <= 1e-9 * v.abs().max(1.0));
    for g in &s.groups[0].groups {
        for v in &g.sums {
            assert!(has(*v), "group sum {v}");
        }
        assert!(has(g.count as f64));
    }
    let r = &s.ratios[0];
    assert!(has(r.overall.unwrap()) && has(r.above.as_ref().unwrap().count as f64) && has(r.below.as_ref().unwrap().count as f64));
    assert!(has(s.differences[0].total));
    for t in &s.totals {
        for c in &t.checks {
            assert!(has(c.computed) && has(c.written - c.computed), "{c:?}");
        }
    }
    let wrong = s.totals.iter().flat_map(|t| &t.checks).find(|c| !c.matches).unwrap();
    assert!(has(wrong.written - wrong.computed) && (wrong.written - wrong.computed - 100.0).abs() < 1e-6);
}

#[test]
fn an_arabic_annex_reads_right_to_left() {
    let (_dir, out, _p) = annex(Lang::Ar);
    let wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), vec!["البيانات", "الحسابات"]);
    let mut z = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut xml = String::new();
    z.by_name("xl/worksheets/sheet2.xml").unwrap().read_to_string(&mut xml).unwrap();
    assert!(xml.contains("rightToLeft=\"1\""));
}

/// Zeroes the cached value of every formula of the annex, so that only a recalculation gives
/// the figures back.
fn without_cached_values(src: &Path, dst: &Path) -> usize {
    let mut zeroed = 0;
    let mut zin = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).unwrap();
        let name = entry.name().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name.starts_with("xl/worksheets/") {
            let text = String::from_utf8(bytes).unwrap();
            // <c r="B5" s="3"><f>SUM(...)</f><v>123</v></c>  ->  <v>0</v>
            let mut out = String::with_capacity(text.len());
            let mut rest = text.as_str();
            while let Some(i) = rest.find("</f><v>") {
                out.push_str(&rest[..i + 7]);
                rest = &rest[i + 7..];
                let j = rest.find("</v>").unwrap();
                out.push('0');
                zeroed += 1;
                rest = &rest[j..];
            }
            out.push_str(rest);
            bytes = out.into_bytes();
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zout.write_all(&bytes).unwrap();
    }
    zout.finish().unwrap();
    zeroed
}

#[test]
#[ignore = "needs LibreOffice (soffice) to recompute the annex"]
fn libreoffice_recomputes_the_same_figures() {
    // The fixture, and the project's own sample whose section totals sit at the bottom.
    for source in [fixture("budget_oujda.xlsx"), crate::util::sample("tableau-budget-2026.xlsx")] {
        recompute(&source);
    }
}

fn recompute(source: &Path) {
    let (dir, out, _p) = annex_of(source, Lang::Fr);
    let zeroed = dir.path().join("zeroed.xlsx");
    let n = without_cached_values(&out, &zeroed);
    assert!(n > 100, "{n} cached values zeroed");
    // A private profile that recalculates every file on load.
    let profile = dir.path().join("lo-profile");
    std::fs::create_dir_all(profile.join("user")).unwrap();
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
    let csv_dir = dir.path().join("csv");
    let status = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir"])
        .arg(&csv_dir)
        .arg(&zeroed)
        .output()
        .expect("soffice must be installed for this test (apt-get install libreoffice-calc-nogui)");
    assert!(status.status.success(), "{status:?}");
    let csv_path = csv_dir.join("zeroed-Calculs.csv");
    let text = std::fs::read_to_string(&csv_path).unwrap_or_else(|e| panic!("{}: {e}; made {:?}", csv_path.display(), std::fs::read_dir(&csv_dir).map(|d| d.flatten().map(|e| e.file_name()).collect::<Vec<_>>())));
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let lo: Vec<Vec<String>> = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    // Every figure Katib cached must be what LibreOffice computed from the formulas.
    let mut compared = 0;
    for ((r, c), v) in numbers(&out, "Calculs") {
        let cell = lo.get(r as usize).and_then(|row| row.get(c as usize)).unwrap_or_else(|| panic!("LibreOffice gave no cell at {r},{c}"));
        // LibreOffice writes a percent cell's raw value with its sign ("58.1682653369284%").
        let t = cell.trim();
        let got: f64 = match t.strip_suffix('%') {
            Some(p) => p.parse::<f64>().map(|x| x / 100.0),
            None => t.parse(),
        }
        .unwrap_or_else(|_| panic!("cell {r},{c}: '{cell}' is not a number (Katib: {v})"));
        assert!((got - v).abs() <= 1e-9 * v.abs().max(1.0), "cell {r},{c}: LibreOffice {got}, Katib {v}");
        compared += 1;
    }
    assert!(compared > 100, "{compared} figures compared");
}
