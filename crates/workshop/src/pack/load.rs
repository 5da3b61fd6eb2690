//! Reading a pack folder and checking everything in it: the manifest (and first whether this
//! Katib is recent enough for it), the templates it carries, each exercise (template, inputs,
//! saved answers, rubric). Errors and warnings name the file and the line.
//!
//! [`validate`] collects every problem (`katib pack validate`); [`open`] stops at the first. In
//! [`Mode::Lenient`] (packs already imported, loaded at each start) an answer that no longer
//! replays is a warning, not an error: the user may have edited a template since.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use katib_core::run::{normalize_date, resolve, Inputs, ReplayKey, Workbench};
use katib_core::templates::{Generate, Part, Template};
use katib_core::{Lang, Localized};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use toml::Spanned;

use super::{paths, Exercise, Manifest, Origin, Pack, SavedAnswer, Warning, FORMAT};
use crate::error::{Result, WorkshopError};
use crate::rubric::{self, Addressee, Check, CheckKind, LetterPart, Rubric, SelfCheckItem};
use crate::text::line_of;

/// How strict loading is about answers that no longer replay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Validate, import, export: every problem is an error.
    Strict,
    /// Packs already imported: an answer that no longer replays is left out, with a warning.
    Lenient,
}

/// Everything wrong with a pack.
#[derive(Debug, Default)]
pub struct Report {
    pub errors: Vec<WorkshopError>,
    pub warnings: Vec<Warning>,
}

#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    format: Option<Spanned<toml::Value>>,
    #[serde(default)]
    requires: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    #[allow(dead_code)]
    format: u32,
    id: Spanned<String>,
    version: String,
    #[serde(default)]
    requires: Option<String>,
    title: Spanned<Localized>,
    #[serde(default)]
    description: Option<Localized>,
    #[serde(default)]
    objectives: Vec<Localized>,
    #[serde(default)]
    audience: Option<Localized>,
    #[serde(default)]
    duration: Option<Localized>,
    #[serde(default)]
    languages: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    guide: Option<Spanned<String>>,
    #[serde(default)]
    guide_ar: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswer {
    file: Spanned<String>,
    date: Spanned<toml::Value>,
    template_version: u32,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    flaw: Option<Localized>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    model: Option<String>,
}

/// A fact: one spelling, or several accepted ones.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawFact {
    One(String),
    Any(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    explain: Option<Localized>,
    #[serde(default)]
    parts: Option<Vec<String>>,
    #[serde(default)]
    addressee: Option<String>,
    #[serde(default)]
    min: Option<i64>,
    #[serde(default)]
    max: Option<i64>,
    #[serde(default)]
    facts: Option<Vec<RawFact>>,
    #[serde(default)]
    allow: Option<Vec<String>>,
    #[serde(default)]
    allowed: Option<Vec<String>>,
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSelfCheck {
    #[serde(default)]
    id: Option<String>,
    fr: String,
    #[serde(default)]
    ar: Option<String>,
    #[serde(default)]
    en: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExercise {
    id: Spanned<String>,
    #[serde(default)]
    day: Option<u32>,
    #[serde(default)]
    team: bool,
    title: Spanned<Localized>,
    instructions: Spanned<Localized>,
    #[serde(default)]
    notes: Option<Localized>,
    template: Spanned<String>,
    #[serde(default)]
    language: Option<Spanned<String>>,
    #[serde(default)]
    values: Option<Spanned<BTreeMap<String, toml::Value>>>,
    #[serde(default)]
    files: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    answers: Vec<Spanned<RawAnswer>>,
    #[serde(default)]
    checks: Vec<Spanned<RawCheck>>,
    #[serde(default)]
    self_check: Vec<Spanned<RawSelfCheck>>,
}

/// Parses TOML `text` of `path`, errors with their line.
fn parse_toml<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T> {
    toml::from_str(text).map_err(|e| WorkshopError::Invalid {
        path: path.into(),
        line: e.span().map(|s| line_of(text, s.start)).unwrap_or(1),
        message: e.message().trim().to_string(),
    })
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| WorkshopError::io(path, e))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| WorkshopError::Invalid { path: path.into(), line: 1, message: "not UTF-8 text: save the file as UTF-8".into() })?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// "0.1.0" -> [0, 1, 0]; None if not numbers separated by dots.
pub fn version_parts(v: &str) -> Option<Vec<u64>> {
    v.trim().split('.').map(|p| p.parse().ok()).collect()
}

/// Whether this Katib (its Cargo version) is at least `required`.
pub fn app_satisfies(required: &str) -> Option<bool> {
    let need = version_parts(required)?;
    let have = version_parts(env!("CARGO_PKG_VERSION"))?;
    let n = need.len().max(have.len());
    let pad = |v: &[u64]| (0..n).map(|i| v.get(i).copied().unwrap_or(0)).collect::<Vec<_>>();
    Some(pad(&have) >= pad(&need))
}

/// Checks the manifest's `format` and `requires` alone, before anything else: a newer pack
/// may use fields this Katib does not know, and must get "update Katib", not "unknown field".
fn check_head(text: &str, path: &Path) -> Result<()> {
    let head: Head = parse_toml(text, path)?;
    let Some(format) = head.format else {
        return Err(WorkshopError::Invalid { path: path.into(), line: 1, message: format!("missing `format = {FORMAT}` (the pack format version)") });
    };
    let line = line_of(text, format.span().start);
    let Some(n) = format.get_ref().as_integer() else {
        return Err(WorkshopError::Invalid { path: path.into(), line, message: "format must be a whole number (format = 1)".into() });
    };
    if n > i64::from(FORMAT) {
        return Err(WorkshopError::TooNew { path: path.into(), needed: format!("pack format {n}"), have: format!("version {} (pack format up to {FORMAT})", env!("CARGO_PKG_VERSION")) });
    }
    if n < 1 {
        return Err(WorkshopError::Invalid { path: path.into(), line, message: format!("format {n} does not exist: use format = {FORMAT}") });
    }
    if let Some(req) = head.requires {
        match app_satisfies(req.get_ref()) {
            None => {
                return Err(WorkshopError::Invalid { path: path.into(), line: line_of(text, req.span().start), message: format!("requires = \"{}\" is not a version like \"0.1.0\"", req.get_ref()) })
            }
            Some(false) => {
                return Err(WorkshopError::TooNew { path: path.into(), needed: format!("Katib {}", req.get_ref()), have: format!("version {}", env!("CARGO_PKG_VERSION")) })
            }
            Some(true) => {}
        }
    }
    Ok(())
}

/// Loads and checks the pack in `dir`, collecting every problem.
pub fn validate(dir: &Path, wb: &Workbench) -> (Option<Pack>, Report) {
    let mut report = Report::default();
    let pack = Loader { dir, wb, mode: Mode::Strict, report: &mut report }.load(Origin::Folder);
    (pack, report)
}

/// Loads the pack in `dir`, stopping at its first error.
pub fn open(dir: &Path, wb: &Workbench, origin: Origin, mode: Mode) -> Result<(Pack, Vec<Warning>)> {
    let mut report = Report::default();
    let pack = Loader { dir, wb, mode, report: &mut report }.load(origin);
    match (pack, report.errors.into_iter().next()) {
        (_, Some(e)) => Err(e),
        (Some(p), None) => Ok((p, report.warnings)),
        (None, None) => Err(WorkshopError::Invalid { path: dir.into(), line: 1, message: "not a pack".into() }),
    }
}

struct Loader<'a> {
    dir: &'a Path,
    wb: &'a Workbench,
    mode: Mode,
    report: &'a mut Report,
}

impl Loader<'_> {
    fn warn(&mut self, path: &Path, line: usize, message: String) {
        self.report.warnings.push(Warning { path: path.into(), line, message });
    }

    /// An error in strict mode, a warning in lenient mode.
    fn stale(&mut self, path: &Path, line: usize, message: String) {
        match self.mode {
            Mode::Strict => self.report.errors.push(WorkshopError::Invalid { path: path.into(), line, message }),
            Mode::Lenient => self.warn(path, line, message),
        }
    }

    fn load(mut self, origin: Origin) -> Option<Pack> {
        if !self.dir.is_dir() {
            self.report.errors.push(WorkshopError::Invalid { path: self.dir.into(), line: 1, message: "not a folder: a pack is a folder, or a .katib file to import".into() });
            return None;
        }
        // No symbolic link anywhere in the pack.
        if let Err(e) = paths::walk(self.dir) {
            self.report.errors.push(e);
            return None;
        }
        let manifest_path = self.dir.join("pack.toml");
        let manifest = match self.manifest(&manifest_path) {
            Ok(m) => m,
            Err(e) => {
                self.report.errors.push(e);
                return None;
            }
        };
        let templates = self.templates();
        let mut exercises = Vec::new();
        let ex_dir = self.dir.join("exercises");
        let files: Vec<PathBuf> = match std::fs::read_dir(&ex_dir) {
            Ok(rd) => {
                let mut v: Vec<PathBuf> = rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect();
                v.sort();
                v
            }
            Err(_) => Vec::new(),
        };
        if files.is_empty() {
            self.report.errors.push(WorkshopError::Invalid { path: ex_dir.clone(), line: 1, message: "no exercise: add exercises/01-NAME.toml (see docs/packs.md)".into() });
        }
        let mut ids = HashSet::new();
        for (i, f) in files.iter().enumerate() {
            match self.exercise(f, i + 1, &templates) {
                Ok(ex) => {
                    if !ids.insert(ex.id.clone()) {
                        self.report.errors.push(WorkshopError::Invalid { path: f.clone(), line: 1, message: format!("exercise id '{}' is used twice in the pack", ex.id) });
                    }
                    exercises.push(ex);
                }
                Err(e) => self.report.errors.push(e),
            }
        }
        Some(Pack { dir: self.dir.to_path_buf(), origin, manifest, exercises, templates })
    }

    fn manifest(&mut self, path: &Path) -> Result<Manifest> {
        if !path.is_file() {
            return Err(WorkshopError::Invalid { path: path.into(), line: 1, message: "no pack.toml: a pack folder starts with its manifest (`katib pack new DIR` writes one)".into() });
        }
        let text = read_text(path)?;
        check_head(&text, path)?;
        let raw: RawManifest = parse_toml(&text, path)?;
        let id = raw.id.get_ref();
        if !is_id(id) {
            return Err(WorkshopError::Invalid { path: path.into(), line: line_of(&text, raw.id.span().start), message: format!("id '{id}' must use a-z, 0-9 and -") });
        }
        let mut languages = Vec::new();
        if let Some(ls) = &raw.languages {
            for l in ls.get_ref() {
                match Lang::parse(l) {
                    Some(lang) => languages.push(lang),
                    None => return Err(WorkshopError::Invalid { path: path.into(), line: line_of(&text, ls.span().start), message: format!("language '{l}' must be fr, ar or en") }),
                }
            }
        }
        if raw.title.get_ref().ar.is_none() {
            self.warn(path, line_of(&text, raw.title.span().start), "title has no Arabic version (ar = \"...\")".into());
        }
        let guide_path = |g: &Option<Spanned<String>>| -> Result<Option<String>> {
            match g {
                None => Ok(None),
                Some(g) => {
                    paths::resolve(self.dir, g.get_ref(), path, line_of(&text, g.span().start))?;
                    Ok(Some(g.get_ref().clone()))
                }
            }
        };
        let guide = guide_path(&raw.guide)?;
        let guide_ar = guide_path(&raw.guide_ar)?;
        if guide.is_none() {
            self.warn(path, 1, "no trainer guide (guide = \"guide.md\")".into());
        }
        Ok(Manifest {
            format: FORMAT,
            id: raw.id.into_inner(),
            version: raw.version,
            requires: raw.requires,
            title: raw.title.into_inner(),
            description: raw.description,
            objectives: raw.objectives,
            audience: raw.audience,
            duration: raw.duration,
            languages,
            authors: raw.authors,
            guide,
            guide_ar,
        })
    }

    fn templates(&mut self) -> Vec<Template> {
        let dir = self.dir.join("templates");
        let mut out: Vec<Template> = Vec::new();
        let Ok(rd) = std::fs::read_dir(&dir) else { return out };
        let mut files: Vec<PathBuf> = rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "md")).collect();
        files.sort();
        for p in files {
            let text = match read_text(&p) {
                Ok(t) => t,
                Err(e) => {
                    self.report.errors.push(e);
                    continue;
                }
            };
            match Template::parse(&text, &p) {
                Ok(t) => {
                    let builtin = self.wb.catalog.all().iter().any(|b| b.builtin && b.id == t.id);
                    if builtin {
                        let line = text.lines().position(|l| l.trim_start().starts_with("id")).map_or(2, |i| i + 1);
                        self.report.errors.push(WorkshopError::ShadowsBuiltin { id: t.id.clone(), path: p.clone(), line });
                    } else if out.iter().any(|o| o.id == t.id) {
                        self.report.errors.push(WorkshopError::Invalid { path: p.clone(), line: 2, message: format!("two templates of the pack have the id '{}'", t.id) });
                    } else {
                        out.push(t);
                    }
                }
                Err(e) => self.report.errors.push(e.into()),
            }
        }
        out
    }

    fn exercise(&mut self, path: &Path, number: usize, templates: &[Template]) -> Result<Exercise> {
        let text = read_text(path)?;
        let raw: RawExercise = parse_toml(&text, path)?;
        let at = |s: std::ops::Range<usize>| line_of(&text, s.start);
        let invalid = |line: usize, message: String| WorkshopError::Invalid { path: path.into(), line, message };
        let id = raw.id.get_ref().clone();
        if !is_id(&id) {
            return Err(invalid(at(raw.id.span()), format!("id '{id}' must use a-z, 0-9 and -")));
        }
        for (what, l) in [("title", &raw.title), ("instructions", &raw.instructions)] {
            if l.get_ref().ar.as_deref().is_none_or(|a| a.trim().is_empty()) {
                self.warn(path, at(l.span()), format!("{what} has no Arabic version (ar = \"...\"): learners reading Arabic need it"));
            }
        }
        // The template: the pack's own first, then Katib's (built-in and the user's).
        let tid = raw.template.get_ref();
        let tpl = match templates.iter().find(|t| &t.id == tid).or_else(|| self.wb.catalog.all().iter().find(|t| &t.id == tid)) {
            Some(t) => t.clone(),
            None => {
                let mut known: Vec<&str> = templates.iter().map(|t| t.id.as_str()).chain(self.wb.catalog.all().iter().map(|t| t.id.as_str())).collect();
                known.dedup();
                return Err(WorkshopError::UnknownTemplate { id: tid.clone(), from: path.into(), line: at(raw.template.span()), known: known.join(", ") });
            }
        };
        // Inputs, checked against the template as a run would check them.
        let mut inputs = Inputs::default();
        let values_line = raw.values.as_ref().map_or(1, |v| at(v.span()));
        if let Some(v) = &raw.values {
            for (k, val) in v.get_ref() {
                let s = match val {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Datetime(d) => d.to_string(),
                    toml::Value::Array(_) | toml::Value::Table(_) => return Err(invalid(values_line, format!("value of '{k}' must be text, a number or a date"))),
                    other => other.to_string(),
                };
                inputs.values.insert(k.clone(), s);
            }
        }
        let files_line = raw.files.as_ref().map_or(1, |v| at(v.span()));
        if let Some(f) = &raw.files {
            for (k, rel) in f.get_ref() {
                inputs.files.insert(k.clone(), paths::resolve(self.dir, rel, path, files_line)?);
            }
        }
        let resolved = resolve(&tpl, &inputs).map_err(|e| {
            let line = if inputs.files.keys().any(|f| e.field() == Some(f)) { files_line } else { values_line };
            invalid(line, format!("the inputs do not fit template '{}': {e}", tpl.id))
        })?;
        let key = ReplayKey::of(&tpl, &resolved).map_err(|e| invalid(files_line, e.to_string()))?;
        let language = match &raw.language {
            Some(l) => Lang::parse(l.get_ref()).ok_or_else(|| invalid(at(l.span()), format!("language '{}' must be fr, ar or en", l.get_ref())))?,
            None => resolved.language,
        };
        if self.mode == Mode::Strict && self.wb.replays().0.find(&key).iter().any(|r| !r.source.contains(':')) {
            self.warn(path, values_line, "these inputs are exactly a built-in sample's: its answer joins this exercise's variants; change one value to keep the variants your own".into());
        }
        // The rubric.
        let mut checks: Vec<Check> = Vec::new();
        for c in &raw.checks {
            let line = at(c.span());
            let check = rubric_check(c.get_ref(), path, line)?;
            if checks.iter().any(|o| o.id == check.id) {
                return Err(WorkshopError::Rubric { path: path.into(), line, message: format!("two checks have the id '{}': give one an id = \"...\"", check.id) });
            }
            checks.push(check);
        }
        let mut self_check = Vec::new();
        for (i, s) in raw.self_check.iter().enumerate() {
            let r = s.get_ref();
            let sid = r.id.clone().unwrap_or_else(|| (i + 1).to_string());
            if self_check.iter().any(|o: &SelfCheckItem| o.id == sid) {
                return Err(WorkshopError::Rubric { path: path.into(), line: at(s.span()), message: format!("two self-check items have the id '{sid}'") });
            }
            self_check.push(SelfCheckItem { id: sid, text: Localized { fr: r.fr.clone(), ar: r.ar.clone(), en: r.en.clone() } });
        }
        let rubric = Rubric { checks, self_check };
        if rubric.checks.is_empty() && rubric.self_check.is_empty() {
            self.warn(path, 1, "no rubric: add [[checks]] and [[self_check]] items".into());
        }
        // Saved answers.
        let mut answers = Vec::new();
        for a in &raw.answers {
            let line = at(a.span());
            let r = a.get_ref();
            let file = paths::resolve(self.dir, r.file.get_ref(), path, at(r.file.span()))?;
            let date_raw = match r.date.get_ref() {
                toml::Value::String(s) => s.clone(),
                toml::Value::Datetime(d) => d.to_string(),
                other => other.to_string(),
            };
            let date = normalize_date(&date_raw).ok_or_else(|| invalid(at(r.date.span()), format!("date '{date_raw}' is not a date (2026-11-23)")))?;
            if let Some(s) = &r.source {
                if s != "recorded" && s != "written" {
                    return Err(invalid(line, format!("source '{s}' must be \"recorded\" or \"written\"")));
                }
            }
            read_text(&file)?;
            if r.template_version != tpl.version {
                self.stale(path, line, format!("{} was written for version {} of template '{}', which is now version {}: read it again against the new prompt, then set template_version = {}", r.file.get_ref(), r.template_version, tpl.id, tpl.version, tpl.version));
                continue;
            }
            if let Some(k) = &r.key {
                if k != &key.0 {
                    self.stale(path, line, format!("{} was recorded for other inputs (its key differs from these inputs'): record it again (`katib pack record`) or remove its key", r.file.get_ref()));
                    continue;
                }
            }
            answers.push(SavedAnswer {
                file,
                rel: r.file.get_ref().clone(),
                date,
                template_version: r.template_version,
                key: r.key.clone(),
                flaw: r.flaw.clone(),
                model: r.model.clone(),
                line,
            });
        }
        if tpl.generate == Generate::Model && raw.answers.is_empty() {
            self.warn(path, 1, "no saved answer: practice mode has nothing to replay for this exercise (record some with `katib pack record`)".into());
        }
        let ex = Exercise {
            number,
            id,
            file: path.into(),
            day: raw.day,
            team: raw.team,
            title: raw.title.into_inner(),
            instructions: raw.instructions.into_inner(),
            notes: raw.notes,
            template: tpl.id.clone(),
            template_version: tpl.version,
            language,
            inputs,
            key,
            answers,
            rubric,
        };
        // A sound answer should pass the rubric: if not, the rubric or the answer is wrong
        // (checked when validating, not at each start).
        let ctx = context(&tpl, &resolved.values);
        let strict = self.mode == Mode::Strict;
        for a in ex.answers.iter().filter(|_| strict) {
            if a.flaw.is_none() {
                let text = read_text(&a.file)?;
                let r = ex.rubric.evaluate(&text, &ctx, &[]);
                for c in r.checks.iter().filter(|c| !c.ok) {
                    self.warn(path, a.line, format!("{} has no flaw declared but fails check '{}': {}", a.rel, c.id, c.detail.fr));
                }
            }
        }
        Ok(ex)
    }
}

/// What the rubric checks know of an exercise's form: the frame parts the layout prints, the
/// personal values typed.
pub fn context(tpl: &Template, values: &BTreeMap<String, String>) -> rubric::Context {
    let mut ctx = rubric::Context::default();
    for (lp, part) in [(LetterPart::Objet, Part::Objet), (LetterPart::Ref, Part::Ref), (LetterPart::Pj, Part::PiecesJointes)] {
        if let Some(f) = tpl.part_field(part).and_then(|name| tpl.field(name)) {
            if let Some(v) = values.get(&f.name).filter(|v| !v.trim().is_empty()) {
                ctx.frame.insert(lp, rubric::FramePart { field: f.label.clone(), value: v.clone() });
            }
        }
    }
    for (f, _) in tpl.personal_fields() {
        if let Some(v) = values.get(&f.name).filter(|v| !v.trim().is_empty()) {
            ctx.personal.push(v.clone());
        }
    }
    ctx
}

/// One `[[checks]]` entry, checked: its type known, its parameters those of its type.
fn rubric_check(c: &RawCheck, path: &Path, line: usize) -> Result<Check> {
    let bad = |message: String| WorkshopError::Rubric { path: path.into(), line, message };
    let present: Vec<(&str, bool)> = vec![
        ("parts", c.parts.is_some()),
        ("addressee", c.addressee.is_some()),
        ("min", c.min.is_some()),
        ("max", c.max.is_some()),
        ("facts", c.facts.is_some()),
        ("allow", c.allow.is_some()),
        ("allowed", c.allowed.is_some()),
        ("lang", c.lang.is_some()),
    ];
    let only = |allowed: &[&str]| -> Result<()> {
        match present.iter().find(|(n, p)| *p && !allowed.contains(n)) {
            Some((n, _)) => Err(bad(format!("'{n}' is not a parameter of a '{}' check (its parameters: {})", c.kind, if allowed.is_empty() { "none".into() } else { allowed.join(", ") }))),
            None => Ok(()),
        }
    };
    let kind = match c.kind.as_str() {
        "parts" => {
            only(&["parts"])?;
            let names = c.parts.clone().unwrap_or_else(|| vec!["objet".into(), "ref".into()]);
            let mut parts = Vec::new();
            for n in &names {
                parts.push(LetterPart::parse(n).ok_or_else(|| bad(format!("unknown letter part '{n}': use objet, ref or pj")))?);
            }
            if parts.is_empty() {
                return Err(bad("parts = [] checks nothing: name objet, ref and/or pj".into()));
            }
            CheckKind::Parts { parts }
        }
        "closing" => {
            only(&["addressee"])?;
            let a = c.addressee.as_deref().ok_or_else(|| bad("a closing check needs addressee = \"superior\", \"peer\", \"citizen\" or \"company\"".into()))?;
            CheckKind::Closing { addressee: Addressee::parse(a).ok_or_else(|| bad(format!("addressee '{a}' must be superior, peer, citizen or company")))? }
        }
        "length" => {
            only(&["min", "max"])?;
            let conv = |v: Option<i64>, n: &str| -> Result<Option<usize>> {
                v.map(|x| usize::try_from(x).map_err(|_| bad(format!("{n} must be a positive number of words")))).transpose()
            };
            let (min, max) = (conv(c.min, "min")?, conv(c.max, "max")?);
            if min.is_none() && max.is_none() {
                return Err(bad("a length check needs min and/or max (in words)".into()));
            }
            if let (Some(a), Some(b)) = (min, max) {
                if a > b {
                    return Err(bad(format!("min ({a}) is larger than max ({b})")));
                }
            }
            CheckKind::Length { min, max }
        }
        "facts" => {
            only(&["facts"])?;
            let facts: Vec<Vec<String>> = c
                .facts
                .as_ref()
                .ok_or_else(|| bad("a facts check needs facts = [\"...\", [\"spelling 1\", \"spelling 2\"]]".into()))?
                .iter()
                .map(|f| match f {
                    RawFact::One(s) => vec![s.clone()],
                    RawFact::Any(v) => v.clone(),
                })
                .collect();
            if facts.is_empty() || facts.iter().any(|f| f.is_empty() || f.iter().any(|s| s.trim().is_empty())) {
                return Err(bad("facts must name at least one fact, none empty".into()));
            }
            CheckKind::Facts { facts }
        }
        "personal" => {
            only(&["allow"])?;
            CheckKind::Personal { allow: c.allow.clone().unwrap_or_default() }
        }
        "references" => {
            only(&["allowed"])?;
            CheckKind::References { allowed: c.allowed.clone().unwrap_or_default() }
        }
        "register" => {
            only(&[])?;
            CheckKind::Register
        }
        "language" => {
            only(&["lang"])?;
            let l = c.lang.as_deref().ok_or_else(|| bad("a language check needs lang = \"fr\", \"ar\" or \"en\"".into()))?;
            CheckKind::Language { lang: Lang::parse(l).ok_or_else(|| bad(format!("lang '{l}' must be fr, ar or en")))? }
        }
        other => return Err(bad(format!("unknown check type '{other}' (known: {})", CheckKind::NAMES.join(", ")))),
    };
    Ok(Check { id: c.id.clone().unwrap_or_else(|| c.kind.clone()), kind, explain: c.explain.clone() })
}
