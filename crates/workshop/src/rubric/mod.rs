//! Rubrics: what an exercise checks in an answer automatically, each check explained to the
//! learner in French and Arabic, and the self-check items the learner ticks.
//!
//! The checks ([`CheckKind`]): the letter's parts (Objet, Réf., P.J.) in the text or added by the
//! layout from the form; a closing formula fitting the addressee (superior, peer, citizen,
//! company); a length in words; facts and figures the exercise names; no personal data left
//! (katib-pseudo's detector); only legal references from an allowed list; the register (no
//! Darija in Latin or Arabic letters, no familiar French, no emoji, no exclamation mark); the
//! requested language (script and stop words).
//!
//! A check reports what it found, with byte offsets into the answer so the window can highlight
//! it. Checking is pure and fast (a letter: well under a millisecond; see the bench example).
//! Deliberately not here: reading rubrics from a pack file (`pack::exercise`), and any score: a
//! check passes or fails, the trainer and the peers judge the rest.

mod checks;
pub(crate) mod lexicon;
mod tokens;

use std::collections::BTreeMap;
use std::time::Instant;

use katib_core::{Lang, Localized};
use serde::{Deserialize, Serialize};

/// Who a letter is addressed to: it sets the closing formula.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Addressee {
    Superior,
    Peer,
    Citizen,
    Company,
}

impl Addressee {
    pub fn parse(s: &str) -> Option<Addressee> {
        match s {
            "superior" => Some(Addressee::Superior),
            "peer" => Some(Addressee::Peer),
            "citizen" => Some(Addressee::Citizen),
            "company" => Some(Addressee::Company),
            _ => None,
        }
    }

    pub fn label(self) -> Localized {
        let (fr, ar) = match self {
            Addressee::Superior => ("une autorité supérieure", "سلطة أعلى"),
            Addressee::Peer => ("un pair ou un partenaire", "نظير أو شريك"),
            Addressee::Citizen => ("un citoyen", "مواطن"),
            Addressee::Company => ("une entreprise", "مقاولة"),
        };
        loc(fr, ar)
    }
}

/// A part of a letter's frame a rubric can ask for.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum LetterPart {
    /// « Objet : ... » / «الموضوع: ...»
    Objet,
    /// « Réf. : ... » / «المرجع: ...»
    Ref,
    /// « P.J. : ... » / «المرفقات: ...»
    Pj,
}

impl LetterPart {
    pub fn parse(s: &str) -> Option<LetterPart> {
        match s {
            "objet" => Some(LetterPart::Objet),
            "ref" => Some(LetterPart::Ref),
            "pj" => Some(LetterPart::Pj),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            LetterPart::Objet => "objet",
            LetterPart::Ref => "ref",
            LetterPart::Pj => "pj",
        }
    }

    pub fn label(self) -> Localized {
        match self {
            LetterPart::Objet => loc("l'Objet", "الموضوع"),
            LetterPart::Ref => loc("la Réf.", "المرجع"),
            LetterPart::Pj => loc("les P.J.", "المرفقات"),
        }
    }
}

/// One automatic check and its parameters.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CheckKind {
    /// These parts are in the letter (a line « Objet : » in the text, or a form field the layout
    /// prints).
    Parts { parts: Vec<LetterPart> },
    /// A closing formula fitting the addressee, and no familiar one.
    Closing { addressee: Addressee },
    /// Between `min` and `max` words.
    Length { min: Option<usize>, max: Option<usize> },
    /// Each fact is present (one of its spellings).
    Facts { facts: Vec<Vec<String>> },
    /// No personal data left, except these values.
    Personal { allow: Vec<String> },
    /// Every legal reference is one of these.
    References { allowed: Vec<String> },
    /// No Darija, familiar French, emoji or exclamation mark.
    Register,
    /// The answer is in this language.
    Language { lang: Lang },
}

impl CheckKind {
    pub fn name(&self) -> &'static str {
        match self {
            CheckKind::Parts { .. } => "parts",
            CheckKind::Closing { .. } => "closing",
            CheckKind::Length { .. } => "length",
            CheckKind::Facts { .. } => "facts",
            CheckKind::Personal { .. } => "personal",
            CheckKind::References { .. } => "references",
            CheckKind::Register => "register",
            CheckKind::Language { .. } => "language",
        }
    }

    pub const NAMES: &'static [&'static str] = &["parts", "closing", "length", "facts", "personal", "references", "register", "language"];
}

/// A check as an exercise declares it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Check {
    /// Unique in the exercise (default: the check's type).
    pub id: String,
    #[serde(flatten)]
    pub kind: CheckKind,
    /// The pack's own explanation, replacing the built-in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Localized>,
}

/// Something the learner checks by reading and ticks.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SelfCheckItem {
    pub id: String,
    pub text: Localized,
}

/// An exercise's rubric.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Rubric {
    pub checks: Vec<Check>,
    pub self_check: Vec<SelfCheckItem>,
}

/// A frame part the layout adds from the form.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FramePart {
    /// The form field's label.
    pub field: Localized,
    pub value: String,
}

/// What the checks know besides the answer: the parts the layout prints from the form, and the
/// personal values typed in the form (they help the detector find them in the answer).
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub frame: BTreeMap<LetterPart, FramePart>,
    pub personal: Vec<String>,
}

/// A stretch of the answer a check points at.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    pub text: String,
    /// Byte offsets in the answer.
    pub start: usize,
    pub end: usize,
    /// UTF-16 offsets (what a browser's text APIs count).
    pub start16: usize,
    pub end16: usize,
}

/// The outcome of one check.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CheckResult {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub ok: bool,
    /// A few words: « Formule de politesse ».
    pub title: Localized,
    /// What the check looks for and why.
    pub explain: Localized,
    /// What it found in this answer.
    pub detail: Localized,
    pub findings: Vec<Finding>,
}

/// A self-check item and whether the learner (or a peer) ticked it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SelfCheckState {
    pub id: String,
    pub text: Localized,
    pub ticked: bool,
}

/// A rubric applied to an answer.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RubricResult {
    /// Every automatic check passed.
    pub ok: bool,
    pub passed: usize,
    pub total: usize,
    pub checks: Vec<CheckResult>,
    pub self_check: Vec<SelfCheckState>,
    /// Time spent checking, in microseconds.
    pub micros: u64,
}

impl Rubric {
    /// Applies every check to `answer` (Markdown), and records which self-check items (by id)
    /// are ticked.
    pub fn evaluate(&self, answer: &str, ctx: &Context, ticked: &[String]) -> RubricResult {
        let started = Instant::now();
        let doc = tokens::Doc::new(answer);
        let checks: Vec<CheckResult> = self
            .checks
            .iter()
            .map(|c| {
                let mut r = checks::run(&c.kind, &doc, ctx);
                r.id = c.id.clone();
                if let Some(e) = &c.explain {
                    r.explain = e.clone();
                }
                r
            })
            .collect();
        let passed = checks.iter().filter(|c| c.ok).count();
        let self_check = self
            .self_check
            .iter()
            .map(|i| SelfCheckState { id: i.id.clone(), text: i.text.clone(), ticked: ticked.iter().any(|t| t.trim() == i.id) })
            .collect();
        RubricResult {
            ok: passed == checks.len(),
            passed,
            total: checks.len(),
            checks,
            self_check,
            micros: started.elapsed().as_micros() as u64,
        }
    }
}

pub(crate) fn loc(fr: impl Into<String>, ar: impl Into<String>) -> Localized {
    Localized { fr: fr.into(), ar: Some(ar.into()), en: None }
}
