//! The profile of a workbook: for every sheet, computed from every row, the header found, each
//! column's type and statistics, the total rows checked against the computed sums, the cells in
//! error, sample rows; then, from the template's declarations, column roles, grouped totals,
//! ratios with their thresholds, and differences (see `analysis`).
//!
//! Rows labelled as totals ("Total", "Sous-total", "TOTAL GÉNÉRAL", "المجموع") and section
//! heading rows (one text cell alone) are left out of the statistics; a total row is checked
//! against the sum of the rows above it (all of them, or those since the previous total row).
//! A column's statistics count numbers only: text, dates and error cells are counted apart,
//! never read as numbers.

pub(crate) mod analysis;
mod build;
pub(crate) mod column;
pub(crate) mod header;
mod pipeline;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

pub use build::Profiler;

use crate::error::{Result, SheetError};
use crate::read::{Format, Limits};
use crate::roles::RoleGuess;
use crate::spec::SheetSpec;

/// What to profile and how.
#[derive(Clone, Debug)]
pub struct ProfileOptions {
    /// Only this sheet (by name, case-insensitive); all sheets when `None`.
    pub sheet: Option<String>,
    pub limits: Limits,
    /// Distinct values counted exactly per column, beyond which the count says "more than".
    pub distinct_cap: usize,
    /// Most frequent values kept per column.
    pub top_values: usize,
    /// The template's declarations (roles, group-by, ratios, differences); empty for a plain profile.
    pub spec: SheetSpec,
    /// Role -> column (header text, or column letter such as "D"), as the user chose in the form;
    /// roles not given here are guessed.
    pub mapping: BTreeMap<String, String>,
    /// More columns (header, letter or role) to total by, e.g. from `--group-by`; one entry
    /// may name two columns joined by '+' ("service+chapitre").
    pub group_by: Vec<String>,
}

impl Default for ProfileOptions {
    fn default() -> Self {
        ProfileOptions {
            sheet: None,
            limits: Limits::default(),
            distinct_cap: 10_000,
            top_values: 5,
            spec: SheetSpec::default(),
            mapping: BTreeMap::new(),
            group_by: Vec::new(),
        }
    }
}

/// The profile of one file.
#[derive(Debug, Serialize)]
pub struct Profile {
    pub file: String,
    pub format: Format,
    pub sheets: Vec<SheetProfile>,
    /// Sheets with no cell at all.
    pub empty_sheets: Vec<String>,
}

/// A column's type, decided from all its cells (80 % of the non-blank cells make the type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    Number,
    /// Fractions (0.96) when the cells are formatted as percents; points (96) when only the
    /// header says so (`percent_points`).
    Percent,
    /// Money: a currency format, a currency in the cells or the header ("DH", "MAD", "درهم"),
    /// or an amount header ("Montant").
    Amount,
    Date,
    /// Text with few distinct values (at most 50, each used twice on average).
    Category,
    Text,
    Bool,
    Empty,
}

/// A value as it appears in tables and JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Number(f64),
    Text(String),
    Bool(bool),
    /// ISO date.
    Date(DateValue),
    Empty,
}

/// A date, kept as its serial for formatting; serialised as "YYYY-MM-DD".
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DateValue(pub f64);

impl Serialize for DateValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&crate::cell::iso_date(self.0))
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct NumStats {
    pub sum: f64,
    pub mean: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// Sheet rows (1-based) of the first minimum and maximum.
    pub min_row: u32,
    pub max_row: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct ValueCount {
    pub value: Value,
    pub count: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ColumnProfile {
    /// Position among the table's columns.
    pub index: usize,
    /// The sheet column ("D").
    pub letter: String,
    pub header: String,
    pub kind: ColumnKind,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub percent_points: bool,
    /// Whether a sum of this column means something (amounts and counts, not identifiers,
    /// years, rates).
    pub additive: bool,
    /// Non-blank cells (numbers, text, dates, booleans; errors not included).
    pub count: u64,
    pub blanks: u64,
    pub errors: u64,
    pub numbers: u64,
    pub texts: u64,
    pub dates: u64,
    /// Formulas whose value was never saved.
    #[serde(skip_serializing_if = "is_zero")]
    pub no_value: u64,
    pub distinct: u64,
    /// True when there are more distinct values than `distinct` (the cap).
    pub distinct_capped: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats: Option<NumStats>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_date: Option<DateValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_date: Option<DateValue>,
    pub top: Vec<ValueCount>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One column of a total row, checked.
#[derive(Clone, Debug, Serialize)]
pub struct TotalCheck {
    pub column: String,
    pub letter: String,
    /// The value written in the sheet.
    pub written: f64,
    /// The sum Katib computed for the rows this total covers.
    pub computed: f64,
    pub matches: bool,
    /// "all": every data row above; "since_previous_total": the rows since the last total row;
    /// "group": the rows above whose `group_column` holds the value the label names ("Total
    /// fonctionnement" for the rows whose "Partie" is "Fonctionnement").
    pub basis: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_value: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TotalRow {
    /// Sheet row, 1-based.
    pub row: u32,
    pub label: String,
    /// A sub-total ("Sous-total", "Total chapitre 10") rather than the grand total.
    pub sub: bool,
    pub checks: Vec<TotalCheck>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ErrorCell {
    pub address: String,
    pub column: String,
    pub error: crate::cell::CellError,
}

#[derive(Clone, Debug, Serialize)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
}

/// One sheet's profile.
#[derive(Debug, Serialize)]
pub struct SheetProfile {
    pub name: String,
    /// Text above the header ("Budget 2026 – Commune d'Oujda", "Situation au 31/10/2026").
    pub title_lines: Vec<String>,
    /// Sheet rows (1-based) of the header; empty when none was found.
    pub header_rows: Vec<u32>,
    pub data_rows: u64,
    pub first_data_row: u32,
    pub last_data_row: u32,
    pub columns: Vec<ColumnProfile>,
    pub totals: Vec<TotalRow>,
    /// Rows with one text cell alone (section headings, notes), left out of the statistics.
    pub label_rows: Vec<(u32, String)>,
    /// The header row repeated inside the data (page breaks of an export), left out.
    pub repeated_headers: u32,
    pub error_count: u64,
    /// The first cells in error (up to 200), by address.
    pub error_cells: Vec<ErrorCell>,
    /// Up to three data rows (the first two and the last), cells in column order.
    pub samples: Vec<(u32, Vec<Value>)>,
    pub roles: Vec<RoleGuess>,
    pub groups: Vec<analysis::GroupTable>,
    pub ratios: Vec<analysis::RatioResult>,
    pub differences: Vec<analysis::DifferenceResult>,
    pub warnings: Vec<Warning>,
    #[serde(skip)]
    pub(crate) store: Store,
}

/// The per-row data kept for the analysis, the figures and the annex (not serialised).
#[derive(Default)]
pub(crate) struct Store {
    /// Sheet row (0-based) of each data row.
    pub rows: Vec<u32>,
    /// Per table column: numbers per data row (NaN where none).
    pub nums: Vec<Option<Vec<f64>>>,
    /// Per table column: distinct-value ids per data row, and the values.
    pub keys: Vec<Option<Vec<u32>>>,
    pub values: Vec<Vec<column::KeyVal>>,
    /// Sheet column (0-based) of each table column.
    pub sheet_cols: Vec<u32>,
    /// Per total row, the written values of its cells (the figures the sheet states).
    pub total_values: Vec<f64>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({} rows)", self.rows.len())
    }
}

impl SheetProfile {
    /// The table column named `name`: its header (accents and case ignored), its letter ("D"),
    /// or a role already resolved.
    pub fn column(&self, name: &str) -> Option<usize> {
        let f = crate::value::fold(name);
        if let Some(c) = self.columns.iter().position(|c| crate::value::fold(&c.header) == f) {
            return Some(c);
        }
        if name.len() <= 3 && name.chars().all(|c| c.is_ascii_alphabetic()) {
            let up = name.to_ascii_uppercase();
            if let Some(c) = self.columns.iter().position(|c| c.letter == up) {
                return Some(c);
            }
        }
        self.roles.iter().find(|r| r.role == name).and_then(|r| r.column)
    }

    /// The column resolved for `role`, if any.
    pub fn role_column(&self, role: &str) -> Option<usize> {
        self.roles.iter().find(|r| r.role == role).and_then(|r| r.column)
    }

    /// Numbers of a table column per data row (NaN where none).
    pub(crate) fn nums(&self, col: usize) -> Option<&[f64]> {
        self.store.nums.get(col)?.as_deref()
    }
}

impl Profile {
    pub fn sheet(&self, name: &str) -> Option<&SheetProfile> {
        self.sheets.iter().find(|s| s.name.eq_ignore_ascii_case(name))
    }

    /// The sheet a template's analysis is about: the one with the most data rows.
    pub fn main_sheet(&self) -> Option<&SheetProfile> {
        self.sheets.iter().max_by_key(|s| (s.data_rows, std::cmp::Reverse(s.name.clone())))
    }
}

/// Profiles every row of every sheet of `path` (or the sheet `options.sheet`), then resolves
/// roles (explicit mapping first, guesses for the rest) and computes the declared group totals,
/// ratios and differences. The one call behind `katib sheet profile`.
pub fn profile_file(path: &Path, options: &ProfileOptions) -> Result<Profile> {
    // The readers catch their own panics; this catches one in the computations, so that a bug
    // on an odd sheet is an error for this file, not a crash of Katib.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| profile_unguarded(path, options))) {
        Ok(r) => r,
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "the profile computation panicked".into());
            Err(SheetError::Crashed { path: path.into(), detail })
        }
    }
}

fn profile_unguarded(path: &Path, options: &ProfileOptions) -> Result<Profile> {
    let mut profiler = Profiler::new(options.sheet.clone(), options.distinct_cap, options.top_values);
    let format = pipeline::read_into(path, &options.limits, &mut profiler)?;
    let (sheets, empty_sheets, seen) = profiler.finish();
    if let Some(want) = &options.sheet {
        if !seen.iter().any(|s| s.eq_ignore_ascii_case(want)) {
            return Err(SheetError::UnknownSheet { path: path.into(), sheet: want.clone(), available: seen });
        }
    }
    if sheets.is_empty() {
        return Err(SheetError::NoData { path: path.into() });
    }
    let mut profile = Profile {
        file: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        format,
        sheets,
        empty_sheets,
    };
    analysis::apply(&mut profile, options)?;
    Ok(profile)
}
