//! `katib pack new DIR`: a small pack to start from, every line commented (in French, the
//! trainers' working language), that validates as written: one exercise on the built-in
//! "reponse-citoyen" template, its input file, two saved answers (one deliberately flawed), a
//! rubric and a trainer guide.

use std::path::{Path, PathBuf};

use crate::error::{Result, WorkshopError};

const MANIFEST: &str = r#"# Manifeste du pack d'exercices (format décrit dans docs/packs.md).
format = 1                      # version du format de pack : ne pas changer
id = "ID_DU_PACK"               # identifiant : minuscules, chiffres et tirets
version = "1.0"                 # version du pack, à augmenter à chaque diffusion
# requires = "0.1.0"            # facultatif : la plus ancienne version de Katib qui l'ouvre

title = { fr = "Mon atelier", ar = "ورشتي", en = "My workshop" }
description = { fr = "Ce que le pack fait travailler.", ar = "ما تشتغل عليه هذه الحزمة." }
objectives = [
  { fr = "Rédiger une réponse à un citoyen avec Katib et la vérifier.", ar = "تحرير جواب على مواطن بواسطة كاتب والتحقق منه." },
]
audience = { fr = "Agents des collectivités territoriales", ar = "موظفو الجماعات الترابية" }
duration = { fr = "Une demi-journée", ar = "نصف يوم" }
languages = ["fr", "ar"]        # langues des exercices
authors = ["Nom du formateur"]
guide = "guide.md"              # le guide du formateur (Markdown)
"#;

const GUIDE: &str = r#"# Guide du formateur

## Déroulé
1. Exercice 1 (45 min) : chaque participant charge l'exercice, génère la réponse (mode
   entraînement, sans réseau), la corrige, puis lance « Vérifier ».

## Réponses enregistrées et leurs défauts
- `answers/01-reponse.a.md` : réponse correcte.
- `answers/01-reponse.b.md` : défaut volontaire, un article de loi inventé (« article 12 du
  dahir... ») ; la grille le signale (références juridiques).

Le participant reçoit l'une ou l'autre selon son nom (voir docs/packs.md, « Quelle variante »).
"#;

const EXERCISE: &str = r#"# Un exercice : consigne, modèle, entrées, réponses enregistrées, grille.
id = "reponse-eclairage"        # identifiant unique dans le pack
day = 1                         # jour du programme (facultatif)
team = false                    # true : exercice d'équipe, relu par un pair

title = { fr = "Répondre à une réclamation", ar = "الجواب على شكاية" }
instructions = { fr = """
Un citoyen signale une panne d'éclairage public. Chargez l'exercice, générez la réponse,
puis relisez-la : les faits, les dates, la formule de politesse. Corrigez et vérifiez.""", ar = """
يشتكي مواطن من عطب في الإنارة العمومية. حملوا التمرين، وولدوا الجواب، ثم راجعوه:
الوقائع والتواريخ وصيغة الاختتام. صححوا ثم تحققوا.""" }

template = "reponse-citoyen"    # un modèle intégré, ou l'id d'un modèle du dossier templates/
language = "fr"                 # langue attendue de la réponse

[values]                        # les champs du formulaire (voir `katib templates show ID`)
langue = "fr"
nature_reponse = "favorable"    # favorable, refus, partiel, transmission ou complement
objet = "Réponse à votre réclamation relative à l'éclairage public de la rue Ibn Sina"
destinataire = "Madame Salma Idrissi, rue Ibn Sina, Oujda"
expediteur = "Le Président du Conseil de la Commune d'Oujda"
elements = """
- Réclamation fondée : 4 lampadaires hors service, constatés le 3 mars 2027.
- Réparation programmée le 10 mars 2027 par le Service de l'éclairage public.
- Remercier la citoyenne pour son signalement."""
date = "2027-03-05"
signataire = "Le Président du Conseil de la Commune d'Oujda"

[files]                         # les fichiers joints, relatifs au dossier du pack
lettre = "files/lettre.txt"

# Réponses enregistrées : elles rejouent sans réseau pour ces entrées exactes.
[[answers]]
file = "answers/01-reponse.a.md"
date = "2027-03-05"             # la date avec laquelle la réponse rejoue
template_version = 2            # la version du modèle pour laquelle elle a été écrite
                                # (katib templates show ID)

[[answers]]
file = "answers/01-reponse.b.md"
date = "2027-03-05"
template_version = 2
flaw = { fr = "Article de loi inventé (« article 12 du dahir... »).", ar = "مادة قانونية مختلقة." }

# La grille : des vérifications automatiques...
[[checks]]
type = "closing"
addressee = "citizen"           # superior | peer | citizen | company

[[checks]]
type = "length"
min = 60
max = 300

[[checks]]
type = "facts"
facts = ["10 mars 2027", ["4 lampadaires", "quatre lampadaires"]]

[[checks]]
type = "references"
allowed = []                    # aucune référence juridique attendue

[[checks]]
type = "register"

[[checks]]
type = "language"
lang = "fr"

# ... et des points que le participant coche lui-même.
[[self_check]]
fr = "J'ai vérifié chaque date dans les éléments de réponse."
ar = "تحققت من كل تاريخ في عناصر الجواب."
"#;

const LETTER: &str = "Salma Idrissi\nrue Ibn Sina, Oujda\n\nOujda, le 1er mars 2027\n\nMonsieur le Président,\n\nJ'ai l'honneur de vous signaler que quatre lampadaires de la rue Ibn Sina sont éteints depuis le 20 février 2027.\n\nJe vous prie de bien vouloir faire procéder à leur réparation.\n\nVeuillez agréer, Monsieur le Président, l'expression de ma haute considération.\n\nSalma Idrissi\n";

const ANSWER_A: &str = "Madame,\n\nEn réponse à votre lettre du 1er mars 2027, par laquelle vous signalez que des lampadaires de la rue Ibn Sina sont éteints, j'ai l'honneur de vous informer que votre réclamation a été jugée fondée.\n\nLes services communaux ont constaté le 3 mars 2027 que 4 lampadaires sont hors service. Leur réparation est programmée le 10 mars 2027 par le Service de l'éclairage public.\n\nJe vous remercie d'avoir porté ce dysfonctionnement à la connaissance de la Commune.\n\nVeuillez agréer, Madame, l'expression de mes salutations distinguées.\n";

// The flawed answer is the sound one with one invented reference and nothing else, so the rubric
// catches exactly the documented flaw.
const ANSWER_B: &str = "Madame,\n\nEn réponse à votre lettre du 1er mars 2027, par laquelle vous signalez que des lampadaires de la rue Ibn Sina sont éteints, j'ai l'honneur de vous informer que, conformément à l'article 12 du dahir relatif à l'éclairage public, votre réclamation a été jugée fondée.\n\nLes services communaux ont constaté le 3 mars 2027 que 4 lampadaires sont hors service. Leur réparation est programmée le 10 mars 2027 par le Service de l'éclairage public.\n\nJe vous remercie d'avoir porté ce dysfonctionnement à la connaissance de la Commune.\n\nVeuillez agréer, Madame, l'expression de mes salutations distinguées.\n";

/// Writes the starter pack into `dir` (which must not exist, or be empty), with `id` as the
/// pack's id. Returns the files written.
pub fn scaffold(dir: &Path, id: &str) -> Result<Vec<PathBuf>> {
    if !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') || id.is_empty() {
        return Err(WorkshopError::Usage(format!("pack id '{id}' must use a-z, 0-9 and -")));
    }
    if dir.exists() && std::fs::read_dir(dir).map_err(|e| WorkshopError::io(dir, e))?.next().is_some() {
        return Err(WorkshopError::Exists { path: dir.into() });
    }
    let files = [
        ("pack.toml", MANIFEST.replace("ID_DU_PACK", id)),
        ("guide.md", GUIDE.to_string()),
        ("exercises/01-reponse.toml", EXERCISE.to_string()),
        ("files/lettre.txt", LETTER.to_string()),
        ("answers/01-reponse.a.md", ANSWER_A.to_string()),
        ("answers/01-reponse.b.md", ANSWER_B.to_string()),
    ];
    let mut out = Vec::new();
    for (rel, text) in files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| WorkshopError::io(parent, e))?;
        }
        katib_core::fsutil::write_atomic(&p, text.as_bytes(), false).map_err(|e| WorkshopError::io(&p, e))?;
        out.push(p);
    }
    std::fs::create_dir_all(dir.join("templates")).map_err(|e| WorkshopError::io(dir, e))?;
    Ok(out)
}
