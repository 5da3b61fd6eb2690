//! Providers against a real HTTP server on 127.0.0.1 (katib-testserver): SSE split across
//! irregular chunks, every error status, timeouts, a cut stream, malformed data, cancellation.

use std::time::{Duration, Instant};

use katib_core::config::Profile;
use katib_core::providers::{
    complete_cancellable, CancellationToken, ChatRequest, Completion, Message, OpenAi, Provider,
    ProviderError, Role, TimeoutPhase,
};
use katib_core::secrets::ApiKey;
use katib_testserver::{Script, Server, Sse};

fn request() -> ChatRequest {
    ChatRequest {
        replay_key: None,
        messages: vec![
            Message { role: Role::System, content: "Tu es un rédacteur administratif.".into() },
            Message { role: Role::User, content: "Rédige une réponse.".into() },
        ],
        template: Some("reponse-citoyen".into()),
    }
}

fn profile(server: &Server) -> Profile {
    let mut p = Profile::new("local", &server.base_url(), "test-model");
    p.retries = 2;
    p
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// Runs a completion, returning the result and every piece the sink received.
fn complete(p: &OpenAi) -> (Result<Completion, ProviderError>, Vec<String>) {
    let mut pieces = Vec::new();
    let r = rt().block_on(async {
        let mut sink = |s: &str| pieces.push(s.to_string());
        p.complete(&request(), &mut sink).await
    });
    (r, pieces)
}

const TOKENS: &[&str] = &["Monsieur", ",\n\n", "J'ai l'honneur", " de vous informer", " — é à ç", " وجدة في 23 نونبر", " 2026."];

#[test]
fn streams_sse_split_across_irregular_chunks() {
    for (keepalive, crlf) in [(false, false), (true, false), (true, true)] {
        let mut sse = Sse::tokens(TOKENS);
        sse.keepalive = keepalive;
        sse.crlf = crlf;
        let server = Server::start(vec![Script::Sse(sse)]);
        let mut prof = profile(&server);
        prof.temperature = Some(0.2);
        prof.max_tokens = Some(512);
        prof.headers.insert("X-Commune".into(), "Oujda".into());
        let p = OpenAi::new(prof, Some(ApiKey::new("sk-test-123"))).unwrap();
        let (r, pieces) = complete(&p);
        let c = r.unwrap();
        assert_eq!(c.text, TOKENS.concat());
        assert_eq!(pieces, TOKENS, "each SSE event reaches the sink as one piece");
        assert_eq!(c.finish_reason.as_deref(), Some("stop"));
        assert_eq!(c.usage.unwrap().completion_tokens, TOKENS.len() as u64);
        let req = &server.requests()[0];
        assert_eq!(req.path, "/v1/chat/completions");
        assert_eq!(req.header("authorization"), Some("Bearer sk-test-123"));
        assert_eq!(req.header("x-commune"), Some("Oujda"));
        let body = req.json();
        assert_eq!(body["model"], "test-model");
        assert_eq!(body["stream"], true);
        assert_eq!(body["max_tokens"], 512);
        assert!((body["temperature"].as_f64().unwrap() - 0.2).abs() < 1e-6);
        assert_eq!(body["messages"][0]["role"], "system");
        assert_eq!(body["messages"][1]["content"], "Rédige une réponse.");
    }
}

#[test]
fn no_key_sends_no_authorization_and_non_streaming_works() {
    let server = Server::start(vec![Script::Json("Réponse entière.".into())]);
    let mut prof = profile(&server);
    prof.stream = false;
    let p = OpenAi::new(prof, None).unwrap();
    let (r, pieces) = complete(&p);
    assert_eq!(r.unwrap().text, "Réponse entière.");
    assert_eq!(pieces, vec!["Réponse entière."]);
    let req = &server.requests()[0];
    assert_eq!(req.header("authorization"), None);
    assert_eq!(req.json()["stream"], false);
}

#[test]
fn json_answer_to_a_streaming_request_is_accepted() {
    // Some servers ignore `stream: true` and answer with one JSON body.
    let server = Server::start(vec![Script::Json("Tout d'un bloc.".into())]);
    let p = OpenAi::new(profile(&server), None).unwrap();
    assert_eq!(complete(&p).0.unwrap().text, "Tout d'un bloc.");
}

fn status(code: u16, headers: &[(&str, &str)], body: &str) -> Script {
    Script::Status {
        code,
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: body.into(),
    }
}

#[test]
fn auth_errors_say_how_to_fix_the_key() {
    for code in [401u16, 403] {
        let server = Server::start(vec![status(code, &[], r#"{"error":{"message":"Incorrect API key provided"}}"#)]);
        let p = OpenAi::new(profile(&server), Some(ApiKey::new("sk-wrong"))).unwrap();
        let err = complete(&p).0.unwrap_err();
        assert_eq!(err.code(), "provider.auth");
        let msg = err.to_string();
        assert!(msg.contains(&format!("HTTP {code}")) && msg.contains("katib key set local"), "{msg}");
        assert!(msg.contains("Incorrect API key provided"), "server's reason is shown: {msg}");
        assert!(!msg.contains("sk-wrong"));
        assert_eq!(server.requests().len(), 1, "auth errors are not retried");
    }
    // A server that echoes the key it refused: the echo is masked in what the user sees.
    let key = "sk-proj-Ab12Cd34Ef56Gh78Ij90";
    let server = Server::start(vec![status(401, &[], &format!(r#"{{"error":{{"message":"Incorrect API key provided: {key}"}}}}"#))]);
    let err = complete(&OpenAi::new(profile(&server), Some(ApiKey::new(key))).unwrap()).0.unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("Incorrect API key provided: [masked]") && !msg.contains("Ab12Cd34"), "{msg}");
}

#[test]
fn not_found_names_model_and_base_url() {
    let server = Server::start(vec![status(404, &[], r#"{"error":{"message":"model 'test-model' not found"}}"#)]);
    let err = complete(&OpenAi::new(profile(&server), None).unwrap()).0.unwrap_err();
    assert_eq!(err.code(), "provider.not_found");
    let msg = err.to_string();
    assert!(msg.contains("'test-model'") && msg.contains("/v1") && msg.contains("katib profiles test local"), "{msg}");
}

#[test]
fn rate_limit_honours_retry_after_then_succeeds() {
    let server = Server::start(vec![
        status(429, &[("Retry-After", "0")], r#"{"error":{"message":"slow down"}}"#),
        status(429, &[("Retry-After", "1")], "{}"),
        Script::Sse(Sse::tokens(&["Enfin."])),
    ]);
    let start = Instant::now();
    let (r, _) = complete(&OpenAi::new(profile(&server), None).unwrap());
    assert_eq!(r.unwrap().text, "Enfin.");
    assert_eq!(server.requests().len(), 3);
    assert!(start.elapsed() >= Duration::from_millis(950), "Retry-After: 1 was honoured");
}

#[test]
fn rate_limit_and_server_errors_are_bounded() {
    let server = Server::start(vec![status(429, &[("Retry-After", "0")], "quota")]);
    let err = complete(&OpenAi::new(profile(&server), None).unwrap()).0.unwrap_err();
    assert_eq!(err.code(), "provider.rate_limited");
    assert!(err.to_string().contains("3 attempts"), "{err}");
    assert_eq!(server.requests().len(), 3, "1 try + 2 retries");

    let server = Server::start(vec![status(500, &[], "boom")]);
    let mut prof = profile(&server);
    prof.retries = 1;
    let err = complete(&OpenAi::new(prof, None).unwrap()).0.unwrap_err();
    assert_eq!(err.code(), "provider.server");
    assert!(err.to_string().contains("HTTP 500") && err.to_string().contains("boom"), "{err}");
    assert_eq!(server.requests().len(), 2);

    // A Retry-After beyond the cap is reported at once rather than waited for.
    let server = Server::start(vec![status(429, &[("Retry-After", "3600")], "")]);
    let start = Instant::now();
    let err = complete(&OpenAi::new(profile(&server), None).unwrap()).0.unwrap_err();
    assert_eq!(err.code(), "provider.rate_limited");
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn transient_5xx_is_retried() {
    let server = Server::start(vec![status(503, &[], "warming up"), Script::Sse(Sse::tokens(&["OK"]))]);
    assert_eq!(complete(&OpenAi::new(profile(&server), None).unwrap()).0.unwrap().text, "OK");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn connection_refused_is_clear() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let p = OpenAi::new(Profile::new("local", &format!("http://127.0.0.1:{port}/v1"), "m"), None).unwrap();
    let err = complete(&p).0.unwrap_err();
    assert_eq!(err.code(), "provider.connect");
    let msg = err.to_string();
    assert!(msg.contains(&format!("127.0.0.1:{port}")) && msg.contains("Is the server running"), "{msg}");
}

#[test]
fn first_token_timeout() {
    let server = Server::start(vec![Script::Hang]);
    let mut prof = profile(&server);
    prof.first_token_timeout_secs = 1;
    let start = Instant::now();
    let err = complete(&OpenAi::new(prof, None).unwrap()).0.unwrap_err();
    assert!(matches!(err, ProviderError::Timeout { phase: TimeoutPhase::FirstToken, secs: 1, .. }), "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(4));
    // Headers sent, then silence: also a first-token timeout.
    let mut sse = Sse::tokens(&["tard"]);
    sse.first_delay = Duration::from_secs(5);
    let server = Server::start(vec![Script::Sse(sse)]);
    let mut prof = profile(&server);
    prof.first_token_timeout_secs = 1;
    let err = complete(&OpenAi::new(prof, None).unwrap()).0.unwrap_err();
    assert_eq!(err.code(), "provider.timeout");
}

#[test]
fn idle_timeout_keeps_the_partial_text() {
    let mut sse = Sse::tokens(&["Début", " suite", " fin"]);
    sse.delay = Duration::from_millis(2500);
    let server = Server::start(vec![Script::Sse(sse)]);
    let mut prof = profile(&server);
    prof.idle_timeout_secs = 1;
    let err = complete(&OpenAi::new(prof, None).unwrap()).0.unwrap_err();
    assert_eq!(err.code(), "provider.cut");
    assert_eq!(err.partial(), Some("Début"));
    assert!(err.to_string().contains("PARTIAL"), "{err}");
}

#[test]
fn cut_stream_keeps_partial_and_says_so() {
    let mut sse = Sse::tokens(&["Un", " deux", " trois", " quatre", " cinq"]);
    sse.cut_after = Some(3);
    let server = Server::start(vec![Script::Sse(sse)]);
    let (r, pieces) = complete(&OpenAi::new(profile(&server), None).unwrap());
    let err = r.unwrap_err();
    assert_eq!(err.code(), "provider.cut");
    assert_eq!(err.partial(), Some("Un deux trois"));
    assert_eq!(pieces.concat(), "Un deux trois");

    // A stream that closes cleanly but without [DONE] or a finish_reason is partial too.
    let mut sse = Sse::tokens(&["Un", " deux"]);
    sse.done = false;
    let server = Server::start(vec![Script::Sse(sse)]);
    let err = complete(&OpenAi::new(profile(&server), None).unwrap()).0.unwrap_err();
    assert_eq!(err.partial(), Some("Un deux"));
}

#[test]
fn malformed_streams() {
    let server = Server::start(vec![Script::RawSse("data: {\"choices\": [not json\n\n".into())]);
    let err = complete(&OpenAi::new(profile(&server), None).unwrap()).0.unwrap_err();
    assert_eq!(err.code(), "provider.malformed");
    assert!(err.to_string().contains("OpenAI-compatible"), "{err}");

    let server = Server::start(vec![Script::RawSse("hello, this is not SSE\n".into())]);
    let err = complete(&OpenAi::new(profile(&server), None).unwrap()).0.unwrap_err();
    assert_eq!(err.code(), "provider.malformed");

    let raw = "data: {\"choices\":[{\"delta\":{\"content\":\"Bon\"}}]}\n\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\n";
    let server = Server::start(vec![Script::RawSse(raw.into())]);
    let err = complete(&OpenAi::new(profile(&server), None).unwrap()).0.unwrap_err();
    assert_eq!(err.partial(), Some("Bon"));
    assert!(err.to_string().contains("overloaded"));
}

#[test]
fn cancel_stops_the_request_at_once() {
    let words: Vec<String> = (0..400).map(|i| format!("mot{i} ")).collect();
    let mut sse = Sse::tokens(&words);
    sse.delay = Duration::from_millis(25);
    let server = Server::start(vec![Script::Sse(sse)]);
    let p = OpenAi::new(profile(&server), None).unwrap();
    let cancel = CancellationToken::new();
    let mut got = String::new();
    let req = request();
    let (r, cancelled_at) = rt().block_on(async {
        let c = cancel.clone();
        let mut sink = |s: &str| {
            got.push_str(s);
            if got.len() > 20 {
                c.cancel();
            }
        };
        let r = complete_cancellable(&p, &req, &mut sink, &cancel).await;
        (r, Instant::now())
    });
    assert!(matches!(r, Err(ProviderError::Cancelled)), "{r:?}");
    assert!(cancelled_at.elapsed() < Duration::from_secs(1));
    // The server sees the connection close: it stops long before the 400 words (10 s).
    let log = server.wait_for(1, Duration::from_secs(5));
    assert_eq!(log.len(), 1, "the server noticed the hang-up");
    let left = log[0].client_left_after.expect("client hung up");
    assert!(left < Duration::from_secs(3), "{left:?}");
    assert!(log[0].tokens_sent < 150, "sent {}", log[0].tokens_sent);
}

#[test]
fn list_models_for_test_connection() {
    let server = Server::start(vec![]);
    let p = OpenAi::new(profile(&server), Some(ApiKey::new("k"))).unwrap();
    let models = rt().block_on(p.list_models()).unwrap();
    assert_eq!(models, vec!["other-model", "test-model"]);
    assert_eq!(server.requests()[0].path, "/v1/models");
    assert_eq!(server.requests()[0].header("authorization"), Some("Bearer k"));

    let server = Server::start(vec![status(401, &[], "{}")]);
    let err = rt().block_on(OpenAi::new(profile(&server), None).unwrap().list_models()).unwrap_err();
    assert_eq!(err.code(), "provider.auth");
}
