//! Postal addresses.
//!
//! An address is personal data when it points at a dwelling, which in text means one of:
//! - a street word (rue, avenue, bd, lot, hay, résidence, imm., زنقة, شارع, حي, تجزئة, إقامة, درب,
//!   دوار...) with a house number: before it ("12, rue Ibn Sina"), after n°/numéro/رقم ("زنقة 5
//!   رقم 18"), or after a house word ("Imm. 4, Appt 12", "عمارة 3 شقة 7");
//! - whatever follows a dwelling cue ("demeurant au", "domiciliée à", "القاطن ب", "الساكنة ب"),
//!   when it starts with a street word or a number (a bare city is not an address);
//! - the rest of the line after an address label ("Adresse :", "العنوان:").
//!
//! A district or street named in a sentence without a number ("l'éclairage public du quartier
//! Hay Al Qods", "طريق الوحدة") is a place, not someone's address, and is left alone; so are a
//! procurement "lot n° 2" and the "route nationale n° 6".

use super::{prio, CueHit, Scan};
use crate::kind::Kind;
use crate::lexicon::{lexicon, Cue};
use crate::text::{Case, Class, Doc, Gap, Script};

/// Words that end an address block on its line: the next field's label.
const FIELD_LABELS: &[&str] = &[
    "tel", "tél", "telephone", "téléphone", "gsm", "fax", "portable", "mobile", "email", "e-mail",
    "courriel", "cin", "rib", "الهاتف", "هاتف", "البريد", "الفاكس",
];

pub(super) fn is_street(doc: &Doc, i: usize) -> bool {
    let lex = lexicon();
    let Some(t) = doc.toks.get(i) else { return false };
    if t.class != Class::Word {
        return false;
    }
    let f = doc.f(i);
    match t.script {
        Script::Arabic => lex.arabic_in(&lex.streets, f),
        Script::Latin => {
            if !lex.streets.contains(f) {
                return false;
            }
            // A lower-case street word must be followed by a name or a number ("rue Ibn Sina");
            // "mise en place", "sous cet angle" are not addresses.
            if t.case == Case::Lower {
                let mut k = i + 1;
                if doc.is_p(k, '.') && doc.toks.get(k).is_some_and(|t| t.gap == Gap::None) {
                    k += 1;
                }
                let Some(n) = doc.toks.get(k) else { return false };
                let named = n.class == Class::Num
                    || matches!(n.case, Case::Title | Case::Upper)
                    || lex.streets.contains(doc.f(k))
                    || house_number_after_marker(doc, k).is_some()
                    || (lex.particles_latin.contains(doc.f(k))
                        && doc.toks.get(k + 1).is_some_and(|m| matches!(m.case, Case::Title | Case::Upper)));
                if !named {
                    return false;
                }
            }
            if (f == "route" || f == "rte") && lex.road_classes.contains(doc.f(i + 1)) {
                return false;
            }
            true
        }
        Script::Other => false,
    }
}

/// "Lot" alone is also a procurement lot: it counts only with another street word or a name.
fn is_weak_street(doc: &Doc, i: usize) -> bool {
    matches!(doc.f(i), "lot" | "secteur" | "bloc" | "angle" | "place")
}

fn is_house_word(doc: &Doc, i: usize) -> bool {
    let lex = lexicon();
    let Some(t) = doc.toks.get(i) else { return false };
    t.class == Class::Word
        && match t.script {
            Script::Arabic => lex.arabic_in(&lex.house_words, doc.f(i)),
            _ => lex.house_words.contains(doc.f(i)),
        }
}

/// "n°", "N°", "no.", "numéro", "num", "رقم" at token `i`: the index of the number after it.
fn house_number_after_marker(doc: &Doc, i: usize) -> Option<usize> {
    let f = doc.f(i);
    let mut k = i + 1;
    let degree = |k: usize| matches!(doc.f(k), "°" | "º");
    match f {
        "n" | "no" => {
            if degree(k) || doc.is_p(k, '.') {
                k += 1;
            } else if f == "n" {
                return None;
            }
        }
        "numero" | "num" => {
            if doc.is_p(k, '.') {
                k += 1;
            }
        }
        _ if doc.toks.get(i).is_some_and(|t| t.script == Script::Arabic) && crate::lexicon::arabic_bases(f).any(|b| b == "رقم") => {}
        _ => return None,
    }
    if doc.is_p(k, ':') {
        k += 1;
    }
    let t = doc.toks.get(k)?;
    (t.class == Class::Num && t.len <= 5).then_some(k)
}

/// After a house number: "bis", "ter", a letter ("12 B", "12bis"), and the "de la" / "du" of
/// "au 22 de la rue 14".
fn number_suffix(doc: &Doc, k: usize) -> usize {
    let mut k = match doc.toks.get(k + 1) {
        Some(t) if t.class == Class::Word && matches!(doc.f(k + 1), "bis" | "ter" | "a" | "b" | "c") && t.gap <= Gap::Space => k + 1,
        _ => k,
    };
    let f = |i: usize| doc.f(i);
    if f(k + 1) == "de" && f(k + 2) == "la" && is_street(doc, k + 3) {
        k += 2;
    } else if (f(k + 1) == "du" && is_street(doc, k + 2)) || (f(k + 1) == "de" && f(k + 2) == "l" && doc.is_p(k + 3, '\'') && is_street(doc, k + 4)) {
        k += if f(k + 1) == "du" { 1 } else { 3 };
    }
    k
}

/// A housing estate or a plot mentioned nearby: then "lot n° 119" is a plot, not a procurement lot.
fn housing_context(doc: &Doc, i: usize) -> bool {
    let from = i.saturating_sub(15);
    let to = (i + 15).min(doc.toks.len());
    (from..to).any(|k| {
        let f = doc.f(k);
        matches!(f, "lotissement" | "parcelle" | "terrain") || crate::lexicon::arabic_bases(f).any(|b| matches!(b, "تجزئه" | "بقعه"))
    })
}

/// One address chain starting at token `s`: its last token and whether it holds a house number
/// and a strong street word.
struct Chain {
    last: usize,
    house_number: bool,
    strong_street: bool,
    named: bool,
}

fn chain(scan: &Scan, s: usize) -> Option<Chain> {
    let doc = scan.doc;
    let lex = lexicon();
    let n = doc.toks.len();
    let mut c = Chain { last: s, house_number: false, strong_street: false, named: false };
    let mut i = s;
    let mut started = false;
    let limit = (s + 40).min(n);
    while i < limit {
        if scan.used[i] || (i > s && doc.toks[i].gap >= Gap::Line) {
            break;
        }
        // A segment starts with a number before a street word, a house-number marker, a house
        // word or a street word.
        if doc.toks[i].class == Class::Num && doc.toks[i].len <= 4 {
            let mut k = number_suffix(doc, i) + 1;
            if doc.is_p(k, ',') {
                k += 1;
            }
            if k < n && !scan.used[k] && is_street(doc, k) {
                c.house_number = true;
                i = k;
                continue;
            }
            break;
        }
        if let Some(k) = house_number_after_marker(doc, i) {
            c.house_number = true;
            c.last = number_suffix(doc, k);
            i = c.last + 1;
            started = true;
        } else if is_house_word(doc, i) {
            let mut k = i + 1;
            if doc.is_p(k, '.') && doc.toks[k].gap == Gap::None {
                k += 1;
            }
            if let Some(m) = house_number_after_marker(doc, k) {
                k = m;
            }
            match doc.toks.get(k) {
                Some(t) if t.class == Class::Num || (t.class == Class::Word && t.len == 1 && t.case == Case::Upper) || (t.class == Class::Word && t.len == 1 && t.case == Case::Title) => {
                    c.house_number |= t.class == Class::Num;
                    c.strong_street = true;
                    c.last = number_suffix(doc, k);
                    i = c.last + 1;
                    started = true;
                }
                _ => {
                    if !is_street(doc, i) {
                        break;
                    }
                    c.last = i;
                    i = k;
                    started = true;
                }
            }
        } else if is_street(doc, i) {
            c.strong_street |= !is_weak_street(doc, i);
            c.last = i;
            i += 1;
            started = true;
            if doc.is_p(i, '.') && doc.toks[i].gap == Gap::None {
                c.last = i;
                i += 1;
            }
            // The street's name: capitalised words and particles (Latin), words that are not
            // stops (Arabic), numbers ("rue 5").
            let mut words = 0;
            while i < limit && !scan.used[i] && doc.toks[i].gap < Gap::Line {
                let t = &doc.toks[i];
                let f = doc.f(i);
                let ok = match (t.class, t.script) {
                    (Class::Num, _) => {
                        // A number directly followed by a street word starts the next segment.
                        let mut k = number_suffix(doc, i) + 1;
                        if doc.is_p(k, ',') {
                            k += 1;
                        }
                        t.len <= 4 && !(k < n && is_street(doc, k))
                    }
                    (Class::Word, Script::Latin) => {
                        if is_street(doc, i) || house_number_after_marker(doc, i).is_some() || is_house_word(doc, i) {
                            false
                        } else if matches!(t.case, Case::Title | Case::Upper) {
                            !lex.not_names.contains(f) || lex.particles_latin.contains(f)
                        } else {
                            lex.particles_latin.contains(f)
                                && doc.toks.get(i + 1).is_some_and(|n| matches!(n.case, Case::Title | Case::Upper) || doc.is_p(i + 1, '\''))
                        }
                    }
                    (Class::Word, Script::Arabic) => {
                        !is_street(doc, i)
                            && house_number_after_marker(doc, i).is_none()
                            && !lex.arabic_in(&lex.stops_arabic, f)
                            && !lex.stops_arabic_exact.contains(doc.o(i))
                            && !lex.functions.contains(f)
                            && words < 4
                    }
                    (Class::Punct, _) => {
                        (doc.is_p(i, '-') || doc.is_p(i, '\''))
                            && t.gap == Gap::None
                            && doc.toks.get(i + 1).is_some_and(|n| n.gap == Gap::None && n.class == Class::Word)
                    }
                    _ => false,
                };
                if !ok {
                    break;
                }
                if t.class == Class::Word {
                    words += 1;
                    c.named = true;
                }
                c.last = i;
                i += 1;
            }
        } else {
            break;
        }
        // Between segments: a comma, a dash or nothing, then another segment must start. One
        // adjective may end a segment ("Zone industrielle, lot n° 42").
        let mut k = i;
        if k + 1 < n
            && doc.toks[k].class == Class::Word
            && doc.toks[k].case == Case::Lower
            && doc.is_p(k + 1, ',')
            && !scan.used[k]
        {
            let adjective_end = k;
            let after = k + 2;
            if after < n && (is_street(doc, after) || is_house_word(doc, after) || house_number_after_marker(doc, after).is_some()) {
                c.last = adjective_end;
                k += 1;
            }
        }
        if k < n && (doc.is_p(k, ',') || doc.is_p(k, '-') || doc.is_p(k, '–') || doc.is_p(k, '،')) {
            k += 1;
        }
        if k >= n || scan.used[k] || doc.toks[k].gap >= Gap::Line {
            break;
        }
        let next_starts = is_street(doc, k)
            || is_house_word(doc, k)
            || house_number_after_marker(doc, k).is_some()
            || (doc.toks[k].class == Class::Num && {
                let mut m = number_suffix(doc, k) + 1;
                if doc.is_p(m, ',') {
                    m += 1;
                }
                m < n && is_street(doc, m)
            });
        if !next_starts {
            break;
        }
        i = k;
    }
    started.then_some(c)
}

/// The tokens after an address label's colon, to the end of the line or the next field.
fn label_block(scan: &Scan, hit: CueHit) -> Option<(usize, usize)> {
    let doc = scan.doc;
    let mut k = hit.last + 1;
    if !(doc.is_p(k, ':') || doc.is_p(k, '：')) {
        return None;
    }
    k += 1;
    let first = k;
    let mut last = None;
    while k < doc.toks.len() && !scan.used[k] {
        let t = &doc.toks[k];
        if k > first && t.gap >= Gap::Line {
            break;
        }
        if doc.is_p(k, '|') || doc.is_p(k, ';') || doc.is_p(k, '\t') {
            break;
        }
        let f = doc.f(k);
        if k > first && (FIELD_LABELS.contains(&f) || FIELD_LABELS.iter().any(|l| crate::fold::fold_str(l) == f)) {
            break;
        }
        if scan.cues.iter().any(|h| h.first == k && h.cue != Cue::AddressLabel) {
            break;
        }
        if t.class != Class::Punct || last.is_some() {
            last = Some(k);
        }
        k += 1;
    }
    // Trailing punctuation stays outside.
    let mut last = last?;
    while last > first && doc.toks[last].class == Class::Punct && !doc.is_p(last, ')') {
        last -= 1;
    }
    (doc.toks[last].class != Class::Punct).then_some((first, last))
}

pub(super) fn addresses(scan: &mut Scan) {
    let doc = scan.doc;
    // "Adresse : ..." blocks.
    let labels: Vec<CueHit> = scan.cues_of(Cue::AddressLabel).collect();
    for hit in labels {
        if let Some((f, l)) = label_block(scan, hit) {
            scan.push_toks(f, l, Kind::Adresse, prio::ADDRESS_BLOCK);
        }
    }
    // "demeurant au ..." / "القاطن ب...".
    let dwell: Vec<CueHit> = scan.cues_of(Cue::Dwelling).collect();
    for hit in dwell {
        let mut k = hit.last + 1;
        while k < doc.toks.len() && matches!(doc.f(k), "a" | "au" | "aux" | "en" | "at" | "in" | ":" | "ب" | "في") {
            k += 1;
        }
        if k >= doc.toks.len() || scan.used[k] {
            continue;
        }
        if let Some(c) = chain(scan, k) {
            if c.strong_street || c.house_number || c.named {
                scan.push_toks(k, c.last, Kind::Adresse, prio::ADDRESS_BLOCK);
            }
        }
    }
    // Street words with a house number, anywhere.
    free_addresses(scan);
    // An address block goes on over the next line when that line starts with a street word
    // ("Résidence Yasmine, Imm. B, Appt 3" then "Hay Al Andalous, Oujda").
    let mut i = 1;
    while i < doc.toks.len() {
        let t = &doc.toks[i];
        if t.gap >= Gap::Line && t.gap < Gap::Para && !scan.used[i] && is_street(doc, i) {
            let prev_end = doc.toks[i - 1].end;
            let above = scan.out.iter().any(|c| c.kind == Kind::Adresse && c.end == prev_end);
            if above {
                if let Some(c) = chain(scan, i) {
                    scan.push_toks(i, c.last, Kind::Adresse, prio::ADDRESS_BLOCK);
                    i = c.last + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
}

/// Street words with a house number, anywhere.
fn free_addresses(scan: &mut Scan) {
    let doc = scan.doc;
    let mut i = 0;
    while i < doc.toks.len() {
        if scan.used[i] {
            i += 1;
            continue;
        }
        let starts = is_street(doc, i)
            || is_house_word(doc, i)
            || (doc.toks[i].class == Class::Num && {
                let mut m = number_suffix(doc, i) + 1;
                if doc.is_p(m, ',') {
                    m += 1;
                }
                m < doc.toks.len() && is_street(doc, m) && !(i > 0 && doc.toks[i].gap == Gap::None && doc.toks[i - 1].class != Class::Punct)
            })
            || house_number_after_marker(doc, i).is_some_and(|k| {
                let mut m = number_suffix(doc, k) + 1;
                if doc.is_p(m, ',') {
                    m += 1;
                }
                m < doc.toks.len() && is_street(doc, m)
            });
        if starts {
            if let Some(c) = chain(scan, i) {
                if c.house_number && (c.strong_street || c.named || housing_context(doc, i)) {
                    scan.push_toks(i, c.last, Kind::Adresse, prio::ADDRESS);
                    i = c.last + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::hints::Hints;
    use crate::kind::Kind;

    fn of(text: &str) -> Vec<String> {
        detect(text, &Hints::new()).into_iter().filter(|f| f.kind == Kind::Adresse).map(|f| f.text).collect()
    }

    #[test]
    fn addresses_with_a_number() {
        assert_eq!(of("il habite 12, rue Ibn Sina, Hay Al Qods, à Oujda"), ["12, rue Ibn Sina, Hay Al Qods"]);
        assert_eq!(of("Résidence Al Amal, Imm. 4, Appt 12, Oujda"), ["Résidence Al Amal, Imm. 4, Appt 12"]);
        assert_eq!(of("Lotissement Al Wahda, n° 45"), ["Lotissement Al Wahda, n° 45"]);
        assert_eq!(of("Bd Mohammed V n° 120 bis"), ["Bd Mohammed V n° 120 bis"]);
        assert_eq!(of("زنقة 5 رقم 18 حي الأمل وجدة"), ["زنقة 5 رقم 18 حي الأمل"]);
        assert_eq!(of("رقم 12 زنقة ابن سينا، حي القدس"), ["رقم 12 زنقة ابن سينا، حي القدس"]);
    }

    #[test]
    fn address_blocks() {
        assert_eq!(of("Adresse : Douar Ouled Ali, Commune de Sidi Moussa\nTél"), ["Douar Ouled Ali, Commune de Sidi Moussa"]);
        assert_eq!(of("demeurant au 7, derb Sidi Ziane, Oujda"), ["7, derb Sidi Ziane"]);
        assert_eq!(of("القاطنة بدوار أولاد علي جماعة سيدي موسى"), ["بدوار أولاد علي"]);
        assert_eq!(of("demeurant à Oujda"), Vec::<String>::new());
        assert_eq!(of("العنوان: حي الأمل زنقة 3 رقم 9، وجدة"), ["حي الأمل زنقة 3 رقم 9، وجدة"]);
    }

    #[test]
    fn places_are_not_addresses() {
        for t in [
            "L'éclairage public du quartier Hay Al Qods sera renforcé.",
            "le lot n° 2 : travaux de voirie",
            "la route nationale n° 6",
            "la mise en place du comité",
            "Hôtel de Ville, Avenue Mohammed V, Oujda",
            "إصلاح الإنارة العمومية بحي القدس",
            "article 12 de la loi 113-14",
            "N° 1234/DAG/2026",
        ] {
            assert_eq!(of(t), Vec::<String>::new(), "{t}");
        }
    }
}
