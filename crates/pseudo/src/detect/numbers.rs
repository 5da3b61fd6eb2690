//! Numbers: identifiers announced by a keyword (CIN, CNSS, IF, ICE, Massar) and digit chains
//! (RIB, ICE, phones) recognised by their length, their check digits and their grouping.
//!
//! A digit chain is a run of digit groups joined by one separator each (space, dot, dash, or the
//! "(0)" of "+212 (0)6..."). Within a chain, the longest span that is a valid RIB, a valid ICE or
//! a phone wins; a phone must be grouped consistently (one separator kind) and must not be the
//! head of a longer group run, which keeps "06-07-2026 12" and "1 224 600" out.
//!
//! CIN, CNSS, IF and Massar numbers have no public check digit: they count only after their
//! keyword (within a few words: "CIN n° AB123456", "رقم البطاقة الوطنية: AB123456"), in a table
//! whose header names them (see `tables`), or when their value is known (a hint). That is what keeps
//! "C4", "A12345" in an article and plain amounts out.

use super::{prio, CueHit, Scan};
use crate::checks::{ice_ok, rib_ok};
use crate::detect::known::Known;
use crate::kind::Kind;
use crate::lexicon::Cue;
use crate::text::{Class, Doc, Gap, Script};

/// Is token `i` one or two ASCII letters directly followed by a number of `lens` digits? Returns
/// the index of the number token.
fn letters_digits(doc: &Doc, i: usize, letters: std::ops::RangeInclusive<usize>, lens: std::ops::RangeInclusive<usize>) -> Option<usize> {
    let t = &doc.toks[i];
    if t.class != Class::Word || t.script != Script::Latin || !letters.contains(&t.len) {
        return None;
    }
    if !doc.o(i).bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    // Not glued to a word or number before.
    if t.gap == Gap::None && i > 0 && doc.toks[i - 1].class != Class::Punct {
        return None;
    }
    let mut j = i + 1;
    let n = doc.toks.get(j)?;
    if n.class == Class::Punct && doc.is_p(j, '-') && n.gap == Gap::None {
        j += 1;
    }
    let n = doc.toks.get(j)?;
    if n.class != Class::Num || !lens.contains(&n.len) || n.gap > Gap::Space {
        return None;
    }
    if j > i + 1 && n.gap != Gap::None {
        return None;
    }
    // Not glued to a word or number after.
    if let Some(a) = doc.toks.get(j + 1) {
        if a.gap == Gap::None && a.class != Class::Punct {
            return None;
        }
    }
    Some(j)
}

/// The compact form of tokens `i..=j` (letters upper-cased, digits ASCII).
fn compact(doc: &Doc, i: usize, j: usize) -> String {
    (i..=j)
        .filter(|&k| doc.toks[k].class != Class::Punct)
        .map(|k| doc.f(k).to_ascii_uppercase())
        .collect()
}

/// The tokens a keyword's value may be in: the next `n` tokens in the same paragraph. (A column
/// headed "CIN" is read by `tables`.)
fn window(doc: &Doc, hit: CueHit, n: usize) -> std::ops::Range<usize> {
    let from = hit.last + 1;
    let mut to = from;
    while to < doc.toks.len() && to - from < n {
        if doc.toks[to].gap == Gap::Para {
            break;
        }
        to += 1;
    }
    from..to
}

/// Identifiers announced by their keyword, and known identifier values wherever they are.
pub(super) fn keyword_ids(scan: &mut Scan, known: &Known) {
    let doc = scan.doc;
    // Known CIN / Massar values (a hint), whatever the context.
    if known.has_ids() {
        for i in 0..doc.toks.len() {
            if scan.used[i] {
                continue;
            }
            if let Some(j) = letters_digits(doc, i, 1..=2, 4..=10) {
                if let Some(kind) = known.id_kind(&compact(doc, i, j)) {
                    scan.push_toks(i, j, kind, prio::KNOWN_ID);
                }
            }
        }
    }
    let hits: Vec<CueHit> = scan.cues.clone();
    for hit in hits {
        match hit.cue {
            Cue::Cin => {
                for i in window(doc, hit, 12) {
                    if scan.used[i] {
                        continue;
                    }
                    if let Some(j) = letters_digits(doc, i, 1..=2, 5..=6) {
                        if !scan.used[j] {
                            scan.push_toks(i, j, Kind::Cin, prio::KEYWORD_ID);
                        }
                    }
                }
            }
            Cue::Massar => {
                for i in window(doc, hit, 8) {
                    if scan.used[i] {
                        continue;
                    }
                    if let Some(j) = letters_digits(doc, i, 1..=1, 9..=9) {
                        scan.push_toks(i, j, Kind::Massar, prio::KEYWORD_ID);
                    }
                }
            }
            Cue::Cnss | Cue::If => {
                let (kind, lens) = if hit.cue == Cue::Cnss { (Kind::Cnss, 7..=10) } else { (Kind::If, 6..=10) };
                for i in window(doc, hit, 6) {
                    let t = &doc.toks[i];
                    if scan.used[i] || t.class != Class::Num {
                        continue;
                    }
                    let grouped = doc.toks.get(i + 1).is_some_and(|n| n.class == Class::Num && n.gap == Gap::Space)
                        || (i > 0 && doc.toks[i - 1].class == Class::Num);
                    let single = !grouped;
                    let glued = t.gap == Gap::None && i > 0 && doc.toks[i - 1].class == Class::Word;
                    if single && !glued && lens.contains(&t.len) {
                        scan.push_toks(i, i, kind, prio::KEYWORD_ID);
                    }
                    // The first number after the keyword is its value or nothing.
                    break;
                }
            }
            Cue::Ice => {
                for i in window(doc, hit, 6) {
                    if scan.used[i] || doc.toks[i].class != Class::Num {
                        continue;
                    }
                    if let Some(chain) = chain_at(scan, i) {
                        let digits: usize = chain.groups.iter().map(|g| doc.toks[g.tok].len).sum();
                        if digits == 15 {
                            let last = chain.groups.last().map_or(i, |g| g.tok);
                            scan.push_toks(i, last, Kind::Ice, prio::KEYWORD_ID);
                        }
                    }
                    break;
                }
            }
            _ => {}
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    First,
    Space,
    Dot,
    Dash,
    /// "(0)" between the country code and the number.
    Zero,
}

#[derive(Clone, Copy, Debug)]
struct Group {
    tok: usize,
    sep: Sep,
}

struct Chain {
    plus: bool,
    groups: Vec<Group>,
}

/// The digit chain starting at token `i`, if `i` can start one.
fn chain_at(scan: &Scan, i: usize) -> Option<Chain> {
    let doc = scan.doc;
    let t = &doc.toks[i];
    if t.class != Class::Num || scan.used[i] {
        return None;
    }
    let plus = i > 0 && t.gap == Gap::None && doc.is_p(i - 1, '+');
    if t.gap == Gap::None && i > 0 && !plus {
        let p = &doc.toks[i - 1];
        // Glued to letters (a code such as "AB123456" or "C4") or to a slash ("1234/DAG").
        if p.class == Class::Word || doc.is_p(i - 1, '/') || doc.is_p(i - 1, ',') {
            return None;
        }
    }
    let mut groups = vec![Group { tok: i, sep: Sep::First }];
    let mut k = i;
    loop {
        let next = k + 1;
        let Some(n) = doc.toks.get(next) else { break };
        let (sep, num) = if n.class == Class::Num && n.gap == Gap::Space {
            (Sep::Space, next)
        } else if n.class == Class::Punct
            && n.gap == Gap::None
            && (doc.is_p(next, '.') || doc.is_p(next, '-'))
            && doc.toks.get(next + 1).is_some_and(|m| m.class == Class::Num && m.gap == Gap::None)
        {
            (if doc.is_p(next, '.') { Sep::Dot } else { Sep::Dash }, next + 1)
        } else if doc.is_p(next, '(')
            && groups.len() == 1
            && doc.f(k) == "212"
            && doc.toks.get(next + 1).is_some_and(|m| m.class == Class::Num && doc.f(next + 1) == "0")
            && doc.is_p(next + 2, ')')
            && doc.toks.get(next + 3).is_some_and(|m| m.class == Class::Num && m.gap <= Gap::Space)
        {
            (Sep::Zero, next + 3)
        } else {
            break;
        };
        if scan.used[num] {
            break;
        }
        groups.push(Group { tok: num, sep });
        k = num;
    }
    // A chain glued to letters after it is a code, not a number ("2026A").
    if let Some(a) = doc.toks.get(k + 1) {
        if a.gap == Gap::None && a.class == Class::Word {
            return None;
        }
    }
    Some(Chain { plus, groups })
}

/// Is `groups[i..=j]` of `chain` a phone number? `digits` are its digits.
fn is_phone(doc: &Doc, chain: &Chain, i: usize, j: usize, digits: &str) -> bool {
    let d = digits.as_bytes();
    let plus = chain.plus && i == 0;
    let mobile = |c: u8| (b'5'..=b'8').contains(&c);
    let (intl, moroccan) = if plus {
        (true, d.len() == 12 && digits.starts_with("212") && mobile(d[3]))
    } else if digits.starts_with("00") {
        (true, d.len() == 14 && digits.starts_with("00212") && mobile(d[5]))
    } else {
        (false, d.len() == 10 && d[0] == b'0' && mobile(d[1]))
    };
    let other = intl
        && !moroccan
        && if plus { (9..=15).contains(&d.len()) && !digits.starts_with("212") } else {
            (11..=15).contains(&d.len()) && d[2] != b'0' && !digits.starts_with("00212")
        };
    if !(moroccan || other) {
        return false;
    }
    let gs = &chain.groups[i..=j];
    // The separators inside the number, the one after the country code set apart.
    let inner: Vec<Sep> = gs.iter().skip(if intl { 2 } else { 1 }).map(|g| g.sep).collect();
    if let Some(first) = inner.first() {
        if inner.iter().any(|s| s != first) {
            return false;
        }
    }
    // Groups of two digits or more, but for the one after a country code ("+212 6 12 34 56 78").
    for (n, g) in gs.iter().enumerate() {
        let len = doc.toks[g.tok].len;
        if len < 2 && !(intl && n == 1) {
            return false;
        }
    }
    // Not the head or tail of a longer run grouped the same way ("06 12 34 56 78 90").
    let inner_sep = inner.first().copied();
    let same = |s: Sep| inner_sep.is_none_or(|x| x == s) && s != Sep::First;
    if j + 1 < chain.groups.len() && inner_sep.is_some() && same(chain.groups[j + 1].sep) {
        return false;
    }
    if i > 0 && inner_sep.is_some() && same(chain.groups[i].sep) {
        return false;
    }
    true
}

/// RIBs, ICEs and phones in digit chains.
pub(super) fn chains(scan: &mut Scan, known: &Known) {
    let doc = scan.doc;
    let mut i = 0;
    while i < doc.toks.len() {
        let Some(chain) = chain_at(scan, i) else {
            i += 1;
            continue;
        };
        let n = chain.groups.len();
        let mut g = 0;
        while g < n {
            let mut digits = String::with_capacity(24);
            let mut best: Option<(usize, Kind, u8)> = None;
            let mut ends: Vec<(usize, String)> = Vec::new();
            for (h, grp) in chain.groups.iter().enumerate().skip(g) {
                digits.push_str(doc.f(grp.tok));
                if digits.len() > 24 {
                    break;
                }
                ends.push((h, digits.clone()));
            }
            for (h, d) in ends.iter().rev() {
                if let Some(kind) = known.id_kind(d) {
                    best = Some((*h, kind, prio::KNOWN_ID));
                } else if rib_ok(d) {
                    best = Some((*h, Kind::Rib, prio::RIB));
                } else if ice_ok(d) {
                    best = Some((*h, Kind::Ice, prio::ICE));
                } else if is_phone(doc, &chain, g, *h, d) {
                    best = Some((*h, Kind::Tel, prio::TEL));
                }
                if best.is_some() {
                    break;
                }
            }
            match best {
                Some((h, kind, p)) => {
                    let first = if chain.plus && g == 0 { chain.groups[0].tok - 1 } else { chain.groups[g].tok };
                    scan.push_toks(first, chain.groups[h].tok, kind, p);
                    g = h + 1;
                }
                None => g += 1,
            }
        }
        i = chain.groups[n - 1].tok + 1;
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::hints::Hints;
    use crate::kind::Kind;

    fn of(text: &str, kind: Kind) -> Vec<String> {
        detect(text, &Hints::new()).into_iter().filter(|f| f.kind == kind).map(|f| f.text).collect()
    }

    #[test]
    fn phones_in_every_spelling() {
        let text = "Tél : 06 12 34 56 78 / 0612345678 / 06.12.34.56.78 / 06-12-34-56-78 / \
                    +212 6 12 34 56 78 / +212 (0)6 12 34 56 78 / 00212 612 345 678 / +212612345678 \
                    / 0536 68 24 00 / +33 1 42 68 53 00 / ٠٦١٢٣٤٥٦٧٨ / ۰۷ ۶۱ ۲۴ ۳۸ ۷۵";
        let got = of(text, Kind::Tel);
        assert_eq!(
            got,
            [
                "06 12 34 56 78", "0612345678", "06.12.34.56.78", "06-12-34-56-78",
                "+212 6 12 34 56 78", "+212 (0)6 12 34 56 78", "00212 612 345 678",
                "+212612345678", "0536 68 24 00", "+33 1 42 68 53 00", "٠٦١٢٣٤٥٦٧٨", "۰۷ ۶۱ ۲۴ ۳۸ ۷۵",
            ]
        );
    }

    #[test]
    fn numbers_that_are_not_phones() {
        for text in [
            "le 06-07-2026 12 h", "montant : 1 224 600 DH", "06 12 34 56 78 90", "réf. 0612345/2026",
            "loi 113-14 article 12", "chapitre 10.20.30.40.50", "1234/DAG/2026", "n° 4518",
        ] {
            assert_eq!(of(text, Kind::Tel), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn cin_needs_its_keyword() {
        assert_eq!(of("titulaire de la CIN n° AB123456", Kind::Cin), ["AB123456"]);
        assert_eq!(of("C.I.N : J 456789 et CD-789012", Kind::Cin), ["J 456789", "CD-789012"]);
        assert_eq!(of("الحامل للبطاقة الوطنية رقم FA123456", Kind::Cin), ["FA123456"]);
        assert_eq!(of("ب.ت.و: ZT98765", Kind::Cin), ["ZT98765"]);
        assert_eq!(of("le dossier AB123456 et la salle C4", Kind::Cin), Vec::<String>::new());
        // In a table whose header names the column.
        assert_eq!(of("Nom;CIN;Ville\nAmrani;AB123456;Oujda\nBennani;F654321;Berkane", Kind::Cin), ["AB123456", "F654321"]);
    }

    #[test]
    fn ribs_ices_and_keyword_numbers() {
        assert_eq!(of("RIB : 001 810 0078000201106203 18.", Kind::Rib), ["001 810 0078000201106203 18"]);
        assert_eq!(of("compte 001810007800020110620319", Kind::Rib), Vec::<String>::new());
        assert_eq!(of("ICE 001561191000066", Kind::Ice), ["001561191000066"]);
        assert_eq!(of("la société (002136093000040)", Kind::Ice), ["002136093000040"]);
        assert_eq!(of("ICE : 001561191000065", Kind::Ice), ["001561191000065"]);
        assert_eq!(of("immatriculé à la CNSS sous le n° 123456789", Kind::Cnss), ["123456789"]);
        assert_eq!(of("IF : 40123456", Kind::If), ["40123456"]);
        assert_eq!(of("if 40123456 then", Kind::If), Vec::<String>::new());
        assert_eq!(of("code Massar G131234567", Kind::Massar), ["G131234567"]);
        assert_eq!(of("رمز مسار: J130045678", Kind::Massar), ["J130045678"]);
        assert_eq!(of("CNSS : 1 224 600 DH", Kind::Cnss), Vec::<String>::new());
    }
}
