#!/usr/bin/env python3
"""Writes a kl_to_base suite over a target's own prompts, so supervised and reward fine-tuning runs get the same
KL-on-target measure (KL(base || checkpoint) per prompt token, docs/lab.md) for the rank correlation in docs/rl.md.

The prompts are read from a lab run's baseline items (`OUT/baseline/items.jsonl`, suite `target`), so they are the
exact prompts the lab built for that target and seed: nothing is typed by hand.

usage: make-suites.py ITEMS_JSONL NAME
"""
import json
import sys
from pathlib import Path

items_path, name = sys.argv[1], sys.argv[2]
here = Path(__file__).resolve().parent
prompts = []
with open(items_path, encoding="utf-8") as f:
    for line in f:
        row = json.loads(line)
        if row["suite"] == "target" and row["prompt"] not in prompts:
            prompts.append(row["prompt"])
with open(here / f"{name}.jsonl", "w", encoding="utf-8") as f:
    for i, prompt in enumerate(prompts):
        f.write(json.dumps({"id": f"prompt:{i}", "prompt": prompt}) + "\n")
(here / f"{name}.yaml").write_text(
    f"# KL(base || checkpoint) on the {len(prompts)} prompts of the target '{name}' (written by make-suites.py)\n"
    f"task: {name}\ncategory: language\noutput_type: kl_to_base\nmetric: kl\ndataset_path: {name}.jsonl\n",
    encoding="utf-8")
print(f"{name}: {len(prompts)} prompts")
