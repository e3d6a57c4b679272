#!/usr/bin/env bash
# Issue 15 (docs/science.md, "Measured: the search replayed on finished grids"): the consolidation ablation with checkpoints
# every 20 steps, run to the end one seed per process, pooled, replayed; then seed 1 again with the live search on.
# Run from the repository root: bash docs/runs/search-replay/consolidation-ablation/run.sh   (the lab runs take hours on 2 cores)
set -euo pipefail
d=docs/runs/search-replay/consolidation-ablation
for s in 1 2 3; do
  ./forgetlab lab run "$d/consolidation-ablation-rungs-seed$s.yaml" --out "$d/seed$s" --threads 1
  # Every checkpoint keeps checkpoint-report.json and its items' outcomes (the paired test's input); the rest is dropped.
  find "$d/seed$s" -path '*/runs/*/step-*' -type f ! -name checkpoint-report.json ! -name items.jsonl -delete
  python3 "$d/keep-outcomes.py" "$d/seed$s"
done
python3 "$d/pool.py" "$d/pooled-report.json" "$d"/seed{1,2,3}/report.json
# The paired test (the rule the lab and the platform use) and, for comparison, the intervals alone (--no-items: the
# fallback, which the earlier replays used).
for rungs in 20,40,60 40; do
  ./forgetlab search replay "$d/pooled-report.json" --rungs "$rungs" --keep 1 --runs-dir "$d/seed1" --runs-dir "$d/seed2" --runs-dir "$d/seed3" > "$d/replay-rungs$rungs.txt"
  ./forgetlab search replay "$d/pooled-report.json" --rungs "$rungs" --keep 1 --no-items > "$d/replay-rungs$rungs-intervals.txt"
  for s in 1 2 3; do ./forgetlab search replay "$d/seed$s/report.json" --rungs "$rungs" --keep 1 > "$d/replay-seed$s-rungs$rungs.txt"; done
done
./forgetlab search forecast "$d/pooled-report.json" > "$d/forecast-from-3.txt"
./forgetlab lab run "$d/consolidation-ablation-rungs-seed1-search.yaml" --out "$d/seed1-search" --threads 1
tools/rl-evidence/prune.sh "$d/seed1-search"
