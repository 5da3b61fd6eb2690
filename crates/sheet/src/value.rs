//! Reading a value out of cell text, as officials type it: "1 224 600,50", "1.224.600,50",
//! "96,0 %", "1 200 DH", "15/09/2025", Arabic-Indic digits. And `fold`, the accent-, case- and
//! Arabic-spelling-insensitive form of a label that header and total detection compare.
//!
//! One cell is one value: "1,234" is read the French way (1.234). The looser reading of numbers
//! in running prose (several interpretations, scale words) belongs to `check`.

use crate::cell::{serial_from_ymd, NumFormat};

/// What a text cell turned out to hold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Parsed {
    Number(f64, NumFormat),
    Date(f64),
    Text,
}

/// Reads a number, a percent, an amount or a date out of `s`; `Text` when it is none of those.
pub(crate) fn parse_text(s: &str) -> Parsed {
    let sb = s.as_bytes();
    // Trimming is the slow part of short cells: skip it when nothing needs trimming.
    let clean = |c: Option<&u8>| c.is_some_and(|&c| c < 0x80 && !c.is_ascii_whitespace());
    let mut t = if clean(sb.first()) && clean(sb.last()) { s } else { s.trim() };
    if t.starts_with(['\u{200f}', '\u{200e}']) || t.ends_with(['\u{200f}', '\u{200e}']) {
        t = t.trim_matches(|c: char| c.is_whitespace() || c == '\u{200f}' || c == '\u{200e}');
    }
    let b = t.as_bytes();
    if b.is_empty() {
        return Parsed::Text;
    }
    // Fast path, the common CSV case: plain ASCII decimal like "282.47" or "-12".
    if b.len() <= 20 && b.iter().all(|&c| c.is_ascii_digit() || c == b'.' || c == b'-') {
        if let Some(p) = plain_ascii(t) {
            return p;
        }
    }
    // No digit at all: text (most text cells end here, cheaply).
    let has_ascii_digit = b.iter().any(u8::is_ascii_digit);
    let arabic_digits = b.iter().any(|&c| c >= 0xD8) && t.chars().any(is_arabic_digit);
    if !has_ascii_digit && !arabic_digits {
        return Parsed::Text;
    }
    let first = t.chars().next().unwrap_or(' ');
    if !(first.is_ascii_digit()
        || matches!(first, '-' | '+' | '\u{2212}' | '(' | '.' | ',' | '%' | '\u{066a}')
        || is_arabic_digit(first)
        || first.is_alphabetic())
    {
        return Parsed::Text;
    }
    // Long text with a digit somewhere ("Réfection de 3 salles") is not a number: numbers
    // with a unit are short.
    if t.len() > 40 {
        return Parsed::Text;
    }
    let converted;
    let t = if !has_ascii_digit || t.contains(['\u{066b}', '\u{066c}']) || t.chars().any(is_arabic_digit) {
        converted = western_digits(t);
        converted.as_str()
    } else {
        t
    };
    if let Some(d) = parse_date(t) {
        return Parsed::Date(d);
    }
    parse_number_cell(t).unwrap_or(Parsed::Text)
}

fn plain_ascii(t: &str) -> Option<Parsed> {
    let b = t.as_bytes();
    let digits = if b[0] == b'-' { &b[1..] } else { b };
    if digits.is_empty() || !digits[0].is_ascii_digit() {
        return None;
    }
    // Dates written 2026-10-31, codes with leading zeros: not numbers here.
    if b[1..].contains(&b'-') {
        return parse_date(t).map(Parsed::Date);
    }
    if digits.len() > 1 && digits[0] == b'0' && digits[1] != b'.' {
        return Some(Parsed::Text);
    }
    let int_len = digits.iter().position(|&c| c == b'.').unwrap_or(digits.len());
    if int_len > 15 {
        return Some(Parsed::Text);
    }
    if digits.iter().filter(|&&c| c == b'.').count() > 1 {
        return None; // "1.224.600": grouped, take the slow path
    }
    let v = exact_decimal(digits, int_len).or_else(|| t.parse::<f64>().ok().map(f64::abs))?;
    Some(Parsed::Number(if b[0] == b'-' { -v } else { v }, NumFormat::Plain))
}

/// A number as an .xlsx `<v>` or an .ods `office:value` writes it ("282.47", "-5.1", "1E-3"):
/// the exact fast path for plain decimals, the standard parser otherwise.
pub(crate) fn xml_number(b: &[u8]) -> Option<f64> {
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    if !digits.is_empty() && digits.len() <= 17 && digits.iter().all(|&c| c.is_ascii_digit() || c == b'.') && digits[0] != b'.' {
        let int_len = digits.iter().position(|&c| c == b'.').unwrap_or(digits.len());
        if digits[int_len..].iter().filter(|&&c| c == b'.').count() <= 1 {
            if let Some(v) = exact_decimal(digits, int_len) {
                return Some(if neg { -v } else { v });
            }
        }
    }
    std::str::from_utf8(b).ok()?.trim().parse().ok()
}

/// Powers of ten exactly representable as f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// "282.47" as f64 without the general parser, when the result is exact by construction: the
/// digits as an integer below 2^53 divided by an exact power of ten is correctly rounded
/// (Clinger's fast path), so it equals `str::parse`. `None` sends other cases to `str::parse`.
fn exact_decimal(digits: &[u8], int_len: usize) -> Option<f64> {
    let mut m: u64 = 0;
    let mut n = 0;
    for &c in digits {
        if c == b'.' {
            continue;
        }
        m = m * 10 + (c - b'0') as u64;
        n += 1;
        if n > 15 {
            return None;
        }
    }
    let frac = digits.len() - int_len - usize::from(int_len < digits.len());
    if int_len < digits.len() && frac == 0 {
        return None; // "12." : let the general parser judge
    }
    Some(m as f64 / POW10[frac])
}

pub(crate) fn is_arabic_digit(c: char) -> bool {
    matches!(c, '\u{0660}'..='\u{0669}' | '\u{06f0}'..='\u{06f9}')
}

/// Arabic-Indic (and Persian) digits to ASCII; the Arabic decimal separator to ',' and the Arabic
/// thousands separator to a space.
pub(crate) fn western_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
            '\u{06f0}'..='\u{06f9}' => char::from(b'0' + (c as u32 - 0x6f0) as u8),
            '\u{066b}' => ',',
            '\u{066c}' => ' ',
            c => c,
        })
        .collect()
}

/// dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, yyyy/mm/dd, with an optional " hh:mm[:ss]".
pub(crate) fn parse_date(t: &str) -> Option<f64> {
    let (date, time) = match t.find([' ', 'T']) {
        Some(i) => (&t[..i], Some(t[i + 1..].trim())),
        None => (t, None),
    };
    let b = date.as_bytes();
    // Three runs of digits split by one separator used twice: no allocation, this runs on
    // every date cell of a CSV.
    let mut n = [0u32; 3];
    let mut len = [0usize; 3];
    let mut part = 0;
    let mut sep = 0u8;
    for &c in b {
        if c.is_ascii_digit() {
            if len[part] >= 4 {
                return None;
            }
            n[part] = n[part] * 10 + (c - b'0') as u32;
            len[part] += 1;
        } else if matches!(c, b'/' | b'-' | b'.') && part < 2 && len[part] > 0 && (sep == 0 || sep == c) {
            sep = c;
            part += 1;
        } else {
            return None;
        }
    }
    if part != 2 || len[2] == 0 {
        return None;
    }
    let (y, m, d) = if len[0] == 4 {
        (n[0], n[1], n[2])
    } else if len[2] == 4 && len[0] <= 2 && len[1] <= 2 {
        (n[2], n[1], n[0])
    } else {
        return None;
    };
    if len[0] != 4 && len[1] > 2 {
        return None;
    }
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1000..=9999).contains(&y) {
        return None;
    }
    if d > days_in_month(y as i64, m) {
        return None;
    }
    let mut serial = serial_from_ymd(y as i64, m, d);
    if let Some(time) = time {
        let mut it = time.trim_end_matches('Z').split(':');
        let h: u32 = it.next()?.parse().ok()?;
        let mi: u32 = it.next()?.parse().ok()?;
        let sec: f64 = match it.next() {
            Some(s) => s.parse().ok()?,
            None => 0.0,
        };
        if it.next().is_some() || h > 23 || mi > 59 || sec >= 61.0 {
            return None;
        }
        serial += (h as f64 * 3600.0 + mi as f64 * 60.0 + sec) / 86400.0;
    }
    Some(serial)
}

pub(crate) fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Currency words that make a number an amount.
const CURRENCIES: &[&str] = &["dh", "dhs", "mad", "dirham", "dirhams", "درهم", "دراهم", "د.م.", "د.م", "€", "eur", "euro", "euros", "$", "usd"];

fn parse_number_cell(t: &str) -> Option<Parsed> {
    let mut s = t.trim();
    let mut format = NumFormat::Plain;
    let mut negative = false;
    if s.starts_with('(') && s.ends_with(')') {
        negative = true;
        s = s[1..s.len() - 1].trim();
    }
    // Prefix or suffix: percent sign, currency.
    for pct in ['%', '\u{066a}'] {
        if let Some(r) = s.strip_suffix(pct).or_else(|| s.strip_prefix(pct)) {
            s = r.trim();
            format = NumFormat::Percent;
        }
    }
    if format == NumFormat::Plain {
        let lower = s.to_lowercase();
        for cur in CURRENCIES {
            if let Some(r) = lower.strip_suffix(cur) {
                if r.ends_with(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == '.') {
                    s = s[..r.len()].trim();
                    format = NumFormat::Currency;
                    break;
                }
            }
            if let Some(r) = lower.strip_prefix(cur) {
                if r.starts_with(|c: char| c.is_ascii_digit() || c.is_whitespace()) {
                    s = s[s.len() - r.len()..].trim();
                    format = NumFormat::Currency;
                    break;
                }
            }
        }
    }
    if let Some(r) = s.strip_prefix(['-', '\u{2212}']) {
        negative = !negative;
        s = r.trim_start();
    } else if let Some(r) = s.strip_prefix('+') {
        s = r.trim_start();
    }
    let v = parse_grouped(s)?;
    let v = if negative { -v } else { v };
    let v = if format == NumFormat::Percent { v / 100.0 } else { v };
    Some(Parsed::Number(v, format))
}

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '\u{2019}')
}

/// "1 224 600,50", "1.224.600,50", "1,224,600.50", "1224600.5", ",5": one reading, or `None`.
fn parse_grouped(s: &str) -> Option<f64> {
    if s.is_empty() {
        return None;
    }
    let mut commas = 0;
    let mut dots = 0;
    let mut last_sep = None;
    for (i, c) in s.char_indices() {
        match c {
            '0'..='9' => {}
            ',' => {
                commas += 1;
                last_sep = Some((i, ','));
            }
            '.' => {
                dots += 1;
                last_sep = Some((i, '.'));
            }
            c if is_group_space(c) => {}
            _ => return None,
        }
    }
    let decimal = match (commas, dots) {
        (0, 0) => None,
        (1, 0) => Some(','),
        (0, 1) => Some('.'),
        (_, 0) | (0, _) => None, // several of one kind: thousands separators
        _ => last_sep.map(|(_, c)| c),
    };
    let (int_part, frac_part) = match decimal {
        Some(d) => {
            let i = s.rfind(d)?;
            if s[..i].contains(d) {
                return None;
            }
            (&s[..i], Some(&s[i + 1..]))
        }
        None => (s, None),
    };
    // Integer part: digits in groups of three after the first, whatever the separator.
    let groups: Vec<&str> = int_part.split(|c: char| !c.is_ascii_digit()).collect();
    if groups.len() > 1 {
        if groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    } else if groups[0].len() > 1 && groups[0].starts_with('0') {
        return None; // a code with a leading zero
    }
    let mut digits: String = groups.concat();
    if digits.len() > 15 {
        return None;
    }
    if let Some(f) = frac_part {
        if f.is_empty() || !f.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if digits.is_empty() {
            digits.push('0');
        }
        digits.push('.');
        digits.push_str(f);
    }
    if digits.is_empty() {
        return None;
    }
    digits.parse().ok()
}

/// The comparable form of a label: lower case, accents dropped, Arabic hamza forms, taa marbuta,
/// alif maqsura, diacritics and tatweel normalised, punctuation to spaces, spaces collapsed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        let mapped: &str = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
            'ç' | 'Ç' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
            'ñ' | 'Ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => "o",
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
            'ÿ' | 'Ÿ' => "y",
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'أ' | 'إ' | 'آ' | 'ٱ' => "ا",
            'ة' => "ه",
            'ى' => "ي",
            'ؤ' => "و",
            'ئ' => "ي",
            '\u{0640}' | '\u{064b}'..='\u{065f}' | '\u{0670}' | '\u{200e}' | '\u{200f}' => "",
            _ => {
                if c.is_alphanumeric() {
                    for l in c.to_lowercase() {
                        out.push(l);
                    }
                    space = false;
                } else if c == '%' || c == '\u{066a}' {
                    if !space {
                        out.push(' ');
                    }
                    out.push('%');
                    out.push(' ');
                    space = true;
                } else if !space {
                    out.push(' ');
                    space = true;
                }
                continue;
            }
        };
        out.push_str(mapped);
        if !mapped.is_empty() {
            space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Option<f64> {
        match parse_text(s) {
            Parsed::Number(v, _) => Some(v),
            _ => None,
        }
    }

    #[test]
    fn numbers_as_officials_type_them() {
        assert_eq!(num("282.47"), Some(282.47));
        assert_eq!(num("-12"), Some(-12.0));
        assert_eq!(num("1 224 600,50"), Some(1224600.5));
        assert_eq!(num("1\u{a0}224\u{a0}600"), Some(1224600.0));
        assert_eq!(num("1\u{202f}224\u{202f}600,5"), Some(1224600.5));
        assert_eq!(num("1.224.600,50"), Some(1224600.5));
        assert_eq!(num("1,224,600.50"), Some(1224600.5));
        assert_eq!(num("14850000,00"), Some(14850000.0));
        assert_eq!(num("1,5"), Some(1.5));
        assert_eq!(num("(1 200)"), Some(-1200.0));
        assert_eq!(num("0,5"), Some(0.5));
        assert_eq!(num("١٢٣٤٫٥"), Some(1234.5));
        assert_eq!(parse_text("96,0 %"), Parsed::Number(0.96, NumFormat::Percent));
        assert_eq!(parse_text("1 200 DH"), Parsed::Number(1200.0, NumFormat::Currency));
        assert_eq!(parse_text("1 200,50 MAD"), Parsed::Number(1200.5, NumFormat::Currency));
        assert_eq!(parse_text("1200 درهم"), Parsed::Number(1200.0, NumFormat::Currency));
        for text in ["03/2025/DT", "0612345678", "12 34", "1.2.3", "Total", "N° 12", "1234567890123456", "#DIV/0!", "DH"] {
            assert_eq!(parse_text(text), Parsed::Text, "{text}");
        }
    }

    #[test]
    fn the_fast_path_equals_the_standard_parser() {
        for t in ["282.47", "0.1", "0.5871", "15483591.39", "41.795502", "-5.100001", "123456789012345", "99999.99999", "1", "0.0001", "7.0"] {
            let std: f64 = t.parse().unwrap();
            assert_eq!(parse_text(t), Parsed::Number(std, NumFormat::Plain), "{t}");
        }
        assert_eq!(exact_decimal(b"12.", 2), None);
        for t in ["282.47", "-5.1", "1E-3", "6.02e23", "0", "-0", "12345678901234567890", "0.1"] {
            assert_eq!(xml_number(t.as_bytes()), t.parse::<f64>().ok(), "{t}");
        }
        assert_eq!(exact_decimal(b"1234567890123456", 16), None);
    }

    #[test]
    fn dates_as_officials_type_them() {
        let d = serial_from_ymd(2025, 9, 15);
        assert_eq!(parse_text("15/09/2025"), Parsed::Date(d));
        assert_eq!(parse_text("2025-09-15"), Parsed::Date(d));
        assert_eq!(parse_text("15.09.2025"), Parsed::Date(d));
        assert_eq!(parse_text("2025-09-15 12:00"), Parsed::Date(d + 0.5));
        assert_eq!(parse_text("31/02/2025"), Parsed::Text);
        assert_eq!(parse_text("2025-13-01"), Parsed::Text);
    }

    #[test]
    fn folding() {
        assert_eq!(fold("  TOTAL GÉNÉRAL "), "total general");
        assert_eq!(fold("Créd. ouv."), "cred ouv");
        assert_eq!(fold("Taux (%)"), "taux %");
        assert_eq!(fold("الإعتمادات المفتوحة"), "الاعتمادات المفتوحه");
        assert_eq!(fold("المجـــموع"), "المجموع");
    }
}
