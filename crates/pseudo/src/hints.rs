//! Hints: values the caller already knows to be personal (the values of form fields a template
//! marks personal, the cells of sheet columns marked personal), with their kind when known.
//!
//! A hint is a short value (a name, a number, an address, a date): it is found again wherever it
//! occurs in the run's texts, whatever the detectors would say. A long or multi-line value (a
//! whole letter pasted into a personal field) is not a value to match: it is simply one of the
//! texts the detectors read, so it is ignored here.

use crate::detect::{primary, Known};
use crate::kind::Kind;
use crate::lexicon::lexicon;
use crate::text::{Class, Doc};

/// The longest value taken as a hint; longer ones are texts to scan, not values to match.
pub const MAX_HINT_CHARS: usize = 120;

/// Values known to be personal, with their kind when the caller knows it.
#[derive(Clone, Debug, Default)]
pub struct Hints {
    entries: Vec<(String, Option<Kind>)>,
}

impl Hints {
    pub fn new() -> Hints {
        Hints::default()
    }

    /// Adds one value (a form field's value). With `kind: None` the kind is guessed from the
    /// value itself: an identifier's shape, a street word, otherwise a name.
    pub fn add(&mut self, value: impl Into<String>, kind: Option<Kind>) -> &mut Hints {
        self.entries.push((value.into(), kind));
        self
    }

    /// Adds the values of a sheet column marked personal; `kind` from [`crate::column_kind`]
    /// on its header, or `None` to guess per value.
    pub fn add_column<I, S>(&mut self, kind: Option<Kind>, values: I) -> &mut Hints
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for v in values {
            self.entries.push((v.into(), kind));
        }
        self
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The usable values with their kind, guessed where not given.
    pub(crate) fn classified(&self) -> Vec<(String, Kind)> {
        let mut out = Vec::with_capacity(self.entries.len());
        for (value, kind) in &self.entries {
            let v = value.trim();
            if v.is_empty() || v.chars().count() > MAX_HINT_CHARS || v.contains('\n') {
                continue;
            }
            match kind.or_else(|| guess(v)) {
                Some(k) => out.push((v.to_string(), k)),
                None => continue,
            }
        }
        out
    }
}

/// The kind of a value given without one.
fn guess(value: &str) -> Option<Kind> {
    let doc = Doc::new(value);
    let cands = primary(&doc, &Known::default());
    let alnum = value.chars().filter(|c| c.is_alphanumeric()).count().max(1);
    for c in &cands {
        let covered = value[c.start..c.end].chars().filter(|c| c.is_alphanumeric()).count();
        if covered * 5 >= alnum * 4 {
            return Some(c.kind);
        }
    }
    let lex = lexicon();
    let street = (0..doc.toks.len()).any(|i| doc.toks[i].class == Class::Word && lex.arabic_in(&lex.streets, doc.f(i)));
    if street {
        return Some(Kind::Adresse);
    }
    let digits = doc.toks.iter().any(|t| t.class == Class::Num);
    let letters = doc.toks.iter().any(|t| t.class == Class::Word);
    // A value of letters is a name; digits without a recognisable shape are left to the detectors.
    (letters && !digits).then_some(Kind::Nom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_guessed_when_not_given() {
        let mut h = Hints::new();
        h.add("Youssef Amrani", None)
            .add("06 12 34 56 78", None)
            .add("y.amrani@example.ma", None)
            .add("12, rue Ibn Sina, Oujda", None)
            .add("AB123456", Some(Kind::Cin))
            .add("Dossier 45/2026", None)
            .add("x".repeat(200), None)
            .add("  ", None);
        let got: Vec<(String, Kind)> = h.classified();
        assert_eq!(
            got,
            vec![
                ("Youssef Amrani".into(), Kind::Nom),
                ("06 12 34 56 78".into(), Kind::Tel),
                ("y.amrani@example.ma".into(), Kind::Email),
                ("12, rue Ibn Sina, Oujda".into(), Kind::Adresse),
                ("AB123456".into(), Kind::Cin),
            ]
        );
    }
}
