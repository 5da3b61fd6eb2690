//! katib-core: everything Katib does, with no GUI and no Tauri.
//!
//! - [`templates`]: prompt templates (TOML front matter + minijinja body): load, validate, render.
//! - [`documents`]: read the user's files (.xlsx/.xls/.ods/.csv/.docx/.pdf/.txt) into prompt text.
//! - [`providers`]: LLM endpoints (any OpenAI-compatible server) and the offline practice provider.
//! - [`export`]: write answers as .docx, .xlsx, .md or .txt, atomically.
//! - [`config`], [`secrets`]: profiles and settings in the platform dirs; API keys in the OS keychain.
//! - [`samples`], [`run`]: the built-in samples and the whole pipeline from inputs to an answer.
//!
//! The desktop shell (src-tauri) and the `katib` CLI are thin layers over this crate.
//!
//! Module dependencies go one way (checked by `tests::no_import_cycle`): the leaves [`lang`],
//! [`kinds`] and `span` depend on nothing; `documents`, `templates`, `export`, `providers` on
//! leaves and `config`; `run` on everything.

pub mod applog;
pub mod config;
pub mod documents;
pub mod error;
pub mod export;
pub mod fsutil;
pub mod kinds;
pub mod lang;
pub mod providers;
pub mod run;
pub mod samples;
pub mod secrets;
pub mod session;
mod span;
pub mod templates;

pub use error::{Error, Result};
pub use kinds::{FileKind, OutputKind};
pub use lang::{Lang, Localized};
