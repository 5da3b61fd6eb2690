//! `katib merge`: parse the arguments into a katib-merge request, show the plan (mapping, rows
//! left out, the first letters, the estimate), then either have the model write the draft
//! (`--draft-out`) or run the merge with a progress bar (indicatif, on a terminal) or one line
//! per row (otherwise), Ctrl-C stopping it cleanly. The rules live in katib-merge.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use katib_core::providers::CancellationToken;
use katib_merge::{samples, Event, Mode, Plan, Report, Request, Status};
use serde_json::json;

use crate::args::MergeArgs;
use crate::output::{note, print_json, split_pair, Failure};

impl From<katib_merge::MergeError> for Failure {
    fn from(e: katib_merge::MergeError) -> Failure {
        Failure { code: e.code().into(), message: e.to_string(), exit: e.exit_code().clamp(0, 255) as u8 }
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure { code: "usage".into(), message: message.into(), exit: 2 }
}

pub fn merge_cmd(a: MergeArgs) -> Result<(), Failure> {
    let mut wb = crate::pack::workbench()?;
    // Practice mode replays the merge samples' saved answers too.
    let (all, problems) = samples::attach(&mut wb);
    for p in problems {
        note(&format!("merge sample not replayable: {p}"), a.json);
    }
    let mode = Mode::parse(&a.mode).ok_or_else(|| usage(format!("--mode {}: use draft or per-row", a.mode)))?;
    let mut req = Request { template: a.template.clone(), mode, use_remembered: true, seed: crate::pack::seed(&wb), ..Default::default() };
    if let Some(name) = &a.sample {
        let s = samples::find(&all, &a.template, Some(name.as_str()).filter(|n| !n.is_empty()))?;
        let from = s.request()?;
        req.rows = from.rows;
        req.sheet = from.sheet;
        req.map = from.map;
        req.values = from.values;
        req.names = from.names;
        req.use_remembered = false;
    }
    if let Some(rows) = &a.rows {
        req.rows = rows.clone();
    }
    if req.rows.as_os_str().is_empty() {
        return Err(usage("--rows FILE is required (the sheet, one letter per row), or --sample NAME"));
    }
    req.sheet = a.sheet.clone().or(req.sheet);
    for m in &a.maps {
        let (k, v) = split_pair(m, "--map")?;
        req.map.insert(k, v);
    }
    for s in &a.sets {
        let (k, v) = split_pair(s, "--set")?;
        req.map.remove(&k);
        req.values.insert(k, v);
    }
    req.names = a.names.clone().or(req.names);
    req.profile = a.profile.clone();
    req.concurrency = a.concurrency;
    req.skip_incomplete = a.skip_incomplete;
    req.final_letters = a.r#final;
    req.letterhead = a.letterhead.clone();
    if let Some(p) = &a.draft {
        if mode != Mode::Draft {
            return Err(usage("--draft goes with --mode draft"));
        }
        let text = std::fs::read_to_string(p).with_context(|| format!("reading the draft {}", p.display()))?;
        req.draft = Some(katib_merge::DraftSource::new(text, p.clone()));
    }
    let merge = katib_merge::prepare(&wb, &req)?;
    if a.preview {
        if a.json {
            print_json(&json!({ "plan": merge.plan }));
        } else {
            show_plan(&merge.plan, true);
        }
        return Ok(());
    }
    if mode == Mode::Draft && merge.draft.is_none() {
        return match &a.draft_out {
            Some(out) => write_draft(&wb, &merge, out, &a),
            None => Err(katib_merge::MergeError::DraftNeeded.into()),
        };
    }
    let out_dir = a.out_dir.clone().ok_or_else(|| usage("--out-dir DIR is required: where the letters go"))?;
    if !a.json {
        show_plan(&merge.plan, false);
    } else {
        eprintln!("{}", json!({ "plan": merge.plan }));
    }
    if merge.plan.needs_confirmation && !a.yes {
        confirm_many(merge.plan.ready)?;
    }
    let wb = Arc::new(wb);
    let merge = Arc::new(merge);
    let opts = katib_merge::Options { out_dir, resume: a.resume, remember: a.sample.is_none() };
    // Requests wait on the network and letters are written on blocking threads; four workers
    // keep the history's small synchronous writes (SQLite, in each generation) from delaying
    // the other rows' answers.
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(4).enable_all().build().context("starting the async runtime")?;
    let cancel = CancellationToken::new();
    let mut progress = Progress::new(a.json, merge.plan.mode);
    let report = rt.block_on(async {
        let c = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                c.cancel();
            }
        });
        katib_merge::run(wb.clone(), merge.clone(), &opts, |ev| progress.event(ev), cancel.clone()).await
    });
    progress.finish();
    let report = report?;
    if a.json {
        print_json(&json!({ "report": report }));
    } else {
        show_report(&report);
    }
    if report.cancelled {
        return Err(Failure { code: "merge.cancelled".into(), message: katib_merge::MergeError::Cancelled.to_string(), exit: 130 });
    }
    if report.failed > 0 {
        return Err(Failure {
            code: "merge.rows_failed".into(),
            message: format!("{} of {} letters failed (see {}); --resume sends them again", report.failed, report.letters, report.tracking.display()),
            exit: 12,
        });
    }
    Ok(())
}

/// Has the model write the draft of `merge` to `out`, streaming it to stdout.
fn write_draft(wb: &katib_core::run::Workbench, merge: &katib_merge::Merge, out: &PathBuf, a: &MergeArgs) -> Result<(), Failure> {
    if out.exists() && !a.force {
        return Err(katib_core::Error::from(katib_core::error::ExportError::Exists { path: out.clone() }).into());
    }
    let run = merge.draft_run(wb)?;
    let conn = wb.connect_run(&run)?;
    if let Some(n) = &conn.notice {
        note(&n.message, a.json);
    }
    let stream_out = !a.json;
    let g = crate::run::stream_to_stdout(wb, &run, &conn, stream_out)?;
    if let Some(n) = &g.notice {
        note(n, a.json);
    }
    let answer = g.result.map_err(|stop| Failure::from(stop.error))?;
    if stream_out && !answer.text.ends_with('\n') {
        println!();
    }
    let saved = katib_merge::saved_text(&answer.text, g.run_id.as_deref());
    katib_core::fsutil::write_atomic(out, saved.as_bytes(), a.force).map_err(|e| Failure { code: "export.io".into(), message: format!("cannot write {}: {e}", out.display()), exit: 7 })?;
    // Merge fields the model made up are said now, not at the merge.
    let check = katib_merge::Draft::parse(&saved, &merge.fields, &merge.template, out);
    if let Err(e) = &check {
        note(&format!("check the draft: {e}"), a.json);
    }
    if a.json {
        print_json(&json!({ "draft": out, "run": g.run_id, "text": answer.text, "check": check.err().map(|e| json!({"code": e.code(), "message": e.to_string()})) }));
    } else {
        eprintln!("katib: draft written to {}: read it, correct it, then merge with --draft {} --out-dir DIR", out.display(), out.display());
    }
    Ok(())
}

/// More than 1,000 requests: typed confirmation on a terminal, `--yes` otherwise.
fn confirm_many(rows: usize) -> Result<(), Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(katib_merge::MergeError::ConfirmRows { rows, limit: katib_merge::CONFIRM_ABOVE }.into());
    }
    eprint!("katib: {rows} letters, one request each. Type OUI to send them: ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the confirmation")?;
    if matches!(line.trim().to_uppercase().as_str(), "OUI" | "YES" | "نعم") {
        Ok(())
    } else {
        Err(Failure { code: "cancelled".into(), message: "not confirmed: nothing was sent".into(), exit: 130 })
    }
}

fn show_plan(p: &Plan, full: bool) {
    eprintln!(
        "katib: {} letter(s) from '{}' of {} (header on row {}), template {}, {} mode",
        p.ready,
        p.sheet,
        p.file.display(),
        p.header_row,
        p.template,
        match p.mode {
            Mode::Draft => "draft",
            Mode::PerRow => "per-row",
        }
    );
    for f in p.fields.iter().filter(|f| f.source.is_some()) {
        let origin = match f.origin {
            Some(katib_merge::Origin::Explicit) => "given",
            Some(katib_merge::Origin::Remembered) => "remembered",
            _ => "guessed",
        };
        eprintln!("katib:   {} <- {} ({origin})", f.name, f.source.as_deref().unwrap_or("").replace('\n', "\\n"));
    }
    for w in &p.warnings {
        eprintln!("katib: note: {w}");
    }
    if !p.incomplete.is_empty() {
        eprintln!("katib: {} row(s) left out (incomplete):", p.incomplete.len());
        for r in &p.incomplete {
            eprintln!("katib:   row {}: {}", r.row, r.problems.join("; "));
        }
    }
    if let Some(e) = &p.estimate {
        eprintln!(
            "katib: estimate: {} requests, about {} prompt and {} answer tokens, about {} at {} at once ({:.1} s a request, {})",
            e.requests,
            e.prompt_tokens,
            e.answer_tokens,
            duration(e.seconds),
            e.concurrency,
            e.seconds_per_request,
            e.pace_from
        );
    }
    eprintln!(
        "katib: sent to: {}{}",
        p.route.profile.as_deref().unwrap_or(p.route.kind),
        if p.route.pseudonymised { " (personal data pseudonymised, row by row)" } else { "" }
    );
    if full {
        for pv in &p.preview {
            if pv.row > 0 {
                println!("===== row {} -> {} =====", pv.row, pv.file);
            } else {
                println!("===== the draft request =====");
            }
            for m in &pv.messages {
                println!("----- {:?} -----\n{}", m.role, m.content);
            }
            if let Some(a) = &pv.answer {
                println!("----- letter -----\n{a}");
            }
        }
    }
}

fn duration(secs: f64) -> String {
    let s = secs.round() as u64;
    if s >= 3600 {
        format!("{} h {:02} min", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{} min {:02} s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

fn show_report(r: &Report) {
    eprintln!(
        "katib: {} of {} letter(s) written in {} ({} now), {} failed, {} left out, {} pending, in {:.1} s",
        r.done,
        r.letters,
        r.out_dir.display(),
        r.done_now,
        r.failed,
        r.skipped,
        r.pending,
        r.elapsed_ms as f64 / 1000.0
    );
    if let Some(c) = &r.combined {
        eprintln!("katib: all the letters, for printing: {}", c.display());
    }
    eprintln!("katib: tracking: {}", r.tracking.display());
    for f in &r.failures {
        if let Some(e) = &f.error {
            eprintln!("katib: row {} failed: {}", f.row, e.message);
        }
    }
    if r.pending > 0 {
        eprintln!("katib: {} row(s) not done: add --resume to finish", r.pending);
    }
}

/// A progress bar on a terminal; one line per row otherwise; JSON lines with --json.
struct Progress {
    json: bool,
    bar: Option<indicatif::ProgressBar>,
    mode: Mode,
}

impl Progress {
    fn new(json: bool, mode: Mode) -> Progress {
        Progress { json, bar: None, mode }
    }

    fn event(&mut self, ev: &Event) {
        if self.json {
            eprintln!("{}", serde_json::to_string(ev).unwrap_or_default());
            return;
        }
        match ev {
            Event::Started { total, pending, done_before, .. } => {
                if *done_before > 0 {
                    eprintln!("katib: resuming: {done_before} of {total} letters already written, {pending} to do");
                }
                if std::io::stderr().is_terminal() {
                    let bar = indicatif::ProgressBar::new(*pending as u64);
                    let style = indicatif::ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} letters  {per_sec}  {eta} left  {msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                        .progress_chars("=> ");
                    bar.set_style(style);
                    bar.enable_steady_tick(std::time::Duration::from_millis(200));
                    self.bar = Some(bar);
                }
            }
            Event::Row(r) => {
                let line = match r.status {
                    Status::Done => format!("katib: row {}: {}{}", r.row, r.file.as_deref().unwrap_or(""), r.number.as_ref().map(|n| format!(" (N° {n})")).unwrap_or_default()),
                    Status::Failed => format!("katib: row {} failed: {}", r.row, r.error.as_ref().map(|e| e.message.as_str()).unwrap_or("")),
                    _ => format!("katib: row {}: {:?}", r.row, r.status),
                };
                match &self.bar {
                    Some(b) => {
                        b.inc(1);
                        if r.status != Status::Done || r.note.is_some() {
                            b.println(line);
                        }
                    }
                    // A draft-mode merge of thousands of rows: a line per row is what a log wants.
                    None => eprintln!("{line}"),
                }
                if let Some(n) = &r.note {
                    eprintln!("katib: note: row {}: {n}", r.row);
                }
            }
            Event::Waiting { row, attempt } => {
                let msg = format!("the endpoint asks to slow down (429): the batch waits, row {row} sent again (attempt {})", attempt + 1);
                match &self.bar {
                    Some(b) => b.set_message(msg),
                    None => eprintln!("katib: {msg}"),
                }
            }
            Event::Writing { file } => {
                if let Some(b) = &self.bar {
                    b.set_message(format!("writing {file}"));
                }
            }
        }
        let _ = self.mode;
    }

    fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}
