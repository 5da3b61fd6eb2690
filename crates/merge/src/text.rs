//! Small text rules shared by the merge: how a header or a field name is compared (accents,
//! case, Arabic letter forms and punctuation ignored), the `{{name}}` placeholders of a draft,
//! how a cell's value is made safe to drop into Markdown, column letters, and the rough token
//! count of an estimate.

use std::ops::Range;

/// The comparable form of a header, a field name or a placeholder: folded as the history's
/// search folds (lower case, accents and harakat dropped, alef, ta marbuta and ya forms unified,
/// Arabic-Indic digits), then every run of non-alphanumeric characters (spaces, '_', '-', '°',
/// apostrophes) made one space. "N° d'envoi", "n_d_envoi" and "N D'ENVOI" compare equal.
pub fn fold_key(s: &str) -> String {
    let folded = katib_history::fold(s);
    let mut out = String::with_capacity(folded.len());
    let mut space = true;
    for c in folded.chars() {
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A `{{name}}` in a draft: where it is, and the name as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Placeholder {
    pub span: Range<usize>,
    pub name: String,
}

/// Every `{{name}}` of `text` (spaces inside the braces allowed; no brace or line break in the
/// name; at most 80 characters).
pub fn placeholders(text: &str) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find("{{") {
        let start = at + open;
        let inner_start = start + 2;
        match text[inner_start..].find("}}") {
            Some(close) => {
                let inner = &text[inner_start..inner_start + close];
                if !inner.contains(['{', '}', '\n']) && !inner.trim().is_empty() && inner.chars().count() <= 80 {
                    out.push(Placeholder { span: start..inner_start + close + 2, name: inner.trim().to_string() });
                    at = inner_start + close + 2;
                } else {
                    at = inner_start;
                }
            }
            None => break,
        }
    }
    out
}

/// A cell's value as it goes into a letter's body: its lines and runs of spaces made single
/// spaces, trimmed (a Markdown paragraph would fold them the same way).
pub fn one_line(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `value` with every ASCII punctuation character backslash-escaped, so Markdown reads it as the
/// literal text it is ("*", "1.", "#", "<" in a name or an address never become formatting).
pub fn escape_markdown(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A rough count of the tokens a text costs, for an estimate shown before sending (not a
/// tokenizer): about four characters a token for Latin text, two and a half for Arabic, at
/// least one a word.
pub fn approx_tokens(text: &str) -> u64 {
    let mut total = 0f64;
    for word in text.split_whitespace() {
        let n = word.chars().count() as f64;
        let arabic = word.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        total += (n / if arabic { 2.5 } else { 4.0 }).ceil().max(1.0);
    }
    total.round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_accents_case_punctuation_and_arabic_forms() {
        assert_eq!(fold_key("Qualité"), "qualite");
        assert_eq!(fold_key("N° d'envoi"), fold_key("n_d_envoi"));
        assert_eq!(fold_key("  Nom   ET prénom "), "nom et prenom");
        assert_eq!(fold_key("الصِّفة"), fold_key("الصفة"));
        assert_eq!(fold_key("المدينة"), fold_key("المدينه"));
    }

    #[test]
    fn placeholders_are_found_with_their_spans() {
        let t = "Madame, {{ civilite }} {{nom}}, {{ }} {{a{b}} fin {{qualité}}";
        let p = placeholders(t);
        let names: Vec<&str> = p.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["civilite", "nom", "qualité"]);
        assert_eq!(&t[p[1].span.clone()], "{{nom}}");
    }

    #[test]
    fn values_are_escaped_for_markdown() {
        assert_eq!(escape_markdown("1. *Lot* #3 <b>"), "1\\. \\*Lot\\* \\#3 \\<b\\>");
        assert_eq!(escape_markdown("Aït Ben Haddou"), "Aït Ben Haddou");
        assert_eq!(one_line(" Hay  Al Qods\nOujda "), "Hay Al Qods Oujda");
        assert!(approx_tokens("Monsieur le Président du Conseil") >= 5);
    }
}
