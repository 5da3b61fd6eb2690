//! Benchmarks of katib-workshop against the targets of issue 12, each printed beside its
//! target:
//! - rubric checks on an answer (every check type, on the IA Starter answers and on a long
//!   generated letter): at most 50 ms;
//! - the editor as one types in a 200-line template: tokens + parse + render of the live
//!   preview (the Rust side of a keystroke): within 16 ms;
//! - importing a generated 30-exercise pack with its files (a .katib archive) into a fresh
//!   profile: at most 1 s.
//!
//! Run: `cargo run --release -p katib-workshop --example bench`. Prints figures; asserts nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use katib_core::config::Paths;
use katib_core::run::Workbench;
use katib_workshop::editor::{self, Editor};
use katib_workshop::exercise;
use katib_workshop::pack::library;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// (median, max) of the runs.
fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    (ms(v[v.len() / 2]), ms(*v.last().unwrap_or(&Duration::ZERO)))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn profile(root: &Path) -> Workbench {
    let paths = Paths { config_dir: root.join("config"), data_dir: root.join("data") };
    std::fs::create_dir_all(&paths.config_dir).unwrap();
    Workbench::load_from(paths).expect("workbench")
}

fn bench_rubric(wb: &Workbench) {
    let opened = library::open(wb, repo().join("packs/ia-starter").to_str().unwrap()).expect("ia-starter");
    let pack = &opened.pack;
    let mut all = Vec::new();
    let mut worst = (Duration::ZERO, String::new());
    for ex in &pack.exercises {
        for a in &ex.answers {
            let text = std::fs::read_to_string(&a.file).unwrap();
            for _ in 0..20 {
                let t = Instant::now();
                let r = exercise::check(wb, pack, ex, &text, &[]).unwrap();
                let d = t.elapsed();
                std::hint::black_box(r);
                if d > worst.0 {
                    worst = (d, a.rel.clone());
                }
                all.push(d);
            }
        }
    }
    let (med, max) = stats(all);
    println!("rubric, IA Starter answers ({} answers x 20, all their checks): median {med:.2} ms, max {max:.2} ms ({})   target <= 50 ms", pack.exercises.iter().map(|e| e.answers.len()).sum::<usize>(), worst.1);
    // A long letter (about 1,500 words) with every check type.
    let ex = pack.exercise("j2-reponse-citoyen").unwrap();
    let base = std::fs::read_to_string(&ex.answers[0].file).unwrap();
    let long = std::iter::repeat_n(base.as_str(), 7).collect::<Vec<_>>().join("\n\n");
    let mut runs = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        std::hint::black_box(exercise::check(wb, pack, ex, &long, &[]).unwrap());
        runs.push(t.elapsed());
    }
    let (med, max) = stats(runs);
    println!("rubric, a {}-word letter, 8 checks: median {med:.2} ms, max {max:.2} ms   target <= 50 ms", katib_workshop::text::words(&long).count());
}

/// A 200-line template: 20 fields, conditions, loops and variables on every line.
fn template_200() -> String {
    let mut s = String::from("+++\nid = \"bench-200\"\nversion = 1\ncategory = \"letter\"\noutput = \"letter\"\nexport = \"docx\"\nlanguage = \"field:langue\"\ntitle = { fr = \"Banc\" }\ndescription = { fr = \"Banc d'essai\" }\nsystem = \"\"\"\n{% if langue == \"ar\" %}Rédacteur (arabe).{% else %}Rédacteur.{% endif %}\"\"\"\n\n[[fields]]\nname = \"langue\"\ntype = \"select\"\ndefault = \"fr\"\noptions = [\"fr\", \"ar\"]\nlabel = { fr = \"Langue\" }\n\n[[fields]]\nname = \"pieces\"\ntype = \"textarea\"\nlabel = { fr = \"Pièces\" }\n");
    for i in 0..18 {
        s.push_str(&format!("\n[[fields]]\nname = \"champ{i}\"\ntype = \"text\"\nlabel = {{ fr = \"Champ {i}\", ar = \"خانة {i}\" }}\n"));
    }
    s.push_str("+++\n");
    let mut lines = 0;
    while lines < 200 {
        let i = lines % 18;
        match lines % 10 {
            0 => s.push_str(&format!("{{% if champ{i} %}}\n")),
            1 => s.push_str(&format!("- Champ {i} : {{{{ champ{i} }}}} ; en majuscules : {{{{ champ{i} | upper }}}}\n")),
            2 => s.push_str("{% endif %}\n"),
            3 => s.push_str("{% for p in pieces | split(\"\\n\") | map(\"trim\") | select %}\n"),
            4 => s.push_str("{{ loop.index }}. {{ p }} ({{ langue }})\n"),
            5 => s.push_str("{% endfor %}\n"),
            _ => s.push_str(&format!("Une ligne de consigne qui cite {{{{ champ{i} }}}} et la date du jour {{{{ today }}}}.\n")),
        }
        lines += 1;
    }
    s
}

fn bench_editor(wb: &Workbench) {
    let text = template_200();
    let body_lines = text.split("+++\n").nth(2).map_or(0, |b| b.lines().count());
    let mut ed = Editor::new(wb);
    let mut inputs = katib_core::run::Inputs::default();
    for i in 0..18 {
        inputs.values.insert(format!("champ{i}"), format!("valeur {i}"));
    }
    inputs.values.insert("pieces".into(), (1..=12).map(|i| format!("Pièce {i}")).collect::<Vec<_>>().join("\n"));
    let path = Path::new("bench-200.md");
    let mut analyze = Vec::new();
    let mut preview = Vec::new();
    let mut total = Vec::new();
    // A keystroke: one more character typed in a line of the body, then tokens and preview.
    let at = text.rfind("Une ligne").unwrap();
    for k in 0..200 {
        let typed = format!("{}{}{}", &text[..at], "x".repeat(k % 7), &text[at..]);
        let t0 = Instant::now();
        let a = editor::analyze(&typed, path);
        let t1 = Instant::now();
        let p = ed.preview(&typed, path, &inputs, None);
        let t2 = Instant::now();
        assert!(a.ok && p.ok, "{:?} {:?}", a.error, p.error);
        std::hint::black_box((a, p));
        analyze.push(t1 - t0);
        preview.push(t2 - t1);
        total.push(t2 - t0);
    }
    let (a_med, a_max) = stats(analyze);
    let (p_med, p_max) = stats(preview);
    let (t_med, t_max) = stats(total);
    println!("editor, {body_lines}-line template body ({} tokens): tokens+errors median {a_med:.2} ms (max {a_max:.2}), preview median {p_med:.2} ms (max {p_max:.2}); a keystroke in all: median {t_med:.2} ms, max {t_max:.2} ms   target <= 16 ms", editor::analyze(&text, path).tokens.len());
    // The same on a real template with an attached PDF (read once, then kept).
    let tpl = wb.template("resume-rapport").unwrap().clone();
    let real = std::fs::read_to_string(&tpl.path).unwrap();
    let sample = ed.sample_inputs("resume-rapport").unwrap();
    let t = Instant::now();
    let first = ed.preview(&real, &tpl.path, &sample, None);
    let cold = t.elapsed();
    let mut warm = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        std::hint::black_box(ed.preview(&real, &tpl.path, &sample, None));
        warm.push(t.elapsed());
    }
    let (w_med, w_max) = stats(warm);
    println!("editor, resume-rapport with its PDF: first preview {:.2} ms (reads the PDF), then median {w_med:.2} ms, max {w_max:.2} ms   target <= 16 ms (ok: {})", ms(cold), first.ok);
}

/// Writes a 30-exercise pack with its files into `dir`, its answers written for the current
/// version of each template in `wb`.
fn generate_pack(dir: &Path, wb: &Workbench) -> usize {
    let ia = repo().join("packs/ia-starter");
    for d in ["exercises", "files", "answers"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    std::fs::write(dir.join("pack.toml"), "format = 1\nid = \"banc-30\"\nversion = \"1.0\"\ntitle = { fr = \"Banc de 30 exercices\", ar = \"ثلاثون تمرينا\" }\nlanguages = [\"fr\"]\nguide = \"guide.md\"\n").unwrap();
    std::fs::write(dir.join("guide.md"), "# Guide\n").unwrap();
    let letter = std::fs::read_to_string(ia.join("files/reclamation-collecte-dechets.txt")).unwrap();
    let answer_a = std::fs::read_to_string(ia.join("answers/j2-reponse-citoyen.a.md")).unwrap();
    let answer_b = std::fs::read_to_string(ia.join("answers/j2-reponse-citoyen.b.md")).unwrap();
    let sheet = std::fs::read(ia.join("files/tableau-budget-2026.xlsx")).unwrap();
    let budget_answer = std::fs::read_to_string(ia.join("answers/j3-budget-division-technique.a.md")).unwrap();
    let pdf = std::fs::read(ia.join("files/rapport-activite-2025.pdf")).unwrap();
    let summary = std::fs::read_to_string(ia.join("answers/j4-resume-rapport-ar.a.md")).unwrap();
    let mut bytes = 0;
    for n in 1..=30 {
        let (tpl, body) = if n % 3 == 2 {
            let f = format!("files/rapport-{n:02}.pdf");
            std::fs::write(dir.join(&f), &pdf).unwrap();
            bytes += pdf.len();
            std::fs::write(dir.join(format!("answers/{n:02}.a.md")), &summary).unwrap();
            std::fs::write(dir.join(format!("answers/{n:02}.b.md")), summary.replace("8,8", "12")).unwrap();
            ("resume-rapport", format!("[values]\nlangue = \"ar\"\nlongueur = \"courte\"\npoints = \"النقطة {n}\"\n\n[files]\nrapport = \"{f}\"\n"))
        } else if n % 3 == 0 {
            let f = format!("files/budget-{n:02}.xlsx");
            std::fs::write(dir.join(&f), &sheet).unwrap();
            bytes += sheet.len();
            std::fs::write(dir.join(format!("answers/{n:02}.a.md")), &budget_answer).unwrap();
            std::fs::write(dir.join(format!("answers/{n:02}.b.md")), budget_answer.replace("36 480 000 DH engagés", "37 480 000 DH engagés")).unwrap();
            ("analyse-budget", format!("[values]\nlangue = \"fr\"\nquestion = \"Question {n} : les rubriques de la Division technique.\"\n\n[files]\ntableau = \"{f}\"\n"))
        } else {
            // A letter of about 60 KB: the citizen's letter and its annexes.
            let f = format!("files/lettre-{n:02}.txt");
            let text = format!("{letter}\n\nAnnexe n° {n}\n{}", letter.repeat(40));
            std::fs::write(dir.join(&f), &text).unwrap();
            bytes += text.len();
            std::fs::write(dir.join(format!("answers/{n:02}.a.md")), &answer_a).unwrap();
            std::fs::write(dir.join(format!("answers/{n:02}.b.md")), &answer_b).unwrap();
            ("reponse-citoyen", format!("[values]\nlangue = \"fr\"\nelements = \"Éléments de réponse de l'exercice {n}.\"\nobjet = \"Réponse à votre réclamation n° {n}\"\ndestinataire = \"Monsieur Rachid Tazi, Oujda\"\ndate = \"2026-11-19\"\nsignataire = \"Le Président du Conseil de la Commune d'Oujda\"\n\n[files]\nlettre = \"{f}\"\n"))
        };
        let version = wb.template(tpl).expect("a built-in template").version;
        let ex = format!(
            "id = \"exercice-{n:02}\"\nday = {}\ntitle = {{ fr = \"Exercice {n}\", ar = \"التمرين {n}\" }}\ninstructions = {{ fr = \"Consigne {n}.\", ar = \"التعليمات {n}.\" }}\ntemplate = \"{tpl}\"\n\n{body}\n[[answers]]\nfile = \"answers/{n:02}.a.md\"\ndate = \"2026-11-23\"\ntemplate_version = {version}\n\n[[answers]]\nfile = \"answers/{n:02}.b.md\"\ndate = \"2026-11-23\"\ntemplate_version = {version}\nflaw = {{ fr = \"Variante à défaut.\" }}\n\n[[checks]]\ntype = \"length\"\nmin = 50\nmax = 800\n\n[[checks]]\ntype = \"register\"\n\n[[checks]]\ntype = \"language\"\nlang = \"{lang}\"\n\n[[self_check]]\nfr = \"Relu.\"\nar = \"راجعت.\"\n",
            (n - 1) / 6 + 1,
            lang = if tpl == "resume-rapport" { "ar" } else { "fr" }
        );
        std::fs::write(dir.join(format!("exercises/{n:02}.toml")), ex).unwrap();
    }
    bytes
}

fn bench_import() {
    let root = tempfile::tempdir().unwrap();
    let src = root.path().join("banc-30");
    let trainer = profile(&root.path().join("formateur"));
    let bytes = generate_pack(&src, &trainer);
    let file = root.path().join("banc-30.katib");
    let t = Instant::now();
    let r = library::export(&trainer, &src, &file, false).expect("export");
    let export = t.elapsed();
    let mut runs = Vec::new();
    let mut exercises = 0;
    for k in 0..5 {
        let wb = profile(&root.path().join(format!("apprenant-{k}")));
        let t = Instant::now();
        let rep = library::import(&wb, &file, false).expect("import");
        runs.push(t.elapsed());
        exercises = rep.exercises;
    }
    let (med, max) = stats(runs);
    println!(
        "import of a {exercises}-exercise pack ({} files, {:.1} MB of input files, {:.0} KB archive) into a fresh profile: median {med:.0} ms, max {max:.0} ms (export: {:.0} ms)   target <= 1000 ms",
        r.files,
        bytes as f64 / 1e6,
        r.bytes as f64 / 1e3,
        ms(export)
    );
}

fn main() {
    let root = tempfile::tempdir().unwrap();
    let wb = profile(root.path());
    bench_rubric(&wb);
    bench_editor(&wb);
    bench_import();
}
