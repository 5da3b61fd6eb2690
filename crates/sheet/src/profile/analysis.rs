//! What a template declares, computed on the profiled rows (no second read of the file): the
//! columns of its roles, totals grouped by one or two columns, per-row ratios with the rows above
//! and below its thresholds, per-row differences.
//!
//! Conventions, stated once: a ratio is defined on a row when both cells are numbers and the
//! denominator is not zero; the overall ratio is the sum of the numerators over the sum of the
//! denominators, on the rows where both cells are numbers. A difference is computed on the rows
//! where both cells are numbers. Group keys are the cells' exact text (blank cells form a group
//! of their own).

use foldhash::HashMap;
use serde::Serialize;

use super::build::key_value;
use super::column::{Fsum, NO_KEY};
use super::{ColumnKind, Profile, ProfileOptions, SheetProfile, Value, Warning};
use crate::error::{Result, SheetError};
use crate::roles::guess_with_mapping;
use crate::spec::{Labels, SheetSpec};
use crate::value::fold;

/// More groups than this and the table stops (the count says so).
const MAX_GROUPS: usize = 2000;
/// Rows listed per threshold (the count is always exact).
const MAX_LISTED: usize = 500;

#[derive(Clone, Debug, Serialize)]
pub struct Group {
    pub keys: Vec<Value>,
    pub count: u64,
    /// Sums of the value columns, in `GroupTable::value_columns` order.
    pub sums: Vec<f64>,
    /// The declared ratios on this group's sums (`None` when the denominator sums to zero).
    pub ratios: Vec<Option<f64>>,
    /// The declared differences summed on this group.
    pub differences: Vec<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupTable {
    /// The table's name for anchors: "totaux_par_service".
    pub name: String,
    pub by: Vec<String>,
    pub by_columns: Vec<usize>,
    pub value_columns: Vec<usize>,
    pub value_headers: Vec<String>,
    pub ratio_names: Vec<String>,
    pub difference_names: Vec<String>,
    pub groups: Vec<Group>,
    /// The whole sheet, for the table's last line.
    pub total: Group,
    /// True when there were more than 2,000 groups (the others are not listed).
    pub truncated: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct RatioRow {
    /// Sheet row, 1-based.
    pub row: u32,
    pub label: Option<String>,
    pub num: f64,
    pub den: f64,
    pub value: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Threshold {
    pub limit: f64,
    pub count: u64,
    /// The rows past the limit, in sheet order (at most 500 listed).
    pub rows: Vec<RatioRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RatioResult {
    pub name: String,
    pub labels: Labels,
    pub num: Option<String>,
    pub den: Option<String>,
    pub num_column: Option<usize>,
    pub den_column: Option<usize>,
    /// Sum of the numerators over sum of the denominators.
    pub overall: Option<f64>,
    pub num_sum: f64,
    pub den_sum: f64,
    /// Rows where the ratio is defined, and where it is not (a blank, text or zero denominator).
    pub rows: u64,
    pub undefined: u64,
    pub above: Option<Threshold>,
    pub below: Option<Threshold>,
    /// Every defined per-row value (for the number check), in row order.
    #[serde(skip)]
    pub values: Vec<f64>,
}

impl RatioResult {
    /// Whether the sheet has a column for both roles (otherwise the ratio is "not computable"
    /// and group tables leave its column out).
    pub fn is_defined(&self) -> bool {
        self.num_column.is_some() && self.den_column.is_some()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct DifferenceResult {
    pub name: String,
    pub labels: Labels,
    pub from: Option<String>,
    pub minus: Option<String>,
    pub from_column: Option<usize>,
    pub minus_column: Option<usize>,
    pub total: f64,
    pub rows: u64,
    /// Rows where the difference is below zero.
    pub negative: u64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    #[serde(skip)]
    pub values: Vec<f64>,
}

impl DifferenceResult {
    /// Whether the sheet has a column for both roles (otherwise group tables leave it out,
    /// rather than show sums of nothing as zeros).
    pub fn is_defined(&self) -> bool {
        self.from_column.is_some() && self.minus_column.is_some()
    }
}

/// Labels of the usual ratios and differences of budget execution, when a template gives none.
const MEASURES: &[(&str, &str, &str, &str)] = &[
    ("taux_engagement", "Taux d'engagement", "نسبة الالتزام", "Commitment rate"),
    ("taux_ordonnancement", "Taux d'ordonnancement", "نسبة الأمر بالصرف", "Payment order rate"),
    ("taux_paiement", "Taux de paiement", "نسبة الأداء", "Payment rate"),
    ("taux_realisation", "Taux de réalisation", "نسبة الإنجاز", "Completion rate"),
    ("taux_recouvrement", "Taux de recouvrement", "نسبة الاستخلاص", "Collection rate"),
    ("reste_a_payer", "Reste à payer", "الباقي أداؤه", "Left to pay"),
    ("reste_a_engager", "Reste à engager", "الباقي الالتزام به", "Left to commit"),
    ("disponible", "Crédits disponibles", "الاعتمادات المتوفرة", "Available"),
    ("ecart", "Écart", "الفرق", "Difference"),
];

fn measure_labels(name: &str, given: Option<&Labels>) -> Labels {
    let builtin = MEASURES.iter().find(|m| m.0 == name);
    let pick = |own: Option<&String>, b: Option<&str>| own.cloned().or_else(|| b.map(str::to_string));
    let fallback = name.replace('_', " ");
    Labels {
        fr: pick(given.and_then(|g| g.fr.as_ref()), builtin.map(|m| m.1)).or(Some(fallback)),
        ar: pick(given.and_then(|g| g.ar.as_ref()), builtin.map(|m| m.2)),
        en: pick(given.and_then(|g| g.en.as_ref()), builtin.map(|m| m.3)),
    }
}

/// A name usable in an anchor: folded, words joined by '_'.
pub fn slug(s: &str) -> String {
    fold(s).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("_")
}

/// Resolves roles, then computes group totals, ratios and differences on every sheet.
pub(crate) fn apply(profile: &mut Profile, options: &ProfileOptions) -> Result<()> {
    let spec = &options.spec;
    let mut roles: Vec<String> = spec.roles.clone();
    for r in options.mapping.keys() {
        if !roles.contains(r) {
            roles.push(r.clone());
        }
    }
    let several = profile.sheets.len() > 1;
    let mut cli_found = vec![false; options.group_by.len()];
    for sheet in &mut profile.sheets {
        if !roles.is_empty() {
            sheet.roles = guess_with_mapping(sheet, &roles, Some(spec), &options.mapping);
        }
        let mut wanted: Vec<(String, bool, Option<usize>)> = spec.group_by.iter().map(|g| (g.clone(), false, None)).collect();
        wanted.extend(options.group_by.iter().enumerate().map(|(i, g)| (g.clone(), true, Some(i))));
        for (entry, from_cli, cli_idx) in wanted {
            let names: Vec<&str> = entry.split('+').map(str::trim).filter(|s| !s.is_empty()).take(2).collect();
            let cols: Vec<Option<usize>> = names.iter().map(|n| sheet.column(n)).collect();
            if cols.iter().any(Option::is_none) || cols.is_empty() {
                let missing = names.iter().zip(&cols).find(|(_, c)| c.is_none()).map_or(entry.clone(), |(n, _)| n.to_string());
                if from_cli && !several {
                    return Err(SheetError::UnknownColumn {
                        sheet: sheet.name.clone(),
                        column: missing,
                        available: sheet.columns.iter().map(|c| c.header.clone()).collect(),
                    });
                }
                if !from_cli {
                    sheet.warnings.push(Warning {
                        code: "sheet.group_by_missing",
                        message: format!("sheet '{}': no column for '{}' to total by", sheet.name, missing),
                    });
                }
                continue;
            }
            if let Some(i) = cli_idx {
                cli_found[i] = true;
            }
            let cols: Vec<usize> = cols.into_iter().flatten().collect();
            let name = format!("totaux_par_{}", names.iter().map(|n| slug(n)).collect::<Vec<_>>().join("_et_"));
            if sheet.groups.iter().any(|g| g.name == name) {
                continue;
            }
            match group_table(sheet, spec, name, &cols) {
                Ok(t) => sheet.groups.push(t),
                Err(w) => sheet.warnings.push(w),
            }
        }
        sheet.ratios = spec.ratios.iter().map(|r| ratio(sheet, spec, r)).collect();
        sheet.differences = spec.differences.iter().map(|d| difference(sheet, spec, d)).collect();
        for r in sheet.ratios.iter().filter(|r| r.num_column.is_none() || r.den_column.is_none()) {
            sheet.warnings.push(Warning { code: "sheet.ratio_missing_column", message: format!("sheet '{}': ratio '{}' lacks a column for its roles", sheet.name, r.name) });
        }
        for d in sheet.differences.iter().filter(|d| d.from_column.is_none() || d.minus_column.is_none()) {
            sheet.warnings.push(Warning { code: "sheet.difference_missing_column", message: format!("sheet '{}': difference '{}' lacks a column for its roles", sheet.name, d.name) });
        }
    }
    if several {
        if let Some(i) = cli_found.iter().position(|f| !f) {
            let s = &profile.sheets[0];
            return Err(SheetError::UnknownColumn {
                sheet: profile.sheets.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(", "),
                column: options.group_by[i].clone(),
                available: s.columns.iter().map(|c| c.header.clone()).collect(),
            });
        }
    }
    Ok(())
}

/// The columns summed in group tables: the template's amount roles when it has some, otherwise
/// every additive column.
fn value_columns(sheet: &SheetProfile, spec: &SheetSpec) -> Vec<usize> {
    let from_roles: Vec<usize> = sheet
        .roles
        .iter()
        .filter_map(|r| r.column)
        .filter(|&c| sheet.columns[c].additive)
        .collect();
    if !from_roles.is_empty() && !spec.roles.is_empty() {
        let mut v = Vec::new();
        for c in from_roles {
            if !v.contains(&c) {
                v.push(c);
            }
        }
        return v;
    }
    sheet.columns.iter().filter(|c| c.additive).map(|c| c.index).collect()
}

/// A column's numbers per data row, when it has any.
type NumsCol<'a> = Option<&'a [f64]>;

fn group_table(sheet: &SheetProfile, spec: &SheetSpec, name: String, by: &[usize]) -> std::result::Result<GroupTable, Warning> {
    // A group key per row: the number (from `nums`) or the text id (from `keys`) of each column.
    let mut sources: Vec<(NumsCol<'_>, Option<&[u32]>)> = Vec::new();
    for &c in by {
        let col = &sheet.columns[c];
        let ids = sheet.store.keys.get(c).and_then(|k| k.as_deref());
        if col.distinct_capped || (col.texts > 0 && ids.is_none()) {
            return Err(Warning {
                code: "sheet.group_by_too_many",
                message: format!("sheet '{}': column '{}' has too many distinct values to total by", sheet.name, col.header),
            });
        }
        sources.push((sheet.nums(c), ids));
    }
    let key_at = |k: usize, r: usize| -> (u8, u64) {
        let (nums, ids) = sources[k];
        if let Some(v) = nums.map(|n| n[r]).filter(|v| !v.is_nan()) {
            return (0, if v == 0.0 { 0 } else { v.to_bits() });
        }
        match ids.map(|i| i[r]) {
            Some(id) if id != NO_KEY => (1, id as u64),
            _ => (2, 0),
        }
    };
    let values = value_columns(sheet, spec);
    let nums: Vec<Option<&[f64]>> = values.iter().map(|&c| sheet.nums(c)).collect();
    let ratio_cols: Vec<(Option<usize>, Option<usize>)> = spec.ratios.iter().map(|r| (sheet.role_column(&r.num), sheet.role_column(&r.den))).collect();
    let diff_cols: Vec<(NumsCol<'_>, NumsCol<'_>)> = spec
        .differences
        .iter()
        .map(|d| (sheet.role_column(&d.from).and_then(|c| sheet.nums(c)), sheet.role_column(&d.minus).and_then(|c| sheet.nums(c))))
        .collect();
    // Ratio numerators and denominators summed per group on rows where both are numbers.
    let ratio_nums: Vec<(NumsCol<'_>, NumsCol<'_>)> =
        ratio_cols.iter().map(|(n, d)| (n.and_then(|c| sheet.nums(c)), d.and_then(|c| sheet.nums(c)))).collect();
    type Key = ((u8, u64), (u8, u64));
    struct Acc {
        keys: Key,
        count: u64,
        sums: Vec<Fsum>,
        ratio: Vec<(Fsum, Fsum)>,
        diffs: Vec<Fsum>,
    }
    let new_acc = |k: Key| Acc {
        keys: k,
        count: 0,
        sums: vec![Fsum::default(); values.len()],
        ratio: vec![(Fsum::default(), Fsum::default()); ratio_nums.len()],
        diffs: vec![Fsum::default(); diff_cols.len()],
    };
    let mut index: HashMap<Key, usize> = HashMap::default();
    let mut accs: Vec<Acc> = Vec::new();
    let mut total = new_acc(((2, 0), (2, 0)));
    let mut truncated = false;
    let n = sheet.store.rows.len();
    for r in 0..n {
        let k = (key_at(0, r), if by.len() > 1 { key_at(1, r) } else { (2, 0) });
        let slot = match index.get(&k) {
            Some(&i) => Some(i),
            None if accs.len() < MAX_GROUPS => {
                accs.push(new_acc(k));
                index.insert(k, accs.len() - 1);
                Some(accs.len() - 1)
            }
            None => {
                truncated = true;
                None
            }
        };
        let add = |a: &mut Acc| {
            a.count += 1;
            for (s, col) in a.sums.iter_mut().zip(&nums) {
                if let Some(v) = col.map(|c| c[r]).filter(|v| !v.is_nan()) {
                    s.add(v);
                }
            }
            for ((sn, sd), (cn, cd)) in a.ratio.iter_mut().zip(&ratio_nums) {
                if let (Some(x), Some(y)) = (cn.map(|c| c[r]), cd.map(|c| c[r])) {
                    if !x.is_nan() && !y.is_nan() {
                        sn.add(x);
                        sd.add(y);
                    }
                }
            }
            for (s, (ca, cb)) in a.diffs.iter_mut().zip(&diff_cols) {
                if let (Some(x), Some(y)) = (ca.map(|c| c[r]), cb.map(|c| c[r])) {
                    if !x.is_nan() && !y.is_nan() {
                        s.add(x - y);
                    }
                }
            }
        };
        if let Some(i) = slot {
            add(&mut accs[i]);
        }
        add(&mut total);
    }
    let key_of = |col: usize, key: (u8, u64)| -> Value {
        match key {
            (0, bits) => Value::Number(f64::from_bits(bits)),
            (1, id) => sheet.store.values[col].get(id as usize).map_or(Value::Empty, key_value),
            _ => Value::Empty,
        }
    };
    let finish = |a: &Acc, with_keys: bool| Group {
        keys: if with_keys {
            let mut k = vec![key_of(by[0], a.keys.0)];
            if by.len() > 1 {
                k.push(key_of(by[1], a.keys.1));
            }
            k
        } else {
            Vec::new()
        },
        count: a.count,
        sums: a.sums.iter().map(Fsum::value).collect(),
        ratios: a.ratio.iter().map(|(n, d)| {
            let d = d.value();
            (d != 0.0).then(|| n.value() / d)
        }).collect(),
        differences: a.diffs.iter().map(Fsum::value).collect(),
    };
    let mut groups: Vec<Group> = accs.iter().map(|a| finish(a, true)).collect();
    groups.sort_by(|a, b| compare_keys(&a.keys, &b.keys));
    Ok(GroupTable {
        name,
        by: by.iter().map(|&c| sheet.columns[c].header.clone()).collect(),
        by_columns: by.to_vec(),
        value_headers: values.iter().map(|&c| sheet.columns[c].header.clone()).collect(),
        value_columns: values,
        ratio_names: spec.ratios.iter().map(|r| r.name.clone()).collect(),
        difference_names: spec.differences.iter().map(|d| d.name.clone()).collect(),
        groups,
        total: finish(&total, false),
        truncated,
    })
}

/// Key order: numbers, then dates, then text (accents and case folded), blanks last.
fn compare_keys(a: &[Value], b: &[Value]) -> std::cmp::Ordering {
    fn rank(v: &Value) -> (u8, f64, String) {
        match v {
            Value::Number(x) => (0, *x, String::new()),
            Value::Date(d) => (1, d.0, String::new()),
            Value::Bool(b) => (2, *b as u8 as f64, String::new()),
            Value::Text(t) => (3, 0.0, fold(t)),
            Value::Empty => (4, 0.0, String::new()),
        }
    }
    for (x, y) in a.iter().zip(b) {
        let (rx, ry) = (rank(x), rank(y));
        let o = rx.0.cmp(&ry.0).then(rx.1.total_cmp(&ry.1)).then(rx.2.cmp(&ry.2));
        if o != std::cmp::Ordering::Equal {
            return o;
        }
    }
    std::cmp::Ordering::Equal
}

/// The column that names a row in lists: the "libelle" role, else the first text column.
pub(crate) fn label_column(sheet: &SheetProfile) -> Option<usize> {
    sheet.role_column("libelle").or_else(|| {
        sheet
            .columns
            .iter()
            .position(|c| c.kind == ColumnKind::Text && sheet.store.keys.get(c.index).is_some_and(Option::is_some))
            .or_else(|| sheet.columns.iter().position(|c| c.kind == ColumnKind::Category))
    })
}

fn row_label(sheet: &SheetProfile, col: Option<usize>, r: usize) -> Option<String> {
    let c = col?;
    let id = *sheet.store.keys.get(c)?.as_ref()?.get(r)?;
    if id == NO_KEY {
        return None;
    }
    Some(match key_value(sheet.store.values[c].get(id as usize)?) {
        Value::Text(t) => t,
        Value::Number(v) => crate::format::plain_number(v),
        Value::Date(d) => crate::cell::iso_date(d.0),
        Value::Bool(b) => b.to_string(),
        Value::Empty => return None,
    })
}

fn ratio(sheet: &SheetProfile, spec: &SheetSpec, r: &crate::spec::RatioSpec) -> RatioResult {
    let nc = sheet.role_column(&r.num);
    let dc = sheet.role_column(&r.den);
    let mut out = RatioResult {
        name: r.name.clone(),
        labels: measure_labels(&r.name, r.label.as_ref()),
        num: nc.map(|c| sheet.columns[c].header.clone()),
        den: dc.map(|c| sheet.columns[c].header.clone()),
        num_column: nc,
        den_column: dc,
        overall: None,
        num_sum: 0.0,
        den_sum: 0.0,
        rows: 0,
        undefined: 0,
        above: r.above.map(|limit| Threshold { limit, count: 0, rows: Vec::new() }),
        below: r.below.map(|limit| Threshold { limit, count: 0, rows: Vec::new() }),
        values: Vec::new(),
    };
    let _ = spec;
    let (Some(num), Some(den)) = (nc.and_then(|c| sheet.nums(c)), dc.and_then(|c| sheet.nums(c))) else {
        out.undefined = sheet.data_rows;
        return out;
    };
    let label_col = label_column(sheet);
    let (mut sn, mut sd) = (Fsum::default(), Fsum::default());
    for i in 0..sheet.store.rows.len() {
        let (x, y) = (num[i], den[i]);
        if x.is_nan() || y.is_nan() {
            out.undefined += 1;
            continue;
        }
        sn.add(x);
        sd.add(y);
        if y == 0.0 {
            out.undefined += 1;
            continue;
        }
        let v = x / y;
        out.rows += 1;
        out.values.push(v);
        let row = || RatioRow { row: sheet.store.rows[i] + 1, label: row_label(sheet, label_col, i), num: x, den: y, value: v };
        if let Some(t) = &mut out.above {
            if v > t.limit {
                t.count += 1;
                if t.rows.len() < MAX_LISTED {
                    t.rows.push(row());
                }
            }
        }
        if let Some(t) = &mut out.below {
            if v < t.limit {
                t.count += 1;
                if t.rows.len() < MAX_LISTED {
                    t.rows.push(row());
                }
            }
        }
    }
    out.num_sum = sn.value();
    out.den_sum = sd.value();
    out.overall = (out.den_sum != 0.0).then(|| out.num_sum / out.den_sum);
    out
}

fn difference(sheet: &SheetProfile, spec: &SheetSpec, d: &crate::spec::DifferenceSpec) -> DifferenceResult {
    let fc = sheet.role_column(&d.from);
    let mc = sheet.role_column(&d.minus);
    let mut out = DifferenceResult {
        name: d.name.clone(),
        labels: measure_labels(&d.name, d.label.as_ref()),
        from: fc.map(|c| sheet.columns[c].header.clone()),
        minus: mc.map(|c| sheet.columns[c].header.clone()),
        from_column: fc,
        minus_column: mc,
        total: 0.0,
        rows: 0,
        negative: 0,
        min: None,
        max: None,
        values: Vec::new(),
    };
    let _ = spec;
    let (Some(a), Some(b)) = (fc.and_then(|c| sheet.nums(c)), mc.and_then(|c| sheet.nums(c))) else { return out };
    let mut s = Fsum::default();
    for i in 0..sheet.store.rows.len() {
        if a[i].is_nan() || b[i].is_nan() {
            continue;
        }
        let v = a[i] - b[i];
        s.add(v);
        out.rows += 1;
        if v < 0.0 {
            out.negative += 1;
        }
        out.min = Some(out.min.map_or(v, |m: f64| m.min(v)));
        out.max = Some(out.max.map_or(v, |m: f64| m.max(v)));
        out.values.push(v);
    }
    out.total = s.value();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Service gestionnaire"), "service_gestionnaire");
        assert_eq!(slug("Crédits (ouverts)"), "credits_ouverts");
        assert_eq!(slug("المصلحة"), "المصلحه");
    }
}
