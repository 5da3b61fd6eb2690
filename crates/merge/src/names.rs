//! The file name of each letter, from a pattern of columns and fields (`{Nom}-{CIN}`,
//! `{ligne}`), made safe on every system a letter may be copied to: no character Windows
//! refuses (`< > : " / \ | ? *`, control characters), no reserved device name (CON, PRN, AUX,
//! NUL, COM1-9, LPT1-9, with any extension), no trailing dot or space, no leading dot (a hidden
//! file), at most [`MAX_CHARS`] characters, Unicode in its composed form, and no two letters with
//! names that differ only by case (Windows and macOS would see one file).

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::error::{MergeError, Result};
use crate::table::{Row, Table};
use crate::text::fold_key;

/// Longest file name written, extension excluded: well under the 255 of every file system, so
/// a folder path of a reasonable length still fits Windows' 260.
pub const MAX_CHARS: usize = 100;

/// A piece of a name pattern.
#[derive(Clone, Debug, PartialEq, Serialize)]
enum Part {
    Text(String),
    /// The row's number in the sheet, zero-padded to the width of the largest.
    Row,
    /// A field's value for the row (its first line).
    Field(String),
    /// A column's cell (index into the table's columns).
    Column(usize),
}

/// A parsed file name pattern.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NamePattern {
    source: String,
    parts: Vec<Part>,
}

/// Words that name the row number in a pattern.
const ROW_WORDS: [&str; 4] = ["ligne", "row", "n ligne", "السطر"];

impl NamePattern {
    /// Parses `spec`: literal text and `{name}` where name is `ligne`, a template field, or a
    /// column (header or letter). `fields` are the template's field names.
    pub fn parse(spec: &str, table: &Table, fields: &[String]) -> Result<NamePattern> {
        let bad = |reason: String| MergeError::BadNamePattern { pattern: spec.to_string(), reason };
        let mut parts = Vec::new();
        let mut rest = spec;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let close = rest[open..].find('}').ok_or_else(|| bad("a '{' is not closed".into()))? + open;
            let name = rest[open + 1..close].trim();
            let key = fold_key(name);
            let part = if ROW_WORDS.iter().any(|w| fold_key(w) == key) {
                Part::Row
            } else if let Some(f) = fields.iter().find(|f| **f == name || fold_key(f) == key) {
                Part::Field(f.clone())
            } else if let Some(c) = table.find(name)? {
                Part::Column(table.columns.iter().position(|x| x.index == c.index).unwrap_or(0))
            } else {
                return Err(bad(format!("'{name}' is neither 'ligne', a field nor a column (columns: {})", table.headers().join(", "))));
            };
            parts.push(part);
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        // A pattern naming no column ("convocation") is allowed: the letters become
        // "convocation.docx", "convocation (2).docx"...
        Ok(NamePattern { source: spec.to_string(), parts })
    }

    /// The default: the row and the addressee when it comes from the sheet, else the row.
    pub fn default_for(addressee_field: Option<&str>) -> NamePattern {
        let mut parts = vec![Part::Row];
        if let Some(f) = addressee_field {
            parts.push(Part::Text("-".into()));
            parts.push(Part::Field(f.to_string()));
        }
        let source = match addressee_field {
            Some(f) => format!("{{ligne}}-{{{f}}}"),
            None => "{ligne}".into(),
        };
        NamePattern { source, parts }
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The raw name of one letter (not yet made safe). `width`: digits of the row numbers.
    pub fn raw(&self, row: &Row, values: &BTreeMap<String, String>, width: usize) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Row => out.push_str(&format!("{:0width$}", row.number)),
                Part::Field(f) => out.push_str(values.get(f).and_then(|v| v.lines().map(str::trim).find(|l| !l.is_empty())).unwrap_or("")),
                Part::Column(i) => out.push_str(row.values.get(*i).map(|v| v.text()).unwrap_or("")),
            }
        }
        out
    }
}

/// Device names Windows reserves, whatever the extension.
const RESERVED: [&str; 4] = ["CON", "PRN", "AUX", "NUL"];

fn reserved(stem: &str) -> bool {
    let base = stem.split('.').next().unwrap_or("").trim_end().to_uppercase();
    if RESERVED.contains(&base.as_str()) {
        return true;
    }
    let mut chars = base.chars();
    let head: String = chars.by_ref().take(3).collect();
    let tail: Vec<char> = chars.collect();
    (head == "COM" || head == "LPT") && tail.len() == 1 && (tail[0].is_ascii_digit() || matches!(tail[0], '¹' | '²' | '³'))
}

/// `raw` as a file name (no extension) every system accepts.
pub fn safe(raw: &str) -> String {
    let composed: String = raw.nfc().collect();
    let mut out = String::with_capacity(composed.len());
    for c in composed.chars() {
        let c = match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => ' ',
            // Direction marks and other invisible formatting make names that look alike.
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => continue,
            c => c,
        };
        out.push(c);
    }
    let mut name = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.chars().count() > MAX_CHARS {
        name = name.chars().take(MAX_CHARS).collect();
    }
    let name = name.trim_matches(|c: char| c == '.' || c == ' ').to_string();
    let name = if name.is_empty() { "lettre".to_string() } else { name };
    if reserved(&name) {
        // "CON.txt" is as reserved as "CON": the mark goes before the first dot.
        match name.split_once('.') {
            Some((base, rest)) => format!("{}_.{rest}", base.trim_end()),
            None => format!("{name}_"),
        }
    } else {
        name
    }
}

/// Gives each letter a name no other letter (or output of the merge) has, compared as Windows
/// and macOS compare them: case-insensitively, in composed form.
#[derive(Debug, Default)]
pub struct Namer {
    taken: HashSet<String>,
}

impl Namer {
    /// A namer that keeps `reserved` (the merge's own files) free.
    pub fn new(reserved: &[&str]) -> Namer {
        let mut n = Namer::default();
        for r in reserved {
            n.taken.insert(key(r));
        }
        n
    }

    /// `stem.ext`, or `stem (2).ext`, `stem (3).ext`... the first that is free.
    pub fn unique(&mut self, stem: &str, ext: &str) -> String {
        let first = format!("{stem}.{ext}");
        if self.taken.insert(key(&first)) {
            return first;
        }
        (2u32..)
            .map(|i| format!("{stem} ({i}).{ext}"))
            .find(|n| self.taken.insert(key(n)))
            .unwrap_or(first)
    }
}

fn key(name: &str) -> String {
    name.nfc().collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_on_windows() {
        assert_eq!(safe("Alaoui: Ahmed / \"CIN\" <AB123456>?"), "Alaoui_ Ahmed _ _CIN_ _AB123456__");
        assert_eq!(safe("CON"), "CON_");
        assert_eq!(safe("con.txt"), "con_.txt");
        assert_eq!(safe("AUX .lettre"), "AUX_.lettre");
        assert_eq!(safe("COM1"), "COM1_");
        assert_eq!(safe("lpt9"), "lpt9_");
        assert_eq!(safe("COM10"), "COM10");
        assert_eq!(safe("Console"), "Console");
        assert_eq!(safe("  fin. . "), "fin");
        assert_eq!(safe("..\\..\\etc"), "_.._etc");
        assert_eq!(safe("\u{200F}أحمد\tبنعلي\n"), "أحمد بنعلي");
        assert_eq!(safe(""), "lettre");
        assert_eq!(safe("..."), "lettre");
        let long = "é".repeat(300);
        assert_eq!(safe(&long).chars().count(), MAX_CHARS);
        // Decomposed é (e + combining acute) is stored composed.
        assert_eq!(safe("Re\u{301}gion"), "Région");
    }

    #[test]
    fn collisions_differ_only_by_a_number() {
        let mut n = Namer::new(&["publipostage.docx"]);
        assert_eq!(n.unique("Benali", "docx"), "Benali.docx");
        assert_eq!(n.unique("BENALI", "docx"), "BENALI (2).docx");
        assert_eq!(n.unique("benali", "docx"), "benali (3).docx");
        assert_eq!(n.unique("Publipostage", "docx"), "Publipostage (2).docx");
    }
}
