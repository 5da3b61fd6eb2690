//! The whole pipeline, the same for the CLI and the desktop app: load what is configured
//! ([`Workbench`]), check and normalise the user's inputs against a template, read the attached
//! files, render the prompt ([`prepare`]), pick the provider, and build the export of the answer.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use minijinja::Value;
use serde::Serialize;

use crate::config::{Paths, Profile, Profiles, Resources, Settings};
use crate::documents::{self, Limits};
use crate::export::{ExportDoc, LetterParts};
use crate::providers::{fingerprint, ChatRequest, Message, OpenAi, Practice, Provider, Role};
use crate::samples::{self, Sample};
use crate::secrets::{self, KeySource};
use crate::templates::{Catalog, FieldType, FileKind, Template, TemplateError};
use crate::{Lang, Result};

/// What the user typed and attached, by field name.
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize)]
pub struct Inputs {
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    pub files: BTreeMap<String, PathBuf>,
}

impl Inputs {
    pub fn from_sample(s: &Sample) -> Inputs {
        Inputs { values: s.values.clone(), files: s.files.clone() }
    }
}

/// A rendered prompt, ready to send.
#[derive(Clone, Debug, Serialize)]
pub struct Prepared {
    pub template: String,
    pub language: Lang,
    pub system: String,
    pub user: String,
    /// Field values after defaults and normalisation (dates as YYYY-MM-DD).
    pub values: BTreeMap<String, String>,
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
        ChatRequest { messages: self.messages(), template: Some(self.template.clone()) }
    }
}

/// Today's date, `YYYY-MM-DD`, local time.
pub fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

/// Checks `inputs` against `tpl`, reads its files, renders the prompt.
pub fn prepare(tpl: &Template, inputs: &Inputs, limits: &Limits, today: &str) -> Result<Prepared> {
    let bad = |field: &str, reason: String| TemplateError::BadValue {
        template: tpl.id.clone(),
        field: field.into(),
        reason,
    };
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
    let mut vars: BTreeMap<String, Value> = BTreeMap::new();
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for f in &tpl.fields {
        if f.kind == FieldType::File {
            if inputs.values.get(&f.name).is_some_and(|v| !v.trim().is_empty()) {
                return Err(bad(&f.name, "is a file field: attach the file (--file NAME=PATH)".into()).into());
            }
            match inputs.files.get(&f.name) {
                Some(path) => {
                    let kind = documents::kind_of(path);
                    if let Some(k) = kind {
                        if !f.accept.contains(&k) {
                            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_string();
                            let expected = if f.accept.contains(&FileKind::Sheet) {
                                "a spreadsheet (.xlsx, .xls, .ods, .csv)"
                            } else {
                                "a document (.docx, .pdf, .txt, .md)"
                            };
                            return Err(documents::DocumentError::WrongKind { path: path.clone(), expected, ext }.into());
                        }
                    }
                    let content = documents::read(path, limits)?;
                    let text = documents::extract(path, &content, limits.sheet_char_budget);
                    values.insert(f.name.clone(), path.display().to_string());
                    vars.insert(f.name.clone(), Value::from(text));
                }
                None if f.required => return Err(missing(tpl, f)),
                None => {
                    vars.insert(f.name.clone(), Value::from(""));
                }
            }
            continue;
        }
        let given = inputs.values.get(&f.name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let raw = match given.or_else(|| f.default_text()) {
            Some(v) => v,
            None if f.required => return Err(missing(tpl, f)),
            None => {
                vars.insert(f.name.clone(), Value::from(""));
                values.insert(f.name.clone(), String::new());
                continue;
            }
        };
        let value = match f.kind {
            FieldType::Select => {
                if !f.options.iter().any(|o| o.value() == raw) {
                    let opts: Vec<&str> = f.options.iter().map(|o| o.value()).collect();
                    return Err(bad(&f.name, format!("'{raw}' is not one of: {}", opts.join(", "))).into());
                }
                Value::from(raw.clone())
            }
            FieldType::Number => {
                let n: f64 = raw.replace(' ', "").replace(',', ".").parse().map_err(|_| bad(&f.name, format!("'{raw}' is not a number")))?;
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    Value::from(n as i64)
                } else {
                    Value::from(n)
                }
            }
            FieldType::Date => {
                let d = normalize_date(&raw).ok_or_else(|| bad(&f.name, format!("'{raw}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)")))?;
                values.insert(f.name.clone(), d.clone());
                vars.insert(f.name.clone(), Value::from(d));
                continue;
            }
            FieldType::Text | FieldType::Textarea => Value::from(raw.clone()),
            FieldType::File => unreachable!("handled above"),
        };
        values.insert(f.name.clone(), raw);
        vars.insert(f.name.clone(), value);
    }
    vars.insert("today".into(), Value::from(today));
    let (system, user) = tpl.render(&vars)?;
    Ok(Prepared { template: tpl.id.clone(), language: tpl.output_language(&values), system, user, values })
}

fn missing(tpl: &Template, f: &crate::templates::Field) -> crate::Error {
    TemplateError::MissingField { template: tpl.id.clone(), field: f.name.clone(), label: f.label.fr.clone() }.into()
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

/// The letter frame for a letter template: the parts its `[letter]` section maps to fields.
pub fn letter_parts(tpl: &Template, values: &BTreeMap<String, String>) -> Option<LetterParts> {
    if tpl.letter.is_empty() {
        return None;
    }
    let get = |part: &str| {
        tpl.letter.get(part).and_then(|f| values.get(f)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    };
    Some(LetterParts {
        ville: get("ville"),
        date: get("date"),
        reference: get("reference"),
        their_ref: get("ref"),
        expediteur: get("expediteur"),
        destinataire: get("destinataire"),
        objet: get("objet"),
        pieces_jointes: get("pieces_jointes"),
        signataire: get("signataire"),
        copies: get("copies"),
    })
}

/// The export of `answer` for a prepared run of `tpl`: the template's fields only (no
/// letterhead, no "prepared with" line). [`Workbench::export_doc`] adds what the settings say.
pub fn export_doc<'a>(tpl: &Template, prepared: &Prepared, answer: &'a str) -> ExportDoc<'a> {
    ExportDoc {
        title: Some(tpl.title.get(prepared.language).to_string()),
        letter: letter_parts(tpl, &prepared.values),
        ..ExportDoc::new(answer, prepared.language, tpl.output)
    }
}

/// Which Word letterhead a letter export fills: the one given, else the settings' one; only for
/// letters written to .docx. `None`: Katib lays the letter out itself.
pub fn letterhead_for(tpl: &Template, settings: &Settings, given: Option<&Path>, out: &Path) -> Option<PathBuf> {
    let docx = crate::export::format_of(out).ok() == Some(crate::export::Format::Docx);
    given
        .map(Path::to_path_buf)
        .or_else(|| settings.letterhead.docx.clone().filter(|_| tpl.output == crate::templates::OutputKind::Letter && docx))
}

/// How an export is dressed, beyond the template's fields.
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    /// The model that wrote the answer, for the "prepared with" line.
    pub model: Option<String>,
    /// The date of the run (`YYYY-MM-DD`), for the "prepared with" line.
    pub today: String,
    /// Leave the "prepared with" line out even if the settings ask for it.
    pub no_prepared_with: bool,
    /// Reports: a table of contents.
    pub toc: bool,
}

/// Everything loaded once: where things are, settings, profiles, templates, samples.
pub struct Workbench {
    pub paths: Paths,
    pub settings: Settings,
    pub resources: Resources,
    pub profiles: Profiles,
    pub catalog: Catalog,
    pub samples: Vec<Sample>,
}

/// The provider a run uses, and what to tell the user about it.
pub struct Chosen {
    pub provider: Box<dyn Provider>,
    pub key_source: Option<KeySource>,
    pub notice: Option<secrets::Notice>,
}

impl Workbench {
    pub fn load() -> Result<Workbench> {
        Workbench::load_from(Paths::from_env()?)
    }

    /// Loads with these config and data folders (the environment still locates resources).
    pub fn load_from(paths: Paths) -> Result<Workbench> {
        let settings = Settings::load(&paths)?;
        let resources = Resources::locate()?;
        let profiles = Profiles::load(&paths)?;
        let catalog = Catalog::load(&resources.prompts_dir, settings.templates_dir.as_deref())?;
        let samples = samples::load_all(&resources.samples_dir)?;
        Ok(Workbench { paths, settings, resources, profiles, catalog, samples })
    }

    pub fn limits(&self) -> Limits {
        self.settings.read_limits()
    }

    /// The `today` a run of `template` renders with: the samples' fixed day when the inputs are
    /// exactly a sample's (so "load the sample, generate" meets its practice answer whatever the
    /// calendar says), else the real date. An empty value counts as absent, as in a form.
    pub fn today_for(&self, template: &str, inputs: &Inputs) -> String {
        let set = |m: &BTreeMap<String, String>| -> Vec<(String, String)> {
            m.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| (k.clone(), v.trim().to_string())).collect()
        };
        let is_sample = self
            .samples
            .iter()
            .any(|s| s.template == template && set(&s.values) == set(&inputs.values) && s.files == inputs.files);
        if is_sample {
            SAMPLE_TODAY.to_string()
        } else {
            today()
        }
    }

    /// The export of `answer` with the settings applied: letterhead lines, logo and signatory
    /// for letters (the settings' place and signatory fill what the template's fields leave
    /// empty), the "prepared with" line for reports unless switched off.
    pub fn export_doc<'a>(&self, tpl: &Template, prepared: &Prepared, answer: &'a str, opts: &ExportOptions) -> ExportDoc<'a> {
        let mut doc = export_doc(tpl, prepared, answer);
        let lh = &self.settings.letterhead;
        let ar = prepared.language == Lang::Ar;
        let pick = |fr: &Option<String>, ar_v: &Option<String>| if ar { ar_v.clone().or_else(|| fr.clone()) } else { fr.clone() };
        if let Some(l) = doc.letter.as_mut() {
            if l.ville.is_none() {
                l.ville = pick(&lh.ville, &lh.ville_ar).filter(|v| !v.trim().is_empty());
            }
            if l.signataire.is_none() {
                l.signataire = pick(&lh.signature_title, &lh.signature_title_ar).filter(|v| !v.trim().is_empty());
            }
            doc.letterhead = Some(crate::export::Letterhead {
                fr: lh.fr.clone(),
                ar: lh.ar.clone(),
                logo: lh.logo.clone(),
                signature_name: pick(&lh.signature_name, &lh.signature_name_ar),
                hijri: lh.hijri,
            });
        } else {
            doc.toc = opts.toc;
            if self.settings.prepared_with && !opts.no_prepared_with {
                let title = tpl.title.get(prepared.language);
                doc.prepared_with = Some(crate::export::prepared_with_line(title, opts.model.as_deref(), &opts.today, prepared.language));
            }
        }
        doc
    }

    /// Fingerprints of every sample's prompt, for practice mode. A sample that no longer renders
    /// (its template was overridden or edited) simply has no saved answer.
    pub fn practice_index(&self) -> (HashMap<String, PathBuf>, Vec<(String, crate::Error)>) {
        let limits = self.limits();
        let mut map = HashMap::new();
        let mut errors = Vec::new();
        for s in &self.samples {
            let r = self
                .catalog
                .get(&s.template)
                .map_err(crate::Error::from)
                .and_then(|t| prepare(t, &Inputs::from_sample(s), &limits, &sample_today(s)));
            match r {
                Ok(p) => {
                    map.insert(fingerprint(&p.messages()), s.answer.clone());
                }
                Err(e) => errors.push((s.id.clone(), e)),
            }
        }
        (map, errors)
    }

    /// The provider for `profile` (a name, "practice", or `None` for the configured default).
    /// Reads the keychain: call it outside an async context.
    pub fn provider(&self, profile: Option<&str>) -> Result<Chosen> {
        match self.profiles.choose(profile)? {
            None => Ok(Chosen {
                provider: Box::new(Practice::new(self.practice_index().0, Practice::default_pace())),
                key_source: None,
                notice: None,
            }),
            Some(p) => self.endpoint(p.clone()),
        }
    }

    /// The endpoint of profile `p`, its key read from the keychain (this blocks).
    pub fn endpoint(&self, p: Profile) -> Result<Chosen> {
        let found = secrets::find_key(&p.name);
        self.endpoint_with_key(p, found)
    }

    /// The endpoint of profile `p` with its key already looked up (async callers do that
    /// off-thread).
    pub fn endpoint_with_key(&self, p: Profile, found: secrets::FoundKey) -> Result<Chosen> {
        Ok(Chosen { provider: Box::new(OpenAi::new(p, found.key)?), key_source: found.source, notice: found.notice })
    }
}

/// The `today` every sample renders with, so that a sample's prompt, and so its practice answer,
/// does not change with the calendar.
pub const SAMPLE_TODAY: &str = "2026-11-23";

pub fn sample_today(_s: &Sample) -> String {
    SAMPLE_TODAY.to_string()
}

/// Path helper for messages: the file name only.
pub fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| p.display().to_string())
}
