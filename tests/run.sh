#!/usr/bin/env bash
# Katib's whole test suite, as the README's second quick-start command.
#
# Installs what the tests need when missing (Debian/Ubuntu: a D-Bus session and gnome-keyring
# for the real OS-keychain test, LibreOffice to re-read exported documents), then runs every test
# inside a private D-Bus session with an unlocked Secret Service, so the keychain is exercised
# for real and the user's own keychain is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v dbus-run-session >/dev/null || need+=(dbus)
command -v gnome-keyring-daemon >/dev/null || need+=(gnome-keyring)
command -v secret-tool >/dev/null || need+=(libsecret-tools)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
if [ ${#need[@]} -gt 0 ]; then
  echo "tests/run.sh: installing ${need[*]}" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "tests/run.sh: cargo is required (https://rustup.rs)" >&2; exit 1; }

# Missing tools are failures here, not skips.
export KATIB_REQUIRE_KEYCHAIN=1 KATIB_REQUIRE_LIBREOFFICE=1

# The keyring lives in a throw-away folder: a fresh, unlocked collection every run, and the
# user's own keyrings are never opened.
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
XDG_DATA_HOME="$keyring_home" dbus-run-session -- bash -c '
  echo -n katib-tests | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  cargo test --workspace --all-targets --locked
' 2> >(grep -v -e "Failed to set fd limit" -e "^dbus-daemon" -e "gcr-prompter" -e "cannot open display" >&2) | tee "$keyring_home/test.log"

# One closing line over every test binary (cargo prints one per binary).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "Summary: %d passed, %d failed\n", p, f; exit (f > 0 || p == 0) }' "$keyring_home/test.log"
