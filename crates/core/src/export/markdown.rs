//! The .md and .txt exports: the answer with its letter frame, as text.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{labels, place_and_date, reference_line, ExportDoc};

pub(crate) fn md_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// The Markdown export: for letters, the frame lines around the body.
pub(crate) fn with_frame(doc: &ExportDoc) -> String {
    let Some(l) = &doc.letter else {
        let mut s = String::new();
        if let Some(t) = &doc.title {
            if !doc.markdown.trim_start().starts_with('#') {
                s.push_str(&format!("# {t}\n\n"));
            }
        }
        s.push_str(doc.markdown.trim());
        s.push('\n');
        return s;
    };
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
    if let Some(o) = &l.objet {
        s.push_str(&format!("**{} :** {o}\n\n", lab.objet));
    }
    if let Some(r) = &l.their_ref {
        s.push_str(&format!("**{} :** {r}\n\n", lab.their_ref));
    }
    if let Some(p) = &l.pieces_jointes {
        s.push_str(&format!("**{} :** {p}\n\n", lab.pj));
    }
    s.push_str(doc.markdown.trim());
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
    let mut out = String::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut cell = 0usize;
    for ev in Parser::new_ext(md, md_options()) {
        match ev {
            Event::Start(Tag::List(start)) => lists.push(start),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                out.push_str(&"  ".repeat(lists.len().saturating_sub(1)));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("- "),
                }
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) => {
                out.push('\n');
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableHead) => cell = 0,
            Event::Start(Tag::TableCell) => {
                if cell > 0 {
                    out.push_str(" | ");
                }
                cell += 1;
            }
            Event::End(TagEnd::TableRow) | Event::End(TagEnd::TableHead) => out.push('\n'),
            Event::End(TagEnd::Table) => out.push('\n'),
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Rule => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_string() + "\n"
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
