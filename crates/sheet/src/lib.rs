//! katib-sheet: exact figures from every row of a spreadsheet, and the check of the numbers a
//! model writes. Katib computes, the model comments.
mod annex;
pub mod cell;
mod check;
pub mod error;
mod facts;
mod format;
mod profile;
mod read;
mod roles;
mod spec;
mod tables;
mod value;

pub use annex::{write_annex, AnnexSummary};
pub use cell::{Cell, CellError, CellRange, NumFormat};
pub use check::{check_numbers, unmatched_message, Figures, NumberCheck, SkipReason, Skipped, WrittenNumber};
pub use error::{Result, SheetError};
pub use facts::{fact_sheet, render_text, FactOptions};
pub use profile::analysis::{DifferenceResult, Group, GroupTable, RatioResult, RatioRow, Threshold};
pub use profile::{
    profile_file, ColumnKind, ColumnProfile, DateValue, ErrorCell, NumStats, Profile, ProfileOptions, Profiler, SheetProfile,
    TotalCheck, TotalRow, Value, ValueCount, Warning,
};
pub use read::{read_rows, Format, Limits, RowSink};
pub use roles::{guess_roles, guess_with_mapping, role_label, RoleGuess, RoleSource};
pub use spec::{DifferenceSpec, Labels, RatioSpec, SheetSpec};
pub use tables::{anchor_name, computed_tables, fill_anchors, ComputedTable, Filled, Inserted, TableCell};

/// The languages of the labels Katib writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    Ar,
    En,
}
