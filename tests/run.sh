#!/usr/bin/env bash
# Katib's whole test suite, as the README's second quick-start command.
#
# Installs what the tests need when missing (Debian/Ubuntu: the WebKitGTK/GTK libraries the
# desktop app builds against, Xvfb and WebKitWebDriver for driving the real window, a D-Bus
# session and gnome-keyring for the real OS-keychain test, LibreOffice to re-read exported
# documents; tauri-driver through cargo), then runs every test inside a private D-Bus session with
# an unlocked Secret Service and a virtual display, so the keychain and the window are exercised
# for real and the user's own keychain and display are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
source src-tauri/deps.sh

extra=()
command -v dbus-run-session >/dev/null || extra+=(dbus)
command -v gnome-keyring-daemon >/dev/null || extra+=(gnome-keyring)
command -v secret-tool >/dev/null || extra+=(libsecret-tools)
command -v soffice >/dev/null || extra+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null || extra+=(poppler-utils)
command -v Xvfb >/dev/null || extra+=(xvfb)
command -v WebKitWebDriver >/dev/null || extra+=(webkit2gtk-driver)
command -v xauth >/dev/null || extra+=(xauth)
install_desktop_deps "${extra[@]}"
command -v cargo >/dev/null || { echo "tests/run.sh: cargo is required (https://rustup.rs)" >&2; exit 1; }
tauri_driver="${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver"
[ -x "$tauri_driver" ] || cargo install tauri-driver@^2 --locked -q
export TAURI_DRIVER="$tauri_driver"

# Missing tools are failures here, not skips.
export KATIB_REQUIRE_KEYCHAIN=1 KATIB_REQUIRE_LIBREOFFICE=1 KATIB_REQUIRE_E2E=1

work=$(mktemp -d)
cleanup() { [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# A virtual display of our own, at the size the app is designed for.
display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY="$display" WEBKIT_DISABLE_DMABUF_RENDERER=1

# The keyring lives in a throw-away folder: a fresh, unlocked collection every run, and the
# user's own keyrings are never opened.
XDG_DATA_HOME="$work" dbus-run-session -- bash -c '
  echo -n katib-tests | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  cargo test --workspace --all-targets --locked
' 2> >(grep -v -e "Failed to set fd limit" -e "^dbus-daemon" -e "gcr-prompter" -e "cannot open display" >&2) | tee "$work/test.log"

# One closing line over every test binary (cargo prints one per binary).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "Summary: %d passed, %d failed\n", p, f; exit (f > 0 || p == 0) }' "$work/test.log"
