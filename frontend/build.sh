#!/usr/bin/env bash
# Build the front-end assets that Flask serves from screening/web/static/ at /assets.
#
#   frontend/build.sh           build what is out of date (fast when nothing is)
#   frontend/build.sh --force   rebuild everything
#
# Steps (each skipped when its outputs are newer than its inputs):
#   1. npm ci in frontend/ (pinned by package-lock.json; optional packages and
#      install scripts skipped: sass's file watcher is not needed to compile)
#   2. Sass: frontend/*.scss -> screening/web/static/css/app.css (Arial build of GOV.UK Frontend)
#   3. copy GOV.UK Frontend's JavaScript to screening/web/static/js/ and its images and
#      manifest to static/ (no fonts: Arial build; no crest: not a GOV.UK service)
#
# None of the outputs is committed (see .gitignore); screening/web/static/js/init.js is.
set -euo pipefail

FRONTEND="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$FRONTEND")"
STATIC="$ROOT/screening/web/static"
NODE_MODULES="$FRONTEND/node_modules"
GOVUK="$NODE_MODULES/govuk-frontend/dist/govuk"

FORCE=0
case "${1:-}" in
  --force) FORCE=1 ;;
  "") ;;
  *) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

log() { printf 'frontend: %s\n' "$*"; }

# True when $1 is missing or older than any of the following paths.
stale() {
  local target="$1"; shift
  [[ $FORCE == 1 || ! -e "$target" ]] && return 0
  [[ -n "$(find "$@" -newer "$target" -print -quit 2>/dev/null)" ]]
}

command -v node >/dev/null || { echo "frontend: node is not installed (Node 20+ needed)" >&2; exit 1; }
command -v npm >/dev/null || { echo "frontend: npm is not installed" >&2; exit 1; }

# 1. Packages. npm writes node_modules/.package-lock.json on every install.
STAMP="$NODE_MODULES/.build-stamp"
if stale "$STAMP" "$FRONTEND/package.json" "$FRONTEND/package-lock.json"; then
  log "npm ci"
  (cd "$FRONTEND" && npm ci --omit=optional --ignore-scripts --no-audit --no-fund --loglevel=error)
  touch "$STAMP"
fi

# 2. Stylesheet.
CSS="$STATIC/css/app.css"
mkdir -p "$STATIC/css"
if stale "$CSS" "$FRONTEND"/*.scss "$STAMP"; then
  log "sass -> static/css/app.css"
  "$NODE_MODULES/.bin/sass" --style=compressed --no-source-map --pkg-importer=node --quiet-deps \
    "$FRONTEND/app.scss" "$CSS.tmp"
  mv "$CSS.tmp" "$CSS"
fi

# 3. GOV.UK Frontend's JavaScript and assets (copied only when changed).
copy() {  # copy SRC DEST when their contents differ (robust to any mtimes npm sets)
  if [[ $FORCE == 1 ]] || ! cmp -s "$1" "$2"; then
    mkdir -p "$(dirname "$2")"
    cp "$1" "$2"
    log "copied ${2#"$ROOT"/}"
  fi
}
copy "$GOVUK/govuk-frontend.min.js" "$STATIC/js/govuk-frontend.min.js"
copy "$GOVUK/assets/manifest.json" "$STATIC/manifest.json"
for f in "$GOVUK"/assets/images/*; do
  name="$(basename "$f")"
  [[ $name == govuk-crest.svg ]] && continue  # the crest is for GOV.UK services only
  copy "$f" "$STATIC/images/$name"
done

log "up to date"
