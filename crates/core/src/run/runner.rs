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
use crate::providers::{complete_cancellable, CancellationToken, ChatRequest, Message, Practice, ProviderError, Role, Usage};
use crate::templates::{Template, TemplateError};
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
    /// "Voir le prompt" edited for this one run: these messages are sent instead of the rendered
    /// ones. They pass through the same steps before sending: personal data in them is
    /// pseudonymised as the route requires. Practice mode has no saved answer for them.
    pub messages: Option<Vec<Message>>,
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
        let mut pseudonymizer = (protection == Protection::Pseudonymised).then(|| mask(&tpl, &resolved, &mut vars));
        let mut prepared = render_with(&tpl, &resolved, &vars, &ctx)?;
        if let Some(edited) = &job.messages {
            if route == Route::Practice {
                return Err(ProviderError::PracticeEdited { template: Some(tpl.id.clone()) }.into());
            }
            // The user's wording replaces the rendered prompt, then goes through the same
            // pseudonymiser as the inputs (same placeholders for the same values).
            let (system, user) = edited_prompt(&tpl, edited, pseudonymizer.as_mut())?;
            prepared.system = system;
            prepared.user = user;
        }
        if pseudonymizer.is_some() {
            let rule = instruction(prepared.language);
            // An edited prompt was shown with the rule already in it: not twice.
            if !prepared.system.contains(rule) {
                prepared.system = if prepared.system.trim().is_empty() { rule.to_string() } else { format!("{}\n\n{rule}", prepared.system) };
            }
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

/// The system and user texts of an edited prompt (roles system and user only; the user's
/// request must not be empty), pseudonymised with the run's pseudonymiser when there is one.
fn edited_prompt(tpl: &Template, edited: &[Message], p: Option<&mut Pseudonymizer>) -> Result<(String, String)> {
    let bad = |reason: &str| -> Error { TemplateError::BadValue { template: tpl.id.clone(), field: "messages".into(), reason: reason.into() }.into() };
    if edited.iter().any(|m| m.role == Role::Assistant) {
        return Err(bad("an edited prompt holds system and user messages only"));
    }
    let join = |role: Role| edited.iter().filter(|m| m.role == role).map(|m| m.content.trim_end()).filter(|c| !c.trim().is_empty()).collect::<Vec<_>>().join("\n\n");
    let (mut system, mut user) = (join(Role::System), join(Role::User));
    if user.trim().is_empty() {
        return Err(bad("the edited prompt has no request to the model: write it, or reset the prompt"));
    }
    if let Some(p) = p {
        system = p.apply_from("prompt modifié", &system);
        user = p.apply_from("prompt modifié", &user);
    }
    Ok((system, user))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Paths;

    /// A workbench on temp folders whose default profile is `base_url` of data class `class`.
    fn workbench(dir: &std::path::Path, base_url: &str, class: &str) -> Workbench {
        let paths = Paths { config_dir: dir.join("config"), data_dir: dir.join("data") };
        std::fs::create_dir_all(&paths.config_dir).unwrap();
        std::fs::write(
            paths.config_dir.join("profiles.toml"),
            format!("default = \"api\"\n[[profile]]\nname = \"api\"\nbase_url = \"{base_url}\"\nmodel = \"m\"\ndata_class = \"{class}\"\n"),
        )
        .unwrap();
        Workbench::load_from(paths).unwrap()
    }

    fn job(wb: &Workbench, messages: Option<Vec<Message>>, profile: Option<&str>) -> Job {
        let sample = wb.samples.iter().find(|s| s.template == "reponse-citoyen" && s.name.is_none()).unwrap();
        Job { template: "reponse-citoyen".into(), inputs: Inputs::from_sample(sample), profile: profile.map(str::to_string), messages, ..Default::default() }
    }

    fn msg(role: Role, content: &str) -> Message {
        Message { role, content: content.into() }
    }

    #[test]
    fn an_edited_prompt_is_sent_instead_and_pseudonymised_for_a_cloud_profile() {
        let dir = tempfile::tempdir().unwrap();
        let wb = workbench(dir.path(), "https://api.example.com/v1", "cloud");
        let rendered = wb.start(&job(&wb, None, None)).unwrap();
        assert_eq!(rendered.protection, Protection::Pseudonymised);
        // The user edits what "Voir le prompt" showed: adds a sentence with a name and a CIN.
        let added = "Précisez que M. Youssef Amrani (CIN AB123456) a été reçu le 2 mars.";
        let edited = vec![msg(Role::System, &rendered.prepared.system), msg(Role::User, &format!("{}\n\n{added}", rendered.prepared.user))];
        let run = wb.start(&job(&wb, Some(edited), None)).unwrap();
        let sent: String = run.request.messages.iter().map(|m| m.content.as_str()).collect::<Vec<_>>().join("\n");
        assert!(sent.contains("a été reçu le 2 mars"), "the edit is sent: {sent}");
        assert!(!sent.contains("AB123456") && !sent.contains("Amrani"), "personal data of the edit is masked: {sent}");
        assert!(run.masked.iter().any(|m| m.original == "AB123456"), "{:?}", run.masked);
        // The rule asking to keep placeholders is there once, as in a rendered run.
        let rule = instruction(run.prepared.language);
        assert_eq!(run.request.messages[0].content.matches(rule).count(), 1);
        assert_eq!(run.outgoing().messages, run.request.messages, "what leaves is what is shown");
        // The values the rendered prompt masked keep their placeholders: same run, same texts.
        assert_eq!(run.request.messages[1].content.split("\n\nPrécisez").next().unwrap(), rendered.request.messages[1].content);
    }

    #[test]
    fn an_edited_prompt_goes_as_written_to_a_local_endpoint() {
        let dir = tempfile::tempdir().unwrap();
        let wb = workbench(dir.path(), "http://127.0.0.1:9/v1", "local");
        let edited = vec![msg(Role::User, "Rédigez une réponse à M. Youssef Amrani.")];
        let run = wb.start(&job(&wb, Some(edited), None)).unwrap();
        assert_eq!(run.request.messages, vec![msg(Role::User, "Rédigez une réponse à M. Youssef Amrani.")]);
        assert_eq!(run.prepared.user, "Rédigez une réponse à M. Youssef Amrani.");
        assert!(run.prepared.system.is_empty());
    }

    #[test]
    fn an_edited_prompt_is_refused_when_it_cannot_be_answered_or_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let wb = workbench(dir.path(), "http://127.0.0.1:9/v1", "local");
        // Practice mode: no saved answer was ever written for this wording.
        let e = wb.start(&job(&wb, Some(vec![msg(Role::User, "Autre demande")]), Some(crate::config::PRACTICE))).unwrap_err();
        assert_eq!(e.code(), "practice.edited_prompt", "{e}");
        assert_eq!(e.exit_code(), 6);
        // The sample without an edit still replays.
        assert!(wb.start(&job(&wb, None, Some(crate::config::PRACTICE))).unwrap().recording.is_some());
        let e = wb.start(&job(&wb, Some(vec![msg(Role::System, "Règles"), msg(Role::User, "  \n")]), None)).unwrap_err();
        assert_eq!(e.code(), "template.bad_value");
        assert!(e.to_string().contains("no request to the model"), "{e}");
        let e = wb.start(&job(&wb, Some(vec![msg(Role::User, "Demande"), msg(Role::Assistant, "Réponse")]), None)).unwrap_err();
        assert!(e.to_string().contains("system and user messages only"), "{e}");
    }
}
