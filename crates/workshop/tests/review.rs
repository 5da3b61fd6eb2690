//! Peer review between two fresh profiles (two learners' computers): the learner sets a name
//! once, submits an edited answer, a peer opens and reviews it, the author imports the review,
//! and the trainer's workbook is read back by calamine.

mod common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::*;
use katib_workshop::pack::library;
use katib_workshop::review::{self, results};

#[test]
fn a_submission_and_its_review_round_trip_between_two_profiles() {
    let amina = Profile::new();
    let youssef = Profile::new();
    let trainer = Profile::new();
    // The trainer exports the pack; both learners import it.
    let file = trainer.out("ia-starter.katib");
    library::export(&trainer.wb(), &ia_starter(), &file, false).unwrap();
    for p in [&amina, &youssef] {
        library::import(&p.wb(), &file, false).unwrap();
    }
    // Names, once per computer.
    assert!(review::whoami(&amina.paths()).unwrap().is_none());
    let me = review::set_learner(&amina.paths(), "  Amina   El Idrissi ", Some("Équipe 2")).unwrap();
    assert_eq!(me.name, "Amina El Idrissi");
    assert_eq!(review::whoami(&amina.paths()).unwrap(), Some(me.clone()));
    let peer = review::set_learner(&youssef.paths(), "Youssef Amrani", Some("Équipe 1")).unwrap();
    assert!(review::set_learner(&youssef.paths(), "   ", None).is_err());

    // Amina gets her variant of the team exercise, fixes it, and hands it in.
    let wb = amina.wb();
    let opened = library::open(&wb, "ia-starter").unwrap();
    let ex = opened.pack.exercise("equipe-demande-pieces").unwrap();
    let i = katib_workshop::exercise::variant_for(&opened.pack, ex, &me.name).unwrap();
    let original = std::fs::read_to_string(&ex.answers[i].file).unwrap();
    let edited = original.replace("dans un délai de quinze (15) jours", "dans un délai de quinze (15) jours ouvrables");
    assert_ne!(edited, original);
    let out = amina.out("amina.katib-rendu");
    let sub = review::submit(&wb, &opened.pack, ex, &me, &edited, None, &["1".into()], &out, false).unwrap();
    assert_eq!(sub.learner, me);
    assert_eq!(sub.exercise.id, "equipe-demande-pieces");
    assert_eq!(sub.original.as_deref().map(str::trim), Some(original.trim()), "the original is the variant practice gave her");
    assert_eq!(sub.edits.len(), 1);
    assert!(sub.edits[0].added[0].contains("ouvrables"));
    assert!(sub.prompt.user.contains("Atlas Travaux") || sub.prompt.user.contains("boulevard Zerktouni"), "{}", sub.prompt.user);
    assert_eq!(sub.prompt.date, ex.answers[i].date, "rendered with her variant's recorded date");
    assert_eq!(sub.inputs.values.get("langue").map(String::as_str), Some("fr"));
    assert_eq!(sub.self_check.iter().filter(|s| s.ticked).count(), 1);
    assert!(sub.rubric.total >= 5);
    // Handing in twice to the same file needs --force; a bad self-check id is refused.
    assert_eq!(review::submit(&wb, &opened.pack, ex, &me, &edited, None, &[], &out, false).unwrap_err().code(), "output.exists");
    assert!(review::submit(&wb, &opened.pack, ex, &me, &edited, None, &["9".into()], &amina.out("x.katib-rendu"), false).is_err());

    // Youssef, on his own computer, opens it: the rubric runs again there and agrees.
    let ywb = youssef.wb();
    let o = review::open_submission(&ywb, &out).unwrap();
    assert_eq!(o.submission.id, sub.id);
    assert_eq!(o.consistent, Some(true));
    assert!(o.instructions.is_some());
    let avis = youssef.out("avis.katib-avis");
    let r = review::write_review(&ywb, &out, &peer, 16, "Lettre complète ; le délai « ouvrables » n'est pas dans le formulaire : à retirer.", &["1".into(), "2".into()], &avis, false).unwrap();
    assert_eq!((r.score, r.scale), (16, 20));
    assert_eq!(r.author, me);
    assert_eq!(r.reviewer, peer);
    assert_eq!(r.submission, sub.id);
    // A review of one's own work, a score above 20, an empty comment: refused.
    assert!(review::write_review(&wb, &out, &me, 18, "Très bien", &[], &amina.out("self.katib-avis"), false).is_err());
    assert!(review::write_review(&ywb, &out, &peer, 21, "Bien", &[], &youssef.out("a.katib-avis"), false).is_err());
    assert!(review::write_review(&ywb, &out, &peer, 10, "  ", &[], &youssef.out("b.katib-avis"), false).is_err());
    // Youssef cannot import a review of Amina's work: it is not his submission.
    let e = review::import_review(&ywb, &avis).unwrap_err();
    assert!(e.to_string().contains("Amina El Idrissi"), "{e}");
    // Amina imports it.
    let (got, of) = review::import_review(&wb, &avis).unwrap();
    assert_eq!(got.id, r.id);
    assert_eq!(of.id, sub.id);
    let all = review::received(&wb).unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].comment.contains("ouvrables"));

    // The trainer gathers the room's files (with a copy twice and a broken file) and writes
    // the workbook.
    let room = trainer.path("salle");
    std::fs::create_dir_all(room.join("equipe2")).unwrap();
    std::fs::copy(&out, room.join("equipe2/amina.katib-rendu")).unwrap();
    std::fs::copy(&out, room.join("copie.katib-rendu")).unwrap();
    std::fs::copy(&avis, room.join("avis.katib-avis")).unwrap();
    std::fs::write(room.join("abime.katib-rendu"), b"{ pas du json").unwrap();
    // Youssef hands in his own work on another exercise, without review.
    let yopened = library::open(&ywb, "ia-starter").unwrap();
    let yex = yopened.pack.exercise("1").unwrap();
    let yi = katib_workshop::exercise::variant_for(&yopened.pack, yex, &peer.name).unwrap();
    let ytext = std::fs::read_to_string(&yex.answers[yi].file).unwrap();
    let ysub = review::submit(&ywb, &yopened.pack, yex, &peer, &ytext, None, &[], &room.join("youssef.katib-rendu"), false).unwrap();
    assert!(ysub.edits.is_empty());
    let res = results::gather(&room).unwrap();
    assert_eq!(res.rows.len(), 2, "{:#?}", res.rows);
    assert_eq!(res.skipped.len(), 1);
    assert_eq!(res.reviews.len(), 1);
    let xlsx = trainer.out("resultats.xlsx");
    results::write_xlsx(&res, &xlsx, katib_core::Lang::Fr, false).unwrap();
    assert_eq!(results::write_xlsx(&res, &xlsx, katib_core::Lang::Fr, false).unwrap_err().code(), "output.exists");

    let mut book: Xlsx<_> = open_workbook(&xlsx).expect("calamine opens the workbook");
    assert_eq!(book.sheet_names(), ["Synthèse", "Notes des pairs", "Rendus", "Avis"]);
    let summary = book.worksheet_range("Synthèse").unwrap();
    let rows: Vec<Vec<Data>> = summary.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0][0], Data::String("Apprenant".into()));
    let heads: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let col = |n: usize| heads.iter().position(|h| h == &format!("Exercice {n}")).unwrap_or_else(|| panic!("column {n} in {heads:?}"));
    let amina_row = rows.iter().find(|r| r[0] == Data::String("Amina El Idrissi".into())).unwrap();
    assert_eq!(amina_row[1], Data::String("Équipe 2".into()));
    let share = sub.rubric.passed as f64 / sub.rubric.total as f64;
    assert_eq!(amina_row[col(14)], Data::Float(share));
    assert_eq!(amina_row[col(1)], Data::Empty, "she did not hand in exercise 1");
    let youssef_row = rows.iter().find(|r| r[0] == Data::String("Youssef Amrani".into())).unwrap();
    assert_eq!(youssef_row[col(1)], Data::Float(ysub.rubric.passed as f64 / ysub.rubric.total as f64));
    let scores = book.worksheet_range("Notes des pairs").unwrap();
    let amina_scores: Vec<Data> = scores.rows().find(|r| r[0] == Data::String("Amina El Idrissi".into())).unwrap().to_vec();
    assert!(amina_scores.contains(&Data::Float(16.0)), "{amina_scores:?}");
    let detail = book.worksheet_range("Rendus").unwrap();
    let line: Vec<String> = detail.rows().find(|r| r[0] == Data::String("Amina El Idrissi".into())).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(line[2], "14");
    assert_eq!(line[4], sub.rubric.passed.to_string());
    assert_eq!(line[8], "oui", "her answer was edited");
    assert_eq!(line[10], "1", "one review");
    let reviews = book.worksheet_range("Avis").unwrap();
    let rv: Vec<String> = reviews.rows().nth(1).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(rv[0], "Amina El Idrissi");
    assert_eq!(rv[2], "Youssef Amrani");
    assert_eq!(rv[3], "16");
    assert!(rv[4].contains("ouvrables"));

    // Arabic headers, right to left.
    let xlsx_ar = trainer.out("nataij.xlsx");
    results::write_xlsx(&res, &xlsx_ar, katib_core::Lang::Ar, false).unwrap();
    let book: Xlsx<_> = open_workbook(&xlsx_ar).unwrap();
    assert_eq!(book.sheet_names()[0], "الخلاصة");
}

#[test]
fn submissions_and_reviews_that_are_not_ours_or_too_new_are_refused() {
    let p = Profile::new();
    let bad = p.out("x.katib-rendu");
    std::fs::write(&bad, r#"{"format": "katib-avis", "version": 1}"#).unwrap();
    let e = review::read_submission(&bad).unwrap_err();
    assert!(e.to_string().contains("not a .katib-rendu file"), "{e}");
    std::fs::write(&bad, r#"{"format": "katib-rendu", "version": 9}"#).unwrap();
    let e = review::read_submission(&bad).unwrap_err();
    assert_eq!(e.code(), "pack.too_new", "{e}");
    assert!(review::require_learner(&p.paths()).unwrap_err().to_string().contains("katib review whoami --set"));
}
