//! The errors of reading and profiling a sheet, each with a stable `code()` for the CLI's `--json`
//! and the window (`sheet.corrupt`, `sheet.zip_bomb`...). Messages name the file and say what to
//! do. Problems found *in* the data (a wrong total, a cell in error, no header row) are not errors:
//! they are findings and warnings of the profile.

use std::path::PathBuf;

pub type Result<T> = std::result::Result<T, SheetError>;

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("{}: file not found. Check the path.", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: cannot read the file: {detail}", path.display())]
    Io { path: PathBuf, detail: String },
    #[error("{}: the file is empty.", path.display())]
    Empty { path: PathBuf },
    #[error("{}: the file is {size_mb:.1} MB, over the {limit_mb} MB limit. Split it, or raise the limit.", path.display())]
    TooLarge { path: PathBuf, size_mb: f64, limit_mb: u64 },
    #[error("{}: '.{ext}' is not a spreadsheet Katib reads. Use .xlsx, .xlsm, .xls, .ods or .csv.", path.display())]
    Unsupported { path: PathBuf, ext: String },
    #[error("{}: the file is password-protected (encrypted). Open it, remove the password, save it again and retry.", path.display())]
    Encrypted { path: PathBuf },
    #[error("{}: this is not a valid {format} file ({detail}). Open it in its application and save it again as {format}.", path.display())]
    Corrupt { path: PathBuf, format: &'static str, detail: String },
    #[error("{}: the archive would unpack to more than the allowed size ({detail}). It may be a decompression bomb; if it is a genuine sheet, split it.", path.display())]
    ZipBomb { path: PathBuf, detail: String },
    #[error("{}: no sheet named '{sheet}'. Sheets in this file: {}.", path.display(), available.join(", "))]
    UnknownSheet { path: PathBuf, sheet: String, available: Vec<String> },
    #[error("{}: no sheet holds any data row.", path.display())]
    NoData { path: PathBuf },
    #[error("{}: a sheet has more than {limit} rows, the most Katib reads. Split the file.", path.display())]
    TooManyRows { path: PathBuf, limit: u32 },
    #[error("{}: reading took longer than {secs} s and was stopped. The file may be damaged or too large.", path.display())]
    Timeout { path: PathBuf, secs: u64 },
    #[error("{}: the reader stopped on an internal error ({detail}). Save the file again from its application and retry.", path.display())]
    Crashed { path: PathBuf, detail: String },
    #[error("sheet '{sheet}': no column '{column}'. Columns: {}.", available.join(", "))]
    UnknownColumn { sheet: String, column: String, available: Vec<String> },
    #[error("{}: cannot write the annex: {detail}", path.display())]
    Write { path: PathBuf, detail: String },
}

impl SheetError {
    pub fn code(&self) -> &'static str {
        match self {
            SheetError::NotFound { .. } => "sheet.not_found",
            SheetError::Io { .. } => "sheet.unreadable",
            SheetError::Empty { .. } => "sheet.empty",
            SheetError::TooLarge { .. } => "sheet.too_large",
            SheetError::Unsupported { .. } => "sheet.unsupported",
            SheetError::Encrypted { .. } => "sheet.encrypted",
            SheetError::Corrupt { .. } => "sheet.corrupt",
            SheetError::ZipBomb { .. } => "sheet.zip_bomb",
            SheetError::UnknownSheet { .. } => "sheet.unknown_sheet",
            SheetError::NoData { .. } => "sheet.no_data",
            SheetError::TooManyRows { .. } => "sheet.too_many_rows",
            SheetError::Timeout { .. } => "sheet.timeout",
            SheetError::Crashed { .. } => "sheet.crashed",
            SheetError::UnknownColumn { .. } => "sheet.unknown_column",
            SheetError::Write { .. } => "sheet.annex_write",
        }
    }
}
