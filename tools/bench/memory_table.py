#!/usr/bin/env python3
"""Markdown tables from `forgetlab bench memory` lines (tools/bench/memory.sh prints them): peak against estimate."""
import sys

rows = [dict(kv.split("=", 1) for kv in line.split()[1:]) for line in open(sys.argv[1]) if line.startswith("MEMORY ")]
print("| model | phase | method | dtype | checkpointing | malloc | batch × seq | peak RSS MiB | runtime MiB | peak − runtime MiB | estimate − runtime MiB | estimate / measured | estimate total MiB (180 MiB runtime) |")
print("|---|---|---|---|---|---|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    above, est = float(r["peak_above_runtime_mb"]), float(r["estimate_above_runtime_mb"])
    total = est + 180
    print(f"| {r['model']} | {r['phase']} | {r['method']} | {r['dtype']} | {r['checkpointing'].lower()} | {r['malloc']} | {r['batch']} × {r['seq']} | "
          f"{float(r['peak_mb']):.1f} | {float(r['runtime_mb']):.1f} | {above:.1f} | {est:.1f} | {est / above:.2f} | {total:.1f} |")
steps = [r for r in rows if any(k.startswith("rss_at_") for k in r)]
if steps:
    print()
    print("| model | malloc | batch × seq | RSS at step 10 MiB | at step 100 MiB | at step 1,000 MiB | 1,000 − 100 MiB |")
    print("|---|---|---|---:|---:|---:|---:|")
    for r in steps:
        a, b, c = (float(r.get(f"rss_at_{s}_mb", "nan")) for s in (10, 100, 1000))
        print(f"| {r['model']} | {r['malloc']} | {r['batch']} × {r['seq']} | {a:.1f} | {b:.1f} | {c:.1f} | {c - b:+.1f} |")
    # Where the RSS is at each sampled step (present when the CLI printed the breakdown): anonymous against file-backed pages,
    # and of the anonymous, the .NET GC's committed heap and glibc malloc's live and free bytes.
    parts = [r for r in steps if any(k.startswith("anon_at_") for k in r)]
    if parts:
        print()
        print("| model | malloc | step | RSS MiB | anonymous MiB | file-backed MiB | .NET GC committed MiB | malloc in use MiB | malloc free in arenas MiB |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in parts:
            for s in sorted(int(k[len("rss_at_"):-len("_mb")]) for k in r if k.startswith("rss_at_")):
                v = [float(r[f"{k}_at_{s}_mb"]) for k in ("rss", "anon", "file", "gc", "malloc_used", "malloc_free")]
                print(f"| {r['model']} | {r['malloc']} | {s:,} | " + " | ".join(f"{x:.1f}" for x in v) + " |")
