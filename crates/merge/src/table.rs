//! The rows of a mail-merge: one sheet of an .xlsx, .ods, .csv or .xls read as a stream by
//! katib-sheet (its guards: size, zip bombs, deadline, caught panics), the header row found under
//! any title rows, each cell turned into the text a letter shows. Cells in error (#DIV/0!, a
//! formula never computed) are kept as such, never read as text, so the rows that hold them can
//! be named. What the columns mean for a template is [`crate::mapping`]'s.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use katib_sheet::{Cell, NumFormat, RowSink};
use serde::Serialize;

use crate::error::{MergeError, Result};
use crate::text::fold_key;

/// A column of the sheet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Column {
    /// 0-based position in the sheet (column A is 0).
    pub index: usize,
    /// "C".
    pub letter: String,
    /// The header as written ("Qualité"), or "Colonne C" when the header cell is blank.
    pub header: String,
    /// The folded header ("qualite"): what mappings and placeholders compare.
    #[serde(skip)]
    pub key: String,
    /// Every filled cell of the column is a date: shown in words in a letter's body.
    pub dates: bool,
}

/// A cell's value as a letter will show it, or why it has none.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Empty,
    /// The cell holds an error ("#DIV/0!") or a formula whose value was never saved.
    Error(String),
}

impl Value {
    pub fn text(&self) -> &str {
        match self {
            Value::Text(t) => t,
            _ => "",
        }
    }
}

/// One data row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The row's number in the sheet (1-based, as the spreadsheet shows it).
    pub number: u32,
    /// One value per column of [`Table::columns`], in the same order.
    pub values: Vec<Value>,
}

/// The sheet, read.
#[derive(Clone, Debug)]
pub struct Table {
    pub path: PathBuf,
    pub sheet: String,
    /// 1-based row of the header.
    pub header_row: u32,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Things worth telling (title rows skipped, other sheets, blank headers).
    pub warnings: Vec<String>,
}

impl Table {
    /// The columns whose folded header is `key`.
    pub fn columns_named(&self, key: &str) -> Vec<&Column> {
        self.columns.iter().filter(|c| c.key == key).collect()
    }

    /// The column a user names: by its header (accents and case ignored), or by its letter
    /// ("C") when no header is named so. Two columns with that header are an error.
    pub fn find(&self, name: &str) -> Result<Option<&Column>> {
        let key = fold_key(name);
        let named = self.columns_named(&key);
        match named.as_slice() {
            [one] => return Ok(Some(one)),
            [] => {}
            many => {
                return Err(MergeError::DuplicateColumn {
                    path: self.path.clone(),
                    name: many[0].header.clone(),
                    letters: many.iter().map(|c| c.letter.clone()).collect(),
                })
            }
        }
        let upper = name.trim().to_ascii_uppercase();
        if !upper.is_empty() && upper.len() <= 3 && upper.chars().all(|c| c.is_ascii_uppercase()) {
            return Ok(self.columns.iter().find(|c| c.letter == upper));
        }
        Ok(None)
    }

    pub fn headers(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.header.clone()).collect()
    }
}

/// How many rows the header may sit under (title rows, blank lines).
const HEADER_SEARCH: usize = 20;

/// A cell kept while looking for the header.
#[derive(Clone, Debug, PartialEq)]
enum Raw {
    Empty,
    Text(String),
    Number(f64, NumFormat),
    Date(f64),
    Bool(bool),
    Error(String),
}

impl Raw {
    fn of(c: &Cell<'_>) -> Raw {
        match *c {
            Cell::Empty => Raw::Empty,
            Cell::Text(t) if t.trim().is_empty() => Raw::Empty,
            Cell::Text(t) => Raw::Text(t.trim().to_string()),
            Cell::Number(v, f) => Raw::Number(v, f),
            Cell::Date(d) => Raw::Date(d),
            Cell::Bool(b) => Raw::Bool(b),
            Cell::Error(e) => Raw::Error(e.as_str().to_string()),
            Cell::NoValue => Raw::Error("formule jamais calculée".into()),
        }
    }

    fn is_empty(&self) -> bool {
        matches!(self, Raw::Empty)
    }

    /// A header cell: text that is not a number in disguise.
    fn is_label(&self) -> bool {
        matches!(self, Raw::Text(t) if t.parse::<f64>().is_err())
    }

    fn value(&self) -> Value {
        match self {
            Raw::Empty => Value::Empty,
            Raw::Text(t) => Value::Text(t.clone()),
            Raw::Number(v, f) => Value::Text(number(*v, *f)),
            Raw::Date(d) => Value::Text(iso_date(*d)),
            Raw::Bool(b) => Value::Text(if *b { "oui" } else { "non" }.into()),
            Raw::Error(e) => Value::Error(e.clone()),
        }
    }
}

/// A number as the letter writes it: integers as typed (a CIN, a phone, a year are never
/// grouped), decimals with a comma, amounts grouped with two decimals, percents with " %".
fn number(v: f64, f: NumFormat) -> String {
    match f {
        NumFormat::Percent => format!("{} %", decimal(v * 100.0, 2)),
        NumFormat::Currency => grouped(v),
        NumFormat::Plain if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", v as i64),
        NumFormat::Plain => decimal(v, 6),
    }
}

/// Up to `max` decimals, trailing zeros dropped, decimal comma.
fn decimal(v: f64, max: usize) -> String {
    let s = format!("{v:.max$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    s.replace('.', ",")
}

/// "1 224 600,50": thousands separated by a space, two decimals.
fn grouped(v: f64) -> String {
    let s = format!("{:.2}", v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    format!("{}{out},{frac}", if v < 0.0 { "-" } else { "" })
}

/// "2026-11-24" for an Excel serial.
fn iso_date(serial: f64) -> String {
    // Days since 1899-12-30, to a civil date (H. Hinnant's algorithm from 1970-01-01).
    let z = serial.floor() as i64 - 25569 + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}

/// Collects one sheet: the first rows until the header is found, then every row.
struct Collect {
    wanted: Option<String>,
    /// The sheet being read (None: skipping it).
    current: Option<String>,
    sheets: Vec<String>,
    done: bool,
    /// Rows before the header is known: (0-based index, cells).
    head: Vec<(u32, Vec<Raw>)>,
    header: Option<(u32, Vec<Raw>)>,
    rows: Vec<(u32, Vec<Raw>)>,
    others_with_data: Vec<String>,
    /// The sheet the rows come from.
    found: Option<String>,
}

impl RowSink for Collect {
    fn start_sheet(&mut self, name: &str) -> bool {
        self.sheets.push(name.to_string());
        let take = match &self.wanted {
            Some(w) => w.trim().eq_ignore_ascii_case(name.trim()),
            None => !self.done,
        };
        self.current = take.then(|| name.to_string());
        if !take && self.done && self.wanted.is_none() {
            // Only to tell the user the other sheets were left aside.
            self.others_with_data.push(name.to_string());
        }
        take
    }

    fn row(&mut self, index: u32, cells: &[Cell<'_>]) -> ControlFlow<()> {
        if self.current.is_none() {
            return ControlFlow::Continue(());
        }
        let raw: Vec<Raw> = cells.iter().map(Raw::of).collect();
        if raw.iter().all(Raw::is_empty) {
            return ControlFlow::Continue(());
        }
        if self.header.is_some() {
            self.rows.push((index, raw));
        } else {
            self.head.push((index, raw));
            if self.head.len() >= HEADER_SEARCH {
                self.settle();
            }
        }
        ControlFlow::Continue(())
    }

    fn end_sheet(&mut self) {
        if let Some(name) = self.current.take() {
            if self.header.is_none() {
                self.settle();
            }
            // A sheet with data was found: later sheets are not read (unless named).
            if self.header.is_some() || !self.head.is_empty() {
                self.done = true;
                self.found = Some(name);
            }
        }
    }
}

impl Collect {
    /// Decides where the header is among the first rows, and moves the rows under it.
    fn settle(&mut self) {
        let head = std::mem::take(&mut self.head);
        if head.is_empty() {
            return;
        }
        let width = |cells: &[Raw]| cells.iter().filter(|c| !c.is_empty()).count();
        let widest = head.iter().map(|(_, c)| width(c)).max().unwrap_or(0);
        // The first row at least half as wide as the widest, all of whose cells are labels (a
        // one-column sheet: its first label).
        let at = head.iter().position(|(_, cells)| {
            let n = width(cells);
            let labels = cells.iter().filter(|c| c.is_label()).count();
            n > 0 && labels == n && (n >= 2 || widest == 1) && n * 2 >= widest
        });
        match at {
            Some(i) => {
                let mut it = head.into_iter().skip(i);
                self.header = it.next();
                self.rows.extend(it);
            }
            None => {
                // Remember that rows were there, with no header.
                self.head = head;
                self.head.truncate(1);
            }
        }
    }
}

/// Reads `sheet` of `path` (None: the first sheet holding data).
pub fn read(path: &Path, sheet: Option<&str>, limits: &katib_sheet::Limits) -> Result<Table> {
    let mut c = Collect {
        wanted: sheet.map(str::to_string),
        current: None,
        sheets: Vec::new(),
        done: false,
        head: Vec::new(),
        header: None,
        rows: Vec::new(),
        others_with_data: Vec::new(),
        found: None,
    };
    katib_sheet::read_rows(path, limits, &mut c)?;
    if let Some(w) = sheet {
        if !c.sheets.iter().any(|s| s.trim().eq_ignore_ascii_case(w.trim())) {
            return Err(katib_sheet::SheetError::UnknownSheet { path: path.into(), sheet: w.to_string(), available: c.sheets }.into());
        }
    }
    let sheet_name = c.found.clone().or_else(|| sheet.map(str::to_string)).or_else(|| c.sheets.first().cloned()).unwrap_or_default();
    let Some((header_index, header)) = c.header else {
        return Err(if c.head.is_empty() {
            MergeError::EmptySheet { path: path.into(), sheet: sheet_name }
        } else {
            MergeError::NoHeader { path: path.into(), sheet: sheet_name }
        });
    };
    let mut warnings = Vec::new();
    if header_index > 0 {
        warnings.push(format!("header found on row {} (the rows above it are titles)", header_index + 1));
    }
    let others: Vec<&String> = c.sheets.iter().filter(|s| **s != sheet_name).collect();
    if sheet.is_none() && !others.is_empty() {
        warnings.push(format!(
            "sheet '{sheet_name}' is used; the workbook also has {} (choose with --sheet)",
            others.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ")
        ));
    }
    // Columns: every header cell, and any column that holds data under a blank header.
    let ncols = c.rows.iter().map(|(_, r)| r.len()).chain([header.len()]).max().unwrap_or(0);
    let mut columns = Vec::new();
    for i in 0..ncols {
        let letter = katib_sheet::column_letter(i as u32);
        let label = match header.get(i) {
            Some(Raw::Text(t)) => Some(t.split_whitespace().collect::<Vec<_>>().join(" ")),
            _ => None,
        };
        let filled: Vec<&Raw> = c.rows.iter().filter_map(|(_, r)| r.get(i)).filter(|v| !v.is_empty()).collect();
        if label.is_none() && filled.is_empty() {
            continue;
        }
        let header = label.unwrap_or_else(|| {
            warnings.push(format!("column {letter} has no header: it is called 'Colonne {letter}'"));
            format!("Colonne {letter}")
        });
        let dates = !filled.is_empty() && filled.iter().all(|v| matches!(v, Raw::Date(_)));
        columns.push(Column { index: i, key: fold_key(&header), letter, header, dates });
    }
    let rows: Vec<Row> = c
        .rows
        .iter()
        .map(|(index, raw)| Row { number: index + 1, values: columns.iter().map(|col| raw.get(col.index).map_or(Value::Empty, Raw::value)).collect() })
        .collect();
    if rows.is_empty() {
        return Err(MergeError::EmptySheet { path: path.into(), sheet: sheet_name });
    }
    Ok(Table { path: path.into(), sheet: sheet_name, header_row: header_index + 1, columns, rows, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_read_as_a_letter_writes_them() {
        assert_eq!(number(612345678.0, NumFormat::Plain), "612345678");
        assert_eq!(number(12.5, NumFormat::Plain), "12,5");
        assert_eq!(number(1224600.5, NumFormat::Currency), "1 224 600,50");
        assert_eq!(number(-950.0, NumFormat::Currency), "-950,00");
        assert_eq!(number(0.125, NumFormat::Percent), "12,5 %");
        assert_eq!(iso_date(46350.0), "2026-11-24");
        assert_eq!(iso_date(45658.0), "2025-01-01");
    }
}
