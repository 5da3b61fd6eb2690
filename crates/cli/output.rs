//! How the CLI reports: errors as one line (or a JSON object with `--json`) with the exit code
//! the README documents, notices on stderr, small parsing helpers shared by the commands.

use katib_core::Lang;
use serde_json::json;

/// An error and how to report it.
pub struct Failure {
    pub code: String,
    pub message: String,
    pub exit: u8,
}

impl From<katib_core::Error> for Failure {
    fn from(e: katib_core::Error) -> Failure {
        Failure { code: e.code().into(), message: e.to_string(), exit: e.exit_code().clamp(0, 255) as u8 }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        match e.downcast::<katib_core::Error>() {
            Ok(k) => k.into(),
            Err(e) => Failure { code: "error".into(), message: format!("{e:#}"), exit: 1 },
        }
    }
}

macro_rules! from_core {
    ($($t:ty),*) => {$(
        impl From<$t> for Failure {
            fn from(e: $t) -> Failure {
                katib_core::Error::from(e).into()
            }
        }
    )*};
}
from_core!(
    katib_core::error::TemplateError,
    katib_core::error::DocumentError,
    katib_core::error::ConfigError,
    katib_core::error::ProviderError,
    katib_core::error::ExportError,
    katib_core::error::KeyError,
    katib_history::Error
);

#[macro_export]
macro_rules! core_err {
    ($e:expr) => {
        katib_core::Error::from($e)
    };
}

/// A notice on stderr: a line of text, or a JSON object with `--json`.
pub fn note(message: &str, json: bool) {
    if json {
        eprintln!("{}", json!({"note": message}));
    } else {
        eprintln!("katib: note: {message}");
    }
}

pub fn lang(s: &str) -> Result<Lang, Failure> {
    Lang::parse(s).ok_or_else(|| Failure { code: "usage".into(), message: format!("unknown language '{s}': use fr, ar or en"), exit: 2 })
}

pub fn split_pair(s: &str, flag: &str) -> Result<(String, String), Failure> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| Failure { code: "usage".into(), message: format!("{flag} expects FIELD=VALUE, got '{s}'"), exit: 2 })
}

/// Prints `v` as pretty JSON on stdout. A reader that stops early (`| head`) is not an error.
pub fn print_json<T: serde::Serialize>(v: &T) {
    use std::io::Write;
    let text = serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}
