//! Finding the header row of a sheet among its first rows, under title rows ("Budget 2026 –
//! Commune d'Oujda" in A1) and over a second header row ("Crédits" above "ouverts | engagés"),
//! and composing each column's label from the header rows and the merged ranges.
//!
//! Heuristics, stated: the header is the first row at least half as wide as the widest of the
//! first rows, with two or more cells and at least 70 % of them text; the next rows (up to two)
//! are more header when all their cells are text and a column they label holds numbers or dates
//! further down. A blank header cell under or beside a merged range takes that range's text;
//! with no merge information (CSV), a blank cell above a sub-label takes the text of the group
//! label to its left when that label has a sub-label too.

use super::column::Val;
#[cfg(test)]
use crate::cell::Cell;
use crate::cell::{CellError, CellRange, NumFormat};
use crate::value::{parse_text, Parsed};

/// A buffered cell, owning its text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Owned {
    Empty,
    Number(f64, NumFormat),
    Date(f64),
    Text(String),
    Bool(bool),
    Error(CellError),
    NoValue,
}

impl Owned {
    #[cfg(test)]
    pub fn from_cell(c: &Cell<'_>) -> Owned {
        match *c {
            Cell::Empty => Owned::Empty,
            Cell::Number(v, f) => Owned::Number(v, f),
            Cell::Date(d) => Owned::Date(d),
            Cell::Text(t) if t.trim().is_empty() => Owned::Empty,
            Cell::Text(t) => Owned::Text(t.trim().to_string()),
            Cell::Bool(b) => Owned::Bool(b),
            Cell::Error(e) => Owned::Error(e),
            Cell::NoValue => Owned::NoValue,
        }
    }

    pub fn from_val(v: &Val<'_>) -> Owned {
        match *v {
            Val::Number(x, f, _) => Owned::Number(x, f),
            Val::Date(d) => Owned::Date(d),
            Val::Text(t) => Owned::Text(t.to_string()),
            Val::Bool(b) => Owned::Bool(b),
            Val::Error(e) => Owned::Error(e),
            Val::NoValue => Owned::NoValue,
        }
    }

    /// Overwrites `self` with `v`, reusing the text buffer (the "last row" sample, every row).
    pub fn set_from_val(&mut self, v: &Val<'_>) {
        match (&mut *self, v) {
            (Owned::Text(s), Val::Text(t)) => {
                s.clear();
                s.push_str(t);
            }
            _ => *self = Owned::from_val(v),
        }
    }

    pub fn as_val(&self) -> Option<Val<'_>> {
        Some(match self {
            Owned::Empty => return None,
            Owned::Number(v, f) => Val::Number(*v, *f, false),
            Owned::Date(d) => Val::Date(*d),
            Owned::Text(t) => Val::Text(t),
            Owned::Bool(b) => Val::Bool(*b),
            Owned::Error(e) => Val::Error(*e),
            Owned::NoValue => Val::NoValue,
        })
    }

    /// Text that is not a number or a date in disguise.
    pub fn label(&self) -> Option<&str> {
        match self {
            Owned::Text(t) if parse_text(t) == Parsed::Text => Some(t),
            _ => None,
        }
    }

    /// A header cell: text, or a year typed as a number ("2024" over a column of amounts).
    fn header_like(&self) -> bool {
        self.label().is_some() || matches!(self, Owned::Number(v, _) if v.fract() == 0.0 && (1900.0..=2100.0).contains(v))
    }

    fn is_value(&self) -> bool {
        match self {
            Owned::Number(..) | Owned::Date(_) | Owned::Bool(_) => true,
            Owned::Text(t) => parse_text(t) != Parsed::Text,
            _ => false,
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Owned::Empty)
    }
}

pub(crate) type OwnedRow = (u32, Vec<Owned>);

/// Where the header is among the buffered rows.
pub(crate) struct HeaderPlace {
    /// Index in the buffer of the first header row, and how many header rows.
    pub start: usize,
    pub len: usize,
    pub found: bool,
}

/// Finds the header among the first rows of a sheet (empty rows already left out).
pub(crate) fn find_header(rows: &[OwnedRow]) -> HeaderPlace {
    let stats: Vec<(usize, usize)> = rows
        .iter()
        .map(|(_, cells)| {
            let n = cells.iter().filter(|c| !c.is_empty()).count();
            let t = cells.iter().filter(|c| c.label().is_some()).count();
            // Years count as header cells when the row has text too.
            let years = cells.iter().filter(|c| c.label().is_none() && c.header_like()).count();
            (n, if t > 0 { t + years } else { t })
        })
        .collect();
    let widest = stats.iter().map(|s| s.0).max().unwrap_or(0);
    let start = if widest <= 1 {
        stats.iter().position(|&(n, t)| n == 1 && t == 1)
    } else {
        stats.iter().position(|&(n, t)| t >= 2 && t * 10 >= n * 7 && n * 2 >= widest)
    };
    let Some(start) = start else {
        return HeaderPlace { start: 0, len: 0, found: false };
    };
    let mut len = 1;
    while len < 3 && start + len + 1 < rows.len() {
        let (_, cells) = &rows[start + len];
        let (n, t) = stats[start + len];
        // One text cell alone is a section heading ("Première partie – Fonctionnement"), not
        // more header.
        if n < 2 || t != n {
            break;
        }
        // A column this row labels must hold values further down.
        let below = &rows[start + len + 1..];
        let labels_values = cells.iter().enumerate().any(|(c, cell)| {
            cell.label().is_some() && below.iter().take(10).any(|(_, r)| r.get(c).is_some_and(Owned::is_value))
        });
        if !labels_values {
            break;
        }
        len += 1;
    }
    HeaderPlace { start, len, found: true }
}

/// The label of each column `0..width` from the header rows (sheet row index, cells), using the
/// merged ranges when the file gives them.
pub(crate) fn compose_labels(block: &[OwnedRow], merges: &[CellRange], width: usize) -> Vec<String> {
    let text_at = |r: usize, c: usize| -> Option<&str> {
        match block[r].1.get(c) {
            Some(Owned::Empty) | None => None,
            Some(Owned::Text(t)) => Some(t.as_str()),
            Some(_) => None,
        }
    };
    let mut labels = Vec::with_capacity(width);
    for c in 0..width {
        let mut parts: Vec<String> = Vec::new();
        for r in 0..block.len() {
            let own = match block[r].1.get(c) {
                Some(Owned::Text(t)) => Some(t.clone()),
                Some(Owned::Empty) | None => None,
                Some(other) => Some(display_owned(other)),
            };
            let part = own.or_else(|| {
                let row = block[r].0;
                if let Some(m) = merges.iter().find(|m| m.contains(row, c as u32)) {
                    // The merged range's text sits in its top-left cell, if that is in the block.
                    let r0 = block.iter().position(|(ri, _)| *ri == m.first_row)?;
                    return text_at(r0, m.first_col as usize).map(str::to_string);
                }
                if !merges.is_empty() || r + 1 >= block.len() {
                    return None;
                }
                // No merge information: a group label to the left that has sub-labels under it.
                text_at(r + 1, c)?;
                let mut k = c;
                while k > 0 {
                    k -= 1;
                    text_at(r + 1, k)?;
                    if let Some(t) = text_at(r, k) {
                        return Some(t.to_string());
                    }
                }
                None
            });
            if let Some(p) = part {
                if parts.last() != Some(&p) {
                    parts.push(p);
                }
            }
        }
        labels.push(parts.join(" ").split_whitespace().collect::<Vec<_>>().join(" "));
    }
    labels
}

pub(crate) fn display_owned(o: &Owned) -> String {
    match o {
        Owned::Empty | Owned::NoValue => String::new(),
        Owned::Number(v, _) => crate::format::plain_number(*v),
        Owned::Date(d) => crate::cell::iso_date(*d),
        Owned::Text(t) => t.clone(),
        Owned::Bool(b) => if *b { "VRAI" } else { "FAUX" }.into(),
        Owned::Error(e) => e.as_str().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(i: u32, cells: &[&str]) -> OwnedRow {
        (
            i,
            cells
                .iter()
                .map(|c| if c.is_empty() { Owned::Empty } else { Owned::from_cell(&Cell::Text(c)) })
                .collect(),
        )
    }

    #[test]
    fn header_under_a_title_and_over_a_sub_header() {
        let rows = vec![
            row(0, &["Budget 2026 – Commune d'Oujda"]),
            row(1, &["Situation au 31/10/2026"]),
            row(3, &["Chapitre", "Libellé", "Crédits", "", "Payé", "Service"]),
            row(4, &["", "", "ouverts", "engagés", "", ""]),
            row(5, &["10", "Électricité", "1 200 000", "1 150 000", "900 000", "DT"]),
            row(6, &["10", "Eau", "500 000", "450 000", "300 000", "DT"]),
        ];
        let h = find_header(&rows);
        assert!(h.found);
        assert_eq!((h.start, h.len), (2, 2));
        let labels = compose_labels(&rows[2..4], &[], 6);
        assert_eq!(labels, vec!["Chapitre", "Libellé", "Crédits ouverts", "Crédits engagés", "Payé", "Service"]);
        // With the merges the file records: C3:D3 merged, A3:A4 merged.
        let merges = [CellRange::parse("C4:D4").unwrap(), CellRange::parse("A4:A5").unwrap()];
        let labels = compose_labels(&rows[2..4], &merges, 6);
        assert_eq!(labels, vec!["Chapitre", "Libellé", "Crédits ouverts", "Crédits engagés", "Payé", "Service"]);
    }

    #[test]
    fn a_section_heading_under_the_header_is_not_header() {
        let rows = vec![
            row(3, &["Chapitre", "Libellé", "Crédits", ""]),
            row(4, &["", "", "ouverts", "engagés"]),
            row(5, &["Première partie – Fonctionnement"]),
            row(6, &["10", "Électricité", "1 200 000", "1 150 000"]),
        ];
        let h = find_header(&rows);
        assert_eq!((h.start, h.len), (0, 2));
    }

    #[test]
    fn years_in_the_header() {
        let rows = vec![
            (0, vec![Owned::Text("Rubrique".into()), Owned::Number(2024.0, NumFormat::Plain), Owned::Number(2025.0, NumFormat::Plain)]),
            (1, vec![Owned::Text("Électricité".into()), Owned::Number(36_480_000.0, NumFormat::Plain), Owned::Number(38_000_000.0, NumFormat::Plain)]),
            (2, vec![Owned::Text("Eau".into()), Owned::Number(5_915_000.0, NumFormat::Plain), Owned::Number(6_500_000.0, NumFormat::Plain)]),
        ];
        let h = find_header(&rows);
        assert_eq!((h.start, h.len, h.found), (0, 1, true));
        assert_eq!(compose_labels(&rows[..1], &[], 3), vec!["Rubrique", "2024", "2025"]);
    }

    #[test]
    fn a_plain_header_and_none() {
        let rows = vec![row(0, &["id", "nom", "montant"]), row(1, &["1", "a", "2,5"]), row(2, &["2", "b", "3"])];
        let h = find_header(&rows);
        assert_eq!((h.start, h.len, h.found), (0, 1, true));
        let numbers = vec![row(0, &["1", "2", "3"]), row(1, &["4", "5", "6"])];
        assert!(!find_header(&numbers).found);
        // A text-only table: the second row is data, not more header.
        let text = vec![row(0, &["nom", "ville"]), row(1, &["Amal", "Oujda"]), row(2, &["Omar", "Fès"])];
        assert_eq!(find_header(&text).len, 1);
    }
}
