#!/usr/bin/env bash
# Several machines, shown on one: Azurite, two ForgetLab servers (each its own HTTP, silo and
# gateway port; the same storage connection string and cluster id, so they form one Orleans
# cluster) and two CPU workers, all on loopback with free ports. It submits tools/demo/tiny.yaml
# through server A, follows it through server B until both runs have ended, shows which worker
# ran each run, then stops everything it started (also on Ctrl-C or failure).
# usage: tools/demo/two-nodes.sh [--no-build] [--keep-state]
#   state (Azurite data, logs, work folders) goes to a temporary folder, removed at the end
#   unless --keep-state. Needs the .NET SDK and Node (Azurite is installed when missing).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
config="${FORGETLAB_CONFIGURATION:-Release}"
build=1 keep=0
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --keep-state) keep=1 ;;
    *) echo "usage: $0 [--no-build] [--keep-state]" >&2; exit 2 ;;
  esac
done

state="$(mktemp -d "${TMPDIR:-/tmp}/forgetlab-two-nodes-XXXXXX")"
cluster="two-nodes-$(date +%s)"
pids=()

stop_all() {
  local pid
  # Workers first (they kill their jobs), then the servers, then Azurite.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ -f "$state/azurite/azurite.pid" ] && bash tools/azurite/stop.sh "$state/azurite" >/dev/null
  if [ "$keep" = 1 ]; then echo "two-nodes: state and logs kept in $state"; else rm -rf "$state"; fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

fail() { echo "two-nodes: $*" >&2; tail -n 30 "$state"/*.log >&2 2>/dev/null || true; exit 1; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const f=new Function("v","return ("+process.argv[1]+")");console.log(f(JSON.parse(s)))})' "$1"; }

if [ "$build" = 1 ]; then
  for p in src/ForgetLab.Server src/ForgetLab.Worker src/ForgetLab.Cli; do
    echo "two-nodes: building $p"
    dotnet build "$p" -c "$config" -nologo -v q >"$state/build.log" 2>&1 || fail "build of $p failed"
  done
fi

bash tools/azurite/start.sh "$state/azurite" >/dev/null
cs="$(cat "$state/azurite/connection-string")"
echo "two-nodes: Azurite PID $(cat "$state/azurite/azurite.pid") (data in $state/azurite); cluster id $cluster"
admin="$(node -e 'console.log(require("crypto").randomBytes(24).toString("base64url"))')"
# In a file only this user reads, never on the servers' command lines (ps shows those to every local user).
(umask 077; printf '%s\n' "$admin" >"$state/admin.key")

declare -A url
for node_name in a b; do
  http="$(free_port)" silo="$(free_port)" gateway="$(free_port)"
  url[$node_name]="http://127.0.0.1:$http"
  setsid dotnet "src/ForgetLab.Server/bin/$config/net10.0/ForgetLab.Server.dll" --urls "${url[$node_name]}" --environment Production \
    --contentRoot "$root/src/ForgetLab.Server/bin/$config/net10.0" \
    --ConnectionStrings:Storage "$cs" --ForgetLab:AdminKeyFile "$state/admin.key" \
    --ForgetLab:Silo:ClusterId "$cluster" --ForgetLab:Silo:ServiceId "$cluster" \
    --ForgetLab:Silo:SiloPort "$silo" --ForgetLab:Silo:GatewayPort "$gateway" \
    >"$state/server-$node_name.log" 2>&1 </dev/null &
  pids+=($!)
  echo "two-nodes: server $node_name PID $! on ${url[$node_name]} (silo port $silo, gateway port $gateway)"
done
for i in 0 1; do
  node_name=$([ "$i" = 0 ] && echo a || echo b)
  deadline=$((SECONDS + 120))
  until curl -fsS -o /dev/null "${url[$node_name]}/openapi/v1.json" 2>/dev/null; do
    kill -0 "${pids[$i]}" 2>/dev/null || fail "server $node_name exited"
    [ "$SECONDS" -lt "$deadline" ] || fail "server $node_name did not answer within 120 s"
    sleep 0.5
  done
done

for n in 1 2; do
  FORGETLAB_CACHE="$state/cache-$n" setsid dotnet "src/ForgetLab.Worker/bin/$config/net10.0/ForgetLab.Worker.dll" \
    --devices cpu:1 --id "$cluster-worker-$n" --storage "$cs" --cluster-id "$cluster" --service-id "$cluster" \
    --work-dir "$state/work-$n" --cli "$root/src/ForgetLab.Cli/bin/$config/net10.0/forgetlab.dll" --threads 1 \
    --ForgetLab:Worker:PollSeconds 0.5 \
    >"$state/worker-$n.log" 2>&1 </dev/null &
  pids+=($!)
  deadline=$((SECONDS + 120))
  until grep -q WORKER_READY "$state/worker-$n.log"; do
    kill -0 "${pids[-1]}" 2>/dev/null || fail "worker $n exited"
    [ "$SECONDS" -lt "$deadline" ] || fail "worker $n did not register within 120 s"
    sleep 0.5
  done
  echo "two-nodes: worker $n PID ${pids[-1]} registered as $cluster-worker-$n"
done

# A tenant is created through server A; its key works on server B: the tenant grain is the cluster's.
curl -fsS -X PUT "${url[a]}/api/v1/tenants/demo" -H @<(printf 'Authorization: Bearer %s\n' "$admin") -H 'Content-Type: application/json' \
  -d '{"displayName":"Demo","weight":1,"maxConcurrentDevices":2}' >/dev/null || fail "creating the tenant through A failed"
key="$(curl -fsS -X POST "${url[a]}/api/v1/tenants/demo/keys" -H @<(printf 'Authorization: Bearer %s\n' "$admin") -H 'Content-Type: application/json' \
  -d '{"label":"two-nodes","role":"Member"}' | json 'v.secret')"

code="$(curl -s -o "$state/submit.json" -w '%{http_code}' -X POST "${url[a]}/api/v1/experiments" \
  -H @<(printf 'Authorization: Bearer %s\n' "$key") -H 'Content-Type: text/yaml' --data-binary @tools/demo/tiny.yaml)"
[ "$code" = 201 ] || fail "submitting through A answered $code: $(cat "$state/submit.json")"
echo "two-nodes: submitted tools/demo/tiny.yaml through server A: $(json 'v.runIds.join(", ")' <"$state/submit.json")"

# Follow it through server B until every run has ended.
deadline=$((SECONDS + 300))
while :; do
  runs="$(curl -fsS "${url[b]}/api/v1/experiments/two-nodes/runs" -H @<(printf 'Authorization: Bearer %s\n' "$key"))" || fail "reading the runs through B failed"
  pending="$(json 'v.filter(r => !["Completed","Failed","Cancelled","StoppedEarly"].includes(r.state)).length' <<<"$runs")"
  [ "$pending" = 0 ] && break
  [ "$SECONDS" -lt "$deadline" ] || fail "the runs did not end within 300 s: $runs"
  sleep 1
done
echo "two-nodes: read through server B:"
for run in $(json 'v.map(r => r.runId).join(" ")' <<<"$runs"); do
  curl -fsS "${url[b]}/api/v1/experiments/two-nodes/runs/$run" -H @<(printf 'Authorization: Bearer %s\n' "$key") \
    | json '`  ${v.recipe.name}: ${v.state} at step ${v.lastStep}; ${v.transitions.filter(t => t.from === "Leased" && t.to === "Running").map(t => t.reason).join("; ")}`'
done
echo "two-nodes: the base's baseline, through server B (recorded once: the first worker to record a suite wins, the other reuses it or is told it lost the race):"
curl -fsS "${url[b]}/api/v1/experiments/two-nodes/baseline" -H @<(printf 'Authorization: Bearer %s\n' "$key") \
  | json 'v.suites.map(s => `  ${s.suite}: ${s.score.toFixed(3)} (${s.items} items, ${s.blobLocation.split("/").pop()})`).join("\n")'
for n in 1 2; do
  reused="$(grep -o '[0-9]* of [0-9]* suites reused from the platform' "$state/worker-$n.log" | head -1)"
  recorded="$(grep -c 'baseline recorded for' "$state/worker-$n.log" || true)"
  lost="$(grep -c 'recorded first by another run' "$state/worker-$n.log" || true)"
  echo "  worker $n: ${reused:-no lease}; recorded $recorded, lost the race for $lost"
done
echo "two-nodes: forgetlab usage, through server B:"
FORGETLAB_URL="${url[b]}" FORGETLAB_API_KEY="$key" dotnet "src/ForgetLab.Cli/bin/$config/net10.0/forgetlab.dll" usage | sed 's/^/  /'
echo "two-nodes: done; stopping everything"
