#!/usr/bin/env bash
# `make run`: the action server, then Rasa (REST, socket.io + the chat page, Slack) on $HOST:$PORT.
# Settings (environment): HOST, PORT, ACTION_PORT; CHAT_ALLOWED_ORIGINS, other sites that may
# embed the widget; RASA_API_TOKEN, enables Rasa's HTTP API behind that token; SLACK_BOT_TOKEN and
# SLACK_SIGNING_SECRET enable Slack (docs/channels.md). Ctrl-C stops both servers.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
export RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1
RASA=.venv/bin/rasa
PY=.venv/bin/python
probe='import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)'

if ! ls models/*.tar.gz >/dev/null 2>&1; then
  echo "error: no trained model in models/ (run: make train)" >&2; exit 1
fi
mkdir -p var
tmp=$(mktemp -d)
endpoints=endpoints.yml
if [ "$ACTION_PORT" != 5055 ]; then
  endpoints=$tmp/endpoints.yml
  sed "s#http://127.0.0.1:5055/webhook#http://127.0.0.1:${ACTION_PORT}/webhook#" endpoints.yml > "$endpoints"
fi

# Rasa's HTTP API (/conversations, /model ...) only with a token; the channels need no API.
api_args=()
if [ -n "${RASA_API_TOKEN:-}" ]; then
  api_args=(--enable-api --auth-token "$RASA_API_TOKEN")
fi
# The same allow-list for socket.io (read by the channel) and for Rasa's other routes (--cors).
read -r -a origins <<< "$(tr ',' ' ' <<< "${CHAT_ALLOWED_ORIGINS:-}")"
cors_args=()
if [ "${#origins[@]}" -gt 0 ]; then
  cors_args=(--cors "${origins[@]}")
fi

# A knowledge base that is missing or unreadable stops the start with the command to fix it.
"$PY" -m bot.kb check

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 80); do  # up to 8 s for a clean exit, then no more waiting
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 130' INT TERM

# Both servers stay in this script's process group: a supervisor that signals the group
# (SIGTERM, then SIGKILL) reaches them too, and stop() ends them on Ctrl-C or SIGTERM.
SANIC_HOST=127.0.0.1 "$RASA" run actions --actions actions --port "$ACTION_PORT" &
pids+=($!)
"$RASA" run -i "$HOST" -p "$PORT" --credentials credentials.yml --endpoints "$endpoints" \
  "${api_args[@]}" "${cors_args[@]}" &
pids+=($!)

probe_host=$HOST
case $HOST in 0.0.0.0 | "::" | "") probe_host=127.0.0.1 ;; esac
wait_for() {  # url, name
  for _ in $(seq 240); do
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "error: $2 exited during start-up" >&2; exit 1; }
    done
    "$PY" -c "$probe" "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "error: $2 did not answer $1 within 2 minutes" >&2; exit 1
}
wait_for "http://127.0.0.1:$ACTION_PORT/health" "the action server"
wait_for "http://$probe_host:$PORT/webhooks/rest/" "Rasa"

base="http://$probe_host:$PORT"
echo
echo "  Chat page:  $base/"
echo "  REST:       $base/webhooks/rest/webhook   (POST {\"sender\": \"me\", \"message\": \"hi\"})"
if [ -n "${SLACK_BOT_TOKEN:-}" ] && [ -n "${SLACK_SIGNING_SECRET:-}" ]; then
  echo "  Slack:      $base/webhooks/slack/webhook"
else
  echo "  Slack:      off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, see docs/channels.md)"
fi
if [ ${#api_args[@]} -gt 0 ]; then echo "  HTTP API:   $base/status?token=..."; fi
echo "  Ctrl-C stops both servers."
echo
wait -n "${pids[@]}"
echo "error: a server stopped; stopping the other" >&2
exit 1
