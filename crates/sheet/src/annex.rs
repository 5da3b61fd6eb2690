//! The .xlsx annex an auditor re-checks: a copy of the data rows of each profiled sheet (total
//! and heading rows left out, so a SUM over a column is the computed total), one helper column
//! per declared ratio and difference, and a "Calculs" sheet where every figure of the computed
//! tables is a formula over the copy (COUNT, SUM, AVERAGE, MEDIAN, MIN, MAX, SUMIF, COUNTIF,
//! SUMPRODUCT) with Katib's value cached, so Excel or LibreOffice shows the figure on opening
//! and recomputes the same on F9.
//!
//! The copy is streamed from the source file (rust_xlsxwriter's constant-memory mode), never
//! held whole. Cells in error are copied as their text ("#DIV/0!"): SUM and AVERAGE skip them as
//! Katib did. The file is written to a temporary name in the target folder, then renamed.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format as XFormat, Formula, Workbook, Worksheet};
use serde::Serialize;

use crate::cell::{column_letter, Cell, CellRange};
use crate::error::{Result, SheetError};
use crate::profile::column::{classify, Val};
use crate::profile::{ColumnKind, Profile, SheetProfile, Value};
use crate::read::{read_rows, Limits, RowSink};
use crate::tables::pct_name;
use crate::Lang;

/// What was written.
#[derive(Clone, Debug, Serialize)]
pub struct AnnexSummary {
    pub path: PathBuf,
    /// Worksheet names, data copies and calculation sheets.
    pub sheets: Vec<String>,
    /// Formulas written (their values cached).
    pub formulas: usize,
}

struct Names {
    data: &'static str,
    calc: &'static str,
    title: &'static str,
    note: &'static str,
    stats: &'static str,
    col: &'static str,
    count: &'static str,
    sum: &'static str,
    mean: &'static str,
    median: &'static str,
    min: &'static str,
    max: &'static str,
    by: &'static str,
    rows: &'static str,
    total: &'static str,
    ratio_overall: &'static str,
    above: &'static str,
    below: &'static str,
    row: &'static str,
    check: &'static str,
    written: &'static str,
    computed: &'static str,
    gap: &'static str,
    negative: &'static str,
    errors: &'static str,
}

const FR: Names = Names {
    data: "Données",
    calc: "Calculs",
    title: "Chiffres calculés par Katib",
    note: "Chaque chiffre est une formule sur la feuille des données ; la valeur affichée est celle calculée par Katib. Recalculez (F9) pour vérifier.",
    stats: "Statistiques par colonne",
    col: "Colonne",
    count: "Nombre",
    sum: "Somme",
    mean: "Moyenne",
    median: "Médiane",
    min: "Minimum",
    max: "Maximum",
    by: "Totaux par",
    rows: "Lignes",
    total: "Total",
    ratio_overall: "Valeur globale",
    above: "Lignes au-dessus de",
    below: "Lignes en dessous de",
    row: "Ligne du fichier",
    check: "Contrôle des lignes de total du fichier",
    written: "Valeur du fichier",
    computed: "Somme calculée",
    gap: "Écart",
    negative: "Lignes négatives",
    errors: "Cellules en erreur",
};

const AR: Names = Names {
    data: "البيانات",
    calc: "الحسابات",
    title: "أرقام حسبها كاتب",
    note: "كل رقم صيغة محسوبة على ورقة البيانات، والقيمة المعروضة هي التي حسبها كاتب. أعد الحساب (F9) للتحقق.",
    stats: "إحصاءات حسب العمود",
    col: "العمود",
    count: "العدد",
    sum: "المجموع",
    mean: "المتوسط",
    median: "الوسيط",
    min: "الأدنى",
    max: "الأقصى",
    by: "المجاميع حسب",
    rows: "عدد الأسطر",
    total: "المجموع",
    ratio_overall: "القيمة الإجمالية",
    above: "الأسطر الأعلى من",
    below: "الأسطر الأدنى من",
    row: "السطر في الملف",
    check: "مراقبة أسطر المجموع الواردة في الملف",
    written: "القيمة الواردة في الملف",
    computed: "المجموع المحسوب",
    gap: "الفرق",
    negative: "الأسطر السالبة",
    errors: "الخلايا الخاطئة",
};

const EN: Names = Names {
    data: "Data",
    calc: "Calculations",
    title: "Figures computed by Katib",
    note: "Every figure is a formula over the data sheet; the value shown is the one Katib computed. Recalculate (F9) to check.",
    stats: "Statistics per column",
    col: "Column",
    count: "Count",
    sum: "Sum",
    mean: "Mean",
    median: "Median",
    min: "Minimum",
    max: "Maximum",
    by: "Totals by",
    rows: "Rows",
    total: "Total",
    ratio_overall: "Overall value",
    above: "Rows above",
    below: "Rows below",
    row: "Row in the file",
    check: "Check of the file's total rows",
    written: "Value in the file",
    computed: "Computed sum",
    gap: "Difference",
    negative: "Negative rows",
    errors: "Cells in error",
};

fn names(lang: Lang) -> &'static Names {
    match lang {
        Lang::Fr => &FR,
        Lang::Ar => &AR,
        Lang::En => &EN,
    }
}

/// A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(base: &str, taken: &[String]) -> String {
    let clean: String = base.chars().map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c }).collect();
    let clean = clean.trim().trim_matches('\'').to_string();
    let mut name: String = clean.chars().take(31).collect();
    let mut k = 2;
    while taken.iter().any(|t| t.to_lowercase() == name.to_lowercase()) {
        let suffix = format!(" {k}");
        name = clean.chars().take(31 - suffix.chars().count()).collect::<String>() + &suffix;
        k += 1;
    }
    name
}

/// A cached result as Excel stores it.
fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

struct Styles {
    bold: XFormat,
    amount: XFormat,
    percent: XFormat,
    date: XFormat,
    number: XFormat,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            bold: XFormat::new().set_bold(),
            amount: XFormat::new().set_num_format("#,##0.00"),
            percent: XFormat::new().set_num_format("0.0%"),
            date: XFormat::new().set_num_format("dd/mm/yyyy"),
            number: XFormat::new().set_num_format("General"),
        }
    }

    fn for_kind(&self, kind: ColumnKind, points: bool) -> &XFormat {
        match kind {
            ColumnKind::Amount => &self.amount,
            ColumnKind::Percent if !points => &self.percent,
            ColumnKind::Date => &self.date,
            _ => &self.number,
        }
    }
}

fn xerr(out: &Path) -> impl Fn(rust_xlsxwriter::XlsxError) -> SheetError + '_ {
    move |e| SheetError::Write { path: out.into(), detail: e.to_string() }
}

/// Where a profiled sheet's copy lives and how it is laid out.
struct Copy<'p> {
    sheet: &'p SheetProfile,
    data_name: String,
    /// Helper columns after the data: (label, formula template kind, index of ratio/difference).
    helpers: Vec<Helper>,
}

#[derive(Clone, Copy)]
enum Helper {
    Ratio(usize),
    Difference(usize),
}

impl Copy<'_> {
    fn rows(&self) -> u64 {
        self.sheet.data_rows
    }

    /// `'Données'!$D$2:$D$43` for table column `c` (or a helper column).
    fn range(&self, col: usize) -> String {
        let letter = column_letter(col as u32);
        format!("'{}'!${letter}$2:${letter}${}", self.data_name, self.rows().max(1) + 1)
    }

    /// The copy's rows 2..=n+1 restricted to data rows `from..to` (0-based among data rows).
    fn range_rows(&self, col: usize, from: u64, to: u64) -> String {
        let letter = column_letter(col as u32);
        format!("'{}'!${letter}${}:${letter}${}", self.data_name, from + 2, to.max(from + 1) + 1)
    }

    fn helper_col(&self, h: usize) -> usize {
        self.sheet.columns.len() + h
    }
}

/// Writes the annex of `profile` to `out`, reading the data rows again from `source`.
pub fn write_annex(source: &Path, profile: &Profile, out: &Path, lang: Lang, limits: &Limits) -> Result<AnnexSummary> {
    let w = names(lang);
    let st = Styles::new();
    let mut wb = Workbook::new();
    let mut taken: Vec<String> = Vec::new();
    let several = profile.sheets.len() > 1;
    let mut copies: Vec<Copy<'_>> = Vec::new();
    for s in profile.sheets.iter().filter(|s| s.data_rows > 0) {
        let base = if several { format!("{} - {}", w.data, s.name) } else { w.data.to_string() };
        let data_name = sheet_name(&base, &taken);
        taken.push(data_name.clone());
        let mut helpers: Vec<Helper> = Vec::new();
        helpers.extend((0..s.ratios.len()).filter(|&i| s.ratios[i].num_column.is_some() && s.ratios[i].den_column.is_some()).map(Helper::Ratio));
        helpers.extend((0..s.differences.len()).filter(|&i| s.differences[i].from_column.is_some() && s.differences[i].minus_column.is_some()).map(Helper::Difference));
        copies.push(Copy { sheet: s, data_name, helpers });
    }
    let mut formulas = 0usize;
    // The data copies, streamed from the source.
    {
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (i, c) in copies.iter().enumerate() {
            by_name.insert(c.sheet.name.clone(), i);
            let ws = wb.add_worksheet_with_constant_memory();
            ws.set_name(&c.data_name).map_err(xerr(out))?;
        }
        let mut sink = CopySink { wb: &mut wb, copies: &copies, by_name, current: None, next: 0, st: &st, lang, err: None, formulas: 0 };
        read_rows(source, limits, &mut sink)?;
        if let Some(e) = sink.err {
            return Err(SheetError::Write { path: out.into(), detail: e });
        }
        formulas += sink.formulas;
    }
    for c in &copies {
        let base = if several { format!("{} - {}", w.calc, c.sheet.name) } else { w.calc.to_string() };
        let calc_name = sheet_name(&base, &taken);
        taken.push(calc_name.clone());
        let ws = wb.add_worksheet();
        ws.set_name(&calc_name).map_err(xerr(out))?;
        if lang == Lang::Ar {
            ws.set_right_to_left(true);
        }
        formulas += write_calculations(ws, c, profile, lang, &st).map_err(xerr(out))?;
    }
    // Atomic write: a temporary file in the same folder, then a rename.
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new().prefix(".katib-annex").suffix(".xlsx").tempfile_in(dir).map_err(|e| SheetError::Write { path: out.into(), detail: e.to_string() })?;
    wb.save(tmp.path()).map_err(xerr(out))?;
    tmp.persist(out).map_err(|e| SheetError::Write { path: out.into(), detail: e.to_string() })?;
    Ok(AnnexSummary { path: out.into(), sheets: taken, formulas })
}

struct CopySink<'a, 'p> {
    wb: &'a mut Workbook,
    copies: &'a [Copy<'p>],
    by_name: HashMap<String, usize>,
    current: Option<usize>,
    /// Next data row to copy (index among the sheet's data rows).
    next: usize,
    st: &'a Styles,
    lang: Lang,
    err: Option<String>,
    formulas: usize,
}

impl CopySink<'_, '_> {
    fn write_row(&mut self, ci: usize, cells: &[Cell<'_>]) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
        let c = &self.copies[ci];
        let s = c.sheet;
        let r = (self.next + 1) as u32;
        let ws = self.wb.worksheet_from_name(&c.data_name)?;
        for (k, (&sc, col)) in s.store.sheet_cols.iter().zip(&s.columns).enumerate() {
            let k = k as u16;
            let Some(v) = cells.get(sc as usize).and_then(classify) else { continue };
            match v {
                Val::Number(x, ..) => {
                    ws.write_number_with_format(r, k, x, self.st.for_kind(col.kind, col.percent_points))?;
                }
                Val::Date(d) => {
                    ws.write_number_with_format(r, k, d, &self.st.date)?;
                }
                Val::Text(t) => {
                    ws.write_string(r, k, t)?;
                }
                Val::Bool(b) => {
                    ws.write_boolean(r, k, b)?;
                }
                Val::Error(e) => {
                    ws.write_string(r, k, e.as_str())?;
                }
                Val::NoValue => {}
            }
        }
        // Helper columns: the declared ratios and differences, row by row.
        let i = self.next;
        for (h, helper) in c.helpers.iter().enumerate() {
            let col = c.helper_col(h) as u16;
            let (formula, value) = match *helper {
                Helper::Ratio(q) => {
                    let rr = &s.ratios[q];
                    let (n, d) = (rr.num_column.unwrap_or(0), rr.den_column.unwrap_or(0));
                    let (ln, ld) = (column_letter(n as u32), column_letter(d as u32));
                    let row = r + 1;
                    let x = s.nums(n).map_or(f64::NAN, |v| v[i]);
                    let y = s.nums(d).map_or(f64::NAN, |v| v[i]);
                    let v = if x.is_nan() || y.is_nan() || y == 0.0 { None } else { Some(x / y) };
                    (format!("=IF(AND(ISNUMBER({ln}{row}),ISNUMBER({ld}{row})),IF({ld}{row}<>0,{ln}{row}/{ld}{row},\"\"),\"\")"), v)
                }
                Helper::Difference(q) => {
                    let dd = &s.differences[q];
                    let (a, b) = (dd.from_column.unwrap_or(0), dd.minus_column.unwrap_or(0));
                    let (la, lb) = (column_letter(a as u32), column_letter(b as u32));
                    let row = r + 1;
                    let x = s.nums(a).map_or(f64::NAN, |v| v[i]);
                    let y = s.nums(b).map_or(f64::NAN, |v| v[i]);
                    let v = if x.is_nan() || y.is_nan() { None } else { Some(x - y) };
                    (format!("=IF(AND(ISNUMBER({la}{row}),ISNUMBER({lb}{row})),{la}{row}-{lb}{row},\"\")"), v)
                }
            };
            let f = Formula::new(formula).set_result(value.map_or(String::new(), num));
            let fmt = match helper {
                Helper::Ratio(_) => &self.st.percent,
                Helper::Difference(_) => &self.st.amount,
            };
            ws.write_formula_with_format(r, col, f, fmt)?;
            self.formulas += 1;
        }
        Ok(())
    }

    fn write_header(&mut self, ci: usize) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
        let c = &self.copies[ci];
        let s = c.sheet;
        let ws = self.wb.worksheet_from_name(&c.data_name)?;
        if self.lang == Lang::Ar {
            ws.set_right_to_left(true);
        }
        for (k, col) in s.columns.iter().enumerate() {
            ws.write_string_with_format(0, k as u16, &col.header, &self.st.bold)?;
        }
        for (h, helper) in c.helpers.iter().enumerate() {
            let label = match *helper {
                Helper::Ratio(q) => s.ratios[q].labels.get(self.lang).unwrap_or(&s.ratios[q].name).to_string(),
                Helper::Difference(q) => s.differences[q].labels.get(self.lang).unwrap_or(&s.differences[q].name).to_string(),
            };
            ws.write_string_with_format(0, c.helper_col(h) as u16, &label, &self.st.bold)?;
        }
        Ok(())
    }
}

impl RowSink for CopySink<'_, '_> {
    fn start_sheet(&mut self, name: &str) -> bool {
        self.current = self.by_name.get(name).copied();
        self.next = 0;
        if let Some(ci) = self.current {
            if let Err(e) = self.write_header(ci) {
                self.err = Some(e.to_string());
                return false;
            }
        }
        self.current.is_some()
    }

    fn row(&mut self, index: u32, cells: &[Cell<'_>]) -> ControlFlow<()> {
        let Some(ci) = self.current else { return ControlFlow::Continue(()) };
        let rows = &self.copies[ci].sheet.store.rows;
        if rows.get(self.next) == Some(&index) {
            if let Err(e) = self.write_row(ci, cells) {
                self.err = Some(e.to_string());
                return ControlFlow::Break(());
            }
            self.next += 1;
        }
        ControlFlow::Continue(())
    }

    fn merged(&mut self, _ranges: &[CellRange]) {}

    fn end_sheet(&mut self) {
        self.current = None;
    }
}

/// Writes one calculation sheet; returns the number of formulas.
fn write_calculations(ws: &mut Worksheet, c: &Copy<'_>, profile: &Profile, lang: Lang, st: &Styles) -> std::result::Result<usize, rust_xlsxwriter::XlsxError> {
    let w = names(lang);
    let s = c.sheet;
    let mut n = 0usize;
    let mut r: u32 = 0;
    ws.set_column_width(0, 36)?;
    for k in 1..8 {
        ws.set_column_width(k, 18)?;
    }
    ws.write_string_with_format(r, 0, format!("{} — {} — {}", w.title, profile.file, s.name), &st.bold)?;
    r += 1;
    ws.write_string(r, 0, w.note)?;
    r += 2;
    let mut formula = |ws: &mut Worksheet, row: u32, col: u16, f: String, v: Option<f64>, fmt: &XFormat| -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
        ws.write_formula_with_format(row, col, Formula::new(f).set_result(v.map_or(String::new(), num)), fmt)?;
        n += 1;
        Ok(())
    };
    // Statistics.
    let numeric: Vec<_> = s.columns.iter().filter(|col| col.stats.is_some()).collect();
    if !numeric.is_empty() {
        ws.write_string_with_format(r, 0, w.stats, &st.bold)?;
        r += 1;
        for (k, h) in [w.col, w.count, w.sum, w.mean, w.median, w.min, w.max].iter().enumerate() {
            ws.write_string_with_format(r, k as u16, *h, &st.bold)?;
        }
        r += 1;
        for col in numeric {
            let Some(stt) = col.stats.as_ref() else { continue };
            let range = c.range(col.index);
            let fmt = st.for_kind(col.kind, col.percent_points);
            ws.write_string(r, 0, &col.header)?;
            formula(ws, r, 1, format!("=COUNT({range})"), Some(col.numbers as f64), &st.number)?;
            if col.additive {
                formula(ws, r, 2, format!("=SUM({range})"), Some(stt.sum), fmt)?;
            }
            formula(ws, r, 3, format!("=AVERAGE({range})"), Some(stt.mean), fmt)?;
            formula(ws, r, 4, format!("=MEDIAN({range})"), Some(stt.median), fmt)?;
            formula(ws, r, 5, format!("=MIN({range})"), Some(stt.min), fmt)?;
            formula(ws, r, 6, format!("=MAX({range})"), Some(stt.max), fmt)?;
            r += 1;
        }
        r += 1;
    }
    // Group totals.
    for g in &s.groups {
        ws.write_string_with_format(r, 0, format!("{} {} ({})", w.by, g.by.join(" + "), g.name), &st.bold)?;
        r += 1;
        let mut col = 0u16;
        for h in &g.by {
            ws.write_string_with_format(r, col, h, &st.bold)?;
            col += 1;
        }
        let mut heads: Vec<String> = vec![w.rows.into()];
        heads.extend(g.value_headers.iter().cloned());
        heads.extend(s.differences.iter().filter(|d| d.is_defined()).map(|d| d.labels.get(lang).unwrap_or(&d.name).to_string()));
        heads.extend(s.ratios.iter().filter(|q| q.is_defined()).map(|q| q.labels.get(lang).unwrap_or(&q.name).to_string()));
        for h in &heads {
            ws.write_string_with_format(r, col, h, &st.bold)?;
            col += 1;
        }
        r += 1;
        let key_ranges: Vec<String> = g.by_columns.iter().map(|&k| c.range(k)).collect();
        let nb = g.by.len() as u16;
        let rows: Vec<&crate::profile::analysis::Group> = g.groups.iter().chain(std::iter::once(&g.total)).collect();
        let last = rows.len() - 1;
        for (gi, gr) in rows.into_iter().enumerate() {
            let is_total = gi == last;
            // The condition selecting this group's rows, as SUMPRODUCT factors.
            let mut conds: Vec<String> = Vec::new();
            for (k, key) in gr.keys.iter().enumerate() {
                let cell = format!("${}${}", column_letter(k as u32), r + 1);
                match key {
                    Value::Number(x) => {
                        ws.write_number(r, k as u16, *x)?;
                    }
                    Value::Date(d) => {
                        ws.write_number_with_format(r, k as u16, d.0, &st.date)?;
                    }
                    Value::Text(t) => {
                        ws.write_string(r, k as u16, t)?;
                    }
                    Value::Bool(b) => {
                        ws.write_boolean(r, k as u16, *b)?;
                    }
                    Value::Empty => {}
                }
                conds.push(match key {
                    Value::Empty => format!("--({}=\"\")", key_ranges[k]),
                    _ => format!("--({}={cell})", key_ranges[k]),
                });
            }
            if is_total {
                ws.write_string_with_format(r, 0, w.total, &st.bold)?;
            }
            // A single, plain text or number key: SUMIF and COUNTIF, as an auditor would write
            // them. Otherwise (two keys, blanks, text with wildcards or operators): SUMPRODUCT,
            // which compares exactly.
            let simple_key = gr.keys.len() == 1
                && match &gr.keys[0] {
                    Value::Number(_) => true,
                    Value::Text(t) => !t.contains(['*', '?', '~']) && !t.starts_with(['=', '<', '>']),
                    _ => false,
                };
            let crit = format!("$A${}", r + 1);
            let mut col = nb;
            let count_f = if is_total {
                format!("=ROWS({})", c.range(0))
            } else if simple_key {
                format!("=COUNTIF({},{crit})", key_ranges[0])
            } else {
                format!("=SUMPRODUCT({})", conds.join(","))
            };
            formula(ws, r, col, count_f, Some(gr.count as f64), &st.number)?;
            col += 1;
            let sum_of = |range: String| -> String {
                if is_total {
                    format!("=SUM({range})")
                } else if simple_key {
                    format!("=SUMIF({},{crit},{range})", key_ranges[0])
                } else {
                    format!("=SUMPRODUCT({},{range})", conds.join(","))
                }
            };
            for (i, &vc) in g.value_columns.iter().enumerate() {
                let fmt = st.for_kind(s.columns[vc].kind, s.columns[vc].percent_points);
                formula(ws, r, col, sum_of(c.range(vc)), Some(gr.sums[i]), fmt)?;
                col += 1;
            }
            for (i, v) in gr.differences.iter().enumerate() {
                if !s.differences[i].is_defined() {
                    continue;
                }
                if let Some(h) = c.helpers.iter().position(|h| matches!(h, Helper::Difference(q) if *q == i)) { formula(ws, r, col, sum_of(c.range(c.helper_col(h))), Some(*v), &st.amount)? }
                col += 1;
            }
            for (i, v) in gr.ratios.iter().enumerate() {
                let q = &s.ratios[i];
                if !q.is_defined() {
                    continue;
                }
                if let (Some(nc), Some(dc)) = (q.num_column, q.den_column) {
                    let (nr, dr) = (c.range(nc), c.range(dc));
                    let both = format!("--ISNUMBER({nr}),--ISNUMBER({dr})");
                    let sel = if is_total { both } else { format!("{},{both}", conds.join(",")) };
                    let f = format!("=IFERROR(SUMPRODUCT({sel},{nr})/SUMPRODUCT({sel},{dr}),\"\")");
                    formula(ws, r, col, f, *v, &st.percent)?;
                }
                col += 1;
            }
            r += 1;
        }
        r += 1;
    }
    // Ratios: overall value, rows past the thresholds.
    for (q, rr) in s.ratios.iter().enumerate() {
        let (Some(nc), Some(dc)) = (rr.num_column, rr.den_column) else { continue };
        let Some(h) = c.helpers.iter().position(|x| matches!(x, Helper::Ratio(i) if *i == q)) else { continue };
        let label = rr.labels.get(lang).unwrap_or(&rr.name).to_string();
        let (nr, dr) = (c.range(nc), c.range(dc));
        let hr = c.range(c.helper_col(h));
        ws.write_string_with_format(r, 0, &label, &st.bold)?;
        r += 1;
        ws.write_string(r, 0, w.ratio_overall)?;
        let both = format!("--ISNUMBER({nr}),--ISNUMBER({dr})");
        formula(ws, r, 1, format!("=IFERROR(SUMPRODUCT({both},{nr})/SUMPRODUCT({both},{dr}),\"\")"), rr.overall, &st.percent)?;
        r += 1;
        for (th, word, cmp) in [(&rr.above, w.above, ">"), (&rr.below, w.below, "<")] {
            let Some(th) = th else { continue };
            ws.write_string(r, 0, format!("{word} {} ({}_{})", crate::format::percent_limit(th.limit, lang), rr.name, pct_name(th.limit)))?;
            formula(ws, r, 1, format!("=COUNTIF({hr},\"{cmp}{}\")", num(th.limit)), Some(th.count as f64), &st.number)?;
            r += 1;
            let heads = [w.row.to_string(), s.columns[nc].header.clone(), s.columns[dc].header.clone(), label.clone()];
            for (k, hd) in heads.iter().enumerate() {
                ws.write_string_with_format(r, k as u16, hd, &st.bold)?;
            }
            r += 1;
            for row in &th.rows {
                // The data row's place in the copy.
                let Ok(di) = s.store.rows.binary_search(&(row.row - 1)) else { continue };
                let cr = di as u32 + 2;
                ws.write_number(r, 0, row.row as f64)?;
                let dn = &c.data_name;
                formula(ws, r, 1, format!("='{dn}'!{}{cr}", column_letter(nc as u32)), Some(row.num), &st.amount)?;
                formula(ws, r, 2, format!("='{dn}'!{}{cr}", column_letter(dc as u32)), Some(row.den), &st.amount)?;
                formula(ws, r, 3, format!("='{dn}'!{}{cr}", column_letter(c.helper_col(h) as u32)), Some(row.value), &st.percent)?;
                r += 1;
            }
        }
        r += 1;
    }
    // Differences.
    for (q, d) in s.differences.iter().enumerate() {
        let Some(h) = c.helpers.iter().position(|x| matches!(x, Helper::Difference(i) if *i == q)) else { continue };
        let hr = c.range(c.helper_col(h));
        ws.write_string_with_format(r, 0, d.labels.get(lang).unwrap_or(&d.name), &st.bold)?;
        r += 1;
        for (label, f, v, fmt) in [
            (w.sum, format!("=SUM({hr})"), Some(d.total), &st.amount),
            (w.count, format!("=COUNT({hr})"), Some(d.rows as f64), &st.number),
            (w.negative, format!("=COUNTIF({hr},\"<0\")"), Some(d.negative as f64), &st.number),
            (w.min, format!("=MIN({hr})"), d.min, &st.amount),
            (w.max, format!("=MAX({hr})"), d.max, &st.amount),
        ] {
            ws.write_string(r, 0, label)?;
            formula(ws, r, 1, f, v, fmt)?;
            r += 1;
        }
        r += 1;
    }
    // The sheet's total rows against the sums of the rows they cover.
    if s.totals.iter().any(|t| !t.checks.is_empty()) {
        ws.write_string_with_format(r, 0, w.check, &st.bold)?;
        r += 1;
        for (k, hd) in [w.row, w.col, w.written, w.computed, w.gap].iter().enumerate() {
            ws.write_string_with_format(r, k as u16, *hd, &st.bold)?;
        }
        r += 1;
        let mut prev_end = 0u64;
        for t in &s.totals {
            // Data rows above this total row, and above the previous one.
            let end = s.store.rows.partition_point(|&x| x + 1 < t.row) as u64;
            for ch in &t.checks {
                let Some(col) = s.columns.iter().find(|x| x.letter == ch.letter) else { continue };
                let from = if ch.basis == "all" { 0 } else { prev_end };
                ws.write_string(r, 0, format!("{} — {}", t.row, t.label))?;
                ws.write_string(r, 1, &ch.column)?;
                ws.write_number_with_format(r, 2, ch.written, &st.amount)?;
                let range = if end > from { c.range_rows(col.index, from, end) } else { String::new() };
                let group = match (ch.basis, &ch.group_column, &ch.group_value) {
                    ("group", Some(gc), Some(gv)) => s.columns.iter().position(|x| &x.header == gc).map(|g| (g, gv)),
                    _ => None,
                };
                let f = match group {
                    // The rows of the category the label names: SUMIF on the key column.
                    Some((g, value)) if end > 0 => {
                        let keys = c.range_rows(g, 0, end);
                        let crit = format!("={}", value.replace('~', "~~").replace('*', "~*").replace('?', "~?")).replace('"', "\"\"");
                        format!("=SUMIF({keys},\"{crit}\",{})", c.range_rows(col.index, 0, end))
                    }
                    _ if range.is_empty() => "=0".to_string(),
                    _ => format!("=SUM({range})"),
                };
                formula(ws, r, 3, f, Some(ch.computed), &st.amount)?;
                formula(ws, r, 4, format!("=C{}-D{}", r + 1, r + 1), Some(ch.written - ch.computed), &st.amount)?;
                r += 1;
            }
            prev_end = end;
        }
        r += 1;
    }
    if s.error_count > 0 {
        ws.write_string_with_format(r, 0, format!("{} ({})", w.errors, s.error_count), &st.bold)?;
        r += 1;
        for e in &s.error_cells {
            ws.write_string(r, 0, &e.address)?;
            ws.write_string(r, 1, &e.column)?;
            ws.write_string(r, 2, e.error.as_str())?;
            r += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worksheet_names() {
        assert_eq!(sheet_name("Données", &[]), "Données");
        assert_eq!(sheet_name("Données - Exécution [2026]: budget/général", &[]), "Données - Exécution  2026   bud");
        assert_eq!(sheet_name("Calculs", &["calculs".into()]), "Calculs 2");
    }
}
