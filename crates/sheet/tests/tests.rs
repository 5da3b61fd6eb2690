//! Integration tests of katib-sheet, one binary. The fixtures are written by independent writers
//! (openpyxl, LibreOffice, Python's csv module: see tools/make_fixtures.py) and the figures they
//! must give were computed in Python (expected.json).

mod util;

mod annex;
mod check;
mod guards;
mod profile;
mod tokens;
