# Shared steps of scripts/run.sh and scripts/test.sh: each installs what is missing, and does
# nothing when it is already there (so a second run is fast). Sourced, not run.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
SITE="$ROOT/target/site"
BINARYEN_VERSION=132.0.0
PLAYWRIGHT_VERSION=1.65.1
AXE_CORE_VERSION=4.14.1
VNU_JAR_VERSION=26.9.27
LIGHTHOUSE_VERSION=12.2.3 # 13 needs Node.js 22; Debian's and CI's Node is 20
CARGO_DENY_VERSION=0.20.2
export LEPTOS_OUTPUT_NAME=veille

log() { printf '\n==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2; return 1; fi
}

apt_install() {
  log "installing Debian packages: $*"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || { log "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
}

# The wasm-bindgen CLI must be exactly the version of the crate in Cargo.lock.
ensure_wasm_bindgen() {
  local want
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    log "installing wasm-bindgen-cli $want (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

# wasm-opt from npm's binaryen (Debian's is too old and breaks hydration), the browser driver
# for the end-to-end tests, and the page checkers of tests/e2e/pages.test.mjs and
# scripts/bench-pages.sh (axe-core, the Nu HTML checker's vnu.jar, Lighthouse), all into .tools/
# with exact versions. One npm command for all: npm drops from .tools/ what a command leaves out.
ensure_node_tools() {
  local ok=1 pkg name version
  [ -x "$TOOLS/node_modules/binaryen/bin/wasm-opt" ] || ok=0
  for pkg in "binaryen $BINARYEN_VERSION" "playwright-core $PLAYWRIGHT_VERSION" \
    "axe-core $AXE_CORE_VERSION" "vnu-jar $VNU_JAR_VERSION" "lighthouse $LIGHTHOUSE_VERSION"; do
    read -r name version <<<"$pkg"
    grep -q "\"version\": \"$version\"" "$TOOLS/node_modules/$name/package.json" 2>/dev/null || ok=0
  done
  if [ "$ok" = 0 ]; then
    ensure_node
    log "installing binaryen $BINARYEN_VERSION, playwright-core $PLAYWRIGHT_VERSION, axe-core $AXE_CORE_VERSION, vnu-jar $VNU_JAR_VERSION and lighthouse $LIGHTHOUSE_VERSION into .tools/"
    mkdir -p "$TOOLS"
    PUPPETEER_SKIP_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
      npm install --prefix "$TOOLS" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "binaryen@$BINARYEN_VERSION" "playwright-core@$PLAYWRIGHT_VERSION" "axe-core@$AXE_CORE_VERSION" \
      "vnu-jar@$VNU_JAR_VERSION" "lighthouse@$LIGHTHOUSE_VERSION"
  fi
  export PATH="$TOOLS/node_modules/binaryen/bin:$PATH"
}

# Java runs the Nu HTML checker (vnu.jar, tests/e2e/html.test.mjs). Before ensure_node_tools:
# vnu-jar's install step, finding no Java, tries to download one (it only warns when it cannot).
ensure_java() {
  command -v java >/dev/null || apt_install default-jre-headless
}

# Node 20 or newer runs the browser tests (playwright-core needs it); Debian 12's own is 18.
ensure_node() {
  command -v node >/dev/null || apt_install nodejs npm
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt 20 ]; then
    echo "Node.js $major found; the browser tests need Node.js 20 or newer on PATH." >&2
    return 1
  fi
}

ensure_chromium() {
  command -v chromium >/dev/null || apt_install chromium chromium-driver
}

# A real SMTP server for the notification tests: aiosmtpd from PyPI in a virtualenv under
# .tools/, driven by tests/smtp/server.py. Exports VEILLE_TEST_PYTHON for the tests.
ensure_smtp_server() {
  command -v python3 >/dev/null || apt_install python3 python3-venv
  local venv="$TOOLS/smtp"
  if ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
    log "installing aiosmtpd (test SMTP server) into $venv"
    python3 -m venv "$venv" || { apt_install python3-venv && python3 -m venv "$venv"; }
    "$venv/bin/pip" install --quiet --disable-pip-version-check aiosmtpd==1.4.6
  fi
  export VEILLE_TEST_PYTHON="$venv/bin/python"
}

# cargo-deny checks the dependency graph against deny.toml (advisories, licences, sources).
ensure_cargo_deny() {
  if [ "$(cargo deny --version 2>/dev/null | awk '{print $2}')" != "$CARGO_DENY_VERSION" ]; then
    log "installing cargo-deny $CARGO_DENY_VERSION (a few minutes, once)"
    cargo install cargo-deny --locked --version "$CARGO_DENY_VERSION"
  fi
}

# cargo-deny cannot clone the RustSec advisory database here: it reads the snapshot in
# ../shared/advisory-db, copied under .tools/ as the git repository it expects (the folder name
# is its hash of the default database URL), recopied only when the snapshot changes.
# Exports VEILLE_ADVISORY_DBS, the db-path that deny.toml reads.
# The RustSec snapshot: $VEILLE_ADVISORY_DB_SNAPSHOT if set, else ../shared/advisory-db next
# to this checkout, else next to the repository it was cloned from (a clone made elsewhere).
advisory_snapshot() {
  local origin candidates=()
  [ -n "${VEILLE_ADVISORY_DB_SNAPSHOT:-}" ] && candidates+=("$VEILLE_ADVISORY_DB_SNAPSHOT")
  candidates+=("$(dirname "$ROOT")/shared/advisory-db")
  origin="$(git -C "$ROOT" config --get remote.origin.url 2>/dev/null || true)"
  origin="${origin#file://}"
  [ -d "$origin" ] && candidates+=("$(cd "$origin" && cd .. && pwd)/shared/advisory-db")
  for c in "${candidates[@]}"; do
    [ -d "$c" ] && { echo "$c"; return 0; }
  done
  echo "no RustSec advisory database snapshot in: ${candidates[*]} (cargo deny needs it; set VEILLE_ADVISORY_DB_SNAPSHOT)" >&2
  return 1
}

prepare_advisory_db() {
  local src dbs="$TOOLS/advisory-dbs" sum
  src="$(advisory_snapshot)" || return 1
  local db="$dbs/advisory-db-3157b0e258782691"
  sum="$(cd "$src" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
  if [ ! -d "$db/.git" ] || [ "$(cat "$dbs/.snapshot.sha256" 2>/dev/null)" != "$sum" ]; then
    log "copying the RustSec advisory database snapshot into .tools/"
    [ -d "$db" ] && { chmod -R u+w "$db"; rm -rf "$db"; }
    mkdir -p "$db"
    cp -R "$src/." "$db/"
    chmod -R u+w "$db"
    git -C "$db" init -q
    git -C "$db" add -A
    git -C "$db" -c user.name=veille -c user.email=veille@localhost -c commit.gpgsign=false commit -qm snapshot
    echo "$sum" > "$dbs/.snapshot.sha256"
  fi
  export VEILLE_ADVISORY_DBS="$dbs"
}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
pg_login() { psql "$1/postgres" -qtAc 'select 1' >/dev/null 2>&1; }

# Starts PostgreSQL when it is not running (installing it on a machine that has none), and
# exports VEILLE_TEST_PG_URL: a role that can log in over TCP and create databases. Where
# `postgres` cannot log in without a password (Debian's default), a `veille_test` role is made.
ensure_postgres() {
  if ! pg_up; then
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      apt_install postgresql postgresql-client
    fi
    log "starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
    pg_up || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; return 1; }
  fi
  local url="${VEILLE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}"
  if ! pg_login "$url"; then
    url="postgres://veille_test:veille_test@127.0.0.1:5432"
    if ! pg_login "$url"; then
      log "creating the PostgreSQL role veille_test (login, create databases)"
      as_root su postgres -c "psql -qc \"DROP ROLE IF EXISTS veille_test; CREATE ROLE veille_test LOGIN CREATEDB PASSWORD 'veille_test'\"" >/dev/null
    fi
    pg_login "$url" || { echo "cannot log in to PostgreSQL at 127.0.0.1:5432 as veille_test" >&2; return 1; }
  fi
  export VEILLE_TEST_PG_URL="$url"
}

# Copies each asset of the package folder under a name carrying a hash of its content
# (veille.<16 hex>.css), compressed beside it (brotli 11, gzip 9) for the server to send as is,
# and lists the names in assets.txt, which the server reads (app/src/server/assets.rs).
publish_hashed() {
  ensure_brotli
  local pkg="$SITE/pkg" file hash hashed
  rm -f "$pkg"/veille.????????????????.* "$pkg/assets.txt.new"
  for file in "$@"; do
    hash="$(sha256sum "$pkg/$file" | cut -c1-16)"
    hashed="${file%.*}.$hash.${file##*.}"
    cp "$pkg/$file" "$pkg/$hashed"
    brotli -q 11 -f -k "$pkg/$hashed"
    gzip -9 -f -k "$pkg/$hashed"
    echo "$file $hashed" >> "$pkg/assets.txt.new"
  done
  mv "$pkg/assets.txt.new" "$pkg/assets.txt"
}

# The browser bundle as served (brotli): the wasm at most 150 KB, its script glue at most
# 15 KB (issue 15). Prints each size; fails past a limit.
check_weight() {
  local pkg="$SITE/pkg" status=0 name hashed limit size checked=0
  while read -r name hashed; do
    case "$name" in
      veille.wasm) limit=153600 ;;
      veille.js) limit=15360 ;;
      *) continue ;;
    esac
    checked=$((checked + 1))
    size="$(stat -c %s "$pkg/$hashed.br")"
    echo "$name: $(stat -c %s "$pkg/$hashed") bytes, $size brotli, $(stat -c %s "$pkg/$hashed.gz") gzip (limit $limit brotli)"
    [ "$size" -le "$limit" ] || { echo "$name weighs more than $limit bytes as served" >&2; status=1; }
  done <"$pkg/assets.txt"
  [ "$checked" = 2 ] || { echo "assets.txt lists $checked of the wasm and its glue" >&2; status=1; }
  return "$status"
}

# The benchmarks' database in $WORK/data (SQLite) or PostgreSQL's veille_bench, migrated with
# the demo accounts unless SKIP_SEED is set; the portal reads only (no mail, no deadline jobs
# writing while views are timed). Needs VEILLE (the release binary) and WORK.
bench_database() {
  export DATA_DIR="$WORK/data" LEPTOS_SITE_ROOT="$SITE" LEPTOS_SITE_PKG_DIR=pkg OUTBOX_WORKER=off DEADLINE_JOBS=off
  unset SMTP_URL PUBLIC_URL
  if [ "$1" = postgres ]; then
    ensure_postgres
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/veille_bench"
    if [ -z "${SKIP_SEED:-}" ]; then
      psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS veille_bench" -c "CREATE DATABASE veille_bench"
    fi
  else
    unset DATABASE_URL
  fi
  if [ -z "${SKIP_SEED:-}" ]; then
    "$VEILLE" migrate >/dev/null 2>&1
    "$VEILLE" seed --demo >/dev/null 2>&1
  fi
}

# Debian's wrk: the load generator of scripts/bench.sh.
ensure_wrk() {
  command -v wrk >/dev/null || apt_install wrk
}

ensure_brotli() {
  command -v brotli >/dev/null || apt_install brotli
}

# The same steps as `cargo leptos build --release`, without needing cargo-leptos installed.
build_site() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_node_tools
  log "building the browser bundle (wasm, release)"
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
  mkdir -p "$SITE/pkg"
  local wasm="$ROOT/target/wasm32-unknown-unknown/wasm-release/frontend.wasm" stamp="$SITE/pkg/.frontend.sha256"
  # wasm-opt takes half a minute: skip both steps when the compiled wasm has not changed and
  # the served one is still ours (`cargo leptos build` writes its own there).
  if [ -f "$SITE/pkg/veille.wasm" ] \
    && [ "$(sha256sum "$wasm" "$SITE/pkg/veille.wasm" | cut -d' ' -f1 | tr '\n' ' ')" = "$(cat "$stamp" 2>/dev/null)" ]; then
    log "browser bundle unchanged"
  else
    wasm-bindgen --target web --out-name veille --out-dir "$SITE/pkg" --no-typescript "$wasm"
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      -o "$SITE/pkg/veille.wasm" "$SITE/pkg/veille_bg.wasm"
    rm -f "$SITE/pkg/veille_bg.wasm"
    sha256sum "$wasm" "$SITE/pkg/veille.wasm" | cut -d' ' -f1 | tr '\n' ' ' > "$stamp"
  fi
  cp "$ROOT/style/main.css" "$SITE/pkg/veille.css"
  publish_hashed veille.css veille.js veille.wasm
  cp -r "$ROOT/public/." "$SITE/"
  log "building the server (release)"
  cargo build -p server --release
}
