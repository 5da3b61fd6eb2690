//! An answer cut into words once for every check: each word with its byte offsets in the answer
//! and its folded form, so a check compares folded words and still points at the original text.
//!
//! A word is a run of letters and digits, with `-`, `.`, `/` and `°` kept inside it ("113-14",
//! "1.15.85", "p.j", "n°"); apostrophes split ("l'article" is "l" and "article").

use crate::text::fold;

use super::Finding;

#[derive(Debug)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub norm: String,
}

pub struct Doc<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    pub folded: String,
}

fn inner(c: char) -> bool {
    matches!(c, '-' | '.' | '/' | '°')
}

/// Cuts `text` into words: (start, end) byte offsets.
pub fn spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_alnum_end = 0;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() || (is_mark(c) && start.is_some()) {
            if start.is_none() {
                start = Some(i);
            }
            if c.is_alphanumeric() || is_mark(c) {
                last_alnum_end = i + c.len_utf8();
            }
        } else if inner(c) && start.is_some() {
            // Kept only if a letter or digit follows (checked when the word ends).
            if c == '°' {
                last_alnum_end = i + c.len_utf8();
            }
        } else if let Some(s) = start.take() {
            out.push((s, last_alnum_end));
        }
    }
    if let Some(s) = start {
        out.push((s, last_alnum_end));
    }
    out
}

/// Arabic vowel marks and other combining marks belong to the word they sit on.
fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c) || c == '\u{0640}'
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        let tokens = spans(text).into_iter().map(|(start, end)| Token { start, end, norm: fold(&text[start..end]) }).collect();
        Doc { text, tokens, folded: fold(text) }
    }

    /// Every occurrence of `phrase` (folded and cut the same way) as whole words, from token
    /// `from` on: (first token, last token) indices.
    pub fn find_phrase(&self, phrase: &str, from: usize) -> Vec<(usize, usize)> {
        let want: Vec<String> = spans(phrase).into_iter().map(|(s, e)| fold(&phrase[s..e])).collect();
        if want.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let n = want.len();
        for i in from..self.tokens.len().saturating_sub(n - 1) {
            if self.tokens[i..i + n].iter().zip(&want).all(|(t, w)| &t.norm == w) {
                out.push((i, i + n - 1));
            }
        }
        out
    }

    /// A finding spanning tokens `a..=b`.
    pub fn finding(&self, a: usize, b: usize) -> Finding {
        self.span(self.tokens[a].start, self.tokens[b].end)
    }

    /// A finding for bytes `start..end` of the answer.
    pub fn span(&self, start: usize, end: usize) -> Finding {
        let u16 = |at: usize| self.text[..at].encode_utf16().count();
        Finding { text: self.text[start..end].to_string(), start, end, start16: u16(start), end16: u16(end) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_numbers_and_marks_whole() {
        let t = "L'article 12 de la loi n° 113-14, p.j. : 2 ; الظهير الشريف رقم 1.15.85.";
        let words: Vec<&str> = spans(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(words, ["L", "article", "12", "de", "la", "loi", "n°", "113-14", "p.j", "2", "الظهير", "الشريف", "رقم", "1.15.85"]);
    }

    #[test]
    fn phrases_match_folded_whole_words() {
        let d = Doc::new("Veuillez agréer, Madame, l’expression de mes salutations distinguées.");
        assert_eq!(d.find_phrase("salutations distinguees", 0).len(), 1);
        assert_eq!(d.find_phrase("agreer madame", 0).len(), 1);
        assert!(d.find_phrase("salut", 0).is_empty());
        let f = d.finding(7, 8);
        assert_eq!(f.text, "salutations distinguées");
    }
}
