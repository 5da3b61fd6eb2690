//! Reading the user's files into plain values: a [`Table`] per sheet (.xlsx .xls .ods .csv) or a
//! Markdown-ish text (.docx .pdf .txt .md), and from those the extract a prompt receives.
//!
//! Every file is checked before a parser sees it (exists, not empty, under the size limit, the
//! bytes match the extension), and third-party parsers run on a guard thread: a panic becomes an
//! error, and one that runs past the timeout is abandoned with an error rather than hanging Katib.
//! Nothing here knows about LLMs or templates.

mod docx;
mod sheet;
mod text;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::kinds::FileKind;

pub use text::decode_text;

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("{}: file not found. Check the path.", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: cannot read the file: {detail}", path.display())]
    Io { path: PathBuf, detail: String },
    #[error("{}: the file is empty.", path.display())]
    Empty { path: PathBuf },
    #[error("{}: the file is {size_mb:.1} MB, over the {limit_mb} MB limit. Split it, or raise max_file_mb in config.toml.", path.display())]
    TooLarge { path: PathBuf, size_mb: f64, limit_mb: u64 },
    #[error("{}: '.{ext}' files are not supported. Use {}.", path.display(), supported())]
    Unsupported { path: PathBuf, ext: String },
    #[error("{}: the file is password-protected (encrypted). Open it, remove the password, save it again and retry.", path.display())]
    Encrypted { path: PathBuf },
    #[error("{}: this is not a valid {expected} file ({detail}). Open it in its application and save it again as {expected}.", path.display())]
    Corrupt { path: PathBuf, expected: &'static str, detail: String },
    #[error("{}: contains no readable text{hint}", path.display())]
    NoText { path: PathBuf, hint: &'static str },
    #[error("{}: reading took longer than {secs} s and was stopped. The file may be damaged or too complex.", path.display())]
    Timeout { path: PathBuf, secs: u64 },
    #[error("{}: {detail}", path.display())]
    Sheet { path: PathBuf, code: &'static str, detail: String },
    #[error("{}: this field expects {expected}, not a .{ext} file.", path.display())]
    WrongKind { path: PathBuf, expected: String, ext: String },
}

impl DocumentError {
    pub fn code(&self) -> &'static str {
        match self {
            DocumentError::NotFound { .. } => "document.not_found",
            DocumentError::Io { .. } => "document.unreadable",
            DocumentError::Empty { .. } => "document.empty",
            DocumentError::TooLarge { .. } => "document.too_large",
            DocumentError::Unsupported { .. } => "document.unsupported",
            DocumentError::Encrypted { .. } => "document.encrypted",
            DocumentError::Corrupt { .. } => "document.corrupt",
            DocumentError::NoText { .. } => "document.no_text",
            DocumentError::Timeout { .. } => "document.timeout",
            DocumentError::WrongKind { .. } => "document.wrong_kind",
            DocumentError::Sheet { code, .. } => code,
        }
    }
}

/// Guards on every read.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_bytes: u64,
    /// Characters one sheet extract may take in the prompt (header and note included).
    pub sheet_char_budget: usize,
    pub timeout: Duration,
}

impl Limits {
    pub const DEFAULT_MAX_MB: u64 = 25;
    pub const DEFAULT_SHEET_TOKENS: usize = 6000;
    pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

    /// Limits from a size in MB, a sheet budget in tokens (about 4 characters each) and a timeout
    /// in seconds.
    pub fn new(max_mb: u64, sheet_tokens: usize, timeout_secs: u64) -> Limits {
        Limits {
            max_bytes: max_mb.saturating_mul(1024 * 1024),
            sheet_char_budget: sheet_tokens.saturating_mul(4),
            timeout: Duration::from_secs(timeout_secs.max(1)),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(Limits::DEFAULT_MAX_MB, Limits::DEFAULT_SHEET_TOKENS, Limits::DEFAULT_TIMEOUT_SECS)
    }
}

/// One cell as text, with numbers and dates already formatted.
pub type Row = Vec<String>;

/// A sheet: its name, the header row, the data rows.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Table {
    pub name: String,
    pub header: Row,
    pub rows: Vec<Row>,
}

/// What a file holds, once read.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Content {
    Sheets { sheets: Vec<Table> },
    Document { text: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Xlsx,
    Xls,
    Ods,
    Csv,
    Docx,
    Pdf,
    Text,
}

fn format_of(path: &Path) -> Result<(Format, String), DocumentError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    // The one list decides what is read; the match below only says how.
    if FileKind::of_extension(&ext).is_none() {
        return Err(DocumentError::Unsupported { path: path.into(), ext });
    }
    let f = match ext.as_str() {
        "xlsx" | "xlsm" => Format::Xlsx,
        "xls" => Format::Xls,
        "ods" => Format::Ods,
        "csv" | "tsv" => Format::Csv,
        "docx" => Format::Docx,
        "pdf" => Format::Pdf,
        "txt" | "md" | "markdown" | "text" => Format::Text,
        _ => return Err(DocumentError::Unsupported { path: path.into(), ext }),
    };
    Ok((f, ext))
}

/// Whether `path`'s extension is a sheet, a document, or neither (the one list in
/// [`FileKind::extensions`]).
pub fn kind_of(path: &Path) -> Option<FileKind> {
    FileKind::of_path(path)
}

/// Every extension Katib reads, for messages.
fn supported() -> String {
    [FileKind::Sheet, FileKind::Document].iter().flat_map(|k| k.extensions()).map(|e| format!(".{e}")).collect::<Vec<_>>().join(", ")
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a file, with every guard applied.
pub fn read(path: &Path, limits: &Limits) -> Result<Content, DocumentError> {
    let (format, _) = format_of(path)?;
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => DocumentError::NotFound { path: path.into() },
        _ => DocumentError::Io { path: path.into(), detail: e.to_string() },
    })?;
    if !meta.is_file() {
        return Err(DocumentError::Io { path: path.into(), detail: "not a regular file".into() });
    }
    if meta.len() == 0 {
        return Err(DocumentError::Empty { path: path.into() });
    }
    if meta.len() > limits.max_bytes {
        return Err(DocumentError::TooLarge {
            path: path.into(),
            size_mb: meta.len() as f64 / 1_048_576.0,
            limit_mb: limits.max_bytes / 1_048_576,
        });
    }
    let bytes = std::fs::read(path).map_err(|e| DocumentError::Io { path: path.into(), detail: e.to_string() })?;
    check_magic(path, format, &bytes)?;
    let p = path.to_path_buf();
    let lim = limits.clone();
    guarded(path, limits.timeout, move || match format {
        Format::Xlsx | Format::Xls | Format::Ods => sheet::read_workbook(&p, bytes, format_name(format), &lim),
        Format::Csv => sheet::read_csv(&p, &bytes).map(|t| Content::Sheets { sheets: vec![t] }),
        Format::Docx => docx::read(&p, &bytes, &lim).map(|text| Content::Document { text }),
        Format::Pdf => read_pdf(&p, &bytes),
        Format::Text => {
            let text = decode_text(&bytes);
            if text.trim().is_empty() {
                return Err(DocumentError::NoText { path: p, hint: "." });
            }
            Ok(Content::Document { text: text.replace("\r\n", "\n") })
        }
    })
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Xlsx => "Excel .xlsx",
        Format::Xls => "Excel .xls",
        Format::Ods => "OpenDocument .ods",
        Format::Csv => "CSV",
        Format::Docx => "Word .docx",
        Format::Pdf => "PDF",
        Format::Text => "text",
    }
}

/// The bytes must be what the extension says: a renamed file gets a clear message, not a parser's.
fn check_magic(path: &Path, format: Format, bytes: &[u8]) -> Result<(), DocumentError> {
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(OLE_MAGIC);
    let corrupt = |detail: &str| DocumentError::Corrupt {
        path: path.into(),
        expected: format_name(format),
        detail: detail.into(),
    };
    match format {
        Format::Xlsx | Format::Docx | Format::Ods => {
            // An encrypted Office file is an OLE container holding "EncryptedPackage".
            if ole {
                if memfind(bytes, &utf16("EncryptedPackage")) {
                    return Err(DocumentError::Encrypted { path: path.into() });
                }
                return Err(corrupt("it is an old binary Office file: save it as the newer format"));
            }
            if !zip {
                return Err(corrupt("it is not a zip-based Office document"));
            }
        }
        Format::Xls => {
            if !ole {
                return Err(corrupt("it is not an Excel 97-2003 workbook"));
            }
        }
        Format::Pdf => {
            if !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
                return Err(corrupt("no %PDF header"));
            }
        }
        Format::Csv | Format::Text => {
            if zip || ole || bytes.starts_with(b"%PDF-") {
                return Err(corrupt("it is a binary document, not text"));
            }
        }
    }
    Ok(())
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn memfind(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Runs a parser on its own thread: a panic becomes `Corrupt`, a run past `timeout` `Timeout`.
fn guarded<F>(path: &Path, timeout: Duration, f: F) -> Result<Content, DocumentError>
where
    F: FnOnce() -> Result<Content, DocumentError> + Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("katib-reader".into()).spawn(move || {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = tx.send(r);
    });
    if let Err(e) = spawned {
        return Err(DocumentError::Io { path: path.into(), detail: e.to_string() });
    }
    match rx.recv_timeout(timeout) {
        Ok(Ok(r)) => r,
        Ok(Err(panic)) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "the parser crashed".into());
            let expected = format_of(path).map(|(f, _)| format_name(f)).unwrap_or("supported");
            Err(DocumentError::Corrupt { path: path.into(), expected, detail })
        }
        // The thread is left to finish on its own: Rust cannot kill it, but Katib goes on.
        Err(_) => Err(DocumentError::Timeout { path: path.into(), secs: timeout.as_secs() }),
    }
}

fn read_pdf(path: &Path, bytes: &[u8]) -> Result<Content, DocumentError> {
    // pdf-extract prints diagnostics for some fonts on stdout/stderr; the text is what matters.
    let text = pdf_extract::extract_text_from_mem(bytes).map_err(|e| {
        let d = e.to_string();
        if d.to_ascii_lowercase().contains("encrypt") || d.to_ascii_lowercase().contains("password") {
            DocumentError::Encrypted { path: path.into() }
        } else {
            DocumentError::Corrupt { path: path.into(), expected: "PDF", detail: d }
        }
    })?;
    let text = tidy_pdf_text(&text);
    if text.trim().is_empty() {
        return Err(DocumentError::NoText {
            path: path.into(),
            hint: ": it may be a scanned image. Run it through OCR first, or paste its text.",
        });
    }
    Ok(Content::Document { text })
}

/// pdf-extract leaves runs of blank lines and trailing spaces; keep paragraphs, drop the noise.
fn tidy_pdf_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let l = line.trim_end();
        if l.trim().is_empty() {
            blank += 1;
            if blank == 1 && !out.is_empty() {
                out.push('\n');
            }
            continue;
        }
        blank = 0;
        out.push_str(l);
        out.push('\n');
    }
    out.trim().to_string()
}

/// The text a prompt receives for one file: a `Fichier : NAME` line, then the content; sheets as
/// Markdown tables within `char_budget`, with an explicit note of the rows left out.
pub fn extract(path: &Path, content: &Content, char_budget: usize) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    match content {
        Content::Document { text } => format!("Fichier : {name}\n{}", text.trim()),
        Content::Sheets { sheets } => {
            let mut out = String::new();
            let n = sheets.len().max(1);
            let mut left = char_budget;
            for (i, t) in sheets.iter().enumerate() {
                let share = left / (n - i);
                let part = sheet::extract_table(&name, t, share, n > 1);
                left = left.saturating_sub(part.chars().count());
                if !out.is_empty() {
                    out.push_str("\n\n");
                }
                out.push_str(&part);
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_exactly_the_extensions_of_each_kind() {
        for kind in [FileKind::Sheet, FileKind::Document] {
            for ext in kind.extensions() {
                let (format, _) = format_of(Path::new(&format!("x.{ext}"))).expect(ext);
                let sheet = matches!(format, Format::Xlsx | Format::Xls | Format::Ods | Format::Csv);
                assert_eq!(sheet, kind == FileKind::Sheet, "{ext}");
            }
        }
        assert!(format_of(Path::new("x.odt")).is_err());
    }

    #[test]
    fn guard_turns_panic_into_error() {
        let r = guarded(Path::new("x.docx"), Duration::from_secs(5), || panic!("boom"));
        match r {
            Err(DocumentError::Corrupt { detail, .. }) => assert_eq!(detail, "boom"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn guard_times_out() {
        let r = guarded(Path::new("x.pdf"), Duration::from_millis(100), || {
            std::thread::sleep(Duration::from_secs(3));
            Ok(Content::Document { text: String::new() })
        });
        assert!(matches!(r, Err(DocumentError::Timeout { .. })), "{r:?}");
    }
}
