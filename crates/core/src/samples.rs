//! The built-in samples: for each template, realistic inputs (`samples/practice/<id>[.name].toml`,
//! files in `samples/inputs/`) and the answer practice mode replays for them
//! (`<id>[.name].answer.md`). Samples are data; this module only finds and reads them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::lang::Localized;
use crate::templates::TemplateError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleFile {
    template: String,
    /// The template version the answer was written for.
    #[serde(default)]
    template_version: Option<u32>,
    #[serde(default)]
    title: Option<Localized>,
    #[serde(default)]
    values: BTreeMap<String, toml::Value>,
    #[serde(default)]
    files: BTreeMap<String, PathBuf>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Sample {
    /// `reponse-citoyen` or `reponse-citoyen.ar`.
    pub id: String,
    pub template: String,
    /// The template version its answer was written for (`template_version`): replay needs it
    /// to equal the template's version.
    pub template_version: Option<u32>,
    /// `None` for a template's default sample, else the suffix (`ar`, `csv`, ...).
    pub name: Option<String>,
    pub title: Option<Localized>,
    pub values: BTreeMap<String, String>,
    /// Absolute paths.
    pub files: BTreeMap<String, PathBuf>,
    pub answer: PathBuf,
    pub path: PathBuf,
}

/// Every sample in `samples_dir/practice`, sorted by id.
pub fn load_all(samples_dir: &Path) -> Result<Vec<Sample>, TemplateError> {
    let dir = samples_dir.join("practice");
    let rd = std::fs::read_dir(&dir).map_err(|e| TemplateError::Read { path: dir.clone(), source: e })?;
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        out.push(load(samples_dir, &path)?);
    }
    Ok(out)
}

fn load(samples_dir: &Path, path: &Path) -> Result<Sample, TemplateError> {
    let invalid = |line: usize, message: String| TemplateError::Invalid { path: path.into(), line, message };
    let text = std::fs::read_to_string(path).map_err(|e| TemplateError::Read { path: path.into(), source: e })?;
    let f: SampleFile = toml::from_str(&text).map_err(|e| {
        invalid(e.span().map(|s| crate::span::line_of(&text, s.start)).unwrap_or(1), e.message().to_string())
    })?;
    let id = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let name = match id.split_once('.') {
        Some((base, name)) if base == f.template => Some(name.to_string()),
        None if id == f.template => None,
        _ => return Err(invalid(1, format!("the file name should start with its template id '{}'", f.template))),
    };
    let values = f
        .values
        .into_iter()
        .map(|(k, v)| (k, value_text(v)))
        .collect();
    let files = f.files.into_iter().map(|(k, p)| (k, samples_dir.join(p))).collect();
    Ok(Sample {
        answer: path.with_file_name(format!("{id}.answer.md")),
        id,
        template: f.template,
        template_version: f.template_version,
        name,
        title: f.title,
        values,
        files,
        path: path.into(),
    })
}

/// The sample of `template` called `name` (`None`: the default one).
pub fn find<'a>(all: &'a [Sample], template: &str, name: Option<&str>) -> Result<&'a Sample, TemplateError> {
    all.iter().find(|s| s.template == template && s.name.as_deref() == name).ok_or_else(|| {
        let names: Vec<String> = all
            .iter()
            .filter(|s| s.template == template)
            .map(|s| s.name.clone().unwrap_or_else(|| "(default)".into()))
            .collect();
        TemplateError::BadValue {
            template: template.into(),
            field: "--sample".into(),
            reason: if names.is_empty() {
                "this template has no sample".into()
            } else {
                format!("no sample named '{}'; its samples: {}", name.unwrap_or("(default)"), names.join(", "))
            },
        }
    })
}

/// A sample's value as the form holds it: strings as written, TOML dates in ISO form, other
/// values as TOML writes them.
pub fn value_text(v: toml::Value) -> String {
    match v {
        toml::Value::String(s) => s,
        toml::Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    }
}
