//! Prints the fact sheet (or the report) of a sheet: `facts FILE [fr|ar|en] [report]`.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: facts FILE [fr|ar|en] [report]");
    let lang = match args.next().as_deref() {
        Some("ar") => katib_sheet::Lang::Ar,
        Some("en") => katib_sheet::Lang::En,
        _ => katib_sheet::Lang::Fr,
    };
    let report = args.next().is_some();
    let spec: katib_sheet::SheetSpec = toml::from_str(
        r#"roles = ["chapitre", "libelle", "service", "credits_ouverts", "engage", "paye"]
group_by = ["service"]
[[ratios]]
name = "taux_engagement"
num = "engage"
den = "credits_ouverts"
above = 1.0
below = 0.3
[[differences]]
name = "reste_a_payer"
from = "engage"
minus = "paye"
"#,
    )
    .expect("spec");
    let opts = katib_sheet::ProfileOptions { spec, ..Default::default() };
    match katib_sheet::profile_file(std::path::Path::new(&path), &opts) {
        Ok(p) => {
            let o = if report { katib_sheet::FactOptions::report(lang) } else { katib_sheet::FactOptions::prompt(lang) };
            println!("{}", katib_sheet::fact_sheet(&p, &o));
        }
        Err(e) => eprintln!("{} [{}]", e, e.code()),
    }
}
