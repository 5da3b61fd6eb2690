//! Text encodings met in Moroccan offices: UTF-8 (with or without BOM), UTF-16 with BOM, and the
//! Windows code pages Excel writes CSV in: 1252 (French) and 1256 (Arabic).
//!
//! The rules are katib-sheet's (`katib_sheet::decode_text`). Hand-written on purpose: `chardetng` was measured against these rules on the samples and on
//! cp1252, cp1256, UTF-8 and UTF-16 files (French and Arabic, short and long): it agreed on every
//! file except UTF-16 with a BOM, which it reads as windows-1254 (a BOM check would still be
//! needed first). It does no better here, and this module is a few dozen lines.

/// Decodes `bytes` into text, detecting the encoding (the rules live with the sheet readers,
/// which stream CSV files with them: one set of rules for both).
pub fn decode_text(bytes: &[u8]) -> String {
    katib_sheet::decode_text(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::WINDOWS_1252;
    use encoding_rs::WINDOWS_1256;

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
