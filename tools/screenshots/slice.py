#!/usr/bin/env python3
"""The RL screenshot's experiment (tools/screenshots/take.sh rl): one cell of examples/reward-hacking.yaml.

    python3 tools/screenshots/slice.py examples/reward-hacking.yaml OUT.yaml

beta 0, no pre-training mix, seed 1 (the cell where docs/rl.md finds knowledge collapsing), checkpointed every 5 of its
20 steps so the run page's reward / KL / entropy curves have four points, 100 items a suite to keep it short, and
without the KL suite file (a platform spec reads suite files from data sets).
"""
import sys
from pathlib import Path

import yaml


def main(spec_path, out_path):
    spec = yaml.safe_load(Path(spec_path).read_text(encoding="utf-8"))
    spec["name"] = "reward-hacking-shot"
    spec["grid"].update(rl_beta=[0], rl_ptx_coef=[0], seed=[1])
    spec["train"]["checkpoint_every"] = 5
    # A spec sent to the platform names suite files only through data sets; the run page's KL on the target prompts
    # comes from the RL measurements anyway.
    spec["suites"] = [s for s in spec["suites"] if not str(s).endswith(".yaml")]
    spec["eval"].update(max_items=100, bootstrap_resamples=2000)
    Path(out_path).write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
