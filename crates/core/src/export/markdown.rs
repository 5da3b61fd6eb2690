//! The .md and .txt exports: the answer with its frame, as text. The .md export keeps the
//! answer's Markdown exactly as written (re-writing it from the blocks would only lose the
//! author's spacing); the .txt export is written from the blocks. The frame's parts are those of
//! the Word layout, in the same order and words ([`super::frame`]); the audit annex follows a
//! rule when one is given.

use super::annex::annex;
use super::blocks::{self, Block, Run};
use super::frame::Frame;
use super::{labels, with_colon, ExportDoc};
use crate::kinds::OutputKind;

/// The Markdown export: for letters, notes and acts, the frame around the body; for reports,
/// the title unless the answer opens with a heading (`titled`).
pub(crate) fn with_frame(doc: &ExportDoc, blocks: &[Block], titled: bool) -> String {
    framed(doc, blocks, titled, doc.markdown.trim(), true)
}

/// The plain-text export of the document whose body is `blocks`: the same frame, unmarked.
pub(crate) fn plain_with_frame(doc: &ExportDoc, blocks: &[Block], titled: bool) -> String {
    framed(doc, blocks, titled, plain_text(blocks).trim(), false)
}

/// `body` inside the frame, the frame's labels in bold when `markdown`.
fn framed(doc: &ExportDoc, blocks: &[Block], titled: bool, body: &str, markdown: bool) -> String {
    let mut s = String::new();
    let label = |l: &str| if markdown { format!("**{}**", with_colon(l, doc.lang)) } else { with_colon(l, doc.lang) };
    let Some(f) = Frame::of(doc, blocks) else {
        if let Some(t) = doc.title.as_ref().filter(|_| !titled) {
            s.push_str(&if markdown { format!("# {t}\n\n") } else { format!("{t}\n\n") });
        }
        s.push_str(body);
        s.push('\n');
        push_annex(&mut s, doc, markdown);
        return s;
    };
    let lab = labels(doc.lang);
    let block = |s: &mut String, lines: &[String]| {
        if !lines.is_empty() {
            s.push_str(&lines.join("\n"));
            s.push_str("\n\n");
        }
    };
    let opt = |v: &Option<String>| v.iter().cloned().collect::<Vec<_>>();
    block(&mut s, &opt(&f.reference));
    let mut date = opt(&f.place_date);
    if f.place_date.is_some() {
        date.extend(opt(&f.hijri));
    }
    block(&mut s, &date);
    if !f.title_from_body {
        if let Some(t) = &f.title {
            block(&mut s, &[if markdown { format!("**{t}**") } else { t.clone() }]);
        }
    }
    let pj = |f: &Frame| {
        f.pj.as_ref().map(|(count, list)| {
            let mut v = vec![format!("{} {count}", label(lab.pj))];
            v.extend(list.iter().map(|i| format!("- {i}")));
            v
        })
    };
    if f.is(OutputKind::Note) {
        let mut lines = Vec::new();
        if !f.sender.is_empty() {
            lines.push(format!("{} {}", label(lab.from), f.sender.join(" ")));
        }
        if !f.addressee.is_empty() {
            lines.push(format!("{} {}", label(lab.to_note), f.addressee.join(" ")));
        }
        lines.extend(opt(&f.sous_couvert));
        block(&mut s, &lines);
    } else if !f.is(OutputKind::Act) {
        let mut lines = f.sender.clone();
        if !f.sender.is_empty() && !f.addressee.is_empty() {
            lines.push(lab.to.to_string());
        }
        lines.extend(f.addressee.iter().cloned());
        lines.extend(opt(&f.sous_couvert));
        block(&mut s, &lines);
    }
    for (name, value) in [(lab.objet, &f.objet), (lab.their_ref, &f.their_ref)] {
        if let Some(v) = value {
            block(&mut s, &[format!("{} {v}", label(name))]);
        }
    }
    if let Some(lines) = pj(&f) {
        block(&mut s, &lines);
    }
    s.push_str(body);
    s.push_str("\n\n");
    let mut sig = opt(&f.fait_a);
    if f.fait_a.is_some() {
        sig.extend(opt(&f.hijri));
    }
    block(&mut s, &sig);
    let mut sig = opt(&f.delegation);
    sig.extend(f.function.iter().cloned());
    sig.extend(opt(&f.name));
    block(&mut s, &sig);
    let signatures: Vec<String> = f.signatures.iter().map(|(func, name)| match name {
        Some(n) => format!("{} {n}", with_colon(func, doc.lang)),
        None => func.clone(),
    }).collect();
    block(&mut s, &signatures);
    if !f.copies.is_empty() {
        let mut lines = vec![label(f.copies_label)];
        lines.extend(f.copies.iter().map(|c| format!("- {c}")));
        block(&mut s, &lines);
    }
    let mut s = s.trim_end().to_string() + "\n";
    push_annex(&mut s, doc, markdown);
    s
}

/// The audit annex after a rule (Markdown) or a blank line (text).
fn push_annex(s: &mut String, doc: &ExportDoc, markdown: bool) {
    let Some(a) = &doc.audit else { return };
    let a = annex(a, doc.lang);
    s.push_str(if markdown { "\n---\n\n" } else { "\n" });
    s.push_str(&if markdown { format!("## {}\n\n", a.title) } else { format!("{}\n\n", a.title) });
    for (label, value) in &a.rows {
        let l = with_colon(label, doc.lang);
        s.push_str(&if markdown { format!("- **{l}** {value}\n") } else { format!("{l} {value}\n") });
    }
    s.push_str(&format!("\n{}\n\n", if markdown { format!("**{}**", a.approvals_title) } else { a.approvals_title.to_string() }));
    if a.approvals.is_empty() {
        s.push_str(a.no_approval);
        s.push('\n');
    } else if markdown {
        s.push_str(&format!("| {} |\n|---|---|---|\n", a.header.join(" | ")));
        for r in &a.approvals {
            s.push_str(&format!("| {} |\n", r.join(" | ")));
        }
    } else {
        for r in &a.approvals {
            s.push_str(&format!("{}\n", r.join(" | ")));
        }
    }
    s.push_str(&format!("\n{}\n", a.note));
}

/// Markdown to plain text: markup dropped, list markers and table cells kept readable.
pub fn to_plain_text(md: &str) -> String {
    plain_text(&blocks::parse(md))
}

/// The blocks as plain text: a blank line between blocks, list items on their own lines with
/// their number or a dash (nested ones indented), table rows with cells between bars, a
/// link's target in brackets after its text.
pub(crate) fn plain_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    write_plain(&mut out, blocks, 0);
    out.trim().to_string() + "\n"
}

fn write_plain(out: &mut String, blocks: &[Block], depth: usize) {
    let end = |out: &mut String| {
        out.push('\n');
        if depth == 0 {
            out.push('\n');
        }
    };
    for b in blocks {
        match b {
            Block::Heading { runs, .. } | Block::Paragraph { runs } => {
                out.push_str(&runs_text(runs));
                end(out);
            }
            Block::List { start, items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&"  ".repeat(depth));
                    match start {
                        Some(n) => out.push_str(&format!("{}. ", n + i as u64)),
                        None => out.push_str("- "),
                    }
                    let rest = match item.first() {
                        Some(Block::Paragraph { runs }) => {
                            out.push_str(&runs_text(runs));
                            out.push('\n');
                            &item[1..]
                        }
                        _ => {
                            out.push('\n');
                            &item[..]
                        }
                    };
                    for block in rest {
                        if matches!(block, Block::Paragraph { .. } | Block::Heading { .. }) {
                            out.push_str(&"  ".repeat(depth + 1));
                        }
                        write_plain(out, std::slice::from_ref(block), depth + 1);
                    }
                }
                if depth == 0 {
                    out.push('\n');
                }
            }
            Block::Table { header, rows, .. } => {
                for row in std::iter::once(header).chain(rows) {
                    let cells: Vec<String> = row.iter().map(|c| runs_text(c)).collect();
                    out.push_str(&cells.join(" | "));
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Quote { blocks } => write_plain(out, blocks, depth),
            Block::Code { text, .. } => {
                out.push_str(text);
                end(out);
            }
            Block::Rule | Block::PageBreak => out.push('\n'),
        }
    }
}

/// Runs as text, each link followed by its target.
fn runs_text(runs: &[Run]) -> String {
    let mut s = String::new();
    for (i, r) in runs.iter().enumerate() {
        s.push_str(&r.text);
        if let Some(url) = blocks::link_note(runs, i) {
            s.push_str(&url);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_structure() {
        let t = to_plain_text("# Titre\n\nUn **gras** et *italique*.\n\n1. un\n2. deux\n\n- a\n- b\n\n| A | B |\n|---|---|\n| 1 | 2 |\n");
        assert_eq!(t, "Titre\n\nUn gras et italique.\n\n1. un\n2. deux\n\n- a\n- b\n\nA | B\n1 | 2\n");
    }
}
