//! Prompt templates: one file each, TOML front matter between `+++` lines, then a minijinja body
//! (the user message). The format is documented in `docs/templates.md`.
//!
//! - [`model`]: what a template is (fields, language, frame parts, fixed texts);
//! - [`parse`]: reading a file, with errors naming the file and line;
//! - [`render`]: strict rendering and the lints;
//! - [`catalog`]: the built-in folder overlaid with the user's.
//!
//! It does not read the user's files nor resolve settings: the runner turns those into
//! variables first.

mod catalog;
mod model;
mod parse;
mod render;

use std::path::{Path, PathBuf};

pub use catalog::{load_dir, validate_dir, Catalog};
pub use model::{
    holds, Category, Condition, DefaultValue, ExportFormat, Field, FieldType, Generate, LanguageSpec, Part, PersonalKind,
    SelectOption, Template,
};
pub use render::PROVIDED;

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

impl Template {
    /// Parses and validates template source text; `path` is used in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Template, TemplateError> {
        parse::parse(text, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use minijinja::Value;
    use crate::Lang;

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
