//! The steps of a run that keep personal data on this computer.
//!
//! Before sending, [`decide`] says whether the run's texts must be pseudonymised: never for what
//! does not leave (practice, fixed wording, a local endpoint); by default for a sovereign
//! endpoint (its profile may switch it off); always for a cloud endpoint, unless the user
//! confirms sending unmasked for this one run (recorded). The machine's [`Policy`] may refuse a
//! profile, or forbid every override. [`mask`] replaces personal data in the run's variables (the
//! form's values and the attached files' text, never the template's own wording) by typed
//! placeholders, one per value across the run; [`RestoreStep`] puts the values back into the
//! answer as it streams in, and reports the placeholders the model dropped or invented.

use std::sync::{Arc, Mutex};

use katib_pseudo::{Hints, Kind, Pseudonymizer, RestoreReport, Restorer};
use serde::Serialize;

use super::prepare::{Resolved, Variables};
use super::sink::{Sink, Step};
use super::workbench::Route;
use crate::config::Policy;
use crate::kinds::DataClass;
use crate::templates::{PersonalKind, Template};
use crate::Result;

/// How a run's personal data is protected.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum Protection {
    /// Nothing leaves this computer (practice, fixed wording, a local endpoint).
    NotNeeded,
    /// Personal data replaced by placeholders before sending.
    Pseudonymised,
    /// A sovereign profile whose settings switch pseudonymisation off.
    OffForProfile,
    /// Sent unmasked for this one run, as the user confirmed.
    Unmasked { confirmed_by: String },
}

/// The user's confirmation that this run may send personal data unmasked.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Confirmation {
    /// Who confirmed (the OS user, or the name given in the window).
    pub by: String,
}

/// A value that left this computer as a placeholder (kept locally only).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Masked {
    pub placeholder: String,
    pub kind: String,
    pub original: String,
    /// Where it was found: the fields and files.
    pub origins: Vec<String>,
    pub count: usize,
}

/// Decides how a run on `route` protects personal data, checking the machine's policy.
pub fn decide(route: &Route, policy: &Policy, unmasked: Option<&Confirmation>) -> Result<(Option<DataClass>, Protection)> {
    let Route::Endpoint(p) = route else {
        return Ok((None, Protection::NotNeeded));
    };
    let class = p.data_class();
    policy.check_profile(&p.name, class)?;
    let protection = match (class, unmasked) {
        (DataClass::Local, _) => Protection::NotNeeded,
        (_, Some(c)) => {
            policy.check_unmasked(&p.name)?;
            Protection::Unmasked { confirmed_by: c.by.clone() }
        }
        (DataClass::Sovereign, None) if p.pseudonymise == Some(false) && !policy.force_pseudonymisation => Protection::OffForProfile,
        _ => Protection::Pseudonymised,
    };
    Ok((Some(class), protection))
}

fn kind_of(k: PersonalKind) -> Option<Kind> {
    match k {
        PersonalKind::Any => None,
        PersonalKind::Nom => Some(Kind::Nom),
        PersonalKind::Cin => Some(Kind::Cin),
        PersonalKind::Adresse => Some(Kind::Adresse),
        PersonalKind::Tel => Some(Kind::Tel),
        PersonalKind::Email => Some(Kind::Email),
        PersonalKind::Rib => Some(Kind::Rib),
        PersonalKind::Iban => Some(Kind::Iban),
        PersonalKind::Ice => Some(Kind::Ice),
        PersonalKind::Cnss => Some(Kind::Cnss),
        PersonalKind::If => Some(Kind::If),
        PersonalKind::Massar => Some(Kind::Massar),
        PersonalKind::DateNaissance => Some(Kind::DateNaissance),
    }
}

/// Replaces personal data in `vars` (every field's text, attached files included) by
/// placeholders; the values of fields the template marks personal are known beforehand. Returns
/// the run's pseudonymiser, which restores the answer.
pub fn mask(tpl: &Template, r: &Resolved, vars: &mut Variables) -> Pseudonymizer {
    let mut hints = Hints::new();
    for (f, kind) in tpl.personal_fields() {
        if let Some(v) = r.values.get(&f.name).filter(|v| !v.trim().is_empty()) {
            hints.add(v.clone(), kind_of(kind));
        }
    }
    let mut p = Pseudonymizer::new(hints);
    let masked = p.apply_all(vars.texts.iter().map(|(name, text)| (name.as_str(), text.as_str())));
    for ((_, text), m) in vars.texts.iter_mut().zip(masked) {
        *text = m;
    }
    p
}

/// What was replaced, for "what left this computer".
pub fn masked(p: &Pseudonymizer) -> Vec<Masked> {
    p.replacements()
        .iter()
        .map(|r| Masked {
            placeholder: r.placeholder.clone(),
            kind: r.kind.tag().to_lowercase(),
            original: r.original.clone(),
            origins: r.origins.clone(),
            count: r.count,
        })
        .collect()
}

/// The sentence for the system prompt that asks the model to keep placeholders as written.
pub fn instruction(lang: crate::Lang) -> &'static str {
    katib_pseudo::instruction(lang.code())
}

/// Restores the values in the streamed answer; its report is readable once the stream ended.
pub struct RestoreStep {
    restorer: Restorer,
    report: Arc<Mutex<Option<RestoreReport>>>,
}

impl RestoreStep {
    pub fn new(p: &Pseudonymizer) -> (RestoreStep, Arc<Mutex<Option<RestoreReport>>>) {
        let report = Arc::new(Mutex::new(None));
        (RestoreStep { restorer: p.restorer(), report: report.clone() }, report)
    }
}

impl Step for RestoreStep {
    fn push(&mut self, piece: &str, next: &mut dyn Sink) {
        let out = self.restorer.push(piece);
        next.push(&out);
    }

    fn finish(&mut self, next: &mut dyn Sink) {
        let out = self.restorer.finish();
        next.push(&out);
        *self.report.lock().unwrap_or_else(|e| e.into_inner()) = Some(self.restorer.report());
    }
}
