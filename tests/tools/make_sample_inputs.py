#!/usr/bin/env python3
"""Regenerate the binary sample inputs of the spreadsheet and summary templates.

Writes, into samples/inputs/ (from the repository root):
  tableau-budget-2026.xlsx     budget execution at 31/10/2026 (formulas + dates), used by
                               analyse-budget and aide-formule
  tableau-suivi-demandes.ods   follow-up of citizens' requests at 20/11/2026, used by synthese-suivi
  tableau-marches.csv          public contracts at 15/11/2026 (';', Windows-1252, decimal comma),
                               used by analyse-budget.csv
  tableau-equipement-ar-2026.xlsx  equipment expenditure at 30/09/2026, Arabic headers under a
                               title row, a #DIV/0! cell and a grand total that leaves out the last
                               row (the anomalies Katib's fact sheet names), used by analyse-budget.ar
  pv-reunion-conseil.docx      minutes of a committee meeting (headings, lists, tables), used by
                               synthese-pv
  rapport-activite-2025.pdf    activity report 2025 (4 pages), used by resume-rapport and note-synthese
  texte-arrete-ar.txt          Arabic regulatory decision (UTF-8), used by traduction
  texte-avis-travaux-fr.txt    French notice to the public (UTF-8), used by traduction.ar

All persons, companies and figures are fictional. The saved practice answers quote figures computed
from these files: if you change the data here, recompute and update the answers.

Requirements: python-docx and openpyxl, LibreOffice (`soffice`)
on PATH: it recalculates the formulas so that the cached values the reader sees are stored, converts
the follow-up table to .ods and the report to .pdf. Run:

    python3 tests/tools/make_sample_inputs.py   # with python-docx and openpyxl installed
    python3 tests/tools/make_sample_inputs.py tableau-equipement-ar-2026.xlsx   # only this one

Deterministic: fixed data, and the script pins every date LibreOffice and python-docx stamp (archive
entry dates, save dates, PDF creation date and ID), so reruns with the same LibreOffice version give
byte-identical files.
"""

import csv
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill

HERE = Path(__file__).resolve().parent
OUT = HERE.parent.parent / "samples" / "inputs"
FIXED = dt.datetime(2026, 11, 20, 9, 0, 0)
D = dt.date


# --------------------------------------------------------------------------------------------
# LibreOffice
# --------------------------------------------------------------------------------------------

def soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless (private profile), return the produced file."""
    profile = Path(tempfile.mkdtemp(prefix="katib-lo-profile-"))
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", fmt, "--outdir", str(outdir), str(src)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    produced = outdir / (src.stem + "." + fmt.split(":")[0])
    if not produced.exists():
        sys.exit(f"LibreOffice did not produce {produced}")
    return produced


def normalize_zip(path: Path):
    """Rewrite an Office archive with fixed entry dates, so that reruns give the same bytes."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w") as out:
        for info, data in entries:
            if info.filename in ("meta.xml", "docProps/core.xml"):  # LibreOffice stamps the save time
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?",
                              FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            out.writestr(fixed, data)
    tmp.replace(path)


def fix_props(wb):
    wb.properties.creator = "Commune d'Oujda"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.lastModifiedBy = "Commune d'Oujda"


# --------------------------------------------------------------------------------------------
# 1. Budget execution sheet (.xlsx with formulas and dates)
# --------------------------------------------------------------------------------------------

# (partie, imputation, rubrique, service, crédits ouverts, engagé, date du dernier engagement, ordonnancé)
F, E = "Fonctionnement", "Équipement"
DRH = "Division des ressources humaines"
DAA = "Division des affaires administratives"
DT_ = "Division technique"
PARC = "Service du parc automobile"
ENV = "Division de l'hygiène et de l'environnement"
DASC = "Division des affaires sociales et culturelles"
SI = "Service informatique"
JUR = "Service des affaires juridiques"
DAF = "Division des affaires financières"

BUDGET = [
    (F, "1.10.11", "Traitements et salaires du personnel titulaire", DRH, 168_000_000, 139_650_000, D(2026, 10, 27), 139_650_000),
    (F, "1.10.12", "Indemnités et primes du personnel", DRH, 21_500_000, 17_420_000, D(2026, 10, 27), 17_420_000),
    (F, "1.10.13", "Cotisations patronales (CMR, RCAR, CNOPS)", DRH, 24_800_000, 20_310_000, D(2026, 10, 27), 20_310_000),
    (F, "1.10.14", "Frais de formation du personnel", DRH, 700_000, 84_000, D(2026, 6, 15), 84_000),
    (F, "1.20.11", "Indemnités de déplacement", DAA, 450_000, 198_300, D(2026, 10, 12), 176_500),
    (F, "1.20.12", "Achat de fournitures de bureau", DAA, 900_000, 612_400, D(2026, 9, 21), 455_800),
    (F, "1.20.13", "Frais d'impression et de publication", DAA, 600_000, 548_200, D(2026, 10, 5), 402_100),
    (F, "1.20.14", "Frais de télécommunications", DAA, 1_200_000, 1_224_600, D(2026, 10, 20), 1_003_800),
    (F, "1.20.15", "Frais de réception et de cérémonies", DAA, 1_500_000, 1_386_000, D(2026, 10, 14), 1_102_500),
    (F, "1.20.16", "Consommation d'électricité – bâtiments administratifs", DAA, 4_200_000, 3_318_000, D(2026, 10, 22), 3_010_600),
    (F, "1.20.17", "Achat de fournitures informatiques", SI, 750_000, 221_600, D(2026, 7, 8), 118_900),
    (F, "1.30.11", "Consommation d'électricité – éclairage public", DT_, 38_000_000, 36_480_000, D(2026, 10, 22), 33_120_000),
    (F, "1.30.12", "Consommation d'eau – espaces verts et fontaines", DT_, 6_500_000, 5_915_000, D(2026, 10, 22), 5_330_500),
    (F, "1.30.13", "Entretien des bâtiments administratifs", DT_, 2_500_000, 940_000, D(2026, 8, 3), 612_300),
    (F, "1.30.14", "Entretien du réseau d'éclairage public", DT_, 7_000_000, 4_830_000, D(2026, 9, 29), 3_905_000),
    (F, "1.30.15", "Entretien de la voirie communale", DT_, 9_000_000, 5_130_000, D(2026, 10, 1), 4_050_700),
    (F, "1.30.16", "Location de matériel et d'engins", DT_, 1_600_000, 0, None, 0),
    (F, "1.40.11", "Achat de carburants et lubrifiants", PARC, 5_800_000, 5_510_000, D(2026, 10, 19), 4_640_300),
    (F, "1.40.12", "Entretien et réparation du parc automobile", PARC, 3_200_000, 2_176_500, D(2026, 10, 9), 1_650_200),
    (F, "1.40.13", "Assurance des véhicules", PARC, 1_100_000, 1_068_900, D(2026, 1, 26), 1_068_900),
    (F, "1.50.11", "Gestion déléguée de la collecte des déchets et du nettoiement", ENV, 96_000_000, 80_000_000, D(2026, 10, 30), 72_000_000),
    (F, "1.50.12", "Entretien des espaces verts", ENV, 8_500_000, 6_290_000, D(2026, 10, 16), 5_480_000),
    (F, "1.50.13", "Produits de désinfection et de dératisation", ENV, 1_300_000, 312_000, D(2026, 5, 11), 204_750),
    (F, "1.60.11", "Subventions aux associations", DASC, 6_000_000, 1_150_000, D(2026, 7, 2), 950_000),
    (F, "1.60.12", "Animation culturelle et sportive", DASC, 2_800_000, 1_960_000, D(2026, 10, 2), 1_540_000),
    (F, "1.70.11", "Frais d'actes, de justice et de contentieux", JUR, 1_800_000, 405_000, D(2026, 9, 10), 318_600),
    (F, "1.70.12", "Exécution des décisions de justice", JUR, 12_000_000, 3_600_000, D(2026, 4, 20), 3_600_000),
    (F, "1.80.11", "Remboursement des annuités d'emprunts (FEC)", DAF, 42_000_000, 31_500_000, D(2026, 10, 1), 31_500_000),
    (E, "2.10.11", "Travaux de revêtement et de réhabilitation de la voirie", DT_, 60_000_000, 41_850_000, D(2026, 7, 1), 18_600_000),
    (E, "2.10.12", "Extension et modernisation de l'éclairage public (LED)", DT_, 25_000_000, 23_750_000, D(2026, 3, 2), 9_875_000),
    (E, "2.10.13", "Signalisation routière et feux tricolores", DT_, 5_000_000, 3_900_000, D(2026, 8, 17), 2_145_000),
    (E, "2.10.14", "Études techniques et topographiques", DT_, 4_000_000, 1_360_000, D(2026, 4, 20), 680_000),
    (E, "2.10.15", "Réhabilitation des marchés de proximité", DT_, 9_500_000, 2_850_000, D(2026, 6, 15), 950_000),
    (E, "2.10.16", "Mise à niveau de l'accessibilité des bâtiments administratifs", DT_, 3_500_000, 420_000, D(2026, 9, 14), 0),
    (E, "2.20.11", "Aménagement des espaces verts et jardins publics", ENV, 12_000_000, 4_560_000, D(2026, 6, 1), 1_140_000),
    (E, "2.20.12", "Acquisition d'engins de nettoiement", ENV, 8_000_000, 0, None, 0),
    (E, "2.30.11", "Construction du centre socioculturel de Sidi Maafa", DASC, 18_000_000, 0, None, 0),
    (E, "2.30.12", "Aménagement de terrains de sport de proximité", DASC, 7_500_000, 6_900_000, D(2026, 5, 11), 2_760_000),
    (E, "2.40.11", "Acquisition de véhicules utilitaires", PARC, 6_000_000, 5_640_000, D(2026, 3, 25), 5_640_000),
    (E, "2.50.11", "Acquisition de matériel informatique", SI, 2_400_000, 1_128_000, D(2026, 7, 10), 564_000),
    (E, "2.50.12", "Digitalisation des services et archivage électronique", SI, 3_000_000, 450_000, D(2026, 10, 5), 0),
    (E, "2.60.11", "Acquisition de mobilier de bureau", DAA, 1_200_000, 1_140_000, D(2026, 5, 2), 1_140_000),
]

BUDGET_HEADERS = [
    "Partie", "Imputation", "Rubrique", "Service gestionnaire", "Crédits ouverts (MAD)",
    "Montant engagé (MAD)", "Date du dernier engagement", "Montant ordonnancé (MAD)",
    "Taux d'engagement", "Taux d'ordonnancement", "Disponible (MAD)",
]


def make_budget(tmp: Path):
    wb = openpyxl.Workbook()
    fix_props(wb)
    ws = wb.active
    ws.title = "Exécution au 31-10-2026"
    ws.append(BUDGET_HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center")
        c.fill = PatternFill("solid", fgColor="DDE6F0")
    money = '#,##0'
    for i, (partie, imp, rub, serv, ouv, eng, date, ordo) in enumerate(BUDGET, start=2):
        ws.cell(i, 1, partie)
        ws.cell(i, 2, imp)
        ws.cell(i, 3, rub)
        ws.cell(i, 4, serv)
        ws.cell(i, 5, ouv).number_format = money
        ws.cell(i, 6, eng).number_format = money
        if date is not None:
            ws.cell(i, 7, date).number_format = "DD/MM/YYYY"
        ws.cell(i, 8, ordo).number_format = money
        ws.cell(i, 9, f"=IF(E{i}=0,0,F{i}/E{i})").number_format = "0.0%"
        ws.cell(i, 10, f"=IF(E{i}=0,0,H{i}/E{i})").number_format = "0.0%"
        ws.cell(i, 11, f"=E{i}-F{i}").number_format = money
    last = len(BUDGET) + 1
    totals = [
        ("Total fonctionnement", lambda col: f'=SUMIF($A$2:$A${last},"{F}",{col}2:{col}{last})'),
        ("Total équipement", lambda col: f'=SUMIF($A$2:$A${last},"{E}",{col}2:{col}{last})'),
        ("Total général", lambda col: f"=SUM({col}2:{col}{last})"),
    ]
    for k, (label, formula) in enumerate(totals):
        r = last + 1 + k
        ws.cell(r, 1, label).font = Font(bold=True)
        for col in "EFH":
            c = ws[f"{col}{r}"]
            c.value = formula(col)
            c.number_format = money
            c.font = Font(bold=True)
        ws.cell(r, 9, f"=IF(E{r}=0,0,F{r}/E{r})").number_format = "0.0%"
        ws.cell(r, 10, f"=IF(E{r}=0,0,H{r}/E{r})").number_format = "0.0%"
        ws.cell(r, 11, f"=E{r}-F{r}").number_format = money
    widths = [15, 10, 52, 40, 16, 16, 14, 16, 12, 12, 16]
    for col, w in zip("ABCDEFGHIJK", widths):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"
    src = tmp / "tableau-budget-2026.xlsx"
    wb.save(src)
    conv = tmp / "conv"
    conv.mkdir(exist_ok=True)
    produced = soffice_convert(src, "xlsx:Calc MS Excel 2007 XML", conv)
    shutil.copyfile(produced, OUT / "tableau-budget-2026.xlsx")
    normalize_zip(OUT / "tableau-budget-2026.xlsx")


# --------------------------------------------------------------------------------------------
# 2. Follow-up table of citizens' requests (.ods)
# --------------------------------------------------------------------------------------------

URB, TECH, ECO = "Division de l'urbanisme", "Division technique", "Service des affaires économiques"
HYG, SOC, JURI = "Bureau communal d'hygiène", "Division des affaires sociales et culturelles", "Service des affaires juridiques"
OWNER = {
    URB: "Mme Samira Bouazzaoui", TECH: "M. Youssef Mellouki", ECO: "M. Hicham Kaddouri",
    HYG: "Dr Khadija Benyoussef", SOC: "M. Rachid Zerrouki", JURI: "Mme Leila Hamdaoui",
}
SUIVI_REF = D(2026, 11, 20)

# (date de dépôt, demandeur, quartier, objet, service, statut, date de réponse, délai cible, observations)
SUIVI = [
    (D(2026, 8, 3), "Mohammed Bekkaoui", "Lazaret", "Autorisation de construire – extension d'un étage (petit projet)", URB, "Traitée", D(2026, 8, 27), 30, "Autorisation délivrée via la plateforme Rokhas"),
    (D(2026, 8, 5), "Fatima Zahra Mokhtari", "Al Qods", "Réclamation : éclairage public défaillant, rue 14", TECH, "Traitée", D(2026, 8, 14), 15, ""),
    (D(2026, 8, 10), "Association Nour pour le développement social", "Sidi Maafa", "Demande de subvention – programme d'alphabétisation", SOC, "En cours", None, 60, "Dossier soumis à la commission d'examen des subventions"),
    (D(2026, 8, 12), "عبد الرحيم الزياني", "Oued Nachef", "شكاية بخصوص تراكم النفايات قرب السوق", HYG, "Traitée", D(2026, 8, 19), 15, "تم التدخل من طرف شركة التدبير المفوض"),
    (D(2026, 8, 18), "SARL Oriental Bâtiment", "Boudir", "Permis d'habiter – immeuble R+3", URB, "En attente de pièces", None, 30, "Certificat du laboratoire d'essais manquant"),
    (D(2026, 8, 20), "Karima Benali", "Centre-ville", "Autorisation d'occupation temporaire du domaine public – terrasse de café", ECO, "Traitée", D(2026, 9, 29), 30, "Avis de la commission mixte requis"),
    (D(2026, 8, 25), "Ahmed Touzani", "Sidi Yahya", "Réclamation : nids-de-poule sur la chaussée", TECH, "Traitée", D(2026, 10, 6), 30, ""),
    (D(2026, 8, 28), "Jamal Ghazouani", "Lazaret", "Autorisation de morcellement", URB, "En cours", None, 30, "Avis de la commission d'instruction en attente"),
    (D(2026, 9, 1), "Said Hammouti", "Lazaret", "Demande d'accès à l'information – marchés de voirie 2025", JURI, "Traitée", D(2026, 9, 18), 20, ""),
    (D(2026, 9, 3), "سعاد البركاني", "Hay Al Andalous", "طلب رخصة استغلال محل تجاري (بقالة)", ECO, "Rejetée", D(2026, 9, 24), 30, "الملف غير مطابق لتصميم التهيئة"),
    (D(2026, 9, 7), "Yassine Tabti", "Al Qods", "Autorisation de construire – maison individuelle", URB, "En cours", None, 30, "Avis de l'Agence urbaine attendu"),
    (D(2026, 9, 9), "Nadia Belhaj", "Boudir", "Demande de désinsectisation – cave d'immeuble", HYG, "Traitée", D(2026, 9, 15), 15, ""),
    (D(2026, 9, 14), "Association sportive Al Wifaq", "Sidi Yahya", "Demande d'utilisation du terrain de sport de proximité", SOC, "Traitée", D(2026, 9, 22), 15, ""),
    (D(2026, 9, 15), "Hassan Chergui", "Sidi Maafa", "Réclamation : éclairage public, lotissement Al Amal", TECH, "Transmise", D(2026, 9, 17), 15, "Transmise au distributeur d'électricité (réseau non communal)"),
    (D(2026, 9, 21), "Imane Rahmouni", "Lazaret", "Permis d'habiter – maison individuelle", URB, "Traitée", D(2026, 10, 30), 30, ""),
    (D(2026, 9, 23), "محمد الإدريسي", "Oued Nachef", "شكاية بخصوص الإنارة العمومية بالزنقة 7", TECH, "En cours", None, 15, "في انتظار توفر قطع الغيار"),
    (D(2026, 9, 28), "Atlas Distribution SARL", "Quartier industriel", "Autorisation d'exploitation – dépôt de stockage", ECO, "En attente de pièces", None, 30, "Attestation de la Protection civile manquante"),
    (D(2026, 9, 30), "Nabil Essaidi", "Centre-ville", "Réclamation : nuisances sonores d'un atelier", HYG, "Traitée", D(2026, 10, 21), 15, ""),
    (D(2026, 10, 1), "Mustapha Belkadi", "Centre-ville", "Demande d'accès à l'information – budget 2026 de la commune", JURI, "Traitée", D(2026, 10, 14), 20, ""),
    (D(2026, 10, 5), "Latifa Serghini", "Al Qods", "Réclamation : collecte irrégulière des déchets", HYG, "Traitée", D(2026, 10, 9), 15, ""),
    (D(2026, 10, 6), "Association Al Amal des femmes artisanes", "Sidi Yahya", "Demande de subvention – foire artisanale", SOC, "Rejetée", D(2026, 11, 3), 60, "Demande déposée hors délai de l'appel à projets"),
    (D(2026, 10, 8), "Rachid Boukhris", "Boudir", "Autorisation de construire – surélévation", URB, "En cours", None, 30, ""),
    (D(2026, 10, 12), "خديجة العلوي", "Lazaret", "طلب الحصول على المعلومات المتعلقة بمشروع تهيئة الحديقة العمومية", JURI, "En cours", None, 20, ""),
    (D(2026, 10, 14), "Omar Tahiri", "Sidi Maafa", "Réclamation : affaissement de chaussée", TECH, "En cours", None, 30, "Expertise géotechnique demandée"),
    (D(2026, 10, 19), "Café Al Andalous (M. Driss Fekkak)", "Centre-ville", "Renouvellement d'occupation temporaire – terrasse", ECO, "Traitée", D(2026, 11, 5), 30, ""),
    (D(2026, 10, 20), "Zineb Haddouchi", "Al Qods", "Demande de dératisation – quartier", HYG, "En cours", None, 15, ""),
    (D(2026, 10, 22), "Abdelkader Mansouri", "Oued Nachef", "Autorisation de construire – petit projet", URB, "En attente de pièces", None, 30, "Plan topographique non signé"),
    (D(2026, 10, 26), "Samir Ouazzani", "Sidi Yahya", "Réclamation : éclairage public", TECH, "Traitée", D(2026, 11, 2), 15, ""),
    (D(2026, 10, 28), "Coopérative Zitoune Oriental", "Quartier industriel", "Autorisation d'exploitation – unité de conditionnement", ECO, "En cours", None, 30, ""),
    (D(2026, 11, 2), "Hanane Bouchikhi", "Lazaret", "Autorisation d'occupation temporaire – étalage", ECO, "En cours", None, 30, ""),
    (D(2026, 11, 3), "عائشة بنعيسى", "Sidi Maafa", "شكاية بخصوص حفرة خطيرة أمام مدرسة", TECH, "Traitée", D(2026, 11, 6), 30, "تم ردم الحفرة وتأمين المكان"),
    (D(2026, 11, 5), "Association Oujda Patrimoine", "Médina", "Autorisation d'exposition – place Bab Sidi Abdelwahab", SOC, "En cours", None, 15, ""),
    (D(2026, 11, 9), "Brahim Sabri", "Boudir", "Permis d'habiter – maison individuelle", URB, "En cours", None, 30, ""),
    (D(2026, 11, 10), "Meriem Ziani", "Al Qods", "Demande d'accès à l'information – délibérations 2026", JURI, "En cours", None, 20, ""),
    (D(2026, 11, 12), "Khalid Bensaid", "Hay Al Andalous", "Réclamation : collecte des déchets", HYG, "Traitée", D(2026, 11, 13), 15, ""),
    (D(2026, 11, 16), "Mohamed Amine Rahhali", "Sidi Yahya", "Autorisation de construire – petit projet", URB, "En cours", None, 30, ""),
]

SUIVI_HEADERS = [
    "N° d'ordre", "Date de dépôt", "Demandeur", "Quartier", "Objet de la demande", "Service chargé",
    "Responsable du dossier", "Statut", "Date de réponse", "Délai (jours)", "Délai cible (jours)",
    "Hors délai", "Observations",
]


def make_suivi(tmp: Path):
    wb = openpyxl.Workbook()
    fix_props(wb)
    ws = wb.active
    ws.title = "Suivi au 20-11-2026"
    ws.append(SUIVI_HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center")
    ref = f"DATE({SUIVI_REF.year},{SUIVI_REF.month},{SUIVI_REF.day})"
    for k, (dep, dem, quart, obj, serv, statut, rep, cible, obs) in enumerate(SUIVI):
        i = k + 2
        ws.cell(i, 1, f"DC-2026/{412 + k:04d}")
        ws.cell(i, 2, dep).number_format = "DD/MM/YYYY"
        ws.cell(i, 3, dem)
        ws.cell(i, 4, quart)
        ws.cell(i, 5, obj)
        ws.cell(i, 6, serv)
        ws.cell(i, 7, OWNER[serv])
        ws.cell(i, 8, statut)
        if rep is not None:
            ws.cell(i, 9, rep).number_format = "DD/MM/YYYY"
        # Days from filing to the answer, or to the reference date when still open.
        ws.cell(i, 10, f'=IF(I{i}="",{ref}-B{i},I{i}-B{i})').number_format = "0"
        ws.cell(i, 11, cible)
        ws.cell(i, 12, f'=IF(J{i}>K{i},"Oui","Non")')
        if obs:
            ws.cell(i, 13, obs)
    for col, w in zip("ABCDEFGHIJKLM", [14, 12, 34, 16, 50, 36, 24, 20, 12, 10, 10, 9, 48]):
        ws.column_dimensions[col].width = w
    src = tmp / "tableau-suivi-demandes.xlsx"
    wb.save(src)
    produced = soffice_convert(src, "ods", tmp)
    shutil.copyfile(produced, OUT / "tableau-suivi-demandes.ods")
    normalize_zip(OUT / "tableau-suivi-demandes.ods")


# --------------------------------------------------------------------------------------------
# 3. Public contracts (.csv, ';', Windows-1252, decimal comma)
# --------------------------------------------------------------------------------------------

MARCHES_HEADERS = [
    "N° marché", "Objet", "Attributaire", "Montant TTC (MAD)", "Date de l'ordre de service",
    "Délai d'exécution (mois)", "Avancement physique (%)", "Montant payé TTC (MAD)", "Statut", "Observations",
]
# (n°, objet, attributaire, montant, date OS, délai mois, avancement %, payé, statut, observations)
MARCHES = [
    ("03/2025/DT", "Revêtement de la voirie – quartier Lazaret", "Travaux Routiers de l'Oriental SARL", 14_850_000, D(2025, 9, 15), 12, 100, 13_810_500, "Réception provisoire", "Retenue de garantie de 7 % jusqu'à la réception définitive"),
    ("05/2025/DT", "Réhabilitation de la chaussée et des trottoirs – boulevard Allal Al Fassi", "Bennani Génie Civil SA", 22_400_000, D(2025, 11, 3), 14, 62, 11_872_000, "En cours", ""),
    ("07/2025/DT", "Fourniture et pose de luminaires LED – tranche 2", "Lumina Maroc SA", 9_600_000, D(2025, 10, 20), 10, 100, 8_928_000, "Réception provisoire", ""),
    ("02/2026/DT", "Fourniture et pose de luminaires LED – tranche 3", "Lumina Maroc SA", 12_350_000, D(2026, 3, 2), 8, 71, 5_557_500, "En cours", "Retard d'approvisionnement des luminaires"),
    ("04/2026/DT", "Signalisation routière horizontale et verticale", "Signal Plus SARL", 3_150_000, D(2026, 4, 6), 6, 100, 2_929_500, "Réception provisoire", ""),
    ("06/2026/DASC", "Aménagement de trois terrains de sport de proximité", "Sport Infra Oriental SARL", 6_900_000, D(2026, 5, 11), 7, 48, 2_760_000, "En cours", ""),
    ("08/2026/DHE", "Aménagement du jardin public de Sidi Yahya", "Green Oriental Paysage SARL", 4_560_000, D(2026, 6, 1), 8, 25, 1_140_000, "En cours", "Plantations reportées à la saison des pluies"),
    ("10/2026/DT", "Réhabilitation du marché de proximité Al Qods", "Bâtir Est SARL", 2_850_000, D(2026, 6, 15), 5, 40, 950_000, "Arrêté", "Ordre d'arrêt du 20/09/2026 pour révision des plans"),
    ("11/2026/SPA", "Acquisition de véhicules utilitaires (lot unique)", "Oriental Motors SARL", 5_640_000, D(2026, 3, 25), 3, 100, 5_640_000, "Soldé", ""),
    ("12/2026/SI", "Acquisition de matériel informatique", "Maghreb Informatique Services SARL", 1_128_000, D(2026, 7, 10), 2, 100, 564_000, "Livré", "Facture du solde en cours de liquidation"),
    ("13/2026/DT", "Études techniques et topographiques – programme de voirie 2027", "Géo-Conseil Ingénierie SARL", 1_360_000, D(2026, 4, 20), 6, 80, 680_000, "En cours", "Rapport de phase 3 non remis"),
    ("14/2026/DAA", "Fourniture de mobilier de bureau", "Meuble Pro Oujda SARL", 1_140_000, D(2026, 5, 2), 2, 100, 1_140_000, "Soldé", ""),
    ("15/2026/DT", "Revêtement de la voirie – quartiers Al Qods et Sidi Maafa", "Travaux Routiers de l'Oriental SARL", 19_450_000, D(2026, 7, 1), 12, 22, 3_890_000, "En cours", ""),
    ("16/2026/DHE", "Entretien des espaces verts – lot 2", "Green Oriental Paysage SARL", 2_380_000, D(2026, 2, 1), 12, 75, 1_587_000, "En cours", ""),
    ("17/2026/DT", "Mise à niveau de l'accessibilité des bâtiments administratifs", "Bâtir Est SARL", 420_000, D(2026, 9, 14), 4, 0, 0, "Non commencé", "Installation de chantier non effectuée"),
    ("18/2026/SI", "Assistance à la digitalisation et à l'archivage électronique", "Data Archives Maroc SARL", 450_000, D(2026, 10, 5), 6, 10, 0, "En cours", ""),
]


def fr_amount(x: int) -> str:
    return f"{x:d},00"


def make_marches():
    path = OUT / "tableau-marches.csv"
    with open(path, "w", encoding="cp1252", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(MARCHES_HEADERS)
        for n, obj, att, mt, os_, delai, av, paye, statut, obs in MARCHES:
            w.writerow([n, obj, att, fr_amount(mt), os_.strftime("%d/%m/%Y"), delai,
                        str(av).replace(".", ","), fr_amount(paye), statut, obs])


# --------------------------------------------------------------------------------------------
# 4. Equipment expenditure in Arabic (.xlsx), with the anomalies of a sheet kept by hand
# --------------------------------------------------------------------------------------------

ROADS, ENVIR = "الطرق والإنارة العمومية", "البيئة والمساحات الخضراء"
SOCIAL, ADMIN = "التجهيزات الاجتماعية والرياضية", "التجهيزات الإدارية"
AR_DT, AR_ENV = "القسم التقني", "قسم حفظ الصحة والبيئة"
AR_SOC, AR_SI, AR_DAA = "قسم الشؤون الاجتماعية والثقافية", "مصلحة المعلوميات", "قسم الشؤون الإدارية"

# (الباب, رمز الميزانية, البيان, المصلحة المكلفة, الاعتمادات المفتوحة, الملتزم بها, المأمور بصرفها, المؤداة)
EQUIPEMENT_AR = [
    (ROADS, "2.10.21", "تهيئة وتبليط الأزقة بحي الأندلس", AR_DT, 12_000_000, 11_400_000, 7_980_000, 6_840_000),
    (ROADS, "2.10.22", "تقوية الإنارة العمومية بحي القدس", AR_DT, 6_500_000, 6_760_000, 3_380_000, 2_704_000),
    (ROADS, "2.10.23", "إحداث ممرات الراجلين والتشوير الطرقي", AR_DT, 2_800_000, 1_960_000, 980_000, 588_000),
    # A line opened for a transfer of credits not yet approved: no credits, so its rate is #DIV/0!.
    (ROADS, "2.10.24", "اقتناء أجهزة الإشارات الضوئية", AR_DT, 0, 0, 0, 0),
    (ROADS, "2.10.25", "دراسات تقنية لتهيئة المدار الحضري", AR_DT, 1_500_000, 300_000, 150_000, 150_000),
    (ENVIR, "2.20.21", "تهيئة حديقة القرب بسيدي معافة", AR_ENV, 4_000_000, 3_600_000, 1_440_000, 1_080_000),
    (ENVIR, "2.20.22", "غرس الأشجار بالشوارع الرئيسية", AR_ENV, 1_800_000, 1_710_000, 1_710_000, 1_710_000),
    (ENVIR, "2.20.23", "اقتناء حاويات النفايات", AR_ENV, 2_500_000, 0, 0, 0),
    (SOCIAL, "2.30.21", "تأهيل دار الشباب بحي لازاري", AR_SOC, 3_200_000, 2_880_000, 1_152_000, 864_000),
    (SOCIAL, "2.30.22", "تجهيز ملاعب القرب", AR_SOC, 5_000_000, 1_250_000, 500_000, 250_000),
    (SOCIAL, "2.30.23", "اقتناء حافلة للنقل المدرسي", AR_SOC, 900_000, 880_000, 880_000, 880_000),
    (ADMIN, "2.40.21", "اقتناء عتاد معلوماتي", AR_SI, 1_600_000, 1_520_000, 1_520_000, 1_216_000),
    (ADMIN, "2.40.22", "رقمنة الأرشيف الجماعي", AR_SI, 2_200_000, 440_000, 0, 0),
    (ADMIN, "2.40.23", "تهيئة مكاتب الحالة المدنية", AR_DAA, 1_700_000, 1_615_000, 969_000, 646_000),
    # Added below the others after the totals were written: the grand total leaves it out.
    (ADMIN, "2.40.24", "اقتناء سيارات المصلحة", AR_DAA, 2_400_000, 2_280_000, 2_280_000, 2_280_000),
]

EQUIPEMENT_AR_HEADERS = [
    "الباب", "رمز الميزانية", "البيان", "المصلحة المكلفة", "الاعتمادات المفتوحة (درهم)",
    "المبالغ الملتزم بها (درهم)", "المبالغ المأمور بصرفها (درهم)", "المبالغ المؤداة (درهم)",
    "نسبة الالتزام", "الاعتمادات المتوفرة (درهم)",
]


def make_equipement_ar(tmp: Path):
    wb = openpyxl.Workbook()
    fix_props(wb)
    ws = wb.active
    ws.title = "التجهيز 2026"
    ws.sheet_view.rightToLeft = True
    ws["A1"] = "جماعة وجدة - وضعية تنفيذ نفقات التجهيز برسم سنة 2026 إلى غاية 30 شتنبر 2026"
    ws["A1"].font = Font(bold=True, size=12)
    ws.merge_cells("A1:J1")
    for k, h in enumerate(EQUIPEMENT_AR_HEADERS, start=1):
        c = ws.cell(3, k, h)
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center")
        c.fill = PatternFill("solid", fgColor="DDE6F0")
    money = '#,##0'
    first = 4
    for i, (bab, code, label, serv, ouv, eng, ordo, paye) in enumerate(EQUIPEMENT_AR, start=first):
        ws.cell(i, 1, bab)
        ws.cell(i, 2, code)
        ws.cell(i, 3, label)
        ws.cell(i, 4, serv)
        for col, v in zip((5, 6, 7, 8), (ouv, eng, ordo, paye)):
            ws.cell(i, col, v).number_format = money
        # The rate as many sheets write it, without a guard: #DIV/0! on a line with no credits.
        ws.cell(i, 9, f"=F{i}/E{i}").number_format = "0.0%"
        ws.cell(i, 10, f"=E{i}-F{i}").number_format = money
    last = first + len(EQUIPEMENT_AR) - 1
    t = last + 1
    ws.cell(t, 1, "المجموع العام").font = Font(bold=True)
    for col in "EFGHJ":
        # Written before the last line was added: the range stops one row short.
        c = ws[f"{col}{t}"]
        c.value = f"=SUM({col}{first}:{col}{last - 1})"
        c.number_format = money
        c.font = Font(bold=True)
    ws.cell(t, 9, f"=F{t}/E{t}").number_format = "0.0%"
    for col, w in zip("ABCDEFGHIJ", [30, 12, 40, 32, 18, 18, 18, 18, 12, 18]):
        ws.column_dimensions[col].width = w
    src = tmp / "tableau-equipement-ar-2026.xlsx"
    wb.save(src)
    conv = tmp / "conv"
    conv.mkdir(exist_ok=True)
    produced = soffice_convert(src, "xlsx:Calc MS Excel 2007 XML", conv)
    shutil.copyfile(produced, OUT / "tableau-equipement-ar-2026.xlsx")
    normalize_zip(OUT / "tableau-equipement-ar-2026.xlsx")


# --------------------------------------------------------------------------------------------
# Word helpers
# --------------------------------------------------------------------------------------------

def new_document():
    d = docx.Document()
    d.core_properties.author = "Commune d'Oujda"
    d.core_properties.created = FIXED
    d.core_properties.modified = FIXED
    d.core_properties.last_modified_by = "Commune d'Oujda"
    normal = d.styles["Normal"]
    normal.font.name = "Liberation Serif"
    normal.font.size = Pt(11)
    return d


def table(d, headers, rows, widths=None, fix=str):
    """A bordered table; widths in centimetres; fix() is applied to every cell text."""
    t = d.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    for c, h in zip(t.rows[0].cells, headers):
        c.text = ""
        c.paragraphs[0].add_run(fix(str(h))).bold = True
    for row in rows:
        cells = t.add_row().cells
        for c, v in zip(cells, row):
            c.text = fix(str(v))
    if widths:
        t.autofit = False
        for col, w in zip(t.columns, widths):
            col.width = Cm(w)
        for row in t.rows:
            for c, w in zip(row.cells, widths):
                c.width = Cm(w)
    d.add_paragraph()
    return t


def nbsp(text: str) -> str:
    """French typography for the PDF: no line break inside '2 915', before '%', ';' or ':'."""
    text = re.sub(r"(\d) (?=\d{3}\b)", "\\1\u00a0", text)
    return re.sub(r" ([%;:])", "\u00a0\\1", text)


def restart_numbering(d, paragraphs):
    """Make a second "List Number" list start again at 1 (new w:num over the same abstract list)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    numbering = d.part.numbering_part.element
    style_num = d.styles["List Number"].element.pPr.numPr.numId.val
    abstract = next(n for n in numbering.findall(qn("w:num"))
                    if n.get(qn("w:numId")) == str(style_num)).find(qn("w:abstractNumId")).get(qn("w:val"))
    new_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(new_id))
    a = OxmlElement("w:abstractNumId")
    a.set(qn("w:val"), abstract)
    num.append(a)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    numbering.append(num)
    for p in paragraphs:
        numpr = p._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = 0
        numpr.get_or_add_numId().val = new_id


def letterhead(d, service):
    for line in ["Royaume du Maroc", "Ministère de l'Intérieur", "Wilaya de la Région de l'Oriental",
                 "Préfecture d'Oujda-Angad", "Commune d'Oujda", service]:
        p = d.add_paragraph(line)
        p.paragraph_format.space_after = Pt(0)
    d.add_paragraph()


# --------------------------------------------------------------------------------------------
# 4. Minutes of a committee meeting (.docx)
# --------------------------------------------------------------------------------------------

def make_pv():
    d = new_document()
    letterhead(d, "Secrétariat du Conseil")
    d.add_heading("Procès-verbal de la réunion de la Commission du budget, des affaires financières "
                  "et de la programmation", level=1)
    d.add_paragraph(
        "L'an deux mille vingt-six, le mardi 22 septembre, à 10 h 00, la Commission du budget, des "
        "affaires financières et de la programmation du Conseil de la Commune d'Oujda s'est réunie dans la "
        "salle des réunions de l'Hôtel de ville, sur convocation de son président en date du "
        "15 septembre 2026, en vue de préparer la session ordinaire du mois d'octobre 2026.")

    d.add_heading("1. Membres présents et absents", level=2)
    table(d, ["Nom et prénom", "Qualité", "Présence"], [
        ("M. Abdelkrim Mazouzi", "Président de la commission", "Présent"),
        ("Mme Houda Benamar", "Vice-présidente de la commission", "Présente"),
        ("Mme Fadoua Chakir", "Rapporteure de la commission", "Présente"),
        ("M. Noureddine Khattabi", "Membre", "Présent"),
        ("Mme Salma Kerroumi", "Membre", "Présente"),
        ("M. Abdellah Hajji", "Membre", "Présent"),
        ("M. Tarik Boumediene", "Membre", "Absent excusé"),
        ("M. Larbi Meziane", "Membre", "Absent"),
    ])
    d.add_paragraph(
        "Six membres sur huit étant présents, le quorum est atteint. Ont également assisté à la réunion, "
        "à titre consultatif : M. Mourad Tahri, Directeur général des services ; Mme Naima Berrahou, Chef "
        "de la Division des affaires financières ; M. Youssef Mellouki, Chef de la Division technique ; "
        "M. Said Ouahbi, Chef du Service de l'assiette fiscale.")

    d.add_heading("2. Ordre du jour", level=2)
    for item in [
        "Situation d'exécution du budget de l'exercice 2026 au 31 août 2026.",
        "Examen du projet de budget de l'exercice 2027.",
        "Situation du recouvrement de la taxe sur les terrains urbains non bâtis (TNB).",
        "Questions diverses.",
    ]:
        d.add_paragraph(item, style="List Number")

    d.add_heading("3. Déroulement des travaux", level=2)
    d.add_heading("3.1. Exécution du budget 2026", level=3)
    d.add_paragraph(
        "Mme Naima Berrahou a présenté la situation d'exécution du budget au 31 août 2026 : le taux "
        "d'engagement global s'établit à 64,2 %, dont 68,5 % pour les dépenses de fonctionnement et "
        "47,9 % pour les dépenses d'équipement. Les membres ont formulé les observations suivantes :")
    for item in [
        "le projet de construction du centre socioculturel de Sidi Maafa n'a connu aucun engagement, "
        "l'appel d'offres ayant été déclaré infructueux à deux reprises ;",
        "les crédits de consommation d'électricité de l'éclairage public sont engagés à hauteur de 87 % "
        "au 31 août, ce qui fait craindre leur épuisement avant la fin de l'exercice ;",
        "les subventions aux associations accusent un retard important, au détriment des programmes "
        "sociaux de la rentrée ;",
        "les reliquats de crédits sur certaines rubriques de fonctionnement pourraient être redéployés.",
    ]:
        d.add_paragraph(item, style="List Bullet")

    d.add_heading("3.2. Projet de budget 2027", level=3)
    d.add_paragraph(
        "Le Directeur général des services a présenté le projet de budget 2027. Les recettes de "
        "fonctionnement sont estimées à 768,4 millions de dirhams, contre 742,4 millions de dirhams au "
        "budget 2026, soit une hausse de 3,5 %. Les dépenses de fonctionnement sont arrêtées à 676,2 "
        "millions de dirhams, ce qui dégage un excédent prévisionnel de 92,2 millions de dirhams affecté "
        "à la deuxième partie du budget (dépenses d'équipement).")
    d.add_paragraph(
        "Plusieurs membres ont demandé une ventilation détaillée de la masse salariale et une annexe "
        "présentant l'évolution des restes à recouvrer, avant l'examen du projet en séance plénière.")

    d.add_heading("3.3. Recouvrement de la TNB", level=3)
    d.add_paragraph(
        "M. Said Ouahbi a indiqué que les restes à recouvrer au titre de la taxe sur les terrains urbains "
        "non bâtis s'élevaient à 201,2 millions de dirhams au 31 décembre 2025. Il a souligné que de "
        "nombreux terrains ne sont pas recensés, en particulier dans les quartiers Lazaret, Al Qods et "
        "Sidi Maafa, et a proposé une opération de recensement sur le terrain.")

    d.add_heading("3.4. Questions diverses", level=3)
    d.add_paragraph(
        "Les membres ont demandé que les documents préparatoires leur soient transmis par voie "
        "électronique au moins soixante-douze heures avant chaque réunion de la commission.")

    d.add_heading("4. Votes", level=2)
    table(d, ["Point soumis au vote", "Pour", "Contre", "Abstention", "Résultat"], [
        ("Avis sur le projet de budget de l'exercice 2027", 5, 0, 1, "Avis favorable"),
        ("Recommandation relative au recensement des terrains non bâtis", 6, 0, 0,
         "Adoptée à l'unanimité des présents"),
    ])

    d.add_heading("5. Recommandations et décisions", level=2)
    d.add_paragraph("À l'issue de ses travaux, la commission a arrêté les décisions suivantes :")
    decisions = []
    for item in [
        "Le rapport de la commission sur le projet de budget 2027 sera établi par la rapporteure, "
        "Mme Fadoua Chakir, et remis au Président du Conseil au plus tard le 29 septembre 2026.",
        "La Division des affaires financières produira, avant le 29 septembre 2026, la ventilation de la "
        "masse salariale et l'annexe relative aux restes à recouvrer.",
        "La Division technique présentera, au plus tard le 15 octobre 2026, une projection de la "
        "consommation d'électricité de l'éclairage public jusqu'au 31 décembre 2026, assortie des mesures "
        "envisagées pour éviter un dépassement des crédits.",
        "Le Service de l'assiette fiscale lancera le recensement des terrains non bâtis dans les quartiers "
        "Lazaret, Al Qods et Sidi Maafa et en présentera les résultats au plus tard le 31 décembre 2026.",
        "La Direction générale des services relancera l'appel d'offres relatif à la construction du centre "
        "socioculturel de Sidi Maafa avant le 30 novembre 2026.",
        "L'examen des demandes de subvention des associations devra être accéléré.",
        "Le secrétariat du Conseil transmettra les documents préparatoires aux membres au moins "
        "soixante-douze heures avant chaque réunion, à compter de la prochaine réunion de la commission.",
    ]:
        decisions.append(d.add_paragraph(item, style="List Number"))
    restart_numbering(d, decisions)

    d.add_paragraph(
        "L'ordre du jour étant épuisé, le président a levé la séance à 13 h 15. Le présent procès-verbal "
        "a été dressé et signé par le président et la rapporteure de la commission.")
    p = d.add_paragraph("Le Président de la commission : Abdelkrim Mazouzi        "
                        "La Rapporteure : Fadoua Chakir")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.save(OUT / "pv-reunion-conseil.docx")
    normalize_zip(OUT / "pv-reunion-conseil.docx")


# --------------------------------------------------------------------------------------------
# 5. Activity report 2025 (.docx -> .pdf)
# --------------------------------------------------------------------------------------------

URBA = [  # type, déposés, délivrés, rejetés, en instance, délai moyen (jours)
    ("Autorisations de construire – petits projets", 1146, 962, 118, 66, 21),
    ("Autorisations de construire – grands projets", 214, 161, 29, 24, 38),
    ("Permis d'habiter et certificats de conformité", 873, 790, 41, 42, 17),
    ("Autorisations de lotir et de morceler", 58, 39, 11, 8, 46),
]
RECETTES = [  # rubrique, prévisions, réalisations (millions de dirhams)
    ("Part du produit de la TVA", 402.0, 402.0),
    ("Taxe sur les terrains urbains non bâtis", 48.0, 39.6),
    ("Taxe sur les opérations de construction", 31.0, 34.8),
    ("Redevance d'occupation temporaire du domaine public", 22.5, 24.1),
    ("Taxe de services communaux (part revenant à la commune)", 168.0, 161.9),
    ("Droits d'état civil et de légalisation", 9.2, 8.7),
    ("Produits des marchés et des abattoirs", 14.0, 11.2),
    ("Autres recettes", 47.9, 19.0),
]


def pct(a, b):
    return f"{100 * a / b:.1f}".replace(".", ",") + " %"


def nb(x):
    return f"{x:,}".replace(",", " ")


def mdh(x):
    return f"{x:.1f}".replace(".", ",")


def make_rapport(tmp: Path):
    d = new_document()
    add_paragraph = d.add_paragraph
    d.add_paragraph = lambda text="", style=None: add_paragraph(nbsp(text), style)
    letterhead(d, "Direction générale des services")
    d.add_heading("Rapport d'activité de l'année 2025", level=1)
    d.add_paragraph(
        "Le présent rapport retrace l'activité des services de la Commune d'Oujda au cours de l'année "
        "2025. Il est présenté au Conseil communal lors de sa session ordinaire de février 2026, "
        "conformément au programme d'action de la commune (PAC) 2022-2027. Il couvre les services "
        "administratifs et l'état civil, l'urbanisme, les finances, les services publics de proximité, "
        "les ressources humaines et la transformation numérique, puis expose les difficultés rencontrées "
        "et les perspectives pour 2026.")

    d.add_heading("1. Services administratifs et état civil", level=2)
    d.add_paragraph(
        "Les bureaux d'état civil ont délivré 186 420 copies intégrales et extraits d'actes en 2025, "
        "contre 171 350 en 2024, soit une hausse de 8,8 %. Ils ont enregistré 9 840 déclarations de "
        "naissance et 2 915 déclarations de décès. Le nombre d'opérations de légalisation de signatures "
        "et de certification de copies conformes s'est établi à 241 300, contre 256 800 en 2024, soit une "
        "baisse de 6,0 %, qui s'explique par la suppression de l'exigence de copies certifiées conformes "
        "dans de nombreuses procédures, en application de la loi n° 55-19 relative à la simplification "
        "des procédures et des formalités administratives.")
    d.add_paragraph(
        "Les demandes d'extraits d'actes déposées en ligne sur le portail national watiqa.ma ont "
        "représenté 23 % des demandes, contre 14 % en 2024. Le délai de délivrance des extraits demandés "
        "en ligne a été ramené à deux jours ouvrables.")

    d.add_heading("2. Urbanisme", level=2)
    d.add_paragraph(
        "L'ensemble des demandes d'autorisations d'urbanisme est désormais déposé et instruit sur la "
        "plateforme nationale Rokhas. Le tableau suivant présente l'activité de l'année.")
    tot = [sum(r[i] for r in URBA) for i in range(1, 5)]
    table(d, ["Type d'autorisation", "Dossiers déposés", "Délivrées", "Rejetées",
              "En instance au 31/12/2025", "Délai moyen (jours)"],
          [(t, nb(a), nb(b), c, e, f) for t, a, b, c, e, f in URBA]
          + [("Total", nb(tot[0]), nb(tot[1]), tot[2], tot[3], "–")],
          widths=[5.6, 2.2, 2.2, 2.2, 2.6, 2.2], fix=nbsp)
    d.add_paragraph(
        f"Au total, {nb(tot[0])} dossiers ont été déposés, dont {nb(tot[1])} ont abouti à la délivrance de "
        f"l'autorisation ({pct(tot[1], tot[0])}) et {tot[2]} ont été rejetés ({pct(tot[2], tot[0])}). "
        "Les rejets concernent principalement la non-conformité des projets aux documents d'urbanisme et "
        "l'insuffisance des pièces fournies. Le délai moyen d'instruction des grands projets (38 jours) "
        "reste supérieur à l'objectif de 30 jours fixé par le PAC, du fait des avis sectoriels tardifs.")

    d.add_heading("3. Finances communales", level=2)
    d.add_heading("3.1. Recettes de fonctionnement", level=3)
    prev = sum(r[1] for r in RECETTES)
    real = sum(r[2] for r in RECETTES)
    table(d, ["Rubrique", "Prévisions (MDH)", "Réalisations (MDH)", "Taux de réalisation"],
          [(r, mdh(p), mdh(q), pct(q, p)) for r, p, q in RECETTES]
          + [("Total des recettes de fonctionnement", mdh(prev), mdh(real), pct(real, prev))],
          widths=[7.6, 3.0, 3.0, 3.4], fix=nbsp)
    d.add_paragraph(
        f"Les recettes de fonctionnement réalisées atteignent {mdh(real)} millions de dirhams (MDH) pour "
        f"des prévisions de {mdh(prev)} MDH, soit un taux de réalisation de {pct(real, prev)}. Les taxes "
        "liées à la construction et à l'occupation du domaine public dépassent les prévisions, tandis que "
        "la taxe sur les terrains urbains non bâtis (82,5 %) et les produits des marchés et des abattoirs "
        "(80,0 %) restent en retrait. Les restes à recouvrer s'élèvent à 318,5 MDH au 31 décembre 2025, "
        "dont 201,2 MDH au titre de la taxe sur les terrains urbains non bâtis.")
    d.add_heading("3.2. Dépenses", level=3)
    d.add_paragraph(
        "Les dépenses de fonctionnement émises s'élèvent à 612,4 MDH pour des crédits de 655,0 MDH, soit "
        f"un taux d'exécution de {pct(612.4, 655.0)}. Pour les dépenses d'équipement, les engagements "
        f"atteignent 148,3 MDH sur 210,0 MDH de crédits ({pct(148.3, 210.0)}) et les émissions 96,7 MDH "
        f"({pct(96.7, 210.0)}). Le décalage entre engagements et émissions tient principalement aux "
        "marchés de voirie notifiés au dernier trimestre.")

    d.add_heading("4. Services publics de proximité", level=2)
    d.add_heading("4.1. Éclairage public", level=3)
    d.add_paragraph(
        "Le réseau compte 46 800 points lumineux. En 2025, 9 200 points ont été convertis à la technologie "
        "LED, ce qui porte le nombre de points équipés à 21 700, soit "
        f"{pct(21700, 46800)} du réseau. La consommation d'électricité de l'éclairage public a été de "
        f"41,2 GWh, contre 44,6 GWh en 2024 (baisse de {pct(44.6 - 41.2, 44.6)}), pour une facture de "
        "39,8 MDH. Le PAC fixe l'objectif de 60 % de points convertis à fin 2026.")
    d.add_heading("4.2. Propreté et espaces verts", level=3)
    d.add_paragraph(
        "Le délégataire de la collecte des déchets et du nettoiement a collecté 172 400 tonnes de déchets "
        f"ménagers et assimilés, contre 168 900 tonnes en 2024 (hausse de {pct(172400 - 168900, 168900)}). "
        "La superficie des espaces verts entretenus par la commune atteint 214 hectares, dont 12 hectares "
        "aménagés en 2025.")
    d.add_heading("4.3. Réclamations des citoyens", level=3)
    d.add_paragraph(
        "La commune a reçu 3 412 réclamations, par le portail national chikaya.ma et par le bureau "
        f"d'ordre ; 2 986 ont été traitées ({pct(2986, 3412)}), dans un délai moyen de 19 jours. Les "
        "réclamations portent principalement sur l'éclairage public (31 %), la voirie (24 %) et la "
        "propreté (22 %).")

    d.add_heading("5. Ressources humaines", level=2)
    d.add_paragraph(
        "L'effectif de la commune s'établit à 2 318 agents au 31 décembre 2025, contre 2 406 un an plus "
        "tôt. Cette baisse résulte de 104 départs à la retraite, compensés seulement par 16 recrutements. "
        "Le plan de formation a bénéficié à 412 agents, principalement dans les domaines de l'informatique, "
        "de la commande publique et de l'accueil des usagers.")
    table(d, ["Indicateur", "2024", "2025"], [
        ("Effectif au 31 décembre", "2 406", "2 318"),
        ("Départs à la retraite", "–", "104"),
        ("Recrutements", "–", "16"),
        ("Agents formés", "–", "412"),
    ], widths=[7.0, 3.0, 3.0], fix=nbsp)

    d.add_heading("6. Transformation numérique", level=2)
    for item in [
        "Généralisation du dépôt électronique des autorisations d'urbanisme sur la plateforme Rokhas.",
        "Traitement des réclamations sur le portail national chikaya.ma, avec désignation d'un "
        "correspondant dans chaque division.",
        "Mise en service, à titre pilote, d'un bureau d'ordre numérique à la Direction générale des "
        "services (enregistrement et numérisation du courrier entrant).",
    ]:
        d.add_paragraph(item, style="List Bullet")

    d.add_heading("7. Difficultés rencontrées", level=2)
    for item in [
        "Le niveau élevé des restes à recouvrer (318,5 MDH), en particulier au titre de la taxe sur les "
        "terrains urbains non bâtis.",
        "L'appel d'offres relatif à la construction du centre socioculturel de Sidi Maafa a été déclaré "
        "infructueux, ce qui a retardé le lancement du projet.",
        "Le vieillissement du parc automobile, dont l'âge moyen dépasse douze ans, renchérit les frais "
        "d'entretien et de carburant.",
        "Les départs à la retraite non remplacés fragilisent les services techniques et l'état civil.",
    ]:
        d.add_paragraph(item, style="List Bullet")

    d.add_heading("8. Perspectives pour 2026", level=2)
    for item in [
        "Porter à 60 % la part des points lumineux convertis à la technologie LED.",
        "Engager une opération de recensement des terrains urbains non bâtis afin d'améliorer le "
        "recouvrement de la taxe.",
        "Relancer le projet du centre socioculturel de Sidi Maafa.",
        "Ramener à 30 jours le délai moyen d'instruction des autorisations relatives aux grands projets.",
        "Étendre le bureau d'ordre numérique à l'ensemble des divisions.",
    ]:
        d.add_paragraph(item, style="List Number")
    d.add_paragraph("Oujda, le 26 janvier 2026")
    d.add_paragraph("Le Directeur général des services")

    src = tmp / "rapport-activite-2025.docx"
    d.save(src)
    produced = soffice_convert(src, "pdf", tmp)
    pdf = produced.read_bytes()
    # Same-length replacements keep the cross-reference offsets valid.
    stamp = FIXED.strftime("%Y%m%d%H%M%S").encode()
    pdf = re.sub(rb"D:\d{14}", b"D:" + stamp, pdf)
    pdf = re.sub(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)",
                 lambda m: m.group(1) + b"0" * len(m.group(2)) + m.group(3) + b"0" * len(m.group(4)) + m.group(5),
                 pdf)
    pdf = re.sub(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)", lambda m: m.group(1) + b"0" * len(m.group(2)), pdf)
    (OUT / "rapport-activite-2025.pdf").write_bytes(pdf)


# --------------------------------------------------------------------------------------------
# 6. Texts for translation (UTF-8)
# --------------------------------------------------------------------------------------------

ARRETE_AR = """\
المملكة المغربية
وزارة الداخلية
ولاية جهة الشرق
عمالة وجدة أنجاد
جماعة وجدة

قرار رقم 37/2026 صادر عن رئيس مجلس جماعة وجدة بتاريخ 12 أكتوبر 2026 يتعلق بتنظيم الاحتلال المؤقت للملك العمومي الجماعي لأغراض تجارية أو مهنية

إن رئيس مجلس جماعة وجدة،

بناء على الظهير الشريف رقم 1.15.85 الصادر في 20 من رمضان 1436 (7 يوليوز 2015) بتنفيذ القانون التنظيمي رقم 113.14 المتعلق بالجماعات، ولا سيما المادة 100 منه؛

وبناء على القرار الجبائي الجاري به العمل بجماعة وجدة؛

وبناء على مداولات مجلس جماعة وجدة خلال دورته العادية لشهر ماي 2026، في الجلسة المنعقدة بتاريخ 5 ماي 2026؛

ونظرا لضرورة ضمان حرية المرور وسلامة الراجلين والحفاظ على جمالية المدينة؛

يقرر ما يلي:

المادة الأولى: يحدد هذا القرار شروط وكيفيات الاحتلال المؤقت للملك العمومي الجماعي لأغراض تجارية أو مهنية، ولا سيما بواسطة الكراسي والطاولات والمظلات وواجهات العرض، داخل النفوذ الترابي لجماعة وجدة.

المادة 2: لا يجوز احتلال الملك العمومي الجماعي إلا بعد الحصول على رخصة مسبقة يسلمها رئيس مجلس الجماعة، بعد دراسة الطلب من طرف لجنة مختلطة تضم ممثلين عن المصالح الجماعية والسلطة المحلية.

المادة 3: يودع طلب الرخصة لدى مكتب الضبط بالجماعة أو عبر المنصة الإلكترونية المعتمدة، مرفقا بالوثائق التالية:
- نسخة من البطاقة الوطنية للتعريف الإلكترونية لصاحب الطلب؛
- نسخة من رخصة استغلال المحل التجاري؛
- تصميم موقعي يبين المساحة المطلوب احتلالها بالمتر المربع؛
- شهادة إبراء الذمة من المستحقات الجبائية الجماعية.

المادة 4: يجب ألا تتجاوز المساحة المرخص باحتلالها ثلث عرض الرصيف، مع الإبقاء على ممر للراجلين لا يقل عرضه عن متر ونصف (1,50 م). ويمنع كل احتلال أمام مداخل العمارات ومواقف سيارات الأجرة وممرات الراجلين.

المادة 5: تمنح الرخصة لمدة سنة واحدة قابلة للتجديد، ويتعين تقديم طلب التجديد قبل انتهاء مدة صلاحيتها بثلاثين (30) يوما على الأقل.

المادة 6: يخضع الاحتلال المؤقت للملك العمومي الجماعي لأداء الرسم المحدد في القرار الجبائي الجاري به العمل، ويؤدى مسبقا عن كل ثلاثة أشهر لدى وكيل المداخيل الجماعي.

المادة 7: يترتب عن كل مخالفة لمقتضيات هذا القرار، بعد توجيه إنذار كتابي يظل دون جدوى داخل أجل ثمانية (8) أيام، سحب الرخصة وإزالة التجهيزات على نفقة المخالف.

المادة 8: يعهد بتنفيذ هذا القرار إلى المدير العام للمصالح بجماعة وجدة ورئيس قسم الشؤون الاقتصادية، كل في ما يخصه.

وحرر بوجدة في 12 أكتوبر 2026

رئيس مجلس جماعة وجدة
"""

AVIS_FR = """\
Royaume du Maroc
Ministère de l'Intérieur
Wilaya de la Région de l'Oriental
Préfecture d'Oujda-Angad
Commune d'Oujda
Division technique

N° 2184/DT/2026                                                  Oujda, le 23 novembre 2026

AVIS À LA POPULATION

Objet : Travaux de réhabilitation du boulevard Allal Al Fassi – fermeture temporaire à la circulation et itinéraires de déviation.

Le Président du Conseil de la Commune d'Oujda porte à la connaissance des usagers et des riverains que les travaux de réhabilitation de la chaussée et des trottoirs du boulevard Allal Al Fassi, objet du marché n° 05/2025/DT, entreront dans leur phase finale à compter du lundi 7 décembre 2026.

Pendant vingt et un (21) jours, soit jusqu'au dimanche 27 décembre 2026 inclus, la circulation sera interdite sur le tronçon compris entre le carrefour de la rue Ibn Khaldoun et le rond-point de la Gare. Les itinéraires de déviation suivants sont mis en place :

- les véhicules légers venant du centre-ville emprunteront le boulevard Mohammed V puis la rue Ibn Khaldoun ;
- les poids lourds de plus de 3,5 tonnes sont interdits dans le périmètre des travaux et emprunteront la rocade ;
- les arrêts des lignes d'autobus n° 3 et n° 7 situés sur le tronçon fermé sont provisoirement reportés sur le boulevard Mohammed V.

L'accès des riverains, des véhicules de secours et de la Protection civile est maintenu en permanence. Le stationnement est interdit des deux côtés du tronçon pendant toute la durée des travaux ; tout véhicule en infraction sera mis en fourrière.

Les observations et réclamations peuvent être adressées à la Division technique de la Commune, du lundi au vendredi de 8 h 30 à 16 h 30, ou déposées sur le portail national des réclamations chikaya.ma.

Le Président du Conseil de la Commune d'Oujda remercie les usagers et les riverains de leur compréhension et s'excuse de la gêne occasionnée.

Le Président du Conseil de la Commune d'Oujda
"""


def make_texts():
    (OUT / "texte-arrete-ar.txt").write_text(ARRETE_AR, encoding="utf-8")
    (OUT / "texte-avis-travaux-fr.txt").write_text(AVIS_FR, encoding="utf-8")


def main():
    makers = {
        "tableau-budget-2026.xlsx": make_budget,
        "tableau-suivi-demandes.ods": make_suivi,
        "tableau-marches.csv": lambda tmp: make_marches(),
        "tableau-equipement-ar-2026.xlsx": make_equipement_ar,
        "pv-reunion-conseil.docx": lambda tmp: make_pv(),
        "rapport-activite-2025.pdf": make_rapport,
        "texte-arrete-ar.txt": lambda tmp: make_texts(),
        "texte-avis-travaux-fr.txt": lambda tmp: make_texts(),
    }
    # Only the files named on the command line (a LibreOffice of another version would rewrite
    # the others byte for byte differently), or all of them.
    wanted = sys.argv[1:] or list(makers)
    unknown = [w for w in wanted if w not in makers]
    if unknown:
        sys.exit(f"unknown sample input(s): {', '.join(unknown)}; known: {', '.join(makers)}")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="katib-inputs-") as t:
        tmp = Path(t)
        done = set()
        for name in wanted:
            if makers[name] not in done:
                makers[name](tmp)
                done.add(makers[name])
    for name in wanted:
        print(f"{OUT / name}  {os.path.getsize(OUT / name)} octets")


if __name__ == "__main__":
    main()
