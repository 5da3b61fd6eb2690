//! The administration's own Word letterhead, filled in: `{{objet}}`, `{{corps}}`, `{{date}}`,
//! `{{destinataire}}`... in word/document.xml and in every header and footer are replaced, and
//! everything else in the file (styles, headers, footers, logos, fields, section settings) is
//! copied byte for byte.
//!
//! Word often splits what the user typed as `{{objet}}` over several runs (spell-check marks,
//! an edit in the middle): placeholders are looked for in the text of a whole paragraph, the
//! replacement goes into the run where the placeholder starts (so it takes that run's
//! formatting) and the rest of the placeholder is removed from the runs that follow.
//! A paragraph that holds `{{corps}}` alone becomes the body's paragraphs, lists and tables, each
//! with that paragraph's style and run formatting.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::markdown::md_options;
use super::{labels, ooxml, place_and_date, ExportDoc, ExportError};
use crate::Lang;

/// The largest letterhead accepted.
const MAX_BYTES: u64 = 50 * 1024 * 1024;

/// The placeholders a letterhead may hold, and what fills them.
pub const PLACEHOLDERS: &[&str] = &[
    "corps", "objet", "date", "lieu_date", "ville", "date_hegire", "destinataire", "expediteur", "reference", "ref",
    "pj", "signataire", "signature_nom", "copies", "titre",
];

/// Fills the letterhead `template` with `doc` and writes the result to `out`, atomically.
pub fn fill_letterhead(template: &Path, doc: &ExportDoc, out: &Path, overwrite: bool) -> Result<(), ExportError> {
    if !overwrite && out.exists() {
        return Err(ExportError::Exists { path: out.into() });
    }
    if doc.markdown.trim().is_empty() {
        return Err(ExportError::Empty);
    }
    let bytes = read_template(template)?;
    let filled = fill(template, &bytes, doc)?;
    super::save(out, &filled, overwrite)
}

/// Checks that `template` can be filled (a readable .docx with a `{{corps}}` placeholder),
/// without writing anything: callers check it before spending a generation.
pub fn check_letterhead(template: &Path) -> Result<(), ExportError> {
    let bytes = read_template(template)?;
    fill(template, &bytes, &ExportDoc::new("-", Lang::Fr, crate::kinds::OutputKind::Letter)).map(|_| ())
}

fn bad(path: &Path, reason: impl Into<String>) -> ExportError {
    ExportError::Letterhead { path: path.into(), reason: reason.into() }
}

fn read_template(path: &Path) -> Result<Vec<u8>, ExportError> {
    let meta = std::fs::metadata(path).map_err(|e| bad(path, format!("cannot read it: {e}")))?;
    if meta.len() > MAX_BYTES {
        return Err(bad(path, format!("it is {} MB; a letterhead is at most {} MB", meta.len() / (1024 * 1024), MAX_BYTES / (1024 * 1024))));
    }
    std::fs::read(path).map_err(|e| bad(path, format!("cannot read it: {e}")))
}

/// The value of each placeholder, from the letter's fields and the settings.
fn values(doc: &ExportDoc) -> HashMap<&'static str, String> {
    let l = doc.letter.clone().unwrap_or_default();
    let lh = doc.letterhead.clone().unwrap_or_default();
    let lab = labels(doc.lang);
    let mut v: HashMap<&'static str, String> = HashMap::new();
    let date_words = l.date.as_deref().map(|d| {
        let w = place_and_date(None, d, doc.lang);
        w.strip_prefix("Le ").map(str::to_string).unwrap_or(w)
    });
    v.insert("date", date_words.unwrap_or_default());
    v.insert("lieu_date", l.date.as_deref().map(|d| place_and_date(l.ville.as_deref(), d, doc.lang)).unwrap_or_default());
    v.insert("date_hegire", l.date.as_deref().and_then(super::hijri_date).unwrap_or_default());
    v.insert("ville", l.ville.clone().unwrap_or_default());
    v.insert("objet", l.objet.clone().unwrap_or_default());
    v.insert("destinataire", l.destinataire.clone().unwrap_or_default());
    v.insert("expediteur", l.expediteur.clone().unwrap_or_default());
    v.insert("reference", l.reference.clone().unwrap_or_default());
    v.insert("ref", l.their_ref.clone().unwrap_or_default());
    v.insert("pj", l.pieces_jointes.clone().unwrap_or_default());
    v.insert("signataire", l.signataire.clone().unwrap_or_default());
    v.insert("signature_nom", lh.signature_name.clone().unwrap_or_default());
    v.insert("copies", l.copies.as_deref().map(|c| format!("{} :\n{c}", lab.copies)).unwrap_or_default());
    v.insert("titre", doc.title.clone().unwrap_or_default());
    v
}

fn fill(path: &Path, bytes: &[u8], doc: &ExportDoc) -> Result<Vec<u8>, ExportError> {
    // An encrypted Office file is an OLE container holding an "EncryptedPackage" stream.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let needle = utf16("EncryptedPackage");
        let encrypted = bytes.windows(needle.len()).any(|w| w == needle.as_slice());
        return Err(bad(
            path,
            if encrypted {
                "it is password-protected: save a copy without a password (File > Info > Protect Document) and use that"
            } else {
                "it is an old binary Word file (.doc): save it as .docx"
            },
        ));
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(bad(path, "it is not a Word .docx file (not a zip package): the file is damaged or another format"));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(path, format!("it is damaged ({e}): open it in Word and save it again")))?;
    if zip.by_name("word/document.xml").is_err() {
        return Err(bad(path, "it has no word/document.xml: it is not a Word document"));
    }
    let vals = values(doc);
    let body = Body::from_markdown(doc.markdown, doc.lang);
    let mut parts: HashMap<String, String> = HashMap::new();
    let mut found = Found::default();
    for i in 0..zip.len() {
        let name = zip.by_index_raw(i).map_err(|e| bad(path, format!("it is damaged ({e})")))?.name().to_string();
        let is_text_part = name == "word/document.xml"
            || (name.starts_with("word/header") || name.starts_with("word/footer")) && name.ends_with(".xml");
        if !is_text_part {
            continue;
        }
        let mut xml = String::new();
        zip.by_index(i)
            .map_err(|e| bad(path, format!("it is damaged ({e})")))?
            .read_to_string(&mut xml)
            .map_err(|e| bad(path, format!("{name} cannot be read ({e}): the file is damaged")))?;
        let filled = fill_part(&xml, &vals, &body, doc.lang, &mut found);
        if filled != xml {
            parts.insert(name, ooxml::fix(&filled, ooxml::Fixes::default()));
        }
    }
    if found.total == 0 {
        return Err(bad(
            path,
            "it has no placeholder: type {{corps}} where the letter's body goes (and {{objet}}, {{date}}, {{destinataire}}, {{reference}}, {{signataire}}... where those go)",
        ));
    }
    if !found.corps {
        return Err(bad(path, "it has no {{corps}} placeholder: the letter's body would be lost. Type {{corps}} alone on the line where the body goes"));
    }
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len() + doc.markdown.len() * 2)));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let werr = |e: zip::result::ZipError| ExportError::Write { path: path.into(), detail: e.to_string() };
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| bad(path, format!("it is damaged ({e})")))?;
        let name = entry.name().to_string();
        match parts.get(&name) {
            Some(xml) => {
                drop(entry);
                w.start_file(name.as_str(), opts).map_err(werr)?;
                w.write_all(xml.as_bytes()).map_err(|e| ExportError::Write { path: path.into(), detail: e.to_string() })?;
            }
            None => w.raw_copy_file(entry).map_err(werr)?,
        }
    }
    Ok(w.finish().map_err(werr)?.into_inner())
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

#[derive(Default)]
struct Found {
    total: usize,
    corps: bool,
}

/// A text node (`<w:t>`) of the part: where its text is, and which paragraph it belongs to.
struct Node {
    text_start: usize,
    text_end: usize,
    group: usize,
}

/// A paragraph: its byte range and whether it contains another paragraph (text boxes).
struct Para {
    start: usize,
    end: usize,
    group: usize,
}

fn fill_part(xml: &str, vals: &HashMap<&'static str, String>, body: &Body, lang: Lang, found: &mut Found) -> String {
    // 1. Text nodes, grouped by paragraph (any paragraph start or end closes a group).
    let mut nodes: Vec<Node> = Vec::new();
    let mut paras: Vec<Para> = Vec::new();
    let mut open_paras: Vec<(usize, usize, bool)> = Vec::new(); // (start, group, has_child)
    let mut group = 0usize;
    let mut i = 0;
    while let Some(off) = xml[i..].find('<') {
        let at = i + off;
        let Some(gt) = xml[at..].find('>') else { break };
        let tag = &xml[at..at + gt + 1];
        i = at + gt + 1;
        if tag == "<w:p>" || tag.starts_with("<w:p ") {
            if let Some(parent) = open_paras.last_mut() {
                parent.2 = true;
            }
            group += 1;
            if !tag.ends_with("/>") {
                open_paras.push((at, group, false));
            }
        } else if tag == "</w:p>" {
            if let Some((start, g, nested)) = open_paras.pop() {
                if !nested {
                    paras.push(Para { start, end: i, group: g });
                }
            }
            group += 1;
        } else if (tag == "<w:t>" || tag.starts_with("<w:t ")) && !tag.ends_with("/>") {
            let text_start = i;
            let Some(close) = xml[i..].find("</w:t>") else { break };
            nodes.push(Node { text_start, text_end: i + close, group });
            i += close;
        }
    }
    // 2. Per group, the placeholders in the joined text.
    let mut new_text: HashMap<usize, String> = HashMap::new(); // node index -> raw XML content
    let mut replace_para: Vec<(usize, usize, String)> = Vec::new();
    let mut k = 0;
    while k < nodes.len() {
        let g = nodes[k].group;
        let mut end = k;
        while end < nodes.len() && nodes[end].group == g {
            end += 1;
        }
        let texts: Vec<String> = nodes[k..end].iter().map(|n| unescape(&xml[n.text_start..n.text_end])).collect();
        let joined: String = texts.concat();
        if joined.contains("{{") {
            let matches = find_placeholders(&joined);
            let known: Vec<&(usize, usize, String)> = matches.iter().filter(|m| vals.contains_key(m.2.as_str()) || m.2 == "corps").collect();
            if !known.is_empty() {
                found.total += known.len();
                if known.iter().any(|m| m.2 == "corps") {
                    found.corps = true;
                }
                let para = paras.iter().find(|p| p.group == g);
                let alone = known.len() == 1 && joined[..known[0].0].trim().is_empty() && joined[known[0].1..].trim().is_empty();
                if let Some(p) = para.filter(|_| alone && known[0].2 == "corps") {
                    replace_para.push((p.start, p.end, body.to_xml(&xml[p.start..p.end], lang)));
                } else {
                    // Rebuild each node's text: keep characters outside placeholders, put each
                    // value where its placeholder starts.
                    let mut starts = vec![0usize; texts.len()];
                    let mut acc = 0;
                    for (n, t) in texts.iter().enumerate() {
                        starts[n] = acc;
                        acc += t.len();
                    }
                    for (n, t) in texts.iter().enumerate() {
                        let (a, b) = (starts[n], starts[n] + t.len());
                        let mut out = String::new();
                        let mut pos = a;
                        for m in &known {
                            if m.1 <= a || m.0 >= b {
                                continue;
                            }
                            if m.0 > pos {
                                out.push_str(&escape(&joined[pos..m.0]));
                            }
                            if m.0 >= a {
                                let v = if m.2 == "corps" { body.plain.clone() } else { vals[m.2.as_str()].clone() };
                                out.push_str(&multiline(&v));
                            }
                            pos = m.1.min(b);
                        }
                        if pos < b {
                            out.push_str(&escape(&joined[pos..b]));
                        }
                        if out != xml[nodes[k + n].text_start..nodes[k + n].text_end] {
                            new_text.insert(k + n, out);
                        }
                    }
                }
            }
        }
        k = end;
    }
    if new_text.is_empty() && replace_para.is_empty() {
        return xml.to_string();
    }
    // 3. Rewrite.
    let mut out = String::with_capacity(xml.len() + body.plain.len() * 2);
    let mut pos = 0;
    let mut edits: Vec<(usize, usize, String)> = replace_para;
    for (n, t) in new_text {
        let node = &nodes[n];
        // The opening tag must preserve spaces now that the text changed.
        let open_start = xml[..node.text_start].rfind("<w:t").unwrap_or(node.text_start);
        edits.push((open_start, node.text_end, format!("<w:t xml:space=\"preserve\">{t}")));
    }
    edits.sort_by_key(|e| e.0);
    for (a, b, s) in edits {
        if a < pos {
            continue; // inside a paragraph already replaced
        }
        out.push_str(&xml[pos..a]);
        out.push_str(&s);
        pos = b;
    }
    out.push_str(&xml[pos..]);
    out
}

/// `{{ name }}` occurrences: (start, end, lowercased name), byte offsets in `s`.
fn find_placeholders(s: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = s[i..].find("{{") {
        let a = i + off;
        let Some(len) = s[a + 2..].find("}}") else { break };
        let inner = s[a + 2..a + 2 + len].trim();
        let b = a + 2 + len + 2;
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            out.push((a, b, inner.to_ascii_lowercase()));
            i = b;
        } else {
            i = a + 2;
        }
    }
    out
}

fn unescape(s: &str) -> String {
    quick_xml::escape::unescape(s).map(|c| c.into_owned()).unwrap_or_else(|_| s.to_string())
}

fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// A field value's lines (trimmed), separated by line breaks inside the run.
fn multiline(v: &str) -> String {
    let lines: Vec<String> = v.trim().lines().map(|l| escape(l.trim())).collect();
    lines.join("</w:t><w:br/><w:t xml:space=\"preserve\">")
}

/// Body text as written (spaces kept), hard breaks as line breaks.
fn run_text(v: &str) -> String {
    escape(v).replace('\n', "</w:t><w:br/><w:t xml:space=\"preserve\">")
}

/// The body, ready to replace a `{{corps}}` paragraph.
struct Body {
    blocks: Vec<Block>,
    /// The body as plain text, for a `{{corps}}` that shares its paragraph with other text.
    plain: String,
}

enum Block {
    Para { runs: Vec<(String, bool, bool)>, heading: bool },
    Table { rows: Vec<Vec<String>> },
}

impl Body {
    fn from_markdown(md: &str, lang: Lang) -> Body {
        let mut blocks = Vec::new();
        let mut runs: Vec<(String, bool, bool)> = Vec::new();
        let (mut bold, mut italic, mut heading) = (false, false, false);
        let mut lists: Vec<Option<u64>> = Vec::new();
        let mut table: Option<Vec<Vec<String>>> = None;
        let mut cell: Option<String> = None;
        let rtl = lang.is_rtl();
        let fix = |t: &str| if rtl { ooxml::bidi_text(t).into_owned() } else { t.to_string() };
        let flush = |runs: &mut Vec<(String, bool, bool)>, blocks: &mut Vec<Block>, heading: bool| {
            if runs.iter().any(|r| !r.0.trim().is_empty()) {
                blocks.push(Block::Para { runs: std::mem::take(runs), heading });
            }
            runs.clear();
        };
        for ev in Parser::new_ext(md, md_options()) {
            match ev {
                Event::Start(Tag::Heading { .. }) => heading = true,
                Event::End(TagEnd::Heading(_)) => {
                    flush(&mut runs, &mut blocks, true);
                    heading = false;
                }
                Event::End(TagEnd::Paragraph) if table.is_none() => flush(&mut runs, &mut blocks, heading),
                Event::Start(Tag::List(s)) => {
                    flush(&mut runs, &mut blocks, false);
                    lists.push(s);
                }
                Event::End(TagEnd::List(_)) => {
                    lists.pop();
                }
                Event::Start(Tag::Item) => {
                    flush(&mut runs, &mut blocks, false);
                    let indent = "    ".repeat(lists.len().saturating_sub(1));
                    let marker = match lists.last_mut() {
                        Some(Some(n)) => {
                            *n += 1;
                            format!("{indent}{}. ", *n - 1)
                        }
                        _ => format!("{indent}– "),
                    };
                    runs.push((marker, false, false));
                }
                Event::End(TagEnd::Item) => flush(&mut runs, &mut blocks, false),
                Event::Start(Tag::Table(_)) => table = Some(Vec::new()),
                Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                    if let Some(t) = table.as_mut() {
                        t.push(Vec::new());
                    }
                }
                Event::Start(Tag::TableCell) => cell = Some(String::new()),
                Event::End(TagEnd::TableCell) => {
                    if let (Some(t), Some(c)) = (table.as_mut(), cell.take()) {
                        if let Some(r) = t.last_mut() {
                            r.push(fix(c.trim()));
                        }
                    }
                }
                Event::End(TagEnd::Table) => {
                    if let Some(rows) = table.take() {
                        blocks.push(Block::Table { rows });
                    }
                }
                Event::Start(Tag::Strong) => bold = true,
                Event::End(TagEnd::Strong) => bold = false,
                Event::Start(Tag::Emphasis) => italic = true,
                Event::End(TagEnd::Emphasis) => italic = false,
                Event::Text(t) | Event::Code(t) => match cell.as_mut() {
                    Some(c) => c.push_str(&t),
                    None => runs.push((fix(&t), bold, italic)),
                },
                Event::SoftBreak => runs.push((" ".into(), bold, italic)),
                Event::HardBreak => runs.push(("\n".into(), bold, italic)),
                _ => {}
            }
        }
        flush(&mut runs, &mut blocks, heading);
        let plain = blocks
            .iter()
            .map(|b| match b {
                Block::Para { runs, .. } => runs.iter().map(|r| r.0.as_str()).collect::<String>(),
                Block::Table { rows } => rows.iter().map(|r| r.join(" | ")).collect::<Vec<_>>().join("\n"),
            })
            .collect::<Vec<_>>()
            .join("\n");
        Body { blocks, plain }
    }

    /// The body's XML in place of `para` (the `{{corps}}` paragraph), with its paragraph and run
    /// properties.
    fn to_xml(&self, para: &str, lang: Lang) -> String {
        let ppr = element(para, "w:pPr").unwrap_or_default();
        let ppr = if lang.is_rtl() && !ppr.contains("<w:bidi") {
            if ppr.is_empty() {
                "<w:pPr><w:bidi/></w:pPr>".to_string()
            } else {
                insert_after_style(&ppr, "<w:bidi/>")
            }
        } else {
            ppr
        };
        // The first run's properties (not the paragraph mark's, inside pPr).
        let after_ppr = para.find("</w:pPr>").map(|i| &para[i..]).unwrap_or(para);
        let rpr = element(after_ppr, "w:rPr").unwrap_or_default();
        let mut out = String::new();
        for b in &self.blocks {
            match b {
                Block::Para { runs, heading } => {
                    out.push_str("<w:p>");
                    out.push_str(&ppr);
                    for (text, bold, italic) in runs {
                        out.push_str("<w:r>");
                        out.push_str(&run_props(&rpr, *bold || *heading, *italic));
                        out.push_str("<w:t xml:space=\"preserve\">");
                        out.push_str(&run_text(text));
                        out.push_str("</w:t></w:r>");
                    }
                    out.push_str("</w:p>");
                }
                Block::Table { rows } => out.push_str(&table_xml(rows, &rpr, lang)),
            }
        }
        out
    }
}

/// `<name ...>...</name>` or `<name/>`: the first such element of `xml`.
fn element(xml: &str, name: &str) -> Option<String> {
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

fn insert_after_style(ppr: &str, what: &str) -> String {
    if ppr.ends_with("/>") && !ppr.contains("</w:pPr>") {
        return format!("<w:pPr>{what}</w:pPr>");
    }
    let at = match element(ppr, "w:pStyle") {
        Some(s) => ppr.find(&s).map(|i| i + s.len()).unwrap_or(7),
        None => "<w:pPr>".len(),
    };
    format!("{}{what}{}", &ppr[..at], &ppr[at..])
}

fn run_props(rpr: &str, bold: bool, italic: bool) -> String {
    let mut extra = String::new();
    if bold && !rpr.contains("<w:b/>") && !rpr.contains("<w:b />") {
        extra.push_str("<w:b/><w:bCs/>");
    }
    if italic && !rpr.contains("<w:i/>") && !rpr.contains("<w:i />") {
        extra.push_str("<w:i/><w:iCs/>");
    }
    if extra.is_empty() {
        return rpr.to_string();
    }
    if rpr.is_empty() || (rpr.ends_with("/>") && !rpr.contains("</w:rPr>")) {
        return format!("<w:rPr>{extra}</w:rPr>");
    }
    // Bold and italic come early in rPr, after the style and fonts.
    let mut at = rpr.find('>').map(|i| i + 1).unwrap_or(0);
    for first in ["w:rStyle", "w:rFonts"] {
        if let Some(e) = element(&rpr[at..], first) {
            if rpr[at..].starts_with(&e) {
                at += e.len();
            }
        }
    }
    format!("{}{extra}{}", &rpr[..at], &rpr[at..])
}

/// A bordered table, header row bold and repeated on each page.
fn table_xml(rows: &[Vec<String>], rpr: &str, lang: Lang) -> String {
    let cols = rows.iter().map(|r| r.len()).max().unwrap_or(0).max(1);
    let b = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"";
    let mut x = String::from("<w:tbl><w:tblPr>");
    if lang.is_rtl() {
        x.push_str("<w:bidiVisual/>");
    }
    x.push_str(&format!(
        "<w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders><w:top {b}/><w:left {b}/><w:bottom {b}/><w:right {b}/><w:insideH {b}/><w:insideV {b}/></w:tblBorders></w:tblPr><w:tblGrid>"
    ));
    for _ in 0..cols {
        x.push_str(&format!("<w:gridCol w:w=\"{}\"/>", 9000 / cols));
    }
    x.push_str("</w:tblGrid>");
    for (i, r) in rows.iter().enumerate() {
        x.push_str("<w:tr>");
        if i == 0 {
            x.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        for c in 0..cols {
            let text = r.get(c).map(String::as_str).unwrap_or("");
            x.push_str("<w:tc><w:p>");
            if lang.is_rtl() {
                x.push_str("<w:pPr><w:bidi/></w:pPr>");
            }
            x.push_str("<w:r>");
            x.push_str(&run_props(rpr, i == 0, false));
            x.push_str(&format!("<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:tc>", escape(text)));
        }
        x.push_str("</w:tr>");
    }
    // A paragraph after the table: a table cell must end with one, and Word wants one between
    // two tables.
    x.push_str("</w:tbl><w:p/>");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals() -> HashMap<&'static str, String> {
        let mut v = HashMap::new();
        v.insert("objet", "Éclairage & voirie".to_string());
        v.insert("destinataire", "Monsieur X\nOujda".to_string());
        v
    }

    #[test]
    fn split_placeholders_are_found() {
        let xml = "<w:body><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Objet : {{ob</w:t></w:r><w:r><w:t>jet}}</w:t></w:r><w:r><w:t xml:space=\"preserve\"> fin</w:t></w:r></w:p></w:body>";
        let mut found = Found::default();
        let body = Body::from_markdown("Texte", Lang::Fr);
        let out = fill_part(xml, &vals(), &body, Lang::Fr, &mut found);
        assert_eq!(found.total, 1);
        assert_eq!(
            out,
            "<w:body><w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">Objet : Éclairage &amp; voirie</w:t></w:r><w:r><w:t xml:space=\"preserve\"></w:t></w:r><w:r><w:t xml:space=\"preserve\"> fin</w:t></w:r></w:p></w:body>"
        );
    }

    #[test]
    fn corps_paragraph_becomes_the_body() {
        let xml = "<w:p><w:pPr><w:pStyle w:val=\"Corps\"/></w:pPr><w:r><w:rPr><w:sz w:val=\"24\"/></w:rPr><w:t>{{corps}}</w:t></w:r></w:p><w:p><w:r><w:t>{{destinataire}}</w:t></w:r></w:p>";
        let mut found = Found::default();
        let body = Body::from_markdown("Monsieur,\n\nUn **point**.\n\n- a\n- b", Lang::Fr);
        let out = fill_part(xml, &vals(), &body, Lang::Fr, &mut found);
        assert!(found.corps);
        assert_eq!(out.matches("<w:pStyle w:val=\"Corps\"/>").count(), 4, "{out}");
        assert!(out.contains("<w:rPr><w:b/><w:bCs/><w:sz w:val=\"24\"/></w:rPr><w:t xml:space=\"preserve\">point</w:t>"), "{out}");
        assert!(out.contains("– </w:t>"), "{out}");
        assert!(out.contains("Monsieur X</w:t><w:br/><w:t xml:space=\"preserve\">Oujda"), "{out}");
    }
}
