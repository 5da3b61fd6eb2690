//! Seeds a history database for the desktop start-up benchmark (tests/bench/desktop.py): RUNS
//! runs (10,000 by default) spread over the past year, recorded through katib-history's public
//! API as the window records them (start, streamed pieces, finish, every tenth one edited), with
//! French and Arabic letters from a seeded generator, so the same database every time.
//!
//!     cargo run --release -p katib-desktop --example seed-history -- DATA_DIR [RUNS]
//!
//! Writes `DATA_DIR/katib.sqlite3` (refuses to add to an existing one). It measures nothing:
//! the benchmark starts the window on this data folder and times it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use katib_history::{CheckpointPolicy, DataClass, History, NewRun, Options, Outcome, Replacement, SentMessage, Tokens, FILE_NAME};

/// splitmix64: a small seeded generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

const TEMPLATES: [(&str, &str); 6] = [
    ("reponse-citoyen", "Réponse à un citoyen"),
    ("courrier-general", "Courrier administratif"),
    ("convocation", "Convocation ou invitation à une réunion"),
    ("accuse-reception", "Accusé de réception"),
    ("note-service", "Note de service"),
    ("relance", "Lettre de rappel"),
];
const OBJETS: [&str; 8] = [
    "Réclamation relative à l'éclairage public",
    "Demande d'autorisation de construire",
    "Transmission du dossier de lotissement Al Amal",
    "Convocation à la session ordinaire du conseil",
    "Demande de certificat de résidence",
    "Réfection de la voirie du quartier Al Qods",
    "شكاية بخصوص جمع النفايات المنزلية",
    "طلب الربط بشبكة الماء الصالح للشرب",
];
const NAMES: [&str; 6] = ["Monsieur Youssef Amrani", "Madame Khadija Bennani", "Monsieur le Directeur de l'Agence urbaine", "السيد أحمد العلوي", "السيدة فاطمة الزهراء بناني", "Monsieur Rachid Ouazzani"];
const SENTENCES: [&str; 8] = [
    "J'ai l'honneur de vous faire connaître que votre demande a été examinée par les services compétents. ",
    "Les travaux de remise en état seront exécutés du 23 au 27 novembre 2026. ",
    "Le dossier est incomplet : il y manque la copie de la carte nationale et le plan de situation. ",
    "Une commission technique se rendra sur les lieux pour constater l'état des installations. ",
    "يشرفني أن أخبركم بأن طلبكم قد أحيل على المصالح المختصة قصد الدراسة. ",
    "ستقوم لجنة تقنية بمعاينة حالة الإنارة العمومية بالحي المعني. ",
    "Veuillez agréer, Monsieur, l'expression de mes salutations distinguées.\n\n",
    "وتفضلوا بقبول فائق عبارات التقدير والاحترام.\n\n",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: seed-history DATA_DIR [RUNS]")?);
    let runs: i64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(10_000);
    let path = dir.join(FILE_NAME);
    if path.exists() {
        return Err(format!("{} exists already: seed an empty data folder", path.display()).into());
    }
    std::fs::create_dir_all(&dir)?;
    // A clock walking through the past year, so the runs are dated as in a year of use.
    let now = Arc::new(AtomicI64::new(0));
    let clock = now.clone();
    let history = History::open(
        &path,
        Options {
            keep_texts: true,
            checkpoint: CheckpointPolicy { interval: Duration::from_secs(3600), max_bytes: 1024 },
            clock: Some(Arc::new(move || DateTime::from_timestamp_millis(clock.load(Ordering::Relaxed)).unwrap_or_default())),
        },
    )?;
    let start = Utc::now().timestamp_millis() - 365 * 86_400_000;
    let mut rng = Rng(0x4B41_5449_4232_3032);
    let t = Instant::now();
    for i in 0..runs {
        let at = start + i * (365 * 86_400_000 / runs);
        now.store(at, Ordering::Relaxed);
        let (id, title) = TEMPLATES[(rng.next() % TEMPLATES.len() as u64) as usize];
        let (objet, name) = (rng.pick(&OBJETS), rng.pick(&NAMES));
        let class = [DataClass::Local, DataClass::Sovereign, DataClass::Cloud][(rng.next() % 3) as usize];
        let run = NewRun {
            template_id: id.into(),
            template_title: title.into(),
            template_version: "2".into(),
            template_hash: format!("{:016x}", rng.next()),
            profile: "service".into(),
            model: "modele".into(),
            data_class: Some(class),
            lang: "fr".into(),
            objet: objet.into(),
            addressee: name.into(),
            form: [("objet".to_string(), objet.to_string()), ("destinataire".to_string(), name.to_string())].into(),
            messages: vec![SentMessage { role: "user".into(), content: format!("Objet : {objet}. Destinataire : [NOM_1].") }],
            replacements: vec![Replacement { placeholder: "[NOM_1]".into(), original: name.into(), kind: "NOM".into() }],
            ..Default::default()
        };
        let mut rec = history.start_run(&run)?;
        let run_id = rec.id().to_string();
        let mut answer = String::new();
        while answer.len() < 2500 {
            let s = rng.pick(&SENTENCES);
            rec.push(s)?;
            answer.push_str(s);
        }
        now.store(at + 20_000, Ordering::Relaxed);
        rec.finish(Outcome::Done, Tokens { prompt: Some(900), completion: Some(answer.len() as u32 / 4) })?;
        if i % 10 == 0 {
            history.save_edit(&run_id, &format!("{answer}Relu et corrigé."))?;
        }
    }
    drop(history);
    let size = std::fs::metadata(&path)?.len();
    println!("{runs} runs in {} ({:.1} MB) in {:.1} s", path.display(), size as f64 / 1e6, t.elapsed().as_secs_f64());
    Ok(())
}
