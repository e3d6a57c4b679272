#!/usr/bin/env bash
# Starts Azurite (blob, queue, table) on loopback with its data in DATA_DIR, installs it first
# when node_modules is missing, waits until its ports answer, and prints its PID and connection
# string:
#   AZURITE_PID=12345
#   AZURITE_CONNECTION_STRING=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;...
# usage: tools/azurite/start.sh DATA_DIR [BLOB_PORT QUEUE_PORT TABLE_PORT]
#   ports default to free ones (0 also means "pick a free one"); 10000 10001 10002 are the
#   ports `UseDevelopmentStorage=true` expects.
# env: AZURITE_WATCH_PID=PID  stop Azurite when that process ends (test fixtures set it, so a
#      crashed test run leaves nothing behind); AZURITE_READY_TIMEOUT seconds (default 60).
# Stop it with tools/azurite/stop.sh DATA_DIR (or by its PID: it ends cleanly on SIGTERM).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ $# -lt 1 ] || [ $# -eq 2 ] || [ $# -eq 3 ] || [ $# -gt 4 ]; then
  echo "usage: $0 DATA_DIR [BLOB_PORT QUEUE_PORT TABLE_PORT]" >&2
  exit 2
fi
data="$1"
mkdir -p "$data"
data="$(cd "$data" && pwd)"

command -v node >/dev/null || { echo "azurite: node is not installed (Azurite needs Node.js 20 or later)" >&2; exit 1; }
bin="$here/node_modules/.bin/azurite"
# Written only after `npm ci` succeeds: an install killed halfway (a test fixture's timeout on a
# loaded machine) can leave .bin/azurite behind without the packages it needs, and must be redone.
installed="$here/node_modules/.forgetlab-installed"
if [ ! -x "$bin" ] || [ ! -f "$installed" ]; then
  # Several test projects start Azurite at once on a fresh clone: one installs while the others
  # wait on the lock (two concurrent `npm ci` into one folder fail with ENOTEMPTY).
  exec 9>"$here/.install.lock"
  flock 9
  if [ ! -x "$bin" ] || [ ! -f "$installed" ]; then
    echo "azurite: installing azurite from tools/azurite/package-lock.json (npm ci)" >&2
    command -v npm >/dev/null || { echo "azurite: npm is not installed" >&2; exit 1; }
    if ! npm ci --prefix "$here" --no-audit --no-fund >"$data/npm-ci.log" 2>&1; then
      cat "$data/npm-ci.log" >&2
      echo "azurite: npm ci failed (log: $data/npm-ci.log)" >&2
      exit 1
    fi
    touch "$installed"
  fi
  flock -u 9
  exec 9>&-
fi

if [ -f "$data/azurite.pid" ] && kill -0 "$(cat "$data/azurite.pid")" 2>/dev/null; then
  echo "azurite: already running for $data with PID $(cat "$data/azurite.pid"); stop it with $here/stop.sh $data" >&2
  exit 1
fi

# Free ports come from the kernel (listen on port 0, read the port back, close).
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'; }
blob="${2:-0}"; queue="${3:-0}"; table="${4:-0}"
[ "$blob" = 0 ] && blob="$(free_port)"
[ "$queue" = 0 ] && queue="$(free_port)"
[ "$table" = 0 ] && table="$(free_port)"

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A port someone else holds would answer the readiness check below for them: refuse it up front.
for port in "$blob" "$queue" "$table"; do
  if answers "$port"; then echo "azurite: port $port on 127.0.0.1 is already in use" >&2; exit 1; fi
done

# setsid: its own process group, so the caller's Ctrl-C or exit does not take it down mid-write.
setsid "$bin" --location "$data" --silent --skipApiVersionCheck \
  --blobHost 127.0.0.1 --blobPort "$blob" \
  --queueHost 127.0.0.1 --queuePort "$queue" \
  --tableHost 127.0.0.1 --tablePort "$table" \
  >"$data/azurite.log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$data/azurite.pid"

if [ -n "${AZURITE_WATCH_PID:-}" ]; then
  watched="$AZURITE_WATCH_PID"
  ( while kill -0 "$watched" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 2; done
    kill -TERM "$pid" 2>/dev/null || true ) >/dev/null 2>&1 </dev/null &
  disown $! 2>/dev/null || true
fi

deadline=$((SECONDS + ${AZURITE_READY_TIMEOUT:-60}))
until answers "$blob" && answers "$queue" && answers "$table"; do
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$data/azurite.log" >&2
    echo "azurite: exited before its ports answered (log: $data/azurite.log)" >&2
    rm -f "$data/azurite.pid"
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    echo "azurite: ports $blob/$queue/$table did not answer within ${AZURITE_READY_TIMEOUT:-60}s (log: $data/azurite.log)" >&2
    rm -f "$data/azurite.pid"
    exit 1
  fi
  sleep 0.2
done

# The well-known development account key Azurite serves (public, not a secret).
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
cs="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
echo "$cs" >"$data/connection-string"
echo "AZURITE_PID=$pid"
echo "AZURITE_CONNECTION_STRING=$cs"
