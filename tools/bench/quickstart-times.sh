#!/usr/bin/env bash
# The quickstart's wall time cold and warm (docs/benchmarks.md, "The quickstart, cold and warm").
#
#   tools/bench/quickstart-times.sh
#
# Cold: an empty FORGETLAB_CACHE (the base is pre-trained, every suite scored). Warm: the same command again on
# that cache (the base is loaded, scores of identical weights come from the result cache; the fine-tuning reruns).
# Each is one `forgetlab lab run examples/quickstart.yaml` process with torch's default threads; the load average is
# printed beside each time. CLI_DLL: an already built CLI (then no build).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cli_dll="${CLI_DLL:-src/ForgetLab.Cli/bin/Release/net10.0/forgetlab.dll}"
if [[ -z "${CLI_DLL:-}" ]]; then dotnet build src/ForgetLab.Cli -c Release -nologo -v q >/dev/null; fi
cache="$(mktemp -d)"; trap 'rm -rf "$cache"' EXIT
mkdir -p .forgetlab
echo "machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc --all) cores, Debian $(cat /etc/debian_version)"
for kind in cold warm; do
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  start=$(date +%s.%N)
  FORGETLAB_CACHE="$cache" dotnet "$cli_dll" lab run examples/quickstart.yaml --out "out/quickstart-$kind" >".forgetlab/quickstart-$kind.log" 2>&1
  end=$(date +%s.%N)
  printf '%s: %.1f s wall (load before %s, after %s; log .forgetlab/quickstart-%s.log)\n' \
    "$kind" "$(echo "$end - $start" | bc)" "$load" "$(cut -d' ' -f1-3 /proc/loadavg)" "$kind"
done
