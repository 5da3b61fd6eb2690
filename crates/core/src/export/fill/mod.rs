//! The administration's own Word letterhead, filled in: `{{objet}}`, `{{corps}}`, `{{date}}`,
//! `{{destinataire}}`... in word/document.xml and in every header and footer are replaced
//! ([`placeholders`]), the body's blocks take the place of the `{{corps}}` paragraph ([`body`]),
//! its lists numbered by definitions added to the package ([`numbering`]); everything else in
//! the file (styles, headers, footers, logos, fields, section settings) is copied byte for byte.
//!
//! The parts of the frame are worded as in Katib's own layout ([`super::frame`]): "P.J." gives
//! the count then the list, `{{sous_couvert}}` the whole "S/C de ..." line, `{{fait_a}}` an
//! act's "Fait à Oujda, le ...". A paragraph holding nothing but placeholders that are all empty
//! is removed, so an absent delegation or name leaves no blank line. An act whose title is its
//! body's opening heading gives that heading to `{{titre}}` when the letterhead has one. The
//! run's id goes into the custom document properties (`katib_run`, the part created when the
//! letterhead has none) and the audit annex, when given, ends the body on a page of its own.
//!
//! This module owns the package: checking the file, reading its parts (size-limited), writing
//! the changed and added parts back. Katib's own letter layout is [`super::docx`]'s.

mod annex;
mod body;
mod numbering;
mod placeholders;
mod props;

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use self::body::Body;
use self::numbering::Numbering;
use self::placeholders::{fill_part, Found};
use super::frame::Frame;
use super::{blocks, ooxml, place_and_date, with_colon, ExportDoc, ExportError};
use crate::kinds::OutputKind;
use crate::Lang;

/// The largest letterhead accepted.
const MAX_BYTES: u64 = 50 * 1024 * 1024;
/// The largest XML part read from it, uncompressed (a letterhead's document is a few hundred
/// kilobytes; this stops a zip bomb).
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// The placeholders a letterhead may hold, and what fills them.
pub const PLACEHOLDERS: &[&str] = &[
    "corps", "objet", "date", "lieu_date", "ville", "date_hegire", "destinataire", "expediteur", "sous_couvert", "reference",
    "ref", "pj", "titre", "fait_a", "delegation", "signataire", "signature_nom", "signatures", "copies",
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
    // A one-item list: the check also adds list definitions to the letterhead, as a real body would.
    // With a run id, so a damaged custom properties part is found now too.
    let doc = ExportDoc { run_id: Some("check".into()), ..ExportDoc::new("-", Lang::Fr, OutputKind::Letter) };
    fill(template, &bytes, &doc).map(|_| ())
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

/// The value of each placeholder, from the frame (the letter's fields and the settings).
fn values(doc: &ExportDoc, f: Option<&Frame>) -> HashMap<&'static str, String> {
    let l = doc.letter.clone().unwrap_or_default();
    let empty = Frame::default();
    let f = f.unwrap_or(&empty);
    let mut v: HashMap<&'static str, String> = HashMap::new();
    let date_words = l.date.as_deref().filter(|d| !d.trim().is_empty()).map(|d| {
        let w = place_and_date(None, d, doc.lang);
        w.strip_prefix("Le ").map(str::to_string).unwrap_or(w)
    });
    let lines = |v: &[String]| v.join("\n");
    v.insert("date", date_words.unwrap_or_default());
    v.insert("lieu_date", l.date.as_deref().filter(|d| !d.trim().is_empty()).map(|d| place_and_date(l.ville.as_deref(), d, doc.lang)).unwrap_or_default());
    v.insert("date_hegire", l.date.as_deref().and_then(super::hijri_date).unwrap_or_default());
    v.insert("ville", l.ville.clone().unwrap_or_default());
    v.insert("objet", f.objet.clone().unwrap_or_default());
    v.insert("destinataire", lines(&f.addressee));
    v.insert("expediteur", lines(&f.sender));
    v.insert("sous_couvert", f.sous_couvert.clone().unwrap_or_default());
    v.insert("reference", l.reference.as_deref().map(str::trim).unwrap_or_default().to_string());
    v.insert("ref", f.their_ref.clone().unwrap_or_default());
    // "P.J. : {{pj}}": the count, then the list.
    v.insert(
        "pj",
        f.pj.as_ref().map(|(count, list)| std::iter::once(count.clone()).chain(list.iter().map(|i| format!("- {i}"))).collect::<Vec<_>>().join("\n")).unwrap_or_default(),
    );
    v.insert("titre", f.title.clone().or_else(|| doc.title.clone()).unwrap_or_default());
    // An act is dated where it is signed; a letterhead may ask for it in any document.
    let fait_a = f.fait_a.clone().or_else(|| l.date.as_deref().filter(|d| !d.trim().is_empty()).map(|d| super::frame::fait_a(l.ville.as_deref(), d, doc.lang)));
    v.insert("fait_a", fait_a.unwrap_or_default());
    v.insert("delegation", f.delegation.clone().unwrap_or_default());
    v.insert("signataire", lines(&f.function));
    // The name of this letter's signatory only.
    v.insert("signature_nom", f.name.clone().unwrap_or_default());
    v.insert(
        "signatures",
        f.signatures
            .iter()
            .map(|(func, name)| match name {
                Some(n) => format!("{} {n}", with_colon(func, doc.lang)),
                None => func.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
    );
    v.insert(
        "copies",
        if f.copies.is_empty() {
            String::new()
        } else {
            std::iter::once(with_colon(f.copies_label, doc.lang)).chain(f.copies.iter().map(|c| format!("- {c}"))).collect::<Vec<_>>().join("\n")
        },
    );
    v
}

/// Whether the part's text holds the placeholder `name` (also split over runs: the tags are
/// skipped).
fn has_placeholder(xml: &str, name: &str) -> bool {
    let mut text = String::with_capacity(xml.len() / 4);
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => text.push(c),
            _ => {}
        }
    }
    text.contains(&format!("{{{{{name}}}}}"))
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
    // The letterhead's own list definitions, if any: ours get ids above theirs.
    let rels = read_part(path, &mut zip, numbering::RELS)?;
    let numbering_part = rels.as_deref().and_then(numbering::part_name);
    let existing_numbering = match &numbering_part {
        Some(name) => read_part(path, &mut zip, name)?,
        None => None,
    };
    let document = read_part(path, &mut zip, "word/document.xml")?.unwrap_or_default();
    let mut blocks = blocks::parse(doc.markdown);
    let mut frame = Frame::of(doc, &blocks);
    if let Some(f) = frame.as_mut().filter(|f| f.title_from_body) {
        // The act's opening heading is its title: it moves to {{titre}} when there is one.
        if has_placeholder(&document, "titre") {
            blocks.remove(0);
        } else {
            f.title = None;
            f.title_from_body = false;
        }
    }
    let vals = values(doc, frame.as_ref());
    let mut body = Body::new(blocks, doc.lang, Numbering::after(existing_numbering.as_deref()));
    let mut parts: HashMap<String, String> = HashMap::new();
    let mut found = Found::default();
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    for name in names {
        let is_document = name == "word/document.xml";
        let is_text_part = is_document || (name.starts_with("word/header") || name.starts_with("word/footer")) && name.ends_with(".xml");
        if !is_text_part {
            continue;
        }
        let xml = if is_document {
            document.clone()
        } else {
            match read_part(path, &mut zip, &name)? {
                Some(x) => x,
                None => continue,
            }
        };
        // Only the body loses paragraphs left empty: a header or a cell keeps its own.
        let mut filled = fill_part(&xml, &vals, &mut body, &mut found, is_document);
        if is_document {
            if let Some(a) = &doc.audit {
                let annex = annex::xml(&super::annex::annex(a, doc.lang), doc.lang);
                filled = annex::append(&filled, &annex).ok_or_else(|| bad(path, "word/document.xml has no body (w:body): open the file in Word and save it again"))?;
            }
        }
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
    if !body.numbering.is_empty() {
        match (&numbering_part, &existing_numbering) {
            (Some(name), Some(xml)) => {
                let merged = body.numbering.merge_into(xml).ok_or_else(|| bad(path, format!("{name} is damaged (no w:numbering element): open the file in Word and save it again")))?;
                parts.insert(name.clone(), merged);
            }
            _ => {
                // No numbering part yet (or a relationship to a missing one): a new part,
                // declared in the content types and, if need be, related from the document.
                let name = numbering_part.clone().unwrap_or_else(|| "word/numbering.xml".to_string());
                parts.insert(name.clone(), body.numbering.new_part());
                if numbering_part.is_none() {
                    parts.insert(numbering::RELS.to_string(), numbering::add_relationship(rels.as_deref()));
                }
                let types = read_part(path, &mut zip, numbering::CONTENT_TYPES)?
                    .ok_or_else(|| bad(path, "it has no [Content_Types].xml: the file is damaged. Open it in Word and save it again"))?;
                parts.insert(numbering::CONTENT_TYPES.to_string(), numbering::add_content_type(&types, &name));
            }
        }
    }
    if let Some(id) = doc.run_id.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
        match read_part(path, &mut zip, props::PART)? {
            Some(existing) => {
                let set = props::set_in(&existing, id).ok_or_else(|| bad(path, format!("{} is damaged (no Properties element): open the file in Word and save it again", props::PART)))?;
                parts.insert(props::PART.to_string(), set);
            }
            None => {
                parts.insert(props::PART.to_string(), props::new_part(id));
                let rels = read_part(path, &mut zip, props::PACKAGE_RELS)?
                    .ok_or_else(|| bad(path, "it has no _rels/.rels: the file is damaged. Open it in Word and save it again"))?;
                parts.insert(props::PACKAGE_RELS.to_string(), props::add_relationship(&rels));
                // The content types may have been changed already (a new numbering part).
                let types = match parts.get(numbering::CONTENT_TYPES) {
                    Some(t) => t.clone(),
                    None => read_part(path, &mut zip, numbering::CONTENT_TYPES)?
                        .ok_or_else(|| bad(path, "it has no [Content_Types].xml: the file is damaged. Open it in Word and save it again"))?,
                };
                parts.insert(numbering::CONTENT_TYPES.to_string(), props::add_content_type(&types));
            }
        }
    }
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len() + doc.markdown.len() * 2)));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let werr = |e: zip::result::ZipError| ExportError::Write { path: path.into(), detail: e.to_string() };
    let ioerr = |e: std::io::Error| ExportError::Write { path: path.into(), detail: e.to_string() };
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| bad(path, format!("it is damaged ({e})")))?;
        let name = entry.name().to_string();
        match parts.remove(&name) {
            Some(xml) => {
                drop(entry);
                w.start_file(name.as_str(), opts).map_err(werr)?;
                w.write_all(xml.as_bytes()).map_err(ioerr)?;
            }
            None => w.raw_copy_file(entry).map_err(werr)?,
        }
    }
    // New parts (the numbering part, and the relationships of a package that had none), in a
    // stable order.
    let mut added: Vec<(String, String)> = parts.into_iter().collect();
    added.sort();
    for (name, xml) in added {
        w.start_file(name.as_str(), opts).map_err(werr)?;
        w.write_all(xml.as_bytes()).map_err(ioerr)?;
    }
    Ok(w.finish().map_err(werr)?.into_inner())
}

/// The part `name` as text; None if the package has no such part.
fn read_part(path: &Path, zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, ExportError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(bad(path, format!("it is damaged ({e}): open it in Word and save it again"))),
    };
    if file.size() > MAX_PART_BYTES {
        return Err(bad(path, format!("its part {name} is {} MB uncompressed: too large for a letterhead", file.size() / (1024 * 1024))));
    }
    let mut xml = String::new();
    file.take(MAX_PART_BYTES)
        .read_to_string(&mut xml)
        .map_err(|e| bad(path, format!("{name} cannot be read ({e}): the file is damaged")))?;
    Ok(Some(xml))
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}
