#!/usr/bin/env bash
# katib-sheet's profile of the 100,000 x 20 standard inputs, every row, side by side in one run
# with its peers (issue 11): python-calamine's bare read for .xlsx, the shared-strings .xlsx and
# .ods (target: at most 0.5x its time, at most a quarter of its peak memory), and pandas
# read_csv + describe for .csv (target: at least 3x faster). Prints a Markdown table.
#
#   bash tests/bench/sheet.sh            # inputs and peers' venv from ../shared/bench (setup.sh)
#   KATIB_BENCH_DIR=DIR KATIB_BENCH_PEERS=DIR/peers.py RUNS=7 bash tests/bench/sheet.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bench=${KATIB_BENCH_DIR:-../shared/bench}
peers=${KATIB_BENCH_PEERS:-$bench/peers.py}
py=${KATIB_BENCH_PYTHON:-$bench/venv/bin/python}
runs=${RUNS:-5}
[ -f "$bench/rows100k.xlsx" ] || bash "$bench/setup.sh"
for t in hyperfine /usr/bin/time; do command -v $t >/dev/null || { echo "needs $t (apt-get install hyperfine time)"; exit 1; }; done
cargo build --release -q -p katib-sheet --example profile
katib=$PWD/target/release/examples/profile
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
rows=()
for spec in "rows100k.xlsx calamine_bare" "rows100k_sst.xlsx calamine_bare" "rows100k.ods calamine_bare" "rows100k.csv pd_csv"; do
  set -- $spec
  file=$bench/$1
  # Interleaved runs of both commands, one warm-up each.
  hyperfine -N -w 1 -r "$runs" --export-json "$out/$1.json" "$katib $file" "$py $peers $2 $file" >/dev/null
  km=$(peak "$katib" "$file"); pm=$(peak "$py" "$peers" "$2" "$file")
  rows+=("$1 $2 $out/$1.json $km $pm")
done
python3 - "${rows[@]}" <<'PY'
import json, sys
print("| input | peer | Katib profile (median) | peer (median) | time ratio | target | Katib peak | peer peak | memory ratio |")
print("|---|---|---:|---:|---:|---|---:|---:|---:|")
ok = True
for arg in sys.argv[1:]:
    name, peer, path, km, pm = arg.split()
    r = json.load(open(path))["results"]
    k, p = r[0]["median"], r[1]["median"]
    km, pm = int(km) / 1024, int(pm) / 1024
    if peer == "pd_csv":
        target, met = ">= 3x faster", p / k >= 3
        ratio = f"{p / k:.1f}x faster"
    else:
        target, met = "<= 0.5x, <= 1/4 memory", k / p <= 0.5 and km <= pm / 4
        ratio = f"{k / p:.2f}x"
    ok &= met
    print(f"| {name} | {peer} | {k*1000:.0f} ms | {p*1000:.0f} ms | {ratio} | {target} {'met' if met else 'NOT MET'} | {km:.0f} MB | {pm:.0f} MB | {km / pm:.2f} |")
sys.exit(0 if ok else 1)
PY
