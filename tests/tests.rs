//! Katib's integration tests: one binary, one module per area. Every test gets its own temp
//! folders (util::Sandbox); none writes into samples/ or touches the user's settings or keychain.

mod util;

mod audit;
mod cli;
mod documents;
mod export;
mod figures;
mod keychain;
mod letters;
mod lists;
mod markdown;
mod merge;
mod privacy;
mod providers;
mod templates;
mod ui;
mod workshop;
