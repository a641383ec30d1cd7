#!/usr/bin/env bash
# Runs every test: `cargo deny` on the dependencies (deny.toml), unit and integration (on
# SQLite and on PostgreSQL), then the browser journeys in headless Chromium against the
# release build that scripts/run.sh serves.
# With CI=true nothing is skipped: PostgreSQL and Chromium are installed and started if missing.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
# The build takes several GB (debug, release and wasm): say how much room there is, so that a
# run stopped by a full disk says so at once.
df -h "$ROOT" | tail -1 | awk '{ print "disk: " $4 " free of " $2 }'

log "supply chain: cargo deny (advisories from the RustSec snapshot, licences, sources)"
ensure_cargo_deny
prepare_advisory_db
cargo fetch --locked --quiet # --offline reads the crates' sources (licence files): download them
cargo deny --offline check

ensure_postgres
ensure_node
ensure_chromium
ensure_java
ensure_smtp_server
build_site
log "weight of the browser bundle as served"
check_weight

log "unit and integration tests (SQLite and PostgreSQL)"
cargo test -p app -p tests --features app/ssr

log "browser journeys (headless Chromium, JavaScript on and off)"
WORK="$(mktemp -d)"
SERVER_PID=""
finish() {
  [ -n "$SERVER_PID" ] && { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap finish EXIT
show_log() { echo "--- server log ---" >&2; tail -50 "$WORK/server.log" >&2; }
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
export DATA_DIR="$WORK/data" LEPTOS_SITE_ROOT="$SITE" LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="127.0.0.1:$PORT"
unset DATABASE_URL SMTP_URL PUBLIC_URL
VEILLE="$ROOT/target/release/veille"
{ "$VEILLE" migrate && "$VEILLE" seed --demo; } >"$WORK/server.log" 2>&1 || { show_log; exit 1; }
"$VEILLE" serve >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
up=0
for _ in $(seq 1 100); do
  if node -e "fetch('http://127.0.0.1:$PORT/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then up=1; break; fi
  sleep 0.2
done
[ "$up" = 1 ] || { echo "the portal did not start" >&2; show_log; exit 1; }
status=0
# ES modules resolve packages from the test file's folder: point it at .tools/.
ln -sfn "$TOOLS/node_modules" "$ROOT/tests/e2e/node_modules"
# One file at a time: the journeys share the demo accounts (their sign-in allowance, and the
# language the loop switches to English and back).
VEILLE_URL="http://127.0.0.1:$PORT" node --test --test-concurrency=1 --test-reporter=spec \
  "$ROOT"/tests/e2e/*.test.mjs || status=$?
[ "$status" = 0 ] || show_log

log "page measures, smoke: Lighthouse on the tip form, and the tip form over slow 3G"
VEILLE_URL="http://127.0.0.1:$PORT" bash "$ROOT/scripts/bench-pages.sh" --smoke || status=$?

log "dashboard benchmark, smoke (200 observations, one run): the benchmark still runs"
bash "$ROOT/scripts/bench-dashboard.sh" --smoke || status=$?

log "volume benchmark, smoke (2 000 observations, 2 s a measure): every view answers under load"
bash "$ROOT/scripts/bench.sh" --smoke || status=$?

log "after the journeys: no client address in the log or the database, no case text in the log"
python3 "$ROOT/tests/leaks.py" "$WORK/server.log" "$DATA_DIR/veille.db" "127.0.0.1:$PORT" \
  "Racket au poste" "Contrôle abusif au péage" || status=$?

log "the audit chain verifies, and an edited entry is found"
"$VEILLE" audit verify || status=$?
python3 - "$DATA_DIR/veille.db" <<'PY' || status=$?
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE audit_entries SET detail = 'edited' WHERE seq = 2")
db.commit()
PY
if out="$("$VEILLE" audit verify 2>&1)"; then
  echo "audit verify passed on an edited log: $out" >&2; status=1
elif ! grep -q "broken at entry 2" <<<"$out"; then
  echo "audit verify did not name entry 2: $out" >&2; status=1
else
  echo "$out"
fi

log "audit verify only reads: a row added by hand is named, and stays as it was"
forged="$(python3 - "$DATA_DIR/veille.db" <<'PY'
import sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO audit_entries (id, actor_id, actor_role, action, target_kind, target_id,"
           " detail, created_at) SELECT randomblob(16), actor_id, actor_role, 'export',"
           " 'observations', target_id, 'forged', created_at FROM audit_entries WHERE seq = 1")
db.commit()
print(uuid.UUID(bytes=db.execute("SELECT id FROM audit_entries WHERE seq IS NULL").fetchone()[0]))
PY
)" || status=$?
dump_audit() {
  python3 - "$DATA_DIR/veille.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for table in ("audit_entries", "audit_chain"):
    for row in db.execute(f"SELECT * FROM {table} ORDER BY rowid"):
        print(table, row)
PY
}
before="$(dump_audit)"
if out="$("$VEILLE" audit verify 2>&1)"; then
  echo "audit verify passed with a row added by hand: $out" >&2; status=1
elif ! grep -q "$forged" <<<"$out"; then
  echo "audit verify did not name the row added by hand ($forged): $out" >&2; status=1
elif [ "$(dump_audit)" != "$before" ]; then
  echo "audit verify changed the audit table" >&2; status=1
else
  echo "$out"
fi
exit "$status"
