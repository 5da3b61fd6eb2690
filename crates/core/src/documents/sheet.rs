//! Sheets: workbooks through calamine, CSV through the csv crate after detecting the encoding
//! and the delimiter; and the Markdown extract of a table within a character budget.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, DataType, Ods, Reader, Xls, Xlsx};

use super::{text::decode_text, Content, DocumentError, Limits, Row, Table};

pub(super) fn read_workbook(
    path: &Path,
    bytes: Vec<u8>,
    expected: &'static str,
    _limits: &Limits,
) -> Result<Content, DocumentError> {
    let corrupt = |detail: String| DocumentError::Corrupt { path: path.into(), expected, detail };
    let lower = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let cur = Cursor::new(bytes);
    let ranges: Vec<(String, calamine::Range<Data>)> = match lower.as_str() {
        "xls" => {
            let mut wb: Xls<_> = Xls::new(cur).map_err(|e| {
                let d = e.to_string();
                if d.to_ascii_lowercase().contains("password") || d.contains("Encrypt") {
                    DocumentError::Encrypted { path: path.into() }
                } else {
                    corrupt(d)
                }
            })?;
            all_ranges(&mut wb).map_err(corrupt)?
        }
        "ods" => {
            let mut wb: Ods<_> = Ods::new(cur).map_err(|e| corrupt(e.to_string()))?;
            all_ranges(&mut wb).map_err(corrupt)?
        }
        _ => {
            let mut wb: Xlsx<_> = Xlsx::new(cur).map_err(|e| corrupt(e.to_string()))?;
            all_ranges(&mut wb).map_err(corrupt)?
        }
    };
    let sheets: Vec<Table> = ranges
        .into_iter()
        .filter_map(|(name, range)| {
            let rows: Vec<Row> = range.rows().map(|r| r.iter().map(cell_text).collect()).collect();
            table_from_rows(name, rows)
        })
        .collect();
    if sheets.is_empty() {
        return Err(DocumentError::NoText { path: path.into(), hint: ": every sheet is empty." });
    }
    Ok(Content::Sheets { sheets })
}

fn all_ranges<R, RS>(wb: &mut R) -> Result<Vec<(String, calamine::Range<Data>)>, String>
where
    R: Reader<RS>,
    RS: std::io::Read + std::io::Seek,
    R::Error: std::fmt::Display,
{
    let names = wb.sheet_names();
    let mut out = Vec::new();
    for name in names {
        let range = wb.worksheet_range(&name).map_err(|e| format!("sheet '{name}': {e}"))?;
        out.push((name, range));
    }
    Ok(out)
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => format_number(*f),
        Data::Bool(b) => if *b { "VRAI" } else { "FAUX" }.into(),
        Data::DateTime(_) => match c.as_datetime() {
            Some(dt) if dt.time() == chrono::NaiveTime::MIN => dt.format("%Y-%m-%d").to_string(),
            Some(dt) => dt.format("%Y-%m-%d %H:%M").to_string(),
            None => c.to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Integral floats print without decimals; others with at most 4, trailing zeros dropped.
pub(crate) fn format_number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let s = format!("{f:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Drops empty rows and columns at the edges; the first non-empty row is the header.
fn table_from_rows(name: String, rows: Vec<Row>) -> Option<Table> {
    let mut rows: Vec<Row> = rows.into_iter().filter(|r| r.iter().any(|c| !c.is_empty())).collect();
    if rows.is_empty() {
        return None;
    }
    let width = rows.iter().map(|r| r.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1)).max()?;
    let first_col = rows.iter().filter_map(|r| r.iter().position(|c| !c.is_empty())).min().unwrap_or(0);
    for r in &mut rows {
        r.resize(width, String::new());
        r.drain(..first_col);
    }
    let header = rows.remove(0);
    Some(Table { name, header, rows })
}

pub(super) fn read_csv(path: &Path, bytes: &[u8]) -> Result<Table, DocumentError> {
    let text = decode_text(bytes);
    let delim = detect_delimiter(&text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| DocumentError::Corrupt {
            path: path.into(),
            expected: "CSV",
            detail: e.to_string(),
        })?;
        rows.push(rec.iter().map(|c| c.trim().to_string()).collect());
    }
    let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    table_from_rows(name, rows).ok_or(DocumentError::NoText { path: path.into(), hint: ": no rows." })
}

/// The delimiter of a CSV (katib-sheet's rule, the one its streaming reader uses).
pub(crate) fn detect_delimiter(text: &str) -> u8 {
    katib_sheet::detect_delimiter(text)
}

/// One table as Markdown, header first, rows while they fit in `budget` characters, then a note
/// saying how many rows were left out. Never a silent truncation.
pub(super) fn extract_table(file: &str, t: &Table, budget: usize, name_sheet: bool) -> String {
    let cols = t.header.len();
    let mut out = if name_sheet || !file.to_ascii_lowercase().ends_with(".csv") {
        format!(
            "Fichier : {file}, feuille « {} » ({} lignes de données, {cols} colonnes)\n",
            t.name,
            t.rows.len()
        )
    } else {
        format!("Fichier : {file} ({} lignes de données, {cols} colonnes)\n", t.rows.len())
    };
    out.push_str(&md_row(&t.header));
    out.push_str(&md_row(&vec!["---".to_string(); cols]));
    // Keep room for the note.
    let reserve = 160;
    let mut used = out.chars().count();
    let mut shown = 0;
    for r in &t.rows {
        let line = md_row(r);
        let n = line.chars().count();
        if used + n + reserve > budget && shown < t.rows.len() {
            break;
        }
        out.push_str(&line);
        used += n;
        shown += 1;
    }
    if shown < t.rows.len() {
        out.push_str(&format!(
            "[{} lignes sur {} omises pour tenir dans la limite ; seules les {shown} premières sont montrées.]\n",
            t.rows.len() - shown,
            t.rows.len()
        ));
    }
    out.trim_end().to_string()
}

fn md_row(cells: &[String]) -> String {
    let mut s = String::from("|");
    for c in cells {
        s.push(' ');
        s.push_str(&c.replace('|', "\\|").replace('\n', " "));
        s.push_str(" |");
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(detect_delimiter("a,b\n\"x;y\",2\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
    }

    #[test]
    fn numbers() {
        assert_eq!(format_number(1200.0), "1200");
        assert_eq!(format_number(0.833333333), "0.8333");
        assert_eq!(format_number(12.5), "12.5");
    }

    #[test]
    fn extract_notes_omitted_rows() {
        let t = Table {
            name: "S".into(),
            header: vec!["a".into(), "b".into()],
            rows: (0..1000).map(|i| vec![i.to_string(), "x".repeat(20)]).collect(),
        };
        let e = extract_table("t.xlsx", &t, 2000, false);
        assert!(e.chars().count() <= 2000, "{}", e.chars().count());
        let shown = e.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| a")).count() - 1;
        assert!(e.contains(&format!("[{} lignes sur 1000 omises", 1000 - shown)), "{e}");
        assert!(e.contains(&format!("seules les {shown} premières")));
        let all = extract_table("t.xlsx", &t, 1_000_000, false);
        assert!(!all.contains("omises"));
    }
}
