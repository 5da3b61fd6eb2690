//! The official frame in Katib's own layout, around the body of a letter, a note or an act.
//! Above the body: the letterhead (a borderless table, French lines on the left, the logo in the
//! middle, Arabic lines on the right), our N° at the start of the line, then by kind: letters get
//! the place and date at the reading end (and the Hijri date in Arabic), the sender "à" addressee
//! block and its "S/C de ..." line, Objet, Réf. and P.J.; notes the same date and a "De / À /
//! Objet / Réf. / P.J." block; acts their centred title. Below it: an act's "Fait à ..., le ...",
//! the signature block in the half of the page at the reading end (delegation line, function,
//! room for the signature and the stamp, name), an act's table of signatories, and the copies or
//! ampliations at the start of the line.
//!
//! What each part says comes from [`crate::export::frame`]; the body is [`super::body`]'s; the
//! administration's own Word letterhead is filled by [`crate::export::fill_letterhead`] instead.

use docx_rs::{AlignmentType, BorderType, LineSpacing, LineSpacingType, Paragraph, Pic, Run, Table, TableBorder, TableBorderPosition, TableCell, TableRow, VAlignType, WidthType};

use super::{Builder, END, START, TEXT_WIDTH};
use crate::export::frame::Frame;
use crate::export::{labels, with_colon, Letterhead};
use crate::kinds::OutputKind;

/// Where the signature block starts: it takes the half of the line at the reading end.
const SIGNATURE_INDENT: i32 = (TEXT_WIDTH as i32) * 45 / 100;
/// Room for the signature and the stamp under the function (about 2 cm).
const SIGNATURE_ROOM: u32 = 1150;
/// Indentation of the items of P.J. and of the copies (1 cm).
const ITEM_INDENT: i32 = 567;
/// Width of the labels' column in a note's "De / À / Objet" block ("المرفقات:" fits).
const NOTE_LABEL_WIDTH: usize = 1800;

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

/// A paragraph of one line of frame text.
fn line(b: &Builder, text: &str, align: AlignmentType, bold: bool) -> Paragraph {
    let mut run = Run::new().add_text(b.text(text));
    if bold {
        run = run.bold();
    }
    b.para().align(align).add_run(run)
}

/// No space after: the lines of one block (an address, the signature) stay together.
fn tight(p: Paragraph) -> Paragraph {
    p.line_spacing(LineSpacing::new().after(0))
}

/// "Objet : ..." with its label bold and underlined.
fn labelled(b: &Builder, label: &str, value: &str) -> Paragraph {
    b.para()
        .add_run(Run::new().add_text(with_colon(label, b.lang)).bold().underline("single"))
        .add_run(Run::new().add_text(format!(" {}", b.text(value))))
}

fn empty(b: &mut Builder) {
    let p = b.para();
    b.push(p);
}

/// A title centred in bold: an act's ("Arrêté n° ... portant ..."), or a note's.
fn title(b: &mut Builder, text: &str) {
    let p = b
        .para()
        .align(AlignmentType::Center)
        .keep_next(true)
        .line_spacing(LineSpacing::new().before(120).after(240))
        // 14 pt, 16 pt in Arabic (whose body is set at 13 pt).
        .add_run(Run::new().add_text(b.text(text)).bold().size(if b.rtl { 32 } else { 28 }));
    b.push(p);
}

/// The list items of P.J. or of the copies, each on its line after a dash.
fn items(b: &mut Builder, list: &[String], keep: bool) {
    let n = list.len();
    for (i, item) in list.iter().enumerate() {
        let mut p = tight(line(b, &format!("- {item}"), START, false)).indent(Some(ITEM_INDENT), None, None, None);
        if keep && i + 1 < n {
            p = p.keep_next(true);
        }
        b.push(p);
    }
}

/// Everything above the body.
pub(super) fn head(b: &mut Builder, f: &Frame) {
    if let Some(r) = &f.reference {
        let p = line(b, r, START, true);
        b.push(if f.place_date.is_some() { tight(p) } else { p });
    }
    if let Some(d) = &f.place_date {
        let p = line(b, d, END, false);
        b.push(if f.hijri.is_some() { tight(p) } else { p });
        if let Some(h) = &f.hijri {
            let p = line(b, h, END, false);
            b.push(p);
        }
    }
    empty(b);
    match f.kind {
        Some(OutputKind::Act) => {
            if let Some(t) = &f.title {
                title(b, t);
            }
            // An act has no addressee block, but may still name its object, references and
            // enclosures.
            let lab = labels(b.lang);
            for (label, value) in [(lab.objet, &f.objet), (lab.their_ref, &f.their_ref)] {
                if let Some(v) = value {
                    let p = labelled(b, label, v);
                    b.push(p);
                }
            }
            if let Some((count, list)) = &f.pj {
                let p = labelled(b, lab.pj, count);
                b.push(if list.is_empty() { p } else { tight(p) });
                items(b, list, false);
            }
        }
        Some(OutputKind::Note) => {
            if let Some(t) = &f.title {
                title(b, t);
            }
            note_block(b, f);
            empty(b);
        }
        _ => {
            addressee_block(b, f);
            let lab = labels(b.lang);
            for (label, value) in [(lab.objet, &f.objet), (lab.their_ref, &f.their_ref)] {
                if let Some(v) = value {
                    let p = labelled(b, label, v);
                    b.push(p);
                }
            }
            if let Some((count, list)) = &f.pj {
                let p = labelled(b, lab.pj, count);
                b.push(if list.is_empty() { p } else { tight(p) });
                items(b, list, false);
            }
            empty(b);
        }
    }
}

/// A letter's "Le Président ... / à / Monsieur le Directeur ... / S/C de ..." block, centred.
fn addressee_block(b: &mut Builder, f: &Frame) {
    if f.sender.is_empty() && f.addressee.is_empty() && f.sous_couvert.is_none() {
        return;
    }
    for s in &f.sender {
        let p = tight(line(b, s, AlignmentType::Center, true));
        b.push(p);
    }
    if !f.sender.is_empty() && !f.addressee.is_empty() {
        let p = line(b, labels(b.lang).to, AlignmentType::Center, false).line_spacing(LineSpacing::new().before(60).after(60));
        b.push(p);
    }
    for a in &f.addressee {
        let p = tight(line(b, a, AlignmentType::Center, true));
        b.push(p);
    }
    if let Some(sc) = &f.sous_couvert {
        let p = b.para().align(AlignmentType::Center).line_spacing(LineSpacing::new().before(120).after(0)).add_run(Run::new().add_text(b.text(sc)).italic());
        b.push(p);
    }
    empty(b);
}

/// A note's "De : / À : / Objet : / Réf. : / P.J. :" block: a borderless table, the labels in
/// their own column so the values line up.
fn note_block(b: &mut Builder, f: &Frame) {
    let lab = labels(b.lang);
    let mut rows: Vec<(&str, Vec<(String, bool)>)> = Vec::new();
    if !f.sender.is_empty() {
        rows.push((lab.from, f.sender.iter().map(|s| (s.clone(), false)).collect()));
    }
    if !f.addressee.is_empty() || f.sous_couvert.is_some() {
        let mut v: Vec<(String, bool)> = f.addressee.iter().map(|s| (s.clone(), false)).collect();
        if let Some(sc) = &f.sous_couvert {
            v.push((sc.clone(), true));
        }
        rows.push((lab.to_note, v));
    }
    if let Some(o) = &f.objet {
        rows.push((lab.objet, vec![(o.clone(), false)]));
    }
    if let Some(r) = &f.their_ref {
        rows.push((lab.their_ref, vec![(r.clone(), false)]));
    }
    if let Some((count, list)) = &f.pj {
        let mut v = vec![(count.clone(), false)];
        v.extend(list.iter().map(|i| (format!("- {i}"), false)));
        rows.push((lab.pj, v));
    }
    if rows.is_empty() {
        return;
    }
    let value_w = TEXT_WIDTH - NOTE_LABEL_WIDTH;
    let trs = rows
        .into_iter()
        .map(|(label, values)| {
            let lp = b.para().line_spacing(LineSpacing::new().after(80)).add_run(Run::new().add_text(with_colon(label, b.lang)).bold().underline("single"));
            let label_cell = TableCell::new().width(NOTE_LABEL_WIDTH, WidthType::Dxa).add_paragraph(lp);
            let mut value_cell = TableCell::new().width(value_w, WidthType::Dxa);
            let n = values.len();
            for (i, (v, italic)) in values.into_iter().enumerate() {
                let mut run = Run::new().add_text(b.text(&v));
                if italic {
                    run = run.italic();
                } else if label == lab.from || label == lab.to_note {
                    run = run.bold();
                }
                let p = b.para().line_spacing(LineSpacing::new().after(if i + 1 == n { 80 } else { 0 })).add_run(run);
                value_cell = value_cell.add_paragraph(p);
            }
            TableRow::new(vec![label_cell, value_cell]).cant_split()
        })
        .collect();
    // A rule above and below sets the block apart from the letterhead and the body.
    let rule = |pos| TableBorder::new(pos).border_type(BorderType::Single).size(6).color("808080");
    let t = Table::without_borders(trs)
        .set_border(rule(TableBorderPosition::Top))
        .set_border(rule(TableBorderPosition::Bottom))
        .set_grid(vec![NOTE_LABEL_WIDTH, value_w])
        .width(TEXT_WIDTH, WidthType::Dxa);
    b.push_table(t, false);
}

/// A line of the signature column: centred in the half of the page at the reading end, kept on
/// the page of what follows it; `before` and `after` in twentieths of a point.
fn signature_line(b: &Builder, text: &str, bold: bool, before: u32, after: u32) -> Paragraph {
    let mut run = Run::new().add_text(b.text(text));
    if bold {
        run = run.bold();
    }
    b.para()
        .align(AlignmentType::Center)
        .indent(Some(SIGNATURE_INDENT), None, None, None)
        .keep_next(true)
        .line_spacing(LineSpacing::new().before(before).after(after))
        .add_run(run)
}

/// The space between the body and the signature, and before the copies.
const GAP: u32 = 360;

/// Everything below the body.
pub(super) fn foot(b: &mut Builder, f: &Frame) {
    // The first paragraph after the body takes the gap above it.
    let mut before = GAP;
    let mut take = || std::mem::replace(&mut before, 0);
    if let Some(fa) = &f.fait_a {
        let p = signature_line(b, fa, false, take(), if f.hijri.is_some() { 0 } else { 240 });
        b.push(p);
        if let Some(h) = &f.hijri {
            let p = signature_line(b, h, false, 0, 240);
            b.push(p);
        }
    }
    if f.has_signature() {
        if let Some(d) = &f.delegation {
            let p = signature_line(b, d, false, take(), 0);
            b.push(p);
        }
        let n = f.function.len();
        for (i, func) in f.function.iter().enumerate() {
            // The room for the signature and the stamp under the function's last line.
            let mut p = signature_line(b, func, true, take(), if i + 1 == n { SIGNATURE_ROOM } else { 0 });
            if i + 1 == n && f.name.is_none() {
                p = p.keep_next(false);
            }
            b.push(p);
        }
        if let Some(name) = &f.name {
            let room = if f.function.is_empty() { SIGNATURE_ROOM.max(take()) } else { 0 };
            let p = signature_line(b, name, false, room, 0).keep_next(false);
            b.push(p);
        }
    }
    if f.signatures.len() == 1 && !f.has_signature() {
        // One signatory: a signature block like any other.
        let (func, name) = &f.signatures[0];
        let p = signature_line(b, func, true, take(), SIGNATURE_ROOM);
        b.push(p);
        if let Some(n) = name {
            let p = signature_line(b, n, false, 0, 0).keep_next(false);
            b.push(p);
        }
    } else if !f.signatures.is_empty() {
        if f.has_signature() || f.fait_a.is_none() {
            let p = b.para().line_spacing(LineSpacing::new().before(take()).after(0));
            b.push(p);
        }
        signatures_table(b, &f.signatures);
    }
    if !f.copies.is_empty() {
        let p = b
            .para()
            .keep_next(true)
            .line_spacing(LineSpacing::new().before(GAP).after(0))
            .add_run(Run::new().add_text(with_colon(f.copies_label, b.lang)).bold().underline("single"));
        b.push(p);
        items(b, &f.copies, true);
    }
}

/// The signatories of an act, side by side: a borderless table of two or three columns, for
/// each group a row of functions in bold (with room to sign under them) and a row of names, so
/// the names line up even when a function takes two lines.
fn signatures_table(b: &mut Builder, list: &[(String, Option<String>)]) {
    let cols = match list.len() {
        0 | 1 => 1,
        2 | 4 => 2,
        _ => 3,
    };
    let width = TEXT_WIDTH / cols;
    let cell = |b: &Builder, text: Option<&str>, bold: bool, after: u32| {
        let mut p = b.para().align(AlignmentType::Center).line_spacing(LineSpacing::new().after(after));
        if let Some(t) = text {
            let mut r = Run::new().add_text(b.text(t));
            if bold {
                r = r.bold();
            }
            p = p.add_run(r);
        }
        TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Top).add_paragraph(p)
    };
    let mut rows: Vec<TableRow> = Vec::new();
    for chunk in list.chunks(cols) {
        // A last group with fewer signatories is completed with empty cells.
        let pad = cols - chunk.len();
        let mut functions: Vec<TableCell> = chunk.iter().map(|(f, _)| cell(b, Some(f), true, SIGNATURE_ROOM)).collect();
        let mut names: Vec<TableCell> = chunk.iter().map(|(_, n)| cell(b, n.as_deref(), false, 240)).collect();
        for _ in 0..pad {
            functions.push(cell(b, None, false, 0));
            names.push(cell(b, None, false, 0));
        }
        rows.push(TableRow::new(functions).cant_split());
        rows.push(TableRow::new(names).cant_split());
    }
    let t = Table::without_borders(rows).set_grid(vec![width; cols]).width(TEXT_WIDTH, WidthType::Dxa);
    b.push_table(t, false);
}
