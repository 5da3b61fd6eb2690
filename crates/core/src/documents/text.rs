//! Text encodings met in Moroccan offices: UTF-8 (with or without BOM), UTF-16 with BOM, and the
//! Windows code pages Excel writes CSV in: 1252 (French) and 1256 (Arabic).
//!
//! Hand-written on purpose: `chardetng` was measured against these rules on the samples and on
//! cp1252, cp1256, UTF-8 and UTF-16 files (French and Arabic, short and long): it agreed on every
//! file except UTF-16 with a BOM, which it reads as windows-1254 (a BOM check would still be
//! needed first). It does no better here, and this module is a few dozen lines.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, WINDOWS_1256};

/// Decodes `bytes` into text, detecting the encoding.
pub fn decode_text(bytes: &[u8]) -> String {
    detect(bytes).decode_with_bom_removal(bytes).0.into_owned()
}

pub(crate) fn detect(bytes: &[u8]) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return enc;
    }
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    // UTF-16 without BOM: every other byte zero in Latin text.
    let sample = &bytes[..bytes.len().min(4096)];
    let zeros_odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let zeros_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    if sample.len() >= 8 && zeros_odd * 3 > sample.len() / 2 {
        return UTF_16LE;
    }
    if sample.len() >= 8 && zeros_even * 3 > sample.len() / 2 {
        return UTF_16BE;
    }
    if looks_arabic_1256(bytes) {
        WINDOWS_1256
    } else {
        WINDOWS_1252
    }
}

/// In windows-1256 the bytes 0xC1..=0xDF (bar 0xD7) and a few above 0xE0 are Arabic letters; in
/// windows-1252 they are capital accented Latin letters, rare in French text (É, À and Ç aside).
/// French accents in lower case (é è à ç ê î ô û) sit at the same places in both code pages.
fn looks_arabic_1256(bytes: &[u8]) -> bool {
    let mut arabic_only = 0usize;
    let mut high = 0usize;
    for &b in bytes {
        if b >= 0x80 {
            high += 1;
        }
        let arabic_letter = matches!(b, 0xC1..=0xD6 | 0xD8..=0xDF | 0xE1 | 0xE3..=0xE6 | 0xEC | 0xED | 0xF0..=0xF3 | 0xF5 | 0xF6 | 0xF8 | 0xFA);
        // É (0xC9), À (0xC0), Ç (0xC7) are common capitals in French: they don't count.
        if arabic_letter && !matches!(b, 0xC7 | 0xC9) {
            arabic_only += 1;
        }
    }
    high > 0 && arabic_only * 2 > high
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_code_pages() {
        let fr = "Société;Dépense;Échéance\nÉlectricité;1 200,50;été\n";
        let (b1252, _, _) = WINDOWS_1252.encode(fr);
        assert_eq!(decode_text(&b1252), fr);
        let ar = "الجماعة;المبلغ\nوجدة;1200\n";
        let (b1256, _, _) = WINDOWS_1256.encode(ar);
        assert_eq!(decode_text(&b1256), ar);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(fr.as_bytes());
        assert_eq!(decode_text(&bom), fr);
        assert_eq!(decode_text(fr.as_bytes()), fr);
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(fr.encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode_text(&utf16), fr);
    }
}
