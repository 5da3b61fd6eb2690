//! Katib computes, the model comments (issue 11 §1), end to end through the `katib` binary: the
//! spreadsheet templates' saved answers pass the number check and get Katib's tables where they
//! anchor them (read back from the .docx); a loopback endpoint's invented figure is flagged and a
//! correct one written differently is not; `--map` changes the figures; the `--annex` workbook's
//! formulas carry the profile's figures (read back with calamine); the profile's sums equal an
//! independent openpyxl computation; an error cell and a wrong totals row are named.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};
use katib_core::run::Workbench;
use katib_sheet::{ComputedTable, Profile, TableCell};
use katib_testserver::{Script, Server, Sse};
use serde_json::Value;

use crate::util::*;

fn json_out(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn workbench(sb: &Sandbox) -> Workbench {
    Workbench::load_from(katib_core::config::Paths { config_dir: sb.config(), data_dir: sb.path("data") }).unwrap()
}

/// Katib's profile of `path` with `template`'s `[sheet]` declarations, as a run computes it.
fn profile(wb: &Workbench, template: &str, path: &Path, mapping: &BTreeMap<String, String>) -> Profile {
    let tpl = wb.template(template).unwrap();
    let spec = tpl.sheet.as_ref().unwrap_or_else(|| panic!("{template} declares no [sheet]"));
    katib_core::run::profile(path, spec, mapping, &wb.limits()).unwrap()
}

/// The table names an answer anchors (`[[tableau:NAME]]` alone on a line).
fn anchors(answer: &str) -> Vec<String> {
    answer.lines().filter_map(|l| katib_sheet::anchor_name(l).map(str::to_string)).collect()
}

fn cell_text(c: &TableCell) -> Option<&str> {
    match c {
        TableCell::Text(t) => Some(t),
        TableCell::Figure(t, _) => Some(t),
        TableCell::Empty => None,
    }
}

/// Starts a loopback endpoint that streams `pieces`, and a `local` profile for it in the
/// sandbox's profiles.toml.
fn loopback(sb: &Sandbox, pieces: &[&str]) -> Server {
    let server = Server::start(vec![Script::Sse(Sse::tokens(pieces))]);
    ok(&sb.run(&["profiles", "add", "local", "--base-url", &server.base_url(), "--model", "test-model", "--data-class", "local"]));
    let profiles = std::fs::read_to_string(sb.config().join("profiles.toml")).unwrap();
    assert!(profiles.contains("data_class = \"local\""), "{profiles}");
    server
}

/// Every saved answer of a spreadsheet template, replayed by `katib run --profile practice`:
/// no number flagged, every anchor filled with Katib's table, whose rows the exported .docx holds.
#[test]
fn every_sheet_sample_replays_with_no_flag_and_its_tables_in_the_docx() {
    let sb = Sandbox::new();
    let wb = workbench(&sb);
    let mut checked = BTreeSet::new();
    for s in &wb.samples {
        let tpl = wb.template(&s.template).unwrap();
        let Some(sheet) = s.files.values().find(|p| tpl.sheet.is_some() && katib_core::FileKind::of_path(p) == Some(katib_core::FileKind::Sheet)) else { continue };
        let answer = std::fs::read_to_string(&s.answer).unwrap();
        let docx = sb.out(&format!("{}.docx", s.id));
        let mut args = vec!["run", s.template.as_str(), "--sample"];
        if let Some(n) = &s.name {
            args.push(n.as_str());
        }
        args.extend(["--profile", "practice", "--json", "--out", docx.to_str().unwrap()]);
        let o = sb.run(&args);
        ok(&o);
        let v = json_out(&o);
        assert_eq!(v["flags"], Value::Array(vec![]), "{}: numbers of the saved answer that Katib did not compute", s.id);
        assert!(!stderr(&o).contains("chiffre absent") && !stderr(&o).contains("رقم غير وارد"), "{}: {}", s.id, stderr(&o));
        let text = v["text"].as_str().unwrap();
        assert!(anchors(text).is_empty(), "{}: an anchor was left unfilled (unknown table name?)", s.id);
        // The tables, as Katib computes them independently of the run, are in the .docx.
        let names = anchors(&answer);
        assert!(!names.is_empty(), "{}: the answer places none of Katib's tables", s.id);
        let p = profile(&wb, &s.template, sheet, &BTreeMap::new());
        let lang = match v["language"].as_str() {
            Some("ar") => katib_core::Lang::Ar,
            _ => katib_core::Lang::Fr,
        };
        let tables: Vec<ComputedTable> = katib_core::run::computed_tables(&p, lang);
        // Directional marks the writer puts around figures in Arabic documents are not text.
        let plain = |t: &str| t.chars().filter(|c| !matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2066}'..='\u{2069}')).collect::<String>().trim().to_string();
        let cells: BTreeSet<String> = docx_paragraphs(&docx).into_iter().filter(|p| p.in_table).map(|p| plain(&p.text)).collect();
        for name in &names {
            let table = tables.iter().find(|t| &t.name == name).unwrap_or_else(|| panic!("{}: no table {name}", s.id));
            assert!(!table.rows.is_empty(), "{}: {name} is empty", s.id);
            for row in &table.rows {
                for c in row.iter().filter_map(cell_text) {
                    assert!(cells.contains(&plain(c)), "{}: cell « {c} » of {name} not in the .docx tables", s.id);
                }
            }
            assert!(text.contains(&table.title), "{}: {name} filled in the answer", s.id);
        }
        checked.insert(s.id.clone());
    }
    for id in ["analyse-budget", "analyse-budget.csv", "analyse-budget.ar", "synthese-suivi", "synthese-suivi.ar", "aide-formule", "aide-formule.ar"] {
        assert!(checked.contains(id), "{id} was not checked: {checked:?}");
    }
}

/// A live answer from a loopback endpoint: the invented figure is flagged, on stderr and in
/// `--json`; the correct ones written another way ("466,2 millions", "96 %") are not; the
/// anchor split across stream chunks is filled; the endpoint received the figures, not the rows.
#[test]
fn a_loopback_answer_gets_its_invented_figure_flagged_and_only_that_one() {
    let sb = Sandbox::new();
    let pieces = [
        "# Budget 2026\n\nLes engagements atteignent 466,2 mil",
        "lions de DH ; l'éclairage public est engagé à 96 %, les télécommunications à 1 224 600 DH.\n",
        "Il faudrait 5 776 000 DH de plus d'ici la clôture.\n[[tab",
        "leau:totaux_par_chapitre]]\nFin.\n",
    ];
    let server = loopback(&sb, &pieces);
    let o = sb.run(&["run", "analyse-budget", "--sample", "--profile", "local", "--json"]);
    ok(&o);
    let v = json_out(&o);
    let flags = v["flags"].as_array().unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0]["text"], "5 776 000");
    assert_eq!(flags[0]["line"], 4);
    assert_eq!(flags[0]["message"], "chiffre absent des calculs de Katib");
    let text = v["text"].as_str().unwrap();
    assert_eq!(&text[flags[0]["start"].as_u64().unwrap() as usize..flags[0]["end"].as_u64().unwrap() as usize], "5 776 000");
    // The equipment line of Katib's table, where the model wrote the anchor.
    assert!(text.contains("| Équipement | 14 | 165 100 000 | 93 948 000 | 43 494 000 | 50 454 000 | 56,9 % |"), "{text}");
    assert!(!text.contains("[[tableau:"), "{text}");
    let notes: Vec<Value> = stderr(&o).lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(notes.iter().any(|n| n["note"] == "line 4: « 5 776 000 »: chiffre absent des calculs de Katib"), "{}", stderr(&o));
    // Without --json: one note on stderr, for that figure only.
    let o = sb.run(&["run", "analyse-budget", "--sample", "--profile", "local"]);
    ok(&o);
    let err = stderr(&o);
    let noted: Vec<&str> = err.lines().filter(|l| l.contains("chiffre absent")).collect();
    assert_eq!(noted, vec!["katib: note: line 4: « 5 776 000 »: chiffre absent des calculs de Katib"], "{err}");
    // What left: Katib's figures on every row, not the rows (line 15 is in no list nor sample).
    let sent = server.requests()[0].json()["messages"][1]["content"].as_str().unwrap().to_string();
    assert!(sent.contains("Chiffres calculés par Katib sur toutes les lignes") && sent.contains("somme 634 800 000"), "{sent}");
    assert!(!sent.contains("Entretien des bâtiments administratifs"), "a row's label left the computer: {sent}");
}

/// `--map` decides which column plays a role, and so the figures the prompt gets and the check
/// accepts: with the "ordonnancé" column as "engagé", the rate is 397 199 450 / 634 800 000.
#[test]
fn map_changes_the_column_of_a_role_and_so_the_figures() {
    let sb = Sandbox::new();
    let user = |extra: &[&str]| {
        let mut args = vec!["run", "analyse-budget", "--sample", "--dry-run", "--json"];
        args.extend(extra);
        let o = sb.run(&args);
        ok(&o);
        json_out(&o)["messages"][1]["content"].as_str().unwrap().to_string()
    };
    let guessed = user(&[]);
    assert!(guessed.contains("Montant engagé = F « Montant engagé (MAD) »"), "{guessed}");
    // 466 188 500 / 634 800 000 = 0.73439 (the file's own "Total général" row says 73,4 % too).
    assert!(guessed.contains("global 73,4 % (466 188 500 / 634 800 000)"), "{guessed}");
    for map in ["engage=H", "engage=Montant ordonnancé (MAD)"] {
        let mapped = user(&["--map", map]);
        assert!(mapped.contains("Montant engagé = H « Montant ordonnancé (MAD) »"), "{map}: {mapped}");
        // 397 199 450 / 634 800 000 = 0.62571.
        assert!(mapped.contains("global 62,6 % (397 199 450 / 634 800 000)"), "{map}: {mapped}");
        assert!(!mapped.contains("73,4 %"), "{map}: {mapped}");
    }
    // And the check follows: the same answer passes on the guessed columns, not on the mapped.
    let _server = loopback(&sb, &["Le taux d'engagement global est de 73,4 %.\n"]);
    let flags = |extra: &[&str]| {
        let mut args = vec!["run", "analyse-budget", "--sample", "--profile", "local", "--json"];
        args.extend(extra);
        let o = sb.run(&args);
        ok(&o);
        json_out(&o)["flags"].as_array().unwrap().iter().map(|f| f["text"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert!(flags(&[]).is_empty());
    assert_eq!(flags(&["--map", "engage=H"]), vec!["73,4 %"]);
}

/// Absolute (row, column) of the first cell of `range` whose text is `text`.
fn find(range: &calamine::Range<Data>, text: &str) -> (u32, u32) {
    let (r0, c0) = range.start().unwrap();
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if matches!(cell, Data::String(s) if s == text) {
                return (r0 + r as u32, c0 + c as u32);
            }
        }
    }
    panic!("« {text} » not in the annex");
}

fn number(range: &calamine::Range<Data>, pos: (u32, u32)) -> f64 {
    match range.get_value(pos) {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("{pos:?}: {other:?}"),
    }
}

/// The `--annex` workbook: a copy of the data and a calculation sheet whose cells are formulas
/// (SUM, SUMIF, COUNTIF...) with Katib's values cached, equal to the profile's figures.
#[test]
fn annex_formulas_hold_the_profiles_figures() {
    let sb = Sandbox::new();
    let wb = workbench(&sb);
    let annex = sb.out("annexe.xlsx");
    ok(&sb.run(&["run", "analyse-budget", "--sample", "--profile", "practice", "--annex", annex.to_str().unwrap()]));
    let source = samples_dir().join("inputs/tableau-budget-2026.xlsx");
    let p = profile(&wb, "analyse-budget", &source, &BTreeMap::new());
    let s = &p.sheets[0];
    let mut x: Xlsx<_> = open_workbook(&annex).unwrap();
    let names = x.sheet_names();
    assert_eq!(names.len(), 2, "{names:?}");
    // The data copy: the 42 rows under a header, the total rows left out.
    let data = x.worksheet_range(&names[0]).unwrap();
    assert_eq!(data.height(), 1 + 42, "{}", names[0]);
    let calc = x.worksheet_range(&names[1]).unwrap();
    let formulas = x.worksheet_formula(&names[1]).unwrap();
    let formula_at = |pos: (u32, u32)| formulas.get_value(pos).cloned().unwrap_or_default();
    // Statistics: each amount column's SUM.
    for col in s.columns.iter().filter(|c| c.additive && c.stats.is_some()) {
        let (r, c) = find(&calc, &col.header);
        let f = formula_at((r, c + 2));
        assert!(f.starts_with("SUM("), "{}: {f:?}", col.header);
        assert_eq!(number(&calc, (r, c + 2)), col.stats.as_ref().unwrap().sum, "{}", col.header);
    }
    // Totals by "Partie": count, sums, the declared difference and ratio, per group.
    let g = s.groups.iter().find(|g| g.name == "totaux_par_chapitre").unwrap();
    for gr in &g.groups {
        let key = match &gr.keys[0] {
            katib_sheet::Value::Text(t) => t.clone(),
            other => panic!("{other:?}"),
        };
        let (r, _) = find(&calc, &key);
        let mut cells: Vec<(String, f64)> = Vec::new();
        for c in 1..=6 {
            cells.push((formula_at((r, c)), number(&calc, (r, c))));
        }
        assert!(cells[0].0.starts_with("COUNTIF(") && cells[0].1 == gr.count as f64, "{key}: {cells:?}");
        for (i, sum) in gr.sums.iter().enumerate() {
            assert!(cells[1 + i].0.starts_with("SUMIF("), "{key}: {cells:?}");
            assert_eq!(cells[1 + i].1, *sum, "{key}: {cells:?}");
        }
        // Reste à ordonnancer (the one difference this sheet has columns for), then the rate.
        let d = 1 + gr.sums.len();
        assert!(cells[d].0.starts_with("SUMIF(") && cells[d].1 == gr.differences[1], "{key}: {cells:?}");
        assert!(cells[d + 1].0.contains("SUMPRODUCT") && (cells[d + 1].1 - gr.ratios[0].unwrap()).abs() < 1e-12, "{key}: {cells:?}");
    }
    // Independently: Équipement is 14 rows, 165 100 000 DH open, 93 948 000 DH committed (the
    // file's own "Total équipement" row, read by openpyxl in tests/tools/sheet_sums.py).
    let (r, _) = find(&calc, "Équipement");
    assert_eq!((number(&calc, (r, 1)), number(&calc, (r, 2)), number(&calc, (r, 3))), (14.0, 165_100_000.0, 93_948_000.0));
}

/// The figures of tests/tools/sheet_sums.py (openpyxl, data_only=True: the values LibreOffice
/// cached; math.fsum over the rows under the header that are not total rows), printed on
/// 30/11/2026 from the committed sample inputs. `--ignored` runs the script again.
const BUDGET_SUMS: &[(&str, u64, f64, f64, f64)] = &[
    // (header, count, sum, min, max)
    ("Crédits ouverts (MAD)", 42, 634_800_000.0, 450_000.0, 168_000_000.0),
    ("Montant engagé (MAD)", 42, 466_188_500.0, 0.0, 139_650_000.0),
    ("Montant ordonnancé (MAD)", 42, 397_199_450.0, 0.0, 139_650_000.0),
    ("Disponible (MAD)", 42, 168_611_500.0, -24_600.0, 28_350_000.0),
];

fn profile_json(sb: &Sandbox, file: &str) -> Value {
    let o = sb.run(&["sheet", "profile", samples_dir().join("inputs").join(file).to_str().unwrap(), "--json"]);
    ok(&o);
    json_out(&o)
}

fn column<'a>(sheet: &'a Value, header: &str) -> &'a Value {
    sheet["columns"].as_array().unwrap().iter().find(|c| c["header"] == header).unwrap_or_else(|| panic!("no column {header}"))
}

#[test]
fn sheet_profile_sums_equal_an_independent_openpyxl_computation() {
    let sb = Sandbox::new();
    let v = profile_json(&sb, "tableau-budget-2026.xlsx");
    let s = &v["sheets"][0];
    assert_eq!(s["data_rows"], 42);
    for (header, count, sum, min, max) in BUDGET_SUMS {
        let c = column(s, header);
        let st = &c["stats"];
        assert_eq!((c["numbers"].as_u64().unwrap(), st["sum"].as_f64().unwrap(), st["min"].as_f64().unwrap(), st["max"].as_f64().unwrap()), (*count, *sum, *min, *max), "{header}");
    }
}

/// Where a Python with openpyxl is: `KATIB_PYTHON`, else the benchmark's venv
/// (`KATIB_BENCH_DIR`, as tests/bench/sheet.sh, or ../shared/bench), else `python3`.
fn python() -> PathBuf {
    if let Ok(p) = std::env::var("KATIB_PYTHON") {
        return p.into();
    }
    let bench = std::env::var("KATIB_BENCH_DIR").map(PathBuf::from).unwrap_or_else(|_| repo().join("../shared/bench"));
    let venv = bench.join("venv/bin/python");
    if venv.exists() {
        return venv;
    }
    "python3".into()
}

#[test]
#[ignore = "needs python3 with openpyxl (KATIB_PYTHON, or the venv of KATIB_BENCH_DIR or ../shared/bench): runs tests/tools/sheet_sums.py"]
fn sheet_sums_script_agrees_with_katib_now() {
    let py = python();
    let o = std::process::Command::new(&py).arg(repo().join("tests/tools/sheet_sums.py")).output().unwrap_or_else(|e| panic!("{}: {e}", py.display()));
    assert!(o.status.success(), "{}: {}", py.display(), String::from_utf8_lossy(&o.stderr));
    let expected: Value = serde_json::from_slice(&o.stdout).unwrap();
    let sb = Sandbox::new();
    for (file, e) in expected.as_object().unwrap() {
        let v = profile_json(&sb, file);
        let s = &v["sheets"][0];
        assert_eq!(s["data_rows"], e["data_rows"], "{file}");
        for (header, x) in e["columns"].as_object().unwrap() {
            let c = column(s, header);
            assert_eq!(c["numbers"], x["count"], "{file} {header}");
            for k in ["sum", "min", "max"] {
                assert_eq!(c["stats"][k].as_f64(), x[k].as_f64(), "{file} {header} {k}");
            }
        }
        let errors: Vec<String> = s["error_cells"].as_array().unwrap().iter().map(|c| format!("{} {}", c["address"].as_str().unwrap(), c["error"].as_str().unwrap())).collect();
        assert_eq!(serde_json::to_value(&errors).unwrap(), e["errors"], "{file}");
        for (row, t) in e["totals"].as_object().unwrap() {
            let katib = s["totals"].as_array().unwrap().iter().find(|x| x["row"].as_u64().map(|r| r.to_string()).as_deref() == Some(row.as_str())).unwrap_or_else(|| panic!("{file}: total row {row}"));
            for ch in katib["checks"].as_array().unwrap() {
                assert_eq!(ch["written"].as_f64(), t[ch["column"].as_str().unwrap()].as_f64(), "{file} row {row}");
            }
        }
    }
    // The hard-coded figures above are this script's.
    let budget = &expected["tableau-budget-2026.xlsx"]["columns"];
    for (header, count, sum, min, max) in BUDGET_SUMS {
        let x = &budget[header];
        assert_eq!((x["count"].as_u64().unwrap(), x["sum"].as_f64().unwrap(), x["min"].as_f64().unwrap(), x["max"].as_f64().unwrap()), (*count, *sum, *min, *max), "{header}");
    }
}

/// A sheet written by openpyxl and recalculated by LibreOffice (tests/tools/make_sample_inputs.py)
/// with a #DIV/0! cell and a grand total whose formulas leave out the last row: the fact sheet
/// names the cell and the row, with the written and the computed sums (the written ones are
/// LibreOffice's: 45 700 000 DH over rows 4 to 17; the rows 4 to 18 add up to 48 100 000 DH,
/// both as read by openpyxl in tests/tools/sheet_sums.py).
#[test]
fn the_fact_sheet_names_an_error_cell_and_a_wrong_totals_row() {
    let sb = Sandbox::new();
    let file = samples_dir().join("inputs/tableau-equipement-ar-2026.xlsx");
    let o = sb.run(&["sheet", "profile", file.to_str().unwrap()]);
    ok(&o);
    let report = stdout(&o);
    assert!(report.contains("Cellules en erreur : 1 (I7 #DIV/0!)"), "{report}");
    assert!(
        report.contains("ligne 19 « المجموع العام » : الاعتمادات المفتوحة (درهم) 45 700 000 — NE CORRESPOND PAS : somme calculée 48 100 000 (écart -2 400 000)"),
        "{report}"
    );
    assert!(report.contains("15 lignes de données (lignes 4 à 18)"), "the title row and the total row are not data: {report}");
    // Through the template, in Arabic: what the model is given.
    let o = sb.run(&["run", "analyse-budget", "--sample", "ar", "--dry-run", "--json"]);
    ok(&o);
    let user = json_out(&o)["messages"][1]["content"].as_str().unwrap().to_string();
    assert!(user.contains("خلايا خاطئة: 1 (I7 #DIV/0!)"), "{user}");
    assert!(user.contains("السطر 19 « المجموع العام »: الاعتمادات المفتوحة (درهم) 45 700 000 — غير مطابق: المجموع المحسوب 48 100 000 (الفرق -2 400 000)"), "{user}");
    assert!(user.contains("controle_totaux") && user.contains("cellules_en_erreur"), "the model can place both tables: {user}");
    // The ratio leaves the row with no credits out rather than read its error as a number.
    assert!(user.contains("14 سطرا، 1 غير قابل للحساب"), "{user}");
}

/// A 100,000-row x 20-column sheet costs at most 3,000 prompt tokens through every spreadsheet
/// template, French and Arabic, counted with a real tokenizer (o200k_base): Katib gives the model
/// its figures, not the rows.
#[test]
fn a_100k_row_sheet_costs_at_most_3000_prompt_tokens_through_every_template() {
    let sb = Sandbox::new();
    let wb = workbench(&sb);
    // Headers the budget and follow-up roles recognise, plus text, dates and categories.
    let headers = [
        "Chapitre", "Service", "Libellé", "Crédits ouverts", "Engagé", "Ordonnancé", "Payé", "Statut", "Attributaire", "N° dossier",
        "Objet", "Date de dépôt", "Agent", "Date de réponse", "Délai (jours)", "Délai cible", "Hors délai", "Commune", "Observations", "Code",
    ];
    let services = ["Division technique", "Affaires administratives", "Patrimoine", "Urbanisme", "Hygiène", "Finances", "Ressources humaines", "Sports"];
    let statuts = ["Engagé", "En cours", "Soldé", "Clôturé"];
    let path = sb.path("in/100k.csv");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut csv = String::with_capacity(100_000 * 200);
    csv.push_str(&headers.join(";"));
    csv.push('\n');
    for i in 0..100_000u64 {
        let h = i.wrapping_mul(2654435761) % 1_000_003;
        let credits = 10_000 + h % 900_000;
        let engage = credits * (30 + h % 80) / 100;
        let paye = engage * (h % 100) / 100;
        csv.push_str(&format!(
            "{};{};Fourniture {} lot {};{credits};{engage};{};{paye};{};Société {} SARL;D-{i:06};Demande {};{:02}/{:02}/2026;Agent {};{:02}/{:02}/2026;{};30;{};Oujda;obs {};C{}\n",
            10 + h % 40,
            services[(h % 8) as usize],
            h % 500,
            h % 12,
            engage * (h % 90 + 10) / 100,
            statuts[(h % 4) as usize],
            h % 300,
            h % 1000,
            1 + h % 28,
            1 + h % 12,
            h % 90,
            1 + (h / 7) % 28,
            1 + (h / 11) % 12,
            h % 60,
            if h % 60 > 30 { "oui" } else { "non" },
            h % 97,
            h % 5000
        ));
    }
    std::fs::write(&path, csv).unwrap();
    let bpe = tiktoken_rs::o200k_base().unwrap();
    let mut checked = 0;
    for tpl in wb.catalog.all().iter().filter(|t| t.sheet.is_some()) {
        for lang in [katib_core::Lang::Fr, katib_core::Lang::Ar] {
            let p = profile(&wb, &tpl.id, &path, &BTreeMap::new());
            assert_eq!(p.sheets[0].data_rows, 100_000, "every row is profiled");
            let facts = katib_core::run::fact_sheet(&p, lang);
            let tokens = bpe.encode_with_special_tokens(&facts).len();
            eprintln!("{} {lang:?}: {tokens} tokens", tpl.id);
            assert_eq!(tokens, katib_core::run::count_tokens(&facts), "the runtime counts with the same tokenizer");
            assert!(tokens <= 3000, "{} {lang:?}: {tokens} tokens", tpl.id);
            checked += 1;
        }
    }
    assert!(checked >= 4, "the spreadsheet templates were checked");
}
