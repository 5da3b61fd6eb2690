//! "One draft, exact merge": the model drafts the letter once, with merge fields written
//! `{{nom}}` where each letter differs; the official reads, corrects and approves that draft; then
//! every row is filled in locally, with no further model call: a name or an amount in a letter is
//! the sheet's, never the model's.
//!
//! Here: the request for the draft (the template rendered with the merge fields in place of the
//! values that vary, and an instruction in the letter's language listing them), the approved
//! draft read back (its merge fields checked against the fields and columns), and the body of one
//! row's letter. A value goes into the body as the literal text it is (Markdown characters
//! escaped), on one line, a date in words.

use std::ops::Range;

use katib_core::export::place_and_date;
use katib_core::templates::{FieldType, Template};
use katib_core::Lang;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{MergeError, Result};
use crate::mapping::Mapping;
use crate::table::{Row, Table, Value};
use crate::text::{escape_markdown, fold_key, one_line, placeholders};

/// What a merge field of a draft stands for.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum Slot {
    /// A template field (its value for the row, mapped or given for all letters).
    Field(String),
    /// A column of the sheet that fills no field (index into the table's columns).
    Column(usize),
}

/// A merge field the draft may use, for the instruction and the window's list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MergeField {
    /// As written in the draft, without braces: `destinataire`, `civilite`.
    pub name: String,
    /// What it is: the field's label, or « colonne Civilité ».
    pub label: String,
    pub slot: Slot,
}

/// The merge fields of a merge: the fields filled from the sheet, then every column of the sheet,
/// named by its folded header with `_` for spaces (a column named like a field is that field).
pub fn merge_fields(tpl: &Template, table: &Table, mapping: &Mapping, lang: Lang) -> Vec<MergeField> {
    let mut out = Vec::new();
    for src in &mapping.fields {
        let label = tpl.field(&src.field).map(|f| f.label.get(lang).to_string()).unwrap_or_default();
        out.push(MergeField { name: src.field.clone(), label, slot: Slot::Field(src.field.clone()) });
    }
    for (i, c) in table.columns.iter().enumerate() {
        let name = c.key.replace(' ', "_");
        if name.is_empty() || out.iter().any(|m| m.name == name) {
            continue;
        }
        let label = match lang {
            Lang::Ar => format!("العمود «{}»", c.header),
            Lang::Fr => format!("colonne « {} »", c.header),
            Lang::En => format!("column \"{}\"", c.header),
        };
        out.push(MergeField { name, label, slot: Slot::Column(i) });
    }
    out
}

/// The sentences added to the draft request, in the letter's language, listing the merge fields.
pub fn instruction(fields: &[MergeField], lang: Lang) -> String {
    let list: Vec<String> = fields.iter().map(|f| format!("- {{{{{}}}}} : {}", f.name, f.label)).collect();
    match lang {
        Lang::Ar => format!(
            "## المراسلة الجماعية\nستوجه هذه الرسالة إلى عدة مرسل إليهم بصيغة واحدة. العناصر الخاصة بكل مرسل إليه حقول دمج يعوضها البرنامج بعد ذلك رسالة برسالة. اكتبها بالشكل المبين أدناه حرفيا، بين معقوفتين مزدوجتين، حيث تحتاجها الرسالة، دون تعويضها ودون اختلاق أي اسم أو مبلغ أو تاريخ:\n{}\nولا تستعمل أي حقل آخر بين معقوفتين.",
            list.join("\n")
        ),
        Lang::Fr => format!(
            "## Publipostage\nCette lettre sera adressée à plusieurs destinataires : une seule rédaction sert pour tous. Les éléments propres à chaque destinataire sont des champs de fusion, que Katib remplace ensuite lettre par lettre. Écrivez-les exactement sous la forme indiquée, accolades comprises, là où la lettre en a besoin, sans les remplacer ni inventer de nom, de montant ou de date :\n{}\nN'utilisez aucun autre champ entre accolades.",
            list.join("\n")
        ),
        Lang::En => format!(
            "## Mail merge\nThis letter goes to several addressees with one wording. What differs from one addressee to the next are merge fields, which Katib fills in letter by letter. Write them exactly as shown, braces included, where the letter needs them, without replacing them or inventing any name, amount or date:\n{}\nUse no other field in braces.",
            list.join("\n")
        ),
    }
}

/// The first line Katib writes at the top of a draft it saves, naming the run that wrote it.
const MARK: &str = "<!-- katib:";

/// `text` as saved for the official: a first line naming the run (an HTML comment, invisible in
/// Markdown viewers and dropped when the draft is read back), then the draft.
pub fn saved_text(text: &str, run_id: Option<&str>) -> String {
    match run_id {
        Some(id) => format!("{MARK} brouillon de publipostage, exécution {id} -->\n{}", text.trim_start()),
        None => text.to_string(),
    }
}

/// An approved draft, its merge fields resolved.
#[derive(Clone, Debug)]
pub struct Draft {
    /// The Markdown, without Katib's first line.
    pub text: String,
    /// The run that wrote it, when Katib's first line says so.
    pub run_id: Option<String>,
    /// SHA-256 of `text`.
    pub hash: String,
    /// Each merge field occurrence, in order.
    pub uses: Vec<(Range<usize>, Slot)>,
}

impl Draft {
    /// Reads an approved draft: every `{{name}}` must be a merge field (accents and case
    /// ignored); a name that is not is an error listing the ones that are.
    pub fn parse(raw: &str, fields: &[MergeField], tpl: &Template, path: &std::path::Path) -> Result<Draft> {
        let (text, run_id) = match raw.trim_start().strip_prefix(MARK) {
            Some(rest) => {
                let (line, body) = rest.split_once('\n').unwrap_or((rest, ""));
                let id = line.split_whitespace().find(|w| w.starts_with('R') && w.len() > 8 && w.contains('-')).map(|w| w.trim_end_matches("-->").to_string());
                (body.to_string(), id)
            }
            None => (raw.to_string(), None),
        };
        if text.trim().is_empty() {
            return Err(MergeError::DraftEmpty { path: path.into() });
        }
        let mut uses = Vec::new();
        let mut unknown = Vec::new();
        for p in placeholders(&text) {
            let key = fold_key(&p.name);
            let slot = fields
                .iter()
                .find(|f| fold_key(&f.name) == key)
                .map(|f| f.slot.clone())
                // A field given for every letter may be used too: it is the same in each.
                .or_else(|| tpl.fields.iter().find(|f| fold_key(&f.name) == key).map(|f| Slot::Field(f.name.clone())));
            match slot {
                Some(s) => uses.push((p.span, s)),
                None => {
                    let shown = format!("{{{{{}}}}}", p.name);
                    if !unknown.contains(&shown) {
                        unknown.push(shown)
                    }
                }
            }
        }
        if !unknown.is_empty() {
            return Err(MergeError::DraftPlaceholders { unknown, known: fields.iter().map(|f| format!("{{{{{}}}}}", f.name)).collect() });
        }
        let hash = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        Ok(Draft { text, run_id, hash, uses })
    }

    /// The slots the draft uses (each once).
    pub fn slots(&self) -> Vec<&Slot> {
        let mut out: Vec<&Slot> = Vec::new();
        for (_, s) in &self.uses {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    /// The body of one letter: each merge field replaced by `value(slot)` made Markdown-literal.
    pub fn fill(&self, mut value: impl FnMut(&Slot) -> String) -> String {
        let mut out = String::with_capacity(self.text.len() + 256);
        let mut at = 0;
        for (span, slot) in &self.uses {
            out.push_str(&self.text[at..span.start]);
            out.push_str(&escape_markdown(&value(slot)));
            at = span.end;
        }
        out.push_str(&self.text[at..]);
        out
    }
}

/// What a merge field shows in a row's letter (before Markdown escaping): the field's value or
/// the cell's text on one line; a date field or a column of dates in words ("24 novembre 2026").
pub fn slot_text(slot: &Slot, tpl: &Template, table: &Table, row: &Row, values: &std::collections::BTreeMap<String, String>, lang: Lang) -> String {
    match slot {
        Slot::Field(f) => {
            let v = values.get(f).map(String::as_str).unwrap_or("");
            let is_date = tpl.field(f).is_some_and(|f| f.kind == FieldType::Date);
            if is_date {
                date_words(v, lang)
            } else {
                one_line(v)
            }
        }
        Slot::Column(i) => match row.values.get(*i) {
            Some(Value::Text(t)) if table.columns[*i].dates => date_words(t, lang),
            Some(Value::Text(t)) => one_line(t),
            _ => String::new(),
        },
    }
}

/// "24 novembre 2026" / «24 نونبر 2026» for "2026-11-24"; anything else as it is.
fn date_words(iso: &str, lang: Lang) -> String {
    let v = iso.trim();
    if v.len() != 10 || v.as_bytes()[4] != b'-' {
        return one_line(v);
    }
    let words = place_and_date(None, v, lang);
    words.strip_prefix("Le ").unwrap_or(&words).to_string()
}
