//! The fact sheet of a 100,000-row x 20-column sheet (the shape of the benchmark's rows100k:
//! French and Arabic text, amounts, rates, dates, 10 % blanks), with a group-by and a ratio with
//! thresholds, costs at most 3,000 prompt tokens in French and in Arabic, counted with the
//! o200k_base tokenizer (tiktoken-rs).

use std::io::Write;

use katib_sheet::{fact_sheet, profile_file, FactOptions, Lang, ProfileOptions, SheetSpec};

const SERVICES: [&str; 15] = [
    "Direction des Finances", "Ressources humaines", "Éducation nationale", "Santé publique", "Urbanisme et aménagement",
    "État civil", "Affaires étrangères", "Sécurité intérieure", "Agriculture et forêts", "Culture et patrimoine",
    "Transports", "Écologie", "Justice", "Numérique", "Travail et emploi",
];
const VILLES: [&str; 8] = ["Oujda", "Berkane", "Nador", "Taourirt", "Jerada", "Figuig", "Driouch", "Guercif"];
const ARABE: [&str; 6] = ["الرباط", "الدار البيضاء", "مراكش", "وزارة المالية", "مديرية الموارد البشرية", "مصلحة الضرائب"];
const MOTS: [&str; 12] = ["dossier", "demande", "décision", "arrêté", "budget", "crédit", "dépense", "marché", "contrat", "subvention", "rapport", "contrôle"];

/// A deterministic pseudo-random generator (xorshift), enough for test data.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn big_csv(path: &std::path::Path) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "id,nom,ville,montant_ht,libelle_ar,tva,montant_ttc,date_creation,service,age,latitude,longitude,statut,taux,effectif,date_maj,score,budget,prime,commentaire").unwrap();
    let mut r = Rng(0x9E3779B97F4A7C15);
    for i in 1..=100_000u64 {
        let ht = (r.unit() * 50_000.0 * 100.0).round() / 100.0;
        let tva = (ht * 0.2 * 100.0).round() / 100.0;
        let (y, m, d) = (2000 + r.below(25), 1 + r.below(12), 1 + r.below(28));
        let com: Vec<&str> = (0..4 + r.below(10)).map(|_| MOTS[r.below(12) as usize]).collect();
        let prime = if r.below(10) == 0 { String::new() } else { format!("{:.2}", 100.0 + r.unit() * 2900.0) };
        writeln!(
            out,
            "{i},Nom {},{},{ht:.2},{},{tva:.2},{:.2},{y}-{m:02}-{d:02},{},{},{:.6},{:.6},Actif,{:.4},{},{}-{m:02}-{d:02},{:.3},{:.2},{prime},{}",
            r.below(600),
            VILLES[r.below(8) as usize],
            ARABE[r.below(6) as usize],
            ht + tva,
            SERVICES[r.below(15) as usize],
            18 + r.below(50),
            41.3 + r.unit() * 9.8,
            -5.1 + r.unit() * 14.7,
            r.unit(),
            1 + r.below(5000),
            y + r.below(3),
            50.0 + (r.unit() - 0.5) * 60.0,
            1e4 + r.unit() * 5e7,
            com.join(" ")
        )
        .unwrap();
    }
}

#[test]
fn a_100k_by_20_sheet_costs_at_most_3000_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows100k.csv");
    big_csv(&path);
    let spec: SheetSpec = toml::from_str(
        r#"
roles = ["service", "montant", "budget"]
group_by = ["service"]
[[ratios]]
name = "taux_tva"
num = "tva"
den = "montant"
above = 0.2
below = 0.19
[synonyms]
montant = ["montant_ht"]
budget = ["budget"]
tva = ["tva"]
"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // `tva` is used by the ratio: declare it as a role too.
    let mut spec = spec;
    spec.roles.push("tva".into());
    spec.validate().unwrap();
    let p = profile_file(&path, &ProfileOptions { spec, ..Default::default() }).unwrap();
    let s = &p.sheets[0];
    assert_eq!((s.data_rows, s.columns.len()), (100_000, 20));
    assert_eq!(s.groups[0].groups.len(), 15);
    let bpe = tiktoken_rs::o200k_base().unwrap();
    for lang in [Lang::Fr, Lang::Ar] {
        let text = fact_sheet(&p, &FactOptions::prompt(lang));
        let tokens = bpe.encode_with_special_tokens(&text).len();
        println!("{lang:?}: {tokens} tokens, {} characters", text.chars().count());
        assert!(tokens <= 3000, "{lang:?}: {tokens} tokens\n{text}");
        // The figures are all there: every column, the groups, the ratio's rows.
        assert!(text.contains("montant_ht") && text.contains("commentaire") && text.contains("Travail et emploi"), "{text}");
        assert!(text.contains("[[tableau:totaux_par_service]]"));
    }
}
