#!/usr/bin/env bash
# Katib's whole test suite, as the README's second quick-start command.
#
# Installs what the tests need when missing (Debian/Ubuntu: the WebKitGTK/GTK libraries the
# desktop app builds against, Xvfb and WebKitWebDriver for driving the real window, a D-Bus
# session and gnome-keyring for the real OS-keychain test, LibreOffice Writer and Calc with the
# fonts the documents ask for, poppler-utils to read the PDFs back, Python's openpyxl as an independent
# spreadsheet reader, Node.js for the window's
# Markdown renderer and its WebAssembly preview, PyGObject with GTK 3 and libXtst to drop a file
# on the window as the desktop does; tauri-driver through cargo), then runs every test, the ones that need those
# tools included (they are `#[ignore]`d under a plain `cargo test`, which says so), inside a
# private D-Bus session with an unlocked Secret Service and a virtual display: the keychain and
# the window are exercised for real, and the user's own keychain and display are never touched.
#
# Every test binary runs even when one fails, and the run always ends with one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
source src-tauri/deps.sh

extra=()
command -v dbus-run-session >/dev/null || extra+=(dbus)
command -v gnome-keyring-daemon >/dev/null || extra+=(gnome-keyring)
command -v secret-tool >/dev/null || extra+=(libsecret-tools)
command -v soffice >/dev/null || extra+=(libreoffice-writer-nogui)
# .xlsx -> .csv conversions need Calc.
[ -e /usr/lib/libreoffice/program/libsclo.so ] || extra+=(libreoffice-calc-nogui)
# The documents ask for Arial: LibreOffice lays them out with its metric twin.
fc-list 2>/dev/null | grep -i "Liberation Sans" >/dev/null || extra+=(fonts-liberation2)
command -v pdftotext >/dev/null || extra+=(poppler-utils)
command -v node >/dev/null || extra+=(nodejs)
# The sheet figures are checked against an independent reader (tests/tools/sheet_sums.py).
# (Debian's python3-openpyxl goes to /usr/bin/python3, which may not be the first python3 on PATH.)
python=""
for p in python3 /usr/bin/python3; do "$p" -c "import openpyxl" 2>/dev/null && { python=$p; break; }; done
[ -n "$python" ] || extra+=(python3-openpyxl)
command -v Xvfb >/dev/null || extra+=(xvfb)
# A file dropped on the window from the desktop: a GTK drag source driven by XTEST
# (tests/tools/xdnd_drop.py).
/usr/bin/python3 -c "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk" 2>/dev/null || extra+=(python3-gi gir1.2-gtk-3.0)
[ -e /usr/lib/x86_64-linux-gnu/libXtst.so.6 ] || ldconfig -p 2>/dev/null | grep -q libXtst.so.6 || extra+=(libxtst6)
command -v WebKitWebDriver >/dev/null || extra+=(webkit2gtk-driver)
command -v xauth >/dev/null || extra+=(xauth)
install_desktop_deps "${extra[@]}"
command -v cargo >/dev/null || { echo "tests/run.sh: cargo is required (https://rustup.rs)" >&2; exit 1; }
tauri_driver="${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver"
[ -x "$tauri_driver" ] || cargo install tauri-driver@^2 --locked -q
export TAURI_DRIVER="$tauri_driver"
export KATIB_PYTHON="${KATIB_PYTHON:-${python:-/usr/bin/python3}}"

work=$(mktemp -d)
cleanup() { [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# A virtual display of our own, at the size the app is designed for.
display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY="$display" WEBKIT_DISABLE_DMABUF_RENDERER=1

# The keyring lives in a throw-away folder: a fresh, unlocked collection every run, and the
# user's own keyrings are never opened. The bench peer (a bare window) is not a test target.
status=0
XDG_DATA_HOME="$work" dbus-run-session -- bash -c '
  echo -n katib-tests | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  cargo test --workspace --exclude katib-bench-bare --lib --bins --tests --locked --no-fail-fast -- --include-ignored
'  2>&1 | grep --line-buffered -v -e "Failed to set fd limit" -e "^dbus-daemon" -e "gcr-prompter" -e "cannot open display" \
  | tee "$work/test.log" || status=$?

# One closing line over every test binary (cargo prints one per binary).
awk -v status="$status" '
  /^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1); if ($i ~ /^ignored/) g += $(i-1) } }
  /^error(\[|:)/ { build = 1 }
  END {
    printf "Summary: %d passed, %d failed, %d ignored", p, f, g
    if (build) printf " (build errors: some tests did not run)"
    if (status != 0 && f == 0 && !build) printf " (cargo exited with %d)", status
    printf "\n"
    exit (f > 0 || p == 0 || status != 0)
  }' "$work/test.log"
