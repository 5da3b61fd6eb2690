//! .csv (and .tsv/.txt tables): the encoding and the delimiter are detected on the first 64 KB
//! (UTF-8 with or without BOM, UTF-16 with BOM, windows-1252 for French, windows-1256 for
//! Arabic: what Excel writes in Moroccan offices), then the file is streamed through the csv
//! crate, transcoded on the fly when it is not UTF-8. Every field is delivered as text; numbers
//! and dates are read out of it by the profile.
//!
//! The detection mirrors katib-core's documents/text.rs and sheet.rs (same rules, same tests),
//! re-implemented here so that this crate does not depend on core.

use std::fs::File;
use std::io::{BufReader, Read};
use std::ops::ControlFlow;

use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, WINDOWS_1256};

use super::{Ctx, Format, RowSink};
use crate::cell::Cell;
use crate::error::{Result, SheetError};

const SAMPLE: usize = 64 << 10;

pub(crate) fn read(ctx: &Ctx<'_>, mut file: File, sink: &mut dyn RowSink) -> Result<()> {
    let io = |e: std::io::Error| SheetError::Io { path: ctx.path.into(), detail: e.to_string() };
    let mut sample = Vec::with_capacity(SAMPLE);
    (&mut file).take(SAMPLE as u64).read_to_end(&mut sample).map_err(io)?;
    let encoding = detect_encoding(&sample, sample.len() < SAMPLE);
    let (decoded_sample, _, _) = encoding.decode(&sample);
    let delimiter = detect_delimiter(&decoded_sample);
    let name = ctx.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if !sink.start_sheet(&name) {
        return Ok(());
    }
    let head = std::io::Cursor::new(sample);
    let stream = head.chain(file);
    let flow = if encoding == UTF_8 {
        // The BOM, when present, is dropped by the csv crate only for the first field; strip it.
        let mut r = BufReader::with_capacity(1 << 16, stream);
        let mut bom = [0u8; 3];
        let n = read_exact_or_less(&mut r, &mut bom).map_err(io)?;
        let lead: Vec<u8> = if n == 3 && bom == [0xEF, 0xBB, 0xBF] { Vec::new() } else { bom[..n].to_vec() };
        stream_records(ctx, std::io::Cursor::new(lead).chain(r), delimiter, sink)?
    } else {
        let r = DecodingReader::new(BufReader::with_capacity(1 << 16, stream), encoding);
        stream_records(ctx, r, delimiter, sink)?
    };
    let _ = flow;
    sink.end_sheet();
    Ok(())
}

fn read_exact_or_less(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        let k = r.read(&mut buf[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    Ok(n)
}

fn stream_records(ctx: &Ctx<'_>, r: impl Read, delimiter: u8, sink: &mut dyn RowSink) -> Result<ControlFlow<()>> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(r);
    let mut rec = csv::ByteRecord::new();
    let mut index: u32 = 0;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(ctx.corrupt(Format::Csv, format!("line {line}: {e}")));
            }
        }
        if index.is_multiple_of(512) || index >= ctx.limits.max_rows {
            ctx.check(index)?;
        }
        let max = ctx.limits.max_columns as usize;
        // One UTF-8 check for the whole record; a record with invalid bytes is read lossily.
        let lossy: Vec<String>;
        let cells: Vec<Cell<'_>> = if let Ok(whole) = simdutf8::basic::from_utf8(rec.as_slice()) {
            // Fields end on ASCII delimiters, so each range of a valid record is valid.
            (0..rec.len().min(max))
                .map(|i| match rec.range(i).and_then(|r| whole.get(r)) {
                    None | Some("") => Cell::Empty,
                    Some(s) => Cell::Text(s),
                })
                .collect()
        } else {
            lossy = rec.iter().take(max).map(|f| String::from_utf8_lossy(f).into_owned()).collect();
            lossy.iter().map(|t| if t.is_empty() { Cell::Empty } else { Cell::Text(t) }).collect()
        };
        if cells.iter().any(|c| !c.is_empty()) && sink.row(index, &cells).is_break() {
            return Ok(ControlFlow::Break(()));
        }
        index += 1;
    }
    Ok(ControlFlow::Continue(()))
}

/// Transcodes a byte stream to UTF-8 as it is read.
struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    src: Vec<u8>,
    src_pos: usize,
    src_len: usize,
    eof: bool,
    out: Vec<u8>,
    out_pos: usize,
    out_len: usize,
}

impl<R: Read> DecodingReader<R> {
    fn new(inner: R, encoding: &'static Encoding) -> Self {
        DecodingReader {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            src: vec![0; 1 << 16],
            src_pos: 0,
            src_len: 0,
            eof: false,
            out: vec![0; 3 << 16],
            out_pos: 0,
            out_len: 0,
        }
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.out_pos < self.out_len {
                let n = buf.len().min(self.out_len - self.out_pos);
                buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                return Ok(n);
            }
            if self.src_pos == self.src_len && !self.eof {
                self.src_len = self.inner.read(&mut self.src)?;
                self.src_pos = 0;
                self.eof = self.src_len == 0;
            }
            let (_, read, written, _) =
                self.decoder.decode_to_utf8(&self.src[self.src_pos..self.src_len], &mut self.out, self.eof);
            self.src_pos += read;
            self.out_pos = 0;
            self.out_len = written;
            if written == 0 && self.eof && self.src_pos == self.src_len {
                return Ok(0);
            }
        }
    }
}

/// The encoding of a text file from its first bytes. `complete` says the sample is the whole
/// file (a multi-byte character cut at the sample's end is not a sign of a code page).
pub(crate) fn detect_encoding(sample: &[u8], complete: bool) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(sample) {
        return enc;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => return UTF_8,
        Err(e) if !complete && e.error_len().is_none() => return UTF_8,
        Err(_) => {}
    }
    // UTF-16 without BOM: every other byte zero in Latin text.
    let s = &sample[..sample.len().min(4096)];
    let zeros_odd = s.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let zeros_even = s.iter().step_by(2).filter(|&&b| b == 0).count();
    if s.len() >= 8 && zeros_odd * 3 > s.len() / 2 {
        return UTF_16LE;
    }
    if s.len() >= 8 && zeros_even * 3 > s.len() / 2 {
        return UTF_16BE;
    }
    if looks_arabic_1256(sample) {
        WINDOWS_1256
    } else {
        WINDOWS_1252
    }
}

/// In windows-1256 the bytes 0xC1..=0xDF (bar 0xD7) and a few above 0xE0 are Arabic letters; in
/// windows-1252 they are capital accented Latin letters, rare in French text (É, À and Ç aside).
fn looks_arabic_1256(bytes: &[u8]) -> bool {
    let mut arabic_only = 0usize;
    let mut high = 0usize;
    for &b in bytes {
        if b >= 0x80 {
            high += 1;
        }
        let arabic_letter = matches!(b, 0xC1..=0xD6 | 0xD8..=0xDF | 0xE1 | 0xE3..=0xE6 | 0xEC | 0xED | 0xF0..=0xF3 | 0xF5 | 0xF6 | 0xF8 | 0xFA);
        if arabic_letter && !matches!(b, 0xC7 | 0xC9) {
            arabic_only += 1;
        }
    }
    high > 0 && arabic_only * 2 > high
}

/// Decodes a whole text file (a CSV, a .txt) in the encoding its bytes show: UTF-8 with or
/// without BOM, UTF-16, or the Windows code pages Excel writes CSV in (1252 French, 1256 Arabic).
pub fn decode_text(bytes: &[u8]) -> String {
    detect_encoding(bytes, true).decode_with_bom_removal(bytes).0.into_owned()
}

/// The delimiter, among `;` `,` tab and `|`, that splits the first lines most consistently
/// (quotes respected); between consistent ones, the one giving more columns.
pub fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    // The sample may end inside a line: leave the last one out when there are others.
    let lines = if lines.len() > 2 { &lines[..lines.len() - 1] } else { &lines[..] };
    let mut best = (b',', 0usize, false);
    for d in [b';', b',', b'\t', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d as char)).collect();
        let Some(&first) = counts.first() else { continue };
        if first == 0 {
            continue;
        }
        let consistent = counts.iter().all(|&c| c == first);
        if (consistent, first) > (best.2, best.1) {
            best = (d, first, consistent);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, d: char) -> usize {
    let mut inside = false;
    line.chars()
        .filter(|&c| {
            if c == '"' {
                inside = !inside;
            }
            !inside && c == d
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> String {
        let enc = detect_encoding(bytes, true);
        let mut s = String::new();
        DecodingReader::new(bytes, enc).read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn code_pages() {
        let fr = "Société;Dépense;Échéance\nÉlectricité;1 200,50;été\n";
        let (b1252, _, _) = WINDOWS_1252.encode(fr);
        assert_eq!(detect_encoding(&b1252, true), WINDOWS_1252);
        assert_eq!(decode_all(&b1252), fr);
        let ar = "الجماعة;المبلغ\nوجدة;1200\n";
        let (b1256, _, _) = WINDOWS_1256.encode(ar);
        assert_eq!(decode_all(&b1256), ar);
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(fr.encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode_all(&utf16), fr);
        // A sample cut inside "é" is still UTF-8.
        let cut = &"aaé".as_bytes()[..3];
        assert_eq!(detect_encoding(cut, false), UTF_8);
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(detect_delimiter("a,b\n\"x;y\",2\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
    }
}
