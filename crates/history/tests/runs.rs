//! Recording runs: start, checkpoints, end, show, edits, exports, approvals, the annex, delete,
//! purge, drafts; the file's permissions.

use chrono::{Duration, TimeZone, Utc};
use katib_history::*;

use crate::util::*;

#[test]
fn a_run_is_recorded_whole_and_shown_back() {
    let db = Db::new();
    let h = db.open();
    let run = letter_run("reponse-citoyen", "Demande de raccordement au réseau d'eau potable", "Monsieur Ahmed Alaoui");
    let mut rec = h.start_run(&run).unwrap();
    assert_eq!(rec.id(), "R2026-11-30-0001");
    rec.push("Monsieur,\n\nNous accusons réception ").unwrap();
    rec.push("de votre demande.").unwrap();
    db.advance_ms(4200);
    rec.finish(Outcome::Done, Tokens { prompt: Some(812), completion: Some(96) }).unwrap();

    let r = h.get("R2026-11-30-0001").unwrap();
    let s = &r.summary;
    assert_eq!(s.status, Status::Done);
    assert_eq!(s.template_id, "reponse-citoyen");
    assert_eq!((s.template_version.as_str(), s.template_hash.as_str()), ("3", "sha256:9f2c"));
    assert_eq!(
        (s.profile.as_str(), s.model.as_str(), s.data_class),
        ("mistral", "mistral-large-latest", DataClass::Cloud)
    );
    assert_eq!(s.duration_ms, Some(4200));
    assert_eq!(s.finished_at.unwrap() - s.started_at, Duration::milliseconds(4200));
    assert_eq!(s.tokens, Tokens { prompt: Some(812), completion: Some(96) });
    assert_eq!(s.masked.get("NOM"), Some(&1));
    assert!(s.has_texts);
    let t = r.texts.unwrap();
    assert_eq!(t.answer, "Monsieur,\n\nNous accusons réception de votre demande.");
    assert_eq!(t.messages, run.messages);
    assert_eq!(t.replacements, run.replacements);
    assert_eq!(t.inputs, run.inputs);
    assert_eq!(t.form, run.form);
    assert_eq!(t.objet, run.objet);
    assert_eq!(t.edited, None);

    // The next run of the day gets the next id; the next day starts again at 1.
    let id2 = record(&h, &run, "Deuxième réponse.");
    assert_eq!(id2, "R2026-11-30-0002");
    db.set(Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap());
    assert_eq!(record(&h, &run, "Troisième."), "R2026-12-01-0001");
    let ids: Vec<String> = h.list(&Filter::default()).unwrap().into_iter().map(|s| s.id).collect();
    assert_eq!(ids, ["R2026-12-01-0001", "R2026-11-30-0002", "R2026-11-30-0001"]);
    assert!(h.integrity_check().unwrap().is_ok());
}

#[test]
fn a_streaming_run_is_visible_with_its_checkpointed_text_from_another_connection() {
    let db = Db::new();
    let mut o = db.options(true);
    o.checkpoint = CheckpointPolicy { interval: std::time::Duration::from_secs(3600), max_bytes: 20 };
    let h = History::open(&db.path, o).unwrap();
    let mut rec = h.start_run(&letter_run("convocation", "Réunion", "M. le Caïd")).unwrap();
    rec.push("0123456789").unwrap(); // 10 bytes: not yet due
    assert_eq!(rec.saved_len(), 0);
    rec.push("0123456789").unwrap(); // 20 bytes: checkpoint
    assert_eq!(rec.saved_len(), 20);
    rec.push("abc").unwrap();

    // The window opening meanwhile sees the run running (its owner is alive), with what is saved.
    let window = History::open(&db.path, db.options(true)).unwrap();
    let r = window.get(rec.id()).unwrap();
    assert_eq!(r.summary.status, Status::Running);
    assert_eq!(r.texts.unwrap().answer, "01234567890123456789");
    assert_eq!(window.recover().unwrap(), 0);

    rec.checkpoint().unwrap();
    assert_eq!(window.get(rec.id()).unwrap().texts.unwrap().answer, "01234567890123456789abc");
    let id = rec.id().to_string();
    rec.finish(Outcome::Partial { code: Some("provider.stream_cut".into()) }, Tokens::default()).unwrap();
    let s = window.get(&id).unwrap().summary;
    assert_eq!((s.status, s.error_code.as_deref()), (Status::Partial, Some("provider.stream_cut")));
}

#[test]
fn a_recorder_dropped_without_finish_records_a_partial_run() {
    let db = Db::new();
    let h = db.open();
    let id = {
        let mut rec = h.start_run(&letter_run("convocation", "Réunion", "M. le Caïd")).unwrap();
        rec.push("Texte reçu avant l'erreur").unwrap();
        rec.id().to_string()
    };
    let r = h.get(&id).unwrap();
    assert_eq!((r.summary.status, r.summary.error_code.as_deref()), (Status::Partial, Some("history.unfinished")));
    assert_eq!(r.texts.unwrap().answer, "Texte reçu avant l'erreur");
}

#[test]
fn failed_and_cancelled_runs_keep_their_code() {
    let db = Db::new();
    let h = db.open();
    let rec = h.start_run(&letter_run("convocation", "Réunion", "M. le Caïd")).unwrap();
    let id = rec.id().to_string();
    rec.finish(Outcome::Failed { code: "provider.auth".into() }, Tokens::default()).unwrap();
    let rec = h.start_run(&letter_run("convocation", "Réunion", "M. le Caïd")).unwrap();
    let id2 = rec.id().to_string();
    rec.finish(Outcome::Cancelled, Tokens::default()).unwrap();
    let s = h.get(&id).unwrap().summary;
    assert_eq!((s.status, s.error_code.as_deref()), (Status::Failed, Some("provider.auth")));
    assert_eq!(h.get(&id2).unwrap().summary.status, Status::Cancelled);
    let failed = h.list(&Filter { status: Some(Status::Failed), ..Default::default() }).unwrap();
    assert_eq!(failed.len(), 1);
}

#[test]
fn bad_input_gets_a_clear_error() {
    let db = Db::new();
    let h = db.open();
    let mut run = letter_run("", "x", "y");
    assert_eq!(h.start_run(&run).unwrap_err().code(), "history.empty_value");
    run.template_id = "convocation".into();
    run.data_class = None;
    let e = h.start_run(&run).unwrap_err();
    assert!(e.to_string().contains("data_class"), "{e}");
    let e = h.get("R1999-01-01-0001").unwrap_err();
    assert_eq!(e.code(), "history.not_found");
    assert!(e.to_string().contains("R1999-01-01-0001"));
    assert_eq!(h.approve("R1999-01-01-0001", "A", "B").unwrap_err().code(), "history.not_found");
}

#[test]
fn edits_keep_every_saved_version_and_exports_are_listed() {
    let db = Db::new();
    let h = db.open();
    let id = record(&h, &letter_run("reponse-citoyen", "Objet", "Destinataire"), "Première rédaction.");
    db.advance_ms(1000);
    assert_eq!(h.save_edit(&id, "Rédaction revue.").unwrap(), 1);
    assert_eq!(h.save_edit(&id, "Rédaction revue.").unwrap(), 1, "same text: no new version");
    db.advance_ms(1000);
    assert_eq!(h.save_edit(&id, "Rédaction revue et signée.").unwrap(), 2);
    let e = h.edits(&id).unwrap();
    assert_eq!(
        e.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(),
        ["Rédaction revue.", "Rédaction revue et signée."]
    );
    assert!(e[0].saved_at < e[1].saved_at);
    assert!(h.record_export(&id, "/tmp/reponse.docx", "docx").unwrap());
    let r = h.get(&id).unwrap();
    let t = r.texts.unwrap();
    assert_eq!(
        (t.answer.as_str(), t.edited.as_deref(), t.edit_versions),
        ("Première rédaction.", Some("Rédaction revue et signée."), 2)
    );
    assert_eq!(r.exports.len(), 1);
    assert_eq!((r.exports[0].format.as_str(), r.exports[0].path.as_str()), ("docx", "/tmp/reponse.docx"));
    // The edited text is searchable.
    assert_eq!(h.search("signée", &Filter::default()).unwrap()[0].source, "edited");
}

#[test]
fn approvals_and_the_annex_data() {
    let db = Db::new();
    let h = db.open();
    let mut run = letter_run("reponse-citoyen", "Objet", "Destinataire");
    run.replacements.push(Replacement {
        placeholder: "[CIN_1]".into(),
        original: "AB123456".into(),
        kind: "CIN".into(),
    });
    run.pseudonymisation_override = None;
    let id = record(&h, &run, "Réponse.");
    let reg = h
        .allocate(
            &RegisterPattern::default(),
            "DAG",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            &Letter { run_id: Some(id.clone()), ..Default::default() },
        )
        .unwrap();
    db.advance_ms(60_000);
    let a = h.approve(&id, "Nadia Berrada", "Chef de la Division des Affaires Générales").unwrap();
    db.advance_ms(60_000);
    h.approve(&id, "Youssef El Idrissi", "Directeur Général des Services").unwrap();
    assert_eq!(h.approve(&id, " ", "Directeur").unwrap_err().code(), "history.empty_value");

    let x = h.annex(&id).unwrap();
    assert_eq!(x.run_id, id);
    assert_eq!(x.approvals.len(), 2);
    assert_eq!(x.approvals[0], a);
    assert_eq!(x.approvals[1].function, "Directeur Général des Services");
    assert_eq!((x.masked_total, x.masked.get("CIN"), x.masked.get("NOM")), (2, Some(&1), Some(&1)));
    assert_eq!(x.register_numbers, vec![reg.number.clone()]);
    assert_eq!(
        (x.template_id.as_str(), x.model.as_str(), x.data_class),
        ("reponse-citoyen", "mistral-large-latest", DataClass::Cloud)
    );
    // Never a personal value in the annex data.
    let json = serde_json::to_string(&x).unwrap();
    assert!(!json.contains("AB123456") && !json.contains("Destinataire"), "{json}");
    let r = h.get(&id).unwrap();
    assert_eq!((r.summary.approvals, r.approvals.len(), r.register_numbers.len()), (2, 2, 1));
}

#[test]
fn an_override_is_recorded_in_the_audit_row() {
    let db = Db::new();
    let h = db.open();
    let mut run = letter_run("reponse-citoyen", "Objet", "Destinataire");
    let at = Utc.with_ymd_and_hms(2026, 11, 30, 8, 59, 0).unwrap();
    run.pseudonymisation_override = Some(PseudonymisationOverride {
        confirmed_by: "n.berrada".into(),
        what: "envoi non masqué vers le profil mistral (cloud) pour cette exécution".into(),
        at,
    });
    let id = record(&h, &run, "Réponse.");
    let o = h.get(&id).unwrap().summary.pseudonymisation_override.unwrap();
    assert_eq!((o.confirmed_by.as_str(), o.at), ("n.berrada", at));
    assert!(o.what.contains("non masqué"));
}

#[test]
fn delete_removes_the_texts_and_keeps_the_audit_row() {
    let db = Db::new();
    let h = db.open();
    let id = record(
        &h,
        &letter_run("reponse-citoyen", "Objet Qzwxsentinelle", "M. Qzwxalaoui"),
        "Réponse qzwxsecret entière.",
    );
    h.save_edit(&id, "Réponse qzwxsecret revue.").unwrap();
    h.record_export(&id, "/home/agent/Qzwxfichier.docx", "docx").unwrap();
    h.approve(&id, "Nadia Berrada", "Chef de division").unwrap();
    let other = record(&h, &letter_run("convocation", "Réunion", "M. le Caïd"), "Convocation qzwxautre.");
    assert!(contains(&db.bytes(), "qzwxsecret"), "control: the text is in the file before delete");
    assert_eq!(h.search("qzwxsecret", &Filter::default()).unwrap().len(), 1);

    h.delete(&id).unwrap();
    let r = h.get(&id).unwrap();
    assert!(!r.summary.has_texts && r.texts.is_none() && r.exports.is_empty());
    assert_eq!(r.approvals.len(), 1, "the audit record stays");
    assert!(h.search("qzwxsecret", &Filter::default()).unwrap().is_empty());
    assert_eq!(h.search("qzwxautre", &Filter::default()).unwrap()[0].run.id, other);
    let bytes = db.bytes();
    for s in ["qzwxsecret", "Qzwxsentinelle", "Qzwxalaoui", "Qzwxfichier", "xsentinelle", "xalaoui"] {
        assert!(!contains(&bytes, s), "{s} is still in the database files after delete");
    }
    assert!(h.integrity_check().unwrap().is_ok());
}

#[test]
fn purge_removes_runs_older_than_the_retention() {
    let db = Db::new();
    let h = db.open();
    db.set(Utc.with_ymd_and_hms(2026, 1, 10, 9, 0, 0).unwrap());
    let old = record(&h, &letter_run("convocation", "Ancienne", "A"), "Ancienne réponse.");
    h.approve(&old, "Nadia Berrada", "Chef de division").unwrap();
    let reg = h
        .allocate(
            &RegisterPattern::default(),
            "DAG",
            chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
            &Letter { run_id: Some(old.clone()), ..Default::default() },
        )
        .unwrap();
    db.set(Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap());
    let recent = record(&h, &letter_run("convocation", "Récente", "B"), "Récente réponse.");
    db.set(Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap());
    let running = h.start_run(&letter_run("convocation", "En cours", "C")).unwrap();

    assert_eq!(h.purge(365).unwrap().runs, 0);
    assert_eq!(h.purge(90).unwrap().runs, 1);
    assert_eq!(h.get(&old).unwrap_err().code(), "history.not_found");
    assert!(h.search("ancienne", &Filter::default()).unwrap().is_empty());
    assert!(h.get(&recent).is_ok());
    // Retention 0: everything not running goes; the run in progress stays; the register stays.
    assert_eq!(h.purge(0).unwrap().runs, 1);
    assert_eq!(h.list(&Filter::default()).unwrap().len(), 1);
    assert_eq!(h.register(&RegisterFilter::default()).unwrap()[0].number, reg.number);
    // A purged id never comes back.
    let id = running.id().to_string();
    running.finish(Outcome::Done, Tokens::default()).unwrap();
    assert_eq!(id, "R2026-11-30-0001");
    assert_eq!(record(&h, &letter_run("convocation", "x", "y"), "z"), "R2026-11-30-0002");
    db.set(Utc.with_ymd_and_hms(2026, 1, 10, 9, 0, 0).unwrap());
    assert_eq!(record(&h, &letter_run("convocation", "x", "y"), "z"), "R2026-01-10-0002");
}

#[test]
fn a_running_run_cannot_be_deleted() {
    let db = Db::new();
    let h = db.open();
    let rec = h.start_run(&letter_run("convocation", "x", "y")).unwrap();
    assert_eq!(h.delete(rec.id()).unwrap_err().code(), "history.running");
}

#[test]
fn drafts_one_per_template() {
    let db = Db::new();
    let h = db.open();
    assert_eq!(h.last_draft().unwrap(), None);
    h.save_draft("convocation", r#"{"values":{"objet":"Réunion"}}"#).unwrap();
    db.advance_ms(1000);
    h.save_draft("reponse-citoyen", r#"{"values":{},"answer":"Monsieur,"}"#).unwrap();
    db.advance_ms(1000);
    h.save_draft("convocation", r#"{"values":{"objet":"Réunion du conseil"}}"#).unwrap();
    assert_eq!(h.draft("convocation").unwrap().unwrap().data, r#"{"values":{"objet":"Réunion du conseil"}}"#);
    assert_eq!(h.last_draft().unwrap().unwrap().template_id, "convocation");
    assert!(h.delete_draft("convocation").unwrap());
    assert!(!h.delete_draft("convocation").unwrap());
    assert_eq!(h.last_draft().unwrap().unwrap().template_id, "reponse-citoyen");
    assert_eq!(h.save_draft(" ", "{}").unwrap_err().code(), "history.empty_value");
}

#[cfg(unix)]
#[test]
fn the_database_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let db = Db::new();
    let h = db.open();
    record(&h, &letter_run("convocation", "x", "y"), "z");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let wal = db.path.with_file_name(format!("{}-wal", FILE_NAME));
    let shm = db.path.with_file_name(format!("{}-shm", FILE_NAME));
    assert!(wal.exists() && shm.exists());
    assert_eq!(mode(&db.path), 0o600);
    assert_eq!(mode(&wal), 0o600);
    assert_eq!(mode(&shm), 0o600);
    assert_eq!(mode(db.path.parent().unwrap()), 0o700, "the data dir it created");
    assert_eq!(mode(&db.path.with_file_name(format!("{}-owners", FILE_NAME))), 0o700);
    drop(h);
    // A file made readable by others (restored from a backup) is tightened at open.
    std::fs::set_permissions(&db.path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let _h = db.open();
    assert_eq!(mode(&db.path), 0o600);
}

#[test]
fn a_database_from_a_newer_katib_is_refused() {
    let db = Db::new();
    drop(db.open());
    let c = rusqlite::Connection::open(&db.path).unwrap();
    c.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    drop(c);
    let e = History::open(&db.path, db.options(true)).unwrap_err();
    assert_eq!(e.code(), "history.too_new");
    assert!(e.to_string().contains(FILE_NAME), "{e}");
}

#[test]
fn a_file_that_is_not_a_database_gets_a_clear_error() {
    let db = Db::new();
    std::fs::create_dir_all(db.path.parent().unwrap()).unwrap();
    std::fs::write(
        &db.path,
        "Ceci n'est pas une base de données, mais un texte assez long pour remplir un en-tête.".repeat(20),
    )
    .unwrap();
    let e = History::open(&db.path, db.options(true)).unwrap_err();
    assert_eq!(e.code(), "history.open");
    assert!(e.to_string().contains(FILE_NAME), "{e}");
    // A folder where the file should be.
    let db = Db::new();
    std::fs::create_dir_all(&db.path).unwrap();
    let e = History::open(&db.path, db.options(true)).unwrap_err();
    assert!(e.to_string().contains(FILE_NAME), "{e}");
}
