//! The tracking workbook of a merge (`publipostage-suivi.xlsx`): one line per row of the sheet,
//! with what became of it (written, failed, left out, not yet done), its letter's file, its
//! register number, the tokens its request cost, its history run and its error or remark, so the
//! office can follow up, print, and resend what failed. Column titles in the letters' language;
//! an Arabic workbook reads right to left. Rewritten whole, atomically, at the end of each run.

use std::path::Path;

use katib_core::Lang;
use rust_xlsxwriter::{Format, FormatBorder, Workbook};
use serde::Serialize;

use crate::error::{MergeError, Result};

/// What became of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    Failed,
    /// Incomplete: left out of the merge.
    Skipped,
    /// Not done yet (the merge was stopped): `--resume` does it.
    Pending,
}

impl Status {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Done, Lang::Ar) => "أنجزت",
            (Status::Failed, Lang::Ar) => "تعذرت",
            (Status::Skipped, Lang::Ar) => "مستبعدة (ناقصة)",
            (Status::Pending, Lang::Ar) => "في الانتظار",
            (Status::Done, Lang::En) => "done",
            (Status::Failed, Lang::En) => "failed",
            (Status::Skipped, Lang::En) => "left out (incomplete)",
            (Status::Pending, Lang::En) => "pending",
            (Status::Done, _) => "faite",
            (Status::Failed, _) => "échec",
            (Status::Skipped, _) => "écartée (incomplète)",
            (Status::Pending, _) => "en attente",
        }
    }
}

/// One line of the tracking workbook.
#[derive(Clone, Debug, Serialize)]
pub struct Line {
    pub row: u32,
    pub status: Status,
    pub file: Option<String>,
    pub number: Option<String>,
    pub prompt_tokens: Option<u64>,
    pub answer_tokens: Option<u64>,
    pub run: Option<String>,
    /// The error, or what to check (placeholders the model invented, an answer cut short).
    pub note: Option<String>,
}

fn headers(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Ar => ["السطر", "الحالة", "الملف", "رقم الإرسال", "رموز الطلب", "رموز الجواب", "رقم العملية", "الخطأ أو الملاحظة"],
        Lang::En => ["Row", "Status", "File", "No.", "Prompt tokens", "Answer tokens", "Run", "Error or remark"],
        Lang::Fr => ["Ligne", "Statut", "Fichier", "N°", "Jetons (requête)", "Jetons (réponse)", "Exécution", "Erreur ou remarque"],
    }
}

/// Writes `lines` to `path` (replacing it), atomically.
pub fn write(path: &Path, lines: &[Line], lang: Lang) -> Result<()> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let name = match lang {
        Lang::Ar => "المتابعة",
        Lang::En => "Tracking",
        Lang::Fr => "Suivi",
    };
    let x = |e: rust_xlsxwriter::XlsxError| MergeError::io(path, e);
    ws.set_name(name).map_err(x)?;
    if lang.is_rtl() {
        ws.set_right_to_left(true);
    }
    let head = Format::new().set_bold().set_background_color("D9E1F2").set_border(FormatBorder::Thin);
    for (c, h) in headers(lang).iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head).map_err(x)?;
    }
    for (i, l) in lines.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, l.row as f64).map_err(x)?;
        ws.write_string(r, 1, l.status.label(lang)).map_err(x)?;
        if let Some(f) = &l.file {
            ws.write_string(r, 2, f).map_err(x)?;
        }
        if let Some(n) = &l.number {
            ws.write_string(r, 3, n).map_err(x)?;
        }
        if let Some(t) = l.prompt_tokens {
            ws.write_number(r, 4, t as f64).map_err(x)?;
        }
        if let Some(t) = l.answer_tokens {
            ws.write_number(r, 5, t as f64).map_err(x)?;
        }
        if let Some(id) = &l.run {
            ws.write_string(r, 6, id).map_err(x)?;
        }
        if let Some(n) = &l.note {
            ws.write_string(r, 7, n).map_err(x)?;
        }
    }
    for (c, w) in [8.0, 16.0, 40.0, 18.0, 14.0, 14.0, 18.0, 60.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(x)?;
    }
    ws.set_freeze_panes(1, 0).map_err(x)?;
    if !lines.is_empty() {
        ws.autofilter(0, 0, lines.len() as u32, 7).map_err(x)?;
    }
    let bytes = wb.save_to_buffer().map_err(x)?;
    katib_core::fsutil::write_atomic(path, &bytes, true).map_err(|e| MergeError::io(path, e))
}
