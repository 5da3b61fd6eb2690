//! A merge checked before anything is sent or written: [`prepare`] reads the sheet, maps its
//! columns to the template's fields, resolves every row against the template (required fields,
//! dates, choices) exactly as a single letter's form would be, names each letter's file, reads
//! the approved draft, previews the first rows and estimates what a merge with one request per
//! row costs. The result is a [`Merge`] (what the engine runs) and its [`Plan`] (what the front
//! ends show: the mapping to correct, the rows that cannot go, the preview, the estimate).
//!
//! Bad input stops here, before any file is written: an empty sheet, no header, a mapped column
//! missing, two columns with the same name, cells in error or required fields empty on some rows
//! (listed; `skip_incomplete` lets the others go).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use katib_core::run::{resolve, Inputs, Job, Resolved, Route, Workbench};
use katib_core::templates::{FieldType, Part, Template};
use katib_core::{DataClass, Lang};
use serde::{Deserialize, Serialize};

use crate::draft::{self, Draft, MergeField, Slot};
use crate::error::{MergeError, Result, RowProblem};
use crate::mapping::{self, Mapping, Origin};
use crate::names::{self, NamePattern, Namer};
use crate::table::{self, Table, Value};
use crate::text::approx_tokens;

/// The two ways to merge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// One draft with merge fields, approved, then filled in locally for every row.
    #[default]
    Draft,
    /// One request (and one answer) per row.
    PerRow,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "draft" | "brouillon" => Some(Mode::Draft),
            "per-row" | "row" | "par-ligne" => Some(Mode::PerRow),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Draft => "draft",
            Mode::PerRow => "per_row",
        }
    }
}

/// An approved draft, and where it was read from (for messages).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DraftSource {
    pub text: String,
    pub path: PathBuf,
}

impl DraftSource {
    pub fn new(text: impl Into<String>, path: impl Into<PathBuf>) -> DraftSource {
        DraftSource { text: text.into(), path: path.into() }
    }
}

/// What a front end asks for (the window sends it as JSON, in the same snake_case as the plan
/// and the events it gets back).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Request {
    pub template: String,
    /// The sheet (.xlsx, .ods, .csv, .xls).
    pub rows: PathBuf,
    /// The sheet's name in a workbook (None: the first one holding data).
    pub sheet: Option<String>,
    /// Field -> column, or text with columns in braces (`{Civilité} {Nom}`).
    pub map: BTreeMap<String, String>,
    /// Fields given for every letter.
    pub values: BTreeMap<String, String>,
    pub mode: Mode,
    /// The approved draft (draft mode).
    pub draft: Option<DraftSource>,
    /// The letters' file name pattern (`{Nom}-{CIN}`); None: the row and the addressee.
    pub names: Option<String>,
    /// A profile name, "practice", or None for the default.
    pub profile: Option<String>,
    /// Requests at once (per-row mode); None: the profile's.
    pub concurrency: Option<usize>,
    /// Write the letters of the complete rows and list the others, instead of stopping.
    pub skip_incomplete: bool,
    /// Final letters: those with no N° get the next numbers of the outgoing-mail register.
    pub final_letters: bool,
    /// Fill this Word letterhead (None: the settings', else Katib's own layout).
    pub letterhead: Option<PathBuf>,
    /// Which practice variant a learner gets.
    pub seed: String,
    /// Start from the mapping remembered for the template (a sample's run does not).
    pub use_remembered: bool,
}

/// More rows than this in per-row mode need an explicit confirmation.
pub const CONFIRM_ABOVE: usize = 1000;

/// A row that becomes a letter.
#[derive(Clone, Debug)]
pub struct Letter {
    /// Index into the table's rows.
    pub index: usize,
    /// The row's number in the sheet.
    pub row: u32,
    /// The form of this letter (values given for all, and the row's).
    pub inputs: Inputs,
    /// Those inputs checked against the template.
    pub resolved: Resolved,
    /// The letter's file name, in the output folder.
    pub file: String,
}

/// A checked merge, ready to run.
#[derive(Clone, Debug)]
pub struct Merge {
    pub template: Template,
    pub table: Table,
    pub mapping: Mapping,
    pub request: Request,
    pub letters: Vec<Letter>,
    pub skipped: Vec<RowProblem>,
    pub names: NamePattern,
    pub draft: Option<Draft>,
    pub fields: Vec<MergeField>,
    pub language: Lang,
    /// SHA-256 of the sheet file.
    pub sheet_hash: String,
    pub plan: Plan,
}

/// A column as the front ends show it.
#[derive(Clone, Debug, Serialize)]
pub struct ColumnView {
    pub letter: String,
    pub header: String,
    /// The fields it fills.
    pub fills: Vec<String>,
}

/// A field and where its value comes from.
#[derive(Clone, Debug, Serialize)]
pub struct FieldView {
    pub name: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    pub required: bool,
    /// The column or pattern filling it, as written.
    pub source: Option<String>,
    pub origin: Option<Origin>,
    /// Given for every letter.
    pub common: Option<String>,
}

/// One of the first rows, before anything is sent.
#[derive(Clone, Debug, Serialize)]
pub struct Preview {
    pub row: u32,
    pub file: String,
    /// Per-row mode: the messages exactly as they will leave (pseudonymised when the profile
    /// requires it). Draft mode without a draft: the draft request's.
    pub messages: Vec<katib_core::providers::Message>,
    /// Practice mode: the saved answer this row replays. Draft mode with a draft: the filled body.
    pub answer: Option<String>,
}

/// What a merge with one request per row will cost, before it starts.
#[derive(Clone, Debug, Serialize)]
pub struct Estimate {
    pub requests: usize,
    /// Approximate (about four characters a token), not a tokenizer's count.
    pub prompt_tokens: u64,
    pub answer_tokens: u64,
    pub concurrency: usize,
    /// Seconds for one request at this profile's pace.
    pub seconds_per_request: f64,
    pub seconds: f64,
    /// Where the pace comes from: "history" (this profile's past runs), "practice", "assumed".
    pub pace_from: String,
}

/// Where the requests go.
#[derive(Clone, Debug, Serialize)]
pub struct RouteView {
    /// practice | endpoint | fixed
    pub kind: &'static str,
    pub profile: Option<String>,
    pub data_class: Option<DataClass>,
    /// Each row's personal data is replaced by placeholders before it leaves.
    pub pseudonymised: bool,
}

/// What the front ends show before a merge starts.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    pub template: String,
    pub title: String,
    pub language: Lang,
    pub mode: Mode,
    pub file: PathBuf,
    pub sheet: String,
    pub header_row: u32,
    pub rows: usize,
    pub columns: Vec<ColumnView>,
    pub fields: Vec<FieldView>,
    /// The merge fields a draft may use.
    pub merge_fields: Vec<MergeField>,
    /// Letters that will be written.
    pub ready: usize,
    /// Rows that cannot become letters (left out with `skip_incomplete`).
    pub incomplete: Vec<RowProblem>,
    pub names: String,
    pub preview: Vec<Preview>,
    pub estimate: Option<Estimate>,
    pub route: RouteView,
    pub concurrency: usize,
    /// More than [`CONFIRM_ABOVE`] requests: the user must confirm.
    pub needs_confirmation: bool,
    pub warnings: Vec<String>,
}

/// The merge's own files in the output folder, never a letter's name.
pub const COMBINED: &str = "publipostage.docx";
pub const TRACKING: &str = "publipostage-suivi.xlsx";

fn sha256_file(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path).map_err(|e| MergeError::io(path, e))?;
    Ok(Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect())
}

/// A resolve error as a sentence about the row.
fn problem_of(e: &katib_core::Error, tpl: &Template, lang: Lang) -> String {
    use katib_core::error::TemplateError;
    match e {
        katib_core::Error::Template(TemplateError::MissingField { field, .. }) => {
            let label = tpl.field(field).map(|f| f.label.get(lang).to_string()).unwrap_or_else(|| field.clone());
            format!("« {label} » ({field}) est vide")
        }
        katib_core::Error::Template(TemplateError::BadValue { field, reason, .. }) => format!("{field} : {reason}"),
        other => other.to_string(),
    }
}

/// Checks a merge, previews its first letters and estimates its cost: see the module doc.
pub fn prepare(wb: &Workbench, req: &Request) -> Result<Merge> {
    let mut merge = check(wb, req)?;
    merge.plan.preview = previews(wb, &merge)?;
    if merge.request.mode == Mode::PerRow {
        let route = wb.route(&merge.template, req.profile.as_deref())?;
        merge.plan.estimate = Some(estimate(wb, &merge, &route));
    }
    Ok(merge)
}

/// Checks a merge without preview or estimate (nothing rendered, nothing looked up).
pub fn check(wb: &Workbench, req: &Request) -> Result<Merge> {
    let tpl = wb.template(&req.template)?.clone();
    if !tpl.output.is_framed() {
        return Err(MergeError::NotALetter { template: tpl.id.clone() });
    }
    for k in req.values.keys() {
        if tpl.field(k).is_none() {
            return Err(MergeError::UnknownField {
                template: tpl.id.clone(),
                field: k.clone(),
                known: tpl.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "),
            });
        }
    }
    let limits = katib_sheet::Limits {
        max_file_bytes: wb.settings.max_file_mb.max(1) << 20,
        timeout: Some(std::time::Duration::from_secs(wb.settings.read_timeout_secs.max(10))),
        ..Default::default()
    };
    let table = table::read(&req.rows, req.sheet.as_deref(), &limits)?;
    let sheet_hash = sha256_file(&req.rows)?;
    let remembered = if req.use_remembered { mapping::recall(&wb.paths.config_dir, &tpl.id) } else { BTreeMap::new() };
    let (mapping, mut warnings) = mapping::map(&tpl, &table, &req.map, &remembered, &req.values)?;
    warnings.extend(table.warnings.iter().cloned());
    // The language of the letters: the common values decide it (a language column is a field
    // like any other, but one draft is written in one language).
    let language = tpl.output_language(&req.values);
    // A required field with no default that neither a column nor the common values fill.
    for f in &tpl.fields {
        let filled = mapping.get(&f.name).is_some() || req.values.contains_key(&f.name) || f.default.is_some();
        if f.required && !filled && f.kind != FieldType::File {
            return Err(MergeError::Unmapped { field: f.name.clone(), label: f.label.get(language).to_string() });
        }
        if f.kind == FieldType::File && f.required {
            return Err(MergeError::FileField { template: tpl.id.clone(), field: f.name.clone() });
        }
    }
    if req.mode == Mode::Draft {
        if let katib_core::templates::LanguageSpec::Field(f) = &tpl.language {
            if mapping.get(f).is_some() {
                return Err(MergeError::DraftTypedField { field: f.clone(), kind: "language".into() });
            }
        }
    }
    let fields = draft::merge_fields(&tpl, &table, &mapping, language);
    let draft = match (&req.draft, req.mode) {
        (Some(d), Mode::Draft) => Some(Draft::parse(&d.text, &fields, &tpl, &d.path)?),
        _ => None,
    };
    let field_names: Vec<String> = tpl.fields.iter().map(|f| f.name.clone()).collect();
    let names = match &req.names {
        Some(spec) => NamePattern::parse(spec, &table, &field_names)?,
        None => {
            let addressee = tpl.part_field(Part::Destinataire).filter(|f| mapping.get(f).is_some());
            NamePattern::default_for(addressee)
        }
    };
    // Every row, resolved as a single letter's form is.
    let width = table.rows.iter().map(|r| r.number).max().unwrap_or(1).to_string().len();
    let mut namer = Namer::new(&[COMBINED, TRACKING, crate::journal::FILE_NAME]);
    let mut letters = Vec::new();
    let mut problems = Vec::new();
    let draft_columns: Vec<usize> = draft
        .as_ref()
        .map(|d| d.slots().into_iter().filter_map(|s| if let Slot::Column(i) = s { Some(*i) } else { None }).collect())
        .unwrap_or_default();
    for (index, row) in table.rows.iter().enumerate() {
        let mut inputs = Inputs { values: req.values.clone(), files: BTreeMap::new(), mapping: BTreeMap::new() };
        let mut issues = Vec::new();
        for src in &mapping.fields {
            let (value, errors) = src.pattern.value(row);
            for i in errors {
                let c = &table.columns[i];
                let e = match &row.values[i] {
                    Value::Error(e) => e.clone(),
                    _ => String::new(),
                };
                issues.push(format!("cellule {}{} en erreur ({e}), colonne « {} »", c.letter, row.number, c.header));
            }
            if !value.is_empty() {
                inputs.values.insert(src.field.clone(), value);
            }
        }
        for &i in &draft_columns {
            let c = &table.columns[i];
            match &row.values[i] {
                Value::Error(e) => issues.push(format!("cellule {}{} en erreur ({e}), colonne « {} »", c.letter, row.number, c.header)),
                Value::Empty => issues.push(format!("colonne « {} » vide (le brouillon l'utilise)", c.header)),
                Value::Text(_) => {}
            }
        }
        let resolved = match resolve(&tpl, &inputs) {
            Ok(r) => Some(r),
            Err(e) => {
                issues.push(problem_of(&e, &tpl, language));
                None
            }
        };
        // A field the draft uses must have a value in every letter.
        if let (Some(d), Some(r)) = (&draft, &resolved) {
            for s in d.slots() {
                if let Slot::Field(f) = s {
                    if r.values.get(f).is_none_or(|v| v.trim().is_empty()) {
                        let label = tpl.field(f).map(|x| x.label.get(language).to_string()).unwrap_or_else(|| f.clone());
                        issues.push(format!("« {label} » ({f}) est vide (le brouillon l'utilise)"));
                    }
                }
            }
        }
        match resolved {
            Some(resolved) if issues.is_empty() => {
                let stem = names::safe(&names.raw(row, &resolved.values, width));
                let file = namer.unique(&stem, "docx");
                letters.push(Letter { index, row: row.number, inputs, resolved, file });
            }
            _ => problems.push(RowProblem { row: row.number, problems: issues }),
        }
    }
    if letters.is_empty() {
        return Err(MergeError::NothingToWrite { path: table.path.clone(), rows: problems });
    }
    if !problems.is_empty() && !req.skip_incomplete {
        return Err(MergeError::Incomplete { path: table.path.clone(), total: table.rows.len(), rows: problems });
    }
    let route = wb.route(&tpl, req.profile.as_deref())?;
    let (data_class, protection) = katib_core::run::decide(&route, &wb.policy, None)?;
    let route_view = RouteView {
        kind: match route {
            Route::Fixed => "fixed",
            Route::Practice => "practice",
            Route::Endpoint(_) => "endpoint",
        },
        profile: match &route {
            Route::Endpoint(p) => Some(p.name.clone()),
            _ => None,
        },
        data_class,
        pseudonymised: protection == katib_core::run::Protection::Pseudonymised,
    };
    let concurrency = req
        .concurrency
        .filter(|c| *c > 0)
        .unwrap_or_else(|| match &route {
            Route::Endpoint(p) => p.batch_concurrency() as usize,
            _ => katib_core::config::Profile::DEFAULT_CONCURRENCY as usize,
        })
        .min(64);
    Ok(Merge {
        plan: Plan {
            template: tpl.id.clone(),
            title: tpl.title.get(language).to_string(),
            language,
            mode: req.mode,
            file: table.path.clone(),
            sheet: table.sheet.clone(),
            header_row: table.header_row,
            rows: table.rows.len(),
            columns: table
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| ColumnView {
                    letter: c.letter.clone(),
                    header: c.header.clone(),
                    fills: mapping.fields.iter().filter(|f| f.pattern.columns().any(|x| x == i)).map(|f| f.field.clone()).collect(),
                })
                .collect(),
            fields: tpl
                .fields
                .iter()
                .filter(|f| f.kind != FieldType::File)
                .map(|f| {
                    let src = mapping.get(&f.name);
                    FieldView {
                        name: f.name.clone(),
                        label: f.label.get(language).to_string(),
                        kind: f.kind,
                        required: f.required,
                        source: src.map(|s| s.pattern.describe(&table)),
                        origin: src.map(|s| s.origin),
                        common: req.values.get(&f.name).cloned(),
                    }
                })
                .collect(),
            merge_fields: fields.clone(),
            ready: letters.len(),
            incomplete: problems.clone(),
            names: names.source().to_string(),
            preview: Vec::new(),
            estimate: None,
            route: route_view,
            concurrency,
            needs_confirmation: req.mode == Mode::PerRow && letters.len() > CONFIRM_ABOVE,
            warnings,
        },
        template: tpl,
        table,
        mapping,
        request: req.clone(),
        letters,
        skipped: problems,
        names,
        draft,
        fields,
        language,
        sheet_hash,
    })
}

impl Merge {
    /// The job of letter `i` (per-row mode).
    pub fn job(&self, i: usize) -> Job {
        Job {
            template: self.template.id.clone(),
            inputs: self.letters[i].inputs.clone(),
            profile: self.request.profile.clone(),
            seed: self.request.seed.clone(),
            unmasked: None,
            messages: None,
        }
    }

    /// The body of letter `i` (draft mode): the draft with the letter's values.
    pub fn body(&self, i: usize, values: &BTreeMap<String, String>) -> Option<String> {
        let d = self.draft.as_ref()?;
        let l = &self.letters[i];
        let row = &self.table.rows[l.index];
        Some(d.fill(|slot| draft::slot_text(slot, &self.template, &self.table, row, values, self.language)))
    }

    /// The mapping as written, field -> source (what is remembered and journaled).
    pub fn mapping_text(&self) -> BTreeMap<String, String> {
        self.mapping.describe(&self.table)
    }

    /// The request that asks the model for the draft: the template rendered with each field
    /// filled from the sheet written as its merge field, and the instruction listing them.
    pub fn draft_job(&self) -> Result<Job> {
        let mut inputs = Inputs { values: self.request.values.clone(), files: BTreeMap::new(), mapping: BTreeMap::new() };
        for src in &self.mapping.fields {
            let f = self.template.field(&src.field);
            match f.map(|f| f.kind) {
                Some(FieldType::Text | FieldType::Textarea | FieldType::Signatory) | None => {
                    inputs.values.insert(src.field.clone(), format!("{{{{{}}}}}", src.field));
                }
                Some(kind) => {
                    return Err(MergeError::DraftTypedField {
                        field: src.field.clone(),
                        kind: format!("{kind:?}").to_lowercase(),
                    })
                }
            }
        }
        Ok(Job { template: self.template.id.clone(), inputs, profile: self.request.profile.clone(), seed: self.request.seed.clone(), unmasked: None, messages: None })
    }

    /// The draft request ready to send: the run of [`Merge::draft_job`] with the merge
    /// instruction added to what leaves.
    pub fn draft_run(&self, wb: &Workbench) -> Result<katib_core::run::Run> {
        let mut run = wb.start(&self.draft_job()?)?;
        let rule = draft::instruction(&self.fields, run.prepared.language);
        if let Some(m) = run.request.messages.iter_mut().rev().find(|m| m.role == katib_core::providers::Role::User) {
            m.content = format!("{}\n\n{rule}", m.content.trim_end());
        }
        Ok(run)
    }
}

/// The first three letters before anything is sent.
fn previews(wb: &Workbench, m: &Merge) -> Result<Vec<Preview>> {
    let mut out = Vec::new();
    match (m.request.mode, &m.draft) {
        (Mode::Draft, None) => {
            // The one request of draft mode, as it will leave.
            let run = m.draft_run(wb)?;
            let answer = run.recording.as_ref().and_then(|r| std::fs::read_to_string(&r.answer).ok());
            out.push(Preview { row: 0, file: String::new(), messages: run.request.messages, answer });
        }
        (Mode::Draft, Some(_)) => {
            for (i, l) in m.letters.iter().enumerate().take(3) {
                out.push(Preview { row: l.row, file: l.file.clone(), messages: Vec::new(), answer: m.body(i, &l.resolved.values) });
            }
        }
        (Mode::PerRow, _) => {
            for i in 0..m.letters.len().min(3) {
                let run = wb.start(&m.job(i))?;
                let answer = run.recording.as_ref().and_then(|r| std::fs::read_to_string(&r.answer).ok());
                out.push(Preview { row: m.letters[i].row, file: m.letters[i].file.clone(), messages: run.request.messages, answer });
            }
        }
    }
    Ok(out)
}

/// Requests, tokens and time of a per-row merge, before it starts.
fn estimate(wb: &Workbench, m: &Merge, route: &Route) -> Estimate {
    let n = m.letters.len();
    // The prompts of up to 200 rows, the rest extrapolated: rendering is cheap, but a plan
    // should answer at once.
    let sample = n.min(200);
    let mut prompt = 0u64;
    let limits = wb.limits();
    let today = katib_core::run::today();
    let ctx = katib_core::run::Context { limits: &limits, today: &today, settings: &wb.settings };
    for l in m.letters.iter().take(sample) {
        if let Ok(p) = katib_core::run::render(&m.template, &l.resolved, &ctx) {
            prompt += approx_tokens(&p.system) + approx_tokens(&p.user);
        }
    }
    let prompt_tokens = if sample > 0 { prompt * n as u64 / sample as u64 } else { 0 };
    // An answer is about as long as the template's saved practice answers.
    let answers: Vec<u64> = wb
        .samples
        .iter()
        .filter(|s| s.template == m.template.id)
        .filter_map(|s| std::fs::read_to_string(&s.answer).ok())
        .map(|t| approx_tokens(&t))
        .collect();
    let per_answer = if answers.is_empty() { 500 } else { answers.iter().sum::<u64>() / answers.len() as u64 };
    let answer_tokens = per_answer * n as u64;
    let concurrency = m.plan.concurrency.max(1);
    let (per, from) = match route {
        Route::Endpoint(p) => pace_from_history(wb, &p.name).map(|s| (s, "history")).unwrap_or((1.0 + per_answer as f64 / 30.0, "assumed")),
        _ => {
            let words = per_answer as f64 * 0.75;
            (katib_core::providers::Practice::default_pace().as_secs_f64() * words, "practice")
        }
    };
    let waves = n.div_ceil(concurrency);
    Estimate {
        requests: n,
        prompt_tokens,
        answer_tokens,
        concurrency,
        seconds_per_request: per,
        seconds: per * waves as f64,
        pace_from: from.into(),
    }
}

/// The mean duration of this profile's last successful runs, in seconds.
fn pace_from_history(wb: &Workbench, profile: &str) -> Option<f64> {
    let h = wb.history().ok()?;
    let filter = katib_history::Filter {
        profile: Some(profile.to_string()),
        status: Some(katib_history::Status::Done),
        limit: Some(50),
        ..Default::default()
    };
    let runs = h.list(&filter).ok()?;
    let ds: Vec<u64> = runs.iter().filter_map(|r| r.duration_ms).collect();
    (!ds.is_empty()).then(|| ds.iter().sum::<u64>() as f64 / ds.len() as f64 / 1000.0)
}
