//! Where Katib keeps things, and what the user configured.
//!
//! - [`Paths`]: the config dir (`config.toml`, `profiles.toml`) and the data dir, from the platform
//!   dirs or `KATIB_CONFIG_DIR` / `KATIB_DATA_DIR` (tests and trainers' sandboxes use these).
//! - [`Settings`] (`config.toml`): user templates folder, input limits, letterhead, signatories,
//!   the administration's own wording.
//! - [`Profiles`] (`profiles.toml`): named OpenAI-compatible endpoints and the presets.
//! - [`Resources`]: where the shipped `prompts/` and `samples/` are.
//! - [`Policy`]: what the IT department locks for every user of the machine.
//!
//! API keys are never here: see [`crate::secrets`].

mod file;
mod paths;
mod policy;
mod profiles;
mod resources;
mod settings;

use std::path::PathBuf;

pub use paths::Paths;
pub use policy::Policy;
pub use profiles::{preset, Preset, Profile, Profiles, PRACTICE, PRESETS};
pub use resources::Resources;
pub use settings::{LetterheadSettings, Settings, Signatory};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not valid TOML (line {line}): {message}. Fix or delete the file.")]
    Parse { path: PathBuf, line: usize, message: String },
    #[error("{}: {message}. Fix the file.", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("refused by this computer's policy ({}): {what}. Ask your IT department.", path.display())]
    Policy { path: PathBuf, what: String },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("no platform {what} directory found: set {var}")]
    NoDir { what: &'static str, var: &'static str },
    #[error("unknown profile '{name}'. Known profiles: {known}. Add one with `katib profiles add`.")]
    UnknownProfile { name: String, known: String },
    #[error("profile '{name}' already exists in {path}")]
    ProfileExists { name: String, path: PathBuf },
    #[error("invalid profile '{name}': {reason}")]
    InvalidProfile { name: String, reason: String },
    #[error("unknown preset '{name}'. Presets: {known}")]
    UnknownPreset { name: String, known: String },
    #[error(
        "Katib's prompts/ and samples/ folders were not found (looked in {looked}). \
         Set KATIB_RESOURCES_DIR to the folder that holds them."
    )]
    NoResources { looked: String },
}

impl ConfigError {
    pub fn code(&self) -> &'static str {
        match self {
            ConfigError::Read { .. } | ConfigError::Write { .. } | ConfigError::NoDir { .. } => {
                "config.io"
            }
            ConfigError::Parse { .. } | ConfigError::Invalid { .. } => "config.invalid",
            ConfigError::UnknownProfile { .. } => "config.unknown_profile",
            ConfigError::ProfileExists { .. } => "config.profile_exists",
            ConfigError::InvalidProfile { .. } => "config.invalid_profile",
            ConfigError::UnknownPreset { .. } => "config.unknown_preset",
            ConfigError::NoResources { .. } => "config.no_resources",
            ConfigError::Policy { .. } => "policy.denied",
        }
    }
}


#[cfg(test)]
mod tests;
