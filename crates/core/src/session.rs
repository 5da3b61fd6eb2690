//! What the desktop app remembers between runs: the interface language (config dir) and the
//! current draft (data dir): the template, its form values and files, and the answer being
//! edited, so nothing is lost when the window is closed or the app killed. JSON files, written
//! atomically. Never holds a key: drafts are form values and text only.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, Paths};
use crate::Lang;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Prefs {
    pub language: Lang,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Draft {
    pub template: String,
    pub values: BTreeMap<String, String>,
    pub files: BTreeMap<String, PathBuf>,
    pub answer: String,
    /// The history's id of the run that wrote the answer: a later export is recorded against it.
    #[serde(rename = "runId", skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// The model that wrote the answer (a report's "prepared with" line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

fn prefs_file(p: &Paths) -> PathBuf {
    p.config_dir.join("desktop.json")
}

fn draft_file(p: &Paths) -> PathBuf {
    p.data_dir.join("draft.json")
}

fn save_json<T: Serialize>(dir: &std::path::Path, path: PathBuf, v: &T) -> Result<(), ConfigError> {
    let werr = |source| ConfigError::Write { path: path.clone(), source };
    std::fs::create_dir_all(dir).map_err(werr)?;
    let text = serde_json::to_vec_pretty(v).expect("serializable");
    crate::fsutil::write_atomic(&path, &text, true).map_err(werr)
}

/// A missing or unreadable file gives the default: a damaged draft must not stop the app.
fn load_json<T: for<'de> Deserialize<'de> + Default>(path: PathBuf) -> T {
    std::fs::read(&path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

pub fn load_prefs(p: &Paths) -> Prefs {
    load_json(prefs_file(p))
}

pub fn save_prefs(p: &Paths, prefs: &Prefs) -> Result<(), ConfigError> {
    save_json(&p.config_dir, prefs_file(p), prefs)
}

pub fn load_draft(p: &Paths) -> Option<Draft> {
    let d: Draft = load_json(draft_file(p));
    (!d.template.is_empty()).then_some(d)
}

pub fn save_draft(p: &Paths, d: &Draft) -> Result<(), ConfigError> {
    save_json(&p.data_dir, draft_file(p), d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_round_trip_and_damaged_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = Paths { config_dir: dir.path().join("c"), data_dir: dir.path().join("d") };
        assert_eq!(load_draft(&p), None);
        let mut d = Draft { template: "reponse-citoyen".into(), answer: "Monsieur,".into(), ..Default::default() };
        d.values.insert("objet".into(), "Éclairage".into());
        save_draft(&p, &d).unwrap();
        assert_eq!(load_draft(&p), Some(d));
        std::fs::write(p.data_dir.join("draft.json"), b"{not json").unwrap();
        assert_eq!(load_draft(&p), None);
        save_prefs(&p, &Prefs { language: Lang::Ar }).unwrap();
        assert_eq!(load_prefs(&p).language, Lang::Ar);
    }
}
