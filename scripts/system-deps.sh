#!/usr/bin/env bash
# Install the system packages the app and tests need (Debian): Chromium for the browser tests, Node.js and npm for
# the GOV.UK Frontend build, Pango and a metric-compatible Arial (Liberation) for WeasyPrint's referral PDFs, and
# PostgreSQL for the tests' PostgreSQL leg (scripts/with-postgres.sh runs a throw-away server).
# Idempotent: does nothing when they are present.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v npm >/dev/null || need+=(nodejs npm)
ldconfig -p | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
echo "system-deps: installing ${need[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
