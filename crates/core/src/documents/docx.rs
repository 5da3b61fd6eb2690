//! .docx to Markdown-ish text: headings as `#`, list items as `- ` or `1. ` (numbering followed),
//! tables as Markdown tables. Read straight from the XML with quick-xml rather than through
//! docx-rs's reader, which is known to panic or loop on some real-world files; the zip entries are
//! size-checked first so a zip bomb is refused, not inflated.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{DocumentError, Limits};

/// Largest XML part inflated from a .docx.
const MAX_PART: u64 = 64 * 1024 * 1024;

pub(super) fn read(path: &Path, bytes: &[u8], _limits: &Limits) -> Result<String, DocumentError> {
    let corrupt = |detail: String| DocumentError::Corrupt { path: path.into(), expected: "Word .docx", detail };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
    let mut part = |name: &str| -> Result<Option<String>, DocumentError> {
        let mut f = match zip.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(corrupt(e.to_string())),
        };
        if f.size() > MAX_PART {
            return Err(corrupt(format!("{name} inflates to {} MB", f.size() / 1_048_576)));
        }
        let mut s = String::new();
        f.by_ref().take(MAX_PART).read_to_string(&mut s).map_err(|e| corrupt(format!("{name}: {e}")))?;
        Ok(Some(s))
    };
    let document = part("word/document.xml")?
        .ok_or_else(|| corrupt("no word/document.xml: it is not a Word document".into()))?;
    let styles = part("word/styles.xml")?.map(|s| paragraph_styles(&s)).unwrap_or_default();
    let numbering = part("word/numbering.xml")?.map(|s| list_formats(&s)).unwrap_or_default();
    let text = body_text(&document, &styles, &numbering).map_err(corrupt)?;
    if text.trim().is_empty() {
        return Err(DocumentError::NoText { path: path.into(), hint: ": the document is empty." });
    }
    Ok(text)
}

fn attr(e: &BytesStart, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// What a paragraph style means for the text: a heading level, or a list (Word's "List Bullet"
/// and "List Number" styles carry their numbering in the style, not in the paragraph).
#[derive(Clone, Debug, Default)]
struct StyleInfo {
    heading: Option<usize>,
    num_id: Option<String>,
    list_bullet: Option<bool>,
}

/// styleId -> what it means, from the style names ("heading 1", "Title", French "Titre 1",
/// "List Bullet", "List Number 2") and the numbering a style carries.
fn paragraph_styles(xml: &str) -> HashMap<String, StyleInfo> {
    let mut out: HashMap<String, StyleInfo> = HashMap::new();
    let mut r = Reader::from_str(xml);
    let mut current: Option<String> = None;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"style" => current = attr(&e, b"styleId"),
                b"name" => {
                    if let (Some(id), Some(name)) = (&current, attr(&e, b"val")) {
                        let info = out.entry(id.clone()).or_default();
                        info.heading = heading_level(&name).or_else(|| heading_level(id));
                        let n = name.to_lowercase();
                        if n.starts_with("list bullet") {
                            info.list_bullet = Some(true);
                        } else if n.starts_with("list number") {
                            info.list_bullet = Some(false);
                        }
                    }
                }
                b"numId" => {
                    if let Some(id) = &current {
                        out.entry(id.clone()).or_default().num_id = attr(&e, b"val").filter(|v| v != "0");
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == b"style" => current = None,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

fn heading_level(name: &str) -> Option<usize> {
    let n = name.to_lowercase().replace(' ', "");
    if n == "title" || n == "titre" {
        return Some(1);
    }
    for prefix in ["heading", "titre", "title"] {
        if let Some(rest) = n.strip_prefix(prefix) {
            if let Ok(l) = rest.parse::<usize>() {
                if (1..=6).contains(&l) {
                    return Some(l);
                }
            }
        }
    }
    None
}

/// numId -> per-level "is bullet".
fn list_formats(xml: &str) -> HashMap<String, Vec<bool>> {
    let mut abstracts: HashMap<String, Vec<bool>> = HashMap::new();
    let mut nums: HashMap<String, String> = HashMap::new();
    let mut r = Reader::from_str(xml);
    let mut cur_abstract: Option<String> = None;
    let mut cur_num: Option<String> = None;
    let mut cur_lvl: usize = 0;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"abstractNum" => cur_abstract = attr(&e, b"abstractNumId"),
                b"lvl" => cur_lvl = attr(&e, b"ilvl").and_then(|v| v.parse().ok()).unwrap_or(0),
                b"numFmt" => {
                    if let Some(a) = &cur_abstract {
                        let bullet = attr(&e, b"val").as_deref() == Some("bullet");
                        let v = abstracts.entry(a.clone()).or_default();
                        if v.len() <= cur_lvl {
                            v.resize(cur_lvl + 1, true);
                        }
                        v[cur_lvl] = bullet;
                    }
                }
                b"num" => cur_num = attr(&e, b"numId"),
                b"abstractNumId" => {
                    if let (Some(n), Some(a)) = (&cur_num, attr(&e, b"val")) {
                        nums.insert(n.clone(), a);
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"abstractNum" => cur_abstract = None,
                b"num" => cur_num = None,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    nums.into_iter().filter_map(|(n, a)| abstracts.get(&a).map(|v| (n, v.clone()))).collect()
}

#[derive(Default)]
struct Para {
    text: String,
    style: Option<String>,
    num_id: Option<String>,
    ilvl: usize,
    outline: Option<usize>,
}

fn body_text(
    xml: &str,
    styles: &HashMap<String, StyleInfo>,
    numbering: &HashMap<String, Vec<bool>>,
) -> Result<String, String> {
    let mut r = Reader::from_str(xml);
    let mut out = String::new();
    let mut para: Option<Para> = None;
    // Table nesting: rows of cells of text; nested tables flatten into their cell.
    let mut tables: Vec<Vec<Vec<String>>> = Vec::new();
    let mut counters: HashMap<(String, usize), usize> = HashMap::new();
    let mut in_text = false;
    let mut in_del = 0usize;
    loop {
        let ev = r.read_event().map_err(|e| format!("word/document.xml: {e}"))?;
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = false;
                let _ = empty;
                match e.local_name().as_ref() {
                    b"p" => para = Some(Para::default()),
                    b"pStyle" => {
                        if let Some(p) = para.as_mut() {
                            p.style = attr(&e, b"val");
                        }
                    }
                    b"numId" => {
                        if let Some(p) = para.as_mut() {
                            p.num_id = attr(&e, b"val").filter(|v| v != "0");
                        }
                    }
                    b"ilvl" => {
                        if let Some(p) = para.as_mut() {
                            p.ilvl = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0);
                        }
                    }
                    b"outlineLvl" => {
                        if let Some(p) = para.as_mut() {
                            p.outline = attr(&e, b"val").and_then(|v| v.parse::<usize>().ok()).map(|l| l + 1);
                        }
                    }
                    b"t" => in_text = true,
                    b"del" => in_del += 1,
                    b"tab" => push_text(&mut para, "\t"),
                    b"br" | b"cr" => push_text(&mut para, "\n"),
                    b"tbl" => tables.push(Vec::new()),
                    b"tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.push(Vec::new());
                        }
                    }
                    b"tc" => {
                        if let Some(row) = tables.last_mut().and_then(|t| t.last_mut()) {
                            row.push(String::new());
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text && in_del == 0 => {
                let s = t.unescape().map_err(|e| e.to_string())?;
                push_text(&mut para, &s);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"del" => in_del = in_del.saturating_sub(1),
                b"p" => {
                    if let Some(p) = para.take() {
                        let line = paragraph_line(&p, styles, numbering, &mut counters);
                        if let Some(cell) = tables.last_mut().and_then(|t| t.last_mut()).and_then(|r| r.last_mut()) {
                            if !p.text.trim().is_empty() {
                                if !cell.is_empty() {
                                    cell.push(' ');
                                }
                                cell.push_str(p.text.trim());
                            }
                        } else if !line.is_empty() {
                            out.push_str(&line);
                            out.push_str("\n\n");
                        }
                    }
                }
                b"tbl" => {
                    if let Some(t) = tables.pop() {
                        let md = table_markdown(&t);
                        if let Some(cell) = tables.last_mut().and_then(|t| t.last_mut()).and_then(|r| r.last_mut()) {
                            cell.push_str(&md.replace('\n', " "));
                        } else if !md.is_empty() {
                            out.push_str(&md);
                            out.push('\n');
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    // Lists: consecutive items were separated by blank lines; tighten them.
    Ok(tighten_lists(&out))
}

fn push_text(para: &mut Option<Para>, s: &str) {
    if let Some(p) = para.as_mut() {
        p.text.push_str(s);
    }
}

fn paragraph_line(
    p: &Para,
    styles: &HashMap<String, StyleInfo>,
    numbering: &HashMap<String, Vec<bool>>,
    counters: &mut HashMap<(String, usize), usize>,
) -> String {
    let text = p.text.trim();
    if text.is_empty() {
        return String::new();
    }
    let style = p.style.as_ref().and_then(|s| styles.get(s));
    let level = style.and_then(|s| s.heading).or_else(|| p.style.as_deref().and_then(heading_level)).or(p.outline);
    if let Some(l) = level {
        return format!("{} {text}", "#".repeat(l.min(6)));
    }
    // The paragraph's own numbering wins over its style's; a list style without numbering
    // definitions still says bullet or number.
    let num = p.num_id.clone().or_else(|| style.and_then(|s| s.num_id.clone()));
    let style_bullet = style.and_then(|s| s.list_bullet);
    if num.is_some() || style_bullet.is_some() {
        let num = num.unwrap_or_else(|| format!("style:{}", p.style.clone().unwrap_or_default()));
        let bullet = numbering.get(&num).and_then(|v| v.get(p.ilvl)).copied().or(style_bullet).unwrap_or(true);
        let indent = "  ".repeat(p.ilvl);
        if bullet {
            return format!("{indent}- {text}");
        }
        // Deeper levels restart when a shallower item comes.
        counters.retain(|(n, l), _| !(*n == num && *l > p.ilvl));
        let c = counters.entry((num, p.ilvl)).or_insert(0);
        *c += 1;
        return format!("{indent}{c}. {text}");
    }
    text.to_string()
}

fn table_markdown(rows: &[Vec<String>]) -> String {
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        out.push('|');
        for c in 0..width {
            let cell = r.get(c).map(|s| s.replace('|', "\\|")).unwrap_or_default();
            out.push_str(&format!(" {cell} |"));
        }
        out.push('\n');
        if i == 0 {
            out.push('|');
            out.push_str(&" --- |".repeat(width));
            out.push('\n');
        }
    }
    out
}

fn tighten_lists(s: &str) -> String {
    let is_item = |l: &str| {
        let t = l.trim_start();
        t.starts_with("- ") || t.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    };
    let lines: Vec<&str> = s.lines().collect();
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if l.is_empty() && i > 0 && i + 1 < lines.len() && is_item(lines[i - 1]) && is_item(lines[i + 1]) {
            continue;
        }
        out.push_str(l);
        out.push('\n');
    }
    out.trim().to_string()
}
