#!/usr/bin/env python3
"""Helpers of tests/bench/merge.sh (katib merge vs docxtpl), run with the bench venv's python.

  merge_bench.py sheet PATH N            N members (seeded: the same sheet every time), with the
                                         columns of the convocation sample, written by openpyxl
  merge_bench.py template PATH           one row whose cells are docxtpl's Jinja tags: merged by
                                         Katib, it gives docxtpl the very letter Katib writes
  merge_bench.py docxtpl TEMPLATE ROWS OUTDIR
                                         the peer: python-docx-template renders the letter for
                                         every row of ROWS, one .docx each (a new template object
                                         per letter, as its documentation does)
  merge_bench.py floor URL N C           the floor of the per-row figure: N bare streamed
                                         requests, C at once, to the same server (asyncio raw
                                         sockets, the body read and dropped): what the endpoint
                                         and this machine allow, with no client work at all
"""

import json
import random
import sys
from pathlib import Path

HEADER = ["Civilité", "Prénom", "Nom", "Qualité", "Appel"]
FIRST_M = ["Youssef", "Karim", "Hamid", "Abdelkader", "Mohammed", "Omar", "Driss", "Rachid", "Said", "Mustapha"]
FIRST_F = ["Nadia", "Salma", "Khadija", "Fatima", "Leila", "Houda", "Samira", "Amina", "Zineb", "Meriem"]
LAST = ["Amrani", "El Idrissi", "Benjelloun", "Tazi", "Ouazzani", "Berrada", "Alaoui", "Bennani", "Chraibi", "Fassi Fihri", "Lahlou", "Sqalli"]


def rows(n):
    rnd = random.Random(2026)
    for i in range(n):
        woman = rnd.random() < 0.4
        first = rnd.choice(FIRST_F if woman else FIRST_M)
        last = f"{rnd.choice(LAST)} {i:05d}"
        if woman:
            yield ["Madame", first, last, "Conseillère communale, membre de la Commission", "Madame la Conseillère"]
        else:
            yield ["Monsieur", first, last, "Conseiller communal, membre de la Commission", "Monsieur le Conseiller"]


def write(path, data):
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Membres")
    ws.append(HEADER)
    for r in data:
        ws.append(r)
    wb.save(path)


def docxtpl(template, rows_path, out_dir):
    import openpyxl
    from docxtpl import DocxTemplate

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.load_workbook(rows_path, read_only=True)
    it = wb.active.iter_rows(values_only=True)
    next(it)
    for i, r in enumerate(it, start=2):
        doc = DocxTemplate(template)
        doc.render({"civilite": r[0], "prenom": r[1], "nom": r[2], "qualite": r[3], "appel": r[4]})
        doc.save(out / f"{i:05d}-{r[2]}.docx")


def floor(url, n, c):
    import asyncio
    import time

    host, port = url.split("//")[1].split("/")[0].split(":")
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": "x" * 2000}], "stream": True}).encode()
    req = b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body

    async def one(sem):
        async with sem:
            r, w = await asyncio.open_connection(host, int(port))
            w.write(req)
            await w.drain()
            while await r.read(65536):
                pass
            w.close()

    async def main():
        sem = asyncio.Semaphore(c)
        t = time.perf_counter()
        await asyncio.gather(*[one(sem) for _ in range(n)])
        return time.perf_counter() - t

    print(f"{asyncio.run(main()):.3f}")


def report(paths):
    print("| workload | command | median | min | max | peak memory |")
    print("|---|---|---:|---:|---:|---:|")
    for p in paths:
        data = json.load(open(p))
        for r in data["results"]:
            print(f"| {data.get('workload', '')} | {r['command'].split()[0].split('/')[-1]} | {r['median']:.2f} s | {r['min']:.2f} s | {r['max']:.2f} s | {r.get('peak_mb', 0):.0f} MB |")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "sheet":
        write(sys.argv[2], rows(int(sys.argv[3])))
    elif cmd == "template":
        write(sys.argv[2], [["{{ civilite }}", "{{ prenom }}", "{{ nom }}", "{{ qualite }}", "{{ appel }}"]])
    elif cmd == "docxtpl":
        docxtpl(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "floor":
        floor(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "report":
        report(sys.argv[2:])
    else:
        sys.exit(__doc__)
