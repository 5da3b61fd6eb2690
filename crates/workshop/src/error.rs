//! The workshop's errors: one enum for packs, rubrics and peer review, each case with a stable
//! code (`pack.invalid`, `pack.path_escapes`, `review.no_learner`...) for the CLI's `--json` and
//! the window, and the file (and line) it is about.

use std::path::PathBuf;

pub type Result<T, E = WorkshopError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum WorkshopError {
    /// A pack file (manifest, exercise) that does not follow the format.
    #[error("{}:{line}: {message}", path.display())]
    Invalid { path: PathBuf, line: usize, message: String },
    /// A rubric check that cannot be run as written.
    #[error("{}:{line}: rubric: {message}", path.display())]
    Rubric { path: PathBuf, line: usize, message: String },
    #[error("{}:{line}: '{file}' is not in the pack (looked for {})", from.display(), path.display())]
    MissingFile { file: String, path: PathBuf, from: PathBuf, line: usize },
    #[error("{}:{line}: '{file}' points outside the pack folder: use a path inside it, such as files/lettre.txt", from.display())]
    PathEscapes { file: String, from: PathBuf, line: usize },
    #[error("{} is a symbolic link: a pack holds ordinary files only (copy the file into the pack instead)", path.display())]
    Symlink { path: PathBuf },
    #[error("{}:{line}: no template '{id}' (built-in or in the pack's templates/ folder). Known: {known}", from.display())]
    UnknownTemplate { id: String, from: PathBuf, line: usize, known: String },
    #[error("{}:{line}: template '{id}' has the id of a built-in template: give the pack's own template a new id (e.g. '{id}-atelier')", path.display())]
    ShadowsBuiltin { id: String, path: PathBuf, line: usize },
    #[error("{}: this pack needs {needed}; this Katib is {have}. Update Katib to open it.", path.display())]
    TooNew { path: PathBuf, needed: String, have: String },
    #[error("{}: refused, {entry}: {detail}", path.display())]
    TooLarge { path: PathBuf, entry: String, detail: String },
    #[error("{} is not a readable pack archive (.katib): {detail}", path.display())]
    BadArchive { path: PathBuf, detail: String },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("no pack '{name}'. Imported and built-in packs: {known}. Import one with `katib pack import FILE`.")]
    PackNotFound { name: String, known: String },
    #[error("pack '{pack}' has no exercise '{wanted}'. Its exercises: {known}")]
    ExerciseNotFound { pack: String, wanted: String, known: String },
    #[error("importing would replace your own template(s): {}. Nothing was changed. Keep yours (rename them), or import again with --replace.", list.join("; "))]
    WouldReplace { list: Vec<String> },
    #[error("{} already exists: choose another name or use --force", path.display())]
    Exists { path: PathBuf },
    #[error("no learner name set: run `katib review whoami --set \"Prénom Nom\" --team \"Équipe\"` once")]
    NoLearner,
    #[error("{}: {message}", path.display())]
    BadSubmission { path: PathBuf, message: String },
    #[error("{}: cannot write the workbook: {detail}", path.display())]
    Xlsx { path: PathBuf, detail: String },
    #[error("{}:{line}: {message}", path.display())]
    Template { path: PathBuf, line: usize, message: String },
    /// A field, as the editor's form gives it, that a template cannot hold: `code` says which
    /// rule (`field.bad_name`, `field.duplicate`, `field.bad_type`, `field.no_label`,
    /// `field.no_options`; `field.bad_index` for a field number the text does not have,
    /// `field.cannot_move` for an entry that cannot move as one block), for the window to say
    /// it in the user's language.
    #[error("{message}")]
    Field { code: &'static str, name: String, message: String },
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Core(#[from] katib_core::Error),
}

impl WorkshopError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            WorkshopError::Invalid { .. } => "pack.invalid",
            WorkshopError::Rubric { .. } => "rubric.invalid",
            WorkshopError::MissingFile { .. } => "pack.missing_file",
            WorkshopError::PathEscapes { .. } => "pack.path_escapes",
            WorkshopError::Symlink { .. } => "pack.symlink",
            WorkshopError::UnknownTemplate { .. } => "pack.unknown_template",
            WorkshopError::ShadowsBuiltin { .. } => "pack.shadows_builtin",
            WorkshopError::TooNew { .. } => "pack.too_new",
            WorkshopError::TooLarge { .. } => "pack.too_large",
            WorkshopError::BadArchive { .. } => "pack.bad_archive",
            WorkshopError::Io { .. } => "pack.io",
            WorkshopError::PackNotFound { .. } => "pack.not_found",
            WorkshopError::ExerciseNotFound { .. } => "exercise.not_found",
            WorkshopError::WouldReplace { .. } => "pack.would_replace",
            WorkshopError::Exists { .. } => "output.exists",
            WorkshopError::NoLearner => "review.no_learner",
            WorkshopError::BadSubmission { .. } => "review.invalid",
            WorkshopError::Xlsx { .. } => "review.xlsx",
            WorkshopError::Template { .. } => "template.invalid",
            WorkshopError::Field { code, .. } => code,
            WorkshopError::Usage(_) => "usage",
            WorkshopError::Core(e) => e.code(),
        }
    }

    /// The CLI's exit code: core errors keep theirs; a file that cannot be read is 4 (input
    /// file), an output that exists 7 (export), anything wrong in a pack, rubric or review file 10.
    pub fn exit_code(&self) -> u8 {
        match self {
            WorkshopError::Core(e) => e.exit_code().clamp(0, 255) as u8,
            WorkshopError::Io { .. } | WorkshopError::MissingFile { .. } => 4,
            WorkshopError::Exists { .. } | WorkshopError::Xlsx { .. } => 7,
            WorkshopError::NoLearner => 8,
            WorkshopError::Template { .. } => 3,
            WorkshopError::Usage(_) | WorkshopError::Field { .. } => 2,
            _ => 10,
        }
    }

    /// The file this error is about, if any (the window opens it at its line).
    pub fn location(&self) -> Option<(&std::path::Path, usize)> {
        match self {
            WorkshopError::Invalid { path, line, .. }
            | WorkshopError::Rubric { path, line, .. }
            | WorkshopError::ShadowsBuiltin { path, line, .. }
            | WorkshopError::Template { path, line, .. } => Some((path, *line)),
            WorkshopError::MissingFile { from, line, .. }
            | WorkshopError::PathEscapes { from, line, .. }
            | WorkshopError::UnknownTemplate { from, line, .. } => Some((from, *line)),
            _ => None,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> WorkshopError {
        WorkshopError::Io { path: path.into(), source }
    }
}

macro_rules! from_core {
    ($($t:ty),*) => {$(
        impl From<$t> for WorkshopError {
            fn from(e: $t) -> WorkshopError {
                WorkshopError::Core(katib_core::Error::from(e))
            }
        }
    )*};
}
from_core!(
    katib_core::error::TemplateError,
    katib_core::error::DocumentError,
    katib_core::error::ConfigError,
    katib_core::error::ProviderError,
    katib_core::error::ExportError
);
