#!/usr/bin/env python3
"""Independent figures of the spreadsheet samples, for tests/figures.rs to compare Katib with.

Reads samples/inputs/tableau-budget-2026.xlsx and tableau-equipement-ar-2026.xlsx with openpyxl
(data_only=True: the values LibreOffice cached for the formulas), nothing of Katib's, and prints
one JSON object:

  {"tableau-budget-2026.xlsx": {"data_rows": 42, "columns": {HEADER: {"count", "sum", "min",
   "max"}}, "totals": {ROW: {LABEL, HEADER: written}}, "errors": ["I7 #DIV/0!", ...]}, ...}

The data rows are the rows under the header row whose first cell is not a total label ("Total
...", "المجموع ..."); sums use math.fsum (exact, as Katib's). Run from the repository root:

    python3 tests/tools/sheet_sums.py          # needs openpyxl

tests/figures.rs holds the figures this script printed (and, under `--ignored`, runs it again
and compares).
"""

import json
import math
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent.parent
INPUTS = ROOT / "samples" / "inputs"
# (file, header row)
SHEETS = [("tableau-budget-2026.xlsx", 1), ("tableau-equipement-ar-2026.xlsx", 3)]


def is_total(label) -> bool:
    return isinstance(label, str) and label.strip().lower().startswith(("total", "المجموع"))


def figures(name: str, header_row: int) -> dict:
    ws = openpyxl.load_workbook(INPUTS / name, data_only=True).worksheets[0]
    headers = [c.value for c in ws[header_row]]
    data, totals, errors = [], {}, []
    for row in ws.iter_rows(min_row=header_row + 1):
        values = [c.value for c in row]
        if all(v is None for v in values):
            continue
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("#") and c.value.endswith(("!", "?", "A")):
                errors.append(f"{c.coordinate} {c.value}")
        if is_total(values[0]):
            totals[str(row[0].row)] = {"label": values[0], **{h: v for h, v in zip(headers, values) if isinstance(v, (int, float))}}
        else:
            data.append(values)
    columns = {}
    for k, h in enumerate(headers):
        nums = [r[k] for r in data if isinstance(r[k], (int, float)) and not isinstance(r[k], bool)]
        if nums and "Taux" not in h and "نسبة" not in h:
            columns[h] = {"count": len(nums), "sum": math.fsum(nums), "min": min(nums), "max": max(nums)}
    return {"data_rows": len(data), "columns": columns, "totals": totals, "errors": errors}


def main():
    out = {name: figures(name, header) for name, header in SHEETS}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
