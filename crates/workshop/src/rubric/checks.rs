//! Each automatic check, and its explanation in French and Arabic: what it looks for, why an
//! official letter needs it, and what it found in this answer.

use std::collections::BTreeSet;

use katib_core::{Lang, Localized};

use super::lexicon::{self, Legal};
use super::tokens::Doc;
use super::{loc, Addressee, CheckKind, CheckResult, Context, Finding, LetterPart};
use crate::text::{fold, script_counts, words};

pub fn run(kind: &CheckKind, doc: &Doc, ctx: &Context) -> CheckResult {
    match kind {
        CheckKind::Parts { parts } => check_parts(parts, doc, ctx),
        CheckKind::Closing { addressee } => check_closing(*addressee, doc),
        CheckKind::Length { min, max } => check_length(*min, *max, doc),
        CheckKind::Facts { facts } => check_facts(facts, doc),
        CheckKind::Personal { allow } => check_personal(allow, doc, ctx),
        CheckKind::References { allowed } => check_references(allowed, doc),
        CheckKind::Register => check_register(doc),
        CheckKind::Language { lang } => check_language(*lang, doc),
    }
}

fn result(kind: &'static str, ok: bool, title: Localized, explain: Localized, detail: Localized, findings: Vec<Finding>) -> CheckResult {
    CheckResult { id: kind.to_string(), kind: kind.to_string(), ok, title, explain, detail, findings }
}

fn join(items: &[String], lang: Lang) -> String {
    items.join(if lang == Lang::Ar { "، " } else { ", " })
}

/// The line (start, end) of each non-empty line, its text without Markdown markers.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = at;
        at += l.len();
        let trimmed = l.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '#' | '*' | '-' | '>' | '_'));
        (start + (l.len() - trimmed.len()), trimmed.trim_end())
    })
}

/// The byte offset just after a part's label at the start of `line` followed by a colon.
fn labelled(line: &str, part: LetterPart) -> bool {
    let labels = lexicon::PART_LABELS.iter().find(|(p, _)| *p == part.name()).map(|(_, l)| *l).unwrap_or(&[]);
    let Some(colon) = line.find([':', '：']) else { return false };
    // The label is what comes before the colon, markers and spaces removed ("**Réf.** :").
    let head = fold(line[..colon].trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_')));
    let head = head.trim_end_matches('.').trim();
    colon <= 40 && labels.iter().any(|l| l.trim_end_matches('.') == head)
}

fn check_parts(parts: &[LetterPart], doc: &Doc, ctx: &Context) -> CheckResult {
    let mut in_text = Vec::new();
    let mut in_frame = Vec::new();
    let mut missing = Vec::new();
    let mut findings = Vec::new();
    for &p in parts {
        if let Some((start, line)) = lines(doc.text).find(|(_, l)| labelled(l, p)) {
            in_text.push(p);
            findings.push(doc.span(start, start + line.len()));
        } else if ctx.frame.get(&p).is_some_and(|f| !f.value.trim().is_empty()) {
            in_frame.push(p);
        } else {
            missing.push(p);
        }
    }
    let names = |ps: &[LetterPart], lang: Lang| join(&ps.iter().map(|p| p.label().get(lang).to_string()).collect::<Vec<_>>(), lang);
    let fields = |lang: Lang| {
        in_frame
            .iter()
            .map(|p| {
                let f = &ctx.frame[p];
                if lang == Lang::Ar {
                    format!("{} (خانة «{}»)", p.label().get(lang), f.field.get(lang))
                } else {
                    format!("{} (champ « {} »)", p.label().get(lang), f.field.get(lang))
                }
            })
            .collect::<Vec<_>>()
    };
    let mut fr = Vec::new();
    let mut ar = Vec::new();
    if !in_text.is_empty() {
        fr.push(format!("Dans le texte : {}.", names(&in_text, Lang::Fr)));
        ar.push(format!("في النص: {}.", names(&in_text, Lang::Ar)));
    }
    if !in_frame.is_empty() {
        fr.push(format!("Ajouté par la mise en page à partir du formulaire : {}.", join(&fields(Lang::Fr), Lang::Fr)));
        ar.push(format!("يضيفه البرنامج انطلاقا من الاستمارة: {}.", join(&fields(Lang::Ar), Lang::Ar)));
    }
    if !missing.is_empty() {
        fr.push(format!("Manque : {}. Ajoutez la ligne (« Objet : ... », « Réf. : ... », « P.J. : ... ») ou remplissez le champ du formulaire.", names(&missing, Lang::Fr)));
        ar.push(format!("ينقص: {}. أضيفوا السطر («الموضوع: ...»، «المرجع: ...»، «المرفقات: ...») أو املؤوا خانة الاستمارة.", names(&missing, Lang::Ar)));
    }
    result(
        "parts",
        missing.is_empty(),
        loc("Mentions de la lettre", "بيانات الرسالة"),
        loc(
            format!("Une lettre administrative porte {} : le lecteur sait de quoi il s'agit et à quoi elle répond avant de lire le corps.", names(parts, Lang::Fr)),
            format!("تتضمن الرسالة الإدارية {}: يعرف القارئ موضوعها وما تجيب عنه قبل قراءة متنها.", names(parts, Lang::Ar)),
        ),
        loc(fr.join(" "), ar.join(" ")),
        findings,
    )
}

fn check_closing(addressee: Addressee, doc: &Doc) -> CheckResult {
    // The closing is at the end: look at the last 80 words.
    let from = doc.tokens.len().saturating_sub(80);
    let find = |list: &[&str]| -> Vec<Finding> {
        list.iter().flat_map(|p| doc.find_phrase(p, from)).map(|(a, b)| doc.finding(a, b)).collect()
    };
    let superior: Vec<Finding> = [find(lexicon::CLOSING_SUPERIOR_FR), find(lexicon::CLOSING_SUPERIOR_AR)].concat();
    let courteous: Vec<Finding> = [find(lexicon::CLOSING_COURTEOUS_FR), find(lexicon::CLOSING_COURTEOUS_AR)].concat();
    let familiar = find(lexicon::CLOSING_FAMILIAR);
    let (expected, other) = if addressee == Addressee::Superior { (&superior, &courteous) } else { (&courteous, &superior) };
    let who = addressee.label();
    let want = if addressee == Addressee::Superior {
        loc("« Veuillez agréer, Monsieur le ..., l'expression de ma haute considération » (en arabe : « وتقبلوا فائق التقدير والاحترام »)", "«وتقبلوا فائق التقدير والاحترام» (وبالفرنسية: «l'expression de ma haute considération»)")
    } else {
        loc("« Veuillez agréer, Madame, Monsieur, l'expression de mes salutations distinguées » (en arabe : « والسلام »)", "«والسلام» (وبالفرنسية: «l'expression de mes salutations distinguées»)")
    };
    let (ok, fr, ar, findings) = if !familiar.is_empty() {
        let t = familiar[0].text.clone();
        (false, format!("Formule familière : « {t} ». Une lettre officielle se termine par {}.", want.fr), format!("صيغة غير رسمية: «{t}». تختم الرسالة الرسمية بـ{}.", want.get(Lang::Ar)), familiar)
    } else if !expected.is_empty() {
        let t = expected[0].text.clone();
        (true, format!("« {t} » convient à {}.", who.fr), format!("«{t}» تناسب مخاطبة {}.", who.get(Lang::Ar)), expected.clone())
    } else if !other.is_empty() {
        let t = other[0].text.clone();
        (false, format!("« {t} » ne convient pas à {} : attendu {}.", who.fr, want.fr), format!("«{t}» لا تناسب مخاطبة {}: المنتظر {}.", who.get(Lang::Ar), want.get(Lang::Ar)), other.clone())
    } else {
        (false, format!("Aucune formule de politesse à la fin. Attendu : {}.", want.fr), format!("لا توجد صيغة اختتام في آخر الرسالة. المنتظر: {}.", want.get(Lang::Ar)), Vec::new())
    };
    result(
        "closing",
        ok,
        loc("Formule de politesse", "صيغة الاختتام"),
        loc(
            format!("La formule finale dépend du destinataire, ici {} : « haute considération » pour une autorité supérieure, « salutations distinguées » pour un pair, un citoyen ou une entreprise ; jamais « Cordialement ».", who.fr),
            format!("تتوقف صيغة الاختتام على المرسل إليه، وهو هنا {}: «فائق التقدير والاحترام» لسلطة أعلى، و«والسلام» لنظير أو مواطن أو مقاولة؛ ولا تستعمل عبارات المراسلات الودية.", who.get(Lang::Ar)),
        ),
        loc(fr, ar),
        findings,
    )
}

fn check_length(min: Option<usize>, max: Option<usize>, doc: &Doc) -> CheckResult {
    let n = words(doc.text).count();
    let ok = min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m);
    let range_fr = match (min, max) {
        (Some(a), Some(b)) => format!("entre {a} et {b} mots"),
        (Some(a), None) => format!("au moins {a} mots"),
        (None, Some(b)) => format!("au plus {b} mots"),
        (None, None) => "une longueur libre".into(),
    };
    let range_ar = match (min, max) {
        (Some(a), Some(b)) => format!("بين {a} و{b} كلمة"),
        (Some(a), None) => format!("{a} كلمة على الأقل"),
        (None, Some(b)) => format!("{b} كلمة على الأكثر"),
        (None, None) => "طول حر".into(),
    };
    let (fr, ar) = if ok {
        (format!("{n} mots : dans la fourchette."), format!("{n} كلمة: ضمن الحدود المطلوبة."))
    } else if min.is_some_and(|m| n < m) {
        (format!("{n} mots : trop court, il manque sans doute une information demandée."), format!("{n} كلمة: النص قصير، ولعل معلومة مطلوبة تنقصه."))
    } else {
        (format!("{n} mots : trop long ; une idée par paragraphe, sans répétition."), format!("{n} كلمة: النص طويل؛ فكرة واحدة في كل فقرة، دون تكرار."))
    };
    result(
        "length",
        ok,
        loc("Longueur", "الطول"),
        loc(format!("La réponse compte {range_fr} : assez pour tout dire, assez court pour être lu en entier."), format!("يتضمن الجواب {range_ar}: ما يكفي لقول كل شيء، وقصير بما يكفي ليقرأ كاملا.")),
        loc(fr, ar),
        Vec::new(),
    )
}

fn check_facts(facts: &[Vec<String>], doc: &Doc) -> CheckResult {
    let mut missing = Vec::new();
    let mut findings = Vec::new();
    for alts in facts {
        let hit = alts.iter().find_map(|a| {
            let f = fold(a);
            doc.folded.contains(&f).then_some(f)
        });
        match hit {
            Some(f) => {
                // Point at it in the original text when it is made of whole words.
                if let Some(&(a, b)) = doc.find_phrase(&f, 0).first() {
                    findings.push(doc.finding(a, b));
                }
            }
            None => missing.push(alts.first().cloned().unwrap_or_default()),
        }
    }
    let (fr, ar) = if missing.is_empty() {
        (format!("Les {} éléments demandés sont présents.", facts.len()), format!("العناصر المطلوبة ({}) واردة كلها.", facts.len()))
    } else {
        let m = missing.iter().map(|m| format!("« {m} »")).collect::<Vec<_>>();
        (format!("Absent(s) : {}.", join(&m, Lang::Fr)), format!("غير وارد: {}.", join(&missing.iter().map(|m| format!("«{m}»")).collect::<Vec<_>>(), Lang::Ar)))
    };
    result(
        "facts",
        missing.is_empty(),
        loc("Faits et chiffres", "الوقائع والأرقام"),
        loc(
            "La réponse reprend les faits, dates et chiffres que donne l'exercice, exactement : une date ou un montant changé engage l'administration.",
            "يتضمن الجواب الوقائع والتواريخ والأرقام التي يحددها التمرين، كما هي بالضبط: تاريخ أو مبلغ مغير يلزم الإدارة.",
        ),
        loc(fr, ar),
        findings,
    )
}

fn check_personal(allow: &[String], doc: &Doc, ctx: &Context) -> CheckResult {
    let mut hints = katib_pseudo::Hints::new();
    for v in &ctx.personal {
        hints.add(v.clone(), None);
    }
    let allowed: BTreeSet<String> = allow.iter().map(|a| fold(a)).collect();
    let found: Vec<katib_pseudo::Found> =
        katib_pseudo::detect(doc.text, &hints).into_iter().filter(|f| !allowed.contains(&fold(&f.text))).collect();
    let findings: Vec<Finding> = found.iter().map(|f| doc.span(f.start, f.end)).collect();
    let kinds = |lang: Lang| {
        let mut v: Vec<String> = found.iter().map(|f| kind_label(f.kind, lang).to_string()).collect();
        v.dedup();
        join(&v, lang)
    };
    let (fr, ar) = if found.is_empty() {
        ("Aucune donnée personnelle détectée.".to_string(), "لم يُرصد أي معطى شخصي.".to_string())
    } else {
        (
            format!("{} donnée(s) personnelle(s) laissée(s) : {}. Retirez-les ou remplacez-les par une mention neutre.", found.len(), kinds(Lang::Fr)),
            format!("{} معطى شخصي باق: {}. احذفوها أو عوضوها بعبارة محايدة.", found.len(), kinds(Lang::Ar)),
        )
    };
    result(
        "personal",
        found.is_empty(),
        loc("Données personnelles", "المعطيات الشخصية"),
        loc(
            "La réponse ne reprend ni numéro de CIN, ni téléphone, ni adresse électronique, ni RIB, ni nom de personne dont elle n'a pas besoin (loi 09-08) : le détecteur de Katib les cherche.",
            "لا يتضمن الجواب رقم البطاقة الوطنية ولا الهاتف ولا البريد الإلكتروني ولا رقم الحساب البنكي ولا اسم شخص لا حاجة إليه (القانون 09.08): يبحث عنها كاشف كاتب.",
        ),
        loc(fr, ar),
        findings,
    )
}

fn kind_label(k: katib_pseudo::Kind, lang: Lang) -> &'static str {
    use katib_pseudo::Kind::*;
    match (k, lang == Lang::Ar) {
        (Nom, false) => "nom",
        (Nom, true) => "اسم",
        (Cin, false) => "CIN",
        (Cin, true) => "رقم البطاقة الوطنية",
        (Tel, false) => "téléphone",
        (Tel, true) => "هاتف",
        (Email, false) => "adresse électronique",
        (Email, true) => "بريد إلكتروني",
        (Rib, false) | (Iban, false) => "RIB/IBAN",
        (Rib, true) | (Iban, true) => "رقم حساب بنكي",
        (Ice, false) => "ICE",
        (Ice, true) => "المعرف الموحد للمقاولة",
        (Cnss, false) => "n° CNSS",
        (Cnss, true) => "رقم الضمان الاجتماعي",
        (If, false) => "identifiant fiscal",
        (If, true) => "التعريف الضريبي",
        (Massar, false) => "code Massar",
        (Massar, true) => "رمز مسار",
        (DateNaissance, false) => "date de naissance",
        (DateNaissance, true) => "تاريخ الازدياد",
        (Adresse, false) => "adresse",
        (Adresse, true) => "عنوان",
    }
}

/// A legal reference found in a text: its class, its number, and the tokens it spans.
pub struct LegalRef {
    pub class: Legal,
    pub number: String,
    pub first: usize,
    pub last: usize,
}

fn is_number(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit())
}

fn norm_number(s: &str) -> String {
    s.replace(['.', '/'], "-")
}

/// Every legal reference in `doc`: "article 12", "loi n° 113-14", "الظهير الشريف رقم 1.15.85",
/// "المادة 47". An act needs a number after n°/رقم or a number shaped like one (113-14): "l'arrêté
/// du 15 mars" names no number.
pub fn legal_refs(doc: &Doc) -> Vec<LegalRef> {
    let t = &doc.tokens;
    let mut out = Vec::new();
    for i in 0..t.len() {
        let Some(class) = lexicon::legal_class(&t[i].norm) else { continue };
        let mut j = i + 1;
        let window = if class == Legal::Article { 2 } else { 5 };
        while j < t.len() && j <= i + window {
            let w = t[j].norm.as_str();
            if lexicon::NUMBER_MARKS.contains(&w) {
                if let Some(n) = t.get(j + 1).filter(|n| is_number(&n.norm)) {
                    out.push(LegalRef { class, number: norm_number(&n.norm), first: i, last: j + 1 });
                }
                break;
            }
            if is_number(w) {
                let shaped = w.contains(['-', '.', '/']);
                if class == Legal::Article || shaped {
                    out.push(LegalRef { class, number: norm_number(w), first: i, last: j });
                }
                break;
            }
            j += 1;
        }
    }
    out
}

fn check_references(allowed: &[String], doc: &Doc) -> CheckResult {
    let mut ok_set = BTreeSet::new();
    for a in allowed {
        let d = Doc::new(a);
        for r in legal_refs(&d) {
            ok_set.insert((r.class, r.number));
        }
    }
    let found = legal_refs(doc);
    let bad: Vec<&LegalRef> = found.iter().filter(|r| !ok_set.contains(&(r.class, r.number.clone()))).collect();
    let findings: Vec<Finding> = bad.iter().map(|r| doc.finding(r.first, r.last)).collect();
    let list_fr = if allowed.is_empty() { "aucune référence n'est attendue".to_string() } else { format!("références admises : {}", allowed.join(" ; ")) };
    // In the Arabic sentence each (usually French) reference is isolated (U+2068 ... U+2069): else
    // "loi organique n° 113-14" reads "14-113" after the Arabic words around it.
    let isolated: Vec<String> = allowed.iter().map(|a| format!("\u{2068}{a}\u{2069}")).collect();
    let list_ar = if allowed.is_empty() { "لا ينتظر أي مرجع قانوني".to_string() } else { format!("المراجع المقبولة: {}", isolated.join("؛ ")) };
    let (fr, ar) = if bad.is_empty() {
        (
            format!("{} référence(s) juridique(s), toutes admises ({list_fr}).", found.len()),
            format!("{} مرجع(ا) قانونيا، كلها مقبولة ({list_ar}).", found.len()),
        )
    } else {
        let names: Vec<String> = findings.iter().map(|f| format!("« {} »", f.text)).collect();
        let names_ar: Vec<String> = findings.iter().map(|f| format!("«\u{2068}{}\u{2069}»", f.text)).collect();
        (
            format!("Référence(s) absente(s) de la liste : {} ({list_fr}). Un modèle peut inventer un article de loi : vérifiez chaque texte cité ou retirez-le.", join(&names, Lang::Fr)),
            format!("مرجع غير وارد في اللائحة: {} ({list_ar}). قد يختلق النموذج مادة قانونية: تحققوا من كل نص مذكور أو احذفوه.", join(&names_ar, Lang::Ar)),
        )
    };
    result(
        "references",
        bad.is_empty(),
        loc("Références juridiques", "المراجع القانونية"),
        loc(
            "Chaque article, loi, dahir, décret, arrêté ou circulaire cité figure dans la liste que donne l'exercice : une référence inventée engage la signature de l'administration.",
            "كل مادة أو قانون أو ظهير أو مرسوم أو قرار أو دورية مذكورة واردة في اللائحة التي يحددها التمرين: المرجع المختلق يلزم توقيع الإدارة.",
        ),
        loc(fr, ar),
        findings,
    )
}

/// Whether token `last` ends its sentence: nothing follows, or a punctuation mark or a line
/// break comes first, or the next word is "tard" ("à plus tard").
fn ends_sentence(doc: &Doc, last: usize) -> bool {
    let Some(next) = doc.tokens.get(last + 1) else { return true };
    let gap = &doc.text[doc.tokens[last].end..next.start];
    next.norm == "tard" || gap.chars().any(|c| !matches!(c, ' ' | '\t' | '\u{a0}' | '\u{202f}'))
}

fn check_register(doc: &Doc) -> CheckResult {
    let mut findings: Vec<(Finding, &'static str)> = Vec::new();
    for (list, what) in [(lexicon::DARIJA_LATIN, "darija"), (lexicon::DARIJA_ARABIC, "darija"), (lexicon::FAMILIAR_FR, "familier")] {
        for w in list {
            for (a, b) in doc.find_phrase(w, 0) {
                if lexicon::FAMILIAR_FR_FAREWELL.contains(w) && !ends_sentence(doc, b) {
                    continue;
                }
                findings.push((doc.finding(a, b), what));
            }
        }
    }
    for (i, c) in doc.text.char_indices() {
        if lexicon::is_emoji(c) {
            findings.push((doc.span(i, i + c.len_utf8()), "emoji"));
        } else if matches!(c, '!' | '！' | '¡') {
            findings.push((doc.span(i, i + c.len_utf8()), "exclamation"));
        }
    }
    findings.sort_by_key(|(f, _)| f.start);
    let count = |w: &str| findings.iter().filter(|(_, k)| *k == w).count();
    let mut fr = Vec::new();
    let mut ar = Vec::new();
    let quote = |k: &str, lang: Lang| {
        let q: Vec<String> = findings
            .iter()
            .filter(|(_, w)| *w == k)
            .map(|(f, _)| if lang == Lang::Ar { format!("«{}»", f.text) } else { format!("« {} »", f.text) })
            .collect();
        join(&q, lang)
    };
    if count("darija") > 0 {
        fr.push(format!("darija : {}", quote("darija", Lang::Fr)));
        ar.push(format!("الدارجة: {}", quote("darija", Lang::Ar)));
    }
    if count("familier") > 0 {
        fr.push(format!("formules familières : {}", quote("familier", Lang::Fr)));
        ar.push(format!("عبارات غير رسمية: {}", quote("familier", Lang::Ar)));
    }
    if count("emoji") > 0 {
        fr.push(format!("{} emoji", count("emoji")));
        ar.push(format!("{} رمز تعبيري", count("emoji")));
    }
    if count("exclamation") > 0 {
        fr.push(format!("{} point(s) d'exclamation", count("exclamation")));
        ar.push(format!("{} علامة تعجب", count("exclamation")));
    }
    let ok = findings.is_empty();
    let (fr, ar) = if ok {
        ("Registre administratif soutenu : rien à signaler.".to_string(), "أسلوب إداري رسمي: لا شيء يذكر.".to_string())
    } else {
        (format!("À reprendre : {}.", fr.join(" ; ")), format!("ينبغي تصحيح: {}.", ar.join("؛ ")))
    };
    result(
        "register",
        ok,
        loc("Langue et registre", "اللغة والأسلوب"),
        loc(
            "Une lettre officielle est écrite en français administratif ou en arabe standard : ni darija (en lettres latines ou arabes), ni formule familière (« Cher », « Cordialement »), ni emoji, ni point d'exclamation.",
            "تحرر الرسالة الرسمية بالفرنسية الإدارية أو بالعربية الفصحى: لا دارجة (بالحروف اللاتينية أو العربية)، ولا عبارات ودية («Cher»، «Cordialement»)، ولا رموز تعبيرية، ولا علامات تعجب.",
        ),
        loc(fr, ar),
        findings.into_iter().map(|(f, _)| f).collect(),
    )
}

fn check_language(lang: Lang, doc: &Doc) -> CheckResult {
    let (arabic, latin) = script_counts(doc.text);
    let letters = (arabic + latin).max(1);
    let ar_share = arabic * 100 / letters;
    let la_share = latin * 100 / letters;
    let hits = |list: &[&str]| doc.tokens.iter().filter(|t| list.contains(&t.norm.as_str())).count();
    let (fr_hits, en_hits) = (hits(lexicon::STOP_FR), hits(lexicon::STOP_EN));
    let ok = match lang {
        Lang::Ar => ar_share >= 60,
        Lang::Fr => la_share >= 60 && fr_hits > en_hits,
        Lang::En => la_share >= 60 && en_hits > fr_hits,
    };
    let (want_fr, want_ar) = match lang {
        Lang::Fr => ("en français", "بالفرنسية"),
        Lang::Ar => ("en arabe", "بالعربية"),
        Lang::En => ("en anglais", "بالإنجليزية"),
    };
    let fr = format!(
        "Lettres arabes : {ar_share} %, latines : {la_share} % ; mots courants du français : {fr_hits}, de l'anglais : {en_hits}. {}",
        if ok { format!("La réponse est bien {want_fr}.") } else { format!("La réponse n'est pas {want_fr} : régénérez-la en choisissant la langue dans le formulaire, ou traduisez-la.") }
    );
    let ar = format!(
        "الحروف العربية: {ar_share}٪، اللاتينية: {la_share}٪؛ كلمات شائعة فرنسية: {fr_hits}، إنجليزية: {en_hits}. {}",
        if ok { format!("الجواب محرر {want_ar} كما هو مطلوب.") } else { format!("الجواب ليس {want_ar}: أعيدوا توليده باختيار اللغة في الاستمارة، أو ترجموه.") }
    );
    result(
        "language",
        ok,
        loc("Langue demandée", "اللغة المطلوبة"),
        loc(format!("La réponse est rédigée {want_fr}, la langue que demande l'exercice (écriture et mots courants)."), format!("الجواب محرر {want_ar}، وهي اللغة التي يطلبها التمرين (الحروف والكلمات الشائعة).")),
        loc(fr, ar),
        Vec::new(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(t: &str) -> Vec<(Legal, String)> {
        let d = Doc::new(t);
        legal_refs(&d).into_iter().map(|r| (r.class, r.number)).collect()
    }

    #[test]
    fn legal_references_are_found_with_their_number() {
        assert_eq!(refs("conformément à l'article 12 du dahir n° 1-15-85"), [(Legal::Article, "12".into()), (Legal::Act, "1-15-85".into())]);
        assert_eq!(refs("la loi organique n° 113-14 relative aux communes"), [(Legal::Act, "113-14".into())]);
        assert_eq!(refs("طبقا للمادة 47 من القانون التنظيمي رقم 113.14"), [(Legal::Article, "47".into()), (Legal::Act, "113-14".into())]);
        assert_eq!(refs("بناء على الظهير الشريف رقم 1.15.85 وعلى القرار المتخذ"), [(Legal::Act, "1-15-85".into())]);
        assert_eq!(refs("l'arrêté du 15 mars 2020 et la lettre n° 4518"), []);
        assert_eq!(refs("loi 31-13 relative au droit d'accès à l'information"), [(Legal::Act, "31-13".into())]);
    }
}
