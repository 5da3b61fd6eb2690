//! Benchmarks of katib-pseudo, with inputs from the seeded generators in `gen/`:
//! - pseudonymising a 50-page French and Arabic document holding 500 personal values (target of
//!   issue 10: at most 20 ms), and detection alone on it;
//! - restoring a 100,000-token answer streamed in chunks of about 4 bytes: throughput in MB/s
//!   next to a plain pass-through of the same chunks (what showing the stream costs without
//!   restoring), and the latency each chunk gains.
//!
//! Run: `cargo run --release -p katib-pseudo --example bench`. Prints figures; asserts nothing.

mod gen;

use std::hint::black_box;
use std::time::{Duration, Instant};

use katib_pseudo::{detect, Hints, Pseudonymizer};

/// CPU time of this thread (Linux: /proc/thread-self/schedstat, first field in ns). On a machine
/// shared with other jobs, wall-clock time includes waiting for a core; CPU time does not.
fn cpu_now() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok().map(Duration::from_nanos)
}

/// Runs `f`, returning (wall, cpu) times.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Option<Duration>) {
    let c = cpu_now();
    let t = Instant::now();
    let out = f();
    let wall = t.elapsed();
    let cpu = c.and_then(|c| cpu_now().map(|n| n.saturating_sub(c)));
    (out, wall, cpu)
}

fn fmt_cpu(v: &[Duration]) -> String {
    if v.is_empty() {
        "n/a (no /proc/thread-self/schedstat)".to_string()
    } else {
        format!("{:.2} ms", ms(median(v.to_vec())))
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    // 1. Pseudonymising.
    let (doc, values) = gen::document(2026, 50, 500);
    let chars = doc.chars().count();
    let runs = 31;
    let (mut apply, mut apply_cpu, mut det, mut det_cpu) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut replaced = 0;
    let mut placeholders = Vec::new();
    for _ in 0..runs {
        let (p, wall, cpu) = timed(|| {
            let mut p = Pseudonymizer::new(Hints::new());
            black_box(p.apply_all([("document", doc.as_str())]));
            p
        });
        apply.push(wall);
        apply_cpu.extend(cpu);
        replaced = p.replacements().iter().map(|r| r.count).sum::<usize>();
        placeholders = p.replacements().iter().map(|r| r.placeholder.clone()).collect::<Vec<_>>();
        let (_, wall, cpu) = timed(|| black_box(detect(&doc, &Hints::new())));
        det.push(wall);
        det_cpu.extend(cpu);
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("## katib-pseudo benchmarks (release, {runs} runs, median; load average {})\n", load.split_whitespace().next().unwrap_or("?"));
    println!("| pseudonymising | figure |");
    println!("|---|---:|");
    println!("| document | {} chars ({:.1} pages of 3,000), {} bytes |", chars, chars as f64 / 3000.0, doc.len());
    println!("| personal values written by the generator | {values} |");
    println!("| spans replaced | {replaced} ({} placeholders) |", placeholders.len());
    println!(
        "| `Pseudonymizer::apply_all` | CPU {}; wall {:.2} ms (min {:.2}, max {:.2}); target <= 20 ms |",
        fmt_cpu(&apply_cpu),
        ms(median(apply.clone())),
        ms(*apply.iter().min().unwrap_or(&Duration::ZERO)),
        ms(*apply.iter().max().unwrap_or(&Duration::ZERO))
    );
    println!("| `detect` alone | CPU {}; wall {:.2} ms |", fmt_cpu(&det_cpu), ms(median(det)));

    // 2. Restoring a streamed answer.
    let answer = gen::answer(7, 100_000, 40, &placeholders);
    let chunks = gen::chunks(&answer, 4);
    let mb = answer.len() as f64 / 1e6;
    let mut pass = Vec::new();
    let mut rest = Vec::new();
    let mut rest_cpu = Vec::new();
    let mut restored_len = 0;
    let mut report = None;
    for _ in 0..15 {
        let t = Instant::now();
        let mut out = String::with_capacity(answer.len());
        for c in &chunks {
            out.push_str(black_box(c));
        }
        black_box(&out);
        pass.push(t.elapsed());

        // A restorer over the run's replacements.
        let mut run = Pseudonymizer::new(Hints::new());
        run.apply_all([("document", doc.as_str())]);
        let mut r = run.restorer();
        let (out, wall, cpu) = timed(|| {
            let mut out = String::with_capacity(answer.len() * 2);
            for c in &chunks {
                r.push_into(black_box(c), &mut out);
            }
            out.push_str(&r.finish());
            out
        });
        rest.push(wall);
        rest_cpu.extend(cpu);
        restored_len = out.len();
        report = Some(r.report());
    }
    // Per-chunk latency: each push timed on its own.
    let mut run = Pseudonymizer::new(Hints::new());
    run.apply_all([("document", doc.as_str())]);
    let mut r = run.restorer();
    let mut lat: Vec<u64> = Vec::with_capacity(chunks.len());
    let mut out = String::with_capacity(answer.len() * 2);
    let mut held_chunks = 0;
    for c in &chunks {
        let t = Instant::now();
        r.push_into(black_box(c), &mut out);
        lat.push(t.elapsed().as_nanos() as u64);
        held_chunks += usize::from(r.pending_len() > 0);
    }
    lat.sort_unstable();
    let pct = |p: f64| lat[((lat.len() - 1) as f64 * p) as usize];
    let mean = lat.iter().sum::<u64>() as f64 / lat.len() as f64;
    let (tp, tr) = (median(pass), median(rest));
    let rep = report.unwrap_or_default();
    println!();
    println!("| restoring a streamed answer | figure |");
    println!("|---|---:|");
    println!("| answer | 100,000 tokens, {:.2} MB, {} chunks of ~4 bytes, {} placeholders restored, {} invented |", mb, chunks.len(), rep.restored, rep.invented.len());
    println!("| pass-through (copy of the chunks) | {:.0} MB/s ({:.2} ms) |", mb / tp.as_secs_f64(), ms(tp));
    let cpu_rate = if rest_cpu.is_empty() { "n/a".to_string() } else { format!("{:.0} MB/s", mb / median(rest_cpu.clone()).as_secs_f64()) };
    println!("| `Restorer::push_into` | {:.0} MB/s wall ({:.2} ms), {} CPU; restored text {} bytes |", mb / tr.as_secs_f64(), ms(tr), cpu_rate, restored_len);
    println!("| added latency per chunk | mean {:.0} ns, median {} ns, p99 {} ns, max {} ns |", mean, pct(0.5), pct(0.99), lat[lat.len() - 1]);
    println!("| chunks ending with something held back | {} of {} ({:.1} %) |", held_chunks, chunks.len(), 100.0 * held_chunks as f64 / chunks.len() as f64);
}
