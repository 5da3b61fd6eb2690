//! Character folding: the one comparison form every detector and every placeholder key uses.
//!
//! Folding lowercases, removes French accents and combining marks, writes Arabic-Indic (٠-٩) and
//! Persian (۰-۹) digits as ASCII, removes Arabic short vowels (harakat) and tatweel, and unifies the
//! Arabic letters people type interchangeably (أ إ آ ٱ -> ا, ى -> ي, ة -> ه, Persian ی ک -> ي ك).
//! So "Né le", "NE LE" and "né le" compare equal, as do "البطاقة الوطنية" and "البطاقه الوطنيه".
//!
//! Deliberately not here: Unicode normalisation of arbitrary scripts (decomposed accents are
//! handled by dropping combining marks, which covers what French and Arabic text produce).

/// The value of a decimal digit in ASCII, Arabic-Indic or Persian script.
pub(crate) fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{0660}'..='\u{0669}' => Some((c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => Some((c as u32 - 0x06F0) as u8),
        _ => None,
    }
}

/// Marks that belong to the letter before them and vanish when folded: Latin combining accents,
/// Arabic harakat, the superscript alef, tatweel.
pub(crate) fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// Letters of the Arabic script (letters only: not digits, not punctuation such as ، ؛ ؟).
pub(crate) fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Spaces that separate words: the ordinary one, no-break spaces, thin spaces.
pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{00A0}' | '\u{202F}' | '\u{2009}' | '\u{200A}' | '\u{2007}' | '\u{3000}')
}

/// Zero-width formatting characters (directional marks, joiners) that text extracted from
/// Arabic documents carries between letters: ignored everywhere.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Appends the folded form of `c` to `out` (nothing for a mark).
pub(crate) fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if let Some(d) = digit_value(c) {
        out.push((b'0' + d) as char);
        return;
    }
    if is_mark(c) || is_invisible(c) {
        return;
    }
    // Arabic letters have no case: the common ones go through as they are.
    if matches!(c, '\u{0621}' | '\u{0624}' | '\u{0626}'..='\u{0628}' | '\u{062A}'..='\u{063A}' | '\u{0641}'..='\u{0648}' | '\u{064A}') {
        out.push(c);
        return;
    }
    let s: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        '’' | '‘' | 'ʼ' | '´' | 'ʻ' => "'",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' => "-",
        '\u{00A0}' | '\u{202F}' | '\u{2009}' | '\u{200A}' | '\u{2007}' | '\u{3000}' => " ",
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' => "\u{0627}",
        '\u{0649}' | '\u{06CC}' => "\u{064A}",
        '\u{0629}' => "\u{0647}",
        '\u{06A9}' => "\u{0643}",
        _ => {
            for l in c.to_lowercase() {
                out.push(l);
            }
            return;
        }
    };
    out.push_str(s);
}

/// The folded form of a whole string.
pub(crate) fn fold_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_folded(c, &mut out);
    }
    out
}

/// The folded form with every run of spaces, punctuation and line breaks made one space, trimmed:
/// the key under which two spellings of one name or address are the same value.
pub(crate) fn fold_words(s: &str) -> String {
    let folded = fold_str(s);
    let mut out = String::with_capacity(folded.len());
    for w in folded.split(|c: char| !(c.is_alphanumeric() || is_mark(c))) {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The ASCII digits of a string in any digit script, everything else dropped.
pub(crate) fn digits(s: &str) -> String {
    s.chars().filter_map(digit_value).map(|d| (b'0' + d) as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_french_and_arabic_spellings_together() {
        assert_eq!(fold_str("Né(e) LE"), "ne(e) le");
        assert_eq!(fold_str("Œuvre Ç"), "oeuvre c");
        assert_eq!(fold_str("البطاقة الوطنية"), fold_str("البطاقه الوطنيه"));
        assert_eq!(fold_str("أحمد"), fold_str("احمد"));
        assert_eq!(fold_str("مُحَمَّد"), fold_str("محمد"));
        assert_eq!(fold_str("مـحـمـد"), "محمد");
        assert_eq!(fold_str("١٢٣ ۴۵۶"), "123 456");
        assert_eq!(fold_str("e\u{301}te\u{301}"), "ete");
        assert_eq!(fold_words("  M. Youssef   AMRANI, "), "m youssef amrani");
        assert_eq!(digits("06 ١٢-34"), "061234");
    }
}
