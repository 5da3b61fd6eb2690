//! The export of an answer: the model's body inside the frame the template's fields and the
//! settings give (letterhead, N°, place and date, sender and addressee, signatory with their
//! delegation and name, copies), or a report's title and "prepared with" line.
//!
//! The signatory rule: a signatory chosen among the configured ones (`[[signatories]]`) brings
//! its function, name and delegation line; a typed function gets a name only when it is a
//! configured function (or the legacy `[letterhead] signature_title`), so the President's name is
//! never printed under "Le Directeur Général des Services".

use std::collections::BTreeMap;

use super::prepare::Resolved;
use crate::config::Settings;
use crate::export::{prepared_with_line, AuditAnnex, ExportDoc, Letterhead, LetterParts};
use crate::templates::{Part, Template};
use crate::Lang;

/// How an export is dressed, beyond the template's fields.
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    /// The model that wrote the answer, for the "prepared with" line.
    pub model: Option<String>,
    /// The date of the run (`YYYY-MM-DD`), for the "prepared with" line.
    pub today: String,
    /// Leave the "prepared with" line out even if the settings ask for it.
    pub no_prepared_with: bool,
    /// Reports: a table of contents.
    pub toc: bool,
    /// The history's id of the run, written into the document's properties.
    pub run_id: Option<String>,
    /// The audit page ("Relu et validé par") to end the document with
    /// ([`Workbench::audit_annex`](super::Workbench::audit_annex) builds it from the history).
    pub audit: Option<AuditAnnex>,
}

/// A function, name and delegation line for the signature block.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Signature {
    pub function: Option<String>,
    pub name: Option<String>,
    pub delegation: Option<String>,
}

fn same(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    norm(a) == norm(b)
}

/// The signature block for the signatory field's `value` (empty: the settings' default).
pub fn signature(value: Option<&str>, settings: &Settings, lang: Lang) -> Signature {
    let lh = &settings.letterhead;
    let pick = |fr: &Option<String>, ar: &Option<String>| {
        let v = if lang == Lang::Ar { ar.clone().or_else(|| fr.clone()) } else { fr.clone() };
        v.filter(|v| !v.trim().is_empty())
    };
    let legacy_title = pick(&lh.signature_title, &lh.signature_title_ar);
    let legacy_name = pick(&lh.signature_name, &lh.signature_name_ar);
    let value = value.map(str::trim).filter(|v| !v.is_empty());
    if let Some(s) = value.and_then(|v| settings.signatory(v)) {
        return Signature {
            function: Some(s.function_in(lang).to_string()),
            name: s.name_in(lang).map(str::to_string),
            delegation: s.delegation_in(lang).map(str::to_string),
        };
    }
    match value {
        // Typed: a name only when the function is a configured one.
        Some(typed) => {
            if let Some(s) = settings.signatories.iter().find(|s| same(s.function_in(lang), typed) || same(&s.function, typed)) {
                return Signature {
                    function: Some(typed.to_string()),
                    name: s.name_in(lang).map(str::to_string),
                    delegation: s.delegation_in(lang).map(str::to_string),
                };
            }
            let name = legacy_title.as_deref().filter(|t| same(t, typed)).and(legacy_name);
            Signature { function: Some(typed.to_string()), name, delegation: None }
        }
        None => Signature { function: legacy_title.clone(), name: legacy_title.and(legacy_name), delegation: None },
    }
}

/// The frame parts of a letter, note or act from its fields, the settings filling what the
/// fields leave empty (place, signatory).
pub fn letter_parts(tpl: &Template, r: &Resolved, settings: &Settings) -> Option<LetterParts> {
    if !tpl.output.is_framed() {
        return None;
    }
    let values: &BTreeMap<String, String> = &r.values;
    let lang = r.language;
    // A part filled by a select shows the chosen option's label in the document's language.
    let get = |p: Part| {
        let field = tpl.part_field(p)?;
        let v = values.get(field).map(|v| v.trim()).filter(|v| !v.is_empty())?;
        let label = tpl.field(field).and_then(|f| f.options.iter().find(|o| o.value() == v)).map(|o| o.label(lang));
        Some(label.unwrap_or(v).to_string())
    };
    let lh = &settings.letterhead;
    let sig = signature(get(Part::Signataire).as_deref(), settings, lang);
    let ville = get(Part::Ville).or_else(|| {
        let v = if lang == Lang::Ar { lh.ville_ar.clone().or_else(|| lh.ville.clone()) } else { lh.ville.clone() };
        v.filter(|v| !v.trim().is_empty())
    });
    Some(LetterParts {
        ville,
        date: get(Part::Date),
        reference: get(Part::Reference),
        their_ref: get(Part::Ref),
        expediteur: get(Part::Expediteur),
        destinataire: get(Part::Destinataire),
        objet: get(Part::Objet),
        pieces_jointes: get(Part::PiecesJointes),
        signataire: sig.function,
        signataire_nom: sig.name,
        delegation: get(Part::Delegation).or(sig.delegation),
        sous_couvert: get(Part::SousCouvert),
        titre: get(Part::Titre),
        signatures: get(Part::Signatures),
        copies: get(Part::Copies),
    })
}

/// The export of `answer` for a resolved run of `tpl`, with the settings applied: letterhead,
/// logo and signatory for framed documents; the "prepared with" line for reports unless
/// switched off.
pub fn export_doc<'a>(tpl: &Template, r: &Resolved, answer: &'a str, settings: &Settings, opts: &ExportOptions) -> ExportDoc<'a> {
    let mut doc = ExportDoc {
        title: Some(tpl.title.get(r.language).to_string()),
        letter: letter_parts(tpl, r, settings),
        run_id: opts.run_id.clone(),
        audit: opts.audit.clone(),
        ..ExportDoc::new(answer, r.language, tpl.output)
    };
    if let Some(l) = &doc.letter {
        let lh = &settings.letterhead;
        doc.letterhead = Some(Letterhead {
            fr: lh.fr.clone(),
            ar: lh.ar.clone(),
            logo: lh.logo.clone(),
            // The name printed under this letter's signatory, per the rule above.
            signature_name: l.signataire_nom.clone(),
            hijri: lh.hijri,
        });
    } else {
        doc.toc = opts.toc;
        if settings.prepared_with && !opts.no_prepared_with {
            let title = tpl.title.get(r.language);
            doc.prepared_with = Some(prepared_with_line(title, opts.model.as_deref(), &opts.today, r.language));
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{LetterheadSettings, Signatory};

    fn settings() -> Settings {
        Settings {
            letterhead: LetterheadSettings {
                signature_title: Some("Le Président du Conseil Communal".into()),
                signature_name: Some("Mohammed Benali".into()),
                ..Default::default()
            },
            signatories: vec![Signatory {
                id: "dgs".into(),
                function: "Le Directeur Général des Services".into(),
                function_ar: Some("المدير العام للمصالح".into()),
                name: Some("Karim Alaoui".into()),
                name_ar: Some("كريم العلوي".into()),
                delegation: Some("Pour le Président et par délégation".into()),
                delegation_ar: Some("عن الرئيس وبتفويض منه".into()),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_name_goes_only_under_its_own_function() {
        let s = settings();
        let dgs = signature(Some("dgs"), &s, Lang::Ar);
        assert_eq!(dgs.function.as_deref(), Some("المدير العام للمصالح"));
        assert_eq!(dgs.name.as_deref(), Some("كريم العلوي"));
        assert_eq!(dgs.delegation.as_deref(), Some("عن الرئيس وبتفويض منه"));
        // Typed: the President's name only under the President's function.
        let typed = signature(Some("Le Chef de la Division technique"), &s, Lang::Fr);
        assert_eq!(typed, Signature { function: Some("Le Chef de la Division technique".into()), name: None, delegation: None });
        let pres = signature(Some("le président du conseil  communal"), &s, Lang::Fr);
        assert_eq!(pres.name.as_deref(), Some("Mohammed Benali"));
        let typed_dgs = signature(Some("Le Directeur Général des Services"), &s, Lang::Fr);
        assert_eq!(typed_dgs.name.as_deref(), Some("Karim Alaoui"));
        // Empty: the configured default signatory, with its name.
        assert_eq!(signature(None, &s, Lang::Fr).name.as_deref(), Some("Mohammed Benali"));
    }
}
