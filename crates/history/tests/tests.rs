//! katib-history's integration tests: a real database file in a temp dir for each test, and
//! real processes for what crosses processes (two allocators at once, kill -9 mid-stream).

mod util;

mod migrate;
mod privacy;
mod processes;
mod register;
mod runs;
mod search;
