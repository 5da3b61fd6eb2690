//! `katib sheet profile`: the exact figures of every row of a spreadsheet, as a report or JSON.

use katib_core::run::{self, Workbench};

use crate::args::SheetCmd;
use crate::output::{lang, print_json, Failure};

pub fn sheet_cmd(c: SheetCmd) -> Result<(), Failure> {
    let SheetCmd::Profile { file, sheet, group_by, json, lang: l } = c;
    let l = lang(&l)?;
    let wb = Workbench::load()?;
    let profile = run::profile_plain(&file, sheet.as_deref(), &group_by, &wb.limits())?;
    if json {
        print_json(&profile);
    } else {
        print!("{}", run::sheet_report(&profile, l));
    }
    Ok(())
}
