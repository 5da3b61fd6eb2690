//! Check digits of the identifiers that have them, and the canonical form of a phone number.
//!
//! - Moroccan RIB (24 digits: bank 3, locality 3, account 16, key 2): the whole number is a
//!   multiple of 97, i.e. key = 97 - ((first 22 digits x 100) mod 97). Checked against real RIBs
//!   published by Bank Al-Maghrib (the earthquake fund, 001 810 0078000201106203 18) and the
//!   SWIFT IBAN registry example (MA64 0115 1900 0001 2050 0053 4921). A consequence worth
//!   knowing: every valid Moroccan IBAN starts with MA64.
//! - IBAN (ISO 13616): the first four characters moved to the end, letters as 10..35, mod 97 = 1.
//! - ICE (identifiant commun de l'entreprise, 15 digits: company 9, establishment 4, control 2):
//!   the whole number is a multiple of 97. OMPIC publishes no algorithm; this is the check
//!   python-stdnum applies (stdnum.ma.ice) and real ICEs satisfy it (001561191000066,
//!   002136093000040). OMPIC's illustrative "123456789000057" does not, and is not a real ICE.
//!
//! Deliberately not here: CIN, CNSS, IF and Massar numbers have no public check digit; they are
//! recognised by their shape and their keyword (see `detect`).

/// The remainder modulo 97 of a decimal number written as ASCII digits.
pub(crate) fn mod97(digits: &str) -> u32 {
    digits
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97)
}

/// A Moroccan RIB: 24 ASCII digits whose key checks.
pub(crate) fn rib_ok(digits: &str) -> bool {
    digits.len() == 24 && digits.bytes().all(|b| b.is_ascii_digit()) && mod97(digits) == 0
}

/// The two-digit key that completes 22 RIB digits (used by the corpus generator and tests).
pub fn rib_key(first22: &str) -> u32 {
    97 - (mod97(first22) * 100) % 97
}

/// An ICE: 15 ASCII digits, a multiple of 97.
pub(crate) fn ice_ok(digits: &str) -> bool {
    digits.len() == 15 && digits.bytes().all(|b| b.is_ascii_digit()) && mod97(digits) == 0
}

/// The two control digits that complete the 13 first digits of an ICE.
pub fn ice_key(first13: &str) -> u32 {
    (97 - (mod97(first13) * 100) % 97) % 97
}

/// An IBAN in compact form (upper-case letters and ASCII digits, no spaces).
pub(crate) fn iban_ok(compact: &str) -> bool {
    let b = compact.as_bytes();
    if !(15..=34).contains(&b.len())
        || !b[0].is_ascii_uppercase()
        || !b[1].is_ascii_uppercase()
        || !b[2].is_ascii_digit()
        || !b[3].is_ascii_digit()
        || !b.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return false;
    }
    if let Some(len) = iban_length(&compact[..2]) {
        if len != b.len() {
            return false;
        }
    }
    let mut r = 0u32;
    for &c in b[4..].iter().chain(&b[..4]) {
        if c.is_ascii_digit() {
            r = (r * 10 + u32::from(c - b'0')) % 97;
        } else {
            r = (r * 100 + u32::from(c - b'A' + 10)) % 97;
        }
    }
    r == 1
}

/// IBAN lengths of the countries Moroccan files mention most (others: 15..34 and the check).
fn iban_length(country: &str) -> Option<usize> {
    Some(match country {
        "MA" => 28,
        "FR" | "MC" | "IT" => 27,
        "ES" | "TN" | "SA" => 24,
        "BE" => 16,
        "DE" | "GB" => 22,
        "NL" => 18,
        "PT" => 25,
        "CH" => 21,
        "AE" => 23,
        "DZ" => 26,
        "LU" => 20,
        "MR" => 27,
        "EG" => 29,
        "TR" => 26,
        _ => return None,
    })
}

/// The canonical form of a phone number given as its digits (and whether a '+' preceded them):
/// Moroccan numbers in national form ("0612345678" for +212 6 12 34 56 78, 00212612345678 and
/// 06 12 34 56 78 alike), others as "+" and their digits.
pub(crate) fn phone_key(digits: &str, plus: bool) -> String {
    let d = if let Some(rest) = digits.strip_prefix("00") { rest } else if plus { digits } else {
        return digits.to_string();
    };
    match d.strip_prefix("212") {
        Some(national) => {
            let national = national.strip_prefix('0').unwrap_or(national);
            format!("0{national}")
        }
        None => format!("+{d}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_moroccan_ribs_and_ibans_check() {
        // Bank Al-Maghrib, earthquake fund (published).
        assert!(rib_ok("001810007800020110620318"));
        assert!(iban_ok("MA64001810007800020110620318"));
        // SWIFT IBAN registry example for Morocco.
        assert!(rib_ok("011519000001205000534921"));
        assert!(iban_ok("MA64011519000001205000534921"));
        // One digit changed, two digits swapped: rejected.
        assert!(!rib_ok("001810007800020110620319"));
        assert!(!rib_ok("001810007800020110602318"));
        assert!(!iban_ok("MA65001810007800020110620318"));
        assert_eq!(rib_key("0018100078000201106203"), 18);
        // Other countries' published examples.
        assert!(iban_ok("FR1420041010050500013M02606"));
        assert!(iban_ok("DE89370400440532013000"));
        assert!(iban_ok("GB29NWBK60161331926819"));
        assert!(!iban_ok("GB29NWBK6016133192681"));
    }

    #[test]
    fn ice_control_digits() {
        assert!(ice_ok("001561191000066"));
        assert!(ice_ok("002136093000040"));
        assert!(!ice_ok("001561191000065"));
        assert!(!ice_ok("123456789000057"));
        assert_eq!(ice_key("0015611910000"), 66);
        assert_eq!(ice_key("0021360930000"), 40);
        for n in ["1234567890123", "0000000000001", "9999999999999"] {
            let full = format!("{n}{:02}", ice_key(n));
            assert!(ice_ok(&full), "{full}");
        }
    }

    #[test]
    fn phones_share_one_key_across_spellings() {
        assert_eq!(phone_key("0612345678", false), "0612345678");
        assert_eq!(phone_key("212612345678", true), "0612345678");
        assert_eq!(phone_key("00212612345678", false), "0612345678");
        assert_eq!(phone_key("2120612345678", true), "0612345678");
        assert_eq!(phone_key("33123456789", true), "+33123456789");
        assert_eq!(phone_key("0033123456789", false), "+33123456789");
    }
}
