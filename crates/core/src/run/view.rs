//! How a template is described to a front end, in the user's language: one typed description
//! serialized once, for `katib templates list|show --json` and for the window's gallery and form.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::workbench::Workbench;
use crate::kinds::{FileKind, OutputKind};
use crate::templates::{Category, Condition, DefaultValue, ExportFormat, FieldType, Generate, LanguageSpec, Part, PersonalKind, Template};
use crate::Lang;

/// A template in the gallery.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TemplateSummary {
    pub id: String,
    pub version: u32,
    pub category: Category,
    pub category_label: &'static str,
    pub title: String,
    pub description: String,
    pub output: OutputKind,
    pub export: ExportFormat,
    pub generate: Generate,
    pub builtin: bool,
}

/// A choice in a select (or a configured signatory: value = its id, label = its function).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OptionView {
    pub value: String,
    pub label: String,
}

/// A form field.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FieldView {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    pub required: bool,
    pub label: String,
    pub help: Option<String>,
    /// The default in the template's default output language.
    pub default: Option<String>,
    /// A default that depends on the output language: the form switches it with the language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_by_lang: Option<BTreeMap<Lang, String>>,
    pub options: Vec<OptionView>,
    pub accept: Vec<FileKind>,
    /// The file extensions this field accepts (the one list of `FileKind`).
    pub extensions: Vec<&'static str>,
    pub personal: Option<PersonalKind>,
    pub show_when: Option<Condition>,
    pub required_when: Option<Condition>,
}

/// A sample the form can load.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SampleView {
    pub name: Option<String>,
    pub title: Option<String>,
}

/// A whole template: the form, the frame it fills, its samples.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TemplateView {
    #[serde(flatten)]
    pub summary: TemplateSummary,
    /// The select field choosing the output language, if any.
    pub language_field: Option<String>,
    /// The fixed output language, if any.
    pub language: Option<Lang>,
    pub fields: Vec<FieldView>,
    /// Frame part -> field.
    pub letter: BTreeMap<Part, String>,
    pub samples: Vec<SampleView>,
    pub path: PathBuf,
    /// The prompt's source (`templates show`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl Workbench {
    pub fn summary(&self, t: &Template, lang: Lang) -> TemplateSummary {
        TemplateSummary {
            id: t.id.clone(),
            version: t.version,
            category: t.category,
            category_label: t.category.label(lang),
            title: t.title.get(lang).to_string(),
            description: t.description.get(lang).to_string(),
            output: t.output,
            export: t.export,
            generate: t.generate,
            builtin: t.builtin,
        }
    }

    /// The gallery, in `lang`.
    pub fn gallery(&self, lang: Lang) -> Vec<TemplateSummary> {
        self.catalog.all().iter().map(|t| self.summary(t, lang)).collect()
    }

    /// The description of `t` in `lang`; with its prompt source when `source`.
    pub fn view(&self, t: &Template, lang: Lang, source: bool) -> TemplateView {
        let default_lang = t.output_language(&BTreeMap::new());
        let fields = t
            .fields
            .iter()
            .map(|f| {
                let options = match f.kind {
                    FieldType::Signatory => self
                        .settings
                        .signatories
                        .iter()
                        .map(|s| OptionView { value: s.id.clone(), label: s.function_in(lang).to_string() })
                        .collect(),
                    _ => f.options.iter().map(|o| OptionView { value: o.value().to_string(), label: o.label(lang).to_string() }).collect(),
                };
                let default_by_lang = match &f.default {
                    Some(DefaultValue::Localized(l)) => {
                        Some([Lang::Fr, Lang::Ar, Lang::En].into_iter().map(|g| (g, l.get(g).to_string())).collect())
                    }
                    _ => None,
                };
                FieldView {
                    name: f.name.clone(),
                    kind: f.kind,
                    required: f.required,
                    label: f.label.get(lang).to_string(),
                    help: f.help.as_ref().map(|h| h.get(lang).to_string()),
                    default: f.default_text(default_lang),
                    default_by_lang,
                    options,
                    accept: f.accept.clone(),
                    extensions: f.accept.iter().flat_map(|k| k.extensions().iter().copied()).collect(),
                    personal: f.personal,
                    show_when: f.show_when.clone(),
                    required_when: f.required_when.clone(),
                }
            })
            .collect();
        TemplateView {
            summary: self.summary(t, lang),
            language_field: match &t.language {
                LanguageSpec::Field(f) => Some(f.clone()),
                LanguageSpec::Fixed(_) => None,
            },
            language: match &t.language {
                LanguageSpec::Fixed(l) => Some(*l),
                LanguageSpec::Field(_) => None,
            },
            fields,
            letter: t.letter.clone(),
            samples: self
                .samples
                .iter()
                .filter(|s| s.template == t.id)
                .map(|s| SampleView { name: s.name.clone(), title: s.title.as_ref().map(|x| x.get(lang).to_string()) })
                .collect(),
            path: t.path.clone(),
            system: source.then(|| t.system.clone()),
            body: source.then(|| t.body.clone()),
        }
    }
}
