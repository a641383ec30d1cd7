#!/usr/bin/env bash
# Runs the portal: installs what is missing, builds, migrates the embedded SQLite database,
# loads the demo data, prints the demo accounts and serves on http://127.0.0.1:3000.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
build_site
export LEPTOS_SITE_ROOT="$SITE" LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export DATA_DIR="${DATA_DIR:-$ROOT/data}"
VEILLE="$ROOT/target/release/veille"
"$VEILLE" migrate
"$VEILLE" seed --demo
log "Veille: http://$LEPTOS_SITE_ADDR  (Ctrl+C to stop)"
exec "$VEILLE" serve
