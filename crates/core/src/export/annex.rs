//! The audit page ("Relu et validé" / «تمت المراجعة والمصادقة») that ends a document when the
//! run's audit record is given: the run, template, profile and model, where the data went, the
//! date, how many personal values were pseudonymised by kind (never the values), and who
//! reviewed and approved it. Worded here once, in the document's language; each writer (Katib's
//! Word layout, the filled letterhead, .md/.txt) lays it out.

use super::{place_and_date, AuditAnnex};
use crate::Lang;

/// The annex's texts.
pub(crate) struct Annex {
    pub title: &'static str,
    /// (label, value), in page order.
    pub rows: Vec<(&'static str, String)>,
    pub approvals_title: &'static str,
    /// Name, function, date.
    pub header: [&'static str; 3],
    /// One per approval; dates as dd/mm/yyyy (a table).
    pub approvals: Vec<[String; 3]>,
    /// Said instead of the table when nobody approved it yet.
    pub no_approval: &'static str,
    /// The last line: what this record is and is not.
    pub note: &'static str,
}

/// "2026-11-23" -> "23/11/2026" (anything else as it is).
fn table_date(iso: &str) -> String {
    let p: Vec<&str> = iso.trim().split('-').collect();
    match p.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// The kind of a pseudonymised value, named for a reader ("NOM", "nom" -> "Noms").
pub(crate) fn kind_label(kind: &str, lang: Lang) -> String {
    let k: String = kind.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    let (fr, ar, en) = match k.as_str() {
        "nom" => ("Noms", "الأسماء", "Names"),
        "cin" => ("N° de CIN", "أرقام البطاقة الوطنية", "National ID numbers"),
        "tel" => ("Téléphones", "أرقام الهاتف", "Phone numbers"),
        "email" => ("Adresses électroniques", "عناوين البريد الإلكتروني", "E-mail addresses"),
        "adresse" => ("Adresses", "العناوين", "Addresses"),
        "rib" => ("RIB", "أرقام الحساب البنكي", "Bank account numbers (RIB)"),
        "iban" => ("IBAN", "أرقام IBAN", "IBAN"),
        "ice" => ("ICE", "أرقام التعريف الموحد للمقاولة", "ICE"),
        "cnss" => ("N° CNSS", "أرقام الضمان الاجتماعي", "CNSS numbers"),
        "if" => ("Identifiants fiscaux", "أرقام التعريف الضريبي", "Tax IDs"),
        "massar" => ("Codes Massar", "رموز مسار", "Massar codes"),
        "datenaissance" => ("Dates de naissance", "تواريخ الازدياد", "Dates of birth"),
        _ => return kind.to_string(),
    };
    match lang {
        Lang::Fr => fr,
        Lang::Ar => ar,
        Lang::En => en,
    }
    .to_string()
}

pub(crate) fn data_class(class: &str, lang: Lang) -> String {
    let (fr, ar, en) = match class.trim().to_ascii_lowercase().as_str() {
        "local" => ("locale (cet ordinateur ou le réseau de l'administration)", "محلية (هذا الحاسوب أو شبكة الإدارة)", "local (this computer or the administration's network)"),
        "sovereign" => ("souveraine (hébergement au Maroc)", "سيادية (استضافة بالمغرب)", "sovereign (hosted in Morocco)"),
        "cloud" => ("cloud (hors de l'administration)", "سحابية (خارج الإدارة)", "cloud (outside the administration)"),
        "" => ("aucun envoi", "لم يرسل أي شيء", "nothing was sent"),
        _ => return class.to_string(),
    };
    match lang {
        Lang::Fr => fr,
        Lang::Ar => ar,
        Lang::En => en,
    }
    .to_string()
}

pub(crate) fn annex(a: &AuditAnnex, lang: Lang) -> Annex {
    let masked: Vec<String> = a.masked.iter().filter(|(_, n)| *n > 0).map(|(k, n)| match lang {
        Lang::Fr => format!("{} : {n}", kind_label(k, lang)),
        _ => format!("{}: {n}", kind_label(k, lang)),
    }).collect();
    let sep = if lang == Lang::Ar { "؛ " } else { " ; " };
    let date = place_and_date(None, &a.date, lang);
    let date = date.strip_prefix("Le ").map(str::to_string).unwrap_or(date);
    let approvals = a.approvals.iter().map(|(n, f, d)| [n.clone(), f.clone(), table_date(d)]).collect();
    match lang {
        Lang::Fr => Annex {
            title: "Relu et validé",
            rows: vec![
                ("Exécution", a.run_id.clone()),
                ("Modèle de document", a.template.clone()),
                ("Profil", a.profile.clone()),
                ("Modèle d'IA", a.model.clone()),
                ("Traitement des données", data_class(&a.data_class, lang)),
                ("Date", date),
                ("Données personnelles pseudonymisées", if masked.is_empty() { "aucune".into() } else { masked.join(sep) }),
            ],
            approvals_title: "Relu et validé par",
            header: ["Nom", "Fonction", "Date"],
            approvals,
            no_approval: "Aucune validation n'est enregistrée.",
            note: "Relevé établi par Katib à partir de l'historique de cet ordinateur ; les valeurs pseudonymisées n'y figurent pas.",
        },
        Lang::Ar => Annex {
            title: "تمت المراجعة والمصادقة",
            rows: vec![
                ("العملية", a.run_id.clone()),
                ("نموذج الوثيقة", a.template.clone()),
                ("ملف الاتصال", a.profile.clone()),
                ("نموذج الذكاء الاصطناعي", a.model.clone()),
                ("معالجة المعطيات", data_class(&a.data_class, lang)),
                ("التاريخ", date),
                ("المعطيات الشخصية المستعارة", if masked.is_empty() { "لا شيء".into() } else { masked.join(sep) }),
            ],
            approvals_title: "راجعها وصادق عليها",
            header: ["الاسم", "الصفة", "التاريخ"],
            approvals,
            no_approval: "لم تسجل أي مصادقة.",
            note: "أعد كاتب هذا البيان انطلاقا من سجل هذا الحاسوب، ولا يتضمن القيم المستعارة.",
        },
        Lang::En => Annex {
            title: "Reviewed and approved",
            rows: vec![
                ("Run", a.run_id.clone()),
                ("Template", a.template.clone()),
                ("Profile", a.profile.clone()),
                ("AI model", a.model.clone()),
                ("Data processing", data_class(&a.data_class, lang)),
                ("Date", date),
                ("Personal data pseudonymised", if masked.is_empty() { "none".into() } else { masked.join("; ") }),
            ],
            approvals_title: "Reviewed and approved by",
            header: ["Name", "Position", "Date"],
            approvals,
            no_approval: "No approval is recorded.",
            note: "Record drawn up by Katib from this computer's history; the pseudonymised values are not in it.",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_kind_never_values() {
        let a = AuditAnnex {
            run_id: "r-42".into(),
            template: "Réponse à un citoyen (v2)".into(),
            profile: "souverain".into(),
            model: "llama3.1".into(),
            data_class: "sovereign".into(),
            date: "2026-11-23".into(),
            masked: vec![("NOM".into(), 3), ("cin".into(), 1), ("tel".into(), 0)],
            approvals: vec![("Karim Alaoui".into(), "Le Directeur Général des Services".into(), "2026-11-24".into())],
        };
        let fr = annex(&a, Lang::Fr);
        let row = |x: &Annex, i: usize| x.rows[i].1.clone();
        assert_eq!(row(&fr, 6), "Noms : 3 ; N° de CIN : 1");
        assert_eq!(row(&fr, 5), "23 novembre 2026");
        assert_eq!(row(&fr, 4), "souveraine (hébergement au Maroc)");
        assert_eq!(fr.approvals, vec![["Karim Alaoui".to_string(), "Le Directeur Général des Services".to_string(), "24/11/2026".to_string()]]);
        let ar = annex(&a, Lang::Ar);
        assert_eq!(ar.title, "تمت المراجعة والمصادقة");
        assert_eq!(row(&ar, 6), "الأسماء: 3؛ أرقام البطاقة الوطنية: 1");
        assert_eq!(row(&ar, 5), "23 نونبر 2026");
    }
}
