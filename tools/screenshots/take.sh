#!/usr/bin/env bash
# The docs' screenshots from a real platform run: Azurite, a server and two CPU workers of this build, on free ports,
# with their state in a temporary folder, every process stopped (by its PID) when the script ends.
#   rl    a reward fine-tuning run (examples/reward-hacking.yaml's beta 0 cell: GRPO paid only for the answer's form, on
#         the quickstart's base, taken from BASE_CACHE when a lab run built it) and its run page: docs/screenshots/rl-run.png
#   pool  tenant beta's two low-class runs hold both devices (beta has no guarantee: both are borrowed); alpha's low run
#         reclaims alpha's guaranteed device by preemption, then gamma's high run preempts beta's other run. The Pool page
#         while that stands (classes, borrowed devices, both preemptions, beta's runs queued again:
#         docs/screenshots/pool-preemption.png) and the first preempted run's page with its record (docs/screenshots/run-preempted.png)
# usage: tools/screenshots/take.sh [pool] [rl]       (both when none is named)
# env:   OUT (default docs/screenshots), SKIP_BUILD=1 (this build's outputs are already there), FORGETLAB_CHROMIUM,
#        BASE_CACHE (default ~/.cache/forgetlab/models: bases found there are linked, read-only, into the workers' own
#        cache, so nothing this script trains or scores is written there), KEEP=1 keeps the state folder.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
what=("$@"); [ ${#what[@]} -gt 0 ] || what=(pool rl)
out="$(mkdir -p "${OUT:-docs/screenshots}" && cd "${OUT:-docs/screenshots}" && pwd)"
bin=Release/net10.0

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  for p in src/ForgetLab.Server src/ForgetLab.Worker src/ForgetLab.Cli bench/ForgetLab.Bench.Dashboard; do
    echo "screenshots: building $p" >&2
    dotnet build "$p" -c Release -nologo -v q >/dev/null
  done
fi

state="$(mktemp -d /tmp/forgetlab-shots.XXXXXX)"
pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ -f "$state/azurite/azurite.pid" ] && bash tools/azurite/stop.sh "$state/azurite" >/dev/null
  if [ "${KEEP:-0}" = 1 ]; then echo "screenshots: state and logs kept in $state" >&2; else rm -rf "$state"; fi
}
trap stop_all EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
field() { python3 -c 'import json,sys; v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v[int(k)] if isinstance(v,list) else v.get(k)
print("" if v is None else v)' "$1"; }

# The workers' model cache: the lab's bases, linked (never written), beside whatever these runs build and score.
mkdir -p "$state/cache"
for base in "${BASE_CACHE:-$HOME/.cache/forgetlab/models}"/*/; do
  if [ -f "$base/config.json" ]; then ln -s "${base%/}" "$state/cache/$(basename "$base")"; fi
done

bash tools/azurite/start.sh "$state/azurite" >/dev/null
cs="$(cat "$state/azurite/connection-string")"
admin="shots-admin-$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
cluster="shots-$(python3 -c 'import secrets; print(secrets.token_hex(4))')"
url="http://127.0.0.1:$(free_port)"

# The preemption tests' pool settings: a short lease, a grace long enough for a loaded machine to checkpoint in.
ForgetLab__AdminKey="$admin" setsid dotnet "src/ForgetLab.Server/bin/$bin/ForgetLab.Server.dll" --urls "$url" --environment Production \
  --contentRoot "$root/src/ForgetLab.Server/bin/$bin" --ConnectionStrings:Storage "$cs" \
  --ForgetLab:Silo:ClusterId "$cluster" --ForgetLab:Silo:ServiceId "$cluster" \
  --ForgetLab:Silo:SiloPort "$(free_port)" --ForgetLab:Silo:GatewayPort "$(free_port)" \
  --ForgetLab:Pool:LeaseTtl 00:00:20 --ForgetLab:Pool:PreemptionGrace 00:05:00 \
  >"$state/server.log" 2>&1 </dev/null &
pids+=($!)
for _ in $(seq 1 240); do curl -fsS -o /dev/null "$url/openapi/v1.json" 2>/dev/null && break; sleep 0.5; done
curl -fsS -o /dev/null "$url/openapi/v1.json" || { tail -n 40 "$state/server.log" >&2; echo "screenshots: the server did not start" >&2; exit 1; }

api() { # METHOD PATH KEY [curl args...]: the answer's body; fails on an HTTP error
  local method="$1" path="$2" key="$3"; shift 3
  curl -sS --fail-with-body -X "$method" "$url/$path" -H @<(printf 'Authorization: Bearer %s\n' "$key") "$@"
}
tenant() { # NAME GUARANTEED: a tenant of two devices at most and a member key for it
  api PUT "api/v1/tenants/$1" "$admin" -H 'Content-Type: application/json' \
    -d "{\"displayName\":\"$1\",\"weight\":1,\"maxConcurrentDevices\":2,\"guaranteedDevices\":$2}" >/dev/null
  api POST "api/v1/tenants/$1/keys" "$admin" -H 'Content-Type: application/json' -d '{"label":"screenshots","role":"Member"}' | field secret
}
submit() { # KEY CLASS SPEC_FILE
  python3 -c 'import json,sys; print(json.dumps({"spec": open(sys.argv[2]).read(), "priorityClass": sys.argv[1]}))' "$2" "$3" \
    | api POST api/v1/experiments "$1" -H 'Content-Type: application/json' -d @- >/dev/null
}
wait_for() { # KEY EXPERIMENT RUN PYTHON_CONDITION_ON_r SECONDS: polls the run until the condition holds
  local deadline=$((SECONDS + $5)) body
  while [ "$SECONDS" -lt "$deadline" ]; do
    body="$(api GET "api/v1/experiments/$2/runs/$3" "$1" 2>/dev/null || true)"
    if [ -n "$body" ] && printf '%s' "$body" | python3 -c "import json,sys; r=json.load(sys.stdin); sys.exit(0 if ($4) else 1)"; then return 0; fi
    sleep 2
  done
  echo "screenshots: $2/$3 did not reach ($4) in $5 s; last seen: ${body:-nothing}" >&2
  tail -n 30 "$state"/w*.log >&2
  exit 1
}
shot() { # KEY PAGE_PATH OUT.png SELECTOR
  dotnet "bench/ForgetLab.Bench.Dashboard/bin/$bin/ForgetLab.Bench.Dashboard.dll" screenshot "$url" "$1" "$2" "$out/$3" "$4"
}

worker() { # ID [ENV=VALUE...]
  local id="$1"; shift
  : >"$state/$id.log"
  env FORGETLAB_CACHE="$state/cache" "$@" setsid dotnet "src/ForgetLab.Worker/bin/$bin/ForgetLab.Worker.dll" \
    --devices cpu:1 --id "$cluster-$id" --storage "$cs" --cluster-id "$cluster" --service-id "$cluster" --threads 1 \
    --work-dir "$state/$id" --cli "$root/src/ForgetLab.Cli/bin/$bin/forgetlab.dll" --spec-dir "$root/examples" --metrics-port "$(free_port)" \
    --ForgetLab:Worker:HeartbeatSeconds 1 --ForgetLab:Worker:PollSeconds 0.5 \
    >"$state/$id.log" 2>&1 </dev/null &
  pids+=($!)
  for _ in $(seq 1 240); do grep -q WORKER_READY "$state/$id.log" && return 0; sleep 0.5; done
  tail -n 40 "$state/$id.log" >&2; echo "screenshots: worker $id did not register" >&2; exit 1
}
# A job step takes at least 400 ms (as in the preemption tests), so the pool scenario's runs are still training when preempted.
worker w1 FORGETLAB_JOB_STEP_DELAY_MS=400
worker w2 FORGETLAB_JOB_STEP_DELAY_MS=400

alpha="$(tenant alpha 1)"
beta="$(tenant beta 0)"
gamma="$(tenant gamma 0)"

for w in "${what[@]}"; do
  case "$w" in
    rl)
      python3 tools/screenshots/slice.py examples/reward-hacking.yaml "$state/rl.yaml"
      submit "$alpha" normal "$state/rl.yaml"
      run="$(api GET api/v1/experiments/reward-hacking-shot/runs "$alpha" | field 0.runId)"
      echo "screenshots: reward-hacking-shot/$run training" >&2
      wait_for "$alpha" reward-hacking-shot "$run" 'r["state"] in ("Completed","Failed")' 3600
      wait_for "$alpha" reward-hacking-shot "$run" 'r["state"] == "Completed"' 5
      FORGETLAB_SCREENSHOT_HEIGHT=2400 shot "$alpha" "/experiments/reward-hacking-shot/runs/$run" rl-run.png "#rl-curves"
      ;;
    pool)
      for n in 1 2; do
        sed "s/^name: .*/name: borrower-$n/" tools/screenshots/tiny.yaml >"$state/borrower-$n.yaml"
        submit "$beta" low "$state/borrower-$n.yaml"
      done
      run="$(api GET api/v1/experiments/borrower-1/runs "$beta" | field 0.runId)"
      wait_for "$beta" borrower-1 "$run" 'r["state"] == "Running" and r["lastStep"] >= 2' 900
      wait_for "$beta" borrower-2 "$run" 'r["state"] == "Running" and r["lastStep"] >= 2' 900
      # alpha is below its guarantee of one device, which beta holds: a low run may preempt only to reclaim it.
      sed "s/^name: .*/name: owner/" tools/screenshots/tiny.yaml >"$state/owner.yaml"
      submit "$alpha" low "$state/owner.yaml"
      wait_for "$alpha" owner "$run" 'r["state"] == "Running"' 900
      sed "s/^name: .*/name: urgent/" tools/screenshots/tiny.yaml >"$state/urgent.yaml"
      submit "$gamma" high "$state/urgent.yaml"
      wait_for "$gamma" urgent "$run" 'r["state"] == "Running"' 900
      preempted() { api GET "api/v1/experiments/$1/runs/$run" "$beta" | python3 -c 'import json,sys; r=json.load(sys.stdin); sys.exit(0 if any(p.get("outcome") for p in r["preemptions"]) else 1)'; }
      victim=""
      for e in borrower-1 borrower-2; do preempted "$e" && victim="${victim:-$e}"; done
      [ -n "$victim" ] || { echo "screenshots: no run of beta's was preempted" >&2; tail -n 30 "$state"/server.log "$state"/w*.log >&2; exit 1; }
      FORGETLAB_SCREENSHOT_HEIGHT=1500 shot "$admin" /pool pool-preemption.png "#pool-preemptions tbody tr"
      FORGETLAB_SCREENSHOT_HEIGHT=1900 shot "$beta" "/experiments/$victim/runs/$run" run-preempted.png "#run-preemptions"
      for e in borrower-1 borrower-2 owner; do api POST "api/v1/experiments/$e/cancel" "$([ "$e" = owner ] && echo "$alpha" || echo "$beta")" >/dev/null; done
      api POST api/v1/experiments/urgent/cancel "$gamma" >/dev/null
      ;;
    *) echo "screenshots: unknown '$w' (rl, pool)" >&2; exit 2 ;;
  esac
done
echo "screenshots: saved under $out" >&2
