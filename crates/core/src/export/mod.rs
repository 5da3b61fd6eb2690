//! Writing answers as files an official can use: .docx (Word), .xlsx (the answer's tables), .md,
//! .txt. The format follows the file extension. Every write is atomic (temp file + rename) and
//! never replaces an existing file unless asked to.
//!
//! Letters, notes and acts get their official frame around the model's body, from the
//! template's fields and the `[letterhead]` settings, worded once in `frame`: a letter its N°,
//! place and date, sender "à" addressee and S/C line, Objet, Réf., P.J., signature block
//! (delegation, function, room to sign, name) and copies; a note its "De / À / Objet" block; an
//! act its centred title, "Fait à ..., le ..." and signatories. Or the body and those parts fill
//! the administration's own Word letterhead ([`fill_letterhead`]). Reports get a title, an
//! optional table of contents, page numbers and a "prepared with" line. Any document may end
//! with the audit page ([`AuditAnnex`]) and carries its run's id in its properties; a run's
//! audit record is also a one-page document of its own ([`write_audit_sheet`]). Knows
//! nothing about LLMs or templates beyond the [`ExportDoc`] it is given.
//!
//! The answer's Markdown is parsed once, into the document model of [`blocks`] (headings,
//! paragraphs of runs, lists, tables, notes, code, page breaks); every writer reads those blocks
//! (Katib's Word layout in `docx`, the filled letterhead in `fill`, the spreadsheet in `xlsx`, plain
//! text in `markdown`), and the window's preview builds the same tree (ui/js/markdown.js), so all of
//! them agree on what is a list or a table. The .md export alone keeps the Markdown as written.

pub mod blocks;
mod annex;
mod docx;
mod fill;
mod frame;
mod hijri;
mod markdown;
mod ooxml;
mod sheet;
mod xlsx;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::kinds::OutputKind;
use crate::Lang;

pub use fill::{check_letterhead, fill_letterhead, PLACEHOLDERS};
pub use hijri::hijri_date;
pub use markdown::to_plain_text;
pub use sheet::{AuditSheet, SheetExport, SheetInput, SheetOverride};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{} already exists: choose another name, or use --force to replace it", path.display())]
    Exists { path: PathBuf },
    #[error("cannot write {}: {detail}", path.display())]
    Write { path: PathBuf, detail: String },
    #[error("{}: '.{ext}' is not an export format. Use .docx, .xlsx, .md or .txt", path.display())]
    Unsupported { path: PathBuf, ext: String },
    #[error("{}: a workbook of the answer's tables must be a .xlsx file", path.display())]
    NotXlsx { path: PathBuf },
    #[error("building the Word document failed: {0}")]
    Docx(String),
    #[error("building the Excel workbook failed: {0}")]
    Xlsx(String),
    #[error("the answer is empty: nothing to export")]
    Empty,
    #[error("the answer has no table: nothing to put in a spreadsheet (.xlsx exports the answer's Markdown tables)")]
    NoTable,
    #[error("logo {}: {reason}", path.display())]
    Logo { path: PathBuf, reason: String },
    #[error("letterhead {}: {reason}", path.display())]
    Letterhead { path: PathBuf, reason: String },
}

impl ExportError {
    pub fn code(&self) -> &'static str {
        match self {
            ExportError::Exists { .. } => "export.exists",
            ExportError::Write { .. } => "export.io",
            ExportError::Unsupported { .. } | ExportError::NotXlsx { .. } => "export.unsupported",
            ExportError::Docx(_) => "export.docx",
            ExportError::Xlsx(_) => "export.xlsx",
            ExportError::Empty => "export.empty",
            ExportError::NoTable => "export.no_table",
            ExportError::Logo { .. } => "export.logo",
            ExportError::Letterhead { .. } => "export.letterhead",
        }
    }
}

/// The parts of an administrative letter that come from fields, not from the model.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LetterParts {
    pub ville: Option<String>,
    /// `YYYY-MM-DD`; written out in words in the letter's language.
    pub date: Option<String>,
    /// Our own number ("N° 1234/DAG/2026"), under the letterhead.
    pub reference: Option<String>,
    /// The letter or text answered ("Réf. : votre lettre du ..."), under the objet.
    pub their_ref: Option<String>,
    pub expediteur: Option<String>,
    pub destinataire: Option<String>,
    pub objet: Option<String>,
    pub pieces_jointes: Option<String>,
    /// The signatory's function.
    pub signataire: Option<String>,
    /// The signatory's name, under the function (only when it is known to be this function's).
    pub signataire_nom: Option<String>,
    /// Above the function: "Pour le Président et par délégation", "P.O.".
    pub delegation: Option<String>,
    /// "S/C de Monsieur le Gouverneur ...": the letter goes through the hierarchy.
    pub sous_couvert: Option<String>,
    /// Acts: the centred title ("Arrêté n° ... portant ...").
    pub titre: Option<String>,
    /// Acts signed by several people: one signatory per line.
    pub signatures: Option<String>,
    pub copies: Option<String>,
}

/// The administration's letterhead, from the settings: what every letter carries besides the
/// template's fields.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Letterhead {
    /// French lines (top left), one per level of the administration.
    pub fr: Vec<String>,
    /// Arabic lines (top right).
    pub ar: Vec<String>,
    /// A PNG or JPEG logo, at most [`MAX_LOGO_BYTES`].
    pub logo: Option<PathBuf>,
    /// The name of THIS document's signatory, under the function (set per document by the
    /// runner, which knows whose function it is; None: no name is printed).
    pub signature_name: Option<String>,
    /// Arabic letters: a Hijri date line under the date.
    pub hijri: bool,
}

/// The largest logo accepted: a letterhead logo is a few hundred kilobytes at most.
pub const MAX_LOGO_BYTES: u64 = 2 * 1024 * 1024;

/// What to export.
#[derive(Clone, Debug)]
pub struct ExportDoc<'a> {
    /// The answer, in Markdown.
    pub markdown: &'a str,
    pub lang: Lang,
    pub kind: OutputKind,
    /// Document title (reports), also the .docx metadata title.
    pub title: Option<String>,
    /// Letters: the frame around the body.
    pub letter: Option<LetterParts>,
    /// Letters: letterhead lines, logo, signatory.
    pub letterhead: Option<Letterhead>,
    /// Reports: "Préparé avec Katib (modèle ..., ...)", last, in small print. None: no such line.
    pub prepared_with: Option<String>,
    /// Reports: a table of contents after the title.
    pub toc: bool,
    /// The run that produced the document (history): written into the .docx document
    /// properties, so a printed letter's file leads back to its run.
    pub run_id: Option<String>,
    /// An audit page at the end: who reviewed and approved the document.
    pub audit: Option<AuditAnnex>,
}

/// The audit record printed as the document's last page ("relu et validé par").
#[derive(Clone, Debug, Default, Serialize)]
pub struct AuditAnnex {
    pub run_id: String,
    /// "Réponse à un citoyen (v2)".
    pub template: String,
    /// The endpoint and model, or "practice", "fixed".
    pub profile: String,
    pub model: String,
    /// local | sovereign | cloud | "" when nothing was sent.
    pub data_class: String,
    /// `YYYY-MM-DD` of the run.
    pub date: String,
    /// How many values were pseudonymised, by kind ("nom" -> 3); never the values.
    pub masked: Vec<(String, usize)>,
    /// Who reviewed it: name, function, `YYYY-MM-DD`.
    pub approvals: Vec<(String, String, String)>,
}

impl<'a> ExportDoc<'a> {
    /// A document with no title, letter frame, letterhead or "prepared with" line.
    pub fn new(markdown: &'a str, lang: Lang, kind: OutputKind) -> ExportDoc<'a> {
        ExportDoc { markdown, lang, kind, title: None, letter: None, letterhead: None, prepared_with: None, toc: false, run_id: None, audit: None }
    }
}

/// "Préparé avec Katib : modèle « Réponse à un citoyen », llama3.1, le 23 novembre 2026".
pub fn prepared_with_line(template: &str, model: Option<&str>, iso_date: &str, lang: Lang) -> String {
    let date = place_and_date(None, iso_date, lang);
    let model = model.filter(|m| !m.trim().is_empty());
    match lang {
        Lang::Fr => {
            let date = date.strip_prefix("Le ").unwrap_or(&date).to_string();
            match model {
                Some(m) => format!("Préparé avec Katib : modèle « {template} », IA {m}, le {date}"),
                None => format!("Préparé avec Katib : modèle « {template} », le {date}"),
            }
        }
        Lang::Ar => match model {
            Some(m) => format!("أُعدّ بواسطة كاتب: نموذج «{template}»، الذكاء الاصطناعي {m}، بتاريخ {date}"),
            None => format!("أُعدّ بواسطة كاتب: نموذج «{template}»، بتاريخ {date}"),
        },
        Lang::En => match model {
            Some(m) => format!("Prepared with Katib: template \"{template}\", AI {m}, {date}"),
            None => format!("Prepared with Katib: template \"{template}\", {date}"),
        },
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Docx,
    Xlsx,
    Md,
    Txt,
}

pub fn format_of(path: &Path) -> Result<Format, ExportError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "docx" => Ok(Format::Docx),
        "xlsx" => Ok(Format::Xlsx),
        "md" | "markdown" => Ok(Format::Md),
        "txt" => Ok(Format::Txt),
        _ => Err(ExportError::Unsupported { path: path.into(), ext }),
    }
}

/// The file's bytes, without writing.
pub fn render(doc: &ExportDoc, format: Format) -> Result<Vec<u8>, ExportError> {
    if doc.markdown.trim().is_empty() {
        return Err(ExportError::Empty);
    }
    // Parsed once; every writer reads the blocks.
    let blocks = blocks::parse(doc.markdown);
    let titled = matches!(blocks.first(), Some(blocks::Block::Heading { .. }));
    match format {
        Format::Docx => docx::build(doc, &blocks),
        Format::Xlsx => xlsx::build(doc, &blocks),
        Format::Md => Ok(markdown::with_frame(doc, &blocks, titled).into_bytes()),
        Format::Txt => Ok(markdown::plain_with_frame(doc, &blocks, titled).into_bytes()),
    }
}

/// Writes `doc` to `path`: into the administration's own Word letterhead when one is given
/// (see `Workbench::letterhead_for`), else in the format the extension names.
pub fn write_into(path: &Path, doc: &ExportDoc, letterhead: Option<&Path>, overwrite: bool) -> Result<(), ExportError> {
    match letterhead {
        Some(lh) => fill_letterhead(lh, doc, path, overwrite),
        None => write(path, doc, overwrite),
    }
}

/// Writes `doc` to `path` in the format its extension names, atomically.
pub fn write(path: &Path, doc: &ExportDoc, overwrite: bool) -> Result<(), ExportError> {
    let format = format_of(path)?;
    if !overwrite && path.exists() {
        return Err(ExportError::Exists { path: path.into() });
    }
    let bytes = render(doc, format)?;
    save(path, &bytes, overwrite)
}

/// Checks a letterhead logo (PNG or JPEG, at most [`MAX_LOGO_BYTES`], readable), as the
/// export will: callers check it before spending a generation.
pub fn check_logo(path: &Path) -> Result<(), ExportError> {
    docx::load_logo(path).map(|_| ())
}

pub(crate) fn save(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), ExportError> {
    crate::fsutil::write_atomic(path, bytes, overwrite).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => ExportError::Exists { path: path.into() },
        _ => ExportError::Write { path: path.into(), detail: e.to_string() },
    })
}

const MONTHS_FR: [&str; 12] = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre",
];
/// Gregorian month names as Moroccan administrations write them.
const MONTHS_AR: [&str; 12] = [
    "يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر",
];
const MONTHS_EN: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
];

/// "Oujda, le 23 novembre 2026" / "وجدة في 23 نونبر 2026" / "Oujda, 23 November 2026".
pub fn place_and_date(ville: Option<&str>, iso_date: &str, lang: Lang) -> String {
    let parts: Vec<&str> = iso_date.split('-').collect();
    let date = match (parts.first(), parts.get(1).and_then(|m| m.parse::<usize>().ok()), parts.get(2)) {
        (Some(y), Some(m @ 1..=12), Some(d)) => {
            let d = d.trim_start_matches('0');
            match lang {
                Lang::Fr => format!("{} {} {y}", if d == "1" { "1er" } else { d }, MONTHS_FR[m - 1]),
                Lang::Ar => format!("{d} {} {y}", MONTHS_AR[m - 1]),
                Lang::En => format!("{d} {} {y}", MONTHS_EN[m - 1]),
            }
        }
        _ => iso_date.to_string(),
    };
    match (ville.filter(|v| !v.trim().is_empty()), lang) {
        (Some(v), Lang::Fr) => format!("{v}, le {date}"),
        (Some(v), Lang::Ar) => format!("{v} في {date}"),
        (Some(v), Lang::En) => format!("{v}, {date}"),
        (None, Lang::Fr) => format!("Le {date}"),
        (None, _) => date,
    }
}

/// Labels of the letter frame in each language.
pub(crate) struct Labels {
    pub reference: &'static str,
    pub their_ref: &'static str,
    pub objet: &'static str,
    pub pj: &'static str,
    /// Between the sender and the addressee: "à" / «إلى».
    pub to: &'static str,
    pub copies: &'static str,
    /// A note's block: "De :", "À :".
    pub from: &'static str,
    pub to_note: &'static str,
    /// An arrêté's or a décision's copies.
    pub ampliations: &'static str,
}

pub(crate) fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::Fr => Labels { reference: "N°", their_ref: "Réf.", objet: "Objet", pj: "P.J.", to: "à", copies: "Copie à", from: "De", to_note: "À", ampliations: "Ampliations" },
        Lang::Ar => Labels { reference: "رقم:", their_ref: "المرجع", objet: "الموضوع", pj: "المرفقات", to: "إلى", copies: "نسخة إلى", from: "من", to_note: "إلى", ampliations: "نسخة إلى" },
        Lang::En => Labels { reference: "No.", their_ref: "Ref.", objet: "Subject", pj: "Enclosures", to: "to", copies: "Copy to", from: "From", to_note: "To", ampliations: "Copies to" },
    }
}

/// A label with its colon as the language writes it: "Objet :" (a space before it in French),
/// «الموضوع:», "Subject:".
pub(crate) fn with_colon(label: &str, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("{label} :"),
        Lang::Ar | Lang::En => format!("{label}:"),
    }
}

/// Our reference line: the value as written when it names itself ("N° 12/DAG", "Bordereau
/// n° 3", «رقم: 12/2026»), else with the language's number label.
pub(crate) fn reference_line(value: &str, lang: Lang) -> String {
    if value.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        format!("{} {value}", labels(lang).reference)
    } else {
        value.to_string()
    }
}

/// Writes the audit sheet of a run to `path` (a .docx), atomically; never replaces a file unless
/// `overwrite`.
pub fn write_audit_sheet(path: &Path, sheet: &AuditSheet, lang: Lang, overwrite: bool) -> Result<(), ExportError> {
    if format_of(path)? != Format::Docx {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_string();
        return Err(ExportError::Unsupported { path: path.into(), ext });
    }
    if !overwrite && path.exists() {
        return Err(ExportError::Exists { path: path.into() });
    }
    let bytes = docx::build_sheet(sheet, &sheet::texts(sheet, lang), lang)?;
    save(path, &bytes, overwrite)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_words() {
        assert_eq!(place_and_date(Some("Oujda"), "2026-11-23", Lang::Fr), "Oujda, le 23 novembre 2026");
        assert_eq!(place_and_date(Some("وجدة"), "2026-11-23", Lang::Ar), "وجدة في 23 نونبر 2026");
        assert_eq!(place_and_date(Some("Oujda"), "2026-08-01", Lang::Fr), "Oujda, le 1er août 2026");
        assert_eq!(place_and_date(None, "2026-07-05", Lang::Ar), "5 يوليوز 2026");
    }

    #[test]
    fn refuses_unknown_format_and_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let doc = ExportDoc::new("# T\n\nTexte", Lang::Fr, OutputKind::Report);
        assert!(matches!(write(&dir.path().join("a.odt"), &doc, false), Err(ExportError::Unsupported { .. })));
        let p = dir.path().join("a.md");
        write(&p, &doc, false).unwrap();
        assert!(matches!(write(&p, &doc, false), Err(ExportError::Exists { .. })));
        write(&p, &doc, true).unwrap();
        let empty = ExportDoc { markdown: "  \n", ..doc };
        assert!(matches!(write(&dir.path().join("b.md"), &empty, false), Err(ExportError::Empty)));
    }
}
