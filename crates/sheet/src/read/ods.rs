//! .ods: content.xml pulled event by event. Values come from the typed attributes
//! (office:value, office:date-value, percentage, currency), text from the paragraphs; repeated
//! columns and rows are counted, not expanded, when they are empty (LibreOffice ends a sheet with
//! a row repeated a million times); merged cells come from their span attributes.
//!
//! Styles, annotations (cell comments), shapes and named ranges are not read. The XML is read
//! with the same scanner as .xlsx sheets (see `scan`); qualified names are matched as
//! LibreOffice writes them (`table:`, `office:`, `text:`, `calcext:` prefixes).

use std::fs::File;

use super::scan::{self, Scanner, Tok};
use super::xlsx::SharedStrings;
use super::zipguard::Archive;
use super::{CellNoText, Ctx, Format, RawCell, RowBuf, RowSink};
use crate::cell::{CellError, CellRange, NumFormat};
use crate::error::Result;

pub(crate) fn read(ctx: &Ctx<'_>, file: File, sink: &mut dyn RowSink) -> Result<()> {
    let mut ar = Archive::open(ctx, file, Format::Ods)?;
    let mut styles = NumberStyles::default();
    // Number formats shown with a currency ("#,##0.00 DH") are in styles.xml or in content.xml's
    // automatic styles: they tell amounts from plain numbers, as in an .xlsx.
    if let Some(p) = ar.find("styles.xml") {
        let failed = {
            let mut sc = Scanner::new(ar.part(&p)?);
            loop {
                match sc.next() {
                    Ok(Some(t)) => styles.feed(&t),
                    Ok(None) => break None,
                    Err(e) => break Some(e),
                }
            }
        };
        if let Some(e) = failed {
            return Err(ar.error(&p, e));
        }
    }
    let part = ar.find("content.xml").ok_or_else(|| ctx.corrupt(Format::Ods, "no content.xml"))?;
    let r = ar.part(&part)?;
    match read_content(ctx, r, sink, styles) {
        Ok(()) => Ok(()),
        Err(OdsErr::Xml(d)) => Err(ar.error(&part, d)),
        Err(OdsErr::Sheet(e)) => Err(e),
    }
}

/// Which cell styles display numbers as amounts.
#[derive(Default)]
struct NumberStyles {
    /// Number styles showing a currency, by name.
    currency: std::collections::HashSet<Vec<u8>>,
    /// Cell styles whose number style is one of those.
    cells: std::collections::HashSet<Vec<u8>>,
    /// The number style being read, and whether it is a currency style.
    open: Option<(Vec<u8>, bool)>,
    in_text: bool,
}

impl NumberStyles {
    fn feed(&mut self, tok: &Tok<'_>) {
        match *tok {
            Tok::Start(name, attrs) | Tok::Empty(name, attrs) => match name {
                b"number:number-style" | b"number:currency-style" => {
                    let n = scan::attr(attrs, b"style:name").unwrap_or(b"").to_vec();
                    let is_currency = name == b"number:currency-style";
                    if matches!(tok, Tok::Empty(..)) {
                        if is_currency {
                            self.currency.insert(n);
                        }
                    } else {
                        self.open = Some((n, is_currency));
                    }
                }
                b"number:currency-symbol" => {
                    if let Some(o) = &mut self.open {
                        o.1 = true;
                    }
                }
                b"number:text" if self.open.is_some() && matches!(tok, Tok::Start(..)) => self.in_text = true,
                b"style:style" => {
                    if let (Some(data), Some(cell)) = (scan::attr(attrs, b"style:data-style-name"), scan::attr(attrs, b"style:name")) {
                        if self.currency.contains(data) {
                            self.cells.insert(cell.to_vec());
                        }
                    }
                }
                _ => {}
            },
            Tok::Text(t) if self.in_text => {
                let mut s = String::new();
                scan::unescape_into(t, &mut s);
                let f = s.to_lowercase();
                if ["dh", "mad", "درهم", "dirham", "€", "eur"].iter().any(|c| f.contains(c)) {
                    if let Some(o) = &mut self.open {
                        o.1 = true;
                    }
                }
            }
            Tok::End(name) => match name {
                b"number:text" => self.in_text = false,
                b"number:number-style" | b"number:currency-style" => {
                    if let Some((n, cur)) = self.open.take() {
                        if cur {
                            self.currency.insert(n);
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
}

enum OdsErr {
    Xml(String),
    Sheet(crate::error::SheetError),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ValueType {
    None,
    Float,
    Percent,
    Currency,
    Date,
    Time,
    Bool,
    String,
}

struct CellAttrs {
    vtype: ValueType,
    value: Option<f64>,
    date: Option<f64>,
    boolean: Option<bool>,
    error: bool,
    repeat: u32,
    span_cols: u32,
    span_rows: u32,
    currency_style: bool,
}

fn num(v: &[u8]) -> Option<f64> {
    crate::value::xml_number(v)
}

fn cell_attrs(raw: &[u8], styles: &NumberStyles) -> CellAttrs {
    let mut c = CellAttrs { vtype: ValueType::None, value: None, date: None, boolean: None, error: false, repeat: 1, span_cols: 1, span_rows: 1, currency_style: false };
    for (key, value) in scan::attrs(raw) {
        match key {
            b"calcext:value-type"
                if value == b"error" => {
                    c.error = true;
                }
            b"office:value-type" => {
                c.vtype = match value {
                    b"float" => ValueType::Float,
                    b"percentage" => ValueType::Percent,
                    b"currency" => ValueType::Currency,
                    b"date" => ValueType::Date,
                    b"time" => ValueType::Time,
                    b"boolean" => ValueType::Bool,
                    b"string" => ValueType::String,
                    _ => ValueType::None,
                }
            }
            b"office:value" => c.value = num(value),
            b"office:date-value" => c.date = std::str::from_utf8(value).ok().and_then(crate::cell::serial_from_iso),
            b"office:time-value" => c.value = std::str::from_utf8(value).ok().and_then(iso_duration_days),
            b"office:boolean-value" => c.boolean = Some(matches!(value, b"true" | b"1")),
            b"table:number-columns-repeated" => c.repeat = num(value).map_or(1, |v| v.clamp(1.0, 1e9) as u32),
            b"table:number-columns-spanned" => c.span_cols = num(value).map_or(1, |v| v.clamp(1.0, 16384.0) as u32),
            b"table:number-rows-spanned" => c.span_rows = num(value).map_or(1, |v| v.clamp(1.0, 1e7) as u32),
            b"table:style-name" => c.currency_style = !styles.cells.is_empty() && styles.cells.contains(value),
            _ => {}
        }
    }
    if c.currency_style && c.vtype == ValueType::Float {
        c.vtype = ValueType::Currency;
    }
    c
}

/// "PT12H30M00S" as a fraction of a day.
fn iso_duration_days(s: &str) -> Option<f64> {
    let s = s.strip_prefix("PT").or_else(|| s.strip_prefix("-PT"))?;
    let mut total = 0.0;
    let mut n = String::new();
    for c in s.chars() {
        match c {
            'H' => total += n.parse::<f64>().ok()? * 3600.0,
            'M' => total += n.parse::<f64>().ok()? * 60.0,
            'S' => total += n.parse::<f64>().ok()?,
            c => {
                n.push(c);
                continue;
            }
        }
        n.clear();
    }
    Some(total / 86400.0)
}

fn read_content(ctx: &Ctx<'_>, r: impl std::io::Read, sink: &mut dyn RowSink, mut styles: NumberStyles) -> std::result::Result<(), OdsErr> {
    let mut in_body = false;
    let mut scanner = Scanner::new(r);
    let close_cell = scan::Finder::new(b"</table:table-cell>");
    let close_covered = scan::Finder::new(b"</table:covered-table-cell>");
    let empty_sst = SharedStrings::default();
    let mut row = RowBuf::new();
    let mut merges: Vec<CellRange> = Vec::new();
    let mut in_table = false;
    let mut skipping_table = false;
    let mut row_idx: u32 = 0;
    let mut row_repeat: u32 = 1;
    let mut in_row = false;
    let mut col: u32 = 0;
    let mut text = String::new();
    let mut rows_seen: u32 = 0;
    while let Some(tok) = scanner.next().map_err(|e| OdsErr::Xml(e.to_string()))? {
        if !in_body {
            // The automatic styles come before the body.
            if matches!(tok, Tok::Start(b"office:body", _)) {
                in_body = true;
            } else {
                styles.feed(&tok);
            }
            continue;
        }
        match tok {
            Tok::Start(name, attrs) | Tok::Empty(name, attrs) => {
                let empty = matches!(tok, Tok::Empty(..));
                match name {
                    b"table:table" if !empty => {
                        let mut tname = String::new();
                        scan::unescape_into(scan::attr(attrs, b"table:name").unwrap_or(b""), &mut tname);
                        in_table = sink.start_sheet(&tname);
                        skipping_table = !in_table;
                        row_idx = 0;
                        merges.clear();
                    }
                    _ if skipping_table => {}
                    b"table:table-row" if in_table => {
                        row_repeat = scan::attr(attrs, b"table:number-rows-repeated").and_then(num).map_or(1, |v| v.clamp(1.0, 1e9) as u32);
                        row.clear();
                        col = 0;
                        in_row = !empty;
                        if empty {
                            row_idx = row_idx.saturating_add(row_repeat);
                        }
                    }
                    b"table:table-cell" | b"table:covered-table-cell" if in_row => {
                        let covered = name == b"table:covered-table-cell";
                        let mut a = cell_attrs(attrs, &styles);
                        if covered {
                            // The hidden part of a merged cell: its content, if any, is not shown.
                            a.vtype = ValueType::None;
                            a.error = false;
                        }
                        if a.span_cols > 1 || a.span_rows > 1 {
                            merges.push(CellRange {
                                first_row: row_idx,
                                first_col: col,
                                last_row: row_idx + a.span_rows - 1,
                                last_col: col + a.span_cols - 1,
                            });
                        }
                        text.clear();
                        if empty {
                            finish_cell(&mut row, &mut col, &a, "", ctx.limits.max_columns);
                        } else {
                            // The cell's content in one step: its paragraphs when it holds text.
                            let close = if covered { &close_covered } else { &close_cell };
                            let inner = scanner.take_until(close).map_err(|e| OdsErr::Xml(e.to_string()))?;
                            let Some(inner) = inner else { break };
                            if !covered && (a.error || matches!(a.vtype, ValueType::String | ValueType::None)) {
                                odf_text(inner, &mut text);
                            }
                            finish_cell(&mut row, &mut col, &a, &text, ctx.limits.max_columns);
                        }
                    }
                    _ => {}
                }
            }
            Tok::End(name) => match name {
                b"table:table" => {
                    if in_table {
                        if !merges.is_empty() {
                            sink.merged(&merges);
                        }
                        sink.end_sheet();
                    }
                    in_table = false;
                    skipping_table = false;
                }
                _ if skipping_table => {}
                b"table:table-row" if in_row => {
                    in_row = false;
                    if row.cols.is_empty() {
                        row_idx = row_idx.saturating_add(row_repeat);
                    } else {
                        let dense = row.dense(&empty_sst, ctx.limits.max_columns);
                        for _ in 0..row_repeat {
                            rows_seen += 1;
                            if rows_seen.is_multiple_of(512) || row_idx >= ctx.limits.max_rows {
                                ctx.check(row_idx).map_err(OdsErr::Sheet)?;
                            }
                            if sink.row(row_idx, &dense).is_break() {
                                sink.end_sheet();
                                return Ok(());
                            }
                            row_idx += 1;
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    Ok(())
}

/// The text of a cell's content: its paragraphs joined by line breaks, `<text:s text:c="3"/>`
/// as spaces, tabs and line breaks; annotations (comments) left out.
fn odf_text(inner: &[u8], out: &mut String) {
    let mut rest = inner;
    let mut in_p = 0u32;
    let mut annotation = 0u32;
    let mut paragraphs = 0u32;
    loop {
        let next = memchr::memchr(b'<', rest).unwrap_or(rest.len());
        if in_p > 0 && annotation == 0 && next > 0 {
            scan::unescape_into(&rest[..next], out);
        }
        if next >= rest.len() {
            return;
        }
        let tag = &rest[next + 1..];
        let Some(close) = memchr::memchr(b'>', tag) else { return };
        let body = &tag[..close];
        rest = &tag[close + 1..];
        let self_closing = body.ends_with(b"/");
        let (end, body) = match body.strip_prefix(b"/") {
            Some(b) => (true, b),
            None => (false, body),
        };
        let name_end = body.iter().position(|c| c.is_ascii_whitespace() || *c == b'/').unwrap_or(body.len());
        let name = &body[..name_end];
        match (name, end) {
            (b"office:annotation", false) if !self_closing => annotation += 1,
            (b"office:annotation", true) => annotation = annotation.saturating_sub(1),
            _ if annotation > 0 => {}
            (b"text:p" | b"text:h", false) => {
                if paragraphs > 0 {
                    out.push('\n');
                }
                paragraphs += 1;
                if !self_closing {
                    in_p += 1;
                }
            }
            (b"text:p" | b"text:h", true) => in_p = in_p.saturating_sub(1),
            (b"text:s", false) => {
                let n = scan::attr(&body[name_end..], b"text:c").and_then(num).map_or(1, |v| v.clamp(1.0, 1000.0) as usize);
                out.extend(std::iter::repeat_n(' ', n));
            }
            (b"text:tab", false) => out.push('\t'),
            (b"text:line-break", false) => out.push('\n'),
            _ => {}
        }
    }
}

/// Places one cell (and its repeats) in the row and moves the column on.
fn finish_cell(row: &mut RowBuf, col: &mut u32, a: &CellAttrs, text: &str, max_columns: u32) {
    let value: Option<RawCell> = if a.error {
        Some(RawCell::Plain(CellNoText::Error(CellError::parse(text).unwrap_or(CellError::Other))))
    } else {
        let plain = |c| Some(RawCell::Plain(c));
        match a.vtype {
            ValueType::Float => a.value.and_then(|v| plain(CellNoText::Number(v, NumFormat::Plain))),
            ValueType::Percent => a.value.and_then(|v| plain(CellNoText::Number(v, NumFormat::Percent))),
            ValueType::Currency => a.value.and_then(|v| plain(CellNoText::Number(v, NumFormat::Currency))),
            ValueType::Time => a.value.and_then(|v| plain(CellNoText::Number(v, NumFormat::Plain))),
            ValueType::Date => a.date.and_then(|d| plain(CellNoText::Date(d))),
            ValueType::Bool => a.boolean.and_then(|b| plain(CellNoText::Bool(b))),
            ValueType::String | ValueType::None => None,
        }
    };
    let has_text = matches!(a.vtype, ValueType::String | ValueType::None) && !a.error && !text.is_empty();
    if value.is_none() && !has_text {
        *col = col.saturating_add(a.repeat);
        return;
    }
    // A value repeated over many columns is real data (rare); it stops at the column limit.
    for _ in 0..a.repeat {
        if *col >= max_columns {
            break;
        }
        match value {
            Some(v) => row.push(*col, v),
            None => row.push_text(*col, text),
        }
        *col += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_text() {
        let mut s = String::new();
        odf_text(b"<text:p>Cr&#233;dits<text:s text:c=\"2\"/><text:span text:style-name=\"T1\">ouverts</text:span></text:p><office:annotation><text:p>note</text:p></office:annotation><text:p>ligne 2<text:tab/>x</text:p>", &mut s);
        assert_eq!(s, "Crédits  ouverts\nligne 2\tx");
    }

    #[test]
    fn durations() {
        assert_eq!(iso_duration_days("PT12H00M00S"), Some(0.5));
        assert_eq!(iso_duration_days("PT06H00M00S"), Some(0.25));
        assert_eq!(iso_duration_days("12:00"), None);
    }
}
