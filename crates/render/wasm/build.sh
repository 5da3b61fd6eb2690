#!/usr/bin/env bash
# Builds the editor's in-page preview, ui/wasm/preview.wasm, from this crate (katib-render
# compiled to WebAssembly). Run it after changing crates/render: the test
# `preview_wasm_renders_as_the_core_does` (tests/ui.rs) fails while the committed file renders
# differently from the core. Needs the wasm32-unknown-unknown target
# (`rustup target add wasm32-unknown-unknown`); the built file is committed, so nobody else does.
set -euo pipefail
cd "$(dirname "$0")/../../.."
# The registry's and this checkout's paths would otherwise be written into the file.
export RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo --remap-path-prefix=$PWD=/katib"
cargo build -p katib-preview --target wasm32-unknown-unknown --profile wasm --locked
mkdir -p ui/wasm
cp target/wasm32-unknown-unknown/wasm/katib_preview.wasm ui/wasm/preview.wasm.tmp
mv ui/wasm/preview.wasm.tmp ui/wasm/preview.wasm
ls -l ui/wasm/preview.wasm
