//! The kinds of personal data Katib recognises, their placeholder tags ([NOM_1], [CIN_1]...), and
//! the guess of a kind from a form field's or a sheet column's name.
//!
//! Deliberately not here: how each kind is found (see `detect`) or numbered (see `pseudonymizer`).

use serde::{Deserialize, Serialize};

use crate::fold;

/// A kind of personal data. Its tag is the word of its placeholder: `Kind::Nom` gives `[NOM_1]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A person's name (first name, surname or both).
    Nom,
    /// Carte nationale d'identité électronique number (1-2 letters + 5-6 digits).
    Cin,
    /// A phone number (Moroccan or international).
    Tel,
    /// An e-mail address.
    Email,
    /// Moroccan RIB: 24 digits, key checked.
    Rib,
    /// An IBAN, mod-97 checked.
    Iban,
    /// Identifiant commun de l'entreprise: 15 digits, mod-97 checked.
    Ice,
    /// CNSS registration number (with its keyword).
    Cnss,
    /// Identifiant fiscal (with its keyword).
    If,
    /// Massar pupil code: one letter + 9 digits (with its keyword).
    Massar,
    /// A date of birth (with its keyword).
    DateNaissance,
    /// A postal address (with a house number, or in an address block).
    Adresse,
}

impl Kind {
    /// Every kind, in the order reports list them.
    pub const ALL: [Kind; 12] = [
        Kind::Nom,
        Kind::Cin,
        Kind::Tel,
        Kind::Email,
        Kind::Rib,
        Kind::Iban,
        Kind::Ice,
        Kind::Cnss,
        Kind::If,
        Kind::Massar,
        Kind::DateNaissance,
        Kind::Adresse,
    ];

    /// The word of the placeholder: `NOM`, `CIN`, `DATE_NAISSANCE`...
    pub fn tag(self) -> &'static str {
        match self {
            Kind::Nom => "NOM",
            Kind::Cin => "CIN",
            Kind::Tel => "TEL",
            Kind::Email => "EMAIL",
            Kind::Rib => "RIB",
            Kind::Iban => "IBAN",
            Kind::Ice => "ICE",
            Kind::Cnss => "CNSS",
            Kind::If => "IF",
            Kind::Massar => "MASSAR",
            Kind::DateNaissance => "DATE_NAISSANCE",
            Kind::Adresse => "ADRESSE",
        }
    }

    /// The placeholder for the n-th value of this kind: `[NOM_3]`.
    pub fn placeholder(self, n: u32) -> String {
        format!("[{}_{}]", self.tag(), n)
    }

    /// Parses a kind written in a template or a config file: its tag in any case ("cin", "NOM",
    /// "date_naissance"), its French or English name ("téléphone", "phone", "adresse", "address").
    pub fn parse(s: &str) -> Option<Kind> {
        let key: String = fold::fold_str(s).chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        Kind::from_label(&key.to_ascii_uppercase())
    }

    /// The kind named by a placeholder label already upper-cased, with accents and separators
    /// removed ("DATENAISSANCE"). Accepts the tags and the English names a model may translate
    /// them into.
    pub(crate) fn from_label(label: &str) -> Option<Kind> {
        Some(match label {
            "NOM" | "NAME" | "PERSONNE" | "PERSON" => Kind::Nom,
            "CIN" | "CNIE" => Kind::Cin,
            "TEL" | "TELEPHONE" | "PHONE" => Kind::Tel,
            "EMAIL" | "MAIL" | "COURRIEL" => Kind::Email,
            "RIB" => Kind::Rib,
            "IBAN" => Kind::Iban,
            "ICE" => Kind::Ice,
            "CNSS" => Kind::Cnss,
            "IF" => Kind::If,
            "MASSAR" => Kind::Massar,
            "DATENAISSANCE" | "DATEDENAISSANCE" | "DOB" | "BIRTHDATE" | "DATEOFBIRTH" => {
                Kind::DateNaissance
            }
            "ADRESSE" | "ADDRESS" => Kind::Adresse,
            _ => return None,
        })
    }

    /// Every label [`Kind::from_label`] accepts; the restorer holds back a chunk's tail only while
    /// it is a prefix of one of them.
    pub(crate) const LABELS: [&'static str; 25] = [
        "NOM",
        "NAME",
        "PERSONNE",
        "PERSON",
        "CIN",
        "CNIE",
        "TEL",
        "TELEPHONE",
        "PHONE",
        "EMAIL",
        "MAIL",
        "COURRIEL",
        "RIB",
        "IBAN",
        "ICE",
        "CNSS",
        "IF",
        "MASSAR",
        "DATENAISSANCE",
        "DATEDENAISSANCE",
        "DOB",
        "BIRTHDATE",
        "DATEOFBIRTH",
        "ADRESSE",
        "ADDRESS",
    ];

    /// Kinds whose values are identifiers with a fixed format: compared digit for digit, spacing
    /// and digit script ignored.
    pub(crate) fn is_identifier(self) -> bool {
        !matches!(self, Kind::Nom | Kind::Adresse | Kind::DateNaissance)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

/// Guesses what a form field or a sheet column holds from its name or header, in French, Arabic
/// or English: "N° CIN" and "رقم البطاقة الوطنية" give `Cin`, "Nom et prénom" and "الاسم الكامل" give
/// `Nom`, "Téléphone" gives `Tel`. `None` when the header names nothing personal ("Montant",
/// "Objet", "Commune"): such a column is left to the detectors.
pub fn column_kind(header: &str) -> Option<Kind> {
    let h = fold::fold_str(header);
    let words: Vec<&str> = h
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let contains = |s: &str| h.contains(s);
    // Order matters: "date de naissance" before "nom", "nom de la rue" is an address.
    if contains("naissance") || contains("birth") || contains("ازدياد") || contains("ميلاد") {
        return Some(Kind::DateNaissance);
    }
    if has("rib") || contains("compte bancaire") || contains("حساب بنكي") || contains("الحساب البنكي") {
        return Some(Kind::Rib);
    }
    if has("iban") {
        return Some(Kind::Iban);
    }
    if has("ice") {
        return Some(Kind::Ice);
    }
    if has("cnss") || contains("ضمان الاجتماعي") {
        return Some(Kind::Cnss);
    }
    if has("massar") || has("مسار") {
        return Some(Kind::Massar);
    }
    if has("if") || contains("identifiant fiscal") || contains("تعريف الضريبي") {
        return Some(Kind::If);
    }
    if has("cin")
        || has("cnie")
        || has("cni")
        || contains("c.i.n")
        || contains("carte nationale")
        || contains("carte d'identite")
        || contains("بطاقه الوطنيه")
        || contains("بطاقه التعريف")
        || contains("ب.ت.و")
    {
        return Some(Kind::Cin);
    }
    if has("tel")
        || has("telephone")
        || has("gsm")
        || has("portable")
        || has("mobile")
        || has("phone")
        || contains("هاتف")
    {
        return Some(Kind::Tel);
    }
    if has("email") || has("mail") || has("courriel") || contains("e-mail") || contains("بريد") {
        return Some(Kind::Email);
    }
    if has("adresse")
        || has("address")
        || has("domicile")
        || contains("عنوان")
        || contains("سكنى")
    {
        return Some(Kind::Adresse);
    }
    if has("nom")
        || has("prenom")
        || has("noms")
        || has("prenoms")
        || has("name")
        || has("demandeur")
        || has("demandeuse")
        || has("beneficiaire")
        || has("titulaire")
        || has("requerant")
        || has("requerante")
        || has("agent")
        || has("eleve")
        || contains("الاسم")
        || contains("النسب")
        || contains("اسم")
        || contains("المستفيد")
    {
        return Some(Kind::Nom);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_through_parse() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.tag()), Some(k), "{k:?}");
            let label: String = k.tag().chars().filter(|c| *c != '_').collect();
            assert!(Kind::LABELS.contains(&label.as_str()), "{label} missing from LABELS");
        }
        assert_eq!(Kind::parse("téléphone"), Some(Kind::Tel));
        assert_eq!(Kind::parse("date_naissance"), Some(Kind::DateNaissance));
        assert_eq!(Kind::parse("Adresse"), Some(Kind::Adresse));
        assert_eq!(Kind::parse("montant"), None);
        assert_eq!(Kind::DateNaissance.placeholder(2), "[DATE_NAISSANCE_2]");
    }

    #[test]
    fn headers_name_their_kind() {
        let cases = [
            ("N° CIN", Some(Kind::Cin)),
            ("C.I.N", Some(Kind::Cin)),
            ("رقم البطاقة الوطنية", Some(Kind::Cin)),
            ("Nom et prénom", Some(Kind::Nom)),
            ("الاسم الكامل", Some(Kind::Nom)),
            ("Téléphone", Some(Kind::Tel)),
            ("رقم الهاتف", Some(Kind::Tel)),
            ("Date de naissance", Some(Kind::DateNaissance)),
            ("تاريخ الازدياد", Some(Kind::DateNaissance)),
            ("Adresse", Some(Kind::Adresse)),
            ("العنوان", Some(Kind::Adresse)),
            ("RIB", Some(Kind::Rib)),
            ("Code Massar", Some(Kind::Massar)),
            ("Montant (DH)", None),
            ("Objet", None),
            ("Commune", None),
            ("Article budgétaire", None),
        ];
        for (h, k) in cases {
            assert_eq!(column_kind(h), k, "{h}");
        }
    }
}
