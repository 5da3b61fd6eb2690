//! The benchmark's workload: the profile of every row of every sheet of FILE, in release.
//!
//!     cargo run --release -p katib-sheet --example profile -- FILE [--json]
//!
//! Prints one summary line (rows, columns, time) to stderr, and the profile as JSON with --json.
//! tests/bench/sheet.sh times it against python-calamine and pandas.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: profile FILE [--json]");
        std::process::exit(2);
    };
    let json = args.any(|a| a == "--json");
    let started = Instant::now();
    match katib_sheet::profile_file(std::path::Path::new(&path), &Default::default()) {
        Ok(p) => {
            let rows: u64 = p.sheets.iter().map(|s| s.data_rows).sum();
            let cols: usize = p.sheets.iter().map(|s| s.columns.len()).sum();
            eprintln!("{path}: {} sheet(s), {rows} data rows, {cols} columns, profiled in {:.0} ms", p.sheets.len(), started.elapsed().as_secs_f64() * 1000.0);
            if json {
                match serde_json::to_string_pretty(&p) {
                    Ok(s) => println!("{s}"),
                    Err(e) => {
                        eprintln!("{e}");
                        std::process::exit(1);
                    }
                }
            }
        }
        Err(e) => {
            eprintln!("{e} [{}]", e.code());
            std::process::exit(1);
        }
    }
}
