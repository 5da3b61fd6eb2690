//! katib-history: Katib's local record, one SQLite file (`<data dir>/katib.sqlite3`): every run
//! (what was sent where, the answer, the edits, the exports), the audit record, the approvals
//! ("relu et validé par"), the outgoing-mail register and the desktop's drafts.
//!
//! Plain values in, plain values out: it knows nothing of templates, providers or documents
//! (no dependency on katib-core), so the CLI and the window call it in a few lines. It never
//! takes an API key. Texts that may hold personal data are written only while the history is on
//! ([`Options::keep_texts`]); the metadata row of each run (the audit record) always is.
//!
//! ```
//! use katib_history::{DataClass, History, NewRun, Options, Outcome, Tokens};
//!
//! // The app: History::open(data_dir.join(katib_history::FILE_NAME), options)
//! let history = History::open_in_memory(Options::default())?;
//! let run = NewRun {
//!     template_id: "reponse-citoyen".into(),
//!     profile: "local".into(),
//!     data_class: Some(DataClass::Local),
//!     ..Default::default()
//! };
//! let mut rec = history.start_run(&run)?;
//! for piece in ["Monsieur, ", "nous avons l'honneur..."] {
//!     rec.push(piece)?; // checkpointed as it grows
//! }
//! let id = rec.id().to_string(); // into the .docx properties
//! rec.finish(Outcome::Done, Tokens::default())?;
//! let hits = history.search("honneur", &Default::default())?;
//! assert_eq!(hits[0].run.id, id);
//! # Ok::<(), katib_history::Error>(())
//! ```
//!
//! Modules: `store` (open, settings, migrations), one module per table (`runs`, `edits`,
//! `exports`, `approvals`, `register`, `drafts`; `search` for the full-text index), `recorder`
//! (the streamed answer), `fold` (search folding for French and Arabic), `liveness` (which
//! process still records a run).

mod approvals;
mod drafts;
mod edits;
mod error;
mod exports;
mod fold;
mod liveness;
mod migrate;
mod model;
mod recorder;
mod register;
mod runs;
mod search;
mod store;

pub use error::{Error, Result};
pub use fold::fold;
pub use migrate::SCHEMA_VERSION;
pub use model::{
    Annex, Approval, DataClass, Draft, Edit, ExportRecord, Filter, Hit, InputFile, Letter, NewRun, Outcome,
    PseudonymisationOverride, PurgeReport, RegisterEntry, RegisterFilter, Replacement, RunRecord, RunSummary, RunTexts,
    SentMessage, SnippetPart, Status, Tokens,
};
pub use recorder::RunRecorder;
pub use register::RegisterPattern;
pub use store::{CheckpointPolicy, Clock, History, Options, FILE_NAME};

#[cfg(test)]
mod tests {
    /// The window keeps one `History` in its state and records from async tasks.
    #[test]
    fn history_is_shared_across_threads_and_a_recorder_moves_between_them() {
        fn send_sync<T: Send + Sync + Clone>() {}
        fn send<T: Send>() {}
        send_sync::<crate::History>();
        send::<crate::RunRecorder>();
        let h = crate::History::open_in_memory(crate::Options::default()).unwrap();
        let h2 = h.clone();
        let rec = std::thread::spawn(move || {
            h2.start_run(&crate::NewRun {
                template_id: "convocation".into(),
                data_class: Some(crate::DataClass::Local),
                ..Default::default()
            })
            .unwrap()
        })
        .join()
        .unwrap();
        let id = rec.id().to_string();
        std::thread::spawn(move || rec.finish(crate::Outcome::Done, crate::Tokens::default()).unwrap()).join().unwrap();
        assert_eq!(h.get(&id).unwrap().summary.status, crate::Status::Done);
    }
}
