//! `katib pack new|validate|export|import|list|record|remove` over katib-workshop, and the
//! workbench every command uses: Katib's own, with the packs' templates and saved answers
//! joined (so practice mode replays them, `katib run` included).

use std::path::Path;

use katib_core::providers::CancellationToken;
use katib_core::run::Workbench;
use katib_core::Lang;
use katib_workshop::pack::{library, load, record, scaffold};
use katib_workshop::WorkshopError;
use serde_json::json;

use crate::args::PackCmd;
use crate::output::{lang, note, print_json, Failure};

impl From<WorkshopError> for Failure {
    fn from(e: WorkshopError) -> Failure {
        Failure { code: e.code().into(), message: e.to_string(), exit: e.exit_code() }
    }
}

/// Katib's workbench with every available pack joined (its templates, its saved answers).
pub fn workbench() -> Result<Workbench, Failure> {
    let mut wb = Workbench::load()?;
    library::attach(&mut wb);
    Ok(wb)
}

/// The learner's name on this computer, or "" (the first variant).
pub fn seed(wb: &Workbench) -> String {
    katib_workshop::review::whoami(&wb.paths).ok().flatten().map(|l| l.name).unwrap_or_default()
}

fn loc(l: &katib_core::Localized, g: Lang) -> &str {
    l.get(g)
}

pub fn pack_cmd(c: PackCmd) -> Result<(), Failure> {
    match c {
        PackCmd::New { dir, id } => {
            let id = id.unwrap_or_else(|| {
                let name = dir.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
                name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect::<String>().trim_matches('-').to_string()
            });
            let files = scaffold::scaffold(&dir, &id)?;
            for f in &files {
                println!("{}", f.display());
            }
            eprintln!("katib: a starter pack '{id}' is in {}. Edit it, then `katib pack validate {}`.", dir.display(), dir.display());
            Ok(())
        }
        PackCmd::Validate { path, json } => {
            let wb = Workbench::load()?;
            let (pack, report) = library::validate(&wb, &path);
            if json {
                print_json(&json!({
                    "ok": report.errors.is_empty(),
                    "id": pack.as_ref().map(|p| &p.manifest.id),
                    "exercises": pack.as_ref().map(|p| p.exercises.len()),
                    "errors": report.errors.iter().map(|e| json!({
                        "code": e.code(), "message": e.to_string(),
                        "file": e.location().map(|l| l.0), "line": e.location().map(|l| l.1),
                    })).collect::<Vec<_>>(),
                    "warnings": report.warnings,
                }));
            } else {
                for e in &report.errors {
                    println!("error   {e}");
                }
                for w in &report.warnings {
                    println!("warning {w}");
                }
                if let Some(p) = &pack {
                    let answers: usize = p.exercises.iter().map(|e| e.answers.len()).sum();
                    println!("{} ({}, v{}): {} exercise(s) loaded, {answers} saved answer(s), {} error(s), {} warning(s)", p.manifest.title.fr, p.manifest.id, p.manifest.version, p.exercises.len(), report.errors.len(), report.warnings.len());
                }
            }
            match report.errors.len() {
                0 => Ok(()),
                n => Err(Failure { code: report.errors[0].code().into(), message: format!("{n} error(s) in {}: the first: {}", path.display(), report.errors[0]), exit: 10 }),
            }
        }
        PackCmd::Export { dir, out, force, json } => {
            let wb = Workbench::load()?;
            let r = library::export(&wb, &dir, &out, force)?;
            if json {
                print_json(&r);
            } else {
                for w in &r.warnings {
                    note(&w.to_string(), false);
                }
                println!("{}: {} file(s), {} bytes -> {}", r.id, r.files, r.bytes, r.out.display());
            }
            Ok(())
        }
        PackCmd::Import { source, replace, json } => {
            let wb = Workbench::load()?;
            let r = library::import(&wb, &source, replace)?;
            if json {
                print_json(&r);
                return Ok(());
            }
            println!("imported {} ({}, v{}): {} exercise(s) in {}", r.title.fr, r.id, r.version, r.exercises, r.path.display());
            if let Some(v) = &r.replaced_pack {
                println!("  replaced the earlier import (v{v})");
            }
            for p in &r.templates_installed {
                println!("  template added: {}", p.display());
            }
            for p in &r.templates_replaced {
                println!("  template replaced (--replace): {}", p.display());
            }
            for w in &r.warnings {
                note(&w.to_string(), false);
            }
            Ok(())
        }
        PackCmd::List { json, lang: l } => {
            let l = lang(&l)?;
            let wb = Workbench::load()?;
            let (packs, warnings) = library::all(&wb);
            let infos: Vec<library::PackInfo> = packs.iter().map(library::PackInfo::of).collect();
            if json {
                print_json(&json!({"packs": infos, "warnings": warnings}));
                return Ok(());
            }
            for p in &infos {
                println!("{:<16} {:<9} v{:<6} {:>2} exercise(s)  {}", p.id, format!("{:?}", p.origin).to_lowercase(), p.version, p.exercises, loc(&p.title, l));
            }
            if infos.is_empty() {
                println!("no pack: import one with `katib pack import FILE.katib`");
            }
            for w in &warnings {
                note(&w.to_string(), false);
            }
            Ok(())
        }
        PackCmd::Record { pack, profile, variants, exercise, json } => {
            let wb = Workbench::load()?;
            if !pack.is_dir() {
                return Err(Failure { code: "usage".into(), message: format!("{}: record into a pack FOLDER (export it afterwards)", pack.display()), exit: 2 });
            }
            let (p, _) = load::open(&pack, &wb, katib_workshop::pack::Origin::Folder, load::Mode::Strict)?;
            // The keychain is read here, before any async runtime exists.
            let prof = wb.profiles.get(&profile).map_err(|e| Failure::from(katib_core::Error::from(e)))?.clone();
            let found = katib_core::secrets::find_key(&prof.name);
            if let Some(n) = &found.notice {
                note(&n.message, json);
            }
            let opts = record::RecordOptions { profile, variants, exercise };
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| Failure { code: "error".into(), message: e.to_string(), exit: 1 })?;
            let cancel = CancellationToken::new();
            let mut progress = |r: &record::Recorded| {
                if !json {
                    eprintln!("katib: {} -> {} ({} words{})", r.exercise, r.file.display(), r.words, if r.truncated { ", cut at max_tokens: read it" } else { "" });
                }
            };
            let done = rt.block_on(async {
                let c = cancel.clone();
                tokio::spawn(async move {
                    if tokio::signal::ctrl_c().await.is_ok() {
                        c.cancel();
                    }
                });
                record::record(&wb, &p, &opts, found.key, &cancel, &mut progress).await
            })?;
            if json {
                print_json(&done);
            } else {
                println!("{} answer(s) recorded in {}: check them, then `katib pack validate {}`", done.len(), pack.display(), pack.display());
            }
            Ok(())
        }
        PackCmd::Remove { id } => {
            let wb = Workbench::load()?;
            let dir = library::remove(&wb, &id)?;
            println!("removed {}", dir.display());
            Ok(())
        }
    }
}

/// The pack named on the command line, with the workbench to run it.
pub fn open_pack(name: &str) -> Result<(Workbench, library::Opened), Failure> {
    let wb = Workbench::load()?;
    let opened = library::open(&wb, name)?;
    Ok((wb, opened))
}

pub fn read_answer(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure { code: "input.unreadable".into(), message: format!("cannot read {}: {e}", path.display()), exit: 4 })
}
