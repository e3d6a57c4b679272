#!/usr/bin/env bash
# Peak resident memory against the memory estimate (src/ForgetLab.Core/Models/MemoryEstimate.cs).
#
#   tools/bench/memory.sh                 # the table of docs/benchmarks.md, "Memory"
#   LONG=1 tools/bench/memory.sh          # also RSS at step 100 and step 1,000 of one run
#
# Each line is one `forgetlab bench memory` process, so each peak (VmHWM, reset after a one-step warm-up on a
# tiny model of the same architecture) is that phase's alone: training apart from evaluation.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
threads="${THREADS:-2}"
cli_dll="${CLI_DLL:-src/ForgetLab.Cli/bin/Release/net10.0/forgetlab.dll}"
if [[ -z "${CLI_DLL:-}" ]]; then dotnet build src/ForgetLab.Cli -c Release -nologo -v q >/dev/null; fi
echo "machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc --all) cores, Debian $(cat /etc/debian_version); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
lines="$(mktemp)"; trap 'rm -f "$lines"' EXIT
run() { dotnet "$cli_dll" bench memory --threads "$threads" "$@" | tee -a "$lines"; }
for model in gpt2-reference llama-small; do
  run --model "$model" --phase train --steps 3
  run --model "$model" --phase train --steps 3 --dtype bfloat16
  run --model "$model" --phase train --steps 3 --gradient-checkpointing
  run --model "$model" --phase train --steps 3 --lora
  run --model "$model" --phase eval --steps 3 --batch-size 64
done
run --model gpt2-reference --phase train --steps 3 --glibc-default-malloc
if [[ -n "${LONG:-}" ]]; then
  run --model gpt2-reference --phase train --steps 1000 --batch-size 1 --rss-at 10,100,1000
  run --model gpt2-reference --phase train --steps 1000 --batch-size 1 --rss-at 10,100,1000 --glibc-default-malloc
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
python3 tools/bench/memory_table.py "$lines"
