//! `katib history ...` and `katib register ...`: the local record of runs (what was sent where,
//! the answers, edits, exports, approvals, the audit sheet) and the outgoing-mail register.

use katib_core::run::Workbench;
use katib_history::{Filter, RegisterFilter, Status};
use serde_json::json;

use crate::args::{HistoryCmd, RegisterCmd};
use crate::output::{lang, print_json, Failure};

fn usage(message: String) -> Failure {
    Failure { code: "usage".into(), message, exit: 2 }
}

/// A day as the start (or, with `end`, the end) of a filter, in UTC.
fn day(s: &str, end: bool) -> Result<chrono::DateTime<chrono::Utc>, Failure> {
    let iso = katib_core::run::normalize_date(s).ok_or_else(|| usage(format!("'{s}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)")))?;
    let d = chrono::NaiveDate::parse_from_str(&iso, "%Y-%m-%d").map_err(|e| usage(e.to_string()))?;
    let t = if end { d.and_hms_opt(23, 59, 59) } else { d.and_hms_opt(0, 0, 0) };
    Ok(t.ok_or_else(|| usage(format!("'{s}'")))?.and_utc())
}

fn filter(template: Option<String>, status: Option<String>, from: Option<String>, to: Option<String>, limit: u32) -> Result<Filter, Failure> {
    let status = match status.as_deref() {
        None => None,
        Some("done") => Some(Status::Done),
        Some("partial") => Some(Status::Partial),
        Some("cancelled") => Some(Status::Cancelled),
        Some("failed") => Some(Status::Failed),
        Some("running") => Some(Status::Running),
        Some(other) => return Err(usage(format!("--status '{other}': use done, partial, cancelled, failed or running"))),
    };
    Ok(Filter {
        template,
        status,
        from: from.as_deref().map(|d| day(d, false)).transpose()?,
        to: to.as_deref().map(|d| day(d, true)).transpose()?,
        limit: Some(limit),
        ..Default::default()
    })
}

fn line(r: &katib_history::RunSummary) -> String {
    format!(
        "{}  {}  {:<9} {:<18} {:<10} {}",
        r.id,
        r.started_at.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M"),
        r.status.as_str(),
        r.template_id,
        r.profile,
        r.objet.as_deref().unwrap_or("")
    )
}

pub fn history_cmd(c: HistoryCmd) -> Result<(), Failure> {
    let wb = Workbench::load()?;
    let h = wb.history()?;
    match c {
        HistoryCmd::List { template, status, from, to, limit, json } => {
            let runs = h.list(&filter(template, status, from, to, limit)?)?;
            if json {
                print_json(&runs);
            } else {
                runs.iter().for_each(|r| println!("{}", line(r)));
            }
        }
        HistoryCmd::Search { query, template, status, from, to, limit, json } => {
            let hits = h.search(&query, &filter(template, status, from, to, limit)?)?;
            if json {
                print_json(&hits);
            } else {
                for hit in &hits {
                    let snippet: String = hit.snippet.iter().map(|p| if p.hit { format!("[{}]", p.text) } else { p.text.clone() }).collect();
                    println!("{}\n    {}: {}", line(&hit.run), hit.source, snippet.replace('\n', " "));
                }
            }
        }
        HistoryCmd::Show { run, json } => {
            let r = h.get(&run)?;
            if json {
                print_json(&r);
                return Ok(());
            }
            let s = &r.summary;
            println!("{}", line(s));
            println!("template {} v{} ({}), model {}, data class {}", s.template_id, s.template_version, &s.template_hash[..s.template_hash.len().min(12)], s.model, s.data_class.as_str());
            if let Some(o) = &s.pseudonymisation_override {
                println!("UNMASKED: {} (confirmed by {}, {})", o.what, o.confirmed_by, o.at.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M"));
            }
            match &r.texts {
                None => println!("(no texts: the history was off, or the run was deleted)"),
                Some(t) => {
                    for m in &t.messages {
                        println!("===== sent: {} =====\n{}\n", m.role, m.content);
                    }
                    if !t.replacements.is_empty() {
                        println!("===== replaced before sending (kept on this computer) =====");
                        t.replacements.iter().for_each(|x| println!("{}  {}  ({})", x.placeholder, x.original, x.kind));
                        println!();
                    }
                    println!("===== answer{} =====\n{}", if t.edited.is_some() { " (edited)" } else { "" }, t.edited.as_deref().unwrap_or(&t.answer));
                }
            }
            for e in &r.exports {
                println!("exported {} {}", e.at.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M"), e.path);
            }
            for a in &r.approvals {
                println!("relu et validé par {} ({}), le {}", a.name, a.function, a.at.with_timezone(&chrono::Local).format("%d/%m/%Y"));
            }
            for n in &r.register_numbers {
                println!("register N° {n}");
            }
        }
        HistoryCmd::Export { run, out, audit, force } => {
            wb.export_run(&run, &out, audit, force)?;
            eprintln!("katib: saved {}", out.display());
        }
        HistoryCmd::Delete { run } => {
            h.delete(&run)?;
            eprintln!("katib: the texts of {run} were deleted (its audit row stays)");
        }
        HistoryCmd::Purge { days } => {
            let days = match (wb.policy.history_retention_days, days, wb.history_retention()) {
                (Some(p), Some(d), _) if d != p => return Err(katib_core::Error::from(katib_core::config::ConfigError::Policy { path: wb.policy.path.clone().unwrap_or_default(), what: format!("the retention is set to {p} days") }).into()),
                (_, Some(d), _) => d,
                (_, None, Some(r)) => r,
                (_, None, None) => return Err(usage("no retention set: give --days N, or set [history] retention_days in config.toml".into())),
            };
            let r = h.purge(days)?;
            println!("{}", serde_json::to_string(&json!(r)).unwrap_or_default());
        }
        HistoryCmd::Audit { run, out, lang: l, force } => {
            let l = l.as_deref().map(lang).transpose()?;
            let written = wb.write_audit_sheet(&run, &out, l, force)?;
            eprintln!("katib: saved {} (audit sheet of {run}, {})", out.display(), written.code());
        }
        HistoryCmd::Approve { run, by, function } => {
            let a = h.approve(&run, &by, &function)?;
            eprintln!("katib: {run} relu et validé par {} ({}), le {}", a.name, a.function, a.at.with_timezone(&chrono::Local).format("%d/%m/%Y"));
        }
    }
    Ok(())
}

pub fn register_cmd(c: RegisterCmd) -> Result<(), Failure> {
    let wb = Workbench::load()?;
    let h = wb.history()?;
    match c {
        RegisterCmd::List { year, json } => {
            let entries = h.register(&RegisterFilter { year, service: None })?;
            if json {
                print_json(&entries);
            } else {
                for e in &entries {
                    println!("{:<16} {}  {:<40} {}  {}", e.number, e.date.format("%d/%m/%Y"), e.addressee.lines().next().unwrap_or(""), e.object, e.file);
                }
            }
        }
        RegisterCmd::Export { out, year, lang: l, force } => {
            let l = lang(&l)?;
            h.export_register_xlsx(&out, &RegisterFilter { year, service: None }, l.code(), force)?;
            eprintln!("katib: saved {}", out.display());
        }
    }
    Ok(())
}
