# Shared by the scripts in this folder: logging and cache-friendly installs.
# Every step prints what it does; an install already present is skipped.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { printf '\033[31mfailed: %s\033[0m\n' "$*" >&2; exit 1; }

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust() {
  command -v cargo >/dev/null || fail "cargo is not installed; install Rust with rustup (https://rustup.rs)"
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown
}

ensure_cargo_tool() { # name version
  local name="$1" version="$2"
  if command -v "$name" >/dev/null && "$name" --version 2>/dev/null | grep -q " $version"; then return; fi
  step "installing $name $version"
  # --locked first; fall back to fresh resolution when a locked dependency is no longer on the registry.
  cargo install "$name" --version "$version" --locked || cargo install "$name" --version "$version"
}
