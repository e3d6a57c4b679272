#!/usr/bin/env bash
# Issue 15 (docs/science.md, "Measured: the search replayed on finished grids"): the consolidation ablation with checkpoints
# every 20 steps, run to the end one seed per process, pooled, replayed; then seed 1 again with the live search on.
# Run from the repository root: bash docs/runs/search-replay/consolidation-ablation/run.sh   (the lab runs take hours on 2 cores)
set -euo pipefail
d=docs/runs/search-replay/consolidation-ablation
for s in 1 2 3; do
  ./forgetlab lab run "$d/consolidation-ablation-rungs-seed$s.yaml" --out "$d/seed$s" --threads 1
  tools/rl-evidence/prune.sh "$d/seed$s"
done
# The committed outputs are seeds 1 and 2 (seed 3 did not fit the session): pooled-seeds1-2-report.json, replay-seeds1-2-*.
python3 "$d/pool.py" "$d/pooled-seeds1-2-report.json" "$d"/seed{1,2}/report.json
python3 "$d/pool.py" "$d/pooled-report.json" "$d"/seed{1,2,3}/report.json
for rungs in 20,40,60 40; do
  ./forgetlab search replay "$d/pooled-seeds1-2-report.json" --rungs "$rungs" --keep 1 > "$d/replay-seeds1-2-rungs$rungs.txt"
  ./forgetlab search replay "$d/pooled-report.json" --rungs "$rungs" --keep 1 > "$d/replay-rungs$rungs.txt"
  for s in 1 2 3; do ./forgetlab search replay "$d/seed$s/report.json" --rungs "$rungs" --keep 1 > "$d/replay-seed$s-rungs$rungs.txt"; done
done
./forgetlab lab run "$d/consolidation-ablation-rungs-seed1-search.yaml" --out "$d/seed1-search" --threads 1
tools/rl-evidence/prune.sh "$d/seed1-search"
