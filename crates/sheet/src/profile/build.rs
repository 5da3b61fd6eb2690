//! The [`Profiler`]: a [`RowSink`] that profiles sheets as their rows stream by. The first rows
//! are held until the header is found, then replayed; every later row goes straight into the
//! column accumulators and is not kept (except the last one, as a sample).

use std::ops::ControlFlow;

use super::column::{classify, median, ColAcc, KeyVal, Val};
use super::header::{compose_labels, display_owned, find_header, Owned, OwnedRow};
use super::{
    ColumnKind, ColumnProfile, DateValue, ErrorCell, NumStats, SheetProfile, Store, TotalCheck, TotalRow, Value,
    ValueCount, Warning,
};
use crate::cell::{address, column_letter, Cell, CellError, CellRange};
use crate::read::RowSink;
use crate::value::{fold, parse_text, Parsed};

/// Non-empty rows held before the header is decided.
const HEADER_SCAN: usize = 25;
const MAX_ERROR_CELLS: usize = 200;
const MAX_LABEL_ROWS: usize = 50;

/// Profiles the sheets of a file as a [`RowSink`]; [`Profiler::finish`] gives the profiles.
pub struct Profiler {
    only: Option<String>,
    cap: usize,
    top: usize,
    current: Option<SheetBuilder>,
    done: Vec<SheetProfile>,
    empty: Vec<String>,
    seen: Vec<String>,
}

impl Profiler {
    pub fn new(only: Option<String>, distinct_cap: usize, top_values: usize) -> Profiler {
        Profiler { only, cap: distinct_cap.max(1), top: top_values, current: None, done: Vec::new(), empty: Vec::new(), seen: Vec::new() }
    }

    /// The profiled sheets, the names of the empty ones, and every sheet name seen.
    pub fn finish(mut self) -> (Vec<SheetProfile>, Vec<String>, Vec<String>) {
        self.end();
        (self.done, self.empty, self.seen)
    }
}

impl Profiler {
    pub(crate) fn only_sheet(&self) -> Option<&str> {
        self.only.as_deref()
    }

    pub(crate) fn wants(&self, name: &str) -> bool {
        self.only.as_deref().is_none_or(|o| o.eq_ignore_ascii_case(name))
    }

    pub(crate) fn begin(&mut self, name: &str) -> bool {
        self.seen.push(name.to_string());
        if !self.wants(name) {
            return false;
        }
        self.current = Some(SheetBuilder::new(name, self.cap));
        true
    }

    /// One row, its non-empty cells already read (`width`: the row's length in cells).
    pub(crate) fn row_vals(&mut self, index: u32, vals: &[(usize, Val<'_>)], width: usize) {
        if let Some(b) = &mut self.current {
            b.row(index, vals, width);
        }
    }

    pub(crate) fn add_merges(&mut self, ranges: &[CellRange]) {
        if let Some(b) = &mut self.current {
            b.merges.extend_from_slice(ranges);
        }
    }

    pub(crate) fn end(&mut self) {
        if let Some(b) = self.current.take() {
            let name = b.name.clone();
            match b.finish(self.top) {
                Some(p) => self.done.push(p),
                None => self.empty.push(name),
            }
        }
    }
}

impl RowSink for Profiler {
    fn start_sheet(&mut self, name: &str) -> bool {
        self.begin(name)
    }

    fn row(&mut self, index: u32, cells: &[Cell<'_>]) -> ControlFlow<()> {
        let vals: Vec<(usize, Val<'_>)> = cells.iter().enumerate().filter_map(|(c, cell)| classify(cell).map(|v| (c, v))).collect();
        self.row_vals(index, &vals, cells.len());
        ControlFlow::Continue(())
    }

    fn merged(&mut self, ranges: &[CellRange]) {
        self.add_merges(ranges);
    }

    fn end_sheet(&mut self) {
        self.end();
    }
}

struct RawTotal {
    row: u32,
    label: String,
    sub: bool,
    /// (sheet column, written value, sum since the previous total, sum of all rows above).
    values: Vec<(u32, f64, f64, f64)>,
}

struct SheetBuilder {
    name: String,
    cap: usize,
    buffered: Vec<OwnedRow>,
    decided: bool,
    header_block: Vec<OwnedRow>,
    above: Vec<OwnedRow>,
    header_found: bool,
    /// The last header row's folded texts, to spot the header repeated in the data.
    header_folded: Vec<String>,
    cols: Vec<ColAcc>,
    data_rows: u32,
    rows: Vec<u32>,
    totals: Vec<RawTotal>,
    label_rows: Vec<(u32, String)>,
    label_count: u64,
    errors: Vec<(u32, u32, CellError)>,
    error_count: u64,
    repeated_headers: u32,
    first: Vec<(u32, Vec<Owned>)>,
    last: (u32, Vec<Owned>),
    merges: Vec<CellRange>,
}

impl SheetBuilder {
    fn new(name: &str, cap: usize) -> SheetBuilder {
        SheetBuilder {
            name: name.to_string(),
            cap,
            buffered: Vec::new(),
            decided: false,
            header_block: Vec::new(),
            above: Vec::new(),
            header_found: false,
            header_folded: Vec::new(),
            cols: Vec::new(),
            data_rows: 0,
            rows: Vec::new(),
            totals: Vec::new(),
            label_rows: Vec::new(),
            label_count: 0,
            errors: Vec::new(),
            error_count: 0,
            repeated_headers: 0,
            first: Vec::new(),
            last: (0, Vec::new()),
            merges: Vec::new(),
        }
    }

    fn row(&mut self, index: u32, vals: &[(usize, Val<'_>)], width: usize) {
        if vals.is_empty() {
            return;
        }
        if !self.decided {
            let mut owned = vec![Owned::Empty; width];
            for &(c, v) in vals {
                owned[c] = Owned::from_val(&v);
            }
            self.buffered.push((index, owned));
            if self.buffered.len() >= HEADER_SCAN {
                self.decide();
            }
            return;
        }
        self.data_row(index, vals, width);
    }

    /// Finds the header in the buffered rows, then replays the rows under it.
    fn decide(&mut self) {
        self.decided = true;
        let rows = std::mem::take(&mut self.buffered);
        let place = find_header(&rows);
        self.header_found = place.found;
        let data_from = if place.found { place.start + place.len } else { 0 };
        if place.found {
            self.above = rows[..place.start].to_vec();
            self.header_block = rows[place.start..data_from].to_vec();
            if let Some((_, last)) = self.header_block.last() {
                self.header_folded = last.iter().map(|c| c.label().map(fold).unwrap_or_default()).collect();
            }
        }
        for (index, cells) in &rows[data_from..] {
            let vals: Vec<(usize, Val<'_>)> = cells.iter().enumerate().filter_map(|(c, o)| o.as_val().map(|v| (c, v))).collect();
            self.data_row(*index, &vals, cells.len());
        }
    }

    fn data_row(&mut self, index: u32, vals: &[(usize, Val<'_>)], width: usize) {
        let mut texts = 0usize;
        let mut dates = 0usize;
        let mut total: Option<&str> = None;
        let mut single_text: Option<&str> = None;
        for (_, v) in vals {
            match *v {
                Val::Text(t) => {
                    texts += 1;
                    single_text = Some(t);
                    if total.is_none() && texts <= 3 && is_total_label(t) {
                        total = Some(t);
                    }
                }
                Val::Date(_) => dates += 1,
                _ => {}
            }
        }
        if vals.is_empty() {
            return;
        }
        if texts == vals.len() && self.is_repeated_header(vals) {
            self.repeated_headers += 1;
            return;
        }
        let table_width = self.header_block.last().map_or(width, |(_, h)| h.len().max(width));
        if vals.len() == 1 && texts == 1 && table_width >= 3 {
            self.label_count += 1;
            if self.label_rows.len() < MAX_LABEL_ROWS {
                self.label_rows.push((index + 1, single_text.unwrap_or_default().to_string()));
            }
            return;
        }
        if let Some(label) = total {
            if texts <= 2 && dates == 0 {
                self.total_row(index, label.to_string(), vals);
                return;
            }
        }
        let di = self.data_rows;
        if self.cols.len() < width {
            self.cols.resize_with(width, ColAcc::default);
        }
        for (c, v) in vals {
            if let Val::Error(e) = v {
                self.error_count += 1;
                if self.errors.len() < MAX_ERROR_CELLS {
                    self.errors.push((index, *c as u32, *e));
                }
            }
            self.cols[*c].push(v, di, index, self.cap);
        }
        self.rows.push(index);
        self.data_rows += 1;
        if self.first.len() < 2 {
            let mut owned = vec![Owned::Empty; width];
            for &(c, v) in vals {
                owned[c] = Owned::from_val(&v);
            }
            self.first.push((index, owned));
        } else {
            self.last.0 = index;
            self.last.1.truncate(width);
            for o in self.last.1.iter_mut() {
                *o = Owned::Empty;
            }
            self.last.1.resize(width, Owned::Empty);
            for &(c, v) in vals {
                self.last.1[c].set_from_val(&v);
            }
        }
    }

    fn is_repeated_header(&self, vals: &[(usize, Val<'_>)]) -> bool {
        if self.header_folded.is_empty() {
            return false;
        }
        let mut same = 0;
        for &(c, v) in vals {
            match v {
                Val::Text(t) if self.header_folded.get(c).is_some_and(|h| !h.is_empty() && *h == fold(t)) => same += 1,
                _ => return false,
            }
        }
        let header_cells = self.header_folded.iter().filter(|h| !h.is_empty()).count();
        same >= 2 && same * 5 >= header_cells * 4
    }

    fn total_row(&mut self, index: u32, label: String, vals: &[(usize, Val<'_>)]) {
        let sub = is_sub_total(&label);
        let mut values = Vec::new();
        for &(c, v) in vals {
            if let Val::Number(v, ..) = v {
                let (seg, all) = self.cols.get(c).map_or((0.0, 0.0), |a| (a.sum.minus(&a.at_last_total), a.sum.value()));
                values.push((c as u32, v, seg, all));
            }
        }
        for a in &mut self.cols {
            a.at_last_total = a.sum.clone();
        }
        self.totals.push(RawTotal { row: index + 1, label, sub, values });
    }

    fn finish(mut self, top_n: usize) -> Option<SheetProfile> {
        if !self.decided {
            self.decide();
        }
        if self.data_rows == 0 && self.header_block.is_empty() && self.totals.is_empty() {
            return None;
        }
        let mut warnings = Vec::new();
        // The table's columns: those with a header label or any data.
        let header_width = self.header_block.iter().map(|(_, r)| r.len()).max().unwrap_or(0);
        let width = header_width.max(self.cols.len());
        let labels = compose_labels(&self.header_block, &self.merges, width);
        let mut table_cols: Vec<usize> = (0..width)
            .filter(|&c| !labels[c].is_empty() || self.cols.get(c).is_some_and(|a| a.non_blank() > 0))
            .collect();
        if table_cols.is_empty() {
            table_cols = (0..width).collect();
        }
        if !self.header_found {
            warnings.push(Warning {
                code: "sheet.no_header",
                message: format!("no header row found in sheet '{}': columns are named by their letters", self.name),
            });
        }
        let rows = self.data_rows;
        let mut columns = Vec::with_capacity(table_cols.len());
        let mut store = Store { rows: std::mem::take(&mut self.rows), ..Default::default() };
        let mut used: Vec<String> = Vec::new();
        for (i, &c) in table_cols.iter().enumerate() {
            let mut acc = if c < self.cols.len() { std::mem::take(&mut self.cols[c]) } else { ColAcc::default() };
            acc.finish(rows);
            let letter = column_letter(c as u32);
            let mut header = if labels[c].is_empty() { format!("Colonne {letter}") } else { labels[c].clone() };
            if used.iter().any(|u| fold(u) == fold(&header)) {
                header = format!("{header} ({letter})");
            }
            used.push(header.clone());
            let (col, nums, keys, values) = column_profile(i, letter, header, acc, rows, top_n, self.cap);
            if col.no_value > 0 {
                warnings.push(Warning {
                    code: "sheet.formula_without_value",
                    message: format!(
                        "column '{}': {} formulas have no saved value (the file was written by a program, not saved by Excel or LibreOffice); open and save it to compute them",
                        col.header, col.no_value
                    ),
                });
            }
            columns.push(col);
            store.nums.push(nums);
            store.keys.push(keys);
            store.values.push(values);
            store.sheet_cols.push(c as u32);
        }
        // Totals: check the additive columns, against all the rows above, the rows since the
        // previous total, or the rows of the category the label names.
        let mut totals = Vec::new();
        for t in &self.totals {
            let group = label_group(&t.label, &columns, &store);
            let above = store.rows.partition_point(|&r| r + 1 < t.row);
            let mut checks = Vec::new();
            for &(c, written, seg, all) in &t.values {
                store.total_values.push(written);
                let Some(pos) = table_cols.iter().position(|&x| x as u32 == c) else { continue };
                let col = &columns[pos];
                if !col.additive {
                    continue;
                }
                let near = |x: f64| (written - x).abs() <= 0.005 + 1e-9 * x.abs();
                let in_group = group.map(|(gc, id)| group_sum(&store, pos, gc, id, above));
                let (computed, basis, matches) = if near(all) {
                    (all, "all", true)
                } else if near(seg) {
                    (seg, "since_previous_total", true)
                } else if let Some(g) = in_group.filter(|g| near(*g)) {
                    (g, "group", true)
                } else if let Some(g) = in_group {
                    (g, "group", false)
                } else if t.sub {
                    (seg, "since_previous_total", false)
                } else {
                    (all, "all", false)
                };
                let (group_column, group_value) = match (basis, group) {
                    ("group", Some((gc, id))) => (
                        Some(columns[gc].header.clone()),
                        store.values[gc].get(id as usize).map(|k| match k {
                            KeyVal::Text(t) => t.to_string(),
                            other => display_owned(&match other {
                                KeyVal::Number(v) => Owned::Number(*v, crate::cell::NumFormat::Plain),
                                KeyVal::Date(d) => Owned::Date(*d),
                                KeyVal::Bool(b) => Owned::Bool(*b),
                                KeyVal::Text(_) => Owned::Empty,
                            }),
                        }),
                    ),
                    _ => (None, None),
                };
                checks.push(TotalCheck { column: col.header.clone(), letter: col.letter.clone(), written, computed, matches, basis, group_column, group_value });
            }
            totals.push(TotalRow { row: t.row, label: t.label.clone(), sub: t.sub, checks });
        }
        for t in &totals {
            for c in t.checks.iter().filter(|c| !c.matches) {
                warnings.push(Warning {
                    code: "sheet.total_mismatch",
                    message: format!(
                        "row {} '{}', column '{}': the sheet says {}, the rows add up to {}",
                        t.row,
                        t.label,
                        c.column,
                        crate::format::plain_number(c.written),
                        crate::format::plain_number(c.computed)
                    ),
                });
            }
        }
        if self.error_count > 0 {
            warnings.push(Warning {
                code: "sheet.error_cells",
                message: format!("{} cells in error (e.g. {}), left out of the figures", self.error_count, self.errors.first().map(|(r, c, e)| format!("{} {}", address(*c, *r), e.as_str())).unwrap_or_default()),
            });
        }
        let error_cells = self
            .errors
            .iter()
            .map(|&(r, c, e)| {
                let column = table_cols.iter().position(|&x| x as u32 == c).map(|p| columns[p].header.clone()).unwrap_or_default();
                ErrorCell { address: address(c, r), column, error: e }
            })
            .collect();
        let mut samples: Vec<(u32, Vec<Value>)> = Vec::new();
        let mut sample_rows: Vec<&(u32, Vec<Owned>)> = self.first.iter().collect();
        if !self.last.1.is_empty() {
            sample_rows.push(&self.last);
        }
        for (r, cells) in sample_rows {
            let vals = table_cols.iter().map(|&c| cells.get(c).map_or(Value::Empty, owned_value)).collect();
            samples.push((r + 1, vals));
        }
        let title_lines = self
            .above
            .iter()
            .map(|(_, cells)| cells.iter().filter(|c| !c.is_empty()).map(display_owned).collect::<Vec<_>>().join(" "))
            .filter(|s| !s.trim().is_empty())
            .take(5)
            .collect();
        Some(SheetProfile {
            name: self.name,
            title_lines,
            header_rows: self.header_block.iter().map(|(r, _)| r + 1).collect(),
            data_rows: rows as u64,
            first_data_row: store.rows.first().map_or(0, |r| r + 1),
            last_data_row: store.rows.last().map_or(0, |r| r + 1),
            columns,
            totals,
            label_rows: self.label_rows,
            repeated_headers: self.repeated_headers,
            error_count: self.error_count,
            error_cells,
            samples,
            roles: Vec::new(),
            groups: Vec::new(),
            ratios: Vec::new(),
            differences: Vec::new(),
            warnings,
            store,
        })
    }
}

fn owned_value(o: &Owned) -> Value {
    match o {
        Owned::Empty | Owned::NoValue => Value::Empty,
        Owned::Number(v, _) => Value::Number(*v),
        Owned::Date(d) => Value::Date(DateValue(*d)),
        Owned::Text(t) => match parse_text(t) {
            Parsed::Number(v, _) => Value::Number(v),
            Parsed::Date(d) => Value::Date(DateValue(d)),
            Parsed::Text => Value::Text(t.clone()),
        },
        Owned::Bool(b) => Value::Bool(*b),
        Owned::Error(e) => Value::Text(e.as_str().into()),
    }
}

pub(crate) fn key_value(k: &KeyVal) -> Value {
    match k {
        KeyVal::Text(t) => Value::Text(t.to_string()),
        KeyVal::Number(v) => Value::Number(*v),
        KeyVal::Date(d) => Value::Date(DateValue(*d)),
        KeyVal::Bool(b) => Value::Bool(*b),
    }
}

/// The category a total's label names: "Total fonctionnement" -> the "Partie" column's value
/// "Fonctionnement" (a text value of a column with few values, folded the same way).
fn label_group(label: &str, columns: &[ColumnProfile], store: &Store) -> Option<(usize, u32)> {
    let mut rest = fold(label);
    for w in ["sous total", "s total", "totaux", "total", "المجموع", "مجموع", "الاجمالي", "اجمالي"] {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r.trim().to_string();
            break;
        }
    }
    let stop = ["de", "du", "des", "la", "le", "les", "l", "d", "depenses", "credits", "partie", "general"];
    let words: Vec<&str> = rest.split(' ').filter(|w| !w.is_empty() && !stop.contains(w)).collect();
    if words.is_empty() {
        return None;
    }
    let rest = words.join(" ");
    let mut found = None;
    for (c, col) in columns.iter().enumerate() {
        if !matches!(col.kind, ColumnKind::Category | ColumnKind::Text) || col.distinct_capped || col.distinct > 50 {
            continue;
        }
        store.keys.get(c)?.as_ref()?;
        for (id, v) in store.values[c].iter().enumerate() {
            if let KeyVal::Text(t) = v {
                let f = fold(t);
                if f == rest || (f.len() >= 4 && (rest.contains(&f) || f.contains(&rest))) {
                    if found.is_some() {
                        return None; // ambiguous: two columns or two values fit
                    }
                    found = Some((c, id as u32));
                }
            }
        }
    }
    found
}

/// The sum of table column `col` over the first `above` data rows whose column `gc` holds `id`.
fn group_sum(store: &Store, col: usize, gc: usize, id: u32, above: usize) -> f64 {
    let (Some(Some(nums)), Some(Some(keys))) = (store.nums.get(col), store.keys.get(gc)) else { return 0.0 };
    let mut s = super::column::Fsum::default();
    for r in 0..above.min(nums.len()) {
        if keys[r] == id && !nums[r].is_nan() {
            s.add(nums[r]);
        }
    }
    s.value()
}

/// Words that open a total row label, folded.
const TOTAL_WORDS: &[&str] = &[
    "total", "totaux", "sous total", "s total", "total general", "ensemble", "المجموع", "مجموع", "المجموع العام",
    "المجموع الجزيي", "الاجمالي", "اجمالي", "الجمله",
];

pub(crate) fn is_total_label(t: &str) -> bool {
    // Cheap first look: the words above begin with these letters.
    let b = t.as_bytes();
    let ascii3 = |p: &[u8]| b.len() >= 3 && b[..3].eq_ignore_ascii_case(p);
    let latin = ascii3(b"tot") || ascii3(b"sou") || ascii3(b"s/t") || ascii3(b"s t") || ascii3(b"s-t") || ascii3(b"ens");
    let arabic = ["المجمو", "مجمو", "الإجما", "الاجما", "إجما", "اجما", "الجمل"].iter().any(|p| t.starts_with(p));
    if !latin && !arabic {
        return false;
    }
    let f = fold(t);
    TOTAL_WORDS.iter().any(|w| f == *w || (f.starts_with(w) && f.as_bytes().get(w.len()) == Some(&b' ')))
}

fn is_sub_total(t: &str) -> bool {
    let f = fold(t);
    let grand = ["total", "totaux", "total general", "ensemble", "المجموع", "مجموع", "المجموع العام", "الاجمالي", "اجمالي", "الجمله"];
    !(grand.contains(&f.as_str()) || f.contains("general") || f.contains("العام"))
}

/// Header words of columns whose sum means nothing.
const NOT_ADDITIVE: &[&str] = &[
    "id", "n", "no", "n°", "numero", "num", "code", "rang", "ordre", "annee", "exercice", "age", "taux", "ratio", "%",
    "pourcentage", "avancement", "latitude", "longitude", "lat", "lon", "score", "note", "indice", "rubrique", "chapitre",
    "article", "paragraphe", "ligne", "compte", "telephone", "tel", "cin", "رقم", "الرقم", "السنه", "نسبه", "النسبه",
    "الرمز", "رمز", "الباب", "الفصل", "الماده", "الفقره", "السطر",
];

const CURRENCY_WORDS: &[&str] = &["dh", "dhs", "mad", "dirham", "dirhams", "درهم", "بالدرهم", "eur", "euros"];
const AMOUNT_WORDS: &[&str] = &["montant", "mt", "مبلغ", "المبلغ", "المبالغ"];

#[allow(clippy::type_complexity)]
fn column_profile(
    index: usize,
    letter: String,
    header: String,
    acc: ColAcc,
    rows: u32,
    top_n: usize,
    cap: usize,
) -> (ColumnProfile, Option<Vec<f64>>, Option<Vec<u32>>, Vec<KeyVal>) {
    let folded = fold(&header);
    let words: Vec<&str> = folded.split(' ').collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    let values_count = acc.n_num + acc.n_date + acc.n_text + acc.n_bool;
    let kind = if values_count == 0 {
        ColumnKind::Empty
    } else if acc.n_date * 5 >= values_count * 4 {
        ColumnKind::Date
    } else if acc.n_num * 5 >= values_count * 4 {
        if acc.n_pct * 2 >= acc.n_num || (has(&["%", "taux", "نسبه", "النسبه", "pourcentage", "avancement"]) && !has(CURRENCY_WORDS)) {
            ColumnKind::Percent
        } else if acc.n_cur * 2 >= acc.n_num || acc.currency_text || has(CURRENCY_WORDS) || has(AMOUNT_WORDS) {
            ColumnKind::Amount
        } else {
            ColumnKind::Number
        }
    } else if acc.n_bool * 5 >= values_count * 4 {
        ColumnKind::Bool
    } else if acc.n_text * 5 >= values_count * 4 && !acc.capped && acc.values.len() <= 50 && acc.values.len() * 2 <= acc.n_text as usize && acc.n_text >= 4 {
        ColumnKind::Category
    } else {
        ColumnKind::Text
    };
    let percent_points = kind == ColumnKind::Percent && acc.n_pct * 2 < acc.n_num && acc.max.is_some_and(|(m, _)| m.abs() > 1.5);
    let numeric = matches!(kind, ColumnKind::Number | ColumnKind::Amount | ColumnKind::Percent);
    let id_like = kind == ColumnKind::Number && acc.min.is_some_and(|(m, _)| m == 1.0) && acc.max.is_some_and(|(m, _)| m == acc.n_num as f64) && !acc.capped && acc.values.len() as u64 == acc.n_num && acc.n_num > 2;
    let additive = matches!(kind, ColumnKind::Number | ColumnKind::Amount) && !has(NOT_ADDITIVE) && !id_like;
    let stats = if numeric && acc.n_num > 0 {
        let sum = acc.sum.value();
        let median = acc.nums.as_deref().and_then(median).unwrap_or(f64::NAN);
        let (min, min_row) = acc.min.unwrap_or((f64::NAN, 0));
        let (max, max_row) = acc.max.unwrap_or((f64::NAN, 0));
        Some(NumStats { sum, mean: sum / acc.n_num as f64, median, min, max, min_row: min_row + 1, max_row: max_row + 1 })
    } else {
        None
    };
    // Most frequent values, when some value repeats; ties in order of first appearance.
    let mut top: Vec<ValueCount> = Vec::new();
    if !acc.capped && acc.counts.iter().any(|&n| n > 1) {
        let mut order: Vec<usize> = (0..acc.counts.len()).collect();
        order.sort_by(|&a, &b| acc.counts[b].cmp(&acc.counts[a]).then(a.cmp(&b)));
        top = order.into_iter().take(top_n).map(|i| ValueCount { value: key_value(&acc.values[i]), count: acc.counts[i] }).collect();
    }
    let count = values_count;
    let profile = ColumnProfile {
        index,
        letter,
        header,
        kind,
        percent_points,
        additive,
        count,
        blanks: (rows as u64).saturating_sub(acc.non_blank()),
        errors: acc.n_err,
        numbers: acc.n_num,
        texts: acc.n_text,
        dates: acc.n_date,
        no_value: acc.n_novalue,
        distinct: if acc.capped {
            if acc.distinct_nums > super::column::NUM_CAP { super::column::NUM_CAP as u64 } else { cap as u64 }
        } else {
            acc.values.len() as u64
        },
        distinct_capped: acc.capped,
        stats,
        first_date: if kind == ColumnKind::Date { acc.dmin.map(DateValue) } else { None },
        last_date: if kind == ColumnKind::Date { acc.dmax.map(DateValue) } else { None },
        top,
    };
    let keys = acc.keys.filter(|_| !acc.capped);
    (profile, acc.nums, keys, acc.values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_labels() {
        for t in ["Total", "TOTAL GÉNÉRAL", "Sous-total fonctionnement", "S/Total", "المجموع", "المجموع العام", "Total chapitre 10"] {
            assert!(is_total_label(t), "{t}");
        }
        for t in ["Totalité des crédits", "Électricité", "Totalement"] {
            assert!(!is_total_label(t), "{t}");
        }
        assert!(is_sub_total("Sous-total fonctionnement"));
        assert!(is_sub_total("Total chapitre 10"));
        assert!(!is_sub_total("TOTAL GÉNÉRAL"));
        assert!(!is_sub_total("المجموع"));
    }
}
