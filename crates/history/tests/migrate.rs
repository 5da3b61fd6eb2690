//! Opening a file an older Katib wrote: it is migrated in place, its runs kept, the run its
//! process left streaming closed as partial, and the result has the schema a new file gets.

use katib_history::*;

use crate::util::*;

fn schema(path: &std::path::Path) -> Vec<(String, String)> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut st = c
        .prepare("SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_version_1_file_is_migrated_and_keeps_its_runs() {
    let db = Db::new();
    std::fs::create_dir_all(db.path.parent().unwrap()).unwrap();
    {
        let c = rusqlite::Connection::open(&db.path).unwrap();
        c.execute_batch(include_str!("fixtures/schema-v1.sql")).unwrap();
        let v: u32 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, 1);
    }
    let h = db.open();
    let c = rusqlite::Connection::open(&db.path).unwrap();
    let v: u32 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);

    // The old run, whole.
    let r = h.get("R2026-01-15-0001").unwrap();
    assert_eq!((r.summary.status, r.summary.duration_ms), (Status::Done, Some(12000)));
    let t = r.texts.unwrap();
    assert!(t.answer.starts_with("J'ai l'honneur de vous convier"));
    assert_eq!(t.edit_versions, 1);
    assert_eq!(t.replacements[0].original, "Karim Alaoui");
    assert_eq!(r.exports[0].path, "convocation.docx");
    // Its index entry still answers, accents ignored.
    assert_eq!(h.search("réunion marchés", &Filter::default()).unwrap()[0].run.id, "R2026-01-15-0001");

    // The run a killed process left streaming: closed as partial with its checkpointed text.
    let r = h.get("R2026-01-15-0002").unwrap();
    assert_eq!((r.summary.status, r.summary.error_code.as_deref()), (Status::Partial, Some("history.interrupted")));
    assert_eq!(r.texts.unwrap().answer, "Il est porté à la connaissance de l'ensemble du personnel");
    assert_eq!(r.summary.duration_ms, Some(1500));
    assert_eq!(h.search("ensemble personnel", &Filter::default()).unwrap()[0].run.id, "R2026-01-15-0002");

    // Version 2's tables work on the migrated file, and the id counter carried over.
    h.approve("R2026-01-15-0001", "Nadia Berrada", "Chef de division").unwrap();
    h.save_draft("convocation", "{}").unwrap();
    db.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 1, 15, 12, 0, 0).unwrap());
    assert_eq!(record(&h, &letter_run("convocation", "x", "y"), "z"), "R2026-01-15-0003");
    assert!(h.integrity_check().unwrap().is_ok());

    // Same schema as a file created new.
    let fresh = Db::new();
    drop(fresh.open());
    assert_eq!(schema(&db.path), schema(&fresh.path));
}
