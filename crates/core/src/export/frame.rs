//! The official frame of a letter, a note or an act, worded in the document's language once for
//! every writer: Katib's Word layout (`docx`), the administration's own letterhead (`fill`) and
//! the .md/.txt exports read the same [`Frame`], so "P.J. : 2", "S/C de ...", "Fait à Oujda,
//! le ..." or «وحرر بوجدة في ...» are written in one place.
//!
//! Which parts a kind shows, in page order:
//! - letter: N°, place and date (Hijri line), sender "à" addressee, S/C, Objet, Réf., P.J., body,
//!   signature block, copies;
//! - note: N°, place and date, a title when given, the "De / À / Objet" block, S/C, Réf., P.J.,
//!   body, signature block, copies;
//! - act: N°, the centred title (the `titre` part, or the body's opening heading), body,
//!   "Fait à ..., le ...", signature block, the signatories' table, ampliations or copies.
//!
//! Deliberately not here: layout (alignment, spacing, tables), which is each writer's.

use super::blocks::{plain_text, Block};
use super::{labels, place_and_date, reference_line, ExportDoc};
use crate::kinds::OutputKind;
use crate::Lang;

/// The frame's texts, ready to be laid out.
#[derive(Clone, Debug, Default)]
pub(crate) struct Frame {
    pub kind: Option<OutputKind>,
    /// "N° 1234/DAG/2026" / "رقم: 1234/2026".
    pub reference: Option<String>,
    /// Letters and notes, at the top: "Oujda, le 23 novembre 2026".
    pub place_date: Option<String>,
    /// Arabic documents when configured: "12 جمادى الآخرة 1448 هـ", under the date (or under
    /// "Fait à" in an act).
    pub hijri: Option<String>,
    /// Acts: the centred title; notes: a title when the template gives one.
    pub title: Option<String>,
    /// The title was the body's opening heading: the body starts after it.
    pub title_from_body: bool,
    /// The sender's lines (letters: above "à"; notes: "De :"; not shown in an act).
    pub sender: Vec<String>,
    /// The addressee's lines.
    pub addressee: Vec<String>,
    /// "S/C de Monsieur le Gouverneur ..." / «عن طريق السيد العامل ...».
    pub sous_couvert: Option<String>,
    pub objet: Option<String>,
    pub their_ref: Option<String>,
    /// The enclosures: the count (or the value as written when it is a bare count or text
    /// that starts with one), then the items, one per line.
    pub pj: Option<(String, Vec<String>)>,
    /// Acts: "Fait à Oujda, le 23 novembre 2026" / «وحرر بوجدة في 23 نونبر 2026».
    pub fait_a: Option<String>,
    /// Above the function: "Pour le Président et par délégation".
    pub delegation: Option<String>,
    /// The signatory's function (one or more lines).
    pub function: Vec<String>,
    /// The signatory's name, when it is this function's.
    pub name: Option<String>,
    /// Acts signed by several people: (function, name) per signatory.
    pub signatures: Vec<(String, Option<String>)>,
    /// "Copie à" / "Ampliations" / «نسخة إلى».
    pub copies_label: &'static str,
    pub copies: Vec<String>,
}

/// The non-empty lines of a field value, trimmed, list markers ("- ", "• ", "1. ") removed.
pub(crate) fn items(value: &str) -> Vec<String> {
    value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let l = l.strip_prefix("- ").or_else(|| l.strip_prefix("• ")).or_else(|| l.strip_prefix("– ")).or_else(|| l.strip_prefix("* ")).unwrap_or(l);
            let l = match l.split_once(['.', ')']) {
                Some((n, rest)) if !n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit()) && rest.starts_with(' ') => rest,
                _ => l,
            };
            l.trim().to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

fn lines(value: Option<&String>) -> Vec<String> {
    value.map(|v| v.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()).unwrap_or_default()
}

fn some(v: &Option<String>) -> Option<&String> {
    v.as_ref().filter(|v| !v.trim().is_empty())
}

/// "P.J. : 2" and the list, from one item per line; a value that is one line starting with a
/// digit ("2 (plans et devis)") is a count already and is written as it is.
fn attachments(value: &str) -> Option<(String, Vec<String>)> {
    let list = items(value);
    match list.as_slice() {
        [] => None,
        [one] if one.starts_with(|c: char| c.is_ascii_digit()) => Some((one.clone(), Vec::new())),
        _ => Some((list.len().to_string(), list)),
    }
}

/// "S/C de Monsieur le Gouverneur", "S/C du Directeur...", «عن طريق السيد العامل»; a value that
/// already says it is written as it is.
fn sous_couvert(value: &str, lang: Lang) -> String {
    let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = v.to_lowercase();
    match lang {
        Lang::Fr => {
            if lower.starts_with("s/c") || lower.starts_with("sous couvert") {
                v
            } else if let Some(rest) = v.strip_prefix("Le ").or_else(|| v.strip_prefix("le ")) {
                format!("S/C du {rest}")
            } else if let Some(rest) = v.strip_prefix("Les ").or_else(|| v.strip_prefix("les ")) {
                format!("S/C des {rest}")
            } else if let Some(rest) = v.strip_prefix("La ").or_else(|| v.strip_prefix("la ")) {
                format!("S/C de la {rest}")
            } else {
                format!("S/C de {v}")
            }
        }
        // "Sous couvert de": the letter goes through the hierarchy, «عن طريق السيد ...».
        Lang::Ar => {
            if v.starts_with("عن طريق") || v.starts_with("تحت إشراف") || v.starts_with("تحت اشراف") {
                v
            } else {
                format!("عن طريق {v}")
            }
        }
        Lang::En => {
            if lower.starts_with("through") || lower.starts_with("via") {
                v
            } else {
                format!("Through {v}")
            }
        }
    }
}

/// "Fait à Oujda, le 23 novembre 2026" / «وحرر بوجدة في 23 نونبر 2026».
pub(crate) fn fait_a(ville: Option<&str>, iso_date: &str, lang: Lang) -> String {
    let date = place_and_date(None, iso_date, lang);
    let ville = ville.map(str::trim).filter(|v| !v.is_empty());
    match lang {
        Lang::Fr => {
            let date = date.strip_prefix("Le ").unwrap_or(&date);
            match ville {
                Some(v) => format!("Fait à {v}, le {date}"),
                None => format!("Fait le {date}"),
            }
        }
        // «بـ» is joined to the place's name: «بوجدة».
        Lang::Ar => match ville {
            Some(v) => format!("وحرر ب{v} في {date}"),
            None => format!("وحرر في {date}"),
        },
        Lang::En => match ville {
            Some(v) => format!("Done at {v}, {date}"),
            None => format!("Done on {date}"),
        },
    }
}

/// "Arrêté ..." or "Décision ...": an act whose copies are ampliations.
fn is_order(title: Option<&str>) -> bool {
    let Some(t) = title else { return false };
    let t = t.trim_start().to_lowercase();
    t.starts_with("arrêté") || t.starts_with("arrete") || t.starts_with("décision") || t.starts_with("decision") || t.starts_with("قرار") || t.starts_with("مقرر")
}

/// A line of the `signatures` part: "La Présidente de la commission : Houda Benamar" (also
/// with «:» in Arabic, or a tab) is a function and a name; a line without one is a function.
fn signatory(line: &str) -> (String, Option<String>) {
    let split = line.split_once('\t').or_else(|| line.split_once(':'));
    match split {
        Some((f, n)) if !f.trim().is_empty() && !n.trim().is_empty() => (f.trim().to_string(), Some(n.trim().to_string())),
        _ => (line.trim().trim_end_matches(':').trim().to_string(), None),
    }
}

impl Frame {
    /// The frame of `doc` (None when it has no letter parts), and whether its title is the
    /// body's opening heading (`blocks[0]`, which the body then leaves out).
    pub(crate) fn of(doc: &ExportDoc, blocks: &[Block]) -> Option<Frame> {
        let l = doc.letter.as_ref()?;
        let lang = doc.lang;
        let lab = labels(lang);
        let kind = match doc.kind {
            OutputKind::Note | OutputKind::Act => doc.kind,
            // Letters, and framed reports from older callers, are letters.
            _ => OutputKind::Letter,
        };
        let hijri = l.date.as_deref().filter(|_| lang == Lang::Ar && doc.letterhead.as_ref().is_some_and(|h| h.hijri)).and_then(super::hijri_date);
        let mut f = Frame { kind: Some(kind), copies_label: lab.copies, ..Frame::default() };
        f.reference = some(&l.reference).map(|r| reference_line(r.trim(), lang));
        f.hijri = hijri;
        f.title = some(&l.titre).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
        if kind == OutputKind::Act && f.title.is_none() {
            if let Some(Block::Heading { runs, .. }) = blocks.first() {
                let t = plain_text(runs).trim().to_string();
                if !t.is_empty() {
                    f.title = Some(t);
                    f.title_from_body = true;
                }
            }
        }
        match (kind, l.date.as_deref().filter(|d| !d.trim().is_empty())) {
            (OutputKind::Act, Some(d)) => f.fait_a = Some(fait_a(l.ville.as_deref(), d, lang)),
            (_, Some(d)) => f.place_date = Some(place_and_date(l.ville.as_deref(), d, lang)),
            _ => {}
        }
        // Filled for every kind (a user's letterhead may place them anywhere); an act's layout
        // shows no sender or addressee block.
        f.sender = lines(some(&l.expediteur));
        f.addressee = lines(some(&l.destinataire));
        f.sous_couvert = some(&l.sous_couvert).map(|s| sous_couvert(s, lang));
        f.objet = some(&l.objet).map(|o| o.split_whitespace().collect::<Vec<_>>().join(" "));
        f.their_ref = some(&l.their_ref).map(|r| r.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" "));
        f.pj = some(&l.pieces_jointes).and_then(|p| attachments(p));
        f.delegation = some(&l.delegation).map(|d| d.trim().to_string());
        f.function = lines(some(&l.signataire));
        // The name of THIS signatory only (the runner decides; the letterhead's is the same).
        let name = some(&l.signataire_nom).or_else(|| doc.letterhead.as_ref().and_then(|h| some(&h.signature_name)));
        f.name = name.map(|n| n.trim().to_string());
        f.signatures = some(&l.signatures).map(|s| items(s).iter().map(|line| signatory(line)).collect()).unwrap_or_default();
        f.copies = some(&l.copies).map(|c| items(c)).unwrap_or_default();
        if kind == OutputKind::Act && is_order(f.title.as_deref()) {
            f.copies_label = lab.ampliations;
        }
        Some(f)
    }

    pub(crate) fn is(&self, kind: OutputKind) -> bool {
        self.kind == Some(kind)
    }

    /// Whether there is a signature block (delegation, function or name).
    pub(crate) fn has_signature(&self) -> bool {
        self.delegation.is_some() || !self.function.is_empty() || self.name.is_some()
    }
}

/// Whether a paragraph of an act's body is its operative word ("Arrête :", "Décide :",
/// «يقرر ما يلي:»), which is centred on its own line.
pub(crate) fn is_operative_word(text: &str) -> bool {
    let t: String = text.trim().trim_end_matches([':', '：', '.']).trim().to_lowercase();
    let t = t.trim_matches('*').trim();
    matches!(t, "arrête" | "arrete" | "arrêtons" | "décide" | "decide" | "décidons" | "décrète" | "orders" | "decides")
        || matches!(t, "يقرر" | "يقرر ما يلي" | "يقرر ما يأتي" | "قرر" | "قرر ما يلي" | "قرر ما يأتي" | "يقرر ما يلي ذكره")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{LetterParts, Letterhead};

    #[test]
    fn parts_are_worded_in_the_documents_language() {
        assert_eq!(attachments("- plan de situation\n- devis estimatif\n"), Some(("2".into(), vec!["plan de situation".into(), "devis estimatif".into()])));
        assert_eq!(attachments("2 (plans et devis)"), Some(("2 (plans et devis)".into(), vec![])));
        assert_eq!(attachments("1. note\n2. annexe"), Some(("2".into(), vec!["note".into(), "annexe".into()])));
        assert_eq!(sous_couvert("Monsieur le Gouverneur de la Préfecture d'Oujda-Angad", Lang::Fr), "S/C de Monsieur le Gouverneur de la Préfecture d'Oujda-Angad");
        assert_eq!(sous_couvert("Le Gouverneur", Lang::Fr), "S/C du Gouverneur");
        assert_eq!(sous_couvert("S/C de M. le Wali", Lang::Fr), "S/C de M. le Wali");
        assert_eq!(sous_couvert("السيد عامل عمالة وجدة أنجاد", Lang::Ar), "عن طريق السيد عامل عمالة وجدة أنجاد");
        assert_eq!(fait_a(Some("Oujda"), "2026-11-23", Lang::Fr), "Fait à Oujda, le 23 novembre 2026");
        assert_eq!(fait_a(Some("وجدة"), "2026-11-23", Lang::Ar), "وحرر بوجدة في 23 نونبر 2026");
        assert_eq!(fait_a(None, "2026-12-01", Lang::Fr), "Fait le 1er décembre 2026");
        assert_eq!(signatory("La Présidente de la commission : Houda Benamar"), ("La Présidente de la commission".into(), Some("Houda Benamar".into())));
        assert_eq!(signatory("رئيس اللجنة: مصطفى الإدريسي"), ("رئيس اللجنة".into(), Some("مصطفى الإدريسي".into())));
        assert_eq!(signatory("Le Rapporteur"), ("Le Rapporteur".into(), None));
        assert!(is_operative_word("Arrête :") && is_operative_word("**ARRÊTE**") && is_operative_word("يقرر ما يلي:"));
        assert!(!is_operative_word("Arrête la liste suivante :"));
    }

    #[test]
    fn an_act_takes_its_title_from_the_body_and_orders_have_ampliations() {
        let blocks = crate::export::blocks::parse("# Arrêté n° 12/2026 portant ...\n\nVu ...");
        let l = LetterParts { date: Some("2026-11-23".into()), ville: Some("Oujda".into()), copies: Some("- M. le Wali\n- M. le Pacha".into()), signataire: Some("Le Président".into()), signataire_nom: None, ..Default::default() };
        let lh = Letterhead { signature_name: Some("Mohammed Benali".into()), ..Default::default() };
        let doc = ExportDoc { letter: Some(l), letterhead: Some(lh), ..ExportDoc::new("x", Lang::Fr, OutputKind::Act) };
        let f = Frame::of(&doc, &blocks).unwrap();
        assert_eq!(f.title.as_deref(), Some("Arrêté n° 12/2026 portant ..."));
        assert!(f.title_from_body);
        assert_eq!(f.fait_a.as_deref(), Some("Fait à Oujda, le 23 novembre 2026"));
        assert!(f.place_date.is_none(), "an act is dated where it is signed");
        assert_eq!(f.copies_label, "Ampliations");
        assert_eq!(f.copies, vec!["M. le Wali".to_string(), "M. le Pacha".to_string()]);
        assert_eq!(f.name.as_deref(), Some("Mohammed Benali"));
        // A letter: the place and date at the top, copies are copies.
        let letter = ExportDoc { kind: OutputKind::Letter, ..doc };
        let f = Frame::of(&letter, &blocks).unwrap();
        assert!(f.title.is_none() && f.fait_a.is_none());
        assert_eq!(f.place_date.as_deref(), Some("Oujda, le 23 novembre 2026"));
        assert_eq!(f.copies_label, "Copie à");
    }
}
