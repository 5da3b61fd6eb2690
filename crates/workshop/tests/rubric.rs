//! Each rubric check against answers that pass and answers that fail it, in French and Arabic,
//! with what it points at in the answer.

use std::collections::BTreeMap;

use katib_core::{Lang, Localized};
use katib_workshop::rubric::{Addressee, Check, CheckKind, CheckResult, Context, FramePart, LetterPart, Rubric, SelfCheckItem};

fn run(kind: CheckKind, answer: &str) -> CheckResult {
    run_with(kind, answer, &Context::default())
}

fn run_with(kind: CheckKind, answer: &str, ctx: &Context) -> CheckResult {
    let r = Rubric { checks: vec![Check { id: kind.name().into(), kind, explain: None }], self_check: Vec::new() };
    let mut res = r.evaluate(answer, ctx, &[]);
    let c = res.checks.remove(0);
    // Every result explains itself in both languages.
    assert!(!c.explain.fr.is_empty() && c.explain.ar.as_deref().is_some_and(|a| !a.is_empty()));
    assert!(!c.detail.fr.is_empty() && c.detail.ar.as_deref().is_some_and(|a| !a.is_empty()));
    c
}

fn found(c: &CheckResult) -> Vec<&str> {
    c.findings.iter().map(|f| f.text.as_str()).collect()
}

const LETTER_FR: &str = "Monsieur,\n\nEn réponse à votre lettre, j'ai l'honneur de vous informer que les travaux auront lieu du 23 au 27 novembre 2026.\n\nVeuillez agréer, Monsieur, l'expression de mes salutations distinguées.";
const LETTER_AR: &str = "سلام تام بوجود مولانا الإمام المؤيد بالله، وبعد،\n\nفجوابا على رسالتكم، يشرفني أن أخبركم بأن الأشغال ستنجز خلال أجل خمسة عشر (15) يوما.\n\nوالسلام.";

#[test]
fn parts_are_found_in_the_text_or_in_the_form() {
    let kind = || CheckKind::Parts { parts: vec![LetterPart::Objet, LetterPart::Ref] };
    let with_lines = format!("**Objet :** Réponse à votre réclamation\nRéf. : votre lettre du 2 novembre 2026\n\n{LETTER_FR}");
    let c = run(kind(), &with_lines);
    assert!(c.ok, "{}", c.detail.fr);
    assert_eq!(found(&c), ["Objet :** Réponse à votre réclamation", "Réf. : votre lettre du 2 novembre 2026"]);
    let ar = format!("الموضوع: طلب وثائق\nالمرجع: طلبكم بتاريخ 3 نونبر 2026\n\n{LETTER_AR}");
    assert!(run(kind(), &ar).ok);
    // Missing from the text: the form's field fills the frame.
    let mut ctx = Context::default();
    ctx.frame.insert(LetterPart::Objet, FramePart { field: Localized { fr: "Objet".into(), ar: Some("الموضوع".into()), en: None }, value: "Réponse".into() });
    let c = run_with(kind(), LETTER_FR, &ctx);
    assert!(!c.ok, "Réf. is missing everywhere");
    assert!(c.detail.fr.contains("champ « Objet »") && c.detail.fr.contains("Manque : la Réf."), "{}", c.detail.fr);
    ctx.frame.insert(LetterPart::Ref, FramePart { field: Localized::new("Référence"), value: "Votre lettre".into() });
    assert!(run_with(kind(), LETTER_FR, &ctx).ok);
    // "Objet" in a sentence is not an Objet line.
    assert!(!run(kind(), "L'objet de votre demande : un permis.\nRéf. : x").ok);
}

#[test]
fn the_closing_formula_must_fit_the_addressee() {
    let citizen = CheckKind::Closing { addressee: Addressee::Citizen };
    let superior = CheckKind::Closing { addressee: Addressee::Superior };
    assert!(run(citizen.clone(), LETTER_FR).ok);
    assert!(run(citizen.clone(), LETTER_AR).ok);
    let to_governor = LETTER_FR.replace("mes salutations distinguées", "ma haute considération");
    assert!(run(superior.clone(), &to_governor).ok);
    // A citizen's formula for a Governor, a Governor's for a citizen: both wrong.
    let c = run(superior.clone(), LETTER_FR);
    assert!(!c.ok && c.detail.fr.contains("ne convient pas à une autorité supérieure"), "{}", c.detail.fr);
    assert!(!run(citizen.clone(), &to_governor).ok);
    let ar_superior = LETTER_AR.replace("والسلام.", "وتقبلوا فائق التقدير والاحترام.");
    assert!(run(superior.clone(), &ar_superior).ok);
    assert!(!run(superior, LETTER_AR).ok, "والسلام alone is too plain for a superior");
    // Familiar, or none at all.
    let c = run(citizen.clone(), &LETTER_FR.replace("Veuillez agréer, Monsieur, l'expression de mes salutations distinguées.", "Cordialement."));
    assert!(!c.ok && found(&c) == ["Cordialement"], "{:?}", c.findings);
    assert!(!run(CheckKind::Closing { addressee: Addressee::Company }, "Monsieur,\n\nVotre dossier est complet.").ok);
}

#[test]
fn length_counts_words_not_markdown() {
    let kind = |min, max| CheckKind::Length { min, max };
    let n = katib_workshop::text::words(LETTER_FR).count();
    assert!(run(kind(Some(n), Some(n)), LETTER_FR).ok);
    let c = run(kind(Some(n + 1), None), LETTER_FR);
    assert!(!c.ok && c.detail.fr.contains("trop court"), "{}", c.detail.fr);
    assert!(!run(kind(None, Some(n - 1)), LETTER_FR).ok);
    assert_eq!(katib_workshop::text::words("# Titre\n\n- un | deux\n---").count(), 3);
}

#[test]
fn facts_accept_their_spellings_and_ignore_case_accents_and_thousands() {
    let kind = |facts: &[&[&str]]| CheckKind::Facts { facts: facts.iter().map(|f| f.iter().map(|s| s.to_string()).collect()).collect() };
    assert!(run(kind(&[&["23 au 27 novembre 2026"], &["quinze jours", "15 jours"]]), "Du 23 au 27 Novembre 2026, soit 15 jours.").ok);
    assert!(run(kind(&[&["1200000 MAD"]]), "Un montant de 1 200 000 MAD.").ok);
    assert!(run(kind(&[&["Réf. n° 4518"]]), "ref. N° 4518").ok);
    assert!(run(kind(&[&["خمسة عشر (15) يوما"]]), LETTER_AR).ok);
    let c = run(kind(&[&["23 au 27 novembre 2026"], &["10 novembre 2026"]]), LETTER_FR);
    assert!(!c.ok && c.detail.fr.contains("« 10 novembre 2026 »"), "{}", c.detail.fr);
    assert_eq!(found(&c), ["23 au 27 novembre 2026"]);
}

#[test]
fn personal_data_left_in_is_found_with_where_it_is() {
    let kind = |allow: &[&str]| CheckKind::Personal { allow: allow.iter().map(|s| s.to_string()).collect() };
    assert!(run(kind(&[]), LETTER_FR).ok);
    let leaky = "Monsieur,\n\nVotre demande (CIN n° AB123456) est accordée. Le service vous appellera au 06 61 23 45 78 ou écrira à y.amrani@exemple.ma.\n\nVeuillez agréer...";
    let c = run(kind(&[]), leaky);
    assert!(!c.ok);
    let f = found(&c);
    assert!(f.contains(&"AB123456") && f.iter().any(|x| x.contains("06 61 23 45 78")) && f.contains(&"y.amrani@exemple.ma"), "{f:?}");
    assert!(c.detail.fr.contains("CIN") && c.detail.fr.contains("téléphone"), "{}", c.detail.fr);
    // Offsets point into the answer, also in UTF-16 for the window.
    let cin = c.findings.iter().find(|x| x.text == "AB123456").unwrap();
    assert_eq!(&leaky[cin.start..cin.end], "AB123456");
    assert_eq!(leaky[..cin.start].encode_utf16().count(), cin.start16);
    // A value the exercise allows (a public office's address, say) is not reported.
    let c = run(kind(&["y.amrani@exemple.ma", "AB123456", "06 61 23 45 78"]), leaky);
    assert!(c.ok, "{:?}", found(&c));
    // The form's personal values help: a bare name the form holds is found.
    let ctx = Context { personal: vec!["Youssef Amrani".into()], ..Default::default() };
    let c = run_with(kind(&[]), "Votre dossier, Youssef Amrani, est complet.", &ctx);
    assert!(!c.ok && found(&c) == ["Youssef Amrani"], "{:?}", c.findings);
}

#[test]
fn only_references_from_the_allowed_list() {
    let kind = |allowed: &[&str]| CheckKind::References { allowed: allowed.iter().map(|s| s.to_string()).collect() };
    let text = "Conformément à la loi organique n° 113-14 relative aux communes et à l'article 12 du dahir n° 1-76-583, ...";
    let c = run(kind(&["loi organique n° 113-14"]), text);
    assert!(!c.ok);
    assert_eq!(found(&c), ["article 12", "dahir n° 1-76-583"]);
    assert!(c.detail.fr.contains("« article 12 »"), "{}", c.detail.fr);
    assert!(run(kind(&["loi organique n° 113-14", "article 12 du dahir n° 1-76-583"]), text).ok);
    // No reference expected: any is reported; a letter's own numbers are not references.
    assert!(run(kind(&[]), "Votre lettre n° 4518 du 2 novembre 2026 et l'arrêté du 15 mars 2020.").ok);
    assert!(!run(kind(&[]), "Selon la circulaire n° 14/2026, ...").ok);
    // Arabic: the article and law numbers, whatever the prefix or the separator.
    let ar = "وطبقا للمادة 47 من القانون التنظيمي رقم 113.14 المتعلق بالجماعات";
    assert!(run(kind(&["article 47 de la loi organique n° 113-14"]), ar).ok);
    let c = run(kind(&["loi organique n° 113-14"]), ar);
    assert_eq!(found(&c), ["للمادة 47"]);
}

#[test]
fn register_catches_darija_familiar_french_emoji_and_exclamation() {
    assert!(run(CheckKind::Register, LETTER_FR).ok);
    assert!(run(CheckKind::Register, LETTER_AR).ok);
    assert!(run(CheckKind::Register, "المحل الكائن بشارع علال الفاسي، والسير العادي للمرفق").ok, "MSA words that look like Darija once folded");
    let cases: [(&str, &str); 6] = [
        ("Le dossier dyal la commune est bien reçu, wakha.", "darija"),
        ("الطلب ديالكم غادي يتدرس دابا.", "darija"),
        ("Cher Monsieur, votre demande est reçue.", "familières"),
        ("Votre demande est acceptée 👍", "emoji"),
        ("Votre demande est acceptée !", "exclamation"),
        ("Merci d'avance, svp.", "familières"),
    ];
    for (text, what) in cases {
        let c = run(CheckKind::Register, text);
        assert!(!c.ok, "{text}");
        assert!(c.detail.fr.contains(what), "{text}: {}", c.detail.fr);
        assert!(!c.findings.is_empty());
    }
    let c = run(CheckKind::Register, "الطلب ديالكم غادي يتدرس دابا.");
    assert_eq!(found(&c), ["ديالكم", "غادي", "دابا"]);
    // "À plus" is a farewell; "à plus de 90 %" is the language of a budget report.
    assert!(run(CheckKind::Register, "Les rubriques engagées à plus de 90 % et, à plus forte raison, celles en dépassement.").ok);
    for text in ["Je vous envoie le dossier. À plus !", "Merci, à plus tard.", "Bien reçu, à plus\nKarim", "Le dossier est prêt. A plus"] {
        let c = run(CheckKind::Register, text);
        assert!(!c.ok && c.detail.fr.contains("familières"), "{text}: {}", c.detail.fr);
        assert!(found(&c).iter().any(|f| ["à plus", "a plus"].contains(&f.to_lowercase().as_str())), "{text}: {:?}", found(&c));
    }
}

#[test]
fn the_answer_is_in_the_requested_language() {
    let lang = |l| CheckKind::Language { lang: l };
    assert!(run(lang(Lang::Fr), LETTER_FR).ok);
    assert!(run(lang(Lang::Ar), LETTER_AR).ok);
    assert!(!run(lang(Lang::Ar), LETTER_FR).ok);
    assert!(!run(lang(Lang::Fr), LETTER_AR).ok);
    let en = "Sir,\n\nIn reply to your letter, we are pleased to inform you that the works will take place from 23 to 27 November 2026.\n\nYours faithfully.";
    assert!(run(lang(Lang::En), en).ok);
    let c = run(lang(Lang::Fr), en);
    assert!(!c.ok && c.detail.fr.contains("anglais"), "{}", c.detail.fr);
    // An Arabic letter quoting a Latin reference is still Arabic.
    assert!(run(lang(Lang::Ar), &format!("{LETTER_AR}\nرقم 1234/DAG/2026 — chikaya.ma")).ok);
}

#[test]
fn results_count_checks_record_ticks_and_take_overridden_explanations() {
    let rubric = Rubric {
        checks: vec![
            Check { id: "fin".into(), kind: CheckKind::Closing { addressee: Addressee::Citizen }, explain: Some(Localized { fr: "Ma consigne".into(), ar: Some("توجيهي".into()), en: None }) },
            Check { id: "court".into(), kind: CheckKind::Length { min: None, max: Some(5) }, explain: None },
        ],
        self_check: vec![SelfCheckItem { id: "1".into(), text: Localized::new("Relu") }, SelfCheckItem { id: "dates".into(), text: Localized::new("Dates") }],
    };
    let r = rubric.evaluate(LETTER_FR, &Context::default(), &["dates".into()]);
    assert_eq!((r.passed, r.total, r.ok), (1, 2, false));
    assert_eq!(r.checks[0].id, "fin");
    assert_eq!(r.checks[0].explain.fr, "Ma consigne");
    assert_eq!(r.self_check.iter().map(|s| s.ticked).collect::<Vec<_>>(), [false, true]);
    // The JSON a window gets: stable field names.
    let v = serde_json::to_value(&r).unwrap();
    for k in ["ok", "passed", "total", "checks", "self_check", "micros"] {
        assert!(v.get(k).is_some(), "{k}");
    }
    assert_eq!(v["checks"][1]["type"], "length");
    let _: BTreeMap<String, serde_json::Value> = serde_json::from_value(v["checks"][0].clone()).unwrap();
}
