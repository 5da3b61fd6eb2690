//! A real Word document with docx-rs, in Katib's own layout: an A4 page with administrative
//! margins, a default font that covers both French and Arabic, heading styles, numbering
//! definitions; then the official frame of a letter, note or act ([`letter`]) or a report's title
//! and table of contents ([`toc`]), the body from the document model ([`body`]), the audit page
//! when one is given ([`annex`]) or the audit sheet as a document of its own ([`sheet`]), the run's id in the custom document properties (`katib_run`),
//! and what docx-rs cannot write (right-to-left runs and tables, repeated header rows, the
//! table-of-contents field, the default languages) added to its XML by [`super::ooxml`] in one
//! pass.
//!
//! Alignment follows Word's reading of `w:jc` (LibreOffice does the same): in a right-to-left
//! paragraph `left` is the start of the line, the right edge. So "start" is always `Left` here.
//! The administration's own letterhead is filled by [`super::fill`], not here.

mod annex;
mod body;
mod image;
mod letter;
mod sheet;
mod toc;

use docx_rs::{
    AbstractNumbering, AlignmentType, Docx, Footer, Level, LevelJc, LevelOverride, LevelText, LineSpacing, LineSpacingType, NumPages,
    NumberFormat, Numbering, PageMargin, PageNum, Paragraph, Run, RunFonts, SpecialIndentType, Start, Style, StyleType, Table,
};

pub(crate) use image::load_logo;

use super::blocks::{self, Block};
use super::frame::Frame;
use super::{ooxml, ExportDoc, ExportError};
use crate::Lang;

/// Start and end of a line, in Word's terms for both directions.
const START: AlignmentType = AlignmentType::Left;
const END: AlignmentType = AlignmentType::Right;
/// Text width of the page: A4 less two 2.5 cm margins, in twentieths of a point.
const TEXT_WIDTH: usize = (A4.0 - 2 * 1417) as usize;

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
    lang: Lang,
    rtl: bool,
    next_num: usize,
    /// Per table in document order: whether its first row is a header to repeat.
    header_rows: Vec<bool>,
    /// Body paragraphs are justified (letters).
    justify: bool,
    /// The table of contents goes after the next heading (the document's own title).
    toc_pending: bool,
    /// An act: its operative word ("Arrête :", «يقرر ما يلي:») is centred on its line.
    act: bool,
}

impl Builder {
    fn para(&self) -> Paragraph {
        let mut p = Paragraph::new();
        if self.rtl {
            p.property = p.property.bidi(true);
        }
        p
    }

    fn text(&self, t: &str) -> String {
        if self.rtl {
            ooxml::bidi_text(t).into_owned()
        } else {
            t.to_string()
        }
    }

    fn with(&mut self, f: impl FnOnce(Docx) -> Docx) {
        if let Some(d) = self.docx.take() {
            self.docx = Some(f(d));
        }
    }

    fn push(&mut self, p: Paragraph) {
        self.with(|d| d.add_paragraph(p));
    }

    fn push_table(&mut self, t: Table, header_row: bool) {
        self.header_rows.push(header_row);
        self.with(|d| d.add_table(t));
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

/// Heading styles: a report's in blue and larger; an official letter's, note's or act's
/// (`framed`) in black, a little larger than the text, as a typed document has them.
fn styles(docx: Docx, framed: bool, rtl: bool) -> Docx {
    let heading = |id: &str, name: &str, size: usize, level: usize| {
        let (size, color) = if framed { (if rtl { 28 } else { 24 }, "000000") } else { (size, "1F3864") };
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .bold()
            .size(size)
            .color(color)
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

/// An A4 page with administrative margins, the default font, size and spacing.
fn page(rtl: bool) -> Docx {
    Docx::new()
        .page_size(A4.0, A4.1)
        // 2.5 cm margins, 2 cm at the bottom: the usual administrative page.
        .page_margin(PageMargin::new().top(1417).bottom(1134).left(1417).right(1417).header(708).footer(708))
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT))
        .default_size(if rtl { 26 } else { 22 })
        // Space between paragraphs, as in a typed letter: 8 pt after, 1.15 lines.
        // lineRule written out: with a bare w:line, LibreOffice clipped the letterhead logo.
        .default_line_spacing(LineSpacing::new().after(160).line(276).line_rule(LineSpacingType::Auto))
}

/// The footers' right-to-left fixes and the styles' default languages, once the body is done.
fn finish_parts(xml: &mut docx_rs::XMLDocx, lang: Lang) {
    for f in xml.footers.iter_mut() {
        *f = ooxml::fix(&String::from_utf8_lossy(f), ooxml::Fixes::default()).into_bytes();
    }
    let latin = match lang {
        Lang::Fr | Lang::Ar => "fr-FR",
        Lang::En => "en-GB",
    };
    xml.styles = ooxml::default_lang(&String::from_utf8_lossy(&xml.styles), latin).into_bytes();
}

/// The audit sheet of a run ([`super::sheet`]) as a document of its own: one page, the run's id
/// in the document properties.
pub(super) fn build_sheet(a: &super::sheet::AuditSheet, texts: &super::sheet::SheetTexts, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let rtl = lang.is_rtl();
    // A point smaller than a letter: the record of a run with a few files and reviewers fits on
    // one page in Arabic too.
    let mut docx = page(rtl).default_size(if rtl { 22 } else { 20 }).custom_property("katib_title", texts.title);
    if !a.run_id.trim().is_empty() {
        docx = docx.custom_property("katib_run", a.run_id.trim());
    }
    let mut b = Builder { docx: Some(docx), lang, rtl, next_num: 2, header_rows: Vec::new(), justify: false, toc_pending: false, act: false };
    sheet::write(&mut b, texts);
    let docx = b.docx.take().ok_or_else(|| ExportError::Docx("document lost".into()))?;
    let mut xml = docx.build();
    let fixes = ooxml::Fixes { rtl_tables: rtl, header_rows: &b.header_rows };
    xml.document = ooxml::fix(&String::from_utf8_lossy(&xml.document), fixes).into_bytes();
    finish_parts(&mut xml, lang);
    let mut buf = std::io::Cursor::new(Vec::with_capacity(16 * 1024));
    xml.pack(&mut buf).map_err(|e| ExportError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}

pub(super) fn build(doc: &ExportDoc, blocks: &[Block]) -> Result<Vec<u8>, ExportError> {
    let rtl = doc.lang.is_rtl();
    let mut docx = page(rtl);
    docx = numberings(styles(docx, doc.letter.is_some(), rtl));
    if let Some(t) = &doc.title {
        docx = docx.custom_property("katib_title", t.as_str());
    }
    // The run that made it: a printed letter's file leads back to its history entry.
    if let Some(id) = doc.run_id.as_deref().filter(|i| !i.trim().is_empty()) {
        docx = docx.custom_property("katib_run", id.trim());
    }
    let frame = Frame::of(doc, blocks);
    let letter = frame.is_some();
    if !letter {
        docx = docx.footer(page_footer(doc.lang));
    }
    // Loaded first: a bad logo is an error before anything is built.
    let logo = match doc.letterhead.as_ref().and_then(|l| l.logo.as_ref()) {
        Some(path) if letter => Some(load_logo(path)?),
        _ => None,
    };
    // The answer's own first heading is the document's title.
    let titled = matches!(blocks.first(), Some(Block::Heading { .. }));
    let act = frame.as_ref().is_some_and(|f| f.is(crate::kinds::OutputKind::Act));
    let mut b = Builder { docx: Some(docx), lang: doc.lang, rtl, next_num: 2, header_rows: Vec::new(), justify: letter, toc_pending: false, act };
    let mut body_blocks = blocks;
    if let Some(f) = &frame {
        if let Some(lh) = &doc.letterhead {
            letter::letterhead(&mut b, lh, logo);
        }
        letter::head(&mut b, f);
        if f.title_from_body {
            body_blocks = &blocks[1..];
        }
    } else if let Some(t) = doc.title.as_ref().filter(|_| !titled) {
        let p = b.para().style("Title").add_run(Run::new().add_text(b.text(t)));
        b.push(p);
        if doc.toc {
            toc::push_marker(&mut b);
        }
    } else {
        b.toc_pending = doc.toc;
    }
    body::write(&mut b, body_blocks);
    if let Some(f) = &frame {
        letter::foot(&mut b, f);
    } else if let Some(line) = &doc.prepared_with {
        b.push(Paragraph::new());
        let p = b.para().add_run(Run::new().add_text(b.text(line)).size(16).italic().color("7F7F7F"));
        b.push(p);
    }
    if let Some(a) = &doc.audit {
        annex::write(&mut b, &super::annex::annex(a, doc.lang));
    }
    let docx = b.docx.take().ok_or_else(|| ExportError::Docx("document lost".into()))?;
    let mut xml = docx.build();
    // docx-rs writes UTF-8: its parts are valid strings.
    let fixes = ooxml::Fixes { rtl_tables: rtl, header_rows: &b.header_rows };
    let mut document = ooxml::fix(&String::from_utf8_lossy(&xml.document), fixes);
    if doc.toc && !letter {
        let mut entries = blocks::headings(blocks, 3);
        // The title is not an entry of its own table of contents.
        if titled && matches!(blocks.first(), Some(Block::Heading { level: 1..=3, .. })) {
            entries.remove(0);
        }
        document = toc::insert(document, &entries, doc.lang);
    }
    xml.document = document.into_bytes();
    finish_parts(&mut xml, doc.lang);
    if doc.toc && !letter {
        // Word refreshes the table of contents (and its page numbers) when the file opens.
        let s = String::from_utf8_lossy(&xml.settings).into_owned();
        if !s.contains("updateFields") {
            // Schema order: before compat (and what follows it), else last.
            let at = s.find("<w:compat").or_else(|| s.find("</w:settings>")).unwrap_or(s.len());
            xml.settings = format!("{}<w:updateFields w:val=\"true\" />{}", &s[..at], &s[at..]).into_bytes();
        }
    }
    let mut buf = std::io::Cursor::new(Vec::with_capacity(doc.markdown.len() * 4));
    xml.pack(&mut buf).map_err(|e| ExportError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}

/// "Page 3 / 12" (or "صفحة 3 من 12"), centred at the foot of every page.
fn page_footer(lang: Lang) -> Footer {
    let (page, of) = match lang {
        Lang::Fr => ("Page ", " / "),
        Lang::Ar => ("صفحة ", " من "),
        Lang::En => ("Page ", " of "),
    };
    let mut p = Paragraph::new().align(AlignmentType::Center);
    if lang.is_rtl() {
        p.property = p.property.bidi(true);
    }
    let p = p
        .add_run(Run::new().add_text(page))
        .add_page_num(PageNum::new())
        .add_run(Run::new().add_text(of))
        .add_num_pages(NumPages::new());
    Footer::new().add_paragraph(p)
}

