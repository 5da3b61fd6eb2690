//! Bad and odd input never panics and never corrupts text: spans stay on char boundaries, sorted
//! and disjoint; a pseudonymised text restores to itself (bare surnames coming back as the full
//! name); pathological strings, slices of the corpus cut anywhere, long runs of digits and
//! brackets, and a run with thousands of hints all finish.

use std::path::Path;

use katib_pseudo::{detect, Hints, Kind, Pseudonymizer};

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out = Vec::new();
    for set in ["dev", "heldout", "heldout2"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(set))
            .expect("corpus directory")
            .map(|e| e.expect("entry").path())
            .collect();
        paths.sort();
        for p in paths {
            let raw = std::fs::read_to_string(&p).expect("corpus file");
            // Labels removed: "{{NOM:x}}" -> "x".
            let mut text = String::new();
            let mut rest = raw.as_str();
            while let Some(i) = rest.find("{{") {
                text.push_str(&rest[..i]);
                let after = &rest[i + 2..];
                let end = after.find("}}").expect("closed label");
                text.push_str(after[..end].split_once(':').map_or("", |(_, v)| v));
                rest = &after[end + 2..];
            }
            text.push_str(rest);
            out.push(text);
        }
    }
    out
}

fn check_spans(text: &str) {
    let found = detect(text, &Hints::new());
    let mut last = 0;
    for f in &found {
        assert!(f.start >= last && f.start < f.end && f.end <= text.len(), "{f:?}");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{f:?}");
        assert_eq!(&text[f.start..f.end], f.text);
        last = f.end;
    }
}

fn check_round_trip(text: &str) {
    let mut p = Pseudonymizer::new(Hints::new());
    let sent = p.apply(text);
    let back = p.restore(&sent);
    for r in p.replacements() {
        assert!(!back.contains(&r.placeholder), "{} left in the restored text", r.placeholder);
    }
    // Each value comes back; only a bare surname may come back longer (as its full name).
    if p.replacements().iter().all(|r| r.spellings.iter().all(|s| *s == r.original)) {
        assert_eq!(back, text);
    }
}

#[test]
fn corpus_slices_cut_anywhere() {
    let mut seed = 0x5eed_u64;
    for text in corpus() {
        check_spans(&text);
        check_round_trip(&text);
        // Every prefix at a 97-byte step: texts cut mid-word, mid-number, mid-label.
        for mut k in (0..text.len()).step_by(97) {
            while !text.is_char_boundary(k) {
                k += 1;
            }
            check_spans(&text[..k]);
        }
        for _ in 0..40 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut a = (seed % text.len() as u64) as usize;
            let mut b = ((seed >> 20) % text.len() as u64) as usize;
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            while !text.is_char_boundary(a) {
                a -= 1;
            }
            while !text.is_char_boundary(b) {
                b += 1;
            }
            check_spans(&text[a..b]);
            check_round_trip(&text[a..b]);
        }
    }
}

#[test]
fn pathological_strings() {
    let cases = [
        "", " ", "\n\n\n", "M.", "M", "Mme", "السيد", "للسيد", "و", "+", "+212", "00", "n°", "N°", "رقم",
        "[", "[[[[[[", "]", "[NOM_", "\\", "【", "CIN", "CIN AB", "CIN 123456", "AB123456", "né le",
        "né le 31/02/1985", "né le 99/99/9999", "Adresse :", "Adresse :\n", "العنوان:", "Nom :", "Nom : :",
        "12, rue", "rue", "rue n° ", "| Nom |\n|---|\n|", "Nom;CIN\n;;;;\n", "a@b.c", "@@@", "x@.ma",
        "MA64", "MA64 0000", "0612345678901234567890123456789", "١٢٣٤٥٦٧٨٩٠", "\u{200f}\u{200e}\u{feff}",
        "e\u{301}\u{301}\u{301}", "ـــــ", "مُ", "Ⅻ ℃ ﷺ", "🙂 M. 🙂 Youssef", "\r\n\r\nM. Y\r\n",
    ];
    for c in cases {
        check_spans(c);
        check_round_trip(c);
        let mut p = Pseudonymizer::new(Hints::new());
        let _ = p.apply_all([("a", c), ("b", c)]);
        let mut r = p.restorer();
        let _ = r.push(c);
        let _ = r.finish();
    }
}

#[test]
fn long_runs_finish() {
    let digits = "1 ".repeat(50_000);
    check_spans(&digits);
    let brackets = "[NOM_1 [ [N [NO [NOM ".repeat(5_000);
    let mut p = Pseudonymizer::new(Hints::new());
    let _ = p.apply("M. Karim Tazi");
    let mut r = p.restorer();
    let out: String = brackets.as_bytes().chunks(7).map(|c| r.push(std::str::from_utf8(c).expect("ASCII"))).collect();
    assert_eq!(out + &r.finish(), brackets);
    let names = "M. Youssef Amrani, Mme Salma Idrissi, السيد محمد العلوي. ".repeat(2_000);
    check_spans(&names);
}

#[test]
fn thousands_of_hints() {
    let mut hints = Hints::new();
    let firsts = ["Youssef", "Fatima", "Karim", "Salma", "Omar", "Naima", "Hicham", "Latifa"];
    let lasts = ["Amrani", "Bennani", "Tazi", "Idrissi", "Lahlou", "Berrada", "Alaoui", "Ziani", "Rifi", "Sebbar"];
    // Distinct surnames: a base and two letters ("Amraniab").
    let suffix = |i: usize| format!("{}{}", char::from(b'a' + (i / 26 % 26) as u8), char::from(b'a' + (i % 26) as u8));
    for i in 0..4_000 {
        let name = format!("{} {}{}", firsts[i % firsts.len()], lasts[i % lasts.len()], suffix(i / 80));
        hints.add(name, Some(Kind::Nom));
        hints.add(format!("F{:06}", 100_000 + i), Some(Kind::Cin));
    }
    let mut p = Pseudonymizer::new(hints);
    let sent = p.apply("Le bénéficiaire Karim Taziaa, CIN F100002, et M. Youssef Amraniaa.");
    assert_eq!(sent, "Le bénéficiaire [NOM_1], CIN [CIN_1], et M. [NOM_2].");
}
