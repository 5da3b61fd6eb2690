//! katib-sheet: exact figures from every row of a spreadsheet, and the check of the numbers a
//! model writes. Katib computes, the model comments.
//!
//! - [`read_rows`] streams every row of an .xlsx/.xlsm, .ods, .csv or .xls into a [`RowSink`],
//!   with guards (size, zip bombs, row limit, deadline, caught panics); never a whole sheet in
//!   memory.
//! - [`profile_file`] profiles every row of every sheet ([`Profile`]: header found under title
//!   rows and merged cells, column types and exact statistics, total rows checked, cells in
//!   error named) and, from a template's [`SheetSpec`], resolves column roles
//!   ([`guess_roles`]), group totals, ratios with thresholds and differences.
//! - [`fact_sheet`] writes the compact, labelled text a prompt receives (French, Arabic,
//!   English); [`render_text`] the report of `katib sheet profile`.
//! - [`Figures`] and [`check_numbers`] find every number an answer writes and flag the ones
//!   found in none of the computed figures.
//! - [`computed_tables`] and [`fill_anchors`] put Katib's tables where the model wrote
//!   `[[tableau:NAME]]`; [`write_annex`] writes them as formulas in an .xlsx an auditor re-checks.
//!
//! Nothing here talks to a model or knows about templates beyond the [`SheetSpec`] they embed.
//!
//! ```
//! use katib_sheet::{check_numbers, fact_sheet, profile_file, FactOptions, Figures, Lang, ProfileOptions, SheetSpec};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/budget_oujda.xlsx");
//! let spec: SheetSpec = toml::from_str(r#"
//!     roles = ["credits_ouverts", "engage", "service"]
//!     group_by = ["service"]
//!     [[ratios]]
//!     name = "taux_engagement"
//!     num = "engage"
//!     den = "credits_ouverts"
//!     above = 1.0
//! "#).unwrap();
//! let profile = profile_file(path.as_ref(), &ProfileOptions { spec, ..Default::default() }).unwrap();
//! let prompt_part = fact_sheet(&profile, &FactOptions::prompt(Lang::Fr));
//! assert!(prompt_part.contains("550 800 000"));
//!
//! let figures = Figures::from_profile(&profile);
//! let answer = "Les crédits ouverts s'élèvent à 550 800 000 MAD, dont 55,0 % engagés, et 9 999 999 MAD payés.";
//! let check = check_numbers(answer, &figures);
//! let flagged: Vec<&str> = check.unmatched().map(|n| &answer[n.span.clone()]).collect();
//! assert_eq!(flagged, ["9 999 999"]);
//! ```
mod annex;
mod cell;
mod check;
mod error;
mod facts;
mod figure;
mod format;
mod profile;
mod read;
mod roles;
mod spec;
mod tables;
mod value;

pub use annex::{write_annex, AnnexSummary};
pub use cell::{column_letter, Cell, CellError, CellRange, NumFormat};
pub use check::{check_numbers, unmatched_message, Figures, NumberCheck, SkipReason, Skipped, WrittenNumber};
pub use error::{Result, SheetError};
pub use facts::{fact_sheet, render_text, FactOptions};
pub use profile::analysis::{DifferenceResult, Group, GroupTable, RatioResult, RatioRow, Threshold};
pub use profile::{
    profile_file, ColumnKind, ColumnProfile, DateValue, ErrorCell, NumStats, Profile, ProfileOptions, Profiler, SheetProfile,
    TotalCheck, TotalRow, Value, ValueCount, Warning,
};
pub use read::{decode_text, detect_delimiter, read_rows, Format, Limits, RowSink};
pub use roles::{guess_roles, guess_with_mapping, role_label, RoleAlternative, RoleGuess, RoleSource};
pub use spec::{DifferenceSpec, Labels, RatioSpec, SheetSpec};
pub use tables::{anchor_name, computed_tables, fill_anchors, ComputedTable, Filled, Inserted, TableCell};

/// The languages of the labels Katib writes (katib-core's `Lang` maps one to one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    Ar,
    En,
}
