//! A report's table of contents: a Word `TOC` field whose current result already lists the
//! headings (levels 1 to 3, from the document model), so any reader shows it; Word refreshes it
//! with page numbers when the file opens (`updateFields`, set by the caller).
//!
//! docx-rs cannot write a field result spanning paragraphs, so a marker paragraph is written
//! where the table goes and replaced in the serialized XML.

use docx_rs::{Paragraph, Run};

use super::Builder;
use crate::export::ooxml;
use crate::Lang;

/// Where the table of contents goes, until the XML pass puts the field there.
const MARKER: &str = "\u{E000}katib-toc\u{E000}";

pub(super) fn push_marker(b: &mut Builder) {
    let p = Paragraph::new().add_run(Run::new().add_text(MARKER));
    b.push(p);
}

/// Replaces the marker paragraph of `document` with the table-of-contents field listing
/// `entries` (level, text).
pub(super) fn insert(document: String, entries: &[(u8, String)], lang: Lang) -> String {
    let Some(at) = document.find(MARKER) else { return document };
    let start = document[..at].rfind("<w:p ").or_else(|| document[..at].rfind("<w:p>")).unwrap_or(at);
    let end = document[at..].find("</w:p>").map(|e| at + e + "</w:p>".len()).unwrap_or(at);
    let heading = match lang {
        Lang::Fr => "Table des matières",
        Lang::Ar => "الفهرس",
        Lang::En => "Contents",
    };
    let bidi = if lang.is_rtl() { "<w:bidi />" } else { "" };
    let rtl = if lang.is_rtl() { "<w:rPr><w:rtl /></w:rPr>" } else { "" };
    let esc = |t: &str| quick_xml::escape::escape(t).into_owned();
    let mut x = format!("<w:p><w:pPr><w:pStyle w:val=\"Heading2\" />{bidi}</w:pPr><w:r>{rtl}<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", esc(heading));
    let empty = [(1u8, String::new())];
    let entries = if entries.is_empty() { &empty[..] } else { entries };
    let n = entries.len();
    for (i, (level, text)) in entries.iter().enumerate() {
        let ind = 360 * (*level as usize).saturating_sub(1);
        // The last entry keeps a blank line's space before the text.
        let after = if i + 1 == n { 360 } else { 60 };
        x.push_str(&format!("<w:p><w:pPr>{bidi}<w:spacing w:after=\"{after}\" /><w:ind w:left=\"{ind}\" /></w:pPr>"));
        if i == 0 {
            x.push_str("<w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\" /></w:r><w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-3\" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\" /></w:r>");
        }
        let text = if lang.is_rtl() { ooxml::bidi_text(text).into_owned() } else { text.clone() };
        x.push_str(&format!("<w:r>{rtl}<w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(&text)));
        if i + 1 == n {
            x.push_str("<w:r><w:fldChar w:fldCharType=\"end\" /></w:r>");
        }
        x.push_str("</w:p>");
    }
    format!("{}{x}{}", &document[..start], &document[end..])
}
