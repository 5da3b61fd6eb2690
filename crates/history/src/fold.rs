//! Folding text for search, the same for what is indexed and what is typed in the search box:
//! lower case, accents and other combining marks removed (compatibility decomposition, so Arabic
//! presentation forms from PDFs and ligatures fold too), and Arabic spelling variants made one:
//! harakat and tatweel removed, alef forms (أ إ آ ٱ) to ا, ta marbuta to ha, alif maqsura (and the
//! Persian yeh) to ya, keheh to kaf, Arabic-Indic digits to ASCII digits. SQLite's unicode61
//! tokenizer folds Latin accents but not Arabic letters, hence this step in Rust.
//!
//! Arabic attaches the article, alone or after a particle, to the word (المدرسة, بالمدرسة): the
//! index also gets each such word without it, and a query word is searched without it, so
//! "مدرسة", "المدرسة" and "بالمدرسة" find one another.
//!
//! [`Folded`] keeps, for every folded character, where it came from in the original text, so a
//! snippet is cut from the original (with its harakat and its ta marbuta) around folded matches.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Folds one character into `out` (zero, one or a few characters).
#[inline]
pub(crate) fn fold_char(c: char, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        out(c.to_ascii_lowercase());
        return;
    }
    if let Some(r) = fold_arabic(c) {
        if let Some(x) = r {
            out(x);
        }
        return;
    }
    fold_generic(c, out);
}

/// The common Arabic characters folded without the Unicode tables (folding Arabic text through
/// them is ten times slower than Latin): `Some(None)` drops the character, `Some(Some(x))`
/// gives `x`, `None` leaves it to [`fold_generic`]. A test checks that both agree on the whole
/// Arabic block.
#[inline]
fn fold_arabic(c: char) -> Option<Option<char>> {
    Some(match c as u32 {
        0x0610..=0x061A
        | 0x064B..=0x065F
        | 0x0670
        | 0x06D6..=0x06DC
        | 0x06DF..=0x06E4
        | 0x06E7..=0x06E8
        | 0x06EA..=0x06ED
        | 0x0640 => None,
        0x0622 | 0x0623 | 0x0625 | 0x0671 => Some('\u{0627}'),
        0x0624 => Some('\u{0648}'),
        0x0626 | 0x0649 | 0x06CC | 0x06D2 => Some('\u{064A}'),
        0x0629 => Some('\u{0647}'),
        0x06A9 => Some('\u{0643}'),
        0x0660..=0x0669 => Some(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        0x06F0..=0x06F9 => Some(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        0x0621 | 0x0627..=0x0628 | 0x062A..=0x063A | 0x0641..=0x064A => Some(c),
        _ => return None,
    })
}

/// Any character: compatibility decomposition, combining marks dropped, Arabic variants
/// mapped, lower case.
fn fold_generic(c: char, out: &mut impl FnMut(char)) {
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return; // accents, harakat, hamza and madda over/under alef, shadda, sukun...
        }
        match d {
            '\u{0640}' => {}                                         // tatweel
            '\u{0671}' => out('\u{0627}'),                           // alef wasla -> alef
            '\u{0629}' => out('\u{0647}'),                           // ta marbuta -> ha
            '\u{0649}' | '\u{06CC}' | '\u{06D2}' => out('\u{064A}'), // alif maqsura, Persian yeh -> ya
            '\u{06A9}' => out('\u{0643}'),                           // keheh -> kaf
            '\u{0660}'..='\u{0669}' => out(char::from(b'0' + (d as u32 - 0x0660) as u8)),
            '\u{06F0}'..='\u{06F9}' => out(char::from(b'0' + (d as u32 - 0x06F0) as u8)),
            _ => {
                for l in d.to_lowercase() {
                    out(l);
                }
            }
        }
    });
}

/// `text` folded for search.
pub fn fold(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut |f| s.push(f));
    }
    s
}

/// A character that belongs to a word (the same split as unicode61's: letters and digits).
/// ASCII and the Arabic letters first: the general lookup is slow, and folded text is mostly
/// those.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0x0621..=0x063A | 0x0641..=0x064A => true,
        _ => c.is_alphanumeric(),
    }
}

/// The words of folded text.
pub(crate) fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty())
}

/// The Arabic article and its combinations with و ف ب ك ل, attached in front of a word, longest
/// first. A word keeps at least three letters after stripping. A bare و is not stripped: too many
/// words begin with the letter (وزارة, وثيقة, وجدة).
const ARABIC_PREFIXES: [&str; 6] = ["وال", "فال", "بال", "كال", "لل", "ال"];

/// `word` (folded) without an attached Arabic article or conjunction, if it has one.
pub(crate) fn strip_arabic_prefix(word: &str) -> Option<&str> {
    for p in ARABIC_PREFIXES {
        if let Some(rest) = word.strip_prefix(p) {
            if rest.chars().count() >= 3 {
                return Some(rest);
            }
        }
    }
    None
}

/// `text` folded for the index: [`fold`], then the Arabic words that carry an attached particle
/// again without it (appended at the end, so positions of the text itself are unchanged).
pub fn fold_for_index(text: &str) -> String {
    let mut s = fold(text);
    let mut extra = String::new();
    for w in words(&s) {
        if let Some(stem) = strip_arabic_prefix(w) {
            extra.push(' ');
            extra.push_str(stem);
        }
    }
    if !extra.is_empty() {
        s.push_str(&extra);
    }
    s
}

/// Calls `f(folded word, start, end)` for each word of `text`, where `start..end` is the word's
/// byte range in `text` (the original, unfolded), until `f` returns false. Folds as it goes, so
/// a caller that stops early (a snippet near the start of a long answer) folds only that much.
pub(crate) fn scan_words(text: &str, mut f: impl FnMut(&str, usize, usize) -> bool) {
    let mut word = String::new();
    let (mut start, mut end) = (0, 0);
    let mut go = true;
    for (i, c) in text.char_indices() {
        let c_end = i + c.len_utf8();
        fold_char(c, &mut |x| {
            if !go {
                return;
            }
            if is_word_char(x) {
                if word.is_empty() {
                    start = i;
                }
                word.push(x);
                end = c_end;
            } else if !word.is_empty() {
                go = f(&word, start, end);
                word.clear();
            }
        });
        if !go {
            return;
        }
    }
    if !word.is_empty() {
        f(&word, start, end);
    }
}

/// `end` moved past the harakat and tatweel that follow it in `text` (they belong to the word
/// before them, though folding drops them).
pub(crate) fn extend_over_marks(text: &str, mut end: usize) -> usize {
    for c in text[end..].chars() {
        if is_combining_mark(c) || c == '\u{0640}' {
            end += c.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// Does the folded `word` match the folded query term `term` (as a prefix, as the index query
/// does), directly or once its Arabic particle is stripped?
pub(crate) fn matches(word: &str, term: &str) -> bool {
    word.starts_with(term) || strip_arabic_prefix(word).is_some_and(|w| w.starts_with(term))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_accents_and_case_fold() {
        assert_eq!(fold("Élève À l'ÉCOLE, déjà noël, Œuvre"), "eleve a l'ecole, deja noel, œuvre");
        assert_eq!(fold("ç ñ ï ô"), "c n i o");
    }

    #[test]
    fn arabic_harakat_tatweel_and_letter_forms_fold() {
        // With and without harakat, tatweel, alef forms, ta marbuta, alif maqsura.
        assert_eq!(fold("مَدْرَسَةٌ"), fold("مدرسة"));
        assert_eq!(fold("مدرســـة"), "مدرسه");
        assert_eq!(fold("أحمد"), "احمد");
        assert_eq!(fold("إدارة"), "اداره");
        assert_eq!(fold("آمنة"), "امنه");
        assert_eq!(fold("ٱلله"), "الله");
        assert_eq!(fold("مستشفى"), "مستشفي");
        assert_eq!(fold("فاطمة"), fold("فاطمه"));
        assert_eq!(fold("٢٠٢٦/۱۲"), "2026/12");
        // Presentation forms (text copied out of a PDF) fold to the letters.
        assert_eq!(fold("\u{FEFB}"), "لا");
    }

    #[test]
    fn arabic_particles_are_indexed_without_them_too() {
        let idx = fold_for_index("والمدرسة العمومية");
        let ws: Vec<&str> = words(&idx).collect();
        assert!(ws.contains(&"والمدرسه") && ws.contains(&"مدرسه") && ws.contains(&"عموميه"), "{ws:?}");
        // Short words are left alone ("الله"), and a bare waw is part of the word ("وزارة").
        assert!(strip_arabic_prefix("الله").is_none());
        assert!(strip_arabic_prefix(&fold("وزارة")).is_none());
        assert!(matches("بالمدرسه", "مدرس"));
        assert!(!matches("مدرسه", "المدرسه"));
    }

    #[test]
    fn the_arabic_fast_path_agrees_with_the_unicode_tables() {
        for c in ('\u{0600}'..='\u{06FF}').chain('\u{0750}'..='\u{077F}') {
            if let Some(fast) = fold_arabic(c) {
                let mut generic = Vec::new();
                fold_generic(c, &mut |x| generic.push(x));
                assert_eq!(fast.into_iter().collect::<Vec<_>>(), generic, "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn words_are_scanned_with_their_place_in_the_original() {
        let text = "Réf. مَدْرَسَة, ﻻ";
        let mut got = Vec::new();
        scan_words(text, |w, s, e| {
            got.push((w.to_string(), &text[s..e]));
            true
        });
        assert_eq!(got, [("ref".to_string(), "Réf"), ("مدرسه".to_string(), "مَدْرَسَة"), ("لا".to_string(), "ﻻ")]);
        // Stopping early.
        let mut n = 0;
        scan_words("un deux trois", |_, _, _| {
            n += 1;
            n < 2
        });
        assert_eq!(n, 2);
    }
}
