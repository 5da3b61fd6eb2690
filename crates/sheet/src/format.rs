//! Numbers, percents and dates written the way the reader of each language expects them:
//! French "1 224 600,50" and "96,0 %"; Arabic as Moroccan administrations write it, Western
//! digits with the same grouping and decimal comma ("1 224 600,50 درهم", "96,0 %"); English
//! "1,224,600.50". Dates are dd/mm/yyyy in French and Arabic.
//!
//! The group separator is a plain space: the prompt stays cheap in tokens and the number check
//! accepts every space (plain, no-break, narrow no-break) anyway.

use crate::Lang;

/// A neutral rendering for JSON and keys: integral values without decimals, others with at
/// most 4, '.' as the decimal point.
pub fn plain_number(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `v` with `decimals` decimals, grouped by thousands, in `lang`'s convention.
pub fn number(v: f64, decimals: usize, lang: Lang) -> String {
    let (group, point) = match lang {
        Lang::Fr | Lang::Ar => (' ', ','),
        Lang::En => (',', '.'),
    };
    if !v.is_finite() {
        return "—".into();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = String::with_capacity(s.len() + 8);
    // "-0" after rounding is "0".
    if v < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('-');
    }
    let n = int.len();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(group);
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push(point);
        out.push_str(f);
    }
    out
}

/// A figure with the decimals its size calls for: none when integral, two from 1 up (trailing
/// zeros dropped unless `amount`), four below 1.
pub fn auto(v: f64, amount: bool, lang: Lang) -> String {
    if v.fract() == 0.0 {
        return number(v, 0, lang);
    }
    let decimals = if v.abs() >= 1.0 { 2 } else { 4 };
    let s = number(v, decimals, lang);
    if amount && decimals == 2 {
        return s;
    }
    let point = if lang == Lang::En { '.' } else { ',' };
    if s.contains(point) {
        s.trim_end_matches('0').trim_end_matches(point).to_string()
    } else {
        s
    }
}

/// An amount: cents only when there are some.
pub fn amount(v: f64, lang: Lang) -> String {
    if (v - v.round()).abs() < 0.005 {
        number(v.round(), 0, lang)
    } else {
        number(v, 2, lang)
    }
}

/// A fraction as a percent with one decimal: 0.9603 is "96,0 %".
pub fn percent(fraction: f64, lang: Lang) -> String {
    format!("{} %", number(fraction * 100.0, 1, lang))
}

/// A threshold as a percent, without decimals when it has none: 1.0 is "100 %", 0.125 "12,5 %".
pub fn percent_limit(fraction: f64, lang: Lang) -> String {
    let p = fraction * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{} %", number(p.round(), 0, lang))
    } else {
        format!("{} %", auto(p, false, lang))
    }
}

/// A count: grouped, no decimals.
pub fn count(n: u64, lang: Lang) -> String {
    number(n as f64, 0, lang)
}

/// A date serial as dd/mm/yyyy (French, Arabic) or yyyy-mm-dd (English).
pub fn date(serial: f64, lang: Lang) -> String {
    let (y, m, d) = crate::cell::ymd_from_serial(serial);
    match lang {
        Lang::Fr | Lang::Ar => format!("{d:02}/{m:02}/{y:04}"),
        Lang::En => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// The currency word after an amount.
pub fn currency(lang: Lang) -> &'static str {
    match lang {
        // The house convention (DH in French, درهم in Arabic): the fact sheet's unit is the
        // one the model is asked to write.
        Lang::Fr => "DH",
        Lang::En => "MAD",
        Lang::Ar => "درهم",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_arabic_writing() {
        assert_eq!(number(1224600.5, 2, Lang::Fr), "1 224 600,50");
        assert_eq!(number(1224600.5, 2, Lang::Ar), "1 224 600,50");
        assert_eq!(number(1224600.5, 2, Lang::En), "1,224,600.50");
        assert_eq!(number(-24600.0, 0, Lang::Fr), "-24 600");
        assert_eq!(number(-0.001, 1, Lang::Fr), "0,0");
        assert_eq!(number(999.0, 0, Lang::Fr), "999");
        assert_eq!(amount(634800000.0, Lang::Fr), "634 800 000");
        assert_eq!(amount(12.499, Lang::Fr), "12,50");
        assert_eq!(percent(0.9603, Lang::Fr), "96,0 %");
        assert_eq!(percent(1.02, Lang::Ar), "102,0 %");
        assert_eq!(auto(0.58712, false, Lang::Fr), "0,5871");
        assert_eq!(auto(64.6, false, Lang::Fr), "64,6");
        assert_eq!(auto(64.6, true, Lang::Fr), "64,60");
        assert_eq!(date(46326.0, Lang::Fr), "31/10/2026");
        assert_eq!(plain_number(1200.0), "1200");
        assert_eq!(plain_number(0.833333), "0.8333");
    }
}
