//! E-mail addresses and IBANs: shapes read character by character on the original text (an
//! e-mail's dots and an IBAN's letter-digit mix cut across the word tokens).
//!
//! Deliberately not here: bare 24-digit RIBs (see `numbers`, which reads digit chains).

use super::{prio, Scan};
use crate::checks::iban_ok;
use crate::kind::Kind;

fn local_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn domain_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')
}

/// Every e-mail address: a local part, '@', a domain with a dot and a top-level part of letters.
pub(super) fn emails(scan: &mut Scan) {
    let text = scan.doc.text;
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(off) = text[from..].find('@') {
        let at = from + off;
        from = at + 1;
        let mut s = at;
        while s > 0 && local_char(b[s - 1]) {
            s -= 1;
        }
        while s < at && matches!(b[s], b'.' | b'-' | b'+') {
            s += 1;
        }
        let mut e = at + 1;
        while e < b.len() && domain_char(b[e]) {
            e += 1;
        }
        while e > at + 1 && matches!(b[e - 1], b'.' | b'-') {
            e -= 1;
        }
        if s == at || e == at + 1 {
            continue;
        }
        let domain = &text[at + 1..e];
        let Some(dot) = domain.rfind('.') else { continue };
        let tld = &domain[dot + 1..];
        if dot == 0 || tld.len() < 2 || !tld.bytes().all(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        scan.push_bytes(s, e, Kind::Email, prio::EMAIL);
        from = e;
    }
}

/// Every IBAN: two capital letters, two check digits, then letters and digits in groups separated
/// by single spaces or dashes; the longest prefix that passes the mod-97 check wins. IBANs are
/// written in ASCII, so this reads bytes.
pub(super) fn ibans(scan: &mut Scan) {
    let text = scan.doc.text;
    let b = text.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        let starts = b[i].is_ascii_uppercase()
            && b[i + 1].is_ascii_uppercase()
            && b[i + 2].is_ascii_digit()
            && b[i + 3].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] >= 0x80));
        if !starts {
            i += 1;
            continue;
        }
        // Collect up to 34 characters, remembering where each group ends.
        let mut compact = String::with_capacity(34);
        let mut ends: Vec<(usize, usize)> = Vec::new(); // (compact length, byte end)
        let mut j = i;
        while j < b.len() && compact.len() < 34 {
            let c = b[j];
            if c.is_ascii_alphanumeric() {
                compact.push(c.to_ascii_uppercase() as char);
            } else if (c == b' ' || c == b'-') && j + 1 < b.len() && b[j + 1].is_ascii_alphanumeric() {
                ends.push((compact.len(), j));
            } else {
                break;
            }
            j += 1;
        }
        // A candidate must end at a group boundary or where the characters stop.
        if j >= b.len() || !b[j].is_ascii_alphanumeric() {
            ends.push((compact.len(), j));
        }
        let found = ends.iter().rev().find(|(len, _)| *len >= 15 && iban_ok(&compact[..*len])).copied();
        match found {
            Some((_, e)) => {
                scan.push_bytes(i, e, Kind::Iban, prio::IBAN);
                i = e;
            }
            None => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::{detect, Found};
    use crate::hints::Hints;
    use crate::kind::Kind;

    fn found(text: &str) -> Vec<Found> {
        detect(text, &Hints::new())
    }

    #[test]
    fn emails_in_sentences() {
        let f = found("Écrire à fatima.zahra-bennani@gmail.com, ou à contact@oujda.ma.");
        let t: Vec<&str> = f.iter().filter(|f| f.kind == Kind::Email).map(|f| f.text.as_str()).collect();
        assert_eq!(t, ["fatima.zahra-bennani@gmail.com", "contact@oujda.ma"]);
        assert!(found("un @ seul, a@b, x@y.1").iter().all(|f| f.kind != Kind::Email));
    }

    #[test]
    fn ibans_grouped_or_compact() {
        let f = found("IBAN : MA64 0018 1000 7800 0201 1062 0318, puis FR1420041010050500013M02606.");
        let t: Vec<&str> = f.iter().filter(|f| f.kind == Kind::Iban).map(|f| f.text.as_str()).collect();
        assert_eq!(t, ["MA64 0018 1000 7800 0201 1062 0318", "FR1420041010050500013M02606"]);
        assert!(found("MA65 0018 1000 7800 0201 1062 0318").iter().all(|f| f.kind != Kind::Iban));
    }
}
