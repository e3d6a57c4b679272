#!/usr/bin/env bash
# Training throughput, ForgetLab (TorchSharp) against a PyTorch twin on the same machine.
#
#   tools/bench/compare-train.sh            # 3 rounds (ROUNDS=5 for more), 2 threads (THREADS=…),
#                                           # float32 and bfloat16 autocast (DTYPES=float32 for one)
#
# 1. Installs Debian's python3-torch (1.13) and libopenblas0-openmp if missing.
# 2. Points PyTorch at OpenBLAS (Debian's default reference BLAS is ~34x slower) through
#    LD_LIBRARY_PATH, and proves it: a 1024x1024 fp32 matmul must reach MIN_GFLOPS and the
#    process must have libopenblas mapped, or the script stops.
# 3. Builds the CLI (Release) and runs `forgetlab bench train --threads N` and
#    tools/bench/train_twin.py alternately, ROUNDS times each, so both see the same load.
# 4. Prints every run, then per method and dtype the median tokens/s of each side, the ratio
#    ForgetLab/PyTorch, the per-round ratios, each side's bfloat16/float32 speed-up, the median
#    optimizer-step time and each side's last-step loss (a numerics check: random tokens, so ≈ ln 512).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

rounds="${ROUNDS:-3}"
threads="${THREADS:-2}"
steps="${STEPS:-30}"
dtypes="${DTYPES:-float32,bfloat16}"
min_gflops="${MIN_GFLOPS:-40}"
py=/usr/bin/python3          # Debian's interpreter: python3-torch lives there, not in pyenv's
cli_dll="${CLI_DLL:-src/ForgetLab.Cli/bin/Release/net10.0/forgetlab.dll}"   # CLI_DLL: an already built copy (then no build)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- 1. packages -------------------------------------------------------------------------------
installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]; }
missing=()
for pkg in python3-torch libopenblas0-openmp; do installed "$pkg" || missing+=("$pkg"); done
if ((${#missing[@]})); then
  sudo=""; [[ $EUID -ne 0 ]] && sudo="sudo"
  echo "installing ${missing[*]} ..." >&2
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { $sudo apt-get update -qq && $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
fi

# --- 2. OpenBLAS for PyTorch, 2 threads for both -----------------------------------------------
blas_dir="$(dirname "$(dpkg -L libopenblas0-openmp | grep -m1 '/libblas\.so\.3$')")"
export LD_LIBRARY_PATH="$blas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export OMP_NUM_THREADS="$threads"

blas_check="$("$py" - "$threads" <<'PY'
import sys, time, torch
torch.set_num_threads(int(sys.argv[1]))
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
for _ in range(2): a @ b
n = 10; t = time.perf_counter()
for _ in range(n): a @ b
gflops = 2 * 1024 ** 3 / ((time.perf_counter() - t) / n) / 1e9
libs = sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l})
openblas = any("openblas" in l for l in libs)
print(f"{torch.__version__} {gflops:.0f} {int(openblas)} {','.join(libs)}")
PY
)"
read -r torch_version gflops has_openblas blas_libs <<<"$blas_check"
if [[ "$has_openblas" != 1 ]] || ((gflops < min_gflops)); then
  echo "PyTorch is not on OpenBLAS (matmul ${gflops} GFLOP/s, libraries: ${blas_libs}); refusing to time it." >&2
  exit 1
fi

# --- 3. build, then alternate ------------------------------------------------------------------
mkdir -p .forgetlab
if [[ -z "${CLI_DLL:-}" ]]; then
  dotnet build src/ForgetLab.Cli -c Release -nologo -v q >.forgetlab/build-cli.log 2>&1 \
    || { cat .forgetlab/build-cli.log >&2; echo "build failed" >&2; exit 1; }
fi

cpu="$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
echo "machine : ${cpu}, $(nproc --all) cores, Debian $(cat /etc/debian_version)"
echo "ours    : TorchSharp 0.107.0 + libtorch-cpu-linux-x64 2.10.0, .NET $(dotnet --version), --threads ${threads}"
echo "twin    : PyTorch ${torch_version} (Debian python3-torch), $($py --version 2>&1), OpenBLAS ($(basename "$(readlink -f "$blas_dir/libopenblas.so.0")")), ${gflops} GFLOP/s on a 1024^2 fp32 matmul, ${threads} threads"
echo "workload: GPT vocab 512, d 256, 4 layers, 4 heads, context 128, batch 16, 5 warm-up + ${steps} timed steps; full and LoRA r=8; dtypes ${dtypes} (bfloat16: autocast on both sides)"
echo "rounds  : ${rounds} (ForgetLab, then PyTorch, alternating)"
echo

results="$(mktemp)"; trap 'rm -f "$results"' EXIT
parse() {   # BENCH|TWIN method=… dtype=… … tokens_per_s=… optimizer_ms=… loss=… (the last step's: same seeded tokens every round)
  sed -n "s/^$1 method=\([^ ]*\) dtype=\([^ ]*\) .*tokens_per_s=\([0-9.]*\) optimizer_ms=\([0-9.]*\) loss=\([0-9.]*\).*/\1 \2 \3 \4 \5/p" | awk -v r="$2" -v side="$3" '{ print r, side, $1, $2, $3, $4, $5 }'
}
expected=$(( 2 * $(tr ',' '\n' <<<"$dtypes" | wc -l) ))
for ((i = 1; i <= rounds; i++)); do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  ours="$(dotnet "$cli_dll" bench train --plain --threads "$threads" --steps "$steps" --dtype "$dtypes" | parse BENCH "$i" forgetlab)"
  twin="$("$py" tools/bench/train_twin.py --threads "$threads" --steps "$steps" --dtypes "$dtypes" | parse TWIN "$i" pytorch)"
  [[ $(wc -l <<<"$ours") -eq $expected && $(wc -l <<<"$twin") -eq $expected ]] || { echo "could not parse a run:"$'\n'"$ours"$'\n'"$twin" >&2; exit 1; }
  printf '%s\n%s\n' "$ours" "$twin" | tee -a "$results" \
    | awk -v l="$load" '{ printf "round %s  %-9s %-7s %-8s %8.0f tokens/s  optimizer %7.2f ms/step  loss %.4f  (load before round: %s)\n", $1, $2, $3, $4, $5, $6, $7, l }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# --- 4. medians and ratios ---------------------------------------------------------------------
# The same table comes from the round lines of an interrupted run's log: tools/bench/train_table.py LOG.
"$py" tools/bench/train_table.py "$results"
