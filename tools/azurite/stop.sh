#!/usr/bin/env bash
# Stops the Azurite that tools/azurite/start.sh started for DATA_DIR (SIGTERM, then SIGKILL
# after 10 s). Its data stays in DATA_DIR for the next start.
# usage: tools/azurite/stop.sh DATA_DIR
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DATA_DIR" >&2; exit 2; }
pidfile="$1/azurite.pid"
[ -f "$pidfile" ] || { echo "azurite: not running for $1 (no $pidfile)" >&2; exit 0; }
pid="$(cat "$pidfile")"
if kill -TERM "$pid" 2>/dev/null; then
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
fi
rm -f "$pidfile"
echo "azurite: stopped PID $pid"
