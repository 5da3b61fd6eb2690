//! .xlsx / .xlsm: the workbook's sheet list and date system, the styles (which number formats are
//! dates, percents, amounts), the shared strings (held once, as one string and offsets), then each
//! sheet's XML pulled event by event: inline strings, cached values of formulas, error cells,
//! booleans, ISO dates, and the merged ranges found after the rows.
//!
//! Neither charts, comments, pivot caches nor defined names are read.

use std::borrow::Cow;
use std::fs::File;
use std::io::BufReader;
use std::ops::ControlFlow;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::scan::{self, Scanner, Tok};
use super::zipguard::Archive;
use super::{attr_value, read_small_part, CellNoText, Ctx, Format, RawCell, RowBuf, RowSink};
use crate::cell::{CellError, CellRange, NumFormat};
use crate::error::Result;

/// Days between the 1904 and the 1900 date systems.
const DATE1904_OFFSET: f64 = 1462.0;
const SMALL_PART: u64 = 64 << 20;

/// The shared-string table: one buffer and the end offset of each string.
#[derive(Default)]
pub(crate) struct SharedStrings {
    text: String,
    ends: Vec<usize>,
}

impl SharedStrings {
    pub fn get(&self, i: u32) -> &str {
        let i = i as usize;
        match self.ends.get(i) {
            Some(&end) => {
                let start = if i == 0 { 0 } else { self.ends[i - 1] };
                &self.text[start..end]
            }
            None => "",
        }
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
}

/// What a cell style says about a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StyleKind {
    General,
    Date,
    Percent,
    Currency,
}

struct SheetRef {
    name: String,
    part: String,
}

pub(crate) fn read(ctx: &Ctx<'_>, file: File, sink: &mut dyn RowSink) -> Result<()> {
    let mut ar = Archive::open(ctx, file, Format::Xlsx)?;
    let wb_part = ar.find("xl/workbook.xml").ok_or_else(|| ctx.corrupt(Format::Xlsx, "no xl/workbook.xml"))?;
    let wb_xml = read_small_part(ar.part(&wb_part)?, SMALL_PART);
    let wb_xml = wb_xml.map_err(|e| ar.error(&wb_part, e))?;
    let rels_part = ar.find("xl/_rels/workbook.xml.rels");
    let rels_xml = match &rels_part {
        Some(p) => {
            let xml = read_small_part(ar.part(p)?, SMALL_PART);
            xml.map_err(|e| ar.error(p, e))?
        }
        None => String::new(),
    };
    let rels = parse_rels(&rels_xml);
    let (sheets, date1904) = parse_workbook(&wb_xml, &rels);
    if sheets.is_empty() {
        return Err(ctx.corrupt(Format::Xlsx, "the workbook lists no sheet"));
    }
    let styles = match ar.find("xl/styles.xml") {
        Some(p) => {
            let xml = read_small_part(ar.part(&p)?, SMALL_PART);
            parse_styles(&xml.map_err(|e| ar.error(&p, e))?)
        }
        None => Vec::new(),
    };
    let sst_name = rels
        .iter()
        .find(|r| r.kind.ends_with("/sharedStrings"))
        .map(|r| resolve_target(&r.target))
        .unwrap_or_else(|| "xl/sharedStrings.xml".into());
    let sst = match ar.find(&sst_name) {
        Some(p) => {
            let sst = parse_shared_strings(ar.part(&p)?);
            sst.map_err(|e| ar.error(&p, e))?
        }
        None => SharedStrings::default(),
    };
    for sheet in &sheets {
        if !sink.start_sheet(&sheet.name) {
            continue;
        }
        let Some(part) = ar.find(&sheet.part) else {
            return Err(ctx.corrupt(Format::Xlsx, format!("sheet '{}' ({}) is missing", sheet.name, sheet.part)));
        };
        let outcome = {
            let reader = ar.part(&part)?;
            read_sheet(ctx, reader, &styles, &sst, date1904, sink)
        };
        match outcome {
            Ok(ControlFlow::Continue(())) => sink.end_sheet(),
            Ok(ControlFlow::Break(())) => {
                sink.end_sheet();
                return Ok(());
            }
            Err(SheetErr::Xml(detail)) => return Err(ar.error(&part, detail)),
            Err(SheetErr::Sheet(e)) => return Err(e),
        }
    }
    Ok(())
}

struct Rel {
    id: String,
    kind: String,
    target: String,
}

fn parse_rels(xml: &str) -> Vec<Rel> {
    let mut out = Vec::new();
    let mut r = Reader::from_str(xml);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == b"Relationship" => {
                let get = |k: &[u8]| attr_value(&e, k).map(|v| String::from_utf8_lossy(&v).into_owned()).unwrap_or_default();
                out.push(Rel { id: get(b"Id"), kind: get(b"Type"), target: get(b"Target") });
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// A relationship target of the workbook, as a part name.
fn resolve_target(target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = vec!["xl"];
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn parse_workbook(xml: &str, rels: &[Rel]) -> (Vec<SheetRef>, bool) {
    let mut sheets = Vec::new();
    let mut date1904 = false;
    let mut r = Reader::from_str(xml);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"workbookPr" => {
                    if let Some(v) = attr_value(&e, b"date1904") {
                        date1904 = matches!(v.as_ref(), b"1" | b"true");
                    }
                }
                b"sheet" => {
                    let name = e
                        .attributes()
                        .with_checks(false)
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == b"name")
                        .and_then(|a| a.unescape_value().ok().map(Cow::into_owned))
                        .unwrap_or_default();
                    // The relationship id attribute is r:id (namespaced); match on "id" local name
                    // but not sheetId.
                    let id = e
                        .attributes()
                        .with_checks(false)
                        .flatten()
                        .find(|a| a.key.as_ref().ends_with(b":id") || a.key.as_ref() == b"id")
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                        .unwrap_or_default();
                    if let Some(rel) = rels.iter().find(|x| x.id == id) {
                        if rel.kind.ends_with("/worksheet") {
                            sheets.push(SheetRef { name, part: resolve_target(&rel.target) });
                        }
                    } else if rels.is_empty() {
                        let n = sheets.len() + 1;
                        sheets.push(SheetRef { name, part: format!("xl/worksheets/sheet{n}.xml") });
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    (sheets, date1904)
}

fn parse_styles(xml: &str) -> Vec<StyleKind> {
    let mut custom: Vec<(u32, String)> = Vec::new();
    let mut xfs_ids: Vec<u32> = Vec::new();
    let mut in_cell_xfs = false;
    let mut r = Reader::from_str(xml);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"numFmt" => {
                    let id = attr_value(&e, b"numFmtId").and_then(|v| std::str::from_utf8(&v).ok()?.parse().ok());
                    let code = e
                        .attributes()
                        .with_checks(false)
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == b"formatCode")
                        .and_then(|a| a.unescape_value().ok().map(Cow::into_owned));
                    if let (Some(id), Some(code)) = (id, code) {
                        custom.push((id, code));
                    }
                }
                b"cellXfs" => in_cell_xfs = true,
                b"xf" if in_cell_xfs => {
                    let id = attr_value(&e, b"numFmtId").and_then(|v| std::str::from_utf8(&v).ok()?.parse().ok());
                    xfs_ids.push(id.unwrap_or(0));
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == b"cellXfs" => in_cell_xfs = false,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    xfs_ids
        .into_iter()
        .map(|id| match custom.iter().find(|(c, _)| *c == id) {
            Some((_, code)) => classify_format(code),
            None => builtin_kind(id),
        })
        .collect()
}

fn builtin_kind(id: u32) -> StyleKind {
    match id {
        9 | 10 => StyleKind::Percent,
        5..=8 | 41..=44 => StyleKind::Currency,
        14..=17 | 22 | 27..=36 | 50..=58 => StyleKind::Date,
        _ => StyleKind::General,
    }
}

/// Reads a custom number format: date tokens outside quotes and brackets make a date; '%' a
/// percent; a currency word or `[$...]` an amount. Time-only formats stay numbers.
fn classify_format(code: &str) -> StyleKind {
    let section = code.split(';').next().unwrap_or(code);
    let lower = code.to_lowercase();
    let mut plain = String::new();
    let mut chars = section.chars().peekable();
    let mut bracket_currency = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let mut inner = String::new();
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                    inner.push(q);
                }
                if inner.starts_with('$') && inner.len() > 1 && !inner[1..].starts_with('-') {
                    bracket_currency = true;
                }
            }
            c => plain.push(c.to_ascii_lowercase()),
        }
    }
    if plain.contains('%') {
        return StyleKind::Percent;
    }
    if plain.contains('y') || plain.contains('d') || (plain.contains('m') && !plain.contains('h') && !plain.contains('s') && !plain.contains('0') && !plain.contains('#')) {
        return StyleKind::Date;
    }
    if bracket_currency
        || ["dh", "mad", "درهم", "€", "$", "eur", "د.م"].iter().any(|c| lower.contains(c))
    {
        return StyleKind::Currency;
    }
    StyleKind::General
}

/// Decodes the `_xHHHH_` escapes OOXML uses for control characters in strings.
fn decode_ooxml_escapes(s: &str) -> Cow<'_, str> {
    if !s.contains("_x") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let b = tail.as_bytes();
        if b.len() >= 7 && b[6] == b'_' && b[2..6].iter().all(u8::is_ascii_hexdigit) {
            if let Some(c) = u32::from_str_radix(&tail[2..6], 16).ok().and_then(char::from_u32) {
                out.push(c);
                rest = &tail[7..];
                continue;
            }
        }
        out.push_str("_x");
        rest = &tail[2..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn text_of<'a>(t: &'a quick_xml::events::BytesText<'a>) -> Cow<'a, str> {
    match t.unescape() {
        Ok(s) => s,
        // An entity XML does not define (&nbsp; from a hand-made file): keep the raw text.
        Err(_) => String::from_utf8_lossy(t.as_ref()).into_owned().into(),
    }
}

fn parse_shared_strings(r: impl std::io::Read) -> std::result::Result<SharedStrings, String> {
    let mut sst = SharedStrings::default();
    let mut reader = Reader::from_reader(BufReader::with_capacity(1 << 16, r));
    reader.config_mut().trim_text(false);
    let mut buf = Vec::with_capacity(4096);
    let mut in_si = false;
    let mut in_t = false;
    let mut skip = 0u32; // inside <rPh> (phonetic runs) or <phoneticPr>
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        match ev {
            Event::Start(e) => match e.local_name().as_ref() {
                b"si" => in_si = true,
                b"t" if in_si && skip == 0 => in_t = true,
                b"rPh" => skip += 1,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"si" => {
                    in_si = false;
                    sst.ends.push(sst.text.len());
                }
                b"t" => in_t = false,
                b"rPh" => skip = skip.saturating_sub(1),
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == b"si" => sst.ends.push(sst.text.len()),
            Event::Text(t) if in_t => {
                let s = text_of(&t);
                sst.text.push_str(&decode_ooxml_escapes(&s));
            }
            Event::CData(t) if in_t => sst.text.push_str(&String::from_utf8_lossy(&t)),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(sst)
}

enum SheetErr {
    Xml(String),
    Sheet(crate::error::SheetError),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CellType {
    Number,
    Shared,
    Inline,
    Str,
    Bool,
    Error,
    IsoDate,
}

fn parse_col(r: &[u8]) -> Option<u32> {
    let mut col: u32 = 0;
    let mut n = 0;
    for &c in r {
        if c.is_ascii_alphabetic() {
            col = col * 26 + (c.to_ascii_uppercase() - b'A') as u32 + 1;
            n += 1;
            if n > 3 {
                return None;
            }
        } else {
            break;
        }
    }
    if n == 0 {
        None
    } else {
        Some(col - 1)
    }
}

fn parse_u32(b: &[u8]) -> Option<u32> {
    if b.is_empty() {
        return None;
    }
    let mut v: u32 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u32)?;
    }
    Some(v)
}

/// The attributes of a `<c>` element this reader uses: column, style, type.
fn cell_attrs(raw: &[u8], next_col: u32) -> (u32, u32, CellType) {
    let mut col = next_col;
    let mut style = 0;
    let mut typ = CellType::Number;
    for (k, v) in scan::attrs(raw) {
        match k {
            b"r" => {
                if let Some(c) = parse_col(v) {
                    col = c;
                }
            }
            b"s" => style = parse_u32(v).unwrap_or(0),
            b"t" => {
                typ = match v {
                    b"s" => CellType::Shared,
                    b"inlineStr" => CellType::Inline,
                    b"str" => CellType::Str,
                    b"b" => CellType::Bool,
                    b"e" => CellType::Error,
                    b"d" => CellType::IsoDate,
                    _ => CellType::Number,
                }
            }
            _ => {}
        }
    }
    (col, style, typ)
}

/// Whether `inner` holds a `<name ...>` or `<name/>` element.
fn has_tag(inner: &[u8], name: &[u8]) -> bool {
    let mut rest = inner;
    while let Some(i) = memchr::memchr(b'<', rest) {
        let tag = &rest[i + 1..];
        if tag.starts_with(name) && matches!(tag.get(name.len()), Some(b'>' | b' ' | b'/')) {
            return true;
        }
        rest = tag;
    }
    false
}

/// The raw text of the first `<name>...</name>` element of `inner`.
fn element_text<'a>(inner: &'a [u8], name: &[u8], close: &scan::Finder<'_>) -> Option<&'a [u8]> {
    let mut rest = inner;
    while let Some(i) = memchr::memchr(b'<', rest) {
        let tag = &rest[i + 1..];
        if tag.starts_with(name) && matches!(tag.get(name.len()), Some(b'>' | b' ')) {
            let open_end = memchr::memchr(b'>', tag)?;
            let body = &tag[open_end + 1..];
            let j = close.find(body)?;
            return Some(&body[..j]);
        }
        rest = tag;
    }
    None
}

fn read_sheet(
    ctx: &Ctx<'_>,
    r: impl std::io::Read,
    styles: &[StyleKind],
    sst: &SharedStrings,
    date1904: bool,
    sink: &mut dyn RowSink,
) -> std::result::Result<ControlFlow<()>, SheetErr> {
    let mut scanner = Scanner::new(r);
    let close_c = scan::Finder::new(b"</c>");
    let close_v = scan::Finder::new(b"</v>");
    let mut row = RowBuf::new();
    let mut merges: Vec<CellRange> = Vec::new();
    let mut row_idx: u32 = 0;
    let mut next_row: u32 = 0;
    let mut next_col: u32 = 0;
    let mut in_row = false;
    // The cell being read.
    let mut col = 0u32;
    let mut style = 0u32;
    let mut typ = CellType::Number;
    let mut has_formula = false;
    let mut in_value = false; // inside <v>
    let mut in_inline_t = false; // inside <is>...<t>
    let mut in_inline = false;
    let mut skip_rph = 0u32;
    let mut val = String::with_capacity(256);
    let mut rows_seen: u32 = 0;
    while let Some(tok) = scanner.next().map_err(|e| SheetErr::Xml(e.to_string()))? {
        match tok {
            Tok::Start(name, attrs) | Tok::Empty(name, attrs) => {
                let empty = matches!(tok, Tok::Empty(..));
                match scan::local(name) {
                    b"c" if in_row => {
                        (col, style, typ) = cell_attrs(attrs, next_col);
                        next_col = col + 1;
                        has_formula = false;
                        val.clear();
                        // An empty <c/> is a styled blank cell: nothing to deliver. An unprefixed
                        // <c>...</c> is read in one step (its <v>, <f>, <is> directly).
                        if !empty && name == b"c" {
                            let inner = scanner.take_until(&close_c).map_err(|e| SheetErr::Xml(e.to_string()))?;
                            let Some(inner) = inner else { break };
                            has_formula = has_tag(inner, b"f");
                            if typ == CellType::Inline {
                                scan::t_text(inner, &mut val);
                            } else if let Some(v) = element_text(inner, b"v", &close_v) {
                                if matches!(typ, CellType::Str) {
                                    scan::unescape_into(v, &mut val);
                                } else {
                                    val.push_str(std::str::from_utf8(v).unwrap_or(""));
                                }
                            }
                            if val.contains("_x") {
                                let decoded = decode_ooxml_escapes(&val).into_owned();
                                val = decoded;
                            }
                            finish_cell(&mut row, col, style, typ, has_formula, &val, styles, sst, date1904);
                        }
                    }
                    b"v" if in_row && !empty => in_value = true,
                    b"f" if in_row => has_formula = true,
                    b"is" if in_row && !empty => in_inline = true,
                    b"t" if in_inline && skip_rph == 0 && !empty => in_inline_t = true,
                    b"rPh" if !empty => skip_rph += 1,
                    b"row" => {
                        row_idx = scan::attr(attrs, b"r").and_then(parse_u32).map_or(next_row, |r| r.saturating_sub(1));
                        next_row = row_idx + 1;
                        next_col = 0;
                        row.clear();
                        in_row = !empty;
                    }
                    b"mergeCell" => {
                        if let Some(range) = scan::attr(attrs, b"ref").and_then(|v| CellRange::parse(std::str::from_utf8(v).ok()?)) {
                            merges.push(range);
                        }
                    }
                    _ => {}
                }
            }
            Tok::Text(t) if in_value || in_inline_t => {
                if in_value && !matches!(typ, CellType::Inline | CellType::Str) {
                    // Numbers, indexes, booleans, error literals: plain ASCII, no entities.
                    val.push_str(std::str::from_utf8(t).unwrap_or(""));
                } else if t.contains(&b'_') {
                    let mut s = String::new();
                    scan::unescape_into(t, &mut s);
                    val.push_str(&decode_ooxml_escapes(&s));
                } else {
                    scan::unescape_into(t, &mut val);
                }
            }
            Tok::CData(t) if in_value || in_inline_t => val.push_str(&String::from_utf8_lossy(t)),
            Tok::End(name) => match scan::local(name) {
                b"v" => in_value = false,
                b"t" => in_inline_t = false,
                b"is" => in_inline = false,
                b"rPh" => skip_rph = skip_rph.saturating_sub(1),
                b"c" if in_row => finish_cell(&mut row, col, style, typ, has_formula, &val, styles, sst, date1904),
                b"row" if in_row => {
                    in_row = false;
                    rows_seen += 1;
                    if rows_seen.is_multiple_of(512) || row_idx >= ctx.limits.max_rows {
                        ctx.check(row_idx).map_err(SheetErr::Sheet)?;
                    }
                    if !row.cols.is_empty() {
                        let dense = row.dense(sst, ctx.limits.max_columns);
                        if sink.row(row_idx, &dense).is_break() {
                            return Ok(ControlFlow::Break(()));
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    if !merges.is_empty() {
        sink.merged(&merges);
    }
    Ok(ControlFlow::Continue(()))
}

#[allow(clippy::too_many_arguments)]
fn finish_cell(
    row: &mut RowBuf,
    col: u32,
    style: u32,
    typ: CellType,
    has_formula: bool,
    val: &str,
    styles: &[StyleKind],
    sst: &SharedStrings,
    date1904: bool,
) {
    let plain = |p: CellNoText| RawCell::Plain(p);
    match typ {
        CellType::Shared => {
            if let Some(i) = parse_u32(val.trim().as_bytes()) {
                if (i as usize) < sst.len() {
                    row.push(col, RawCell::Shared(i));
                }
            }
        }
        CellType::Inline | CellType::Str => {
            if !val.is_empty() {
                row.push_text(col, val);
            } else if has_formula && typ == CellType::Str {
                // A formula returning "": blank, like Excel shows it.
            }
        }
        CellType::Bool => row.push(col, plain(CellNoText::Bool(matches!(val.trim(), "1" | "true" | "TRUE")))),
        CellType::Error => row.push(col, plain(CellNoText::Error(CellError::parse(val).unwrap_or(CellError::Other)))),
        CellType::IsoDate => match crate::cell::serial_from_iso(val) {
            Some(d) => row.push(col, plain(CellNoText::Date(d))),
            None if !val.is_empty() => row.push_text(col, val),
            None => {}
        },
        CellType::Number => {
            let v = val.trim();
            if v.is_empty() {
                if has_formula {
                    row.push(col, plain(CellNoText::NoValue));
                }
                return;
            }
            match crate::value::xml_number(v.as_bytes()).ok_or(()) {
                Ok(x) => {
                    let kind = styles.get(style as usize).copied().unwrap_or(StyleKind::General);
                    let cell = match kind {
                        StyleKind::Date => CellNoText::Date(if date1904 { x + DATE1904_OFFSET } else { x }),
                        StyleKind::Percent => CellNoText::Number(x, NumFormat::Percent),
                        StyleKind::Currency => CellNoText::Number(x, NumFormat::Currency),
                        StyleKind::General => CellNoText::Number(x, NumFormat::Plain),
                    };
                    row.push(col, plain(cell));
                }
                Err(_) => row.push_text(col, v),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(classify_format("yyyy-mm-dd"), StyleKind::Date);
        assert_eq!(classify_format("dd/mm/yyyy\\ hh:mm"), StyleKind::Date);
        assert_eq!(classify_format("0.0%"), StyleKind::Percent);
        assert_eq!(classify_format("#,##0.00\\ \"DH\""), StyleKind::Currency);
        assert_eq!(classify_format("#,##0.00 [$MAD]"), StyleKind::Currency);
        assert_eq!(classify_format("[$-40C]d mmmm yyyy"), StyleKind::Date);
        assert_eq!(classify_format("#,##0.00"), StyleKind::General);
        assert_eq!(classify_format("h:mm:ss"), StyleKind::General);
        assert_eq!(classify_format("\"d\"0"), StyleKind::General);
        assert_eq!(builtin_kind(14), StyleKind::Date);
        assert_eq!(builtin_kind(10), StyleKind::Percent);
    }

    #[test]
    fn targets_and_escapes() {
        assert_eq!(resolve_target("worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve_target("/xl/worksheets/sheet2.xml"), "xl/worksheets/sheet2.xml");
        assert_eq!(resolve_target("../xl/worksheets/s.xml"), "xl/worksheets/s.xml");
        assert_eq!(decode_ooxml_escapes("a_x000D_b"), "a\rb");
        assert_eq!(decode_ooxml_escapes("file_x_name"), "file_x_name");
        assert_eq!(parse_col(b"XFD1"), Some(16383));
        assert_eq!(parse_col(b"12"), None);
    }
}
