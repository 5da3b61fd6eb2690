//! The words detectors look for, in French, Arabic and a little English: keywords that announce a
//! value (CIN, date de naissance, المزداد...), civilities, street words, month names, the function
//! titles that follow a civility without being a name, and the words that end a name.
//!
//! Words are written here as a reader would spell them and folded once at first use, so "البطاقة"
//! and "Né" need no hand-folding. The lists are immutable process-wide data (no run state lives
//! here). One Aho-Corasick automaton finds every multi-word cue in a text in a single pass.
//!
//! Deliberately not here: the rules that combine these words with numbers and capitals
//! (see `detect`).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::fold::fold_str;

/// What a multi-word cue announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cue {
    /// A CIN number follows within a few words.
    Cin,
    Cnss,
    /// Identifiant fiscal; "IF" alone must be written in capitals.
    If,
    Ice,
    Massar,
    /// A date of birth follows.
    Birth,
    /// An address follows (demeurant à, القاطن ب...).
    Dwelling,
    /// "Adresse :" / "العنوان:": the rest of the line is an address.
    AddressLabel,
    /// "Nom et prénom :" / "الاسم الكامل:": the value after the colon is a name.
    NameLabel,
    /// A name follows without a colon (le nommé, je soussigné, fils de...).
    NameAfter,
}

const CUES: &[(Cue, &[&str])] = &[
    (
        Cue::Cin,
        &[
            "cin", "c.i.n", "c.i.n.", "c. i. n", "cnie", "c.n.i.e", "c.n.i.e.", "cni", "c.n.i",
            "carte nationale", "carte d'identité", "carte d'identité nationale",
            "carte nationale d'identité", "carte nationale d'identité électronique",
            "pièce d'identité", "national id", "identity card", "id card",
            "البطاقة الوطنية", "بطاقة التعريف", "بطاقة التعريف الوطنية", "البطاقة الوطنية للتعريف",
            "بطاقته الوطنية", "بطاقتها الوطنية", "ب.ت.و", "ب ت و", "ب.ت.و.", "ب. ت. و",
            "ب.و.ت", "بطاقة وطنية",
        ],
    ),
    (
        Cue::Cnss,
        &[
            "cnss", "c.n.s.s", "c.n.s.s.", "sécurité sociale", "الضمان الاجتماعي",
            "immatriculation cnss",
        ],
    ),
    (
        Cue::If,
        &["if", "i.f", "i.f.", "identifiant fiscal", "التعريف الضريبي", "رقم التعريف الضريبي"],
    ),
    (
        Cue::Ice,
        &[
            "ice", "i.c.e", "i.c.e.", "identifiant commun de l'entreprise", "التعريف الموحد",
            "التعريف الموحد للمقاولة",
        ],
    ),
    (Cue::Massar, &["massar", "code massar", "مسار", "رمز مسار", "الرمز مسار"]),
    (
        Cue::Birth,
        &[
            "né", "née", "nee", "né(e)", "ne(e)", "né (e)", "né(e) le", "né le", "née le",
            "date de naissance", "date et lieu de naissance", "lieu et date de naissance",
            "ddn", "date of birth", "born on", "born", "المزداد", "المزدادة", "المزداد(ة)",
            "مزداد", "مزدادة", "تاريخ الازدياد", "تاريخ ومكان الازدياد", "تاريخ و مكان الازدياد",
            "مكان وتاريخ الازدياد", "مكان و تاريخ الازدياد", "تاريخ الميلاد", "من مواليد",
            "ولد", "ولدت", "ازداد", "ازدادت",
        ],
    ),
    (
        Cue::Dwelling,
        &[
            "demeurant", "demeurant à", "demeurant au", "demeurante à", "domicilié à",
            "domiciliée à", "domicilié au", "domiciliée au", "domicilié(e) à", "résidant à",
            "résidant au", "résidante à", "habitant à", "habitant au", "residing at", "living at",
            "القاطن", "القاطنة", "القاطن(ة)", "الساكن", "الساكنة", "المقيم", "المقيمة",
            "عنوانه", "عنوانها", "محل سكناه", "محل سكناها", "يقطن", "تقطن", "يسكن", "تسكن",
        ],
    ),
    (
        Cue::AddressLabel,
        &[
            "adresse", "adresse personnelle", "adresse du domicile", "adresse postale",
            "domicile", "address", "العنوان", "عنوان السكنى", "العنوان الشخصي", "محل السكنى",
            "عنوان المعني بالأمر",
        ],
    ),
    (
        Cue::NameLabel,
        &[
            "nom", "prénom", "nom et prénom", "nom et prénoms", "nom & prénom", "prénom et nom",
            "nom complet", "nom du demandeur", "nom de la demanderesse", "nom du requérant",
            "nom de la requérante", "nom du bénéficiaire", "nom de la bénéficiaire",
            "nom de l'élève", "nom de l'agent", "nom du père", "nom de la mère", "nom / prénom",
            "nom/prénom", "demandeur", "demandeuse", "requérant", "requérante", "bénéficiaire",
            "titulaire", "titulaire du compte", "intéressé", "intéressée", "full name", "name",
            "الاسم", "الاسم الكامل", "الاسم العائلي", "الاسم الشخصي", "الاسم والنسب",
            "الاسم و النسب", "النسب", "اسم المستفيد", "المستفيد", "المستفيدة", "اسم التلميذ",
            "اسم التلميذة", "اسم الأب", "اسم الأم", "صاحب الطلب", "صاحبة الطلب", "المعني بالأمر",
            "المعنية بالأمر", "اسم المعني بالأمر", "الطالب", "الطالبة", "ابن", "بنت", "ولد",
            "الإمضاء", "التوقيع", "signature", "signé", "signé par",
        ],
    ),
    (
        Cue::NameAfter,
        &[
            "le nommé", "la nommée", "nommé", "nommée", "je soussigné", "je soussignée",
            "je soussigné(e)", "soussigné", "soussignée", "fils de", "fille de", "épouse",
            "veuve", "époux", "feu", "feue", "le défunt", "la défunte", "أنا الموقع أسفله",
            "الموقع أسفله", "الموقعة أسفله", "أنا الموقعة أسفله", "المرحوم", "المرحومة", "الهالك",
            "الهالكة",
        ],
    ),
];

/// Civilities before a name (folded, without their dot). "m" and "mr" need the capital and, for
/// "m", the dot: the detector checks the original.
const CIVILITIES_LATIN: &[&str] = &[
    "monsieur", "madame", "mademoiselle", "mme", "mlle", "mr", "m", "mm", "mmes", "dr",
    "docteur", "pr", "professeur", "maitre", "mrs", "ms", "miss", "mister",
];

const CIVILITIES_ARABIC: &[&str] = &[
    "السيد", "السيدة", "الآنسة", "الأستاذ", "الأستاذة", "الدكتور", "الدكتورة", "الحاج",
    "الحاجة", "المسمى", "المسماة", "المدعو", "المدعوة", "السيدان", "السيدتان", "السادة",
];

/// Titles that make "Monsieur le ..." / "السيد رئيس ..." a function, not a person; they also end
/// a name ("M. Youssef Amrani, Président de ...").
const FUNCTIONS: &[&str] = &[
    "président", "présidente", "vice-président", "vice", "directeur", "directrice", "chef",
    "secrétaire", "gouverneur", "wali", "caïd", "caid", "pacha", "maire", "ministre",
    "conseiller", "conseillère", "adjoint", "adjointe", "responsable", "ingénieur",
    "ingénieure", "technicien", "technicienne", "agent", "préfet", "délégué", "déléguée",
    "inspecteur", "inspectrice", "trésorier", "trésorière", "receveur", "percepteur",
    "commandant", "juge", "procureur", "notaire", "rapporteur", "rapporteuse", "architecte",
    "avocat", "avocate", "expert", "membre", "député", "représentant", "représentante",
    "administrateur", "administratrice", "comptable", "ordonnateur", "sous-ordonnateur",
    "régisseur", "khalifa", "moqaddem", "cheikh", "doyen", "recteur", "proviseur", "médecin",
    "commissaire", "officier", "capitaine", "colonel", "général", "coordonnateur",
    "coordinatrice", "greffier", "huissier",
    "رئيس", "الرئيس", "رئيسة", "الرئيسة", "مدير", "المدير", "مديرة", "المديرة", "العامل",
    "عامل", "الوالي", "والي", "الكاتب", "كاتب", "الباشا", "باشا", "القائد", "قائد",
    "الخليفة", "خليفة", "المندوب", "مندوب", "النائب", "نائب", "المفتش", "مفتش", "الوزير",
    "وزير", "المستشار", "مستشار", "المستشارة", "مستشارة", "المهندس", "مهندس", "المهندسة",
    "التقني", "تقني", "المكلف", "مكلف", "المكلفة", "المقرر", "مقرر", "العضو", "عضو",
    "الممثل", "ممثل", "المحاسب", "محاسب", "الطبيب", "طبيب", "المحامي", "محامي", "الموثق",
    "العدل", "القاضي", "وكيل", "الوكيل", "المراقب", "مراقب", "الشيخ", "المقدم", "الخازن",
    "القابض", "قابض", "المفوض", "المتصرف", "متصرف", "الموظف", "موظف", "المسؤول", "مسؤول",
    "المنسق", "منسق", "المنتدب", "رئيسا", "المدير الجهوي", "عميد", "العميد", "الأمين العام",
    "الكاتبة", "الآمر", "آمر", "المحتسب", "الجابي", "ضابط", "الضابط", "المقاول",
];

/// Words that end a French name although capitalised, or begin a sentence after one.
const NOT_NAMES_LATIN: &[&str] = &[
    "le", "la", "les", "l", "un", "une", "des", "du", "au", "aux", "et", "ou", "a", "en",
    "je", "nous", "vous", "il", "elle", "ils", "elles", "on", "ce", "cette", "par", "pour",
    "sur", "sous", "avec", "sans", "dans", "suite", "objet", "ref", "réf", "pj", "p.j",
    "conseil", "commune", "communal", "wilaya", "province", "préfecture", "région", "royaume",
    "maroc", "direction", "division", "service", "bureau", "ministère", "agence", "office",
    "caisse", "banque", "tribunal", "cour", "lycée", "école", "collège", "université",
    "hôpital", "centre", "association", "coopérative", "société", "sarl", "sa", "arrondissement",
    "cercle", "caïdat", "pachalik", "annexe", "monsieur", "madame", "mademoiselle",
    "messieurs", "mesdames", "veuillez", "salutations", "considération", "signé", "signature",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "janvier",
    "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre", "oujda", "rabat", "casablanca", "fès", "berkane", "nador",
    "taza", "jerada", "figuig", "driouch", "guercif", "taourirt", "angad", "cin", "tél",
    "tel", "gsm", "rib", "ice", "cnss", "if", "e-mail", "email", "n", "no", "né", "née",
    "demeurant", "domicilié", "domiciliée", "titulaire", "fils", "fille", "époux", "épouse",
    "adresse", "président", "hay", "rue", "avenue", "bd", "boulevard", "lot", "lotissement",
    "quartier", "résidence", "douar", "derb", "imm", "immeuble", "appt", "dh", "dhs", "mad",
    "dirhams", "article", "loi", "décret", "dahir", "arrêté", "circulaire", "budget",
    "chapitre", "ligne", "paragraphe", "marché", "bon", "commande", "dossier", "demande",
    "requête", "réclamation", "plainte", "attestation", "certificat", "copie", "original",
];

/// Latin name particles: part of a name between two capitalised words ("Aït Ben Haddou").
const PARTICLES_LATIN: &[&str] = &[
    "el", "al", "ben", "bel", "bin", "ibn", "ait", "aït", "ou", "abou", "abu", "abd", "ould",
    "de", "du", "des", "d", "bent", "lalla", "moulay", "sidi", "my",
];

/// Arabic particles that join the next word into one name unit ("عبد الله", "بن علي").
const PARTICLES_ARABIC: &[&str] = &[
    "عبد", "بن", "ابن", "بنت", "ولد", "أيت", "آيت", "ايت", "أبو", "ابو", "مولاي", "لالة", "سيدي",
    "أولاد",
];

/// Arabic words that end a name: particles, prepositions, the descriptors that follow a name in
/// a file (المزداد, الحامل, القاطن...) and the verbs of a request.
const STOPS_ARABIC: &[&str] = &[
    "في", "من", "إلى", "الى", "عن", "مع", "و", "أو", "او", "ثم", "أن", "ان", "إن",
    "قد", "لقد", "الذي", "التي", "الذين", "هو", "هي", "بتاريخ", "رقم", "عدد", "بخصوص",
    "حول", "لدى", "عند", "بشأن", "قصد", "ضد", "بعد", "قبل", "منذ", "خلال", "حيث", "كما",
    "لكن", "غير", "إلا", "الا", "لا", "لم", "لن", "ما", "هذا", "هذه", "ذلك", "تلك", "كل",
    "المزداد", "المزدادة", "مزداد", "الحامل", "الحاملة", "حامل", "القاطن", "القاطنة",
    "الساكن", "الساكنة", "المقيم", "المقيمة", "الموظف", "الموظفة", "المستخدم", "المستخدمة",
    "صاحب", "صاحبة", "بصفته", "بصفتها", "بصفتهما", "المعني", "المعنية", "العضو", "عضو",
    "تقدم", "تقدمت", "يلتمس", "تلتمس", "يطلب", "تطلب", "طلب", "طلبت", "أفاد", "أفادت",
    "صرح", "صرحت", "حضر", "حضرت", "غاب", "غابت", "قدم", "قدمت", "أكد", "أكدت", "أشار",
    "أشارت", "التمس", "التمست", "أودع", "أودعت", "يشتكي", "تشتكي", "اشتكى", "اشتكت",
    "يرغب", "ترغب", "يعرض", "تعرض", "وضع", "وضعت", "توصل", "توصلت", "أدلى", "أدلت",
    "تسلم", "تسلمت", "استفاد", "استفادت", "يعمل", "تعمل", "يشغل", "تشغل", "أصبح", "أصبحت",
    "ابنه", "ابنته", "زوجته", "زوجها", "والده", "والدته", "أرملة", "زوجة", "حرم", "عن",
    "نيابة", "بالنيابة", "المذكور", "المذكورة", "أعلاه", "المحترم", "المحترمة", "دام",
    "عزه", "الموضوع", "المرجع", "سلام", "تام", "وبعد", "والسلام", "يشرفني", "فإنه",
    "بوجدة", "وجدة", "الرباط", "بالرباط", "الدار", "البيضاء", "فاس", "بركان", "الناظور",
    "تازة", "جرادة", "فجيج", "عمالة", "إقليم", "جماعة", "جهة", "ولاية", "مقاطعة", "دائرة",
    "قيادة", "باشوية", "ملحقة", "مصلحة", "قسم", "مكتب", "المجلس", "مجلس", "الجماعي",
    "الجماعة", "الهاتف", "البطاقة", "الوطنية", "الوطني", "درهم", "دراهم", "ذي", "ذات",
    "المستشارين", "الأعضاء", "الحاضرين", "السيدات", "السادة",
];

/// First names, common enough that seeing one alone proves nothing: they are not searched for on
/// their own once a full name is known (a surname is).
const FIRST_NAMES: &[&str] = &[
    "mohamed", "mohammed", "mohammad", "mhamed", "ahmed", "ahmad", "youssef", "yousef",
    "youness", "younes", "yassine", "yasine", "hamza", "omar", "amine", "mehdi", "karim",
    "rachid", "said", "hassan", "hussein", "houssine", "abdellah", "abdallah", "abdelkader",
    "abdelaziz", "abdelhak", "abdelali", "abdelilah", "abdelkrim", "abderrahim",
    "abderrahmane", "abdessamad", "abdelmajid", "abdeljalil", "abdelouahed", "abdelghani",
    "driss", "brahim", "ibrahim", "ismail", "ayoub", "anas", "bilal", "adil", "hicham",
    "jamal", "khalid", "kamal", "mustapha", "mostafa", "noureddine", "redouane", "reda",
    "saad", "samir", "tarik", "tariq", "zakaria", "zakariae", "soufiane", "othmane", "ali",
    "hamid", "lahcen", "larbi", "miloud", "mimoun", "mohcine", "nabil", "nordine", "ilyas",
    "idriss", "aziz", "fouad", "azzedine", "badr", "hakim", "hamza", "jaouad", "mounir",
    "mourad", "nasser", "rachid", "salah", "taha", "walid", "yahya", "zouhair", "abdelhamid",
    "fatima", "fatiha", "fatim", "khadija", "aicha", "naima", "nadia", "latifa", "malika",
    "zineb", "zaynab", "salma", "sanaa", "sara", "sarah", "hanane", "hafsa", "houda",
    "imane", "ikram", "asmae", "asmaa", "loubna", "meryem", "maryam", "nisrine", "nora",
    "nour", "nouhaila", "oumaima", "rajae", "rachida", "saida", "samira", "siham",
    "soukaina", "wafae", "widad", "yasmine", "yousra", "zahra", "zohra", "karima", "laila",
    "leila", "layla", "hind", "hajar", "ghizlane", "fadwa", "amal", "amina", "btissam",
    "ibtissam", "chaimae", "dounia", "hayat", "jamila", "kenza", "mariam", "najat", "naoual",
    "nawal", "safae", "salima", "souad", "touria", "zakia", "zahira", "houria", "bouchra",
    "محمد", "أحمد", "يوسف", "يونس", "ياسين", "حمزة", "عمر", "أمين", "الأمين", "مهدي", "المهدي",
    "كريم", "رشيد", "سعيد", "حسن", "الحسن", "حسين", "الحسين", "عبد", "عبدالله", "إدريس",
    "إبراهيم", "ابراهيم", "إسماعيل", "أيوب", "أنس", "بلال", "عادل", "هشام", "جمال", "خالد",
    "كمال", "مصطفى", "نور", "الدين", "رضوان", "رضا", "سعد", "سمير", "طارق", "زكرياء", "سفيان",
    "عثمان", "علي", "حميد", "لحسن", "العربي", "ميلود", "ميمون", "محسن", "نبيل", "إلياس",
    "عزيز", "فؤاد", "بدر", "حكيم", "جواد", "منير", "مراد", "ناصر", "صلاح", "طه", "وليد",
    "يحيى", "زهير", "الطاهر", "الهادي", "الحبيب", "الصديق", "فاطمة", "الزهراء", "فتيحة",
    "خديجة", "عائشة", "نعيمة", "نادية", "لطيفة", "مليكة", "زينب", "سلمى", "سناء", "سارة",
    "حنان", "حفصة", "هدى", "إيمان", "إكرام", "أسماء", "لبنى", "مريم", "نسرين", "نوال",
    "أميمة", "رجاء", "رشيدة", "سعيدة", "سميرة", "سهام", "سكينة", "وفاء", "وداد", "ياسمين",
    "يسرى", "زهرة", "كريمة", "ليلى", "هند", "هاجر", "غزلان", "فدوى", "أمال", "آمال", "أمينة",
    "ابتسام", "شيماء", "دنيا", "حياة", "جميلة", "كنزة", "نجاة", "صفاء", "سليمة", "سعاد",
    "ثريا", "زكية", "بشرى", "حورية", "آمنة", "أمينة", "إلياس", "عائشة", "مليكة", "نجوى", "عبلة",
    "الحسين", "محمد أمين", "خالد", "أسامة", "معاذ", "ريان", "آدم", "سلمان", "مروان", "أيمن", "الرحمان", "الرحيم", "الله", "القادر", "العزيز",
    "الحق", "الكريم", "اللطيف", "المجيد", "الجليل", "الواحد", "الغني", "الحميد", "الإله",
];

/// Street words: a number next to one makes an address.
const STREETS: &[&str] = &[
    "rue", "avenue", "av", "bd", "boulevard", "blvd", "lot", "lotissement", "hay", "quartier",
    "résidence", "res", "rés", "imm", "immeuble", "appt", "apt", "appartement", "étage", "bloc",
    "derb", "douar", "cité", "impasse", "route", "rte", "allée", "place", "secteur", "villa",
    "ksar", "angle", "street", "road", "zone",
    "زنقة", "شارع", "حي", "تجزئة", "إقامة", "اقامة", "درب", "دوار", "زقاق", "عمارة", "شقة",
    "الطابق", "ممر", "ساحة", "طريق", "مجموعة", "بلوك", "فيلا", "الزنقة", "الشارع", "الحي",
    "التجزئة", "الإقامة", "الدوار", "الدرب", "قصر",
];

/// Street words that take a house number after them ("Imm. 12", "Appt 4", "شقة 3"): with a number,
/// they make an address on their own.
const HOUSE_WORDS: &[&str] = &[
    "imm", "immeuble", "appt", "apt", "appartement", "villa", "étage", "bloc", "عمارة", "شقة",
    "الطابق", "فيلا", "بلوك", "parcelle", "البقعة", "بقعة",
];

/// Words after "route"/"طريق" that make it a road of the network, not an address.
const ROAD_CLASSES: &[&str] = &[
    "nationale", "régionale", "provinciale", "principale", "communale", "express",
    "الوطنية", "الجهوية", "الإقليمية", "السيار",
];

/// Month names (French, Moroccan Arabic, Middle-East Arabic, English), with their number.
const MONTHS: &[(&str, u8)] = &[
    ("janvier", 1), ("février", 2), ("fevrier", 2), ("mars", 3), ("avril", 4), ("mai", 5),
    ("juin", 6), ("juillet", 7), ("août", 8), ("aout", 8), ("septembre", 9), ("octobre", 10),
    ("novembre", 11), ("décembre", 12),
    ("يناير", 1), ("فبراير", 2), ("مارس", 3), ("أبريل", 4), ("ابريل", 4), ("ماي", 5),
    ("يونيو", 6), ("يوليوز", 7), ("غشت", 8), ("شتنبر", 9), ("أكتوبر", 10), ("نونبر", 11),
    ("دجنبر", 12), ("مايو", 5), ("يوليو", 7), ("أغسطس", 8), ("سبتمبر", 9), ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("january", 1), ("february", 2), ("march", 3), ("april", 4), ("may", 5), ("june", 6),
    ("july", 7), ("august", 8), ("september", 9), ("october", 10), ("november", 11),
    ("december", 12),
];

/// FNV-1a: the lexicon's sets are looked up once or more per token, and SipHash's resistance to
/// collision attacks buys nothing for a fixed word list.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A set of folded words.
pub(crate) type WordSet = HashSet<String, BuildHasherDefault<Fnv>>;

pub(crate) struct Lexicon {
    pub cues: Option<AhoCorasick>,
    pub cue_of: Vec<Cue>,
    pub civ_latin: WordSet,
    pub civ_arabic: WordSet,
    pub functions: WordSet,
    pub not_names: WordSet,
    pub particles_latin: WordSet,
    pub particles_arabic: WordSet,
    pub stops_arabic: WordSet,
    /// Stops whose folded form is also a name ("على" folds to "علي"): compared as written.
    pub stops_arabic_exact: HashSet<&'static str, BuildHasherDefault<Fnv>>,
    pub first_names: WordSet,
    pub streets: WordSet,
    pub house_words: WordSet,
    pub road_classes: WordSet,
    pub months: Vec<(String, u8)>,
}

/// The folded words, and for Arabic words in "ال" their spelling after the preposition ل ("السيد"
/// is also "للسيد"), so that prefix stripping never needs to build a string.
fn set(words: &[&str]) -> WordSet {
    let mut out = WordSet::default();
    for w in words {
        let f = fold_str(w);
        if let Some(rest) = f.strip_prefix("ال") {
            out.insert(format!("لل{rest}"));
        }
        out.insert(f);
    }
    out
}

/// The lexicon, built on first use.
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut pats = Vec::new();
        let mut cue_of = Vec::new();
        for (cue, words) in CUES {
            for w in *words {
                let f = fold_str(w);
                // "البطاقة" after the preposition ل is written "للبطاقة".
                if let Some(rest) = f.strip_prefix("ال") {
                    pats.push(format!("لل{rest}"));
                    cue_of.push(*cue);
                }
                pats.push(f);
                cue_of.push(*cue);
            }
        }
        // Standard semantics for overlapping search: a cue hidden inside a longer one still counts
        // (the detectors decide which to use). Building can only fail past the automaton's size
        // limits, which this fixed list is far from (a unit test builds it).
        let cues = AhoCorasick::builder().match_kind(MatchKind::Standard).build(&pats).ok();
        Lexicon {
            cues,
            cue_of,
            civ_latin: set(CIVILITIES_LATIN),
            civ_arabic: set(CIVILITIES_ARABIC),
            functions: set(FUNCTIONS),
            not_names: set(NOT_NAMES_LATIN),
            particles_latin: set(PARTICLES_LATIN),
            particles_arabic: set(PARTICLES_ARABIC),
            stops_arabic: set(STOPS_ARABIC),
            stops_arabic_exact: ["على", "وعلى", "فعلى"].into_iter().collect(),
            first_names: set(FIRST_NAMES),
            streets: set(STREETS),
            house_words: set(HOUSE_WORDS),
            road_classes: set(ROAD_CLASSES),
            months: MONTHS.iter().map(|(m, n)| (fold_str(m), *n)).collect(),
        }
    })
}

impl Lexicon {
    pub fn month(&self, folded: &str) -> Option<u8> {
        self.months.iter().find(|(m, _)| m == folded).map(|(_, n)| *n)
    }

    /// Is the Arabic word in `set`, as it is or with one or two conjunction or preposition letters
    /// in front removed (والسيد -> السيد, بزنقة -> زنقة, وللسيد -> للسيد)?
    pub fn arabic_in(&self, set: &WordSet, w: &str) -> bool {
        arabic_bases(w).any(|b| set.contains(b))
    }
}

/// The forms of an Arabic word with up to two prefix letters (و ف ب ل ك) removed, the word itself
/// first. No allocation: the sets hold the "لل" spellings themselves.
pub(crate) fn arabic_bases(w: &str) -> impl Iterator<Item = &str> {
    let mut forms: [Option<&str>; 3] = [Some(w), None, None];
    let mut rest = w;
    for slot in forms.iter_mut().skip(1) {
        let mut cs = rest.chars();
        match cs.next() {
            Some('و' | 'ف' | 'ب' | 'ك' | 'ل') if cs.clone().count() >= 2 => {
                rest = cs.as_str();
                *slot = Some(rest);
            }
            _ => break,
        }
    }
    forms.into_iter().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_builds_and_folds() {
        let l = lexicon();
        assert!(l.cues.is_some());
        assert!(l.civ_arabic.contains(&fold_str("الآنسة")));
        assert!(l.arabic_in(&l.civ_arabic, &fold_str("للسيد")));
        assert!(l.arabic_in(&l.civ_arabic, &fold_str("والسيدة")));
        assert!(l.arabic_in(&l.streets, &fold_str("بزنقة")));
        assert!(!l.arabic_in(&l.civ_arabic, &fold_str("سيد")));
        assert_eq!(l.month("dejanvier"), None);
        assert_eq!(l.month(&fold_str("دجنبر")), Some(12));
        assert_eq!(l.month("aout"), Some(8));
    }
}
