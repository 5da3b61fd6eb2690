//! Detection: where personal data is in a text, as byte spans with their kind. No placeholders
//! here (see `pseudonymizer`).
//!
//! One text is tokenised and folded once ([`Doc`]); one automaton pass finds every keyword
//! (lexicon cues); then each detector looks at the tokens around what concerns it:
//! - `patterns`: e-mail and IBAN, at the character level;
//! - `numbers`: digit chains (RIB, ICE, phones) and the identifiers announced by a keyword
//!   (CIN, CNSS, IF, ICE, Massar);
//! - `dates`: dates of birth after their keyword;
//! - `address`: a street word with a house number, or what follows "demeurant à" / "Adresse :";
//! - `names`: names after a civility, a name label or a cue ("le nommé", "je soussigné");
//! - `known`: values already known to be personal (hints, names found anywhere in the run),
//!   every occurrence in one automaton pass, bare surnames included.
//!
//! Candidates may overlap; [`resolve`] keeps, among overlapping ones, the most certain (checked
//! identifiers first, repeated surnames last), then the longest.

mod address;
mod dates;
pub(crate) mod known;
mod names;
mod numbers;
mod patterns;
mod tables;

use serde::{Deserialize, Serialize};

use crate::fold;
use crate::hints::Hints;
use crate::kind::Kind;
use crate::lexicon::{lexicon, Cue};
use crate::text::{Class, Doc, Gap, Script};

pub(crate) use known::Known;

/// A span of personal data found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// Byte offset of the first byte, in the text given to [`detect`].
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
    pub kind: Kind,
    /// The text of the span, as written.
    pub text: String,
}

/// A candidate span, before overlaps are resolved.
#[derive(Clone, Debug)]
pub(crate) struct Cand {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Higher wins an overlap.
    pub prio: u8,
    /// The key of the value it belongs to when known in advance (a bare surname points to the
    /// full name found elsewhere); otherwise computed from the text.
    pub key: Option<String>,
}

/// Priorities: how certain each way of finding a value is.
pub(crate) mod prio {
    pub const EMAIL: u8 = 95;
    pub const IBAN: u8 = 92;
    pub const RIB: u8 = 91;
    pub const ICE: u8 = 90;
    pub const KNOWN_ID: u8 = 88;
    pub const KEYWORD_ID: u8 = 85;
    pub const TEL: u8 = 80;
    pub const BIRTH: u8 = 70;
    pub const ADDRESS_BLOCK: u8 = 62;
    pub const KNOWN_VALUE: u8 = 60;
    pub const NAME: u8 = 55;
    pub const ADDRESS: u8 = 50;
    pub const KNOWN_NAME: u8 = 45;
    pub const KNOWN_SURNAME: u8 = 30;
}

/// A keyword found in the text: its cue and the tokens it covers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CueHit {
    pub cue: Cue,
    pub first: usize,
    pub last: usize,
}

/// A text being analysed: its tokens, its cues, and which tokens a detection already took.
pub(crate) struct Scan<'d, 'a> {
    pub doc: &'d Doc<'a>,
    pub cues: Vec<CueHit>,
    pub used: Vec<bool>,
    pub out: Vec<Cand>,
}

impl<'d, 'a> Scan<'d, 'a> {
    fn new(doc: &'d Doc<'a>) -> Self {
        let cues = find_cues(doc);
        Scan { doc, cues, used: vec![false; doc.toks.len()], out: Vec::new() }
    }

    /// Records a candidate over tokens `first..=last` and marks them used.
    pub fn push_toks(&mut self, first: usize, last: usize, kind: Kind, prio: u8) {
        let (s, e) = (self.doc.toks[first].start, self.doc.toks[last].end);
        for u in &mut self.used[first..=last] {
            *u = true;
        }
        self.out.push(Cand { start: s, end: e, kind, prio, key: None });
    }

    /// Records a candidate over a byte range and marks the tokens it touches used.
    pub fn push_bytes(&mut self, start: usize, end: usize, kind: Kind, prio: u8) {
        let first = self.doc.toks.partition_point(|t| t.end <= start);
        for i in first..self.doc.toks.len() {
            if self.doc.toks[i].start >= end {
                break;
            }
            self.used[i] = true;
        }
        self.out.push(Cand { start, end, kind, prio, key: None });
    }

    /// The cues of one kind.
    pub fn cues_of(&self, cue: Cue) -> impl Iterator<Item = CueHit> + '_ {
        self.cues.iter().copied().filter(move |h| h.cue == cue)
    }
}

/// Every keyword of the lexicon in the text, aligned on tokens. An Arabic keyword may carry one
/// or two prefix letters (و ف ب ل ك) glued to its first word.
fn find_cues(doc: &Doc) -> Vec<CueHit> {
    let lex = lexicon();
    let mut hits = Vec::new();
    let Some(cues) = &lex.cues else { return hits };
    for m in cues.find_overlapping_iter(&doc.folded) {
        let Some(last) = doc.tok_ending_at(m.end()) else { continue };
        let first = match doc.tok_starting_at(m.start()) {
            Some(f) => f,
            None => match doc.tok_at(m.start()) {
                Some(f) if arabic_prefix_ok(doc, f, m.start()) => f,
                _ => continue,
            },
        };
        // A cue ends where a word ends: "nom" is no cue inside "nomination" (checked by
        // tok_ending_at) nor "cin" inside "c.i.n.e" (the next token touches a letter).
        if let Some(next) = doc.toks.get(last + 1) {
            if next.gap == Gap::None && next.class != Class::Punct && doc.toks[last].class != Class::Punct
            {
                continue;
            }
        }
        let cue = lex.cue_of[m.pattern().as_usize()];
        let orig = &doc.text[doc.toks[first].start..doc.toks[last].end];
        let ok = match cue {
            // "IF" and "ICE" are words in English and French ("if", "ice"): as abbreviations
            // they must be written in capitals.
            Cue::If | Cue::Ice if orig.chars().filter(|c| c.is_alphabetic()).count() <= 3 => {
                orig.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
            }
            // "né" folds to "ne", the French negation: the accent (or "nee") is required.
            Cue::Birth if first == last && doc.f(first) == "ne" => orig.contains(['é', 'É']),
            _ => true,
        };
        if ok {
            hits.push(CueHit { cue, first, last });
        }
    }
    hits
}

/// May a match start at `fpos` inside Arabic token `i`? Only after one or two prefix letters
/// (و ف ب ل ك) at the start of the token.
pub(crate) fn arabic_prefix_ok(doc: &Doc, i: usize, fpos: usize) -> bool {
    let t = &doc.toks[i];
    if t.script != Script::Arabic || fpos <= t.fstart {
        return false;
    }
    let prefix = &doc.folded[t.fstart..fpos];
    let n = prefix.chars().count();
    n <= 2 && prefix.chars().all(|c| matches!(c, 'و' | 'ف' | 'ب' | 'ل' | 'ك'))
}

/// Finds personal data in `text`: every span, its kind and its text, sorted by position,
/// non-overlapping. `hints` carries values known to be personal (form fields, sheet columns).
///
/// Also what to call on a model's answer to ask "does this still hold personal data?".
pub fn detect(text: &str, hints: &Hints) -> Vec<Found> {
    let doc = Doc::new(text);
    let known = Known::from_hints(hints);
    let mut cands = primary(&doc, &known);
    let mut names = known.clone();
    for c in cands.iter().filter(|c| c.kind == Kind::Nom) {
        names.add_name(&text[c.start..c.end]);
    }
    names.finish();
    names.find(&doc, &mut cands);
    resolve(cands)
        .into_iter()
        .map(|c| Found { start: c.start, end: c.end, kind: c.kind, text: text[c.start..c.end].to_string() })
        .collect()
}

/// Every detector but the repeat pass over known names.
pub(crate) fn primary(doc: &Doc, known: &Known) -> Vec<Cand> {
    let mut scan = Scan::new(doc);
    patterns::emails(&mut scan);
    patterns::ibans(&mut scan);
    numbers::keyword_ids(&mut scan, known);
    numbers::chains(&mut scan, known);
    dates::births(&mut scan);
    tables::tables(&mut scan);
    address::addresses(&mut scan);
    names::names(&mut scan);
    scan.out
}

/// Keeps the most certain of overlapping candidates, then the longest; sorted by position.
pub(crate) fn resolve(mut cands: Vec<Cand>) -> Vec<Cand> {
    cands.retain(|c| c.end > c.start);
    cands.sort_by(|a, b| {
        b.prio
            .cmp(&a.prio)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut taken: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let mut out = Vec::with_capacity(cands.len());
    for c in cands {
        // The accepted span starting at or before c.start, and the next one after.
        let before = taken.range(..=c.start).next_back().is_some_and(|(_, &e)| e > c.start);
        let after = taken.range(c.start..).next().is_some_and(|(&s, _)| s < c.end);
        if !before && !after {
            taken.insert(c.start, c.end);
            out.push(c);
        }
    }
    out.sort_by_key(|c| c.start);
    out
}

/// The key under which two spellings of a value are the same value (and get one placeholder).
pub(crate) fn key_of(kind: Kind, text: &str) -> String {
    match kind {
        Kind::Tel => {
            let plus = text.trim_start().starts_with('+');
            let mut d = fold::digits(text);
            // "+212 (0)6 ..." writes the trunk zero the international form drops.
            if text.contains("(0)") {
                if let Some(i) = d.find("2120") {
                    if i == 0 || d[..i].chars().all(|c| c == '0') {
                        d.replace_range(i + 3..i + 4, "");
                    }
                }
            }
            crate::checks::phone_key(&d, plus)
        }
        Kind::Rib | Kind::Ice | Kind::Cnss | Kind::If => fold::digits(text),
        Kind::Iban | Kind::Cin | Kind::Massar => fold::fold_str(text)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect(),
        Kind::Email => text.trim().to_lowercase(),
        Kind::DateNaissance => dates::date_key(text).unwrap_or_else(|| fold::fold_words(text)),
        Kind::Adresse => fold::fold_words(text),
        Kind::Nom => name_key(text),
    }
}

/// A name's key: its folded words, sorted, so "AMRANI Youssef" and "Youssef Amrani" are one.
pub(crate) fn name_key(text: &str) -> String {
    let folded = fold::fold_words(text);
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    words.dedup();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        detect(text, &Hints::new()).into_iter().map(|f| (f.kind, f.text)).collect()
    }

    #[test]
    fn resolve_prefers_certain_then_long() {
        let c = |s, e, p| Cand { start: s, end: e, kind: Kind::Nom, prio: p, key: None };
        let r = resolve(vec![c(0, 10, 10), c(5, 20, 50), c(20, 25, 10), c(0, 4, 10)]);
        let spans: Vec<(usize, usize)> = r.iter().map(|c| (c.start, c.end)).collect();
        assert_eq!(spans, vec![(0, 4), (5, 20), (20, 25)]);
    }

    #[test]
    fn finds_a_letter_full_of_identifiers() {
        let text = "Je soussigné Youssef AMRANI, titulaire de la CIN n° AB123456, tél. 06 12 34 56 78, \
                    e-mail y.amrani@example.ma, RIB 001 810 0078000201106203 18, né le 12 mars 1985 \
                    à Oujda, demeurant au 12, rue Ibn Sina, Hay Al Qods, Oujda.";
        let got = kinds(text);
        let want = [
            (Kind::Nom, "Youssef AMRANI"),
            (Kind::Cin, "AB123456"),
            (Kind::Tel, "06 12 34 56 78"),
            (Kind::Email, "y.amrani@example.ma"),
            (Kind::Rib, "001 810 0078000201106203 18"),
            (Kind::DateNaissance, "12 mars 1985"),
        ];
        for (k, t) in want {
            assert!(got.contains(&(k, t.to_string())), "{k:?} {t} not in {got:?}");
        }
        assert!(
            got.iter().any(|(k, t)| *k == Kind::Adresse && t.starts_with("12, rue Ibn Sina, Hay Al Qods")),
            "{got:?}"
        );
    }

    #[test]
    fn leaves_administrative_numbers_alone() {
        let text = "N° 1234/DAG/2026. Oujda, le 23 novembre 2026. Monsieur le Président du Conseil, \
                    en application de l'article 12 de la loi 113-14, le montant de 1 224 600 DH \
                    est imputé au chapitre 10, article 20, ligne 31 du budget 2026 (n° 4518). \
                    L'éclairage public du quartier Hay Al Qods sera renforcé. Le C4 et le lot 2 du marché.";
        assert_eq!(kinds(text), vec![]);
    }
}
