//! Markdown to a real Word document with docx-rs: styled headings, paragraphs with bold / italic
//! runs, bullet and numbered lists (each list its own numbering instance, so numbering restarts),
//! tables with borders and a bold header row, A4 page with administrative margins, and a default
//! font that covers both French and Arabic. Arabic documents get right-to-left paragraphs.

use docx_rs::{
    AbstractNumbering, AlignmentType, Docx, IndentLevel, Level, LevelJc, LevelOverride, LevelText,
    LineSpacing, NumberFormat, Numbering, NumberingId, PageMargin, Paragraph, Run, RunFonts, Shading,
    SpecialIndentType, Start, Style, StyleType, Table, TableCell, TableRow, WidthType,
};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::markdown::md_options;
use super::{labels, place_and_date, reference_line, ExportDoc, ExportError};
use crate::Lang;

/// Arial ships with Windows and Office and has Arabic glyphs; LibreOffice substitutes a metric
/// twin with Arabic fallback on Linux.
const FONT: &str = "Arial";
// docx-rs always writes its own abstract numbering 1 and numbering 1: ours start above them.
const BULLET_ABSTRACT: usize = 10;
const DECIMAL_ABSTRACT: usize = 11;
/// A4 in twentieths of a point.
const A4: (u32, u32) = (11906, 16838);

struct Builder {
    /// Always Some between calls; an Option so builder calls can take it by value cheaply
    /// (`Docx::default()` builds a whole default document).
    docx: Option<Docx>,
    rtl: bool,
    next_num: usize,
}

#[derive(Clone, Copy, Default)]
struct Inline {
    bold: bool,
    italic: bool,
    code: bool,
}

impl Builder {
    fn para(&self) -> Paragraph {
        let mut p = Paragraph::new();
        if self.rtl {
            p.property = p.property.bidi(true);
            p = p.align(AlignmentType::Right);
        }
        p
    }

    fn with(&mut self, f: impl FnOnce(Docx) -> Docx) {
        if let Some(d) = self.docx.take() {
            self.docx = Some(f(d));
        }
    }

    fn push(&mut self, p: Paragraph) {
        self.with(|d| d.add_paragraph(p));
    }

    fn new_numbering(&mut self, ordered: bool, level: usize, start: u64) -> usize {
        let id = self.next_num;
        self.next_num += 1;
        let abs = if ordered { DECIMAL_ABSTRACT } else { BULLET_ABSTRACT };
        let mut n = Numbering::new(id, abs);
        if ordered {
            n = n.add_override(LevelOverride::new(level).start(start as usize));
        }
        self.with(|d| d.add_numbering(n));
        id
    }
}

fn styles(docx: Docx) -> Docx {
    let heading = |id: &str, name: &str, size: usize, level: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .bold()
            .size(size)
            .color("1F3864")
            .outline_lvl(level)
            .q_format(true)
    };
    docx.add_style(heading("Title", "Title", 36, 0))
        .add_style(heading("Heading1", "heading 1", 30, 0))
        .add_style(heading("Heading2", "heading 2", 26, 1))
        .add_style(heading("Heading3", "heading 3", 24, 2))
        .add_style(heading("Heading4", "heading 4", 22, 3))
}

fn numberings(docx: Docx) -> Docx {
    let mut bullet = AbstractNumbering::new(BULLET_ABSTRACT);
    let mut decimal = AbstractNumbering::new(DECIMAL_ABSTRACT);
    let bullets = ["•", "◦", "▪"];
    for lvl in 0..9 {
        let indent = Some(720 + 360 * lvl as i32);
        let hang = Some(SpecialIndentType::Hanging(360));
        bullet = bullet.add_level(
            Level::new(lvl, Start::new(1), NumberFormat::new("bullet"), LevelText::new(bullets[lvl % 3]), LevelJc::new("left"))
                .indent(indent, hang, None, None),
        );
        decimal = decimal.add_level(
            Level::new(lvl, Start::new(1), NumberFormat::new(if lvl % 2 == 0 { "decimal" } else { "lowerLetter" }), LevelText::new(format!("%{}.", lvl + 1)), LevelJc::new("left"))
                .indent(indent, hang, None, None),
        );
    }
    docx.add_abstract_numbering(bullet).add_abstract_numbering(decimal)
}

pub(super) fn build(doc: &ExportDoc) -> Result<Vec<u8>, ExportError> {
    let rtl = doc.lang.is_rtl();
    let mut docx = Docx::new()
        .page_size(A4.0, A4.1)
        // 2.5 cm margins, 2 cm at the bottom: the usual administrative page.
        .page_margin(PageMargin::new().top(1417).bottom(1134).left(1417).right(1417).header(708).footer(708))
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT))
        .default_size(if rtl { 26 } else { 22 })
        // Space between paragraphs, as in a typed letter: 8 pt after, 1.15 lines.
        .default_line_spacing(LineSpacing::new().after(160).line(276));
    docx = numberings(styles(docx));
    if let Some(t) = &doc.title {
        docx = docx.custom_property("katib_title", t.as_str());
    }
    let mut b = Builder { docx: Some(docx), rtl, next_num: 2 };
    if let Some(l) = &doc.letter {
        letter_head(&mut b, doc, l);
    } else if let Some(t) = &doc.title {
        if !doc.markdown.trim_start().starts_with('#') {
            let p = b.para().style("Title").add_run(Run::new().add_text(t.as_str()));
            b.push(p);
        }
    }
    body(&mut b, doc.markdown);
    if let Some(l) = &doc.letter {
        letter_foot(&mut b, doc.lang, l);
    }
    let mut buf = std::io::Cursor::new(Vec::with_capacity(doc.markdown.len() * 4));
    let docx = b.docx.take().ok_or_else(|| ExportError::Docx("document lost".into()))?;
    docx.build().pack(&mut buf).map_err(|e| ExportError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}

fn text_para(b: &Builder, text: &str, align: Option<AlignmentType>, bold: bool) -> Paragraph {
    let mut run = Run::new().add_text(text);
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

fn letter_head(b: &mut Builder, doc: &ExportDoc, l: &super::LetterParts) {
    let lab = labels(doc.lang);
    // In a right-to-left paragraph "Left" is the visual left: the date goes on the reading end.
    let (start, end) = if b.rtl { (AlignmentType::Right, AlignmentType::Left) } else { (AlignmentType::Left, AlignmentType::Right) };
    if let Some(r) = &l.reference {
        let p = text_para(b, &reference_line(r, doc.lang), Some(start), false);
        b.push(p);
    }
    if let Some(d) = &l.date {
        let p = text_para(b, &place_and_date(l.ville.as_deref(), d, doc.lang), Some(end), false);
        b.push(p);
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
                .add_run(Run::new().add_text(format!("{label} : ")).bold().underline("single"))
                .add_run(Run::new().add_text(v.as_str()));
            b.push(p);
        }
    }
    b.push(Paragraph::new());
}

fn letter_foot(b: &mut Builder, lang: Lang, l: &super::LetterParts) {
    let end = if b.rtl { AlignmentType::Left } else { AlignmentType::Right };
    if let Some(s) = &l.signataire {
        b.push(Paragraph::new());
        lines_para(b, s, Some(end), true);
    }
    if let Some(c) = &l.copies {
        b.push(Paragraph::new());
        let start = if b.rtl { AlignmentType::Right } else { AlignmentType::Left };
        let p = text_para(b, &format!("{} :", labels(lang).copies), Some(start), true);
        b.push(p);
        lines_para(b, c, Some(start), false);
    }
}

struct ListCtx {
    num_id: usize,
    level: usize,
}

struct TableCtx {
    rows: Vec<TableRow>,
    cells: Vec<TableCell>,
    in_head: bool,
    cols: usize,
}

/// Walks the Markdown events and appends paragraphs, lists and tables.
fn body(b: &mut Builder, md: &str) {
    let mut runs: Vec<Run> = Vec::new();
    let mut inline = Inline::default();
    let mut style: Option<&'static str> = None;
    let mut lists: Vec<ListCtx> = Vec::new();
    // The paragraph opened by a list item that has not been written yet.
    let mut item_pending = false;
    let mut table: Option<TableCtx> = None;
    let mut link: Option<String> = None;

    let flush = |b: &mut Builder, runs: &mut Vec<Run>, style: Option<&str>, lists: &[ListCtx], numbered: bool, table: &mut Option<TableCtx>| {
        let mut p = b.para();
        if let Some(s) = style {
            p = p.style(s);
        }
        if let Some(l) = lists.last() {
            if numbered {
                p = p.numbering(NumberingId::new(l.num_id), IndentLevel::new(l.level));
            } else {
                p = p.indent(Some(720 + 360 * l.level as i32), None, None, None);
            }
        }
        for r in runs.drain(..) {
            p = p.add_run(r);
        }
        match table {
            Some(t) => {
                let mut cell = TableCell::new().add_paragraph(p);
                if t.in_head {
                    cell = cell.shading(Shading::new().fill("D9E2F3"));
                }
                t.cells.push(cell);
            }
            None => b.push(p),
        }
    };

    for ev in Parser::new_ext(md, md_options()) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                style = Some(match level {
                    HeadingLevel::H1 => "Heading1",
                    HeadingLevel::H2 => "Heading2",
                    HeadingLevel::H3 => "Heading3",
                    _ => "Heading4",
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                flush(b, &mut runs, style, &[], false, &mut None);
                style = None;
            }
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                if table.is_some() {
                    continue;
                }
                flush(b, &mut runs, None, &lists, item_pending, &mut None);
                item_pending = false;
            }
            Event::Start(Tag::List(start)) => {
                if item_pending && !runs.is_empty() {
                    flush(b, &mut runs, None, &lists, true, &mut None);
                    item_pending = false;
                }
                let level = lists.len();
                let num_id = b.new_numbering(start.is_some(), level, start.unwrap_or(1));
                lists.push(ListCtx { num_id, level });
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => item_pending = true,
            Event::End(TagEnd::Item) => {
                if item_pending || !runs.is_empty() {
                    flush(b, &mut runs, None, &lists, item_pending, &mut None);
                }
                item_pending = false;
            }
            Event::Start(Tag::Table(aligns)) => {
                table = Some(TableCtx { rows: Vec::new(), cells: Vec::new(), in_head: false, cols: aligns.len() });
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.in_head = true;
                }
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let Some(t) = table.as_mut() {
                    let cells = std::mem::take(&mut t.cells);
                    t.rows.push(TableRow::new(cells).cant_split());
                    t.in_head = false;
                }
            }
            Event::Start(Tag::TableCell) => {
                if table.as_ref().is_some_and(|t| t.in_head) {
                    inline.bold = true;
                }
            }
            Event::End(TagEnd::TableCell) => {
                flush(b, &mut runs, None, &[], false, &mut table);
                if table.as_ref().is_some_and(|t| t.in_head) {
                    inline.bold = false;
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    // Full text width, split evenly: Word and LibreOffice then fit content.
                    let width = (A4.0 - 2 * 1417) as usize;
                    let grid = vec![width / t.cols.max(1); t.cols.max(1)];
                    let tbl = Table::new(t.rows).set_grid(grid).width(width, WidthType::Dxa);
                    b.with(|d| d.add_table(tbl));
                    b.push(Paragraph::new());
                }
            }
            Event::Start(Tag::Strong) => inline.bold = true,
            Event::End(TagEnd::Strong) => inline.bold = table.as_ref().is_some_and(|t| t.in_head),
            Event::Start(Tag::Emphasis) => inline.italic = true,
            Event::End(TagEnd::Emphasis) => inline.italic = false,
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take() {
                    if !url.is_empty() {
                        runs.push(Run::new().add_text(format!(" ({url})")));
                    }
                }
            }
            Event::Start(Tag::CodeBlock(_)) => inline.code = true,
            Event::End(TagEnd::CodeBlock) => {
                inline.code = false;
                // Code blocks arrive as text with newlines: one paragraph per line.
                let pending: Vec<Run> = std::mem::take(&mut runs);
                let mut p = b.para();
                for r in pending {
                    p = p.add_run(r);
                }
                b.push(p);
            }
            Event::Text(t) => {
                if inline.code && t.contains('\n') {
                    let lines: Vec<&str> = t.trim_end_matches('\n').split('\n').collect();
                    for (i, line) in lines.iter().enumerate() {
                        let mut r = Run::new().add_text(*line).fonts(RunFonts::new().ascii("Consolas").hi_ansi("Consolas"));
                        if i + 1 < lines.len() {
                            r = r.add_break(docx_rs::BreakType::TextWrapping);
                        }
                        runs.push(r);
                    }
                } else {
                    runs.push(styled(&t, inline));
                }
            }
            Event::Code(t) => runs.push(styled(&t, Inline { code: true, ..inline })),
            Event::SoftBreak => runs.push(styled(" ", inline)),
            Event::HardBreak => runs.push(Run::new().add_break(docx_rs::BreakType::TextWrapping)),
            Event::Rule => b.push(Paragraph::new()),
            Event::Html(h) | Event::InlineHtml(h) => runs.push(styled(&h, inline)),
            _ => {}
        }
    }
    if !runs.is_empty() {
        flush(b, &mut runs, None, &lists, false, &mut None);
    }
}

fn styled(text: &str, s: Inline) -> Run {
    let mut r = Run::new().add_text(text);
    if s.bold {
        r = r.bold();
    }
    if s.italic {
        r = r.italic();
    }
    if s.code {
        r = r.fonts(RunFonts::new().ascii("Consolas").hi_ansi("Consolas"));
    }
    r
}
