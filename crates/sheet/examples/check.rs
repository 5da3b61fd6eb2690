//! Checks the numbers of an answer against a sheet's figures: `check SHEET ANSWER.md`.
//! Prints each number not found among Katib's computations, with its line.
fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(sheet), Some(answer)) = (args.next(), args.next()) else {
        eprintln!("usage: check SHEET ANSWER.md");
        std::process::exit(2);
    };
    let spec: katib_sheet::SheetSpec = toml::from_str(
        r#"roles = ["chapitre", "libelle", "service", "credits_ouverts", "engage", "ordonnance", "paye", "disponible"]
group_by = ["chapitre", "service"]
[[ratios]]
name = "taux_engagement"
num = "engage"
den = "credits_ouverts"
above = 1.0
below = 0.3
[[ratios]]
name = "taux_ordonnancement"
num = "ordonnance"
den = "credits_ouverts"
"#,
    )
    .expect("spec");
    let opts = katib_sheet::ProfileOptions { spec, ..Default::default() };
    let profile = match katib_sheet::profile_file(std::path::Path::new(&sheet), &opts) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let text = std::fs::read_to_string(&answer).expect("answer");
    let check = katib_sheet::check_numbers(&text, &katib_sheet::Figures::from_profile(&profile));
    println!("{} numbers checked, {} skipped", check.numbers.len(), check.skipped.len());
    for n in check.unmatched() {
        println!("line {}: {} — {}", n.line, n.text, katib_sheet::unmatched_message(katib_sheet::Lang::Fr));
    }
}
