//! katib-core: everything Katib does, with no GUI and no Tauri.
//!
//! - [`templates`]: prompt templates (TOML front matter + minijinja body): load, validate, render.
//! - [`documents`]: read the user's files (.xlsx/.xls/.ods/.csv/.docx/.pdf/.txt) into prompt text.
//! - [`providers`]: LLM endpoints (any OpenAI-compatible server) and the offline practice provider.
//! - [`export`]: write answers as .docx, .md or .txt, atomically.
//! - [`config`], [`secrets`]: profiles and settings in the platform dirs; API keys in the OS keychain.
//! - [`samples`], [`run`]: the built-in samples and the whole pipeline from inputs to an answer.
//!
//! The desktop shell (src-tauri) and the `katib` CLI are thin layers over this crate.

pub mod applog;
pub mod config;
pub mod documents;
pub mod error;
pub mod export;
pub mod fsutil;
pub mod providers;
pub mod run;
pub mod samples;
pub mod secrets;
pub mod session;
pub mod templates;

pub use error::{Error, Result};

/// The languages Katib speaks: French first, Arabic, English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, Default)]
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
