//! The command line: every subcommand and flag, as clap derives them. Parsing only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub const AFTER_HELP: &str = "\
EXIT CODES:
  0  success            3  template or field error    6  practice mode has no saved answer
  1  other error        4  input file error           7  export error
  2  usage error        5  endpoint (provider) error  8  configuration or keychain error
  9  history or register  10 pack or review file        11 a rubric check failed
  12 a mail-merge finished with rows that failed (the others are written)
  130 cancelled (Ctrl-C)

ENVIRONMENT:
  KATIB_CONFIG_DIR  config folder (config.toml, profiles.toml); default: the platform's
  KATIB_DATA_DIR    data folder
  KATIB_API_KEY     API key used when no OS keychain is reachable (or none is stored)
  KATIB_RESOURCES_DIR  folder holding prompts/ and samples/
  KATIB_PRACTICE_PACE_MS  practice mode's pause between words (0: instant)";

#[derive(Parser)]
#[command(name = "katib", version, about = "Katib (كاتب): AI drafting workbench for administrative work, headless.", after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
    /// Mail-merge (publipostage): one letter per row of a sheet, resumable.
    #[command(after_help = MERGE_HELP)]
    Merge(MergeArgs),
    /// Exact figures from every row of a spreadsheet.
    #[command(subcommand)]
    Sheet(SheetCmd),
    /// The local history of runs: list, show, search, export again, delete, purge, approve, the
    /// audit sheet.
    #[command(subcommand)]
    History(HistoryCmd),
    /// The outgoing-mail register (registre du courrier départ).
    #[command(subcommand)]
    Register(RegisterCmd),
    // Workshop mode (katib-workshop): exercise packs, rubrics, peer review.
    /// Exercise packs: new, validate, export, import, list, record answers for practice.
    #[command(subcommand, after_help = WORKSHOP_HELP)]
    Pack(PackCmd),
    /// The exercises of a pack: list, show, run, check an answer against the rubric.
    #[command(subcommand, after_help = WORKSHOP_HELP)]
    Exercise(ExerciseCmd),
    /// Peer review: your name, submissions (.katib-rendu), reviews (.katib-avis), results.
    #[command(subcommand, after_help = WORKSHOP_HELP)]
    Review(ReviewCmd),
}

#[derive(Subcommand)]
pub enum SheetCmd {
    /// Profile every row of every sheet: types, counts, sums, means, medians, dates, totals rows
    /// checked, cells in error; totals by the given columns.
    Profile {
        file: PathBuf,
        /// Only this sheet.
        #[arg(long)]
        sheet: Option<String>,
        /// Totals by this column (a header, a letter such as D, or two joined by '+').
        #[arg(long = "group-by", value_name = "COLUMN")]
        group_by: Vec<String>,
        #[arg(long)]
        json: bool,
        /// Language of the report: fr, ar or en.
        #[arg(long, default_value = "fr")]
        lang: String,
    },
}

#[derive(Subcommand)]
pub enum HistoryCmd {
    /// The latest runs (newest first).
    List {
        #[arg(long)]
        template: Option<String>,
        /// done, partial, cancelled, failed, running
        #[arg(long)]
        status: Option<String>,
        /// From this day (YYYY-MM-DD or DD/MM/YYYY).
        #[arg(long)]
        from: Option<String>,
        /// Up to this day, included.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search (French accents and Arabic spellings folded), with the same filters.
    Search {
        query: String,
        #[arg(long)]
        template: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// One run: what was sent (and what replaced personal data), the answer, edits, exports,
    /// approvals.
    Show {
        run: String,
        #[arg(long)]
        json: bool,
    },
    /// Export a run's answer (its last edit) again: .docx, .xlsx, .md or .txt.
    Export {
        run: String,
        #[arg(long, short)]
        out: PathBuf,
        /// Add the "relu et validé" audit page.
        #[arg(long)]
        audit: bool,
        #[arg(long)]
        force: bool,
    },
    /// Delete one run's texts (its metadata row stays, as the audit record).
    Delete { run: String },
    /// Delete the runs older than the retention (config.toml [history] retention_days, or
    /// --days).
    Purge {
        #[arg(long)]
        days: Option<u32>,
    },
    /// Write a run's audit sheet ("Fiche d'audit"), a one-page .docx of its own: run, template
    /// version and hash, profile, model, data class, pseudonymisation and any override, files and
    /// their hashes, exports, approvals, status. Never the texts or the replaced values.
    Audit {
        run: String,
        #[arg(long, short)]
        out: PathBuf,
        /// fr, ar (right-to-left) or en. Default: the run's document language (French when the
        /// history kept only its metadata).
        #[arg(long)]
        lang: Option<String>,
        #[arg(long)]
        force: bool,
    },
    /// Record who reviewed and approved a run's document ("relu et validé par").
    Approve {
        run: String,
        #[arg(long)]
        by: String,
        #[arg(long)]
        function: String,
    },
}

#[derive(Subcommand)]
pub enum RegisterCmd {
    /// The numbers given (newest first).
    List {
        /// Only this year.
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// The register as an .xlsx workbook.
    Export {
        #[arg(long, short)]
        out: PathBuf,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, default_value = "fr")]
        lang: String,
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args)]
pub struct ExportArgs {
    /// The Markdown file.
    pub input: PathBuf,
    /// The file to write: .docx, .xlsx (the tables), .md or .txt.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Also write the text's tables to this .xlsx workbook.
    #[arg(long, value_name = "PATH")]
    pub xlsx: Option<PathBuf>,
    /// Document language: fr, ar (right-to-left) or en.
    #[arg(long, default_value = "fr")]
    pub lang: String,
    /// Title (reports): written first unless the text starts with a heading.
    #[arg(long)]
    pub title: Option<String>,
    /// Add a table of contents after the title.
    #[arg(long)]
    pub toc: bool,
    /// Replace the output if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Subcommand)]
pub enum TemplatesCmd {
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
    /// Copy a template (built-in or yours) into your templates folder under a new id, version 1,
    /// its title marked as a copy: then edit that file.
    Copy {
        id: String,
        new_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Save a template file as one of yours (your templates folder), after checking it; a
    /// template of yours with that id is replaced only with --force. The same id as a built-in
    /// template replaces it for you (`katib templates reset ID` brings it back).
    Save {
        file: PathBuf,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
    /// Remove your template ID from your templates folder: a built-in template of that id comes
    /// back.
    Reset {
        id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct RunArgs {
    /// Template id (see `katib templates list`).
    pub template: String,
    /// Take the inputs from the template's sample (optionally a named one, e.g. `--sample ar`).
    #[arg(long, num_args = 0..=1, default_missing_value = "", value_name = "NAME")]
    pub sample: Option<String>,
    /// Set a field: --set objet="Demande de ..." (repeatable; overrides the sample).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub sets: Vec<String>,
    /// Attach a file to a file field: --file tableau=budget.xlsx (repeatable).
    #[arg(long = "file", value_name = "FIELD=PATH")]
    pub files: Vec<String>,
    /// Endpoint profile; `practice` for the offline mode. Default: the configured default.
    #[arg(long)]
    pub profile: Option<String>,
    /// Export the answer: .docx, .xlsx (the answer's tables), .md or .txt.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Fill this Word letterhead (with {{objet}}, {{corps}}, {{date}}... placeholders) instead
    /// of laying the letter out; --out must be a .docx. Default: [letterhead] docx in config.toml.
    #[arg(long, value_name = "DOCX")]
    pub letterhead: Option<PathBuf>,
    /// Also write the answer's tables to this .xlsx workbook.
    #[arg(long, value_name = "PATH")]
    pub xlsx: Option<PathBuf>,
    /// Sheet templates: also write Katib's computed tables as formulas over a copy of the data
    /// to this .xlsx, for an auditor to re-check.
    #[arg(long, value_name = "PATH")]
    pub annex: Option<PathBuf>,
    /// Sheet templates: the column that plays a role, when the guess is wrong:
    /// --map credits_ouverts="Crédits 2026" (a header or a column letter).
    #[arg(long = "map", value_name = "ROLE=COLUMN")]
    pub maps: Vec<String>,
    /// Reports: add a table of contents after the title.
    #[arg(long)]
    pub toc: bool,
    /// Reports: leave out the "prepared with" line (template, model, date).
    #[arg(long)]
    pub no_prepared_with: bool,
    /// Replace the --out and --xlsx files if they exist.
    #[arg(long)]
    pub force: bool,
    /// Print exactly what would leave this computer (the messages, and the personal values
    /// replaced by placeholders), and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Send personal data unmasked to this (non-local) endpoint for this one run. Asks for a
    /// confirmation (or needs --yes without a terminal); recorded in the history. Refused when
    /// the machine's policy forces pseudonymisation.
    #[arg(long)]
    pub send_unmasked: bool,
    /// The final version, to send: a letter whose N° is empty gets the next number of the
    /// outgoing-mail register ([register] in config.toml).
    #[arg(long = "final")]
    pub r#final: bool,
    /// Confirm --send-unmasked without asking.
    #[arg(long, requires = "send_unmasked")]
    pub yes: bool,
    /// Print one JSON object at the end instead of streaming text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum ProfilesCmd {
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
        /// Where the endpoint processes data: local, sovereign or cloud (default: the preset's,
        /// else local for a loopback or private address, cloud otherwise).
        #[arg(long, value_name = "CLASS")]
        data_class: Option<String>,
        /// Sovereign profiles only: switch pseudonymisation off for this profile.
        #[arg(long)]
        no_pseudonymise: bool,
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
pub enum KeyCmd {
    /// Store PROFILE's key: piped on stdin, or typed at a hidden prompt.
    Set { profile: String },
    /// Delete PROFILE's key from the keychain.
    Delete { profile: String },
}

#[derive(Subcommand)]
pub enum SamplesCmd {
    /// List the samples, by template.
    List {
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "fr")]
        lang: String,
    },
}

// ---- Workshop mode (crates/cli/pack.rs, exercise.rs, review.rs) ----

pub const WORKSHOP_HELP: &str = "\
EXIT CODES (besides the usual ones):
  10 pack, rubric, submission or review file error (the message names the file and line)
  11 `exercise check`: the answer fails at least one rubric check

PACK NAMES: a pack folder, a .katib file, or the id of an imported or built-in pack
(`katib pack list`). The pack format: docs/packs.md.";

#[derive(Subcommand)]
pub enum PackCmd {
    /// Write a commented starter pack into DIR (a new or empty folder).
    New {
        dir: PathBuf,
        /// The pack's id (default: the folder's name).
        #[arg(long)]
        id: Option<String>,
    },
    /// Check a pack (folder or .katib) in full; every error names its file and line.
    Validate {
        path: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Check the pack folder DIR and zip it into one .katib file.
    Export {
        dir: PathBuf,
        #[arg(long, short)]
        out: PathBuf,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
    /// Import a pack (.katib file or folder) into your data folder; its templates join yours.
    Import {
        source: PathBuf,
        /// Replace your own templates that have the same id as the pack's (listed otherwise).
        #[arg(long)]
        replace: bool,
        #[arg(long)]
        json: bool,
    },
    /// The packs available: imported and built-in.
    List {
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "fr")]
        lang: String,
    },
    /// "Enregistrer pour l'entraînement": run each exercise against a real endpoint and save
    /// the answers in the pack folder, with their replay key and date.
    Record {
        /// The pack folder.
        pack: PathBuf,
        /// The endpoint profile to record from.
        #[arg(long)]
        profile: String,
        /// Answers per exercise.
        #[arg(long, default_value_t = 1)]
        variants: usize,
        /// Only this exercise (number or id).
        #[arg(long)]
        exercise: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Remove an imported pack (the templates it installed stay yours).
    Remove { id: String },
}

#[derive(Subcommand)]
pub enum ExerciseCmd {
    /// The exercises of a pack, by day.
    List {
        #[arg(long)]
        pack: String,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "fr")]
        lang: String,
    },
    /// One exercise: instructions, inputs, what the rubric checks.
    Show {
        #[arg(long)]
        pack: String,
        /// Number (1, 2...) or id.
        #[arg(long)]
        exercise: String,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "fr")]
        lang: String,
    },
    /// Run an exercise: practice mode replays your variant (chosen by your name).
    Run {
        #[arg(long)]
        pack: String,
        #[arg(long)]
        exercise: String,
        /// Endpoint profile; default: the configured default (practice when none).
        #[arg(long)]
        profile: Option<String>,
        /// Save the answer as Markdown, to edit then check and hand in.
        #[arg(long, short)]
        out: Option<PathBuf>,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
    /// Check an answer against the exercise's rubric (exit 10 when a check fails).
    Check {
        answer: PathBuf,
        #[arg(long)]
        pack: String,
        #[arg(long)]
        exercise: String,
        /// A self-check item you ticked (its id: 1, 2...; repeatable or comma-separated).
        #[arg(long = "self-check", value_delimiter = ',')]
        self_check: Vec<String>,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "fr")]
        lang: String,
    },
}

#[derive(Subcommand)]
pub enum ReviewCmd {
    /// Show, or set once, your name (and team): carried by every submission and review.
    Whoami {
        #[arg(long, value_name = "NAME")]
        set: Option<String>,
        #[arg(long)]
        team: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Hand in an answer: inputs, rendered prompt, answer, edits, rubric results, self-check.
    Submit {
        #[arg(long)]
        pack: String,
        #[arg(long)]
        exercise: String,
        #[arg(long)]
        answer: PathBuf,
        /// The answer as generated, before your edits (default: the one practice gave you).
        #[arg(long)]
        original: Option<PathBuf>,
        #[arg(long = "self-check", value_delimiter = ',')]
        self_check: Vec<String>,
        /// The .katib-rendu file to write.
        #[arg(long, short)]
        out: PathBuf,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
    /// Read a peer's submission (the rubric is run again here).
    Open {
        submission: PathBuf,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "fr")]
        lang: String,
    },
    /// Review a peer's submission: a score out of 20 and a comment.
    Write {
        submission: PathBuf,
        #[arg(long)]
        score: u8,
        #[arg(long)]
        comment: String,
        /// Self-check items you find satisfied (ids; repeatable or comma-separated).
        #[arg(long = "self-check", value_delimiter = ',')]
        self_check: Vec<String>,
        /// The .katib-avis file to write.
        #[arg(long, short)]
        out: PathBuf,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
    /// Import a review of your own submission.
    Import {
        review: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The reviews you received.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Trainer: gather every .katib-rendu and .katib-avis under DIR into a results workbook.
    Results {
        dir: PathBuf,
        #[arg(long, short)]
        out: PathBuf,
        /// Language of the workbook's headers: fr or ar.
        #[arg(long, default_value = "fr")]
        lang: String,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
}

impl Command {
    /// Whether the command was asked for JSON output (errors are then JSON too).
    pub fn json(&self) -> bool {
        match self {
            Command::Templates(
                TemplatesCmd::List { json, .. }
                | TemplatesCmd::Show { json, .. }
                | TemplatesCmd::Validate { json, .. }
                | TemplatesCmd::Copy { json, .. }
                | TemplatesCmd::Save { json, .. }
                | TemplatesCmd::Reset { json, .. },
            ) => *json,
            Command::Run(a) => a.json,
            Command::Merge(a) => a.json,
            Command::Profiles(ProfilesCmd::List { json } | ProfilesCmd::Test { json, .. } | ProfilesCmd::Presets { json }) => *json,
            Command::Samples(SamplesCmd::List { json, .. }) => *json,
            Command::Sheet(SheetCmd::Profile { json, .. }) => *json,
            Command::History(HistoryCmd::List { json, .. } | HistoryCmd::Search { json, .. } | HistoryCmd::Show { json, .. }) => *json,
            Command::Register(RegisterCmd::List { json, .. }) => *json,
            Command::Pack(
                PackCmd::Validate { json, .. } | PackCmd::Export { json, .. } | PackCmd::Import { json, .. } | PackCmd::List { json, .. } | PackCmd::Record { json, .. },
            ) => *json,
            Command::Exercise(
                ExerciseCmd::List { json, .. } | ExerciseCmd::Show { json, .. } | ExerciseCmd::Run { json, .. } | ExerciseCmd::Check { json, .. },
            ) => *json,
            Command::Review(
                ReviewCmd::Whoami { json, .. }
                | ReviewCmd::Submit { json, .. }
                | ReviewCmd::Open { json, .. }
                | ReviewCmd::Write { json, .. }
                | ReviewCmd::Import { json, .. }
                | ReviewCmd::List { json }
                | ReviewCmd::Results { json, .. },
            ) => *json,
            _ => false,
        }
    }
}

// ---- Mail-merge (crates/cli/merge.rs) ----

pub const MERGE_HELP: &str = "\
MODES:
  draft    (default) the model drafts the letter once with merge fields ({{nom}}): write it with
           --draft-out DRAFT.md, read and correct it, then merge with --draft DRAFT.md; every
           letter is filled in locally, no further request, no invented name or amount.
  per-row  one request per row (each complaint, each file), --concurrency at once (the
           profile's 'concurrency', default 4); an estimate is printed first.

OUTPUT (in --out-dir): one .docx per row (--name pattern), publipostage.docx (every letter,
each on its own page, for printing), publipostage-suivi.xlsx (row, status, file, N°, tokens,
error), publipostage.journal.jsonl (what --resume reads: a row done is never sent again).

EXAMPLES:
  katib merge convocation --sample commission --mode draft --draft-out brouillon.md
  katib merge convocation --sample commission --draft brouillon.md --out-dir lettres
  katib merge convocation --rows membres.xlsx --map destinataire='{Civilité} {Nom}\\n{Qualité}' \\
        --set date_reunion=01/12/2026 ... --draft brouillon.md --out-dir lettres --final
  katib merge accuse-reception --sample subventions --mode per-row --out-dir accuses
  katib merge ... --resume        # after Ctrl-C, a crash or kill -9: only the rows not done";

#[derive(Args)]
pub struct MergeArgs {
    /// Letter template id (see `katib templates list`).
    pub template: String,
    /// The sheet: .xlsx, .ods, .csv or .xls; its first row of names is the header.
    #[arg(long, value_name = "FILE")]
    pub rows: Option<PathBuf>,
    /// The sheet of a workbook (default: the first one holding data).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Fill a field from a column, or from columns and text: --map destinataire='{Civilité} {Nom}'
    /// (repeatable; remembered for the template).
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    pub maps: Vec<String>,
    /// A field with the same value in every letter (repeatable).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub sets: Vec<String>,
    /// Where the letters go (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// draft (one approved draft, filled in locally) or per-row (one request per row).
    #[arg(long, default_value = "draft", value_name = "MODE")]
    pub mode: String,
    /// The approved draft (draft mode), with its merge fields ({{nom}}).
    #[arg(long, value_name = "FILE.md")]
    pub draft: Option<PathBuf>,
    /// Have the model write the draft to this file, and stop.
    #[arg(long, value_name = "FILE.md")]
    pub draft_out: Option<PathBuf>,
    /// File names of the letters, from columns and fields: --name '{Nom}-{CIN}' (default:
    /// the row and the addressee).
    #[arg(long = "name", value_name = "PATTERN")]
    pub names: Option<String>,
    /// Requests at once (per-row mode; default: the profile's, else 4).
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Finish the merge journaled in --out-dir: only the rows not done.
    #[arg(long)]
    pub resume: bool,
    /// Write the letters of the complete rows; the others are listed in the tracking workbook.
    #[arg(long)]
    pub skip_incomplete: bool,
    /// Final letters: a letter with no N° gets the next number of the outgoing-mail register.
    #[arg(long = "final")]
    pub r#final: bool,
    /// Confirm a per-row merge of more than 1,000 rows without asking.
    #[arg(long)]
    pub yes: bool,
    /// Endpoint profile; `practice` for the offline mode. Default: the configured default.
    #[arg(long)]
    pub profile: Option<String>,
    /// Fill this Word letterhead instead of Katib's layout.
    #[arg(long, value_name = "DOCX")]
    pub letterhead: Option<PathBuf>,
    /// Take the sheet, mapping and common values of a mail-merge sample (`--sample commission`).
    #[arg(long, num_args = 0..=1, default_missing_value = "", value_name = "NAME")]
    pub sample: Option<String>,
    /// Print the plan (mapping, rows left out, first letters, estimate) and stop.
    #[arg(long)]
    pub preview: bool,
    /// Replace the --draft-out file if it exists.
    #[arg(long)]
    pub force: bool,
    /// JSON: one object per event on stderr, the plan and the report on stdout.
    #[arg(long)]
    pub json: bool,
}
