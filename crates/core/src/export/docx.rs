//! Markdown to a real Word document with docx-rs: styled headings, paragraphs with bold / italic
//! runs, bullet and numbered lists (each list its own numbering instance, so numbering restarts),
//! tables with borders, a bold header row repeated on every page and columns as wide as their
//! content, A4 page with administrative margins, and a default font that covers both French and
//! Arabic.
//!
//! Letters get their frame: the letterhead (French lines on the left, Arabic on the right, the
//! logo between), reference, place and date (and the Hijri date in Arabic), sender and
//! addressee, objet, the body justified, the signature block at the reading end, copies.
//! Reports get page numbers, an optional table of contents and a "prepared with" line.
//!
//! Alignment follows Word's reading of `w:jc` (LibreOffice does the same): in a right-to-left
//! paragraph `left` is the start of the line, the right edge. So "start" is always `Left` here.
//! What docx-rs cannot write (right-to-left runs and tables, repeated header rows, the table of
//! contents field) is added to its XML by [`super::ooxml`], in one pass.

use docx_rs::{
    AbstractNumbering, AlignmentType, Docx, Footer, IndentLevel, Level, LevelJc, LevelOverride, LevelText,
    LineSpacing, LineSpacingType, NumPages, NumberFormat, Numbering, NumberingId, PageMargin, PageNum, Paragraph, Pic, Run,
    RunFonts, Shading, SpecialIndentType, Start, Style, StyleType, Table, TableCell, TableRow, VAlignType,
    WidthType,
};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::markdown::md_options;
use super::{labels, ooxml, place_and_date, reference_line, ExportDoc, ExportError, Letterhead, MAX_LOGO_BYTES};
use crate::Lang;

/// Start and end of a line, in Word's terms for both directions.
const START: AlignmentType = AlignmentType::Left;
const END: AlignmentType = AlignmentType::Right;
/// Text width of the page: A4 less two 2.5 cm margins, in twentieths of a point.
const TEXT_WIDTH: usize = (A4.0 - 2 * 1417) as usize;
/// Where the table of contents goes, until the XML pass puts the field there.
const TOC_MARKER: &str = "\u{E000}katib-toc\u{E000}";

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
    /// Per table in document order: whether its first row is a header to repeat.
    header_rows: Vec<bool>,
    /// Body paragraphs are justified (letters).
    justify: bool,
    /// The table of contents goes after the next heading (the document's own title).
    toc_pending: bool,
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
        // lineRule written out: with a bare w:line, LibreOffice clipped the letterhead logo.
        .default_line_spacing(LineSpacing::new().after(160).line(276).line_rule(LineSpacingType::Auto));
    docx = numberings(styles(docx));
    if let Some(t) = &doc.title {
        docx = docx.custom_property("katib_title", t.as_str());
    }
    let letter = doc.letter.is_some();
    if !letter {
        docx = docx.footer(page_footer(doc.lang));
    }
    // Loaded first: a bad logo is an error before anything is built.
    let logo = match doc.letterhead.as_ref().and_then(|l| l.logo.as_ref()) {
        Some(path) if letter => Some(load_logo(path)?),
        _ => None,
    };
    let titled = doc.markdown.trim_start().starts_with('#');
    let mut b = Builder { docx: Some(docx), rtl, next_num: 2, header_rows: Vec::new(), justify: letter, toc_pending: false };
    if let Some(l) = &doc.letter {
        if let Some(lh) = &doc.letterhead {
            letterhead(&mut b, lh, logo);
        }
        letter_head(&mut b, doc, l);
    } else {
        if let Some(t) = doc.title.as_ref().filter(|_| !titled) {
            let p = b.para().style("Title").add_run(Run::new().add_text(b.text(t)));
            b.push(p);
            if doc.toc {
                push_toc_marker(&mut b);
            }
        } else {
            b.toc_pending = doc.toc;
        }
    }
    body(&mut b, doc.markdown);
    if let Some(l) = &doc.letter {
        letter_foot(&mut b, doc, l);
    } else if let Some(line) = &doc.prepared_with {
        b.push(Paragraph::new());
        let p = b.para().add_run(Run::new().add_text(b.text(line)).size(16).italic().color("7F7F7F"));
        b.push(p);
    }
    let docx = b.docx.take().ok_or_else(|| ExportError::Docx("document lost".into()))?;
    let mut xml = docx.build();
    // docx-rs writes UTF-8: its parts are valid strings.
    let fixes = ooxml::Fixes { rtl_tables: rtl, header_rows: &b.header_rows };
    let mut document = ooxml::fix(&String::from_utf8_lossy(&xml.document), fixes);
    if doc.toc && !letter {
        document = with_toc(document, doc, titled);
    }
    xml.document = document.into_bytes();
    for f in xml.footers.iter_mut() {
        *f = ooxml::fix(&String::from_utf8_lossy(f), ooxml::Fixes::default()).into_bytes();
    }
    let latin = match doc.lang {
        Lang::Fr | Lang::Ar => "fr-FR",
        Lang::En => "en-GB",
    };
    xml.styles = ooxml::default_lang(&String::from_utf8_lossy(&xml.styles), latin).into_bytes();
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

fn push_toc_marker(b: &mut Builder) {
    let p = Paragraph::new().add_run(Run::new().add_text(TOC_MARKER));
    b.push(p);
}

/// Replaces the marker paragraph with a table-of-contents field whose current result lists the
/// headings (levels 1 to 3), so that any reader shows it; Word adds page numbers on opening.
fn with_toc(document: String, doc: &ExportDoc, titled: bool) -> String {
    let Some(at) = document.find(TOC_MARKER) else { return document };
    let start = document[..at].rfind("<w:p ").or_else(|| document[..at].rfind("<w:p>")).unwrap_or(at);
    let end = document[at..].find("</w:p>").map(|e| at + e + "</w:p>".len()).unwrap_or(at);
    let heading = match doc.lang {
        Lang::Fr => "Table des matières",
        Lang::Ar => "الفهرس",
        Lang::En => "Contents",
    };
    let bidi = if doc.lang.is_rtl() { "<w:bidi />" } else { "" };
    let rtl = if doc.lang.is_rtl() { "<w:rPr><w:rtl /></w:rPr>" } else { "" };
    let esc = |t: &str| quick_xml::escape::escape(t).into_owned();
    let mut x = format!("<w:p><w:pPr><w:pStyle w:val=\"Heading2\" />{bidi}</w:pPr><w:r>{rtl}<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", esc(heading));
    let mut entries: Vec<(usize, String)> = headings(doc.markdown);
    if titled && !entries.is_empty() {
        entries.remove(0);
    }
    if entries.is_empty() {
        entries.push((1, String::new()));
    }
    let n = entries.len();
    for (i, (level, text)) in entries.iter().enumerate() {
        let ind = 360 * (level.saturating_sub(1));
        // The last entry keeps a blank line's space before the text.
        let after = if i + 1 == n { 360 } else { 60 };
        x.push_str(&format!("<w:p><w:pPr>{bidi}<w:spacing w:after=\"{after}\" /><w:ind w:left=\"{ind}\" /></w:pPr>"));
        if i == 0 {
            x.push_str("<w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\" /></w:r><w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-3\" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\" /></w:r>");
        }
        let text = if doc.lang.is_rtl() { ooxml::bidi_text(text).into_owned() } else { text.clone() };
        x.push_str(&format!("<w:r>{rtl}<w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(&text)));
        if i + 1 == n {
            x.push_str("<w:r><w:fldChar w:fldCharType=\"end\" /></w:r>");
        }
        x.push_str("</w:p>");
    }
    format!("{}{x}{}", &document[..start], &document[end..])
}

/// The headings of levels 1 to 3, in order.
fn headings(md: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for ev in Parser::new_ext(md, md_options()) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                let l = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 0,
                };
                cur = (l > 0).then(|| (l, String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cur.as_mut() {
                    c.1.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(cur.take()),
            _ => {}
        }
    }
    out
}

/// A logo read and checked: PNG or JPEG, not too large, with readable dimensions.
pub(super) fn load_logo(path: &std::path::Path) -> Result<Pic, ExportError> {
    let bad = |reason: String| ExportError::Logo { path: path.into(), reason };
    let meta = std::fs::metadata(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
    if meta.len() > MAX_LOGO_BYTES {
        return Err(bad(format!(
            "it is {:.1} MB; a logo is at most {} MB. Save a smaller copy (a few hundred pixels wide is enough)",
            meta.len() as f64 / (1024.0 * 1024.0),
            MAX_LOGO_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
    let dims = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png_size(&bytes)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        jpeg_size(&bytes)
    } else {
        return Err(bad("it is not a PNG or JPEG image".into()));
    };
    let Some((w, h)) = dims.filter(|(w, h)| *w > 0 && *h > 0 && *w <= 10_000 && *h <= 10_000) else {
        return Err(bad("the image is damaged or its size cannot be read".into()));
    };
    // docx-rs decodes JPEG (to PNG) with `expect`: a damaged file must be an error, not a crash.
    let pic = std::panic::catch_unwind(|| Pic::new(&bytes)).map_err(|_| bad("the image is damaged and cannot be decoded".into()))?;
    // At most 2.2 cm high and 3.5 cm wide, proportions kept (EMU: 360,000 per cm).
    let (max_w, max_h) = (1_260_000f64, 792_000f64);
    let scale = (max_w / w as f64).min(max_h / h as f64);
    Ok(pic.size((w as f64 * scale) as u32, (h as f64 * scale) as u32))
}

fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    if b.len() < 24 || &b[12..16] != b"IHDR" {
        return None;
    }
    Some((u32::from_be_bytes(b[16..20].try_into().ok()?), u32::from_be_bytes(b[20..24].try_into().ok()?)))
}

fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 9 < b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        // Start-of-frame markers (not DHT C4, JPG C8, DAC CC).
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let h = u16::from_be_bytes([b[i + 5], b[i + 6]]) as u32;
            let w = u16::from_be_bytes([b[i + 7], b[i + 8]]) as u32;
            return Some((w, h));
        }
        i += 2 + len;
    }
    None
}

/// The letterhead: a borderless table, French lines on the left, the logo in the middle, Arabic
/// lines on the right. In an Arabic document the table is right-to-left, so its columns are
/// listed from the right.
fn letterhead(b: &mut Builder, lh: &Letterhead, logo: Option<Pic>) {
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

fn letter_head(b: &mut Builder, doc: &ExportDoc, l: &super::LetterParts) {
    let lab = labels(doc.lang);
    if let Some(r) = &l.reference {
        let p = text_para(b, &reference_line(r, doc.lang), Some(START), true);
        b.push(p);
    }
    if let Some(d) = &l.date {
        let p = text_para(b, &place_and_date(l.ville.as_deref(), d, doc.lang), Some(END), false);
        b.push(p);
        if doc.lang == Lang::Ar && doc.letterhead.as_ref().is_some_and(|h| h.hijri) {
            if let Some(h) = super::hijri_date(d) {
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
fn letter_foot(b: &mut Builder, doc: &ExportDoc, l: &super::LetterParts) {
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

struct ListCtx {
    num_id: usize,
    level: usize,
}

struct TableCtx {
    rows: Vec<Vec<TableCell>>,
    cells: Vec<TableCell>,
    in_head: bool,
    cols: usize,
    /// Longest text in each column, in characters: the columns' widths follow it.
    lens: Vec<usize>,
    cell_len: usize,
    aligns: Vec<pulldown_cmark::Alignment>,
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
        } else if b.justify && lists.is_empty() && table.is_none() {
            p = p.align(AlignmentType::Both);
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
                // The Markdown column alignment (`---:` for amounts).
                p = match t.aligns.get(t.cells.len()) {
                    Some(pulldown_cmark::Alignment::Right) => p.align(END),
                    Some(pulldown_cmark::Alignment::Center) => p.align(AlignmentType::Center),
                    _ => p,
                };
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
                if b.toc_pending {
                    b.toc_pending = false;
                    push_toc_marker(b);
                }
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
                table = Some(TableCtx { rows: Vec::new(), cells: Vec::new(), in_head: false, cols: aligns.len(), lens: vec![0; aligns.len()], cell_len: 0, aligns });
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.in_head = true;
                }
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let Some(t) = table.as_mut() {
                    let cells = std::mem::take(&mut t.cells);
                    t.rows.push(cells);
                    t.in_head = false;
                }
            }
            Event::Start(Tag::TableCell) if table.as_ref().is_some_and(|t| t.in_head) => inline.bold = true,
            Event::End(TagEnd::TableCell) => {
                if let Some(t) = table.as_mut() {
                    let col = t.cells.len();
                    if col < t.lens.len() {
                        t.lens[col] = t.lens[col].max(t.cell_len);
                    }
                    t.cell_len = 0;
                }
                flush(b, &mut runs, None, &[], false, &mut table);
                if table.as_ref().is_some_and(|t| t.in_head) {
                    inline.bold = false;
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    let grid = column_widths(&t.lens, t.cols);
                    let rows: Vec<TableRow> = t
                        .rows
                        .into_iter()
                        .map(|cells| {
                            let cells = cells.into_iter().enumerate().map(|(i, c)| c.width(grid.get(i).copied().unwrap_or(0), WidthType::Dxa)).collect();
                            TableRow::new(cells).cant_split()
                        })
                        .collect();
                    let tbl = Table::new(rows).set_grid(grid).width(TEXT_WIDTH, WidthType::Dxa);
                    b.push_table(tbl, true);
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
                    if let Some(tc) = table.as_mut() {
                        tc.cell_len += t.chars().count();
                    }
                    runs.push(styled(&b.text(&t), inline));
                }
            }
            Event::Code(t) => {
                if let Some(tc) = table.as_mut() {
                    tc.cell_len += t.chars().count();
                }
                runs.push(styled(&t, Inline { code: true, ..inline }))
            }
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

/// Column widths filling the text width, in proportion to each column's longest text (within
/// bounds, so a short column stays readable and a long one does not crush the others; the four
/// extra characters pay for the cell margins).
fn column_widths(lens: &[usize], cols: usize) -> Vec<usize> {
    let cols = cols.max(1);
    let weights: Vec<usize> = (0..cols).map(|i| lens.get(i).copied().unwrap_or(0).clamp(6, 24) + 4).collect();
    let total: usize = weights.iter().sum();
    weights.iter().map(|w| TEXT_WIDTH * w / total).collect()
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
