#!/usr/bin/env bash
# Opens the Katib desktop app (the README's first quick-start command). On Debian/Ubuntu it first
# installs the system libraries a Tauri window needs when they are missing, then builds and runs
# the app. With no endpoint configured it opens in offline practice mode.
set -euo pipefail
cd "$(dirname "$0")/.."
source src-tauri/deps.sh
install_desktop_deps
# WebKitGTK's DMA-BUF renderer leaves the window blank on some GPUs/drivers and under Xvfb.
export WEBKIT_DISABLE_DMABUF_RENDERER="${WEBKIT_DISABLE_DMABUF_RENDERER:-1}"
exec cargo run -q -p katib-desktop -- "$@"
