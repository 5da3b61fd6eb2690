#!/usr/bin/env python3
"""Writes the spreadsheet fixtures of katib-sheet's tests with independent writers, and the
figures the tests expect, computed here in Python (math.fsum, statistics.median).

Writers: openpyxl for the .xlsx files; LibreOffice (headless) re-saves the main workbook as
.ods, as .xls and as .xlsx (a shared-string table and the cached values of formulas, as Excel
writes); Python's csv module with the cp1252 code page for the CSV.

    python3 -m venv target/fixtures-venv && target/fixtures-venv/bin/pip install openpyxl==3.1.5
    target/fixtures-venv/bin/python crates/sheet/tests/tools/make_fixtures.py

Outputs go to crates/sheet/tests/fixtures/ (committed: tests never run Python). The data are
seeded: running the script again gives the same cells and the same expected.json.

What the main workbook holds, on purpose: a title in A1 merged over the table, a date line, a
two-row header with merged cells ("Crédits" over "ouverts | engagés"), section heading rows,
sub-totals, a TOTAL GÉNÉRAL whose "engagés" is wrong by 100 DH, cells in error (#DIV/0!,
#N/A, #VALUE!), amounts formatted in DH, a percent column, dates, a formula column with no
cached value (openpyxl cannot compute it; LibreOffice's re-save can).
"""
import csv
import datetime as dt
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "fixtures"))

SERVICES = [
    "Division technique",
    "Division des affaires administratives",
    "Division financière",
    "Service des affaires juridiques",
    "Division des affaires sociales et culturelles",
    "Service des parcs et jardins",
    "Service du parc automobile",
]

# (libellé, service, crédits ouverts, engagés, payés) -- None: let the generator choose.
FONCTIONNEMENT = [
    ("Traitements et salaires du personnel titulaire", SERVICES[1], 142_000_000, None, None),
    ("Indemnités du personnel", SERVICES[1], 18_500_000, None, None),
    ("Cotisations sociales patronales", SERVICES[1], 21_300_000, None, None),
    ("Frais de télécommunications", SERVICES[2], 1_200_000, 1_224_600, 1_100_000),
    ("Électricité de l'éclairage public", SERVICES[0], 38_000_000, 36_480_000, 30_400_000),
    ("Électricité des bâtiments communaux", SERVICES[0], 4_200_000, None, None),
    ("Eau des espaces verts et fontaines", SERVICES[5], 6_500_000, 5_915_000, 4_800_000),
    ("Carburants et lubrifiants", SERVICES[6], 5_800_000, 5_510_000, 4_950_000),
    ("Entretien et réparation des véhicules", SERVICES[6], 3_100_000, None, None),
    ("Assurance des véhicules", SERVICES[6], 1_450_000, 1_409_400, 1_409_400),
    ("Fournitures de bureau", SERVICES[1], 950_000, None, None),
    ("Frais d'impression et de publication", SERVICES[1], 620_000, None, None),
    ("Location de matériel et d'engins", SERVICES[0], 1_600_000, 0, 0),
    ("Exécution des décisions de justice", SERVICES[3], 12_000_000, 3_600_000, 3_600_000),
    ("Subventions aux associations", SERVICES[4], 6_000_000, 1_150_000, 900_000),
    ("Frais de réception et de cérémonies", SERVICES[1], 780_000, None, None),
    ("Entretien des espaces verts", SERVICES[5], 9_400_000, None, None),
    ("Collecte des déchets ménagers (gestion déléguée)", SERVICES[0], 96_000_000, None, None),
    ("Entretien de la voirie communale", SERVICES[0], 14_500_000, None, None),
    ("Frais de transport du personnel", SERVICES[1], 1_300_000, None, None),
    ("Formation du personnel", SERVICES[1], 850_000, None, None),
    ("Frais d'actes et de contentieux", SERVICES[3], 0, 0, 0),
    ("Produits d'entretien et d'hygiène", SERVICES[1], 1_150_000, None, None),
    ("Frais de gardiennage des bâtiments communaux", SERVICES[1], 3_600_000, None, None),
]

EQUIPEMENT = [
    ("Aménagement de la voirie – quartier Lazaret", SERVICES[0], 32_000_000, None, None),
    ("Réhabilitation de la chaussée – boulevard Allal Al Fassi", SERVICES[0], 26_000_000, None, None),
    ("Éclairage public LED – tranche 3", SERVICES[0], 19_500_000, None, None),
    ("Centre socioculturel de Sidi Maafa", SERVICES[4], 18_000_000, 0, 0),
    ("Acquisition d'engins de nettoiement", SERVICES[0], 8_000_000, 0, 0),
    ("Aménagement du jardin public de Sidi Yahya", SERVICES[5], 4_800_000, None, None),
    ("Terrains de sport de proximité", SERVICES[4], 7_200_000, None, None),
    ("Réhabilitation du marché Al Qods", SERVICES[0], 3_000_000, None, None),
    ("Acquisition de véhicules utilitaires", SERVICES[6], 5_700_000, None, None),
    ("Signalisation routière horizontale et verticale", SERVICES[0], 3_400_000, None, None),
    ("Matériel informatique", SERVICES[2], 2_100_000, None, None),
    ("Mobilier de bureau", SERVICES[1], 900_000, None, None),
    ("Études techniques", SERVICES[0], 2_600_000, None, None),
    ("Raccordement au réseau d'assainissement", SERVICES[0], 11_000_000, None, None),
    ("Construction d'un bureau annexe d'état civil", SERVICES[1], 6_300_000, None, None),
    ("Aménagement de places publiques", SERVICES[5], 5_200_000, None, None),
    ("Acquisition de bacs à ordures", SERVICES[0], 2_400_000, None, None),
    ("Travaux d'accessibilité des bâtiments communaux", SERVICES[1], 1_900_000, None, None),
]

AMOUNT = '#,##0.00\\ "DH"'
PERCENT = "0.0%"
DATE = "dd/mm/yyyy"


def complete(rows, rng, part):
    out = []
    for i, (label, service, credits, engaged, paid) in enumerate(rows):
        if engaged is None:
            rate = rng.uniform(0.35, 0.97) if part == "F" else rng.uniform(0.2, 0.9)
            engaged = round(credits * rate, -2)
            # A few amounts with cents.
            if i % 5 == 2:
                engaged += 0.5
        if paid is None:
            paid = round(engaged * rng.uniform(0.3, 0.95), 2)
        day = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(0, 295))
        out.append({"libelle": label, "service": service, "credits": float(credits), "engage": float(engaged),
                    "paye": float(paid), "date": day})
    return out


def build(rng):
    f = complete(FONCTIONNEMENT, rng, "F")
    e = complete(EQUIPEMENT, rng, "E")
    for k, r in enumerate(f):
        r["chapitre"], r["article"] = (10 if k < 12 else 20), 1000 + 10 * k
    for k, r in enumerate(e):
        r["chapitre"], r["article"] = 50, 5000 + 10 * k
    return f, e


def write_budget(path, f, e):
    """The main workbook. Returns the layout: which sheet rows hold what."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Exécution 2026"
    ws["A1"] = "Budget 2026 – Commune d'Oujda"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:J1")
    ws["A2"] = "Situation au 31/10/2026"
    heads = {"A": "Chapitre", "B": "Article", "C": "Libellé", "F": "Payé", "G": "Taux d'engagement",
             "H": "Service", "I": "Date du dernier engagement", "J": "Disponible"}
    for col, text in heads.items():
        ws[f"{col}4"] = text
        ws.merge_cells(f"{col}4:{col}5")
    ws["D4"] = "Crédits"
    ws.merge_cells("D4:E4")
    ws["D5"] = "ouverts"
    ws["E5"] = "engagés"
    for row in (4, 5):
        for c in "ABCDEFGHIJ":
            ws[f"{c}{row}"].font = Font(bold=True)
            ws[f"{c}{row}"].alignment = Alignment(horizontal="center", wrap_text=True)
    layout = {"data": [], "totals": [], "labels": [], "errors": []}
    r = 6

    def data_row(x):
        nonlocal r
        ws[f"A{r}"] = x["chapitre"]
        ws[f"B{r}"] = x["article"]
        ws[f"C{r}"] = x["libelle"]
        for col, key in (("D", "credits"), ("E", "engage"), ("F", "paye")):
            ws[f"{col}{r}"] = x[key]
            ws[f"{col}{r}"].number_format = AMOUNT
        if x["credits"] == 0:
            ws[f"G{r}"] = "#DIV/0!"
            layout["errors"].append((f"G{r}", "#DIV/0!"))
            x["taux"] = None
        else:
            x["taux"] = x["engage"] / x["credits"]
            ws[f"G{r}"] = x["taux"]
            ws[f"G{r}"].number_format = PERCENT
        ws[f"H{r}"] = x["service"]
        ws[f"I{r}"] = dt.datetime.combine(x["date"], dt.time())
        ws[f"I{r}"].number_format = DATE
        ws[f"J{r}"] = f"=D{r}-E{r}"
        ws[f"J{r}"].number_format = AMOUNT
        x["row"] = r
        layout["data"].append(x)
        r += 1

    def label_row(text):
        nonlocal r
        ws[f"A{r}"] = text
        ws[f"A{r}"].font = Font(bold=True)
        layout["labels"].append((r, text))
        r += 1

    def total_row(label, rows, wrong=None):
        nonlocal r
        ws[f"C{r}"] = label
        written = {}
        for col, key in (("D", "credits"), ("E", "engage"), ("F", "paye")):
            v = math.fsum(x[key] for x in rows if isinstance(x[key], float))
            if wrong and wrong[0] == col:
                v += wrong[1]
            ws[f"{col}{r}"] = v
            ws[f"{col}{r}"].number_format = AMOUNT
            written[col] = v
        layout["totals"].append({"row": r, "label": label, "written": written})
        r += 1

    label_row("Première partie – Dépenses de fonctionnement")
    for x in f:
        data_row(x)
    total_row("Sous-total fonctionnement", f)
    label_row("Deuxième partie – Dépenses d'équipement")
    for x in e:
        data_row(x)
    total_row("Sous-total équipement", e)
    total_row("TOTAL GÉNÉRAL", f + e, wrong=("E", 100.0))
    # Two more cells in error, inside the data: a date and a payment.
    n_a = layout["data"][7]
    ws[f"I{n_a['row']}"] = "#N/A"
    layout["errors"].append((f"I{n_a['row']}", "#N/A"))
    n_a["date"] = None
    bad = layout["data"][30]
    ws[f"F{bad['row']}"] = "#VALUE!"
    layout["errors"].append((f"F{bad['row']}", "#VALUE!"))
    bad["paye"] = None
    # The sub-totals were written before the error replaced the payment: keep the written
    # value, but the rows now add up to less. Rewrite that sub-total on the remaining cells so
    # that only the TOTAL GÉNÉRAL's "engagés" is wrong.
    sub = layout["totals"][1]
    sub_rows = [x for x in layout["data"] if x["chapitre"] == 50]
    v = math.fsum(x["paye"] for x in sub_rows if x["paye"] is not None)
    ws[f"F{sub['row']}"] = v
    sub["written"]["F"] = v
    grand = layout["totals"][2]
    v = math.fsum(x["paye"] for x in layout["data"] if x["paye"] is not None)
    ws[f"F{grand['row']}"] = v
    grand["written"]["F"] = v
    ws.column_dimensions["C"].width = 48
    wb.properties.creator = "katib-sheet fixtures"
    wb.properties.created = dt.datetime(2026, 11, 1)
    wb.save(path)
    return layout


def stats(values):
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    s = math.fsum(vals)
    return {"count": len(vals), "sum": s, "mean": s / len(vals), "median": statistics.median(vals),
            "min": min(vals), "max": max(vals)}


def expected_budget(layout):
    data = layout["data"]
    cols = {
        "Crédits ouverts": [x["credits"] for x in data],
        "Crédits engagés": [x["engage"] for x in data],
        "Payé": [x["paye"] for x in data],
        "Taux d'engagement": [x["taux"] for x in data],
        "Article": [float(x["article"]) for x in data],
    }
    exp = {
        "sheet": "Exécution 2026",
        "title_lines": ["Budget 2026 – Commune d'Oujda", "Situation au 31/10/2026"],
        "header_rows": [4, 5],
        "headers": ["Chapitre", "Article", "Libellé", "Crédits ouverts", "Crédits engagés", "Payé", "Taux d'engagement",
                    "Service", "Date du dernier engagement", "Disponible"],
        "data_rows": len(data),
        "first_data_row": data[0]["row"],
        "last_data_row": data[-1]["row"],
        "columns": {k: stats(v) for k, v in cols.items()},
        "disponible": stats([x["credits"] - x["engage"] for x in data]),
        "errors": sorted(layout["errors"]),
        "label_rows": [r for r, _ in layout["labels"]],
        "dates": {"first": min(x["date"] for x in data if x["date"]).isoformat(),
                  "last": max(x["date"] for x in data if x["date"]).isoformat(),
                  "count": sum(1 for x in data if x["date"])},
    }
    # Totals: written against the sum of the rows each one covers.
    f_rows = [x for x in data if x["chapitre"] in (10, 20)]
    e_rows = [x for x in data if x["chapitre"] == 50]
    covers = {0: f_rows, 1: e_rows, 2: data}
    checks = []
    for i, t in enumerate(layout["totals"]):
        for col, key, header in (("D", "credits", "Crédits ouverts"), ("E", "engage", "Crédits engagés"), ("F", "paye", "Payé")):
            computed = math.fsum(x[key] for x in covers[i] if x[key] is not None)
            checks.append({"row": t["row"], "column": header, "written": t["written"][col], "computed": computed,
                           "matches": abs(t["written"][col] - computed) <= 0.005})
    exp["totals"] = checks
    # Group totals by service.
    groups = {}
    for x in data:
        g = groups.setdefault(x["service"], {"count": 0, "credits": [], "engage": [], "paye": []})
        g["count"] += 1
        for k in ("credits", "engage", "paye"):
            if x[k] is not None:
                g[k].append(x[k])
    exp["by_service"] = {s: {"count": g["count"], "credits": math.fsum(g["credits"]), "engage": math.fsum(g["engage"]),
                             "paye": math.fsum(g["paye"])} for s, g in sorted(groups.items())}
    # Ratio engagé / crédits ouverts, thresholds 100 % and 30 %.
    both = [x for x in data if x["credits"] is not None and x["engage"] is not None]
    defined = [x for x in both if x["credits"] != 0]
    exp["ratio"] = {
        "overall": math.fsum(x["engage"] for x in both) / math.fsum(x["credits"] for x in both),
        "rows": len(defined),
        "undefined": len(data) - len(defined),
        "above_100": [x["row"] for x in defined if x["engage"] / x["credits"] > 1.0],
        "below_30": [x["row"] for x in defined if x["engage"] / x["credits"] < 0.3],
    }
    diffs = [x["engage"] - x["paye"] for x in data if x["engage"] is not None and x["paye"] is not None]
    exp["reste_a_payer"] = {"total": math.fsum(diffs), "rows": len(diffs), "negative": sum(1 for d in diffs if d < 0)}
    return exp


ARABIC_ROWS = [
    ("تعويضات الموظفين", "مصلحة الموارد البشرية", 64_000_000),
    ("التعويضات عن التنقل", "مصلحة الموارد البشرية", 2_400_000),
    ("استهلاك الكهرباء للإنارة العمومية", "القسم التقني", 38_000_000),
    ("استهلاك الماء", "القسم التقني", 6_500_000),
    ("صيانة الطرق الجماعية", "القسم التقني", 14_500_000),
    ("الوقود والزيوت", "مصلحة حظيرة السيارات", 5_800_000),
    ("صيانة وإصلاح السيارات", "مصلحة حظيرة السيارات", 3_100_000),
    ("مصاريف الاتصالات", "القسم المالي", 1_200_000),
    ("لوازم المكتب", "قسم الشؤون الإدارية", 950_000),
    ("مصاريف الطبع والنشر", "قسم الشؤون الإدارية", 620_000),
    ("الإعانات الممنوحة للجمعيات", "قسم الشؤون الاجتماعية والثقافية", 6_000_000),
    ("تنفيذ الأحكام القضائية", "مصلحة الشؤون القانونية", 12_000_000),
    ("صيانة المساحات الخضراء", "مصلحة المنتزهات والحدائق", 9_400_000),
    ("جمع النفايات المنزلية", "القسم التقني", 96_000_000),
    ("حراسة البنايات الجماعية", "قسم الشؤون الإدارية", 3_600_000),
    ("تكوين الموظفين", "مصلحة الموارد البشرية", 850_000),
]


def write_arabic(path, rng):
    wb = Workbook()
    ws = wb.active
    ws.title = "الميزانية"
    ws.sheet_view.rightToLeft = True
    ws["A1"] = "جماعة وجدة - تنفيذ ميزانية التسيير برسم سنة 2026"
    ws.merge_cells("A1:G1")
    headers = ["الباب", "البيان", "الاعتمادات المفتوحة", "المبالغ الملتزم بها", "المبالغ المؤداة", "المصلحة", "التاريخ"]
    for i, h in enumerate(headers):
        ws.cell(row=3, column=i + 1, value=h)
    rows = []
    for k, (label, service, credits) in enumerate(ARABIC_ROWS):
        engaged = round(credits * rng.uniform(0.25, 1.05), -2)
        paid = round(engaged * rng.uniform(0.4, 0.95), 2)
        day = dt.date(2026, 1, 10) + dt.timedelta(days=rng.randrange(0, 280))
        r = 4 + k
        values = [10 + 10 * (k // 6), label, float(credits), float(engaged), float(paid), service,
                  dt.datetime.combine(day, dt.time())]
        for i, v in enumerate(values):
            c = ws.cell(row=r, column=i + 1, value=v)
            if i in (2, 3, 4):
                c.number_format = '#,##0.00 "درهم"'
            if i == 6:
                c.number_format = DATE
        rows.append({"row": r, "credits": float(credits), "engage": float(engaged), "paye": float(paid), "service": service})
    t = 4 + len(ARABIC_ROWS)
    ws.cell(row=t, column=2, value="المجموع")
    for i, key in ((3, "credits"), (4, "engage"), (5, "paye")):
        ws.cell(row=t, column=i, value=math.fsum(x[key] for x in rows)).number_format = '#,##0.00 "درهم"'
    wb.properties.created = dt.datetime(2026, 11, 1)
    wb.save(path)
    return {
        "sheet": "الميزانية",
        "headers": headers,
        "header_rows": [3],
        "data_rows": len(rows),
        "total_row": t,
        "columns": {h: stats([x[k] for x in rows]) for h, k in zip(headers[2:5], ("credits", "engage", "paye"))},
        "by_service": {s: math.fsum(x["credits"] for x in rows if x["service"] == s) for s in sorted({x["service"] for x in rows})},
    }


MARCHES = [
    ("03/2025/DT", "Revêtement de la voirie – quartier Lazaret", "Travaux Routiers de l'Oriental SARL", 14_850_000.00, dt.date(2025, 9, 15), 12, 100, 13_810_500.00, "Réception provisoire"),
    ("05/2025/DT", "Réhabilitation de la chaussée et des trottoirs – boulevard Allal Al Fassi", "Bennani Génie Civil SA", 22_400_000.00, dt.date(2025, 11, 3), 14, 62, 11_872_000.00, "En cours"),
    ("07/2025/DT", "Fourniture et pose de luminaires LED – tranche 2", "Lumina Maroc SA", 9_600_000.00, dt.date(2025, 10, 20), 10, 100, 8_928_000.00, "Réception provisoire"),
    ("02/2026/DT", "Fourniture et pose de luminaires LED – tranche 3", "Lumina Maroc SA", 12_350_000.00, dt.date(2026, 3, 2), 8, 71, 5_557_500.00, "En cours"),
    ("04/2026/DT", "Signalisation routière horizontale et verticale", "Signal Plus SARL", 3_150_000.00, dt.date(2026, 4, 6), 6, 100, 2_929_500.00, "Réception provisoire"),
    ("06/2026/DASC", "Aménagement de trois terrains de sport de proximité", "Sport Infra Oriental SARL", 6_900_000.00, dt.date(2026, 5, 11), 7, 48, 2_760_000.00, "En cours"),
    ("08/2026/DHE", "Aménagement du jardin public de Sidi Yahya", "Green Oriental Paysage SARL", 4_560_000.00, dt.date(2026, 6, 1), 8, 25, 1_140_000.00, "En cours"),
    ("10/2026/DT", "Réhabilitation du marché de proximité Al Qods", "Bâtir Est SARL", 2_850_000.00, dt.date(2026, 6, 15), 5, 40, 950_000.00, "Arrêté"),
    ("11/2026/SPA", "Acquisition de véhicules utilitaires (lot unique)", "Oriental Motors SARL", 5_640_000.00, dt.date(2026, 3, 25), 3, 100, 5_640_000.00, "Soldé"),
    ("12/2026/DT", "Études géotechniques du centre socioculturel", "Labo Test Oriental", 480_500.50, dt.date(2026, 7, 1), 4, 80, 240_250.25, "En cours"),
]


def fr_amount(v):
    s = f"{v:,.2f}"
    return s.replace(",", " ").replace(".", ",")


def write_csv(path):
    header = ["N° marché", "Objet", "Attributaire", "Montant TTC (MAD)", "Date de l'ordre de service",
              "Délai d'exécution (mois)", "Avancement physique (%)", "Montant payé TTC (MAD)", "Statut"]
    with open(path, "w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(header)
        for m in MARCHES:
            w.writerow([m[0], m[1].replace("–", "-"), m[2], fr_amount(m[3]), m[4].strftime("%d/%m/%Y"), m[5], m[6],
                        fr_amount(m[7]), m[8]])
        w.writerow(["", "TOTAL GÉNÉRAL", "", fr_amount(math.fsum(m[3] for m in MARCHES)), "", "", "",
                    fr_amount(math.fsum(m[7] for m in MARCHES)), ""])
    return {
        "headers": header,
        "data_rows": len(MARCHES),
        "columns": {
            "Montant TTC (MAD)": stats([m[3] for m in MARCHES]),
            "Montant payé TTC (MAD)": stats([m[7] for m in MARCHES]),
            "Délai d'exécution (mois)": stats([float(m[5]) for m in MARCHES]),
            "Avancement physique (%)": stats([float(m[6]) for m in MARCHES]),
        },
        "dates": {"first": min(m[4] for m in MARCHES).isoformat(), "last": max(m[4] for m in MARCHES).isoformat()},
        "by_statut": {s: sum(1 for m in MARCHES if m[8] == s) for s in sorted({m[8] for m in MARCHES})},
    }


def libreoffice(src, fmt, out_name):
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        sys.exit("LibreOffice is needed for the .ods/.xls/re-saved .xlsx fixtures: apt-get install libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        profile = "file://" + os.path.join(tmp, "profile")
        subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt, "--outdir", tmp, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        produced = [p for p in os.listdir(tmp) if p != "profile"]
        shutil.move(os.path.join(tmp, produced[0]), os.path.join(OUT, out_name))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(20261031)
    f, e = build(rng)
    budget = os.path.join(OUT, "budget_oujda.xlsx")
    layout = write_budget(budget, f, e)
    expected = {"budget": expected_budget(layout)}
    expected["arabic"] = write_arabic(os.path.join(OUT, "budget_ar.xlsx"), rng)
    expected["marches"] = write_csv(os.path.join(OUT, "marches_cp1252.csv"))
    libreoffice(budget, "ods", "budget_oujda.ods")
    libreoffice(budget, 'xls:MS Excel 97', "budget_oujda.xls")
    # Re-saved from the .ods so that LibreOffice writes an .xlsx of its own (shared strings,
    # cached formula values), as the benchmark's rows100k_sst.xlsx.
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(os.path.join(OUT, "budget_oujda.ods"), os.path.join(tmp, "budget_oujda_lo.ods"))
        libreoffice(os.path.join(tmp, "budget_oujda_lo.ods"), "xlsx", "budget_oujda_lo.xlsx")
    # LibreOffice writes the values of .ods and .xlsx with 15 significant digits (its own
    # rounding): the rates it re-saved are read back with openpyxl and their figures computed
    # from what it stored.
    from openpyxl import load_workbook
    resaved = load_workbook(os.path.join(OUT, "budget_oujda_lo.xlsx")).active
    lo_rates = []
    for x in layout["data"]:
        stored = resaved[f"G{x['row']}"].value
        if x["taux"] is None:
            continue
        if not isinstance(stored, (int, float)) or abs(stored - x["taux"]) > 1e-14:
            sys.exit(f"LibreOffice stored G{x['row']} as {stored!r}, far from {x['taux']!r}")
        lo_rates.append(float(stored))
    expected["budget"]["lo_rates"] = stats(lo_rates)
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as fh:
        json.dump(expected, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")
    for name in sorted(os.listdir(OUT)):
        print(f"{name:28s} {os.path.getsize(os.path.join(OUT, name)):>8,d} B")


if __name__ == "__main__":
    main()
