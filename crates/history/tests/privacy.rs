//! History off: only the metadata row of each run is written; not one text reaches the
//! database's files (the file, its WAL and its shared memory are scanned byte by byte). The same
//! run with the history on is the control: the scan finds the texts then.

use katib_history::*;

use crate::util::*;

/// Distinctive strings in every text field of a run, in the forms they would be stored in.
const SECRETS: [&str; 9] = [
    "Qzwxobjet",       // objet
    "Qzwxalaoui",      // addressee, replacement original
    "QZWXCIN778",      // form value
    "qzwxpiece.pdf",   // input file name
    "Qzwxmessage",     // message as sent
    "qzwxreponse",     // answer
    "qzwxrevue",       // edit
    "qzwxsortie.docx", // export path
    "قزوكسعربي",       // Arabic answer text
];

fn secret_run() -> NewRun {
    let mut run = letter_run("reponse-citoyen", "Qzwxobjet de la demande", "M. Qzwxalaoui");
    run.form.insert("cin".into(), "QZWXCIN778".into());
    run.inputs[0].name = "qzwxpiece.pdf".into();
    run.messages[1].content = "Qzwxmessage envoyé pour [NOM_1]".into();
    run.replacements.push(Replacement {
        placeholder: "[CIN_1]".into(),
        original: "QZWXCIN778".into(),
        kind: "CIN".into(),
    });
    run
}

fn run_everything(h: &History) -> String {
    let mut rec = h.start_run(&secret_run()).unwrap();
    for piece in ["Monsieur, qzwxreponse ", "à votre demande. ", "قزوكسعربي ", "fin."] {
        rec.push(piece).unwrap();
        rec.checkpoint().unwrap();
    }
    let id = rec.id().to_string();
    rec.finish(Outcome::Done, Tokens { prompt: Some(10), completion: Some(5) }).unwrap();
    h.save_edit(&id, "Monsieur, qzwxrevue.").unwrap();
    h.record_export(&id, "/home/agent/qzwxsortie.docx", "docx").unwrap();
    h.approve(&id, "Nadia Berrada", "Chef de division").unwrap();
    id
}

#[test]
fn history_off_writes_no_text_to_the_file() {
    // Control: history on, the scan finds every text.
    let on = Db::new();
    let h = on.open();
    run_everything(&h);
    let bytes = on.bytes();
    for s in SECRETS {
        assert!(contains(&bytes, s), "control: {s} should be in the file with the history on");
    }
    drop(h);

    let off = Db::new();
    let h = History::open(&off.path, off.options(false)).unwrap();
    assert!(!h.keeps_texts());
    let id = run_everything(&h);
    // Also a run cut in the middle, and one left by a recorder dropped mid-stream.
    let mut rec = h.start_run(&secret_run()).unwrap();
    rec.push("qzwxreponse coupée").unwrap();
    drop(rec);

    // The audit row is there: time, template, profile, data class, status, approval.
    let r = h.get(&id).unwrap();
    assert_eq!(
        (r.summary.status, r.summary.data_class, r.summary.profile.as_str()),
        (Status::Done, DataClass::Cloud, "mistral")
    );
    assert_eq!(r.summary.template_id, "reponse-citoyen");
    assert_eq!(r.summary.masked.get("CIN"), Some(&1));
    assert!(!r.summary.has_texts && r.texts.is_none() && r.exports.is_empty());
    assert_eq!(r.approvals.len(), 1);
    assert_eq!(h.list(&Filter::default()).unwrap().len(), 2);
    assert!(h.search("qzwxreponse", &Filter::default()).unwrap().is_empty());

    let bytes = off.bytes();
    assert!(contains(&bytes, "reponse-citoyen"), "the scan reads the right files");
    for s in SECRETS {
        assert!(!contains(&bytes, s), "{s} reached the database files with the history off");
    }
    drop(h);
    // Also once the WAL is folded into the file on close.
    for s in SECRETS {
        assert!(!contains(&off.bytes(), s), "{s} in the closed database");
    }
}

#[test]
fn turning_the_history_off_applies_to_the_next_runs() {
    let db = Db::new();
    let h = db.open();
    let kept = record(&h, &letter_run("convocation", "Gardée", "A"), "Texte gardé.");
    h.set_keep_texts(false);
    let not_kept = record(&h, &letter_run("convocation", "Non gardée", "B"), "Texte non gardé.");
    assert!(h.get(&kept).unwrap().texts.is_some());
    assert!(h.get(&not_kept).unwrap().texts.is_none());
    assert_eq!(h.save_edit(&not_kept, "Édition").unwrap(), 0);
    assert!(!h.record_export(&not_kept, "x.docx", "docx").unwrap());
}
