//! Seeded generators of benchmark inputs: a long French and Arabic administrative document with a
//! given number of personal values, and a model's answer full of placeholders.
//!
//! Deterministic (a xorshift seeded by the caller), no dependency. The values have the real
//! formats (RIB keys computed, phones in the usual spellings) so the detectors do their full work.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

const FIRST_FR: &[&str] = &[
    "Youssef", "Fatima", "Mohammed", "Khadija", "Rachid", "Naima", "Hicham", "Salma", "Abdelkader",
    "Latifa", "Omar", "Samira", "Karim", "Zineb", "Driss", "Houda", "Mustapha", "Siham", "Jamal", "Meryem",
];
const LAST_FR: &[&str] = &[
    "Amrani", "Bennani", "Berrada", "Tazi", "Lahlou", "Zerhouni", "Bouazzaoui", "Mokhtari", "Chergui",
    "Haddouchi", "Rahmouni", "Kaddouri", "Ouchen", "Meziane", "Kharroubi", "Mansouri", "Ziani",
    "Hamdaoui", "Achour", "Laaroussi", "Sebbar", "Yahyaoui", "Belkacemi", "Nejjari", "Rifi",
];
const FIRST_AR: &[&str] = &[
    "محمد", "فاطمة", "يوسف", "خديجة", "رشيد", "نعيمة", "هشام", "سلمى", "عمر", "سميرة", "كريم", "زينب",
    "إدريس", "هدى", "مصطفى", "سهام", "جمال", "مريم",
];
const LAST_AR: &[&str] = &[
    "العمراني", "بناني", "برادة", "التازي", "لحلو", "الزرهوني", "البوعزاوي", "المختاري", "الشرقي",
    "الحداوشي", "الرحموني", "القدوري", "أوشن", "مزيان", "الخروبي", "المنصوري", "الزياني", "الحمداوي",
];
const STREETS_FR: &[&str] = &["rue Ibn Sina", "avenue Allal El Fassi", "boulevard Mohammed V", "rue de Taza", "rue Oued Za"];
const DISTRICTS_FR: &[&str] = &["Hay Al Qods", "Hay Al Massira", "Lotissement Al Wahda", "Hay Essalam", "Hay Al Andalous"];
const STREETS_AR: &[&str] = &["زنقة ابن سينا", "زنقة 5", "زنقة الياسمين", "شارع الحسن الثاني", "زنقة مراكش"];
const DISTRICTS_AR: &[&str] = &["حي القدس", "حي المسيرة", "تجزئة الوحدة", "حي السلام", "حي الأندلس"];
const MONTHS_FR: &[&str] = &["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
const MONTHS_AR: &[&str] = &["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"];

const FILLER_FR: &[&str] = &[
    "Conformément aux dispositions de l'article 83 de la loi organique n° 113-14 relative aux communes, la commune assure l'entretien du réseau d'éclairage public et de la voirie communale.",
    "Le montant des travaux, arrêté à 1 224 600 DH TTC, est imputé au chapitre 20, article 30, ligne 12 du budget de l'exercice 2026.",
    "La commission s'est réunie le 11 mars 2026 à 10 heures dans la salle des délibérations, sur convocation n° 312/CB/2026 du 2 mars 2026.",
    "Les restes à recouvrer s'élèvent à 38 416 250,75 DH au 31 décembre 2025, dont 61 % au titre de la taxe sur les terrains urbains non bâtis.",
    "Monsieur le Président du Conseil a rappelé l'ordre du jour et invité Monsieur le Directeur Général des Services à présenter le rapport.",
    "Le délai d'exécution est fixé à quinze jours à compter de la notification du bon de commande n° 214/2026 du 9 février 2026.",
    "La réponse de la commune a été enregistrée sous le n° 1234/DAG/2026 et transmise à Monsieur le Pacha de la Ville d'Oujda.",
    "L'éclairage public du quartier Hay Al Qods sera renforcé dans le cadre de la convention n° 3/2024 avec la Région de l'Oriental.",
];
const FILLER_AR: &[&str] = &[
    "وطبقا لمقتضيات المادة 83 من القانون التنظيمي رقم 113.14 المتعلق بالجماعات، تتولى الجماعة صيانة شبكة الإنارة العمومية والطرق الجماعية.",
    "وقد بلغت الكلفة الإجمالية للأشغال 1 224 600 درهم مع احتساب الرسوم، مدرجة في الفصل 20 المادة 30 السطر 12 من ميزانية سنة 2026.",
    "وعقدت اللجنة اجتماعها يوم 11 مارس 2026 على الساعة العاشرة صباحا بقاعة الاجتماعات بمقر الجماعة، بناء على الاستدعاء رقم 312/2026.",
    "وبلغ مجموع الباقي استخلاصه إلى غاية 31 دجنبر 2025 ما قدره 38 416 250,75 درهما، يتعين العمل على تصفيته بتنسيق مع القابض الجماعي.",
    "وذكر السيد رئيس المجلس بجدول الأعمال، ثم أعطى الكلمة للسيد المدير العام للمصالح لتقديم التقرير.",
    "وتم تسجيل الجواب بمكتب الضبط تحت عدد 1187/2026 بتاريخ 27 مارس 2026، وبعثت نسخة منه إلى السيد باشا مدينة وجدة.",
];

fn rib(rng: &mut Rng) -> String {
    let banks = ["007", "011", "013", "022", "145", "190", "225", "350"];
    let first22 = format!("{}{}{}", banks[rng.below(banks.len())], rng.pick(&["780", "810", "790"]), rng.digits(16));
    let key = katib_pseudo::rib_key(&first22);
    format!("{} {} {} {:02}", &first22[..3], &first22[3..6], &first22[6..], key)
}

fn phone(rng: &mut Rng) -> String {
    let d = format!("0{}{}", rng.pick(&["6", "7", "5"]), rng.digits(8));
    match rng.below(3) {
        0 => format!("{} {} {} {} {}", &d[..2], &d[2..4], &d[4..6], &d[6..8], &d[8..]),
        1 => d,
        _ => format!("+212 {} {} {} {} {}", &d[1..2], &d[2..4], &d[4..6], &d[6..8], &d[8..]),
    }
}

fn cin(rng: &mut Rng) -> String {
    let letters = rng.pick(&["F", "FA", "FB", "FC", "FH", "S"]);
    let n = 5 + rng.below(2);
    format!("{letters}{}", rng.digits(n))
}

/// A document of at least `pages` pages (3,000 characters each) in French and Arabic, holding
/// `values` personal values; returns it with the number of values written.
pub fn document(seed: u64, pages: usize, values: usize) -> (String, usize) {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(pages * 3400);
    let mut written = 0;
    let target_chars = pages * 3000;
    let mut para = 0;
    while out.chars().count() < target_chars || written < values {
        para += 1;
        let arabic = para % 3 == 0;
        // One paragraph: filler sentences, and a personal passage while values remain.
        for _ in 0..3 {
            let f = if arabic { rng.pick(FILLER_AR) } else { rng.pick(FILLER_FR) };
            out.push_str(f);
            out.push(' ');
        }
        if written < values {
            if arabic {
                let (first, last) = (rng.pick(FIRST_AR), rng.pick(LAST_AR));
                out.push_str(&format!(
                    "وتقدمت السيدة {first} {last}، المزدادة بتاريخ {} {} {}، الحاملة للبطاقة الوطنية رقم {}، والقاطنة ب{}، {}، رقم {}، بطلب في الموضوع، ويمكن الاتصال بها عبر الهاتف {}. ",
                    1 + rng.below(28),
                    rng.pick(MONTHS_AR),
                    1950 + rng.below(50),
                    cin(&mut rng),
                    rng.pick(DISTRICTS_AR),
                    rng.pick(STREETS_AR),
                    1 + rng.below(200),
                    phone(&mut rng)
                ));
                written += 5;
            } else {
                let (first, last) = (rng.pick(FIRST_FR), rng.pick(LAST_FR));
                let kind = rng.below(2);
                if kind == 0 {
                    out.push_str(&format!(
                        "M. {first} {last}, né le {} {} {}, titulaire de la CIN n° {}, demeurant au {}, {}, {}, tél. {}, a sollicité le versement de l'aide sur son compte (RIB {}). ",
                        1 + rng.below(28),
                        rng.pick(MONTHS_FR),
                        1950 + rng.below(50),
                        cin(&mut rng),
                        1 + rng.below(200),
                        rng.pick(STREETS_FR),
                        rng.pick(DISTRICTS_FR),
                        phone(&mut rng),
                        rib(&mut rng)
                    ));
                    written += 6;
                } else {
                    out.push_str(&format!(
                        "Mme {first} {last} a déposé une réclamation ; {last} peut être jointe par courriel à {}.{}@example.ma. ",
                        first.to_lowercase(),
                        last.to_lowercase()
                    ));
                    written += 3;
                }
            }
        }
        out.push_str("\n\n");
    }
    (out, written)
}

/// A model's answer of about `tokens` tokens (4 bytes each on average), with one placeholder in
/// about every `every` tokens, drawn from `placeholders`.
pub fn answer(seed: u64, tokens: usize, every: usize, placeholders: &[String]) -> String {
    let mut rng = Rng::new(seed);
    let words_fr = [
        "la", "commune", "a", "examiné", "votre", "demande", "et", "décidé", "de", "lui", "donner", "une",
        "suite", "favorable", "conformément", "aux", "dispositions", "en", "vigueur", "dossier",
    ];
    let words_ar = ["وقد", "درست", "الجماعة", "طلبكم", "وقررت", "الاستجابة", "له", "طبقا", "للمقتضيات", "الجاري", "بها", "العمل"];
    let mut out = String::with_capacity(tokens * 5);
    let mut t = 0;
    while t < tokens {
        if !placeholders.is_empty() && rng.below(every) == 0 {
            if rng.below(4) == 0 {
                out.push('ل');
            }
            out.push_str(&placeholders[rng.below(placeholders.len())]);
        } else if (t / 400) % 3 == 2 {
            out.push_str(rng.pick(&words_ar));
        } else {
            out.push_str(rng.pick(&words_fr));
        }
        out.push(if rng.below(15) == 0 { '\n' } else { ' ' });
        t += 1;
    }
    out
}

/// `text` cut into chunks of about `size` bytes, on char boundaries (an SSE stream's deltas).
pub fn chunks(text: &str, size: usize) -> Vec<&str> {
    let mut out = Vec::with_capacity(text.len() / size + 1);
    let mut at = 0;
    while at < text.len() {
        let mut end = (at + size).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        out.push(&text[at..end]);
        at = end;
    }
    out
}
