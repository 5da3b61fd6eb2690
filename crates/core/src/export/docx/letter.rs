//! The frame of a letter in Katib's own layout: the letterhead (a borderless table, French lines
//! on the left, the logo in the middle, Arabic lines on the right), our reference, place and date
//! (and the Hijri date in Arabic), sender and addressee, objet, references and enclosures above
//! the body; the signature block at the reading end and the copies below it.
//!
//! The body itself is [`super::body`]'s; the administration's own Word letterhead is filled by
//! [`crate::export::fill_letterhead`] instead.

use docx_rs::{AlignmentType, LineSpacing, LineSpacingType, Paragraph, Pic, Run, Table, TableCell, TableRow, VAlignType, WidthType};

use super::{Builder, END, START, TEXT_WIDTH};
use crate::export::{labels, place_and_date, reference_line, ExportDoc, LetterParts, Letterhead};
use crate::Lang;

/// The letterhead: a borderless table, French lines on the left, the logo in the middle, Arabic
/// lines on the right. In an Arabic document the table is right-to-left, so its columns are
/// listed from the right.
pub(super) fn letterhead(b: &mut Builder, lh: &Letterhead, logo: Option<Pic>) {
    if lh.fr.is_empty() && lh.ar.is_empty() && logo.is_none() {
        return;
    }
    let lines_cell = |lines: &[String], arabic: bool, width: usize| {
        let mut cell = TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Top);
        for (i, line) in lines.iter().enumerate() {
            let mut p = Paragraph::new().align(AlignmentType::Center).line_spacing(LineSpacing::new().after(0).line(252).line_rule(LineSpacingType::Auto));
            if arabic {
                p.property = p.property.bidi(true);
            }
            let mut r = Run::new().add_text(line.as_str()).size(if arabic { 22 } else { 19 });
            if i == 0 {
                r = r.bold();
            }
            cell = cell.add_paragraph(p.add_run(r));
        }
        if lines.is_empty() {
            cell = cell.add_paragraph(Paragraph::new());
        }
        cell
    };
    let logo_w = if logo.is_some() { 2200 } else { 0 };
    let side = (TEXT_WIDTH - logo_w) / 2;
    let fr = lines_cell(&lh.fr, false, side);
    let ar = lines_cell(&lh.ar, true, side);
    let mut cells = vec![fr];
    if let Some(pic) = logo {
        let p = Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().after(0).line(240).line_rule(LineSpacingType::Auto))
            .add_run(Run::new().add_image(pic));
        cells.push(TableCell::new().width(logo_w, WidthType::Dxa).vertical_align(VAlignType::Center).add_paragraph(p));
    }
    cells.push(ar);
    if b.rtl {
        cells.reverse();
    }
    let grid: Vec<usize> = if logo_w > 0 { vec![side, logo_w, side] } else { vec![side, side] };
    let t = Table::without_borders(vec![TableRow::new(cells)]).set_grid(grid).width(TEXT_WIDTH, WidthType::Dxa);
    b.push_table(t, false);
    b.push(Paragraph::new());
}


fn text_para(b: &Builder, text: &str, align: Option<AlignmentType>, bold: bool) -> Paragraph {
    let mut run = Run::new().add_text(b.text(text));
    if bold {
        run = run.bold();
    }
    let mut p = b.para().add_run(run);
    if let Some(a) = align {
        p = p.align(a);
    }
    p
}

/// Lines of a field value, each its own paragraph (addressee blocks span lines).
fn lines_para(b: &mut Builder, text: &str, align: Option<AlignmentType>, bold: bool) {
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let p = text_para(b, line.trim(), align, bold);
        b.push(p);
    }
}

pub(super) fn letter_head(b: &mut Builder, doc: &ExportDoc, l: &LetterParts) {
    let lab = labels(doc.lang);
    if let Some(r) = &l.reference {
        let p = text_para(b, &reference_line(r, doc.lang), Some(START), true);
        b.push(p);
    }
    if let Some(d) = &l.date {
        let p = text_para(b, &place_and_date(l.ville.as_deref(), d, doc.lang), Some(END), false);
        b.push(p);
        if doc.lang == Lang::Ar && doc.letterhead.as_ref().is_some_and(|h| h.hijri) {
            if let Some(h) = crate::export::hijri_date(d) {
                let p = text_para(b, &h, Some(END), false);
                b.push(p);
            }
        }
    }
    b.push(Paragraph::new());
    if let Some(e) = &l.expediteur {
        lines_para(b, e, Some(AlignmentType::Center), true);
    }
    if let Some(d) = &l.destinataire {
        if l.expediteur.is_some() {
            let p = text_para(b, lab.to, Some(AlignmentType::Center), false);
            b.push(p);
        }
        lines_para(b, d, Some(AlignmentType::Center), true);
    }
    b.push(Paragraph::new());
    for (label, value) in [(lab.objet, &l.objet), (lab.their_ref, &l.their_ref), (lab.pj, &l.pieces_jointes)] {
        if let Some(v) = value {
            let p = b
                .para()
                .add_run(Run::new().add_text(format!("{label} :")).bold().underline("single"))
                .add_run(Run::new().add_text(format!(" {}", b.text(v))));
            b.push(p);
        }
    }
    b.push(Paragraph::new());
}

/// The signature block at the reading end (function, then name), then the copies.
pub(super) fn letter_foot(b: &mut Builder, doc: &ExportDoc, l: &LetterParts) {
    let name = doc.letterhead.as_ref().and_then(|h| h.signature_name.as_deref()).filter(|n| !n.trim().is_empty());
    if l.signataire.is_some() || name.is_some() {
        b.push(Paragraph::new());
        if let Some(s) = &l.signataire {
            lines_para(b, s, Some(END), true);
        }
        if let Some(n) = name {
            lines_para(b, n, Some(END), false);
        }
    }
    if let Some(c) = &l.copies {
        b.push(Paragraph::new());
        let p = text_para(b, &format!("{} :", labels(doc.lang).copies), Some(START), true);
        b.push(p);
        lines_para(b, c, Some(START), false);
    }
}
