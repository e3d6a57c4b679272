#!/usr/bin/env bash
# Regenerates the outputs beside this script (docs/science.md, "Measured"): the halving search replayed on finished grids
# whose checkpoints carry training and scoring times, and the forgetting forecast checked on every completed run with more
# than three checkpoints. Run from the repository root: bash docs/runs/search-replay/run.sh
set -euo pipefail
out=docs/runs/search-replay
for grid in quickstart-llama quickstart-llama-platform quickstart-llama-word quickstart-llama-1200-eos-first quickstart-gpt2-word-1200; do
  ./forgetlab search replay "docs/runs/$grid/report.json" --rungs 40 --keep 1 > "$out/replay-$grid.txt"
done
./forgetlab search replay docs/runs/search-replay/quickstart/report.json --rungs 40 --keep 1 > "$out/replay-quickstart.txt"
./forgetlab search replay docs/runs/lora-vs-full/report.json --rungs 25,50,75 --keep 1 > "$out/replay-lora-vs-full.txt"
./forgetlab search forecast docs/runs/lora-vs-full/report.json docs/runs/rl-vs-sft/seed{1,2,3}/report.json > "$out/forecast-from-3.txt"
./forgetlab search forecast docs/runs/rl-vs-sft/seed{1,2,3}/report.json --from 5 > "$out/forecast-from-5.txt"
