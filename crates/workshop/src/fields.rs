//! A template's fields as a form: the template editor shows each `[[fields]]` entry of the
//! front matter (name, type, label, help, options, required, default) as a small form, and a
//! change of that form rewrites that entry alone ([`set`], [`remove`]), or moves it whole
//! ([`move_to`]): the rest of the file (the system prompt, comments, other tables, the body)
//! stays exactly as written.
//!
//! Keys this form does not manage (`personal`, `accept`, `show_when`, a default given per
//! language...) are kept as they are and listed in [`FieldSpec::other`], so that the editor can
//! say they exist. Whether the template as a whole is valid is [`crate::editor::analyze`]'s
//! job, on the text this returns.

use std::collections::HashMap;

use katib_core::Localized;
use serde::{Deserialize, Serialize};
use toml_edit::{Array, Document, InlineTable, Item, Table, Value};

use crate::error::{Result, WorkshopError};

/// The field types a template may declare (core's `FieldType`, as written in a template).
pub const TYPES: &[&str] = &["text", "textarea", "select", "date", "number", "file", "signatory"];

/// One option of a select field.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct OptionSpec {
    pub value: String,
    pub label: Localized,
}

/// One `[[fields]]` entry as the editor's form shows it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct FieldSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub required: bool,
    pub label: Localized,
    pub help: Option<Localized>,
    /// A default written as one text (a default per language is in `other`).
    pub default: Option<String>,
    pub options: Vec<OptionSpec>,
    /// Keys of the entry this form leaves as written.
    #[serde(skip_deserializing)]
    pub other: Vec<String>,
}

const MANAGED: &[&str] = &["name", "type", "required", "label", "help", "default", "options"];

/// The front matter of `text` (between the `+++` lines) and where it sits.
fn split(text: &str) -> Result<(usize, usize)> {
    let bad = |m: &str| WorkshopError::Template { path: "(modèle)".into(), line: 1, message: m.into() };
    let first = text.split_inclusive('\n').next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(bad("a template starts with a line +++, its settings, then another line +++"));
    }
    let start = first.len();
    let mut at = start;
    for l in text[start..].split_inclusive('\n') {
        if l.trim_end() == "+++" {
            return Ok((start, at));
        }
        at += l.len();
    }
    Err(bad("the settings are not closed: add a line +++ before the prompt's text"))
}

fn parse(text: &str) -> Result<(Document, usize, usize)> {
    let (start, end) = split(text)?;
    let doc: Document = text[start..end].parse().map_err(|e: toml_edit::TomlError| WorkshopError::Template {
        path: "(modèle)".into(),
        line: e.span().map(|s| crate::text::line_of(&text[start..end], s.start) + 1).unwrap_or(1),
        message: e.message().trim().to_string(),
    })?;
    Ok((doc, start, end))
}

fn localized(item: Option<&Item>) -> Option<Localized> {
    let v = item?;
    let get = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    if let Some(s) = v.as_str() {
        return Some(Localized::new(s));
    }
    Some(Localized { fr: get("fr")?, ar: get("ar"), en: get("en") })
}

/// The fields of the template `text`, in order.
pub fn list(text: &str) -> Result<Vec<FieldSpec>> {
    let (doc, _, _) = parse(text)?;
    let Some(aot) = doc.get("fields").and_then(|f| f.as_array_of_tables()) else { return Ok(Vec::new()) };
    Ok(aot
        .iter()
        .map(|t| {
            let s = |k: &str| t.get(k).and_then(|x| x.as_str()).map(str::to_string);
            let default = t.get("default").and_then(|d| d.as_str().map(str::to_string).or_else(|| d.as_integer().map(|n| n.to_string())));
            let options = t
                .get("options")
                .and_then(|o| o.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|o| match o {
                            Value::String(s) => Some(OptionSpec { value: s.value().clone(), label: Localized::new(s.value().clone()) }),
                            Value::InlineTable(it) => {
                                let value = it.get("value").and_then(|v| v.as_str())?.to_string();
                                let label = match it.get("label") {
                                    Some(Value::String(s)) => Localized::new(s.value().clone()),
                                    Some(Value::InlineTable(l)) => {
                                        let g = |k: &str| l.get(k).and_then(|x| x.as_str()).map(str::to_string);
                                        Localized { fr: g("fr").unwrap_or_else(|| value.clone()), ar: g("ar"), en: g("en") }
                                    }
                                    _ => Localized::new(value.clone()),
                                };
                                Some(OptionSpec { value, label })
                            }
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut other: Vec<String> = t.iter().map(|(k, _)| k.to_string()).filter(|k| !MANAGED.contains(&k.as_str())).collect();
            if t.get("default").is_some() && default.is_none() {
                other.push("default".into());
            }
            FieldSpec {
                name: s("name").unwrap_or_default(),
                kind: s("type").unwrap_or_else(|| "text".into()),
                required: t.get("required").and_then(|r| r.as_bool()).unwrap_or(false),
                label: localized(t.get("label")).unwrap_or_default(),
                help: localized(t.get("help")),
                default,
                options,
                other,
            }
        })
        .collect())
}

fn loc_value(l: &Localized) -> Value {
    let mut t = InlineTable::new();
    t.insert("fr", l.fr.trim().into());
    for (k, v) in [("ar", &l.ar), ("en", &l.en)] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            t.insert(k, v.into());
        }
    }
    Value::InlineTable(t)
}

fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_ascii_lowercase() || f == '_') && c.all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || x == '_')
}

/// Checks a field as the form gives it, against the other fields of the template.
fn check(spec: &FieldSpec, others: &[FieldSpec]) -> Result<()> {
    let refuse = |code: &'static str, message: String| Err(WorkshopError::Field { code, name: spec.name.clone(), message });
    if !is_name(&spec.name) {
        return refuse("field.bad_name", format!("field name '{}': lower-case letters, digits and _ only, starting with a letter (it is the variable {{{{ {} }}}})", spec.name, spec.name));
    }
    if others.iter().any(|o| o.name == spec.name) {
        return refuse("field.duplicate", format!("the template has a field '{}' already", spec.name));
    }
    if !TYPES.contains(&spec.kind.as_str()) {
        return refuse("field.bad_type", format!("field type '{}': one of {}", spec.kind, TYPES.join(", ")));
    }
    if spec.label.fr.trim().is_empty() {
        return refuse("field.no_label", format!("field '{}' needs a label (in French at least)", spec.name));
    }
    if spec.kind == "select" && spec.options.iter().all(|o| o.value.trim().is_empty()) {
        return refuse("field.no_options", format!("the list '{}' needs options (a value and a label each)", spec.name));
    }
    Ok(())
}

/// Writes `spec` as field number `index` of the template `text` (None: a new field at the end)
/// and returns the new text; only that `[[fields]]` entry changes.
pub fn set(text: &str, index: Option<usize>, spec: &FieldSpec) -> Result<String> {
    let (mut doc, start, end) = parse(text)?;
    let all = list(text)?;
    if let Some(i) = index.filter(|&i| i >= all.len()) {
        return Err(bad_index(i, all.len()));
    }
    let others: Vec<FieldSpec> = all.iter().enumerate().filter(|(i, _)| Some(*i) != index).map(|(_, f)| f.clone()).collect();
    check(spec, &others)?;
    if !doc.contains_key("fields") {
        doc.insert("fields", Item::ArrayOfTables(Default::default()));
    }
    let aot = doc["fields"].as_array_of_tables_mut().ok_or_else(|| WorkshopError::Usage("'fields' is not a list of [[fields]] entries".into()))?;
    let t: &mut Table = match index {
        Some(i) => {
            let n = aot.len();
            aot.get_mut(i).ok_or_else(|| bad_index(i, n))?
        }
        None => {
            aot.push(Table::new());
            let n = aot.len() - 1;
            aot.get_mut(n).expect("just pushed")
        }
    };
    t["name"] = toml_edit::value(spec.name.trim());
    t["type"] = toml_edit::value(spec.kind.as_str());
    if spec.required {
        t["required"] = toml_edit::value(true);
    } else {
        t.remove("required");
    }
    // A default given per language stays as written unless the form sets one.
    let default_is_text = t.get("default").is_none_or(|d| d.as_str().is_some() || d.as_integer().is_some());
    match spec.default.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => t["default"] = toml_edit::value(d),
        None if default_is_text => {
            t.remove("default");
        }
        None => {}
    }
    if spec.kind == "select" {
        let mut arr = Array::new();
        for o in spec.options.iter().filter(|o| !o.value.trim().is_empty()) {
            let mut it = InlineTable::new();
            it.insert("value", o.value.trim().into());
            let label = if o.label.fr.trim().is_empty() { Localized::new(o.value.trim()) } else { o.label.clone() };
            it.insert("label", loc_value(&label));
            let mut v = Value::InlineTable(it);
            v.decor_mut().set_prefix("\n  ");
            arr.push_formatted(v);
        }
        arr.set_trailing_comma(true);
        arr.set_trailing("\n");
        t["options"] = toml_edit::value(arr);
    } else {
        t.remove("options");
    }
    t["label"] = toml_edit::value(loc_value(&spec.label));
    match spec.help.as_ref().filter(|h| !h.fr.trim().is_empty()) {
        Some(h) => t["help"] = toml_edit::value(loc_value(h)),
        None => {
            t.remove("help");
        }
    }
    Ok(format!("{}{}{}", &text[..start], doc, &text[end..]))
}

/// Removes field number `index` of the template `text`.
pub fn remove(text: &str, index: usize) -> Result<String> {
    let (mut doc, start, end) = parse(text)?;
    let aot = doc.get_mut("fields").and_then(|f| f.as_array_of_tables_mut()).ok_or_else(|| bad_index(index, 0))?;
    if index >= aot.len() {
        return Err(bad_index(index, aot.len()));
    }
    aot.remove(index);
    Ok(format!("{}{}{}", &text[..start], doc, &text[end..]))
}

/// Every `[[fields]]` entry of `text` as plain values, all its keys and the tables under it.
fn entries(text: &str) -> Result<Vec<toml::Value>> {
    let (start, end) = split(text)?;
    let all: toml::Table = toml::from_str(&text[start..end]).map_err(|e| WorkshopError::Usage(format!("the template's settings no longer read: {e}")))?;
    Ok(all.get("fields").and_then(|f| f.as_array()).cloned().unwrap_or_default())
}

/// Field number `index` does not exist in a template of `count` fields: the form and the text
/// no longer agree (the text was changed meanwhile).
fn bad_index(index: usize, count: usize) -> WorkshopError {
    WorkshopError::Field {
        code: "field.bad_index",
        name: String::new(),
        message: format!("no field number {} (the template has {count}): the list of fields is out of date, show it again from the text", index + 1),
    }
}

/// The positions (order in the written file) of `t` and of the tables written under it
/// (`[fields.required_when]`...).
fn positions(t: &Table, out: &mut Vec<usize>) {
    if !t.is_dotted() {
        out.extend(t.position());
    }
    for (_, item) in t.iter() {
        match item {
            Item::Table(t) => positions(t, out),
            Item::ArrayOfTables(a) => a.iter().for_each(|t| positions(t, out)),
            _ => {}
        }
    }
}

fn set_positions(t: &mut Table, new: &HashMap<usize, usize>) {
    if let Some(p) = t.position().filter(|_| !t.is_dotted()).and_then(|p| new.get(&p)) {
        t.set_position(*p);
    }
    for (_, item) in t.iter_mut() {
        match item {
            Item::Table(t) => set_positions(t, new),
            Item::ArrayOfTables(a) => a.iter_mut().for_each(|t| set_positions(t, new)),
            _ => {}
        }
    }
}

/// Moves field number `from` of the template `text` to number `to` (both counted from 0, `to`
/// in the new order) and returns the new text. The entry moves whole, as written: its keys
/// (those the form does not manage too), its comments, the tables written under it; the other
/// entries keep their order and everything else stays byte for byte (but for a table written
/// between an entry and a table of its own, legal and rare, which keeps its place among them).
pub fn move_to(text: &str, from: usize, to: usize) -> Result<String> {
    let (mut doc, start, end) = parse(text)?;
    let before = list(text)?;
    for i in [from, to] {
        if i >= before.len() {
            return Err(bad_index(i, before.len()));
        }
    }
    if from == to {
        return Ok(text.to_string());
    }
    let aot = doc["fields"].as_array_of_tables_mut().ok_or_else(|| WorkshopError::Usage("'fields' is not a list of [[fields]] entries".into()))?;
    // toml_edit writes the tables of a document in the order of their positions, not of the
    // list: the entries' positions are given out again, in the new order, over the same places.
    let groups: Vec<Vec<usize>> = aot
        .iter()
        .map(|t| {
            let mut p = Vec::new();
            positions(t, &mut p);
            p.sort_unstable();
            p
        })
        .collect();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    let moved = order.remove(from);
    order.insert(to, moved);
    let mut places: Vec<usize> = groups.concat();
    places.sort_unstable();
    let new: HashMap<usize, usize> = order.iter().flat_map(|&g| &groups[g]).copied().zip(places).collect();
    let mut tables: Vec<Table> = aot.iter().cloned().collect();
    let t = tables.remove(from);
    tables.insert(to, t);
    aot.clear();
    for mut t in tables {
        set_positions(&mut t, &new);
        aot.push(t);
    }
    let out = format!("{}{}{}", &text[..start], doc, &text[end..]);
    // Each entry must come back with all its own settings (the tables under it included): should
    // a layout of the file not foreseen here defeat the positions above, refuse rather than give
    // a field another's settings.
    let mut expected = entries(text)?;
    let f = expected.remove(from);
    expected.insert(to, f);
    if entries(&out)? != expected {
        let name = &before[from].name;
        return Err(WorkshopError::Field {
            code: "field.cannot_move",
            name: name.clone(),
            message: format!("field '{name}' cannot be moved by the form in this file's layout: move its [[fields]] entry by hand in the text"),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "+++\n# Réglages du modèle\nid = \"essai\"\nversion = 1\ncategory = \"letter\"\noutput = \"letter\"\nexport = \"docx\"\nlanguage = \"field:langue\"\ntitle = { fr = \"Essai\" }\ndescription = { fr = \"Un essai\" }\nsystem = \"\"\"\nVous êtes un rédacteur.\"\"\"\n\n[[fields]]\nname = \"objet\"\ntype = \"text\"\nrequired = true\nlabel = { fr = \"Objet\", ar = \"الموضوع\" }\npersonal = \"nom\"\n\n[[fields]]\nname = \"langue\"\ntype = \"select\"\ndefault = \"fr\"\noptions = [{ value = \"fr\", label = { fr = \"Français\" } }, \"ar\"]\nlabel = { fr = \"Langue\" }\n+++\nObjet : {{ objet }}\n";

    #[test]
    fn fields_are_read_as_a_form() {
        let f = list(T).unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!((f[0].name.as_str(), f[0].kind.as_str(), f[0].required), ("objet", "text", true));
        assert_eq!(f[0].label.ar.as_deref(), Some("الموضوع"));
        assert_eq!(f[0].other, ["personal"]);
        assert_eq!(f[1].default.as_deref(), Some("fr"));
        assert_eq!(f[1].options.iter().map(|o| o.value.as_str()).collect::<Vec<_>>(), ["fr", "ar"]);
    }

    #[test]
    fn a_change_rewrites_one_entry_and_keeps_the_rest() {
        let mut f = list(T).unwrap()[0].clone();
        f.label = Localized { fr: "Objet de la lettre".into(), ar: Some("موضوع الرسالة".into()), en: None };
        f.help = Some(Localized::new("En une ligne."));
        let out = set(T, Some(0), &f).unwrap();
        assert!(out.starts_with("+++\n# Réglages du modèle\n") && out.ends_with("+++\nObjet : {{ objet }}\n"), "{out}");
        assert!(out.contains("personal = \"nom\""), "unmanaged keys kept: {out}");
        assert!(out.contains("Vous êtes un rédacteur."));
        let t = katib_core::templates::Template::parse(&out, std::path::Path::new("essai.md")).unwrap();
        assert_eq!(t.fields[0].label.fr, "Objet de la lettre");
        assert_eq!(t.fields[0].help.as_ref().unwrap().fr, "En une ligne.");
        assert_eq!(t.fields[1].name, "langue", "the other entry is untouched");
        // A new select field at the end, then removed again.
        let new = FieldSpec {
            name: "nature".into(),
            kind: "select".into(),
            label: Localized::new("Nature"),
            options: vec![OptionSpec { value: "favorable".into(), label: Localized::new("Favorable") }, OptionSpec { value: "refus".into(), label: Localized::new("Refus") }],
            ..Default::default()
        };
        let added = set(&out, None, &new).unwrap();
        let t = katib_core::templates::Template::parse(&added, std::path::Path::new("essai.md")).unwrap();
        assert_eq!(t.fields[2].options.len(), 2);
        assert_eq!(remove(&added, 2).unwrap(), out);
    }

    #[test]
    fn bad_fields_are_refused_with_what_to_do() {
        let mut f = list(T).unwrap()[0].clone();
        f.name = "Objet du courrier".into();
        let e = set(T, Some(0), &f).unwrap_err();
        assert!(e.to_string().contains("lower-case letters") && e.code() == "field.bad_name", "{e}");
        f.name = "langue".into();
        let e = set(T, Some(0), &f).unwrap_err();
        assert!(e.to_string().contains("already") && e.code() == "field.duplicate", "{e}");
        f.name = "objet".into();
        f.kind = "liste".into();
        let e = set(T, Some(0), &f).unwrap_err();
        assert!(e.to_string().contains("one of text") && e.code() == "field.bad_type", "{e}");
        f.kind = "text".into();
        f.label = Localized::new(" ");
        assert_eq!(set(T, Some(0), &f).unwrap_err().code(), "field.no_label");
        f.label = Localized::new("Objet");
        f.kind = "select".into();
        f.options = vec![OptionSpec { value: " ".into(), label: Localized::new("Rien") }];
        assert_eq!(set(T, Some(0), &f).unwrap_err().code(), "field.no_options");
        assert!(list("pas de réglages").unwrap_err().to_string().contains("+++"));
    }

    /// Three fields, one with keys the form does not manage, one with a table written under it.
    const M: &str = "+++\n# Réglages du modèle\nid = \"essai\"\nversion = 1\ncategory = \"letter\"\noutput = \"letter\"\nexport = \"docx\"\nlanguage = \"fr\"\ntitle = { fr = \"Essai\" }\ndescription = { fr = \"Un essai\" }\nsystem = \"Vous êtes un rédacteur.\"\n\n[texts]\nrecours = { fr = \"Voies de recours.\" }\n\n[[fields]]\nname = \"nature\"\ntype = \"select\"\noptions = [\"favorable\", \"refus\"]\nlabel = { fr = \"Nature\" }\n\n# La pièce jointe, seulement pour un refus.\n[[fields]]\nname   = \"piece\"  # aligné à la main\ntype = \"file\"\naccept = [\"sheet\"]\npersonal = \"nom\"\nshow_when = { nature = [\"refus\"] }\nlabel = { fr = \"Pièce\", ar = \"الوثيقة\" }\n\n[[fields]]\nname = \"motif\"\ntype = \"textarea\"\nlabel = { fr = \"Motif\" }\n\n[fields.required_when]\nnature = [\"refus\"]\n+++\n{{ nature }} : {{ motif }}\n";

    /// The text of the `[[fields]]` entries (comments before each included), in order.
    fn chunks(text: &str) -> Vec<String> {
        let fm = &text[..text.rfind("\n+++\n").unwrap() + 1];
        let starts: Vec<usize> = fm.match_indices("\n\n").map(|(i, _)| i + 2).filter(|&i| fm[i..].starts_with("[[fields]]") || fm[i..].starts_with("# La pièce")).collect();
        starts.iter().enumerate().map(|(k, &i)| fm[i..starts.get(k + 1).map_or(fm.len(), |&j| j - 1)].to_string()).collect()
    }

    #[test]
    fn a_field_moves_whole_and_the_rest_stays_as_written() {
        let t = katib_core::templates::Template::parse(M, std::path::Path::new("essai.md")).unwrap();
        assert_eq!(t.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["nature", "piece", "motif"]);
        let entries = chunks(M);
        assert_eq!(entries.len(), 3, "{entries:?}");
        let head = &M[..M.find("\n# La pièce").unwrap()];
        let head = &head[..head.find("[[fields]]").unwrap()];
        for (from, to, order) in [(1, 2, [0, 2, 1]), (1, 0, [1, 0, 2]), (0, 2, [1, 2, 0]), (2, 0, [2, 0, 1])] {
            let out = move_to(M, from, to).unwrap();
            // The settings before the fields and the body, byte for byte.
            assert!(out.starts_with(head), "{from}->{to}: {out}");
            assert_eq!(out[out.rfind("\n+++\n").unwrap()..], M[M.rfind("\n+++\n").unwrap()..], "the body is untouched");
            // Each entry as written (its comment, its alignment, its keys), in the new order.
            assert_eq!(chunks(&out), order.map(|i| entries[i].clone()), "{from}->{to}: {out}");
            let t = katib_core::templates::Template::parse(&out, std::path::Path::new("essai.md")).unwrap();
            let names: Vec<&str> = t.fields.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(names, order.map(|i| ["nature", "piece", "motif"][i]), "{from}->{to}");
            let piece = t.fields.iter().find(|f| f.name == "piece").unwrap();
            assert!(piece.personal.is_some() && piece.show_when.is_some() && piece.label.ar.as_deref() == Some("الوثيقة"), "{piece:?}");
            let motif = t.fields.iter().find(|f| f.name == "motif").unwrap();
            assert_eq!(motif.required_when.as_ref().map(|c| c["nature"].clone()), Some(vec!["refus".to_string()]), "the table under motif moved with it");
            assert!(t.fields.iter().filter(|f| f.name != "motif").all(|f| f.required_when.is_none()));
            assert_eq!(list(&out).unwrap().iter().find(|f| f.name == "piece").unwrap().other, ["accept", "personal", "show_when"]);
            // And back: the text as it was.
            assert_eq!(move_to(&out, to, from).unwrap(), M, "{from}->{to} and back");
        }
        assert_eq!(move_to(M, 1, 1).unwrap(), M);
    }

    #[test]
    fn a_move_out_of_range_is_refused() {
        let e = move_to(M, 3, 0).unwrap_err();
        assert!(e.code() == "field.bad_index" && e.to_string().contains("no field number 4 (the template has 3)"), "{e}");
        assert_eq!(move_to(M, 0, 3).unwrap_err().code(), "field.bad_index");
        assert_eq!(remove(M, 3).unwrap_err().code(), "field.bad_index");
        assert_eq!(set(M, Some(3), &list(M).unwrap()[0]).unwrap_err().code(), "field.bad_index");
        let none = &M[..M.find("\n[[fields]]").unwrap()];
        assert_eq!(move_to(&format!("{none}\n+++\nCorps\n"), 0, 0).unwrap_err().code(), "field.bad_index");
        assert!(move_to("pas de réglages", 0, 1).unwrap_err().to_string().contains("+++"));
    }

    #[test]
    fn a_table_written_after_another_table_moves_with_its_entry() {
        // TOML gives `[fields.required_when]` to the last `[[fields]]` written before it, even
        // with `[texts]` in between: moved, it must still follow its own entry.
        let apart = M.replace("[texts]\nrecours = { fr = \"Voies de recours.\" }\n\n", "").replace("\n[fields.required_when]", "\n[texts]\nrecours = { fr = \"Voies de recours.\" }\n\n[fields.required_when]");
        let names = |t: &str| katib_core::templates::Template::parse(t, std::path::Path::new("essai.md")).unwrap().fields;
        assert!(names(&apart)[2].required_when.is_some());
        for (from, to) in [(2, 0), (0, 2), (1, 2)] {
            let out = move_to(&apart, from, to).unwrap();
            let f = names(&out);
            let motif = f.iter().find(|f| f.name == "motif").unwrap();
            assert!(motif.required_when.is_some() && f.iter().filter(|f| f.required_when.is_some()).count() == 1, "{from}->{to}: {out}");
            let mut want = entries(&apart).unwrap();
            let e = want.remove(from);
            want.insert(to, e);
            assert_eq!(entries(&out).unwrap(), want, "{from}->{to}: {out}");
            assert_eq!(toml::from_str::<toml::Table>(&out[4..out.rfind("+++").unwrap()]).unwrap()["texts"], toml::from_str::<toml::Table>(&apart[4..apart.rfind("+++").unwrap()]).unwrap()["texts"]);
        }
    }
}
