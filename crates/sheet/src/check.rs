//! The number check: every number a model wrote in its answer, checked against the figures
//! Katib computed, with the rounding its writing implies ("1,2 million" is 1 150 000 to
//! 1 250 000; "96 %" is 95.5 % to 96.5 %; "1 224 600" is 1 224 599.5 to 1 224 600.5). A number
//! found nowhere is returned with its byte span, for the CLI to print and the window to
//! highlight ("chiffre absent des calculs de Katib").
//!
//! Read as numbers: "1 224 600", "1 224 600,50", "1.224.600,50", "1,224,600.50", "1,2 million",
//! "1,2 MDH", "96,0 %", "96 %", Arabic-Indic digits ("١٢٣٤", "٩٦٫٠ ٪") and Arabic scale words
//! ("1,2 مليون"). Not numbers: dates ("31/10/2026", "31 octobre 2026", "2026-10-31"), years in a
//! date context ("l'exercice 2026", "budget 2026", "سنة 2026"), article, law and reference
//! numbers ("article 12", "loi 113-14", "n° 4518", "1234/DAG/2026", "ligne 17"), ordinals and
//! list markers ("1er", "2.", "## 3.2"), times ("10h30"), codes with a leading zero, numbers
//! glued to letters ("A4", "D17").
//!
//! The figures: every statistic, total, group figure, ratio and difference of the profile
//! (matched at any precision the writing implies), and the cells' own values (matched only at
//! the unit or finer: "1,2 million" must be a computed figure, not some cell near it).
//! The sign is not compared ("un dépassement de 24 600" for a difference of -24 600).

use std::ops::Range;

use serde::Serialize;

use crate::profile::{ColumnKind, Profile, Value};
use crate::value::fold;
use crate::Lang;

/// The figures an answer may cite, sorted for lookup.
#[derive(Clone, Debug, Default)]
pub struct Figures {
    /// Computed figures (absolute values).
    computed: Vec<f64>,
    /// Cell values (absolute values).
    cells: Vec<f64>,
    /// Percents, in points (96.03 for 0.9603): computed ratios and shares...
    computed_pct: Vec<f64>,
    /// ...and percent cells.
    cells_pct: Vec<f64>,
}

impl Figures {
    /// Every figure of a profile.
    pub fn from_profile(profile: &Profile) -> Figures {
        let mut f = Figures::default();
        f.computed.push(profile.sheets.len() as f64);
        f.cells.extend(numbers_in(&profile.file));
        for s in &profile.sheets {
            let c = &mut f.computed;
            c.extend([s.data_rows as f64, s.columns.len() as f64, s.error_count as f64, s.first_data_row as f64, s.last_data_row as f64]);
            c.extend(s.header_rows.iter().map(|&r| r as f64));
            c.push(s.label_rows.len() as f64);
            // Numbers of the sheet's own words: its name, title, headers, sample row numbers.
            f.cells.extend(numbers_in(&s.name));
            for t in &s.title_lines {
                f.cells.extend(numbers_in(t));
            }
            f.cells.extend(s.samples.iter().map(|(r, _)| *r as f64));
            for col in &s.columns {
                f.cells.extend(numbers_in(&col.header));
                let pct = col.kind == ColumnKind::Percent;
                let points = col.percent_points;
                f.computed.extend([col.count, col.blanks, col.errors, col.numbers, col.texts, col.dates, col.distinct].map(|x| x as f64));
                if let Some(st) = &col.stats {
                    for v in [st.sum, st.mean, st.median, st.min, st.max] {
                        f.computed.push(v);
                        if pct {
                            f.computed_pct.push(if points { v } else { v * 100.0 });
                        }
                    }
                    f.computed.extend([st.min_row as f64, st.max_row as f64]);
                }
                for t in &col.top {
                    f.computed.push(t.count as f64);
                    if s.data_rows > 0 {
                        f.computed_pct.push(t.count as f64 * 100.0 / s.data_rows as f64);
                    }
                    if let Value::Number(v) = t.value {
                        f.cells.push(v);
                    }
                }
                if s.data_rows > 0 && col.blanks > 0 {
                    f.computed_pct.push(col.blanks as f64 * 100.0 / s.data_rows as f64);
                }
                // Numbers inside the sheet's own labels ("Lot 2", "Tranche 3") may be quoted.
                for v in &s.store.values[col.index] {
                    if let crate::profile::column::KeyVal::Text(t) = v {
                        f.cells.extend(numbers_in(t));
                    }
                }
                if let Some(nums) = s.nums(col.index) {
                    for &v in nums.iter().filter(|v| !v.is_nan()) {
                        f.cells.push(v);
                        if pct {
                            f.cells_pct.push(if points { v } else { v * 100.0 });
                        }
                    }
                }
            }
            f.cells.extend(s.store.total_values.iter().copied());
            for t in &s.totals {
                f.computed.push(t.row as f64);
                for ch in &t.checks {
                    f.computed.extend([ch.written, ch.computed, ch.written - ch.computed]);
                }
            }
            for (_, vals) in &s.samples {
                f.cells.extend(vals.iter().filter_map(|v| if let Value::Number(x) = v { Some(*x) } else { None }));
            }
            for g in &s.groups {
                f.computed.push(g.groups.len() as f64);
                for gr in g.groups.iter().chain(std::iter::once(&g.total)) {
                    f.computed.push(gr.count as f64);
                    if s.data_rows > 0 {
                        f.computed_pct.push(gr.count as f64 * 100.0 / s.data_rows as f64);
                    }
                    for (i, &v) in gr.sums.iter().enumerate() {
                        f.computed.push(v);
                        if gr.count > 0 {
                            f.computed.push(v / gr.count as f64);
                        }
                        let whole = g.total.sums[i];
                        if whole != 0.0 {
                            f.computed_pct.push(v * 100.0 / whole);
                        }
                    }
                    f.computed.extend(gr.differences.iter().copied());
                    f.computed_pct.extend(gr.ratios.iter().flatten().map(|r| r * 100.0));
                }
            }
            for r in &s.ratios {
                f.computed.extend([r.num_sum, r.den_sum, r.rows as f64, r.undefined as f64]);
                // The gap between the two sums: "un dépassement de 24 600".
                f.computed.push(r.num_sum - r.den_sum);
                f.computed_pct.extend(r.overall.map(|v| v * 100.0));
                f.computed_pct.extend(r.values.iter().map(|v| v * 100.0));
                for t in r.above.iter().chain(r.below.iter()) {
                    f.computed.push(t.count as f64);
                    f.computed_pct.push(t.limit * 100.0);
                    for row in &t.rows {
                        f.computed.extend([row.row as f64, row.num - row.den]);
                    }
                }
            }
            for d in &s.differences {
                f.computed.extend([d.total, d.rows as f64, d.negative as f64]);
                f.computed.extend(d.min);
                f.computed.extend(d.max);
                f.computed.extend(d.values.iter().copied());
            }
        }
        for v in [&mut f.computed, &mut f.cells, &mut f.computed_pct, &mut f.cells_pct] {
            for x in v.iter_mut() {
                *x = x.abs();
            }
            v.retain(|x| x.is_finite());
            v.sort_by(f64::total_cmp);
            v.dedup();
        }
        f
    }

    /// Adds figures computed elsewhere (a total the user typed in the form, say).
    pub fn add(&mut self, values: &[f64], percent_points: bool) {
        let list = if percent_points { &mut self.computed_pct } else { &mut self.computed };
        list.extend(values.iter().map(|v| v.abs()));
        list.sort_by(f64::total_cmp);
        list.dedup();
    }

    fn contains(list: &[f64], v: f64, half: f64) -> bool {
        let slack = half * 1e-6 + 1e-9 * v.abs().max(1.0);
        let lo = v - half - slack;
        let hi = v + half + slack;
        let i = list.partition_point(|&x| x < lo);
        list.get(i).is_some_and(|&x| x <= hi)
    }

    fn matches(&self, n: &Candidate, percent: bool) -> bool {
        let v = n.value.abs();
        if percent {
            return Figures::contains(&self.computed_pct, v, n.half) || (n.half <= 0.5 + 1e-9 && Figures::contains(&self.cells_pct, v, n.half));
        }
        Figures::contains(&self.computed, v, n.half) || (n.half <= 0.5 + 1e-9 && Figures::contains(&self.cells, v, n.half))
    }
}

/// A number found in the answer.
#[derive(Clone, Debug, Serialize)]
pub struct WrittenNumber {
    /// Byte range in the answer.
    pub span: Range<usize>,
    /// The number as written, with its unit ("1,2 million", "96,0 %").
    pub text: String,
    /// Its value (a percent in points: 96.0), the first reading when it has several.
    pub value: f64,
    pub percent: bool,
    /// 1-based line of the answer.
    pub line: usize,
    pub matched: bool,
}

/// Why a number was not checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    Date,
    Year,
    Reference,
    ListMarker,
    Ordinal,
    Time,
    Code,
    Attached,
}

#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    pub span: Range<usize>,
    pub text: String,
    pub reason: SkipReason,
}

/// The numbers of an answer, checked.
#[derive(Clone, Debug, Default, Serialize)]
pub struct NumberCheck {
    pub numbers: Vec<WrittenNumber>,
    pub skipped: Vec<Skipped>,
}

impl NumberCheck {
    /// The numbers found in none of Katib's figures.
    pub fn unmatched(&self) -> impl Iterator<Item = &WrittenNumber> {
        self.numbers.iter().filter(|n| !n.matched)
    }
}

/// What the window shows on a flagged number.
pub fn unmatched_message(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "chiffre absent des calculs de Katib",
        Lang::Ar => "رقم غير وارد في حسابات كاتب",
        Lang::En => "figure not among Katib's computations",
    }
}

/// One reading of a written number: its value and half the width of the interval its writing
/// implies.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Candidate {
    value: f64,
    half: f64,
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || crate::value::is_arabic_digit(c)
}

fn ascii_digit(c: char) -> char {
    match c {
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
        '\u{06f0}'..='\u{06f9}' => char::from(b'0' + (c as u32 - 0x6f0) as u8),
        c => c,
    }
}

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

const MONTHS: &[&str] = &[
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre",
    "janv", "fev", "fevr", "avr", "juil", "sept", "oct", "nov", "dec", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december", "يناير", "فبراير", "مارس", "ابريل", "ماي",
    "يونيو", "يوليوز", "يوليو", "غشت", "اغسطس", "شتنبر", "سبتمبر", "اكتوبر", "نونبر", "نوفمبر", "دجنبر", "ديسمبر",
];

/// Words after which a number is a reference, not a figure.
const REFERENCE_WORDS: &[&str] = &[
    "article", "articles", "art", "alinea", "loi", "lois", "decret", "dahir", "arrete", "circulaire", "n", "no", "nº",
    "numero", "ref", "reference", "page", "pages", "p", "chapitre", "paragraphe", "section", "annexe", "tableau", "titre",
    "ligne", "lignes", "rubrique", "compte", "point", "points", "marche", "bc", "bon", "décision", "decision", "note",
    "organique", "finances", "lf", "المادة", "مادة", "الفصل", "فصل", "القانون", "قانون", "المرسوم", "مرسوم", "الظهير",
    "ظهير", "القرار", "قرار", "رقم", "الصفحه", "البند", "الفقره", "الباب", "السطر", "الجدول", "المنشور", "الدورية",
];

/// Words after which a four-digit number is a year.
const YEAR_WORDS: &[&str] = &[
    "exercice", "exercices", "annee", "annees", "an", "budget", "budgetaire", "en", "depuis", "jusqu", "fin", "debut",
    "execution", "situation", "gestion", "session", "mandat", "rentree",
    "mi", "campagne", "saison", "de", "du", "pour", "au", "l", "d", "et", "programme", "plan", "year", "in", "since",
    "سنه", "لسنه", "السنه", "عام", "لعام", "برسم", "ميزانيه", "منذ", "خلال", "في", "سنتي", "و",
];

/// Scale words and their factor.
const SCALES: &[(&str, f64)] = &[
    ("million", 1e6), ("millions", 1e6), ("milliard", 1e9), ("milliards", 1e9), ("mille", 1e3), ("m", 1e6), ("mdh", 1e6),
    ("mmad", 1e6), ("md", 1e9), ("mds", 1e9), ("mrd", 1e9), ("mrds", 1e9), ("k", 1e3), ("kdh", 1e3), ("mio", 1e6),
    ("مليون", 1e6), ("ملايين", 1e6), ("مليار", 1e9), ("ملايير", 1e9), ("الف", 1e3), ("الاف", 1e3), ("billion", 1e9),
    ("thousand", 1e3),
];

const ORDINALS: &[&str] = &["er", "re", "ere", "e", "eme", "nd", "nde", "bis", "ter", "st", "th", "rd"];

/// Whether a folded word is one of `list` (written as people write them; folded here). Arabic
/// words may carry a clitic: "للمادة" is "ل" + "المادة", "وفي" is "و" + "في".
fn in_list(word: &str, list: &[&str]) -> bool {
    if word.is_empty() {
        return false;
    }
    let mut forms = vec![word.to_string()];
    if let Some(rest) = word.strip_prefix("لل") {
        forms.push(format!("ال{rest}"));
    }
    for p in ['و', 'ف', 'ب', 'ل', 'ك'] {
        if let Some(rest) = word.strip_prefix(p) {
            if rest.chars().count() >= 2 {
                forms.push(rest.to_string());
            }
        }
    }
    list.iter().any(|w| {
        let f = fold(w);
        forms.contains(&f)
    })
}

/// The numbers written inside a name or a title ("Exécution 2026", "Budget 2026").
fn numbers_in(text: &str) -> impl Iterator<Item = f64> + '_ {
    text.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty() && t.len() <= 15).filter_map(|t| t.parse().ok())
}

/// Checks every number written in `answer` against `figures`.
pub fn check_numbers(answer: &str, figures: &Figures) -> NumberCheck {
    let chars: Vec<(usize, char)> = answer.char_indices().collect();
    let n = chars.len();
    let byte = |i: usize| if i < n { chars[i].0 } else { answer.len() };
    let mut out = NumberCheck::default();
    // The current line: its start and end bytes, and whether it is a table anchor.
    let mut line: Option<(usize, usize, bool)> = None;
    // Newlines before byte `counted`, for each number's line.
    let (mut newlines, mut counted) = (0usize, 0usize);
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if !is_digit(c) {
            i += 1;
            continue;
        }
        let start = i;
        // Skip anchor lines whole. The line is found once, not once per number on it (a long
        // line with many numbers would make the check quadratic).
        let (line_start, line_end, anchor) = match line {
            Some(l) if byte(i) <= l.1 => l,
            _ => {
                let start = answer[..byte(i)].rfind('\n').map_or(0, |p| p + 1);
                let end = answer[byte(i)..].find('\n').map_or(answer.len(), |p| byte(i) + p);
                let l = (start, end, crate::tables::anchor_name(&answer[start..end]).is_some());
                line = Some(l);
                l
            }
        };
        if anchor {
            while i < n && chars[i].0 < line_end {
                i += 1;
            }
            continue;
        }
        // The token: digits, group separators, decimal separator.
        let mut raw = String::new();
        let mut j = i;
        let mut groups: Vec<usize> = Vec::new();
        let mut cur = 0;
        loop {
            while j < n && is_digit(chars[j].1) {
                raw.push(ascii_digit(chars[j].1));
                cur += 1;
                j += 1;
            }
            groups.push(cur);
            cur = 0;
            if j + 1 >= n {
                break;
            }
            let s = chars[j].1;
            let three_after = j + 3 < n
                && (1..=3).all(|k| is_digit(chars[j + k].1))
                && (j + 4 >= n || !is_digit(chars[j + 4].1));
            if is_group_space(s) && groups[0] <= 3 && groups[1..].iter().all(|&g| g == 3) && !raw.contains([',', '.']) && three_after {
                raw.push(' ');
                j += 1;
                continue;
            }
            if matches!(s, '.' | ',' | '\u{066b}' | '\u{066c}' | '\'') && is_digit(chars[j + 1].1) {
                raw.push(match s {
                    '\u{066b}' => ',',
                    '\u{066c}' | '\'' => ' ',
                    other => other,
                });
                j += 1;
                continue;
            }
            break;
        }
        let end = j;
        let text_of = |a: usize, b: usize| answer[byte(a)..byte(b)].to_string();
        let skip = |out: &mut NumberCheck, a: usize, b: usize, reason: SkipReason| {
            out.skipped.push(Skipped { span: byte(a)..byte(b), text: answer[byte(a)..byte(b)].to_string(), reason });
        };
        let prev = if start > 0 { Some(chars[start - 1].1) } else { None };
        let next = chars.get(end).map(|x| x.1);
        let after_next = chars.get(end + 1).map(|x| x.1);
        // Compounds: dates 31/10/2026, references 1234/DAG/2026, laws 113-14, times 10:30.
        let joined_right = matches!(next, Some('/' | '-' | ':' | '\u{2013}' | '\u{2011}' | '_')) && after_next.is_some_and(|c| c.is_alphanumeric());
        let joined_left = matches!(prev, Some('/' | '-' | ':' | '\u{2013}' | '_'))
            && start >= 2
            && chars[start - 2].1.is_alphanumeric();
        if joined_right || joined_left {
            let mut k = end;
            while k < n && (chars[k].1.is_alphanumeric() || matches!(chars[k].1, '/' | '-' | ':' | '.' | '\u{2013}' | '_')) {
                k += 1;
            }
            // A trailing full stop ends the sentence, not the reference.
            while k > end && matches!(chars[k - 1].1, '.' | '-' | '/') {
                k -= 1;
            }
            let t = text_of(start, k);
            let reason = if crate::value::parse_date(&crate::value::western_digits(&t)).is_some() || t.chars().filter(|&c| c == '/').count() == 1 && t.len() <= 5 {
                SkipReason::Date
            } else if t.contains(':') && t.len() <= 8 {
                SkipReason::Time
            } else {
                SkipReason::Reference
            };
            skip(&mut out, start, k, reason);
            i = k;
            continue;
        }
        if prev.is_some_and(|p| p.is_alphabetic() || matches!(p, '@' | '#' | '\\' | '&' | '=' | '+' | '$')) {
            let mut k = end;
            while k < n && chars[k].1.is_alphanumeric() {
                k += 1;
            }
            skip(&mut out, start, k, SkipReason::Attached);
            i = k;
            continue;
        }
        // Letters glued on the right: ordinals (1er, 2e), times (10h30), units and scales (3M).
        let mut scale = 1.0;
        let mut unit_end = end;
        if next.is_some_and(|c| c.is_alphabetic() || c == '°' || c == 'º') {
            let mut k = end;
            while k < n && (chars[k].1.is_alphabetic() || matches!(chars[k].1, '°' | 'º')) {
                k += 1;
            }
            let suffix = fold(&text_of(end, k));
            if suffix == "h" && chars.get(k).is_some_and(|c| is_digit(c.1)) {
                let mut m = k;
                while m < n && is_digit(chars[m].1) {
                    m += 1;
                }
                skip(&mut out, start, m, SkipReason::Time);
                i = m;
                continue;
            }
            if let Some(&(_, f)) = SCALES.iter().find(|(w, _)| *w == suffix) {
                scale = f;
                unit_end = k;
            } else if matches!(suffix.as_str(), "dh" | "dhs" | "mad") {
                unit_end = k;
            } else {
                let reason = if ORDINALS.contains(&suffix.as_str()) || suffix.is_empty() { SkipReason::Ordinal } else { SkipReason::Attached };
                skip(&mut out, start, k, reason);
                i = k;
                continue;
            }
        }
        // Leading zero: a code or a phone number, not a figure ("05 36 ...", "007").
        if raw.len() > 1 && raw.starts_with('0') && !raw.starts_with("0,") && !raw.starts_with("0.") {
            skip(&mut out, start, end, SkipReason::Code);
            i = end;
            continue;
        }
        // What follows, past spaces: percent sign, scale word, month, currency.
        let mut k = unit_end;
        while k < n && is_group_space(chars[k].1) {
            k += 1;
        }
        let word_end = {
            let mut m = k;
            while m < n && chars[m].1.is_alphabetic() {
                m += 1;
            }
            m
        };
        let next_word = fold(&text_of(k, word_end));
        let mut percent = false;
        if k < n && matches!(chars[k].1, '%' | '\u{066a}') {
            percent = true;
            unit_end = k + 1;
        } else if next_word == "pour" && fold(&answer[byte(word_end)..answer.len().min(byte(word_end) + 6)]).starts_with("cent") {
            percent = true;
            unit_end = word_end + 5;
        } else if next_word == "في" && answer[byte(k)..].starts_with("في المائة") {
            percent = true;
            unit_end = k + "في المائة".chars().count();
        } else if next_word == "بالمايه" {
            percent = true;
            unit_end = word_end;
        } else if let Some(&(_, f)) = SCALES.iter().find(|(w, _)| *w == next_word) {
            // "M" alone must stand alone (not the start of "Mai" or "Mme").
            if scale == 1.0 {
                scale = f;
                unit_end = word_end;
            }
        }
        // An Arabic percent sign written before the number ("٪96").
        if !percent && prev.is_some_and(|p| matches!(p, '%' | '\u{066a}')) {
            percent = true;
        }
        let value_text = text_of(start, unit_end.max(end));
        // Left context: the last words before the number.
        let mut from = byte(start).saturating_sub(48);
        while !answer.is_char_boundary(from) {
            from += 1;
        }
        let before_folded = fold(&answer[from..byte(start)]);
        let mut last_words: Vec<&str> = before_folded.split(' ').filter(|w| !w.is_empty()).collect();
        let last = last_words.pop().unwrap_or("");
        let second = last_words.pop().unwrap_or("");
        let _ = &second;
        let is_int = !raw.contains([',', '.', ' ']);
        let int_value: Option<u32> = if is_int { raw.parse().ok() } else { None };
        // Dates: "31 octobre 2026", "1er janvier" (handled as ordinal), "octobre 2026".
        if int_value.is_some_and(|d| (1..=31).contains(&d)) && raw.len() <= 2 && !percent && in_list(&next_word, MONTHS) {
            skip(&mut out, start, end, SkipReason::Date);
            i = end;
            continue;
        }
        let year_like = is_int && raw.len() == 4 && int_value.is_some_and(|y| (1900..=2100).contains(&y)) && !percent && scale == 1.0;
        if year_like && (in_list(last, MONTHS) || in_list(last, YEAR_WORDS)) {
            skip(&mut out, start, end, SkipReason::Year);
            i = end;
            continue;
        }
        if !percent && scale == 1.0 && (in_list(last, REFERENCE_WORDS) || (matches!(last, "n" | "no") && in_list(second, REFERENCE_WORDS))) {
            skip(&mut out, start, end, SkipReason::Reference);
            i = end;
            continue;
        }
        // A list marker or a heading number at the start of a line.
        let line_prefix = &answer[line_start..byte(start)];
        let heading = line_prefix.trim_start().starts_with('#') && line_prefix.trim_matches(|c: char| c == '#' || c.is_whitespace()).is_empty();
        let bare = line_prefix.trim_matches(|c: char| c.is_whitespace() || c == '>').is_empty();
        if heading || (bare && matches!(next, Some('.' | ')' | '°' | '-' | '\u{2013}')) && after_next.is_none_or(char::is_whitespace)) {
            skip(&mut out, start, end, SkipReason::ListMarker);
            i = end;
            continue;
        }
        let candidates: Vec<Candidate> = readings(&raw).into_iter().map(|c| Candidate { value: c.value * scale, half: c.half * scale }).collect();
        if candidates.is_empty() {
            i = end;
            continue;
        }
        let matched = candidates.iter().any(|c| figures.matches(c, percent));
        // Lines are counted from the last number on, not from the start each time.
        newlines += answer[counted..byte(start)].matches('\n').count();
        counted = byte(start);
        out.numbers.push(WrittenNumber { span: byte(start)..byte(unit_end.max(end)), text: value_text, value: candidates[0].value, percent, line: newlines + 1, matched });
        i = unit_end.max(end);
    }
    out
}

/// The readings of a token made of digits, spaces (groups), ',' and '.': French first.
fn readings(raw: &str) -> Vec<Candidate> {
    let commas = raw.matches(',').count();
    let dots = raw.matches('.').count();
    let spaces = raw.contains(' ');
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let value = |int: &str, frac: &str| -> Option<Candidate> {
        let s = if frac.is_empty() { digits(int) } else { format!("{}.{}", digits(int), frac) };
        let v: f64 = s.parse().ok()?;
        Some(Candidate { value: v, half: 0.5 * 10f64.powi(-(frac.len() as i32)) })
    };
    let groups_ok = |s: &str, sep: char| {
        let g: Vec<&str> = s.split(sep).collect();
        g.len() > 1 && !g[0].is_empty() && g[0].len() <= 3 && g[1..].iter().all(|x| x.len() == 3)
    };
    let mut out = Vec::new();
    match (commas, dots) {
        (0, 0) => out.extend(value(raw, "")),
        (1, 0) => {
            let (a, b) = raw.split_once(',').unwrap_or((raw, ""));
            out.extend(value(a, b));
            // "1,224" may be English thousands.
            if b.len() == 3 && !spaces && a.len() <= 3 {
                out.extend(value(&raw.replace(',', ""), ""));
            }
        }
        (0, 1) => {
            let (a, b) = raw.split_once('.').unwrap_or((raw, ""));
            // "1.224" is French thousands, or a decimal.
            if b.len() == 3 && !spaces && a.len() <= 3 && a != "0" {
                out.extend(value(&raw.replace('.', ""), ""));
            }
            out.extend(value(a, b));
        }
        (c, 0) if c > 1 => {
            if groups_ok(raw, ',') {
                out.extend(value(&raw.replace(',', ""), ""));
            }
        }
        (0, d) if d > 1 => {
            if groups_ok(raw, '.') {
                out.extend(value(&raw.replace('.', ""), ""));
            }
        }
        _ => {
            // Both: the last one is the decimal separator.
            let last = raw.rfind([',', '.']).unwrap_or(0);
            let (a, b) = (&raw[..last], &raw[last + 1..]);
            let thousands = if raw.as_bytes()[last] == b',' { '.' } else { ',' };
            if !a.contains(raw.as_bytes()[last] as char) && groups_ok(&a.replace(' ', &thousands.to_string()), thousands) || !a.contains([',', '.']) {
                out.extend(value(a, b));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figs(computed: &[f64], pct: &[f64]) -> Figures {
        let mut f = Figures::default();
        f.add(computed, false);
        f.add(pct, true);
        f
    }

    fn unmatched(text: &str, f: &Figures) -> Vec<String> {
        check_numbers(text, f).unmatched().map(|n| n.text.clone()).collect()
    }

    #[test]
    fn readings_of_written_numbers() {
        let r = |s: &str| readings(s).iter().map(|c| (c.value, c.half)).collect::<Vec<_>>();
        assert_eq!(r("1 224 600"), vec![(1224600.0, 0.5)]);
        assert_eq!(r("1 224 600,50"), vec![(1224600.5, 0.005)]);
        assert_eq!(r("1.224.600,50"), vec![(1224600.5, 0.005)]);
        assert_eq!(r("1,224,600.50"), vec![(1224600.5, 0.005)]);
        assert_eq!(r("96,0"), vec![(96.0, 0.05)]);
        assert_eq!(r("1.224"), vec![(1224.0, 0.5), (1.224, 0.0005)]);
        assert_eq!(r("1,224"), vec![(1.224, 0.0005), (1224.0, 0.5)]);
        assert_eq!(r("0.5"), vec![(0.5, 0.05)]);
    }

    #[test]
    fn correct_figures_in_many_writings_pass() {
        let f = figs(&[1224600.0, 634800000.0, 466188500.0, 42.0], &[96.03, 73.4383]);
        for text in [
            "Les engagements atteignent 1 224 600 MAD.",
            "Soit 1\u{a0}224\u{a0}600,00 dirhams.",
            "Montant : 1.224.600,00 DH.",
            "In English: 1,224,600.00.",
            "Environ 1,2 million de dirhams, ou 1,2 MDH, ou 1,22 M.",
            "Un taux de 96,0 %, arrondi à 96 %, soit 96%.",
            "نسبة ٩٦٫٠ ٪ ومبلغ ١ ٢٢٤ ٦٠٠ درهم، أي 1,2 مليون درهم.",
            "Sur 634,8 millions de dirhams, 466,2 MDH sont engagés (73,4 %).",
            "Les 42 rubriques.",
        ] {
            assert!(unmatched(text, &f).is_empty(), "{text}: {:?}", unmatched(text, &f));
        }
    }

    #[test]
    fn invented_figures_are_flagged() {
        let f = figs(&[1224600.0], &[96.03]);
        assert_eq!(unmatched("Un dépassement de 1 324 600 MAD.", &f), vec!["1 324 600"]);
        assert_eq!(unmatched("Un taux de 97,0 %.", &f), vec!["97,0 %"]);
        assert_eq!(unmatched("Soit 1,3 million.", &f), vec!["1,3 million"]);
        let c = check_numbers("Un taux de 95 % et 1 224 601 MAD", &f);
        let spans: Vec<&str> = c.unmatched().map(|n| &"Un taux de 95 % et 1 224 601 MAD"[n.span.clone()]).collect();
        assert_eq!(spans, vec!["95 %", "1 224 601"]);
    }

    #[test]
    fn dates_references_and_markers_are_not_figures() {
        let f = figs(&[], &[]);
        let text = "# 1. Exécution du budget 2026\n\n\
            ## 2.3 Constats\n\
            1. Au 31 octobre 2026, selon l'article 12 de la loi 113-14 et le décret n° 2.17.451,\n\
            2- la décision 1234/DAG/2026 du 15/09/2025 (2025-09-15) à 10h30, le 1er janvier,\n\
            pour l'exercice 2026 et en 2025, voir la ligne 17, la cellule D17 et le tél. 0536123456.\n\
            - Le 3e trimestre de l'année 2026. المادة 12 من القانون رقم 113.14 برسم سنة 2026.\n\
            [[tableau:totaux_par_service]]\n";
        let c = check_numbers(text, &f);
        assert!(c.numbers.is_empty(), "{:?}", c.numbers);
        let reasons: Vec<(String, SkipReason)> = c.skipped.iter().map(|s| (s.text.clone(), s.reason)).collect();
        for (t, r) in [
            ("1", SkipReason::ListMarker),
            ("2.3", SkipReason::ListMarker),
            ("31", SkipReason::Date),
            ("2026", SkipReason::Year),
            ("12", SkipReason::Reference),
            ("113-14", SkipReason::Reference),
            ("1234/DAG/2026", SkipReason::Reference),
            ("15/09/2025", SkipReason::Date),
            ("2025-09-15", SkipReason::Date),
            ("10h30", SkipReason::Time),
            ("1er", SkipReason::Ordinal),
            ("17", SkipReason::Reference),
            ("17", SkipReason::Attached),
            ("0536123456", SkipReason::Code),
            ("3e", SkipReason::Ordinal),
        ] {
            assert!(reasons.iter().any(|(x, y)| x.ends_with(t) && *y == r), "{t} {r:?} not in {reasons:?}");
        }
    }
}
