//! One run's pseudonymisation: every personal value in the run's texts replaced by a typed,
//! numbered placeholder ([NOM_1], [CIN_2]...), the same placeholder for every spelling of one
//! value across all the texts of the run, and the list of replacements for the user to see.
//!
//! A `Pseudonymizer` is the run's only state: create one per run and drop it with the run. There
//! is no global mapping, so nothing leaks from one run into another; two runs never share
//! numbering.
//!
//! Two phases, so a bare surname in the first text is caught even when the full name only
//! appears in the third: [`Pseudonymizer::learn`] every text, then [`Pseudonymizer::apply`]
//! each; [`Pseudonymizer::apply_all`] does both.
//!
//! Deliberately not here: sending, and restoring the answer (see `restore`).

use std::collections::HashMap;

use crate::detect::{key_of, primary, resolve, Cand, Known};
use crate::hints::Hints;
use crate::kind::Kind;
use crate::replacement::Replacement;
use crate::restore::Restorer;
use crate::text::Doc;

/// The pseudonymisation state of one run. Its `Debug` prints no value.
#[derive(Default)]
pub struct Pseudonymizer {
    known: Known,
    hint_known: Known,
    by_key: HashMap<(Kind, String), usize>,
    counters: HashMap<Kind, u32>,
    replacements: Vec<Replacement>,
}

impl std::fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The mapping is personal data: only its size is printed.
        write!(f, "Pseudonymizer {{ {} replacements }}", self.replacements.len())
    }
}

impl Pseudonymizer {
    /// A new run, with the values the caller knows to be personal.
    pub fn new(hints: Hints) -> Pseudonymizer {
        let known = Known::from_hints(&hints);
        Pseudonymizer { hint_known: known.clone(), known, ..Default::default() }
    }

    /// Reads a text of the run and remembers the names it holds, so that their later
    /// occurrences (bare surnames included) are replaced in every text of the run.
    pub fn learn(&mut self, text: &str) {
        let doc = Doc::new(text);
        let cands = primary(&doc, &self.hint_known);
        self.register(text, &cands);
    }

    /// Registers the names among `cands` (found in `text`) and rebuilds the name automaton.
    fn register(&mut self, text: &str, cands: &[Cand]) {
        let mut added = false;
        for c in cands.iter().filter(|c| c.kind == Kind::Nom) {
            self.known.add_name(&text[c.start..c.end]);
            added = true;
        }
        if added {
            self.known.finish();
        }
    }

    /// The text with every personal value replaced by its placeholder (origin unnamed).
    pub fn apply(&mut self, text: &str) -> String {
        self.apply_from("", text)
    }

    /// The text with every personal value replaced by its placeholder; `origin` names where the
    /// text comes from ("champ nom_demandeur", "lettre.docx", "budget.xlsx, feuille 1") for the
    /// list of replacements.
    pub fn apply_from(&mut self, origin: &str, text: &str) -> String {
        let doc = Doc::new(text);
        let cands = primary(&doc, &self.hint_known);
        self.register(text, &cands);
        self.replace(origin, &doc, cands)
    }

    /// Replaces, in `doc`, the candidates found by the detectors and every known name.
    fn replace(&mut self, origin: &str, doc: &Doc, mut cands: Vec<Cand>) -> String {
        let text = doc.text;
        self.known.find(doc, &mut cands);
        let cands = resolve(cands);
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for c in cands {
            let span = &text[c.start..c.end];
            let key = match (&c.key, c.kind) {
                (Some(k), _) => k.clone(),
                (None, Kind::Nom) => self.known.canonical(&key_of(Kind::Nom, span)).to_string(),
                (None, k) => key_of(k, span),
            };
            let idx = self.slot(c.kind, key, span);
            let r = &mut self.replacements[idx];
            r.count += 1;
            if !r.spellings.iter().any(|s| s == span) {
                r.spellings.push(span.to_string());
            }
            if !r.origins.iter().any(|o| o == origin) && !origin.is_empty() {
                r.origins.push(origin.to_string());
            }
            out.push_str(&text[at..c.start]);
            out.push_str(&r.placeholder);
            at = c.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// Learns every text, then applies to each: the way to pseudonymise a run's inputs (each
    /// text is analysed once). `inputs` are (origin, text) pairs; the result is in their order.
    pub fn apply_all<'a, I>(&mut self, inputs: I) -> Vec<String>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let inputs: Vec<(&str, &str)> = inputs.into_iter().collect();
        let mut analysed = Vec::with_capacity(inputs.len());
        for &(_, text) in &inputs {
            let doc = Doc::new(text);
            let cands = primary(&doc, &self.hint_known);
            for c in cands.iter().filter(|c| c.kind == Kind::Nom) {
                self.known.add_name(&text[c.start..c.end]);
            }
            analysed.push((doc, cands));
        }
        self.known.finish();
        inputs
            .iter()
            .zip(analysed)
            .map(|(&(origin, _), (doc, cands))| self.replace(origin, &doc, cands))
            .collect()
    }

    /// The replacement a value goes to: an existing one for its key, or a new placeholder.
    fn slot(&mut self, kind: Kind, key: String, span: &str) -> usize {
        if let Some(&i) = self.by_key.get(&(kind, key.clone())) {
            return i;
        }
        let n = self.counters.entry(kind).or_insert(0);
        *n += 1;
        let original = match kind {
            Kind::Nom => self.known.original(&key).unwrap_or(span).to_string(),
            _ => span.to_string(),
        };
        self.replacements.push(Replacement {
            placeholder: kind.placeholder(*n),
            kind,
            original,
            spellings: Vec::new(),
            origins: Vec::new(),
            count: 0,
        });
        self.by_key.insert((kind, key), self.replacements.len() - 1);
        self.replacements.len() - 1
    }

    /// Every placeholder used so far, in order of creation.
    pub fn replacements(&self) -> &[Replacement] {
        &self.replacements
    }

    /// A restorer for the model's answer to this run's texts.
    pub fn restorer(&self) -> Restorer {
        Restorer::new(&self.replacements)
    }

    /// The whole answer restored at once (no streaming).
    pub fn restore(&self, answer: &str) -> String {
        let mut r = self.restorer();
        let mut s = r.push(answer);
        s.push_str(&r.finish());
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_placeholder_per_value_across_texts_and_spellings() {
        let mut p = Pseudonymizer::new(Hints::new());
        let out = p.apply_all([
            ("lettre", "Le dossier de AMRANI a été reçu. Tél. 06 12 34 56 78."),
            ("champ", "M. Youssef Amrani, tél. +212 6 12 34 56 78, CIN n° AB123456."),
            ("pv", "Youssef AMRANI (C.I.N : ab 123456) a signé."),
        ]);
        assert_eq!(out[0], "Le dossier de [NOM_1] a été reçu. Tél. [TEL_1].");
        assert_eq!(out[1], "M. [NOM_1], tél. [TEL_1], CIN n° [CIN_1].");
        assert_eq!(out[2], "[NOM_1] (C.I.N : [CIN_1]) a signé.");
        let r = p.replacements();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].original, "Youssef Amrani");
        assert_eq!(r[0].origins, ["lettre", "champ", "pv"]);
        assert_eq!(r[0].count, 3);
        assert_eq!(r[1].kind, Kind::Tel);
        assert_eq!(r[1].spellings, ["06 12 34 56 78", "+212 6 12 34 56 78"]);
    }

    #[test]
    fn runs_do_not_share_mappings() {
        let mut a = Pseudonymizer::new(Hints::new());
        let mut b = Pseudonymizer::new(Hints::new());
        assert_eq!(a.apply("M. Karim Tazi"), "M. [NOM_1]");
        assert_eq!(a.apply("Mme Salma Idrissi"), "Mme [NOM_2]");
        assert_eq!(b.apply("Mme Salma Idrissi"), "Mme [NOM_1]");
        assert_eq!(b.restore("[NOM_1]"), "Salma Idrissi");
        assert_eq!(a.restore("[NOM_1] et [NOM_2]"), "Karim Tazi et Salma Idrissi");
    }

    #[test]
    fn hints_are_found_everywhere() {
        let mut h = Hints::new();
        h.add("Bouazza Lahlou", Some(Kind::Nom)).add("J456789", Some(Kind::Cin));
        let mut p = Pseudonymizer::new(h);
        assert_eq!(
            p.apply("Le bénéficiaire Bouazza Lahlou (J 456789) ; Lahlou a signé."),
            "Le bénéficiaire [NOM_1] ([CIN_1]) ; [NOM_1] a signé."
        );
    }
}
