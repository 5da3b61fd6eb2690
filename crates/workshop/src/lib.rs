//! katib-workshop: Katib in a training room. Exercise packs a trainer builds and copies to
//! thirty laptops, rubrics that check a learner's answer and explain each check in French and
//! Arabic, peer review between learners, and the template editor's backend.
//!
//! - [`pack`]: the pack format (`.katib` or a folder), loading with errors naming file and
//!   line, import/export/list, recording answers from a real endpoint, joining packs to a
//!   [`Workbench`](katib_core::run::Workbench) so their answers replay offline;
//! - [`rubric`]: the automatic checks and self-check items;
//! - [`exercise`]: an exercise from the learner's side (its run, their variant, the check);
//! - [`review`]: learner identity, submissions (`.katib-rendu`), reviews (`.katib-avis`), the
//!   trainer's results workbook;
//! - [`editor`]: tokens with explanations, live preview, save/duplicate/reset; [`fields`]: the
//!   template's fields as a form, each change rewriting or moving one `[[fields]]` entry.
//!
//! Every function returns typed, serializable values: the CLI prints them, the window's
//! commands pass them on as JSON.
//!
//! ```no_run
//! use katib_core::run::Workbench;
//! use katib_workshop::{exercise, pack};
//!
//! let wb = Workbench::load()?;
//! let opened = pack::library::open(&wb, "ia-starter")?;
//! let ex = opened.pack.exercise("1")?;
//! let result = exercise::check(&wb, &opened.pack, ex, "Monsieur,\n...", &[])?;
//! println!("{}/{} checks passed", result.passed, result.total);
//! # Ok::<(), katib_workshop::WorkshopError>(())
//! ```

pub mod editor;
mod error;
pub mod exercise;
pub mod fields;
pub mod pack;
pub mod review;
pub mod rubric;
pub mod text;

pub use error::{Result, WorkshopError};
pub use pack::library::{attach, Attached};
pub use pack::{Exercise, Pack};
pub use review::{Learner, Review, Submission};
pub use rubric::{Rubric, RubricResult};
