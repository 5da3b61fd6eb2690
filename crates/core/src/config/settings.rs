//! `config.toml`: what the user (or the IT department) set for this machine.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::file::{read_toml, write_toml};
use super::{ConfigError, Paths};
use crate::documents::Limits;
use crate::lang::{Lang, Localized};

/// `config.toml`. Every key is optional.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// A folder of user templates: they add to the built-in ones, or replace them by id.
    pub templates_dir: Option<PathBuf>,
    /// Largest input file accepted, in MB.
    pub max_file_mb: u64,
    /// Budget for one sheet's extract in the prompt, in tokens (about 4 characters each).
    pub sheet_token_budget: usize,
    /// Longest time a file may take to read before Katib gives up on it, in seconds.
    pub read_timeout_secs: u64,
    /// Reports end with a "prepared with" line (template, model, date).
    pub prepared_with: bool,
    /// The administration's letterhead and signature, for letters.
    pub letterhead: LetterheadSettings,
    /// Who signs: the President, the DGS, division heads..., each with their delegation line.
    /// Letters pick one in their form.
    pub signatories: Vec<Signatory>,
    /// The administration's own wording for a template's fixed texts (`[texts]` in a template),
    /// by name: it replaces the template's.
    pub texts: BTreeMap<String, Localized>,
}

/// One `[[signatories]]` entry: someone who signs letters, in both languages.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Signatory {
    /// What the form stores ("president", "dgs"): letters, digits, - and _.
    pub id: String,
    /// "Le Président du Conseil de la Commune d'Oujda".
    pub function: String,
    pub function_ar: Option<String>,
    /// Printed under the function.
    pub name: Option<String>,
    pub name_ar: Option<String>,
    /// Printed above the function when this person signs for someone else:
    /// "Pour le Président et par délégation".
    pub delegation: Option<String>,
    pub delegation_ar: Option<String>,
}

impl Signatory {
    fn pick<'a>(fr: &'a str, ar: Option<&'a String>, lang: Lang) -> &'a str {
        match (lang, ar) {
            (Lang::Ar, Some(a)) if !a.trim().is_empty() => a,
            _ => fr,
        }
    }
    /// The function in `lang` (Arabic falls back to French when not given).
    pub fn function_in(&self, lang: Lang) -> &str {
        Signatory::pick(&self.function, self.function_ar.as_ref(), lang)
    }
    pub fn name_in(&self, lang: Lang) -> Option<&str> {
        self.name.as_deref().map(|n| Signatory::pick(n, self.name_ar.as_ref(), lang)).filter(|n| !n.trim().is_empty())
    }
    pub fn delegation_in(&self, lang: Lang) -> Option<&str> {
        self.delegation.as_deref().map(|d| Signatory::pick(d, self.delegation_ar.as_ref(), lang)).filter(|d| !d.trim().is_empty())
    }
}

/// `[letterhead]` in `config.toml`: what frames every letter.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LetterheadSettings {
    /// French letterhead lines, top left ("Royaume du Maroc", "Ministère de l'Intérieur", ...).
    pub fr: Vec<String>,
    /// Arabic letterhead lines, top right ("المملكة المغربية", "وزارة الداخلية", ...).
    pub ar: Vec<String>,
    /// A PNG or JPEG logo, between the two columns (relative to the config folder).
    pub logo: Option<PathBuf>,
    /// The signatory's function ("Le Président du Conseil Communal"), when the template's field
    /// does not give it; and the Arabic one for Arabic letters.
    pub signature_title: Option<String>,
    pub signature_title_ar: Option<String>,
    /// The signatory's name, under the function.
    pub signature_name: Option<String>,
    pub signature_name_ar: Option<String>,
    /// The place in "Oujda, le ..." when the template's field does not give it; and in Arabic.
    pub ville: Option<String>,
    pub ville_ar: Option<String>,
    /// Arabic letters get a Hijri date line (tabular Islamic calendar) under the date.
    pub hijri: bool,
    /// The administration's own Word letterhead with {{placeholders}}, used for every letter
    /// (relative to the config folder). `katib run --letterhead` overrides it.
    pub docx: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            templates_dir: None,
            max_file_mb: Limits::DEFAULT_MAX_MB,
            sheet_token_budget: Limits::DEFAULT_SHEET_TOKENS,
            read_timeout_secs: Limits::DEFAULT_TIMEOUT_SECS,
            prepared_with: true,
            letterhead: LetterheadSettings::default(),
            signatories: Vec::new(),
            texts: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// Writes `config.toml` atomically (the desktop's settings screen).
    pub fn save(&self, paths: &Paths) -> Result<(), ConfigError> {
        write_toml(&paths.settings_file(), self)
    }

    pub fn load(paths: &Paths) -> Result<Settings, ConfigError> {
        let mut s: Settings = read_toml(&paths.settings_file())?.unwrap_or_default();
        // A relative templates folder is relative to the config dir, not to wherever katib runs.
        if let Some(d) = &s.templates_dir {
            if d.is_relative() {
                s.templates_dir = Some(paths.config_dir.join(d));
            }
        }
        for p in [&mut s.letterhead.logo, &mut s.letterhead.docx].into_iter().flatten() {
            if p.is_relative() {
                *p = paths.config_dir.join(&*p);
            }
        }
        s.check(paths)?;
        Ok(s)
    }

    /// The read limits these settings ask for (settings convert to limits, never the reverse).
    pub fn read_limits(&self) -> Limits {
        Limits::new(self.max_file_mb, self.sheet_token_budget, self.read_timeout_secs)
    }

    /// The signatory with this id, if configured.
    pub fn signatory(&self, id: &str) -> Option<&Signatory> {
        self.signatories.iter().find(|s| s.id == id.trim())
    }

    fn check(&self, paths: &Paths) -> Result<(), ConfigError> {
        let bad = |message: String| ConfigError::Invalid { path: paths.settings_file(), message };
        let mut ids = std::collections::HashSet::new();
        for s in &self.signatories {
            if s.id.is_empty() || !s.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                return Err(bad(format!("[[signatories]] id '{}' must use letters, digits, - or _", s.id)));
            }
            if !ids.insert(s.id.as_str()) {
                return Err(bad(format!("[[signatories]] id '{}' is given twice", s.id)));
            }
            if s.function.trim().is_empty() {
                return Err(bad(format!("[[signatories]] '{}' needs a function (\"Le Président du Conseil ...\")", s.id)));
            }
        }
        Ok(())
    }
}

