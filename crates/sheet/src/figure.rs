//! A computed figure as the reader sees it: a column's value in its language (amounts, percents
//! as the column holds them), a cell's value, a text cut to fit a line. Shared by the fact sheet
//! (`facts`) and the computed tables (`tables`), which must write a figure the same way for the
//! number check to find it in both.

use crate::format;
use crate::profile::{ColumnKind, ColumnProfile, Value};
use crate::Lang;

/// A figure of a column in its language: amounts with cents only when there are some,
/// percents as percents.
pub(crate) fn col_value(col: &ColumnProfile, v: f64, lang: Lang) -> String {
    match col.kind {
        ColumnKind::Percent if col.percent_points => format!("{} %", format::number(v, 1, lang)),
        ColumnKind::Percent => format::percent(v, lang),
        ColumnKind::Amount => format::amount(v, lang),
        _ => format::auto(v, false, lang),
    }
}

/// A cell's value in its language, a text cut to `chars`.
pub(crate) fn value_text(v: &Value, lang: Lang, chars: usize) -> String {
    match v {
        Value::Number(x) => format::auto(*x, false, lang),
        Value::Text(t) => cut(t, chars),
        Value::Bool(b) => if *b { "✓" } else { "✗" }.to_string(),
        Value::Date(d) => format::date(d.0, lang),
        Value::Empty => "—".into(),
    }
}

/// `s` on one line (no line breaks or table pipes), cut to `n` characters with an ellipsis.
pub(crate) fn cut(s: &str, n: usize) -> String {
    let s = s.replace(['\n', '\r', '|'], " ");
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
