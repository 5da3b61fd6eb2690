//! `katib-testserver`: the loopback OpenAI-compatible server as a process, for benchmarks.
//!
//! usage: katib-testserver [--tokens N] [--first-delay-ms MS] [--stamp FILE] [--placeholder-every K]
//! Prints its base URL (http://127.0.0.1:PORT/v1) on the first line of stdout, then serves until
//! killed. Every chat request streams N tokens ("mot0 ", "mot1 ", ...) as fast as the socket takes
//! them, after MS milliseconds of silence; FILE receives the time of the first body byte. With K,
//! every Kth token is a placeholder split over two tokens ("[NO", "M_1] "), as a model echoing a
//! pseudonymised prompt would stream it.

use std::time::Duration;

use katib_testserver::{Script, Server, Sse};

fn main() {
    let mut tokens = 1000usize;
    let mut first_delay = 0u64;
    let mut stamp = None;
    let mut every = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let v = args.next().unwrap_or_default();
        match a.as_str() {
            "--tokens" => tokens = v.parse().expect("--tokens N"),
            "--first-delay-ms" => first_delay = v.parse().expect("--first-delay-ms MS"),
            "--stamp" => stamp = Some(std::path::PathBuf::from(v)),
            "--placeholder-every" => every = v.parse().expect("--placeholder-every K"),
            _ => {
                eprintln!("usage: katib-testserver [--tokens N] [--first-delay-ms MS] [--stamp FILE] [--placeholder-every K]");
                std::process::exit(2);
            }
        }
    }
    let words: Vec<String> = (0..tokens)
        .map(|i| match (every, i % 2) {
            (k, 0) if k > 0 && i % k == 0 => "[NO".to_string(),
            (k, _) if k > 0 && i > 0 && (i - 1) % k == 0 => "M_1] ".to_string(),
            _ => format!("mot{i} "),
        })
        .collect();
    let mut sse = Sse::tokens(&words);
    sse.first_delay = Duration::from_millis(first_delay);
    sse.stamp = stamp;
    // One chunk per event, as real servers write: the benchmark measures the client.
    sse.irregular = false;
    let server = Server::start(vec![Script::Sse(sse)]);
    println!("{}", server.base_url());
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
