//! "Enregistrer pour l'entraînement": a trainer connected to a real endpoint runs each exercise's
//! inputs, and the answers are saved in the pack folder with their replay key and the date of
//! the run. Offline, in the room, those answers replay for those inputs on any day, with that
//! date. Each run appends an `[[answers]]` entry to the exercise file (its comments are kept).

use std::path::PathBuf;

use katib_core::providers::CancellationToken;
use katib_core::run::{Job, Route, Workbench};
use katib_core::secrets::FoundKey;
use katib_core::templates::Generate;
use serde::Serialize;

use super::library::workbench_for;
use super::Pack;
use crate::error::{Result, WorkshopError};

/// What to record.
#[derive(Clone, Debug)]
pub struct RecordOptions {
    /// The endpoint profile (not practice).
    pub profile: String,
    /// Answers per exercise (variants).
    pub variants: usize,
    /// Only this exercise (number or id).
    pub exercise: Option<String>,
}

/// One answer recorded.
#[derive(Clone, Debug, Serialize)]
pub struct Recorded {
    pub exercise: String,
    pub file: PathBuf,
    pub date: String,
    pub key: String,
    pub model: String,
    pub words: usize,
    /// The model stopped at its token limit: read the answer before keeping it.
    pub truncated: bool,
}

/// Records answers for `pack` (a folder) from the endpoint of `opts.profile`. `key` is the
/// profile's API key, looked up by the caller (the keychain blocks: not on the async runtime).
/// `progress` is told of each answer as it is saved.
pub async fn record(
    wb: &Workbench,
    pack: &Pack,
    opts: &RecordOptions,
    key: Option<katib_core::secrets::ApiKey>,
    cancel: &CancellationToken,
    progress: &mut (dyn FnMut(&Recorded) + Send),
) -> Result<Vec<Recorded>> {
    let wb = workbench_for(wb, pack);
    let targets: Vec<&super::Exercise> = match &opts.exercise {
        Some(w) => vec![pack.exercise(w)?],
        None => pack.exercises.iter().collect(),
    };
    let mut out = Vec::new();
    for ex in targets {
        let tpl = wb.template(&ex.template)?;
        if tpl.generate == Generate::Fixed {
            continue;
        }
        let job = Job { template: ex.template.clone(), inputs: ex.inputs.clone(), profile: Some(opts.profile.clone()), seed: String::new(), ..Default::default() };
        for _ in 0..opts.variants.max(1) {
            let run = wb.start(&job)?;
            if !matches!(run.route, Route::Endpoint(_)) {
                return Err(WorkshopError::Usage(format!(
                    "recording needs an endpoint: '{}' is practice mode. Add one (`katib profiles add`) and pass --profile NAME",
                    opts.profile
                )));
            }
            let conn = wb.connect_run_with_key(&run, FoundKey { key: key.clone(), source: None, notice: None })?;
            let mut sink = |_: &str| {};
            let answer = run.stream(&conn, Vec::new(), &mut sink, cancel).await.map_err(|i| WorkshopError::Core(i.error))?;
            let rec = save(ex, &run.prepared.today, &run.key.0, &answer.model, &answer.text, answer.finish_reason.as_deref() == Some("length"))?;
            progress(&rec);
            out.push(rec);
        }
    }
    Ok(out)
}

/// Writes the answer beside the pack's others and appends its entry to the exercise file.
fn save(ex: &super::Exercise, date: &str, key: &str, model: &str, text: &str, truncated: bool) -> Result<Recorded> {
    let pack_dir = ex.file.parent().and_then(|p| p.parent()).ok_or_else(|| WorkshopError::Usage("exercise file outside a pack".into()))?;
    let dir = pack_dir.join("answers");
    std::fs::create_dir_all(&dir).map_err(|e| WorkshopError::io(&dir, e))?;
    let stamp = date.replace('-', "");
    let mut n = 1;
    let (rel, file) = loop {
        let rel = format!("answers/{}.rec-{stamp}-{n}.md", ex.id);
        let file = pack_dir.join(&rel);
        if !file.exists() {
            break (rel, file);
        }
        n += 1;
    };
    let body = text.trim().to_string() + "\n";
    katib_core::fsutil::write_atomic(&file, body.as_bytes(), false).map_err(|e| WorkshopError::io(&file, e))?;
    let mut toml_text = std::fs::read_to_string(&ex.file).map_err(|e| WorkshopError::io(&ex.file, e))?;
    if !toml_text.ends_with('\n') {
        toml_text.push('\n');
    }
    // A model name is the server's text: no line break may reach the TOML.
    let model: String = model.chars().filter(|c| !c.is_control()).collect();
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    toml_text.push_str(&format!(
        "\n# Recorded by `katib pack record` from {model}: read it before the session.\n[[answers]]\nfile = \"{rel}\"\ndate = \"{date}\"\ntemplate_version = {}\nkey = \"{key}\"\nsource = \"recorded\"\nmodel = \"{}\"\n",
        ex.template_version,
        esc(&model)
    ));
    katib_core::fsutil::write_atomic(&ex.file, toml_text.as_bytes(), true).map_err(|e| WorkshopError::io(&ex.file, e))?;
    Ok(Recorded { exercise: ex.id.clone(), file, date: date.into(), key: key.into(), model, words: crate::text::words(text).count(), truncated })
}
