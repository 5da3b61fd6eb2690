//! The offline practice provider: the default when no endpoint is configured, so a workshop room
//! with no network and no keys still works. It replays the answer saved in `samples/practice/`
//! for a built-in template run on its sample inputs, streamed at a human pace.
//!
//! The runner finds the saved answer by the run's replay key (`run::replay`) and hands it over;
//! with none, the run gets [`ProviderError::PracticeNoMatch`], which says it is practice mode and
//! how to configure an endpoint: a saved answer is never passed off as generated from other
//! input. Also [`Fixed`], the "provider" of templates with a fixed wording.

use std::path::PathBuf;
use std::time::Duration;

use super::{BoxFuture, ChatRequest, Completion, Provider, ProviderError, Sink, Usage};

/// Replays one saved answer (chosen by the runner from the run's replay key), word by word.
pub struct Practice {
    /// The saved answer; `None` when no recording matches the run's inputs.
    answer: Option<PathBuf>,
    /// Pause between words; zero replays at once (tests).
    pace: Duration,
}

impl Practice {
    pub fn new(answer: Option<PathBuf>, pace: Duration) -> Practice {
        Practice { answer, pace }
    }

    /// The pace from `KATIB_PRACTICE_PACE_MS`, else about 60 words a second.
    pub fn default_pace() -> Duration {
        let ms = std::env::var("KATIB_PRACTICE_PACE_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(16);
        Duration::from_millis(ms)
    }

    async fn run(&self, req: &ChatRequest, sink: Sink<'_>) -> Result<Completion, ProviderError> {
        let path = self.answer.as_ref().ok_or_else(|| ProviderError::PracticeNoMatch { template: req.template.clone() })?;
        let text = std::fs::read_to_string(path)
            .map_err(|e| ProviderError::PracticeAnswer { path: path.display().to_string(), detail: e.to_string() })?;
        Ok(stream_words(&text, req, sink, self.pace).await)
    }
}

/// Streams `text` word by word (spaces and newlines kept with the word before them: what a
/// stream looks like), pausing `pace` between words.
async fn stream_words(text: &str, req: &ChatRequest, sink: Sink<'_>, pace: Duration) -> Completion {
    let text = text.trim().to_string() + "\n";
    let mut chunks = 0u64;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        if i > start && text[..i].ends_with(char::is_whitespace) {
            sink(&text[start..i]);
            chunks += 1;
            start = i;
            if !pace.is_zero() {
                tokio::time::sleep(pace).await;
            }
        }
    }
    sink(&text[start..]);
    chunks += 1;
    let prompt_chars: usize = req.messages.iter().map(|m| m.content.chars().count()).sum();
    Completion {
        usage: Some(Usage { prompt_tokens: (prompt_chars / 4) as u64, completion_tokens: chunks }),
        text,
        finish_reason: Some("stop".into()),
        chunks,
    }
}

/// A template with a fixed wording (`generate = "fixed"`): its rendered body is the answer; no
/// model is involved.
pub struct Fixed {
    text: String,
}

impl Fixed {
    pub fn new(text: &str) -> Fixed {
        Fixed { text: text.to_string() }
    }
}

impl Provider for Fixed {
    fn name(&self) -> &str {
        "fixed"
    }
    fn model(&self) -> &str {
        ""
    }
    fn complete<'a>(&'a self, req: &'a ChatRequest, sink: Sink<'a>) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        Box::pin(async move { Ok(stream_words(&self.text, req, sink, Duration::ZERO).await) })
    }
    fn list_models(&self) -> BoxFuture<'_, Result<Vec<String>, ProviderError>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}

impl Provider for Practice {
    fn name(&self) -> &str {
        crate::config::PRACTICE
    }
    fn model(&self) -> &str {
        "practice (offline)"
    }
    fn complete<'a>(&'a self, req: &'a ChatRequest, sink: Sink<'a>) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        Box::pin(self.run(req, sink))
    }
    fn list_models(&self) -> BoxFuture<'_, Result<Vec<String>, ProviderError>> {
        Box::pin(async { Ok(vec!["practice (offline)".to_string()]) })
    }
}
