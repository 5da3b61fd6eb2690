//! The working languages ([`Lang`]: French first, Arabic, English) and text given in each
//! ([`Localized`]). A leaf: it depends on nothing else in the crate.

use serde::{Deserialize, Serialize};

/// The languages Katib speaks: French first, Arabic, English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    Ar,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" | "français" | "francais" | "french" => Some(Lang::Fr),
            "ar" | "arabe" | "arabic" | "العربية" => Some(Lang::Ar),
            "en" | "anglais" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn is_rtl(self) -> bool {
        self == Lang::Ar
    }
}

/// Text in the three working languages; only French is required, the others fall back to it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub fr: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Localized {
    pub fn new(fr: impl Into<String>) -> Localized {
        Localized { fr: fr.into(), ar: None, en: None }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::Ar => self.ar.as_deref().unwrap_or(&self.fr),
            Lang::En => self.en.as_deref().unwrap_or(&self.fr),
        }
    }
}
