//! What a spreadsheet template declares it needs, as the `[sheet]` table of its front matter:
//!
//! ```toml
//! [sheet]
//! roles = ["chapitre", "libelle", "service", "credits_ouverts", "engage", "paye"]
//! group_by = ["service", "chapitre+service"]   # one table each; '+' totals by two columns
//!
//! [[sheet.ratios]]
//! name = "taux_engagement"
//! num = "engage"
//! den = "credits_ouverts"
//! above = 1.0      # rows over 100 % are listed
//! below = 0.3      # rows under 30 % are listed
//! label = { fr = "Taux d'engagement", ar = "نسبة الالتزام" }
//!
//! [[sheet.differences]]
//! name = "reste_a_payer"
//! from = "engage"
//! minus = "paye"
//!
//! [sheet.synonyms]   # optional: more header spellings for a role
//! engage = ["Montant visé"]
//! ```
//!
//! The template parser embeds [`SheetSpec`] (`#[serde(default)] sheet: Option<SheetSpec>`) and
//! calls [`SheetSpec::validate`]. Role names are the template's own words; the well-known ones
//! (see `roles`) come with French and Arabic synonyms and labels.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The `[sheet]` table of a template's front matter.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetSpec {
    /// Column roles the template uses, in the order the form shows them.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Group totals to compute, one table each: a role or a column header, or two joined by
    /// '+' ("chapitre+service") to total by both.
    #[serde(default)]
    pub group_by: Vec<String>,
    #[serde(default)]
    pub ratios: Vec<RatioSpec>,
    #[serde(default)]
    pub differences: Vec<DifferenceSpec>,
    /// Extra header spellings per role, on top of the built-in ones.
    #[serde(default)]
    pub synonyms: BTreeMap<String, Vec<String>>,
    /// Labels of roles the built-in list does not know.
    #[serde(default)]
    pub labels: BTreeMap<String, Labels>,
}

/// A per-row ratio `num / den`, with optional thresholds (as fractions: 1.0 is 100 %).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatioSpec {
    pub name: String,
    pub num: String,
    pub den: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Labels>,
}

/// A per-row difference `from - minus`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DifferenceSpec {
    pub name: String,
    pub from: String,
    pub minus: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Labels>,
}

/// A label in Katib's languages; a missing language falls back to French, then to the name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Labels {
    pub fn get(&self, lang: crate::Lang) -> Option<&str> {
        let own = match lang {
            crate::Lang::Fr => &self.fr,
            crate::Lang::Ar => &self.ar,
            crate::Lang::En => &self.en,
        };
        own.as_deref().or(self.fr.as_deref())
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl SheetSpec {
    /// Checks names and references; the message names the offending entry, for the template
    /// parser to report with its file and line.
    pub fn validate(&self) -> Result<(), String> {
        let mut seen = std::collections::BTreeSet::new();
        for r in &self.roles {
            if !is_name(r) {
                return Err(format!("sheet.roles: '{r}' must use a-z, 0-9 and _"));
            }
            if !seen.insert(r.as_str()) {
                return Err(format!("sheet.roles: '{r}' is listed twice"));
            }
        }
        if self.group_by.len() > 4 {
            return Err("sheet.group_by: at most four tables".into());
        }
        for g in &self.group_by {
            let n = g.split('+').filter(|x| !x.trim().is_empty()).count();
            if n == 0 || n > 2 {
                return Err(format!("sheet.group_by: '{g}' must name one column, or two joined by '+'"));
            }
        }
        let known = |r: &str| self.roles.iter().any(|x| x == r);
        let mut names = std::collections::BTreeSet::new();
        for q in &self.ratios {
            if !is_name(&q.name) || !names.insert(q.name.as_str()) {
                return Err(format!("sheet.ratios: name '{}' must be unique and use a-z, 0-9 and _", q.name));
            }
            for (k, v) in [("num", &q.num), ("den", &q.den)] {
                if !known(v) {
                    return Err(format!("sheet.ratios '{}': {k} = '{v}' is not one of sheet.roles", q.name));
                }
            }
            for (k, v) in [("above", q.above), ("below", q.below)] {
                if v.is_some_and(|x| !x.is_finite() || !(-1000.0..=1000.0).contains(&x)) {
                    return Err(format!("sheet.ratios '{}': {k} must be a fraction such as 1.0 for 100 %", q.name));
                }
            }
        }
        for d in &self.differences {
            if !is_name(&d.name) || !names.insert(d.name.as_str()) {
                return Err(format!("sheet.differences: name '{}' must be unique and use a-z, 0-9 and _", d.name));
            }
            for (k, v) in [("from", &d.from), ("minus", &d.minus)] {
                if !known(v) {
                    return Err(format!("sheet.differences '{}': {k} = '{v}' is not one of sheet.roles", d.name));
                }
            }
        }
        for r in self.synonyms.keys().chain(self.labels.keys()) {
            if !known(r) {
                return Err(format!("sheet: '{r}' has synonyms or a label but is not one of sheet.roles"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Front {
        sheet: SheetSpec,
    }

    #[test]
    fn reads_the_front_matter_shape() {
        let toml_text = r#"
[sheet]
roles = ["service", "credits_ouverts", "engage", "paye"]
group_by = ["service"]
[[sheet.ratios]]
name = "taux_engagement"
num = "engage"
den = "credits_ouverts"
above = 1.0
below = 0.3
label = { fr = "Taux d'engagement", ar = "نسبة الالتزام" }
[[sheet.differences]]
name = "reste_a_payer"
from = "engage"
minus = "paye"
[sheet.synonyms]
engage = ["Montant visé"]
"#;
        let f: Front = toml::from_str(toml_text).unwrap();
        f.sheet.validate().unwrap();
        assert_eq!(f.sheet.ratios[0].above, Some(1.0));
        assert_eq!(f.sheet.ratios[0].label.as_ref().unwrap().get(crate::Lang::Ar), Some("نسبة الالتزام"));
        assert_eq!(f.sheet.differences[0].minus, "paye");
        let bad = SheetSpec { ratios: vec![RatioSpec { name: "t".into(), num: "x".into(), den: "y".into(), above: None, below: None, label: None }], ..Default::default() };
        assert!(bad.validate().unwrap_err().contains("num = 'x'"));
        assert!(toml::from_str::<Front>("[sheet]\nrole = []\n").is_err(), "unknown keys are refused");
    }
}
