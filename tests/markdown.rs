//! The document model's conformance corpus (tests/fixtures/markdown): Markdown as models write it
//! (tables without leading pipes, "1)" lists, nested lists, bold in table cells, Arabic with Latin
//! runs...), each NAME.md with the block tree expected in NAME.blocks.json. The exports' parser
//! (katib_core::export::blocks, pulldown-cmark) and the window's preview (ui/js/markdown.js, run
//! by Debian's nodejs) must both give exactly that tree, so a table or a list in the preview is
//! one in the .docx too. The preview's DOM is also checked for what it must never contain.
//!
//! A new case: add NAME.md, run `KATIB_WRITE_BLOCKS=1 cargo test --test tests markdown::rust` (it
//! writes the missing NAME.blocks.json from the Rust parser), and check that tree against
//! CommonMark/GFM by hand before committing it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use katib_core::export::blocks::{self, Block};
use serde_json::Value;

use crate::util::repo;

fn corpus_dir() -> PathBuf {
    repo().join("tests/fixtures/markdown")
}

/// NAME -> (Markdown, expected tree), every NAME.md with its NAME.blocks.json.
fn corpus() -> BTreeMap<String, (String, Value)> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(corpus_dir()).expect("tests/fixtures/markdown") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).expect("name").to_string();
        if let Some(stem) = name.strip_suffix(".md") {
            let md = std::fs::read_to_string(&path).expect("md");
            let json = path.with_file_name(format!("{stem}.blocks.json"));
            if !json.exists() && std::env::var_os("KATIB_WRITE_BLOCKS").is_some() {
                // A new case: its expected tree from the Rust parser, to be read and corrected by hand.
                let tree = serde_json::to_string_pretty(&blocks::parse(&md)).expect("json");
                std::fs::write(&json, tree + "\n").expect("write the expected tree");
                eprintln!("note: wrote {} from the Rust parser: check it against CommonMark before committing", json.display());
            }
            let expected = std::fs::read_to_string(&json).unwrap_or_else(|_| {
                panic!("{} has no {}: write it by hand, or run with KATIB_WRITE_BLOCKS=1 to start from the Rust parser's tree", path.display(), json.display())
            });
            out.insert(stem.to_string(), (md, serde_json::from_str(&expected).unwrap_or_else(|e| panic!("{}: {e}", json.display()))));
        } else {
            let stem = name.strip_suffix(".blocks.json").unwrap_or_else(|| panic!("unexpected file {name} in the corpus"));
            assert!(path.with_file_name(format!("{stem}.md")).exists(), "{name} has no {stem}.md");
        }
    }
    assert!(out.len() >= 20, "the corpus has only {} cases", out.len());
    out
}

/// The mismatching cases, with both trees.
fn mismatches(got: &BTreeMap<String, Value>, corpus: &BTreeMap<String, (String, Value)>) -> String {
    let mut report = String::new();
    for (name, (_, expected)) in corpus {
        match got.get(name) {
            Some(tree) if tree == expected => {}
            Some(tree) => report.push_str(&format!(
                "\n--- {name}: expected\n{}\n--- got\n{}\n",
                serde_json::to_string_pretty(expected).unwrap_or_default(),
                serde_json::to_string_pretty(tree).unwrap_or_default()
            )),
            None => report.push_str(&format!("\n--- {name}: no tree\n")),
        }
    }
    report
}

#[test]
fn rust_block_parser_matches_the_corpus() {
    let corpus = corpus();
    let got: BTreeMap<String, Value> = corpus.iter().map(|(name, (md, _))| (name.clone(), serde_json::to_value(blocks::parse(md)).expect("json"))).collect();
    let report = mismatches(&got, &corpus);
    assert!(report.is_empty(), "the Rust block parser disagrees with the corpus:{report}");
    // The expected trees are the model's own serde form: they read back as blocks.
    for (name, (_, expected)) in &corpus {
        let back: Vec<Block> = serde_json::from_value(expected.clone()).unwrap_or_else(|e| panic!("{name}.blocks.json is not the model's form: {e}"));
        assert_eq!(serde_json::to_value(&back).expect("json"), *expected, "{name}");
    }
}

/// Every text of a tree, in order, as the preview shows it (line breaks are elements there).
fn tree_text(blocks: &[Block]) -> String {
    let mut s = String::new();
    for b in blocks {
        match b {
            Block::Heading { runs, .. } | Block::Paragraph { runs } => runs.iter().for_each(|r| s.push_str(&r.text.replace('\n', ""))),
            Block::List { items, .. } => items.iter().for_each(|i| s.push_str(&tree_text(i))),
            Block::Table { header, rows, .. } => {
                for cell in header.iter().chain(rows.iter().flatten()) {
                    cell.iter().for_each(|r| s.push_str(&r.text.replace('\n', "")));
                }
            }
            Block::Quote { blocks } => s.push_str(&tree_text(blocks)),
            Block::Code { text, .. } => s.push_str(text),
            Block::Rule | Block::PageBreak => {}
        }
    }
    s
}

#[test]
#[ignore = "needs nodejs"]
fn window_renderer_matches_the_corpus() {
    let corpus = corpus();
    let out = Command::new("node")
        .arg(repo().join("tests/tools/markdown-tree.mjs"))
        .arg(corpus_dir())
        .output()
        .unwrap_or_else(|e| panic!("nodejs is needed to run ui/js/markdown.js (Debian: apt-get install nodejs): {e}"));
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    let results: BTreeMap<String, Value> = serde_json::from_slice(&out.stdout).expect("the runner's JSON");
    let trees: BTreeMap<String, Value> = results.iter().map(|(k, v)| (k.clone(), v["tree"].clone())).collect();
    let report = mismatches(&trees, &corpus);
    assert!(report.is_empty(), "ui/js/markdown.js disagrees with the corpus:{report}");

    // The DOM: only these elements and properties, links only to the web or mail, and all the
    // text of the tree (nothing lost between the tree and the page).
    const TAGS: &[&str] = &[
        "a", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "span",
        "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
    ];
    const PROPS: &[&str] = &["className", "data-lang", "dir", "href", "rel", "start", "title"];
    for (name, (_, expected)) in &corpus {
        let dom = &results[name]["dom"];
        let strings = |key: &str| dom[key].as_array().unwrap_or_else(|| panic!("{name}: no {key}")).iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect::<Vec<_>>();
        for tag in strings("tags") {
            assert!(TAGS.contains(&tag.as_str()), "{name}: the preview made a <{tag}>");
        }
        for prop in strings("props") {
            assert!(PROPS.contains(&prop.as_str()), "{name}: the preview set '{prop}' on an element");
        }
        for href in strings("hrefs") {
            assert!(href.starts_with("https://") || href.starts_with("http://") || href.starts_with("mailto:"), "{name}: link to {href}");
        }
        let blocks: Vec<Block> = serde_json::from_value(expected.clone()).expect("blocks");
        assert_eq!(dom["text"].as_str(), Some(tree_text(&blocks).as_str()), "{name}: the preview's text");
    }
    // The corpus does exercise the dangerous cases.
    let links = &results["links-and-images"]["dom"];
    assert_eq!(links["hrefs"].as_array().map(Vec::len), Some(4), "{links}");
    assert!(links["text"].as_str().is_some_and(|t| t.contains("lien dangereux") && t.contains("Logo de la Commune")), "{links}");
    let html = results["html-in-text"]["dom"]["text"].as_str().unwrap_or_default().to_string();
    assert!(html.contains("<script>alert(1)</script>") && html.contains("<b>du gras HTML</b>"), "raw HTML is shown as text: {html}");
}
