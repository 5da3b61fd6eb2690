//! The window's files, checked without a window: the three dictionaries agree, every translation
//! key the code names exists, every error code of the core has a message, the fonts and preloads
//! point at real files, only api.js talks to the shell, and the in-page preview renders as the
//! shell does.
//! (The window itself is driven end to end in tests/e2e.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn ui() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ui")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `key -> value` of ui/i18n/<lang>.js: one `'key': 'value',` per line.
fn dictionary(lang: &str) -> BTreeMap<String, String> {
    let path = ui().join("i18n").join(format!("{lang}.js"));
    let mut out = BTreeMap::new();
    for (n, line) in read(&path).lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with("//") || l == "export default {" || l == "};" {
            continue;
        }
        let rest = l.strip_prefix('\'').unwrap_or_else(|| panic!("{lang}.js:{}: not a 'key': value line: {l}", n + 1));
        let (key, value) = rest.split_once("':").unwrap_or_else(|| panic!("{lang}.js:{}: no key: {l}", n + 1));
        let value = value.trim().trim_end_matches(',');
        assert!(out.insert(key.to_string(), value.to_string()).is_none(), "{lang}.js:{}: key '{key}' twice", n + 1);
    }
    assert!(out.len() > 100, "{}: only {} keys read", path.display(), out.len());
    out
}

/// The `{name}` placeholders of a text.
fn placeholders(s: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j) if after[..j].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && j > 0 => {
                out.insert(after[..j].to_string());
                rest = &after[j + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

#[test]
fn the_three_dictionaries_have_the_same_keys_and_placeholders() {
    let fr = dictionary("fr");
    for lang in ["ar", "en"] {
        let other = dictionary(lang);
        let missing: Vec<_> = fr.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !fr.contains_key(*k)).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{lang}.js: missing {missing:?}, not in fr.js {extra:?}");
        for (k, v) in &fr {
            assert_eq!(placeholders(v), placeholders(&other[k]), "{lang}.js: '{k}' has other placeholders than in French");
        }
    }
}

fn files_with(ext: &str, dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_with(ext, &p, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

fn js_files(dir: &Path, out: &mut Vec<PathBuf>) {
    files_with("js", dir, out)
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    files_with("rs", dir, out)
}

/// Quoted literals of a source text that look like translation keys: `ns.rest` where `ns` is one
/// of the dictionary's namespaces. A literal ending in '.' is a prefix completed at run time.
fn key_literals(src: &str, namespaces: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    for quote in ['\'', '"'] {
        for (i, part) in src.split(quote).enumerate() {
            let candidate = i % 2 == 1
                && part.contains('.')
                && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
                && namespaces.contains(part.split('.').next().unwrap());
            if candidate {
                out.push(part.to_string());
            }
        }
    }
    out
}

#[test]
fn every_key_the_code_names_exists_in_french() {
    let fr = dictionary("fr");
    let namespaces: BTreeSet<String> = fr.keys().map(|k| k.split('.').next().unwrap().to_string()).collect();
    let mut files = vec![ui().join("index.html")];
    js_files(&ui().join("js"), &mut files);
    // Error codes (compared with `e.code`) share some namespaces with keys: not keys.
    let codes = core_error_codes();
    let mut checked = 0;
    for f in &files {
        for key in key_literals(&read(f), &namespaces).into_iter().filter(|k| !codes.contains(k)) {
            if key.ends_with('.') {
                assert!(fr.keys().any(|k| k.starts_with(&key)), "{}: no key starts with '{key}'", f.display());
            } else {
                assert!(fr.contains_key(&key), "{}: key '{key}' is in no dictionary", f.display());
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} keys found in the code: is the scan broken?");
}

/// The error codes the window receives: what the `code()` methods of the core and of katib-merge
/// (the mail-merge screen's commands) return (`Variant => "family.name",`).
fn core_error_codes() -> BTreeSet<String> {
    let mut files = Vec::new();
    rs_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/core/src"), &mut files);
    rs_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/merge/src"), &mut files);
    let mut codes = BTreeSet::new();
    for f in &files {
        for part in read(f).split("=> \"").skip(1) {
            let lit = part.split('"').next().unwrap();
            if lit.contains('.') && lit.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.') {
                codes.insert(lit.to_string());
            }
        }
    }
    codes
}

#[test]
fn every_error_code_of_the_core_has_a_message() {
    let fr = dictionary("fr");
    let codes = core_error_codes();
    assert!(codes.len() > 20, "only {} codes found in crates/core/src", codes.len());
    let mut exact = 0;
    for code in &codes {
        let family = code.split('.').next().unwrap();
        let code = code.as_str();
        assert!(
            fr.contains_key(&format!("error.{code}")) || fr.contains_key(&format!("error.{family}")),
            "error code '{code}' has neither error.{code} nor error.{family} in the dictionaries"
        );
        exact += fr.contains_key(&format!("error.{code}")) as usize;
    }
    assert!(exact * 2 > codes.len(), "most codes should have their own message ({exact} of {})", codes.len());
}

/// `url("...")` / `href="..."` values in a text.
fn attr_values<'a>(src: &'a str, open: &str, close: char) -> Vec<&'a str> {
    src.split(open).skip(1).filter_map(|s| s.split(close).next()).collect()
}

#[test]
fn fonts_and_preloads_point_at_real_files() {
    let css = read(&ui().join("css/app.css"));
    let fonts: Vec<&str> = attr_values(&css, "url(\"", '"').into_iter().filter(|u| u.ends_with(".woff2")).collect();
    assert!(fonts.len() >= 4, "{fonts:?}");
    for f in &fonts {
        let p = ui().join("css").join(f);
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("app.css names {f}: {e}"));
        assert_eq!(&bytes[..4], b"wOF2", "{f} is not a WOFF2 font");
    }
    let html = read(&ui().join("index.html"));
    let preloads: Vec<&str> = html.lines().filter(|l| l.contains("rel=\"preload\"")).flat_map(|l| attr_values(l, "href=\"", '"')).collect();
    assert!(!preloads.is_empty());
    for p in preloads {
        assert!(fonts.contains(&format!("../{p}").as_str()), "index.html preloads {p}, which no @font-face uses");
    }
    assert!(ui().join("fonts/OFL.txt").is_file(), "the fonts' licence travels with them");
}

#[test]
fn only_api_js_talks_to_the_shell() {
    let mut files = Vec::new();
    js_files(&ui().join("js"), &mut files);
    assert!(files.len() >= 8);
    for f in files {
        if f.ends_with("js/api.js") {
            assert!(read(&f).contains("__TAURI__"));
            continue;
        }
        let src = read(&f);
        assert!(!src.contains("__TAURI__") && !src.contains("invoke("), "{} calls the shell directly: go through api.js", f.display());
    }
}

/// The window's commands are named in five places: the handler (src-tauri/src/lib.rs), the app
/// manifest (build.rs), the capability granting them (capabilities/main.json), their JS wrappers
/// (ui/js/api.js) and their documentation (docs/desktop-api.md). All five name the same set.
#[test]
fn the_desktop_commands_are_the_same_in_every_place_that_names_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let between = |src: &str, start: &str, end: &str| -> String {
        let a = src.find(start).unwrap_or_else(|| panic!("'{start}' not found")) + start.len();
        let b = src[a..].find(end).unwrap_or_else(|| panic!("'{end}' not found after '{start}'")) + a;
        src[a..b].to_string()
    };
    let words = |s: &str, prefix: &str| -> BTreeSet<String> {
        s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':' || c == '-'))
            .filter_map(|w| w.strip_prefix(prefix))
            .map(str::to_string)
            .collect()
    };
    // `commands::name` or `commands::module::name`: the command is the last segment; the
    // workshop's commands (src-tauri/src/workshop.rs) are registered as `workshop::name`.
    let registered = between(&read(&root.join("src-tauri/src/lib.rs")), "generate_handler![", "]");
    let handler: BTreeSet<String> = words(&registered, "commands::")
        .into_iter()
        .map(|w| w.rsplit("::").next().unwrap_or_default().to_string())
        .chain(words(&registered, "workshop::"))
        .collect();
    let manifest: BTreeSet<String> = between(&read(&root.join("src-tauri/build.rs")), "&[", "]")
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    let capability: BTreeSet<String> = words(&read(&root.join("src-tauri/capabilities/main.json")), "allow-")
        .into_iter()
        .map(|w| w.replace('-', "_"))
        .collect();
    let api = read(&ui().join("js/api.js"));
    let invoked: BTreeSet<String> = ["call('", "invoke('", "streamed('"]
        .iter()
        .flat_map(|p| api.split(p).skip(1))
        .filter_map(|s| s.split('\'').next())
        .map(str::to_string)
        .collect();
    let docs = read(&root.join("docs/desktop-api.md"));
    let documented: BTreeSet<String> = docs
        .lines()
        .filter(|l| l.starts_with("| `"))
        .flat_map(|l| l.split('|').nth(1).unwrap_or("").split(" / ").map(|c| c.trim().trim_matches('`').split('(').next().unwrap_or("").to_string()).collect::<Vec<_>>())
        .map(|js| js.chars().flat_map(|c| if c.is_ascii_uppercase() { vec!['_', c.to_ascii_lowercase()] } else { vec![c] }).collect())
        .collect();
    assert!(handler.len() >= 25, "{handler:?}");
    for (place, set) in [("build.rs", &manifest), ("capabilities/main.json", &capability), ("ui/js/api.js", &invoked), ("docs/desktop-api.md", &documented)] {
        let missing: Vec<_> = handler.difference(set).collect();
        let extra: Vec<_> = set.difference(&handler).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{place}: missing {missing:?}, not a command {extra:?}");
    }
}

/// The first screen loads only what it shows: main.js imports api.js alone (the first calls leave
/// at once), then app.js, which imports the home screen statically and every other screen
/// (template, History, settings) and the Markdown renderer on demand, so the window starts as
/// fast with 29 templates and a history of 10,000 runs (tests/bench/desktop.py). index.html
/// preloads exactly the modules of that start.
#[test]
fn the_first_screen_loads_only_what_it_shows() {
    let statics_of = |src: &str| -> Vec<String> { src.lines().filter(|l| l.starts_with("import ")).filter_map(|l| l.split('\'').nth(1)).map(str::to_string).collect() };
    let main = read(&ui().join("js/main.js"));
    assert_eq!(statics_of(&main), ["./api.js"], "main.js starts the first calls before anything else loads");
    assert!(main.contains("import('./app.js')"), "main.js never loads app.js");
    let app = read(&ui().join("js/app.js"));
    let statics = statics_of(&app);
    assert!(statics.iter().any(|s| s == "./views/home.js"), "{statics:?}");
    for lazy in ["./views/template.js", "./views/history.js", "./views/settings.js", "./markdown.js"] {
        assert!(!statics.iter().any(|s| s == lazy), "app.js imports {lazy} at start-up: load it on demand");
    }
    for lazy in ["./views/template.js", "./views/history.js", "./views/settings.js"] {
        assert!(app.contains(&format!("import('{lazy}')")), "app.js never loads {lazy}");
    }
    // Nor does the home screen pull them in through its own imports.
    let home = read(&ui().join("js/views/home.js"));
    assert!(!home.contains("history.js") && !home.contains("template.js") && !home.contains("markdown.js"));
    // The start's whole module graph is preloaded (fetched at once, not level after level), and
    // nothing else is.
    let mut graph = BTreeSet::new();
    let mut todo = vec![ui().join("js/main.js"), ui().join("js/app.js")];
    while let Some(f) = todo.pop() {
        let rel = f.strip_prefix(ui()).unwrap().to_string_lossy().replace('\\', "/");
        if !graph.insert(rel) {
            continue;
        }
        for imp in statics_of(&read(&f)) {
            todo.push(std::fs::canonicalize(f.parent().unwrap().join(imp)).unwrap());
        }
    }
    graph.remove("js/main.js");
    let html = read(&ui().join("index.html"));
    let preloaded: BTreeSet<String> = html.split("<link rel=\"modulepreload\" href=\"").skip(1).map(|p| p.split('"').next().unwrap().to_string()).collect();
    assert_eq!(preloaded, graph, "index.html's modulepreload links");
}

/// The date fields read and show dd/mm/yyyy whatever the system's locale (run by node on the
/// window's own module).
#[test]
#[ignore = "needs nodejs"]
fn dates_are_read_day_first_whatever_the_locale() {
    let module = ui().join("js/dateinput.js");
    let script = format!(
        "import {{ parseDate, displayDate }} from {:?};
         const cases = ['16/11/2026', '16-11-2026', '16.11.2026', '2026-11-16', '١٦/١١/٢٠٢٦', '31/02/2026', '11/16/2026', '16/11/26', ''];
         console.log(JSON.stringify({{ parsed: cases.map(parseDate), shown: ['2026-11-16', '16/11/2026', '2026-02-31', 'demain'].map(displayDate) }}));",
        format!("file://{}", module.display())
    );
    let out = std::process::Command::new("node")
        .args(["--input-type=module", "-e", &script])
        .env("LANG", "en_US.UTF-8")
        .env("TZ", "America/New_York")
        .output()
        .unwrap_or_else(|e| panic!("nodejs is needed (Debian: apt-get install nodejs): {e}"));
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let day = serde_json::json!({"y": 2026, "m": 11, "d": 16});
    assert_eq!(v["parsed"], serde_json::json!([day, day, day, day, day, null, null, null, null]), "{v}");
    assert_eq!(v["shown"], serde_json::json!(["16/11/2026", "16/11/2026", "2026-02-31", "demain"]), "{v}");
}

/// The editor's in-page preview (ui/wasm/preview.wasm, run by node through the window's own
/// module, editor/preview.js) says exactly what the shell's preview says: every built-in
/// template on its sample, and edits of its body (variables, a syntax error, an unknown name, a
/// render error). It fails when the committed .wasm renders differently from katib-render
/// (crates/render/wasm/build.sh rebuilds it).
#[test]
#[ignore = "needs nodejs"]
fn the_in_page_preview_renders_as_the_shell_does() {
    use katib_workshop::editor::Editor;
    let sb = crate::util::Sandbox::new();
    let wb = katib_core::run::Workbench::load_from(katib_core::config::Paths { config_dir: sb.config(), data_dir: sb.path("data") }).unwrap();
    let mut ed = Editor::new(&wb);
    let (mut contexts, mut cases) = (Vec::new(), Vec::new());
    for s in wb.samples.iter().filter(|s| s.name.is_none()) {
        let tpl = wb.template(&s.template).unwrap();
        let text = read(&tpl.path);
        let inputs = ed.sample_inputs(&tpl.id).unwrap();
        let base = ed.preview(&text, &tpl.path, &inputs, None);
        assert!(base.ok, "{}: {:?}", tpl.id, base.error);
        let ctx = base.context.unwrap_or_else(|| panic!("{}: no body context", tpl.id));
        contexts.push(ctx.json.expect("the context's JSON, the page holding none"));
        let field = &tpl.fields[0].name;
        let edits = [
            String::new(),
            format!("\nAjout : {{{{ {field} }}}} le {{{{ today }}}}\n{{% if {field} %}}rempli{{% else %}}vide{{% endif %}}"),
            "\n{% if %}".to_string(),
            "\n{{ champ_inconnu }}".to_string(),
            "\n{{ today.jour.mois }}".to_string(),
        ];
        for edit in edits {
            let typed = format!("{text}{edit}");
            let p = ed.preview(&typed, &tpl.path, &inputs, Some(&ctx.key));
            assert_eq!(p.context.as_ref().map(|c| (c.key.as_str(), c.json.is_none())), Some((ctx.key.as_str(), true)), "{}: the body alone changed", tpl.id);
            let expect = match p.error {
                None => serde_json::json!({"ok": true, "user": p.user}),
                Some(e) => serde_json::json!({"ok": false, "error": {"line": e.line, "message": e.message, "code": e.code}}),
            };
            cases.push(serde_json::json!({"context": contexts.len() - 1, "id": tpl.id, "text": typed, "expect": expect}));
        }
    }
    assert!(contexts.len() >= 20, "{} templates with a sample", contexts.len());
    let input = sb.path("cases.json");
    std::fs::write(&input, serde_json::json!({"contexts": contexts, "cases": cases}).to_string()).unwrap();
    let script = format!(
        "import {{ instantiate, setContext, render }} from {module:?};
         import {{ readFileSync }} from 'node:fs';
         await instantiate(readFileSync({wasm:?}));
         const {{ contexts, cases }} = JSON.parse(readFileSync({input:?}, 'utf8'));
         let held = -1;
         const out = cases.map((c) => {{
           if (c.context !== held) {{ setContext({{ key: 'k' + c.context, json: contexts[c.context] }}); held = c.context; }}
           return render(c.text);
         }});
         console.log(JSON.stringify(out));",
        module = format!("file://{}", ui().join("js/views/editor/preview.js").display()),
        wasm = ui().join("wasm/preview.wasm").display().to_string(),
        input = input.display().to_string(),
    );
    let out = std::process::Command::new("node")
        .args(["--input-type=module", "-e", &script])
        .output()
        .unwrap_or_else(|e| panic!("nodejs is needed (Debian: apt-get install nodejs): {e}"));
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    let got: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(got.len(), cases.len());
    let (mut ok, mut failed) = (0, 0);
    for (c, g) in cases.iter().zip(&got) {
        assert_eq!(g, &c["expect"], "{}: the page's preview of {:?}", c["id"], c["text"].as_str().unwrap().lines().last());
        if g["ok"] == true { ok += 1 } else { failed += 1 }
    }
    // Each template rendered both ways, and each kind of error met.
    assert!(ok >= 2 * contexts.len() && failed >= 3 * contexts.len(), "{ok} rendered, {failed} refused");
}
