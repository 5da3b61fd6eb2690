//! Computed tables: the key-figure tables come from the computation, not from the model's text.
//! The model places one by writing, alone on a line, an anchor
//!
//! ```text
//! [[tableau:totaux_par_service]]
//! ```
//!
//! (`[[table:NAME]]` and `[[جدول:NAME]]` are read too) and [`fill_anchors`] puts the table there,
//! rendered as Markdown with headers in the answer's language. Katib says which tables it
//! inserted and where, so the window can show a table the user later edits as edited.
//!
//! Names: `statistiques` (per numeric column), `totaux_par_<column>` (and `_et_<column>`),
//! `<ratio>_au_dessus_<percent>` and `<ratio>_en_dessous_<percent>`, `controle_totaux` (the
//! sheet's total rows against the sums), `cellules_en_erreur`. With several sheets, the tables
//! of every sheet but the main one are prefixed with the sheet's name (`depenses__statistiques`).

use std::ops::Range;

use serde::Serialize;

use crate::figure::{col_value, value_text};
use crate::format;
use crate::profile::analysis::slug;
use crate::profile::{Profile, SheetProfile};
use crate::Lang;

/// One cell of a computed table.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum TableCell {
    Text(String),
    /// A figure, written with the column's convention (amount, percent, number).
    Figure(String, f64),
    Empty,
}

/// A table computed by Katib, ready to render.
#[derive(Clone, Debug, Serialize)]
pub struct ComputedTable {
    pub name: String,
    pub sheet: String,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<TableCell>>,
}

impl ComputedTable {
    /// The table as Markdown: a caption line in italics, then the table; figures right-aligned.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("*{}*\n\n", self.title);
        let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        out.push_str(&format!("| {} |\n", self.headers.iter().map(|h| esc(h)).collect::<Vec<_>>().join(" | ")));
        let numeric: Vec<bool> = (0..self.headers.len())
            .map(|i| self.rows.iter().any(|r| matches!(r.get(i), Some(TableCell::Figure(..)))))
            .collect();
        out.push_str(&format!("|{}\n", numeric.iter().map(|&n| if n { " ---: |" } else { " --- |" }).collect::<String>()));
        for r in &self.rows {
            let cells: Vec<String> = r
                .iter()
                .map(|c| match c {
                    TableCell::Text(t) => esc(t),
                    TableCell::Figure(s, _) => s.clone(),
                    TableCell::Empty => String::new(),
                })
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out
    }
}

struct T {
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
    row: &'static str,
    label: &'static str,
    above: &'static str,
    below: &'static str,
    check: &'static str,
    written: &'static str,
    computed: &'static str,
    gap: &'static str,
    verdict: (&'static str, &'static str),
    errors: &'static str,
    cell: &'static str,
    error: &'static str,
    blank: &'static str,
}

const FR: T = T {
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
    row: "Ligne",
    label: "Libellé",
    above: "au-dessus de",
    below: "en dessous de",
    check: "Contrôle des lignes de total du fichier",
    written: "Valeur du fichier",
    computed: "Somme calculée",
    gap: "Écart",
    verdict: ("conforme", "non conforme"),
    errors: "Cellules en erreur",
    cell: "Cellule",
    error: "Erreur",
    blank: "(vide)",
};

const AR: T = T {
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
    row: "السطر",
    label: "البيان",
    above: "أعلى من",
    below: "أدنى من",
    check: "مراقبة أسطر المجموع الواردة في الملف",
    written: "القيمة الواردة في الملف",
    computed: "المجموع المحسوب",
    gap: "الفرق",
    verdict: ("مطابق", "غير مطابق"),
    errors: "الخلايا الخاطئة",
    cell: "الخلية",
    error: "الخطأ",
    blank: "(فارغ)",
};

const EN: T = T {
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
    row: "Row",
    label: "Label",
    above: "above",
    below: "below",
    check: "Check of the file's total rows",
    written: "Value in the file",
    computed: "Computed sum",
    gap: "Difference",
    verdict: ("matches", "does not match"),
    errors: "Cells in error",
    cell: "Cell",
    error: "Error",
    blank: "(blank)",
};

fn t(lang: Lang) -> &'static T {
    match lang {
        Lang::Fr => &FR,
        Lang::Ar => &AR,
        Lang::En => &EN,
    }
}

fn fig(s: String, v: f64) -> TableCell {
    TableCell::Figure(s, v)
}

/// The percent in a table name: 1.0 is "100", 0.3 is "30".
pub(crate) fn pct_name(limit: f64) -> String {
    format::plain_number((limit * 100.0 * 1000.0).round() / 1000.0).replace('.', "_")
}

/// Every table Katib can insert, for every sheet.
pub fn computed_tables(profile: &Profile, lang: Lang) -> Vec<ComputedTable> {
    let main = profile.main_sheet().map(|s| s.name.clone());
    let mut out = Vec::new();
    for s in &profile.sheets {
        let prefix = if Some(&s.name) == main.as_ref() { String::new() } else { format!("{}__", slug(&s.name)) };
        for mut table in sheet_tables(s, lang) {
            table.name = format!("{prefix}{}", table.name);
            out.push(table);
        }
    }
    out
}

fn sheet_tables(s: &SheetProfile, lang: Lang) -> Vec<ComputedTable> {
    let w = t(lang);
    let mut out = Vec::new();
    let num_cols: Vec<_> = s.columns.iter().filter_map(|c| c.stats.as_ref().map(|st| (c, st))).collect();
    if !num_cols.is_empty() {
        let rows = num_cols
            .iter()
            .map(|&(c, st)| {
                let v = |x: f64| fig(col_value(c, x, lang), x);
                vec![
                    TableCell::Text(c.header.clone()),
                    fig(format::count(c.numbers, lang), c.numbers as f64),
                    if c.additive { v(st.sum) } else { TableCell::Empty },
                    v(st.mean),
                    v(st.median),
                    v(st.min),
                    v(st.max),
                ]
            })
            .collect();
        out.push(ComputedTable {
            name: "statistiques".into(),
            sheet: s.name.clone(),
            title: format!("{} — {}", w.stats, s.name),
            headers: [w.col, w.count, w.sum, w.mean, w.median, w.min, w.max].iter().map(|x| x.to_string()).collect(),
            rows,
        });
    }
    for g in &s.groups {
        let mut headers: Vec<String> = g.by.clone();
        headers.push(w.rows.into());
        headers.extend(g.value_headers.iter().cloned());
        // Measures the sheet has no column for are left out: a column of zeros or dashes
        // would read as a figure.
        headers.extend(s.differences.iter().filter(|d| d.is_defined()).map(|d| d.labels.get(lang).unwrap_or(&d.name).to_string()));
        headers.extend(s.ratios.iter().filter(|r| r.is_defined()).map(|r| r.labels.get(lang).unwrap_or(&r.name).to_string()));
        let line = |keys: Vec<TableCell>, gr: &crate::profile::analysis::Group| {
            let mut cells = keys;
            cells.push(fig(format::count(gr.count, lang), gr.count as f64));
            for (i, v) in gr.sums.iter().enumerate() {
                cells.push(fig(col_value(&s.columns[g.value_columns[i]], *v, lang), *v));
            }
            for (i, v) in gr.differences.iter().enumerate() {
                if !s.differences.get(i).is_some_and(|d| d.is_defined()) {
                    continue;
                }
                let text = s.differences.get(i).and_then(|d| d.from_column).map_or_else(|| format::auto(*v, false, lang), |c| col_value(&s.columns[c], *v, lang));
                cells.push(fig(text, *v));
            }
            for (i, r) in gr.ratios.iter().enumerate() {
                if !s.ratios.get(i).is_some_and(|q| q.is_defined()) {
                    continue;
                }
                cells.push(match r {
                    Some(v) => fig(format::percent(*v, lang), *v),
                    None => TableCell::Empty,
                });
            }
            cells
        };
        let mut rows: Vec<Vec<TableCell>> = g
            .groups
            .iter()
            .map(|gr| {
                let keys = gr
                    .keys
                    .iter()
                    .map(|k| match k {
                        crate::profile::Value::Empty => TableCell::Text(w.blank.into()),
                        other => TableCell::Text(value_text(other, lang, 200)),
                    })
                    .collect();
                line(keys, gr)
            })
            .collect();
        let mut total_keys = vec![TableCell::Text(w.total.into())];
        total_keys.resize(g.by.len(), TableCell::Empty);
        rows.push(line(total_keys, &g.total));
        out.push(ComputedTable { name: g.name.clone(), sheet: s.name.clone(), title: format!("{} {}", w.by, g.by.join(" + ")), headers, rows });
    }
    for r in &s.ratios {
        let label = r.labels.get(lang).unwrap_or(&r.name).to_string();
        let (Some(nc), Some(dc)) = (r.num_column, r.den_column) else { continue };
        for (th, word, suffix) in [(&r.above, w.above, "au_dessus"), (&r.below, w.below, "en_dessous")] {
            let Some(th) = th else { continue };
            let fmt_n = |v: f64| fig(col_value(&s.columns[nc], v, lang), v);
            let fmt_d = |v: f64| fig(col_value(&s.columns[dc], v, lang), v);
            let rows = th
                .rows
                .iter()
                .map(|x| {
                    vec![
                        fig(x.row.to_string(), x.row as f64),
                        x.label.as_ref().map_or(TableCell::Empty, |l| TableCell::Text(l.clone())),
                        fmt_n(x.num),
                        fmt_d(x.den),
                        fig(format::percent(x.value, lang), x.value),
                    ]
                })
                .collect();
            out.push(ComputedTable {
                name: format!("{}_{suffix}_{}", r.name, pct_name(th.limit)),
                sheet: s.name.clone(),
                title: format!("{label} {word} {} ({})", format::percent_limit(th.limit, lang), th.count),
                headers: vec![w.row.into(), w.label.into(), s.columns[nc].header.clone(), s.columns[dc].header.clone(), label.clone()],
                rows,
            });
        }
    }
    if s.totals.iter().any(|t| !t.checks.is_empty()) {
        let mut rows = Vec::new();
        for tr in &s.totals {
            for c in &tr.checks {
                let col = s.columns.iter().find(|x| x.letter == c.letter);
                let v = |x: f64| fig(col.map_or_else(|| format::auto(x, false, lang), |col| col_value(col, x, lang)), x);
                rows.push(vec![
                    fig(tr.row.to_string(), tr.row as f64),
                    TableCell::Text(tr.label.clone()),
                    TableCell::Text(c.column.clone()),
                    v(c.written),
                    v(c.computed),
                    v(c.written - c.computed),
                    TableCell::Text(if c.matches { w.verdict.0 } else { w.verdict.1 }.into()),
                ]);
            }
        }
        out.push(ComputedTable {
            name: "controle_totaux".into(),
            sheet: s.name.clone(),
            title: w.check.into(),
            headers: vec![w.row.into(), w.label.into(), w.col.into(), w.written.into(), w.computed.into(), w.gap.into(), String::new()],
            rows,
        });
    }
    if s.error_count > 0 {
        out.push(ComputedTable {
            name: "cellules_en_erreur".into(),
            sheet: s.name.clone(),
            title: format!("{} ({})", w.errors, s.error_count),
            headers: vec![w.cell.into(), w.col.into(), w.error.into()],
            rows: s
                .error_cells
                .iter()
                .map(|e| vec![TableCell::Text(e.address.clone()), TableCell::Text(e.column.clone()), TableCell::Text(e.error.as_str().into())])
                .collect(),
        });
    }
    out
}

/// A table put in place of its anchor.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Inserted {
    pub name: String,
    /// Byte range of the table in the filled text.
    pub span: Range<usize>,
}

/// The answer with its anchors filled.
#[derive(Clone, Debug, Serialize)]
pub struct Filled {
    pub text: String,
    pub inserted: Vec<Inserted>,
    /// Anchors naming no computed table, left as written.
    pub unknown: Vec<String>,
}

/// The table name of an anchor line (`[[tableau:NAME]]`, `[[table:NAME]]`, `[[جدول:NAME]]`).
pub fn anchor_name(line: &str) -> Option<&str> {
    let inner = line.trim().strip_prefix("[[")?.strip_suffix("]]")?;
    let (kind, name) = inner.split_once(':')?;
    if !matches!(kind.trim(), "tableau" | "table" | "جدول") {
        return None;
    }
    let name = name.trim();
    (!name.is_empty() && !name.contains(char::is_whitespace)).then_some(name)
}

/// Replaces every anchor line of `answer` by the computed table it names.
pub fn fill_anchors(answer: &str, tables: &[ComputedTable]) -> Filled {
    let mut text = String::with_capacity(answer.len() + 1024);
    let mut inserted = Vec::new();
    let mut unknown = Vec::new();
    for line in answer.split_inclusive('\n') {
        let name = anchor_name(line);
        match name.and_then(|n| tables.iter().find(|t| t.name == n)) {
            Some(table) => {
                let md = table.to_markdown();
                let start = text.len();
                text.push_str(md.trim_end());
                inserted.push(Inserted { name: table.name.clone(), span: start..text.len() });
                text.push('\n');
            }
            None => {
                if let Some(n) = name {
                    unknown.push(n.to_string());
                }
                text.push_str(line);
            }
        }
    }
    Filled { text, inserted, unknown }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> ComputedTable {
        ComputedTable {
            name: "totaux_par_service".into(),
            sheet: "S".into(),
            title: "Totaux par Service".into(),
            headers: vec!["Service".into(), "Montant".into()],
            rows: vec![vec![TableCell::Text("DT | voirie".into()), TableCell::Figure("1 200".into(), 1200.0)]],
        }
    }

    #[test]
    fn anchors_are_filled_and_reported() {
        let answer = "# Titre\n\nTexte.\n[[tableau:totaux_par_service]]\nSuite.\n  [[table:inconnu]]  \n[[tableau: totaux_par_service ]]";
        let f = fill_anchors(answer, &[table()]);
        assert_eq!(f.inserted.len(), 2);
        assert_eq!(f.unknown, vec!["inconnu"]);
        let first = &f.text[f.inserted[0].span.clone()];
        assert!(first.starts_with("*Totaux par Service*"), "{first}");
        assert!(first.contains("| DT \\| voirie | 1 200 |"), "{first}");
        assert!(first.contains("| --- | ---: |"));
        assert!(f.text.contains("Suite.\n  [[table:inconnu]]  \n"));
        assert!(!f.text.contains("[[tableau:totaux_par_service]]"));
        assert_eq!(anchor_name("[[جدول:x]]"), Some("x"));
        assert_eq!(anchor_name("voir [[tableau:x]] ici"), None);
        assert_eq!(pct_name(1.0), "100");
        assert_eq!(pct_name(0.3), "30");
        assert_eq!(pct_name(0.125), "12_5");
    }
}
