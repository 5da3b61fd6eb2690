//! Building a pack from the window, step by step, as a trainer does it: a new pack from a title
//! ([`create`]), then one exercise at a time from a template and the form's inputs and files, with
//! instructions, rubric checks and self-check items ([`add_exercise`]). Each step writes the same
//! files a trainer would write by hand (docs/packs.md), commented, so that the pack can be read
//! and edited afterwards; an exercise the pack's loader refuses is not kept, and the error names
//! its line.
//!
//! The trainer's packs in progress live in `<data dir>/workshop/drafts/<id>/` ([`drafts_dir`]);
//! [`drafts`] lists them even while they have no exercise yet (a full check is
//! [`super::library::validate`]). Recording answers is [`super::record`], exporting
//! [`super::library::export`].
//!
//! Deliberately not here: the rules an exercise must follow (the loader's, run on what was
//! written) and the `.katib` archive.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use katib_core::config::Paths;
use katib_core::run::Workbench;
use katib_core::{Lang, Localized};
use serde::{Deserialize, Serialize};

use super::load;
use crate::error::{Result, WorkshopError};
use crate::text::sha256_hex;

/// Where the trainer's packs in progress are: `<data dir>/workshop/drafts`.
pub fn drafts_dir(paths: &Paths) -> PathBuf {
    crate::review::workshop_dir(paths).join("drafts")
}

/// What a new pack starts from.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NewPack {
    /// Its id; empty: made from the French title ("Atelier courrier" -> "atelier-courrier").
    pub id: String,
    pub title: Localized,
    pub description: Option<Localized>,
    pub objectives: Vec<Localized>,
    pub audience: Option<Localized>,
    pub duration: Option<Localized>,
    pub authors: Vec<String>,
    /// The pack's own version; empty: "1.0".
    pub version: String,
    /// The languages learners can use it in; empty: French, and Arabic when the title has it.
    /// French is always one of them (every pack is written in French first).
    pub languages: Vec<Lang>,
}

/// A check of the rubric as the trainer fills it in (the TOML keys of docs/packs.md).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CheckSpec {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parts: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addressee: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Each fact: its accepted spellings (one or more).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facts: Option<Vec<Vec<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Localized>,
}

/// An exercise as the trainer builds it in the window.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExerciseSpec {
    /// Unique in the pack; empty: made from the French title.
    pub id: String,
    pub day: Option<u32>,
    pub team: bool,
    pub title: Localized,
    pub instructions: Localized,
    pub notes: Option<Localized>,
    /// A built-in template, one of the user's (copied into the pack), or one the pack carries.
    pub template: String,
    pub language: Option<Lang>,
    pub values: BTreeMap<String, String>,
    /// Input files by field: where they are now (copied into the pack's files/).
    pub files: BTreeMap<String, PathBuf>,
    pub checks: Vec<CheckSpec>,
    pub self_check: Vec<Localized>,
}

/// A pack in progress, read without checking it (it may have no exercise yet).
#[derive(Clone, Debug, Serialize)]
pub struct DraftInfo {
    pub id: String,
    pub title: Localized,
    pub version: String,
    pub dir: PathBuf,
    pub exercises: Vec<DraftExercise>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DraftExercise {
    /// The file, relative to the pack ("exercises/01-reponse.toml").
    pub file: String,
    pub id: String,
    pub title: Localized,
    pub template: String,
    pub answers: usize,
    pub checks: usize,
}

/// An id from a title: lower case ASCII letters and digits, words joined by '-'.
pub fn slug(title: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in title.nfd() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_' || c == '\'' || c == '’') && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let s = out.trim_end_matches('-').to_string();
    s.chars().take(40).collect::<String>().trim_end_matches('-').to_string()
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A TOML string (basic, escaped; a text of several lines as a multi-line string).
fn q(s: &str) -> String {
    if s.contains('\n') {
        let body = s.replace('\\', "\\\\").replace("\"\"\"", "\"\"\\\"").replace('\r', "");
        format!("\"\"\"\n{body}\"\"\"")
    } else {
        toml::Value::String(s.to_string()).to_string()
    }
}

/// A TOML key: bare when it can be.
fn key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_string()
    } else {
        q(k)
    }
}

/// `{ fr = "...", ar = "..." }` (empty languages left out).
fn loc(l: &Localized) -> String {
    let mut parts = vec![format!("fr = {}", q(l.fr.trim()))];
    for (k, v) in [("ar", &l.ar), ("en", &l.en)] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!("{k} = {}", q(v)));
        }
    }
    format!("{{ {} }}", parts.join(", "))
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "))
}

fn write(path: &Path, text: &str, overwrite: bool) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| WorkshopError::io(parent, e))?;
    }
    crate::review::write_new(path, text.as_bytes(), overwrite)
}

/// Writes a new pack (manifest, trainer guide, empty exercises/ folder) in `root/<id>`.
pub fn create(root: &Path, spec: &NewPack) -> Result<PathBuf> {
    let title = spec.title.fr.trim();
    if title.is_empty() {
        return Err(WorkshopError::Usage("give the pack a title (in French at least)".into()));
    }
    let id = if spec.id.trim().is_empty() { slug(title) } else { spec.id.trim().to_string() };
    if !is_id(&id) {
        return Err(WorkshopError::Usage(format!("pack id '{id}' must use a-z, 0-9 and -")));
    }
    let version = if spec.version.trim().is_empty() { "1.0" } else { spec.version.trim() };
    if load::version_parts(version).is_none() {
        return Err(WorkshopError::Usage(format!("pack version '{version}' must be numbers separated by dots, such as 1.0 or 2.1.3")));
    }
    let dir = root.join(&id);
    if dir.exists() {
        return Err(WorkshopError::Exists { path: dir });
    }
    let mut m = String::from("# Manifeste du pack (format décrit dans docs/packs.md), écrit par la fenêtre « Formation ».\n");
    m.push_str(&format!("format = {}\nid = {}\nversion = {}\n\n", super::FORMAT, q(&id), q(version)));
    m.push_str(&format!("title = {}\n", loc(&spec.title)));
    if let Some(d) = spec.description.as_ref().filter(|d| !d.fr.trim().is_empty()) {
        m.push_str(&format!("description = {}\n", loc(d)));
    }
    m.push_str("objectives = [\n");
    for o in spec.objectives.iter().filter(|o| !o.fr.trim().is_empty()) {
        m.push_str(&format!("  {},\n", loc(o)));
    }
    m.push_str("]\n");
    for (k, v) in [("audience", &spec.audience), ("duration", &spec.duration)] {
        if let Some(v) = v.as_ref().filter(|v| !v.fr.trim().is_empty()) {
            m.push_str(&format!("{k} = {}\n", loc(v)));
        }
    }
    let langs: Vec<String> = if spec.languages.is_empty() {
        std::iter::once("fr".to_string()).chain(spec.title.ar.as_ref().map(|_| "ar".to_string())).collect()
    } else {
        // French first, then the others in the order Katib lists them, once each.
        [Lang::Fr, Lang::Ar, Lang::En].into_iter().filter(|l| *l == Lang::Fr || spec.languages.contains(l)).map(|l| l.code().to_string()).collect()
    };
    m.push_str(&format!("languages = {}\n", list(&langs)));
    m.push_str(&format!("authors = {}\n", list(&spec.authors)));
    m.push_str("guide = \"guide.md\"\n");
    let guide = format!(
        "# {title}\n\nGuide du formateur.\n\n## Déroulé\n\nL'ordre des exercices, la durée de chacun et ce que le formateur observe pendant la séance.\n\n\
         ## Réponses enregistrées\n\nPour chaque exercice : les variantes enregistrées, leurs défauts volontaires et ce que les participants doivent relever.\n"
    );
    write(&dir.join("pack.toml"), &m, false)?;
    write(&dir.join("guide.md"), &guide, false)?;
    std::fs::create_dir_all(dir.join("exercises")).map_err(|e| WorkshopError::io(dir.join("exercises"), e))?;
    Ok(dir)
}

/// The trainer's packs in progress under `root`.
pub fn drafts(root: &Path) -> Vec<DraftInfo> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(root) else { return out };
    let mut dirs: Vec<PathBuf> = rd.flatten().map(|e| e.path()).filter(|p| p.join("pack.toml").is_file()).collect();
    dirs.sort();
    for dir in dirs {
        let Ok(text) = std::fs::read_to_string(dir.join("pack.toml")) else { continue };
        let Ok(v) = toml::from_str::<toml::Table>(&text) else { continue };
        let title = v.get("title").and_then(|t| t.clone().try_into::<Localized>().ok()).unwrap_or_default();
        out.push(DraftInfo {
            id: v.get("id").and_then(|x| x.as_str()).unwrap_or_default().to_string(),
            title,
            version: v.get("version").and_then(|x| x.as_str()).unwrap_or_default().to_string(),
            exercises: exercises_of(&dir),
            dir,
        });
    }
    out
}

fn exercise_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join("exercises"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

fn exercises_of(dir: &Path) -> Vec<DraftExercise> {
    exercise_files(dir)
        .into_iter()
        .filter_map(|f| {
            let v: toml::Table = toml::from_str(&std::fs::read_to_string(&f).ok()?).ok()?;
            let count = |k: &str| v.get(k).and_then(|a| a.as_array()).map_or(0, Vec::len);
            Some(DraftExercise {
                file: format!("exercises/{}", f.file_name()?.to_string_lossy()),
                id: v.get("id").and_then(|x| x.as_str()).unwrap_or_default().to_string(),
                title: v.get("title").and_then(|t| t.clone().try_into::<Localized>().ok()).unwrap_or_default(),
                template: v.get("template").and_then(|x| x.as_str()).unwrap_or_default().to_string(),
                answers: count("answers"),
                checks: count("checks"),
            })
        })
        .collect()
}

/// Copies `src` into the pack's files/ (same content: the file already there is used) and
/// returns its path relative to the pack.
fn copy_in(pack: &Path, src: &Path) -> Result<String> {
    let bytes = std::fs::read(src).map_err(|e| WorkshopError::io(src, e))?;
    let name = src.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "fichier".into());
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s.to_string(), format!(".{e}")),
        None => (name.clone(), String::new()),
    };
    for n in 1.. {
        let candidate = if n == 1 { name.clone() } else { format!("{stem}-{n}{ext}") };
        let rel = format!("files/{candidate}");
        let target = pack.join(&rel);
        match std::fs::read(&target) {
            Ok(there) if sha256_hex(&there) == sha256_hex(&bytes) => return Ok(rel),
            Ok(_) => continue,
            Err(_) => {
                write_bytes(&target, &bytes)?;
                return Ok(rel);
            }
        }
    }
    unreachable!("the loop returns")
}

fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| WorkshopError::io(parent, e))?;
    }
    katib_core::fsutil::write_atomic(path, bytes, false).map_err(|e| WorkshopError::io(path, e))
}

/// The exercise file's text.
fn exercise_toml(spec: &ExerciseSpec, id: &str, files: &BTreeMap<String, String>) -> String {
    let mut t = String::from("# Exercice écrit par la fenêtre « Formation » (format décrit dans docs/packs.md).\n");
    t.push_str(&format!("id = {}\n", q(id)));
    if let Some(d) = spec.day {
        t.push_str(&format!("day = {d}\n"));
    }
    t.push_str(&format!("team = {}\n\n", spec.team));
    t.push_str(&format!("title = {}\n", loc(&spec.title)));
    t.push_str(&format!("instructions = {}\n", loc(&spec.instructions)));
    if let Some(n) = spec.notes.as_ref().filter(|n| !n.fr.trim().is_empty()) {
        t.push_str(&format!("notes = {}\n", loc(n)));
    }
    t.push_str(&format!("\ntemplate = {}\n", q(&spec.template)));
    if let Some(l) = spec.language {
        t.push_str(&format!("language = {}\n", q(l.code())));
    }
    t.push_str("\n[values]\n");
    for (k, v) in &spec.values {
        t.push_str(&format!("{} = {}\n", key(k), q(v)));
    }
    if !files.is_empty() {
        t.push_str("\n[files]\n");
        for (k, v) in files {
            t.push_str(&format!("{} = {}\n", key(k), q(v)));
        }
    }
    t.push_str("\n# Réponses enregistrées : « Enregistrer pour l'entraînement » les ajoute ici.\n");
    for c in &spec.checks {
        t.push_str("\n[[checks]]\n");
        t.push_str(&format!("type = {}\n", q(&c.kind)));
        if let Some(id) = c.id.as_deref().filter(|s| !s.trim().is_empty()) {
            t.push_str(&format!("id = {}\n", q(id)));
        }
        if let Some(p) = &c.parts {
            t.push_str(&format!("parts = {}\n", list(p)));
        }
        if let Some(a) = &c.addressee {
            t.push_str(&format!("addressee = {}\n", q(a)));
        }
        if let Some(n) = c.min {
            t.push_str(&format!("min = {n}\n"));
        }
        if let Some(n) = c.max {
            t.push_str(&format!("max = {n}\n"));
        }
        if let Some(f) = &c.facts {
            let items: Vec<String> = f.iter().map(|one| if one.len() == 1 { q(&one[0]) } else { list(one) }).collect();
            t.push_str(&format!("facts = [{}]\n", items.join(", ")));
        }
        if let Some(a) = &c.allow {
            t.push_str(&format!("allow = {}\n", list(a)));
        }
        if let Some(a) = &c.allowed {
            t.push_str(&format!("allowed = {}\n", list(a)));
        }
        if let Some(l) = &c.lang {
            t.push_str(&format!("lang = {}\n", q(l)));
        }
        if let Some(e) = c.explain.as_ref().filter(|e| !e.fr.trim().is_empty()) {
            t.push_str(&format!("explain = {}\n", loc(e)));
        }
    }
    for s in spec.self_check.iter().filter(|s| !s.fr.trim().is_empty()) {
        t.push_str("\n[[self_check]]\n");
        t.push_str(&format!("fr = {}\n", q(s.fr.trim())));
        if let Some(ar) = s.ar.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            t.push_str(&format!("ar = {}\n", q(ar)));
        }
    }
    t
}

/// What [`add_exercise`] wrote.
#[derive(Clone, Debug, Serialize)]
pub struct Added {
    pub id: String,
    /// The exercise file.
    pub file: PathBuf,
    /// Files copied into the pack (relative paths).
    pub files: Vec<String>,
    /// A template of the user's copied into the pack's templates/.
    pub template_copied: Option<PathBuf>,
    /// What the loader noted about the new exercise (no saved answer yet...).
    pub warnings: Vec<super::Warning>,
}

/// Adds an exercise to the pack in `pack` (a folder): copies its input files (and the user's
/// template it uses) into the pack, writes `exercises/NN-<id>.toml`, and checks it with the
/// pack's loader. Refused (nothing kept) when the loader finds an error in it.
pub fn add_exercise(wb: &Workbench, pack: &Path, spec: &ExerciseSpec) -> Result<Added> {
    if !pack.join("pack.toml").is_file() {
        return Err(WorkshopError::Invalid { path: pack.join("pack.toml"), line: 1, message: "not a pack folder".into() });
    }
    if spec.title.fr.trim().is_empty() || spec.instructions.fr.trim().is_empty() {
        return Err(WorkshopError::Usage("an exercise needs a title and instructions, in French at least".into()));
    }
    let id = if spec.id.trim().is_empty() { slug(&spec.title.fr) } else { spec.id.trim().to_string() };
    if !is_id(&id) {
        return Err(WorkshopError::Usage(format!("exercise id '{id}' must use a-z, 0-9 and -")));
    }
    let existing = exercises_of(pack);
    if existing.iter().any(|e| e.id == id) {
        return Err(WorkshopError::Usage(format!("the pack has an exercise '{id}' already: give this one another id")));
    }
    // The template must travel with the pack unless every Katib has it.
    let in_pack = pack.join("templates").join(format!("{}.md", spec.template));
    let mut template_copied = None;
    if !in_pack.is_file() {
        let tpl = wb.template(&spec.template)?;
        if !tpl.builtin {
            let builtin = katib_core::templates::load_dir(&wb.resources.prompts_dir).map(|all| all.iter().any(|t| t.id == tpl.id)).unwrap_or(false);
            if builtin {
                return Err(WorkshopError::Usage(format!(
                    "'{}' is your own version of a built-in template: a pack cannot carry it under that id. Duplicate it under a new id in the template editor, then use the copy",
                    tpl.id
                )));
            }
            let text = std::fs::read(&tpl.path).map_err(|e| WorkshopError::io(&tpl.path, e))?;
            write_bytes(&in_pack, &text)?;
            template_copied = Some(in_pack.clone());
        }
    }
    let mut files = BTreeMap::new();
    for (field, src) in &spec.files {
        files.insert(field.clone(), copy_in(pack, src)?);
    }
    let file = pack.join("exercises").join(format!("{:02}-{id}.toml", existing.len() + 1));
    write(&file, &exercise_toml(spec, &id, &files), false)?;
    // The loader's rules, on what was written: an error in this exercise undoes it.
    let (_, report) = load::validate(pack, wb);
    let mine = |p: &Path| p == file;
    if let Some(e) = report.errors.into_iter().find(|e| e.location().is_some_and(|(p, _)| mine(p))) {
        let _ = std::fs::remove_file(&file);
        if let Some(t) = &template_copied {
            let _ = std::fs::remove_file(t);
        }
        return Err(e);
    }
    let warnings = report.warnings.into_iter().filter(|w| mine(&w.path)).collect();
    Ok(Added { id, file, files: files.into_values().collect(), template_copied, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_strings() {
        assert_eq!(slug("Atelier : courrier à l'usager"), "atelier-courrier-a-l-usager");
        assert_eq!(slug("  Jour 2 — Réponses  "), "jour-2-reponses");
        for s in ["simple", "avec \"guillemets\" et \\", "deux\nlignes \"\"\" et fin\\"] {
            let v: toml::Table = toml::from_str(&format!("k = {}", q(s))).unwrap();
            assert_eq!(v["k"].as_str().unwrap().trim_start_matches('\n'), s, "{}", q(s));
        }
    }
}
