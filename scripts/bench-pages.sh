#!/usr/bin/env bash
# Measures the pages as a phone sees them (issue 15): a benchmark, not a test.
#
#   bash scripts/bench-pages.sh [--smoke]
#
# - Lighthouse 12 (its default mobile preset: a mid-range phone on a throttled line, simulated)
#   on /, /login, /signalement, /transparence and, signed in as the demo monitor, /observations,
#   and as the demo member, the filing form /observations/new:
#   prints the performance, accessibility, best-practices and SEO scores of each page, and its
#   main timings. The reports (JSON) stay in a temporary folder, named at the end (not with
#   --smoke).
# - The tip form /signalement loaded cold over slow 3G (400 ms, 400 kbit/s each way) in
#   Chromium: first contentful paint, usable (DOMContentLoaded), interactive (the page marked
#   hydrated), and the bytes transferred.
#
# Against the portal at $VEILLE_URL if set (with the demo data: `veille seed --demo`); otherwise
# it serves the release build already made (target/release/veille and target/site, from
# scripts/run.sh or scripts/test.sh) on a free port with fresh demo data, and stops it after.
# --smoke: Lighthouse on /signalement only, then the 3G timing; under 90 s (scripts/test.sh runs
# it after the journeys). BENCH_MIN_SCORE=90 fails the run if a score is below 90.
# Chromium: /usr/bin/chromium, or $CHROMIUM.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

smoke=0
case "${1:-}" in
  --smoke) smoke=1 ;;
  "") ;;
  *) echo "usage: $0 [--smoke]" >&2; exit 2 ;;
esac

ensure_node
ensure_chromium
ensure_node_tools
export CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}"
OUT="$(mktemp -d)"
SERVER_PID=""
finish() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  # A smoke run keeps no report; a full run says where its reports are.
  if [ "$smoke" = 1 ]; then rm -rf "$OUT"; else echo "Lighthouse reports: $OUT"; fi
}
trap finish EXIT

if [ -z "${VEILLE_URL:-}" ]; then
  [ -x "$ROOT/target/release/veille" ] || { echo "no release build: run scripts/run.sh once, or set VEILLE_URL" >&2; exit 1; }
  PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  export DATA_DIR="$OUT/data" LEPTOS_SITE_ROOT="$SITE" LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="127.0.0.1:$PORT"
  unset DATABASE_URL SMTP_URL PUBLIC_URL
  { "$ROOT/target/release/veille" migrate && "$ROOT/target/release/veille" seed --demo; } >"$OUT/server.log" 2>&1 \
    || { tail -20 "$OUT/server.log" >&2; exit 1; }
  "$ROOT/target/release/veille" serve >>"$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  export VEILLE_URL="http://127.0.0.1:$PORT"
  up=0
  for _ in $(seq 1 100); do
    node -e "fetch('$VEILLE_URL/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && { up=1; break; }
    sleep 0.2
  done
  [ "$up" = 1 ] || { echo "the portal did not start" >&2; tail -20 "$OUT/server.log" >&2; exit 1; }
fi
# ES modules resolve packages from the script's folder: point it at .tools/.
ln -sfn "$TOOLS/node_modules" "$ROOT/tests/e2e/node_modules"

# name, path, and whether it needs the monitor's session.
if [ "$smoke" = 1 ]; then
  PAGES=("tip-form /signalement -")
else
  PAGES=("home / -" "login /login -" "tip-form /signalement -" "transparency /transparence -"
    "observations /observations monitor" "filing-form /observations/new member")
fi
declare -A EMAIL=([monitor]=analyste@cndh.test [member]=membre@femmes-kayes.test)

for entry in "${PAGES[@]}"; do
  read -r name path who <<<"$entry"
  extra=()
  if [ "$who" != - ]; then
    headers="$OUT/headers-$who.json"
    if [ ! -f "$headers" ]; then
      cookie="$(node "$ROOT/tests/e2e/bench-pages.mjs" cookie "${EMAIL[$who]}")"
      node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({ Cookie: process.argv[2] }))' "$headers" "$cookie"
    fi
    extra=(--extra-headers="$headers")
  fi
  log "Lighthouse (mobile) on $path"
  # Headless Chromium sometimes loses the trace of a load (NO_NAVSTART): one more try.
  for try in 1 2; do
    "$TOOLS/node_modules/.bin/lighthouse" "$VEILLE_URL$path" --quiet --output=json \
      --output-path="$OUT/$name.json" --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
      --only-categories=performance,accessibility,best-practices,seo "${extra[@]}" && break
    [ "$try" = 1 ] || { echo "Lighthouse failed twice on $path" >&2; exit 1; }
  done
done
rm -f "$OUT"/headers-*.json

log "Lighthouse scores (out of 100) and timings (simulated mobile)"
status=0
node - "$OUT" "${BENCH_MIN_SCORE:-0}" "${PAGES[@]}" <<'JS' || status=$?
const { readFileSync } = require('fs');
const [dir, min, ...pages] = process.argv.slice(2);
const row = (cells) => cells.map((c, i) => String(c).padEnd(i === 0 ? 19 : 12)).join('');
console.log(row(['page', 'perf', 'a11y', 'best-pract.', 'SEO', 'FCP', 'LCP', 'TBT', 'CLS']));
let low = [];
for (const entry of pages) {
  const [name, path] = entry.split(' ');
  const report = JSON.parse(readFileSync(`${dir}/${name}.json`, 'utf8'));
  // A session that did not hold would measure the sign-in page instead.
  const landed = new URL(report.finalDisplayedUrl).pathname;
  if (landed !== path) low.push(`${path} led to ${landed}`);
  const scores = ['performance', 'accessibility', 'best-practices', 'seo']
    .map((k) => Math.round((report.categories[k]?.score ?? 0) * 100));
  const audit = (id) => report.audits[id]?.numericValue;
  const ms = (v) => (v === undefined ? 'n/a' : `${Math.round(v)} ms`);
  console.log(row([path, ...scores, ms(audit('first-contentful-paint')), ms(audit('largest-contentful-paint')),
    ms(audit('total-blocking-time')), (audit('cumulative-layout-shift') ?? 0).toFixed(3)]));
  // What each page lost points on (audits that did not pass, in the four categories).
  for (const [key, category] of Object.entries(report.categories)) {
    const failed = category.auditRefs.filter((r) => r.weight > 0 && (report.audits[r.id].score ?? 1) < 1)
      .map((r) => r.id);
    if (failed.length) console.log(`    ${key}: ${failed.join(', ')}`);
  }
  scores.forEach((s) => { if (s < Number(min)) low.push(`${path} ${s}`); });
}
if (low.length) { console.error(`under ${min} or not measured: ${low.join(', ')}`); process.exit(1); }
JS

log "the tip form over slow 3G, cold cache"
node "$ROOT/tests/e2e/bench-pages.mjs" slow3g /signalement || status=$?
if [ "$smoke" = 0 ]; then
  log "the member's filing form over slow 3G, cold cache"
  node "$ROOT/tests/e2e/bench-pages.mjs" slow3g /observations/new membre@femmes-kayes.test || status=$?
fi
exit "$status"
