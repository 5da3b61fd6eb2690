//! The audit annex in Katib's Word layout: a page of its own at the end, its title, the run's
//! facts as a two-column table, then the approvals as a bordered table (name, function, date).
//! The wording is [`crate::export::annex`]'s.

use docx_rs::{AlignmentType, BreakType, LineSpacing, Run, Shading, Table, TableCell, TableRow, WidthType};

use super::{Builder, TEXT_WIDTH};
use crate::export::annex::Annex;
use crate::export::with_colon;

const LABEL_WIDTH: usize = 3400;

pub(super) fn write(b: &mut Builder, a: &Annex) {
    let p = b.para().add_run(Run::new().add_break(BreakType::Page));
    b.push(p);
    let p = b.para().align(AlignmentType::Center).line_spacing(LineSpacing::new().after(360)).add_run(Run::new().add_text(b.text(a.title)).bold().size(28));
    b.push(p);
    let rows: Vec<TableRow> = a
        .rows
        .iter()
        .map(|(label, value)| {
            let l = b.para().add_run(Run::new().add_text(with_colon(label, b.lang)).bold());
            let v = b.para().add_run(Run::new().add_text(b.text(value)));
            TableRow::new(vec![
                TableCell::new().width(LABEL_WIDTH, WidthType::Dxa).add_paragraph(l),
                TableCell::new().width(TEXT_WIDTH - LABEL_WIDTH, WidthType::Dxa).add_paragraph(v),
            ])
            .cant_split()
        })
        .collect();
    let t = Table::without_borders(rows).set_grid(vec![LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH]).width(TEXT_WIDTH, WidthType::Dxa);
    b.push_table(t, false);
    let p = b.para().line_spacing(LineSpacing::new().before(360)).keep_next(true).add_run(Run::new().add_text(b.text(a.approvals_title)).bold());
    b.push(p);
    if a.approvals.is_empty() {
        let p = b.para().add_run(Run::new().add_text(b.text(a.no_approval)).italic());
        b.push(p);
    } else {
        let widths = [TEXT_WIDTH * 35 / 100, TEXT_WIDTH * 45 / 100, TEXT_WIDTH - TEXT_WIDTH * 80 / 100];
        let cell = |b: &Builder, text: &str, w: usize, head: bool| {
            let mut r = Run::new().add_text(b.text(text));
            if head {
                r = r.bold();
            }
            let mut c = TableCell::new().width(w, WidthType::Dxa).add_paragraph(b.para().add_run(r));
            if head {
                c = c.shading(Shading::new().fill("D9E2F3"));
            }
            c
        };
        let mut rows = vec![TableRow::new(a.header.iter().zip(widths).map(|(h, w)| cell(b, h, w, true)).collect()).cant_split()];
        for ap in &a.approvals {
            rows.push(TableRow::new(ap.iter().zip(widths).map(|(t, w)| cell(b, t, w, false)).collect()).cant_split());
        }
        let t = Table::new(rows).set_grid(widths.to_vec()).width(TEXT_WIDTH, WidthType::Dxa);
        b.push_table(t, true);
    }
    let p = b.para().line_spacing(LineSpacing::new().before(360)).add_run(Run::new().add_text(b.text(a.note)).italic().size(18).color("595959"));
    b.push(p);
}
