//! Which column fills which field of the template. A field's source is a [`Pattern`]: a column
//! ("Nom"), or columns and text ("{Civilité} {Prénom} {Nom}\n{Qualité}", one letter's addressee
//! block from three columns). Sources come, in this order of precedence, from the user
//! (`--map FIELD=COLUMN`, the window's choice), from what was remembered for the template (a
//! small JSON per template in the config folder, written after a merge starts), and from the
//! headers: a column named like the field, its label (French, Arabic or English) or a usual
//! synonym of its part of the letter, accents, case and Arabic letter forms ignored.
//!
//! Fields given for every letter (`--set`) take no column. Not here: what a row's values make
//! of a letter ([`crate::plan`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use katib_core::templates::{FieldType, Part, Template};
use serde::{Deserialize, Serialize};

use crate::error::{MergeError, Result};
use crate::table::{Column, Row, Table, Value};
use crate::text::fold_key;

/// A piece of a field's source.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Piece {
    Text(String),
    /// An index into [`Table::columns`].
    Column(usize),
}

/// Text and columns: what a field holds for one row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pattern {
    pub pieces: Vec<Piece>,
}

impl Pattern {
    pub fn column(index: usize) -> Pattern {
        Pattern { pieces: vec![Piece::Column(index)] }
    }

    /// Parses a source as the user writes it: a column's header or letter ("Nom", "C"), or text
    /// with columns in braces ("{Civilité} {Nom}"); `\n` (backslash, n) is a line break.
    pub fn parse(spec: &str, table: &Table) -> Result<Pattern> {
        let bad = |reason: String| MergeError::BadMapping { spec: spec.to_string(), reason };
        let find = |name: &str| -> Result<usize> {
            match table.find(name)? {
                Some(c) => Ok(table.columns.iter().position(|x| x.index == c.index).unwrap_or(0)),
                None => Err(bad(format!("no column '{}' in the sheet (columns: {})", name.trim(), table.headers().join(", ")))),
            }
        };
        if !spec.contains('{') {
            return Ok(Pattern::column(find(spec)?));
        }
        let spec_text = spec.replace("\\n", "\n");
        let mut pieces = Vec::new();
        let mut rest = spec_text.as_str();
        while let Some(open) = rest.find('{') {
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_string()));
            }
            let close = rest[open..].find('}').ok_or_else(|| bad("a '{' is not closed".into()))? + open;
            let name = &rest[open + 1..close];
            if name.trim().is_empty() {
                return Err(bad("'{}' names no column".into()));
            }
            pieces.push(Piece::Column(find(name)?));
            rest = &rest[close + 1..];
        }
        if rest.contains('}') {
            return Err(bad("a '}' has no opening '{'".into()));
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        if !pieces.iter().any(|p| matches!(p, Piece::Column(_))) {
            return Err(bad("it names no column".into()));
        }
        Ok(Pattern { pieces })
    }

    /// As the user would write it, with the sheet's headers: "{Civilité} {Nom}" (a single column:
    /// its header alone). Line breaks are written `\n`.
    pub fn describe(&self, table: &Table) -> String {
        if let [Piece::Column(i)] = self.pieces.as_slice() {
            return table.columns[*i].header.clone();
        }
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.replace('\n', "\\n"),
                Piece::Column(i) => format!("{{{}}}", table.columns[*i].header),
            })
            .collect()
    }

    /// The columns it reads.
    pub fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Column(i) => Some(*i),
            Piece::Text(_) => None,
        })
    }

    /// The field's value for `row`, and the columns whose cells are in error. Blank cells give
    /// empty text; lines left empty by them are dropped, spaces around them trimmed.
    pub fn value(&self, row: &Row) -> (String, Vec<usize>) {
        let mut out = String::new();
        let mut errors = Vec::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Column(i) => match &row.values[*i] {
                    Value::Text(t) => out.push_str(t),
                    Value::Empty => {}
                    Value::Error(_) => errors.push(*i),
                },
            }
        }
        let lines: Vec<&str> = out.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        (lines.join("\n"), errors)
    }
}

/// Where a field's source came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Found from the headers.
    Auto,
    /// Remembered from an earlier merge of this template.
    Remembered,
    /// Given by the user.
    Explicit,
}

/// One field filled from the sheet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldSource {
    pub field: String,
    pub pattern: Pattern,
    pub origin: Origin,
}

/// The fields filled from the sheet, in the template's field order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Mapping {
    pub fields: Vec<FieldSource>,
}

impl Mapping {
    pub fn get(&self, field: &str) -> Option<&FieldSource> {
        self.fields.iter().find(|f| f.field == field)
    }

    /// Field -> source as written (what is remembered, and what the journal compares).
    pub fn describe(&self, table: &Table) -> BTreeMap<String, String> {
        self.fields.iter().map(|f| (f.field.clone(), f.pattern.describe(table))).collect()
    }
}

/// Usual headers of a letter's parts besides the field's own name and labels (folded).
fn synonyms(part: Part) -> &'static [&'static str] {
    match part {
        Part::Destinataire => &[
            "destinataire",
            "destinataires",
            "nom complet",
            "nom et prenom",
            "prenom et nom",
            "adresse du destinataire",
            "المرسل اليه",
            "الاسم الكامل",
        ],
        Part::Reference => &["numero", "n", "no", "n d envoi", "numero d envoi", "رقم", "رقم الارسال"],
        Part::Ref => &["reference", "votre lettre", "المرجع"],
        Part::Objet => &["objet", "الموضوع"],
        Part::Ville => &["ville", "المدينه"],
        Part::Date => &["date de la lettre", "تاريخ الرساله"],
        Part::PiecesJointes => &["pieces jointes", "pj", "المرفقات"],
        Part::Copies => &["copie a", "copies", "نسخه الي"],
        Part::SousCouvert => &["sous couvert", "s c", "عن طريق"],
        _ => &[],
    }
}

/// The keys a column may have to fill `field`, best first.
fn keys(tpl: &Template, field: &katib_core::templates::Field) -> Vec<String> {
    let mut k = vec![fold_key(&field.name), fold_key(&field.label.fr)];
    k.extend(field.label.ar.iter().map(|s| fold_key(s)));
    k.extend(field.label.en.iter().map(|s| fold_key(s)));
    if let Some(part) = Part::ALL.iter().copied().find(|p| tpl.part_field(*p) == Some(field.name.as_str())) {
        k.extend(synonyms(part).iter().map(|s| fold_key(s)));
    }
    let mut seen = std::collections::HashSet::new();
    k.retain(|x| !x.is_empty() && seen.insert(x.clone()));
    k
}

/// The mapping of `tpl`'s fields to `table`'s columns. `explicit`: field -> source from the
/// user; `remembered`: the same from an earlier merge; `common`: the fields given for every
/// letter (never mapped). Warnings say what was remembered and could not be used.
pub fn map(
    tpl: &Template,
    table: &Table,
    explicit: &BTreeMap<String, String>,
    remembered: &BTreeMap<String, String>,
    common: &BTreeMap<String, String>,
) -> Result<(Mapping, Vec<String>)> {
    let known = || tpl.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ");
    for (field, spec) in explicit {
        let Some(f) = tpl.field(field) else {
            return Err(MergeError::UnknownField { template: tpl.id.clone(), field: field.clone(), known: known() });
        };
        if f.kind == FieldType::File {
            return Err(MergeError::FileField { template: tpl.id.clone(), field: field.clone() });
        }
        if common.contains_key(field) {
            return Err(MergeError::BadMapping {
                spec: format!("{field}={spec}"),
                reason: format!("'{field}' is also given for every letter (--set): keep one of the two"),
            });
        }
    }
    let mut warnings = Vec::new();
    let mut fields = Vec::new();
    for f in &tpl.fields {
        if f.kind == FieldType::File || common.contains_key(&f.name) {
            continue;
        }
        if let Some(spec) = explicit.get(&f.name) {
            // A single column that is not there: said with the field it was meant for.
            if !spec.contains('{') && table.find(spec)?.is_none() {
                return Err(MergeError::UnknownColumn {
                    path: table.path.clone(),
                    field: f.name.clone(),
                    column: spec.trim().to_string(),
                    available: table.headers(),
                });
            }
            let pattern = Pattern::parse(spec, table)?;
            fields.push(FieldSource { field: f.name.clone(), pattern, origin: Origin::Explicit });
            continue;
        }
        if let Some(spec) = remembered.get(&f.name) {
            match Pattern::parse(spec, table) {
                Ok(pattern) => {
                    fields.push(FieldSource { field: f.name.clone(), pattern, origin: Origin::Remembered });
                    continue;
                }
                Err(_) => warnings.push(format!("the column remembered for '{}' ({spec}) is not in this sheet: guessed again", f.name)),
            }
        }
        for key in keys(tpl, f) {
            let named: Vec<&Column> = table.columns_named(&key);
            match named.as_slice() {
                [] => continue,
                [one] => {
                    let i = table.columns.iter().position(|c| c.index == one.index).unwrap_or(0);
                    fields.push(FieldSource { field: f.name.clone(), pattern: Pattern::column(i), origin: Origin::Auto });
                }
                many => {
                    return Err(MergeError::DuplicateColumn {
                        path: table.path.clone(),
                        name: many[0].header.clone(),
                        letters: many.iter().map(|c| c.letter.clone()).collect(),
                    })
                }
            }
            break;
        }
    }
    Ok((Mapping { fields }, warnings))
}

/// What is remembered for a template: field -> source as written.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Remembered {
    template: String,
    map: BTreeMap<String, String>,
}

/// `<config>/merge/<template>.json`.
pub fn remembered_path(config_dir: &Path, template: &str) -> PathBuf {
    let safe: String = template.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    config_dir.join("merge").join(format!("{safe}.json"))
}

/// The mapping remembered for `template` (empty when none, or unreadable: a remembered mapping
/// is a convenience, never a reason to fail).
pub fn recall(config_dir: &Path, template: &str) -> BTreeMap<String, String> {
    let path = remembered_path(config_dir, template);
    std::fs::read_to_string(&path)
        .ok()
        .and_then(|s| serde_json::from_str::<Remembered>(&s).ok())
        .filter(|r| r.template == template)
        .map(|r| r.map)
        .unwrap_or_default()
}

/// Remembers `map` (field -> source as written) for `template`, atomically.
pub fn remember(config_dir: &Path, template: &str, map: &BTreeMap<String, String>) -> Result<()> {
    let path = remembered_path(config_dir, template);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| MergeError::io(dir, e))?;
    }
    let body = serde_json::to_string_pretty(&Remembered { template: template.to_string(), map: map.clone() }).map_err(|e| MergeError::io(&path, e))?;
    katib_core::fsutil::write_atomic(&path, body.as_bytes(), true).map_err(|e| MergeError::io(&path, e))
}
