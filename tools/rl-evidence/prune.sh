#!/usr/bin/env bash
# Keeps a lab output folder small enough for docs/runs/: in each checkpoint folder only checkpoint-report.json stays
# (weights, optimizer and RNG state, per-item results and trainer state are dropped), as the earlier runs were kept.
# usage: tools/rl-evidence/prune.sh OUT_DIR...
set -euo pipefail
for out in "$@"; do
  find "$out" -path '*/runs/*/step-*' -type f ! -name checkpoint-report.json -delete
done
