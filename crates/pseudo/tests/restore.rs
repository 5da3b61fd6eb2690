//! Restoring a model's answer: a real run's placeholders, the answer split at every char boundary
//! (the streaming case the issue names), in chunks of random sizes, with the case, spacing,
//! bracket and Arabic-prefix variants models produce, and with placeholders dropped and invented.

use katib_pseudo::{Hints, Kind, Pseudonymizer, Restorer};

/// A run over a French letter and an Arabic one, full of personal data.
fn run() -> Pseudonymizer {
    let mut p = Pseudonymizer::new(Hints::new());
    let sent = p.apply_all([
        (
            "lettre.txt",
            "Je soussigné Youssef AMRANI, CIN n° AB123456, tél. 06 12 34 56 78, demeurant au 12, rue Ibn Sina, \
             Hay Al Qods, né le 12 mars 1985, RIB 001 810 0078000201106203 18, courriel y.amrani@example.ma.",
        ),
        (
            "شكاية.txt",
            "السيدة فاطمة الزهراء بنعلي، الحاملة للبطاقة الوطنية رقم FA123456، الهاتف 0661932758.",
        ),
    ]);
    assert!(!sent[0].contains("AMRANI") && !sent[1].contains("بنعلي"), "{sent:?}");
    p
}

fn original(p: &Pseudonymizer, placeholder: &str) -> String {
    p.replacements()
        .iter()
        .find(|r| r.placeholder == placeholder)
        .unwrap_or_else(|| panic!("{placeholder} not in the run"))
        .original
        .clone()
}

/// An answer written with every placeholder of the run, in variants, and what it restores to.
fn answer(p: &Pseudonymizer) -> (String, String) {
    let nom1 = original(p, "[NOM_1]");
    let nom2 = original(p, "[NOM_2]");
    let cin1 = original(p, "[CIN_1]");
    let tel1 = original(p, "[TEL_1]");
    let adr1 = original(p, "[ADRESSE_1]");
    let dn1 = original(p, "[DATE_NAISSANCE_1]");
    let rib1 = original(p, "[RIB_1]");
    let mail1 = original(p, "[EMAIL_1]");
    let cin2 = original(p, "[CIN_2]");
    let parts: Vec<(String, String)> = vec![
        ("Monsieur ".into(), "Monsieur ".into()),
        ("[NOM_1]".into(), nom1.clone()),
        (", titulaire de la CIN n° ".into(), ", titulaire de la CIN n° ".into()),
        ("[cin_1]".into(), cin1),
        (", joignable au ".into(), ", joignable au ".into()),
        ("[ TEL_1 ]".into(), tel1.clone()),
        (" et domicilié au ".into(), " et domicilié au ".into()),
        ("[ADRESSE 1]".into(), adr1),
        (", né le ".into(), ", né le ".into()),
        ("【DATE_NAISSANCE_1】".into(), dn1),
        (". Le virement sera fait au RIB ".into(), ". Le virement sera fait au RIB ".into()),
        ("\\[RIB\\_1\\]".into(), rib1),
        (" ; réponse à ".into(), " ; réponse à ".into()),
        ("[EMAIL_1]".into(), mail1),
        (". [Voir le dossier](#annexe) et [NOM_9] — ".into(), ". [Voir le dossier](#annexe) et [NOM_9] — ".into()),
        ("\nإلى السيدة ".into(), "\nإلى السيدة ".into()),
        ("[NOM_2]".into(), nom2.clone()),
        ("، صاحبة البطاقة ".into(), "، صاحبة البطاقة ".into()),
        ("[CIN_2]".into(), cin2),
        ("، وجوابا ل".into(), "، وجوابا ل".into()),
        ("[NOM_2]".into(), nom2.clone()),
        (" و".into(), " و".into()),
        ("[NOM_1]".into(), nom1),
        (" ب".into(), " ب".into()),
        ("[nom 2]".into(), nom2),
        (" [TEL_".into(), " [TEL_".into()),
    ];
    let a: String = parts.iter().map(|(a, _)| a.as_str()).collect();
    let e: String = parts.iter().map(|(_, e)| e.as_str()).collect();
    let _ = tel1;
    (a, e)
}

fn restore_chunks<'a>(r: &mut Restorer, chunks: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for c in chunks {
        out.push_str(&r.push(c));
    }
    out.push_str(&r.finish());
    out
}

#[test]
fn restores_whatever_char_boundary_the_answer_is_split_at() {
    let p = run();
    let (answer, expected) = answer(&p);
    let mut splits = 0;
    for k in (0..=answer.len()).filter(|k| answer.is_char_boundary(*k)) {
        let mut r = p.restorer();
        let got = restore_chunks(&mut r, [&answer[..k], &answer[k..]]);
        assert_eq!(got, expected, "split at byte {k}");
        splits += 1;
    }
    // Every pair of split points too, over the French half (quadratic: kept to its first 400 bytes).
    let head: Vec<usize> = (0..=400).filter(|k| answer.is_char_boundary(*k)).collect();
    for (n, &a) in head.iter().enumerate() {
        for &b in &head[n..] {
            let mut r = p.restorer();
            let got = restore_chunks(&mut r, [&answer[..a], &answer[a..b], &answer[b..]]);
            assert_eq!(got, expected, "splits at {a} and {b}");
        }
    }
    assert!(splits > 300, "{splits} splits");
}

#[test]
fn restores_one_char_at_a_time_and_in_random_chunks() {
    let p = run();
    let (answer, expected) = answer(&p);
    let chars: Vec<&str> = answer.char_indices().map(|(i, c)| &answer[i..i + c.len_utf8()]).collect();
    let mut r = p.restorer();
    assert_eq!(restore_chunks(&mut r, chars.iter().copied()), expected);

    // Chunks of 1 to 9 bytes, moved to char boundaries (a seeded xorshift, no dependency).
    let mut seed = 0x2026_u64;
    for _ in 0..300 {
        let mut chunks = Vec::new();
        let mut at = 0;
        while at < answer.len() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut end = (at + 1 + (seed % 9) as usize).min(answer.len());
            while !answer.is_char_boundary(end) {
                end += 1;
            }
            chunks.push(&answer[at..end]);
            at = end;
        }
        let mut r = p.restorer();
        assert_eq!(restore_chunks(&mut r, chunks), expected);
    }
}

#[test]
fn holds_back_nothing_but_a_possible_placeholder() {
    let p = run();
    let (answer, _) = answer(&p);
    for k in (0..=answer.len()).filter(|k| answer.is_char_boundary(*k)) {
        let mut r = p.restorer();
        let shown = r.push(&answer[..k]);
        let held = &answer[k - r.pending_len()..k];
        // What is held back starts with a bracket (or the backslash of an escaped one) and is
        // short; everything before it was shown.
        if !held.is_empty() {
            assert!(held.starts_with(['[', '\\', '【', '［']), "held {held:?} at {k}");
            assert!(held.len() <= 24, "held {held:?} at {k}");
            assert!(!held.chars().skip(1).any(|c| c == ']'), "held {held:?} at {k}");
        }
        // No bracket at all in the last 24 bytes: nothing held.
        let tail_start = (k.saturating_sub(24)..=k).find(|i| answer.is_char_boundary(*i)).unwrap_or(k);
        if !answer[tail_start..k].contains(['[', '\\', '【']) {
            assert_eq!(r.pending_len(), 0, "at {k}");
        }
        assert!(!shown.contains("[NOM_1]") && !shown.contains("[TEL_1]"));
    }
}

#[test]
fn reports_dropped_respelled_and_invented() {
    let p = run();
    let (answer, expected) = answer(&p);
    let mut r = p.restorer();
    assert_eq!(restore_chunks(&mut r, [answer.as_str()]), expected);
    let rep = r.report();
    assert_eq!(rep.invented, ["[NOM_9]"]);
    assert!(rep.respelled.contains(&"[cin_1]".to_string()));
    assert!(rep.respelled.contains(&"【DATE_NAISSANCE_1】".to_string()));
    assert!(rep.respelled.contains(&"\\[RIB\\_1\\]".to_string()));
    // TEL_2 (the Arabic letter's phone) is never mentioned; "[TEL_" at the very end never closes.
    assert_eq!(rep.dropped, ["[TEL_2]"]);
    assert!(expected.ends_with(" [TEL_"), "an unfinished bracket is given back as written");
    let kinds: Vec<Kind> = p.replacements().iter().map(|r| r.kind).collect();
    assert!(kinds.contains(&Kind::Rib) && kinds.contains(&Kind::Email) && kinds.contains(&Kind::Adresse));
}

#[test]
fn no_original_value_is_in_what_is_sent() {
    let mut p = Pseudonymizer::new(Hints::new());
    let text = "M. Youssef AMRANI (CIN AB123456, tél. +212 6 12 34 56 78) ; AMRANI a signé. \
                السيد محمد العلوي القاطن بحي الأندلس، زنقة 7، رقم 23.";
    let sent = p.apply(text);
    for r in p.replacements() {
        for s in &r.spellings {
            assert!(!sent.contains(s.as_str()), "{s} left in {sent}");
        }
    }
    // A bare surname comes back as the full name it belongs to.
    assert_eq!(p.restore(&sent), text.replace("; AMRANI a signé", "; Youssef AMRANI a signé"));
}
