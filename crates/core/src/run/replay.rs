//! Practice mode's memory: which saved answer replays for which inputs.
//!
//! A saved answer is found by its [`ReplayKey`]: the template's id and version, and the user's
//! inputs before any transformation (the resolved values: defaults applied, dates normalised;
//! each attached file by the SHA-256 of its bytes, not its path). It survives what later steps
//! do to the prompt (a new letter frame, computed figures, pseudonymisation) and works for a
//! trainer's own inputs on any machine. A recording pins its date: replaying it renders the run
//! with that date, whatever the calendar says.
//!
//! Several recordings may share a key (variants, so a room of learners does not all see the same
//! text): [`Replays::choose`] takes the one at index `hash(seed) mod n`, the seed being the
//! learner's name (empty: the first recording). The same seed always gets the same variant.
//! A learner is given one of a pack's variants whenever the key has some: an exercise built on
//! a built-in sample's inputs replays what the trainer recorded for it (flawed variants
//! included), never the sample's own answer, which stays what a run without a learner gets.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::prepare::{resolve, Inputs, Resolved};
use crate::documents::DocumentError;
use crate::samples::Sample;
use crate::templates::{Catalog, Template};

/// The date every built-in sample was recorded on: its answer replays with this date.
pub const SAMPLE_TODAY: &str = "2026-11-23";

/// Identifies a practice answer: template id and version + the user's inputs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ReplayKey(pub String);

impl ReplayKey {
    /// The key of a resolved run of `tpl`. Reads the attached files to hash them.
    pub fn of(tpl: &Template, r: &Resolved) -> Result<ReplayKey, DocumentError> {
        let mut h = Sha256::new();
        h.update(b"katib-replay-1\0");
        h.update(tpl.id.as_bytes());
        h.update([0]);
        h.update(tpl.version.to_le_bytes());
        for (name, value) in &r.values {
            h.update(name.as_bytes());
            h.update(b"=");
            h.update(value.trim().as_bytes());
            h.update([0]);
        }
        for (role, column) in &r.mapping {
            h.update(b"role:");
            h.update(role.as_bytes());
            h.update(b"=");
            h.update(column.trim().as_bytes());
            h.update([0]);
        }
        for (name, path) in &r.files {
            let bytes = std::fs::read(path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => DocumentError::NotFound { path: path.clone() },
                _ => DocumentError::Io { path: path.clone(), detail: e.to_string() },
            })?;
            h.update(name.as_bytes());
            h.update(b"@");
            h.update(Sha256::digest(&bytes));
            h.update([0]);
        }
        Ok(ReplayKey(h.finalize().iter().map(|b| format!("{b:02x}")).collect()))
    }
}

/// A saved answer and the date it replays with.
#[derive(Clone, Debug, Serialize)]
pub struct Recording {
    pub answer: PathBuf,
    /// `YYYY-MM-DD`: the run renders with this date.
    pub date: String,
    /// Where it comes from, for messages: a sample id, or a pack's exercise.
    pub source: String,
    /// One of an exercise pack's variants (see the module's doc).
    pub variant: bool,
}

/// Every recording Katib can replay, by key.
#[derive(Clone, Debug, Default)]
pub struct Replays {
    map: HashMap<ReplayKey, Vec<Recording>>,
}

/// Why a sample has no replay (its template changed, or is gone).
#[derive(Debug)]
pub struct Unplayable {
    pub sample: String,
    pub reason: String,
}

impl Replays {
    /// The recordings of the built-in samples. A sample whose template is missing, whose inputs
    /// no longer resolve, or that was recorded for another version of its template, replays
    /// nothing; it is reported.
    pub fn from_samples(catalog: &Catalog, samples: &[Sample]) -> (Replays, Vec<Unplayable>) {
        let mut r = Replays::default();
        let mut bad = Vec::new();
        for s in samples {
            let Ok(tpl) = catalog.get(&s.template) else {
                bad.push(Unplayable { sample: s.id.clone(), reason: format!("no template '{}'", s.template) });
                continue;
            };
            if s.template_version != Some(tpl.version) {
                bad.push(Unplayable {
                    sample: s.id.clone(),
                    reason: format!(
                        "recorded for version {} of '{}', which is now version {}: check the answer again and set template_version",
                        s.template_version.map_or("(none)".to_string(), |v| v.to_string()),
                        tpl.id,
                        tpl.version
                    ),
                });
                continue;
            }
            if !s.answer.is_file() {
                // Fixed templates need no answer: their output is what they render.
                continue;
            }
            match resolve(tpl, &Inputs::from_sample(s)).and_then(|res| Ok(ReplayKey::of(tpl, &res)?)) {
                Ok(key) => r.add(key, Recording { answer: s.answer.clone(), date: SAMPLE_TODAY.into(), source: s.id.clone(), variant: false }),
                Err(e) => bad.push(Unplayable { sample: s.id.clone(), reason: e.to_string() }),
            }
        }
        (r, bad)
    }

    pub fn add(&mut self, key: ReplayKey, rec: Recording) {
        self.map.entry(key).or_default().push(rec);
    }

    pub fn find(&self, key: &ReplayKey) -> &[Recording] {
        self.map.get(key).map(Vec::as_slice).unwrap_or_default()
    }

    /// The recording a run with `seed` (a learner's name, or "") replays, if any.
    pub fn choose(&self, key: &ReplayKey, seed: &str) -> Option<&Recording> {
        let all = self.find(key);
        if seed.is_empty() {
            return all.first();
        }
        let variants: Vec<&Recording> = all.iter().filter(|r| r.variant).collect();
        let pool: Vec<&Recording> = if variants.is_empty() { all.iter().collect() } else { variants };
        if pool.is_empty() {
            return None;
        }
        let h = Sha256::digest(seed.trim().to_lowercase().as_bytes());
        let index = (u64::from_le_bytes(h[..8].try_into().unwrap_or_default()) % pool.len() as u64) as usize;
        pool.get(index).copied()
    }

    pub fn len(&self) -> usize {
        self.map.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(n: &str) -> Recording {
        Recording { answer: n.into(), date: SAMPLE_TODAY.into(), source: n.into(), variant: false }
    }

    #[test]
    fn variants_are_chosen_by_seed_deterministically() {
        let mut r = Replays::default();
        let k = ReplayKey("k".into());
        for n in ["a", "b", "c"] {
            r.add(k.clone(), rec(n));
        }
        assert_eq!(r.choose(&k, "").unwrap().source, "a");
        let picks: Vec<String> = ["Amina", "Youssef", "Karim", "Salma", "Hamza", "Nadia"].iter().map(|s| r.choose(&k, s).unwrap().source.clone()).collect();
        // Same seed, same variant (case and spaces do not matter); several variants in use.
        assert_eq!(r.choose(&k, " amina ").unwrap().source, picks[0]);
        let distinct: std::collections::HashSet<_> = picks.iter().collect();
        assert!(distinct.len() > 1, "{picks:?}");
        assert!(r.choose(&ReplayKey("other".into()), "Amina").is_none());
    }

    /// An exercise built on a sample's inputs: its learners get the pack's variants, never the
    /// sample's answer; a run without a learner still gets the sample's.
    #[test]
    fn a_learner_gets_the_packs_variants_where_a_sample_shares_the_key() {
        let mut r = Replays::default();
        let k = ReplayKey("k".into());
        r.add(k.clone(), rec("sample"));
        for n in ["pack:1", "pack:2"] {
            r.add(k.clone(), Recording { variant: true, ..rec(n) });
        }
        assert_eq!(r.choose(&k, "").unwrap().source, "sample");
        let learners = ["Amina", "Youssef", "Karim", "Salma", "Hamza", "Nadia", "Omar", "Leila"];
        let picks: std::collections::HashSet<String> = learners.iter().map(|s| r.choose(&k, s).unwrap().source.clone()).collect();
        assert_eq!(picks, ["pack:1", "pack:2"].iter().map(|s| s.to_string()).collect(), "both variants in use, the sample's answer never");
    }
}
