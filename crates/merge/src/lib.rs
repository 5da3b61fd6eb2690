//! katib-merge: mail-merge (publipostage). A letter template and a sheet give one letter per row,
//! with the full letter frame of a single letter, resumably.
//!
//! - [`prepare`] checks a merge before anything is sent or written ([`Request`] -> [`Merge`] and
//!   its [`Plan`]): the sheet read as a stream (header under title rows, cells in error named),
//!   its columns mapped to the template's fields (by name or label, accents, case and Arabic
//!   letter forms ignored; corrected with `--map`; remembered per template), every row resolved
//!   as a single letter's form, the rows that cannot go listed, file names safe on Windows, the
//!   first three letters previewed, the cost of one request per row estimated.
//! - Two modes ([`Mode`]): "draft", the model drafts the letter once with merge fields
//!   (`{{nom}}`), the official approves it ([`Draft`]), every row is filled in locally with no
//!   further call; "per-row", one request per row through the same pipeline as a single letter
//!   (pseudonymised per row when the profile requires it, recorded in the history), at most
//!   `concurrency` at once, a 429 slowing the whole batch.
//! - [`run`] writes the letters, the combined document for printing (one letter per section,
//!   each on its own page), the tracking workbook, and keeps a journal ([`journal`]) so that a
//!   stopped or killed merge resumes with only the rows not done.
//! - [`samples`]: mail-merge samples whose saved answers practice mode replays offline.
//!
//! Not here: the command line (`crates/cli/merge.rs`) and the window; both call these functions.
//!
//! ```no_run
//! # async fn demo() -> Result<(), katib_merge::MergeError> {
//! use std::sync::Arc;
//! use katib_merge::{prepare, run, Mode, Options, Request};
//! let wb = katib_core::run::Workbench::load()?;
//! let req = Request {
//!     template: "convocation".into(),
//!     rows: "membres.xlsx".into(),
//!     mode: Mode::Draft,
//!     draft: Some(katib_merge::DraftSource::new(std::fs::read_to_string("brouillon.md").unwrap(), "brouillon.md")),
//!     ..Default::default()
//! };
//! let merge = prepare(&wb, &req)?;
//! println!("{} letters, {} rows left out", merge.plan.ready, merge.plan.incomplete.len());
//! let opts = Options { out_dir: "lettres".into(), ..Default::default() };
//! let cancel = katib_core::providers::CancellationToken::new();
//! let report = run(Arc::new(wb), Arc::new(merge), &opts, |_event| {}, cancel).await?;
//! println!("{} written, combined in {:?}", report.done, report.combined);
//! # Ok(()) }
//! ```

mod combine;
mod draft;
mod engine;
mod error;
pub mod journal;
mod mapping;
mod names;
mod plan;
pub mod samples;
mod stencil;
mod table;
mod text;
mod tracking;

pub use combine::Combined;
pub use draft::{saved_text, Draft, MergeField, Slot};
pub use engine::{combine_files, run, Event, Failure, Options, Report, RowEvent};
pub use error::{MergeError, Result, RowProblem};
pub use mapping::{recall, remember, remembered_path, FieldSource, Mapping, Origin, Pattern};
pub use names::{safe as safe_file_name, NamePattern};
pub use plan::{check, prepare, ColumnView, DraftSource, Estimate, FieldView, Letter, Merge, Mode, Plan, Preview, Request, RouteView, COMBINED, CONFIRM_ABOVE, TRACKING};
pub use samples::MergeSample;
pub use stencil::{same_parts, Stats};
pub use table::{read as read_table, Column, Row, Table, Value};
pub use tracking::Status;
