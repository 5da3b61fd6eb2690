//! The audit sheet ("Fiche d'audit" / «بطاقة تتبع الوثيقة»): a one-page Word document of its own
//! for one run, to file with a signed letter or hand to an inspector: the run, its status and
//! times, the template with its version and content hash, the endpoint profile, model and data
//! class, whether personal data was pseudonymised (counts by kind) and any confirmed unmasked
//! sending, the attached files with their SHA-256, the exports, and who reviewed and approved
//! the document ("relu et validé par").
//!
//! What it owns: the [`AuditSheet`] a front end fills from the history, and its wording in the
//! sheet's language, said once here ([`texts`]); the Word layout is `docx::sheet`'s.
//! What it deliberately never holds: the prompts, the answer, the form values or the personal
//! values that were replaced. With the history off (or a run's texts deleted) the file names and
//! the exports are not known either; the sheet then says it is a metadata-only record.

use serde::Serialize;

use super::annex::{data_class, kind_label};
use crate::Lang;

/// The record of one run, as the sheet prints it. Times are local, `YYYY-MM-DD HH:MM`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct AuditSheet {
    pub run_id: String,
    /// `done`, `partial`, `cancelled`, `failed`, `running`.
    pub status: String,
    /// The error's stable code of a failed or cut run (`provider.auth`), never its message.
    pub error_code: Option<String>,
    pub started: String,
    pub finished: Option<String>,
    pub duration_ms: Option<u64>,
    pub template_id: String,
    pub template_title: String,
    pub template_version: String,
    /// Hash of the template's content when the run was made.
    pub template_hash: String,
    /// Endpoint profile (`practice`, `fixed` for the offline and fixed-wording routes).
    pub profile: String,
    pub model: String,
    /// `local`, `sovereign`, `cloud`.
    pub data_class: String,
    /// Values pseudonymised, by kind (`NOM` -> 3); never the values.
    pub masked: Vec<(String, usize)>,
    /// Pseudonymisation was not applied although the route called for it.
    pub override_: Option<SheetOverride>,
    /// False: the history did not keep this run's texts (history off, or texts deleted): the
    /// sheet is metadata only, and `inputs` and `exports` are unknown.
    pub texts_kept: bool,
    pub inputs: Vec<SheetInput>,
    pub exports: Vec<SheetExport>,
    /// Name, function, `YYYY-MM-DD`.
    pub approvals: Vec<(String, String, String)>,
    /// Outgoing-mail register numbers given to letters of this run.
    pub register_numbers: Vec<String>,
    /// When the sheet was drawn up.
    pub generated: String,
}

/// A file attached to the run: its name and the SHA-256 of its bytes (never its content).
#[derive(Clone, Debug, Default, Serialize)]
pub struct SheetInput {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
}

/// A document written from the run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SheetExport {
    pub at: String,
    pub format: String,
    pub path: String,
}

/// Someone confirmed sending the run's text unmasked, or the sovereign profile has
/// pseudonymisation switched off in its settings (`by_profile`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct SheetOverride {
    pub by: String,
    pub by_profile: bool,
    pub at: String,
}

/// The sheet's texts, in page order.
pub(crate) struct SheetTexts {
    pub title: &'static str,
    pub subtitle: String,
    /// Said under the title when the sheet holds metadata only.
    pub metadata_only: Option<&'static str>,
    /// (label, value).
    pub rows: Vec<(&'static str, String)>,
    pub sections: Vec<Section>,
    pub note: String,
}

/// A titled table (files, exports, approvals), or a sentence when it has no row.
pub(crate) struct Section {
    pub title: &'static str,
    pub header: [&'static str; 3],
    /// Column widths, in percent of the text width.
    pub widths: [usize; 3],
    pub rows: Vec<[String; 3]>,
    pub empty: &'static str,
    /// The columns holding hashes, formats or paths (written smaller, left to right).
    pub technical: [bool; 3],
}

/// "2026-11-23 14:05" -> "23/11/2026 14:05"; "2026-11-23" -> "23/11/2026"; anything else as is.
fn stamp(s: &str) -> String {
    let (day, time) = s.trim().split_once(' ').unwrap_or((s.trim(), ""));
    let p: Vec<&str> = day.split('-').collect();
    let day = match p.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => format!("{d}/{m}/{y}"),
        _ => return s.to_string(),
    };
    if time.is_empty() { day } else { format!("{day} {time}") }
}

/// A size in kilobytes, with the language's decimal comma.
fn size(bytes: u64, lang: Lang) -> String {
    let kb = bytes as f64 / 1024.0;
    let s = if bytes < 1024 { format!("{bytes}") } else { format!("{kb:.1}") };
    let unit = match (lang, bytes < 1024) {
        (Lang::Ar, true) => "بايت",
        (Lang::Ar, false) => "ك.ب",
        (Lang::Fr, true) => "o",
        (Lang::Fr, false) => "Ko",
        (Lang::En, true) => "B",
        (Lang::En, false) => "KB",
    };
    let s = if lang == Lang::En { s } else { s.replace('.', ",") };
    format!("{s} {unit}")
}

fn seconds(ms: u64, lang: Lang) -> String {
    // Under a tenth of a second (a fixed-wording document, a replay): not "0,0 s".
    if ms < 100 {
        return match lang {
            Lang::Fr => "moins de 0,1 s",
            Lang::Ar => "أقل من 0,1 ثانية",
            Lang::En => "under 0.1 s",
        }
        .into();
    }
    let s = format!("{:.1}", ms as f64 / 1000.0);
    match lang {
        Lang::Fr => format!("{} s", s.replace('.', ",")),
        Lang::Ar => format!("{} ثانية", s.replace('.', ",")),
        Lang::En => format!("{s} s"),
    }
}

fn status(a: &AuditSheet, lang: Lang) -> String {
    let (fr, ar, en) = match a.status.as_str() {
        "done" => ("terminée", "منجزة", "done"),
        "partial" => ("interrompue (réponse partielle)", "متوقفة (جواب جزئي)", "cut short (partial answer)"),
        "cancelled" => ("annulée", "ملغاة", "cancelled"),
        "failed" => ("échec", "فاشلة", "failed"),
        "running" => ("en cours", "جارية", "running"),
        other => (other, other, other),
    };
    let s = match lang {
        Lang::Fr => fr,
        Lang::Ar => ar,
        Lang::En => en,
    };
    match &a.error_code {
        Some(c) if !c.is_empty() => format!("{s} ({c})"),
        _ => s.to_string(),
    }
}

fn profile(a: &AuditSheet, lang: Lang) -> String {
    match (a.profile.as_str(), lang) {
        ("practice", Lang::Fr) => "mode entraînement (hors ligne, réponses enregistrées)".into(),
        ("practice", Lang::Ar) => "وضع التدريب (دون اتصال، أجوبة مسجلة)".into(),
        ("practice", Lang::En) => "practice mode (offline, saved answers)".into(),
        ("fixed", Lang::Fr) => "texte fixe, sans modèle d'IA".into(),
        ("fixed", Lang::Ar) => "نص ثابت، دون نموذج ذكاء اصطناعي".into(),
        ("fixed", Lang::En) => "fixed wording, no AI model".into(),
        (p, _) => p.to_string(),
    }
}

fn masked(a: &AuditSheet, lang: Lang) -> String {
    let counts: Vec<String> = a.masked.iter().filter(|(_, n)| *n > 0).map(|(k, n)| match lang {
        Lang::Fr => format!("{} : {n}", kind_label(k, lang)),
        _ => format!("{}: {n}", kind_label(k, lang)),
    }).collect();
    let sep = match lang {
        Lang::Ar => "؛ ",
        Lang::Fr => " ; ",
        Lang::En => "; ",
    };
    if let Some(o) = &a.override_ {
        return match (lang, o.by_profile) {
            (Lang::Fr, true) => "non appliquée : désactivée dans les réglages du profil souverain".into(),
            (Lang::Fr, false) => "non appliquée : envoi non masqué confirmé (voir la dérogation)".into(),
            (Lang::Ar, true) => "غير مطبق: معطل في إعدادات الخدمة السيادية".into(),
            (Lang::Ar, false) => "غير مطبق: تأكيد الإرسال دون استبدال (انظر الاستثناء)".into(),
            (Lang::En, true) => "not applied: switched off in the sovereign profile's settings".into(),
            (Lang::En, false) => "not applied: unmasked sending confirmed (see the override)".into(),
        };
    }
    if !counts.is_empty() {
        let list = counts.join(sep);
        return match lang {
            Lang::Fr => format!("appliquée : {list}"),
            Lang::Ar => format!("مطبق: {list}"),
            Lang::En => format!("applied: {list}"),
        };
    }
    match (a.data_class.as_str(), lang) {
        ("local", Lang::Fr) => "non requise (traitement local)".into(),
        ("local", Lang::Ar) => "غير لازم (معالجة محلية)".into(),
        ("local", Lang::En) => "not needed (local processing)".into(),
        (_, Lang::Fr) => "appliquée : aucune donnée personnelle détectée".into(),
        (_, Lang::Ar) => "مطبق: لم تُرصد أي معطيات شخصية".into(),
        (_, Lang::En) => "applied: no personal data found".into(),
    }
}

fn override_line(a: &AuditSheet, lang: Lang) -> String {
    let Some(o) = &a.override_ else {
        return match lang {
            Lang::Fr => "aucune".into(),
            Lang::Ar => "لا يوجد".into(),
            Lang::En => "none".into(),
        };
    };
    let at = stamp(&o.at);
    match (lang, o.by_profile) {
        (Lang::Fr, true) => format!("pseudonymisation désactivée pour le profil souverain « {} » (réglage en vigueur le {at})", a.profile),
        (Lang::Fr, false) => format!("envoi des données personnelles non masquées vers le profil « {} », confirmé par {} le {at}", a.profile, o.by),
        (Lang::Ar, true) => format!("الاستبدال بالرموز معطل في الخدمة السيادية «{}» (إعداد سار بتاريخ {at})", a.profile),
        (Lang::Ar, false) => format!("إرسال المعطيات الشخصية دون استبدال إلى الخدمة «{}»، أكده {} بتاريخ {at}", a.profile, o.by),
        (Lang::En, true) => format!("pseudonymisation switched off for the sovereign profile \"{}\" (setting in force on {at})", a.profile),
        (Lang::En, false) => format!("personal data sent unmasked to the profile \"{}\", confirmed by {} on {at}", a.profile, o.by),
    }
}

/// The sheet's texts in `lang`.
pub(crate) fn texts(a: &AuditSheet, lang: Lang) -> SheetTexts {
    let template = if a.template_title.trim().is_empty() || a.template_title == a.template_id {
        a.template_id.clone()
    } else {
        format!("{} ({})", a.template_title, a.template_id)
    };
    let files: Vec<[String; 3]> = a.inputs.iter().map(|f| [f.name.clone(), f.sha256.clone(), size(f.bytes, lang)]).collect();
    let exports: Vec<[String; 3]> = a.exports.iter().map(|x| [stamp(&x.at), format!(".{}", x.format.trim_start_matches('.')), x.path.clone()]).collect();
    let approvals: Vec<[String; 3]> = a.approvals.iter().map(|(n, f, d)| [n.clone(), f.clone(), stamp(d)]).collect();
    let dash = || "—".to_string();
    let numbers = if a.register_numbers.is_empty() { None } else { Some(a.register_numbers.join(", ")) };
    let generated = stamp(&a.generated);
    match lang {
        Lang::Fr => {
            let mut rows = vec![
                ("N° d'exécution", a.run_id.clone()),
                ("Statut", status(a, lang)),
                ("Début", stamp(&a.started)),
                ("Fin", a.finished.as_deref().map(stamp).unwrap_or_else(dash)),
                ("Durée", a.duration_ms.map(|d| seconds(d, lang)).unwrap_or_else(dash)),
                ("Modèle de document", template),
                ("Version du modèle", a.template_version.clone()),
                ("Empreinte du modèle (SHA-256)", a.template_hash.clone()),
                ("Profil", profile(a, lang)),
                ("Modèle d'IA", if a.model.is_empty() { dash() } else { a.model.clone() }),
                ("Traitement des données", data_class(&a.data_class, lang)),
                ("Pseudonymisation", masked(a, lang)),
                ("Dérogation", override_line(a, lang)),
            ];
            if let Some(n) = numbers {
                rows.push(("N° au registre du courrier départ", n));
            }
            rows.push(("Contenu de l'historique", if a.texts_kept { "complet (textes conservés sur cet ordinateur)".into() } else { "métadonnées seulement".into() }));
            SheetTexts {
                title: "Fiche d'audit",
                subtitle: format!("Exécution {}", a.run_id),
                metadata_only: (!a.texts_kept).then_some("Relevé de métadonnées seulement : l'historique n'a pas conservé les textes de cette exécution (historique désactivé, ou textes supprimés). Les fichiers joints et les exportations ne sont donc pas connus."),
                rows,
                sections: vec![
                    Section { title: "Fichiers joints", header: ["Fichier", "Empreinte SHA-256", "Taille"], widths: [28, 60, 12], rows: files, empty: if a.texts_kept { "Aucun fichier joint." } else { "Non connus : métadonnées seulement." }, technical: [true, true, false] },
                    Section { title: "Exportations", header: ["Date", "Format", "Fichier"], widths: [24, 11, 65], rows: exports, empty: if a.texts_kept { "Aucune exportation." } else { "Non connues : métadonnées seulement." }, technical: [false, true, true] },
                    Section { title: "Relu et validé par", header: ["Nom", "Fonction", "Date"], widths: [35, 45, 20], rows: approvals, empty: "Aucune validation n'est enregistrée.", technical: [false; 3] },
                ],
                note: format!("Fiche établie par Katib le {generated} à partir de l'historique de cet ordinateur. Elle ne contient ni les textes envoyés, ni la réponse, ni les données personnelles remplacées."),
            }
        }
        Lang::Ar => {
            let mut rows = vec![
                ("رقم العملية", a.run_id.clone()),
                ("الحالة", status(a, lang)),
                ("البداية", stamp(&a.started)),
                ("النهاية", a.finished.as_deref().map(stamp).unwrap_or_else(dash)),
                ("المدة", a.duration_ms.map(|d| seconds(d, lang)).unwrap_or_else(dash)),
                ("نموذج الوثيقة", template),
                ("إصدار النموذج", a.template_version.clone()),
                ("بصمة النموذج (SHA-256)", a.template_hash.clone()),
                ("الخدمة", profile(a, lang)),
                ("نموذج الذكاء الاصطناعي", if a.model.is_empty() { dash() } else { a.model.clone() }),
                ("معالجة المعطيات", data_class(&a.data_class, lang)),
                ("استبدال المعطيات الشخصية برموز", masked(a, lang)),
                ("الاستثناء", override_line(a, lang)),
            ];
            if let Some(n) = numbers {
                rows.push(("الرقم في سجل البريد الصادر", n));
            }
            rows.push(("محتوى السجل", if a.texts_kept { "كامل (النصوص محفوظة بهذا الحاسوب)".into() } else { "المعطيات الوصفية فقط".into() }));
            SheetTexts {
                title: "بطاقة تتبع الوثيقة",
                subtitle: format!("العملية {}", a.run_id),
                metadata_only: (!a.texts_kept).then_some("بيان يقتصر على المعطيات الوصفية: لم يحتفظ السجل بنصوص هذه العملية (السجل معطل، أو حُذفت النصوص)، ولذلك فالملفات المرفقة والوثائق المصدرة غير معروفة."),
                rows,
                sections: vec![
                    Section { title: "الملفات المرفقة", header: ["الملف", "البصمة SHA-256", "الحجم"], widths: [28, 60, 12], rows: files, empty: if a.texts_kept { "لا يوجد أي ملف مرفق." } else { "غير معروفة: المعطيات الوصفية فقط." }, technical: [true, true, false] },
                    Section { title: "الوثائق المصدرة", header: ["التاريخ", "الصيغة", "الملف"], widths: [24, 11, 65], rows: exports, empty: if a.texts_kept { "لم تُصدّر أي وثيقة." } else { "غير معروفة: المعطيات الوصفية فقط." }, technical: [false, true, true] },
                    Section { title: "راجعها وصادق عليها", header: ["الاسم", "الصفة", "التاريخ"], widths: [35, 45, 20], rows: approvals, empty: "لم تسجل أي مصادقة.", technical: [false; 3] },
                ],
                note: format!("أعد كاتب هذه البطاقة بتاريخ {generated} انطلاقا من سجل هذا الحاسوب، ولا تتضمن النصوص المرسلة ولا الجواب ولا المعطيات الشخصية المستبدلة."),
            }
        }
        Lang::En => {
            let mut rows = vec![
                ("Run", a.run_id.clone()),
                ("Status", status(a, lang)),
                ("Started", stamp(&a.started)),
                ("Finished", a.finished.as_deref().map(stamp).unwrap_or_else(dash)),
                ("Duration", a.duration_ms.map(|d| seconds(d, lang)).unwrap_or_else(dash)),
                ("Template", template),
                ("Template version", a.template_version.clone()),
                ("Template hash (SHA-256)", a.template_hash.clone()),
                ("Profile", profile(a, lang)),
                ("AI model", if a.model.is_empty() { dash() } else { a.model.clone() }),
                ("Data processing", data_class(&a.data_class, lang)),
                ("Pseudonymisation", masked(a, lang)),
                ("Override", override_line(a, lang)),
            ];
            if let Some(n) = numbers {
                rows.push(("Outgoing-mail register N°", n));
            }
            rows.push(("History content", if a.texts_kept { "complete (texts kept on this computer)".into() } else { "metadata only".into() }));
            SheetTexts {
                title: "Audit record",
                subtitle: format!("Run {}", a.run_id),
                metadata_only: (!a.texts_kept).then_some("Metadata-only record: the history did not keep this run's texts (history off, or texts deleted), so the attached files and the exports are not known."),
                rows,
                sections: vec![
                    Section { title: "Attached files", header: ["File", "SHA-256", "Size"], widths: [28, 60, 12], rows: files, empty: if a.texts_kept { "No attached file." } else { "Not known: metadata only." }, technical: [true, true, false] },
                    Section { title: "Exports", header: ["Date", "Format", "File"], widths: [24, 11, 65], rows: exports, empty: if a.texts_kept { "No export." } else { "Not known: metadata only." }, technical: [false, true, true] },
                    Section { title: "Reviewed and approved by", header: ["Name", "Position", "Date"], widths: [35, 45, 20], rows: approvals, empty: "No approval is recorded.", technical: [false; 3] },
                ],
                note: format!("Record drawn up by Katib on {generated} from this computer's history. It holds neither the texts sent, nor the answer, nor the personal data that was replaced."),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::write_audit_sheet;

    fn sheet() -> AuditSheet {
        AuditSheet {
            run_id: "R2026-11-23-0004".into(),
            status: "failed".into(),
            error_code: Some("provider.auth".into()),
            started: "2026-11-23 09:05".into(),
            finished: Some("2026-11-23 09:06".into()),
            duration_ms: Some(12_400),
            template_id: "reponse-citoyen".into(),
            template_title: "Réponse à un citoyen".into(),
            template_version: "2".into(),
            template_hash: "ab".repeat(32),
            profile: "openai".into(),
            model: "gpt-4o".into(),
            data_class: "cloud".into(),
            masked: vec![("NOM".into(), 2), ("CIN".into(), 1)],
            override_: None,
            texts_kept: true,
            inputs: vec![SheetInput { name: "lettre.txt".into(), sha256: "cd".repeat(32), bytes: 2560 }],
            exports: vec![],
            approvals: vec![],
            register_numbers: vec![],
            generated: "2026-11-24 10:00".into(),
        }
    }

    #[test]
    fn rows_in_each_language() {
        let a = sheet();
        let fr = texts(&a, Lang::Fr);
        let get = |t: &SheetTexts, l: &str| t.rows.iter().find(|(k, _)| *k == l).map(|(_, v)| v.clone()).unwrap();
        assert_eq!(get(&fr, "Statut"), "échec (provider.auth)");
        assert_eq!(get(&fr, "Début"), "23/11/2026 09:05");
        assert_eq!(get(&fr, "Durée"), "12,4 s");
        assert_eq!(get(&fr, "Modèle de document"), "Réponse à un citoyen (reponse-citoyen)");
        assert_eq!(get(&fr, "Pseudonymisation"), "appliquée : Noms : 2 ; N° de CIN : 1");
        assert_eq!(get(&fr, "Dérogation"), "aucune");
        assert!(fr.metadata_only.is_none());
        assert_eq!(fr.sections[0].rows, vec![["lettre.txt".to_string(), "cd".repeat(32), "2,5 Ko".to_string()]]);
        let ar = texts(&a, Lang::Ar);
        assert_eq!(ar.title, "بطاقة تتبع الوثيقة");
        assert_eq!(get(&ar, "استبدال المعطيات الشخصية برموز"), "مطبق: الأسماء: 2؛ أرقام البطاقة الوطنية: 1");
    }

    #[test]
    fn an_override_and_a_metadata_only_record_are_said() {
        let mut a = sheet();
        a.override_ = Some(SheetOverride { by: "Karim Alaoui".into(), by_profile: false, at: "2026-11-23 09:05".into() });
        a.masked.clear();
        a.texts_kept = false;
        a.inputs.clear();
        let fr = texts(&a, Lang::Fr);
        let get = |l: &str| fr.rows.iter().find(|(k, _)| *k == l).map(|(_, v)| v.clone()).unwrap();
        assert_eq!(get("Dérogation"), "envoi des données personnelles non masquées vers le profil « openai », confirmé par Karim Alaoui le 23/11/2026 09:05");
        assert!(get("Pseudonymisation").starts_with("non appliquée"));
        assert_eq!(get("Contenu de l'historique"), "métadonnées seulement");
        assert!(fr.metadata_only.is_some());
        assert_eq!(fr.sections[0].empty, "Non connus : métadonnées seulement.");
    }

    #[test]
    fn only_docx() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_audit_sheet(&dir.path().join("fiche.md"), &sheet(), Lang::Fr, false).unwrap_err();
        assert_eq!(e.code(), "export.unsupported");
    }
}
