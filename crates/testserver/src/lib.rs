//! A scriptable OpenAI-compatible HTTP server bound to 127.0.0.1, for Katib's tests and benchmarks.
//!
//! It speaks plain HTTP/1.1 over a real TCP socket (no mocking inside the client): each request to
//! `POST /v1/chat/completions` takes the next [`Script`] from a queue (the last one repeats), and
//! `GET /v1/models` lists models. SSE answers are sent with chunked transfer encoding in irregular
//! chunk sizes, so events are split across network chunks the way real proxies split them.
//! Every request is recorded ([`Recorded`]) and the server notes when a client hung up mid-stream,
//! which is how cancellation is observed from the outside.
//!
//! Deliberately not here: TLS, keep-alive, HTTP/2. Each connection serves one request and closes.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one chat request.
#[derive(Clone, Debug)]
pub enum Script {
    /// Stream `tokens` as SSE deltas.
    Sse(Sse),
    /// Answer `{"choices":[{"message":{"content":...}}]}` (non-streaming clients).
    Json(String),
    /// Answer with this status, extra headers and body.
    Status { code: u16, headers: Vec<(String, String)>, body: String },
    /// Send raw bytes as the SSE body (malformed streams).
    RawSse(String),
    /// Accept the request and never answer (first-token timeout).
    Hang,
}

/// Shape of a streamed answer.
#[derive(Clone, Debug)]
pub struct Sse {
    pub tokens: Vec<String>,
    /// Pause between network chunks.
    pub delay: Duration,
    /// Pause before the first byte of the body.
    pub first_delay: Duration,
    /// Send `: keep-alive` comments between events.
    pub keepalive: bool,
    /// End with `data: [DONE]` (and a finish_reason).
    pub done: bool,
    /// Close the socket abruptly after this many tokens.
    pub cut_after: Option<usize>,
    /// Use `\r\n` line endings.
    pub crlf: bool,
    /// Split the body into irregular network chunks (else: one chunk per event, as most
    /// servers write).
    pub irregular: bool,
    /// Append the wall-clock time (ns since the epoch) of the first body byte to this file.
    pub stamp: Option<std::path::PathBuf>,
}

impl Sse {
    pub fn tokens<S: AsRef<str>>(tokens: &[S]) -> Sse {
        Sse {
            tokens: tokens.iter().map(|t| t.as_ref().to_string()).collect(),
            delay: Duration::ZERO,
            first_delay: Duration::ZERO,
            keepalive: false,
            done: true,
            cut_after: None,
            crlf: false,
            irregular: true,
            stamp: None,
        }
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Set when writing to the client failed: it hung up before the answer ended.
    pub client_left_after: Option<Duration>,
    /// How many SSE tokens were written before the end (or the hang-up).
    pub tokens_sent: usize,
    /// The answer is over (sent in full, or the client left).
    pub done: bool,
    /// When the request arrived, since the server started.
    pub received: Duration,
    /// When its answer was over, since the server started.
    pub finished: Option<Duration>,
    /// The HTTP status it was answered with (0: never answered).
    pub status: u16,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// Called once, from the server, when a given number of chat requests have been answered.
type Hook = (usize, Box<dyn FnOnce() + Send>);

struct State {
    scripts: Vec<Script>,
    next: usize,
    models: Vec<String>,
    log: Vec<Recorded>,
    started: Instant,
    hooks: Vec<Hook>,
    /// Chat requests whose body holds the text get this script (the queue does not move).
    routes: Vec<(String, Script)>,
}

/// A running server; it stops when dropped (its runtime thread ends with the process).
pub struct Server {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl Server {
    /// Starts a server on 127.0.0.1:0 in its own thread and runtime.
    pub fn start(scripts: Vec<Script>) -> Server {
        let state = Arc::new(Mutex::new(State {
            scripts,
            next: 0,
            models: vec!["test-model".into(), "other-model".into()],
            log: Vec::new(),
            started: Instant::now(),
            hooks: Vec::new(),
            routes: Vec::new(),
        }));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let st = state.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move { serve(TcpListener::from_std(listener).expect("listener"), st).await });
        });
        Server { addr, state }
    }

    /// Base URL as a client profile would hold it: `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn set_scripts(&self, scripts: Vec<Script>) {
        let mut st = self.state.lock().unwrap();
        st.scripts = scripts;
        st.next = 0;
    }

    pub fn set_models(&self, models: &[&str]) {
        self.state.lock().unwrap().models = models.iter().map(|m| m.to_string()).collect();
    }

    /// Time since the server started, on the clock of [`Recorded::received`].
    pub fn elapsed(&self) -> Duration {
        self.state.lock().unwrap().started.elapsed()
    }

    /// Everything received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().log.clone()
    }

    /// Runs `f` on the server's side the moment its `n`th chat request (POST .../chat/completions)
    /// has been answered in full (or the client left): a test kills a client at a precise
    /// point of a batch this way, not after a guessed sleep. A hook whose count is already
    /// reached runs at the next answer.
    pub fn when_answered(&self, n: usize, f: impl FnOnce() + Send + 'static) {
        self.state.lock().unwrap().hooks.push((n, Box::new(f)));
    }

    /// Chat requests whose body contains `text` are answered by `script`, whatever the queue
    /// says (a batch where one given row fails, whatever the order rows are sent in).
    pub fn route(&self, text: &str, script: Script) {
        self.state.lock().unwrap().routes.push((text.to_string(), script));
    }

    /// Waits (bounded) until `n` requests are fully handled.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Recorded> {
        let start = Instant::now();
        loop {
            let log = self.requests();
            if log.iter().filter(|r| r.done).count() >= n || start.elapsed() > timeout {
                return log;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

async fn serve(listener: TcpListener, state: Arc<Mutex<State>>) {
    loop {
        let Ok((sock, _)) = listener.accept().await else { continue };
        let st = state.clone();
        tokio::spawn(async move {
            let _ = handle(sock, st).await;
        });
    }
}

async fn read_request(sock: &mut TcpStream) -> io::Result<Recorded> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 8192];
    let head_end = loop {
        let n = sock.read(&mut tmp).await?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&tmp[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_string();
    let path = first.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let n = sock.read(&mut tmp).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&tmp[..n]);
    }
    Ok(Recorded {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).to_string(),
        client_left_after: None,
        tokens_sent: 0,
        done: false,
        received: Duration::ZERO,
        finished: None,
        status: 0,
    })
}

async fn handle(mut sock: TcpStream, state: Arc<Mutex<State>>) -> io::Result<()> {
    sock.set_nodelay(true)?;
    let mut rec = read_request(&mut sock).await?;
    // Logged before answering, so a client that has its answer always finds its request here;
    // what the answer did (tokens sent, hang-up) is filled in at the end.
    let idx = {
        let mut st = state.lock().unwrap();
        rec.received = st.started.elapsed();
        st.log.push(rec.clone());
        st.log.len() - 1
    };
    let started = Instant::now();
    if rec.method == "GET" && rec.path.ends_with("/models") {
        let script = { current_script(&state, false) };
        let result = match script {
            Some(Script::Status { code, headers, body }) => {
                respond(&mut sock, code, &headers, "application/json", &body).await
            }
            _ => {
                let models = state.lock().unwrap().models.clone();
                let data: Vec<Value> =
                    models.iter().map(|m| json!({"id": m, "object": "model"})).collect();
                let body = json!({"object": "list", "data": data}).to_string();
                respond(&mut sock, 200, &[], "application/json", &body).await
            }
        };
        rec.done = true;
        state.lock().unwrap().log[idx] = rec;
        return result;
    }
    if !(rec.method == "POST" && rec.path.ends_with("/chat/completions")) {
        let body = json!({"error": {"message": format!("no route {}", rec.path)}}).to_string();
        let r = respond(&mut sock, 404, &[], "application/json", &body).await;
        rec.done = true;
        state.lock().unwrap().log[idx] = rec;
        return r;
    }
    let routed = state.lock().unwrap().routes.iter().find(|(t, _)| rec.body.contains(t.as_str())).map(|(_, s)| s.clone());
    let script = routed.or_else(|| current_script(&state, true)).unwrap_or(Script::Json(String::new()));
    rec.status = match &script {
        Script::Status { code, .. } => *code,
        Script::Hang => 0,
        _ => 200,
    };
    let result = match script {
        Script::Json(content) => {
            let body = json!({
                "id": "chatcmpl-test", "object": "chat.completion",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
            })
            .to_string();
            respond(&mut sock, 200, &[], "application/json", &body).await
        }
        Script::Status { code, headers, body } => {
            respond(&mut sock, code, &headers, "application/json", &body).await
        }
        Script::Hang => {
            tokio::time::sleep(Duration::from_secs(600)).await;
            Ok(())
        }
        Script::RawSse(raw) => {
            write_head_chunked(&mut sock).await?;
            write_chunk(&mut sock, raw.as_bytes()).await?;
            sock.write_all(b"0\r\n\r\n").await
        }
        Script::Sse(sse) => stream_sse(&mut sock, &sse, &mut rec, (&state, idx)).await,
    };
    if result.is_err() && rec.client_left_after.is_none() {
        rec.client_left_after = Some(started.elapsed());
    }
    rec.done = true;
    let hooks = {
        let mut st = state.lock().unwrap();
        rec.finished = Some(st.started.elapsed());
        st.log[idx] = rec;
        let answered = st.log.iter().filter(|r| r.done && r.method == "POST" && r.path.ends_with("/chat/completions")).count();
        let (due, later): (Vec<Hook>, Vec<Hook>) = std::mem::take(&mut st.hooks).into_iter().partition(|(n, _)| answered >= *n);
        st.hooks = later;
        due
    };
    for (_, f) in hooks {
        f();
    }
    Ok(())
}

fn current_script(state: &Arc<Mutex<State>>, advance: bool) -> Option<Script> {
    let mut st = state.lock().unwrap();
    if st.scripts.is_empty() {
        return None;
    }
    let i = st.next.min(st.scripts.len() - 1);
    if advance {
        st.next += 1;
    }
    Some(st.scripts[i].clone())
}

async fn respond(
    sock: &mut TcpStream,
    code: u16,
    headers: &[(String, String)],
    ctype: &str,
    body: &str,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {code} {}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reason(code),
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    sock.write_all(head.as_bytes()).await?;
    sock.write_all(body.as_bytes()).await?;
    sock.flush().await
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

async fn write_head_chunked(sock: &mut TcpStream) -> io::Result<()> {
    sock.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\
          Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    )
    .await?;
    sock.flush().await
}

async fn write_chunk(sock: &mut TcpStream, data: &[u8]) -> io::Result<()> {
    if data.is_empty() {
        return Ok(());
    }
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    sock.write_all(&out).await?;
    sock.flush().await
}

/// The SSE body for `tokens`, one `data:` event each, as an OpenAI server writes it.
pub fn sse_body(tokens: &[String], keepalive: bool, done: bool, crlf: bool) -> String {
    let nl = if crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    let role = json!({"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]});
    out.push_str(&format!("data: {role}{nl}{nl}"));
    for (i, t) in tokens.iter().enumerate() {
        if keepalive && i % 3 == 0 {
            out.push_str(&format!(": keep-alive{nl}{nl}"));
        }
        let ev = json!({"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":t},"finish_reason":null}]});
        out.push_str(&format!("data: {ev}{nl}{nl}"));
    }
    if done {
        let fin = json!({"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":12,"completion_tokens":tokens.len(),"total_tokens":12+tokens.len()}});
        out.push_str(&format!("data: {fin}{nl}{nl}data: [DONE]{nl}{nl}"));
    }
    out
}

/// `progress`: the server's log and this request's entry, where the tokens sent are published as
/// they go (a test can act when the Nth token has left, not after a sleep).
async fn stream_sse(sock: &mut TcpStream, sse: &Sse, rec: &mut Recorded, progress: (&Arc<Mutex<State>>, usize)) -> io::Result<()> {
    write_head_chunked(sock).await?;
    if !sse.first_delay.is_zero() {
        tokio::time::sleep(sse.first_delay).await;
    }
    if let Some(path) = &sse.stamp {
        let ns = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
            let _ = writeln!(f, "{ns}");
        }
    }
    let nl = if sse.crlf { "\r\n" } else { "\n" };
    // One event per token, written as irregular network chunks: sizes cycle through
    // 7, 1, 23, 64, 3 bytes so that events and even UTF-8 characters straddle chunks.
    let sizes = [7usize, 1, 23, 64, 3];
    let mut pending: Vec<u8> = Vec::new();
    let mut k = 0usize;
    let head = sse_body(&[], false, false, sse.crlf);
    pending.extend_from_slice(head.as_bytes());
    let limit = sse.cut_after.unwrap_or(usize::MAX);
    for (i, t) in sse.tokens.iter().enumerate() {
        if i >= limit {
            // Abrupt end: what was produced goes out, then the socket closes without the
            // terminating chunk.
            let rest = std::mem::take(&mut pending);
            write_chunk(sock, &rest).await?;
            return sock.shutdown().await;
        }
        if sse.keepalive && i % 3 == 0 {
            pending.extend_from_slice(format!(": keep-alive{nl}{nl}").as_bytes());
        }
        let ev = json!({"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":t},"finish_reason":null}]});
        pending.extend_from_slice(format!("data: {ev}{nl}{nl}").as_bytes());
        if sse.irregular {
            flush_irregular(sock, &mut pending, &sizes, &mut k, sse.delay).await?;
        } else {
            let ev = std::mem::take(&mut pending);
            write_chunk(sock, &ev).await?;
            if !sse.delay.is_zero() {
                tokio::time::sleep(sse.delay).await;
            }
        }
        rec.tokens_sent = i + 1;
        progress.0.lock().unwrap().log[progress.1].tokens_sent = i + 1;
    }
    if sse.done {
        let n = sse.tokens.len();
        let fin = json!({"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":12,"completion_tokens":n,"total_tokens":12+n}});
        pending.extend_from_slice(format!("data: {fin}{nl}{nl}data: [DONE]{nl}{nl}").as_bytes());
    }
    flush_irregular(sock, &mut pending, &sizes, &mut k, Duration::ZERO).await?;
    let rest = std::mem::take(&mut pending);
    write_chunk(sock, &rest).await?;
    sock.write_all(b"0\r\n\r\n").await?;
    sock.flush().await
}

async fn flush_irregular(
    sock: &mut TcpStream,
    pending: &mut Vec<u8>,
    sizes: &[usize],
    k: &mut usize,
    delay: Duration,
) -> io::Result<()> {
    // Send whole chunks of the cycling sizes; the remainder waits for the next call, so chunk
    // boundaries never line up with event boundaries.
    loop {
        let size = sizes[*k % sizes.len()];
        if pending.len() < size {
            if delay.is_zero() {
                return Ok(());
            }
            // Slow streams flush everything so each token arrives on time.
            let all: Vec<u8> = std::mem::take(pending);
            write_chunk(sock, &all).await?;
            tokio::time::sleep(delay).await;
            return Ok(());
        }
        let rest = pending.split_off(size);
        let chunk = std::mem::replace(pending, rest);
        write_chunk(sock, &chunk).await?;
        *k += 1;
    }
}
