#!/usr/bin/env bash
# `make shell`: `rasa shell` on loopback with the action server started before and stopped after.
# ACTION_PORT (default 5055) is used when free, otherwise any free port (e.g. while `make run` runs).
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1
RASA=.venv/bin/rasa
PY=.venv/bin/python
probe='import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)'

if ! ls models/*.tar.gz >/dev/null 2>&1; then
  echo "error: no trained model in models/ (run: make train)" >&2; exit 1
fi
free_port() {  # the given port if free, else any free loopback port
  "$PY" - "$1" <<'PY'
import socket, sys
for port in (int(sys.argv[1]), 0):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(s.getsockname()[1])
        break
PY
}
ACTION_PORT=$(free_port "${ACTION_PORT:-5055}")
SHELL_PORT=$(free_port "${SHELL_PORT:-5005}")
mkdir -p var
tmp=$(mktemp -d)
endpoints=endpoints.yml
if [ "$ACTION_PORT" != 5055 ]; then
  endpoints=$tmp/endpoints.yml
  sed "s#http://127.0.0.1:5055/webhook#http://127.0.0.1:${ACTION_PORT}/webhook#" endpoints.yml > "$endpoints"
fi

action_pid=
stop() {
  trap - EXIT
  if [ -n "$action_pid" ]; then
    kill -TERM -- "-$action_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$action_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$action_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap stop EXIT

SANIC_HOST=127.0.0.1 setsid "$RASA" run actions --actions actions --port "$ACTION_PORT" \
  > "$tmp/actions.log" 2>&1 &
action_pid=$!
for _ in $(seq 240); do
  kill -0 "$action_pid" 2>/dev/null || { cat "$tmp/actions.log" >&2; exit 1; }
  "$PY" -c "$probe" "http://127.0.0.1:$ACTION_PORT/health" 2>/dev/null && break
  sleep 0.5
done
echo "Action server on 127.0.0.1:$ACTION_PORT; loading the model (about half a minute)..."
"$RASA" shell -i 127.0.0.1 -p "$SHELL_PORT" --endpoints "$endpoints"
