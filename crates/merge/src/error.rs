//! The errors of a mail-merge, each with a stable `code()` (`merge.no_header`, ...) for the CLI's
//! `--json` and the window, and the exit code the CLI uses. Messages name the file, the column,
//! the rows, and say what to do. Errors of the sheet reader and of the core pipeline pass
//! through with their own codes.

use std::path::PathBuf;

use serde::Serialize;

pub type Result<T, E = MergeError> = std::result::Result<T, E>;

/// A row that cannot become a letter as it is: the fields left empty, the cells in error, the
/// values a field refuses.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RowProblem {
    /// The row's number in the sheet (1 is the sheet's first row).
    pub row: u32,
    /// Plain sentences: "champ « Objet » vide", "cellule C5 en erreur (#DIV/0!)".
    pub problems: Vec<String>,
}

fn list_rows(rows: &[RowProblem]) -> String {
    let shown: Vec<String> = rows.iter().take(12).map(|r| format!("row {}: {}", r.row, r.problems.join("; "))).collect();
    let more = if rows.len() > 12 { format!("; and {} more rows", rows.len() - 12) } else { String::new() };
    format!("{}{more}", shown.join(" | "))
}

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error(transparent)]
    Sheet(#[from] katib_sheet::SheetError),
    #[error(transparent)]
    Core(#[from] katib_core::Error),
    #[error("{}: the sheet '{sheet}' has no data row under its header: nothing to merge", path.display())]
    EmptySheet { path: PathBuf, sheet: String },
    #[error("{}: no header row found in sheet '{sheet}' (the first rows should name the columns, e.g. Nom | Qualité | Adresse). Add a row of column names above the data", path.display())]
    NoHeader { path: PathBuf, sheet: String },
    #[error("{}: two columns are named '{name}' (columns {}): rename one of them, or map the field to a column letter (--map FIELD=C)", path.display(), letters.join(" and "))]
    DuplicateColumn { path: PathBuf, name: String, letters: Vec<String> },
    #[error("{}: no column '{column}' for the field '{field}'. Columns: {}", path.display(), available.join(", "))]
    UnknownColumn { path: PathBuf, field: String, column: String, available: Vec<String> },
    #[error("the template '{template}' has no field '{field}'. Its fields: {known}")]
    UnknownField { template: String, field: String, known: String },
    #[error("--map {spec}: {reason}")]
    BadMapping { spec: String, reason: String },
    #[error("the field '{field}' ({label}) is required: map it to a column (--map {field}=COLUMN) or give it for every letter (--set {field}=VALUE)")]
    Unmapped { field: String, label: String },
    #[error("the template '{template}' is not a letter, note or act: a mail-merge writes letters")]
    NotALetter { template: String },
    #[error("the field '{field}' of '{template}' takes a file, which a mail-merge cannot give per row")]
    FileField { template: String, field: String },
    #[error("{}: {} of {total} rows cannot become letters: {}. Fix the sheet, or add --skip-incomplete to write the others", path.display(), rows.len(), list_rows(rows))]
    Incomplete { path: PathBuf, total: usize, rows: Vec<RowProblem> },
    #[error("{}: every row is incomplete, no letter can be written: {}", path.display(), list_rows(rows))]
    NothingToWrite { path: PathBuf, rows: Vec<RowProblem> },
    #[error("{rows} rows, one request each: more than {limit} requests. Confirm with --yes (or split the sheet)")]
    ConfirmRows { rows: usize, limit: usize },
    #[error("draft mode needs the approved draft: run with --draft-out DRAFT.md to have it written, read and correct it, then pass it with --draft DRAFT.md")]
    DraftNeeded,
    #[error("the draft uses {}, which {}: use the fields and columns {}", unknown.join(", "), if unknown.len() == 1 { "is neither a field nor a column" } else { "are neither fields nor columns" }, known.join(", "))]
    DraftPlaceholders { unknown: Vec<String>, known: Vec<String> },
    #[error("{}: the draft is empty", path.display())]
    DraftEmpty { path: PathBuf },
    #[error("in draft mode the field '{field}' ({kind}) cannot change from one letter to the next: give it for every letter (--set {field}=VALUE), or use --mode per-row")]
    DraftTypedField { field: String, kind: String },
    #[error("{}: a merge was already started in this folder: add --resume to finish it, or choose another folder", dir.display())]
    AlreadyStarted { dir: PathBuf },
    #[error("{}: another merge is running in this folder right now (katib merge or the window): wait for it to end, or stop it", dir.display())]
    Busy { dir: PathBuf },
    #[error("{}: no merge to resume in this folder ({} is not there)", dir.display(), journal.display())]
    NothingToResume { dir: PathBuf, journal: PathBuf },
    #[error("{}: this journal belongs to another merge ({what} differs): resume with the same template, sheet, mapping and draft, or choose another folder", path.display())]
    JournalMismatch { path: PathBuf, what: String },
    #[error("{}: the journal is damaged at line {line}: {detail}", path.display())]
    JournalDamaged { path: PathBuf, line: usize, detail: String },
    #[error("{}: would be replaced by the merge: choose an empty folder or another file name pattern ({more} more)", path.display())]
    OutputExists { path: PathBuf, more: usize },
    #[error("file name pattern '{pattern}': {reason}")]
    BadNamePattern { pattern: String, reason: String },
    #[error("{}: {detail}", path.display())]
    Io { path: PathBuf, detail: String },
    #[error("building the letters failed: {0}")]
    Docx(String),
    #[error("no merge sample '{name}' for '{template}'{}", if known.is_empty() { String::new() } else { format!("; its merge samples: {}", known.join(", ")) })]
    UnknownSample { template: String, name: String, known: Vec<String> },
    #[error("merge sample {}: {reason}", path.display())]
    BadSample { path: PathBuf, reason: String },
    #[error("stopped: the letters written so far are kept; --resume finishes the others")]
    Cancelled,
}

impl MergeError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            MergeError::Sheet(e) => e.code(),
            MergeError::Core(e) => e.code(),
            MergeError::EmptySheet { .. } => "merge.empty_sheet",
            MergeError::NoHeader { .. } => "merge.no_header",
            MergeError::DuplicateColumn { .. } => "merge.duplicate_column",
            MergeError::UnknownColumn { .. } => "merge.unknown_column",
            MergeError::UnknownField { .. } => "merge.unknown_field",
            MergeError::BadMapping { .. } => "merge.bad_mapping",
            MergeError::Unmapped { .. } => "merge.unmapped_field",
            MergeError::NotALetter { .. } => "merge.not_a_letter",
            MergeError::FileField { .. } => "merge.file_field",
            MergeError::Incomplete { .. } => "merge.incomplete_rows",
            MergeError::NothingToWrite { .. } => "merge.nothing_to_write",
            MergeError::ConfirmRows { .. } => "merge.confirm_rows",
            MergeError::DraftNeeded => "merge.draft_needed",
            MergeError::DraftPlaceholders { .. } => "merge.draft_placeholders",
            MergeError::DraftEmpty { .. } => "merge.draft_empty",
            MergeError::DraftTypedField { .. } => "merge.draft_typed_field",
            MergeError::AlreadyStarted { .. } => "merge.already_started",
            MergeError::Busy { .. } => "merge.busy",
            MergeError::NothingToResume { .. } => "merge.nothing_to_resume",
            MergeError::JournalMismatch { .. } => "merge.journal_mismatch",
            MergeError::JournalDamaged { .. } => "merge.journal_damaged",
            MergeError::OutputExists { .. } => "merge.output_exists",
            MergeError::BadNamePattern { .. } => "merge.bad_name_pattern",
            MergeError::Io { .. } => "merge.io",
            MergeError::Docx(_) => "merge.docx",
            MergeError::UnknownSample { .. } => "merge.unknown_sample",
            MergeError::BadSample { .. } => "merge.bad_sample",
            MergeError::Cancelled => "merge.cancelled",
        }
    }

    /// The CLI's exit code (the README's table): 2 usage, 3 template or field, 4 input file,
    /// 7 writing, 130 stopped; the core's own codes for its errors.
    pub fn exit_code(&self) -> i32 {
        match self {
            MergeError::Sheet(_) => 4,
            MergeError::Core(e) => e.exit_code(),
            MergeError::EmptySheet { .. }
            | MergeError::NoHeader { .. }
            | MergeError::DuplicateColumn { .. }
            | MergeError::UnknownColumn { .. }
            | MergeError::Incomplete { .. }
            | MergeError::NothingToWrite { .. }
            | MergeError::DraftEmpty { .. }
            | MergeError::DraftPlaceholders { .. } => 4,
            MergeError::UnknownField { .. }
            | MergeError::Unmapped { .. }
            | MergeError::NotALetter { .. }
            | MergeError::FileField { .. }
            | MergeError::DraftTypedField { .. }
            | MergeError::UnknownSample { .. }
            | MergeError::BadSample { .. } => 3,
            MergeError::BadMapping { .. } | MergeError::ConfirmRows { .. } | MergeError::DraftNeeded | MergeError::BadNamePattern { .. } => 2,
            MergeError::AlreadyStarted { .. }
            | MergeError::Busy { .. }
            | MergeError::NothingToResume { .. }
            | MergeError::JournalMismatch { .. }
            | MergeError::JournalDamaged { .. }
            | MergeError::OutputExists { .. }
            | MergeError::Io { .. }
            | MergeError::Docx(_) => 7,
            MergeError::Cancelled => 130,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, e: impl std::fmt::Display) -> MergeError {
        MergeError::Io { path: path.into(), detail: e.to_string() }
    }
}

impl From<katib_core::error::TemplateError> for MergeError {
    fn from(e: katib_core::error::TemplateError) -> MergeError {
        MergeError::Core(e.into())
    }
}

impl From<katib_core::error::ExportError> for MergeError {
    fn from(e: katib_core::error::ExportError) -> MergeError {
        MergeError::Core(e.into())
    }
}

impl From<katib_history::Error> for MergeError {
    fn from(e: katib_history::Error) -> MergeError {
        MergeError::Core(e.into())
    }
}
