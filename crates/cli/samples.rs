//! `katib samples list`: the samples practice mode answers offline.

use anyhow::bail;
use katib_core::run::Workbench;
use serde_json::json;

use crate::args::SamplesCmd;
use crate::output::{lang, print_json, Failure};

pub fn samples_cmd(c: SamplesCmd) -> Result<(), Failure> {
    let SamplesCmd::List { json, lang: l } = c;
    let l = lang(&l)?;
    let wb = Workbench::load()?;
    if json {
        let list: Vec<_> = wb.samples.iter().map(|s| json!({
            "id": s.id, "template": s.template, "name": s.name,
            "title": s.title.as_ref().map(|t| t.get(l)),
            "values": s.values, "files": s.files,
        })).collect();
        print_json(&list);
        return Ok(());
    }
    for s in &wb.samples {
        let cmd = match &s.name {
            Some(n) => format!("katib run {} --sample {n}", s.template),
            None => format!("katib run {} --sample", s.template),
        };
        let title = s.title.as_ref().map(|t| t.get(l).to_string()).unwrap_or_default();
        println!("{:<40} {title}", cmd);
    }
    if wb.samples.is_empty() {
        bail_none()?;
    }
    Ok(())
}

fn bail_none() -> Result<(), Failure> {
    let e: anyhow::Result<()> = (|| bail!("no samples found"))();
    e.map_err(Failure::from)
}
