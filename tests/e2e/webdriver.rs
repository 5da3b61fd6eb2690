//! A minimal W3C WebDriver client (blocking, over std TCP) and the harness that starts the real
//! app under tauri-driver + WebKitWebDriver with its own config, data and export folders.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// One HTTP/1.1 request to the driver; returns the JSON `value`. A connection closed before any
/// answer (tauri-driver drops some under load) is retried.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut last = String::new();
    for _ in 0..4 {
        match http_once(port, method, path, body) {
            Err(e) if e.is_empty() => {
                last = format!("{method} {path}: connection closed without an answer");
                std::thread::sleep(Duration::from_millis(200));
            }
            other => return other,
        }
    }
    Err(last)
}

fn http_once(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(120))).ok();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    let mut r = BufReader::new(s);
    let mut status = String::new();
    r.read_line(&mut status).map_err(|e| e.to_string())?;
    if status.is_empty() {
        return Err(String::new());
    }
    let mut len = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        r.read_line(&mut line).map_err(|e| e.to_string())?;
        let l = line.trim();
        if l.is_empty() {
            break;
        }
        let lower = l.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            len = v.trim().parse::<usize>().ok();
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    let mut buf = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).map_err(|e| e.to_string())?;
            let n = usize::from_str_radix(size.trim(), 16).map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).map_err(|e| e.to_string())?;
            buf.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = len {
        buf.resize(n, 0);
        r.read_exact(&mut buf).map_err(|e| e.to_string())?;
    } else {
        r.read_to_end(&mut buf).map_err(|e| e.to_string())?;
    }
    if buf.iter().all(u8::is_ascii_whitespace) {
        // Some commands (click, value) answer with an empty body through tauri-driver.
        return if status.contains(" 200") { Ok(Value::Null) } else { Err(status) };
    }
    let v: Value = serde_json::from_slice(&buf).map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&buf)))?;
    if !status.contains(" 200") {
        return Err(format!("{status}: {v}"));
    }
    Ok(v["value"].clone())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The app running under tauri-driver, with a WebDriver session on it.
pub struct App {
    driver: Child,
    port: u16,
    session: String,
    pub dirs: PathBuf,
}

impl App {
    /// Starts tauri-driver with the app's environment (its own folders) and opens a session.
    pub fn start(dirs: &Path, extra_env: &[(&str, String)]) -> App {
        let port = free_port();
        let native = free_port();
        let mut cmd = Command::new(tauri_driver());
        cmd.args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("KATIB_CONFIG_DIR", dirs.join("config"))
            .env("KATIB_DATA_DIR", dirs.join("data"))
            .env("KATIB_EXPORT_DIR", dirs.join("exports"))
            .env("KATIB_PRACTICE_PACE_MS", "2")
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .env_remove("KATIB_API_KEY")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        std::fs::create_dir_all(dirs.join("exports")).unwrap();
        let driver = cmd.spawn().expect("tauri-driver (cargo install tauri-driver --locked)");
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(20), "tauri-driver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": app_binary()}}}});
        let v = http(port, "POST", "/session", Some(&caps)).expect("new session");
        let session = v["sessionId"].as_str().expect("session id").to_string();
        let app = App { driver, port, session, dirs: dirs.to_path_buf() };
        // Up as a user sees it: the window is painted once its first screen is built (.ready).
        app.wait_js("return document.body.classList.contains('ready')", Duration::from_secs(30));
        app
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        http(self.port, method, &format!("/session/{}{path}", self.session), body.as_ref())
    }

    pub fn find(&self, css: &str) -> Option<String> {
        let v = self.cmd("POST", "/element", Some(json!({"using": "css selector", "value": css}))).ok()?;
        v.as_object()?.values().next()?.as_str().map(String::from)
    }

    pub fn wait_for(&self, css: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            if let Some(e) = self.find(css) {
                return e;
            }
            assert!(start.elapsed() < timeout, "no element '{css}' after {timeout:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `method` on the element `css` (`/element/ID{path}`). The page may replace the element
    /// between finding it and acting on it (a screen re-rendering after a call returns): a stale
    /// reference is found again, a few times, so nothing is done to an element no longer shown.
    fn on_element(&self, css: &str, method: &str, path: &str, body: Option<Value>) -> Value {
        for _ in 0..5 {
            let e = self.wait_for(css, Duration::from_secs(10));
            match self.cmd(method, &format!("/element/{e}{path}"), body.clone()) {
                Err(err) if err.contains("stale element reference") => std::thread::sleep(Duration::from_millis(50)),
                r => return r.unwrap_or_else(|err| panic!("{method} {path} on {css}: {err}")),
            }
        }
        panic!("{css}: replaced by the page at every attempt (stale element reference)")
    }

    pub fn click(&self, css: &str) {
        self.on_element(css, "POST", "/click", Some(json!({})));
    }

    pub fn type_into(&self, css: &str, text: &str) {
        self.on_element(css, "POST", "/value", Some(json!({"text": text})));
    }

    pub fn clear(&self, css: &str) {
        self.on_element(css, "POST", "/clear", Some(json!({})));
    }

    pub fn text(&self, css: &str) -> String {
        self.on_element(css, "GET", "/text", None).as_str().unwrap_or("").to_string()
    }

    /// Runs `script` (a function body) in the page and returns its result.
    pub fn js(&self, script: &str) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({"script": script, "args": []}))).unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    /// Waits until `script` returns a truthy value.
    pub fn wait_js(&self, script: &str, timeout: Duration) -> Value {
        let start = Instant::now();
        loop {
            let v = self.js(script);
            if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
                return v;
            }
            assert!(start.elapsed() < timeout, "timed out waiting for: {script}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn screenshot(&self, path: &Path) {
        let b64 = self.cmd("GET", "/screenshot", None).unwrap();
        let bytes = base64_decode(b64.as_str().unwrap());
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(path, bytes).unwrap();
    }

    /// Kills the app process abruptly (no clean shutdown), like a crash or a power cut.
    pub fn kill_app(mut self) {
        self.session.clear();
        self.stop();
    }

    /// Stops tauri-driver and everything it started (WebKitWebDriver, the app and its WebKit
    /// processes), by their ids: never by name, other programs may run the same binaries. Waits
    /// until they are gone, so the next window does not meet this one's single-instance lock.
    fn stop(&mut self) {
        let tree = descendants(self.driver.id());
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        for pid in &tree {
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).stderr(Stdio::null()).status();
        }
        let start = Instant::now();
        while tree.iter().any(|p| alive(*p)) && start.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Selects `value` in the <select> `css` as a user does (a click on its option).
    pub fn select(&self, css: &str, value: &str) {
        self.click(&format!("{css} option[value=\"{value}\"]"));
        let v = self.js(&format!("return document.querySelector({}).value", serde_json::to_string(css).unwrap()));
        assert_eq!(v, json!(value), "{css} did not take {value}");
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.cmd("DELETE", "", None);
        }
        self.stop();
    }
}

/// Every process below `pid` (children first found, then theirs), from /proc.
fn descendants(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut todo = vec![pid];
    while let Some(p) = todo.pop() {
        let kids = std::fs::read_to_string(format!("/proc/{p}/task/{p}/children")).unwrap_or_default();
        for k in kids.split_whitespace().filter_map(|k| k.parse::<u32>().ok()) {
            out.push(k);
            todo.push(k);
        }
    }
    out
}

/// Whether `pid` still runs (a zombie does not count: it holds no lock).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.rsplit(')').next().is_some_and(|r| !r.trim_start().starts_with('Z')))
}

pub fn app_binary() -> String {
    env!("CARGO_BIN_EXE_katib-desktop").to_string()
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    let p = home.join("bin/tauri-driver");
    if p.exists() {
        p
    } else {
        PathBuf::from("tauri-driver")
    }
}

/// Whether the window can be driven here: a display, tauri-driver, WebKitWebDriver.
pub fn available() -> Result<(), String> {
    if std::env::var_os("DISPLAY").is_none() {
        return Err("no DISPLAY (run under Xvfb: tests/run.sh does)".into());
    }
    if Command::new(tauri_driver()).arg("--help").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
        return Err("tauri-driver not installed".into());
    }
    if Command::new("WebKitWebDriver").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
        return Err("WebKitWebDriver not installed (Debian: webkit2gtk-driver)".into());
    }
    Ok(())
}

fn base64_decode(s: &str) -> Vec<u8> {
    let table = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter_map(table) {
        acc = (acc << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
