#!/usr/bin/env python3
"""Write the sheets of the mail-merge samples and of katib-merge's tests, with openpyxl (an
independent writer: Katib reads them with its own streaming reader).

Writes (from the repository root):
  samples/inputs/membres-commission-budget.xlsx   the members of a commune's budget commission,
                                                  under a title row (the convocation sample)
  samples/inputs/demandes-subvention-2027.xlsx    associations' grant applications, with dates
                                                  (the per-row acknowledgement sample)
  crates/merge/tests/fixtures/vide.xlsx           a header and no data row
  crates/merge/tests/fixtures/sans-entete.xlsx    numbers only: no header row
  crates/merge/tests/fixtures/doublons.xlsx       two columns named "Nom"
  crates/merge/tests/fixtures/erreurs.xlsx        a formula in error (#DIV/0!), recalculated by
                                                  LibreOffice so the error is the cached value
  crates/merge/tests/fixtures/incomplets.xlsx     rows whose addressee or appel is empty
  crates/merge/tests/fixtures/noms.xlsx           names Windows refuses, reserved device names,
                                                  names equal but for case, a very long name

All persons and associations are fictional. Requirements: openpyxl, and LibreOffice (`soffice`)
for erreurs.xlsx. Run (a venv is enough, nothing is installed system-wide):

    python3 -m venv target/venv-merge && target/venv-merge/bin/pip install openpyxl
    target/venv-merge/bin/python tests/tools/make_merge_inputs.py

Deterministic: the workbook dates are pinned and the archives rewritten with a fixed entry date.
"""

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ROOT / "samples" / "inputs"
FIXTURES = ROOT / "crates" / "merge" / "tests" / "fixtures"
STAMP = dt.datetime(2026, 11, 20, 9, 0, 0)


def pin(path: Path) -> None:
    """Rewrites the archive with every entry dated STAMP, in a fixed order."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=STAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    os.replace(tmp, path)


def save(wb: openpyxl.Workbook, path: Path) -> None:
    wb.properties.creator = "Katib"
    wb.properties.created = STAMP
    wb.properties.modified = STAMP
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    pin(path)
    print("wrote", path.relative_to(ROOT))


def sheet(title, header, rows, title_row=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    if title_row:
        ws.append([title_row])
        ws.append([])
    ws.append(header)
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    return wb


MEMBRES = [
    ("Monsieur", "Youssef", "Amrani", "Vice-président de la Commission", "Monsieur le Vice-président"),
    ("Madame", "Nadia", "El Idrissi", "Rapporteure de la Commission", "Madame la Rapporteure"),
    ("Monsieur", "Karim", "Benjelloun", "Conseiller communal, membre de la Commission", "Monsieur le Conseiller"),
    ("Madame", "Salma", "Tazi", "Conseillère communale, membre de la Commission", "Madame la Conseillère"),
    ("Monsieur", "Hamid", "Ouazzani", "Conseiller communal, membre de la Commission", "Monsieur le Conseiller"),
    ("Monsieur", "Abdelkader", "Berrada", "Conseiller communal, membre de la Commission", "Monsieur le Conseiller"),
    ("Madame", "Khadija", "Alaoui", "Conseillère communale, membre de la Commission", "Madame la Conseillère"),
]


def membres():
    wb = sheet(
        "Membres",
        ["Civilité", "Prénom", "Nom", "Qualité", "Appel"],
        MEMBRES,
        title_row="Commune d'Oujda – Commission du budget, des finances et de la programmation – Liste des membres au 20 novembre 2026",
    )
    save(wb, INPUTS / "membres-commission-budget.xlsx")


DEMANDES = [
    ("4712", dt.date(2026, 11, 12), "Monsieur le Président", "Association Nour pour l'éducation et le développement", "Hay Sidi Maafa, 60000 Oujda",
     "Soutien scolaire dans les quartiers de Sidi Maafa", "Votre lettre du 10 novembre 2026"),
    ("4718", dt.date(2026, 11, 12), "Madame la Présidente", "Association Al Amal des femmes artisanes", "Quartier Lazaret, 60000 Oujda",
     "Formation des femmes artisanes aux métiers de la broderie et du tissage", "Votre lettre du 11 novembre 2026"),
    ("4731", dt.date(2026, 11, 13), "Monsieur le Président", "Association Oujda Sport et Citoyenneté", "Hay Al Qods, 60000 Oujda",
     "Tournoi de quartier de football des jeunes, édition 2027", "Votre lettre du 12 novembre 2026"),
    ("4744", dt.date(2026, 11, 16), "Madame la Présidente", "Association Ennakhil pour l'environnement", "Boulevard Mohammed V, 60000 Oujda",
     "Plantation et entretien d'arbres dans les écoles primaires de la commune", "Votre lettre du 14 novembre 2026"),
    ("4752", dt.date(2026, 11, 17), "Monsieur le Président", "Association Ibn Khaldoun pour la lecture publique", "Hay Andalous, 60000 Oujda",
     "Caravane de lecture dans les bibliothèques de quartier", "Votre lettre du 16 novembre 2026"),
]


def demandes():
    wb = sheet(
        "Demandes",
        ["N° d'enregistrement", "Date de réception", "Appel", "Association", "Adresse", "Programme", "Lettre de l'association"],
        DEMANDES,
    )
    ws = wb.active
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        for c in row:
            c.number_format = "DD/MM/YYYY"
    save(wb, INPUTS / "demandes-subvention-2027.xlsx")


def fixtures():
    head = ["Civilité", "Prénom", "Nom", "Qualité", "Appel"]
    save(sheet("Membres", head, []), FIXTURES / "vide.xlsx")
    save(sheet("Chiffres", [2024, 2025, 2026], [[1, 2, 3], [4, 5, 6]]), FIXTURES / "sans-entete.xlsx")
    save(sheet("Membres", ["Civilité", "Nom", "Nom", "Appel"], [["Monsieur", "Amrani", "Youssef", "Monsieur le Conseiller"]]), FIXTURES / "doublons.xlsx")
    rows = [list(m) for m in MEMBRES[:4]]
    rows[2][4] = None  # no appel
    rows[3][2] = None  # no name
    save(sheet("Membres", head, rows), FIXTURES / "incomplets.xlsx")
    names = [
        ("Monsieur", "Ahmed", "CON", "Conseiller communal", "Monsieur le Conseiller"),
        ("Madame", "Leila", "Ben/Ali: \"Lalla\" <Oujda>?", "Conseillère communale", "Madame la Conseillère"),
        ("Monsieur", "Omar", "ALAMI", "Conseiller communal", "Monsieur le Conseiller"),
        ("Monsieur", "Omar", "Alami", "Conseiller communal", "Monsieur le Conseiller"),
        ("Monsieur", "Driss", "lpt1", "Conseiller communal", "Monsieur le Conseiller"),
        ("Madame", "Fatima", "Zahra Ait " + "Oumghar " * 20, "Conseillère communale", "Madame la Conseillère"),
        ("Monsieur", "Mustapha", "Saidi. . .", "Conseiller communal", "Monsieur le Conseiller"),
    ]
    save(sheet("Membres", head, names), FIXTURES / "noms.xlsx")
    errors()


def errors():
    """A column of amounts with a #DIV/0!, saved by LibreOffice so its value is cached."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("LibreOffice (soffice) is needed for erreurs.xlsx")
    wb = sheet("Membres", ["Civilité", "Prénom", "Nom", "Qualité", "Appel", "Indemnité"], [list(m) + [1200] for m in MEMBRES[:3]])
    ws = wb.active
    ws["F3"] = "=F2/0"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "erreurs.xlsx"
        wb.save(src)
        out = Path(tmp) / "out"
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(src)],
                       check=True, capture_output=True)
        dst = FIXTURES / "erreurs.xlsx"
        shutil.copy(out / "erreurs.xlsx", dst)
        pin(dst)
        print("wrote", dst.relative_to(ROOT))


if __name__ == "__main__":
    membres()
    demandes()
    fixtures()
