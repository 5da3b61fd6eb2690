//! The combined document for printing: every letter of a merge in one .docx, each in its own
//! section starting on a new page (as Word's own mail-merge writes "individual documents"), so a
//! letter keeps its page setup, its letterhead headers and a first page of its own.
//!
//! The letters are whole .docx packages from the same export; the first gives the package (styles,
//! settings, fonts, media); each letter's body is appended with what would otherwise collide
//! renamed: its list instances (a numbered list starts again at 1 in every letter), its drawing
//! ids, its relationships (an image or a link the first letter does not have is added). Bodies
//! are streamed into the archive one after the other: memory does not grow with the number of
//! letters. Written to a temporary file beside the target, renamed when complete.

use std::collections::HashMap;
use std::io::{BufWriter, Cursor, Read, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::error::{MergeError, Result};

const DOCUMENT: &str = "word/document.xml";
const NUMBERING: &str = "word/numbering.xml";
const RELS: &str = "word/_rels/document.xml.rels";
const TYPES: &str = "[Content_Types].xml";

fn docx_err(e: impl std::fmt::Display) -> MergeError {
    MergeError::Docx(e.to_string())
}

/// A relationship of document.xml.
#[derive(Clone, Debug, PartialEq)]
struct Rel {
    id: String,
    kind: String,
    target: String,
    external: bool,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let pat = format!(" {name}=\"");
    let at = tag.find(&pat)? + pat.len();
    let end = tag[at..].find('"')? + at;
    Some(tag[at..end].to_string())
}

fn parse_rels(xml: &str) -> Vec<Rel> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<Relationship ") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        let tag = &rest[at..end];
        if let (Some(id), Some(kind), Some(target)) = (attr(tag, "Id"), attr(tag, "Type"), attr(tag, "Target")) {
            out.push(Rel { id, kind, target, external: attr(tag, "TargetMode").is_some_and(|m| m == "External") });
        }
        rest = &rest[end..];
    }
    out
}

fn rels_xml(rels: &[Rel]) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    for r in rels {
        s.push_str(&format!("<Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"{} />", r.id, r.kind, r.target, if r.external { " TargetMode=\"External\"" } else { "" }));
    }
    s.push_str("</Relationships>");
    s
}

/// The `<w:num>` elements of a numbering part, by id.
fn nums(xml: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<w:num ").or_else(|| rest.find("<w:num>")) {
        let Some(close) = rest[at..].find("</w:num>").map(|c| at + c + "</w:num>".len()) else { break };
        let el = &rest[at..close];
        let open_end = el.find('>').unwrap_or(el.len());
        if let Some(id) = attr(&el[..open_end], "w:numId").and_then(|v| v.parse().ok()) {
            out.push((id, el.to_string()));
        }
        rest = &rest[close..];
    }
    out
}

/// The list definitions (everything before the first `<w:num`): they must be the same in every letter.
fn abstracts(xml: &str) -> &str {
    let start = xml.find("<w:abstractNum").unwrap_or(0);
    let end = xml.find("<w:num ").or_else(|| xml.find("<w:num>")).unwrap_or(xml.len()).max(start);
    &xml[start..end]
}

/// Replaces each `{prefix}N"` whose N is in `map`.
fn remap_attr<T: Copy + std::str::FromStr + std::fmt::Display + Eq + std::hash::Hash>(xml: &str, prefix: &str, map: &mut dyn FnMut(T) -> Option<T>) -> String {
    remap_values(xml, prefix, &mut |value| value.parse::<T>().ok().and_then(&mut *map).map(|v| v.to_string()))
}

/// Replaces each `{prefix}VALUE"` by what `new` gives for VALUE (kept when it gives nothing).
fn remap_values(xml: &str, prefix: &str, new: &mut dyn FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(xml.len() + 64);
    let mut rest = xml;
    while let Some(at) = rest.find(prefix) {
        let start = at + prefix.len();
        out.push_str(&rest[..start]);
        let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
        let value = &rest[start..end];
        match new(value) {
            Some(v) => out.push_str(&v),
            None => out.push_str(value),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A letter's document.xml cut into what precedes the body, the body, and its final section.
struct Cut<'a> {
    head: &'a str,
    body: &'a str,
    sect: &'a str,
    tail: &'a str,
}

fn cut(xml: &str) -> Result<Cut<'_>> {
    let b = xml.find("<w:body>").ok_or_else(|| docx_err("a letter has no <w:body>"))? + "<w:body>".len();
    let s = xml.rfind("<w:sectPr").filter(|s| *s >= b).ok_or_else(|| docx_err("a letter has no section properties"))?;
    let s_end = xml[s..].find("</w:sectPr>").map(|e| s + e + "</w:sectPr>".len()).ok_or_else(|| docx_err("unclosed section properties"))?;
    Ok(Cut { head: &xml[..b], body: &xml[b..s], sect: &xml[s..s_end], tail: &xml[s_end..] })
}

/// `body` ending a section with `sect`: the properties go into its last paragraph (a table at
/// the end gets an empty paragraph after it).
fn with_section(body: &str, sect: &str) -> String {
    let trimmed = body.trim_end();
    if trimmed.ends_with("</w:p>") {
        let start = trimmed.rfind("<w:p>").into_iter().chain(trimmed.rfind("<w:p ")).max();
        if let Some(p) = start {
            let open_end = trimmed[p..].find('>').map_or(trimmed.len(), |e| p + e + 1);
            let para = &trimmed[p..];
            let mut out = String::with_capacity(body.len() + sect.len() + 32);
            out.push_str(&trimmed[..open_end]);
            let inner = &trimmed[open_end..];
            if let Some(rest) = inner.strip_prefix("<w:pPr>") {
                if let Some(close) = rest.find("</w:pPr>") {
                    out.push_str("<w:pPr>");
                    out.push_str(&rest[..close]);
                    out.push_str(sect);
                    out.push_str(&rest[close..]);
                    return out;
                }
            }
            for empty in ["<w:pPr />", "<w:pPr/>"] {
                if let Some(rest) = inner.strip_prefix(empty) {
                    out.push_str("<w:pPr>");
                    out.push_str(sect);
                    out.push_str("</w:pPr>");
                    out.push_str(rest);
                    return out;
                }
            }
            let _ = para;
            out.push_str("<w:pPr>");
            out.push_str(sect);
            out.push_str("</w:pPr>");
            out.push_str(inner);
            return out;
        }
    }
    format!("{trimmed}<w:p><w:pPr>{sect}</w:pPr></w:p>")
}

/// The combined document being written.
pub struct Combined {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
    zip: Option<ZipWriter<BufWriter<std::fs::File>>>,
    numbering: String,
    abstracts: String,
    rels: Vec<Rel>,
    /// Internal parts of the package: name -> (crc32, size), to tell a letter's image from one
    /// already there.
    parts: HashMap<String, (u32, u64)>,
    new_parts: Vec<(String, Vec<u8>)>,
    types: String,
    tail: String,
    /// The previous letter's body and section, written once the next one is known.
    pending: Option<(String, String)>,
    next_num: u32,
    next_drawing: u32,
    next_rel: u32,
    extra_nums: String,
    letters: usize,
}

fn read(z: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>> {
    let Ok(mut f) = z.by_name(name) else { return Ok(None) };
    let mut s = String::new();
    f.read_to_string(&mut s).map_err(docx_err)?;
    Ok(Some(s))
}

impl Combined {
    /// Starts the combined document at `path` from the first letter's package.
    pub fn create(path: &Path, first: &[u8]) -> Result<Combined> {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new().prefix(".katib-").suffix(".tmp").tempfile_in(dir).map_err(|e| MergeError::io(dir, e))?;
        let file = tmp.reopen().map_err(|e| MergeError::io(tmp.path(), e))?;
        let mut zip = ZipWriter::new(BufWriter::with_capacity(1 << 20, file));
        let mut z = ZipArchive::new(Cursor::new(first)).map_err(docx_err)?;
        let xml = read(&mut z, DOCUMENT)?.ok_or_else(|| docx_err("the first letter has no document.xml"))?;
        let numbering = read(&mut z, NUMBERING)?.unwrap_or_default();
        let rels = parse_rels(&read(&mut z, RELS)?.unwrap_or_default());
        let types = read(&mut z, TYPES)?.unwrap_or_default();
        let mut parts = HashMap::new();
        let skip = [DOCUMENT, NUMBERING, RELS, TYPES];
        for k in 0..z.len() {
            let f = z.by_index_raw(k).map_err(docx_err)?;
            let name = f.name().to_string();
            parts.insert(name.clone(), (f.crc32(), f.size()));
            if skip.contains(&name.as_str()) {
                continue;
            }
            zip.raw_copy_file(f).map_err(docx_err)?;
        }
        let c = cut(&xml)?;
        let head = c.head.to_string();
        let tail = format!("{}{}", c.sect, c.tail);
        let max_num = nums(&numbering).iter().map(|(n, _)| *n).max().unwrap_or(0);
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).compression_level(Some(1));
        zip.start_file(DOCUMENT, opts).map_err(docx_err)?;
        zip.write_all(head.as_bytes()).map_err(|e| MergeError::io(tmp.path(), e))?;
        let abstracts = abstracts(&numbering).to_string();
        let mut combined = Combined {
            path: path.into(),
            tmp,
            zip: Some(zip),
            numbering,
            abstracts,
            rels,
            parts,
            new_parts: Vec::new(),
            types,
            tail,
            pending: None,
            next_num: max_num.max(999) + 1,
            next_drawing: 10_000,
            next_rel: 1,
            extra_nums: String::new(),
            letters: 0,
        };
        combined.push_first(&xml)?;
        Ok(combined)
    }

    fn push_first(&mut self, xml: &str) -> Result<()> {
        let c = cut(xml)?;
        self.pending = Some((c.body.to_string(), c.sect.to_string()));
        self.letters = 1;
        Ok(())
    }

    fn write_pending(&mut self, last: bool) -> Result<()> {
        if let Some((body, sect)) = self.pending.take() {
            let text = if last { body } else { with_section(&body, &sect) };
            let zip = self.zip.as_mut().ok_or_else(|| docx_err("already finished"))?;
            zip.write_all(text.as_bytes()).map_err(|e| MergeError::io(&self.path, e))?;
        }
        Ok(())
    }

    /// Appends the next letter (a whole .docx from the same export as the first).
    pub fn push(&mut self, letter: &[u8]) -> Result<()> {
        let mut z = ZipArchive::new(Cursor::new(letter)).map_err(docx_err)?;
        let xml = read(&mut z, DOCUMENT)?.ok_or_else(|| docx_err("a letter has no document.xml"))?;
        let numbering = read(&mut z, NUMBERING)?.unwrap_or_default();
        if abstracts(&numbering) != self.abstracts {
            return Err(docx_err("the letters do not share their list definitions: they cannot be combined"));
        }
        let rels = parse_rels(&read(&mut z, RELS)?.unwrap_or_default());
        let c = cut(&xml)?;
        // Its list instances, renumbered: each letter's lists start again.
        let mut num_map = HashMap::new();
        for (id, el) in nums(&numbering) {
            let new = self.next_num;
            self.next_num += 1;
            num_map.insert(id, new);
            let open_end = el.find('>').unwrap_or(el.len());
            let renamed = format!("{}{}", remap_attr::<u32>(&el[..open_end], "w:numId=\"", &mut |_| Some(new)), &el[open_end..]);
            self.extra_nums.push_str(&renamed);
        }
        let mut body = remap_attr::<u32>(c.body, "<w:numId w:val=\"", &mut |n| num_map.get(&n).copied());
        body = remap_attr::<u32>(&body, "<wp:docPr id=\"", &mut |_| {
            self.next_drawing += 1;
            Some(self.next_drawing)
        });
        // Its relationships: the same target as one the package has keeps that one's id.
        let mut rel_map: HashMap<String, String> = HashMap::new();
        for r in &rels {
            // Pictures are named from a counter in each letter: the same image under another
            // name is the same part (compared by size and CRC, from the zip directory).
            let mine = (!r.external).then(|| format!("word/{}", r.target.trim_start_matches('/'))).and_then(|name| z.by_name(&name).ok().map(|f| (f.crc32(), f.size())));
            let same = self.rels.iter().find(|b| {
                b.kind == r.kind
                    && b.external == r.external
                    && if r.external {
                        b.target == r.target
                    } else {
                        let theirs = self.parts.get(&format!("word/{}", b.target.trim_start_matches('/'))).copied();
                        match (mine, theirs) {
                            (Some(m), Some(t)) => m == t,
                            // A relationship to no part of the letter (a styles part, say): by target.
                            (None, _) => b.target == r.target,
                            _ => false,
                        }
                    }
            });
            let id = match same {
                Some(b) => b.id.clone(),
                None => {
                    let id = format!("rIdKm{}", self.next_rel);
                    self.next_rel += 1;
                    let mut target = r.target.clone();
                    if !r.external {
                        let name = format!("word/{}", r.target.trim_start_matches('/'));
                        if let Ok(mut f) = z.by_name(&name) {
                            let mut bytes = Vec::new();
                            f.read_to_end(&mut bytes).map_err(docx_err)?;
                            let file = r.target.rsplit('/').next().unwrap_or("part");
                            target = format!("media/km{}-{file}", self.next_rel);
                            self.new_parts.push((format!("word/{target}"), bytes));
                        }
                    }
                    self.rels.push(Rel { id: id.clone(), kind: r.kind.clone(), target, external: r.external });
                    id
                }
            };
            rel_map.insert(r.id.clone(), id);
        }
        let remap_rels = |s: &str| {
            let mut out = s.to_string();
            for prefix in ["r:id=\"", "r:embed=\"", "r:link=\""] {
                out = remap_str(&out, prefix, &rel_map);
            }
            out
        };
        let body = remap_rels(&body);
        let sect = remap_rels(c.sect);
        self.write_pending(false)?;
        self.pending = Some((body, sect));
        self.letters += 1;
        Ok(())
    }

    /// Ends the document and puts it in place. Returns the number of letters.
    pub fn finish(mut self) -> Result<usize> {
        self.write_pending(true)?;
        let mut zip = self.zip.take().ok_or_else(|| docx_err("already finished"))?;
        let err = |e: zip::result::ZipError| docx_err(e);
        zip.write_all(self.tail.as_bytes()).map_err(|e| MergeError::io(&self.path, e))?;
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).compression_level(Some(6));
        if !self.numbering.is_empty() {
            let at = self.numbering.rfind("</w:numbering>").unwrap_or(self.numbering.len());
            let numbering = format!("{}{}{}", &self.numbering[..at], self.extra_nums, &self.numbering[at..]);
            zip.start_file(NUMBERING, opts).map_err(err)?;
            zip.write_all(numbering.as_bytes()).map_err(|e| MergeError::io(&self.path, e))?;
        }
        zip.start_file(RELS, opts).map_err(err)?;
        zip.write_all(rels_xml(&self.rels).as_bytes()).map_err(|e| MergeError::io(&self.path, e))?;
        let mut types = self.types.clone();
        for (name, bytes) in &self.new_parts {
            let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            let declared = types.contains(&format!("Extension=\"{ext}\"")) || types.contains(&format!("PartName=\"/{name}\""));
            if !declared {
                let ct = match ext.as_str() {
                    "png" => "image/png",
                    "jpg" | "jpeg" => "image/jpeg",
                    "gif" => "image/gif",
                    _ => "application/octet-stream",
                };
                let at = types.rfind("</Types>").unwrap_or(types.len());
                types.insert_str(at, &format!("<Default Extension=\"{ext}\" ContentType=\"{ct}\" />"));
            }
            zip.start_file(name, opts).map_err(err)?;
            zip.write_all(bytes).map_err(|e| MergeError::io(&self.path, e))?;
        }
        zip.start_file(TYPES, opts).map_err(err)?;
        zip.write_all(types.as_bytes()).map_err(|e| MergeError::io(&self.path, e))?;
        let mut w = zip.finish().map_err(err)?;
        w.flush().map_err(|e| MergeError::io(&self.path, e))?;
        let f = w.into_inner().map_err(|e| MergeError::io(&self.path, e.error()))?;
        f.sync_all().map_err(|e| MergeError::io(&self.path, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = f.set_permissions(std::fs::Permissions::from_mode(0o644));
        }
        drop(f);
        self.tmp.persist(&self.path).map_err(|e| MergeError::io(&self.path, e.error))?;
        Ok(self.letters)
    }
}

fn remap_str(xml: &str, prefix: &str, map: &HashMap<String, String>) -> String {
    remap_values(xml, prefix, &mut |value| map.get(value).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_ends_in_the_last_paragraph() {
        let sect = "<w:sectPr><w:pgSz w:w=\"11906\" /></w:sectPr>";
        assert_eq!(with_section("<w:p><w:r><w:t>a</w:t></w:r></w:p>", sect), format!("<w:p><w:pPr>{sect}</w:pPr><w:r><w:t>a</w:t></w:r></w:p>"));
        assert_eq!(
            with_section("<w:p><w:pPr><w:jc w:val=\"right\" /><w:rPr><w:b /></w:rPr></w:pPr><w:r /></w:p>", sect),
            format!("<w:p><w:pPr><w:jc w:val=\"right\" /><w:rPr><w:b /></w:rPr>{sect}</w:pPr><w:r /></w:p>")
        );
        assert_eq!(with_section("<w:tbl></w:tbl>", sect), format!("<w:tbl></w:tbl><w:p><w:pPr>{sect}</w:pPr></w:p>"));
        let remapped = remap_attr::<u32>("<w:numId w:val=\"2\" /><w:numId w:val=\"7\" />", "<w:numId w:val=\"", &mut |n| (n == 2).then_some(1001));
        assert_eq!(remapped, "<w:numId w:val=\"1001\" /><w:numId w:val=\"7\" />");
    }
}
