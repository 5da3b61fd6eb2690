//! `katib`: every capability of the Katib workbench, headless and scriptable.
//!
//! A thin layer over katib-core: clap parses ([`args`]), core does the work, each command family
//! presents its results (one file each), and `main` alone prints errors and picks exit codes
//! (see `EXIT CODES` in `--help`, and [`output`]). Answers stream to stdout; messages go to
//! stderr, one line per error (a JSON object with `--json`).

mod args;
mod exercise;
mod export;
mod merge;
mod history;
mod output;
mod pack;
mod profiles;
mod review;
mod run;
mod samples;
mod sheet;
mod templates;

use std::process::ExitCode;

use clap::Parser;
use serde_json::json;

use args::{Cli, Command};
use output::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.command.json();
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

fn dispatch(cmd: Command) -> Result<(), Failure> {
    match cmd {
        Command::Templates(c) => templates::templates_cmd(c),
        Command::Run(a) => run::run_cmd(a),
        Command::Profiles(c) => profiles::profiles_cmd(c),
        Command::Key(c) => profiles::key_cmd(c),
        Command::Samples(c) => samples::samples_cmd(c),
        Command::Export(a) => export::export_cmd(a),
        Command::Merge(a) => merge::merge_cmd(a),
        Command::Sheet(c) => sheet::sheet_cmd(c),
        Command::History(c) => history::history_cmd(c),
        Command::Register(c) => history::register_cmd(c),
        Command::Pack(c) => pack::pack_cmd(c),
        Command::Exercise(c) => exercise::exercise_cmd(c),
        Command::Review(c) => review::review_cmd(c),
    }
}
