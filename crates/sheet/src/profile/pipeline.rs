//! Two threads for one profile: a reader thread unzips, scans and copies every row into
//! batches; the calling thread reads the text cells (text to number or date: the costly part of
//! a CSV) and accumulates. The work splits about evenly for a CSV; for zipped formats the
//! inflating runs on a third thread (see `read::zipguard`). Memory stays bounded: at most four batches of 2,048 rows are in flight.
//! With one CPU, or when the thread cannot start, the same work runs on the calling thread.

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::mpsc::{sync_channel, SyncSender};

use super::column::{classify, Val};
use super::Profiler;
use crate::cell::{Cell, CellError, CellRange, NumFormat};
use crate::error::{Result, SheetError};
use crate::read::{read_rows, Format, Limits, RowSink};

const BATCH_ROWS: usize = 2048;

enum Msg {
    Start(String),
    Rows(Batch),
    Merged(Vec<CellRange>),
    End,
}

/// Rows whose cells are read, their text copied into one buffer.
#[derive(Default)]
struct Batch {
    /// (sheet row, first val, end of vals, row width in cells)
    rows: Vec<(u32, u32, u32, u32)>,
    vals: Vec<(u32, BVal)>,
    text: String,
}

#[derive(Clone, Copy)]
enum BVal {
    Number(f64, NumFormat, bool),
    Date(f64),
    Text(u32, u32),
    Bool(bool),
    Error(CellError),
    NoValue,
}

struct Batcher {
    tx: SyncSender<Msg>,
    batch: Batch,
    only: Option<String>,
    gone: bool,
}

impl Batcher {
    fn send(&mut self, m: Msg) {
        if !self.gone && self.tx.send(m).is_err() {
            self.gone = true;
        }
    }

    fn flush(&mut self) {
        if !self.batch.rows.is_empty() {
            let b = std::mem::take(&mut self.batch);
            self.send(Msg::Rows(b));
        }
    }
}

impl RowSink for Batcher {
    fn start_sheet(&mut self, name: &str) -> bool {
        self.flush();
        self.send(Msg::Start(name.to_string()));
        self.only.as_deref().is_none_or(|o| o.eq_ignore_ascii_case(name))
    }

    fn row(&mut self, index: u32, cells: &[Cell<'_>]) -> ControlFlow<()> {
        let b = &mut self.batch;
        let start = b.vals.len() as u32;
        for (c, cell) in cells.iter().enumerate() {
            let bv = match *cell {
                Cell::Empty => continue,
                Cell::Number(x, f) => BVal::Number(x, f, false),
                Cell::Date(d) => BVal::Date(d),
                Cell::Text(t) => {
                    if t.is_empty() {
                        continue;
                    }
                    let s = b.text.len() as u32;
                    b.text.push_str(t);
                    BVal::Text(s, b.text.len() as u32)
                }
                Cell::Bool(x) => BVal::Bool(x),
                Cell::Error(e) => BVal::Error(e),
                Cell::NoValue => BVal::NoValue,
            };
            b.vals.push((c as u32, bv));
        }
        b.rows.push((index, start, b.vals.len() as u32, cells.len() as u32));
        // Text of one batch stays far below 4 GB: a batch is cut at 2,048 rows or 64 MB.
        if b.rows.len() >= BATCH_ROWS || b.text.len() > (64 << 20) {
            self.flush();
        }
        if self.gone {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }

    fn merged(&mut self, ranges: &[CellRange]) {
        self.flush();
        self.send(Msg::Merged(ranges.to_vec()));
    }

    fn end_sheet(&mut self) {
        self.flush();
        self.send(Msg::End);
    }
}

/// Reads `path` into `profiler`, reading on a second thread when there is a second CPU.
pub(crate) fn read_into(path: &Path, limits: &Limits, profiler: &mut Profiler) -> Result<Format> {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cpus < 2 {
        return read_rows(path, limits, profiler);
    }
    let (tx, rx) = sync_channel::<Msg>(4);
    let owned_path = path.to_path_buf();
    let owned_limits = limits.clone();
    let only = profiler.only_sheet().map(str::to_string);
    let spawned = std::thread::Builder::new().name("katib-sheet-reader".into()).spawn(move || {
        let mut b = Batcher { tx, batch: Batch::default(), only, gone: false };
        read_rows(&owned_path, &owned_limits, &mut b)
    });
    let handle = match spawned {
        Ok(h) => h,
        Err(_) => return read_rows(path, limits, profiler),
    };
    for msg in rx {
        match msg {
            Msg::Start(name) => {
                profiler.begin(&name);
            }
            Msg::Rows(batch) => {
                let mut vals: Vec<(usize, Val<'_>)> = Vec::with_capacity(64);
                for &(index, a, b, width) in &batch.rows {
                    vals.clear();
                    vals.extend(batch.vals[a as usize..b as usize].iter().filter_map(|&(c, v)| {
                        let v = match v {
                            BVal::Number(x, f, cur) => Val::Number(x, f, cur),
                            BVal::Date(d) => Val::Date(d),
                            BVal::Text(s, e) => classify(&Cell::Text(&batch.text[s as usize..e as usize]))?,
                            BVal::Bool(x) => Val::Bool(x),
                            BVal::Error(e) => Val::Error(e),
                            BVal::NoValue => Val::NoValue,
                        };
                        Some((c as usize, v))
                    }));
                    profiler.row_vals(index, &vals, width as usize);
                }
            }
            Msg::Merged(m) => profiler.add_merges(&m),
            Msg::End => profiler.end(),
        }
    }
    match handle.join() {
        Ok(r) => r,
        Err(_) => Err(SheetError::Crashed { path: path.into(), detail: "the reader thread stopped".into() }),
    }
}
