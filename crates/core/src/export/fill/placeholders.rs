//! Placeholders in a letterhead part (`word/document.xml`, headers, footers): `{{objet}}`,
//! `{{date}}`... found in the text of whole paragraphs and replaced; `{{corps}}` alone in its
//! paragraph replaced by the body's blocks ([`super::body`]).
//!
//! Word often splits what the user typed as `{{objet}}` over several runs (spell-check marks, an
//! edit in the middle): placeholders are looked for in the joined text of a paragraph's text
//! nodes, the value goes into the run where the placeholder starts (so it takes that run's
//! formatting) and the rest of the placeholder is removed from the runs that follow. In the
//! document's body, a paragraph holding nothing but placeholders whose values are all empty (or
//! a label and one such placeholder: "P.J. : {{pj}}") is removed, unless it carries a section
//! break or a picture, or is its cell's only paragraph. Everything else
//! in the part is copied as it is.

use std::collections::HashMap;

use super::body::Body;

#[derive(Default)]
pub(super) struct Found {
    pub(super) total: usize,
    pub(super) corps: bool,
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

/// `drop_empty`: remove the paragraphs whose placeholders are all empty and that hold nothing
/// else (the document's body; never a header or a footer).
pub(super) fn fill_part(xml: &str, vals: &HashMap<&'static str, String>, body: &mut Body, found: &mut Found, drop_empty: bool) -> String {
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
                // Nothing but placeholders, all of them empty: the paragraph goes.
                let all_empty = known.iter().all(|m| m.2 != "corps" && vals.get(m.2.as_str()).is_some_and(|v| v.trim().is_empty()));
                let rest_blank = {
                    let mut pos = 0;
                    let mut blank = true;
                    for m in &known {
                        blank &= joined[pos..m.0].trim().is_empty();
                        pos = m.1;
                    }
                    let rest = joined[pos..].trim();
                    // "P.J. : {{pj}}": a label alone is removed with its empty value.
                    let label_only = |t: &str| {
                        let t = t.trim();
                        t.is_empty() || (t.ends_with(':') && t.chars().count() <= 24 && t.matches(':').count() == 1)
                    };
                    blank && rest.is_empty() || (known.len() == 1 && label_only(&joined[..known[0].0]) && rest.is_empty())
                };
                let removable = |p: &&Para| {
                    let x = &xml[p.start..p.end];
                    let before = xml[..p.start].trim_end();
                    // What ends just before the paragraph: a cell's start or its properties.
                    let last_tag = before.rfind('<').map_or("", |lt| &before[lt..]);
                    let opens_cell = last_tag == "<w:tc>" || last_tag.starts_with("<w:tc ") || last_tag == "</w:tcPr>" || (last_tag.starts_with("<w:tcPr") && last_tag.ends_with("/>"));
                    let only_in_cell = opens_cell && xml[p.end..].trim_start().starts_with("</w:tc>");
                    !x.contains("<w:sectPr") && !x.contains("<w:drawing") && !x.contains("<w:pict") && !only_in_cell
                };
                if let Some(p) = para.filter(|_| alone && known[0].2 == "corps") {
                    replace_para.push((p.start, p.end, body.write_xml(&xml[p.start..p.end])));
                } else if let Some(p) = para.filter(|p| drop_empty && all_empty && rest_blank && removable(p)) {
                    replace_para.push((p.start, p.end, String::new()));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::blocks::parse;
    use crate::export::fill::numbering::Numbering;
    use crate::Lang;

    fn body(md: &str) -> Body {
        Body::new(parse(md), Lang::Fr, Numbering::after(None))
    }

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
        let mut body = body("Texte");
        let out = fill_part(xml, &vals(), &mut body, &mut found, true);
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
        let mut body = body("Monsieur,\n\nUn **point**.\n\n- a\n- b");
        let out = fill_part(xml, &vals(), &mut body, &mut found, true);
        assert!(found.corps);
        assert_eq!(out.matches("<w:pStyle w:val=\"Corps\"/>").count(), 4, "{out}");
        assert_eq!(out.matches("<w:numId w:val=\"1\"/>").count(), 2, "a real list: {out}");
        assert!(out.contains("<w:rPr><w:b/><w:bCs/><w:sz w:val=\"24\"/></w:rPr><w:t xml:space=\"preserve\">point</w:t>"), "{out}");
        assert!(out.contains("Monsieur X</w:t><w:br/><w:t xml:space=\"preserve\">Oujda"), "{out}");
    }

    #[test]
    fn empty_optional_lines_go_but_not_their_cell_or_section() {
        let mut v = vals();
        v.insert("delegation", String::new());
        v.insert("pj", String::new());
        let xml = "<w:body><w:p><w:r><w:t>{{delegation}}</w:t></w:r></w:p><w:p><w:r><w:t>P.J. : </w:t></w:r><w:r><w:t>{{pj}}</w:t></w:r></w:p><w:p><w:r><w:t>Objet : {{objet}}</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:tcPr/><w:p><w:r><w:t>{{delegation}}</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:pPr><w:sectPr/></w:pPr><w:r><w:t>{{pj}}</w:t></w:r></w:p></w:body>";
        let mut found = Found::default();
        let mut b = body("x");
        let out = fill_part(xml, &v, &mut b, &mut found, true);
        assert_eq!(
            out,
            "<w:body><w:p><w:r><w:t xml:space=\"preserve\">Objet : Éclairage &amp; voirie</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:tcPr/><w:p><w:r><w:t xml:space=\"preserve\"></w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:pPr><w:sectPr/></w:pPr><w:r><w:t xml:space=\"preserve\"></w:t></w:r></w:p></w:body>"
        );
        // In a header or a footer, nothing is removed.
        let kept = fill_part(xml, &v, &mut b, &mut Found::default(), false);
        assert_eq!(kept.matches("<w:p>").count(), xml.matches("<w:p>").count(), "{kept}");
    }
}
