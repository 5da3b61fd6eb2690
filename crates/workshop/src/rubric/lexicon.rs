//! The word lists the rubric checks use, in their folded form (see `text::fold`): Moroccan Darija
//! in Latin and Arabic script, familiar French, closing formulas by addressee, the labels of a
//! letter's parts, stop words by language, and the words that open a legal reference.
//!
//! Small on purpose: each entry is a word a trainer has seen slip into a draft. A list cannot
//! prove a text is free of Darija; it catches the usual slips, and the self-check items ask the
//! learner to read the rest.

/// Darija written in Latin letters (Arabizi), whole words.
pub const DARIJA_LATIN: &[&str] = &[
    "wakha", "wakhha", "bghit", "bghina", "bghiti", "mzyan", "mezyan", "mzian", "mezian", "safi", "khoya", "khouya", "3lach",
    "3lah", "3afak", "afak", "dyal", "dial", "diali", "dyali", "dialkom", "dyalkom", "hadchi", "hadshi", "bzaf", "bezzaf",
    "bzzaf", "daba", "wach", "ghadi", "kayn", "kayen", "kayna", "makaynch", "makaynach", "machi", "mashi", "inchallah",
    "nchallah", "khassek", "khasni", "khass", "zwin", "bslama", "beslama", "hamdullah", "hamdoulah", "sahbi", "drari",
    "flouss", "flous", "chwiya", "chwia", "shwiya", "wili", "3ndak", "3endek", "labas", "labass", "hchouma", "fin ghadi",
];

/// Darija written in Arabic letters, whole words. Modern Standard Arabic has none of these in
/// this sense (ماشي "not", راه "he is", حيت "because", باش "in order to", ديال "of").
pub const DARIJA_ARABIC: &[&str] = &[
    "ديال", "ديالك", "ديالي", "ديالنا", "ديالكم", "ديالهم", "ديالو", "بزاف", "دابا", "واش", "غادي", "غاديه", "هادشي", "كيفاش", "علاش",
    "مزيان", "مزيانه", "شحال", "بغيت", "بغينا", "بغيتي", "خويا", "صافي", "زعما", "كاين", "كاينه", "ماكاينش", "مكاينش", "عافاك",
    "واخا", "شويه", "فلوس", "دراري", "ماشي", "راه", "حيت", "باش", "هادو", "ديك", "داك", "هاد", "كنطلب", "كنتمنى", "خاصكم", "خاصك",
    "بلاتي", "نتوما",
];

/// French that has no place in an official letter: familiar openings and closings, slang.
pub const FAMILIAR_FR: &[&str] = &[
    "cordialement", "bien a vous", "salut", "bonjour", "cher", "chere", "chers", "cheres", "bisous", "bises", "svp", "stp",
    "ok", "merci d'avance", "pas de souci", "pas de soucis", "t'inquiete", "super", "genial", "a plus", "coucou",
];

/// Entries of [`FAMILIAR_FR`] that are familiar only as a farewell, at the end of a sentence or
/// before "tard" ("À plus !", "À plus tard"): "engagées à plus de 90 %" and "à plus forte
/// raison" are formal French.
pub const FAMILIAR_FR_FAREWELL: &[&str] = &["a plus"];

/// Closing formulas by addressee. French to a superior: "l'expression de ma haute
/// considération"; to a peer, a citizen or a company: "salutations distinguées" or
/// "considération distinguée". Arabic: "وتقبلوا فائق التقدير والاحترام" to a superior, "والسلام"
/// otherwise (see the project's notes on administrative correspondence).
pub const CLOSING_SUPERIOR_FR: &[&str] = &["haute consideration", "profond respect", "respectueuse consideration"];
pub const CLOSING_COURTEOUS_FR: &[&str] = &["salutations distinguees", "consideration distinguee", "sentiments distingues"];
pub const CLOSING_SUPERIOR_AR: &[&str] = &["فائق التقدير والاحترام", "فائق التقدير", "التقدير والاحترام"];
pub const CLOSING_COURTEOUS_AR: &[&str] = &["والسلام"];
/// Closings that are familiar whoever the addressee.
pub const CLOSING_FAMILIAR: &[&str] = &["cordialement", "bien a vous", "amicalement", "bien cordialement", "a bientot", "مع تحياتي", "تحياتي"];

/// How a letter's parts are labelled at the start of a line, folded.
pub const PART_LABELS: &[(&str, &[&str])] = &[
    ("objet", &["objet", "الموضوع", "موضوع"]),
    ("ref", &["ref", "ref.", "refs", "references", "reference", "المرجع", "المراجع", "مرجع"]),
    ("pj", &["p.j.", "p.j", "pj", "pieces jointes", "piece jointe", "المرفقات", "مرفقات"]),
];

/// Frequent short words, for telling French from English (both in Latin letters).
pub const STOP_FR: &[&str] = &[
    "le", "la", "les", "de", "des", "du", "et", "en", "un", "une", "est", "que", "qui", "pour", "dans", "par", "au", "aux", "vous",
    "nous", "sur", "votre", "vos", "ce", "cette", "sont", "avec", "ne", "pas",
];
pub const STOP_EN: &[&str] = &[
    "the", "of", "and", "to", "in", "is", "for", "that", "with", "on", "be", "this", "we", "you", "your", "are", "it", "by", "as",
    "from", "have", "has", "not", "our", "will", "was",
];

/// French words that open a reference to a text of law or regulation, folded, with their
/// class: the class and the number identify the reference ("article 12", "loi 113-14").
pub const LEGAL_KEYWORDS: &[(&str, Legal)] = &[
    ("article", Legal::Article),
    ("articles", Legal::Article),
    ("art", Legal::Article),
    ("loi", Legal::Act),
    ("dahir", Legal::Act),
    ("decret", Legal::Act),
    ("arrete", Legal::Act),
    ("circulaire", Legal::Act),
];

/// The same in Arabic, as stems (folded) that may carry a prefix: المادة، للمادة، بالقانون...
pub const LEGAL_STEMS_AR: &[(&str, Legal)] = &[
    ("ماده", Legal::Article),
    ("فصل", Legal::Article),
    ("قانون", Legal::Act),
    ("ظهير", Legal::Act),
    ("مرسوم", Legal::Act),
    ("قرار", Legal::Act),
    ("دوريه", Legal::Act),
    ("منشور", Legal::Act),
];

/// Arabic proclitics a legal word may carry: و ف ب ل ك and the article.
pub const AR_PREFIXES: &[&str] = &["", "ال", "لل", "بال", "وال", "فال", "كال", "و", "ب", "ل", "ف", "وب", "ول", "وبال", "ولل", "فب"];

/// The class of a legal word, if `word` (folded) is one.
pub fn legal_class(word: &str) -> Option<Legal> {
    if let Some(&(_, c)) = LEGAL_KEYWORDS.iter().find(|(k, _)| *k == word) {
        return Some(c);
    }
    LEGAL_STEMS_AR.iter().find(|(stem, _)| word.strip_suffix(stem).is_some_and(|p| AR_PREFIXES.contains(&p))).map(|&(_, c)| c)
}

/// The kind of a legal reference: an article of a text, or a text (law, dahir, decree...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Legal {
    Article,
    Act,
}

/// Words that introduce an act's number: "loi n° 113-14", "القانون رقم 113.14".
pub const NUMBER_MARKS: &[&str] = &["n°", "no", "n", "numero", "nº", "رقم", "عدد"];

/// Emoji and pictographs: a letter has none.
pub fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B50 | 0x2B55 | 0x231A | 0x231B | 0xFE0F)
}
