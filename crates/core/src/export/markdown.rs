//! The .md and .txt exports: the answer with its letter frame, as text. The .md export keeps the
//! answer's Markdown exactly as written (re-writing it from the blocks would only lose the
//! author's spacing); the .txt export is written from the blocks.

use super::blocks::{self, Block, Run};
use super::{labels, place_and_date, reference_line, ExportDoc};

/// The Markdown export: for letters, the frame lines around the body; for reports, the title
/// unless the answer opens with a heading (`titled`).
pub(crate) fn with_frame(doc: &ExportDoc, titled: bool) -> String {
    framed(doc, titled, doc.markdown.trim(), true)
}

/// The plain-text export of the document whose body is `blocks`: the same frame, unmarked.
pub(crate) fn plain_with_frame(doc: &ExportDoc, blocks: &[Block], titled: bool) -> String {
    framed(doc, titled, plain_text(blocks).trim(), false)
}

/// `body` inside the frame, the frame's labels in bold when `markdown`.
fn framed(doc: &ExportDoc, titled: bool, body: &str, markdown: bool) -> String {
    let Some(l) = &doc.letter else {
        let mut s = String::new();
        if let Some(t) = doc.title.as_ref().filter(|_| !titled) {
            s.push_str(&if markdown { format!("# {t}\n\n") } else { format!("{t}\n\n") });
        }
        s.push_str(body);
        s.push('\n');
        return s;
    };
    let label = |l: &str| if markdown { format!("**{l} :**") } else { format!("{l} :") };
    let lab = labels(doc.lang);
    let mut s = String::new();
    if let Some(d) = &l.date {
        s.push_str(&place_and_date(l.ville.as_deref(), d, doc.lang));
        s.push_str("\n\n");
    }
    if let Some(r) = &l.reference {
        s.push_str(&format!("{}\n\n", reference_line(r, doc.lang)));
    }
    if let Some(e) = &l.expediteur {
        s.push_str(&format!("{e}\n\n"));
    }
    if let Some(d) = &l.destinataire {
        s.push_str(&format!("{}\n\n{d}\n\n", lab.to));
    }
    for (name, value) in [(lab.objet, &l.objet), (lab.their_ref, &l.their_ref), (lab.pj, &l.pieces_jointes)] {
        if let Some(v) = value {
            s.push_str(&format!("{} {v}\n\n", label(name)));
        }
    }
    s.push_str(body);
    s.push_str("\n\n");
    if let Some(sig) = &l.signataire {
        s.push_str(&format!("{sig}\n\n"));
    }
    if let Some(c) = &l.copies {
        s.push_str(&format!("{} : {c}\n", lab.copies));
    }
    s.trim_end().to_string() + "\n"
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
