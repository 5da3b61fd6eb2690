//! The audit annex at the end of a filled letterhead: a page break, then the annex's title, its
//! facts and the approvals as raw WordprocessingML, placed before the body's last section
//! properties so it takes the letterhead's page settings. The wording is
//! [`crate::export::annex`]'s; the runs' right-to-left marks are added by the caller's
//! [`crate::export::ooxml::fix`] pass like the rest of the part.

use crate::export::annex::Annex;
use crate::export::{ooxml, with_colon};
use crate::Lang;

/// The width the annex's tables are laid out on (the table takes the page's text width).
const GRID: usize = 9000;

fn text(t: &str, rtl: bool) -> String {
    let t = if rtl { ooxml::bidi_text(t).into_owned() } else { t.to_string() };
    quick_xml::escape::escape(&t).into_owned()
}

fn para(t: &str, rtl: bool, jc: Option<&str>, rpr: &str, spacing: &str) -> String {
    let bidi = if rtl { "<w:bidi/>" } else { "" };
    let jc = jc.map(|j| format!("<w:jc w:val=\"{j}\"/>")).unwrap_or_default();
    let rpr = if rpr.is_empty() { String::new() } else { format!("<w:rPr>{rpr}</w:rPr>") };
    format!("<w:p><w:pPr>{bidi}{spacing}{jc}</w:pPr><w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", text(t, rtl))
}

fn table(rows: &[Vec<(String, bool)>], widths: &[usize], rtl: bool, borders: bool, header: bool) -> String {
    let b = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"";
    let n = if borders { b.to_string() } else { "w:val=\"nil\"".to_string() };
    let mut x = String::from("<w:tbl><w:tblPr>");
    if rtl {
        x.push_str("<w:bidiVisual/>");
    }
    x.push_str(&format!("<w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders><w:top {n}/><w:left {n}/><w:bottom {n}/><w:right {n}/><w:insideH {n}/><w:insideV {n}/></w:tblBorders></w:tblPr><w:tblGrid>"));
    for w in widths {
        x.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    x.push_str("</w:tblGrid>");
    for (i, row) in rows.iter().enumerate() {
        x.push_str(if header && i == 0 { "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" } else { "<w:tr><w:trPr><w:cantSplit/></w:trPr>" });
        for ((t, bold), w) in row.iter().zip(widths) {
            let rpr = if *bold { "<w:b/><w:bCs/>" } else { "" };
            x.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>", para(t, rtl, None, rpr, "")));
        }
        x.push_str("</w:tr>");
    }
    x.push_str("</w:tbl>");
    x
}

/// The annex as body XML, starting on a new page.
pub(super) fn xml(a: &Annex, lang: Lang) -> String {
    let rtl = lang.is_rtl();
    let mut x = String::from("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    x.push_str(&para(a.title, rtl, Some("center"), "<w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>", "<w:spacing w:after=\"360\"/>"));
    let rows: Vec<Vec<(String, bool)>> = a.rows.iter().map(|(l, v)| vec![(with_colon(l, lang), true), (v.clone(), false)]).collect();
    x.push_str(&table(&rows, &[3400, GRID - 3400], rtl, false, false));
    x.push_str(&para(a.approvals_title, rtl, None, "<w:b/><w:bCs/>", "<w:spacing w:before=\"360\"/>"));
    if a.approvals.is_empty() {
        x.push_str(&para(a.no_approval, rtl, None, "<w:i/><w:iCs/>", ""));
    } else {
        let mut rows: Vec<Vec<(String, bool)>> = vec![a.header.iter().map(|h| (h.to_string(), true)).collect()];
        rows.extend(a.approvals.iter().map(|r| r.iter().map(|t| (t.clone(), false)).collect()));
        x.push_str(&table(&rows, &[GRID * 35 / 100, GRID * 45 / 100, GRID * 20 / 100], rtl, true, true));
    }
    x.push_str(&para(a.note, rtl, None, "<w:i/><w:iCs/><w:color w:val=\"595959\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>", "<w:spacing w:before=\"360\"/>"));
    x
}

/// `document` with `annex` placed at the end of its body, before the body's own section
/// properties (or before `</w:body>` when they are not the body's last child).
pub(super) fn append(document: &str, annex: &str) -> Option<String> {
    let end = document.rfind("</w:body>")?;
    let at = match document[..end].rfind("<w:sectPr") {
        // The body's own section properties come after its last paragraph or table.
        Some(s) if !document[s..end].contains("</w:p>") && !document[s..end].contains("</w:tbl>") => s,
        _ => end,
    };
    Some(format!("{}{annex}{}", &document[..at], &document[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_annex_goes_before_the_bodys_section() {
        let doc = "<w:document><w:body><w:p><w:pPr><w:sectPr><w:pgSz/></w:sectPr></w:pPr></w:p><w:p/><w:sectPr><w:pgSz/></w:sectPr></w:body></w:document>";
        assert_eq!(append(doc, "<A/>").unwrap(), "<w:document><w:body><w:p><w:pPr><w:sectPr><w:pgSz/></w:sectPr></w:pPr></w:p><w:p/><A/><w:sectPr><w:pgSz/></w:sectPr></w:body></w:document>");
        let no_sect = "<w:document><w:body><w:p/></w:body></w:document>";
        assert_eq!(append(no_sect, "<A/>").unwrap(), "<w:document><w:body><w:p/><A/></w:body></w:document>");
        assert!(append("<w:document/>", "<A/>").is_none());
    }
}
