#!/usr/bin/env python3
"""One slice of an example's grid, so an example can run as several processes at once on a shared machine.

    python3 tools/rl-evidence/slice.py examples/reward-hacking.yaml OUT_DIR seed=1 rl_beta=0.04 rl_ptx_coef=1 [variants=sane,lr-x10]

Writes OUT_DIR/<example>-<slice>.yaml: the example's spec with the named grid axes cut to the given values (and, with
variants=, only the named variants), beside a link to examples/rl-suites so its suite paths resolve. Every run keeps
the name and seed it has in the whole grid, so the slices' reports pool into the example's (tools/rl-evidence/analyse.py).
Prints the slice spec's path.
"""
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def main(spec_path, out_dir, *cuts):
    spec = yaml.safe_load(Path(spec_path).read_text(encoding="utf-8"))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    link = out / "rl-suites"
    if not link.exists():
        link.symlink_to(ROOT / "examples" / "rl-suites")
    parts = []
    for cut in cuts:
        key, _, value = cut.partition("=")
        if key == "variants":
            names = value.split(",")
            missing = [n for n in names if n not in [v["name"] for v in spec["variants"]]]
            if missing:
                sys.exit(f"{spec_path}: no variant named {', '.join(missing)}")
            spec["variants"] = [v for v in spec["variants"] if v["name"] in names]
        elif key in spec.get("grid", {}):
            spec["grid"][key] = [yaml.safe_load(value)]
        else:
            sys.exit(f"{spec_path}: grid has no axis '{key}' (axes: {', '.join(spec.get('grid', {}))}, or variants=)")
        parts.append(f"{key}{value}".replace(",", "+"))
    path = out / f"{Path(spec_path).stem}-{'-'.join(parts)}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    print(path)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
