//! `katib exercise list|show|run|check`: a pack's exercises from the learner's side. `run`
//! prints the numbers Katib's number check flags (spreadsheet templates); `check` prints each
//! rubric check with its explanation and exits 11 when one fails.

use std::io::Write;

use katib_core::providers::CancellationToken;
use katib_core::run::Route;
use katib_core::Lang;
use katib_workshop::exercise::{self, ExerciseView};
use katib_workshop::pack::library::workbench_for;
use serde_json::json;

use crate::args::ExerciseCmd;
use crate::output::{lang, note, print_json, Failure};
use crate::pack::{open_pack, read_answer, seed};

pub fn exercise_cmd(c: ExerciseCmd) -> Result<(), Failure> {
    match c {
        ExerciseCmd::List { pack, json, lang: l } => {
            let l = lang(&l)?;
            let (_, opened) = open_pack(&pack)?;
            let list = exercise::list(&opened.pack);
            if json {
                print_json(&list);
                return Ok(());
            }
            println!("{} (v{})", opened.pack.manifest.title.get(l), opened.pack.manifest.version);
            let mut day = None;
            for e in &list {
                if e.day != day {
                    day = e.day;
                    if let Some(d) = day {
                        println!("\n{} {d}", if l == Lang::Ar { "اليوم" } else { "Jour" });
                    }
                }
                let team = if e.team { if l == Lang::Ar { "  [فريق]" } else { "  [équipe]" } } else { "" };
                println!("  {:>2}. {:<24} {}{team}  ({} variante(s), {} contrôle(s))", e.number, e.id, e.title.get(l), e.variants, e.checks);
            }
            Ok(())
        }
        ExerciseCmd::Show { pack, exercise: n, json, lang: l } => {
            let l = lang(&l)?;
            let (wb, opened) = open_pack(&pack)?;
            let ex = opened.pack.exercise(&n)?;
            let v = ExerciseView::of(&wb, &opened.pack, ex, l);
            if json {
                print_json(&v);
                return Ok(());
            }
            println!("{}. {}\n\n{}\n", v.number, v.title, v.instructions);
            println!("template: {} ({})   language: {}   saved answers: {}", v.template, v.template_title, v.language.code(), v.variants);
            for c in &v.checks {
                println!("  check {:<12} {}", c.id, c.explain);
            }
            for s in &v.self_check {
                println!("  [ ] {}. {}", s.id, s.text);
            }
            println!("\nRun it: katib exercise run --pack {} --exercise {} --out reponse.md", opened.pack.manifest.id, v.number);
            Ok(())
        }
        ExerciseCmd::Run { pack, exercise: n, profile, out, force, json } => {
            let (wb, opened) = open_pack(&pack)?;
            let ex = opened.pack.exercise(&n)?;
            if let Some(o) = &out {
                if o.exists() && !force {
                    return Err(katib_workshop::WorkshopError::Exists { path: o.clone() }.into());
                }
            }
            let w = workbench_for(&wb, &opened.pack);
            let learner = seed(&wb);
            let run = w.start(&exercise::job(ex, profile.as_deref(), &learner))?;
            if run.route == Route::Practice {
                match exercise::variant_for(&opened.pack, ex, &learner) {
                    Some(i) => note(&format!("practice mode: saved answer {} of {} for this exercise (chosen by your name{})", i + 1, ex.answers.len(), if learner.is_empty() { ": none set, see `katib review whoami`" } else { "" }), json),
                    None => note("practice mode: this answer comes from Katib's built-in samples", json),
                }
            }
            let conn = w.connect_run(&run)?;
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| Failure { code: "error".into(), message: e.to_string(), exit: 1 })?;
            let cancel = CancellationToken::new();
            let mut stdout = std::io::stdout();
            let mut sink = |piece: &str| {
                if !json {
                    let _ = stdout.write_all(piece.as_bytes());
                    let _ = stdout.flush();
                }
            };
            let answer = rt.block_on(run.stream(&conn, Vec::new(), &mut sink, &cancel)).map_err(|i| Failure::from(i.error))?;
            if !json && !answer.text.ends_with('\n') {
                println!();
            }
            // The number check, as `katib run` prints it: a figure Katib did not compute is the
            // learner's first thing to trace.
            for f in &answer.flags {
                note(&format!("line {}: « {} »: {}", f.line, f.text, f.message), json);
            }
            if let Some(o) = &out {
                katib_core::fsutil::write_atomic(o, (answer.text.trim().to_string() + "\n").as_bytes(), force)
                    .map_err(|e| Failure { code: "export.io".into(), message: format!("cannot write {}: {e}", o.display()), exit: 7 })?;
                if !json {
                    eprintln!("katib: saved {}: edit it, then `katib exercise check {} --pack {} --exercise {}`", o.display(), o.display(), pack, ex.number);
                }
            }
            if json {
                print_json(&json!({"exercise": ex.id, "route": format!("{:?}", run.route).to_lowercase(), "model": answer.model, "date": run.prepared.today, "text": answer.text, "flags": answer.flags, "out": out}));
            }
            Ok(())
        }
        ExerciseCmd::Check { answer, pack, exercise: n, self_check, json, lang: l } => {
            let l = lang(&l)?;
            let (wb, opened) = open_pack(&pack)?;
            let ex = opened.pack.exercise(&n)?;
            let text = read_answer(&answer)?;
            let r = exercise::check(&wb, &opened.pack, ex, &text, &self_check)?;
            if json {
                print_json(&r);
            } else {
                for c in &r.checks {
                    let mark = if c.ok { "ok  " } else { "FAIL" };
                    println!("{mark} {}: {}", c.title.get(l), c.detail.get(l));
                    if !c.ok {
                        println!("     {}", c.explain.get(l));
                    }
                }
                for s in &r.self_check {
                    println!("[{}] {}", if s.ticked { "x" } else { " " }, s.text.get(l));
                }
                println!("{}/{} checks passed ({} µs)", r.passed, r.total, r.micros);
            }
            if r.ok {
                Ok(())
            } else {
                Err(Failure { code: "rubric.failed".into(), message: format!("{} of {} rubric checks failed", r.total - r.passed, r.total), exit: 11 })
            }
        }
    }
}
