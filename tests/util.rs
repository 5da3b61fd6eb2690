//! Test helpers: a sandbox per test (its own config, data and output folders, so no test touches
//! a user's settings or keychain), the `katib` binary, and an independent .docx reader.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::Builder::new().prefix("katib-test-").tempdir().expect("tempdir");
        for d in ["config", "data", "out"] {
            std::fs::create_dir_all(dir.path().join(d)).expect("mkdir");
        }
        Sandbox { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn config(&self) -> PathBuf {
        self.path("config")
    }

    pub fn out(&self, name: &str) -> PathBuf {
        self.path("out").join(name)
    }

    /// `katib` with this sandbox's dirs, instant practice mode, and no key from the environment.
    pub fn katib(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_katib"));
        c.env("KATIB_CONFIG_DIR", self.config())
            .env("KATIB_DATA_DIR", self.path("data"))
            .env("KATIB_PRACTICE_PACE_MS", "0")
            .env_remove("KATIB_API_KEY")
            .env_remove("KATIB_RESOURCES_DIR")
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.katib().args(args).output().expect("run katib")
    }

    /// Every file under the sandbox, recursively, with its bytes.
    pub fn all_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if let Ok(b) = std::fs::read(&p) {
                    out.push((p, b));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.dir.path(), &mut out);
        out
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts success, showing stderr when it fails.
#[track_caller]
pub fn ok(o: &Output) {
    assert!(o.status.success(), "exit {:?}\nstderr: {}\nstdout: {}", o.status.code(), stderr(o), stdout(o));
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn samples_dir() -> PathBuf {
    repo().join("samples")
}

/// One paragraph of a .docx as an independent reader sees it.
#[derive(Debug, Clone, Default)]
pub struct DocxPara {
    pub text: String,
    pub style: Option<String>,
    pub num_id: Option<String>,
    pub bidi: bool,
    pub in_table: bool,
}

/// Reads word/document.xml with zip + quick-xml, independently of docx-rs (which wrote it) and
/// of katib-core's reader.
pub fn docx_paragraphs(path: &Path) -> Vec<DocxPara> {
    let xml = docx_part(path, "word/document.xml");
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(&xml);
    let mut out = Vec::new();
    let mut cur: Option<DocxPara> = None;
    let mut in_t = false;
    let mut tables = 0;
    let val = |e: &quick_xml::events::BytesStart| {
        e.attributes().flatten().find(|a| a.key.local_name().as_ref() == b"val").map(|a| String::from_utf8_lossy(&a.value).to_string())
    };
    loop {
        match r.read_event().expect("xml") {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"p" => cur = Some(DocxPara { in_table: tables > 0, ..Default::default() }),
                b"tbl" => tables += 1,
                b"pStyle" => {
                    if let Some(c) = cur.as_mut() {
                        c.style = val(&e)
                    }
                }
                b"numId" => {
                    if let Some(c) = cur.as_mut() {
                        c.num_id = val(&e)
                    }
                }
                b"bidi" => {
                    if let Some(c) = cur.as_mut() {
                        c.bidi = true
                    }
                }
                b"t" => in_t = true,
                _ => {}
            },
            Event::Text(t) if in_t => {
                if let Some(c) = cur.as_mut() {
                    c.text.push_str(&t.unescape().expect("text"));
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_t = false,
                b"tbl" => tables -= 1,
                b"p" => {
                    if let Some(c) = cur.take() {
                        out.push(c);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

pub fn docx_part(path: &Path, name: &str) -> String {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut z = zip::ZipArchive::new(f).expect("a zip");
    let mut s = String::new();
    z.by_name(name).unwrap_or_else(|_| panic!("{name} in {}", path.display())).read_to_string(&mut s).expect("utf8");
    s
}

/// All paragraph texts joined by newlines (non-empty ones).
pub fn docx_text(path: &Path) -> String {
    docx_paragraphs(path).into_iter().map(|p| p.text).filter(|t| !t.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

/// Markdown answer -> the plain sentences we expect to find in an export: each non-empty line
/// stripped of list markers, emphasis and table pipes.
pub fn expected_lines(md: &str) -> Vec<String> {
    md.lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with("|") && !l.chars().all(|c| c == '-' || c == '|' || c == ' ' || c == ':'))
        .map(|l| {
            let l = l.trim_start_matches('#').trim();
            let l = l.strip_prefix("- ").or_else(|| l.strip_prefix("* ")).unwrap_or(l);
            let l = match l.split_once(". ") {
                Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => rest,
                _ => l,
            };
            l.replace("**", "").replace(['*', '`'], "")
        })
        .collect()
}

/// LibreOffice (for tests marked `#[ignore = "needs LibreOffice..."]`: it is a failure when it is
/// missing) converts `files` to `fmt` in `outdir`, in ONE call (a start of soffice costs seconds):
/// the results, in the order of `files`.
pub fn libreoffice_batch(files: &[&Path], fmt: &str, outdir: &Path) -> Vec<PathBuf> {
    let lo = ["soffice", "libreoffice"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success()))
        .expect("LibreOffice (soffice) is needed by this test: install libreoffice-writer-nogui and libreoffice-calc-nogui, or run tests/run.sh");
    std::fs::create_dir_all(outdir).expect("outdir");
    let profile = outdir.join("lo-profile");
    let st = Command::new(lo)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", fmt, "--outdir"])
        .arg(outdir)
        .args(files)
        .output()
        .expect("libreoffice");
    assert!(st.status.success(), "libreoffice failed: {}", String::from_utf8_lossy(&st.stderr));
    let ext = fmt.split(':').next().unwrap_or(fmt);
    files
        .iter()
        .map(|f| {
            let out = outdir.join(format!("{}.{ext}", f.file_stem().expect("stem").to_string_lossy()));
            assert!(out.exists(), "LibreOffice wrote no {}: {}", out.display(), String::from_utf8_lossy(&st.stderr));
            out
        })
        .collect()
}

/// The text of a PDF as pdftotext (poppler) reads it, in reading order, without the invisible
/// direction marks it (and Katib) put around right-to-left and left-to-right stretches.
pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed by this test, or run tests/run.sh");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    text.chars().filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')).collect()
}

/// Text compared the way a reader compares it: without white space (pdftotext moves the spaces
/// around numbers inside Arabic lines, and wraps table cells), without the kashidas (tatweel) a
/// justified Arabic line is stretched with, and with each lam-alef ligature
/// ("لا", "لأ"...) as pdftotext extracts it, alef first: so "ولاية" reads "والية" on both sides.
pub fn reading_form(s: &str) -> String {
    let mut out: Vec<char> = s.chars().filter(|c| !c.is_whitespace() && *c != '\u{0640}').collect();
    for i in 0..out.len().saturating_sub(1) {
        if out[i] == 'ل' && matches!(out[i + 1], 'ا' | 'أ' | 'إ' | 'آ') {
            out.swap(i, i + 1);
        }
    }
    out.into_iter().collect()
}

/// Asserts that `pieces` occur in `text` in this order (compared in their [`reading_form`]).
#[track_caller]
pub fn assert_in_order(text: &str, pieces: &[&str]) {
    let hay = reading_form(text);
    let mut at = 0;
    for piece in pieces {
        let p = reading_form(piece);
        match hay[at..].find(&p) {
            Some(i) => at += i + p.len(),
            None => panic!("'{piece}' not found in order in:\n{text}"),
        }
    }
}

/// Asserts that the WORDS of `phrases` occur in `text` in this order, other words allowed in
/// between: a line broken differently, a justified Arabic line, a table cell wrapped over
/// several lines with its neighbours' words interleaved all still read right.
#[track_caller]
pub fn assert_words_in_order(text: &str, phrases: &[&str]) {
    let hay = reading_form(text);
    let mut at = 0;
    for phrase in phrases {
        for word in phrase.split_whitespace() {
            let w = reading_form(word);
            match hay[at..].find(&w) {
                Some(i) => at += i + w.len(),
                None => panic!("'{word}' (of '{phrase}') not found in order in:\n{text}"),
            }
        }
    }
}

/// Renders `pdf`'s first page to docs/renders/NAME.png when KATIB_WRITE_RENDERS is set (how the
/// README's pictures are made).
pub fn render_first_page(pdf: &Path, name: &str) {
    if std::env::var_os("KATIB_WRITE_RENDERS").is_none() {
        return;
    }
    let dir = repo().join("docs/renders");
    std::fs::create_dir_all(&dir).expect("docs/renders");
    let st = Command::new("pdftoppm").args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]).arg(pdf).arg(dir.join(name)).status().expect("pdftoppm");
    assert!(st.success(), "pdftoppm failed");
}
