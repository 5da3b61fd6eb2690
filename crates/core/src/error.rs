//! The crate's error type: one enum per module family, gathered here with a stable code for each
//! case (`provider.auth`, `template.missing_field`, ...) that the CLI's `--json` and the desktop UI
//! map to messages in the user's language.

pub use crate::config::ConfigError;
pub use crate::documents::DocumentError;
pub use crate::export::ExportError;
pub use crate::providers::ProviderError;
pub use crate::secrets::KeyError;
pub use crate::templates::TemplateError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    History(#[from] katib_history::Error),
}

impl Error {
    /// Stable machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Template(e) => e.code(),
            Error::Document(e) => e.code(),
            Error::Provider(e) => e.code(),
            Error::Export(e) => e.code(),
            Error::Config(e) => e.code(),
            Error::Key(e) => e.code(),
            Error::History(e) => e.code(),
        }
    }

    /// The form field this error is about, when it is about one (the desktop marks that field).
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Template(
                TemplateError::MissingField { field, .. } | TemplateError::BadValue { field, .. } | TemplateError::UnknownField { field, .. },
            ) => Some(field),
            _ => None,
        }
    }

    /// The text received before a stream failed, if any.
    pub fn partial(&self) -> Option<&str> {
        match self {
            Error::Provider(p) => p.partial(),
            _ => None,
        }
    }

    /// Process exit code the CLI uses for this error (documented in the README).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Template(_) => 3,
            Error::Document(_) => 4,
            Error::Provider(ProviderError::Cancelled) => 130,
            Error::Provider(ProviderError::PracticeNoMatch { .. } | ProviderError::PracticeEdited { .. }) => 6,
            Error::Provider(_) => 5,
            Error::Export(_) => 7,
            Error::Config(_) | Error::Key(_) => 8,
            Error::History(_) => 9,
        }
    }
}
