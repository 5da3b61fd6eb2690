//! Column roles: which column of a sheet holds the "crédits ouverts", the "engagé", the
//! "service"... A template names the roles it needs; Katib guesses each one from the headers
//! (French and Arabic synonyms and abbreviations, accents and case ignored: "Créd. ouv.",
//! "Mt engagé", "الاعتمادات المفتوحة") and from the column's type, and the form shows each guess
//! as a choice among the sheet's columns with the alternatives, for the user to correct.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::profile::{ColumnKind, SheetProfile};
use crate::spec::SheetSpec;
use crate::value::fold;
use crate::Lang;

/// What kind of column a role wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    Amount,
    Label,
    Date,
    Percent,
    Any,
}

struct RoleDef {
    name: &'static str,
    want: Want,
    fr: &'static str,
    ar: &'static str,
    en: &'static str,
    synonyms: &'static [&'static str],
}

/// The roles Katib knows, with their labels and the ways Moroccan sheets name them.
const ROLES: &[RoleDef] = &[
    RoleDef { name: "credits_ouverts", want: Want::Amount, fr: "Crédits ouverts", ar: "الاعتمادات المفتوحة", en: "Appropriations",
        synonyms: &["crédits ouverts", "crédit ouvert", "crédits", "crédits définitifs", "crédits budgétaires", "dotation", "dotations", "budget", "budget alloué", "prévisions", "montant prévu", "crédits alloués", "الاعتمادات المفتوحة", "الاعتمادات", "الاعتمادات المرصودة", "المبالغ المرصودة", "الاعتمادات النهائية", "التقديرات", "الميزانية"] },
    RoleDef { name: "engage", want: Want::Amount, fr: "Montant engagé", ar: "المبالغ الملتزم بها", en: "Committed",
        synonyms: &["engagé", "montant engagé", "crédits engagés", "engagements", "dépenses engagées", "total engagé", "المبالغ الملتزم بها", "الملتزم به", "الالتزامات", "الاعتمادات الملتزم بها", "النفقات الملتزم بها"] },
    RoleDef { name: "ordonnance", want: Want::Amount, fr: "Montant ordonnancé", ar: "المبالغ المأمور بصرفها", en: "Authorised for payment",
        synonyms: &["ordonnancé", "montant ordonnancé", "ordonnancements", "émis", "émissions", "mandaté", "mandatements", "المبالغ المأمور بصرفها", "المأمور بصرفه", "الأوامر بالصرف"] },
    RoleDef { name: "paye", want: Want::Amount, fr: "Montant payé", ar: "المبالغ المؤداة", en: "Paid",
        synonyms: &["payé", "montant payé", "paiements", "réglé", "montant réglé", "décaissé", "dépenses payées", "payé ttc", "المبالغ المؤداة", "المؤدى", "الأداءات", "المبالغ المصروفة", "المصروف"] },
    RoleDef { name: "disponible", want: Want::Amount, fr: "Crédits disponibles", ar: "الاعتمادات المتوفرة", en: "Available",
        synonyms: &["disponible", "crédits disponibles", "solde", "reliquat", "solde disponible", "الاعتمادات المتوفرة", "المتوفر", "الرصيد", "الباقي"] },
    RoleDef { name: "montant", want: Want::Amount, fr: "Montant", ar: "المبلغ", en: "Amount",
        synonyms: &["montant", "montant ttc", "montant ht", "somme", "valeur", "coût", "المبلغ", "القيمة", "الكلفة"] },
    RoleDef { name: "recettes", want: Want::Amount, fr: "Recettes", ar: "المداخيل", en: "Revenue",
        synonyms: &["recettes", "recouvrements", "montant recouvré", "produits", "المداخيل", "الموارد", "المبالغ المستخلصة"] },
    RoleDef { name: "service", want: Want::Label, fr: "Service", ar: "المصلحة", en: "Department",
        synonyms: &["service", "division", "direction", "département", "entité", "structure", "unité", "service gestionnaire", "المصلحة", "القسم", "المديرية", "الإدارة", "الوحدة", "المصلحة المعنية"] },
    RoleDef { name: "chapitre", want: Want::Label, fr: "Chapitre", ar: "الباب", en: "Chapter",
        synonyms: &["chapitre", "partie", "titre", "section", "imputation", "imputation budgétaire", "الباب", "الجزء", "الفصل", "القسم المالي"] },
    RoleDef { name: "article", want: Want::Label, fr: "Article", ar: "المادة", en: "Budget line",
        synonyms: &["article", "paragraphe", "ligne", "ligne budgétaire", "compte", "code", "المادة", "الفقرة", "السطر", "البند"] },
    RoleDef { name: "libelle", want: Want::Label, fr: "Libellé", ar: "البيان", en: "Label",
        synonyms: &["libellé", "intitulé", "désignation", "objet", "rubrique", "nature", "nature de la dépense", "description", "البيان", "التسمية", "الموضوع", "طبيعة النفقة", "المشروع"] },
    RoleDef { name: "date", want: Want::Date, fr: "Date", ar: "التاريخ", en: "Date",
        synonyms: &["date", "date d'engagement", "date de la demande", "date de dépôt", "date de l'ordre de service", "date d'arrivée", "التاريخ", "تاريخ", "تاريخ الالتزام", "تاريخ الإيداع"] },
    RoleDef { name: "statut", want: Want::Label, fr: "Statut", ar: "الوضعية", en: "Status",
        synonyms: &["statut", "état", "situation", "étape", "état d'avancement", "الحالة", "الوضعية", "المرحلة"] },
    RoleDef { name: "attributaire", want: Want::Label, fr: "Attributaire", ar: "نائل الصفقة", en: "Contractor",
        synonyms: &["attributaire", "titulaire", "fournisseur", "prestataire", "entreprise", "société", "bénéficiaire", "نائل الصفقة", "المورد", "المقاولة", "المستفيد"] },
    RoleDef { name: "delai", want: Want::Amount, fr: "Délai", ar: "الأجل", en: "Time limit",
        synonyms: &["délai", "délai d'exécution", "durée", "délai en jours", "délai en mois", "الأجل", "أجل التنفيذ", "المدة"] },
    RoleDef { name: "avancement", want: Want::Percent, fr: "Avancement", ar: "نسبة التقدم", en: "Progress",
        synonyms: &["avancement", "avancement physique", "taux d'avancement", "taux de réalisation", "réalisation", "نسبة التقدم", "نسبة الإنجاز", "التقدم"] },
];

/// Words that say nothing about a role.
const STOP: &[&str] = &[
    "de", "des", "du", "la", "le", "les", "l", "d", "en", "au", "aux", "a", "par", "pour", "et", "sur", "dh", "dhs", "mad",
    "dirhams", "dirham", "درهم", "بالدرهم", "في", "من", "و", "ttc", "ht", "%", "n", "no",
];

/// Abbreviations met in headers.
const ABBREV: &[(&str, &str)] = &[
    ("mt", "montant"), ("mnt", "montant"), ("cred", "credit"), ("cr", "credit"), ("ouv", "ouvert"), ("eng", "engage"),
    ("ord", "ordonnance"), ("dispo", "disponible"), ("lib", "libelle"), ("chap", "chapitre"), ("art", "article"),
    ("serv", "service"), ("prev", "prevision"), ("real", "realisation"), ("desig", "designation"),
];

fn tokens(s: &str) -> Vec<String> {
    let f = fold(s);
    let mut out: Vec<String> = f
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP.contains(w))
        .map(|w| {
            let w = ABBREV.iter().find(|(a, _)| *a == w).map_or(w, |(_, full)| *full);
            // Plural and Arabic article: "engages" ~ "engage", "الاعتمادات" ~ "اعتمادات".
            let w = w.strip_prefix("ال").filter(|r| r.chars().count() >= 3).unwrap_or(w);
            let w = if w.len() > 3 && w.ends_with('s') && w.is_ascii() { &w[..w.len() - 1] } else { w };
            w.to_string()
        })
        .collect();
    if out.is_empty() {
        out = f.split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect();
    }
    out
}

/// How well a header matches one spelling of a role, 0 to 1.
fn match_score(header: &[String], syn: &[String]) -> f32 {
    if header.is_empty() || syn.is_empty() {
        return 0.0;
    }
    if header == syn {
        return 1.0;
    }
    let contains = |hay: &[String], w: &String| hay.iter().any(|h| h == w);
    if syn.iter().all(|w| contains(header, w)) {
        let extra = header.len() - syn.len();
        return (0.9 - 0.1 * extra as f32).max(0.6);
    }
    // Abbreviated: each header word starts a synonym word, in order ("cred ouv").
    if header.len() == syn.len()
        && header.iter().zip(syn).all(|(h, s)| h == s || (h.chars().count() >= 2 && s.starts_with(h.as_str())))
    {
        return 0.8;
    }
    // The header is a more general word of a longer synonym ("Crédits" for "crédits ouverts").
    if header.iter().all(|w| contains(syn, w)) {
        return 0.5;
    }
    0.0
}

fn kind_factor(want: Want, kind: ColumnKind) -> f32 {
    use ColumnKind as K;
    match (want, kind) {
        (_, K::Empty) => 0.1,
        (Want::Any, _) => 1.0,
        (Want::Amount, K::Amount | K::Number) => 1.0,
        (Want::Amount, K::Percent) => 0.4,
        (Want::Amount, _) => 0.15,
        (Want::Percent, K::Percent) => 1.0,
        (Want::Percent, K::Number) => 0.8,
        (Want::Percent, _) => 0.2,
        (Want::Date, K::Date) => 1.0,
        (Want::Date, _) => 0.3,
        (Want::Label, K::Text | K::Category) => 1.0,
        (Want::Label, K::Number | K::Bool) => 0.8,
        (Want::Label, _) => 0.3,
    }
}

/// Where a role's column came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleSource {
    /// Chosen by the user (explicit mapping).
    Mapped,
    /// Guessed by Katib from the headers and types.
    Guessed,
    /// No column fits.
    Missing,
}

/// Another column the form can offer for a role.
#[derive(Clone, Debug, Serialize)]
pub struct RoleAlternative {
    pub column: usize,
    pub header: String,
    pub letter: String,
    pub confidence: f32,
}

/// The column chosen or guessed for a role.
#[derive(Clone, Debug, Serialize)]
pub struct RoleGuess {
    pub role: String,
    /// The role's label in each language.
    pub labels: crate::spec::Labels,
    /// Index in the sheet's columns.
    pub column: Option<usize>,
    pub header: Option<String>,
    pub letter: Option<String>,
    /// 1.0 for a mapped column; for a guess, how well the header and type fit (0 to 1).
    pub confidence: f32,
    pub source: RoleSource,
    /// Other plausible columns, best first.
    pub alternatives: Vec<RoleAlternative>,
}

/// The label of a role in `lang`: the template's own label, the built-in one, or its name.
pub fn role_label(role: &str, lang: Lang, spec: Option<&SheetSpec>) -> String {
    if let Some(l) = spec.and_then(|s| s.labels.get(role)).and_then(|l| l.get(lang)) {
        return l.to_string();
    }
    match ROLES.iter().find(|r| r.name == role) {
        Some(r) => match lang {
            Lang::Fr => r.fr,
            Lang::Ar => r.ar,
            Lang::En => r.en,
        }
        .to_string(),
        None => role.replace('_', " "),
    }
}

/// Guesses a column for each role from the sheet's headers and column types. Each column goes
/// to one role at most, best matches first. `spec` adds the template's synonyms.
pub fn guess_roles(sheet: &SheetProfile, roles: &[String], spec: Option<&SheetSpec>) -> Vec<RoleGuess> {
    guess_with_mapping(sheet, roles, spec, &BTreeMap::new())
}

/// As [`guess_roles`], with the user's explicit choices (role -> header or column letter) taken
/// first. A mapping naming no column of the sheet leaves the role to be guessed.
pub fn guess_with_mapping(
    sheet: &SheetProfile,
    roles: &[String],
    spec: Option<&SheetSpec>,
    mapping: &BTreeMap<String, String>,
) -> Vec<RoleGuess> {
    let header_tokens: Vec<Vec<String>> = sheet.columns.iter().map(|c| tokens(&c.header)).collect();
    // Score every (role, column).
    let scores: Vec<Vec<f32>> = roles
        .iter()
        .map(|role| {
            let def = ROLES.iter().find(|r| r.name == role);
            let want = def.map_or(Want::Any, |d| d.want);
            let mut spellings: Vec<Vec<String>> = def.map_or(Vec::new(), |d| d.synonyms.iter().map(|s| tokens(s)).collect());
            spellings.push(tokens(&role.replace('_', " ")));
            if let Some(extra) = spec.and_then(|s| s.synonyms.get(role)) {
                spellings.extend(extra.iter().map(|s| tokens(s)));
            }
            if let Some(l) = spec.and_then(|s| s.labels.get(role)) {
                spellings.extend([&l.fr, &l.ar, &l.en].into_iter().flatten().map(|s| tokens(s)));
            }
            let dates = sheet.columns.iter().filter(|c| c.kind == ColumnKind::Date).count();
            sheet
                .columns
                .iter()
                .zip(&header_tokens)
                .map(|(col, h)| {
                    let best = spellings.iter().map(|s| match_score(h, s)).fold(0.0f32, f32::max);
                    let best = if best == 0.0 && want == Want::Date && col.kind == ColumnKind::Date && dates == 1 { 0.5 } else { best };
                    // A column of the right type with no matching header is still an
                    // alternative the form can offer (never a guess: below the 0.45 bar).
                    let fit = kind_factor(want, col.kind);
                    let best = if best == 0.0 && fit >= 1.0 && want != Want::Any { 0.2 } else { best };
                    best * fit
                })
                .collect()
        })
        .collect();
    let mut taken = vec![false; sheet.columns.len()];
    let mut chosen: Vec<Option<(usize, f32, RoleSource)>> = vec![None; roles.len()];
    for (i, role) in roles.iter().enumerate() {
        if let Some(c) = mapping.get(role).and_then(|name| column_by_name(sheet, name)) {
            chosen[i] = Some((c, 1.0, RoleSource::Mapped));
            taken[c] = true;
        }
    }
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (i, row) in scores.iter().enumerate() {
        for (c, &s) in row.iter().enumerate() {
            if s >= 0.45 {
                pairs.push((s, i, c));
            }
        }
    }
    // Best first; ties to the earlier column.
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
    for (s, i, c) in pairs {
        if chosen[i].is_none() && !taken[c] {
            chosen[i] = Some((c, s, RoleSource::Guessed));
            taken[c] = true;
        }
    }
    roles
        .iter()
        .enumerate()
        .map(|(i, role)| {
            let pick = chosen[i];
            let mut alts: Vec<(usize, f32)> = scores[i]
                .iter()
                .enumerate()
                .filter(|&(c, &s)| s >= 0.2 && Some(c) != pick.map(|p| p.0))
                .map(|(c, &s)| (c, s))
                .collect();
            alts.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let col = |c: usize| &sheet.columns[c];
            RoleGuess {
                role: role.clone(),
                labels: crate::spec::Labels {
                    fr: Some(role_label(role, Lang::Fr, spec)),
                    ar: Some(role_label(role, Lang::Ar, spec)),
                    en: Some(role_label(role, Lang::En, spec)),
                },
                column: pick.map(|p| p.0),
                header: pick.map(|p| col(p.0).header.clone()),
                letter: pick.map(|p| col(p.0).letter.clone()),
                confidence: pick.map_or(0.0, |p| (p.1 * 100.0).round() / 100.0),
                source: pick.map_or(RoleSource::Missing, |p| p.2),
                alternatives: alts
                    .into_iter()
                    .take(3)
                    .map(|(c, s)| RoleAlternative { column: c, header: col(c).header.clone(), letter: col(c).letter.clone(), confidence: (s * 100.0).round() / 100.0 })
                    .collect(),
            }
        })
        .collect()
}

/// A column by header (folded) or by letter.
fn column_by_name(sheet: &SheetProfile, name: &str) -> Option<usize> {
    let f = fold(name);
    sheet.columns.iter().position(|c| fold(&c.header) == f).or_else(|| {
        let up = name.trim().to_ascii_uppercase();
        sheet.columns.iter().position(|c| c.letter == up)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<String> {
        tokens(s)
    }

    #[test]
    fn header_spellings() {
        assert_eq!(match_score(&t("Crédits ouverts (MAD)"), &t("crédits ouverts")), 1.0);
        assert_eq!(match_score(&t("Créd. ouv."), &t("crédits ouverts")), 1.0);
        assert_eq!(match_score(&t("Dép. engag."), &t("dépenses engagées")), 0.8);
        assert_eq!(match_score(&t("Mt engagé"), &t("montant engagé")), 1.0);
        assert_eq!(match_score(&t("الاعتمادات المفتوحة"), &t("الاعتمادات المفتوحة")), 1.0);
        assert_eq!(match_score(&t("Crédits"), &t("crédits ouverts")), 0.5);
        assert_eq!(match_score(&t("Service"), &t("crédits ouverts")), 0.0);
        assert!(match_score(&t("Montant engagé TTC"), &t("engagé")) >= 0.6);
    }
}
