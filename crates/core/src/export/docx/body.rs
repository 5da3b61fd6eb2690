//! The answer's blocks as Word content with docx-rs: headings in the Heading styles, paragraphs
//! of formatted runs (justified in letters), real Word lists (every list its own numbering
//! instance, so a new list restarts; nested lists one level deeper; an item's later paragraphs
//! indented under its text), tables (bold shaded header row, Markdown column alignments, columns
//! as wide as their text), notes (block quotes) indented, code in a monospace font, page breaks.
//!
//! Reads [`crate::export::blocks`] only; the letter frame around the body is [`super::letter`]'s.

use docx_rs::{AlignmentType, BreakType, IndentLevel, NumberingId, Paragraph, Run, RunFonts, Shading, Table, TableCell, TableRow, WidthType};

use super::{toc, Builder, END, TEXT_WIDTH};
use crate::export::blocks::{link_note, plain_text, Align, Block, Run as MdRun};
use crate::export::frame::is_operative_word;
use crate::export::ooxml;

/// Monospace font of code.
const CODE_FONT: &str = "Consolas";
/// Indentation of list levels and notes, in twentieths of a point.
const INDENT: i32 = 720;
const LEVEL_INDENT: i32 = 360;

/// Where a block sits: in a list item (its nesting level) and/or in a note.
#[derive(Clone, Copy, Default)]
struct Place {
    /// The list level of the enclosing item, if any.
    level: Option<usize>,
    /// Inside a block quote.
    quote: bool,
}

impl Place {
    /// The left (start) indentation of a paragraph that is not a numbered item's first line.
    fn indent(&self) -> Option<i32> {
        match (self.level, self.quote) {
            (Some(l), q) => Some(INDENT + LEVEL_INDENT * l as i32 + if q { INDENT } else { 0 }),
            (None, true) => Some(INDENT),
            (None, false) => None,
        }
    }
}

/// Appends `blocks` to the document.
pub(super) fn write(b: &mut Builder, blocks: &[Block]) {
    write_blocks(b, blocks, Place::default(), 0);
}

fn write_blocks(b: &mut Builder, blocks: &[Block], place: Place, lists: usize) {
    for block in blocks {
        write_block(b, block, place, lists);
    }
}

/// `lists`: how many lists enclose the block (the level a list written here gets).
fn write_block(b: &mut Builder, block: &Block, place: Place, lists: usize) {
    match block {
        Block::Heading { level, runs } => {
            let style = match level {
                1 => "Heading1",
                2 => "Heading2",
                3 => "Heading3",
                _ => "Heading4",
            };
            let p = add_runs(b, b.para().style(style), runs, false);
            b.push(p);
            if b.toc_pending {
                b.toc_pending = false;
                toc::push_marker(b);
            }
        }
        Block::Paragraph { runs } if b.act && place.level.is_none() && !place.quote && is_operative_word(&plain_text(runs)) => {
            // "Arrête :", «يقرر ما يلي:»: centred and bold, on the page of the first article.
            let p = add_runs(b, b.para().align(AlignmentType::Center).keep_next(true), runs, true);
            b.push(p);
        }
        Block::Paragraph { runs } => {
            let mut p = b.para();
            if let Some(i) = place.indent() {
                p = p.indent(Some(i), None, None, None);
            }
            // Letters: body paragraphs justified, list items not.
            if b.justify && place.level.is_none() {
                p = p.align(AlignmentType::Both);
            }
            let p = add_runs(b, p, runs, false);
            b.push(p);
        }
        Block::List { start, items, .. } => {
            let num = b.new_numbering(start.is_some(), lists, start.unwrap_or(1));
            let inner = Place { level: Some(lists), ..place };
            for item in items {
                let numbered = || b.para().numbering(NumberingId::new(num), IndentLevel::new(lists));
                let rest = match item.first() {
                    Some(Block::Paragraph { runs }) => {
                        let p = add_runs(b, numbered(), runs, false);
                        b.push(p);
                        &item[1..]
                    }
                    // An item that opens with a sub-list is that sub-list.
                    Some(Block::List { .. }) => &item[..],
                    // An empty item, or one opening with a heading, table or code: its number
                    // on a line of its own.
                    _ => {
                        let p = numbered();
                        b.push(p);
                        &item[..]
                    }
                };
                write_blocks(b, rest, inner, lists + 1);
            }
        }
        Block::Table { aligns, header, rows } => write_table(b, aligns, header, rows),
        Block::Quote { blocks } => write_blocks(b, blocks, Place { quote: true, ..place }, lists),
        Block::Code { text, .. } => {
            let mut p = b.para();
            if let Some(i) = place.indent() {
                p = p.indent(Some(i), None, None, None);
            }
            let mut r = Run::new().fonts(code_fonts());
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    r = r.add_break(BreakType::TextWrapping);
                }
                r = r.add_text(line);
            }
            b.push(p.add_run(r));
        }
        Block::Rule => b.push(Paragraph::new()),
        Block::PageBreak => b.push(Paragraph::new().add_run(Run::new().add_break(BreakType::Page))),
    }
}

fn code_fonts() -> RunFonts {
    RunFonts::new().ascii(CODE_FONT).hi_ansi(CODE_FONT)
}

/// `runs` appended to `p`: each with its formatting (`bold` forces bold: header cells), hard
/// breaks as line breaks, and a link's target in brackets after its text unless the text is
/// the target itself.
fn add_runs(b: &Builder, mut p: Paragraph, runs: &[MdRun], bold: bool) -> Paragraph {
    for (i, r) in runs.iter().enumerate() {
        // Arabic paragraphs: numbers and references keep their written order.
        let text = if r.code { r.text.clone() } else { b.text(&r.text) };
        let mut run = Run::new();
        for (k, part) in text.split('\n').enumerate() {
            if k > 0 {
                run = run.add_break(BreakType::TextWrapping);
            }
            if !part.is_empty() {
                run = run.add_text(part);
            }
        }
        if r.bold || bold {
            run = run.bold();
        }
        if r.italic {
            run = run.italic();
        }
        if r.strike {
            run = run.strike();
        }
        if r.code {
            run = run.fonts(code_fonts());
        }
        p = p.add_run(run);
        if let Some(url) = link_note(runs, i) {
            p = p.add_run(Run::new().add_text(url));
        }
    }
    p
}

fn write_table(b: &mut Builder, aligns: &[Align], header: &[Vec<MdRun>], rows: &[Vec<Vec<MdRun>>]) {
    let cols = aligns.len();
    // Longest text in each column, in characters: the columns' widths follow it.
    let mut lens = vec![0usize; cols];
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (c, cell) in row.iter().enumerate().take(cols) {
            lens[c] = lens[c].max(plain_text(cell).chars().count());
        }
    }
    let grid = ooxml::column_widths(&lens, TEXT_WIDTH);
    let cell = |b: &Builder, runs: &[MdRun], col: usize, head: bool| {
        let mut p = b.para();
        // The Markdown column alignment (`---:` for amounts).
        p = match aligns.get(col) {
            Some(Align::Right) => p.align(END),
            Some(Align::Center) => p.align(AlignmentType::Center),
            _ => p,
        };
        let p = add_runs(b, p, runs, head);
        let mut c = TableCell::new().add_paragraph(p).width(grid.get(col).copied().unwrap_or(0), WidthType::Dxa);
        if head {
            c = c.shading(Shading::new().fill("D9E2F3"));
        }
        c
    };
    let mut trs = Vec::with_capacity(rows.len() + 1);
    trs.push(TableRow::new(header.iter().enumerate().map(|(i, c)| cell(b, c, i, true)).collect()).cant_split());
    for row in rows {
        trs.push(TableRow::new(row.iter().enumerate().map(|(i, c)| cell(b, c, i, false)).collect()).cant_split());
    }
    let tbl = Table::new(trs).set_grid(grid).width(TEXT_WIDTH, WidthType::Dxa);
    b.push_table(tbl, true);
    b.push(Paragraph::new());
}
