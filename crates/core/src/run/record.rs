//! The history side of a run: every generation is recorded in the local history
//! (`katib_history`, `<data dir>/katib.sqlite3`) as it streams, so a killed process leaves its
//! partial answer behind; exports are recorded against their run; a final letter with no N°
//! gets the next number of the outgoing-mail register.
//!
//! With the history off (`[history] enabled = false`), only the metadata audit row of each run is
//! kept (the history crate enforces it). The machine's policy may forbid turning it off or impose
//! the retention.

use std::sync::{Arc, Mutex};

use katib_history::{
    History, InputFile, Letter, NewRun, Options, Outcome, PseudonymisationOverride, RegisterPattern,
    Replacement, RunRecorder, SentMessage, Tokens,
};
use sha2::{Digest, Sha256};

use super::privacy::Protection;
use super::runner::{Answer, Interrupted, Run};
use super::sink::{Sink, Step};
use super::workbench::{Connection, Workbench};
use crate::providers::{CancellationToken, ProviderError};
use crate::templates::Part;
use crate::{DataClass, Error, Result};

/// Who "confirmed" an unmasked sending when a sovereign profile has pseudonymisation off in its
/// settings (the audit sheet words that case apart).
const PROFILE_SETTINGS: &str = "profile settings";

/// A recorder shared between the stream's step and whoever finishes the run.
type Shared = Arc<Mutex<Option<RunRecorder>>>;

/// Passes the (restored) answer on, and checkpoints it into the history.
struct RecordStep(Shared);

impl Step for RecordStep {
    fn push(&mut self, piece: &str, next: &mut dyn Sink) {
        if let Some(rec) = self.0.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            // A failing checkpoint must not stop the answer: the run's final write reports it.
            let _ = rec.push(piece);
        }
        next.push(piece);
    }
}

impl Workbench {
    /// Whether the history keeps texts: the settings, unless the machine's policy requires it.
    pub fn history_keeps_texts(&self) -> bool {
        self.settings.history.enabled || self.policy.history_required
    }

    /// The retention in days: the policy's, else the settings'.
    pub fn history_retention(&self) -> Option<u32> {
        self.policy.history_retention_days.or(self.settings.history.retention_days)
    }

    /// The local history, opened on first use.
    pub fn history(&self) -> Result<&History> {
        if let Some(h) = self.history.get() {
            return Ok(h);
        }
        let path = self.paths.data_dir.join(katib_history::FILE_NAME);
        let h = History::open(&path, Options { keep_texts: self.history_keeps_texts(), ..Default::default() })?;
        let _ = self.history.set(h);
        self.history.get().ok_or_else(|| katib_history::Error::NotFound { id: "history".into() }.into())
    }

    /// The register pattern of the settings, checked.
    pub fn register_pattern(&self) -> Result<RegisterPattern> {
        Ok(RegisterPattern::parse(&self.settings.register.pattern)?)
    }

    fn new_run(&self, run: &Run, conn: &Connection) -> NewRun {
        let part = |p: Part| run.template.part_field(p).and_then(|f| run.prepared.values.get(f)).cloned().unwrap_or_default();
        let inputs = run
            .prepared
            .files
            .iter()
            .map(|(field, path)| {
                let bytes = std::fs::read(path).unwrap_or_default();
                InputFile {
                    field: field.clone(),
                    name: path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
                    sha256: Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect(),
                    bytes: bytes.len() as u64,
                }
            })
            .collect();
        let profile_name = match &run.route {
            super::workbench::Route::Endpoint(p) => p.name.clone(),
            super::workbench::Route::Practice => crate::config::PRACTICE.into(),
            super::workbench::Route::Fixed => "fixed".into(),
        };
        let pseudonymisation_override = match &run.protection {
            Protection::Unmasked { confirmed_by } => Some(PseudonymisationOverride {
                confirmed_by: confirmed_by.clone(),
                what: format!("personal data sent unmasked for this run to '{profile_name}'"),
                at: chrono::Utc::now(),
            }),
            Protection::OffForProfile => Some(PseudonymisationOverride {
                confirmed_by: PROFILE_SETTINGS.into(),
                what: format!("pseudonymisation switched off for the sovereign profile '{profile_name}'"),
                at: chrono::Utc::now(),
            }),
            _ => None,
        };
        NewRun {
            template_id: run.template.id.clone(),
            template_title: run.template.title.get(run.prepared.language).to_string(),
            template_version: run.template.version.to_string(),
            template_hash: run.template.hash.clone(),
            profile: profile_name,
            model: conn.provider.model().to_string(),
            data_class: Some(run.data_class.unwrap_or(DataClass::Local)),
            lang: run.prepared.language.code().into(),
            objet: part(Part::Objet),
            addressee: part(Part::Destinataire),
            form: run.prepared.values.clone(),
            inputs,
            messages: run
                .request
                .messages
                .iter()
                .map(|m| SentMessage { role: format!("{:?}", m.role).to_lowercase(), content: m.content.clone() })
                .collect(),
            replacements: run
                .masked
                .iter()
                .map(|m| Replacement { placeholder: m.placeholder.clone(), original: m.original.clone(), kind: m.kind.clone() })
                .collect(),
            pseudonymisation_override,
        }
    }

    /// Generates `run` through `conn`, recorded in the history as it streams: the front ends'
    /// one call. Returns the answer (or the interruption) and the run's history id. A history
    /// that cannot be opened does not stop the run: the notice says why.
    pub async fn generate<'a>(
        &self,
        run: &Run,
        conn: &Connection,
        steps: Vec<Box<dyn Step + 'a>>,
        sink: &'a mut dyn Sink,
        cancel: &CancellationToken,
    ) -> Generated {
        let (recorder, notice) = match self.history().and_then(|h| Ok(h.start_run(&self.new_run(run, conn))?)) {
            Ok(rec) => (Some(rec), None),
            Err(e) => (None, Some(format!("this run is not recorded in the history: {e}"))),
        };
        let run_id = recorder.as_ref().map(|r| r.id().to_string());
        let shared: Shared = Arc::new(Mutex::new(recorder));
        let mut all: Vec<Box<dyn Step + 'a>> = vec![Box::new(RecordStep(shared.clone()))];
        all.extend(steps);
        let result = run.stream(conn, all, sink, cancel).await;
        let rec = shared.lock().unwrap_or_else(|e| e.into_inner()).take();
        let mut notice = notice;
        if let Some(rec) = rec {
            let (outcome, tokens) = match &result {
                Ok(a) => (
                    Outcome::Done,
                    Tokens {
                        prompt: a.usage.map(|u| u.prompt_tokens.min(u32::MAX as u64) as u32),
                        completion: a.usage.map(|u| u.completion_tokens.min(u32::MAX as u64) as u32),
                    },
                ),
                Err(i) => (outcome_of(&i.error), Tokens::default()),
            };
            if let Err(e) = rec.finish(outcome, tokens) {
                notice = Some(format!("the history could not record the end of this run: {e}"));
            }
        }
        Generated { result, run_id, notice }
    }

    /// Records that run `id` was exported to `path`; saves the text as an edit when it differs
    /// from the recorded answer.
    pub fn record_export(&self, id: &str, answer: &str, path: &std::path::Path) -> Result<()> {
        let h = self.history()?;
        let format = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if let Ok(r) = h.get(id) {
            let recorded = r.texts.as_ref().map(|t| t.edited.as_deref().unwrap_or(&t.answer).to_string());
            if recorded.is_some_and(|t| t.trim() != answer.trim()) {
                h.save_edit(id, answer)?;
            }
        }
        h.record_export(id, &path.display().to_string(), &format)?;
        Ok(())
    }

    /// The next outgoing number for a letter with this addressee and object, recorded in the
    /// register under `run_id` (the file is added once written).
    pub fn allocate_number(&self, addressee: &str, object: &str, run_id: Option<&str>, day: &str) -> Result<String> {
        let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap_or_else(|_| chrono::Local::now().date_naive());
        let letter = Letter { addressee: addressee.into(), object: object.into(), file: String::new(), run_id: run_id.map(str::to_string) };
        let entry = self.history()?.allocate(&self.register_pattern()?, &self.settings.register.service, date, &letter)?;
        Ok(entry.number)
    }
}

impl Workbench {
    /// A final letter: when its template has an N° field and it is empty, allocates the next
    /// register number and puts it in `resolved`. Returns the number allocated, if any.
    pub fn number_if_missing(&self, tpl: &crate::templates::Template, resolved: &mut super::prepare::Resolved, run_id: Option<&str>) -> Result<Option<String>> {
        let Some(field) = tpl.part_field(Part::Reference) else { return Ok(None) };
        if resolved.values.get(field).is_some_and(|v| !v.trim().is_empty()) {
            return Ok(None);
        }
        let get = |p: Part| tpl.part_field(p).and_then(|f| resolved.values.get(f)).cloned().unwrap_or_default();
        let day = tpl.part_field(Part::Date).and_then(|f| resolved.values.get(f)).cloned().unwrap_or_else(super::prepare::today);
        let n = self.allocate_number(&get(Part::Destinataire), &get(Part::Objet), run_id, &day)?;
        resolved.values.insert(field.to_string(), n.clone());
        Ok(Some(n))
    }

    /// The final letters of a mail-merge: every letter of `tpl` whose N° field is empty gets
    /// the next register number, consecutive, in one transaction per letter date (one for a
    /// merge dated once), recorded with its addressee, object and the file it will be written
    /// to (`files[i]`, the same length as `letters`). The numbers go into the letters' fields;
    /// returned per letter (None: it had one already, or the template has no N° field).
    pub fn number_batch(
        &self,
        tpl: &crate::templates::Template,
        letters: &mut [super::prepare::Resolved],
        files: &[std::path::PathBuf],
        run_id: Option<&str>,
    ) -> Result<Vec<Option<String>>> {
        let mut out = vec![None; letters.len()];
        let Some(field) = tpl.part_field(Part::Reference) else { return Ok(out) };
        let today = chrono::Local::now().date_naive();
        let mut by_date: std::collections::BTreeMap<chrono::NaiveDate, Vec<usize>> = Default::default();
        for (i, r) in letters.iter().enumerate() {
            if r.values.get(field).is_some_and(|v| !v.trim().is_empty()) {
                continue;
            }
            let day = tpl.part_field(Part::Date).and_then(|f| r.values.get(f));
            let date = day.and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).unwrap_or(today);
            by_date.entry(date).or_default().push(i);
        }
        if by_date.is_empty() {
            return Ok(out);
        }
        let pattern = self.register_pattern()?;
        let history = self.history()?;
        for (date, idx) in by_date {
            let batch: Vec<Letter> = idx
                .iter()
                .map(|&i| {
                    let get = |p: Part| tpl.part_field(p).and_then(|f| letters[i].values.get(f)).cloned().unwrap_or_default();
                    Letter {
                        addressee: get(Part::Destinataire),
                        object: get(Part::Objet),
                        file: files.get(i).map(|f| f.display().to_string()).unwrap_or_default(),
                        run_id: run_id.map(str::to_string),
                    }
                })
                .collect();
            let entries = history.allocate_batch(&pattern, &self.settings.register.service, date, &batch)?;
            for (&i, e) in idx.iter().zip(entries) {
                letters[i].values.insert(field.to_string(), e.number.clone());
                out[i] = Some(e.number);
            }
        }
        Ok(out)
    }

    /// The written file of register number `n`.
    pub fn register_file(&self, n: &str, path: &std::path::Path) -> Result<()> {
        Ok(self.history()?.set_register_file(n, &path.display().to_string())?)
    }

    /// The audit page of run `id` as an export prints it: the run's metadata, the pseudonymised
    /// values counted by kind (never the values) and who reviewed it, dates in local time.
    pub fn audit_annex(&self, id: &str) -> Result<crate::export::AuditAnnex> {
        let a = self.history()?.annex(id)?;
        let day = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&chrono::Local).format("%Y-%m-%d").to_string();
        Ok(crate::export::AuditAnnex {
            run_id: a.run_id,
            template: format!("{} (v{})", if a.template_title.is_empty() { &a.template_id } else { &a.template_title }, a.template_version),
            profile: a.profile,
            model: a.model,
            data_class: a.data_class.as_str().to_string(),
            date: day(a.started_at),
            masked: a.masked.into_iter().map(|(k, n)| (k, n as usize)).collect(),
            approvals: a.approvals.into_iter().map(|p| (p.name, p.function, day(p.at))).collect(),
        })
    }

    /// The audit sheet of run `id` ("Fiche d'audit"), times in local time: the run's metadata,
    /// and its files' names and hashes and its exports when the history kept its texts. Never the
    /// prompts, the answer or the replaced values. Also returns the run's document language when
    /// it is known (the texts keep it).
    pub fn audit_sheet(&self, id: &str) -> Result<(crate::export::AuditSheet, Option<crate::Lang>)> {
        use crate::export::{AuditSheet, SheetExport, SheetInput, SheetOverride};
        let r = self.history()?.get(id)?;
        let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string();
        let day = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&chrono::Local).format("%Y-%m-%d").to_string();
        let s = &r.summary;
        let lang = r.texts.as_ref().and_then(|t| crate::Lang::parse(&t.lang));
        let sheet = AuditSheet {
            run_id: s.id.clone(),
            status: s.status.as_str().to_string(),
            error_code: s.error_code.clone(),
            started: local(s.started_at),
            finished: s.finished_at.map(local),
            duration_ms: s.duration_ms,
            template_id: s.template_id.clone(),
            template_title: s.template_title.clone(),
            template_version: s.template_version.clone(),
            template_hash: s.template_hash.clone(),
            profile: s.profile.clone(),
            model: s.model.clone(),
            data_class: s.data_class.as_str().to_string(),
            masked: s.masked.iter().map(|(k, n)| (k.clone(), *n as usize)).collect(),
            // Recorded by the runner: "profile settings" when the sovereign profile has it off.
            override_: s.pseudonymisation_override.as_ref().map(|o| SheetOverride { by: o.confirmed_by.clone(), by_profile: o.confirmed_by == PROFILE_SETTINGS, at: local(o.at) }),
            texts_kept: r.texts.is_some(),
            inputs: r.texts.as_ref().map(|t| t.inputs.iter().map(|f| SheetInput { name: f.name.clone(), sha256: f.sha256.clone(), bytes: f.bytes }).collect()).unwrap_or_default(),
            exports: if r.texts.is_some() { r.exports.iter().map(|x| SheetExport { at: local(x.at), format: x.format.clone(), path: x.path.clone() }).collect() } else { Vec::new() },
            approvals: r.approvals.iter().map(|p| (p.name.clone(), p.function.clone(), day(p.at))).collect(),
            register_numbers: r.register_numbers.clone(),
            generated: local(chrono::Utc::now()),
        };
        Ok((sheet, lang))
    }

    /// Writes the audit sheet of run `id` to `path` (.docx) in `lang` (None: the run's document
    /// language, else French). Returns the language written.
    pub fn write_audit_sheet(&self, id: &str, path: &std::path::Path, lang: Option<crate::Lang>, overwrite: bool) -> Result<crate::Lang> {
        let (sheet, run_lang) = self.audit_sheet(id)?;
        let lang = lang.or(run_lang).unwrap_or_default();
        crate::export::write_audit_sheet(path, &sheet, lang, overwrite)?;
        Ok(lang)
    }

    /// Changes `[history]` in config.toml, as the machine's policy allows (it may forbid turning
    /// the history off, and fix the retention), and applies it to the history if it is open.
    pub fn save_history_settings(&mut self, history: crate::config::HistorySettings) -> Result<()> {
        if !history.enabled {
            self.policy.check_history_off()?;
        }
        self.policy.check_retention(history.retention_days)?;
        let mut settings = self.settings.clone();
        settings.history = history;
        settings.save(&self.paths)?;
        self.settings = settings;
        if let Some(h) = self.history.get() {
            h.set_keep_texts(self.history_keeps_texts());
        }
        Ok(())
    }
}

impl Workbench {
    /// Exports run `id` again from the history: its form values and its answer (the last edit),
    /// inside today's frame of its template, with the audit page when `audit`. The export is
    /// recorded against the run.
    pub fn export_run(&self, id: &str, path: &std::path::Path, audit: bool, overwrite: bool) -> Result<()> {
        let h = self.history()?;
        let record = h.get(id)?;
        let texts = record.texts.ok_or_else(|| katib_history::Error::NotFound { id: format!("{id} (its texts: the history was off or the run was deleted)") })?;
        let tpl = self.template(&record.summary.template_id)?;
        let inputs = super::prepare::Inputs { values: texts.form.clone(), ..Default::default() };
        let resolved = super::prepare::resolve(tpl, &inputs)?;
        let answer = texts.edited.clone().unwrap_or(texts.answer.clone());
        let opts = super::frame::ExportOptions {
            model: Some(record.summary.model.clone()).filter(|m| !m.is_empty()),
            today: record.summary.started_at.with_timezone(&chrono::Local).format("%Y-%m-%d").to_string(),
            run_id: Some(id.to_string()),
            audit: if audit { Some(self.audit_annex(id)?) } else { None },
            ..Default::default()
        };
        self.check_files_for(tpl, path, overwrite)?;
        let lh = self.letterhead_for(tpl, None, path);
        self.export(tpl, &resolved, &answer, path, lh.as_deref(), &opts, overwrite)?;
        h.record_export(id, &path.display().to_string(), path.extension().and_then(|e| e.to_str()).unwrap_or(""))?;
        Ok(())
    }

    fn check_files_for(&self, tpl: &crate::templates::Template, path: &std::path::Path, overwrite: bool) -> Result<()> {
        self.check_outputs(tpl, Some(path), None, None, overwrite).map(|_| ())
    }
}

/// A generation's result, its history id, and a notice for the user if the history failed.
pub struct Generated {
    pub result: std::result::Result<Answer, Interrupted>,
    pub run_id: Option<String>,
    pub notice: Option<String>,
}

fn outcome_of(e: &Error) -> Outcome {
    match e {
        Error::Provider(ProviderError::Cancelled) => Outcome::Cancelled,
        Error::Provider(ProviderError::Cut { .. }) => Outcome::Partial { code: Some(e.code().into()) },
        other => Outcome::Failed { code: other.code().into() },
    }
}
