//! The answer's document model: Markdown parsed once (pulldown-cmark, CommonMark with GFM tables
//! and strikethrough) into [`Block`]s holding [`Run`]s, which every writer consumes (Katib's Word
//! layout, the filled letterhead, the spreadsheet of tables, plain text, the table of contents).
//! Writers never look at Markdown again, so a table or a list is the same thing in every export,
//! and in the window's preview: `ui/js/markdown.js` builds the same tree, and the corpus in
//! `tests/fixtures/markdown/` holds both to one expected JSON form (this module's serde form).
//!
//! The model keeps what a Word or spreadsheet writer can use: headings and their level;
//! paragraphs of runs (bold, italic, code, strikethrough, link target, image alt text); bullet and
//! numbered lists with their start number, tightness and nested blocks (each list is a new list:
//! its numbering restarts); tables with column alignments and a header row, cells holding runs;
//! block quotes (notes); code blocks; rules; page breaks. Soft line breaks are spaces; a hard
//! break is a `"\n"` in a run's text. Raw HTML is kept as text, never interpreted.
//!
//! Page breaks are not CommonMark: a block that is only `<!-- pagebreak -->` (an HTML comment,
//! invisible in other Markdown viewers; `page-break` and `newpage` are accepted too, in any case)
//! or a paragraph that is only `\pagebreak` or `\newpage` (as pandoc users write) is a
//! [`Block::PageBreak`].
//!
//! Deliberately not here: footnotes, task lists, definition lists, math, heading attributes
//! (the parser options leave them off, so they read as text), and anything about layout.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

/// The Markdown dialect of every export: CommonMark, GFM tables and strikethrough.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// A block of the document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    /// `#` to `######`, or a setext heading; `level` is 1 to 6.
    Heading { level: u8, runs: Vec<Run> },
    Paragraph { runs: Vec<Run> },
    /// A bullet list (`start` None) or a numbered one (`start` its first number). Each item is
    /// a list of blocks (a tight item's text is a paragraph too). `tight`: no blank line
    /// between the items (CommonMark's definition), so their paragraphs are not spaced; a
    /// list whose items hold no paragraph counts as tight.
    List {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start: Option<u64>,
        tight: bool,
        items: Vec<Vec<Block>>,
    },
    /// A GFM table: one alignment per column, the header row, the body rows. Every row has as
    /// many cells as the header (missing cells are empty, extra ones dropped, as GFM says).
    Table { aligns: Vec<Align>, header: Vec<Vec<Run>>, rows: Vec<Vec<Vec<Run>>> },
    /// A block quote (`>`): a note set apart from the text.
    Quote { blocks: Vec<Block> },
    /// A fenced or indented code block, its text as written (no trailing newline); `lang` is
    /// the first word of a fence's info string.
    Code {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
        text: String,
    },
    /// A thematic break (`---`).
    Rule,
    PageBreak,
}

/// A table column's alignment (`:--`, `:-:`, `--:`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    #[default]
    None,
    Left,
    Center,
    Right,
}

/// A stretch of text with one formatting. Adjacent runs always differ in formatting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    pub text: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub bold: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub italic: bool,
    /// Inline code (`` `x` ``).
    #[serde(default, skip_serializing_if = "is_false")]
    pub code: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub strike: bool,
    /// The link target, as written (`mailto:` added to e-mail autolinks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The text is an image's alt text (images themselves are never loaded).
    #[serde(default, skip_serializing_if = "is_false")]
    pub image: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Run {
    /// A run of plain text.
    pub fn plain(text: impl Into<String>) -> Run {
        Run { text: text.into(), ..Run::default() }
    }

    fn same_format(&self, other: &Run) -> bool {
        (self.bold, self.italic, self.code, self.strike, self.image, &self.link)
            == (other.bold, other.italic, other.code, other.strike, other.image, &other.link)
    }
}

/// The text of `runs`, formatting dropped (a hard break stays a `"\n"`).
pub fn plain_text(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}

/// Every heading of `blocks` up to `max_level` (also those inside lists and quotes), in
/// document order, as (level, text).
pub fn headings(blocks: &[Block], max_level: u8) -> Vec<(u8, String)> {
    let mut out = Vec::new();
    visit(blocks, &mut |b| {
        if let Block::Heading { level, runs } = b {
            if *level <= max_level {
                out.push((*level, plain_text(runs)));
            }
        }
    });
    out
}

/// Calls `f` on every block, depth first, in document order (items and quotes included; table
/// cells hold runs, not blocks).
pub fn visit<'a>(blocks: &'a [Block], f: &mut impl FnMut(&'a Block)) {
    for b in blocks {
        f(b);
        match b {
            Block::List { items, .. } => items.iter().for_each(|i| visit(i, f)),
            Block::Quote { blocks } => visit(blocks, f),
            _ => {}
        }
    }
}

/// What every writer puts after the last run of a link: " (target)", so the target survives on
/// paper; None elsewhere, and when the link's text is its target.
pub fn link_note(runs: &[Run], i: usize) -> Option<String> {
    let url = runs[i].link.as_deref().filter(|u| !u.is_empty())?;
    if runs.get(i + 1).is_some_and(|n| n.link.as_deref() == Some(url)) {
        return None;
    }
    let first = runs[..=i].iter().rposition(|r| r.link.as_deref() != Some(url)).map_or(0, |k| k + 1);
    let text = plain_text(&runs[first..=i]);
    let text = text.trim();
    if text == url || url.strip_prefix("mailto:") == Some(text) {
        return None;
    }
    Some(format!(" ({url})"))
}

/// Parses `md` into blocks. Never fails: anything that is not structure is text.
pub fn parse(md: &str) -> Vec<Block> {
    let mut p = Reader { events: Parser::new_ext(md, options()).peekable() };
    let mut out = p.blocks(0);
    // Nothing is left but stray closing events; keep reading so no text is ever dropped.
    while p.events.next().is_some() {
        out.extend(p.blocks(0));
    }
    out
}

/// Quotes and lists nested deeper than this have their content flattened to paragraphs (the
/// window's preview does the same): hostile input cannot exhaust the stack of the recursive
/// reader or of the writers.
pub const MAX_DEPTH: usize = 32;

struct Reader<'a> {
    events: std::iter::Peekable<Parser<'a>>,
}

/// The formatting in force while reading inlines.
#[derive(Default)]
struct Style {
    bold: u32,
    italic: u32,
    strike: u32,
    image: u32,
    links: Vec<Option<String>>,
}

impl Style {
    fn run(&self, text: &str) -> Run {
        Run {
            text: text.to_string(),
            bold: self.bold > 0,
            italic: self.italic > 0,
            code: false,
            strike: self.strike > 0,
            link: self.links.iter().rev().find_map(|l| l.clone()),
            image: self.image > 0,
        }
    }
}

/// Appends `run`, merged into the last one when their formatting is the same.
fn push_run(runs: &mut Vec<Run>, run: Run) {
    if run.text.is_empty() {
        return;
    }
    match runs.last_mut() {
        Some(last) if last.same_format(&run) => last.text.push_str(&run.text),
        _ => runs.push(run),
    }
}

/// Whether an event opens a block (as opposed to inline content).
fn is_block_start(ev: &Event) -> bool {
    matches!(
        ev,
        Event::Start(
            Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::List(_)
                | Tag::Item
                | Tag::Table(_)
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionList
                | Tag::MetadataBlock(_)
        ) | Event::Rule
            | Event::DisplayMath(_)
    )
}

impl Reader<'_> {
    /// Blocks up to (not including) the closing event of the enclosing container, or the end.
    /// `depth`: how many quotes and list items enclose them.
    fn blocks(&mut self, depth: usize) -> Vec<Block> {
        self.blocks_tagged(depth).0
    }

    /// The blocks, and whether a paragraph among them came with its own tag (pulldown-cmark
    /// tags the paragraphs of loose list items only).
    fn blocks_tagged(&mut self, depth: usize) -> (Vec<Block>, bool) {
        let mut out = Vec::new();
        let mut tagged = false;
        loop {
            match self.events.peek() {
                None | Some(Event::End(_)) => return (out, tagged),
                Some(ev) if !is_block_start(ev) => {
                    // Inline content straight inside a container: a tight list item's text.
                    let runs = self.inlines(false);
                    if !runs.is_empty() {
                        out.push(paragraph(runs));
                    }
                    continue;
                }
                _ => {}
            }
            let Some(ev) = self.events.next() else { return (out, tagged) };
            match ev {
                Event::Start(Tag::Paragraph) => {
                    tagged = true;
                    let runs = self.inlines(true);
                    out.push(paragraph(runs));
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let runs = self.inlines(true);
                    out.push(Block::Heading { level: level as u8, runs });
                }
                Event::Start(Tag::BlockQuote(_) | Tag::List(_)) if depth >= MAX_DEPTH => out.extend(self.flattened()),
                Event::Start(Tag::BlockQuote(_)) => {
                    let blocks = self.blocks(depth + 1);
                    self.events.next();
                    out.push(Block::Quote { blocks });
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => info.split_whitespace().next().map(str::to_string),
                        CodeBlockKind::Indented => None,
                    };
                    let text = self.raw_text();
                    let text = text.strip_suffix('\n').unwrap_or(&text).to_string();
                    out.push(Block::Code { lang, text });
                }
                Event::Start(Tag::HtmlBlock) => {
                    let html = self.raw_text();
                    let html = html.trim_end_matches('\n');
                    if is_page_break_comment(html) {
                        out.push(Block::PageBreak);
                    } else if !html.trim().is_empty() {
                        // Shown as written, line by line.
                        out.push(Block::Paragraph { runs: vec![Run::plain(html)] });
                    }
                }
                Event::Start(Tag::List(start)) => out.push(self.list(start, depth)),
                Event::Start(Tag::Table(aligns)) => out.push(self.table(aligns)),
                Event::Rule => out.push(Block::Rule),
                Event::Start(_) => {
                    // Not enabled by the options; read as text should it ever appear.
                    let runs = self.inlines(true);
                    if !runs.is_empty() {
                        out.push(paragraph(runs));
                    }
                }
                _ => {}
            }
        }
    }

    fn list(&mut self, start: Option<u64>, depth: usize) -> Block {
        let mut items = Vec::new();
        let mut tight = true;
        loop {
            match self.events.next() {
                Some(Event::Start(Tag::Item)) => {
                    // pulldown-cmark wraps an item's text in paragraphs only in loose lists.
                    let (blocks, tagged) = self.blocks_tagged(depth + 1);
                    if tagged {
                        tight = false;
                    }
                    self.events.next(); // End(Item)
                    items.push(blocks);
                }
                None | Some(Event::End(TagEnd::List(_))) => break,
                Some(_) => {}
            }
        }
        Block::List { start, tight, items }
    }

    /// The rest of a container (its start read) as paragraphs: each paragraph, heading, table
    /// cell, code or HTML block one paragraph of its text. Reads events in a loop, not
    /// recursively, whatever their nesting.
    fn flattened(&mut self) -> Vec<Block> {
        let mut out = Vec::new();
        let mut open = 1usize;
        while open > 0 {
            match self.events.peek() {
                None => break,
                Some(Event::End(_)) => {
                    self.events.next();
                    open -= 1;
                }
                Some(Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell)) => {
                    self.events.next();
                    let runs = self.inlines(true);
                    if !runs.is_empty() {
                        out.push(Block::Paragraph { runs });
                    }
                }
                Some(Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)) => {
                    self.events.next();
                    let text = self.raw_text();
                    let text = text.trim_end_matches('\n');
                    if !text.is_empty() {
                        out.push(Block::Paragraph { runs: vec![Run::plain(text)] });
                    }
                }
                Some(Event::Start(_)) => {
                    self.events.next();
                    open += 1;
                }
                Some(ev) if !is_block_start(ev) => {
                    let runs = self.inlines(false);
                    if !runs.is_empty() {
                        out.push(Block::Paragraph { runs });
                    }
                }
                Some(_) => {
                    self.events.next();
                }
            }
        }
        out
    }

    fn table(&mut self, aligns: Vec<pulldown_cmark::Alignment>) -> Block {
        let aligns: Vec<Align> = aligns
            .into_iter()
            .map(|a| match a {
                pulldown_cmark::Alignment::None => Align::None,
                pulldown_cmark::Alignment::Left => Align::Left,
                pulldown_cmark::Alignment::Center => Align::Center,
                pulldown_cmark::Alignment::Right => Align::Right,
            })
            .collect();
        let mut header = Vec::new();
        let mut rows = Vec::new();
        let mut row: Vec<Vec<Run>> = Vec::new();
        loop {
            match self.events.next() {
                Some(Event::Start(Tag::TableCell)) => row.push(self.inlines(true)),
                Some(Event::End(TagEnd::TableHead)) => header = std::mem::take(&mut row),
                Some(Event::End(TagEnd::TableRow)) => rows.push(std::mem::take(&mut row)),
                None | Some(Event::End(TagEnd::Table)) => break,
                Some(_) => {}
            }
        }
        let cols = aligns.len();
        for r in std::iter::once(&mut header).chain(rows.iter_mut()) {
            r.resize(cols, Vec::new());
        }
        Block::Table { aligns, header, rows }
    }

    /// The text events up to the closing event (consumed): code and HTML blocks.
    fn raw_text(&mut self) -> String {
        let mut s = String::new();
        for ev in self.events.by_ref() {
            match ev {
                Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) | Event::Code(t) => s.push_str(&t),
                Event::End(_) => break,
                _ => {}
            }
        }
        s
    }

    /// Inline content as runs. `closed`: the content ends with its own closing event (a
    /// paragraph, heading or cell), consumed here; otherwise it ends before the next block or the
    /// container's end (a tight list item).
    fn inlines(&mut self, closed: bool) -> Vec<Run> {
        let mut runs = Vec::new();
        let mut st = Style::default();
        // Inline tags opened here and not yet closed: an End beyond them belongs to the block.
        let mut open = 0usize;
        loop {
            match self.events.peek() {
                None => break,
                Some(Event::End(_)) if open == 0 => {
                    if closed {
                        self.events.next();
                    }
                    break;
                }
                Some(ev) if !closed && is_block_start(ev) => break,
                _ => {}
            }
            let Some(ev) = self.events.next() else { break };
            match ev {
                Event::Text(t) => push_run(&mut runs, st.run(&t.replace('\n', " "))),
                Event::Html(t) | Event::InlineHtml(t) => push_run(&mut runs, st.run(&t.replace('\n', " "))),
                Event::Code(t) => push_run(&mut runs, Run { code: true, ..st.run(&t) }),
                Event::SoftBreak => push_run(&mut runs, st.run(" ")),
                Event::HardBreak => push_run(&mut runs, st.run("\n")),
                Event::InlineMath(t) | Event::DisplayMath(t) | Event::FootnoteReference(t) => push_run(&mut runs, st.run(&t)),
                Event::TaskListMarker(done) => push_run(&mut runs, st.run(if done { "[x] " } else { "[ ] " })),
                Event::Start(tag) => {
                    open += 1;
                    match tag {
                        Tag::Strong => st.bold += 1,
                        Tag::Emphasis => st.italic += 1,
                        Tag::Strikethrough => st.strike += 1,
                        Tag::Image { .. } => st.image += 1,
                        Tag::Link { link_type, dest_url, .. } => {
                            let dest = match link_type {
                                LinkType::Email if !dest_url.starts_with("mailto:") => format!("mailto:{dest_url}"),
                                _ => dest_url.to_string(),
                            };
                            st.links.push(Some(dest));
                        }
                        _ => {}
                    }
                }
                Event::End(tag) => {
                    open = open.saturating_sub(1);
                    match tag {
                        TagEnd::Strong => st.bold = st.bold.saturating_sub(1),
                        TagEnd::Emphasis => st.italic = st.italic.saturating_sub(1),
                        TagEnd::Strikethrough => st.strike = st.strike.saturating_sub(1),
                        TagEnd::Image => st.image = st.image.saturating_sub(1),
                        TagEnd::Link => {
                            st.links.pop();
                        }
                        _ => {}
                    }
                }
                Event::Rule => {}
            }
        }
        runs
    }
}

/// A paragraph, or a page break when that is all it says.
fn paragraph(runs: Vec<Run>) -> Block {
    if let [r] = runs.as_slice() {
        let plain = Run::plain(r.text.as_str());
        if *r == plain && matches!(r.text.trim(), "\\pagebreak" | "\\newpage") {
            return Block::PageBreak;
        }
    }
    Block::Paragraph { runs }
}

/// `<!-- pagebreak -->` (also `page-break`, `newpage`; any case, any spacing).
fn is_page_break_comment(html: &str) -> bool {
    let Some(inner) = html.trim().strip_prefix("<!--").and_then(|s| s.strip_suffix("-->")) else { return false };
    matches!(inner.trim().to_ascii_lowercase().as_str(), "pagebreak" | "page-break" | "newpage")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(runs: Vec<Run>) -> Block {
        Block::Paragraph { runs }
    }

    #[test]
    fn paragraphs_runs_and_breaks() {
        let b = parse("Un **gras** et *italique* ~~barré~~ `code`\nsuite  \nligne [lien](https://x.ma) ![logo](l.png)");
        let bold = Run { bold: true, ..Run::plain("gras") };
        assert_eq!(
            b,
            vec![p(vec![
                Run::plain("Un "),
                bold,
                Run::plain(" et "),
                Run { italic: true, ..Run::plain("italique") },
                Run::plain(" "),
                Run { strike: true, ..Run::plain("barré") },
                Run::plain(" "),
                Run { code: true, ..Run::plain("code") },
                Run::plain(" suite\nligne "),
                Run { link: Some("https://x.ma".into()), ..Run::plain("lien") },
                Run::plain(" "),
                Run { image: true, ..Run::plain("logo") },
            ])]
        );
    }

    #[test]
    fn lists_nest_restart_and_keep_their_start() {
        let b = parse("1. un\n2. deux\n   - a\n   - b\n\nTexte.\n\n3. trois\n");
        let item = |t: &str| vec![p(vec![Run::plain(t)])];
        let Block::List { start: Some(1), tight: true, items } = &b[0] else { panic!("{b:?}") };
        assert_eq!(items[0], item("un"));
        assert_eq!(items[1][1], Block::List { start: None, tight: true, items: vec![item("a"), item("b")] });
        assert_eq!(b[2], Block::List { start: Some(3), tight: true, items: vec![item("trois")] });
        let loose = parse("- a\n\n- b\n");
        assert!(matches!(&loose[0], Block::List { tight: false, items, .. } if items.len() == 2));
    }

    #[test]
    fn tables_keep_alignment_and_cell_formatting() {
        let b = parse("A | B\n--|--:\n**1** | 2\n3\n");
        let Block::Table { aligns, header, rows } = &b[0] else { panic!("{b:?}") };
        assert_eq!(aligns, &[Align::None, Align::Right]);
        assert_eq!(plain_text(&header[1]), "B");
        assert!(rows[0][0][0].bold);
        assert_eq!(rows[1], vec![vec![Run::plain("3")], vec![]], "a short row is padded");
    }

    #[test]
    fn page_breaks_and_html() {
        let b = parse("a\n\n<!-- pagebreak -->\n\nb\n\n\\newpage\n\n<div>x</div>\n");
        assert_eq!(b[1], Block::PageBreak);
        assert_eq!(b[3], Block::PageBreak);
        assert_eq!(b[4], p(vec![Run::plain("<div>x</div>")]));
        assert_eq!(headings(&parse("# T\n\n> ## Dans une note\n\n#### Trop bas"), 3), vec![(1, "T".into()), (2, "Dans une note".into())]);
    }

    #[test]
    fn link_targets_follow_their_text_once() {
        let runs = |md: &str| match parse(md).remove(0) {
            Block::Paragraph { runs } => runs,
            b => panic!("{b:?}"),
        };
        let notes = |r: &[Run]| (0..r.len()).filter_map(|i| link_note(r, i)).collect::<Vec<_>>();
        assert_eq!(notes(&runs("Voir [le **portail**](https://x.ma) ici")), vec![" (https://x.ma)"]);
        assert!(notes(&runs("<https://x.ma> et <a@b.ma>")).is_empty());
    }
}
