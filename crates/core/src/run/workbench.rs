//! Everything a front end loads once ([`Workbench`]: folders, settings, profiles, templates,
//! samples, practice recordings), and which provider a run goes to ([`Route`], [`Connection`]).
//! Other crates may add templates and recordings of their own (exercise packs): they join the
//! catalog and the practice recordings, never replacing what is already there.

use std::path::PathBuf;
use std::sync::OnceLock;

use super::replay::{Recording, ReplayKey, Replays, Unplayable};
use crate::config::{Paths, Policy, Profile, Profiles, Resources, Settings};
use crate::documents::Limits;
use crate::providers::{OpenAi, Provider};
use crate::samples::{self, Sample};
use crate::secrets::{self, KeySource, Notice};
use crate::templates::{Catalog, Generate, Template};
use crate::Result;

/// Everything loaded once: where things are, settings, profiles, templates, samples.
pub struct Workbench {
    pub paths: Paths,
    pub settings: Settings,
    pub resources: Resources,
    pub profiles: Profiles,
    pub catalog: Catalog,
    pub samples: Vec<Sample>,
    /// What the machine's IT department locks (`policy.toml`).
    pub policy: Policy,
    /// Recordings added besides the samples' (exercise packs).
    extra: Vec<(ReplayKey, Recording)>,
    replays: OnceLock<(Replays, Vec<Unplayable>)>,
    /// The local history, opened on first use (`Workbench::history`).
    pub(super) history: OnceLock<katib_history::History>,
}

impl Clone for Workbench {
    fn clone(&self) -> Self {
        Workbench {
            paths: self.paths.clone(),
            settings: self.settings.clone(),
            resources: self.resources.clone(),
            profiles: self.profiles.clone(),
            catalog: self.catalog.clone(),
            samples: self.samples.clone(),
            policy: self.policy.clone(),
            extra: self.extra.clone(),
            // Recomputed on demand: settings or templates may have changed in the copy.
            replays: OnceLock::new(),
            // The same database, and the same connection when it is open.
            history: self.history.get().cloned().map(OnceLock::from).unwrap_or_default(),
        }
    }
}

/// Where a run's answer comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// No model: the template's rendered body is the answer.
    Fixed,
    /// Offline: a saved answer replays.
    Practice,
    /// An OpenAI-compatible endpoint.
    Endpoint(Profile),
}

/// The provider a run uses, and what to tell the user about it.
pub struct Connection {
    pub provider: Box<dyn Provider>,
    pub key_source: Option<KeySource>,
    pub notice: Option<Notice>,
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
        let user_dir = settings.templates_dir.clone().unwrap_or_else(|| paths.default_templates_dir());
        let catalog = Catalog::load(&resources.prompts_dir, Some(&user_dir))?;
        let samples = samples::load_all(&resources.samples_dir)?;
        let policy = Policy::load()?;
        Ok(Workbench {
            paths,
            settings,
            resources,
            profiles,
            catalog,
            samples,
            policy,
            extra: Vec::new(),
            replays: OnceLock::new(),
            history: OnceLock::new(),
        })
    }

    /// The user's templates folder: `templates_dir` in config.toml, else `templates/` in the
    /// config folder. It may not exist yet.
    pub fn user_templates_dir(&self) -> PathBuf {
        self.settings.templates_dir.clone().unwrap_or_else(|| self.paths.default_templates_dir())
    }

    /// Adds templates from elsewhere (an exercise pack not imported) to the catalog. A template
    /// whose id is already there (built-in or the user's) is left out: its id is returned.
    pub fn add_templates(&mut self, templates: Vec<Template>) -> Vec<String> {
        let mut all = self.catalog.all().to_vec();
        let mut skipped = Vec::new();
        for t in templates {
            if all.iter().any(|o| o.id == t.id) {
                skipped.push(t.id);
            } else {
                all.push(t);
            }
        }
        self.catalog = Catalog::from_templates(all);
        self.replays = OnceLock::new();
        skipped
    }

    /// Adds practice recordings besides the samples' (an exercise pack's saved answers). A key
    /// that already has recordings gets these as more variants.
    pub fn add_recordings(&mut self, recordings: impl IntoIterator<Item = (ReplayKey, Recording)>) {
        self.extra.extend(recordings);
        self.replays = OnceLock::new();
    }

    pub fn limits(&self) -> Limits {
        self.settings.read_limits()
    }

    pub fn template(&self, id: &str) -> Result<&Template> {
        Ok(self.catalog.get(id)?)
    }

    /// The practice recordings (computed once), and the samples that cannot replay.
    pub fn replays(&self) -> &(Replays, Vec<Unplayable>) {
        self.replays.get_or_init(|| {
            let (mut r, bad) = Replays::from_samples(&self.catalog, &self.samples);
            for (k, rec) in &self.extra {
                r.add(k.clone(), rec.clone());
            }
            (r, bad)
        })
    }

    /// Where a run of `tpl` with `profile` (a name, "practice", or `None` for the default) goes.
    pub fn route(&self, tpl: &Template, profile: Option<&str>) -> Result<Route> {
        if tpl.generate == Generate::Fixed {
            return Ok(Route::Fixed);
        }
        Ok(match self.profiles.choose(profile)? {
            None => Route::Practice,
            Some(p) => Route::Endpoint(p.clone()),
        })
    }

    /// The provider of `profile` (a name, "practice", or `None` for the default) on its own, for
    /// "test the connection". Reads the keychain for an endpoint: this blocks.
    pub fn connect_profile(&self, profile: Option<&str>) -> Result<Connection> {
        match self.profiles.choose(profile)? {
            None => Ok(Connection {
                provider: Box::new(crate::providers::Practice::new(None, crate::providers::Practice::default_pace())),
                key_source: None,
                notice: None,
            }),
            Some(p) => self.connect_with_key(p.clone(), secrets::find_key(&p.name)),
        }
    }

    /// The endpoint of profile `p` with its key already looked up.
    pub fn connect_with_key(&self, p: Profile, found: secrets::FoundKey) -> Result<Connection> {
        Ok(Connection { provider: Box::new(OpenAi::new(p, found.key)?), key_source: found.source, notice: found.notice })
    }
}
