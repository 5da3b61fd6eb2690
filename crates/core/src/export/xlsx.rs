//! The answer's Markdown tables as an Excel workbook (rust_xlsxwriter), one sheet per table:
//! numbers as numbers (French writing: "1 200,50", "85 %", "120 000 MAD"), dates as dates
//! ("23/11/2026", "2026-11-23"), a bold shaded header row frozen at the top with filters,
//! borders, column widths from the content, right-to-left sheets for Arabic. Text that is not
//! clearly a number or a date stays text, as written. The tables come from the document model
//! ([`super::blocks`]).

use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

use super::blocks::{plain_text, visit, Block, Run};
use super::{ExportDoc, ExportError};

/// A table of the answer, as text.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct MdTable {
    /// The heading the table sits under, for the sheet's name.
    pub heading: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Every table of the document (also in lists and notes), in order, each under the last heading
/// of level 1 to 4 before it.
pub(crate) fn tables(blocks: &[Block]) -> Vec<MdTable> {
    let mut out = Vec::new();
    let mut heading: Option<String> = None;
    let cell = |runs: &[Run]| plain_text(runs).replace('\n', " ").trim().to_string();
    visit(blocks, &mut |b| match b {
        Block::Heading { level, runs } if *level <= 4 => heading = Some(plain_text(runs)),
        Block::Table { header, rows, .. } => out.push(MdTable {
            heading: heading.clone(),
            header: header.iter().map(|c| cell(c)).collect(),
            rows: rows.iter().map(|r| r.iter().map(|c| cell(c)).collect()).collect(),
        }),
        _ => {}
    });
    out
}

/// A cell's value as a spreadsheet sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Number(f64),
    /// A fraction (0.85 for "85 %").
    Percent(f64),
    Date(u16, u8, u8),
    Text(String),
}

/// Reads "1 200,50", "-3 000", "85 %", "12,5%", "120 000 MAD", "2 400 000 DH", "1,200.50",
/// "23/11/2026", "2026-11-23". Anything else is text.
pub(crate) fn parse_value(s: &str) -> Value {
    let t = s.trim();
    let text = || Value::Text(t.to_string());
    if t.is_empty() {
        return text();
    }
    if let Some(d) = parse_date(t) {
        return d;
    }
    let mut body = t.replace(['\u{00A0}', '\u{202F}', '\u{2009}'], " ");
    let mut percent = false;
    if let Some(b) = body.strip_suffix('%') {
        percent = true;
        body = b.trim_end().to_string();
    } else {
        for unit in [" MAD", " DH", " Dh", " dh", " DHS", " Dhs", " dhs", " €", " EUR"] {
            if let Some(b) = body.strip_suffix(unit) {
                body = b.to_string();
                break;
            }
        }
    }
    let body = body.trim();
    let (neg, digits) = match body.strip_prefix('-').or_else(|| body.strip_prefix('\u{2212}')) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, body.strip_prefix('+').unwrap_or(body)),
    };
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return text();
    }
    if !digits.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == ',' || c == '.') {
        return text();
    }
    // Thousands groups of three after a space; a comma is the decimal mark, unless the number
    // is written the English way ("1,200.50").
    if digits.split(' ').skip(1).any(|g| g.len() < 3 || !g[..3].chars().all(|c| c.is_ascii_digit())) {
        return text();
    }
    let compact: String = digits.chars().filter(|c| *c != ' ').collect();
    let normal = match (compact.matches(',').count(), compact.matches('.').count()) {
        (0, 0) => compact,
        (1, 0) => compact.replace(',', "."),
        (0, 1) => compact,
        (_, 1) if compact.rfind('.') > compact.rfind(',') => compact.replace(',', ""),
        (1, _) if compact.rfind(',') > compact.rfind('.') => compact.replace('.', "").replace(',', "."),
        _ => return text(),
    };
    // Long digit strings are identifiers (RIB, phone numbers), not quantities.
    if normal.chars().filter(|c| c.is_ascii_digit()).count() > 15 || (normal.starts_with('0') && normal.len() > 1 && !normal.starts_with("0.")) {
        return text();
    }
    match normal.parse::<f64>() {
        Ok(n) => {
            let n = if neg { -n } else { n };
            if percent {
                Value::Percent(n / 100.0)
            } else {
                Value::Number(n)
            }
        }
        Err(_) => text(),
    }
}

fn parse_date(t: &str) -> Option<Value> {
    if t.len() != 10 {
        return None;
    }
    let iso = t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-';
    let fr = t.as_bytes()[2] == b'/' && t.as_bytes()[5] == b'/';
    let (y, m, d) = if iso {
        (t[..4].parse().ok()?, t[5..7].parse().ok()?, t[8..].parse().ok()?)
    } else if fr {
        (t[6..].parse().ok()?, t[3..5].parse().ok()?, t[..2].parse().ok()?)
    } else {
        return None;
    };
    chrono::NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)?;
    Some(Value::Date(y, m, d))
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(t: &MdTable, i: usize, lang: crate::Lang, used: &mut Vec<String>) -> String {
    let fallback = match lang {
        crate::Lang::Ar => format!("جدول {}", i + 1),
        crate::Lang::En => format!("Table {}", i + 1),
        crate::Lang::Fr => format!("Tableau {}", i + 1),
    };
    let base: String = t
        .heading
        .as_deref()
        .map(|h| h.chars().filter(|c| !"[]:*?/\\'".contains(*c)).collect::<String>().trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or(fallback.clone());
    let mut name: String = base.chars().take(31).collect();
    if used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({})", i + 1);
        name = base.chars().take(31 - suffix.chars().count()).collect::<String>() + &suffix;
    }
    used.push(name.clone());
    name
}

pub(super) fn build(doc: &ExportDoc, blocks: &[Block]) -> Result<Vec<u8>, ExportError> {
    let tables = tables(blocks);
    if tables.is_empty() {
        return Err(ExportError::NoTable);
    }
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx(e.to_string());
    let rtl = doc.lang.is_rtl();
    let border = |f: Format| f.set_border(FormatBorder::Thin).set_border_color(Color::RGB(0x8EA9DB));
    let header = border(Format::new().set_bold().set_background_color(Color::RGB(0xD9E2F3)).set_text_wrap().set_align(FormatAlign::VerticalCenter));
    let text = border(Format::new().set_text_wrap().set_align(FormatAlign::Top));
    let integer = border(Format::new().set_num_format("#,##0").set_align(FormatAlign::Top));
    let decimal = border(Format::new().set_num_format("#,##0.00").set_align(FormatAlign::Top));
    let percent = border(Format::new().set_num_format("0%").set_align(FormatAlign::Top));
    let percent_dec = border(Format::new().set_num_format("0.0%").set_align(FormatAlign::Top));
    let date = border(Format::new().set_num_format("dd/mm/yyyy").set_align(FormatAlign::Top));
    let mut wb = Workbook::new();
    let mut used = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(t, i, doc.lang, &mut used)).map_err(err)?;
        ws.set_right_to_left(rtl);
        // Printed: A4, the whole width on one page, the header row on every page.
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0).map_err(err)?;
        let cols = t.header.len().max(t.rows.iter().map(|r| r.len()).max().unwrap_or(0));
        let mut widths = vec![8usize; cols];
        for (c, h) in t.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &header).map_err(err)?;
            widths[c] = widths[c].max(h.chars().count().min(30) + 2);
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, v) in row.iter().enumerate() {
                let col = c as u16;
                match parse_value(v) {
                    Value::Number(n) => {
                        let f = if n.fract() == 0.0 { &integer } else { &decimal };
                        ws.write_number_with_format(r, col, n, f).map_err(err)?;
                    }
                    Value::Percent(p) => {
                        let f = if (p * 100.0).fract().abs() < 1e-9 { &percent } else { &percent_dec };
                        ws.write_number_with_format(r, col, p, f).map_err(err)?;
                    }
                    Value::Date(y, m, d) => {
                        let dt = ExcelDateTime::from_ymd(y, m, d).map_err(err)?;
                        ws.write_datetime_with_format(r, col, &dt, &date).map_err(err)?;
                    }
                    Value::Text(s) => {
                        ws.write_string_with_format(r, col, &s, &text).map_err(err)?;
                    }
                }
                widths[c] = widths[c].max(v.chars().count() + 2);
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*w).min(50) as f64).map_err(err)?;
        }
        if cols > 0 {
            ws.set_freeze_panes(1, 0).map_err(err)?;
            ws.autofilter(0, 0, t.rows.len() as u32, cols as u16 - 1).map_err(err)?;
        }
    }
    wb.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers_and_dates() {
        assert_eq!(parse_value("1 200,50"), Value::Number(1200.5));
        assert_eq!(parse_value("2\u{202F}400\u{202F}000"), Value::Number(2_400_000.0));
        assert_eq!(parse_value("120 000 MAD"), Value::Number(120_000.0));
        assert_eq!(parse_value("-3 000"), Value::Number(-3000.0));
        assert_eq!(parse_value("85 %"), Value::Percent(0.85));
        assert_eq!(parse_value("12,5%"), Value::Percent(0.125));
        assert_eq!(parse_value("1,200.50"), Value::Number(1200.5));
        assert_eq!(parse_value("23/11/2026"), Value::Date(2026, 11, 23));
        assert_eq!(parse_value("2026-11-23"), Value::Date(2026, 11, 23));
        for text in ["Carburant", "0612345678", "AB123456", "1 20", "2026/1587", "31/02/2026", "12 h 30", "011780000012345678901234"] {
            assert_eq!(parse_value(text), Value::Text(text.into()), "{text}");
        }
    }

    #[test]
    fn finds_tables_under_their_headings() {
        let t = tables(&crate::export::blocks::parse("# A\n\n## Dépenses\n\n| X | Y |\n|---|---|\n| 1 | 2 |\n\nTexte\n\n| Z |\n|---|\n| 3 |\n"));
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].heading.as_deref(), Some("Dépenses"));
        assert_eq!(t[0].header, vec!["X", "Y"]);
        assert_eq!(t[0].rows, vec![vec!["1", "2"]]);
        assert_eq!(t[1].rows, vec![vec!["3"]]);
    }
}
