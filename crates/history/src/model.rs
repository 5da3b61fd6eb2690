//! The plain values that go in and come out: what a front end passes to record a run, and what
//! it gets back to list, show, search, approve and register. Serde structs, so the CLI prints them
//! as JSON and the desktop sends them to the window as they are. No behaviour here beyond
//! parsing the few enums stored as text.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Where an endpoint's data goes (set on the profile; the history records it per run).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataClass {
    /// This computer or the administration's own network (practice mode too): nothing leaves.
    Local,
    /// Hosted in Morocco by a public body or an authorised provider: pseudonymised by default.
    Sovereign,
    /// Everything else: always pseudonymised.
    Cloud,
}

impl DataClass {
    pub fn as_str(self) -> &'static str {
        match self {
            DataClass::Local => "local",
            DataClass::Sovereign => "sovereign",
            DataClass::Cloud => "cloud",
        }
    }
    /// "local", "sovereign" (or "souverain"), "cloud", in any case.
    pub fn parse(s: &str) -> Option<DataClass> {
        match s.trim().to_ascii_lowercase().as_str() {
            "local" => Some(DataClass::Local),
            "sovereign" | "souverain" => Some(DataClass::Sovereign),
            "cloud" => Some(DataClass::Cloud),
            _ => None,
        }
    }
}

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Streaming now (or its process died and nobody has opened the history since).
    Running,
    Done,
    /// The answer stopped before its end: the stream was cut, or the process was killed.
    Partial,
    Cancelled,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Done => "done",
            Status::Partial => "partial",
            Status::Cancelled => "cancelled",
            Status::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "running" => Some(Status::Running),
            "done" => Some(Status::Done),
            "partial" => Some(Status::Partial),
            "cancelled" => Some(Status::Cancelled),
            "failed" => Some(Status::Failed),
            _ => None,
        }
    }
}

/// How a run ended, given to [`RunRecorder::finish`](crate::RunRecorder::finish).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Outcome {
    Done,
    /// The stream was cut; `code` is the error's stable code when there was one.
    Partial {
        code: Option<String>,
    },
    Cancelled,
    /// `code` is the error's stable code (`provider.auth`, ...), never its message (which may
    /// quote a server's reply).
    Failed {
        code: String,
    },
}

impl Outcome {
    pub(crate) fn status(&self) -> Status {
        match self {
            Outcome::Done => Status::Done,
            Outcome::Partial { .. } => Status::Partial,
            Outcome::Cancelled => Status::Cancelled,
            Outcome::Failed { .. } => Status::Failed,
        }
    }
    pub(crate) fn code(&self) -> Option<&str> {
        match self {
            Outcome::Partial { code } => code.as_deref(),
            Outcome::Failed { code } => Some(code),
            _ => None,
        }
    }
}

/// Token counts as the endpoint reported them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    pub prompt: Option<u32>,
    pub completion: Option<u32>,
}

/// A file attached to a run: its name and hash (never its content: the content that was sent
/// is in the messages).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    pub field: String,
    pub name: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub bytes: u64,
}

/// One message as it was sent to the endpoint (after pseudonymisation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMessage {
    pub role: String,
    pub content: String,
}

/// A personal value replaced by a placeholder before sending. Kept on this computer only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replacement {
    /// `[CIN_1]`.
    pub placeholder: String,
    /// The value it stands for.
    pub original: String,
    /// `CIN`, `NOM`, `TEL`...
    pub kind: String,
}

/// Someone confirmed sending a run's text without pseudonymisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PseudonymisationOverride {
    /// Who confirmed (the session's user name, or the name they typed).
    pub confirmed_by: String,
    /// What was confirmed, e.g. "envoi non masqué vers le profil openai (cloud) pour cette exécution".
    pub what: String,
    pub at: DateTime<Utc>,
}

/// Everything known when a run starts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewRun {
    pub template_id: String,
    pub template_title: String,
    pub template_version: String,
    /// Hash of the template's content, so a later change of the template is visible.
    pub template_hash: String,
    /// Endpoint profile name (`practice` in practice mode).
    pub profile: String,
    pub model: String,
    pub data_class: Option<DataClass>,
    /// Language of the document (`fr`, `ar`, `en`).
    pub lang: String,
    /// The letter's object and addressee, when the template has them (for search and lists).
    pub objet: String,
    pub addressee: String,
    /// Form values as the user typed them (so the window can reopen the run).
    pub form: BTreeMap<String, String>,
    pub inputs: Vec<InputFile>,
    /// The messages exactly as sent (pseudonymised when pseudonymisation was on).
    pub messages: Vec<SentMessage>,
    pub replacements: Vec<Replacement>,
    pub pseudonymisation_override: Option<PseudonymisationOverride>,
}

/// A run as lists show it: metadata, plus the object when the texts were kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub template_id: String,
    pub template_title: String,
    pub template_version: String,
    pub template_hash: String,
    pub profile: String,
    pub model: String,
    pub data_class: DataClass,
    pub status: Status,
    pub error_code: Option<String>,
    pub duration_ms: Option<u64>,
    pub tokens: Tokens,
    /// Placeholders used, by kind (counts only).
    pub masked: BTreeMap<String, u32>,
    pub pseudonymisation_override: Option<PseudonymisationOverride>,
    /// False when the history was off for this run, or its texts were deleted.
    pub has_texts: bool,
    pub objet: Option<String>,
    pub approvals: u32,
}

/// One saved version of the user's edited answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub version: u32,
    pub saved_at: DateTime<Utc>,
    pub text: String,
}

/// A document written from a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRecord {
    pub at: DateTime<Utc>,
    /// `docx`, `xlsx`, `md`, `txt`.
    pub format: String,
    pub path: String,
}

/// The texts of a run (present only when the history was on).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunTexts {
    pub lang: String,
    pub objet: String,
    pub addressee: String,
    pub form: BTreeMap<String, String>,
    pub inputs: Vec<InputFile>,
    pub messages: Vec<SentMessage>,
    pub replacements: Vec<Replacement>,
    /// The answer as received (complete, or up to the last checkpoint for a partial run).
    pub answer: String,
    /// The latest saved edit, if the user edited the answer.
    pub edited: Option<String>,
    pub edit_versions: u32,
}

/// "Relu et validé par".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub name: String,
    pub function: String,
    pub at: DateTime<Utc>,
}

/// A run with everything recorded about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub summary: RunSummary,
    pub texts: Option<RunTexts>,
    pub exports: Vec<ExportRecord>,
    pub approvals: Vec<Approval>,
    /// Register numbers given to letters of this run.
    pub register_numbers: Vec<String>,
}

/// What the annex page ("fiche de traçabilité") of an exported document shows. Metadata only:
/// never a citizen's data, so it is available with the history off as well.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Annex {
    pub run_id: String,
    pub template_id: String,
    pub template_title: String,
    pub template_version: String,
    pub template_hash: String,
    pub profile: String,
    pub model: String,
    pub data_class: DataClass,
    pub status: Status,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Placeholders used, by kind, and their total.
    pub masked: BTreeMap<String, u32>,
    pub masked_total: u32,
    pub pseudonymisation_override: Option<PseudonymisationOverride>,
    pub approvals: Vec<Approval>,
    pub register_numbers: Vec<String>,
}

/// Which runs to list or search.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    pub template: Option<String>,
    pub status: Option<Status>,
    pub profile: Option<String>,
    /// Started at or after.
    pub from: Option<DateTime<Utc>>,
    /// Started before.
    pub to: Option<DateTime<Utc>>,
    /// At most this many (default 50).
    pub limit: Option<u32>,
    pub offset: u32,
}

/// A piece of a search snippet: `hit` pieces are the words that matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// A search result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub run: RunSummary,
    /// Which text the snippet comes from: `answer`, `edited`, `objet`, `addressee`, `inputs`, `title`.
    pub source: String,
    pub snippet: Vec<SnippetPart>,
}

/// What a purge removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeReport {
    pub runs: u64,
}

/// A letter to number in the outgoing-mail register.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Letter {
    pub addressee: String,
    pub object: String,
    /// The document's path (may be filled later with [`History::set_register_file`](crate::History::set_register_file)).
    pub file: String,
    pub run_id: Option<String>,
}

/// An entry of the outgoing-mail register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterEntry {
    /// `0123/DAG/2026`.
    pub number: String,
    pub seq: u32,
    pub year: i32,
    pub service: String,
    pub date: NaiveDate,
    pub addressee: String,
    pub object: String,
    pub file: String,
    pub run_id: Option<String>,
    pub allocated_at: DateTime<Utc>,
}

/// Which register entries to list or export.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterFilter {
    pub year: Option<i32>,
    pub service: Option<String>,
}

/// A desktop draft: opaque JSON from the window, one per template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub template_id: String,
    pub updated_at: DateTime<Utc>,
    pub data: String,
}
