#!/usr/bin/env python3
"""Pools the report.json of several slices of one grid into one report, for `forgetlab search replay`.

    python3 pool.py OUT.json SLICE_A/report.json SLICE_B/report.json...

The runs of a grid train independently and every slice keeps its runs' names and seeds, so the pooled runs are exactly the
whole grid's. Only `runs` is pooled (base, spec name and data are the first slice's, and must agree across slices); the
`frontier` and `seed_groups` of the slices are dropped, not recomputed: the replay computes its fronts from the runs.
"""
import json
import sys


def main(out, *paths):
    reports = [json.load(open(p, encoding="utf-8")) for p in paths]
    first = reports[0]
    for p, r in zip(paths[1:], reports[1:]):
        for key in ("spec_name", "base"):
            if r.get(key) != first.get(key):
                sys.exit(f"{p}: '{key}' differs from {paths[0]}'s: not slices of one grid")
    names = [run["name"] for r in reports for run in r["runs"]]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        sys.exit(f"run names in more than one slice: {', '.join(dup)}")
    pooled = {k: v for k, v in first.items() if k not in ("frontier", "seed_groups")}
    pooled["runs"] = [run for r in reports for run in r["runs"]]
    with open(out, "w", encoding="utf-8") as f:
        json.dump(pooled, f, indent=2)
    print(f"{out}: {len(pooled['runs'])} runs from {len(paths)} slices")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
