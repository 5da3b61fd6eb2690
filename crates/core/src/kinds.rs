//! Small shared kinds that several modules name: what files a field accepts (with the ONE list of
//! extensions the reader, the file picker and the form all use) and what an answer is, which
//! decides its export layout. A leaf: it depends on nothing else in the crate.

use serde::{Deserialize, Serialize};

/// Kinds of files a file field accepts.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// Workbooks and delimited text.
    Sheet,
    /// Documents read as text.
    Document,
}

impl FileKind {
    /// The extensions (lowercase, no dot) Katib reads as this kind. `documents::read` accepts
    /// exactly these; the desktop's file picker and form offer exactly these.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Sheet => &["xlsx", "xlsm", "xls", "ods", "csv", "tsv"],
            FileKind::Document => &["docx", "pdf", "txt", "md", "markdown", "text"],
        }
    }

    /// The kind of a file by its extension (case-insensitive), if Katib reads it.
    pub fn of_extension(ext: &str) -> Option<FileKind> {
        let ext = ext.to_ascii_lowercase();
        [FileKind::Sheet, FileKind::Document].into_iter().find(|k| k.extensions().contains(&ext.as_str()))
    }

    /// The kind of `path` by its extension.
    pub fn of_path(path: &std::path::Path) -> Option<FileKind> {
        path.extension().and_then(|e| e.to_str()).and_then(FileKind::of_extension)
    }

    /// "a spreadsheet (.xlsx, .xlsm, ...)", for messages.
    pub fn describe(self) -> String {
        let list: Vec<String> = self.extensions().iter().map(|e| format!(".{e}")).collect();
        match self {
            FileKind::Sheet => format!("a spreadsheet ({})", list.join(", ")),
            FileKind::Document => format!("a document ({})", list.join(", ")),
        }
    }
}

/// What the answer is, which decides its export layout.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum OutputKind {
    /// An official letter: letterhead, N°, sender "à" addressee, Objet, body, signature, copies.
    Letter,
    /// A note to a superior: the De / À / Objet block, N°, date, body, signature.
    Note,
    /// An act (arrêté, décision, attestation, ordre de mission, procès-verbal): N°, a centred
    /// title, the body, "Fait à ..., le ...", the signature.
    Act,
    /// A report: title, headings, page numbers, optional table of contents.
    Report,
    /// Tables first (spreadsheet analyses).
    Table,
}

impl OutputKind {
    /// Whether the export puts the official frame (letterhead, N°, signature...) around the body.
    pub fn is_framed(self) -> bool {
        matches!(self, OutputKind::Letter | OutputKind::Note | OutputKind::Act)
    }
}

/// Where an endpoint processes what it is sent (local, sovereign, cloud), which decides whether
/// personal data must be pseudonymised first. The history's own type: the one it records.
pub use katib_history::DataClass;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_list_of_extensions() {
        assert_eq!(FileKind::of_extension("XLSM"), Some(FileKind::Sheet));
        assert_eq!(FileKind::of_extension("markdown"), Some(FileKind::Document));
        assert_eq!(FileKind::of_extension("odt"), None);
        let sheet = FileKind::Sheet.extensions();
        assert!(FileKind::Document.extensions().iter().all(|e| !sheet.contains(e)), "a kind per extension");
    }
}
