//! Restoring the model's answer locally, as it streams: every placeholder of the run replaced by
//! the value it stands for, the rest passed through untouched.
//!
//! The [`Restorer`] holds back only what could still become a placeholder: the tail of a chunk
//! from an opening bracket on, while what follows it is a prefix of a placeholder ("[", "[NO",
//! "[NOM_1", "[ date_nais"). Anything else, a Markdown link "[voir" included, is returned at once.
//! So a placeholder is restored whatever byte it is split at, and the added latency is nil for
//! text without brackets.
//!
//! What is accepted as a placeholder, since models do not always copy exactly:
//! - the tag in any case, with '_', a space, a dash or nothing before the number, accents on the
//!   tag ignored ("[nom_1]", "[NOM 1]", "[Nom-1]", "[NOM1]", "[DATE NAISSANCE 1]");
//! - up to three spaces inside the brackets ("[ NOM_1 ]");
//! - full-width and lenticular brackets ("［NOM_1］", "【NOM_1】");
//! - Markdown escapes ("\[NOM\_1\]");
//! - digits in Arabic-Indic or Persian script ("[NOM_١]");
//! - the English names a model may translate tags into ("[NAME_1]", "[PHONE_1]", "[ADDRESS_1]").
//!
//! An Arabic prefix glued to a placeholder (ل[NOM_1], و[NOM_1], ب[NOM_1]) stays where it is and the
//! value follows it. A well-formed placeholder that was never sent ("[NOM_9]" in a run with two
//! names) is left as written and reported as invented; one sent but never seen is reported as
//! dropped.
//!
//! Chunks are `&str`, so they are split on char boundaries: the SSE decoder upstream yields
//! decoded strings. Deliberately not here: bytes split inside a UTF-8 sequence.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::kind::Kind;
use crate::replacement::Replacement;

/// What the restoring of one answer found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreReport {
    /// Placeholders replaced by their value.
    pub restored: usize,
    /// Placeholders the model wrote differently ("[nom_1]", "[ NOM 1 ]"), restored anyway, as
    /// written.
    pub respelled: Vec<String>,
    /// Placeholders sent that the answer never mentions (informative: the model may simply not
    /// need them).
    pub dropped: Vec<String>,
    /// Placeholder-like tags in the answer that were never sent, left visible as written: the
    /// model made them up, the user must check that passage.
    pub invented: Vec<String>,
}

/// Restores one answer, chunk by chunk. Create one per answer with
/// [`crate::Pseudonymizer::restorer`].
pub struct Restorer {
    /// Values by kind (its index in `Kind::ALL`) and number.
    values: Vec<Vec<Option<String>>>,
    sent: Vec<(Kind, u32, String)>,
    seen: HashSet<(Kind, u32)>,
    pending: String,
    /// The last three characters shown: is a placeholder preceded by the preposition ل?
    tail: String,
    report: RestoreReport,
}

impl std::fmt::Debug for Restorer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The values are personal data: never printed.
        write!(f, "Restorer {{ {} placeholders, {} bytes pending }}", self.sent.len(), self.pending.len())
    }
}

/// The longest text that may still become a placeholder; past it the bracket was not one.
const MAX_PLACEHOLDER: usize = 64;

enum Parse {
    /// A placeholder of `len` bytes.
    Full { len: usize, kind: Kind, n: u32 },
    /// The input ends while it could still become one.
    Partial,
    No,
}

fn opener(s: &[u8]) -> Option<Result<usize, ()>> {
    // Ok(len) when complete, Err(()) when `s` ends inside a multi-byte opener.
    const OPENERS: [&[u8]; 3] = [b"[", "【".as_bytes(), "［".as_bytes()];
    for o in OPENERS {
        if s.starts_with(o) {
            return Some(Ok(o.len()));
        }
        if s.len() < o.len() && o.starts_with(s) {
            return Some(Err(()));
        }
    }
    None
}

fn closer(s: &[u8]) -> Option<Result<usize, ()>> {
    const CLOSERS: [&[u8]; 3] = [b"]", "】".as_bytes(), "］".as_bytes()];
    for c in CLOSERS {
        if s.starts_with(c) {
            return Some(Ok(c.len()));
        }
        if s.len() < c.len() && c.starts_with(s) {
            return Some(Err(()));
        }
    }
    None
}

/// Is `label` (upper-case ASCII, no separators) the start of a tag?
fn label_prefix(label: &str) -> bool {
    Kind::LABELS.iter().any(|l| l.starts_with(label))
}

/// Reads a placeholder at the start of `s`.
fn parse(s: &[u8]) -> Parse {
    let mut i = 0;
    if s.first() == Some(&b'\\') {
        i += 1;
        if i == s.len() {
            return Parse::Partial;
        }
    }
    match opener(&s[i..]) {
        Some(Ok(n)) => i += n,
        Some(Err(())) => return Parse::Partial,
        None => return Parse::No,
    }
    let mut spaces = 0;
    while i < s.len() && s[i] == b' ' {
        spaces += 1;
        if spaces > 3 {
            return Parse::No;
        }
        i += 1;
    }
    // The tag: letters, with separators and Markdown escapes between words.
    let mut label = String::with_capacity(16);
    let mut n: u32 = 0;
    let mut digits = 0;
    loop {
        if i >= s.len() || i > MAX_PLACEHOLDER {
            return if i > MAX_PLACEHOLDER { Parse::No } else { Parse::Partial };
        }
        let c = s[i];
        if digits == 0 {
            match c {
                b'a'..=b'z' | b'A'..=b'Z' => {
                    label.push(c.to_ascii_uppercase() as char);
                    if !label_prefix(&label) {
                        return Parse::No;
                    }
                    i += 1;
                    continue;
                }
                // É / é (C3 89 / C3 A9) in "TÉL", "DATE_NAISSANCE" spelt with accents.
                0xC3 => {
                    if i + 1 >= s.len() {
                        return Parse::Partial;
                    }
                    if matches!(s[i + 1], 0x89 | 0xA9) {
                        label.push('E');
                        if !label_prefix(&label) {
                            return Parse::No;
                        }
                        i += 2;
                        continue;
                    }
                    return Parse::No;
                }
                b'_' | b' ' | b'-' | b'\\' if !label.is_empty() => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
        }
        // Digits: ASCII, Arabic-Indic (D9 A0..A9), Persian (DB B0..B9).
        let d = match c {
            b'0'..=b'9' => Some((u32::from(c - b'0'), 1)),
            0xD9 | 0xDB => {
                if i + 1 >= s.len() {
                    return Parse::Partial;
                }
                match (c, s[i + 1]) {
                    (0xD9, b @ 0xA0..=0xA9) => Some((u32::from(b - 0xA0), 2)),
                    (0xDB, b @ 0xB0..=0xB9) => Some((u32::from(b - 0xB0), 2)),
                    _ => None,
                }
            }
            _ => None,
        };
        match d {
            Some((v, w)) => {
                if digits == 0 && Kind::from_label(&label).is_none() {
                    return Parse::No;
                }
                digits += 1;
                if digits > 4 {
                    return Parse::No;
                }
                n = n * 10 + v;
                i += w;
            }
            None if digits == 0 => return Parse::No,
            None => break,
        }
    }
    let Some(kind) = Kind::from_label(&label) else { return Parse::No };
    let mut spaces = 0;
    while i < s.len() && s[i] == b' ' {
        spaces += 1;
        if spaces > 3 {
            return Parse::No;
        }
        i += 1;
    }
    if i < s.len() && s[i] == b'\\' {
        i += 1;
    }
    if i >= s.len() {
        return Parse::Partial;
    }
    match closer(&s[i..]) {
        Some(Ok(c)) => Parse::Full { len: i + c, kind, n },
        Some(Err(())) => Parse::Partial,
        None => Parse::No,
    }
}

/// Appends `x` to `out`, remembering in `tail` the last three characters shown (for the Arabic
/// prefix).
fn emit(tail: &mut String, out: &mut String, x: &str) {
    if x.is_empty() {
        return;
    }
    out.push_str(x);
    match x.char_indices().rev().nth(2) {
        Some((i, _)) => {
            tail.clear();
            tail.push_str(&x[i..]);
        }
        None => {
            tail.push_str(x);
            let cut = tail.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
            tail.drain(..cut);
        }
    }
}

/// Does `tail` end with the preposition ل glued to what follows, alone or after و / ف ("ل", "ول",
/// "فل", not the end of a word such as "جمل")?
fn lam_prefix(tail: &str) -> bool {
    let arabic: String = tail.chars().rev().take_while(|c| crate::fold::is_arabic_letter(*c)).collect();
    matches!(arabic.as_str(), "ل" | "لو" | "لف")
}

fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// Is `written` exactly "[TAG_n]" (what was sent)? Compared without building the string.
fn is_canonical(written: &str, kind: Kind, n: u32) -> bool {
    let Some(inner) = written.strip_prefix('[').and_then(|w| w.strip_suffix(']')) else { return false };
    let Some(num) = inner.strip_prefix(kind.tag()).and_then(|w| w.strip_prefix('_')) else { return false };
    !num.starts_with('0') && num.bytes().all(|b| b.is_ascii_digit()) && num.parse::<u32>().ok() == Some(n)
}

/// Could byte `b` start a placeholder ('\', '[', or the lead byte of 【 / ［)?
#[inline]
fn may_open(b: u8) -> bool {
    matches!(b, b'[' | b'\\' | 0xE3 | 0xEF)
}

impl Restorer {
    pub(crate) fn new(replacements: &[Replacement]) -> Restorer {
        let mut values: Vec<Vec<Option<String>>> = vec![Vec::new(); Kind::ALL.len()];
        let mut sent = Vec::new();
        for r in replacements {
            if let Parse::Full { kind, n, .. } = parse(r.placeholder.as_bytes()) {
                let slot = &mut values[kind_index(kind)];
                if slot.len() <= n as usize {
                    slot.resize(n as usize + 1, None);
                }
                slot[n as usize] = Some(r.original.clone());
                sent.push((kind, n, r.placeholder.clone()));
            }
        }
        Restorer {
            values,
            sent,
            seen: HashSet::new(),
            pending: String::new(),
            tail: String::new(),
            report: RestoreReport::default(),
        }
    }

    /// Restores one chunk: returns the text ready to show (possibly empty when the chunk only
    /// extends a placeholder being written).
    pub fn push(&mut self, chunk: &str) -> String {
        let mut out = String::with_capacity(chunk.len() + 16);
        self.push_into(chunk, &mut out);
        out
    }

    /// Like [`Restorer::push`], appending to `out` (no allocation per chunk).
    pub fn push_into(&mut self, chunk: &str, out: &mut String) {
        if self.pending.is_empty() {
            let kept = self.scan(chunk, out);
            self.pending.push_str(&chunk[kept..]);
        } else {
            let mut buf = std::mem::take(&mut self.pending);
            buf.push_str(chunk);
            let kept = self.scan(&buf, out);
            buf.drain(..kept);
            self.pending = buf;
        }
    }

    /// Writes the restored part of `s` to `out`; returns where the held-back tail starts.
    fn scan(&mut self, s: &str, out: &mut String) -> usize {
        let b = s.as_bytes();
        let mut flushed = 0;
        let mut i = 0;
        while i < b.len() {
            if !may_open(b[i]) {
                i += 1;
                continue;
            }
            match parse(&b[i..]) {
                Parse::Full { len, kind, n } => {
                    let written = &s[i..i + len];
                    emit(&mut self.tail, out, &s[flushed..i]);
                    match self.values[kind_index(kind)].get(n as usize).and_then(Option::as_ref) {
                        Some(v) => {
                            // ل + ال is written لل: "ل[NOM_1]" with "العلوي" gives "للعلوي".
                            let v = match v.strip_prefix('ا') {
                                Some(rest) if rest.starts_with('ل') && lam_prefix(&self.tail) => rest,
                                _ => v.as_str(),
                            };
                            emit(&mut self.tail, out, v);
                            self.seen.insert((kind, n));
                            self.report.restored += 1;
                            if !is_canonical(written, kind, n) && !self.report.respelled.iter().any(|r| r == written) {
                                self.report.respelled.push(written.to_string());
                            }
                        }
                        None => {
                            emit(&mut self.tail, out, written);
                            if !self.report.invented.iter().any(|r| r == written) {
                                self.report.invented.push(written.to_string());
                            }
                        }
                    }
                    i += len;
                    flushed = i;
                }
                Parse::Partial => {
                    emit(&mut self.tail, out, &s[flushed..i]);
                    return i;
                }
                Parse::No => i += 1,
            }
        }
        emit(&mut self.tail, out, &s[flushed..]);
        s.len()
    }

    /// The end of the answer: returns what was held back (an unfinished bracket, as written).
    pub fn finish(&mut self) -> String {
        std::mem::take(&mut self.pending)
    }

    /// What this answer's restoring found: respelled, dropped and invented placeholders.
    pub fn report(&self) -> RestoreReport {
        let mut r = self.report.clone();
        r.dropped = self
            .sent
            .iter()
            .filter(|(k, n, _)| !self.seen.contains(&(*k, *n)))
            .map(|(_, _, p)| p.clone())
            .collect();
        r
    }

    /// How many bytes are held back now (for tests and benchmarks).
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn restorer() -> Restorer {
        let r = |p: &str, k, o: &str| Replacement {
            placeholder: p.into(),
            kind: k,
            original: o.into(),
            spellings: vec![],
            origins: vec![],
            count: 1,
        };
        Restorer::new(&[
            r("[NOM_1]", Kind::Nom, "Youssef Amrani"),
            r("[CIN_1]", Kind::Cin, "AB123456"),
            r("[DATE_NAISSANCE_1]", Kind::DateNaissance, "12 mars 1985"),
            r("[TEL_1]", Kind::Tel, "06 12 34 56 78"),
        ])
    }

    fn all(chunks: &[&str]) -> (String, RestoreReport) {
        let mut r = restorer();
        let mut s = String::new();
        for c in chunks {
            s.push_str(&r.push(c));
        }
        s.push_str(&r.finish());
        (s, r.report())
    }

    #[test]
    fn variants_are_restored() {
        let (s, rep) = all(&["M. [nom_1], [ NOM 1 ], 【NOM_1】, \\[NOM\\_1\\], [Nom-1], [NOM1], [NAME_1], [NOM_١], ［CIN_1］, [DATE NAISSANCE 1], [Date_Naissance_1]"]);
        assert_eq!(
            s,
            "M. Youssef Amrani, Youssef Amrani, Youssef Amrani, Youssef Amrani, Youssef Amrani, Youssef Amrani, \
             Youssef Amrani, Youssef Amrani, AB123456, 12 mars 1985, 12 mars 1985"
        );
        assert_eq!(rep.restored, 11);
        assert_eq!(rep.dropped, ["[TEL_1]"]);
        assert!(rep.invented.is_empty());
        assert_eq!(rep.respelled.len(), 11);
    }

    #[test]
    fn lam_and_al_make_lam_lam() {
        let r = |p: &str, o: &str| Replacement {
            placeholder: p.into(),
            kind: Kind::Nom,
            original: o.into(),
            spellings: vec![],
            origins: vec![],
            count: 1,
        };
        let mut rs = Restorer::new(&[r("[NOM_1]", "العلوي"), r("[NOM_2]", "محمد العلوي")]);
        let mut s = String::new();
        for c in ["ل[NOM_1] و", "ل[NOM_1] ب[NOM_1] جمل[NOM_1] ل", "[NOM_2] [NOM_1]"] {
            s.push_str(&rs.push(c));
        }
        assert_eq!(s, "للعلوي وللعلوي بالعلوي جملالعلوي لمحمد العلوي العلوي");
    }

    #[test]
    fn arabic_prefixes_stay() {
        let (s, _) = all(&["ل[NOM_1] و[NOM_1] ب[NOM_1]"]);
        assert_eq!(s, "لYoussef Amrani وYoussef Amrani بYoussef Amrani");
    }

    #[test]
    fn holds_back_only_what_may_become_a_placeholder() {
        let mut r = restorer();
        assert_eq!(r.push("Bonjour [NO"), "Bonjour ");
        assert_eq!(r.pending_len(), 3);
        assert_eq!(r.push("M_1] et [voir"), "Youssef Amrani et [voir");
        assert_eq!(r.push(" le lien]"), " le lien]");
        assert_eq!(r.push("x \\"), "x ");
        assert_eq!(r.push("n"), "\\n");
        assert_eq!(r.push("[NOM_12345]"), "[NOM_12345]");
        assert_eq!(r.push("[TEL_1"), "");
        assert_eq!(r.finish(), "[TEL_1");
    }

    #[test]
    fn invented_and_dropped() {
        let (s, rep) = all(&["[NOM_1] et [NOM_7] et [CIN_2]."]);
        assert_eq!(s, "Youssef Amrani et [NOM_7] et [CIN_2].");
        assert_eq!(rep.invented, ["[NOM_7]", "[CIN_2]"]);
        assert_eq!(rep.dropped, ["[CIN_1]", "[DATE_NAISSANCE_1]", "[TEL_1]"]);
    }
}
