//! The fact sheet: the profile as compact, labelled text for the prompt (French, Arabic or
//! English labels, numbers written the way that language writes them), a few sample rows, and
//! the names of the computed tables the model may place. Bounded by construction: long lists
//! (groups, rows past a threshold, frequent values) are cut with a count of what is left out,
//! so a 100,000-row x 20-column sheet stays within about 3,000 tokens.
//!
//! The same renderer, with wider limits and the warnings, is the human text of
//! `katib sheet profile`.

use std::fmt::Write;

use crate::figure::{col_value, cut, value_text};
use crate::format;
use crate::profile::analysis::{GroupTable, RatioResult, Threshold};
use crate::profile::{ColumnKind, ColumnProfile, Profile, SheetProfile, Value};
use crate::Lang;

/// How much of the profile the text shows.
#[derive(Clone, Debug)]
pub struct FactOptions {
    pub lang: Lang,
    /// Groups listed per group table.
    pub max_groups: usize,
    /// Rows listed per threshold.
    pub max_rows: usize,
    /// Most frequent values listed per column.
    pub max_values: usize,
    /// Sample rows shown per sheet (at most 3 are kept).
    pub samples: usize,
    /// Characters kept of a text cell in samples and lists.
    pub cell_chars: usize,
    /// Include warnings and role confidences (the human report).
    pub detail: bool,
    /// Columns that play no role of the template get their name and type only (a long sheet's
    /// fact sheet stays within the prompt's budget; the roles keep every figure).
    pub brief_other_columns: bool,
}

impl FactOptions {
    /// For the prompt.
    pub fn prompt(lang: Lang) -> FactOptions {
        FactOptions { lang, max_groups: 15, max_rows: 10, max_values: 5, samples: 3, cell_chars: 40, detail: false, brief_other_columns: false }
    }

    /// For a person reading `katib sheet profile`.
    pub fn report(lang: Lang) -> FactOptions {
        FactOptions { lang, max_groups: 50, max_rows: 30, max_values: 5, samples: 3, cell_chars: 60, detail: true, brief_other_columns: false }
    }
}

struct Words {
    intro: &'static str,
    rule: &'static str,
    sheet: &'static str,
    data_rows: &'static str,
    rows_from_to: (&'static str, &'static str),
    columns: &'static str,
    header_row: &'static str,
    title: &'static str,
    values: &'static str,
    distinct: &'static str,
    more_than: &'static str,
    blanks: &'static str,
    errors_word: &'static str,
    sum: &'static str,
    mean: &'static str,
    median: &'static str,
    min: &'static str,
    max: &'static str,
    row: &'static str,
    from_to: (&'static str, &'static str),
    frequent: &'static str,
    error_cells: &'static str,
    excluded: &'static str,
    totals_head: &'static str,
    total_ok: &'static str,
    total_bad: &'static str,
    computed_sum: &'static str,
    gap: &'static str,
    roles: &'static str,
    no_column: &'static str,
    overall: &'static str,
    rows_word: &'static str,
    above: &'static str,
    below: &'static str,
    undefined: &'static str,
    and_more: &'static str,
    negative: &'static str,
    by: &'static str,
    count: &'static str,
    others: &'static str,
    total_line: &'static str,
    samples: &'static str,
    tables: &'static str,
    label_rows: &'static str,
    warnings: &'static str,
    kinds: [&'static str; 8],
    no_value: &'static str,
}

const FR: Words = Words {
    intro: "Chiffres calculés par Katib sur toutes les lignes du fichier",
    rule: "Les lignes de total du fichier sont exclues des calculs. N'utilisez que ces chiffres ; si un chiffre nécessaire n'y figure pas, écrivez qu'il n'est pas disponible.",
    sheet: "Feuille",
    data_rows: "lignes de données",
    rows_from_to: ("lignes", "à"),
    columns: "colonnes",
    header_row: "en-tête ligne",
    title: "Titre",
    values: "valeurs",
    distinct: "distinctes",
    more_than: "plus de",
    blanks: "vides",
    errors_word: "en erreur",
    sum: "somme",
    mean: "moyenne",
    median: "médiane",
    min: "min",
    max: "max",
    row: "ligne",
    from_to: ("du", "au"),
    frequent: "les plus fréquentes",
    error_cells: "Cellules en erreur",
    excluded: "exclues des calculs",
    totals_head: "Lignes de total du fichier, vérifiées",
    total_ok: "conforme",
    total_bad: "NE CORRESPOND PAS",
    computed_sum: "somme calculée",
    gap: "écart",
    roles: "Colonnes retenues",
    no_column: "aucune colonne",
    overall: "global",
    rows_word: "lignes",
    above: "au-dessus de",
    below: "en dessous de",
    undefined: "non calculable",
    and_more: "et",
    negative: "négatives",
    by: "Totaux par",
    count: "Lignes",
    others: "autres groupes non listés",
    total_line: "Total",
    samples: "Exemples de lignes",
    tables: "Tableaux calculés : pour en insérer un, écrivez seule sur une ligne l'ancre [[tableau:NOM]]",
    label_rows: "Lignes d'intitulé (sections) exclues des calculs",
    warnings: "Avertissements",
    kinds: ["nombre", "pourcentage", "montant", "date", "catégorie", "texte", "oui/non", "vide"],
    no_value: "formules sans valeur enregistrée",
};

const AR: Words = Words {
    intro: "أرقام حسبها كاتب على جميع أسطر الملف",
    rule: "أسطر المجموع الواردة في الملف مستبعدة من الحسابات. لا تستعمل إلا هذه الأرقام؛ وإذا لم يرد فيها رقم ضروري، فاذكر أنه غير متوفر.",
    sheet: "الورقة",
    data_rows: "سطر بيانات",
    rows_from_to: ("الأسطر من", "إلى"),
    columns: "أعمدة",
    header_row: "سطر العناوين",
    title: "العنوان",
    values: "قيمة",
    distinct: "مختلفة",
    more_than: "أكثر من",
    blanks: "فارغة",
    errors_word: "خاطئة",
    sum: "المجموع",
    mean: "المتوسط",
    median: "الوسيط",
    min: "الأدنى",
    max: "الأقصى",
    row: "السطر",
    from_to: ("من", "إلى"),
    frequent: "الأكثر تكرارا",
    error_cells: "خلايا خاطئة",
    excluded: "مستبعدة من الحسابات",
    totals_head: "أسطر المجموع الواردة في الملف، بعد التحقق",
    total_ok: "مطابق",
    total_bad: "غير مطابق",
    computed_sum: "المجموع المحسوب",
    gap: "الفرق",
    roles: "الأعمدة المعتمدة",
    no_column: "لا يوجد عمود",
    overall: "الإجمالي",
    rows_word: "أسطر",
    above: "أعلى من",
    below: "أدنى من",
    undefined: "غير قابل للحساب",
    and_more: "و",
    negative: "سالبة",
    by: "المجاميع حسب",
    count: "عدد الأسطر",
    others: "مجموعات أخرى غير مدرجة",
    total_line: "المجموع",
    samples: "نماذج من الأسطر",
    tables: "جداول محسوبة: لإدراج أحدها، اكتب في سطر مستقل العلامة [[tableau:NOM]]",
    label_rows: "أسطر عناوين فرعية مستبعدة من الحسابات",
    warnings: "تنبيهات",
    kinds: ["عدد", "نسبة مئوية", "مبلغ", "تاريخ", "فئة", "نص", "نعم/لا", "فارغ"],
    no_value: "صيغ بدون قيمة محفوظة",
};

const EN: Words = Words {
    intro: "Figures computed by Katib on every row of the file",
    rule: "The file's total rows are left out of the computations. Use only these figures; if a figure you need is not here, say it is not available.",
    sheet: "Sheet",
    data_rows: "data rows",
    rows_from_to: ("rows", "to"),
    columns: "columns",
    header_row: "header row",
    title: "Title",
    values: "values",
    distinct: "distinct",
    more_than: "more than",
    blanks: "blank",
    errors_word: "in error",
    sum: "sum",
    mean: "mean",
    median: "median",
    min: "min",
    max: "max",
    row: "row",
    from_to: ("from", "to"),
    frequent: "most frequent",
    error_cells: "Cells in error",
    excluded: "left out of the figures",
    totals_head: "Total rows of the file, checked",
    total_ok: "matches",
    total_bad: "DOES NOT MATCH",
    computed_sum: "computed sum",
    gap: "difference",
    roles: "Columns used",
    no_column: "no column",
    overall: "overall",
    rows_word: "rows",
    above: "above",
    below: "below",
    undefined: "not computable",
    and_more: "and",
    negative: "negative",
    by: "Totals by",
    count: "Rows",
    others: "more groups not listed",
    total_line: "Total",
    samples: "Sample rows",
    tables: "Computed tables: to insert one, write the anchor [[tableau:NAME]] alone on a line",
    label_rows: "Heading rows left out of the figures",
    warnings: "Warnings",
    kinds: ["number", "percent", "amount", "date", "category", "text", "yes/no", "empty"],
    no_value: "formulas without a saved value",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Fr => &FR,
        Lang::Ar => &AR,
        Lang::En => &EN,
    }
}

fn kind_name(k: ColumnKind, w: &Words) -> &'static str {
    w.kinds[match k {
        ColumnKind::Number => 0,
        ColumnKind::Percent => 1,
        ColumnKind::Amount => 2,
        ColumnKind::Date => 3,
        ColumnKind::Category => 4,
        ColumnKind::Text => 5,
        ColumnKind::Bool => 6,
        ColumnKind::Empty => 7,
    }]
}

/// "1 ligne", "2 lignes" (Arabic and English read fine with the plural label after a figure).
fn rows_word(n: u64, lang: Lang) -> &'static str {
    match (lang, n) {
        (Lang::Fr, 0 | 1) => "ligne",
        (Lang::En, 1) => "row",
        (Lang::Ar, _) => arabic_noun(n, ("سطر", "سطران", "أسطر", "سطرا")),
        _ => words(lang).rows_word,
    }
}

/// The Arabic counted noun: singular for 1 (and 0), dual for 2, plural from 3 to 10, singular
/// accusative from 11 on (with 100, 1,000... singular again, read as "مئة سطر").
fn arabic_noun(n: u64, forms: (&'static str, &'static str, &'static str, &'static str)) -> &'static str {
    match n % 100 {
        _ if n == 1 || n == 0 => forms.0,
        _ if n == 2 => forms.1,
        3..=10 => forms.2,
        0..=2 => forms.0,
        _ => forms.3,
    }
}

/// A count with its noun in `lang`: values, distinct values, data rows, columns.
fn counted(n: u64, lang: Lang, noun: &str) -> String {
    let w = words(lang);
    let word = match lang {
        Lang::Ar => match noun {
            "values" => arabic_noun(n, ("قيمة", "قيمتان", "قيم", "قيمة")),
            "distinct" => arabic_noun(n, ("قيمة مختلفة", "قيمتان مختلفتان", "قيم مختلفة", "قيمة مختلفة")),
            "data_rows" => arabic_noun(n, ("سطر بيانات", "سطرا بيانات", "أسطر بيانات", "سطرا من البيانات")),
            _ => arabic_noun(n, ("عمود", "عمودان", "أعمدة", "عمودا")),
        },
        _ => match noun {
            "values" => w.values,
            "distinct" => w.distinct,
            "data_rows" => w.data_rows,
            _ => w.columns,
        },
    };
    format!("{} {word}", format::count(n, lang))
}

/// Arabic punctuation for the Arabic fact sheet, outside quoted values and table rows.
fn arabic_punctuation(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.starts_with('|') {
            out.push_str(line);
            continue;
        }
        let mut depth = 0i32;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '«' => depth += 1,
                '»' => depth -= 1,
                ' ' if depth == 0 && matches!(chars.peek(), Some(';' | ':')) => {
                    // " ; " -> "؛ ", " : " -> ": "
                    let p = chars.next().unwrap_or(' ');
                    out.push(if p == ';' { '؛' } else { ':' });
                    continue;
                }
                ',' if depth == 0 && chars.peek() == Some(&' ') => {
                    out.push('،');
                    continue;
                }
                _ => {}
            }
            out.push(c);
        }
    }
    out
}

fn q(s: &str) -> String {
    format!("« {s} »")
}


/// The fact sheet of a whole profile.
pub fn fact_sheet(profile: &Profile, opts: &FactOptions) -> String {
    let w = words(opts.lang);
    let mut out = String::new();
    let _ = writeln!(out, "{} {}.", w.intro, q(&profile.file));
    let _ = writeln!(out, "{}", w.rule);
    for sheet in &profile.sheets {
        out.push('\n');
        sheet_facts(&mut out, sheet, opts);
    }
    let names: Vec<String> = crate::tables::computed_tables(profile, opts.lang).into_iter().map(|t| t.name).collect();
    if !names.is_empty() {
        let _ = writeln!(out, "\n{} : {}.", w.tables, names.join(", "));
    }
    match opts.lang {
        Lang::Ar => arabic_punctuation(&out),
        Lang::En => out.replace(" : ", ": ").replace(" ; ", "; ").replace("« ", "\"").replace(" »", "\""),
        Lang::Fr => out,
    }
}

fn sheet_facts(out: &mut String, s: &SheetProfile, o: &FactOptions) {
    let w = words(o.lang);
    let l = o.lang;
    let _ = write!(out, "## {} {} : {}", w.sheet, q(&s.name), counted(s.data_rows, l, "data_rows"));
    if s.data_rows > 0 {
        let _ = write!(out, " ({} {} {} {})", w.rows_from_to.0, s.first_data_row, w.rows_from_to.1, s.last_data_row);
    }
    let _ = write!(out, ", {}", counted(s.columns.len() as u64, l, "columns"));
    if !s.header_rows.is_empty() {
        let rows: Vec<String> = s.header_rows.iter().map(u32::to_string).collect();
        let _ = write!(out, " ; {} {}", w.header_row, rows.join("-"));
    }
    out.push('\n');
    if !s.title_lines.is_empty() {
        let _ = writeln!(out, "{} : {}", w.title, s.title_lines.iter().map(|t| cut(t, 120)).collect::<Vec<_>>().join(" ; "));
    }
    for c in &s.columns {
        let has_role = s.roles.iter().any(|r| r.letter.as_deref() == Some(c.letter.as_str()));
        if o.brief_other_columns && !s.roles.is_empty() && !has_role {
            let _ = writeln!(out, "- {} {} : {}", c.letter, q(&cut(&c.header, o.cell_chars)), kind_name(c.kind, w));
        } else {
            column_line(out, c, o);
        }
    }
    if s.error_count > 0 {
        let list: Vec<String> = s.error_cells.iter().take(o.max_rows).map(|e| format!("{} {}", e.address, e.error.as_str())).collect();
        let more = s.error_count as usize - list.len().min(s.error_count as usize);
        let _ = write!(out, "{} : {} ({}", w.error_cells, format::count(s.error_count, l), list.join(", "));
        if more > 0 {
            let _ = write!(out, ", {} {more}", w.and_more);
        }
        let _ = writeln!(out, ") — {}.", w.excluded);
    }
    if !s.label_rows.is_empty() && o.detail {
        let list: Vec<String> = s.label_rows.iter().take(o.max_rows).map(|(r, t)| format!("{r} {}", q(&cut(t, o.cell_chars)))).collect();
        let _ = writeln!(out, "{} : {}", w.label_rows, list.join(", "));
    }
    if !s.totals.is_empty() {
        let _ = writeln!(out, "{} :", w.totals_head);
        for t in &s.totals {
            let _ = write!(out, "- {} {} {} :", w.row, t.row, q(&cut(&t.label, o.cell_chars)));
            let parts: Vec<String> = t
                .checks
                .iter()
                .map(|c| {
                    let col = s.columns.iter().find(|x| x.letter == c.letter);
                    let fmt = |v: f64| col.map_or_else(|| format::auto(v, false, l), |col| col_value(col, v, l));
                    if c.matches {
                        format!(" {} {} ({})", c.column, fmt(c.written), w.total_ok)
                    } else {
                        format!(
                            " {} {} — {} : {} {} ({} {})",
                            c.column,
                            fmt(c.written),
                            w.total_bad,
                            w.computed_sum,
                            fmt(c.computed),
                            w.gap,
                            fmt(c.written - c.computed)
                        )
                    }
                })
                .collect();
            let _ = writeln!(out, "{}", parts.join(" ;"));
        }
    }
    if !s.roles.is_empty() {
        let parts: Vec<String> = s
            .roles
            .iter()
            .map(|r| {
                let label = r.labels.get(l).unwrap_or(&r.role).to_string();
                match (&r.letter, &r.header) {
                    (Some(letter), Some(h)) if o.detail => format!("{label} = {letter} {} ({:.0} %)", q(h), r.confidence * 100.0),
                    (Some(letter), Some(h)) => format!("{label} = {letter} {}", q(h)),
                    _ => format!("{label} = {}", w.no_column),
                }
            })
            .collect();
        let _ = writeln!(out, "{} : {}", w.roles, parts.join(" ; "));
    }
    for r in &s.ratios {
        ratio_lines(out, s, r, o);
    }
    for d in &s.differences {
        let label = d.labels.get(l).unwrap_or(&d.name);
        let (Some(a), Some(b)) = (&d.from, &d.minus) else {
            let _ = writeln!(out, "{label} : {}", w.undefined);
            continue;
        };
        let col = d.from_column.map(|c| &s.columns[c]);
        let fmt = |v: f64| col.map_or_else(|| format::auto(v, false, l), |c| col_value(c, v, l));
        let _ = write!(out, "{label} ({a} − {b}) : {} {} ; {} {}", w.sum, fmt(d.total), format::count(d.rows, l), rows_word(d.rows, l));
        if let (Some(mn), Some(mx)) = (d.min, d.max) {
            let _ = write!(out, " ; {} {} ; {} {}", w.min, fmt(mn), w.max, fmt(mx));
        }
        let _ = writeln!(out, " ; {} {}", format::count(d.negative, l), w.negative);
    }
    for g in &s.groups {
        group_lines(out, s, g, o);
    }
    if o.samples > 0 && !s.samples.is_empty() {
        let _ = writeln!(out, "{} :", w.samples);
        let header: Vec<String> = std::iter::once(w.row.to_string()).chain(s.columns.iter().map(|c| cut(&c.header, 30))).collect();
        let _ = writeln!(out, "| {} |", header.join(" | "));
        for (r, vals) in s.samples.iter().take(o.samples) {
            let cells: Vec<String> = std::iter::once(r.to_string())
                .chain(vals.iter().zip(&s.columns).map(|(v, c)| match v {
                    Value::Number(x) => col_value(c, *x, l),
                    other => value_text(other, l, o.cell_chars),
                }))
                .collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
    }
    if o.detail && !s.warnings.is_empty() {
        let _ = writeln!(out, "{} :", w.warnings);
        for wa in &s.warnings {
            let _ = writeln!(out, "- [{}] {}", wa.code, wa.message);
        }
    }
}

fn column_line(out: &mut String, c: &ColumnProfile, o: &FactOptions) {
    let w = words(o.lang);
    let l = o.lang;
    let _ = write!(out, "- {} {} : {}", c.letter, q(&cut(&c.header, 60)), kind_name(c.kind, w));
    if c.kind == ColumnKind::Amount {
        let _ = write!(out, " ({})", format::currency(l));
    }
    // The count only when some rows have no value: a full column needs no count.
    if c.blanks > 0 || c.errors > 0 || c.no_value > 0 {
        let _ = write!(out, " ; {}", counted(c.count, l, "values"));
    }
    if c.blanks > 0 {
        let _ = write!(out, ", {} {}", format::count(c.blanks, l), w.blanks);
    }
    if c.errors > 0 {
        let _ = write!(out, ", {} {}", format::count(c.errors, l), w.errors_word);
    }
    if c.no_value > 0 {
        let _ = write!(out, ", {} {}", format::count(c.no_value, l), w.no_value);
    }
    if let Some(st) = &c.stats {
        if c.additive {
            let _ = write!(out, " ; {} {}", w.sum, col_value(c, st.sum, l));
        }
        let _ = write!(out, " ; {} {} ; {} {}", w.mean, col_value(c, st.mean, l), w.median, col_value(c, st.median, l));
        // Where the extremes are, for amounts: "le plus fort engagement (ligne 12)".
        if c.kind == ColumnKind::Amount || o.detail {
            let _ = write!(
                out,
                " ; {} {} ({} {}) ; {} {} ({} {})",
                w.min,
                col_value(c, st.min, l),
                w.row,
                st.min_row,
                w.max,
                col_value(c, st.max, l),
                w.row,
                st.max_row
            );
        } else {
            let _ = write!(out, " ; {} {} ; {} {}", w.min, col_value(c, st.min, l), w.max, col_value(c, st.max, l));
        }
    }
    if let (Some(a), Some(b)) = (c.first_date, c.last_date) {
        let _ = write!(out, " ; {} {} {} {}", w.from_to.0, format::date(a.0, l), w.from_to.1, format::date(b.0, l));
    }
    let textual = matches!(c.kind, ColumnKind::Text | ColumnKind::Category | ColumnKind::Bool);
    if c.distinct_capped && (textual || o.detail) {
        let _ = write!(out, " ; {} {}", w.more_than, counted(c.distinct, l, "distinct"));
    } else if !c.distinct_capped && (textual || o.detail) {
        let _ = write!(out, " ; {}", counted(c.distinct, l, "distinct"));
    }
    // Frequent values, for columns where they say something.
    let useful = matches!(c.kind, ColumnKind::Category | ColumnKind::Bool) || (c.kind == ColumnKind::Text && c.top.first().is_some_and(|t| t.count * 20 >= c.count.max(1)));
    if useful && !c.top.is_empty() && o.max_values > 0 {
        let vals: Vec<String> = c.top.iter().take(o.max_values).map(|t| format!("{} ({})", value_text(&t.value, l, o.cell_chars), format::count(t.count, l))).collect();
        let _ = write!(out, " ; {} : {}", w.frequent, vals.join(", "));
    }
    out.push('\n');
}

fn threshold_line(out: &mut String, s: &SheetProfile, t: &Threshold, word: &str, o: &FactOptions, num_col: Option<usize>) {
    let w = words(o.lang);
    let l = o.lang;
    let _ = write!(out, "- {word} {} : {} {}", format::percent_limit(t.limit, l), format::count(t.count, l), rows_word(t.count, o.lang));
    if t.count == 0 {
        out.push('\n');
        return;
    }
    let col = num_col.map(|c| &s.columns[c]);
    let fmt = |v: f64| col.map_or_else(|| format::auto(v, false, l), |c| col_value(c, v, l));
    let items: Vec<String> = t
        .rows
        .iter()
        .take(o.max_rows)
        .map(|r| {
            let label = r.label.as_deref().map(|x| format!(" {}", q(&cut(x, o.cell_chars)))).unwrap_or_default();
            format!("{} {}{label} {} ({} / {})", w.row, r.row, format::percent(r.value, l), fmt(r.num), fmt(r.den))
        })
        .collect();
    let _ = write!(out, " : {}", items.join(" ; "));
    let more = t.count as usize - items.len().min(t.count as usize);
    if more > 0 {
        let _ = write!(out, " ; {} {} {}", w.and_more, format::count(more as u64, l), rows_word(more as u64, l));
    }
    out.push('\n');
}

fn ratio_lines(out: &mut String, s: &SheetProfile, r: &RatioResult, o: &FactOptions) {
    let w = words(o.lang);
    let l = o.lang;
    let label = r.labels.get(l).unwrap_or(&r.name);
    let (Some(n), Some(d)) = (&r.num, &r.den) else {
        let _ = writeln!(out, "{label} : {}", w.undefined);
        return;
    };
    let col = r.num_column.map(|c| &s.columns[c]);
    let fmt = |v: f64| col.map_or_else(|| format::auto(v, false, l), |c| col_value(c, v, l));
    let overall = r.overall.map_or_else(|| w.undefined.to_string(), |v| format::percent(v, l));
    let _ = write!(out, "{label} ({n} / {d}) : {} {overall} ({} / {}) ; {} {}", w.overall, fmt(r.num_sum), fmt(r.den_sum), format::count(r.rows, l), rows_word(r.rows, l));
    if r.undefined > 0 {
        let _ = write!(out, ", {} {}", format::count(r.undefined, l), w.undefined);
    }
    out.push('\n');
    if let Some(t) = &r.above {
        threshold_line(out, s, t, w.above, o, r.num_column);
    }
    if let Some(t) = &r.below {
        threshold_line(out, s, t, w.below, o, r.num_column);
    }
}

fn group_lines(out: &mut String, s: &SheetProfile, g: &GroupTable, o: &FactOptions) {
    let w = words(o.lang);
    let l = o.lang;
    // Measures the sheet has no column for are left out (their line says "non calculable").
    let ratio_labels: Vec<String> = s.ratios.iter().filter(|r| r.is_defined()).map(|r| r.labels.get(l).unwrap_or(&r.name).to_string()).collect();
    let diff_labels: Vec<String> = s.differences.iter().filter(|d| d.is_defined()).map(|d| d.labels.get(l).unwrap_or(&d.name).to_string()).collect();
    let _ = writeln!(out, "{} {} ([[tableau:{}]]) :", w.by, g.by.join(" + "), g.name);
    let mut head: Vec<String> = g.by.clone();
    head.push(w.count.to_string());
    head.extend(g.value_headers.iter().cloned());
    head.extend(diff_labels.iter().cloned());
    head.extend(ratio_labels.iter().cloned());
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let fmt_sum = |i: usize, v: f64| col_value(&s.columns[g.value_columns[i]], v, l);
    let diff_fmt = |i: usize, v: f64| {
        s.differences.get(i).and_then(|d| d.from_column).map_or_else(|| format::auto(v, false, l), |c| col_value(&s.columns[c], v, l))
    };
    let line = |keys: Vec<String>, gr: &crate::profile::analysis::Group| {
        let mut cells = keys;
        cells.push(format::count(gr.count, l));
        cells.extend(gr.sums.iter().enumerate().map(|(i, v)| fmt_sum(i, *v)));
        cells.extend(gr.differences.iter().enumerate().filter(|(i, _)| s.differences[*i].is_defined()).map(|(i, v)| diff_fmt(i, *v)));
        cells.extend(gr.ratios.iter().enumerate().filter(|(i, _)| s.ratios[*i].is_defined()).map(|(_, r)| r.map_or_else(|| "—".into(), |v| format::percent(v, l))));
        format!("| {} |\n", cells.join(" | "))
    };
    for gr in g.groups.iter().take(o.max_groups) {
        out.push_str(&line(gr.keys.iter().map(|k| value_text(k, l, o.cell_chars)).collect(), gr));
    }
    let mut total_keys = vec![w.total_line.to_string()];
    total_keys.resize(g.by.len(), String::new());
    out.push_str(&line(total_keys, &g.total));
    let hidden = g.groups.len().saturating_sub(o.max_groups);
    if hidden > 0 || g.truncated {
        let _ = writeln!(out, "({} {hidden} {})", w.and_more, w.others);
    }
}

/// The report of `katib sheet profile`: the fact sheet with wider limits, role confidences and
/// warnings.
pub fn render_text(profile: &Profile, lang: Lang) -> String {
    fact_sheet(profile, &FactOptions::report(lang))
}
