//! .xls (Excel 97-2003) through calamine: one sheet's range at a time, then its rows to the sink.
//! These files are small in practice (the format stops at 65,536 rows), so the range is held
//! for one sheet; the streaming readers are for .xlsx and .ods. Number formats other than dates
//! are not exposed by calamine: percents and amounts read as plain numbers.

use std::fs::File;
use std::io::BufReader;

use calamine::{Data, DataType, Reader, Xls};

use super::{Ctx, Format, RowSink};
use crate::cell::{Cell, CellError, CellRange, NumFormat};
use crate::error::{Result, SheetError};

pub(crate) fn read(ctx: &Ctx<'_>, file: File, sink: &mut dyn RowSink) -> Result<()> {
    let mut wb: Xls<_> = Xls::new(BufReader::new(file)).map_err(|e| {
        let d = e.to_string();
        if d.to_ascii_lowercase().contains("password") || d.contains("Encrypt") {
            SheetError::Encrypted { path: ctx.path.into() }
        } else {
            ctx.corrupt(Format::Xls, d)
        }
    })?;
    for name in wb.sheet_names() {
        if !sink.start_sheet(&name) {
            continue;
        }
        let range = wb.worksheet_range(&name).map_err(|e| ctx.corrupt(Format::Xls, format!("sheet '{name}': {e}")))?;
        let merges = wb.worksheet_merge_cells(&name).unwrap_or_default();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (i, row) in range.rows().enumerate() {
            let index = r0 + i as u32;
            if i % 512 == 0 {
                ctx.check(index)?;
            }
            let texts: Vec<String> = row
                .iter()
                .map(|d| match d {
                    Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    _ => String::new(),
                })
                .collect();
            let mut cells: Vec<Cell<'_>> = vec![Cell::Empty; c0 as usize];
            cells.extend(row.iter().zip(&texts).map(|(d, t)| convert(d, t)));
            cells.truncate(ctx.limits.max_columns as usize);
            if cells.iter().any(|c| !c.is_empty()) && sink.row(index, &cells).is_break() {
                sink.end_sheet();
                return Ok(());
            }
        }
        let ranges: Vec<CellRange> = merges
            .iter()
            .map(|d| CellRange { first_row: d.start.0, first_col: d.start.1, last_row: d.end.0, last_col: d.end.1 })
            .collect();
        if !ranges.is_empty() {
            sink.merged(&ranges);
        }
        sink.end_sheet();
    }
    Ok(())
}

fn convert<'a>(d: &Data, text: &'a str) -> Cell<'a> {
    match d {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64, NumFormat::Plain),
        Data::Float(f) => Cell::Number(*f, NumFormat::Plain),
        Data::Bool(b) => Cell::Bool(*b),
        Data::String(_) => Cell::Text(text),
        Data::DateTimeIso(s) => crate::cell::serial_from_iso(s).map_or(Cell::Text(text), Cell::Date),
        Data::DurationIso(_) => Cell::Text(text),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                Cell::Number(dt.as_f64(), NumFormat::Plain)
            } else {
                // The displayed date, whatever the workbook's date system.
                match d.as_datetime().and_then(|x| crate::cell::serial_from_iso(&x.to_string())) {
                    Some(serial) => Cell::Date(serial),
                    None => Cell::Number(dt.as_f64(), NumFormat::Plain),
                }
            }
        }
        Data::Error(e) => Cell::Error(CellError::parse(&e.to_string()).unwrap_or(CellError::Other)),
    }
}
