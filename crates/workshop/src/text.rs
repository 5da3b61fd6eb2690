//! Text helpers the rubric and the pack reader share: a folded form for comparing what a learner
//! wrote with what an exercise names (case, accents, Arabic vowels and hamza forms, digits,
//! spaces inside numbers), words, scripts, and byte offsets to lines.
//!
//! Deliberately not here: any judgement of the text (see `rubric`).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;


/// 1-based line of byte offset `at` in `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text[..at].matches('\n').count() + 1
}

/// The folded form of `s`: lower case; Latin accents and Arabic short vowels, shadda, hamza
/// marks and tatweel removed (so أ إ آ read ا); ى read ي and ة read ه; Arabic-Indic digits read
/// 0-9; typographic apostrophes and dashes read ' and -; every run of white space (also
/// no-break spaces) one space; a space between digit groups ("1 200 000") removed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    // Latin letters lose their accents (NFD, marks dropped); Arabic keeps its hamza carriers
    // (ئ ؤ: "كائن" is not the Darija "كاين") and loses only vowel marks, with أ إ آ read ا.
    let decomposed = s.chars().flat_map(|c| {
        let arabic = ('\u{0600}'..='\u{06FF}').contains(&c);
        let mut buf: Vec<char> = Vec::with_capacity(2);
        match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => buf.push('ا'),
            c if arabic => buf.push(c),
            c => buf.extend(std::iter::once(c).nfd()),
        }
        buf
    });
    for c in decomposed {
        if is_combining_mark(c) || c == '\u{0640}' {
            continue;
        }
        let c = match c {
            '\u{2019}' | '\u{2018}' | '`' | '\u{02BC}' => '\'',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            'ى' => 'ي',
            'ة' => 'ه',
            'ٱ' => 'ا',
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            'œ' | 'Œ' => {
                out.push_str("oe");
                space = false;
                continue;
            }
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    join_thousands(&out)
}

/// Removes the space of "1 200 000": between a digit and a group of exactly three digits.
fn join_thousands(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (i, _) in s.match_indices(' ') {
        let group = &b[i + 1..];
        let three = group.len() >= 3 && group[..3].iter().all(u8::is_ascii_digit) && !group.get(3).is_some_and(u8::is_ascii_digit);
        if i > 0 && b[i - 1].is_ascii_digit() && three {
            out.push_str(&s[last..i]);
            last = i + 1;
        }
    }
    out.push_str(&s[last..]);
    out
}

/// The words of `text`: white-space separated pieces holding a letter or a digit (Markdown
/// markers such as `-`, `#`, `|` are not words).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric))
}

pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

pub fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (c.is_alphabetic() && ('\u{00C0}'..='\u{024F}').contains(&c))
}

/// (Arabic letters, Latin letters) in `text`.
pub fn script_counts(text: &str) -> (usize, usize) {
    text.chars().fold((0, 0), |(a, l), c| (a + usize::from(is_arabic_letter(c)), l + usize::from(is_latin_letter(c))))
}

/// Whether `needle` occurs in `hay` as whole words (both already folded): not inside a longer
/// word ("ok" is not found in "book").
pub fn contains_words(hay: &str, needle: &str) -> bool {
    find_words(hay, needle).is_some()
}

/// The byte offset of the first whole-word occurrence of `needle` in `hay`.
pub fn find_words(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let word = |c: char| c.is_alphanumeric();
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let at = from + i;
        let end = at + needle.len();
        let before = hay[..at].chars().next_back();
        let after = hay[end..].chars().next();
        let starts_word = needle.chars().next().is_some_and(word);
        let ends_word = needle.chars().next_back().is_some_and(word);
        if (!starts_word || !before.is_some_and(word)) && (!ends_word || !after.is_some_and(word)) {
            return Some(at);
        }
        from = at + needle.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// SHA-256 of `bytes`, hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("Réf.  :  Lettre\u{a0}N° 4518"), "ref. : lettre n° 4518");
        assert_eq!(fold("1 200 000 DH et 3 lampes"), "1200000 dh et 3 lampes");
        assert_eq!(fold("du 23 au 27, soit 3 2026"), "du 23 au 27, soit 3 2026");
        assert_eq!(fold("L’article"), "l'article");
        assert_eq!(fold("أَجَلٌ إدارة آخر مدرسة"), "اجل اداره اخر مدرسه");
        assert_eq!(fold("كائن"), "كائن");
        assert_eq!(fold("١٥ يوما"), "15 يوما");
        assert_eq!(fold("Œuvre"), "oeuvre");
    }

    #[test]
    fn whole_words() {
        assert!(contains_words("c'est ok merci", "ok"));
        assert!(!contains_words("un book", "ok"));
        assert!(contains_words("وثيقة ديال الحالة", "ديال"));
        assert!(!contains_words("الديالكتيك", "ديال"));
        assert_eq!(find_words("cher cher", "cher"), Some(0));
    }

    #[test]
    fn words_and_scripts() {
        assert_eq!(words("- Objet : **test** | 12").count(), 3);
        assert_eq!(script_counts("abc سلام"), (4, 3));
        assert_eq!(line_of("a\nb\nc", 2), 2);
    }
}
