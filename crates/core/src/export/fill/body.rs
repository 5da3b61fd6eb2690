//! The answer's blocks as raw WordprocessingML, in place of the letterhead's `{{corps}}`
//! paragraph: every paragraph takes that paragraph's properties (style, spacing, alignment) and
//! its first run's (font, size); headings are bold and kept with what follows; lists are real Word
//! lists (numbering from [`super::numbering`], indented from the body's own indentation);
//! tables are bordered, their header row bold and repeated on each page, bold and italic kept in
//! cells; notes are indented; code is in a monospace font; page breaks are page breaks.
//!
//! Properties are rewritten through [`Props`], in the schema's order. A section break carried by
//! the `{{corps}}` paragraph stays on the body's last paragraph, so the letterhead keeps its
//! sections. Also gives the body as plain text, for a `{{corps}}` written inside other text.

use super::numbering::{Numbering, INDENT, LEVEL_INDENT};
use crate::export::blocks::{link_note, plain_text, Align, Block, Run};
use crate::export::ooxml::{self, Props, PPR_ORDER, RPR_ORDER};
use crate::Lang;

/// Monospace font of code.
const CODE_FONT: &str = "Consolas";
/// The width tables are laid out on, in twentieths of a point (an A4 text width; the table
/// itself takes the whole text width of the letterhead's page, whatever it is).
const TABLE_GRID: usize = 9000;

/// The body, ready to replace a `{{corps}}` paragraph.
pub(super) struct Body {
    blocks: Vec<Block>,
    lang: Lang,
    /// The body as plain text, for a `{{corps}}` that shares its paragraph with other text:
    /// list items with their number or a dash, table rows with cells between bars.
    pub(super) plain: String,
    /// The numbering instances the lists written so far use.
    pub(super) numbering: Numbering,
}

/// One paragraph of the output, or raw XML (a table).
enum Chunk {
    Para { ppr: Props, content: String },
    Raw(String),
}

/// What the blocks are written with: the `{{corps}}` paragraph's properties.
struct Ctx<'a> {
    ppr: &'a Props,
    rpr: &'a Props,
    /// The body's own start indentation (twentieths of a point).
    base_indent: i64,
    rtl: bool,
}

impl Body {
    pub(super) fn new(blocks: Vec<Block>, lang: Lang, numbering: Numbering) -> Body {
        let mut lines = Vec::new();
        plain_lines(&blocks, 0, &mut lines);
        let plain = lines.iter().map(|l| bidi(l, lang.is_rtl())).collect::<Vec<_>>().join("\n");
        Body { blocks, lang, plain, numbering }
    }

    /// The body's XML in place of `para` (the `{{corps}}` paragraph).
    pub(super) fn write_xml(&mut self, para: &str) -> String {
        let rtl = self.lang.is_rtl();
        let mut ppr = Props::parse(&element(para, "w:pPr").unwrap_or_default());
        let sect = ppr.remove("w:sectPr");
        if rtl {
            ppr.set("w:bidi", "<w:bidi/>");
        }
        // The first run's properties (not the paragraph mark's, inside pPr).
        let after_ppr = para.find("</w:pPr>").map(|i| &para[i..]).unwrap_or(para);
        let rpr = Props::parse(&element(after_ppr, "w:rPr").unwrap_or_default());
        let base_indent = ppr.get("w:ind").map_or(0, |ind| attr_num(ind, "w:left").or_else(|| attr_num(ind, "w:start")).unwrap_or(0));
        let ctx = Ctx { ppr: &ppr, rpr: &rpr, base_indent, rtl };
        let mut out = Vec::new();
        let blocks = std::mem::take(&mut self.blocks);
        write_blocks(&ctx, &mut self.numbering, &blocks, Place::default(), &mut out);
        self.blocks = blocks;
        if let Some(sect) = sect {
            match out.iter_mut().rev().find_map(|c| match c {
                Chunk::Para { ppr, .. } => Some(ppr),
                Chunk::Raw(_) => None,
            }) {
                Some(last) => last.set("w:sectPr", sect),
                None => out.push(Chunk::Para { ppr: Props::parse(&format!("<w:pPr>{sect}</w:pPr>")), content: String::new() }),
            }
        }
        let mut x = String::new();
        for c in out {
            match c {
                Chunk::Para { ppr, content } => {
                    x.push_str("<w:p>");
                    x.push_str(&ppr.to_xml("w:pPr", PPR_ORDER));
                    x.push_str(&content);
                    x.push_str("</w:p>");
                }
                Chunk::Raw(r) => x.push_str(&r),
            }
        }
        x
    }
}

/// Where a block sits: the list level of its item, if any, and how many notes enclose it.
#[derive(Clone, Copy, Default)]
struct Place {
    level: Option<usize>,
    lists: usize,
    quotes: usize,
}

impl Place {
    /// The start indentation of a paragraph here (not a numbered first line), if it differs
    /// from the body's.
    fn indent(&self, base: i64) -> Option<i64> {
        let list = self.level.map_or(0, |l| (INDENT + LEVEL_INDENT * l as u32) as i64);
        let quote = INDENT as i64 * self.quotes as i64;
        (list + quote > 0).then_some(base + list + quote)
    }
}

fn write_blocks(ctx: &Ctx, num: &mut Numbering, blocks: &[Block], place: Place, out: &mut Vec<Chunk>) {
    for b in blocks {
        write_block(ctx, num, b, place, out);
    }
}

fn write_block(ctx: &Ctx, num: &mut Numbering, block: &Block, place: Place, out: &mut Vec<Chunk>) {
    let para = |place: Place| {
        let mut p = ctx.ppr.clone();
        if let Some(i) = place.indent(ctx.base_indent) {
            p.set("w:ind", format!("<w:ind w:left=\"{i}\"/>"));
        }
        if place.level.is_some() {
            // A continuation of a list item is not numbered, whatever the body's style says.
            p.remove("w:numPr");
        }
        p
    };
    match block {
        Block::Paragraph { runs } => out.push(Chunk::Para { ppr: para(place), content: runs_xml(ctx, runs, false) }),
        Block::Heading { runs, .. } => {
            let mut ppr = para(place);
            ppr.set("w:keepNext", "<w:keepNext/>");
            out.push(Chunk::Para { ppr, content: runs_xml(ctx, runs, true) });
        }
        Block::List { start, items, .. } => {
            let level = place.lists;
            let id = num.list(start.is_some(), level, start.unwrap_or(1));
            let inner = Place { level: Some(level), lists: level + 1, ..place };
            for item in items {
                let mut ppr = ctx.ppr.clone();
                ppr.set("w:numPr", format!("<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{id}\"/></w:numPr>"));
                // The number hangs in the margin of the text, as in the numbering definition,
                // from wherever the body itself starts.
                let left = ctx.base_indent + (INDENT + LEVEL_INDENT * level as u32) as i64 + INDENT as i64 * place.quotes as i64;
                ppr.set("w:ind", format!("<w:ind w:left=\"{left}\" w:hanging=\"360\"/>"));
                let rest = match item.first() {
                    Some(Block::Paragraph { runs }) => {
                        out.push(Chunk::Para { ppr, content: runs_xml(ctx, runs, false) });
                        &item[1..]
                    }
                    Some(Block::List { .. }) => &item[..],
                    _ => {
                        out.push(Chunk::Para { ppr, content: String::new() });
                        &item[..]
                    }
                };
                write_blocks(ctx, num, rest, inner, out);
            }
        }
        Block::Table { aligns, header, rows } => {
            out.push(Chunk::Raw(table_xml(ctx, aligns, header, rows)));
            // A table cell must end with a paragraph, and Word wants one between two tables.
            out.push(Chunk::Para { ppr: Props::default(), content: String::new() });
        }
        Block::Quote { blocks } => write_blocks(ctx, num, blocks, Place { quotes: place.quotes + 1, ..place }, out),
        Block::Code { text, .. } => {
            let mut rpr = ctx.rpr.clone();
            rpr.set("w:rFonts", format!("<w:rFonts w:ascii=\"{CODE_FONT}\" w:hAnsi=\"{CODE_FONT}\"/>"));
            let content = format!("<w:r>{}<w:t xml:space=\"preserve\">{}</w:t></w:r>", rpr.to_xml("w:rPr", RPR_ORDER), text_xml(text));
            // Code lines as written: no first-line indent, not justified.
            let mut ppr = para(place);
            let left = place.indent(ctx.base_indent).unwrap_or(ctx.base_indent);
            ppr.set("w:ind", format!("<w:ind w:left=\"{left}\"/>"));
            ppr.remove("w:jc");
            out.push(Chunk::Para { ppr, content });
        }
        Block::Rule => out.push(Chunk::Para { ppr: para(place), content: String::new() }),
        Block::PageBreak => out.push(Chunk::Para { ppr: para(place), content: "<w:r><w:br w:type=\"page\"/></w:r>".into() }),
    }
}

/// Runs with the body's run properties plus their own formatting (`bold`: all bold).
fn runs_xml(ctx: &Ctx, runs: &[Run], bold: bool) -> String {
    let mut x = String::new();
    for (i, r) in runs.iter().enumerate() {
        let mut rpr = ctx.rpr.clone();
        if r.bold || bold {
            rpr.set("w:b", "<w:b/>");
            rpr.set("w:bCs", "<w:bCs/>");
        }
        if r.italic {
            rpr.set("w:i", "<w:i/>");
            rpr.set("w:iCs", "<w:iCs/>");
        }
        if r.strike {
            rpr.set("w:strike", "<w:strike/>");
        }
        let text = if r.code {
            rpr.set("w:rFonts", format!("<w:rFonts w:ascii=\"{CODE_FONT}\" w:hAnsi=\"{CODE_FONT}\"/>"));
            r.text.clone()
        } else {
            bidi(&r.text, ctx.rtl)
        };
        x.push_str(&format!("<w:r>{}<w:t xml:space=\"preserve\">{}</w:t></w:r>", rpr.to_xml("w:rPr", RPR_ORDER), text_xml(&text)));
        if let Some(note) = link_note(runs, i) {
            x.push_str(&format!("<w:r>{}<w:t xml:space=\"preserve\">{}</w:t></w:r>", ctx.rpr.to_xml("w:rPr", RPR_ORDER), text_xml(&note)));
        }
    }
    x
}

/// Text for inside `<w:t>`: escaped, line breaks as `<w:br/>`.
fn text_xml(v: &str) -> String {
    quick_xml::escape::escape(v).replace('\n', "</w:t><w:br/><w:t xml:space=\"preserve\">")
}

fn bidi(t: &str, rtl: bool) -> String {
    if rtl {
        ooxml::bidi_text(t).into_owned()
    } else {
        t.to_string()
    }
}

/// A bordered table across the text width, header row bold and repeated on each page, columns
/// as wide as their text, the Markdown alignments kept.
fn table_xml(ctx: &Ctx, aligns: &[Align], header: &[Vec<Run>], rows: &[Vec<Vec<Run>>]) -> String {
    let cols = aligns.len().max(1);
    let mut lens = vec![0usize; cols];
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (c, cell) in row.iter().enumerate().take(cols) {
            lens[c] = lens[c].max(plain_text(cell).chars().count());
        }
    }
    let grid = ooxml::column_widths(&lens, TABLE_GRID);
    let b = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"";
    let mut x = String::from("<w:tbl><w:tblPr>");
    if ctx.rtl {
        x.push_str("<w:bidiVisual/>");
    }
    x.push_str(&format!(
        "<w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders><w:top {b}/><w:left {b}/><w:bottom {b}/><w:right {b}/><w:insideH {b}/><w:insideV {b}/></w:tblBorders></w:tblPr><w:tblGrid>"
    ));
    for w in &grid {
        x.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    x.push_str("</w:tblGrid>");
    for (i, row) in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)).enumerate() {
        x.push_str("<w:tr>");
        if i == 0 {
            x.push_str("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        } else {
            x.push_str("<w:trPr><w:cantSplit/></w:trPr>");
        }
        for (c, w) in grid.iter().enumerate() {
            let runs = row.get(c).map(Vec::as_slice).unwrap_or(&[]);
            let mut ppr = Props::default();
            if ctx.rtl {
                ppr.set("w:bidi", "<w:bidi/>");
            }
            // Word's `right` is the end of the line in both directions (see ooxml).
            match aligns.get(c) {
                Some(Align::Right) => ppr.set("w:jc", "<w:jc w:val=\"right\"/>"),
                Some(Align::Center) => ppr.set("w:jc", "<w:jc w:val=\"center\"/>"),
                _ => {}
            }
            x.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr><w:p>{}{}</w:p></w:tc>", ppr.to_xml("w:pPr", PPR_ORDER), runs_xml(ctx, runs, i == 0)));
        }
        x.push_str("</w:tr>");
    }
    x.push_str("</w:tbl>");
    x
}

/// The blocks as lines of plain text (for a `{{corps}}` inside other text, where no list or
/// table can go).
fn plain_lines(blocks: &[Block], depth: usize, out: &mut Vec<String>) {
    for b in blocks {
        match b {
            Block::Heading { runs, .. } | Block::Paragraph { runs } => out.push(runs_text(runs)),
            Block::List { start, items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    let indent = "    ".repeat(depth);
                    let marker = match start {
                        Some(n) => format!("{indent}{}. ", n + i as u64),
                        None => format!("{indent}– "),
                    };
                    let rest = match item.first() {
                        Some(Block::Paragraph { runs }) => {
                            out.push(marker + &runs_text(runs));
                            &item[1..]
                        }
                        _ => {
                            out.push(marker);
                            &item[..]
                        }
                    };
                    plain_lines(rest, depth + 1, out);
                }
            }
            Block::Table { header, rows, .. } => {
                for row in std::iter::once(header).chain(rows) {
                    out.push(row.iter().map(|c| plain_text(c).trim().to_string()).collect::<Vec<_>>().join(" | "));
                }
            }
            Block::Quote { blocks } => plain_lines(blocks, depth, out),
            Block::Code { text, .. } => out.push(text.clone()),
            Block::Rule | Block::PageBreak => {}
        }
    }
}

fn runs_text(runs: &[Run]) -> String {
    let mut s = String::new();
    for (i, r) in runs.iter().enumerate() {
        s.push_str(&r.text);
        if let Some(note) = link_note(runs, i) {
            s.push_str(&note);
        }
    }
    s
}

/// `<name ...>...</name>` or `<name/>`: the first such element of `xml`.
pub(super) fn element(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(off) = xml[from..].find(&open) {
        let at = from + off;
        let after = &xml[at + open.len()..];
        if after.starts_with('>') || after.starts_with(' ') || after.starts_with('/') {
            let gt = after.find('>')? + at + open.len();
            if xml[..=gt].ends_with("/>") {
                return Some(xml[at..=gt].to_string());
            }
            let close = format!("</{name}>");
            let end = xml[gt..].find(&close)? + gt + close.len();
            return Some(xml[at..end].to_string());
        }
        from = at + open.len();
    }
    None
}

/// The integer value of `attr` in the tag `xml`.
fn attr_num(xml: &str, attr: &str) -> Option<i64> {
    let needle = format!("{attr}=\"");
    let at = xml.find(&needle)? + needle.len();
    xml[at..].split('"').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::blocks::parse;

    fn body(md: &str, lang: Lang) -> Body {
        Body::new(parse(md), lang, Numbering::after(None))
    }

    const CORPS: &str = "<w:p><w:pPr><w:pStyle w:val=\"Corps\"/><w:ind w:left=\"567\" w:firstLine=\"708\"/><w:jc w:val=\"both\"/><w:sectPr><w:pgSz w:w=\"11906\"/></w:sectPr></w:pPr><w:r><w:rPr><w:sz w:val=\"24\"/></w:rPr><w:t>{{corps}}</w:t></w:r></w:p>";

    #[test]
    fn lists_are_numbered_paragraphs_that_restart() {
        let mut b = body("Texte **gras**.\n\n1. un\n2. deux\n   - a\n\nSuite.\n\n1. encore\n", Lang::Fr);
        let x = b.write_xml(CORPS);
        // Plain paragraphs keep the body's properties; the section break moves to the end.
        assert!(x.starts_with("<w:p><w:pPr><w:pStyle w:val=\"Corps\"/><w:ind w:left=\"567\" w:firstLine=\"708\"/><w:jc w:val=\"both\"/></w:pPr><w:r><w:rPr><w:sz w:val=\"24\"/></w:rPr>"), "{x}");
        assert!(x.contains("<w:r><w:rPr><w:b/><w:bCs/><w:sz w:val=\"24\"/></w:rPr><w:t xml:space=\"preserve\">gras</w:t></w:r>"), "{x}");
        assert!(x.contains("<w:pPr><w:pStyle w:val=\"Corps\"/><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr><w:ind w:left=\"1287\" w:hanging=\"360\"/><w:jc w:val=\"both\"/></w:pPr><w:r><w:rPr><w:sz w:val=\"24\"/></w:rPr><w:t xml:space=\"preserve\">un</w:t>"), "{x}");
        assert!(x.contains("<w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"2\"/></w:numPr><w:ind w:left=\"1647\" w:hanging=\"360\"/>"), "{x}");
        assert!(x.contains("<w:numId w:val=\"3\"/>"), "the second list is a new one: {x}");
        assert_eq!(x.matches("<w:sectPr>").count(), 1);
        assert!(x.ends_with("<w:sectPr><w:pgSz w:w=\"11906\"/></w:sectPr></w:pPr><w:r><w:rPr><w:sz w:val=\"24\"/></w:rPr><w:t xml:space=\"preserve\">encore</w:t></w:r></w:p>"), "{x}");
        let n = b.numbering.new_part();
        assert!(n.contains("<w:num w:numId=\"3\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/>"), "{n}");
        assert_eq!(b.plain, "Texte gras.\n1. un\n2. deux\n    – a\nSuite.\n1. encore");
    }

    #[test]
    fn tables_keep_cell_formatting_and_alignment() {
        let mut b = body("| البند | المبلغ |\n|---|---:|\n| **الوقود** | 120 000 |\n", Lang::Ar);
        let x = b.write_xml("<w:p><w:r><w:t>{{corps}}</w:t></w:r></w:p>");
        assert!(x.starts_with("<w:tbl><w:tblPr><w:bidiVisual/>"), "{x}");
        assert!(x.contains("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"));
        assert!(x.contains("<w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space=\"preserve\">الوقود</w:t>"), "{x}");
        assert!(x.contains("<w:pPr><w:bidi/><w:jc w:val=\"right\"/></w:pPr><w:r><w:t xml:space=\"preserve\">\u{200E}120 000</w:t>"), "{x}");
        assert!(x.ends_with("</w:tbl><w:p><w:pPr><w:bidi/></w:pPr></w:p>") || x.ends_with("</w:tbl><w:p></w:p>"), "{x}");
    }
}
