//! The `register` table, the outgoing-mail register (registre du courrier départ): numbers
//! allocated from a pattern in config.toml (`{seq:04}/{service}/{year}` gives `0123/DAG/2026`),
//! the next of the year for the service, atomically and never twice: the next number is read and
//! written in one `BEGIN IMMEDIATE` transaction (the window and the CLI allocating at the same
//! moment wait for each other, `busy_timeout`), and a number is unique in the table. Entries are
//! never deleted, nor purged with the runs. A mail-merge allocates consecutive numbers in one
//! transaction. Export to .xlsx, written atomically.
//!
//! The register is the administration's record, independent of the history setting: with the
//! history off it still lists addressee and object, as the paper register does.

use std::io::Write;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, TransactionBehavior};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook};

use crate::error::{Error, Result};
use crate::model::{Letter, RegisterEntry, RegisterFilter};
use crate::store::{from_ms, to_ms, History};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Lit(String),
    Seq(usize),
    Service,
    Year,
    Yy,
}

/// A register number pattern: literal text and `{seq}` (or `{seq:04}`, zero-padded to 4
/// digits), `{service}`, `{year}` (2026), `{yy}` (26); `{{` and `}}` write braces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterPattern {
    source: String,
    parts: Vec<Part>,
}

impl Default for RegisterPattern {
    fn default() -> Self {
        RegisterPattern::parse(RegisterPattern::DEFAULT).unwrap_or_else(|_| unreachable!("the default pattern parses"))
    }
}

impl RegisterPattern {
    /// The pattern used when config.toml has none.
    pub const DEFAULT: &'static str = "{seq:04}/{service}/{year}";

    /// Parses `pattern`; it must hold `{seq}` and a year (`{year}` or `{yy}`), since the
    /// sequence starts again each year.
    pub fn parse(pattern: &str) -> Result<RegisterPattern> {
        let err = |reason: String| Error::RegisterPattern { pattern: pattern.to_string(), reason };
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut chars = pattern.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '}' => return Err(err("a '}' without its '{' (write '}}' for a brace)".into())),
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => name.push(c),
                            None => return Err(err(format!("'{{{name}' is not closed"))),
                        }
                    }
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(match name.trim() {
                        "seq" => Part::Seq(0),
                        "service" => Part::Service,
                        "year" => Part::Year,
                        "yy" => Part::Yy,
                        n => match n.strip_prefix("seq:") {
                            Some(w) if !w.is_empty() && w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()) => {
                                Part::Seq(w.parse().unwrap_or(0))
                            }
                            _ => return Err(err(format!(
                                "unknown placeholder {{{n}}}; use {{seq}}, {{seq:04}}, {{service}}, {{year}} or {{yy}}"
                            ))),
                        },
                    });
                }
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Lit(lit));
        }
        if !parts.iter().any(|p| matches!(p, Part::Seq(_))) {
            return Err(err("it has no {seq}: every letter would get the same number".into()));
        }
        if !parts.iter().any(|p| matches!(p, Part::Year | Part::Yy)) {
            return Err(err(
                "it has no {year} or {yy}: the numbering starts again each year, so numbers would repeat".into()
            ));
        }
        Ok(RegisterPattern { source: pattern.to_string(), parts })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the sequence is per service (the pattern names the service) or shared.
    fn per_service(&self) -> bool {
        self.parts.contains(&Part::Service)
    }

    /// The number for `seq` of `year` in `service`.
    pub fn format(&self, seq: u32, service: &str, year: i32) -> String {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(l) => s.push_str(l),
                Part::Seq(w) => s.push_str(&format!("{seq:0w$}", w = *w)),
                Part::Service => s.push_str(service),
                Part::Year => s.push_str(&year.to_string()),
                Part::Yy => s.push_str(&format!("{:02}", year.rem_euclid(100))),
            }
        }
        s
    }
}

pub(crate) fn numbers_of_run(conn: &Connection, run_id: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached("SELECT number FROM register WHERE run_id = ?1 ORDER BY year, scope, seq")?;
    let rows = st.query_map([run_id], |r| r.get(0))?;
    rows.collect::<rusqlite::Result<_>>().map_err(Error::from)
}

fn entry_from_row(r: &rusqlite::Row) -> rusqlite::Result<RegisterEntry> {
    let date: String = r.get(5)?;
    Ok(RegisterEntry {
        number: r.get(0)?,
        seq: r.get(1)?,
        year: r.get(2)?,
        service: r.get(3)?,
        allocated_at: from_ms(r.get(4)?),
        date: NaiveDate::parse_from_str(&date, "%Y-%m-%d")
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e)))?,
        addressee: r.get(6)?,
        object: r.get(7)?,
        file: r.get(8)?,
        run_id: r.get(9)?,
    })
}

const ENTRY_COLS: &str = "number, seq, year, service, allocated_at, date, addressee, object, file, run_id";

/// Column titles of the exported register, by language.
fn headers(lang: &str) -> [&'static str; 7] {
    match lang {
        "ar" => ["الرقم", "التاريخ", "المصلحة", "المرسل إليه", "الموضوع", "الملف", "رقم العملية"],
        "en" => ["No.", "Date", "Service", "Addressee", "Subject", "File", "Run"],
        _ => ["N°", "Date", "Service", "Destinataire", "Objet", "Fichier", "Exécution"],
    }
}

impl History {
    /// Allocates the next register number of `date`'s year for `service` and records `letter`
    /// under it.
    pub fn allocate(
        &self,
        pattern: &RegisterPattern,
        service: &str,
        date: NaiveDate,
        letter: &Letter,
    ) -> Result<RegisterEntry> {
        let mut v = self.allocate_batch(pattern, service, date, std::slice::from_ref(letter))?;
        v.pop().ok_or(Error::Empty { field: "letters" })
    }

    /// Allocates consecutive numbers, one per letter, in one transaction (a mail-merge).
    pub fn allocate_batch(
        &self,
        pattern: &RegisterPattern,
        service: &str,
        date: NaiveDate,
        letters: &[Letter],
    ) -> Result<Vec<RegisterEntry>> {
        let service = service.trim();
        if pattern.per_service() && service.is_empty() {
            return Err(Error::Empty { field: "register.service" });
        }
        if letters.is_empty() {
            return Ok(Vec::new());
        }
        let scope = if pattern.per_service() { service } else { "" };
        let year = date.year();
        let at = self.now();
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let last: u32 = tx.query_row(
            "SELECT coalesce(max(seq), 0) FROM register WHERE scope = ?1 AND year = ?2",
            params![scope, year],
            |r| r.get(0),
        )?;
        let mut out = Vec::with_capacity(letters.len());
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO register (scope, year, seq, number, service, date, addressee, object, file, run_id, allocated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for (i, l) in letters.iter().enumerate() {
                let seq = last + 1 + i as u32;
                let number = pattern.format(seq, service, year);
                let r = ins.execute(params![
                    scope,
                    year,
                    seq,
                    number,
                    service,
                    date.format("%Y-%m-%d").to_string(),
                    l.addressee,
                    l.object,
                    l.file,
                    l.run_id,
                    to_ms(at)
                ]);
                if let Err(e) = r {
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
                        return Err(Error::RegisterDuplicate { number, pattern: pattern.as_str().to_string() });
                    }
                    return Err(e.into());
                }
                out.push(RegisterEntry {
                    number,
                    seq,
                    year,
                    service: service.to_string(),
                    date,
                    addressee: l.addressee.clone(),
                    object: l.object.clone(),
                    file: l.file.clone(),
                    run_id: l.run_id.clone(),
                    allocated_at: at,
                });
            }
        }
        tx.commit()?;
        Ok(out)
    }

    /// Sets the document file of register entry `number` (known once the letter is written).
    pub fn set_register_file(&self, number: &str, file: &str) -> Result<()> {
        let n = self.conn()?.execute("UPDATE register SET file = ?2 WHERE number = ?1", params![number, file])?;
        if n == 0 {
            return Err(Error::RegisterNotFound { number: number.to_string() });
        }
        Ok(())
    }

    /// Register entries in order (year, then service, then number).
    pub fn register(&self, filter: &RegisterFilter) -> Result<Vec<RegisterEntry>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(&format!(
            "SELECT {ENTRY_COLS} FROM register WHERE (?1 IS NULL OR year = ?1) AND (?2 IS NULL OR service = ?2) \
             ORDER BY year, scope, seq"
        ))?;
        let rows = st.query_map(params![filter.year, filter.service], entry_from_row)?;
        rows.collect::<rusqlite::Result<_>>().map_err(Error::from)
    }

    /// Writes the register (filtered) to an .xlsx workbook at `path`, atomically: column titles
    /// in `lang` (`fr`, `ar` right to left, `en`), dates as dates. Returns the number of entries.
    /// An existing file is replaced only with `overwrite`.
    pub fn export_register_xlsx(
        &self,
        path: &Path,
        filter: &RegisterFilter,
        lang: &str,
        overwrite: bool,
    ) -> Result<usize> {
        let entries = self.register(filter)?;
        let xerr = |e: rust_xlsxwriter::XlsxError| Error::Xlsx { path: path.to_path_buf(), reason: e.to_string() };
        let ioerr = |e: std::io::Error| Error::Xlsx { path: path.to_path_buf(), reason: e.to_string() };
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(match lang {
            "ar" => "سجل الصادر",
            "en" => "Outgoing mail",
            _ => "Courrier départ",
        })
        .map_err(xerr)?;
        if lang == "ar" {
            ws.set_right_to_left(true);
        }
        let head = Format::new().set_bold().set_border(FormatBorder::Thin).set_background_color("D9E1F2");
        let cell = Format::new().set_border(FormatBorder::Thin);
        let date = Format::new().set_border(FormatBorder::Thin).set_num_format("dd/mm/yyyy");
        for (c, h) in headers(lang).iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &head).map_err(xerr)?;
        }
        for (i, e) in entries.iter().enumerate() {
            let r = i as u32 + 1;
            let d = ExcelDateTime::from_ymd(e.date.year() as u16, e.date.month() as u8, e.date.day() as u8)
                .map_err(xerr)?;
            ws.write_string_with_format(r, 0, &e.number, &cell).map_err(xerr)?;
            ws.write_datetime_with_format(r, 1, &d, &date).map_err(xerr)?;
            ws.write_string_with_format(r, 2, &e.service, &cell).map_err(xerr)?;
            ws.write_string_with_format(r, 3, &e.addressee, &cell).map_err(xerr)?;
            ws.write_string_with_format(r, 4, &e.object, &cell).map_err(xerr)?;
            ws.write_string_with_format(r, 5, &e.file, &cell).map_err(xerr)?;
            ws.write_string_with_format(r, 6, e.run_id.as_deref().unwrap_or(""), &cell).map_err(xerr)?;
        }
        for (c, w) in [14.0, 12.0, 10.0, 32.0, 48.0, 36.0, 18.0].into_iter().enumerate() {
            ws.set_column_width(c as u16, w).map_err(xerr)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xerr)?;
        if !entries.is_empty() {
            ws.autofilter(0, 0, entries.len() as u32, 6).map_err(xerr)?;
        }
        let bytes = wb.save_to_buffer().map_err(xerr)?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut tmp = tempfile::Builder::new().prefix(".katib-").suffix(".tmp").tempfile_in(dir).map_err(ioerr)?;
        tmp.write_all(&bytes).map_err(ioerr)?;
        tmp.as_file().sync_all().map_err(ioerr)?;
        if overwrite {
            tmp.persist(path).map_err(|e| ioerr(e.error))?;
        } else {
            tmp.persist_noclobber(path).map_err(|e| ioerr(e.error))?;
        }
        Ok(entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_format_numbers() {
        let p = RegisterPattern::default();
        assert_eq!(p.format(123, "DAG", 2026), "0123/DAG/2026");
        assert_eq!(p.format(12345, "DAG", 2026), "12345/DAG/2026");
        let p = RegisterPattern::parse("N° {seq}-{yy} {{{service}}}").unwrap();
        assert_eq!(p.format(7, "SG", 2026), "N° 7-26 {SG}");
        assert!(!RegisterPattern::parse("{seq:03}/{year}").unwrap().per_service());
    }

    #[test]
    fn bad_patterns_say_what_is_wrong() {
        for (p, needle) in [
            ("{service}/{year}", "no {seq}"),
            ("{seq:04}/{service}", "no {year}"),
            ("{seq}/{annee}", "unknown placeholder {annee}"),
            ("{seq}/{year", "not closed"),
            ("{seq}/{year}}", "without its"),
            ("{seq:x}/{year}", "unknown placeholder"),
        ] {
            let e = RegisterPattern::parse(p).unwrap_err();
            assert_eq!(e.code(), "register.pattern");
            assert!(e.to_string().contains(needle), "{p}: {e}");
        }
    }
}
