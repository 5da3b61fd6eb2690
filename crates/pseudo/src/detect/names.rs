//! Names found by what announces them: a civility (M., Mme, Monsieur, السيد, السيدة...), a name
//! label followed by a colon ("Nom et prénom :", "الاسم الكامل:"), or a cue ("le nommé",
//! "je soussigné", "fils de", "أنا الموقع أسفله").
//!
//! Where a name stops:
//! - in Latin script, at the first word that is neither capitalised nor a particle between two
//!   capitalised words (El, Ben, Aït, Ibn...), or at a capitalised word that is a function, a
//!   month, a place or a sentence start ("M. Youssef Amrani Président de..." gives "Youssef
//!   Amrani"). "Monsieur le Président", "Madame la Directrice", "Monsieur l'Ingénieur" are
//!   functions: the article after the civility says so, and nothing is found;
//! - in Arabic script, which has no capitals, after at most four name units ("عبد" and "بن" join
//!   the next word), at a stop word (prepositions, المزداد, الحامل, القاطن, verbs of a request), at
//!   a function title (السيد رئيس المجلس: nothing found), and a last word in "ال" that is not a
//!   nisba (-ي) must end the phrase to count as part of the name.
//!
//! Deliberately not here: further occurrences of a name found here, bare surnames included
//! (see `known`).

use super::{prio, CueHit, Scan};
use crate::kind::Kind;
use crate::lexicon::{arabic_bases, lexicon, Cue};
use crate::text::{Case, Class, Doc, Gap, Script};

fn is_cap(doc: &Doc, i: usize) -> bool {
    doc.toks.get(i).is_some_and(|t| t.class == Class::Word && t.script == Script::Latin && matches!(t.case, Case::Title | Case::Upper))
}

/// The Latin name starting at token `k`: (first, last) tokens.
pub(super) fn latin_name(scan: &Scan, k: usize) -> Option<(usize, usize)> {
    let doc = scan.doc;
    let lex = lexicon();
    let f0 = doc.f(k);
    if matches!(f0, "le" | "la" | "l" | "les") || lex.functions.contains(f0) {
        return None;
    }
    let mut i = k;
    let mut last = None;
    let mut words = 0;
    while i < doc.toks.len() && words < 6 && !scan.used[i] {
        let t = &doc.toks[i];
        if i > k && t.gap >= Gap::Line {
            break;
        }
        let f = doc.f(i);
        if t.class == Class::Word && t.script == Script::Latin {
            let particle = lex.particles_latin.contains(f);
            if particle && is_cap(doc, i + 1) {
                // "El Amrani", "Ben Ali".
                i += 1;
                continue;
            }
            if particle && (doc.is_p(i + 1, '-') || doc.is_p(i + 1, '\'')) && is_cap(doc, i + 2) && doc.toks[i + 1].gap == Gap::None {
                // "Ben-Ali", "Aït-Baha"; "d'Oujda" is then stopped by the place list.
                i += 2;
                continue;
            }
            if !is_cap(doc, i) || lex.not_names.contains(f) || lex.functions.contains(f) || (lex.civ_latin.contains(f) && f.len() > 2) {
                break;
            }
            // An initial: "Y. Amrani".
            if t.len == 1 {
                if doc.is_p(i + 1, '.') && is_cap(doc, i + 2) {
                    i += 2;
                    continue;
                }
                break;
            }
            words += 1;
            last = Some(i);
            i += 1;
            // "Ben-Ali", "Aït-Baha": a hyphen between two name words.
            if doc.is_p(i, '-') && doc.toks[i].gap == Gap::None && is_cap(doc, i + 1) && doc.toks[i + 1].gap == Gap::None {
                i += 1;
            }
            continue;
        }
        break;
    }
    last.map(|l| (k, l))
}

fn arabic_is(set: &crate::lexicon::WordSet, f: &str) -> bool {
    arabic_bases(f).any(|b| set.contains(b))
}

/// Does token `i` end an Arabic name (or is there nothing name-like there)?
fn arabic_boundary(doc: &Doc, i: usize) -> bool {
    doc.toks.get(i).is_none_or(|t| t.gap >= Gap::Line) || arabic_stop(doc, i)
}

/// Is token `i` a word that cannot be part of an Arabic name (a stop, a function, a civility, a
/// street word, a month), or no Arabic word at all?
fn arabic_stop(doc: &Doc, i: usize) -> bool {
    let lex = lexicon();
    let Some(t) = doc.toks.get(i) else { return true };
    if t.class != Class::Word || t.script != Script::Arabic {
        return true;
    }
    let f = doc.f(i);
    let exact: String = doc.o(i).chars().filter(|c| !crate::fold::is_mark(*c)).collect();
    lex.stops_arabic_exact.contains(exact.as_str())
        || arabic_is(&lex.stops_arabic, f)
        || arabic_is(&lex.functions, f)
        || arabic_is(&lex.civ_arabic, f)
        || arabic_is(&lex.streets, f)
        || lex.month(f).is_some()
}

/// The Arabic name starting at token `k`: (first, last) tokens.
///
/// A name is first-name units then one family unit: "محمد العلوي", "فاطمة الزهراء بنعلي", "عبد
/// الرحيم الوزاني", "محمد بن علي". A first unit in "ال" that is not a first name is a family name
/// alone ("السيد الزرهوني"): the name ends there.
pub(super) fn arabic_name(scan: &Scan, k: usize) -> Option<(usize, usize)> {
    let doc = scan.doc;
    let lex = lexicon();
    let unit_end = |i: usize| -> usize {
        // Particles (عبد, بن, أيت...) join the next word.
        let mut j = i;
        while lex.particles_arabic.contains(doc.f(j)) && !arabic_boundary(doc, j + 1) && !scan.used.get(j + 1).copied().unwrap_or(true) {
            j += 1;
        }
        j
    };
    let usable = |i: usize| i < doc.toks.len() && !scan.used[i] && !arabic_boundary(doc, i);
    if !usable(k) || doc.toks[k].script != Script::Arabic {
        return None;
    }
    let first_end = unit_end(k);
    let f = doc.f(k);
    let is_first_name = |i: usize, j: usize| {
        let joined: String = (i..=j).map(|t| doc.f(t)).collect::<Vec<_>>().join(" ");
        lex.first_names.contains(doc.f(j)) || lex.first_names.contains(&joined) || doc.f(i) == "عبد"
    };
    if f.starts_with("ال") && !is_first_name(k, first_end) {
        return Some((k, first_end));
    }
    let mut last = first_end;
    let mut i = first_end + 1;
    let mut units = 1;
    // More first-name units ("فاطمة الزهراء", "محمد أمين").
    while units < 3 && usable(i) && doc.toks[i].gap < Gap::Line {
        let j = unit_end(i);
        if !is_first_name(i, j) {
            break;
        }
        units += 1;
        last = j;
        i = j + 1;
    }
    // The family unit.
    if usable(i) && doc.toks[i].gap < Gap::Line {
        let j = unit_end(i);
        let w = doc.f(j);
        let al = w.starts_with("ال") && j == i;
        let nisba = w.ends_with('ي');
        if !al || nisba || lex.first_names.contains(w) || arabic_boundary(doc, j + 1) {
            last = j;
            // "محمد بن علي العلوي": a nisba may follow a "بن" unit.
            if j > i && usable(j + 1) && doc.f(j + 1).starts_with("ال") && doc.f(j + 1).ends_with('ي') {
                last = j + 1;
            }
        }
    }
    Some((k, last))
}

/// The start of a name after a civility ending at token `c`: skips "(e)", "(ة)", "/Mme", ",".
fn after_civility(doc: &Doc, mut c: usize) -> usize {
    let lex = lexicon();
    loop {
        let k = c + 1;
        if doc.is_p(k, '(') && doc.is_p(k + 2, ')') && doc.toks.get(k + 1).is_some_and(|t| t.len <= 2) {
            c = k + 2;
        } else if doc.is_p(k, '/') && (lex.civ_latin.contains(doc.f(k + 1)) || arabic_is(&lex.civ_arabic, doc.f(k + 1))) {
            c = k + 1;
            if doc.is_p(c + 1, '.') {
                c += 1;
            }
        } else if doc.is_p(k, '.') && doc.toks[k].gap == Gap::None {
            c = k;
        } else if doc.is_p(k, ':') && k == c + 1 {
            // "السيدة: زينب الرحموني" in a form.
            c = k;
        } else {
            return k;
        }
    }
}

/// A civility at token `i`: the token its name starts at.
fn civility(doc: &Doc, i: usize) -> Option<usize> {
    let lex = lexicon();
    let t = &doc.toks[i];
    if t.class != Class::Word {
        return None;
    }
    let f = doc.f(i);
    match t.script {
        Script::Latin => {
            if !lex.civ_latin.contains(f) {
                return None;
            }
            let orig = doc.o(i);
            let short = matches!(f, "m" | "mr" | "mme" | "mlle" | "mm" | "mmes" | "dr" | "pr" | "ms" | "mrs");
            if short && !orig.starts_with(|c: char| c.is_uppercase()) {
                return None;
            }
            // "M" alone is a civility only as "M." ("M" is also an initial, a unit, a letter).
            if matches!(f, "m" | "mm" | "pr") && !(doc.is_p(i + 1, '.') && doc.toks[i + 1].gap == Gap::None) {
                return None;
            }
            Some(after_civility(doc, i))
        }
        Script::Arabic => arabic_is(&lex.civ_arabic, f).then(|| after_civility(doc, i)),
        Script::Other => None,
    }
}

/// The name starting at token `k`, in whichever script it is written.
fn name_at(scan: &Scan, k: usize) -> Option<(usize, usize)> {
    let t = scan.doc.toks.get(k)?;
    if scan.used[k] || t.gap >= Gap::Para {
        return None;
    }
    match (t.class, t.script) {
        (Class::Word, Script::Latin) => latin_name(scan, k),
        (Class::Word, Script::Arabic) => arabic_name(scan, k),
        _ => None,
    }
}

/// The value after a name label's colon, up to the end of the line or the next field.
fn label_value(scan: &Scan, hit: CueHit) -> Option<(usize, usize)> {
    let doc = scan.doc;
    let lex = lexicon();
    let mut k = hit.last + 1;
    // "Nom(s)", "Nom et prénom(s)".
    if doc.is_p(k, '(') && doc.is_p(k + 2, ')') {
        k += 3;
    }
    if !(doc.is_p(k, ':') || doc.is_p(k, '：')) {
        return None;
    }
    k += 1;
    if doc.toks.get(k).is_none_or(|t| t.gap >= Gap::Line) {
        return None;
    }
    // A civility in the value is not part of the name.
    if let Some(n) = civility(doc, k) {
        k = n;
    }
    let first = k;
    let t = doc.toks.get(first)?;
    if t.class != Class::Word || (lex.not_names.contains(doc.f(first)) && t.script == Script::Latin) {
        return None;
    }
    let mut last = None;
    let mut words = 0;
    while k < doc.toks.len() && !scan.used[k] {
        let t = &doc.toks[k];
        if k > first && t.gap >= Gap::Line {
            break;
        }
        if scan.cues.iter().any(|h| h.first == k) && k > first {
            break;
        }
        match t.class {
            Class::Word => {
                if t.script == Script::Arabic && k > first && arabic_boundary(doc, k) {
                    break;
                }
                if t.script == Script::Latin && k > first && t.case == Case::Lower && !lex.particles_latin.contains(doc.f(k)) {
                    break;
                }
                words += 1;
                last = Some(k);
            }
            Class::Punct if doc.is_p(k, '-') || doc.is_p(k, '\'') => {}
            _ => break,
        }
        if words >= 6 {
            break;
        }
        k += 1;
    }
    last.map(|l| (first, l))
}

/// Is token `i` a function title ("agent", "technicien", "agents", "رئيس", "مهندسة")?
fn is_function(doc: &Doc, i: usize) -> bool {
    let lex = lexicon();
    let f = doc.f(i);
    match doc.toks.get(i).map(|t| t.script) {
        Some(Script::Latin) => lex.functions.contains(f) || f.strip_suffix('s').is_some_and(|g| lex.functions.contains(g)),
        Some(Script::Arabic) => arabic_is(&lex.functions, f),
        _ => false,
    }
}

/// Words of a closing formula: the line after one (and an empty line) is the signature.
const CLOSINGS: &[&str] = &[
    "consideration", "salutations", "respectueuses", "distinguees", "respect", "والسلام", "الاحترام",
    "التقدير", "signe", "signature", "الامضاء", "التوقيع", "regards", "sincerely", "cordialement",
    "verbalisateurs",
];

/// Is the whole line `first..=last` a name and nothing else (2 to 4 name words)?
fn line_name(scan: &Scan, first: usize, last: usize) -> bool {
    let doc = scan.doc;
    let lex = lexicon();
    let mut words = 0;
    let mut i = first;
    while i <= last {
        let t = &doc.toks[i];
        if scan.used[i] {
            return false;
        }
        let f = doc.f(i);
        match (t.class, t.script) {
            (Class::Word, Script::Latin) => {
                if lex.particles_latin.contains(f) && i < last {
                    i += 1;
                    continue;
                }
                if t.len == 1 && t.case != Case::Lower && doc.is_p(i + 1, '.') && i + 1 < last {
                    // An initial: "N. Berrada".
                    i += 2;
                    words += 1;
                    continue;
                }
                if !is_cap(doc, i) || lex.not_names.contains(f) || lex.functions.contains(f) || lex.civ_latin.contains(f) {
                    return false;
                }
                words += 1;
            }
            (Class::Word, Script::Arabic) => {
                if arabic_stop(doc, i) || (lex.particles_arabic.contains(f) && i == last) {
                    return false;
                }
                if !lex.particles_arabic.contains(f) {
                    words += 1;
                }
            }
            (Class::Punct, _) if (doc.is_p(i, '-') || doc.is_p(i, '\'')) && t.gap == Gap::None && i < last => {}
            _ => return false,
        }
        i += 1;
    }
    (2..=4).contains(&words)
}

/// Does the line `first..=last` hold a function title, a signature word or a closing formula?
fn announces_signature(doc: &Doc, first: usize, last: usize) -> bool {
    let lex = lexicon();
    let _ = lex;
    (first..=last).any(|i| {
        let f = doc.f(i);
        is_function(doc, i)
            || CLOSINGS.contains(&f)
            || f == "ordonnateur"
            || f == "p.o"
    })
}

/// The lines of the text as token ranges (first, last), empty lines skipped.
fn lines(doc: &Doc) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=doc.toks.len() {
        if i == doc.toks.len() || doc.toks[i].gap >= Gap::Line {
            if start < i {
                out.push((start, i - 1));
            }
            start = i;
        }
    }
    out
}

/// A name alone on its line: a signature under a function title or a closing formula, or the
/// sender's or addressee's name above an address, a phone or a CIN.
fn line_names(scan: &mut Scan) {
    let doc = scan.doc;
    let ls = lines(doc);
    let mut previous_was_signature = false;
    for (n, &(first, last)) in ls.iter().enumerate() {
        if !line_name(scan, first, last) {
            previous_was_signature = false;
            continue;
        }
        // A list of signatories: one name per line under the title.
        let after_title = n > 0 && (announces_signature(doc, ls[n - 1].0, ls[n - 1].1) || previous_was_signature);
        let above_contact = ls.get(n + 1).is_some_and(|&(f, l)| {
            let (s, e) = (doc.toks[f].start, doc.toks[l].end);
            scan.out.iter().any(|c| {
                c.start >= s && c.end <= e && matches!(c.kind, Kind::Adresse | Kind::Tel | Kind::Cin | Kind::Email)
            })
        });
        previous_was_signature = after_title || above_contact;
        if previous_was_signature {
            scan.push_toks(first, last, Kind::Nom, prio::NAME);
        }
    }
}

/// A name just before what describes a person: "Amine Benjelloun, né le ...", "آمنة الوزاني،
/// المزدادة بتاريخ ...", "X Y, titulaire de la CIN", "X Y، الحامل للبطاقة", "X Y, demeurant".
fn names_before(scan: &mut Scan) {
    let doc = scan.doc;
    let lex = lexicon();
    let mut anchors: Vec<usize> = scan
        .cues
        .iter()
        .filter(|h| matches!(h.cue, Cue::Birth | Cue::Dwelling))
        .map(|h| h.first)
        .collect();
    for i in 0..doc.toks.len() {
        let f = doc.f(i);
        if matches!(f, "titulaire" | "titulaires") || arabic_bases(f).any(|b| matches!(b, "الحامل" | "الحامله")) {
            anchors.push(i);
        }
        // An apposition: "Nabil Cherkaoui, agent de la police administrative", "كريم الزياني،
        // رئيس مصلحة الطرق".
        let comma_before = i > 0 && (doc.is_p(i - 1, ',') || doc.is_p(i - 1, '،'));
        if comma_before && is_function(doc, i) {
            anchors.push(i);
        }
    }
    // "Meryem El Fassi <m.elfassi@commune-oujda.ma>": the name of an address.
    for c in scan.out.iter().filter(|c| c.kind == Kind::Email) {
        let i = doc.toks.partition_point(|t| t.start < c.start);
        if i > 0 && doc.is_p(i - 1, '<') {
            anchors.push(i);
        }
    }
    anchors.sort_unstable();
    anchors.dedup();
    for a in anchors {
        let Some(mut j) = a.checked_sub(1) else { continue };
        if doc.is_p(j, ',') || doc.is_p(j, '،') || doc.is_p(j, '<') {
            let Some(p) = j.checked_sub(1) else { continue };
            j = p;
        }
        if scan.used[j] || doc.toks[j].class != Class::Word || doc.toks[j + 1].gap >= Gap::Line {
            continue;
        }
        let latin = doc.toks[j].script == Script::Latin;
        let mut first = j;
        let mut words = 0;
        let mut i = j as isize;
        while i >= 0 && words < 5 {
            let k = i as usize;
            let t = &doc.toks[k];
            if scan.used[k] || (k < j && doc.toks[k + 1].gap >= Gap::Line) {
                break;
            }
            let f = doc.f(k);
            let ok = match (t.class, t.script) {
                (Class::Word, Script::Latin) if latin => {
                    (is_cap(doc, k) && !lex.not_names.contains(f) && !lex.functions.contains(f) && !lex.civ_latin.contains(f))
                        || (lex.particles_latin.contains(f) && k < j)
                }
                // Arabic has no capitals: the family name, the word before it (the first name),
                // and before that only known first names and particles ("فاطمة الزهراء").
                (Class::Word, Script::Arabic) if !latin => {
                    !arabic_stop(doc, k)
                        && (words < 2
                            || lex.first_names.contains(f)
                            || lex.particles_arabic.contains(f)
                            || lex.particles_arabic.contains(doc.f(k + 1)))
                }
                (Class::Punct, _) => doc.is_p(k, '-') && t.gap == Gap::None && k < j,
                _ => false,
            };
            if !ok {
                break;
            }
            if t.class == Class::Word && !lex.particles_latin.contains(f) && !lex.particles_arabic.contains(f) {
                words += 1;
            }
            first = k;
            i -= 1;
        }
        while first < j && (lex.particles_latin.contains(doc.f(first)) || doc.toks[first].class == Class::Punct) {
            first += 1;
        }
        // A civility right before: the civility rule finds it.
        let after_civility = first > 0 && civility(doc, first - 1).is_some();
        if words >= 2 && !after_civility {
            scan.push_toks(first, j, Kind::Nom, prio::NAME);
        }
    }
}

pub(super) fn names(scan: &mut Scan) {
    let doc = scan.doc;
    let lex = lexicon();
    // Labels first: "Nom et prénom : ..." is the most explicit.
    let labels: Vec<CueHit> = scan.cues_of(Cue::NameLabel).collect();
    for hit in labels {
        if let Some((f, l)) = label_value(scan, hit) {
            if !scan.used[f..=l].iter().any(|u| *u) {
                scan.push_toks(f, l, Kind::Nom, prio::NAME);
            }
        }
    }
    let cues: Vec<CueHit> = scan.cues_of(Cue::NameAfter).collect();
    for hit in cues {
        let mut k = hit.last + 1;
        // "je soussigné(e), M. Youssef Amrani".
        loop {
            if doc.is_p(k, '(') && doc.is_p(k + 2, ')') {
                k += 3;
            } else if doc.is_p(k, ',') || doc.is_p(k, ':') || doc.is_p(k, '،') {
                k += 1;
            } else if let Some(n) = civility(doc, k) {
                k = n;
            } else {
                break;
            }
        }
        if let Some((f, l)) = name_at(scan, k) {
            scan.push_toks(f, l, Kind::Nom, prio::NAME);
        }
    }
    for i in 0..doc.toks.len() {
        if scan.used[i] {
            continue;
        }
        if let Some(k) = civility(doc, i) {
            // A function after the civility: "Monsieur le Président", "السيد رئيس المجلس".
            let f = doc.f(k);
            if doc.toks.get(k).is_some_and(|t| t.script == Script::Arabic) && arabic_is(&lex.functions, f) {
                continue;
            }
            if let Some((f, l)) = name_at(scan, k) {
                scan.push_toks(f, l, Kind::Nom, prio::NAME);
            }
        }
    }
    names_before(scan);
    line_names(scan);
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::hints::Hints;
    use crate::kind::Kind;

    fn of(text: &str) -> Vec<String> {
        detect(text, &Hints::new()).into_iter().filter(|f| f.kind == Kind::Nom).map(|f| f.text).collect()
    }

    #[test]
    fn names_after_civilities() {
        assert_eq!(of("M. Youssef AMRANI a déposé"), ["Youssef AMRANI"]);
        assert_eq!(of("Mme Fatima Zahra El Idrissi, demeurant"), ["Fatima Zahra El Idrissi"]);
        assert_eq!(of("Monsieur Ahmed Ben-Ali Président de l'association"), ["Ahmed Ben-Ali"]);
        assert_eq!(of("Mlle Y. Bennani."), ["Y. Bennani"]);
        assert_eq!(of("السيد محمد العلوي المزداد بوجدة"), ["محمد العلوي"]);
        assert_eq!(of("السيدة فاطمة الزهراء بنعلي تقدمت بطلب"), ["فاطمة الزهراء بنعلي"]);
        assert_eq!(of("للسيد عبد الرحيم الوزاني، الحامل"), ["عبد الرحيم الوزاني"]);
        assert_eq!(of("السيد(ة) نعيمة الخياط"), ["نعيمة الخياط"]);
        assert_eq!(of("M./Mme Karim Tazi"), ["Karim Tazi"]);
    }

    #[test]
    fn functions_are_not_names() {
        for t in [
            "Monsieur le Président du Conseil",
            "Monsieur le Directeur régional de l'Équipement",
            "Madame la Directrice",
            "Monsieur l'Ingénieur",
            "Monsieur,",
            "Veuillez agréer, Madame, Monsieur, l'expression",
            "السيد رئيس المجلس الجماعي",
            "السيد العامل",
            "إلى السيد المدير الجهوي للتجهيز",
            "Le M de Monsieur",
        ] {
            assert_eq!(of(t), Vec::<String>::new(), "{t}");
        }
    }

    #[test]
    fn labels_and_cues() {
        assert_eq!(of("Nom et prénom : Youssef AMRANI\nCIN"), ["Youssef AMRANI"]);
        assert_eq!(of("Je soussignée, Naima Berrada, sollicite"), ["Naima Berrada"]);
        assert_eq!(of("الاسم الكامل: محمد أمين الإدريسي"), ["محمد أمين الإدريسي"]);
        assert_eq!(of("أنا الموقع أسفله أحمد الصالحي الحامل"), ["أحمد الصالحي"]);
        assert_eq!(of("Nom de la commune : Oujda"), Vec::<String>::new());
    }

    #[test]
    fn repeats_and_bare_surnames() {
        let got = of("M. Youssef Amrani a déposé. AMRANI Youssef relance ; Amrani attend. Le dossier Amrani.");
        assert_eq!(got, ["Youssef Amrani", "AMRANI Youssef", "Amrani", "Amrani"]);
        let got = of("السيد محمد العلوي ... وصرح العلوي بأن لمحمد العلوي");
        assert_eq!(got, ["محمد العلوي", "العلوي", "محمد العلوي"]);
    }
}
