#!/usr/bin/env bash
# Katib's benchmarks against the peers named in the issues, side by side in one run:
#   1. streaming: `katib run` vs `curl -N` on the same loopback server (tests/bench/stream.py);
#   2. export: the 300-page report (../shared/bench/long.md, 40 tables) to .docx, vs pandoc;
#   3. desktop: start-up and idle memory of the window vs a bare Tauri 2 window (desktop.py), with
#      29 templates, and with 10,000 runs in the history; the template editor's preview after a
#      keystroke in the real window, beside a call that does nothing (editor.py).
#   4. sheets (tests/bench/sheet.sh: vs python-calamine and pandas), mail-merge (tests/bench/merge.sh:
#      vs the endpoint-bound limit and docxtpl), and the crates' own release benchmarks
#      (pseudonymisation, history, workshop), after the desktop.
# Prints Markdown tables for the README. Needs hyperfine, curl, pandoc (installed when missing) and
# the shared bench inputs (../shared/bench/setup.sh makes them).
set -euo pipefail
cd "$(dirname "$0")/../.."
bench=${KATIB_BENCH_DIR:-../shared/bench}
need=()
for t in hyperfine curl pandoc; do command -v $t >/dev/null || need+=($t); done
command -v /usr/bin/time >/dev/null || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -f "$bench/long.md" ] || bash "$bench/setup.sh"
cargo build --release -q -p katib -p katib-testserver
katib=$PWD/target/release/katib
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "### Streaming (loopback server, one chunk per token)"
python3 tests/bench/stream.py "$katib" "$PWD/target/release/katib-testserver" --runs 21 --tokens 100000 || status=1

echo
echo "### Export: $(wc -c < "$bench/long.md") bytes of Markdown, 40 tables -> .docx"
hyperfine -N -w 1 -r 7 --export-json "$out/export.json" \
  "$katib export $bench/long.md --out $out/katib.docx --force" \
  "pandoc $bench/long.md -o $out/pandoc.docx" >/dev/null
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
km=$(peak "$katib" export "$bench/long.md" --out "$out/k2.docx" --force)
pm=$(peak pandoc "$bench/long.md" -o "$out/p2.docx")
python3 - "$out/export.json" "$km" "$pm" <<'PY' || status=1
import json, sys
r = json.load(open(sys.argv[1]))["results"]
k, p = r[0]["median"], r[1]["median"]
print("| tool | median time | peak memory |")
print("|---|---:|---:|")
print(f"| katib export | {k*1000:.0f} ms | {int(sys.argv[2])/1024:.0f} MB |")
print(f"| pandoc | {p*1000:.0f} ms | {int(sys.argv[3])/1024:.0f} MB |")
print(f"| ratio | katib takes {k/p:.3f} of pandoc's time ({p/k:.1f}x faster; target >= 10x) | |")
sys.exit(0 if p / k >= 10 else 1)
PY

echo
echo "### Desktop window vs a bare Tauri 2 window (both release builds, Xvfb, software rendering)"
cargo build --release -q -p katib-desktop -p katib-bench-bare
cargo build --release -q -p katib-desktop --example seed-history
if [ -z "${DISPLAY:-}" ]; then
  Xvfb :97 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
  export DISPLAY=:97
  trap 'kill $xvfb 2>/dev/null; rm -rf "$out"' EXIT
fi
dbus-run-session -- python3 tests/bench/desktop.py "$PWD/target/release/katib-desktop" "$PWD/target/release/katib-bench-bare" \
  "$PWD/target/release/examples/seed-history" --batches 4 --runs 21 2>/dev/null || status=1
echo
echo "### The template editor's preview after a keystroke, in the real window (needs tauri-driver)"
dbus-run-session -- python3 tests/bench/editor.py "$PWD/target/release/katib-desktop" 2>/dev/null || status=1

echo
echo "### Sheets: every row of the 100,000 x 20 inputs, vs python-calamine and pandas"
KATIB_BENCH_DIR="$bench" bash tests/bench/sheet.sh || status=1
echo
echo "### Mail-merge"
bash tests/bench/merge.sh || status=1
echo
echo "### Pseudonymisation, history, workshop (release examples)"
cargo run --release -q -p katib-pseudo --example bench || status=1
cargo run --release -q -p katib-history --example bench || status=1
cargo run --release -q -p katib-workshop --example bench || status=1
exit ${status:-0}
