#!/usr/bin/env bash
# Runs every test: unit and integration (on SQLite and on PostgreSQL), then the browser
# journeys in headless Chromium against the release build that scripts/run.sh serves.
# With CI=true nothing is skipped: PostgreSQL and Chromium are installed and started if missing.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_postgres
ensure_chromium
build_site

log "unit and integration tests (SQLite and PostgreSQL)"
export VEILLE_TEST_PG_URL="${VEILLE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}"
cargo test -p app -p tests --features app/ssr

log "browser journeys (headless Chromium, JavaScript on and off)"
WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export DATA_DIR="$WORK/data" LEPTOS_SITE_ROOT="$SITE" LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="127.0.0.1:$PORT"
unset DATABASE_URL SMTP_URL PUBLIC_URL
VEILLE="$ROOT/target/release/veille"
"$VEILLE" migrate >"$WORK/server.log" 2>&1
"$VEILLE" seed --demo >>"$WORK/server.log" 2>&1
"$VEILLE" serve >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
status=0
# ES modules resolve packages from the test file's folder: point it at .tools/.
ln -sfn "$TOOLS/node_modules" "$ROOT/tests/e2e/node_modules"
VEILLE_URL="http://127.0.0.1:$PORT" node --test --test-reporter=spec "$ROOT"/tests/e2e/*.test.mjs || status=$?
if [ "$status" != 0 ]; then
  echo "--- server log ---" >&2; tail -50 "$WORK/server.log" >&2
fi
exit "$status"
