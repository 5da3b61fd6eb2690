//! The zip container of .xlsx and .ods, opened with bomb guards: each part is read through a
//! counter that stops at the total unpacked budget and at `max_ratio` times its packed size,
//! whatever the archive declares (a forged size field does not get past it).
//!
//! A large part (a sheet's XML, an .ods content.xml) is inflated on a thread of its own when
//! there is a second CPU: decompression then overlaps with the XML scan. The thread opens the
//! file again, applies the same counter, and stops as soon as its reader is dropped.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;

use zip::ZipArchive;

use super::{Ctx, Format};
use crate::error::{Result, SheetError};

/// Parts larger than this are inflated on their own thread.
const THREADED_PART: u64 = 4 << 20;
const CHUNK: usize = 256 << 10;

pub(crate) struct Archive<'c> {
    zip: ZipArchive<BufReader<File>>,
    ctx: &'c Ctx<'c>,
    format: Format,
    /// Unpacked bytes still allowed, over every part read.
    budget: Arc<AtomicU64>,
    /// Set when a part went over its cap: the parser's I/O error is then a bomb, not corruption.
    tripped: Arc<AtomicBool>,
    threads: bool,
}

impl<'c> Archive<'c> {
    pub fn open(ctx: &'c Ctx<'c>, file: File, format: Format) -> Result<Archive<'c>> {
        let zip = ZipArchive::new(BufReader::new(file)).map_err(|e| ctx.corrupt(format, e.to_string()))?;
        Ok(Archive {
            zip,
            ctx,
            format,
            budget: Arc::new(AtomicU64::new(ctx.limits.max_unzipped_bytes)),
            tripped: Arc::new(AtomicBool::new(false)),
            threads: std::thread::available_parallelism().is_ok_and(|n| n.get() > 1),
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

    /// The declared checks of a part; returns its cap on what may actually be unpacked.
    fn check(&mut self, name: &str) -> Result<(u64, u64)> {
        let ctx = self.ctx;
        let format = self.format;
        let entry = self.zip.by_name(name).map_err(|e| ctx.corrupt(format, format!("{name}: {e}")))?;
        if entry.encrypted() {
            return Err(SheetError::Encrypted { path: ctx.path.into() });
        }
        let declared = entry.size();
        let packed = entry.compressed_size().max(1);
        let budget = self.budget.load(Ordering::Relaxed);
        let bomb = |detail: String| SheetError::ZipBomb { path: ctx.path.into(), detail };
        if declared > budget {
            return Err(bomb(format!("{name} declares {} MB unpacked", declared >> 20)));
        }
        if declared > (1 << 20) && declared / packed > ctx.limits.max_ratio {
            return Err(bomb(format!("{name} is compressed {}:1", declared / packed)));
        }
        self.tripped.store(false, Ordering::Relaxed);
        Ok((declared, budget.min(packed.saturating_mul(ctx.limits.max_ratio).saturating_add(1 << 20))))
    }

    /// A reader over one part, through the guards.
    pub fn part(&mut self, name: &str) -> Result<Box<dyn Read + '_>> {
        let (declared, cap) = self.check(name)?;
        if self.threads && declared > THREADED_PART {
            return Ok(Box::new(self.threaded(name, cap)));
        }
        let ctx = self.ctx;
        let format = self.format;
        let entry = self.zip.by_name(name).map_err(|e| ctx.corrupt(format, format!("{name}: {e}")))?;
        Ok(Box::new(Guarded { inner: entry, left: cap, budget: self.budget.clone(), tripped: self.tripped.clone() }))
    }

    /// Inflates `name` on its own thread, in chunks handed over a bounded channel.
    fn threaded(&self, name: &str, cap: u64) -> ChannelReader {
        let (tx, rx) = sync_channel::<std::io::Result<Vec<u8>>>(4);
        let path: PathBuf = self.ctx.path.into();
        let name = name.to_string();
        let budget = self.budget.clone();
        let tripped = self.tripped.clone();
        let spawned = std::thread::Builder::new().name("katib-sheet-inflate".into()).spawn(move || {
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> std::io::Result<()> {
                let file = File::open(&path)?;
                let mut zip = ZipArchive::new(BufReader::new(file)).map_err(std::io::Error::other)?;
                let entry = zip.by_name(&name).map_err(std::io::Error::other)?;
                let mut r = Guarded { inner: entry, left: cap, budget, tripped };
                loop {
                    let mut chunk = vec![0u8; CHUNK];
                    let mut n = 0;
                    while n < CHUNK {
                        let k = r.read(&mut chunk[n..])?;
                        if k == 0 {
                            break;
                        }
                        n += k;
                    }
                    chunk.truncate(n);
                    let done = n < CHUNK;
                    if n > 0 && tx.send(Ok(chunk)).is_err() {
                        return Ok(()); // the reader is gone: stop
                    }
                    if done {
                        return Ok(());
                    }
                }
            }));
            let err = match run {
                Ok(Ok(())) => return,
                Ok(Err(e)) => e,
                Err(_) => std::io::Error::other("the inflate thread panicked"),
            };
            let _ = tx.send(Err(err));
        });
        match spawned {
            Ok(_) => ChannelReader { rx: Some(rx), cur: Vec::new(), pos: 0 },
            Err(e) => {
                let (tx, rx) = sync_channel(1);
                let _ = tx.send(Err(e));
                ChannelReader { rx: Some(rx), cur: Vec::new(), pos: 0 }
            }
        }
    }

    /// Turns a parser's error on a part into the right `SheetError`.
    pub fn error(&self, part: &str, detail: impl std::fmt::Display) -> SheetError {
        if self.tripped.load(Ordering::Relaxed) {
            SheetError::ZipBomb {
                path: self.ctx.path.into(),
                detail: format!("{part} unpacks past the limit ({} MB in all, ratio {}:1)", self.ctx.limits.max_unzipped_bytes >> 20, self.ctx.limits.max_ratio),
            }
        } else {
            self.ctx.corrupt(self.format, format!("{part}: {detail}"))
        }
    }
}

/// Reads the chunks the inflate thread sends.
pub(crate) struct ChannelReader {
    rx: Option<Receiver<std::io::Result<Vec<u8>>>>,
    cur: Vec<u8>,
    pos: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.cur.len() {
            let Some(rx) = &self.rx else { return Ok(0) };
            match rx.recv() {
                Ok(Ok(chunk)) => {
                    self.cur = chunk;
                    self.pos = 0;
                }
                Ok(Err(e)) => {
                    self.rx = None;
                    return Err(e);
                }
                // The thread finished and dropped its sender: the end of the part.
                Err(_) => {
                    self.rx = None;
                    return Ok(0);
                }
            }
        }
        let n = buf.len().min(self.cur.len() - self.pos);
        buf[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Counts what comes out of a part and fails past its cap.
pub(crate) struct Guarded<R> {
    inner: R,
    left: u64,
    budget: Arc<AtomicU64>,
    tripped: Arc<AtomicBool>,
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let n64 = n as u64;
        if n64 > self.left {
            self.tripped.store(true, Ordering::Relaxed);
            return Err(std::io::Error::other("unpacked size over the limit"));
        }
        self.left -= n64;
        let _ = self.budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| Some(b.saturating_sub(n64)));
        Ok(n)
    }
}
