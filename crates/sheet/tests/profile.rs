//! The profile's figures, exact, against the ones Python computed, on the same workbook as
//! openpyxl wrote it and as LibreOffice re-saved it (.xlsx with shared strings, .ods, .xls); the
//! Arabic workbook; the cp1252 CSV.

use katib_sheet::{ColumnKind, RoleSource, SheetProfile};

use crate::util::{expected, f, fixture, profile_with_spec};

fn column<'a>(s: &'a SheetProfile, header: &str) -> &'a katib_sheet::ColumnProfile {
    s.columns.iter().find(|c| c.header == header).unwrap_or_else(|| {
        panic!("no column '{header}' in {:?}", s.columns.iter().map(|c| &c.header).collect::<Vec<_>>())
    })
}

/// Every figure of the budget workbook, whatever wrote the file.
fn check_budget(file: &str, formulas_cached: bool, formats_known: bool) {
    let lo_text = file.ends_with("_lo.xlsx") || file.ends_with(".ods");
    let exp = &expected()["budget"];
    let p = profile_with_spec(file);
    assert_eq!(p.sheets.len(), 1, "{file}");
    let s = &p.sheets[0];
    assert_eq!(s.name, exp["sheet"].as_str().unwrap(), "{file}");
    let titles: Vec<String> = exp["title_lines"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect();
    assert_eq!(s.title_lines, titles, "{file}: title rows above the header");
    let header_rows: Vec<u32> = exp["header_rows"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
    assert_eq!(s.header_rows, header_rows, "{file}: the two-row merged header");
    let headers: Vec<&str> = exp["headers"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(s.columns.iter().map(|c| c.header.as_str()).collect::<Vec<_>>(), headers, "{file}: labels from merged cells");
    assert_eq!(s.data_rows, exp["data_rows"].as_u64().unwrap(), "{file}");
    assert_eq!(s.first_data_row as u64, exp["first_data_row"].as_u64().unwrap(), "{file}");
    assert_eq!(s.last_data_row as u64, exp["last_data_row"].as_u64().unwrap(), "{file}");
    let labels: Vec<u32> = s.label_rows.iter().map(|(r, _)| *r).collect();
    let exp_labels: Vec<u32> = exp["label_rows"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
    assert_eq!(labels, exp_labels, "{file}: section headings left out");
    // Exact statistics: sums and means as math.fsum, medians as statistics.median.
    for (header, e) in exp["columns"].as_object().unwrap() {
        // LibreOffice's text formats keep 15 significant digits of the rates.
        let e = if header == "Taux d'engagement" && lo_text { &exp["lo_rates"] } else { e };
        let c = column(s, header);
        let st = c.stats.as_ref().unwrap_or_else(|| panic!("{file}: no stats for {header}"));
        assert_eq!(c.numbers, e["count"].as_u64().unwrap(), "{file} {header} count");
        for (k, v) in [("sum", st.sum), ("mean", st.mean), ("median", st.median), ("min", st.min), ("max", st.max)] {
            assert_eq!(v, f(&e[k]), "{file} {header} {k}");
        }
    }
    // The formula column: no value in the openpyxl file, LibreOffice's cached values otherwise.
    let dispo = column(s, "Disponible");
    if formulas_cached {
        let st = dispo.stats.as_ref().expect("cached formula values");
        assert_eq!(st.sum, f(&exp["disponible"]["sum"]), "{file} Disponible");
        assert_eq!(st.median, f(&exp["disponible"]["median"]), "{file} Disponible");
    } else {
        assert_eq!(dispo.no_value, exp["data_rows"].as_u64().unwrap(), "{file}: formulas without values are counted");
        assert!(dispo.stats.is_none());
        assert!(s.warnings.iter().any(|w| w.code == "sheet.formula_without_value"));
    }
    // Types.
    assert_eq!(column(s, "Taux d'engagement").kind, ColumnKind::Percent, "{file}");
    assert_eq!(column(s, "Service").kind, ColumnKind::Category, "{file}");
    assert_eq!(column(s, "Date du dernier engagement").kind, ColumnKind::Date, "{file}");
    let amount_kind = if formats_known { ColumnKind::Amount } else { ColumnKind::Number };
    assert_eq!(column(s, "Crédits ouverts").kind, amount_kind, "{file}");
    let dates = column(s, "Date du dernier engagement");
    assert_eq!(dates.dates, exp["dates"]["count"].as_u64().unwrap(), "{file}");
    assert_eq!(serde_json::to_value(dates.first_date).unwrap(), exp["dates"]["first"], "{file}");
    assert_eq!(serde_json::to_value(dates.last_date).unwrap(), exp["dates"]["last"], "{file}");
    // Cells in error: counted, named, not read as numbers.
    let mut errors: Vec<(String, String)> = s.error_cells.iter().map(|e| (e.address.clone(), e.error.as_str().to_string())).collect();
    errors.sort();
    let exp_errors: Vec<(String, String)> = exp["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(errors, exp_errors, "{file}");
    assert_eq!(s.error_count, 3);
    // Total rows: each checked against the rows it covers; the wrong one found, both numbers given.
    let checks: Vec<_> = s.totals.iter().flat_map(|t| t.checks.iter().map(move |c| (t.row, c))).collect();
    let exp_checks = exp["totals"].as_array().unwrap();
    assert_eq!(checks.len(), exp_checks.len(), "{file}: {checks:?}");
    for e in exp_checks {
        let (row, col) = (e["row"].as_u64().unwrap() as u32, e["column"].as_str().unwrap());
        let (_, c) = checks.iter().find(|(r, c)| *r == row && c.column == col).unwrap_or_else(|| panic!("{file}: no check {row} {col}"));
        assert_eq!(c.written, f(&e["written"]), "{file} row {row} {col}");
        assert_eq!(c.computed, f(&e["computed"]), "{file} row {row} {col}");
        assert_eq!(c.matches, e["matches"].as_bool().unwrap(), "{file} row {row} {col}");
    }
    assert_eq!(checks.iter().filter(|(_, c)| !c.matches).count(), 1, "{file}: only the TOTAL GÉNÉRAL's engagés is wrong");
    assert!(s.warnings.iter().any(|w| w.code == "sheet.total_mismatch" && w.message.contains("302782403.5") && w.message.contains("302782303.5")));
    // Roles guessed from the headers.
    for (role, header) in [("credits_ouverts", "Crédits ouverts"), ("engage", "Crédits engagés"), ("paye", "Payé"), ("service", "Service"), ("libelle", "Libellé"), ("chapitre", "Chapitre"), ("date", "Date du dernier engagement")] {
        let g = s.roles.iter().find(|r| r.role == role).unwrap();
        assert_eq!(g.header.as_deref(), Some(header), "{file}: role {role}: {g:?}");
        assert_eq!(g.source, RoleSource::Guessed);
    }
    // Grouped totals.
    let g = &s.groups[0];
    assert_eq!(g.name, "totaux_par_service");
    let by = exp["by_service"].as_object().unwrap();
    assert_eq!(g.groups.len(), by.len(), "{file}");
    for gr in &g.groups {
        let key = match &gr.keys[0] {
            katib_sheet::Value::Text(t) => t.clone(),
            other => panic!("{other:?}"),
        };
        let e = &by[&key];
        assert_eq!(gr.count, e["count"].as_u64().unwrap(), "{file} {key}");
        assert_eq!(gr.sums, vec![f(&e["credits"]), f(&e["engage"]), f(&e["paye"])], "{file} {key}");
    }
    // The declared ratio and its thresholds; the declared difference.
    let r = &s.ratios[0];
    assert_eq!(r.overall.unwrap(), f(&exp["ratio"]["overall"]), "{file}");
    assert_eq!(r.rows, exp["ratio"]["rows"].as_u64().unwrap());
    assert_eq!(r.undefined, exp["ratio"]["undefined"].as_u64().unwrap());
    let rows = |t: &Option<katib_sheet::Threshold>| t.as_ref().unwrap().rows.iter().map(|x| x.row as u64).collect::<Vec<_>>();
    let exp_rows = |k: &str| exp["ratio"][k].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect::<Vec<_>>();
    assert_eq!(rows(&r.above), exp_rows("above_100"), "{file}");
    assert_eq!(rows(&r.below), exp_rows("below_30"), "{file}");
    assert_eq!(r.above.as_ref().unwrap().rows[0].label.as_deref(), Some("Frais de télécommunications"));
    let d = &s.differences[0];
    assert_eq!(d.total, f(&exp["reste_a_payer"]["total"]), "{file}");
    assert_eq!(d.rows, exp["reste_a_payer"]["rows"].as_u64().unwrap());
    assert_eq!(d.negative, exp["reste_a_payer"]["negative"].as_u64().unwrap());
}

#[test]
fn budget_written_by_openpyxl() {
    check_budget("budget_oujda.xlsx", false, true);
}

#[test]
fn budget_resaved_by_libreoffice_with_shared_strings() {
    check_budget("budget_oujda_lo.xlsx", true, true);
}

#[test]
fn budget_as_ods() {
    check_budget("budget_oujda.ods", true, true);
}

#[test]
fn budget_as_xls() {
    // calamine does not expose .xls number formats: amounts read as numbers.
    check_budget("budget_oujda.xls", true, false);
}

#[test]
fn arabic_headers_and_total() {
    let exp = &expected()["arabic"];
    let p = profile_with_spec("budget_ar.xlsx");
    let s = &p.sheets[0];
    assert_eq!(s.name, "الميزانية");
    assert_eq!(s.header_rows, vec![3]);
    assert_eq!(s.data_rows, exp["data_rows"].as_u64().unwrap());
    let headers: Vec<&str> = exp["headers"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(s.columns.iter().map(|c| c.header.as_str()).collect::<Vec<_>>(), headers);
    for (header, e) in exp["columns"].as_object().unwrap() {
        let st = column(s, header).stats.clone().unwrap();
        assert_eq!((st.sum, st.mean, st.median, st.min, st.max), (f(&e["sum"]), f(&e["mean"]), f(&e["median"]), f(&e["min"]), f(&e["max"])), "{header}");
        assert_eq!(column(s, header).kind, ColumnKind::Amount, "{header}: the درهم format");
    }
    assert_eq!(s.totals.len(), 1);
    assert_eq!(s.totals[0].label, "المجموع");
    assert_eq!(s.totals[0].row as u64, exp["total_row"].as_u64().unwrap());
    assert!(s.totals[0].checks.iter().all(|c| c.matches) && s.totals[0].checks.len() == 3, "{:?}", s.totals[0]);
    for (role, header) in [
        ("credits_ouverts", "الاعتمادات المفتوحة"),
        ("engage", "المبالغ الملتزم بها"),
        ("paye", "المبالغ المؤداة"),
        ("service", "المصلحة"),
        ("chapitre", "الباب"),
        ("libelle", "البيان"),
        ("date", "التاريخ"),
    ] {
        let g = s.roles.iter().find(|r| r.role == role).unwrap();
        assert_eq!(g.header.as_deref(), Some(header), "{role}: {g:?}");
    }
    let by = exp["by_service"].as_object().unwrap();
    for gr in &s.groups[0].groups {
        let katib_sheet::Value::Text(key) = &gr.keys[0] else { panic!() };
        assert_eq!(gr.sums[0], f(&by[key]), "{key}");
    }
}

#[test]
fn csv_in_cp1252_with_french_numbers() {
    let exp = &expected()["marches"];
    let p = katib_sheet::profile_file(&fixture("marches_cp1252.csv"), &Default::default()).unwrap();
    let s = &p.sheets[0];
    let headers: Vec<&str> = exp["headers"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(s.columns.iter().map(|c| c.header.as_str()).collect::<Vec<_>>(), headers, "accents decoded from cp1252");
    assert_eq!(s.data_rows, exp["data_rows"].as_u64().unwrap());
    for (header, e) in exp["columns"].as_object().unwrap() {
        let st = column(s, header).stats.clone().unwrap();
        assert_eq!((st.sum, st.mean, st.median, st.min, st.max), (f(&e["sum"]), f(&e["mean"]), f(&e["median"]), f(&e["min"]), f(&e["max"])), "{header}");
    }
    assert_eq!(column(s, "Montant TTC (MAD)").kind, ColumnKind::Amount);
    let pct = column(s, "Avancement physique (%)");
    assert_eq!((pct.kind, pct.percent_points), (ColumnKind::Percent, true));
    let dates = column(s, "Date de l'ordre de service");
    assert_eq!(dates.kind, ColumnKind::Date);
    assert_eq!(serde_json::to_value(dates.first_date).unwrap(), exp["dates"]["first"]);
    assert_eq!(serde_json::to_value(dates.last_date).unwrap(), exp["dates"]["last"]);
    assert_eq!(s.totals.len(), 1);
    assert_eq!(s.totals[0].label, "TOTAL GÉNÉRAL");
    assert!(s.totals[0].checks.iter().all(|c| c.matches) && s.totals[0].checks.len() == 2, "{:?}", s.totals[0]);
    let statut = column(s, "Statut");
    for (value, count) in exp["by_statut"].as_object().unwrap() {
        let t = statut.top.iter().find(|t| t.value == katib_sheet::Value::Text(value.clone()));
        if let Some(t) = t {
            assert_eq!(t.count, count.as_u64().unwrap(), "{value}");
        }
    }
    assert_eq!(statut.distinct, exp["by_statut"].as_object().unwrap().len() as u64);
}

#[test]
fn group_by_from_the_command_line_and_explicit_mapping() {
    let opts = katib_sheet::ProfileOptions {
        group_by: vec!["Chapitre+Service".into()],
        mapping: [("engage".to_string(), "F".to_string())].into_iter().collect(),
        ..Default::default()
    };
    let p = katib_sheet::profile_file(&fixture("budget_oujda_lo.xlsx"), &opts).unwrap();
    let s = &p.sheets[0];
    let g = &s.groups[0];
    assert_eq!(g.name, "totaux_par_chapitre_et_service");
    assert_eq!(g.by, vec!["Chapitre", "Service"]);
    assert_eq!(g.groups.iter().map(|x| x.count).sum::<u64>(), s.data_rows);
    // The user's choice wins over the guess.
    let e = s.roles.iter().find(|r| r.role == "engage").unwrap();
    assert_eq!((e.header.as_deref(), e.source), (Some("Payé"), RoleSource::Mapped));
    let err = katib_sheet::profile_file(&fixture("budget_oujda_lo.xlsx"), &katib_sheet::ProfileOptions { group_by: vec!["Région".into()], ..Default::default() }).unwrap_err();
    assert_eq!(err.code(), "sheet.unknown_column");
    assert!(err.to_string().contains("Région") && err.to_string().contains("Service"), "{err}");
}

#[test]
fn the_profile_serialises_for_the_cli_json() {
    let p = profile_with_spec("budget_oujda.xlsx");
    let v = serde_json::to_value(&p).unwrap();
    let s = &v["sheets"][0];
    assert_eq!(s["columns"][3]["header"], "Crédits ouverts");
    assert_eq!(s["columns"][3]["kind"], "amount");
    assert_eq!(s["error_cells"][0]["error"].as_str().map(|e| e.starts_with('#')), Some(true));
    assert_eq!(s["ratios"][0]["above"]["rows"][0]["row"], 10);
    let text = katib_sheet::render_text(&p, katib_sheet::Lang::Fr);
    assert!(text.contains("NE CORRESPOND PAS : somme calculée 302 782 303,50 (écart 100)"), "{text}");
}

#[test]
fn section_totals_below_the_table_are_checked_on_their_category() {
    // The project's sample: "Total fonctionnement" and "Total équipement" sit under all the
    // rows; each is the sum of the rows whose "Partie" it names.
    let p = katib_sheet::profile_file(&crate::util::sample("tableau-budget-2026.xlsx"), &Default::default()).unwrap();
    let s = &p.sheets[0];
    assert_eq!(s.totals.len(), 3);
    for t in &s.totals {
        assert!(t.checks.iter().all(|c| c.matches), "{t:?}");
    }
    let f = &s.totals[0].checks[0];
    assert_eq!((f.basis, f.group_column.as_deref(), f.group_value.as_deref()), ("group", Some("Partie"), Some("Fonctionnement")));
    assert_eq!(f.written, 469_700_000.0);
    assert_eq!(s.totals[2].checks[0].basis, "all");
}


#[test]
fn roles_are_guessed_from_abbreviated_headers_with_alternatives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("abreges.csv");
    std::fs::write(
        &path,
        "Créd. ouv.;Mt engagé;Payé TTC;Service gest.;Date eng.;Observations\n\
         1 200 000;1 224 600;1 100 000;Division financière;26/01/2026;Dépassement\n\
         38 000 000;36 480 000;30 400 000;Division technique;12/10/2026;\n\
         6 000 000;1 150 000;900 000;Division des affaires sociales;20/04/2026;Relance\n\
         6 000 000;1 150 000;900 000;Division technique;20/04/2026;\n",
    )
    .unwrap();
    let p = katib_sheet::profile_file(&path, &Default::default()).unwrap();
    let s = &p.sheets[0];
    let roles: Vec<String> = ["credits_ouverts", "engage", "paye", "service", "date"].map(String::from).to_vec();
    let guesses = katib_sheet::guess_roles(s, &roles, None);
    let picked: Vec<Option<&str>> = guesses.iter().map(|g| g.header.as_deref()).collect();
    assert_eq!(picked, vec![Some("Créd. ouv."), Some("Mt engagé"), Some("Payé TTC"), Some("Service gest."), Some("Date eng.")], "{guesses:#?}");
    // The form offers the other amount columns as alternatives for an amount role.
    let alts: Vec<&str> = guesses[0].alternatives.iter().map(|a| a.header.as_str()).collect();
    assert!(alts.contains(&"Mt engagé"), "{alts:?}");
    assert!(guesses.iter().all(|g| g.confidence > 0.45 && g.source == RoleSource::Guessed));
    // A role with no fitting column says so.
    let none = katib_sheet::guess_roles(s, &["recettes".to_string()], None);
    assert_eq!((none[0].column, none[0].source), (None, RoleSource::Missing));
}

#[test]
fn group_tables_leave_out_the_measures_a_sheet_has_no_column_for() {
    // The project's budget sample has no "payé" column: a declared "reste à payer" and "taux de
    // paiement" are "non calculable", and no table shows a column of zeros or dashes for them.
    let spec: katib_sheet::SheetSpec = toml::from_str(
        r#"
roles = ["chapitre", "credits_ouverts", "engage", "ordonnance", "paye"]
group_by = ["chapitre"]
[[ratios]]
name = "taux_engagement"
num = "engage"
den = "credits_ouverts"
[[ratios]]
name = "taux_paiement"
num = "paye"
den = "engage"
[[differences]]
name = "reste_a_payer"
from = "engage"
minus = "paye"
[[differences]]
name = "reste_a_ordonnancer"
from = "engage"
minus = "ordonnance"
"#,
    )
    .unwrap();
    spec.validate().unwrap();
    let opts = katib_sheet::ProfileOptions { spec, ..Default::default() };
    let p = katib_sheet::profile_file(&crate::util::sample("tableau-budget-2026.xlsx"), &opts).unwrap();
    let table = katib_sheet::computed_tables(&p, katib_sheet::Lang::Fr).into_iter().find(|t| t.name == "totaux_par_chapitre").unwrap();
    assert!(table.headers.iter().any(|h| h == "Taux d'engagement") && table.headers.iter().any(|h| h == "reste a ordonnancer"), "{:?}", table.headers);
    assert!(!table.headers.iter().any(|h| h == "Reste à payer" || h == "Taux de paiement"), "{:?}", table.headers);
    assert!(table.rows.iter().all(|r| r.len() == table.headers.len()), "{table:?}");
    // Équipement: engaged 93 948 000, authorised 43 494 000, rate 56.9 %.
    let equipement = &table.rows[0];
    let figures: Vec<f64> = equipement.iter().filter_map(|c| if let katib_sheet::TableCell::Figure(_, v) = c { Some(*v) } else { None }).collect();
    assert!(figures.contains(&50_454_000.0) && !figures.contains(&0.0), "{figures:?}");
    let facts = katib_sheet::fact_sheet(&p, &katib_sheet::FactOptions::prompt(katib_sheet::Lang::Fr));
    assert!(facts.contains("Reste à payer : non calculable"), "{facts}");
    let head = facts.lines().find(|l| l.starts_with("| Partie |")).unwrap();
    assert!(!head.contains("Reste à payer") && head.contains("reste a ordonnancer"), "{head}");
    assert!(facts.contains("montant (DH)"), "the French fact sheet writes the unit the answer uses: {facts}");
}
