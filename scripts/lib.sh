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

ensure_cargo_tool() { # binary version [crate]
  local name="$1" version="$2" crate="${3:-$1}"
  if command -v "$name" >/dev/null && "$name" --version 2>/dev/null | grep -q " $version"; then return; fi
  step "installing $crate $version"
  # --locked first; fall back to fresh resolution when a locked dependency is no longer on the registry.
  cargo install "$crate" --version "$version" --locked || cargo install "$crate" --version "$version"
}

ensure_node() {
  command -v node >/dev/null || fail "Node.js is not installed; install Node.js 20 or newer"
  local major; major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || fail "Node.js $major is too old; install Node.js 20 or newer"
  # Installs the locked versions when the lock file changed since the last install. Not
  # `npm ci`: it refuses a lock file that lacks optional per-platform binaries (deno's for
  # other systems, which some registry mirrors do not carry); `npm install` skips those.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "installing npm dependencies (npm install, locked versions)"
    npm install --no-audit --no-fund
  fi
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] && return
  step "installing Debian's chromium (for the browser tests and the playground screenshot)"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi
}

build_package() {
  # rust-src lets the package build a size-optimized std (js/build.mjs).
  rustup component list --installed 2>/dev/null | grep -q '^rust-src' || rustup component add rust-src
  ensure_cargo_tool wasm-bindgen "$(wasm_bindgen_version)" wasm-bindgen-cli
  step "building the npm package (js/dist)"
  node js/build.mjs
}

build_postman() {
  # The collection, environment and paste-ready script (not committed): from the committed
  # postman/sigv4.postman.js and postman/src, with Node alone.
  step "building the Postman collection (postman/dist)"
  node postman/build.mjs --from-library
}

setup_all() {
  ensure_rust
  ensure_node
  build_package
  build_postman
}
