//! Dates of birth: a date (numeric, or with a French, Arabic or English month name, in any digit
//! script) within a few words after a birth keyword: "né le", "née à Berkane le", "date de
//! naissance :", "المزداد بتاريخ", "تاريخ الازدياد", "من مواليد سنة".
//!
//! Deliberately only after a keyword: dates of letters, deadlines and meetings are not personal
//! data, and a date alone says nothing about whose birth it is.

use super::{prio, CueHit, Scan};
use crate::kind::Kind;
use crate::lexicon::{lexicon, Cue};
use crate::text::{Class, Doc, Gap};

fn num(doc: &Doc, i: usize, lens: std::ops::RangeInclusive<usize>) -> Option<u32> {
    let t = doc.toks.get(i)?;
    (t.class == Class::Num && lens.contains(&t.len)).then(|| doc.f(i).parse().ok()).flatten()
}

fn date_sep(doc: &Doc, i: usize) -> Option<char> {
    let t = doc.toks.get(i)?;
    if t.class != Class::Punct || t.gap > Gap::Space {
        return None;
    }
    ['/', '.', '-'].into_iter().find(|c| doc.is_p(i, *c))
}

/// A date starting at token `i`: its last token and its (year, month, day); day and month are 0
/// when only a year (or a month and a year) is written.
pub(crate) fn date_at(doc: &Doc, i: usize) -> Option<(usize, (u32, u32, u32))> {
    let lex = lexicon();
    // 12/03/1985, 12.03.85, 12-3-1985
    if let (Some(d), Some(s1), Some(m), Some(s2), Some(y)) = (
        num(doc, i, 1..=2),
        date_sep(doc, i + 1),
        num(doc, i + 2, 1..=2),
        date_sep(doc, i + 3),
        num(doc, i + 4, 2..=4),
    ) {
        if s1 == s2 && (1..=31).contains(&d) && (1..=12).contains(&m) && doc.toks[i + 4].len != 3 {
            return Some((i + 4, (y, m, d)));
        }
    }
    // 1985/03/12, 1985-03-12
    if let (Some(y), Some(s1), Some(m), Some(s2), Some(d)) = (
        num(doc, i, 4..=4),
        date_sep(doc, i + 1),
        num(doc, i + 2, 1..=2),
        date_sep(doc, i + 3),
        num(doc, i + 4, 1..=2),
    ) {
        if s1 == s2 && (1..=31).contains(&d) && (1..=12).contains(&m) {
            return Some((i + 4, (y, m, d)));
        }
    }
    // 12 mars 1985, 1er mars 1985
    let mut k = i;
    let mut day = 0;
    if let Some(d) = num(doc, i, 1..=2) {
        day = d;
        k = i + 1;
        if doc.toks.get(k).is_some_and(|t| t.gap == Gap::None && t.class == Class::Word)
            && matches!(doc.f(k), "er" | "re")
        {
            k += 1;
        }
    } else if doc.f(i) == "premier" {
        day = 1;
        k = i + 1;
    }
    if let Some(m) = doc.toks.get(k).and_then(|_| lex.month(doc.f(k))) {
        if let Some(y) = num(doc, k + 1, 4..=4) {
            if day <= 31 {
                return Some((k + 1, (y, u32::from(m), day)));
            }
        }
    }
    None
}

/// A year alone after "en" / "سنة" / "عام" ("né en 1962", "من مواليد سنة 1962").
fn year_at(doc: &Doc, i: usize) -> Option<usize> {
    let y = num(doc, i, 4..=4)?;
    let after = i > 0 && matches!(doc.f(i - 1), "en" | "in" | "سنه" | "عام" | "لسنه" | "بسنه");
    (after && (1900..=2100).contains(&y)).then_some(i)
}

/// Dates of birth after their keyword. (A column headed "Date de naissance" is read by
/// `tables`.)
pub(super) fn births(scan: &mut Scan) {
    let doc = scan.doc;
    let hits: Vec<CueHit> = scan.cues_of(Cue::Birth).collect();
    for hit in hits {
        let mut i = hit.last + 1;
        while i < doc.toks.len() && i <= hit.last + 16 {
            if doc.toks[i].gap == Gap::Para {
                break;
            }
            // A sentence ends: the date, if any, was not this birth's.
            if doc.is_p(i, '.') && doc.toks.get(i + 1).is_none_or(|t| t.gap != Gap::None) {
                break;
            }
            if !scan.used[i] {
                if let Some((last, _)) = date_at(doc, i) {
                    scan.push_toks(i, last, Kind::DateNaissance, prio::BIRTH);
                    break;
                }
                if let Some(last) = year_at(doc, i) {
                    scan.push_toks(i, last, Kind::DateNaissance, prio::BIRTH);
                    break;
                }
            }
            i += 1;
        }
    }
}

/// The key of a date: "1985-03-12" (or "1985" for a year alone), whatever its spelling.
pub(crate) fn date_key(text: &str) -> Option<String> {
    let doc = Doc::new(text);
    for i in 0..doc.toks.len() {
        if let Some((_, (y, m, d))) = date_at(&doc, i) {
            let y = if y < 100 { if y > 30 { 1900 + y } else { 2000 + y } } else { y };
            return Some(match (m, d) {
                (0, _) => format!("{y:04}"),
                (m, 0) => format!("{y:04}-{m:02}"),
                (m, d) => format!("{y:04}-{m:02}-{d:02}"),
            });
        }
        if doc.toks[i].class == Class::Num && doc.toks[i].len == 4 && doc.toks.len() == 1 {
            return Some(doc.f(i).to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::detect;
    use crate::hints::Hints;

    fn of(text: &str) -> Vec<String> {
        detect(text, &Hints::new())
            .into_iter()
            .filter(|f| f.kind == Kind::DateNaissance)
            .map(|f| f.text)
            .collect()
    }

    #[test]
    fn births_after_their_keyword() {
        assert_eq!(of("né le 12 mars 1985 à Oujda"), ["12 mars 1985"]);
        assert_eq!(of("née à Berkane le 1er avril 1990"), ["1er avril 1990"]);
        assert_eq!(of("Date de naissance : 03/04/1990"), ["03/04/1990"]);
        assert_eq!(of("المزداد بتاريخ 12 مارس 1985 بوجدة"), ["12 مارس 1985"]);
        assert_eq!(of("المزدادة بتاريخ ١٢/٠٣/١٩٨٥"), ["١٢/٠٣/١٩٨٥"]);
        assert_eq!(of("تاريخ الازدياد: 1985/03/12"), ["1985/03/12"]);
        assert_eq!(of("من مواليد سنة 1962 بجرادة"), ["1962"]);
        assert_eq!(of("Nom;Date de naissance\nAmrani;12/03/1985\nBennani;01/02/1990"), ["12/03/1985", "01/02/1990"]);
    }

    #[test]
    fn other_dates_are_not_births() {
        assert_eq!(of("Oujda, le 23 novembre 2026"), Vec::<String>::new());
        assert_eq!(of("la demande ne peut être traitée avant le 12 mars 2026"), Vec::<String>::new());
        assert_eq!(of("né à Oujda. La réunion du 12 mars 2026"), Vec::<String>::new());
    }

    #[test]
    fn one_key_per_date() {
        assert_eq!(date_key("12 mars 1985").as_deref(), Some("1985-03-12"));
        assert_eq!(date_key("12/03/1985").as_deref(), Some("1985-03-12"));
        assert_eq!(date_key("١٢ مارس ١٩٨٥").as_deref(), Some("1985-03-12"));
        assert_eq!(date_key("1985-03-12").as_deref(), Some("1985-03-12"));
        assert_eq!(date_key("1962").as_deref(), Some("1962"));
    }
}
