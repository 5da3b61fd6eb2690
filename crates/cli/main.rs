//! `katib`: every capability of the Katib workbench, headless and scriptable.
//!
//! A thin layer over katib-core: clap parses, core does the work, and `main` alone prints errors
//! and picks exit codes (see `EXIT CODES` in `--help`). Answers stream to stdout; messages go to
//! stderr, one line per error (a JSON object with `--json`).

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use clap::{Args, Parser, Subcommand};
use katib_core::config::{self, Profile, Profiles, PRACTICE};
use katib_core::providers::{complete_cancellable, CancellationToken};
use katib_core::run::{self, Inputs, Workbench};
use katib_core::secrets::{self, ApiKey};
use katib_core::templates::{self, Template};
use katib_core::{export, samples, Lang};
use serde_json::json;

const AFTER_HELP: &str = "\
EXIT CODES:
  0  success            3  template or field error    6  practice mode has no saved answer
  1  other error        4  input file error           7  export error
  2  usage error        5  endpoint (provider) error  8  configuration or keychain error
  130 cancelled (Ctrl-C)

ENVIRONMENT:
  KATIB_CONFIG_DIR  config folder (config.toml, profiles.toml); default: the platform's
  KATIB_DATA_DIR    data folder
  KATIB_API_KEY     API key used when no OS keychain is reachable (or none is stored)
  KATIB_RESOURCES_DIR  folder holding prompts/ and samples/
  KATIB_PRACTICE_PACE_MS  practice mode's pause between words (0: instant)";

#[derive(Parser)]
#[command(name = "katib", version, about = "Katib (كاتب): AI drafting workbench for administrative work, headless.", after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List, show and lint prompt templates.
    #[command(subcommand)]
    Templates(TemplatesCmd),
    /// Render a template with its inputs, send it, stream the answer, export it.
    Run(RunArgs),
    /// Manage LLM endpoint profiles (any OpenAI-compatible server).
    #[command(subcommand)]
    Profiles(ProfilesCmd),
    /// Store or delete a profile's API key in the OS keychain (read from stdin, never argv).
    #[command(subcommand)]
    Key(KeyCmd),
    /// The built-in samples that practice mode answers offline.
    #[command(subcommand)]
    Samples(SamplesCmd),
    /// Turn a Markdown file (an edited answer) into .docx, .xlsx, .md or .txt.
    Export(ExportArgs),
}

#[derive(Args)]
struct ExportArgs {
    /// The Markdown file.
    input: PathBuf,
    /// The file to write: .docx, .xlsx (the tables), .md or .txt.
    #[arg(long, short)]
    out: PathBuf,
    /// Also write the text's tables to this .xlsx workbook.
    #[arg(long, value_name = "PATH")]
    xlsx: Option<PathBuf>,
    /// Document language: fr, ar (right-to-left) or en.
    #[arg(long, default_value = "fr")]
    lang: String,
    /// Title (reports): written first unless the text starts with a heading.
    #[arg(long)]
    title: Option<String>,
    /// Add a table of contents after the title.
    #[arg(long)]
    toc: bool,
    /// Replace the output if it exists.
    #[arg(long)]
    force: bool,
}

#[derive(Subcommand)]
enum TemplatesCmd {
    /// List the templates (built-in and from the user's templates folder).
    List {
        #[arg(long)]
        json: bool,
        /// Language of titles: fr, ar or en.
        #[arg(long, default_value = "fr")]
        lang: String,
    },
    /// Show one template: fields, language, export, prompt source.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "fr")]
        lang: String,
    },
    /// Lint every template in a folder; exit 3 if any is broken.
    Validate {
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct RunArgs {
    /// Template id (see `katib templates list`).
    template: String,
    /// Take the inputs from the template's sample (optionally a named one, e.g. `--sample ar`).
    #[arg(long, num_args = 0..=1, default_missing_value = "", value_name = "NAME")]
    sample: Option<String>,
    /// Set a field: --set objet="Demande de ..." (repeatable; overrides the sample).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    sets: Vec<String>,
    /// Attach a file to a file field: --file tableau=budget.xlsx (repeatable).
    #[arg(long = "file", value_name = "FIELD=PATH")]
    files: Vec<String>,
    /// Endpoint profile; `practice` for the offline mode. Default: the configured default.
    #[arg(long)]
    profile: Option<String>,
    /// Export the answer: .docx, .xlsx (the answer's tables), .md or .txt.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Fill this Word letterhead (with {{objet}}, {{corps}}, {{date}}... placeholders) instead
    /// of laying the letter out; --out must be a .docx. Default: [letterhead] docx in config.toml.
    #[arg(long, value_name = "DOCX")]
    letterhead: Option<PathBuf>,
    /// Also write the answer's tables to this .xlsx workbook.
    #[arg(long, value_name = "PATH")]
    xlsx: Option<PathBuf>,
    /// Reports: add a table of contents after the title.
    #[arg(long)]
    toc: bool,
    /// Reports: leave out the "prepared with" line (template, model, date).
    #[arg(long)]
    no_prepared_with: bool,
    /// Replace the --out and --xlsx files if they exist.
    #[arg(long)]
    force: bool,
    /// Print the exact messages that would be sent, and send nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print one JSON object at the end instead of streaming text.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum ProfilesCmd {
    /// List the profiles (and which one is the default).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add a profile. With --preset, base URL and model default to the preset's.
    Add {
        name: String,
        #[arg(long)]
        base_url: Option<String>,
        #[arg(long)]
        model: Option<String>,
        /// openai, mistral, ollama, llamacpp, lmstudio, vllm, litellm
        #[arg(long)]
        preset: Option<String>,
        #[arg(long)]
        temperature: Option<f32>,
        #[arg(long)]
        max_tokens: Option<u32>,
        /// Extra header: --header X-Org=oujda (repeatable).
        #[arg(long = "header", value_name = "NAME=VALUE")]
        headers: Vec<String>,
        /// Seconds to wait for the first token.
        #[arg(long)]
        first_token_timeout: Option<u64>,
        /// Seconds of silence tolerated mid-answer.
        #[arg(long)]
        idle_timeout: Option<u64>,
        #[arg(long)]
        retries: Option<u32>,
        /// Ask for whole answers instead of streams.
        #[arg(long)]
        no_stream: bool,
        /// Make it the default profile.
        #[arg(long)]
        default: bool,
    },
    /// Remove a profile (its key stays in the keychain: `katib key delete NAME`).
    Remove { name: String },
    /// Make a profile (or `practice`) the default.
    Default { name: String },
    /// Test the connection: list the endpoint's models.
    Test {
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The presets known to `profiles add --preset`.
    Presets {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum KeyCmd {
    /// Store PROFILE's key: piped on stdin, or typed at a hidden prompt.
    Set { profile: String },
    /// Delete PROFILE's key from the keychain.
    Delete { profile: String },
}

#[derive(Subcommand)]
enum SamplesCmd {
    /// List the samples, by template.
    List {
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "fr")]
        lang: String,
    },
}

/// An error and how to report it.
struct Failure {
    code: String,
    message: String,
    exit: u8,
}

impl From<katib_core::Error> for Failure {
    fn from(e: katib_core::Error) -> Failure {
        Failure { code: e.code().into(), message: e.to_string(), exit: e.exit_code().clamp(0, 255) as u8 }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        match e.downcast::<katib_core::Error>() {
            Ok(k) => k.into(),
            Err(e) => Failure { code: "error".into(), message: format!("{e:#}"), exit: 1 },
        }
    }
}

macro_rules! core_err {
    ($e:expr) => {
        katib_core::Error::from($e)
    };
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = match &cli.command {
        Command::Templates(TemplatesCmd::List { json, .. } | TemplatesCmd::Show { json, .. } | TemplatesCmd::Validate { json, .. }) => *json,
        Command::Run(a) => a.json,
        Command::Profiles(ProfilesCmd::List { json } | ProfilesCmd::Test { json, .. } | ProfilesCmd::Presets { json }) => *json,
        Command::Samples(SamplesCmd::List { json, .. }) => *json,
        _ => false,
    };
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if json {
                eprintln!("{}", json!({"error": {"code": f.code, "message": f.message}}));
            } else {
                eprintln!("katib: error: {}", f.message);
            }
            ExitCode::from(f.exit)
        }
    }
}

/// A notice on stderr: a line of text, or a JSON object with `--json`.
fn note(message: &str, json: bool) {
    if json {
        eprintln!("{}", json!({"note": message}));
    } else {
        eprintln!("katib: note: {message}");
    }
}

fn dispatch(cmd: Command) -> Result<(), Failure> {
    match cmd {
        Command::Templates(c) => templates_cmd(c),
        Command::Run(a) => run_cmd(a),
        Command::Profiles(c) => profiles_cmd(c),
        Command::Key(c) => key_cmd(c),
        Command::Samples(c) => samples_cmd(c),
        Command::Export(a) => export_cmd(a),
    }
}

fn lang(s: &str) -> Result<Lang, Failure> {
    Lang::parse(s).ok_or_else(|| Failure { code: "usage".into(), message: format!("unknown language '{s}': use fr, ar or en"), exit: 2 })
}

fn template_json(t: &Template, l: Lang) -> serde_json::Value {
    json!({
        "id": t.id,
        "version": t.version,
        "category": t.category,
        "output": t.output,
        "export": t.export,
        "language": t.language,
        "title": t.title.get(l),
        "description": t.description.get(l),
        "builtin": t.builtin,
        "path": t.path,
        "fields": t.fields.iter().map(|f| json!({
            "name": f.name,
            "type": f.kind,
            "required": f.required,
            "label": f.label.get(l),
            "help": f.help.as_ref().map(|h| h.get(l)),
            "default": f.default_text(),
            "options": f.options.iter().map(|o| json!({"value": o.value(), "label": o.label(l)})).collect::<Vec<_>>(),
            "accept": f.accept,
        })).collect::<Vec<_>>(),
        "letter": t.letter,
    })
}

fn templates_cmd(c: TemplatesCmd) -> Result<(), Failure> {
    match c {
        TemplatesCmd::List { json, lang: l } => {
            let l = lang(&l)?;
            let wb = Workbench::load()?;
            if json {
                let all: Vec<_> = wb.catalog.all().iter().map(|t| template_json(t, l)).collect();
                println!("{}", serde_json::to_string_pretty(&all).expect("json"));
                return Ok(());
            }
            let mut current = None;
            for t in wb.catalog.all() {
                if current != Some(t.category) {
                    println!("{}", t.category.label(l));
                    current = Some(t.category);
                }
                let origin = if t.builtin { "" } else { "  [user]" };
                println!("  {:<18} {}{origin}", t.id, t.title.get(l));
            }
            Ok(())
        }
        TemplatesCmd::Show { id, json, lang: l } => {
            let l = lang(&l)?;
            let wb = Workbench::load()?;
            let t = wb.catalog.get(&id).map_err(|e| core_err!(e))?;
            if json {
                let mut v = template_json(t, l);
                v["system"] = json!(t.system);
                v["body"] = json!(t.body);
                println!("{}", serde_json::to_string_pretty(&v).expect("json"));
                return Ok(());
            }
            println!("{} ({}, v{})\n{}\n", t.title.get(l), t.id, t.version, t.description.get(l));
            println!("category: {:?}  output: {:?}  export: {:?}  file: {}", t.category, t.output, t.export, t.path.display());
            println!("\nfields:");
            for f in &t.fields {
                let mut extra = String::new();
                if !f.options.is_empty() {
                    extra = format!(" [{}]", f.options.iter().map(|o| o.value()).collect::<Vec<_>>().join("|"));
                }
                if !f.accept.is_empty() {
                    extra = format!(" [{}]", f.accept.iter().map(|a| format!("{a:?}").to_lowercase()).collect::<Vec<_>>().join("|"));
                }
                if let Some(d) = f.default_text() {
                    extra.push_str(&format!(" (default: {d})"));
                }
                let req = if f.required { "*" } else { " " };
                println!("  {req} {:<16} {:<9}{extra}  {}", f.name, format!("{:?}", f.kind).to_lowercase(), f.label.get(l));
            }
            println!("\n(* required)  Try it: katib run {} --sample --dry-run", t.id);
            Ok(())
        }
        TemplatesCmd::Validate { dir, json } => {
            let results = templates::validate_dir(&dir).map_err(|e| core_err!(e))?;
            let mut broken = 0;
            let mut report = Vec::new();
            for r in &results {
                match r {
                    Ok(t) => {
                        let unused = t.unused_fields();
                        if !json {
                            println!("ok    {} ({})", t.path.display(), t.id);
                            for u in &unused {
                                println!("      warning: field '{u}' is never used in the prompt");
                            }
                        }
                        report.push(json!({"path": t.path, "id": t.id, "ok": true, "unused_fields": unused}));
                    }
                    Err(e) => {
                        broken += 1;
                        if !json {
                            println!("error {e}");
                        }
                        report.push(json!({"ok": false, "code": e.code(), "message": e.to_string()}));
                    }
                }
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&report).expect("json"));
            } else {
                println!("{} template(s), {broken} broken", results.len());
            }
            if results.is_empty() {
                return Err(Failure { code: "template.none".into(), message: format!("no templates (*.md) in {}", dir.display()), exit: 3 });
            }
            if broken > 0 {
                return Err(Failure { code: "template.invalid".into(), message: format!("{broken} broken template(s) in {}", dir.display()), exit: 3 });
            }
            Ok(())
        }
    }
}

fn split_pair(s: &str, flag: &str) -> Result<(String, String), Failure> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| Failure { code: "usage".into(), message: format!("{flag} expects FIELD=VALUE, got '{s}'"), exit: 2 })
}

fn run_cmd(a: RunArgs) -> Result<(), Failure> {
    let wb = Workbench::load()?;
    let tpl = wb.catalog.get(&a.template).map_err(|e| core_err!(e))?;
    let mut inputs = Inputs::default();
    let mut today = run::today();
    if let Some(name) = &a.sample {
        let name = Some(name.as_str()).filter(|n| !n.is_empty());
        let s = samples::find(&wb.samples, &tpl.id, name).map_err(|e| core_err!(e))?;
        inputs = Inputs::from_sample(s);
        today = run::sample_today(s);
    }
    for s in &a.sets {
        let (k, v) = split_pair(s, "--set")?;
        inputs.files.remove(&k);
        inputs.values.insert(k, v);
    }
    for s in &a.files {
        let (k, v) = split_pair(s, "--file")?;
        inputs.values.remove(&k);
        inputs.files.insert(k, PathBuf::from(v));
    }
    // Check the export targets before spending a generation on them.
    let letterhead = match &a.out {
        Some(out) => run::letterhead_for(tpl, &wb.settings, a.letterhead.as_deref(), out),
        None => a.letterhead.clone(),
    };
    check_targets(a.out.as_deref(), a.xlsx.as_deref(), a.force)?;
    if let Some(lh) = &letterhead {
        if a.out.as_ref().map(|o| export::format_of(o).ok()) != Some(Some(export::Format::Docx)) {
            return Err(usage("--letterhead fills a Word letterhead: --out must name a .docx file"));
        }
        if !lh.is_file() {
            return Err(core_err!(export::ExportError::Letterhead { path: lh.clone(), reason: "no such file".into() }).into());
        }
        export::check_letterhead(lh).map_err(|e| core_err!(e))?;
    }
    // A letter laid out by Katib carries the settings' logo: a bad one fails now, not after the
    // answer.
    if let (Some(logo), None, templates::OutputKind::Letter) = (&wb.settings.letterhead.logo, &letterhead, tpl.output) {
        if a.out.as_ref().is_some_and(|o| export::format_of(o).ok() == Some(export::Format::Docx)) {
            export::check_logo(logo).map_err(|e| core_err!(e))?;
        }
    }
    let prepared = run::prepare(tpl, &inputs, &wb.limits(), &today)?;
    if a.dry_run {
        if a.json {
            println!("{}", serde_json::to_string_pretty(&json!({"template": tpl.id, "language": prepared.language, "messages": prepared.messages()})).expect("json"));
        } else {
            for m in prepared.messages() {
                println!("===== {:?} =====\n{}\n", m.role, m.content);
            }
        }
        return Ok(());
    }
    // The keychain is read here, before any async runtime exists.
    let chosen = wb.provider(a.profile.as_deref())?;
    if let Some(n) = &chosen.notice {
        note(&n.message, a.json);
    }
    let provider = chosen.provider;
    // One thread: a stream is one socket, and cross-thread wake-ups per chunk cost more than
    // they give (measured: 4x the system time of curl on a 100,000-token stream).
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let cancel = CancellationToken::new();
    let req = prepared.request();
    let stream_out = !a.json;
    let result = rt.block_on(async {
        let c = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                c.cancel();
            }
        });
        let mut stdout = std::io::stdout();
        let mut sink = |piece: &str| {
            if stream_out {
                let _ = stdout.write_all(piece.as_bytes());
                let _ = stdout.flush();
            }
        };
        complete_cancellable(provider.as_ref(), &req, &mut sink, &cancel).await
    });
    let completion = match result {
        Ok(c) => c,
        Err(e) => {
            if stream_out {
                println!();
            }
            if let (Some(partial), Some(out)) = (e.partial(), &a.out) {
                let keep = out.with_extension("partiel.md");
                if katib_core::fsutil::write_atomic(&keep, partial.as_bytes(), a.force).is_ok() {
                    note(&format!("the partial answer was saved to {}", keep.display()), a.json);
                }
            }
            return Err(core_err!(e).into());
        }
    };
    if stream_out && !completion.text.ends_with('\n') {
        println!();
    }
    if completion.finish_reason.as_deref() == Some("length") {
        eprintln!("katib: note: the answer reached the profile's max_tokens limit and may be cut short");
    }
    let opts = run::ExportOptions { model: Some(provider.model().to_string()), today: today.clone(), no_prepared_with: a.no_prepared_with, toc: a.toc };
    let doc = wb.export_doc(tpl, &prepared, &completion.text, &opts);
    if let Some(out) = &a.out {
        export::write_into(out, &doc, letterhead.as_deref(), a.force).map_err(|e| core_err!(e))?;
        if !a.json {
            eprintln!("katib: saved {}", out.display());
        }
    }
    if let Some(x) = &a.xlsx {
        export::write(x, &doc, a.force).map_err(|e| core_err!(e))?;
        if !a.json {
            eprintln!("katib: saved {}", x.display());
        }
    }
    if a.json {
        let v = json!({
            "template": tpl.id,
            "profile": provider.name(),
            "model": provider.model(),
            "language": prepared.language,
            "text": completion.text,
            "finish_reason": completion.finish_reason,
            "usage": completion.usage,
            "out": a.out,
            "xlsx": a.xlsx,
        });
        println!("{}", serde_json::to_string_pretty(&v).expect("json"));
    }
    Ok(())
}

fn load_profiles() -> Result<(config::Paths, Profiles), Failure> {
    let paths = config::Paths::from_env().map_err(|e| core_err!(e))?;
    let profiles = Profiles::load(&paths).map_err(|e| core_err!(e))?;
    Ok((paths, profiles))
}

fn profiles_cmd(c: ProfilesCmd) -> Result<(), Failure> {
    match c {
        ProfilesCmd::List { json } => {
            let (paths, ps) = load_profiles()?;
            let default = ps.default.clone().unwrap_or_else(|| PRACTICE.into());
            if json {
                let list: Vec<_> = ps.profiles.iter().map(|p| json!({
                    "name": p.name, "base_url": p.base_url, "model": p.model, "preset": p.preset,
                    "temperature": p.temperature, "max_tokens": p.max_tokens, "stream": p.stream,
                    "default": p.name == default,
                })).collect();
                println!("{}", serde_json::to_string_pretty(&json!({"default": default, "profiles": list, "file": paths.profiles_file()})).expect("json"));
                return Ok(());
            }
            let mark = |n: &str| if n == default { "*" } else { " " };
            println!("{} {:<14} offline practice mode (built-in samples only)", mark(PRACTICE), PRACTICE);
            for p in &ps.profiles {
                println!("{} {:<14} {}  model {}", mark(&p.name), p.name, p.base_url, p.model);
            }
            println!("\n(* default)  file: {}", paths.profiles_file().display());
            Ok(())
        }
        ProfilesCmd::Add { name, base_url, model, preset, temperature, max_tokens, headers, first_token_timeout, idle_timeout, retries, no_stream, default } => {
            let (paths, mut ps) = load_profiles()?;
            let pre = preset.as_deref().map(config::preset).transpose().map_err(|e| core_err!(e))?;
            let base_url = base_url
                .or_else(|| pre.map(|p| p.base_url.to_string()))
                .ok_or_else(|| Failure { code: "usage".into(), message: "--base-url is required (or --preset)".into(), exit: 2 })?;
            let model = model
                .or_else(|| pre.map(|p| p.model_hint.to_string()))
                .ok_or_else(|| Failure { code: "usage".into(), message: "--model is required (or --preset)".into(), exit: 2 })?;
            let mut p = Profile::new(&name, &base_url, &model);
            p.preset = pre.map(|p| p.id.to_string());
            p.temperature = temperature;
            p.max_tokens = max_tokens;
            p.stream = !no_stream;
            for h in headers {
                let (k, v) = split_pair(&h, "--header")?;
                p.headers.insert(k, v);
            }
            if let Some(t) = first_token_timeout {
                p.first_token_timeout_secs = t;
            }
            if let Some(t) = idle_timeout {
                p.idle_timeout_secs = t;
            }
            if let Some(r) = retries {
                p.retries = r;
            }
            ps.add(p, &paths).map_err(|e| core_err!(e))?;
            if default {
                ps.default = Some(name.clone());
            }
            ps.save(&paths).map_err(|e| core_err!(e))?;
            eprintln!("katib: profile '{name}' added to {}", paths.profiles_file().display());
            if pre.is_some_and(|p| p.needs_key) {
                eprintln!("katib: this endpoint needs an API key: katib key set {name}");
            }
            Ok(())
        }
        ProfilesCmd::Remove { name } => {
            let (paths, mut ps) = load_profiles()?;
            ps.remove(&name).map_err(|e| core_err!(e))?;
            ps.save(&paths).map_err(|e| core_err!(e))?;
            eprintln!("katib: profile '{name}' removed");
            Ok(())
        }
        ProfilesCmd::Default { name } => {
            let (paths, mut ps) = load_profiles()?;
            if name != PRACTICE {
                ps.get(&name).map_err(|e| core_err!(e))?;
            }
            ps.default = if name == PRACTICE { None } else { Some(name.clone()) };
            ps.save(&paths).map_err(|e| core_err!(e))?;
            Ok(())
        }
        ProfilesCmd::Test { name, json } => {
            let wb = Workbench::load()?;
            let chosen = wb.provider(name.as_deref())?;
            if let Some(n) = &chosen.notice {
                note(&n.message, json);
            }
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().context("runtime")?;
            let models = rt.block_on(chosen.provider.list_models()).map_err(|e| core_err!(e))?;
            let model = chosen.provider.model().to_string();
            let served = models.contains(&model);
            if json {
                println!("{}", json!({"profile": chosen.provider.name(), "ok": true, "models": models, "model": model, "model_served": served, "key_source": chosen.key_source}));
            } else {
                println!("ok: {} answers; {} model(s): {}", chosen.provider.name(), models.len(), models.join(", "));
                if !served && chosen.provider.name() != PRACTICE {
                    println!("warning: the profile's model '{model}' is not in that list");
                }
            }
            Ok(())
        }
        ProfilesCmd::Presets { json } => {
            if json {
                println!("{}", serde_json::to_string_pretty(config::PRESETS).expect("json"));
            } else {
                for p in config::PRESETS {
                    println!("{:<9} {:<18} {:<28} e.g. {}{}", p.id, p.name, p.base_url, p.model_hint, if p.needs_key { "  (API key)" } else { "" });
                }
            }
            Ok(())
        }
    }
}

fn key_cmd(c: KeyCmd) -> Result<(), Failure> {
    match c {
        KeyCmd::Set { profile } => {
            let (_, ps) = load_profiles()?;
            ps.get(&profile).map_err(|e| core_err!(e))?;
            let key = read_key(&profile)?;
            secrets::set_key(&profile, &key).map_err(|e| core_err!(e))?;
            eprintln!("katib: key stored in the OS keychain for profile '{profile}'");
            Ok(())
        }
        KeyCmd::Delete { profile } => {
            let existed = secrets::delete_key(&profile).map_err(|e| core_err!(e))?;
            eprintln!("katib: {}", if existed { format!("key of '{profile}' deleted") } else { format!("no key stored for '{profile}'") });
            Ok(())
        }
    }
}

/// The key from stdin: a hidden prompt on a terminal, else the first line of the pipe.
fn read_key(profile: &str) -> Result<ApiKey, Failure> {
    let stdin = std::io::stdin();
    let key = if stdin.is_terminal() {
        rpassword::prompt_password(format!("API key for '{profile}' (hidden): ")).map_err(|e| anyhow!("reading the key: {e}"))?
    } else {
        let mut s = String::new();
        stdin.lock().take(64 * 1024).read_to_string(&mut s).map_err(|e| anyhow!("reading the key from stdin: {e}"))?;
        s.lines().next().unwrap_or("").to_string()
    };
    if key.trim().is_empty() {
        return Err(core_err!(secrets::KeyError::Empty).into());
    }
    Ok(ApiKey::new(key.trim()))
}

fn samples_cmd(c: SamplesCmd) -> Result<(), Failure> {
    let SamplesCmd::List { json, lang: l } = c;
    let l = lang(&l)?;
    let wb = Workbench::load()?;
    if json {
        let list: Vec<_> = wb.samples.iter().map(|s| json!({
            "id": s.id, "template": s.template, "name": s.name,
            "title": s.title.as_ref().map(|t| t.get(l)),
            "values": s.values, "files": s.files,
        })).collect();
        println!("{}", serde_json::to_string_pretty(&list).expect("json"));
        return Ok(());
    }
    for s in &wb.samples {
        let cmd = match &s.name {
            Some(n) => format!("katib run {} --sample {n}", s.template),
            None => format!("katib run {} --sample", s.template),
        };
        let title = s.title.as_ref().map(|t| t.get(l).to_string()).unwrap_or_default();
        println!("{:<40} {title}", cmd);
    }
    if wb.samples.is_empty() {
        bail_none()?;
    }
    Ok(())
}

fn usage(message: &str) -> Failure {
    Failure { code: "usage".into(), message: message.into(), exit: 2 }
}

/// The output files are acceptable formats and free (or may be replaced).
fn check_targets(out: Option<&std::path::Path>, xlsx: Option<&std::path::Path>, force: bool) -> Result<(), Failure> {
    if let Some(x) = xlsx {
        if export::format_of(x).map_err(|e| core_err!(e))? != export::Format::Xlsx {
            return Err(usage("--xlsx expects a .xlsx file name"));
        }
    }
    for p in out.into_iter().chain(xlsx) {
        export::format_of(p).map_err(|e| core_err!(e))?;
        if p.exists() && !force {
            return Err(core_err!(export::ExportError::Exists { path: p.into() }).into());
        }
    }
    Ok(())
}

fn export_cmd(a: ExportArgs) -> Result<(), Failure> {
    let l = lang(&a.lang)?;
    check_targets(Some(&a.out), a.xlsx.as_deref(), a.force)?;
    let md = std::fs::read_to_string(&a.input).with_context(|| format!("cannot read {}", a.input.display()))?;
    let doc = export::ExportDoc { title: a.title, toc: a.toc, ..export::ExportDoc::new(&md, l, templates::OutputKind::Report) };
    export::write(&a.out, &doc, a.force).map_err(|e| core_err!(e))?;
    if let Some(x) = &a.xlsx {
        export::write(x, &doc, a.force).map_err(|e| core_err!(e))?;
    }
    Ok(())
}

fn bail_none() -> Result<(), Failure> {
    let e: anyhow::Result<()> = (|| bail!("no samples found"))();
    e.map_err(Failure::from)
}
