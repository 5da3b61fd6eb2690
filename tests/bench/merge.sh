#!/usr/bin/env bash
# katib merge (issue 11, Performance), side by side in one run, hyperfine medians and peak memory
# (/usr/bin/time): the convocation sample's letter (letterhead with a logo, register-free) for
# seeded sheets of members written by openpyxl.
#   1. per-row: 1,000 rows against the loopback server answering each request in 50 ms,
#      concurrency 8; target: at most 1.2x the endpoint-bound limit (1,000 x 50 ms / 8 = 6.25 s).
#   2. exact merge (draft mode) of 1,000 rows into 1,000 .docx + the combined .docx + the tracking
#      .xlsx, vs docxtpl (python-docx-template) rendering the same letter for the same rows (1,000
#      .docx, nothing combined); target: at least 10x faster.
#   3. exact merge of 10,000 rows, Katib alone; target: at most 10 s.
# The peer's venv is target/venv-merge (created when missing; not committed).
# Every timed run writes into a folder of its own: deleting the thousands of letters of the previous
# run just before (hyperfine --prepare 'rm -rf') makes ext4 scan the inodes it has just freed on
# every file creation (recently_deleted(): 5-8x slower file creation here), for Katib and the peer
# alike; an official merging into a new folder pays nothing of the kind. So nothing is deleted
# before the end (about 1 GB in a temporary folder, removed on exit).
#
#   bash tests/bench/merge.sh            # RUNS=3 by default
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-3}
for t in hyperfine /usr/bin/time; do command -v $t >/dev/null || { echo "needs $t (apt-get install hyperfine time)"; exit 1; }; done
venv=target/venv-merge
if ! "$venv/bin/python" -c "import openpyxl, docxtpl" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q openpyxl==3.1.5 docxtpl==0.20.2
fi
py=$PWD/$venv/bin/python
cargo build --release -q -p katib -p katib-testserver
katib=$PWD/target/release/katib
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export KATIB_CONFIG_DIR=$work/config KATIB_DATA_DIR=$work/data KATIB_PRACTICE_PACE_MS=0
mkdir -p "$KATIB_CONFIG_DIR" "$KATIB_DATA_DIR"
cp tests/fixtures/logo.png "$KATIB_CONFIG_DIR/logo.png"
cat > "$KATIB_CONFIG_DIR/config.toml" <<'EOF'
[letterhead]
fr = ["Royaume du Maroc", "Ministère de l'Intérieur", "Wilaya de la Région de l'Oriental", "Commune d'Oujda"]
ar = ["المملكة المغربية", "وزارة الداخلية", "ولاية جهة الشرق", "جماعة وجدة"]
logo = "logo.png"
EOF
draft=samples/practice/merge/convocation.commission.draft.md
"$py" tests/bench/merge_bench.py sheet "$work/rows1000.xlsx" 1000
"$py" tests/bench/merge_bench.py sheet "$work/rows10000.xlsx" 10000
"$py" tests/bench/merge_bench.py template "$work/template-row.xlsx"
# The peer's template is Katib's own letter, its values replaced by docxtpl's tags.
"$katib" merge convocation --sample commission --rows "$work/template-row.xlsx" --draft "$draft" --name modele --out-dir "$work/template" --profile practice 2>/dev/null
template=$work/template/modele.docx
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
merge() { echo "$katib merge convocation --sample commission --rows $1 --out-dir $2 --yes ${@:3}"; }
fresh() { echo "\$(mktemp -d -p $work run-$1.XXXXXX)"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
echo "### katib merge: per-row, 1,000 rows, loopback server answering in 50 ms, concurrency 8"
"$PWD/target/release/katib-testserver" --tokens 40 --first-delay-ms 50 > "$work/server.url" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/server.url" ] && break; sleep 0.1; done
"$katib" profiles add bench --base-url "$(head -1 "$work/server.url")" --model test-model >/dev/null
perrow=$(merge "$work/rows1000.xlsx" "$(fresh perrow)" --mode per-row --profile bench --concurrency 8)
hyperfine -r "$runs" --export-json "$work/perrow.json" "$perrow" >/dev/null
pm=$(peak $(merge "$work/rows1000.xlsx" "$work/perrow" --mode per-row --profile bench --concurrency 8))
# The same 1,000 requests from a bare client: what this server and this machine allow.
floor=$("$py" tests/bench/merge_bench.py floor "$(head -1 "$work/server.url")" 1000 8)
kill "$server_pid"; server_pid=

echo "### katib merge (draft mode, exact) vs docxtpl: 1,000 rows"
exact=$(merge "$work/rows1000.xlsx" "$(fresh exact)" --draft $draft --profile practice)
peer="$py tests/bench/merge_bench.py docxtpl $template $work/rows1000.xlsx $(fresh peer)"
hyperfine -w 1 -r "$runs" --export-json "$work/exact.json" "$exact" "$peer" >/dev/null
km=$(peak $(merge "$work/rows1000.xlsx" "$work/exact" --draft $draft --profile practice))
dm=$(peak $py tests/bench/merge_bench.py docxtpl $template $work/rows1000.xlsx $work/peer)
letters=$(ls "$work/peer" | wc -l)

echo "### katib merge (draft mode, exact): 10,000 rows"
big=$(merge "$work/rows10000.xlsx" "$(fresh big)" --draft $draft --profile practice)
hyperfine -r "$runs" --export-json "$work/big.json" "$big" >/dev/null
bm=$(peak $(merge "$work/rows10000.xlsx" "$work/big" --draft $draft --profile practice))
combined=$(du -m "$work/big/publipostage.docx" | cut -f1)

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" "$pm" "$km" "$dm" "$bm" "$letters" "$combined" "$floor" <<'PY'
import json, sys
work, pm, km, dm, bm, letters, combined, floor = sys.argv[1:]
mb = lambda k: int(k) / 1024
load = lambda n: json.load(open(f"{work}/{n}.json"))["results"]
ok = True
p = load("perrow")[0]
limit = 1000 * 0.050 / 8
met = p["median"] <= 1.2 * limit
ok &= met
print("| workload | Katib (median, min-max) | peer | ratio | target | peak memory |")
print("|---|---:|---:|---:|---|---:|")
print(f"| per-row, 1,000 rows, 50 ms a request, concurrency 8 | {p['median']:.2f} s ({p['min']:.2f}-{p['max']:.2f}) | limit {limit:.2f} s; a bare client to the same server {float(floor):.2f} s | {p['median'] / limit:.2f}x the limit | <= 1.2x {'met' if met else 'NOT MET'} | {mb(pm):.0f} MB |")
k, d = load("exact")
met = d["median"] / k["median"] >= 10
ok &= met
print(f"| exact merge, 1,000 rows: 1,000 .docx + combined + tracking (Katib) vs 1,000 .docx (docxtpl) | {k['median']:.2f} s ({k['min']:.2f}-{k['max']:.2f}) | {d['median']:.2f} s ({d['min']:.2f}-{d['max']:.2f}), {letters} letters | {d['median'] / k['median']:.1f}x faster | >= 10x {'met' if met else 'NOT MET'} | Katib {mb(km):.0f} MB, docxtpl {mb(dm):.0f} MB |")
b = load("big")[0]
met = b["median"] <= 10
ok &= met
print(f"| exact merge, 10,000 rows (combined .docx {combined} MB) | {b['median']:.2f} s ({b['min']:.2f}-{b['max']:.2f}) | | | <= 10 s {'met' if met else 'NOT MET'} | {mb(bm):.0f} MB |")
sys.exit(0 if ok else 1)
PY
