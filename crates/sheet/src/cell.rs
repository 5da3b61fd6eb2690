//! One cell as every reader delivers it, and the small conversions around it: Excel date serials
//! to and from calendar dates, column letters, cell addresses ("D17"), error literals ("#DIV/0!").
//!
//! Text is borrowed from the reader's buffers: a cell lives as long as the row callback. Text is
//! not interpreted here (a CSV delivers only text); turning "1 224 600,50 DH" into an amount is
//! the profile's job (see `value`).

use serde::Serialize;

/// One cell. Dates are Excel serials in the 1900 system (days since 1899-12-30, time as the
/// fraction), whatever the file's own system was.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Number(f64, NumFormat),
    Date(f64),
    Text(&'a str),
    Bool(bool),
    Error(CellError),
    /// A formula whose value was never saved (a file written by a library, not by Excel or
    /// LibreOffice): the value is unknown, which is not the same as blank.
    NoValue,
}

impl Cell<'_> {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// How a number is displayed, from the cell's style: it tells percents and amounts from plain
/// numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NumFormat {
    Plain,
    Percent,
    Currency,
}

/// The error values a spreadsheet cell can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum CellError {
    #[serde(rename = "#DIV/0!")]
    Div0,
    #[serde(rename = "#REF!")]
    Ref,
    #[serde(rename = "#N/A")]
    NA,
    #[serde(rename = "#VALUE!")]
    Value,
    #[serde(rename = "#NAME?")]
    Name,
    #[serde(rename = "#NUM!")]
    Num,
    #[serde(rename = "#NULL!")]
    Null,
    #[serde(rename = "#GETTING_DATA")]
    GettingData,
    /// Any other error text (LibreOffice's "Err:502", a newer Excel error).
    #[serde(rename = "#ERREUR")]
    Other,
}

impl CellError {
    pub fn as_str(self) -> &'static str {
        match self {
            CellError::Div0 => "#DIV/0!",
            CellError::Ref => "#REF!",
            CellError::NA => "#N/A",
            CellError::Value => "#VALUE!",
            CellError::Name => "#NAME?",
            CellError::Num => "#NUM!",
            CellError::Null => "#NULL!",
            CellError::GettingData => "#GETTING_DATA",
            CellError::Other => "#ERREUR",
        }
    }

    /// The error a literal names, in English or in the French Excel spellings.
    pub fn parse(s: &str) -> Option<CellError> {
        let t = s.trim();
        Some(match t.to_ascii_uppercase().as_str() {
            "#DIV/0!" => CellError::Div0,
            "#REF!" | "#REF" => CellError::Ref,
            "#N/A" | "#N/D" => CellError::NA,
            "#VALUE!" | "#VALEUR!" => CellError::Value,
            "#NAME?" | "#NOM?" => CellError::Name,
            "#NUM!" | "#NOMBRE!" => CellError::Num,
            "#NULL!" | "#NUL!" => CellError::Null,
            "#GETTING_DATA" => CellError::GettingData,
            u if u.starts_with("ERR:") || u == "#ERR" => CellError::Other,
            _ => return None,
        })
    }
}

/// Days from 1899-12-30 (the Excel serial origin) to 1970-01-01.
const SERIAL_UNIX: i64 = 25569;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The calendar date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The Excel serial of a date (and time as a day fraction).
pub fn serial_from_ymd(y: i64, m: u32, d: u32) -> f64 {
    (days_from_civil(y, m, d) + SERIAL_UNIX) as f64
}

/// The calendar date of an Excel serial (the time of day is dropped).
pub fn ymd_from_serial(serial: f64) -> (i64, u32, u32) {
    civil_from_days(serial.floor() as i64 - SERIAL_UNIX)
}

/// ISO 8601 date of a serial: "2026-10-31".
pub fn iso_date(serial: f64) -> String {
    let (y, m, d) = ymd_from_serial(serial);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses "2026-10-31" or "2026-10-31T10:30:00[.fff][Z]" into a serial (time kept as fraction).
pub fn serial_from_iso(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let mut v = 0u32;
        for &c in &b[r] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + (c - b'0') as u32;
        }
        Some(v)
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut serial = serial_from_ymd(y as i64, m, d);
    if b.len() >= 16 && (b[10] == b'T' || b[10] == b' ') && b[13] == b':' {
        let (h, mi) = (num(11..13)?, num(14..16)?);
        let sec = if b.len() >= 19 && b[16] == b':' { num(17..19)? } else { 0 };
        serial += (h * 3600 + mi * 60 + sec) as f64 / 86400.0;
    }
    Some(serial)
}

/// "A", "B", ... "Z", "AA" ... for a 0-based column index.
pub fn column_letter(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// "D17" for 0-based column 3, 0-based row 16.
pub fn address(col: u32, row: u32) -> String {
    format!("{}{}", column_letter(col), row + 1)
}

/// Parses "D17" (or "$D$17") into 0-based (column, row); "D" alone gives row `None`.
pub fn parse_address(s: &str) -> Option<(u32, Option<u32>)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut col: u32 = 0;
    if b.first() == Some(&b'$') {
        i += 1;
    }
    let start = i;
    while i < b.len() && b[i].is_ascii_alphabetic() {
        col = col.checked_mul(26)?.checked_add((b[i].to_ascii_uppercase() - b'A') as u32 + 1)?;
        i += 1;
    }
    if i == start || i - start > 3 {
        return None;
    }
    if i < b.len() && b[i] == b'$' {
        i += 1;
    }
    if i == b.len() {
        return Some((col - 1, None));
    }
    let mut row: u32 = 0;
    for &c in &b[i..] {
        if !c.is_ascii_digit() {
            return None;
        }
        row = row.checked_mul(10)?.checked_add((c - b'0') as u32)?;
    }
    if row == 0 {
        return None;
    }
    Some((col - 1, Some(row - 1)))
}

/// A rectangle of merged cells, 0-based and inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CellRange {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

impl CellRange {
    /// "A1:H1".
    pub fn parse(s: &str) -> Option<CellRange> {
        let (a, b) = s.split_once(':').unwrap_or((s, s));
        let (c0, r0) = parse_address(a)?;
        let (c1, r1) = parse_address(b)?;
        Some(CellRange { first_row: r0?, first_col: c0, last_row: r1?, last_col: c1 })
    }

    pub fn contains(&self, row: u32, col: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row) && (self.first_col..=self.last_col).contains(&col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        // Excel: 2026-10-31 is serial 46326; 1900-03-01 is 61.
        assert_eq!(serial_from_ymd(2026, 10, 31), 46326.0);
        assert_eq!(serial_from_ymd(1900, 3, 1), 61.0);
        assert_eq!(ymd_from_serial(46326.75), (2026, 10, 31));
        assert_eq!(iso_date(40766.0), "2011-08-11");
        assert_eq!(serial_from_iso("2026-10-31T12:00:00"), Some(46326.5));
        assert_eq!(serial_from_iso("2026-13-01"), None);
        for z in [-800_000i64, -1, 0, 1, 59, 60, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn addresses() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16383), "XFD");
        assert_eq!(address(3, 16), "D17");
        assert_eq!(parse_address("D17"), Some((3, Some(16))));
        assert_eq!(parse_address("$AA$1"), Some((26, Some(0))));
        assert_eq!(parse_address("XFD1048576"), Some((16383, Some(1048575))));
        assert_eq!(parse_address("D0"), None);
        assert_eq!(parse_address("17"), None);
        let r = CellRange::parse("A1:H2").unwrap();
        assert!(r.contains(1, 7) && !r.contains(2, 0));
    }

    #[test]
    fn error_literals() {
        assert_eq!(CellError::parse("#DIV/0!"), Some(CellError::Div0));
        assert_eq!(CellError::parse("#VALEUR!"), Some(CellError::Value));
        assert_eq!(CellError::parse("Err:502"), Some(CellError::Other));
        assert_eq!(CellError::parse("#N/A").map(CellError::as_str), Some("#N/A"));
        assert_eq!(CellError::parse("total"), None);
    }
}
