//! Katib computes, the model comments: for a template that declares `[sheet]`, the attached
//! sheet is profiled from every row (`katib_sheet`), the prompt receives the computed figures,
//! the model places Katib's tables by name (`[[tableau:NAME]]`, filled by [`FillStep`] as the
//! answer streams), and every number the answer writes is checked against the computed figures
//! ([`check`]).

use std::collections::BTreeMap;
use std::path::Path;

use katib_sheet::{ComputedTable, Figures, NumberCheck, Profile, ProfileOptions, SheetSpec};
use serde::Serialize;

use super::sink::{Sink, Step};
use crate::documents::{DocumentError, Limits};
use crate::Lang;

pub(crate) fn lang(l: Lang) -> katib_sheet::Lang {
    match l {
        Lang::Fr => katib_sheet::Lang::Fr,
        Lang::Ar => katib_sheet::Lang::Ar,
        Lang::En => katib_sheet::Lang::En,
    }
}

/// The reader's limits from the settings' (size, time).
pub(crate) fn limits(l: &Limits) -> katib_sheet::Limits {
    katib_sheet::Limits { max_file_bytes: l.max_bytes, timeout: Some(l.timeout), ..Default::default() }
}

fn error(path: &Path, e: katib_sheet::SheetError) -> DocumentError {
    DocumentError::Sheet { path: path.into(), code: e.code(), detail: e.to_string() }
}

/// Profiles every row of the sheet at `path` with the template's declarations and the roles the
/// user chose.
pub fn profile(path: &Path, spec: &SheetSpec, mapping: &BTreeMap<String, String>, l: &Limits) -> Result<Profile, DocumentError> {
    let opts = ProfileOptions { spec: spec.clone(), mapping: mapping.clone(), limits: limits(l), ..Default::default() };
    katib_sheet::profile_file(path, &opts).map_err(|e| error(path, e))
}

/// A plain profile of every sheet of `path` (`katib sheet profile`).
pub fn profile_plain(path: &Path, sheet: Option<&str>, group_by: &[String], l: &Limits) -> Result<Profile, DocumentError> {
    let opts = ProfileOptions { sheet: sheet.map(str::to_string), group_by: group_by.to_vec(), limits: limits(l), ..Default::default() };
    katib_sheet::profile_file(path, &opts).map_err(|e| error(path, e))
}

/// The most a fact sheet may cost in the prompt, in tokens of a real tokenizer (o200k_base, the
/// encoding of current OpenAI models; others cut text in pieces of about the same size).
pub const FACT_SHEET_TOKENS: usize = 3_000;

/// The number of tokens `text` costs (o200k_base). The tokenizer's tables are loaded once, on the
/// first sheet run.
pub fn count_tokens(text: &str) -> usize {
    static BPE: std::sync::OnceLock<Option<tiktoken_rs::CoreBPE>> = std::sync::OnceLock::new();
    match BPE.get_or_init(|| tiktoken_rs::o200k_base().ok()) {
        Some(bpe) => bpe.encode_with_special_tokens(text).len(),
        // The tables are compiled in: this cannot fail, but if it did, err high (two characters
        // a token) rather than send an oversized prompt.
        None => text.chars().count().div_ceil(2),
    }
}

/// The compact, labelled figures a prompt receives, within [`FACT_SHEET_TOKENS`]: a large sheet
/// lists fewer sample rows, frequent values, groups and rows over a threshold, and only the name
/// and type of the columns that play no role (every total and every role's figures stay; the
/// lists say how many they leave out).
pub fn fact_sheet(p: &Profile, l: Lang) -> String {
    let full = katib_sheet::FactOptions::prompt(lang(l));
    // From the richest to the leanest: what goes first is what the model needs least.
    let steps: [(usize, usize, bool, usize, usize, usize); 8] = [
        (full.samples, full.max_values, false, full.max_groups, full.max_rows, full.cell_chars),
        (1, full.max_values, false, full.max_groups, full.max_rows, full.cell_chars),
        (1, 3, true, full.max_groups, full.max_rows, full.cell_chars),
        (0, 2, true, full.max_groups, full.max_rows, full.cell_chars),
        (0, 2, true, 10, 7, full.cell_chars),
        (0, 1, true, 8, 5, 32),
        (0, 1, true, 6, 4, 26),
        (0, 1, true, 4, 3, 20),
    ];
    let mut text = String::new();
    for (samples, max_values, brief_other_columns, max_groups, max_rows, cell_chars) in steps {
        let o = katib_sheet::FactOptions { samples, max_values, brief_other_columns, max_groups, max_rows, cell_chars, ..full.clone() };
        text = katib_sheet::fact_sheet(p, &o);
        if count_tokens(&text) <= FACT_SHEET_TOKENS {
            break;
        }
    }
    text
}

/// The report of `katib sheet profile`.
pub fn report(p: &Profile, l: Lang) -> String {
    katib_sheet::render_text(p, lang(l))
}

/// Writes Katib's computed tables as formulas over a copy of the data to `out` (.xlsx), for an
/// auditor to re-check in Excel or LibreOffice.
pub fn write_annex(source: &Path, p: &Profile, out: &Path, l: Lang, lim: &Limits) -> Result<(), DocumentError> {
    katib_sheet::write_annex(source, p, out, lang(l), &limits(lim)).map(|_| ()).map_err(|e| error(out, e))
}

/// Katib's tables, by name, in the document's language.
pub fn tables(p: &Profile, l: Lang) -> Vec<ComputedTable> {
    katib_sheet::computed_tables(p, lang(l))
}

/// A number of the answer found in none of Katib's figures.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Flag {
    /// Byte range in the answer.
    pub start: usize,
    pub end: usize,
    /// As written ("1,2 million", "96,0 %").
    pub text: String,
    /// 1-based line of the answer.
    pub line: usize,
    /// "chiffre absent des calculs de Katib", in the answer's language.
    pub message: &'static str,
}

/// The numbers `answer` writes that are in none of the figures computed from `p` nor in what the
/// user typed in the form (`given`: a threshold, an amount from the question are the user's own,
/// not the model's inventions). Dates, article and law numbers, references and list markers are
/// not figures.
pub fn check(answer: &str, p: &Profile, l: Lang, given: &BTreeMap<String, String>) -> Vec<Flag> {
    let mut figures = Figures::from_profile(p);
    for text in given.values() {
        // The same reading as the answer's: "90 %" is 90 points, "1 200 000" a plain figure.
        for n in katib_sheet::check_numbers(text, &Figures::default()).numbers {
            // However the answer writes it again: 90 %, 90 or 0,9.
            if n.percent {
                figures.add(&[n.value], true);
                figures.add(&[n.value, n.value / 100.0], false);
            } else {
                figures.add(&[n.value], false);
                figures.add(&[n.value * 100.0], true);
            }
        }
    }
    let result: NumberCheck = katib_sheet::check_numbers(answer, &figures);
    let message = katib_sheet::unmatched_message(lang(l));
    result
        .unmatched()
        .map(|n| Flag { start: n.span.start, end: n.span.end, text: n.text.clone(), line: n.line, message })
        .collect()
}

/// Fills the model's anchor lines (`[[tableau:NAME]]`) with Katib's tables as the answer
/// streams: only a line that may still be an anchor is held back; any other text passes at once.
pub struct FillStep {
    tables: Vec<ComputedTable>,
    line: String,
    /// The current line is already known not to be an anchor: it passes straight through.
    passing: bool,
}

impl FillStep {
    pub fn new(tables: Vec<ComputedTable>) -> FillStep {
        FillStep { tables, line: String::new(), passing: false }
    }

    fn could_be_anchor(line: &str) -> bool {
        let t = line.trim_start();
        t.is_empty() || t.starts_with("[[") || "[[".starts_with(t)
    }

    fn emit_line(&mut self, next: &mut dyn Sink) {
        let line = std::mem::take(&mut self.line);
        let filled = katib_sheet::fill_anchors(&line, &self.tables);
        next.push(&filled.text);
    }
}

impl Step for FillStep {
    fn push(&mut self, piece: &str, next: &mut dyn Sink) {
        let mut rest = piece;
        while !rest.is_empty() {
            let (chunk, tail, newline) = match rest.find('\n') {
                Some(i) => (&rest[..=i], &rest[i + 1..], true),
                None => (rest, "", false),
            };
            rest = tail;
            if self.passing {
                next.push(chunk);
                self.passing = !newline;
                continue;
            }
            self.line.push_str(chunk);
            if newline {
                self.emit_line(next);
            } else if !FillStep::could_be_anchor(&self.line) {
                // Not an anchor: pass it on now, and the rest of the line as it comes.
                let line = std::mem::take(&mut self.line);
                next.push(&line);
                self.passing = true;
            }
        }
    }

    fn finish(&mut self, next: &mut dyn Sink) {
        if !self.line.is_empty() {
            self.emit_line(next);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> ComputedTable {
        ComputedTable {
            name: "totaux".into(),
            sheet: "S".into(),
            title: "Totaux".into(),
            headers: vec!["A".into(), "B".into()],
            rows: vec![vec![katib_sheet::TableCell::Text("x".into()), katib_sheet::TableCell::Figure("1".into(), 1.0)]],
        }
    }

    fn run(pieces: &[&str]) -> String {
        let mut out = String::new();
        let mut sink = |p: &str| out.push_str(p);
        let mut step = FillStep::new(vec![table()]);
        for p in pieces {
            step.push(p, &mut sink);
        }
        step.finish(&mut sink);
        out
    }

    #[test]
    fn the_users_own_numbers_are_not_flagged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "Service;Engagé\nDT;1200\nDAF;800\n").unwrap();
        let p = katib_sheet::profile_file(&path, &Default::default()).unwrap();
        let answer = "Le total est de 2 000 DH ; au-delà de 90 % (soit 0,9), ou de 350 DH, alerte.";
        let flagged = |given: &BTreeMap<String, String>| check(answer, &p, Lang::Fr, given).into_iter().map(|f| f.text).collect::<Vec<_>>();
        assert_eq!(flagged(&BTreeMap::new()), vec!["90 %", "0,9", "350"]);
        let given = BTreeMap::from([("demande".to_string(), "Alerte au-delà de 90 % ou de 350 DH, au 31/10/2026.".to_string())]);
        assert!(flagged(&given).is_empty(), "{:?}", flagged(&given));
    }

    #[test]
    fn anchors_are_filled_wherever_the_stream_splits_them() {
        let text = "Constat.\n[[tableau:totaux]]\nLe total [[tableau:totaux]] reste.\n";
        let whole = run(&[text]);
        assert!(whole.starts_with("Constat.\n") && whole.contains("| x |"), "{whole}");
        assert!(!whole.lines().any(|l| l.trim() == "[[tableau:totaux]]"), "the anchor line is replaced: {whole}");
        assert!(whole.ends_with("Le total [[tableau:totaux]] reste.\n"), "an anchor inside a line is text: {whole}");
        for i in 1..text.len() {
            if text.is_char_boundary(i) {
                assert_eq!(run(&[&text[..i], &text[i..]]), whole, "split at {i}");
            }
        }
    }
}
