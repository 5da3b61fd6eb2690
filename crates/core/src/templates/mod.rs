//! Prompt templates: one file each, TOML front matter between `+++` lines, then a minijinja body
//! (the user message). The format is documented in `docs/templates.md`.
//!
//! This module loads and validates template files (errors carry the file and line), merges the
//! built-in folder with the user's folder (same id: the user's wins), and renders a template with
//! the values of its fields, strictly: an undefined variable is an error, and a fuel limit stops a
//! runaway loop. It does not read the user's files: [`crate::run`] turns those into text first.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior, Value};
use serde::{Deserialize, Serialize};

use crate::config::line_of;
use crate::Lang;

/// Instruction budget for one render: plenty for any real template, and a wall for a runaway one.
const FUEL: u64 = 500_000;

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("{}:{line}: {message}", path.display())]
    Invalid { path: PathBuf, line: usize, message: String },
    #[error("cannot read template {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}:{line}: rendering failed: {message}", path.display())]
    Render { path: PathBuf, line: usize, message: String },
    #[error("missing required field '{field}' ({label}) of template '{template}'")]
    MissingField { template: String, field: String, label: String },
    #[error("field '{field}' of template '{template}': {reason}")]
    BadValue { template: String, field: String, reason: String },
    #[error("template '{template}' has no field '{field}'. Its fields: {known}")]
    UnknownField { template: String, field: String, known: String },
    #[error("no template '{id}'. Available: {known}. See `katib templates list`.")]
    NotFound { id: String, known: String },
    #[error("two templates have the id '{id}' in the same folder: {} and {}", first.display(), second.display())]
    Duplicate { id: String, first: PathBuf, second: PathBuf },
}

impl TemplateError {
    pub fn code(&self) -> &'static str {
        match self {
            TemplateError::Invalid { .. } | TemplateError::Duplicate { .. } => "template.invalid",
            TemplateError::Read { .. } => "template.unreadable",
            TemplateError::Render { .. } => "template.render",
            TemplateError::MissingField { .. } => "template.missing_field",
            TemplateError::BadValue { .. } => "template.bad_value",
            TemplateError::UnknownField { .. } => "template.unknown_field",
            TemplateError::NotFound { .. } => "template.not_found",
        }
    }
}

/// Text in the three working languages; only French is required, the others fall back to it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub fr: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::Ar => self.ar.as_deref().unwrap_or(&self.fr),
            Lang::En => self.en.as_deref().unwrap_or(&self.fr),
        }
    }
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Letter,
    Spreadsheet,
    Summary,
}

impl Category {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Category::Letter, Lang::Fr) => "Courriers",
            (Category::Letter, Lang::Ar) => "المراسلات",
            (Category::Letter, Lang::En) => "Letters",
            (Category::Spreadsheet, Lang::Fr) => "Tableurs",
            (Category::Spreadsheet, Lang::Ar) => "الجداول",
            (Category::Spreadsheet, Lang::En) => "Spreadsheets",
            (Category::Summary, Lang::Fr) => "Synthèses",
            (Category::Summary, Lang::Ar) => "الملخصات",
            (Category::Summary, Lang::En) => "Summaries",
        }
    }
}

/// What the answer is, which decides its export layout.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OutputKind {
    Letter,
    Report,
    Table,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Docx,
    Md,
    Txt,
    Xlsx,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Text,
    Textarea,
    Select,
    Date,
    Number,
    File,
}

/// Kinds of files a file field accepts.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// .xlsx .xls .ods .csv
    Sheet,
    /// .docx .pdf .txt .md
    Document,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum SelectOption {
    Plain(String),
    Labelled { value: String, label: Localized },
}

impl SelectOption {
    pub fn value(&self) -> &str {
        match self {
            SelectOption::Plain(v) => v,
            SelectOption::Labelled { value, .. } => value,
        }
    }
    pub fn label(&self, lang: Lang) -> &str {
        match self {
            SelectOption::Plain(v) => v,
            SelectOption::Labelled { label, .. } => label.get(lang),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<toml::Value>,
    pub label: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Localized>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<SelectOption>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accept: Vec<FileKind>,
}

impl Field {
    /// The default as the string a form would hold.
    pub fn default_text(&self) -> Option<String> {
        self.default.as_ref().map(|v| match v {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }
}

/// The front matter as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    id: String,
    version: u32,
    category: Category,
    output: OutputKind,
    export: ExportFormat,
    language: String,
    title: Localized,
    description: Localized,
    system: String,
    #[serde(default)]
    fields: Vec<Field>,
    #[serde(default)]
    letter: BTreeMap<String, String>,
}

/// How the output language is chosen.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum LanguageSpec {
    Fixed(Lang),
    /// The value of this select field.
    Field(String),
}

/// Parts of an official letter a field may fill (the model writes the body only).
pub const LETTER_PARTS: &[&str] = &[
    "reference", "ref", "objet", "destinataire", "expediteur", "ville", "date", "pieces_jointes",
    "signataire", "copies",
];

/// A loaded, validated template.
#[derive(Clone, Debug, Serialize)]
pub struct Template {
    pub id: String,
    pub version: u32,
    pub category: Category,
    pub output: OutputKind,
    pub export: ExportFormat,
    pub language: LanguageSpec,
    pub title: Localized,
    pub description: Localized,
    pub system: String,
    pub fields: Vec<Field>,
    pub letter: BTreeMap<String, String>,
    pub body: String,
    pub path: PathBuf,
    /// Shipped with Katib (false: from the user's templates folder).
    pub builtin: bool,
    #[serde(skip)]
    body_line: usize,
    #[serde(skip)]
    system_line: usize,
}

impl Template {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Parses and validates template source text; `path` is used in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Template, TemplateError> {
        let invalid = |line: usize, message: String| TemplateError::Invalid {
            path: path.to_path_buf(),
            line,
            message,
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text.split_inclusive('\n');
        let first = lines.next().unwrap_or("");
        if first.trim_end() != "+++" {
            return Err(invalid(1, "a template starts with a '+++' line, then TOML front matter".into()));
        }
        let fm_start = first.len();
        let mut offset = fm_start;
        let mut fm_end = None;
        for l in lines {
            if l.trim_end() == "+++" {
                fm_end = Some((offset, offset + l.len()));
                break;
            }
            offset += l.len();
        }
        let (fm_end, body_start) = fm_end.ok_or_else(|| {
            invalid(line_of(text, text.len()), "the front matter is not closed by a '+++' line".into())
        })?;
        let fm = &text[fm_start..fm_end];
        let front: Front = toml::from_str(fm).map_err(|e| {
            let line = e.span().map(|s| line_of(fm, s.start) + 1).unwrap_or(2);
            invalid(line, e.message().trim().to_string())
        })?;
        let body = text[body_start..].to_string();
        let body_line = line_of(text, body_start);
        // The system prompt's first line: the line after `system = """` (or the same line for a
        // one-line string).
        let system_line = fm
            .lines()
            .position(|l| l.trim_start().starts_with("system"))
            .map(|i| {
                let l = fm.lines().nth(i).unwrap_or("");
                let multiline = l.trim_end().ends_with("\"\"\"") || l.trim_end().ends_with("'''");
                i + 2 + usize::from(multiline)
            })
            .unwrap_or(2);
        let find_line = |needle: &str| {
            fm.lines().position(|l| l.contains(needle)).map(|i| i + 2).unwrap_or(2)
        };

        if front.id.is_empty()
            || !front.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(invalid(find_line("id"), format!("id '{}' must use a-z, 0-9 and -", front.id)));
        }
        let mut seen = HashSet::new();
        for f in &front.fields {
            let at = find_line(&format!("\"{}\"", f.name));
            if f.name.is_empty()
                || !f.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                || f.name.starts_with(|c: char| c.is_ascii_digit())
            {
                return Err(invalid(at, format!("field name '{}' must use a-z, 0-9 and _", f.name)));
            }
            if f.name == "today" {
                return Err(invalid(at, "'today' is reserved (it holds the run's date)".into()));
            }
            if !seen.insert(f.name.clone()) {
                return Err(invalid(at, format!("field '{}' is declared twice", f.name)));
            }
            match f.kind {
                FieldType::Select => {
                    if f.options.is_empty() {
                        return Err(invalid(at, format!("select field '{}' has no options", f.name)));
                    }
                    if let Some(d) = f.default_text() {
                        if !f.options.iter().any(|o| o.value() == d) {
                            return Err(invalid(
                                at,
                                format!("default '{d}' of field '{}' is not one of its options", f.name),
                            ));
                        }
                    }
                }
                FieldType::File => {
                    if f.accept.is_empty() {
                        return Err(invalid(
                            at,
                            format!("file field '{}' needs accept = [\"sheet\"] and/or [\"document\"]", f.name),
                        ));
                    }
                }
                _ => {
                    if !f.options.is_empty() || !f.accept.is_empty() {
                        return Err(invalid(
                            at,
                            format!("field '{}': options belong to select fields, accept to file fields", f.name),
                        ));
                    }
                }
            }
        }
        let language = if let Some(field) = front.language.strip_prefix("field:") {
            match front.fields.iter().find(|f| f.name == field) {
                Some(f) if f.kind == FieldType::Select => {
                    for o in &f.options {
                        if Lang::parse(o.value()).is_none() {
                            return Err(invalid(
                                find_line("language"),
                                format!("language field '{field}' has option '{}', which is not fr, ar or en", o.value()),
                            ));
                        }
                    }
                    LanguageSpec::Field(field.to_string())
                }
                _ => {
                    return Err(invalid(
                        find_line("language"),
                        format!("language = \"field:{field}\" needs a select field named '{field}'"),
                    ))
                }
            }
        } else {
            LanguageSpec::Fixed(Lang::parse(&front.language).ok_or_else(|| {
                invalid(find_line("language"), format!("language '{}' must be fr, ar, en or field:NAME", front.language))
            })?)
        };
        for (part, field) in &front.letter {
            if !LETTER_PARTS.contains(&part.as_str()) {
                return Err(invalid(
                    find_line("[letter]"),
                    format!("unknown letter part '{part}' (known: {})", LETTER_PARTS.join(", ")),
                ));
            }
            if !seen.contains(field) {
                return Err(invalid(find_line("[letter]"), format!("letter part '{part}' names no field '{field}'")));
            }
        }

        let tpl = Template {
            id: front.id,
            version: front.version,
            category: front.category,
            output: front.output,
            export: front.export,
            language,
            title: front.title,
            description: front.description,
            system: front.system,
            fields: front.fields,
            letter: front.letter,
            body,
            path: path.to_path_buf(),
            builtin: false,
            body_line,
            system_line,
        };
        tpl.check_syntax_and_names()?;
        Ok(tpl)
    }

    fn env(&self) -> Environment<'static> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(FUEL));
        env.set_keep_trailing_newline(true);
        env
    }

    /// Compiles both parts, and checks that every variable they use is a field (or `today`).
    fn check_syntax_and_names(&self) -> Result<(), TemplateError> {
        let env = self.env();
        let globals: Vec<String> = env.globals().map(|(k, _)| k.to_string()).collect();
        let known: HashSet<&str> = self
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(["today", "loop"])
            .chain(globals.iter().map(String::as_str))
            .collect();
        for (src, first_line) in [(&self.system, self.system_line), (&self.body, self.body_line)] {
            let t = env.template_from_str(src).map_err(|e| self.render_error(&e, first_line, true))?;
            let mut unknown: Vec<String> = t
                .undeclared_variables(false)
                .into_iter()
                .filter(|v| !known.contains(v.as_str()))
                .collect();
            unknown.sort();
            if let Some(v) = unknown.first() {
                // Point at the first line that mentions it.
                let line = src
                    .lines()
                    .position(|l| l.contains(v.as_str()))
                    .map(|i| first_line + i)
                    .unwrap_or(first_line);
                return Err(TemplateError::Invalid {
                    path: self.path.clone(),
                    line,
                    message: format!("undefined variable '{v}': declare it as a field or remove it"),
                });
            }
        }
        Ok(())
    }

    fn render_error(&self, e: &minijinja::Error, first_line: usize, syntax: bool) -> TemplateError {
        let line = first_line + e.line().unwrap_or(1).saturating_sub(1);
        let message = match e.detail() {
            Some(d) => format!("{}: {d}", e.kind()),
            None => e.kind().to_string(),
        };
        if syntax {
            TemplateError::Invalid { path: self.path.clone(), line, message }
        } else {
            TemplateError::Render { path: self.path.clone(), line, message }
        }
    }

    /// Fields declared but used in neither the body nor the system prompt (a lint, not an error).
    pub fn unused_fields(&self) -> Vec<String> {
        let env = self.env();
        let mut used = HashSet::new();
        for src in [&self.system, &self.body] {
            if let Ok(t) = env.template_from_str(src) {
                used.extend(t.undeclared_variables(false));
            }
        }
        let language_field = match &self.language {
            LanguageSpec::Field(f) => Some(f.as_str()),
            LanguageSpec::Fixed(_) => None,
        };
        self.fields
            .iter()
            .filter(|f| !used.contains(&f.name) && !self.letter.values().any(|v| v == &f.name))
            .filter(|f| Some(f.name.as_str()) != language_field)
            .map(|f| f.name.clone())
            .collect()
    }

    /// Renders (system, user) with `vars`: one value per field, plus `today`.
    pub fn render(&self, vars: &BTreeMap<String, Value>) -> Result<(String, String), TemplateError> {
        let env = self.env();
        let ctx = Value::from_serialize(vars);
        let mut out = Vec::with_capacity(2);
        for (src, first_line) in [(&self.system, self.system_line), (&self.body, self.body_line)] {
            let t = env.template_from_str(src).map_err(|e| self.render_error(&e, first_line, true))?;
            let text = t.render(&ctx).map_err(|e| self.render_error(&e, first_line, false))?;
            out.push(tidy(&text));
        }
        let user = out.pop().unwrap_or_default();
        let system = out.pop().unwrap_or_default();
        Ok((system, user))
    }

    /// The output language for these field values.
    pub fn output_language(&self, values: &BTreeMap<String, String>) -> Lang {
        match &self.language {
            LanguageSpec::Fixed(l) => *l,
            LanguageSpec::Field(f) => values.get(f).and_then(|v| Lang::parse(v)).unwrap_or_default(),
        }
    }
}

/// Trims trailing spaces and collapses runs of 3+ blank lines that `{% if %}` blocks leave.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim().lines() {
        let l = line.trim_end();
        if l.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(l);
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// Loads every `*.md` template in `dir`. A missing folder is an error.
pub fn load_dir(dir: &Path) -> Result<Vec<Template>, TemplateError> {
    let rd = std::fs::read_dir(dir).map_err(|e| TemplateError::Read { path: dir.into(), source: e })?;
    let mut paths: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md") && p.is_file())
        .collect();
    paths.sort();
    let mut out: Vec<Template> = Vec::new();
    for p in paths {
        let text =
            std::fs::read_to_string(&p).map_err(|e| TemplateError::Read { path: p.clone(), source: e })?;
        let t = Template::parse(&text, &p)?;
        if let Some(prev) = out.iter().find(|o| o.id == t.id) {
            return Err(TemplateError::Duplicate { id: t.id, first: prev.path.clone(), second: p });
        }
        out.push(t);
    }
    Ok(out)
}

/// Lints every template in `dir`, collecting all errors instead of stopping at the first.
pub fn validate_dir(dir: &Path) -> Result<Vec<Result<Template, TemplateError>>, TemplateError> {
    let rd = std::fs::read_dir(dir).map_err(|e| TemplateError::Read { path: dir.into(), source: e })?;
    let mut paths: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md") && p.is_file())
        .collect();
    paths.sort();
    let mut ids: BTreeMap<String, PathBuf> = BTreeMap::new();
    Ok(paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| TemplateError::Read { path: p.clone(), source: e })?;
            let t = Template::parse(&text, &p)?;
            if let Some(first) = ids.insert(t.id.clone(), p.clone()) {
                return Err(TemplateError::Duplicate { id: t.id, first, second: p });
            }
            Ok(t)
        })
        .collect())
}

/// The built-in templates, overlaid with the user's.
#[derive(Clone, Debug)]
pub struct Catalog {
    templates: Vec<Template>,
}

impl Catalog {
    pub fn load(builtin_dir: &Path, user_dir: Option<&Path>) -> Result<Catalog, TemplateError> {
        let mut templates = load_dir(builtin_dir)?;
        for t in &mut templates {
            t.builtin = true;
        }
        if let Some(dir) = user_dir {
            if dir.is_dir() {
                for t in load_dir(dir)? {
                    match templates.iter_mut().find(|b| b.id == t.id) {
                        Some(slot) => *slot = t,
                        None => templates.push(t),
                    }
                }
            }
        }
        templates.sort_by(|a, b| (a.category, &a.id).cmp(&(b.category, &b.id)));
        Ok(Catalog { templates })
    }

    pub fn all(&self) -> &[Template] {
        &self.templates
    }

    pub fn get(&self, id: &str) -> Result<&Template, TemplateError> {
        self.templates.iter().find(|t| t.id == id).ok_or_else(|| TemplateError::NotFound {
            id: id.into(),
            known: self.templates.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"+++
id = "essai"
version = 1
category = "letter"
output = "letter"
export = "docx"
language = "field:langue"
title = { fr = "Essai", ar = "تجربة" }
description = { fr = "Un essai" }
system = """
Tu es un rédacteur. Langue : {{ langue }}."""

[[fields]]
name = "objet"
type = "text"
required = true
label = { fr = "Objet" }

[[fields]]
name = "langue"
type = "select"
default = "fr"
options = [{ value = "fr", label = { fr = "Français" } }, "ar"]
label = { fr = "Langue" }

[letter]
objet = "objet"
+++
Objet : {{ objet }}
{% if langue == "ar" %}بالعربية{% endif %}
"#;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, Value> {
        pairs.iter().map(|(k, v)| (k.to_string(), Value::from(*v))).collect()
    }

    #[test]
    fn parses_and_renders() {
        let t = Template::parse(GOOD, Path::new("essai.md")).unwrap();
        assert_eq!(t.id, "essai");
        assert_eq!(t.language, LanguageSpec::Field("langue".into()));
        assert_eq!(t.title.get(Lang::En), "Essai");
        assert_eq!(t.title.get(Lang::Ar), "تجربة");
        let (sys, user) = t.render(&vars(&[("objet", "Éclairage"), ("langue", "ar"), ("today", "2026-11-23")])).unwrap();
        assert_eq!(sys, "Tu es un rédacteur. Langue : ar.");
        assert_eq!(user, "Objet : Éclairage\nبالعربية");
    }

    #[test]
    fn undefined_variable_names_file_and_line() {
        let bad = GOOD.replace("Objet : {{ objet }}", "Objet : {{ objet }}\n{{ destinataire }}");
        let err = Template::parse(&bad, Path::new("prompts/essai.md")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("prompts/essai.md:30:"), "{msg}");
        assert!(msg.contains("destinataire"), "{msg}");
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let bad = GOOD.replace("{% endif %}", "");
        let err = Template::parse(&bad, Path::new("x.md")).unwrap_err();
        assert!(err.to_string().starts_with("x.md:30:"), "{err}");
    }

    #[test]
    fn toml_error_names_line() {
        let bad = GOOD.replace("version = 1", "version = ");
        let err = Template::parse(&bad, Path::new("x.md")).unwrap_err();
        assert!(err.to_string().starts_with("x.md:3:"), "{err}");
    }

    #[test]
    fn fuel_stops_runaway_template() {
        let bad = GOOD.replace(
            "Objet : {{ objet }}",
            "{% for i in range(100000) %}{% for j in range(100000) %}{{ objet }}{% endfor %}{% endfor %}",
        );
        let t = Template::parse(&bad, Path::new("x.md")).unwrap();
        let err = t.render(&vars(&[("objet", "a"), ("langue", "fr"), ("today", "")])).unwrap_err();
        assert!(err.to_string().contains("fuel"), "{err}");
    }

    #[test]
    fn structural_checks() {
        for (from, to, expect) in [
            ("language = \"field:langue\"", "language = \"field:objet\"", "needs a select field"),
            ("default = \"fr\"", "default = \"de\"", "not one of its options"),
            ("objet = \"objet\"", "objet = \"sujet\"", "names no field"),
            ("id = \"essai\"", "id = \"Essai Un\"", "must use a-z"),
        ] {
            let bad = GOOD.replacen(from, to, 1);
            let err = Template::parse(&bad, Path::new("x.md")).unwrap_err().to_string();
            assert!(err.contains(expect), "{from} -> {err}");
        }
    }

    #[test]
    fn unused_fields_are_reported() {
        let t = Template::parse(&GOOD.replace("Objet : {{ objet }}", "Rien"), Path::new("x.md")).unwrap();
        // objet still fills the letter's Objet line, langue picks the language: neither is unused.
        assert!(t.unused_fields().is_empty());
    }
}
