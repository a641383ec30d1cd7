#!/usr/bin/env bash
# The portal at volume, as its users load it (issue 16): seeds N fictitious observations, serves
# the release build, signs in as the monitor and the police liaison (authenticator code
# included), and for each view reports
#   - one client: p50 / p99 of the time each page takes (wrk, one connection);
#   - 64 connections for D seconds: requests per second, p50 / p99, errors and timeouts;
# beside the requests per second of `constant` — axum serving the very bytes of the default
# list as a constant — measured in the same run: the limit of this machine and loopback.
# Then the outbox: MAILS (default 20 000; 2 000 in smoke mode) mails due at once, sent by a
# fresh instance to a local SMTP server (scripts/smtp-sink.py): mails per second, first to last.
#
#   bash scripts/bench.sh [N] [sqlite|postgres] [seconds]     (defaults: 1000000 sqlite 30)
#   bash scripts/bench.sh --smoke     (2 000 observations, SQLite, 2 s a measure: what the test
#                                      command runs, so that the benchmark cannot rot)
#
# The seeded data stays in the work folder printed at the start; rerun on it with
# SKIP_SEED=1 WORK=<folder>. Needs the release build (scripts/run.sh or scripts/test.sh make it).
# Every measured page must answer 200 with its own content, or the run fails.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

SMOKE=
if [ "${1:-}" = --smoke ]; then SMOKE=1; set -- 2000 sqlite 2; fi
N="${1:-1000000}"
BACKEND="${2:-sqlite}"
SECONDS_EACH="${3:-30}"
VEILLE="$ROOT/target/release/veille"
CONSTANT="$ROOT/target/release/constant"
for binary in "$VEILLE" "$CONSTANT"; do
  [ -x "$binary" ] || { echo "build the release server first: cargo build -p server --release" >&2; exit 1; }
done
ensure_wrk
CREATED_WORK=
if [ -z "${WORK:-}" ]; then WORK="$(mktemp -d)"; CREATED_WORK=1; fi
mkdir -p "$WORK"
log "work folder: $WORK"
bench_database "$BACKEND"
if [ -z "${SKIP_SEED:-}" ]; then
  log "seeding $N observations ($BACKEND)"
  started=$SECONDS
  # The seed command's own peak memory, as the kernel counted it (a child of python).
  python3 -c '
import resource, subprocess, sys
status = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("seed command peak memory %.0f MB" % peak)
sys.exit(status)
' "$VEILLE" seed --observations "$N"
  echo "seeded in $((SECONDS - started)) s"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT="$(free_port)"
export LEPTOS_SITE_ADDR="127.0.0.1:$PORT"
"$VEILLE" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
CONSTANT_PID=
# Keeps the script's own status (a killed server's would replace it).
SINK_PID=
trap 'status=$?; kill $SERVER_PID $CONSTANT_PID $SINK_PID 2>/dev/null; wait $SERVER_PID $CONSTANT_PID $SINK_PID 2>/dev/null || true; exit $status' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "$BASE/healthz" >/dev/null || { echo "the portal did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }

ensure_node_tools
ln -sfn "$TOOLS/node_modules" "$ROOT/tests/e2e/node_modules"
session() { VEILLE_URL="$BASE" node "$ROOT/tests/e2e/bench-pages.mjs" cookie "$1"; }
MONITOR="$(session analyste@cndh.test)"
LIAISON="$(session liaison.police@police.test)"
[ -n "$MONITOR" ] && [ -n "$LIAISON" ] || { echo "a bench account could not sign in" >&2; exit 1; }

api() { # cookie, server function: its JSON answer
  curl -sf -b "$1" -X POST -H "Origin: $BASE" -H 'Accept: application/json' "$BASE/api/$2"
}
CHOICES="$(api "$MONITOR" list_choices)" || { echo "the monitor's session did not open the list's choices" >&2; exit 1; }
pick() { python3 -c "import json,sys; c=json.load(sys.stdin); print($1)" <<<"$CHOICES"; }
POLICE="$(pick 'next(i for i,n in c["institutions"] if n=="DGPN")')"
CATEGORY="$(pick 'c["categories"][0][0]')"
REGION="$(pick 'next((code for code, name in c["regions"] if name == "Kayes"), c["regions"][0][0])')"
OBSERVATION="$(api "$MONITOR" list_observations | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
FROM="$(date -d "$(date +%Y-%m-01) -3 month" +%Y-%m-%d)"
TO="$(date -d "$(date +%Y-%m-01) -1 day" +%Y-%m-%d)"

# wrk's report as one line: requests/s, p50 ms, p99 ms, errors (non-2xx and socket), timeouts.
summary() {
  python3 -c '
import re, sys
text = sys.stdin.read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m: return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
total = re.search(r"(\d+) requests in", text)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups()[:3])) if sock else 0)
timeouts = int(sock.group(4)) if sock else 0
print("%.0f %.1f %.1f %d %d %d" % (float(rps.group(1)) if rps else 0, ms("50%"), ms("99%"), errors, timeouts, int(total.group(1)) if total else 0))
'
}

run_wrk() { # connections, seconds, cookie, url
  local connections="$1" seconds="$2" cookie="$3" url="$4" threads=2
  [ "$connections" = 1 ] && threads=1
  local header=()
  [ -n "$cookie" ] && header=(-H "Cookie: $cookie")
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 2s --latency "${header[@]}" "$url" | summary
}

FAILED=0
ONE_CLIENT_SECONDS=$(( SECONDS_EACH < 10 ? SECONDS_EACH : 10 ))
printf '\n%s observations on %s; one client %s s, then 64 connections %s s a view\n' "$N" "$BACKEND" "$ONE_CLIENT_SECONDS" "$SECONDS_EACH"
printf '%-26s %9s %9s | %9s %9s %9s %7s %8s\n' view "1c p50" "1c p99" "64c req/s" "64c p50" "64c p99" errors timeouts
measure() { # name, cookie, path, text the page must hold
  local name="$1" cookie="$2" path="$3" expect="$4" code body
  body="$WORK/page.html"
  code="$(curl -s -b "$cookie" -o "$body" -w '%{http_code}' "$BASE$path")"
  if [ "$code" != 200 ] || ! grep -q -- "$expect" "$body"; then
    echo "$name: $path answered $code without \"$expect\"" >&2
    FAILED=1
    return
  fi
  local one many
  one=($(run_wrk 1 "$ONE_CLIENT_SECONDS" "$cookie" "$BASE$path"))
  many=($(run_wrk 64 "$SECONDS_EACH" "$cookie" "$BASE$path"))
  printf '%-26s %6.1f ms %6.1f ms | %9s %6.1f ms %6.1f ms %7s %8s\n' "$name" "${one[1]}" "${one[2]}" \
    "${many[0]}" "${many[1]}" "${many[2]}" "${many[3]}" "${many[4]}"
  if [ "${many[5]}" = 0 ] || [ "${one[5]}" = 0 ]; then
    echo "$name: no request completed" >&2
    FAILED=1
  fi
  # At smoke volume every view answers well within wrk's 2 s: an error or a timeout there is
  # a fault, not a measure.
  if [ -n "$SMOKE" ] && [ "${many[3]}${many[4]}" != 00 ]; then
    echo "$name: ${many[3]} errors and ${many[4]} timeouts at 64 connections" >&2
    FAILED=1
  fi
  [ "$name" = "list (default)" ] && cp "$body" "$WORK/list.html"
  return 0
}

measure "list (default)" "$MONITOR" "/observations" 'class="records case-list"'
measure "list: status referred" "$MONITOR" "/observations?status=referred" 'class="records case-list"'
measure "list: institution DGPN" "$MONITOR" "/observations?institution=$POLICE" 'class="records case-list"'
measure "list: region" "$MONITOR" "/observations?region=$REGION" 'class="records case-list"'
measure "list: category" "$MONITOR" "/observations?category=$CATEGORY" 'class="records case-list"'
measure "list: last quarter" "$MONITOR" "/observations?from=$FROM&to=$TO" 'class="pager"'
measure "list: overdue" "$MONITOR" "/observations?overdue=1" 'class="pager"'
measure "list: search \"fictive\"" "$MONITOR" "/observations?q=fictive" 'class="records case-list"'
measure "referrals (liaison)" "$LIAISON" "/referrals" 'class="records case-list"'
measure "observation page" "$MONITOR" "/observations/$OBSERVATION" 'class="timeline"'
measure "dashboard" "$MONITOR" "/dashboard" '<table'
measure "public page" "" "/transparence" '<table'

# The yardstick: the default list's bytes, as a constant, same machine, same run.
if [ -f "$WORK/list.html" ]; then
  CONSTANT_PORT="$(free_port)"
  "$CONSTANT" "127.0.0.1:$CONSTANT_PORT" "$WORK/list.html" &
  CONSTANT_PID=$!
  for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$CONSTANT_PORT/" && break; sleep 0.1; done
  limit=($(run_wrk 64 "$SECONDS_EACH" "" "http://127.0.0.1:$CONSTANT_PORT/observations"))
  printf '%-26s %20s | %9s %6.1f ms %6.1f ms %7s %8s   (%s bytes)\n' "constant (axum, same bytes)" "" \
    "${limit[0]}" "${limit[1]}" "${limit[2]}" "${limit[3]}" "${limit[4]}" "$(stat -c %s "$WORK/list.html")"
fi

printf '\nserver memory: %.0f MB resident now, %.0f MB at most\n' \
  "$(awk '/VmRSS/ {print $2/1024}' "/proc/$SERVER_PID/status")" \
  "$(awk '/VmHWM/ {print $2/1024}' "/proc/$SERVER_PID/status")"
if grep -q "slow threshold" "$WORK/server.log"; then
  echo "the server log says: $(grep -c 'slow threshold' "$WORK/server.log") connection waits over the slow threshold"
fi

# Mail at volume: MAILS mails due at once (a morning's digests, or a backlog after an SMTP
# outage), sent by a fresh instance to a local SMTP server that keeps nothing.
MAILS="${MAILS:-$([ -n "$SMOKE" ] && echo 2000 || echo 20000)}"
kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true
"$VEILLE" seed --mails "$MAILS" >/dev/null || { echo "could not queue $MAILS mails" >&2; exit 1; }
ensure_smtp_server
SMTP_PORT="$(free_port)"
"$VEILLE_TEST_PYTHON" "$ROOT/scripts/smtp-sink.py" --port "$SMTP_PORT" --expect "$MAILS" \
  --timeout "$([ -n "$SMOKE" ] && echo 120 || echo 900)" >"$WORK/sink.log" 2>&1 &
SINK_PID=$!
for _ in $(seq 1 100); do grep -q ready "$WORK/sink.log" && break; sleep 0.1; done
SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" LEPTOS_SITE_ADDR="127.0.0.1:$(free_port)" OUTBOX_WORKER=on \
  "$VEILLE" serve >"$WORK/mail-server.log" 2>&1 &
SERVER_PID=$!
sink_status=0
wait "$SINK_PID" || sink_status=$?
SINK_PID=
printf '\nmail (MAIL_CONCURRENCY=%s): %s\n' "${MAIL_CONCURRENCY:-64}" "$(tail -1 "$WORK/sink.log")"
printf 'sending instance memory: %.0f MB at most\n' "$(awk '/VmHWM/ {print $2/1024}' "/proc/$SERVER_PID/status")"
if [ "$sink_status" != 0 ]; then
  echo "the outbox did not deliver $MAILS distinct mails" >&2
  tail -20 "$WORK/mail-server.log" >&2
  FAILED=1
fi

if [ -n "$SMOKE" ] && [ -n "$CREATED_WORK" ]; then rm -rf "$WORK"; fi
exit "$FAILED"
