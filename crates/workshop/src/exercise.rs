//! An exercise from the learner's side: what it asks ([`ExerciseView`]), the run that answers it
//! ([`job`]: practice replays the learner's variant), which saved answer a learner gets
//! ([`variant_for`]), and checking an answer against its rubric ([`check`]).

use std::collections::BTreeMap;
use std::path::PathBuf;

use katib_core::run::{check_figures, resolve, Job, Recording, Replays, Run, Workbench};
use katib_core::{Lang, Localized};
use serde::Serialize;

use crate::error::Result;
use crate::pack::load::context;
use crate::pack::{Exercise, Pack};
use crate::rubric::{Check, RubricResult, SelfCheckItem};

/// The run of exercise `ex`: its template and inputs, the profile (None: the default, practice
/// when none is configured), and the learner's name as the seed choosing a practice variant.
pub fn job(ex: &Exercise, profile: Option<&str>, learner: &str) -> Job {
    Job { template: ex.template.clone(), inputs: ex.inputs.clone(), profile: profile.map(str::to_string), seed: learner.to_string(), ..Default::default() }
}

/// The saved answer (index into `ex.answers`) practice mode replays for `learner`: the same
/// rule as a run ([`Replays::choose`]: SHA-256 of the name, trimmed and lower-cased, modulo the
/// number of variants; an empty name gets the first).
pub fn variant_for(pack: &Pack, ex: &Exercise, learner: &str) -> Option<usize> {
    let mut r = Replays::default();
    for (k, rec) in crate::pack::library::recordings(pack).into_iter().filter(|(k, _)| k == &ex.key) {
        r.add(k, rec);
    }
    let chosen: &Recording = r.choose(&ex.key, learner)?;
    ex.answers.iter().position(|a| a.file == chosen.answer)
}

/// Checks `answer` against the exercise's rubric, with these self-check items ticked.
pub fn check(wb: &Workbench, pack: &Pack, ex: &Exercise, answer: &str, ticked: &[String]) -> Result<RubricResult> {
    let tpl = pack.templates.iter().find(|t| t.id == ex.template).map_or_else(|| wb.template(&ex.template).cloned(), |t| Ok(t.clone()))?;
    let values = resolve(&tpl, &ex.inputs).map(|r| r.values).unwrap_or_else(|_| ex.inputs.values.clone());
    Ok(ex.rubric.evaluate(answer, &context(&tpl, &values), ticked))
}

/// A number of the answer that Katib's number check flags (spreadsheet exercises: a figure in
/// none of Katib's calculations), with UTF-16 offsets for the window to highlight it.
#[derive(Clone, Debug, Serialize)]
pub struct FlagView {
    pub text: String,
    pub line: usize,
    pub message: String,
    pub start16: usize,
    pub end16: usize,
}

/// The flags of `answer` for `run` (none when its template reads no sheet): the same check a
/// generation runs on its answer, here on the learner's edited text.
pub fn flags(run: &Run, answer: &str) -> Vec<FlagView> {
    let Some(p) = &run.figures else { return Vec::new() };
    let at16 = |b: usize| answer.get(..b).map_or(0, |s| s.encode_utf16().count());
    check_figures(answer, p, run.prepared.language, &run.prepared.values)
        .into_iter()
        .map(|f| FlagView { start16: at16(f.start), end16: at16(f.end), text: f.text, line: f.line, message: f.message.to_string() })
        .collect()
}

/// A check as the learner sees it before answering.
#[derive(Clone, Debug, Serialize)]
pub struct CheckView {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub explain: String,
}

/// An exercise as the window and `katib exercise show --json` present it, in one language.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExerciseView {
    pub pack: String,
    pub number: usize,
    pub id: String,
    pub day: Option<u32>,
    pub team: bool,
    pub title: String,
    pub instructions: String,
    pub template: String,
    pub template_title: String,
    pub language: Lang,
    pub values: BTreeMap<String, String>,
    pub files: BTreeMap<String, PathBuf>,
    /// How many saved answers replay offline for these inputs.
    pub variants: usize,
    pub checks: Vec<CheckView>,
    pub self_check: Vec<SelfCheckItemView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SelfCheckItemView {
    pub id: String,
    pub text: String,
}

/// The explanation a check gives before it runs (the one it gives after adds what it found).
pub fn explain(c: &Check, lang: Lang) -> String {
    if let Some(e) = &c.explain {
        return e.get(lang).to_string();
    }
    let r = c.kind.clone();
    let probe = crate::rubric::Rubric { checks: vec![Check { id: c.id.clone(), kind: r, explain: None }], self_check: Vec::new() };
    let res = probe.evaluate("", &Default::default(), &[]);
    res.checks.first().map(|x| x.explain.get(lang).to_string()).unwrap_or_default()
}

impl ExerciseView {
    pub fn of(wb: &Workbench, pack: &Pack, ex: &Exercise, lang: Lang) -> ExerciseView {
        let template_title = pack
            .templates
            .iter()
            .chain(wb.catalog.all())
            .find(|t| t.id == ex.template)
            .map(|t| t.title.get(lang).to_string())
            .unwrap_or_default();
        ExerciseView {
            pack: pack.manifest.id.clone(),
            number: ex.number,
            id: ex.id.clone(),
            day: ex.day,
            team: ex.team,
            title: ex.title.get(lang).to_string(),
            instructions: ex.instructions.get(lang).trim().to_string(),
            template: ex.template.clone(),
            template_title,
            language: ex.language,
            values: ex.inputs.values.clone(),
            files: ex.inputs.files.clone(),
            variants: ex.answers.len(),
            checks: ex.rubric.checks.iter().map(|c| CheckView { id: c.id.clone(), kind: c.kind.name(), explain: explain(c, lang) }).collect(),
            self_check: ex.rubric.self_check.iter().map(|s: &SelfCheckItem| SelfCheckItemView { id: s.id.clone(), text: s.text.get(lang).to_string() }).collect(),
        }
    }
}

/// A line of `katib exercise list`.
#[derive(Clone, Debug, Serialize)]
pub struct ExerciseSummary {
    pub number: usize,
    pub id: String,
    pub day: Option<u32>,
    pub team: bool,
    pub title: Localized,
    pub template: String,
    pub language: Lang,
    pub variants: usize,
    pub flawed: usize,
    pub checks: usize,
}

pub fn list(pack: &Pack) -> Vec<ExerciseSummary> {
    pack.exercises
        .iter()
        .map(|e| ExerciseSummary {
            number: e.number,
            id: e.id.clone(),
            day: e.day,
            team: e.team,
            title: e.title.clone(),
            template: e.template.clone(),
            language: e.language,
            variants: e.answers.len(),
            flawed: e.answers.iter().filter(|a| a.flaw.is_some()).count(),
            checks: e.rubric.checks.len(),
        })
        .collect()
}
