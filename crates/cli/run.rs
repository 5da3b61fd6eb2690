//! `katib run`: parse the inputs, then the core pipeline: check the outputs, start the run
//! (or print it with `--dry-run`), stream the answer to stdout, export it.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use katib_core::providers::CancellationToken;
use katib_core::run::{self, ExportOptions, Job};
use katib_core::samples;
use serde_json::json;

use crate::args::RunArgs;
use crate::output::{note, print_json, split_pair, Failure};

pub fn run_cmd(a: RunArgs) -> Result<(), Failure> {
    // With the packs joined: practice mode also replays their saved answers, the learner's
    // variant chosen by their name (`katib review whoami`).
    let wb = crate::pack::workbench()?;
    let mut job = Job { template: a.template.clone(), profile: a.profile.clone(), seed: crate::pack::seed(&wb), ..Default::default() };
    if let Some(name) = &a.sample {
        let name = Some(name.as_str()).filter(|n| !n.is_empty());
        job.inputs = run::Inputs::from_sample(samples::find(&wb.samples, &a.template, name)?);
    }
    for s in &a.sets {
        let (k, v) = split_pair(s, "--set")?;
        job.inputs.files.remove(&k);
        job.inputs.values.insert(k, v);
    }
    for s in &a.files {
        let (k, v) = split_pair(s, "--file")?;
        job.inputs.values.remove(&k);
        job.inputs.files.insert(k, PathBuf::from(v));
    }
    for m in &a.maps {
        let (role, column) = split_pair(m, "--map")?;
        job.inputs.mapping.insert(role, column);
    }
    if a.send_unmasked {
        job.unmasked = Some(confirm_unmasked(a.yes)?);
    }
    let tpl = wb.template(&job.template)?;
    // Check the export targets before spending a generation on them.
    let letterhead = wb.check_outputs(tpl, a.out.as_deref(), a.xlsx.as_deref(), a.letterhead.as_deref(), a.force)?;
    if let Some(x) = &a.annex {
        run::check_files(None, Some(x), a.force)?;
        if tpl.sheet.is_none() {
            return Err(Failure { code: "usage".into(), message: format!("--annex: template '{}' computes no figures from a sheet", tpl.id), exit: 2 });
        }
    }
    let run = wb.start(&job)?;
    if a.dry_run {
        let out = run.outgoing();
        if a.json {
            print_json(&out);
        } else {
            for m in &out.messages {
                println!("===== {:?} =====\n{}\n", m.role, m.content);
            }
            if !out.masked.is_empty() {
                println!("===== replaced before sending (kept on this computer) =====");
                for m in &out.masked {
                    println!("{}  {}  ({}; {} time(s), in {})", m.placeholder, m.original, m.kind, m.count, m.origins.join(", "));
                }
            }
        }
        return Ok(());
    }
    // The keychain is read here, before any async runtime exists.
    let conn = wb.connect_run(&run)?;
    if let Some(n) = &conn.notice {
        note(&n.message, a.json);
    }
    let stream_out = !a.json;
    let result = stream_to_stdout(&wb, &run, &conn, stream_out)?;
    if let Some(n) = &result.notice {
        note(n, a.json);
    }
    let run_id = result.run_id.clone();
    let answer = match result.result {
        Ok(answer) => answer,
        Err(stop) => {
            if stream_out {
                println!();
            }
            if let (false, Some(out)) = (stop.partial.is_empty(), &a.out) {
                let keep = run::partial_path(out);
                if katib_core::fsutil::write_atomic(&keep, stop.partial.as_bytes(), a.force).is_ok() {
                    note(&format!("the partial answer was saved to {}", keep.display()), a.json);
                }
            }
            return Err(stop.error.into());
        }
    };
    if stream_out && !answer.text.ends_with('\n') {
        println!();
    }
    for f in &answer.flags {
        note(&format!("line {}: « {} »: {}", f.line, f.text, f.message), a.json);
    }
    if let (Some(x), Some(p)) = (&a.annex, &run.figures) {
        let source = run.prepared.files.values().next().cloned().unwrap_or_default();
        run::write_annex(&source, p, x, run.prepared.language, &wb.limits())?;
        if !a.json {
            eprintln!("katib: saved {}", x.display());
        }
    }
    if let Some(r) = answer.restore.as_ref().filter(|r| !r.invented.is_empty()) {
        note(&format!("the answer holds placeholders that were never sent, left as written: {} (check those passages)", r.invented.join(", ")), a.json);
    }
    if answer.finish_reason.as_deref() == Some("length") {
        note("the answer reached the profile's max_tokens limit and may be cut short", a.json);
    }
    let mut resolved = run.prepared.resolved();
    let model = Some(answer.model.clone()).filter(|m| !m.is_empty());
    let opts = ExportOptions { model, today: run.prepared.today.clone(), no_prepared_with: a.no_prepared_with, toc: a.toc, run_id: run_id.clone(), audit: None };
    // A final letter with no N° gets the next number of the outgoing-mail register.
    let mut number = None;
    if a.r#final && a.out.is_some() {
        number = wb.number_if_missing(tpl, &mut resolved, run_id.as_deref())?;
    }
    for (path, lh) in a.out.iter().map(|o| (o, letterhead.as_deref())).chain(a.xlsx.iter().map(|x| (x, None))) {
        wb.export(tpl, &resolved, &answer.text, path, lh, &opts, a.force)?;
        if let Some(id) = &run_id {
            if let Err(e) = wb.record_export(id, &answer.text, path) {
                note(&format!("the export was not recorded in the history: {e}"), a.json);
            }
        }
        if !a.json {
            eprintln!("katib: saved {}", path.display());
        }
    }
    if let (Some(n), Some(out)) = (&number, &a.out) {
        wb.register_file(n, out)?;
        if !a.json {
            eprintln!("katib: registered as N° {n} in the outgoing-mail register");
        }
    }
    if a.json {
        print_json(&json!({
            "template": tpl.id,
            "profile": answer.profile,
            "model": answer.model,
            "language": run.prepared.language,
            "text": answer.text,
            "finish_reason": answer.finish_reason,
            "usage": answer.usage,
            "out": a.out,
            "xlsx": a.xlsx,
            "run": run_id,
            "number": number,
            "protection": run.protection,
            "masked": run.masked.len(),
            "restore": answer.restore,
            "flags": answer.flags,
        }));
    }
    Ok(())
}

/// The user's explicit confirmation that personal data may leave unmasked for this run: typed
/// at a prompt on a terminal, or `--yes` in a script.
fn confirm_unmasked(yes: bool) -> Result<run::Confirmation, Failure> {
    use std::io::IsTerminal;
    let by = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "?".into());
    if yes {
        return Ok(run::Confirmation { by });
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure { code: "usage".into(), message: "--send-unmasked needs a confirmation: add --yes, or run it in a terminal".into(), exit: 2 });
    }
    eprint!("katib: personal data will be sent UNMASKED to the endpoint for this run. Type OUI to confirm: ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the confirmation")?;
    if matches!(line.trim().to_uppercase().as_str(), "OUI" | "YES" | "نعم") {
        Ok(run::Confirmation { by })
    } else {
        Err(Failure { code: "cancelled".into(), message: "not confirmed: nothing was sent".into(), exit: 130 })
    }
}

/// Sends `run` over `conn`, the answer streamed to stdout as it comes when `show` (nothing
/// printed otherwise); Ctrl-C cancels the request at once. Shared by `katib run` and the draft
/// of `katib merge`.
pub fn stream_to_stdout(wb: &run::Workbench, run: &run::Run, conn: &run::Connection, show: bool) -> Result<run::Generated, Failure> {
    // One thread: a stream is one socket, and cross-thread wake-ups per chunk cost more than
    // they give (measured: 4x the system time of curl on a 100,000-token stream).
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().context("starting the async runtime")?;
    let cancel = CancellationToken::new();
    let mut stdout = std::io::stdout();
    let mut sink = |piece: &str| {
        if show {
            let _ = stdout.write_all(piece.as_bytes());
            let _ = stdout.flush();
        }
    };
    Ok(rt.block_on(async {
        let c = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                c.cancel();
            }
        });
        wb.generate(run, conn, Vec::new(), &mut sink, &cancel).await
    }))
}
