#!/usr/bin/env bash
# Measures the dashboard at volume: seeds N fictitious observations into a fresh database
# (SQLite by default, or PostgreSQL), starts the release server, and times each dashboard view
# as a monitor sees it, page and data alone, over several runs. Prints the medians in ms.
#
#   bash scripts/bench-dashboard.sh [N] [sqlite|postgres] [runs]
#   bash scripts/bench-dashboard.sh --smoke     (200 observations, SQLite, one run: what the
#                                                test command runs, so the benchmark cannot rot)
#
# Needs the release build (scripts/run.sh or scripts/test.sh make it). The seeded data stays
# in the work folder printed at the start, for reruns with SKIP_SEED=1 WORK=<folder>.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

SMOKE=
if [ "${1:-}" = --smoke ]; then SMOKE=1; set -- 200 sqlite 1; fi
N="${1:-1000000}"
BACKEND="${2:-sqlite}"
RUNS="${3:-9}"
VEILLE="$ROOT/target/release/veille"
[ -x "$VEILLE" ] || { echo "build the release server first: cargo build -p server --release" >&2; exit 1; }
CREATED_WORK=
if [ -z "${WORK:-}" ]; then WORK="$(mktemp -d)"; CREATED_WORK=1; fi
mkdir -p "$WORK"
log "work folder: $WORK"
bench_database "$BACKEND"
if [ -z "${SKIP_SEED:-}" ]; then
  log "seeding $N observations ($BACKEND)"
  "$VEILLE" seed --observations "$N" 2>&1 | tail -1
fi

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export LEPTOS_SITE_ADDR="127.0.0.1:$PORT"
"$VEILLE" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
# Keeps the script's own status (the server's, killed here, would replace it).
# A smoke run's own folder goes with it (a full run's stays, for reruns on the seeded data).
trap 'status=$?; kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null || true; [ -n "$SMOKE" ] && [ -n "$CREATED_WORK" ] && rm -rf "$WORK"; exit $status' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
# Let the deadline jobs' first pass finish before measuring.
sleep 5

# The monitor signs in as a browser does, authenticator code included (a password alone no
# longer opens a monitor's session): the journeys' helper gives the session's cookie.
ensure_node_tools
ln -sfn "$TOOLS/node_modules" "$ROOT/tests/e2e/node_modules"
COOKIE="$(VEILLE_URL="$BASE" node "$ROOT/tests/e2e/bench-pages.mjs" cookie analyste@cndh.test)"
[ -n "$COOKIE" ] || { echo "the monitor could not sign in" >&2; exit 1; }
# curl -b takes "name=value; …" as the cookies themselves.
JAR="$COOKIE"
POLICE="$(curl -sf -b "$JAR" -X POST -H "Origin: $BASE" -H 'Accept: application/json' "$BASE/api/list_choices" |
  python3 -c 'import json,sys; print(next(i for i,n in json.load(sys.stdin)["institutions"] if n=="DGPN"))')" ||
  { echo "the monitor's session did not open the dashboard's choices" >&2; exit 1; }
QUARTER_FROM="$(date -d "$(date +%Y-%m-01) -3 month" +%Y-%m)"
QUARTER_TO="$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m)"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() { # name, query string (page and server function)
  local name="$1" query="$2" form="$3" page=() data=()
  # Warm-up, and proof that what is timed is the dashboard itself (not a way to sign-in).
  local code
  code="$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' "$BASE/dashboard?$query")"
  [ "$code" = 200 ] || { echo "$name: the dashboard answered $code" >&2; exit 1; }
  for _ in $(seq 1 "$RUNS"); do
    page+=("$(curl -s -b "$JAR" -o /dev/null -w '%{time_starttransfer}' "$BASE/dashboard?$query")")
    data+=("$(curl -s -b "$JAR" -o /dev/null -w '%{time_starttransfer}' -X POST -H "Origin: $BASE" \
      -H 'Accept: application/json' --data "$form" "$BASE/api/get_dashboard")")
  done
  printf '%-28s page %7.1f ms   data %7.1f ms\n' "$name" \
    "$(printf '%s\n' "${page[@]}" | median | awk '{print $1*1000}')" \
    "$(printf '%s\n' "${data[@]}" | median | awk '{print $1*1000}')"
}

log "dashboard, $N observations on $BACKEND: median of $RUNS runs (time to first byte, localhost)"
measure "unfiltered" "" ""
measure "last quarter" "from=$QUARTER_FROM&to=$QUARTER_TO" "filter[from]=$QUARTER_FROM&filter[to]=$QUARTER_TO"
measure "one institution (DGPN)" "institution=$POLICE" "filter[institution]=$POLICE"
measure "women's orgs, sensitive, Kayes" "womens=1&sensitive=1&region=ML-1" "filter[womens]=true&filter[sensitive]=true&filter[region]=ML-1"

log "full CSV export of the observations (streamed)"
peak() { awk '/VmHWM/ {print $2/1024}' "/proc/$SERVER_PID/status"; }
before="$(peak)"
curl -s -b "$JAR" -o "$WORK/export.csv" -w 'exported %{size_download} bytes in %{time_total} s\n' "$BASE/exports/observations?format=csv"
printf 'rows: %s; server peak memory %.0f MB before, %.0f MB after\n' \
  "$(($(wc -l <"$WORK/export.csv") - 1))" "$before" "$(peak)"
rm -f "$WORK/export.csv"
