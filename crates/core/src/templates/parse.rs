//! Reading a template file: TOML front matter between `+++` lines, then the minijinja body.
//! Every check names the file and the line, found from TOML's own spans (never by searching the
//! text for a word).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::model::*;
use super::TemplateError;
use crate::kinds::{FileKind, OutputKind};
use crate::lang::{Lang, Localized};
use crate::span::line_of;

/// A field as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    name: String,
    #[serde(rename = "type")]
    kind: FieldType,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    default: Option<DefaultValue>,
    label: Localized,
    #[serde(default)]
    help: Option<Localized>,
    #[serde(default)]
    options: Vec<SelectOption>,
    #[serde(default)]
    accept: Vec<FileKind>,
    #[serde(default)]
    personal: Option<PersonalSpec>,
    #[serde(default)]
    show_when: Option<Condition>,
    #[serde(default)]
    required_when: Option<Condition>,
}

/// The front matter as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    id: Spanned<String>,
    version: u32,
    category: Category,
    output: OutputKind,
    export: ExportFormat,
    #[serde(default)]
    generate: Generate,
    language: Spanned<String>,
    title: Localized,
    description: Localized,
    system: Spanned<String>,
    #[serde(default)]
    fields: Vec<Spanned<RawField>>,
    #[serde(default)]
    letter: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    texts: BTreeMap<String, Localized>,
    #[serde(default)]
    sheet: Option<Spanned<katib_sheet::SheetSpec>>,
}

/// Where the front matter sits in the file, to turn its spans into file lines.
struct Fm<'a> {
    text: &'a str,
    /// File line of the front matter's first line.
    first_line: usize,
}

impl Fm<'_> {
    fn line(&self, span: std::ops::Range<usize>) -> usize {
        self.first_line + line_of(self.text, span.start) - 1
    }
}

/// Parses and validates template source text; `path` is used in errors.
pub fn parse(text: &str, path: &Path) -> Result<Template, TemplateError> {
    let invalid = |line: usize, message: String| TemplateError::Invalid { path: path.to_path_buf(), line, message };
    let hash = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
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
    let (fm_end, body_start) = fm_end
        .ok_or_else(|| invalid(line_of(text, text.len()), "the front matter is not closed by a '+++' line".into()))?;
    let fm = Fm { text: &text[fm_start..fm_end], first_line: 2 };
    let front: Front = toml::from_str(fm.text).map_err(|e| {
        let line = e.span().map(|s| fm.line(s)).unwrap_or(2);
        invalid(line, e.message().trim().to_string())
    })?;

    let id = front.id.get_ref();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(invalid(fm.line(front.id.span()), format!("id '{id}' must use a-z, 0-9 and -")));
    }
    let fields = check_fields(&front.fields, &fm, &invalid)?;
    let names: HashSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let language = language(&front.language, &fields, &fm, &invalid)?;
    let mut letter = BTreeMap::new();
    if let Some(map) = &front.letter {
        let at = fm.line(map.span());
        for (part, field) in map.get_ref() {
            let Some(p) = Part::parse(part) else {
                let known: Vec<&str> = Part::ALL.iter().map(|p| p.name()).collect();
                return Err(invalid(at, format!("unknown letter part '{part}' (known: {})", known.join(", "))));
            };
            if !names.contains(field.as_str()) {
                return Err(invalid(at, format!("letter part '{part}' names no field '{field}'")));
            }
            letter.insert(p, field.clone());
        }
        if !front.output.is_framed() {
            return Err(invalid(at, "[letter] parts frame letters, notes and acts: set output to letter, note or act".into()));
        }
    }
    let sheet = match front.sheet {
        Some(spec) => {
            let at = fm.line(spec.span());
            let spec = spec.into_inner();
            spec.validate().map_err(|m| invalid(at, m))?;
            if !fields.iter().any(|f| f.kind == FieldType::File && f.accept.contains(&FileKind::Sheet)) {
                return Err(invalid(at, "[sheet] declares what Katib computes from a sheet: the template needs a file field accepting [\"sheet\"]".into()));
            }
            Some(spec)
        }
        None => None,
    };
    let system_span = front.system.span();
    let multiline = fm.text[system_span.start..].starts_with("\"\"\"\n") || fm.text[system_span.start..].starts_with("'''\n");
    let tpl = Template {
        id: front.id.into_inner(),
        version: front.version,
        category: front.category,
        output: front.output,
        export: front.export,
        generate: front.generate,
        language,
        title: front.title,
        description: front.description,
        system_line: fm.line(system_span) + usize::from(multiline),
        system: front.system.into_inner(),
        fields,
        letter,
        texts: front.texts,
        sheet,
        body: text[body_start..].to_string(),
        body_line: line_of(text, body_start),
        path: path.to_path_buf(),
        builtin: false,
        hash,
    };
    tpl.check_syntax_and_names()?;
    Ok(tpl)
}

fn check_fields(
    raw: &[Spanned<RawField>],
    fm: &Fm,
    invalid: &dyn Fn(usize, String) -> TemplateError,
) -> Result<Vec<Field>, TemplateError> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(raw.len());
    for sf in raw {
        let at = fm.line(sf.span());
        let f = sf.get_ref();
        if f.name.is_empty()
            || !f.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            || f.name.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(invalid(at, format!("field name '{}' must use a-z, 0-9 and _", f.name)));
        }
        if ["today", "textes", "loop"].contains(&f.name.as_str()) {
            return Err(invalid(at, format!("'{}' is reserved (a variable Katib provides)", f.name)));
        }
        if !seen.insert(f.name.clone()) {
            return Err(invalid(at, format!("field '{}' is declared twice", f.name)));
        }
        if let Some(DefaultValue::Value(v)) = &f.default {
            if v.is_table() || v.is_array() {
                return Err(invalid(at, format!("default of field '{}' must be a value, or {{ fr = ..., ar = ... }}", f.name)));
            }
        }
        let field = Field {
            name: f.name.clone(),
            kind: f.kind,
            required: f.required,
            default: f.default.clone(),
            label: f.label.clone(),
            help: f.help.clone(),
            options: f.options.clone(),
            accept: f.accept.clone(),
            personal: f.personal.as_ref().and_then(PersonalSpec::kind),
            show_when: f.show_when.clone(),
            required_when: f.required_when.clone(),
        };
        match f.kind {
            FieldType::Select => {
                if f.options.is_empty() {
                    return Err(invalid(at, format!("select field '{}' has no options", f.name)));
                }
                for lang in [Lang::Fr, Lang::Ar, Lang::En] {
                    if let Some(d) = field.default_text(lang) {
                        if !f.options.iter().any(|o| o.value() == d) {
                            return Err(invalid(at, format!("default '{d}' of field '{}' is not one of its options", f.name)));
                        }
                    }
                }
            }
            FieldType::File => {
                if f.accept.is_empty() {
                    return Err(invalid(at, format!("file field '{}' needs accept = [\"sheet\"] and/or [\"document\"]", f.name)));
                }
            }
            _ => {
                if !f.options.is_empty() || !f.accept.is_empty() {
                    return Err(invalid(at, format!("field '{}': options belong to select fields, accept to file fields", f.name)));
                }
            }
        }
        out.push(field);
    }
    // Conditions name earlier or later select fields and their values.
    for (sf, f) in raw.iter().zip(&out) {
        let at = fm.line(sf.span());
        for (what, cond) in [("show_when", &f.show_when), ("required_when", &f.required_when)] {
            for (name, values) in cond.iter().flatten() {
                let Some(target) = out.iter().find(|o| &o.name == name && o.kind == FieldType::Select) else {
                    return Err(invalid(at, format!("{what} of field '{}' names no select field '{name}'", f.name)));
                };
                if let Some(v) = values.iter().find(|v| !target.options.iter().any(|o| o.value() == v.as_str())) {
                    return Err(invalid(at, format!("{what} of field '{}': '{v}' is not an option of '{name}'", f.name)));
                }
            }
        }
    }
    Ok(out)
}

fn language(
    spec: &Spanned<String>,
    fields: &[Field],
    fm: &Fm,
    invalid: &dyn Fn(usize, String) -> TemplateError,
) -> Result<LanguageSpec, TemplateError> {
    let at = fm.line(spec.span());
    let value = spec.get_ref();
    let Some(field) = value.strip_prefix("field:") else {
        return Lang::parse(value)
            .map(LanguageSpec::Fixed)
            .ok_or_else(|| invalid(at, format!("language '{value}' must be fr, ar, en or field:NAME")));
    };
    match fields.iter().find(|f| f.name == field) {
        Some(f) if f.kind == FieldType::Select => {
            if let Some(o) = f.options.iter().find(|o| Lang::parse(o.value()).is_none()) {
                return Err(invalid(at, format!("language field '{field}' has option '{}', which is not fr, ar or en", o.value())));
            }
            Ok(LanguageSpec::Field(field.to_string()))
        }
        _ => Err(invalid(at, format!("language = \"field:{field}\" needs a select field named '{field}'"))),
    }
}
