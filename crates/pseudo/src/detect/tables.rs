//! Tables written as text (Markdown `|` tables, `;`- or tab-separated sheets): a column whose
//! header names personal data ("Nom et prénom", "CIN", "Téléphone", "العنوان", "الاسم الكامل") makes
//! each of its cells a value of that kind, down to the end of the table.
//!
//! This is what finds the names in the annex "Liste des destinataires | N° | Nom et prénom |
//! Qualité |" of a letter, where no civility announces them. Sheets the pipeline reads itself
//! come with hints for their personal columns (see `Hints`); this covers tables inside texts.
//!
//! Deliberately not here: guessing a column from its values; a column without a telling header
//! is left to the other detectors.

use super::{prio, Scan};
use crate::fold::digit_value;
use crate::kind::{column_kind, Kind};

/// The cells of a line cut by `sep`, as trimmed byte ranges relative to the text.
fn cells(text: &str, line_start: usize, line: &str, sep: char) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    for part in line.split(sep) {
        let lead = part.len() - part.trim_start().len();
        let trimmed = part.trim();
        let mut s = line_start + at + lead;
        let mut e = s + trimmed.len();
        // CSV quotes around a cell.
        if trimmed.len() >= 2 && trimmed.starts_with('"') && trimmed.ends_with('"') {
            s += 1;
            e -= 1;
        }
        debug_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        out.push((s, e));
        at += part.len() + sep.len_utf8();
    }
    out
}

fn separator(line: &str) -> Option<char> {
    ['|', '\t', ';'].into_iter().find(|c| line.contains(*c))
}

/// A Markdown rule line: "|---|:---:|".
fn is_rule(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '+'))
}

pub(super) fn tables(scan: &mut Scan) {
    let text = scan.doc.text;
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for l in text.split('\n') {
        lines.push((at, l.strip_suffix('\r').unwrap_or(l)));
        at += l.len() + 1;
    }
    let mut n = 0;
    while n < lines.len() {
        let (start, line) = lines[n];
        let Some(sep) = separator(line) else {
            n += 1;
            continue;
        };
        let head = cells(text, start, line, sep);
        let kinds: Vec<Option<Kind>> = head
            .iter()
            .map(|&(s, e)| {
                let cell = &text[s..e];
                let short = cell.chars().count() <= 40 && !cell.chars().any(|c| digit_value(c).is_some());
                if short {
                    column_kind(cell)
                } else {
                    None
                }
            })
            .collect();
        if kinds.iter().all(Option::is_none) {
            n += 1;
            continue;
        }
        let mut r = n + 1;
        if r < lines.len() && is_rule(lines[r].1) {
            r += 1;
        }
        while r < lines.len() && lines[r].1.contains(sep) && !is_rule(lines[r].1) {
            let (rs, row) = lines[r];
            for (j, &(s, e)) in cells(text, rs, row, sep).iter().enumerate() {
                let Some(Some(kind)) = kinds.get(j) else { continue };
                let cell = &text[s..e];
                let digits = cell.chars().any(|c| digit_value(c).is_some());
                let letters = cell.chars().any(char::is_alphabetic);
                let words = cell.split_whitespace().count();
                let (ok, p) = match kind {
                    Kind::Nom => (letters && !digits && words <= 6, prio::NAME),
                    Kind::Adresse => (letters, prio::ADDRESS_BLOCK),
                    Kind::DateNaissance => (digits, prio::BIRTH),
                    _ => (digits, prio::KNOWN_VALUE),
                };
                if ok && s < e {
                    scan.push_bytes(s, e, *kind, p);
                }
            }
            r += 1;
        }
        n = r;
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::hints::Hints;
    use crate::kind::Kind;

    #[test]
    fn personal_columns_of_text_tables() {
        let text = "Annexe\n| N° | Nom et prénom | Qualité |\n|---|---|---|\n| 1 | Abdelhak Bouazzaoui | Premier vice-président |\n| 2 | Salma El Idrissi | Conseillère |\n\nFin.";
        let got: Vec<(Kind, String)> = detect(text, &Hints::new()).into_iter().map(|f| (f.kind, f.text)).collect();
        assert_eq!(got, [(Kind::Nom, "Abdelhak Bouazzaoui".to_string()), (Kind::Nom, "Salma El Idrissi".to_string())]);
        let csv = "الاسم الكامل;العنوان;المبلغ\nمحمد العمراني;زنقة 5، رقم 18;1 200\n";
        let got: Vec<Kind> = detect(csv, &Hints::new()).into_iter().map(|f| f.kind).collect();
        assert_eq!(got, [Kind::Nom, Kind::Adresse]);
    }
}
