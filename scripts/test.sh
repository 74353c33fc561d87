#!/usr/bin/env bash
# The whole test suite: Rust unit and integration tests (cargo test), then the browser tests in a
# real headless Chromium (Debian's chromium + chromium-driver, driven by playwright-core from npm).
# With LIPA_TEST_DATABASE_URL set (postgres://postgres@127.0.0.1:5432/test), the store, web,
# search and CLI tests run a second time, on PostgreSQL.
# Installs what is missing when run as root; otherwise stops and prints the line to run.
set -euo pipefail
cd "$(dirname "$0")/.."

need_chromium() { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }
if ! need_chromium; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing Debian chromium and chromium-driver"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-dejavu-core >/dev/null
  else
    echo "Chromium is missing. Run:  sudo apt-get install -y chromium chromium-driver fonts-dejavu-core" >&2
    exit 1
  fi
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js and npm are missing. Run:  sudo apt-get install -y nodejs npm" >&2
  exit 1
fi

echo "== cargo test (all crates)"
env -u LIPA_TEST_DATABASE_URL cargo test --workspace --locked --no-fail-fast

if [ -n "${LIPA_TEST_DATABASE_URL:-}" ]; then
  # The suite again, each store, web, search and CLI test on a fresh PostgreSQL database. The
  # whole workspace, not just those crates: the same feature set as above, so nothing is rebuilt.
  echo "== cargo test on PostgreSQL"
  cargo test --workspace --locked --no-fail-fast
fi

echo "== browser tests (headless Chromium)"
cargo build --locked -p lipa
( cd tests/browser && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --silent; } )
LIPA_BIN="$PWD/target/debug/lipa" node --test --test-concurrency=1 tests/browser/
