//! The whole pipeline, the same for the CLI and the desktop app: load what is configured
//! ([`Workbench`]), check and normalise the user's inputs against a template and render the
//! prompt ([`prepare`]), find a practice recording ([`replay`]), keep personal data on this
//! computer ([`privacy`]), send and stream through steps ([`runner`], [`sink`]), and write the
//! answer inside its frame ([`frame`], [`output`]).
//! [`view`] describes templates to the front ends.
//!
//! Front ends parse and present; every rule lives here, once.

mod figures;
mod frame;
mod output;
mod prepare;
mod privacy;
mod record;
mod replay;
mod runner;
mod sink;
mod view;
mod workbench;

pub use figures::{check as check_figures, count_tokens, fact_sheet, FACT_SHEET_TOKENS, profile, profile_plain, report as sheet_report, tables as computed_tables, write_annex, FillStep, Flag};
pub use frame::{export_doc, letter_parts, signature, ExportOptions, Signature};
pub use output::{check_files, file_name, partial_path, unique};
pub use prepare::{
    file_text, normalize_date, prepare, prompt_vars, render, render_with, resolve, resolve_values, signatory_function, texts, today, variables, variables_from, Context,
    Inputs, Prepared, Resolved, Variables,
};
pub use privacy::{decide, mask, Confirmation, Masked, Protection, RestoreStep};
pub use record::Generated;
pub use replay::{Recording, ReplayKey, Replays, Unplayable, SAMPLE_TODAY};
pub use runner::{Answer, Interrupted, Job, Outgoing, Run};
pub use sink::{Pipeline, Sink, Step};
pub use view::{FieldView, OptionView, SampleView, TemplateSummary, TemplateView};
pub use workbench::{Connection, Route, Workbench};
