#!/usr/bin/env python3
"""Replaces the simulation's tables in docs/benchmarks.md (from the "Pool: " line to the last table row before the plot)
with those simulate.txt holds, so no figure there is typed by hand."""
import pathlib, re, sys
here = pathlib.Path(__file__).parent
out = (here / "simulate.txt").read_text().splitlines()
start = next(i for i, l in enumerate(out) if l.startswith("Pool: "))
end = max(i for i, l in enumerate(out) if l.startswith("|"))
block = out[start:end + 1]
doc = here.parent.parent / "benchmarks.md"
lines = doc.read_text().splitlines()
d0 = next(i for i, l in enumerate(lines) if l.startswith("Pool: 96 workers"))
plot = next(i for i in range(d0, len(lines)) if lines[i].startswith("![p95 wait by run size"))
d1 = max(i for i in range(d0, plot) if lines[i].startswith("|"))
lines[d0:d1 + 1] = block
elapsed = next(l for l in out if l.startswith("Simulated in "))
lines = [re.sub(r"Simulated in [0-9.]+ s\.", elapsed.split(" s.")[0] + " s.", l) if "Simulated in" in l and l is not None else l for l in lines]
doc.write_text("\n".join(lines) + "\n")
print(f"pasted {len(block)} lines; {elapsed}")
