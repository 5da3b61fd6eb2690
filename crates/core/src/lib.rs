//! katib-core: everything Katib does, with no GUI and no Tauri.
//!
//! - [`templates`]: prompt templates (TOML front matter + minijinja body): load, validate, render.
//! - [`documents`]: read the user's files (.xlsx/.xls/.ods/.csv/.docx/.pdf/.txt) into prompt text.
//! - [`providers`]: LLM endpoints (any OpenAI-compatible server) and the offline practice provider.
//! - [`export`]: write answers as .docx, .xlsx, .md or .txt, atomically.
//! - [`config`], [`secrets`]: profiles and settings in the platform dirs; API keys in the OS keychain.
//! - [`samples`], [`run`]: the built-in samples and the whole pipeline from inputs to an answer.
//!
//! The desktop shell (src-tauri) and the `katib` CLI are thin layers over this crate.
//!
//! Module dependencies go one way (the test `no_import_cycle` reads every module's `crate::` paths
//! and fails on a cycle): the leaves [`lang`],
//! [`kinds`] and `span` depend on nothing; `documents`, `templates`, `export`, `providers` on
//! leaves and `config`; `run` on everything.

pub mod applog;
pub mod config;
pub mod documents;
pub mod error;
pub mod export;
pub mod fsutil;
pub mod kinds;
pub mod lang;
pub mod providers;
pub mod run;
pub mod samples;
pub mod secrets;
pub mod session;
mod span;
pub mod templates;

pub use error::{Error, Result};
pub use kinds::{DataClass, FileKind, OutputKind};
pub use lang::{Lang, Localized};

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// Top-level module -> the top-level modules its code (tests left out) names as `crate::x`
    /// or through the crate root's re-exports.
    fn graph() -> BTreeMap<String, BTreeSet<String>> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let reexports = [("Error", "error"), ("Result", "error"), ("Lang", "lang"), ("Localized", "lang"), ("FileKind", "kinds"), ("OutputKind", "kinds"), ("DataClass", "kinds")];
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let rel = p.strip_prefix(&root).unwrap();
                let module = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
                if module == "lib" {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                let deps = g.entry(module.clone()).or_default();
                for line in code.lines().map(str::trim).filter(|l| !l.starts_with("//")) {
                    for part in line.split("crate::").skip(1) {
                        let name: String = part.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                        let target = reexports.iter().find(|(n, _)| *n == name).map(|(_, m)| m.to_string()).unwrap_or(name);
                        if target != module && !target.is_empty() {
                            deps.insert(target);
                        }
                    }
                    if line.starts_with("use crate::{") || line.contains("crate::{") {
                        for (n, m) in reexports {
                            if line.contains(n) && *m != module {
                                deps.insert(m.to_string());
                            }
                        }
                    }
                }
            }
        }
        g
    }

    /// No import cycle between the crate's modules: the leaves (lang, kinds, span, fsutil) depend on
    /// nothing, and every dependency goes one way.
    #[test]
    fn no_import_cycle() {
        let g = graph();
        for leaf in ["lang", "kinds", "span", "fsutil"] {
            assert!(g[leaf].is_empty(), "{leaf} is a leaf but uses {:?}", g[leaf]);
        }
        fn visit(n: &str, g: &BTreeMap<String, BTreeSet<String>>, path: &mut Vec<String>, done: &mut BTreeSet<String>) {
            if let Some(i) = path.iter().position(|p| p == n) {
                panic!("import cycle: {} -> {n}", path[i..].join(" -> "));
            }
            if done.contains(n) {
                return;
            }
            path.push(n.to_string());
            for d in g.get(n).into_iter().flatten() {
                visit(d, g, path, done);
            }
            path.pop();
            done.insert(n.to_string());
        }
        let mut done = BTreeSet::new();
        for n in g.keys() {
            visit(n, &g, &mut Vec::new(), &mut done);
        }
        assert!(g["run"].contains("templates") && g["error"].contains("export"), "the graph is read: {g:?}");
    }
}
