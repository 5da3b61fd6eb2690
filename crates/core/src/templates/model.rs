//! What a template is, once loaded: its fields, how its output language is chosen, which fields
//! fill which parts of the official frame, its fixed texts. Plain data: parsing is in
//! [`super::parse`], rendering in [`super::render`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::kinds::{FileKind, OutputKind};
use crate::lang::{Lang, Localized};

/// Where a template shows in the gallery.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Letter,
    Note,
    Act,
    Spreadsheet,
    Summary,
}

impl Category {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Category::Letter, Lang::Fr) => "Courriers",
            (Category::Letter, Lang::Ar) => "المراسلات",
            (Category::Letter, Lang::En) => "Letters",
            (Category::Note, Lang::Fr) => "Notes et rapports",
            (Category::Note, Lang::Ar) => "المذكرات والتقارير",
            (Category::Note, Lang::En) => "Notes and reports",
            (Category::Act, Lang::Fr) => "Actes",
            (Category::Act, Lang::Ar) => "القرارات والمحاضر",
            (Category::Act, Lang::En) => "Acts",
            (Category::Spreadsheet, Lang::Fr) => "Tableurs",
            (Category::Spreadsheet, Lang::Ar) => "الجداول",
            (Category::Spreadsheet, Lang::En) => "Spreadsheets",
            (Category::Summary, Lang::Fr) => "Synthèses",
            (Category::Summary, Lang::Ar) => "الملخصات",
            (Category::Summary, Lang::En) => "Summaries",
        }
    }
}

/// The format an answer is exported to by default.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Docx,
    Md,
    Txt,
    Xlsx,
}

/// Who writes the answer.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Generate {
    /// The rendered prompt goes to the model, which writes the answer.
    #[default]
    Model,
    /// No model: the rendered body IS the answer (fixed legal wording filled from the form, so
    /// nothing can be invented).
    Fixed,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Text,
    Textarea,
    Select,
    Date,
    Number,
    File,
    /// A signatory: the id of one configured in settings (`[[signatories]]`), or a typed function.
    Signatory,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum SelectOption {
    Plain(String),
    Labelled { value: String, label: Localized },
}

impl SelectOption {
    pub fn value(&self) -> &str {
        match self {
            SelectOption::Plain(v) => v,
            SelectOption::Labelled { value, .. } => value,
        }
    }
    pub fn label(&self, lang: Lang) -> &str {
        match self {
            SelectOption::Plain(v) => v,
            SelectOption::Labelled { label, .. } => label.get(lang),
        }
    }
}

/// What kind of personal data a field holds, for pseudonymisation before sending.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum PersonalKind {
    /// Personal, of no particular kind (`personal = true`): treated as names.
    Any,
    Nom,
    Cin,
    Adresse,
    Tel,
    Email,
    Rib,
    Iban,
    Ice,
    Cnss,
    If,
    Massar,
    #[serde(rename = "date_naissance")]
    DateNaissance,
}

/// `personal = true` or `personal = "cin"` in a field.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub(super) enum PersonalSpec {
    Flag(bool),
    Kind(PersonalKind),
}

impl PersonalSpec {
    pub(super) fn kind(&self) -> Option<PersonalKind> {
        match self {
            PersonalSpec::Flag(true) => Some(PersonalKind::Any),
            PersonalSpec::Flag(false) => None,
            PersonalSpec::Kind(k) => Some(*k),
        }
    }
}

/// A field's default: one value, or one per output language.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum DefaultValue {
    Localized(Localized),
    Value(toml::Value),
}

/// `show_when` / `required_when`: select field -> the values that make it true (all entries must
/// hold).
pub type Condition = BTreeMap<String, Vec<String>>;

/// Whether `cond` holds for these form values (an absent select counts as its default, which the
/// caller has already applied).
pub fn holds(cond: &Condition, values: &BTreeMap<String, String>) -> bool {
    cond.iter().all(|(f, allowed)| values.get(f).is_some_and(|v| allowed.iter().any(|a| a == v.trim())))
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<DefaultValue>,
    pub label: Localized,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<Localized>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<SelectOption>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accept: Vec<FileKind>,
    /// The personal data this field holds, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal: Option<PersonalKind>,
    /// Shown in the form only when this holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_when: Option<Condition>,
    /// Required only when this holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_when: Option<Condition>,
}

impl Field {
    /// The default as the string a form would hold, in the output language `lang`.
    pub fn default_text(&self, lang: Lang) -> Option<String> {
        self.default.as_ref().map(|v| match v {
            DefaultValue::Localized(l) => l.get(lang).to_string(),
            DefaultValue::Value(toml::Value::String(s)) => s.clone(),
            DefaultValue::Value(other) => other.to_string(),
        })
    }

    /// The condition under which the field is shown: its own `show_when`, else its
    /// `required_when` (a field required in some case is shown in that case).
    pub fn visible_when(&self) -> Option<&Condition> {
        self.show_when.as_ref().or(self.required_when.as_ref())
    }

    /// Whether the field is required for these values.
    pub fn is_required(&self, values: &BTreeMap<String, String>) -> bool {
        self.required || self.required_when.as_ref().is_some_and(|c| holds(c, values))
    }

    /// Whether the field takes part in a run with these values.
    pub fn is_active(&self, values: &BTreeMap<String, String>) -> bool {
        self.visible_when().is_none_or(|c| holds(c, values))
    }
}

/// How the output language is chosen.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum LanguageSpec {
    Fixed(Lang),
    /// The value of this select field.
    Field(String),
}

/// A part of the official frame (letter, note, act) that a field fills; the model writes the
/// body only.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// Our outgoing number ("N° 0123/DAG/2026").
    Reference,
    /// Réf.: what is answered, texts referred to.
    Ref,
    Objet,
    Destinataire,
    /// The sender's function: "X à Y", or "De :" in a note.
    Expediteur,
    /// "S/C de Monsieur le Gouverneur ...": the letter goes through the hierarchy.
    SousCouvert,
    Ville,
    Date,
    /// One attachment per line.
    PiecesJointes,
    Signataire,
    /// "Pour le Président et par délégation", "P.O.".
    Delegation,
    /// One recipient per line.
    Copies,
    /// Acts: the centred title.
    Titre,
    /// Acts signed by several people (a procès-verbal): one signatory per line, each given room
    /// to sign.
    Signatures,
}

impl Part {
    pub const ALL: &'static [Part] = &[
        Part::Reference,
        Part::Ref,
        Part::Objet,
        Part::Destinataire,
        Part::Expediteur,
        Part::SousCouvert,
        Part::Ville,
        Part::Date,
        Part::PiecesJointes,
        Part::Signataire,
        Part::Delegation,
        Part::Copies,
        Part::Titre,
        Part::Signatures,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Part::Reference => "reference",
            Part::Ref => "ref",
            Part::Objet => "objet",
            Part::Destinataire => "destinataire",
            Part::Expediteur => "expediteur",
            Part::SousCouvert => "sous_couvert",
            Part::Ville => "ville",
            Part::Date => "date",
            Part::PiecesJointes => "pieces_jointes",
            Part::Signataire => "signataire",
            Part::Delegation => "delegation",
            Part::Copies => "copies",
            Part::Titre => "titre",
            Part::Signatures => "signatures",
        }
    }

    pub fn parse(s: &str) -> Option<Part> {
        Part::ALL.iter().copied().find(|p| p.name() == s)
    }
}

/// A loaded, validated template.
#[derive(Clone, Debug, Serialize)]
pub struct Template {
    pub id: String,
    pub version: u32,
    pub category: Category,
    pub output: OutputKind,
    pub export: ExportFormat,
    pub generate: Generate,
    pub language: LanguageSpec,
    pub title: Localized,
    pub description: Localized,
    pub system: String,
    pub fields: Vec<Field>,
    /// Frame part -> the field that fills it.
    pub letter: BTreeMap<Part, String>,
    /// Fixed texts the body may use as `textes.NAME` (settings may replace them).
    pub texts: BTreeMap<String, Localized>,
    /// What Katib computes from an attached sheet (roles, group totals, ratios): the prompt gets
    /// the computed figures instead of the rows.
    pub sheet: Option<katib_sheet::SheetSpec>,
    pub body: String,
    pub path: PathBuf,
    /// Shipped with Katib (false: from the user's templates folder).
    pub builtin: bool,
    /// SHA-256 of the source file: which exact template a run used.
    pub hash: String,
    #[serde(skip)]
    pub(super) body_line: usize,
    #[serde(skip)]
    pub(super) system_line: usize,
}

impl Template {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The output language for these field values (defaults not yet applied count as absent).
    pub fn output_language(&self, values: &BTreeMap<String, String>) -> Lang {
        match &self.language {
            LanguageSpec::Fixed(l) => *l,
            LanguageSpec::Field(f) => values
                .get(f)
                .filter(|v| !v.trim().is_empty())
                .cloned()
                .or_else(|| self.field(f).and_then(|fd| fd.default_text(Lang::Fr)))
                .and_then(|v| Lang::parse(&v))
                .unwrap_or_default(),
        }
    }

    /// The field that fills frame part `p`, if the template maps one.
    pub fn part_field(&self, p: Part) -> Option<&str> {
        self.letter.get(&p).map(String::as_str)
    }

    /// The fields that hold personal data, with their kind.
    pub fn personal_fields(&self) -> impl Iterator<Item = (&Field, PersonalKind)> {
        self.fields.iter().filter_map(|f| f.personal.map(|k| (f, k)))
    }
}
