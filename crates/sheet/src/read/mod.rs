//! Streaming readers: every row of every sheet of a .xlsx/.xlsm, .ods, .csv or .xls, handed to a
//! [`RowSink`] one row at a time, so memory does not grow with the sheet (a 100,000-row sheet is
//! never held whole). .xlsx and .ods are read with a pull parser over the zipped XML; .csv through
//! the csv crate after detecting encoding and delimiter; .xls through calamine (such files are
//! small in practice, it loads one sheet at a time).
//!
//! Guards on every read: the file size, the archive's unpacked size and compression ratio (as
//! declared and as actually read), an optional deadline, and a panic in a parser caught and
//! turned into [`SheetError::Crashed`]. What the cells mean is not decided here.

mod csv;

pub use csv::{decode_text, detect_delimiter};
mod ods;
mod scan;
mod xls;
mod xlsx;
mod zipguard;

use std::ops::ControlFlow;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::cell::{Cell, CellRange};
use crate::error::{Result, SheetError};

/// Guards applied to every read.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Size of the file on disk.
    pub max_file_bytes: u64,
    /// Total of the unpacked parts of a zipped file (.xlsx, .ods).
    pub max_unzipped_bytes: u64,
    /// Largest unpacked/packed ratio of one part over 1 MB (XML compresses about 10x; a bomb
    /// thousands of times).
    pub max_ratio: u64,
    /// Rows read per sheet; a sheet longer than this is an error, never a silent cut.
    pub max_rows: u32,
    /// Columns per row (Excel's own limit is 16,384).
    pub max_columns: u32,
    /// Wall-clock limit for one read, checked as rows go by.
    pub timeout: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 200 << 20,
            max_unzipped_bytes: 2 << 30,
            max_ratio: 200,
            max_rows: 1_048_576,
            max_columns: 16_384,
            timeout: Some(Duration::from_secs(120)),
        }
    }
}

/// The kinds of file read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Ods,
    Csv,
    Xls,
}

impl Format {
    pub fn of(path: &Path) -> Result<Format> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        Ok(match ext.as_str() {
            "xlsx" | "xlsm" => Format::Xlsx,
            "ods" => Format::Ods,
            "csv" | "tsv" | "txt" => Format::Csv,
            "xls" => Format::Xls,
            _ => return Err(SheetError::Unsupported { path: path.into(), ext }),
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "Excel .xlsx",
            Format::Ods => "OpenDocument .ods",
            Format::Csv => "CSV",
            Format::Xls => "Excel .xls",
        }
    }
}

/// Receives the rows of a file, sheet by sheet.
pub trait RowSink {
    /// A sheet begins; return `false` to skip it.
    fn start_sheet(&mut self, name: &str) -> bool;
    /// One row that has at least one cell: `index` is 0-based (row 1 of the sheet is 0), cells
    /// are dense from column A. Rows with no cell at all are not delivered. `Break` stops the
    /// whole read (a preview that has what it needs).
    fn row(&mut self, index: u32, cells: &[Cell<'_>]) -> ControlFlow<()>;
    /// The merged ranges of the sheet, when the format records them (.xlsx after the rows, .ods
    /// as cells go by); delivered once, before `end_sheet`.
    fn merged(&mut self, _ranges: &[CellRange]) {}
    fn end_sheet(&mut self);
}

/// Reads every row of `path` into `sink`, with every guard of `limits`. Returns the format read.
pub fn read_rows(path: &Path, limits: &Limits, sink: &mut dyn RowSink) -> Result<Format> {
    let format = Format::of(path)?;
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => SheetError::NotFound { path: path.into() },
        _ => SheetError::Io { path: path.into(), detail: e.to_string() },
    })?;
    if !meta.is_file() {
        return Err(SheetError::Io { path: path.into(), detail: "not a regular file".into() });
    }
    if meta.len() == 0 {
        return Err(SheetError::Empty { path: path.into() });
    }
    if meta.len() > limits.max_file_bytes {
        return Err(SheetError::TooLarge {
            path: path.into(),
            size_mb: meta.len() as f64 / 1_048_576.0,
            limit_mb: limits.max_file_bytes >> 20,
        });
    }
    let file = std::fs::File::open(path).map_err(|e| SheetError::Io { path: path.into(), detail: e.to_string() })?;
    check_magic(path, format, &file)?;
    let ctx = Ctx { path, limits, started: Instant::now() };
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
        Format::Xlsx => xlsx::read(&ctx, file, sink),
        Format::Ods => ods::read(&ctx, file, sink),
        Format::Csv => csv::read(&ctx, file, sink),
        Format::Xls => xls::read(&ctx, file, sink),
    }));
    match run {
        Ok(r) => r.map(|()| format),
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a parser panicked".into());
            Err(SheetError::Crashed { path: path.into(), detail })
        }
    }
}

/// What every reader carries: the path for errors, the limits, the clock.
pub(crate) struct Ctx<'a> {
    pub path: &'a Path,
    pub limits: &'a Limits,
    pub started: Instant,
}

impl Ctx<'_> {
    pub fn corrupt(&self, format: Format, detail: impl Into<String>) -> SheetError {
        SheetError::Corrupt { path: self.path.into(), format: format.name(), detail: detail.into() }
    }

    /// Called every few hundred rows: the deadline and the row limit.
    pub fn check(&self, row: u32) -> Result<()> {
        if row >= self.limits.max_rows {
            return Err(SheetError::TooManyRows { path: self.path.into(), limit: self.limits.max_rows });
        }
        if let Some(t) = self.limits.timeout {
            if self.started.elapsed() > t {
                return Err(SheetError::Timeout { path: self.path.into(), secs: t.as_secs() });
            }
        }
        Ok(())
    }
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The bytes must be what the extension says: a renamed or encrypted file gets a clear message.
fn check_magic(path: &Path, format: Format, file: &std::fs::File) -> Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut head = [0u8; 8];
    let mut f = file;
    let n = f.read(&mut head).map_err(|e| SheetError::Io { path: path.into(), detail: e.to_string() })?;
    f.seek(SeekFrom::Start(0)).map_err(|e| SheetError::Io { path: path.into(), detail: e.to_string() })?;
    let head = &head[..n];
    let zip = head.starts_with(b"PK\x03\x04");
    let ole = head.starts_with(OLE_MAGIC);
    let corrupt = |detail: &str| SheetError::Corrupt { path: path.into(), format: format.name(), detail: detail.into() };
    match format {
        Format::Xlsx | Format::Ods => {
            if ole {
                // An encrypted .xlsx is an OLE container; so is a .xls renamed .xlsx.
                return Err(if format == Format::Xlsx && ole_holds_encrypted_package(path) {
                    SheetError::Encrypted { path: path.into() }
                } else {
                    corrupt("it is an old binary Office file: save it in the newer format")
                });
            }
            if !zip {
                return Err(corrupt("it is not a zip-based spreadsheet"));
            }
        }
        Format::Xls => {
            if zip {
                return Err(corrupt("it is a zipped workbook (.xlsx) with the wrong extension: rename it"));
            }
            if !ole {
                return Err(corrupt("it is not an Excel 97-2003 workbook"));
            }
        }
        Format::Csv => {
            if zip || ole || head.starts_with(b"%PDF-") {
                return Err(corrupt("it is a binary document, not text"));
            }
        }
    }
    Ok(())
}

fn ole_holds_encrypted_package(path: &Path) -> bool {
    // Encrypted OOXML files are small OLE containers; reading the first 64 KB finds the stream name.
    use std::io::Read;
    let mut buf = Vec::new();
    let Ok(f) = std::fs::File::open(path) else { return false };
    let _ = f.take(1 << 20).read_to_end(&mut buf);
    let needle: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    buf.windows(needle.len()).any(|w| w == needle)
}

/// Builds dense rows from cells that arrive with their column index, for the zipped formats.
pub(crate) struct RowBuf {
    pub cols: Vec<u32>,
    pub kinds: Vec<RawCell>,
    pub arena: String,
}

/// A cell before its text is pinned: text lives in the row's arena or the shared strings.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RawCell {
    Plain(CellNoText),
    Arena(u32, u32),
    Shared(u32),
}

/// The text-free cell kinds, copyable without a lifetime.
#[derive(Clone, Copy, Debug)]
pub(crate) enum CellNoText {
    Number(f64, crate::cell::NumFormat),
    Date(f64),
    Bool(bool),
    Error(crate::cell::CellError),
    NoValue,
}

impl RowBuf {
    pub fn new() -> RowBuf {
        RowBuf { cols: Vec::with_capacity(64), kinds: Vec::with_capacity(64), arena: String::with_capacity(4096) }
    }

    pub fn clear(&mut self) {
        self.cols.clear();
        self.kinds.clear();
        self.arena.clear();
    }

    pub fn push_text(&mut self, col: u32, text: &str) {
        let start = self.arena.len() as u32;
        self.arena.push_str(text);
        self.cols.push(col);
        self.kinds.push(RawCell::Arena(start, self.arena.len() as u32));
    }

    pub fn push(&mut self, col: u32, cell: RawCell) {
        self.cols.push(col);
        self.kinds.push(cell);
    }

    /// The dense row, cells placed at their columns (`max_columns` bounds the width).
    pub fn dense<'a>(&'a self, shared: &'a crate::read::xlsx::SharedStrings, max_columns: u32) -> Vec<Cell<'a>> {
        let width = self.cols.iter().copied().filter(|&c| c < max_columns).max().map_or(0, |m| m + 1) as usize;
        let mut out = vec![Cell::Empty; width];
        for (&c, &k) in self.cols.iter().zip(&self.kinds) {
            if c >= max_columns {
                continue;
            }
            out[c as usize] = match k {
                RawCell::Plain(p) => match p {
                    CellNoText::Number(v, f) => Cell::Number(v, f),
                    CellNoText::Date(d) => Cell::Date(d),
                    CellNoText::Bool(b) => Cell::Bool(b),
                    CellNoText::Error(e) => Cell::Error(e),
                    CellNoText::NoValue => Cell::NoValue,
                },
                RawCell::Arena(a, b) => Cell::Text(&self.arena[a as usize..b as usize]),
                RawCell::Shared(i) => Cell::Text(shared.get(i)),
            };
        }
        out
    }
}

/// Reads all of `r` into a string, lossily, through a size cap: small XML parts (workbook,
/// styles, relationships).
pub(crate) fn read_small_part(r: impl std::io::Read, cap: u64) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut r.take(cap), &mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Sheets delivered by name when a caller wants only one: the `start_sheet` filter.
pub(crate) fn attr_value<'a>(e: &'a quick_xml::events::BytesStart<'_>, local: &[u8]) -> Option<std::borrow::Cow<'a, [u8]>> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.local_name().as_ref() == local {
            return Some(a.value);
        }
    }
    None
}
