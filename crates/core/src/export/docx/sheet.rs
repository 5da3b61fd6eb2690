//! The audit sheet in Katib's Word layout: its title and the run's id centred, the
//! metadata-only notice when it applies, the run's facts as a bordered two-column form, then the
//! attached files, the exports and the approvals as bordered tables (header rows shaded), and
//! the closing note in small print, a point smaller than a letter's text. One A4 page for an
//! ordinary run. The wording is
//! [`crate::export::sheet`]'s.

use docx_rs::{AlignmentType, LineSpacing, LineSpacingType, Paragraph, Run, Shading, Table, TableCell, TableRow, WidthType};

use super::{Builder, TEXT_WIDTH};
use crate::export::sheet::{Section, SheetTexts};
use crate::export::with_colon;

const LABEL_WIDTH: usize = 3500;
const SHADE: &str = "D9E2F3";
const LABEL_SHADE: &str = "F2F2F2";

/// A cell of one paragraph. `technical` for hashes, paths and file formats: smaller (64
/// hexadecimal digits fit on one line) and always left to right, also in an Arabic sheet, where
/// the paragraph's direction would move a path's leading "/" or a ".docx"'s dot to the far end.
fn cell(b: &Builder, text: &str, width: usize, bold: bool, technical: bool, shade: Option<&str>) -> TableCell {
    let spacing = LineSpacing::new().before(30).after(30).line(240).line_rule(LineSpacingType::Auto);
    let (p, text) = if technical { (Paragraph::new(), text.to_string()) } else { (b.para(), b.text(text)) };
    let mut r = Run::new().add_text(text);
    if bold {
        r = r.bold();
    }
    if technical {
        r = r.size(14);
    }
    let mut c = TableCell::new().width(width, WidthType::Dxa).add_paragraph(p.line_spacing(spacing).add_run(r));
    if let Some(fill) = shade {
        c = c.shading(Shading::new().fill(fill));
    }
    c
}

fn heading(b: &mut Builder, text: &str) {
    let p = b.para().line_spacing(LineSpacing::new().before(200).after(60)).keep_next(true).add_run(Run::new().add_text(b.text(text)).bold());
    b.push(p);
}

fn section(b: &mut Builder, s: &Section) {
    heading(b, s.title);
    if s.rows.is_empty() {
        let p = b.para().add_run(Run::new().add_text(b.text(s.empty)).italic());
        b.push(p);
        return;
    }
    let w0 = TEXT_WIDTH * s.widths[0] / 100;
    let w1 = TEXT_WIDTH * s.widths[1] / 100;
    let widths = [w0, w1, TEXT_WIDTH - w0 - w1];
    let mut rows = vec![TableRow::new(s.header.iter().zip(widths).map(|(h, w)| cell(b, h, w, true, false, Some(SHADE))).collect()).cant_split()];
    for r in &s.rows {
        rows.push(TableRow::new((0..3).map(|i| cell(b, &r[i], widths[i], false, s.technical[i], None)).collect()).cant_split());
    }
    let t = Table::new(rows).set_grid(widths.to_vec()).width(TEXT_WIDTH, WidthType::Dxa);
    b.push_table(t, true);
}

pub(super) fn write(b: &mut Builder, t: &SheetTexts) {
    let p = b.para().align(AlignmentType::Center).line_spacing(LineSpacing::new().after(60)).add_run(Run::new().add_text(b.text(t.title)).bold().size(32));
    b.push(p);
    let p = b.para().align(AlignmentType::Center).line_spacing(LineSpacing::new().after(240)).add_run(Run::new().add_text(b.text(&t.subtitle)).size(22).color("404040"));
    b.push(p);
    if let Some(n) = t.metadata_only {
        let p = b.para().line_spacing(LineSpacing::new().after(200)).add_run(Run::new().add_text(b.text(n)).italic().bold().color("833C0B"));
        b.push(p);
    }
    let rows: Vec<TableRow> = t
        .rows
        .iter()
        .map(|(label, value)| {
            // The template's hash: 64 hexadecimal digits.
            let technical = value.len() >= 40 && value.chars().all(|c| c.is_ascii_hexdigit());
            TableRow::new(vec![
                cell(b, &with_colon(label, b.lang), LABEL_WIDTH, true, false, Some(LABEL_SHADE)),
                cell(b, value, TEXT_WIDTH - LABEL_WIDTH, false, technical, None),
            ])
            .cant_split()
        })
        .collect();
    let table = Table::new(rows).set_grid(vec![LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH]).width(TEXT_WIDTH, WidthType::Dxa);
    b.push_table(table, false);
    for s in &t.sections {
        section(b, s);
    }
    let p = b.para().line_spacing(LineSpacing::new().before(360)).add_run(Run::new().add_text(b.text(&t.note)).italic().size(18).color("595959"));
    b.push(p);
}
