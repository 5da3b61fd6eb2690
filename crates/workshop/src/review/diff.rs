//! The learner's edits to a generated answer, as hunks of lines removed and added (a longest
//! common subsequence of lines: answers are a few hundred lines at most).

use serde::{Deserialize, Serialize};

/// Lines replaced at one place of the original.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Edit {
    /// 1-based line of the original where the change starts.
    pub line: usize,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

/// Above this many lines on either side, the whole text counts as one change (the table
/// would be too large to be worth it).
const MAX_LINES: usize = 3_000;

/// The hunks turning `old` into `new`.
pub fn edits(old: &str, new: &str) -> Vec<Edit> {
    let a: Vec<&str> = old.trim_end().lines().map(str::trim_end).collect();
    let b: Vec<&str> = new.trim_end().lines().map(str::trim_end).collect();
    if a == b {
        return Vec::new();
    }
    if a.len() > MAX_LINES || b.len() > MAX_LINES {
        return vec![Edit { line: 1, removed: a.iter().map(|s| s.to_string()).collect(), added: b.iter().map(|s| s.to_string()).collect() }];
    }
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if a[i] == b[j] { lcs[at(i + 1, j + 1)] + 1 } else { lcs[at(i + 1, j)].max(lcs[at(i, j + 1)]) };
        }
    }
    let mut out: Vec<Edit> = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut cur: Option<Edit> = None;
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            if let Some(e) = cur.take() {
                out.push(e);
            }
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[at(i, j + 1)] >= lcs[at(i + 1, j)]) {
            cur.get_or_insert_with(|| Edit { line: i + 1, removed: Vec::new(), added: Vec::new() }).added.push(b[j].to_string());
            j += 1;
        } else {
            cur.get_or_insert_with(|| Edit { line: i + 1, removed: Vec::new(), added: Vec::new() }).removed.push(a[i].to_string());
            i += 1;
        }
    }
    if let Some(e) = cur {
        out.push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks() {
        assert!(edits("a\nb\n", "a\nb").is_empty());
        let e = edits("Monsieur,\nCordialement.\nFin", "Monsieur,\nVeuillez agréer...\nFin");
        assert_eq!(e, vec![Edit { line: 2, removed: vec!["Cordialement.".into()], added: vec!["Veuillez agréer...".into()] }]);
        let e = edits("a\nb\nc", "a\nc\nd");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].removed, ["b"]);
        assert_eq!(e[1].added, ["d"]);
    }
}
