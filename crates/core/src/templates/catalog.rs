//! The templates Katib offers: the built-in folder overlaid with the user's (same id: the user's
//! wins), and the folder lint behind `katib templates validate`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::model::Template;
use super::TemplateError;

fn template_files(dir: &Path) -> Result<Vec<PathBuf>, TemplateError> {
    let rd = std::fs::read_dir(dir).map_err(|e| TemplateError::Read { path: dir.into(), source: e })?;
    let mut paths: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md") && p.is_file())
        .collect();
    paths.sort();
    Ok(paths)
}

fn load_file(p: &Path) -> Result<Template, TemplateError> {
    let text = std::fs::read_to_string(p).map_err(|e| TemplateError::Read { path: p.into(), source: e })?;
    Template::parse(&text, p)
}

/// Loads every `*.md` template in `dir`. A missing folder is an error.
pub fn load_dir(dir: &Path) -> Result<Vec<Template>, TemplateError> {
    let mut out: Vec<Template> = Vec::new();
    let files = template_files(dir)?;
    for (p, t) in files.iter().zip(load_files(&files)) {
        let t = t?;
        if let Some(prev) = out.iter().find(|o| o.id == t.id) {
            return Err(TemplateError::Duplicate { id: t.id, first: prev.path.clone(), second: p.clone() });
        }
        out.push(t);
    }
    Ok(out)
}

/// Reads and checks `files` on as many threads as the machine has cores (at most 4), in order:
/// checking a template (its TOML and both minijinja parts) is what the window's start waits
/// for, about 0.4 ms each.
fn load_files(files: &[PathBuf]) -> Vec<Result<Template, TemplateError>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    if threads == 1 || files.len() < 4 {
        return files.iter().map(|p| load_file(p)).collect();
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|s| {
        let parts: Vec<_> = files.chunks(chunk).map(|part| s.spawn(move || part.iter().map(|p| load_file(p)).collect::<Vec<_>>())).collect();
        // A panic in a parser is a bug; the thread's panic goes on on this thread, as it would
        // have without the threads.
        parts.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

/// Lints every template in `dir`, collecting all errors instead of stopping at the first.
pub fn validate_dir(dir: &Path) -> Result<Vec<Result<Template, TemplateError>>, TemplateError> {
    let mut ids: BTreeMap<String, PathBuf> = BTreeMap::new();
    Ok(template_files(dir)?
        .into_iter()
        .map(|p| {
            let t = load_file(&p)?;
            if let Some(first) = ids.insert(t.id.clone(), p.clone()) {
                return Err(TemplateError::Duplicate { id: t.id, first, second: p });
            }
            Ok(t)
        })
        .collect())
}

/// The built-in templates, overlaid with the user's.
#[derive(Clone, Debug)]
pub struct Catalog {
    templates: Vec<Template>,
}

impl Catalog {
    pub fn load(builtin_dir: &Path, user_dir: Option<&Path>) -> Result<Catalog, TemplateError> {
        let mut templates = load_dir(builtin_dir)?;
        for t in &mut templates {
            t.builtin = true;
        }
        if let Some(dir) = user_dir {
            if dir.is_dir() {
                for t in load_dir(dir)? {
                    match templates.iter_mut().find(|b| b.id == t.id) {
                        Some(slot) => *slot = t,
                        None => templates.push(t),
                    }
                }
            }
        }
        templates.sort_by(|a, b| (a.category, &a.id).cmp(&(b.category, &b.id)));
        Ok(Catalog { templates })
    }

    /// A catalog of these templates (tests, packs).
    pub fn from_templates(mut templates: Vec<Template>) -> Catalog {
        templates.sort_by(|a, b| (a.category, &a.id).cmp(&(b.category, &b.id)));
        Catalog { templates }
    }

    pub fn all(&self) -> &[Template] {
        &self.templates
    }

    pub fn get(&self, id: &str) -> Result<&Template, TemplateError> {
        self.templates.iter().find(|t| t.id == id).ok_or_else(|| TemplateError::NotFound {
            id: id.into(),
            known: self.templates.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", "),
        })
    }
}
