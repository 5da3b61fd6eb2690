# Sourced by src-tauri/run.sh and tests/run.sh: the Debian/Ubuntu packages a Tauri 2 window needs
# to build and run (WebKitGTK 4.1, GTK 3), installed only when missing.
install_desktop_deps() {
  local need=()
  pkg-config --exists webkit2gtk-4.1 2>/dev/null || need+=(libwebkit2gtk-4.1-dev)
  pkg-config --exists gtk+-3.0 2>/dev/null || need+=(libgtk-3-dev)
  pkg-config --exists librsvg-2.0 2>/dev/null || need+=(librsvg2-dev)
  pkg-config --exists ayatana-appindicator3-0.1 2>/dev/null || need+=(libayatana-appindicator3-dev)
  command -v pkg-config >/dev/null || need+=(pkg-config)
  command -v cc >/dev/null || need+=(build-essential)
  # A font that renders Arabic well.
  # (no grep -q: with pipefail, fc-list killed by SIGPIPE would count as "missing")
  fc-list 2>/dev/null | grep -i "Noto.*Arab" >/dev/null || need+=(fonts-noto-core)
  [ $# -gt 0 ] && need+=("$@")
  if [ ${#need[@]} -gt 0 ]; then
    echo "katib: installing ${need[*]}" >&2
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
}
