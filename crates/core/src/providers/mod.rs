//! LLM providers behind one [`Provider`] trait: any OpenAI-compatible endpoint ([`OpenAi`]) and
//! the offline [`Practice`] provider that replays saved answers (and [`Fixed`], for templates
//! whose wording needs no model).
//!
//! Answers stream through a sink callback as they arrive. Cancelling is dropping the future (the
//! HTTP connection closes with it); [`complete_cancellable`] ties that to a token. Every failure is
//! a [`ProviderError`] whose message tells the user what to do; a stream cut mid-answer keeps the
//! text received so far and says it is partial.

mod openai;
mod practice;
mod sse;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde::{Deserialize, Serialize};
pub use tokio_util::sync::CancellationToken;

pub use openai::OpenAi;
pub use practice::{Fixed, Practice};
pub use sse::{SseEvent, SseParser};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

/// What is sent: the messages, and which template produced them (for practice mode's messages).
#[derive(Clone, Debug, Serialize)]
pub struct ChatRequest {
    pub messages: Vec<Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// The run's replay key (practice mode's lookup), never sent to an endpoint.
    #[serde(skip)]
    pub replay_key: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// A finished answer.
#[derive(Clone, Debug, Serialize)]
pub struct Completion {
    pub text: String,
    /// `stop`, or `length` when the model hit its token limit.
    pub finish_reason: Option<String>,
    pub usage: Option<Usage>,
    /// Pieces received (a streaming server sends about one per token).
    pub chunks: u64,
}

/// Which wait ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeoutPhase {
    Connect,
    FirstToken,
    Idle,
}

impl std::fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connecting",
            TimeoutPhase::FirstToken => "waiting for the first words of the answer",
            TimeoutPhase::Idle => "waiting for the rest of the answer",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("the endpoint {url} refused the API key (HTTP {status}). Store the right key with `katib key set {profile}` (or set KATIB_API_KEY){detail}")]
    Auth { status: u16, url: String, profile: String, detail: String },
    #[error("HTTP 404 from {url}: the model '{model}' is not served there, or the base URL is wrong (it usually ends in /v1). `katib profiles test {profile}` lists the models it serves{detail}")]
    NotFound { url: String, model: String, profile: String, detail: String },
    #[error("the endpoint is still rate limiting after {attempts} attempts (HTTP 429). Wait a minute and retry, or check your plan's quota{detail}")]
    RateLimited { attempts: u32, detail: String },
    #[error("the endpoint failed {attempts} times (HTTP {status}){detail}. Try again later, or check the server")]
    Server { status: u16, attempts: u32, detail: String },
    #[error("the endpoint rejected the request (HTTP {status}){detail}")]
    Rejected { status: u16, detail: String },
    #[error("timed out after {secs} s {phase} ({url}). The server may be overloaded, or a local model still loading: retry, or raise the timeout in the profile")]
    Timeout { phase: TimeoutPhase, secs: u64, url: String },
    #[error("cannot connect to {url}: {detail}. Is the server running, and is the base URL right?")]
    Connect { url: String, detail: String },
    #[error("the endpoint sent a malformed answer ({detail}). Is {url} really an OpenAI-compatible API?")]
    Malformed { url: String, detail: String },
    #[error("the answer stopped before its end ({detail}): the {} characters received are kept, but the text is PARTIAL", partial.chars().count())]
    Cut { partial: String, detail: String },
    #[error("cancelled")]
    Cancelled,
    #[error("practice mode (offline): saved answers exist only for the built-in samples, and these inputs are not a sample's{}. Load a sample (`katib run TEMPLATE --sample`), or configure an endpoint: `katib profiles add NAME --base-url URL --model MODEL`", template.as_ref().map(|t| format!(" (template '{t}')")).unwrap_or_default())]
    PracticeNoMatch { template: Option<String> },
    #[error("practice mode: cannot read the saved answer {path}: {detail}")]
    PracticeAnswer { path: String, detail: String },
    /// Saved answers replay for a template's own prompt: an edited one was never answered.
    #[error("practice mode (offline) replays saved answers for the prompt the template writes; an edited prompt has none{}. Reset the prompt, or configure an endpoint to try your wording: `katib profiles add NAME --base-url URL --model MODEL`", template.as_ref().map(|t| format!(" (template '{t}')")).unwrap_or_default())]
    PracticeEdited { template: Option<String> },
}

impl ProviderError {
    pub fn code(&self) -> &'static str {
        match self {
            ProviderError::Auth { .. } => "provider.auth",
            ProviderError::NotFound { .. } => "provider.not_found",
            ProviderError::RateLimited { .. } => "provider.rate_limited",
            ProviderError::Server { .. } => "provider.server",
            ProviderError::Rejected { .. } => "provider.rejected",
            ProviderError::Timeout { .. } => "provider.timeout",
            ProviderError::Connect { .. } => "provider.connect",
            ProviderError::Malformed { .. } => "provider.malformed",
            ProviderError::Cut { .. } => "provider.cut",
            ProviderError::Cancelled => "provider.cancelled",
            ProviderError::PracticeNoMatch { .. } => "practice.no_match",
            ProviderError::PracticeAnswer { .. } => "practice.answer",
            ProviderError::PracticeEdited { .. } => "practice.edited_prompt",
        }
    }

    /// The text received before the failure, if any.
    pub fn partial(&self) -> Option<&str> {
        match self {
            ProviderError::Cut { partial, .. } => Some(partial),
            _ => None,
        }
    }
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Receives each piece of the answer as it arrives.
pub type Sink<'a> = &'a mut (dyn FnMut(&str) + Send);

pub trait Provider: Send + Sync {
    /// A short name for messages: the profile name, or "practice".
    fn name(&self) -> &str;
    /// The model, as it will appear in exports.
    fn model(&self) -> &str;
    /// Sends the request and streams the answer into `sink`.
    fn complete<'a>(&'a self, req: &'a ChatRequest, sink: Sink<'a>) -> BoxFuture<'a, Result<Completion, ProviderError>>;
    /// The models the endpoint serves (`GET /models`): the "test connection" call.
    fn list_models(&self) -> BoxFuture<'_, Result<Vec<String>, ProviderError>>;
}

/// Runs `complete` until it ends or `cancel` fires; cancelling drops the request at once.
pub async fn complete_cancellable(
    provider: &dyn Provider,
    req: &ChatRequest,
    sink: Sink<'_>,
    cancel: &CancellationToken,
) -> Result<Completion, ProviderError> {
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(ProviderError::Cancelled),
        r = provider.complete(req, sink) => r,
    }
}

/// Backoff before retry `attempt` (0-based): 0.5 s, 1 s, 2 s ... capped at 8 s.
pub(crate) fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500u64.saturating_mul(1 << attempt.min(4))).min(Duration::from_secs(8))
}
