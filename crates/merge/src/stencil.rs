//! The exact merge's fast path: a letter's .docx is built once by the same export as a single
//! letter, with a unique marker (a "sentinel") in place of each value that varies from row to
//! row; every row is then that document with the markers replaced by the row's values (XML
//! escaped as docx-rs escapes). Laying a letter out costs milliseconds; a substitution costs
//! microseconds, which is what makes 10,000 letters a matter of seconds.
//!
//! The result must be byte for byte the document a single export of that row writes, so the
//! marker must go through the export exactly as the value does. The export transforms text in
//! ways that depend on it: the frame splits addressee lines, prefixes "N°" to a number that starts
//! with a digit, folds spaces; Markdown reads the body (values are escaped, so it reads them as
//! text, but a bare number of up to 9 digits at a line start may still open a list); in an Arabic
//! letter the bidi pass marks stretches that start with a digit and hold Latin letters or grouped
//! digits, and runs holding Arabic letters are marked right-to-left. So a value takes a marker
//! only when it is "inert": one line, no double or edge spaces, starting and ending with a letter
//! or digit, no control or direction characters, wholly Arabic or wholly not; and the marker is
//! built of the same class: Arabic letters for Arabic values, and for the others the same first
//! and last character kind (digit or not), Latin letters iff the value has some, digits grouped by
//! a space iff the value has grouped digits. Any other value is written into the document as it
//! is, and is part of the document's "shape": rows of the same shape share one built document.
//!
//! Which fields take markers: those that fill the N°, Réf., Objet, addressee and sender lines of
//! the frame, and the merge fields of the body. Every other field (date, place, signatory,
//! copies...) is part of the shape (they are usually the same for every letter).
//!
//! Each built document is checked once against a full export of the first row that uses it (all
//! parts compared); a shape whose check fails, and any letter filled into the administration's own
//! Word letterhead, goes through the full export instead: slower, never different.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read, Write};
use std::sync::Arc;

use katib_core::export::{self, Format};
use katib_core::run::{export_doc, ExportOptions, Resolved, Workbench};
use katib_core::templates::{FieldType, Part, Template};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::error::{MergeError, Result};
use crate::plan::Merge;

/// The parts of the frame whose fields take markers.
const SLOT_PARTS: [Part; 5] = [Part::Reference, Part::Ref, Part::Objet, Part::Destinataire, Part::Expediteur];

/// What kind of text a value is, as far as the export can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Class {
    Arabic,
    Other { starts_digit: bool, ends_digit: bool, letters: bool, grouped: bool },
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

fn is_sep(c: char) -> bool {
    matches!(c, ' ' | '\u{00A0}' | '\u{202F}' | '-' | '\u{2013}')
}

/// The class of an inert value, or None when the value must be written as it is. `list_risk`:
/// the value opens a line of the body and a "." or ")" follows it, where a bare number of up to 9
/// digits would open a numbered list.
fn class(v: &str, list_risk: bool) -> Option<Class> {
    let first = v.chars().next()?;
    let last = v.chars().next_back()?;
    if !first.is_alphanumeric() || !last.is_alphanumeric() {
        return None;
    }
    let mut prev_space = false;
    let (mut arabic, mut latin, mut ascii_digits) = (false, false, false);
    for c in v.chars() {
        if c.is_whitespace() {
            if c != ' ' || prev_space {
                return None;
            }
            prev_space = true;
            continue;
        }
        prev_space = false;
        if c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '{' | '}') {
            return None;
        }
        if is_arabic(c) {
            arabic = true;
        } else if c.is_ascii_digit() {
            ascii_digits = true;
        } else if c.is_alphabetic() {
            latin = true;
        } else if c.is_alphanumeric() {
            // Other digits (superscripts, other scripts' numerals): no marker imitates them.
            return None;
        }
    }
    if arabic {
        // Wholly Arabic: no Latin letter, no ASCII digit, Arabic at both ends.
        return (!latin && !ascii_digits && is_arabic(first) && is_arabic(last)).then_some(Class::Arabic);
    }
    let chars: Vec<char> = v.chars().collect();
    let grouped = chars.windows(3).any(|w| w[0].is_ascii_digit() && is_sep(w[1]) && w[2].is_ascii_digit());
    // A bare number of up to 9 digits at a line start followed by "." opens a list: no marker
    // there (10 digits and more never do, and a marker has more).
    if list_risk && chars.iter().all(char::is_ascii_digit) && chars.len() <= 9 {
        return None;
    }
    Some(Class::Other { starts_digit: first.is_ascii_digit(), ends_digit: last.is_ascii_digit(), letters: latin, grouped })
}

/// Whether the merge field at `span` of `text` may open a numbered list: only list or quote
/// markers and spaces before it on its line, and "." or ")" right after it.
fn list_risk(text: &str, span: std::ops::Range<usize>) -> bool {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..span.start];
    let opens = before.chars().all(|c| c.is_whitespace() || c.is_ascii_digit() || matches!(c, '>' | '-' | '*' | '+' | '.' | ')'));
    opens && text[span.end..].starts_with(['.', ')'])
}

/// The marker of slot `j` for a value of class `c`.
fn sentinel(j: usize, c: Class) -> String {
    match c {
        Class::Arabic => {
            // Letters of the Arabic Extended-A block, almost never in an administrative text.
            let digits: String = format!("{j:04}").chars().map(|d| char::from_u32(0x08A0 + d.to_digit(10).unwrap_or(0)).unwrap_or('\u{08A0}')).collect();
            format!("\u{08AA}\u{08AB}\u{08AA}{digits}\u{08AB}")
        }
        Class::Other { starts_digit, ends_digit, letters, grouped } => {
            let mut s = String::from(if starts_digit { "9" } else { "Q" });
            if letters {
                let code: String = format!("{j:04}").chars().map(|d| (b'A' + d.to_digit(10).unwrap_or(0) as u8) as char).collect();
                s.push_str("XKZQ");
                s.push_str(&code);
                s.push_str("QZKX");
            } else {
                s.push_str(&format!("30141592{j:04}"));
            }
            if grouped {
                s.push_str("0 0");
            }
            s.push(if ends_digit { '9' } else { 'Q' });
            s
        }
    }
}

/// A piece of a shape: text written as it is, or a marker of this class.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Item {
    Lit(String),
    Slot(Class),
    /// Between fields and lines.
    Sep,
}

/// One letter taken apart: its shape, its values in marker order, and the inputs of the export
/// with markers in place.
struct Parts {
    shape: Vec<Item>,
    slots: Vec<String>,
    marked_values: BTreeMap<String, String>,
    marked_body: String,
}

/// A built document with its markers located.
struct Stencil {
    /// The package, to copy its other parts from.
    archive: ZipArchive<Cursor<Arc<[u8]>>>,
    /// document.xml in pieces: text, and where each slot's value goes.
    doc: Vec<Seg>,
}

enum Seg {
    Lit(String),
    Slot(usize),
}

/// How letters were built, for the report.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Stats {
    /// Documents laid out once and filled by substitution.
    pub stencils: usize,
    /// Letters filled by substitution.
    pub filled: usize,
    /// Letters exported in full (a value no marker imitates, or a Word letterhead).
    pub full: usize,
    /// Built documents whose check against a full export failed (then exported in full).
    pub rejected: usize,
}

/// docx-rs's escaping of text (`escape::escape`), which the substitution must match.
fn escape_xml(text: &str, out: &mut String) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => {}
            _ => out.push(ch),
        }
    }
}

/// Builds the letters of a draft-mode merge.
pub struct Letters<'a> {
    wb: &'a Workbench,
    merge: &'a Merge,
    opts: ExportOptions,
    cache: HashMap<Vec<Item>, Option<Arc<Stencil>>>,
    /// Fields whose frame part takes markers.
    slot_fields: Vec<String>,
    pub stats: Stats,
}

/// Most shapes kept: a merge whose every row has its own shape gains nothing from more.
const MAX_SHAPES: usize = 512;

impl<'a> Letters<'a> {
    /// Letters laid out by Katib (a letter filled into a Word letterhead is exported in full by
    /// the caller).
    pub fn new(wb: &'a Workbench, merge: &'a Merge, opts: ExportOptions) -> Letters<'a> {
        let tpl: &Template = &merge.template;
        let slot_fields = SLOT_PARTS
            .iter()
            .filter_map(|p| tpl.part_field(*p))
            .filter(|f| tpl.field(f).is_some_and(|x| matches!(x.kind, FieldType::Text | FieldType::Textarea)))
            .map(str::to_string)
            .collect();
        Letters { wb, merge, opts, cache: HashMap::new(), slot_fields, stats: Stats::default() }
    }

    /// The letter's resolved values (with its register number), and its body.
    fn take_apart(&self, i: usize, values: &BTreeMap<String, String>) -> Parts {
        let m = self.merge;
        let mut shape = Vec::new();
        let mut slots = Vec::new();
        let mut marked_values = BTreeMap::new();
        let mark = |v: &str, risk: bool, shape: &mut Vec<Item>, slots: &mut Vec<String>| -> String {
            match class(v, risk) {
                Some(c) => {
                    let s = sentinel(slots.len(), c);
                    shape.push(Item::Slot(c));
                    slots.push(v.to_string());
                    s
                }
                None => {
                    shape.push(Item::Lit(v.to_string()));
                    v.to_string()
                }
            }
        };
        for (field, value) in values {
            shape.push(Item::Sep);
            shape.push(Item::Lit(field.clone()));
            if self.slot_fields.contains(field) {
                // Line by line, as the frame reads these parts; empty lines are dropped there too.
                let lines: Vec<String> = value.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| mark(l, false, &mut shape, &mut slots)).collect();
                marked_values.insert(field.clone(), lines.join("\n"));
            } else {
                shape.push(Item::Lit(value.clone()));
                marked_values.insert(field.clone(), value.clone());
            }
        }
        shape.push(Item::Sep);
        let mut marked_body = String::new();
        if let Some(d) = &m.draft {
            let l = &m.letters[i];
            let row = &m.table.rows[l.index];
            let mut at = 0;
            for (span, slot) in &d.uses {
                marked_body.push_str(&d.text[at..span.start]);
                let v = crate::draft::slot_text(slot, &m.template, &m.table, row, values, m.language);
                let marked = mark(&v, list_risk(&d.text, span.clone()), &mut shape, &mut slots);
                marked_body.push_str(&crate::text::escape_markdown(&marked));
                at = span.end;
            }
            marked_body.push_str(&d.text[at..]);
        }
        Parts { shape, slots, marked_values, marked_body }
    }

    fn resolved(&self, i: usize, values: BTreeMap<String, String>) -> Resolved {
        let r = &self.merge.letters[i].resolved;
        Resolved { template: r.template.clone(), language: r.language, values, files: r.files.clone(), mapping: r.mapping.clone() }
    }

    /// The full export of letter `i` with these values: the reference every fill must equal.
    fn full(&self, i: usize, values: &BTreeMap<String, String>) -> Result<Vec<u8>> {
        let body = self.merge.body(i, values).unwrap_or_default();
        let r = self.resolved(i, values.clone());
        let doc = export_doc(&self.merge.template, &r, &body, &self.wb.settings, &self.opts);
        Ok(export::render(&doc, Format::Docx)?)
    }

    /// Lays out the document of a shape with its markers, and locates them.
    fn build(&self, i: usize, parts: &Parts) -> Result<Option<Stencil>> {
        let r = self.resolved(i, parts.marked_values.clone());
        let doc = export_doc(&self.merge.template, &r, &parts.marked_body, &self.wb.settings, &self.opts);
        let bytes: Arc<[u8]> = export::render(&doc, Format::Docx)?.into();
        let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| MergeError::Docx(e.to_string()))?;
        let xml = read_part(&mut archive, "word/document.xml")?;
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        for j in 0..parts.slots.len() {
            let Some(Item::Slot(c)) = parts.shape.iter().filter(|x| matches!(x, Item::Slot(_))).nth(j) else { continue };
            let s = sentinel(j, *c);
            // A marker that the letter's own text holds cannot be told apart: no stencil.
            if parts.shape.iter().any(|x| matches!(x, Item::Lit(l) if l.contains(&s))) || self.merge.draft.as_ref().is_some_and(|d| d.text.contains(&s)) {
                return Ok(None);
            }
            hits.extend(xml.match_indices(&s).map(|(at, _)| (at, s.len(), j)));
        }
        hits.sort();
        if hits.windows(2).any(|w| w[0].0 + w[0].1 > w[1].0) {
            return Ok(None);
        }
        let mut doc = Vec::with_capacity(hits.len() * 2 + 1);
        let mut at = 0;
        for (pos, len, j) in hits {
            doc.push(Seg::Lit(xml[at..pos].to_string()));
            doc.push(Seg::Slot(j));
            at = pos + len;
        }
        doc.push(Seg::Lit(xml[at..].to_string()));
        Ok(Some(Stencil { archive, doc }))
    }

    /// The document.xml of a stencil filled with `slots`.
    fn fill_xml(st: &Stencil, slots: &[String]) -> String {
        let mut out = String::with_capacity(st.doc.iter().map(|s| if let Seg::Lit(l) = s { l.len() } else { 32 }).sum());
        for s in &st.doc {
            match s {
                Seg::Lit(l) => out.push_str(l),
                Seg::Slot(j) => escape_xml(&slots[*j], &mut out),
            }
        }
        out
    }

    /// Packs a filled document.xml with the stencil's other parts, copied as they are.
    fn pack(st: &Stencil, xml: &str) -> Result<Vec<u8>> {
        let mut a = st.archive.clone();
        let mut w = ZipWriter::new(Cursor::new(Vec::with_capacity(xml.len() / 3 + 16 * 1024)));
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).compression_level(Some(1));
        let err = |e: zip::result::ZipError| MergeError::Docx(e.to_string());
        for k in 0..a.len() {
            let name = a.name_for_index(k).unwrap_or_default().to_string();
            if name == "word/document.xml" {
                w.start_file(name, opts).map_err(err)?;
                w.write_all(xml.as_bytes()).map_err(|e| MergeError::Docx(e.to_string()))?;
            } else {
                let f = a.by_index_raw(k).map_err(err)?;
                w.raw_copy_file(f).map_err(err)?;
            }
        }
        Ok(w.finish().map_err(err)?.into_inner())
    }

    /// Letter `i` with these values (its register number in them): its .docx bytes.
    pub fn letter(&mut self, i: usize, values: &BTreeMap<String, String>) -> Result<Vec<u8>> {
        let parts = self.take_apart(i, values);
        let known = self.cache.get(&parts.shape).cloned();
        let st = match known {
            Some(Some(st)) => st,
            Some(None) => {
                self.stats.full += 1;
                return self.full(i, values);
            }
            None if self.cache.len() >= MAX_SHAPES => {
                self.stats.full += 1;
                return self.full(i, values);
            }
            None => {
                let built = self.build(i, &parts)?;
                let full = self.full(i, values)?;
                let checked = match built {
                    Some(st) => {
                        let filled = Letters::pack(&st, &Letters::fill_xml(&st, &parts.slots))?;
                        same_parts(&filled, &full)?.then_some(Arc::new(st))
                    }
                    None => None,
                };
                if checked.is_none() {
                    self.stats.rejected += 1;
                }
                self.stats.stencils += checked.is_some() as usize;
                self.cache.insert(parts.shape, checked);
                self.stats.full += 1;
                return Ok(full);
            }
        };
        self.stats.filled += 1;
        Letters::pack(&st, &Letters::fill_xml(&st, &parts.slots))
    }

}

fn read_part(a: &mut ZipArchive<Cursor<Arc<[u8]>>>, name: &str) -> Result<String> {
    let mut f = a.by_name(name).map_err(|e| MergeError::Docx(format!("{name}: {e}")))?;
    let mut s = String::new();
    f.read_to_string(&mut s).map_err(|e| MergeError::Docx(format!("{name}: {e}")))?;
    Ok(s)
}

/// docx-rs numbers pictures from a process-wide counter (`rIdImage7`, `media/rIdImage7.png`):
/// two exports of the same letter differ by those numbers alone. Each is renumbered by rank.
fn image_numbers(texts: &[&str]) -> BTreeMap<u64, u64> {
    let mut seen = std::collections::BTreeSet::new();
    for t in texts {
        for (at, _) in t.match_indices("rIdImage") {
            let digits: String = t[at + 8..].chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse::<u64>() {
                seen.insert(n);
            }
        }
    }
    seen.into_iter().enumerate().map(|(k, n)| (n, k as u64 + 1)).collect()
}

fn renumber(text: &str, map: &BTreeMap<u64, u64>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("rIdImage") {
        out.push_str(&rest[..at + 8]);
        let tail = &rest[at + 8..];
        let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
        match digits.parse::<u64>().ok().and_then(|n| map.get(&n)) {
            Some(k) => out.push_str(&k.to_string()),
            None => out.push_str(&digits),
        }
        rest = &tail[digits.len()..];
    }
    out.push_str(rest);
    out
}

/// The parts of a package by name, with picture numbers renumbered by rank.
fn canonical(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut z = ZipArchive::new(Cursor::new(bytes)).map_err(|e| MergeError::Docx(e.to_string()))?;
    let mut raw = Vec::new();
    for k in 0..z.len() {
        let mut f = z.by_index(k).map_err(|e| MergeError::Docx(e.to_string()))?;
        if f.is_dir() {
            continue;
        }
        let mut b = Vec::new();
        f.read_to_end(&mut b).map_err(|e| MergeError::Docx(e.to_string()))?;
        raw.push((f.name().to_string(), b));
    }
    let names: Vec<&str> = raw.iter().map(|(n, _)| n.as_str()).collect();
    let map = image_numbers(&names);
    Ok(raw
        .into_iter()
        .map(|(n, b)| {
            let b = match String::from_utf8(b) {
                Ok(s) if n.ends_with(".xml") || n.ends_with(".rels") => renumber(&s, &map).into_bytes(),
                Ok(s) => s.into_bytes(),
                Err(e) => e.into_bytes(),
            };
            (renumber(&n, &map), b)
        })
        .collect())
}

/// Whether two .docx packages hold the same parts with the same bytes (pictures' numbers
/// aside, which docx-rs draws from a counter: see [`image_numbers`]).
pub fn same_parts(a: &[u8], b: &[u8]) -> Result<bool> {
    Ok(canonical(a)? == canonical(b)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_markers_agree() {
        for v in ["Ahmed Alaoui", "0123/DAG/2026", "1 224 600,50", "M'hamed Aït-Ben Haddou", "1234567890", "Lot 12", "12 rue X", "محمد بنعلي", "جماعة وجدة"] {
            let c = class(v, true).unwrap_or_else(|| panic!("{v} should be inert"));
            let s = sentinel(7, c);
            assert_eq!(class(&s, true), Some(c), "{v} -> {s}");
        }
        for v in ["", " Ahmed", "Ahmed ", "A  B", "Mme.", "(Ahmed)", "12", "123456789", "Lot ٣ 12", "a\tb", "x\u{200F}y", "Ahmed محمد", "حي 12", "{{nom}}"] {
            assert!(class(v, true).is_none(), "{v:?} should be written as it is");
        }
        // A short number takes a marker except where it could open a list.
        assert!(class("1200", false).is_some());
        let t = "Montant : {{m}}.\n{{m}}. Arrêté\n- {{m}}) suite\nfin {{m}}";
        let spans: Vec<_> = crate::text::placeholders(t).into_iter().map(|p| list_risk(t, p.span)).collect();
        assert_eq!(spans, [false, true, true, false]);
    }
}
