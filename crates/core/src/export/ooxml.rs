//! WordprocessingML that docx-rs cannot write, added to its serialized output in one linear pass:
//! right-to-left runs (`w:rtl`) and their bidi language for every run holding Arabic text,
//! right-to-left tables (`w:bidiVisual`), header rows repeated on each page (`w:tblHeader`), and
//! the document's default languages. Also shared with the letterhead filler, which runs the run
//! pass over a user's own .docx.
//!
//! Works on the bytes docx-rs produces (or Word's own XML): it looks for exact tags and never
//! re-parses or re-orders anything else, so it is as fast as a copy.

/// Whether `c` is an Arabic-script letter (Arabic, Supplement, Extended-A, presentation forms).
pub(crate) fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

pub(crate) fn has_arabic(s: &str) -> bool {
    s.chars().any(is_arabic)
}

/// What the pass adds.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Fixes<'a> {
    /// Right-to-left document: tables get `w:bidiVisual` (their first column on the right).
    pub rtl_tables: bool,
    /// Per table, in document order: whether its first row is a header to repeat on each page.
    pub header_rows: &'a [bool],
}

const RUN_RTL: &str = "<w:rtl /><w:lang w:bidi=\"ar-MA\" />";

/// The part `xml` with the fixes applied.
pub(crate) fn fix(xml: &str, f: Fixes) -> String {
    let mut out = String::with_capacity(xml.len() + xml.len() / 8);
    let mut rest = xml;
    // Tables: (has a header row, rows seen so far), innermost last.
    let mut tables: Vec<(bool, usize)> = Vec::new();
    let mut table_no = 0usize;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = match rest.find('>') {
            Some(e) => e + 1,
            None => break,
        };
        let tag = &rest[..end];
        if tag == "<w:r>" || tag.starts_with("<w:r ") {
            // A whole run: its properties come before its text, so look at it entire.
            let close = rest.find("</w:r>").map(|c| c + "</w:r>".len()).unwrap_or(rest.len());
            let run = &rest[..close];
            if run_text_has_arabic(run) {
                push_rtl_run(&mut out, run);
            } else {
                out.push_str(run);
            }
            rest = &rest[close..];
            continue;
        }
        match tag {
            "<w:tbl>" => {
                let header = f.header_rows.get(table_no).copied().unwrap_or(false);
                table_no += 1;
                tables.push((header, 0));
                out.push_str(tag);
            }
            "</w:tbl>" => {
                tables.pop();
                out.push_str(tag);
            }
            "<w:tblPr>" if f.rtl_tables => {
                out.push_str(tag);
                out.push_str("<w:bidiVisual />");
            }
            "<w:tr>" => {
                if let Some(t) = tables.last_mut() {
                    t.1 += 1;
                }
                out.push_str(tag);
            }
            "</w:trPr>" | "<w:trPr />" | "<w:trPr/>" if tables.last().is_some_and(|t| t.0 && t.1 == 1) => {
                if tag == "</w:trPr>" {
                    out.push_str("<w:tblHeader /></w:trPr>");
                } else {
                    out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
                }
            }
            _ => out.push_str(tag),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Whether the text nodes (`<w:t>`) of a run hold Arabic letters.
fn run_text_has_arabic(run: &str) -> bool {
    let mut rest = run;
    while let Some(at) = rest.find("<w:t") {
        rest = &rest[at + 4..];
        // `<w:t>` or `<w:t xml:space=...>`, not `<w:tab/>` or `<w:tbl>`.
        if !(rest.starts_with('>') || rest.starts_with(' ')) {
            continue;
        }
        let Some(open) = rest.find('>') else { return false };
        let body = &rest[open + 1..];
        let close = body.find("</w:t>").unwrap_or(body.len());
        if has_arabic(&body[..close]) {
            return true;
        }
        rest = &body[close..];
    }
    false
}

/// Writes `run` with `w:rtl` and the Arabic bidi language in its properties.
fn push_rtl_run(out: &mut String, run: &str) {
    if run.contains("<w:rtl") {
        out.push_str(run);
        return;
    }
    // The run's own properties are its first child, if any.
    let open_end = run.find('>').map(|e| e + 1).unwrap_or(run.len());
    let (open, body) = run.split_at(open_end);
    out.push_str(open);
    for empty in ["<w:rPr />", "<w:rPr/>"] {
        if let Some(b) = body.strip_prefix(empty) {
            out.push_str("<w:rPr>");
            out.push_str(RUN_RTL);
            out.push_str("</w:rPr>");
            out.push_str(b);
            return;
        }
    }
    if body.starts_with("<w:rPr>") {
        if let Some(c) = body.find("</w:rPr>") {
            let props = &body[..c];
            out.push_str(props);
            // A run may already name its languages: add the bidi one only.
            if !props.contains("<w:lang") {
                out.push_str(RUN_RTL);
            } else {
                out.push_str("<w:rtl />");
            }
            out.push_str(&body[c..]);
            return;
        }
    }
    out.push_str("<w:rPr>");
    out.push_str(RUN_RTL);
    out.push_str("</w:rPr>");
    out.push_str(body);
}

/// The document's default languages (styles.xml): Latin text in `lang`, complex script in
/// Moroccan Arabic, so spelling and shaping tools pick the right dictionaries.
pub(crate) fn default_lang(styles: &str, latin: &str) -> String {
    let marker = "<w:rPrDefault><w:rPr>";
    match styles.find(marker) {
        Some(at) if !styles[at..].starts_with("<w:rPrDefault><w:rPr><w:lang") => {
            let at = at + marker.len();
            format!("{}<w:lang w:val=\"{latin}\" w:bidi=\"ar-MA\" />{}", &styles[..at], &styles[at..])
        }
        _ => styles.to_string(),
    }
}

/// Left-to-right mark: put before a number that leads Latin text inside right-to-left text
/// ("1234/DAG/2026"), or a number written in groups ("120 000"), so the bidi algorithm keeps it
/// in its written order instead of swapping its parts ("DAG/2026/1234", "000 120").
const LRM: char = '\u{200E}';

/// Text for a right-to-left paragraph: every stretch of non-Arabic text that starts with a
/// digit and holds a Latin letter, or digits on both sides of a space or a hyphen, is preceded
/// by a left-to-right mark.
pub(crate) fn bidi_text(s: &str) -> std::borrow::Cow<'_, str> {
    let needs = |chunk: &str| {
        let t = chunk.trim_start_matches(|c: char| !c.is_alphanumeric());
        if !t.starts_with(|c: char| c.is_ascii_digit()) {
            return false;
        }
        let chars: Vec<char> = t.trim_end().chars().collect();
        // Digits in groups ("120 000"), or a range ("2022-2027": after Arabic letters the
        // numbers are Arabic numbers, which a hyphen does not join, so the range would read
        // "2027-2022").
        let grouped = chars.windows(3).any(|w| w[0].is_ascii_digit() && matches!(w[1], ' ' | '\u{00A0}' | '\u{202F}' | '-' | '\u{2013}') && w[2].is_ascii_digit());
        grouped || chars.iter().any(|c| c.is_alphabetic() && !is_arabic(*c))
    };
    // Chunks are split at Arabic letters.
    if !s.split(is_arabic).any(needs) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 6);
    let mut chunk_start = 0;
    let bytes_chunks = s.char_indices().filter(|(_, c)| is_arabic(*c)).map(|(i, c)| (i, i + c.len_utf8()));
    let mut bounds: Vec<(usize, usize)> = Vec::new();
    for (a, b) in bytes_chunks {
        bounds.push((chunk_start, a));
        chunk_start = b;
    }
    bounds.push((chunk_start, s.len()));
    let mut last = 0;
    for (a, b) in bounds {
        let chunk = &s[a..b];
        if needs(chunk) {
            let lead = chunk.len() - chunk.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
            out.push_str(&s[last..a + lead]);
            out.push(LRM);
            last = a + lead;
        }
    }
    out.push_str(&s[last..]);
    std::borrow::Cow::Owned(out)
}

/// The schema order of a paragraph's properties (`w:pPr`, CT_PPr): Word refuses a file whose
/// properties are out of order.
pub(crate) const PPR_ORDER: &[&str] = &[
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
];

/// The schema order of a run's properties (`w:rPr`, CT_RPr).
pub(crate) const RPR_ORDER: &[&str] = &[
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
    "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
    "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath", "w:rPrChange",
];

/// A properties element (`w:pPr`, `w:rPr`) as its children, to change some and write it back in
/// the schema's order. Children it does not know keep their place after the one before them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Props {
    /// (element name, its whole XML).
    children: Vec<(String, String)>,
}

impl Props {
    /// `xml`: the element (`<w:pPr>...</w:pPr>`, `<w:pPr/>`) or nothing.
    pub(crate) fn parse(xml: &str) -> Props {
        let mut children = Vec::new();
        let Some(open_end) = xml.find('>') else { return Props { children } };
        if xml[..open_end].ends_with('/') {
            return Props { children };
        }
        let inner_end = xml.rfind("</").unwrap_or(xml.len());
        let inner = &xml[open_end + 1..inner_end.max(open_end + 1)];
        let mut i = 0;
        while let Some(off) = inner[i..].find('<') {
            let at = i + off;
            let name_end = inner[at + 1..].find(|c: char| c.is_whitespace() || c == '/' || c == '>').map_or(inner.len(), |e| at + 1 + e);
            let name = &inner[at + 1..name_end];
            let Some(gt) = inner[at..].find('>').map(|g| at + g) else { break };
            let end = if inner[..gt].ends_with('/') || name.starts_with('!') || name.starts_with('?') {
                gt + 1
            } else {
                matching_close(inner, gt + 1, name).unwrap_or(inner.len())
            };
            if !(name.starts_with('!') || name.starts_with('?') || name.starts_with('/')) {
                children.push((name.to_string(), inner[at..end].to_string()));
            }
            i = end;
        }
        Props { children }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.children.iter().find(|c| c.0 == name).map(|c| c.1.as_str())
    }

    /// Sets (replaces or adds) the child `name` to `xml`.
    pub(crate) fn set(&mut self, name: &str, xml: impl Into<String>) {
        let xml = xml.into();
        match self.children.iter_mut().find(|c| c.0 == name) {
            Some(c) => c.1 = xml,
            None => self.children.push((name.to_string(), xml)),
        }
    }

    pub(crate) fn remove(&mut self, name: &str) -> Option<String> {
        let at = self.children.iter().position(|c| c.0 == name)?;
        Some(self.children.remove(at).1)
    }

    /// `<tag>children</tag>` in the order `order`, or "" when there is no child.
    pub(crate) fn to_xml(&self, tag: &str, order: &[&str]) -> String {
        if self.children.is_empty() {
            return String::new();
        }
        let mut rank = 0usize;
        let mut ranked: Vec<(usize, &str)> = self
            .children
            .iter()
            .map(|(name, xml)| {
                if let Some(r) = order.iter().position(|o| o == name) {
                    rank = r;
                }
                (rank, xml.as_str())
            })
            .collect();
        ranked.sort_by_key(|r| r.0);
        let mut out = format!("<{tag}>");
        for (_, xml) in ranked {
            out.push_str(xml);
        }
        out.push_str(&format!("</{tag}>"));
        out
    }
}

/// The end (after `</name>`) of the element `name` whose content starts at `from`.
fn matching_close(xml: &str, from: usize, name: &str) -> Option<usize> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut depth = 1;
    let mut i = from;
    loop {
        let c = xml[i..].find(&close).map(|c| i + c)?;
        // Same-name elements opened before this close (not self-closing) nest one deeper.
        let mut j = i;
        while let Some(o) = xml[j..c].find(&open).map(|o| j + o) {
            let after = &xml[o + open.len()..];
            let gt = after.find('>').map_or(xml.len(), |g| o + open.len() + g);
            if after.starts_with(|ch: char| ch.is_whitespace() || ch == '>') && !xml[..gt].ends_with('/') {
                depth += 1;
            }
            j = o + open.len();
        }
        depth -= 1;
        if depth == 0 {
            return Some(c + close.len());
        }
        i = c + close.len();
    }
}

/// Column widths filling `total`, in proportion to each column's longest text (`lens`, in
/// characters), within bounds so a short column stays readable and a long one does not crush
/// the others; the four extra characters pay for the cell margins.
pub(crate) fn column_widths(lens: &[usize], total: usize) -> Vec<usize> {
    let weights: Vec<usize> = if lens.is_empty() { vec![10] } else { lens.iter().map(|l| (*l).clamp(6, 24) + 4).collect() };
    let sum: usize = weights.iter().sum();
    weights.iter().map(|w| total * w / sum).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_runs_become_rtl() {
        let xml = "<w:p><w:r><w:rPr /><w:t>وجدة</w:t></w:r><w:r><w:rPr><w:b /></w:rPr><w:t xml:space=\"preserve\">2026 Oujda</w:t></w:r><w:r><w:rPr><w:b /></w:rPr><w:tab /><w:t>في</w:t></w:r></w:p>";
        let out = fix(xml, Fixes::default());
        assert_eq!(
            out,
            "<w:p><w:r><w:rPr><w:rtl /><w:lang w:bidi=\"ar-MA\" /></w:rPr><w:t>وجدة</w:t></w:r><w:r><w:rPr><w:b /></w:rPr><w:t xml:space=\"preserve\">2026 Oujda</w:t></w:r><w:r><w:rPr><w:b /><w:rtl /><w:lang w:bidi=\"ar-MA\" /></w:rPr><w:tab /><w:t>في</w:t></w:r></w:p>"
        );
    }

    #[test]
    fn tables_get_header_rows_and_direction() {
        let xml = "<w:tbl><w:tblPr><w:tblW /></w:tblPr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl><w:tbl><w:tblPr></w:tblPr><w:tr><w:trPr /></w:tr></w:tbl>";
        let out = fix(xml, Fixes { rtl_tables: true, header_rows: &[true, false] });
        assert_eq!(out.matches("<w:tblHeader />").count(), 1);
        assert!(out.starts_with("<w:tbl><w:tblPr><w:bidiVisual /><w:tblW /></w:tblPr><w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>"), "{out}");
        assert_eq!(out.matches("<w:bidiVisual />").count(), 2);
    }

    #[test]
    fn references_keep_their_order_in_arabic() {
        assert_eq!(bidi_text("رقم 1234/DAG/2026 بتاريخ"), "رقم \u{200E}1234/DAG/2026 بتاريخ");
        assert_eq!(bidi_text("رقم 2417/2026"), "رقم 2417/2026");
        assert_eq!(bidi_text("Oujda 12"), "Oujda 12");
        assert_eq!(bidi_text("120 000"), "\u{200E}120 000");
        assert_eq!(bidi_text("مبلغ 2 400 000 درهم"), "مبلغ \u{200E}2 400 000 درهم");
        assert_eq!(bidi_text("23 نونبر 2026"), "23 نونبر 2026");
        assert_eq!(bidi_text("برنامج 2022-2027 على"), "برنامج \u{200E}2022-2027 على");
        assert_eq!(bidi_text("الظهير رقم 1.15.85"), "الظهير رقم 1.15.85");
    }

    #[test]
    fn properties_are_written_in_schema_order() {
        let mut p = Props::parse("<w:pPr><w:pStyle w:val=\"Corps\"/><w:jc w:val=\"both\"/><w:rPr><w:b/><w:rPr/></w:rPr><w:sectPr><w:pgSz/></w:sectPr></w:pPr>");
        p.set("w:bidi", "<w:bidi/>");
        p.set("w:numPr", "<w:numPr/>");
        assert!(p.remove("w:sectPr").is_some());
        assert_eq!(p.get("w:jc"), Some("<w:jc w:val=\"both\"/>"));
        assert_eq!(p.to_xml("w:pPr", PPR_ORDER), "<w:pPr><w:pStyle w:val=\"Corps\"/><w:numPr/><w:bidi/><w:jc w:val=\"both\"/><w:rPr><w:b/><w:rPr/></w:rPr></w:pPr>");
        assert_eq!(Props::parse("<w:rPr/>").to_xml("w:rPr", RPR_ORDER), "");
        let mut r = Props::parse("<w:rPr><w:sz w:val=\"24\"/><w:lang w:val=\"fr-FR\"/></w:rPr>");
        r.set("w:b", "<w:b/>");
        r.set("w:rtl", "<w:rtl/>");
        assert_eq!(r.to_xml("w:rPr", RPR_ORDER), "<w:rPr><w:b/><w:sz w:val=\"24\"/><w:rtl/><w:lang w:val=\"fr-FR\"/></w:rPr>");
        assert_eq!(column_widths(&[2, 30], 9000), vec![2368, 6631]);
    }
}
