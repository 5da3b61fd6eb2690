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
    let tpl = wb.template(&job.template)?;
    // Check the export targets before spending a generation on them.
    let letterhead = wb.check_outputs(tpl, a.out.as_deref(), a.xlsx.as_deref(), a.letterhead.as_deref(), a.force)?;
    let run = wb.start(&job)?;
    if a.dry_run {
        let messages = &run.request.messages;
        if a.json {
            print_json(&json!({"template": tpl.id, "language": run.prepared.language, "route": format!("{:?}", run.route).to_lowercase(), "messages": messages}));
        } else {
            for m in messages {
                println!("===== {:?} =====\n{}\n", m.role, m.content);
            }
        }
        return Ok(());
    }
    // The keychain is read here, before any async runtime exists.
    let conn = wb.connect_run(&run)?;
    if let Some(n) = &conn.notice {
        note(&n.message, a.json);
    }
    // One thread: a stream is one socket, and cross-thread wake-ups per chunk cost more than
    // they give (measured: 4x the system time of curl on a 100,000-token stream).
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().context("starting the async runtime")?;
    let cancel = CancellationToken::new();
    let stream_out = !a.json;
    let mut stdout = std::io::stdout();
    let mut sink = |piece: &str| {
        if stream_out {
            let _ = stdout.write_all(piece.as_bytes());
            let _ = stdout.flush();
        }
    };
    let result = rt.block_on(async {
        let c = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                c.cancel();
            }
        });
        run.stream(&conn, Vec::new(), &mut sink, &cancel).await
    });
    let answer = match result {
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
    if answer.finish_reason.as_deref() == Some("length") {
        note("the answer reached the profile's max_tokens limit and may be cut short", a.json);
    }
    let resolved = run.prepared.resolved();
    let model = Some(answer.model.clone()).filter(|m| !m.is_empty());
    let opts = ExportOptions { model, today: run.prepared.today.clone(), no_prepared_with: a.no_prepared_with, toc: a.toc };
    for (path, lh) in a.out.iter().map(|o| (o, letterhead.as_deref())).chain(a.xlsx.iter().map(|x| (x, None))) {
        wb.export(tpl, &resolved, &answer.text, path, lh, &opts, a.force)?;
        if !a.json {
            eprintln!("katib: saved {}", path.display());
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
        }));
    }
    Ok(())
}
