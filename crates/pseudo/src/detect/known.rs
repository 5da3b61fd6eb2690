//! Values already known to be personal, found again wherever they occur: the hints (values of
//! form fields and sheet columns a template marks personal) and every name found in the run.
//!
//! One Aho-Corasick automaton over the folded text finds all of them in a single pass: each full
//! value, and for names each distinctive word of it (the surname of "Youssef Amrani" is found
//! alone as "AMRANI" or "Amrani"; common first names such as "Youssef" or "محمد" are not searched
//! alone, nor are particles). A Latin word found alone must be capitalised where it occurs, which
//! keeps a surname such as "Nour" from matching the noun "nour". In Arabic a name may carry a
//! prefix letter (والعلوي, لمحمد العلوي, للعلوي): the span starts after it, so the letter stays.
//!
//! Names that are part of a longer one ("Amrani" and "Youssef Amrani") share its key, so they get
//! one placeholder, unless the shorter one belongs to two different longer names (two Amranis),
//! in which case it keeps its own.
//!
//! Identifier hints (a CIN, a RIB given in a field) are kept in compact form and matched by the
//! number detectors whatever their spacing.

use std::collections::{BTreeSet, HashMap};

use aho_corasick::{AhoCorasick, MatchKind};

use super::{arabic_prefix_ok, key_of, name_key, prio, Cand};
use crate::fold;
use crate::hints::Hints;
use crate::kind::Kind;
use crate::lexicon::lexicon;
use crate::text::{Case, Doc, Script};

#[derive(Clone, Debug)]
struct Entry {
    /// Folded, spaces collapsed.
    pattern: String,
    kind: Kind,
    /// The key of the value (for a name word alone: the word's own key, aliased at finish).
    key: String,
    /// A whole value, not one word of a name.
    whole: bool,
    /// The match starts this many bytes into the pattern ("لل" variant: after the first "ل").
    skip: usize,
}

#[derive(Clone, Default)]
pub(crate) struct Known {
    ids: HashMap<String, Kind>,
    entries: Vec<Entry>,
    /// Name keys and the first original spelling seen for each.
    names: HashMap<String, String>,
    alias: HashMap<String, String>,
    ac: Option<AhoCorasick>,
}

impl std::fmt::Debug for Known {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Known holds personal data: never printed.
        write!(f, "Known {{ {} values, {} names }}", self.entries.len() + self.ids.len(), self.names.len())
    }
}

/// Folded with whitespace runs collapsed and surrounding punctuation trimmed.
fn pattern_of(value: &str) -> String {
    let f = fold::fold_str(value);
    let mut out = String::with_capacity(f.len());
    for w in f.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.trim_matches(|c: char| !(c.is_alphanumeric() || fold::is_mark(c))).to_string()
}

impl Known {
    pub fn from_hints(hints: &Hints) -> Known {
        let mut k = Known::default();
        for (value, kind) in hints.classified() {
            match kind {
                Kind::Nom => k.add_name(&value),
                Kind::Adresse | Kind::DateNaissance => {
                    let p = pattern_of(&value);
                    if !p.is_empty() {
                        k.entries.push(Entry { pattern: p, kind, key: key_of(kind, &value), whole: true, skip: 0 });
                    }
                }
                _ => {
                    let key = key_of(kind, &value);
                    if !key.is_empty() {
                        k.ids.insert(key, kind);
                    }
                    // Phones are compared in national form by the chain detector; other
                    // identifiers also as written, in case their shape is unusual.
                    let p = pattern_of(&value);
                    if p.chars().count() >= 5 {
                        k.entries.push(Entry { pattern: p, kind, key: key_of(kind, &value), whole: true, skip: 0 });
                    }
                }
            }
        }
        k.finish();
        k
    }

    pub fn has_ids(&self) -> bool {
        !self.ids.is_empty()
    }

    /// The kind of a known identifier given in compact form.
    pub fn id_kind(&self, compact: &str) -> Option<Kind> {
        if self.ids.is_empty() {
            return None;
        }
        self.ids.get(compact).copied().or_else(|| {
            // A phone hint is stored in national form.
            let k = crate::checks::phone_key(compact, false);
            self.ids.get(&k).copied().filter(|k| *k == Kind::Tel)
        })
    }

    /// Registers a name (a span found by a detector, or a hint): its full form and its
    /// distinctive words. Call [`Known::finish`] before searching.
    pub fn add_name(&mut self, text: &str) {
        let key = name_key(text);
        if key.is_empty() || self.names.contains_key(&key) {
            return;
        }
        self.names.insert(key.clone(), text.trim().to_string());
        let p = pattern_of(text);
        if p.is_empty() {
            return;
        }
        let lex = lexicon();
        self.push_name_pattern(&p, key.clone(), true);
        let words: Vec<&str> = p.split(|c: char| !(c.is_alphanumeric() || fold::is_mark(c))).filter(|w| !w.is_empty()).collect();
        if words.len() < 2 {
            return;
        }
        // The same name written surname first ("AMRANI Youssef", "El Idrissi Fatima Zahra"):
        // every rotation of its words.
        if words.len() <= 4 {
            for r in 1..words.len() {
                let rotated = words[r..].iter().chain(&words[..r]).copied().collect::<Vec<_>>().join(" ");
                if rotated != p {
                    self.push_name_pattern(&rotated, key.clone(), true);
                }
            }
        }
        for (n, w) in words.iter().enumerate() {
            let arabic = w.chars().next().is_some_and(fold::is_arabic_letter);
            let common = lex.first_names.contains(*w)
                || lex.particles_latin.contains(*w)
                || lex.particles_arabic.contains(*w)
                || lex.not_names.contains(*w)
                || lex.functions.contains(*w)
                || lex.stops_arabic.contains(*w)
                || lex.civ_latin.contains(*w)
                || lex.civ_arabic.contains(*w);
            // "عبد الله": the word after "عبد" belongs to it.
            let after_abd = n > 0 && words[n - 1] == "عبد";
            if common || after_abd || w.chars().count() < 3 || (arabic && w.chars().count() < 3) {
                continue;
            }
            self.push_name_pattern(w, name_key(w), false);
            if !self.names.contains_key(&name_key(w)) {
                // Restores to the word as first written in the full name.
                let orig = original_word(text, w).unwrap_or_else(|| (*w).to_string());
                self.names.entry(name_key(w)).or_insert(orig);
            }
        }
    }

    fn push_name_pattern(&mut self, p: &str, key: String, whole: bool) {
        self.entries.push(Entry { pattern: p.to_string(), kind: Kind::Nom, key: key.clone(), whole, skip: 0 });
        // "العلوي" is also written "للعلوي" after the preposition ل.
        if let Some(rest) = p.strip_prefix("ال") {
            let variant = format!("لل{rest}");
            self.entries.push(Entry { pattern: variant, kind: Kind::Nom, key, whole, skip: "ل".len() });
        }
    }

    /// Computes which names are part of a longer one and builds the automaton.
    ///
    /// A name's words are looked up in a word -> names index, so the cost grows with the names
    /// sharing a word, not with the square of all names (a sheet may bring thousands).
    pub fn finish(&mut self) {
        let keys: Vec<&String> = self.names.keys().collect();
        let sets: Vec<BTreeSet<&str>> = keys.iter().map(|k| k.split(' ').collect()).collect();
        let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, set) in sets.iter().enumerate() {
            for w in set {
                postings.entry(w).or_default().push(i);
            }
        }
        let mut alias = HashMap::new();
        for (i, set) in sets.iter().enumerate() {
            let Some(rarest) = set.iter().filter_map(|w| postings.get(w)).min_by_key(|p| p.len()) else { continue };
            let supers: Vec<usize> = rarest
                .iter()
                .copied()
                .filter(|&j| j != i && sets[j].len() > set.len() && set.is_subset(&sets[j]))
                .collect();
            // One person if every longer name containing this one is part of the longest.
            let Some(&longest) = supers.iter().max_by_key(|&&j| (sets[j].len(), keys[j])) else { continue };
            if supers.iter().all(|&j| j == longest || sets[j].is_subset(&sets[longest])) {
                alias.insert(keys[i].clone(), keys[longest].clone());
            }
        }
        self.alias = alias;
        self.ac = if self.entries.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(self.entries.iter().map(|e| e.pattern.as_str()))
                .ok()
        };
    }

    /// The key a name's placeholder is filed under: the longer name it is part of, if one.
    pub fn canonical<'k>(&'k self, key: &'k str) -> &'k str {
        self.alias.get(key).map_or(key, String::as_str)
    }

    /// The spelling a name key restores to.
    pub fn original(&self, key: &str) -> Option<&str> {
        self.names.get(key).map(String::as_str)
    }

    /// Every occurrence of a known value in `doc`, as candidates.
    pub fn find(&self, doc: &Doc, out: &mut Vec<Cand>) {
        let Some(ac) = &self.ac else { return };
        for m in ac.find_overlapping_iter(&doc.folded) {
            let e = &self.entries[m.pattern().as_usize()];
            let fstart = m.start() + e.skip;
            let Some(last) = doc.tok_ending_at(m.end()) else { continue };
            let first = match doc.tok_starting_at(fstart) {
                Some(f) => f,
                None => match doc.tok_at(fstart) {
                    Some(f) if e.kind == Kind::Nom && arabic_prefix_ok(doc, f, fstart) => f,
                    _ => continue,
                },
            };
            // Don't match a word that continues past the pattern (checked by tok_ending_at), nor
            // one glued to a word before it ("xAmrani"), except after an Arabic prefix.
            let t = &doc.toks[first];
            let start = if doc.tok_starting_at(fstart).is_some() {
                if first > 0 && t.gap == crate::text::Gap::None {
                    let p = &doc.toks[first - 1];
                    let glued_ok = p.class == crate::text::Class::Punct
                        || (p.script == Script::Arabic && t.script != Script::Arabic && p.len <= 2);
                    if !glued_ok {
                        continue;
                    }
                }
                t.start
            } else {
                // Inside an Arabic token after its prefix: map the folded offset back.
                let prefix = &doc.folded[t.fstart..fstart];
                let mut s = t.start;
                let mut seen = 0;
                for (i, c) in doc.text[t.start..t.end].char_indices() {
                    if seen >= prefix.chars().count() && !fold::is_mark(c) {
                        s = t.start + i;
                        break;
                    }
                    if !fold::is_mark(c) {
                        seen += 1;
                    }
                }
                s
            };
            if e.kind == Kind::Nom && !e.whole && t.script == Script::Latin && !matches!(t.case, Case::Title | Case::Upper) {
                continue;
            }
            // A surname in a street's name ("avenue Allal El Fassi", "شارع علال الفاسي") is the
            // street's.
            if e.kind == Kind::Nom && !e.whole && (first.saturating_sub(3)..first).any(|k| super::address::is_street(doc, k)) {
                continue;
            }
            // A first name next to a known surname is that person's ("Amine Benjelloun" once
            // "Fatima Zahra Benjelloun" is known): a new name, with its own key.
            let (mut start, mut end, mut key_override) = (start, doc.toks[last].end, false);
            if e.kind == Kind::Nom {
                let lex = lexicon();
                let is_first = |k: usize| {
                    let tk = &doc.toks[k];
                    tk.class == crate::text::Class::Word
                        && lex.first_names.contains(doc.f(k))
                        && (tk.script == Script::Arabic || matches!(tk.case, Case::Title | Case::Upper))
                };
                let mut f = first;
                while f > 0 && first - f < 2 && doc.toks[f].gap == crate::text::Gap::Space && is_first(f - 1) && doc.toks[f - 1].script == t.script {
                    f -= 1;
                }
                let mut l = last;
                while l + 1 < doc.toks.len() && l - last < 2 && doc.toks[l + 1].gap == crate::text::Gap::Space && t.script == Script::Latin && is_first(l + 1) {
                    l += 1;
                }
                if f != first || l != last {
                    start = doc.toks[f].start;
                    end = doc.toks[l].end;
                    key_override = true;
                }
            }
            let p = match (e.kind, e.whole) {
                (Kind::Nom, true) => prio::KNOWN_NAME,
                (Kind::Nom, false) => prio::KNOWN_SURNAME,
                (k, _) if k.is_identifier() => prio::KNOWN_ID,
                _ => prio::KNOWN_VALUE,
            };
            let key = if key_override {
                None
            } else if e.kind == Kind::Nom {
                Some(self.canonical(&e.key).to_string())
            } else {
                Some(e.key.clone())
            };
            out.push(Cand { start, end, kind: e.kind, prio: p, key });
        }
    }
}

/// The word of `text` whose folded form is `folded_word`, as written.
fn original_word(text: &str, folded_word: &str) -> Option<String> {
    text.split(|c: char| !(c.is_alphanumeric() || fold::is_mark(c)))
        .find(|w| fold::fold_str(w) == folded_word)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_surname_shares_the_full_name_key_unless_ambiguous() {
        let mut k = Known::default();
        k.add_name("Youssef Amrani");
        k.add_name("Amrani");
        k.finish();
        assert_eq!(k.canonical(&name_key("Amrani")), name_key("Youssef Amrani"));
        k.add_name("Fatima Amrani");
        k.finish();
        assert_eq!(k.canonical(&name_key("Amrani")), "amrani");
        assert_eq!(k.original("amrani"), Some("Amrani"));
    }

    #[test]
    fn arabic_prefixes_stay_outside_the_span() {
        let mut k = Known::default();
        k.add_name("محمد العلوي");
        k.finish();
        let text = "والعلوي و للعلوي و لمحمد العلوي";
        let doc = Doc::new(text);
        let mut out = Vec::new();
        k.find(&doc, &mut out);
        let spans: Vec<&str> = super::super::resolve(out).iter().map(|c| &text[c.start..c.end]).collect();
        assert_eq!(spans, ["العلوي", "لعلوي", "محمد العلوي"]);
    }
}
