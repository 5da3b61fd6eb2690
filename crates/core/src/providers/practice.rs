//! The offline practice provider: the default when no endpoint is configured, so a workshop room
//! with no network and no keys still works. It replays the answer saved in `samples/practice/`
//! for a built-in template run on its sample inputs, streamed at a human pace.
//!
//! It recognises a sample by the exact prompt: the fingerprint of the rendered messages. Any other
//! input gets [`ProviderError::PracticeNoMatch`], which says it is practice mode and how to
//! configure an endpoint; a saved answer is never passed off as generated from other input.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::{BoxFuture, ChatRequest, Completion, Message, Provider, ProviderError, Sink, Usage};

/// Fingerprint of a conversation: SHA-256 over roles and contents.
pub fn fingerprint(messages: &[Message]) -> String {
    let mut h = Sha256::new();
    for m in messages {
        h.update(format!("{:?}", m.role).as_bytes());
        h.update([0]);
        h.update(m.content.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub struct Practice {
    /// fingerprint -> saved answer file.
    answers: HashMap<String, PathBuf>,
    /// Pause between words; zero replays at once (tests).
    pace: Duration,
}

impl Practice {
    pub fn new(answers: HashMap<String, PathBuf>, pace: Duration) -> Practice {
        Practice { answers, pace }
    }

    /// The pace from `KATIB_PRACTICE_PACE_MS`, else about 60 words a second.
    pub fn default_pace() -> Duration {
        let ms = std::env::var("KATIB_PRACTICE_PACE_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(16);
        Duration::from_millis(ms)
    }

    async fn run(&self, req: &ChatRequest, sink: Sink<'_>) -> Result<Completion, ProviderError> {
        let fp = fingerprint(&req.messages);
        let path = self
            .answers
            .get(&fp)
            .ok_or_else(|| ProviderError::PracticeNoMatch { template: req.template.clone() })?;
        let text = std::fs::read_to_string(path).map_err(|e| ProviderError::PracticeAnswer {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        let text = text.trim().to_string() + "\n";
        let mut chunks = 0u64;
        // Word by word, spaces and newlines kept with the word before them: what a stream looks like.
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            if i > start && text[..i].ends_with(char::is_whitespace) {
                sink(&text[start..i]);
                chunks += 1;
                start = i;
                if !self.pace.is_zero() {
                    tokio::time::sleep(self.pace).await;
                }
            }
        }
        sink(&text[start..]);
        chunks += 1;
        let prompt_chars: usize = req.messages.iter().map(|m| m.content.chars().count()).sum();
        Ok(Completion {
            usage: Some(Usage {
                prompt_tokens: (prompt_chars / 4) as u64,
                completion_tokens: chunks,
            }),
            text,
            finish_reason: Some("stop".into()),
            chunks,
        })
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
