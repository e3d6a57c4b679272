#!/usr/bin/env python3
"""Keeps of each checkpoint's items.jsonl only what the search's paired test reads: suite, version, item id and outcome.

    python3 keep-outcomes.py LAB_OUT...

The lab writes every item's prompt and response there too (for the report's item changes); dropped here so the per-item
outcomes of a whole grid fit in docs/runs/ (a few MB), and `forgetlab search replay --runs-dir` can replay the paired test.
"""
import json
import pathlib
import sys

KEPT = ("suite", "version", "id", "value")

for out in sys.argv[1:]:
    files = sorted(pathlib.Path(out).glob("runs/*/step-*/items.jsonl"))
    for path in files:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        path.write_text("".join(json.dumps({k: r[k] for k in KEPT}, separators=(",", ":")) + "\n" for r in rows), encoding="utf-8")
    print(f"{out}: {len(files)} items.jsonl kept as outcomes only")
