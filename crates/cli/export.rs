//! `katib export ANSWER.md --out FILE`: an (edited) Markdown answer to a document.

use anyhow::Context;
use katib_core::{export, run, OutputKind};

use crate::args::ExportArgs;
use crate::core_err;
use crate::output::{lang, Failure};

pub fn export_cmd(a: ExportArgs) -> Result<(), Failure> {
    let l = lang(&a.lang)?;
    run::check_files(Some(&a.out), a.xlsx.as_deref(), a.force)?;
    let md = std::fs::read_to_string(&a.input).with_context(|| format!("cannot read {}", a.input.display()))?;
    let doc = export::ExportDoc { title: a.title, toc: a.toc, ..export::ExportDoc::new(&md, l, OutputKind::Report) };
    export::write(&a.out, &doc, a.force).map_err(|e| core_err!(e))?;
    if let Some(x) = &a.xlsx {
        export::write(x, &doc, a.force).map_err(|e| core_err!(e))?;
    }
    Ok(())
}
