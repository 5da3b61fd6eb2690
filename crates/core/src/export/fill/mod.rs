//! The administration's own Word letterhead, filled in: `{{objet}}`, `{{corps}}`, `{{date}}`,
//! `{{destinataire}}`... in word/document.xml and in every header and footer are replaced
//! ([`placeholders`]), the body's blocks take the place of the `{{corps}}` paragraph ([`body`]),
//! its lists numbered by definitions added to the package ([`numbering`]); everything else in
//! the file (styles, headers, footers, logos, fields, section settings) is copied byte for byte.
//!
//! This module owns the package: checking the file, reading its parts (size-limited), writing
//! the changed and added parts back. Katib's own letter layout is [`super::docx`]'s.

mod body;
mod numbering;
mod placeholders;

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use self::body::Body;
use self::numbering::Numbering;
use self::placeholders::{fill_part, Found};
use super::{blocks, labels, ooxml, place_and_date, ExportDoc, ExportError};
use crate::Lang;

/// The largest letterhead accepted.
const MAX_BYTES: u64 = 50 * 1024 * 1024;
/// The largest XML part read from it, uncompressed (a letterhead's document is a few hundred
/// kilobytes; this stops a zip bomb).
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

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
    // A one-item list: the check also adds list definitions to the letterhead, as a real body would.
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
    // The letterhead's own list definitions, if any: ours get ids above theirs.
    let rels = read_part(path, &mut zip, numbering::RELS)?;
    let numbering_part = rels.as_deref().and_then(numbering::part_name);
    let existing_numbering = match &numbering_part {
        Some(name) => read_part(path, &mut zip, name)?,
        None => None,
    };
    let vals = values(doc);
    let mut body = Body::new(blocks::parse(doc.markdown), doc.lang, Numbering::after(existing_numbering.as_deref()));
    let mut parts: HashMap<String, String> = HashMap::new();
    let mut found = Found::default();
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    for name in names {
        let is_text_part = name == "word/document.xml"
            || (name.starts_with("word/header") || name.starts_with("word/footer")) && name.ends_with(".xml");
        if !is_text_part {
            continue;
        }
        let Some(xml) = read_part(path, &mut zip, &name)? else { continue };
        let filled = fill_part(&xml, &vals, &mut body, &mut found);
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
