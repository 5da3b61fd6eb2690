//! From what the user typed and attached to a rendered prompt, in two stages:
//! [`resolve`] checks the inputs against the template (defaults in the output language, dates
//! normalised, selects checked, conditional fields, no file read yet), and [`render`] reads the
//! attached files and renders the prompt. Exports only need the first stage.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::Value;
use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::documents::{self, DocumentError, Limits};
use crate::kinds::FileKind;
use crate::providers::{ChatRequest, Message, Role};
use crate::templates::{Field, FieldType, Template, TemplateError};
use crate::{Lang, Result};

/// What the user typed and attached, by field name.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Inputs {
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    pub files: BTreeMap<String, PathBuf>,
    /// Sheet templates: column role -> the column chosen in the form (its header or letter);
    /// roles left out are guessed from the headers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub mapping: BTreeMap<String, String>,
}

impl Inputs {
    pub fn from_sample(s: &crate::samples::Sample) -> Inputs {
        Inputs { values: s.values.clone(), files: s.files.clone(), mapping: BTreeMap::new() }
    }
}

/// The inputs checked against a template: every active field's value as text (defaults applied
/// in the output language, dates as `YYYY-MM-DD`, numbers as typed), and the attached files.
/// Inactive fields (`show_when` false) are left out.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Resolved {
    pub template: String,
    pub language: Lang,
    pub values: BTreeMap<String, String>,
    pub files: BTreeMap<String, PathBuf>,
    /// Sheet column roles chosen in the form.
    pub mapping: BTreeMap<String, String>,
}

/// A rendered prompt, ready to send.
#[derive(Clone, Debug, Serialize)]
pub struct Prepared {
    pub template: String,
    pub language: Lang,
    pub system: String,
    pub user: String,
    /// The resolved inputs the prompt was rendered from.
    pub values: BTreeMap<String, String>,
    pub files: BTreeMap<String, PathBuf>,
    pub mapping: BTreeMap<String, String>,
    /// The run's date (`YYYY-MM-DD`): `today` in the template.
    pub today: String,
}

impl Prepared {
    pub fn messages(&self) -> Vec<Message> {
        let mut m = Vec::with_capacity(2);
        if !self.system.trim().is_empty() {
            m.push(Message { role: Role::System, content: self.system.clone() });
        }
        m.push(Message { role: Role::User, content: self.user.clone() });
        m
    }

    pub fn request(&self) -> ChatRequest {
        ChatRequest { messages: self.messages(), template: Some(self.template.clone()), replay_key: None }
    }

    pub fn resolved(&self) -> Resolved {
        Resolved {
            template: self.template.clone(),
            language: self.language,
            values: self.values.clone(),
            files: self.files.clone(),
            mapping: self.mapping.clone(),
        }
    }
}

/// Today's date, `YYYY-MM-DD`, local time.
pub fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

fn bad(tpl: &Template, field: &str, reason: String) -> crate::Error {
    TemplateError::BadValue { template: tpl.id.clone(), field: field.into(), reason }.into()
}

fn missing(tpl: &Template, f: &Field) -> crate::Error {
    TemplateError::MissingField { template: tpl.id.clone(), field: f.name.clone(), label: f.label.fr.clone() }.into()
}

/// Checks `inputs` against `tpl`: unknown fields, required fields (also `required_when`), select
/// options, numbers and dates. Reads no file.
pub fn resolve(tpl: &Template, inputs: &Inputs) -> Result<Resolved> {
    resolve_inner(tpl, inputs, true)
}

/// As [`resolve`], without requiring the attached files: an export needs only the values (the
/// window exports again a run from the history, whose files are not kept).
pub fn resolve_values(tpl: &Template, inputs: &Inputs) -> Result<Resolved> {
    resolve_inner(tpl, inputs, false)
}

fn resolve_inner(tpl: &Template, inputs: &Inputs, files_required: bool) -> Result<Resolved> {
    for name in inputs.values.keys().chain(inputs.files.keys()) {
        if tpl.field(name).is_none() {
            return Err(TemplateError::UnknownField {
                template: tpl.id.clone(),
                field: name.clone(),
                known: tpl.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "),
            }
            .into());
        }
    }
    let given = |f: &Field| inputs.values.get(&f.name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let language = tpl.output_language(&inputs.values);
    // Selects first (with their defaults): conditions are about them.
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for f in tpl.fields.iter().filter(|f| f.kind == FieldType::Select) {
        if let Some(v) = given(f).or_else(|| f.default_text(language)) {
            if !f.options.iter().any(|o| o.value() == v) {
                let opts: Vec<&str> = f.options.iter().map(|o| o.value()).collect();
                return Err(bad(tpl, &f.name, format!("'{v}' is not one of: {}", opts.join(", "))));
            }
            values.insert(f.name.clone(), v);
        }
    }
    let mut files = BTreeMap::new();
    for f in &tpl.fields {
        if !f.is_active(&values) {
            values.remove(&f.name);
            continue;
        }
        if f.kind == FieldType::File {
            if given(f).is_some() {
                return Err(bad(tpl, &f.name, "is a file field: attach the file (--file NAME=PATH)".into()));
            }
            match inputs.files.get(&f.name) {
                Some(path) => {
                    if let Some(kind) = FileKind::of_path(path) {
                        if !f.accept.contains(&kind) {
                            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_string();
                            let expected = f.accept.iter().map(|k| k.describe()).collect::<Vec<_>>().join(" or ");
                            return Err(DocumentError::WrongKind { path: path.clone(), expected, ext }.into());
                        }
                    }
                    files.insert(f.name.clone(), path.clone());
                }
                None if files_required && f.is_required(&values) => return Err(missing(tpl, f)),
                None => {}
            }
            continue;
        }
        if f.kind == FieldType::Select {
            if !values.contains_key(&f.name) && f.is_required(&values) {
                return Err(missing(tpl, f));
            }
            continue;
        }
        let Some(raw) = given(f).or_else(|| f.default_text(language)) else {
            if f.is_required(&values) {
                return Err(missing(tpl, f));
            }
            continue;
        };
        let value = match f.kind {
            FieldType::Number => {
                raw.replace([' ', '\u{a0}', '\u{202f}'], "")
                    .replace(',', ".")
                    .parse::<f64>()
                    .map_err(|_| bad(tpl, &f.name, format!("'{raw}' is not a number")))?;
                raw
            }
            FieldType::Date => normalize_date(&raw)
                .ok_or_else(|| bad(tpl, &f.name, format!("'{raw}' is not a date (use DD/MM/YYYY or YYYY-MM-DD)")))?,
            _ => raw,
        };
        values.insert(f.name.clone(), value);
    }
    Ok(Resolved { template: tpl.id.clone(), language, values, files, mapping: inputs.mapping.clone() })
}

/// What a render needs besides the inputs.
pub struct Context<'a> {
    pub limits: &'a Limits,
    pub today: &'a str,
    pub settings: &'a Settings,
}

/// A run's variables before rendering: each field as the text the prompt will show (attached
/// files as their extract, a signatory as its function), numbers kept as numbers. The steps
/// before sending (pseudonymisation) work on these texts, never on the template's own wording.
#[derive(Clone, Debug, Default)]
pub struct Variables {
    /// Field -> text, in the template's field order.
    pub texts: Vec<(String, String)>,
    pub numbers: BTreeMap<String, Value>,
    /// Sheet templates: the figures Katib computed from each attached sheet, by field.
    pub profiles: BTreeMap<String, std::sync::Arc<katib_sheet::Profile>>,
}

/// The prompt text of one attached file, as a run gives it: a sheet attached to a template that
/// declares `[sheet]` is profiled from every row, and gives the computed figures (the fact sheet)
/// and its profile; any other file gives its text.
pub fn file_text(tpl: &Template, r: &Resolved, path: &Path, limits: &Limits) -> Result<(String, Option<katib_sheet::Profile>)> {
    match (&tpl.sheet, FileKind::of_path(path)) {
        (Some(spec), Some(FileKind::Sheet)) => {
            let p = super::figures::profile(path, spec, &r.mapping, limits)?;
            Ok((super::figures::fact_sheet(&p, r.language), Some(p)))
        }
        _ => {
            let content = documents::read(path, limits)?;
            Ok((documents::extract(path, &content, limits.sheet_char_budget), None))
        }
    }
}

/// Reads the attached files and gathers the variables of a resolved run ([`file_text`]).
pub fn variables(tpl: &Template, r: &Resolved, ctx: &Context) -> Result<Variables> {
    let mut extracts = BTreeMap::new();
    let mut profiles = BTreeMap::new();
    for (name, path) in &r.files {
        let (text, profile) = file_text(tpl, r, path, ctx.limits)?;
        extracts.insert(name.clone(), text);
        if let Some(p) = profile {
            profiles.insert(name.clone(), std::sync::Arc::new(p));
        }
    }
    let mut v = variables_from(tpl, r, ctx, &extracts);
    v.profiles = profiles;
    Ok(v)
}

/// The variables of a resolved run whose files are already read ([`file_text`]): a live
/// preview re-renders at each keystroke without reading the files again.
pub fn variables_from(tpl: &Template, r: &Resolved, ctx: &Context, extracts: &BTreeMap<String, String>) -> Variables {
    let mut v = Variables::default();
    for f in &tpl.fields {
        let text = match (f.kind, r.values.get(&f.name), extracts.get(&f.name)) {
            (FieldType::File, _, Some(text)) => text.clone(),
            (FieldType::Number, Some(n), _) => {
                v.numbers.insert(f.name.clone(), number(n));
                continue;
            }
            (FieldType::Signatory, Some(s), _) => signatory_function(s, ctx.settings, r.language),
            (_, Some(s), _) => s.clone(),
            // Absent optional fields are the empty string, so `{% if x %}` works.
            _ => String::new(),
        };
        v.texts.push((f.name.clone(), text));
    }
    v
}

/// What the template is rendered with: the fields' variables, `today` and `textes`.
pub fn prompt_vars(tpl: &Template, r: &Resolved, v: &Variables, ctx: &Context) -> BTreeMap<String, Value> {
    let mut vars: BTreeMap<String, Value> = v.numbers.clone();
    for (name, text) in &v.texts {
        vars.insert(name.clone(), Value::from(text.as_str()));
    }
    vars.insert("today".into(), Value::from(ctx.today));
    vars.insert("textes".into(), Value::from_serialize(texts(tpl, ctx.settings, r.language)));
    vars
}

/// Renders the prompt of a resolved run from its (possibly transformed) variables.
pub fn render_with(tpl: &Template, r: &Resolved, v: &Variables, ctx: &Context) -> Result<Prepared> {
    let (system, user) = tpl.render(&prompt_vars(tpl, r, v, ctx))?;
    Ok(Prepared {
        template: tpl.id.clone(),
        language: r.language,
        system,
        user,
        values: r.values.clone(),
        files: r.files.clone(),
        mapping: r.mapping.clone(),
        today: ctx.today.to_string(),
    })
}

/// Reads the attached files and renders the prompt of a resolved run.
pub fn render(tpl: &Template, r: &Resolved, ctx: &Context) -> Result<Prepared> {
    render_with(tpl, r, &variables(tpl, r, ctx)?, ctx)
}

/// Resolves and renders in one go.
pub fn prepare(tpl: &Template, inputs: &Inputs, ctx: &Context) -> Result<Prepared> {
    render(tpl, &resolve(tpl, inputs)?, ctx)
}

fn number(v: &str) -> Value {
    let n: f64 = v.replace([' ', '\u{a0}', '\u{202f}'], "").replace(',', ".").parse().unwrap_or(0.0);
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Value::from(n as i64)
    } else {
        Value::from(n)
    }
}

/// A signatory field's value as the prompt shows it: a configured signatory's function in the
/// output language, or the typed function as is.
pub fn signatory_function(value: &str, settings: &Settings, lang: Lang) -> String {
    match settings.signatory(value) {
        Some(s) => s.function_in(lang).to_string(),
        None => value.trim().to_string(),
    }
}

/// The template's fixed texts in `lang`, the administration's own wording replacing them.
pub fn texts(tpl: &Template, settings: &Settings, lang: Lang) -> BTreeMap<String, String> {
    tpl.texts
        .iter()
        .map(|(k, v)| {
            let text = settings.texts.get(k).unwrap_or(v);
            (k.clone(), text.get(lang).to_string())
        })
        .collect()
}

/// `YYYY-MM-DD`, `DD/MM/YYYY` or `DD-MM-YYYY` to `YYYY-MM-DD`, checking the calendar.
pub fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    if parts.len() != 3 {
        return None;
    }
    let nums: Vec<u32> = parts.iter().map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let (y, m, d) = if parts[0].len() == 4 { (nums[0], nums[1], nums[2]) } else { (nums[2], nums[1], nums[0]) };
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d).map(|dt| dt.format("%Y-%m-%d").to_string())
}
