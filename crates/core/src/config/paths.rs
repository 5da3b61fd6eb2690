//! The config and data folders.

use std::path::PathBuf;

use super::ConfigError;

/// The config and data folders.
#[derive(Clone, Debug)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
}

impl Paths {
    /// `KATIB_CONFIG_DIR` / `KATIB_DATA_DIR`, else the platform dirs (`~/.config/katib`, ...).
    pub fn from_env() -> Result<Paths, ConfigError> {
        let config_dir = match std::env::var_os("KATIB_CONFIG_DIR") {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => dirs::config_dir()
                .ok_or(ConfigError::NoDir { what: "config", var: "KATIB_CONFIG_DIR" })?
                .join("katib"),
        };
        let data_dir = match std::env::var_os("KATIB_DATA_DIR") {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => dirs::data_dir()
                .ok_or(ConfigError::NoDir { what: "data", var: "KATIB_DATA_DIR" })?
                .join("katib"),
        };
        Ok(Paths { config_dir, data_dir })
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }
    pub fn profiles_file(&self) -> PathBuf {
        self.config_dir.join("profiles.toml")
    }
    /// The user templates folder when config.toml sets no `templates_dir`.
    pub fn default_templates_dir(&self) -> PathBuf {
        self.config_dir.join("templates")
    }
}

