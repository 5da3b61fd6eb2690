//! Accuracy of detection on the labelled corpus (tests/corpus/): recall per kind and false
//! positives per page of non-personal text, printed, and checked against the targets of issue 10:
//! recall 100 % for CIN (with its context), phones, e-mail, RIB, IBAN and ICE; at least 95 % for
//! names and addresses; at most one false positive per page (3,000 characters of non-personal
//! text).
//!
//! A labelled value counts as masked when every letter and digit of it lies inside a detected
//! span (so a name half caught counts as missed); as typed when, moreover, every span covering it
//! has the label's kind. A false positive is a detected span that touches no label. Sheets are
//! read as the pipeline will: columns whose header names personal data are given as hints.
//!
//! The corpus has three sets: `dev/`, against which the rules were developed; `heldout/`, written
//! afterwards, first measured as it came, then used for a second round of (general) fixes; and
//! `heldout2/`, written last. All count towards the targets; the figures are printed per set, so
//! the set that rules were not tuned on shows how they generalise.
//!
//! Run with `cargo test -p katib-pseudo --test accuracy -- --nocapture` to see the figures.

use std::collections::BTreeMap;
use std::path::Path;

use katib_pseudo::{column_kind, detect, Found, Hints, Kind};

struct Label {
    start: usize,
    end: usize,
    kind: Kind,
}

struct Doc {
    name: String,
    text: String,
    labels: Vec<Label>,
    hints: Hints,
}

/// Strips `{{KIND:value}}` markup, keeping the spans.
fn parse_labels(name: &str, raw: &str) -> (String, Vec<Label>) {
    let mut text = String::with_capacity(raw.len());
    let mut labels = Vec::new();
    let mut rest = raw;
    while let Some(open) = rest.find("{{") {
        text.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let close = after.find("}}").unwrap_or_else(|| panic!("{name}: unclosed label"));
        let inner = &after[..close];
        let (tag, value) = inner.split_once(':').unwrap_or_else(|| panic!("{name}: label without kind: {inner}"));
        let kind = Kind::parse(tag).unwrap_or_else(|| panic!("{name}: unknown kind {tag}"));
        let start = text.len();
        text.push_str(value);
        labels.push(Label { start, end: text.len(), kind });
        rest = &after[close + 2..];
    }
    text.push_str(rest);
    (text, labels)
}

/// Hints from a `;`-separated sheet: the cells of every column whose header names personal data.
fn sheet_hints(text: &str) -> Hints {
    let mut hints = Hints::new();
    let mut lines = text.lines();
    let header: Vec<Option<Kind>> = lines.next().unwrap_or("").split(';').map(column_kind).collect();
    for line in lines {
        for (cell, kind) in line.split(';').zip(&header) {
            if let Some(k) = kind {
                if !cell.trim().is_empty() {
                    hints.add(cell.trim(), Some(*k));
                }
            }
        }
    }
    hints
}

fn load() -> Vec<Doc> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut docs = Vec::new();
    for set in ["dev", "heldout", "heldout2"] {
        let dir = root.join(set);
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "csv")))
            .collect();
        paths.sort();
        for p in paths {
            let file = p.file_name().and_then(|n| n.to_str()).unwrap_or("?");
            let name = format!("{set}/{file}");
            let raw = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
            let (text, labels) = parse_labels(&name, &raw);
            let hints = if name.ends_with(".csv") { sheet_hints(&text) } else { Hints::new() };
            docs.push(Doc { name, text, labels, hints });
        }
    }
    docs
}

#[derive(Default, Clone, Copy)]
struct Count {
    total: usize,
    masked: usize,
    typed: usize,
}

struct Outcome {
    per_kind: BTreeMap<Kind, Count>,
    per_kind_docs: BTreeMap<Kind, Count>,
    per_kind_sheets: BTreeMap<Kind, Count>,
    false_positives: Vec<String>,
    misses: Vec<String>,
    non_personal_chars: usize,
    overreach_chars: usize,
    labels: usize,
    chars: usize,
}

fn context(text: &str, start: usize, end: usize) -> String {
    let mut s = start.saturating_sub(40);
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = (end + 40).min(text.len());
    while !text.is_char_boundary(e) {
        e += 1;
    }
    format!("{}«{}»{}", &text[s..start], &text[start..end], &text[end..e]).replace('\n', " ")
}

fn evaluate(docs: &[Doc]) -> Outcome {
    evaluate_refs(&docs.iter().collect::<Vec<_>>())
}

fn evaluate_refs(docs: &[&Doc]) -> Outcome {
    let mut o = Outcome {
        per_kind: BTreeMap::new(),
        per_kind_docs: BTreeMap::new(),
        per_kind_sheets: BTreeMap::new(),
        false_positives: Vec::new(),
        misses: Vec::new(),
        non_personal_chars: 0,
        overreach_chars: 0,
        labels: 0,
        chars: 0,
    };
    for &d in docs {
        let found: Vec<Found> = detect(&d.text, &d.hints);
        // Which bytes are covered, and by which kind.
        let mut cover: Vec<Option<Kind>> = vec![None; d.text.len()];
        for f in &found {
            for c in &mut cover[f.start..f.end] {
                *c = Some(f.kind);
            }
        }
        let mut labelled = vec![false; d.text.len()];
        for l in &d.labels {
            for b in &mut labelled[l.start..l.end] {
                *b = true;
            }
        }
        for l in &d.labels {
            let value = &d.text[l.start..l.end];
            let mut masked = true;
            let mut typed = true;
            for (i, c) in value.char_indices() {
                if !c.is_alphanumeric() {
                    continue;
                }
                match cover[l.start + i] {
                    None => masked = false,
                    Some(k) if k != l.kind => typed = false,
                    Some(_) => {}
                }
            }
            let sheet = d.name.ends_with(".csv");
            for map in [&mut o.per_kind, if sheet { &mut o.per_kind_sheets } else { &mut o.per_kind_docs }] {
                let c = map.entry(l.kind).or_default();
                c.total += 1;
                c.masked += usize::from(masked);
                c.typed += usize::from(masked && typed);
            }
            if !masked {
                o.misses.push(format!("{} {:?}: {}", d.name, l.kind, context(&d.text, l.start, l.end)));
            }
        }
        for f in &found {
            if labelled[f.start..f.end].iter().any(|b| *b) {
                o.overreach_chars += d.text[f.start..f.end]
                    .char_indices()
                    .filter(|(i, c)| !labelled[f.start + i] && c.is_alphanumeric())
                    .count();
            } else {
                o.false_positives.push(format!("{} {:?}: {}", d.name, f.kind, context(&d.text, f.start, f.end)));
            }
        }
        o.non_personal_chars += d.text.char_indices().filter(|(i, _)| !labelled[*i]).count();
        o.chars += d.text.chars().count();
        o.labels += d.labels.len();
    }
    o
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        100.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

#[test]
fn detection_meets_the_accuracy_targets() {
    let docs = load();
    assert!(docs.len() >= 20, "corpus missing: {} files", docs.len());
    for set in ["dev/", "heldout/", "heldout2/"] {
        let part: Vec<&Doc> = docs.iter().filter(|d| d.name.starts_with(set)).collect();
        let o = evaluate_refs(&part);
        let pages = o.non_personal_chars as f64 / 3000.0;
        let line: Vec<String> = o
            .per_kind
            .iter()
            .map(|(k, c)| format!("{} {:.1} % ({}/{})", k.tag(), pct(c.masked, c.total), c.masked, c.total))
            .collect();
        println!(
            "set {set}: {} files, {} values; {}; false positives {} on {:.1} pages ({:.2}/page)",
            part.len(),
            o.labels,
            line.join(", "),
            o.false_positives.len(),
            pages,
            o.false_positives.len() as f64 / pages
        );
    }
    let o = evaluate(&docs);
    let pages = o.non_personal_chars as f64 / 3000.0;
    let fp_per_page = o.false_positives.len() as f64 / pages;

    println!("\nkatib-pseudo accuracy on tests/corpus ({} files, {} chars, {} labelled values)", docs.len(), o.chars, o.labels);
    println!("| kind | values | masked | recall | typed | recall (letters, minutes) | recall (sheets) |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (k, c) in &o.per_kind {
        let d = o.per_kind_docs.get(k).copied().unwrap_or_default();
        let s = o.per_kind_sheets.get(k).copied().unwrap_or_default();
        let sub = |c: Count| if c.total == 0 { "-".to_string() } else { format!("{:.1} % ({}/{})", pct(c.masked, c.total), c.masked, c.total) };
        println!(
            "| {} | {} | {} | {:.1} % | {:.1} % | {} | {} |",
            k.tag(),
            c.total,
            c.masked,
            pct(c.masked, c.total),
            pct(c.typed, c.total),
            sub(d),
            sub(s)
        );
    }
    println!(
        "false positives: {} on {:.1} pages of non-personal text ({} chars) = {:.2} per page; overreach: {} letters/digits outside labels",
        o.false_positives.len(),
        pages,
        o.non_personal_chars,
        fp_per_page,
        o.overreach_chars
    );
    for m in &o.misses {
        println!("MISSED {m}");
    }
    for f in &o.false_positives {
        println!("FALSE POSITIVE {f}");
    }

    assert!(o.labels >= 300, "the corpus must hold at least 300 labelled values, has {}", o.labels);
    let mut failures = Vec::new();
    for (k, c) in &o.per_kind {
        let target = match k {
            Kind::Cin | Kind::Tel | Kind::Email | Kind::Rib | Kind::Iban | Kind::Ice => 100.0,
            _ => 95.0,
        };
        let r = pct(c.masked, c.total);
        if r < target {
            failures.push(format!("{}: recall {r:.1} % < {target} %", k.tag()));
        }
    }
    for k in [Kind::Cin, Kind::Tel, Kind::Email, Kind::Rib, Kind::Iban, Kind::Ice, Kind::Nom, Kind::Adresse] {
        if !o.per_kind.contains_key(&k) {
            failures.push(format!("{}: no labelled value in the corpus", k.tag()));
        }
    }
    if fp_per_page > 1.0 {
        failures.push(format!("{fp_per_page:.2} false positives per page > 1"));
    }
    assert!(failures.is_empty(), "accuracy below target: {failures:#?}");
}

#[test]
fn the_label_loader_strips_markup() {
    let (text, labels) = parse_labels("t", "M. {{NOM:Youssef Amrani}}, CIN {{CIN:AB123456}}.");
    assert_eq!(text, "M. Youssef Amrani, CIN AB123456.");
    assert_eq!(&text[labels[0].start..labels[0].end], "Youssef Amrani");
    assert_eq!(labels[1].kind, Kind::Cin);
}
