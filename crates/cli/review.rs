//! `katib review whoami|submit|open|write|import|list|results`: peer review between learners,
//! and the trainer's results workbook.

use katib_core::run::Workbench;
use katib_core::Lang;
use katib_workshop::review::{self, results};
use serde_json::json;

use crate::args::ReviewCmd;
use crate::output::{lang, print_json, Failure};
use crate::pack::{open_pack, read_answer};

pub fn review_cmd(c: ReviewCmd) -> Result<(), Failure> {
    match c {
        ReviewCmd::Whoami { set, team, json } => {
            let paths = katib_core::config::Paths::from_env().map_err(katib_core::Error::from)?;
            let me = match set {
                Some(name) => Some(review::set_learner(&paths, &name, team.as_deref())?),
                None if team.is_some() => return Err(Failure { code: "usage".into(), message: "--team goes with --set NAME".into(), exit: 2 }),
                None => review::whoami(&paths)?,
            };
            if json {
                print_json(&json!({"learner": me, "file": review::learner_file(&paths)}));
                return Ok(());
            }
            match me {
                Some(l) => println!("{}{}", l.name, l.team.map(|t| format!(" ({t})")).unwrap_or_default()),
                None => return Err(katib_workshop::WorkshopError::NoLearner.into()),
            }
            Ok(())
        }
        ReviewCmd::Submit { pack, exercise, answer, original, self_check, out, force, json } => {
            let (wb, opened) = open_pack(&pack)?;
            let me = review::require_learner(&wb.paths)?;
            let ex = opened.pack.exercise(&exercise)?;
            let text = read_answer(&answer)?;
            let original = original.map(|p| read_answer(&p)).transpose()?;
            let sub = review::submit(&wb, &opened.pack, ex, &me, &text, original, &self_check, &out, force)?;
            if json {
                print_json(&json!({"id": sub.id, "out": out, "rubric": {"passed": sub.rubric.passed, "total": sub.rubric.total}, "edits": sub.edits.len()}));
            } else {
                println!("{} -> {} ({}/{} checks passed, {} edit(s)): give it to a peer", sub.id, out.display(), sub.rubric.passed, sub.rubric.total, sub.edits.len());
            }
            Ok(())
        }
        ReviewCmd::Open { submission, json, lang: l } => {
            let l = lang(&l)?;
            let wb = crate::pack::workbench()?;
            let o = review::open_submission(&wb, &submission)?;
            if json {
                print_json(&o);
                return Ok(());
            }
            let s = &o.submission;
            println!("{}{} — {} {}. {}", s.learner.name, s.learner.team.as_ref().map(|t| format!(" ({t})")).unwrap_or_default(), s.pack.id, s.exercise.number, s.exercise.title.get(l));
            if let Some(i) = &o.instructions {
                println!("\n{}\n", i.get(l).trim());
            }
            println!("----- {} -----\n{}\n", if l == Lang::Ar { "الجواب" } else { "Réponse" }, s.answer.trim());
            for e in &s.edits {
                println!("edit at line {}: -{:?} +{:?}", e.line, e.removed, e.added);
            }
            let rubric = o.recheck.as_ref().unwrap_or(&s.rubric);
            for c in &rubric.checks {
                println!("{} {}: {}", if c.ok { "ok  " } else { "FAIL" }, c.title.get(l), c.detail.get(l));
            }
            for c in &s.self_check {
                println!("[{}] {}. {}", if c.ticked { "x" } else { " " }, c.id, c.text.get(l));
            }
            if o.consistent == Some(false) {
                println!("warning: the rubric run here differs from the results in the file");
            }
            println!("\nReview it: katib review write {} --score N --comment \"...\" --out avis.katib-avis", submission.display());
            Ok(())
        }
        ReviewCmd::Write { submission, score, comment, self_check, out, force, json } => {
            let wb = crate::pack::workbench()?;
            let me = review::require_learner(&wb.paths)?;
            let r = review::write_review(&wb, &submission, &me, score, &comment, &self_check, &out, force)?;
            if json {
                print_json(&json!({"id": r.id, "out": out, "author": r.author, "score": r.score, "scale": r.scale}));
            } else {
                println!("review {} of {}'s work -> {}: give it back to {}", r.id, r.author.name, out.display(), r.author.name);
            }
            Ok(())
        }
        ReviewCmd::Import { review: path, json } => {
            let wb = Workbench::load()?;
            let (r, sub) = review::import_review(&wb, &path)?;
            if json {
                print_json(&json!({"review": r, "submission": sub.id}));
            } else {
                println!("{} reviewed exercise {} ({}): {}/{}\n{}", r.reviewer.name, r.exercise.number, r.exercise.id, r.score, r.scale, r.comment);
            }
            Ok(())
        }
        ReviewCmd::List { json } => {
            let wb = Workbench::load()?;
            let all = review::received(&wb)?;
            if json {
                print_json(&all);
                return Ok(());
            }
            for r in &all {
                println!("{}  {} {}  {}/{}  {}: {}", r.created, r.pack.id, r.exercise.number, r.score, r.scale, r.reviewer.name, r.comment);
            }
            if all.is_empty() {
                println!("no review received yet");
            }
            Ok(())
        }
        ReviewCmd::Results { dir, out, lang: l, force, json } => {
            let l = lang(&l)?;
            let res = results::gather(&dir)?;
            results::write_xlsx(&res, &out, l, force)?;
            if json {
                print_json(&res);
            } else {
                println!("{} learner(s), {} submission(s), {} review(s) -> {}", res.learners.len(), res.rows.len(), res.reviews.len(), out.display());
                for (p, why) in &res.skipped {
                    eprintln!("katib: note: skipped {}: {why}", p.display());
                }
            }
            Ok(())
        }
    }
}
