//! Where Katib keeps things, and what the user configured.
//!
//! - `Paths`: the config dir (`config.toml`, `profiles.toml`) and the data dir, from the platform
//!   dirs or `KATIB_CONFIG_DIR` / `KATIB_DATA_DIR` (tests and trainers' sandboxes use these).
//! - `Settings` (`config.toml`): user templates folder, input size limit, sheet budget.
//! - `Profiles` (`profiles.toml`): named OpenAI-compatible endpoints and the presets.
//! - `Resources`: where the shipped `prompts/` and `samples/` are.
//!
//! API keys are never here: see [`crate::secrets`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not valid TOML (line {line}): {message}. Fix or delete the file.")]
    Parse { path: PathBuf, line: usize, message: String },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("no platform {what} directory found: set {var}")]
    NoDir { what: &'static str, var: &'static str },
    #[error("unknown profile '{name}'. Known profiles: {known}. Add one with `katib profiles add`.")]
    UnknownProfile { name: String, known: String },
    #[error("profile '{name}' already exists in {path}")]
    ProfileExists { name: String, path: PathBuf },
    #[error("invalid profile '{name}': {reason}")]
    InvalidProfile { name: String, reason: String },
    #[error("unknown preset '{name}'. Presets: {known}")]
    UnknownPreset { name: String, known: String },
    #[error(
        "Katib's prompts/ and samples/ folders were not found (looked in {looked}). \
         Set KATIB_RESOURCES_DIR to the folder that holds them."
    )]
    NoResources { looked: String },
}

impl ConfigError {
    pub fn code(&self) -> &'static str {
        match self {
            ConfigError::Read { .. } | ConfigError::Write { .. } | ConfigError::NoDir { .. } => {
                "config.io"
            }
            ConfigError::Parse { .. } => "config.invalid",
            ConfigError::UnknownProfile { .. } => "config.unknown_profile",
            ConfigError::ProfileExists { .. } => "config.profile_exists",
            ConfigError::InvalidProfile { .. } => "config.invalid_profile",
            ConfigError::UnknownPreset { .. } => "config.unknown_preset",
            ConfigError::NoResources { .. } => "config.no_resources",
        }
    }
}

/// The config and data folders.
#[derive(Clone, Debug)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
}

impl Paths {
    /// `KATIB_CONFIG_DIR` / `KATIB_DATA_DIR`, else the platform dirs (`~/.config/katib`, ...).
    pub fn from_env() -> Result<Paths, ConfigError> {
        let config_dir = match std::env::var_os("KATIB_CONFIG_DIR") {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => dirs::config_dir()
                .ok_or(ConfigError::NoDir { what: "config", var: "KATIB_CONFIG_DIR" })?
                .join("katib"),
        };
        let data_dir = match std::env::var_os("KATIB_DATA_DIR") {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => dirs::data_dir()
                .ok_or(ConfigError::NoDir { what: "data", var: "KATIB_DATA_DIR" })?
                .join("katib"),
        };
        Ok(Paths { config_dir, data_dir })
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }
    pub fn profiles_file(&self) -> PathBuf {
        self.config_dir.join("profiles.toml")
    }
}

/// `config.toml`. Every key is optional.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// A folder of user templates: they add to the built-in ones, or replace them by id.
    pub templates_dir: Option<PathBuf>,
    /// Largest input file accepted, in MB.
    pub max_file_mb: u64,
    /// Budget for one sheet's extract in the prompt, in tokens (about 4 characters each).
    pub sheet_token_budget: usize,
    /// Longest time a file may take to read before Katib gives up on it, in seconds.
    pub read_timeout_secs: u64,
    /// Reports end with a "prepared with" line (template, model, date).
    pub prepared_with: bool,
    /// The administration's letterhead and signature, for letters.
    pub letterhead: LetterheadSettings,
}

/// `[letterhead]` in `config.toml`: what frames every letter.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LetterheadSettings {
    /// French letterhead lines, top left ("Royaume du Maroc", "Ministère de l'Intérieur", ...).
    pub fr: Vec<String>,
    /// Arabic letterhead lines, top right ("المملكة المغربية", "وزارة الداخلية", ...).
    pub ar: Vec<String>,
    /// A PNG or JPEG logo, between the two columns (relative to the config folder).
    pub logo: Option<PathBuf>,
    /// The signatory's function ("Le Président du Conseil Communal"), when the template's field
    /// does not give it; and the Arabic one for Arabic letters.
    pub signature_title: Option<String>,
    pub signature_title_ar: Option<String>,
    /// The signatory's name, under the function.
    pub signature_name: Option<String>,
    pub signature_name_ar: Option<String>,
    /// The place in "Oujda, le ..." when the template's field does not give it; and in Arabic.
    pub ville: Option<String>,
    pub ville_ar: Option<String>,
    /// Arabic letters get a Hijri date line (tabular Islamic calendar) under the date.
    pub hijri: bool,
    /// The administration's own Word letterhead with {{placeholders}}, used for every letter
    /// (relative to the config folder). `katib run --letterhead` overrides it.
    pub docx: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            templates_dir: None,
            max_file_mb: 25,
            sheet_token_budget: 6000,
            read_timeout_secs: 30,
            prepared_with: true,
            letterhead: LetterheadSettings::default(),
        }
    }
}

impl Settings {
    /// Writes `config.toml` atomically (the desktop's settings screen).
    pub fn save(&self, paths: &Paths) -> Result<(), ConfigError> {
        write_toml(&paths.settings_file(), self)
    }

    pub fn load(paths: &Paths) -> Result<Settings, ConfigError> {
        let mut s: Settings = read_toml(&paths.settings_file())?.unwrap_or_default();
        // A relative templates folder is relative to the config dir, not to wherever katib runs.
        if let Some(d) = &s.templates_dir {
            if d.is_relative() {
                s.templates_dir = Some(paths.config_dir.join(d));
            }
        }
        for p in [&mut s.letterhead.logo, &mut s.letterhead.docx].into_iter().flatten() {
            if p.is_relative() {
                *p = paths.config_dir.join(&*p);
            }
        }
        Ok(s)
    }

    pub fn read_limits(&self) -> crate::documents::Limits {
        crate::documents::Limits {
            max_bytes: self.max_file_mb.saturating_mul(1024 * 1024),
            sheet_char_budget: self.sheet_token_budget.saturating_mul(4),
            timeout: Duration::from_secs(self.read_timeout_secs.max(1)),
        }
    }
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ConfigError::Read { path: path.into(), source: e }),
    };
    toml::from_str(&text).map(Some).map_err(|e| ConfigError::Parse {
        path: path.into(),
        line: e.span().map(|s| line_of(&text, s.start)).unwrap_or(1),
        message: e.message().to_string(),
    })
}

/// Writes `value` as TOML to `path` atomically, creating its folder.
fn write_toml<T: Serialize>(path: &Path, value: &T) -> Result<(), ConfigError> {
    let werr = |source| ConfigError::Write { path: path.to_path_buf(), source };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(werr)?;
    }
    let text = toml::to_string_pretty(value).expect("config types serialize to TOML");
    crate::fsutil::write_atomic(path, text.as_bytes(), true).map_err(werr)
}

/// 1-based line number of byte offset `at` in `text`.
pub(crate) fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// One OpenAI-compatible endpoint.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    /// Up to and including the version, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    pub model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// Extra HTTP headers sent with every request (never put a key here: use `katib key set`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default = "d_connect")]
    pub connect_timeout_secs: u64,
    /// Longest wait for the first token (a local model loading can take a while).
    #[serde(default = "d_first")]
    pub first_token_timeout_secs: u64,
    /// Longest silence between two pieces of a streamed answer.
    #[serde(default = "d_idle")]
    pub idle_timeout_secs: u64,
    /// Retries on 429 and 5xx answers.
    #[serde(default = "d_retries")]
    pub retries: u32,
    #[serde(default = "d_true")]
    pub stream: bool,
}

fn d_connect() -> u64 {
    10
}
fn d_first() -> u64 {
    120
}
fn d_idle() -> u64 {
    60
}
fn d_retries() -> u32 {
    2
}
fn d_true() -> bool {
    true
}

impl Profile {
    pub fn new(name: &str, base_url: &str, model: &str) -> Profile {
        Profile {
            name: name.into(),
            base_url: base_url.trim_end_matches('/').into(),
            model: model.into(),
            preset: None,
            temperature: None,
            max_tokens: None,
            headers: BTreeMap::new(),
            connect_timeout_secs: d_connect(),
            first_token_timeout_secs: d_first(),
            idle_timeout_secs: d_idle(),
            retries: d_retries(),
            stream: true,
        }
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |reason: String| ConfigError::InvalidProfile { name: self.name.clone(), reason };
        if self.name.is_empty()
            || !self.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(bad("the name must use letters, digits, - or _".into()));
        }
        if self.name == PRACTICE {
            return Err(bad(format!("'{PRACTICE}' is the built-in offline mode")));
        }
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            return Err(bad(format!(
                "base URL '{}' must start with http:// or https:// (e.g. http://localhost:11434/v1)",
                self.base_url
            )));
        }
        if self.model.trim().is_empty() {
            return Err(bad("a model name is required (see `katib profiles test NAME`)".into()));
        }
        if let Some(t) = self.temperature {
            if !(0.0..=2.0).contains(&t) {
                return Err(bad(format!("temperature {t} is outside 0..2")));
            }
        }
        for k in self.headers.keys() {
            if k.eq_ignore_ascii_case("authorization") {
                return Err(bad("an Authorization header belongs in the keychain: use `katib key set`".into()));
            }
        }
        Ok(())
    }
}

/// The name of the built-in offline provider, usable wherever a profile name is.
pub const PRACTICE: &str = "practice";

/// `profiles.toml`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profiles {
    /// Profile used when `--profile` is not given; none means practice mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, rename = "profile")]
    pub profiles: Vec<Profile>,
}

impl Profiles {
    pub fn load(paths: &Paths) -> Result<Profiles, ConfigError> {
        let p: Profiles = read_toml(&paths.profiles_file())?.unwrap_or_default();
        for prof in &p.profiles {
            prof.validate()?;
        }
        Ok(p)
    }

    pub fn save(&self, paths: &Paths) -> Result<(), ConfigError> {
        write_toml(&paths.profiles_file(), self)
    }

    pub fn get(&self, name: &str) -> Result<&Profile, ConfigError> {
        self.profiles.iter().find(|p| p.name == name).ok_or_else(|| ConfigError::UnknownProfile {
            name: name.into(),
            known: self.known(),
        })
    }

    fn known(&self) -> String {
        let mut names: Vec<&str> = vec![PRACTICE];
        names.extend(self.profiles.iter().map(|p| p.name.as_str()));
        names.join(", ")
    }

    /// Adds a profile; the first one added becomes the default.
    pub fn add(&mut self, profile: Profile, paths: &Paths) -> Result<(), ConfigError> {
        profile.validate()?;
        if self.profiles.iter().any(|p| p.name == profile.name) {
            return Err(ConfigError::ProfileExists {
                name: profile.name,
                path: paths.profiles_file(),
            });
        }
        if self.default.is_none() {
            self.default = Some(profile.name.clone());
        }
        self.profiles.push(profile);
        Ok(())
    }

    pub fn remove(&mut self, name: &str) -> Result<Profile, ConfigError> {
        let i = self.profiles.iter().position(|p| p.name == name).ok_or_else(|| {
            ConfigError::UnknownProfile { name: name.into(), known: self.known() }
        })?;
        if self.default.as_deref() == Some(name) {
            self.default = None;
        }
        Ok(self.profiles.remove(i))
    }

    /// Which profile a run uses: the named one, else the default, else practice (`None`).
    pub fn choose(&self, name: Option<&str>) -> Result<Option<&Profile>, ConfigError> {
        match name.or(self.default.as_deref()) {
            None | Some(PRACTICE) => Ok(None),
            Some(n) => self.get(n).map(Some),
        }
    }
}

/// A known kind of OpenAI-compatible server, to pre-fill a profile.
#[derive(Clone, Debug, Serialize)]
pub struct Preset {
    pub id: &'static str,
    pub name: &'static str,
    pub base_url: &'static str,
    pub model_hint: &'static str,
    pub needs_key: bool,
}

pub const PRESETS: &[Preset] = &[
    Preset { id: "openai", name: "OpenAI", base_url: "https://api.openai.com/v1", model_hint: "gpt-4o-mini", needs_key: true },
    Preset { id: "mistral", name: "Mistral AI", base_url: "https://api.mistral.ai/v1", model_hint: "mistral-small-latest", needs_key: true },
    Preset { id: "ollama", name: "Ollama (local)", base_url: "http://localhost:11434/v1", model_hint: "llama3.1", needs_key: false },
    Preset { id: "llamacpp", name: "llama.cpp server", base_url: "http://localhost:8080/v1", model_hint: "local", needs_key: false },
    Preset { id: "lmstudio", name: "LM Studio", base_url: "http://localhost:1234/v1", model_hint: "local-model", needs_key: false },
    Preset { id: "vllm", name: "vLLM", base_url: "http://localhost:8000/v1", model_hint: "mistralai/Mistral-7B-Instruct-v0.3", needs_key: false },
    Preset { id: "litellm", name: "LiteLLM proxy", base_url: "http://localhost:4000/v1", model_hint: "gpt-4o-mini", needs_key: true },
];

pub fn preset(id: &str) -> Result<&'static Preset, ConfigError> {
    let norm = id.to_ascii_lowercase().replace(['.', ' ', '-', '_'], "");
    PRESETS.iter().find(|p| p.id == norm).ok_or_else(|| ConfigError::UnknownPreset {
        name: id.into(),
        known: PRESETS.iter().map(|p| p.id).collect::<Vec<_>>().join(", "),
    })
}

/// Where the shipped `prompts/` and `samples/` folders are.
#[derive(Clone, Debug)]
pub struct Resources {
    pub prompts_dir: PathBuf,
    pub samples_dir: PathBuf,
}

impl Resources {
    /// `KATIB_RESOURCES_DIR`, else beside the executable (installed layouts), else the source tree
    /// this crate was built from (development and tests).
    pub fn locate() -> Result<Resources, ConfigError> {
        let mut candidates: Vec<PathBuf> = Vec::new();
        if let Some(d) = std::env::var_os("KATIB_RESOURCES_DIR") {
            candidates.push(PathBuf::from(d));
        }
        if let Ok(exe) = std::env::current_exe() {
            if let Some(dir) = exe.parent() {
                candidates.push(dir.to_path_buf());
                candidates.push(dir.join("resources"));
                candidates.push(dir.join("../share/katib"));
                candidates.push(dir.join("../lib/katib"));
                // Where `cargo tauri build` puts bundle resources (.deb, .AppImage).
                candidates.push(dir.join("../lib/Katib"));
            }
        }
        candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."));
        for c in &candidates {
            if c.join("prompts").is_dir() && c.join("samples").is_dir() {
                let c = c.canonicalize().unwrap_or_else(|_| c.clone());
                return Ok(Resources { prompts_dir: c.join("prompts"), samples_dir: c.join("samples") });
            }
        }
        Err(ConfigError::NoResources {
            looked: candidates.iter().map(|c| c.display().to_string()).collect::<Vec<_>>().join(", "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_round_trip_and_default() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths { config_dir: dir.path().join("cfg"), data_dir: dir.path().join("data") };
        let mut ps = Profiles::load(&paths).unwrap();
        assert!(ps.choose(None).unwrap().is_none(), "nothing configured means practice");
        let mut p = Profile::new("local", "http://127.0.0.1:8080/v1/", "m");
        p.headers.insert("X-Org".into(), "oujda".into());
        ps.add(p, &paths).unwrap();
        ps.save(&paths).unwrap();
        let back = Profiles::load(&paths).unwrap();
        assert_eq!(back.default.as_deref(), Some("local"));
        let chosen = back.choose(None).unwrap().unwrap();
        assert_eq!(chosen.base_url, "http://127.0.0.1:8080/v1");
        assert_eq!(chosen.headers["X-Org"], "oujda");
        assert!(back.choose(Some("practice")).unwrap().is_none());
        assert!(matches!(back.choose(Some("nope")), Err(ConfigError::UnknownProfile { .. })));
    }

    #[test]
    fn readme_settings_example_loads() {
        // The config.toml shown in the README is the first ```toml block.
        let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
        let start = readme.find("```toml\n").unwrap() + "```toml\n".len();
        let block = &readme[start..start + readme[start..].find("```").unwrap()];
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths { config_dir: dir.path().to_path_buf(), data_dir: dir.path().join("data") };
        std::fs::write(paths.settings_file(), block).unwrap();
        let s = Settings::load(&paths).unwrap();
        assert!(s.prepared_with);
        assert_eq!(s.letterhead.fr[0], "Royaume du Maroc");
        assert_eq!(s.letterhead.ar[0], "المملكة المغربية");
        assert_eq!(s.letterhead.logo.as_deref(), Some(dir.path().join("logo.png").as_path()), "relative to the config folder");
        assert_eq!(s.letterhead.signature_name_ar.as_deref(), Some("محمد بنعلي"));
    }

    #[test]
    fn bad_profiles_file_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths { config_dir: dir.path().into(), data_dir: dir.path().into() };
        std::fs::write(paths.profiles_file(), "default = \"a\"\n[[profile]]\nname = \n").unwrap();
        match Profiles::load(&paths) {
            Err(ConfigError::Parse { line, .. }) => assert_eq!(line, 3),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rejects_key_in_headers_and_bad_urls() {
        let mut p = Profile::new("x", "localhost:8080", "m");
        assert!(p.validate().is_err());
        p.base_url = "http://localhost:8080/v1".into();
        p.headers.insert("Authorization".into(), "Bearer sk".into());
        assert!(p.validate().is_err());
    }

    #[test]
    fn presets_resolve_loosely() {
        assert_eq!(preset("llama.cpp").unwrap().base_url, "http://localhost:8080/v1");
        assert_eq!(preset("LM Studio").unwrap().id, "lmstudio");
        assert!(preset("gemini").is_err());
    }
}
