//! A minimal pull tokenizer for the two big XML streams: a worksheet of an .xlsx and the
//! content.xml of an .ods. It yields start, empty and end tags with their raw attributes, and text;
//! comments, processing instructions and the doctype are skipped, CDATA comes out as raw text.
//! Entities are decoded by [`unescape_into`].
//!
//! Why not quick-xml here (it reads every other part): on the 100,000-row benchmark sheet
//! (107 MB of XML) quick-xml's event loop alone took 1.1 s buffered and 0.5 s over a slice, more
//! than the whole profile may take. This scanner works on a refilled buffer with `memchr` and
//! does no per-event allocation. It does not validate: malformed markup gives odd tokens, never
//! a panic or an unbounded buffer (one token over `max_token` bytes is an error).

use std::io::Read;
use std::sync::LazyLock;

pub(crate) use memchr::memmem::Finder;

/// Searchers built once: building one costs more than a search in a short cell.
pub(crate) static CLOSE_T: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"</t>"));
pub(crate) static CLOSE_RPH: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"</rPh>"));
pub(crate) static CDATA: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"<![CDATA["));

pub(crate) enum Tok<'a> {
    Start(&'a [u8], &'a [u8]),
    Empty(&'a [u8], &'a [u8]),
    End(&'a [u8]),
    Text(&'a [u8]),
    /// A CDATA section: raw text, no entities.
    CData(&'a [u8]),
}

pub(crate) struct Scanner<R> {
    r: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    max_token: usize,
}

impl<R: Read> Scanner<R> {
    pub fn new(r: R) -> Self {
        Scanner { r, buf: vec![0; 1 << 18], pos: 0, end: 0, eof: false, max_token: 64 << 20 }
    }

    /// Moves the unread bytes to the front and reads more; grows the buffer when one token fills it.
    fn refill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.end == self.buf.len() {
            if self.buf.len() >= self.max_token {
                return Err(std::io::Error::other("an XML token is larger than 64 MB"));
            }
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let n = loop {
            match self.r.read(&mut self.buf[self.end..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        if n == 0 {
            self.eof = true;
            return Ok(false);
        }
        self.end += n;
        Ok(true)
    }

    /// The next token, `None` at the end of the stream.
    pub fn next(&mut self) -> std::io::Result<Option<Tok<'_>>> {
        Ok(self.next_span()?.map(|span| match span {
            Span::Text(a, b) => Tok::Text(&self.buf[a..b]),
            Span::CData(a, b) => Tok::CData(&self.buf[a..b]),
            Span::Tag(a, b) => tag(&self.buf[a..b]),
        }))
    }

    /// Where the next token lies in the buffer (found without holding a borrow across refills).
    fn next_span(&mut self) -> std::io::Result<Option<Span>> {
        loop {
            if self.pos == self.end && !self.refill()? {
                return Ok(None);
            }
            let avail = &self.buf[self.pos..self.end];
            if avail[0] != b'<' {
                match memchr::memchr(b'<', avail) {
                    Some(i) => {
                        let start = self.pos;
                        self.pos += i;
                        return Ok(Some(Span::Text(start, start + i)));
                    }
                    None if self.eof => {
                        let start = self.pos;
                        self.pos = self.end;
                        return Ok(Some(Span::Text(start, self.end)));
                    }
                    // Text runs on past the buffer: read more before cutting it.
                    None => {
                        self.refill()?;
                        continue;
                    }
                }
            }
            // A markup construct: find where it ends.
            match self.markup_end() {
                Some((kind, close)) => {
                    let start = self.pos;
                    self.pos = close;
                    match kind {
                        Markup::Skip => continue,
                        Markup::CData => return Ok(Some(Span::CData(start + 9, close - 3))),
                        Markup::Tag => return Ok(Some(Span::Tag(start + 1, close - 1))),
                    }
                }
                None => {
                    if !self.refill()? {
                        // A tag cut off by the end of the stream: stop there.
                        self.pos = self.end;
                        return Ok(None);
                    }
                }
            }
        }
    }

    /// The raw bytes up to the next `end` (a closing tag such as `</c>`), consumed with it; the
    /// fast path for cells, whose few inner tags are read directly. `None` if the stream ends.
    pub fn take_until(&mut self, finder: &Finder<'_>) -> std::io::Result<Option<&[u8]>> {
        let end = finder.needle();
        let mut from = 0;
        loop {
            if let Some(i) = finder.find(&self.buf[self.pos + from..self.end]) {
                let start = self.pos;
                let stop = self.pos + from + i;
                self.pos = stop + end.len();
                return Ok(Some(&self.buf[start..stop]));
            }
            // Not in the buffer yet: keep what was searched, minus a possible partial match.
            from = (self.end - self.pos).saturating_sub(end.len());
            if !self.refill()? {
                return Ok(None);
            }
        }
    }

    /// The end (one past '>') of the markup at `pos`, or `None` if it is not all in the buffer.
    fn markup_end(&self) -> Option<(Markup, usize)> {
        let avail = &self.buf[self.pos..self.end];
        if avail.len() < 2 {
            return None;
        }
        let find = |pat: &[u8], from: usize| memchr::memmem::find(&avail[from..], pat).map(|i| self.pos + from + i + pat.len());
        match avail[1] {
            b'!' => {
                if avail.starts_with(b"<!--") {
                    return find(b"-->", 4).map(|e| (Markup::Skip, e));
                }
                if avail.starts_with(b"<![CDATA[") {
                    return find(b"]]>", 9).map(|e| (Markup::CData, e));
                }
                if avail.len() < 9 {
                    return None;
                }
                memchr::memchr(b'>', avail).map(|i| (Markup::Skip, self.pos + i + 1))
            }
            b'?' => find(b"?>", 2).map(|e| (Markup::Skip, e)),
            _ => {
                // A '>' inside a quoted attribute value does not end the tag. Tags are short:
                // one pass over the bytes beats several searches.
                let mut quote = 0u8;
                for (i, &c) in avail.iter().enumerate().skip(1) {
                    match c {
                        b'>' if quote == 0 => return Some((Markup::Tag, self.pos + i + 1)),
                        b'"' | b'\'' if quote == 0 => quote = c,
                        c if c == quote => quote = 0,
                        _ => {}
                    }
                }
                None
            }
        }
    }
}

enum Span {
    Text(usize, usize),
    CData(usize, usize),
    Tag(usize, usize),
}

enum Markup {
    Tag,
    CData,
    Skip,
}

fn tag(inner: &[u8]) -> Tok<'_> {
    if let Some(rest) = inner.strip_prefix(b"/") {
        let name_end = rest.iter().position(|c| c.is_ascii_whitespace()).unwrap_or(rest.len());
        return Tok::End(&rest[..name_end]);
    }
    let (body, empty) = match inner.strip_suffix(b"/") {
        Some(b) => (b, true),
        None => (inner, false),
    };
    let name_end = body.iter().position(|c| c.is_ascii_whitespace()).unwrap_or(body.len());
    let (name, attrs) = body.split_at(name_end);
    if empty {
        Tok::Empty(name, attrs)
    } else {
        Tok::Start(name, attrs)
    }
}

/// The part of a qualified name after its prefix: `x:row` is `row`.
pub(crate) fn local(name: &[u8]) -> &[u8] {
    match memchr::memrchr(b':', name) {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// Iterates over `name="value"` pairs of a raw attribute string (values still escaped).
pub(crate) struct Attrs<'a> {
    s: &'a [u8],
}

pub(crate) fn attrs(s: &[u8]) -> Attrs<'_> {
    Attrs { s }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = (&'a [u8], &'a [u8]);
    fn next(&mut self) -> Option<Self::Item> {
        // name = "value" | name = 'value', found with memchr: this runs on every cell.
        let s = self.s;
        let eq = memchr::memchr(b'=', s)?;
        let name = s[..eq].trim_ascii();
        let rest = &s[eq + 1..];
        let q_at = rest.iter().position(|&c| c == b'"' || c == b'\'')?;
        let q = rest[q_at];
        let v_start = q_at + 1;
        let v_end = memchr::memchr(q, &rest[v_start..]).map_or(rest.len(), |j| v_start + j);
        self.s = rest.get(v_end + 1..).unwrap_or(&[]);
        if name.is_empty() {
            return None;
        }
        Some((name, &rest[v_start..v_end]))
    }
}

/// The value of the attribute whose (full) name is `name`.
pub(crate) fn attr<'a>(attrs_raw: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    attrs(attrs_raw).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// Appends the decoded text of `raw` (entities and character references) to `out`; invalid
/// UTF-8 and unknown entities are kept as they are, lossily.
pub(crate) fn unescape_into(raw: &[u8], out: &mut String) {
    let Some(first) = memchr::memchr(b'&', raw) else {
        push_utf8(raw, out);
        return;
    };
    push_utf8(&raw[..first], out);
    let mut rest = &raw[first..];
    while !rest.is_empty() {
        // rest starts with '&'
        let semi = rest.iter().take(12).position(|&c| c == b';');
        let decoded = semi.and_then(|j| {
            let ent = &rest[1..j];
            let c = match ent {
                b"lt" => '<',
                b"gt" => '>',
                b"amp" => '&',
                b"quot" => '"',
                b"apos" => '\'',
                _ if ent.first() == Some(&b'#') => {
                    let (digits, radix) = match ent.get(1) {
                        Some(b'x') | Some(b'X') => (&ent[2..], 16),
                        _ => (&ent[1..], 10),
                    };
                    let n = u32::from_str_radix(std::str::from_utf8(digits).ok()?, radix).ok()?;
                    char::from_u32(n)?
                }
                _ => return None,
            };
            Some((c, j + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
        let next = memchr::memchr(b'&', rest).unwrap_or(rest.len());
        push_utf8(&rest[..next], out);
        rest = &rest[next..];
    }
}

fn push_utf8(b: &[u8], out: &mut String) {
    match std::str::from_utf8(b) {
        Ok(s) => out.push_str(s),
        Err(_) => out.push_str(&String::from_utf8_lossy(b)),
    }
}

/// The text of the `<t>` elements in `inner` (an inline string's or a shared string's runs),
/// leaving out phonetic runs (`<rPh>...</rPh>`).
pub(crate) fn t_text(inner: &[u8], out: &mut String) {
    let mut rest = inner;
    while let Some(i) = memchr::memchr(b'<', rest) {
        let tag = &rest[i + 1..];
        if tag.starts_with(b"rPh") {
            match CLOSE_RPH.find(tag) {
                Some(j) => {
                    rest = &tag[j + 6..];
                    continue;
                }
                None => return,
            }
        }
        let is_t = tag.first() == Some(&b't') && matches!(tag.get(1), Some(b'>' | b' ' | b'/'));
        let Some(close) = memchr::memchr(b'>', tag) else { return };
        if is_t && tag[close - 1] != b'/' {
            let body = &tag[close + 1..];
            let Some(j) = CLOSE_T.find(body) else { return };
            let text = &body[..j];
            match CDATA.find(text) {
                Some(_) => out.push_str(&String::from_utf8_lossy(text).replace("<![CDATA[", "").replace("]]>", "")),
                None => unescape_into(text, out),
            }
            rest = &body[j + 4..];
        } else {
            rest = &tag[close + 1..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_cells_read_directly() {
        let mut s = String::new();
        t_text(b"<r><rPr><b/></rPr><t>Cr&#233;dits </t></r><r><t xml:space=\"preserve\">ouverts</t></r><rPh sb=\"0\"><t>X</t></rPh><t/>", &mut s);
        assert_eq!(s, "Crédits ouverts");
        let mut sc = Scanner::new(&b"<c r=\"A1\"><v>12</v></c><c r=\"B1\">"[..]);
        sc.buf = vec![0; 4];
        assert!(matches!(sc.next().unwrap(), Some(Tok::Start(b"c", _))));
        let close = Finder::new(b"</c>");
        assert_eq!(sc.take_until(&close).unwrap(), Some(&b"<v>12</v>"[..]));
        assert!(matches!(sc.next().unwrap(), Some(Tok::Start(b"c", _))));
        assert_eq!(sc.take_until(&close).unwrap(), None);
    }

    fn tokens(xml: &str, buf: usize) -> Vec<String> {
        let mut s = Scanner::new(xml.as_bytes());
        s.buf = vec![0; buf];
        let mut out = Vec::new();
        while let Some(t) = s.next().unwrap() {
            out.push(match t {
                Tok::Start(n, a) => format!("S {} [{}]", String::from_utf8_lossy(n), String::from_utf8_lossy(a).trim()),
                Tok::Empty(n, a) => format!("E {} [{}]", String::from_utf8_lossy(n), String::from_utf8_lossy(a).trim()),
                Tok::End(n) => format!("/ {}", String::from_utf8_lossy(n)),
                Tok::Text(t) => {
                    let mut o = String::new();
                    unescape_into(t, &mut o);
                    format!("T {o}")
                }
                Tok::CData(t) => format!("C {}", String::from_utf8_lossy(t)),
            });
        }
        out
    }

    #[test]
    fn tokens_whatever_the_buffer_size() {
        let xml = r#"<?xml version="1.0"?><!-- c --><x:row r="1" a='b>c'><c r="A1" t="inlineStr"><is><t>Beno&#238;t &amp; Cie&#x20;&nbsp;</t></is></c><c r="B1"/><![CDATA[a<b]]></x:row>"#;
        let expected = vec![
            "S x:row [r=\"1\" a='b>c']",
            "S c [r=\"A1\" t=\"inlineStr\"]",
            "S is []",
            "S t []",
            "T Benoît & Cie &nbsp;",
            "/ t",
            "/ is",
            "/ c",
            "E c [r=\"B1\"]",
            "C a<b",
            "/ x:row",
        ];
        for size in [1, 2, 7, 64, 4096] {
            let got = tokens(xml, size);
            // A small buffer may split a text node in two: join adjacent texts before comparing.
            let mut joined: Vec<String> = Vec::new();
            for t in got {
                match (joined.last_mut(), t.strip_prefix("T ")) {
                    (Some(last), Some(more)) if last.starts_with("T ") => last.push_str(more),
                    _ => joined.push(t),
                }
            }
            assert_eq!(joined, expected, "buffer {size}");
        }
    }

    #[test]
    fn attributes_and_names() {
        let a: Vec<_> = attrs(br#" r="A1"  s='3' t = "n""#).collect();
        assert_eq!(a, vec![(&b"r"[..], &b"A1"[..]), (&b"s"[..], &b"3"[..]), (&b"t"[..], &b"n"[..])]);
        assert_eq!(attr(br#"table:name="Feuille 1""#, b"table:name"), Some(&b"Feuille 1"[..]));
        assert_eq!(local(b"x:row"), b"row");
        assert_eq!(local(b"row"), b"row");
    }

    #[test]
    fn a_cut_stream_ends_cleanly() {
        assert_eq!(tokens("<a><b>text</b><c attr=", 16), vec!["S a []", "S b []", "T text", "/ b"]);
    }
}
