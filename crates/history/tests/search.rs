//! Search: French accents ignored, Arabic spelling variants folded both ways, filters,
//! snippets cut from the original text.

use chrono::{TimeZone, Utc};
use katib_history::*;

use crate::util::*;

fn ids(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.run.id.as_str()).collect()
}

fn hit_words(h: &Hit) -> Vec<&str> {
    h.snippet.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect()
}

#[test]
fn french_accents_are_ignored_both_ways() {
    let db = Db::new();
    let h = db.open();
    let a = record(
        &h,
        &letter_run("reponse-citoyen", "Réclamation relative à l'éclairage public", "Mme Fatima Zahra Bennani"),
        "Nous avons bien reçu votre réclamation concernant l'éclairage du quartier.",
    );
    let b = record(
        &h,
        &letter_run("convocation", "Reunion de la commission", "M. le President"),
        "La reunion se tiendra a la salle des deliberations.",
    );
    let f = Filter::default();
    assert_eq!(ids(&h.search("eclairage", &f).unwrap()), [a.as_str()]);
    assert_eq!(ids(&h.search("ÉCLAIRAGE reçu", &f).unwrap()), [a.as_str()]);
    assert_eq!(ids(&h.search("réunion délibérations", &f).unwrap()), [b.as_str()]);
    // Prefixes: "réclam" finds "réclamation".
    assert_eq!(ids(&h.search("réclam", &f).unwrap()), [a.as_str()]);
    // Addressee and objet are searched too.
    assert_eq!(ids(&h.search("bennani", &f).unwrap()), [a.as_str()]);
    // The snippet keeps the original accents.
    let hit = &h.search("eclairage", &f).unwrap()[0];
    assert_eq!(hit.source, "answer");
    assert_eq!(hit_words(hit), ["éclairage"]);
    // Every word must match; a word nowhere gives nothing.
    assert!(h.search("eclairage delibérations", &f).unwrap().is_empty());
    assert!(h.search("inexistant", &f).unwrap().is_empty());
    // FTS5 syntax typed by the user is just words.
    assert_eq!(ids(&h.search("\"eclairage\" AND (", &f).unwrap()), Vec::<&str>::new());
    assert_eq!(ids(&h.search("eclairage -", &f).unwrap()), [a.as_str()]);
}

#[test]
fn arabic_harakat_and_letter_forms_are_folded_both_ways() {
    let db = Db::new();
    let h = db.open();
    let mut run = letter_run("reponse-citoyen", "طلب شهادة السكنى", "السيد أحمد العلوي");
    run.lang = "ar".into();
    // Written without harakat, with ta marbuta, hamza on alef and alif maqsura.
    let plain = record(
        &h,
        &run,
        "نحيطكم علما بأن طلبكم المتعلق بالمدرسة الابتدائية قد أحيل إلى المصلحة المختصة في مستشفى الجماعة.",
    );
    // Written with harakat and tatweel.
    let mut run2 = run.clone();
    run2.objet = "إِشْعَارٌ بِالتَّوْصِيلِ".into();
    let voc = record(&h, &run2, "يُشَرِّفُنِي أَنْ أُخْبِرَكُمْ بِأَنَّ الاجْتِمَاعَ سَيُعْقَدُ بِقَاعَةِ المــداولات.");
    let f = Filter::default();

    // A query with harakat finds the text without.
    assert_eq!(ids(&h.search("المَدْرَسَةِ", &f).unwrap()), [plain.as_str()]);
    assert_eq!(ids(&h.search("أُحِيلَ", &f).unwrap()), [plain.as_str()]);
    // A query without finds the text with harakat (and tatweel).
    assert_eq!(ids(&h.search("الاجتماع", &f).unwrap()), [voc.as_str()]);
    assert_eq!(ids(&h.search("المداولات", &f).unwrap()), [voc.as_str()]);
    assert_eq!(ids(&h.search("اخبركم", &f).unwrap()), [voc.as_str()]);
    // Alef forms, ta marbuta / ha, alif maqsura / ya.
    assert_eq!(ids(&h.search("احيل الي المصلحه", &f).unwrap()), [plain.as_str()]);
    assert_eq!(ids(&h.search("مستشفي", &f).unwrap()), [plain.as_str()]);
    assert_eq!(ids(&h.search("احمد العلوي", &f).unwrap()).len(), 2);
    // An attached article or conjunction: "مدرسة" finds "بالمدرسة".
    assert_eq!(ids(&h.search("مدرسة", &f).unwrap()), [plain.as_str()]);
    // The snippet shows the original spelling.
    let hit = &h.search("الاجتماع", &f).unwrap()[0];
    assert_eq!(hit_words(hit), ["الاجْتِمَاعَ"]);
    let hit = &h.search("مدرسه", &f).unwrap()[0];
    assert_eq!(hit_words(hit), ["بالمدرسة"]);
    // In the objet too.
    let hit = &h.search("اشعار", &f).unwrap()[0];
    assert_eq!((hit.run.id.as_str(), hit.source.as_str()), (voc.as_str(), "objet"));
}

#[test]
fn filters_by_template_status_profile_and_dates() {
    let db = Db::new();
    let h = db.open();
    db.set(Utc.with_ymd_and_hms(2026, 10, 5, 9, 0, 0).unwrap());
    let oct = record(&h, &letter_run("convocation", "Commission des travaux", "A"), "Réunion des travaux.");
    db.set(Utc.with_ymd_and_hms(2026, 11, 12, 9, 0, 0).unwrap());
    let nov = record(&h, &letter_run("reponse-citoyen", "Travaux de voirie", "B"), "Les travaux de voirie.");
    let mut local = letter_run("reponse-citoyen", "Travaux d'assainissement", "C");
    local.profile = "ollama".into();
    local.data_class = Some(DataClass::Local);
    let nov_local = record(&h, &local, "Travaux d'assainissement.");
    let rec = h.start_run(&letter_run("reponse-citoyen", "Travaux en cours", "D")).unwrap();
    let cut = rec.id().to_string();
    rec.finish(Outcome::Partial { code: None }, Tokens::default()).unwrap();

    let q = |f: Filter| {
        let mut v: Vec<String> = h.search("travaux", &f).unwrap().into_iter().map(|h| h.run.id).collect();
        v.sort();
        v
    };
    let sorted = |mut v: Vec<&String>| {
        v.sort();
        v.into_iter().cloned().collect::<Vec<_>>()
    };
    // The partial run is indexed too (its objet has the word).
    assert_eq!(q(Filter::default()).len(), 4);
    assert_eq!(q(Filter { template: Some("convocation".into()), ..Default::default() }), [oct.as_str()]);
    assert_eq!(q(Filter { profile: Some("ollama".into()), ..Default::default() }), [nov_local.as_str()]);
    assert_eq!(q(Filter { status: Some(Status::Partial), ..Default::default() }), [cut.as_str()]);
    let nov_only = Filter {
        from: Some(Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()),
        to: Some(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()),
        ..Default::default()
    };
    assert_eq!(q(nov_only.clone()), sorted(vec![&nov, &nov_local, &cut]));
    assert_eq!(h.list(&nov_only).unwrap().len(), 3);
    assert_eq!(
        h.list(&Filter { to: Some(Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()), ..Default::default() })
            .unwrap()[0]
            .id,
        oct
    );
    // Paging.
    let page1 = h.list(&Filter { limit: Some(2), ..Default::default() }).unwrap();
    let page2 = h.list(&Filter { limit: Some(2), offset: 2, ..Default::default() }).unwrap();
    assert_eq!((page1.len(), page2.len()), (2, 2));
    assert!(page1.iter().all(|a| page2.iter().all(|b| a.id != b.id)));
    // An empty query lists, with the filters.
    assert_eq!(
        h.search("  ", &Filter { template: Some("convocation".into()), ..Default::default() }).unwrap().len(),
        1
    );
}

#[test]
fn objet_matches_rank_before_body_matches() {
    let db = Db::new();
    let h = db.open();
    let body = record(
        &h,
        &letter_run("reponse-citoyen", "Demande de renseignements", "A"),
        "Votre demande concerne aussi le cimetière municipal et bien d'autres sujets encore.",
    );
    let objet = record(
        &h,
        &letter_run("reponse-citoyen", "Entretien du cimetière", "B"),
        "Nous vous informons que les travaux commenceront lundi.",
    );
    let hits = h.search("cimetiere", &Filter::default()).unwrap();
    assert_eq!(ids(&hits), [objet.as_str(), body.as_str()]);
    assert_eq!(hits[0].source, "objet");
}
