//! A text cut into tokens (words, numbers, punctuation) with their folded forms, built once per
//! text and shared by every detector.
//!
//! The folded text is the tokens' folded forms joined as they were (nothing between touching
//! tokens, one space for any run of spaces, one line break for any gap holding one), so a multi-word
//! keyword such as "carte nationale" or "c.i.n" is found in it by one automaton whatever the spacing
//! or case of the original. Every token keeps its byte range in the original text, which is what
//! detections report.
//!
//! Deliberately not here: any judgement about what a token means (see `lexicon` and `detect`).

use crate::fold::{self, digit_value, is_arabic_letter, is_invisible, is_mark, is_space};

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// Letters (one script; a change of script starts a new token).
    Word,
    /// Decimal digits in any script.
    Num,
    /// One character of anything else.
    Punct,
}

/// What separates a token from the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Gap {
    /// The tokens touch ("AB" "123456", "M" ".").
    None,
    /// Spaces only.
    Space,
    /// At least one line break.
    Line,
    /// An empty line (paragraph break).
    Para,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Script {
    Latin,
    Arabic,
    Other,
}

/// The case of a Latin word: how a name is told from the words around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    Lower,
    /// First letter upper case ("Amrani", also a lone "M").
    Title,
    /// Two letters or more, all upper case ("AMRANI").
    Upper,
    /// Not a Latin word.
    None,
}

#[derive(Clone, Debug)]
pub(crate) struct Tok {
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
    /// Byte range in the folded text.
    pub fstart: usize,
    pub fend: usize,
    pub class: Class,
    pub gap: Gap,
    pub script: Script,
    pub case: Case,
    /// The number of chars (letters or digits) of the token.
    pub len: usize,
}

pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub toks: Vec<Tok>,
    pub folded: String,
}

fn char_class(c: char) -> Option<(Class, Script)> {
    if digit_value(c).is_some() {
        Some((Class::Num, Script::Other))
    } else if is_arabic_letter(c) {
        Some((Class::Word, Script::Arabic))
    } else if c.is_alphabetic() {
        let s = if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
            Script::Latin
        } else {
            Script::Other
        };
        Some((Class::Word, s))
    } else {
        None
    }
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 4 + 1);
        let mut folded = String::with_capacity(text.len() + 8);
        let mut gap = Gap::None;
        let mut lines = 0u8;
        let mut cur: Option<Tok> = None;
        // Case bookkeeping for the current Latin word.
        let (mut upper, mut lower, mut first_upper) = (0usize, 0usize, false);

        let finish = |cur: &mut Option<Tok>,
                      toks: &mut Vec<Tok>,
                      folded: &str,
                      upper: usize,
                      lower: usize,
                      first_upper: bool| {
            if let Some(mut t) = cur.take() {
                t.fend = folded.len();
                if t.class == Class::Word && t.script == Script::Latin {
                    t.case = if upper >= 2 && lower == 0 {
                        Case::Upper
                    } else if first_upper {
                        Case::Title
                    } else {
                        Case::Lower
                    };
                    let _ = upper;
                }
                toks.push(t);
            }
        };

        for (i, c) in text.char_indices() {
            if is_invisible(c) {
                continue;
            }
            // Marks extend the current word whatever their class.
            if is_mark(c) {
                if let Some(t) = cur.as_mut() {
                    t.end = i + c.len_utf8();
                }
                continue;
            }
            let class = char_class(c);
            if let (Some(t), Some((cl, sc))) = (cur.as_mut(), class) {
                if t.class == cl && (cl == Class::Num || t.script == sc) {
                    t.end = i + c.len_utf8();
                    t.len += 1;
                    fold::push_folded(c, &mut folded);
                    if c.is_uppercase() {
                        upper += 1;
                    } else if c.is_lowercase() {
                        lower += 1;
                    }
                    continue;
                }
            }
            finish(&mut cur, &mut toks, &folded, upper, lower, first_upper);
            if c == '\n' || c == '\r' {
                if c == '\n' {
                    lines = lines.saturating_add(1);
                }
                gap = gap.max(if lines >= 2 { Gap::Para } else { Gap::Line });
                continue;
            }
            if is_space(c) {
                gap = gap.max(Gap::Space);
                continue;
            }
            if !toks.is_empty() || gap != Gap::None {
                match gap {
                    Gap::None => {}
                    Gap::Space => folded.push(' '),
                    Gap::Line | Gap::Para => folded.push('\n'),
                }
            }
            let fstart = folded.len();
            fold::push_folded(c, &mut folded);
            let (cl, sc) = class.unwrap_or((Class::Punct, Script::Other));
            upper = usize::from(c.is_uppercase());
            lower = usize::from(c.is_lowercase());
            first_upper = c.is_uppercase();
            let t = Tok {
                start: i,
                end: i + c.len_utf8(),
                fstart,
                fend: folded.len(),
                class: cl,
                gap,
                script: sc,
                case: Case::None,
                len: 1,
            };
            gap = Gap::None;
            lines = 0;
            if cl == Class::Punct {
                toks.push(t);
            } else {
                cur = Some(t);
            }
        }
        finish(&mut cur, &mut toks, &folded, upper, lower, first_upper);
        Doc { text, toks, folded }
    }

    /// The folded form of token `i`.
    /// (Empty past the last token, so look-ahead needs no bounds check.)
    pub fn f(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| &self.folded[t.fstart..t.fend])
    }

    /// The original text of token `i`.
    /// (Empty past the last token.)
    pub fn o(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| &self.text[t.start..t.end])
    }

    /// Is token `i` the punctuation character `c`?
    pub fn is_p(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.class == Class::Punct && self.f(i).starts_with(c))
    }

    /// The index of the token whose folded range starts at `fpos`, if one does.
    pub fn tok_starting_at(&self, fpos: usize) -> Option<usize> {
        let i = self.toks.partition_point(|t| t.fstart < fpos);
        (i < self.toks.len() && self.toks[i].fstart == fpos).then_some(i)
    }

    /// The index of the token whose folded range ends at `fpos`, if one does.
    pub fn tok_ending_at(&self, fpos: usize) -> Option<usize> {
        let i = self.toks.partition_point(|t| t.fend < fpos);
        (i < self.toks.len() && self.toks[i].fend == fpos).then_some(i)
    }

    /// The index of the token holding folded byte `fpos`.
    pub fn tok_at(&self, fpos: usize) -> Option<usize> {
        let i = self.toks.partition_point(|t| t.fend <= fpos);
        (i < self.toks.len() && self.toks[i].fstart <= fpos).then_some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_original_ranges_and_fold() {
        let text = "M. Youssef AMRANI, CIN n° AB123456\n\nالسيد مُحَمَّد ل[NOM_1] ٠٦١٢";
        let d = Doc::new(text);
        let words: Vec<&str> = (0..d.toks.len()).map(|i| d.o(i)).collect();
        assert_eq!(
            &words[..12],
            &["M", ".", "Youssef", "AMRANI", ",", "CIN", "n", "°", "AB", "123456", "السيد", "مُحَمَّد"]
        );
        assert_eq!(d.toks[2].case, Case::Title);
        assert_eq!(d.toks[3].case, Case::Upper);
        assert_eq!(d.toks[0].case, Case::Title);
        assert_eq!(d.toks[9].gap, Gap::None);
        assert_eq!(d.toks[10].gap, Gap::Para);
        assert_eq!(d.f(11), "محمد");
        assert!(d.folded.starts_with("m. youssef amrani, cin n° ab123456\nالسيد محمد ل[nom_1] 0612"));
        let last = d.toks.len() - 1;
        assert_eq!(d.f(last), "0612");
        assert_eq!(d.tok_starting_at(d.toks[3].fstart), Some(3));
        assert_eq!(d.tok_ending_at(d.toks[3].fend), Some(3));
        assert_eq!(d.tok_at(d.toks[3].fstart + 2), Some(3));
    }
}
