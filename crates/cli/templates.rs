//! `katib templates list|show|validate|copy|save|reset`: the last three are the template editor's
//! file operations (katib-workshop's `editor`), on the user's templates folder.

use std::path::Path;

use katib_core::run::Workbench;
use katib_core::templates;
use katib_workshop::{editor, WorkshopError};
use serde_json::json;

use crate::args::TemplatesCmd;
use crate::core_err;
use crate::output::{lang, note, print_json, Failure};

pub fn templates_cmd(c: TemplatesCmd) -> Result<(), Failure> {
    match c {
        TemplatesCmd::List { json, lang: l } => {
            let l = lang(&l)?;
            let wb = Workbench::load()?;
            if json {
                let all: Vec<_> = wb.catalog.all().iter().map(|t| wb.view(t, l, false)).collect();
                print_json(&all);
                return Ok(());
            }
            let mut current = None;
            for t in wb.catalog.all() {
                if current != Some(t.category) {
                    println!("{}", t.category.label(l));
                    current = Some(t.category);
                }
                let origin = if t.builtin { "" } else { "  [user]" };
                println!("  {:<18} {}{origin}", t.id, t.title.get(l));
            }
            Ok(())
        }
        TemplatesCmd::Show { id, json, lang: l } => {
            let l = lang(&l)?;
            let wb = Workbench::load()?;
            let t = wb.catalog.get(&id).map_err(|e| core_err!(e))?;
            if json {
                print_json(&wb.view(t, l, true));
                return Ok(());
            }
            println!("{} ({}, v{})\n{}\n", t.title.get(l), t.id, t.version, t.description.get(l));
            println!("category: {:?}  output: {:?}  export: {:?}  file: {}", t.category, t.output, t.export, t.path.display());
            println!("\nfields:");
            for f in &t.fields {
                let mut extra = String::new();
                if !f.options.is_empty() {
                    extra = format!(" [{}]", f.options.iter().map(|o| o.value()).collect::<Vec<_>>().join("|"));
                }
                if !f.accept.is_empty() {
                    extra = format!(" [{}]", f.accept.iter().map(|a| format!("{a:?}").to_lowercase()).collect::<Vec<_>>().join("|"));
                }
                if let Some(d) = f.default_text(t.output_language(&Default::default())) {
                    extra.push_str(&format!(" (default: {d})"));
                }
                let req = if f.required { "*" } else { " " };
                println!("  {req} {:<16} {:<9}{extra}  {}", f.name, format!("{:?}", f.kind).to_lowercase(), f.label.get(l));
            }
            println!("\n(* required)  Try it: katib run {} --sample --dry-run", t.id);
            Ok(())
        }
        TemplatesCmd::Validate { dir, json } => {
            let results = templates::validate_dir(&dir).map_err(|e| core_err!(e))?;
            let mut broken = 0;
            let mut report = Vec::new();
            for r in &results {
                match r {
                    Ok(t) => {
                        let unused = t.unused_fields();
                        if !json {
                            println!("ok    {} ({})", t.path.display(), t.id);
                            for u in &unused {
                                println!("      warning: field '{u}' is never used in the prompt");
                            }
                        }
                        report.push(json!({"path": t.path, "id": t.id, "ok": true, "unused_fields": unused}));
                    }
                    Err(e) => {
                        broken += 1;
                        if !json {
                            println!("error {e}");
                        }
                        report.push(json!({"ok": false, "code": e.code(), "message": e.to_string()}));
                    }
                }
            }
            if json {
                print_json(&report);
            } else {
                println!("{} template(s), {broken} broken", results.len());
            }
            if results.is_empty() {
                return Err(Failure { code: "template.none".into(), message: format!("no templates (*.md) in {}", dir.display()), exit: 3 });
            }
            if broken > 0 {
                return Err(Failure { code: "template.invalid".into(), message: format!("{broken} broken template(s) in {}", dir.display()), exit: 3 });
            }
            Ok(())
        }
        TemplatesCmd::Copy { id, new_id, json } => {
            let wb = crate::pack::workbench()?;
            let text = editor::duplicate(&wb, &id, &new_id)?;
            let path = editor::save(&wb, &text, false)?;
            if json {
                print_json(&json!({"id": new_id, "from": id, "path": path}));
            } else {
                println!("{new_id}: {}", path.display());
                note(&format!("edit it, then check it: katib templates validate {}", path.parent().unwrap_or(&path).display()), false);
            }
            Ok(())
        }
        TemplatesCmd::Save { file, force, json } => {
            let wb = crate::pack::workbench()?;
            let text = read_template(&file)?;
            let path = editor::save(&wb, &text, force).map_err(|e| match e {
                WorkshopError::Template { line, message, .. } => WorkshopError::Template { path: file.clone(), line, message },
                e => e,
            })?;
            let id = katib_core::templates::Template::parse(&text, &path).map(|t| t.id).unwrap_or_default();
            if json {
                print_json(&json!({"id": id, "path": path}));
            } else {
                println!("{id}: {}", path.display());
            }
            Ok(())
        }
        TemplatesCmd::Reset { id, json } => {
            let wb = crate::pack::workbench()?;
            let (removed, builtin) = editor::reset(&wb, &id)?;
            if json {
                print_json(&json!({"id": id, "removed": removed, "builtin": builtin}));
            } else {
                println!("removed {}", removed.display());
                if builtin {
                    note(&format!("the built-in template '{id}' is back"), false);
                }
            }
            Ok(())
        }
    }
}

/// A template file to save: read whole, with a size cap (a template is a few kilobytes).
fn read_template(file: &Path) -> Result<String, Failure> {
    const MAX: u64 = 1 << 20;
    let unreadable = |e: std::io::Error| Failure { code: "input.unreadable".into(), message: format!("cannot read {}: {e}", file.display()), exit: 4 };
    let n = std::fs::metadata(file).map_err(unreadable)?.len();
    if n > MAX {
        let message = format!("{}: {n} bytes, too large for a template (at most 1 MiB): is it the right file?", file.display());
        return Err(Failure { code: "input.too_large".into(), message, exit: 4 });
    }
    std::fs::read_to_string(file).map_err(unreadable)
}

