//! The trainer's results: every submission and review of the room gathered from a folder, as a
//! table (exercise by learner: rubric results, self-assessment, peer scores) and as an .xlsx
//! workbook with four sheets: the summary by learner, the peer scores by learner, one row per
//! submission, one row per review.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use katib_core::{Lang, Localized};
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;

use super::{read_review, read_submission, Learner, Review, Submission, REVIEW_EXT, SUBMISSION_EXT};
use crate::error::{Result, WorkshopError};

/// One learner's latest submission for one exercise, with its reviews.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub learner: String,
    pub team: Option<String>,
    pub pack: String,
    pub exercise: String,
    pub number: usize,
    pub title: Localized,
    pub submission: String,
    pub created: String,
    pub passed: usize,
    pub total: usize,
    /// The checks that failed (their titles).
    pub failed: Vec<Localized>,
    pub self_ticked: usize,
    pub self_total: usize,
    /// Was the answer edited after generation?
    pub edited: bool,
    pub peer_scores: Vec<u8>,
    pub peer_mean: Option<f64>,
}

/// An exercise column of the table.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    pub pack: String,
    pub number: usize,
    pub exercise: String,
}

/// Everything gathered from a folder.
#[derive(Clone, Debug, Serialize)]
pub struct Results {
    pub rows: Vec<Row>,
    pub columns: Vec<Column>,
    pub learners: Vec<Learner>,
    pub reviews: Vec<Review>,
    /// Files that could not be read, with why.
    pub skipped: Vec<(PathBuf, String)>,
}

fn files(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| WorkshopError::io(dir, e))?;
    for e in rd.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() && depth < 3 {
            files(&p, out, depth + 1)?;
        } else if ft.is_file() && p.extension().is_some_and(|x| x == SUBMISSION_EXT || x == REVIEW_EXT) {
            out.push(p);
        }
    }
    Ok(())
}

/// Reads every `.katib-rendu` and `.katib-avis` under `dir` (three folders deep): a learner's
/// latest submission per exercise counts, with the reviews of that submission.
pub fn gather(dir: &Path) -> Result<Results> {
    let mut paths = Vec::new();
    files(dir, &mut paths, 0)?;
    paths.sort();
    let mut subs: Vec<Submission> = Vec::new();
    let mut reviews: Vec<Review> = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        if p.extension().is_some_and(|x| x == SUBMISSION_EXT) {
            match read_submission(&p) {
                Ok(s) => subs.push(s),
                Err(e) => skipped.push((p, e.to_string())),
            }
        } else {
            match read_review(&p) {
                Ok(r) => reviews.push(r),
                Err(e) => skipped.push((p, e.to_string())),
            }
        }
    }
    // The same file may be in two folders: one copy of each.
    subs.sort_by(|a, b| a.id.cmp(&b.id));
    subs.dedup_by(|a, b| a.id == b.id);
    reviews.sort_by(|a, b| a.id.cmp(&b.id));
    reviews.dedup_by(|a, b| a.id == b.id);
    let mut latest: BTreeMap<(String, String, String), Submission> = BTreeMap::new();
    for s in subs {
        let k = (s.learner.name.trim().to_lowercase(), s.pack.id.clone(), s.exercise.id.clone());
        match latest.get(&k) {
            Some(old) if old.created >= s.created => {}
            _ => {
                latest.insert(k, s);
            }
        }
    }
    let mut rows: Vec<Row> = latest
        .into_values()
        .map(|s| {
            let scores: Vec<u8> = reviews.iter().filter(|r| r.submission == s.id).map(|r| r.score).collect();
            let mean = (!scores.is_empty()).then(|| scores.iter().map(|&x| f64::from(x)).sum::<f64>() / scores.len() as f64);
            Row {
                learner: s.learner.name.clone(),
                team: s.learner.team.clone(),
                pack: s.pack.id.clone(),
                exercise: s.exercise.id.clone(),
                number: s.exercise.number,
                title: s.exercise.title.clone(),
                submission: s.id.clone(),
                created: s.created.clone(),
                passed: s.rubric.passed,
                total: s.rubric.total,
                failed: s.rubric.checks.iter().filter(|c| !c.ok).map(|c| c.title.clone()).collect(),
                self_ticked: s.self_check.iter().filter(|c| c.ticked).count(),
                self_total: s.self_check.len(),
                edited: !s.edits.is_empty(),
                peer_scores: scores,
                peer_mean: mean,
            }
        })
        .collect();
    rows.sort_by(|a, b| (&a.team, a.learner.to_lowercase(), &a.pack, a.number).cmp(&(&b.team, b.learner.to_lowercase(), &b.pack, b.number)));
    let mut columns: Vec<Column> = rows.iter().map(|r| Column { pack: r.pack.clone(), number: r.number, exercise: r.exercise.clone() }).collect();
    columns.sort();
    columns.dedup();
    let mut learners: Vec<Learner> = Vec::new();
    for r in &rows {
        if !learners.iter().any(|l| l.name.trim().eq_ignore_ascii_case(r.learner.trim())) {
            learners.push(Learner { name: r.learner.clone(), team: r.team.clone() });
        }
    }
    Ok(Results { rows, columns, learners, reviews, skipped })
}

fn xerr(path: &Path) -> impl Fn(rust_xlsxwriter::XlsxError) -> WorkshopError + '_ {
    move |e| WorkshopError::Xlsx { path: path.into(), detail: e.to_string() }
}

/// Sheet and column names in the trainer's language.
fn words(lang: Lang) -> [&'static str; 20] {
    if lang == Lang::Ar {
        [
            "الخلاصة", "نقط الأقران", "الأعمال المسلمة", "التقييمات", "المتعلم", "الفريق", "التمرين", "العنوان", "المعايير المستوفاة", "مجموع المعايير",
            "المعايير غير المستوفاة", "التقييم الذاتي", "عدل الجواب", "معدل نقط الأقران (/20)", "عدد التقييمات", "المقيم", "النقطة", "الملاحظة", "تاريخ التسليم", "نعم",
        ]
    } else {
        [
            "Synthèse", "Notes des pairs", "Rendus", "Avis", "Apprenant", "Équipe", "Exercice", "Titre", "Critères réussis", "Critères",
            "Critères non satisfaits", "Auto-évaluation", "Réponse retouchée", "Note des pairs (moyenne /20)", "Avis reçus", "Relecteur", "Note /20", "Commentaire", "Remis le", "oui",
        ]
    }
}

/// Writes the results workbook to `out` (atomically; an existing file only with `overwrite`).
pub fn write_xlsx(results: &Results, out: &Path, lang: Lang, overwrite: bool) -> Result<()> {
    if !overwrite && out.exists() {
        return Err(WorkshopError::Exists { path: out.into() });
    }
    let w = words(lang);
    let e = xerr(out);
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0%");
    let score = Format::new().set_num_format("0.0");
    let col_name = |c: &Column| format!("{} {}", w[6], c.number);
    let cell = |row: &Row| -> (f64, Option<f64>) { (if row.total == 0 { 1.0 } else { row.passed as f64 / row.total as f64 }, row.peer_mean) };
    let find = |l: &Learner, c: &Column| results.rows.iter().find(|r| r.learner.trim().eq_ignore_ascii_case(l.name.trim()) && r.pack == c.pack && r.exercise == c.exercise);
    // Summary: share of checks passed, learner by exercise; then peer scores, learner by exercise.
    for (sheet_name, peer) in [(w[0], false), (w[1], true)] {
        let s = book.add_worksheet();
        s.set_name(sheet_name).map_err(&e)?;
        if lang == Lang::Ar {
            s.set_right_to_left(true);
        }
        s.write_string_with_format(0, 0, w[4], &bold).map_err(&e)?;
        s.write_string_with_format(0, 1, w[5], &bold).map_err(&e)?;
        for (j, c) in results.columns.iter().enumerate() {
            s.write_string_with_format(0, (j + 2) as u16, col_name(c), &bold).map_err(&e)?;
        }
        for (i, l) in results.learners.iter().enumerate() {
            let r = (i + 1) as u32;
            s.write_string(r, 0, &l.name).map_err(&e)?;
            s.write_string(r, 1, l.team.as_deref().unwrap_or("")).map_err(&e)?;
            for (j, c) in results.columns.iter().enumerate() {
                if let Some(row) = find(l, c) {
                    let (share, mean) = cell(row);
                    match (peer, mean) {
                        (false, _) => {
                            s.write_number_with_format(r, (j + 2) as u16, share, &pct).map_err(&e)?;
                        }
                        (true, Some(m)) => {
                            s.write_number_with_format(r, (j + 2) as u16, m, &score).map_err(&e)?;
                        }
                        (true, None) => {}
                    }
                }
            }
        }
        s.set_column_width(0, 24).map_err(&e)?;
    }
    // One row per submission.
    let s = book.add_worksheet();
    s.set_name(w[2]).map_err(&e)?;
    let heads = [w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11], w[12], w[13], w[14], w[18]];
    for (j, h) in heads.iter().enumerate() {
        s.write_string_with_format(0, j as u16, *h, &bold).map_err(&e)?;
    }
    for (i, row) in results.rows.iter().enumerate() {
        let r = (i + 1) as u32;
        s.write_string(r, 0, &row.learner).map_err(&e)?;
        s.write_string(r, 1, row.team.as_deref().unwrap_or("")).map_err(&e)?;
        s.write_number(r, 2, row.number as f64).map_err(&e)?;
        s.write_string(r, 3, row.title.get(lang)).map_err(&e)?;
        s.write_number(r, 4, row.passed as f64).map_err(&e)?;
        s.write_number(r, 5, row.total as f64).map_err(&e)?;
        s.write_string(r, 6, row.failed.iter().map(|f| f.get(lang).to_string()).collect::<Vec<_>>().join(if lang == Lang::Ar { "، " } else { ", " }))
            .map_err(&e)?;
        s.write_string(r, 7, format!("{}/{}", row.self_ticked, row.self_total)).map_err(&e)?;
        s.write_string(r, 8, if row.edited { w[19] } else { "" }).map_err(&e)?;
        if let Some(m) = row.peer_mean {
            s.write_number_with_format(r, 9, m, &score).map_err(&e)?;
        }
        s.write_number(r, 10, row.peer_scores.len() as f64).map_err(&e)?;
        s.write_string(r, 11, &row.created).map_err(&e)?;
    }
    // One row per review.
    let s = book.add_worksheet();
    s.set_name(w[3]).map_err(&e)?;
    for (j, h) in [w[4], w[6], w[15], w[16], w[17]].iter().enumerate() {
        s.write_string_with_format(0, j as u16, *h, &bold).map_err(&e)?;
    }
    for (i, rv) in results.reviews.iter().enumerate() {
        let r = (i + 1) as u32;
        s.write_string(r, 0, &rv.author.name).map_err(&e)?;
        s.write_number(r, 1, rv.exercise.number as f64).map_err(&e)?;
        s.write_string(r, 2, &rv.reviewer.name).map_err(&e)?;
        s.write_number(r, 3, f64::from(rv.score)).map_err(&e)?;
        s.write_string(r, 4, &rv.comment).map_err(&e)?;
    }
    let bytes = book.save_to_buffer().map_err(&e)?;
    super::write_new(out, &bytes, overwrite)
}
