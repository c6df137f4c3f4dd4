#!/usr/bin/env bash
# Everything `make run` and `make test` need, installed by the project itself; idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh
.venv/bin/python -m bot.nlp build
if [ -f bot/web/package-lock.json ]; then
  if [ ! -f bot/web/node_modules/.package-lock.json ] || [ bot/web/package-lock.json -nt bot/web/node_modules/.package-lock.json ]; then
    command -v npm >/dev/null || { echo "error: npm (Node.js) is needed for the web widget: apt-get install nodejs npm" >&2; exit 1; }
    (cd bot/web && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
if [ "${WITH_BROWSER:-0}" = 1 ] && [ "${SKIP_BROWSER_TESTS:-0}" != 1 ] && ! command -v chromium >/dev/null; then
  echo "Installing Debian's chromium for the browser tests (set SKIP_BROWSER_TESTS=1 to opt out)"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
fi
