//! Any OpenAI-compatible endpoint: `POST {base_url}/chat/completions` (streamed as SSE or not)
//! and `GET {base_url}/models`. Pointing Katib at OpenAI, Mistral, Ollama, llama.cpp, LM Studio,
//! vLLM or LiteLLM is configuration only ([`crate::config::Profile`]).
//!
//! Retries: 429 (honouring Retry-After) and 5xx, bounded by the profile, only before the first
//! token (a half-streamed answer is never silently restarted). A 429 holds back every request
//! of the same provider until its Retry-After has passed, not only the one that got it: a batch
//! sharing one provider (a mail-merge) slows down as a whole. Timeouts: connect, first token,
//! idle between chunks.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{
    backoff, BoxFuture, ChatRequest, Completion, Provider, ProviderError, Sink, SseParser,
    TimeoutPhase, Usage,
};
use crate::config::Profile;
use crate::secrets::ApiKey;

/// Longest Retry-After honoured: beyond it, the user is better told than kept waiting.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

pub struct OpenAi {
    profile: Profile,
    client: reqwest::Client,
    headers: HeaderMap,
    /// Set by a 429: no request of this provider leaves before then.
    hold: Arc<Mutex<Option<Instant>>>,
}

impl OpenAi {
    pub fn new(profile: Profile, key: Option<ApiKey>) -> Result<OpenAi, crate::config::ConfigError> {
        let bad = |reason: String| crate::config::ConfigError::InvalidProfile { name: profile.name.clone(), reason };
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        for (k, v) in &profile.headers {
            let name = HeaderName::from_bytes(k.as_bytes()).map_err(|_| bad(format!("invalid header name '{k}'")))?;
            let value = HeaderValue::from_str(v).map_err(|_| bad(format!("invalid value for header '{k}'")))?;
            headers.insert(name, value);
        }
        if let Some(key) = key {
            let mut v = HeaderValue::from_str(&format!("Bearer {}", key.expose().trim()))
                .map_err(|_| bad("the stored API key contains characters a header cannot carry".into()))?;
            // Keeps the key out of reqwest's debug output.
            v.set_sensitive(true);
            headers.insert(AUTHORIZATION, v);
        }
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(profile.connect_timeout_secs.max(1)))
            .build()
            .map_err(|e| bad(e.to_string()))?;
        Ok(OpenAi { profile, client, headers, hold: Arc::default() })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.profile.base_url.trim_end_matches('/'))
    }

    fn body(&self, req: &ChatRequest) -> Value {
        let mut b = json!({
            "model": self.profile.model,
            "messages": req.messages,
            "stream": self.profile.stream,
        });
        if let Some(t) = self.profile.temperature {
            b["temperature"] = json!(t);
        }
        if let Some(m) = self.profile.max_tokens {
            b["max_tokens"] = json!(m);
        }
        if self.profile.stream {
            b["stream_options"] = json!({"include_usage": true});
        }
        b
    }

    fn send_error(&self, url: &str, e: reqwest::Error) -> ProviderError {
        if e.is_timeout() {
            return ProviderError::Timeout {
                phase: TimeoutPhase::Connect,
                secs: self.profile.connect_timeout_secs,
                url: url.into(),
            };
        }
        let mut detail = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            detail = s.to_string();
            src = s.source();
        }
        ProviderError::Connect { url: url.into(), detail }
    }

    /// Maps a non-success status to the error the user should see. `None`: worth a retry.
    fn status_error(&self, url: &str, status: StatusCode, body: &str, attempts: u32) -> ProviderError {
        let detail = error_detail(body);
        let s = status.as_u16();
        match s {
            401 | 403 => ProviderError::Auth { status: s, url: url.into(), profile: self.profile.name.clone(), detail },
            404 => ProviderError::NotFound {
                url: url.into(),
                model: self.profile.model.clone(),
                profile: self.profile.name.clone(),
                detail,
            },
            429 => ProviderError::RateLimited { attempts, detail },
            500..=599 => ProviderError::Server { status: s, attempts, detail },
            _ => ProviderError::Rejected { status: s, detail },
        }
    }

    /// Sends the request, retrying 429/5xx; returns the successful response.
    async fn send_with_retries(
        &self,
        url: &str,
        body: &Value,
        deadline: Instant,
    ) -> Result<reqwest::Response, ProviderError> {
        let mut attempt = 0u32;
        loop {
            self.wait_for_hold().await;
            let left = deadline.saturating_duration_since(Instant::now());
            let sent = self.client.post(url).headers(self.headers.clone()).json(body).send();
            let resp = match tokio::time::timeout(left, sent).await {
                Err(_) => {
                    return Err(ProviderError::Timeout {
                        phase: TimeoutPhase::FirstToken,
                        secs: self.profile.first_token_timeout_secs,
                        url: url.into(),
                    })
                }
                Ok(Err(e)) => return Err(self.send_error(url, e)),
                Ok(Ok(r)) => r,
            };
            let status = resp.status();
            if status.is_success() {
                return Ok(resp);
            }
            let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            let wait = if status == StatusCode::TOO_MANY_REQUESTS {
                retry_after(resp.headers()).unwrap_or_else(|| backoff(attempt))
            } else {
                backoff(attempt)
            };
            if status == StatusCode::TOO_MANY_REQUESTS {
                self.hold_until(Instant::now() + wait);
            }
            let text = resp.text().await.unwrap_or_default();
            if !retryable || attempt >= self.profile.retries || wait > MAX_RETRY_AFTER {
                return Err(self.status_error(url, status, &text, attempt + 1));
            }
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Holds every request of this provider back until `until` (a later hold wins).
    fn hold_until(&self, until: Instant) {
        let mut h = self.hold.lock().unwrap_or_else(|e| e.into_inner());
        if h.is_none_or(|t| t < until) {
            *h = Some(until);
        }
    }

    /// Waits out the hold a 429 set, if any.
    async fn wait_for_hold(&self) {
        let until = *self.hold.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = until.filter(|t| *t > Instant::now()) {
            tokio::time::sleep_until(t.into()).await;
        }
    }

    async fn run(&self, req: &ChatRequest, sink: Sink<'_>) -> Result<Completion, ProviderError> {
        let url = self.url("chat/completions");
        let body = self.body(req);
        // A hold set by another request's 429 is not this request's wait for its first token.
        self.wait_for_hold().await;
        let first_deadline = Instant::now() + Duration::from_secs(self.profile.first_token_timeout_secs.max(1));
        let resp = self.send_with_retries(&url, &body, first_deadline).await?;
        if !self.profile.stream {
            return self.read_whole(&url, resp, sink, first_deadline).await;
        }
        let is_sse = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("event-stream"));
        if !is_sse {
            // Some servers ignore `stream: true`; a JSON body is still a good answer.
            return self.read_whole(&url, resp, sink, first_deadline).await;
        }
        let idle = Duration::from_secs(self.profile.idle_timeout_secs.max(1));
        let mut stream = resp.bytes_stream();
        let mut parser = SseParser::new();
        let mut text = String::new();
        let mut finish: Option<String> = None;
        let mut usage = None;
        let mut chunks = 0u64;
        let mut done = false;
        'outer: loop {
            let (wait, phase) = if text.is_empty() {
                (first_deadline.saturating_duration_since(Instant::now()), TimeoutPhase::FirstToken)
            } else {
                (idle, TimeoutPhase::Idle)
            };
            let next = match tokio::time::timeout(wait, stream.next()).await {
                Err(_) => {
                    let secs = match phase {
                        TimeoutPhase::Idle => self.profile.idle_timeout_secs,
                        _ => self.profile.first_token_timeout_secs,
                    };
                    if !text.is_empty() {
                        return Err(ProviderError::Cut {
                            partial: text,
                            detail: format!("no data for {secs} s"),
                        });
                    }
                    return Err(ProviderError::Timeout { phase, secs, url });
                }
                Ok(n) => n,
            };
            let ended = next.is_none();
            let events = match next {
                None => parser.finish().into_iter().collect(),
                Some(Err(e)) => {
                    if text.is_empty() {
                        return Err(ProviderError::Connect { url, detail: format!("connection lost: {e}") });
                    }
                    return Err(ProviderError::Cut { partial: text, detail: "connection lost".into() });
                }
                Some(Ok(bytes)) => parser.feed(&bytes),
            };
            for ev in events {
                let data = ev.data.trim();
                if data == "[DONE]" {
                    done = true;
                    break 'outer;
                }
                if data.is_empty() {
                    continue;
                }
                let v: Value = serde_json::from_str(data).map_err(|e| {
                    let detail = format!("invalid JSON in the stream: {e}");
                    if text.is_empty() {
                        ProviderError::Malformed { url: url.clone(), detail }
                    } else {
                        ProviderError::Cut { partial: text.clone(), detail }
                    }
                })?;
                if let Some(err) = v.get("error") {
                    let detail = format!(": {}", err.get("message").and_then(Value::as_str).unwrap_or(&err.to_string()));
                    if !text.is_empty() {
                        return Err(ProviderError::Cut { partial: text, detail: format!("the server reported an error{detail}") });
                    }
                    return Err(ProviderError::Server { status: 200, attempts: 1, detail });
                }
                if let Some(u) = parse_usage(&v) {
                    usage = Some(u);
                }
                let choice = v.get("choices").and_then(|c| c.get(0));
                if let Some(piece) = choice.and_then(|c| c.pointer("/delta/content")).and_then(Value::as_str) {
                    if !piece.is_empty() {
                        sink(piece);
                        text.push_str(piece);
                        chunks += 1;
                    }
                }
                if let Some(f) = choice.and_then(|c| c.get("finish_reason")).and_then(Value::as_str) {
                    finish = Some(f.to_string());
                }
            }
            if ended {
                break;
            }
        }
        if !done && finish.is_none() {
            if text.is_empty() {
                return Err(ProviderError::Malformed { url, detail: "the stream ended without any answer".into() });
            }
            return Err(ProviderError::Cut { partial: text, detail: "the stream ended without its end marker".into() });
        }
        Ok(Completion { text, finish_reason: finish, usage, chunks })
    }

    async fn read_whole(
        &self,
        url: &str,
        resp: reqwest::Response,
        sink: Sink<'_>,
        deadline: Instant,
    ) -> Result<Completion, ProviderError> {
        let left = deadline.saturating_duration_since(Instant::now());
        let body = match tokio::time::timeout(left, resp.text()).await {
            Err(_) => {
                return Err(ProviderError::Timeout {
                    phase: TimeoutPhase::FirstToken,
                    secs: self.profile.first_token_timeout_secs,
                    url: url.into(),
                })
            }
            Ok(Err(e)) => return Err(ProviderError::Connect { url: url.into(), detail: format!("connection lost: {e}") }),
            Ok(Ok(b)) => b,
        };
        let v: Value = serde_json::from_str(&body)
            .map_err(|e| ProviderError::Malformed { url: url.into(), detail: format!("invalid JSON: {e}") })?;
        let choice = v.get("choices").and_then(|c| c.get(0));
        let text = choice
            .and_then(|c| c.pointer("/message/content"))
            .and_then(Value::as_str)
            .ok_or_else(|| ProviderError::Malformed { url: url.into(), detail: "no choices[0].message.content".into() })?
            .to_string();
        sink(&text);
        Ok(Completion {
            finish_reason: choice.and_then(|c| c.get("finish_reason")).and_then(Value::as_str).map(String::from),
            usage: parse_usage(&v),
            text,
            chunks: 1,
        })
    }

    async fn models(&self) -> Result<Vec<String>, ProviderError> {
        let url = self.url("models");
        let timeout = Duration::from_secs(self.profile.first_token_timeout_secs.clamp(1, 30));
        let sent = self.client.get(&url).headers(self.headers.clone()).send();
        let resp = match tokio::time::timeout(timeout, sent).await {
            Err(_) => return Err(ProviderError::Timeout { phase: TimeoutPhase::FirstToken, secs: timeout.as_secs(), url }),
            Ok(Err(e)) => return Err(self.send_error(&url, e)),
            Ok(Ok(r)) => r,
        };
        let status = resp.status();
        let body = resp.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(self.status_error(&url, status, &body, 1));
        }
        let v: Value = serde_json::from_str(&body)
            .map_err(|e| ProviderError::Malformed { url: url.clone(), detail: format!("invalid JSON: {e}") })?;
        let list = v
            .get("data")
            .and_then(Value::as_array)
            .ok_or_else(|| ProviderError::Malformed { url: url.clone(), detail: "no 'data' list of models".into() })?;
        let mut ids: Vec<String> =
            list.iter().filter_map(|m| m.get("id").and_then(Value::as_str)).map(String::from).collect();
        ids.sort();
        Ok(ids)
    }
}

impl Provider for OpenAi {
    fn name(&self) -> &str {
        &self.profile.name
    }
    fn model(&self) -> &str {
        &self.profile.model
    }
    fn complete<'a>(&'a self, req: &'a ChatRequest, sink: Sink<'a>) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        Box::pin(self.run(req, sink))
    }
    fn list_models(&self) -> BoxFuture<'_, Result<Vec<String>, ProviderError>> {
        Box::pin(self.models())
    }
}

fn parse_usage(v: &Value) -> Option<Usage> {
    let u = v.get("usage")?;
    Some(Usage {
        prompt_tokens: u.get("prompt_tokens").and_then(Value::as_u64).unwrap_or(0),
        completion_tokens: u.get("completion_tokens").and_then(Value::as_u64).unwrap_or(0),
    })
}

/// The server's own explanation, shortened: `: <message>` or empty.
fn error_detail(body: &str) -> String {
    let msg = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| {
            v.pointer("/error/message")
                .or_else(|| v.get("error"))
                .or_else(|| v.get("message"))
                .or_else(|| v.get("detail"))
                .map(|m| m.as_str().map(String::from).unwrap_or_else(|| m.to_string()))
        })
        .unwrap_or_else(|| body.trim().to_string());
    if msg.is_empty() {
        return String::new();
    }
    // A server may echo the key it refused ("Incorrect API key provided: sk-..."): the detail
    // reaches the screen, the terminal and the history, so key-like words are masked.
    let short: String = crate::applog::redact(&msg).chars().take(300).collect();
    format!(": {short}")
}

/// `Retry-After` as seconds (the HTTP-date form falls back to the default backoff).
fn retry_after(h: &HeaderMap) -> Option<Duration> {
    let v = h.get("retry-after")?.to_str().ok()?.trim();
    v.parse::<f64>().ok().filter(|s| *s >= 0.0).map(Duration::from_secs_f64)
}
