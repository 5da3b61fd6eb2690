//! A helper for katib-history's cross-process tests (not a user tool): the tests start it as a
//! separate process to allocate register numbers concurrently with another one, and to be
//! killed with SIGKILL in the middle of a streamed run.
//!
//! - `testhelper allocate DB SERVICE COUNT`: prints `ready`, waits for a line on stdin, then
//!   prints `start NANOS`, allocates COUNT numbers one by one (one transaction each), printing
//!   each number, then `end NANOS`.
//! - `testhelper stream DB`: starts a run and pushes a piece of answer every 2 ms, printing
//!   `saved N` each time a checkpoint has written N bytes; runs until killed.

use std::io::{BufRead, Write};
use std::time::Duration;

use katib_history::{CheckpointPolicy, DataClass, History, Letter, NewRun, Options, RegisterPattern};

/// The n-th piece of the streamed answer (the test rebuilds the same text).
fn piece(n: usize) -> String {
    format!("Paragraphe {n} : la commune accuse réception de votre demande. ")
}

/// Wall-clock time in nanoseconds (the test compares two processes' times).
fn nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("testhelper: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out = std::io::stdout().lock();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["allocate", db, service, count] => {
            let h = History::open(db, Options::default())?;
            let pattern = RegisterPattern::default();
            let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).ok_or("date")?;
            writeln!(out, "ready")?;
            out.flush()?;
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            writeln!(out, "start {}", nanos())?;
            for i in 0..count.parse::<usize>()? {
                let letter = Letter {
                    addressee: format!("Destinataire {i}"),
                    object: "Convocation".into(),
                    ..Default::default()
                };
                let e = h.allocate(&pattern, service, date, &letter)?;
                writeln!(out, "{}", e.number)?;
                out.flush()?;
            }
            writeln!(out, "end {}", nanos())?;
        }
        ["stream", db] => {
            let options = Options {
                checkpoint: CheckpointPolicy { interval: Duration::from_millis(20), max_bytes: 64 * 1024 },
                ..Options::default()
            };
            let h = History::open(db, options)?;
            let run = NewRun {
                template_id: "reponse-citoyen".into(),
                template_title: "Réponse à un citoyen".into(),
                profile: "local".into(),
                data_class: Some(DataClass::Local),
                ..Default::default()
            };
            let mut rec = h.start_run(&run)?;
            writeln!(out, "run {}", rec.id())?;
            out.flush()?;
            let mut saved = 0;
            for n in 0.. {
                rec.push(&piece(n))?;
                if rec.saved_len() != saved {
                    saved = rec.saved_len();
                    writeln!(out, "saved {saved}")?;
                    out.flush()?;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        _ => return Err("usage: testhelper allocate DB SERVICE COUNT | stream DB".into()),
    }
    Ok(())
}
