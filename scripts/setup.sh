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
# The test tools from Debian's packages: chromium for the browser tests, nginx for the load balancer
# in front of the replicas (tests/e2e/test_replicas.py). Only for `make test`.
packages=()
if [ "${WITH_BROWSER:-0}" = 1 ] && [ "${SKIP_BROWSER_TESTS:-0}" != 1 ] && ! command -v chromium >/dev/null; then
  packages+=(chromium)
fi
if [ "${WITH_NGINX:-0}" = 1 ] && ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  packages+=(nginx-light)
fi
if [ "${#packages[@]}" -gt 0 ]; then
  echo "Installing Debian's ${packages[*]} for the tests (SKIP_BROWSER_TESTS=1 skips chromium)"
  sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  # The package scripts must not start nginx's default server on port 80 (policy-rc.d says no).
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d; made_policy=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  if [ "$made_policy" = 1 ]; then "${sudo[@]}" rm -f /usr/sbin/policy-rc.d; fi
fi
