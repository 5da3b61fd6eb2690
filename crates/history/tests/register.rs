//! The outgoing-mail register: numbering from the pattern, per service and year, batches for a
//! mail-merge, the .xlsx export read back by calamine.

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::NaiveDate;
use katib_history::*;

use crate::util::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn letter(addressee: &str, object: &str) -> Letter {
    Letter { addressee: addressee.into(), object: object.into(), ..Default::default() }
}

#[test]
fn numbers_follow_per_service_and_year() {
    let db = Db::new();
    let h = db.open();
    let p = RegisterPattern::default();
    let n = |service: &str, date: NaiveDate| h.allocate(&p, service, date, &letter("A", "B")).unwrap().number;
    assert_eq!(n("DAG", d(2026, 3, 2)), "0001/DAG/2026");
    assert_eq!(n("DAG", d(2026, 3, 2)), "0002/DAG/2026");
    assert_eq!(n("DUE", d(2026, 3, 3)), "0001/DUE/2026");
    assert_eq!(n("DAG", d(2026, 11, 30)), "0003/DAG/2026");
    assert_eq!(n("DAG", d(2027, 1, 4)), "0001/DAG/2027");
    // A pattern without the service: one sequence for all services.
    let shared = RegisterPattern::parse("{seq:03}/{yy}").unwrap();
    assert_eq!(h.allocate(&shared, "DAG", d(2026, 5, 1), &letter("A", "B")).unwrap().number, "001/26");
    assert_eq!(h.allocate(&shared, "DUE", d(2026, 5, 1), &letter("A", "B")).unwrap().number, "002/26");
    assert_eq!(h.allocate(&p, " ", d(2026, 5, 1), &letter("A", "B")).unwrap_err().code(), "history.empty_value");
}

#[test]
fn a_mail_merge_gets_one_number_per_letter() {
    let db = Db::new();
    let h = db.open();
    let p = RegisterPattern::default();
    h.allocate(&p, "DAG", d(2026, 11, 30), &letter("Premier", "Objet")).unwrap();
    let letters: Vec<Letter> =
        (1..=25).map(|i| letter(&format!("Conseiller {i}"), "Convocation à la session ordinaire")).collect();
    let got = h.allocate_batch(&p, "DAG", d(2026, 11, 30), &letters).unwrap();
    let numbers: Vec<&str> = got.iter().map(|e| e.number.as_str()).collect();
    assert_eq!(numbers.first(), Some(&"0002/DAG/2026"));
    assert_eq!(numbers.last(), Some(&"0026/DAG/2026"));
    assert_eq!(got[4].addressee, "Conseiller 5");
    assert!(h.allocate_batch(&p, "DAG", d(2026, 11, 30), &[]).unwrap().is_empty());
    let all = h.register(&RegisterFilter { year: Some(2026), service: Some("DAG".into()) }).unwrap();
    assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=26).collect::<Vec<_>>());
}

#[test]
fn a_number_is_never_given_twice_even_when_patterns_collide() {
    let db = Db::new();
    let h = db.open();
    // Two patterns whose numbers can meet: "{seq}{service}/{year}" for service "1" gives
    // "11/2026"; "{seq}/{year}" reaches "11/2026" at its 11th letter.
    let a = RegisterPattern::parse("{seq}{service}/{year}").unwrap();
    let b = RegisterPattern::parse("{seq}/{year}").unwrap();
    assert_eq!(h.allocate(&a, "1", d(2026, 1, 5), &letter("A", "B")).unwrap().number, "11/2026");
    for _ in 0..10 {
        h.allocate(&b, "X", d(2026, 1, 5), &letter("A", "B")).unwrap();
    }
    let e = h.allocate(&b, "X", d(2026, 1, 5), &letter("A", "B")).unwrap_err();
    assert_eq!(e.code(), "register.duplicate");
    assert!(e.to_string().contains("11/2026"), "{e}");
    assert_eq!(h.register(&RegisterFilter::default()).unwrap().len(), 11);
}

#[test]
fn the_file_is_set_later_and_the_register_exports_to_xlsx() {
    let db = Db::new();
    let h = db.open();
    let run = record(&h, &letter_run("reponse-citoyen", "x", "y"), "z");
    let p = RegisterPattern::default();
    let e1 = h
        .allocate(
            &p,
            "DAG",
            d(2026, 11, 27),
            &Letter {
                addressee: "Monsieur le Directeur de l'Agence Urbaine d'Oujda".into(),
                object: "Transmission du dossier de lotissement Al Amal".into(),
                file: String::new(),
                run_id: Some(run.clone()),
            },
        )
        .unwrap();
    h.set_register_file(&e1.number, "/home/agent/Documents/transmission.docx").unwrap();
    assert_eq!(h.set_register_file("9999/DAG/2026", "x").unwrap_err().code(), "register.not_found");
    h.allocate(&p, "DAG", d(2026, 11, 30), &letter("السيد رئيس المجلس الإقليمي", "دعوة لحضور اجتماع اللجنة")).unwrap();
    h.allocate(&p, "DUE", d(2027, 1, 4), &letter("Madame la Directrice", "Autre année")).unwrap();

    let out = db.dir.path().join("registre.xlsx");
    let n = h.export_register_xlsx(&out, &RegisterFilter { year: Some(2026), service: None }, "fr", false).unwrap();
    assert_eq!(n, 2);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["Courrier départ"]);
    let range = wb.worksheet_range("Courrier départ").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], Data::String("N°".into()));
    assert_eq!(rows[0][3], Data::String("Destinataire".into()));
    assert_eq!(rows[1][0], Data::String("0001/DAG/2026".into()));
    match &rows[1][1] {
        Data::DateTime(dt) => assert_eq!(dt.as_datetime().unwrap().date(), d(2026, 11, 27)),
        other => panic!("date cell is {other:?}"),
    }
    assert_eq!(rows[1][4], Data::String("Transmission du dossier de lotissement Al Amal".into()));
    assert_eq!(rows[1][5], Data::String("/home/agent/Documents/transmission.docx".into()));
    assert_eq!(rows[1][6], Data::String(run.clone()));
    assert_eq!(rows[2][3], Data::String("السيد رئيس المجلس الإقليمي".into()));
    // The run shows its number.
    assert_eq!(h.get(&run).unwrap().register_numbers, vec![e1.number]);

    // No silent replacement; with overwrite, Arabic titles.
    let e = h.export_register_xlsx(&out, &RegisterFilter::default(), "ar", false).unwrap_err();
    assert_eq!(e.code(), "register.xlsx");
    assert_eq!(h.export_register_xlsx(&out, &RegisterFilter::default(), "ar", true).unwrap(), 3);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let range = wb.worksheet_range("سجل الصادر").unwrap();
    assert_eq!(range.get((0, 4)), Some(&Data::String("الموضوع".into())));
    assert_eq!(range.get((3, 0)), Some(&Data::String("0001/DUE/2027".into())));
    // No temp file left beside it.
    let names: Vec<_> = std::fs::read_dir(db.dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(names.iter().all(|n| !n.to_string_lossy().ends_with(".tmp")), "{names:?}");
}
