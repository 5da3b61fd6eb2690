//! The zip container of .xlsx and .ods, opened with bomb guards: each part is read through a
//! counter that stops at the total unpacked budget and at `max_ratio` times its packed size,
//! whatever the archive declares (a forged size field does not get past it).

use std::cell::Cell as Flag;
use std::fs::File;
use std::io::{BufReader, Read};
use std::rc::Rc;

use zip::ZipArchive;

use super::{Ctx, Format};
use crate::error::{Result, SheetError};

pub(crate) struct Archive<'c> {
    zip: ZipArchive<BufReader<File>>,
    ctx: &'c Ctx<'c>,
    format: Format,
    /// Unpacked bytes still allowed, over every part read.
    budget: Rc<Flag<u64>>,
    /// Set when a part went over its cap: the parser's I/O error is then a bomb, not corruption.
    tripped: Rc<Flag<bool>>,
}

impl<'c> Archive<'c> {
    pub fn open(ctx: &'c Ctx<'c>, file: File, format: Format) -> Result<Archive<'c>> {
        let zip = ZipArchive::new(BufReader::new(file)).map_err(|e| ctx.corrupt(format, e.to_string()))?;
        Ok(Archive {
            zip,
            ctx,
            format,
            budget: Rc::new(Flag::new(ctx.limits.max_unzipped_bytes)),
            tripped: Rc::new(Flag::new(false)),
        })
    }

    /// The exact name of a part, or the one that differs only by case or a leading '/'.
    pub fn find(&self, name: &str) -> Option<String> {
        let name = name.trim_start_matches('/');
        if self.zip.index_for_name(name).is_some() {
            return Some(name.to_string());
        }
        self.zip.file_names().find(|n| n.eq_ignore_ascii_case(name)).map(str::to_string)
    }

    /// A reader over one part, through the guards.
    pub fn part(&mut self, name: &str) -> Result<Guarded<impl Read + '_>> {
        let ctx = self.ctx;
        let format = self.format;
        let entry = self.zip.by_name(name).map_err(|e| ctx.corrupt(format, format!("{name}: {e}")))?;
        if entry.encrypted() {
            return Err(SheetError::Encrypted { path: ctx.path.into() });
        }
        let declared = entry.size();
        let packed = entry.compressed_size().max(1);
        let budget = self.budget.get();
        let bomb = |detail: String| SheetError::ZipBomb { path: ctx.path.into(), detail };
        if declared > budget {
            return Err(bomb(format!("{name} declares {} MB unpacked", declared >> 20)));
        }
        if declared > (1 << 20) && declared / packed > ctx.limits.max_ratio {
            return Err(bomb(format!("{name} is compressed {}:1", declared / packed)));
        }
        let cap = budget.min(packed.saturating_mul(ctx.limits.max_ratio).saturating_add(1 << 20));
        self.tripped.set(false);
        Ok(Guarded { inner: entry, left: cap, budget: self.budget.clone(), tripped: self.tripped.clone() })
    }

    /// Turns a parser's error on a part into the right `SheetError`.
    pub fn error(&self, part: &str, detail: impl std::fmt::Display) -> SheetError {
        if self.tripped.get() {
            SheetError::ZipBomb {
                path: self.ctx.path.into(),
                detail: format!("{part} unpacks past the limit ({} MB in all, ratio {}:1)", self.ctx.limits.max_unzipped_bytes >> 20, self.ctx.limits.max_ratio),
            }
        } else {
            self.ctx.corrupt(self.format, format!("{part}: {detail}"))
        }
    }
}

/// Counts what comes out of a part and fails past its cap.
pub(crate) struct Guarded<R> {
    inner: R,
    left: u64,
    budget: Rc<Flag<u64>>,
    tripped: Rc<Flag<bool>>,
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let n64 = n as u64;
        if n64 > self.left {
            self.tripped.set(true);
            return Err(std::io::Error::other("unpacked size over the limit"));
        }
        self.left -= n64;
        self.budget.set(self.budget.get().saturating_sub(n64));
        Ok(n)
    }
}
