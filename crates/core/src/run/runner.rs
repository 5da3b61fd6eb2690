//! The pipeline both front ends call for a generation:
//!
//! 1. [`Workbench::start`]: template + inputs + limits + the run's date -> a [`Run`] holding the
//!    rendered prompt, its route (fixed, practice, endpoint), its replay key and the request as it
//!    will leave this computer (the steps before sending apply here);
//! 2. [`Workbench::connect`]: the provider (this reads the keychain for an endpoint);
//! 3. [`Run::stream`]: send, and stream the answer through a [`Pipeline`] of steps to the front
//!    end's sink; a cut stream keeps the text received;
//! 4. the export ([`super::output`]).

use std::sync::Arc;
use std::time::Instant;

use katib_pseudo::{Pseudonymizer, RestoreReport};

use serde::Serialize;

use super::prepare::{render_with, resolve, today, variables, Context, Inputs, Prepared};
use super::privacy::{decide, instruction, mask, masked, Confirmation, Masked, Protection, RestoreStep};
use super::replay::{Recording, ReplayKey};
use super::sink::{Pipeline, Sink, Step};
use super::workbench::{Connection, Route, Workbench};
use crate::kinds::DataClass;
use crate::providers::{complete_cancellable, CancellationToken, ChatRequest, Practice, ProviderError, Usage};
use crate::templates::Template;
use crate::{Error, Result};

/// What a front end asks for.
#[derive(Clone, Debug, Default)]
pub struct Job {
    pub template: String,
    pub inputs: Inputs,
    /// A profile name, "practice", or `None` for the configured default.
    pub profile: Option<String>,
    /// Which practice variant a learner gets (their name); empty: the first.
    pub seed: String,
    /// The user confirmed sending personal data unmasked for this one run.
    pub unmasked: Option<Confirmation>,
}

/// A prepared run, ready to send.
#[derive(Clone, Debug)]
pub struct Run {
    pub template: Template,
    pub prepared: Prepared,
    pub route: Route,
    pub key: ReplayKey,
    /// Practice: the saved answer this run replays, if any.
    pub recording: Option<Recording>,
    /// Where the endpoint processes what it is sent (`None`: nothing is sent).
    pub data_class: Option<DataClass>,
    pub protection: Protection,
    /// The values that left as placeholders (kept locally only).
    pub masked: Vec<Masked>,
    /// Exactly what leaves this computer.
    pub request: ChatRequest,
    /// Sheet templates: the figures Katib computed from the attached sheet.
    pub figures: Option<Arc<katib_sheet::Profile>>,
    pseudonymizer: Option<Arc<Pseudonymizer>>,
}

/// A finished answer, after every step of the stream.
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    pub text: String,
    /// `stop`, or `length` when the model hit its token limit.
    pub finish_reason: Option<String>,
    pub usage: Option<Usage>,
    pub chunks: u64,
    pub model: String,
    pub profile: String,
    pub elapsed_ms: u64,
    /// Pseudonymised runs: placeholders restored, dropped or invented by the model.
    pub restore: Option<RestoreReport>,
    /// Sheet templates: the numbers of the answer found in none of Katib's figures.
    pub flags: Vec<super::figures::Flag>,
}

/// A stream that did not end well, with the text that had reached the sink.
#[derive(Debug)]
pub struct Interrupted {
    pub error: Error,
    /// The (processed) text received before the failure; empty if none.
    pub partial: String,
}

/// What leaves this computer for a run, as the user is shown it ("Ce qui a quitté cet
/// ordinateur") and `katib run --dry-run` prints it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outgoing {
    pub template: String,
    pub language: crate::Lang,
    /// fixed | practice | endpoint
    pub route: &'static str,
    pub profile: Option<String>,
    pub data_class: Option<DataClass>,
    pub protection: Protection,
    /// The messages exactly as sent.
    pub messages: Vec<crate::providers::Message>,
    /// The values that left as placeholders, and where they came from (shown locally only).
    pub masked: Vec<Masked>,
}

impl From<Interrupted> for Error {
    fn from(i: Interrupted) -> Error {
        i.error
    }
}

impl Workbench {
    /// Prepares `job`: checks the inputs, finds its route and replay key, fixes its date (a
    /// practice recording's date, else today), reads the files and renders the prompt.
    pub fn start(&self, job: &Job) -> Result<Run> {
        let tpl = self.template(&job.template)?.clone();
        let resolved = resolve(&tpl, &job.inputs)?;
        let key = ReplayKey::of(&tpl, &resolved)?;
        let route = self.route(&tpl, job.profile.as_deref())?;
        let recording = match route {
            Route::Practice => self.replays().0.choose(&key, &job.seed).cloned(),
            _ => None,
        };
        let day = recording.as_ref().map_or_else(today, |r| r.date.clone());
        let (data_class, protection) = decide(&route, &self.policy, job.unmasked.as_ref())?;
        let limits = self.limits();
        let ctx = Context { limits: &limits, today: &day, settings: &self.settings };
        let mut vars = variables(&tpl, &resolved, &ctx)?;
        let figures = vars.profiles.values().next().cloned();
        let pseudonymizer = (protection == Protection::Pseudonymised).then(|| mask(&tpl, &resolved, &mut vars));
        let mut prepared = render_with(&tpl, &resolved, &vars, &ctx)?;
        if pseudonymizer.is_some() {
            let rule = instruction(prepared.language);
            prepared.system = if prepared.system.trim().is_empty() { rule.to_string() } else { format!("{}\n\n{rule}", prepared.system) };
        }
        let mut request = prepared.request();
        request.replay_key = Some(key.0.clone());
        Ok(Run {
            template: tpl,
            prepared,
            route,
            key,
            recording,
            data_class,
            protection,
            masked: pseudonymizer.as_ref().map(masked).unwrap_or_default(),
            request,
            figures,
            pseudonymizer: pseudonymizer.map(Arc::new),
        })
    }

    /// The provider for `run`: reads the keychain for an endpoint (this blocks: call it off the
    /// async runtime, or look the key up there and use [`Workbench::connect_run_with_key`]).
    pub fn connect_run(&self, run: &Run) -> Result<Connection> {
        match &run.route {
            Route::Endpoint(p) => self.connect_with_key(p.clone(), crate::secrets::find_key(&p.name)),
            _ => Ok(self.connect_offline(run)),
        }
    }

    /// As [`Workbench::connect_run`], with the endpoint's key already looked up.
    pub fn connect_run_with_key(&self, run: &Run, found: crate::secrets::FoundKey) -> Result<Connection> {
        match &run.route {
            Route::Endpoint(p) => self.connect_with_key(p.clone(), found),
            _ => Ok(self.connect_offline(run)),
        }
    }

    fn connect_offline(&self, run: &Run) -> Connection {
        let provider: Box<dyn crate::providers::Provider> = match run.route {
            Route::Fixed => Box::new(crate::providers::Fixed::new(&run.prepared.user)),
            _ => Box::new(Practice::new(run.recording.as_ref().map(|r| r.answer.clone()), Practice::default_pace())),
        };
        Connection { provider, key_source: None, notice: None }
    }
}

impl Run {
    /// What leaves this computer.
    pub fn outgoing(&self) -> Outgoing {
        let (route, profile) = match &self.route {
            Route::Fixed => ("fixed", None),
            Route::Practice => ("practice", None),
            Route::Endpoint(p) => ("endpoint", Some(p.name.clone())),
        };
        Outgoing {
            template: self.template.id.clone(),
            language: self.prepared.language,
            route,
            profile,
            data_class: self.data_class,
            protection: self.protection.clone(),
            messages: self.request.messages.clone(),
            masked: self.masked.clone(),
        }
    }

    /// Sends the request and streams the answer through `steps` to `sink`. Cancelling `cancel`
    /// drops the request at once. On failure the text that reached the sink is kept.
    pub async fn stream<'a>(
        &self,
        conn: &Connection,
        steps: Vec<Box<dyn Step + 'a>>,
        sink: &'a mut dyn Sink,
        cancel: &CancellationToken,
    ) -> std::result::Result<Answer, Interrupted> {
        let started = Instant::now();
        let mut pipe = Pipeline::new(sink);
        // Restoring comes first: every later step and the sink see the user's own values.
        let mut report = None;
        if let Some(p) = &self.pseudonymizer {
            let (step, r) = RestoreStep::new(p);
            pipe = pipe.step(step);
            report = Some(r);
        }
        // Then Katib's tables where the model placed them: the user's steps see the whole text.
        if let Some(p) = &self.figures {
            pipe = pipe.step(super::figures::FillStep::new(super::figures::tables(p, self.prepared.language)));
        }
        for s in steps {
            pipe = pipe.step_boxed(s);
        }
        let r = {
            let mut feed = |piece: &str| pipe.push(piece);
            complete_cancellable(conn.provider.as_ref(), &self.request, &mut feed, cancel).await
        };
        pipe.finish();
        let text = pipe.into_text();
        let restore = report.and_then(|r| r.lock().unwrap_or_else(|e| e.into_inner()).take());
        let flags = self.figures.as_ref().map(|p| super::figures::check(&text, p, self.prepared.language, &self.prepared.values)).unwrap_or_default();
        match r {
            Ok(c) => Ok(Answer {
                text,
                finish_reason: c.finish_reason,
                usage: c.usage,
                chunks: c.chunks,
                model: conn.provider.model().to_string(),
                profile: conn.provider.name().to_string(),
                elapsed_ms: started.elapsed().as_millis() as u64,
                restore,
                flags,
            }),
            Err(e) => {
                let error = match e {
                    // The partial the user sees is the processed one.
                    ProviderError::Cut { detail, .. } => ProviderError::Cut { partial: text.clone(), detail },
                    other => other,
                };
                Err(Interrupted { error: error.into(), partial: text })
            }
        }
    }
}
