//! TOML files read with errors that name the line, and written atomically.

use std::path::Path;

use serde::Serialize;

use super::ConfigError;
use crate::span::line_of;

pub(super) fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ConfigError::Read { path: path.into(), source: e }),
    };
    toml::from_str(&text).map(Some).map_err(|e| ConfigError::Parse {
        path: path.into(),
        line: e.span().map(|s| line_of(&text, s.start)).unwrap_or(1),
        message: e.message().to_string(),
    })
}

/// Writes `value` as TOML to `path` atomically, creating its folder.
pub(super) fn write_toml<T: Serialize>(path: &Path, value: &T) -> Result<(), ConfigError> {
    let werr = |source| ConfigError::Write { path: path.to_path_buf(), source };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(werr)?;
    }
    let text = toml::to_string_pretty(value).expect("config types serialize to TOML");
    crate::fsutil::write_atomic(path, text.as_bytes(), true).map_err(werr)
}
