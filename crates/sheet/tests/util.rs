//! Fixture paths, the expected figures, the spec of the budget templates.

use std::path::PathBuf;

use katib_sheet::{profile_file, Profile, ProfileOptions, SheetSpec};

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A file of the repository's samples (read only).
pub fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../samples/inputs").join(name)
}

pub fn expected() -> serde_json::Value {
    let text = std::fs::read_to_string(fixture("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

/// What a budget-analysis template declares, in the shape of its front matter.
pub fn budget_spec() -> SheetSpec {
    let spec: SheetSpec = toml::from_str(
        r#"
roles = ["chapitre", "libelle", "service", "credits_ouverts", "engage", "paye", "date"]
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
    spec.validate().expect("valid spec");
    spec
}

pub fn profile_with_spec(name: &str) -> Profile {
    let opts = ProfileOptions { spec: budget_spec(), ..Default::default() };
    profile_file(&fixture(name), &opts).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}
