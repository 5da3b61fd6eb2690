//! A Server-Sent Events parser fed with network chunks of any size: events and UTF-8 characters
//! may straddle chunks; `\n`, `\r\n` and `\r` end lines; `:` lines are comments (keep-alives);
//! multi-line `data:` fields join with `\n`; a blank line dispatches the event.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseEvent {
    pub event: Option<String>,
    pub data: String,
}

#[derive(Default)]
pub struct SseParser {
    buf: Vec<u8>,
    data: Option<String>,
    event: Option<String>,
    /// The previous chunk ended on `\r`: a `\n` starting the next one belongs to it.
    pending_cr: bool,
}

impl SseParser {
    pub fn new() -> SseParser {
        SseParser::default()
    }

    /// Feeds a chunk; returns the events it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut out = Vec::new();
        let mut chunk = chunk;
        if self.pending_cr {
            self.pending_cr = false;
            if chunk.first() == Some(&b'\n') {
                chunk = &chunk[1..];
            }
        }
        self.buf.extend_from_slice(chunk);
        let mut start = 0;
        let mut i = 0;
        while i < self.buf.len() {
            let b = self.buf[i];
            if b == b'\n' || b == b'\r' {
                let line = String::from_utf8_lossy(&self.buf[start..i]).into_owned();
                let mut next = i + 1;
                if b == b'\r' {
                    if next < self.buf.len() {
                        if self.buf[next] == b'\n' {
                            next += 1;
                        }
                    } else {
                        self.pending_cr = true;
                    }
                }
                self.line(&line, &mut out);
                start = next;
                i = next;
            } else {
                i += 1;
            }
        }
        self.buf.drain(..start);
        out
    }

    /// At the end of the stream: an event left without its blank line is still delivered.
    pub fn finish(&mut self) -> Option<SseEvent> {
        if !self.buf.is_empty() {
            let line = String::from_utf8_lossy(&std::mem::take(&mut self.buf)).into_owned();
            let mut out = Vec::new();
            self.line(&line, &mut out);
            if let Some(e) = out.pop() {
                return Some(e);
            }
        }
        self.data.take().map(|data| SseEvent { event: self.event.take(), data })
    }

    fn line(&mut self, line: &str, out: &mut Vec<SseEvent>) {
        if line.is_empty() {
            if let Some(data) = self.data.take() {
                out.push(SseEvent { event: self.event.take(), data });
            }
            self.event = None;
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "data" => match &mut self.data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => self.data = Some(value.to_string()),
            },
            "event" => self.event = Some(value.to_string()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(chunks: &[&[u8]]) -> Vec<String> {
        let mut p = SseParser::new();
        let mut out: Vec<String> = chunks.iter().flat_map(|c| p.feed(c)).map(|e| e.data).collect();
        out.extend(p.finish().map(|e| e.data));
        out
    }

    #[test]
    fn splits_anywhere() {
        let body = "data: {\"a\":\"é\"}\n\n: keep-alive\n\ndata: [DONE]\n\n".as_bytes();
        // Every split point, including inside the two bytes of 'é'.
        for i in 0..body.len() {
            let got = collect(&[&body[..i], &body[i..]]);
            assert_eq!(got, vec!["{\"a\":\"é\"}", "[DONE]"], "split at {i}");
        }
        let singles: Vec<&[u8]> = body.chunks(1).collect();
        assert_eq!(collect(&singles), vec!["{\"a\":\"é\"}", "[DONE]"]);
    }

    #[test]
    fn crlf_cr_multiline_and_event_names() {
        assert_eq!(collect(&[b"data: a\r\n", b"\r\ndata: b\r", b"\rdata:c\n\n"]), vec!["a", "b", "c"]);
        assert_eq!(collect(&[b"data: one\ndata: two\n\n"]), vec!["one\ntwo"]);
        let mut p = SseParser::new();
        let ev = p.feed(b"event: error\ndata: x\n\n");
        assert_eq!(ev[0].event.as_deref(), Some("error"));
        assert_eq!(collect(&[b"data: tail-without-blank-line"]), vec!["tail-without-blank-line"]);
    }
}
