//! `profiles.toml`: named OpenAI-compatible endpoints, and the presets that pre-fill them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::file::{read_toml, write_toml};
use super::{ConfigError, Paths};
use crate::kinds::DataClass;

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
    /// Where the endpoint processes what it is sent. Absent: local for a loopback or private
    /// network address, cloud otherwise (see [`Profile::data_class`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_class: Option<DataClass>,
    /// A sovereign profile may switch pseudonymisation off (`false`); ignored for cloud profiles
    /// (always on) and local ones (never needed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pseudonymise: Option<bool>,
    /// How many requests a batch (a mail-merge, one answer per row) sends at once; absent:
    /// [`Profile::DEFAULT_CONCURRENCY`]. A paid plan's rate limit, or a local server's number of
    /// parallel slots, is what to set it from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
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
            data_class: None,
            pseudonymise: None,
            concurrency: None,
        }
    }

    /// Requests a batch sends at once when the profile does not say.
    pub const DEFAULT_CONCURRENCY: u32 = 4;

    /// Requests a batch sends at once: the profile's `concurrency`, else the default.
    pub fn batch_concurrency(&self) -> u32 {
        self.concurrency.filter(|c| *c > 0).unwrap_or(Profile::DEFAULT_CONCURRENCY)
    }

    /// The profile's data class: as set, else local for an endpoint on this computer or a private
    /// network (127.0.0.0/8, ::1, localhost, 10/8, 172.16/12, 192.168/16, *.local), else cloud.
    pub fn data_class(&self) -> DataClass {
        self.data_class.unwrap_or_else(|| if is_private_url(&self.base_url) { DataClass::Local } else { DataClass::Cloud })
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
        if self.concurrency == Some(0) || self.concurrency.is_some_and(|c| c > 64) {
            return Err(bad("concurrency must be between 1 and 64".into()));
        }
        for k in self.headers.keys() {
            if k.eq_ignore_ascii_case("authorization") {
                return Err(bad("an Authorization header belongs in the keychain: use `katib key set`".into()));
            }
        }
        Ok(())
    }
}

/// Whether `url`'s host is this computer or a private network.
fn is_private_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host.strip_prefix('[') { v6.split(']').next().unwrap_or("") } else { host.split(':').next().unwrap_or("") };
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") || host.ends_with(".local") || host.ends_with(".lan") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback() || ip.is_private() || ip.is_link_local(),
        Ok(std::net::IpAddr::V6(ip)) => ip.is_loopback() || (ip.segments()[0] & 0xfe00) == 0xfc00,
        Err(_) => false,
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
    pub data_class: DataClass,
}

pub const PRESETS: &[Preset] = &[
    Preset { id: "openai", name: "OpenAI", base_url: "https://api.openai.com/v1", model_hint: "gpt-4o-mini", needs_key: true, data_class: DataClass::Cloud },
    Preset { id: "mistral", name: "Mistral AI", base_url: "https://api.mistral.ai/v1", model_hint: "mistral-small-latest", needs_key: true, data_class: DataClass::Cloud },
    Preset { id: "ollama", name: "Ollama (local)", base_url: "http://localhost:11434/v1", model_hint: "llama3.1", needs_key: false, data_class: DataClass::Local },
    Preset { id: "llamacpp", name: "llama.cpp server", base_url: "http://localhost:8080/v1", model_hint: "local", needs_key: false, data_class: DataClass::Local },
    Preset { id: "lmstudio", name: "LM Studio", base_url: "http://localhost:1234/v1", model_hint: "local-model", needs_key: false, data_class: DataClass::Local },
    Preset { id: "vllm", name: "vLLM", base_url: "http://localhost:8000/v1", model_hint: "mistralai/Mistral-7B-Instruct-v0.3", needs_key: false, data_class: DataClass::Local },
    Preset { id: "litellm", name: "LiteLLM proxy", base_url: "http://localhost:4000/v1", model_hint: "gpt-4o-mini", needs_key: true, data_class: DataClass::Cloud },
];

pub fn preset(id: &str) -> Result<&'static Preset, ConfigError> {
    let norm = id.to_ascii_lowercase().replace(['.', ' ', '-', '_'], "");
    PRESETS.iter().find(|p| p.id == norm).ok_or_else(|| ConfigError::UnknownPreset {
        name: id.into(),
        known: PRESETS.iter().map(|p| p.id).collect::<Vec<_>>().join(", "),
    })
}

