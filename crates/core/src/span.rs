//! Byte offsets to line numbers, for errors that name a line of a file. A leaf.

/// 1-based line number of byte offset `at` in `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text[..at].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines() {
        assert_eq!(super::line_of("a\nb\nc", 0), 1);
        assert_eq!(super::line_of("a\nb\nc", 2), 2);
        assert_eq!(super::line_of("é\nb", 1), 1);
        assert_eq!(super::line_of("a\nb", 99), 2);
    }
}
