//! The history's benchmark: seeds a database with 10,000 runs from a seeded generator (French
//! and Arabic letters, a year of dates, every template), then prints what the targets are about:
//! opening the database (the window starts with it), searching (FTS query + snippets, median of
//! 21 runs per query), recording a run (start + checkpoints + finish, the time spent inside the
//! recorder's calls), and deleting and purging.
//!
//!     cargo run --release -p katib-history --example bench [-- RUNS]
//!
//! Targets (issue 10): search at most 50 ms; recording adds at most 5 ms to a run; opening takes
//! a few ms.

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use katib_history::*;

/// splitmix64: a small seeded generator, so every run of the benchmark builds the same database.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

const TEMPLATES: [(&str, &str); 6] = [
    ("reponse-citoyen", "Réponse à un citoyen"),
    ("convocation", "Convocation"),
    ("note-service", "Note de service"),
    ("bordereau-envoi", "Bordereau d'envoi"),
    ("analyse-budget", "Analyse d'un tableau budgétaire"),
    ("traduction", "Traduction FR / AR"),
];

const FR_OBJETS: [&str; 12] = [
    "Demande de raccordement au réseau d'eau potable",
    "Réclamation relative à l'éclairage public",
    "Demande d'autorisation de construire",
    "Convocation à la session ordinaire du conseil",
    "Transmission du dossier de lotissement",
    "Demande de certificat de résidence",
    "Réclamation concernant la collecte des déchets",
    "Organisation du travail pendant le mois de ramadan",
    "Demande de copie intégrale d'acte de naissance",
    "Réfection de la voirie du quartier",
    "Occupation temporaire du domaine public",
    "Demande de légalisation de signature",
];
const AR_OBJETS: [&str; 8] = [
    "طلب الربط بشبكة الماء الصالح للشرب",
    "شكاية بخصوص الإنارة العمومية",
    "طلب رخصة البناء",
    "استدعاء لحضور الدورة العادية للمجلس",
    "طلب شهادة السكنى",
    "إِشْعَارٌ بِالتَّوْصِيلِ",
    "تنظيم العمل خلال شهر رمضان",
    "إصلاح الطريق بالحي",
];
const FR_NAMES: [&str; 10] = [
    "Monsieur Ahmed Alaoui",
    "Madame Fatima Zahra Bennani",
    "Monsieur Youssef El Idrissi",
    "Madame Khadija Amrani",
    "Monsieur Karim Tazi",
    "Monsieur le Directeur de l'Agence Urbaine",
    "Madame Salma Berrada",
    "Monsieur Rachid Ouazzani",
    "Monsieur le Chef de la Division Technique",
    "Madame Naima Chraibi",
];
const AR_NAMES: [&str; 6] = [
    "السيد أحمد العلوي",
    "السيدة فاطمة الزهراء بناني",
    "السيد يوسف الإدريسي",
    "السيدة خديجة العمراني",
    "السيد رئيس المجلس الإقليمي",
    "السيد مدير الوكالة الحضرية",
];
const FR_SENTENCES: [&str; 14] = [
    "J'ai l'honneur de vous faire connaître que votre demande a été examinée par les services compétents.",
    "Nous accusons réception de votre courrier et vous en remercions.",
    "Le dossier est incomplet : il manque la copie de la carte nationale et le plan de situation.",
    "Les travaux de réfection commenceront dès l'obtention des crédits nécessaires.",
    "Une commission technique se rendra sur les lieux pour constater l'état de l'éclairage.",
    "Vous êtes prié de bien vouloir assister à la réunion qui se tiendra à la salle des délibérations.",
    "Conformément aux dispositions de la loi organique relative aux communes, le conseil se réunit en session ordinaire.",
    "La collecte des déchets ménagers sera renforcée dans le quartier concerné.",
    "Le montant des crédits ouverts s'élève à 1 200 000 dirhams, dont 85 % sont engagés.",
    "Il vous appartient de compléter votre dossier dans un délai de quinze jours.",
    "Veuillez agréer, Monsieur, l'expression de mes salutations distinguées.",
    "Le service de l'urbanisme instruira la demande dans les meilleurs délais.",
    "Les horaires de travail sont fixés de neuf heures à quinze heures pendant le mois de ramadan.",
    "La présente décision prend effet à compter de la date de sa signature.",
];
const AR_SENTENCES: [&str; 10] = [
    "يشرفني أن أخبركم بأن طلبكم قد أحيل على المصالح المختصة قصد الدراسة.",
    "نحيطكم علما بأن الملف غير مكتمل وينقصه نسخة من البطاقة الوطنية.",
    "يُشَرِّفُنِي أَنْ أَدْعُوَكُمْ لِحُضُورِ الاجْتِمَاعِ الَّذِي سَيُعْقَدُ بِقَاعَةِ الْمُدَاوَلَاتِ.",
    "ستقوم لجنة تقنية بمعاينة حالة الإنارة العمومية بالحي المعني.",
    "وطبقا لمقتضيات القانون التنظيمي المتعلق بالجماعات، يعقد المجلس دورته العادية.",
    "سيتم تعزيز عملية جمع النفايات المنزلية بالحي المذكور.",
    "تحدد أوقات العمل من الساعة التاسعة إلى الساعة الثالثة خلال شهر رمضان.",
    "وتفضلوا بقبول فائق عبارات التقدير والاحترام.",
    "يتعين عليكم استكمال ملفكم داخل أجل خمسة عشر يوما.",
    "تدخل هذه المقررة حيز التنفيذ ابتداء من تاريخ توقيعها.",
];

fn new_run(rng: &mut Rng) -> (NewRun, String) {
    let (tid, title) = TEMPLATES[rng.below(TEMPLATES.len())];
    let ar = rng.below(10) < 3;
    let (objet, addressee) =
        if ar { (rng.pick(&AR_OBJETS), rng.pick(&AR_NAMES)) } else { (rng.pick(&FR_OBJETS), rng.pick(&FR_NAMES)) };
    let sentences: &[&str] = if ar { &AR_SENTENCES } else { &FR_SENTENCES };
    let mut answer = String::new();
    let target = 1500 + rng.below(2500);
    while answer.len() < target {
        answer.push_str(rng.pick(sentences));
        answer.push(if rng.below(4) == 0 { '\n' } else { ' ' });
    }
    let (profile, class) = match rng.below(3) {
        0 => ("ollama", DataClass::Local),
        1 => ("souverain", DataClass::Sovereign),
        _ => ("mistral", DataClass::Cloud),
    };
    let run = NewRun {
        template_id: tid.into(),
        template_title: title.into(),
        template_version: "2".into(),
        template_hash: format!("sha256:{:016x}", rng.next()),
        profile: profile.into(),
        model: "modele".into(),
        data_class: Some(class),
        lang: if ar { "ar" } else { "fr" }.into(),
        objet: objet.into(),
        addressee: addressee.into(),
        form: [("objet".into(), objet.to_string()), ("destinataire".into(), addressee.to_string())].into(),
        inputs: vec![InputFile {
            field: "piece".into(),
            name: format!("piece-{}.pdf", rng.below(1000)),
            sha256: "0".repeat(64),
            bytes: 40_000,
        }],
        messages: vec![
            SentMessage {
                role: "system".into(),
                content: "Tu es un rédacteur administratif. Garde les marqueurs [NOM_1] tels quels.".into(),
            },
            SentMessage {
                role: "user".into(),
                content: format!("Rédige une réponse. Objet : {objet}. Destinataire : [NOM_1]."),
            },
        ],
        replacements: vec![Replacement {
            placeholder: "[NOM_1]".into(),
            original: addressee.into(),
            kind: "NOM".into(),
        }],
        pseudonymisation_override: None,
    };
    (run, answer)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stats(mut v: Vec<Duration>) -> (f64, f64, f64) {
    v.sort();
    let p = |q: f64| ms(v[((v.len() - 1) as f64 * q).round() as usize]);
    (p(0.5), p(0.95), ms(v[v.len() - 1]))
}

/// The slowest single `push` of the last [`stream`] (a checkpoint, or the process preempted).
static SLOWEST_PUSH_NS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
/// The median time of the pushes of the last [`stream`] that wrote a checkpoint.
static CHECKPOINT_NS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Streams `answer` in pieces of ~6 bytes (a token) into `rec`; returns the time spent inside
/// the recorder's calls.
fn stream(rec: &mut RunRecorder, answer: &str) -> Duration {
    let mut spent = Duration::ZERO;
    let mut slowest = Duration::ZERO;
    let mut checkpoints = Vec::new();
    let mut rest = answer;
    while !rest.is_empty() {
        let mut cut = rest.len().min(6);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let saved = rec.saved_len();
        let t = Instant::now();
        rec.push(&rest[..cut]).expect("push");
        let e = t.elapsed();
        if rec.saved_len() != saved {
            checkpoints.push(e);
        }
        spent += e;
        slowest = slowest.max(e);
        rest = &rest[cut..];
    }
    SLOWEST_PUSH_NS.store(slowest.as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
    checkpoints.sort();
    let median = checkpoints.get(checkpoints.len() / 2).copied().unwrap_or_default();
    CHECKPOINT_NS.store(median.as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
    spent
}

fn main() -> Result<()> {
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = tempfile::tempdir().map_err(|e| Error::Io { path: std::env::temp_dir(), source: e })?;
    let path = dir.path().join(FILE_NAME);
    let mut rng = Rng(0x4B41_5449_4232_3032);

    // A clock that walks through the past year, so dates spread as in a year of use.
    let now = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
    let start: DateTime<Utc> = Utc.with_ymd_and_hms(2025, 12, 1, 8, 0, 0).single().expect("date");
    let clock_now = now.clone();
    let options = |keep_texts| Options {
        keep_texts,
        // 120 checkpoints per answer: what a one-minute stream gives at the default half-second.
        checkpoint: CheckpointPolicy { interval: Duration::from_secs(3600), max_bytes: 32 },
        clock: Some(std::sync::Arc::new({
            let c = clock_now.clone();
            move || DateTime::from_timestamp_millis(c.load(std::sync::atomic::Ordering::Relaxed)).unwrap_or_default()
        })),
    };

    println!("katib-history benchmark: {runs} runs, seeded generator, release build, file in a temp dir");
    let t = Instant::now();
    {
        let h = History::open(
            &path,
            Options {
                checkpoint: CheckpointPolicy { interval: Duration::from_secs(3600), max_bytes: 1024 },
                ..options(true)
            },
        )?;
        for i in 0..runs {
            let at = start.timestamp_millis() + (i as i64) * (365 * 86_400_000 / runs as i64);
            now.store(at, std::sync::atomic::Ordering::Relaxed);
            let (run, answer) = new_run(&mut rng);
            let mut rec = h.start_run(&run)?;
            let id = rec.id().to_string();
            stream(&mut rec, &answer);
            now.store(at + 20_000, std::sync::atomic::Ordering::Relaxed);
            let outcome = match rng.below(20) {
                0 => Outcome::Partial { code: Some("provider.stream_cut".into()) },
                1 => Outcome::Failed { code: "provider.timeout".into() },
                _ => Outcome::Done,
            };
            rec.finish(outcome, Tokens { prompt: Some(900), completion: Some(answer.len() as u32 / 4) })?;
            if i % 10 == 0 {
                h.save_edit(&id, &format!("{answer}\nRelu et corrigé."))?;
            }
        }
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("seeded in {:.1} s; database {:.1} MB", t.elapsed().as_secs_f64(), size as f64 / 1e6);

    // Opening: what the window does at start (open, migrate check, recovery, first page).
    let mut open = Vec::new();
    let mut open_list = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        let h = History::open(&path, options(true))?;
        open.push(t.elapsed());
        let first = h.list(&Filter::default())?;
        open_list.push(t.elapsed());
        assert_eq!(first.len(), 50);
    }
    let (m, p95, max) = stats(open);
    println!("open ({runs} runs)              median {m:6.2} ms   p95 {p95:6.2} ms   max {max:6.2} ms");
    let (m, p95, max) = stats(open_list);
    println!("open + first page of 50        median {m:6.2} ms   p95 {p95:6.2} ms   max {max:6.2} ms");

    let h = History::open(&path, options(true))?;
    let year = Filter {
        template: Some("reponse-citoyen".into()),
        from: Some(start + chrono::Duration::days(180)),
        to: Some(start + chrono::Duration::days(270)),
        ..Default::default()
    };
    let queries: [(&str, &str, Filter); 9] = [
        ("common FR word", "demande", Filter::default()),
        ("FR, accents typed", "réclamation éclairage", Filter::default()),
        ("FR, no accents", "reclamation eclairage", Filter::default()),
        ("FR prefix", "délib", Filter::default()),
        ("AR with harakat", "الاجْتِمَاعِ", Filter::default()),
        ("AR without, article", "المداولات", Filter::default()),
        ("AR name", "أحمد العلوي", Filter::default()),
        ("FR + template + 3 months", "demande dossier", year),
        ("no match", "xylophone", Filter::default()),
    ];
    println!("search (FTS5 query + snippets of the first 50 hits, 21 runs each):");
    for (label, q, f) in queries {
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..21 {
            let t = Instant::now();
            let hits = h.search(q, &f)?;
            times.push(t.elapsed());
            n = hits.len();
        }
        let (m, p95, max) = stats(times);
        println!("  {label:26} {q:24} {n:3} hits   median {m:6.2} ms   p95 {p95:6.2} ms   max {max:6.2} ms");
    }

    // Recording: the time a run spends inside the recorder (start, pushes with 120
    // checkpoints, finish), with the database holding all the runs above.
    let mut rec_times = Vec::new();
    let mut start_t = Vec::new();
    let mut finish_t = Vec::new();
    let mut slowest_t = Vec::new();
    let mut checkpoint_t = Vec::new();
    let mut chunks = 0;
    for i in 0..101 {
        let (run, mut answer) = new_run(&mut rng);
        while answer.len() < 3840 {
            answer.push_str(" Veuillez agréer l'expression de mes salutations distinguées.");
        }
        answer
            .truncate(answer.char_indices().take_while(|(i, _)| *i < 3840).last().map_or(0, |(i, c)| i + c.len_utf8()));
        now.store(start.timestamp_millis() + 366 * 86_400_000 + i * 60_000, std::sync::atomic::Ordering::Relaxed);
        let t = Instant::now();
        let mut rec = h.start_run(&run)?;
        let s = t.elapsed();
        let pushes = stream(&mut rec, &answer);
        slowest_t.push(Duration::from_nanos(SLOWEST_PUSH_NS.load(std::sync::atomic::Ordering::Relaxed)));
        checkpoint_t.push(Duration::from_nanos(CHECKPOINT_NS.load(std::sync::atomic::Ordering::Relaxed)));
        chunks = answer.len() / 32;
        let t = Instant::now();
        rec.finish(Outcome::Done, Tokens::default())?;
        let f = t.elapsed();
        start_t.push(s);
        finish_t.push(f);
        rec_times.push(s + pushes + f);
    }
    let (m, p95, max) = stats(rec_times);
    println!("record a run (start + ~{chunks} checkpoints + finish, 3.8 KB answer in 6-byte pieces):");
    println!("  total inside the recorder    median {m:6.2} ms   p95 {p95:6.2} ms   max {max:6.2} ms");
    let (m, _, _) = stats(start_t);
    let (f, _, _) = stats(finish_t);
    println!("  of which start {m:.2} ms (new connection included), finish {f:.2} ms (answer + index)");
    let (c, _, _) = stats(checkpoint_t);
    println!("  one checkpoint (a push that wrote one) median {:.1} µs", c * 1000.0);
    let (m, p95, max) = stats(slowest_t);
    println!("  slowest single push of a run median {m:6.2} ms   p95 {p95:6.2} ms   max {max:6.2} ms");

    // History off: the same run, metadata only.
    let off = History::open(&path, options(false))?;
    let mut off_times = Vec::new();
    for _ in 0..101 {
        let (run, answer) = new_run(&mut rng);
        let t = Instant::now();
        let mut rec = off.start_run(&run)?;
        stream(&mut rec, &answer);
        rec.finish(Outcome::Done, Tokens::default())?;
        off_times.push(t.elapsed());
    }
    let (m, p95, _) = stats(off_times);
    println!("  history off (metadata only)  median {m:6.2} ms   p95 {p95:6.2} ms");
    drop(off);

    let id = h.list(&Filter { limit: Some(1), offset: 500, ..Default::default() })?[0].id.clone();
    let t = Instant::now();
    h.delete(&id)?;
    println!("delete one run (texts wiped, index merged, WAL truncated): {:.1} ms", ms(t.elapsed()));
    let t = Instant::now();
    let purged = h.purge(330)?;
    println!("purge runs older than 330 days: {} runs in {:.1} ms", purged.runs, ms(t.elapsed()));
    println!("integrity_check: {}", if h.integrity_check()?.is_ok() { "ok" } else { "FAILED" });
    Ok(())
}
