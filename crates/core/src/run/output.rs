//! Writing a run's answer: what is checked before a generation is spent (formats, files that
//! would be replaced, the Word letterhead, the logo), which letterhead an export fills, file
//! names, and the write itself. The same rules for the CLI and the window.

use std::path::{Path, PathBuf};

use super::frame::{export_doc, ExportOptions};
use super::prepare::Resolved;
use super::workbench::Workbench;
use crate::export::{self, ExportError, Format};
use crate::templates::Template;
use crate::Result;

impl Workbench {
    /// Which Word letterhead an export of `tpl` to `path` fills: the one given, else the
    /// settings' one for a framed document written to .docx. `None`: Katib lays it out itself.
    pub fn letterhead_for(&self, tpl: &Template, given: Option<&Path>, path: &Path) -> Option<PathBuf> {
        let docx = export::format_of(path).ok() == Some(Format::Docx);
        given
            .map(Path::to_path_buf)
            .or_else(|| self.settings.letterhead.docx.clone().filter(|_| tpl.output.is_framed() && docx))
    }

    /// Checks the export targets of a run of `tpl` before anything is sent: known formats
    /// (`xlsx` must be a .xlsx), files that exist and may not be replaced, the Word letterhead
    /// (only with a .docx `out`, readable, with its `{{corps}}`), the logo of a framed .docx.
    /// Returns the letterhead the export of `out` will fill.
    pub fn check_outputs(
        &self,
        tpl: &Template,
        out: Option<&Path>,
        xlsx: Option<&Path>,
        letterhead: Option<&Path>,
        overwrite: bool,
    ) -> Result<Option<PathBuf>> {
        check_files(out, xlsx, overwrite)?;
        let lh = match out {
            Some(o) => self.letterhead_for(tpl, letterhead, o),
            None => letterhead.map(Path::to_path_buf),
        };
        let docx_out = out.is_some_and(|o| export::format_of(o).ok() == Some(Format::Docx));
        if let Some(lh) = &lh {
            if !docx_out {
                return Err(ExportError::Letterhead { path: lh.clone(), reason: "a Word letterhead is filled into a .docx: the output must be a .docx file".into() }.into());
            }
            if !lh.is_file() {
                return Err(ExportError::Letterhead { path: lh.clone(), reason: "no such file".into() }.into());
            }
            export::check_letterhead(lh)?;
        } else if docx_out && tpl.output.is_framed() {
            // A document laid out by Katib carries the settings' logo: a bad one fails now, not
            // after the answer.
            if let Some(logo) = &self.settings.letterhead.logo {
                export::check_logo(logo)?;
            }
        }
        Ok(lh)
    }

    /// Writes `answer` (Markdown) for a resolved run of `tpl` to `path`, in the format its
    /// extension names, into `letterhead` when given.
    #[allow(clippy::too_many_arguments)] // each is a distinct choice the front ends make
    pub fn export(
        &self,
        tpl: &Template,
        resolved: &Resolved,
        answer: &str,
        path: &Path,
        letterhead: Option<&Path>,
        opts: &ExportOptions,
        overwrite: bool,
    ) -> Result<()> {
        let doc = export_doc(tpl, resolved, answer, &self.settings, opts);
        Ok(export::write_into(path, &doc, letterhead, overwrite)?)
    }
}

/// Checks export files before anything is done: known formats (`xlsx` must be a .xlsx), and
/// files that exist and may not be replaced.
pub fn check_files(out: Option<&Path>, xlsx: Option<&Path>, overwrite: bool) -> Result<()> {
    if let Some(x) = xlsx {
        if export::format_of(x)? != Format::Xlsx {
            return Err(ExportError::NotXlsx { path: x.into() }.into());
        }
    }
    for p in out.into_iter().chain(xlsx) {
        export::format_of(p)?;
        if p.exists() && !overwrite {
            return Err(ExportError::Exists { path: p.into() }.into());
        }
    }
    Ok(())
}

/// The default file name of an export: `reponse-citoyen-2026-11-30.docx`.
pub fn file_name(tpl: &Template, ext: &str, day: &str) -> String {
    format!("{}-{day}.{ext}", tpl.id)
}

/// `name.docx` if free, else `name (2).docx`, `name (3).docx`...
pub fn unique(path: PathBuf) -> PathBuf {
    if !path.exists() {
        return path;
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let ext = path.extension().map(|s| format!(".{}", s.to_string_lossy())).unwrap_or_default();
    (2u32..)
        .map(|i| path.with_file_name(format!("{stem} ({i}){ext}")))
        .find(|p| !p.exists())
        .unwrap_or(path)
}

/// Where the partial answer of a cut stream is kept, beside `out`: `lettre.partiel.md`.
pub fn partial_path(out: &Path) -> PathBuf {
    out.with_extension("partiel.md")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.docx");
        assert_eq!(unique(p.clone()), p);
        std::fs::write(&p, b"x").unwrap();
        assert_eq!(unique(p.clone()), dir.path().join("a (2).docx"));
        std::fs::write(dir.path().join("a (2).docx"), b"x").unwrap();
        assert_eq!(unique(p), dir.path().join("a (3).docx"));
        assert_eq!(partial_path(Path::new("out/lettre.docx")), Path::new("out/lettre.partiel.md"));
    }
}
