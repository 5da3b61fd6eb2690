//! Where a streamed answer goes, through steps that may transform or record it on its way.
//!
//! A [`Sink`] receives pieces of text (stdout, the window's channel, a buffer). A [`Step`] sits
//! before a sink and passes on what it decides: it may hold text back (a placeholder split
//! across two chunks is restored only once whole: hold back only what could still become a
//! match, flush the rest at once) and flush it at the end. [`Pipeline`] chains steps in order in
//! front of a final sink.

/// Receives the answer piece by piece.
pub trait Sink: Send {
    fn push(&mut self, piece: &str);
}

impl<F: FnMut(&str) + Send> Sink for F {
    fn push(&mut self, piece: &str) {
        self(piece)
    }
}

/// A stage of the stream: transforms or observes pieces before the next stage sees them.
pub trait Step: Send {
    fn push(&mut self, piece: &str, next: &mut dyn Sink);
    /// The stream ended (or was cut): pass on anything held back.
    fn finish(&mut self, next: &mut dyn Sink) {
        let _ = next;
    }
}

/// Steps in order, then the final sink; it keeps the text that reached the end.
pub struct Pipeline<'a> {
    steps: Vec<Box<dyn Step + 'a>>,
    end: &'a mut dyn Sink,
    seen: String,
}

struct Rest<'b, 'a> {
    steps: &'b mut [Box<dyn Step + 'a>],
    end: &'b mut dyn Sink,
    seen: &'b mut String,
}

impl Sink for Rest<'_, '_> {
    fn push(&mut self, piece: &str) {
        if piece.is_empty() {
            return;
        }
        match self.steps.split_first_mut() {
            None => {
                self.seen.push_str(piece);
                self.end.push(piece);
            }
            Some((first, tail)) => first.push(piece, &mut Rest { steps: tail, end: self.end, seen: self.seen }),
        }
    }
}

impl<'a> Pipeline<'a> {
    pub fn new(end: &'a mut dyn Sink) -> Pipeline<'a> {
        Pipeline { steps: Vec::new(), end, seen: String::new() }
    }

    /// Adds a step after the ones already there.
    pub fn step(mut self, s: impl Step + 'a) -> Pipeline<'a> {
        self.steps.push(Box::new(s));
        self
    }

    /// Adds a boxed step after the ones already there.
    pub fn step_boxed(mut self, s: Box<dyn Step + 'a>) -> Pipeline<'a> {
        self.steps.push(s);
        self
    }

    /// Flushes every step, first to last (what a step releases goes through the later ones).
    pub fn finish(&mut self) {
        for i in 0..self.steps.len() {
            let (head, tail) = self.steps.split_at_mut(i + 1);
            head[i].finish(&mut Rest { steps: tail, end: self.end, seen: &mut self.seen });
        }
    }

    /// Everything that reached the final sink so far.
    pub fn text(&self) -> &str {
        &self.seen
    }

    pub fn into_text(self) -> String {
        self.seen
    }
}

impl Sink for Pipeline<'_> {
    fn push(&mut self, piece: &str) {
        Rest { steps: &mut self.steps, end: self.end, seen: &mut self.seen }.push(piece)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Upper-cases, and holds back a trailing "[" until the next piece.
    struct Upper(String);
    impl Step for Upper {
        fn push(&mut self, piece: &str, next: &mut dyn Sink) {
            self.0.push_str(piece);
            let cut = if self.0.ends_with('[') { self.0.len() - 1 } else { self.0.len() };
            let out: String = self.0.drain(..cut).collect();
            next.push(&out.to_uppercase());
        }
        fn finish(&mut self, next: &mut dyn Sink) {
            let rest = std::mem::take(&mut self.0);
            next.push(&rest);
        }
    }

    struct Count<'c>(&'c mut usize);
    impl Step for Count<'_> {
        fn push(&mut self, piece: &str, next: &mut dyn Sink) {
            *self.0 += piece.len();
            next.push(piece);
        }
    }

    #[test]
    fn steps_transform_hold_back_and_flush_in_order() {
        let mut got = Vec::new();
        let mut end = |p: &str| got.push(p.to_string());
        let mut counted = 0;
        let mut p = Pipeline::new(&mut end).step(Upper(String::new())).step(Count(&mut counted));
        for piece in ["ab[", "c", "d["] {
            p.push(piece);
        }
        p.finish();
        assert_eq!(p.text(), "AB[CD[");
        drop(p);
        assert_eq!(counted, 6);
        assert_eq!(got, vec!["AB", "[C", "D", "["]);
    }
}
